/* inet.c - the AF_INET and AF_INET6 entries of the protocol table (they share host parsing). */
#include "proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define INET_FORM4 "[\"host\", port]"
#define INET_FORM6 "[\"host\", port] or [\"host\", port, flowinfo[, scope_id]]"

/* What a host string turned out to be. */
enum inet_host_kind {
	INET_HOST_ANY,	     /* "" */
	INET_HOST_BROADCAST, /* "<broadcast>" */
	INET_HOST_V4,
	INET_HOST_V6,
	INET_HOST_NAME,
};

struct inet_host {
	enum inet_host_kind kind;
	struct in_addr v4;
	struct in6_addr v6;
	unsigned scope_id; /* from a "%scope" suffix, 0 if none */
	const char *text;
	size_t len;
};

/* An integer element in [0, max]; what names it in the message. */
static int inet_get_uint(const json_t *j, long long max, const char *what, const char *range,
			 unsigned *out, char *err, size_t errlen)
{
	json_int_t v;

	if (!json_is_integer(j))
		return proto_err(err, errlen, "%s must be %s, got %s", what, range,
				 proto_json_type(j));
	v = json_integer_value(j);
	if (v < 0 || v > max)
		return proto_err(err, errlen, "%s must be %s, got %lld", what, range, (long long)v);
	*out = (unsigned)v;
	return 0;
}

/* The port element: an integer, or a service name ("http") as
 * getservbyname knows it (/etc/services), as the socket module's
 * getaddrinfo takes it. */
static int inet_get_port(const json_t *j, unsigned *out, char *err, size_t errlen)
{
	struct servent se, *res = NULL;
	char buf[1024];

	if (!json_is_string(j))
		return inet_get_uint(j, 65535, "port", "an integer 0-65535 or a service name", out,
				     err, errlen);
	if (getservbyname_r(json_string_value(j), NULL, &se, buf, sizeof(buf), &res) || !res)
		return proto_err(err, errlen,
				 "port must be an integer 0-65535 or a service name (/etc/services), "
				 "got a string \"%.64s\" that is no service",
				 json_string_value(j));
	*out = ntohs((uint16_t)res->s_port);
	return 0;
}

/* "%3" or "%eth0" after an IPv6 address. */
static int inet_parse_scope(const char *s, unsigned *out, char *err, size_t errlen)
{
	unsigned long long v = 0;
	const char *p;

	if (*s == '\0')
		return proto_err(err, errlen, "empty scope after '%%' in IPv6 address");
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > UINT32_MAX)
			return proto_err(err, errlen, "scope id \"%.64s\" out of range", s);
	}
	if (*p == '\0') {
		*out = (unsigned)v;
		return 0;
	}
	*out = if_nametoindex(s);
	if (*out == 0)
		return proto_err(err, errlen, "unknown interface \"%.64s\" in IPv6 scope", s);
	return 0;
}

static int inet_parse_host(const json_t *j, struct inet_host *h, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *pct;

	memset(h, 0, sizeof(*h));
	if (!json_is_string(j))
		return proto_err(err, errlen, "address element 0 (host) must be a string, got %s",
				 proto_json_type(j));
	h->text = json_string_value(j);
	h->len = json_string_length(j);
	if (strlen(h->text) != h->len)
		return proto_err(err, errlen, "host must not contain NUL characters");
	if (h->len >= sizeof(((struct addr_name *)0)->host))
		return proto_err(err, errlen, "host name too long (%zu bytes, max %zu)", h->len,
				 sizeof(((struct addr_name *)0)->host) - 1);
	if (h->len == 0) {
		h->kind = INET_HOST_ANY;
		return 0;
	}
	if (strcmp(h->text, "<broadcast>") == 0) {
		h->kind = INET_HOST_BROADCAST;
		return 0;
	}
	if (inet_pton(AF_INET, h->text, &h->v4) == 1) {
		h->kind = INET_HOST_V4;
		return 0;
	}
	if (inet_pton(AF_INET6, h->text, &h->v6) == 1) {
		h->kind = INET_HOST_V6;
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
		h->kind = INET_HOST_V6;
		return inet_parse_scope(pct + 1, &h->scope_id, err, errlen);
	}
	h->kind = INET_HOST_NAME;
	return 0;

bad_scope:
	return proto_err(err, errlen,
			 "invalid host \"%.64s\": a %%scope suffix needs an IPv6 address", h->text);
}

