/* proto.c - the protocol table, and addresses <-> JSON dispatched through it. */
#include "proto.h"

#include "b64.h"
#include "names.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line per family. */
static const struct proto *const proto_table[] = {
    &proto_inet,  &proto_inet6, &proto_unix, &proto_netlink, &proto_packet,
#ifdef AF_VSOCK
    &proto_vsock,
#endif
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

int proto_check_create(int family, int type, int proto, char *msg, size_t msglen)
{
	return proto_find(family) ? 0 : proto_unsupported(family, msg, msglen);
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
