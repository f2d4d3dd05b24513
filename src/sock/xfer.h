/* xfer.h - recv and send with message flags, for the ctl verbs. */
#ifndef SOCKFS_XFER_H
#define SOCKFS_XFER_H

#include <jansson.h>
#include <stddef.h>

struct sock;

#define XFER_RECV_MAX (1u << 20)

/* One recv(2) of up to bufsize bytes with flags (MSG_DONTWAIT is added).
 * MSG_WAITALL on a stream waits until bufsize bytes are there (or the
 * peer shut down). encoding: NULL (utf-8 when the bytes are valid UTF-8,
 * else base64), "utf-8" or "base64". Returns 0 with *reply {"data",
 * "encoding", "size"}, -EAGAIN when it must wait, or -errno. */
int xfer_recv(struct sock *s, size_t bufsize, int flags, const char *encoding, json_t **reply);
/* One send(2) with flags (MSG_DONTWAIT|MSG_NOSIGNAL added): bytes the
 * kernel took in *sent. -EAGAIN when nothing could be sent or bytes queued
 * by data writes must go first. */
int xfer_send(struct sock *s, const char *buf, size_t len, int flags, size_t *sent);

#endif
