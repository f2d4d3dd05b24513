/* proto.h - the protocol table: one struct proto per address family, as Plan 9's devip Proto. */
#ifndef SOCKFS_PROTO_H
#define SOCKFS_PROTO_H

#include "addr.h"
#include "names.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* The option groups of sock/opts.c; an entry says which ones its sockets take. */
enum proto_opt {
	PROTO_OPT_INET = 1 << 0,    /* IP of either version (SO_REUSEPORT) */
	PROTO_OPT_IP4 = 1 << 1,	    /* IPPROTO_IP */
	PROTO_OPT_IP6 = 1 << 2,	    /* IPPROTO_IPV6 */
	PROTO_OPT_TCP = 1 << 3,	    /* IPPROTO_TCP, on TCP sockets */
	PROTO_OPT_UNIX = 1 << 4,    /* SO_PEERCRED */
	PROTO_OPT_UDPLITE = 1 << 5, /* SOL_UDPLITE, on IPPROTO_UDPLITE sockets */
	PROTO_OPT_MCAST4 = 1 << 6,  /* IP_MULTICAST_*, on IPv4 datagram and raw sockets */
	PROTO_OPT_MCAST6 = 1 << 7,  /* IPV6_MULTICAST_*, on IPv6 datagram and raw sockets */
	PROTO_OPT_NETLINK = 1 << 8, /* SOL_NETLINK */
	PROTO_OPT_PACKET = 1 << 9,  /* SOL_PACKET */
	PROTO_OPT_VSOCK = 1 << 10,  /* SO_VM_* (level AF_VSOCK) */
	PROTO_OPT_ALG = 1 << 11,    /* SOL_ALG */
	PROTO_OPT_CAN = 1 << 12,    /* SOL_CAN_RAW, on CAN_RAW sockets */
	PROTO_OPT_TIPC = 1 << 13,   /* SOL_TIPC */
	PROTO_OPT_RDS = 1 << 14,    /* SOL_RDS */
	PROTO_OPT_RAW4 = 1 << 15,   /* IP_HDRINCL, on IPv4 raw sockets */
};

/*
 * What sockfs knows of one address family. The sockaddr ops get
 * len >= sizeof(sa_family_t) and an address of the entry's family; an op
 * left NULL gives the default its comment names. Callers use the proto_*
 * functions below, which dispatch and apply the defaults.
 */
struct proto {
	int family;	  /* AF_INET */
	const char *name; /* "AF_INET" */
	const char *form; /* its JSON address form, for messages: "[\"host\", port]" */
	/* JSON -> *out; family: the entry's, or AF_UNSPEC to infer. 0, -EAGAIN (*name), -errno. */
	int (*from_json)(const json_t *j, int family, struct addr *out, struct addr_name *name,
			 char *msg, size_t msglen);
	/* The same for a socket of protocol proto, when the form depends on it (Bluetooth).
	 * NULL: from_json. */
	int (*from_json_proto)(const json_t *j, int proto, struct addr *out, char *msg,
			       size_t msglen);
	/* sockaddr -> JSON in the form above (a new reference). */
	json_t *(*to_json)(const struct sockaddr *sa, socklen_t len);
	/* Is the address bound (inet: it has a port; unix: a name)? NULL: no. */
	bool (*bound)(const struct sockaddr *sa, socklen_t len);
	/* Its port (0: none chosen), for the low-port check and the policy. NULL: -1, none. */
	int (*port)(const struct sockaddr *sa, socklen_t len);
	/* Its IP for the policy's CIDR rules: AF_INET/AF_INET6, bytes in ip. NULL: 0, none. */
	int (*ip)(const struct sockaddr *sa, socklen_t len, unsigned char ip[16]);
	/* Its name for the policy's path rules (unix: "/p", "\0name", ""). NULL: false, none. */
	bool (*path)(const struct sockaddr *sa, socklen_t len, const char **p, size_t *n);
	/* Is it a filesystem path, used with the caller's filesystem rights? NULL: no. */
	bool (*fs_path)(const struct sockaddr *sa, socklen_t len);
	/* Is `data` of a (type, proto) socket a byte stream? NULL: type == SOCK_STREAM. */
	bool (*stream)(int type, int proto);
	/* The option groups (enum proto_opt bits) a (type, proto) socket takes. NULL: none. */
	unsigned (*opts)(int type, int proto);
	/* Why a (type, proto) socket needs CAP_NET_RAW ("raw"), or NULL. NULL: SOCK_RAW does. */
	const char *(*net_raw)(int type, int proto);
	/* accept takes a bound socket, without listen (AF_ALG's operation sockets). */
	bool accept_bound;
	/* Its protocol names for `new`/`socket` ("NETLINK_ROUTE"), or NULL: IPPROTO_*. */
	const struct names_entry *protos;
};

