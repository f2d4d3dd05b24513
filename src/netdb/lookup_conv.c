/* lookup_conv.c - the queries of lookup.c that are pure conversions or
 * local lookups: flags, hex and addrinfo conversions; gethostname and
 * sethostname; getservby*, getprotobyname; if_*, inet_* and has_ipv6.
 * The query machinery and the verb table are in lookup.c. */
#include "lookup.h"
#include "lookup_int.h"

#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Pure helpers. */

int lookup_flags(const json_t *v, const struct names_entry *table, int *out)
{
	size_t i;
	json_t *e;
	int acc = 0, f;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < INT_MIN || json_integer_value(v) > INT_MAX)
			return -EINVAL;
		*out = (int)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v))
		return names_flags(table, json_string_value(v), out);
	if (!json_is_array(v))
		return -EINVAL;
	json_array_foreach(v, i, e)
	{
		if (json_is_integer(e) && json_integer_value(e) >= INT_MIN &&
		    json_integer_value(e) <= INT_MAX)
			f = (int)json_integer_value(e);
		else if (!json_is_string(e) || names_value(table, json_string_value(e), &f))
			return -EINVAL;
		acc |= f;
	}
	*out = acc;
	return 0;
}

static json_t *lookup_const_json(const struct names_entry *t, int v)
{
	const char *n = names_name(t, v);

	return n ? json_string(n) : json_integer(v);
}

json_t *lookup_addrinfo_json(const struct addrinfo *res)
{
	json_t *list = json_array();

	for (const struct addrinfo *ai = res; ai && list; ai = ai->ai_next)
		json_array_append_new(
		    list, json_pack("[o, o, i, s, o]", lookup_const_json(names_af, ai->ai_family),
				    lookup_const_json(names_sock, ai->ai_socktype), ai->ai_protocol,
				    ai->ai_canonname ? ai->ai_canonname : "",
				    addr_to_json(ai->ai_addr, ai->ai_addrlen)));
	return list;
}

char *lookup_hex(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = 0;
	return s;
}

static int lookup_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int lookup_unhex(const char *s, unsigned char *out, size_t max, size_t *n)
{
	size_t len = strlen(s);

	if (len % 2 || len / 2 > max)
		return -EINVAL;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = lookup_hexdigit(s[2 * i]), lo = lookup_hexdigit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	*n = len / 2;
	return 0;
}

static json_t *lookup_hex_json(const void *p, size_t n)
{
	char *s = lookup_hex(p, n);
	json_t *j = s ? json_string(s) : NULL;

	free(s);
	return j;
}

/* The first unknown name in flags given as a string or an array. */
bool lookup_bad_flag(const json_t *v, const struct names_entry *table, char *out, size_t outlen)
{
	json_t *e;
	size_t i;
	int f;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
		{
			if (json_is_integer(e) ||
			    (json_is_string(e) && !names_value(table, json_string_value(e), &f)))
				continue;
			snprintf(out, outlen, "%.64s",
				 json_is_string(e) ? json_string_value(e) : "?");
			return true;
		}
		return false;
	}
	if (!json_is_string(v))
		return false;
	for (const char *p = json_string_value(v); *p;) {
		size_t n = strcspn(p, "|");
		char tok[64];
		snprintf(tok, sizeof(tok), "%.*s", (int)n, p);
		if (names_flags(table, tok, &f)) {
			snprintf(out, outlen, "%.64s", tok);
			return true;
		}
		p += n;
		if (*p)
			p++;
	}
	return false;
}

/* gethostname, sethostname */

void lookup_gethostname(struct lookup_q *q)
{
	char name[HOST_NAME_MAX + 2] = "";

	if (gethostname(name, sizeof(name) - 1) < 0) {
		lookup_fail(q, errno, NULL);
		return;
	}
	lookup_ok(q, json_string(name));
}

void lookup_sethostname(struct lookup_q *q)
{
	const char *name = lookup_str(q, 0);

	/* Run with the caller's credentials (lookup_as_caller): the kernel
	 * checks CAP_SYS_ADMIN over the daemon's UTS namespace. */
	if (sethostname(name, strlen(name)) < 0) {
		if (errno == EPERM)
			lookup_fail(
			    q, EPERM,
			    "sethostname needs CAP_SYS_ADMIN over the daemon's UTS namespace, "
			    "which the calling process lacks");
		else
			lookup_fail(q, errno, NULL);
		return;
	}
	lookup_ok(q, json_string(name));
}

/* getservby*, getprotobyname */

void lookup_getservbyname(struct lookup_q *q)
{
	struct servent se, *res = NULL;
	char buf[LOOKUP_BUF / 16];

	getservbyname_r(lookup_str(q, 0), lookup_str(q, 1), &se, buf, sizeof(buf), &res);
	if (!res) {
		lookup_fail(q, ENOENT, "service/proto not found");
		return;
	}
	lookup_ok(q, json_integer(ntohs((uint16_t)res->s_port)));
}

