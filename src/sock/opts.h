/* opts.h - socket options by the socket module's names. */
#ifndef SOCKFS_OPTS_H
#define SOCKFS_OPTS_H

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

struct sock;

/* Every option that applies to the socket, by name, with typed values. */
json_t *opts_get(struct sock *s);
/* Set the options named in obj ({"NAME": value, ..., "raw": [{"level",
 * "optname", "int"|"bytes"}]}). Every entry is checked first (name, value):
 * a bad one fails the whole write and nothing is set. Then they are
 * applied in order with the credentials of req's caller (the kernel
 * checks its privileges); a kernel failure stops there. Returns 0 with *reply {"ok","set"}, or -errno with msg naming the
 * option; after a kernel failure *reply is {"applied": [...], "failed"}. */
int opts_set(struct sock *s, json_t *obj, fuse_req_t req, json_t **reply, char *msg,
	     size_t msglen);

/* Check obj as opts_set would for a socket of this family, type and proto,
 * without a kernel socket or a caller: names, applicability and value types
 * (not what the kernel accepts). 0 or -errno with msg. For tests and the
 * fuzzer. */
int opts_check(json_t *obj, int family, int type, int proto, char *msg, size_t msglen);
/* getsockopt by number or name: level (int or "SOL_SOCKET"...; optional
 * when optname is a name), optname; buflen 0 gives {"int"}, else
 * {"bytes": {"base64"}}. */
int opts_raw_get(struct sock *s, json_t *level, json_t *optname, int buflen, json_t **value,
		 char *msg, size_t msglen);

#endif
