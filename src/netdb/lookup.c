/* lookup.c - the socket module's name-service functions as JSON queries.
 *
 * One table of verbs. Each verb lists its fields (name, type, whether
 * required); one generic pass checks a query against them and keeps the
 * values, so the verbs' functions only make the call. Verbs that may touch
 * NSS or the network are marked blocking: the caller runs them on a worker
 * thread. Results and errors take the socket module's shapes: gaierror
 * carries the EAI_* name, herror the h_errno name, both with their text.
 * The verbs that are pure conversions or local lookups (inet_*, if_*,
 * getservby*, gethostname ...) and the flags and hex helpers are in
 * lookup_conv.c; lookup_int.h has what the two files share. */
#include "lookup.h"
#include "lookup_int.h"

#include "addr.h"
#include "audit.h"
#include "err.h"
#include "policy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct lookup_verb lookup_verbs[];

/* Outcomes. */

void lookup_ok(struct lookup_q *q, json_t *result)
{
	json_decref(q->result);
	q->result = result;
	if (!result)
		q->err = ENOMEM;
}

void lookup_fail(struct lookup_q *q, int err, const char *fmt, ...)
{
	va_list ap;

	q->err = err;
	q->msg[0] = 0;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(q->msg, sizeof(q->msg), fmt, ap);
		va_end(ap);
	}
}

static void lookup_fail_gai(struct lookup_q *q, int gai, int sys_errno)
{
	q->gai = gai;
	q->gai_errno = sys_errno;
	q->err = err_gai_errno(gai, sys_errno);
}

static void lookup_fail_herror(struct lookup_q *q, int h)
{
	q->herr = h;
	q->err = lookup_herror_errno(h);
}

int lookup_herror_errno(int h)
{
	switch (h) {
	case HOST_NOT_FOUND:
	case NO_DATA:
		return ENXIO;
	case TRY_AGAIN:
		return EAGAIN;
	default:
		return EIO;
	}
}

json_t *lookup_herror_json(int h, const char *op)
{
	const char *name = names_name(names_herr, h);
	json_t *j = err_json(lookup_herror_errno(h), op, hstrerror(h));

	if (j)
		json_object_set_new(
		    json_object_get(j, "error"), "herror",
		    json_pack("{s:i, s:s}", "errno", h, "name", name ? name : "NETDB_INTERNAL"));
	return j;
}

/* Field access: string of field i, or NULL when absent or null. */
const char *lookup_str(struct lookup_q *q, int i)
{
	return q->v[i] && json_is_string(q->v[i]) ? json_string_value(q->v[i]) : NULL;
}

/* getaddrinfo and getnameinfo */

static void lookup_getaddrinfo(struct lookup_q *q)
{
	struct addrinfo hints = {0}, *res;
	const char *host = lookup_str(q, 0), *port = NULL;
	char pbuf[32];
	int r;

	if (q->v[1] && json_is_integer(q->v[1])) {
		snprintf(pbuf, sizeof(pbuf), "%lld", (long long)json_integer_value(q->v[1]));
		port = pbuf;
	} else {
		port = lookup_str(q, 1);
	}
	hints.ai_family = q->n[2];
	hints.ai_socktype = q->n[3];
	hints.ai_protocol = q->n[4];
	hints.ai_flags = q->n[5];
	r = getaddrinfo(host, port, &hints, &res);
	if (r) {
		lookup_fail_gai(q, r, errno);
		return;
	}
	lookup_ok(q, lookup_addrinfo_json(res));
	freeaddrinfo(res);
}

static void lookup_getnameinfo(struct lookup_q *q)
{
	struct addr a;
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	int r;

	if (!json_is_array(q->v[0])) {
		lookup_fail(q, EINVAL,
			    "getnameinfo: field \"sockaddr\": must be [host, port] or [host, port, "
			    "flowinfo, scope_id]");
		return;
	}
	r = addr_from_json(q->v[0], AF_UNSPEC, &a, NULL, q->msg, sizeof(q->msg));
	if (r) {
		q->err = -r;
		return;
	}
	r = getnameinfo(&a.u.sa, a.len, host, sizeof(host), serv, sizeof(serv), q->n[1]);
	if (r) {
		lookup_fail_gai(q, r, errno);
		return;
	}
	lookup_ok(q, json_pack("[s, s]", host, serv));
}

