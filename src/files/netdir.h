/* netdir.h - the net/ directory: name services and host information. */
#ifndef SOCKFK_NETDIR_H
#define SOCKFK_NETDIR_H

#include "file.h"
#include "kinds.h"

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The size net/query reports. The kernel takes the inode's exclusive lock
 * for a direct write that goes past the end of the file, even with
 * FOPEN_PARALLEL_DIRECT_WRITES: with size 0, one query waiting for a slow
 * lookup would hold up every other writer of net/query. Queries are
 * smaller than this, so they write "inside" the file and run in parallel. */
#define NETDIR_QUERY_SIZE (1 << 20)

/* The id of NAME under resolve/ or reverse/ (dir is FK_NET_RESOLVE or
 * FK_NET_REVERSE); counts one kernel lookup. A new name counts for uid.
 * 0 or -ENOENT/-ENAMETOOLONG, -ENOBUFS beyond the bound of names. */
int netdir_name_lookup(enum file_kind dir, const char *name, uid_t uid, uint64_t *id);
/* Is id a known name of that kind (FK_NET_RESOLVED or FK_NET_REVERSED)? */
bool netdir_name_exists(uint64_t id, enum file_kind kind);
/* The kernel forgot nlookup lookups of a name. */
void netdir_forget(uint64_t id, uint64_t nlookup);
/* Fill the snapshot of a file opened for reading (hostname, interfaces). */
int netdir_open(struct sfs_file *f);
/* A read of resolve/NAME or reverse/ADDRESS (answered from a worker). */
void netdir_read(fuse_req_t req, struct sfs_file *f, size_t size, off_t off, int flags);
/* A write to query or hostname. */
void netdir_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags);

#endif
