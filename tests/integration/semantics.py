"""The socket module's semantics through sockfs, each compared with the
socket module doing the same call in the same test: the same data, the
same address, the same errno, the same flags.

Usage: semantics.py MOUNTPOINT. Exits 0 when all checks pass.
"""
import base64
import errno
import json
import os
import socket
import sys
import tempfile

import sfs
from sfs import check, ctl, new_socket

mnt = sfs.mnt = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="sfs-sem-")


def status(sid):
    with open(sfs.path(sid, "status")) as f:
        return json.load(f)


def err_of(sid):
    with open(sfs.path(sid, "err")) as f:
        return json.load(f)


def oserr(fn):
    """The errno fn raises (0 when it does not), and its value."""
    try:
        return 0, fn()
    except OSError as e:
        return e.errno, None


def read_data(sid, n=65536):
    """One read(2) of sid's data."""
    fd = os.open(sfs.path(sid, "data"), os.O_RDONLY)
    try:
        return os.read(fd, n)
    finally:
        os.close(fd)


def b64(b):
    return base64.b64encode(b).decode()


# 1. Flags in the type ---------------------------------------------------

for spec in (socket.SOCK_STREAM | socket.SOCK_NONBLOCK, "SOCK_STREAM|SOCK_NONBLOCK",
             "SOCK_DGRAM|SOCK_CLOEXEC", socket.SOCK_DGRAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK):
    num = spec if isinstance(spec, int) else sum(getattr(socket, n) for n in spec.split("|"))
    ref = socket.socket(socket.AF_INET, num)
    sid = new_socket(family="AF_INET", type=spec)
    st = status(sid)
    check(st["type"] == socket.SocketKind(ref.type).name,
          "new type %r reads back as %s, as the module (%s)" % (spec, st["type"], ref.type.name))
    check(st["timeout"] == ref.gettimeout(),
          "new type %r: timeout %r, as the module (%r)" % (spec, st["timeout"], ref.gettimeout()))
    rc, r = ctl(sid, {"op": "getblocking"})
    check(r["blocking"] == ref.getblocking(), "getblocking %r, as the module" % r["blocking"])
    ref.close()
    ctl(sid, {"op": "close"})

# socket and socketpair ops
sid = new_socket()
rc, r = ctl(sid, {"op": "socket", "family": "AF_INET", "type": "SOCK_STREAM|SOCK_NONBLOCK"})
check(rc == 0 and r["type"] == "SOCK_STREAM", "socket op: the type without the flag (%s)" % r)
check(status(sid)["timeout"] == 0, "socket op SOCK_NONBLOCK: timeout 0")
rc, r = ctl(sid, {"op": "recv", "bufsize": 10})
ref = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
rerr, _ = oserr(lambda: ref.recv(10))
check(rc == rerr, "recv on an unconnected SOCK_NONBLOCK socket: errno %d, the module %d" % (rc, rerr))
ref.close()
sid = new_socket()
rc, r = ctl(sid, {"op": "socketpair", "type": socket.SOCK_STREAM | socket.SOCK_NONBLOCK})
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
check(rc == 0 and all(status(str(i))["timeout"] == a.gettimeout() for i in r["ids"]),
      "socketpair SOCK_NONBLOCK: both timeout 0, as the module (%s)" % r)
check(all(status(str(i))["type"] == a.type.name for i in r["ids"]), "socketpair: the type without the flag")
a.close(), b.close()
rc, r = ctl(sid, {"op": "socket", "type": "SOCK_STREAM|SOCK_NOSUCH"})
check(rc == errno.EINVAL and "SOCK_NONBLOCK" in r["error"]["message"], "an unknown type flag: EINVAL (%s)" % r)

# 6. IPv6 addresses of 3 elements ------------------------------------------

ref = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
ref.bind(("::1", 0, 0))
sid = new_socket(family="AF_INET6", type="SOCK_DGRAM")
rc, r = ctl(sid, {"op": "bind", "address": ["::1", 0, 0]})
check(rc == 0, "bind [\"::1\", 0, 0] (%s)" % r)
rc, r = ctl(sid, {"op": "getsockname"})
check(rc == 0 and r["address"][0] == ref.getsockname()[0] and r["address"][2:] == list(ref.getsockname()[2:]),
      "getsockname after a 3-element bind: %s, the module %s" % (r["address"], ref.getsockname()))
