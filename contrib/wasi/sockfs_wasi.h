/* sockfs_wasi.h - BSD socket calls for WASI programs, made of file I/O on
 * a sockfs mount (a preopened directory, /sockfs or $SOCKFS). WASI has no
 * socket(2); a program that may open files there gets TCP, UDP and unix
 * sockets, and name lookups, through the daemon's policy and audit.
 *
 * A socket is a file descriptor: that of the socket's data file, so read(2)
 * and write(2) work on it as recv and send. Its socket closes when
 * sfs_close closes it (the socket comes from the mount's clone file).
 *
 * Define SOCKFS_WASI_NAMES before including this header to call them by
 * their usual names (socket, connect, getaddrinfo, struct addrinfo, ...).
 * Failures return -1 with errno set to this libc's value of the errno the
 * daemon reported (ECONNREFUSED, EADDRINUSE, ...). */
#ifndef SOCKFS_WASI_H
#define SOCKFS_WASI_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

/* An AF_UNIX address (wasi-libc's struct sockaddr_un has no path). */
struct sfs_sockaddr_un {
	sa_family_t sun_family;
	char sun_path[108];
};

struct sfs_addrinfo {
	int ai_flags;
	int ai_family;
	int ai_socktype;
	int ai_protocol;
	socklen_t ai_addrlen;
	struct sockaddr *ai_addr;
	char *ai_canonname;
	struct sfs_addrinfo *ai_next;
};

/* getaddrinfo's errors (gai_strerror gives their text). */
#define SFS_EAI_NONAME -2
#define SFS_EAI_AGAIN  -3
#define SFS_EAI_FAIL   -4
#define SFS_EAI_MEMORY -10
#define SFS_EAI_SYSTEM -11

/* The mount's path: $SOCKFS, else "/sockfs". */
const char *sfs_mount(void);

int sfs_socket(int domain, int type, int protocol);
int sfs_connect(int fd, const struct sockaddr *addr, socklen_t len);
int sfs_bind(int fd, const struct sockaddr *addr, socklen_t len);
int sfs_listen(int fd, int backlog);
int sfs_accept(int fd, struct sockaddr *addr, socklen_t *len);
int sfs_shutdown(int fd, int how);
int sfs_getsockname(int fd, struct sockaddr *addr, socklen_t *len);
ssize_t sfs_send(int fd, const void *buf, size_t n, int flags);
ssize_t sfs_recv(int fd, void *buf, size_t n, int flags);
ssize_t sfs_sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
		   socklen_t len);
ssize_t sfs_recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len);
int sfs_getaddrinfo(const char *node, const char *service, const struct sfs_addrinfo *hints,
		    struct sfs_addrinfo **res);
void sfs_freeaddrinfo(struct sfs_addrinfo *res);
const char *sfs_gai_strerror(int err);
/* close(2) for any descriptor; for a socket, its other files too. */
int sfs_close(int fd);

#ifdef SOCKFS_WASI_NAMES
#define addrinfo     sfs_addrinfo
#define socket	     sfs_socket
#define connect	     sfs_connect
#define bind	     sfs_bind
#define listen	     sfs_listen
#define accept	     sfs_accept
#define shutdown     sfs_shutdown
#define getsockname  sfs_getsockname
#define send	     sfs_send
#define recv	     sfs_recv
#define sendto	     sfs_sendto
#define recvfrom     sfs_recvfrom
#define getaddrinfo  sfs_getaddrinfo
#define freeaddrinfo sfs_freeaddrinfo
#define gai_strerror sfs_gai_strerror
#define close	     sfs_close
#endif

#endif
