/* test_addr.c - unit tests for addr.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

#define UNIX_OFF offsetof(struct sockaddr_un, sun_path)

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	if (!j)
		fail_msg("bad test JSON %s: %s", text, e.text);
	return j;
}

static char errbuf[256];

/* Parse text for family; returns addr_from_json's result. */
static int parse(const char *text, int family, struct addr *a, struct addr_name *n)
{
	json_t *j = load(text);
	int r;

	memset(errbuf, 'X', sizeof(errbuf));
	errbuf[sizeof(errbuf) - 1] = '\0';
	r = addr_from_json(j, family, a, n, errbuf, sizeof(errbuf));
	json_decref(j);
	return r;
}

static void ok(const char *text, int family, struct addr *a)
{
	struct addr_name n;
	int r = parse(text, family, a, &n);

	if (r != 0)
		fail_msg("%s: expected success, got %d (%s)", text, r, errbuf);
	assert_string_equal(errbuf, "");
}

static void bad(const char *text, int family, int code, const char *msg)
{
	struct addr a;
	struct addr_name n;
	int r = parse(text, family, &a, &n);

	if (r != code)
		fail_msg("%s: expected %d, got %d (%s)", text, code, r, errbuf);
	if (!strstr(errbuf, msg))
		fail_msg("%s: message \"%s\" lacks \"%s\"", text, errbuf, msg);
	assert_true(strlen(errbuf) > 0);
}

static void name(const char *text, int family, struct addr_name *n)
{
	struct addr a;
	int r = parse(text, family, &a, n);

	if (r != -EAGAIN)
		fail_msg("%s: expected -EAGAIN, got %d (%s)", text, r, errbuf);
}

static void check_in(const struct addr *a, const char *host, int port)
{
	char buf[INET_ADDRSTRLEN];

	assert_int_equal(a->len, sizeof(struct sockaddr_in));
	assert_int_equal(a->u.in.sin_family, AF_INET);
	assert_int_equal(ntohs(a->u.in.sin_port), port);
	assert_non_null(inet_ntop(AF_INET, &a->u.in.sin_addr, buf, sizeof(buf)));
	assert_string_equal(buf, host);
}

static void check_in6(const struct addr *a, const char *host, int port, unsigned flow,
		      unsigned scope)
{
	char buf[INET6_ADDRSTRLEN];

	assert_int_equal(a->len, sizeof(struct sockaddr_in6));
	assert_int_equal(a->u.in6.sin6_family, AF_INET6);
	assert_int_equal(ntohs(a->u.in6.sin6_port), port);
	assert_int_equal(ntohl(a->u.in6.sin6_flowinfo), flow);
	assert_int_equal(a->u.in6.sin6_scope_id, scope);
	assert_non_null(inet_ntop(AF_INET6, &a->u.in6.sin6_addr, buf, sizeof(buf)));
	assert_string_equal(buf, host);
}

/* JSON text of addr_to_json's result (compact, sorted keys). */
static char *to_text(const struct sockaddr *sa, socklen_t len)
{
	json_t *j = addr_to_json(sa, len);
	char *s;

	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(j);
	assert_non_null(s);
	return s;
}

static void expect_text(const struct sockaddr *sa, socklen_t len, const char *want)
{
	char *s = to_text(sa, len);

	if (strcmp(s, want) != 0)
		fail_msg("got %s, want %s", s, want);
	free(s);
}

/* from_json then to_json gives back the same JSON text. */
static void round_trip(const char *text, int family, const char *want)
{
	struct addr a;

	ok(text, family, &a);
	expect_text(&a.u.sa, a.len, want ? want : text);
}

/* ---- AF_INET ---- */