/* gethostby* */

/* The first address of a host for a family, as the socket module's
 * setipaddr: "" is the any address, "<broadcast>" the broadcast one,
 * numeric addresses as they are, names through getaddrinfo. */
static int lookup_setipaddr(struct lookup_q *q, const char *name, int family, struct addr *out)
{
	struct addrinfo hints = {0}, *res;
	int r;

	memset(out, 0, sizeof(*out));
	if (family != AF_INET6 && (!strcmp(name, "<broadcast>") || !name[0])) {
		out->u.in.sin_family = AF_INET;
		out->u.in.sin_addr.s_addr = name[0] ? htonl(INADDR_BROADCAST) : htonl(INADDR_ANY);
		out->len = sizeof(out->u.in);
		return 0;
	}
	hints.ai_family = family;
	r = getaddrinfo(name, NULL, &hints, &res);
	if (r) {
		lookup_fail_gai(q, r, errno);
		return -1;
	}
	if (res->ai_addrlen > sizeof(out->u)) {
		freeaddrinfo(res);
		lookup_fail_gai(q, EAI_FAMILY, 0);
		return -1;
	}
	memcpy(&out->u, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static json_t *lookup_ip_json(const struct sockaddr *sa)
{
	char buf[INET6_ADDRSTRLEN];
	const void *p = sa->sa_family == AF_INET6
			    ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
			    : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;

	if (!inet_ntop(sa->sa_family, p, buf, sizeof(buf)))
		return NULL;
	return json_string(buf);
}

static void lookup_gethostbyname(struct lookup_q *q)
{
	struct addr a;

	if (lookup_setipaddr(q, lookup_str(q, 0), AF_INET, &a) == 0)
		lookup_ok(q, lookup_ip_json(&a.u.sa));
}

/* [hostname, aliases, addresses] of a hostent. */
static json_t *lookup_hostent_json(const struct hostent *he)
{
	json_t *aliases = json_array(), *addrs = json_array();
	char buf[INET6_ADDRSTRLEN];

	for (char **p = he->h_aliases; p && *p; p++)
		json_array_append_new(aliases, json_string(*p));
	for (char **p = he->h_addr_list; p && *p; p++)
		if (inet_ntop(he->h_addrtype, *p, buf, sizeof(buf)))
			json_array_append_new(addrs, json_string(buf));
	return json_pack("[s, o, o]", he->h_name ? he->h_name : "", aliases, addrs);
}

/* gethostbyname_r or gethostbyaddr_r into a growing buffer. */
static void lookup_hostent(struct lookup_q *q, const char *name, const struct addr *a)
{
	struct hostent he, *res = NULL;
	size_t size = LOOKUP_BUF / 8;
	char *buf = NULL;
	int r, h = 0;

	for (;;) {
		char *nb = realloc(buf, size);
		if (!nb) {
			lookup_fail(q, ENOMEM, NULL);
			goto free_buf;
		}
		buf = nb;
		if (name)
			r = gethostbyname_r(name, &he, buf, size, &res, &h);
		else if (a->u.sa.sa_family == AF_INET6)
			r = gethostbyaddr_r(&a->u.in6.sin6_addr, sizeof(a->u.in6.sin6_addr),
					    AF_INET6, &he, buf, size, &res, &h);
		else
			r = gethostbyaddr_r(&a->u.in.sin_addr, sizeof(a->u.in.sin_addr), AF_INET,
					    &he, buf, size, &res, &h);
		if (r != ERANGE || size >= LOOKUP_BUF * 16)
			break;
		size *= 2;
	}
	if (!res) {
		lookup_fail_herror(q, h ? h : NO_RECOVERY);
		goto free_buf;
	}
	lookup_ok(q, lookup_hostent_json(res));
free_buf:
	free(buf);
}

/* As the socket module: the name must resolve (gaierror) before
 * gethostbyname_r is asked (herror). */
static void lookup_gethostbyname_ex(struct lookup_q *q)
{
	struct addr a;

	if (lookup_setipaddr(q, lookup_str(q, 0), AF_INET, &a) == 0)
		lookup_hostent(q, lookup_str(q, 0), NULL);
}

static void lookup_gethostbyaddr(struct lookup_q *q)
{
	struct addr a;

	if (lookup_setipaddr(q, lookup_str(q, 0), AF_UNSPEC, &a) == 0)
		lookup_hostent(q, NULL, &a);
}

/* As socket.getfqdn: the first name of gethostbyaddr that has a dot. */
static void lookup_getfqdn(struct lookup_q *q)
{
	char name[NI_MAXHOST] = "";
	const char *given = lookup_str(q, 0);
	const char *fqdn = name;
	size_t n;
	json_t *he;
	struct addr a;

	if (given) {
		given += strspn(given, " \t\n\r\f\v");
		snprintf(name, sizeof(name), "%s", given);
		for (n = strlen(name); n && strchr(" \t\n\r\f\v", name[n - 1]); n--)
			name[n - 1] = 0;
	}
	if (!name[0] || !strcmp(name, "0.0.0.0") || !strcmp(name, "::"))
		if (gethostname(name, sizeof(name) - 1) < 0)
			name[0] = 0;
	if (lookup_setipaddr(q, name, AF_UNSPEC, &a) == 0)
		lookup_hostent(q, NULL, &a);
	he = q->err ? NULL : q->result;
	if (he) {
		size_t i;
		json_t *alias;
		fqdn = json_string_value(json_array_get(he, 0));
		json_array_foreach(json_array_get(he, 1), i, alias)
		{
			if (strchr(json_string_value(alias), '.')) {
				fqdn = json_string_value(alias);
				break;
			}
		}
		if (!strchr(fqdn, '.') && strchr(json_string_value(json_array_get(he, 0)), '.'))
			fqdn = json_string_value(json_array_get(he, 0));
	}
	/* Errors are not reported: the name given is the answer. */
	q->err = q->gai = q->herr = 0;
	q->result = json_string(fqdn);
	json_decref(he);
	if (!q->result)
		q->err = ENOMEM;
}

static void lookup_help(struct lookup_q *q)
{
	json_t *ops = json_array();

	for (const struct lookup_verb *v = lookup_verbs; v->name && ops; v++) {
		json_t *args = json_array();
		for (int i = 0; i < LOOKUP_MAX_ARGS && v->args[i].name; i++)
			json_array_append_new(args, json_string(v->args[i].name));
		json_array_append_new(ops, json_pack("{s:s, s:o, s:s}", "op", v->name, "args", args,
						     "help", v->help));
	}
	lookup_ok(q, ops);
}

/* The shell forms. */

/* Is line (with its newline) one of the lines of text? */
static bool lookup_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; *p; p = strchr(p, '\n') + 1)
		if (!strncmp(p, line, n))
			return true;
	return false;
}

