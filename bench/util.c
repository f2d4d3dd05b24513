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
		if (err) {
			fprintf(stderr, "writer: %s\n", strerror(-err));
			s->err = -1;
			return NULL;
		}
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
		if (memcmp(s->buf, bench_pat + pos % PAT_PERIOD, (size_t)r)) {
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

/* Move bytes from wfd to rfd; returns the seconds taken. */
double stream_run(int wfd, int rfd, uint64_t bytes, size_t chunk)
{
	struct stream s = {.wfd = wfd, .rfd = rfd, .bytes = bytes, .chunk = chunk};
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

/* ------------------------------------------------------------ results */

const char *const bench_method_names[M_N] = {"sockfs", "raw", "socat"};

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
		r->v[m] = -1;
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
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)bench_dpid);
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
	for (int m = 0; m < M_N; m++)
		if (r->nruns[m]) {
			double tmp[MAX_RUNS];
			memcpy(tmp, r->runs[m], sizeof(tmp));
			r->v[m] = bench_median(tmp, r->nruns[m]);
		}
}

void result_print(const struct result *r)
{
	printf("%-34s %-9s", r->name, r->unit);
	for (int m = 0; m < M_N; m++)
		if (r->v[m] >= 0)
			printf(" %12.1f", r->v[m]);
		else
			printf(" %12s", "-");
	if (r->v[M_SOCKFS] >= 0 && r->v[M_RAW] > 0)
		printf(" %7.2fx", r->v[M_SOCKFS] / r->v[M_RAW]);
	else
		printf(" %8s", "-");
	if (r->note[0])
		printf("  %s", r->note);
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
		if (r->note[0])
			fprintf(f, ", \"note\": \"%s\"", r->note);
		fprintf(f, "}%s\n", i + 1 < bench_nresults ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	fclose(f);
}
