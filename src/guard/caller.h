/* caller.h - run kernel calls with the rights of the process that made a
 * FUSE request (cred.h), never the daemon's.
 *
 *	struct caller k;
 *	int err = caller_begin(req, &k);
 *	if (err)
 *		return err;	(refused: never run it as the daemon)
 *	fd = socket(...);
 *	caller_end(&k);
 *
 * Switched: effective and fs uid, all gids, the groups, the effective
 * capabilities the caller holds over the daemon's user namespace and its
 * umask; the real and saved uid stay the daemon's (no signals from the
 * caller). Keep the window to non-blocking calls. */
#ifndef SOCKFS_CALLER_H
#define SOCKFS_CALLER_H

#include "cred.h"

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <sys/socket.h>

struct caller {
	struct cred c;
	struct cred_saved saved;
	bool on;
};

/* Take req's caller's credentials on this thread. 0 or -errno (nothing
 * changed; the request must be refused). */
int caller_begin(fuse_req_t req, struct caller *k);
/* Back to the daemon's credentials (abort()s when it cannot). */
void caller_end(struct caller *k);

/* What a refusal of the kernel means, for the JSON error: when err is
 * EPERM or EACCES and msg is empty, say which rights the kernel wanted of
 * the calling process uid (it decides; this only explains). label (may be
 * NULL) starts the message. */
enum caller_call { CALLER_SOCKET, CALLER_BIND, CALLER_OPTION, CALLER_SEND };
void caller_explain(enum caller_call call, const char *label, uid_t uid, int err, char *msg,
		    size_t msglen);

/* What an AF_UNIX or netlink peer is told about a sender
 * (SCM_CREDENTIALS): the daemon's pid (the kernel lets a sender name only
 * its own without CAP_SYS_ADMIN), the uid and gid given. */
struct ucred caller_ucred(uid_t uid, gid_t gid);
/* Does a send on this family carry SCM_CREDENTIALS (AF_UNIX, AF_NETLINK)? */
bool caller_sends_creds(int family);
/* Put one SCM_CREDENTIALS message for u at the start of buf (room for
 * CMSG_SPACE(sizeof(struct ucred))); answers the bytes used. */
size_t caller_put_creds(void *buf, const struct ucred *u);

#endif
