/* writecopy.h - a write that must wait for room keeps a copy of its bytes,
 * held for its writer within the bound of bufmem.h: data and msgs share it. */
#ifndef SOCKFS_WRITECOPY_H
#define SOCKFS_WRITECOPY_H

#include "sock.h"

#include <stddef.h>

struct writecopy {
	struct wait w;
	size_t size; /* the write's size, for the reply */
	size_t len;
	char bytes[];
};

/* Park a copy of bytes[0..len) of a write of size bytes with ops (whose
 * release is writecopy_release): 0 parked; -EAGAIN when it may not wait
 * (O_NONBLOCK in flags, or a non-blocking socket: no copy is made);
 * -ENOBUFS beyond the writer's bound; -ENOMEM. Only 0 takes the request. */
int writecopy_park(struct sock *s, struct sfs_file *f, fuse_req_t req, int flags,
		   const struct wait_ops *ops, const void *bytes, size_t len, size_t size);
/* The release of such a wait: the bytes go back to the writer's bound. */
void writecopy_release(struct wait *w);

#endif
