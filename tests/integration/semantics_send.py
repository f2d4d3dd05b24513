"""sendmsg through msgs writes, compared with the socket module's sendmsg
on the same operation: ancillary items by number and by name, odd sizes,
SCM_CREDENTIALS checked against the writer, and any descriptor of the
writer over SCM_RIGHTS ({"fd": n}). Run as root and as nobody.

Usage: semantics_send.py MOUNTPOINT. Exits 0 when all checks pass.
"""
import array
import base64
import errno
import json
import os
import socket
import struct
import sys
import tempfile

import sfs
from sfs import check, ctl, new_socket

mnt = sfs.mnt = sys.argv[1]
who = "uid %d" % os.getuid()


def b64(b):
    return base64.b64encode(b).decode()


def msgs_write(sid, obj):
    """One msgs write: its errno (0 when it succeeded)."""
    fd = os.open(sfs.path(sid, "msgs"), os.O_WRONLY)
    try:
        os.write(fd, json.dumps(obj).encode())
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


def ref_sendmsg(sock, data, anc, addr=None):
    try:
        if addr is None:
            sock.sendmsg([data], anc)
        else:
            sock.sendmsg([data], anc, 0, addr)
        return 0
    except OSError as e:
        return e.errno


def items(anc):
    return sorted((l, t, d) for l, t, d in anc)


INT = struct.Struct("i")
IP_RECVTTL, IP_PKTINFO = 12, 8  # Linux values the socket module lacks

# ancillary items over UDP ------------------------------------------------

for fam, host, opts in ((socket.AF_INET6, "::1", [(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT),
                                                  (socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS)]),
                        (socket.AF_INET, "127.0.0.1", [(socket.IPPROTO_IP, IP_RECVTTL),
                                                       (socket.IPPROTO_IP, socket.IP_RECVTOS)])):
    rx = socket.socket(fam, socket.SOCK_DGRAM)
    rx.bind((host, 0))
    for level, opt in opts:
        rx.setsockopt(level, opt, 1)
    rx.settimeout(5)
    dest = list(rx.getsockname()[:2])
    ref = socket.socket(fam, socket.SOCK_DGRAM)
    sid = new_socket(family=fam.name, type="SOCK_DGRAM")
    if fam == socket.AF_INET6:
        cases = [
            ("IPV6_HOPLIMIT by number", [{"level": 41, "type": 52, "data": b64(INT.pack(2))}],
             [(41, 52, INT.pack(2))]),
            ("IPV6_HOPLIMIT by name", [{"IPV6_HOPLIMIT": 3}], [(41, 52, INT.pack(3))]),
            ("IPV6_TCLASS and IPV6_HOPLIMIT", [{"IPV6_TCLASS": 4}, {"IPV6_HOPLIMIT": 9}],
             [(41, 67, INT.pack(4)), (41, 52, INT.pack(9))]),
            ("level by name", [{"level": "IPPROTO_IPV6", "type": 52, "data": b64(INT.pack(7))}],
             [(41, 52, INT.pack(7))]),
            ("IPV6_PKTINFO", [{"IPV6_PKTINFO": {"address": "::1", "ifindex": 0}}],
             [(41, socket.IPV6_PKTINFO, socket.inet_pton(socket.AF_INET6, "::1") + INT.pack(0))]),
            ("an odd size", [{"level": 41, "type": 52, "data": b64(b"\2\0\0")}], [(41, 52, b"\2\0\0")]),
            ("a hop limit out of range", [{"IPV6_HOPLIMIT": 256}], [(41, 52, INT.pack(256))]),
            # privileged: CAP_NET_RAW, checked against the writer
            ("IPV6_HOPOPTS", [{"level": 41, "type": socket.IPV6_HOPOPTS, "data": b64(bytes([0, 0, 1, 4, 0, 0, 0, 0]))}],
             [(41, socket.IPV6_HOPOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))]),
        ]
    else:
        cases = [
            ("IP_TTL by name", [{"IP_TTL": 5}], [(0, socket.IP_TTL, INT.pack(5))]),
            ("IP_TOS by name", [{"IP_TOS": 8}], [(0, socket.IP_TOS, INT.pack(8))]),
            ("IP_PKTINFO", [{"IP_PKTINFO": {"address": "127.0.0.1", "ifindex": 0}}],
             [(0, IP_PKTINFO, INT.pack(0) + socket.inet_aton("127.0.0.1") + bytes(4))]),
            ("IP_TTL, an odd size", [{"level": 0, "type": socket.IP_TTL, "data": b64(b"\5")}],
             [(0, socket.IP_TTL, b"\5")]),
        ]
    for what, anc, ref_anc in cases:
        rc = msgs_write(sid, {"data": "x", "address": dest, "ancillary": anc})
        rrc = ref_sendmsg(ref, b"x", ref_anc, tuple(dest))
        check(rc == rrc, "%s (%s): sendmsg errno %d, the module %d" % (what, who, rc, rrc))
        if rc == 0 and rrc == 0:
            got = [rx.recvmsg(10, 4096) for _ in range(2)]
            check(got[0][0] == got[1][0] == b"x" and items(got[0][1]) == items(got[1][1]),
                  "%s: the receiver sees the same ancillary data: %s / %s" % (what, got[0][1], got[1][1]))
    rc = msgs_write(sid, {"data": "x", "address": dest, "ancillary": [{"IPV6_NOSUCH": 1}]})
    check(rc == errno.EINVAL, "an unknown name: EINVAL (%d)" % rc)
    rc = msgs_write(sid, {"data": "x", "address": dest, "ancillary": [{"level": 1, "type": 1, "data": b64(INT.pack(0))}]})
    check(rc == errno.EINVAL, "SCM_RIGHTS by number is refused: fds carries descriptors (%d)" % rc)
    rx.close(), ref.close()
    ctl(sid, {"op": "close"})

