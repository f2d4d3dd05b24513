/* sockfs-bench.c - sockfs beside raw sockets, socat and the floor (a null
 * FUSE filesystem, nullfs.c), on loopback: main and the round trip,
 * connect, scale, idle and many cases (bulk.c and shell.c have the
 * others).
 *
 * Run through bench/run, which mounts sockfs and the floor and passes
 * --mount, --daemon-pid, --floor and --floor-pid. Every transfer is
 * checked byte for byte against a deterministic pattern; any mismatch or
 * missing answer exits 1. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* ------------------------------------------------------------ 2. ping-pong */

#define PP_SIZE 64

struct echo {
	int fd, count, err;
};

static void *echo_main(void *arg)
{
	struct echo *e = arg;
	char buf[PP_SIZE];

	for (int i = 0; i < e->count; i++)
		if (bench_read_full(e->fd, buf, PP_SIZE) || bench_write_all(e->fd, buf, PP_SIZE)) {
			e->err = -1;
			return NULL;
		}
	return NULL;
}

/* Returns microseconds per round trip. */
static double bench_pp_run(int cfd, int sfd, int count)
{
	struct echo e = {.fd = sfd, .count = count};
	char out[PP_SIZE], in[PP_SIZE];
	pthread_t t;
	double t0, t1;

	if (pthread_create(&t, NULL, echo_main, &e))
		bench_die("pthread_create");
	t0 = bench_now();
	for (int i = 0; i < count; i++) {
		memcpy(out, bench_pat + (size_t)i * 7 % PAT_PERIOD, PP_SIZE);
		if (bench_write_all(cfd, out, PP_SIZE) || bench_read_full(cfd, in, PP_SIZE))
			bench_die("ping-pong: I/O error at round trip %d", i);
		if (memcmp(in, out, PP_SIZE))
			bench_die("ping-pong: reply %d differs from the message", i);
	}
	t1 = bench_now();
	pthread_join(t, NULL);
	if (e.err)
		bench_die("ping-pong: the echo side failed");
	return (t1 - t0) * 1e6 / count;
}

/* The floor of a round trip: the same four 64-byte requests (a write
 * and a read on each side), back to back on one null file. Returns
 * microseconds per four requests. */
static double bench_pp_floor(int fd, int count)
{
	char buf[PP_SIZE];
	double t0 = bench_now();

	for (int i = 0; i < count; i++)
		for (int k = 0; k < 2; k++)
			if (bench_write_all(fd, bench_pat, PP_SIZE) ||
			    read(fd, buf, PP_SIZE) != PP_SIZE)
				bench_die("ping-pong floor: %s", strerror(errno));
	return (bench_now() - t0) * 1e6 / count;
}

static void bench_pingpong(void)
{
	int lport, rport, lfd = raw_listener(&rport);
	uint64_t lid = sfs_listener(&lport);
	struct result *us = result_new("64 B round trip", "us", false);
	struct result *rate = result_new("64 B round trips/s", "1/s", true);
	struct result *tgt = result_new("64 B RT vs raw + 2 floor requests", "us", false);

	for (int run = 0; run < bench_cfg.runs; run++) {
		uint64_t ids[2];
		int fds[2];
		double v, raw;

		sfs_pair(lid, lport, ids, fds);
		busy_start();
		reqs_start(M_SOCKFS);
		v = bench_pp_run(fds[0], fds[1], bench_cfg.pp_count);
		reqs_stop(us, M_SOCKFS, bench_cfg.pp_count);
		busy_stop(us);
		result_add(us, M_SOCKFS, v);
		result_add(rate, M_SOCKFS, 1e6 / v);
		result_add(tgt, M_SOCKFS, v);
		close(fds[0]);
		close(fds[1]);
		sfs_close(ids[0]);
		sfs_close(ids[1]);

		raw_pair(lfd, rport, fds);
		raw = bench_pp_run(fds[0], fds[1], bench_cfg.pp_count);
		result_add(us, M_RAW, raw);
		result_add(rate, M_RAW, 1e6 / raw);
		close(fds[0]);
		close(fds[1]);

		if (bench_floor) {
			int fd = floor_open(floor_new());
			reqs_start(M_FLOOR);
			v = bench_pp_floor(fd, bench_cfg.pp_count);
			reqs_stop(us, M_FLOOR, bench_cfg.pp_count);
			close(fd);
			result_add(us, M_FLOOR, v);
			result_add(rate, M_FLOOR, 1e6 / v);
			/* raw + two of the floor's requests: the "raw" of this row */
			result_add(tgt, M_RAW, raw + v / 2);
		}
	}
	result_finish(us);
	result_finish(rate);
	result_finish(tgt);
	snprintf(tgt->note, sizeof(tgt->note),
		 "raw column: raw round trip + 2 floor requests (target: sfs/raw <= 1.25x)");
	result_print(us);
	result_print(rate);
	if (bench_floor)
		result_print(tgt);
	sfs_close(lid);
	close(lfd);
}

