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
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

long sock_default_timeout_ms = -1;
long sock_linger_timeout_ms = 60000;

/* The table: open sockets by id, in id order (ids only grow, so a new
 * socket goes at the end). A closed one leaves a hole until holes are half
 * the table; lookups and "the next after" are binary searches, so readdir
 * is linear in what it lists. */
struct sock_slot {
	uint64_t id;
	struct sock *s; /* NULL: closed */
};
static struct sock_slot *sock_slots;
static size_t sock_nslots, sock_capslots, sock_nholes;
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
static void sock_linger_tick(struct loop_timer *t);

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
	outq_init(&s->outq, uid);
	loop_timer_init(&s->linger_timer, sock_linger_tick, s);
	if (sock_nslots == sock_capslots) {
		size_t cap = sock_capslots ? sock_capslots * 2 : 256;
		struct sock_slot *n = realloc(sock_slots, cap * sizeof(*n));
		if (!n) {
			free(s);
			return NULL;
		}
		sock_slots = n;
		sock_capslots = cap;
	}
	sock_slots[sock_nslots++] = (struct sock_slot){s->id, s};
	list_add_tail(&sock_all, &s->all_link);
	limit_add(uid);
	return s;
}

/* Index of the first slot with an id above after. */
static size_t sock_slot_after(uint64_t after)
{
	size_t lo = 0, hi = sock_nslots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sock_slots[mid].id <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct sock *sock_find(uint64_t id)
{
	size_t i;

	if (id == 0)
		return NULL;
	i = sock_slot_after(id - 1);
	return i < sock_nslots && sock_slots[i].id == id ? sock_slots[i].s : NULL;
}

struct sock *sock_next(uint64_t after)
{
	for (size_t i = sock_slot_after(after); i < sock_nslots; i++)
		if (sock_slots[i].s)
			return sock_slots[i].s;
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
	size_t i = sock_slot_after(s->id - 1), j = 0;

	if (i < sock_nslots && sock_slots[i].s == s) {
		sock_slots[i].s = NULL;
		sock_nholes++;
	}
	if (sock_nholes * 2 > sock_nslots) {
		for (i = 0; i < sock_nslots; i++)
			if (sock_slots[i].s)
				sock_slots[j++] = sock_slots[i];
		sock_nslots = j;
		sock_nholes = 0;
	}
	list_del(&s->all_link);
}

/* SO_LINGER with a time: close(2) would block (even non-blocking). The
 * daemon never lets the kernel linger; sock_close emulates it. */
static bool sock_kernel_lingers(int fd, int *seconds)
{
	struct linger l = {0};
	socklen_t len = sizeof(l);

	if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &len) < 0 || !l.l_onoff)
		return false;
	*seconds = l.l_linger;
	return true;
}

