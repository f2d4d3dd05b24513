/* dgram.c - message semantics on `data`, and the framed message file `msgs`.
 *
 * data on a datagram, seqpacket or raw socket: a write is one send (one
 * datagram); a read receives one whole datagram. When the read asked for
 * fewer bytes than the datagram holds, the rest stays with that open file
 * (sfs_file.buf) and the next reads of the same open file return it before
 * any new datagram: bash's `read`, which reads one byte at a time, loses
 * nothing, and a datagram is never split between two open files.
 *
 * msgs: a read returns one message as one JSON line; a write sends one
 * message given as one JSON object (see msg.h and fs-layout.md). Passed
 * descriptors (SCM_RIGHTS) become sockfs sockets, or are closed and
 * reported. */
#include "dgram.h"

#include "addr.h"
#include "asuser.h"
#include "audit.h"
#include "b64.h"
#include "err.h"
#include "fs.h"
#include "msg.h"
#include "names.h"
#include "policy.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#define DGRAM_STREAM_CHUNK (64u * 1024)
#define DGRAM_CMSG_SIZE	   4096
#define DGRAM_PART_MAX	   (16u * 1024 * 1024)

bool dgram_is_msg(const struct sock *s)
{
	return s->type != SOCK_STREAM;
}

/* Receiving. */

struct dgram_rwait {
	struct wait w;
	size_t size;
	bool msgs;
};

/* Length of the next datagram (MSG_PEEK|MSG_TRUNC), or -errno. Stream
 * sockets (msgs) take what is there, up to a chunk. */
static ssize_t dgram_next_len(struct sock *s)
{
	char c;
	ssize_t n;

	if (!dgram_is_msg(s)) {
		n = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
		return n <= 0 ? (n < 0 ? -errno : 0) : (ssize_t)DGRAM_STREAM_CHUNK;
	}
	n = recv(s->fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

/* A received descriptor: a socket becomes a sockfs socket owned by the
 * receiving socket's owner; anything else is closed. */
static json_t *dgram_adopt(struct sock *s, int fd)
{
	struct stat st;
	int dom = 0, typ = 0, pro = 0, acc = 0;
	socklen_t l = sizeof(int);
	struct addr a = {.len = sizeof(a.u)};
	struct sock *ns;
	const char *why = "not a socket";

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		goto close_fd;
	why = "cannot read its family and type";
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &typ, &(socklen_t){sizeof(int)}) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &pro, &(socklen_t){sizeof(int)}) < 0)
		goto close_fd;
	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &(socklen_t){sizeof(int)});
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	why = "out of memory";
	ns = sock_new(s->uid, s->gid);
	if (!ns)
		goto close_fd;
	if (sock_adopt_fd(ns, fd, dom, typ, pro)) {
		sock_close(ns); /* sock_adopt_fd closed fd */
		return json_pack("{s:n, s:s}", "id", "closed", "cannot watch it");
	}
	if (acc)
		ns->state = SOCK_ST_LISTENING;
	else if (getpeername(fd, &a.u.sa, &a.len) == 0)
		ns->state = SOCK_ST_CONNECTED;
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

static json_t *dgram_pktinfo(int family, const void *addr, int ifindex)
{
	char host[INET6_ADDRSTRLEN] = "";

	inet_ntop(family, addr, host, sizeof(host));
	return json_pack("{s:s, s:i}", "address", host, "ifindex", ifindex);
}

/* The ancillary data of a received message as a JSON object. Every
 * passed descriptor is adopted or closed, also when anc is NULL. */
static void dgram_ancillary(struct sock *s, struct msghdr *mh, json_t *anc)
{
	json_t *fds = NULL, *other = NULL;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		const unsigned char *d = CMSG_DATA(c);
		size_t dlen = c->cmsg_len - CMSG_LEN(0);
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			if (!fds)
				fds = json_array();
			for (size_t i = 0; i + sizeof(int) <= dlen; i += sizeof(int)) {
				int fd;
				memcpy(&fd, d + i, sizeof(fd));
				json_array_append_new(fds, dgram_adopt(s, fd));
			}
			continue;
		}
		if (!anc)
			continue;
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
					    dgram_pktinfo(AF_INET, &pi.ipi_addr, pi.ipi_ifindex));
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
			   dlen >= sizeof(struct in6_pktinfo)) {
			struct in6_pktinfo pi;
			memcpy(&pi, d, sizeof(pi));
			json_object_set_new(
			    anc, "pktinfo",
			    dgram_pktinfo(AF_INET6, &pi.ipi6_addr, (int)pi.ipi6_ifindex));
		} else {
			char *b = b64_encode(d, dlen);
			if (!other)
				other = json_array();
			json_array_append_new(other,
					      json_pack("{s:i, s:i, s:s}", "level", c->cmsg_level,
							"type", c->cmsg_type, "data", b ? b : ""));
			free(b);
		}
	}
	if (anc && fds)
		json_object_set_new(anc, "fds", fds);
	else
		json_decref(fds);
	if (anc && other)
		json_object_set_new(anc, "other", other);
	else
		json_decref(other);
}

