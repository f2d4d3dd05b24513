#!/bin/bash
# The root's stats file: FUSE requests by opcode and the open sockets, as
# one JSON document per open; read-only; counters only grow; the requests
# per action that bench/README.md gives for clone and a kept data fd.
. "$(dirname "$0")/lib.sh"
sockfs_mount

s0=$(cat "$MNT/stats")
assert_json "$s0" 'j["requests"]["INIT"] == 1 and j["requests"]["OPEN"] >= 1 and j["sockets"] == 0' "stats at mount"
assert_json "$s0" 'j["requests_total"] == sum(j["requests"].values())' "the total is the sum"
ls "$MNT" | grep -qx stats || fail "stats is not listed in the root"

# One socket, one write to its ctl: OPEN, WRITE and RELEASE are counted.
read -r id <"$MNT/new"
put "$MNT/$id/ctl" '{"op":"setblocking","flag":true}'
s1=$(cat "$MNT/stats")
assert_json "$s1" 'j["sockets"] == 1' "one socket open"
python3 - "$s0" "$s1" <<'PY' || fail "counters did not grow as expected: $s0 -> $s1"
import json, sys
a, b = (json.loads(x)["requests"] for x in sys.argv[1:])
for op in ("OPEN", "READ", "RELEASE"):
    assert b.get(op, 0) >= a.get(op, 0) + 2, op  # new and ctl, then stats
assert b.get("WRITE", 0) >= a.get("WRITE", 0) + 1, "WRITE"
assert all(b.get(k, 0) >= v for k, v in a.items())
PY

# A snapshot: one open file reads one document, whatever happens after.
exec 3<"$MNT/stats"
ctl "$id" '{"op":"close"}'
snap=$(cat <&3)
exec 3<&-
assert_json "$snap" 'j["sockets"] == 1' "the snapshot of the open file"
assert_json "$(cat "$MNT/stats")" 'j["sockets"] == 0' "after close"

# Requests per action (bench/README.md): a socket made, connected and
# closed through clone is 4 requests (OPEN, WRITE connect, WRITE close,
# RELEASE) and a line written on a kept data fd is 1 (WRITE), with no
# LOOKUP, GETATTR or FLUSH between; counted as the daemon reads them.
python3 - "$MNT" <<'PY' || fail "requests per action differ from bench/README.md's"
import json, os, socket, sys, time
mnt, n = sys.argv[1], 20
def snap():  # os.read: Python's open() adds a GETATTR and an IOCTL
    fd, text = os.open(os.path.join(mnt, "stats"), os.O_RDONLY), b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        text += chunk
    os.close(fd)
    return json.loads(text)["requests"]
def delta(a, b):
    return {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b) if b.get(k, 0) != a.get(k, 0)}
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(64)
cmd = json.dumps({"op": "connect", "address": ["127.0.0.1", ls.getsockname()[1]]}).encode()
def cycle():
    fd = os.open(os.path.join(mnt, "clone"), os.O_RDWR)
    os.write(fd, cmd)
    os.write(fd, b'{"op":"close"}')
    os.close(fd)
    ls.accept()[0].close()
cycle()  # the first open of clone looks it up
a, b = snap(), snap()
cost = delta(a, b)  # a read of stats: its OPEN and READs (RELEASE comes later)
assert set(cost) <= {"OPEN", "READ", "RELEASE"} and cost["OPEN"] == 1, cost
for _ in range(n):
    cycle()
# RELEASE is sent in the background: wait (bounded) for all of them, one
# per cycle and one per earlier read of stats.
deadline, k = time.monotonic() + 10, 0
while True:
    c, k = snap(), k + 1
    d = delta(b, c)
    if d.get("RELEASE", 0) >= n + k or time.monotonic() > deadline:
        break
want = {"OPEN": n + k, "WRITE": 2 * n, "RELEASE": n + k}
if cost.get("READ"):
    want["READ"] = k * cost["READ"]
assert d == want, ("clone connect+close", d, want)

# a line on a kept data fd
with open(os.path.join(mnt, "new")) as f:
    sid = f.read().strip()
with open(os.path.join(mnt, sid, "ctl"), "w") as f:
    f.write(json.dumps({"op": "connect", "address": ["127.0.0.1", ls.getsockname()[1]]}))
peer2 = ls.accept()[0]
fd = os.open(os.path.join(mnt, sid, "data"), os.O_WRONLY)
a = snap()
for i in range(n):
    assert os.write(fd, b"line %d\n" % i) == len(b"line %d\n" % i)
b = snap()
d = delta(a, b)
assert d.get("WRITE") == n and d.get("OPEN") == 1 and d.get("READ", 0) == cost.get("READ", 0), d
assert set(d) <= {"OPEN", "READ", "RELEASE", "WRITE"} and d.get("RELEASE", 0) <= 1, d
got = b""
while got.count(b"\n") < n:
    got += peer2.recv(4096)
assert got == b"".join(b"line %d\n" % i for i in range(n)), got
os.close(fd)
with open(os.path.join(mnt, sid, "ctl"), "w") as f:
    f.write('{"op":"close"}')
PY

# Read-only.
expect_fail "Permission denied" as_nobody sh -c "echo x > '$MNT/stats'"
exit 0
