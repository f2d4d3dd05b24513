/* main.c - options, mount, run. */
#include "config.h"

#include "audit.h"
#include "bufmem.h"
#include "fs.h"
#include "lifetime.h"
#include "limit.h"
#include "log.h"
#include "loop.h"
#include "policy.h"
#include "seconds.h"
#include "sock.h"
#include "work.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <fuse_opt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <unistd.h>

struct main_opts {
	char *default_timeout;
	int workers;
	char *policy;
	char *audit;
	int max_per_user;
	int reap_s;
	int drain_s, linger_s;
	unsigned long buf_user, buf_total;
};

#define MAIN_OPT(t, p)                                                                             \
	{                                                                                          \
		t, offsetof(struct main_opts, p), 1                                                \
	}

static const struct fuse_opt main_opt_spec[] = {
    MAIN_OPT("default_timeout=%s", default_timeout),
    MAIN_OPT("resolver_threads=%d", workers),
    MAIN_OPT("policy=%s", policy),
    MAIN_OPT("audit=%s", audit),
    MAIN_OPT("max_sockets_per_user=%d", max_per_user),
    {"reap", offsetof(struct main_opts, reap_s), 5},
    MAIN_OPT("reap=%d", reap_s),
    MAIN_OPT("drain_timeout=%d", drain_s),
    MAIN_OPT("linger_timeout=%d", linger_s),
    MAIN_OPT("max_buffer_per_user=%lu", buf_user),
    MAIN_OPT("max_buffer_total=%lu", buf_total),
    FUSE_OPT_END,
};

static struct fuse_session *main_se;
static struct fuse_buf main_fbuf;
/* Set when the daemon must exit with status 1 once the loop stops. */
static bool main_failed;

/* Options of an fstab line that are for mount(8), systemd or other
 * programs, not for the filesystem: mount.fuse3 strips them, and sockfs
 * ignores them too when an fstab line's options are given to it by hand. */
static bool main_is_fstab_opt(const char *arg)
{
	static const char *const plain[] = {
	    "_netdev", "nofail", "noauto", "auto",  "defaults",
	    "user",    "nouser", "users",  "owner", "group",
	};

	if (arg[0] == '_' || !strncmp(arg, "x-", 2) || !strncmp(arg, "comment=", 8))
		return true;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(arg, plain[i]))
			return true;
	return false;
}

static int main_opt_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	/* 0 drops the option; 1 keeps it for libfuse. */
	return key == FUSE_OPT_KEY_OPT && main_is_fstab_opt(arg) ? 0 : 1;
}

/* mount.fuse3 (mount -t fuse.sockfs, an fstab line) runs "sockfs SOURCE
 * MOUNTPOINT -o OPTIONS", as for sshfs; by hand it is "sockfs MOUNTPOINT".
 * Copy argv to args without the first of two non-option arguments, which is
 * the source: it becomes the mount's fsname, as mount(8) wrote it in fstab,
 * so that "mount -a" sees the line as mounted. *source is NULL without one. */
static int main_split_source(int argc, char *argv[], struct fuse_args *args, const char **source)
{
	int first = -1, n = 0;
	bool opts_end = false;

	for (int i = 1; i < argc; i++) {
		if (!opts_end && !strcmp(argv[i], "--")) {
			opts_end = true;
		} else if (!opts_end && !strcmp(argv[i], "-o")) {
			i++; /* its value */
		} else if (opts_end || argv[i][0] != '-' || !argv[i][1]) {
			if (n++ == 0)
				first = i;
		}
	}
	*source = n == 2 ? argv[first] : NULL;
	for (int i = 0; i < argc; i++) {
		if (n == 2 && i == first)
			continue;
		if (fuse_opt_add_arg(args, argv[i]) == -1)
			return -ENOMEM;
	}
	return 0;
}

