/* accept.h - taking connections off a listening socket. */
#ifndef SOCKFS_ACCEPT_H
#define SOCKFS_ACCEPT_H

#include "addr.h"

struct sock;

/* Accept one connection: 0 with *out (a new socket owned by the listener's
 * owner) and *peer; -EAGAIN when none is waiting; -errno. */
int accept_one(struct sock *s, struct sock **out, struct addr *peer);

#endif
