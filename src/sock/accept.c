/* accept.c - taking connections off a listening socket. */
#include "accept.h"

#include "caller.h"
#include "limit.h"
#include "proto.h"
#include "sock.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

int accept_one(fuse_req_t req, struct sock *s, struct sock **out, struct addr *peer)
{
	struct caller k;
	struct sock *ns;
	int fd, err;

	if (s->fd < 0 || (s->state != SOCK_ST_LISTENING &&
			  !(s->state == SOCK_ST_BOUND && proto_accept_bound(s->family))))
		return -EINVAL;
	/* Over the owner's limit the connection stays queued, as accept(2)
	 * leaves it when the process is out of descriptors. */
	err = limit_check(s->uid);
	if (err)
		return err;
	peer->len = sizeof(peer->u);
	err = caller_begin(req, &k);
	if (err)
		return err;
	fd = accept4(s->fd, &peer->u.sa, &peer->len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	err = fd < 0 ? (errno == EWOULDBLOCK ? -EAGAIN : -errno) : 0;
	caller_end(&k);
	if (err)
		return err;
	err = sock_new_fd(s->uid, s->gid, fd, s->family, s->type, s->proto, &ns);
	if (err)
		return err;
	ns->state = SOCK_ST_CONNECTED;
	*out = ns;
	return 0;
}
