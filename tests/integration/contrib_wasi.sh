#!/bin/bash
# contrib/wasi: the C library and its example, built with clang and
# wasi-libc, run under node's wasi with only the mount preopened, against
# local servers: an HTTP GET, a UDP exchange with the source shown, and a
# server that accepts one client.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WASI=$(cd "$HERE/../../contrib/wasi" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

command -v clang >/dev/null || skip "clang is missing (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)"
command -v node >/dev/null || skip "node is missing (apt-get install nodejs)"
tmp=$(mktemp -d)
if ! "$WASI/build.sh" "$tmp/demo.wasm" 2>"$tmp/build.log"; then
	if grep -qE "wasi|wasm|lld|stdio.h|libclang_rt" "$tmp/build.log"; then
		why=$(head -c 300 "$tmp/build.log")
		rm -rf "$tmp"
		skip "no WASI toolchain: $why (apt-get install lld wasi-libc libclang-rt-14-dev-wasm32)"
	fi
	fail "build: $(cat "$tmp/build.log")"
fi
node -e 'require("node:wasi")' 2>/dev/null || {
	rm -rf "$tmp"
	skip "this node has no wasi module"
}

sockfs_mount
mv "$tmp/demo.wasm" "$WORK/" && rm -rf "$tmp"
run() { timeout 30 node --no-warnings "$WASI/run.mjs" "$MNT" "$WORK/demo.wasm" "$@"; }

# HTTP GET of a served file.
mkdir "$WORK/www"
echo "served to a wasm module" >"$WORK/www/f.txt"
hport=$(free_port 127.0.0.1)
start_peer python3 -m http.server "$hport" --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/http.log" 2>&1
wait_port 127.0.0.1 "$hport"
out=$(run http 127.0.0.1 "$hport" /f.txt)
assert_match '^HTTP/1\.[01] 200' "$out" "wasm http: status"
[[ "$out" == *$'\r\n\r\nserved to a wasm module' ]] || fail "wasm http: body missing in [$out]"
# A host name through getaddrinfo (net/query).
out=$(run http localhost "$hport" /f.txt)
[[ "$out" == *"served to a wasm module" ]] || fail "wasm http via localhost: [$out]"
# Refused: connect's errno, as this libc numbers it.
err=$(run http 127.0.0.1 "$(free_port 127.0.0.1)" / 2>&1 >/dev/null) && fail "wasm http to a closed port succeeded"
assert_match 'connect: Connection refused' "$err" "wasm connect refused"

# UDP: sendto, recvfrom with the source address.
uport=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_peer python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    d, a = s.recvfrom(2048); s.sendto(b"echo:" + d, a)
' "$uport"
wait_until 10 bash -c '[[ -n "$(ss -Hlun "sport = :$1")" ]]' _ "$uport" || fail "the UDP server did not start"
assert_eq "127.0.0.1 $uport echo:ping" "$(run udp 127.0.0.1 "$uport" ping)" "wasm udp"

# A server: bind, listen, accept one real client.
sport=$(free_port 127.0.0.1)
run serve "$sport" >"$WORK/serve.out" 2>&1 &
spid=$!
wait_port 127.0.0.1 "$sport"
got=$(python3 -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.sendall(b"hello wasm"); print(c.recv(100).decode())' "$sport")
assert_eq "HELLO WASM" "$got" "wasm server's answer"
wait_pid "$spid" 20
assert_eq 0 "$WAIT_RC" "wasm server's exit status"
assert_match 'served a client from 127\.0\.0\.1' "$(cat "$WORK/serve.out")" "wasm accept's address"

wait_until 5 bash -c '[[ -z "$(ls "$1" | grep -E "^[0-9]+$")" ]]' _ "$MNT" ||
	fail "sockets left by the wasm runs: $(ls_sockets | tr '\n' ' ')"
log "ok"
