/* caller.c - the caller's credentials around a kernel call (cred.c), and
 * the SCM_CREDENTIALS that name the caller on AF_UNIX and netlink sends. */
#include "caller.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef SOCKFS_CRED_AB
/* Built only for bench/ (meson -Dc_args=-DSOCKFS_CRED_AB): with
 * SOCKFS_CRED_AB=off in the environment, calls run as the daemon. */
static bool caller_disabled(void)
{
	static int off = -1;

	if (off < 0) {
		const char *e = getenv("SOCKFS_CRED_AB");
		off = e && !strcmp(e, "off");
	}
	return off;
}
#else
static bool caller_disabled(void)
{
	return false;
}
#endif

int caller_begin(fuse_req_t req, struct caller *k)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	int err;

	memset(k, 0, sizeof(*k));
	if (caller_disabled())
		return 0;
	err = cred_of_caller(ctx->pid, ctx->uid, ctx->gid, &k->c);
	if (err)
		return err;
	err = cred_enter(&k->c, &k->saved);
	if (err) {
		cred_release(&k->c);
		return err;
	}
	k->on = true;
	return 0;
}

void caller_end(struct caller *k)
{
	if (!k->on)
		return;
	cred_leave(&k->saved);
	cred_release(&k->c);
	k->on = false;
}

void caller_explain(enum caller_call call, const char *label, uid_t uid, int err, char *msg,
		    size_t msglen)
{
	static const char *const why[] = {
	    [CALLER_SOCKET] = "raw and packet sockets need CAP_NET_RAW, some families and "
			      "protocols CAP_NET_ADMIN",
	    [CALLER_BIND] = "ports below net.ipv4.ip_unprivileged_port_start need "
			    "CAP_NET_BIND_SERVICE; a unix path needs search and write access "
			    "to its directory",
	    [CALLER_OPTION] = "it needs a capability, CAP_NET_ADMIN or CAP_NET_RAW for most "
			      "options",
	    [CALLER_SEND] = "netlink groups and other ports need CAP_NET_ADMIN; a unix path "
			    "needs write access to the socket file",
	};

	if ((err != EPERM && err != EACCES) || !msg || msg[0])
		return;
	snprintf(msg, msglen, "%s%sthe kernel refuses this to the calling process (uid %u): %s",
		 label ? label : "", label ? ": " : "", (unsigned)uid, why[call]);
}

struct ucred caller_ucred(uid_t uid, gid_t gid)
{
	struct ucred u = {.pid = getpid(), .uid = uid, .gid = gid};

	return u;
}

bool caller_sends_creds(int family)
{
	return family == AF_UNIX || family == AF_NETLINK;
}

size_t caller_put_creds(void *buf, const struct ucred *u)
{
	struct msghdr mh = {.msg_control = buf, .msg_controllen = CMSG_SPACE(sizeof(struct ucred))};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	memset(buf, 0, CMSG_SPACE(sizeof(struct ucred)));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
	memcpy(CMSG_DATA(c), u, sizeof(*u));
	return CMSG_SPACE(sizeof(struct ucred));
}
