"""sockfs_socket: the socket module's interface over a sockfs mount, made of
file I/O only (open, read, write, close): for Pythons that have files but no
sockets (sandboxes, WASI runtimes, seccomp profiles without socket(2)).

    import sockfs_socket as socket          # SOCKFS=/sockfs by default
    with socket.create_connection(("example.com", 80)) as s:
        s.sendall(b"GET / HTTP/1.0\\r\\nHost: example.com\\r\\n\\r\\n")
        print(s.recv(100))

Each socket object is a socket made by opening the mount's `clone`, so it
closes when the object (and every file made by makefile()) is closed, as a
socket object does. Accepted sockets are set to autoclose, which gives them
the same lifetime. There is no fileno() of a kernel socket: fileno() is the
descriptor of the socket's `data` file, which select/poll/selectors accept.

What is not here: sendmsg/recvmsg with ancillary data (write `msgs`
yourself), socketpair, fromfd/dup/detach, the IOCTL and CAN families.
"""

import base64
import errno as _errno
import io
import ipaddress
import json
import os

__all__ = [
    "socket", "create_connection", "create_server", "getaddrinfo", "gethostname",
    "gethostbyname", "getnameinfo", "getservbyname", "getdefaulttimeout",
    "setdefaulttimeout", "timeout", "error", "herror", "gaierror",
    "AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_INET6", "SOCK_STREAM", "SOCK_DGRAM",
    "SOCK_RAW", "SOCK_SEQPACKET", "SOL_SOCKET", "SO_REUSEADDR", "SO_KEEPALIVE",
    "SO_BROADCAST", "SO_RCVBUF", "SO_SNDBUF", "SO_ERROR", "SO_TYPE", "SO_REUSEPORT",
    "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IP", "IPPROTO_IPV6", "TCP_NODELAY",
    "SHUT_RD", "SHUT_WR", "SHUT_RDWR", "MSG_PEEK", "MSG_OOB", "MSG_DONTWAIT",
    "MSG_WAITALL", "AI_PASSIVE", "AI_CANONNAME", "AI_NUMERICHOST", "SOMAXCONN",
]

MOUNT = os.environ.get("SOCKFS", "/sockfs")

# Linux's numbers, as the socket module has them; sockfs is told names.
AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6 = 0, 1, 2, 10
SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET = 1, 2, 3, 5
SOCK_NONBLOCK, SOCK_CLOEXEC = 0o4000, 0o2000000
SOL_SOCKET = 1
SO_DEBUG, SO_REUSEADDR, SO_TYPE, SO_ERROR, SO_DONTROUTE, SO_BROADCAST = 1, 2, 3, 4, 5, 6
SO_SNDBUF, SO_RCVBUF, SO_KEEPALIVE, SO_REUSEPORT = 7, 8, 9, 15
IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6 = 0, 6, 17, 41
TCP_NODELAY = 1
SHUT_RD, SHUT_WR, SHUT_RDWR = 0, 1, 2
MSG_OOB, MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL = 1, 2, 0x40, 0x100
AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV = 1, 2, 4, 0x400
SOMAXCONN = 4096

_AF = {AF_UNSPEC: None, AF_UNIX: "AF_UNIX", AF_INET: "AF_INET", AF_INET6: "AF_INET6"}
_SOCK = {SOCK_STREAM: "SOCK_STREAM", SOCK_DGRAM: "SOCK_DGRAM", SOCK_RAW: "SOCK_RAW",
         SOCK_SEQPACKET: "SOCK_SEQPACKET"}
_NAMES = {"AF_UNSPEC": 0, "AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "SOCK_STREAM": 1,
          "SOCK_DGRAM": 2, "SOCK_RAW": 3, "SOCK_SEQPACKET": 5}

error = OSError


class herror(OSError):
    pass


class gaierror(OSError):
    pass


timeout = TimeoutError

_default_timeout = None


def getdefaulttimeout():
    return _default_timeout


def setdefaulttimeout(t):
    global _default_timeout
    _default_timeout = None if t is None else float(t)


def _num(v):
    return _NAMES.get(v, v) if isinstance(v, str) else v


def _raise(reply, err):
    """The OSError a sockfs error reply stands for."""
    e = reply.get("error", {}) if isinstance(reply, dict) else {}
    code = e.get("errno", err.errno if err else _errno.EIO)
    msg = e.get("message") or os.strerror(code)
    if "gai" in e:
        raise gaierror(e["gai"].get("errno", code), msg)
    raise OSError(code, msg)  # ConnectionRefusedError, TimeoutError, ... by errno


