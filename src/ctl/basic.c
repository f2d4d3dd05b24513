/* basic.c - the verbs that are one socket call each: socket,
 * socketpair, shutdown, close, getsockname, getpeername, autoclose. */
#include "cmd.h"
#include "ctl.h"
#include "verbs.h"

#include "lifetime.h"
#include "names.h"
#include "priv.h"
#include "proto.h"
#include "reply.h"
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int ctl_name_or_int(json_t *v, const struct names_entry *table, const char *field, int *out,
			   char *msg, size_t msglen)
{
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

int ctl_socket_args(json_t *obj, int *family, int *type, int *proto, char *msg, size_t msglen)
{
	json_t *v;

	if ((v = json_object_get(obj, "family")) &&
	    ctl_name_or_int(v, names_af, "family", family, msg, msglen))
		return -EINVAL;
	if ((v = json_object_get(obj, "type")) &&
	    ctl_name_or_int(v, names_sock, "type", type, msg, msglen))
		return -EINVAL;
	/* A protocol name is the family's (NETLINK_ROUTE, CAN_RAW), else IPPROTO_*. */
	if ((v = json_object_get(obj, "proto")) && json_is_string(v))
		return proto_protocol(*family, json_string_value(v), proto, msg, msglen);
	if (v && ctl_name_or_int(v, names_ipproto, "proto", proto, msg, msglen))
		return -EINVAL;
	return 0;
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
	int fam = AF_UNSPEC, typ = s->type, pro = s->proto, err;

	if (ctl_unpack(c, "{s:s, s?o, s?o, s?o}", "op", &(const char *){0}, "family", &family,
		       "type", &type, "proto", &proto))
		return -EINVAL;
	if (ctl_socket_args(c->args, &fam, &typ, &pro, c->msg, sizeof(c->msg)))
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
	c->reply = ctl_socket_json(s->fd >= 0 ? s->family : AF_UNSPEC, s->type, s->proto);
	return 0;
}

int ctl_shutdown(struct ctl_cmd *c)
{
	const char *how;
	int h, err;

	if (ctl_unpack(c, "{s:s, s:s}", "op", &(const char *){0}, "how", &how))
		return -EINVAL;
	if (names_value(names_shut, how, &h))
		return ctl_fail(c, EINVAL, "how must be one of %s", names_list(names_shut));
	err = sock_shutdown(c->s, h);
	if (err)
		return err;
	c->reply = json_pack("{s:s}", "how", how);
	/* Readers and pollers see the new state. */
	sock_run_waits(c->s, WAIT_READ);
	sock_notify_pollers(c->s);
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
	int fam = AF_UNIX, typ = s->type, pro = s->proto, err;

	if (ctl_unpack(c, "{s:s, s?o, s?o, s?o}", "op", &(const char *){0}, "family",
		       &(json_t *){0}, "type", &(json_t *){0}, "proto", &(json_t *){0}))
		return -EINVAL;
	if (ctl_socket_args(c->args, &fam, &typ, &pro, c->msg, sizeof(c->msg)))
		return -EINVAL;
	if (s->fd >= 0)
		return ctl_fail(c, EISCONN,
				"the socket already has a kernel socket: use a fresh one from new");
	err = priv_socket(fuse_req_ctx(c->req)->pid, fam, typ, pro, c->msg, sizeof(c->msg));
	if (err)
		return err;
	err = server_socketpair(s, fam, typ, pro, &second);
	if (err)
		return err;
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
	c->reply = json_pack("{s:b}", "autoclose", enable);
	return 0;
}