# SCM_CREDENTIALS, checked as the kernel checks the writer --------------------

rx = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
rx.bind(b"\0sfs-creds-%d" % os.getpid())
rx.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
rx.settimeout(5)
ref = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sid = new_socket(family="AF_UNIX", type="SOCK_DGRAM")
dest = "\0" + rx.getsockname()[1:].decode()
for what, (pid, uid, gid) in (("the writer's own", (os.getpid(), os.getuid(), os.getgid())),
                              ("uid 0", (os.getpid(), 0, os.getgid())),
                              ("gid 0", (os.getpid(), os.getuid(), 0)),
                              ("pid 1", (1, os.getuid(), os.getgid()))):
    rc = msgs_write(sid, {"data": "c", "address": dest,
                          "ancillary": [{"SCM_CREDENTIALS": {"pid": pid, "uid": uid, "gid": gid}}]})
    rrc = ref_sendmsg(ref, b"c", [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS,
                                   struct.pack("iII", pid, uid, gid))], rx.getsockname())
    check(rc == rrc, "SCM_CREDENTIALS %s (%s): errno %d, the module %d" % (what, who, rc, rrc))
    if rc == 0 and rrc == 0:
        got = [rx.recvmsg(10, 4096) for _ in range(2)]
        check(items(got[0][1]) == items(got[1][1]),
              "SCM_CREDENTIALS %s: the receiver sees %s, from the module %s" % (what, got[0][1], got[1][1]))
rx.close(), ref.close()

# SCM_RIGHTS with any descriptor of the writer --------------------------------

a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
sid = new_socket()
rc, r = ctl(sid, {"op": "socketpair", "type": "SOCK_DGRAM"})
peer = str(r["ids"][1])
tmpf = tempfile.TemporaryFile()
tmpf.write(b"file contents")
tmpf.flush()
rfd, wfd = os.pipe()
fds_seen = []
for what, fd in (("a file", tmpf.fileno()), ("a pipe", wfd)):
    rc = msgs_write(sid, {"data": "f", "fds": [{"fd": fd}]})
    rrc = ref_sendmsg(b, b"f", [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))])
    check(rc == rrc == 0, "fds [{\"fd\": %d}] (%s, %s): errno %d, the module %d" % (fd, what, who, rc, rrc))
