"""stress.py - random operations through a sockfs mount (issue 13).

  stress.py worker MNT SECONDS SEED PORT HEARTBEAT
      random operations for SECONDS; before each, HEARTBEAT gets
      "START_TIME OP"; every blocking call is cut by SIGALRM after 2 s.
  stress.py transfer MNT SECONDS RESULT
      byte-checked transfers through sockfs to a local sink until SECONDS
      pass; RESULT gets "OK N" or "FAIL why".
"""

import errno
import hashlib
import json
import os
import random
import signal
import socket
import sys
import threading
import time

mode, mnt = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3])


class Alarm(Exception):
    pass


def on_alarm(sig, frame):
    raise Alarm()


signal.signal(signal.SIGALRM, on_alarm)


def bounded(fn, *args):
    """fn(*args), cut by SIGALRM after 2 s; returns the result, an errno
    (negative) or "alarm"."""
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        return fn(*args)
    except Alarm:
        return "alarm"
    except OSError as e:
        return -e.errno
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def p(*parts):
    return os.path.join(mnt, *[str(x) for x in parts])


def read_file(path, size=65536, flags=os.O_RDONLY):
    fd = os.open(path, flags)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


def write_file(path, data, flags=os.O_WRONLY):
    fd = os.open(path, flags)
    try:
        return os.write(fd, data)
    finally:
        os.close(fd)


def ctl(sid, cmd):
    fd = os.open(p(sid, "ctl"), os.O_RDWR)
    try:
        try:
            os.write(fd, cmd if isinstance(cmd, bytes) else json.dumps(cmd).encode())
        except OSError:
            pass
        return os.read(fd, 65536)
    finally:
        os.close(fd)


def worker():
    seed, port, hb = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    rnd = random.Random(seed)
    mine = []
    end = time.monotonic() + seconds
    n = 0

    def any_sid():
        # Others' sockets: refused (EPERM) for users; root, who could
        # break the byte-checked transfer, keeps to its own.
        if os.getuid() == 0:
            return rnd.choice(mine) if mine else "999999"
        ids = [x for x in os.listdir(mnt) if x.isdigit()]
        return rnd.choice(ids) if ids else "1"

    cmds = [
        lambda s: {"op": "connect", "address": ["127.0.0.1", port]},
        lambda s: {"op": "connect", "address": ["127.0.0.1", 1]},
        lambda s: {"op": "bind", "address": ["127.0.0.1", 0]},
        lambda s: {"op": "listen"},
        lambda s: {"op": "settimeout", "timeout": rnd.choice([0, 0.2, 1, None])},
        lambda s: {"op": "shutdown", "how": rnd.choice(["SHUT_RD", "SHUT_WR", "SHUT_RDWR"])},
        lambda s: {"op": "socket", "family": rnd.choice(["AF_INET", "AF_INET6", "AF_UNIX"]),
                   "type": rnd.choice(["SOCK_STREAM", "SOCK_DGRAM"])},
        lambda s: {"op": "setsockopt", "level": 1, "optname": 13, "int": rnd.randint(-5, 5)},
        lambda s: {"op": "recv", "bufsize": rnd.randint(0, 100000)},
        lambda s: {"op": "send", "data": "x" * rnd.randint(0, 5000)},
        lambda s: {"op": "autoclose"},
        lambda s: {"op": rnd.choice(["getsockname", "getpeername", "accept", "close", "nosuch"])},
        lambda s: os.urandom(rnd.randint(0, 300)),
        lambda s: b'{"op":"connect","address":' + b"[" * rnd.randint(1, 5000),
    ]

    def op_new():
        sid = read_file(p("new")).decode().strip()
        mine.append(sid)
        if len(mine) > 16:
            bounded(os.rmdir, p(mine.pop(0)))

    def op_ctl():
        sid = rnd.choice(mine) if mine and rnd.random() < 0.9 else any_sid()
        bounded(ctl, sid, rnd.choice(cmds)(sid))

    def op_data_write():
        sid = rnd.choice(mine) if mine else any_sid()
        fl = os.O_WRONLY | (os.O_NONBLOCK if rnd.random() < 0.5 else 0)
        bounded(write_file, p(sid, "data"), os.urandom(rnd.choice([1, 100, 5000, 200000])), fl)

    def op_data_read():
        sid = rnd.choice(mine) if mine else any_sid()
        fl = os.O_RDONLY | (os.O_NONBLOCK if rnd.random() < 0.5 else 0)
        bounded(read_file, p(sid, rnd.choice(["data", "msgs", "accept"])), rnd.choice([1, 4096, 1 << 20]), fl)

    def op_msgs_write():
        sid = rnd.choice(mine) if mine else any_sid()
        texts = [b'{"data":"hi"}', b'{"data":"' + b"a" * rnd.randint(0, 300000),
                 b'{"data":"x","address":["127.0.0.1",' + str(port).encode() + b"]}",
                 b"}}}}", b'{"flags":["MSG_FASTOPEN"],"data":"q","address":["127.0.0.1",' + str(port).encode() + b"]}"]
        fd = bounded(os.open, p(sid, "msgs"), os.O_WRONLY | os.O_NONBLOCK)
        if isinstance(fd, int) and fd >= 0:
            for _ in range(rnd.randint(1, 4)):
                bounded(os.write, fd, rnd.choice(texts))
            os.close(fd)

    def op_opts():
        sid = rnd.choice(mine) if mine else any_sid()
        v = rnd.choice([{"SO_LINGER": {"onoff": True, "linger": rnd.randint(-2, 3)}},
                        {"SO_RCVBUF": rnd.randint(0, 100000)}, {"TCP_NODELAY": True}, "garbage"])
        bounded(write_file, p(sid, "opts"), json.dumps(v).encode())
        bounded(read_file, p(sid, "opts"))

    def op_read_meta():
        sid = rnd.choice(mine) if mine and rnd.random() < 0.7 else any_sid()
        bounded(read_file, p(sid, rnd.choice(["status", "addr", "err", "opts"])))

    def op_ls():
        bounded(os.listdir, mnt)

    def op_rmdir():
        if mine and rnd.random() < 0.8:
            bounded(os.rmdir, p(mine.pop(rnd.randrange(len(mine)))))
        else:
            bounded(os.rmdir, p(any_sid()))

    def op_names():
        bounded(os.stat, p("net", "resolve", "h%d.invalid" % rnd.randint(0, 300)))

    ops = [op_new] * 3 + [op_ctl] * 6 + [op_data_write] * 3 + [op_data_read] * 3 + \
        [op_msgs_write] * 2 + [op_opts] * 2 + [op_read_meta] * 2 + [op_ls, op_rmdir, op_names]
    while time.monotonic() < end:
        op = rnd.choice(ops)
        with open(hb + ".tmp", "w") as f:
            f.write("%f %s\n" % (time.time(), op.__name__))
        os.replace(hb + ".tmp", hb)
        try:
            op()
        except (OSError, Alarm):
            pass
        n += 1
    for sid in mine:
        bounded(os.rmdir, p(sid))
    with open(hb + ".tmp", "w") as f:
        f.write("done %d\n" % n)
    os.replace(hb + ".tmp", hb)


