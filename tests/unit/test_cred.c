/* test_cred.c - unit tests for cred.c: a thread takes another process's
 * credentials and gives them back. Needs root; skipped otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cred.h"

#define NOBODY 65534

/* The whole of a small file such as /proc/thread-self/status. */
static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = 0;
	if (f)
		fclose(f);
}

/* One field of a status text, trimmed; valid for the next 3 calls. */
static const char *field(const char *text, const char *name)
{
	static char out[4][256];
	static int i;
	char *o = out[i++ % 4];
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ':') {
			p += n + 1 + strspn(p + n + 1, "\t ");
			snprintf(o, sizeof(out[0]), "%.*s", (int)strcspn(p, "\n"), p);
			for (n = strlen(o); n && strchr(" \t", o[n - 1]);)
				o[--n] = 0;
			return o;
		}
	return "?";
}

static int child_nobody(void)
{
	gid_t g[2] = {100, NOBODY};

	umask(027);
	return setgroups(2, g) || setresgid(NOBODY, NOBODY, NOBODY) ||
	       setresuid(NOBODY, NOBODY, NOBODY);
}

/* Real ids other than effective ones, fs ids other than both. */
static int child_split(void)
{
	return setgroups(0, NULL) || setresgid(1001, NOBODY, NOBODY) || setfsgid(1001) != NOBODY ||
	       setresuid(1000, NOBODY, NOBODY) || setfsuid(1000) != NOBODY;
}

/* Root with CAP_NET_BIND_SERVICE only. */
static int child_root_bindonly(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {
	    {1u << CAP_NET_BIND_SERVICE, 1u << CAP_NET_BIND_SERVICE, 0}};

	return syscall(SYS_capset, &h, d) != 0;
}

/* Root with every capability, in a user namespace of its own. */
static int child_userns(void)
{
	return unshare(CLONE_NEWUSER);
}

/* A child that ran setup, then waits to be read; 0 when setup failed. */
static pid_t spawn(int (*setup)(void))
{
	int p[2];
	char ok = 0;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ok = setup() == 0;
		if (write(p[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &ok, 1) != 1)
		ok = 0;
	close(p[0]);
	if (!ok) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 0;
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip();
}

/* errno of bind(127.0.0.1:port), 0 when it worked (or the port is taken). */
static int bind_port(int port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), err = 0;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EADDRINUSE)
		err = errno;
	close(fd);
	return err;
}

static int packet_socket(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int rtnl_open(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	struct timeval tv = {2, 0};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* The kernel's answer to an RTM_NEWADDR for lo without an address: EPERM
 * without CAP_NET_ADMIN, else EINVAL (nothing is ever added). */
static int rtnl_newaddr(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
	} req = {
	    .nh = {.nlmsg_len = sizeof(req),
		   .nlmsg_type = RTM_NEWADDR,
		   .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		   .nlmsg_seq = 1},
	    .ifa = {.ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_index = 1},
	};
	char buf[512];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;

	if (send(fd, &req, sizeof(req), 0) < 0)
		return errno;
	if (recv(fd, buf, sizeof(buf), 0) < (ssize_t)(NLMSG_HDRLEN + sizeof(struct nlmsgerr)) ||
	    h->nlmsg_type != NLMSG_ERROR)
		return EIO;
	return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
}

/* Can a process of the caller's euid signal this switched thread? The
 * errno of tgkill(sig 0) from a child that is euid everywhere. */
static int kill_check(void)
{
	pid_t tid = (pid_t)syscall(SYS_gettid), pid = getpid(), child;
	uid_t e = (uid_t)syscall(SYS_geteuid);
	int st;

	child = fork();
	if (child == 0) {
		if (syscall(SYS_setresuid, e, e, e) < 0)
			_exit(100);
		_exit(syscall(SYS_tgkill, pid, tid, 0) < 0 ? errno : 0);
	}
	if (child < 0 || waitpid(child, &st, 0) != child || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* What a switched thread saw; checked by the main thread. */
struct seen {
	const struct cred *c;
	pid_t main_tid;
	int root_nl; /* opened by the main thread as root */
	char dir[64];
	pthread_barrier_t bar;
	int enter, bind80, packet, nl_own, nl_root, nl_after, unix_rc, npeergroups, kill_rc;
	uid_t r, e, s, r2, e2, s2;
	struct ucred peer;
	struct stat unix_st;
	char st[4096], main_st[4096], after[4096];
};

static void unix_checks(struct seen *w)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	socklen_t len = sizeof(w->peer);
	gid_t pg[8];
	int sv[2], fd;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
		getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &w->peer, &len);
		len = sizeof(pg);
		if (getsockopt(sv[0], SOL_SOCKET, SO_PEERGROUPS, pg, &len) == 0)
			w->npeergroups = (int)(len / sizeof(gid_t));
		close(sv[0]);
		close(sv[1]);
	}
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/s", w->dir);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	w->unix_rc = bind(fd, (struct sockaddr *)&un, sizeof(un)) ? errno : 0;
	if (!w->unix_rc)
		w->unix_rc = stat(un.sun_path, &w->unix_st) ? errno : 0;
	close(fd);
	unlink(un.sun_path);
}

