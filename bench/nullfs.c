/* nullfs.c - the benchmark's floor: a FUSE filesystem that does nothing,
 * with the same kinds of files and requests as sockfs, so that
 * sockfs / floor says how close sockfs is to what any FUSE daemon could
 * reach with the same requests on the same machine.
 *
 *   new        each open file reads a fresh id ("N\n") once, as sockfs's new
 *              (seekable, so that bash's read takes it in one request)
 *   stats      {"requests": {...}, "requests_total": n}, as sockfs's stats
 *   clone      writes swallowed, reads zeros (sockfs's clone: a socket per
 *              open file, commands written to it)
 *   N/         any decimal N; every name in it is a file:
 *   N/NAME     reads answer zeros (size - 1 bytes above 4 KiB, as sockfs's
 *              stream reads), writes are swallowed
 *
 * One thread, a non-blocking device and the same 50 us spin after a batch
 * as sockfs's loop; the same open flags (direct_io, nonseekable, noflush,
 * FOPEN_STREAM), the same entry and attribute timeouts (NULLFS_TTL). */
#define FUSE_USE_VERSION 34
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <inttypes.h>
#include <linux/fuse.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* The same as sockfs (src/fuse/fs.c FS_TTL): the floor makes the same
 * requests. */
#ifndef NULLFS_TTL
#define NULLFS_TTL 1.0
#endif
#define NULLFS_SPIN_NS 50000
#define NULLFS_NOPS    64

/* Inodes: 1 the root, 2 new, 3 stats, N << 8 the directory N, (N << 8) |
 * 4 its files (one inode for every name: nothing differs between them). */
enum { INO_NEW = 2, INO_STATS = 3, INO_FILE = 4, INO_CLONE = 5 };

static uint64_t nullfs_req[NULLFS_NOPS + 1];
static uint64_t nullfs_next_id = 1;
static char *nullfs_zeros;
static uint32_t nullfs_open_flags_next;

static ssize_t nullfs_io_read(int fd, void *buf, size_t len, void *userdata)
{
	ssize_t n = read(fd, buf, len);

	if (n >= (ssize_t)sizeof(struct fuse_in_header)) {
		uint32_t op = ((const struct fuse_in_header *)buf)->opcode;
		nullfs_req[op < NULLFS_NOPS ? op : NULLFS_NOPS]++;
	}
	return n;
}

static ssize_t nullfs_io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	if (nullfs_open_flags_next && count == 2 && iov[1].iov_len == sizeof(struct fuse_open_out))
		((struct fuse_open_out *)iov[1].iov_base)->open_flags |= nullfs_open_flags_next;
	nullfs_open_flags_next = 0;
	return writev(fd, iov, count);
}

static const struct fuse_custom_io nullfs_io = {.writev = nullfs_io_writev, .read = nullfs_io_read};

static void nullfs_stat(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	if (ino == FUSE_ROOT_ID || (ino & 0xff) == 0)
		st->st_mode = S_IFDIR | (ino == FUSE_ROOT_ID ? 01777 : 0700);
	else
		st->st_mode = S_IFREG | 0666;
	st->st_nlink = S_ISDIR(st->st_mode) ? 2 : 1;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_blksize = 65536;
}

static void nullfs_entry(fuse_req_t req, fuse_ino_t ino)
{
	struct fuse_entry_param e = {
	    .ino = ino, .attr_timeout = NULLFS_TTL, .entry_timeout = NULLFS_TTL};

	nullfs_stat(ino, &e.attr);
	fuse_reply_entry(req, &e);
}

static void nullfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	char *end;
	unsigned long long id;

	if (parent != FUSE_ROOT_ID) {
		nullfs_entry(req, parent | INO_FILE);
		return;
	}
	if (!strcmp(name, "new") || !strcmp(name, "stats") || !strcmp(name, "clone")) {
		nullfs_entry(req, name[0] == 'n'   ? INO_NEW
				  : name[0] == 's' ? INO_STATS
						   : INO_CLONE);
		return;
	}
	id = strtoull(name, &end, 10);
	if (*end || id == 0 || id >= (1ull << 48)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	nullfs_entry(req, (fuse_ino_t)id << 8);
}

static void nullfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;

	nullfs_stat(ino, &st);
	fuse_reply_attr(req, &st, NULLFS_TTL);
}

static void nullfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
			   struct fuse_file_info *fi)
{
	nullfs_getattr(req, ino, fi);
}

/* An open file of new or stats: its bytes (fh points to them). */
struct nullfs_text {
	size_t len;
	char text[];
};

static struct nullfs_text *nullfs_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct nullfs_text *nullfs_text(const char *fmt, ...)
{
	struct nullfs_text *t = malloc(sizeof(*t) + 4096);
	va_list ap;

	if (!t)
		return NULL;
	va_start(ap, fmt);
	t->len = (size_t)vsnprintf(t->text, 4096, fmt, ap);
	va_end(ap);
	if (t->len >= 4096)
		t->len = 4095;
	return t;
}

