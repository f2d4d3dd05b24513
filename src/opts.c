/* opts.c - socket options by the socket module's names, from one table. */
#include "opts.h"

#include "sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

enum opts_type {
	OPTS_INT,
	OPTS_BOOL,
	OPTS_LINGER,
	OPTS_STRING,
};

/* Which sockets an option applies to. */
#define OPTS_ANY  0
#define OPTS_INET 1 /* AF_INET and AF_INET6 */
#define OPTS_IP4  2
#define OPTS_IP6  3
#define OPTS_TCP  4

struct opts_entry {
	const char *name;
	int level, optname;
	enum opts_type type;
	int applies;
	bool readonly;
};

#define O(lvl, opt, type, applies, ro)                                                             \
	{                                                                                          \
#opt, lvl, opt, type, applies, ro                                                  \
	}

static const struct opts_entry opts_table[] = {
    O(SOL_SOCKET, SO_ACCEPTCONN, OPTS_BOOL, OPTS_ANY, true),
    O(SOL_SOCKET, SO_BROADCAST, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_DEBUG, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_DOMAIN, OPTS_INT, OPTS_ANY, true),
    O(SOL_SOCKET, SO_DONTROUTE, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_ERROR, OPTS_INT, OPTS_ANY, true),
    O(SOL_SOCKET, SO_KEEPALIVE, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_LINGER, OPTS_LINGER, OPTS_ANY, false),
    O(SOL_SOCKET, SO_OOBINLINE, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_PRIORITY, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_PROTOCOL, OPTS_INT, OPTS_ANY, true),
    O(SOL_SOCKET, SO_RCVBUF, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_RCVLOWAT, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_REUSEADDR, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_REUSEPORT, OPTS_BOOL, OPTS_ANY, false),
    O(SOL_SOCKET, SO_SNDBUF, OPTS_INT, OPTS_ANY, false),
    O(SOL_SOCKET, SO_TYPE, OPTS_INT, OPTS_ANY, true),
    O(IPPROTO_TCP, TCP_NODELAY, OPTS_BOOL, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_MAXSEG, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_KEEPIDLE, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_KEEPINTVL, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_KEEPCNT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_QUICKACK, OPTS_BOOL, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_USER_TIMEOUT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_NOTSENT_LOWAT, OPTS_INT, OPTS_TCP, false),
    O(IPPROTO_TCP, TCP_CONGESTION, OPTS_STRING, OPTS_TCP, false),
    O(IPPROTO_IP, IP_TOS, OPTS_INT, OPTS_IP4, false),
    O(IPPROTO_IP, IP_TTL, OPTS_INT, OPTS_IP4, false),
    O(IPPROTO_IPV6, IPV6_V6ONLY, OPTS_BOOL, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_UNICAST_HOPS, OPTS_INT, OPTS_IP6, false),
    O(IPPROTO_IPV6, IPV6_TCLASS, OPTS_INT, OPTS_IP6, false),
};

#define OPTS_COUNT (sizeof(opts_table) / sizeof(opts_table[0]))

static bool opts_applies(const struct opts_entry *o, struct sock *s)
{
	bool inet = s->family == AF_INET || s->family == AF_INET6;

	switch (o->applies) {
	case OPTS_INET:
		return inet;
	case OPTS_IP4:
		return s->family == AF_INET;
	case OPTS_IP6:
		return s->family == AF_INET6;
	case OPTS_TCP:
		return inet && s->type == SOCK_STREAM && (s->proto == 0 || s->proto == IPPROTO_TCP);
	default:
		return true;
	}
}

static json_t *opts_read(struct sock *s, const struct opts_entry *o)
{
	union {
		int i;
		struct linger l;
		char str[64];
	} v;
	socklen_t len = sizeof(v);

	memset(&v, 0, sizeof(v));
	if (getsockopt(s->fd, o->level, o->optname, &v, &len) < 0)
		return NULL;
	switch (o->type) {
	case OPTS_BOOL:
		return json_boolean(v.i);
	case OPTS_LINGER:
		return json_pack("{s:b, s:i}", "onoff", v.l.l_onoff, "linger", v.l.l_linger);
	case OPTS_STRING:
		return json_stringn(v.str, strnlen(v.str, len));
	default:
		return json_integer(v.i);
	}
}

json_t *opts_get(struct sock *s)
{
	json_t *obj = json_object();

	if (!obj || s->fd < 0)
		return obj;
	for (size_t i = 0; i < OPTS_COUNT; i++) {
		json_t *v;
		if (!opts_applies(&opts_table[i], s))
			continue;
		v = opts_read(s, &opts_table[i]);
		if (v)
			json_object_set_new(obj, opts_table[i].name, v);
	}
	return obj;
}

