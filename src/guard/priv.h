/* priv.h - what the daemon checks itself about a caller's privileges. */
#ifndef SOCKFS_PRIV_H
#define SOCKFS_PRIV_H

#include "addr.h"

#include <jansson.h>

#include <stdbool.h>
#include <sys/types.h>

/* Does process pid hold capability cap (CAP_NET_RAW, ...) in its
 * effective set, over the daemon's network namespace? Read from
 * /proc/PID/status; false when unknown. */
bool priv_has_cap(pid_t pid, int cap);
/* The same over the daemon's namespace ns ("net", "uts"): pid must be in
 * the user namespace that owns it, or in an ancestor of that one
 * (capabilities in a user namespace of one's own do not count). */
bool priv_has_cap_ns(pid_t pid, int cap, const char *ns);

/* May this socket be made at all? -EAFNOSUPPORT (and the like) for what
 * the protocol table lacks (proto_check_create; not for AF_UNSPEC, "no
 * family yet"). The kernel checks the caller's capabilities: sockets are
 * made with the caller's credentials. msg says why. */
int priv_socket(int family, int type, int proto, char *msg, size_t msglen);

#endif
