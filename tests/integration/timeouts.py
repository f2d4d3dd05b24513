"""Timeouts and blocking modes, connect_ex and non-blocking connect.

Usage: timeouts.py MOUNTPOINT. Exits 0 when all checks pass.
"""
import errno
import fcntl
import json
import os
import select
import socket
import sys
import time

import sfs
from sfs import check, ctl, new_socket, path

mnt = sfs.mnt = sys.argv[1]
T = 0.5


def timed(fn):
    t0 = time.monotonic()
    try:
        fn()
        rc = 0
    except OSError as e:
        rc = e.errno
    return rc, time.monotonic() - t0


def in_bound(el):
    return T <= el < T + 1.0


def status(sid):
    with open(path(sid, "status")) as f:
        return json.load(f)


lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen(16)
port = lst.getsockname()[1]

# ---- the verbs
c = new_socket()
check(ctl(c, {"op": "gettimeout"})[1]["timeout"] is None, "gettimeout: null (blocking) by default")
check(ctl(c, {"op": "getblocking"})[1]["blocking"] is True, "getblocking: true by default")
rc, r = ctl(c, {"op": "settimeout", "timeout": T})
check(rc == 0 and r["timeout"] == T, "settimeout %s (%s)" % (T, r))
check(ctl(c, {"op": "gettimeout"})[1]["timeout"] == T, "gettimeout after settimeout")
check(status(c)["timeout"] == T, "status shows the timeout")
rc, r = ctl(c, {"op": "settimeout", "timeout": -1})
check(rc == errno.EINVAL, "settimeout -1: EINVAL (%s)" % r)
rc, r = ctl(c, {"op": "connect", "address": ["127.0.0.1", port]})
peer, _ = lst.accept()
check(rc == 0, "connect with a timeout")

# ---- read times out
fd = os.open(path(c, "data"), os.O_RDWR)
rc, el = timed(lambda: os.read(fd, 100))
check(rc == errno.ETIMEDOUT and in_bound(el), "read of data: ETIMEDOUT after %.3f s (%d)" % (el, rc))
rc, r = ctl(c, {"op": "recv", "bufsize": 10})
check(rc == errno.ETIMEDOUT, "recv command: ETIMEDOUT (%s)" % r)
peer.send(b"after")
check(os.read(fd, 100) == b"after", "the socket still reads after a timeout")

# ---- write times out (the peer does not read)
chunk = b"x" * (256 * 1024)
rc, el = 0, 0
for i in range(400):
    rc, el = timed(lambda: os.write(fd, chunk))
    if rc:
        break
check(rc == errno.ETIMEDOUT and in_bound(el),
      "write of data with a full send buffer: ETIMEDOUT after %.3f s (%d, %d writes)" % (el, rc, i))
os.close(fd)

# ---- accept times out: the file and the command
s = new_socket()
ctl(s, {"op": "bind", "address": ["127.0.0.1", 0]})
ctl(s, {"op": "listen"})
ctl(s, {"op": "settimeout", "timeout": T})
afd = os.open(path(s, "accept"), os.O_RDONLY)
rc, el = timed(lambda: os.read(afd, 100))
os.close(afd)
check(rc == errno.ETIMEDOUT and in_bound(el), "read of accept: ETIMEDOUT after %.3f s (%d)" % (el, rc))
t0 = time.monotonic()
rc, r = ctl(s, {"op": "accept"})
el = time.monotonic() - t0
check(rc == errno.ETIMEDOUT and in_bound(el) and r["error"]["name"] == "ETIMEDOUT",
      "accept command: ETIMEDOUT after %.3f s (%s)" % (el, r))

# ---- the same on a UDP socket (read of data) and a unix listener (accept)
def new_typed(**args):
    fd = os.open(os.path.join(mnt, "new"), os.O_RDWR)
    try:
        os.write(fd, json.dumps(args).encode())
        return os.read(fd, 100).decode().strip()
    finally:
        os.close(fd)


