/* outq.c - the send queue of a stream socket. */
#include "outq.h"

#include "bufmem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct outq_chunk {
	struct list link;
	size_t len, off;
	char data[];
};

void outq_init(struct outq *q, uid_t uid)
{
	list_init(&q->chunks);
	q->bytes = 0;
	q->uid = uid;
}

int outq_push(struct outq *q, const void *buf, size_t len, bool force)
{
	struct outq_chunk *c;

	if (force)
		bufmem_force(q->uid, len);
	else if (bufmem_take(q->uid, len))
		return -ENOBUFS;
	c = malloc(sizeof(*c) + len);
	if (!c) {
		bufmem_give(q->uid, len);
		return -ENOMEM;
	}
	c->len = len;
	c->off = 0;
	memcpy(c->data, buf, len);
	list_add_tail(&q->chunks, &c->link);
	q->bytes += len;
	return 0;
}

void outq_drop(struct outq *q)
{
	while (!list_empty(&q->chunks)) {
		struct outq_chunk *c = list_first(&q->chunks, struct outq_chunk, link);
		list_del(&c->link);
		free(c);
	}
	bufmem_give(q->uid, q->bytes);
	q->bytes = 0;
}

int outq_flush(struct outq *q, int fd)
{
	while (!list_empty(&q->chunks)) {
		struct outq_chunk *c = list_first(&q->chunks, struct outq_chunk, link);
		ssize_t n =
		    send(fd, c->data + c->off, c->len - c->off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			int err = errno;
			if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
				return -EAGAIN;
			outq_drop(q);
			return -err;
		}
		c->off += (size_t)n;
		q->bytes -= (size_t)n;
		bufmem_give(q->uid, (size_t)n);
		if (c->off < c->len)
			return -EAGAIN;
		list_del(&c->link);
		free(c);
	}
	return 0;
}
