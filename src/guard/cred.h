/* cred.h - run a system call with the calling process's credentials.
 *
 * The daemon serves many users as root. Around each call the kernel
 * checks (socket, bind, connect, listen, accept, setsockopt, sendmsg on
 * netlink and AF_UNIX, ioctl) the thread takes the caller's uids, gids,
 * groups, effective capabilities and umask, and gives them back after:
 *
 *	struct cred c;
 *	struct cred_saved s;
 *	if (cred_of_caller(ctx->pid, ctx->uid, ctx->gid, &c) == 0) {
 *		if (cred_enter(&c, &s) == 0) {
 *			fd = socket(...);
 *			cred_leave(&s);
 *		}
 *		cred_release(&c);
 *	}
 *
 * Credentials are per thread in the kernel; only this thread changes.
 * Not async-signal-safe; one switch at a time per thread. */
#ifndef SOCKFS_CRED_H
#define SOCKFS_CRED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Most supplementary groups a struct cred holds: the kernel's limit. */
#define CRED_NGROUPS_MAX 65536
/* The daemon's own groups kept in struct cred_saved without malloc. */
#define CRED_SAVED_SMALL 16

/* The credentials a call runs with: the caller's, as the kernel sees them,
 * with ids as seen from the daemon's user namespace. */
struct cred {
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
	int ngroups;	  /* supplementary groups, 0..CRED_NGROUPS_MAX */
	gid_t *groups;	  /* malloc'd; NULL when ngroups is 0 */
	uint64_t cap_eff; /* effective capabilities that count over the daemon's
			   * user namespace; 0 when the caller's is another one */
	mode_t umask;
	pid_t tgid; /* the caller's process (Tgid:), 0 when unknown */
	bool exact; /* read from /proc; false: the fallback from uid/gid */
};

/* Fill c for the thread pid (fuse_ctx->pid, a thread id) whose FUSE
 * uid/gid (its fsuid/fsgid) are uid/gid, from /proc/PID/status: Tgid,
 * Uid, Gid, Groups, CapEff, Umask. CapEff counts only when
 * /proc/PID/ns/user is the daemon's user namespace or the initial one (an
 * ancestor of every other): root in a container's own user namespace
 * gets no capabilities here.
 *
 * When the pid cannot be read (0 from another PID namespace, exited, /proc
 * not mounted) or no longer shows fsuid uid and fsgid gid (it changed
 * identity, or the pid is another process now): the fallback, uid/gid as
 * real, effective, saved and fs ids, no supplementary groups, no
 * capabilities, umask 022, tgid 0, c->exact false. (Fewer groups is not
 * always less: mode bits can deny a group what they give others.)
 * 0, or -ENOMEM. Call it unswitched: it reads /proc as the daemon. */
int cred_of_caller(pid_t pid, uid_t uid, gid_t gid, struct cred *c);
/* Free what cred_of_caller allocated; c may be released twice. */
void cred_release(struct cred *c);

/* Give this thread its own cwd, root and umask (unshare(CLONE_FS)), so
 * that the umask cred_enter sets is the thread's alone. Call it once per
 * thread that switches, after fuse_daemonize (later chdir() calls of other
 * threads no longer reach this one). cred_enter does it on first use when
 * not done. 0 or -errno. */
int cred_thread_init(void);

/* What cred_leave needs to come back. Opaque; lives on the stack. */
struct cred_saved {
	int mode; /* 0 nothing switched, 1 capabilities and umask, 2 all */
	int done; /* what cred_enter changed (cred.c's CRED_DONE_*) */
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
	uint64_t cap_eff, cap_prm, cap_inh;
	mode_t umask;
	int ngroups;
	gid_t *heap; /* the groups when more than CRED_SAVED_SMALL */
	gid_t small[CRED_SAVED_SMALL];
};

/* Switch this thread to c: groups, gids (while CAP_SETGID is still held),
 * then uids, then effective capabilities = c->cap_eff & the thread's
 * permitted set, then the umask. 0 or -errno (-EINVAL: ids or groups the
 * kernel refuses, e.g. unmapped in the daemon's user namespace); on error
 * nothing is changed. -EBUSY when this thread is already switched.
 *
 * Effective and fs ids, all gids and the groups are c's; the real and
 * saved uids stay the daemon's (0): the saved uid is the way back and
 * keeps the permitted set, which is not in effect while switched, and the
 * kernel lets a process signal a thread whose real or saved uid is its
 * own, so a caller cannot SIGKILL or SIGSTOP the daemon through it. The
 * real uid is what AF_UNIX and netlink sends report as the sender when
 * the sender names none (SCM_CREDENTIALS, SO_PASSCRED): senders give
 * explicit ones (caller_ucred, caller.h). The socket checks read euid,
 * fsuid, the file's credentials and capabilities; SO_PEERCRED reads euid
 * and egid.
 *
 * When the daemon is not root it cannot take another uid: only its
 * effective capabilities are lowered to c->cap_eff (and the umask set). */
int cred_enter(const struct cred *c, struct cred_saved *save);
/* While switched: add caps to this thread's effective set (within the
 * permitted set, which the switch keeps), for one call; cred_leave takes
 * them back. 0 or -errno (-EINVAL when not switched). */
int cred_add_eff(uint64_t caps);
/* Back to the daemon's own credentials, all of them. abort()s when the
 * thread cannot return: a daemon stuck as a user is a security bug. */
void cred_leave(struct cred_saved *save);

#endif