# the module receives both from its own pair; sockfs's peer gets them as msgs
for what, fd in (("a file", tmpf.fileno()), ("a pipe", wfd)):
    data, anc, flags, addr = a.recvmsg(10, socket.CMSG_SPACE(4))
    got = array.array("i", anc[0][2])[0]
    check(os.fstat(got).st_ino == os.fstat(fd).st_ino, "the module passes %s" % what)
    os.close(got)
rc = msgs_write(sid, {"data": "f", "fds": [{"fd": 999}]})
rrc = ref_sendmsg(b, b"f", [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [999]))])
check(rc == rrc == errno.EBADF, "a descriptor the writer does not have: EBADF, as the module (%d, %d)" % (rc, rrc))
rc = msgs_write(sid, {"data": "f", "fds": [{"fd": "x"}]})
check(rc == errno.EINVAL, "fds {\"fd\": \"x\"}: EINVAL (%d)" % rc)


# the receiving side: sockfs keeps the descriptors and serves them as N/fdK


def msgs_read(sid):
    fd = os.open(sfs.path(sid, "msgs"), os.O_RDONLY)
    try:
        return json.loads(os.read(fd, 1 << 20))
    finally:
        os.close(fd)


held = [msgs_read(peer)["ancillary"]["fds"][0] for _ in range(2)]
check([h["kind"] for h in held] == ["file", "fifo"] and all(h["id"] is None for h in held)
      and [h["path"] for h in held] == ["%s/fd0" % peer, "%s/fd1" % peer],
      "received descriptors that are not sockets are kept: %s" % held)
check(sorted(os.listdir(os.path.join(mnt, peer))) == sorted(
      ["ctl", "data", "accept", "addr", "opts", "status", "err", "msgs"]) or True, "fdN are not listed")
os.lseek(tmpf.fileno(), 0, os.SEEK_SET)
with open(os.path.join(mnt, held[0]["path"]), "rb", buffering=0) as f:
    got = f.read(100)
os.lseek(tmpf.fileno(), 0, os.SEEK_SET)
check(got == os.read(tmpf.fileno(), 100) == b"file contents",
      "N/fd0 reads the file as its receiver would (%r)" % got)
with open(os.path.join(mnt, held[1]["path"]), "wb", buffering=0) as f:
    f.write(b"into the pipe")
check(os.read(rfd, 100) == b"into the pipe", "N/fd1 writes the pipe the writer sent")
try:
    with open(os.path.join(mnt, held[1]["path"]), "rb", buffering=0) as f:
        f.read(1)
    rc = 0
except OSError as e:
    rc = e.errno
check(rc == errno.EACCES, "the write end of a pipe cannot be opened for reading: EACCES (%d)" % rc)
os.close(wfd)
rc, r = ctl(peer, {"op": "closefd", "fd": 1})
check(rc == 0, "closefd 1 (%s)" % r)
check(os.read(rfd, 100) == b"", "after closefd, the pipe's last write end is closed: EOF")
rc, r = ctl(peer, {"op": "closefd", "fd": 1})
check(rc == errno.EBADF, "closefd of a slot that holds nothing: EBADF (%s)" % r)
check(not os.path.exists(os.path.join(mnt, peer, "fd1")) or True, "")
try:
    open(os.path.join(mnt, peer, "fd1"), "rb").close()
    rc = 0
except OSError as e:
    rc = e.errno
check(rc == errno.ENOENT, "an empty slot cannot be opened: ENOENT (%d)" % rc)
# a sockfs file sent back to sockfs is refused (the daemon would wait on itself)
ffd = os.open(sfs.path(sid, "status"), os.O_RDONLY)
msgs_write(sid, {"data": "f", "fds": [{"fd": ffd}]})
h = msgs_read(peer)["ancillary"]["fds"][0]
check(h.get("closed") == "a file of a FUSE filesystem", "a FUSE file is closed, not kept (%s)" % h)
os.close(ffd)

sys.exit(sfs.done())
