#!/usr/bin/env python3
"""Peers for the datagram and unix-socket tests of sockfs.

dgram_peer.py udp-echo HOST PORT
    UDP echo server replying b"echo:" + data to the sender, until killed.
dgram_peer.py two-peers HOST PORT OUT
    two UDP sockets each send one datagram to HOST PORT and wait for
    b"re:" + what they sent, coming from HOST PORT; write "ok A B" (their
    ports) to OUT, or fail. Times out after 10 s.
dgram_peer.py unix-echo TYPE ADDRESS READY
    unix server of TYPE (stream, dgram, seqpacket) on ADDRESS (a path, or
    @name for the abstract namespace); replies b"re:" + data (dgram: to the
    sender's address). Serves one client (stream/seqpacket: until EOF) or,
    for dgram, until killed. Touches READY once listening.
dgram_peer.py recv-fd PATH OUT
    connect to the unix stream socket PATH, receive one message with one
    descriptor, send b"via passed fd" on the received socket, write "ok" to
    OUT.
dgram_peer.py send-fds PATH
    connect to the unix stream socket PATH and send b"two fds" with two
    descriptors: /dev/null (not a socket) and one end of a socketpair,
    then wait for b"ping" on the other end of that pair and exit 0.
"""
import array
import socket
import sys

TIMEOUT = 10


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def udp_echo(host, port):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    while True:
        data, addr = s.recvfrom(65536)
        s.sendto(b"echo:" + data, addr)


def two_peers(host, port, out):
    port = int(port)
    peers = []
    for name in (b"A", b"B"):
        s = socket.socket(family(host), socket.SOCK_DGRAM)
        s.settimeout(TIMEOUT)
        s.bind((host, 0))
        peers.append((name, s))
    for name, s in peers:
        s.sendto(b"from " + name, (host, port))
    for name, s in peers:
        data, addr = s.recvfrom(65536)
        if data != b"re:from " + name or addr[1] != port:
            sys.exit("peer %s got %r from %r" % (name, data, addr))
    with open(out, "w") as f:
        f.write("ok %d %d\n" % (peers[0][1].getsockname()[1], peers[1][1].getsockname()[1]))


def unix_address(a):
    return "\0" + a[1:] if a.startswith("@") else a


TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM,
         "seqpacket": socket.SOCK_SEQPACKET}


def unix_echo(typ, address, ready):
    s = socket.socket(socket.AF_UNIX, TYPES[typ])
    s.bind(unix_address(address))
    if typ == "dgram":
        open(ready, "w").close()
        while True:
            data, addr = s.recvfrom(65536)
            s.sendto(b"re:" + data, addr)
    s.listen(1)
    s.settimeout(TIMEOUT)
    open(ready, "w").close()
    c, _ = s.accept()
    c.settimeout(TIMEOUT)
    while True:
        data = c.recv(65536)
        if not data:
            return
        c.sendall(b"re:" + data)


def recv_fd(path, out):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect(path)
    fds = array.array("i")
    msg, anc, flags, addr = s.recvmsg(1024, socket.CMSG_SPACE(fds.itemsize))
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - (len(data) % fds.itemsize)])
    if len(fds) != 1:
        sys.exit("expected one fd, got %r (message %r)" % (list(fds), msg))
    passed = socket.socket(fileno=fds[0])
    passed.setblocking(True)
    passed.send(b"via passed fd")
    with open(out, "w") as f:
        f.write("ok %s\n" % msg.decode())


def send_fds(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect(path)
    mine, theirs = socket.socketpair()
    mine.settimeout(TIMEOUT)
    with open("/dev/null", "rb") as null:
        fds = array.array("i", [null.fileno(), theirs.fileno()])
        s.sendmsg([b"two fds"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
    theirs.close()
    got = mine.recv(100)
    if got != b"ping":
        sys.exit("expected ping on the passed socket, got %r" % got)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"udp-echo": udp_echo, "two-peers": two_peers, "unix-echo": unix_echo,
     "recv-fd": recv_fd, "send-fds": send_fds}[cmd](*args)


if __name__ == "__main__":
    main()
