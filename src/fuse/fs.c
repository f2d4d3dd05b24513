/* fs.c - the FUSE low-level operations: a thin layer that maps inodes and
 * open files to sockets and hands the work to data.c, ctl.c and info.c. */
#include "fs.h"

#include "audit.h"
#include "ctl.h"
#include "data.h"
#include "dgram.h"
#include "info.h"
#include "lifetime.h"
#include "limit.h"
#include "netdir.h"
#include "opts.h"
#include "server.h"
#include "sock.h"

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

#define FS_TTL 1.0

struct fuse_session *fs_session;
bool fs_splice_write;
long fs_default_timeout_ms = -1;

/* One table of file kinds: lookup, readdir and getattr are made from it. */
struct fs_kind_info {
	const char *name;
	mode_t mode;
	bool stream; /* FOPEN_STREAM: no file position, no position lock */
};

static const struct fs_kind_info fs_kinds[FS_NKINDS] = {
    [FS_ROOT] = {"", S_IFDIR | 01777, false},
    [FS_NEW] = {"new", S_IFREG | 0666, true},
    [FS_DIR] = {"", S_IFDIR | 0700, false},
    [FS_CTL] = {"ctl", S_IFREG | 0600, true},
    [FS_DATA] = {"data", S_IFREG | 0600, true},
    [FS_ACCEPT] = {"accept", S_IFREG | 0400, true},
    [FS_ADDR] = {"addr", S_IFREG | 0400, false},
    [FS_OPTS] = {"opts", S_IFREG | 0600, true},
    [FS_STATUS] = {"status", S_IFREG | 0400, false},
    [FS_ERR] = {"err", S_IFREG | 0400, false},
    [FS_MSGS] = {"msgs", S_IFREG | 0600, true},
    [FS_HAS_IPV6] = {"has_ipv6", S_IFREG | 0444, false},
    [FS_HAS_DUALSTACK_IPV6] = {"has_dualstack_ipv6", S_IFREG | 0444, false},
    [FS_DEFTIMEOUT] = {"defaulttimeout", S_IFREG | 0644, false},
    [FS_NET] = {"net", S_IFDIR | 0555, false},
    [FS_NET_QUERY] = {"query", S_IFREG | 0666, true},
    [FS_NET_HOSTNAME] = {"hostname", S_IFREG | 0666, false},
    [FS_NET_INTERFACES] = {"interfaces", S_IFREG | 0444, false},
    [FS_NET_RESOLVE] = {"resolve", S_IFDIR | 0555, false},
    [FS_NET_REVERSE] = {"reverse", S_IFDIR | 0555, false},
    [FS_NET_RESOLVED] = {"", S_IFREG | 0444, true},
    [FS_NET_REVERSED] = {"", S_IFREG | 0444, true},
};

/* Kinds that live at the root, and in each socket directory. */
static const enum fs_kind fs_root_kinds[] = {FS_NEW, FS_HAS_IPV6, FS_HAS_DUALSTACK_IPV6,
					     FS_DEFTIMEOUT, FS_NET};
static const enum fs_kind fs_sock_kinds[] = {FS_CTL,  FS_DATA,	 FS_ACCEPT, FS_ADDR,
					     FS_OPTS, FS_STATUS, FS_ERR,    FS_MSGS};
static const enum fs_kind fs_net_kinds[] = {FS_NET_QUERY, FS_NET_HOSTNAME, FS_NET_INTERFACES,
					    FS_NET_RESOLVE, FS_NET_REVERSE};

#define FS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

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

static ssize_t fs_io_read(int fd, void *buf, size_t len, void *userdata)
{
	return read(fd, buf, len);
}

/* Replies spliced from a pipe (data.c's large reads); without it libfuse
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

/* Attributes. */

/* Every open file, so that shutdown can free them. */
static struct list fs_open_files = LIST_INIT(fs_open_files);

static void fs_file_free(struct sfs_file *f)
{
	if (f->ph)
		fuse_pollhandle_destroy(f->ph);
	list_del(&f->poll_link);
	list_del(&f->all_link);
	dgram_msgs_release(f);
	free(f->buf);
	if (f->s)
		sock_put(f->s);
	free(f);
}

void fs_fini(void)
{
	while (!list_empty(&fs_open_files))
		fs_file_free(list_first(&fs_open_files, struct sfs_file, all_link));
}

static bool fs_is_root_kind(enum fs_kind kind)
{
	for (size_t i = 0; i < FS_COUNT(fs_root_kinds); i++)
		if (fs_root_kinds[i] == kind)
			return true;
	return false;
}

