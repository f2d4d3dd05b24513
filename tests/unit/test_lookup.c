/* test_lookup.c - unit tests for the pure parts of lookup.c and for the
 * queries that touch neither NSS nor the network. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lookup.h"

/* JSON of v, compact, compared with want; frees v. */
static void assert_json_text(json_t *v, const char *want)
{
	char *s;

	assert_non_null(v);
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
	json_decref(v);
}

static void test_flags(void **state)
{
	json_t *v;
	int f = -1;

	(void)state;
	v = json_integer(1024);
	assert_int_equal(lookup_flags(v, names_ai, &f), 0);
	assert_int_equal(f, 1024);
	json_decref(v);
	v = json_string("AI_PASSIVE|AI_CANONNAME");
	assert_int_equal(lookup_flags(v, names_ai, &f), 0);
	assert_int_equal(f, AI_PASSIVE | AI_CANONNAME);
	json_decref(v);
	v = json_pack("[s, i]", "AI_V4MAPPED", AI_ALL);
	assert_int_equal(lookup_flags(v, names_ai, &f), 0);
	assert_int_equal(f, AI_V4MAPPED | AI_ALL);
	json_decref(v);
	v = json_string("NI_NAMEREQD|NI_DGRAM");
	assert_int_equal(lookup_flags(v, names_ni, &f), 0);
	assert_int_equal(f, NI_NAMEREQD | NI_DGRAM);
	json_decref(v);
	v = json_string("AI_PASSIVE|AI_BOGUS");
	assert_int_equal(lookup_flags(v, names_ai, &f), -EINVAL);
	json_decref(v);
	v = json_pack("[s]", "NI_DGRAM"); /* an NI_ name is no AI_ flag */
	assert_int_equal(lookup_flags(v, names_ai, &f), -EINVAL);
	json_decref(v);
	v = json_true();
	assert_int_equal(lookup_flags(v, names_ai, &f), -EINVAL);
	json_decref(v);
}

