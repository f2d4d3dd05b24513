/* priv.h - privileges of the calling process, not of the daemon. */
#ifndef SOCKFS_PRIV_H
#define SOCKFS_PRIV_H

#include "addr.h"

#include <jansson.h>

#include <stdbool.h>
#include <sys/types.h>

/* Does process pid hold capability cap (CAP_NET_RAW, ...) in its
 * effective set? Read from /proc/PID/status; false when unknown. */
bool priv_has_cap(pid_t pid, int cap);

/* May pid create this socket? -EPERM for SOCK_RAW, AF_PACKET and other
 * CAP_NET_RAW sockets without the capability. msg says why. */
int priv_socket(pid_t pid, int family, int type, int proto, char *msg, size_t msglen);

/* May pid bind this address? -EACCES for an inet port below
 * net.ipv4.ip_unprivileged_port_start without CAP_NET_BIND_SERVICE. */
int priv_bind(pid_t pid, const struct addr *a, char *msg, size_t msglen);

/* May pid set these options (a JSON object as written to opts)? The
 * values the kernel reserves for a capability: SO_PRIORITY outside 0..6
 * (CAP_NET_RAW or CAP_NET_ADMIN, -EPERM), SO_DEBUG on (CAP_NET_ADMIN,
 * -EACCES), a TCP_CONGESTION not in net.ipv4.tcp_allowed_congestion_control
 * (CAP_NET_ADMIN, -EPERM). Anything else is left to the kernel. */
int priv_opts(pid_t pid, json_t *opts, char *msg, size_t msglen);

#endif