/* Receive one message. 0 and *out (malloc'd bytes, *outlen), with a JSON
 * message in *msg when msg is not NULL; -EAGAIN, or -errno. */
static int dgram_recv(struct sock *s, unsigned char **out, size_t *outlen, json_t **msg)
{
	union {
		char buf[DGRAM_CMSG_SIZE];
		struct cmsghdr align;
	} ctl;
	struct addr from = {.len = sizeof(from.u)};
	struct iovec iov;
	struct msghdr mh = {0};
	ssize_t len = dgram_next_len(s), n;
	unsigned char *buf;

	if (len < 0)
		return len == -EWOULDBLOCK ? -EAGAIN : (int)len;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return -ENOMEM;
	iov.iov_base = buf;
	iov.iov_len = (size_t)len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_name = &from.u;
	mh.msg_namelen = from.len;
	if (msg) {
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
	} /* else (data) no room for ancillary data: the kernel closes passed fds */
	n = recvmsg(s->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0) {
		int err = errno == EWOULDBLOCK ? EAGAIN : errno;
		free(buf);
		return -err;
	}
	if (msg) {
		json_t *anc = json_object(), *m = json_object();
		dgram_ancillary(s, &mh, anc);
		msg_set_payload(m, buf, (size_t)n);
		json_object_set_new(m, "address", addr_to_json(&from.u.sa, mh.msg_namelen));
		json_object_set_new(m, "flags", msg_flags_json(mh.msg_flags));
		json_object_set_new(m, "ancillary", anc);
		*msg = m;
	} else {
		dgram_ancillary(s, &mh, NULL);
	}
	*out = buf;
	*outlen = (size_t)n;
	return 0;
}

/* 0 and replied, or -EAGAIN (nothing replied). */
static int dgram_try_read(fuse_req_t req, struct sfs_file *f, size_t size, bool msgs)
{
	unsigned char *buf;
	size_t len;
	json_t *m = NULL;
	int err = dgram_recv(f->s, &buf, &len, msgs ? &m : NULL);

	if (err == -EAGAIN)
		return err;
	if (err) {
		fuse_reply_err(req, -err);
		return 0;
	}
	if (len == 0 && (f->s->type == SOCK_STREAM || f->s->type == SOCK_SEQPACKET)) {
		/* The peer's end: EOF, not an empty message. */
		json_decref(m);
		free(buf);
		fuse_reply_buf(req, NULL, 0);
		return 0;
	}
	if (msgs) {
		free(buf);
		err = fs_file_set_json(f, m);
		if (err) {
			fuse_reply_err(req, -err);
			return 0;
		}
	} else {
		fs_file_set_buf(f, (char *)buf, len);
	}
	/* The rest of the datagram (or line) stays with this open file. */
	fs_reply_buffered(req, f, size);
	return 0;
}

static bool dgram_rwait_ready(struct wait *w)
{
	struct dgram_rwait *rw = (struct dgram_rwait *)w;

	if (w->f->buf) {
		/* Another read of this open file left the rest of a message. */
		sock_unpark(w);
		fs_reply_buffered(w->req, w->f, rw->size);
		free(rw);
		return true;
	}
	if (w->s->fd < 0 || dgram_try_read(w->req, w->f, rw->size, rw->msgs) == -EAGAIN)
		return false;
	sock_unpark(w);
	free(rw);
	return true;
}

static void dgram_rwait_cancel(struct wait *w, int err)
{
	if (err == EBADF)
		fuse_reply_buf(w->req, NULL, 0);
	else
		fuse_reply_err(w->req, err);
	free(w);
}

