/* unixpath.h - the file a unix socket path names, resolved with the
 * caller's rights, so that the policy decides on that file and not on
 * the string (//x, /./x, /a/../x and symlinks name the same file).
 *
 * connect and sendto: the socket file is opened (O_PATH, as the caller)
 * and the kernel is given /proc/self/fd/N, which names that same inode:
 * nothing can be swapped between the check and the call. bind: the
 * directory is resolved and the name appended; the kernel gets the path as
 * written (the name the socket is bound to is the caller's). */
#ifndef SOCKFS_UNIXPATH_H
#define SOCKFS_UNIXPATH_H

#include "addr.h"

#include <fuse_lowlevel.h>
#include <limits.h>
#include <stdbool.h>

struct unixpath {
	bool active;
	int fd;			 /* O_PATH, held until the call is made; -1 */
	const struct addr *orig; /* the address it was resolved for */
	char canon[PATH_MAX];	 /* the file's path, without . .. // or links */
	size_t canonlen;
	struct addr kernel; /* what the kernel is given (len 0: orig) */
};

/* Resolve a (a filesystem path, proto_fs_path) as req's caller: the file
 * must exist (connect, sendto) or only its directory (bind). 0, or the
 * errno the kernel would give the caller (-ENOENT, -EACCES, -ENOTDIR, ...)
 * with nothing held. */
int unixpath_resolve(fuse_req_t req, const struct addr *a, bool exists, struct unixpath *u);
/* The address to give the kernel for a (u's, or a itself). */
const struct addr *unixpath_kernel(const struct unixpath *u, const struct addr *a);
/* Close what resolve held; u may be released twice, and a zeroed u that
 * was never resolved is left alone. */
void unixpath_release(struct unixpath *u);

#endif