static void lookup_resolve_text(struct lookup_q *q)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
	size_t cap = 0;
	int r = getaddrinfo(q->name, NULL, &hints, &res);

	if (r) {
		lookup_fail_gai(q, r, errno);
		return;
	}
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		cap += INET6_ADDRSTRLEN + 1;
	q->text = calloc(1, cap + 1);
	if (!q->text) {
		freeaddrinfo(res);
		lookup_fail(q, ENOMEM, NULL);
		return;
	}
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		json_t *ip = lookup_ip_json(ai->ai_addr);
		const char *s = json_string_value(ip);
		char line[INET6_ADDRSTRLEN + 2];
		if (s) {
			snprintf(line, sizeof(line), "%s\n", s);
			if (!lookup_has_line(q->text, line))
				strcat(q->text, line);
		}
		json_decref(ip);
	}
	q->textlen = strlen(q->text);
	freeaddrinfo(res);
}

static void lookup_reverse_text(struct lookup_q *q)
{
	struct addr a = {0};
	char host[NI_MAXHOST];
	int r;

	if (inet_pton(AF_INET, q->name, &a.u.in.sin_addr) == 1) {
		a.u.in.sin_family = AF_INET;
		a.len = sizeof(a.u.in);
	} else if (inet_pton(AF_INET6, q->name, &a.u.in6.sin6_addr) == 1) {
		a.u.in6.sin6_family = AF_INET6;
		a.len = sizeof(a.u.in6);
	} else {
		lookup_fail(q, EINVAL, "not a numeric address");
		return;
	}
	r = getnameinfo(&a.u.sa, a.len, host, sizeof(host), NULL, 0, NI_NAMEREQD);
	if (r) {
		lookup_fail_gai(q, r, errno);
		return;
	}
	if (asprintf(&q->text, "%s\n", host) < 0) {
		q->text = NULL;
		lookup_fail(q, ENOMEM, NULL);
		return;
	}
	q->textlen = strlen(q->text);
}

