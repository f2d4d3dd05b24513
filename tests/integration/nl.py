"""nl.py - rtnetlink messages for netlink.sh, over a sockfs `data` file or,
for comparison, over a socket made here (the kernel's own answer).

  nl.py dump PATH|direct            RTM_GETLINK dump: [[index, name], ...]
  nl.py newaddr PATH|direct IFINDEX RTM_NEWADDR 10.77.0.1/24: the ack's errno
  nl.py wait-link PATH NAME         read until an RTM_NEWLINK for NAME: "seen"
Every loop is bounded; the caller bounds the time (timeout)."""

import json
import os
import socket
import struct
import sys

NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, RTM_GETLINK, RTM_NEWADDR = 16, 18, 20
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE, NLM_F_DUMP = 1, 4, 0x200, 0x400, 0x300
IFLA_IFNAME, IFA_ADDRESS, IFA_LOCAL = 3, 1, 2


def message(mtype, flags, seq, payload):
    return struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, 0) + payload


def attr(atype, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, atype) + data + b"\0" * ((4 - n % 4) % 4)


def messages(buf):
    """(type, payload) of every message in one datagram."""
    out, off = [], 0
    while off + 16 <= len(buf):
        n, mtype = struct.unpack_from("=IH", buf, off)
        if n < 16:
            break
        out.append((mtype, buf[off + 16:off + n]))
        off += (n + 3) & ~3
    return out


def attrs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        n, atype = struct.unpack_from("=HH", buf, off)
        if n < 4:
            break
        out[atype] = buf[off + 4:off + n]
        off += (n + 3) & ~3
    return out


def link(payload):
    """(index, name) of an RTM_NEWLINK payload."""
    index = struct.unpack_from("=i", payload, 4)[0]
    name = attrs(payload[16:]).get(IFLA_IFNAME, b"").rstrip(b"\0").decode()
    return index, name


class Channel:
    """A sockfs data file, or a socket of our own ("direct")."""

    def __init__(self, where):
        if where == "direct":
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
            self.send, self.recv = self.sock.send, lambda: self.sock.recv(1 << 16)
        else:
            fd = os.open(where, os.O_RDWR)
            self.send = lambda b: os.write(fd, b)
            self.recv = lambda: os.read(fd, 1 << 16)


def dump(ch):
    ch.send(message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1, struct.pack("=BBHiII", 0, 0, 0, 0, 0, 0)))
    links = []
    for _ in range(1000):
        for mtype, payload in messages(ch.recv()):
            if mtype == NLMSG_DONE:
                return sorted(links)
            if mtype == NLMSG_ERROR:
                raise SystemExit("dump failed: errno %d" % -struct.unpack_from("=i", payload)[0])
            if mtype == RTM_NEWLINK:
                links.append(list(link(payload)))
    raise SystemExit("no NLMSG_DONE after 1000 datagrams")


def newaddr(ch, index):
    ip = socket.inet_aton("10.77.0.1")
    body = struct.pack("=BBBBI", socket.AF_INET, 24, 0, 0, index) + attr(IFA_LOCAL, ip) + attr(IFA_ADDRESS, ip)
    ch.send(message(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 2, body))
    for _ in range(100):
        for mtype, payload in messages(ch.recv()):
            if mtype == NLMSG_ERROR:
                return -struct.unpack_from("=i", payload)[0]
    raise SystemExit("no ack after 100 datagrams")


def wait_link(ch, name):
    for _ in range(1000):
        for mtype, payload in messages(ch.recv()):
            if mtype == RTM_NEWLINK and link(payload)[1] == name:
                return "seen"
    raise SystemExit("no RTM_NEWLINK for %s in 1000 datagrams" % name)


def main():
    cmd, where = sys.argv[1], sys.argv[2]
    try:
        ch = Channel(where)
    except OSError as e:
        print("open: errno %d" % e.errno)
        return
    if cmd == "dump":
        print(json.dumps(dump(ch)))
    elif cmd == "newaddr":
        print(newaddr(ch, int(sys.argv[3])))
    elif cmd == "wait-link":
        print(wait_link(ch, sys.argv[3]))


main()
