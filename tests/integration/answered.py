"""answered.py MNT - requests answered once: two reads of one accept
file, AF_PACKET reads, a stream msgs write the kernel takes in part."""

import base64
import errno
import json
import os
import socket
import struct
import sys
import threading

import sfs
from sfs import check

sfs.mnt = sys.argv[1]


def ids():
    return sorted(int(n) for n in os.listdir(sfs.mnt) if n.isdigit())


def test_two_reads_one_accept():
    srv = sfs.new_socket()
    rc, r = sfs.ctl(srv, {"op": "bind", "address": ["127.0.0.1", 0]})
    port = r["address"][1]
    sfs.ctl(srv, {"op": "listen"})
    before = ids()
    fd = os.open(sfs.path(srv, "accept"), os.O_RDONLY)
    got, tids = [], []

    def reader():
        tids.append(threading.get_native_id())
        try:
            got.append(os.read(fd, 100))
        except OSError as e:
            got.append(-e.errno)

    ts = [threading.Thread(target=reader) for _ in range(2)]
    for t in ts:
        t.start()
    check(sfs.wait_for(lambda: len(tids) == 2 and all(sfs.blocked_in_fuse(t) for t in tids)),
          "both reads wait")
    c1 = socket.create_connection(("127.0.0.1", port))
    c2 = socket.create_connection(("127.0.0.1", port))
    for t in ts:
        t.join(5)
    check(not any(t.is_alive() for t in ts), "both reads of one accept file answered")
    new = [i for i in ids() if i not in before]
    check(len(new) == 1, "one open accept file accepts one connection (new sockets %r)" % new)
    texts = [g for g in got if isinstance(g, bytes) and g]
    check(len(texts) >= 1 and all(t == ("%d\n" % new[0]).encode() for t in texts if new),
          "the reads give its id, none is lost (%r)" % got)
    os.close(fd)
    for i in new:
        os.rmdir(os.path.join(sfs.mnt, str(i)))
    os.rmdir(os.path.join(sfs.mnt, srv))
    c1.close()
    c2.close()


def test_packet_read():
    fd = os.open(os.path.join(sfs.mnt, "new"), os.O_RDWR)
    try:
        os.write(fd, json.dumps({"family": "AF_PACKET", "type": "SOCK_DGRAM",
                                 "proto": socket.htons(0x0800)}).encode())
        sid = os.read(fd, 100).decode().strip()
    except OSError as e:
        check(False, "an AF_PACKET socket (%s)" % e)
        return
    finally:
        os.close(fd)
    # Unbound, it gets every IPv4 packet of the namespace (only lo).
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    res = {}

    def reader(name):
        f = os.open(sfs.path(sid, name), os.O_RDONLY)
        try:
            res[name] = os.read(f, 65536)
        except OSError as e:
            res[name] = -e.errno
        finally:
            os.close(f)

    for name in ("data", "msgs"):
        t = threading.Thread(target=reader, args=(name,))
        t.start()
        for _ in range(50):
            u.sendto(b"packet-probe", ("127.0.0.1", 9))
            t.join(0.1)
            if not t.is_alive():
                break
        check(not t.is_alive(), "a %s read of an AF_PACKET socket is answered" % name)
        v = res.get(name)
        check(isinstance(v, bytes) and len(v) > 0, "with a packet, not an error (%r)" % (v if not isinstance(v, bytes) else v[:40],))
    os.rmdir(os.path.join(sfs.mnt, sid))
    u.close()


def test_msgs_stream_partial():
    # The kernel takes a prefix of the message; the peer then resets. The
    # write was answered once, with success: the prefix went out, and a
    # retry would duplicate it. The reset shows on the next read.
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    l.bind(("127.0.0.1", 0))
    l.listen(1)
    sid = sfs.new_socket()
    rc, r = sfs.ctl(sid, {"op": "connect", "address": ["127.0.0.1", l.getsockname()[1]]})
    c, _ = l.accept()
    data = os.urandom(600000)
    res = {}

    def writer():
        fd = os.open(sfs.path(sid, "msgs"), os.O_WRONLY)
        try:
            os.write(fd, json.dumps({"data": base64.b64encode(data).decode(),
                                     "encoding": "base64"}).encode())
            res["rc"] = 0
        except OSError as e:
            res["rc"] = e.errno
        os.close(fd)

    t = threading.Thread(target=writer)
    t.start()
    t.join(3)  # answered at once (the rest queued); before, it waited here
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    t.join(10)
    check(res.get("rc") == 0, "a msgs write the kernel took in part is answered once, with success (%r)" % res.get("rc"))
    fd = os.open(sfs.path(sid, "data"), os.O_RDONLY)
    try:
        r = os.read(fd, 100)
    except OSError as e:
        r = -e.errno
    os.close(fd)
    check(r in (-errno.ECONNRESET, -errno.EPIPE), "the reset shows on the next read (%r)" % (r,))
    os.rmdir(os.path.join(sfs.mnt, sid))
    l.close()


for t in [test_two_reads_one_accept, test_packet_read, test_msgs_stream_partial]:
    print("--", t.__name__, flush=True)
    t()
sys.exit(sfs.done())
