/* opts.c - socket options by the socket module's names, from one table,
 * and numeric (level, optname) access to any option the kernel knows.
 *
 * Writes are checked whole before anything is applied: every name must be
 * known and apply to the socket, every value must have the option's type,
 * and the caller must hold the privileges the option needs. Then entries
 * are applied in order; a kernel failure stops there and the error lists
 * what was applied before it. */
#include "opts.h"

#include "b64.h"
#include "names.h"
#include "caller.h"
#include "proto.h"
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/can/raw.h>
#include <linux/if_alg.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rds.h>
#include <linux/tipc.h>
#include <linux/vm_sockets.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef SOL_UDPLITE
#define SOL_UDPLITE 136
#endif
#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV 10
#define UDPLITE_RECV_CSCOV 11
#endif

enum opts_type {
	OPTS_INT,
	OPTS_BOOL,
	OPTS_LINGER,
	OPTS_STRING,
	OPTS_TIMEVAL, /* seconds, as a JSON number */
	OPTS_BYTES,   /* {"base64": "..."} */
	OPTS_CRED,    /* struct ucred as {"pid", "uid", "gid"}, read-only */
	OPTS_U64,     /* an unsigned 64-bit integer (SO_VM_*) */
	OPTS_MREQ,    /* struct ip_mreqn as {"multiaddr", "interface"}, write-only */
	OPTS_MREQ6,   /* struct ipv6_mreq as {"multiaddr", "interface"}, write-only */
	OPTS_PMREQ,   /* struct packet_mreq as {"interface", "type", "address"}, write-only */
	OPTS_LEN,     /* the value is the option's length, no data (ALG_SET_AEAD_AUTHSIZE) */
};

/* Which sockets an option applies to: all, or a group of the protocol
 * table's (proto_opts says which groups a socket takes). */
#define OPTS_ANY     0
#define OPTS_INET    PROTO_OPT_INET
#define OPTS_IP4     PROTO_OPT_IP4
#define OPTS_IP6     PROTO_OPT_IP6
#define OPTS_TCP     PROTO_OPT_TCP
#define OPTS_UNIX    PROTO_OPT_UNIX
#define OPTS_UDPLITE PROTO_OPT_UDPLITE
#define OPTS_MCAST4  PROTO_OPT_MCAST4
#define OPTS_MCAST6  PROTO_OPT_MCAST6
#define OPTS_NETLINK PROTO_OPT_NETLINK
#define OPTS_PACKET  PROTO_OPT_PACKET
#define OPTS_VSOCK   PROTO_OPT_VSOCK
#define OPTS_ALG     PROTO_OPT_ALG
#define OPTS_CAN     PROTO_OPT_CAN
#define OPTS_TIPC    PROTO_OPT_TIPC
#define OPTS_RDS     PROTO_OPT_RDS
#define OPTS_RAW4    PROTO_OPT_RAW4

struct opts_entry {
	const char *name;
	int level, optname;
	enum opts_type type;
	int applies;
	bool readonly;
};

#define O(lvl, opt, type, applies, ro)                                                             \
	{                                                                                          \
#opt, lvl, opt, type, applies, ro                                                  \
	}