static int fs_stat(uint64_t ino, struct stat *st)
{
	uint64_t id = FS_INO_ID(ino);
	enum fs_kind kind = FS_INO_KIND(ino);
	struct sock *s = NULL;

	if (kind <= 0 || kind >= FS_NKINDS || !fs_kinds[kind].mode)
		return -ENOENT;
	if (kind == FS_NET_RESOLVED || kind == FS_NET_REVERSED) {
		if (!netdir_name_exists(id, kind))
			return -ENOENT;
	} else if ((id == 0) != (kind == FS_ROOT || fs_is_root_kind(kind) || netdir_kind(kind))) {
		return -ENOENT;
	} else if (id) {
		s = sock_find(id);
		if (!s)
			return -ENOENT;
	}
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = fs_kinds[kind].mode;
	st->st_nlink = S_ISDIR(st->st_mode) ? 2 : 1;
	st->st_uid = s ? s->uid : fs_uid;
	st->st_gid = s ? s->gid : fs_gid;
	st->st_blksize = 65536;
	st->st_atime = st->st_mtime = st->st_ctime = fs_start_time;
	if (kind == FS_NEW || kind == FS_HAS_IPV6 || kind == FS_HAS_DUALSTACK_IPV6)
		st->st_uid = 0, st->st_gid = 0;
	if (kind == FS_NET_QUERY)
		st->st_size = NETDIR_QUERY_SIZE;
	return 0;
}

static void fs_reply_entry(fuse_req_t req, uint64_t ino)
{
	struct fuse_entry_param e;
	int err;

	memset(&e, 0, sizeof(e));
	err = fs_stat(ino, &e.attr);
	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	e.ino = ino;
	e.attr_timeout = FS_TTL;
	e.entry_timeout = FS_TTL;
	fuse_reply_entry(req, &e);
}

static int fs_parse_id(const char *name, uint64_t *id)
{
	char *end;
	unsigned long long v;

	if (name[0] < '1' || name[0] > '9')
		return -ENOENT;
	errno = 0;
	v = strtoull(name, &end, 10);
	if (errno || *end || v == 0 || v > (UINT64_MAX >> FS_KIND_BITS))
		return -ENOENT;
	*id = v;
	return 0;
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	uint64_t id;

	if (parent == FUSE_ROOT_ID) {
		for (size_t i = 0; i < FS_COUNT(fs_root_kinds); i++)
			if (!strcmp(name, fs_kinds[fs_root_kinds[i]].name)) {
				fs_reply_entry(req, FS_INO(0, fs_root_kinds[i]));
				return;
			}
		if (fs_parse_id(name, &id) == 0 && sock_find(id)) {
			fs_reply_entry(req, FS_INO(id, FS_DIR));
			return;
		}
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (parent == FS_INO(0, FS_NET)) {
		for (size_t i = 0; i < FS_COUNT(fs_net_kinds); i++)
			if (!strcmp(name, fs_kinds[fs_net_kinds[i]].name)) {
				fs_reply_entry(req, FS_INO(0, fs_net_kinds[i]));
				return;
			}
	}
	if (parent == FS_INO(0, FS_NET_RESOLVE) || parent == FS_INO(0, FS_NET_REVERSE)) {
		int err = netdir_name_lookup(FS_INO_KIND(parent), name, &id);
		if (err)
			fuse_reply_err(req, -err);
		else
			fs_reply_entry(req, FS_INO(id, FS_INO_KIND(parent) == FS_NET_RESOLVE
							   ? FS_NET_RESOLVED
							   : FS_NET_REVERSED));
		return;
	}
	if (FS_INO_KIND(parent) == FS_DIR && sock_find(FS_INO_ID(parent))) {
		for (size_t i = 0; i < FS_COUNT(fs_sock_kinds); i++)
			if (!strcmp(name, fs_kinds[fs_sock_kinds[i]].name)) {
				fs_reply_entry(req, FS_INO(FS_INO_ID(parent), fs_sock_kinds[i]));
				return;
			}
	}
	fuse_reply_err(req, ENOENT);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int err = fs_stat(ino, &st);

	if (err)
		fuse_reply_err(req, -err);
	else
		fuse_reply_attr(req, &st, FS_TTL);
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
	struct stat st = {.st_ino = ino, .st_mode = fs_kinds[FS_INO_KIND(ino)].mode};
	size_t need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);

	if (*pos + need > size)
		return false;
	fuse_add_direntry(req, buf + *pos, size - *pos, name, &st, next);
	*pos += need;
	return true;
}