/* "-o default_permissions,subtype=sockfs,fsname=SOURCE": the kernel
 * enforces the modes (a socket's directory is its owner's), and mount(8)
 * shows the source (escaped: it may hold a comma). */
static int main_add_mount_opts(struct fuse_args *args, const char *source)
{
	char *opts = NULL, *fsname = NULL;
	int err = -ENOMEM;

	if (asprintf(&fsname, "fsname=%s", source ? source : "sockfs") < 0) {
		fsname = NULL;
		goto free_opts;
	}
	if (fuse_opt_add_opt(&opts, "default_permissions,subtype=sockfs") == -1 ||
	    fuse_opt_add_opt_escaped(&opts, fsname) == -1 || fuse_opt_add_arg(args, "-o") == -1 ||
	    fuse_opt_add_arg(args, opts) == -1)
		goto free_opts;
	err = 0;
free_opts:
	free(fsname);
	free(opts);
	return err;
}

/* A FUSE daemon that died without unmounting (a crash, SIGKILL) leaves its
 * mount point failing with ENOTCONN, and libfuse refuses to mount there:
 * a restart (systemd's Restart=, a container's restart policy) would fail
 * forever. Detach the dead mount first. */
static int main_clear_dead_mount(const char *mnt)
{
	struct statfs sf;

	/* statfs, not stat: the kernel answers stat from its attribute cache
	 * for a second after the daemon died, statfs asks the daemon. */
	if (statfs(mnt, &sf) == 0 || errno != ENOTCONN)
		return 0;
	if (umount2(mnt, MNT_DETACH) < 0) {
		int err = errno;
		log_msg(
		    LOG_ERR,
		    "%s is a dead FUSE mount and cannot be detached (%s): try fusermount3 -u -z %s",
		    mnt, strerror(err), mnt);
		return -err;
	}
	log_msg(LOG_WARNING,
		"%s was a dead FUSE mount (its daemon exited without unmounting): detached it",
		mnt);
	return 0;
}

/* Tell the service manager how things stand (systemd's Type=notify:
 * "READY=1", "STOPPING=1"): one datagram to $NOTIFY_SOCKET, a path or,
 * written with a leading '@', an abstract name. Nothing without it. */
static int main_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len;
	int fd, err = 0;

	if (!path || !path[0])
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EAFNOSUPPORT;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static void main_notify_or_log(const char *state)
{
	int err = main_notify(state);

	if (err)
		log_msg(LOG_WARNING, "cannot notify the service manager at NOTIFY_SOCKET=%s: %s",
			getenv("NOTIFY_SOCKET"), strerror(-err));
}

/* The policy file: its path as given (made absolute, symlinks kept), and
 * the file it led to at the last load. */
static char *main_policy_path;
static char *main_policy_real;

/* Reload the policy (SIGHUP, or its file changed): on an error the old
 * one stays. policy.c keeps the file's path with its symlinks resolved,
 * so once the path leads to another file (a Kubernetes ConfigMap swaps
 * its "..data" symlink to a new directory, and removes the old one) its
 * reload would read the old file or none: then the policy is installed
 * afresh from the path as given, after the new file was checked. Only
 * the loop thread checks and installs policies, so no check sees none. */
static void main_policy_reload(const char *why)
{
	char err[512], *real;
	struct policy *p;

	if (!main_policy_path)
		return;
	real = realpath(main_policy_path, NULL);
	if (real && main_policy_real && strcmp(real, main_policy_real)) {
		p = policy_load(main_policy_path, err, sizeof(err));
		if (!p) {
			log_msg(LOG_ERR, "policy not reloaded (%s), the old one stays: %s", why,
				err);
			goto free_real;
		}
		policy_free(p);
		policy_fini();
		if (policy_init(main_policy_path, err, sizeof(err))) {
			/* The file changed again in between, for the worse:
			 * fail closed (the loop runs no callback after
			 * loop_stop, so nothing is checked against none). */
			log_msg(LOG_CRIT, "policy lost while reloading (%s): %s; stopping", why,
				err);
			main_failed = true;
			loop_stop();
			goto free_real;
		}
		free(main_policy_real);
		main_policy_real = real;
		log_msg(LOG_INFO, "policy reloaded (%s)", why);
		return;
	}
	if (policy_reload(err, sizeof(err)))
		log_msg(LOG_ERR, "policy not reloaded (%s), the old one stays: %s", why, err);
	else
		log_msg(LOG_INFO, "policy reloaded (%s)", why);
free_real:
	free(real);
}

