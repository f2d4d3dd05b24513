/* Interrupting reads parked in sockfs.
 *
 * Usage: interrupt MOUNTPOINT
 *
 * Makes a sockfs socket and connects it to a listener of its own (the raw
 * socket here is the peer). Then:
 *   1. a child blocked in read(data) with SIGINT's default action dies of
 *      SIGINT, promptly;
 *   2. a child with a SIGINT handler installed without SA_RESTART gets -1
 *      EINTR from read(data);
 *   3. a read of data opened O_NONBLOCK gets -1 EAGAIN;
 *   4. a child blocked in read(accept) of a listening sockfs socket gets
 *      -1 EINTR, and the listening socket accepts afterwards.
 * After each, the socket must still work: the peer sends "ping" and reads
 * it from data; "pong" written to data reaches the peer.
 *
 * Prints "N passed, N failed"; exits 0 if all passed, 1 otherwise.
 * Only libc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctest.h"

static const char *mnt;
static volatile sig_atomic_t timed_out;

/* Each step that may wait in sockfs runs under alarm(STEP_SECONDS); the
 * handler (no SA_RESTART) makes the waiting call fail with EINTR. */
#define STEP_SECONDS 10
#define STR_(x)	     #x
#define STR(x)	     STR_(x)

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static void step_deadline(void)
{
	timed_out = 0;
	alarm(STEP_SECONDS);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL: ");
	vprintf(fmt, ap);
	printf("%s\n", timed_out ? " (timed out after " STR(STEP_SECONDS) " s)" : "");
	va_end(ap);
	printf("%d passed, %d failed\n", passed, failed + 1);
	fflush(stdout);
	exit(1);
}

static void path_of(char *buf, size_t size, const char *id, const char *file)
{
	if (id)
		snprintf(buf, size, "%s/%s/%s", mnt, id, file);
	else
		snprintf(buf, size, "%s/%s", mnt, file);
}

/* Reads a whole small file (like cat) into buf, NUL-terminated. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
	return (ssize_t)len;
}

/* Writes text to a file in one write(2), like echo > file. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Creates a sockfs socket; its id goes to id (digits only). */
static void new_socket(char *id, size_t size)
{
	char path[PATH_MAX];

	path_of(path, sizeof(path), NULL, "new");
	if (read_file(path, id, size) <= 0)
		die("read %s: %s", path, strerror(errno));
	id[strcspn(id, "\n")] = '\0';
	if (id[0] == '\0' || strspn(id, "0123456789") != strlen(id))
		die("%s gave [%s], not an id", path, id);
}

static void ctl(const char *id, const char *cmd)
{
	char path[PATH_MAX];

	path_of(path, sizeof(path), id, "ctl");
	if (write_file(path, cmd) < 0)
		die("write %.*s to %s: %s", (int)strcspn(cmd, "\n"), cmd, path, strerror(errno));
}

/* A listener on 127.0.0.1, port chosen by the kernel. */
static int make_listener(int *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		die("listener: %s", strerror(errno));
	*port = ntohs(sin.sin_port);
	return fd;
}

static int accept_within(int lfd, int ms)
{
	struct pollfd pfd = {.fd = lfd, .events = POLLIN};

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

/* The syscall PID is in, from /proc/PID/syscall, or -1. */
static long current_syscall(pid_t pid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (buf[0] < '0' || buf[0] > '9')
		return -1; /* "running" */
	return strtol(buf, NULL, 10);
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Waits (up to 5 s) until PID sleeps in read(2). Returns 1 if it does. */
static int wait_blocked_in_read(pid_t pid)
{
	long deadline = now_ms() + 5000;
	int stable = 0;

	while (now_ms() < deadline) {
		if (proc_state(pid) == 'S' && current_syscall(pid) == SYS_read) {
			/* Twice in a row, 20 ms apart: parked, not passing. */
			if (++stable >= 2)
				return 1;
		} else {
			stable = 0;
		}
		sleep_ms(20);
	}
	return 0;
}

/* Waits up to ms for PID to end. Returns 1 and its status if it did. */
static int wait_exit(pid_t pid, long ms, int *status)
{
	long deadline = now_ms() + ms;

	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 1;
		if (r < 0)
			return 0;
		sleep_ms(10);
	} while (now_ms() < deadline);
	return 0;
}

static void describe(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "status 0x%x", status);
}

