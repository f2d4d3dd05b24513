/* vsock.c - the AF_VSOCK entry of the protocol table: addresses only in the raw form, so far. */
#include "proto.h"

#ifdef AF_VSOCK
const struct proto proto_vsock = {
    .family = AF_VSOCK,
    .name = "AF_VSOCK",
    .form = PROTO_RAW_FORM,
    .from_json = proto_raw_from_json,
    .to_json = proto_raw_to_json,
};
#endif