class _Chan:
    """An open ctl-like file: write one command, read its one-line reply."""

    def __init__(self, path):
        self.f = open(path, "r+b", buffering=0)

    def call(self, obj, *, want_errno=False):
        line = (json.dumps(obj) + "\n").encode()
        err = None
        try:
            self.f.write(line)
        except OSError as e:
            err = e
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = self.f.read(1 << 16)
            if not chunk:
                break
            buf += chunk
        reply = json.loads(buf) if buf else {}
        if err is not None:
            if want_errno:
                return reply
            _raise(reply, err)
        return reply

    def close(self):
        self.f.close()


def _query(obj):
    q = _Chan(os.path.join(MOUNT, "net", "query"))
    try:
        return q.call(obj)["result"]
    finally:
        q.close()


def _addr_out(a):
    """A reply's address as the socket module gives it."""
    if isinstance(a, list):
        return tuple(a)
    if isinstance(a, str):
        return a.encode("latin-1") if a.startswith("\0") else a
    return a


def _addr_in(a):
    if isinstance(a, (tuple, list)):
        return list(a)
    if isinstance(a, (bytes, bytearray)):
        return bytes(a).decode("latin-1")
    return a


def _is_numeric(host):
    try:
        ipaddress.ip_address(host.split("%")[0])
        return True
    except ValueError:
        return host in ("", "<broadcast>")


