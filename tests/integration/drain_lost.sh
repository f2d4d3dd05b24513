#!/bin/bash
# SIGTERM with bytes queued to a peer that never reads: sockfs gives up
# after -o drain_timeout, resets the connection (the peer sees an error,
# not a clean end) and logs what it dropped; it still exits 0.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

SOCKFS_OPTS="drain_timeout=1"
sockfs_mount

port=$(free_port 127.0.0.1)
# Reads nothing until the daemon is gone, then reports how the stream ended.
start_peer python3 -c '
import os, socket, sys, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(1)
c, _ = l.accept()
pid = int(open(sys.argv[2]).read())
for _ in range(600):
    if not os.path.exists("/proc/%d" % pid) or open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[0] == "Z":
        break
    time.sleep(0.05)
c.settimeout(10)
how = "eof"
try:
    while c.recv(1 << 20):
        pass
except OSError as e:
    how = type(e).__name__
open(sys.argv[3], "w").write(how + "\n")
' "$port" "$WORK/pid" "$WORK/how"
echo "$SOCKFS_PID" >"$WORK/pid"
wait_port 127.0.0.1 "$port"

id=$(new_socket)
ctl "$id" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$port]}"
sent=$(python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
n = 0
while n < (64 << 20):
    try:
        n += os.write(fd, b"x" * 65536)
    except BlockingIOError:
        break
print(n)
' "$MNT/$id/data")
queued=$(json_get "$(cat "$MNT/$id/status")" 'j["queued"]')
((queued > 0)) || fail "expected bytes queued in the daemon (sent $sent)"

t0=$(date +%s%N)
kill -TERM "$SOCKFS_PID"
wait_pid "$SOCKFS_PID" 10
assert_eq 0 "$WAIT_RC" "sockfs exit status after SIGTERM"
el=$((($(date +%s%N) - t0) / 1000000))
SOCKFS_PID=
((el < 6000)) || fail "sockfs took ${el} ms to exit with drain_timeout=1"
assert_match "drain: 1 socket\(s\) still had [0-9]+ queued byte\(s\)" "$(cat "$SOCKFS_TMP/daemon.log")" "the drain's log line"
wait_until 10 test -s "$WORK/how" || fail "the peer did not see the end"
assert_eq ConnectionResetError "$(cat "$WORK/how")" "how the peer's stream ended"
