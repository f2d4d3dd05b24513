#!/bin/bash
# The policy has no side doors (issue 12): it decides on the address the
# kernel will use. 0.0.0.0, "", :: and ::ffff:0.0.0.0 reach loopback;
# ::ffff:a.b.c.d on an AF_INET6 socket is IPv4 to a family rule; a sendto
# that connects (MSG_FASTOPEN on TCP) meets the connect rules; a unix path
# is the file it names (//x, /./x, /a/../x, a symlink), resolved with the
# caller's rights (user nobody here, against a root daemon).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v setpriv >/dev/null || skip "setpriv is not installed"
sockfs_require
POLTMP=$(mktemp -d "${TMPDIR:-/tmp}/sockfs-doors.XXXXXX")
trap 'rc=$?; trap - ERR; set +e; rm -rf "$POLTMP"; (exit $rc); sockfs_cleanup' EXIT
chmod 755 "$POLTMP"
POLICY=$POLTMP/policy.json

denied=$(free_port 127.0.0.1)
start_peer python3 "$HERE/peer.py" echo-server 0.0.0.0 "$denied"
v4only=$(free_port 127.0.0.1)
start_peer python3 "$HERE/peer.py" echo-server 127.0.0.1 "$v4only"
wait_port 127.0.0.1 "$denied"
wait_port 127.0.0.1 "$v4only"

# Unix servers: one in a denied directory, one in an open one.
mkdir -m 777 "$POLTMP/secret" "$POLTMP/open" "$POLTMP/x"
start_peer python3 -c '
import os, socket, sys, time
for d in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX); s.bind(d + "/s"); s.listen(64); os.chmod(d + "/s", 0o777)
    u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); u.bind(d + "/d"); os.chmod(d + "/d", 0o777)
    globals()["keep_" + str(len(globals()))] = (s, u)
open(sys.argv[1] + "/ready", "w").close()
time.sleep(60)' "$POLTMP/secret" "$POLTMP/open"
wait_until 10 test -e "$POLTMP/secret/ready" || fail "the unix servers did not start"
ln -s "$POLTMP/secret/s" "$POLTMP/open/link"
ln -s "$POLTMP/secret/d" "$POLTMP/open/dlink"
ln -s "$POLTMP/secret" "$POLTMP/open/dirlink"

cat >"$POLICY" <<JSON
{"default": "allow",
 "rules": [
  {"name": "no-loopback-port", "action": "deny", "ops": ["connect", "sendto"],
   "address": ["127.0.0.0/8", "::1"], "ports": $denied},
  {"name": "no-v4-port", "action": "deny", "ops": ["connect"], "family": "AF_INET",
   "ports": $v4only},
  {"name": "no-secret", "action": "deny", "path": "$POLTMP/secret/"},
  {"name": "no-lookups", "action": "deny", "ops": ["lookup"], "host": ["*.invalid", "LOCAL*"]}
 ],
 "hide": ["interfaces", "hostname"]}
JSON
SOCKFS_OPTS="policy=$POLICY"
sockfs_mount

