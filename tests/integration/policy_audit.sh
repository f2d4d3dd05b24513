#!/bin/bash
# Policy (-o policy=FILE): a denied connect/bind/listen fails with EACCES
# and a reply naming the rule; SIGHUP reloads the file without dropping
# sockets; a broken file keeps the old policy. Audit (-o audit=FILE): one
# JSON line per event with time, uid, pid, comm, id and addresses.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_require
POLTMP=$(mktemp -d "${TMPDIR:-/tmp}/sockfs-policy.XXXXXX")
trap 'rc=$?; trap - ERR; set +e; rm -rf "$POLTMP"; (exit $rc); sockfs_cleanup' EXIT
POLICY=$POLTMP/policy.json
AUDIT=$POLTMP/audit.log

# Two echo servers: one the policy allows, one it denies.
okport=$(free_port 127.0.0.1)
start_peer python3 "$HERE/peer.py" echo-server 127.0.0.1 "$okport"
badport=$(free_port 127.0.0.1)
start_peer python3 "$HERE/peer.py" echo-server 127.0.0.1 "$badport"
wait_port 127.0.0.1 "$okport"
wait_port 127.0.0.1 "$badport"
lport_denied=$(free_port 127.0.0.1)

cat >"$POLICY" <<JSON
{"default": "allow",
 "rules": [
  {"name": "no-bad-port", "action": "deny", "ops": ["connect"],
   "address": "127.0.0.0/8", "ports": $badport},
  {"name": "no-ipv6-bind", "action": "deny", "ops": ["bind"], "family": "AF_INET6"},
  {"name": "no-listen-here", "action": "deny", "ops": ["listen"], "ports": "$lport_denied-$lport_denied"},
  {"name": "no-udp-to-bad", "action": "deny", "ops": ["sendto"], "ports": $badport},
  {"name": "no-nobody", "action": "deny", "uid": 65534},
  {"name": "no-private-unix", "action": "deny", "ops": ["connect"], "path": "$POLTMP/private"}
 ]}
JSON
SOCKFS_OPTS="policy=$POLICY,audit=$AUDIT"
sockfs_mount

# ---- connect denied: EACCES, the reply names the rule
id=$(new_socket)
expect_write_error "Permission denied" ctl "$id" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$badport]}"
reply=$(ctl_reply "$id" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$badport]}")
assert_json "$reply" 'j["error"]["errno"] == 13 and j["error"]["op"] == "connect" and "rule 0" in j["error"]["message"] and "no-bad-port" in j["error"]["message"]' "reply of a denied connect"
# The same host through an IPv4-mapped IPv6 address is the same host.
id6=$(new_socket)
reply=$(ctl_reply "$id6" "{\"op\":\"connect\",\"address\":[\"::ffff:127.0.0.1\",$badport]}")
assert_json "$reply" 'j["error"]["name"] == "EACCES" and "no-bad-port" in j["error"]["message"]' "connect to ::ffff:127.0.0.1"

# ---- connect allowed: works, data flows
ctl "$id" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$okport]}"
exec 3<>"$MNT/$id/data"
echo ping >&3
read -r -t 10 got <&3
assert_eq ping "$got" "echo through the allowed connection"

# ---- by uid (user nobody) and by unix path prefix
if command -v setpriv >/dev/null; then
	# shellcheck disable=SC2016
	reply=$(as_nobody bash -c '
		id=$(cat "$1/new") && exec 3<>"$1/$id/ctl" || exit 1
		echo "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",0]}" >&3 2>/dev/null
		read -r -t 10 r <&3; echo "$r"; rmdir "$1/$id"' _ "$MNT")
	assert_json "$reply" 'j["error"]["name"] == "EACCES" and "rule 4" in j["error"]["message"] and "no-nobody" in j["error"]["message"]' "nobody's bind (uid rule)"
else
	log "setpriv is missing: the uid rule is not checked"
fi
# The policy judges the file the path names: make it exist.
mkdir "$POLTMP/private"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$POLTMP/private/db.sock"
u=$(new_socket)
reply=$(ctl_reply "$u" "{\"op\":\"connect\",\"address\":\"$POLTMP/private/db.sock\"}")
assert_json "$reply" 'j["error"]["name"] == "EACCES" and "no-private-unix" in j["error"]["message"]' "connect to a unix path under a denied prefix"
rmdir "$MNT/$u"

# ---- a host name: resolved (audited as socket.getaddrinfo), then allowed
hn=$(new_socket)
ctl "$hn" "{\"op\":\"connect\",\"address\":[\"localhost\",$okport]}"
rmdir "$MNT/$hn"

# ---- bind and listen
b=$(new_socket)
reply=$(ctl_reply "$b" '{"op":"bind","address":["::1",0]}')
assert_json "$reply" 'j["error"]["name"] == "EACCES" and "no-ipv6-bind" in j["error"]["message"]' "denied bind"
assert_json "$(cat "$MNT/$b/status")" 'j["state"] == "new"' "state after a denied bind"
ctl "$b" "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",$lport_denied]}"
reply=$(ctl_reply "$b" '{"op":"listen"}')
assert_json "$reply" 'j["error"]["name"] == "EACCES" and "no-listen-here" in j["error"]["message"]' "denied listen"
l=$(new_socket)
ctl "$l" '{"op":"bind","address":["127.0.0.1",0]}'
ctl "$l" '{"op":"listen"}'
assert_json "$(cat "$MNT/$l/status")" 'j["state"] == "listening"' "allowed listen"

