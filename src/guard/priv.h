/* priv.h - what the daemon checks itself about a caller's privileges. */
#ifndef SOCKFS_PRIV_H
#define SOCKFS_PRIV_H

#include "addr.h"

#include <jansson.h>

#include <stdbool.h>
#include <sys/types.h>

/* May this socket be made at all? -EAFNOSUPPORT (and the like) for what
 * the protocol table lacks (proto_check_create; not for AF_UNSPEC, "no
 * family yet"). The kernel checks the caller's capabilities: sockets are
 * made with the caller's credentials. msg says why. */
int priv_socket(int family, int type, int proto, char *msg, size_t msglen);

#endif
