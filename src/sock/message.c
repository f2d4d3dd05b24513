/* message.c - the receive and send paths of messages: recvmsg(2) with
 * source address, flags and ancillary data (passed sockets adopted), and
 * sendmsg(2) with address, flags and passed sockets, under the policy's
 * sendto rules and the audit log. Used by `data` on datagram sockets and
 * by `msgs` on every socket; nothing here answers a request. */
#include "message.h"

#include "addr.h"
#include "caller.h"
#include "audit.h"
#include "b64.h"
#include "cred.h"
#include "held.h"
#include "limit.h"
#include "names.h"
#include "policy.h"
#include "sock.h"
#include "unixpath.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#define MESSAGE_STREAM_CHUNK (64u * 1024)
#define MESSAGE_CMSG_SIZE    4096

/* Length of the next datagram (MSG_PEEK|MSG_TRUNC), or -errno. Stream
 * sockets (msgs) take what is there, up to a chunk. */
static ssize_t message_next_len(struct sock *s)
{
	char c;
	ssize_t n;

	if (sock_is_stream(s)) {
		n = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
		return n <= 0 ? (n < 0 ? -errno : 0) : (ssize_t)MESSAGE_STREAM_CHUNK;
	}
	n = recv(s->fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

/* True when fd is a file of a FUSE filesystem, found without asking the
 * filesystem (fstat of a file of this mount would wait on this daemon):
 * its mount id (/proc/self/fdinfo) and that mount's type (mountinfo).
 * True too when fdinfo cannot be read. */
static bool message_on_fuse(int fd)
{
	char path[48], line[4096];
	const char *dash;
	int mnt = -1, id;
	bool fuse = true;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	fp = fopen(path, "re");
	if (!fp)
		return true;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "mnt_id: %d", &mnt) == 1)
			break;
	fclose(fp);
	fp = mnt >= 0 ? fopen("/proc/self/mountinfo", "re") : NULL;
	if (!fp)
		return true;
	fuse = false; /* not listed: an internal mount (pipes, sockets, anon) */
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%d", &id) != 1 || id != mnt)
			continue;
		dash = strstr(line, " - ");
		fuse = !dash || !strncmp(dash + 3, "fuse", 4);
		break;
	}
	fclose(fp);
	return fuse;
}

/* A received descriptor that is not a socket: kept in a slot of the
 * receiving socket, read and written through N/fdK; closed when it cannot
 * be kept. */
