/* clonefile.c - clone (Plan 9's): each open file of it is a new socket
 * whose lifetime is that open file. Its first read gives the socket's id;
 * commands written to it run as on N/ctl (JSON or text), and later reads
 * give their replies. The socket is made at the first read or write (the
 * open has no request to make it for) and is autoclose: it closes when
 * the last open file of it (this one, or N/data opened meanwhile) closes,
 * so a killed script leaves nothing behind. */
#include "files.h"

#include "ctl.h"
#include "lifetime.h"
#include "reply.h"
#include "sock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Make f's socket (stream, no family yet) and hold it as an open file of
 * it holds its socket. 0 or -errno. */
static int clonefile_make(fuse_req_t req, struct sfs_file *f)
{
	char msg[2048] = "";
	struct sock *s;
	int err;

	if (f->s)
		return 0;
	err = root_new_socket(req, f, AF_UNSPEC, SOCK_STREAM, 0, 0, true, msg, sizeof(msg));
	if (err)
		return err;
	/* root_new_socket leaves the id as f's bytes */
	s = f->buf ? sock_find(strtoull(f->buf, NULL, 10)) : NULL;
	if (!s)
		return -ENOMEM;
	sock_get(s);
	lifetime_file_opened(s);
	f->s = s;
	f->done = false; /* the id is not read yet */
	return 0;
}

/* The id line first, then what a command left (its reply). */
static int clonefile_give_id(struct sfs_file *f)
{
	char line[32];
	size_t n = (size_t)snprintf(line, sizeof(line), "%" PRIu64 "\n", f->s->id);
	size_t left = file_has_bytes(f) ? f->len - f->off : 0;
	char *buf;

	f->done = true;
	if (file_has_bytes(f) && f->len - f->off == n && !memcmp(f->buf + f->off, line, n))
		return 0; /* the id itself, from root_new_socket */
	buf = malloc(n + left + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, line, n);
	if (left)
		memcpy(buf + n, f->buf + f->off, left);
	buf[n + left] = 0;
	file_set_buf(f, buf, n + left);
	return 0;
}

void clonefile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	int err = clonefile_make(req, f);

	if (!err && !f->done)
		err = clonefile_give_id(f);
	if (err) {
		reply_err(req, -err);
		return;
	}
	file_reply_buffered(req, f, size);
}

void clonefile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	int err = clonefile_make(req, f);

	if (err) {
		reply_err(req, -err);
		return;
	}
	ctl_write(req, f, buf, size, flags);
}
