/* xfer.c - recv and send with message flags, for the ctl verbs. */
#include "xfer.h"

#include "b64.h"
#include "data.h"
#include "sock.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static json_t *xfer_data_json(const char *buf, size_t n, const char *encoding)
{
	json_t *text = NULL;
	char *b;

	if (!encoding || !strcmp(encoding, "utf-8")) {
		text = json_stringn(buf, n);
		if (text || encoding)
			return text ? json_pack("{s:o, s:s, s:I}", "data", text, "encoding",
						"utf-8", "size", (json_int_t)n)
				    : NULL;
	}
	b = b64_encode(buf, n);
	if (!b)
		return NULL;
	text = json_pack("{s:s, s:s, s:I}", "data", b, "encoding", "base64", "size", (json_int_t)n);
	free(b);
	return text;
}

/* MSG_WAITALL on a stream: are bufsize bytes there, or will no more come? */
static bool xfer_waitall_ready(struct sock *s, char *buf, size_t bufsize)
{
	struct pollfd p = {.fd = s->fd, .events = POLLRDHUP};
	ssize_t n = recv(s->fd, buf, bufsize, MSG_PEEK | MSG_DONTWAIT);

	if (n < 0)
		return errno != EAGAIN && errno != EWOULDBLOCK; /* the error ends it */
	if ((size_t)n >= bufsize || n == 0)
		return true;
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

int xfer_recv(struct sock *s, size_t bufsize, int flags, const char *encoding, json_t **reply)
{
	char *buf;
	ssize_t n;
	int err = 0;

	if (encoding && strcmp(encoding, "utf-8") && strcmp(encoding, "base64"))
		return -EINVAL;
	buf = malloc(bufsize ? bufsize : 1);
	if (!buf)
		return -ENOMEM;
	if ((flags & MSG_WAITALL) && s->type == SOCK_STREAM && !(flags & MSG_OOB) &&
	    !xfer_waitall_ready(s, buf, bufsize)) {
		err = -EAGAIN;
		goto free_buf;
	}
	n = recv(s->fd, buf, bufsize, (flags & ~MSG_WAITALL) | MSG_DONTWAIT);
	if (n < 0) {
		err = errno == EWOULDBLOCK ? -EAGAIN : -errno;
		goto free_buf;
	}
	/* MSG_TRUNC on a datagram gives its real length. */
	*reply = xfer_data_json(buf, (size_t)n < bufsize ? (size_t)n : bufsize, encoding);
	if (*reply && (size_t)n > bufsize)
		json_object_set_new(*reply, "truncated", json_integer(n));
	if (!*reply)
		err = -ENOMEM;
free_buf:
	free(buf);
	return err;
}

int xfer_send(struct sock *s, const char *buf, size_t len, int flags, size_t *sent)
{
	ssize_t n;

	if (s->pending_err) {
		int err = s->pending_err;
		s->pending_err = 0;
		return -err;
	}
	if (s->shut_wr)
		return -EPIPE;
	if (s->outq_bytes)
		return -EAGAIN; /* bytes written to data go first */
	n = send(s->fd, buf, len, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	*sent = (size_t)n;
	return 0;
}
