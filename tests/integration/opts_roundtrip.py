"""Round trip of every option the opts file lists, on TCP (v4, v6), UDP and
unix sockets: set each writable one to a different valid value, read it
back. Also: bad names, bad values, read-only options, all-or-nothing
checking, the "raw" entries and the getsockopt/setsockopt verbs.

Usage: opts_roundtrip.py MOUNTPOINT. Exits 0 when all checks pass.
"""
import errno
import json
import os
import sys

import sfs
from sfs import check, ctl, new_socket

mnt = sfs.mnt = sys.argv[1]

# Values the kernel adjusts: how a read-back relates to what was set.
ADJUSTED = {
    "SO_RCVBUF": lambda s, r: r == 2 * s,
    "SO_SNDBUF": lambda s, r: r == 2 * s,
    # Quick-ack mode ends by itself; the kernel reports the current mode.
    "TCP_QUICKACK": lambda s, r: isinstance(r, bool),
    # Seconds become SYN-ACK retransmissions, read back rounded up.
    "TCP_DEFER_ACCEPT": lambda s, r: r >= s,
}

# The options the table marks read-only (fs-layout.md, "*"): only these may
# refuse a write as read-only.
READ_ONLY = {
    "SO_ACCEPTCONN", "SO_DOMAIN", "SO_ERROR", "SO_PROTOCOL", "SO_TYPE",
    "SO_SNDLOWAT", "SO_PEERCRED", "TCP_INFO", "IP_MTU", "IPV6_MTU",
}

INTS = {
    "SO_PRIORITY": 5, "SO_RCVLOWAT": 7, "SO_MARK": 42, "SO_INCOMING_CPU": 0,
    "SO_RCVBUF": 20000, "SO_SNDBUF": 30000,
    "TCP_MAXSEG": 1000, "TCP_KEEPIDLE": 100, "TCP_KEEPINTVL": 20, "TCP_KEEPCNT": 4,
    "TCP_USER_TIMEOUT": 5000, "TCP_NOTSENT_LOWAT": 12345, "TCP_SYNCNT": 3,
    "TCP_LINGER2": 30, "TCP_DEFER_ACCEPT": 5, "TCP_WINDOW_CLAMP": 40000,
    "TCP_FASTOPEN": 5, "IP_TOS": 16, "IP_TTL": 33, "IP_MULTICAST_TTL": 5,
    "IP_MTU_DISCOVER": 2, "IPV6_UNICAST_HOPS": 33, "IPV6_TCLASS": 32,
    "IPV6_MULTICAST_HOPS": 5, "IPV6_MTU_DISCOVER": 2,
    "UDPLITE_SEND_CSCOV": 20, "UDPLITE_RECV_CSCOV": 20,
}


def read_opts(sid):
    with open(os.path.join(mnt, sid, "opts")) as f:
        return json.load(f)


def write_opts(sid, obj):
    """Write; return (errno or 0, the reply or error JSON)."""
    fd = os.open(os.path.join(mnt, sid, "opts"), os.O_RDWR)
    try:
        try:
            os.write(fd, json.dumps(obj).encode())
            rc = 0
        except OSError as e:
            rc = e.errno
        return rc, json.loads(os.read(fd, 65536) or b"null")
    finally:
        os.close(fd)


def congestion_other(cur):
    with open("/proc/sys/net/ipv4/tcp_available_congestion_control") as f:
        algs = f.read().split()
    others = [a for a in algs if a != cur]
    return others[0] if others else None


def new_value(name, cur):
    if isinstance(cur, bool):
        return not cur
    if name in INTS:
        return INTS[name]
    if name == "SO_LINGER":
        return {"onoff": not cur["onoff"], "linger": cur["linger"] + 7}
    if name in ("SO_RCVTIMEO", "SO_SNDTIMEO"):
        return 1.5
    if name == "TCP_CONGESTION":
        return congestion_other(cur)
    if name == "SO_BINDTODEVICE":
        return "lo"
    if name == "IP_OPTIONS":
        return {"base64": "AQEBAQ=="}  # four NOPs
    return None


def round_trip(label, sid):
    opts = read_opts(sid)
    check(len(opts) > 10, "%s: opts lists %d options" % (label, len(opts)))
    n = 0
    for name, cur in opts.items():
        want = new_value(name, cur)
        rc, reply = write_opts(sid, {name: want})
        if rc == errno.ENOPROTOOPT and "read-only" in reply["error"]["message"]:
            check(name in READ_ONLY, "%s: %s refuses writes as read-only" % (label, name))
            continue
        check(name not in READ_ONLY, "%s: read-only %s takes a write (%d)" % (label, name, rc))
        if want is None:
            check(False, "%s: no test value for writable option %s" % (label, name))
            continue
        # A value equal to the current one would pass without setting anything.
        check(want != cur, "%s: %s test value %s differs from the current %s"
              % (label, name, json.dumps(want), json.dumps(cur)))
        got = read_opts(sid).get(name)
        adj = ADJUSTED.get(name)
        ok = rc == 0 and (adj(want, got) if adj else got == want)
        check(ok, "%s: %s set to %s reads back %s (errno %d%s)" % (
            label, name, json.dumps(want), json.dumps(got), rc,
            "" if rc == 0 else ": " + reply["error"]["message"]))
        n += 1
    check(n > 5, "%s: %d writable options round-tripped" % (label, n))


