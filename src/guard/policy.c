/* policy.c - the operator's policy file: parse, match, reload.
 *
 * {"default": "allow",
 *  "rules": [{"name": "metadata", "action": "deny", "ops": ["connect"],
 *             "address": "169.254.0.0/16"}, ...]}
 *
 * Every condition of a rule must hold for the rule to match; a missing
 * condition matches anything. The first matching rule decides. */
#include "policy.h"

#include "addr.h"
#include "audit.h"
#include "names.h"
#include "proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_MAX_LIST 64

struct policy_net {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	int prefix;
};

struct policy_range {
	int lo, hi;
};

struct policy_rule {
	char *name;
	bool allow;
	unsigned ops; /* enum policy_op bits; 0 = all */
	int nfamilies;
	int families[POLICY_MAX_LIST];
	int nnets;
	struct policy_net nets[POLICY_MAX_LIST];
	int nports;
	struct policy_range ports[POLICY_MAX_LIST];
	int npaths;
	char *paths[POLICY_MAX_LIST];
	size_t pathlens[POLICY_MAX_LIST];
	int nuids;
	struct policy_range uids[POLICY_MAX_LIST];
	int nnames;
	char *names[POLICY_MAX_LIST]; /* lookup patterns (fnmatch, any case) */
};

struct policy {
	bool default_allow;
	bool hide_interfaces, hide_hostname;
	size_t nrules;
	struct policy_rule *rules;
};

static const struct {
	const char *name;
	enum policy_op op;
} policy_ops[] = {
    {"connect", POLICY_CONNECT}, {"bind", POLICY_BIND},	    {"listen", POLICY_LISTEN},
    {"sendto", POLICY_SENDTO},	 {"lookup", POLICY_LOOKUP},
};

#define POLICY_NOPS (sizeof(policy_ops) / sizeof(policy_ops[0]))

const char *policy_op_name(enum policy_op op)
{
	for (size_t i = 0; i < POLICY_NOPS; i++)
		if (policy_ops[i].op == op)
			return policy_ops[i].name;
	return "?";
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		free(p->rules[i].name);
		for (int k = 0; k < p->rules[i].npaths; k++)
			free(p->rules[i].paths[k]);
		for (int k = 0; k < p->rules[i].nnames; k++)
			free(p->rules[i].names[k]);
	}
	free(p->rules);
	free(p);
}

/* Parsing. Each parser takes one JSON value (or an array of them: the
 * caller iterates) and reports errors into err. */

static int policy_parse_net(json_t *v, struct policy_net *n, char *err, size_t errlen)
{
	char buf[64], *slash, *end;
	const char *text = json_string_value(v);
	int max;
	long pfx;

	if (!text || strlen(text) >= sizeof(buf)) {
		snprintf(err, errlen, "expected an address or CIDR string like \"10.0.0.0/8\"");
		return -EINVAL;
	}
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
		n->family = AF_INET6;
		max = 128;
	} else {
		snprintf(err, errlen, "\"%s\" is not a numeric IPv4 or IPv6 address", buf);
		return -EINVAL;
	}
	n->prefix = max;
	if (slash) {
		errno = 0;
		pfx = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || pfx < 0 || pfx > max) {
			snprintf(err, errlen, "\"%s\": prefix length must be 0 to %d", text, max);
			return -EINVAL;
		}
		n->prefix = (int)pfx;
	}
	return 0;
}

/* A number, "lo-hi", or [lo, hi]; within [min, max]. */
static int policy_parse_range(json_t *v, long long min, long long max, struct policy_range *r,
			      char *err, size_t errlen)
{
	long long lo, hi;

	if (json_is_integer(v)) {
		lo = hi = json_integer_value(v);
	} else if (json_is_string(v)) {
		const char *t = json_string_value(v);
		char *end;
		errno = 0;
		lo = strtoll(t, &end, 10);
		if (end == t || errno)
			goto bad;
		if (*end == '-') {
			const char *h = end + 1;
			hi = strtoll(h, &end, 10);
			if (end == h || errno)
				goto bad;
		} else {
			hi = lo;
		}
		if (*end)
			goto bad;
	} else if (json_is_array(v) && json_array_size(v) == 2 &&
		   json_is_integer(json_array_get(v, 0)) && json_is_integer(json_array_get(v, 1))) {
		lo = json_integer_value(json_array_get(v, 0));
		hi = json_integer_value(json_array_get(v, 1));
	} else {
		goto bad;
	}
	if (lo < min || hi > max || lo > hi) {
		snprintf(err, errlen, "range %lld-%lld is not within %lld-%lld (low <= high)", lo,
			 hi, min, max);
		return -EINVAL;
	}
	r->lo = (int)lo;
	r->hi = (int)hi;
	return 0;
bad:
	snprintf(err, errlen, "expected a number, \"low-high\" or [low, high]");
	return -EINVAL;
}

