#!/bin/bash
# SIGTERM with bytes queued: sockfs stops taking requests, sends what
# write(2) acknowledged (within -o drain_timeout), then exits 0; what it
# cannot send in time is dropped with a reset and logged.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

SOCKFS_OPTS="drain_timeout=5"
sockfs_mount

# A peer that reads nothing until told (a file appears), then everything.
port=$(free_port 127.0.0.1)
start_peer python3 -c '
import hashlib, os, socket, sys, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
l.bind(("127.0.0.1", int(sys.argv[1]))); l.listen(1)
c, _ = l.accept()
for _ in range(600):
    if os.path.exists(sys.argv[2]): break
    time.sleep(0.05)
h, n = hashlib.sha256(), 0
c.settimeout(20)
while True:
    b = c.recv(1 << 20)
    if not b: break
    h.update(b); n += len(b)
open(sys.argv[3], "w").write("%d %s\n" % (n, h.hexdigest()))
' "$port" "$WORK/go" "$WORK/got"
wait_port 127.0.0.1 "$port"

id=$(new_socket)
ctl "$id" "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",$port]}"
head -c 16000000 /dev/urandom >"$WORK/bytes"
# Non-blocking writes until the daemon takes no more: every byte a write
# returned for is acknowledged.
sent=$(python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
data = open(sys.argv[2], "rb").read()
n = 0
while n < len(data):
    try:
        n += os.write(fd, data[n:n + 65536])
    except BlockingIOError:
        break
print(n)
' "$MNT/$id/data" "$WORK/bytes")
((sent > 1000000)) || fail "expected more than 1 MB acknowledged, got $sent"
head -c "$sent" "$WORK/bytes" | sha256sum | cut -d' ' -f1 >"$WORK/want"

kill -TERM "$SOCKFS_PID"
touch "$WORK/go"
wait_pid "$SOCKFS_PID" 15
assert_eq 0 "$WAIT_RC" "sockfs exit status after SIGTERM"
SOCKFS_PID=
wait_until 10 test -s "$WORK/got" || fail "the peer did not see the end of the stream"
read -r n h <"$WORK/got"
assert_eq "$sent" "$n" "bytes the peer got of those acknowledged"
assert_eq "$(cat "$WORK/want")" "$h" "sha256 of what the peer got"