/* Watch the policy file: its directory for a file written, moved or
 * linked in under its name, or for the "..data" symlink a ConfigMap
 * volume swaps; and the file it leads to for writes in place (watched
 * again after each change, as an editor may have replaced it). */
static struct main_policy_watch {
	struct loop_watch w;
	const char *base;
	int dir_wd, file_wd;
} main_pw = {.w = {.fd = -1}, .dir_wd = -1, .file_wd = -1};

static bool main_policy_event(const struct inotify_event *ev)
{
	char path[PATH_MAX];
	struct stat st;

	if (ev->wd == main_pw.file_wd)
		return ev->mask & IN_CLOSE_WRITE;
	if (ev->wd != main_pw.dir_wd || !ev->len)
		return false;
	if (strcmp(ev->name, main_pw.base) && strcmp(ev->name, "..data"))
		return false;
	if (!(ev->mask & IN_CREATE))
		return true;
	/* A new regular file is still empty: its IN_CLOSE_WRITE follows. */
	snprintf(path, sizeof(path), "%.*s/%s", (int)(main_pw.base - main_policy_path - 1),
		 main_policy_path, ev->name);
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static void main_policy_changed(struct loop_watch *w, uint32_t events)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			changed |= main_policy_event(ev);
			p += sizeof(*ev) + ev->len;
		}
	}
	if (!changed)
		return;
	main_notify("RELOADING=1");
	main_policy_reload("its file changed");
	main_pw.file_wd = inotify_add_watch(w->fd, main_policy_path, IN_CLOSE_WRITE);
	main_notify("READY=1");
}