/* Offsets: 1 ".", 2 "..", 3.. the kind table, then FS_NKINDS + id. */
static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	char *buf = malloc(size);
	size_t pos = 0;
	uint64_t id = FS_INO_ID(ino);
	bool root = ino == FUSE_ROOT_ID;
	const enum fs_kind *kinds = root ? fs_root_kinds : fs_sock_kinds;
	size_t nkinds = root ? FS_COUNT(fs_root_kinds) : FS_COUNT(fs_sock_kinds);
	bool net = ino == FS_INO(0, FS_NET) || ino == FS_INO(0, FS_NET_RESOLVE) ||
		   ino == FS_INO(0, FS_NET_REVERSE);

	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (net) {
		/* resolve/ and reverse/ list nothing: any name can be looked up. */
		kinds = fs_net_kinds;
		nkinds = ino == FS_INO(0, FS_NET) ? FS_COUNT(fs_net_kinds) : 0;
	} else if (!root && (FS_INO_KIND(ino) != FS_DIR || !sock_find(id))) {
		free(buf);
		fuse_reply_err(req, root ? ENOTDIR : ENOENT);
		return;
	}
	if (off < 1 && !fs_dir_add(req, buf, size, &pos, ".", ino, 1))
		goto reply;
	if (off < 2 && !fs_dir_add(req, buf, size, &pos, "..", FUSE_ROOT_ID, 2))
		goto reply;
	for (size_t i = 0; i < nkinds; i++) {
		off_t o = 3 + (off_t)i;
		if (off < o && !fs_dir_add(req, buf, size, &pos, fs_kinds[kinds[i]].name,
					   FS_INO(id, kinds[i]), o))
			goto reply;
	}
	if (root) {
		uint64_t after = off > FS_NKINDS + 2 ? (uint64_t)off - FS_NKINDS - 2 : 0;
		for (struct sock *s = sock_next(after); s; s = sock_next(s->id)) {
			char name[24];
			snprintf(name, sizeof(name), "%" PRIu64, s->id);
			if (!fs_dir_add(req, buf, size, &pos, name, FS_INO(s->id, FS_DIR),
					(off_t)(s->id + FS_NKINDS + 2)))
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

void fs_file_set_buf(struct sfs_file *f, char *buf, size_t len)
{
	free(f->buf);
	f->buf = buf;
	f->len = len;
	f->off = 0;
}

int fs_file_set_json(struct sfs_file *f, json_t *j)
{
	char *text;
	size_t n;

	if (!j)
		return -ENOMEM;
	text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (!text)
		return -ENOMEM;
	n = strlen(text);
	text = realloc(text, n + 2);
	if (!text)
		return -ENOMEM;
	text[n] = '\n';
	text[n + 1] = 0;
	fs_file_set_buf(f, text, n + 1);
	return 0;
}

void fs_reply_buffered(fuse_req_t req, struct sfs_file *f, size_t size)
{
	size_t n = f->len - f->off;

	if (n > size)
		n = size;
	fuse_reply_buf(req, f->buf ? f->buf + f->off : NULL, n);
	f->off += n;
	if (f->buf && f->off == f->len)
		fs_file_set_buf(f, NULL, 0);
}

void fs_file_poll_wake(struct sfs_file *f)
{
	if (f->ph) {
		fuse_lowlevel_notify_poll(f->ph);
		fuse_pollhandle_destroy(f->ph);
		f->ph = NULL;
	}
	list_del(&f->poll_link);
}

/* The read-only root files has_ipv6 and has_dualstack_ipv6. */
static json_t *fs_root_json(enum fs_kind kind)
{
	return json_boolean(kind == FS_HAS_IPV6 ? server_has_ipv6() : server_has_dualstack_ipv6());
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	enum fs_kind kind = FS_INO_KIND(ino);
	struct sfs_file *f;
	struct sock *s = NULL;
	struct stat st;
	int err;

	err = fs_stat(ino, &st);
	if (err) {
		fuse_reply_err(req, -err);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (FS_INO_ID(ino) && !netdir_kind(kind)) {
		s = sock_find(FS_INO_ID(ino));
		if (ctx->uid != 0 && ctx->uid != s->uid) {
			fuse_reply_err(req, EACCES);
			return;
		}
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	f->kind = kind;
	f->ino = ino;
	f->flags = fi->flags;
	f->uid = ctx->uid;
	f->gid = ctx->gid;
	f->pid = ctx->pid;
	list_init(&f->poll_link);
	list_init(&f->all_link);
	if (s) {
		f->s = s;
		sock_get(s);
	}
	/* Snapshot files are made at open, so every read of one open file
	 * sees one consistent document. */
	if (kind == FS_DEFTIMEOUT && (fi->flags & O_ACCMODE) != O_WRONLY) {
		char line[32];
		int n = fs_default_timeout_ms < 0
			    ? snprintf(line, sizeof(line), "null\n")
			    : snprintf(line, sizeof(line), "%g\n", fs_default_timeout_ms / 1000.0);
		fs_file_set_buf(f, strndup(line, (size_t)n), (size_t)n);
	}
	if (kind == FS_ADDR || kind == FS_STATUS || kind == FS_ERR || kind == FS_HAS_IPV6 ||
	    kind == FS_HAS_DUALSTACK_IPV6 ||
	    (kind == FS_OPTS && (fi->flags & O_ACCMODE) != O_WRONLY)) {
		json_t *j = kind == FS_HAS_IPV6 || kind == FS_HAS_DUALSTACK_IPV6
				? fs_root_json(kind)
			    : kind == FS_ADDR	? info_addr(s)
			    : kind == FS_STATUS ? info_status(s)
			    : kind == FS_ERR	? info_err(s)
						: opts_get(s);
		err = fs_file_set_json(f, j);
	} else if (netdir_kind(kind)) {
		err = netdir_open(f);
	}
	if (err) {
		if (f->s)
			sock_put(f->s);
		free(f->buf);
		free(f);
		fuse_reply_err(req, -err);
		return;
	}
	if (f->s)
		lifetime_file_opened(f->s);
	fi->fh = (uintptr_t)f;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->noflush = 1;
	if (fs_kinds[kind].stream) {
		fi->nonseekable = 1;
		fs_open_flags_next = FOPEN_STREAM | FOPEN_PARALLEL_DIRECT_WRITES;
	}
	list_add_tail(&fs_open_files, &f->all_link);
	if (fuse_reply_open(req, fi) != 0) {
		/* The opener is gone (interrupted): no release will come. */
		fs_open_flags_next = 0;
		if (f->s)
			lifetime_file_released(f->s, ctx->pid, ctx->uid);
		fs_file_free(f);
	}
}

static struct sfs_file *fs_file(struct fuse_file_info *fi)
{
	return (struct sfs_file *)(uintptr_t)fi->fh;
}

static void fs_read_new(fuse_req_t req, struct sfs_file *f, size_t size)
{
	/* After a failed write the error is read back, no socket is made. */
	if (!f->done && !f->buf) {
		struct sock *s = NULL;
		char line[32];
		int n, err = limit_check(f->uid);

		if (err) {
			fuse_reply_err(req, -err);
			return;
		}
		s = sock_new(f->uid, f->gid);
		if (!s) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		lifetime_set_creator(s, fuse_req_ctx(req)->pid);
		audit_event(
		    "socket.__new__", fuse_req_ctx(req)->pid, f->uid, s->id,
		    json_pack("{s:n, s:s, s:i}", "family", "type", "SOCK_STREAM", "proto", 0));
		n = snprintf(line, sizeof(line), "%" PRIu64 "\n", s->id);
		fs_file_set_buf(f, strndup(line, (size_t)n), (size_t)n);
		f->done = true;
	}
	fs_reply_buffered(req, f, size);
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct sfs_file *f = fs_file(fi);

	switch (f->kind) {
	case FS_NEW:
		fs_read_new(req, f, size);
		return;
	case FS_DATA:
		if (f->buf) /* the rest of a datagram */
			fs_reply_buffered(req, f, size);
		else
			data_read(req, f, size, fi->flags);
		return;
	case FS_ACCEPT:
		ctl_accept_read(req, f, size, fi->flags);
		return;
	case FS_MSGS:
		dgram_msgs_read(req, f, size, fi->flags);
		return;
	case FS_CTL:
	case FS_OPTS:
	case FS_NET_QUERY:
		fs_reply_buffered(req, f, size);
		return;
	case FS_NET_RESOLVED:
	case FS_NET_REVERSED:
		netdir_read(req, f, size);
		return;
	default:
		/* Snapshots: honour the offset. */
		if ((size_t)off >= f->len) {
			fuse_reply_buf(req, NULL, 0);
			return;
		}
		if (size > f->len - (size_t)off)
			size = f->len - (size_t)off;
		fuse_reply_buf(req, f->buf + off, size);
		return;
	}
}

/* "2.5", "0", "null" or "none" (blocking), as setdefaulttimeout. */
static void fs_write_default_timeout(fuse_req_t req, const char *buf, size_t size)
{
	char text[64], *end;
	size_t n = size;
	double v;

	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	if (n == 0 || n >= sizeof(text)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	memcpy(text, buf, n);
	text[n] = 0;
	if (!strcmp(text, "null") || !strcmp(text, "none")) {
		fs_default_timeout_ms = -1;
		fuse_reply_write(req, size);
		return;
	}
	errno = 0;
	v = strtod(text, &end);
	if (errno || *end || !(v >= 0) || v > 1e9) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	fs_default_timeout_ms = (long)(v * 1000.0 + 0.5);
	fuse_reply_write(req, size);
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct sfs_file *f = fs_file(fi);

	switch (f->kind) {
	case FS_NEW:
		ctl_new_write(req, f, buf, size);
		return;
	case FS_CTL:
		ctl_write(req, f, buf, size, fi->flags);
		return;
	case FS_DATA:
		data_write(req, f, buf, size, fi->flags);
		return;
	case FS_OPTS:
		ctl_opts_write(req, f, buf, size);
		return;
	case FS_MSGS:
		dgram_msgs_write(req, f, buf, size, fi->flags);
		return;
	case FS_DEFTIMEOUT:
		fs_write_default_timeout(req, buf, size);
		return;
	case FS_NET_QUERY:
	case FS_NET_HOSTNAME:
		netdir_write(req, f, buf, size);
		return;
	default:
		fuse_reply_err(req, EBADF);
		return;
	}
}

static void fs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct sfs_file *f = fs_file(fi);

	if (f->s)
		lifetime_file_released(f->s, fuse_req_ctx(req)->pid, fuse_req_ctx(req)->uid);
	fs_file_free(f);
	fuse_reply_err(req, 0);
}

/* Readiness of an open file. Any file of a socket is registered on the
 * socket's pollers and woken on every change of the socket, so a new kind
 * only needs its mask here; by default it is the data file's. */
static unsigned fs_poll_mask(struct sfs_file *f)
{
	struct sock *s = f->s;

	if (f->buf && f->off < f->len)
		return POLLIN | POLLRDNORM;
	if (!s)
		return POLLIN | POLLOUT;
	switch (f->kind) {
	case FS_ACCEPT:
		return f->done ? POLLIN | POLLHUP
			       : data_poll_mask(s) & (POLLIN | POLLERR | POLLHUP);
	case FS_CTL:
	case FS_OPTS:
		return POLLOUT | POLLWRNORM | (f->buf ? POLLIN : 0);
	default:
		return data_poll_mask(s);
	}
}

static void fs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct sfs_file *f = fs_file(fi);
	struct sock *s = f->s;
	unsigned mask = fs_poll_mask(f);

	if (ph) {
		if (f->ph)
			fuse_pollhandle_destroy(f->ph);
		f->ph = ph;
		if (s && s->state != SOCK_ST_CLOSED && list_empty(&f->poll_link))
			list_add_tail(&s->pollers, &f->poll_link);
		else if (!s || s->state == SOCK_ST_CLOSED) {
			fuse_pollhandle_destroy(ph);
			f->ph = NULL;
		}
	}
	fuse_reply_poll(req, mask);
}

static void fs_init(void *userdata, struct fuse_conn_info *conn)
{
	/* One AIO read must stay one FUSE read: stream data cannot be
	 * split across concurrent requests. */
	conn->want &= ~FUSE_CAP_ASYNC_DIO;
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	conn->want &= ~(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE);
	/* Replies may splice (data.c); requests are still read, not spliced. */
	if ((conn->capable & FUSE_CAP_SPLICE_WRITE) && !getenv("SOCKFS_NO_SPLICE")) {
		conn->want |= FUSE_CAP_SPLICE_WRITE;
		fs_splice_write = true;
	}
	fs_start_time = time(NULL);
	fs_uid = getuid();
	fs_gid = getgid();
}

/* Names under net/resolve/ and net/reverse/ live while the kernel knows
 * them; socket ids are never reused and need no forget. */
static void fs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	if (FS_INO_KIND(ino) == FS_NET_RESOLVED || FS_INO_KIND(ino) == FS_NET_REVERSED)
		netdir_forget(FS_INO_ID(ino), nlookup);
	fuse_reply_none(req);
}

static void fs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++)
		if (FS_INO_KIND(forgets[i].ino) == FS_NET_RESOLVED ||
		    FS_INO_KIND(forgets[i].ino) == FS_NET_REVERSED)
			netdir_forget(FS_INO_ID(forgets[i].ino), forgets[i].nlookup);
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
