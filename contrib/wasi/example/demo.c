/* demo.c - a WASI program with sockets, through sockfs: written as for
 * BSD sockets (SOCKFS_WASI_NAMES), run with only the mount preopened.
 *   demo http HOST PORT PATH    GET PATH, print the response
 *   demo udp HOST PORT TEXT     sendto, then print the answer and its source
 *   demo serve PORT             accept one client on 127.0.0.1:PORT, echo
 *                               one read back in upper case */
#define SOCKFS_WASI_NAMES
#include "../sockfs_wasi.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int demo_connect(const char *host, const char *port, int type)
{
	struct addrinfo hints = {.ai_socktype = type}, *res, *ai;
	int fd = -1, err = getaddrinfo(host, port, &hints, &res);

	if (err) {
		fprintf(stderr, "getaddrinfo %s %s: %s\n", host, port, gai_strerror(err));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, 0);
		if (fd < 0)
			continue;
		if (type == SOCK_DGRAM || connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		fprintf(stderr, "connect: %s\n", strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static int demo_http(char **argv)
{
	char req[512], buf[4096];
	ssize_t n;
	int fd = demo_connect(argv[2], argv[3], SOCK_STREAM);

	if (fd < 0)
		return 1;
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", argv[4], argv[2]);
	if (send(fd, req, strlen(req), 0) < 0) {
		perror("send");
		return 1;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return n < 0;
}

static int demo_udp(char **argv)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res;
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	char buf[2048], host[64];
	ssize_t n;
	int fd, err = getaddrinfo(argv[2], argv[3], &hints, &res);

	if (err) {
		fprintf(stderr, "getaddrinfo: %s\n", gai_strerror(err));
		return 1;
	}
	fd = socket(res->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || sendto(fd, argv[4], strlen(argv[4]), 0, res->ai_addr, res->ai_addrlen) < 0) {
		perror("sendto");
		return 1;
	}
	freeaddrinfo(res);
	n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fromlen);
	if (n < 0) {
		perror("recvfrom");
		return 1;
	}
	buf[n] = 0;
	inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr, host, sizeof(host));
	printf("%s %u %s\n", host, ntohs(((struct sockaddr_in *)&from)->sin_port), buf);
	close(fd);
	return 0;
}

static int demo_serve(char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	char buf[1024];
	ssize_t n;
	int srv = socket(AF_INET, SOCK_STREAM, 0), c;

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(srv, 4) < 0) {
		perror("bind/listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	c = accept(srv, (struct sockaddr *)&peer, &plen);
	if (c < 0) {
		perror("accept");
		return 1;
	}
	n = recv(c, buf, sizeof(buf), 0);
	for (ssize_t i = 0; i < n; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
	if (n > 0)
		send(c, buf, (size_t)n, 0);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr, buf, sizeof(buf));
	printf("served a client from %s\n", buf);
	close(c);
	close(srv);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "http"))
		return demo_http(argv);
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return demo_udp(argv);
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return demo_serve(argv);
	fprintf(stderr, "usage: demo http HOST PORT PATH | udp HOST PORT TEXT | serve PORT\n");
	return 2;
}
