/* Which signals end a call parked in sockfs, and which do not.
 *
 * Usage: signals MOUNTPOINT
 *
 * Each case forks a child that blocks in read(2) of a sockfs file:
 *   1. SIGCHLD handler (SA_RESTART, as bash installs it), a grandchild
 *      exits while the read waits: the read is not disturbed and returns
 *      the peer's data;
 *   2. the same, then SIGKILL: the child dies promptly;
 *   3. the same, then SIGINT with its default action: the child dies
 *      promptly;
 *   4. SIGUSR1 handler without SA_RESTART: read fails with EINTR promptly;
 *   5. SIGALRM handler without SA_RESTART on a blocked read of accept:
 *      EINTR; the listening socket accepts afterwards;
 *   6. SIGINT default on a blocked read of accept (Ctrl-C): the child dies,
 *      the listening socket accepts afterwards.
 * After each, the socket still works. Prints "N passed, N failed". Only libc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctest.h"

static const char *mnt;

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int new_socket(void)
{
	char path[4096], buf[32];
	int fd;
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

static int ctl(int id, const char *cmd)
{
	char path[4096];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%d/ctl", mnt, id);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die("open ctl");
	r = write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd) ? 0 : -errno;
	close(fd);
	return r;
}

static int open_file(int id, const char *name, int flags)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%d/%s", mnt, id, name);
	fd = open(path, flags);
	if (fd < 0)
		die(path);
	return fd;
}

/* Wait (up to 5 s) until pid sleeps in a FUSE request. */
static int wait_blocked(pid_t pid)
{
	char path[64], buf[128];
	long t0 = now_ms();

	while (now_ms() - t0 < 5000) {
		FILE *f;
		snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
		f = fopen(path, "r");
		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			buf[n] = 0;
			fclose(f);
			if (strstr(buf, "fuse") || strstr(buf, "request_wait_answer"))
				return 1;
		}
		sleep_ms(10);
	}
	return 0;
}

static void on_sig(int sig)
{
	(void)sig;
}

static void handle(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static int lfd, lport;

/* A sockfs socket connected to our listener; *peer is our end. */
static int connected(int *peer)
{
	char cmd[128];
	int id = new_socket();

	snprintf(cmd, sizeof(cmd), "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",%d]}", lport);
	if (ctl(id, cmd))
		die("connect");
	*peer = accept(lfd, NULL, NULL);
	if (*peer < 0)
		die("accept");
	return id;
}

/* Child: block in read of file; exit 0 with data, 10 + errno on error. */
static pid_t reader(int id, const char *file, int sig, int flags, int spawn_child)
{
	pid_t pid = fork();

	if (pid == 0) {
		char buf[64];
		ssize_t n;
		int fd = open_file(id, file, O_RDONLY);
		if (sig)
			handle(sig, flags);
		if (spawn_child && fork() == 0) {
			sleep_ms(200);
			_exit(0);
		}
		n = read(fd, buf, sizeof(buf));
		_exit(n > 0 ? 0 : n == 0 ? 9 : 10 + errno);
	}
	return pid;
}

static int reap(pid_t pid, long limit_ms, long *took)
{
	long t0 = now_ms();
	int st;

	while (now_ms() - t0 < limit_ms) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			*took = now_ms() - t0;
			return st;
		}
		sleep_ms(5);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	*took = -1;
	return -1;
}

static void still_works(int id, int peer, const char *what)
{
	char buf[16];
	int fd = open_file(id, "data", O_RDWR);
	ssize_t n;

	if (write(peer, "ping", 4) != 4)
		die("peer write");
	n = read(fd, buf, sizeof(buf));
	check(n == 4 && !memcmp(buf, "ping", 4), "%s: the socket still reads", what);
	close(fd);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	long took;
	int st, peer, id;
	pid_t pid;

	if (argc != 2)
		return 2;
	mnt = argv[1];
	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 16) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
		die("listen");
	lport = ntohs(sa.sin_port);

	/* 1. SIGCHLD (SA_RESTART) does not disturb the read */
	id = connected(&peer);
	pid = reader(id, "data", SIGCHLD, SA_RESTART, 1);
	check(wait_blocked(pid), "1: the reader blocks");
	sleep_ms(600); /* the grandchild has exited; SIGCHLD is pending */
	if (write(peer, "data", 4) != 4)
		die("peer write");
	st = reap(pid, 5000, &took);
	check(st == 0, "1: SIGCHLD while blocked: the read returns the data (status 0x%x)", st);
	still_works(id, peer, "1");

	/* 2. then SIGKILL */
	pid = reader(id, "data", SIGCHLD, SA_RESTART, 1);
	check(wait_blocked(pid), "2: the reader blocks");
	sleep_ms(400);
	kill(pid, SIGKILL);
	st = reap(pid, 2000, &took);
	check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && took < 1000,
	      "2: SIGKILL after SIGCHLD ends the reader in %ld ms", took);
	still_works(id, peer, "2");

	/* 3. then SIGINT, default action */
	pid = reader(id, "data", SIGCHLD, SA_RESTART, 1);
	check(wait_blocked(pid), "3: the reader blocks");
	sleep_ms(400);
	kill(pid, SIGINT);
	st = reap(pid, 2000, &took);
	check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT && took < 1000,
	      "3: SIGINT after SIGCHLD ends the reader in %ld ms", took);
	still_works(id, peer, "3");

	/* 4. SIGUSR1 handler without SA_RESTART: EINTR */
	pid = reader(id, "data", SIGUSR1, 0, 0);
	check(wait_blocked(pid), "4: the reader blocks");
	kill(pid, SIGUSR1);
	st = reap(pid, 2000, &took);
	check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 10 + EINTR && took < 1000,
	      "4: SIGUSR1 handler: read fails with EINTR in %ld ms (status 0x%x)", took, st);
	still_works(id, peer, "4");

	/* 5. SIGALRM handler on a blocked accept */
	{
		int srv = new_socket(), c;
		char cmd[128];
		if (ctl(srv, "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",0]}") ||
		    ctl(srv, "{\"op\":\"listen\"}"))
			die("listen sockfs");
		pid = reader(srv, "accept", SIGALRM, 0, 0);
		check(wait_blocked(pid), "5: the accept blocks");
		kill(pid, SIGALRM);
		st = reap(pid, 2000, &took);
		check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 10 + EINTR,
		      "5: SIGALRM handler: read of accept fails with EINTR (status 0x%x)", st);

		/* 6. Ctrl-C on a blocked accept */
		pid = reader(srv, "accept", 0, 0, 0);
		check(wait_blocked(pid), "6: the accept blocks");
		kill(pid, SIGINT);
		st = reap(pid, 2000, &took);
		check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT && took < 1000,
		      "6: Ctrl-C ends the blocked accept in %ld ms", took);
		{
			/* the listener still accepts */
			int fd = open_file(srv, "status", O_RDONLY), port = 0;
			char buf[1024], *p;
			ssize_t n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[n > 0 ? n : 0] = 0;
			p = strstr(buf, "\"local\":[\"127.0.0.1\",");
			if (p)
				port = atoi(p + strlen("\"local\":[\"127.0.0.1\","));
			c = socket(AF_INET, SOCK_STREAM, 0);
			sa.sin_port = htons((uint16_t)port);
			if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0)
				die("connect to sockfs listener");
			fd = open_file(srv, "accept", O_RDONLY);
			n = read(fd, cmd, sizeof(cmd));
			check(n > 1 && cmd[n - 1] == '\n',
			      "6: the listening socket accepts afterwards");
			close(fd);
			close(c);
		}
	}
	return ctest_summary();
}
