/* sockfs_wasi.c - BSD socket calls over sockfs files, for WASI programs
 * (see sockfs_wasi.h). Each socket: the open clone file (its commands and
 * replies, and its lifetime), its data file (the descriptor the program
 * holds) and, once needed, its msgs file. */
#include "sockfs_wasi.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SFS_MAX	 64
#define SFS_LINE 65536

struct sfs_sock {
	int data; /* the program's descriptor; -1: a free slot */
	int ctl, msgs;
	long id;
	int family, type;
};

static struct sfs_sock sfs_socks[SFS_MAX];
static int sfs_ready;

const char *sfs_mount(void)
{
	const char *m = getenv("SOCKFS");
	return m && *m ? m : "/sockfs";
}

static void sfs_init(void)
{
	if (sfs_ready)
		return;
	for (int i = 0; i < SFS_MAX; i++)
		sfs_socks[i].data = -1;
	sfs_ready = 1;
}

static struct sfs_sock *sfs_find(int fd)
{
	sfs_init();
	for (int i = 0; i < SFS_MAX; i++)
		if (sfs_socks[i].data == fd && fd >= 0)
			return &sfs_socks[i];
	errno = ENOTSOCK;
	return NULL;
}

/* The daemon's errno names, as this libc numbers them. */
static const struct {
	const char *name;
	int value;
} sfs_errnos[] = {
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"EINTR", EINTR},
    {"EIO", EIO},
    {"ENXIO", ENXIO},
    {"EBADF", EBADF},
    {"EAGAIN", EAGAIN},
    {"ENOMEM", ENOMEM},
    {"EACCES", EACCES},
    {"EINVAL", EINVAL},
    {"EMFILE", EMFILE},
    {"EPIPE", EPIPE},
    {"ENAMETOOLONG", ENAMETOOLONG},
    {"ENOTSOCK", ENOTSOCK},
    {"EDESTADDRREQ", EDESTADDRREQ},
    {"EMSGSIZE", EMSGSIZE},
    {"EPROTOTYPE", EPROTOTYPE},
    {"ENOPROTOOPT", ENOPROTOOPT},
    {"EPROTONOSUPPORT", EPROTONOSUPPORT},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
    {"EADDRINUSE", EADDRINUSE},
    {"EADDRNOTAVAIL", EADDRNOTAVAIL},
    {"ENETDOWN", ENETDOWN},
    {"ENETUNREACH", ENETUNREACH},
    {"ECONNABORTED", ECONNABORTED},
    {"ECONNRESET", ECONNRESET},
    {"ENOBUFS", ENOBUFS},
    {"EISCONN", EISCONN},
    {"ENOTCONN", ENOTCONN},
    {"ETIMEDOUT", ETIMEDOUT},
    {"ECONNREFUSED", ECONNREFUSED},
    {"EHOSTUNREACH", EHOSTUNREACH},
    {"EALREADY", EALREADY},
    {"EINPROGRESS", EINPROGRESS},
};

/* A reply line: 0 when "ok", else -1 with errno from its "name". */
static int sfs_reply_errno(const char *reply)
{
	const char *p;

	if (strstr(reply, "\"ok\":true"))
		return 0;
	p = strstr(reply, "\"name\":\"");
	errno = EIO;
	if (p) {
		p += 8;
		for (size_t i = 0; i < sizeof(sfs_errnos) / sizeof(sfs_errnos[0]); i++) {
			size_t n = strlen(sfs_errnos[i].name);
			if (!strncmp(p, sfs_errnos[i].name, n) && p[n] == '"') {
				errno = sfs_errnos[i].value;
				break;
			}
		}
	}
	return -1;
}

static int sfs_write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One line from fd (the reply files give one line per reply). */
static int sfs_read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		ssize_t r = read(fd, buf + len, size - 1 - len);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		len += (size_t)r;
		if (buf[len - 1] == '\n')
			break;
	}
	buf[len] = 0;
	return (int)len;
}

/* Write a command to a reply file and read its reply into reply (SFS_LINE
 * bytes): 0, or -1 with errno (the daemon's, when it said why). */
static int sfs_call(int fd, const char *cmd, char *reply)
{
	int werr = 0;

	if (write(fd, cmd, strlen(cmd)) < 0)
		werr = errno;
	if (sfs_read_line(fd, reply, SFS_LINE) <= 0) {
		errno = werr ? werr : EIO;
		return -1;
	}
	if (sfs_reply_errno(reply) < 0)
		return -1;
	return 0;
}

