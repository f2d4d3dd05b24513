/* rds.c - the AF_RDS entry of the protocol table. RDS sockets take IP addresses: ["host", port]
 * (struct sockaddr_in) or the IPv6 forms (struct sockaddr_in6), as the socket module writes them;
 * the inet entry converts them, and replies carry AF_INET/AF_INET6 addresses. */
#include "proto.h"

static int rds_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			 char *msg, size_t msglen)
{
	if (!json_is_array(j))
		return proto_err(msg, msglen, "address for AF_RDS must be %s, got %s",
				 proto_rds.form, proto_json_type(j));
	/* The host decides the version; a name is resolved for either. */
	return proto_inet.from_json(j, AF_UNSPEC, out, name, msg, msglen);
}

static unsigned rds_opts(int type, int proto)
{
	return PROTO_OPT_RDS;
}

const struct proto proto_rds = {
    .family = AF_RDS,
    .name = "AF_RDS",
    .form = "[\"host\", port] (IPv4 or IPv6)",
    .from_json = rds_from_json,
    .to_json = proto_raw_to_json, /* never: the kernel gives AF_INET/AF_INET6 addresses */
    .opts = rds_opts,
};