static void test_inet_ok(void **state)
{
	struct addr a;

	ok("[\"127.0.0.1\", 8080]", AF_INET, &a);
	check_in(&a, "127.0.0.1", 8080);
	ok("[\"\", 0]", AF_INET, &a);
	check_in(&a, "0.0.0.0", 0);
	assert_int_equal(a.u.in.sin_addr.s_addr, htonl(INADDR_ANY));
	ok("[\"<broadcast>\", 65535]", AF_INET, &a);
	check_in(&a, "255.255.255.255", 65535);
	ok("[\"10.1.2.3\", 1]", AF_INET, &a);
	check_in(&a, "10.1.2.3", 1);
}

static void test_inet_loose_forms_are_names(void **state)
{
	struct addr_name n;

	/* inet_aton's forms are not numeric addresses here */
	name("[\"127.1\", 80]", AF_INET, &n);
	assert_string_equal(n.host, "127.1");
	name("[\"0x7f.0.0.1\", 80]", AF_INET, &n);
	name("[\"2130706433\", 80]", AF_INET, &n);
	name("[\"1.2.3.4 \", 80]", AF_INET, &n);
}

static void test_inet_name(void **state)
{
	struct addr_name n;

	memset(&n, 0x55, sizeof(n));
	name("[\"localhost\", 443]", AF_INET, &n);
	assert_string_equal(n.host, "localhost");
	assert_int_equal(n.port, 443);
	assert_int_equal(n.family, AF_INET);
	assert_int_equal(n.flowinfo, 0);
	assert_int_equal(n.scope_id, 0);

	name("[\"example.com\", 0]", AF_INET6, &n);
	assert_string_equal(n.host, "example.com");
	assert_int_equal(n.family, AF_INET6);

	name("[\"example.com\", 80, 17, 3]", AF_INET6, &n);
	assert_int_equal(n.port, 80);
	assert_int_equal(n.flowinfo, 17);
	assert_int_equal(n.scope_id, 3);
}

