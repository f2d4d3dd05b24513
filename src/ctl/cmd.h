/* cmd.h - one command written to N/ctl while it runs: its arguments, its
 * reply, and how it waits. The verbs (basic.c, connect.c, listen.c,
 * io.c) work on it; ctl.c holds the table of verbs. */
#ifndef SOCKFS_CMD_H
#define SOCKFS_CMD_H

#include "addr.h"
#include "policy.h"
#include "sock.h"

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A verb returns 0 (reply ready), -errno, or CTL_PENDING when the command
 * waits (parked on its socket, or for a worker). */
#define CTL_PENDING   1
#define CTL_MAX_ADDRS 16

struct ctl_cmd;
typedef int (*ctl_fn)(struct ctl_cmd *c);

struct ctl_verb {
	const char *name;
	ctl_fn fn;
	const char *args; /* the fields after "op", in the order of the format */
	const char *help;
};

struct ctl_cmd {
	struct wait w;
	fuse_req_t req;
	struct sfs_file *f;
	struct sock *s;
	size_t size;
	const struct ctl_verb *verb;
	json_t *args;
	json_t *reply;
	char msg[2048];	     /* room for a whole list of valid names */
	int flags;	     /* the file's flags at this write (O_NONBLOCK by fcntl) */
	bool errno_in_reply; /* connect_ex: a socket error is the reply */
	/* ctl_check: stop after the arguments. */
	bool check, checked;
	/* Addresses to try (connect), and their resolution. */
	int (*then)(struct ctl_cmd *c);
	struct addr addrs[CTL_MAX_ADDRS];
	size_t naddrs, next;
	bool created; /* this command made the kernel socket */
	int last_err;
	bool denied; /* connect: the policy denied an address */
	int gai, gai_errno;
	bool job_pending, released;
	/* recv and send; recvfrom and recvmsg (recvmsg.c) */
	size_t bufsize, ancbufsize;
	bool want_ancillary; /* recvmsg: the reply has flags and ancillary data */
	int msg_flags;
	const char *encoding;
	unsigned char *out; /* send: the decoded payload */
	size_t outlen;
};

/* A command for a write of size bytes to f (a socket's ctl), or for
 * ctl_check (f NULL). NULL when out of memory. */
struct ctl_cmd *ctl_cmd_new(fuse_req_t req, struct sfs_file *f, size_t size);
/* End a command that was not parked: answer it with err (unless
 * CTL_PENDING) and free it. */
void ctl_finish(struct ctl_cmd *c, int err);
/* Answer the write (reply or error) without freeing: on success the reply
 * becomes readable on the same open file; on error the write fails with
 * the errno and the error is kept in the file and the socket's err. */
void ctl_answer(struct ctl_cmd *c, int err);
/* Free c, or let the worker it waits for free it. */
void ctl_release(struct ctl_cmd *c);

/* Set the error message; returns -err. */
int ctl_fail(struct ctl_cmd *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* One strict json_unpack_ex of the command; -EINVAL with a message naming
 * the field. Under ctl_check a valid command stops here (-1). */
int ctl_unpack(struct ctl_cmd *c, const char *fmt, ...);
/* Park c on its socket with ops (its attempt answers through ctl_answer);
 * -EAGAIN when the socket or the file is non-blocking. A parked command
 * changing ops stays in line. */
int ctl_park(struct ctl_cmd *c, const struct wait_ops *ops);
/* The ops' fail and release for every verb that parks. */
void ctl_wait_fail(struct wait *w, int err);
void ctl_wait_release(struct wait *w);

/* The audit log and the policy, for the process that made the command. */
void ctl_audit(struct ctl_cmd *c, const char *event, json_t *fields);
json_t *ctl_addr_field(const struct addr *a);
int ctl_policy(struct ctl_cmd *c, enum policy_op op, const struct addr *a);
/* Make the kernel socket, if the calling process may. */
int ctl_open_kernel(struct ctl_cmd *c, int family, int type, int proto);
/* bind or connect; an AF_UNIX path with the caller's filesystem rights.
 * -1 with errno, as the call. */
int ctl_as_caller(struct ctl_cmd *c, int (*call)(int, const struct sockaddr *, socklen_t), int fd,
		  const struct addr *a);
/* Turn the JSON address into c->addrs, then run then(c): at once, or when
 * a worker resolved the host name (the command waits meanwhile). */
int ctl_with_address(struct ctl_cmd *c, json_t *address, int (*then)(struct ctl_cmd *));

#endif