class socket:
    """socket.socket, over the files of one sockfs socket."""

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None, *, _id=None):
        if fileno is not None:
            raise OSError(_errno.EOPNOTSUPP, "sockfs_socket: fileno= is not supported")
        self._family = AF_INET if family == -1 else family
        self._type = SOCK_STREAM if type == -1 else type
        self._proto = 0 if proto == -1 else proto
        self._data = self._msgs = None
        self._closed = False
        self._timeout = None
        self._makefile_refs = 0
        if _id is None:
            self._ctl = _Chan(os.path.join(MOUNT, "clone"))
            self._id = int(self._ctl.f.read(64).split(b"\n")[0])
            blocking = not (self._type & SOCK_NONBLOCK)
            self._type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC)
            if self._family != AF_UNSPEC:
                self._ctl.call({"op": "socket", "family": _AF.get(self._family, self._family),
                                "type": _SOCK.get(self._type, self._type), "proto": self._proto})
            else:
                self._ctl.call({"op": "socket", "type": _SOCK.get(self._type, self._type),
                                "proto": self._proto})
            if not blocking:
                self.setblocking(False)
            elif _default_timeout is not None:
                self.settimeout(_default_timeout)
        else:
            self._id = _id
            self._ctl = _Chan(self._path("ctl"))
            self._ctl.call({"op": "autoclose"})

    # -- files
    def _path(self, name):
        return os.path.join(MOUNT, str(self._id), name)

    def _datafile(self):
        self._check()
        if self._data is None:
            self._data = open(self._path("data"), "r+b", buffering=0)
        return self._data

    def _msgsfile(self):
        self._check()
        if self._msgs is None:
            self._msgs = open(self._path("msgs"), "r+b", buffering=0)
        return self._msgs

    def _check(self):
        if self._closed:
            raise OSError(_errno.EBADF, "Bad file descriptor")

    def _call(self, obj, **kw):
        self._check()
        return self._ctl.call(obj, **kw)

    def _io(self, fn, *args):
        """A data/msgs call, with the socket module's exceptions."""
        try:
            return fn(*args)
        except BlockingIOError:
            raise
        except OSError as e:
            if e.errno == _errno.ETIMEDOUT and self._timeout:
                raise timeout("timed out") from None
            if e.errno == _errno.EAGAIN:
                raise BlockingIOError(e.errno, "Resource temporarily unavailable") from None
            raise

    # -- attributes
    @property
    def family(self):
        return self._family

    @property
    def type(self):
        return self._type

    @property
    def proto(self):
        return self._proto

    def fileno(self):
        """The data file's descriptor (pollable), or -1 once closed."""
        return -1 if self._closed else self._datafile().fileno()

    @property
    def sockfs_id(self):
        return self._id

    def __repr__(self):
        return "<sockfs_socket.socket id=%s family=%s type=%s%s>" % (
            self._id, self._family, self._type, " [closed]" if self._closed else "")

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()

    # -- connection
    def _resolve(self, address):
        return _addr_in(address)

    def connect(self, address):
        r = self._call({"op": "connect", "address": self._resolve(address)})
        self._learn_family(r.get("address"))

    def connect_ex(self, address):
        r = self._call({"op": "connect_ex", "address": self._resolve(address)}, want_errno=True)
        if "error" in r:
            return r["error"].get("errno", _errno.EIO)
        self._learn_family(r.get("address"))
        return r.get("errno", 0)

    def _learn_family(self, a):
        if isinstance(a, list):
            self._family = AF_INET6 if len(a) == 4 else AF_INET
        elif isinstance(a, str):
            self._family = AF_UNIX

    def bind(self, address):
        r = self._call({"op": "bind", "address": self._resolve(address)})
        self._learn_family(r.get("address"))

    def listen(self, backlog=None):
        obj = {"op": "listen"}
        if backlog is not None:
            obj["backlog"] = max(0, int(backlog))
        self._call(obj)

    def accept(self):
        r = self._call({"op": "accept"})
        s = socket(self._family, self._type, self._proto, _id=r["id"])
        if self._timeout is not None or _default_timeout is not None:
            s.settimeout(_default_timeout)
        return s, _addr_out(r["address"])

    def shutdown(self, how):
        names = {SHUT_RD: "SHUT_RD", SHUT_WR: "SHUT_WR", SHUT_RDWR: "SHUT_RDWR"}
        self._call({"op": "shutdown", "how": names.get(how, how)})

    def getsockname(self):
        return _addr_out(self._call({"op": "getsockname"})["address"])

    def getpeername(self):
        return _addr_out(self._call({"op": "getpeername"})["address"])

    # -- timeouts
    def settimeout(self, value):
        if value is not None:
            value = float(value)
            if value < 0:
                raise ValueError("Timeout value out of range")
        self._call({"op": "settimeout", "timeout": value})
        self._timeout = value

    def gettimeout(self):
        return self._timeout

    def setblocking(self, flag):
        self.settimeout(None if flag else 0.0)

    def getblocking(self):
        return self._timeout != 0.0

    # -- options
    def setsockopt(self, level, optname, value, optlen=None):
        obj = {"op": "setsockopt", "level": level, "optname": optname}
        if isinstance(value, (bytes, bytearray)):
            obj["bytes"] = base64.b64encode(bytes(value)).decode()
        else:
            obj["int"] = int(value)
        self._call(obj)

    def getsockopt(self, level, optname, buflen=None):
        obj = {"op": "getsockopt", "level": level, "optname": optname}
        if buflen:
            obj["buflen"] = buflen
        r = self._call(obj)
        if "bytes" in r:
            return base64.b64decode(r["bytes"])
        return r["int"]

    # -- data
    def send(self, data, flags=0):
        data = bytes(data)
        if flags:
            r = self._call({"op": "send", "data": base64.b64encode(data).decode(),
                            "encoding": "base64", "flags": flags})
            return r["sent"]
        if self._type != SOCK_STREAM and not data:
            return self._sendmsg(data, None)
        n = self._io(self._datafile().write, data)
        if n is None:  # the raw file's answer to EAGAIN
            raise BlockingIOError(_errno.EAGAIN, "Resource temporarily unavailable")
        return n

    def sendall(self, data, flags=0):
        view = memoryview(bytes(data))
        while view:
            n = self.send(view, flags)
            view = view[n:]

    def recv(self, bufsize, flags=0):
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        if flags:
            r = self._call({"op": "recv", "bufsize": bufsize, "flags": flags,
                            "encoding": "base64"})
            return base64.b64decode(r["data"])
        if bufsize == 0:
            return b""
        data = self._io(self._datafile().read, bufsize)
        if data is None:
            raise BlockingIOError(_errno.EAGAIN, "Resource temporarily unavailable")
        return data

    def recv_into(self, buffer, nbytes=0, flags=0):
        n = nbytes or len(buffer)
        data = self.recv(n, flags)
        buffer[:len(data)] = data
        return len(data)

    def _sendmsg(self, data, address, flags=0):
        obj = {"data": base64.b64encode(bytes(data)).decode(), "encoding": "base64"}
        if address is not None:
            obj["address"] = _addr_in(address)
        if flags:
            obj["flags"] = flags
        self._io(self._msgsfile().write, (json.dumps(obj) + "\n").encode())
        return len(data)

    def sendto(self, data, flags_or_addr, addr=None):
        flags, address = (0, flags_or_addr) if addr is None else (flags_or_addr, addr)
        if isinstance(address, tuple) and isinstance(address[0], str) and \
                not _is_numeric(address[0]):
            fam = self._family if self._family in (AF_INET, AF_INET6) else 0
            address = getaddrinfo(address[0], address[1], fam, SOCK_DGRAM)[0][4]
        return self._sendmsg(data, address, flags)

    def recvfrom(self, bufsize, flags=0):
        if flags:
            raise OSError(_errno.EOPNOTSUPP, "sockfs_socket: recvfrom flags")
        f = self._msgsfile()
        line = b""
        while not line.endswith(b"\n"):
            chunk = self._io(f.read, 1 << 20)
            if chunk is None:
                raise BlockingIOError(_errno.EAGAIN, "Resource temporarily unavailable")
            if not chunk:
                return b"", None
            line += chunk
        m = json.loads(line)
        data = m["data"].encode() if m["encoding"] == "utf-8" else base64.b64decode(m["data"])
        return data[:bufsize], _addr_out(m.get("address"))

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        data, address = self.recvfrom(nbytes or len(buffer), flags)
        buffer[:len(data)] = data
        return len(data), address

    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        """Files of this socket's data, as socket.makefile makes them; the
        socket stays open until they are closed too."""
        if not set(mode) <= {"r", "w", "b"}:
            raise ValueError("invalid mode %r (only r, w, b allowed)" % (mode,))
        reading, writing = "r" in mode, "w" in mode
        raw = _DataIO(self, reading, writing)
        if buffering is None:
            buffering = -1
        if buffering < 0:
            buffering = io.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            if "b" not in mode:
                raise ValueError("unbuffered streams must be binary")
            return raw
        if reading and writing:
            buf = io.BufferedRWPair(raw, raw, buffering)
        elif reading:
            buf = io.BufferedReader(raw, buffering)
        else:
            buf = io.BufferedWriter(raw, buffering)
        if "b" in mode:
            return buf
        text = io.TextIOWrapper(buf, encoding, errors, newline)
        text.mode = mode
        return text

    # -- the end
    def close(self):
        if self._closed:
            return
        self._closed = True
        if self._makefile_refs == 0:
            self._release()

    def _release(self):
        for f in (self._data, self._msgs):
            if f is not None:
                f.close()
        self._data = self._msgs = None
        self._ctl.close()  # the last file of the socket: it closes

    def _unref(self):
        self._makefile_refs -= 1
        if self._closed and self._makefile_refs == 0:
            self._release()

    def detach(self):
        raise OSError(_errno.EOPNOTSUPP, "sockfs_socket: detach")


