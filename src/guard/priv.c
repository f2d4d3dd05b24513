/* priv.c - what the daemon checks itself about a caller's privileges.
 *
 * The kernel checks socket calls against the caller (they run with its
 * credentials, caller.h); what is left here is what the kernel cannot
 * see: the protocol table. */
#include "priv.h"

#include "proto.h"

#include <sys/socket.h>

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
