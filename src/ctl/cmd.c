/* cmd.c - a command's life: made, answered once, freed; its arguments,
 * messages, waiting, and the guards every verb goes through. */
#include "cmd.h"

#include "asuser.h"
#include "audit.h"
#include "err.h"
#include "file.h"
#include "names.h"
#include "priv.h"
#include "reply.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ctl_cmd *ctl_cmd_new(fuse_req_t req, struct sfs_file *f, size_t size)
{
	struct ctl_cmd *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->req = req;
	c->f = f;
	c->size = size;
	if (f) {
		c->s = f->s;
		c->flags = f->flags;
		sock_get(c->s);
	}
	return c;
}

static void ctl_free(struct ctl_cmd *c)
{
	json_decref(c->args);
	json_decref(c->reply);
	free(c->out);
	if (c->s && c->f)
		sock_put(c->s);
	free(c);
}

void ctl_release(struct ctl_cmd *c)
{
	if (c->job_pending)
		c->released = true; /* freed when the job comes back */
	else
		ctl_free(c);
}

void ctl_answer(struct ctl_cmd *c, int err)
{
	const char *op = c->verb ? c->verb->name : NULL;

	if (err < 0 && c->errno_in_reply && !c->gai && !c->msg[0]) {
		/* connect_ex: a socket error is the reply, not a failure. */
		json_decref(c->reply);
		c->reply = json_pack("{s:i, s:s}", "errno", -err, "name", names_errno_name(-err));
		err = 0;
	} else if (err == 0 && c->errno_in_reply && c->reply) {
		json_object_set_new(c->reply, "errno", json_integer(0));
	}
	if (err < 0) {
		json_t *e = c->gai ? err_gai_json(c->gai, c->gai_errno, op)
				   : err_json(-err, op, c->msg[0] ? c->msg : NULL);
		/* EAGAIN and EINTR are the caller's, not the socket's. */
		if (e && c->s && err != -EAGAIN && err != -EINTR)
			sock_set_error(c->s, json_incref(e));
		file_set_json(c->f, e);
		reply_err(c->req, -err);
		return;
	}
	{
		json_t *r = c->reply ? c->reply : json_object();
		c->reply = NULL;
		json_object_set_new(r, "ok", json_true());
		if (op)
			json_object_set_new(r, "op", json_string(op));
		file_set_json(c->f, r);
		reply_write(c->req, c->size);
	}
}

void ctl_finish(struct ctl_cmd *c, int err)
{
	if (err == CTL_PENDING)
		return;
	sock_unpark(&c->w);
	ctl_answer(c, err);
	ctl_release(c);
}

int ctl_fail(struct ctl_cmd *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	return -err;
}

/* Name the field a validation error is about: jansson reports the
 * position in the format, we count value specs up to it. */
static const char *ctl_field_at(const struct ctl_verb *v, const char *fmt, int pos, char *out,
				size_t outlen)
{
	int depth = 0, nvalue = 0;
	bool want_key = false;
	const char *args = v ? v->args : "";

	for (int i = 0; fmt[i] && i < pos - 1; i++) {
		char ch = fmt[i];
		if (ch == '{') {
			depth++;
			want_key = depth == 1;
			continue;
		}
		if (ch == '}') {
			depth--;
			continue;
		}
		if (depth != 1 || ch == ' ' || ch == ',' || ch == ':' || ch == '?' || ch == '*' ||
		    ch == '!')
			continue;
		if (want_key) {
			want_key = false;
		} else {
			nvalue++;
			want_key = true;
		}
	}
	/* nvalue values completed before the failing one: it is field nvalue
	 * (0 is "op"). */
	if (nvalue == 0) {
		snprintf(out, outlen, "op");
		return out;
	}
	for (int i = 1; i < nvalue && args; i++) {
		args = strchr(args, ' ');
		if (args)
			args++;
	}
	if (!args || !*args)
		return NULL;
	snprintf(out, outlen, "%.*s", (int)strcspn(args, " "), args);
	return out;
}

int ctl_unpack(struct ctl_cmd *c, const char *fmt, ...)
{
	json_error_t jerr;
	va_list ap;
	int r;
	char field[64];

	va_start(ap, fmt);
	r = json_vunpack_ex(c->args, &jerr, JSON_STRICT, fmt, ap);
	va_end(ap);
	if (r == 0 && c->check) {
		c->checked = true; /* valid: the handler must not go on */
		return -1;
	}
	if (r == 0)
		return 0;
	if (!strncmp(jerr.text, "Expected", 8) &&
	    ctl_field_at(c->verb, fmt, jerr.position, field, sizeof(field)))
		return ctl_fail(c, EINVAL, "%s: field \"%s\": %s", c->verb->name, field, jerr.text);
	return ctl_fail(c, EINVAL, "%s: %s (fields: %s)", c->verb->name, jerr.text,
			c->verb->args[0] ? c->verb->args : "none");
}

int ctl_park(struct ctl_cmd *c, const struct wait_ops *ops)
{
	c->w.ops = ops;
	return sock_park(c->s, &c->w, c->req, c->f, ((c->f->flags | c->flags) & O_NONBLOCK) != 0);
}

void ctl_wait_fail(struct wait *w, int err)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;

	c->gai = 0;
	c->msg[0] = 0;
	ctl_answer(c, -err);
}

void ctl_wait_release(struct wait *w)
{
	ctl_release((struct ctl_cmd *)w);
}

void ctl_audit(struct ctl_cmd *c, const char *event, json_t *fields)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(c->req);

	audit_event(event, ctx->pid, ctx->uid, c->s ? c->s->id : 0, fields);
}

json_t *ctl_addr_field(const struct addr *a)
{
	return json_pack("{s:o}", "address", addr_to_json(&a->u.sa, a->len));
}

int ctl_policy(struct ctl_cmd *c, enum policy_op op, const struct addr *a)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(c->req);
	struct policy_req r = {
	    .op = op,
	    .uid = ctx->uid,
	    .pid = ctx->pid,
	    .id = c->s->id,
	    .family = a		      ? a->u.sa.sa_family
		      : c->s->fd >= 0 ? c->s->family
				      : AF_INET,
	    .sa = a && a->len ? &a->u.sa : NULL,
	    .salen = a ? a->len : 0,
	};

	return policy_check(&r, c->msg, sizeof(c->msg));
}

int ctl_open_kernel(struct ctl_cmd *c, int family, int type, int proto)
{
	int err =
	    priv_socket(fuse_req_ctx(c->req)->pid, family, type, proto, c->msg, sizeof(c->msg));

	if (!err)
		err = sock_open_kernel(c->s, family, type, proto);
	if (err && proto == IPPROTO_MPTCP &&
	    (err == -EPROTONOSUPPORT || err == -ENOPROTOOPT || err == -EINVAL))
		ctl_fail(c, -err,
			 "IPPROTO_MPTCP: this kernel has no MPTCP, or it is disabled "
			 "(net.mptcp.enabled): %s",
			 strerror(-err));
	return err;
}

int ctl_as_caller(struct ctl_cmd *c, int (*call)(int, const struct sockaddr *, socklen_t), int fd,
		  const struct addr *a)
{
	struct asuser as = {0};
	int r, err;

	if (proto_fs_path(&a->u.sa, a->len)) {
		err = asuser_begin(c->req, &as);
		if (err) {
			errno = -err;
			return -1;
		}
	}
	r = call(fd, &a->u.sa, a->len);
	err = errno;
	asuser_end(&as);
	errno = err;
	return r;
}
