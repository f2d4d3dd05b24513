/* util.c - the benchmark's helpers: I/O, raw sockets, sockfs files,
 * checked streams and the results table. */
#include "bench.h"

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

const char *bench_mnt;
pid_t bench_dpid;
const char *bench_floor;
pid_t bench_fpid;
char *bench_pat; /* PAT_PERIOD + MAX_CHUNK bytes, periodic */

struct bench_cfg bench_cfg;

/* ------------------------------------------------------------ utilities */

void bench_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "sockfs-bench: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_pattern_init(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	bench_pat = malloc(PAT_PERIOD + MAX_CHUNK);
	if (!bench_pat)
		bench_die("out of memory");
	for (size_t i = 0; i < PAT_PERIOD; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		bench_pat[i] = (char)(x >> 24);
	}
	memcpy(bench_pat + PAT_PERIOD, bench_pat, MAX_CHUNK);
}

int bench_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int bench_read_full(int fd, char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The daemon's "Threads:" and "VmRSS:" (KiB). */
void bench_daemon_status(long *threads, long *rss_kib)
{
	char path[64], line[256];
	FILE *f;

	*threads = *rss_kib = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)bench_dpid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Threads:", 8))
			*threads = atol(line + 8);
		else if (!strncmp(line, "VmRSS:", 6))
			*rss_kib = atol(line + 6);
	}
	fclose(f);
}

double bench_median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reap pid within secs, else kill it. Returns its status or -1. */
int bench_reap(pid_t pid, double secs)
{
	double end = bench_now() + secs;
	int st;

	while (bench_now() < end) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(2000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* ------------------------------------------------------------ raw sockets */

int raw_listener(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4096) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		bench_die("raw listener: %s", strerror(errno));
	*port = ntohs(a.sin_port);
	return fd;
}

int raw_connect(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				.sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		bench_die("raw connect: %s", strerror(errno));
	return fd;
}

int raw_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		bench_die("raw accept: %s", strerror(errno));
	return fd;
}

/* A connected pair: fds[0] the client, fds[1] the accepted end. */
void raw_pair(int lfd, int port, int fds[2])
{
	fds[0] = raw_connect(port);
	fds[1] = raw_accept(lfd);
}

/* ------------------------------------------------------------ sockfs files */

void sfs_path(char *buf, size_t size, uint64_t id, const char *file)
{
	if (id)
		snprintf(buf, size, "%s/%" PRIu64 "/%s", bench_mnt, id, file);
	else
		snprintf(buf, size, "%s/%s", bench_mnt, file);
}

uint64_t sfs_read_id(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		bench_die("open %s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		bench_die("read %s: %s", path, n < 0 ? strerror(errno) : "EOF");
	close(fd);
	buf[n] = 0;
	return strtoull(buf, NULL, 10);
}

uint64_t sfs_new(void)
{
	char p[512];

	sfs_path(p, sizeof(p), 0, "new");
	return sfs_read_id(p);
}

/* Write a command, read its reply into reply (may be NULL). */
void sfs_ctl(uint64_t id, const char *cmd, char *reply, size_t size)
{
	char p[512];
	int fd;

	sfs_path(p, sizeof(p), id, "ctl");
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		bench_die("open %s: %s", p, strerror(errno));
	if (write(fd, cmd, strlen(cmd)) < 0)
		bench_die("%s on socket %" PRIu64 ": %s", cmd, id, strerror(errno));
	if (reply) {
		ssize_t n = read(fd, reply, size - 1);
		if (n < 0)
			bench_die("reading the reply to %s: %s", cmd, strerror(errno));
		reply[n] = 0;
	}
	close(fd);
}

void sfs_connect(uint64_t id, int port)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",%d]}", port);
	sfs_ctl(id, cmd, NULL, 0);
}

