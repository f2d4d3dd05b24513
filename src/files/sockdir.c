/* sockdir.c - the small files of a socket's directory: ctl (commands in,
 * replies out), opts (options by name), and the snapshots addr, status and
 * err, made at open so every read of one open file sees one document. */
#include "files.h"

#include "ctl.h"
#include "err.h"
#include "info.h"
#include "opts.h"
#include "reply.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>

void sockdir_ctl_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	ctl_write(req, f, buf, size, flags);
}

/* ctl and opts: a read gives the last reply (or error) once. */
void sockdir_reply_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	file_reply_buffered(req, f, size);
}

unsigned sockdir_ctl_poll(struct sfs_file *f)
{
	return POLLOUT | POLLWRNORM | (f->buf ? POLLIN : 0);
}

int sockdir_addr_open(struct sfs_file *f)
{
	return file_set_json(f, info_addr(f->s));
}

int sockdir_status_open(struct sfs_file *f)
{
	return file_set_json(f, info_status(f->s));
}

int sockdir_err_open(struct sfs_file *f)
{
	return file_set_json(f, info_err(f->s));
}

int sockdir_opts_open(struct sfs_file *f)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return 0;
	return file_set_json(f, opts_get(f->s));
}

/* A write to opts: an object of options to set, all or nothing. */
void sockdir_opts_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	char msg[256] = "";
	json_t *args = ctl_parse(buf, size, msg, sizeof(msg)), *reply = NULL;
	int err = -EINVAL;

	if (args)
		err = opts_set(f->s, args, req, &reply, msg, sizeof(msg));
	json_decref(args);
	if (err) {
		json_t *e = err_json(-err, "setsockopt", msg[0] ? msg : NULL);
		if (e && reply) /* which entries a kernel failure left applied */
			json_object_update(json_object_get(e, "error"), reply);
		if (e)
			sock_set_error(f->s, json_incref(e));
		file_set_json(f, e);
		json_decref(reply);
		reply_err(req, -err);
		return;
	}
	file_set_json(f, reply);
	reply_write(req, size);
}
