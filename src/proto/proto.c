/* proto.c - the protocol table, and addresses <-> JSON dispatched through it. */
#include "proto.h"

#include "b64.h"
#include "names.h"

#include <errno.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line per family. */
static const struct proto *const proto_table[] = {
    &proto_inet, &proto_inet6, &proto_unix, &proto_netlink, &proto_packet,  &proto_vsock,
    &proto_alg,	 &proto_can,   &proto_tipc, &proto_rds,	    &proto_qipcrtr, &proto_bluetooth,
};

#define PROTO_COUNT (sizeof(proto_table) / sizeof(proto_table[0]))

const struct proto *proto_find(int family)
{
	for (size_t i = 0; i < PROTO_COUNT; i++)
		if (proto_table[i]->family == family)
			return proto_table[i];
	return NULL;
}

int proto_err(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	if (msg && msglen) {
		va_start(ap, fmt);
		vsnprintf(msg, msglen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

const char *proto_json_type(const json_t *j)
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

/* "AF_X", or the number when it has no name. */
static const char *proto_family_name(int family, char *buf, size_t len)
{
	const char *s = names_name(names_af, family);

	if (s)
		return s;
	snprintf(buf, len, "%d", family);
	return buf;
}

/* The names of the entries (with_form: only those with a JSON address form),
 * joined by ", " (last_and: the last by " and "). */
static const char *proto_list(bool with_form, bool last_and, char *buf, size_t len)
{
	size_t n = 0, pos = 0, k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < PROTO_COUNT; i++)
		n += !with_form || proto_table[i]->from_json != proto_raw_from_json;
	for (size_t i = 0; i < PROTO_COUNT && pos < len; i++) {
		const char *sep = k == 0 ? "" : last_and && k + 1 == n ? " and " : ", ";

		if (with_form && proto_table[i]->from_json == proto_raw_from_json)
			continue;
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", sep, proto_table[i]->name);
		k++;
	}
	return buf;
}

int proto_unsupported(int family, char *msg, size_t msglen)
{
	char num[16], list[256];

	if (msg && msglen)
		snprintf(msg, msglen, "address family %s is not supported; this build knows %s",
			 proto_family_name(family, num, sizeof(num)),
			 proto_list(false, false, list, sizeof(list)));
	return -EAFNOSUPPORT;
}

/* The families the kernel was seen to have (bit per family; a module once
 * loaded stays), so that the probe runs once per family that exists. */
static unsigned long long proto_present;

/* Does the kernel have the family? socket(family, 0, 0) fails with
 * EAFNOSUPPORT before anything else when it does not (and loads its module
 * as a real socket call would); with it, type 0 is refused and nothing made. */
static bool proto_kernel_has(int family)
{
	unsigned long long bit = family >= 0 && family < 64 ? 1ULL << family : 0;
	int fd;

	if (bit & __atomic_load_n(&proto_present, __ATOMIC_RELAXED))
		return true;
	fd = socket(family, SOCK_CLOEXEC, 0);
	if (fd >= 0)
		close(fd);
	if (fd < 0 && errno == EAFNOSUPPORT)
		return false;
	__atomic_fetch_or(&proto_present, bit, __ATOMIC_RELAXED);
	return true;
}

int proto_check_create(int family, int type, int proto, char *msg, size_t msglen)
{
	const struct proto *p = proto_find(family);

	if (!p)
		return proto_unsupported(family, msg, msglen);
	if (proto_kernel_has(family))
		return 0;
	if (msg && msglen)
		snprintf(msg, msglen, "this kernel has no %s (address family %d)", p->name, family);
	return -EAFNOSUPPORT;
}

int proto_protocol(int family, const char *name, int *out, char *msg, size_t msglen)
{
	const struct proto *p = proto_find(family);
	const struct names_entry *t = p && p->protos ? p->protos : names_ipproto;
	size_t pos;

	if (names_value(t, name, out) == 0)
		return 0;
	if (t != names_ipproto && names_value(names_ipproto, name, out) == 0)
		return 0;
	if (!msg || !msglen)
		return -EINVAL;
	/* The names that fit whole, then "...": never a name cut in the middle. */
	pos = (size_t)snprintf(msg, msglen, "unknown proto \"%.64s\" for %s; known:", name,
			       p ? p->name : "this family");
	for (const struct names_entry *e = t; e->name && pos < msglen; e++) {
		size_t n = strlen(e->name) + (e == t ? 1 : 2);

		if (pos + n + 5 >= msglen) {
			snprintf(msg + pos, msglen - pos, ", ...");
			break;
		}
		pos +=
		    (size_t)snprintf(msg + pos, msglen - pos, "%s%s", e == t ? " " : ", ", e->name);
	}
	return -EINVAL;
}

int proto_get_uint(const json_t *j, unsigned long long max, const struct names_entry *names,
		   const char *what, unsigned long long *out, char *msg, size_t msglen)
{
	int v;

	if (names && json_is_string(j) && names_value(names, json_string_value(j), &v) == 0) {
		*out = (unsigned)v;
		return 0;
	}
	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    (unsigned long long)json_integer_value(j) > max)
		return proto_err(msg, msglen, "%s must be an integer 0-%llu%s, got %s", what, max,
				 names ? " or a name" : "",
				 json_is_integer(j) ? "an integer out of range"
						    : proto_json_type(j));
	*out = (unsigned long long)json_integer_value(j);
	return 0;
}

int proto_check_array(const json_t *j, const struct proto *p, size_t min, size_t max, char *msg,
		      size_t msglen)
{
	size_t n = json_array_size(j);

	if (!json_is_array(j))
		return proto_err(msg, msglen, "address for %s must be %s, got %s", p->name, p->form,
				 proto_json_type(j));
	if (n < min || n > max)
		return proto_err(msg, msglen, "address for %s must be %s, got %zu elements",
				 p->name, p->form, n);
	return 0;
}

/* "aa:bb:cc": hex bytes joined by ':'. */
static int proto_hex_bytes(const char *s, unsigned char *buf, size_t max, size_t *n)
{
	unsigned v;
	int k;

	*n = 0;
	while (*s) {
		if (*n == max || sscanf(s, "%2x%n", &v, &k) != 1 || k != 2)
			return -EINVAL;
		buf[(*n)++] = (unsigned char)v;
		s += 2;
		if (*s == ':' && s[1])
			s++;
		else if (*s)
			return -EINVAL;
	}
	return 0;
}

int proto_get_bytes(const json_t *j, const char *what, unsigned char *buf, size_t max, size_t *n,
		    char *msg, size_t msglen)
{
	const char *text = NULL;
	unsigned char *dec = NULL;

	if (json_is_string(j)) {
		if (proto_hex_bytes(json_string_value(j), buf, max, n) == 0)
			return 0;
		return proto_err(msg, msglen,
				 "%s: \"%.64s\" is not up to %zu hex bytes joined by ':'", what,
				 json_string_value(j), max);
	}
	if (!json_is_object(j) || json_unpack((json_t *)j, "{s:s}", "bytes", &text) ||
	    json_object_size(j) != 1)
		return proto_err(msg, msglen,
				 "%s must be {\"bytes\": base64} or \"aa:bb:..\", got %s", what,
				 proto_json_type(j));
	if (b64_decode(text, strlen(text), &dec, n) || *n > max) {
		free(dec);
		return proto_err(msg, msglen, "%s: not base64 of at most %zu bytes", what, max);
	}
	memcpy(buf, dec, *n);
	free(dec);
	return 0;
}

json_t *proto_bytes_json(const void *p, size_t n)
{
	char *b = b64_encode(p, n);
	json_t *j = b ? json_pack("{s:s}", "bytes", b) : NULL;

	free(b);
	return j;
}

int proto_raw_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			char *msg, size_t msglen)
{
	char num[16], list[256];

	if (msg && msglen)
		snprintf(msg, msglen, "address family %s is not supported for addresses (%s are)",
			 proto_family_name(family, num, sizeof(num)),
			 proto_list(true, true, list, sizeof(list)));
	return -EAFNOSUPPORT;
}

