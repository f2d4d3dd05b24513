/* fuzz_lookup.c - arbitrary bytes written to net/query (lookup_parse: JSON,
 * op, typed fields). Queries that answer without the network or the name
 * service (inet_*, if_*, help, has_ipv6, ...) are also run and answered;
 * the ones that would block on a resolver are only parsed. */
#include "fuzz.h"
#include "lookup.h"

#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lookup_q *q;
	json_t *err = NULL, *reply = NULL;
	int r = lookup_parse((const char *)data, size, 0, &q, &err);

	FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -ENOMEM, "errno %d", -r);
	if (r) {
		FUZZ_ASSERT(r == -ENOMEM || json_is_object(err), "no error reply");
		json_decref(err);
		return 0;
	}
	if (!lookup_blocking(q)) {
		lookup_run(q);
		r = lookup_reply(q, &reply);
		FUZZ_ASSERT(r <= 0, "reply %d", r);
		FUZZ_ASSERT(json_is_object(reply) || json_is_array(reply) || reply, "no reply");
		json_decref(reply);
	}
	lookup_free(q);
	return 0;
}