# ---- sendto (a msgs write with an address): denied to the bad port, the
# error in err names the rule; allowed elsewhere, and the datagram arrives
u=$(new_socket)
ctl "$u" '{"op":"socket","family":"AF_INET","type":"SOCK_DGRAM"}'
r=$(new_socket)
ctl "$r" '{"op":"socket","family":"AF_INET","type":"SOCK_DGRAM"}'
ctl "$r" '{"op":"bind","address":["127.0.0.1",0]}'
rport=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["local"][1])' <"$MNT/$r/addr")
expect_write_error "Permission denied" put "$MNT/$u/msgs" "{\"data\":\"no\",\"address\":[\"127.0.0.1\",$badport]}"
assert_json "$(cat "$MNT/$u/err")" 'j["error"]["name"] == "EACCES" and "no-udp-to-bad" in j["error"]["message"]' "err of a denied sendto"
echo "{\"data\":\"yes\",\"address\":[\"127.0.0.1\",$rport]}" >"$MNT/$u/msgs"
got=$(timeout 10 head -c 3 "$MNT/$r/data")
assert_eq yes "$got" "the allowed datagram arrives"
# A name lookup is an audit event too.
echo '{"op":"getaddrinfo","host":"localhost","port":80}' >"$MNT/net/query"

# ---- SIGHUP: a new policy; the connected socket stays, new connects obey it
cat >"$POLICY" <<JSON
{"default": "deny", "rules": [{"name": "only-bad", "action": "allow", "ports": $badport}]}
JSON
kill -HUP "$SOCKFS_PID"
wait_until 10 grep -q "policy reloaded" "$SOCKFS_TMP/daemon.log" || fail "no 'policy reloaded' in the daemon's log"
echo pong >&3
read -r -t 10 got <&3
assert_eq pong "$got" "echo through the connection made before the reload"
exec 3>&-
n=$(new_socket)
reply=$(ctl_reply "$n" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$okport]}")
assert_json "$reply" 'j["error"]["name"] == "EACCES" and "default" in j["error"]["message"]' "connect denied by the reloaded default"
ctl "$n" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$badport]}"
assert_json "$(cat "$MNT/$n/status")" 'j["state"] == "connected"' "connect allowed by the reloaded policy"

# ---- a broken policy on SIGHUP: the old one stays, the error is logged
echo '{"rules": [{"action": "deny", "address": "300.1.1.1"}]}' >"$POLICY"
kill -HUP "$SOCKFS_PID"
wait_until 10 grep -q "policy not reloaded" "$SOCKFS_TMP/daemon.log" || fail "no 'policy not reloaded' in the daemon's log"
grep -q 'rule 0: field "address": "300.1.1.1" is not a numeric' "$SOCKFS_TMP/daemon.log" ||
	fail "the reload error does not say what is wrong: $(cat "$SOCKFS_TMP/daemon.log")"
m=$(new_socket)
reply=$(ctl_reply "$m" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$okport]}")
assert_json "$reply" 'j["error"]["name"] == "EACCES"' "the old (second) policy still applies"
rmdir "$MNT/$m"

# ---- a mount with a broken policy fails at once, saying why
rc=0
out=$("$SOCKFS_BIN" "$WORK" -f -o "policy=$POLICY" 2>&1) || rc=$?
((rc != 0)) || fail "sockfs mounted with a broken policy"
assert_match 'policy: .*rule 0: field "address"' "$out" "error of a mount with a broken policy"

# ---- the audit log
echo '{"op":"close"}' >"$MNT/$n/ctl"
wait_until 10 grep -q '"socket.close"' "$AUDIT" || fail "no socket.close line in the audit log"
python3 - "$AUDIT" "$id" "$badport" "$okport" "$n" "$u" "$rport" "$hn" <<'PY' || fail "audit log check failed: $(cat "$AUDIT")"
import json, sys
path, sid, badport, okport, nid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lines = [json.loads(l) for l in open(path)]
for l in lines:
    for k in ("time", "event", "uid", "pid", "comm"):
        assert k in l, ("missing", k, l)
    assert l["time"].endswith("Z") and "T" in l["time"], l
def find(ev, **kw):
    return [l for l in lines if l["event"] == ev and all(l.get(k) == v for k, v in kw.items())]
new = find("socket.__new__", id=sid)
assert new and new[0]["comm"] == "cat" and new[0]["uid"] == 0, new
deny = find("sockfs.policy_deny", id=sid)
assert deny and deny[0]["address"] == ["127.0.0.1", badport] and deny[0]["rule"] == 0 and deny[0]["op"] == "connect", deny
assert "no-bad-port" in deny[0]["message"]
conn = find("socket.connect", id=sid)
assert conn and conn[0]["address"] == ["127.0.0.1", okport] and conn[0]["comm"] == "bash", conn
assert find("sockfs.policy_deny", rule=-1), "no denial by the default"
assert find("socket.bind"), "no socket.bind"
sendto = find("socket.sendto", id=int(sys.argv[6]))
assert sendto and sendto[0]["address"] == ["127.0.0.1", int(sys.argv[7])], sendto
sdeny = find("sockfs.policy_deny", id=int(sys.argv[6]))
assert sdeny and sdeny[0]["op"] == "sendto" and sdeny[0]["address"] == ["127.0.0.1", badport], sdeny
qgai = [l for l in find("socket.getaddrinfo") if l.get("port") == 80]
assert qgai and qgai[0]["host"] == "localhost", qgai
gai = find("socket.getaddrinfo", id=int(sys.argv[8]))
assert gai and gai[0]["host"] == "localhost" and gai[0]["port"] == okport and gai[0]["comm"] == "bash", gai
close = find("socket.close", id=nid)
assert close and close[0]["comm"] == "bash", close
print("audit: %d lines OK" % len(lines))
PY
