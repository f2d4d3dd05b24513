/* fuzz_policy.c - arbitrary bytes as a policy file (policy_parse), and the
 * parsed policy matched against a few operations (policy_match). */
#include "policy.h"
#include "fuzz.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/un.h>

static void fuzz_match(const struct policy *p, const struct policy_req *r)
{
	char msg[256];
	int rule = -2, err;

	memset(msg, 'x', sizeof(msg));
	err = policy_match(p, r, &rule, msg, sizeof(msg));
	FUZZ_ASSERT(err == 0 || err == -EACCES, "errno %d", -err);
	FUZZ_ASSERT(rule >= -1, "rule %d", rule);
	FUZZ_ASSERT(err == 0 || FUZZ_MSG_OK(msg, sizeof(msg)), "no message for a denial");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct policy *p;
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(80)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
	struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "/run/app/db.sock"};
	struct sockaddr_un abs = {.sun_family = AF_UNIX, .sun_path = "\0abstract"};

	memset(err, 'x', sizeof(err));
	p = policy_parse((const char *)data, size, err, sizeof(err));
	if (!p) {
		FUZZ_ASSERT(FUZZ_MSG_OK(err, sizeof(err)), "no reason for a rejected policy");
		return 0;
	}
	inet_pton(AF_INET, "10.1.2.3", &in.sin_addr);
	inet_pton(AF_INET6, "fd00::1", &in6.sin6_addr);
	fuzz_match(p, &(struct policy_req){POLICY_CONNECT, 1000, 1, 1, AF_INET,
					   (struct sockaddr *)&in, sizeof(in)});
	fuzz_match(p, &(struct policy_req){POLICY_BIND, 0, 1, 2, AF_INET6, (struct sockaddr *)&in6,
					   sizeof(in6)});
	fuzz_match(p, &(struct policy_req){POLICY_SENDTO, 65534, 1, 3, AF_UNIX,
					   (struct sockaddr *)&un, sizeof(un)});
	fuzz_match(p,
		   &(struct policy_req){POLICY_CONNECT, 1, 1, 4, AF_UNIX, (struct sockaddr *)&abs,
					offsetof(struct sockaddr_un, sun_path) + 9});
	fuzz_match(p, &(struct policy_req){POLICY_LISTEN, 1000, 1, 5, AF_INET, NULL, 0});
	policy_free(p);
	return 0;
}
