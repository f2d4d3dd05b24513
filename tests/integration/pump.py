#!/usr/bin/env python3
"""Bulk data through two sockfs sockets, for a fixed time.

  pump.py FROM_DIR TO_DIR SECONDS
      Writes 1 MiB blocks of random bytes to FROM_DIR/data for SECONDS,
      then shuts FROM_DIR's socket down for writing; reads TO_DIR/data
      until EOF, checking every byte. Prints "IN_WINDOW TOTAL END_MS": the
      bytes received within the SECONDS window, in all, and the end of the
      window (wall clock, ms since the epoch). Exit 1 if the bytes
      arrived damaged or short. Bounded: gives up after SECONDS + 20 s.
"""
import os
import sys
import threading
import time

BLOCK = 1 << 20


def main():
    src, dst, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
    pattern = os.urandom(BLOCK)
    doubled = pattern + pattern
    sent = [0]
    err = []
    start = time.monotonic()
    deadline = start + secs
    end_ms = int((time.time() + secs) * 1000)

    def writer():
        try:
            fd = os.open(src + "/data", os.O_WRONLY)
            while time.monotonic() < deadline:
                n = os.write(fd, pattern)
                if n != BLOCK:
                    raise OSError("short write of %d bytes" % n)
                sent[0] += n
            os.close(fd)
            with open(src + "/ctl", "w") as c:
                c.write('{"op":"shutdown","how":"SHUT_WR"}')
        except OSError as e:
            err.append("writer: %s" % e)

    # An alarm ends a reader stuck for good (the test fails, it does not hang).
    threading.Timer(secs + 20, lambda: os._exit(3)).start()
    t = threading.Thread(target=writer)
    fd = os.open(dst + "/data", os.O_RDONLY)
    t.start()
    got = 0
    in_window = None
    buf = bytearray(BLOCK)
    view = memoryview(buf)
    while True:
        n = os.readv(fd, [buf])
        if time.monotonic() >= deadline and in_window is None:
            in_window = got
        if n == 0:
            break
        off = got % BLOCK
        if view[:n] != doubled[off:off + n]:
            print("bytes %d-%d arrived damaged" % (got, got + n))
            os._exit(1)
        got += n
    t.join()
    if err:
        print(err[0])
        os._exit(1)
    if got != sent[0]:
        print("sent %d bytes, received %d" % (sent[0], got))
        os._exit(1)
    print(in_window if in_window is not None else got, got, end_ms)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