void lookup_getservbyport(struct lookup_q *q)
{
	struct servent se, *res = NULL;
	char buf[LOOKUP_BUF / 16];

	if (q->n[0] < 0 || q->n[0] > 65535) {
		lookup_fail(q, EINVAL, "getservbyport: port must be 0-65535.");
		return;
	}
	getservbyport_r(htons((uint16_t)q->n[0]), lookup_str(q, 1), &se, buf, sizeof(buf), &res);
	if (!res) {
		lookup_fail(q, ENOENT, "port/proto not found");
		return;
	}
	lookup_ok(q, json_string(res->s_name));
}

void lookup_getprotobyname(struct lookup_q *q)
{
	struct protoent pe, *res = NULL;
	char buf[LOOKUP_BUF / 16];

	getprotobyname_r(lookup_str(q, 0), &pe, buf, sizeof(buf), &res);
	if (!res) {
		lookup_fail(q, ENOENT, "protocol not found");
		return;
	}
	lookup_ok(q, json_integer(res->p_proto));
}

/* if_* */

void lookup_if_nameindex(struct lookup_q *q)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	json_t *list;

	if (!ifs) {
		lookup_fail(q, errno, NULL);
		return;
	}
	list = json_array();
	for (i = ifs; i->if_index && list; i++)
		json_array_append_new(list,
				      json_pack("[I, s]", (json_int_t)i->if_index, i->if_name));
	if_freenameindex(ifs);
	lookup_ok(q, list);
}

void lookup_if_nametoindex(struct lookup_q *q)
{
	unsigned idx = if_nametoindex(lookup_str(q, 0));

	if (!idx) {
		lookup_fail(q, errno ? errno : ENODEV, "no interface with this name");
		return;
	}
	lookup_ok(q, json_integer(idx));
}

void lookup_if_indextoname(struct lookup_q *q)
{
	char name[IF_NAMESIZE];
	json_int_t idx = json_integer_value(q->v[0]);

	if (idx < 0 || idx > (json_int_t)UINT32_MAX) {
		lookup_fail(q, EINVAL, "if_indextoname: index out of range");
		return;
	}
	if (!if_indextoname((unsigned)idx, name)) {
		lookup_fail(q, errno, NULL);
		return;
	}
	lookup_ok(q, json_string(name));
}

/* inet_* */

static bool lookup_inet_family(struct lookup_q *q, int af)
{
	if (af == AF_INET || af == AF_INET6)
		return true;
	lookup_fail(q, EAFNOSUPPORT, "unknown address family %d (AF_INET and AF_INET6 are known)",
		    af);
	return false;
}

void lookup_inet_pton(struct lookup_q *q)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (!lookup_inet_family(q, q->n[0]))
		return;
	if (inet_pton(q->n[0], lookup_str(q, 1), buf) != 1) {
		lookup_fail(q, EINVAL, "illegal IP address string passed to inet_pton");
		return;
	}
	lookup_ok(q, lookup_hex_json(buf, q->n[0] == AF_INET ? 4 : 16));
}

static int lookup_packed(struct lookup_q *q, int i, unsigned char *buf, size_t *n)
{
	if (lookup_unhex(lookup_str(q, i), buf, 16, n)) {
		lookup_fail(q, EINVAL, "%s: packed_ip must be hexadecimal, like \"7f000001\"",
			    q->verb->name);
		return -1;
	}
	return 0;
}

void lookup_inet_ntop(struct lookup_q *q)
{
	unsigned char buf[16];
	char text[INET6_ADDRSTRLEN];
	size_t n;

	if (!lookup_inet_family(q, q->n[0]) || lookup_packed(q, 1, buf, &n))
		return;
	if (n != (q->n[0] == AF_INET ? 4u : 16u)) {
		lookup_fail(q, EINVAL, "invalid length of packed IP address string");
		return;
	}
	inet_ntop(q->n[0], buf, text, sizeof(text));
	lookup_ok(q, json_string(text));
}

void lookup_inet_aton(struct lookup_q *q)
{
	struct in_addr in;

	if (!inet_aton(lookup_str(q, 0), &in)) {
		lookup_fail(q, EINVAL, "illegal IP address string passed to inet_aton");
		return;
	}
	lookup_ok(q, lookup_hex_json(&in, 4));
}

void lookup_inet_ntoa(struct lookup_q *q)
{
	unsigned char buf[16];
	char text[INET_ADDRSTRLEN];
	size_t n;

	if (lookup_packed(q, 0, buf, &n))
		return;
	if (n != 4) {
		lookup_fail(q, EINVAL, "packed IP wrong length for inet_ntoa");
		return;
	}
	inet_ntop(AF_INET, buf, text, sizeof(text));
	lookup_ok(q, json_string(text));
}

/* Whether this host can make IPv6 sockets (socket.has_ipv6 says only
 * whether Python was built with IPv6; this asks the kernel). */
void lookup_has_ipv6(struct lookup_q *q)
{
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		close(fd);
	lookup_ok(q, json_boolean(fd >= 0));
}