static const char *sfs_family_name(int family)
{
	switch (family) {
	case AF_INET:
		return "\"AF_INET\"";
	case AF_INET6:
		return "\"AF_INET6\"";
	case AF_UNIX:
		return "\"AF_UNIX\"";
	default:
		return "null";
	}
}

/* A sockaddr as sockfs's JSON address. -1 (EAFNOSUPPORT/EINVAL) if not. */
static int sfs_addr_json(const struct sockaddr *sa, socklen_t len, char *out, size_t size)
{
	char host[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(out, size, "[\"%s\",%u]", host, ntohs(in->sin_port));
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(out, size, "[\"%s\",%u,%u,%u]", host, ntohs(in6->sin6_port),
			 in6->sin6_flowinfo, in6->sin6_scope_id);
		return 0;
	}
	if (sa->sa_family == AF_UNIX) {
		const struct sfs_sockaddr_un *un = (const struct sfs_sockaddr_un *)sa;
		size_t n = len > sizeof(sa_family_t) ? len - sizeof(sa_family_t) : 0;
		size_t k = 0;
		if (n > sizeof(un->sun_path))
			n = sizeof(un->sun_path);
		k += (size_t)snprintf(out, size, "\"");
		for (size_t i = 0; i < n && k + 8 < size; i++) {
			unsigned char c = (unsigned char)un->sun_path[i];
			if (c == 0 && i > 0)
				break;
			if (c < 0x20 || c == '"' || c == '\\')
				k += (size_t)snprintf(out + k, size - k, "\\u%04x", c);
			else
				out[k++] = (char)c;
		}
		snprintf(out + k, size - k, "\"");
		return 0;
	}
	errno = EAFNOSUPPORT;
	return -1;
}

/* The JSON string at *p (after its opening quote) into out (bytes, n
 * max); *p then past its closing quote. Returns its length. */
static size_t sfs_json_string(const char **p, char *out, size_t n)
{
	const char *s = *p;
	size_t k = 0;

	while (*s && *s != '"') {
		unsigned c = (unsigned char)*s++;
		if (c == '\\') {
			char e = *s++;
			c = e == 'n'   ? '\n'
			    : e == 't' ? '\t'
			    : e == 'r' ? '\r'
			    : e == 'b' ? '\b'
			    : e == 'f' ? '\f'
				       : (unsigned char)e;
			if (e == 'u') {
				c = (unsigned)strtoul((char[5]){s[0], s[1], s[2], s[3], 0}, NULL,
						      16);
				s += 4;
				if (c >= 0x80) { /* as UTF-8 (no surrogate pairs here) */
					char u[3];
					size_t m = c < 0x800 ? 2 : 3;
					if (m == 2) {
						u[0] = (char)(0xc0 | (c >> 6));
						u[1] = (char)(0x80 | (c & 0x3f));
					} else {
						u[0] = (char)(0xe0 | (c >> 12));
						u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
						u[2] = (char)(0x80 | (c & 0x3f));
					}
					for (size_t i = 0; i < m; i++)
						if (k < n)
							out[k++] = u[i];
					continue;
				}
			}
		}
		if (k < n)
			out[k++] = (char)c;
	}
	if (*s == '"')
		s++;
	*p = s;
	return k;
}

/* A JSON address at p (["host",port...] or "path") as a sockaddr. */
static int sfs_addr_parse(const char *p, struct sockaddr *sa, socklen_t *len)
{
	struct sockaddr_storage ss;
	char host[128];
	socklen_t n;

	memset(&ss, 0, sizeof(ss));
	while (*p == ' ')
		p++;
	if (*p == '"') {
		struct sfs_sockaddr_un *un = (struct sfs_sockaddr_un *)&ss;
		p++;
		size_t k = sfs_json_string(&p, un->sun_path, sizeof(un->sun_path));
		un->sun_family = AF_UNIX;
		n = (socklen_t)(sizeof(sa_family_t) + k);
	} else if (*p == '[' && p[1] == '"') {
		p += 2;
		size_t k = sfs_json_string(&p, host, sizeof(host) - 1);
		unsigned port = (unsigned)strtoul(p + 1, NULL, 10);
		host[k] = 0;
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
			in->sin_family = AF_INET;
			in->sin_port = htons((uint16_t)port);
			n = sizeof(*in);
		} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons((uint16_t)port);
			n = sizeof(*in6);
		} else {
			errno = EAFNOSUPPORT;
			return -1;
		}
	} else {
		n = 0; /* null: no address */
	}
	if (sa && len) {
		memcpy(sa, &ss, n < *len ? n : *len);
		*len = n;
	}
	return 0;
}

