/* limit.h - sockets per user (-o max_sockets_per_user=N). */
#ifndef SOCKFS_LIMIT_H
#define SOCKFS_LIMIT_H

#include <stddef.h>
#include <sys/types.h>

/* 0: no limit (the default). */
extern size_t limit_max_per_user;

/* May uid make one more socket? 0 or -EMFILE. */
int limit_check(uid_t uid);
/* A socket of uid was made / closed (sock_new, sock_close). */
void limit_add(uid_t uid);
void limit_del(uid_t uid);
/* Open sockets of uid. */
size_t limit_count(uid_t uid);

/* Raise the daemon's RLIMIT_NOFILE soft limit to its hard limit. Returns
 * the new soft limit. */
unsigned long limit_raise_nofile(void);

#endif