/* The entries, one file each (inet.c has both IP versions). */
extern const struct proto proto_inet, proto_inet6, proto_unix, proto_netlink, proto_packet;
extern const struct proto proto_vsock, proto_alg, proto_can, proto_tipc, proto_rds, proto_qipcrtr;
extern const struct proto proto_bluetooth;

/* The entry of a family, or NULL when this build has none. */
const struct proto *proto_find(int family);
/* -EAFNOSUPPORT with "address family AF_X is not supported; this build knows AF_INET, ...". */
int proto_unsupported(int family, char *msg, size_t msglen);
/* May a socket of (family, type, proto) be made? 0, proto_unsupported's answer, or
 * -EAFNOSUPPORT "this kernel has no AF_X" for a family this build knows and the kernel lacks. */
int proto_check_create(int family, int type, int proto, char *msg, size_t msglen);
/* The protocol named name for a socket of family (its entry's names, then IPPROTO_*):
 * 0 and *out, or -EINVAL with msg listing the names. */
int proto_protocol(int family, const char *name, int *out, char *msg, size_t msglen);

/* The ops for an address (any family, NULL or too short: the defaults). */
bool proto_bound(const struct sockaddr *sa, socklen_t len);
int proto_port(const struct sockaddr *sa, socklen_t len);
int proto_ip(const struct sockaddr *sa, socklen_t len, unsigned char ip[16]);
bool proto_path(const struct sockaddr *sa, socklen_t len, const char **p, size_t *n);
bool proto_fs_path(const struct sockaddr *sa, socklen_t len);
/* The ops for a socket of (family, type, proto), any family. */
bool proto_stream(int family, int type, int proto);
unsigned proto_opts(int family, int type, int proto);
const char *proto_net_raw(int family, int type, int proto);
bool proto_accept_bound(int family);

/* For the entries. */
/* {"family": "AF_X" or its number, "raw": base64 of the whole sockaddr}; NULL on ENOMEM. */
json_t *proto_raw_to_json(const struct sockaddr *sa, socklen_t len);
/* The from_json of a family without a JSON address form: -EAFNOSUPPORT with msg. */
int proto_raw_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			char *msg, size_t msglen);
/* The raw form's description, for .form. */
#define PROTO_RAW_FORM "{\"family\": \"AF_X\", \"raw\": base64} (replies only)"
/* An unsigned integer element of an address in [0, max], or a name from names (may be NULL).
 * what names it in the message. 0 or -EINVAL. */
int proto_get_uint(const json_t *j, unsigned long long max, const struct names_entry *names,
		   const char *what, unsigned long long *out, char *msg, size_t msglen);
/* The array of an address form: n elements (min..max); -EINVAL naming the family's form. */
int proto_check_array(const json_t *j, const struct proto *p, size_t min, size_t max, char *msg,
		      size_t msglen);
/* {"bytes": base64} (also accepted: "aa:bb:..", hex bytes joined by ':') into buf. */
int proto_get_bytes(const json_t *j, const char *what, unsigned char *buf, size_t max, size_t *n,
		    char *msg, size_t msglen);
json_t *proto_bytes_json(const void *p, size_t n);
/* Format msg (when there is room) and return -EINVAL. */
__attribute__((format(printf, 3, 4))) int proto_err(char *msg, size_t msglen, const char *fmt, ...);
/* "an array", "a string", ...: what a JSON value is, for messages. */
const char *proto_json_type(const json_t *j);

#endif