static int sfs_open_in(long id, const char *name, int flags)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%ld/%s", sfs_mount(), id, name);
	return open(path, flags);
}

static struct sfs_sock *sfs_slot(void)
{
	sfs_init();
	for (int i = 0; i < SFS_MAX; i++)
		if (sfs_socks[i].data < 0)
			return &sfs_socks[i];
	errno = EMFILE;
	return NULL;
}

int sfs_socket(int domain, int type, int protocol)
{
	char path[256], cmd[256], *reply = NULL;
	struct sfs_sock *s = sfs_slot();
	int ctl = -1, data = -1, err;

	if (!s)
		return -1;
	if (type != SOCK_STREAM && type != SOCK_DGRAM) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	reply = malloc(SFS_LINE);
	if (!reply)
		return -1;
	snprintf(path, sizeof(path), "%s/clone", sfs_mount());
	ctl = open(path, O_RDWR);
	if (ctl < 0)
		goto fail;
	if (sfs_read_line(ctl, reply, SFS_LINE) <= 0)
		goto fail;
	s->id = strtol(reply, NULL, 10);
	snprintf(
	    cmd, sizeof(cmd), "{\"op\":\"socket\",\"family\":%s,\"type\":\"%s\",\"proto\":%d}\n",
	    sfs_family_name(domain), type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM", protocol);
	if (sfs_call(ctl, cmd, reply) < 0)
		goto fail;
	data = sfs_open_in(s->id, "data", O_RDWR);
	if (data < 0)
		goto fail;
	free(reply);
	s->ctl = ctl;
	s->data = data;
	s->msgs = -1;
	s->family = domain;
	s->type = type;
	return data;
fail:
	err = errno;
	if (ctl >= 0)
		close(ctl); /* the socket closes with it */
	free(reply);
	errno = err;
	return -1;
}

/* A command with an address ("connect", "bind"). */
static int sfs_addr_op(int fd, const char *op, const struct sockaddr *addr, socklen_t len)
{
	struct sfs_sock *s = sfs_find(fd);
	char a[300], cmd[400], *reply;
	int r;

	if (!s || sfs_addr_json(addr, len, a, sizeof(a)) < 0)
		return -1;
	reply = malloc(SFS_LINE);
	if (!reply)
		return -1;
	snprintf(cmd, sizeof(cmd), "{\"op\":\"%s\",\"address\":%s}\n", op, a);
	r = sfs_call(s->ctl, cmd, reply);
	free(reply);
	return r;
}

int sfs_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return sfs_addr_op(fd, "connect", addr, len);
}

int sfs_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return sfs_addr_op(fd, "bind", addr, len);
}

static int sfs_simple(int fd, const char *cmd, char **replyp)
{
	struct sfs_sock *s = sfs_find(fd);
	char *reply;
	int r;

	if (!s)
		return -1;
	reply = malloc(SFS_LINE);
	if (!reply)
		return -1;
	r = sfs_call(s->ctl, cmd, reply);
	if (replyp && r == 0)
		*replyp = reply;
	else
		free(reply);
	return r;
}

int sfs_listen(int fd, int backlog)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "{\"op\":\"listen\",\"backlog\":%d}\n",
		 backlog < 0 ? 0 : backlog);
	return sfs_simple(fd, cmd, NULL);
}

int sfs_shutdown(int fd, int how)
{
	const char *h = how == SHUT_RD ? "SHUT_RD" : how == SHUT_WR ? "SHUT_WR" : "SHUT_RDWR";
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "{\"op\":\"shutdown\",\"how\":\"%s\"}\n", h);
	return sfs_simple(fd, cmd, NULL);
}

int sfs_getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	char *reply = NULL, *p;
	int r = sfs_simple(fd, "{\"op\":\"getsockname\"}\n", &reply);

	if (r < 0)
		return -1;
	p = strstr(reply, "\"address\":");
	r = p ? sfs_addr_parse(p + 10, addr, len) : (errno = EIO, -1);
	free(reply);
	return r;
}

