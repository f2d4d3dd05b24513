/* unix.c - the AF_UNIX entry of the protocol table: paths, abstract names, unnamed. */
#include "proto.h"

#include "b64.h"
#include "msg.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#define UNIX_OFF offsetof(struct sockaddr_un, sun_path)

/* The name's bytes s[0..n): "" unnamed, a leading NUL abstract, else a
 * path (no NUL inside). */
static int unix_from_bytes(const char *s, size_t n, struct addr *out, char *err, size_t errlen)
{
	const size_t max = sizeof(out->u.un.sun_path);

	out->u.un.sun_family = AF_UNIX;
	if (n == 0) {
		out->len = sizeof(sa_family_t);
		return 0;
	}
	if (s[0] == '\0') {
		if (n > max) {
			proto_err(err, errlen,
				  "abstract AF_UNIX address too long (%zu bytes with the leading "
				  "NUL, max %zu)",
				  n, max);
			return -ENAMETOOLONG;
		}
		memcpy(out->u.un.sun_path, s, n);
		out->len = (socklen_t)(UNIX_OFF + n);
		return 0;
	}
	if (memchr(s, '\0', n))
		return proto_err(err, errlen,
				 "AF_UNIX path must not contain NUL characters (a leading NUL "
				 "selects the abstract namespace)");
	if (n >= max) {
		proto_err(err, errlen, "AF_UNIX path too long (%zu bytes, max %zu)", n, max - 1);
		return -ENAMETOOLONG;
	}
	memcpy(out->u.un.sun_path, s, n);
	out->u.un.sun_path[n] = '\0';
	out->len = (socklen_t)(UNIX_OFF + n + 1);
	return 0;
}

/* {"bytes": "<base64>"}: a name that is not UTF-8 text. */
static int unix_from_bytes_json(const json_t *j, struct addr *out, char *err, size_t errlen)
{
	json_t *b = json_object_get(j, "bytes");
	unsigned char *raw;
	size_t n;
	int r;

	if (json_object_size(j) != 1 || !json_is_string(b))
		return proto_err(err, errlen,
				 "address for AF_UNIX as bytes must be {\"bytes\": \"<base64>\"}");
	if (b64_decode(json_string_value(b), json_string_length(b), &raw, &n))
		return proto_err(err, errlen, "address bytes: not valid base64");
	r = unix_from_bytes((const char *)raw, n, out, err, errlen);
	free(raw);
	return r;
}

/* "127.0.0.1:80", "[::1]:80", "example.com:http": a host and port written
 * as one string, not a path (no '/'). */
static bool unix_looks_inet(const char *s)
{
	const char *colon = strrchr(s, ':');

	return colon && colon != s && colon[1] && !strchr(s, '/') &&
	       strspn(colon + 1, "0123456789abcdefghijklmnopqrstuvwxyz-") == strlen(colon + 1);
}

static int unix_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			  char *err, size_t errlen)
{
	if (json_is_object(j))
		return unix_from_bytes_json(j, out, err, errlen);
	if (!json_is_string(j))
		return proto_err(err, errlen,
				 "address for AF_UNIX must be a string or {\"bytes\": base64}, "
				 "got %s",
				 proto_json_type(j));
	if (family == AF_UNSPEC && unix_looks_inet(json_string_value(j)))
		return proto_err(
		    err, errlen,
		    "\"%.64s\" is taken as an AF_UNIX path (a string is one); for a "
		    "host and port write [\"host\", port], or \"./%.64s\" for the path",
		    json_string_value(j), json_string_value(j));
	return unix_from_bytes(json_string_value(j), json_string_length(j), out, err, errlen);
}

/* The name's bytes: a path up to its NUL, an abstract name whole, or none. */
static bool unix_path(const struct sockaddr *sa, socklen_t len, const char **p, size_t *n)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
	size_t k = len > UNIX_OFF ? len - UNIX_OFF : 0;

	if (k > sizeof(un->sun_path))
		k = sizeof(un->sun_path);
	if (k && un->sun_path[0] != '\0')
		k = strnlen(un->sun_path, k);
	*p = un->sun_path;
	*n = k;
	return true;
}

static json_t *unix_to_json(const struct sockaddr *sa, socklen_t len)
{
	const char *p;
	size_t n;
	json_t *s;

	unix_path(sa, len, &p, &n);
	if (msg_utf8_valid((const unsigned char *)p, n)) {
		s = json_stringn(p, n);
		if (s)
			return s;
	}
	/* Not UTF-8 text: the bytes form, which every address field takes. */
	{
		char *b = b64_encode(p, n);
		if (!b)
			return NULL;
		s = json_pack("{s:s}", "bytes", b);
		free(b);
		return s;
	}
}

static bool unix_bound(const struct sockaddr *sa, socklen_t len)
{
	return len > sizeof(sa_family_t);
}

static bool unix_fs_path(const struct sockaddr *sa, socklen_t len)
{
	return len > UNIX_OFF && ((const struct sockaddr_un *)sa)->sun_path[0] != '\0';
}

static unsigned unix_opts(int type, int proto)
{
	return PROTO_OPT_UNIX;
}

const struct proto proto_unix = {
    .family = AF_UNIX,
    .name = "AF_UNIX",
    .form = "\"/path\", \"\\u0000name\" (abstract), \"\" (unnamed) or {\"bytes\": base64}",
    .from_json = unix_from_json,
    .to_json = unix_to_json,
    .bound = unix_bound,
    .path = unix_path,
    .fs_path = unix_fs_path,
    .opts = unix_opts,
};