static json_t *message_hold(struct sock *s, int fd, const struct stat *st)
{
	const char *kind = S_ISREG(st->st_mode)	   ? "file"
			   : S_ISFIFO(st->st_mode) ? "fifo"
			   : S_ISCHR(st->st_mode)  ? "chr"
			   : S_ISDIR(st->st_mode)  ? "dir"
						   : "other";
	char path[48];
	int slot;

	slot = held_add(s->id, fd);
	if (slot < 0) {
		close(fd);
		return json_pack("{s:n, s:s}", "id", "closed",
				 slot == -ENOSPC ? "the socket holds 8 descriptors already"
						 : "the daemon holds too many descriptors");
	}
	snprintf(path, sizeof(path), "%llu/fd%d", (unsigned long long)s->id, slot);
	return json_pack("{s:n, s:i, s:s, s:s, s:s}", "id", "fd", slot, "path", path, "kind", kind,
			 "mode",
			 (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY	? "r"
			 : (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY ? "w"
									: "rw");
}

/* A received descriptor: a socket becomes a sockfs socket owned by the
 * receiving socket's owner; anything else is held (message_hold). */
static json_t *message_adopt(struct sock *s, int fd)
{
	struct stat st;
	int dom = 0, typ = 0, pro = 0, acc = 0;
	socklen_t l = sizeof(int);
	struct addr a = {.len = sizeof(a.u)};
	struct sock *ns;
	const char *why = "not a socket";

	why = "a file of a FUSE filesystem";
	if (message_on_fuse(fd))
		goto close_fd; /* fstat would ask that filesystem: maybe this daemon */
	why = "not a socket";
	if (fstat(fd, &st) < 0)
		goto close_fd;
	if (!S_ISSOCK(st.st_mode))
		return message_hold(s, fd, &st);
	why = "cannot read its family and type";
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &typ, &(socklen_t){sizeof(int)}) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &pro, &(socklen_t){sizeof(int)}) < 0)
		goto close_fd;
	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &(socklen_t){sizeof(int)});
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	/* A received socket is one more the owner holds: over the limit it is
	 * closed, as the kernel closes what exceeds RLIMIT_NOFILE. */
	why = "over the owner's socket limit (max_sockets_per_user)";
	if (limit_check(s->uid))
		goto close_fd;
	if (sock_new_fd(s->uid, s->gid, fd, dom, typ, pro, &ns)) /* fd is closed */
		return json_pack("{s:n, s:s}", "id", "closed", "cannot watch it");
	if (acc)
		ns->state = SOCK_ST_LISTENING;
	else if (getpeername(fd, &a.u.sa, &a.len) == 0)
		ns->state = SOCK_ST_CONNECTED;
	/* A new socket for its owner, as new makes one (no calling process). */
	audit_event("socket.__new__", 0, s->uid, ns->id,
		    json_pack("{s:o, s:o, s:i, s:I}", "family",
			      names_name(names_af, dom) ? json_string(names_name(names_af, dom))
							: json_integer(dom),
			      "type",
			      names_name(names_sock, typ) ? json_string(names_name(names_sock, typ))
							  : json_integer(typ),
			      "proto", pro, "received_by", (json_int_t)s->id));
	return json_pack("{s:I, s:o, s:o}", "id", (json_int_t)ns->id, "family",
			 names_name(names_af, dom) ? json_string(names_name(names_af, dom))
						   : json_integer(dom),
			 "type",
			 names_name(names_sock, typ) ? json_string(names_name(names_sock, typ))
						     : json_integer(typ));
close_fd:
	close(fd);
	return json_pack("{s:n, s:s}", "id", "closed", why);
}

static json_t *message_pktinfo(int family, const void *addr, int ifindex)
{
	char host[INET6_ADDRSTRLEN] = "";

	inet_ntop(family, addr, host, sizeof(host));
	return json_pack("{s:s, s:i}", "address", host, "ifindex", ifindex);
}

/* The data length of c as the socket module reads it: its cmsg_len, cut
 * at the end of the control buffer (a truncated item). */
static size_t message_cmsg_dlen(const struct msghdr *mh, const struct cmsghdr *c)
{
	size_t off =
	    (size_t)((const unsigned char *)CMSG_DATA(c) - (const unsigned char *)mh->msg_control);
	size_t dlen = c->cmsg_len - CMSG_LEN(0);

	if (off > mh->msg_controllen)
		return 0;
	return dlen < mh->msg_controllen - off ? dlen : mh->msg_controllen - off;
}

/* One item in the named form (anc), when it has a name: true if it did. */
static bool message_named(json_t *anc, const struct cmsghdr *c, const unsigned char *d, size_t dlen)
{
	if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
	    dlen >= sizeof(struct ucred)) {
		struct ucred u;
		memcpy(&u, d, sizeof(u));
		json_object_set_new(anc, "credentials",
				    json_pack("{s:i, s:i, s:i}", "pid", (int)u.pid, "uid",
					      (int)u.uid, "gid", (int)u.gid));
	} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP &&
		   dlen >= sizeof(struct timeval)) {
		struct timeval tv;
		memcpy(&tv, d, sizeof(tv));
		json_object_set_new(anc, "timestamp",
				    json_real((double)tv.tv_sec + tv.tv_usec / 1e6));
	} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		   dlen >= sizeof(struct timespec)) {
		struct timespec ts;
		memcpy(&ts, d, sizeof(ts));
		json_object_set_new(
		    anc, "timestamp_ns",
		    json_pack("[I, I]", (json_int_t)ts.tv_sec, (json_int_t)ts.tv_nsec));
	} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		   dlen >= sizeof(struct in_pktinfo)) {
		struct in_pktinfo pi;
		memcpy(&pi, d, sizeof(pi));
		json_object_set_new(anc, "pktinfo",
				    message_pktinfo(AF_INET, &pi.ipi_addr, pi.ipi_ifindex));
	} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
		   dlen >= sizeof(struct in6_pktinfo)) {
		struct in6_pktinfo pi;
		memcpy(&pi, d, sizeof(pi));
		json_object_set_new(anc, "pktinfo",
				    message_pktinfo(AF_INET6, &pi.ipi6_addr, (int)pi.ipi6_ifindex));
	} else {
		return false;
	}
	return true;
}

