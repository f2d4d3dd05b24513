/* acceptfile.c - the accept file of a listening socket: a read accepts one
 * connection and gives its id; one connection per open file. */
#include "files.h"

#include "accept.h"
#include "audit.h"
#include "lifetime.h"
#include "proto.h"
#include "reply.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>

struct acceptfile_wait {
	struct wait w;
	size_t size;
};

/* Accept into f's bytes: 0, -EAGAIN when none waits, -errno. */
static int acceptfile_accept(fuse_req_t req, struct sfs_file *f)
{
	struct sock *ns;
	struct addr peer;
	int r = accept_one(req, f->s, &ns, &peer);

	if (r)
		return r;
	lifetime_set_creator(ns, f->pid);
	audit_event("socket.accept", f->pid, f->uid, f->s->id,
		    json_pack("{s:I, s:o}", "new_id", (json_int_t)ns->id, "address",
			      addr_to_json(&peer.u.sa, peer.len)));
	f->done = true;
	return file_set_id(f, ns->id);
}

static int acceptfile_attempt(struct wait *w)
{
	struct acceptfile_wait *aw = (struct acceptfile_wait *)w;
	int r;

	if (w->f->done) { /* another read of this open file took the connection */
		file_reply_buffered(w->req, w->f, aw->size);
		return 0;
	}
	r = acceptfile_accept(w->req, w->f);
	if (r == -EAGAIN)
		return r;
	if (r)
		reply_err(w->req, -r);
	else
		file_reply_buffered(w->req, w->f, aw->size);
	return 0;
}

static void acceptfile_fail(struct wait *w, int err)
{
	if (err == EBADF)
		reply_buf(w->req, NULL, 0);
	else
		reply_err(w->req, err);
}

static void acceptfile_release(struct wait *w)
{
	free(w);
}

static const struct wait_ops acceptfile_wait_ops = {
    .kind = WAIT_ACCEPT,
    .attempt = acceptfile_attempt,
    .fail = acceptfile_fail,
    .release = acceptfile_release,
};

void acceptfile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	struct acceptfile_wait *aw;

	if (f->buf || f->done || f->s->state == SOCK_ST_CLOSED) {
		file_reply_buffered(req, f, size);
		return;
	}
	if (f->s->state != SOCK_ST_LISTENING &&
	    !(f->s->state == SOCK_ST_BOUND && proto_accept_bound(f->s->family))) {
		reply_err(req, EINVAL);
		return;
	}
	aw = calloc(1, sizeof(*aw));
	if (!aw) {
		reply_err(req, ENOMEM);
		return;
	}
	aw->w.ops = &acceptfile_wait_ops;
	aw->size = size;
	sock_wait_or_fail(f->s, &aw->w, req, f, (flags & O_NONBLOCK) != 0);
}

unsigned acceptfile_poll(struct sfs_file *f)
{
	return f->done ? POLLIN | POLLHUP : sock_poll_mask(f->s) & (POLLIN | POLLERR | POLLHUP);
}