static void *switched(void *arg)
{
	struct seen *w = arg;
	struct cred_saved save;
	char path[64];
	int nl = -1;

	w->enter = cred_enter(w->c, &save);
	if (!w->enter) {
		syscall(SYS_getresuid, &w->r, &w->e, &w->s);
		slurp("/proc/thread-self/status", w->st, sizeof(w->st));
		snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)w->main_tid);
		slurp(path, w->main_st, sizeof(w->main_st));
		w->bind80 = bind_port(80);
		w->packet = packet_socket();
		nl = rtnl_open();
		w->nl_own = nl < 0 ? -nl : rtnl_newaddr(nl);
		w->nl_root = rtnl_newaddr(w->root_nl);
		unix_checks(w);
		w->kill_rc = kill_check();
	}
	pthread_barrier_wait(&w->bar); /* the main thread looks at itself */
	pthread_barrier_wait(&w->bar);
	if (w->enter)
		return NULL;
	cred_leave(&save);
	syscall(SYS_getresuid, &w->r2, &w->e2, &w->s2);
	slurp("/proc/thread-self/status", w->after, sizeof(w->after));
	/* The socket keeps the credentials it was opened with. */
	w->nl_after = nl < 0 ? -nl : rtnl_newaddr(nl);
	if (nl >= 0)
		close(nl);
	return NULL;
}

/* Run switched() for c; the main thread checks itself meanwhile. */
static void run_switched(const struct cred *c, struct seen *w)
{
	static const char *const same[] = {"Uid", "Gid", "Groups", "CapEff", "Umask"};
	char before[4096], during[4096];
	pthread_t t;

	memset(w, 0, sizeof(*w));
	w->c = c;
	w->main_tid = (pid_t)syscall(SYS_gettid);
	w->root_nl = rtnl_open();
	assert_true(w->root_nl >= 0);
	snprintf(w->dir, sizeof(w->dir), "/tmp/test_cred.XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	assert_int_equal(chmod(w->dir, 0777), 0);
	slurp("/proc/thread-self/status", before, sizeof(before));
	pthread_barrier_init(&w->bar, NULL, 2);
	assert_int_equal(pthread_create(&t, NULL, switched, w), 0);
	pthread_barrier_wait(&w->bar);
	/* The other thread is switched now; this one is not. */
	slurp("/proc/thread-self/status", during, sizeof(during));
	pthread_barrier_wait(&w->bar);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&w->bar);
	close(w->root_nl);
	rmdir(w->dir);

	assert_int_equal(w->enter, 0);
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_string_equal(field(during, same[i]), field(before, same[i]));
		assert_string_equal(field(w->main_st, same[i]), field(before, same[i]));
		/* Back: the daemon's uids, capabilities, groups and umask. */
		assert_string_equal(field(w->after, same[i]), field(before, same[i]));
	}
	assert_int_equal(w->r2 | w->e2 | w->s2, 0);
	assert_int_equal(w->nl_root, EPERM);
}

static int unprivileged_port_start(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	int v = 1024;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 1024;
		fclose(f);
	}
	return v;
}

