/* writecopy.c - the copy a waiting write keeps. */
#include "writecopy.h"

#include "bufmem.h"
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

int writecopy_park(struct sock *s, struct sfs_file *f, fuse_req_t req, int flags,
		   const struct wait_ops *ops, const void *bytes, size_t len, size_t size)
{
	struct writecopy *wc;
	int err = -ENOMEM;

	if ((flags & O_NONBLOCK) || s->timeout_ms == 0)
		return -EAGAIN; /* it may not wait: no copy */
	if (bufmem_take(f->uid, len))
		return -ENOBUFS;
	wc = malloc(sizeof(*wc) + len);
	if (!wc)
		goto give_back;
	memset(&wc->w, 0, sizeof(wc->w));
	wc->w.ops = ops;
	wc->size = size;
	wc->len = len;
	memcpy(wc->bytes, bytes, len);
	if (sock_park(s, &wc->w, req, f, false) == 0)
		return 0;
	err = -EAGAIN;
	free(wc);
give_back:
	bufmem_give(f->uid, len);
	return err;
}

void writecopy_release(struct wait *w)
{
	struct writecopy *wc = (struct writecopy *)w;

	bufmem_give(w->f->uid, wc->len);
	free(wc);
}