/* A field may be one value or an array of values: call fn on each. */
static int policy_each(json_t *field, int *count, int (*fn)(json_t *v, int i, void *ctx), void *ctx,
		       char *err, size_t errlen)
{
	size_t n = json_is_array(field) ? json_array_size(field) : 1;

	if (!json_is_array(field))
		return *count = 1, fn(field, 0, ctx);
	if (n == 0 || n > POLICY_MAX_LIST) {
		snprintf(err, errlen, "a list of 1 to %d values", POLICY_MAX_LIST);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		int r = fn(json_array_get(field, i), (int)i, ctx);
		if (r)
			return r;
	}
	*count = (int)n;
	return 0;
}

struct policy_pctx {
	struct policy_rule *rule;
	char *err;
	size_t errlen;
};

static int policy_one_family(json_t *v, int i, void *ctx)
{
	struct policy_pctx *p = ctx;
	const char *t = json_string_value(v);

	if (!t || names_value(names_af, t, &p->rule->families[i])) {
		snprintf(p->err, p->errlen, "expected a family name such as \"AF_INET\"");
		return -EINVAL;
	}
	return 0;
}

static int policy_one_net(json_t *v, int i, void *ctx)
{
	struct policy_pctx *p = ctx;

	return policy_parse_net(v, &p->rule->nets[i], p->err, p->errlen);
}

static int policy_one_port(json_t *v, int i, void *ctx)
{
	struct policy_pctx *p = ctx;

	return policy_parse_range(v, 0, 65535, &p->rule->ports[i], p->err, p->errlen);
}

static int policy_one_uid(json_t *v, int i, void *ctx)
{
	struct policy_pctx *p = ctx;

	return policy_parse_range(v, 0, 0x7fffffff, &p->rule->uids[i], p->err, p->errlen);
}

static int policy_one_path(json_t *v, int i, void *ctx)
{
	struct policy_pctx *p = ctx;

	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > sizeof(((struct sockaddr_un *)0)->sun_path)) {
		snprintf(
		    p->err, p->errlen,
		    "expected a unix path prefix string (\"\\u0000\" starts an abstract name)");
		return -EINVAL;
	}
	p->rule->pathlens[i] = json_string_length(v);
	p->rule->paths[i] = malloc(p->rule->pathlens[i]);
	if (!p->rule->paths[i])
		return -ENOMEM;
	memcpy(p->rule->paths[i], json_string_value(v), p->rule->pathlens[i]);
	p->rule->npaths = i + 1;
	return 0;
}

static int policy_one_name(json_t *v, int i, void *ctx)
{
	struct policy_pctx *p = ctx;

	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 255 ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(p->err, p->errlen,
			 "expected a host name pattern such as \"*.example.com\" (fnmatch)");
		return -EINVAL;
	}
	p->rule->names[i] = strdup(json_string_value(v));
	if (!p->rule->names[i])
		return -ENOMEM;
	p->rule->nnames = i + 1;
	return 0;
}

static int policy_one_op(json_t *v, int i, void *ctx)
{
	struct policy_pctx *p = ctx;
	const char *t = json_string_value(v);

	for (size_t k = 0; t && k < POLICY_NOPS; k++)
		if (!strcmp(t, policy_ops[k].name)) {
			p->rule->ops |= (unsigned)policy_ops[k].op;
			return 0;
		}
	snprintf(p->err, p->errlen,
		 "expected \"connect\", \"bind\", \"listen\", \"sendto\" or \"lookup\"");
	return -EINVAL;
}

static int policy_action(json_t *v, bool *allow)
{
	const char *t = json_string_value(v);

	if (t && !strcmp(t, "allow"))
		*allow = true;
	else if (t && !strcmp(t, "deny"))
		*allow = false;
	else
		return -EINVAL;
	return 0;
}

/* [lo, hi] of two integers is one range, not a list of two values. */
static bool policy_is_pair(json_t *v)
{
	return v && json_is_array(v) && json_array_size(v) == 2 &&
	       json_is_integer(json_array_get(v, 0)) && json_is_integer(json_array_get(v, 1));
}

