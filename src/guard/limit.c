/* limit.c - sockets per user: a small table of per-uid counts. */
#include "limit.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>

struct limit_user {
	struct limit_user *next;
	uid_t uid;
	size_t count;
};

#define LIMIT_HASH 64

size_t limit_max_per_user;
size_t limit_default_per_user = 256; /* until limit_raise_nofile */
static struct limit_user *limit_users[LIMIT_HASH];

static struct limit_user **limit_slot(uid_t uid)
{
	struct limit_user **pp = &limit_users[uid % LIMIT_HASH];

	while (*pp && (*pp)->uid != uid)
		pp = &(*pp)->next;
	return pp;
}

size_t limit_count(uid_t uid)
{
	struct limit_user *u = *limit_slot(uid);

	return u ? u->count : 0;
}

size_t limit_of(uid_t uid)
{
	if (limit_max_per_user)
		return limit_max_per_user;
	return uid == 0 ? 0 : limit_default_per_user;
}

int limit_check_n(uid_t uid, size_t n)
{
	size_t max = limit_of(uid);

	if (max && limit_count(uid) + n > max)
		return -EMFILE;
	return 0;
}

int limit_check(uid_t uid)
{
	return limit_check_n(uid, 1);
}

void limit_add(uid_t uid)
{
	struct limit_user **pp = limit_slot(uid);

	if (!*pp) {
		*pp = calloc(1, sizeof(**pp));
		if (!*pp)
			return; /* uncounted: the limit is then lenient, never wrong */
		(*pp)->uid = uid;
	}
	(*pp)->count++;
}

void limit_del(uid_t uid)
{
	struct limit_user **pp = limit_slot(uid), *u = *pp;

	if (!u)
		return;
	if (--u->count == 0) {
		*pp = u->next;
		free(u);
	}
}

unsigned long limit_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	limit_default_per_user =
	    rl.rlim_cur / 4 < LIMIT_DEFAULT_MAX ? (size_t)(rl.rlim_cur / 4) : LIMIT_DEFAULT_MAX;
	return (unsigned long)rl.rlim_cur;
}