port = r["address"][1]
ref.sendto(b"three", ("::1", port, 0))
if True:
    check(read_data(sid) == b"three", "a datagram sent by the module to a 3-element address arrives")
rc, r = ctl(sid, {"op": "connect", "address": ["::1", ref.getsockname()[1], 0]})
check(rc == 0, "connect to a 3-element address (%s)" % r)
rc, r = ctl(sid, {"op": "bind", "address": ["::1", 0, 0, 0, 0]})
rerr = None
try:
    ref.bind(("::1", 0, 0, 0, 0))
except TypeError:
    rerr = errno.EINVAL
check(rc == rerr, "5 elements: EINVAL, as the module refuses it (%s)" % r)
ref.close()

# 5. AF_UNIX bytes addresses -----------------------------------------------

for name in (b"\0sfs-\xff-%d" % os.getpid(), os.path.join(tmp, "p\xfe").encode("latin-1")):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sid = new_socket(family="AF_UNIX", type="SOCK_DGRAM")
    rc, r = ctl(sid, {"op": "bind", "address": {"bytes": b64(name)}})
    check(rc == 0, "bind to the bytes %r (%s)" % (name, r))
    rc, r = ctl(sid, {"op": "getsockname"})
    check(rc == 0 and r["address"] == {"bytes": b64(name)},
          "getsockname of a name that is not UTF-8: the bytes form (%s)" % r)
    srv.sendto(b"to-bytes", name)
    if True:
        check(read_data(sid) == b"to-bytes", "the module sends to the name sockfs bound")
    # the module's own name, written as bytes, used by sockfs
    other = name + b"2"
    srv.bind(other)
    rc, r = ctl(sid, {"op": "connect", "address": {"bytes": b64(other)}})
    check(rc == 0, "connect to a bytes address (%s)" % r)
    rc, r = ctl(sid, {"op": "getpeername"})
    want = srv.getsockname()
    want = want if isinstance(want, bytes) else os.fsencode(want)
    check(r["address"] == {"bytes": b64(want)}, "getpeername: the module's name as bytes (%s, %r)" % (r, want))
    rc, r = ctl(sid, {"op": "send", "data": "hi"})
    data, addr = srv.recvfrom(100)
    check(data == b"hi" and addr == (name if name[0] == 0 else os.fsdecode(name)),
          "the module sees sockfs's bytes name as the sender (%r)" % (addr,))
    srv.close()
    ctl(sid, {"op": "close"})
sid = new_socket(family="AF_UNIX", type="SOCK_DGRAM")
rc, r = ctl(sid, {"op": "bind", "address": {"bytes": "not base64!"}})
check(rc == errno.EINVAL, "bytes that are not base64: EINVAL (%s)" % r)
long_name = b"/" + b"x" * 200
rc, r = ctl(sid, {"op": "bind", "address": {"bytes": b64(long_name)}})
ref = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    ref.bind(long_name)
    refused = None
except OSError as e:
    refused = str(e)
check(rc == errno.ENAMETOOLONG and refused == "AF_UNIX path too long",
      "a bytes path too long is refused: %d (the module: %s, with no errno)" % (rc, refused))
ref.close()

# 8. shutdown by number, setsockopt without a value, dup, EAGAIN, messages

for how in (0, 1, 2, 3):
    a, b = socket.socketpair()
    sid = new_socket()
    ctl(sid, {"op": "socketpair"})
    rc, r = ctl(sid, {"op": "shutdown", "how": how})
    rerr, _ = oserr(lambda: a.shutdown(how))
    check(rc == rerr, "shutdown how %d: errno %d, the module %d (%s)" % (how, rc, rerr, r))
    a.close(), b.close()

sid = new_socket(family="AF_INET", type="SOCK_DGRAM")
ref = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for level, opt, optlen in ((socket.SOL_SOCKET, socket.SO_REUSEADDR, 4),
                           (socket.SOL_SOCKET, socket.SO_REUSEADDR, 0),
                           (socket.SOL_SOCKET, socket.SO_BINDTODEVICE, 0)):
    rc, r = ctl(sid, {"op": "setsockopt", "level": level, "optname": opt, "optlen": optlen})
    rerr, _ = oserr(lambda: ref.setsockopt(level, opt, None, optlen))
    check(rc == rerr, "setsockopt(%d, %d, None, %d): errno %d, the module %d (%s)" % (level, opt, optlen, rc, rerr, r))
