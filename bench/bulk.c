/* bulk.c - the benchmark's bulk cases: one stream both ways through
 * sockfs, raw sockets, socat and the floor, and one way (send only,
 * receive only) for the daemon's CPU per GiB of each direction. */
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

/* ------------------------------------------------------------ 1. bulk */

static bool bench_have_socat(void)
{
	return access("/usr/bin/socat", X_OK) == 0 ||
	       system("command -v socat >/dev/null 2>&1") == 0;
}

static int bench_free_port(void)
{
	int port, fd = raw_listener(&port);

	close(fd);
	return port;
}

static pid_t bench_spawn(char *const argv[], int in, int out)
{
	pid_t pid = fork();

	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (in >= 0)
			dup2(in, 0);
		if (out >= 0)
			dup2(out, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* writer -> pipe -> socat -> TCP -> socat -> pipe -> reader */
static double bench_bulk_socat(uint64_t bytes, size_t chunk)
{
	int in[2], out[2], port = bench_free_port();
	char bsz[32], listen_addr[96], conn_addr[96];
	pid_t rx, tx;
	double t;

	snprintf(bsz, sizeof(bsz), "%zu", chunk);
	snprintf(listen_addr, sizeof(listen_addr), "TCP4-LISTEN:%d,bind=127.0.0.1,reuseaddr", port);
	snprintf(conn_addr, sizeof(conn_addr), "TCP4:127.0.0.1:%d,retry=500,interval=0.01", port);
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		bench_die("pipe: %s", strerror(errno));
	rx = bench_spawn((char *[]){"socat", "-u", "-b", bsz, listen_addr, "STDOUT", NULL}, -1,
			 out[1]);
	tx = bench_spawn((char *[]){"socat", "-u", "-b", bsz, "STDIN", conn_addr, NULL}, in[0], -1);
	close(out[1]);
	close(in[0]);
	t = stream_run(in[1], out[0], bytes, chunk);
	close(in[1]);
	close(out[0]);
	if (bench_reap(tx, 10) != 0 || bench_reap(rx, 10) != 0)
		bench_die("socat did not end cleanly");
	return t;
}

/* The floor's streams: two null files, a writer and a reader. */
static double bench_bulk_floor(struct result *r, uint64_t bytes, size_t chunk)
{
	int w = floor_open(floor_new()), rd = floor_open(floor_new());
	double t;

	reqs_start(M_FLOOR);
	cpu_start(M_FLOOR);
	t = stream_run_floor(w, rd, bytes, chunk);
	cpu_stop(r, M_FLOOR, bytes);
	reqs_stop(r, M_FLOOR, (double)bytes / chunk);
	close(w);
	close(rd);
	return t;
}

void bench_bulk(void)
{
	static const size_t chunks[] = {MIB, 64 * KIB, 4 * KIB};
	bool socat = bench_have_socat();
	int lport, rport, lfd = raw_listener(&rport);
	uint64_t lid = sfs_listener(&lport);
	uint64_t bytes = bench_cfg.bulk_bytes;

	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		char name[64];
		struct result *r;

		snprintf(name, sizeof(name), "bulk %" PRIu64 " MiB, %zu KiB writes", bytes / MIB,
			 chunks[c] / KIB);
		r = result_new(name, "MiB/s", true);
		if (!socat)
			snprintf(r->note, sizeof(r->note), "socat not installed");
		for (int run = 0; run < bench_cfg.runs; run++) {
			uint64_t ids[2];
			int fds[2];

			sfs_pair(lid, lport, ids, fds);
			busy_start();
			reqs_start(M_SOCKFS);
			cpu_start(M_SOCKFS);
			result_add(r, M_SOCKFS,
				   (double)bytes / MIB /
				       stream_run(fds[0], fds[1], bytes, chunks[c]));
			cpu_stop(r, M_SOCKFS, bytes);
			reqs_stop(r, M_SOCKFS, (double)bytes / chunks[c]);
			busy_stop(r);
			close(fds[0]);
			close(fds[1]);
			sfs_close(ids[0]);
			sfs_close(ids[1]);

			raw_pair(lfd, rport, fds);
			result_add(r, M_RAW,
				   (double)bytes / MIB /
				       stream_run(fds[0], fds[1], bytes, chunks[c]));
			close(fds[0]);
			close(fds[1]);

			if (bench_floor)
				result_add(r, M_FLOOR,
					   (double)bytes / MIB /
					       bench_bulk_floor(r, bytes, chunks[c]));

			if (socat)
				result_add(r, M_SOCAT,
					   (double)bytes / MIB /
					       bench_bulk_socat(bytes, chunks[c]));
		}
		result_finish(r);
		if (socat && r->v[M_SOCAT] > 0) {
			char note[sizeof(r->note) + 32];
			snprintf(note, sizeof(note), "sockfs/socat %.2fx; %s",
				 r->v[M_SOCKFS] / r->v[M_SOCAT], r->note);
			snprintf(r->note, sizeof(r->note), "%.*s", (int)sizeof(r->note) - 1, note);
		}
		result_print(r);
	}
	sfs_close(lid);
	close(lfd);
}

/* One way, 1 MiB writes: through sockfs's data on one end only (the
 * other end a raw socket), so the daemon's CPU per GiB is that of one
 * direction: send (a writer on data) or receive (a reader on data). */
void bench_oneway(void)
{
	int rport, lfd = raw_listener(&rport);
	uint64_t bytes = bench_cfg.bulk_bytes;

	for (int send = 1; send >= 0; send--) {
		struct result *r =
		    result_new(send ? "send only, 1024 KiB writes" : "receive only, 1024 KiB reads",
			       "MiB/s", true);
		for (int run = 0; run < bench_cfg.runs; run++) {
			uint64_t id = sfs_new();
			int fds[2], sfd, rfd;
			double t;

			sfs_connect(id, rport);
			rfd = raw_accept(lfd);
			sfd = sfs_open_data(id);
			busy_start();
			reqs_start(M_SOCKFS);
			cpu_start(M_SOCKFS);
			t = send ? stream_run(sfd, rfd, bytes, MIB)
				 : stream_run(rfd, sfd, bytes, MIB);
			cpu_stop(r, M_SOCKFS, bytes);
			reqs_stop(r, M_SOCKFS, (double)bytes / MIB);
			busy_stop(r);
			result_add(r, M_SOCKFS, (double)bytes / MIB / t);
			close(sfd);
			close(rfd);
			sfs_close(id);

			raw_pair(lfd, rport, fds);
			result_add(r, M_RAW,
				   (double)bytes / MIB / stream_run(fds[0], fds[1], bytes, MIB));
			close(fds[0]);
			close(fds[1]);

			if (bench_floor) {
				int fd = floor_open(floor_new());
				reqs_start(M_FLOOR);
				cpu_start(M_FLOOR);
				t = oneway_floor(fd, bytes, MIB, send);
				cpu_stop(r, M_FLOOR, bytes);
				reqs_stop(r, M_FLOOR, (double)bytes / MIB);
				result_add(r, M_FLOOR, (double)bytes / MIB / t);
				close(fd);
			}
		}
		result_finish(r);
		result_print(r);
	}
	close(lfd);
}
