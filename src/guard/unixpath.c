/* unixpath.c - unix socket paths resolved with the caller's rights. */
#include "unixpath.h"

#include "caller.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The path of an O_PATH descriptor, from /proc. 0 or -errno. */
static int unixpath_of_fd(int fd, char *out, size_t outlen, size_t *len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, outlen - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= outlen - 1)
		return -ENAMETOOLONG;
	out[n] = 0;
	*len = (size_t)n;
	return 0;
}

/* connect, sendto: the socket file itself. */
static int unixpath_file(const char *path, struct unixpath *u)
{
	int n, err;

	u->fd = open(path, O_PATH | O_CLOEXEC);
	if (u->fd < 0)
		return -errno;
	err = unixpath_of_fd(u->fd, u->canon, sizeof(u->canon), &u->canonlen);
	if (err)
		return err;
	u->kernel.u.un.sun_family = AF_UNIX;
	n = snprintf(u->kernel.u.un.sun_path, sizeof(u->kernel.u.un.sun_path), "/proc/self/fd/%d",
		     u->fd);
	u->kernel.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
	return 0;
}

/* bind: the directory, and the name in it. */
static int unixpath_dir(const char *path, struct unixpath *u)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	int fd, err;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = unixpath_of_fd(fd, u->canon, sizeof(u->canon), &u->canonlen);
	close(fd);
	if (err)
		return err;
	if (u->canonlen + 1 + strlen(base) >= sizeof(u->canon))
		return -ENAMETOOLONG;
	u->canonlen += (size_t)snprintf(u->canon + u->canonlen, sizeof(u->canon) - u->canonlen,
					"%s%s", u->canonlen > 1 ? "/" : "", base);
	return 0;
}

int unixpath_resolve(fuse_req_t req, const struct addr *a, bool exists, struct unixpath *u)
{
	char path[sizeof(a->u.un.sun_path) + 1];
	size_t plen = a->len > offsetof(struct sockaddr_un, sun_path)
			  ? a->len - offsetof(struct sockaddr_un, sun_path)
			  : 0;
	struct caller k;
	int err;

	memset(u, 0, sizeof(*u));
	u->fd = -1;
	if (plen > sizeof(a->u.un.sun_path))
		plen = sizeof(a->u.un.sun_path);
	memcpy(path, a->u.un.sun_path, plen);
	path[plen] = 0;
	err = caller_begin(req, &k);
	if (err)
		return err;
	err = exists ? unixpath_file(path, u) : unixpath_dir(path, u);
	caller_end(&k);
	if (err) {
		if (u->fd >= 0)
			close(u->fd);
		u->fd = -1;
		return err;
	}
	u->orig = a;
	u->active = true;
	return 0;
}

const struct addr *unixpath_kernel(const struct unixpath *u, const struct addr *a)
{
	return u->active && u->orig == a && u->kernel.len ? &u->kernel : a;
}

void unixpath_release(struct unixpath *u)
{
	if (u->active && u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	u->active = false;
}
