/* bench.h - helpers shared by the benchmark's cases (util.c). */
#ifndef SOCKFS_BENCH_H
#define SOCKFS_BENCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define KIB	   ((uint64_t)1024)
#define MIB	   (1024 * KIB)
#define GIB	   (1024 * MIB)
#define PAT_PERIOD (MIB + 13) /* not a multiple of any write size */
#define MAX_CHUNK  MIB
#define MAX_RUNS   15

struct bench_cfg {
	int runs;
	uint64_t bulk_bytes;
	int pp_count;
	int conn_count;
	int scale_n;
	int idle_n;
	int many_n;
	uint64_t many_bytes; /* per connection */
};

extern const char *bench_mnt;
extern pid_t bench_dpid;
extern const char *bench_floor; /* the null filesystem's mount, or NULL */
extern pid_t bench_fpid;
extern char *bench_pat; /* PAT_PERIOD + MAX_CHUNK bytes, periodic */
extern struct bench_cfg bench_cfg;

struct stream {
	int wfd, rfd;
	bool floor; /* the floor's reads are zeros: not checked */
	uint64_t bytes;
	size_t chunk;
	int err;
	double started_at, done_at;
	char *buf;
	pthread_barrier_t *start;
};

enum { M_SOCKFS, M_RAW, M_SOCAT, M_FLOOR, M_N };
extern const char *const bench_method_names[M_N];

/* A reading of a mount's stats file. */
#define REQ_NAMES 24
struct reqsnap {
	uint64_t total;
	uint64_t queued; /* bytes_queued: data copied into send queues */
	int n;
	char name[REQ_NAMES][16];
	uint64_t count[REQ_NAMES];
};

struct result {
	char name[64];
	char unit[16];
	bool higher_better;
	double v[M_N]; /* medians, < 0 when not measured */
	double runs[M_N][MAX_RUNS];
	int nruns[M_N];
	double busy[MAX_RUNS]; /* daemon CPU time / wall time, sockfs runs */
	int nbusy;
	char note[256];
	/* FUSE requests per action (the stats file's counts over the
	 * sockfs and floor runs, less the stats reads), < 0 when not
	 * counted; the sockfs ones by opcode in reqnote. */
	double reqs[M_N];
	char reqnote[160];
	double req_n[M_N], req_act[M_N];
	struct reqsnap req_ops; /* sockfs's, summed over its runs */
	/* Daemon CPU-s per GiB moved (bulk), < 0 when not measured. */
	double cpu_gib[M_N];
	double cpu_gib_runs[M_N][MAX_RUNS];
	int ncpu_gib[M_N];
	double queued, moved; /* sockfs: bytes queued in the daemon, bytes moved */
};

__attribute__((noreturn, format(printf, 1, 2))) void bench_die(const char *fmt, ...);
double bench_now(void);
void bench_pattern_init(void);
int bench_write_all(int fd, const char *p, size_t n);
int bench_read_full(int fd, char *p, size_t n);
void bench_daemon_status(long *threads, long *rss_kib);
double bench_median(double *v, int n);
/* Reap pid within secs, else kill it. Returns its status or -1. */
int bench_reap(pid_t pid, double secs);
/* The cases in bulk.c and shell.c (sockfs-bench.c has the others). */
void bench_bulk(void);
void bench_oneway(void);
void bench_shell(void);
int raw_listener(int *port);
int raw_connect(int port);
int raw_accept(int lfd);
void raw_pair(int lfd, int port, int fds[2]);
void sfs_path(char *buf, size_t size, uint64_t id, const char *file);
uint64_t sfs_read_id(const char *path);
uint64_t sfs_new(void);
void sfs_ctl(uint64_t id, const char *cmd, char *reply, size_t size);
void sfs_connect(uint64_t id, int port);
uint64_t sfs_listener(int *port);
uint64_t sfs_accept(uint64_t lid);
int sfs_open_data(uint64_t id);
void sfs_close(uint64_t id);
void sfs_pair(uint64_t lid, int port, uint64_t ids[2], int fds[2]);
void *stream_writer(void *arg);
void *stream_reader(void *arg);
double stream_run(int wfd, int rfd, uint64_t bytes, size_t chunk);
struct result *result_new(const char *name, const char *unit, bool higher_better);
void result_add(struct result *r, int m, double v);
double bench_daemon_cpu(void);
double bench_pid_cpu(pid_t pid);
void busy_start(void);
void busy_stop(struct result *r);
/* Requests: reqs_start before the timed part of a method (M_SOCKFS or
 * M_FLOOR), reqs_stop after, with the number of actions it made. */
void reqs_calibrate(bool required);
void reqs_start(int m);
void reqs_stop(struct result *r, int m, double actions);
/* CPU-s per GiB of the daemon (M_SOCKFS) or the floor (M_FLOOR). */
void cpu_start(int m);
void cpu_stop(struct result *r, int m, uint64_t bytes);
void floor_path(char *buf, size_t size, uint64_t id, const char *file);
int floor_open(uint64_t id);
uint64_t floor_new(void);
double stream_run_floor(int wfd, int rfd, uint64_t bytes, size_t chunk);
double oneway_floor(int fd, uint64_t bytes, size_t chunk, bool write);
void result_finish(struct result *r);
void result_print_header(void);
void result_print(const struct result *r);
double bench_loadavg(void);
void results_json(const char *path, double total_s, double load0, double load1);

#endif
