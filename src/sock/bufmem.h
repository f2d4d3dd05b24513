/* bufmem.h - bytes the daemon holds for users (send queues, copies of
 * parked writes, msgs JSON not yet complete): a bound per user and in
 * total (-o max_buffer_per_user, -o max_buffer_total). */
#ifndef SOCKFS_BUFMEM_H
#define SOCKFS_BUFMEM_H

#include <stddef.h>
#include <sys/types.h>

/* Bytes; 0: no bound. */
extern size_t bufmem_max_per_user;
extern size_t bufmem_max_total;

/* Hold n more bytes for uid: 0, or -ENOBUFS beyond a bound. */
int bufmem_take(uid_t uid, size_t n);
/* Hold them whatever the bounds (bytes already accepted). */
void bufmem_force(uid_t uid, size_t n);
/* Give back n bytes held for uid. */
void bufmem_give(uid_t uid, size_t n);
/* Bytes held for uid, and in total. */
size_t bufmem_used(uid_t uid);
size_t bufmem_total(void);

#endif