rc, r = ctl(sid, {"op": "setsockopt", "level": 1, "optname": 2, "optlen": 4, "int": 1})
check(rc == errno.EINVAL, "optlen and a value together: EINVAL (%s)" % r)
ref.close()

lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen()
sid = new_socket()
ctl(sid, {"op": "settimeout", "timeout": 2.5})
ctl(sid, {"op": "connect", "address": ["127.0.0.1", lst.getsockname()[1]]})
peer, _ = lst.accept()
rc, r = ctl(sid, {"op": "dup"})
check(rc == 0 and r["id"] != int(sid), "dup: a new id (%s)" % r)
did = str(r["id"])
rc, r1 = ctl(sid, {"op": "getsockname"})
rc, r2 = ctl(did, {"op": "getsockname"})
check(r1["address"] == r2["address"], "dup: the same kernel socket (%s %s)" % (r1, r2))
check(status(did)["timeout"] == status(sid)["timeout"] == 2.5, "dup: the timeout is copied, as socket.dup")
ctl(sid, {"op": "close"})
peer.sendall(b"after close")
rc, r = ctl(did, {"op": "recv", "bufsize": 100})
check(rc == 0 and r["data"] == "after close", "the dup still receives after the first is closed (%s)" % r)
ctl(did, {"op": "send", "data": "from dup"})
check(peer.recv(100) == b"from dup", "the peer gets what the dup sends")
rc, r = ctl(did, {"op": "recv", "bufsize": 10, "flags": "MSG_DONTWAIT"})
rerr, _ = oserr(lambda: peer.recv(10, socket.MSG_DONTWAIT))
check(rc == rerr == errno.EAGAIN, "recv MSG_DONTWAIT with nothing there: EAGAIN, as the module (%d)" % rc)
check(err_of(did) is None, "EAGAIN is not kept in err (%s)" % err_of(did))
sid = new_socket()
rc, r = ctl(sid, {"op": "socket", "family": "AF_NOSUCH"})
msg = r["error"]["message"]
check(rc == errno.EINVAL and msg.rstrip().endswith(socket.AddressFamily(max(socket.AddressFamily)).name) or "AF_VSOCK" in msg,
      "the message lists every family, uncut (%d chars)" % len(msg))
check(len(msg) > 256, "the message is longer than 256 characters (%d)" % len(msg))
peer.close()
lst.close()

# 2 and 4. recvfrom, recvmsg with ancbufsize, msgs reads with flags -------

def msgs_read(sid):
    fd = os.open(sfs.path(sid, "msgs"), os.O_RDONLY)
    try:
        return json.loads(os.read(fd, 1 << 20))
    finally:
        os.close(fd)


def ancdata_json(anc):
    return [{"level": l, "type": t, "data": b64(d)} for l, t, d in anc]


def pair6():
    """A sockfs UDP socket and a module one, both on ::1 and both with
    IPV6_RECVHOPLIMIT, and a sender."""
    sid = new_socket(family="AF_INET6", type="SOCK_DGRAM")
    rc, r = ctl(sid, {"op": "bind", "address": ["::1", 0]})
    ctl(sid, {"op": "setsockopt", "level": socket.IPPROTO_IPV6,
              "optname": socket.IPV6_RECVHOPLIMIT, "int": 1})
    ref = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    ref.bind(("::1", 0))
    ref.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
    tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.bind(("::1", 0))
    return sid, tuple(r["address"][:2]), ref, tx


sid, sfs_addr, ref, tx = pair6()
tx.sendto(b"peeked", sfs_addr)
tx.sendto(b"peeked", ref.getsockname())
for flags in (socket.MSG_PEEK, 0):
    rc, r = ctl(sid, {"op": "recvfrom", "bufsize": 100, "flags": flags})
    data, addr = ref.recvfrom(100, flags)
    check(rc == 0 and r["data"] == data.decode() and r["address"] == list(addr),
          "recvfrom(100, %d): %s from %s, the module %r from %r" % (flags, r.get("data"), r.get("address"), data, addr))
