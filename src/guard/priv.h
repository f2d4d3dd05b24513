/* priv.h - privileges of the calling process, not of the daemon. */
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

/* May pid create this socket? -EAFNOSUPPORT for a family the protocol
 * table lacks (proto_check_create; not for AF_UNSPEC, "no family yet"),
 * -EPERM for SOCK_RAW, AF_PACKET and other CAP_NET_RAW sockets
 * (proto_net_raw) without the capability. msg says why. */
int priv_socket(pid_t pid, int family, int type, int proto, char *msg, size_t msglen);

/* May pid bind this address? -EACCES for a port (proto_port: inet) below
 * net.ipv4.ip_unprivileged_port_start without CAP_NET_BIND_SERVICE. */
int priv_bind(pid_t pid, const struct addr *a, char *msg, size_t msglen);

/* May pid set this option to the value (val, len) on socket fd? -EPERM
 * for what the kernel reserves for CAP_NET_ADMIN (or CAP_NET_RAW):
 * SO_MARK, SO_PRIORITY outside 0..6, SO_RCVBUFFORCE/SO_SNDBUFFORCE,
 * IP(V6)_TRANSPARENT, a TCP_CONGESTION not in
 * net.ipv4.tcp_allowed_congestion_control, and SO_BINDTODEVICE on a socket
 * already bound to a device (CAP_NET_RAW); -EACCES for SO_DEBUG without
 * CAP_NET_ADMIN, as the kernel answers. */
int priv_sockopt(pid_t pid, int fd, int level, int optname, const void *val, socklen_t len,
		 char *msg, size_t msglen);

#endif
