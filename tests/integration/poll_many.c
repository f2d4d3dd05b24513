/* poll/epoll over many sockfs data files.
 *
 * Usage: poll_many MOUNTPOINT NSOCKETS
 *
 * Makes NSOCKETS sockfs sockets connected to a listener of this program,
 * opens each one's data file, and then:
 *   1. epoll: nothing is ready for reading; the peer writes to every 7th
 *      connection; epoll_wait reports exactly those data files, and no
 *      others within a further 300 ms;
 *   2. poll(2) on the first 150 files: exactly the same ones (those among
 *      them) are POLLIN, every one is POLLOUT;
 *   3. after the data is read, nothing is readable; the peer closes one
 *      connection: its file shows POLLIN|POLLRDHUP, and epoll wakes for it.
 * Prints "N passed, N failed"; exits 0 if all passed. Only libc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctest.h"

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int new_socket(const char *mnt)
{
	char path[4096], buf[32];
	int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/new", mnt);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open new");
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		die("read new");
	buf[n] = 0;
	close(fd);
	return atoi(buf);
}

static void ctl(const char *mnt, int id, const char *cmd)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%d/ctl", mnt, id);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die("open ctl");
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		die(cmd);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *mnt;
	int n, lfd, port, ep, *data, *peer, want = 0, got = 0, extra = 0, i;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	struct rlimit rl;
	char cmd[128], *ready;
	long t0;

	if (argc != 3)
		return 2;
	mnt = argv[1];
	n = atoi(argv[2]);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < (rlim_t)(2 * n + 64))
		die("RLIMIT_NOFILE");
	data = calloc((size_t)n, sizeof(int));
	peer = calloc((size_t)n, sizeof(int));
	ready = calloc((size_t)n, 1);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
		die("listen");
	port = ntohs(sa.sin_port);
	snprintf(cmd, sizeof(cmd), "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",%d]}", port);
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		char path[4096];
		int id = new_socket(mnt);
		ctl(mnt, id, cmd);
		peer[i] = accept(lfd, NULL, NULL);
		if (peer[i] < 0)
			die("accept");
		snprintf(path, sizeof(path), "%s/%d/data", mnt, id);
		data[i] = open(path, O_RDWR);
		if (data[i] < 0)
			die("open data");
	}
	printf("%d sockets connected and opened in %ld ms\n", n, now_ms() - t0);

	/* 1. epoll */
	ep = epoll_create1(0);
	for (i = 0; i < n; i++) {
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)i};
		if (epoll_ctl(ep, EPOLL_CTL_ADD, data[i], &ev) < 0)
			die("epoll_ctl");
	}
	{
		struct epoll_event evs[64];
		int r = epoll_wait(ep, evs, 64, 100);
		check(r == 0, "epoll: nothing readable before the peer writes (%d ready)", r);
	}
	for (i = 0; i < n; i += 7) {
		if (write(peer[i], "x", 1) != 1)
			die("peer write");
		ready[i] = 1;
		want++;
	}
	t0 = now_ms();
	while (got < want && now_ms() - t0 < 10000) {
		struct epoll_event evs[256];
		int r = epoll_wait(ep, evs, 256, 1000);
		for (int k = 0; k < r; k++) {
			uint32_t idx = evs[k].data.u32;
			if (ready[idx] == 1) {
				ready[idx] = 2;
				got++;
			} else if (!ready[idx]) {
				extra++;
			}
		}
	}
	printf("epoll: %d of %d ready files reported in %ld ms\n", got, want, now_ms() - t0);
	check(got == want, "epoll: every file the peer wrote to is reported (%d/%d)", got, want);
	{
		struct epoll_event evs[256];
		int r = epoll_wait(ep, evs, 256, 300);
		for (int k = 0; k < r; k++)
			if (!ready[evs[k].data.u32])
				extra++;
	}
	check(extra == 0, "epoll: no file without data is reported (%d wrong)", extra);

	/* 2. poll(2) on the first 150 */
	{
		int m = n < 150 ? n : 150, bad = 0, in = 0;
		struct pollfd *p = calloc((size_t)m, sizeof(*p));
		for (i = 0; i < m; i++)
			p[i] = (struct pollfd){.fd = data[i], .events = POLLIN | POLLOUT};
		int r = poll(p, (nfds_t)m, 1000);
		for (i = 0; i < m; i++) {
			int isin = (p[i].revents & POLLIN) != 0;
			if (isin != (ready[i] != 0) || !(p[i].revents & POLLOUT))
				bad++;
			in += isin;
		}
		check(r == m && bad == 0,
		      "poll: on %d files, exactly the %d with data are POLLIN, all POLLOUT "
		      "(%d wrong, %d returned)",
		      m, in, bad, r);
		free(p);
	}

	/* 3. read the data; then nothing is ready; then a hang-up */
	for (i = 0; i < n; i++) {
		char c;
		if (ready[i] && read(data[i], &c, 1) != 1)
			die("read data");
	}
	{
		struct epoll_event evs[64];
		int r = epoll_wait(ep, evs, 64, 200);
		check(r == 0, "epoll: nothing ready once the data was read (%d ready)", r);
		close(peer[3]);
		t0 = now_ms();
		r = epoll_wait(ep, evs, 64, 5000);
		check(r == 1 && evs[0].data.u32 == 3 && (evs[0].events & EPOLLRDHUP) &&
			  (evs[0].events & EPOLLIN),
		      "epoll: the peer's close wakes exactly its file with EPOLLIN|EPOLLRDHUP "
		      "(%d ready, events 0x%x, %ld ms)",
		      r, r > 0 ? evs[0].events : 0, now_ms() - t0);
	}
	free(data);
	free(peer);
	free(ready);
	return ctest_summary();
}