static void test_fallback(void **state)
{
	struct cred c;
	pid_t pid;

	need_root();
	pid = spawn(child_nobody);
	assert_true(pid > 0);
	assert_int_equal(cred_of_caller(0, 1000, 1001, &c), 0);
	assert_false(c.exact);
	assert_int_equal(c.ruid, 1000);
	assert_int_equal(c.suid, 1000);
	assert_int_equal(c.fsuid, 1000);
	assert_int_equal(c.egid, 1001);
	assert_int_equal(c.ngroups, 0);
	assert_null(c.groups);
	assert_true(c.cap_eff == 0);
	assert_int_equal(c.umask, 022);
	assert_int_equal(c.tgid, 0);
	cred_release(&c);
	/* Not the FUSE ids of that pid: another process, or it changed. */
	assert_int_equal(cred_of_caller(pid, 1000, 1000, &c), 0);
	assert_false(c.exact);
	assert_int_equal(c.euid, 1000);
	cred_release(&c);
	/* Gone. */
	reap(pid);
	assert_int_equal(cred_of_caller(pid, NOBODY, NOBODY, &c), 0);
	assert_false(c.exact);
	assert_true(c.cap_eff == 0);
	cred_release(&c);
}

static void test_nobody(void **state)
{
	struct cred c;
	struct seen w;
	pid_t pid;

	need_root();
	pid = spawn(child_nobody);
	assert_true(pid > 0);
	assert_int_equal(cred_of_caller(pid, NOBODY, NOBODY, &c), 0);
	reap(pid);
	assert_true(c.exact);
	assert_int_equal(c.ruid, NOBODY);
	assert_int_equal(c.euid, NOBODY);
	assert_int_equal(c.sgid, NOBODY);
	assert_int_equal(c.ngroups, 2);
	assert_int_equal(c.groups[0], 100);
	assert_int_equal(c.groups[1], NOBODY);
	assert_true(c.cap_eff == 0);
	assert_int_equal(c.umask, 027);
	assert_int_equal(c.tgid, pid);

	run_switched(&c, &w);
	assert_int_equal(w.r, 0); /* no signals from the caller */
	assert_int_equal(w.e, NOBODY);
	assert_int_equal(w.s, 0); /* the way back */
	assert_int_equal(w.kill_rc, EPERM);
	assert_string_equal(field(w.st, "Uid"), "0\t65534\t0\t65534");
	assert_string_equal(field(w.st, "Gid"), "65534\t65534\t65534\t65534");
	assert_string_equal(field(w.st, "Groups"), "100 65534");
	assert_string_equal(field(w.st, "CapEff"), "0000000000000000");
	assert_string_equal(field(w.st, "Umask"), "0027");
	if (unprivileged_port_start() > 80)
		assert_int_equal(w.bind80, EACCES);
	assert_int_equal(w.packet, EPERM);
	assert_int_equal(w.nl_own, EPERM);
	assert_int_equal(w.nl_after, EPERM);
	assert_int_equal(w.peer.uid, NOBODY);
	assert_int_equal(w.peer.gid, NOBODY);
	assert_int_equal(w.peer.pid, getpid());
	assert_int_equal(w.npeergroups, 2);
	assert_int_equal(w.unix_rc, 0);
	assert_int_equal(w.unix_st.st_uid, NOBODY);
	assert_int_equal(w.unix_st.st_gid, NOBODY);
	assert_int_equal(w.unix_st.st_mode & 07777, 0750);
	cred_release(&c);
}

static void test_split_ids(void **state)
{
	struct cred c;
	struct seen w;
	pid_t pid;

	need_root();
	pid = spawn(child_split);
	assert_true(pid > 0);
	/* FUSE names the fsuid and fsgid. */
	assert_int_equal(cred_of_caller(pid, 1000, 1001, &c), 0);
	reap(pid);
	assert_true(c.exact);
	assert_int_equal(c.ngroups, 0);
	run_switched(&c, &w);
	assert_string_equal(field(w.st, "Uid"), "0\t65534\t0\t1000");
	assert_string_equal(field(w.st, "Gid"), "1001\t65534\t65534\t1001");
	assert_string_equal(field(w.st, "Groups"), "");
	assert_string_equal(field(w.st, "CapEff"), "0000000000000000");
	assert_int_equal(w.peer.uid, NOBODY);	  /* SO_PEERCRED: the euid */
	assert_int_equal(w.unix_st.st_uid, 1000); /* files: the fsuid */
	assert_int_equal(w.unix_st.st_gid, 1001);
	cred_release(&c);
}

