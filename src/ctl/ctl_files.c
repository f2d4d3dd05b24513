/* ctl_files.c - the files of the ctl module that are not N/ctl: writes to
 * new (a socket of a chosen family, type and proto) and to N/opts, and reads
 * of N/accept (one connection per open file). */
#include "ctl.h"

#include "accept.h"
#include "audit.h"
#include "ctl_int.h"
#include "err.h"
#include "fs.h"
#include "lifetime.h"
#include "limit.h"
#include "names.h"
#include "opts.h"
#include "priv.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void ctl_new_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size)
{
	char msg[256] = "";
	json_t *args = ctl_parse(buf, size, msg, sizeof(msg));
	int family = AF_UNSPEC, type = SOCK_STREAM, proto = 0, err = -EINVAL;
	json_error_t jerr;
	struct sock *s;
	char line[32];
	int n;

	if (!args)
		goto fail;
	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s?s, s?o, s?o, s?o}", "op",
			   &(const char *){0}, "family", &(json_t *){0}, "type", &(json_t *){0},
			   "proto", &(json_t *){0})) {
		snprintf(msg, sizeof(msg), "new: %s (fields: family type proto)", jerr.text);
		goto fail;
	}
	if (ctl_socket_args(args, &family, &type, &proto, msg, sizeof(msg)))
		goto fail;
	err = priv_socket(fuse_req_ctx(req)->pid, family, type, proto, msg, sizeof(msg));
	if (err)
		goto fail;
	err = limit_check(f->uid);
	if (err) {
		snprintf(msg, sizeof(msg),
			 "user %u has %zu sockets, the limit (max_sockets_per_user)",
			 (unsigned)f->uid, limit_count(f->uid));
		goto fail;
	}
	err = -EINVAL;
	s = sock_new(f->uid, f->gid);
	if (!s) {
		err = -ENOMEM;
		goto fail;
	}
	s->type = type;
	s->proto = proto;
	if (family != AF_UNSPEC) {
		err = sock_open_kernel(s, family, type, proto);
		if (err) {
			msg[0] = 0;
			if (proto == IPPROTO_MPTCP)
				snprintf(msg, sizeof(msg),
					 "IPPROTO_MPTCP: this kernel has no MPTCP, or it is "
					 "disabled (net.mptcp.enabled): %s",
					 strerror(-err));
			sock_close(s);
			goto fail;
		}
	}
	json_decref(args);
	lifetime_set_creator(s, fuse_req_ctx(req)->pid);
	audit_event("socket.__new__", fuse_req_ctx(req)->pid, f->uid, s->id,
		    json_pack("{s:o, s:o, s:i}", "family",
			      family != AF_UNSPEC && names_name(names_af, family)
				  ? json_string(names_name(names_af, family))
				  : json_null(),
			      "type",
			      names_name(names_sock, type)
				  ? json_string(names_name(names_sock, type))
				  : json_integer(type),
			      "proto", proto));
	n = snprintf(line, sizeof(line), "%" PRIu64 "\n", s->id);
	fs_file_set_buf(f, strndup(line, (size_t)n), (size_t)n);
	f->done = true;
	fuse_reply_write(req, size);
	return;
fail:
	json_decref(args);
	fs_file_set_json(f, err_json(-err, "socket", msg[0] ? msg : NULL));
	f->done = true; /* a read gives this error, not a new socket */
	fuse_reply_err(req, -err);
}

void ctl_opts_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size)
{
	char msg[256] = "";
	json_t *args = ctl_parse(buf, size, msg, sizeof(msg)), *reply = NULL;
	int err = -EINVAL;

	if (args)
		err = opts_set(f->s, args, fuse_req_ctx(req)->pid, &reply, msg, sizeof(msg));
	json_decref(args);
	if (err) {
		json_t *e = err_json(-err, "setsockopt", msg[0] ? msg : NULL);
		if (e && reply) /* which entries a kernel failure left applied */
			json_object_update(json_object_get(e, "error"), reply);
		if (e)
			sock_set_error(f->s, json_incref(e));
		fs_file_set_json(f, e);
		json_decref(reply);
		fuse_reply_err(req, -err);
		return;
	}
	fs_file_set_json(f, reply);
	fuse_reply_write(req, size);
}

/* The accept file: one connection per open file. */

struct ctl_acceptw {
	struct wait w;
	size_t size;
};

static int ctl_accept_into(struct sfs_file *f)
{
	struct sock *ns;
	struct addr peer;
	char line[32];
	int n, r = accept_one(f->s, &ns, &peer);

	if (r)
		return r;
	lifetime_set_creator(ns, f->pid);
	audit_event("socket.accept", f->pid, f->uid, f->s->id,
		    json_pack("{s:I, s:o}", "new_id", (json_int_t)ns->id, "address",
			      addr_to_json(&peer.u.sa, peer.len)));
	n = snprintf(line, sizeof(line), "%" PRIu64 "\n", ns->id);
	fs_file_set_buf(f, strndup(line, (size_t)n), (size_t)n);
	f->done = true;
	return 0;
}

static bool ctl_acceptw_ready(struct wait *w)
{
	struct ctl_acceptw *aw = (struct ctl_acceptw *)w;
	int r = ctl_accept_into(w->f);

	if (r == -EAGAIN)
		return false;
	sock_unpark(w);
	if (r)
		fuse_reply_err(w->req, -r);
	else
		fs_reply_buffered(w->req, w->f, aw->size);
	free(aw);
	return true;
}

static void ctl_acceptw_cancel(struct wait *w, int err)
{
	if (err == EBADF)
		fuse_reply_buf(w->req, NULL, 0);
	else
		fuse_reply_err(w->req, err);
	free(w);
}

void ctl_accept_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags)
{
	struct ctl_acceptw *aw;
	int r;

	if (f->buf || f->done || f->s->state == SOCK_ST_CLOSED) {
		fs_reply_buffered(req, f, size);
		return;
	}
	if (f->s->state != SOCK_ST_LISTENING) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	r = list_empty(&f->s->waits[WAIT_ACCEPT]) ? ctl_accept_into(f) : -EAGAIN;
	if (r == 0) {
		fs_reply_buffered(req, f, size);
		return;
	}
	if (r != -EAGAIN) {
		fuse_reply_err(req, -r);
		return;
	}
	aw = calloc(1, sizeof(*aw));
	if (!aw) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	aw->size = size;
	aw->w.ready = ctl_acceptw_ready;
	aw->w.cancel = ctl_acceptw_cancel;
	aw->w.nonblock = (flags & O_NONBLOCK) != 0;
	r = sock_park(f->s, &aw->w, WAIT_ACCEPT, req, f);
	if (r) {
		free(aw);
		fuse_reply_err(req, -r);
	}
}
