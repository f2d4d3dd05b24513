/* ctl.c - JSON commands written to N/ctl, turned into socket calls.
 *
 * One table of verbs. Each handler unpacks its arguments with one strict
 * json_unpack_ex and returns 0 (reply ready), -errno, or CTL_PENDING when
 * it parked the request; a parked command ends through ctl_finish. */
#include "ctl.h"

#include "ctl_int.h"
#include "accept.h"
#include "addr.h"
#include "asuser.h"
#include "audit.h"
#include "data.h"
#include "dgram.h"
#include "err.h"
#include "fs.h"
#include "lifetime.h"
#include "limit.h"
#include "names.h"
#include "opts.h"
#include "policy.h"
#include "priv.h"
#include "server.h"
#include "sock.h"
#include "work.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum ctl_verb_id {
	CTL_SOCKET,
	CTL_CONNECT,
	CTL_BIND,
	CTL_LISTEN,
	CTL_ACCEPT,
	CTL_SHUTDOWN,
	CTL_CLOSE,
	CTL_GETSOCKNAME,
	CTL_GETPEERNAME,
	CTL_HELP,
	CTL_SOCKETPAIR,
	CTL_SETTIMEOUT,
	CTL_GETTIMEOUT,
	CTL_SETBLOCKING,
	CTL_GETBLOCKING,
	CTL_GETSOCKOPT,
	CTL_SETSOCKOPT,
	CTL_CONNECT_EX,
	CTL_RECV,
	CTL_SEND,
	CTL_AUTOCLOSE,
	CTL_NVERBS,
};

static const struct ctl_verb ctl_verbs[CTL_NVERBS];

/* Replies. */

static void ctl_free(struct ctl_cmd *c)
{
	json_decref(c->args);
	json_decref(c->reply);
	free(c->out);
	if (c->s)
		sock_put(c->s);
	free(c);
}

/* Answer the write: on success the reply becomes readable on the same
 * open file; on error the write fails with err and the error is kept. */
void ctl_finish(struct ctl_cmd *c, int err)
{
	const char *op = c->verb ? c->verb->name : NULL;

	if (err == CTL_PENDING)
		return; /* still parked, or waiting for a worker */
	if (c->parked) {
		sock_unpark(&c->w);
		c->parked = false;
	}
	if (err < 0 && c->verb == &ctl_verbs[CTL_CONNECT_EX] && !c->gai && !c->msg[0]) {
		/* connect_ex: a socket error is the reply, not a failure. */
		json_decref(c->reply);
		c->reply = json_pack("{s:i, s:s}", "errno", -err, "name", names_errno_name(-err));
		err = 0;
	} else if (err == 0 && c->verb == &ctl_verbs[CTL_CONNECT_EX] && c->reply) {
		json_object_set_new(c->reply, "errno", json_integer(0));
	}
	if (err < 0) {
		json_t *e;
		err = -err;
		if (c->gai)
			e = err_gai_json(c->gai, c->gai_errno, op);
		else
			e = err_json(err, op, c->msg[0] ? c->msg : NULL);
		if (c->s && e)
			sock_set_error(c->s, json_incref(e));
		fs_file_set_json(c->f, e);
		fuse_reply_err(c->req, err);
	} else {
		json_t *r = c->reply ? c->reply : json_object();
		c->reply = NULL;
		json_object_set_new(r, "ok", json_true());
		if (op)
			json_object_set_new(r, "op", json_string(op));
		fs_file_set_json(c->f, r);
		fuse_reply_write(c->req, c->size);
	}
	if (c->job_pending)
		c->cancelled = true; /* freed when the job comes back */
	else
		ctl_free(c);
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

/* One strict unpack; on failure the message says what was wrong. */
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

/* The audit log and the policy, for the process that made the command. */
static void ctl_audit(struct ctl_cmd *c, const char *event, json_t *fields)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(c->req);

	audit_event(event, ctx->pid, ctx->uid, c->s ? c->s->id : 0, fields);
}

static json_t *ctl_addr_field(const struct addr *a)
{
	return json_pack("{s:o}", "address", addr_to_json(&a->u.sa, a->len));
}

static int ctl_policy(struct ctl_cmd *c, enum policy_op op, const struct addr *a)
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

/* Make the kernel socket, if the calling process may. */
static int ctl_open_kernel(struct ctl_cmd *c, int family, int type, int proto)
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

