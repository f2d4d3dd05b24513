/* sock.h - the socket table, kernel sockets, and the requests parked on
 * them: the one place where a request waits and is answered. */
#ifndef SOCKFS_SOCK_H
#define SOCKFS_SOCK_H

#include "list.h"
#include "loop.h"
#include "outq.h"
#include "proto.h"

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
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
struct wait;

/* What a parked request does. The socket layer calls them and then, once
 * the request is answered, unparks and releases the wait: a request is
 * answered exactly once, by attempt or by fail. */
struct wait_ops {
	enum wait_kind kind;
	/* Try to answer w->req now: 0 when it was answered, -EAGAIN to wait on. */
	int (*attempt)(struct wait *w);
	/* Answer w->req with errno err: EINTR (a signal), ETIMEDOUT (the
	 * socket's timeout), EAGAIN (it could not wait), EBADF (the socket
	 * was closed under it). */
	void (*fail)(struct wait *w, int err);
	/* Free w; it is unparked and answered. */
	void (*release)(struct wait *w);
};

/* A request parked on a socket until the socket is ready. */
struct wait {
	const struct wait_ops *ops;
	struct list link;      /* on sock->waits[kind] */
	struct list intr_link; /* on the list of interrupted waits */
	fuse_req_t req;
	struct sock *s;
	struct sfs_file *f;
	bool parked;
	bool interrupted;
	struct loop_timer timer;
	/* Re-checks the caller's signals after an interrupt it ignored. */
	struct loop_timer intr_timer;
};

struct sock {
	uint64_t id;
	int fd; /* kernel socket, -1 before it exists and after close */
	int family, type, proto;
	enum sock_state state;
	uid_t uid;
	gid_t gid;
	int refs;
	struct list all_link;
	struct loop_watch watch;
	struct list waits[WAIT_NKINDS];
	struct list pollers; /* sfs_file.poll_link of files with a pollhandle */
	/* Bytes taken from writers beyond the kernel's send buffer (streams). */
	struct outq outq;
	int pending_err; /* an error met while sending queued bytes */
	/* Timeout in ms: -1 blocking, 0 non-blocking, >0 timeout mode. */
	long timeout_ms;
	json_t *last_err; /* {"error": ...} or NULL */
	bool shut_wr;	  /* shutdown(SHUT_WR) asked: once the queue is sent */
	bool shut_sent;	  /* ... and done */
	/* After close: sending what is left until linger_deadline, and with
	 * SO_LINGER until the kernel sent it too (sock.c). */
	struct loop_timer linger_timer;
	uint64_t linger_deadline;
	bool linger_kernel;
	/* Lifetime (lifetime.c): open files of the socket, autoclose, and
	 * the process that made it (pid and start time; 0 unknown). */
	int nfiles;
	bool autoclose;
	pid_t creator_pid;
	unsigned long long creator_start;
	/* msgs reads (ctl msgsrecv, message.c): recvmsg flags and control
	 * buffer size (4 KiB until set). */
	int msgs_flags;
	int msgs_ancbufsize;
	bool msgs_anc_set;
	/* Half-close (files/halfclose.c): shutdown(SHUT_WR) when the last
	 * open file of data for writing closes. 0: the mount's default
	 * (defaulthalfclose), 1 on, -1 off. And those open files. */
	signed char halfclose;
	int data_writers;
};

/* The timeout of sockets made from now on (setdefaulttimeout), ms. */
extern long sock_default_timeout_ms;
/* Longest a closed socket keeps sending its queued bytes (-o
 * linger_timeout), ms; then the rest is dropped and the connection reset. */
extern long sock_linger_timeout_ms;

/* Table. */
struct sock *sock_new(uid_t uid, gid_t gid);
/* NULL unless the id names an open socket. */
struct sock *sock_find(uint64_t id);
/* Iterate over open sockets in id order: first with after=0. */
struct sock *sock_next(uint64_t after);
void sock_get(struct sock *s);
void sock_put(struct sock *s);
/* Close: the kernel socket (after its queued bytes), every parked request
 * (EBADF), the entry. */