/* Passed descriptors: each adopted or closed, into fds (and these). */
static void message_rights(struct sock *s, const unsigned char *d, size_t dlen, json_t *fds,
			   json_t *these)
{
	for (size_t i = 0; i + sizeof(int) <= dlen; i += sizeof(int)) {
		int fd;
		json_t *e;
		memcpy(&fd, d + i, sizeof(fd));
		e = message_adopt(s, fd);
		json_array_append(these, e);
		json_array_append_new(fds, e);
	}
}

/* {"level", "type", "data": base64} */
static json_t *message_item_json(int level, int type, const unsigned char *d, size_t dlen)
{
	char *b = b64_encode(d, dlen);
	json_t *j = json_pack("{s:i, s:i, s:s}", "level", level, "type", type, "data", b ? b : "");

	free(b);
	return j;
}

/* The ancillary data of a received message: named items in anc (others
 * in its "other"), and when list is not NULL every item in order as
 * {"level", "type", "data"} (the socket module's ancdata; passed fds as
 * "fds"). Every passed descriptor is adopted or closed, also when anc is
 * NULL. */
static void message_ancillary(struct sock *s, struct msghdr *mh, json_t *anc, json_t *list)
{
	json_t *fds = json_array(), *other = json_array();

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		const unsigned char *d = CMSG_DATA(c);
		size_t dlen;
		if (c->cmsg_len < CMSG_LEN(0))
			break;
		dlen = message_cmsg_dlen(mh, c);
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			json_t *these = json_array();
			message_rights(s, d, dlen, fds, these);
			if (list)
				json_array_append_new(list, json_pack("{s:i, s:i, s:o}", "level",
								      c->cmsg_level, "type",
								      c->cmsg_type, "fds", these));
			else
				json_decref(these);
			continue;
		}
		if (list)
			json_array_append_new(
			    list, message_item_json(c->cmsg_level, c->cmsg_type, d, dlen));
		if (anc && !message_named(anc, c, d, dlen))
			json_array_append_new(
			    other, message_item_json(c->cmsg_level, c->cmsg_type, d, dlen));
	}
	if (anc && json_array_size(fds))
		json_object_set(anc, "fds", fds);
	if (anc && json_array_size(other))
		json_object_set(anc, "other", other);
	json_decref(fds);
	json_decref(other);
}

void message_in_msgs(const struct sock *s, struct message_in *in)
{
	memset(in, 0, sizeof(*in));
	in->flags = s->msgs_flags;
	in->ancbufsize = s->msgs_anc_set ? (size_t)s->msgs_ancbufsize : MESSAGE_CMSG_SIZE;
}

/* Receive one message. 0 and *out (malloc'd bytes, *outlen), with a JSON
 * message in *msg when msg is not NULL; -EAGAIN, or -errno. */
int message_recv(struct sock *s, unsigned char **out, size_t *outlen, json_t **msg)
{
	struct message_in in = {0};

	if (msg)
		message_in_msgs(s, &in);
	return message_recvmsg(s, &in, out, outlen, msg);
}

/* The message as JSON: payload, source, flags, ancillary data. */
static json_t *message_json(struct sock *s, struct msghdr *mh, const unsigned char *buf, size_t got,
			    ssize_t n)
{
	json_t *anc = json_object(), *m = json_object(), *list = json_array();

	message_ancillary(s, mh, anc, list);
	msg_set_payload(m, buf, got);
	json_object_set_new(m, "address", addr_to_json(mh->msg_name, mh->msg_namelen));
	json_object_set_new(m, "flags", msg_flags_json(mh->msg_flags));
	json_object_set_new(m, "msg_flags", json_integer(mh->msg_flags));
	json_object_set_new(m, "ancillary", anc);
	json_object_set_new(m, "ancdata", list);
	if ((size_t)n > got)
		json_object_set_new(m, "truncated", json_integer((json_int_t)n));
	return m;
}