static const struct opts_entry opts_table[] = {
    O(SOL_SOCKET, SO_ACCEPTCONN, OPTS_BOOL, OPTS_ANY, true),
    O(SOL_SOCKET, SO_BROADCAST, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_DEBUG, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_DOMAIN, OPTS_INT, OPTS_ANY, true),
    O(SOL_SOCKET, SO_DONTROUTE, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_ERROR, OPTS_INT, OPTS_ANY, true),
    O(SOL_SOCKET, SO_KEEPALIVE, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_LINGER, OPTS_LINGER, OPTS_ANY, false),
    O(SOL_SOCKET, SO_OOBINLINE, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_PRIORITY, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_PROTOCOL, OPTS_INT, OPTS_ANY, true),
    O(SOL_SOCKET, SO_RCVBUF, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_RCVLOWAT, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_REUSEADDR, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_REUSEPORT, OPTS_BOOL, OPTS_INET, false),
    O(SOL_SOCKET, SO_SNDBUF, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_TYPE, OPTS_INT, OPTS_ANY, true),
    O(IPPROTO_TCP, TCP_NODELAY, OPTS_BOOL, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_MAXSEG, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_KEEPIDLE, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_KEEPINTVL, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_KEEPCNT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_QUICKACK, OPTS_BOOL, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_USER_TIMEOUT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_NOTSENT_LOWAT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_CONGESTION, OPTS_STRING, OPTS_TCP, false),
    O(IPPROTO_IP, IP_TOS, OPTS_INT, OPTS_IP4, false),
    O(IPPROTO_IP, IP_TTL, OPTS_INT, OPTS_IP4, false),
    O(IPPROTO_IPV6, IPV6_V6ONLY, OPTS_BOOL, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_UNICAST_HOPS, OPTS_INT, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_TCLASS, OPTS_INT, OPTS_IP6, false),
    /* Issue 4: the rest of the socket module's options on Linux. */
    O(SOL_SOCKET, SO_RCVTIMEO, OPTS_TIMEVAL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_SNDTIMEO, OPTS_TIMEVAL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_SNDLOWAT, OPTS_INT, OPTS_ANY, true),
    O(SOL_SOCKET, SO_BINDTODEVICE, OPTS_STRING, OPTS_ANY, false),
    O(SOL_SOCKET, SO_MARK, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_INCOMING_CPU, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_TIMESTAMP, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_TIMESTAMPNS, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_PASSCRED, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_PASSSEC, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_PEERCRED, OPTS_CRED, OPTS_UNIX, true),
    O(IPPROTO_TCP, TCP_CORK, OPTS_BOOL, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_SYNCNT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_LINGER2, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_DEFER_ACCEPT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_WINDOW_CLAMP, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_FASTOPEN, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_INFO, OPTS_BYTES, OPTS_TCP, true),
    O(IPPROTO_IP, IP_MULTICAST_TTL, OPTS_INT, OPTS_MCAST4, false),
    O(IPPROTO_IP, IP_MULTICAST_LOOP, OPTS_BOOL, OPTS_MCAST4, false),
    O(IPPROTO_IP, IP_RECVTOS, OPTS_BOOL, OPTS_IP4, false),
    O(IPPROTO_IP, IP_RECVTTL, OPTS_BOOL, OPTS_IP4, false),
    O(IPPROTO_IP, IP_RECVOPTS, OPTS_BOOL, OPTS_IP4, false),
    O(IPPROTO_IP, IP_RECVERR, OPTS_BOOL, OPTS_IP4, false),
    O(IPPROTO_IP, IP_PKTINFO, OPTS_BOOL, OPTS_IP4, false),
    O(IPPROTO_IP, IP_FREEBIND, OPTS_BOOL, OPTS_IP4, false),
    O(IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, OPTS_BOOL, OPTS_IP4, false),
    O(IPPROTO_IP, IP_MTU_DISCOVER, OPTS_INT, OPTS_IP4, false),
    O(IPPROTO_IP, IP_MTU, OPTS_INT, OPTS_IP4, true),
    O(IPPROTO_IP, IP_OPTIONS, OPTS_BYTES, OPTS_IP4, false),
    O(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, OPTS_INT, OPTS_MCAST6, false),
    O(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, OPTS_BOOL, OPTS_MCAST6, false),
    O(IPPROTO_IPV6, IPV6_RECVPKTINFO, OPTS_BOOL, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_RECVTCLASS, OPTS_BOOL, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, OPTS_BOOL, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_RECVERR, OPTS_BOOL, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_DONTFRAG, OPTS_BOOL, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_MTU_DISCOVER, OPTS_INT, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_MTU, OPTS_INT, OPTS_IP6, true),
    O(SOL_UDPLITE, UDPLITE_SEND_CSCOV, OPTS_INT, OPTS_UDPLITE, false),
    O(SOL_UDPLITE, UDPLITE_RECV_CSCOV, OPTS_INT, OPTS_UDPLITE, false),
    /* Issue 14: multicast membership by structured values, and the other families. */
    O(IPPROTO_IP, IP_ADD_MEMBERSHIP, OPTS_MREQ, OPTS_MCAST4, false),
    O(IPPROTO_IP, IP_DROP_MEMBERSHIP, OPTS_MREQ, OPTS_MCAST4, false),
    O(IPPROTO_IP, IP_HDRINCL, OPTS_BOOL, OPTS_RAW4, false),
    O(IPPROTO_IPV6, IPV6_JOIN_GROUP, OPTS_MREQ6, OPTS_MCAST6, false),
    O(IPPROTO_IPV6, IPV6_LEAVE_GROUP, OPTS_MREQ6, OPTS_MCAST6, false),
    O(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, OPTS_INT, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, OPTS_INT, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_PKTINFO, OPTS_BOOL, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_BROADCAST_ERROR, OPTS_BOOL, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_NO_ENOBUFS, OPTS_BOOL, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, OPTS_BOOL, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, OPTS_BYTES, OPTS_NETLINK, true),
    O(SOL_NETLINK, NETLINK_CAP_ACK, OPTS_BOOL, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_EXT_ACK, OPTS_BOOL, OPTS_NETLINK, false),
    O(SOL_NETLINK, NETLINK_GET_STRICT_CHK, OPTS_BOOL, OPTS_NETLINK, false),
    O(SOL_PACKET, PACKET_ADD_MEMBERSHIP, OPTS_PMREQ, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_DROP_MEMBERSHIP, OPTS_PMREQ, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_AUXDATA, OPTS_BOOL, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_ORIGDEV, OPTS_BOOL, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_IGNORE_OUTGOING, OPTS_BOOL, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_QDISC_BYPASS, OPTS_BOOL, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_LOSS, OPTS_BOOL, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_VERSION, OPTS_INT, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_RESERVE, OPTS_INT, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_TIMESTAMP, OPTS_INT, OPTS_PACKET, false),
    O(SOL_PACKET, PACKET_FANOUT, OPTS_INT, OPTS_PACKET, false),
    O(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, OPTS_U64, OPTS_VSOCK, false),
    O(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MIN_SIZE, OPTS_U64, OPTS_VSOCK, false),
    O(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, OPTS_U64, OPTS_VSOCK, false),
    O(AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, OPTS_TIMEVAL, OPTS_VSOCK, false),
    O(SOL_ALG, ALG_SET_KEY, OPTS_BYTES, OPTS_ALG, false),
    O(SOL_ALG, ALG_SET_AEAD_AUTHSIZE, OPTS_LEN, OPTS_ALG, false),
    O(SOL_CAN_RAW, CAN_RAW_FILTER, OPTS_BYTES, OPTS_CAN, false),
    O(SOL_CAN_RAW, CAN_RAW_ERR_FILTER, OPTS_INT, OPTS_CAN, false),
    O(SOL_CAN_RAW, CAN_RAW_LOOPBACK, OPTS_BOOL, OPTS_CAN, false),
    O(SOL_CAN_RAW, CAN_RAW_RECV_OWN_MSGS, OPTS_BOOL, OPTS_CAN, false),
    O(SOL_CAN_RAW, CAN_RAW_FD_FRAMES, OPTS_BOOL, OPTS_CAN, false),
    O(SOL_CAN_RAW, CAN_RAW_JOIN_FILTERS, OPTS_BOOL, OPTS_CAN, false),
    O(SOL_TIPC, TIPC_IMPORTANCE, OPTS_INT, OPTS_TIPC, false),
    O(SOL_TIPC, TIPC_SRC_DROPPABLE, OPTS_BOOL, OPTS_TIPC, false),
    O(SOL_TIPC, TIPC_DEST_DROPPABLE, OPTS_BOOL, OPTS_TIPC, false),
    O(SOL_TIPC, TIPC_CONN_TIMEOUT, OPTS_INT, OPTS_TIPC, false),
    O(SOL_TIPC, TIPC_NODE_RECVQ_DEPTH, OPTS_INT, OPTS_TIPC, true),
    O(SOL_TIPC, TIPC_SOCK_RECVQ_DEPTH, OPTS_INT, OPTS_TIPC, true),
    O(SOL_RDS, RDS_RECVERR, OPTS_BOOL, OPTS_RDS, false),
    O(SOL_RDS, RDS_CONG_MONITOR, OPTS_BOOL, OPTS_RDS, false),
};

