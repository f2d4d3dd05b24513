/* heldfile.c - N/fd0 .. N/fd7: the descriptors socket N received over
 * SCM_RIGHTS that are not sockets (sock/held.c), read and written here.
 *
 * A regular file is read and written as the receiver of the descriptor
 * would: at the offset it shares with the sender's. A pipe or FIFO is opened
 * anew through /proc/self/fd, non-blocking: nothing there (or no room)
 * is EAGAIN, never a wait. Anything else is read or written only when
 * poll says it is ready, else EAGAIN. The access mode is the received
 * descriptor's: a read-only one cannot be opened for writing. */
#include "files.h"

#include "filetab.h"
#include "held.h"
#include "reply.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define HELDFILE_IO_MAX (1u << 20)

static int heldfile_fd(const struct sfs_file *f)
{
	return held_fd(f->s->id, (int)f->type->kind - FK_FD0);
}

int heldfile_open(struct sfs_file *f)
{
	int fd = heldfile_fd(f), acc, want = f->flags & O_ACCMODE;

	if (fd < 0)
		return -ENOENT;
	acc = fcntl(fd, F_GETFL) & O_ACCMODE;
	if ((want != O_WRONLY && acc == O_WRONLY) || (want != O_RDONLY && acc == O_RDONLY))
		return -EACCES;
	return 0;
}

/* One read or write on the held descriptor fd: the byte count or -errno. */
static ssize_t heldfile_io(int fd, bool wr, void *buf, size_t size)
{
	struct stat st;
	struct pollfd p = {.fd = fd, .events = wr ? POLLOUT : POLLIN};
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISREG(st.st_mode)) {
		n = wr ? write(fd, buf, size) : read(fd, buf, size);
	} else if (S_ISFIFO(st.st_mode)) {
		char path[40];
		int own;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		own = open(path, (wr ? O_WRONLY : O_RDONLY) | O_NONBLOCK | O_CLOEXEC);
		if (own < 0)
			return -errno;
		n = wr ? write(own, buf, size) : read(own, buf, size);
		if (n < 0)
			n = -errno;
		close(own);
		return n;
	} else {
		if (poll(&p, 1, 0) < 0)
			return -errno;
		if (!(p.revents & (p.events | POLLHUP | POLLERR)))
			return -EAGAIN;
		n = wr ? write(fd, buf, size) : read(fd, buf, size);
	}
	return n < 0 ? -errno : n;
}

void heldfile_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	int fd = heldfile_fd(f);
	char *buf;
	ssize_t n;

	if (fd < 0) {
		reply_err(req, EBADF); /* released by closefd since the open */
		return;
	}
	if (size > HELDFILE_IO_MAX)
		size = HELDFILE_IO_MAX;
	buf = malloc(size ? size : 1);
	if (!buf) {
		reply_err(req, ENOMEM);
		return;
	}
	n = heldfile_io(fd, false, buf, size);
	if (n < 0)
		reply_err(req, (int)-n);
	else
		reply_buf(req, buf, (size_t)n);
	free(buf);
}

void heldfile_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	int fd = heldfile_fd(f);
	ssize_t n;

	if (fd < 0) {
		reply_err(req, EBADF);
		return;
	}
	n = heldfile_io(fd, true, (void *)buf, size);
	if (n < 0)
		reply_err(req, (int)-n);
	else
		reply_write(req, (size_t)n);
}
