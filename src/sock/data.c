/* data.c - the data file of a socket: read = recv, write = send.
 *
 * Reads recv straight into one reused buffer and answer with it. A read
 * that finds nothing parks until the socket turns readable. Writes on
 * stream sockets send what the kernel takes and queue the rest in the
 * daemon (up to SOCK_OUTQ_MAX), so a writer is answered at once; a write
 * that finds the queue full parks until there is room. */
#include "data.h"

#include "dgram.h"
#include "err.h"
#include "fs.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define DATA_RBUF_SIZE (1u << 20)

struct data_rwait {
	struct wait w;
	size_t size;
};

struct data_wwait {
	struct wait w;
	size_t len;
	char bytes[];
};

/* A read or write that fails with the socket's error: the error is kept in
 * the socket's err (op "recv" or "send"), as a command's would be, and the
 * call fails with it. */
static void data_fail(fuse_req_t req, struct sock *s, int err, const char *op)
{
	json_t *e = err_json(err, op, NULL);

	if (e)
		sock_set_error(s, e);
	fuse_reply_err(req, err);
}

static char *data_rbuf;

static char *data_buffer(void)
{
	if (!data_rbuf)
		data_rbuf = malloc(DATA_RBUF_SIZE);
	return data_rbuf;
}

/* How much one read may return. A reply that fills the whole request makes
 * the kernel ask again for the rest of a larger user read, and that second
 * request would wait for more data: stay one byte short on big reads. */
static size_t data_read_cap(size_t size)
{
	if (size > DATA_RBUF_SIZE)
		size = DATA_RBUF_SIZE;
	if (size > 4096)
		size--;
	return size;
}

/* Large reads on stream sockets are answered with splice, socket -> pipe
 * -> /dev/fuse (libfuse's fuse_reply_data, pipe per thread): the bytes
 * are copied once, into the reader, instead of twice through data_rbuf
 * (bulk, 1 MiB writes: +10% idle, up to 2x under load; bench/README.md).
 * Replies under DATA_SPLICE_MIN keep recv: libfuse answers those (< 2
 * pages) with a malloc and read, and splice costs ioctl, vmsplice and two
 * splices. The cap keeps libfuse's pipe within the unprivileged
 * pipe-max-size (1 MiB); a pipe it cannot grow makes libfuse read into a
 * fresh malloc for every reply. SOCKFS_NO_SPLICE=1 in the environment
 * turns it off (A/B runs). */
#define DATA_SPLICE_MIN (32u << 10)
#define DATA_SPLICE_MAX ((1u << 20) - (16u << 10))

/* 0 and replied, or -EAGAIN (nothing there, or too little to splice). */
static int data_try_splice(fuse_req_t req, struct sock *s, size_t size)
{
	struct fuse_bufvec bv;
	int avail;

	size = data_read_cap(size);
	if (!fs_splice_write || s->type != SOCK_STREAM || size < DATA_SPLICE_MIN ||
	    ioctl(s->fd, FIONREAD, &avail) < 0 || avail < (int)DATA_SPLICE_MIN)
		return -EAGAIN;
	if (size > (size_t)avail)
		size = (size_t)avail;
	if (size > DATA_SPLICE_MAX)
		size = DATA_SPLICE_MAX;
	bv = (struct fuse_bufvec)FUSE_BUFVEC_INIT(size);
	bv.buf[0].flags = FUSE_BUF_IS_FD;
	bv.buf[0].fd = s->fd;
	fuse_reply_data(req, &bv, 0);
	return 0;
}

/* 0 and replied, or -EAGAIN (nothing replied). */
static int data_try_recv(fuse_req_t req, struct sock *s, size_t size)
{
	char *buf = data_buffer();
	ssize_t n;

	if (data_try_splice(req, s, size) == 0)
		return 0;
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return 0;
	}
	n = recv(s->fd, buf, data_read_cap(size), MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -EAGAIN;
		data_fail(req, s, errno, "recv");
		return 0;
	}
	fuse_reply_buf(req, buf, (size_t)n);
	return 0;
}

static bool data_rwait_ready(struct wait *w)
{
	struct data_rwait *rw = (struct data_rwait *)w;

	if (w->s->fd < 0 || data_try_recv(w->req, w->s, rw->size) == -EAGAIN)
		return false;
	sock_unpark(w);
	free(rw);
	return true;
}

static void data_rwait_cancel(struct wait *w, int err)
{
	if (err == EBADF)
		fuse_reply_buf(w->req, NULL, 0); /* closed under the reader: EOF */
	else if (err == ETIMEDOUT)
		data_fail(w->req, w->s, err, "recv");
	else
		fuse_reply_err(w->req, err);
	free(w);
}

void data_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags)
{
	struct sock *s = f->s;
	struct data_rwait *rw;
	int err;

	if (dgram_is_msg(s)) {
		dgram_read(req, f, size, flags);
		return;
	}
	if (s->state == SOCK_ST_CLOSED) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (s->fd < 0) {
		data_fail(req, s, ENOTCONN, "recv");
		return;
	}
	if (size == 0) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	/* Readers in line go first. */
	if (list_empty(&s->waits[WAIT_READ]) && data_try_recv(req, s, size) == 0)
		return;
	rw = calloc(1, sizeof(*rw));
	if (!rw) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	rw->size = size;
	rw->w.ready = data_rwait_ready;
	rw->w.cancel = data_rwait_cancel;
	rw->w.nonblock = (flags & O_NONBLOCK) != 0;
	err = sock_park(s, &rw->w, WAIT_READ, req, f);
	if (err) {
		free(rw);
		fuse_reply_err(req, -err);
	}
}

/* Writing. */

