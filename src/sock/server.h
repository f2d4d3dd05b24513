/* server.h - create_server semantics: IPv6 and dual-stack support, and the
 * options a listening socket takes before it binds; socketpair. */
#ifndef SOCKFS_SERVER_H
#define SOCKFS_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct sock;

/* socket.has_ipv6 (an AF_INET6 socket can be made) and
 * socket.has_dualstack_ipv6() (and IPV6_V6ONLY can be turned off). */
bool server_has_ipv6(void);
bool server_has_dualstack_ipv6(void);

/* Before bind, as create_server does: SO_REUSEADDR, SO_REUSEPORT when
 * asked, IPV6_V6ONLY off for dualstack (AF_INET6 only) or on for any
 * other AF_INET6 listener. 0 or -errno with msg. */
int server_options(struct sock *s, bool reuse_port, bool dualstack, char *msg, size_t msglen);

/* socketpair(family, type, proto): s (no kernel socket yet) gets one end,
 * a new socket owned by s's owner the other (*second). 0 or -errno. */
int server_socketpair(struct sock *s, int family, int type, int proto, struct sock **second);

#endif