rc, r = ctl(sid, {"op": "recvfrom", "bufsize": 100, "flags": "MSG_DONTWAIT"})
rerr, _ = oserr(lambda: ref.recvfrom(100, socket.MSG_DONTWAIT))
check(rc == rerr == errno.EAGAIN, "recvfrom MSG_DONTWAIT on nothing: EAGAIN as the module (%d)" % rc)

for ancbufsize in (0, socket.CMSG_LEN(0), socket.CMSG_LEN(4) - 1, socket.CMSG_LEN(4),
                   socket.CMSG_SPACE(4), 4096):
    for flags in (socket.MSG_PEEK, 0):
        if flags == socket.MSG_PEEK:
            tx.sendto(b"anc", sfs_addr)
            tx.sendto(b"anc", ref.getsockname())
        rc, r = ctl(sid, {"op": "recvmsg", "bufsize": 2, "ancbufsize": ancbufsize, "flags": flags})
        data, anc, mflags, addr = ref.recvmsg(2, ancbufsize, flags)
        check(rc == 0 and r["data"] == data.decode() and r["address"] == list(addr)
              and r["ancdata"] == ancdata_json(anc) and r["msg_flags"] == mflags,
              "recvmsg(2, %d, %d): %s, the module %r" % (ancbufsize, flags, r, (data, anc, mflags, addr)))
check("MSG_CTRUNC" in r["flags"] or ancbufsize >= socket.CMSG_SPACE(4), "flags name MSG_CTRUNC when it is set")

# msgs reads with flags and a control buffer size
rc, r = ctl(sid, {"op": "msgsrecv", "flags": "MSG_PEEK", "ancbufsize": socket.CMSG_LEN(0)})
check(rc == 0 and r["flags"] == ["MSG_PEEK"] and r["ancbufsize"] == socket.CMSG_LEN(0), "msgsrecv sets them (%s)" % r)
tx.sendto(b"via msgs", sfs_addr)
tx.sendto(b"via msgs", ref.getsockname())
for peek in (True, False):
    m = msgs_read(sid)
    data, anc, mflags, addr = ref.recvmsg(100, socket.CMSG_LEN(0), socket.MSG_PEEK if peek else 0)
    check(m["data"] == data.decode() and m["ancdata"] == ancdata_json(anc) and m["msg_flags"] == mflags
          and m["address"] == list(addr),
          "msgs read with %s: %s, the module %r" % ("MSG_PEEK" if peek else "no flags", m, (data, anc, mflags)))
    if peek:
        ctl(sid, {"op": "msgsrecv", "flags": 0, "ancbufsize": socket.CMSG_LEN(0)})
rc, r = ctl(sid, {"op": "msgsrecv", "flags": "MSG_WAITALL"})
check(rc == errno.EINVAL, "msgsrecv refuses flags that would wait (%s)" % r)
rc, r = ctl(sid, {"op": "recvmsg", "bufsize": 10, "ancbufsize": -1})
check(rc == errno.EINVAL, "recvmsg: a negative ancbufsize is EINVAL (%s)" % r)
ref.close(), tx.close()

# recvmsg on a unix stream with SO_PASSCRED: the credentials, truncated as the kernel does
a, b = socket.socketpair()
sid = new_socket()
rc, r = ctl(sid, {"op": "socketpair"})
other = str(r["ids"][1])
a.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
ctl(sid, {"op": "setsockopt", "level": socket.SOL_SOCKET, "optname": socket.SO_PASSCRED, "int": 1})
for ancbufsize in (socket.CMSG_LEN(12), socket.CMSG_LEN(8), 0):
    b.send(b"cred")
    ctl(other, {"op": "send", "data": "cred"})
    rc, r = ctl(sid, {"op": "recvmsg", "bufsize": 10, "ancbufsize": ancbufsize})
    data, anc, mflags, addr = a.recvmsg(10, ancbufsize)
    # the pid is the sender's: the test's for the module, the daemon's for sockfs
    check(rc == 0 and r["data"] == data.decode() and r["msg_flags"] == mflags
          and [(x["level"], x["type"], len(base64.b64decode(x["data"]))) for x in r["ancdata"]]
          == [(l, t, len(d)) for l, t, d in anc],
          "unix recvmsg(10, %d) with SO_PASSCRED: %s, the module %r" % (ancbufsize, r, (data, anc, mflags)))
a.close(), b.close()

sys.exit(sfs.done())
