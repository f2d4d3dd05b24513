/* stats.c - counters of FUSE requests by opcode. Plain counters: only the
 * loop thread reads /dev/fuse and reads the stats file. */
#include "stats.h"

#include <linux/fuse.h>
#include <stdio.h>

uint64_t stats_requests[STATS_NOPS + 1];
uint64_t stats_bytes_queued;

static const char *const stats_names[STATS_NOPS] = {
    [FUSE_LOOKUP] = "LOOKUP",
    [FUSE_FORGET] = "FORGET",
    [FUSE_GETATTR] = "GETATTR",
    [FUSE_SETATTR] = "SETATTR",
    [FUSE_READLINK] = "READLINK",
    [FUSE_SYMLINK] = "SYMLINK",
    [FUSE_MKNOD] = "MKNOD",
    [FUSE_MKDIR] = "MKDIR",
    [FUSE_UNLINK] = "UNLINK",
    [FUSE_RMDIR] = "RMDIR",
    [FUSE_RENAME] = "RENAME",
    [FUSE_LINK] = "LINK",
    [FUSE_OPEN] = "OPEN",
    [FUSE_READ] = "READ",
    [FUSE_WRITE] = "WRITE",
    [FUSE_STATFS] = "STATFS",
    [FUSE_RELEASE] = "RELEASE",
    [FUSE_FSYNC] = "FSYNC",
    [FUSE_SETXATTR] = "SETXATTR",
    [FUSE_GETXATTR] = "GETXATTR",
    [FUSE_LISTXATTR] = "LISTXATTR",
    [FUSE_REMOVEXATTR] = "REMOVEXATTR",
    [FUSE_FLUSH] = "FLUSH",
    [FUSE_INIT] = "INIT",
    [FUSE_OPENDIR] = "OPENDIR",
    [FUSE_READDIR] = "READDIR",
    [FUSE_RELEASEDIR] = "RELEASEDIR",
    [FUSE_FSYNCDIR] = "FSYNCDIR",
    [FUSE_GETLK] = "GETLK",
    [FUSE_SETLK] = "SETLK",
    [FUSE_SETLKW] = "SETLKW",
    [FUSE_ACCESS] = "ACCESS",
    [FUSE_CREATE] = "CREATE",
    [FUSE_INTERRUPT] = "INTERRUPT",
    [FUSE_BMAP] = "BMAP",
    [FUSE_DESTROY] = "DESTROY",
    [FUSE_IOCTL] = "IOCTL",
    [FUSE_POLL] = "POLL",
    [FUSE_NOTIFY_REPLY] = "NOTIFY_REPLY",
    [FUSE_BATCH_FORGET] = "BATCH_FORGET",
    [FUSE_FALLOCATE] = "FALLOCATE",
    [FUSE_READDIRPLUS] = "READDIRPLUS",
    [FUSE_RENAME2] = "RENAME2",
    [FUSE_LSEEK] = "LSEEK",
    [FUSE_COPY_FILE_RANGE] = "COPY_FILE_RANGE",
};

json_t *stats_requests_json(void)
{
	json_t *o = json_object();

	for (int i = 0; o && i <= STATS_NOPS; i++) {
		char num[16];
		const char *name = i < STATS_NOPS ? stats_names[i] : "other";

		if (!stats_requests[i])
			continue;
		if (!name) {
			snprintf(num, sizeof(num), "%d", i);
			name = num;
		}
		json_object_set_new(o, name, json_integer((json_int_t)stats_requests[i]));
	}
	return o;
}

uint64_t stats_requests_total(void)
{
	uint64_t n = 0;

	for (int i = 0; i <= STATS_NOPS; i++)
		n += stats_requests[i];
	return n;
}