/* ------------------------------------------------------------ 3. connect */

struct acceptor {
	int lfd;
	atomic_bool stop;
	atomic_long accepted;
};

static void *acceptor_main(void *arg)
{
	struct acceptor *a = arg;

	while (!atomic_load(&a->stop)) {
		struct pollfd p = {.fd = a->lfd, .events = POLLIN};
		if (poll(&p, 1, 50) <= 0)
			continue;
		int fd = accept4(a->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd >= 0) {
			close(fd);
			atomic_fetch_add(&a->accepted, 1);
		}
	}
	return NULL;
}

/* read new, open N/ctl, write connect and close: through sockfs, or the
 * same calls on the floor. */
static void bench_connect_sfs(int port, int count, bool floor)
{
	char p[512], cmd[128];
	int n =
	    snprintf(cmd, sizeof(cmd), "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",%d]}", port);

	for (int i = 0; i < count; i++) {
		uint64_t id = floor ? floor_new() : sfs_new();
		int fd;

		if (floor)
			floor_path(p, sizeof(p), id, "ctl");
		else
			sfs_path(p, sizeof(p), id, "ctl");
		fd = open(p, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, cmd, (size_t)n) != n ||
		    write(fd, "{\"op\":\"close\"}", 14) != 14)
			bench_die("connect/close through %s: %s", p, strerror(errno));
		close(fd);
	}
}

/* The same through clone (a socket per open file, commands written to
 * it): open, connect, close, release. 0, or -errno when the mount has no
 * clone file or it refused (then the case is left out). */
static int bench_connect_clone(const char *mnt, int port, int count)
{
	char p[512], cmd[128];
	int n =
	    snprintf(cmd, sizeof(cmd), "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",%d]}", port);

	snprintf(p, sizeof(p), "%s/clone", mnt);
	for (int i = 0; i < count; i++) {
		int fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (write(fd, cmd, (size_t)n) != n || write(fd, "{\"op\":\"close\"}", 14) != 14) {
			int err = -errno;
			close(fd);
			return err;
		}
		close(fd);
	}
	return 0;
}

static void bench_connect_raw(int port, int count)
{
	for (int i = 0; i < count; i++)
		close(raw_connect(port));
}

