/* test_ctl.c - unit tests for the command checks ctl_check and opts_check
 * (the entry points of tests/fuzz), including what the fuzzer found. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl.h"
#include "opts.h"

static char msg[256];

static int check(const char *cmd)
{
	msg[0] = 0;
	return ctl_check(cmd, strlen(cmd), msg, sizeof(msg));
}

/* cmd must fail with EINVAL and a message containing want. */
static void check_bad(const char *cmd, const char *want)
{
	int r = check(cmd);

	if (r != -EINVAL || !strstr(msg, want))
		fail_msg("%s: got %d \"%s\", expected -EINVAL with \"%s\"", cmd, r, msg, want);
}

static void test_valid_commands(void **state)
{
	static const char *const ok[] = {
	    "{\"op\":\"socket\",\"family\":\"AF_INET6\",\"type\":\"SOCK_DGRAM\"}",
	    "{\"op\":\"connect\",\"address\":[\"localhost\",80]}",
	    "{\"op\":\"bind\",\"address\":\"/tmp/x\"}",
	    "{\"op\":\"listen\"}",
	    "{\"op\":\"listen\",\"backlog\":3}",
	    "{\"op\":\"accept\"}",
	    "{\"op\":\"shutdown\",\"how\":\"SHUT_RD\"}",
	    "{\"op\":\"shutdown\",\"how\":2}",
	    "{\"op\":\"dup\"}",
	    "{\"op\":\"recvfrom\",\"bufsize\":10,\"flags\":\"MSG_PEEK\"}",
	    "{\"op\":\"recvmsg\",\"bufsize\":10,\"ancbufsize\":24}",
	    "{\"op\":\"msgsrecv\",\"flags\":[\"MSG_PEEK\"],\"ancbufsize\":0}",
	    "{\"op\":\"setsockopt\",\"level\":1,\"optname\":25,\"optlen\":0}",
	    "{\"op\":\"close\"}",
	    "{\"op\":\"getsockname\"}",
	    "{\"op\":\"getpeername\"}",
	    "{\"op\":\"help\"}",
	    "{\"op\":\"autoclose\",\"enable\":false}",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (check(ok[i]))
			fail_msg("%s rejected: %s", ok[i], msg);
}

static void test_bad_commands(void **state)
{
	check_bad("", "invalid JSON");
	check_bad("[1]", "a command is a JSON object");
	check_bad("{}", "a command needs \"op\"");
	check_bad("{\"op\":1}", "a command needs \"op\"");
	check_bad("{\"op\":\"conect\"}", "unknown op \"conect\"");
	check_bad("{\"op\":\"listen\",\"backlog\":\"x\"}", "listen: field \"backlog\"");
	check_bad("{\"op\":\"connect\"}", "connect:");
	check_bad("{\"op\":\"accept\",\"x\":1}", "accept:");
	check_bad("{\"op\":\"autoclose\",\"enable\":1}", "autoclose: field \"enable\"");
	check_bad("{\"op\":\"shutdown\"}", "shutdown: Object item not found: how");
	check_bad("{\"op\":\"recvmsg\",\"bufsize\":\"x\"}", "recvmsg: field \"bufsize\"");
	check_bad("{\"op\":\"recvmsg\",\"bufsize\":1,\"ancbufsize\":1.5}",
		  "recvmsg: field \"ancbufsize\"");
	check_bad("{\"op\":\"dup\",\"x\":1}", "dup:");
}

/* Found by fuzz_ctl: help with an extra field leaked its list (the leak
 * checker of the ASan build fails this test without the fix). */
static void test_help_extra_field(void **state)
{
	check_bad("{\"op\":\"help\",\"x\":1}", "help:");
}

static int opts(const char *text, int family, int type)
{
	json_t *j = json_loads(text, 0, NULL);
	int r;

	assert_non_null(j);
	msg[0] = 0;
	r = opts_check(j, family, type, 0, msg, sizeof(msg));
	json_decref(j);
	return r;
}

static void test_opts_check(void **state)
{
	assert_int_equal(
	    opts("{\"SO_REUSEADDR\":true,\"TCP_NODELAY\":1,\"IP_TTL\":9}", AF_INET, SOCK_STREAM),
	    0);
	assert_int_equal(
	    opts("{\"SO_LINGER\":{\"onoff\":true,\"linger\":2}}", AF_UNIX, SOCK_STREAM), 0);
	assert_int_equal(opts("{\"TCP_NODELAY\":1}", AF_INET, SOCK_DGRAM), -ENOPROTOOPT);
	assert_non_null(strstr(msg, "does not apply"));
	assert_int_equal(opts("{\"IP_TTL\":9}", AF_INET6, SOCK_STREAM), -ENOPROTOOPT);
	assert_int_equal(opts("{\"SO_TYPE\":1}", AF_INET, SOCK_STREAM), -ENOPROTOOPT);
	assert_non_null(strstr(msg, "read-only"));
	assert_int_equal(opts("{\"SO_NOPE\":1}", AF_INET, SOCK_STREAM), -ENOPROTOOPT);
	assert_non_null(strstr(msg, "unknown option"));
	assert_int_equal(opts("{\"SO_RCVBUF\":\"big\"}", AF_INET, SOCK_STREAM), -EINVAL);
	assert_non_null(strstr(msg, "SO_RCVBUF: expected an integer"));
	assert_int_equal(opts("{\"SO_LINGER\":{\"onoff\":true}}", AF_INET, SOCK_STREAM), -EINVAL);
	assert_int_equal(opts("{\"TCP_CONGESTION\":5}", AF_INET, SOCK_STREAM), -EINVAL);
	assert_int_equal(opts("[]", AF_INET, SOCK_STREAM), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_commands),
	    cmocka_unit_test(test_bad_commands),
	    cmocka_unit_test(test_help_extra_field),
	    cmocka_unit_test(test_opts_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
