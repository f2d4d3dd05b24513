/* priv.h - privileges of the calling process, not of the daemon. */
#ifndef SOCKFS_PRIV_H
#define SOCKFS_PRIV_H

#include "addr.h"

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

/* May pid create this socket? -EPERM for SOCK_RAW, AF_PACKET and other
 * CAP_NET_RAW sockets without the capability. msg says why. */
int priv_socket(pid_t pid, int family, int type, int proto, char *msg, size_t msglen);

/* May pid bind this address? -EACCES for an inet port below
 * net.ipv4.ip_unprivileged_port_start without CAP_NET_BIND_SERVICE. */
int priv_bind(pid_t pid, const struct addr *a, char *msg, size_t msglen);

#endif