# nobody_ctl FAMILY TYPE JSON: a fresh socket of nobody's, one command on
# it; prints the reply.
nobody_ctl() {
	local id reply
	id=$(as_nobody cat "$MNT/new")
	# shellcheck disable=SC2016
	reply=$(as_nobody bash -c 'exec 3<>"$1/ctl"
		echo "{\"op\":\"socket\",\"family\":\"$2\",\"type\":\"$3\"}" >&3 && read -r r <&3
		echo "$4" >&3 2>/dev/null; read -r -t 10 r <&3; echo "$r"' _ "$MNT/$id" "$1" "$2" "$3")
	as_nobody rmdir "$MNT/$id"
	echo "$reply"
}
denied_by() { assert_json "$1" "j['error']['name'] == 'EACCES' and '$2' in j['error']['message']" "$3"; }

# ---- unspecified addresses reach loopback
for a in '"0.0.0.0"' '""'; do
	denied_by "$(nobody_ctl AF_INET SOCK_STREAM "{\"op\":\"connect\",\"address\":[$a,$denied]}")" no-loopback-port "connect to [$a, $denied]"
done
for a in '"::ffff:0.0.0.0"' '"::"' '""' '"::ffff:127.0.0.1"'; do
	denied_by "$(nobody_ctl AF_INET6 SOCK_STREAM "{\"op\":\"connect\",\"address\":[$a,$denied]}")" no-loopback-port "AF_INET6 connect to [$a, $denied]"
done
# ... and a datagram sent there
for a in '"0.0.0.0"' '""'; do
	id=$(as_nobody cat "$MNT/new")
	# shellcheck disable=SC2016
	as_nobody bash -c 'echo "{\"op\":\"socket\",\"family\":\"AF_INET\",\"type\":\"SOCK_DGRAM\"}" > "$1/ctl"' _ "$MNT/$id"
	# shellcheck disable=SC2016
	expect_write_error "Permission denied" as_nobody bash -c 'echo "{\"data\":\"x\",\"address\":[$2,$3]}" > "$1/msgs"' _ "$MNT/$id" "$a" "$denied"
	as_nobody rmdir "$MNT/$id"
done
# The family rule on an AF_INET socket, through 0.0.0.0 too.
assert_json "$(nobody_ctl AF_INET SOCK_STREAM "{\"op\":\"connect\",\"address\":[\"0.0.0.0\",$v4only]}")" 'j["error"]["name"] == "EACCES"' "AF_INET connect to the v4-only port (the family rule)"

# ---- a family rule for AF_INET covers ::ffff:a.b.c.d on an AF_INET6 socket
denied_by "$(nobody_ctl AF_INET6 SOCK_STREAM "{\"op\":\"connect\",\"address\":[\"::ffff:127.0.0.1\",$v4only]}")" no-v4-port "AF_INET6 connect to ::ffff:127.0.0.1 under an AF_INET rule"
assert_json "$(nobody_ctl AF_INET6 SOCK_STREAM "{\"op\":\"connect\",\"address\":[\"::1\",$v4only]}")" 'j.get("ok") or j["error"]["name"] == "ECONNREFUSED"' "AF_INET6 connect to ::1 is IPv6: the AF_INET rule does not apply"

# ---- MSG_FASTOPEN through msgs is a connect
id=$(as_nobody cat "$MNT/new")
# shellcheck disable=SC2016
as_nobody bash -c 'echo "{\"op\":\"socket\",\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}" > "$1/ctl"' _ "$MNT/$id"
# shellcheck disable=SC2016
expect_write_error "Permission denied" as_nobody bash -c 'echo "{\"data\":\"x\",\"address\":[\"127.0.0.1\",$2],\"flags\":\"MSG_FASTOPEN\"}" > "$1/msgs"' _ "$MNT/$id" "$v4only"
assert_json "$(as_nobody cat "$MNT/$id/err")" '"no-v4-port" in j["error"]["message"]' "MSG_FASTOPEN meets the connect rules"
as_nobody rmdir "$MNT/$id"

# ---- unix paths: the file they name
for p in "$POLTMP/secret/s" "${POLTMP}//secret/s" "$POLTMP/./secret/s" "$POLTMP/x/../secret/s" \
	"$POLTMP/open/link" "$POLTMP/open/dirlink/s" "$POLTMP/open/../secret/s"; do
	denied_by "$(nobody_ctl AF_UNIX SOCK_STREAM "{\"op\":\"connect\",\"address\":\"$p\"}")" no-secret "connect to $p"
done
assert_json "$(nobody_ctl AF_UNIX SOCK_STREAM "{\"op\":\"connect\",\"address\":\"$POLTMP/open/s\"}")" 'j["ok"] is True' "connect to an allowed path"
assert_json "$(nobody_ctl AF_UNIX SOCK_STREAM "{\"op\":\"connect\",\"address\":\"$POLTMP/open/../open/./s\"}")" 'j["ok"] is True' "connect to an allowed path written oddly"
for p in "$POLTMP/open/dlink" "$POLTMP/x/../secret/d"; do
	id=$(as_nobody cat "$MNT/new")
	# shellcheck disable=SC2016
	as_nobody bash -c 'echo "{\"op\":\"socket\",\"family\":\"AF_UNIX\",\"type\":\"SOCK_DGRAM\"}" > "$1/ctl"' _ "$MNT/$id"
	# shellcheck disable=SC2016
	expect_write_error "Permission denied" as_nobody bash -c 'echo "{\"data\":\"x\",\"address\":\"$2\"}" > "$1/msgs"' _ "$MNT/$id" "$p"
	as_nobody rmdir "$MNT/$id"
done
denied_by "$(nobody_ctl AF_UNIX SOCK_STREAM "{\"op\":\"bind\",\"address\":\"$POLTMP/open/dirlink/b\"}")" no-secret "bind through a symlinked directory"
[[ ! -e "$POLTMP/secret/b" ]] || fail "the denied bind made $POLTMP/secret/b"
# The path is resolved with nobody's rights: a directory nobody cannot
# search gives the kernel's answer to nobody (EACCES), as directly.
mkdir -m 700 "$POLTMP/open/private"
direct=$(as_nobody /usr/bin/python3 -c '
import errno, socket, sys
try:
    socket.socket(socket.AF_UNIX).connect(sys.argv[1]); print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])' "$POLTMP/open/private/s")