u = new_typed(family="AF_INET", type="SOCK_DGRAM")
ctl(u, {"op": "bind", "address": ["127.0.0.1", 0]})
ctl(u, {"op": "settimeout", "timeout": T})
fd = os.open(path(u, "data"), os.O_RDONLY)
rc, el = timed(lambda: os.read(fd, 100))
os.close(fd)
check(rc == errno.ETIMEDOUT and in_bound(el), "UDP read of data: ETIMEDOUT after %.3f s (%d)" % (el, rc))
ux = new_typed(family="AF_UNIX", type="SOCK_STREAM")
rc, r = ctl(ux, {"op": "bind", "address": os.path.join(os.path.dirname(mnt), "timeouts.sock")})
ctl(ux, {"op": "listen"})
ctl(ux, {"op": "settimeout", "timeout": T})
afd = os.open(path(ux, "accept"), os.O_RDONLY)
rc, el = timed(lambda: os.read(afd, 100))
os.close(afd)
check(rc == errno.ETIMEDOUT and in_bound(el), "unix read of accept: ETIMEDOUT after %.3f s (%d)" % (el, rc))

# ---- connect times out: a listener whose queue is full drops SYNs
full = socket.socket()
full.bind(("127.0.0.1", 0))
full.listen(0)
fport = full.getsockname()[1]
fillers = []
for i in range(4):
    x = socket.socket()
    x.setblocking(False)
    x.connect_ex(("127.0.0.1", fport))
    fillers.append(x)


def accept_queue_len(port):
    """Connections waiting in the accept queue of the listener on port
    (/proc/net/tcp: rx_queue of a LISTEN line)."""
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
                return int(fields[4].split(":")[1], 16)
    return 0


# The accept queue holds backlog + 1 = 1 connection: full, later SYNs drop.
check(sfs.wait_for(lambda: accept_queue_len(fport) >= 1, 5), "the listener's queue is full")
k = new_socket()
ctl(k, {"op": "settimeout", "timeout": T})
t0 = time.monotonic()
rc, r = ctl(k, {"op": "connect", "address": ["127.0.0.1", fport]})
el = time.monotonic() - t0
check(rc == errno.ETIMEDOUT and in_bound(el), "connect: ETIMEDOUT after %.3f s (%s)" % (el, r))

# ---- non-blocking mode
rc, r = ctl(c, {"op": "setblocking", "flag": False})
check(rc == 0 and r["timeout"] == 0 and ctl(c, {"op": "getblocking"})[1]["blocking"] is False,
      "setblocking false: timeout 0, getblocking false (%s)" % r)
fd = os.open(path(c, "data"), os.O_RDWR)
rc, el = timed(lambda: os.read(fd, 100))
check(rc == errno.EAGAIN and el < 0.3, "non-blocking socket: read gives EAGAIN at once (%d)" % rc)
os.close(fd)
ctl(s, {"op": "setblocking", "flag": False})
afd = os.open(path(s, "accept"), os.O_RDONLY)
rc, el = timed(lambda: os.read(afd, 100))
os.close(afd)
check(rc == errno.EAGAIN, "non-blocking socket: read of accept gives EAGAIN (%d)" % rc)
rc, r = ctl(c, {"op": "setblocking", "flag": True})
check(rc == 0 and r["timeout"] is None, "setblocking true: timeout null")

# ---- O_NONBLOCK on the open file, whatever the socket's mode
fd = os.open(path(c, "data"), os.O_RDONLY | os.O_NONBLOCK)
rc, el = timed(lambda: os.read(fd, 100))
check(rc == errno.EAGAIN and el < 0.3, "O_NONBLOCK open: EAGAIN on a blocking socket (%d)" % rc)
os.close(fd)
fd = os.open(path(c, "data"), os.O_RDONLY)
fcntl.fcntl(fd, fcntl.F_SETFL, os.O_NONBLOCK)
rc, el = timed(lambda: os.read(fd, 100))
check(rc == errno.EAGAIN and el < 0.3, "O_NONBLOCK set by fcntl: EAGAIN (%d)" % rc)
os.close(fd)

