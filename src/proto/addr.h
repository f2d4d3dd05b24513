/* addr.h - socket addresses <-> JSON, in the socket module's shapes (proto.c, through the table).
 */
#ifndef SOCKFS_ADDR_H
#define SOCKFS_ADDR_H

#include <jansson.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

struct addr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
		struct sockaddr_storage ss;
	} u;
	socklen_t len;
};

/* A host name that still needs resolving (not a numeric address). */
struct addr_name {
	char host[256];
	int port;
	unsigned flowinfo;
	unsigned scope_id;
	int family; /* AF_INET, AF_INET6 or AF_UNSPEC when the caller did not fix it */
};

/*
 * Convert a JSON address, written as Python's socket module writes it:
 *   AF_INET:  ["host", port]            host "" = INADDR_ANY, "<broadcast>"
 *   AF_INET6: ["host", port] or ["host", port, flowinfo, scope_id];
 *             host may carry "%ifname" or "%index" as scope; "" = in6addr_any
 *   AF_UNIX:  "path" (filesystem), "\u0000name" (Linux abstract namespace),
 *             "" (unnamed / autobind when binding)
 * family: the socket's family, or AF_UNSPEC to infer it (a JSON string means
 * AF_UNIX; an array whose host parses as IPv4 means AF_INET, as IPv6 AF_INET6).
 *
 * Returns 0 with *out filled for a numeric address;
 * -EAGAIN with *name filled when the host is a name that must be resolved
 *   (name->family is the socket's family or AF_UNSPEC);
 * -EINVAL (or -EAFNOSUPPORT for a family with no entry or no JSON form,
 *   -ENAMETOOLONG for a unix path too long) with a one-line reason in err[errlen].
 */
int addr_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name, char *err,
		   size_t errlen);

/* The same for a socket of protocol proto (Bluetooth's forms depend on it). */
int addr_from_json_proto(const json_t *j, int family, int proto, struct addr *out,
			 struct addr_name *name, char *err, size_t errlen);

/* JSON for a sockaddr in the module's shapes: AF_INET [host,port],
 * AF_INET6 [host,port,flowinfo,scope_id], AF_UNIX string (abstract with a
 * leading "\u0000", unnamed ""), others {"family": "AF_X", "raw": base64}
 * (also when the address is too short or not UTF-8 for its form).
 * len 0 (nothing bound / not connected) gives json null. New reference. */
json_t *addr_to_json(const struct sockaddr *sa, socklen_t len);

#endif
