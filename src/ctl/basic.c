/* basic.c - the verbs that are one socket call each: socket,
 * socketpair, shutdown, dup, close, getsockname, getpeername, autoclose. */
#include "cmd.h"
#include "ctl.h"
#include "verbs.h"

#include "audit.h"
#include "held.h"
#include "lifetime.h"
#include "limit.h"
#include "names.h"
#include "priv.h"
#include "proto.h"
#include "reply.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int ctl_name_or_int(json_t *v, const struct names_entry *table, const char *field, int *out,
			   char *msg, size_t msglen)
{
	if (json_is_integer(v) &&
	    (json_integer_value(v) < INT_MIN || json_integer_value(v) > INT_MAX)) {
		snprintf(msg, msglen, "%s: %" JSON_INTEGER_FORMAT " is out of range (a C int)",
			 field, json_integer_value(v));
		return -EINVAL;
	}
	if (json_is_integer(v)) {
		*out = (int)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && names_value(table, json_string_value(v), out) == 0)
		return 0;
	if (json_is_string(v))
		snprintf(msg, msglen, "unknown %s \"%s\"; known: %s", field, json_string_value(v),
			 names_list(table));
	else
		snprintf(msg, msglen, "%s must be a name or an integer", field);
	return -EINVAL;
}

/* The type: a name or an integer, with SOCK_NONBLOCK and SOCK_CLOEXEC
 * ("SOCK_STREAM|SOCK_NONBLOCK", or 2049) split off into *tflags, as the
 * socket module on Linux does. */
static int ctl_socket_type(json_t *v, int *type, int *tflags, char *msg, size_t msglen)
{
	const char *p, *end;
	int base = -1;

	if (json_is_integer(v)) {
		json_int_t t = json_integer_value(v);
		if (t < 0 || t > 0x7fffffff) {
			snprintf(msg, msglen, "type must be SOCK_* or an integer >= 0");
			return -EINVAL;
		}
		*type = (int)t & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
		*tflags = (int)t & (SOCK_NONBLOCK | SOCK_CLOEXEC);
		return 0;
	}
	if (!json_is_string(v))
		return ctl_name_or_int(v, names_sock, "type", type, msg, msglen);
	*tflags = 0;
	for (p = json_string_value(v); *p; p = *end ? end + 1 : end) {
		char name[32];
		int val;
		end = p + strcspn(p, "|");
		snprintf(name, sizeof(name), "%.*s", (int)(end - p), p);
		if (!strcmp(name, "SOCK_NONBLOCK"))
			*tflags |= SOCK_NONBLOCK;
		else if (!strcmp(name, "SOCK_CLOEXEC"))
			*tflags |= SOCK_CLOEXEC;
		else if (base < 0 && names_value(names_sock, name, &val) == 0)
			base = val;
		else
			goto bad;
	}
	if (base < 0)
		goto bad;
	*type = base;
	return 0;
bad:
	snprintf(msg, msglen,
		 "unknown type \"%.64s\": one of %s, with |SOCK_NONBLOCK or |SOCK_CLOEXEC",
		 json_string_value(v), names_list(names_sock));
	return -EINVAL;
}

int ctl_socket_args_flags(json_t *obj, int *family, int *type, int *proto, int *tflags, char *msg,
			  size_t msglen)
{
	json_t *v;

	*tflags = 0;
	if ((v = json_object_get(obj, "family")) &&
	    ctl_name_or_int(v, names_af, "family", family, msg, msglen))
		return -EINVAL;
	if ((v = json_object_get(obj, "type")) && ctl_socket_type(v, type, tflags, msg, msglen))
		return -EINVAL;
	/* A protocol name is the family's (NETLINK_ROUTE, CAN_RAW), else IPPROTO_*. */
	if ((v = json_object_get(obj, "proto")) && json_is_string(v))
		return proto_protocol(*family, json_string_value(v), proto, msg, msglen);
	if (v && ctl_name_or_int(v, names_ipproto, "proto", proto, msg, msglen))
		return -EINVAL;
	return 0;
}

int ctl_socket_args(json_t *obj, int *family, int *type, int *proto, char *msg, size_t msglen)
{
	int tflags;

	return ctl_socket_args_flags(obj, family, type, proto, &tflags, msg, msglen);
}