static int data_queue(struct sock *s, const char *buf, size_t len)
{
	struct sock_chunk *c = malloc(sizeof(*c) + len);

	if (!c)
		return -ENOMEM;
	c->len = len;
	c->off = 0;
	c->req = NULL;
	memcpy(c->data, buf, len);
	list_add_tail(&s->outq, &c->link);
	s->outq_bytes += len;
	return 0;
}

void data_drop_queue(struct sock *s)
{
	while (!list_empty(&s->outq)) {
		struct sock_chunk *c = list_first(&s->outq, struct sock_chunk, link);
		list_del(&c->link);
		free(c);
	}
	s->outq_bytes = 0;
}

static int data_take_error(struct sock *s)
{
	int err = s->pending_err;

	s->pending_err = 0;
	return err;
}

void data_flush(struct sock *s)
{
	while (!list_empty(&s->outq) && s->fd >= 0) {
		struct sock_chunk *c = list_first(&s->outq, struct sock_chunk, link);
		ssize_t n =
		    send(s->fd, c->data + c->off, c->len - c->off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			s->pending_err = errno;
			data_drop_queue(s);
			break;
		}
		c->off += (size_t)n;
		s->outq_bytes -= (size_t)n;
		if (c->off < c->len)
			return;
		list_del(&c->link);
		free(c);
	}
	if (list_empty(&s->outq) && s->shut_wr && s->fd >= 0)
		shutdown(s->fd, SHUT_WR);
}

/* 0: answered. -EAGAIN: no room in the queue, nothing done. */
static int data_try_send(fuse_req_t req, struct sock *s, const char *buf, size_t size)
{
	size_t sent = 0;
	int err;

	if (s->pending_err) {
		data_fail(req, s, data_take_error(s), "send");
		return 0;
	}
	if (s->shut_wr) {
		data_fail(req, s, EPIPE, "send");
		return 0;
	}
	if (list_empty(&s->outq)) {
		ssize_t n = send(s->fd, buf, size, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			data_fail(req, s, errno, "send");
			return 0;
		}
		sent = n > 0 ? (size_t)n : 0;
		if (sent == size) {
			fuse_reply_write(req, size);
			return 0;
		}
	} else if (s->outq_bytes + size > SOCK_OUTQ_MAX) {
		return -EAGAIN;
	}
	err = data_queue(s, buf + sent, size - sent);
	if (err) {
		fuse_reply_err(req, -err);
		return 0;
	}
	fuse_reply_write(req, size);
	return 0;
}

static bool data_wwait_ready(struct wait *w)
{
	struct data_wwait *ww = (struct data_wwait *)w;
	struct sock *s = w->s;

	if (s->fd < 0)
		return false;
	if (!s->pending_err && !s->shut_wr && s->outq_bytes + ww->len > SOCK_OUTQ_MAX &&
	    !list_empty(&s->outq))
		return false;
	sock_get(s);
	sock_unpark(w);
	data_try_send(w->req, s, ww->bytes, ww->len);
	sock_put(s);
	free(ww);
	return true;
}

static void data_wwait_cancel(struct wait *w, int err)
{
	if (err == ETIMEDOUT)
		data_fail(w->req, w->s, err, "send");
	else
		fuse_reply_err(w->req, err);
	free(w);
}

void data_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	struct sock *s = f->s;
	struct data_wwait *ww;
	int err;

	if (dgram_is_msg(s)) {
		dgram_write(req, f, buf, size, flags);
		return;
	}
	if (s->state == SOCK_ST_CLOSED) {
		fuse_reply_err(req, EBADF);
		return;
	}
	if (s->fd < 0) {
		data_fail(req, s, ENOTCONN, "send");
		return;
	}
	if (list_empty(&s->waits[WAIT_WRITE]) && data_try_send(req, s, buf, size) == 0)
		return;
	ww = malloc(sizeof(*ww) + size);
	if (!ww) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memset(&ww->w, 0, sizeof(ww->w));
	ww->len = size;
	memcpy(ww->bytes, buf, size);
	ww->w.ready = data_wwait_ready;
	ww->w.cancel = data_wwait_cancel;
	ww->w.nonblock = (flags & O_NONBLOCK) != 0;
	err = sock_park(s, &ww->w, WAIT_WRITE, req, f);
	if (err) {
		free(ww);
		fuse_reply_err(req, -err);
	}
}

int data_shutdown(struct sock *s, int how)
{
	if (how == SHUT_RD || list_empty(&s->outq)) {
		if (shutdown(s->fd, how) < 0)
			return -errno;
		if (how != SHUT_RD)
			s->shut_wr = true;
		return 0;
	}
	/* Queued bytes go first; the queue's end shuts the sending side. */
	if (how == SHUT_RDWR && shutdown(s->fd, SHUT_RD) < 0)
		return -errno;
	s->shut_wr = true;
	return 0;
}

unsigned data_poll_mask(struct sock *s)
{
	struct pollfd p = {.fd = s->fd, .events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP};
	unsigned mask;

	if (s->state == SOCK_ST_CLOSED || s->fd < 0)
		return POLLIN | POLLHUP;
	if (poll(&p, 1, 0) < 0)
		return POLLERR;
	mask = (unsigned)p.revents;
	if (s->outq_bytes >= SOCK_OUTQ_MAX || !list_empty(&s->waits[WAIT_WRITE]))
		mask &= ~(unsigned)(POLLOUT | POLLWRNORM);
	else if (s->outq_bytes && !(mask & POLLERR))
		mask |= POLLOUT | POLLWRNORM; /* room in the daemon's queue */
	if (s->pending_err)
		mask |= POLLERR;
	return mask;
}
