#!/usr/bin/env python3
"""Peers for the sockfs integration tests (the other end of the socket).

peer.py client HOST PORT SEND NBYTES OUT
    connect, send SEND (Python escapes allowed, e.g. '\\n'), receive until
    NBYTES bytes or EOF, write them to OUT, shut down the sending side, then
    close. Times out after 10 s.
peer.py echo-server HOST PORT
    TCP echo server, one thread per connection, until killed.
peer.py udp-echo HOST PORT
    UDP echo server, until killed.
peer.py hold-server HOST PORT
    accept connections and keep them open until the peer closes; until killed.
"""
import socket
import sys
import threading

TIMEOUT = 10


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def unescape(s):
    return s.encode("utf-8").decode("unicode_escape").encode("latin-1")


def client(host, port, send, nbytes, out):
    s = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    s.sendall(unescape(send))
    got = b""
    while len(got) < int(nbytes):
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    with open(out, "wb") as f:
        f.write(got)
    s.shutdown(socket.SHUT_WR)
    s.close()


def listener(host, port, backlog=256):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port)))
    s.listen(backlog)
    return s


def echo_conn(c):
    with c:
        while True:
            data = c.recv(65536)
            if not data:
                return
            c.sendall(data)


def hold_conn(c):
    with c:
        while c.recv(65536):
            pass


def serve(host, port, handler):
    s = listener(host, port)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()


def udp_echo(host, port):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    while True:
        data, addr = s.recvfrom(65536)
        s.sendto(data, addr)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "client":
        client(*args)
    elif mode == "echo-server":
        serve(*args, echo_conn)
    elif mode == "hold-server":
        serve(*args, hold_conn)
    elif mode == "udp-echo":
        udp_echo(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
