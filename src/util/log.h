/* log.h - the daemon's own messages (not the audit log): on stderr while
 * sockfs runs in the foreground (stdout when the audit log is on stderr),
 * to syslog (the journal) once it has gone to the background, where
 * stderr is /dev/null. */
#ifndef SOCKFS_LOG_H
#define SOCKFS_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>

/* From now on, send messages to syslog as "sockfs[PID]" (facility
 * LOG_DAEMON) instead of stderr. */
void log_to_syslog(void);
/* From now on, write messages on stdout instead of stderr: when the audit
 * log has stderr (-o audit=stderr), it keeps it to its JSON lines. */
void log_to_stdout(void);
/* True once log_to_syslog() was called. */
bool log_is_syslog(void);
/* One message of priority prio (LOG_ERR, LOG_WARNING, LOG_INFO, ...),
 * without a trailing newline; on stderr or stdout it is prefixed
 * "sockfs: ". */
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int prio, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Close the syslog connection. */
void log_fini(void);

#endif
