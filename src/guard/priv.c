/* priv.c - what the daemon checks itself about a caller's privileges.
 *
 * The kernel checks socket calls against the caller (they run with its
 * credentials, caller.h); what is left here is what the kernel cannot
 * see: the protocol table, and capabilities over a namespace for work the
 * daemon does itself (netdb). */
#include "priv.h"

#include "proto.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
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

int priv_socket(int family, int type, int proto, char *msg, size_t msglen)
{
	/* Every kernel socket is made past here: a family without an entry in
	 * the protocol table is refused. AF_UNSPEC is "not known yet" (new
	 * without a family); the check comes with the first bind/connect.
	 * Capabilities (SOCK_RAW, AF_PACKET, ...) are the kernel's to check:
	 * the socket is made with the caller's credentials. */
	if (family == AF_UNSPEC)
		return 0;
	return proto_check_create(family, type, proto, msg, msglen);
}
