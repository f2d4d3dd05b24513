/* asuser.c - the caller's filesystem rights for AF_UNIX path operations.
 *
 * setfsuid/setfsgid are per thread, and the raw setgroups system call
 * changes only the calling thread's groups (glibc's wrapper would change
 * every thread's), so the loop thread can take the caller's rights for
 * one call and give them back. With an fsuid other than 0 the kernel also
 * drops CAP_DAC_OVERRIDE and the other filesystem capabilities for that
 * thread, so path lookups and the creation of the socket file are checked
 * as they would be for the caller, and the file gets the caller's owner. */
#include "asuser.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static mode_t asuser_umask_of(pid_t pid)
{
	char path[64], line[128];
	unsigned v = 022;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 022;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &v) == 1)
			break;
	fclose(f);
	return (mode_t)(v & 0777);
}

int asuser_begin(fuse_req_t req, struct asuser *a)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	gid_t groups[256];
	int n;

	memset(a, 0, sizeof(*a));
	if (geteuid() != 0)
		return 0;
	n = fuse_req_getgroups(req, 256, groups);
	if (n < 0)
		return n;
	if (n > 256)
		n = 256;
	a->ngroups = getgroups(256, a->groups);
	if (a->ngroups < 0)
		return -errno;
	if (syscall(SYS_setgroups, (size_t)n, groups) < 0)
		return -errno;
	a->umask = umask(asuser_umask_of(ctx->pid));
	a->fsgid = (gid_t)setfsgid(ctx->gid);
	a->fsuid = (uid_t)setfsuid(ctx->uid);
	if ((uid_t)setfsuid(ctx->uid) != ctx->uid || (gid_t)setfsgid(ctx->gid) != ctx->gid) {
		a->active = true;
		asuser_end(a);
		return -EPERM;
	}
	a->active = true;
	return 0;
}

void asuser_end(struct asuser *a)
{
	if (!a->active)
		return;
	umask(a->umask);
	setfsuid(a->fsuid);
	setfsgid(a->fsgid);
	syscall(SYS_setgroups, (size_t)a->ngroups, a->groups);
	a->active = false;
}
