/* qipcrtr.c - the AF_QIPCRTR entry of the protocol table: [node, port], as the socket module
 * writes struct sockaddr_qrtr. */
#include "proto.h"

#include <linux/qrtr.h>
#include <stdint.h>
#include <string.h>

static int qipcrtr_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			     char *msg, size_t msglen)
{
	struct sockaddr_qrtr *q = (struct sockaddr_qrtr *)&out->u.ss;
	unsigned long long node, port;
	int r;

	r = proto_check_array(j, &proto_qipcrtr, 2, 2, msg, msglen);
	if (r == 0)
		r = proto_get_uint(json_array_get(j, 0), UINT32_MAX, NULL, "node", &node, msg,
				   msglen);
	if (r == 0)
		r = proto_get_uint(json_array_get(j, 1), UINT32_MAX, NULL, "port", &port, msg,
				   msglen);
	if (r < 0)
		return r;
	q->sq_family = AF_QIPCRTR;
	q->sq_node = (__u32)node;
	q->sq_port = (__u32)port;
	out->len = sizeof(*q);
	return 0;
}

static json_t *qipcrtr_to_json(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_qrtr q;

	if (len < sizeof(q))
		return proto_raw_to_json(sa, len);
	memcpy(&q, sa, sizeof(q));
	return json_pack("[I,I]", (json_int_t)q.sq_node, (json_int_t)q.sq_port);
}

const struct proto proto_qipcrtr = {
    .family = AF_QIPCRTR,
    .name = "AF_QIPCRTR",
    .form = "[node, port]",
    .from_json = qipcrtr_from_json,
    .to_json = qipcrtr_to_json,
};