uint64_t sfs_listener(int *port)
{
	uint64_t id = sfs_new();
	char reply[512];
	const char *p;

	sfs_ctl(id, "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",0]}", reply, sizeof(reply));
	p = strstr(reply, "\"127.0.0.1\",");
	if (!p)
		bench_die("bind reply: %s", reply);
	*port = atoi(p + 12);
	sfs_ctl(id, "{\"op\":\"listen\",\"backlog\":4096}", NULL, 0);
	return id;
}

uint64_t sfs_accept(uint64_t lid)
{
	char p[512];

	sfs_path(p, sizeof(p), lid, "accept");
	return sfs_read_id(p);
}

int sfs_open_data(uint64_t id)
{
	char p[512];
	int fd;

	sfs_path(p, sizeof(p), id, "data");
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		bench_die("open %s: %s", p, strerror(errno));
	return fd;
}

void sfs_close(uint64_t id)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%" PRIu64, bench_mnt, id);
	if (rmdir(p) < 0)
		bench_die("rmdir %s: %s", p, strerror(errno));
}

/* A connected pair through files: ids[0] client, ids[1] accepted;
 * fds the open data files. */
void sfs_pair(uint64_t lid, int port, uint64_t ids[2], int fds[2])
{
	ids[0] = sfs_new();
	sfs_connect(ids[0], port);
	ids[1] = sfs_accept(lid);
	fds[0] = sfs_open_data(ids[0]);
	fds[1] = sfs_open_data(ids[1]);
}

/* ------------------------------------------------------------ streams */

void *stream_writer(void *arg)
{
	struct stream *s = arg;
	uint64_t pos = 0;

	if (s->start)
		pthread_barrier_wait(s->start);
	s->started_at = bench_now();
	while (pos < s->bytes) {
		size_t n = s->bytes - pos < s->chunk ? (size_t)(s->bytes - pos) : s->chunk;
		int err = bench_write_all(s->wfd, bench_pat + pos % PAT_PERIOD, n);
		if (err) /* its reader would wait for ever */
			bench_die("writer: %s", strerror(-err));
		pos += n;
	}
	return NULL;
}

void *stream_reader(void *arg)
{
	struct stream *s = arg;
	uint64_t pos = 0;

	if (s->start)
		pthread_barrier_wait(s->start);
	while (pos < s->bytes) {
		size_t want = s->bytes - pos < s->chunk ? (size_t)(s->bytes - pos) : s->chunk;
		ssize_t r = read(s->rfd, s->buf, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "reader: %s at byte %" PRIu64 "\n",
				r ? strerror(errno) : "EOF", pos);
			s->err = -1;
			return NULL;
		}
		if (!s->floor && memcmp(s->buf, bench_pat + pos % PAT_PERIOD, (size_t)r)) {
			fprintf(stderr,
				"reader: bytes differ from the pattern near byte %" PRIu64 "\n",
				pos);
			s->err = -2;
			return NULL;
		}
		pos += (uint64_t)r;
	}
	s->done_at = bench_now();
	return NULL;
}

static double stream_run_any(int wfd, int rfd, uint64_t bytes, size_t chunk, bool floor)
{
	struct stream s = {.wfd = wfd, .rfd = rfd, .bytes = bytes, .chunk = chunk, .floor = floor};
	pthread_t w, r;
	double t0;

	s.buf = malloc(chunk);
	if (!s.buf)
		bench_die("out of memory");
	t0 = bench_now();
	if (pthread_create(&r, NULL, stream_reader, &s) ||
	    pthread_create(&w, NULL, stream_writer, &s))
		bench_die("pthread_create");
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	free(s.buf);
	if (s.err)
		bench_die("bulk transfer of %" PRIu64 " bytes in %zu-byte writes: bytes lost or "
			  "changed",
			  bytes, chunk);
	return s.done_at - t0;
}

/* Move bytes from wfd to rfd; returns the seconds taken. */
double stream_run(int wfd, int rfd, uint64_t bytes, size_t chunk)
{
	return stream_run_any(wfd, rfd, bytes, chunk, false);
}