/* Ends a child that did not end by itself, as far as possible. */
static void reap_hard(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	if (!wait_exit(pid, 2000, &status))
		printf("note: child %d is still stuck after SIGKILL (request never answered)\n",
		       (int)pid);
}

/* The peer sends "ping", read from data; "pong" written to data reaches
 * the peer. */
static void check_socket_works(const char *id, int peer, const char *after)
{
	char path[PATH_MAX], buf[16];
	size_t len = 0;
	ssize_t n;
	int fd;

	step_deadline();
	if (send(peer, "ping", 4, MSG_NOSIGNAL) != 4)
		die("peer send: %s", strerror(errno));
	path_of(path, sizeof(path), id, "data");
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		check(0, "%s: open data for reading: %s", after, strerror(errno));
		return;
	}
	while (len < 4 && (n = read(fd, buf + len, 4 - len)) > 0)
		len += (size_t)n;
	close(fd);
	check(len == 4 && memcmp(buf, "ping", 4) == 0,
	      "%s: data reads the peer's \"ping\" (got %zu bytes \"%.*s\")", after, len, (int)len,
	      buf);

	if (write_file(path, "pong") < 0) {
		check(0, "%s: write \"pong\" to data: %s", after, strerror(errno));
		return;
	}
	len = 0;
	while (len < 4 && (n = recv(peer, buf + len, 4 - len, 0)) > 0)
		len += (size_t)n;
	check(len == 4 && memcmp(buf, "pong", 4) == 0,
	      "%s: the peer receives \"pong\" (got %zu bytes \"%.*s\")", after, len, (int)len, buf);
	alarm(0);
}

static void on_sigint(int sig)
{
	(void)sig;
}

enum child_kind { DEFAULT_ACTION, HANDLER };

/* Forks a child that opens PATH and blocks in read(2). With HANDLER it
 * installs a SIGINT handler without SA_RESTART and exits 0 if read fails
 * with EINTR, 2 if read returned, 3 for another error, 4 if open failed. */
static pid_t fork_reader(const char *path, enum child_kind kind)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		struct sigaction sa = {0};
		sigset_t set;
		char buf[64];
		ssize_t n;
		int fd;

		alarm(0);
		signal(SIGALRM, SIG_DFL);
		sa.sa_handler = kind == HANDLER ? on_sigint : SIG_DFL;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0; /* no SA_RESTART */
		sigaction(SIGINT, &sa, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigprocmask(SIG_UNBLOCK, &set, NULL);

		fd = open(path, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "child: open %s: %s\n", path, strerror(errno));
			_exit(4);
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			_exit(0);
		if (n >= 0) {
			fprintf(stderr, "child: read returned %zd\n", n);
			_exit(2);
		}
		fprintf(stderr, "child: read failed: %s\n", strerror(errno));
		_exit(3);
	}
	return pid;
}

/* Runs one interrupt case: fork a reader of PATH, wait until it is parked,
 * SIGINT it, check how it ended within 2 s. */
static void interrupt_case(const char *path, enum child_kind kind, const char *label)
{
	char how[128];
	int status = 0;
	pid_t pid = fork_reader(path, kind);

	if (!wait_blocked_in_read(pid)) {
		check(0, "%s: child blocked in read(2) (state %c, syscall %ld)", label,
		      proc_state(pid), current_syscall(pid));
		reap_hard(pid);
		return;
	}
	kill(pid, SIGINT);
	if (!wait_exit(pid, 2000, &status)) {
		check(0, "%s: child ended within 2 s of SIGINT (state %c)", label, proc_state(pid));
		reap_hard(pid);
		return;
	}
	describe(status, how, sizeof(how));
	if (kind == DEFAULT_ACTION)
		check(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
		      "%s: child killed by SIGINT (%s)", label, how);
	else
		check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "%s: read(2) returned -1 EINTR (%s)", label, how);
}

