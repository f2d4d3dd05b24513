/* netdir.c - the net/ directory: name services and host information.
 *
 *   net/query        write a JSON query, read its JSON answer (lookup.c)
 *   net/hostname     read: gethostname; write: sethostname
 *   net/interfaces   read: "INDEX NAME" per interface
 *   net/resolve/N    read: the addresses of host N, one per line
 *   net/reverse/A    read: the name of address A
 *
 * Lookups that may touch NSS or the network run on a worker; the request
 * (the write of a query, the read of resolve/N) waits for it, parked, and
 * is answered from the completion on the loop. An interrupt answers it
 * with EINTR at once; the job's memory goes when both have happened. */
#include "netdir.h"

#include "reply.h"

#include "loop.h"
#include "lookup.h"
#include "work.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Names seen under resolve/ and reverse/, with the kernel's lookup
 * count; ids are never reused. Two hash tables: by kind and name (lookup)
 * and by id (open, forget). Bounded: NETDIR_NAMES_PER_USER names made by
 * one user's lookups and NETDIR_NAMES_MAX in all; beyond, a lookup of a
 * new name fails with ENOBUFS until the kernel forgets some. */
#define NETDIR_NAMES_PER_USER 4096
#define NETDIR_NAMES_MAX      65536

struct netdir_name {
	struct netdir_name *next_name, *next_id;
	uint64_t id;
	enum file_kind kind;
	uint64_t nlookup;
	uid_t uid;
	char name[];
};

struct netdir_user {
	struct netdir_user *next;
	uid_t uid;
	size_t count;
};

static struct netdir_name **netdir_by_name, **netdir_by_id;
static size_t netdir_nbuckets, netdir_count;
static struct netdir_user *netdir_users;
static uint64_t netdir_last_id;

static size_t netdir_hash_name(enum file_kind kind, const char *name)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return (size_t)(h & (netdir_nbuckets - 1));
}

static size_t netdir_hash_id(uint64_t id)
{
	return (size_t)((id * 11400714819323198485ull) >> 20) & (netdir_nbuckets - 1);
}

static struct netdir_name *netdir_find_name(enum file_kind kind, const char *name)
{
	if (!netdir_nbuckets)
		return NULL;
	for (struct netdir_name *n = netdir_by_name[netdir_hash_name(kind, name)]; n;
	     n = n->next_name)
		if (n->kind == kind && !strcmp(n->name, name))
			return n;
	return NULL;
}

static struct netdir_name *netdir_find_id(uint64_t id)
{
	if (!netdir_nbuckets)
		return NULL;
	for (struct netdir_name *n = netdir_by_id[netdir_hash_id(id)]; n; n = n->next_id)
		if (n->id == id)
			return n;
	return NULL;
}

static void netdir_link(struct netdir_name *n)
{
	size_t hn = netdir_hash_name(n->kind, n->name), hi = netdir_hash_id(n->id);

	n->next_name = netdir_by_name[hn];
	netdir_by_name[hn] = n;
	n->next_id = netdir_by_id[hi];
	netdir_by_id[hi] = n;
}

/* Room for one more name: the tables double when as full as they are wide. */
static int netdir_grow(void)
{
	size_t old = netdir_nbuckets, nb = old ? old * 2 : 256;
	struct netdir_name **bn, **bi, **oldn = netdir_by_name;

	if (netdir_count < old)
		return 0;
	bn = calloc(nb, sizeof(*bn));
	bi = calloc(nb, sizeof(*bi));
	if (!bn || !bi) {
		free(bn);
		free(bi);
		return old ? 0 : -ENOMEM; /* longer chains, still right */
	}
	free(netdir_by_id);
	netdir_by_name = bn;
	netdir_by_id = bi;
	netdir_nbuckets = nb;
	for (size_t i = 0; i < old; i++) {
		struct netdir_name *n = oldn[i], *next;
		for (; n; n = next) {
			next = n->next_name;
			netdir_link(n);
		}
	}
	free(oldn);
	return 0;
}

static struct netdir_user **netdir_user(uid_t uid)
{
	struct netdir_user **pp = &netdir_users;

	while (*pp && (*pp)->uid != uid)
		pp = &(*pp)->next;
	return pp;
}

static int netdir_user_add(uid_t uid)
{
	struct netdir_user **pp = netdir_user(uid);

	if (netdir_count >= NETDIR_NAMES_MAX || (*pp && (*pp)->count >= NETDIR_NAMES_PER_USER))
		return -ENOBUFS;
	if (!*pp) {
		*pp = calloc(1, sizeof(**pp));
		if (!*pp)
			return -ENOMEM;
		(*pp)->uid = uid;
	}
	(*pp)->count++;
	return 0;
}

