#!/bin/bash
# Surviving abuse: a client SIGKILLed while blocked in a read and in a
# write of data (the daemon stays healthy, the socket usable); a peer's
# reset (ECONNRESET to the reader); writing after the peer closed (EPIPE to
# the writer, no SIGPIPE in the daemon); SIGTERM with sockets open (exit 0,
# unmounted, kernel sockets closed).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

daemon_alive() {
	sockfs_pid_gone "$SOCKFS_PID" && fail "the daemon died ($1)"
	assert_match '^[1-9][0-9]*$' "$(cat "$MNT/new")" "cat new after $1"
}

# A peer that does what it is told per connection: reset (SO_LINGER 0
# close), close, or sink (never read).
cat >"$WORK/peer.py" <<'PY'
import socket, struct, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
while True:
    c, _ = s.accept()
    if mode == "reset":
        c.recv(100)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    elif mode == "close":
        c.close()
    elif mode == "sink":
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        conns = getattr(sys, "conns", [])
        conns.append(c)
        sys.conns = conns
PY

# ---- killed mid-read
eport=$(free_port 127.0.0.1)
start_peer python3 "$HERE/peer.py" echo-server 127.0.0.1 "$eport"
wait_port 127.0.0.1 "$eport"
id=$(new_socket)
ctl "$id" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$eport]}"
cat "$MNT/$id/data" >/dev/null &
reader=$!
wait_blocked "$reader"
kill -KILL "$reader"
wait_pid "$reader"
daemon_alive "a reader was killed"
exec 3<>"$MNT/$id/data"
echo hello >&3
read -r -t 10 got <&3 || fail "no echo after the killed reader"
assert_eq hello "$got" "echo after a reader was killed mid-read"
exec 3>&-

# ---- killed mid-write (the peer never reads: the write blocks)
sport=$(free_port 127.0.0.1)
start_peer python3 "$WORK/peer.py" sink "$sport"
wait_port 127.0.0.1 "$sport"
w=$(new_socket)
ctl "$w" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$sport]}"
head -c 64M /dev/zero >"$MNT/$w/data" &
writer=$!
wait_blocked "$writer"
kill -KILL "$writer"
wait_pid "$writer"
daemon_alive "a writer was killed"
assert_json "$(cat "$MNT/$w/status")" 'j["state"] == "connected"' "status after the killed writer"
rmdir "$MNT/$w"
# The echo socket still works as well.
exec 3<>"$MNT/$id/data"
echo again >&3
read -r -t 10 got <&3 || fail "no echo after the killed writer"
assert_eq again "$got" "echo after a writer was killed mid-write"
exec 3>&-

# ---- peer reset: the next read fails with ECONNRESET
rport=$(free_port 127.0.0.1)
start_peer python3 "$WORK/peer.py" reset "$rport"
wait_port 127.0.0.1 "$rport"
r=$(new_socket)
ctl "$r" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$rport]}"
echo trigger >"$MNT/$r/data"
expect_fail "Connection reset by peer" timeout 10 cat "$MNT/$r/data"
daemon_alive "a peer reset"
assert_json "$(cat "$MNT/$r/err")" 'j["error"]["name"] == "ECONNRESET" and j["error"]["op"] == "recv"' "err after the reset"

# ---- writing after the peer closed: EPIPE, and the daemon lives
cport=$(free_port 127.0.0.1)
start_peer python3 "$WORK/peer.py" close "$cport"
wait_port 127.0.0.1 "$cport"
c=$(new_socket)
ctl "$c" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$cport]}"
# The peer's close reached us (EOF), then writes until the peer's reset
# makes one fail (the first write after a close is still taken).
exec {cfd}<"$MNT/$c/data"
expect_eof "$cfd" "data after the peer closed"
exec {cfd}<&-
errs=
epipe_write() {
	local err
	err=$(bash -c 'echo x >"$1"' _ "$MNT/$c/data" 2>&1) && return 1
	errs+="[$err]"
	[[ "$err" == *"Broken pipe"* ]]
}
wait_until 5 epipe_write || fail "writes after the peer closed never failed with EPIPE (errors: $errs)"
assert_json "$(cat "$MNT/$c/err")" 'j["error"]["name"] == "EPIPE" and j["error"]["op"] == "send"' "err after EPIPE"
daemon_alive "writes after the peer closed"
grep -qi sigpipe "$SOCKFS_TMP/daemon.log" && fail "the daemon log mentions SIGPIPE"

# ---- SIGTERM with sockets open: exit 0, unmounted, sockets closed
lst=$(new_socket)
ctl "$lst" '{"op":"bind","address":["127.0.0.1",0]}'
lport=$(json_get "$(cat "$MNT/$lst/addr")" 'j["local"][1]')
ctl "$lst" '{"op":"listen"}'
hport=$(free_port 127.0.0.1)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
c, _ = s.accept(); c.settimeout(20)
open(sys.argv[2] + ".tmp", "w").write("eof" if c.recv(10) == b"" else "data")
import os; os.rename(sys.argv[2] + ".tmp", sys.argv[2])
' "$hport" "$WORK/held" &
held=$!
SOCKFS_PEERS+=("$held")
wait_port 127.0.0.1 "$hport"
h=$(new_socket)
ctl "$h" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$hport]}"
cat "$MNT/$h/data" >/dev/null 2>&1 &
blocked=$!
wait_blocked "$blocked"
kill -TERM "$SOCKFS_PID"
wait_pid "$SOCKFS_PID" 10
assert_eq 0 "$WAIT_RC" "daemon's exit status after SIGTERM"
SOCKFS_PID=
sockfs_is_mounted && fail "$MNT is still mounted after SIGTERM"
wait_pid "$blocked" 10
wait_until 10 test -e "$WORK/held" || fail "the peer of a connected socket saw nothing after SIGTERM"
assert_eq eof "$(cat "$WORK/held")" "what the peer saw when the daemon ended"
[[ -z "$(ss -Hltn "sport = :$lport" 2>/dev/null)" ]] || fail "port $lport still listening after SIGTERM"