/* An option's value as setsockopt bytes. */
union opts_val {
	int i;
	struct linger l;
};

/* Convert v for option o into *p and *len (pointing into val or v): 0 or
 * -EINVAL with msg. */
static int opts_value(const struct opts_entry *o, json_t *v, union opts_val *val, const void **p,
		      socklen_t *len, char *msg, size_t msglen)
{
	json_error_t jerr;

	*p = &val->i;
	*len = sizeof(val->i);
	switch (o->type) {
	case OPTS_BOOL:
	case OPTS_INT:
		if (json_is_boolean(v))
			val->i = json_is_true(v);
		else if (json_is_integer(v))
			val->i = (int)json_integer_value(v);
		else {
			snprintf(msg, msglen, "%s: expected %s", o->name,
				 o->type == OPTS_BOOL ? "true, false or an integer" : "an integer");
			return -EINVAL;
		}
		break;
	case OPTS_LINGER:
		if (json_unpack_ex(v, &jerr, JSON_STRICT, "{s:b, s:i}", "onoff", &val->l.l_onoff,
				   "linger", &val->l.l_linger)) {
			snprintf(msg, msglen,
				 "%s: expected {\"onoff\": bool, \"linger\": seconds}: %s", o->name,
				 jerr.text);
			return -EINVAL;
		}
		*p = &val->l;
		*len = sizeof(val->l);
		break;
	case OPTS_STRING:
		if (!json_is_string(v)) {
			snprintf(msg, msglen, "%s: expected a string", o->name);
			return -EINVAL;
		}
		*p = json_string_value(v);
		*len = (socklen_t)json_string_length(v);
		break;
	}
	return 0;
}

static int opts_write(struct sock *s, const struct opts_entry *o, json_t *v, char *msg,
		      size_t msglen)
{
	union opts_val val;
	const void *p;
	socklen_t len;
	int err = opts_value(o, v, &val, &p, &len, msg, msglen);

	if (err)
		return err;
	if (setsockopt(s->fd, o->level, o->optname, p, len) < 0) {
		err = errno;
		snprintf(msg, msglen, "%s: %s", o->name, strerror(err));
		return -err;
	}
	return 0;
}

/* The settable option named key for s: 0, or -errno with msg. */
static int opts_find(const char *key, struct sock *s, const struct opts_entry **out, char *msg,
		     size_t msglen)
{
	const struct opts_entry *o = NULL;

	for (size_t i = 0; i < OPTS_COUNT; i++)
		if (!strcmp(opts_table[i].name, key))
			o = &opts_table[i];
	if (!o || !opts_applies(o, s)) {
		snprintf(msg, msglen, "%s: %s", key,
			 o ? "does not apply to this socket" : "unknown option");
		return o ? -ENOPROTOOPT : -EINVAL;
	}
	if (o->readonly) {
		snprintf(msg, msglen, "%s: read-only", key);
		return -ENOPROTOOPT;
	}
	*out = o;
	return 0;
}

int opts_check(json_t *obj, int family, int type, int proto, char *msg, size_t msglen)
{
	struct sock s = {.fd = -1, .family = family, .type = type, .proto = proto};
	const struct opts_entry *o;
	union opts_val val;
	const void *p;
	socklen_t len;
	const char *key;
	json_t *v;
	int err;

	if (!json_is_object(obj)) {
		snprintf(msg, msglen, "options are a JSON object, like {\"SO_REUSEADDR\": true}");
		return -EINVAL;
	}
	json_object_foreach(obj, key, v)
	{
		err = opts_find(key, &s, &o, msg, msglen);
		if (!err)
			err = opts_value(o, v, &val, &p, &len, msg, msglen);
		if (err)
			return err;
	}
	return 0;
}

int opts_set(struct sock *s, json_t *obj, json_t **reply, char *msg, size_t msglen)
{
	const char *key;
	json_t *v, *set;

	if (!json_is_object(obj)) {
		snprintf(msg, msglen, "options are a JSON object, like {\"SO_REUSEADDR\": true}");
		return -EINVAL;
	}
	if (s->fd < 0) {
		snprintf(msg, msglen, "no kernel socket yet: connect, bind or socket first");
		return -ENOTCONN;
	}
	set = json_object();
	json_object_foreach(obj, key, v)
	{
		const struct opts_entry *o;
		int err = opts_find(key, s, &o, msg, msglen);
		if (!err)
			err = opts_write(s, o, v, msg, msglen);
		if (err) {
			json_decref(set);
			return err;
		}
		json_object_set_new(set, key, opts_read(s, o));
	}
	*reply = json_pack("{s:b, s:o}", "ok", 1, "set", set);
	return 0;
}
