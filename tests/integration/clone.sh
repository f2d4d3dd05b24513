#!/bin/bash
# clone: a socket per open file, whose lifetime is that open file (Plan 9's
# clone). The id is read from it, commands are written to it, and the
# socket closes with the last descriptor: a killed script leaves nothing.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

port=$(free_port 127.0.0.1)
start_peer python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept()
    d = c.recv(100)
    c.sendall(b"echo:" + d); c.close()
' "$port"
wait_port 127.0.0.1 "$port"

[[ -e "$MNT/clone" ]] || fail "no clone file at the root"
assert_match '(^| )clone( |$)' "$(ls "$MNT" | tr '\n' ' ')" "the root lists clone"

# The README's form: open, read the id, write a command, read its reply.
exec 3<>"$MNT/clone"
read -r id <&3
[[ "$id" =~ ^[1-9][0-9]*$ ]] || fail "read of clone: expected a socket id, got [$id]"
[[ -d "$MNT/$id" ]] || fail "clone gave $id but $MNT/$id is not a directory"
echo "connect 127.0.0.1 $port" >&3
read -r reply <&3
assert_json "$reply" 'j["ok"] and j["op"] == "connect" and j["address"] == ["127.0.0.1", '"$port"']' "reply of connect on clone"
assert_json "$(cat "$MNT/$id/status")" 'j["state"] == "connected"' "status after connect on clone"
printf 'hi' >"$MNT/$id/data"
assert_eq "echo:hi" "$(timeout 10 cat "$MNT/$id/data")" "bytes through a clone socket"
# A JSON command on clone, as on ctl.
echo '{"op":"gettimeout"}' >&3
read -r reply <&3
assert_json "$reply" 'j["ok"] and j["timeout"] is None' "JSON command on clone"
# Closing the descriptor closes the socket.
exec 3>&-
wait_until 5 test ! -e "$MNT/$id" || fail "socket $id still there after its clone file closed"

# A file of the socket opened meanwhile keeps it: it closes with the last.
exec 3<>"$MNT/clone"
read -r id <&3
exec 4<"$MNT/$id/status"
exec 3>&-
[[ -d "$MNT/$id" ]] || fail "socket $id closed while its status file was still open"
exec 4<&-
wait_until 5 test ! -e "$MNT/$id" || fail "socket $id still there after its last file closed"

# A command written before the id is read: the id still comes first.
exec 3<>"$MNT/clone"
echo "connect 127.0.0.1 $port" >&3
read -r id <&3
read -r reply <&3
[[ "$id" =~ ^[1-9][0-9]*$ ]] || fail "clone read after a command: expected the id first, got [$id]"
assert_json "$reply" 'j["ok"] and j["op"] == "connect"' "reply after the id"
exec 3>&-

# A failed command fails the write with its errno; the error is read back.
exec 3<>"$MNT/clone"
read -r id <&3
expect_write_error "Invalid argument" eval 'echo "listen x" >&3'
read -r reply <&3
assert_json "$reply" 'j["error"]["name"] == "EINVAL"' "error read back from clone"
echo close >&3
read -r reply <&3
assert_json "$reply" 'j["ok"] and j["op"] == "close"' "close on clone"
expect_write_error "Bad file descriptor" eval 'echo getsockname >&3'
exec 3>&-

# A killed script leaves nothing: a listener made on clone by a process
# that is killed -9 closes, and the port is free again at once.
lport=$(free_port 127.0.0.1)
bash -c '
exec 3<>"$1/clone"
read -r id <&3
echo "$id" > "$2"
echo "bind 127.0.0.1 $3" >&3
echo "listen 4" >&3
exec sleep 60
' _ "$MNT" "$WORK/lid" "$lport" &
spid=$!
wait_port 127.0.0.1 "$lport"
lid=$(cat "$WORK/lid")
[[ -d "$MNT/$lid" ]] || fail "the killed script's socket $lid is not there before the kill"
kill -9 "$spid"
wait_pid "$spid"
wait_until 5 test ! -e "$MNT/$lid" || fail "socket $lid survived the kill of the script that held its clone file"
wait_until 5 bash -c '! ss -Hltn "sport = :$1" | grep -q .' _ "$lport" || fail "port $lport still listened on after the kill"
# The rerun binds the same port.
exec 3<>"$MNT/clone"
read -r id <&3
echo "bind 127.0.0.1 $lport" >&3
read -r reply <&3
assert_json "$reply" 'j["ok"] and j["address"][1] == '"$lport" "rerun binds the freed port"
exec 3>&-

# Reading new is unchanged: its sockets live on after the file closes.
read -r nid <"$MNT/new"
[[ -d "$MNT/$nid" ]] || fail "a socket from new closed with its file"
echo close >"$MNT/$nid/ctl"

assert_eq "" "$(ls_sockets)" "sockets left"
log "ok"