/* socket */

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
	if ((v = json_object_get(obj, "proto")) &&
	    ctl_name_or_int(v, names_ipproto, "proto", proto, msg, msglen))
		return -EINVAL;
	return 0;
}

static json_t *ctl_sock_json(struct sock *s)
{
	const char *fam = names_name(names_af, s->family);
	const char *typ = names_name(names_sock, s->type);

	return json_pack("{s:o, s:o, s:i}", "family",
			 s->fd >= 0 && fam ? json_string(fam) : json_null(), "type",
			 typ ? json_string(typ) : json_integer(s->type), "proto", s->proto);
}

static int ctl_socket(struct ctl_cmd *c)
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
	c->reply = ctl_sock_json(s);
	return 0;
}

/* Addresses, resolved on a worker when they are names. */

static void ctl_resolve_job(void *arg)
{
	struct ctl_cmd *c = arg;
	struct addrinfo hints = {0}, *res, *ai;
	char port[16];

	hints.ai_family = c->name.family;
	hints.ai_socktype = c->s->type;
	hints.ai_protocol = c->s->proto;
	snprintf(port, sizeof(port), "%d", c->name.port);
	c->gai = getaddrinfo(c->name.host, port, &hints, &res);
	c->gai_errno = errno;
	if (c->gai)
		return;
	c->naddrs = 0;
	for (ai = res; ai && c->naddrs < CTL_MAX_ADDRS; ai = ai->ai_next) {
		struct addr *a = &c->addrs[c->naddrs];
		if (ai->ai_addrlen > sizeof(a->u))
			continue;
		memcpy(&a->u, ai->ai_addr, ai->ai_addrlen);
		a->len = ai->ai_addrlen;
		if (a->u.sa.sa_family == AF_INET6) {
			a->u.in6.sin6_flowinfo = htonl(c->name.flowinfo);
			if (c->name.scope_id)
				a->u.in6.sin6_scope_id = c->name.scope_id;
		}
		c->naddrs++;
	}
	freeaddrinfo(res);
}

static void ctl_resolve_done(void *arg)
{
	struct ctl_cmd *c = arg;

	c->job_pending = false;
	if (c->cancelled) {
		ctl_free(c);
		return;
	}
	if (c->gai) {
		ctl_finish(c, -err_gai_errno(c->gai, c->gai_errno));
		return;
	}
	c->gai = 0;
	ctl_finish(c, c->then(c));
}

static bool ctl_wait_never(struct wait *w)
{
	return false;
}

static void ctl_wait_cancel(struct wait *w, int err)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;

	c->parked = false; /* sock_unpark was done by the caller */
	c->gai = 0;
	c->msg[0] = 0;
	ctl_finish(c, -err);
}

/* Park c on its socket; -EAGAIN when the socket or the file is non-blocking. */
int ctl_park(struct ctl_cmd *c, enum wait_kind kind, bool (*ready)(struct wait *))
{
	int err;

	if (c->parked) {
		/* Already in line (connect moving to its next address). */
		c->w.ready = ready;
		return 0;
	}
	c->w.ready = ready;
	c->w.cancel = ctl_wait_cancel;
	c->w.nonblock = ((c->f->flags | c->flags) & O_NONBLOCK) != 0;
	err = sock_park(c->s, &c->w, kind, c->req, c->f);
	if (err)
		return err;
	c->parked = true;
	return 0;
}

/* Turn the JSON address into c->addrs, then run then(c) (at once, or when
 * a worker resolved the name). */
static int ctl_with_address(struct ctl_cmd *c, json_t *address, int (*then)(struct ctl_cmd *))
{
	int family = c->s->fd >= 0 ? c->s->family : c->s->family ? c->s->family : AF_UNSPEC;
	int r = addr_from_json(address, family, &c->addrs[0], &c->name, c->msg, sizeof(c->msg));

	c->then = then;
	if (r == 0) {
		c->naddrs = 1;
		return then(c);
	}
	if (r != -EAGAIN)
		return r;
	ctl_audit(c, "socket.getaddrinfo",
		  json_pack("{s:s, s:i, s:o}", "host", c->name.host, "port", c->name.port, "family",
			    names_name(names_af, c->name.family)
				? json_string(names_name(names_af, c->name.family))
				: json_null()));
	r = ctl_park(c, WAIT_CONNECT, ctl_wait_never);
	if (r == -EAGAIN) {
		/* Non-blocking: resolve anyway, but the caller waits; name
		 * lookups are not socket operations. */
		r = 0;
	}
	if (r)
		return r;
	c->job_pending = true;
	r = work_submit(ctl_resolve_job, ctl_resolve_done, c);
	if (r) {
		c->job_pending = false;
		return r;
	}
	return CTL_PENDING;
}