static const struct lookup_verb lookup_resolve_verb = {
    "resolve", lookup_resolve_text, true, {{0}}, "addresses of a host, one per line"};
static const struct lookup_verb lookup_reverse_verb = {
    "reverse", lookup_reverse_text, true, {{0}}, "the name of an address"};

/* The table. */

#define A_STR(n)                                                                                   \
	{                                                                                          \
		n, LOOKUP_STR, NULL, true                                                          \
	}
#define A_OPT_STR(n)                                                                               \
	{                                                                                          \
		n, LOOKUP_STR_NULL, NULL, false                                                    \
	}
#define A_CONST(n, t)                                                                              \
	{                                                                                          \
		n, LOOKUP_CONST, t, false                                                          \
	}
#define A_FLAGS(n, t)                                                                              \
	{                                                                                          \
		n, LOOKUP_FLAGS, t, false                                                          \
	}
#define A_INT(n)                                                                                   \
	{                                                                                          \
		n, LOOKUP_INT, NULL, true                                                          \
	}

static const struct lookup_verb lookup_verbs[] = {
    {"getaddrinfo",
     lookup_getaddrinfo,
     true,
     {{"host", LOOKUP_STR_NULL, NULL, true},
      {"port", LOOKUP_PORT, NULL, false},
      A_CONST("family", names_af),
      A_CONST("type", names_sock),
      A_CONST("proto", names_ipproto),
      A_FLAGS("flags", names_ai)},
     "[[family, type, proto, canonname, sockaddr], ...] for a host and port"},
    {"getnameinfo",
     lookup_getnameinfo,
     true,
     {{"sockaddr", LOOKUP_ANY, NULL, true}, A_FLAGS("flags", names_ni)},
     "[host, port] names of a numeric socket address"},
    {"gethostbyname",
     lookup_gethostbyname,
     true,
     {A_STR("hostname")},
     "the IPv4 address of a host"},
    {"gethostbyname_ex",
     lookup_gethostbyname_ex,
     true,
     {A_STR("hostname")},
     "[hostname, aliases, addresses] of a host (IPv4)"},
    {"gethostbyaddr",
     lookup_gethostbyaddr,
     true,
     {A_STR("ip_address")},
     "[hostname, aliases, addresses] of an address"},
    {"getfqdn", lookup_getfqdn, true, {A_OPT_STR("name")}, "the fully qualified name of a host"},
    {"gethostname", lookup_gethostname, false, {{0}}, "the host name (of the daemon's namespace)"},
    {"sethostname",
     lookup_sethostname,
     false,
     {A_STR("name")},
     "set the host name (needs CAP_SYS_ADMIN; the daemon's UTS namespace)"},
    {"getservbyname",
     lookup_getservbyname,
     true,
     {A_STR("servicename"), A_OPT_STR("protocolname")},
     "the port of a service"},
    {"getservbyport",
     lookup_getservbyport,
     true,
     {A_INT("port"), A_OPT_STR("protocolname")},
     "the service name of a port"},
    {"getprotobyname",
     lookup_getprotobyname,
     true,
     {A_STR("protocolname")},
     "the number of a protocol"},
    {"if_nameindex", lookup_if_nameindex, false, {{0}}, "[[index, name], ...] of the interfaces"},
    {"if_nametoindex",
     lookup_if_nametoindex,
     false,
     {A_STR("if_name")},
     "the index of an interface"},
    {"if_indextoname",
     lookup_if_indextoname,
     false,
     {A_INT("if_index")},
     "the name of an interface"},
    {"inet_pton",
     lookup_inet_pton,
     false,
     {{"address_family", LOOKUP_CONST, names_af, true}, A_STR("ip_string")},
     "packed (hex) form of an address"},
    {"inet_ntop",
     lookup_inet_ntop,
     false,
     {{"address_family", LOOKUP_CONST, names_af, true}, A_STR("packed_ip")},
     "text form of a packed (hex) address"},
    {"inet_aton", lookup_inet_aton, false, {A_STR("ip_string")}, "packed (hex) IPv4 address"},
    {"inet_ntoa", lookup_inet_ntoa, false, {A_STR("packed_ip")}, "text of a packed IPv4 address"},
    {"has_ipv6", lookup_has_ipv6, false, {{0}}, "whether IPv6 sockets can be made"},
    {"help", lookup_help, false, {{0}}, "list the queries"},
    {0},
};