/* The array's shape for family (AF_INET, AF_INET6 or AF_UNSPEC): 0 or -EINVAL. */
static int inet_check_shape(const json_t *j, int family, char *err, size_t errlen)
{
	size_t size;

	if (!json_is_array(j)) {
		if (family == AF_INET)
			return proto_err(err, errlen, "address for AF_INET must be %s, got %s",
					 proto_inet.form, proto_json_type(j));
		if (family == AF_INET6)
			return proto_err(err, errlen, "address for AF_INET6 must be %s, got %s",
					 proto_inet6.form, proto_json_type(j));
		return proto_err(err, errlen,
				 "address must be a string (AF_UNIX) or %s (AF_INET/AF_INET6), "
				 "got %s",
				 proto_inet6.form, proto_json_type(j));
	}
	size = json_array_size(j);
	if (family == AF_INET && size != 2)
		return proto_err(err, errlen, "address for AF_INET must be %s, got %zu elements",
				 proto_inet.form, size);
	if (size < 2 || size > 4)
		return proto_err(err, errlen, "address for %s must be %s, got %zu elements",
				 family == AF_INET6 ? "AF_INET6" : "AF_INET/AF_INET6",
				 proto_inet6.form, size);
	return 0;
}

/* The family a numeric host gives (a 4-element address is IPv6), or
 * -EINVAL when it does not fit the socket's. */
static int inet_want(int family, size_t size, const struct inet_host *h, char *err, size_t errlen)
{
	int want = family;

	if (want == AF_UNSPEC)
		want = size >= 3 || h->kind == INET_HOST_V6 ? AF_INET6 : AF_INET;
	if (want == AF_INET && h->kind == INET_HOST_V6)
		return proto_err(err, errlen,
				 "address family mismatch: \"%.64s\" is an IPv6 address, the "
				 "socket is AF_INET",
				 h->text);
	if (want == AF_INET6 && h->kind == INET_HOST_BROADCAST)
		return proto_err(err, errlen,
				 "address family mismatch: \"<broadcast>\" is AF_INET only, the "
				 "%s is AF_INET6",
				 family == AF_UNSPEC ? "3- or 4-element address" : "socket");
	if (want == AF_INET6 && h->kind == INET_HOST_V4)
		return proto_err(
		    err, errlen,
		    "address family mismatch: \"%.64s\" is an IPv4 address, the %s is "
		    "AF_INET6 (write \"::ffff:%.64s\" for a v4-mapped address)",
		    h->text, family == AF_UNSPEC ? "3- or 4-element address" : "socket", h->text);
	return want;
}

/* Both entries' from_json; with AF_UNSPEC the host decides. */
static int inet_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			  char *err, size_t errlen)
{
	unsigned port = 0, flowinfo = 0, scope_id = 0;
	struct inet_host h;
	size_t size;
	int want, r;

	r = inet_check_shape(j, family, err, errlen);
	if (r < 0)
		return r;
	size = json_array_size(j);
	r = inet_parse_host(json_array_get(j, 0), &h, err, errlen);
	if (r < 0)
		return r;
	r = inet_get_port(json_array_get(j, 1), &port, err, errlen);
	if (r < 0)
		return r;
	if (size >= 3) {
		r = inet_get_uint(json_array_get(j, 2), 0xfffff, "flowinfo", "0-1048575", &flowinfo,
				  err, errlen);
		if (r < 0)
			return r;
	}
	if (size == 4) {
		r = inet_get_uint(json_array_get(j, 3), UINT32_MAX, "scope_id",
				  "an unsigned 32-bit integer", &scope_id, err, errlen);
		if (r < 0)
			return r;
	}

	if (h.kind == INET_HOST_NAME) {
		if (!name)
			return proto_err(err, errlen, "host \"%.64s\" is not a numeric address",
					 h.text);
		memset(name, 0, sizeof(*name));
		memcpy(name->host, h.text, h.len + 1);
		name->port = (int)port;
		name->flowinfo = flowinfo;
		name->scope_id = scope_id;
		name->family = family;
		return -EAGAIN;
	}

	want = inet_want(family, size, &h, err, errlen);
	if (want < 0)
		return want;
	if (want == AF_INET) {
		out->u.in.sin_family = AF_INET;
		out->u.in.sin_port = htons((uint16_t)port);
		if (h.kind == INET_HOST_ANY)
			out->u.in.sin_addr.s_addr = htonl(INADDR_ANY);
		else if (h.kind == INET_HOST_BROADCAST)
			out->u.in.sin_addr.s_addr = htonl(INADDR_BROADCAST);
		else
			out->u.in.sin_addr = h.v4;
		out->len = sizeof(struct sockaddr_in);
		return 0;
	}
	out->u.in6.sin6_family = AF_INET6;
	out->u.in6.sin6_port = htons((uint16_t)port);
	out->u.in6.sin6_flowinfo = htonl(flowinfo);
	out->u.in6.sin6_addr = h.kind == INET_HOST_ANY ? in6addr_any : h.v6;
	out->u.in6.sin6_scope_id = scope_id ? scope_id : h.scope_id;
	out->len = sizeof(struct sockaddr_in6);
	return 0;
}

