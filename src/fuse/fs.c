/* fs.c - the FUSE low-level operations. Thin: each finds the file's kind
 * in the table (files/filetab.h) and its socket, and hands the request to
 * the kind's operation, which answers it (req/reply.h). lookup, readdir
 * and getattr are made from the table alone. */
#include "fs.h"

#include "audit.h"
#include "filetab.h"
#include "lifetime.h"
#include "netdir.h"
#include "reply.h"
#include "sock.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fuse.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Entry and attribute timeouts. The files' names, modes and owners never
 * change while they exist, and a socket's directory is invalidated when
 * the socket closes (req/reply.h reply_forget_dir; rmdir by the kernel
 * itself), so the kernel may keep them: no LOOKUP or GETATTR on the next
 * open of the same file (bench/README.md, step 8). Names under
 * net/resolve/ and net/reverse/ keep a short timeout. */
#define FS_TTL	       86400.0
#define FS_TTL_NETNAME 1.0

static time_t fs_start_time;
static uid_t fs_uid;
static gid_t fs_gid;

/* FOPEN_STREAM through the custom io hook: libfuse 3.14 cannot set it. */
static __thread uint32_t fs_open_flags_next;

static ssize_t fs_io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	if (fs_open_flags_next && count == 2 && iov[1].iov_len == sizeof(struct fuse_open_out)) {
		struct fuse_open_out *o = iov[1].iov_base;
		o->open_flags |= fs_open_flags_next;
	}
	fs_open_flags_next = 0;
	return writev(fd, iov, count);
}

/* Every request passes here: count it by opcode (req/stats.h). */
static ssize_t fs_io_read(int fd, void *buf, size_t len, void *userdata)
{
	ssize_t n = read(fd, buf, len);

	if (n >= (ssize_t)sizeof(struct fuse_in_header))
		stats_count(((const struct fuse_in_header *)buf)->opcode);
	return n;
}

/* Replies spliced from a pipe (large stream reads); without it libfuse
 * 3.14 never splices under custom io. */
static ssize_t fs_io_splice_send(int fdin, off_t *offin, int fdout, off_t *offout, size_t len,
				 unsigned int flags, void *userdata)
{
	return splice(fdin, offin, fdout, offout, len, flags);
}

static const struct fuse_custom_io fs_io = {
    .writev = fs_io_writev,
    .read = fs_io_read,
    .splice_send = fs_io_splice_send,
};

const struct fuse_custom_io *fs_custom_io(void)
{
	return &fs_io;
}

void fs_start(struct fuse_session *se)
{
	reply_init(se);
}

/* Attributes. */

/* The type of ino and, for a socket's files, its socket; -ENOENT when
 * nothing has that inode now. */
static int fs_resolve(uint64_t ino, const struct file_type **type, struct sock **s)
{
	uint64_t id = FILE_INO_ID(ino);
	const struct file_type *t = filetab_type(FILE_INO_KIND(ino));

	*s = NULL;
	if (!t)
		return -ENOENT;
	switch (t->home) {
	case FH_ROOT:
	case FH_NET:
		if (id)
			return -ENOENT;
		break;
	case FH_SOCK:
		*s = id ? sock_find(id) : NULL;
		if (!*s)
			return -ENOENT;
		break;
	case FH_NETNAME:
		if (!netdir_name_exists(id, t->kind))
			return -ENOENT;
		break;
	}
	*type = t;
	return 0;
}

static int fs_stat(uint64_t ino, struct stat *st)
{
	const struct file_type *t;
	struct sock *s;
	int err = fs_resolve(ino, &t, &s);

	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = t->mode;
	st->st_nlink = S_ISDIR(st->st_mode) ? 2 : 1;
	st->st_uid = s ? s->uid : t->root_owned ? 0 : fs_uid;
	st->st_gid = s ? s->gid : t->root_owned ? 0 : fs_gid;
	st->st_blksize = 65536;
	st->st_atime = st->st_mtime = st->st_ctime = fs_start_time;
	st->st_size = t->size;
	return 0;
}

static double fs_ttl(uint64_t ino)
{
	const struct file_type *t = filetab_type(FILE_INO_KIND(ino));

	return t && t->home == FH_NETNAME ? FS_TTL_NETNAME : FS_TTL;
}

/* 0 when the kernel got the entry (and counts a lookup of it). */
static int fs_reply_entry(fuse_req_t req, uint64_t ino)
{
	struct fuse_entry_param e;
	int err;

	memset(&e, 0, sizeof(e));
	err = fs_stat(ino, &e.attr);
	if (err) {
		fuse_reply_err(req, -err);
		return err;
	}
	e.ino = ino;
	e.attr_timeout = e.entry_timeout = fs_ttl(ino);
	return fuse_reply_entry(req, &e);
}

