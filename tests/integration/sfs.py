"""sfs.py - what the python integration scripts share: counted checks and
the sockfs calls they all make (a new socket, a ctl command with its reply).
Set sfs.mnt to the mount point first; end with sys.exit(sfs.done())."""

import json
import os

mnt = None
failed = 0


def check(ok, what):
    global failed
    print(("ok: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failed += 1


def done():
    """Print the count of failures; the exit status."""
    print("%d failed" % failed)
    return 1 if failed else 0


def path(sid, name):
    return os.path.join(mnt, sid, name)


def new_socket(**args):
    """A new socket's id: `cat new`, or with args (family, type, proto) a
    JSON write to new and the id read back from the same open file."""
    if not args:
        with open(os.path.join(mnt, "new")) as f:
            return f.read().strip()
    fd = os.open(os.path.join(mnt, "new"), os.O_RDWR)
    try:
        os.write(fd, json.dumps(args).encode())
        return os.read(fd, 100).decode().strip()
    finally:
        os.close(fd)


def ctl(sid, obj):
    """Write a command to sid's ctl: (errno of the write or 0, the reply)."""
    fd = os.open(path(sid, "ctl"), os.O_RDWR)
    try:
        try:
            os.write(fd, json.dumps(obj).encode())
            rc = 0
        except OSError as e:
            rc = e.errno
        return rc, json.loads(os.read(fd, 1 << 21) or b"null")
    finally:
        os.close(fd)


def blocked_in_fuse(tid):
    """Is thread tid (of this process) waiting on a FUSE request?"""
    try:
        w = open("/proc/self/task/%d/wchan" % tid).read()
    except OSError:
        return False
    return "fuse" in w or "request_wait_answer" in w


def daemon_sync():
    """Return once the daemon has handled every socket event that was ready
    before the call: two requests in turn, the second read in a later loop
    iteration than the first (the loop takes every ready event at once)."""
    for _ in range(2):
        with open(os.path.join(mnt, "defaulttimeout")) as f:
            f.read()


def wait_for(cond, secs=10.0):
    """Poll cond (bounded) until it holds; its last value."""
    import time
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()