static void bench_connect(void)
{
	struct acceptor a = {.stop = false};
	struct result *r = result_new("connect+close", "1/s", true);
	struct result *rc = result_new("connect+close through clone", "1/s", true);
	char clone[512];
	bool has_clone;
	int port, count = bench_cfg.conn_count, clone_err = 0;
	pthread_t t;
	long before;
	int sfs_runs = 0;

	snprintf(clone, sizeof(clone), "%s/clone", bench_mnt);
	has_clone = access(clone, F_OK) == 0;
	a.lfd = raw_listener(&port);
	if (pthread_create(&t, NULL, acceptor_main, &a))
		bench_die("pthread_create");
	for (int run = 0; run < bench_cfg.runs; run++) {
		double t0 = bench_now();
		busy_start();
		reqs_start(M_SOCKFS);
		bench_connect_sfs(port, count, false);
		reqs_stop(r, M_SOCKFS, count);
		busy_stop(r);
		result_add(r, M_SOCKFS, count / (bench_now() - t0));
		t0 = bench_now();
		bench_connect_raw(port, count);
		result_add(r, M_RAW, count / (bench_now() - t0));
		if (bench_floor) {
			reqs_start(M_FLOOR);
			t0 = bench_now();
			bench_connect_sfs(port, count, true);
			result_add(r, M_FLOOR, count / (bench_now() - t0));
			reqs_stop(r, M_FLOOR, count);
		}
		/* clone: the raw figure again, the floor's own clone */
		result_add(rc, M_RAW, r->runs[M_RAW][r->nruns[M_RAW] - 1]);
		if (has_clone && !clone_err) {
			busy_start();
			reqs_start(M_SOCKFS);
			t0 = bench_now();
			clone_err = bench_connect_clone(bench_mnt, port, count);
			if (!clone_err) {
				result_add(rc, M_SOCKFS, count / (bench_now() - t0));
				reqs_stop(rc, M_SOCKFS, count);
				busy_stop(rc);
				sfs_runs++;
			}
		}
		if (bench_floor) {
			reqs_start(M_FLOOR);
			t0 = bench_now();
			if (bench_connect_clone(bench_floor, port, count))
				bench_die("connect through the floor's clone: %s", strerror(errno));
			result_add(rc, M_FLOOR, count / (bench_now() - t0));
			reqs_stop(rc, M_FLOOR, count);
		}
	}
	/* Every connection reached the listener. */
	before = (long)count * 2 * bench_cfg.runs + (long)count * sfs_runs;
	for (int i = 0; i < 200 && atomic_load(&a.accepted) < before; i++)
		usleep(10000);
	atomic_store(&a.stop, true);
	pthread_join(t, NULL);
	close(a.lfd);
	/* (a clone that failed part way made some more) */
	if (clone_err ? atomic_load(&a.accepted) < before : atomic_load(&a.accepted) != before)
		bench_die("connect: %ld connections accepted, expected %ld",
			  atomic_load(&a.accepted), before);
	result_finish(r);
	result_print(r);
	if (!has_clone)
		snprintf(rc->note, sizeof(rc->note),
			 "this sockfs has no clone file: the floor only");
	else if (clone_err)
		snprintf(rc->note, sizeof(rc->note), "clone refused: %s; the floor only",
			 strerror(-clone_err));
	result_finish(rc);
	if (bench_floor || sfs_runs)
		result_print(rc);
}

/* ------------------------------------------------------------ 4. scale */

struct blocked {
	int fd, idx;
	atomic_int tid;
};

static atomic_int scale_answered, scale_bad;

static void scale_message(char *buf, int idx)
{
	memset(buf, '.', PP_SIZE);
	snprintf(buf, PP_SIZE, "message for reader %d", idx);
}

static void *blocked_main(void *arg)
{
	struct blocked *b = arg;
	char buf[PP_SIZE], want[PP_SIZE];

	atomic_store(&b->tid, (int)gettid());
	scale_message(want, b->idx);
	if (bench_read_full(b->fd, buf, PP_SIZE) || memcmp(buf, want, PP_SIZE))
		atomic_fetch_add(&scale_bad, 1);
	atomic_fetch_add(&scale_answered, 1);
	return NULL;
}

/* True when the thread sleeps (in its read). */
static bool scale_thread_sleeps(int tid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/* The peers of the scale case live in a child process, so that neither
 * process needs more than RLIMIT_NOFILE's usual 20,000 descriptors: it
 * accepts n connections on lfd (in connect order), says 'R', sends
 * message i on connection i at 'G', and ends at 'Q' or EOF. */
struct scale_peer {
	pid_t pid;
	int cmd, status;
};

static void scale_peer_main(int lfd, int n, int cmd, int status)
{
	int *fds = calloc((size_t)n, sizeof(int));
	char c;

	if (!fds)
		_exit(1);
	for (int i = 0; i < n; i++) {
		struct pollfd p = {.fd = lfd, .events = POLLIN};
		if (poll(&p, 1, 60000) <= 0)
			_exit(1);
		fds[i] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fds[i] < 0)
			_exit(1);
	}
	if (write(status, "R", 1) != 1 || read(cmd, &c, 1) != 1 || c != 'G')
		_exit(1);
	for (int i = 0; i < n; i++) {
		char msg[PP_SIZE];
		scale_message(msg, i);
		if (bench_write_all(fds[i], msg, PP_SIZE))
			_exit(1);
	}
	if (read(cmd, &c, 1) < 0)
		_exit(1);
	_exit(0);
}

static struct scale_peer scale_peer_start(int lfd, int n)
{
	struct scale_peer p;
	int cmd[2], status[2];

