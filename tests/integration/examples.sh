#!/bin/bash
# examples/: each script run against local servers, as a user would run it.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EX=$(cd "$HERE/../../examples" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

# ---- http-get.sh against python's http.server
mkdir "$WORK/www"
python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes(range(256)) * 400)' "$WORK/www/blob"
echo "hello from the server" >"$WORK/www/index.html"
hport=$(free_port 127.0.0.1)
start_peer python3 -m http.server "$hport" --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/http.log" 2>&1
wait_port 127.0.0.1 "$hport"

out=$(timeout 20 "$EX/http-get.sh" "http://127.0.0.1:$hport/index.html" "$MNT" 2>"$WORK/status") ||
	fail "http-get.sh failed: $(cat "$WORK/status")"
assert_eq "hello from the server" "$out" "http-get.sh body"
assert_match '^HTTP/1\.[01] 200' "$(cat "$WORK/status")" "http-get.sh status line"
timeout 20 "$EX/http-get.sh" "http://127.0.0.1:$hport/blob" "$MNT" >"$WORK/blob.out" 2>/dev/null
cmp -s "$WORK/www/blob" "$WORK/blob.out" || fail "http-get.sh: the binary body differs from the served file"
rc=0
timeout 20 "$EX/http-get.sh" "http://127.0.0.1:$hport/missing" "$MNT" >/dev/null 2>"$WORK/status" || rc=$?
assert_eq 1 "$rc" "http-get.sh exit status for a 404"
assert_match ' 404 ' "$(cat "$WORK/status")" "http-get.sh 404 status line"
rc=0
timeout 20 "$EX/http-get.sh" "http://127.0.0.1:$(free_port 127.0.0.1)/" "$MNT" >/dev/null 2>"$WORK/err" || rc=$?
assert_eq 1 "$rc" "http-get.sh exit status when refused"
assert_match 'ECONNREFUSED' "$(cat "$WORK/err")" "http-get.sh says why"
assert_eq "" "$(ls_sockets)" "sockets left by http-get.sh (clone closes them)"

# ---- awk-client.awk with gawk and mawk, against a server that answers
# after the client's EOF (half-close).
eport=$(free_port 127.0.0.1)
start_peer python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept(); b = b""
    while True:
        d = c.recv(65536)
        if not d:
            break
        b += d
    c.sendall(b"got %d bytes\n" % len(b) + b.upper()); c.close()
' "$eport"
wait_port 127.0.0.1 "$eport"
ran=0
for awk in gawk mawk; do
	if ! command -v "$awk" >/dev/null; then
		log "$awk is not installed: its run is skipped (apt-get install $awk)"
		continue
	fi
	out=$(timeout 20 "$awk" -v mnt="$MNT" -v host=127.0.0.1 -v port="$eport" -v send="$(printf 'one\ntwo\n')" -f "$EX/awk-client.awk")
	assert_eq "$(printf 'got 7 bytes\nONE\nTWO')" "$out" "awk-client.awk under $awk"
	# an HTTP request (the default)
	out=$(timeout 20 "$awk" -v mnt="$MNT" -v host=127.0.0.1 -v port="$hport" -f "$EX/awk-client.awk" | head -c 12)
	assert_match '^HTTP/1\.[01] 200' "$out" "awk-client.awk HTTP under $awk"
	rc=0
	timeout 20 "$awk" -v mnt="$MNT" -v host=127.0.0.1 -v port="$(free_port 127.0.0.1)" -f "$EX/awk-client.awk" >/dev/null 2>"$WORK/err" || rc=$?
	((rc != 0)) || fail "awk-client.awk under $awk: a refused connect exited 0"
	assert_match 'connect failed' "$(cat "$WORK/err")" "awk-client.awk refused under $awk"
	ran=$((ran + 1))
done
((ran > 0)) || skip "neither gawk nor mawk is installed"
assert_eq "" "$(ls_sockets)" "sockets left by awk-client.awk"

# ---- udp-client.sh against two UDP servers: each answer with its source.
uports=()
for name in alpha beta; do
	p=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	start_peer python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    d, a = s.recvfrom(2048); s.sendto(sys.argv[2].encode() + b":" + d, a)
' "$p" "$name"
	uports+=("$p")
done
wait_until 10 bash -c '[[ -n "$(ss -Hlun "sport = :$1")" && -n "$(ss -Hlun "sport = :$2")" ]]' _ "${uports[@]}" ||
	fail "the UDP servers did not start"
out=$(timeout 20 "$EX/udp-client.sh" ping "127.0.0.1:${uports[0]}" "127.0.0.1:${uports[1]}" -- "$MNT" | sort)
want=$(printf '127.0.0.1 %s alpha:ping\n127.0.0.1 %s beta:ping\n' "${uports[0]}" "${uports[1]}" | sort)
assert_eq "$want" "$out" "udp-client.sh answers with their sources"
assert_eq "" "$(ls_sockets)" "sockets left by udp-client.sh"

# ---- chat-server.sh: three clients; a line of one reaches the two others.
cport=$(free_port 127.0.0.1)
SOCKFS="$MNT" "$EX/chat-server.sh" "$cport" 2>"$WORK/chat.log" &
chat=$!
SOCKFS_PEERS+=("$chat")
wait_port 127.0.0.1 "$cport"
exec 5<>"/dev/tcp/127.0.0.1/$cport"
exec 6<>"/dev/tcp/127.0.0.1/$cport"
# each join is announced to those already there: wait for 6's join on 5
IFS= read -r -t 10 l <&5 || fail "chat: no join announcement on the first client"
assert_match '^\* [0-9]+ joined$' "$l" "chat join announcement"
exec 7<>"/dev/tcp/127.0.0.1/$cport"
IFS= read -r -t 10 l <&5 || fail "chat: no second join announcement"
IFS= read -r -t 10 l <&6 || fail "chat: no join announcement on the second client"
echo "hello all" >&5
IFS= read -r -t 10 l6 <&6 || fail "chat: client 2 got nothing"
IFS= read -r -t 10 l7 <&7 || fail "chat: client 3 got nothing"
assert_match '^[0-9]+: hello all$' "$l6" "chat line at client 2"
assert_eq "$l6" "$l7" "chat line at client 3"
exec 5>&-
IFS= read -r -t 10 l <&6 || fail "chat: no leave announcement"
assert_match '^\* [0-9]+ left$' "$l" "chat leave announcement"
exec 6>&- 7>&-
kill "$chat"
# The server's bash is blocked in a read of accept; once in a CI run it was
# still there 10 s after SIGTERM (not understood yet: see the issue's note).
# The listener comes from clone, so even SIGKILL closes it.
wait_until 5 sockfs_pid_gone "$chat" || { log "chat server: SIGTERM not taken in 5 s, SIGKILL"; kill -KILL "$chat"; }
wait_pid "$chat"
wait_until 10 bash -c '[[ -z "$(ls "$1" | grep -E "^[0-9]+$")" ]]' _ "$MNT" ||
	fail "sockets left after the chat server ended: $(ls_sockets | tr '\n' ' ')"

log "ok"
