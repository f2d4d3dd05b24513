/* info.h - the read-only JSON files of a socket: addr, status, err. */
#ifndef SOCKFS_INFO_H
#define SOCKFS_INFO_H

#include <jansson.h>

struct sock;

json_t *info_addr(struct sock *s);
json_t *info_status(struct sock *s);
json_t *info_err(struct sock *s);

#endif