static void dgram_read_any(fuse_req_t req, struct sfs_file *f, size_t size, int flags, bool msgs)
{
	struct sock *s = f->s;
	struct dgram_rwait *rw;
	int err;

	if (f->buf) {
		fs_reply_buffered(req, f, size);
		return;
	}
	if (s->state == SOCK_ST_CLOSED) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (s->fd < 0) {
		fuse_reply_err(req, ENOTCONN);
		return;
	}
	if (size == 0) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (list_empty(&s->waits[WAIT_READ]) && dgram_try_read(req, f, size, msgs) == 0)
		return;
	rw = calloc(1, sizeof(*rw));
	if (!rw) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	rw->size = size;
	rw->msgs = msgs;
	rw->w.ready = dgram_rwait_ready;
	rw->w.cancel = dgram_rwait_cancel;
	rw->w.nonblock = (flags & O_NONBLOCK) != 0;
	err = sock_park(s, &rw->w, WAIT_READ, req, f);
	if (err) {
		free(rw);
		fuse_reply_err(req, -err);
	}
}

void dgram_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags)
{
	dgram_read_any(req, f, size, flags, false);
}

void dgram_msgs_read(fuse_req_t req, struct sfs_file *f, size_t size, int flags)
{
	dgram_read_any(req, f, size, flags, true);
}

/* Sending. A write that meets a full send buffer parks a copy of what was
 * written and tries again when the socket turns writable. */

struct dgram_wwait {
	struct wait w;
	bool msgs;
	bool rest; /* a stream's unsent rest after a partial sendmsg */
	int (*send)(struct dgram_wwait *ww, fuse_req_t req);
	size_t size; /* the write's size, for the reply */
	size_t len;
	char bytes[];
};