static json_t *inet4_to_json(const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
	char host[INET_ADDRSTRLEN];

	if (len < sizeof(*in) || !inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host)))
		return proto_raw_to_json(sa, len);
	return json_pack("[s,i]", host, (int)ntohs(in->sin_port));
}

static json_t *inet6_to_json(const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
	char host[INET6_ADDRSTRLEN];

	if (len < sizeof(*in6) || !inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host)))
		return proto_raw_to_json(sa, len);
	return json_pack("[s,i,I,I]", host, (int)ntohs(in6->sin6_port),
			 (json_int_t)(ntohl(in6->sin6_flowinfo) & 0xfffff),
			 (json_int_t)in6->sin6_scope_id);
}

static int inet4_port(const struct sockaddr *sa, socklen_t len)
{
	if (len < sizeof(struct sockaddr_in))
		return -1;
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

static int inet6_port(const struct sockaddr *sa, socklen_t len)
{
	if (len < sizeof(struct sockaddr_in6))
		return -1;
	return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

static bool inet4_bound(const struct sockaddr *sa, socklen_t len)
{
	return inet4_port(sa, len) > 0;
}

static bool inet6_bound(const struct sockaddr *sa, socklen_t len)
{
	return inet6_port(sa, len) > 0;
}

static int inet4_ip(const struct sockaddr *sa, socklen_t len, unsigned char ip[16])
{
	if (len < sizeof(struct sockaddr_in))
		return 0;
	memcpy(ip, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	return AF_INET;
}

static int inet6_ip(const struct sockaddr *sa, socklen_t len, unsigned char ip[16])
{
	if (len < sizeof(struct sockaddr_in6))
		return 0;
	memcpy(ip, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	return AF_INET6;
}

/* The groups both versions share: TCP on TCP streams, UDP-Lite. */
static unsigned inet_opts(int type, int proto)
{
	unsigned g = PROTO_OPT_INET;

	if (type == SOCK_STREAM && (proto == 0 || proto == IPPROTO_TCP || proto == IPPROTO_MPTCP))
		g |= PROTO_OPT_TCP;
	if (proto == IPPROTO_UDPLITE)
		g |= PROTO_OPT_UDPLITE;
	return g;
}

static unsigned inet4_opts(int type, int proto)
{
	return inet_opts(type, proto) | PROTO_OPT_IP4 |
	       (type != SOCK_STREAM ? PROTO_OPT_MCAST4 : 0) |
	       (type == SOCK_RAW ? PROTO_OPT_RAW4 : 0);
}

static unsigned inet6_opts(int type, int proto)
{
	return inet_opts(type, proto) | PROTO_OPT_IP6 |
	       (type != SOCK_STREAM ? PROTO_OPT_MCAST6 : 0);
}

const struct proto proto_inet = {
    .family = AF_INET,
    .name = "AF_INET",
    .form = INET_FORM4,
    .from_json = inet_from_json,
    .to_json = inet4_to_json,
    .bound = inet4_bound,
    .port = inet4_port,
    .ip = inet4_ip,
    .opts = inet4_opts,
};

const struct proto proto_inet6 = {
    .family = AF_INET6,
    .name = "AF_INET6",
    .form = INET_FORM6,
    .from_json = inet_from_json,
    .to_json = inet6_to_json,
    .bound = inet6_bound,
    .port = inet6_port,
    .ip = inet6_ip,
    .opts = inet6_opts,
};
