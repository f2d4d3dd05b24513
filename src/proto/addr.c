/* addr.c - socket addresses <-> JSON, in the socket module's shapes. */
#include "addr.h"

#include "b64.h"
#include "names.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDR_SHAPE_INET	 "[\"host\", port]"
#define ADDR_SHAPE_INET6 "[\"host\", port] or [\"host\", port, flowinfo, scope_id]"

/* What a host string turned out to be. */
enum addr_host_kind {
	ADDR_HOST_ANY,	     /* "" */
	ADDR_HOST_BROADCAST, /* "<broadcast>" */
	ADDR_HOST_V4,
	ADDR_HOST_V6,
	ADDR_HOST_NAME,
};

struct addr_host {
	enum addr_host_kind kind;
	struct in_addr v4;
	struct in6_addr v6;
	unsigned scope_id; /* from a "%scope" suffix, 0 if none */
	const char *text;
	size_t len;
};

__attribute__((format(printf, 3, 4))) static int addr_err(char *err, size_t errlen, const char *fmt,
							  ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static const char *addr_json_type(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

static const char *addr_family_name(int family, char *buf, size_t len)
{
	const char *s = names_name(names_af, family);

	if (s)
		return s;
	snprintf(buf, len, "%d", family);
	return buf;
}

/* An integer element in [0, max]; what names it in the message. */
static int addr_get_uint(const json_t *j, long long max, const char *what, const char *range,
			 unsigned *out, char *err, size_t errlen)
{
	json_int_t v;

	if (!json_is_integer(j))
		return addr_err(err, errlen, "%s must be %s, got %s", what, range,
				addr_json_type(j));
	v = json_integer_value(j);
	if (v < 0 || v > max)
		return addr_err(err, errlen, "%s must be %s, got %lld", what, range, (long long)v);
	*out = (unsigned)v;
	return 0;
}

/* "%3" or "%eth0" after an IPv6 address. */
static int addr_parse_scope(const char *s, unsigned *out, char *err, size_t errlen)
{
	unsigned long long v = 0;
	const char *p;

	if (*s == '\0')
		return addr_err(err, errlen, "empty scope after '%%' in IPv6 address");
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > UINT32_MAX)
			return addr_err(err, errlen, "scope id \"%.64s\" out of range", s);
	}
	if (*p == '\0') {
		*out = (unsigned)v;
		return 0;
	}
	*out = if_nametoindex(s);
	if (*out == 0)
		return addr_err(err, errlen, "unknown interface \"%.64s\" in IPv6 scope", s);
	return 0;
}

static int addr_parse_host(const json_t *j, struct addr_host *h, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *pct;

	memset(h, 0, sizeof(*h));
	if (!json_is_string(j))
		return addr_err(err, errlen, "address element 0 (host) must be a string, got %s",
				addr_json_type(j));
	h->text = json_string_value(j);
	h->len = json_string_length(j);
	if (strlen(h->text) != h->len)
		return addr_err(err, errlen, "host must not contain NUL characters");
	if (h->len >= sizeof(((struct addr_name *)0)->host))
		return addr_err(err, errlen, "host name too long (%zu bytes, max %zu)", h->len,
				sizeof(((struct addr_name *)0)->host) - 1);
	if (h->len == 0) {
		h->kind = ADDR_HOST_ANY;
		return 0;
	}
	if (strcmp(h->text, "<broadcast>") == 0) {
		h->kind = ADDR_HOST_BROADCAST;
		return 0;
	}
	if (inet_pton(AF_INET, h->text, &h->v4) == 1) {
		h->kind = ADDR_HOST_V4;
		return 0;
	}
	if (inet_pton(AF_INET6, h->text, &h->v6) == 1) {
		h->kind = ADDR_HOST_V6;
		return 0;
	}
	pct = strchr(h->text, '%');
	if (pct) {
		size_t n = (size_t)(pct - h->text);

		if (n >= sizeof(buf))
			goto bad_scope;
		memcpy(buf, h->text, n);
		buf[n] = '\0';
		if (inet_pton(AF_INET6, buf, &h->v6) != 1)
			goto bad_scope;
		h->kind = ADDR_HOST_V6;
		return addr_parse_scope(pct + 1, &h->scope_id, err, errlen);
	}
	h->kind = ADDR_HOST_NAME;
	return 0;

bad_scope:
	return addr_err(err, errlen,
			"invalid host \"%.64s\": a %%scope suffix needs an IPv6 address", h->text);
}