static void test_root_without_caps(void **state)
{
	struct cred c;
	struct seen w;
	pid_t pid;

	need_root();
	pid = spawn(child_root_bindonly);
	assert_true(pid > 0);
	assert_int_equal(cred_of_caller(pid, 0, 0, &c), 0);
	reap(pid);
	assert_true(c.exact);
	assert_int_equal(c.euid, 0);
	assert_true(c.cap_eff == 1u << CAP_NET_BIND_SERVICE);

	run_switched(&c, &w);
	assert_int_equal(w.e, 0);
	assert_string_equal(field(w.st, "CapEff"), "0000000000000400");
	assert_int_equal(w.bind80, 0);
	assert_int_equal(w.packet, EPERM);
	assert_int_equal(w.nl_own, EPERM);
	assert_int_equal(w.peer.uid, 0);
	cred_release(&c);
}

/* A caller whose credentials are the daemon's own (this thread, root
 * without CAP_SYS_ADMIN in its effective set): nothing is switched, and a
 * capability added meanwhile is taken back. */
struct same_run {
	char before[4096], during[4096], added[4096], after[4096];
	int enter, add, exact;
};

static void *same_main(void *arg)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	struct same_run *r = arg;
	struct cred_saved s;
	struct cred c;

	if (syscall(SYS_capget, &h, d) < 0)
		return NULL;
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &h, d) < 0 ||
	    cred_of_caller((pid_t)syscall(SYS_gettid), getuid(), getgid(), &c))
		return NULL;
	r->exact = c.exact;
	slurp("/proc/thread-self/status", r->before, sizeof(r->before));
	r->enter = cred_enter(&c, &s);
	if (!r->enter) {
		slurp("/proc/thread-self/status", r->during, sizeof(r->during));
		r->add = cred_add_eff(1ULL << CAP_SYS_ADMIN);
		slurp("/proc/thread-self/status", r->added, sizeof(r->added));
		cred_leave(&s);
		slurp("/proc/thread-self/status", r->after, sizeof(r->after));
	}
	cred_release(&c);
	return NULL;
}

static void test_same_as_daemon(void **state)
{
	static const char *const same[] = {"Uid", "Gid", "Groups", "CapEff", "CapPrm"};
	struct same_run r = {.enter = -1};
	unsigned long long eff, added;
	pthread_t t;

	need_root();
	assert_int_equal(pthread_create(&t, NULL, same_main, &r), 0);
	pthread_join(t, NULL);
	assert_true(r.exact);
	assert_int_equal(r.enter, 0);
	assert_int_equal(r.add, 0);
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_string_equal(field(r.during, same[i]), field(r.before, same[i]));
		assert_string_equal(field(r.after, same[i]), field(r.before, same[i]));
	}
	eff = strtoull(field(r.before, "CapEff"), NULL, 16);
	added = strtoull(field(r.added, "CapEff"), NULL, 16);
	assert_true((eff & (1ULL << CAP_SYS_ADMIN)) == 0);
	assert_true(added == (eff | 1ULL << CAP_SYS_ADMIN));
}

static void test_userns_root(void **state)
{
	struct cred c;
	pid_t pid;

	need_root();
	pid = spawn(child_userns);
	if (!pid)
		skip();
	assert_int_equal(cred_of_caller(pid, 0, 0, &c), 0);
	reap(pid);
	assert_true(c.exact);
	assert_int_equal(c.euid, 0);
	/* Its capabilities are over its own namespace, not this one. */
	assert_true(c.cap_eff == 0);
	cred_release(&c);
	/* The daemon's own namespace counts. */
	assert_int_equal(cred_of_caller(getpid(), 0, 0, &c), 0);
	assert_true(c.cap_eff != 0);
	cred_release(&c);
}