static void test_hex(void **state)
{
	const unsigned char ip[4] = {127, 0, 0, 1};
	unsigned char out[16];
	size_t n = 99;
	char *s;

	(void)state;
	s = lookup_hex(ip, 4);
	assert_string_equal(s, "7f000001");
	free(s);
	s = lookup_hex(ip, 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(lookup_unhex("7F000001", out, sizeof(out), &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, ip, 4);
	assert_int_equal(lookup_unhex("7f00000", out, sizeof(out), &n), -EINVAL);
	assert_int_equal(lookup_unhex("7g000001", out, sizeof(out), &n), -EINVAL);
	assert_int_equal(lookup_unhex("000102030405060708090a0b0c0d0e0f10", out, 16, &n), -EINVAL);
}

static void test_addrinfo_json(void **state)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(80)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
	struct addrinfo ai6 = {0}, ai4 = {0};

	(void)state;
	inet_pton(AF_INET, "10.9.8.7", &in.sin_addr);
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	ai4.ai_family = AF_INET;
	ai4.ai_socktype = SOCK_STREAM;
	ai4.ai_protocol = IPPROTO_TCP;
	ai4.ai_canonname = "fixture.sockfs.test";
	ai4.ai_addr = (struct sockaddr *)&in;
	ai4.ai_addrlen = sizeof(in);
	ai4.ai_next = &ai6;
	ai6.ai_family = AF_INET6;
	ai6.ai_socktype = SOCK_DGRAM;
	ai6.ai_protocol = IPPROTO_UDP;
	ai6.ai_addr = (struct sockaddr *)&in6;
	ai6.ai_addrlen = sizeof(in6);
	assert_json_text(
	    lookup_addrinfo_json(&ai4),
	    "[[\"AF_INET\",\"SOCK_STREAM\",6,\"fixture.sockfs.test\",[\"10.9.8.7\",80]],"
	    "[\"AF_INET6\",\"SOCK_DGRAM\",17,\"\",[\"::1\",443,0,0]]]");
	assert_json_text(lookup_addrinfo_json(NULL), "[]");
}

static void test_herror(void **state)
{
	(void)state;
	assert_int_equal(lookup_herror_errno(HOST_NOT_FOUND), ENXIO);
	assert_int_equal(lookup_herror_errno(NO_DATA), ENXIO);
	assert_int_equal(lookup_herror_errno(TRY_AGAIN), EAGAIN);
	assert_int_equal(lookup_herror_errno(NO_RECOVERY), EIO);
	assert_json_text(
	    lookup_herror_json(HOST_NOT_FOUND, "gethostbyaddr"),
	    "{\"error\":{\"errno\":6,\"name\":\"ENXIO\",\"message\":\"Unknown "
	    "host\",\"op\":\"gethostbyaddr\",\"herror\":{\"errno\":1,\"name\":\"HOST_NOT_"
	    "FOUND\"}}}");
}

/* Parse and run a query that must not block; returns the write's result
 * and the reply as compact JSON in *text (freed by the caller). */
static int run(const char *query, char **text)
{
	struct lookup_q *q;
	json_t *reply = NULL;
	int r;

	r = lookup_parse(query, strlen(query), getpid(), &q, &reply);
	if (r == 0) {
		assert_false(lookup_blocking(q));
		lookup_run(q);
		r = lookup_reply(q, &reply);
		lookup_free(q);
	}
	assert_non_null(reply);
	*text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	return r;
}

static void assert_run(const char *query, int want_r, const char *want_substring)
{
	char *text = NULL;
	int r = run(query, &text);

	if (r != want_r || !strstr(text, want_substring))
		fail_msg("%s: got %d %s, want %d and %s", query, r, text, want_r, want_substring);
	free(text);
}

static void test_queries(void **state)
{
	(void)state;
	assert_run(
	    "{\"op\":\"inet_pton\",\"address_family\":\"AF_INET6\",\"ip_string\":\"fe80::1\"}", 0,
	    "{\"ok\":true,\"op\":\"inet_pton\",\"result\":\"fe800000000000000000000000000001\"}");
	assert_run("{\"op\":\"inet_ntop\",\"address_family\":10,\"packed_ip\":"
		   "\"20010DB8000000000000000000000001\"}",
		   0, "\"result\":\"2001:db8::1\"");
	assert_run("{\"op\":\"inet_aton\",\"ip_string\":\"127.1\"}", 0, "\"result\":\"7f000001\"");
	assert_run("{\"op\":\"inet_ntoa\",\"packed_ip\":\"0a000001\"}", 0,
		   "\"result\":\"10.0.0.1\"");
	assert_run("{\"op\":\"inet_ntoa\",\"packed_ip\":\"0a00000102\"}", -EINVAL,
		   "packed IP wrong length for inet_ntoa");
	assert_run("{\"op\":\"inet_pton\",\"address_family\":\"AF_INET\",\"ip_string\":\"1.2\"}",
		   -EINVAL, "illegal IP address string passed to inet_pton");
	assert_run(
	    "{\"op\":\"inet_pton\",\"address_family\":\"AF_UNIX\",\"ip_string\":\"1.2.3.4\"}",
	    -EAFNOSUPPORT, "\"name\":\"EAFNOSUPPORT\"");
	assert_run("{\"op\":\"inet_ntop\",\"address_family\":\"AF_INET\",\"packed_ip\":\"xyz\"}",
		   -EINVAL, "packed_ip must be hexadecimal");
	assert_run("{\"op\":\"if_indextoname\",\"if_index\":-1}", -EINVAL, "index out of range");
	assert_run("{\"op\":\"if_nametoindex\",\"if_name\":\"lo\"}", 0, "\"result\":1");
	assert_run("{\"op\":\"has_ipv6\"}", 0, "\"op\":\"has_ipv6\",\"result\":");
	assert_run("{\"op\":\"help\"}", 0,
		   "{\"op\":\"getaddrinfo\",\"args\":[\"host\",\"port\","
		   "\"family\",\"type\",\"proto\",\"flags\"]");
	/* Malformed queries: EINVAL, the message names the problem. */
	assert_run("{\"op\":", -EINVAL, "invalid JSON");
	assert_run("[1]", -EINVAL, "a query is a JSON object with \\\"op\\\"");
	assert_run("{\"op\":\"frob\"}", -EINVAL, "unknown op \\\"frob\\\"; valid ops: getaddrinfo");
	assert_run("{\"op\":\"getaddrinfo\",\"hots\":\"x\"}", -EINVAL,
		   "unknown field \\\"hots\\\" (fields: host port family type proto flags)");
	assert_run("{\"op\":\"getaddrinfo\",\"port\":1}", -EINVAL, "field \\\"host\\\" is missing");
	assert_run("{\"op\":\"getaddrinfo\",\"host\":\"x\",\"flags\":\"AI_PASSIVE|AI_BOGUS\"}",
		   -EINVAL, "unknown flag \\\"AI_BOGUS\\\"");
	assert_run("{\"op\":\"getaddrinfo\",\"host\":\"x\",\"family\":\"AF_BOGUS\"}", -EINVAL,
		   "field \\\"family\\\": unknown name \\\"AF_BOGUS\\\"");
	assert_run("{\"op\":\"getservbyport\",\"port\":\"80\"}", -EINVAL,
		   "field \\\"port\\\": must be an integer");
	assert_run("{\"op\":\"gethostbyname\",\"hostname\":\"a\\u0000b\"}", -EINVAL,
		   "without NUL characters");
}

/* Lookups that may touch NSS or DNS are marked for a worker. */
static void test_blocking(void **state)
{
	static const char *const queries[] = {
	    "{\"op\":\"getaddrinfo\",\"host\":\"localhost\"}",
	    "{\"op\":\"getnameinfo\",\"sockaddr\":[\"127.0.0.1\",0]}",
	    "{\"op\":\"gethostbyname\",\"hostname\":\"localhost\"}",
	    "{\"op\":\"gethostbyname_ex\",\"hostname\":\"localhost\"}",
	    "{\"op\":\"gethostbyaddr\",\"ip_address\":\"127.0.0.1\"}",
	    "{\"op\":\"getfqdn\"}",
	    "{\"op\":\"getservbyname\",\"servicename\":\"ssh\"}",
	    "{\"op\":\"getservbyport\",\"port\":22}",
	    "{\"op\":\"getprotobyname\",\"protocolname\":\"tcp\"}",
	};
	struct lookup_q *q;
	json_t *err;

	(void)state;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		assert_int_equal(lookup_parse(queries[i], strlen(queries[i]), 1, &q, &err), 0);
		if (!lookup_blocking(q))
			fail_msg("%s runs on the loop", queries[i]);
		lookup_free(q);
	}
	q = lookup_text_new("localhost", false);
	assert_true(lookup_blocking(q));
	lookup_free(q);
	q = lookup_text_new("127.0.0.1", true);
	assert_true(lookup_blocking(q));
	lookup_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flags),	  cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_addrinfo_json), cmocka_unit_test(test_herror),
	    cmocka_unit_test(test_queries),	  cmocka_unit_test(test_blocking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