#define OPTS_COUNT (sizeof(opts_table) / sizeof(opts_table[0]))

/* Option levels by name, for the numeric access: names_sol (SOL_*, IPPROTO_*). */
#define opts_levels names_sol

#define OPTS_BYTES_MAX 1024

static bool opts_applies(const struct opts_entry *o, struct sock *s)
{
	return o->applies == OPTS_ANY ||
	       (proto_opts(s->family, s->type, s->proto) & (unsigned)o->applies) != 0;
}

static const struct opts_entry *opts_find(const char *name)
{
	for (size_t i = 0; i < OPTS_COUNT; i++)
		if (!strcmp(opts_table[i].name, name))
			return &opts_table[i];
	return NULL;
}

static json_t *opts_bytes_json(const void *p, size_t n)
{
	char *b = b64_encode(p, n);
	json_t *j = b ? json_pack("{s:s}", "base64", b) : NULL;

	free(b);
	return j;
}

static json_t *opts_read(struct sock *s, const struct opts_entry *o)
{
	union {
		int i;
		struct linger l;
		struct timeval tv;
		char str[OPTS_BYTES_MAX];
		struct ucred cred;
		unsigned long long u64;
	} v;
	socklen_t len = sizeof(v);

	if (o->type == OPTS_MREQ || o->type == OPTS_MREQ6 || o->type == OPTS_PMREQ ||
	    o->type == OPTS_LEN)
		return NULL; /* write-only */
	memset(&v, 0, sizeof(v));
	if (getsockopt(s->fd, o->level, o->optname, &v, &len) < 0)
		return NULL;
	switch (o->type) {
	case OPTS_BOOL:
		return json_boolean(v.i);
	case OPTS_LINGER:
		return json_pack("{s:b, s:i}", "onoff", v.l.l_onoff, "linger", v.l.l_linger);
	case OPTS_STRING:
		return json_stringn(v.str, strnlen(v.str, len));
	case OPTS_TIMEVAL:
		return json_real((double)v.tv.tv_sec + (double)v.tv.tv_usec / 1e6);
	case OPTS_BYTES:
		return opts_bytes_json(v.str, len);
	case OPTS_CRED:
		return json_pack("{s:i, s:i, s:i}", "pid", (int)v.cred.pid, "uid", (int)v.cred.uid,
				 "gid", (int)v.cred.gid);
	case OPTS_U64:
		return json_integer((json_int_t)v.u64);
	default:
		return json_integer(v.i);
	}
}