static const char *lookup_verb_list(void)
{
	static char list[512];

	if (!list[0]) {
		size_t pos = 0;
		for (const struct lookup_verb *v = lookup_verbs; v->name; v++)
			pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%s",
						v == lookup_verbs ? "" : ", ", v->name);
	}
	return list;
}

static const char *lookup_arg_list(const struct lookup_verb *v, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = 0;
	for (int i = 0; i < LOOKUP_MAX_ARGS && v->args[i].name && pos < len; i++)
		pos +=
		    (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? " " : "", v->args[i].name);
	return buf[0] ? buf : "none";
}

/* Check one field against its spec, keep its value. */
static int lookup_check(struct lookup_q *q, int i, json_t *v)
{
	const struct lookup_arg *a = &q->verb->args[i];
	const char *want = NULL;
	char bad[80];

	switch (a->type) {
	case LOOKUP_STR:
		if (!json_is_string(v))
			want = "a string";
		else if (strlen(json_string_value(v)) != json_string_length(v))
			want = "a string without NUL characters";
		break;
	case LOOKUP_STR_NULL:
		if (!json_is_string(v) && !json_is_null(v))
			want = "a string or null";
		break;
	case LOOKUP_PORT:
		if (!json_is_string(v) && !json_is_null(v) && !json_is_integer(v))
			want = "an integer, a string or null";
		break;
	case LOOKUP_INT:
		if (!json_is_integer(v))
			want = "an integer";
		else if (json_integer_value(v) < INT32_MIN || json_integer_value(v) > UINT32_MAX)
			want = "a 32-bit integer";
		else
			q->n[i] = (int)json_integer_value(v);
		break;
	case LOOKUP_CONST:
		if (json_is_integer(v) && json_integer_value(v) >= INT_MIN &&
		    json_integer_value(v) <= INT_MAX)
			q->n[i] = (int)json_integer_value(v);
		else if (json_is_integer(v))
			want = "a name or an integer (a C int)";
		else if (!json_is_string(v) ||
			 names_value(a->table, json_string_value(v), &q->n[i]))
			want = "a name or an integer";
		break;
	case LOOKUP_FLAGS:
		if (lookup_flags(v, a->table, &q->n[i]))
			want = "flags: an integer, \"A|B\" or [\"A\", \"B\"]";
		break;
	case LOOKUP_ANY:
		break;
	}
	if (!want) {
		q->v[i] = v;
		return 0;
	}
	if (a->type == LOOKUP_CONST && json_is_string(v))
		snprintf(q->msg, sizeof(q->msg),
			 "%s: field \"%s\": unknown name \"%.64s\"; known: %s", q->verb->name,
			 a->name, json_string_value(v), names_list(a->table));
	else if (a->type == LOOKUP_FLAGS && lookup_bad_flag(v, a->table, bad, sizeof(bad)))
		snprintf(q->msg, sizeof(q->msg), "%s: field \"%s\": unknown flag \"%s\"; known: %s",
			 q->verb->name, a->name, bad, names_list(a->table));
	else
		snprintf(q->msg, sizeof(q->msg), "%s: field \"%s\": must be %s", q->verb->name,
			 a->name, want);
	return -EINVAL;
}

