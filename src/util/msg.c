/* msg.c - message payloads as JSON, base64, and parsing messages to send. */
#include "msg.h"

#include "b64.h"
#include "names.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/if_alg.h>
#include <netinet/in.h>
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
		if (json_integer_value(v) < INT_MIN || json_integer_value(v) > INT_MAX) {
			snprintf(msg, msglen,
				 "flags: %" JSON_INTEGER_FORMAT " is out of range (a C int)",
				 json_integer_value(v));
			return -EINVAL;
		}
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

/* Ancillary data to send. */

/* A level: a number, "SOL_SOCKET", or an IPPROTO_* name. */
static int msg_anc_level(json_t *v, int *out)
{
	if (json_is_integer(v)) {
		*out = (int)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -EINVAL;
	if (!strcmp(json_string_value(v), "SOL_SOCKET")) {
		*out = SOL_SOCKET;
		return 0;
	}
	if (names_value(names_sol, json_string_value(v), out) == 0)
		return 0;
	return names_value(names_ipproto, json_string_value(v), out) ? -EINVAL : 0;
}

/* The items known by name, with their typed values. */
enum msg_anc_kind {
	MSG_ANC_INT,
	MSG_ANC_PKTINFO4,
	MSG_ANC_PKTINFO6,
	MSG_ANC_CREDS,
	MSG_ANC_ALG_IV
};

static const struct msg_anc_name {
	const char *name;
	int level, type;
	enum msg_anc_kind kind;
} msg_anc_names[] = {
    {"IPV6_HOPLIMIT", IPPROTO_IPV6, IPV6_HOPLIMIT, MSG_ANC_INT},
    {"IPV6_TCLASS", IPPROTO_IPV6, IPV6_TCLASS, MSG_ANC_INT},
    {"IPV6_PKTINFO", IPPROTO_IPV6, IPV6_PKTINFO, MSG_ANC_PKTINFO6},
    {"IP_TTL", IPPROTO_IP, IP_TTL, MSG_ANC_INT},
    {"IP_TOS", IPPROTO_IP, IP_TOS, MSG_ANC_INT},
    {"IP_PKTINFO", IPPROTO_IP, IP_PKTINFO, MSG_ANC_PKTINFO4},
    {"SCM_CREDENTIALS", SOL_SOCKET, SCM_CREDENTIALS, MSG_ANC_CREDS},
    /* AF_ALG's sendmsg_afalg: op (ALG_OP_ENCRYPT/ALG_OP_DECRYPT or a number), iv, assoclen. */
    {"ALG_SET_OP", SOL_ALG, ALG_SET_OP, MSG_ANC_INT},
    {"ALG_SET_IV", SOL_ALG, ALG_SET_IV, MSG_ANC_ALG_IV},
    {"ALG_SET_AEAD_ASSOCLEN", SOL_ALG, ALG_SET_AEAD_ASSOCLEN, MSG_ANC_INT},
};

#define MSG_ANC_NNAMES (sizeof(msg_anc_names) / sizeof(msg_anc_names[0]))

/* {"address": "...", "ifindex": n} into an in_pktinfo / in6_pktinfo. */
static int msg_anc_pktinfo(json_t *v, int family, unsigned char *out, size_t *len)
{
	const char *host = "";
	json_int_t ifindex = 0;
	json_error_t jerr;

	if (json_unpack_ex(v, &jerr, JSON_STRICT, "{s?s, s?I}", "address", &host, "ifindex",
			   &ifindex) ||
	    ifindex < 0 || ifindex > 0x7fffffff)
		return -EINVAL;
	if (family == AF_INET) {
		struct in_pktinfo pi = {.ipi_ifindex = (int)ifindex};
		if (*host && inet_pton(AF_INET, host, &pi.ipi_spec_dst) != 1)
			return -EINVAL;
		memcpy(out, &pi, sizeof(pi));
		*len = sizeof(pi);
	} else {
		struct in6_pktinfo pi = {.ipi6_ifindex = (unsigned)ifindex};
		if (*host && inet_pton(AF_INET6, host, &pi.ipi6_addr) != 1)
			return -EINVAL;
		memcpy(out, &pi, sizeof(pi));
		*len = sizeof(pi);
	}
	return 0;
}

#define MSG_ANC_TYPED_MAX 64

/* A named item's value into out (room for MSG_ANC_TYPED_MAX bytes). */
static int msg_anc_typed(const struct msg_anc_name *n, json_t *v, unsigned char *out, size_t *len,
			 char *msg, size_t msglen)
{
	json_error_t jerr;

	switch (n->kind) {
	case MSG_ANC_INT: {
		int i;
		if (n->level == SOL_ALG && json_is_string(v) &&
		    !names_value(names_alg, json_string_value(v), &i)) {
			memcpy(out, &i, sizeof(i));
			*len = sizeof(i);
			return 0;
		}
		if (!json_is_integer(v) || json_integer_value(v) < INT32_MIN ||
		    json_integer_value(v) > INT32_MAX)
			break;
		i = (int)json_integer_value(v);
		memcpy(out, &i, sizeof(i));
		*len = sizeof(i);
		return 0;
	}
	case MSG_ANC_PKTINFO4:
	case MSG_ANC_PKTINFO6:
		if (msg_anc_pktinfo(v, n->kind == MSG_ANC_PKTINFO4 ? AF_INET : AF_INET6, out, len))
			break;
		return 0;
	case MSG_ANC_ALG_IV: {
		/* struct af_alg_iv: the length, then the IV's bytes. */
		const char *text = json_is_string(v) ? json_string_value(v) : NULL;
		unsigned char *iv = NULL;
		size_t n = 0;
		uint32_t ivlen;
		if (!text && json_unpack_ex(v, &jerr, JSON_STRICT, "{s:s}", "base64", &text))
			break;
		if (b64_decode(text, strlen(text), &iv, &n) ||
		    n > MSG_ANC_TYPED_MAX - sizeof(ivlen)) {
			free(iv);
			break;
		}
		ivlen = (uint32_t)n;
		memcpy(out, &ivlen, sizeof(ivlen));
		memcpy(out + sizeof(ivlen), iv, n);
		*len = sizeof(ivlen) + n;
		free(iv);
		return 0;
	}
	case MSG_ANC_CREDS: {
		json_int_t pid, uid, gid;
		struct ucred u;
		if (json_unpack_ex(v, &jerr, JSON_STRICT, "{s:I, s:I, s:I}", "pid", &pid, "uid",
				   &uid, "gid", &gid) ||
		    pid < INT32_MIN || pid > INT32_MAX || uid < 0 || uid > UINT32_MAX || gid < 0 ||
		    gid > UINT32_MAX)
			break;
		u.pid = (pid_t)pid;
		u.uid = (uid_t)uid;
		u.gid = (gid_t)gid;
		memcpy(out, &u, sizeof(u));
		*len = sizeof(u);
		return 0;
	}
	}
	snprintf(msg, msglen, "ancillary: %s takes %s", n->name,
		 n->kind == MSG_ANC_INT	     ? "an integer"
		 : n->kind == MSG_ANC_ALG_IV ? "{\"base64\": the IV} (at most 60 bytes)"
		 : n->kind == MSG_ANC_CREDS  ? "{\"pid\", \"uid\", \"gid\"}"
					     : "{\"address\", \"ifindex\"}");
	return -EINVAL;
}

/* One item: its level, type and data (malloc'd in *data). */
static int msg_anc_item(json_t *e, int *level, int *type, unsigned char **data, size_t *len,
			char *msg, size_t msglen)
{
	json_t *lv, *tv, *dv;
	json_error_t jerr;

	if (json_is_object(e) && json_object_size(e) == 1 && !json_object_get(e, "data")) {
		const char *key = json_object_iter_key(json_object_iter(e));
		for (size_t i = 0; i < MSG_ANC_NNAMES; i++) {
			if (strcmp(key, msg_anc_names[i].name))
				continue;
			*level = msg_anc_names[i].level;
			*type = msg_anc_names[i].type;
			*data = malloc(MSG_ANC_TYPED_MAX);
			if (!*data)
				return -ENOMEM;
			return msg_anc_typed(&msg_anc_names[i], json_object_get(e, key), *data, len,
					     msg, msglen);
		}
		snprintf(msg, msglen,
			 "ancillary: unknown item \"%.64s\" (by name: IPV6_HOPLIMIT, IPV6_TCLASS, "
			 "IPV6_PKTINFO, IP_TTL, IP_TOS, IP_PKTINFO, SCM_CREDENTIALS, ALG_SET_OP, "
			 "ALG_SET_IV, ALG_SET_AEAD_ASSOCLEN; any other as "
			 "{\"level\", \"type\", \"data\"})",
			 key);
		return -EINVAL;
	}
	if (json_unpack_ex(e, &jerr, JSON_STRICT, "{s:o, s:o, s:o}", "level", &lv, "type", &tv,
			   "data", &dv)) {
		snprintf(msg, msglen,
			 "ancillary: an item is {\"level\", \"type\", \"data\": base64} or "
			 "{\"NAME\": value}: %s",
			 jerr.text);
		return -EINVAL;
	}
	if (msg_anc_level(lv, level) || !json_is_integer(tv) || !json_is_string(dv)) {
		snprintf(msg, msglen,
			 "ancillary: level is a number or SOL_SOCKET/IPPROTO_*, type a number, "
			 "data base64");
		return -EINVAL;
	}
	*type = (int)json_integer_value(tv);
	if (b64_decode(json_string_value(dv), json_string_length(dv), data, len)) {
		snprintf(msg, msglen, "ancillary: data is not valid base64");
		return -EINVAL;
	}
	if (*len > MSG_ANC_DATA_MAX) {
		snprintf(msg, msglen, "ancillary: an item's data is at most %d bytes",
			 MSG_ANC_DATA_MAX);
		return -EINVAL;
	}
	if (*level == SOL_SOCKET && *type == SCM_RIGHTS) {
		snprintf(msg, msglen,
			 "ancillary: SCM_RIGHTS goes in \"fds\" (socket ids or {\"fd\": n})");
		return -EINVAL;
	}
	return 0;
}

/* "ancillary": [...] into out->control, every item CMSG_SPACE(len) long
 * as the socket module lays them out. */
static int msg_parse_ancillary(json_t *anc, struct msg_out *out, char *msg, size_t msglen)
{
	size_t i, total = 0;
	json_t *e;

	if (!json_is_array(anc) || json_array_size(anc) > MSG_ANC_MAX) {
		snprintf(msg, msglen, "ancillary: expected a list of at most %d items",
			 MSG_ANC_MAX);
		return -EINVAL;
	}
	json_array_foreach(anc, i, e)
	{
		int level = 0, type = 0, err;
		unsigned char *data = NULL, *grown;
		size_t len = 0, space;
		struct cmsghdr *c;
		err = msg_anc_item(e, &level, &type, &data, &len, msg, msglen);
		if (err) {
			free(data);
			return err;
		}
		space = CMSG_SPACE(len);
		grown = realloc(out->control, total + space);
		if (!grown) {
			free(data);
			return -ENOMEM;
		}
		memset(grown + total, 0, space);
		c = (struct cmsghdr *)(grown + total);
		c->cmsg_level = level;
		c->cmsg_type = type;
		c->cmsg_len = CMSG_LEN(len);
		if (len)
			memcpy(CMSG_DATA(c), data, len);
		free(data);
		out->control = grown;
		total += space;
	}
	out->controllen = total;
	return 0;
}

/* "fds": socket ids, or {"fd": n} for the writer's own descriptor n. */
static int msg_parse_fds(json_t *fds, struct msg_out *out, char *msg, size_t msglen)
{
	size_t i;
	json_t *e;

	if (!json_is_array(fds) || json_array_size(fds) > MSG_MAX_FDS) {
		snprintf(msg, msglen,
			 "fds: expected a list of at most %d socket ids or {\"fd\": n}",
			 MSG_MAX_FDS);
		return -EINVAL;
	}
	json_array_foreach(fds, i, e)
	{
		json_int_t fd = -1;
		out->pfds[out->nfds] = -1;
		if (json_is_integer(e) && json_integer_value(e) > 0) {
			out->fds[out->nfds++] = (uint64_t)json_integer_value(e);
			continue;
		}
		if (json_is_object(e) && !json_unpack(e, "{s:I !}", "fd", &fd) && fd >= 0 &&
		    fd <= INT32_MAX) {
			out->fds[out->nfds] = 0;
			out->pfds[out->nfds++] = (int)fd;
			continue;
		}
		snprintf(msg, msglen,
			 "fds: expected socket ids (positive integers) or {\"fd\": n} (a "
			 "descriptor of the writing process)");
		return -EINVAL;
	}
	return 0;
}

int msg_parse_out(json_t *obj, struct msg_out *out, char *msg, size_t msglen)
{
	json_t *data = NULL, *flags = NULL, *fds = NULL, *anc = NULL;
	const char *enc = "utf-8";
	json_error_t jerr;
	int err;

	memset(out, 0, sizeof(*out));
	if (json_unpack_ex(obj, &jerr, JSON_STRICT, "{s:o, s?s, s?o, s?o, s?o, s?o}", "data", &data,
			   "encoding", &enc, "address", &out->address, "flags", &flags, "fds", &fds,
			   "ancillary", &anc)) {
		snprintf(msg, msglen,
			 "message: %s (fields: data encoding address flags fds ancillary)",
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
		err = msg_parse_fds(fds, out, msg, msglen);
		if (err)
			return err;
	}
	if (anc && !json_is_null(anc)) {
		err = msg_parse_ancillary(anc, out, msg, msglen);
		if (err) {
			msg_out_free(out);
			return err;
		}
	}
	if (!strcmp(enc, "utf8"))
		enc = "utf-8";
	err = msg_decode(json_string_value(data), json_string_length(data), enc, &out->data,
			 &out->len, msg, msglen);
	if (err)
		msg_out_free(out);
	return err;
}

void msg_out_free(struct msg_out *out)
{
	free(out->data);
	out->data = NULL;
	free(out->control);
	out->control = NULL;
	out->controllen = 0;
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
