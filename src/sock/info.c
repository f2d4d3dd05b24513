/* info.c - the read-only JSON files of a socket: addr, status, err. */
#include "info.h"

#include "addr.h"
#include "names.h"
#include "proto.h"
#include "sock.h"

#include <errno.h>
#include <sys/socket.h>

static json_t *info_name(struct sock *s, bool peer)
{
	struct addr a = {.len = sizeof(a.u)};
	int r;

	if (s->fd < 0)
		return json_null();
	r = peer ? getpeername(s->fd, &a.u.sa, &a.len) : getsockname(s->fd, &a.u.sa, &a.len);
	if (r < 0)
		return json_null();
	/* An unbound socket of a family with ports (inet) reports the any
	 * address with port 0: that is no address yet. (An unbound unix
	 * socket's "" is its answer.) */
	if (!peer && s->state == SOCK_ST_OPEN && proto_port(&a.u.sa, a.len) == 0)
		return json_null();
	return addr_to_json(&a.u.sa, a.len);
}

json_t *info_addr(struct sock *s)
{
	return json_pack("{s:o, s:o}", "local", info_name(s, false), "peer", info_name(s, true));
}

json_t *info_err(struct sock *s)
{
	return s->last_err ? json_incref(s->last_err) : json_null();
}

static json_t *info_const(const struct names_entry *t, int v)
{
	const char *n = names_name(t, v);

	return n ? json_string(n) : json_integer(v);
}

json_t *info_status(struct sock *s)
{
	sock_follow_connect(s);
	return json_pack(
	    "{s:I, s:o, s:o, s:i, s:s, s:o, s:o, s:i, s:i, s:o, s:o, s:I}", "id", (json_int_t)s->id,
	    "family", s->fd >= 0 ? info_const(names_af, s->family) : json_null(), "type",
	    info_const(names_sock, s->type), "proto", s->proto, "state", sock_state_name(s->state),
	    "local", info_name(s, false), "peer", info_name(s, true), "owner", (int)s->uid, "group",
	    (int)s->gid, "timeout",
	    s->timeout_ms < 0 ? json_null() : json_real((double)s->timeout_ms / 1000.0), "error",
	    info_err(s), "queued", (json_int_t)s->outq.bytes);
}
