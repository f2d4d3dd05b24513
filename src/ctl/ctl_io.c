/* ctl_io.c - ctl verbs for timeouts and blocking modes, options by
 * number, and recv/send with message flags. */
#include "ctl_int.h"

#include "msg.h"
#include "opts.h"
#include "xfer.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* Timeouts and modes, as settimeout/gettimeout/setblocking/getblocking. */

static json_t *ctl_io_timeout_json(long ms)
{
	return ms < 0 ? json_null() : json_real((double)ms / 1000.0);
}

int ctl_io_settimeout(struct ctl_cmd *c)
{
	json_t *t;

	if (ctl_unpack(c, "{s:s, s:o}", "op", &(const char *){0}, "timeout", &t))
		return -EINVAL;
	if (json_is_null(t))
		c->s->timeout_ms = -1;
	else if (json_is_number(t) && json_number_value(t) >= 0 && json_number_value(t) <= 1e9)
		c->s->timeout_ms = (long)(json_number_value(t) * 1000.0 + 0.5);
	else
		return ctl_fail(c, EINVAL, "settimeout: timeout must be seconds >= 0 or null");
	c->reply = json_pack("{s:o}", "timeout", ctl_io_timeout_json(c->s->timeout_ms));
	return 0;
}

int ctl_io_gettimeout(struct ctl_cmd *c)
{
	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	c->reply = json_pack("{s:o}", "timeout", ctl_io_timeout_json(c->s->timeout_ms));
	return 0;
}

int ctl_io_setblocking(struct ctl_cmd *c)
{
	int flag;

	if (ctl_unpack(c, "{s:s, s:b}", "op", &(const char *){0}, "flag", &flag))
		return -EINVAL;
	c->s->timeout_ms = flag ? -1 : 0;
	c->reply = json_pack("{s:b, s:o}", "blocking", flag, "timeout",
			     ctl_io_timeout_json(c->s->timeout_ms));
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
	json_t *level = NULL, *optname, *iv = NULL, *bv = NULL, *entry, *obj, *reply = NULL;
	int err;

	if (ctl_unpack(c, "{s:s, s?o, s:o, s?o, s?o}", "op", &(const char *){0}, "level", &level,
		       "optname", &optname, "int", &iv, "bytes", &bv))
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

static int ctl_io_recv_try(struct ctl_cmd *c)
{
	if (c->s->fd < 0)
		return c->s->state == SOCK_ST_CLOSED ? -EBADF : -ENOTCONN;
	return xfer_recv(c->s, c->bufsize, c->msg_flags, c->encoding, &c->reply);
}

static bool ctl_io_recv_ready(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	int r = ctl_io_recv_try(c);

	if (r == -EAGAIN)
		return false;
	ctl_finish(c, r);
	return true;
}

int ctl_io_recv(struct ctl_cmd *c)
{
	json_t *flags = NULL;
	json_int_t bufsize;
	int r;

	if (ctl_unpack(c, "{s:s, s:I, s?o, s?s}", "op", &(const char *){0}, "bufsize", &bufsize,
		       "flags", &flags, "encoding", &c->encoding))
		return -EINVAL;
	if (bufsize < 0 || bufsize > XFER_RECV_MAX)
		return ctl_fail(c, EINVAL, "recv: bufsize must be 0..%u", XFER_RECV_MAX);
	if (c->encoding && strcmp(c->encoding, "utf-8") && strcmp(c->encoding, "base64"))
		return ctl_fail(c, EINVAL, "recv: encoding must be \"utf-8\" or \"base64\"");
	if (msg_flags(flags, &c->msg_flags, c->msg, sizeof(c->msg)))
		return -EINVAL;
	c->bufsize = (size_t)bufsize;
	/* Readers in line go first. */
	r = list_empty(&c->s->waits[WAIT_READ]) ? ctl_io_recv_try(c) : -EAGAIN;
	if (r != -EAGAIN || (c->msg_flags & MSG_DONTWAIT))
		return r;
	r = ctl_park(c, WAIT_READ, ctl_io_recv_ready);
	return r ? r : CTL_PENDING;
}

static int ctl_io_send_try(struct ctl_cmd *c)
{
	size_t sent = 0;
	int r;

	if (c->s->fd < 0)
		return c->s->state == SOCK_ST_CLOSED ? -EBADF : -ENOTCONN;
	r = xfer_send(c->s, (const char *)c->out, c->outlen, c->msg_flags & ~MSG_DONTWAIT, &sent);
	if (r == 0)
		c->reply = json_pack("{s:I}", "sent", (json_int_t)sent);
	return r;
}

static bool ctl_io_send_ready(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	int r = ctl_io_send_try(c);

	if (r == -EAGAIN)
		return false;
	ctl_finish(c, r);
	return true;
}

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
	r = ctl_park(c, WAIT_WRITE, ctl_io_send_ready);
	return r ? r : CTL_PENDING;
}
