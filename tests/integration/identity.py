#!/usr/bin/env python3
"""identity.py - the kernel's own answers for identity.sh, made directly by
the calling user (no sockfs), and a unix peer that reports who connected.

  identity.py newaddr-msg ADDR       an RTM_NEWADDR for lo, as bytes on stdout
  identity.py nlack                  read a netlink ack on stdin: the errno
                                     name of its error (OK for 0)
  identity.py newaddr ADDR           send RTM_NEWADDR directly: the ack's errno
  identity.py sockopt FAMILY LEVEL OPTNAME HEX
                                     setsockopt directly: OK or the errno name
  identity.py reuseport HOST PORT    bind+listen with SO_REUSEPORT: OK or errno
  identity.py connect-unix PATH      connect, send "direct", close: OK or errno
  identity.py peer DIR               a unix stream server DIR/s and a datagram
                                     socket DIR/d (SO_PASSCRED), logging one
                                     JSON line per connection or message to
                                     stdout: SO_PEERCRED and SCM_CREDENTIALS
"""
import errno
import json
import os
import select
import socket
import struct
import sys

RTM_NEWADDR = 20
NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL = 1, 4, 0x400, 0x200
IFA_LOCAL, IFA_ADDRESS = 2, 1


def ename(e):
    return errno.errorcode.get(e, str(e)) if e else "OK"


def newaddr_msg(addr):
    a = socket.inet_aton(addr)
    attrs = b""
    for t in (IFA_LOCAL, IFA_ADDRESS):
        attrs += struct.pack("=HH", 8, t) + a
    body = struct.pack("=BBBBI", socket.AF_INET, 32, 0, 0, socket.if_nametoindex("lo")) + attrs
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL
    return struct.pack("=IHHII", 16 + len(body), RTM_NEWADDR, flags, 1, 0) + body


def ack_errno(buf):
    # nlmsghdr then nlmsgerr {int error; nlmsghdr msg}
    if len(buf) < 20:
        return "SHORT"
    (err,) = struct.unpack_from("=i", buf, 16)
    return ename(-err)


def main():
    cmd = sys.argv[1]
    if cmd == "newaddr-msg":
        sys.stdout.buffer.write(newaddr_msg(sys.argv[2]))
    elif cmd == "nlack":
        print(ack_errno(sys.stdin.buffer.read()))
    elif cmd == "newaddr":
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 0)
        s.send(newaddr_msg(sys.argv[2]))
        print(ack_errno(s.recv(4096)))
    elif cmd == "sockopt":
        fam = getattr(socket, sys.argv[2])
        s = socket.socket(fam, socket.SOCK_STREAM)
        try:
            s.setsockopt(int(sys.argv[3]), int(sys.argv[4]), bytes.fromhex(sys.argv[5]))
            print("OK")
        except OSError as e:
            print(ename(e.errno))
    elif cmd == "reuseport":
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            s.bind((sys.argv[2], int(sys.argv[3])))
            s.listen()
            print("OK")
        except OSError as e:
            print(ename(e.errno))
    elif cmd == "connect-unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(sys.argv[2])
            s.sendall(b"direct")
            print("OK")
        except OSError as e:
            print(ename(e.errno))
    elif cmd == "peer":
        peer(sys.argv[2])


def creds(anc):
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS:
            pid, uid, gid = struct.unpack("=iII", data[:12])
            return {"pid": pid, "uid": uid, "gid": gid}
    return None


def peer(d):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    srv.bind(os.path.join(d, "s"))
    os.chmod(os.path.join(d, "s"), 0o777)
    srv.listen(16)
    dg = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dg.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    dg.bind(os.path.join(d, "d"))
    os.chmod(os.path.join(d, "d"), 0o777)
    open(os.path.join(d, "ready"), "w").close()
    space = socket.CMSG_SPACE(12)
    while True:
        r, _, _ = select.select([srv, dg], [], [], 60)
        if not r:
            return
        if dg in r:
            data, anc, _, _ = dg.recvmsg(4096, space)
            print(json.dumps({"kind": "dgram", "data": data.decode(errors="replace"),
                              "scm": creds(anc)}), flush=True)
        if srv in r:
            c, _ = srv.accept()
            c.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
            pid, uid, gid = struct.unpack("=iII", c.getsockopt(
                socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
            c.settimeout(10)
            data, scm = b"", None
            try:
                while True:
                    b, anc, _, _ = c.recvmsg(4096, space)
                    if not b:
                        break
                    data += b
                    scm = scm or creds(anc)
            except OSError:
                pass
            c.close()
            print(json.dumps({"kind": "stream", "peercred": {"pid": pid, "uid": uid, "gid": gid},
                              "data": data.decode(errors="replace"), "scm": scm}), flush=True)


if __name__ == "__main__":
    main()
