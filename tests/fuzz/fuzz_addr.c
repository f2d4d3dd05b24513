/* fuzz_addr.c - arbitrary bytes as the JSON address of connect/bind/sendto
 * (addr_from_json) for each family; a numeric address must come back the
 * same through addr_to_json. */
#include "addr.h"
#include "fuzz.h"

#include <errno.h>

static const int fuzz_families[] = {AF_UNSPEC, AF_INET, AF_INET6, AF_UNIX};

static void fuzz_one(const json_t *j, int family)
{
	struct addr a, b;
	struct addr_name name;
	char err[256];
	int r;
	json_t *back;

	memset(&a, 0, sizeof(a));
	memset(err, 'x', sizeof(err));
	r = addr_from_json(j, family, &a, &name, err, sizeof(err));
	FUZZ_ASSERT(r == 0 || r == -EAGAIN || r == -EINVAL || r == -EAFNOSUPPORT ||
			r == -ENAMETOOLONG,
		    "errno %d", -r);
	if (r == -EAGAIN) {
		FUZZ_ASSERT(memchr(name.host, 0, sizeof(name.host)), "host not terminated");
		FUZZ_ASSERT(name.port >= 0 && name.port <= 65535, "port %d", name.port);
		return;
	}
	if (r) {
		FUZZ_ASSERT(FUZZ_MSG_OK(err, sizeof(err)), "no reason for an error");
		return;
	}
	FUZZ_ASSERT(a.len > 0 && a.len <= sizeof(a.u), "len %u", (unsigned)a.len);
	FUZZ_ASSERT(family == AF_UNSPEC || a.u.sa.sa_family == family, "family %d for %d",
		    a.u.sa.sa_family, family);
	back = addr_to_json(&a.u.sa, a.len);
	FUZZ_ASSERT(back, "no JSON for a parsed address");
	memset(&b, 0, sizeof(b));
	r = addr_from_json(back, a.u.sa.sa_family, &b, &name, err, sizeof(err));
	FUZZ_ASSERT(r == 0, "round trip failed: %s", err);
	FUZZ_ASSERT(b.len == a.len && !memcmp(&a.u, &b.u, a.len), "round trip differs");
	json_decref(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	if (!j)
		return 0;
	for (size_t i = 0; i < sizeof(fuzz_families) / sizeof(fuzz_families[0]); i++)
		fuzz_one(j, fuzz_families[i]);
	json_decref(j);
	return 0;
}
