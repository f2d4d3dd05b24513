#!/bin/bash
# Large transfers through data: 24 MiB in 1 MiB writes while the peer does
# not read (so sends go short, bytes queue in the daemon and the writer
# parks), then read by the peer and compared byte for byte; the other way,
# peer -> data, read in 1 MiB reads (answered with splice), compared, and
# ended by the peer's EOF so a lost byte fails rather than hangs. Then a
# 20 KiB ctl command (JSON padded with spaces) still runs and replies.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

sockfs_mount

id=$(new_socket)
python3 - "$MNT" "$id" <<'PY'
import hashlib, json, mmap, os, socket, sys, threading, time

mnt, sid = sys.argv[1], sys.argv[2]
TOTAL, CHUNK = 24 << 20, 1 << 20

def fail(msg):
    print("large_writes: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)

lst = socket.socket()
lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
lst.bind(("127.0.0.1", 0))
lst.listen(1)
port = lst.getsockname()[1]
with open(f"{mnt}/{sid}/ctl", "w") as c:
    c.write(json.dumps({"op": "connect", "address": ["127.0.0.1", port]}))
peer, _ = lst.accept()
peer.settimeout(30)

# A deterministic pattern; writes from an aligned (mmap) and an unaligned
# buffer, so requests come both whole and split at the 256-page limit.
pat = bytes((i * 7 + (i >> 11)) & 0xFF for i in range(TOTAL + CHUNK))
aligned = mmap.mmap(-1, CHUNK)
fd = os.open(f"{mnt}/{sid}/data", os.O_RDWR)
state = {"sent": 0, "err": None}

def writer():
    state["tid"] = threading.get_native_id()
    try:
        pos = 0
        while pos < TOTAL:
            if (pos // CHUNK) % 2:
                aligned[:] = pat[pos:pos + CHUNK]
                n = os.write(fd, aligned)
            else:
                n = os.write(fd, memoryview(pat)[pos:pos + CHUNK])
            pos += n
            state["sent"] = pos
    except Exception as e:
        state["err"] = e

def parked():
    # The writer waits in a FUSE write while the daemon's queue holds bytes:
    # the socket, the peer's small receive buffer and the queue are full.
    try:
        w = open("/proc/self/task/%d/wchan" % state["tid"]).read()
        st = json.load(open(f"{mnt}/{sid}/status"))
    except (OSError, KeyError, ValueError):
        return False
    return ("fuse" in w or "request_wait_answer" in w) and st.get("queued", 0) > 0


t = threading.Thread(target=writer)
t.start()
end = time.monotonic() + 20
while time.monotonic() < end and t.is_alive() and not parked():
    time.sleep(0.01)
if not parked():
    fail("the writer did not park on a full queue (sent %d)" % state["sent"])
got = bytearray()
while len(got) < TOTAL:
    b = peer.recv(1 << 20)
    if not b:
        fail(f"peer saw EOF after {len(got)} bytes")
    got += b
t.join(30)
if t.is_alive() or state["err"]:
    fail(f"writer: {state['err'] or 'did not finish'}")
if hashlib.sha256(got).digest() != hashlib.sha256(pat[:TOTAL]).digest():
    i = next(i for i in range(TOTAL) if got[i] != pat[i])
    fail(f"data -> peer: bytes differ from byte {i}")

# The other way: the peer sends, the data file is read in 1 MiB reads.
def peer_send():
    peer.sendall(pat[:TOTAL])
    peer.shutdown(socket.SHUT_WR)  # a lost byte shows as an early EOF
t = threading.Thread(target=peer_send)
t.start()
got = bytearray()
while len(got) < TOTAL:
    b = os.read(fd, CHUNK)
    if not b:
        fail(f"data read EOF after {len(got)} bytes")
    got += b
t.join(30)
if os.read(fd, CHUNK) != b"":
    fail("data read: more bytes than were sent")
if bytes(got) != pat[:TOTAL]:
    i = next(i for i in range(TOTAL) if got[i] != pat[i])
    fail(f"peer -> data: bytes differ from byte {i}")
os.close(fd)

# A large command: 20 KiB of JSON (padded with spaces) on a held ctl file.
cmd = '{"op":"getsockname"' + " " * 20480 + "}"
cfd = os.open(f"{mnt}/{sid}/ctl", os.O_RDWR)
if os.write(cfd, cmd.encode()) != len(cmd):
    fail("short write of the large command")
reply = json.loads(os.read(cfd, 4096))
os.close(cfd)
if not reply.get("ok") or reply.get("address", [None])[0] != "127.0.0.1":
    fail(f"large command: reply {reply}")
PY
rmdir "$MNT/$id"
