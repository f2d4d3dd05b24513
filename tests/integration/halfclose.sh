#!/bin/bash
# Half-close: with halfclose on (per socket, or the mount's
# defaulthalfclose), closing the last open file of data opened for writing
# shuts the sending side down after the queued bytes, so request-then-EOF
# protocols end as with socat. Off (the default): nothing happens.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

# The peer reads to EOF, then answers with the byte count and closes; a
# peer that gets no EOF answers "no-eof" after 2 s.
port=$(free_port 127.0.0.1)
start_peer python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept(); c.settimeout(2); n = 0
    try:
        while True:
            d = c.recv(65536)
            if not d:
                break
            n += len(d)
        c.sendall(b"eof after %d" % n)
    except socket.timeout:
        c.sendall(b"no-eof")
    c.close()
' "$port"
wait_port 127.0.0.1 "$port"

assert_eq "off" "$(cat "$MNT/defaulthalfclose")" "defaulthalfclose at mount"

# Off: closing data sends no EOF.
read -r id <"$MNT/new"
echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
echo hello >"$MNT/$id/data"
assert_eq "no-eof" "$(timeout 10 cat "$MNT/$id/data")" "halfclose off"
echo close >"$MNT/$id/ctl"

# On, per socket (text form): `echo > data` ends the request.
read -r id <"$MNT/new"
exec 3<>"$MNT/$id/ctl"
echo "halfclose on" >&3
read -r r <&3
assert_json "$r" 'j["ok"] and j["halfclose"] is True' "halfclose on"
echo "connect 127.0.0.1 $port" >&3
read -r r <&3
exec 3>&-
echo hello >"$MNT/$id/data"
assert_eq "eof after 6" "$(timeout 10 cat "$MNT/$id/data")" "halfclose on: echo > data"
assert_json "$(cat "$MNT/$id/status")" 'j["state"] == "connected"' "the socket stays open after a half-close"
echo close >"$MNT/$id/ctl"

# Only the last writer: two open files for writing, EOF after the second.
read -r id <"$MNT/new"
echo '{"op":"halfclose","enable":true}' >"$MNT/$id/ctl"
echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
exec 4>"$MNT/$id/data"
exec 5>"$MNT/$id/data"
printf 'ab' >&4
exec 4>&-
printf 'cde' >&5
# A reader does not count: a read-only open and close changes nothing.
exec 6<"$MNT/$id/status"
exec 6<&-
exec 5>&-
assert_eq "eof after 5" "$(timeout 10 cat "$MNT/$id/data")" "EOF after the last writer"
echo close >"$MNT/$id/ctl"

# Queued bytes go first: a large write, then EOF after all of it.
read -r id <"$MNT/new"
echo "halfclose on" >"$MNT/$id/ctl"
echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
head -c 3000000 /dev/zero >"$MNT/$id/data"
assert_eq "eof after 3000000" "$(timeout 20 cat "$MNT/$id/data")" "EOF after queued bytes"
echo close >"$MNT/$id/ctl"

# The mount's default, and a socket that says off.
echo on >"$MNT/defaulthalfclose"
assert_eq "on" "$(cat "$MNT/defaulthalfclose")" "defaulthalfclose after echo on"
read -r id <"$MNT/new"
echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
printf 'GET' >"$MNT/$id/data"
assert_eq "eof after 3" "$(timeout 10 cat "$MNT/$id/data")" "defaulthalfclose on"
echo close >"$MNT/$id/ctl"
read -r id <"$MNT/new"
echo "halfclose off" >"$MNT/$id/ctl"
echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
printf 'GET' >"$MNT/$id/data"
assert_eq "no-eof" "$(timeout 10 cat "$MNT/$id/data")" "halfclose off beats the default"
echo close >"$MNT/$id/ctl"
# One <> open for both directions, as a script on fd 3 would.
read -r id <"$MNT/new"
echo "connect 127.0.0.1 $port" >"$MNT/$id/ctl"
exec 3<>"$MNT/$id/data"
printf 'xy' >&3
exec 3>&-
assert_eq "eof after 2" "$(timeout 10 cat "$MNT/$id/data")" "<> data closed"
echo close >"$MNT/$id/ctl"
expect_write_error "Invalid argument" put "$MNT/defaulthalfclose" "sometimes"
echo off >"$MNT/defaulthalfclose"
expect_write_error "Invalid argument" put "$MNT/$(read -r x <"$MNT/new"; echo "$x")/ctl" "halfclose maybe"

log "ok"
