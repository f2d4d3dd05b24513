/* test_text.c - unit tests for ctl's text form (ctl/text.c): each line and
 * the JSON object it stands for; and through ctl_check, that the verb
 * table takes them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "text.h"

/* The fields of a few verbs, as ctl.c's table has them. */
static const char *args_of(const char *verb)
{
	static const char *const t[][2] = {
	    {"connect", "address"},
	    {"bind", "address"},
	    {"listen", "backlog address reuse_port dualstack_ipv6"},
	    {"shutdown", "how"},
	    {"close", ""},
	    {"settimeout", "timeout"},
	    {"setblocking", "flag"},
	    {"socket", "family type proto"},
	    {"send", "data encoding flags"},
	    {"recv", "bufsize flags encoding"},
	    {"halfclose", "enable"},
	    {"setsockopt", "level optname int bytes"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(verb, t[i][0]))
			return t[i][1];
	return NULL;
}

static void same(const char *line, const char *json)
{
	char msg[256] = "";
	json_t *got = ctl_text_parse(line, strlen(line), args_of, msg, sizeof(msg));
	json_t *want = json_loads(json, JSON_ALLOW_NUL, NULL);

	assert_non_null(want);
	if (!got)
		fail_msg("%s: refused: %s", line, msg);
	if (!json_equal(got, want)) {
		char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
		fail_msg("%s: got %s, expected %s", line, g, json);
	}
	json_decref(got);
	json_decref(want);
}

static void refused(const char *line, const char *want)
{
	char msg[256] = "";
	json_t *got = ctl_text_parse(line, strlen(line), args_of, msg, sizeof(msg));

	if (got || !strstr(msg, want))
		fail_msg("%s: expected refusal with \"%s\", got %s / \"%s\"", line, want,
			 got ? "an object" : "NULL", msg);
	json_decref(got);
}

static void test_forms(void **state)
{
	same("connect 127.0.0.1 80\n", "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",80]}");
	same("connect localhost http", "{\"op\":\"connect\",\"address\":[\"localhost\",\"http\"]}");
	same("connect /run/x.sock", "{\"op\":\"connect\",\"address\":\"/run/x.sock\"}");
	same("bind @name", "{\"op\":\"bind\",\"address\":\"\\u0000name\"}");
	same("bind :: 9000", "{\"op\":\"bind\",\"address\":[\"::\",9000]}");
	same("bind * 9000", "{\"op\":\"bind\",\"address\":[\"\",9000]}");
	same("bind fe80::1 80 0 2", "{\"op\":\"bind\",\"address\":[\"fe80::1\",80,0,2]}");
	same("connect null", "{\"op\":\"connect\",\"address\":null}");
	same("listen", "{\"op\":\"listen\"}");
	same("  listen 16  \r\n", "{\"op\":\"listen\",\"backlog\":16}");
	same("listen 16 * 8080 dualstack_ipv6=on",
	     "{\"op\":\"listen\",\"backlog\":16,\"address\":[\"\",8080],\"dualstack_ipv6\":true}");
	same("listen reuse_port=yes backlog=3",
	     "{\"op\":\"listen\",\"backlog\":3,\"reuse_port\":true}");
	same("shutdown wr", "{\"op\":\"shutdown\",\"how\":\"SHUT_WR\"}");
	same("shutdown SHUT_RDWR", "{\"op\":\"shutdown\",\"how\":\"SHUT_RDWR\"}");
	same("close", "{\"op\":\"close\"}");
	same("settimeout 2.5", "{\"op\":\"settimeout\",\"timeout\":2.5}");
	same("settimeout none", "{\"op\":\"settimeout\",\"timeout\":null}");
	same("setblocking off", "{\"op\":\"setblocking\",\"flag\":false}");
	same("socket inet6 dgram udp",
	     "{\"op\":\"socket\",\"family\":\"AF_INET6\",\"type\":\"SOCK_DGRAM\","
	     "\"proto\":\"IPPROTO_UDP\"}");
	same("socket 10 2", "{\"op\":\"socket\",\"family\":10,\"type\":2}");
	same("send hello  world ", "{\"op\":\"send\",\"data\":\"hello  world \"}");
	same("recv 100 MSG_PEEK", "{\"op\":\"recv\",\"bufsize\":100,\"flags\":\"MSG_PEEK\"}");
	same("halfclose on", "{\"op\":\"halfclose\",\"enable\":true}");
	same("halfclose default", "{\"op\":\"halfclose\",\"enable\":null}");
	same("setsockopt SOL_SOCKET SO_REUSEADDR 1",
	     "{\"op\":\"setsockopt\",\"level\":\"SOL_SOCKET\",\"optname\":\"SO_REUSEADDR\",\"int\":"
	     "1}");
	same("bind \"/tmp/a b\"", "{\"op\":\"bind\",\"address\":\"/tmp/a b\"}");
	same("bind '/tmp/it''s'", "{\"op\":\"bind\",\"address\":\"/tmp/its\"}");
	same("bind \"/tmp/q\\\"x\"", "{\"op\":\"bind\",\"address\":\"/tmp/q\\\"x\"}");
	same("nosuchverb 1 2", "{\"op\":\"nosuchverb\"}"); /* ctl.c names the valid ones */
}

static void test_refusals(void **state)
{
	refused("shutdown wr rd", "too many words");
	refused("close now", "too many words");
	refused("listen bogus=1", "has no field \"bogus\"");
	refused("listen backlog=1 backlog=2", "given twice");
	refused("bind 'open", "unterminated quote");
	refused("listen\nclose", "one command per write");
	refused("send", "needs the text");
	refused("send \xff\xfe", "not UTF-8");
}

static void test_through_table(void **state)
{
	char msg[256];
	static const char *const ok[] = {"connect 127.0.0.1 80", "bind :: 0",	  "listen 16",
					 "shutdown wr",		 "close",	  "accept",
					 "settimeout 2",	 "halfclose off", "help"};

	assert_true(ctl_text_is("connect x", 9));
	assert_false(ctl_text_is(" {\"op\":\"help\"}", 15));
	assert_false(ctl_text_is("", 0));
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ctl_check(ok[i], strlen(ok[i]), msg, sizeof(msg)))
			fail_msg("%s rejected: %s", ok[i], msg);
	assert_int_equal(ctl_check("conect 1 2", 10, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "valid ops: socket, connect"));
	assert_int_equal(ctl_check("setblocking maybe", 17, msg, sizeof(msg)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forms),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_through_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
