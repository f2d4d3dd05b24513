/* tipc.c - the AF_TIPC entry of the protocol table: [addr_type, v1, v2, v3] or with scope,
 * as the socket module writes struct sockaddr_tipc:
 *   TIPC_ADDR_NAMESEQ [type, lower, upper], TIPC_ADDR_NAME [type, instance, domain],
 *   TIPC_ADDR_ID [node, ref, 0]. Out, as Python: TIPC_ADDR_NAME gives instance twice. */
#include "proto.h"

#include <linux/tipc.h>
#include <stdint.h>
#include <string.h>

#define TIPC_FORM "[addr_type, v1, v2, v3] or [addr_type, v1, v2, v3, scope]"

static int tipc_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			  char *msg, size_t msglen)
{
	struct sockaddr_tipc *t = (struct sockaddr_tipc *)&out->u.ss;
	unsigned long long v[5] = {0};
	static const char *const what[] = {"addr_type", "v1", "v2", "v3", "scope"};
	int r;

	r = proto_check_array(j, &proto_tipc, 4, 5, msg, msglen);
	for (size_t i = 0; r == 0 && i < json_array_size(j); i++)
		r = proto_get_uint(json_array_get(j, i), i == 0 || i == 4 ? UINT8_MAX : UINT32_MAX,
				   names_tipc, what[i], &v[i], msg, msglen);
	if (r < 0)
		return r;
	t->family = AF_TIPC;
	t->addrtype = (unsigned char)v[0];
	t->scope = (signed char)v[4];
	switch (v[0]) {
	case TIPC_ADDR_NAMESEQ:
		t->addr.nameseq.type = (__u32)v[1];
		t->addr.nameseq.lower = (__u32)v[2];
		t->addr.nameseq.upper = (__u32)v[3];
		break;
	case TIPC_ADDR_NAME:
		t->addr.name.name.type = (__u32)v[1];
		t->addr.name.name.instance = (__u32)v[2];
		t->addr.name.domain = (__u32)v[3];
		break;
	case TIPC_ADDR_ID:
		t->addr.id.node = (__u32)v[1];
		t->addr.id.ref = (__u32)v[2];
		break;
	default:
		return proto_err(msg, msglen,
				 "addr_type must be TIPC_ADDR_NAMESEQ (1), TIPC_ADDR_NAME (2) or "
				 "TIPC_ADDR_ID (3), got %llu",
				 v[0]);
	}
	out->len = sizeof(*t);
	return 0;
}

static json_t *tipc_to_json(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_tipc t;
	unsigned v1, v2, v3;

	if (len < sizeof(t))
		return proto_raw_to_json(sa, len);
	memcpy(&t, sa, sizeof(t));
	switch (t.addrtype) {
	case TIPC_ADDR_NAMESEQ:
		v1 = t.addr.nameseq.type, v2 = t.addr.nameseq.lower, v3 = t.addr.nameseq.upper;
		break;
	case TIPC_ADDR_NAME:
		v1 = t.addr.name.name.type, v2 = v3 = t.addr.name.name.instance;
		break;
	case TIPC_ADDR_ID:
		v1 = t.addr.id.node, v2 = t.addr.id.ref, v3 = 0;
		break;
	default:
		return proto_raw_to_json(sa, len);
	}
	return json_pack("[i,I,I,I,i]", t.addrtype, (json_int_t)v1, (json_int_t)v2, (json_int_t)v3,
			 (int)(unsigned char)t.scope);
}

static unsigned tipc_opts(int type, int proto)
{
	return PROTO_OPT_TIPC;
}

const struct proto proto_tipc = {
    .family = AF_TIPC,
    .name = "AF_TIPC",
    .form = TIPC_FORM,
    .from_json = tipc_from_json,
    .to_json = tipc_to_json,
    .opts = tipc_opts,
};