int message_recvmsg(struct sock *s, const struct message_in *in, unsigned char **out,
		    size_t *outlen, json_t **msg)
{
	struct addr from = {.len = sizeof(from.u)};
	struct iovec iov;
	struct msghdr mh = {0};
	ssize_t len, n;
	unsigned char *buf, *cbuf = NULL;
	size_t got;
	int flags = in->flags & ~(MSG_WAITALL | MSG_DONTWAIT);

	if (in->has_bufsize)
		len = (ssize_t)in->bufsize;
	else if ((len = message_next_len(s)) < 0)
		return len == -EWOULDBLOCK ? -EAGAIN : (int)len;
	/* MSG_TRUNC on a stream discards the bytes: the buffer stays zero. */
	buf = flags & MSG_TRUNC ? calloc(1, (size_t)len + 1) : malloc((size_t)len + 1);
	if (!buf)
		return -ENOMEM;
	/* data reads have no room for ancillary data: the kernel closes
	 * passed fds. */
	if (msg && in->ancbufsize) {
		cbuf = calloc(1, in->ancbufsize);
		if (!cbuf) {
			free(buf);
			return -ENOMEM;
		}
	}
	iov.iov_base = buf;
	iov.iov_len = (size_t)len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_name = &from.u;
	mh.msg_namelen = from.len;
	mh.msg_control = cbuf;
	mh.msg_controllen = cbuf ? in->ancbufsize : 0;
	/* Only unix sockets pass descriptors; packet sockets refuse the flag. */
	n = recvmsg(s->fd, &mh,
		    flags | MSG_DONTWAIT | (s->family == AF_UNIX ? MSG_CMSG_CLOEXEC : 0));
	if (n < 0) {
		int err = errno == EWOULDBLOCK ? EAGAIN : errno;
		free(buf);
		free(cbuf);
		return -err;
	}
	got = (size_t)n < (size_t)len ? (size_t)n : (size_t)len;
	if (!(in->flags & MSG_CMSG_CLOEXEC))
		mh.msg_flags &= ~MSG_CMSG_CLOEXEC; /* ours, not the caller's */
	if (msg)
		*msg = message_json(s, &mh, buf, got, n);
	else
		message_ancillary(s, &mh, NULL, NULL);
	free(cbuf);
	*out = buf;
	*outlen = got;
	return 0;
}

/* Build the SCM_RIGHTS payload from socket ids the caller owns. */
static int message_fds(fuse_req_t req, const struct msg_out *m, int *fds, char *msg, size_t msglen)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	for (size_t i = 0; i < m->nfds; i++) {
		struct sock *o;
		if (m->pfds[i] >= 0)
			continue; /* the writer's own descriptor: message_caller_fd */
		o = sock_find(m->fds[i]);
		if (!o || o->fd < 0) {
			snprintf(msg, msglen, "fds: socket %llu %s", (unsigned long long)m->fds[i],
				 o ? "has no kernel socket" : "does not exist");
			return o ? -ENOTCONN : -EBADF;
		}
		if (ctx->uid != 0 && ctx->uid != o->uid) {
			snprintf(msg, msglen, "fds: socket %llu is not yours",
				 (unsigned long long)m->fds[i]);
			return -EACCES;
		}
		fds[i] = o->fd;
	}
	return 0;
}

/* The caller's own descriptor n (a "fds" entry {"fd": n}): pidfd_getfd
 * on the writing process. The target is the writer itself, which the
 * kernel always lets a process take from (same thread group), so it runs
 * as the daemon: with the caller's credentials the ptrace check would read
 * the thread's real uid, which stays the daemon's (cred.h). A new fd of
 * the daemon, or -errno with msg. */
