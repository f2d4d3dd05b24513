"""Message flags through the ctl verbs recv and send: streams, then UDP and
unix datagrams (MSG_PEEK, MSG_TRUNC).

Usage: msgflags.py MOUNTPOINT. Exits 0 when all checks pass.
"""
import errno
import json
import os
import select
import socket
import sys
import threading
import time

import sfs
from sfs import check, ctl, new_socket

mnt = sfs.mnt = sys.argv[1]


lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen(4)
with open(os.path.join(mnt, "new")) as f:
    c = f.read().strip()
rc, r = ctl(c, {"op": "connect", "address": ["127.0.0.1", lst.getsockname()[1]]})
peer, _ = lst.accept()
data = os.open(os.path.join(mnt, c, "data"), os.O_RDWR)

# MSG_DONTWAIT with nothing there
rc, r = ctl(c, {"op": "recv", "bufsize": 10, "flags": "MSG_DONTWAIT"})
check(rc == errno.EAGAIN, "recv MSG_DONTWAIT with nothing queued: EAGAIN (%s)" % r)

# MSG_PEEK leaves the data in place
peer.sendall(b"hello world")
p = select.poll()
p.register(data, select.POLLIN)
check(p.poll(5000) != [], "data is readable once the peer sent")
rc, r = ctl(c, {"op": "recv", "bufsize": 5, "flags": "MSG_PEEK"})
check(rc == 0 and r["data"] == "hello" and r["encoding"] == "utf-8" and r["size"] == 5,
      "recv MSG_PEEK: hello (%s)" % r)
rc, r = ctl(c, {"op": "recv", "bufsize": 100, "flags": ["MSG_PEEK"]})
check(rc == 0 and r["data"] == "hello world", "a second peek sees it all again (%s)" % r)
check(os.read(data, 100) == b"hello world", "data reads everything after the peeks")

# bytes that are not UTF-8 come as base64
peer.sendall(b"\xff\x00")
rc, r = ctl(c, {"op": "recv", "bufsize": 10})
check(rc == 0 and r["encoding"] == "base64" and r["data"] == "/wA=", "binary recv is base64 (%s)" % r)
peer.sendall(b"abc")
rc, r = ctl(c, {"op": "recv", "bufsize": 10, "encoding": "base64"})
check(rc == 0 and r["encoding"] == "base64" and r["data"] == "YWJj", "encoding base64 asked (%s)" % r)

# MSG_WAITALL waits for the whole bufsize
result = {}


def waitall():
    result["tid"] = threading.get_native_id()
    result["r"] = ctl(c, {"op": "recv", "bufsize": 10, "flags": "MSG_WAITALL"})


t = threading.Thread(target=waitall)
t.start()
check(sfs.wait_for(lambda: "tid" in result and sfs.blocked_in_fuse(result["tid"])),
      "recv MSG_WAITALL waits with no bytes")
peer.sendall(b"abc")
sfs.daemon_sync()  # the daemon saw the 3 bytes arrive
check(t.is_alive() and sfs.blocked_in_fuse(result["tid"]),
      "recv MSG_WAITALL still waits with 3 of 10 bytes")
peer.sendall(b"defghijklm")
t.join(5)
rc, r = result.get("r", (None, None))
check(rc == 0 and r["data"] == "abcdefghij", "recv MSG_WAITALL gets exactly 10 bytes (%s)" % (r,))
check(os.read(data, 100) == b"klm", "the rest stays for data")

# urgent data from the peer
peer.send(b"normal")
peer.send(b"!", socket.MSG_OOB)
p = select.poll()
p.register(data, select.POLLPRI)
ev = p.poll(5000)
check(ev and ev[0][1] & select.POLLPRI, "poll: data shows POLLPRI for urgent data (%s)" % ev)
rc, r = ctl(c, {"op": "recv", "bufsize": 1, "flags": "MSG_OOB"})
check(rc == 0 and r["data"] == "!", "recv MSG_OOB: the urgent byte (%s)" % r)
check(os.read(data, 100) == b"normal", "the normal bytes are read without the urgent one")

