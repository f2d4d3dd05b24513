/* lookup.h - the socket module's name-service functions as JSON queries:
 * getaddrinfo, getnameinfo, gethostby*, getfqdn, gethostname/sethostname,
 * getservby*, getprotobyname, if_*, inet_* and has_ipv6. */
#ifndef SOCKFS_LOOKUP_H
#define SOCKFS_LOOKUP_H

#include "names.h"

#include <jansson.h>
#include <netdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct lookup_q;

/* Parse one query (a JSON object with "op"). pid is the calling process
 * (privileges). Returns 0 with *out, or -errno with *err the JSON error. */
int lookup_parse(const char *buf, size_t size, pid_t pid, struct lookup_q **out, json_t **err);

/* The shell forms: the addresses of a host name, one per line
 * (reverse false), or the name of a numeric address (reverse true). */
struct lookup_q *lookup_text_new(const char *name, bool reverse);

/* Does the query need a worker (it may touch NSS or the network)? */
/* One audit line for the query, as the socket module's auditing events
 * ("socket.getaddrinfo" and the like) with the query's fields. */
void lookup_audit(const struct lookup_q *q, pid_t pid, uid_t uid);
/* Must q run with the caller's credentials (caller.h), so that the
 * kernel checks its rights (sethostname)? */
bool lookup_as_caller(const struct lookup_q *q);
/* The policy over q: its "lookup" rules on the host name or address
 * looked up, and its "hide" switch (host name, interfaces). 0, or -EACCES
 * with msg (the denial is audited). */
int lookup_policy(const struct lookup_q *q, pid_t pid, uid_t uid, char *msg, size_t msglen);
bool lookup_blocking(const struct lookup_q *q);
/* Make the call: on a worker when lookup_blocking, else on the loop. */
void lookup_run(struct lookup_q *q);
/* The outcome of a JSON query: 0 with *reply {"ok":true,"op":..,"result":..},
 * or -errno with *reply the error object. */
int lookup_reply(struct lookup_q *q, json_t **reply);
/* The outcome of a shell form: 0 with the text (owned by q), or -errno. */
int lookup_text(struct lookup_q *q, const char **text, size_t *len);
void lookup_free(struct lookup_q *q);

/* Pure parts, for the unit tests. */
/* Flags as an integer, a string "AI_PASSIVE|AI_CANONNAME" or an array of
 * names and integers. 0 or -EINVAL. */
int lookup_flags(const json_t *v, const struct names_entry *table, int *out);
/* getaddrinfo results: [[family, type, proto, canonname, sockaddr], ...]. */
json_t *lookup_addrinfo_json(const struct addrinfo *res);
/* Packed addresses are lowercase hex: "7f000001". */
char *lookup_hex(const unsigned char *p, size_t n);
/* Decode hex (either case) into out[max]; 0 with *n, or -EINVAL. */
int lookup_unhex(const char *s, unsigned char *out, size_t max, size_t *n);
/* The errno an h_errno value fails a write with (see fs-layout.md). */
int lookup_herror_errno(int h);
/* {"error": {errno, name, message: hstrerror, op, "herror": {errno, name}}}. */
json_t *lookup_herror_json(int h, const char *op);

#endif
