/* work.c - a pool of worker threads for calls that block (getaddrinfo and
 * friends). Completions are posted back to the loop. The pool starts with
 * one thread and grows, up to its bound, whenever a job is queued while
 * every thread is busy: slow lookups do not queue behind each other. */
#include "work.h"

#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>

#define WORK_MAX_THREADS 256

struct work_item {
	work_fn fn;
	work_done_fn done;
	void *arg;
	struct work_item *next;
	struct loop_call call;
};

static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static struct work_item *work_head, *work_tail;
static pthread_t work_threads[WORK_MAX_THREADS];
static int work_nthreads, work_max, work_idle, work_queued;
static bool work_stopping;

static void work_finish(void *p)
{
	struct work_item *it = p;

	it->done(it->arg);
	free(it);
}

static void *work_main(void *unused)
{
	for (;;) {
		struct work_item *it;

		pthread_mutex_lock(&work_lock);
		work_idle++;
		while (!work_head && !work_stopping)
			pthread_cond_wait(&work_cond, &work_lock);
		work_idle--;
		it = work_head;
		if (!it) {
			pthread_mutex_unlock(&work_lock);
			return NULL;
		}
		work_queued--;
		work_head = it->next;
		if (!work_head)
			work_tail = NULL;
		pthread_mutex_unlock(&work_lock);

		it->fn(it->arg);
		it->call.fn = work_finish;
		it->call.arg = it;
		loop_post(&it->call);
	}
}

/* Start one more thread; called with work_lock held. Workers never take
 * signals: the loop thread handles them. */
static int work_spawn(void)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&work_threads[work_nthreads], NULL, work_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	work_nthreads++;
	return 0;
}

int work_init(int nthreads)
{
	int err;

	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > WORK_MAX_THREADS)
		nthreads = WORK_MAX_THREADS;
	work_max = nthreads;
	pthread_mutex_lock(&work_lock);
	err = work_spawn();
	pthread_mutex_unlock(&work_lock);
	return err;
}

int work_threads_started(void)
{
	int n;

	pthread_mutex_lock(&work_lock);
	n = work_nthreads;
	pthread_mutex_unlock(&work_lock);
	return n;
}

int work_submit(work_fn fn, work_done_fn done, void *arg)
{
	struct work_item *it = malloc(sizeof(*it));

	if (!it)
		return -ENOMEM;
	it->fn = fn;
	it->done = done;
	it->arg = arg;
	it->next = NULL;
	pthread_mutex_lock(&work_lock);
	if (work_tail)
		work_tail->next = it;
	else
		work_head = it;
	work_tail = it;
	work_queued++;
	/* Grow when the queue outnumbers the idle threads; a failure to start
	 * one leaves the job to the threads there are. */
	if (work_queued > work_idle && work_nthreads < work_max)
		work_spawn();
	pthread_cond_signal(&work_cond);
	pthread_mutex_unlock(&work_lock);
	return 0;
}

void work_shutdown(void)
{
	pthread_mutex_lock(&work_lock);
	work_stopping = true;
	pthread_cond_broadcast(&work_cond);
	pthread_mutex_unlock(&work_lock);
	for (int i = 0; i < work_nthreads; i++)
		pthread_join(work_threads[i], NULL);
	work_nthreads = 0;
	work_idle = 0;
	work_stopping = false;
}