int sfs_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sfs_sock *ls = sfs_find(fd), *s;
	char *reply = NULL, *p;
	int ctl = -1, data = -1;
	long id;

	if (!ls || sfs_simple(fd, "{\"op\":\"accept\"}\n", &reply) < 0)
		return -1;
	p = strstr(reply, "\"id\":");
	id = p ? strtol(p + 5, NULL, 10) : 0;
	p = strstr(reply, "\"address\":");
	if (p && addr && len)
		sfs_addr_parse(p + 10, addr, len);
	s = sfs_slot();
	if (!s || id <= 0)
		goto fail;
	ctl = sfs_open_in(id, "ctl", O_RDWR);
	if (ctl < 0 || sfs_call(ctl, "{\"op\":\"autoclose\"}\n", reply) < 0)
		goto fail;
	data = sfs_open_in(id, "data", O_RDWR);
	if (data < 0)
		goto fail;
	free(reply);
	s->id = id;
	s->ctl = ctl;
	s->data = data;
	s->msgs = -1;
	s->family = ls->family;
	s->type = ls->type;
	return data;
fail:
	if (ctl >= 0)
		close(ctl);
	free(reply);
	return -1;
}

ssize_t sfs_send(int fd, const void *buf, size_t n, int flags)
{
	if (!sfs_find(fd))
		return -1;
	if (flags) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return write(fd, buf, n);
}

ssize_t sfs_recv(int fd, void *buf, size_t n, int flags)
{
	if (!sfs_find(fd))
		return -1;
	if (flags) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return read(fd, buf, n);
}

static const char sfs_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t sfs_b64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);
		out[k++] = sfs_b64[v >> 18 & 63];
		out[k++] = sfs_b64[v >> 12 & 63];
		out[k++] = i + 1 < n ? sfs_b64[v >> 6 & 63] : '=';
		out[k++] = i + 2 < n ? sfs_b64[v & 63] : '=';
	}
	return k;
}

static size_t sfs_b64_decode(const char *in, unsigned char *out, size_t n)
{
	unsigned v = 0;
	int bits = 0;
	size_t k = 0;

	for (; *in && *in != '"'; in++) {
		const char *c = strchr(sfs_b64, *in);
		if (*in == '=' || !c)
			continue;
		v = v << 6 | (unsigned)(c - sfs_b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (k < n)
				out[k++] = (unsigned char)(v >> bits);
		}
	}
	return k;
}

static int sfs_msgs(struct sfs_sock *s)
{
	if (s->msgs < 0)
		s->msgs = sfs_open_in(s->id, "msgs", O_RDWR);
	return s->msgs;
}

ssize_t sfs_sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
		   socklen_t len)
{
	struct sfs_sock *s = sfs_find(fd);
	char a[300], *line;
	size_t k;
	int r;

	if (!s)
		return -1;
	if (!addr)
		return sfs_send(fd, buf, n, flags);
	if (flags) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (sfs_addr_json(addr, len, a, sizeof(a)) < 0 || sfs_msgs(s) < 0)
		return -1;
	line = malloc(n / 3 * 4 + 8 + sizeof(a) + 64);
	if (!line)
		return -1;
	k = (size_t)sprintf(line, "{\"encoding\":\"base64\",\"address\":%s,\"data\":\"", a);
	k += sfs_b64_encode(buf, n, line + k);
	k += (size_t)sprintf(line + k, "\"}\n");
	r = sfs_write_all(s->msgs, line, k);
	free(line);
	return r < 0 ? -1 : (ssize_t)n;
}

ssize_t sfs_recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len)
{
	struct sfs_sock *s = sfs_find(fd);
	char *line, *p;
	ssize_t got = 0;

	if (!s)
		return -1;
	if (flags) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (sfs_msgs(s) < 0)
		return -1;
	line = malloc(4 * SFS_LINE);
	if (!line)
		return -1;
	if (sfs_read_line(s->msgs, line, 4 * SFS_LINE) < 0) {
		free(line);
		return -1;
	}
	p = strstr(line, "\"data\":\"");
	if (p) {
		const char *q = p + 8;
		if (strstr(line, "\"encoding\":\"base64\""))
			got = (ssize_t)sfs_b64_decode(q, buf, n);
		else
			got = (ssize_t)sfs_json_string(&q, buf, n);
	}
	p = strstr(line, "\"address\":");
	if (addr && len) {
		if (p)
			sfs_addr_parse(p + 10, addr, len);
		else
			*len = 0;
	}
	free(line);
	return got;
}