static int dgram_send_data(struct sock *s, const char *buf, size_t size)
{
	ssize_t n = send(s->fd, buf, size, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return 0;
}

/* Build the SCM_RIGHTS payload from socket ids the caller owns. */
static int dgram_fds(fuse_req_t req, const struct msg_out *m, int *fds, char *msg, size_t msglen)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	for (size_t i = 0; i < m->nfds; i++) {
		struct sock *o = sock_find(m->fds[i]);
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

/* A message to an address: the policy's sendto rules. 0 or -EACCES with the
 * rule in msg. */
static int dgram_policy_sendto(fuse_req_t req, struct sock *s, const struct addr *to, char *msg,
			       size_t msglen)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct policy_req r = {
	    .op = POLICY_SENDTO,
	    .uid = ctx->uid,
	    .pid = ctx->pid,
	    .id = s->id,
	    .family = to->u.sa.sa_family,
	    .sa = &to->u.sa,
	    .salen = to->len,
	};
	return policy_check(&r, msg, msglen);
}

/* Send one parsed message: 0, -EAGAIN, or -errno with msg. *sent: bytes
 * the kernel took (a stream may take part). */
static int dgram_sendmsg(fuse_req_t req, struct sock *s, struct msg_out *m, size_t *sent, char *msg,
			 size_t msglen)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * MSG_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {.iov_base = m->data, .iov_len = m->len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct addr to;
	struct addr_name name;
	struct asuser as = {0};
	ssize_t n;
	int err;

	if (m->address) {
		err = addr_from_json(m->address, s->family, &to, &name, msg, msglen);
		if (err == -EAGAIN) {
			snprintf(msg, msglen,
				 "address: msgs takes numeric addresses, not host names");
			return -EINVAL;
		}
		if (err)
			return err;
		err = dgram_policy_sendto(req, s, &to, msg, msglen);
		if (err)
			return err;
		mh.msg_name = &to.u;
		mh.msg_namelen = to.len;
	}
	if (m->nfds) {
		int fds[MSG_MAX_FDS];
		struct cmsghdr *c;
		err = dgram_fds(req, m, fds, msg, msglen);
		if (err)
			return err;
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * m->nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * m->nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * m->nfds);
	}
	if (mh.msg_name && asuser_is_unix_path(mh.msg_name, mh.msg_namelen)) {
		err = asuser_begin(req, &as);
		if (err)
			return err;
	}
	n = sendmsg(s->fd, &mh, m->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	err = n < 0 ? errno : 0;
	asuser_end(&as);
	/* One socket.sendto line per message, once its send is decided (a
	 * message that waits for room is tried again). */
	if (mh.msg_name && err != EWOULDBLOCK && audit_enabled())
		audit_event("socket.sendto", fuse_req_ctx(req)->pid, fuse_req_ctx(req)->uid, s->id,
			    json_pack("{s:o}", "address", addr_to_json(&to.u.sa, to.len)));
	if (n < 0)
		return err == EWOULDBLOCK ? -EAGAIN : -err;
	*sent = (size_t)n;
	return 0;
}

/* A failed msgs write: the reason goes to N/err (msgs itself carries
 * only messages). */
static void dgram_fail(struct sfs_file *f, int err, const char *msg)
{
	json_t *e = err_json(err, "sendmsg", msg);

	if (e && f->s)
		sock_set_error(f->s, e);
	else
		json_decref(e);
}

/* A msgs write: parse and send. 0 replied; -EAGAIN nothing done, or, with
 * *rest set (malloc'd, *restlen bytes), the first part of a stream's
 * message sent and the rest still to send. */
static int dgram_msgs_try_send(fuse_req_t req, struct sfs_file *f, const char *buf, size_t len,
			       size_t size, unsigned char **rest, size_t *restlen)
{
	char msg[256] = "";
	json_error_t jerr;
	json_t *j = json_loadb(buf, len, JSON_ALLOW_NUL, &jerr);
	struct msg_out m;
	size_t sent = 0;
	int err;

	*rest = NULL;
	*restlen = 0;
	if (!j) {
		snprintf(msg, sizeof(msg), "invalid JSON: %s at line %d column %d", jerr.text,
			 jerr.line, jerr.column);
		err = -EINVAL;
		goto fail;
	}
	err = msg_parse_out(j, &m, msg, sizeof(msg));
	if (err)
		goto fail;
	if (!dgram_is_msg(f->s) && f->s->outq_bytes)
		err = -EAGAIN; /* bytes queued by data go first */
	else
		err = dgram_sendmsg(req, f->s, &m, &sent, msg, sizeof(msg));
	if (err == -EAGAIN && !(m.flags & MSG_DONTWAIT)) {
		msg_out_free(&m);
		json_decref(j);
		return -EAGAIN;
	}
	if (!err && sent < m.len) {
		/* A stream took part of it: the rest follows (without fds). */
		*restlen = m.len - sent;
		memmove(m.data, m.data + sent, *restlen);
		*rest = m.data;
		m.data = NULL;
		msg_out_free(&m);
		json_decref(j);
		return -EAGAIN;
	}
	msg_out_free(&m);
	if (err)
		goto fail;
	json_decref(j);
	fuse_reply_write(req, size);
	return 0;
fail:
	json_decref(j);
	dgram_fail(f, -err, msg[0] ? msg : NULL);
	fuse_reply_err(req, -err);
	return 0;
}

static int dgram_ww_send(struct dgram_wwait *ww, fuse_req_t req)
{
	struct sfs_file *f = ww->w.f;
	struct sock *s = ww->w.s;
	unsigned char *rest;
	size_t restlen;
	int err;

	if (ww->rest) {
		ssize_t n = send(s->fd, ww->bytes, ww->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -EAGAIN;
		if (n < 0) {
			fuse_reply_err(req, errno);
			return 0;
		}
		if ((size_t)n < ww->len) {
			memmove(ww->bytes, ww->bytes + n, ww->len - (size_t)n);
			ww->len -= (size_t)n;
			return -EAGAIN;
		}
		fuse_reply_write(req, ww->size);
		return 0;
	}
	if (!ww->msgs) {
		err = dgram_send_data(s, ww->bytes, ww->len);
		if (err == -EAGAIN)
			return err;
		if (err)
			fuse_reply_err(req, -err);
		else
			fuse_reply_write(req, ww->size);
		return 0;
	}
	if (s->outq_bytes)
		return -EAGAIN; /* bytes queued by data go first */
	err = dgram_msgs_try_send(req, f, ww->bytes, ww->len, ww->size, &rest, &restlen);
	if (rest) {
		memcpy(ww->bytes, rest, restlen);
		ww->len = restlen;
		ww->rest = true;
		free(rest);
	}
	return err;
}

static bool dgram_wwait_ready(struct wait *w)
{
	struct dgram_wwait *ww = (struct dgram_wwait *)w;

	if (w->s->fd < 0 || dgram_ww_send(ww, w->req) == -EAGAIN)
		return false;
	sock_unpark(w);
	free(ww);
	return true;
}

static void dgram_wwait_cancel(struct wait *w, int err)
{
	fuse_reply_err(w->req, err);
	free(w);
}

/* buf[0..len) is what to send; size the write's size, for the reply. */
static void dgram_write_any(fuse_req_t req, struct sfs_file *f, const char *buf, size_t len,
			    size_t size, int flags, bool msgs)
{
	struct sock *s = f->s;
	struct dgram_wwait *ww;
	unsigned char *rest = NULL;
	size_t restlen = 0;
	int err;

	if (s->state == SOCK_ST_CLOSED) {
		fuse_reply_err(req, EBADF);
		return;
	}
	if (s->fd < 0) {
		fuse_reply_err(req, ENOTCONN);
		return;
	}
	if (list_empty(&s->waits[WAIT_WRITE])) {
		if (msgs)
			err = dgram_msgs_try_send(req, f, buf, len, size, &rest, &restlen);
		else
			err = dgram_send_data(s, buf, len);
		if (err != -EAGAIN) {
			if (!msgs && err)
				fuse_reply_err(req, -err);
			else if (!msgs)
				fuse_reply_write(req, size);
			return;
		}
	}
	ww = malloc(sizeof(*ww) + len);
	if (!ww) {
		free(rest);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memset(ww, 0, sizeof(*ww));
	ww->msgs = msgs;
	ww->size = size;
	if (rest) {
		memcpy(ww->bytes, rest, restlen);
		ww->len = restlen;
		ww->rest = true;
		free(rest);
	} else {
		memcpy(ww->bytes, buf, len);
		ww->len = len;
	}
	ww->w.ready = dgram_wwait_ready;
	ww->w.cancel = dgram_wwait_cancel;
	/* Part of a stream message went: the rest must follow even when the
	 * file is non-blocking. */
	ww->w.nonblock = !ww->rest && (flags & O_NONBLOCK) != 0;
	err = sock_park(s, &ww->w, WAIT_WRITE, req, f);
	if (err) {
		free(ww);
		fuse_reply_err(req, -err);
	}
}

void dgram_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	dgram_write_any(req, f, buf, size, size, flags, false);
}

/* True when buf[0..len) may be the start of a JSON message cut short by a
 * write(2) boundary: no final newline and the parser ran out of input. A
 * continuation (more) is parsed only when it can be complete: when it
 * ends with a newline or a '}'. */
static bool dgram_msgs_cut_short(const char *buf, size_t len, bool more)
{
	json_error_t jerr;
	json_t *j;
	size_t end = len;

	if (len == 0 || buf[len - 1] == '\n')
		return false;
	while (end > 0 && (buf[end - 1] == ' ' || buf[end - 1] == '\t' || buf[end - 1] == '\r'))
		end--;
	if (more && (end == 0 || buf[end - 1] != '}'))
		return true;
	j = json_loadb(buf, len, JSON_ALLOW_NUL, &jerr);
	if (j) {
		json_decref(j);
		return false;
	}
	return json_error_code(&jerr) == json_error_premature_end_of_input;
}

/* A msgs write. One JSON object per write(2); a write that ends inside
 * the object (bash's echo writes a line longer than its stdio buffer in
 * several writes) is kept with the open file and completed by the next
 * writes, up to DGRAM_PART_MAX bytes. */
void dgram_msgs_write(fuse_req_t req, struct sfs_file *f, const char *buf, size_t size, int flags)
{
	char *all;
	size_t len;

	if (!f->wpart) {
		if (!dgram_msgs_cut_short(buf, size, false)) {
			dgram_write_any(req, f, buf, size, size, flags, true);
			return;
		}
	}
	len = f->wpartlen + size;
	if (len > DGRAM_PART_MAX) {
		free(f->wpart);
		f->wpart = NULL;
		f->wpartlen = 0;
		dgram_fail(f, EMSGSIZE, "message: more than 16 MiB of JSON without its end");
		fuse_reply_err(req, EMSGSIZE);
		return;
	}
	all = realloc(f->wpart, len ? len : 1);
	if (!all) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memcpy(all + f->wpartlen, buf, size);
	f->wpart = all;
	f->wpartlen = len;
	if (dgram_msgs_cut_short(all, len, true)) {
		fuse_reply_write(req, size);
		return;
	}
	f->wpart = NULL;
	f->wpartlen = 0;
	dgram_write_any(req, f, all, len, size, flags, true);
	free(all);
}

void dgram_msgs_release(struct sfs_file *f)
{
	if (f->wpart)
		dgram_fail(f, EINVAL, "message: the file was closed before the end of its JSON");
	free(f->wpart);
	f->wpart = NULL;
	f->wpartlen = 0;
}

int dgram_disconnect(struct sock *s)
{
	struct sockaddr sa = {.sa_family = AF_UNSPEC};

	if (s->fd < 0)
		return -ENOTCONN;
	if (connect(s->fd, &sa, sizeof(sa)) < 0)
		return -errno;
	s->state = SOCK_ST_OPEN;
	{
		struct addr a = {.len = sizeof(a.u)};
		if (getsockname(s->fd, &a.u.sa, &a.len) == 0 &&
		    ((a.u.sa.sa_family == AF_INET && a.u.in.sin_port) ||
		     (a.u.sa.sa_family == AF_INET6 && a.u.in6.sin6_port) ||
		     (a.u.sa.sa_family == AF_UNIX && a.len > sizeof(sa_family_t))))
			s->state = SOCK_ST_BOUND;
	}
	return 0;
}
