/* audit.h - the audit log: one JSON line per socket event.
 *
 * Events are named after the socket module's auditing events
 * ("socket.__new__", "socket.bind", "socket.connect", "socket.sendto",
 * "socket.getaddrinfo", "socket.gethostbyname", ...) plus sockfs's own
 * ("socket.listen", "socket.accept", "socket.close",
 * "sockfs.policy_deny"). Lines are queued in memory and written by a
 * writer thread: the loop never blocks on the log. */
#ifndef SOCKFS_AUDIT_H
#define SOCKFS_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Bytes of lines the queue holds before it drops new ones (counted, and
 * reported by an "sockfs.audit_dropped" line once there is room). */
#define AUDIT_QUEUE_MAX (4u << 20)

/* target: "stderr" or a file path (appended to, created 0600). NULL: no
 * audit log. 0 or -errno with a reason. */
int audit_init(const char *target, char *err, size_t errlen);
/* Write what is queued, stop the writer, close the file. */
void audit_fini(void);
/* Reopen the file (after log rotation; SIGHUP). */
void audit_reopen(void);
bool audit_enabled(void);

/* Log an event by the process pid (uid) about socket id (0: none). fields
 * (may be NULL) is an object whose members are added to the line; the
 * reference is stolen. Cheap and non-blocking; a no-op when disabled. */
void audit_event(const char *event, pid_t pid, uid_t uid, uint64_t id, json_t *fields);

#endif
