/* Unit tests: the request counters (req/stats.c) and which socket
 * directories need an invalidation when they close (req/reply.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "reply.h"
#include "stats.h"

#include <errno.h>
#include <jansson.h>
#include <linux/fuse.h>
#include <string.h>

static void test_stats_counts(void **state)
{
	json_t *j;
	uint64_t total0 = stats_requests_total();

	stats_count(FUSE_LOOKUP);
	stats_count(FUSE_LOOKUP);
	stats_count(FUSE_WRITE);
	stats_count(9999); /* CUSE and the like: "other" */
	assert_int_equal(stats_requests_total(), total0 + 4);
	j = stats_requests_json();
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "LOOKUP")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "WRITE")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "other")), 1);
	assert_null(json_object_get(j, "READ")); /* never seen: not listed */
	json_decref(j);
}

static void test_forget_dir_known(void **state)
{
	/* Never looked up: nothing to forget, answered at once. */
	assert_int_equal(reply_forget_dir(5, NULL, NULL), -ENOENT);
	/* Looked up: it must be invalidated (no mount here: -ENOTCONN), once. */
	reply_dir_looked_up(5);
	assert_int_equal(reply_forget_dir(5, NULL, NULL), -ENOTCONN);
	assert_int_equal(reply_forget_dir(5, NULL, NULL), -ENOENT);
	/* Two lookups, forgotten one at a time. */
	reply_dir_looked_up(7);
	reply_dir_looked_up(7);
	reply_dir_forgotten(7, 1);
	reply_dir_looked_up(7 + 1024); /* the same bucket */
	assert_int_equal(reply_forget_dir(7, NULL, NULL), -ENOTCONN);
	reply_dir_looked_up(7);
	reply_dir_forgotten(7, 1);
	assert_int_equal(reply_forget_dir(7, NULL, NULL), -ENOENT);
	assert_int_equal(reply_forget_dir(7 + 1024, NULL, NULL), -ENOTCONN);
	reply_dir_forgotten(12345, 3); /* unknown: ignored */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stats_counts),
	    cmocka_unit_test(test_forget_dir_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
