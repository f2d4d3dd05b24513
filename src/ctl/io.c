/* io.c - verbs for timeouts and blocking modes, options by number, and
 * recv/send with message flags. */
#include "cmd.h"
#include "verbs.h"

#include "msg.h"
#include "opts.h"
#include "seconds.h"
#include "stream.h"

#include "b64.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Timeouts and modes, as settimeout/gettimeout/setblocking/getblocking. */

int ctl_io_settimeout(struct ctl_cmd *c)
{
	json_t *t;
	long ms;

	if (ctl_unpack(c, "{s:s, s:o}", "op", &(const char *){0}, "timeout", &t))
		return -EINVAL;
	if (seconds_from_json(t, &ms))
		return ctl_fail(c, EINVAL, "settimeout: timeout must be seconds >= 0 or null");
	c->s->timeout_ms = ms;
	c->reply = json_pack("{s:o}", "timeout", seconds_json(c->s->timeout_ms));
	return 0;
}

int ctl_io_gettimeout(struct ctl_cmd *c)
{
	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	c->reply = json_pack("{s:o}", "timeout", seconds_json(c->s->timeout_ms));
	return 0;
}

int ctl_io_setblocking(struct ctl_cmd *c)
{
	int flag;

	if (ctl_unpack(c, "{s:s, s:b}", "op", &(const char *){0}, "flag", &flag))
		return -EINVAL;
	c->s->timeout_ms = flag ? -1 : 0;
	c->reply =
	    json_pack("{s:b, s:o}", "blocking", flag, "timeout", seconds_json(c->s->timeout_ms));
	return 0;
}

int ctl_io_getblocking(struct ctl_cmd *c)
{
	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	c->reply = json_pack("{s:b}", "blocking", c->s->timeout_ms != 0);
	return 0;
}

/* Options by number. */

int ctl_io_getsockopt(struct ctl_cmd *c)
{
	json_t *level = NULL, *optname;
	int buflen = 0;

	if (ctl_unpack(c, "{s:s, s?o, s:o, s?i}", "op", &(const char *){0}, "level", &level,
		       "optname", &optname, "buflen", &buflen))
		return -EINVAL;
	return opts_raw_get(c->s, level, optname, buflen, &c->reply, c->msg, sizeof(c->msg));
}

int ctl_io_setsockopt(struct ctl_cmd *c)
{
	json_t *level = NULL, *optname, *iv = NULL, *bv = NULL, *lv = NULL, *entry, *obj,
	       *reply = NULL;
	int err;

	if (ctl_unpack(c, "{s:s, s?o, s:o, s?o, s?o, s?o}", "op", &(const char *){0}, "level",
		       &level, "optname", &optname, "int", &iv, "bytes", &bv, "optlen", &lv))
		return -EINVAL;
	entry = json_deep_copy(c->args);
	json_object_del(entry, "op");
	obj = json_pack("{s:[o]}", "raw", entry);
	if (!obj)
		return -ENOMEM;
	err = opts_set(c->s, obj, fuse_req_ctx(c->req)->pid, &reply, c->msg, sizeof(c->msg));
	json_decref(obj);
	json_decref(reply);
	return err;
}

/* recv and send with flags. */

/* {"data", "encoding", "size"}: utf-8 when asked or when the bytes are
 * valid UTF-8 (encoding NULL), else base64. */
static json_t *ctl_io_data_json(const char *buf, size_t n, const char *encoding)
{
	json_t *obj = json_object();
	int err;

	if (!obj)
		return NULL;
	if (encoding && !strcmp(encoding, "utf-8")) {
		json_t *text = json_stringn(buf, n);
		if (!text)
			goto free_obj;
		json_object_set_new(obj, "data", text);
		json_object_set_new(obj, "encoding", json_string("utf-8"));
		err = 0;
	} else if (encoding) {
		char *b = b64_encode(buf, n);
		if (!b)
			goto free_obj;
		json_object_set_new(obj, "data", json_string(b));
		json_object_set_new(obj, "encoding", json_string("base64"));
		free(b);
		err = 0;
	} else {
		err = msg_set_payload(obj, (const unsigned char *)buf, n);
	}
	if (err)
		goto free_obj;
	json_object_set_new(obj, "size", json_integer((json_int_t)n));
	return obj;
free_obj:
	json_decref(obj);
	return NULL;
}

