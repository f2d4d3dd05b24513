/* connect.c - connect and connect_ex: every address of a host name in
 * turn, each under the policy, waiting for the kernel when it takes time. */
#include "cmd.h"
#include "verbs.h"

#include "message.h"

#include <errno.h>
#include <sys/socket.h>

static int ctl_connect_next(struct ctl_cmd *c);

/* known: the peer's address when the caller asked the kernel already. */
static int ctl_connected(struct ctl_cmd *c, const struct addr *known)
{
	struct addr local = {.len = sizeof(local.u)}, peer = {.len = sizeof(peer.u)};
	struct sock *s = c->s;

	s->state = SOCK_ST_CONNECTED;
	getsockname(s->fd, &local.u.sa, &local.len);
	if (known)
		peer = *known;
	else if (getpeername(s->fd, &peer.u.sa, &peer.len) < 0)
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
	/* The last address failed: reads and writes parked on the socket
	 * end with the error, as a blocked recv(2) would. */
	if (c->s->fd < 0)
		sock_fail_waits(c->s, err);
	return -err;
}

static int ctl_connect_attempt(struct wait *w)
{
	struct ctl_cmd *c = (struct ctl_cmd *)w;
	int soerr = 0, r;
	socklen_t len = sizeof(soerr);
	struct addr peer = {.len = sizeof(peer.u)};

	if (c->s->fd < 0)
		return -EAGAIN;
	if (getsockopt(c->s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (!soerr && getpeername(c->s->fd, &peer.u.sa, &peer.len) < 0) {
		if (errno != ENOTCONN)
			soerr = errno;
		else
			return -EAGAIN; /* not yet */
	}
	r = soerr ? ctl_connect_failed(c, soerr) : ctl_connected(c, &peer);
	if (r == CTL_PENDING)
		return -EAGAIN; /* the next address, still in line */
	ctl_answer(c, r);
	return 0;
}

static const struct wait_ops ctl_connect_wait = {
    .kind = WAIT_CONNECT,
    .attempt = ctl_connect_attempt,
    .fail = ctl_wait_fail,
    .release = ctl_wait_release,
};

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
			return ctl_connected(c, NULL);
		if (errno == EINPROGRESS || errno == EALREADY) {
			s->state = SOCK_ST_CONNECTING;
			err = ctl_park(c, &ctl_connect_wait);
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

int ctl_connect(struct ctl_cmd *c)
{
	json_t *address;

	if (ctl_unpack(c, "{s:s, s:o}", "op", &(const char *){0}, "address", &address))
		return -EINVAL;
	if (c->s->state == SOCK_ST_LISTENING)
		return ctl_fail(c, EISCONN, "the socket is listening");
	if (json_is_null(address)) {
		/* connect(AF_UNSPEC): a datagram socket forgets its peer. */
		int err = message_disconnect(c->s);
		if (err)
			return err;
		c->reply = json_pack("{s:n}", "address");
		return 0;
	}
	return ctl_with_address(c, address, ctl_connect_start);
}

/* connect_ex: connect, with the errno in the reply (ctl_answer). */
int ctl_connect_ex(struct ctl_cmd *c)
{
	c->errno_in_reply = true;
	return ctl_connect(c);
}
