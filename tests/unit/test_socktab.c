/* test_socktab.c - the socket table (ids in order: find, next, holes and
 * their compaction) and the bound of bytes held for users (bufmem). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "bufmem.h"
#include "sock.h"

#define N 5000

/* Sockets made, some closed: find and next see exactly the open ones, in
 * id order, whatever holes and compactions came between. */
static void test_table_order(void **state)
{
	static struct sock *all[N];
	uint64_t first;
	size_t seen;

	for (int i = 0; i < N; i++) {
		all[i] = sock_new(1000, 1000);
		assert_non_null(all[i]);
		if (i)
			assert_true(all[i]->id > all[i - 1]->id);
	}
	first = all[0]->id;
	/* Close 3 of every 4 (compacting on the way), then check. */
	for (int i = 0; i < N; i++)
		if (i % 4)
			sock_close(all[i]);
	sock_reap();
	for (int i = 0; i < N; i++) {
		struct sock *s = sock_find(first + (uint64_t)i);
		if (i % 4)
			assert_null(s);
		else
			assert_ptr_equal(s, all[i]);
	}
	seen = 0;
	for (struct sock *s = sock_next(0); s; s = sock_next(s->id)) {
		assert_ptr_equal(s, all[seen * 4]);
		seen++;
	}
	assert_int_equal(seen, N / 4);
	/* A cursor in a hole goes on from the next open one. */
	assert_ptr_equal(sock_next(first + 1), all[4]);
	assert_null(sock_find(0));
	assert_null(sock_find(first + N + 10));
	sock_table_fini();
	assert_null(sock_next(0));
}

static void test_bufmem(void **state)
{
	bufmem_max_per_user = 100;
	bufmem_max_total = 150;
	assert_int_equal(bufmem_take(1, 60), 0);
	assert_int_equal(bufmem_take(1, 41), -ENOBUFS); /* the user's bound */
	assert_int_equal(bufmem_take(1, 40), 0);
	assert_int_equal(bufmem_take(2, 60), -ENOBUFS); /* the total */
	assert_int_equal(bufmem_take(2, 50), 0);
	assert_int_equal(bufmem_used(1), 100);
	assert_int_equal(bufmem_total(), 150);
	bufmem_force(2, 10); /* bytes already accepted go over */
	assert_int_equal(bufmem_total(), 160);
	bufmem_give(1, 100);
	bufmem_give(2, 60);
	assert_int_equal(bufmem_used(1), 0);
	assert_int_equal(bufmem_total(), 0);
	bufmem_give(3, 10); /* never held: nothing */
	assert_int_equal(bufmem_total(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_order),
	    cmocka_unit_test(test_bufmem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