static void sock_set_linger(int fd, int onoff, int seconds)
{
	struct linger l = {.l_onoff = onoff, .l_linger = seconds};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

void sock_close_kernel(struct sock *s)
{
	int secs;

	if (s->fd < 0)
		return;
	loop_del(&s->watch);
	if (sock_kernel_lingers(s->fd, &secs) && secs > 0)
		sock_set_linger(s->fd, 0, 0);
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

void sock_fail_waits(struct sock *s, int err)
{
	sock_get(s);
	for (int k = 0; k < WAIT_NKINDS; k++)
		if (k != WAIT_CONNECT)
			while (!list_empty(&s->waits[k]))
				sock_wait_fail(list_first(&s->waits[k], struct wait, link), err);
	sock_put(s);
}

/* Lingering. After close, a socket whose send queue still holds bytes
 * keeps its kernel socket until they are sent (as close(2) lets the kernel
 * do); with SO_LINGER on, until the kernel sent them too. Never past its
 * deadline: the linger time, else sock_linger_timeout_ms; then the rest is
 * dropped and the connection reset (as the kernel does at the end of a
 * linger time). */
#define SOCK_LINGER_POLL_MS 50

static size_t sock_linger_dropped;

static void sock_linger_done(struct sock *s, bool reset)
{
	list_del(&s->all_link);
	loop_timer_cancel(&s->linger_timer);
	if (reset && s->fd >= 0 && !outq_empty(&s->outq)) {
		/* Bytes writers were told were sent are lost: the peer must
		 * not take the stream's end for a clean one. */
		sock_linger_dropped += s->outq.bytes;
		sock_set_linger(s->fd, 1, 0);
	}
	sock_close_kernel(s);
	outq_drop(&s->outq);
	limit_del(s->uid); /* a lingering socket still counts */
	sock_put(s);
}

/* Has the kernel sent (and had acknowledged) everything it was given? */
static bool sock_kernel_sent(struct sock *s)
{
	int unsent = 0;

	return ioctl(s->fd, SIOCOUTQ, &unsent) < 0 || unsent == 0;
}

static void sock_linger_check(struct sock *s)
{
	uint64_t now = loop_now_ms(), next;

	if (s->fd < 0 || s->pending_err ||
	    (outq_empty(&s->outq) && (!s->linger_kernel || sock_kernel_sent(s)))) {
		sock_linger_done(s, false);
		return;
	}
	if (now >= s->linger_deadline) {
		sock_linger_done(s, true);
		return;
	}
	next = s->linger_deadline;
	if (s->linger_kernel && now + SOCK_LINGER_POLL_MS < next)
		next = now + SOCK_LINGER_POLL_MS; /* the kernel's queue: no event */
	loop_timer_arm(&s->linger_timer, next);
}

static void sock_linger_tick(struct loop_timer *t)
{
	sock_linger_check(t->data);
}

void sock_close(struct sock *s)
{
	uint64_t limit = (uint64_t)sock_linger_timeout_ms;
	int secs = 0;

	if (s->state == SOCK_ST_CLOSED)
		return;
	s->state = SOCK_ST_CLOSED;
	sock_unhash(s);
	sock_cancel_all(s, EBADF);
	sock_notify_pollers(s);
	held_drop(s->id); /* descriptors it received (message.c) */
	if (s->fd < 0 || s->pending_err) {
		sock_linger_done(s, false);
		return;
	}
	s->linger_kernel = sock_kernel_lingers(s->fd, &secs);
	if (s->linger_kernel && secs <= 0) {
		outq_drop(&s->outq); /* linger 0: drop, and close(2) resets */
		sock_linger_done(s, false);
		return;
	}
	if (s->linger_kernel) {
		sock_set_linger(s->fd, 0, 0);
		if ((uint64_t)secs * 1000 < limit)
			limit = (uint64_t)secs * 1000;
		s->linger_kernel = sock_is_stream(s);
	}
	/* The table's reference now belongs to the lingering send. */
	list_add_tail(&sock_lingering, &s->all_link);
	s->linger_deadline = loop_now_ms() + limit;
	sock_linger_check(s);
}

size_t sock_lingering_count(size_t *bytes)
{
	size_t n = 0, b = 0;

	for (struct list *p = sock_lingering.next; p != &sock_lingering; p = p->next) {
		n++;
		b += list_entry(p, struct sock, all_link)->outq.bytes;
	}
	if (bytes)
		*bytes = b;
	return n;
}

size_t sock_linger_abandon(void)
{
	size_t dropped;

	sock_linger_dropped = 0;
	while (!list_empty(&sock_lingering))
		sock_linger_done(list_first(&sock_lingering, struct sock, all_link), true);
	dropped = sock_linger_dropped;
	sock_linger_dropped = 0;
	return dropped;
}

void sock_close_open(void)
{
	while (!list_empty(&sock_all))
		sock_close(list_first(&sock_all, struct sock, all_link));
}

void sock_close_all(void)
{
	sock_close_open();
	/* Lingering sends are abandoned at shutdown (main.c drains first). */
	sock_linger_abandon();
}

void sock_table_fini(void)
{
	sock_close_all();
	sock_reap();
	free(sock_slots);
	sock_slots = NULL;
	sock_nslots = sock_capslots = sock_nholes = 0;
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

int sock_new_fd(uid_t uid, gid_t gid, int fd, int family, int type, int proto, struct sock **out)
{
	struct sock *s = sock_new(uid, gid);
	int err;

	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	err = sock_watch(s, fd, family, type, proto);
	if (err) {
		sock_close(s); /* sock_watch closed fd */
		return err;
	}
	*out = s;
	return 0;
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

	if (s->fd < 0 || !list_empty(&s->waits[WAIT_CONNECT]))
		return;
	if ((s->state == SOCK_ST_OPEN || s->state == SOCK_ST_BOUND) && s->type == SOCK_STREAM) {
		/* A send with an address (MSG_FASTOPEN) connected it. */
		if (getpeername(s->fd, (struct sockaddr *)&ss, &len) == 0)
			s->state = SOCK_ST_CONNECTED;
		return;
	}
	if (s->state != SOCK_ST_CONNECTING)
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
			sock_linger_check(s);
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