static int main_policy_watch_start(void)
{
	char *dir;
	int err = 0;

	main_pw.base = strrchr(main_policy_path, '/') + 1;
	dir = strndup(main_policy_path, (size_t)(main_pw.base - main_policy_path));
	if (!dir)
		return -ENOMEM;
	main_pw.w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	main_pw.w.cb = main_policy_changed;
	if (main_pw.w.fd < 0) {
		err = -errno;
		goto free_dir;
	}
	main_pw.dir_wd =
	    inotify_add_watch(main_pw.w.fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
	if (main_pw.dir_wd < 0) {
		err = -errno;
		goto close_fd;
	}
	main_pw.file_wd = inotify_add_watch(main_pw.w.fd, main_policy_path, IN_CLOSE_WRITE);
	err = loop_add_level(&main_pw.w);
	if (!err)
		goto free_dir;
close_fd:
	close(main_pw.w.fd);
	main_pw.w.fd = -1;
free_dir:
	free(dir);
	return err;
}

/* Make path absolute without resolving symlinks: the daemon changes to /
 * when it goes to the background. */
static int main_absolute(char **path)
{
	char cwd[PATH_MAX], *abs;

	if (!*path || (*path)[0] == '/')
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	if (asprintf(&abs, "%s/%s", cwd, *path) < 0)
		return -ENOMEM;
	free(*path);
	*path = abs;
	return 0;
}

/* libfuse's messages, once stderr is /dev/null. */
static void main_fuse_log(enum fuse_log_level level, const char *fmt, va_list ap)
{
	log_vmsg((int)level, fmt, ap);
}

static void main_usage(const char *prog)
{
	printf("usage: %s [SOURCE] MOUNTPOINT [options]\n\n"
	       "sockfs presents the BSD socket API as a filesystem. SOURCE (any name,\n"
	       "as mount.fuse3 passes an fstab line's first field) is shown by mount(8).\n"
	       "In the background (without -f) messages go to syslog.\n\n"
	       "sockfs options:\n"
	       "    -o default_timeout=SECONDS  timeout of new sockets (default: none, blocking)\n"
	       "    -o resolver_threads=N       most name resolution threads, started as\n"
	       "                                lookups queue (default: 64)\n"
	       "    -o policy=FILE              allow/deny rules (JSON; reloaded when the file\n"
	       "                                changes and on SIGHUP)\n"
	       "    -o audit=FILE|stderr        one JSON line per socket event (stderr: with -f)\n"
	       "    -o max_sockets_per_user=N   more sockets give EMFILE (default: no limit)\n"
	       "    -o reap[=SECONDS]           close sockets whose creator exited and that\n"
	       "                                no file holds open (check every 5 s)\n"
	       "    -o auto_unmount             unmount when sockfs dies, even by SIGKILL\n"
	       "                                (through fusermount3)\n"
	       "    -o _netdev,nofail,x-...     fstab options for mount(8): ignored\n"
	       "    -o drain_timeout=SECONDS    at SIGTERM, time to send bytes writes were\n"
	       "                                answered for (default: 5)\n"
	       "    -o linger_timeout=SECONDS   longest a closed socket sends its queued\n"
	       "                                bytes (default: 60)\n"
	       "    -o max_buffer_per_user=BYTES  bytes held for one user's unsent writes\n"
	       "                                and unfinished msgs (default: 64 MiB)\n"
	       "    -o max_buffer_total=BYTES   the same for all users (default: 512 MiB)\n\n",
	       prog);
	/* libfuse's own list (fuse_cmdline_help) also offers its
	 * multi-threaded loop's -s, clone_fd and max_threads, which do not
	 * apply: sockfs runs its own event loop. */
	printf("general options:\n"
	       "    -h   --help            print help\n"
	       "    -V   --version         print version\n"
	       "    -d   -o debug          enable debug output (implies -f)\n"
	       "    -f                     foreground operation\n");
	fuse_lowlevel_help();
}

static void main_fuse_ready(struct loop_watch *w, uint32_t events)
{
	/* Bounded, so sockets get their turn under a flood of requests. */
	for (int i = 0; i < 64; i++) {
		int res = fuse_session_receive_buf(main_se, &main_fbuf);
		if (res == -EAGAIN || res == -EINTR)
			return;
		if (res <= 0 || fuse_session_exited(main_se)) {
			loop_stop();
			return;
		}
		fuse_session_process_buf(main_se, &main_fbuf);
	}
}

/* SIGHUP: reload the policy (the old one stays on an error), reopen the
 * audit log. Sockets are untouched. */
static void main_reload(void)
{
	main_notify("RELOADING=1");
	main_policy_reload("SIGHUP");
	audit_reopen();
	main_notify("READY=1");
}

static void main_signal(struct loop_watch *w, uint32_t events)
{
	struct signalfd_siginfo si;

	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			loop_stop();
		if (si.ssi_signo == SIGHUP)
			main_reload();
	}
}

static void main_drain_check(struct loop_timer *t)
{
	if (sock_lingering_count(NULL) == 0 || loop_now_ms() >= *(uint64_t *)t->data) {
		loop_stop();
		return;
	}
	loop_timer_arm(t, loop_now_ms() + 20);
}

/* Shutdown: close every socket and let the loop send their queued bytes
 * for up to drain_s seconds (a second SIGTERM ends it); log what is left. */