int main(int argc, char **argv)
{
	char id[32], lid[32], path[PATH_MAX], cmd[256], buf[64];
	int lfd, port, peer, fd, status;
	ssize_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s MOUNTPOINT\n", argv[0]);
		return 2;
	}
	mnt = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	{
		struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */

		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
	}

	lfd = make_listener(&port);
	step_deadline();
	new_socket(id, sizeof(id));
	snprintf(cmd, sizeof(cmd), "{\"op\":\"connect\",\"address\":[\"127.0.0.1\",%d]}\n", port);
	ctl(id, cmd);
	peer = accept_within(lfd, 5000);
	if (peer < 0)
		die("the peer did not get sockfs socket %s's connection", id);
	{
		struct timeval tv = {5, 0};

		setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	alarm(0);
	printf("socket %s connected to 127.0.0.1:%d\n", id, port);

	path_of(path, sizeof(path), id, "data");

	/* 1. default action */
	interrupt_case(path, DEFAULT_ACTION, "SIGINT, default action, read(data)");
	check_socket_works(id, peer, "after SIGINT killed a reader");

	/* 2. handler without SA_RESTART */
	interrupt_case(path, HANDLER, "SIGINT, handler without SA_RESTART, read(data)");
	check_socket_works(id, peer, "after EINTR");

	/* 3. O_NONBLOCK */
	step_deadline();
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		check(0, "open data O_NONBLOCK: %s", strerror(errno));
	} else {
		errno = 0;
		n = read(fd, buf, sizeof(buf));
		check(
		    n < 0 && errno == EAGAIN,
		    "read of data opened O_NONBLOCK with nothing to read: -1 EAGAIN (got %zd, %s)",
		    n, n < 0 ? strerror(errno) : "no error");
		close(fd);
	}
	alarm(0);
	check_socket_works(id, peer, "after EAGAIN");

	/* 4. read(accept) interrupted; the listening socket still accepts */
	step_deadline();
	new_socket(lid, sizeof(lid));
	ctl(lid, "{\"op\":\"bind\",\"address\":[\"127.0.0.1\",0]}\n");
	ctl(lid, "{\"op\":\"listen\",\"backlog\":4}\n");
	path_of(path, sizeof(path), lid, "accept");
	alarm(0);
	interrupt_case(path, HANDLER, "SIGINT, handler without SA_RESTART, read(accept)");
	step_deadline();
	{
		char addr[PATH_MAX], json[512], *p;
		struct sockaddr_in sin = {.sin_family = AF_INET};
		int cfd;
		int lport;

		path_of(addr, sizeof(addr), lid, "addr");
		if (read_file(addr, json, sizeof(json)) <= 0)
			die("read %s: %s", addr, strerror(errno));
		json[strcspn(json, "\n")] = '\0';
		/* {"local": ["127.0.0.1", PORT], ...}: the number after the
		 * first comma. */
		p = strchr(json, ',');
		lport = p ? atoi(p + 1) : 0;
		check(lport > 0, "addr of the listening socket has its port ([%s])", json);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_port = htons((unsigned short)lport);
		cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (cfd < 0 || connect(cfd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			check(0, "connect to the listening sockfs socket: %s", strerror(errno));
		} else {
			n = read_file(path, buf, sizeof(buf));
			buf[n > 0 ? strcspn(buf, "\n") : 0] = '\0';
			check(n > 1 && buf[0] >= '1' && buf[0] <= '9',
			      "after EINTR, accept gives the new socket's id (got %zd bytes [%s])",
			      n, n > 0 ? buf : "");
		}
		if (cfd >= 0)
			close(cfd);
	}

	alarm(0);
	/* The child of case 1 may not leave a zombie: wait for all. */
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	close(peer);
	close(lfd);
	return ctest_summary();
}