reply=$(nobody_ctl AF_UNIX SOCK_STREAM "{\"op\":\"connect\",\"address\":\"$POLTMP/open/private/s\"}")
assert_json "$reply" "j['error']['name'] == '$direct'" "connect into a directory nobody cannot search: $direct, as directly"
# ---- name lookups: governed by "lookup" rules, wherever they are made
expect_fail "Permission denied" as_nobody cat "$MNT/net/resolve/localhost"

# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/net/query"; echo "{\"op\":\"getaddrinfo\",\"host\":\"localhost\",\"port\":80}" >&3 2>/dev/null; read -r -t 10 r <&3; echo "$r"' _ "$MNT")
denied_by "$reply" no-lookups "getaddrinfo of localhost through net/query"
# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/net/query"; echo "{\"op\":\"gethostbyname\",\"hostname\":\"x.invalid\"}" >&3 2>/dev/null; read -r -t 10 r <&3; echo "$r"' _ "$MNT")
denied_by "$reply" no-lookups "gethostbyname of x.invalid"
denied_by "$(nobody_ctl AF_INET SOCK_STREAM "{\"op\":\"connect\",\"address\":[\"localhost\",$v4only]}")" no-lookups "connect to a host name"
# A lookup no rule names is made (numeric, no DNS involved).
# shellcheck disable=SC2016
reply=$(as_nobody bash -c 'exec 3<>"$1/net/query"; echo "{\"op\":\"getaddrinfo\",\"host\":\"127.0.0.1\",\"port\":80,\"type\":\"SOCK_STREAM\"}" >&3; read -r -t 10 r <&3; echo "$r"' _ "$MNT")
assert_json "$reply" 'j["ok"] is True' "getaddrinfo of 127.0.0.1 (no rule)"
# ---- the hide switch: interfaces and the host name
expect_fail "Permission denied" as_nobody cat "$MNT/net/interfaces"
expect_fail "Permission denied" as_nobody cat "$MNT/net/hostname"
expect_fail "Permission denied" cat "$MNT/net/hostname"
for op in gethostname if_nameindex; do
	# shellcheck disable=SC2016
	reply=$(as_nobody bash -c 'exec 3<>"$1/net/query"; echo "{\"op\":\"$2\"}" >&3 2>/dev/null; read -r -t 10 r <&3; echo "$r"' _ "$MNT" "$op")
	assert_json "$reply" 'j["error"]["name"] == "EACCES" and "hidden" in j["error"]["message"]' "$op under the hide switch"
done
log ok