static void netdir_user_del(uid_t uid)
{
	struct netdir_user **pp = netdir_user(uid), *u = *pp;

	if (u && --u->count == 0) {
		*pp = u->next;
		free(u);
	}
}

int netdir_name_lookup(enum file_kind dir, const char *name, uid_t uid, uint64_t *id)
{
	enum file_kind kind = dir == FK_NET_RESOLVE ? FK_NET_RESOLVED : FK_NET_REVERSED;
	struct netdir_name *n = netdir_find_name(kind, name);
	size_t len = strlen(name);
	int err;

	if (len >= NI_MAXHOST)
		return -ENAMETOOLONG;
	if (!n) {
		err = netdir_grow();
		if (err)
			return err;
		err = netdir_user_add(uid);
		if (err)
			return err;
		n = malloc(sizeof(*n) + len + 1);
		if (!n) {
			netdir_user_del(uid);
			return -ENOMEM;
		}
		n->id = ++netdir_last_id;
		n->kind = kind;
		n->nlookup = 0;
		n->uid = uid;
		memcpy(n->name, name, len + 1);
		netdir_link(n);
		netdir_count++;
	}
	n->nlookup++;
	*id = n->id;
	return 0;
}

bool netdir_name_exists(uint64_t id, enum file_kind kind)
{
	struct netdir_name *n = netdir_find_id(id);

	return n && n->kind == kind;
}

void netdir_forget(uint64_t id, uint64_t nlookup)
{
	struct netdir_name *n = netdir_find_id(id), **pp;

	if (!n)
		return;
	n->nlookup = n->nlookup > nlookup ? n->nlookup - nlookup : 0;
	if (n->nlookup)
		return;
	for (pp = &netdir_by_name[netdir_hash_name(n->kind, n->name)]; *pp != n;
	     pp = &(*pp)->next_name)
		;
	*pp = n->next_name;
	for (pp = &netdir_by_id[netdir_hash_id(n->id)]; *pp != n; pp = &(*pp)->next_id)
		;
	*pp = n->next_id;
	netdir_count--;
	netdir_user_del(n->uid);
	free(n);
}

/* Snapshots. */

static int netdir_set_text(struct sfs_file *f, char *text)
{
	if (!text)
		return -ENOMEM;
	file_set_buf(f, text, strlen(text));
	return 0;
}

static char *netdir_interfaces_text(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	if (!ifs)
		return NULL;
	m = open_memstream(&text, &len);
	if (m) {
		for (i = ifs; i->if_index; i++)
			fprintf(m, "%u %s\n", i->if_index, i->if_name);
		fclose(m);
	}
	if_freenameindex(ifs);
	return text;
}

int netdir_open(struct sfs_file *f)
{
	char name[HOST_NAME_MAX + 2] = "";
	char *text;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return 0;
	switch (FILE_INO_KIND(f->ino)) {
	case FK_NET_HOSTNAME:
		if (gethostname(name, sizeof(name) - 1) < 0)
			return -errno;
		if (asprintf(&text, "%s\n", name) < 0)
			return -ENOMEM;
		return netdir_set_text(f, text);
	case FK_NET_INTERFACES:
		text = netdir_interfaces_text();
		return text ? netdir_set_text(f, text) : -errno;
	default:
		return 0;
	}
}

/* Requests waiting for a worker. */

struct netdir_job {
	fuse_req_t req; /* NULL once answered */
	struct sfs_file *f;
	size_t size;	  /* write: bytes to acknowledge; read: bytes asked */
	bool text;	  /* read of a shell form, else a query write */
	bool running;	  /* the worker still has it */
	bool intr_posted; /* intr_call is queued on the loop */
	struct loop_call intr_call;
	struct lookup_q *q;
};

static void netdir_job_free_if_done(struct netdir_job *j)
{
	if (j->running || j->intr_posted || j->req)
		return;
	lookup_free(j->q);
	free(j);
}

/* Answer the request from the outcome of its query. */
static void netdir_answer(struct netdir_job *j)
{
	fuse_req_t req = j->req;
	struct sfs_file *f = j->f;
	json_t *reply;
	const char *text;
	size_t len;
	int r;

	j->req = NULL;
	if (j->text) {
		r = lookup_text(j->q, &text, &len);
		if (r) {
			reply_err(req, -r);
			return;
		}
		file_set_text(f, text, len);
		f->done = true;
		file_reply_buffered(req, f, j->size);
		return;
	}
	r = lookup_reply(j->q, &reply);
	file_set_json(f, reply);
	if (r)
		reply_err(req, -r);
	else
		reply_write(req, j->size);
}

