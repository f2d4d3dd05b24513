/* sock.c - the socket table, kernel sockets, and requests parked on them. */
#include "sock.h"

#include "file.h"
#include "held.h"
#include "intr.h"
#include "limit.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOCK_HASH_SIZE 4096

long sock_default_timeout_ms = -1;

static struct sock *sock_hash[SOCK_HASH_SIZE];
static struct list sock_all = LIST_INIT(sock_all);
/* Closed sockets whose queued bytes are still being sent (all_link). */
static struct list sock_lingering = LIST_INIT(sock_lingering);
static struct list sock_intr = LIST_INIT(sock_intr);
static struct sock **sock_dead;
static size_t sock_ndead, sock_capdead;
static uint64_t sock_last_id;

static const char *const sock_state_names[] = {
    [SOCK_ST_NEW] = "new",
    [SOCK_ST_OPEN] = "open",
    [SOCK_ST_BOUND] = "bound",
    [SOCK_ST_LISTENING] = "listening",
    [SOCK_ST_CONNECTING] = "connecting",
    [SOCK_ST_CONNECTED] = "connected",
    [SOCK_ST_CLOSED] = "closed",
};

const char *sock_state_name(enum sock_state st)
{
	return sock_state_names[st];
}

static void sock_event(struct loop_watch *w, uint32_t events);

struct sock *sock_new(uid_t uid, gid_t gid)
{
	struct sock *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->id = ++sock_last_id;
	s->fd = -1;
	s->type = SOCK_STREAM;
	s->state = SOCK_ST_NEW;
	s->uid = uid;
	s->gid = gid;
	s->refs = 1; /* the table's */
	s->timeout_ms = sock_default_timeout_ms;
	s->watch.fd = -1;
	s->watch.cb = sock_event;
	s->watch.data = s;
	for (int k = 0; k < WAIT_NKINDS; k++)
		list_init(&s->waits[k]);
	list_init(&s->pollers);
	outq_init(&s->outq);
	s->hash_next = sock_hash[s->id % SOCK_HASH_SIZE];
	sock_hash[s->id % SOCK_HASH_SIZE] = s;
	list_add_tail(&sock_all, &s->all_link);
	limit_add(uid);
	return s;
}

struct sock *sock_find(uint64_t id)
{
	for (struct sock *s = sock_hash[id % SOCK_HASH_SIZE]; s; s = s->hash_next)
		if (s->id == id)
			return s;
	return NULL;
}

struct sock *sock_next(uint64_t after)
{
	struct list *p;

	for (p = sock_all.next; p != &sock_all; p = p->next) {
		struct sock *s = list_entry(p, struct sock, all_link);
		if (s->id > after)
			return s;
	}
	return NULL;
}

void sock_get(struct sock *s)
{
	s->refs++;
}

void sock_put(struct sock *s)
{
	if (--s->refs > 0)
		return;
	/* Freed at the end of the loop iteration: an epoll event for it may
	 * still be in the batch being handled. */
	if (sock_ndead == sock_capdead) {
		size_t cap = sock_capdead ? sock_capdead * 2 : 64;
		struct sock **d = realloc(sock_dead, cap * sizeof(*d));
		if (!d)
			return; /* leak rather than risk a use after free */
		sock_dead = d;
		sock_capdead = cap;
	}
	sock_dead[sock_ndead++] = s;
}

void sock_reap(void)
{
	for (size_t i = 0; i < sock_ndead; i++) {
		struct sock *s = sock_dead[i];
		json_decref(s->last_err);
		free(s);
	}
	sock_ndead = 0;
}

static void sock_unhash(struct sock *s)
{
	struct sock **pp = &sock_hash[s->id % SOCK_HASH_SIZE];

	for (; *pp; pp = &(*pp)->hash_next) {
		if (*pp == s) {
			*pp = s->hash_next;
			break;
		}
	}
	list_del(&s->all_link);
}

void sock_close_kernel(struct sock *s)
{
	if (s->fd < 0)
		return;
	loop_del(&s->watch);
	close(s->fd);
	s->fd = -1;
	s->watch.fd = -1;
}

/* Answered: out of line, and freed by its owner. */
static void sock_wait_end(struct wait *w)
{
	sock_unpark(w);
	w->ops->release(w);
}

static void sock_wait_fail(struct wait *w, int err)
{
	sock_unpark(w);
	w->ops->fail(w, err);
	w->ops->release(w);
}

static void sock_cancel_all(struct sock *s, int err)
{
	for (int k = 0; k < WAIT_NKINDS; k++)
		while (!list_empty(&s->waits[k]))
			sock_wait_fail(list_first(&s->waits[k], struct wait, link), err);
}

/* After close, a socket whose send queue still holds bytes keeps its
 * kernel socket until they are sent (as close(2) lets the kernel do). */
