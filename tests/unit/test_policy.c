/* test_policy.c - unit tests for policy.c: parser and matcher. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "policy.h"

static char err[512], msg[512];

static struct policy *parse_ok(const char *text)
{
	struct policy *p = policy_parse(text, strlen(text), err, sizeof(err));

	if (!p)
		fail_msg("policy %s rejected: %s", text, err);
	return p;
}

/* The policy must be rejected with a reason containing want. */
static void parse_bad(const char *text, const char *want)
{
	struct policy *p;

	err[0] = 0;
	p = policy_parse(text, strlen(text), err, sizeof(err));
	if (p) {
		policy_free(p);
		fail_msg("policy %s accepted, expected an error with \"%s\"", text, want);
	}
	if (!strstr(err, want))
		fail_msg("policy %s: error [%s] lacks \"%s\"", text, err, want);
}

static struct sockaddr_storage ss;

static const struct sockaddr *in4(const char *host, int port, socklen_t *len)
{
	struct sockaddr_in *a = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, host, &a->sin_addr), 1);
	*len = sizeof(*a);
	return (struct sockaddr *)a;
}

static const struct sockaddr *in6(const char *host, int port, socklen_t *len)
{
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	a->sin6_family = AF_INET6;
	a->sin6_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET6, host, &a->sin6_addr), 1);
	*len = sizeof(*a);
	return (struct sockaddr *)a;
}

static const struct sockaddr *un(const char *path, size_t plen, socklen_t *len)
{
	struct sockaddr_un *a = (struct sockaddr_un *)&ss;

	memset(&ss, 0, sizeof(ss));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path, path, plen);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] ? 1 : 0));
	return (struct sockaddr *)a;
}

/* Match: returns the rule index that decided (-1 default), checks the
 * result against allow. */
static socklen_t zero;

static int check(const struct policy *p, enum policy_op op, uid_t uid, const struct sockaddr *sa,
		 const socklen_t *lenp, bool allow)
{
	socklen_t len = *lenp;
	struct policy_req r = {
	    .op = op, .uid = uid, .family = sa ? sa->sa_family : AF_INET, .sa = sa, .salen = len};
	int rule = 99, res;

	msg[0] = 0;
	res = policy_match(p, &r, &rule, msg, sizeof(msg));
	if (allow && res != 0)
		fail_msg("expected allowed, got %d (%s)", res, msg);
	if (!allow && res != -EACCES)
		fail_msg("expected EACCES, got %d", res);
	return rule;
}

static void test_no_policy_allows(void **state)
{
	socklen_t len;

	assert_int_equal(check(NULL, POLICY_CONNECT, 1000, in4("1.2.3.4", 80, &len), &len, true),
			 -1);
}

static void test_cidr_v4(void **state)
{
	struct policy *p = parse_ok("{\"rules\":[{\"name\":\"meta\",\"action\":\"deny\","
				    "\"address\":\"169.254.0.0/16\"}]}");
	socklen_t len;

	assert_int_equal(check(p, POLICY_CONNECT, 0, in4("169.254.169.254", 80, &len), &len, false),
			 0);
	assert_non_null(strstr(msg, "rule 0 \"meta\""));
	assert_non_null(strstr(msg, "connect"));
	check(p, POLICY_CONNECT, 0, in4("169.255.0.1", 80, &len), &len, true);
	check(p, POLICY_CONNECT, 0, in4("169.253.255.255", 80, &len), &len, true);
	/* An IPv4-mapped IPv6 address reaches the same host: IPv4 rules apply. */
	check(p, POLICY_CONNECT, 0, in6("::ffff:169.254.1.1", 80, &len), &len, false);
	check(p, POLICY_CONNECT, 0, in6("2001:db8::1", 80, &len), &len, true);
	policy_free(p);
}

static void test_cidr_odd_prefix(void **state)
{
	struct policy *p = parse_ok("{\"default\":\"deny\",\"rules\":[{\"action\":\"allow\","
				    "\"address\":[\"10.1.2.0/23\", \"192.0.2.7\"]}]}");
	socklen_t len;

	check(p, POLICY_CONNECT, 0, in4("10.1.3.255", 1, &len), &len, true);
	check(p, POLICY_CONNECT, 0, in4("10.1.2.0", 1, &len), &len, true);
	check(p, POLICY_CONNECT, 0, in4("10.1.4.0", 1, &len), &len, false);
	check(p, POLICY_CONNECT, 0, in4("10.1.1.255", 1, &len), &len, false);
	check(p, POLICY_CONNECT, 0, in4("192.0.2.7", 1, &len), &len, true);
	assert_int_equal(check(p, POLICY_CONNECT, 0, in4("192.0.2.8", 1, &len), &len, false), -1);
	assert_non_null(strstr(msg, "default"));
	policy_free(p);
}

