/* held.c - descriptors received over SCM_RIGHTS that are not sockets,
 * kept per receiving socket in one bounded table. */
#include "held.h"

#include <errno.h>
#include <unistd.h>

static struct {
	uint64_t id; /* 0: free */
	int slot, fd;
} held_table[HELD_MAX];
static size_t held_n;

int held_add(uint64_t id, int fd)
{
	unsigned used = 0;
	int free_i = -1;

	for (int i = 0; i < HELD_MAX; i++) {
		if (held_table[i].id == id)
			used |= 1u << held_table[i].slot;
		else if (!held_table[i].id && free_i < 0)
			free_i = i;
	}
	if (free_i < 0)
		return -EMFILE;
	for (int slot = 0; slot < HELD_PER_SOCK; slot++) {
		if (used & (1u << slot))
			continue;
		held_table[free_i].id = id;
		held_table[free_i].slot = slot;
		held_table[free_i].fd = fd;
		held_n++;
		return slot;
	}
	return -ENOSPC;
}

static int held_find(uint64_t id, int slot)
{
	for (int i = 0; id && i < HELD_MAX; i++)
		if (held_table[i].id == id && held_table[i].slot == slot)
			return i;
	return -1;
}

int held_fd(uint64_t id, int slot)
{
	int i = held_find(id, slot);

	return i < 0 ? -ENOENT : held_table[i].fd;
}

static void held_free(int i)
{
	close(held_table[i].fd);
	held_table[i].id = 0;
	held_n--;
}

int held_close(uint64_t id, int slot)
{
	int i = held_find(id, slot);

	if (i < 0)
		return -ENOENT;
	held_free(i);
	return 0;
}

void held_drop(uint64_t id)
{
	for (int i = 0; held_n && i < HELD_MAX; i++)
		if (held_table[i].id == id)
			held_free(i);
}

size_t held_count(void)
{
	return held_n;
}