json_t *opts_get(struct sock *s)
{
	json_t *obj = json_object();

	if (!obj || s->fd < 0)
		return obj;
	for (size_t i = 0; i < OPTS_COUNT; i++) {
		json_t *v;
		if (!opts_applies(&opts_table[i], s))
			continue;
		v = opts_read(s, &opts_table[i]);
		if (v)
			json_object_set_new(obj, opts_table[i].name, v);
	}
	return obj;
}

/* A value ready for setsockopt. */
struct opts_val {
	union {
		int i;
		struct linger l;
		struct timeval tv;
		unsigned long long u64;
		struct ip_mreqn mreq;
		struct ipv6_mreq mreq6;
		struct packet_mreq pmreq;
	} u;
	const void *p;
	socklen_t len;
	unsigned char *owned; /* decoded bytes */
};

static void opts_val_free(struct opts_val *v)
{
	free(v->owned);
	v->owned = NULL;
}

static int opts_bytes_value(json_t *j, struct opts_val *v)
{
	const char *text;
	size_t n;

	if (json_is_object(j) && json_unpack(j, "{s:s}", "base64", &text) == 0)
		;
	else if (json_is_string(j))
		text = json_string_value(j);
	else
		return -EINVAL;
	if (b64_decode(text, strlen(text), &v->owned, &n))
		return -EINVAL;
	v->p = v->owned;
	v->len = (socklen_t)n;
	return 0;
}

/* An interface: its index, or its name in the daemon's network namespace. */
static int opts_ifindex(json_t *j, int *out)
{
	if (json_is_integer(j) && json_integer_value(j) >= 0 &&
	    json_integer_value(j) <= INT32_MAX) {
		*out = (int)json_integer_value(j);
		return 0;
	}
	if (json_is_string(j) && (*out = (int)if_nametoindex(json_string_value(j))) > 0)
		return 0;
	return -EINVAL;
}

/* {"multiaddr": "224.0.0.251", "interface": "0.0.0.0" | "eth0" | index} (interface optional). */
static int opts_mreq_value(const char *name, json_t *j, struct opts_val *v, char *msg,
			   size_t msglen)
{
	const char *group;
	json_t *ifc = NULL;
	json_error_t jerr;

	if (json_unpack_ex(j, &jerr, JSON_STRICT, "{s:s, s?o}", "multiaddr", &group, "interface",
			   &ifc) ||
	    inet_pton(AF_INET, group, &v->u.mreq.imr_multiaddr) != 1 ||
	    (ifc &&
	     !(json_is_string(ifc) &&
	       inet_pton(AF_INET, json_string_value(ifc), &v->u.mreq.imr_address) == 1) &&
	     opts_ifindex(ifc, &v->u.mreq.imr_ifindex))) {
		snprintf(msg, msglen,
			 "%s: expected {\"multiaddr\": \"224.x.x.x\", \"interface\": an IPv4 "
			 "address, an interface name or index}",
			 name);
		return -EINVAL;
	}
	v->len = sizeof(v->u.mreq);
	return 0;
}

