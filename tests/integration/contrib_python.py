#!/usr/bin/env python3
"""contrib/python/sockfs_socket.py against the socket module: the same
operations, run once with each, must give the same results (data, addresses,
exception types and errnos). The peers run on real sockets in threads.
Usage: contrib_python.py MOUNT"""
import errno
import os
import socket as real
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "contrib", "python"))
os.environ["SOCKFS"] = sys.argv[1]
import sockfs_socket as fake  # noqa: E402


def echo_server():
    """A TCP server that echoes each connection until EOF, then closes."""
    srv = real.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)

    def serve(c):
        with c:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)

    def loop():
        while True:
            c, _ = srv.accept()
            threading.Thread(target=serve, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return srv.getsockname()


def silent_server():
    srv = real.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    conns = []

    def loop():
        while True:
            conns.append(srv.accept()[0])

    threading.Thread(target=loop, daemon=True).start()
    return srv.getsockname()


def closed_port():
    s = real.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


ECHO = echo_server()
SILENT = silent_server()
CLOSED = closed_port()


def exc(fn):
    try:
        r = fn()
        return ("ok", r)
    except OSError as e:
        return (type(e).__name__, e.errno if not isinstance(e, TimeoutError) or e.errno else None)


def scenario(m):
    out = []
    # A client: create_connection, sendall, shutdown, recv to EOF.
    payload = os.urandom(200000)
    s = m.create_connection(ECHO)
    out.append(("peer", s.getpeername() == ECHO, s.getsockname()[0]))
    out.append(("family", s.family == m.AF_INET, s.type == m.SOCK_STREAM))
    s.sendall(payload)
    s.shutdown(m.SHUT_WR)
    got = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        got += d
    out.append(("echo", got == payload, len(got)))
    out.append(("so_type", s.getsockopt(m.SOL_SOCKET, m.SO_TYPE)))
    s.close()
    out.append(("after close", exc(lambda: s.send(b"x"))))

    # Refused.
    s = m.socket(m.AF_INET, m.SOCK_STREAM)
    out.append(("refused", exc(lambda: s.connect(("127.0.0.1", CLOSED)))))
    s.close()
    with m.socket(m.AF_INET, m.SOCK_STREAM) as s:
        out.append(("connect_ex", s.connect_ex(("127.0.0.1", CLOSED)) == errno.ECONNREFUSED))

    # makefile, text lines both ways.
    with m.create_connection(ECHO) as s:
        f = s.makefile("rw", encoding="utf-8", newline="\n")
        f.write("first line\nsecond\n")
        f.flush()
        out.append(("makefile", f.readline(), f.readline()))
        f.close()
        s.sendall(b"after makefile")
        out.append(("after makefile", s.recv(100)))

    # A server: bind, listen, accept a real client.
    srv = m.socket(m.AF_INET, m.SOCK_STREAM)
    srv.setsockopt(m.SOL_SOCKET, m.SO_REUSEADDR, 1)
    out.append(("reuseaddr", srv.getsockopt(m.SOL_SOCKET, m.SO_REUSEADDR) != 0))
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    host, port = srv.getsockname()
    c = real.create_connection((host, port))
    conn, addr = srv.accept()
    out.append(("accepted", addr == c.getsockname(), conn.getpeername() == c.getsockname()))
    c.sendall(b"ping")
    out.append(("server recv", conn.recv(4)))
    conn.sendall(b"pong")
    out.append(("client got", c.recv(4)))
    c.close()
    out.append(("eof", conn.recv(10)))
    conn.close()
    srv.close()

    # Timeouts and non-blocking.
    with m.create_connection(SILENT, timeout=5) as s:
        out.append(("gettimeout", s.gettimeout()))
        s.settimeout(0.3)
        r = exc(lambda: s.recv(10))
        out.append(("timeout", r[0] in ("TimeoutError", "timeout")))
        s.setblocking(False)
        out.append(("blocking", s.getblocking(), s.gettimeout()))
        out.append(("nonblocking recv", exc(lambda: s.recv(10))))

    # UDP: recvfrom shows the source; sendto reaches a real peer from our address.
    u = m.socket(m.AF_INET, m.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    peer = real.socket(real.AF_INET, real.SOCK_DGRAM)
    peer.bind(("127.0.0.1", 0))
    peer.sendto(b"hello udp", u.getsockname())
    data, src = u.recvfrom(100)
    out.append(("recvfrom", data, src == peer.getsockname()))
    u.sendto(b"back", peer.getsockname())
    d, a = peer.recvfrom(100)
    out.append(("sendto", d, a == u.getsockname()))
    peer.sendto(b"truncate me", u.getsockname())
    out.append(("recvfrom short", u.recvfrom(4)[0]))
    u.close()
    peer.close()

    # Name services.
    ai = m.getaddrinfo("localhost", 80, m.AF_INET, m.SOCK_STREAM)
    out.append(("getaddrinfo", sorted((f, t, p, sa) for f, t, p, _, sa in ai)))
    out.append(("gaierror", exc(lambda: m.getaddrinfo("no-such-host.invalid", 80))[0]))
    return out


def main():
    want = scenario(real)
    got = scenario(fake)
    bad = 0
    for w, g in zip(want, got):
        if w != g:
            print("DIFFERS: socket %r, sockfs_socket %r" % (w, g))
            bad += 1
    if len(want) != len(got):
        print("DIFFERS: %d observations against %d" % (len(want), len(got)))
        bad += 1
    if bad:
        sys.exit(1)
    print("%d observations alike" % len(want))


if __name__ == "__main__":
    main()
