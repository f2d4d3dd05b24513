/* Unit tests: base64 (b64.c), message flag parsing (xfer.c) and the
 * signal check of interrupted requests (intr.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "b64.h"
#include "intr.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void test_b64_round_trip(void **state)
{
	const char *cases[][2] = {{"", ""},	    {"f", "Zg=="},	   {"fo", "Zm8="},
				  {"foo", "Zm9v"},  {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
				  {"foobar", "Zm9vYmFy"}};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *enc = b64_encode(cases[i][0], strlen(cases[i][0]));
		unsigned char *dec;
		size_t n;

		assert_string_equal(enc, cases[i][1]);
		assert_int_equal(b64_decode(enc, strlen(enc), &dec, &n), 0);
		assert_int_equal(n, strlen(cases[i][0]));
		assert_memory_equal(dec, cases[i][0], n);
		free(enc);
		free(dec);
	}
}

static void test_b64_binary_and_bad(void **state)
{
	unsigned char bytes[] = {0xff, 0x00, 0x80, 0x7f}, *dec;
	char *enc = b64_encode(bytes, sizeof(bytes));
	size_t n;

	assert_string_equal(enc, "/wCAfw==");
	/* padding is optional */
	assert_int_equal(b64_decode("/wCAfw", 6, &dec, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(dec, bytes, 4);
	free(dec);
	free(enc);
	assert_int_equal(b64_decode("a!bc", 4, &dec, &n), -EINVAL);
	assert_int_equal(b64_decode("abcde", 5, &dec, &n), -EINVAL);
}

static void test_intr(void **state)
{
	sigset_t set, old;

	/* Nothing pending: keep waiting. */
	assert_false(intr_should_end(getpid()));
	/* A blocked signal does not count; a pending SIGCHLD is benign. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	assert_false(intr_should_end(getpid()));
	/* No such process: end. */
	assert_true(intr_should_end(0x3fffffff));
	signal(SIGUSR1, SIG_IGN); /* discard the pending one */
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_b64_round_trip),
	    cmocka_unit_test(test_b64_binary_and_bad),
	    cmocka_unit_test(test_intr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
