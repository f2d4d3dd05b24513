#!/bin/bash
# A shell script as a TCP server: bind ["::",PORT], listen, accept through
# the accept file and through {"op":"accept"} on ctl, talk through data.
# Peers: python3 clients and curl.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount
PEER="$HERE/peer.py"

python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::", 0))' 2>/dev/null ||
	skip "no IPv6 in this kernel (needed to bind \"::\")"
# A client reaches a socket bound to "::" over IPv4 too unless bindv6only.
if [[ "$(cat /proc/sys/net/ipv6/bindv6only 2>/dev/null || echo 0)" == 0 ]]; then
	chost=127.0.0.1 url_host=127.0.0.1 peer_host_re='^(::ffff:127\.0\.0\.1)$'
else
	chost=::1 url_host='[::1]' peer_host_re='^::1$'
fi
port=$(free_port ::)

srv=$(new_socket)
log "listening socket $srv on [::]:$port, clients from $chost"
ctl "$srv" '{"op":"bind","address":["::",'"$port"']}'
reply=$(ctl_reply "$srv" '{"op":"listen","backlog":16}')
assert_json "$reply" 'j == {"ok": True, "op": "listen", "backlog": 16}' "reply to listen"
status=$(cat "$MNT/$srv/status")
assert_json "$status" 'j["state"] == "listening" and j["family"] == "AF_INET6"' "status of the listening socket"
assert_json "$status" 'j["local"] == ["::", '"$port"', 0, 0] and j["peer"] is None' "status of the listening socket"

# ---- 1. conn=$(cat accept) while a client connects; cat data & echo > data
cat "$MNT/$srv/accept" >"$WORK/conn1" &
acc=$!
start_peer python3 "$PEER" client "$chost" "$port" 'request line\n' 6 "$WORK/got1"
client=$PEER_PID
wait_pid "$acc"
assert_eq 0 "$WAIT_RC" "exit status of cat accept"
conn=$(cat "$WORK/conn1")
assert_match '^[1-9][0-9]*$' "$conn" "id read from accept"
((conn != srv)) || fail "accept returned the listening socket's own id $srv"
[[ -d "$MNT/$conn" ]] || fail "accept returned $conn but $MNT/$conn is not a directory"
log "accepted socket $conn"

status=$(cat "$MNT/$conn/status")
assert_json "$status" 'j["state"] == "connected" and j["owner"] == 0 and j["id"] == '"$conn" "status of the accepted socket"
addr=$(cat "$MNT/$conn/addr")
assert_json "$addr" 'j["local"][1] == '"$port"' and len(j["local"]) == 4 and len(j["peer"]) == 4' "addr of the accepted socket"
peer_host=$(json_get "$addr" 'j["peer"][0]')
assert_match "$peer_host_re" "$peer_host" "peer host of the accepted socket"

cat "$MNT/$conn/data" >"$WORK/request.txt" &
reader=$!
echo hello >"$MNT/$conn/data"
wait_pid "$client"
assert_eq 0 "$WAIT_RC" "exit status of the python client"
assert_eq "hello" "$(cat "$WORK/got1")" "what the client received"
# The client shut down and closed: cat data sees EOF.
wait_pid "$reader"
assert_eq 0 "$WAIT_RC" "exit status of cat data"
assert_eq "request line" "$(cat "$WORK/request.txt")" "what cat data received"
rmdir "$MNT/$conn"
[[ ! -e "$MNT/$conn" ]] || fail "$MNT/$conn still exists after rmdir"

# ---- 2. an HTTP server in bash, curl as the client
if command -v curl >/dev/null; then
	start_peer curl -sS --max-time 10 -o "$WORK/curl.out" "http://$url_host:$port/hello"
	curl_pid=$PEER_PID
	conn=$(timeout 10 cat "$MNT/$srv/accept")
	assert_match '^[1-9][0-9]*$' "$conn" "id read from accept (curl)"
	exec {d}<>"$MNT/$conn/data"
	read -r -t 10 request <&"$d" || fail "no request line from curl (got [${request:-}])"
	assert_match '^GET /hello HTTP/1\.[01]'$'\r''$' "$request" "request line from curl"
	# Headers up to the empty line. bash's read(2)s one byte at a time
	# only on a file that is not seekable, as data must be.
	for ((i = 0; ; i++)); do
		((i < 50)) || fail "no end of headers in 50 lines"
		read -r -t 10 line <&"$d" || fail "EOF or timeout in the request headers"
		[[ "$line" == $'\r' ]] && break
		assert_match '^[A-Za-z-]+: ' "$line" "request header"
	done
	printf 'HTTP/1.0 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n' >&"$d"
	exec {d}>&-
	rmdir "$MNT/$conn"
	wait_pid "$curl_pid"
	assert_eq 0 "$WAIT_RC" "exit status of curl"
	assert_eq "hello" "$(cat "$WORK/curl.out")" "body curl received"
else
	log "curl is not installed: skipping the curl part"
fi

# ---- 3. {"op":"accept"} on a held ctl fd
# The client stays until it reads "ok": bash catches SIGCHLD, and a job
# ending while bash's own echo waits in sockfs would interrupt that write.
start_peer python3 "$PEER" client "$chost" "$port" 'second\n' 3 "$WORK/got3"
client=$PEER_PID
exec 3<>"$MNT/$srv/ctl"
echo '{"op":"accept"}' >&3
read -r -t 10 reply <&3 || fail "no reply to {\"op\":\"accept\"} (got [${reply:-}])"
assert_json "$reply" 'j["ok"] is True and j["op"] == "accept" and type(j["id"]) is int' "reply to accept"
assert_json "$reply" 'type(j["address"]) is list and len(j["address"]) == 4 and j["address"][1] > 0' "address in the reply to accept"
conn=$(json_get "$reply" 'j["id"]')
peer_host=$(json_get "$reply" 'j["address"][0]')
assert_match "$peer_host_re" "$peer_host" "peer host in the reply to accept"
[[ -d "$MNT/$conn" ]] || fail "accept replied id $conn but $MNT/$conn is not a directory"
echo ok >"$MNT/$conn/data"
got=$(timeout 10 cat "$MNT/$conn/data") || fail "cat data of socket $conn did not end"
assert_eq "second" "$got" "bytes from the second client"
# No reply pending: EOF.
expect_eof 3 "a second read of ctl after the accept reply"
exec 3>&-
wait_pid "$client"
assert_eq 0 "$WAIT_RC" "exit status of the second python client"
assert_eq "ok" "$(cat "$WORK/got3")" "what the second client received"

ctl "$conn" '{"op":"close"}'
ctl "$srv" '{"op":"close"}'
[[ ! -e "$MNT/$srv" && ! -e "$MNT/$conn" ]] || fail "sockets still exist after close: $(ls "$MNT" | tr '\n' ' ')"
assert_eq "" "$(ls "$MNT" | grep -E '^[0-9]+$' || true)" "socket directories in the mount at the end"
