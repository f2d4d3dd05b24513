/* sock.h - the socket table, and requests parked on sockets. */
#ifndef SOCKFS_SOCK_H
#define SOCKFS_SOCK_H

#include "list.h"
#include "loop.h"

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum sock_state {
	SOCK_ST_NEW,  /* no kernel socket yet */
	SOCK_ST_OPEN, /* kernel socket, neither bound nor connected */
	SOCK_ST_BOUND,
	SOCK_ST_LISTENING,
	SOCK_ST_CONNECTING,
	SOCK_ST_CONNECTED,
	SOCK_ST_CLOSED,
};

enum wait_kind {
	WAIT_READ,    /* data/message reads */
	WAIT_WRITE,   /* data writes that met a full buffer */
	WAIT_ACCEPT,  /* accept file reads and the accept command */
	WAIT_CONNECT, /* ctl commands waiting for writability (connect) */
	WAIT_NKINDS,
};

struct sock;
struct sfs_file;

/* A request parked on a socket until the socket is ready. */
struct wait {
	struct list link;      /* on sock->waits[kind] */
	struct list intr_link; /* on the list of interrupted waits */
	fuse_req_t req;
	struct sock *s;
	struct sfs_file *f;
	enum wait_kind kind;
	bool interrupted;
	bool nonblock; /* the open file has O_NONBLOCK */
	struct loop_timer timer;
	/* Try to complete: return true when the request was answered (the wait
	 * must then have called sock_unpark and freed itself), false to wait. */
	bool (*ready)(struct wait *w);
	/* Answer the request with this error and free the wait. err is EINTR,
	 * ETIMEDOUT, or EBADF when the socket was closed under it. */
	void (*cancel)(struct wait *w, int err);
	/* Re-checks the caller's signals after an interrupt it ignored. */
	struct loop_timer intr_timer;
};

/* One chunk of bytes queued in the daemon for sending. */
struct sock_chunk {
	struct list link;
	size_t len, off;
	fuse_req_t req; /* a write answered when this chunk is handed over */
	size_t req_size;
	char data[];
};

struct sock {
	uint64_t id;
	int fd; /* kernel socket, -1 before it exists and after close */
	int family, type, proto;
	enum sock_state state;
	uid_t uid;
	gid_t gid;
	int refs;
	struct sock *hash_next;
	struct list all_link;
	struct loop_watch watch;
	struct list waits[WAIT_NKINDS];
	struct list pollers; /* sfs_file.poll_link of files with a pollhandle */
	/* Send queue beyond the kernel's send buffer (stream sockets). */
	struct list outq;
	size_t outq_bytes;
	int pending_err; /* an error met while sending queued bytes */
	/* Timeout in ms: -1 blocking, 0 non-blocking, >0 timeout mode. */
	long timeout_ms;
	json_t *last_err; /* {"error": ...} or NULL */
	bool shut_wr;
	/* Lifetime (lifetime.c): open files of the socket, autoclose, and
	 * the process that made it (pid and start time; 0 unknown). */
	int nfiles;
	bool autoclose;
	pid_t creator_pid;
	unsigned long long creator_start;
};

#define SOCK_OUTQ_MAX (1u << 20)

/* Table. */
int sock_table_init(void);
/* Close every socket, abandon lingering sends: parked requests end. */
void sock_close_all(void);
/* Close every socket and free what no reference holds (daemon shutdown). */
void sock_table_fini(void);
struct sock *sock_new(uid_t uid, gid_t gid);
/* NULL unless the id names an open socket. */
struct sock *sock_find(uint64_t id);
/* Iterate over open sockets in id order: first with after=0. */
struct sock *sock_next(uint64_t after);
void sock_get(struct sock *s);
void sock_put(struct sock *s);
/* Close: the kernel socket, every parked request (EBADF), the entry. */
void sock_close(struct sock *s);
/* Free sockets whose last reference went (end of loop iteration). */
void sock_reap(void);
/* Count of open sockets, for limits and tests. */
size_t sock_count(void);

/* Create the kernel socket (non-blocking, close-on-exec) and watch it. */
int sock_open_kernel(struct sock *s, int family, int type, int proto);
/* Adopt an fd (accepted connection, received descriptor). */
int sock_adopt_fd(struct sock *s, int fd, int family, int type, int proto);
/* Drop the kernel socket (connect retries with another family). */
void sock_close_kernel(struct sock *s);

/* Remember the last error (takes the reference). */
void sock_set_error(struct sock *s, json_t *err);

/* Park: link w on s, arm the timeout, register for interrupts. The caller
 * has set w->ready, w->cancel and w->nonblock. Returns 0, or -EAGAIN when
 * the socket or the file is non-blocking (nothing parked). */
int sock_park(struct sock *s, struct wait *w, enum wait_kind kind, fuse_req_t req,
	      struct sfs_file *f);
/* Unlink a parked wait before answering it. */
void sock_unpark(struct wait *w);
/* Run ready() of the waits of a kind, in order, until one keeps waiting. */
void sock_run_waits(struct sock *s, enum wait_kind kind);
/* Answer interrupted waits with EINTR (end of loop iteration), unless the
 * only signals pending for the caller are ones it merely observes (see
 * intr.h): those waits stay parked and re-check every INTR_RECHECK_MS. */
void sock_run_interrupts(void);
/* Wake pollers of a socket (readiness may have changed). */
void sock_notify_pollers(struct sock *s);

/* A connect nobody waits for (non-blocking, or its command timed out):
 * move from connecting to connected or open by what the kernel says,
 * without reading SO_ERROR, which stays for the user. */
void sock_follow_connect(struct sock *s);

const char *sock_state_name(enum sock_state st);

/* Call fn on every open socket; fn may close the socket it is given. */
void sock_for_each(void (*fn)(struct sock *s, void *arg), void *arg);

#endif
