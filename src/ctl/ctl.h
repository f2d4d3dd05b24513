/* ctl.h - JSON commands written to N/ctl, and the other writable files. */
#ifndef SOCKFS_CTL_H
#define SOCKFS_CTL_H

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stddef.h>

struct sfs_file;
struct sock;

void ctl_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
/* A write to `new`: socket arguments; the id is read back. */
void ctl_new_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size);
/* A write to `opts`: an object of options to set. */
void ctl_opts_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size);
/* A read of `accept`. */
void ctl_accept_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags);

/* Parse socket(family, type, proto) arguments from an object (keys
 * "family", "type", "proto", names or numbers, all optional; missing ones
 * are left as they are). Returns 0 or -EINVAL with a message. */
int ctl_socket_args(json_t *obj, int *family, int *type, int *proto, char *msg, size_t msglen);

/* Check a command as a write to ctl would, without running it: the JSON,
 * the verb and its strict arguments (not the address, nor the socket's
 * state). 0 when it would run, or -EINVAL with the message the write would
 * leave. For the tests and the fuzzer (tests/fuzz/). */
int ctl_check(const char *buf, size_t size, char *msg, size_t msglen);

#endif