void sock_close(struct sock *s);
/* Close every open socket: parked requests end, queued bytes linger. */
void sock_close_open(void);
/* Close every socket, abandon lingering sends: parked requests end. */
void sock_close_all(void);
/* Closed sockets still sending, and their bytes not yet handed to the
 * kernel. */
size_t sock_lingering_count(size_t *bytes);
/* Abandon lingering sends now: the bytes left are dropped (returned). */
size_t sock_linger_abandon(void);
/* Free sockets whose last reference went (end of loop iteration). */
void sock_reap(void);
/* Close every socket and free what no reference holds (daemon shutdown). */
void sock_table_fini(void);
/* Call fn on every open socket; fn may close the socket it is given. */
void sock_for_each(void (*fn)(struct sock *s, void *arg), void *arg);

/* Create the kernel socket (non-blocking, close-on-exec) and watch it. */
int sock_open_kernel(struct sock *s, int family, int type, int proto);
/* Adopt an fd (accepted connection, received descriptor, socketpair). */
int sock_adopt_fd(struct sock *s, int fd, int family, int type, int proto);
/* A new socket of uid that owns fd (an accepted connection, a received or
 * duplicated descriptor): 0 with *out, or -errno with fd closed. */
int sock_new_fd(uid_t uid, gid_t gid, int fd, int family, int type, int proto, struct sock **out);
/* Drop the kernel socket (a connect retries with another family). */
void sock_close_kernel(struct sock *s);
/* Fail the socket's parked reads, writes and accepts with err (a connect
 * that failed and dropped the kernel socket they waited on). */
void sock_fail_waits(struct sock *s, int err);

/* Remember the last error (takes the reference). */
void sock_set_error(struct sock *s, json_t *err);
/* Take the error met while sending queued bytes (0 when none). */
int sock_take_send_error(struct sock *s);
/* shutdown(2); the sending side only once queued bytes are sent. */
int sock_shutdown(struct sock *s, int how);
/* poll(2) mask of the socket with its send queue, right now. */
unsigned sock_poll_mask(struct sock *s);

/* Waiting. w->ops is set. Try at once (unless others wait in line before
 * it), else park until the socket is ready. 0: answered or parked (the
 * wait is the socket layer's until released); -EAGAIN: it may not wait
 * (nonblock, or the socket is non-blocking) and nothing was answered: the
 * caller still owns w and req. */
int sock_wait(struct sock *s, struct wait *w, fuse_req_t req, struct sfs_file *f, bool nonblock);
/* The same, but a request that may not wait fails with EAGAIN. */
void sock_wait_or_fail(struct sock *s, struct wait *w, fuse_req_t req, struct sfs_file *f,
		       bool nonblock);
/* Park w without trying first (0, or -EAGAIN as above). */
int sock_park(struct sock *s, struct wait *w, fuse_req_t req, struct sfs_file *f, bool nonblock);
/* Take a parked wait out of line without answering it (its owner goes on). */
void sock_unpark(struct wait *w);
/* Run the waits of a kind, in order, until one keeps waiting. */
void sock_run_waits(struct sock *s, enum wait_kind kind);
/* Answer interrupted waits with EINTR (end of loop iteration), unless the
 * only signals pending for the caller are ones it merely observes (see
 * intr.h): those waits stay parked and re-check every INTR_RECHECK_MS. */
void sock_run_interrupts(void);
/* Wake pollers of a socket (readiness may have changed). */
void sock_notify_pollers(struct sock *s);

/* A connect nobody waits for (non-blocking, or its command timed out, or
 * a send with MSG_FASTOPEN): move from connecting (or open, bound) to
 * connected or open by what the kernel says, without reading SO_ERROR,
 * which stays for the user. */
void sock_follow_connect(struct sock *s);

const char *sock_state_name(enum sock_state st);

/* Does the socket carry a byte stream (else messages, whose boundaries
 * data and msgs keep)? */
static inline bool sock_is_stream(const struct sock *s)
{
	return proto_stream(s->family, s->type, s->proto);
}

#endif
