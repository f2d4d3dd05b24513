#!/usr/bin/env python3
"""A small DNS server for the tests, on UDP, answering after a delay.

Zone (names are case-insensitive):
  slowN.sockfs.test   A 10.77.N/256.N%256   (N a number)
  host.sockfs.test    A 10.77.255.1
  anything else       NXDOMAIN
AAAA and other types of a known name get an empty NOERROR answer.
Every query is logged as one line "QNAME QTYPE" to --log (flushed), so a
test can wait until its lookups reached the server.
"""
import argparse
import socket
import struct
import sys
import threading


def parse_name(msg, off):
    labels = []
    while True:
        n = msg[off]
        off += 1
        if n == 0:
            return ".".join(labels), off
        if n & 0xC0:
            raise ValueError("compressed name in a question")
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n


def address_of(name):
    name = name.lower().rstrip(".")
    if name == "host.sockfs.test":
        return bytes([10, 77, 255, 1])
    if name.startswith("slow") and name.endswith(".sockfs.test"):
        num = name[4:-len(".sockfs.test")]
        if num.isdigit() and int(num) < 65536:
            n = int(num)
            return bytes([10, 77, n // 256, n % 256])
    return None


def answer(query):
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    if qdcount != 1:
        return None, None, None
    name, off = parse_name(query, 12)
    qtype, qclass = struct.unpack("!HH", query[off:off + 4])
    question = query[12:off + 4]
    addr = address_of(name)
    rd = flags & 0x0100
    if addr is None:
        hdr = struct.pack("!HHHHHH", qid, 0x8080 | rd | 3, 1, 0, 0, 0)
        return hdr + question, name, qtype
    if qtype == 1:
        rr = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + addr
        hdr = struct.pack("!HHHHHH", qid, 0x8080 | rd, 1, 1, 0, 0)
        return hdr + question + rr, name, qtype
    hdr = struct.pack("!HHHHHH", qid, 0x8080 | rd, 1, 0, 0, 0)
    return hdr + question, name, qtype


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", default="127.0.0.53")
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((a.addr, a.port))
    log = open(a.log, "a", buffering=1)
    lock = threading.Lock()
    with open(a.ready, "w") as f:
        f.write("ready\n")
    while True:
        query, peer = sock.recvfrom(4096)
        try:
            reply, name, qtype = answer(query)
        except (ValueError, IndexError, struct.error):
            continue
        if reply is None:
            continue
        with lock:
            log.write("%s %d\n" % (name, qtype))

        def send(reply=reply, peer=peer):
            sock.sendto(reply, peer)

        if a.delay > 0:
            t = threading.Timer(a.delay, send)
            t.daemon = True
            t.start()
        else:
            send()


if __name__ == "__main__":
    sys.exit(main())
