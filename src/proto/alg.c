/* alg.c - the AF_ALG entry of the protocol table: [type, name] (or [type, name, feat, mask]),
 * as the socket module writes struct sockaddr_alg. accept gives the operation socket. */
#include "proto.h"

#include <linux/if_alg.h>
#include <stdint.h>
#include <string.h>

#define ALG_FORM "[type, name] or [type, name, feat, mask]"

/* A string element into a fixed field, NUL-terminated. */
static int alg_get_string(const json_t *j, const char *what, __u8 *dst, size_t max, char *msg,
			  size_t msglen)
{
	size_t n;

	if (!json_is_string(j))
		return proto_err(msg, msglen, "%s must be a string, got %s", what,
				 proto_json_type(j));
	n = json_string_length(j);
	if (n >= max || strlen(json_string_value(j)) != n)
		return proto_err(msg, msglen, "%s must be 1-%zu bytes without NUL, got %zu bytes",
				 what, max - 1, n);
	memcpy(dst, json_string_value(j), n);
	return 0;
}

static int alg_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			 char *msg, size_t msglen)
{
	struct sockaddr_alg *a = (struct sockaddr_alg *)&out->u.ss;
	unsigned long long feat = 0, mask = 0;
	int r;

	r = proto_check_array(j, &proto_alg, 2, 4, msg, msglen);
	if (r == 0 && json_array_size(j) == 3)
		r = proto_err(msg, msglen, "address for AF_ALG must be %s, got 3 elements",
			      ALG_FORM);
	if (r == 0)
		r = alg_get_string(json_array_get(j, 0), "type", a->salg_type, sizeof(a->salg_type),
				   msg, msglen);
	if (r == 0)
		r = alg_get_string(json_array_get(j, 1), "name", a->salg_name, sizeof(a->salg_name),
				   msg, msglen);
	if (r == 0 && json_array_size(j) == 4)
		r = proto_get_uint(json_array_get(j, 2), UINT32_MAX, NULL, "feat", &feat, msg,
				   msglen);
	if (r == 0 && json_array_size(j) == 4)
		r = proto_get_uint(json_array_get(j, 3), UINT32_MAX, NULL, "mask", &mask, msg,
				   msglen);
	if (r < 0)
		return r;
	a->salg_family = AF_ALG;
	a->salg_feat = (__u32)feat;
	a->salg_mask = (__u32)mask;
	out->len = sizeof(*a);
	return 0;
}

static json_t *alg_to_json(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_alg a;

	if (len < sizeof(a))
		return proto_raw_to_json(sa, len);
	memcpy(&a, sa, sizeof(a));
	a.salg_type[sizeof(a.salg_type) - 1] = '\0';
	a.salg_name[sizeof(a.salg_name) - 1] = '\0';
	return json_pack("[s,s]", (const char *)a.salg_type, (const char *)a.salg_name);
}

static unsigned alg_opts(int type, int proto)
{
	return PROTO_OPT_ALG;
}

const struct proto proto_alg = {
    .family = AF_ALG,
    .name = "AF_ALG",
    .form = ALG_FORM,
    .from_json = alg_from_json,
    .to_json = alg_to_json,
    .opts = alg_opts,
    .accept_bound = true,
};
