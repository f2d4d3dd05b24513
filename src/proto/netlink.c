/* netlink.c - the AF_NETLINK entry of the protocol table: addresses only in the raw form, so far.
 */
#include "proto.h"

const struct proto proto_netlink = {
    .family = AF_NETLINK,
    .name = "AF_NETLINK",
    .form = PROTO_RAW_FORM,
    .from_json = proto_raw_from_json,
    .to_json = proto_raw_to_json,
};
