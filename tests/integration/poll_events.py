"""poll(2) events beyond plain readability: the accept file, POLLERR for a
refused non-blocking connect, POLLRDHUP and POLLHUP at shutdown.

Usage: poll_events.py MOUNTPOINT. Exits 0 when all checks pass.
"""
import errno
import json
import os
import select
import socket
import sys

import sfs
from sfs import check, ctl, new_socket

mnt = sfs.mnt = sys.argv[1]
POLLRDHUP = getattr(select, "POLLRDHUP", 0x2000)


def revents(fd, events, ms):
    p = select.poll()
    p.register(fd, events)
    ev = p.poll(ms)
    return ev[0][1] if ev else 0


# ---- accept: POLLIN when a connection waits, never POLLOUT
srv = new_socket()
rc, r = ctl(srv, {"op": "bind", "address": ["127.0.0.1", 0]})
port = r["address"][1]
ctl(srv, {"op": "listen"})
afd = os.open(os.path.join(mnt, srv, "accept"), os.O_RDONLY)
ev = revents(afd, select.POLLIN | select.POLLOUT, 100)
check(ev == 0, "accept: nothing ready without a connection (0x%x)" % ev)
c1 = socket.create_connection(("127.0.0.1", port))
ev = revents(afd, select.POLLIN | select.POLLOUT, 5000)
check(ev == select.POLLIN, "accept: POLLIN alone once a client connects (0x%x)" % ev)
conn = os.read(afd, 100).decode().strip()
check(conn.isdigit(), "accept: reads the new socket's id (%r)" % conn)
ev = revents(afd, select.POLLIN, 100)
check(ev & select.POLLHUP, "accept: POLLHUP once this open file gave its connection (0x%x)" % ev)
os.close(afd)

# ---- data of a connected socket: POLLOUT only; then the peer shuts down
dfd = os.open(os.path.join(mnt, conn, "data"), os.O_RDWR)
ev = revents(dfd, select.POLLIN | select.POLLOUT | POLLRDHUP, 100)
check(ev == select.POLLOUT, "data: POLLOUT alone while connected and idle (0x%x)" % ev)
c1.shutdown(socket.SHUT_WR)
ev = revents(dfd, select.POLLIN | POLLRDHUP, 5000)
check(ev & POLLRDHUP and ev & select.POLLIN and not ev & select.POLLHUP,
      "data: POLLIN|POLLRDHUP without POLLHUP when the peer shuts down writing (0x%x)" % ev)
rc, r = ctl(conn, {"op": "shutdown", "how": "SHUT_WR"})
ev = revents(dfd, select.POLLIN, 5000)
check(rc == 0 and ev & select.POLLHUP, "data: POLLHUP when both directions are shut (0x%x)" % ev)
check(os.read(dfd, 100) == b"", "data: EOF after the peer's shutdown")
os.close(dfd)
c1.close()

# ---- POLLERR: a refused non-blocking connect
closed = socket.socket()
closed.bind(("127.0.0.1", 0))
cport = closed.getsockname()[1]
closed.close()
z = new_socket()
ctl(z, {"op": "setblocking", "flag": False})
rc, r = ctl(z, {"op": "connect_ex", "address": ["127.0.0.1", cport]})
check(rc == 0 and r["errno"] in (errno.EINPROGRESS, errno.ECONNREFUSED), "connect_ex: %s" % r)
zfd = os.open(os.path.join(mnt, z, "data"), os.O_RDWR)
ev = revents(zfd, select.POLLOUT, 5000)
check(r["errno"] == errno.ECONNREFUSED or ev & select.POLLERR,
      "data: POLLERR after a refused non-blocking connect (0x%x)" % ev)
rc, g = ctl(z, {"op": "getsockopt", "level": "SOL_SOCKET", "optname": "SO_ERROR"})
check(r["errno"] == errno.ECONNREFUSED or g.get("int") == errno.ECONNREFUSED,
      "SO_ERROR: ECONNREFUSED (%s)" % g)
os.close(zfd)

sys.exit(sfs.done())
