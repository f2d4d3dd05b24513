/* Unit tests for msg.c: base64, UTF-8, payloads, messages to send. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "msg.h"

#include <jansson.h>

static void test_utf8(void **state)
{
	assert_true(msg_utf8_valid((const unsigned char *)"plain", 5));
	assert_true(msg_utf8_valid((const unsigned char *)"a\0b", 3));
	assert_true(msg_utf8_valid((const unsigned char *)"\xc3\xa9t\xc3\xa9", 6));
	assert_true(msg_utf8_valid((const unsigned char *)"\xf0\x9f\x98\x80", 4));
	assert_false(msg_utf8_valid((const unsigned char *)"\xff", 1));
	assert_false(msg_utf8_valid((const unsigned char *)"\xc3", 1));		/* cut */
	assert_false(msg_utf8_valid((const unsigned char *)"\xc0\xaf", 2));	/* overlong */
	assert_false(msg_utf8_valid((const unsigned char *)"\xed\xa0\x80", 3)); /* surrogate */
	assert_false(msg_utf8_valid((const unsigned char *)"\xf4\x90\x80\x80", 4));
}

static void test_payload(void **state)
{
	json_t *o = json_object();
	char *text;

	assert_int_equal(msg_set_payload(o, (const unsigned char *)"hi\0", 3), 0);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"data\":\"hi\\u0000\",\"encoding\":\"utf-8\"}");
	free(text);
	assert_int_equal(msg_set_payload(o, (const unsigned char *)"\xff\x00", 2), 0);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"data\":\"/wA=\",\"encoding\":\"base64\"}");
	free(text);
	json_decref(o);
}

static int parse(const char *text, struct msg_out *m, char *msg)
{
	json_t *j = json_loads(text, JSON_ALLOW_NUL, NULL);
	int r;

	assert_non_null(j);
	msg[0] = 0;
	r = msg_parse_out(j, m, msg, 256);
	if (r == 0 && m->address)
		m->address = NULL; /* borrowed from j */
	json_decref(j);
	return r;
}

static void test_parse_out(void **state)
{
	struct msg_out m;
	char msg[256];

	assert_int_equal(parse("{\"data\":\"a\\u0000b\"}", &m, msg), 0);
	assert_int_equal(m.len, 3);
	assert_memory_equal(m.data, "a\0b", 3);
	assert_int_equal(m.flags, 0);
	assert_int_equal(m.nfds, 0);
	msg_out_free(&m);

	assert_int_equal(
	    parse("{\"data\":\"/wA=\",\"encoding\":\"base64\",\"address\":[\"127.0.0.1\","
		  "9],\"flags\":[\"MSG_DONTWAIT\",\"MSG_CONFIRM\"],\"fds\":[3,4]}",
		  &m, msg),
	    0);
	assert_int_equal(m.len, 2);
	assert_memory_equal(m.data, "\xff\x00", 2);
	assert_int_equal(m.flags, MSG_DONTWAIT | MSG_CONFIRM);
	assert_int_equal(m.nfds, 2);
	assert_int_equal(m.fds[0], 3);
	assert_int_equal(m.fds[1], 4);
	msg_out_free(&m);

	assert_int_equal(parse("{\"data\":\"x\",\"flags\":\"MSG_EOR|MSG_MORE\"}", &m, msg), 0);
	assert_int_equal(m.flags, MSG_EOR | MSG_MORE);
	msg_out_free(&m);
}

static void test_parse_out_errors(void **state)
{
	struct msg_out m;
	char msg[256];

	assert_int_equal(parse("{\"dat\":\"x\"}", &m, msg), -EINVAL);
	assert_non_null(strstr(msg, "fields: data encoding address flags fds"));
	assert_int_equal(parse("{\"data\":5}", &m, msg), -EINVAL);
	assert_non_null(strstr(msg, "\"data\" must be a string"));
	assert_int_equal(parse("{\"data\":\"x\",\"encoding\":\"latin1\"}", &m, msg), -EINVAL);
	assert_non_null(strstr(msg, "encoding"));
	assert_int_equal(parse("{\"data\":\"!!\",\"encoding\":\"base64\"}", &m, msg), -EINVAL);
	assert_non_null(strstr(msg, "base64"));
	assert_int_equal(parse("{\"data\":\"x\",\"flags\":[\"MSG_NOPE\"]}", &m, msg), -EINVAL);
	assert_non_null(strstr(msg, "MSG_NOPE"));
	assert_int_equal(parse("{\"data\":\"x\",\"fds\":[0]}", &m, msg), -EINVAL);
	assert_int_equal(parse("{\"data\":\"x\",\"fds\":\"1\"}", &m, msg), -EINVAL);
}

