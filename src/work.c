/* work.c - a small pool of worker threads for calls that block
 * (getaddrinfo and friends). Completions are posted back to the loop. */
#include "work.h"

#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>

#define WORK_MAX_THREADS 16

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
static int work_nthreads;
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
		while (!work_head && !work_stopping)
			pthread_cond_wait(&work_cond, &work_lock);
		it = work_head;
		if (!it) {
			pthread_mutex_unlock(&work_lock);
			return NULL;
		}
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

int work_init(int nthreads)
{
	sigset_t all, old;

	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > WORK_MAX_THREADS)
		nthreads = WORK_MAX_THREADS;
	/* Workers never take signals: the loop thread handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (work_nthreads = 0; work_nthreads < nthreads; work_nthreads++) {
		int err = pthread_create(&work_threads[work_nthreads], NULL, work_main, NULL);
		if (err) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			work_shutdown();
			return -err;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
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
	work_stopping = false;
}
