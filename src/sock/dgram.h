/* dgram.h - message semantics: `data` on datagram/seqpacket/raw sockets
 * (one write = one datagram, one read = one datagram) and the framed
 * message file `msgs` (JSON lines with addresses and ancillary data). */
#ifndef SOCKFS_DGRAM_H
#define SOCKFS_DGRAM_H

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>

struct sfs_file;
struct sock;

/* True for sockets whose data file keeps message boundaries. */
bool dgram_is_msg(const struct sock *s);
void dgram_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags);
void dgram_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);

/* The msgs file (any socket type). */
void dgram_msgs_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags);
void dgram_msgs_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
/* An open file is released: drop (and report in err) the start of a
 * message whose end never came. */
void dgram_msgs_release(struct sfs_file *f);

/* Dissolve a datagram socket's default peer (connect to AF_UNSPEC). */
int dgram_disconnect(struct sock *s);

#endif