static int addr_from_unix(const json_t *j, struct addr *out, char *err, size_t errlen)
{
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	const size_t max = sizeof(out->u.un.sun_path);
	const char *s;
	size_t n;

	if (!json_is_string(j))
		return addr_err(err, errlen, "address for AF_UNIX must be a string, got %s",
				addr_json_type(j));
	s = json_string_value(j);
	n = json_string_length(j);
	out->u.un.sun_family = AF_UNIX;
	if (n == 0) {
		out->len = sizeof(sa_family_t);
		return 0;
	}
	if (s[0] == '\0') {
		if (n > max) {
			addr_err(
			    err, errlen,
			    "abstract AF_UNIX address too long (%zu bytes with the leading NUL, "
			    "max %zu)",
			    n, max);
			return -ENAMETOOLONG;
		}
		memcpy(out->u.un.sun_path, s, n);
		out->len = (socklen_t)(off + n);
		return 0;
	}
	if (strlen(s) != n)
		return addr_err(err, errlen,
				"AF_UNIX path must not contain NUL characters (a leading NUL "
				"selects the abstract namespace)");
	if (n >= max) {
		addr_err(err, errlen, "AF_UNIX path too long (%zu bytes, max %zu)", n, max - 1);
		return -ENAMETOOLONG;
	}
	memcpy(out->u.un.sun_path, s, n + 1);
	out->len = (socklen_t)(off + n + 1);
	return 0;
}

static int addr_from_inet(const json_t *j, int family, struct addr *out, struct addr_name *name,
			  char *err, size_t errlen)
{
	unsigned port = 0, flowinfo = 0, scope_id = 0;
	struct addr_host h;
	size_t size;
	int want, r;

	if (!json_is_array(j)) {
		if (family == AF_INET)
			return addr_err(err, errlen,
					"address for AF_INET must be " ADDR_SHAPE_INET ", got %s",
					addr_json_type(j));
		if (family == AF_INET6)
			return addr_err(err, errlen,
					"address for AF_INET6 must be " ADDR_SHAPE_INET6 ", got %s",
					addr_json_type(j));
		return addr_err(err, errlen,
				"address must be a string (AF_UNIX) or " ADDR_SHAPE_INET6
				" (AF_INET/AF_INET6), got %s",
				addr_json_type(j));
	}
	size = json_array_size(j);
	if (family == AF_INET && size != 2)
		return addr_err(err, errlen,
				"address for AF_INET must be " ADDR_SHAPE_INET ", got %zu elements",
				size);
	if (size != 2 && size != 4)
		return addr_err(err, errlen,
				"address for %s must be " ADDR_SHAPE_INET6 ", got %zu elements",
				family == AF_INET6 ? "AF_INET6" : "AF_INET/AF_INET6", size);

	r = addr_parse_host(json_array_get(j, 0), &h, err, errlen);
	if (r < 0)
		return r;
	r = addr_get_uint(json_array_get(j, 1), 65535, "port", "an integer 0-65535", &port, err,
			  errlen);
	if (r < 0)
		return r;
	if (size == 4) {
		r = addr_get_uint(json_array_get(j, 2), 0xfffff, "flowinfo", "0-1048575", &flowinfo,
				  err, errlen);
		if (r < 0)
			return r;
		r = addr_get_uint(json_array_get(j, 3), UINT32_MAX, "scope_id",
				  "an unsigned 32-bit integer", &scope_id, err, errlen);
		if (r < 0)
			return r;
	}

	if (h.kind == ADDR_HOST_NAME) {
		if (!name)
			return addr_err(err, errlen, "host \"%.64s\" is not a numeric address",
					h.text);
		memset(name, 0, sizeof(*name));
		memcpy(name->host, h.text, h.len + 1);
		name->port = (int)port;
		name->flowinfo = flowinfo;
		name->scope_id = scope_id;
		name->family = family;
		return -EAGAIN;
	}

	/* The family the numeric host needs; a 4-element address is IPv6. */
	want = family;
	if (want == AF_UNSPEC) {
		if (size == 4)
			want = AF_INET6;
		else if (h.kind == ADDR_HOST_V6)
			want = AF_INET6;
		else
			want = AF_INET;
	}
	if (want == AF_INET && h.kind == ADDR_HOST_V6)
		return addr_err(err, errlen,
				"address family mismatch: \"%.64s\" is an IPv6 address, the socket "
				"is AF_INET",
				h.text);
	if (want == AF_INET6 && h.kind == ADDR_HOST_BROADCAST)
		return addr_err(err, errlen,
				"address family mismatch: \"<broadcast>\" is AF_INET only, the "
				"%s is AF_INET6",
				family == AF_UNSPEC ? "4-element address" : "socket");
	if (want == AF_INET6 && h.kind == ADDR_HOST_V4)
		return addr_err(err, errlen,
				"address family mismatch: \"%.64s\" is an IPv4 address, the %s is "
				"AF_INET6 (write \"::ffff:%.64s\" for a v4-mapped address)",
				h.text, family == AF_UNSPEC ? "4-element address" : "socket",
				h.text);

	if (want == AF_INET) {
		out->u.in.sin_family = AF_INET;
		out->u.in.sin_port = htons((uint16_t)port);
		if (h.kind == ADDR_HOST_ANY)
			out->u.in.sin_addr.s_addr = htonl(INADDR_ANY);
		else if (h.kind == ADDR_HOST_BROADCAST)
			out->u.in.sin_addr.s_addr = htonl(INADDR_BROADCAST);
		else
			out->u.in.sin_addr = h.v4;
		out->len = sizeof(struct sockaddr_in);
		return 0;
	}
	out->u.in6.sin6_family = AF_INET6;
	out->u.in6.sin6_port = htons((uint16_t)port);
	out->u.in6.sin6_flowinfo = htonl(flowinfo);
	out->u.in6.sin6_addr = h.kind == ADDR_HOST_ANY ? in6addr_any : h.v6;
	out->u.in6.sin6_scope_id = scope_id ? scope_id : h.scope_id;
	out->len = sizeof(struct sockaddr_in6);
	return 0;
}