# urgent data to the peer
rc, r = ctl(c, {"op": "send", "data": "U", "flags": "MSG_OOB"})
check(rc == 0 and r["sent"] == 1, "send MSG_OOB (%s)" % r)
_, _, x = select.select([], [], [peer], 5)
check(x == [peer] and peer.recv(1, socket.MSG_OOB) == b"U", "the peer gets the urgent byte")

# send: base64 data, MSG_MORE then the rest
rc, r = ctl(c, {"op": "send", "data": "AAEC", "encoding": "base64", "flags": "MSG_MORE"})
rc2, r2 = ctl(c, {"op": "send", "data": "end", "flags": ["MSG_EOR"]})
check(rc == 0 and r["sent"] == 3 and rc2 == 0, "send base64 with MSG_MORE, then MSG_EOR (%s %s)" % (r, r2))
got = b""
peer.settimeout(5)
while len(got) < 6:
    got += peer.recv(100)
check(got == b"\x00\x01\x02end", "the peer gets the bytes in order (%r)" % got)

# datagrams (UDP and unix): MSG_PEEK leaves the datagram, MSG_TRUNC gives
# its real length, a short read drops the rest of it
upath = os.path.join(os.path.dirname(mnt), "msgflags-dgram.sock")
for label, fam, addr in (("UDP", "AF_INET", ["127.0.0.1", 0]), ("unix", "AF_UNIX", upath)):
    d = new_socket(family=fam, type="SOCK_DGRAM")
    rc, r = ctl(d, {"op": "bind", "address": addr})
    check(rc == 0, "%s: bind (%s)" % (label, r))
    if fam == "AF_UNIX":
        tx, dest = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM), upath
    else:
        tx, dest = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), tuple(r["address"])
    tx.sendto(b"0123456789", dest)
    tx.sendto(b"second", dest)
    rc, r = ctl(d, {"op": "recv", "bufsize": 4, "flags": "MSG_PEEK"})
    check(rc == 0 and r["data"] == "0123" and "truncated" not in r,
          "%s: recv MSG_PEEK of 4 bytes (%s)" % (label, r))
    rc, r = ctl(d, {"op": "recv", "bufsize": 4, "flags": "MSG_PEEK|MSG_TRUNC"})
    check(rc == 0 and r["data"] == "0123" and r["truncated"] == 10,
          "%s: recv MSG_PEEK|MSG_TRUNC: truncated 10 (%s)" % (label, r))
    rc, r = ctl(d, {"op": "recv", "bufsize": 100})
    check(rc == 0 and r["data"] == "0123456789", "%s: the peeked datagram is still whole (%s)" % (label, r))
    rc, r = ctl(d, {"op": "recv", "bufsize": 3, "flags": "MSG_TRUNC"})
    check(rc == 0 and r["data"] == "sec" and r["truncated"] == 6,
          "%s: recv MSG_TRUNC of 3: truncated 6 (%s)" % (label, r))
    rc, r = ctl(d, {"op": "recv", "bufsize": 100, "flags": "MSG_DONTWAIT"})
    check(rc == errno.EAGAIN, "%s: the rest of a truncated datagram is gone (%d, %s)" % (label, rc, r))
    tx.close()

# errors
rc, r = ctl(c, {"op": "recv", "bufsize": 10, "flags": "MSG_NOSUCH"})
check(rc == errno.EINVAL and "MSG_NOSUCH" in r["error"]["message"], "bad flag: EINVAL naming it (%s)" % r)
rc, r = ctl(c, {"op": "send", "data": "!!", "encoding": "base64"})
check(rc == errno.EINVAL and "base64" in r["error"]["message"], "bad base64: EINVAL (%s)" % r)
rc, r = ctl(c, {"op": "recv"})
check(rc == errno.EINVAL and "bufsize" in r["error"]["message"], "recv without bufsize: EINVAL (%s)" % r)

sys.exit(sfs.done())