	if (pipe2(cmd, O_CLOEXEC) || pipe2(status, O_CLOEXEC))
		bench_die("pipe: %s", strerror(errno));
	p.pid = fork();
	if (p.pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (p.pid == 0) {
		close(cmd[1]);
		close(status[0]);
		scale_peer_main(lfd, n, cmd[0], status[1]);
	}
	close(cmd[0]);
	close(status[1]);
	p.cmd = cmd[1];
	p.status = status[0];
	return p;
}

static void scale_peer_ready(struct scale_peer *p)
{
	struct pollfd pf = {.fd = p->status, .events = POLLIN};
	char c;

	if (poll(&pf, 1, 60000) <= 0 || read(p->status, &c, 1) != 1 || c != 'R')
		bench_die("scale: the peer process did not accept every connection");
}

static void scale_peer_end(struct scale_peer *p)
{
	if (write(p->cmd, "Q", 1) < 0)
		bench_die("scale: peer: %s", strerror(errno));
	close(p->cmd);
	close(p->status);
	if (bench_reap(p->pid, 30) != 0)
		bench_die("scale: the peer process failed");
}

/* n readers blocked on rfds[i], then the peer sends one message to each.
 * Returns the seconds from 'G' to the last answer; *threads and *rss_kib
 * are the daemon's while all are blocked. */
static double scale_run(int n, const int *rfds, struct scale_peer *peer, long *threads,
			long *rss_kib)
{
	struct blocked *b = calloc((size_t)n, sizeof(*b));
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	pthread_attr_t attr;
	double t0, end;
	int i, ok;

	if (!b || !t)
		bench_die("out of memory");
	atomic_store(&scale_answered, 0);
	atomic_store(&scale_bad, 0);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * KIB);
	for (i = 0; i < n; i++) {
		b[i].fd = rfds[i];
		b[i].idx = i;
		if (pthread_create(&t[i], &attr, blocked_main, &b[i]))
			bench_die("pthread_create: reader %d", i);
	}
	pthread_attr_destroy(&attr);
	/* Wait (bounded) until every reader sleeps in its read. */
	end = bench_now() + 120;
	for (i = 0; i < n && bench_now() < end;) {
		int tid = atomic_load(&b[i].tid);
		if (tid && scale_thread_sleeps(tid))
			i++;
		else
			usleep(1000);
	}
	if (i < n)
		bench_die("scale: only %d of %d readers blocked within 120 s", i, n);
	if (threads)
		bench_daemon_status(threads, rss_kib);
	t0 = bench_now();
	if (write(peer->cmd, "G", 1) != 1)
		bench_die("scale: peer: %s", strerror(errno));
	end = bench_now() + 120;
	while (atomic_load(&scale_answered) < n && bench_now() < end)
		usleep(200);
	ok = atomic_load(&scale_answered);
	t0 = bench_now() - t0;
	if (ok < n)
		bench_die("scale: %d of %d readers answered within 120 s", ok, n);
	if (atomic_load(&scale_bad))
		bench_die("scale: %d readers got a wrong message", atomic_load(&scale_bad));
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(b);
	free(t);
	return t0;
}

