/* test_names.c - unit tests for names.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include "err.h"
#include "names.h"

#include <jansson.h>

static const struct names_entry *const all_tables[] = {
    names_af, names_sock, names_ipproto, names_shut, names_msg, names_errno, names_eai,
};
#define NTABLES (sizeof(all_tables) / sizeof(all_tables[0]))

static int value_of(const struct names_entry *t, const char *name)
{
	int v = -12345;

	assert_int_equal(names_value(t, name, &v), 0);
	return v;
}

static void test_value_af(void **state)
{
	int v = 777;

	assert_int_equal(value_of(names_af, "AF_UNSPEC"), AF_UNSPEC);
	assert_int_equal(value_of(names_af, "AF_UNIX"), AF_UNIX);
	assert_int_equal(value_of(names_af, "AF_LOCAL"), AF_UNIX);
	assert_int_equal(value_of(names_af, "AF_INET"), AF_INET);
	assert_int_equal(value_of(names_af, "AF_INET6"), AF_INET6);
	assert_int_equal(value_of(names_af, "AF_NETLINK"), AF_NETLINK);
	assert_int_equal(value_of(names_af, "AF_PACKET"), AF_PACKET);
	assert_int_equal(value_of(names_af, "AF_ALG"), AF_ALG);
	assert_int_equal(value_of(names_af, "AF_VSOCK"), AF_VSOCK);
	assert_int_equal(value_of(names_af, "AF_CAN"), AF_CAN);
	assert_int_equal(value_of(names_af, "AF_BLUETOOTH"), AF_BLUETOOTH);
	assert_int_equal(value_of(names_af, "AF_TIPC"), AF_TIPC);
	assert_int_equal(value_of(names_af, "AF_XDP"), AF_XDP);
	assert_int_equal(value_of(names_af, "AF_MCTP"), AF_MCTP);
	assert_int_equal(value_of(names_af, "AF_QIPCRTR"), AF_QIPCRTR);
	assert_int_equal(value_of(names_af, "AF_ROUTE"), AF_NETLINK);
	/* PF_* aliases */
	assert_int_equal(value_of(names_af, "PF_INET"), AF_INET);
	assert_int_equal(value_of(names_af, "PF_INET6"), AF_INET6);
	assert_int_equal(value_of(names_af, "PF_UNIX"), AF_UNIX);
	assert_int_equal(value_of(names_af, "PF_LOCAL"), AF_UNIX);
	assert_int_equal(value_of(names_af, "PF_PACKET"), AF_PACKET);
	/* exact and case-sensitive */
	assert_int_equal(names_value(names_af, "af_inet", &v), -ENOENT);
	assert_int_equal(names_value(names_af, "AF_INET ", &v), -ENOENT);
	assert_int_equal(names_value(names_af, "AF_INE", &v), -ENOENT);
	assert_int_equal(names_value(names_af, "AF_MAX", &v), -ENOENT);
	assert_int_equal(names_value(names_af, "", &v), -ENOENT);
	assert_int_equal(names_value(names_af, NULL, &v), -ENOENT);
	assert_int_equal(names_value(NULL, "AF_INET", &v), -ENOENT);
	assert_int_equal(v, 777);
}

static void test_name_af_canonical(void **state)
{
	assert_string_equal(names_name(names_af, AF_UNSPEC), "AF_UNSPEC");
	assert_string_equal(names_name(names_af, AF_UNIX), "AF_UNIX");
	assert_string_equal(names_name(names_af, AF_INET), "AF_INET");
	assert_string_equal(names_name(names_af, AF_INET6), "AF_INET6");
	assert_string_equal(names_name(names_af, AF_NETLINK), "AF_NETLINK");
	assert_string_equal(names_name(names_af, AF_PACKET), "AF_PACKET");
	assert_null(names_name(names_af, 9999));
	assert_null(names_name(names_af, -1));
	assert_null(names_name(NULL, 0));
}

static void test_af_canonical_never_pf(void **state)
{
	const struct names_entry *e;

	for (e = names_af; e->name; e++) {
		const char *c = names_name(names_af, e->value);

		assert_non_null(c);
		assert_memory_equal(c, "AF_", 3);
		if (strncmp(e->name, "AF_", 3) != 0)
			assert_memory_equal(e->name, "PF_", 3);
	}
}