/* {"multiaddr": "ff02::1", "interface": "eth0" | index} (interface optional). */
static int opts_mreq6_value(const char *name, json_t *j, struct opts_val *v, char *msg,
			    size_t msglen)
{
	const char *group;
	json_t *ifc = NULL;
	json_error_t jerr;
	int idx = 0;

	if (json_unpack_ex(j, &jerr, JSON_STRICT, "{s:s, s?o}", "multiaddr", &group, "interface",
			   &ifc) ||
	    inet_pton(AF_INET6, group, &v->u.mreq6.ipv6mr_multiaddr) != 1 ||
	    (ifc && opts_ifindex(ifc, &idx))) {
		snprintf(msg, msglen,
			 "%s: expected {\"multiaddr\": \"ff..::..\", \"interface\": an interface "
			 "name or index}",
			 name);
		return -EINVAL;
	}
	v->u.mreq6.ipv6mr_interface = (unsigned)idx;
	v->len = sizeof(v->u.mreq6);
	return 0;
}

/* {"interface": "eth0" | index, "type": "PACKET_MR_PROMISC" | n, "address": "aa:bb:.."}. */
static int opts_pmreq_value(const char *name, json_t *j, struct opts_val *v, char *msg,
			    size_t msglen)
{
	json_t *ifc, *type, *addr = NULL;
	json_error_t jerr;
	size_t alen = 0;
	int t = -1;

	if (json_unpack_ex(j, &jerr, JSON_STRICT, "{s:o, s:o, s?o}", "interface", &ifc, "type",
			   &type, "address", &addr) ||
	    opts_ifindex(ifc, &v->u.pmreq.mr_ifindex) ||
	    (json_is_string(type) ? names_value(names_packet, json_string_value(type), &t)
				  : !json_is_integer(type)) ||
	    (addr && proto_get_bytes(addr, name, v->u.pmreq.mr_address,
				     sizeof(v->u.pmreq.mr_address), &alen, NULL, 0))) {
		snprintf(msg, msglen,
			 "%s: expected {\"interface\": a name or index, \"type\": "
			 "\"PACKET_MR_PROMISC\" or another PACKET_MR_*, \"address\": \"aa:bb:..\" "
			 "(optional)}",
			 name);
		return -EINVAL;
	}
	v->u.pmreq.mr_type = (unsigned short)(t >= 0 ? t : json_integer_value(type));
	v->u.pmreq.mr_alen = (unsigned short)alen;
	v->len = sizeof(v->u.pmreq);
	return 0;
}