static int policy_parse_rule(json_t *j, struct policy_rule *r, char *err, size_t errlen)
{
	static const char *const known[] = {"name",  "action", "ops", "family", "address",
					    "ports", "path",   "uid", "host"};
	struct policy_pctx ctx = {r, err, errlen};
	char sub[200] = "";
	const char *key;
	json_t *v;
	int n, e = 0;

	if (!json_is_object(j)) {
		snprintf(err, errlen, "a rule is a JSON object");
		return -EINVAL;
	}
	json_object_foreach(j, key, v)
	{
		bool ok = false;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok = ok || !strcmp(key, known[i]);
		if (!ok) {
			snprintf(err, errlen,
				 "unknown field \"%s\" (fields: name action ops family address "
				 "ports path uid host)",
				 key);
			return -EINVAL;
		}
	}
	v = json_object_get(j, "name");
	if (v && !json_is_string(v)) {
		snprintf(err, errlen, "field \"name\": expected a string");
		return -EINVAL;
	}
	r->name = v ? strdup(json_string_value(v)) : NULL;
	if (policy_action(json_object_get(j, "action"), &r->allow)) {
		snprintf(err, errlen, "field \"action\": expected \"allow\" or \"deny\"");
		return -EINVAL;
	}
	ctx.err = sub;
	ctx.errlen = sizeof(sub);
#define POLICY_FIELD(fname, countp, fn)                                                            \
	if ((v = json_object_get(j, fname)) &&                                                     \
	    (e = policy_each(v, countp, fn, &ctx, sub, sizeof(sub)))) {                            \
		snprintf(err, errlen, "field \"%s\": %s", fname, sub);                             \
		return e;                                                                          \
	}
	POLICY_FIELD("ops", &n, policy_one_op);
	POLICY_FIELD("family", &r->nfamilies, policy_one_family);
	POLICY_FIELD("address", &r->nnets, policy_one_net);
	POLICY_FIELD("path", &n, policy_one_path);
	POLICY_FIELD("host", &n, policy_one_name);
	v = json_object_get(j, "ports");
	if (policy_is_pair(v)) {
		r->nports = 1;
		if ((e = policy_one_port(v, 0, &ctx))) {
			snprintf(err, errlen, "field \"ports\": %s", sub);
			return e;
		}
	} else {
		POLICY_FIELD("ports", &r->nports, policy_one_port);
	}
	v = json_object_get(j, "uid");
	if (policy_is_pair(v)) {
		r->nuids = 1;
		if ((e = policy_one_uid(v, 0, &ctx))) {
			snprintf(err, errlen, "field \"uid\": %s", sub);
			return e;
		}
	} else {
		POLICY_FIELD("uid", &r->nuids, policy_one_uid);
	}
#undef POLICY_FIELD
	return 0;
}

/* "hide": ["interfaces", "hostname"]: net/interfaces and net/hostname
 * (and the lookups that tell the same) are refused. */
static int policy_parse_hide(json_t *v, struct policy *p)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return -EINVAL;
	json_array_foreach(v, i, e)
	{
		const char *t = json_string_value(e);
		if (t && !strcmp(t, "interfaces"))
			p->hide_interfaces = true;
		else if (t && !strcmp(t, "hostname"))
			p->hide_hostname = true;
		else
			return -EINVAL;
	}
	return 0;
}