static int ctl_io_recv_try(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	int flags = c->msg_flags & ~MSG_WAITALL;
	char *buf = NULL;
	ssize_t n;

	if (s->fd < 0)
		return s->state == SOCK_ST_CLOSED ? -EBADF : -ENOTCONN;
	if ((c->msg_flags & MSG_WAITALL) && sock_is_stream(s) && !(flags & MSG_OOB) &&
	    !stream_waitall_ready(s, c->bufsize))
		return -EAGAIN;
	n = stream_recv(s, c->bufsize, flags, &buf);
	if (n < 0)
		return (int)n;
	if (sock_is_stream(s) && (flags & MSG_TRUNC)) {
		/* A stream discards the bytes: only their count comes back. */
		c->reply = ctl_io_data_json("", 0, c->encoding);
		if (c->reply)
			json_object_set_new(c->reply, "discarded", json_integer(n));
		return c->reply ? 0 : -ENOMEM;
	}
	/* MSG_TRUNC on a datagram gives its real length. */
	c->reply =
	    ctl_io_data_json(buf, (size_t)n < c->bufsize ? (size_t)n : c->bufsize, c->encoding);
	if (c->reply && (size_t)n > c->bufsize)
		json_object_set_new(c->reply, "truncated", json_integer(n));
	return c->reply ? 0 : -ENOMEM;
}

static int ctl_io_recv_attempt(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	int r = ctl_io_recv_try(c);

	if (r == -EAGAIN)
		return r;
	ctl_answer(c, r);
	return 0;
}

static const struct wait_ops ctl_io_recv_wait = {
    .kind = WAIT_READ,
    .attempt = ctl_io_recv_attempt,
    .fail = ctl_wait_fail,
    .release = ctl_wait_release,
};

int ctl_io_recv(struct ctl_cmd *c)
{
	json_t *flags = NULL;
	json_int_t bufsize;
	int r;

	if (ctl_unpack(c, "{s:s, s:I, s?o, s?s}", "op", &(const char *){0}, "bufsize", &bufsize,
		       "flags", &flags, "encoding", &c->encoding))
		return -EINVAL;
	if (bufsize < 0 || bufsize > STREAM_RECV_MAX)
		return ctl_fail(c, EINVAL, "recv: bufsize must be 0..%u", STREAM_RECV_MAX);
	if (c->encoding && strcmp(c->encoding, "utf-8") && strcmp(c->encoding, "base64"))
		return ctl_fail(c, EINVAL, "recv: encoding must be \"utf-8\" or \"base64\"");
	if (msg_flags(flags, &c->msg_flags, c->msg, sizeof(c->msg)))
		return -EINVAL;
	c->bufsize = (size_t)bufsize;
	/* Readers in line go first. */
	r = list_empty(&c->s->waits[WAIT_READ]) ? ctl_io_recv_try(c) : -EAGAIN;
	if (r != -EAGAIN || (c->msg_flags & MSG_DONTWAIT))
		return r;
	r = ctl_park(c, &ctl_io_recv_wait);
	return r ? r : CTL_PENDING;
}

static int ctl_io_send_try(struct ctl_cmd *c)
{
	size_t sent = 0;
	int r;

	if (c->s->fd < 0)
		return c->s->state == SOCK_ST_CLOSED ? -EBADF : -ENOTCONN;
	r = stream_send(c->s, c->out, c->outlen, c->msg_flags & ~MSG_DONTWAIT, false, &sent);
	if (r == 0)
		c->reply = json_pack("{s:I}", "sent", (json_int_t)sent);
	return r;
}

static int ctl_io_send_attempt(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	int r = ctl_io_send_try(c);

	if (r == -EAGAIN)
		return r;
	ctl_answer(c, r);
	return 0;
}

static const struct wait_ops ctl_io_send_wait = {
    .kind = WAIT_WRITE,
    .attempt = ctl_io_send_attempt,
    .fail = ctl_wait_fail,
    .release = ctl_wait_release,
};

int ctl_io_send(struct ctl_cmd *c)
{
	json_t *flags = NULL;
	const char *data;
	size_t len;
	int r;

	if (ctl_unpack(c, "{s:s, s:s%, s?s, s?o}", "op", &(const char *){0}, "data", &data, &len,
		       "encoding", &c->encoding, "flags", &flags))
		return -EINVAL;
	if (msg_flags(flags, &c->msg_flags, c->msg, sizeof(c->msg)))
		return -EINVAL;
	r = msg_decode(data, len, c->encoding, &c->out, &c->outlen, c->msg, sizeof(c->msg));
	if (r)
		return r;
	r = list_empty(&c->s->waits[WAIT_WRITE]) ? ctl_io_send_try(c) : -EAGAIN;
	if (r != -EAGAIN || (c->msg_flags & MSG_DONTWAIT))
		return r;
	r = ctl_park(c, &ctl_io_send_wait);
	return r ? r : CTL_PENDING;
}