static void test_cidr_v6(void **state)
{
	struct policy *p = parse_ok("{\"rules\":[{\"action\":\"deny\",\"address\":\"fd00::/8\"},"
				    "{\"action\":\"deny\",\"address\":\"2001:db8:0:1::/65\"}]}");
	socklen_t len;

	assert_int_equal(check(p, POLICY_CONNECT, 0, in6("fdab::1", 1, &len), &len, false), 0);
	check(p, POLICY_CONNECT, 0, in6("fe00::1", 1, &len), &len, true);
	assert_int_equal(
	    check(p, POLICY_CONNECT, 0, in6("2001:db8:0:1:7fff::1", 1, &len), &len, false), 1);
	check(p, POLICY_CONNECT, 0, in6("2001:db8:0:1:8000::1", 1, &len), &len, true);
	/* IPv6 rules do not match IPv4 addresses. */
	check(p, POLICY_CONNECT, 0, in4("10.0.0.1", 1, &len), &len, true);
	policy_free(p);
}

static void test_ports_ops_first_match(void **state)
{
	struct policy *p = parse_ok(
	    "{\"default\":\"deny\",\"rules\":["
	    "{\"name\":\"web\",\"action\":\"allow\",\"ops\":\"connect\",\"ports\":[80,443]},"
	    "{\"name\":\"high\",\"action\":\"allow\",\"ops\":[\"bind\",\"listen\"],"
	    "\"ports\":\"1024-65535\"},"
	    "{\"name\":\"dns\",\"action\":\"allow\",\"ports\":[53,[5353,5354]]},"
	    "{\"name\":\"later\",\"action\":\"deny\",\"ports\":[80,443]}]}");
	socklen_t len;

	/* [80, 443] of two integers is the range 80..443. */
	assert_int_equal(check(p, POLICY_CONNECT, 0, in4("1.1.1.1", 100, &len), &len, true), 0);
	assert_int_equal(check(p, POLICY_BIND, 0, in4("0.0.0.0", 100, &len), &len, false), 3);
	assert_non_null(strstr(msg, "rule 3 \"later\""));
	check(p, POLICY_BIND, 0, in4("0.0.0.0", 8080, &len), &len, true);
	check(p, POLICY_CONNECT, 0, in4("1.1.1.1", 8080, &len), &len, false);
	check(p, POLICY_SENDTO, 0, in4("1.1.1.1", 53, &len), &len, true);
	check(p, POLICY_SENDTO, 0, in4("1.1.1.1", 5354, &len), &len, true);
	check(p, POLICY_SENDTO, 0, in4("1.1.1.1", 5355, &len), &len, false);
	/* listen without a local address: a port rule cannot match. */
	assert_int_equal(check(p, POLICY_LISTEN, 0, NULL, &zero, false), -1);
	policy_free(p);
}

static void test_uid_family_path(void **state)
{
	struct policy *p =
	    parse_ok("{\"rules\":["
		     "{\"name\":\"svc\",\"action\":\"allow\",\"uid\":[[1000,1999], 0]},"
		     "{\"name\":\"docker\",\"action\":\"deny\",\"path\":\"/run/docker\"},"
		     "{\"name\":\"abstract\",\"action\":\"deny\",\"path\":\"\\u0000secret\"},"
		     "{\"name\":\"v6\",\"action\":\"deny\",\"family\":\"AF_INET6\"}]}");
	socklen_t len;

	check(p, POLICY_CONNECT, 1500, un("/run/docker.sock", 16, &len), &len, true);
	assert_int_equal(
	    check(p, POLICY_CONNECT, 2000, un("/run/docker.sock", 16, &len), &len, false), 1);
	check(p, POLICY_CONNECT, 2000, un("/run/dock", 9, &len), &len, true);
	assert_int_equal(check(p, POLICY_CONNECT, 2000, un("\0secret-x", 9, &len), &len, false), 2);
	check(p, POLICY_CONNECT, 2000, un("\0other", 6, &len), &len, true);
	assert_int_equal(check(p, POLICY_CONNECT, 5, in6("::1", 1, &len), &len, false), 3);
	check(p, POLICY_CONNECT, 0, in6("::1", 1, &len), &len, true);
	check(p, POLICY_CONNECT, 5, in4("127.0.0.1", 1, &len), &len, true);
	policy_free(p);
}

