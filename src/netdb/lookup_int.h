/* lookup_int.h - the inside of lookup queries, shared by lookup.c (the
 * query machinery and the verb table) and lookup_conv.c (the verbs that
 * are pure conversions or local lookups). */
#ifndef SOCKFS_LOOKUP_INT_H
#define SOCKFS_LOOKUP_INT_H

#include "lookup.h"
#include "names.h"

#include <jansson.h>
#include <netdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define LOOKUP_MAX_ARGS 6
#define LOOKUP_BUF	65536 /* buffer of the *_r calls */

enum lookup_type {
	LOOKUP_STR,	 /* a string */
	LOOKUP_STR_NULL, /* a string or null */
	LOOKUP_PORT,	 /* an integer, a string or null */
	LOOKUP_INT,	 /* an integer */
	LOOKUP_CONST,	 /* a name from the table or an integer */
	LOOKUP_FLAGS,	 /* flags from the table (lookup_flags) */
	LOOKUP_ANY,	 /* checked by the verb (addresses) */
};

struct lookup_arg {
	const char *name;
	enum lookup_type type;
	const struct names_entry *table;
	bool required;
};

struct lookup_verb {
	const char *name;
	void (*run)(struct lookup_q *q);
	bool blocking;
	struct lookup_arg args[LOOKUP_MAX_ARGS];
	const char *help;
};

struct lookup_q {
	const struct lookup_verb *verb;
	json_t *args;
	json_t *v[LOOKUP_MAX_ARGS]; /* the fields given (borrowed), or NULL */
	int n[LOOKUP_MAX_ARGS];	    /* integer value of INT, CONST and FLAGS fields */
	pid_t pid;
	char name[NI_MAXHOST]; /* shell forms: the host or address */
	/* Outcome: result, or err with gai / herr / msg. */
	json_t *result;
	int err, gai, gai_errno, herr;
	char msg[512];
	char *text;
	size_t textlen;
};

/* Outcomes (lookup.c). The result (ENOMEM when NULL), taking its reference. */
void lookup_ok(struct lookup_q *q, json_t *result);
/* An errno, with a message when fmt is not NULL. */
void lookup_fail(struct lookup_q *q, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Field access: string of field i, or NULL when absent or null. */
const char *lookup_str(struct lookup_q *q, int i);

/* lookup_conv.c */
/* The first unknown name in flags given as a string or an array. */
bool lookup_bad_flag(const json_t *v, const struct names_entry *table, char *out, size_t outlen);

/* The verbs of lookup_conv.c. */
void lookup_gethostname(struct lookup_q *q);
void lookup_sethostname(struct lookup_q *q);
void lookup_getservbyname(struct lookup_q *q);
void lookup_getservbyport(struct lookup_q *q);
void lookup_getprotobyname(struct lookup_q *q);
void lookup_if_nameindex(struct lookup_q *q);
void lookup_if_nametoindex(struct lookup_q *q);
void lookup_if_indextoname(struct lookup_q *q);
void lookup_inet_pton(struct lookup_q *q);
void lookup_inet_ntop(struct lookup_q *q);
void lookup_inet_aton(struct lookup_q *q);
void lookup_inet_ntoa(struct lookup_q *q);
void lookup_has_ipv6(struct lookup_q *q);

#endif
