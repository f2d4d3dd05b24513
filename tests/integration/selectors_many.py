"""python3 selectors over many sockfs data files.

Usage: selectors_many.py MOUNTPOINT N

For each selector class available (epoll, poll, select), N sockfs sockets
connected to a listener here: the peer writes to some; select() must give
exactly those, as EVENT_READ. Exits 0 when all checks pass.
"""
import json
import os
import selectors
import socket
import sys
import time

import sfs
from sfs import check

sfs.mnt, n = sys.argv[1], int(sys.argv[2])
mnt = sfs.mnt


def new_connected(port):
    with open(os.path.join(mnt, "new")) as f:
        sid = f.read().strip()
    with open(os.path.join(mnt, sid, "ctl"), "w") as f:
        f.write(json.dumps({"op": "connect", "address": ["127.0.0.1", port]}))
    return sid


lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen(128)
port = lst.getsockname()[1]

classes = [c for c in ("EpollSelector", "PollSelector", "SelectSelector")
           if hasattr(selectors, c)]
for cname in classes:
    sids, datas, peers = [], [], []
    for i in range(n):
        sid = new_connected(port)
        peer, _ = lst.accept()
        sids.append(sid)
        peers.append(peer)
        datas.append(os.open(os.path.join(mnt, sid, "data"), os.O_RDWR))
    sel = getattr(selectors, cname)()
    for i, fd in enumerate(datas):
        sel.register(fd, selectors.EVENT_READ, i)
    check(sel.select(0.1) == [], "%s: nothing ready before the peer writes" % cname)
    want = set(range(1, n, 5))
    for i in want:
        peers[i].send(b"ready %d" % i)
    got = set()
    deadline = time.monotonic() + 10
    while got != want and time.monotonic() < deadline:
        for key, ev in sel.select(1):
            got.add(key.data)
    # Anything else that turns up shortly is wrong too.
    for key, ev in sel.select(0.2):
        got.add(key.data)
    check(got == want, "%s: exactly the %d files with data are ready (got %d, wrong %s)"
          % (cname, len(want), len(got), sorted(got ^ want)[:10]))
    ok = all(os.read(datas[i], 100) == b"ready %d" % i for i in want)
    check(ok, "%s: each ready file reads its own data" % cname)
    check(sel.select(0.1) == [], "%s: nothing ready after reading" % cname)
    sel.close()
    for fd, sid, peer in zip(datas, sids, peers):
        os.close(fd)
        peer.close()
        os.rmdir(os.path.join(mnt, sid))

sys.exit(sfs.done())