/* Convert a JSON value to the option's type. */
static int opts_value(const char *name, enum opts_type type, json_t *j, struct opts_val *v,
		      char *msg, size_t msglen)
{
	json_error_t jerr;

	memset(v, 0, sizeof(*v));
	v->p = &v->u;
	v->len = sizeof(int);
	switch (type) {
	case OPTS_BOOL:
	case OPTS_INT:
		if (json_is_boolean(j))
			v->u.i = json_is_true(j);
		else if (json_is_integer(j) && json_integer_value(j) >= INT32_MIN &&
			 json_integer_value(j) <= INT32_MAX)
			v->u.i = (int)json_integer_value(j);
		else
			goto bad;
		return 0;
	case OPTS_LINGER:
		if (json_unpack_ex(j, &jerr, JSON_STRICT, "{s:b, s:i}", "onoff", &v->u.l.l_onoff,
				   "linger", &v->u.l.l_linger)) {
			snprintf(msg, msglen,
				 "%s: expected {\"onoff\": bool, \"linger\": seconds}: %s", name,
				 jerr.text);
			return -EINVAL;
		}
		if (v->u.l.l_linger < 0) {
			snprintf(msg, msglen, "%s: linger must be 0 or more seconds", name);
			return -EINVAL;
		}
		v->len = sizeof(v->u.l);
		return 0;
	case OPTS_STRING:
		if (!json_is_string(j))
			goto bad;
		v->p = json_string_value(j);
		v->len = (socklen_t)json_string_length(j);
		return 0;
	case OPTS_TIMEVAL:
		if (!json_is_number(j) || json_number_value(j) < 0 || json_number_value(j) > 1e9)
			goto bad;
		v->u.tv.tv_sec = (time_t)json_number_value(j);
		v->u.tv.tv_usec =
		    (suseconds_t)((json_number_value(j) - (double)v->u.tv.tv_sec) * 1e6 + 0.5);
		if (v->u.tv.tv_usec >= 1000000) {
			v->u.tv.tv_sec++;
			v->u.tv.tv_usec -= 1000000;
		}
		v->len = sizeof(v->u.tv);
		return 0;
	case OPTS_BYTES:
		if (opts_bytes_value(j, v))
			goto bad;
		return 0;
	case OPTS_CRED: /* read-only: refused before a value is parsed */
		goto bad;
	case OPTS_U64:
		if (!json_is_integer(j) || json_integer_value(j) < 0)
			goto bad;
		v->u.u64 = (unsigned long long)json_integer_value(j);
		v->len = sizeof(v->u.u64);
		return 0;
	case OPTS_LEN:
		if (!json_is_integer(j) || json_integer_value(j) < 0 ||
		    json_integer_value(j) > OPTS_BYTES_MAX)
			goto bad;
		/* The kernel reads only the length. */
		v->len = (socklen_t)json_integer_value(j);
		v->owned = calloc(1, v->len ? v->len : 1);
		v->p = v->owned;
		return v->owned ? 0 : -ENOMEM;
	case OPTS_MREQ:
		return opts_mreq_value(name, j, v, msg, msglen);
	case OPTS_MREQ6:
		return opts_mreq6_value(name, j, v, msg, msglen);
	case OPTS_PMREQ:
		return opts_pmreq_value(name, j, v, msg, msglen);
	}
bad:
	snprintf(msg, msglen, "%s: expected %s", name,
		 type == OPTS_BOOL	? "true, false or an integer"
		 : type == OPTS_INT	? "an integer"
		 : type == OPTS_STRING	? "a string"
		 : type == OPTS_TIMEVAL ? "seconds (a number >= 0)"
		 : type == OPTS_U64	? "an integer >= 0"
		 : type == OPTS_LEN	? "a length, 0-1024"
					: "{\"base64\": \"...\"}");
	return -EINVAL;
}

static int opts_apply(struct sock *s, const char *name, int level, int optname,
		      const struct opts_val *v, char *msg, size_t msglen)
{
	if (setsockopt(s->fd, level, optname, v->p, v->len) < 0) {
		int err = errno;
		snprintf(msg, msglen, "%s: %s", name, strerror(err));
		return -err;
	}
	return 0;
}

/* Numeric access. */

static int opts_int_or_name(json_t *j, const struct names_entry *names, int *out)
{
	if (json_is_integer(j)) {
		json_int_t v = json_integer_value(j);
		if (v < INT_MIN || v > INT_MAX)
			return -EINVAL; /* never another number */
		*out = (int)v;
		return 0;
	}
	if (json_is_string(j) && names && names_value(names, json_string_value(j), out) == 0)
		return 0;
	return -EINVAL;
}

/* level and optname: numbers, or names (a name from the table fixes both). */
static int opts_raw_target(json_t *level, json_t *optname, int *lvl, int *opt, char *label,
			   size_t labellen, char *msg, size_t msglen)
{
	const struct opts_entry *o =
	    json_is_string(optname) ? opts_find(json_string_value(optname)) : NULL;

	if (o) {
		*lvl = o->level;
		*opt = o->optname;
		if (level && (opts_int_or_name(level, opts_levels, lvl) || *lvl != o->level)) {
			snprintf(msg, msglen, "%s: level does not match the option", o->name);
			return -EINVAL;
		}
		snprintf(label, labellen, "%s", o->name);
		return 0;
	}
	if (!level || opts_int_or_name(level, opts_levels, lvl)) {
		snprintf(msg, msglen, "level: expected an integer (a C int) or one of %s",
			 names_list(opts_levels));
		return -EINVAL;
	}
	if (!optname || opts_int_or_name(optname, names_sockopt, opt)) {
		snprintf(msg, msglen, "optname: expected an integer (a C int) or an option name");
		return -EINVAL;
	}
	snprintf(label, labellen, "level %d optname %d", *lvl, *opt);
	return 0;
}