static void test_inet_name_without_name_buffer(void **state)
{
	struct addr a;
	json_t *j = load("[\"localhost\", 1]");
	char err[128];

	assert_int_equal(addr_from_json(j, AF_INET, &a, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a numeric address"));
	json_decref(j);
}

static void test_inet_bad_port(void **state)
{
	const char *m = "port must be an integer 0-65535";

	bad("[\"1.2.3.4\", 65536]", AF_INET, -EINVAL, m);
	bad("[\"1.2.3.4\", 65536]", AF_INET, -EINVAL, "got 65536");
	bad("[\"1.2.3.4\", -1]", AF_INET, -EINVAL, m);
	bad("[\"1.2.3.4\", \"80\"]", AF_INET, -EINVAL, m);
	bad("[\"1.2.3.4\", \"80\"]", AF_INET, -EINVAL, "got a string");
	bad("[\"1.2.3.4\", 80.0]", AF_INET, -EINVAL, "got a real number");
	bad("[\"1.2.3.4\", true]", AF_INET, -EINVAL, "got a boolean");
	bad("[\"1.2.3.4\", null]", AF_INET, -EINVAL, "got null");
	bad("[\"::1\", 99999]", AF_INET6, -EINVAL, m);
	bad("[\"localhost\", 99999]", AF_INET, -EINVAL, m); /* checked before resolving */
	bad("[\"::1\", 9223372036854775807]", AF_UNSPEC, -EINVAL, m);
}

/* A service name is a port, as getaddrinfo takes it. */
static void test_inet_service_port(void **state)
{
	struct addr a;
	json_t *j = load("[\"127.0.0.1\", \"http\"]");
	char err[128];

	if (!getservbyname("http", "tcp"))
		skip();
	assert_int_equal(addr_from_json(j, AF_INET, &a, NULL, err, sizeof(err)), 0);
	assert_int_equal(ntohs(a.u.in.sin_port), 80);
	json_decref(j);
	bad("[\"1.2.3.4\", \"no-such-service\"]", AF_INET, -EINVAL, "no service");
}

static void test_inet_bad_shape(void **state)
{
	const char *m = "address for AF_INET must be [\"host\", port]";

	bad("\"1.2.3.4\"", AF_INET, -EINVAL, m);
	bad("\"1.2.3.4\"", AF_INET, -EINVAL, "got a string");
	bad("{\"host\": \"1.2.3.4\"}", AF_INET, -EINVAL, m);
	bad("[]", AF_INET, -EINVAL, m);
	bad("[\"1.2.3.4\"]", AF_INET, -EINVAL, "got 1 elements");
	bad("[\"1.2.3.4\", 1, 2]", AF_INET, -EINVAL, m);
	bad("[\"1.2.3.4\", 1, 0, 0]", AF_INET, -EINVAL, m);
	bad("[1234, 80]", AF_INET, -EINVAL, "element 0 (host) must be a string, got an integer");
	bad("[null, 80]", AF_INET, -EINVAL, "element 0 (host) must be a string");
	bad("[[\"1.2.3.4\"], 80]", AF_INET, -EINVAL, "got an array");
}

static void test_inet_family_mismatch(void **state)
{
	bad("[\"::1\", 80]", AF_INET, -EINVAL, "address family mismatch");
	bad("[\"::1\", 80]", AF_INET, -EINVAL, "\"::1\" is an IPv6 address");
	bad("[\"fe80::1%1\", 80]", AF_INET, -EINVAL, "address family mismatch");
	bad("[\"1.2.3.4\", 80]", AF_INET6, -EINVAL, "address family mismatch");
	bad("[\"1.2.3.4\", 80]", AF_INET6, -EINVAL, "::ffff:1.2.3.4");
	bad("[\"<broadcast>\", 80]", AF_INET6, -EINVAL, "address family mismatch");
}

static void test_host_bad(void **state)
{
	char big[400];
	struct addr_name n;

	bad("[\"a\\u0000b\", 80]", AF_INET, -EINVAL, "host must not contain NUL");
	bad("[\"\\u00001.2.3.4\", 80]", AF_UNSPEC, -EINVAL, "host must not contain NUL");

	/* 255 bytes: a name; 256: too long */
	memset(big, 0, sizeof(big));
	big[0] = '[';
	big[1] = '"';
	memset(big + 2, 'a', 255);
	strcpy(big + 257, "\", 1]");
	name(big, AF_INET, &n);
	assert_int_equal(strlen(n.host), 255);
	memset(big + 2, 'a', 256);
	strcpy(big + 258, "\", 1]");
	bad(big, AF_INET, -EINVAL, "host name too long (256 bytes, max 255)");
}

/* ---- AF_INET6 ---- */

static void test_inet6_ok(void **state)
{
	struct addr a;

	ok("[\"::1\", 80]", AF_INET6, &a);
	check_in6(&a, "::1", 80, 0, 0);
	ok("[\"\", 9000]", AF_INET6, &a);
	check_in6(&a, "::", 9000, 0, 0);
	assert_memory_equal(&a.u.in6.sin6_addr, &in6addr_any, sizeof(in6addr_any));
	ok("[\"fe80::1\", 80, 5, 7]", AF_INET6, &a);
	check_in6(&a, "fe80::1", 80, 5, 7);
	ok("[\"2001:db8::1\", 1, 1048575, 4294967295]", AF_INET6, &a);
	check_in6(&a, "2001:db8::1", 1, 0xfffff, 4294967295u);
	ok("[\"::ffff:1.2.3.4\", 2]", AF_INET6, &a);
	check_in6(&a, "::ffff:1.2.3.4", 2, 0, 0);
	ok("[\"::\", 0, 0, 0]", AF_INET6, &a);
	check_in6(&a, "::", 0, 0, 0);
	/* 3 elements: flowinfo without scope_id, as the socket module */
	ok("[\"::1\", 7, 12]", AF_INET6, &a);
	check_in6(&a, "::1", 7, 12, 0);
	ok("[\"::1\", 7, 0]", AF_UNSPEC, &a);
	check_in6(&a, "::1", 7, 0, 0);
}

static void test_inet6_scope(void **state)
{
	unsigned lo = if_nametoindex("lo");
	struct addr a;

	ok("[\"fe80::1%3\", 80]", AF_INET6, &a);
	check_in6(&a, "fe80::1", 80, 0, 3);
	ok("[\"fe80::1%3\", 80, 0, 0]", AF_INET6, &a);
	check_in6(&a, "fe80::1", 80, 0, 3);
	/* an explicit scope_id wins */
	ok("[\"fe80::1%3\", 80, 0, 9]", AF_INET6, &a);
	check_in6(&a, "fe80::1", 80, 0, 9);
	ok("[\"fe80::1%4294967295\", 80]", AF_INET6, &a);
	check_in6(&a, "fe80::1", 80, 0, 4294967295u);
	/* inference sees through the scope */
	ok("[\"fe80::1%3\", 80]", AF_UNSPEC, &a);
	check_in6(&a, "fe80::1", 80, 0, 3);
	if (lo) {
		ok("[\"fe80::1%lo\", 80]", AF_INET6, &a);
		check_in6(&a, "fe80::1", 80, 0, lo);
	}

	bad("[\"fe80::1%nosuchif0\", 80]", AF_INET6, -EINVAL, "unknown interface \"nosuchif0\"");
	bad("[\"fe80::1%\", 80]", AF_INET6, -EINVAL, "empty scope");
	bad("[\"fe80::1%4294967296\", 80]", AF_INET6, -EINVAL, "out of range");
	bad("[\"1.2.3.4%lo\", 80]", AF_INET, -EINVAL, "%scope suffix needs an IPv6 address");
	bad("[\"host%lo\", 80]", AF_UNSPEC, -EINVAL, "%scope suffix needs an IPv6 address");
	bad("[\"%lo\", 80]", AF_INET6, -EINVAL, "%scope suffix needs an IPv6 address");
	bad("[\"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000%1\", 80]", AF_INET6,
	    -EINVAL, "%scope suffix");
}

static void test_inet6_bad(void **state)
{
	const char *m = "address for AF_INET6 must be [\"host\", port] or [\"host\", port, "
			"flowinfo[, scope_id]]";

	bad("[\"::1\", 80, 1048576, 0]", AF_INET6, -EINVAL, "flowinfo must be 0-1048575");
	bad("[\"::1\", 80, -1, 0]", AF_INET6, -EINVAL, "flowinfo must be 0-1048575");
	bad("[\"::1\", 80, \"0\", 0]", AF_INET6, -EINVAL,
	    "flowinfo must be 0-1048575, got a string");
	bad("[\"::1\", 80, 0, -1]", AF_INET6, -EINVAL, "scope_id must be an unsigned 32-bit");
	bad("[\"::1\", 80, 0, 4294967296]", AF_INET6, -EINVAL, "scope_id must be");
	bad("[\"::1\", 80, 0, 1.5]", AF_INET6, -EINVAL, "scope_id must be");
	bad("[\"::1\", 80, 1048576]", AF_INET6, -EINVAL, "flowinfo must be 0-1048575");
	bad("[\"::1\"]", AF_INET6, -EINVAL, m);
	bad("[\"::1\", 80, 0, 0, 0]", AF_INET6, -EINVAL, m);
	bad("\"::1\"", AF_INET6, -EINVAL, m);
	bad("42", AF_INET6, -EINVAL, "got an integer");
	bad("[\"localhost\", 80, 1048576, 0]", AF_INET6, -EINVAL, "flowinfo");
}

/* ---- AF_UNSPEC inference ---- */

static void test_unspec(void **state)
{
	struct addr a;
	struct addr_name n;

	ok("\"/tmp/sock\"", AF_UNSPEC, &a);
	assert_int_equal(a.u.sa.sa_family, AF_UNIX);
	assert_string_equal(a.u.un.sun_path, "/tmp/sock");
	ok("\"\"", AF_UNSPEC, &a);
	assert_int_equal(a.u.sa.sa_family, AF_UNIX);
	assert_int_equal(a.len, sizeof(sa_family_t));
	ok("[\"1.2.3.4\", 5]", AF_UNSPEC, &a);
	check_in(&a, "1.2.3.4", 5);
	ok("[\"::1\", 5]", AF_UNSPEC, &a);
	check_in6(&a, "::1", 5, 0, 0);
	ok("[\"\", 5]", AF_UNSPEC, &a);
	check_in(&a, "0.0.0.0", 5);
	ok("[\"<broadcast>\", 5]", AF_UNSPEC, &a);
	check_in(&a, "255.255.255.255", 5);
	/* four elements are AF_INET6 */
	ok("[\"\", 5, 1, 2]", AF_UNSPEC, &a);
	check_in6(&a, "::", 5, 1, 2);
	ok("[\"::1\", 5, 1, 2]", AF_UNSPEC, &a);
	check_in6(&a, "::1", 5, 1, 2);
	bad("[\"1.2.3.4\", 5, 0, 0]", AF_UNSPEC, -EINVAL, "address family mismatch");
	bad("[\"1.2.3.4\", 5, 0, 0]", AF_UNSPEC, -EINVAL, "4-element address");
	bad("[\"<broadcast>\", 5, 0, 0]", AF_UNSPEC, -EINVAL, "address family mismatch");

	memset(&n, 0x55, sizeof(n));
	name("[\"localhost\", 80]", AF_UNSPEC, &n);
	assert_string_equal(n.host, "localhost");
	assert_int_equal(n.port, 80);
	assert_int_equal(n.family, AF_UNSPEC);
	name("[\"localhost\", 80, 3, 4]", AF_UNSPEC, &n);
	assert_int_equal(n.family, AF_UNSPEC);
	assert_int_equal(n.flowinfo, 3);
	assert_int_equal(n.scope_id, 4);

	bad("42", AF_UNSPEC, -EINVAL, "address must be a string (AF_UNIX) or [\"host\", port]");
	bad("null", AF_UNSPEC, -EINVAL, "got null");
	bad("{}", AF_UNSPEC, -EINVAL, "got an object");
	bad("[\"1.2.3.4\", 5, 6]", AF_UNSPEC, -EINVAL, "is an IPv4 address, the 3- or 4-element");
	bad("[\"::1\", 5, 6, 7, 8]", AF_UNSPEC, -EINVAL, "got 5 elements");
	bad("[5, 6]", AF_UNSPEC, -EINVAL, "element 0 (host) must be a string");
}

/* ---- AF_UNIX ---- */

static void test_unix_path(void **state)
{
	struct addr a;
	char big[200];

	ok("\"/tmp/sock\"", AF_UNIX, &a);
	assert_int_equal(a.u.un.sun_family, AF_UNIX);
	assert_int_equal(a.len, UNIX_OFF + strlen("/tmp/sock") + 1);
	assert_string_equal(a.u.un.sun_path, "/tmp/sock");
	ok("\"rel\"", AF_UNIX, &a);
	assert_int_equal(a.len, UNIX_OFF + 4);

	/* 107 bytes fit with the NUL, 108 do not */
	big[0] = '"';
	memset(big + 1, 'p', 107);
	strcpy(big + 108, "\"");
	ok(big, AF_UNIX, &a);
	assert_int_equal(a.len, UNIX_OFF + 108);
	assert_int_equal(a.len, sizeof(struct sockaddr_un));
	assert_int_equal(strlen(a.u.un.sun_path), 107);
	memset(big + 1, 'p', 108);
	strcpy(big + 109, "\"");
	bad(big, AF_UNIX, -ENAMETOOLONG, "AF_UNIX path too long (108 bytes, max 107)");
	bad(big, AF_UNSPEC, -ENAMETOOLONG, "too long");

	bad("\"a\\u0000b\"", AF_UNIX, -EINVAL, "must not contain NUL");
}

static void test_unix_unnamed(void **state)
{
	struct addr a;

	ok("\"\"", AF_UNIX, &a);
	assert_int_equal(a.u.un.sun_family, AF_UNIX);
	assert_int_equal(a.len, sizeof(sa_family_t));
}

static void test_unix_abstract(void **state)
{
	static const char want[] = "\0ab\0c\xc3\xa9";
	struct addr a;
	char big[300];
	size_t i;

	ok("\"\\u0000ab\\u0000c\\u00e9\"", AF_UNIX, &a);
	assert_int_equal(a.u.un.sun_family, AF_UNIX);
	assert_int_equal(a.len, UNIX_OFF + sizeof(want) - 1);
	assert_memory_equal(a.u.un.sun_path, want, sizeof(want) - 1);
	ok("\"\\u0000\"", AF_UNIX, &a);
	assert_int_equal(a.len, UNIX_OFF + 1);
	/* the bytes form: an abstract name and a path that are not UTF-8 */
	ok("{\"bytes\": \"AP8=\"}", AF_UNIX, &a);
	assert_int_equal(a.len, UNIX_OFF + 2);
	assert_memory_equal(a.u.un.sun_path, "\0\xff", 2);
	ok("{\"bytes\": \"L/4=\"}", AF_UNSPEC, &a);
	assert_int_equal(a.u.un.sun_family, AF_UNIX);
	assert_int_equal(a.len, UNIX_OFF + 3);
	assert_memory_equal(a.u.un.sun_path, "/\xfe", 3);

	/* 108 bytes (the NUL and 107) fit, 109 do not */
	strcpy(big, "\"\\u0000");
	for (i = 0; i < 107; i++)
		big[7 + i] = 'z';
	strcpy(big + 7 + 107, "\"");
	ok(big, AF_UNIX, &a);
	assert_int_equal(a.len, UNIX_OFF + 108);
	strcpy(big + 7 + 107, "z\"");
	bad(big, AF_UNIX, -ENAMETOOLONG, "abstract AF_UNIX address too long");
	bad(big, AF_UNIX, -ENAMETOOLONG, "109 bytes");
}

static void test_unix_bad_type(void **state)
{
	bad("[\"/tmp/x\", 1]", AF_UNIX, -EINVAL,
	    "address for AF_UNIX must be a string or {\"bytes\": base64}, got an array");
	bad("{\"bytes\": 5}", AF_UNIX, -EINVAL, "must be {\"bytes\": \"<base64>\"}");
	bad("{\"bytes\": \"L3g=\", \"x\": 1}", AF_UNIX, -EINVAL, "must be {\"bytes\"");
	bad("{\"bytes\": \"!!\"}", AF_UNIX, -EINVAL, "not valid base64");
	bad("{\"bytes\": \"L3gAeQ==\"}", AF_UNIX, -EINVAL, "must not contain NUL");
	bad("7", AF_UNIX, -EINVAL,
	    "address for AF_UNIX must be a string or {\"bytes\": base64}, got an integer");
	bad("null", AF_UNIX, -EINVAL, "address for AF_UNIX must be a string");
}

/* ---- other families and odd arguments ---- */

static void test_other_family(void **state)
{
	bad("[\"1.2.3.4\", 1]", AF_IPX, -EAFNOSUPPORT, "address family AF_IPX is not supported");
	bad("\"x\"", AF_NETLINK, -EINVAL, "address for AF_NETLINK must be [pid, groups]");
	bad("\"x\"", 9999, -EAFNOSUPPORT, "address family 9999 is not supported");
}

static void test_args(void **state)
{
	struct addr a;
	char err[16];
	json_t *j;

	assert_int_equal(addr_from_json(NULL, AF_INET, &a, NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "address missing");

	/* no message buffer */
	j = load("[\"1.2.3.4\", 70000]");
	assert_int_equal(addr_from_json(j, AF_INET, &a, NULL, NULL, 0), -EINVAL);
	assert_int_equal(addr_from_json(j, AF_INET, &a, NULL, err, 0), -EINVAL);
	/* a short buffer is truncated, still terminated */
	assert_int_equal(addr_from_json(j, AF_INET, &a, NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	json_decref(j);

	/* the output is cleared on failure */
	memset(&a, 0x5a, sizeof(a));
	j = load("[\"localhost\", 1]");
	assert_int_equal(addr_from_json(j, AF_INET, &a, NULL, NULL, 0), -EINVAL);
	assert_int_equal(a.len, 0);
	json_decref(j);
}

/* ---- addr_to_json ---- */

static void test_to_json_inet(void **state)
{
	struct sockaddr_in in;

	round_trip("[\"127.0.0.1\",8080]", AF_INET, NULL);
	round_trip("[\"\",0]", AF_INET, "[\"0.0.0.0\",0]");
	round_trip("[\"<broadcast>\",65535]", AF_INET, "[\"255.255.255.255\",65535]");
	round_trip("[\"1.2.3.4\",5]", AF_UNSPEC, NULL);

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(443);
	in.sin_addr.s_addr = htonl(0xc0a80001);
	expect_text((struct sockaddr *)&in, sizeof(in), "[\"192.168.0.1\",443]");
	/* too short for a sockaddr_in: raw */
	expect_text((struct sockaddr *)&in, 4, "{\"family\":\"AF_INET\",\"raw\":\"AgABuw==\"}");
}

static void test_to_json_inet6(void **state)
{
	struct sockaddr_in6 in6;

	round_trip("[\"::1\",80]", AF_INET6, "[\"::1\",80,0,0]");
	round_trip("[\"fe80::1\",80,5,7]", AF_INET6, NULL);
	round_trip("[\"fe80::1%3\",80]", AF_INET6, "[\"fe80::1\",80,0,3]");
	round_trip("[\"\",1,1048575,4294967295]", AF_UNSPEC, "[\"::\",1,1048575,4294967295]");

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(9);
	in6.sin6_flowinfo = htonl(0xfff12345); /* traffic class bits dropped */
	in6.sin6_scope_id = 42;
	in6.sin6_addr = in6addr_loopback;
	expect_text((struct sockaddr *)&in6, sizeof(in6), "[\"::1\",9,74565,42]");
	expect_text((struct sockaddr *)&in6, sizeof(in6) - 1,
		    "{\"family\":\"AF_INET6\",\"raw\":"
		    "\"CgAACf/xI0UAAAAAAAAAAAAA"
		    "AAAAAAABKgAA\"}");
}

static void test_to_json_unix(void **state)
{
	struct sockaddr_un un;
	json_t *j;

	round_trip("\"/tmp/sock\"", AF_UNIX, NULL);
	round_trip("\"\"", AF_UNIX, NULL);
	round_trip("\"\\u0000abstract\"", AF_UNIX, NULL);
	round_trip("\"\\u0000a\\u0000b\\u0000\"", AF_UNIX, NULL);
	round_trip("\"\\u0000\\u00e9t\\u00e9\"", AF_UNSPEC, "\"\\u0000été\"");

	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	/* unnamed: only the family, or nothing after it */
	expect_text((struct sockaddr *)&un, sizeof(sa_family_t), "\"\"");
	/* path up to the first NUL, with or without the NUL counted */
	strcpy(un.sun_path, "/run/x");
	un.sun_path[7] = 'G'; /* garbage after the NUL */
	expect_text((struct sockaddr *)&un, UNIX_OFF + 7, "\"/run/x\"");
	expect_text((struct sockaddr *)&un, UNIX_OFF + 6, "\"/run/x\"");
	expect_text((struct sockaddr *)&un, UNIX_OFF + 3, "\"/ru\"");
	expect_text((struct sockaddr *)&un, sizeof(un), "\"/run/x\"");
	/* a full 108-byte path without a NUL */
	memset(un.sun_path, 'q', sizeof(un.sun_path));
	j = addr_to_json((struct sockaddr *)&un, sizeof(un));
	assert_true(json_is_string(j));
	assert_int_equal(json_string_length(j), sizeof(un.sun_path));
	json_decref(j);

	/* abstract: exact bytes from len, embedded NULs kept */
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memcpy(un.sun_path, "\0k\0y", 4);
	j = addr_to_json((struct sockaddr *)&un, UNIX_OFF + 4);
	assert_true(json_is_string(j));
	assert_int_equal(json_string_length(j), 4);
	assert_memory_equal(json_string_value(j), "\0k\0y", 4);
	json_decref(j);
	j = addr_to_json((struct sockaddr *)&un, UNIX_OFF + 6);
	assert_int_equal(json_string_length(j), 6);
	json_decref(j);

	/* not UTF-8: the bytes form (the name's bytes, no trailing NUL) */
	memcpy(un.sun_path, "\0\xff", 2);
	expect_text((struct sockaddr *)&un, UNIX_OFF + 2, "{\"bytes\":\"AP8=\"}");
	memcpy(un.sun_path, "/\xfe", 3);
	expect_text((struct sockaddr *)&un, UNIX_OFF + 3, "{\"bytes\":\"L/4=\"}");
}

static void test_to_json_null(void **state)
{
	struct sockaddr_in in;
	json_t *j;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	j = addr_to_json(NULL, 16);
	assert_true(json_is_null(j));
	json_decref(j);
	j = addr_to_json((struct sockaddr *)&in, 0);
	assert_true(json_is_null(j));
	json_decref(j);
	j = addr_to_json((struct sockaddr *)&in, 1);
	assert_true(json_is_null(j));
	json_decref(j);
}

static void test_to_json_raw(void **state)
{
	struct sockaddr_storage ss;
	unsigned char *p = (unsigned char *)&ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = 250; /* no name */
	p[2] = 'A';
	p[3] = 'B';
	/* base64 with each amount of padding */
	expect_text((struct sockaddr *)&ss, 2, "{\"family\":250,\"raw\":\"+gA=\"}");
	expect_text((struct sockaddr *)&ss, 3, "{\"family\":250,\"raw\":\"+gBB\"}");
	expect_text((struct sockaddr *)&ss, 4, "{\"family\":250,\"raw\":\"+gBBQg==\"}");
	expect_text((struct sockaddr *)&ss, 6, "{\"family\":250,\"raw\":\"+gBBQgAA\"}");

	ss.ss_family = AF_PACKET;
	memset(p + 2, 0xff, 4);
	expect_text((struct sockaddr *)&ss, 8,
		    "{\"family\":\"AF_PACKET\",\"raw\":\"EQD/////AAA=\"}");
	ss.ss_family = AF_NETLINK;
	expect_text((struct sockaddr *)&ss, 5, "{\"family\":\"AF_NETLINK\",\"raw\":\"EAD///8=\"}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inet_ok),
	    cmocka_unit_test(test_inet_loose_forms_are_names),
	    cmocka_unit_test(test_inet_name),
	    cmocka_unit_test(test_inet_name_without_name_buffer),
	    cmocka_unit_test(test_inet_bad_port),
	    cmocka_unit_test(test_inet_service_port),
	    cmocka_unit_test(test_inet_bad_shape),
	    cmocka_unit_test(test_inet_family_mismatch),
	    cmocka_unit_test(test_host_bad),
	    cmocka_unit_test(test_inet6_ok),
	    cmocka_unit_test(test_inet6_scope),
	    cmocka_unit_test(test_inet6_bad),
	    cmocka_unit_test(test_unspec),
	    cmocka_unit_test(test_unix_path),
	    cmocka_unit_test(test_unix_unnamed),
	    cmocka_unit_test(test_unix_abstract),
	    cmocka_unit_test(test_unix_bad_type),
	    cmocka_unit_test(test_other_family),
	    cmocka_unit_test(test_args),
	    cmocka_unit_test(test_to_json_inet),
	    cmocka_unit_test(test_to_json_inet6),
	    cmocka_unit_test(test_to_json_unix),
	    cmocka_unit_test(test_to_json_null),
	    cmocka_unit_test(test_to_json_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