static struct nullfs_text *nullfs_stats(void)
{
	static const struct {
		int op;
		const char *name;
	} names[] = {{FUSE_LOOKUP, "LOOKUP"},
		     {FUSE_FORGET, "FORGET"},
		     {FUSE_GETATTR, "GETATTR"},
		     {FUSE_SETATTR, "SETATTR"},
		     {FUSE_RMDIR, "RMDIR"},
		     {FUSE_OPEN, "OPEN"},
		     {FUSE_READ, "READ"},
		     {FUSE_WRITE, "WRITE"},
		     {FUSE_RELEASE, "RELEASE"},
		     {FUSE_GETXATTR, "GETXATTR"},
		     {FUSE_FLUSH, "FLUSH"},
		     {FUSE_INIT, "INIT"},
		     {FUSE_OPENDIR, "OPENDIR"},
		     {FUSE_READDIR, "READDIR"},
		     {FUSE_RELEASEDIR, "RELEASEDIR"},
		     {FUSE_INTERRUPT, "INTERRUPT"},
		     {FUSE_POLL, "POLL"},
		     {FUSE_BATCH_FORGET, "BATCH_FORGET"},
		     {FUSE_READDIRPLUS, "READDIRPLUS"}};
	char buf[2048];
	size_t pos = 0;
	uint64_t total = 0, named = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (nullfs_req[names[i].op]) {
			pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s\"%s\":%" PRIu64,
						pos ? "," : "", names[i].name,
						nullfs_req[names[i].op]);
			named += nullfs_req[names[i].op];
		}
	for (int i = 0; i <= NULLFS_NOPS; i++)
		total += nullfs_req[i];
	if (total > named)
		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s\"other\":%" PRIu64,
					pos ? "," : "", total - named);
	return nullfs_text("{\"requests\":{%.*s},\"requests_total\":%" PRIu64 ",\"sockets\":0}\n",
			   (int)pos, buf, total);
}

static void nullfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct nullfs_text *t = NULL;

	if (ino == FUSE_ROOT_ID || (ino & 0xff) == 0) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if (ino == INO_NEW)
		t = nullfs_text("%" PRIu64 "\n", nullfs_next_id++);
	else if (ino == INO_STATS)
		t = nullfs_stats();
	if ((ino == INO_NEW || ino == INO_STATS) && !t) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->fh = (uintptr_t)t;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->noflush = 1;
	if (ino != INO_STATS && ino != INO_NEW) {
		fi->nonseekable = 1;
		nullfs_open_flags_next = FOPEN_STREAM | FOPEN_PARALLEL_DIRECT_WRITES;
	}
	if (fuse_reply_open(req, fi) != 0) {
		nullfs_open_flags_next = 0;
		free(t);
	}
}

static void nullfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			struct fuse_file_info *fi)
{
	struct nullfs_text *t = (struct nullfs_text *)(uintptr_t)fi->fh;

	if (t) {
		/* new: the id once, whatever the offset; stats: at off */
		size_t at = ino == INO_NEW ? 0 : (size_t)off;
		size_t n = at < t->len ? t->len - at : 0;
		fuse_reply_buf(req, t->text + at, n < size ? n : size);
		if (ino == INO_NEW)
			t->len = 0;
		return;
	}
	if (size > 4096)
		size--; /* as sockfs: never fill a large read */
	fuse_reply_buf(req, nullfs_zeros, size < (1u << 20) ? size : (1u << 20));
}

static void nullfs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
			 struct fuse_file_info *fi)
{
	fuse_reply_write(req, size);
}

static void nullfs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	free((void *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

static void nullfs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, 0);
}

static void nullfs_init(void *userdata, struct fuse_conn_info *conn)
{
	conn->want &= ~(FUSE_CAP_ASYNC_DIO | FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE |
			FUSE_CAP_SPLICE_MOVE);
}

static const struct fuse_lowlevel_ops nullfs_ops = {
    .init = nullfs_init,
    .lookup = nullfs_lookup,
    .getattr = nullfs_getattr,
    .setattr = nullfs_setattr,
    .rmdir = nullfs_rmdir,
    .open = nullfs_open,
    .read = nullfs_read,
    .write = nullfs_write,
    .release = nullfs_release,
};

static uint64_t nullfs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Read and answer requests; after a batch, poll without sleeping for
 * NULLFS_SPIN_NS, yielding the CPU between polls, as sockfs's loop does. */
static int nullfs_loop(struct fuse_session *se)
{
	struct fuse_buf fbuf = {.mem = NULL};
	int fd = fuse_session_fd(se);
	uint64_t spin_until = 0;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (!fuse_session_exited(se)) {
		int res = fuse_session_receive_buf(se, &fbuf);
		if (res == -EAGAIN || res == -EINTR) {
			struct pollfd p = {.fd = fd, .events = POLLIN};
			if (spin_until && nullfs_now_ns() < spin_until) {
				sched_yield();
				continue;
			}
			spin_until = 0;
			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				break;
			continue;
		}
		if (res <= 0)
			break;
		fuse_session_process_buf(se, &fbuf);
		spin_until = nullfs_now_ns() + NULLFS_SPIN_NS;
	}
	free(fbuf.mem);
	return 0;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse_session *se;
	int ret = 1;

	if (fuse_parse_cmdline(&args, &opts) != 0 || !opts.mountpoint) {
		fprintf(stderr, "usage: %s MOUNTPOINT [-f] [-d]\n", argv[0]);
		return 2;
	}
	nullfs_zeros = calloc(1, 1u << 20);
	if (!nullfs_zeros)
		return 1;
	fuse_opt_add_arg(&args, "-ofsname=nullfs,subtype=nullfs");
	se = fuse_session_new(&args, &nullfs_ops, sizeof(nullfs_ops), NULL);
	if (!se)
		goto out;
	if (fuse_set_signal_handlers(se) != 0)
		goto destroy;
	if (fuse_session_mount(se, opts.mountpoint) != 0)
		goto signals;
	if (fuse_session_custom_io(se, &nullfs_io, fuse_session_fd(se)) != 0)
		goto unmount;
	fuse_daemonize(opts.foreground);
	ret = nullfs_loop(se);
unmount:
	fuse_session_unmount(se);
      signals:
	fuse_remove_signal_handlers(se);
destroy:
	fuse_session_destroy(se);
out:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	free(nullfs_zeros);
	return ret;
}
