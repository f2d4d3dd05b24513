/* cred.c - switch one thread to the calling process's credentials.
 *
 * Linux keeps credentials per thread; glibc's setresuid(), setgroups() and
 * friends signal every thread to change them all, so only the raw system
 * calls are used here. The order matters: groups and gids while the thread
 * still holds CAP_SETGID, then uids (euid 0 -> other clears the effective
 * capabilities; the permitted set stays because suid stays 0), then the
 * effective set is written explicitly. Coming back, uids first: suid 0
 * allows setresuid(0, 0, 0) without a capability, and euid -> 0 raises the
 * effective set again, so the gids and groups can follow. A capset is
 * made only when the set differs: each new set of credentials costs.
 *
 * The thread's real and saved uids stay the daemon's (0) while switched.
 * The kernel reads them for kill permission (a process may signal a
 * thread whose ruid or suid is its own uid: a caller could otherwise kill
 * or freeze the daemon), for SCM_CREDENTIALS (a sender may claim its ruid,
 * euid or suid: the daemon must check what a caller claims) and for
 * setuid-type calls. The kernel's own SCM_CREDENTIALS carry the real uid,
 * so senders add explicit ones (the caller's euid and egid).
 *
 * Changing euid or fsuid makes the process non-dumpable for good
 * (fs.suid_dumpable) and clears the thread's parent-death signal. */
#include "cred.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The initial user namespace's inode (PROC_USER_INIT_INO), an ancestor of
 * every user namespace. */
#define CRED_INIT_USERNS_INO 0xEFFFFFFDU
/* A status text with CRED_NGROUPS_MAX groups fits. */
#define CRED_STATUS_MAX (4u << 20)

enum { CRED_NONE, CRED_CAPS, CRED_ALL };
/* What a switch changed, so that undoing a failed one touches nothing
 * else (a daemon without CAP_SETGID cannot set its groups back). */
enum { CRED_DONE_GROUPS = 1, CRED_DONE_GIDS = 2, CRED_DONE_UIDS = 4 };

static __thread bool cred_switched;
static __thread bool cred_fs_private;
/* The daemon's ids and groups, read once per thread (they do not change;
 * cred_leave checks the uids it comes back to). */
static __thread struct cred_saved cred_daemon;
static __thread bool cred_daemon_known;

static pthread_once_t cred_ns_once = PTHREAD_ONCE_INIT;
static struct stat cred_ns_self;
static bool cred_ns_known;

static void cred_ns_init(void)
{
	cred_ns_known = stat("/proc/self/ns/user", &cred_ns_self) == 0;
}

void cred_release(struct cred *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

/* Read all of the file name under dirfd into buf, or into a malloc'd *heap
 * when it does not fit; NUL-terminated. 0 or -errno. */
static int cred_slurp(int dirfd, const char *name, char *buf, size_t cap, char **heap)
{
	char *p = buf, *np;
	size_t len = 0;
	ssize_t n;
	int fd, err = 0;

	*heap = NULL;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= CRED_STATUS_MAX) {
				err = -EFBIG;
				goto close_fd;
			}
			np = realloc(*heap, cap * 2);
			if (!np) {
				err = -ENOMEM;
				goto close_fd;
			}
			if (!*heap)
				memcpy(np, buf, len);
			*heap = p = np;
			cap *= 2;
		}
		n = read(fd, p + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto close_fd;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	p[len] = '\0';
close_fd:
	close(fd);
	if (err) {
		free(*heap);
		*heap = NULL;
	}
	return err;
}

/* The text after "name:" at the start of a line of text, or NULL. */
static const char *cred_field(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (p) {
		if (!strncmp(p, name, n) && p[n] == ':')
			return p + n + 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The next number on this line in base 8, 10 or 16; advances *p.
 * -EINVAL at the end of the line or on anything else. */
static int cred_num(const char **p, int base, unsigned long long *v)
{
	const char *s = *p;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno || end == s)
		return -EINVAL;
	*p = end;
	return 0;
}

/* The four ids of a Uid: or Gid: line: real, effective, saved, fs. */
static int cred_ids(const char *s, uint32_t id[4])
{
	unsigned long long v;

	if (!s)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		if (cred_num(&s, 10, &v) || v >= UINT32_MAX)
			return -EINVAL;
		id[i] = (uint32_t)v;
	}
	return 0;
}

