/* bufmem.c - bytes held for users: a small table of per-uid counts and a
 * total, each under its bound. */
#include "bufmem.h"

#include <errno.h>
#include <stdlib.h>

#define BUFMEM_HASH 64

struct bufmem_user {
	struct bufmem_user *next;
	uid_t uid;
	size_t bytes;
};

size_t bufmem_max_per_user = 64u << 20;
size_t bufmem_max_total = 512u << 20;
static struct bufmem_user *bufmem_users[BUFMEM_HASH];
static size_t bufmem_all;

static struct bufmem_user **bufmem_slot(uid_t uid)
{
	struct bufmem_user **pp = &bufmem_users[uid % BUFMEM_HASH];

	while (*pp && (*pp)->uid != uid)
		pp = &(*pp)->next;
	return pp;
}

size_t bufmem_used(uid_t uid)
{
	struct bufmem_user *u = *bufmem_slot(uid);

	return u ? u->bytes : 0;
}

size_t bufmem_total(void)
{
	return bufmem_all;
}

void bufmem_force(uid_t uid, size_t n)
{
	struct bufmem_user **pp = bufmem_slot(uid);

	if (n == 0)
		return;
	if (!*pp) {
		*pp = calloc(1, sizeof(**pp));
		if (!*pp)
			return; /* uncounted: lenient, never wrong */
		(*pp)->uid = uid;
	}
	(*pp)->bytes += n;
	bufmem_all += n;
}

int bufmem_take(uid_t uid, size_t n)
{
	if (bufmem_max_total && bufmem_all + n > bufmem_max_total)
		return -ENOBUFS;
	if (bufmem_max_per_user && bufmem_used(uid) + n > bufmem_max_per_user)
		return -ENOBUFS;
	bufmem_force(uid, n);
	return 0;
}

void bufmem_give(uid_t uid, size_t n)
{
	struct bufmem_user **pp = bufmem_slot(uid), *u = *pp;

	if (!u || n == 0)
		return;
	n = n > u->bytes ? u->bytes : n;
	u->bytes -= n;
	bufmem_all -= n;
	if (u->bytes == 0) {
		*pp = u->next;
		free(u);
	}
}
