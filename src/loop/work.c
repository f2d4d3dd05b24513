/* work.c - a small pool of worker threads for calls that block
 * (getaddrinfo and friends). Completions are posted back to the loop. */
#include "work.h"

#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#define WORK_MAX_THREADS  256
#define WORK_IDLE_SECONDS 10

struct work_item {
	work_fn fn;
	work_done_fn done;
	void *arg;
	struct work_item *next;
	struct loop_call call;
};

static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t work_gone = PTHREAD_COND_INITIALIZER;
static struct work_item *work_head, *work_tail;
static int work_max = 1;
static int work_nthreads, work_idle, work_queued;
static bool work_stopping;

static void work_finish(void *p)
{
	struct work_item *it = p;

	it->done(it->arg);
	free(it);
}

/* Wait for a job; false when the thread should end (idle too long, or
 * stopping with nothing left). Called and returns with work_lock held. */
static bool work_wait(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WORK_IDLE_SECONDS;
	while (!work_head && !work_stopping) {
		int r;
		work_idle++;
		r = pthread_cond_timedwait(&work_cond, &work_lock, &until);
		work_idle--;
		if (r == ETIMEDOUT && !work_head)
			return false;
	}
	return work_head != NULL;
}

static void *work_main(void *unused)
{
	pthread_mutex_lock(&work_lock);
	while (work_wait()) {
		struct work_item *it = work_head;

		work_queued--;
		work_head = it->next;
		if (!work_head)
			work_tail = NULL;
		pthread_mutex_unlock(&work_lock);
		it->fn(it->arg);
		it->call.fn = work_finish;
		it->call.arg = it;
		loop_post(&it->call);
		pthread_mutex_lock(&work_lock);
	}
	work_nthreads--;
	pthread_cond_broadcast(&work_gone);
	pthread_mutex_unlock(&work_lock);
	return NULL;
}

/* Start one more worker (work_lock held). Workers are detached and take
 * no signals: the loop thread handles them. */
static int work_spawn(void)
{
	pthread_attr_t attr;
	pthread_t t;
	sigset_t all, old;
	int err;

	if (pthread_attr_init(&attr))
		return -ENOMEM;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&t, &attr, work_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err)
		return -err;
	work_nthreads++;
	return 0;
}

/* No thread starts here: they start on demand (work_submit), up to
 * nthreads, and end after WORK_IDLE_SECONDS without work, so an idle
 * daemon is the loop thread alone. */
int work_init(int nthreads)
{
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > WORK_MAX_THREADS)
		nthreads = WORK_MAX_THREADS;
	work_max = nthreads;
	return 0;
}

int work_submit(work_fn fn, work_done_fn done, void *arg)
{
	struct work_item *it = malloc(sizeof(*it));
	int err = 0;

	if (!it)
		return -ENOMEM;
	it->fn = fn;
	it->done = done;
	it->arg = arg;
	it->next = NULL;
	pthread_mutex_lock(&work_lock);
	/* Grow when the queue outnumbers the idle threads, so one slow lookup
	 * never holds up the others; a failure to start one leaves the job to
	 * the threads there are. */
	if (work_queued + 1 > work_idle && work_nthreads < work_max)
		err = work_spawn();
	if (err && work_nthreads == 0) {
		/* Nobody would ever run it. */
		pthread_mutex_unlock(&work_lock);
		free(it);
		return err;
	}
	if (work_tail)
		work_tail->next = it;
	else
		work_head = it;
	work_tail = it;
	work_queued++;
	pthread_cond_signal(&work_cond);
	pthread_mutex_unlock(&work_lock);
	return 0;
}

void work_shutdown(void)
{
	pthread_mutex_lock(&work_lock);
	work_stopping = true;
	pthread_cond_broadcast(&work_cond);
	while (work_nthreads > 0)
		pthread_cond_wait(&work_gone, &work_lock);
	work_stopping = false;
	pthread_mutex_unlock(&work_lock);
}