json_t *ctl_socket_json(int family, int type, int proto)
{
	const char *fam = family != AF_UNSPEC ? names_name(names_af, family) : NULL;
	const char *typ = names_name(names_sock, type);

	return json_pack("{s:o, s:o, s:i}", "family", fam ? json_string(fam) : json_null(), "type",
			 typ ? json_string(typ) : json_integer(type), "proto", proto);
}

int ctl_socket(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	json_t *family = NULL, *type = NULL, *proto = NULL;
	int fam = AF_UNSPEC, typ = s->type, pro = s->proto, tflags, err;

	if (ctl_unpack(c, "{s:s, s?o, s?o, s?o}", "op", &(const char *){0}, "family", &family,
		       "type", &type, "proto", &proto))
		return -EINVAL;
	if (ctl_socket_args_flags(c->args, &fam, &typ, &pro, &tflags, c->msg, sizeof(c->msg)))
		return -EINVAL;
	if (s->fd >= 0)
		return ctl_fail(c, EISCONN, "the socket already has a kernel socket (%s)",
				names_name(names_af, s->family));
	if (family) {
		err = ctl_open_kernel(c, fam, typ, pro);
		if (err)
			return err;
	} else {
		s->type = typ;
		s->proto = pro;
	}
	if (tflags & SOCK_NONBLOCK)
		s->timeout_ms = 0; /* as socket(): SOCK_NONBLOCK is timeout 0 */
	c->reply = ctl_socket_json(s->fd >= 0 ? s->family : AF_UNSPEC, s->type, s->proto);
	return 0;
}

int ctl_shutdown(struct ctl_cmd *c)
{
	json_t *how;
	int h, err;

	if (ctl_unpack(c, "{s:s, s:o}", "op", &(const char *){0}, "how", &how))
		return -EINVAL;
	if (json_is_integer(how) && json_integer_value(how) >= SHUT_RD &&
	    json_integer_value(how) <= SHUT_RDWR)
		h = (int)json_integer_value(how);
	else if (json_is_integer(how))
		return ctl_fail(c, EINVAL, "how must be 0, 1 or 2 (%s)", names_list(names_shut));
	else if (!json_is_string(how) || names_value(names_shut, json_string_value(how), &h))
		return ctl_fail(c, EINVAL, "how must be one of %s, or 0, 1, 2",
				names_list(names_shut));
	err = sock_shutdown(c->s, h);
	if (err)
		return err;
	c->reply = json_pack("{s:s}", "how", names_name(names_shut, h));
	/* Readers and pollers see the new state. */
	sock_run_waits(c->s, WAIT_READ);
	sock_notify_pollers(c->s);
	return 0;
}

/* dup: a new socket on a dup(2) of the same kernel socket, with the same
 * owner and timeout (socket.dup). */
int ctl_dup(struct ctl_cmd *c)
{
	struct sock *s = c->s, *ns;
	int fd, err;

	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	if (s->fd < 0)
		return ctl_fail(c, EBADF, "dup: the socket has no kernel socket yet");
	err = limit_check(s->uid);
	if (err)
		return ctl_fail(c, -err,
				"user %u has %zu sockets, the limit (max_sockets_per_user)",
				(unsigned)s->uid, limit_count(s->uid));
	fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = sock_new_fd(s->uid, s->gid, fd, s->family, s->type, s->proto, &ns);
	if (err)
		return err;
	ns->state = s->state == SOCK_ST_CLOSED ? SOCK_ST_OPEN : s->state;
	ns->timeout_ms = s->timeout_ms;
	audit_event("socket.__new__", fuse_req_ctx(c->req)->pid, fuse_req_ctx(c->req)->uid, ns->id,
		    ctl_socket_json(s->family, s->type, s->proto));
	c->reply = json_pack("{s:I}", "id", (json_int_t)ns->id);
	return 0;
}

/* closefd: close a descriptor this socket received (N/fdK, held.c). */
int ctl_closefd(struct ctl_cmd *c)
{
	int fd;

	if (ctl_unpack(c, "{s:s, s:i}", "op", &(const char *){0}, "fd", &fd))
		return -EINVAL;
	if (held_close(c->s->id, fd))
		return ctl_fail(c, EBADF, "closefd: this socket holds no descriptor %d (fd%d)", fd,
				fd);
	c->reply = json_pack("{s:i}", "fd", fd);
	return 0;
}

/* The close reply waits until the kernel forgot N/, so that N/ is gone
 * when the write returns. */
static void ctl_close_forgotten(void *arg)
{
	struct ctl_cmd *c = arg;

	c->job_pending = false;
	ctl_finish(c, 0);
}