tcp = new_socket(family="AF_INET", type="SOCK_STREAM")
round_trip("TCP/IPv4", tcp)
round_trip("TCP/IPv6", new_socket(family="AF_INET6", type="SOCK_STREAM"))
udp = new_socket(family="AF_INET", type="SOCK_DGRAM")
round_trip("UDP/IPv4", udp)
round_trip("UDP/IPv6", new_socket(family="AF_INET6", type="SOCK_DGRAM"))
round_trip("unix stream", new_socket(family="AF_UNIX", type="SOCK_STREAM"))
round_trip("unix dgram", new_socket(family="AF_UNIX", type="SOCK_DGRAM"))
try:
    lite = new_socket(family="AF_INET", type="SOCK_DGRAM", proto="IPPROTO_UDPLITE")
    round_trip("UDP-Lite", lite)
except OSError as e:
    print("skip: UDP-Lite sockets: %s" % e)

check("TCP_NODELAY" not in read_opts(udp), "UDP: TCP options are not listed")
check("TCP_INFO" in read_opts(tcp) and "base64" in read_opts(tcp)["TCP_INFO"],
      "TCP: TCP_INFO is bytes (base64)")

# Errors name the option.
rc, e = write_opts(tcp, {"SO_NOSUCH": 1})
check(rc == errno.ENOPROTOOPT and "SO_NOSUCH" in e["error"]["message"],
      "unknown name: ENOPROTOOPT naming it (%d, %s)" % (rc, e))
rc, e = write_opts(tcp, {"SO_KEEPALIVE": "yes"})
check(rc == errno.EINVAL and "SO_KEEPALIVE" in e["error"]["message"],
      "bad value: EINVAL naming the option (%d, %s)" % (rc, e))
rc, e = write_opts(tcp, {"SO_TYPE": 2})
check(rc == errno.ENOPROTOOPT and "read-only" in e["error"]["message"],
      "read-only option: ENOPROTOOPT (%d, %s)" % (rc, e))
rc, e = write_opts(udp, {"TCP_NODELAY": True})
check(rc == errno.ENOPROTOOPT and "TCP_NODELAY" in e["error"]["message"],
      "option of another protocol: ENOPROTOOPT (%d, %s)" % (rc, e))
# All or nothing: a bad entry after a good one sets neither.
before = read_opts(tcp)["SO_KEEPALIVE"]
rc, e = write_opts(tcp, {"SO_KEEPALIVE": not before, "IP_TTL": "x"})
check(rc == errno.EINVAL and "IP_TTL" in e["error"]["message"]
      and read_opts(tcp)["SO_KEEPALIVE"] == before,
      "a bad entry fails the write and nothing is set (%d, %s)" % (rc, e))
# A kernel failure midway: the error says what was applied.
rc, e = write_opts(tcp, {"SO_KEEPALIVE": True, "TCP_CONGESTION": "nosuchalg"})
check(rc != 0 and e["error"].get("applied") == ["SO_KEEPALIVE"]
      and e["error"].get("failed") == "TCP_CONGESTION",
      "kernel failure midway: applied and failed are reported (%d, %s)" % (rc, e))
# Several at once, and raw entries.
rc, r = write_opts(tcp, {"SO_KEEPALIVE": False, "TCP_KEEPCNT": 6,
                         "raw": [{"level": 6, "optname": 1, "int": 1}]})
o = read_opts(tcp)
check(rc == 0 and o["SO_KEEPALIVE"] is False and o["TCP_KEEPCNT"] == 6 and o["TCP_NODELAY"] is True,
      "several options and a raw entry in one write (%d, %s)" % (rc, r))
# The verbs.
rc, r = ctl(tcp, {"op": "setsockopt", "level": "SOL_SOCKET", "optname": 9, "int": 1})
rc2, g = ctl(tcp, {"op": "getsockopt", "level": 1, "optname": 9})
check(rc == 0 and rc2 == 0 and g["int"] == 1, "setsockopt/getsockopt SO_KEEPALIVE by number (%s)" % g)
rc, g = ctl(tcp, {"op": "getsockopt", "optname": "TCP_INFO", "buflen": 104})
check(rc == 0 and len(g["bytes"]["base64"]) > 100, "getsockopt with buflen gives bytes (%s)" % g)
rc, g = ctl(tcp, {"op": "getsockopt", "level": 1, "optname": 9999})
check(rc == errno.ENOPROTOOPT and "9999" in g["error"]["message"],
      "unknown numeric option: ENOPROTOOPT naming it (%d, %s)" % (rc, g))
rc, g = ctl(tcp, {"op": "setsockopt", "level": 6, "optname": 1})
check(rc == errno.EINVAL, "setsockopt without a value: EINVAL (%d, %s)" % (rc, g))

sys.exit(sfs.done())