static void test_tables_consistent(void **state)
{
	size_t t;

	for (t = 0; t < NTABLES; t++) {
		const struct names_entry *e, *f;
		int count = 0;

		for (e = all_tables[t]; e->name; e++) {
			int v;

			count++;
			/* every name found, with its value */
			assert_int_equal(names_value(all_tables[t], e->name, &v), 0);
			assert_int_equal(v, e->value);
			/* canonical name is the first entry with the value */
			for (f = all_tables[t]; f->value != e->value; f++)
				;
			assert_string_equal(names_name(all_tables[t], e->value), f->name);
			/* no duplicate names */
			for (f = e + 1; f->name; f++)
				assert_string_not_equal(f->name, e->name);
		}
		assert_true(count > 0);
	}
}

static void test_sock(void **state)
{
	int v;

	assert_int_equal(value_of(names_sock, "SOCK_STREAM"), SOCK_STREAM);
	assert_int_equal(value_of(names_sock, "SOCK_DGRAM"), SOCK_DGRAM);
	assert_int_equal(value_of(names_sock, "SOCK_RAW"), SOCK_RAW);
	assert_int_equal(value_of(names_sock, "SOCK_RDM"), SOCK_RDM);
	assert_int_equal(value_of(names_sock, "SOCK_SEQPACKET"), SOCK_SEQPACKET);
	assert_int_equal(value_of(names_sock, "SOCK_PACKET"), SOCK_PACKET);
	assert_int_equal(names_value(names_sock, "SOCK_CLOEXEC", &v), -ENOENT);
	assert_int_equal(names_value(names_sock, "SOCK_NONBLOCK", &v), -ENOENT);
	assert_string_equal(names_name(names_sock, SOCK_DGRAM), "SOCK_DGRAM");
	assert_null(names_name(names_sock, SOCK_NONBLOCK));
}

static void test_ipproto(void **state)
{
	assert_string_equal(names_name(names_ipproto, 0), "IPPROTO_IP");
	assert_int_equal(value_of(names_ipproto, "IPPROTO_IP"), 0);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_HOPOPTS"), 0);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_TCP"), IPPROTO_TCP);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_UDP"), IPPROTO_UDP);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_ICMP"), IPPROTO_ICMP);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_ICMPV6"), IPPROTO_ICMPV6);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_IPV6"), IPPROTO_IPV6);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_SCTP"), IPPROTO_SCTP);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_UDPLITE"), IPPROTO_UDPLITE);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_RAW"), IPPROTO_RAW);
	assert_int_equal(value_of(names_ipproto, "IPPROTO_MH"), IPPROTO_MH);
#ifdef IPPROTO_MPTCP
	assert_int_equal(value_of(names_ipproto, "IPPROTO_MPTCP"), IPPROTO_MPTCP);
#endif
	assert_string_equal(names_name(names_ipproto, IPPROTO_TCP), "IPPROTO_TCP");
	assert_string_equal(names_name(names_ipproto, IPPROTO_ICMPV6), "IPPROTO_ICMPV6");
}

static void test_shut(void **state)
{
	assert_int_equal(value_of(names_shut, "SHUT_RD"), SHUT_RD);
	assert_int_equal(value_of(names_shut, "SHUT_WR"), SHUT_WR);
	assert_int_equal(value_of(names_shut, "SHUT_RDWR"), SHUT_RDWR);
	assert_string_equal(names_name(names_shut, SHUT_RDWR), "SHUT_RDWR");
	assert_null(names_name(names_shut, 3));
}

static void test_msg(void **state)
{
	assert_int_equal(value_of(names_msg, "MSG_OOB"), MSG_OOB);
	assert_int_equal(value_of(names_msg, "MSG_PEEK"), MSG_PEEK);
	assert_int_equal(value_of(names_msg, "MSG_DONTROUTE"), MSG_DONTROUTE);
	assert_int_equal(value_of(names_msg, "MSG_TRUNC"), MSG_TRUNC);
	assert_int_equal(value_of(names_msg, "MSG_DONTWAIT"), MSG_DONTWAIT);
	assert_int_equal(value_of(names_msg, "MSG_WAITALL"), MSG_WAITALL);
	assert_int_equal(value_of(names_msg, "MSG_ERRQUEUE"), MSG_ERRQUEUE);
	assert_int_equal(value_of(names_msg, "MSG_NOSIGNAL"), MSG_NOSIGNAL);
	assert_int_equal(value_of(names_msg, "MSG_MORE"), MSG_MORE);
	assert_int_equal(value_of(names_msg, "MSG_ZEROCOPY"), MSG_ZEROCOPY);
	assert_int_equal(value_of(names_msg, "MSG_FASTOPEN"), MSG_FASTOPEN);
	assert_int_equal(value_of(names_msg, "MSG_CMSG_CLOEXEC"), MSG_CMSG_CLOEXEC);
	assert_string_equal(names_name(names_msg, MSG_DONTROUTE), "MSG_DONTROUTE");
	assert_string_equal(names_name(names_msg, MSG_PEEK), "MSG_PEEK");
}

