/* main.c - options, mount, run. */
#include "config.h"

#include "audit.h"
#include "bufmem.h"
#include "fs.h"
#include "lifetime.h"
#include "limit.h"
#include "loop.h"
#include "policy.h"
#include "seconds.h"
#include "sock.h"
#include "work.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <fuse_opt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
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

static void main_usage(const char *prog)
{
	printf("usage: %s MOUNTPOINT [options]\n\n"
	       "sockfs presents the BSD socket API as a filesystem.\n\n"
	       "sockfs options:\n"
	       "    -o default_timeout=SECONDS  timeout of new sockets (default: none, blocking)\n"
	       "    -o resolver_threads=N       most name resolution threads, started as\n"
	       "                                lookups queue (default: 64)\n"
	       "    -o policy=FILE              allow/deny rules (JSON; reloaded on SIGHUP)\n"
	       "    -o audit=FILE|stderr        one JSON line per socket event\n"
	       "    -o max_sockets_per_user=N   more sockets give EMFILE (default: no limit)\n"
	       "    -o reap[=SECONDS]           close sockets whose creator exited and that\n"
	       "                                no file holds open (check every 5 s)\n"
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
	char err[512];

	if (policy_reload(err, sizeof(err)))
		fprintf(stderr, "sockfs: policy not reloaded, the old one stays: %s\n", err);
	else
		fprintf(stderr, "sockfs: policy reloaded\n");
	audit_reopen();
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
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts cl;
	struct main_opts o = {.workers = 64,
			      .drain_s = 5,
			      .linger_s = 60,
			      .buf_user = 64ul << 20,
			      .buf_total = 512ul << 20};
	struct loop_watch fuse_watch = {.fd = -1}, sig_watch = {.fd = -1};
	sigset_t sigs;
	int ret = 1, err;

	if (fuse_parse_cmdline(&args, &cl) != 0)
		return 1;
	if (cl.show_help) {
		main_usage(argv[0]);
		ret = 0;
		goto free_args;
	}
	if (cl.show_version) {
		printf("sockfs %s\n", SOCKFS_VERSION);
		fuse_lowlevel_version();
		ret = 0;
		goto free_args;
	}
	if (!cl.mountpoint) {
		fprintf(stderr, "usage: %s MOUNTPOINT [options]  (--help for more)\n", argv[0]);
		goto free_args;
	}
	if (fuse_opt_parse(&args, &o, main_opt_spec, NULL) == -1)
		goto free_args;
	if (o.default_timeout &&
	    seconds_parse(o.default_timeout, strlen(o.default_timeout), &sock_default_timeout_ms)) {
		fprintf(stderr, "sockfs: bad default_timeout '%s' (seconds or none)\n",
			o.default_timeout);
		goto free_args;
	}
	if (o.max_per_user < 0) {
		fprintf(stderr, "sockfs: bad max_sockets_per_user %d\n", o.max_per_user);
		goto free_args;
	}
	limit_max_per_user = (size_t)o.max_per_user;
	if (o.drain_s < 0 || o.linger_s < 0) {
		fprintf(stderr, "sockfs: bad drain_timeout or linger_timeout (seconds, 0 or more)\n");
		goto free_args;
	}
	sock_linger_timeout_ms = (long)o.linger_s * 1000;
	bufmem_max_per_user = o.buf_user;
	bufmem_max_total = o.buf_total;
	if (o.audit && strcmp(o.audit, "stderr") && o.audit[0] != '/') {
		/* Absolute: the daemon changes to / when it goes to the background. */
		char cwd[4096], *abs;
		if (!getcwd(cwd, sizeof(cwd)) || asprintf(&abs, "%s/%s", cwd, o.audit) < 0) {
			fprintf(stderr, "sockfs: cannot make the audit path absolute\n");
			goto free_args;
		}
		free(o.audit);
		o.audit = abs;
	}
	{
		char perr[512];
		if (policy_init(o.policy, perr, sizeof(perr))) {
			fprintf(stderr, "sockfs: policy: %s\n", perr);
			goto free_args;
		}
	}
	/* The kernel enforces the modes: a socket's directory is its owner's. */
	if (fuse_opt_add_arg(&args, "-odefault_permissions,fsname=sockfs,subtype=sockfs") == -1)
		goto free_args;

	main_se = fuse_session_new(&args, fs_ops(), sizeof(*fs_ops()), NULL);
	if (!main_se)
		goto free_args;
	if (fuse_session_mount(main_se, cl.mountpoint) != 0)
		goto destroy_session;
	err = fuse_session_custom_io(main_se, fs_custom_io(), fuse_session_fd(main_se));
	if (err) {
		fprintf(stderr, "sockfs: custom io: %s\n", strerror(-err));
		goto unmount;
	}
	if (fuse_daemonize(cl.foreground) != 0)
		goto unmount;
	fs_start(main_se);

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
			fprintf(stderr, "sockfs: %s\n", aerr);
			goto unmount;
		}
	}

	err = loop_init();
	if (err) {
		fprintf(stderr, "sockfs: event loop: %s\n", strerror(-err));
		goto unmount;
	}
	err = work_init(o.workers);
	if (err) {
		fprintf(stderr, "sockfs: workers: %s\n", strerror(-err));
		goto fini_loop;
	}
	lifetime_init(o.reap_s);
	sig_watch.fd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	sig_watch.cb = main_signal;
	fuse_watch.fd = fuse_session_fd(main_se);
	fuse_watch.cb = main_fuse_ready;
	fcntl(fuse_watch.fd, F_SETFL, fcntl(fuse_watch.fd, F_GETFL) | O_NONBLOCK);
	if (sig_watch.fd < 0 || loop_add_level(&sig_watch) || loop_add_level(&fuse_watch)) {
		fprintf(stderr, "sockfs: cannot watch the FUSE device\n");
		goto stop_workers;
	}
	loop_set_after_batch(main_after_iteration);
	err = loop_run();
	ret = err ? 1 : 0;
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
	policy_fini();
	return ret;
}