static void bench_scale(void)
{
	int n = bench_cfg.scale_n, port, lfd = raw_listener(&port);
	int runs = bench_cfg.runs < 3 ? bench_cfg.runs : 3;
	struct result *tm = result_new("answer N blocked readers", "ms", false);
	struct result *th = result_new("  daemon threads", "threads", false);
	struct result *rs = result_new("  daemon VmRSS / sockets", "KiB", false);
	int *rfds = calloc((size_t)n, sizeof(int));
	uint64_t *ids = calloc((size_t)n, sizeof(uint64_t));

	if (!rfds || !ids)
		bench_die("out of memory");
	snprintf(tm->name, sizeof(tm->name), "answer %d blocked readers", n);
	for (int run = 0; run < runs; run++) {
		struct scale_peer peer = scale_peer_start(lfd, n);
		long th0, rss0, th1, rss1;
		double v;

		bench_daemon_status(&th0, &rss0);
		reqs_start(M_SOCKFS);
		for (int i = 0; i < n; i++) {
			ids[i] = sfs_new();
			sfs_connect(ids[i], port);
			rfds[i] = sfs_open_data(ids[i]);
		}
		scale_peer_ready(&peer);
		v = scale_run(n, rfds, &peer, &th1, &rss1);
		scale_peer_end(&peer);
		reqs_stop(tm, M_SOCKFS, n);
		result_add(tm, M_SOCKFS, v * 1e3);
		result_add(th, M_SOCKFS, (double)th1);
		/* All of the RSS over the sockets: an upper bound (the heap
		 * keeps what earlier cases freed, so a difference says little). */
		result_add(rs, M_SOCKFS, (double)rss1 / n);
		snprintf(rs->note, sizeof(rs->note),
			 "VmRSS %ld KiB before the sockets, %ld KiB with %d readers blocked", rss0,
			 rss1, n);
		for (int i = 0; i < n; i++) {
			close(rfds[i]);
			sfs_close(ids[i]);
		}

		peer = scale_peer_start(lfd, n);
		for (int i = 0; i < n; i++)
			rfds[i] = raw_connect(port);
		scale_peer_ready(&peer);
		result_add(tm, M_RAW, scale_run(n, rfds, &peer, NULL, NULL) * 1e3);
		scale_peer_end(&peer);
		for (int i = 0; i < n; i++)
			close(rfds[i]);
	}
	result_finish(tm);
	result_finish(th);
	result_finish(rs);
	result_print(tm);
	result_print(th);
	result_print(rs);
	free(rfds);
	free(ids);
	close(lfd);
}

/* ------------------------------------------------------------ idle */

/* n connected sockets doing nothing (the peers held by a child process):
 * the daemon's VmRSS per socket and its threads. */
static void bench_idle(void)
{
	int n = bench_cfg.idle_n, port, lfd = raw_listener(&port);
	struct result *rs = result_new("idle sockets: VmRSS / socket", "KiB", false);
	struct result *th = result_new("  idle sockets: daemon threads", "threads", false);
	uint64_t *ids = calloc((size_t)n, sizeof(uint64_t));
	struct rlimit rl;
	struct scale_peer peer;
	long th0, rss0, th1, rss1;

	if (!ids)
		bench_die("out of memory");
	/* The peer process holds n descriptors, the daemon n more. */
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)n + 1024) {
		n = rl.rlim_cur > 2048 ? (int)rl.rlim_cur - 1024 : 1024;
		snprintf(rs->note, sizeof(rs->note),
			 "only %d sockets: RLIMIT_NOFILE is %lu here (bench/run raises it where "
			 "fs.nr_open allows)",
			 n, (unsigned long)rl.rlim_cur);
	}
	snprintf(rs->name, sizeof(rs->name), "%d idle sockets: VmRSS / socket", n);
	peer = scale_peer_start(lfd, n);
	bench_daemon_status(&th0, &rss0);
	for (int i = 0; i < n; i++) {
		ids[i] = sfs_new();
		sfs_connect(ids[i], port);
	}
	scale_peer_ready(&peer);
	bench_daemon_status(&th1, &rss1);
	result_add(rs, M_SOCKFS, (double)rss1 / n);
	result_add(th, M_SOCKFS, (double)th1);
	if (!rs->note[0])
		snprintf(rs->note, sizeof(rs->note),
			 "all of VmRSS over the sockets: %ld KiB before, %ld KiB with %d sockets",
			 rss0, rss1, n);
	if (write(peer.cmd, "G", 1) != 1)
		bench_die("idle: peer: %s", strerror(errno));
	scale_peer_end(&peer);
	for (int i = 0; i < n; i++)
		sfs_close(ids[i]);
	result_finish(rs);
	result_finish(th);
	result_print(rs);
	result_print(th);
	free(ids);
	close(lfd);
}

/* ------------------------------------------------------------ 5. many */