static void main_drain(int drain_s)
{
	uint64_t until = loop_now_ms() + (uint64_t)drain_s * 1000;
	struct loop_timer t;
	size_t n, bytes;

	sock_close_open();
	loop_timer_init(&t, main_drain_check, &until);
	loop_timer_arm(&t, loop_now_ms());
	loop_run();
	loop_timer_cancel(&t);
	n = sock_lingering_count(&bytes);
	if (n) {
		sock_linger_abandon();
		fprintf(stderr,
			"sockfs: drain: %zu socket(s) still had %zu queued byte(s) after %d s: "
			"dropped, connections reset\n",
			n, bytes, drain_s);
	}
}

static void main_after_iteration(void)
{
	sock_run_interrupts();
	sock_reap();
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_cmdline_opts cl = {0};
	struct main_opts o = {.workers = 64,
			      .drain_s = 5,
			      .linger_s = 60,
			      .buf_user = 64ul << 20,
			      .buf_total = 512ul << 20};
	struct loop_watch fuse_watch = {.fd = -1}, sig_watch = {.fd = -1};
	const char *source;
	sigset_t sigs;
	int ret = 1, err;

	if (main_split_source(argc, argv, &args, &source)) {
		fprintf(stderr, "sockfs: out of memory\n");
		goto free_args;
	}
	if (fuse_parse_cmdline(&args, &cl) != 0)
		goto free_args;
	if (cl.show_help) {
		main_usage(argv[0]);
		ret = 0;
		goto free_args;
	}
	if (cl.show_version) {
		/* Ours first: libfuse's runs fusermount3, which writes at once. */
		printf("sockfs %s\nlibfuse %s\n", SOCKFS_VERSION, fuse_pkgversion());
		fflush(stdout);
		fuse_lowlevel_version();
		ret = 0;
		goto free_args;
	}
	if (!cl.mountpoint) {
		fprintf(stderr, "usage: %s [SOURCE] MOUNTPOINT [options]  (--help for more)\n",
			argv[0]);
		goto free_args;
	}
	if (fuse_opt_parse(&args, &o, main_opt_spec, main_opt_proc) == -1)
		goto free_args;
	if (o.default_timeout &&
	    seconds_parse(o.default_timeout, strlen(o.default_timeout), &sock_default_timeout_ms)) {
		log_msg(LOG_ERR, "bad default_timeout '%s' (seconds or none)", o.default_timeout);
		goto free_args;
	}
	if (o.max_per_user < 0) {
		log_msg(LOG_ERR, "bad max_sockets_per_user %d", o.max_per_user);
		goto free_args;
	}
	limit_max_per_user = (size_t)o.max_per_user;
	if (o.drain_s < 0 || o.linger_s < 0) {
		log_msg(LOG_ERR, "bad drain_timeout or linger_timeout (seconds, 0 or more)");
		goto free_args;
	}
	sock_linger_timeout_ms = (long)o.linger_s * 1000;
	bufmem_max_per_user = o.buf_user;
	bufmem_max_total = o.buf_total;
	if (o.audit && !strcmp(o.audit, "stderr")) {
		if (!cl.foreground) {
			log_msg(LOG_ERR,
				"-o audit=stderr needs -f: in the background stderr is /dev/null "
				"(give -o audit=FILE, or run in the foreground with -f)");
			goto free_args;
		}
		/* stderr is the audit log's alone: JSON lines, nothing else. */
		log_to_stdout();
		fuse_set_log_func(main_fuse_log);
	}
	if ((o.audit && strcmp(o.audit, "stderr") && main_absolute(&o.audit)) ||
	    main_absolute(&o.policy)) {
		log_msg(LOG_ERR, "cannot make the audit or policy path absolute");
		goto free_args;
	}
	{
		char perr[512];
		if (policy_init(o.policy, perr, sizeof(perr))) {
			log_msg(LOG_ERR, "policy: %s", perr);
			goto free_args;
		}
	}
	main_policy_path = o.policy;
	main_policy_real = o.policy ? realpath(o.policy, NULL) : NULL;
	if (main_add_mount_opts(&args, source))
		goto free_args;

	main_se = fuse_session_new(&args, fs_ops(), sizeof(*fs_ops()), NULL);
	if (!main_se)
		goto free_args;
	if (main_clear_dead_mount(cl.mountpoint))
		goto destroy_session;
	if (fuse_session_mount(main_se, cl.mountpoint) != 0)
		goto destroy_session;
	err = fuse_session_custom_io(main_se, fs_custom_io(), fuse_session_fd(main_se));
	if (err) {
		log_msg(LOG_ERR, "custom io: %s", strerror(-err));
		goto unmount;
	}
	if (fuse_daemonize(cl.foreground) != 0)
		goto unmount;
	fs_start(main_se);
	if (!cl.foreground) {
		/* stderr is /dev/null from now on. */
		log_to_syslog();
		fuse_set_log_func(main_fuse_log);
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	limit_raise_nofile();
	{
		char aerr[512];
		/* After fuse_daemonize: the writer thread must live in the
		 * daemon, and stderr is then the daemon's. */
		if (audit_init(o.audit, aerr, sizeof(aerr))) {
			log_msg(LOG_ERR, "%s", aerr);
			goto unmount;
		}
	}

	err = loop_init();
	if (err) {
		log_msg(LOG_ERR, "event loop: %s", strerror(-err));
		goto unmount;
	}
	err = work_init(o.workers);
	if (err) {
		log_msg(LOG_ERR, "workers: %s", strerror(-err));
		goto fini_loop;
	}
	lifetime_init(o.reap_s);
	sig_watch.fd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	sig_watch.cb = main_signal;
	fuse_watch.fd = fuse_session_fd(main_se);
	fuse_watch.cb = main_fuse_ready;
	fcntl(fuse_watch.fd, F_SETFL, fcntl(fuse_watch.fd, F_GETFL) | O_NONBLOCK);
	if (sig_watch.fd < 0 || loop_add_level(&sig_watch) || loop_add_level(&fuse_watch)) {
		log_msg(LOG_ERR, "cannot watch the FUSE device");
		goto stop_workers;
	}
	if (main_policy_path) {
		err = main_policy_watch_start();
		if (err)
			log_msg(LOG_WARNING,
				"cannot watch %s for changes (%s): reload it with SIGHUP",
				main_policy_path, strerror(-err));
	}
	loop_set_after_batch(main_after_iteration);
	if (cl.foreground)
		log_msg(LOG_INFO,
			"mounted on %s; use it from another shell; Ctrl-C or SIGTERM unmounts",
			cl.mountpoint);
	else
		log_msg(LOG_INFO, "mounted on %s; SIGTERM or umount stops sockfs", cl.mountpoint);
	main_notify_or_log("READY=1\nSTATUS=mounted");
	err = loop_run();
	ret = err || main_failed ? 1 : 0;
	main_notify("STOPPING=1");
	log_msg(LOG_INFO, "unmounting %s", cl.mountpoint);
	/* No new requests; sockets close and send what writes were answered
	 * for, within drain_timeout. */
	loop_del(&fuse_watch);
	main_drain(o.drain_s);
	/* Files still open when the mount went away, then their sockets. */
	sock_close_all();
	fs_fini();
	sock_table_fini();

stop_workers:
	work_shutdown();
	if (sig_watch.fd >= 0)
		close(sig_watch.fd);
	if (main_pw.w.fd >= 0)
		close(main_pw.w.fd);
fini_loop:
	lifetime_fini();
	loop_fini();
	audit_fini();
unmount:
	fuse_session_unmount(main_se);
destroy_session:
	fuse_session_destroy(main_se);
	free(main_fbuf.mem);
free_args:
	free(cl.mountpoint);
	fuse_opt_free_args(&args);
	free(o.default_timeout);
	free(o.policy);
	free(o.audit);
	free(main_policy_real);
	policy_fini();
	log_fini();
	return ret;
}
