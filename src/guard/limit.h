/* limit.h - sockets per user (-o max_sockets_per_user=N). */
#ifndef SOCKFS_LIMIT_H
#define SOCKFS_LIMIT_H

#include <stddef.h>
#include <sys/types.h>

/* -o max_sockets_per_user=N, for every user (root too); 0: not given. */
extern size_t limit_max_per_user;
/* Without it, each user but root may hold this many: a quarter of the
 * daemon's descriptors (limit_raise_nofile), at most LIMIT_DEFAULT_MAX. */
#define LIMIT_DEFAULT_MAX 4096
extern size_t limit_default_per_user;

/* May uid make one more socket? 0 or -EMFILE. Every socket a user holds
 * counts: made by new or socket, the second of a socketpair, accepted,
 * received over SCM_RIGHTS, and closed but still sending (lingering). */
int limit_check(uid_t uid);
/* May uid make n more? 0 or -EMFILE. */
int limit_check_n(uid_t uid, size_t n);
/* The limit that applies to uid (0: none). */
size_t limit_of(uid_t uid);
/* A socket of uid was made / closed (sock_new, sock_close). */
void limit_add(uid_t uid);
void limit_del(uid_t uid);
/* Open sockets of uid. */
size_t limit_count(uid_t uid);

/* Raise the daemon's RLIMIT_NOFILE soft limit to its hard limit, and set
 * limit_default_per_user from it. Returns the new soft limit. */
unsigned long limit_raise_nofile(void);

#endif