/* The same through the floor: a writer into one null file, a reader of
 * zeros from another. */
double stream_run_floor(int wfd, int rfd, uint64_t bytes, size_t chunk)
{
	return stream_run_any(wfd, rfd, bytes, chunk, true);
}

/* One way through the floor, on this thread: write the pattern, or read
 * zeros. Returns the seconds taken. */
double oneway_floor(int fd, uint64_t bytes, size_t chunk, bool write)
{
	char *buf = malloc(chunk);
	uint64_t pos = 0;
	double t0 = bench_now();

	if (!buf)
		bench_die("out of memory");
	while (pos < bytes) {
		size_t n = bytes - pos < chunk ? (size_t)(bytes - pos) : chunk;
		ssize_t r = write ? bench_write_all(fd, bench_pat + pos % PAT_PERIOD, n) == 0
					? (ssize_t)n
					: -1
				  : read(fd, buf, n);
		if (r <= 0)
			bench_die("floor: %s", r ? strerror(errno) : "EOF");
		pos += (uint64_t)r;
	}
	free(buf);
	return bench_now() - t0;
}

/* ------------------------------------------------------------ the floor */

void floor_path(char *buf, size_t size, uint64_t id, const char *file)
{
	if (id)
		snprintf(buf, size, "%s/%" PRIu64 "/%s", bench_floor, id, file);
	else
		snprintf(buf, size, "%s/%s", bench_floor, file);
}

uint64_t floor_new(void)
{
	char p[512];

	floor_path(p, sizeof(p), 0, "new");
	return sfs_read_id(p);
}

int floor_open(uint64_t id)
{
	char p[512];
	int fd;

	floor_path(p, sizeof(p), id, "data");
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		bench_die("open %s: %s", p, strerror(errno));
	return fd;
}

/* ------------------------------------------------------------ requests */

/* Read a mount's stats file: {"requests": {"NAME": n, ...},
 * "requests_total": n, ...}. */
static void reqs_read(const char *mnt, struct reqsnap *r)
{
	char path[512], buf[4096], *p;
	int fd;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/stats", mnt);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		bench_die("open %s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		bench_die("read %s: %s", path, n ? strerror(errno) : "empty");
	buf[n] = 0;
	p = strstr(buf, "\"requests\":{");
	if (!p)
		bench_die("%s: no requests in %s", path, buf);
	p += 12;
	while (*p == '"' && r->n < REQ_NAMES) {
		char *q = strchr(p + 1, '"');
		if (!q || q[1] != ':')
			bench_die("%s: cannot parse %s", path, buf);
		snprintf(r->name[r->n], sizeof(r->name[0]), "%.*s", (int)(q - p - 1), p + 1);
		r->count[r->n++] = strtoull(q + 2, &p, 10);
		if (*p == ',')
			p++;
	}
	p = strstr(buf, "\"requests_total\":");
	if (!p)
		bench_die("%s: no requests_total in %s", path, buf);
	r->total = strtoull(p + 17, NULL, 10);
	p = strstr(buf, "\"bytes_queued\":");
	r->queued = p ? strtoull(p + 15, NULL, 10) : 0;
}

static uint64_t reqs_get(const struct reqsnap *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->name[i], name))
			return r->count[i];
	return 0;
}

/* What one reading of stats itself costs, by opcode (measured once). */
static struct reqsnap reqs_cost[M_N];
static struct reqsnap reqs_at[M_N];

static bool reqs_off[M_N]; /* the mount has no stats file (an older sockfs) */

static const char *reqs_mnt(int m)
{
	if (reqs_off[m])
		return NULL;
	return m == M_FLOOR ? bench_floor : bench_mnt;
}