static void sock_linger_done(struct sock *s)
{
	list_del(&s->all_link);
	sock_close_kernel(s);
	outq_drop(&s->outq);
	sock_put(s);
}

void sock_close(struct sock *s)
{
	if (s->state == SOCK_ST_CLOSED)
		return;
	s->state = SOCK_ST_CLOSED;
	limit_del(s->uid);
	sock_unhash(s);
	sock_cancel_all(s, EBADF);
	sock_notify_pollers(s);
	held_drop(s->id); /* descriptors it received (message.c) */
	if (s->fd >= 0 && !outq_empty(&s->outq) && !s->pending_err) {
		/* The table's reference now belongs to the lingering send. */
		list_add_tail(&sock_lingering, &s->all_link);
		return;
	}
	sock_linger_done(s);
}

void sock_close_all(void)
{
	while (!list_empty(&sock_all))
		sock_close(list_first(&sock_all, struct sock, all_link));
	/* Lingering sends are abandoned at shutdown. */
	while (!list_empty(&sock_lingering))
		sock_linger_done(list_first(&sock_lingering, struct sock, all_link));
}

void sock_table_fini(void)
{
	sock_close_all();
	sock_reap();
	free(sock_dead);
	sock_dead = NULL;
	sock_capdead = 0;
}

void sock_for_each(void (*fn)(struct sock *s, void *arg), void *arg)
{
	struct list *p, *next;

	for (p = sock_all.next; p != &sock_all; p = next) {
		next = p->next;
		fn(list_entry(p, struct sock, all_link), arg);
	}
}

static int sock_watch(struct sock *s, int fd, int family, int type, int proto)
{
	int err;

	s->fd = fd;
	s->watch.fd = fd;
	s->family = family;
	s->type = type;
	s->proto = proto;
	err = loop_add(&s->watch);
	if (err) {
		close(fd);
		s->fd = s->watch.fd = -1;
		return err;
	}
	if (s->state == SOCK_ST_NEW)
		s->state = SOCK_ST_OPEN;
	return 0;
}

int sock_open_kernel(struct sock *s, int family, int type, int proto)
{
	int fd;

	if (s->fd >= 0)
		return -EISCONN;
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	return sock_watch(s, fd, family, type, proto);
}

int sock_adopt_fd(struct sock *s, int fd, int family, int type, int proto)
{
	return sock_watch(s, fd, family, type, proto);
}

void sock_set_error(struct sock *s, json_t *err)
{
	json_decref(s->last_err);
	s->last_err = err;
}

/* Sending queued bytes. */

int sock_take_send_error(struct sock *s)
{
	int err = s->pending_err;

	s->pending_err = 0;
	return err;
}

/* Send queued bytes; the end of the queue shuts the sending side when
 * shutdown(SHUT_WR) was asked meanwhile. */
static void sock_flush(struct sock *s)
{
	int err;

	if (s->fd < 0)
		return;
	err = outq_flush(&s->outq, s->fd);
	if (err && err != -EAGAIN)
		s->pending_err = -err;
	if (outq_empty(&s->outq) && s->shut_wr && !s->shut_sent) {
		shutdown(s->fd, SHUT_WR);
		s->shut_sent = true;
	}
}

int sock_shutdown(struct sock *s, int how)
{
	if (s->fd < 0)
		return -ENOTCONN;
	if (how == SHUT_RD || outq_empty(&s->outq)) {
		if (shutdown(s->fd, how) < 0)
			return -errno;
		if (how != SHUT_RD)
			s->shut_wr = s->shut_sent = true;
		return 0;
	}
	/* Queued bytes go first; the queue's end shuts the sending side. */
	if (how == SHUT_RDWR && shutdown(s->fd, SHUT_RD) < 0)
		return -errno;
	s->shut_wr = true;
	return 0;
}

unsigned sock_poll_mask(struct sock *s)
{
	struct pollfd p = {.fd = s->fd, .events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP};
	unsigned mask;

	if (s->state == SOCK_ST_CLOSED || s->fd < 0)
		return POLLIN | POLLHUP;
	if (poll(&p, 1, 0) < 0)
		return POLLERR;
	mask = (unsigned)p.revents;
	if (s->outq.bytes >= OUTQ_MAX || !list_empty(&s->waits[WAIT_WRITE]))
		mask &= ~(unsigned)(POLLOUT | POLLWRNORM);
	else if (!outq_empty(&s->outq) && !(mask & POLLERR))
		mask |= POLLOUT | POLLWRNORM; /* room in the daemon's queue */
	if (s->pending_err)
		mask |= POLLERR;
	return mask;
}

/* Parking. */

static void sock_wait_timeout(struct loop_timer *t)
{
	sock_wait_fail(t->data, ETIMEDOUT);
}