/* A daemon that is not root but holds CAP_NET_RAW lends it to nobody. */
static void test_nonroot_daemon(void **state)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{1u << CAP_NET_RAW, 1u << CAP_NET_RAW, 0}};
	struct cred_saved s;
	struct cred c;
	int st = -1;
	pid_t pid;

	need_root();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (prctl(PR_SET_KEEPCAPS, 1) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY) || syscall(SYS_capset, &h, d))
			_exit(10);
		if (packet_socket() || cred_of_caller(0, 1000, 1000, &c) || cred_enter(&c, &s))
			_exit(11);
		st = packet_socket();
		cred_leave(&s);
		_exit(st != EPERM ? 12 : packet_socket() ? 13 : geteuid() != NOBODY ? 14 : 0);
	}
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_refused(void **state)
{
	struct cred c, bad;
	struct cred_saved s1, s2;
	uid_t r, e, s;
	int rc1, rc2;

	need_root();
	assert_int_equal(cred_of_caller(0, NOBODY, NOBODY, &c), 0);
	rc1 = cred_enter(&c, &s1);
	rc2 = cred_enter(&c, &s2);
	cred_leave(&s1);
	assert_int_equal(rc1, 0);
	assert_int_equal(rc2, -EBUSY);
	bad = c;
	bad.ngroups = CRED_NGROUPS_MAX + 1;
	assert_int_equal(cred_enter(&bad, &s1), -EINVAL);
	assert_int_equal(syscall(SYS_getresuid, &r, &e, &s), 0);
	assert_int_equal(r + e + s, 0);
	assert_int_equal(syscall(SYS_getgroups, 0, NULL), getgroups(0, NULL));
	cred_release(&c);
}

/* A root daemon without CAP_SETGID (a unit's bounding set): the switch
 * fails with EPERM at its first step and undoing it touches nothing (it
 * used to abort, setting groups it never changed). */
static void test_no_setgid(void **state)
{
	pid_t child;
	int st;

	need_root();
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
		struct __user_cap_data_struct d[2];
		struct cred_saved s;
		struct cred c;
		uid_t r, e, su;
		int rc;

		if (syscall(SYS_capget, &h, d) < 0)
			_exit(10);
		d[0].effective &= ~(1u << CAP_SETGID);
		d[0].permitted &= ~(1u << CAP_SETGID);
		if (syscall(SYS_capset, &h, d) < 0)
			_exit(11);
		if (cred_of_caller(0, NOBODY, NOBODY, &c))
			_exit(12);
		rc = cred_enter(&c, &s);
		if (rc != -EPERM)
			_exit(13);
		if (syscall(SYS_getresuid, &r, &e, &su) < 0 || r || e || su)
			_exit(14);
		_exit(0);
	}
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* Not a check: how long a switch costs, printed. */
static void test_cost(void **state)
{
	enum { N = 2000 };
	struct cred c;
	struct cred_saved s;
	pid_t pid;
	double t0, t1, t2;

	need_root();
	pid = spawn(child_nobody);
	assert_true(pid > 0);
	t0 = now_us();
	for (int i = 0; i < N; i++) {
		cred_of_caller(pid, NOBODY, NOBODY, &c);
		cred_release(&c);
	}
	t1 = now_us();
	cred_of_caller(pid, NOBODY, NOBODY, &c);
	for (int i = 0; i < N; i++) {
		assert_int_equal(cred_enter(&c, &s), 0);
		cred_leave(&s);
	}
	t2 = now_us();
	cred_release(&c);
	reap(pid);
	print_message("cred_of_caller %.1f us, cred_enter+cred_leave %.1f us, total %.1f us\n",
		      (t1 - t0) / N, (t2 - t1) / N, (t2 - t0) / N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fallback),	cmocka_unit_test(test_nobody),
	    cmocka_unit_test(test_split_ids),	cmocka_unit_test(test_root_without_caps),
	    cmocka_unit_test(test_userns_root), cmocka_unit_test(test_nonroot_daemon),
	    cmocka_unit_test(test_refused),	cmocka_unit_test(test_cost),
	    cmocka_unit_test(test_no_setgid),	cmocka_unit_test(test_same_as_daemon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
