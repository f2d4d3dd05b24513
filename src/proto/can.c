/* can.c - the AF_CAN entry of the protocol table, as the socket module writes struct
 * sockaddr_can: [interface] (CAN_RAW, CAN_BCM), [interface, rx_addr, tx_addr] (CAN_ISOTP),
 * [interface, name, pgn, addr] (CAN_J1939). interface "" is every interface (ifindex 0).
 * Both ways the form goes with the length (as the kernel gives it: raw and BCM 8 bytes, ISOTP 16,
 * J1939 24); Python writes all 24 bytes, which the kernel reads the same. */
#include "proto.h"

#include <errno.h>
#include <linux/can.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>

#define CAN_FORM                                                                                   \
	"[interface] (CAN_RAW, CAN_BCM), [interface, rx_addr, tx_addr] (CAN_ISOTP) or "            \
	"[interface, name, pgn, addr] (CAN_J1939)"
#define CAN_LEN_RAW (offsetof(struct sockaddr_can, can_ifindex) + sizeof(int))
#define CAN_LEN_TP                                                                                 \
	(offsetof(struct sockaddr_can, can_addr.tp) +                                              \
	 sizeof(((struct sockaddr_can *)0)->can_addr.tp))
#define CAN_LEN_J1939                                                                              \
	(offsetof(struct sockaddr_can, can_addr.j1939) +                                           \
	 sizeof(((struct sockaddr_can *)0)->can_addr.j1939))

static int can_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			 char *msg, size_t msglen)
{
	struct sockaddr_can *c = (struct sockaddr_can *)&out->u.ss;
	size_t n = json_array_size(j);
	unsigned long long v[3] = {0};
	const char *ifname;
	unsigned idx = 0;
	int r;

	r = proto_check_array(j, &proto_can, 1, 4, msg, msglen);
	if (r == 0 && n == 2)
		r = proto_err(msg, msglen, "address for AF_CAN must be %s, got 2 elements",
			      CAN_FORM);
	if (r < 0)
		return r;
	if (!json_is_string(json_array_get(j, 0)))
		return proto_err(msg, msglen, "interface must be a string, got %s",
				 proto_json_type(json_array_get(j, 0)));
	ifname = json_string_value(json_array_get(j, 0));
	if (*ifname && !(idx = if_nametoindex(ifname))) {
		proto_err(msg, msglen, "no interface \"%.32s\" in this network namespace", ifname);
		return -ENODEV;
	}
	if (n == 3) {
		r = proto_get_uint(json_array_get(j, 1), UINT32_MAX, names_can, "rx_addr", &v[0],
				   msg, msglen);
		if (r == 0)
			r = proto_get_uint(json_array_get(j, 2), UINT32_MAX, names_can, "tx_addr",
					   &v[1], msg, msglen);
	} else if (n == 4) {
		r = proto_get_uint(json_array_get(j, 1), INT64_MAX, NULL, "name", &v[0], msg,
				   msglen);
		if (r == 0)
			r = proto_get_uint(json_array_get(j, 2), UINT32_MAX, names_can, "pgn",
					   &v[1], msg, msglen);
		if (r == 0)
			r = proto_get_uint(json_array_get(j, 3), UINT8_MAX, names_can, "addr",
					   &v[2], msg, msglen);
	}
	if (r < 0)
		return r;
	c->can_family = AF_CAN;
	c->can_ifindex = (int)idx;
	if (n == 3) {
		c->can_addr.tp.rx_id = (canid_t)v[0];
		c->can_addr.tp.tx_id = (canid_t)v[1];
	} else if (n == 4) {
		c->can_addr.j1939.name = (__u64)v[0];
		c->can_addr.j1939.pgn = (__u32)v[1];
		c->can_addr.j1939.addr = (__u8)v[2];
	}
	/* The length of the form, as the kernel gives it back (and takes it since 5.x). */
	out->len = n == 4 ? CAN_LEN_J1939 : n == 3 ? CAN_LEN_TP : CAN_LEN_RAW;
	return 0;
}

static json_t *can_to_json(const struct sockaddr *sa, socklen_t len)
{
	char ifname[IF_NAMESIZE] = "";
	struct sockaddr_can c;

	if (len < offsetof(struct sockaddr_can, can_addr))
		return proto_raw_to_json(sa, len);
	memset(&c, 0, sizeof(c));
	memcpy(&c, sa, len < sizeof(c) ? len : sizeof(c));
	if (c.can_ifindex > 0 && !if_indextoname((unsigned)c.can_ifindex, ifname))
		ifname[0] = '\0';
	if (len >= CAN_LEN_J1939)
		return json_pack("[s,I,I,i]", ifname, (json_int_t)c.can_addr.j1939.name,
				 (json_int_t)c.can_addr.j1939.pgn, c.can_addr.j1939.addr);
	if (len >= CAN_LEN_TP)
		return json_pack("[s,I,I]", ifname, (json_int_t)c.can_addr.tp.rx_id,
				 (json_int_t)c.can_addr.tp.tx_id);
	return json_pack("[s]", ifname);
}

static unsigned can_opts(int type, int proto)
{
	return proto == CAN_RAW ? PROTO_OPT_CAN : 0;
}

/* Making a CAN socket of any type needs no capability in the kernel. */
static const char *can_net_raw(int type, int proto)
{
	return NULL;
}

const struct proto proto_can = {
    .family = AF_CAN,
    .name = "AF_CAN",
    .form = CAN_FORM,
    .from_json = can_from_json,
    .to_json = can_to_json,
    .opts = can_opts,
    .net_raw = can_net_raw,
    .protos = names_can_proto,
};