void reqs_calibrate(bool required)
{
	for (int m = 0; m < M_N; m++) {
		struct reqsnap a, b;
		char path[512];
		if ((m != M_SOCKFS && m != M_FLOOR) || !reqs_mnt(m))
			continue;
		snprintf(path, sizeof(path), "%s/stats", reqs_mnt(m));
		if (!required && access(path, F_OK) < 0) {
			printf("%s has no stats file: its requests are not counted\n",
			       bench_method_names[m]);
			reqs_off[m] = true;
			continue;
		}
		reqs_read(reqs_mnt(m), &a);
		reqs_read(reqs_mnt(m), &a);
		reqs_read(reqs_mnt(m), &b);
		reqs_cost[m] = b;
		reqs_cost[m].total = b.total - a.total;
		for (int i = 0; i < b.n; i++)
			reqs_cost[m].count[i] = b.count[i] - reqs_get(&a, b.name[i]);
	}
}

void reqs_start(int m)
{
	if (reqs_mnt(m))
		reqs_read(reqs_mnt(m), &reqs_at[m]);
}

void reqs_stop(struct result *r, int m, double actions)
{
	struct reqsnap b;
	double total;

	if (!reqs_mnt(m))
		return;
	reqs_read(reqs_mnt(m), &b);
	total = (double)(b.total - reqs_at[m].total) - (double)reqs_cost[m].total;
	if (total < actions)
		bench_die("%s: %s's stats counted %.0f requests for %.0f actions", r->name,
			  bench_method_names[m], total, actions);
	r->req_n[m] += total > 0 ? total : 0;
	r->req_act[m] += actions;
	if (m == M_SOCKFS)
		r->queued += (double)(b.queued - reqs_at[m].queued);
	if (m != M_SOCKFS)
		return;
	for (int i = 0; i < b.n; i++) {
		double d = (double)(b.count[i] - reqs_get(&reqs_at[m], b.name[i])) -
			   (double)reqs_get(&reqs_cost[m], b.name[i]);
		int k;
		if (d <= 0)
			continue;
		for (k = 0; k < r->req_ops.n && strcmp(r->req_ops.name[k], b.name[i]); k++)
			;
		if (k == r->req_ops.n) {
			if (k == REQ_NAMES)
				continue;
			snprintf(r->req_ops.name[k], sizeof(r->req_ops.name[k]), "%s", b.name[i]);
			r->req_ops.count[k] = 0;
			r->req_ops.n++;
		}
		r->req_ops.count[k] += (uint64_t)d;
	}
}

/* ------------------------------------------------------------ CPU per GiB */

static double cpu_at[M_N];

static pid_t cpu_pid(int m)
{
	return m == M_FLOOR ? bench_fpid : bench_dpid;
}

void cpu_start(int m)
{
	cpu_at[m] = bench_pid_cpu(cpu_pid(m));
}

void cpu_stop(struct result *r, int m, uint64_t bytes)
{
	double cpu = bench_pid_cpu(cpu_pid(m)) - cpu_at[m];

	if (r->ncpu_gib[m] < MAX_RUNS && bytes)
		r->cpu_gib_runs[m][r->ncpu_gib[m]++] = cpu / ((double)bytes / GIB);
	if (m == M_SOCKFS)
		r->moved += (double)bytes;
}

/* ------------------------------------------------------------ results */

const char *const bench_method_names[M_N] = {"sockfs", "raw", "socat", "floor"};

static struct result bench_results[32];
static int bench_nresults;

struct result *result_new(const char *name, const char *unit, bool higher_better)
{
	struct result *r = &bench_results[bench_nresults++];

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	r->higher_better = higher_better;
	for (int m = 0; m < M_N; m++)
		r->v[m] = r->reqs[m] = r->cpu_gib[m] = -1;
	return r;
}

void result_add(struct result *r, int m, double v)
{
	if (r->nruns[m] < MAX_RUNS)
		r->runs[m][r->nruns[m]++] = v;
}

/* The daemon's CPU time (user + system), in seconds. */
double bench_daemon_cpu(void)
{
	return bench_pid_cpu(bench_dpid);
}

