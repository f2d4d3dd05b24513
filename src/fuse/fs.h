/* fs.h - the FUSE side: file kinds, open files, inode numbers. */
#ifndef SOCKFS_FS_H
#define SOCKFS_FS_H

#include "list.h"

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sock;

/* Kinds of file. Root-level files have socket id 0. */
enum fs_kind {
	FS_ROOT = 1,
	FS_NEW,
	FS_DIR, /* N/ */
	FS_CTL,
	FS_DATA,
	FS_ACCEPT,
	FS_ADDR,
	FS_OPTS,
	FS_STATUS,
	FS_ERR,
	FS_MSGS,	       /* N/msgs: framed messages, JSON lines */
	FS_HAS_IPV6,	       /* root: has_ipv6 */
	FS_HAS_DUALSTACK_IPV6, /* root: has_dualstack_ipv6 */
	FS_DEFTIMEOUT,	       /* root: the timeout of new sockets */
	FS_NET,		       /* net/: name services (netdir.c) */
	FS_NET_QUERY,	       /* net/query */
	FS_NET_HOSTNAME,       /* net/hostname */
	FS_NET_INTERFACES,     /* net/interfaces */
	FS_NET_RESOLVE,	       /* net/resolve/ */
	FS_NET_REVERSE,	       /* net/reverse/ */
	FS_NET_RESOLVED,       /* net/resolve/NAME (id: netdir name id) */
	FS_NET_REVERSED,       /* net/reverse/ADDRESS (id: netdir name id) */
	FS_NKINDS,
};

#define FS_KIND_BITS	 6
#define FS_INO(id, kind) (((uint64_t)(id) << FS_KIND_BITS) | (uint64_t)(kind))
#define FS_INO_ID(ino)	 ((uint64_t)(ino) >> FS_KIND_BITS)
#define FS_INO_KIND(ino) ((enum fs_kind)((ino) & ((1u << FS_KIND_BITS) - 1)))

/* An open file. */
struct sfs_file {
	enum fs_kind kind;
	struct sock *s; /* NULL for root files */
	uint64_t ino;
	/* Bytes waiting to be read from this open file: a command's reply, a
	 * snapshot of a JSON file, a new or accepted id. */
	char *buf;
	size_t len, off;
	bool done; /* accept: gave its connection; new: made its socket */
	struct fuse_pollhandle *ph;
	struct list poll_link; /* on sock->pollers while ph is set */
	struct list all_link;  /* on the list of open files (fs_fini) */
	int flags;	       /* open flags */
	uid_t uid;	       /* who opened it */
	gid_t gid;
	pid_t pid;
	/* msgs: the start of a JSON message whose write(2) was cut short
	 * (stdio splits long lines); the next writes complete it. */
	char *wpart;
	size_t wpartlen;
};

extern struct fuse_session *fs_session;
/* Replies may be spliced (FUSE_CAP_SPLICE_WRITE negotiated). */
extern bool fs_splice_write;
/* Timeout of new sockets in ms (-1 blocking), setdefaulttimeout. */
extern long fs_default_timeout_ms;

const struct fuse_lowlevel_ops *fs_ops(void);
/* Free the files still open at shutdown (the kernel sends no release once
 * the daemon is gone); after sock_close_all, so no request is parked. */
void fs_fini(void);
/* Custom io hooks that let open replies carry FOPEN_STREAM. */
const struct fuse_custom_io *fs_custom_io(void);

/* Replace the bytes to be read from f (takes ownership of buf). */
void fs_file_set_buf(struct sfs_file *f, char *buf, size_t len);
/* Set the bytes to a JSON value and a newline (steals the reference). */
int fs_file_set_json(struct sfs_file *f, json_t *j);
/* Answer a read from the buffered bytes (EOF when there are none). */
void fs_reply_buffered(fuse_req_t req, struct sfs_file *f, size_t size);
/* Notify and drop the pollhandle of f. */
void fs_file_poll_wake(struct sfs_file *f);

#endif
