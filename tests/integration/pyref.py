#!/usr/bin/env python3
"""Reference answers from Python's socket module, for net/query.

  pyref.py check QUERY REPLY WRITE_OK
      QUERY is a net/query JSON query; REPLY what sockfs answered on the
      same open file; WRITE_OK "1" if the write(2) succeeded. Makes the same
      call with the socket module and checks that sockfs agrees: the same
      result, or the same error (EAI_* name for gaierror, h_errno name for
      herror, errno name or message for OSError/ValueError), and that the
      write failed exactly when there was an error. Exit 0 or 1 with a
      message.
"""
import errno
import json
import socket
import sys


def const(v):
    return getattr(socket, v) if isinstance(v, str) else v


def flags(v, prefix):
    if v is None:
        return 0
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        parts = [p.strip() for p in v.split("|") if p.strip()]
    else:
        parts = v
    out = 0
    for p in parts:
        out |= p if isinstance(p, int) else getattr(socket, p)
    return out


def name_of(value, prefix):
    for n in dir(socket):
        if n.startswith(prefix) and getattr(socket, n) == value:
            return n
    return value


def ai_json(res):
    out = []
    for fam, typ, proto, canon, sa in res:
        out.append([fam.name if hasattr(fam, "name") else fam,
                    typ.name if hasattr(typ, "name") else typ, proto, canon, list(sa)])
    return out


def call(q):
    op = q["op"]
    g = q.get
    if op == "getaddrinfo":
        return ai_json(socket.getaddrinfo(g("host"), g("port"), const(g("family", 0)),
                                          const(g("type", 0)), const(g("proto", 0)),
                                          flags(g("flags"), "AI_")))
    if op == "getnameinfo":
        return list(socket.getnameinfo(tuple(g("sockaddr")), flags(g("flags"), "NI_")))
    if op == "gethostbyname":
        return socket.gethostbyname(g("hostname"))
    if op == "gethostbyname_ex":
        return list(socket.gethostbyname_ex(g("hostname")))
    if op == "gethostbyaddr":
        return list(socket.gethostbyaddr(g("ip_address")))
    if op == "getfqdn":
        return socket.getfqdn(g("name", ""))
    if op == "gethostname":
        return socket.gethostname()
    if op == "getservbyname":
        return socket.getservbyname(*[x for x in (g("servicename"), g("protocolname")) if x])
    if op == "getservbyport":
        return socket.getservbyport(*[x for x in (g("port"), g("protocolname")) if x is not None])
    if op == "getprotobyname":
        return socket.getprotobyname(g("protocolname"))
    if op == "if_nameindex":
        return [list(x) for x in socket.if_nameindex()]
    if op == "if_nametoindex":
        return socket.if_nametoindex(g("if_name"))
    if op == "if_indextoname":
        return socket.if_indextoname(g("if_index"))
    if op == "inet_pton":
        return socket.inet_pton(const(g("address_family")), g("ip_string")).hex()
    if op == "inet_ntop":
        return socket.inet_ntop(const(g("address_family")), bytes.fromhex(g("packed_ip")))
    if op == "inet_aton":
        return socket.inet_aton(g("ip_string")).hex()
    if op == "inet_ntoa":
        return socket.inet_ntoa(bytes.fromhex(g("packed_ip")))
    if op == "has_ipv6":
        return socket.has_ipv6
    raise SystemExit("pyref: no reference for op %r" % op)


def expected(q):
    try:
        return {"result": call(q)}
    except socket.gaierror as e:
        return {"gai": name_of(e.errno, "EAI_")}
    except socket.herror as e:
        names = {1: "HOST_NOT_FOUND", 2: "TRY_AGAIN", 3: "NO_RECOVERY", 4: "NO_DATA"}
        return {"herror": names.get(e.errno, e.errno)}
    except (OSError, ValueError, OverflowError) as e:
        if getattr(e, "errno", None):
            return {"errno": errno.errorcode[e.errno]}
        return {"message": str(e)}


def got(reply):
    if "error" not in reply:
        return {"result": reply.get("result")}
    e = reply["error"]
    if "gai" in e:
        return {"gai": e["gai"]["name"]}
    if "herror" in e:
        return {"herror": e["herror"]["name"]}
    return {"errno": e["name"], "message": e["message"]}


def main():
    if len(sys.argv) != 5 or sys.argv[1] != "check":
        raise SystemExit(__doc__)
    q = json.loads(sys.argv[2])
    try:
        reply = json.loads(sys.argv[3])
    except ValueError:
        print("reply is not JSON: [%s]" % sys.argv[3])
        return 1
    write_ok = sys.argv[4] == "1"
    exp, have = expected(q), got(reply)
    if "message" in exp and "message" in have:
        ok = exp["message"] == have["message"]
    elif "errno" in exp:
        ok = exp["errno"] == have.get("errno")
    else:
        ok = {k: have.get(k) for k in exp} == exp
    if ok and ("result" in exp) != write_ok:
        print("the write %s but Python %s" % ("succeeded" if write_ok else "failed",
                                              "raised" if "result" not in exp else "did not"))
        return 1
    if ok and "result" in exp and (reply.get("ok") is not True or reply.get("op") != q["op"]):
        print("reply lacks ok/op: %s" % reply)
        return 1
    if not ok:
        print("Python says %s, sockfs replied %s" % (json.dumps(exp), json.dumps(reply)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
