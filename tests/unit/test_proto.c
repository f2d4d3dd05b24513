/* test_proto.c - unit tests for the protocol table (proto.c and its entries). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "b64.h"
#include "names.h"
#include "proto.h"

#define UNIX_OFF offsetof(struct sockaddr_un, sun_path)
#define KNOWN                                                                                      \
	"AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, AF_PACKET, AF_VSOCK, AF_ALG, AF_CAN, AF_TIPC, "   \
	"AF_RDS, AF_QIPCRTR, AF_BLUETOOTH"

static const int proto_families[] = {AF_INET,	AF_INET6, AF_UNIX,    AF_NETLINK,
				     AF_PACKET, AF_VSOCK, AF_ALG,     AF_CAN,
				     AF_TIPC,	AF_RDS,	  AF_QIPCRTR, AF_BLUETOOTH};

#define NFAMILIES (sizeof(proto_families) / sizeof(proto_families[0]))

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	if (!j)
		fail_msg("bad test JSON %s: %s", text, e.text);
	return j;
}

static char *dump(json_t *j)
{
	char *s;

	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(j);
	assert_non_null(s);
	return s;
}

static void expect_json(json_t *j, const char *want)
{
	char *s = dump(j);

	if (strcmp(s, want) != 0)
		fail_msg("got %s, want %s", s, want);
	free(s);
}

/* An entry's from_json on text: its result, the message in msg. */
static int from(const struct proto *p, const char *text, int family, struct addr *a,
		struct addr_name *n, char *msg, size_t msglen)
{
	json_t *j = load(text);
	int r;

	memset(a, 0, sizeof(*a));
	msg[0] = '\0';
	r = p->from_json(j, family, a, n, msg, msglen);
	json_decref(j);
	return r;
}

/* sockaddr -> JSON is want, and want -> sockaddr gives back the same bytes,
 * through the entry and through addr_to_json/addr_from_json. */
static void round_trip(const void *sa, socklen_t len, const char *want)
{
	const struct proto *p = proto_find(((const struct sockaddr *)sa)->sa_family);
	struct addr a, b;
	char msg[256];
	json_t *j;

	assert_non_null(p);
	expect_json(p->to_json(sa, len), want);
	expect_json(addr_to_json(sa, len), want);
	j = load(want);
	memset(&a, 0, sizeof(a));
	assert_int_equal(p->from_json(j, p->family, &a, NULL, msg, sizeof(msg)), 0);
	assert_int_equal(addr_from_json(j, p->family, &b, NULL, msg, sizeof(msg)), 0);
	json_decref(j);
	assert_int_equal(a.len, len);
	assert_memory_equal(&a.u, sa, len);
	assert_int_equal(b.len, len);
	assert_memory_equal(&b.u, sa, len);
}

/* ---- the table ---- */

static void test_find(void **state)
{
	for (size_t i = 0; i < NFAMILIES; i++) {
		const struct proto *p = proto_find(proto_families[i]);

		assert_non_null(p);
		assert_int_equal(p->family, proto_families[i]);
		assert_string_equal(p->name, names_name(names_af, p->family));
		assert_non_null(p->form);
		assert_true(strlen(p->form) > 0);
		assert_non_null(p->from_json);
		assert_non_null(p->to_json);
	}
	assert_ptr_equal(proto_find(AF_INET), &proto_inet);
	assert_ptr_equal(proto_find(AF_INET6), &proto_inet6);
	assert_ptr_equal(proto_find(AF_UNIX), &proto_unix);
	assert_ptr_equal(proto_find(AF_NETLINK), &proto_netlink);
	assert_ptr_equal(proto_find(AF_PACKET), &proto_packet);
	assert_ptr_equal(proto_find(AF_VSOCK), &proto_vsock);
	assert_null(proto_find(AF_UNSPEC));
	assert_ptr_equal(proto_find(AF_BLUETOOTH), &proto_bluetooth);
	assert_null(proto_find(AF_IPX));
	assert_null(proto_find(9999));
	assert_null(proto_find(-1));
}

