/* message.c - the receive and send paths of messages: recvmsg(2) with
 * source address, flags and ancillary data (passed sockets adopted), and
 * sendmsg(2) with address, flags and passed sockets, under the policy's
 * sendto rules and the audit log. Used by `data` on datagram sockets and
 * by `msgs` on every socket; nothing here answers a request. */
#include "message.h"

#include "addr.h"
#include "asuser.h"
#include "audit.h"
#include "b64.h"
#include "names.h"
#include "policy.h"
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

/* A received descriptor: a socket becomes a sockfs socket owned by the
 * receiving socket's owner; anything else is closed. */
static json_t *message_adopt(struct sock *s, int fd)
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

static json_t *message_pktinfo(int family, const void *addr, int ifindex)
{
	char host[INET6_ADDRSTRLEN] = "";

	inet_ntop(family, addr, host, sizeof(host));
	return json_pack("{s:s, s:i}", "address", host, "ifindex", ifindex);
}

/* The ancillary data of a received message as a JSON object. Every
 * passed descriptor is adopted or closed, also when anc is NULL. */
static void message_ancillary(struct sock *s, struct msghdr *mh, json_t *anc)
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
				json_array_append_new(fds, message_adopt(s, fd));
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
					    message_pktinfo(AF_INET, &pi.ipi_addr, pi.ipi_ifindex));
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
			   dlen >= sizeof(struct in6_pktinfo)) {
			struct in6_pktinfo pi;
			memcpy(&pi, d, sizeof(pi));
			json_object_set_new(
			    anc, "pktinfo",
			    message_pktinfo(AF_INET6, &pi.ipi6_addr, (int)pi.ipi6_ifindex));
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
int message_recv(struct sock *s, unsigned char **out, size_t *outlen, json_t **msg)
{
	union {
		char buf[MESSAGE_CMSG_SIZE];
		struct cmsghdr align;
	} ctl;
	struct addr from = {.len = sizeof(from.u)};
	struct iovec iov;
	struct msghdr mh = {0};
	ssize_t len = message_next_len(s), n;
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
	/* Only unix sockets pass descriptors; packet sockets refuse the flag. */
	n = recvmsg(s->fd, &mh, MSG_DONTWAIT | (s->family == AF_UNIX ? MSG_CMSG_CLOEXEC : 0));
	if (n < 0) {
		int err = errno == EWOULDBLOCK ? EAGAIN : errno;
		free(buf);
		return -err;
	}
	if (msg) {
		json_t *anc = json_object(), *m = json_object();
		message_ancillary(s, &mh, anc);
		msg_set_payload(m, buf, (size_t)n);
		json_object_set_new(m, "address", addr_to_json(&from.u.sa, mh.msg_namelen));
		json_object_set_new(m, "flags", msg_flags_json(mh.msg_flags));
		json_object_set_new(m, "ancillary", anc);
		*msg = m;
	} else {
		message_ancillary(s, &mh, NULL);
	}
	*out = buf;
	*outlen = (size_t)n;
	return 0;
}

/* Build the SCM_RIGHTS payload from socket ids the caller owns. */
static int message_fds(fuse_req_t req, const struct msg_out *m, int *fds, char *msg, size_t msglen)
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
static int message_policy_sendto(fuse_req_t req, struct sock *s, const struct addr *to, char *msg,
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
int message_send(fuse_req_t req, struct sock *s, struct msg_out *m, size_t *sent, char *msg,
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
		err = addr_from_json_proto(m->address, s->family, s->proto, &to, &name, msg,
					   msglen);
		if (err == -EAGAIN) {
			snprintf(msg, msglen,
				 "address: msgs takes numeric addresses, not host names");
			return -EINVAL;
		}
		if (err)
			return err;
		err = message_policy_sendto(req, s, &to, msg, msglen);
		if (err)
			return err;
		mh.msg_name = &to.u;
		mh.msg_namelen = to.len;
	}
	if (m->nfds) {
		int fds[MSG_MAX_FDS];
		struct cmsghdr *c;
		err = message_fds(req, m, fds, msg, msglen);
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
	if (mh.msg_name && proto_fs_path(mh.msg_name, mh.msg_namelen)) {
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