/* A socket directory's name: its id in decimal, nothing else. */
static int fs_parse_id(const char *name, uint64_t *id)
{
	char *end;
	unsigned long long v;

	if (name[0] < '1' || name[0] > '9')
		return -ENOENT;
	errno = 0;
	v = strtoull(name, &end, 10);
	if (errno || *end || v == 0 || v > FILE_ID_MAX)
		return -ENOENT;
	*id = v;
	return 0;
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	enum file_kind dir = FILE_INO_KIND(parent);
	uint64_t pid = FILE_INO_ID(parent);
	enum file_kind kind;
	uint64_t id;
	int err;

	if (dir == FK_DIR && !sock_find(pid)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	kind = filetab_lookup(dir, name);
	if (kind) {
		fs_reply_entry(req, FILE_INO(pid, kind));
		return;
	}
	if (dir == FK_ROOT && fs_parse_id(name, &id) == 0 && sock_find(id)) {
		if (fs_reply_entry(req, FILE_INO(id, FK_DIR)) == 0)
			reply_dir_looked_up(id);
		return;
	}
	if (dir == FK_NET_RESOLVE || dir == FK_NET_REVERSE) {
		err = netdir_name_lookup(dir, name, fuse_req_ctx(req)->uid, &id);
		if (err)
			fuse_reply_err(req, -err);
		else
			fs_reply_entry(req, FILE_INO(id, dir == FK_NET_RESOLVE ? FK_NET_RESOLVED
									       : FK_NET_REVERSED));
		return;
	}
	fuse_reply_err(req, ENOENT);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int err = fs_stat(ino, &st); /* FUSE_ROOT_ID is FILE_INO(0, FK_ROOT) */

	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_attr(req, &st, fs_ttl(ino));
}

/* Truncation (`>` redirections) and times are accepted and ignored: the
 * files have no stored contents. */
static void fs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	fs_getattr(req, ino, fi);
}

/* Directories. */

static bool fs_dir_add(fuse_req_t req, char *buf, size_t size, size_t *pos, const char *name,
		       uint64_t ino, off_t next)
{
	const struct file_type *t = filetab_type(FILE_INO_KIND(ino));
	struct stat st = {.st_ino = ino, .st_mode = t ? t->mode : S_IFDIR};
	size_t need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);

	if (*pos + need > size)
		return false;
	fuse_add_direntry(req, buf + *pos, size - *pos, name, &st, next);
	*pos += need;
	return true;
}

/* Offsets: 1 ".", 2 "..", 3.. the directory's kinds, then FK_NKINDS + 2 +
 * a socket id (the root's sockets, in id order). */
static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	enum file_kind dir = FILE_INO_KIND(ino);
	uint64_t id = FILE_INO_ID(ino);
	const enum file_kind *kinds;
	size_t nkinds, pos = 0;
	char *buf;

	if (dir != FK_ROOT && dir != FK_NET && dir != FK_NET_RESOLVE && dir != FK_NET_REVERSE &&
	    (dir != FK_DIR || !sock_find(id))) {
		fuse_reply_err(req, dir == FK_DIR ? ENOENT : ENOTDIR);
		return;
	}
	buf = malloc(size);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	kinds = filetab_dir(dir, &nkinds);
	if (off < 1 && !fs_dir_add(req, buf, size, &pos, ".", ino, 1))
		goto reply;
	if (off < 2 && !fs_dir_add(req, buf, size, &pos, "..", FUSE_ROOT_ID, 2))
		goto reply;
	for (size_t i = 0; i < nkinds; i++) {
		off_t o = 3 + (off_t)i;
		if (off < o && !fs_dir_add(req, buf, size, &pos, filetab_type(kinds[i])->name,
					   FILE_INO(id, kinds[i]), o))
			goto reply;
	}
	if (dir == FK_ROOT) {
		uint64_t after = off > FK_NKINDS + 2 ? (uint64_t)off - FK_NKINDS - 2 : 0;
		for (struct sock *s = sock_next(after); s; s = sock_next(s->id)) {
			char name[24];
			snprintf(name, sizeof(name), "%" PRIu64, s->id);
			if (!fs_dir_add(req, buf, size, &pos, name, FILE_INO(s->id, FK_DIR),
					(off_t)(s->id + FK_NKINDS + 2)))
				break;
		}
	}
reply:
	fuse_reply_buf(req, buf, pos);
	free(buf);
}

static void fs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	uint64_t id;
	struct sock *s;

	if (parent != FUSE_ROOT_ID || fs_parse_id(name, &id) || !(s = sock_find(id))) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (ctx->uid != 0 && ctx->uid != s->uid) {
		fuse_reply_err(req, EPERM);
		return;
	}
	audit_event("socket.close", ctx->pid, ctx->uid, s->id, NULL);
	sock_close(s);
	fuse_reply_err(req, 0);
}

/* Open files. */

static struct sfs_file *fs_file(struct fuse_file_info *fi)
{
	return (struct sfs_file *)(uintptr_t)fi->fh;
}

/* The end of an open file: its kind's release, its socket's lifetime. */
static void fs_file_end(struct sfs_file *f, pid_t pid, uid_t uid)
{
	struct sock *s = f->s;

	if (f->type->release)
		f->type->release(f);
	file_free(f);
	if (s) {
		lifetime_file_released(s, pid, uid);
		sock_put(s);
	}
}

