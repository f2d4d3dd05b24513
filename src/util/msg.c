/* msg.c - message payloads as JSON, base64, and parsing messages to send. */
#include "msg.h"

#include "b64.h"
#include "names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

bool msg_utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t len;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			return false;
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

int msg_set_payload(json_t *obj, const unsigned char *p, size_t n)
{
	json_t *data = NULL;
	const char *enc = "utf-8";

	if (msg_utf8_valid(p, n))
		data = json_stringn((const char *)p, n);
	if (!data) {
		char *b = b64_encode(p, n);
		if (!b)
			return -ENOMEM;
		data = json_string(b);
		free(b);
		enc = "base64";
	}
	if (!data || json_object_set_new(obj, "data", data) ||
	    json_object_set_new(obj, "encoding", json_string(enc)))
		return -ENOMEM;
	return 0;
}

int msg_flags(json_t *v, int *out, char *msg, size_t msglen)
{
	size_t i;
	json_t *e;

	*out = 0;
	if (!v)
		return 0;
	if (json_is_integer(v)) {
		*out = (int)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		if (names_flags(names_msg, json_string_value(v), out) == 0)
			return 0;
		snprintf(msg, msglen, "flags: unknown flag in \"%.64s\"; known: %s",
			 json_string_value(v), names_list(names_msg));
		return -EINVAL;
	}
	if (!json_is_array(v))
		goto bad;
	json_array_foreach(v, i, e)
	{
		int f;
		if (!json_is_string(e))
			goto bad;
		if (names_value(names_msg, json_string_value(e), &f)) {
			snprintf(msg, msglen, "flags: unknown flag \"%.64s\"",
				 json_string_value(e));
			return -EINVAL;
		}
		*out |= f;
	}
	return 0;
bad:
	snprintf(msg, msglen,
		 "flags: expected a list of names like [\"MSG_DONTWAIT\"], a string "
		 "\"MSG_A|MSG_B\" or an integer");
	return -EINVAL;
}

int msg_decode(const char *data, size_t len, const char *enc, unsigned char **out, size_t *outlen,
	       char *msg, size_t msglen)
{
	if (!enc || !strcmp(enc, "utf-8")) {
		*out = malloc(len + 1);
		if (!*out)
			return -ENOMEM;
		memcpy(*out, data, len);
		*outlen = len;
		return 0;
	}
	if (!strcmp(enc, "base64")) {
		if (b64_decode(data, len, out, outlen) == 0)
			return 0;
		snprintf(msg, msglen, "data: not valid base64");
		return -EINVAL;
	}
	snprintf(msg, msglen, "encoding: expected \"utf-8\" or \"base64\", got \"%.32s\"", enc);
	return -EINVAL;
}

int msg_parse_out(json_t *obj, struct msg_out *out, char *msg, size_t msglen)
{
	json_t *data = NULL, *flags = NULL, *fds = NULL, *e;
	const char *enc = "utf-8";
	json_error_t jerr;
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	if (json_unpack_ex(obj, &jerr, JSON_STRICT, "{s:o, s?s, s?o, s?o, s?o}", "data", &data,
			   "encoding", &enc, "address", &out->address, "flags", &flags, "fds",
			   &fds)) {
		snprintf(msg, msglen, "message: %s (fields: data encoding address flags fds)",
			 jerr.text);
		return -EINVAL;
	}
	if (!json_is_string(data)) {
		snprintf(msg, msglen, "message: \"data\" must be a string");
		return -EINVAL;
	}
	if (json_is_null(out->address))
		out->address = NULL;
	if (json_is_null(flags))
		flags = NULL;
	err = msg_flags(flags, &out->flags, msg, msglen);
	if (err)
		return err;
	if (fds && !json_is_null(fds)) {
		if (!json_is_array(fds) || json_array_size(fds) > MSG_MAX_FDS) {
			snprintf(msg, msglen, "fds: expected a list of at most %d socket ids",
				 MSG_MAX_FDS);
			return -EINVAL;
		}
		json_array_foreach(fds, i, e)
		{
			if (!json_is_integer(e) || json_integer_value(e) <= 0) {
				snprintf(msg, msglen,
					 "fds: expected socket ids (positive integers)");
				return -EINVAL;
			}
			out->fds[out->nfds++] = (uint64_t)json_integer_value(e);
		}
	}
	if (!strcmp(enc, "utf8"))
		enc = "utf-8";
	return msg_decode(json_string_value(data), json_string_length(data), enc, &out->data,
			  &out->len, msg, msglen);
}

void msg_out_free(struct msg_out *out)
{
	free(out->data);
	out->data = NULL;
}

json_t *msg_flags_json(int flags)
{
	static const int shown[] = {MSG_TRUNC, MSG_CTRUNC, MSG_EOR, MSG_OOB, MSG_ERRQUEUE};
	json_t *a = json_array();

	for (size_t i = 0; a && i < sizeof(shown) / sizeof(shown[0]); i++)
		if (flags & shown[i])
			json_array_append_new(a, json_string(names_name(names_msg, shown[i])));
	return a;
}

json_t *msg_flags_json_all(int flags)
{
	json_t *a = json_array();

	for (int bit = 1; a && bit > 0 && bit <= flags; bit <<= 1) {
		const char *n = flags & bit ? names_name(names_msg, bit) : NULL;
		if (flags & bit)
			json_array_append_new(a, n ? json_string(n) : json_integer(bit));
	}
	return a;
}