# ---- the default timeout of new sockets
dt = os.path.join(mnt, "defaulttimeout")
check(open(dt).read() == "null\n", "defaulttimeout: null at first")
with open(dt, "w") as f:
    f.write("0.3\n")
check(open(dt).read() == "0.3\n", "defaulttimeout reads back 0.3")
n = new_socket()
check(status(n)["timeout"] == 0.3 and ctl(n, {"op": "gettimeout"})[1]["timeout"] == 0.3,
      "a new socket gets the default timeout")
try:
    with open(dt, "w") as f:
        f.write("soon")
    rc = 0
except OSError as e:
    rc = e.errno
check(rc == errno.EINVAL, "defaulttimeout: a bad value is EINVAL (%d)" % rc)
with open(dt, "w") as f:
    f.write("null")
check(status(new_socket())["timeout"] is None, "defaulttimeout null: new sockets block")
check(oct(os.stat(dt).st_mode & 0o777) == "0o644", "defaulttimeout is mode 0644")

# ---- connect_ex
x = new_socket()
rc, r = ctl(x, {"op": "connect_ex", "address": ["127.0.0.1", 1]})
check(rc == 0 and r["errno"] == errno.ECONNREFUSED and r["name"] == "ECONNREFUSED",
      "connect_ex refused: the write succeeds, the reply has errno (%s)" % r)
rc, r = ctl(x, {"op": "connect_ex", "address": ["127.0.0.1", port]})
check(rc == 0 and r["errno"] == 0 and r["address"][1] == port, "connect_ex: errno 0 (%s)" % r)
lst.accept()[0].close()
rc, r = ctl(x, {"op": "connect_ex", "address": "nonsense"})
check(rc == errno.EINVAL, "connect_ex with a bad address still fails the write (%d)" % rc)

# ---- non-blocking connect: poll for POLLOUT on data, then SO_ERROR
y = new_socket()
ctl(y, {"op": "setblocking", "flag": False})
rc, r = ctl(y, {"op": "connect_ex", "address": ["127.0.0.1", port]})
check(rc == 0 and r["errno"] in (0, errno.EINPROGRESS), "non-blocking connect_ex: %s" % r)
fd = os.open(path(y, "data"), os.O_RDWR)
p = select.poll()
p.register(fd, select.POLLOUT)
ev = p.poll(5000)
check(ev and ev[0][1] & select.POLLOUT, "poll: data turns writable when connected (%s)" % ev)
rc, g = ctl(y, {"op": "getsockopt", "level": "SOL_SOCKET", "optname": "SO_ERROR"})
check(g.get("int") == 0, "SO_ERROR 0 after the connect (%s)" % g)
check(status(y)["state"] == "connected", "status: connected")
os.close(fd)
lst.accept()[0].close()
closed = socket.socket()
closed.bind(("127.0.0.1", 0))
cport = closed.getsockname()[1]
closed.close()
z = new_socket()
ctl(z, {"op": "setblocking", "flag": False})
rc, r = ctl(z, {"op": "connect_ex", "address": ["127.0.0.1", cport]})
fd = os.open(path(z, "data"), os.O_RDWR)
p = select.poll()
p.register(fd, select.POLLOUT)
ev = p.poll(5000)
with open(path(z, "opts")) as f:
    soerr = json.load(f)["SO_ERROR"]
check(r["errno"] == errno.ECONNREFUSED or (ev and soerr == errno.ECONNREFUSED),
      "refused non-blocking connect: SO_ERROR is ECONNREFUSED (%s, %s, %s)" % (r, ev, soerr))
os.close(fd)

sys.exit(sfs.done())