class _DataIO(io.RawIOBase):
    """The raw file under makefile(): its own open files of data."""

    def __init__(self, sock, reading, writing):
        super().__init__()
        sock._check()
        self._sock = sock
        self._r = open(sock._path("data"), "rb", buffering=0) if reading else None
        self._w = open(sock._path("data"), "wb", buffering=0) if writing else None
        sock._makefile_refs += 1

    def readable(self):
        return self._r is not None

    def writable(self):
        return self._w is not None

    def readinto(self, b):
        data = self._sock._io(self._r.read, len(b))
        if data is None:
            return None
        b[:len(data)] = data
        return len(data)

    def write(self, b):
        return self._sock._io(self._w.write, bytes(b))

    def fileno(self):
        return (self._r or self._w).fileno()

    def close(self):
        if self.closed:
            return
        super().close()
        for f in (self._r, self._w):
            if f is not None:
                f.close()
        self._sock._unref()


# -- module functions

_GLOBAL_DEFAULT_TIMEOUT = object()


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None, *,
                      all_errors=False):
    """Connect to (host, port), trying every address of the name (sockfs
    does the trying, as create_connection does)."""
    host, port = address[0], address[1]
    s = socket(AF_UNSPEC, SOCK_STREAM)
    try:
        if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
            s.settimeout(timeout)
        if source_address:
            s.bind(source_address)
        s.connect((host, port))
        return s
    except BaseException:
        s.close()
        raise


def create_server(address, *, family=AF_INET, backlog=None, reuse_port=False,
                  dualstack_ipv6=False):
    s = socket(family, SOCK_STREAM)
    try:
        obj = {"op": "listen", "address": _addr_in(address)}
        if backlog is not None:
            obj["backlog"] = backlog
        if reuse_port:
            obj["reuse_port"] = True
        if dualstack_ipv6:
            obj["dualstack_ipv6"] = True
        s._call(obj)
        return s
    except BaseException:
        s.close()
        raise


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """socket.getaddrinfo through net/query."""
    obj = {"op": "getaddrinfo", "host": host, "port": port, "family": family, "type": type,
           "proto": proto, "flags": flags}
    if isinstance(port, bytes):
        obj["port"] = port.decode()
    if isinstance(host, bytes):
        obj["host"] = host.decode()
    out = []
    for fam, typ, pro, canon, sa in _query(obj):
        out.append((_num(fam), _num(typ), pro, canon, tuple(sa)))
    return out


def gethostname():
    return _query({"op": "gethostname"})


def gethostbyname(hostname):
    return _query({"op": "gethostbyname", "hostname": hostname})


def getnameinfo(sockaddr, flags):
    return tuple(_query({"op": "getnameinfo", "sockaddr": list(sockaddr), "flags": flags}))


def getservbyname(servicename, protocolname=None):
    obj = {"op": "getservbyname", "servicename": servicename}
    if protocolname:
        obj["protocolname"] = protocolname
    return _query(obj)