static int lookup_bind_args(struct lookup_q *q)
{
	const char *key;
	json_t *v;
	char list[256];

	json_object_foreach(q->args, key, v)
	{
		int i;
		if (!strcmp(key, "op"))
			continue;
		for (i = 0; i < LOOKUP_MAX_ARGS && q->verb->args[i].name; i++)
			if (!strcmp(key, q->verb->args[i].name))
				break;
		if (i == LOOKUP_MAX_ARGS || !q->verb->args[i].name) {
			snprintf(q->msg, sizeof(q->msg), "%s: unknown field \"%.64s\" (fields: %s)",
				 q->verb->name, key, lookup_arg_list(q->verb, list, sizeof(list)));
			return -EINVAL;
		}
		if (lookup_check(q, i, v))
			return -EINVAL;
	}
	for (int i = 0; i < LOOKUP_MAX_ARGS && q->verb->args[i].name; i++)
		if (q->verb->args[i].required && !q->v[i]) {
			snprintf(q->msg, sizeof(q->msg), "%s: field \"%s\" is missing (fields: %s)",
				 q->verb->name, q->verb->args[i].name,
				 lookup_arg_list(q->verb, list, sizeof(list)));
			return -EINVAL;
		}
	return 0;
}

int lookup_parse(const char *buf, size_t size, pid_t pid, struct lookup_q **out, json_t **err)
{
	struct lookup_q *q = calloc(1, sizeof(*q));
	json_error_t jerr;
	json_t *op;

	*out = NULL;
	*err = NULL;
	if (!q)
		return -ENOMEM;
	q->pid = pid;
	q->args = json_loadb(buf, size, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
	if (!q->args) {
		snprintf(q->msg, sizeof(q->msg), "invalid JSON: %s at line %d column %d", jerr.text,
			 jerr.line, jerr.column);
		goto fail;
	}
	op = json_object_get(q->args, "op");
	if (!json_is_object(q->args) || !json_is_string(op)) {
		snprintf(q->msg, sizeof(q->msg),
			 "a query is a JSON object with \"op\", a string: one of %.400s",
			 lookup_verb_list());
		goto fail;
	}
	for (const struct lookup_verb *v = lookup_verbs; v->name; v++)
		if (!strcmp(v->name, json_string_value(op)))
			q->verb = v;
	if (!q->verb) {
		snprintf(q->msg, sizeof(q->msg), "unknown op \"%.64s\"; valid ops: %.400s",
			 json_string_value(op), lookup_verb_list());
		goto fail;
	}
	if (lookup_bind_args(q))
		goto fail;
	*out = q;
	return 0;
fail:
	*err = err_json(EINVAL, q->verb ? q->verb->name : NULL, q->msg);
	lookup_free(q);
	return -EINVAL;
}

struct lookup_q *lookup_text_new(const char *name, bool reverse)
{
	struct lookup_q *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->verb = reverse ? &lookup_reverse_verb : &lookup_resolve_verb;
	snprintf(q->name, sizeof(q->name), "%s", name);
	return q;
}

void lookup_audit(const struct lookup_q *q, pid_t pid, uid_t uid)
{
	char event[64];
	json_t *fields;

	if (!audit_enabled())
		return;
	if (q->verb == &lookup_resolve_verb || q->verb == &lookup_reverse_verb) {
		bool resolve = q->verb == &lookup_resolve_verb;
		snprintf(event, sizeof(event), "socket.%s",
			 resolve ? "getaddrinfo" : "getnameinfo");
		fields = json_pack("{s:s}", resolve ? "host" : "address", q->name);
	} else {
		/* The socket module's auditing events; pure conversions
		 * (inet_pton, if_nameindex ...) are not events. */
		static const char *const audited[] = {"getaddrinfo",
						      "getnameinfo",
						      "gethostbyname",
						      "gethostbyname_ex",
						      "gethostbyaddr",
						      "getfqdn",
						      "gethostname",
						      "sethostname",
						      "getservbyname",
						      "getservbyport",
						      NULL};
		size_t i;
		for (i = 0; audited[i] && strcmp(audited[i], q->verb->name); i++)
			;
		if (!audited[i])
			return;
		snprintf(event, sizeof(event), "socket.%s", q->verb->name);
		fields = json_deep_copy(q->args);
		json_object_del(fields, "op");
	}
	audit_event(event, pid, uid, 0, fields);
}

/* The host name or address q looks up; NULL when it looks up none (a
 * passive getaddrinfo, a conversion, a service). */
static const char *lookup_target(const struct lookup_q *q)
{
	static const char *const keys[] = {"host", "hostname", "ip_address", "sockaddr", "name"};
	const char *verb = q->verb->name;

	if (q->verb == &lookup_resolve_verb || q->verb == &lookup_reverse_verb)
		return q->name;
	if (strncmp(verb, "gethostby", 9) && strcmp(verb, "getaddrinfo") &&
	    strcmp(verb, "getnameinfo") && strcmp(verb, "getfqdn"))
		return NULL;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(q->args, keys[i]);
		if (json_is_array(v))
			v = json_array_get(v, 0); /* a sockaddr: its host */
		if (json_is_string(v))
			return json_string_value(v);
	}
	return NULL;
}