struct policy *policy_parse(const char *text, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *j = json_loadb(text, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr), *rules,
	       *v;
	struct policy *p = NULL;
	const char *key;
	char sub[256];

	if (!j) {
		snprintf(err, errlen, "invalid JSON: %s at line %d column %d", jerr.text, jerr.line,
			 jerr.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		snprintf(err, errlen,
			 "a policy is a JSON object {\"default\": ..., \"rules\": [...]}");
		goto fail;
	}
	json_object_foreach(j, key, v)
	{
		if (strcmp(key, "default") && strcmp(key, "rules") && strcmp(key, "hide")) {
			snprintf(err, errlen, "unknown field \"%s\" (fields: default rules hide)",
				 key);
			goto fail;
		}
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	p->default_allow = true;
	v = json_object_get(j, "default");
	if (v && policy_action(v, &p->default_allow)) {
		snprintf(err, errlen, "field \"default\": expected \"allow\" or \"deny\"");
		goto fail;
	}
	v = json_object_get(j, "hide");
	if (v && policy_parse_hide(v, p)) {
		snprintf(err, errlen,
			 "field \"hide\": expected a list of \"interfaces\" and \"hostname\"");
		goto fail;
	}
	rules = json_object_get(j, "rules");
	if (rules && !json_is_array(rules)) {
		snprintf(err, errlen, "field \"rules\": expected an array of rules");
		goto fail;
	}
	p->nrules = rules ? json_array_size(rules) : 0;
	p->rules = calloc(p->nrules ? p->nrules : 1, sizeof(*p->rules));
	if (!p->rules) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < p->nrules; i++) {
		if (policy_parse_rule(json_array_get(rules, i), &p->rules[i], sub, sizeof(sub))) {
			snprintf(err, errlen, "rule %zu: %s", i, sub);
			goto fail;
		}
	}
	json_decref(j);
	return p;
fail:
	policy_free(p);
	json_decref(j);
	return NULL;
}

struct policy *policy_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text = NULL, sub[256];
	size_t len = 0;
	struct policy *p;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	{
		size_t cap = 0, n;
		char chunk[4096];
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			char *t;
			if (len + n > (1u << 20)) {
				snprintf(err, errlen, "%s: larger than 1 MiB", path);
				fclose(f);
				free(text);
				return NULL;
			}
			if (len + n > cap) {
				cap = (len + n) * 2;
				t = realloc(text, cap);
				if (!t) {
					snprintf(err, errlen, "%s: out of memory", path);
					fclose(f);
					free(text);
					return NULL;
				}
				text = t;
			}
			memcpy(text + len, chunk, n);
			len += n;
		}
	}
	fclose(f);
	p = policy_parse(text ? text : "", len, sub, sizeof(sub));
	free(text);
	if (!p)
		snprintf(err, errlen, "%s: %s", path, sub);
	return p;
}

/* Matching. */

static bool policy_net_match(const struct policy_net *n, int family, const unsigned char *a)
{
	int full = n->prefix / 8, rest = n->prefix % 8;

	if (n->family != family)
		return false;
	if (memcmp(n->addr, a, (size_t)full))
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((n->addr[full] & mask) != (a[full] & mask))
			return false;
	}
	return true;
}

static bool policy_range_match(const struct policy_range *r, int n, long long v)
{
	for (int i = 0; i < n; i++)
		if (v >= r[i].lo && v <= r[i].hi)
			return true;
	return false;
}

/* The first 12 bytes of an IPv4-mapped IPv6 address, ::ffff:a.b.c.d. */
static const unsigned char policy_v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static const unsigned char policy_zero[16];

/* Is net the whole address space of its family (a /0)? */
static bool policy_net_all(const struct policy_net *n, int family)
{
	return n->family == family && n->prefix == 0;
}

/* The address the kernel will use, as its family and bytes: ::ffff:a.b.c.d
 * is a.b.c.d; a connect or sendto to the unspecified address (0.0.0.0, "",
 * ::, ::ffff:0.0.0.0) goes to the loopback address. *any: a bind or listen
 * on the unspecified address, which is every address (:: on a dual-stack
 * socket every IPv4 address too). */
static int policy_effective(const struct policy_req *q, unsigned char a[16], bool *mapped,
			    bool *any)
{
	int afam = q->sa ? proto_ip(q->sa, q->salen, a) : 0;

	*mapped = *any = false;
	if (afam == AF_INET6 && !memcmp(a, policy_v4mapped, sizeof(policy_v4mapped))) {
		memmove(a, a + 12, 4);
		afam = AF_INET;
		*mapped = true;
	}
	if (!afam || memcmp(a, policy_zero, afam == AF_INET ? 4 : 16))
		return afam;
	if (q->op == POLICY_BIND || q->op == POLICY_LISTEN) {
		*any = true;
	} else if (afam == AF_INET) {
		static const unsigned char lo4[4] = {127, 0, 0, 1};
		memcpy(a, lo4, 4);
	} else {
		a[15] = 1; /* ::1 */
	}
	return afam;
}

/* Where a request is ambiguous (an IPv4 address on an AF_INET6 socket, an
 * unspecified bind that covers every address) a deny rule matches when any
 * reading matches, an allow rule only when every reading does. */
