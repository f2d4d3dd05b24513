/* netlink.c - the AF_NETLINK entry of the protocol table: [pid, groups], as the socket module
 * writes struct sockaddr_nl. */
#include "proto.h"

#include <linux/netlink.h>
#include <stdint.h>
#include <string.h>

static int netlink_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			     char *msg, size_t msglen)
{
	struct sockaddr_nl *nl = (struct sockaddr_nl *)&out->u.ss;
	unsigned long long pid, groups;
	int r;

	r = proto_check_array(j, &proto_netlink, 2, 2, msg, msglen);
	if (r < 0)
		return r;
	r = proto_get_uint(json_array_get(j, 0), UINT32_MAX, NULL, "pid", &pid, msg, msglen);
	if (r < 0)
		return r;
	r = proto_get_uint(json_array_get(j, 1), UINT32_MAX, NULL, "groups", &groups, msg, msglen);
	if (r < 0)
		return r;
	nl->nl_family = AF_NETLINK;
	nl->nl_pid = (uint32_t)pid;
	nl->nl_groups = (uint32_t)groups;
	out->len = sizeof(*nl);
	return 0;
}

static json_t *netlink_to_json(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_nl nl;

	if (len < sizeof(nl))
		return proto_raw_to_json(sa, len);
	memcpy(&nl, sa, sizeof(nl));
	return json_pack("[I,I]", (json_int_t)nl.nl_pid, (json_int_t)nl.nl_groups);
}

/* Bound: the kernel gave it a port id. */
static bool netlink_bound(const struct sockaddr *sa, socklen_t len)
{
	return len >= sizeof(struct sockaddr_nl) && ((const struct sockaddr_nl *)sa)->nl_pid != 0;
}

/* The kernel decides who may send what (RTM_NEWADDR needs CAP_NET_ADMIN in
 * the socket's namespace); making a netlink socket needs nothing. */
static const char *netlink_net_raw(int type, int proto)
{
	return NULL;
}

static unsigned netlink_opts(int type, int proto)
{
	return PROTO_OPT_NETLINK;
}

const struct proto proto_netlink = {
    .family = AF_NETLINK,
    .name = "AF_NETLINK",
    .form = "[pid, groups]",
    .from_json = netlink_from_json,
    .to_json = netlink_to_json,
    .bound = netlink_bound,
    .opts = netlink_opts,
    .net_raw = netlink_net_raw,
    .protos = names_netlink,
};
