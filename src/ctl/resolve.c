/* resolve.c - addresses of commands: numeric ones at once, host names on
 * a worker (the loop never waits for DNS) while the command waits. */
#include "cmd.h"

#include "err.h"
#include "names.h"
#include "work.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the worker reads and writes: its own copy, never the command's
 * fields, which the loop may be answering meanwhile. */
struct ctl_resolve {
	struct ctl_cmd *c;
	struct addr_name name;
	int socktype, protocol;
	int gai, gai_errno;
	struct addr addrs[CTL_MAX_ADDRS];
	size_t naddrs;
};

static void ctl_resolve_job(void *arg)
{
	struct ctl_resolve *r = arg;
	struct addrinfo hints = {0}, *res, *ai;
	char port[16];

	hints.ai_family = r->name.family;
	hints.ai_socktype = r->socktype;
	hints.ai_protocol = r->protocol;
	snprintf(port, sizeof(port), "%d", r->name.port);
	r->gai = getaddrinfo(r->name.host, port, &hints, &res);
	r->gai_errno = errno;
	if (r->gai)
		return;
	for (ai = res; ai && r->naddrs < CTL_MAX_ADDRS; ai = ai->ai_next) {
		struct addr *a = &r->addrs[r->naddrs];
		if (ai->ai_addrlen > sizeof(a->u))
			continue;
		memcpy(&a->u, ai->ai_addr, ai->ai_addrlen);
		a->len = ai->ai_addrlen;
		if (a->u.sa.sa_family == AF_INET6) {
			a->u.in6.sin6_flowinfo = htonl(r->name.flowinfo);
			if (r->name.scope_id)
				a->u.in6.sin6_scope_id = r->name.scope_id;
		}
		r->naddrs++;
	}
	freeaddrinfo(res);
}

static void ctl_resolve_done(void *arg)
{
	struct ctl_resolve *r = arg;
	struct ctl_cmd *c = r->c;

	c->job_pending = false;
	if (c->released) { /* answered meanwhile (interrupt, timeout, close) */
		ctl_release(c);
		goto free_job;
	}
	sock_unpark(&c->w);
	if (c->s->state == SOCK_ST_CLOSED) {
		ctl_finish(c,
			   ctl_fail(c, EBADF, "the socket was closed while its address resolved"));
		goto free_job;
	}
	if (r->gai) {
		c->gai = r->gai;
		c->gai_errno = r->gai_errno;
		ctl_finish(c, -err_gai_errno(r->gai, r->gai_errno));
		goto free_job;
	}
	memcpy(c->addrs, r->addrs, sizeof(r->addrs[0]) * r->naddrs);
	c->naddrs = r->naddrs;
	ctl_finish(c, c->then(c));
free_job:
	free(r);
}

static int ctl_wait_never(struct wait *w)
{
	return -EAGAIN;
}

static const struct wait_ops ctl_resolve_wait = {
    .kind = WAIT_CONNECT,
    .attempt = ctl_wait_never,
    .fail = ctl_wait_fail,
    .release = ctl_wait_release,
};

int ctl_with_address(struct ctl_cmd *c, json_t *address, int (*then)(struct ctl_cmd *))
{
	int family = c->s->fd >= 0 ? c->s->family : c->s->family ? c->s->family : AF_UNSPEC;
	struct ctl_resolve *r;
	int err;

	c->then = then;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = addr_from_json_proto(address, family, c->s->proto, &c->addrs[0], &r->name, c->msg,
				   sizeof(c->msg));
	if (err != -EAGAIN) {
		free(r);
		if (err)
			return err;
		c->naddrs = 1;
		return then(c);
	}
	ctl_audit(c, "socket.getaddrinfo",
		  json_pack("{s:s, s:i, s:o}", "host", r->name.host, "port", r->name.port, "family",
			    names_name(names_af, r->name.family)
				? json_string(names_name(names_af, r->name.family))
				: json_null()));
	/* The policy's lookup rules: a host name is a lookup before it is
	 * an address (a DNS channel otherwise). */
	{
		const struct fuse_ctx *ctx = fuse_req_ctx(c->req);
		struct policy_req pr = {.op = POLICY_LOOKUP,
					.uid = ctx->uid,
					.pid = ctx->pid,
					.id = c->s->id,
					.name = r->name.host};
		err = policy_check(&pr, c->msg, sizeof(c->msg));
		if (err) {
			free(r);
			return err;
		}
	}
	/* Non-blocking: resolve anyway, but the caller waits; name lookups
	 * are not socket operations. */
	err = ctl_park(c, &ctl_resolve_wait);
	if (err && err != -EAGAIN)
		goto free_job;
	r->c = c;
	r->socktype = c->s->type;
	r->protocol = c->s->proto;
	c->job_pending = true;
	err = work_submit(ctl_resolve_job, ctl_resolve_done, r);
	if (err) {
		c->job_pending = false;
		sock_unpark(&c->w);
		goto free_job;
	}
	return CTL_PENDING;
free_job:
	free(r);
	return err;
}