int ctl_close(struct ctl_cmd *c)
{
	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	ctl_audit(c, "socket.close", NULL);
	sock_close(c->s);
	c->job_pending = true;
	if (reply_forget_dir(c->s->id, ctl_close_forgotten, c)) {
		c->job_pending = false;
		return 0;
	}
	return CTL_PENDING;
}

static int ctl_sockname(struct ctl_cmd *c, bool peer)
{
	struct addr a = {.len = sizeof(a.u)};
	int r;

	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	if (c->s->fd < 0)
		return peer ? -ENOTCONN : ctl_fail(c, EINVAL, "the socket is not bound");
	r = peer ? getpeername(c->s->fd, &a.u.sa, &a.len) : getsockname(c->s->fd, &a.u.sa, &a.len);
	if (r < 0)
		return -errno;
	c->reply = json_pack("{s:o}", "address", addr_to_json(&a.u.sa, a.len));
	return 0;
}

int ctl_getsockname(struct ctl_cmd *c)
{
	return ctl_sockname(c, false);
}

int ctl_getpeername(struct ctl_cmd *c)
{
	return ctl_sockname(c, true);
}

/* socketpair: this socket (no kernel socket yet) and a new one. */
int ctl_socketpair(struct ctl_cmd *c)
{
	struct sock *s = c->s, *second;
	int fam = AF_UNIX, typ = s->type, pro = s->proto, tflags, err;
	struct caller k;

	if (ctl_unpack(c, "{s:s, s?o, s?o, s?o}", "op", &(const char *){0}, "family",
		       &(json_t *){0}, "type", &(json_t *){0}, "proto", &(json_t *){0}))
		return -EINVAL;
	if (ctl_socket_args_flags(c->args, &fam, &typ, &pro, &tflags, c->msg, sizeof(c->msg)))
		return -EINVAL;
	if (s->fd >= 0)
		return ctl_fail(c, EISCONN,
				"the socket already has a kernel socket: use a fresh one from new");
	err = priv_socket(fam, typ, pro, c->msg, sizeof(c->msg));
	if (!err)
		err = ctl_caller_begin(c, &k);
	if (err)
		return err;
	err = server_socketpair(s, fam, typ, pro, &second); /* as the caller */
	caller_end(&k);
	caller_explain(CALLER_SOCKET, NULL, fuse_req_ctx(c->req)->uid, -err, c->msg,
		       sizeof(c->msg));
	if (err)
		return err;
	if (tflags & SOCK_NONBLOCK)
		s->timeout_ms = second->timeout_ms = 0;
	c->reply = json_pack("{s:[I, I]}", "ids", (json_int_t)s->id, (json_int_t)second->id);
	return 0;
}

/* autoclose: the socket ends with its last open file (lifetime.c). */
int ctl_autoclose(struct ctl_cmd *c)
{
	int enable = 1;

	if (ctl_unpack(c, "{s:s, s?b}", "op", &(const char *){0}, "enable", &enable))
		return -EINVAL;
	c->s->autoclose = enable;
	/* A socket made autoclose (clone) has no creator yet: whoever keeps
	 * it past its files is, for the reaper (-o reap). */
	if (!enable && !c->s->creator_pid)
		lifetime_set_creator(c->s, fuse_req_ctx(c->req)->pid);
	c->reply = json_pack("{s:b}", "autoclose", enable);
	return 0;
}

/* halfclose: whether closing data for writing shuts the sending side down,
 * as socat and ncat do at end of input (files/halfclose.c does it). */
int ctl_halfclose(struct ctl_cmd *c)
{
	json_t *enable = NULL;

	if (ctl_unpack(c, "{s:s, s?o}", "op", &(const char *){0}, "enable", &enable))
		return -EINVAL;
	if (enable && !json_is_boolean(enable) && !json_is_null(enable))
		return ctl_fail(c, EINVAL,
				"halfclose: enable must be true, false or null (the mount's "
				"default), got %s",
				json_is_string(enable) ? json_string_value(enable)
						       : "another type");
	c->s->halfclose = !enable ? 1 : json_is_null(enable) ? 0 : json_is_true(enable) ? 1 : -1;
	c->reply = json_pack("{s:o}", "halfclose",
			     enable && json_is_null(enable) ? json_null()
							    : json_boolean(c->s->halfclose > 0));
	return 0;
}
