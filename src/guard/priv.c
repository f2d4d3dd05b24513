/* priv.c - privileges of the calling process, not of the daemon.
 *
 * The daemon may run as root; the kernel would then allow everything.
 * What the kernel reserves for a capability is checked against the
 * process that made the request. */
#include "priv.h"

#include "proto.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Capabilities count only in the user namespace the process is in and
 * its descendants: a process that made its own user namespace shows every
 * capability in /proc/PID/status, but holds them over nothing of the
 * daemon's. Is pid's user namespace the owner of the daemon's namespace ns
 * ("net", "uts") or an ancestor of that owner? */
static bool priv_ns_covers(pid_t pid, const char *ns)
{
	char path[64];
	struct stat caller, st;
	bool found = false;
	int fd, up;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (stat(path, &caller) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	up = ioctl(fd, NS_GET_USERNS);
	close(fd);
	if (up < 0) {
		/* No namespace ioctls: the daemon's own user namespace. */
		return stat("/proc/self/ns/user", &st) == 0 && st.st_dev == caller.st_dev &&
		       st.st_ino == caller.st_ino;
	}
	/* Up the chain of parents (at most 33 user namespaces deep). */
	for (fd = up; fd >= 0; fd = up) {
		found =
		    fstat(fd, &st) == 0 && st.st_dev == caller.st_dev && st.st_ino == caller.st_ino;
		up = found ? -1 : ioctl(fd, NS_GET_PARENT);
		close(fd);
	}
	return found;
}

static bool priv_cap_bit(pid_t pid, int cap);

bool priv_has_cap_ns(pid_t pid, int cap, const char *ns)
{
	return priv_cap_bit(pid, cap) && priv_ns_covers(pid, ns);
}

bool priv_has_cap(pid_t pid, int cap)
{
	return priv_has_cap_ns(pid, cap, "net");
}

static bool priv_cap_bit(pid_t pid, int cap)
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
	const char *why;
	int err;

	/* Every kernel socket is made past here: a family without an entry in
	 * the protocol table is refused. AF_UNSPEC is "not known yet" (new
	 * without a family); the check comes with the first bind/connect. */
	if (family != AF_UNSPEC) {
		err = proto_check_create(family, type, proto, msg, msglen);
		if (err)
			return err;
	}
	why = proto_net_raw(family, type, proto);
	if (!why || priv_has_cap(pid, CAP_NET_RAW))
		return 0;
	snprintf(msg, msglen, "%s sockets need CAP_NET_RAW, which the calling process lacks", why);
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
	int port = proto_port(&a->u.sa, a->len), start;

	if (port <= 0)
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

/* True when name is in net.ipv4.tcp_allowed_congestion_control. */
static bool priv_congestion_allowed(const char *name)
{
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_allowed_congestion_control", "re");
	char line[1024], *save = NULL;
	bool ok = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f))
		for (char *t = strtok_r(line, " \t\n", &save); t && !ok;
		     t = strtok_r(NULL, " \t\n", &save))
			ok = !strcmp(t, name);
	fclose(f);
	return ok;
}

static bool priv_net_admin(pid_t pid)
{
	return priv_has_cap(pid, CAP_NET_ADMIN) || priv_has_cap(pid, CAP_NET_RAW);
}

int priv_sockopt(pid_t pid, int fd, int level, int optname, const void *val, socklen_t len,
		 char *msg, size_t msglen)
{
	long ival = len >= sizeof(int) ? *(const int *)val : 0;
	const char *what = NULL;
	int err = -EPERM;

	if (level == IPPROTO_TCP && optname == TCP_CONGESTION) {
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)len, (const char *)val);
		if (priv_congestion_allowed(name) || priv_has_cap(pid, CAP_NET_ADMIN))
			return 0;
		snprintf(msg, msglen,
			 "TCP_CONGESTION: %.64s is not in net.ipv4.tcp_allowed_congestion_control: "
			 "it needs "
			 "CAP_NET_ADMIN, which the calling process lacks",
			 name);
		return -EPERM;
	}

	if (level == SOL_SOCKET) {
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
		case SO_DEBUG:
			/* The kernel answers EACCES here, not EPERM. */
			if (ival && !priv_has_cap(pid, CAP_NET_ADMIN)) {
				snprintf(msg, msglen,
					 "SO_DEBUG needs CAP_NET_ADMIN, which the calling process "
					 "lacks");
				return -EACCES;
			}
			return 0;
		case SO_BINDTODEVICE:
#ifdef SO_BINDTOIFINDEX
		case SO_BINDTOIFINDEX:
#endif
		{
			int idx = 0;
			socklen_t len = sizeof(idx);
			/* The kernel lets anybody bind an unbound socket to a
			 * device, but only CAP_NET_RAW change it. */
			if (fd >= 0 &&
			    getsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx, &len) == 0 && idx &&
			    !priv_has_cap(pid, CAP_NET_RAW)) {
				snprintf(msg, msglen,
					 "SO_BINDTODEVICE on a socket bound to a device needs "
					 "CAP_NET_RAW, which the calling process lacks");
				return -EPERM;
			}
			return 0;
		}
		default:
			return 0;
		}
	} else if ((level == IPPROTO_IP && optname == IP_TRANSPARENT) ||
		   (level == IPPROTO_IPV6 && optname == IPV6_TRANSPARENT)) {
		if (ival)
			what = level == IPPROTO_IP ? "IP_TRANSPARENT" : "IPV6_TRANSPARENT";
	}
	if (!what || priv_net_admin(pid))
		return 0;
	snprintf(msg, msglen,
		 "%s needs CAP_NET_ADMIN or CAP_NET_RAW, which the calling process lacks", what);
	return err;
}
