/* Datagram sockets through sockfs files, from C with plain system calls.
 *
 * Usage: dgram_c MOUNTPOINT
 *
 * For 127.0.0.1 and ::1 (the latter skipped when the host has no ::1), a
 * C UDP peer talks to a sockfs SOCK_DGRAM socket made through `new`:
 *   1. a write(2) to data is one datagram: the peer receives exactly the
 *      bytes, from the sockfs socket's address (read from addr);
 *   2. a read(2) of 64 KiB returns one datagram, never two;
 *   3. read(2)s of 1 byte return one datagram byte by byte, and the rest
 *      of a datagram stays with the open file that started it: another
 *      open file reads the next datagram;
 *   4. an empty datagram reads as 0 bytes; O_NONBLOCK with nothing queued
 *      gives EAGAIN;
 *   5. a datagram larger than the protocol allows fails with EMSGSIZE;
 *   6. a msgs read gives the peer's address and the payload, a msgs write
 *      with an address reaches the peer (sendto);
 *   7. after connect null, a write to data fails with EDESTADDRREQ.
 *
 * Prints "N passed, N failed"; exits 0 if all passed, 1 otherwise.
 * Only libc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctest.h"

static const char *mnt;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL: ");
	vprintf(fmt, ap);
	printf(" (errno %d %s)\n", errno, strerror(errno));
	va_end(ap);
	exit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int open_file(unsigned id, const char *name, int flags)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%u/%s", mnt, id, name);
	fd = open(path, flags);
	if (fd < 0)
		die("open %s", path);
	return fd;
}

/* Write text to a file of socket id in one write(2); 0 or errno. */
static int put(unsigned id, const char *name, const char *text)
{
	int fd = open_file(id, name, O_WRONLY), err = 0;

	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = errno;
	close(fd);
	return err;
}

/* Read a small file of socket id (addr, status) into buf. */
static void get(unsigned id, const char *name, char *buf, size_t size)
{
	int fd = open_file(id, name, O_RDONLY);
	ssize_t n = read(fd, buf, size - 1);

	if (n < 0)
		die("read %u/%s", id, name);
	buf[n] = 0;
	close(fd);
}