static void test_unsupported(void **state)
{
	char msg[256], tiny[8];

	assert_int_equal(proto_unsupported(AF_IPX, msg, sizeof(msg)), -EAFNOSUPPORT);
	assert_string_equal(msg, "address family AF_IPX is not supported; this build knows " KNOWN);
	assert_int_equal(proto_unsupported(9999, msg, sizeof(msg)), -EAFNOSUPPORT);
	assert_string_equal(msg, "address family 9999 is not supported; this build knows " KNOWN);
	assert_int_equal(proto_unsupported(9999, tiny, sizeof(tiny)), -EAFNOSUPPORT);
	assert_string_equal(tiny, "address");
	assert_int_equal(proto_unsupported(9999, NULL, 0), -EAFNOSUPPORT);
}

static void test_check_create(void **state)
{
	char msg[256];

	/* a family this build knows: 0, or "this kernel has no AF_X" as the kernel says */
	for (size_t i = 0; i < NFAMILIES; i++) {
		int fd = socket(proto_families[i], SOCK_CLOEXEC, 0);
		bool lacks = fd < 0 && errno == EAFNOSUPPORT;
		const char *name = names_name(names_af, proto_families[i]);
		char want[128];

		if (fd >= 0)
			close(fd);
		msg[0] = '\0';
		assert_int_equal(
		    proto_check_create(proto_families[i], SOCK_STREAM, 0, msg, sizeof(msg)),
		    lacks ? -EAFNOSUPPORT : 0);
		snprintf(want, sizeof(want), "this kernel has no %s (address family %d)", name,
			 proto_families[i]);
		assert_string_equal(msg, lacks ? want : "");
	}
	assert_int_equal(proto_check_create(AF_IPX, SOCK_DGRAM, 0, msg, sizeof(msg)),
			 -EAFNOSUPPORT);
	assert_string_equal(msg, "address family AF_IPX is not supported; this build knows " KNOWN);
	assert_int_equal(proto_check_create(AF_UNSPEC, SOCK_STREAM, 0, msg, sizeof(msg)),
			 -EAFNOSUPPORT);
	assert_non_null(strstr(msg, "AF_UNSPEC is not supported"));
}

/* addr_from_json for a family without an entry names the known ones. */
static void test_addr_unknown_family(void **state)
{
	struct addr a;
	char msg[256];
	json_t *j = load("[\"1.2.3.4\", 1]");

	assert_int_equal(addr_from_json(j, AF_IPX, &a, NULL, msg, sizeof(msg)), -EAFNOSUPPORT);
	assert_string_equal(msg, "address family AF_IPX is not supported; this build knows " KNOWN);
	json_decref(j);
}

/* ---- AF_INET ---- */

static void test_inet_round_trip(void **state)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(8080);
	in.sin_addr.s_addr = htonl(0x7f000001);
	round_trip(&in, sizeof(in), "[\"127.0.0.1\",8080]");
	in.sin_port = 0;
	in.sin_addr.s_addr = htonl(INADDR_ANY);
	round_trip(&in, sizeof(in), "[\"0.0.0.0\",0]");
	in.sin_port = htons(65535);
	in.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	round_trip(&in, sizeof(in), "[\"255.255.255.255\",65535]");
}

