/* reply.c - answering requests, and invalidating socket directories. */
#include "reply.h"

#include "work.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fuse_session *reply_se;
static bool reply_splice_on;

void reply_init(struct fuse_session *se)
{
	reply_se = se;
}

void reply_set_splice(bool on)
{
	reply_splice_on = on;
}

bool reply_can_splice(void)
{
	return reply_splice_on;
}

void reply_err(fuse_req_t req, int err)
{
	fuse_reply_err(req, err);
}

void reply_buf(fuse_req_t req, const void *buf, size_t n)
{
	fuse_reply_buf(req, n ? buf : NULL, n);
}

void reply_write(fuse_req_t req, size_t n)
{
	fuse_reply_write(req, n);
}

void reply_splice(fuse_req_t req, int fd, size_t n)
{
	struct fuse_bufvec bv = FUSE_BUFVEC_INIT(n);

	bv.buf[0].flags = FUSE_BUF_IS_FD;
	bv.buf[0].fd = fd;
	fuse_reply_data(req, &bv, 0);
}

/* Socket directories the kernel knows (LOOKUPs not yet forgotten): only
 * those need an invalidation when they close. A small hash of ids, at
 * most one entry per open socket the kernel looked up (an entry goes when
 * its directory is invalidated, or on its FORGET). */
struct reply_known {
	uint64_t id, nlookup;
	struct reply_known *next;
};

#define REPLY_KNOWN_BUCKETS 1024
static struct reply_known *reply_known[REPLY_KNOWN_BUCKETS];
/* A lookup could not be counted (out of memory): every directory then
 * counts as known, and is invalidated. */
static bool reply_known_lost;

static struct reply_known **reply_known_slot(uint64_t id)
{
	struct reply_known **p = &reply_known[id % REPLY_KNOWN_BUCKETS];

	while (*p && (*p)->id != id)
		p = &(*p)->next;
	return p;
}

void reply_dir_looked_up(uint64_t id)
{
	struct reply_known **p = reply_known_slot(id);

	if (!*p) {
		*p = calloc(1, sizeof(**p));
		if (!*p) {
			reply_known_lost = true;
			return;
		}
		(*p)->id = id;
	}
	(*p)->nlookup++;
}

void reply_dir_forgotten(uint64_t id, uint64_t nlookup)
{
	struct reply_known **p = reply_known_slot(id), *k = *p;

	if (!k)
		return;
	if (k->nlookup > nlookup) {
		k->nlookup -= nlookup;
		return;
	}
	*p = k->next;
	free(k);
}

/* Whether the kernel may have id/ in its cache. The entry goes now: the
 * directory is being invalidated and a closed socket's id/ is never found
 * again, while its FORGET may come much later or never (the kernel keeps
 * a directory's inode cached). */
static bool reply_dir_take(uint64_t id)
{
	struct reply_known **p = reply_known_slot(id), *k = *p;

	if (!k)
		return reply_known_lost;
	*p = k->next;
	free(k);
	return true;
}

struct reply_forget {
	uint64_t id;
	void (*done)(void *arg);
	void *arg;
};

static void reply_forget_job(void *arg)
{
	struct reply_forget *rf = arg;
	char name[24];

	snprintf(name, sizeof(name), "%" PRIu64, rf->id);
	fuse_lowlevel_notify_inval_entry(reply_se, FUSE_ROOT_ID, name, strlen(name));
}

static void reply_forget_done(void *arg)
{
	struct reply_forget *rf = arg;

	if (rf->done)
		rf->done(rf->arg);
	free(rf);
}

int reply_forget_dir(uint64_t id, void (*done)(void *arg), void *arg)
{
	struct reply_forget *rf;
	int err;

	if (!reply_dir_take(id))
		return -ENOENT; /* no dentry to drop: the caller answers at once */
	if (!reply_se)
		return -ENOTCONN;
	rf = malloc(sizeof(*rf));
	if (!rf)
		return -ENOMEM;
	rf->id = id;
	rf->done = done;
	rf->arg = arg;
	err = work_submit(reply_forget_job, reply_forget_done, rf);
	if (err)
		free(rf);
	return err;
}