static int message_caller_fd(const struct cred *c, int n, char *msg, size_t msglen)
{
	int pidfd, fd, err;

	if (!c->tgid) {
		snprintf(msg, msglen, "fds: {\"fd\": %d}: the writing process cannot be found", n);
		return -ESRCH;
	}
	pidfd = (int)syscall(SYS_pidfd_open, c->tgid, 0);
	if (pidfd < 0) {
		err = -errno;
		snprintf(msg, msglen, "fds: {\"fd\": %d}: pidfd_open: %s", n, strerror(-err));
		return err;
	}
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, n, 0);
	err = fd < 0 ? -errno : 0;
	close(pidfd);
	if (err)
		snprintf(msg, msglen, "fds: {\"fd\": %d}: %s", n, strerror(-err));
	return err ? err : fd;
}

static bool message_cap(const struct cred *c, int cap)
{
	return (c->cap_eff >> cap) & 1;
}

/* The ancillary items the kernel checks against the sender's privileges,
 * checked against the caller's (the daemon sends them as root): 0, or
 * -EPERM with msg. */
static int message_anc_check(const struct cred *c, struct msghdr *mh, char *msg, size_t msglen)
{
	for (struct cmsghdr *h = CMSG_FIRSTHDR(mh); h; h = CMSG_NXTHDR(mh, h)) {
		size_t dlen = h->cmsg_len - CMSG_LEN(0);
		const char *need = NULL;
		int v = 0;
		if (dlen >= sizeof(int))
			memcpy(&v, CMSG_DATA(h), sizeof(int));
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS &&
		    dlen == sizeof(struct ucred)) {
			struct ucred u;
			memcpy(&u, CMSG_DATA(h), sizeof(u));
			/* scm_check_creds, for the caller */
			if (u.pid != c->tgid && !message_cap(c, CAP_SYS_ADMIN))
				need = "SCM_CREDENTIALS: pid is not the writer's (CAP_SYS_ADMIN)";
			else if (u.uid != c->ruid && u.uid != c->euid && u.uid != c->suid &&
				 !message_cap(c, CAP_SETUID))
				need =
				    "SCM_CREDENTIALS: uid is not one of the writer's (CAP_SETUID)";
			else if (u.gid != c->rgid && u.gid != c->egid && u.gid != c->sgid &&
				 !message_cap(c, CAP_SETGID))
				need =
				    "SCM_CREDENTIALS: gid is not one of the writer's (CAP_SETGID)";
		} else if (h->cmsg_level == SOL_SOCKET &&
			   (h->cmsg_type == SO_MARK || (h->cmsg_type == SO_PRIORITY && v > 6)) &&
			   !message_cap(c, CAP_NET_ADMIN) && !message_cap(c, CAP_NET_RAW)) {
			need = "SO_MARK and SO_PRIORITY above 6 need CAP_NET_ADMIN or CAP_NET_RAW";
		} else if (h->cmsg_level == IPPROTO_IPV6 &&
			   (h->cmsg_type == IPV6_HOPOPTS || h->cmsg_type == IPV6_DSTOPTS ||
			    h->cmsg_type == IPV6_RTHDRDSTOPTS || h->cmsg_type == IPV6_2292HOPOPTS ||
			    h->cmsg_type == IPV6_2292DSTOPTS) &&
			   !message_cap(c, CAP_NET_RAW)) {
			need = "IPv6 hop-by-hop and destination options need CAP_NET_RAW";
		}
		if (need) {
			snprintf(msg, msglen, "ancillary: %s", need);
			return -EPERM;
		}
	}
	return 0;
}

/* The control buffer of a message: SCM_RIGHTS for "fds" (sockfs sockets,
 * and the writer's own descriptors, taken into taken[]), then the
 * "ancillary" items. 0 with mh's control set (*buf malloc'd), or -errno
 * with msg; the caller closes taken[0..*ntaken) and frees *buf. */
