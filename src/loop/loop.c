/* loop.c - the epoll event loop: fd watches, a timer heap and posted calls. */
#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_MAX_EVENTS 256
/* After a batch, poll without sleeping for this long before blocking: a
 * request/response peer usually answers within it, and a wake-up from
 * sleep costs more than the whole exchange (bench/README.md). Overridable
 * (-Dc_args=-DLOOP_SPIN_NS=0) for A/B runs. */
#ifndef LOOP_SPIN_NS
#define LOOP_SPIN_NS 50000
#endif

static int loop_epfd = -1;
static int loop_stopping;
static struct loop_timer **loop_heap;
static int loop_heap_len, loop_heap_cap;
static struct loop_watch loop_post_watch = {.fd = -1};
static pthread_mutex_t loop_post_lock = PTHREAD_MUTEX_INITIALIZER;
static struct loop_call *loop_post_head, *loop_post_tail;
static void (*loop_after_batch)(void);

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void loop_post_drain(struct loop_watch *w, uint32_t events)
{
	uint64_t n;
	struct loop_call *it, *next;

	if (read(w->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&loop_post_lock);
	it = loop_post_head;
	loop_post_head = loop_post_tail = NULL;
	pthread_mutex_unlock(&loop_post_lock);
	for (; it; it = next) {
		next = it->next;
		it->fn(it->arg);
	}
}

int loop_init(void)
{
	int err;

	loop_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop_epfd < 0)
		return -errno;
	loop_post_watch.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (loop_post_watch.fd < 0) {
		err = -errno;
		goto close_epoll;
	}
	loop_post_watch.cb = loop_post_drain;
	err = loop_add_level(&loop_post_watch);
	if (err)
		goto close_eventfd;
	return 0;

close_eventfd:
	close(loop_post_watch.fd);
	loop_post_watch.fd = -1;
close_epoll:
	close(loop_epfd);
	loop_epfd = -1;
	return err;
}

void loop_fini(void)
{
	if (loop_post_watch.fd >= 0)
		close(loop_post_watch.fd);
	loop_post_watch.fd = -1;
	if (loop_epfd >= 0)
		close(loop_epfd);
	loop_epfd = -1;
	free(loop_heap);
	loop_heap = NULL;
	loop_heap_len = loop_heap_cap = 0;
}

static int loop_ctl_add(struct loop_watch *w, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = w};

	if (epoll_ctl(loop_epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
		return -errno;
	return 0;
}

int loop_add(struct loop_watch *w)
{
	return loop_ctl_add(w, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET);
}

int loop_add_level(struct loop_watch *w)
{
	return loop_ctl_add(w, EPOLLIN);
}

void loop_del(struct loop_watch *w)
{
	if (w->fd >= 0)
		epoll_ctl(loop_epfd, EPOLL_CTL_DEL, w->fd, NULL);
}

void loop_post(struct loop_call *it)
{
	uint64_t one = 1;

	it->next = NULL;
	pthread_mutex_lock(&loop_post_lock);
	if (loop_post_tail)
		loop_post_tail->next = it;
	else
		loop_post_head = it;
	loop_post_tail = it;
	pthread_mutex_unlock(&loop_post_lock);
	/* Fails only when the counter is saturated, and then a wake-up is
	 * pending anyway. */
	if (write(loop_post_watch.fd, &one, sizeof(one)) < 0)
		return;
}

/* Timer heap: a binary min-heap on deadline. */
static void loop_heap_set(int i, struct loop_timer *t)
{
	loop_heap[i] = t;
	t->heap_index = i;
}

static void loop_heap_up(int i)
{
	struct loop_timer *t = loop_heap[i];

	while (i > 0) {
		int parent = (i - 1) / 2;
		if (loop_heap[parent]->deadline <= t->deadline)
			break;
		loop_heap_set(i, loop_heap[parent]);
		i = parent;
	}
	loop_heap_set(i, t);
}

static void loop_heap_down(int i)
{
	struct loop_timer *t = loop_heap[i];

	for (;;) {
		int c = 2 * i + 1;
		if (c >= loop_heap_len)
			break;
		if (c + 1 < loop_heap_len && loop_heap[c + 1]->deadline < loop_heap[c]->deadline)
			c++;
		if (t->deadline <= loop_heap[c]->deadline)
			break;
		loop_heap_set(i, loop_heap[c]);
		i = c;
	}
	loop_heap_set(i, t);
}

void loop_timer_init(struct loop_timer *t, void (*cb)(struct loop_timer *), void *data)
{
	t->cb = cb;
	t->data = data;
	t->deadline = 0;
	t->heap_index = -1;
}

void loop_timer_cancel(struct loop_timer *t)
{
	int i = t->heap_index;

	if (i < 0)
		return;
	t->heap_index = -1;
	loop_heap_len--;
	if (i == loop_heap_len)
		return;
	loop_heap_set(i, loop_heap[loop_heap_len]);
	loop_heap_up(i);
	loop_heap_down(loop_heap[i]->heap_index);
}

void loop_timer_arm(struct loop_timer *t, uint64_t deadline)
{
	loop_timer_cancel(t);
	if (loop_heap_len == loop_heap_cap) {
		int cap = loop_heap_cap ? loop_heap_cap * 2 : 64;
		struct loop_timer **h = realloc(loop_heap, (size_t)cap * sizeof(*h));
		if (!h)
			abort(); /* cannot keep a promise of a timeout */
		loop_heap = h;
		loop_heap_cap = cap;
	}
	t->deadline = deadline;
	loop_heap_set(loop_heap_len++, t);
	loop_heap_up(t->heap_index);
}

static int loop_next_timeout(void)
{
	uint64_t now;

	if (!loop_heap_len)
		return -1;
	now = loop_now_ms();
	if (loop_heap[0]->deadline < now)
		return 0;
	return (int)(loop_heap[0]->deadline - now + 1);
}

/* The clock is read truncated to the millisecond: a timer is due once its
 * deadline's millisecond has wholly passed, so it never fires early (and
 * at most about 1 ms late). */
static void loop_run_timers(void)
{
	uint64_t now = loop_now_ms();

	while (loop_heap_len && loop_heap[0]->deadline < now) {
		struct loop_timer *t = loop_heap[0];
		loop_timer_cancel(t);
		t->cb(t);
	}
}

void loop_set_after_batch(void (*fn)(void))
{
	loop_after_batch = fn;
}

void loop_stop(void)
{
	loop_stopping = 1;
}

int loop_run(void)
{
	struct epoll_event evs[LOOP_MAX_EVENTS];

	uint64_t spin_until = 0;

	loop_stopping = 0;
	while (!loop_stopping) {
		bool spinning = spin_until && loop_now_ns() < spin_until;
		int n =
		    epoll_wait(loop_epfd, evs, LOOP_MAX_EVENTS, spinning ? 0 : loop_next_timeout());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0 && spinning) {
			/* A caller's other thread (an accept loop, a peer)
			 * waiting for this CPU runs first (bench/README.md). */
			sched_yield();
			continue;
		}
		spin_until = n > 0 ? loop_now_ns() + LOOP_SPIN_NS : 0;
		for (int i = 0; i < n && !loop_stopping; i++) {
			struct loop_watch *w = evs[i].data.ptr;
			w->cb(w, evs[i].events);
		}
		loop_run_timers();
		if (loop_after_batch)
			loop_after_batch();
	}
	return 0;
}
