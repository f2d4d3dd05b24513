/* stream.h - sending and receiving on a stream socket: what `data`, `msgs`
 * and the recv/send commands share. One receive path and one send path;
 * nothing here answers a request. */
#ifndef SOCKFS_STREAM_H
#define SOCKFS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct sock;

/* Most bytes one receive returns (and the recv command's bufsize). */
#define STREAM_RECV_MAX (1u << 20)

/* Receive up to size bytes (flags as recv(2), MSG_DONTWAIT added) into the
 * shared receive buffer: bytes in *buf (valid until the next call), their
 * count returned; 0 at the peer's end; -EAGAIN when nothing is there;
 * -errno. */
ssize_t stream_recv(struct sock *s, size_t size, int flags, char **buf);
/* How many bytes a read of size should splice straight from the socket
 * to the reader (0: receive instead). */
size_t stream_splice_size(struct sock *s, size_t size);
/* How much one read may return: a reply that fills a large request makes
 * the kernel ask again for the rest, and that request would wait. */
size_t stream_read_cap(size_t size);
/* MSG_WAITALL: are size bytes there, or will no more come? */
bool stream_waitall_ready(struct sock *s, size_t size);

/* Send len bytes with flags (MSG_DONTWAIT|MSG_NOSIGNAL added). With queue,
 * what the kernel does not take now is queued (up to OUTQ_MAX) and *taken
 * is len, or what the kernel took when the bytes held for the user are at
 * their bound (bufmem.h: a short write); without, *taken is what the kernel took (bytes queued
 * before go first: -EAGAIN while there are any). -EAGAIN when nothing could be taken; -EPIPE after
 * shutdown; -errno, also an error met by earlier queued bytes (reported once). */
int stream_send(struct sock *s, const void *buf, size_t len, int flags, bool queue, size_t *taken);

/* A write answered before it is sent, so that the writer runs on while
 * the daemon sends (waking the writer is most of a small write's time on
 * a VM): stream_hold_for_answer says 0 when that is safe (nothing queued
 * or failed before, the socket writable and not in error) and holds room
 * for all len bytes (bufmem.h), or -EAGAIN (nothing done: use
 * stream_send). After the answer, stream_send_held gives the room back
 * and sends them with stream_send (what the kernel does not take is
 * queued); an error it meets is the next call's (pending_err). */
int stream_hold_for_answer(struct sock *s, size_t len);
void stream_send_held(struct sock *s, const void *buf, size_t len);

#endif