int addr_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name, char *err,
		   size_t errlen)
{
	char buf[16];

	if (err && errlen)
		err[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (!j)
		return addr_err(err, errlen, "address missing");
	switch (family) {
	case AF_UNIX:
		return addr_from_unix(j, out, err, errlen);
	case AF_INET:
	case AF_INET6:
		return addr_from_inet(j, family, out, name, err, errlen);
	case AF_UNSPEC:
		if (json_is_string(j))
			return addr_from_unix(j, out, err, errlen);
		return addr_from_inet(j, family, out, name, err, errlen);
	}
	addr_err(err, errlen,
		 "address family %s is not supported (AF_INET, AF_INET6 and AF_UNIX are)",
		 addr_family_name(family, buf, sizeof(buf)));
	return -EAFNOSUPPORT;
}

/* {"family": "AF_X" or number, "raw": base64 of the whole sockaddr}. */
static json_t *addr_raw_json(const struct sockaddr *sa, socklen_t len)
{
	const char *fam = names_name(names_af, sa->sa_family);
	char *b64 = b64_encode(sa, len);
	json_t *o;

	if (!b64)
		return NULL;
	o = json_pack("{s:o,s:s}", "family", fam ? json_string(fam) : json_integer(sa->sa_family),
		      "raw", b64);
	free(b64);
	return o;
}

static json_t *addr_unix_json(const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n;
	json_t *s;

	if (len <= off)
		return json_string("");
	n = len - off;
	if (n > sizeof(un->sun_path))
		n = sizeof(un->sun_path);
	if (un->sun_path[0] != '\0')
		n = strnlen(un->sun_path, n);
	/* json_stringn rejects invalid UTF-8: fall back to the raw form. */
	s = json_stringn(un->sun_path, n);
	return s ? s : addr_raw_json(sa, len);
}

json_t *addr_to_json(const struct sockaddr *sa, socklen_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!sa || len < sizeof(sa_family_t))
		return json_null();
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		if (len < sizeof(*in) || !inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host)))
			break;
		return json_pack("[s,i]", host, (int)ntohs(in->sin_port));
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		if (len < sizeof(*in6) || !inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host)))
			break;
		return json_pack("[s,i,I,I]", host, (int)ntohs(in6->sin6_port),
				 (json_int_t)(ntohl(in6->sin6_flowinfo) & 0xfffff),
				 (json_int_t)in6->sin6_scope_id);
	}
	case AF_UNIX:
		return addr_unix_json(sa, len);
	}
	return addr_raw_json(sa, len);
}

void addr_set_port(struct addr *a, int port)
{
	if (!a)
		return;
	if (a->u.sa.sa_family == AF_INET)
		a->u.in.sin_port = htons((uint16_t)port);
	else if (a->u.sa.sa_family == AF_INET6)
		a->u.in6.sin6_port = htons((uint16_t)port);
}
