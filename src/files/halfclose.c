/* halfclose.c - half-close on close: when the last open file of a
 * socket's data opened for writing is released, shutdown(SHUT_WR) once
 * the queued bytes are sent (sock_shutdown), so that request-then-EOF
 * protocols end as with socat or ncat. Per socket (ctl halfclose) or for
 * the mount (the root's defaulthalfclose). */
#include "files.h"

#include "reply.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>

/* The mount's default for sockets that did not choose. */
static bool halfclose_default;

static bool halfclose_writer(const struct sfs_file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

int halfclose_open(struct sfs_file *f)
{
	if (halfclose_writer(f))
		f->s->data_writers++;
	return 0;
}

void halfclose_release(struct sfs_file *f)
{
	struct sock *s = f->s;
	bool on = s->halfclose ? s->halfclose > 0 : halfclose_default;

	if (!halfclose_writer(f) || --s->data_writers > 0 || !on)
		return;
	if (s->state == SOCK_ST_CONNECTED && sock_is_stream(s) && !s->shut_wr)
		sock_shutdown(s, SHUT_WR); /* a peer already gone: nothing to say */
}

int halfclose_default_open(struct sfs_file *f)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return 0;
	return file_set_text(f, halfclose_default ? "on\n" : "off\n", halfclose_default ? 3 : 4);
}

/* "on" or "off" (also true/false, 1/0). */
void halfclose_default_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size,
			     int flags)
{
	static const char *const words[] = {"off", "on", "false", "true", "0", "1"};
	size_t n = size;

	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (n == strlen(words[i]) && !strncasecmp(buf, words[i], n)) {
			halfclose_default = i % 2;
			reply_write(req, size);
			return;
		}
	}
	reply_err(req, EINVAL);
}
