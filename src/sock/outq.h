/* outq.h - bytes a stream socket has taken from writers but the kernel
 * has not yet: a queue of chunks, sent in order when the socket has room. */
#ifndef SOCKFS_OUTQ_H
#define SOCKFS_OUTQ_H

#include "list.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Most bytes queued per socket; a write beyond it waits for room. */
#define OUTQ_MAX (1u << 20)

struct outq {
	struct list chunks;
	size_t bytes;
	uid_t uid; /* whose bytes (bufmem.h) */
};

void outq_init(struct outq *q, uid_t uid);
static inline bool outq_empty(const struct outq *q)
{
	return q->bytes == 0;
}
/* Queue a copy of buf, held for q->uid (bufmem.h): 0, -ENOBUFS beyond
 * the user's or the total bound (unless force), -ENOMEM. */
int outq_push(struct outq *q, const void *buf, size_t len, bool force);
/* Send what fd takes: 0 when the queue is empty, -EAGAIN when the rest
 * must wait for room, -errno when sending failed (the queue is dropped). */
int outq_flush(struct outq *q, int fd);
void outq_drop(struct outq *q);

#endif
