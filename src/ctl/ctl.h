/* ctl.h - JSON commands written to N/ctl, turned into socket calls. */
#ifndef SOCKFS_CTL_H
#define SOCKFS_CTL_H

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stddef.h>

struct sfs_file;

/* A write of buf to the ctl file f: one command, answered when it ends
 * (the reply is then read from the same open file). */
void ctl_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);

/* A written buffer as one JSON object, or NULL with msg. */
json_t *ctl_parse(const char *buf, size_t size, char *msg, size_t msglen);

/* Parse socket(family, type, proto) arguments from an object (keys
 * "family", "type", "proto", names or numbers, all optional; missing ones
 * are left as they are). Returns 0 or -EINVAL with a message. */
int ctl_socket_args(json_t *obj, int *family, int *type, int *proto, char *msg, size_t msglen);
/* The same, with the type's SOCK_NONBLOCK and SOCK_CLOEXEC (names joined
 * by "|" or bits of an integer) taken off *type into *tflags. */
int ctl_socket_args_flags(json_t *obj, int *family, int *type, int *proto, int *tflags, char *msg,
			  size_t msglen);
/* {"family", "type", "proto"} of a socket's arguments, for replies and the
 * audit log (family null when AF_UNSPEC). New reference. */
json_t *ctl_socket_json(int family, int type, int proto);

/* Check a command as a write to ctl would, without running it: the JSON,
 * the verb and its strict arguments (not the address, nor the socket's
 * state). 0 when it would run, or -EINVAL with the message the write would
 * leave. For the tests and the fuzzer (tests/fuzz/). */
int ctl_check(const char *buf, size_t size, char *msg, size_t msglen);

#endif
