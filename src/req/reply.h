/* reply.h - the one way the layers below FUSE answer a request, and tell
 * the kernel that a socket's directory is gone.
 *
 * Every request gets exactly one answer: a handler answers at once, or
 * parks the request on its socket (sock.h, wait.h), and then the wait
 * answers it exactly once, when the socket is ready, on an interrupt, at
 * the timeout, or when the socket closes under it. */
#ifndef SOCKFS_REPLY_H
#define SOCKFS_REPLY_H

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The mount, and whether replies may splice (FUSE_CAP_SPLICE_WRITE). Set
 * by the FUSE layer. */
void reply_init(struct fuse_session *se);
void reply_set_splice(bool on);
bool reply_can_splice(void);

/* Fail the request with errno err (> 0). */
void reply_err(fuse_req_t req, int err);
/* Answer a read with n bytes (n 0: end of file). */
void reply_buf(fuse_req_t req, const void *buf, size_t n);
/* Answer a write: n bytes taken. */
void reply_write(fuse_req_t req, size_t n);
/* Answer a read with n bytes spliced from fd (a socket). */
void reply_splice(fuse_req_t req, int fd, size_t n);

/* Make the kernel forget the socket directory id/ (its dentry), from a
 * worker: the kernel may need the root's lock, held by a request that
 * waits for the loop. done(arg) runs on the loop afterwards (may be NULL).
 * 0, or -errno when it could not be queued (done does not run): -ENOENT
 * when the kernel does not know id/ (never looked up, or forgotten), so
 * there is nothing to forget and the caller answers at once, with no
 * worker hop. */
int reply_forget_dir(uint64_t id, void (*done)(void *arg), void *arg);
/* The FUSE layer's count of the kernel's lookups of socket directories:
 * a LOOKUP answered with id/, and FORGETs of it. */
void reply_dir_looked_up(uint64_t id);
void reply_dir_forgotten(uint64_t id, uint64_t nlookup);

#endif