def transfer():
    result = sys.argv[4]
    end = time.monotonic() + seconds
    rounds = 0
    why = None
    while time.monotonic() < end and not why:
        try:
            transfer_one(why_box := {})
        except OSError as e:
            why_box["why"] = "transfer failed: %r" % e
        why = why_box.get("why")
        rounds += 1
    with open(result, "w") as f:
        f.write("FAIL %s\n" % why if why else "OK %d\n" % rounds)


def transfer_one(box):
    """One transfer of random bytes; box["why"] says what went wrong."""
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen(1)
    sid = read_file(p("new")).decode().strip()
    ctl(sid, {"op": "connect", "address": ["127.0.0.1", l.getsockname()[1]]})
    c, _ = l.accept()
    data = os.urandom(random.randint(1, 4 << 20))
    got = {}

    def sink():
        h, n = hashlib.sha256(), 0
        c.settimeout(30)
        try:
            while True:
                b = c.recv(1 << 20)
                if not b:
                    break
                h.update(b)
                n += len(b)
        except OSError as e:
            got["err"] = e
        got["n"], got["h"] = n, h.hexdigest()

    t = threading.Thread(target=sink)
    t.start()
    fd = os.open(p(sid, "data"), os.O_WRONLY)
    off = 0
    while off < len(data):
        off += os.write(fd, data[off:off + (1 << 20)])
    os.close(fd)
    ctl(sid, {"op": "shutdown", "how": "SHUT_WR"})
    t.join(40)
    if t.is_alive():
        box["why"] = "the sink did not see the end"
    elif got.get("n") != len(data) or got.get("h") != hashlib.sha256(data).hexdigest():
        box["why"] = "got %r bytes of %d (%r)" % (got.get("n"), len(data), got.get("err"))
    os.rmdir(p(sid))
    c.close()
    l.close()


{"worker": worker, "transfer": transfer}[mode]()
