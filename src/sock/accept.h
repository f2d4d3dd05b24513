/* accept.h - taking connections off a listening socket. */
#ifndef SOCKFS_ACCEPT_H
#define SOCKFS_ACCEPT_H

#include "addr.h"

#include <fuse_lowlevel.h>

struct sock;

/* Accept one connection with the credentials of req's caller (the new
 * socket's file credentials are its): 0 with *out (a new socket owned by
 * the listener's owner) and *peer; -EAGAIN when none is waiting; -errno
 * (also when the caller's credentials cannot be taken). */
int accept_one(fuse_req_t req, struct sock *s, struct sock **out, struct addr *peer);

#endif