json_t *proto_raw_to_json(const struct sockaddr *sa, socklen_t len)
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

int addr_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name, char *err,
		   size_t errlen)
{
	return addr_from_json_proto(j, family, -1, out, name, err, errlen);
}

int addr_from_json_proto(const json_t *j, int family, int proto, struct addr *out,
			 struct addr_name *name, char *err, size_t errlen)
{
	const struct proto *p;

	if (err && errlen)
		err[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (!j)
		return proto_err(err, errlen, "address missing");
	/* Inference: a string (or {"bytes"}) is a unix address; the inet
	 * entry tells IPv4 from IPv6 by the host. */
	if (family == AF_UNSPEC)
		p = proto_find(json_is_string(j) ||
				       (json_is_object(j) && json_object_get(j, "bytes"))
				   ? AF_UNIX
				   : AF_INET);
	else
		p = proto_find(family);
	if (!p)
		return proto_unsupported(family, err, errlen);
	if (p->from_json_proto && proto >= 0)
		return p->from_json_proto(j, proto, out, err, errlen);
	return p->from_json(j, family, out, name, err, errlen);
}

json_t *addr_to_json(const struct sockaddr *sa, socklen_t len)
{
	const struct proto *p;

	if (!sa || len < sizeof(sa_family_t))
		return json_null();
	p = proto_find(sa->sa_family);
	return p ? p->to_json(sa, len) : proto_raw_to_json(sa, len);
}

/* The entry for an address, or NULL (none, or no address). */
static const struct proto *proto_of(const struct sockaddr *sa, socklen_t len)
{
	return sa && len >= sizeof(sa_family_t) ? proto_find(sa->sa_family) : NULL;
}

bool proto_bound(const struct sockaddr *sa, socklen_t len)
{
	const struct proto *p = proto_of(sa, len);

	return p && p->bound && p->bound(sa, len);
}

int proto_port(const struct sockaddr *sa, socklen_t len)
{
	const struct proto *p = proto_of(sa, len);

	return p && p->port ? p->port(sa, len) : -1;
}

int proto_ip(const struct sockaddr *sa, socklen_t len, unsigned char ip[16])
{
	const struct proto *p = proto_of(sa, len);

	return p && p->ip ? p->ip(sa, len, ip) : 0;
}

bool proto_path(const struct sockaddr *sa, socklen_t len, const char **path, size_t *n)
{
	const struct proto *p = proto_of(sa, len);

	return p && p->path && p->path(sa, len, path, n);
}

bool proto_fs_path(const struct sockaddr *sa, socklen_t len)
{
	const struct proto *p = proto_of(sa, len);

	return p && p->fs_path && p->fs_path(sa, len);
}

bool proto_stream(int family, int type, int proto)
{
	const struct proto *p = proto_find(family);

	return p && p->stream ? p->stream(type, proto) : type == SOCK_STREAM;
}

unsigned proto_opts(int family, int type, int proto)
{
	const struct proto *p = proto_find(family);

	return p && p->opts ? p->opts(type, proto) : 0;
}

bool proto_accept_bound(int family)
{
	const struct proto *p = proto_find(family);

	return p && p->accept_bound;
}

const char *proto_net_raw(int family, int type, int proto)
{
	const struct proto *p = proto_find(family);

	if (p && p->net_raw)
		return p->net_raw(type, proto);
#ifdef SOCK_PACKET
	if (type == SOCK_PACKET)
		return "raw";
#endif
	return type == SOCK_RAW ? "raw" : NULL;
}