/* A process's CPU time (user + system, all its threads), in seconds. */
double bench_pid_cpu(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	int fd;
	ssize_t n;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	/* After ")": state is field 3; utime and stime are fields 14, 15. */
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double bench_busy_t0, bench_busy_c0;

void busy_start(void)
{
	bench_busy_c0 = bench_daemon_cpu();
	bench_busy_t0 = bench_now();
}

void busy_stop(struct result *r)
{
	double wall = bench_now() - bench_busy_t0;

	if (r->nbusy < MAX_RUNS && wall > 0)
		r->busy[r->nbusy++] = (bench_daemon_cpu() - bench_busy_c0) / wall;
}

void result_finish(struct result *r)
{
	if (r->nbusy) {
		double tmp[MAX_RUNS];
		size_t len = strlen(r->note);
		memcpy(tmp, r->busy, sizeof(tmp));
		snprintf(r->note + len, sizeof(r->note) - len, "%sdaemon CPU %.0f%% of wall",
			 len ? "; " : "", 100 * bench_median(tmp, r->nbusy));
	}
	for (int m = 0; m < M_N; m++) {
		double tmp[MAX_RUNS];
		if (r->nruns[m]) {
			memcpy(tmp, r->runs[m], sizeof(tmp));
			r->v[m] = bench_median(tmp, r->nruns[m]);
		}
		if (r->req_act[m] > 0)
			r->reqs[m] = r->req_n[m] / r->req_act[m];
		if (r->ncpu_gib[m]) {
			memcpy(tmp, r->cpu_gib_runs[m], sizeof(tmp));
			r->cpu_gib[m] = bench_median(tmp, r->ncpu_gib[m]);
		}
	}
	if (r->cpu_gib[M_SOCKFS] >= 0) {
		size_t len = strlen(r->note);
		snprintf(r->note + len, sizeof(r->note) - len, "%sdaemon %.2f CPU-s/GiB",
			 len ? "; " : "", r->cpu_gib[M_SOCKFS]);
		len = strlen(r->note);
		if (r->cpu_gib[M_FLOOR] >= 0)
			snprintf(r->note + len, sizeof(r->note) - len, " (floor %.2f)",
				 r->cpu_gib[M_FLOOR]);
		len = strlen(r->note);
		if (r->moved > 0)
			snprintf(r->note + len, sizeof(r->note) - len,
				 "; %.0f%% of the bytes queued in the daemon",
				 100 * r->queued / r->moved);
	}
	if (r->req_ops.n && r->req_act[M_SOCKFS] > 0) {
		size_t len = 0;
		for (int i = 0; i < r->req_ops.n; i++) {
			double v = (double)r->req_ops.count[i] / r->req_act[M_SOCKFS];
			if (v < 0.005)
				continue;
			len +=
			    (size_t)snprintf(r->reqnote + len, sizeof(r->reqnote) - len,
					     "%s%s %.2g", len ? ", " : "", r->req_ops.name[i], v);
			if (len >= sizeof(r->reqnote))
				break;
		}
	}
}

static void result_num(double v)
{
	if (v < 0)
		printf(" %10s", "-");
	else if (v >= 100)
		printf(" %10.0f", v);
	else
		printf(" %10.3g", v);
}

static void result_ratio(double a, double b)
{
	if (a >= 0 && b > 0)
		printf(" %6.2fx", a / b);
	else
		printf(" %7s", "-");
}

void result_print_header(void)
{
	printf("%-32s %-8s %10s %10s %10s %10s %7s %7s %6s %6s\n", "case", "unit", "sockfs", "raw",
	       "socat", "floor", "sfs/raw", "sfs/flr", "req", "floor");
}

void result_print(const struct result *r)
{
	printf("%-32s %-8s", r->name, r->unit);
	for (int m = 0; m < M_N; m++)
		result_num(r->v[m]);
	result_ratio(r->v[M_SOCKFS], r->v[M_RAW]);
	result_ratio(r->v[M_SOCKFS], r->v[M_FLOOR]);
	for (int m = M_SOCKFS; m <= M_FLOOR; m += M_FLOOR - M_SOCKFS)
		if (r->reqs[m] >= 0)
			printf(" %6.3g", r->reqs[m]);
		else
			printf(" %6s", "-");
	if (r->note[0])
		printf("  %s", r->note);
	if (r->reqnote[0])
		printf("%s[requests per action: %s]", r->note[0] ? " " : "  ", r->reqnote);
	printf("\n");
	fflush(stdout);
}

/* The 1-minute load average: other work on the machine skews every
 * figure, the single-threaded daemon's most (it gets one thread's share). */
double bench_loadavg(void)
{
	double v = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

void results_json(const char *path, double total_s, double load0, double load1)
{
	FILE *f = fopen(path, "w");

	if (!f)
		bench_die("cannot write %s: %s", path, strerror(errno));
	fprintf(f,
		"{\n  \"config\": {\"runs\": %d, \"bulk_bytes\": %" PRIu64
		", \"pingpong_count\": %d, \"connect_count\": %d, \"scale_sockets\": %d, "
		"\"many_connections\": %d, \"many_bytes_per_connection\": %" PRIu64 "},\n",
		bench_cfg.runs, bench_cfg.bulk_bytes, bench_cfg.pp_count, bench_cfg.conn_count,
		bench_cfg.scale_n, bench_cfg.many_n, bench_cfg.many_bytes);
	fprintf(f, "  \"seconds\": %.1f,\n  \"loadavg_start\": %.2f,\n  \"loadavg_end\": %.2f,\n",
		total_s, load0, load1);
	fprintf(f, "  \"results\": [\n");
	for (int i = 0; i < bench_nresults; i++) {
		const struct result *r = &bench_results[i];
		fprintf(f, "    {\"name\": \"%s\", \"unit\": \"%s\", \"higher_is_better\": %s",
			r->name, r->unit, r->higher_better ? "true" : "false");
		for (int m = 0; m < M_N; m++) {
			if (!r->nruns[m])
				continue;
			fprintf(f, ", \"%s\": %.3f, \"%s_runs\": [", bench_method_names[m], r->v[m],
				bench_method_names[m]);
			for (int k = 0; k < r->nruns[m]; k++)
				fprintf(f, "%s%.3f", k ? ", " : "", r->runs[m][k]);
			fprintf(f, "]");
		}
		if (r->v[M_SOCKFS] >= 0 && r->v[M_RAW] > 0)
			fprintf(f, ", \"ratio_to_raw\": %.3f", r->v[M_SOCKFS] / r->v[M_RAW]);
		if (r->v[M_SOCKFS] >= 0 && r->v[M_FLOOR] > 0)
			fprintf(f, ", \"ratio_to_floor\": %.3f", r->v[M_SOCKFS] / r->v[M_FLOOR]);
		if (r->reqs[M_SOCKFS] >= 0)
			fprintf(f, ", \"requests_per_action\": %.3f", r->reqs[M_SOCKFS]);
		if (r->reqs[M_FLOOR] >= 0)
			fprintf(f, ", \"floor_requests_per_action\": %.3f", r->reqs[M_FLOOR]);
		if (r->reqnote[0])
			fprintf(f, ", \"requests_by_opcode\": \"%s\"", r->reqnote);
		if (r->cpu_gib[M_SOCKFS] >= 0)
			fprintf(f, ", \"daemon_cpu_s_per_gib\": %.3f", r->cpu_gib[M_SOCKFS]);
		if (r->cpu_gib[M_FLOOR] >= 0)
			fprintf(f, ", \"floor_cpu_s_per_gib\": %.3f", r->cpu_gib[M_FLOOR]);
		if (r->moved > 0)
			fprintf(f, ", \"bytes_queued_share\": %.3f", r->queued / r->moved);
		if (r->note[0])
			fprintf(f, ", \"note\": \"%s\"", r->note);
		fprintf(f, "}%s\n", i + 1 < bench_nresults ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	fclose(f);
}