static unsigned new_dgram(const char *family)
{
	char path[4096], buf[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/new", mnt);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("open %s", path);
	n = snprintf(buf, sizeof(buf), "{\"family\":\"%s\",\"type\":\"SOCK_DGRAM\"}\n", family);
	if (write(fd, buf, (size_t)n) != n)
		die("write new");
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		die("read new");
	buf[n] = 0;
	close(fd);
	return (unsigned)strtoul(buf, NULL, 10);
}

/* The peer receives one datagram within 10 s: its length, or -1. */
static ssize_t peer_recv(int p, char *buf, size_t size, struct sockaddr_storage *from)
{
	struct pollfd pfd = {.fd = p, .events = POLLIN};
	socklen_t fl = sizeof(*from);

	if (poll(&pfd, 1, 10000) != 1)
		return -1;
	return recvfrom(p, buf, size, 0, (struct sockaddr *)from, &fl);
}

static void peer_send(int p, const struct sockaddr_storage *to, socklen_t tl, const char *b,
		      size_t n)
{
	if (sendto(p, b, n, 0, (const struct sockaddr *)to, tl) != (ssize_t)n)
		die("peer sendto");
}

static void run(const char *host, int family)
{
	const char *fam = family == AF_INET ? "AF_INET" : "AF_INET6";
	struct sockaddr_storage pa = {0}, from, me;
	socklen_t pl = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	char buf[70000], cmd[512], want[128], addr[512];
	unsigned id;
	int p, fd, fd2, port, err;
	ssize_t n;

	printf("---- %s\n", host);
	p = socket(family, SOCK_DGRAM, 0);
	if (p < 0)
		die("peer socket");
	pa.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		inet_pton(AF_INET, host, &((struct sockaddr_in *)&pa)->sin_addr);
	else
		inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)&pa)->sin6_addr);
	if (bind(p, (struct sockaddr *)&pa, pl) < 0 ||
	    getsockname(p, (struct sockaddr *)&pa, &pl) < 0)
		die("peer bind");
	port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&pa)->sin_port
				       : ((struct sockaddr_in6 *)&pa)->sin6_port);

	id = new_dgram(fam);
	check(id > 0, "%s: new made a datagram socket (%u)", host, id);
	snprintf(cmd, sizeof(cmd), "{\"op\":\"connect\",\"address\":[\"%s\",%d]}\n", host, port);
	err = put(id, "ctl", cmd);
	check(err == 0, "%s: connect: %s", host, strerror(err));

	/* 1. one write, one datagram, from the socket's own address */
	err = put(id, "data", "one\ntwo\n");
	check(err == 0, "%s: write of one datagram: %s", host, strerror(err));
	n = peer_recv(p, buf, sizeof(buf), &from);
	check(n == 8 && !memcmp(buf, "one\ntwo\n", 8),
	      "%s: the peer got one datagram of 8 bytes (%zd)", host, n);
	get(id, "addr", addr, sizeof(addr));
	snprintf(want, sizeof(want), "\"%s\",%d", host,
		 ntohs(family == AF_INET ? ((struct sockaddr_in *)&from)->sin_port
					 : ((struct sockaddr_in6 *)&from)->sin6_port));
	check(strstr(addr, want) != NULL, "%s: source %s is the local address in addr %s", host,
	      want, addr);
	me = from;

	/* 2. a big read returns one datagram */
	peer_send(p, &me, pl, "first", 5);
	peer_send(p, &me, pl, "second", 6);
	fd = open_file(id, "data", O_RDONLY);
	alarm(10);
	n = read(fd, buf, 65536);
	check(n == 5 && !memcmp(buf, "first", 5), "%s: a 64 KiB read returns one datagram (%zd)",
	      host, n);
	n = read(fd, buf, 65536);
	check(n == 6 && !memcmp(buf, "second", 6), "%s: the next read the next datagram (%zd)",
	      host, n);

	/* 3. byte by byte; the rest stays with this open file */
	peer_send(p, &me, pl, "abc", 3);
	peer_send(p, &me, pl, "xyz", 3);
	n = read(fd, buf, 1);
	check(n == 1 && buf[0] == 'a', "%s: 1-byte read: first byte (%zd)", host, n);
	fd2 = open_file(id, "data", O_RDONLY);
	n = read(fd2, buf, 100);
	check(n == 3 && !memcmp(buf, "xyz", 3),
	      "%s: another open file gets the next datagram, not the rest (%zd)", host, n);
	n = read(fd, buf, 1);
	check(n == 1 && buf[0] == 'b', "%s: 1-byte read: second byte", host);
	n = read(fd, buf, 100);
	check(n == 1 && buf[0] == 'c', "%s: the rest of the datagram, and no more (%zd)", host, n);
	close(fd2);

	/* 4. empty datagram; EAGAIN on O_NONBLOCK */
	peer_send(p, &me, pl, "", 0);
	n = read(fd, buf, 100);
	check(n == 0, "%s: an empty datagram reads as 0 bytes (%zd)", host, n);
	alarm(0);
	close(fd);
	fd = open_file(id, "data", O_RDONLY | O_NONBLOCK);
	n = read(fd, buf, 100);
	check(n < 0 && errno == EAGAIN, "%s: O_NONBLOCK read with nothing queued: EAGAIN (%zd %s)",
	      host, n, n < 0 ? strerror(errno) : "-");
	close(fd);

	/* 5. too large */
	fd = open_file(id, "data", O_WRONLY);
	memset(buf, 'x', 66000);
	n = write(fd, buf, 66000);
	check(n < 0 && errno == EMSGSIZE, "%s: a 66000-byte datagram: EMSGSIZE (%zd %s)", host, n,
	      n < 0 ? strerror(errno) : "-");
	close(fd);

	/* 6. msgs: the source address, and sendto */
	peer_send(p, &me, pl, "via msgs", 8);
	fd = open_file(id, "msgs", O_RDWR);
	alarm(10);
	n = read(fd, buf, sizeof(buf) - 1);
	alarm(0);
	buf[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "\"address\":[\"%s\",%d", host, port);
	check(n > 0 && buf[n - 1] == '\n' && strstr(buf, "\"data\":\"via msgs\"") &&
		  strstr(buf, "\"encoding\":\"utf-8\"") && strstr(buf, want),
	      "%s: msgs line with payload and source: %s", host, buf);
	err = put(id, "ctl", "{\"op\":\"connect\",\"address\":null}\n");
	check(err == 0, "%s: connect null: %s", host, strerror(err));
	n = snprintf(cmd, sizeof(cmd), "{\"data\":\"to\\u0000you\",\"address\":[\"%s\",%d]}\n",
		     host, port);
	check(write(fd, cmd, (size_t)n) == n, "%s: msgs write with an address", host);
	close(fd);
	n = peer_recv(p, buf, sizeof(buf), &from);
	check(n == 6 && !memcmp(buf, "to\0you", 6), "%s: the peer got the sendto (%zd)", host, n);

	/* 7. no default peer any more */
	err = put(id, "data", "x");
	check(err == EDESTADDRREQ, "%s: data write after connect null: EDESTADDRREQ (%s)", host,
	      strerror(err));
	err = put(id, "ctl", "{\"op\":\"close\"}\n");
	check(err == 0, "%s: close", host);
	close(p);
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART: EINTR */
	int t;

	if (argc != 2) {
		fprintf(stderr, "usage: %s MOUNTPOINT\n", argv[0]);
		return 2;
	}
	mnt = argv[1];
	sigaction(SIGALRM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	run("127.0.0.1", AF_INET);
	t = socket(AF_INET6, SOCK_DGRAM, 0);
	if (t >= 0) {
		struct sockaddr_in6 a = {.sin6_family = AF_INET6,
					 .sin6_addr = IN6ADDR_LOOPBACK_INIT};
		if (bind(t, (struct sockaddr *)&a, sizeof(a)) == 0)
			run("::1", AF_INET6);
		else
			printf("no ::1: IPv6 part skipped\n");
		close(t);
	}
	return ctest_summary();
}