/* bind or connect; an AF_UNIX path with the caller's filesystem rights.
 * -1 with errno, as the call. */
static int ctl_as_caller(struct ctl_cmd *c, int (*call)(int, const struct sockaddr *, socklen_t),
			 int fd, const struct addr *a)
{
	struct asuser as = {0};
	int r, err;

	if (asuser_is_unix_path(&a->u.un, a->len)) {
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

/* connect */

static int ctl_connect_next(struct ctl_cmd *c);

static int ctl_connected(struct ctl_cmd *c)
{
	struct addr local = {.len = sizeof(local.u)}, peer = {.len = sizeof(peer.u)};
	struct sock *s = c->s;

	s->state = SOCK_ST_CONNECTED;
	getsockname(s->fd, &local.u.sa, &local.len);
	if (getpeername(s->fd, &peer.u.sa, &peer.len) < 0)
		peer = c->addrs[c->next];
	c->reply = json_pack("{s:o, s:o}", "address", addr_to_json(&peer.u.sa, peer.len), "local",
			     addr_to_json(&local.u.sa, local.len));
	return 0;
}

/* A failed attempt: drop the kernel socket this command made, try the
 * next address. */
static int ctl_connect_failed(struct ctl_cmd *c, int err)
{
	c->last_err = err;
	if (c->created) {
		sock_close_kernel(c->s);
		c->s->state = SOCK_ST_NEW;
		c->created = false;
	} else if (c->s->state == SOCK_ST_CONNECTING) {
		c->s->state = SOCK_ST_OPEN;
	}
	c->next++;
	if (c->next < c->naddrs && (c->s->fd < 0))
		return ctl_connect_next(c);
	return -err;
}

static bool ctl_connect_ready(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	int soerr = 0, r;
	socklen_t len = sizeof(soerr);
	struct addr peer = {.len = sizeof(peer.u)};

	if (c->s->fd < 0)
		return false;
	if (getsockopt(c->s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (!soerr && getpeername(c->s->fd, &peer.u.sa, &peer.len) < 0) {
		if (errno != ENOTCONN)
			soerr = errno;
		else
			return false; /* not yet */
	}
	r = soerr ? ctl_connect_failed(c, soerr) : ctl_connected(c);
	ctl_finish(c, r);
	return true;
}

static int ctl_connect_next(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	int err;

	for (; c->next < c->naddrs; c->next++) {
		struct addr *a = &c->addrs[c->next];
		err = ctl_policy(c, POLICY_CONNECT, a);
		if (err) {
			c->last_err = -err;
			c->denied = true;
			continue;
		}
		if (c->denied) { /* an earlier address was denied, not this one */
			c->msg[0] = 0;
			c->denied = false;
		}
		ctl_audit(c, "socket.connect", ctl_addr_field(a));
		if (s->fd < 0) {
			err = ctl_open_kernel(c, a->u.sa.sa_family, s->type, s->proto);
			if (err) {
				c->last_err = -err;
				continue;
			}
			c->created = true;
		}
		if (ctl_as_caller(c, connect, s->fd, a) == 0)
			return ctl_connected(c);
		if (errno == EINPROGRESS || errno == EALREADY) {
			s->state = SOCK_ST_CONNECTING;
			err = ctl_park(c, WAIT_CONNECT, ctl_connect_ready);
			if (err == -EAGAIN)
				return -EINPROGRESS; /* non-blocking: as connect(2) */
			return err ? err : CTL_PENDING;
		}
		err = errno;
		if (!c->created || c->next + 1 >= c->naddrs)
			return ctl_connect_failed(c, err);
		c->last_err = err;
		sock_close_kernel(s);
		s->state = SOCK_ST_NEW;
		c->created = false;
	}
	return -(c->last_err ? c->last_err : EINVAL);
}

static int ctl_connect_start(struct ctl_cmd *c)
{
	c->next = 0;
	return ctl_connect_next(c);
}

static int ctl_connect(struct ctl_cmd *c)
{
	json_t *address;

	if (ctl_unpack(c, "{s:s, s:o}", "op", &(const char *){0}, "address", &address))
		return -EINVAL;
	if (c->s->state == SOCK_ST_LISTENING)
		return ctl_fail(c, EISCONN, "the socket is listening");
	if (json_is_null(address)) {
		/* connect(AF_UNSPEC): a datagram socket forgets its peer. */
		int err = dgram_disconnect(c->s);
		if (err)
			return err;
		c->reply = json_pack("{s:n}", "address");
		return 0;
	}
	return ctl_with_address(c, address, ctl_connect_start);
}

/* bind */

/* Before a bind: the caller's right to the port, the policy, the audit
 * line, and the kernel socket if there is none yet. */
static int ctl_bind_prepare(struct ctl_cmd *c, const struct addr *a)
{
	struct sock *s = c->s;
	int err = priv_bind(fuse_req_ctx(c->req)->pid, a, c->msg, sizeof(c->msg));

	if (!err)
		err = ctl_policy(c, POLICY_BIND, a);
	if (err)
		return err;
	ctl_audit(c, "socket.bind", ctl_addr_field(a));
	if (s->fd < 0) {
		err = ctl_open_kernel(c, a->u.sa.sa_family, s->type, s->proto);
		if (err)
			return err;
		c->created = true;
	}
	return 0;
}

static int ctl_bind_first(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	struct addr *a = &c->addrs[0], local = {.len = sizeof(local.u)};
	int err;

	err = ctl_bind_prepare(c, a);
	if (err)
		return err;
	if (ctl_as_caller(c, bind, s->fd, a) < 0) {
		err = -errno;
		if (c->created) {
			sock_close_kernel(s);
			s->state = SOCK_ST_NEW;
		}
		return err;
	}
	s->state = SOCK_ST_BOUND;
	getsockname(s->fd, &local.u.sa, &local.len);
	c->reply = json_pack("{s:o}", "address", addr_to_json(&local.u.sa, local.len));
	return 0;
}

static int ctl_bind(struct ctl_cmd *c)
{
	json_t *address;

	if (ctl_unpack(c, "{s:s, s:o}", "op", &(const char *){0}, "address", &address))
		return -EINVAL;
	return ctl_with_address(c, address, ctl_bind_first);
}

/* listen */

/* The listen arguments, read again after an address was resolved. */
static void ctl_listen_args(struct ctl_cmd *c, int *backlog, bool *reuse_port, bool *dualstack)
{
	json_t *v;

	*backlog =
	    (v = json_object_get(c->args, "backlog")) ? (int)json_integer_value(v) : SOMAXCONN;
	if (*backlog < 0)
		*backlog = 0;
	*reuse_port = json_is_true(json_object_get(c->args, "reuse_port"));
	*dualstack = json_is_true(json_object_get(c->args, "dualstack_ipv6"));
}

static int ctl_listen_now(struct ctl_cmd *c, int backlog)
{
	struct addr local = {.len = sizeof(local.u)};
	struct sock *s = c->s;

	{
		struct addr bound = {.len = sizeof(bound.u)};
		int err;

		if (getsockname(s->fd, &bound.u.sa, &bound.len) < 0)
			bound.len = 0;
		err = ctl_policy(c, POLICY_LISTEN, &bound);
		if (err)
			return err;
	}
	ctl_audit(c, "socket.listen", json_pack("{s:i}", "backlog", backlog));
	if (listen(s->fd, backlog) < 0)
		return -errno;
	s->state = SOCK_ST_LISTENING;
	c->reply = json_pack("{s:i}", "backlog", backlog);
	/* create_server's form also tells the address it bound. */
	if (json_object_get(c->args, "address") && getsockname(s->fd, &local.u.sa, &local.len) == 0)
		json_object_set_new(c->reply, "address", addr_to_json(&local.u.sa, local.len));
	return 0;
}

/* create_server: options, bind, listen in one command. */
static int ctl_create_server(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	struct addr *a = &c->addrs[0];
	bool reuse_port, dualstack;
	int backlog, err;

	ctl_listen_args(c, &backlog, &reuse_port, &dualstack);
	err = ctl_bind_prepare(c, a);
	if (err)
		return err;
	err = server_options(s, reuse_port, dualstack, c->msg, sizeof(c->msg));
	if (!err && ctl_as_caller(c, bind, s->fd, a) < 0)
		err = -errno;
	if (!err)
		err = ctl_listen_now(c, backlog);
	if (err && c->created) {
		sock_close_kernel(s);
		s->state = SOCK_ST_NEW;
	}
	return err;
}

static int ctl_listen(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	json_t *address = NULL;
	int backlog = SOMAXCONN, err, rp = 0, ds = 0;
	bool reuse_port, dualstack;

	if (ctl_unpack(c, "{s:s, s?i, s?o, s?b, s?b}", "op", &(const char *){0}, "backlog",
		       &backlog, "address", &address, "reuse_port", &rp, "dualstack_ipv6", &ds))
		return -EINVAL;
	ctl_listen_args(c, &backlog, &reuse_port, &dualstack);
	if (dualstack && s->fd >= 0 && s->family != AF_INET6)
		return ctl_fail(c, EINVAL, "dualstack_ipv6 needs an AF_INET6 socket");
	if (dualstack && !server_has_dualstack_ipv6())
		return ctl_fail(c, EAFNOSUPPORT, "dualstack_ipv6 not supported on this platform");
	if (address) {
		int family = s->family;
		if (dualstack && s->fd < 0)
			s->family = AF_INET6; /* "" and "::" mean the IPv6 any address */
		err = ctl_with_address(c, address, ctl_create_server);
		if (err < 0 && s->fd < 0)
			s->family = family;
		return err;
	}
	if (s->fd < 0) {
		/* As socket.socket(): AF_INET unless told otherwise. */
		err = ctl_open_kernel(c, dualstack ? AF_INET6 : AF_INET, s->type, s->proto);
		if (err)
			return err;
	}
	if (reuse_port || dualstack) {
		err = server_options(s, reuse_port, dualstack, c->msg, sizeof(c->msg));
		if (err)
			return err;
	}
	return ctl_listen_now(c, backlog);
}

/* accept */

static int ctl_accepted(struct ctl_cmd *c, struct sock *ns, struct addr *peer)
{
	lifetime_set_creator(ns, fuse_req_ctx(c->req)->pid);
	ctl_audit(c, "socket.accept",
		  json_pack("{s:I, s:o}", "new_id", (json_int_t)ns->id, "address",
			    addr_to_json(&peer->u.sa, peer->len)));
	c->reply = json_pack("{s:I, s:o}", "id", (json_int_t)ns->id, "address",
			     addr_to_json(&peer->u.sa, peer->len));
	return 0;
}

static bool ctl_accept_ready(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	struct sock *ns;
	struct addr peer;
	int r = accept_one(c->s, &ns, &peer);

	if (r == -EAGAIN)
		return false;
	ctl_finish(c, r ? r : ctl_accepted(c, ns, &peer));
	return true;
}

static int ctl_accept(struct ctl_cmd *c)
{
	struct sock *ns;
	struct addr peer;
	int r;

	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	r = accept_one(c->s, &ns, &peer);
	if (r == 0)
		return ctl_accepted(c, ns, &peer);
	if (r == -EINVAL)
		return ctl_fail(c, EINVAL, "the socket is not listening");
	if (r != -EAGAIN || !list_empty(&c->s->waits[WAIT_ACCEPT]))
		if (r != -EAGAIN)
			return r;
	r = ctl_park(c, WAIT_ACCEPT, ctl_accept_ready);
	return r ? r : CTL_PENDING;
}

/* shutdown, close, names */

static int ctl_shutdown(struct ctl_cmd *c)
{
	const char *how;
	int h, err;

	if (ctl_unpack(c, "{s:s, s:s}", "op", &(const char *){0}, "how", &how))
		return -EINVAL;
	if (names_value(names_shut, how, &h))
		return ctl_fail(c, EINVAL, "how must be one of %s", names_list(names_shut));
	if (c->s->fd < 0)
		return -ENOTCONN;
	err = data_shutdown(c->s, h);
	if (err)
		return err;
	c->reply = json_pack("{s:s}", "how", how);
	/* Readers and pollers see the new state. */
	sock_run_waits(c->s, WAIT_READ);
	sock_notify_pollers(c->s);
	return 0;
}

/* The close reply waits until the kernel forgot N/, so that N/ is gone
 * when the write returns. The call runs on a worker: the kernel may need
 * the root directory's lock, held by a request that waits for the loop. */
static void ctl_close_inval_job(void *arg)
{
	struct ctl_cmd *c = arg;
	char name[24];

	snprintf(name, sizeof(name), "%" PRIu64, c->s->id);
	fuse_lowlevel_notify_inval_entry(fs_session, FUSE_ROOT_ID, name, strlen(name));
}

static void ctl_close_inval_done(void *arg)
{
	struct ctl_cmd *c = arg;

	c->job_pending = false;
	ctl_finish(c, 0);
}

static int ctl_close(struct ctl_cmd *c)
{
	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	ctl_audit(c, "socket.close", NULL);
	sock_close(c->s);
	if (!fs_session)
		return 0;
	c->job_pending = true;
	if (work_submit(ctl_close_inval_job, ctl_close_inval_done, c)) {
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

static int ctl_getsockname(struct ctl_cmd *c)
{
	return ctl_sockname(c, false);
}

static int ctl_getpeername(struct ctl_cmd *c)
{
	return ctl_sockname(c, true);
}

static int ctl_help(struct ctl_cmd *c)
{
	json_t *ops;

	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	ops = json_array();
	for (int i = 0; i < CTL_NVERBS; i++)
		json_array_append_new(ops,
				      json_pack("{s:s, s:s, s:s}", "op", ctl_verbs[i].name, "args",
						ctl_verbs[i].args, "help", ctl_verbs[i].help));
	c->reply = json_pack("{s:o}", "ops", ops);
	return 0;
}

/* socketpair: this socket (no kernel socket yet) and a new one. */
static int ctl_socketpair(struct ctl_cmd *c)
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

/* connect_ex: connect, with the errno in the reply (see ctl_finish). */
static int ctl_connect_ex(struct ctl_cmd *c)
{
	return ctl_connect(c);
}

/* autoclose: the socket ends with its last open file (lifetime.c). */
static int ctl_autoclose(struct ctl_cmd *c)
{
	int enable = 1;

	if (ctl_unpack(c, "{s:s, s?b}", "op", &(const char *){0}, "enable", &enable))
		return -EINVAL;
	c->s->autoclose = enable;
	c->reply = json_pack("{s:b}", "autoclose", enable);
	return 0;
}

static const struct ctl_verb ctl_verbs[CTL_NVERBS] = {
    [CTL_SOCKET] = {"socket", ctl_socket, "family type proto",
		    "create the kernel socket (family) or set type/proto for the first "
		    "connect/bind"},
    [CTL_CONNECT] = {"connect", ctl_connect, "address",
		     "connect to an address, trying every address of a host name; "
		     "address null dissolves a datagram socket's peer"},
    [CTL_BIND] = {"bind", ctl_bind, "address", "bind to a local address"},
    [CTL_LISTEN] = {"listen", ctl_listen, "backlog address reuse_port dualstack_ipv6",
		    "listen for connections; with address, bind first (create_server)"},
    [CTL_ACCEPT] = {"accept", ctl_accept, "", "wait for a connection; reply id and address"},
    [CTL_SHUTDOWN] = {"shutdown", ctl_shutdown, "how", "shut down SHUT_RD, SHUT_WR or SHUT_RDWR"},
    [CTL_CLOSE] = {"close", ctl_close, "", "close the socket"},
    [CTL_GETSOCKNAME] = {"getsockname", ctl_getsockname, "", "the local address"},
    [CTL_GETPEERNAME] = {"getpeername", ctl_getpeername, "", "the peer's address"},
    [CTL_HELP] = {"help", ctl_help, "", "list the commands"},
    [CTL_SOCKETPAIR] = {"socketpair", ctl_socketpair, "family type proto",
			"make this socket and a new one a connected pair; reply ids"},
    [CTL_SETTIMEOUT] = {"settimeout", ctl_io_settimeout, "timeout",
			"seconds (a number) for timeout mode, 0 for non-blocking, null for "
			"blocking"},
    [CTL_GETTIMEOUT] = {"gettimeout", ctl_io_gettimeout, "", "the timeout: seconds or null"},
    [CTL_SETBLOCKING] = {"setblocking", ctl_io_setblocking, "flag",
			 "true: blocking (timeout null); false: non-blocking (timeout 0)"},
    [CTL_GETBLOCKING] = {"getblocking", ctl_io_getblocking, "", "false when the timeout is 0"},
    [CTL_GETSOCKOPT] = {"getsockopt", ctl_io_getsockopt, "level optname buflen",
			"read an option by number or name: int, or bytes (base64) with buflen"},
    [CTL_SETSOCKOPT] = {"setsockopt", ctl_io_setsockopt, "level optname int bytes",
			"set an option by number or name to an int or bytes (base64)"},
    [CTL_CONNECT_EX] = {"connect_ex", ctl_connect_ex, "address",
			"connect; the reply carries errno (0, EINPROGRESS, ECONNREFUSED...)"},
    [CTL_RECV] = {"recv", ctl_io_recv, "bufsize flags encoding",
		  "receive up to bufsize bytes with MSG_* flags; reply data and encoding"},
    [CTL_SEND] = {"send", ctl_io_send, "data encoding flags",
		  "send data (utf-8 or base64) with MSG_* flags; reply bytes sent"},
    [CTL_AUTOCLOSE] = {"autoclose", ctl_autoclose, "enable",
		       "close the socket when its last open file is closed (enable: true)"},
};

static const char *ctl_verb_list(void)
{
	static char list[512];

	if (!list[0]) {
		size_t pos = 0;
		for (int i = 0; i < CTL_NVERBS; i++)
			pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%s",
						i ? ", " : "", ctl_verbs[i].name);
	}
	return list;
}

/* Parse a written buffer as one JSON object. */
json_t *ctl_parse(const char *buf, size_t size, char *msg, size_t msglen)
{
	json_error_t jerr;
	json_t *j = json_loadb(buf, size, JSON_ALLOW_NUL, &jerr);

	if (!j) {
		snprintf(msg, msglen, "invalid JSON: %s at line %d column %d", jerr.text, jerr.line,
			 jerr.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		snprintf(msg, msglen, "a command is a JSON object, like {\"op\":\"help\"}");
		json_decref(j);
		return NULL;
	}
	return j;
}

static struct ctl_cmd *ctl_cmd_new(fuse_req_t req, struct sfs_file *f, size_t size)
{
	struct ctl_cmd *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->req = req;
	c->f = f;
	c->size = size;
	c->s = f->s;
	c->flags = f->flags;
	if (c->s)
		sock_get(c->s);
	return c;
}

/* The written buffer as c->args and its verb as c->verb: 0, or -EINVAL
 * with c->msg. */
static int ctl_decode(struct ctl_cmd *c, const char *buf, size_t size)
{
	const char *op;
	json_error_t jerr;

	c->args = ctl_parse(buf, size, c->msg, sizeof(c->msg));
	if (!c->args)
		return -EINVAL;
	if (json_unpack_ex(c->args, &jerr, 0, "{s:s}", "op", &op))
		return ctl_fail(c, EINVAL, "a command needs \"op\", a string: one of %s",
				ctl_verb_list());
	for (int i = 0; i < CTL_NVERBS; i++) {
		if (!strcmp(op, ctl_verbs[i].name)) {
			c->verb = &ctl_verbs[i];
			return 0;
		}
	}
	return ctl_fail(c, EINVAL, "unknown op \"%.64s\"; valid ops: %s", op, ctl_verb_list());
}

void ctl_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	struct ctl_cmd *c = ctl_cmd_new(req, f, size);
	int err;

	if (!c) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (f->s->state == SOCK_ST_CLOSED) {
		ctl_finish(c, ctl_fail(c, EBADF, "the socket is closed"));
		return;
	}
	c->flags = flags;
	err = ctl_decode(c, buf, size);
	ctl_finish(c, err ? err : c->verb->fn(c));
}

int ctl_check(const char *buf, size_t size, char *msg, size_t msglen)
{
	struct sock none = {.fd = -1};
	struct ctl_cmd *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	c->s = &none;
	c->check = true;
	err = ctl_decode(c, buf, size);
	if (!err) {
		err = c->verb->fn(c);
		if (c->checked)
			err = 0;
	}
	snprintf(msg, msglen, "%s", c->msg);
	c->s = NULL;
	ctl_free(c);
	return err;
}
