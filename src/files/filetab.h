/* filetab.h - the files of the mount, as one table (Plan 9's Dirtab): each
 * kind of file has its name, mode and operations, and the FUSE layer
 * makes lookup, readdir and getattr from it. */
#ifndef SOCKFS_FILETAB_H
#define SOCKFS_FILETAB_H

#include "file.h"
#include "kinds.h"

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct file_type {
	enum file_kind kind;
	const char *name; /* "" when the name is not fixed */
	mode_t mode;
	enum file_home home;
	bool stream; /* FOPEN_STREAM and nonseekable: no position, no lock */
	/* A file of the root (not a socket's, uid 0 in getattr). */
	bool root_owned;
	/* Each may be NULL: open does nothing; read gives the open file's
	 * bytes at the offset (a snapshot); write fails with EBADF; poll says
	 * the socket's readiness (or ready, without a socket); release does
	 * nothing. */
	int (*open)(struct sfs_file *f);
	void (*read)(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
	void (*write)(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);
	unsigned (*poll)(struct sfs_file *f);
	void (*release)(struct sfs_file *f);
	/* The size getattr reports (0 when NULL). */
	off_t size;
};

/* The type of a kind, or NULL for a number no kind has. */
const struct file_type *filetab_type(enum file_kind kind);
/* The kinds listed in a directory (kind FK_ROOT, FK_DIR or FK_NET), in
 * order; *n of them. */
const enum file_kind *filetab_dir(enum file_kind dir, size_t *n);
/* The kind named name in a directory, or 0. */
enum file_kind filetab_lookup(enum file_kind dir, const char *name);

#endif
