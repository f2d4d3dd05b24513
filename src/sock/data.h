/* data.h - the data file: read = recv, write = send. */
#ifndef SOCKFS_DATA_H
#define SOCKFS_DATA_H

#include <fuse_lowlevel.h>
#include <stddef.h>

struct sfs_file;
struct sock;

void data_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags);
void data_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
/* Send queued bytes; run when the socket is writable. */
void data_flush(struct sock *s);
void data_drop_queue(struct sock *s);
/* poll(2) mask of the data file right now. */
unsigned data_poll_mask(struct sock *s);
/* Shut down the sending side once the queue has drained. */
int data_shutdown(struct sock *s, int how);

#endif
