/* server.c - create_server's options, has_ipv6 / has_dualstack_ipv6, and
 * socketpair. */
#include "server.h"

#include "limit.h"
#include "names.h"
#include "proto.h"
#include "sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

bool server_has_ipv6(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

bool server_has_dualstack_ipv6(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0), off = 0;
	bool ok;

	if (fd < 0)
		return false;
	ok = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) == 0;
	close(fd);
	return ok;
}

int server_options(struct sock *s, bool reuse_port, bool dualstack, char *msg, size_t msglen)
{
	unsigned groups = proto_opts(s->family, s->type, s->proto);
	int one = 1, v6only = dualstack ? 0 : 1;

	if (dualstack && !(groups & PROTO_OPT_IP6)) {
		snprintf(msg, msglen, "dualstack_ipv6 needs an AF_INET6 socket");
		return -EINVAL;
	}
	/* SO_REUSEADDR and SO_REUSEPORT are about ports: IP sockets only. */
	if (!(groups & PROTO_OPT_INET)) {
		const char *fam = names_name(names_af, s->family);

		if (!reuse_port)
			return 0;
		snprintf(msg, msglen, "reuse_port: not for %s", fam ? fam : "this family");
		return -EINVAL;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuse_port && setsockopt(s->fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) {
		int err = errno;
		snprintf(msg, msglen, "SO_REUSEPORT not supported on this platform: %s",
			 strerror(err));
		return -err;
	}
	if ((groups & PROTO_OPT_IP6) &&
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0 &&
	    dualstack) {
		int err = errno;
		snprintf(msg, msglen, "dualstack_ipv6 not supported on this platform: %s",
			 strerror(err));
		return -err;
	}
	return 0;
}

int server_socketpair(struct sock *s, int family, int type, int proto, struct sock **second)
{
	int fds[2], err;
	struct sock *ns;

	if (s->fd >= 0)
		return -EISCONN;
	/* s is counted already; the second needs room too. */
	err = limit_check(s->uid);
	if (err)
		return err;
	if (socketpair(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto, fds) < 0)
		return -errno;
	ns = sock_new(s->uid, s->gid);
	if (!ns) {
		err = -ENOMEM;
		goto close_fds;
	}
	err = sock_adopt_fd(s, fds[0], family, type, proto);
	if (err) {
		close(fds[1]);
		sock_close(ns);
		return err;
	}
	err = sock_adopt_fd(ns, fds[1], family, type, proto);
	if (err) {
		sock_close_kernel(s);
		s->state = SOCK_ST_NEW;
		sock_close(ns);
		return err;
	}
	s->state = SOCK_ST_CONNECTED;
	ns->state = SOCK_ST_CONNECTED;
	*second = ns;
	return 0;
close_fds:
	close(fds[0]);
	close(fds[1]);
	return err;
}
