/* opts.h - socket options by the socket module's names. */
#ifndef SOCKFS_OPTS_H
#define SOCKFS_OPTS_H

#include <jansson.h>
#include <stddef.h>

struct sock;

/* Every option that applies to the socket, by name, with typed values. */
json_t *opts_get(struct sock *s);
/* Set the options named in obj, in order; stops at the first bad entry,
 * whose name the message gives (entries before it stay set, and the reply
 * lists them). Returns 0 with *reply, or -errno with msg. */
int opts_set(struct sock *s, json_t *obj, json_t **reply, char *msg, size_t msglen);

/* Check obj as opts_set would for a socket of this family, type and proto,
 * without a kernel socket: names, applicability and value types (not what
 * the kernel accepts). 0 or -errno with msg. For tests and the fuzzer. */
int opts_check(json_t *obj, int family, int type, int proto, char *msg, size_t msglen);

#endif