static int message_control(fuse_req_t req, const struct msg_out *m, struct msghdr *mh,
			   unsigned char **buf, int *taken, size_t *ntaken, char *msg,
			   size_t msglen)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	size_t rights = m->nfds ? CMSG_SPACE(sizeof(int) * m->nfds) : 0;
	struct cred c = {0};
	int fds[MSG_MAX_FDS], err;
	bool caller_fds = false;

	*buf = NULL;
	*ntaken = 0;
	if (!m->nfds && !m->controllen)
		return 0;
	for (size_t i = 0; i < m->nfds; i++)
		caller_fds |= m->pfds[i] >= 0;
	if (caller_fds || m->controllen) {
		err = cred_of_caller(ctx->pid, ctx->uid, ctx->gid, &c);
		if (err)
			return err;
	}
	err = message_fds(req, m, fds, msg, msglen);
	for (size_t i = 0; !err && i < m->nfds; i++) {
		if (m->pfds[i] < 0)
			continue;
		fds[i] = message_caller_fd(&c, m->pfds[i], msg, msglen);
		if (fds[i] < 0)
			err = fds[i];
		else
			taken[(*ntaken)++] = fds[i];
	}
	if (err)
		goto release;
	*buf = calloc(1, rights + m->controllen);
	if (!*buf) {
		err = -ENOMEM;
		goto release;
	}
	mh->msg_control = *buf;
	mh->msg_controllen = rights + m->controllen;
	if (rights) {
		struct cmsghdr *h = CMSG_FIRSTHDR(mh);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int) * m->nfds);
		memcpy(CMSG_DATA(h), fds, sizeof(int) * m->nfds);
	}
	if (m->controllen)
		memcpy(*buf + rights, m->control, m->controllen);
	if (m->controllen)
		err = message_anc_check(&c, mh, msg, msglen);
release:
	cred_release(&c);
	return err;
}

static void message_control_end(unsigned char *control, int *taken, size_t ntaken)
{
	for (size_t i = 0; i < ntaken; i++)
		close(taken[i]);
	free(control);
}

/* Does the message name its own SCM_CREDENTIALS (checked against the
 * caller: message_anc_check, then the kernel)? *pid: the pid it names. */
static bool message_has_creds(struct msghdr *mh, pid_t *pid)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred u;
			memcpy(&u, CMSG_DATA(c), sizeof(u));
			*pid = u.pid;
			return true;
		}
	return false;
}

/* A message to an address: the policy's sendto rules, and on a stream
 * socket its connect rules too (MSG_FASTOPEN, TCP_FASTOPEN_CONNECT: a
 * sendto there is a connect). 0 or -EACCES with the rule in msg. */
static int message_policy_sendto(fuse_req_t req, struct sock *s, const struct addr *to,
				 struct unixpath *u, char *msg, size_t msglen)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct policy_req r = {
	    .op = POLICY_CONNECT,
	    .uid = ctx->uid,
	    .pid = ctx->pid,
	    .id = s->id,
	    .family = to->u.sa.sa_family,
	    .sa = &to->u.sa,
	    .salen = to->len,
	};
	int err = 0;

	/* A unix path: the file it names, resolved as the caller. */
	if (proto_fs_path(&to->u.sa, to->len) && policy_has_paths()) {
		err = unixpath_resolve(req, to, true, u);
		if (err) {
			snprintf(msg, msglen, "address: %s", strerror(-err));
			return err;
		}
		r.path = u->canon;
		r.pathlen = u->canonlen;
	}
	if (sock_is_stream(s))
		err = policy_check(&r, msg, msglen);

	r.op = POLICY_SENDTO;
	return err ? err : policy_check(&r, msg, msglen);
}

/* Does this send need the caller's credentials? Netlink and unix sends
 * (paths, groups, SCM_CREDENTIALS checks), any other family the kernel
 * may check at send, and every message with an address or ancillary data
 * (options such as SO_MARK or IPV6_HOPOPTS need capabilities). A plain
 * send on an IP socket is checked by nothing of the sender's. */
static bool message_needs_caller(const struct sock *s, const struct msghdr *mh)
{
	return mh->msg_name || mh->msg_controllen ||
	       (s->family != AF_INET && s->family != AF_INET6);
}

/* sendmsg(2) as req's caller: the bytes sent or -errno. On unix and
 * netlink sockets the message carries SCM_CREDENTIALS naming the caller
 * (its euid and egid, the daemon's pid) unless it names its own: the
 * kernel's default would be the thread's real uid, the daemon's. */
