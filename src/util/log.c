/* log.c - the daemon's messages: stderr in the foreground, syslog in the
 * background. */
#include "log.h"

#include <stdio.h>
#include <string.h>

static bool log_syslog;
static FILE *log_stream;

void log_to_syslog(void)
{
	openlog("sockfs", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = true;
}

void log_to_stdout(void)
{
	log_stream = stdout;
}

bool log_is_syslog(void)
{
	return log_syslog;
}

void log_vmsg(int prio, const char *fmt, va_list ap)
{
	char line[1024];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	/* libfuse's messages end with a newline; one line each, either way. */
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (log_syslog) {
		syslog(prio, "%s", line);
	} else {
		FILE *f = log_stream ? log_stream : stderr;
		fprintf(f, "sockfs: %s\n", line);
		fflush(f);
	}
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void log_fini(void)
{
	if (log_syslog)
		closelog();
	log_syslog = false;
}
