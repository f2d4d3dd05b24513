/* fuzz_ctl.c - arbitrary bytes written to N/ctl (ctl_check: JSON, verb,
 * strict arguments) and to new (ctl_socket_args). */
#include "ctl.h"
#include "fuzz.h"

#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[256];
	int err, family = 0, type = 0, proto = 0;
	json_t *j;

	memset(msg, 'x', sizeof(msg));
	err = ctl_check((const char *)data, size, msg, sizeof(msg));
	FUZZ_ASSERT(err == 0 || err == -EINVAL, "errno %d", -err);
	FUZZ_ASSERT(err == 0 || FUZZ_MSG_OK(msg, sizeof(msg)), "no message for an error");

	j = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
	if (json_is_object(j)) {
		memset(msg, 'x', sizeof(msg));
		err = ctl_socket_args(j, &family, &type, &proto, msg, sizeof(msg));
		FUZZ_ASSERT(err == 0 || err == -EINVAL, "errno %d", -err);
		FUZZ_ASSERT(err == 0 || FUZZ_MSG_OK(msg, sizeof(msg)), "no message for an error");
	}
	json_decref(j);
	return 0;
}
