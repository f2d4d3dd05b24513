/* asuser.h - do a filesystem-touching socket call (AF_UNIX bind, connect,
 * sendto a path) with the calling process's rights, not the daemon's. */
#ifndef SOCKFS_ASUSER_H
#define SOCKFS_ASUSER_H

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <sys/types.h>

struct asuser {
	bool active;
	uid_t fsuid;
	gid_t fsgid;
	mode_t umask;
	int ngroups;
	gid_t groups[256];
};

/* Switch this thread's fsuid, fsgid and supplementary groups (and the
 * umask) to those of the process that made req. A no-op when the daemon
 * is not root (it then has no rights the caller lacks that it could
 * shed). 0 or -errno; on error nothing was changed. */
int asuser_begin(fuse_req_t req, struct asuser *a);
/* Restore the daemon's own rights. */
void asuser_end(struct asuser *a);

#endif