static bool policy_rule_match(const struct policy_rule *r, const struct policy_req *q)
{
	const struct sockaddr *sa = q->sa;
	int family = sa ? sa->sa_family : q->family, afam, port = -1;
	unsigned char a[16] = {0};
	bool mapped, any;

	if (r->ops && !(r->ops & (unsigned)q->op))
		return false;
	if (r->nuids && !policy_range_match(r->uids, r->nuids, (long long)q->uid))
		return false;
	afam = policy_effective(q, a, &mapped, &any);
	if (r->nfamilies) {
		bool sock = false, wire = false;
		for (int i = 0; i < r->nfamilies; i++) {
			sock = sock || r->families[i] == family;
			wire = wire || (mapped && r->families[i] == AF_INET);
		}
		/* ::ffff:a.b.c.d on an AF_INET6 socket is IPv4 traffic. */
		if (mapped ? (r->allow ? !wire : !(sock || wire)) : !sock)
			return false;
	}
	if (sa)
		port = proto_port(sa, q->salen);
	if (r->nnets) {
		bool ok = false;
		for (int i = 0; afam && i < r->nnets; i++)
			ok = ok || (any ? (r->allow ? policy_net_all(&r->nets[i], afam)
						    : r->nets[i].family == afam ||
							  r->nets[i].family == AF_INET)
					: policy_net_match(&r->nets[i], afam, a));
		if (!ok)
			return false;
	}
	if (r->nports && (port < 0 || !policy_range_match(r->ports, r->nports, port)))
		return false;
	if (r->nnames) {
		bool ok = false;
		for (int i = 0; q->name && i < r->nnames; i++)
			ok = ok || fnmatch(r->names[i], q->name, FNM_CASEFOLD) == 0;
		if (!ok)
			return false;
	}
	if (r->npaths) {
		const char *path;
		size_t plen;
		bool ok = false;
		if (q->path) {
			path = q->path;
			plen = q->pathlen;
		} else if (!sa || !proto_path(sa, q->salen, &path, &plen)) {
			return false;
		}
		for (int i = 0; i < r->npaths; i++)
			ok = ok ||
			     (plen >= r->pathlens[i] && !memcmp(path, r->paths[i], r->pathlens[i]));
		if (!ok)
			return false;
	}
	return true;
}

int policy_match(const struct policy *p, const struct policy_req *r, int *rule, char *msg,
		 size_t msglen)
{
	if (rule)
		*rule = -1;
	if (!p)
		return 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct policy_rule *pr = &p->rules[i];
		if (!policy_rule_match(pr, r))
			continue;
		if (rule)
			*rule = (int)i;
		if (pr->allow)
			return 0;
		snprintf(msg, msglen, "%s denied by policy rule %zu%s%s%s", policy_op_name(r->op),
			 i, pr->name ? " \"" : "", pr->name ? pr->name : "", pr->name ? "\"" : "");
		return -EACCES;
	}
	if (p->default_allow)
		return 0;
	snprintf(msg, msglen, "%s denied by the policy's default", policy_op_name(r->op));
	return -EACCES;
}

/* The daemon's policy. */

static struct policy *policy_current;
static char *policy_path;

int policy_init(const char *path, char *err, size_t errlen)
{
	if (!path)
		return 0;
	policy_current = policy_load(path, err, errlen);
	if (!policy_current)
		return -EINVAL;
	/* Absolute: the daemon changes to / when it goes to the background. */
	policy_path = realpath(path, NULL);
	return policy_path ? 0 : -ENOMEM;
}

int policy_reload(char *err, size_t errlen)
{
	struct policy *p;

	if (!policy_path)
		return 0;
	p = policy_load(policy_path, err, errlen);
	if (!p)
		return -EINVAL;
	policy_free(policy_current);
	policy_current = p;
	return 0;
}

void policy_fini(void)
{
	policy_free(policy_current);
	policy_current = NULL;
	free(policy_path);
	policy_path = NULL;
}

bool policy_hides(const char *what)
{
	if (!policy_current)
		return false;
	return !strcmp(what, "interfaces")
		   ? policy_current->hide_interfaces
		   : !strcmp(what, "hostname") && policy_current->hide_hostname;
}

bool policy_has_paths(void)
{
	for (size_t i = 0; policy_current && i < policy_current->nrules; i++)
		if (policy_current->rules[i].npaths)
			return true;
	return false;
}

int policy_check(const struct policy_req *r, char *msg, size_t msglen)
{
	int rule, err = policy_match(policy_current, r, &rule, msg, msglen);

	if (err && audit_enabled()) {
		json_t *f = json_pack("{s:s, s:i, s:s}", "op", policy_op_name(r->op), "rule", rule,
				      "message", msg);
		if (f && r->sa)
			json_object_set_new(f, "address", addr_to_json(r->sa, r->salen));
		if (f && r->name)
			json_object_set_new(f, "host", json_string(r->name));
		audit_event("sockfs.policy_deny", r->pid, r->uid, r->id, f);
	}
	return err;
}