/* n streams at once; returns aggregate MiB/s. */
static double many_run(int n, const int (*fds)[2], uint64_t bytes, size_t chunk, bool floor)
{
	struct stream *s = calloc((size_t)n, sizeof(*s));
	pthread_t *t = calloc((size_t)n * 2, sizeof(*t));
	pthread_barrier_t start;
	pthread_attr_t attr;
	double t0, last = 0;

	if (!s || !t)
		bench_die("out of memory");
	pthread_barrier_init(&start, NULL, (unsigned)n * 2 + 1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 128 * KIB);
	for (int i = 0; i < n; i++) {
		s[i] = (struct stream){.wfd = fds[i][0],
				       .rfd = fds[i][1],
				       .bytes = bytes,
				       .chunk = chunk,
				       .floor = floor,
				       .start = &start,
				       .buf = malloc(chunk)};
		if (!s[i].buf || pthread_create(&t[2 * i], &attr, stream_reader, &s[i]) ||
		    pthread_create(&t[2 * i + 1], &attr, stream_writer, &s[i]))
			bench_die("starting stream %d", i);
	}
	pthread_attr_destroy(&attr);
	pthread_barrier_wait(&start);
	for (int i = 0; i < 2 * n; i++)
		pthread_join(t[i], NULL);
	/* From the first writer's start: the main thread may run late. */
	t0 = s[0].started_at;
	for (int i = 0; i < n; i++) {
		if (s[i].err)
			bench_die("many: stream %d lost or changed bytes", i);
		if (s[i].started_at < t0)
			t0 = s[i].started_at;
		if (s[i].done_at > last)
			last = s[i].done_at;
		free(s[i].buf);
	}
	pthread_barrier_destroy(&start);
	free(s);
	free(t);
	return (double)bytes * n / MIB / (last - t0);
}

static void bench_many(void)
{
	int n = bench_cfg.many_n, lport, rport, lfd = raw_listener(&rport);
	uint64_t lid = sfs_listener(&lport);
	int(*fds)[2] = calloc((size_t)n, sizeof(*fds));
	uint64_t(*ids)[2] = calloc((size_t)n, sizeof(*ids));
	struct result *r;
	char name[64];

	if (!fds || !ids)
		bench_die("out of memory");
	snprintf(name, sizeof(name), "%d connections x %" PRIu64 " KiB", n,
		 bench_cfg.many_bytes / KIB);
	r = result_new(name, "MiB/s", true);
	for (int run = 0; run < bench_cfg.runs; run++) {
		for (int i = 0; i < n; i++)
			sfs_pair(lid, lport, ids[i], fds[i]);
		busy_start();
		reqs_start(M_SOCKFS);
		result_add(
		    r, M_SOCKFS,
		    many_run(n, (const int(*)[2])fds, bench_cfg.many_bytes, 64 * KIB, false));
		reqs_stop(r, M_SOCKFS, (double)n * bench_cfg.many_bytes / (64 * KIB));
		busy_stop(r);
		for (int i = 0; i < n; i++) {
			close(fds[i][0]);
			close(fds[i][1]);
			sfs_close(ids[i][0]);
			sfs_close(ids[i][1]);
		}
		for (int i = 0; i < n; i++)
			raw_pair(lfd, rport, fds[i]);
		result_add(
		    r, M_RAW,
		    many_run(n, (const int(*)[2])fds, bench_cfg.many_bytes, 64 * KIB, false));
		for (int i = 0; i < n; i++) {
			close(fds[i][0]);
			close(fds[i][1]);
		}
		if (!bench_floor)
			continue;
		for (int i = 0; i < n; i++) {
			fds[i][0] = floor_open(floor_new());
			fds[i][1] = floor_open(floor_new());
		}
		reqs_start(M_FLOOR);
		result_add(r, M_FLOOR,
			   many_run(n, (const int(*)[2])fds, bench_cfg.many_bytes, 64 * KIB, true));
		reqs_stop(r, M_FLOOR, (double)n * bench_cfg.many_bytes / (64 * KIB));
		for (int i = 0; i < n; i++) {
			close(fds[i][0]);
			close(fds[i][1]);
		}
	}
	result_finish(r);
	result_print(r);
	free(fds);
	free(ids);
	sfs_close(lid);
	close(lfd);
}

/* ------------------------------------------------------------ main */

