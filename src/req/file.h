/* file.h - an open file of the mount: who opened it, its socket, and the
 * bytes it still has to give back (a command's reply, a snapshot, the rest
 * of a datagram). The files layer (files/) says what each kind does. */
#ifndef SOCKFS_FILE_H
#define SOCKFS_FILE_H

#include "list.h"

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sock;
struct file_type; /* files/filetab.h: the kind of file and its operations */

struct sfs_file {
	const struct file_type *type;
	struct sock *s; /* NULL for the root's and net/'s files */
	uint64_t ino;
	/* Bytes waiting to be read from this open file. */
	char *buf;
	size_t len, off;
	bool done; /* accept: gave its connection; new: made its socket */
	struct fuse_pollhandle *ph;
	struct list poll_link; /* on sock->pollers while ph is set */
	struct list all_link;  /* on the list of open files (file_free_all) */
	int flags;	       /* open flags */
	uid_t uid;	       /* who opened it */
	gid_t gid;
	pid_t pid;
	/* msgs: the start of a JSON message whose write(2) was cut short
	 * (stdio splits long lines); the next writes complete it. */
	char *wpart;
	size_t wpartlen;
	/* ... scanned so far (msgsfile.c): nesting depth, inside a string,
	 * after a backslash in it, a value begun. */
	int wdepth;
	bool wstr, wesc, wbegun;
};

/* A new open file of ino for the caller of req. The opener sets f->s and
 * holds its reference. NULL when out of memory. */
struct sfs_file *file_new(fuse_req_t req, const struct file_type *type, uint64_t ino, int flags);
/* Free it (its pollhandle and buffers); the socket's reference is the
 * opener's to drop before. */
void file_free(struct sfs_file *f);
/* Every file still open (shutdown: no release comes once the daemon is
 * gone): release(f) must end with file_free(f). */
void file_free_all(void (*release)(struct sfs_file *f));

/* Replace the bytes to be read from f (takes ownership of buf). */
void file_set_buf(struct sfs_file *f, char *buf, size_t len);
/* Set them to a copy of text (n bytes). 0 or -ENOMEM. */
int file_set_text(struct sfs_file *f, const char *text, size_t n);
/* Set them to a JSON value and a newline (steals the reference). 0 or -ENOMEM. */
int file_set_json(struct sfs_file *f, json_t *j);
/* Set them to a socket id and a newline. 0 or -ENOMEM. */
int file_set_id(struct sfs_file *f, uint64_t id);
/* Bytes still to be read. */
static inline bool file_has_bytes(const struct sfs_file *f)
{
	return f->buf && f->off < f->len;
}
/* Answer a read from the buffered bytes (EOF when there are none). */
void file_reply_buffered(fuse_req_t req, struct sfs_file *f, size_t size);
/* A read of a snapshot at offset off (snapshots honour the offset). */
void file_reply_snapshot(fuse_req_t req, struct sfs_file *f, size_t size, off_t off);

/* Keep ph to wake a poller of f later (replaces an older one). */
void file_poll_keep(struct sfs_file *f, struct fuse_pollhandle *ph);
/* Notify and drop the pollhandle of f. */
void file_poll_wake(struct sfs_file *f);

#endif
