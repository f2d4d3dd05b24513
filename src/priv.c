/* priv.c - privileges of the calling process, not of the daemon.
 *
 * The daemon may run as root; the kernel would then allow everything.
 * What the kernel reserves for a capability is checked against the
 * process that made the request. */
#include "priv.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool priv_has_cap(pid_t pid, int cap)
{
	char path[64], line[256];
	uint64_t eff = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "CapEff:", 7)) {
			eff = strtoull(line + 7, NULL, 16);
			found = true;
			break;
		}
	}
	fclose(f);
	return found && cap >= 0 && cap < 64 && (eff >> cap) & 1;
}

int priv_socket(pid_t pid, int family, int type, int proto, char *msg, size_t msglen)
{
	bool raw = type == SOCK_RAW || family == AF_PACKET;

#ifdef SOCK_PACKET
	raw = raw || type == SOCK_PACKET;
#endif
	if (!raw || priv_has_cap(pid, CAP_NET_RAW))
		return 0;
	snprintf(msg, msglen, "%s sockets need CAP_NET_RAW, which the calling process lacks",
		 family == AF_PACKET ? "AF_PACKET" : "raw");
	return -EPERM;
}

static int priv_unprivileged_port_start(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	int v = 1024;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 1024;
		fclose(f);
	}
	return v;
}

int priv_bind(pid_t pid, const struct addr *a, char *msg, size_t msglen)
{
	int port, start;

	if (a->u.sa.sa_family == AF_INET)
		port = ntohs(a->u.in.sin_port);
	else if (a->u.sa.sa_family == AF_INET6)
		port = ntohs(a->u.in6.sin6_port);
	else
		return 0;
	if (port == 0)
		return 0;
	start = priv_unprivileged_port_start();
	if (port >= start || priv_has_cap(pid, CAP_NET_BIND_SERVICE))
		return 0;
	snprintf(msg, msglen,
		 "port %d is below %d (net.ipv4.ip_unprivileged_port_start): binding it needs "
		 "CAP_NET_BIND_SERVICE, which the calling process lacks",
		 port, start);
	return -EACCES;
}

static bool priv_net_admin(pid_t pid)
{
	return priv_has_cap(pid, CAP_NET_ADMIN) || priv_has_cap(pid, CAP_NET_RAW);
}

int priv_sockopt(pid_t pid, int fd, int level, int optname, long ival, char *msg, size_t msglen)
{
	const char *what = NULL;

	if (level != SOL_SOCKET)
		return 0;
	switch (optname) {
	case SO_MARK:
		what = "SO_MARK";
		break;
	case SO_RCVBUFFORCE:
		what = "SO_RCVBUFFORCE";
		break;
	case SO_SNDBUFFORCE:
		what = "SO_SNDBUFFORCE";
		break;
	case SO_PRIORITY:
		if (ival < 0 || ival > 6)
			what = "SO_PRIORITY outside 0..6";
		break;
	case SO_BINDTODEVICE: {
		int idx = 0;
		socklen_t len = sizeof(idx);
		/* The kernel lets anybody bind an unbound socket to a device,
		 * but only CAP_NET_RAW change it. */
		if (fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx, &len) == 0 && idx)
			what = "SO_BINDTODEVICE on a socket bound to a device";
		if (what && !priv_has_cap(pid, CAP_NET_RAW)) {
			snprintf(msg, msglen, "%s needs CAP_NET_RAW, which the calling process lacks",
				 what);
			return -EPERM;
		}
		return 0;
	}
	default:
		return 0;
	}
	if (!what || priv_net_admin(pid))
		return 0;
	snprintf(msg, msglen, "%s needs CAP_NET_ADMIN, which the calling process lacks", what);
	return -EPERM;
}

/* Without CAP_NET_ADMIN the kernel lets a process choose only the
 * congestion controls in net.ipv4.tcp_allowed_congestion_control (with it,
 * any, loading its module: "tcp_NAME"). */
static int priv_tcp_congestion(pid_t pid, const char *name, char *msg, size_t msglen)
{
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_allowed_congestion_control", "re");
	char list[512] = "", *tok, *save;

	if (f) {
		if (!fgets(list, sizeof(list), f))
			list[0] = 0;
		fclose(f);
	}
	for (tok = strtok_r(list, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, name))
			return 0;
	if (priv_has_cap(pid, CAP_NET_ADMIN))
		return 0;
	snprintf(msg, msglen,
		 "TCP_CONGESTION \"%.32s\" is not in net.ipv4.tcp_allowed_congestion_control: "
		 "it needs CAP_NET_ADMIN, which the calling process lacks",
		 name);
	return -EPERM;
}

int priv_sockopts(pid_t pid, int fd, json_t *obj, char *msg, size_t msglen)
{
	static const struct {
		const char *name;
		int optname;
	} opts[] = {
	    {"SO_MARK", SO_MARK},
	    {"SO_PRIORITY", SO_PRIORITY},
	    {"SO_RCVBUFFORCE", SO_RCVBUFFORCE},
	    {"SO_SNDBUFFORCE", SO_SNDBUFFORCE},
	    {"SO_BINDTODEVICE", SO_BINDTODEVICE},
	};
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return 0;
	json_object_foreach(obj, key, v)
	{
		if (!strcmp(key, "TCP_CONGESTION") && json_is_string(v)) {
			int err = priv_tcp_congestion(pid, json_string_value(v), msg, msglen);
			if (err)
				return err;
		}
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
			long ival = json_is_integer(v) ? (long)json_integer_value(v) : 0;
			int err;
			if (strcmp(key, opts[i].name))
				continue;
			err = priv_sockopt(pid, fd, SOL_SOCKET, opts[i].optname, ival, msg, msglen);
			if (err)
				return err;
		}
	}
	return 0;
}
