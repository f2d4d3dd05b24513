/* packet.c - the AF_PACKET entry of the protocol table: addresses only in the raw form, so far. */
#include "proto.h"

/* Every AF_PACKET socket sees the link layer: it needs CAP_NET_RAW. */
static const char *packet_net_raw(int type, int proto)
{
	return "AF_PACKET";
}

const struct proto proto_packet = {
    .family = AF_PACKET,
    .name = "AF_PACKET",
    .form = PROTO_RAW_FORM,
    .from_json = proto_raw_from_json,
    .to_json = proto_raw_to_json,
    .net_raw = packet_net_raw,
};