static ssize_t message_sendmsg(fuse_req_t req, struct sock *s, struct msghdr *mh, int flags)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	void *orig = mh->msg_control, *buf = NULL;
	size_t origlen = mh->msg_controllen;
	struct caller k = {0};
	pid_t own = 0;
	ssize_t n;
	int err;

	if (message_needs_caller(s, mh)) {
		err = caller_begin(req, &k);
		if (err)
			return err;
	}
	if (caller_sends_creds(s->family) && message_has_creds(mh, &own)) {
		/* The writer names itself: the kernel lets a sender name another
		 * process (the writer, not this daemon) only with CAP_SYS_ADMIN,
		 * which the daemon holds for it for this one call. */
		if (k.on && k.c.tgid && own == k.c.tgid && s->family == AF_UNIX) {
			err = cred_add_eff(1ULL << CAP_SYS_ADMIN);
			if (err) {
				caller_end(&k);
				return err;
			}
		}
	} else if (caller_sends_creds(s->family)) {
		struct ucred u =
		    k.on ? caller_ucred(k.c.euid, k.c.egid) : caller_ucred(ctx->uid, ctx->gid);
		size_t head = CMSG_SPACE(sizeof(struct ucred));

		buf = malloc(head + origlen);
		if (!buf) {
			caller_end(&k);
			return -ENOMEM;
		}
		caller_put_creds(buf, &u);
		if (origlen)
			memcpy((char *)buf + head, orig, origlen);
		mh->msg_control = buf;
		mh->msg_controllen = head + origlen;
	}
	n = sendmsg(s->fd, mh, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	err = errno;
	caller_end(&k);
	mh->msg_control = orig;
	mh->msg_controllen = origlen;
	free(buf);
	return n < 0 ? -err : n;
}

/* Send one parsed message: 0, -EAGAIN, or -errno with msg. *sent: bytes
 * the kernel took (a stream may take part). */
int message_send(fuse_req_t req, struct sock *s, struct msg_out *m, size_t *sent, char *msg,
		 size_t msglen)
{
	struct iovec iov = {.iov_base = m->data, .iov_len = m->len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct addr to;
	struct unixpath upath = {.fd = -1};
	struct addr_name name;
	ssize_t n;
	int err, taken[MSG_MAX_FDS];
	size_t ntaken = 0;
	unsigned char *control = NULL;

	if (m->address) {
		err =
		    addr_from_json_proto(m->address, s->family, s->proto, &to, &name, msg, msglen);
		if (err == -EAGAIN) {
			snprintf(msg, msglen,
				 "address: msgs takes numeric addresses, not host names");
			return -EINVAL;
		}
		if (err)
			return err;
		err = message_policy_sendto(req, s, &to, &upath, msg, msglen);
		if (err) {
			unixpath_release(&upath);
			return err;
		}
		mh.msg_name = (void *)&unixpath_kernel(&upath, &to)->u;
		mh.msg_namelen = unixpath_kernel(&upath, &to)->len;
	}
	err = message_control(req, m, &mh, &control, taken, &ntaken, msg, msglen);
	if (err)
		goto close_taken;
	n = message_sendmsg(req, s, &mh, m->flags);
	err = n < 0 ? (int)-n : 0;
	/* One socket.sendto line per message, once its send is decided (a
	 * message that waits for room is tried again). */
	if (mh.msg_name && err != EWOULDBLOCK && audit_enabled())
		audit_event("socket.sendto", fuse_req_ctx(req)->pid, fuse_req_ctx(req)->uid, s->id,
			    json_pack("{s:o}", "address", addr_to_json(&to.u.sa, to.len)));
	if (n < 0)
		err = err == EWOULDBLOCK ? -EAGAIN : -err;
	else
		*sent = (size_t)n;
close_taken:
	unixpath_release(&upath);
	message_control_end(control, taken, ntaken);
	return err;
}

int message_disconnect(struct sock *s)
{
	struct sockaddr sa = {.sa_family = AF_UNSPEC};
	struct addr a = {.len = sizeof(a.u)};

	if (s->fd < 0)
		return -ENOTCONN;
	if (connect(s->fd, &sa, sizeof(sa)) < 0)
		return -errno;
	s->state = SOCK_ST_OPEN;
	if (getsockname(s->fd, &a.u.sa, &a.len) == 0 && proto_bound(&a.u.sa, a.len))
		s->state = SOCK_ST_BOUND;
	return 0;
}