static void sock_wait_interrupt(fuse_req_t req, void *data)
{
	struct wait *w = data;

	/* Called from inside fuse_session_process_buf: answer later, at the
	 * end of this loop iteration, when libfuse no longer holds the req. */
	if (!w->interrupted) {
		w->interrupted = true;
		list_add_tail(&sock_intr, &w->intr_link);
	}
}

/* End an interrupted wait with EINTR, or keep it and look again later. */
static void sock_intr_recheck(struct loop_timer *t)
{
	struct wait *w = t->data;

	if (intr_should_end(fuse_req_ctx(w->req)->pid)) {
		sock_wait_fail(w, EINTR);
		return;
	}
	loop_timer_arm(&w->intr_timer, loop_now_ms() + INTR_RECHECK_MS);
}

int sock_park(struct sock *s, struct wait *w, fuse_req_t req, struct sfs_file *f, bool nonblock)
{
	if (w->parked) /* already in line: it waits on with its new ops */
		return 0;
	if (nonblock || s->timeout_ms == 0)
		return -EAGAIN;
	w->s = s;
	w->f = f;
	w->req = req;
	w->interrupted = false;
	list_init(&w->intr_link);
	loop_timer_init(&w->timer, sock_wait_timeout, w);
	loop_timer_init(&w->intr_timer, sock_intr_recheck, w);
	if (s->timeout_ms > 0)
		loop_timer_arm(&w->timer, loop_now_ms() + (uint64_t)s->timeout_ms);
	list_add_tail(&s->waits[w->ops->kind], &w->link);
	w->parked = true;
	sock_get(s);
	/* Calls sock_wait_interrupt at once if the request was already
	 * interrupted. */
	fuse_req_interrupt_func(req, sock_wait_interrupt, w);
	return 0;
}

void sock_unpark(struct wait *w)
{
	if (!w->parked)
		return;
	w->parked = false;
	list_del(&w->link);
	list_del(&w->intr_link);
	loop_timer_cancel(&w->timer);
	loop_timer_cancel(&w->intr_timer);
	sock_put(w->s);
}

int sock_wait(struct sock *s, struct wait *w, fuse_req_t req, struct sfs_file *f, bool nonblock)
{
	w->s = s;
	w->f = f;
	w->req = req;
	/* Requests in line go first. */
	if (list_empty(&s->waits[w->ops->kind]) && w->ops->attempt(w) == 0) {
		w->ops->release(w);
		return 0;
	}
	return sock_park(s, w, req, f, nonblock);
}

void sock_wait_or_fail(struct sock *s, struct wait *w, fuse_req_t req, struct sfs_file *f,
		       bool nonblock)
{
	if (sock_wait(s, w, req, f, nonblock) == -EAGAIN) {
		w->ops->fail(w, EAGAIN);
		w->ops->release(w);
	}
}

void sock_run_interrupts(void)
{
	while (!list_empty(&sock_intr)) {
		struct wait *w = list_first(&sock_intr, struct wait, intr_link);
		list_del(&w->intr_link);
		sock_intr_recheck(&w->intr_timer);
	}
}

void sock_run_waits(struct sock *s, enum wait_kind kind)
{
	sock_get(s);
	while (!list_empty(&s->waits[kind])) {
		struct wait *w = list_first(&s->waits[kind], struct wait, link);
		if (w->ops->attempt(w) == -EAGAIN)
			break;
		sock_wait_end(w);
	}
	sock_put(s);
}

void sock_notify_pollers(struct sock *s)
{
	while (!list_empty(&s->pollers))
		file_poll_wake(list_first(&s->pollers, struct sfs_file, poll_link));
}

void sock_follow_connect(struct sock *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct pollfd p = {.fd = s->fd, .events = POLLOUT};

	if (s->fd < 0 || s->state != SOCK_ST_CONNECTING || !list_empty(&s->waits[WAIT_CONNECT]))
		return;
	if (getpeername(s->fd, (struct sockaddr *)&ss, &len) == 0)
		s->state = SOCK_ST_CONNECTED;
	else if (poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)))
		s->state = SOCK_ST_OPEN;
}

static void sock_event(struct loop_watch *w, uint32_t events)
{
	struct sock *s = w->data;

	if (s->fd < 0)
		return; /* closed earlier in this batch */
	sock_get(s);
	if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
		sock_flush(s);
		if (s->state == SOCK_ST_CLOSED) {
			if (outq_empty(&s->outq) || s->pending_err || s->fd < 0)
				sock_linger_done(s);
			goto out;
		}
		sock_run_waits(s, WAIT_CONNECT);
		sock_run_waits(s, WAIT_WRITE);
	}
	if (s->state == SOCK_ST_CLOSED)
		goto out;
	sock_follow_connect(s);
	if (events & (EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
		sock_run_waits(s, WAIT_ACCEPT);
		sock_run_waits(s, WAIT_READ);
	}
	sock_notify_pollers(s);
out:
	sock_put(s);
}