static void test_inet_ops(void **state)
{
	const struct proto *p = &proto_inet;
	struct sockaddr_in in;
	unsigned char ip[16];
	struct addr a;
	struct addr_name n;
	char msg[256];

	assert_int_equal(p->family, AF_INET);
	assert_string_equal(p->name, "AF_INET");
	assert_string_equal(p->form, "[\"host\", port]");

	/* from_json: numeric, name, errors */
	assert_int_equal(from(p, "[\"10.1.2.3\", 443]", AF_INET, &a, &n, msg, sizeof(msg)), 0);
	assert_int_equal(a.len, sizeof(struct sockaddr_in));
	assert_int_equal(a.u.in.sin_family, AF_INET);
	assert_int_equal(ntohs(a.u.in.sin_port), 443);
	assert_int_equal(from(p, "[\"localhost\", 80]", AF_INET, &a, &n, msg, sizeof(msg)),
			 -EAGAIN);
	assert_string_equal(n.host, "localhost");
	assert_int_equal(n.port, 80);
	assert_int_equal(n.family, AF_INET);
	assert_int_equal(from(p, "\"/x\"", AF_INET, &a, &n, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "address for AF_INET must be [\"host\", port], got a string");
	assert_int_equal(from(p, "[\"::1\", 80]", AF_INET, &a, &n, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "address family mismatch"));

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(0x0a000001);
	/* port, bound: port 0 is unbound */
	assert_int_equal(p->port((struct sockaddr *)&in, sizeof(in)), 0);
	assert_false(p->bound((struct sockaddr *)&in, sizeof(in)));
	in.sin_port = htons(53);
	assert_int_equal(p->port((struct sockaddr *)&in, sizeof(in)), 53);
	assert_true(p->bound((struct sockaddr *)&in, sizeof(in)));
	assert_int_equal(p->port((struct sockaddr *)&in, sizeof(in) - 1), -1);
	assert_false(p->bound((struct sockaddr *)&in, sizeof(in) - 1));
	/* ip */
	memset(ip, 0, sizeof(ip));
	assert_int_equal(p->ip((struct sockaddr *)&in, sizeof(in), ip), AF_INET);
	assert_memory_equal(ip, "\x0a\x00\x00\x01", 4);
	assert_int_equal(p->ip((struct sockaddr *)&in, 4, ip), 0);
	/* no path, not a filesystem path, stream by type, no CAP_NET_RAW but raw */
	assert_null(p->path);
	assert_null(p->fs_path);
	assert_null(p->stream);
	assert_null(p->net_raw);
	assert_true(proto_stream(AF_INET, SOCK_STREAM, 0));
	assert_false(proto_stream(AF_INET, SOCK_DGRAM, 0));
	assert_false(proto_stream(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	assert_null(proto_net_raw(AF_INET, SOCK_STREAM, 0));
	assert_null(proto_net_raw(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
	assert_string_equal(proto_net_raw(AF_INET, SOCK_RAW, IPPROTO_ICMP), "raw");
	/* opts */
	assert_int_equal(p->opts(SOCK_STREAM, 0), PROTO_OPT_INET | PROTO_OPT_IP4 | PROTO_OPT_TCP);
	assert_int_equal(p->opts(SOCK_STREAM, IPPROTO_TCP),
			 PROTO_OPT_INET | PROTO_OPT_IP4 | PROTO_OPT_TCP);
	/* TCP options on MPTCP sockets too (issue 14) */
	assert_int_equal(p->opts(SOCK_STREAM, IPPROTO_MPTCP),
			 PROTO_OPT_INET | PROTO_OPT_IP4 | PROTO_OPT_TCP);
	assert_int_equal(p->opts(SOCK_DGRAM, 0), PROTO_OPT_INET | PROTO_OPT_IP4 | PROTO_OPT_MCAST4);
	assert_int_equal(p->opts(SOCK_DGRAM, IPPROTO_UDPLITE),
			 PROTO_OPT_INET | PROTO_OPT_IP4 | PROTO_OPT_MCAST4 | PROTO_OPT_UDPLITE);
	assert_int_equal(p->opts(SOCK_RAW, IPPROTO_ICMP),
			 PROTO_OPT_INET | PROTO_OPT_IP4 | PROTO_OPT_MCAST4 | PROTO_OPT_RAW4);
	/* to_json of a short address: the raw form */
	expect_json(p->to_json((struct sockaddr *)&in, 4),
		    "{\"family\":\"AF_INET\",\"raw\":\"AgAANQ==\"}");
}

/* ---- AF_INET6 ---- */

static void test_inet6_round_trip(void **state)
{
	struct sockaddr_in6 in6;

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(443);
	in6.sin6_addr = in6addr_loopback;
	round_trip(&in6, sizeof(in6), "[\"::1\",443,0,0]");
	in6.sin6_flowinfo = htonl(0xfffff);
	in6.sin6_scope_id = 4294967295u;
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	round_trip(&in6, sizeof(in6), "[\"fe80::1\",443,1048575,4294967295]");
	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:1.2.3.4", &in6.sin6_addr);
	round_trip(&in6, sizeof(in6), "[\"::ffff:1.2.3.4\",0,0,0]");
}

static void test_inet6_ops(void **state)
{
	const struct proto *p = &proto_inet6;
	struct sockaddr_in6 in6;
	unsigned char ip[16];
	struct addr a;
	struct addr_name n;
	char msg[256];

	assert_int_equal(p->family, AF_INET6);
	assert_string_equal(p->name, "AF_INET6");
	assert_string_equal(p->form, "[\"host\", port] or [\"host\", port, flowinfo[, scope_id]]");

	assert_int_equal(from(p, "[\"::1\", 80, 3, 4]", AF_INET6, &a, &n, msg, sizeof(msg)), 0);
	assert_int_equal(a.len, sizeof(struct sockaddr_in6));
	assert_int_equal(ntohl(a.u.in6.sin6_flowinfo), 3);
	assert_int_equal(a.u.in6.sin6_scope_id, 4);
	assert_int_equal(from(p, "[\"example.com\", 1]", AF_INET6, &a, &n, msg, sizeof(msg)),
			 -EAGAIN);
	assert_int_equal(n.family, AF_INET6);
	assert_int_equal(from(p, "[\"1.2.3.4\", 80]", AF_INET6, &a, &n, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "::ffff:1.2.3.4"));
	/* AF_UNSPEC inference goes through the AF_INET entry */
	assert_ptr_equal(proto_inet.from_json, p->from_json);
	assert_int_equal(from(p, "[\"::1\", 5]", AF_UNSPEC, &a, &n, msg, sizeof(msg)), 0);
	assert_int_equal(a.u.sa.sa_family, AF_INET6);
	assert_int_equal(from(p, "[\"1.2.3.4\", 5]", AF_UNSPEC, &a, &n, msg, sizeof(msg)), 0);
	assert_int_equal(a.u.sa.sa_family, AF_INET);

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_addr = in6addr_loopback;
	assert_int_equal(p->port((struct sockaddr *)&in6, sizeof(in6)), 0);
	assert_false(p->bound((struct sockaddr *)&in6, sizeof(in6)));
	in6.sin6_port = htons(1023);
	assert_int_equal(p->port((struct sockaddr *)&in6, sizeof(in6)), 1023);
	assert_true(p->bound((struct sockaddr *)&in6, sizeof(in6)));
	assert_int_equal(p->port((struct sockaddr *)&in6, sizeof(in6) - 1), -1);
	assert_false(p->bound((struct sockaddr *)&in6, 2));
	assert_int_equal(p->ip((struct sockaddr *)&in6, sizeof(in6), ip), AF_INET6);
	assert_memory_equal(ip, &in6addr_loopback, 16);
	assert_int_equal(p->ip((struct sockaddr *)&in6, 8, ip), 0);
	assert_null(p->path);
	assert_null(p->fs_path);
	assert_null(p->stream);
	assert_null(p->net_raw);
	assert_string_equal(proto_net_raw(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), "raw");
	assert_int_equal(p->opts(SOCK_STREAM, 0), PROTO_OPT_INET | PROTO_OPT_IP6 | PROTO_OPT_TCP);
	assert_int_equal(p->opts(SOCK_DGRAM, 0), PROTO_OPT_INET | PROTO_OPT_IP6 | PROTO_OPT_MCAST6);
	assert_int_equal(p->opts(SOCK_DGRAM, IPPROTO_UDPLITE),
			 PROTO_OPT_INET | PROTO_OPT_IP6 | PROTO_OPT_MCAST6 | PROTO_OPT_UDPLITE);
	assert_int_equal(p->opts(SOCK_SEQPACKET, IPPROTO_SCTP),
			 PROTO_OPT_INET | PROTO_OPT_IP6 | PROTO_OPT_MCAST6);
}

/* ---- AF_UNIX ---- */

static void test_unix_round_trip(void **state)
{
	struct sockaddr_un un;

	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	strcpy(un.sun_path, "/run/sockfs.sock");
	round_trip(&un, (socklen_t)(UNIX_OFF + strlen(un.sun_path) + 1), "\"/run/sockfs.sock\"");
	/* abstract: the leading NUL and exactly the bytes after it */
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memcpy(un.sun_path, "\0name", 5);
	round_trip(&un, UNIX_OFF + 5, "\"\\u0000name\"");
	memcpy(un.sun_path, "\0a\0b", 4);
	round_trip(&un, UNIX_OFF + 4, "\"\\u0000a\\u0000b\"");
	/* unnamed: the family alone */
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	round_trip(&un, sizeof(sa_family_t), "\"\"");
}

static void test_unix_ops(void **state)
{
	const struct proto *p = &proto_unix;
	struct sockaddr_un un;
	struct sockaddr *sa = (struct sockaddr *)&un;
	struct addr a;
	const char *path;
	size_t n;
	char msg[256];

	assert_int_equal(p->family, AF_UNIX);
	assert_string_equal(p->name, "AF_UNIX");
	assert_non_null(strstr(p->form, "abstract"));

	assert_int_equal(from(p, "\"/tmp/s\"", AF_UNIX, &a, NULL, msg, sizeof(msg)), 0);
	assert_int_equal(a.len, UNIX_OFF + 7);
	assert_int_equal(from(p, "\"/tmp/s\"", AF_UNSPEC, &a, NULL, msg, sizeof(msg)), 0);
	assert_int_equal(a.u.sa.sa_family, AF_UNIX);
	assert_int_equal(from(p, "[\"/tmp/s\", 1]", AF_UNIX, &a, NULL, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(
	    msg, "address for AF_UNIX must be a string or {\"bytes\": base64}, got an array");

	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	/* unnamed */
	assert_false(p->bound(sa, sizeof(sa_family_t)));
	assert_false(p->fs_path(sa, sizeof(sa_family_t)));
	assert_true(p->path(sa, sizeof(sa_family_t), &path, &n));
	assert_int_equal(n, 0);
	/* a path: bound, a filesystem path, its bytes up to the NUL */
	strcpy(un.sun_path, "/run/x");
	un.sun_path[7] = 'G';
	assert_true(p->bound(sa, UNIX_OFF + 7));
	assert_true(p->fs_path(sa, UNIX_OFF + 7));
	assert_true(p->path(sa, UNIX_OFF + 7, &path, &n));
	assert_int_equal(n, 6);
	assert_memory_equal(path, "/run/x", 6);
	assert_true(p->path(sa, sizeof(un), &path, &n));
	assert_int_equal(n, 6);
	/* abstract: bound, not a filesystem path, every byte */
	memcpy(un.sun_path, "\0ab\0", 4);
	assert_true(p->bound(sa, UNIX_OFF + 4));
	assert_false(p->fs_path(sa, UNIX_OFF + 4));
	assert_true(p->path(sa, UNIX_OFF + 4, &path, &n));
	assert_int_equal(n, 4);
	assert_memory_equal(path, "\0ab\0", 4);
	/* no ports, no IP */
	assert_null(p->port);
	assert_null(p->ip);
	assert_int_equal(proto_port(sa, UNIX_OFF + 4), -1);
	/* data: a stream on SOCK_STREAM only; no CAP_NET_RAW */
	assert_null(p->stream);
	assert_true(proto_stream(AF_UNIX, SOCK_STREAM, 0));
	assert_false(proto_stream(AF_UNIX, SOCK_SEQPACKET, 0));
	assert_false(proto_stream(AF_UNIX, SOCK_DGRAM, 0));
	assert_null(p->net_raw);
	assert_null(proto_net_raw(AF_UNIX, SOCK_SEQPACKET, 0));
	/* opts */
	assert_int_equal(p->opts(SOCK_STREAM, 0), PROTO_OPT_UNIX);
	assert_int_equal(p->opts(SOCK_DGRAM, 0), PROTO_OPT_UNIX);
	/* not UTF-8: the bytes form */
	memcpy(un.sun_path, "\0\xff", 2);
	expect_json(p->to_json(sa, UNIX_OFF + 2), "{\"bytes\":\"AP8=\"}");
}

/* ---- the other families' entries: tests/unit/test_families.c ---- */

static void test_net_raw(void **state)
{
	/* netlink: the kernel decides (no CAP_NET_RAW for SOCK_RAW) */
	assert_null(proto_net_raw(AF_NETLINK, SOCK_RAW, 0));
	assert_null(proto_net_raw(AF_NETLINK, SOCK_DGRAM, 0));
	/* every AF_PACKET socket needs CAP_NET_RAW */
	assert_string_equal(proto_net_raw(AF_PACKET, SOCK_DGRAM, 0), "AF_PACKET");
	assert_string_equal(proto_net_raw(AF_PACKET, SOCK_RAW, 0), "AF_PACKET");
	assert_null(proto_net_raw(AF_VSOCK, SOCK_STREAM, 0));
	assert_string_equal(proto_net_raw(AF_VSOCK, SOCK_RAW, 0), "raw");
}

/* ---- the dispatchers' defaults ---- */

static void test_defaults(void **state)
{
	struct sockaddr_in in;
	struct sockaddr_storage ss;
	unsigned char ip[16];
	const char *p;
	size_t n;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(80);
	/* no address, or too short for a family */
	assert_false(proto_bound(NULL, 16));
	assert_false(proto_bound((struct sockaddr *)&in, 1));
	assert_int_equal(proto_port(NULL, 16), -1);
	assert_int_equal(proto_port((struct sockaddr *)&in, 0), -1);
	assert_int_equal(proto_ip(NULL, 0, ip), 0);
	assert_false(proto_path(NULL, 0, &p, &n));
	assert_false(proto_fs_path(NULL, 0));
	/* through the dispatchers */
	assert_true(proto_bound((struct sockaddr *)&in, sizeof(in)));
	assert_int_equal(proto_port((struct sockaddr *)&in, sizeof(in)), 80);
	assert_int_equal(proto_ip((struct sockaddr *)&in, sizeof(in), ip), AF_INET);
	assert_false(proto_path((struct sockaddr *)&in, sizeof(in), &p, &n));
	/* a family without an entry */
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_IPX;
	assert_false(proto_bound((struct sockaddr *)&ss, sizeof(ss)));
	assert_int_equal(proto_port((struct sockaddr *)&ss, sizeof(ss)), -1);
	assert_true(proto_stream(AF_IPX, SOCK_STREAM, 0));
	assert_false(proto_stream(AF_IPX, SOCK_SEQPACKET, 0));
	assert_int_equal(proto_opts(AF_IPX, SOCK_STREAM, 0), 0);
	expect_json(addr_to_json((struct sockaddr *)&ss, 4),
		    "{\"family\":\"AF_IPX\",\"raw\":\"BAAAAA==\"}");
	/* no family yet (new without one): by type */
	assert_true(proto_stream(AF_UNSPEC, SOCK_STREAM, 0));
	assert_false(proto_stream(AF_UNSPEC, SOCK_DGRAM, 0));
	assert_int_equal(proto_opts(AF_UNSPEC, SOCK_STREAM, 0), 0);
	assert_null(proto_net_raw(AF_UNSPEC, SOCK_STREAM, 0));
	assert_string_equal(proto_net_raw(AF_UNSPEC, SOCK_RAW, 0), "raw");
	assert_string_equal(proto_net_raw(AF_UNSPEC, SOCK_PACKET, 0), "raw");
	assert_string_equal(proto_net_raw(AF_INET, SOCK_PACKET, 0), "raw");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_unsupported),
	    cmocka_unit_test(test_check_create),
	    cmocka_unit_test(test_addr_unknown_family),
	    cmocka_unit_test(test_inet_round_trip),
	    cmocka_unit_test(test_inet_ops),
	    cmocka_unit_test(test_inet6_round_trip),
	    cmocka_unit_test(test_inet6_ops),
	    cmocka_unit_test(test_unix_round_trip),
	    cmocka_unit_test(test_unix_ops),
	    cmocka_unit_test(test_net_raw),
	    cmocka_unit_test(test_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
