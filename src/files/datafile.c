/* datafile.c - the data file of a socket: read = recv, write = send.
 *
 * Stream sockets: a read receives what is there (straight into one reused
 * buffer, or spliced when large); a write sends what the kernel takes and
 * queues the rest in the daemon (up to OUTQ_MAX), so a writer is answered
 * at once; a write that finds the queue full waits for room.
 *
 * Message sockets (datagram, seqpacket, raw): a write is one message; a
 * read receives one whole message, and when the read asked for fewer bytes
 * than it holds, the rest stays with that open file and the next reads of
 * the same open file return it before any new message: bash's `read`,
 * which reads one byte at a time, loses nothing, and a message is never
 * split between two open files. msgs reads go the same way, one JSON
 * line per message. */
#include "files.h"

#include "err.h"
#include "message.h"
#include "reply.h"
#include "sock.h"
#include "stream.h"
#include "writecopy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

/* A read or write that fails with the socket's error: the error is kept
 * in the socket's err (op "recv" or "send") and the call fails with it. */
static void datafile_fail(fuse_req_t req, struct sock *s, int err, const char *op)
{
	json_t *e = err_json(err, op, NULL);

	if (e)
		sock_set_error(s, e);
	reply_err(req, err);
}

/* Reading. */

struct datafile_rwait {
	struct wait w;
	size_t size;
	bool msgs;
};

/* One stream read: 0 answered, -EAGAIN nothing there. */
static int datafile_stream_try(fuse_req_t req, struct sock *s, size_t size)
{
	size_t n = stream_splice_size(s, size);
	ssize_t got;
	char *buf;

	if (n) {
		reply_splice(req, s->fd, n);
		return 0;
	}
	got = stream_recv(s, stream_read_cap(size), 0, &buf);
	if (got == -EAGAIN)
		return -EAGAIN;
	if (got < 0)
		datafile_fail(req, s, (int)-got, "recv");
	else
		reply_buf(req, buf, (size_t)got);
	return 0;
}

/* One message read: 0 answered, -EAGAIN nothing there. */
static int datafile_message_try(fuse_req_t req, struct sfs_file *f, size_t size, bool msgs)
{
	struct sock *s = f->s;
	unsigned char *buf;
	size_t len;
	json_t *m = NULL;
	int err = message_recv(s, &buf, &len, msgs ? &m : NULL);

	if (err == -EAGAIN)
		return err;
	if (err) {
		datafile_fail(req, s, -err, "recv");
		return 0;
	}
	if (len == 0 && (s->type == SOCK_STREAM || s->type == SOCK_SEQPACKET)) {
		/* The peer's end: EOF, not an empty message. */
		json_decref(m);
		free(buf);
		reply_buf(req, NULL, 0);
		return 0;
	}
	if (msgs) {
		free(buf);
		err = file_set_json(f, m);
		if (err) {
			reply_err(req, -err);
			return 0;
		}
	} else {
		file_set_buf(f, (char *)buf, len);
	}
	/* The rest of the message (or line) stays with this open file. */
	file_reply_buffered(req, f, size);
	return 0;
}

/* One read: 0 answered, -EAGAIN nothing there (nothing done). */
static int datafile_read_try(fuse_req_t req, struct sfs_file *f, size_t size, bool msgs)
{
	if (file_has_bytes(f)) {
		/* Another read of this open file left the rest of a message. */
		file_reply_buffered(req, f, size);
		return 0;
	}
	if (f->s->fd < 0)
		return -EAGAIN;
	if (f->s->pending_err) {
		/* Queued bytes could not be sent: the next read says so. */
		datafile_fail(req, f->s, sock_take_send_error(f->s), "send");
		return 0;
	}
	if (!msgs && sock_is_stream(f->s))
		return datafile_stream_try(req, f->s, size);
	return datafile_message_try(req, f, size, msgs);
}

static int datafile_read_attempt(struct wait *w)
{
	struct datafile_rwait *rw = (struct datafile_rwait *)w;

	return datafile_read_try(w->req, w->f, rw->size, rw->msgs);
}