static void fs_file_end_at_exit(struct sfs_file *f)
{
	fs_file_end(f, 0, 0);
}

void fs_fini(void)
{
	file_free_all(fs_file_end_at_exit);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	const struct file_type *t;
	struct sfs_file *f;
	struct sock *s;
	int err = fs_resolve(ino, &t, &s);

	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	if (S_ISDIR(t->mode)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (s && ctx->uid != 0 && ctx->uid != s->uid) {
		fuse_reply_err(req, EACCES);
		return;
	}
	f = file_new(req, t, ino, fi->flags);
	if (!f) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	f->s = s;
	err = t->open ? t->open(f) : 0;
	if (err) {
		file_free(f);
		fuse_reply_err(req, -err);
		return;
	}
	if (s) {
		sock_get(s);
		lifetime_file_opened(s);
	}
	fi->fh = (uintptr_t)f;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->noflush = 1;
	if (t->stream) {
		fi->nonseekable = 1;
		fs_open_flags_next = FOPEN_STREAM | FOPEN_PARALLEL_DIRECT_WRITES;
	}
	if (fuse_reply_open(req, fi) != 0) {
		/* The opener is gone (interrupted): no release will come. */
		fs_open_flags_next = 0;
		fs_file_end(f, ctx->pid, ctx->uid);
	}
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct sfs_file *f = fs_file(fi);

	if (f->type->read)
		f->type->read(req, f, size, off, fi->flags);
	else
		file_reply_snapshot(req, f, size, off);
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct sfs_file *f = fs_file(fi);

	if (f->type->write)
		f->type->write(req, f, buf, size, fi->flags);
	else
		fuse_reply_err(req, EBADF);
}

static void fs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	fs_file_end(fs_file(fi), fuse_req_ctx(req)->pid, fuse_req_ctx(req)->uid);
	fuse_reply_err(req, 0);
}

/* Readiness of an open file: bytes it holds, else its kind's, else its
 * socket's. Any file of a socket is woken on every change of the socket. */
static unsigned fs_poll_mask(struct sfs_file *f)
{
	if (file_has_bytes(f))
		return POLLIN | POLLRDNORM;
	if (!f->s)
		return POLLIN | POLLOUT;
	if (f->type->poll)
		return f->type->poll(f);
	return sock_poll_mask(f->s);
}

static void fs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct sfs_file *f = fs_file(fi);
	struct sock *s = f->s;
	unsigned mask = fs_poll_mask(f);

	if (ph) {
		if (s && s->state != SOCK_ST_CLOSED) {
			file_poll_keep(f, ph);
			if (list_empty(&f->poll_link))
				list_add_tail(&s->pollers, &f->poll_link);
		} else {
			fuse_pollhandle_destroy(ph);
		}
	}
	fuse_reply_poll(req, mask);
}

_Static_assert(FILE_INO(0, FK_ROOT) == FUSE_ROOT_ID, "the root's inode is FUSE's");

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	/* One AIO read must stay one FUSE read: stream data cannot be
	 * split across concurrent requests. */
	conn->want &= ~FUSE_CAP_ASYNC_DIO;
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	conn->want &= ~(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE);
	/* Replies may splice (large stream reads); requests are read. */
	if ((conn->capable & FUSE_CAP_SPLICE_WRITE) && !getenv("SOCKFS_NO_SPLICE")) {
		conn->want |= FUSE_CAP_SPLICE_WRITE;
		reply_set_splice(true);
	}
	fs_start_time = time(NULL);
	fs_uid = getuid();
	fs_gid = getgid();
}

/* Names under net/resolve/ and net/reverse/ live while the kernel knows
 * them; socket ids are never reused and need no forget. */
static void fs_forget_one(uint64_t ino, uint64_t nlookup)
{
	const struct file_type *t = filetab_type(FILE_INO_KIND(ino));

	if (t && t->home == FH_NETNAME)
		netdir_forget(FILE_INO_ID(ino), nlookup);
	else if (t && t->kind == FK_DIR)
		reply_dir_forgotten(FILE_INO_ID(ino), nlookup);
}

static void fs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	fs_forget_one(ino, nlookup);
	fuse_reply_none(req);
}

static void fs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		fs_forget_one(forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static const struct fuse_lowlevel_ops fs_lowlevel_ops = {
    .init = fs_init,
    .lookup = fs_lookup,
    .getattr = fs_getattr,
    .setattr = fs_setattr,
    .readdir = fs_readdir,
    .rmdir = fs_rmdir,
    .open = fs_open,
    .read = fs_read,
    .write = fs_write,
    .release = fs_release,
    .poll = fs_poll,
    .forget = fs_forget,
    .forget_multi = fs_forget_multi,
};

const struct fuse_lowlevel_ops *fs_ops(void)
{
	return &fs_lowlevel_ops;
}
