/* ctest.h - what the C integration test programs share: checks counted
 * and printed as "ok: ..." / "FAIL: ...", a summary line, and a monotonic
 * clock in milliseconds. Header only: each program is one file. */
#ifndef SOCKFS_CTEST_H
#define SOCKFS_CTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int passed, failed;

__attribute__((format(printf, 2, 3))) static inline void check(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s: ", ok ? "ok" : "FAIL");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
	if (ok)
		passed++;
	else
		failed++;
}

/* "N passed, N failed"; the exit status: 0 when nothing failed. */
static inline int ctest_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

#endif