static void test_errno(void **state)
{
	int e;

	assert_string_equal(names_errno_name(ECONNREFUSED), "ECONNREFUSED");
	assert_string_equal(names_errno_name(111), "ECONNREFUSED");
	assert_string_equal(names_errno_name(-ECONNREFUSED), "ECONNREFUSED");
	assert_string_equal(names_errno_name(EPERM), "EPERM");
	assert_string_equal(names_errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(names_errno_name(EDEADLK), "EDEADLK");
	assert_string_equal(names_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	assert_string_equal(names_errno_name(EHWPOISON), "EHWPOISON");
	assert_string_equal(names_errno_name(0), "EUNKNOWN");
	assert_string_equal(names_errno_name(9999), "EUNKNOWN");
	assert_string_equal(names_errno_name(-9999), "EUNKNOWN");
	assert_string_equal(names_errno_name(INT32_MIN), "EUNKNOWN");
	assert_int_equal(value_of(names_errno, "EWOULDBLOCK"), EAGAIN);
	assert_int_equal(value_of(names_errno, "EDEADLOCK"), EDEADLK);
	assert_int_equal(value_of(names_errno, "ENOTSUP"), EOPNOTSUPP);
	/* Linux numbers every errno 1..EHWPOISON except 41 and 58. */
	for (e = 1; e <= EHWPOISON; e++) {
		if (e == 41 || e == 58)
			assert_string_equal(names_errno_name(e), "EUNKNOWN");
		else
			assert_string_not_equal(names_errno_name(e), "EUNKNOWN");
	}
}

static void test_eai(void **state)
{
	assert_int_equal(value_of(names_eai, "EAI_NONAME"), EAI_NONAME);
	assert_int_equal(value_of(names_eai, "EAI_AGAIN"), EAI_AGAIN);
	assert_int_equal(value_of(names_eai, "EAI_FAIL"), EAI_FAIL);
	assert_int_equal(value_of(names_eai, "EAI_FAMILY"), EAI_FAMILY);
	assert_int_equal(value_of(names_eai, "EAI_SYSTEM"), EAI_SYSTEM);
	assert_int_equal(value_of(names_eai, "EAI_OVERFLOW"), EAI_OVERFLOW);
	assert_int_equal(value_of(names_eai, "EAI_NODATA"), EAI_NODATA);
	assert_int_equal(value_of(names_eai, "EAI_ADDRFAMILY"), EAI_ADDRFAMILY);
	assert_int_equal(value_of(names_eai, "EAI_IDN_ENCODE"), EAI_IDN_ENCODE);
	assert_string_equal(names_name(names_eai, EAI_NONAME), "EAI_NONAME");
	assert_string_equal(names_name(names_eai, EAI_SERVICE), "EAI_SERVICE");
	assert_string_equal(names_name(names_eai, EAI_CANCELED), "EAI_CANCELED");
}

static void test_list(void **state)
{
	const char *s = names_list(names_shut);
	const char *af = names_list(names_af);

	assert_string_equal(s, "SHUT_RD, SHUT_WR, SHUT_RDWR");
	assert_ptr_equal(names_list(names_shut), s);
	assert_string_equal(names_list(names_sock), "SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_RDM, "
						    "SOCK_SEQPACKET, SOCK_PACKET");
	assert_memory_equal(af, "AF_UNSPEC, AF_UNIX, AF_INET, ", 28);
	assert_non_null(strstr(af, ", AF_INET6, "));
	assert_non_null(strstr(af, ", PF_INET, "));
	assert_null(strstr(af, "AF_MAX"));
	assert_non_null(strstr(names_list(names_errno), "ECONNREFUSED"));
	assert_non_null(strstr(names_list(names_eai), "EAI_NONAME"));
	assert_memory_equal(names_list(names_ipproto), "IPPROTO_IP, ", 12);
	assert_non_null(strstr(names_list(names_msg), "MSG_PEEK"));
	assert_string_equal(names_list(NULL), "");
}

static const char *thread_lists[8][NTABLES];

static void *list_thread(void *arg)
{
	const char **out = arg;
	size_t t;

	for (t = 0; t < NTABLES; t++)
		out[t] = names_list(all_tables[NTABLES - 1 - t]);
	return NULL;
}

static void test_list_threads(void **state)
{
	pthread_t th[8];
	size_t i, t;

	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&th[i], NULL, list_thread, thread_lists[i]), 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (i = 0; i < 8; i++)
		for (t = 0; t < NTABLES; t++) {
			assert_non_null(thread_lists[i][t]);
			assert_true(thread_lists[i][t][0] != '\0');
			assert_ptr_equal(thread_lists[i][t], thread_lists[0][t]);
			assert_ptr_equal(thread_lists[i][t],
					 names_list(all_tables[NTABLES - 1 - t]));
		}
}

static int flags_of(const char *spec)
{
	int v = -12345;

	assert_int_equal(names_flags(names_msg, spec, &v), 0);
	return v;
}

static void test_flags_ok(void **state)
{
	assert_int_equal(flags_of(""), 0);
	assert_int_equal(flags_of("   "), 0);
	assert_int_equal(flags_of("0"), 0);
	assert_int_equal(flags_of("MSG_PEEK"), MSG_PEEK);
	assert_int_equal(flags_of("MSG_PEEK|MSG_WAITALL"), MSG_PEEK | MSG_WAITALL);
	assert_int_equal(flags_of(" MSG_PEEK | MSG_WAITALL "), MSG_PEEK | MSG_WAITALL);
	assert_int_equal(flags_of("MSG_PEEK\t|\tMSG_OOB"), MSG_PEEK | MSG_OOB);
	assert_int_equal(flags_of("64"), 64);
	assert_int_equal(flags_of("0x40"), 0x40);
	assert_int_equal(flags_of("0X4a"), 0x4a);
	assert_int_equal(flags_of("010"), 10); /* decimal, not octal */
	assert_int_equal(flags_of("MSG_PEEK|0x100|1"), MSG_PEEK | 0x100 | 1);
	assert_int_equal(flags_of("MSG_PEEK|MSG_PEEK"), MSG_PEEK);
	assert_int_equal(flags_of("MSG_CMSG_CLOEXEC|MSG_DONTWAIT"),
			 MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	assert_int_equal(flags_of("0xffffffff"), -1);
	assert_int_equal(flags_of("4294967295"), -1);
	/* other tables */
	{
		int v;

		assert_int_equal(names_flags(names_shut, "SHUT_WR", &v), 0);
		assert_int_equal(v, SHUT_WR);
		assert_int_equal(names_flags(names_msg, "MSG_OOB", NULL), 0);
	}
}

static void test_flags_bad(void **state)
{
	static const char *const bad[] = {
	    "MSG_BOGUS",
	    "MSG_PEEK|",
	    "|MSG_PEEK",
	    "MSG_PEEK||MSG_OOB",
	    "|",
	    " | ",
	    "msg_peek",
	    "MSG_PEE",
	    "MSG_PEEKX",
	    "MSG_PEEK MSG_OOB",
	    "0x",
	    "0xg",
	    "12abc",
	    "-1",
	    "+1",
	    "0x100000000",
	    "4294967296",
	    "99999999999999999999999",
	    "MSG_PEEK,MSG_OOB",
	    "SHUT_RD",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = 4242;

		if (names_flags(names_msg, bad[i], &v) != -EINVAL)
			fail_msg("names_flags accepted \"%s\"", bad[i]);
		assert_int_equal(v, 4242);
	}
	assert_int_equal(names_flags(names_msg, NULL, NULL), -EINVAL);
	assert_int_equal(names_flags(NULL, "MSG_PEEK", NULL), -EINVAL);
}

/* A message cut in the middle of a UTF-8 character (messages quote user
 * input with %.64s) still gives a JSON error, with '?' for non-ASCII. */
static void test_err_json_cut_utf8(void **state)
{
	json_t *e = err_json(EINVAL, "getaddrinfo", "bad flag \"\xc4\x8d\xc4\"");
	json_t *ok = err_json(EINVAL, NULL, "caf\xc3\xa9");

	assert_non_null(e);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(e, "error"), "message")),
	    "bad flag \"???\"");
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "error"), "op")),
			    "getaddrinfo");
	assert_non_null(ok);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(ok, "error"), "message")),
	    "caf\xc3\xa9");
	json_decref(e);
	json_decref(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value_af),
	    cmocka_unit_test(test_err_json_cut_utf8),
	    cmocka_unit_test(test_name_af_canonical),
	    cmocka_unit_test(test_af_canonical_never_pf),
	    cmocka_unit_test(test_tables_consistent),
	    cmocka_unit_test(test_sock),
	    cmocka_unit_test(test_ipproto),
	    cmocka_unit_test(test_shut),
	    cmocka_unit_test(test_msg),
	    cmocka_unit_test(test_errno),
	    cmocka_unit_test(test_eai),
	    cmocka_unit_test(test_list_threads),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_flags_ok),
	    cmocka_unit_test(test_flags_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