int opts_raw_get(struct sock *s, json_t *level, json_t *optname, int buflen, json_t **value,
		 char *msg, size_t msglen)
{
	char label[64];
	unsigned char *buf;
	socklen_t len;
	int lvl, opt, err;

	if (s->fd < 0) {
		snprintf(msg, msglen, "no kernel socket yet: connect, bind or socket first");
		return -ENOTCONN;
	}
	err = opts_raw_target(level, optname, &lvl, &opt, label, sizeof(label), msg, msglen);
	if (err)
		return err;
	if (buflen < 0 || buflen > OPTS_BYTES_MAX) {
		snprintf(msg, msglen, "buflen: 0..%d", OPTS_BYTES_MAX);
		return -EINVAL;
	}
	len = buflen ? (socklen_t)buflen : sizeof(int);
	buf = calloc(1, len);
	if (!buf)
		return -ENOMEM;
	if (getsockopt(s->fd, lvl, opt, buf, &len) < 0) {
		err = errno;
		snprintf(msg, msglen, "%s: %s", label, strerror(err));
		free(buf);
		return -err;
	}
	if (buflen)
		*value = json_pack("{s:i, s:i, s:o}", "level", lvl, "optname", opt, "bytes",
				   opts_bytes_json(buf, len));
	else
		*value = json_pack("{s:i, s:i, s:i}", "level", lvl, "optname", opt, "int",
				   len >= sizeof(int) ? *(int *)buf : (int)buf[0]);
	free(buf);
	return *value ? 0 : -ENOMEM;
}

/* One parsed entry of a write: a named option or a numeric one. */
struct opts_item {
	char label[64];
	const struct opts_entry *o; /* NULL for numeric entries */
	int level, optname;
	struct opts_val v;
};

/* {"optlen": n} without a value: setsockopt(level, optname, NULL, n), as
 * setsockopt(level, optname, None, optlen). */
static int opts_null_value(struct opts_item *it, json_t *lv, char *msg, size_t msglen)
{
	json_int_t n = json_integer_value(lv);

	if (!json_is_integer(lv) || n < 0 || n > OPTS_BYTES_MAX) {
		snprintf(msg, msglen, "%s: optlen must be 0..%d", it->label, OPTS_BYTES_MAX);
		return -EINVAL;
	}
	it->v.p = NULL;
	it->v.len = (socklen_t)n;
	return 0;
}

static int opts_raw_item(struct sock *s, json_t *e, struct opts_item *it, char *msg, size_t msglen)
{
	json_t *level = NULL, *optname = NULL, *iv = NULL, *bv = NULL, *lv = NULL;
	json_error_t jerr;
	int err;

	if (json_unpack_ex(e, &jerr, JSON_STRICT, "{s?o, s:o, s?o, s?o, s?o}", "level", &level,
			   "optname", &optname, "int", &iv, "bytes", &bv, "optlen", &lv)) {
		snprintf(msg, msglen, "raw: %s (fields: level optname int bytes optlen)",
			 jerr.text);
		return -EINVAL;
	}
	err = opts_raw_target(level, optname, &it->level, &it->optname, it->label,
			      sizeof(it->label), msg, msglen);
	if (err)
		return err;
	if ((!!iv + !!bv + !!lv) != 1) {
		snprintf(msg, msglen,
			 "%s: give exactly one of \"int\", \"bytes\" (base64) and \"optlen\" "
			 "(no value)",
			 it->label);
		return -EINVAL;
	}
	if (lv)
		return opts_null_value(it, lv, msg, msglen);
	err = iv ? opts_value(it->label, OPTS_INT, iv, &it->v, msg, msglen)
		 : opts_value(it->label, OPTS_BYTES, bv, &it->v, msg, msglen);
	if (err)
		return err;
	return 0;
}

