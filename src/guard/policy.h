/* policy.h - the operator's policy: which connect, bind, listen and sendto
 * calls are allowed, by family, address/CIDR, port range, unix path prefix
 * and uid. First matching rule wins; then the default. */
#ifndef SOCKFS_POLICY_H
#define SOCKFS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

enum policy_op {
	POLICY_CONNECT = 1 << 0,
	POLICY_BIND = 1 << 1,
	POLICY_LISTEN = 1 << 2,
	POLICY_SENDTO = 1 << 3,
	POLICY_LOOKUP = 1 << 4, /* a name lookup: name is the host or address */
};

/* One operation to check. sa may be NULL (listen on a socket without a
 * local address); family is the socket's family. */
struct policy_req {
	enum policy_op op;
	uid_t uid;
	pid_t pid;   /* the caller, for the audit log */
	uint64_t id; /* the socket, for the audit log */
	int family;
	const struct sockaddr *sa;
	socklen_t salen;
	/* A unix path's file, resolved (unixpath.h): path rules match it
	 * instead of sa's string when set. */
	const char *path;
	size_t pathlen;
	/* POLICY_LOOKUP: the name or address looked up; "name" rules match it. */
	const char *name;
};

struct policy;

/* Parse a policy document (JSON text). NULL with a one-line reason in
 * err[errlen] ("rule 2: field \"ports\": ..."). */
struct policy *policy_parse(const char *text, size_t len, char *err, size_t errlen);
/* Read and parse a file. */
struct policy *policy_load(const char *path, char *err, size_t errlen);
void policy_free(struct policy *p);

/* Check r against p: 0 when allowed, -EACCES when denied with msg naming
 * the rule ("denied by policy rule 2 \"metadata\"" or "... default").
 * *rule is the rule's index, or -1 for the default (rule may be NULL). */
int policy_match(const struct policy *p, const struct policy_req *r, int *rule, char *msg,
		 size_t msglen);

/* The daemon's current policy (none: everything allowed). */
/* Install the file given at mount time; 0 or -errno with a reason. */
int policy_init(const char *path, char *err, size_t errlen);
/* Reload the file (SIGHUP): on an error the old policy stays. */
int policy_reload(char *err, size_t errlen);
void policy_fini(void);
/* Check against the current policy; a denial is audited. 0 or -EACCES. */
int policy_check(const struct policy_req *r, char *msg, size_t msglen);
/* Has the current policy a rule on unix paths (then paths are resolved
 * to their files before a check: unixpath.h)? */
bool policy_has_paths(void);
/* Does the current policy hide what ("interfaces", "hostname")? */
bool policy_hides(const char *what);
/* The name of an op ("connect"). */
const char *policy_op_name(enum policy_op op);

#endif