static void datafile_read_fail(struct wait *w, int err)
{
	if (err == EBADF)
		reply_buf(w->req, NULL, 0); /* closed under the reader: EOF */
	else if (err == ETIMEDOUT)
		datafile_fail(w->req, w->s, err, "recv");
	else
		reply_err(w->req, err);
}

static void datafile_wait_release(struct wait *w)
{
	free(w);
}

static const struct wait_ops datafile_read_wait = {
    .kind = WAIT_READ,
    .attempt = datafile_read_attempt,
    .fail = datafile_read_fail,
    .release = datafile_wait_release,
};

void datafile_read_any(fuse_req_t req, struct sfs_file *f, size_t size, int flags, bool msgs)
{
	struct sock *s = f->s;
	struct datafile_rwait *rw;

	if (file_has_bytes(f)) {
		file_reply_buffered(req, f, size);
		return;
	}
	if (s->state == SOCK_ST_CLOSED || size == 0) {
		reply_buf(req, NULL, 0);
		return;
	}
	if (s->fd < 0) {
		datafile_fail(req, s, ENOTCONN, "recv");
		return;
	}
	/* Readers in line go first; memory is taken only to wait. */
	if (list_empty(&s->waits[WAIT_READ]) && datafile_read_try(req, f, size, msgs) == 0)
		return;
	rw = calloc(1, sizeof(*rw));
	if (!rw) {
		reply_err(req, ENOMEM);
		return;
	}
	rw->w.ops = &datafile_read_wait;
	rw->size = size;
	rw->msgs = msgs;
	if (sock_park(s, &rw->w, req, f, (flags & O_NONBLOCK) != 0)) {
		free(rw);
		reply_err(req, EAGAIN);
	}
}

void datafile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	datafile_read_any(req, f, size, flags, false);
}

/* Writing: a write that must wait keeps a copy of its bytes (writecopy.h). */

/* Send the bytes of a write: 0 answered, -EAGAIN no room (nothing done). */
static int datafile_send(fuse_req_t req, struct sock *s, const char *buf, size_t len)
{
	size_t taken = 0;
	int err;

	if (sock_is_stream(s)) {
		if (stream_hold_for_answer(s, len) == 0) {
			reply_write(req, len);
			stream_send_held(s, buf, len);
			return 0;
		}
		err = stream_send(s, buf, len, 0, true, &taken);
	} else {
		char msg[256] = "";
		struct msg_out m = {.data = (unsigned char *)buf, .len = len};
		err = message_send(req, s, &m, &taken, msg, sizeof(msg));
	}
	if (err == -EAGAIN)
		return err;
	if (err)
		datafile_fail(req, s, -err, "send");
	else /* a stream may take part (the bound of held bytes: bufmem.h) */
		reply_write(req, sock_is_stream(s) ? taken : len);
	return 0;
}

static int datafile_write_attempt(struct wait *w)
{
	struct writecopy *wc = (struct writecopy *)w;

	if (w->s->fd < 0)
		return -EAGAIN;
	return datafile_send(w->req, w->s, wc->bytes, wc->len);
}

static void datafile_write_fail(struct wait *w, int err)
{
	if (err == ETIMEDOUT)
		datafile_fail(w->req, w->s, err, "send");
	else
		reply_err(w->req, err);
}

static const struct wait_ops datafile_write_wait = {
    .kind = WAIT_WRITE,
    .attempt = datafile_write_attempt,
    .fail = datafile_write_fail,
    .release = writecopy_release,
};

void datafile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	struct sock *s = f->s;
	int err;

	if (s->state == SOCK_ST_CLOSED) {
		reply_err(req, EBADF);
		return;
	}
	if (s->fd < 0) {
		datafile_fail(req, s, ENOTCONN, "send");
		return;
	}
	/* Writers in line go first; the bytes are copied only to wait. */
	if (list_empty(&s->waits[WAIT_WRITE]) && datafile_send(req, s, buf, size) == 0)
		return;
	err = writecopy_park(s, f, req, flags, &datafile_write_wait, buf, size, size);
	if (err == -ENOBUFS) /* the copies held for the writer are at its bound */
		datafile_fail(req, s, ENOBUFS, "send");
	else if (err)
		reply_err(req, -err);
}