static int opts_named_item(struct sock *s, const char *key, json_t *v, struct opts_item *it,
			   char *msg, size_t msglen)
{
	const struct opts_entry *o = opts_find(key);
	int err;

	snprintf(it->label, sizeof(it->label), "%s", key);
	if (!o) {
		snprintf(msg, msglen,
			 "%.64s: unknown option (read opts for the names; \"raw\" "
			 "reaches others by number)",
			 key);
		return -ENOPROTOOPT;
	}
	if (!opts_applies(o, s)) {
		snprintf(msg, msglen, "%s: does not apply to this socket", key);
		return -ENOPROTOOPT;
	}
	if (o->readonly) {
		snprintf(msg, msglen, "%s: read-only", key);
		return -ENOPROTOOPT;
	}
	it->o = o;
	it->level = o->level;
	it->optname = o->optname;
	err = opts_value(key, o->type, v, &it->v, msg, msglen);
	if (err)
		return err;
	return 0;
}

/* Step 1 of a write: every entry parsed and checked (names, applicability,
 * values) into *itemsp. The kernel checks the caller's privileges. */
static int opts_parse(struct sock *s, json_t *obj, struct opts_item **itemsp, size_t *np, char *msg,
		      size_t msglen)
{
	struct opts_item *items;
	size_t n = 0, cap;
	const char *key;
	json_t *v;
	int err = 0;

	*itemsp = NULL;
	*np = 0;
	if (!json_is_object(obj)) {
		snprintf(msg, msglen, "options are a JSON object, like {\"SO_REUSEADDR\": true}");
		return -EINVAL;
	}
	cap = json_object_size(obj);
	v = json_object_get(obj, "raw");
	if (v && !json_is_array(v)) {
		snprintf(msg, msglen, "raw: expected an array of {level, optname, int|bytes}");
		return -EINVAL;
	}
	if (v)
		cap += json_array_size(v);
	items = calloc(cap ? cap : 1, sizeof(*items));
	if (!items)
		return -ENOMEM;
	json_object_foreach(obj, key, v)
	{
		if (!strcmp(key, "raw")) {
			size_t k;
			json_t *e;
			json_array_foreach(v, k, e)
			{
				err = opts_raw_item(s, e, &items[n++], msg, msglen);
				if (err)
					goto out;
			}
			continue;
		}
		err = opts_named_item(s, key, v, &items[n++], msg, msglen);
		if (err)
			goto out;
	}
out:
	*itemsp = items;
	*np = n;
	return err;
}

static void opts_items_free(struct opts_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		opts_val_free(&items[i].v);
	free(items);
}

int opts_check(json_t *obj, int family, int type, int proto, char *msg, size_t msglen)
{
	struct sock s = {.fd = -1, .family = family, .type = type, .proto = proto};
	struct opts_item *items;
	size_t n;
	int err = opts_parse(&s, obj, &items, &n, msg, msglen);

	opts_items_free(items, n);
	return err;
}

int opts_set(struct sock *s, json_t *obj, fuse_req_t req, json_t **reply, char *msg, size_t msglen)
{
	struct caller k;
	struct opts_item *items;
	size_t n, i;
	json_t *set = NULL, *applied = NULL;
	int err;

	if (s->fd < 0 && json_is_object(obj)) {
		snprintf(msg, msglen, "no kernel socket yet: connect, bind or socket first");
		return -ENOTCONN;
	}
	/* 1. Check everything. */
	err = opts_parse(s, obj, &items, &n, msg, msglen);
	if (err)
		goto free_items;
	/* 2. Apply in order, with the caller's credentials: what the kernel
	 * reserves for a capability is the kernel's to refuse. */
	err = caller_begin(req, &k);
	if (err) {
		snprintf(msg, msglen, "cannot take the calling process's credentials: %s",
			 strerror(-err));
		goto free_items;
	}
	set = json_object();
	applied = json_array();
	for (i = 0; i < n; i++) {
		err = opts_apply(s, items[i].label, items[i].level, items[i].optname, &items[i].v,
				 msg, msglen);
		if (err) {
			caller_end(&k);
			if (err == -EPERM || err == -EACCES) {
				msg[0] = 0;
				caller_explain(CALLER_OPTION, items[i].label,
					       fuse_req_ctx(req)->uid, -err, msg, msglen);
			}
			*reply =
			    json_pack("{s:O, s:s}", "applied", applied, "failed", items[i].label);
			goto free_items;
		}
		json_array_append_new(applied, json_string(items[i].label));
		if (items[i].o)
			json_object_set_new(set, items[i].label, opts_read(s, items[i].o));
	}
	caller_end(&k);
	*reply = json_pack("{s:b, s:O}", "ok", 1, "set", set);
free_items:
	opts_items_free(items, n);
	json_decref(set);
	json_decref(applied);
	return err;
}