static void netdir_job_run(void *arg)
{
	struct netdir_job *j = arg;

	lookup_run(j->q);
}

static void netdir_job_done(void *arg)
{
	struct netdir_job *j = arg;

	j->running = false;
	if (j->req)
		netdir_answer(j);
	netdir_job_free_if_done(j);
}

/* The interrupt callback runs inside libfuse with the request locked:
 * answer from the loop, a moment later. */
static void netdir_job_intr_call(void *arg)
{
	struct netdir_job *j = arg;

	j->intr_posted = false;
	if (j->req) {
		reply_err(j->req, EINTR);
		j->req = NULL;
	}
	netdir_job_free_if_done(j);
}

static void netdir_job_interrupt(fuse_req_t req, void *data)
{
	struct netdir_job *j = data;

	if (j->intr_posted || !j->req)
		return;
	j->intr_posted = true;
	j->intr_call.fn = netdir_job_intr_call;
	j->intr_call.arg = j;
	loop_post(&j->intr_call);
}

/* Run q and answer req: at once when q does not block, else from a worker. */
static void netdir_submit(fuse_req_t req, struct sfs_file *f, size_t size, bool text,
			  struct lookup_q *q)
{
	struct netdir_job *j = calloc(1, sizeof(*j));
	int err;

	if (!j) {
		lookup_free(q);
		reply_err(req, ENOMEM);
		return;
	}
	j->req = req;
	j->f = f;
	j->size = size;
	j->text = text;
	j->q = q;
	lookup_audit(q, fuse_req_ctx(req)->pid, fuse_req_ctx(req)->uid);
	if (!lookup_blocking(q)) {
		lookup_run(q);
		netdir_answer(j);
		netdir_job_free_if_done(j);
		return;
	}
	j->running = true;
	err = work_submit(netdir_job_run, netdir_job_done, j);
	if (err) {
		j->running = false;
		j->req = NULL;
		netdir_job_free_if_done(j);
		reply_err(req, -err);
		return;
	}
	/* Calls netdir_job_interrupt at once if already interrupted. */
	fuse_req_interrupt_func(req, netdir_job_interrupt, j);
}

void netdir_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags)
{
	struct lookup_q *q;
	uint64_t id = FILE_INO_ID(f->ino);
	struct netdir_name *n = netdir_find_id(id);

	if (f->done || f->buf) {
		file_reply_buffered(req, f, size);
		return;
	}
	if (!n || n->kind != FILE_INO_KIND(f->ino)) {
		reply_err(req, ENOENT);
		return;
	}
	q = lookup_text_new(n->name, FILE_INO_KIND(f->ino) == FK_NET_REVERSED);
	if (!q) {
		reply_err(req, ENOMEM);
		return;
	}
	netdir_submit(req, f, size, true, q);
}

/* "name\n" as a user writes it with echo: one trailing newline is not
 * part of the name. */
static void netdir_hostname_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size)
{
	size_t n = size;
	json_t *args;
	char *text;
	struct lookup_q *q;
	json_t *err;
	int r;

	if (n && buf[n - 1] == '\n')
		n--;
	args = json_pack("{s:s, s:s%}", "op", "sethostname", "name", buf, n);
	text = args ? json_dumps(args, JSON_COMPACT) : NULL;
	json_decref(args);
	if (!text) {
		reply_err(req, EINVAL); /* not UTF-8 */
		return;
	}
	r = lookup_parse(text, strlen(text), fuse_req_ctx(req)->pid, &q, &err);
	free(text);
	if (r) {
		json_decref(err);
		reply_err(req, -r);
		return;
	}
	lookup_audit(q, fuse_req_ctx(req)->pid, fuse_req_ctx(req)->uid);
	lookup_run(q);
	r = lookup_reply(q, &err);
	json_decref(err);
	lookup_free(q);
	if (r)
		reply_err(req, -r);
	else
		reply_write(req, size);
}

void netdir_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	struct lookup_q *q;
	json_t *err;
	int r;

	if (FILE_INO_KIND(f->ino) == FK_NET_HOSTNAME) {
		netdir_hostname_write(req, f, buf, size);
		return;
	}
	if (FILE_INO_KIND(f->ino) != FK_NET_QUERY) {
		reply_err(req, EBADF);
		return;
	}
	r = lookup_parse(buf, size, fuse_req_ctx(req)->pid, &q, &err);
	if (r) {
		file_set_json(f, err);
		reply_err(req, -r);
		return;
	}
	netdir_submit(req, f, size, false, q);
}