static void test_parse_ancillary(void **state)
{
	struct msg_out m;
	char msg[256];
	struct msghdr mh = {0};
	struct cmsghdr *c;
	int v;

	assert_int_equal(parse("{\"data\":\"x\",\"ancillary\":[{\"IPV6_HOPLIMIT\":2},"
			       "{\"level\":\"IPPROTO_IPV6\",\"type\":67,\"data\":\"AQID\"}],"
			       "\"fds\":[7,{\"fd\":0}]}",
			       &m, msg),
			 0);
	/* laid out as the socket module: CMSG_SPACE each */
	assert_int_equal(m.controllen, CMSG_SPACE(sizeof(int)) + CMSG_SPACE(3));
	mh.msg_control = m.control;
	mh.msg_controllen = m.controllen;
	c = CMSG_FIRSTHDR(&mh);
	assert_int_equal(c->cmsg_level, 41);
	assert_int_equal(c->cmsg_type, 52);
	assert_int_equal(c->cmsg_len, CMSG_LEN(sizeof(int)));
	memcpy(&v, CMSG_DATA(c), sizeof(v));
	assert_int_equal(v, 2);
	c = CMSG_NXTHDR(&mh, c);
	assert_non_null(c);
	assert_int_equal(c->cmsg_type, 67);
	assert_int_equal(c->cmsg_len, CMSG_LEN(3)); /* an odd size, as given */
	assert_memory_equal(CMSG_DATA(c), "\1\2\3", 3);
	assert_int_equal(m.nfds, 2);
	assert_int_equal(m.fds[0], 7);
	assert_int_equal(m.pfds[0], -1);
	assert_int_equal(m.pfds[1], 0);
	msg_out_free(&m);

	assert_int_equal(parse("{\"data\":\"x\",\"ancillary\":[{\"SCM_CREDENTIALS\":"
			       "{\"pid\":1,\"uid\":2,\"gid\":3}}]}",
			       &m, msg),
			 0);
	assert_int_equal(m.controllen, CMSG_SPACE(12));
	msg_out_free(&m);

	assert_int_equal(parse("{\"data\":\"x\",\"ancillary\":[{\"NOPE\":1}]}", &m, msg), -EINVAL);
	assert_non_null(strstr(msg, "unknown item \"NOPE\""));
	assert_int_equal(parse("{\"data\":\"x\",\"ancillary\":[{\"IP_TTL\":\"5\"}]}", &m, msg),
			 -EINVAL);
	assert_non_null(strstr(msg, "IP_TTL takes an integer"));
	assert_int_equal(
	    parse("{\"data\":\"x\",\"ancillary\":[{\"level\":1,\"type\":1,\"data\":\"\"}]}", &m,
		  msg),
	    -EINVAL);
	assert_non_null(strstr(msg, "SCM_RIGHTS goes in \"fds\""));
	assert_int_equal(
	    parse("{\"data\":\"x\",\"ancillary\":[{\"level\":1,\"type\":2,\"data\":\"!\"}]}", &m,
		  msg),
	    -EINVAL);
	assert_int_equal(parse("{\"data\":\"x\",\"ancillary\":{}}", &m, msg), -EINVAL);
	assert_int_equal(parse("{\"data\":\"x\",\"fds\":[{\"fd\":-1}]}", &m, msg), -EINVAL);
	assert_int_equal(parse("{\"data\":\"x\",\"fds\":[{\"fd\":1,\"x\":2}]}", &m, msg), -EINVAL);
}

static void test_flags_json(void **state)
{
	json_t *a = msg_flags_json(MSG_TRUNC | MSG_CTRUNC | MSG_DONTWAIT);
	char *text = json_dumps(a, JSON_COMPACT);

	assert_string_equal(text, "[\"MSG_TRUNC\",\"MSG_CTRUNC\"]");
	free(text);
	json_decref(a);
}

static void test_msg_flags(void **state)
{
	char msg[256];
	int f;
	json_t *j;

	assert_int_equal(msg_flags(NULL, &f, msg, sizeof(msg)), 0);
	assert_int_equal(f, 0);
	j = json_string("MSG_PEEK|MSG_WAITALL");
	assert_int_equal(msg_flags(j, &f, msg, sizeof(msg)), 0);
	assert_int_equal(f, MSG_PEEK | MSG_WAITALL);
	json_decref(j);
	j = json_pack("[s,s]", "MSG_OOB", "MSG_DONTWAIT");
	assert_int_equal(msg_flags(j, &f, msg, sizeof(msg)), 0);
	assert_int_equal(f, MSG_OOB | MSG_DONTWAIT);
	json_decref(j);
	j = json_integer(MSG_MORE);
	assert_int_equal(msg_flags(j, &f, msg, sizeof(msg)), 0);
	assert_int_equal(f, MSG_MORE);
	json_decref(j);
	j = json_string("MSG_PEEK|MSG_NOSUCH");
	assert_int_equal(msg_flags(j, &f, msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "MSG_NOSUCH"));
	json_decref(j);
	j = json_pack("[i]", 1);
	assert_int_equal(msg_flags(j, &f, msg, sizeof(msg)), -EINVAL);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_payload),
	    cmocka_unit_test(test_parse_out),
	    cmocka_unit_test(test_parse_out_errors),
	    cmocka_unit_test(test_flags_json),
	    cmocka_unit_test(test_msg_flags),
	    cmocka_unit_test(test_parse_ancillary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
