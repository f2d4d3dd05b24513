/* recvmsg.c - the verbs recvfrom and recvmsg (bufsize, ancbufsize, flags:
 * data, source address, ancillary data and msg_flags, as the socket
 * module's), and msgsrecv, which sets how msgs reads receive. */
#include "cmd.h"
#include "verbs.h"

#include "message.h"
#include "msg.h"
#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The largest control buffer a recvmsg or a msgs read may ask for. */
#define CTL_RECVMSG_ANC_MAX (64 * 1024)

static int ctl_recvmsg_try(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	struct message_in in = {
	    .has_bufsize = true,
	    .bufsize = c->bufsize,
	    .ancbufsize = c->want_ancillary ? c->ancbufsize : 0,
	    .flags = c->msg_flags,
	};
	unsigned char *buf;
	size_t len;
	json_t *m = NULL;
	int err;

	if (s->fd < 0)
		return s->state == SOCK_ST_CLOSED ? -EBADF : -ENOTCONN;
	if ((c->msg_flags & MSG_WAITALL) && sock_is_stream(s) && !(c->msg_flags & MSG_OOB) &&
	    !stream_waitall_ready(s, c->bufsize))
		return -EAGAIN;
	err = message_recvmsg(s, &in, &buf, &len, &m);
	if (err)
		return err;
	free(buf);
	json_object_set_new(m, "size", json_integer((json_int_t)len));
	if (!c->want_ancillary) {
		/* recvfrom: (bytes, address) */
		json_object_del(m, "flags");
		json_object_del(m, "msg_flags");
		json_object_del(m, "ancillary");
		json_object_del(m, "ancdata");
	}
	c->reply = m;
	return 0;
}

static int ctl_recvmsg_attempt(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	int r = ctl_recvmsg_try(c);

	if (r == -EAGAIN)
		return r;
	ctl_answer(c, r);
	return 0;
}

static const struct wait_ops ctl_recvmsg_wait = {
    .kind = WAIT_READ,
    .attempt = ctl_recvmsg_attempt,
    .fail = ctl_wait_fail,
    .release = ctl_wait_release,
};

static int ctl_recvmsg_run(struct ctl_cmd *c, json_int_t bufsize, json_int_t ancbufsize,
			   json_t *flags)
{
	const char *op = c->verb->name;
	int r;

	if (bufsize < 0 || bufsize > STREAM_RECV_MAX)
		return ctl_fail(c, EINVAL, "%s: bufsize must be 0..%u", op, STREAM_RECV_MAX);
	if (ancbufsize < 0 || ancbufsize > CTL_RECVMSG_ANC_MAX)
		return ctl_fail(c, EINVAL, "%s: ancbufsize must be 0..%d", op, CTL_RECVMSG_ANC_MAX);
	if (msg_flags(flags, &c->msg_flags, c->msg, sizeof(c->msg)))
		return -EINVAL;
	c->bufsize = (size_t)bufsize;
	c->ancbufsize = (size_t)ancbufsize;
	/* Readers in line go first. */
	r = list_empty(&c->s->waits[WAIT_READ]) ? ctl_recvmsg_try(c) : -EAGAIN;
	/* The error queue never waits (recvmsg(2) answers EAGAIN at once). */
	if (r != -EAGAIN || (c->msg_flags & (MSG_DONTWAIT | MSG_ERRQUEUE)))
		return r;
	r = ctl_park(c, &ctl_recvmsg_wait);
	return r ? r : CTL_PENDING;
}

int ctl_recvmsg_recvfrom(struct ctl_cmd *c)
{
	json_t *flags = NULL;
	json_int_t bufsize;

	if (ctl_unpack(c, "{s:s, s:I, s?o}", "op", &(const char *){0}, "bufsize", &bufsize, "flags",
		       &flags))
		return -EINVAL;
	return ctl_recvmsg_run(c, bufsize, 0, flags);
}

int ctl_recvmsg_recvmsg(struct ctl_cmd *c)
{
	json_t *flags = NULL;
	json_int_t bufsize, ancbufsize = 0;

	if (ctl_unpack(c, "{s:s, s:I, s?I, s?o}", "op", &(const char *){0}, "bufsize", &bufsize,
		       "ancbufsize", &ancbufsize, "flags", &flags))
		return -EINVAL;
	c->want_ancillary = true;
	return ctl_recvmsg_run(c, bufsize, ancbufsize, flags);
}

/* msgsrecv: the flags and control buffer size of this socket's msgs reads
 * from now on (until changed); without arguments, the current ones. */
int ctl_recvmsg_msgsrecv(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	json_t *flags = NULL;
	json_int_t anc = -1;
	struct message_in in;
	int f;

	if (ctl_unpack(c, "{s:s, s?o, s?I}", "op", &(const char *){0}, "flags", &flags,
		       "ancbufsize", &anc))
		return -EINVAL;
	if (json_object_get(c->args, "ancbufsize") && (anc < 0 || anc > CTL_RECVMSG_ANC_MAX))
		return ctl_fail(c, EINVAL, "msgsrecv: ancbufsize must be 0..%d",
				CTL_RECVMSG_ANC_MAX);
	if (msg_flags(flags, &f, c->msg, sizeof(c->msg)))
		return -EINVAL;
	if (f & ~(MSG_PEEK | MSG_TRUNC | MSG_OOB | MSG_ERRQUEUE | MSG_CMSG_CLOEXEC))
		return ctl_fail(c, EINVAL,
				"msgsrecv: flags may be MSG_PEEK, MSG_TRUNC, MSG_OOB, "
				"MSG_ERRQUEUE, MSG_CMSG_CLOEXEC (a msgs read waits as the file "
				"and the socket say)");
	if (flags)
		s->msgs_flags = f;
	if (anc >= 0) {
		s->msgs_ancbufsize = (int)anc;
		s->msgs_anc_set = true;
	}
	message_in_msgs(s, &in);
	c->reply = json_pack("{s:o, s:I}", "flags", msg_flags_json_all(in.flags), "ancbufsize",
			     (json_int_t)in.ancbufsize);
	return 0;
}