int sfs_getaddrinfo(const char *node, const char *service, const struct sfs_addrinfo *hints,
		    struct sfs_addrinfo **res)
{
	char path[256], cmd[600], *reply = NULL, *p;
	struct sfs_addrinfo *head = NULL, **tail = &head;
	int q = -1, err = SFS_EAI_FAIL;

	*res = NULL;
	reply = malloc(SFS_LINE);
	if (!reply)
		return SFS_EAI_MEMORY;
	snprintf(path, sizeof(path), "%s/net/query", sfs_mount());
	q = open(path, O_RDWR);
	if (q < 0) {
		err = SFS_EAI_SYSTEM;
		goto out;
	}
	/* names and services as JSON strings: the caller's, plain */
	snprintf(cmd, sizeof(cmd),
		 "{\"op\":\"getaddrinfo\",\"host\":%s%.200s%s,\"port\":%s%.64s%s,\"family\":%s,"
		 "\"type\":%s}\n",
		 node ? "\"" : "", node ? node : "null", node ? "\"" : "", service ? "\"" : "",
		 service ? service : "null", service ? "\"" : "",
		 hints && hints->ai_family != AF_UNSPEC ? sfs_family_name(hints->ai_family) : "0",
		 !hints || !hints->ai_socktype	    ? "0"
		 : hints->ai_socktype == SOCK_DGRAM ? "\"SOCK_DGRAM\""
						    : "\"SOCK_STREAM\"");
	(void)!write(q, cmd, strlen(cmd)); /* a failure's reason is the reply */
	if (sfs_read_line(q, reply, SFS_LINE) <= 0) {
		err = SFS_EAI_SYSTEM;
		goto out;
	}
	if (!strstr(reply, "\"ok\":true")) {
		err = strstr(reply, "EAI_AGAIN")				   ? SFS_EAI_AGAIN
		      : strstr(reply, "EAI_NONAME") || strstr(reply, "EAI_NODATA") ? SFS_EAI_NONAME
										   : SFS_EAI_FAIL;
		goto out;
	}
	/* result: [["AF_INET","SOCK_STREAM",6,"",["127.0.0.1",80]], ...] */
	for (p = strstr(reply, "[[\""); p && (p = strstr(p, "[\"AF_")); p++) {
		struct sfs_addrinfo *ai = calloc(1, sizeof(*ai) + sizeof(struct sockaddr_storage));
		socklen_t alen = sizeof(struct sockaddr_storage);
		char *sa = strstr(p + 1, ",[");
		if (!ai) {
			err = SFS_EAI_MEMORY;
			goto out;
		}
		ai->ai_addr = (struct sockaddr *)(ai + 1);
		if (!sa || sfs_addr_parse(sa + 1, ai->ai_addr, &alen) < 0) {
			free(ai);
			continue;
		}
		ai->ai_addrlen = alen;
		ai->ai_family = ai->ai_addr->sa_family;
		ai->ai_socktype = strstr(p, "\"SOCK_DGRAM\"") == p + strcspn(p, ",") + 1
				      ? SOCK_DGRAM
				      : SOCK_STREAM;
		ai->ai_protocol = ai->ai_socktype == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
		*tail = ai;
		tail = &ai->ai_next;
		p = sa;
	}
	err = head ? 0 : SFS_EAI_NONAME;
out:
	if (q >= 0)
		close(q);
	free(reply);
	if (err)
		sfs_freeaddrinfo(head);
	else
		*res = head;
	return err;
}

void sfs_freeaddrinfo(struct sfs_addrinfo *res)
{
	while (res) {
		struct sfs_addrinfo *next = res->ai_next;
		free(res);
		res = next;
	}
}

const char *sfs_gai_strerror(int err)
{
	switch (err) {
	case 0:
		return "Success";
	case SFS_EAI_NONAME:
		return "Name or service not known";
	case SFS_EAI_AGAIN:
		return "Temporary failure in name resolution";
	case SFS_EAI_MEMORY:
		return "Memory allocation failure";
	case SFS_EAI_SYSTEM:
		return "System error (the sockfs mount)";
	default:
		return "Non-recoverable failure in name resolution";
	}
}

int sfs_close(int fd)
{
	struct sfs_sock *s;

	sfs_init();
	for (int i = 0; i < SFS_MAX; i++) {
		s = &sfs_socks[i];
		if (s->data != fd || fd < 0)
			continue;
		if (s->msgs >= 0)
			close(s->msgs);
		close(s->ctl); /* the clone file: the socket closes with the last */
		s->data = -1;
		break;
	}
	return close(fd);
}