/* The address the kernel will use decides (issue 12's side doors). */
static void test_effective_address(void **state)
{
	struct policy *p = parse_ok("{\"rules\":[{\"name\":\"lo\",\"action\":\"deny\","
				    "\"ops\":[\"connect\",\"sendto\"],"
				    "\"address\":[\"127.0.0.0/8\",\"::1\"]}]}");
	struct policy *fam =
	    parse_ok("{\"default\":\"deny\",\"rules\":["
		     "{\"name\":\"no4\",\"action\":\"deny\",\"family\":\"AF_INET\"},"
		     "{\"name\":\"v6\",\"action\":\"allow\",\"family\":\"AF_INET6\"}]}");
	struct policy *bind = parse_ok("{\"default\":\"deny\",\"rules\":["
				       "{\"name\":\"b\",\"action\":\"allow\",\"ops\":\"bind\","
				       "\"address\":\"10.0.0.0/8\"},"
				       "{\"name\":\"all\",\"action\":\"allow\",\"ops\":\"listen\","
				       "\"address\":\"0.0.0.0/0\"}]}");
	struct policy *nob = parse_ok("{\"rules\":[{\"name\":\"nolo\",\"action\":\"deny\","
				      "\"ops\":\"bind\",\"address\":\"127.0.0.0/8\"}]}");
	socklen_t len;

	/* 0.0.0.0, "" (also 0.0.0.0), :: and ::ffff:0.0.0.0 reach loopback. */
	check(p, POLICY_CONNECT, 5, in4("0.0.0.0", 80, &len), &len, false);
	check(p, POLICY_SENDTO, 5, in4("0.0.0.0", 80, &len), &len, false);
	check(p, POLICY_CONNECT, 5, in6("::", 80, &len), &len, false);
	check(p, POLICY_CONNECT, 5, in6("::ffff:0.0.0.0", 80, &len), &len, false);
	check(p, POLICY_CONNECT, 5, in6("::ffff:127.0.0.1", 80, &len), &len, false);
	check(p, POLICY_CONNECT, 5, in4("10.0.0.1", 80, &len), &len, true);
	/* A family rule for AF_INET covers ::ffff:a.b.c.d on an AF_INET6
	 * socket; an allow for AF_INET6 does not let IPv4 traffic through. */
	assert_int_equal(
	    check(fam, POLICY_CONNECT, 5, in6("::ffff:10.1.2.3", 80, &len), &len, false), 0);
	assert_int_equal(check(fam, POLICY_CONNECT, 5, in6("2001:db8::1", 80, &len), &len, true),
			 1);
	/* A bind on the unspecified address is every address: an allow for
	 * a part of them does not cover it, a deny of a part does. */
	check(bind, POLICY_BIND, 5, in4("10.1.1.1", 80, &len), &len, true);
	assert_int_equal(check(bind, POLICY_BIND, 5, in4("0.0.0.0", 80, &len), &len, false), -1);
	check(bind, POLICY_LISTEN, 5, in4("0.0.0.0", 80, &len), &len, true);
	check(nob, POLICY_BIND, 5, in4("0.0.0.0", 80, &len), &len, false);
	check(nob, POLICY_BIND, 5, in6("::", 80, &len), &len, false); /* dual stack: IPv4 too */
	check(nob, POLICY_BIND, 5, in4("10.0.0.1", 80, &len), &len, true);
	policy_free(p);
	policy_free(fam);
	policy_free(bind);
	policy_free(nob);
}

static void test_malformed(void **state)
{
	parse_bad("{", "invalid JSON");
	parse_bad("[]", "a policy is a JSON object");
	parse_bad("{\"defaults\":\"deny\"}", "unknown field \"defaults\"");
	parse_bad("{\"default\":\"maybe\"}", "field \"default\"");
	parse_bad("{\"rules\":{}}", "field \"rules\"");
	parse_bad("{\"rules\":[5]}", "rule 0: a rule is a JSON object");
	parse_bad("{\"rules\":[{\"action\":\"allow\"},{\"address\":\"1.2.3.4\"}]}",
		  "rule 1: field \"action\"");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"adress\":\"1.2.3.4\"}]}",
		  "rule 0: unknown field \"adress\"");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"address\":\"1.2.3.4/33\"}]}",
		  "rule 0: field \"address\": \"1.2.3.4/33\": prefix length must be 0 to 32");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"address\":\"::/129\"}]}", "0 to 128");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"address\":\"10.0.0.0/\"}]}", "prefix length");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"address\":\"example.com\"}]}",
		  "not a numeric IPv4 or IPv6 address");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"ports\":\"90-80\"}]}",
		  "field \"ports\": range 90-80");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"ports\":70000}]}", "not within 0-65535");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"ports\":\"80x\"}]}", "\"low-high\"");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"ports\":[]}]}", "a list of 1 to");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"ops\":[\"accept\"]}]}",
		  "field \"ops\": expected \"connect\"");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"family\":\"AF_NOPE\"}]}",
		  "field \"family\": expected a family name");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"uid\":-1}]}", "field \"uid\"");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"path\":\"\"}]}", "field \"path\"");
	parse_bad("{\"rules\":[{\"action\":\"deny\",\"name\":5}]}", "field \"name\"");
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/test_policy.XXXXXX";
	int fd = mkstemp(path);
	struct policy *p;
	const char *text = "{\"default\":\"deny\"}";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	p = policy_load(path, err, sizeof(err));
	assert_non_null(p);
	policy_free(p);
	unlink(path);
	assert_null(policy_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
	assert_non_null(strstr(err, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_policy_allows),
	    cmocka_unit_test(test_cidr_v4),
	    cmocka_unit_test(test_cidr_odd_prefix),
	    cmocka_unit_test(test_cidr_v6),
	    cmocka_unit_test(test_ports_ops_first_match),
	    cmocka_unit_test(test_uid_family_path),
	    cmocka_unit_test(test_effective_address),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
