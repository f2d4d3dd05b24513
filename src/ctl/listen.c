/* listen.c - bind, listen (with create_server's address form) and the
 * accept command. */
#include "cmd.h"
#include "verbs.h"

#include "accept.h"
#include "lifetime.h"
#include "server.h"

#include <errno.h>
#include <sys/socket.h>

/* Before a bind: the policy, the audit line, and the kernel socket if
 * there is none yet. The kernel checks the caller's right to the port:
 * the bind runs with its credentials. */
static int ctl_bind_prepare(struct ctl_cmd *c, const struct addr *a)
{
	struct sock *s = c->s;
	int err = ctl_policy(c, POLICY_BIND, a);

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
		caller_explain(CALLER_BIND, NULL, fuse_req_ctx(c->req)->uid, -err, c->msg,
			       sizeof(c->msg));
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

int ctl_bind(struct ctl_cmd *c)
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
	struct addr bound = {.len = sizeof(bound.u)};
	struct sock *s = c->s;
	struct caller k;
	int err;

	if (getsockname(s->fd, &bound.u.sa, &bound.len) < 0)
		bound.len = 0;
	err = ctl_policy(c, POLICY_LISTEN, &bound);
	if (err)
		return err;
	ctl_audit(c, "socket.listen", json_pack("{s:i}", "backlog", backlog));
	/* SO_PEERCRED of the connections it takes: the caller's. */
	err = ctl_caller_begin(c, &k);
	if (err)
		return err;
	err = listen(s->fd, backlog) < 0 ? -errno : 0;
	caller_end(&k);
	if (err)
		return err;
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
	struct caller k;
	int backlog, err;

	ctl_listen_args(c, &backlog, &reuse_port, &dualstack);
	err = ctl_bind_prepare(c, a);
	if (err)
		return err;
	err = ctl_caller_begin(c, &k);
	if (!err) {
		err = server_options(s, reuse_port, dualstack, c->msg, sizeof(c->msg));
		if (!err && bind(s->fd, &a->u.sa, a->len) < 0) {
			err = -errno;
			caller_explain(CALLER_BIND, NULL, fuse_req_ctx(c->req)->uid, -err, c->msg,
				       sizeof(c->msg));
		}
		caller_end(&k);
	}
	if (!err)
		err = ctl_listen_now(c, backlog);
	if (err && c->created) {
		sock_close_kernel(s);
		s->state = SOCK_ST_NEW;
	}
	return err;
}

int ctl_listen(struct ctl_cmd *c)
{
	struct sock *s = c->s;
	json_t *address = NULL;
	int backlog = SOMAXCONN, err, rp = 0, ds = 0;
	bool reuse_port, dualstack;

	if (ctl_unpack(c, "{s:s, s?i, s?o, s?b, s?b}", "op", &(const char *){0}, "backlog",
		       &backlog, "address", &address, "reuse_port", &rp, "dualstack_ipv6", &ds))
		return -EINVAL;
	ctl_listen_args(c, &backlog, &reuse_port, &dualstack);
	if (dualstack && s->fd >= 0 && !(proto_opts(s->family, s->type, s->proto) & PROTO_OPT_IP6))
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
		struct caller k;
		err = ctl_caller_begin(c, &k);
		if (err)
			return err;
		err = server_options(s, reuse_port, dualstack, c->msg, sizeof(c->msg));
		caller_end(&k);
		if (err)
			return err;
	}
	return ctl_listen_now(c, backlog);
}

/* The accept command (the accept file is files/acceptfile.c). */

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

static int ctl_accept_attempt(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	struct sock *ns;
	struct addr peer;
	int r = accept_one(c->req, c->s, &ns, &peer);

	if (r == -EAGAIN)
		return r;
	ctl_answer(c, r ? r : ctl_accepted(c, ns, &peer));
	return 0;
}

static const struct wait_ops ctl_accept_wait = {
    .kind = WAIT_ACCEPT,
    .attempt = ctl_accept_attempt,
    .fail = ctl_wait_fail,
    .release = ctl_wait_release,
};

int ctl_accept(struct ctl_cmd *c)
{
	struct sock *ns;
	struct addr peer;
	int r;

	if (ctl_unpack(c, "{s:s}", "op", &(const char *){0}))
		return -EINVAL;
	r = accept_one(c->req, c->s, &ns, &peer);
	if (r == 0)
		return ctl_accepted(c, ns, &peer);
	if (r == -EINVAL)
		return ctl_fail(c, EINVAL, "the socket is not listening");
	if (r != -EAGAIN)
		return r;
	r = ctl_park(c, &ctl_accept_wait);
	return r ? r : CTL_PENDING;
}