static void bench_usage(void)
{
	fprintf(stderr,
		"usage: sockfs-bench --mount DIR --daemon-pid PID [--floor DIR --floor-pid PID]\n"
		"                    [--smoke] [--runs N] [--json FILE]\n"
		"                    [--cases bulk,oneway,pingpong,connect,shell,scale,idle,many]\n"
		"                    [--size FACTOR]\n"
		"--smoke: tiny sizes (seconds; for CI). --size: scale every count and byte\n"
		"count of the chosen sizes by FACTOR (0.1: a tenth).\n"
		"Run it through bench/run, which mounts sockfs for it.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *json = NULL, *cases = "bulk,oneway,pingpong,connect,shell,scale,idle,many";
	struct rlimit rl = {262144, 262144};
	double t0 = bench_now(), load0 = bench_loadavg(), load1;
	bool smoke = false;
	double size = 1;
	int runs = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--smoke"))
			smoke = true;
		else if (!strcmp(a, "--mount") && v)
			bench_mnt = argv[++i];
		else if (!strcmp(a, "--daemon-pid") && v)
			bench_dpid = (pid_t)atoi(argv[++i]);
		else if (!strcmp(a, "--floor") && v)
			bench_floor = argv[++i];
		else if (!strcmp(a, "--floor-pid") && v)
			bench_fpid = (pid_t)atoi(argv[++i]);
		else if (!strcmp(a, "--runs") && v)
			runs = atoi(argv[++i]);
		else if (!strcmp(a, "--json") && v)
			json = argv[++i];
		else if (!strcmp(a, "--cases") && v)
			cases = argv[++i];
		else if (!strcmp(a, "--size") && v)
			size = atof(argv[++i]);
		else
			bench_usage();
	}
	if (!bench_mnt || bench_dpid <= 0)
		bench_usage();
	if (smoke)
		bench_cfg = (struct bench_cfg){.runs = 1,
					       .bulk_bytes = 8 * MIB,
					       .pp_count = 200,
					       .conn_count = 100,
					       .scale_n = 300,
					       .idle_n = 300,
					       .many_n = 50,
					       .many_bytes = 256 * KIB};
	else
		bench_cfg = (struct bench_cfg){.runs = 3,
					       .bulk_bytes = 2 * GIB,
					       .pp_count = 20000,
					       .conn_count = 3000,
					       .scale_n = 10000,
					       .idle_n = 100000,
					       .many_n = 1000,
					       .many_bytes = 2 * MIB};
	if (size > 0 && size != 1) {
		bench_cfg.bulk_bytes = (uint64_t)(bench_cfg.bulk_bytes * size) / MIB * MIB + MIB;
		bench_cfg.pp_count = (int)(bench_cfg.pp_count * size) + 1;
		bench_cfg.conn_count = (int)(bench_cfg.conn_count * size) + 1;
		bench_cfg.scale_n = (int)(bench_cfg.scale_n * size) + 1;
		bench_cfg.idle_n = (int)(bench_cfg.idle_n * size) + 1;
		bench_cfg.many_n = (int)(bench_cfg.many_n * size) + 1;
		bench_cfg.many_bytes =
		    (uint64_t)(bench_cfg.many_bytes * size) / KIB * KIB + 64 * KIB;
	}
	if (runs > 0)
		bench_cfg.runs = runs < MAX_RUNS ? runs : MAX_RUNS;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	bench_pattern_init();

	printf("sockfs-bench%s: medians of %d run(s); bytes checked against the pattern\n",
	       smoke ? " (smoke: tiny sizes)" : "", bench_cfg.runs);
	printf(
	    "floor: a null FUSE filesystem (bench/nullfs.c), the same calls; req: FUSE requests\n"
	    "per action (sockfs, floor): per write(2) in bulk, per round trip, per\n"
	    "connect+close, per line or socket in the shell cases, per socket in the scale case\n");
	reqs_calibrate(smoke); /* the smoke test checks the stats files */
	result_print_header();
	if (strstr(cases, "bulk"))
		bench_bulk();
	if (strstr(cases, "oneway"))
		bench_oneway();
	if (strstr(cases, "pingpong"))
		bench_pingpong();
	if (strstr(cases, "connect"))
		bench_connect();
	if (strstr(cases, "shell"))
		bench_shell();
	if (strstr(cases, "scale"))
		bench_scale();
	if (strstr(cases, "idle"))
		bench_idle();
	if (strstr(cases, "many"))
		bench_many();
	load1 = bench_loadavg();
	printf("total %.1f s; load average %.2f at the start (above ~1, other work on the\n"
	       "machine skews the ratios against the single-threaded daemon), %.2f at the end\n"
	       "(which counts this benchmark's own thousands of threads)\n",
	       bench_now() - t0, load0, load1);
	if (json)
		results_json(json, bench_now() - t0, load0, load1);
	return 0;
}
