/* fuzz_opts.c - arbitrary bytes written to N/opts (opts_check: option
 * names, which sockets they apply to, value types) for the socket kinds. */
#include "opts.h"
#include "fuzz.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

static const int fuzz_kinds[][3] = {
    {AF_INET, SOCK_STREAM, 0},
    {AF_INET6, SOCK_STREAM, IPPROTO_TCP},
    {AF_INET, SOCK_DGRAM, 0},
    {AF_UNIX, SOCK_STREAM, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
	char msg[256];

	if (!j)
		return 0;
	for (size_t i = 0; i < sizeof(fuzz_kinds) / sizeof(fuzz_kinds[0]); i++) {
		int err;
		memset(msg, 'x', sizeof(msg));
		err = opts_check(j, fuzz_kinds[i][0], fuzz_kinds[i][1], fuzz_kinds[i][2], msg,
				 sizeof(msg));
		FUZZ_ASSERT(err == 0 || err == -EINVAL || err == -ENOPROTOOPT, "errno %d", -err);
		FUZZ_ASSERT(err == 0 || FUZZ_MSG_OK(msg, sizeof(msg)), "no message for an error");
	}
	json_decref(j);
	return 0;
}
