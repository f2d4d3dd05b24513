/* shell.c - the benchmark's shell cases: bash scripts on sockfs and on
 * the floor against bash with /dev/tcp. */
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

/* A sink for the shell cases: accepts connections and reads them until
 * EOF, at most SINK_MAX at a time. */
#define SINK_MAX 256

struct sink {
	int lfd;
	atomic_bool stop;
	atomic_long accepted;
};

static void *sink_main(void *arg)
{
	struct sink *k = arg;
	struct pollfd p[SINK_MAX + 1];
	int n = 1;
	char buf[65536];

	p[0] = (struct pollfd){.fd = k->lfd, .events = POLLIN};
	while (!atomic_load(&k->stop)) {
		if (poll(p, (nfds_t)n, 50) <= 0)
			continue;
		if ((p[0].revents & POLLIN) && n <= SINK_MAX) {
			int fd = accept4(k->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			if (fd >= 0) {
				p[n++] = (struct pollfd){.fd = fd, .events = POLLIN};
				atomic_fetch_add(&k->accepted, 1);
			}
		}
		for (int i = 1; i < n; i++) {
			ssize_t r;
			if (!p[i].revents)
				continue;
			r = read(p[i].fd, buf, sizeof(buf));
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
				close(p[i].fd);
				p[i--] = p[--n];
			}
		}
	}
	for (int i = 1; i < n; i++)
		close(p[i].fd);
	return NULL;
}

/* Run a bash script with M (the mount), PORT and N in its environment;
 * returns the seconds it took. It must exit 0. */
static double bench_bash(const char *script, const char *mnt, int port, int n)
{
	char sport[16], sn[16];
	double t0 = bench_now();
	pid_t pid;
	int st;

	snprintf(sport, sizeof(sport), "%d", port);
	snprintf(sn, sizeof(sn), "%d", n);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		setenv("M", mnt, 1);
		setenv("PORT", sport, 1);
		setenv("N", sn, 1);
		execlp("bash", "bash", "-c", script, (char *)NULL);
		_exit(127);
	}
	st = bench_reap(pid, 300);
	if (st != 0)
		bench_die("bash case failed (status %d): %s", st, script);
	return bench_now() - t0;
}

/* Each case: the sockfs script (run on sockfs and on the floor) and the
 * /dev/tcp one; per action, in microseconds. */
static const struct {
	const char *name, *sfs, *tcp;
} bench_shell_cases[] = {
    {"echo per line, data reopened",
     "read -r id < $M/new; echo "
     "\"{\\\"op\\\":\\\"connect\\\",\\\"address\\\":[\\\"127.0.0.1\\\",$PORT]}\" > $M/$id/ctl;"
     " for ((i = 0; i < N; i++)); do echo \"line $i of the benchmark\" > $M/$id/data; done;"
     " echo '{\"op\":\"close\"}' > $M/$id/ctl",
     "exec 3<>/dev/tcp/127.0.0.1/$PORT;"
     " for ((i = 0; i < N; i++)); do echo \"line $i of the benchmark\" >&3; done"},
    {"echo per line, fd kept",
     "read -r id < $M/new; echo "
     "\"{\\\"op\\\":\\\"connect\\\",\\\"address\\\":[\\\"127.0.0.1\\\",$PORT]}\" > $M/$id/ctl;"
     " exec 3<>$M/$id/data; for ((i = 0; i < N; i++)); do echo \"line $i of the benchmark\" >&3; "
     "done;"
     " exec 3>&-; echo '{\"op\":\"close\"}' > $M/$id/ctl",
     "exec 3<>/dev/tcp/127.0.0.1/$PORT;"
     " for ((i = 0; i < N; i++)); do echo \"line $i of the benchmark\" >&3; done"},
    {"create+connect+close from bash",
     "for ((i = 0; i < N; i++)); do read -r id < $M/new;"
     " echo \"{\\\"op\\\":\\\"connect\\\",\\\"address\\\":[\\\"127.0.0.1\\\",$PORT]}\" > "
     "$M/$id/ctl;"
     " echo '{\"op\":\"close\"}' > $M/$id/ctl; done",
     "for ((i = 0; i < N; i++)); do exec 3<>/dev/tcp/127.0.0.1/$PORT; exec 3>&-; done"},
    {"create+connect+close, bash, clone",
     "for ((i = 0; i < N; i++)); do exec 3<>$M/clone;"
     " echo \"{\\\"op\\\":\\\"connect\\\",\\\"address\\\":[\\\"127.0.0.1\\\",$PORT]}\" >&3;"
     " exec 3>&-; done",
     "for ((i = 0; i < N; i++)); do exec 3<>/dev/tcp/127.0.0.1/$PORT; exec 3>&-; done"},
};

void bench_shell(void)
{
	struct sink k = {.stop = false};
	int port, n = bench_cfg.conn_count;
	pthread_t t;

	k.lfd = raw_listener(&port);
	if (pthread_create(&t, NULL, sink_main, &k))
		bench_die("pthread_create");
	for (size_t c = 0; c < sizeof(bench_shell_cases) / sizeof(bench_shell_cases[0]); c++) {
		struct result *r = result_new(bench_shell_cases[c].name, "us", false);
		snprintf(r->note, sizeof(r->note), "raw column: bash with /dev/tcp");
		for (int run = 0; run < bench_cfg.runs; run++) {
			double v;
			busy_start();
			reqs_start(M_SOCKFS);
			v = bench_bash(bench_shell_cases[c].sfs, bench_mnt, port, n);
			reqs_stop(r, M_SOCKFS, n);
			busy_stop(r);
			result_add(r, M_SOCKFS, v * 1e6 / n);
			result_add(r, M_RAW,
				   bench_bash(bench_shell_cases[c].tcp, bench_mnt, port, n) * 1e6 /
				       n);
			if (bench_floor) {
				reqs_start(M_FLOOR);
				v = bench_bash(bench_shell_cases[c].sfs, bench_floor, port, n);
				reqs_stop(r, M_FLOOR, n);
				result_add(r, M_FLOOR, v * 1e6 / n);
			}
		}
		result_finish(r);
		result_print(r);
	}
	atomic_store(&k.stop, true);
	pthread_join(t, NULL);
	close(k.lfd);
}
