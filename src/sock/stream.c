/* stream.c - the receive and send paths of stream sockets. */
#include "stream.h"

#include "bufmem.h"
#include "caller.h"
#include "reply.h"
#include "sock.h"
#include "stats.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* Large reads are answered by splicing the socket's bytes to the FUSE
 * device (socket -> pipe -> /dev/fuse): the bytes are copied once, into
 * the reader, instead of twice through the receive buffer (bench/README.md).
 * Replies under STREAM_SPLICE_MIN keep recv: splice costs ioctl, vmsplice
 * and two splices. The cap keeps libfuse's pipe within the unprivileged
 * pipe-max-size (1 MiB). SOCKFS_NO_SPLICE=1 turns it off (A/B runs). */
#define STREAM_SPLICE_MIN (32u << 10)
#define STREAM_SPLICE_MAX ((1u << 20) - (16u << 10))

static char *stream_rbuf;

size_t stream_read_cap(size_t size)
{
	if (size > STREAM_RECV_MAX)
		size = STREAM_RECV_MAX;
	if (size > 4096)
		size--;
	return size;
}

ssize_t stream_recv(struct sock *s, size_t size, int flags, char **buf)
{
	ssize_t n;

	if (!stream_rbuf)
		stream_rbuf = malloc(STREAM_RECV_MAX);
	if (!stream_rbuf)
		return -ENOMEM;
	if (size > STREAM_RECV_MAX)
		size = STREAM_RECV_MAX;
	n = recv(s->fd, stream_rbuf, size, flags | MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	*buf = stream_rbuf;
	return n;
}

size_t stream_splice_size(struct sock *s, size_t size)
{
	int avail;

	size = stream_read_cap(size);
	if (!reply_can_splice() || size < STREAM_SPLICE_MIN || ioctl(s->fd, FIONREAD, &avail) < 0 ||
	    avail < (int)STREAM_SPLICE_MIN)
		return 0;
	if (size > (size_t)avail)
		size = (size_t)avail;
	return size > STREAM_SPLICE_MAX ? STREAM_SPLICE_MAX : size;
}

bool stream_waitall_ready(struct sock *s, size_t size)
{
	struct pollfd p = {.fd = s->fd, .events = POLLRDHUP};
	int avail;

	if (ioctl(s->fd, FIONREAD, &avail) < 0)
		return true; /* the error ends the wait */
	if ((size_t)avail >= size)
		return true;
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

int stream_send(struct sock *s, const void *buf, size_t len, int flags, bool queue, size_t *taken)
{
	size_t sent = 0;
	ssize_t n;
	int err;

	if (s->pending_err)
		return -sock_take_send_error(s);
	if (s->shut_wr)
		return -EPIPE;
	if (!outq_empty(&s->outq)) {
		/* Queued bytes go first. */
		if (!queue || s->outq.bytes + len > OUTQ_MAX)
			return -EAGAIN;
	} else {
		/* A unix peer is told the socket's owner, not the daemon. */
		if (caller_sends_creds(s->family) && !s->outq.has_creds) {
			s->outq.creds = caller_ucred(s->uid, s->gid);
			s->outq.has_creds = true;
		}
		n = outq_send(s->fd, buf, len, flags, s->outq.has_creds ? &s->outq.creds : NULL);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		sent = n > 0 ? (size_t)n : 0;
		if (!queue || sent == len) {
			if (n < 0)
				return -EAGAIN;
			*taken = sent;
			return 0;
		}
	}
	/* Beyond the bytes held for users (bufmem.h): a short write when the
	 * kernel took a part, else wait for room as when the queue is full. */
	err = outq_push(&s->outq, (const char *)buf + sent, len - sent, false);
	if (err == -ENOBUFS && sent > 0) {
		*taken = sent;
		return 0;
	}
	if (err == -ENOBUFS)
		return -EAGAIN;
	if (err)
		return err;
	stats_bytes_queued += len - sent;
	*taken = len;
	return 0;
}

int stream_hold_for_answer(struct sock *s, size_t len)
{
	struct pollfd p = {.fd = s->fd, .events = POLLOUT};

	if (s->pending_err || s->shut_wr || !outq_empty(&s->outq) || len == 0 || len > OUTQ_MAX ||
	    caller_sends_creds(s->family))
		return -EAGAIN;
	if (poll(&p, 1, 0) != 1 || p.revents != POLLOUT)
		return -EAGAIN;
	return bufmem_take(s->outq.uid, len) ? -EAGAIN : 0;
}

void stream_send_held(struct sock *s, const void *buf, size_t len)
{
	size_t taken = 0;
	int err;

	/* The room held is given back for stream_send to take again for
	 * what it queues: within it, so the whole write is taken. */
	bufmem_give(s->outq.uid, len);
	err = stream_send(s, buf, len, 0, true, &taken);
	if (err)
		/* The peer's reset came between the poll and the send: the
		 * next call says so, as a raw socket's would. */
		s->pending_err = -err;
	else if (taken < len)
		s->pending_err = ENOBUFS;
}