int lookup_policy(const struct lookup_q *q, pid_t pid, uid_t uid, char *msg, size_t msglen)
{
	const char *verb = q->verb->name, *name;
	bool hostname =
	    !strcmp(verb, "gethostname") || !strcmp(verb, "sethostname") ||
	    (!strcmp(verb, "getfqdn") && !json_is_string(json_object_get(q->args, "name")));

	if (hostname && policy_hides("hostname")) {
		snprintf(msg, msglen, "%s: the host name is hidden by the policy", verb);
		return -EACCES;
	}
	if (!strncmp(verb, "if_", 3) && policy_hides("interfaces")) {
		snprintf(msg, msglen, "%s: the interfaces are hidden by the policy", verb);
		return -EACCES;
	}
	name = lookup_target(q);
	if (!name)
		return 0;
	{
		struct policy_req r = {.op = POLICY_LOOKUP, .uid = uid, .pid = pid, .name = name};
		return policy_check(&r, msg, msglen);
	}
}

bool lookup_as_caller(const struct lookup_q *q)
{
	return !strcmp(q->verb->name, "sethostname");
}

bool lookup_blocking(const struct lookup_q *q)
{
	return q->verb->blocking;
}

void lookup_run(struct lookup_q *q)
{
	q->verb->run(q);
}

int lookup_reply(struct lookup_q *q, json_t **reply)
{
	const char *op = q->verb->name;

	if (q->err) {
		if (q->gai)
			*reply = err_gai_json(q->gai, q->gai_errno, op);
		else if (q->herr)
			*reply = lookup_herror_json(q->herr, op);
		else
			*reply = err_json(q->err, op, q->msg[0] ? q->msg : NULL);
		return -q->err;
	}
	*reply = json_pack("{s:b, s:s, s:O}", "ok", 1, "op", op, "result", q->result);
	return *reply ? 0 : -ENOMEM;
}

int lookup_text(struct lookup_q *q, const char **text, size_t *len)
{
	if (q->err)
		return -q->err;
	*text = q->text;
	*len = q->textlen;
	return 0;
}

void lookup_free(struct lookup_q *q)
{
	if (!q)
		return;
	json_decref(q->args);
	json_decref(q->result);
	free(q->text);
	free(q);
}
