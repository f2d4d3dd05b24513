/* packet.c - the AF_PACKET entry of the protocol table: [ifname, proto, pkttype, hatype, addr],
 * as the socket module writes struct sockaddr_ll (addr: {"bytes": base64}; "aa:bb:.." in). */
#include "proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>

#define PACKET_FORM "[ifname, proto, pkttype, hatype, addr] (the last three optional)"

static int packet_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			    char *msg, size_t msglen)
{
	struct sockaddr_ll *ll = (struct sockaddr_ll *)&out->u.ss;
	unsigned long long proto, pkttype = 0, hatype = 0;
	size_t n = json_array_size(j), halen = 0;
	const char *ifname;
	unsigned idx = 0;
	int r;

	r = proto_check_array(j, &proto_packet, 2, 5, msg, msglen);
	if (r < 0)
		return r;
	if (!json_is_string(json_array_get(j, 0)))
		return proto_err(msg, msglen, "ifname must be a string, got %s",
				 proto_json_type(json_array_get(j, 0)));
	ifname = json_string_value(json_array_get(j, 0));
	if (*ifname && !(idx = if_nametoindex(ifname))) {
		proto_err(msg, msglen, "no interface \"%.32s\" in this network namespace", ifname);
		return -ENODEV;
	}
	r = proto_get_uint(json_array_get(j, 1), UINT16_MAX, names_packet, "proto", &proto, msg,
			   msglen);
	if (r == 0 && n > 2)
		r = proto_get_uint(json_array_get(j, 2), UINT8_MAX, names_packet, "pkttype",
				   &pkttype, msg, msglen);
	if (r == 0 && n > 3)
		r = proto_get_uint(json_array_get(j, 3), UINT16_MAX, NULL, "hatype", &hatype, msg,
				   msglen);
	if (r == 0 && n > 4)
		r = proto_get_bytes(json_array_get(j, 4), "addr", ll->sll_addr,
				    sizeof(ll->sll_addr), &halen, msg, msglen);
	if (r < 0)
		return r;
	ll->sll_family = AF_PACKET;
	ll->sll_ifindex = (int)idx;
	ll->sll_protocol = htons((uint16_t)proto);
	ll->sll_pkttype = (unsigned char)pkttype;
	ll->sll_hatype = (unsigned short)hatype;
	ll->sll_halen = (unsigned char)halen;
	out->len = sizeof(*ll);
	return 0;
}

static json_t *packet_to_json(const struct sockaddr *sa, socklen_t len)
{
	char ifname[IF_NAMESIZE] = "";
	struct sockaddr_ll ll;
	size_t halen;

	if (len < offsetof(struct sockaddr_ll, sll_addr))
		return proto_raw_to_json(sa, len);
	memset(&ll, 0, sizeof(ll));
	memcpy(&ll, sa, len < sizeof(ll) ? len : sizeof(ll));
	if (ll.sll_ifindex > 0 && !if_indextoname((unsigned)ll.sll_ifindex, ifname))
		ifname[0] = '\0';
	halen = ll.sll_halen < sizeof(ll.sll_addr) ? ll.sll_halen : sizeof(ll.sll_addr);
	return json_pack("[s,i,i,i,o]", ifname, ntohs(ll.sll_protocol), ll.sll_pkttype,
			 ll.sll_hatype, proto_bytes_json(ll.sll_addr, halen));
}

static bool packet_bound(const struct sockaddr *sa, socklen_t len)
{
	return len >= sizeof(struct sockaddr_ll) && ((const struct sockaddr_ll *)sa)->sll_ifindex;
}

/* Every AF_PACKET socket sees the link layer: it needs CAP_NET_RAW. */
static const char *packet_net_raw(int type, int proto)
{
	return "AF_PACKET";
}

/* Datagrams: SOCK_RAW frames whole, SOCK_DGRAM without the link header. */
static bool packet_stream(int type, int proto)
{
	return false;
}

static unsigned packet_opts(int type, int proto)
{
	return PROTO_OPT_PACKET;
}

const struct proto proto_packet = {
    .family = AF_PACKET,
    .name = "AF_PACKET",
    .form = PACKET_FORM,
    .from_json = packet_from_json,
    .to_json = packet_to_json,
    .bound = packet_bound,
    .stream = packet_stream,
    .opts = packet_opts,
    .net_raw = packet_net_raw,
    .protos = names_packet_proto,
};
