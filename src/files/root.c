/* root.c - the root's files: new (a socket per open file), defaulttimeout,
 * has_ipv6 and has_dualstack_ipv6. */
#include "files.h"

#include "audit.h"
#include "caller.h"
#include "ctl.h"
#include "err.h"
#include "lifetime.h"
#include "limit.h"
#include "priv.h"
#include "reply.h"
#include "seconds.h"
#include "server.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* new and clone (files.h). */
int root_new_socket(fuse_req_t req, struct sfs_file *f, int family, int type, int proto, int tflags,
		    bool autoclose, char *msg, size_t msglen)
{
	pid_t pid = fuse_req_ctx(req)->pid;
	struct sock *s;
	int err;

	err = priv_socket(family, type, proto, msg, msglen);
	if (err)
		return err;
	err = limit_check(f->uid);
	if (err) {
		snprintf(msg, msglen, "user %u has %zu sockets, the limit (max_sockets_per_user)",
			 (unsigned)f->uid, limit_count(f->uid));
		return err;
	}
	s = sock_new(f->uid, f->gid);
	if (!s)
		return -ENOMEM;
	s->type = type;
	s->proto = proto;
	if (tflags & SOCK_NONBLOCK)
		s->timeout_ms = 0; /* as socket(): SOCK_NONBLOCK is timeout 0 */
	if (family != AF_UNSPEC) {
		/* Made by the caller, as the kernel sees it: its owner, file
		 * credentials and capabilities decide what it may do. */
		struct caller k;
		err = caller_begin(req, &k);
		if (!err) {
			err = sock_open_kernel(s, family, type, proto);
			caller_end(&k);
		}
		if (err) {
			msg[0] = 0;
			caller_explain(CALLER_SOCKET, NULL, f->uid, -err, msg, msglen);
			if (proto == IPPROTO_MPTCP)
				snprintf(msg, msglen,
					 "IPPROTO_MPTCP: this kernel has no MPTCP, or it is "
					 "disabled (net.mptcp.enabled): %s",
					 strerror(-err));
			sock_close(s);
			return err;
		}
	}
	/* An autoclose socket ends with its files, not its creator: no
	 * creator to find (ctl_autoclose finds one if that is turned off). */
	s->autoclose = autoclose;
	if (!autoclose)
		lifetime_set_creator(s, pid);
	audit_event("socket.__new__", pid, f->uid, s->id, ctl_socket_json(family, type, proto));
	f->done = true;
	return file_set_id(f, s->id);
}

/* A read of new: a new socket (stream, no family yet), unless a write made
 * one or failed: then its id or its error. */
void root_new_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	if (!f->done && !f->buf) {
		char msg[2048] = "";
		int err =
		    root_new_socket(req, f, AF_UNSPEC, SOCK_STREAM, 0, 0, false, msg, sizeof(msg));
		if (err) {
			reply_err(req, -err);
			return;
		}
	}
	file_reply_buffered(req, f, size);
}

/* A write to new: socket arguments; the id (or the error) is read back. */
void root_new_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	char msg[2048] = "";
	json_t *args = ctl_parse(buf, size, msg, sizeof(msg));
	int family = AF_UNSPEC, type = SOCK_STREAM, proto = 0, tflags = 0, err = -EINVAL;
	json_error_t jerr;

	if (!args)
		goto fail;
	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s?s, s?o, s?o, s?o}", "op",
			   &(const char *){0}, "family", &(json_t *){0}, "type", &(json_t *){0},
			   "proto", &(json_t *){0})) {
		snprintf(msg, sizeof(msg), "new: %s (fields: family type proto)", jerr.text);
		goto fail;
	}
	if (ctl_socket_args_flags(args, &family, &type, &proto, &tflags, msg, sizeof(msg)))
		goto fail;
	err = root_new_socket(req, f, family, type, proto, tflags, false, msg, sizeof(msg));
	if (err)
		goto fail;
	json_decref(args);
	reply_write(req, size);
	return;
fail:
	json_decref(args);
	file_set_json(f, err_json(-err, "socket", msg[0] ? msg : NULL));
	f->done = true; /* a read gives this error, not a new socket */
	reply_err(req, -err);
}

int root_deftimeout_open(struct sfs_file *f)
{
	char line[32];
	long ms = sock_default_timeout_ms;
	int n;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return 0;
	n = ms < 0 ? snprintf(line, sizeof(line), "null\n")
		   : snprintf(line, sizeof(line), "%g\n", (double)ms / 1000.0);
	return file_set_text(f, line, (size_t)n);
}

/* "2.5", "0", "null" or "none" (blocking), as setdefaulttimeout. */
void root_deftimeout_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size,
			   int flags)
{
	long ms;

	if (seconds_parse(buf, size, &ms)) {
		reply_err(req, EINVAL);
		return;
	}
	sock_default_timeout_ms = ms;
	reply_write(req, size);
}

int root_has_ipv6_open(struct sfs_file *f)
{
	return file_set_json(f, json_boolean(server_has_ipv6()));
}

int root_has_dualstack_open(struct sfs_file *f)
{
	return file_set_json(f, json_boolean(server_has_dualstack_ipv6()));
}