static int cred_groups(const char *s, struct cred *c)
{
	unsigned long long v;
	const char *p = s;
	int n = 0;

	if (!s)
		return -EINVAL;
	while (cred_num(&p, 10, &v) == 0)
		if (++n > CRED_NGROUPS_MAX || v >= UINT32_MAX)
			return -EINVAL;
	if (n == 0)
		return 0;
	c->groups = malloc((size_t)n * sizeof(gid_t));
	if (!c->groups)
		return -ENOMEM;
	for (p = s; c->ngroups < n && cred_num(&p, 10, &v) == 0;)
		c->groups[c->ngroups++] = (gid_t)v;
	return 0;
}

/* Do the capabilities of the process whose /proc directory is dirfd count
 * over the daemon's user namespace? Only in that namespace itself or the
 * initial one; an ancestor in between cannot be told from here (the
 * kernel's NS_GET_PARENT stops at the daemon's own namespace). */
static bool cred_ns_counts(int dirfd)
{
	struct stat st;

	pthread_once(&cred_ns_once, cred_ns_init);
	if (!cred_ns_known || fstatat(dirfd, "ns/user", &st, 0) < 0 ||
	    st.st_dev != cred_ns_self.st_dev)
		return false;
	return st.st_ino == cred_ns_self.st_ino || st.st_ino == CRED_INIT_USERNS_INO;
}

/* c from the status text of dirfd. -EINVAL when it is not the caller's. */
static int cred_parse(int dirfd, const char *text, uid_t uid, gid_t gid, struct cred *c)
{
	unsigned long long v;
	uint32_t u[4], g[4];
	const char *s;
	int err;

	if (cred_ids(cred_field(text, "Uid"), u) || cred_ids(cred_field(text, "Gid"), g))
		return -EINVAL;
	/* FUSE sends the caller's fsuid and fsgid. */
	if (u[3] != uid || g[3] != gid)
		return -EINVAL;
	s = cred_field(text, "CapEff");
	if (!s || cred_num(&s, 16, &v))
		return -EINVAL;
	c->cap_eff = v;
	s = cred_field(text, "Tgid");
	c->tgid = s && cred_num(&s, 10, &v) == 0 && v <= INT32_MAX ? (pid_t)v : 0;
	s = cred_field(text, "Umask");
	c->umask = s && cred_num(&s, 8, &v) == 0 ? (mode_t)(v & 0777) : 022;
	err = cred_groups(cred_field(text, "Groups"), c);
	if (err)
		return err;
	c->ruid = u[0], c->euid = u[1], c->suid = u[2], c->fsuid = u[3];
	c->rgid = g[0], c->egid = g[1], c->sgid = g[2], c->fsgid = g[3];
	/* Read after the status, so a caller that made its own user
	 * namespace in between shows it here (never the other way round). */
	if (c->cap_eff && !cred_ns_counts(dirfd))
		c->cap_eff = 0;
	c->exact = true;
	return 0;
}

int cred_of_caller(pid_t pid, uid_t uid, gid_t gid, struct cred *c)
{
	char path[32], buf[4096], *heap = NULL;
	int dirfd, err = -ESRCH;

	memset(c, 0, sizeof(*c));
	if (pid > 0) {
		/* The directory pins the process: a reused pid is not it. */
		snprintf(path, sizeof(path), "/proc/%d", (int)pid);
		dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd >= 0) {
			err = cred_slurp(dirfd, "status", buf, sizeof(buf), &heap);
			if (!err)
				err = cred_parse(dirfd, heap ? heap : buf, uid, gid, c);
			free(heap);
			close(dirfd);
		}
	}
	if (err == -ENOMEM) {
		cred_release(c);
		return err;
	}
	if (err) {
		cred_release(c);
		memset(c, 0, sizeof(*c));
		c->ruid = c->euid = c->suid = c->fsuid = uid;
		c->rgid = c->egid = c->sgid = c->fsgid = gid;
		c->umask = 022;
	}
	return 0;
}

int cred_thread_init(void)
{
	if (cred_fs_private)
		return 0;
	if (unshare(CLONE_FS) < 0)
		return -errno;
	cred_fs_private = true;
	return 0;
}

