/* fuzz_msgs.c - arbitrary bytes written to N/msgs (msg_parse_out: data,
 * encoding, address, flags, fds), and any bytes as a received payload
 * (msg_set_payload), which must read back as the same bytes. */
#include "fuzz.h"
#include "msg.h"

#include <errno.h>

static void fuzz_payload_round_trip(const uint8_t *data, size_t size)
{
	json_t *obj = json_object(), *back;
	struct msg_out m;
	char msg[256];
	int err;

	FUZZ_ASSERT(obj && msg_set_payload(obj, data, size) == 0, "payload");
	/* What a reader gets is what a writer sends: the same JSON goes back
	 * through the write parser and gives the same bytes. */
	back = json_pack("{s:O, s:O}", "data", json_object_get(obj, "data"), "encoding",
			 json_object_get(obj, "encoding"));
	err = msg_parse_out(back, &m, msg, sizeof(msg));
	FUZZ_ASSERT(err == 0, "payload did not parse back: %s", msg);
	FUZZ_ASSERT(m.len == size && (size == 0 || memcmp(m.data, data, size) == 0),
		    "payload changed: %zu bytes back for %zu", m.len, size);
	msg_out_free(&m);
	json_decref(back);
	json_decref(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
	struct msg_out m;
	char msg[256];

	if (json_is_object(j)) {
		int err;
		memset(msg, 'x', sizeof(msg));
		err = msg_parse_out(j, &m, msg, sizeof(msg));
		FUZZ_ASSERT(err == 0 || err == -EINVAL || err == -ENOMEM, "errno %d", -err);
		FUZZ_ASSERT(err == 0 || FUZZ_MSG_OK(msg, sizeof(msg)), "no message for an error");
		if (!err) {
			FUZZ_ASSERT(m.nfds <= MSG_MAX_FDS, "%zu fds", m.nfds);
			msg_out_free(&m);
		}
	}
	json_decref(j);
	fuzz_payload_round_trip(data, size);
	return 0;
}
