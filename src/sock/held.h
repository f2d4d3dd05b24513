/* held.h - descriptors that are not sockets, received over SCM_RIGHTS
 * and kept for the socket that received them: N/fd0 .. N/fd7 read and
 * write them (files/heldfile.c); closed with the socket or by the ctl op
 * closefd. */
#ifndef SOCKFS_HELD_H
#define SOCKFS_HELD_H

#include <stddef.h>
#include <stdint.h>

/* Slots per socket, and descriptors held in all. */
#define HELD_PER_SOCK 8
#define HELD_MAX      1024

/* Keep fd for socket id: its slot (0..HELD_PER_SOCK-1), or -ENOSPC (the
 * socket's slots are full) / -EMFILE (HELD_MAX reached); fd is then the
 * caller's to close. */
int held_add(uint64_t id, int fd);
/* The descriptor in a slot, or -ENOENT. */
int held_fd(uint64_t id, int slot);
/* Close one slot: 0 or -ENOENT. */
int held_close(uint64_t id, int slot);
/* Close every slot of a socket (it closes). */
void held_drop(uint64_t id);
/* Descriptors held now. */
size_t held_count(void);

#endif