static int cred_capget(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0}}; /* valgrind knows only d[0] */

	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int cred_capset(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {
	    {(uint32_t)eff, (uint32_t)prm, (uint32_t)inh},
	    {(uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32)},
	};

	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* Effective set eff, keeping prm and inh; a capset (a new set of
 * credentials, the costly part) only when it differs. */
static int cred_set_eff(uint64_t eff, uint64_t prm, uint64_t inh)
{
	uint64_t e, p, i;

	if (cred_capget(&e, &p, &i) == 0 && e == eff && p == prm && i == inh)
		return 0;
	return cred_capset(eff, prm, inh);
}

/* setfsuid/setfsgid answer the old id, never an error: ask again. */
static int cred_setfs(long nr, unsigned id)
{
	syscall(nr, id);
	return (unsigned)syscall(nr, -1) == id ? 0 : -EPERM;
}

/* The daemon's credentials as this thread holds them now. */
static int cred_save(struct cred_saved *s)
{
	int n;

	if (syscall(SYS_getresuid, &s->ruid, &s->euid, &s->suid) < 0 ||
	    syscall(SYS_getresgid, &s->rgid, &s->egid, &s->sgid) < 0)
		return -errno;
	s->fsuid = (uid_t)syscall(SYS_setfsuid, -1);
	s->fsgid = (gid_t)syscall(SYS_setfsgid, -1);
	n = (int)syscall(SYS_getgroups, CRED_SAVED_SMALL, s->small);
	if (n < 0 && errno == EINVAL) {
		n = (int)syscall(SYS_getgroups, 0, NULL);
		s->heap = n > 0 ? malloc((size_t)n * sizeof(gid_t)) : NULL;
		if (n > 0 && !s->heap)
			return -ENOMEM;
		n = (int)syscall(SYS_getgroups, n, s->heap);
	}
	if (n < 0)
		return -errno;
	s->ngroups = n;
	return 0;
}

/* Everything back as saved, from any state cred_enter left. */
static int cred_restore(struct cred_saved *s)
{
	int err = 0;

	if (s->mode == CRED_ALL) {
		/* Back to uid 0 needs no capability while suid is 0 (and then
		 * the kernel raises the effective set); else raise it first:
		 * within the permitted set that is always allowed. */
		if ((s->done & CRED_DONE_UIDS) &&
		    syscall(SYS_setresuid, s->ruid, s->euid, s->suid) < 0 &&
		    (cred_capset(s->cap_prm, s->cap_prm, s->cap_inh) ||
		     syscall(SYS_setresuid, s->ruid, s->euid, s->suid) < 0))
			err = -errno;
		if (!err)
			err = cred_set_eff(s->cap_prm, s->cap_prm, s->cap_inh);
		if (!err && (s->done & CRED_DONE_UIDS) && s->fsuid != s->euid)
			err = cred_setfs(SYS_setfsuid, s->fsuid);
		if (!err && (s->done & CRED_DONE_GIDS) &&
		    syscall(SYS_setresgid, s->rgid, s->egid, s->sgid) < 0)
			err = -errno;
		if (!err && (s->done & CRED_DONE_GIDS) && s->fsgid != s->egid)
			err = cred_setfs(SYS_setfsgid, s->fsgid);
		if (!err && (s->done & CRED_DONE_GROUPS) &&
		    syscall(SYS_setgroups, (size_t)s->ngroups, s->heap ? s->heap : s->small) < 0)
			err = -errno;
	}
	if (!err && s->mode != CRED_NONE)
		err = cred_set_eff(s->cap_eff, s->cap_prm, s->cap_inh);
	umask(s->umask);
	return err;
}

/* The uid/gid half of cred_enter. */
static int cred_enter_ids(const struct cred *c, struct cred_saved *s)
{
	if (c->ngroups < 0 || c->ngroups > CRED_NGROUPS_MAX || (c->ngroups && !c->groups))
		return -EINVAL;
	if (syscall(SYS_setgroups, (size_t)c->ngroups, c->groups) < 0)
		return -errno;
	s->done |= CRED_DONE_GROUPS;
	if (syscall(SYS_setresgid, c->rgid, c->egid, c->sgid) < 0)
		return -errno;
	s->done |= CRED_DONE_GIDS;
	if (c->fsgid != c->egid && cred_setfs(SYS_setfsgid, c->fsgid))
		return -EPERM;
	/* The real uid stays the daemon's: the kernel lets a process signal
	 * a thread whose real or saved uid is its own, so a caller could
	 * SIGKILL or SIGSTOP the daemon through this thread. suid 0 keeps the
	 * permitted set, and is the way back. */
	if (syscall(SYS_setresuid, s->ruid, c->euid, 0) < 0)
		return -errno;
	s->done |= CRED_DONE_UIDS;
	if (c->fsuid != c->euid) {
		/* setresuid set fsuid = euid; another fsuid needs CAP_SETUID. */
		int err = cred_capset(s->cap_prm, s->cap_prm, s->cap_inh);
		if (err)
			return err;
		if (cred_setfs(SYS_setfsuid, c->fsuid))
			return -EPERM;
	}
	return 0;
}

/* Would cred_enter_ids leave the ids and groups as s has them? */
static bool cred_same_ids(const struct cred *c, const struct cred_saved *s)
{
	const gid_t *g = s->heap ? s->heap : s->small;

	if (c->euid != s->euid || c->fsuid != s->fsuid || s->suid != 0 || c->rgid != s->rgid ||
	    c->egid != s->egid || c->sgid != s->sgid || c->fsgid != s->fsgid ||
	    c->ngroups != s->ngroups)
		return false;
	return c->ngroups == 0 || !memcmp(c->groups, g, (size_t)c->ngroups * sizeof(gid_t));
}

int cred_enter(const struct cred *c, struct cred_saved *save)
{
	int err;

	memset(save, 0, sizeof(*save));
	if (cred_switched)
		return -EBUSY;
	err = cred_thread_init();
	if (err)
		return err;
	err = cred_capget(&save->cap_eff, &save->cap_prm, &save->cap_inh);
	if (err)
		return err;
	/* Per thread since cred_thread_init. */
	save->umask = umask(c->umask & 0777);
	if (syscall(SYS_geteuid) == 0) {
		if (cred_daemon_known) {
			struct cred_saved keep = *save;
			*save = cred_daemon;
			save->cap_eff = keep.cap_eff;
			save->cap_prm = keep.cap_prm;
			save->cap_inh = keep.cap_inh;
			save->umask = keep.umask;
			save->done = 0;
		} else {
			err = cred_save(save);
			if (!err && !save->heap) {
				cred_daemon = *save;
				cred_daemon_known = true;
			}
		}
		if (err)
			goto restore;
		if (cred_same_ids(c, save) && (c->cap_eff & save->cap_prm) == save->cap_eff) {
			/* The caller's credentials are the daemon's own (root
			 * with all its capabilities): nothing to switch; the
			 * effective set is put back in case cred_add_eff. */
			save->mode = CRED_CAPS;
			cred_switched = true;
			return 0;
		}
		save->mode = CRED_ALL;
		err = cred_enter_ids(c, save);
	} else if (save->cap_eff) {
		save->mode = CRED_CAPS;
	}
	if (!err && save->mode != CRED_NONE)
		err = cred_set_eff(c->cap_eff & save->cap_prm, save->cap_prm, save->cap_inh);
	if (err)
		goto restore;
	cred_switched = true;
	return 0;

restore:
	if (cred_restore(save)) {
		fprintf(stderr, "sockfs: cred: cannot undo a failed switch (%s)\n", strerror(-err));
		abort();
	}
	free(save->heap);
	memset(save, 0, sizeof(*save));
	return err;
}

int cred_add_eff(uint64_t caps)
{
	uint64_t e, p, i;
	int err;

	if (!cred_switched)
		return -EINVAL;
	err = cred_capget(&e, &p, &i);
	if (err)
		return err;
	if ((caps & p) != caps)
		return -EPERM;
	return cred_set_eff(e | caps, p, i);
}

void cred_leave(struct cred_saved *save)
{
	uid_t r, e, s;
	int err;

	if (!cred_switched)
		return;
	err = cred_restore(save);
	if (!err && save->mode == CRED_ALL &&
	    (syscall(SYS_getresuid, &r, &e, &s) < 0 || r != save->ruid || e != save->euid ||
	     s != save->suid))
		err = -EPERM;
	if (err) {
		fprintf(stderr, "sockfs: cred: cannot return to the daemon's credentials: %s\n",
			strerror(-err));
		abort();
	}
	free(save->heap);
	save->heap = NULL;
	cred_switched = false;
}
