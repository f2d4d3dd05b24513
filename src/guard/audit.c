/* audit.c - the audit log, written by its own thread.
 *
 * The loop formats a line and appends it to an in-memory queue under a
 * mutex (never waiting for I/O); the writer thread takes the whole queue
 * and write(2)s it. When the queue holds AUDIT_QUEUE_MAX bytes, new lines
 * are dropped and counted; the writer then logs how many were lost. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct audit_line {
	struct audit_line *next;
	size_t len;
	char text[];
};

static bool audit_on;
static int audit_fd = -1;
static char *audit_path; /* NULL for stderr */
static pthread_t audit_thread;
static pthread_mutex_t audit_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t audit_cv = PTHREAD_COND_INITIALIZER;
static struct audit_line *audit_head, **audit_tail = &audit_head;
static size_t audit_bytes;
static uint64_t audit_ndropped, audit_unreported;
static bool audit_stop, audit_want_reopen;

bool audit_enabled(void)
{
	return audit_on;
}

static int audit_open(void)
{
	if (!audit_path)
		return fcntl(2, F_DUPFD_CLOEXEC, 3);
	return open(audit_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
}

static void audit_write_all(const char *p, size_t n)
{
	while (n > 0 && audit_fd >= 0) {
		ssize_t w = write(audit_fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a full disk loses lines, never the daemon */
		p += w;
		n -= (size_t)w;
	}
}

static void *audit_writer(void *arg)
{
	for (;;) {
		struct audit_line *lines;
		uint64_t lost;
		bool stop, reopen;

		pthread_mutex_lock(&audit_mu);
		while (!audit_head && !audit_stop && !audit_want_reopen && !audit_unreported)
			pthread_cond_wait(&audit_cv, &audit_mu);
		lines = audit_head;
		audit_head = NULL;
		audit_tail = &audit_head;
		audit_bytes = 0;
		lost = audit_unreported;
		audit_unreported = 0;
		stop = audit_stop;
		reopen = audit_want_reopen;
		audit_want_reopen = false;
		pthread_mutex_unlock(&audit_mu);

		if (reopen && audit_path) {
			int fd = audit_open();
			if (fd >= 0) {
				close(audit_fd);
				audit_fd = fd;
			}
		}
		while (lines) {
			struct audit_line *next = lines->next;
			audit_write_all(lines->text, lines->len);
			free(lines);
			lines = next;
		}
		if (lost) {
			char buf[128];
			int n = snprintf(buf, sizeof(buf),
					 "{\"event\":\"sockfs.audit_dropped\",\"count\":%llu}\n",
					 (unsigned long long)lost);
			audit_write_all(buf, (size_t)n);
		}
		if (stop)
			return NULL;
	}
}

int audit_init(const char *target, char *err, size_t errlen)
{
	int r;

	if (!target)
		return 0;
	if (strcmp(target, "stderr")) {
		audit_path = strdup(target);
		if (!audit_path)
			return -ENOMEM;
	}
	audit_fd = audit_open();
	if (audit_fd < 0) {
		r = -errno;
		snprintf(err, errlen, "audit log %s: %s", target, strerror(-r));
		free(audit_path);
		audit_path = NULL;
		return r;
	}
	r = pthread_create(&audit_thread, NULL, audit_writer, NULL);
	if (r) {
		snprintf(err, errlen, "audit writer thread: %s", strerror(r));
		close(audit_fd);
		audit_fd = -1;
		return -r;
	}
	audit_on = true;
	return 0;
}

void audit_fini(void)
{
	if (!audit_on)
		return;
	pthread_mutex_lock(&audit_mu);
	audit_stop = true;
	pthread_cond_signal(&audit_cv);
	pthread_mutex_unlock(&audit_mu);
	pthread_join(audit_thread, NULL);
	audit_on = false;
	close(audit_fd);
	audit_fd = -1;
	free(audit_path);
	audit_path = NULL;
	audit_stop = false;
}

void audit_reopen(void)
{
	if (!audit_on)
		return;
	pthread_mutex_lock(&audit_mu);
	audit_want_reopen = true;
	pthread_cond_signal(&audit_cv);
	pthread_mutex_unlock(&audit_mu);
}

/* The length of the valid UTF-8 sequence at p (of n bytes), 0 if none. */
static size_t audit_utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80		   ? 1
		     : p[0] >= 0xc2 && p[0] < 0xe0 ? 2
		     : p[0] >= 0xe0 && p[0] < 0xf0 ? 3
		     : p[0] >= 0xf0 && p[0] < 0xf5 ? 4
						   : 0;

	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((len == 3 && p[0] == 0xe0 && p[1] < 0xa0) ||
	    (len == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
	    (len == 4 && p[0] == 0xf0 && p[1] < 0x90) || (len == 4 && p[0] == 0xf4 && p[1] >= 0x90))
		return 0; /* overlong, surrogate, beyond U+10FFFF */
	return len;
}

/* A process may name itself with any bytes: what is not UTF-8 becomes
 * \xNN, so the line stays valid JSON and is never lost. */
static void audit_clean(const char *in, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;

	while (n && o + 5 < outlen) {
		size_t k = audit_utf8_len(p, n);
		if (k) {
			memcpy(out + o, p, k);
			o += k;
		} else {
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", p[0]);
			k = 1;
		}
		p += k;
		n -= k;
	}
	out[o] = 0;
}

static void audit_comm(pid_t pid, char *out, size_t outlen)
{
	char path[64], raw[32];
	ssize_t n;
	int fd;

	out[0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, raw, sizeof(raw) - 1);
	close(fd);
	if (n <= 0)
		return;
	raw[n] = 0;
	raw[strcspn(raw, "\n")] = 0;
	audit_clean(raw, out, outlen);
}

/* A line that could not be made is a dropped line: counted, reported. */
static void audit_drop(void)
{
	pthread_mutex_lock(&audit_mu);
	audit_ndropped++;
	audit_unreported++;
	pthread_cond_signal(&audit_cv);
	pthread_mutex_unlock(&audit_mu);
}

void audit_event(const char *event, pid_t pid, uid_t uid, uint64_t id, json_t *fields)
{
	struct timespec ts;
	struct tm tm;
	char when[64], comm[128];
	struct audit_line *l;
	json_t *j;
	char *text;
	size_t n;

	if (!audit_on) {
		json_decref(fields);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + n, sizeof(when) - n, ".%06ldZ", ts.tv_nsec / 1000);
	audit_comm(pid, comm, sizeof(comm));
	j = json_pack("{s:s, s:s, s:I, s:i, s:s}", "time", when, "event", event, "uid",
		      (json_int_t)uid, "pid", (int)pid, "comm", comm);
	if (!j) {
		json_decref(fields);
		audit_drop();
		return;
	}
	if (id)
		json_object_set_new(j, "id", json_integer((json_int_t)id));
	if (fields)
		json_object_update_missing(j, fields);
	json_decref(fields);
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text) {
		audit_drop();
		return;
	}
	n = strlen(text);
	l = malloc(sizeof(*l) + n + 1);
	if (l) {
		memcpy(l->text, text, n);
		l->text[n] = '\n';
		l->len = n + 1;
		l->next = NULL;
	}
	free(text);
	pthread_mutex_lock(&audit_mu);
	if (!l || audit_bytes + (l ? l->len : 0) > AUDIT_QUEUE_MAX) {
		audit_ndropped++;
		audit_unreported++;
		free(l);
	} else {
		*audit_tail = l;
		audit_tail = &l->next;
		audit_bytes += l->len;
		pthread_cond_signal(&audit_cv);
	}
	pthread_mutex_unlock(&audit_mu);
}
