/* ctl_int.h - the inside of ctl commands, shared by the files of verbs. */
#ifndef SOCKFS_CTL_INT_H
#define SOCKFS_CTL_INT_H

#include "addr.h"
#include "sock.h"

#include <fuse_lowlevel.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

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
	struct wait w; /* first: the wait callbacks cast back */
	fuse_req_t req;
	struct sfs_file *f;
	struct sock *s;
	size_t size;
	const struct ctl_verb *verb;
	json_t *args;
	json_t *reply;
	char msg[256];
	bool parked;
	/* Addresses to try (connect), and their resolution. */
	int (*then)(struct ctl_cmd *c);
	struct addr addrs[CTL_MAX_ADDRS];
	size_t naddrs, next;
	bool created; /* this command made the kernel socket */
	int last_err;
	struct addr_name name;
	bool job_pending, cancelled;
	int gai, gai_errno;
	bool denied; /* connect: the policy denied an address */
	/* ctl_check: stop after the arguments. */
	bool check, checked;
	int flags; /* the file's flags at this write (O_NONBLOCK by fcntl) */
	/* recv and send */
	size_t bufsize;
	int msg_flags;
	const char *encoding;
	unsigned char *out; /* send: the decoded payload */
	size_t outlen;
};

/* Answer the write (reply or error) and free c, unless err is CTL_PENDING. */
void ctl_finish(struct ctl_cmd *c, int err);
/* A written command as a JSON object, or NULL with msg. */
json_t *ctl_parse(const char *buf, size_t size, char *msg, size_t msglen);
/* Set the error message; returns -err. */
int ctl_fail(struct ctl_cmd *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* One strict json_unpack_ex of the command; -EINVAL with a message naming
 * the field. */
int ctl_unpack(struct ctl_cmd *c, const char *fmt, ...);
/* Park c on its socket; -EAGAIN when the socket or the file is non-blocking. */
int ctl_park(struct ctl_cmd *c, enum wait_kind kind, bool (*ready)(struct wait *));

/* Verbs of ctl_io.c: timeouts and modes, options by number, recv/send. */
int ctl_io_settimeout(struct ctl_cmd *c);
int ctl_io_gettimeout(struct ctl_cmd *c);
int ctl_io_setblocking(struct ctl_cmd *c);
int ctl_io_getblocking(struct ctl_cmd *c);
int ctl_io_getsockopt(struct ctl_cmd *c);
int ctl_io_setsockopt(struct ctl_cmd *c);
int ctl_io_recv(struct ctl_cmd *c);
int ctl_io_send(struct ctl_cmd *c);

#endif
