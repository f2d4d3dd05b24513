/* lifetime.c - autoclose and reaping of sockets. */
#include "lifetime.h"

#include "audit.h"
#include "loop.h"
#include "reply.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct loop_timer lifetime_timer;
static int lifetime_interval_ms;

/* Start time of pid (field 22 of /proc/PID/stat), 0 when it is gone. */
static unsigned long long lifetime_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* The command name may hold spaces and parentheses: skip to the
	 * last ')'. Then fields 3.. follow; start time is field 22. */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	p++;
	for (int field = 3; field <= 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
		if (field == 22 && p)
			start = strtoull(p, NULL, 10);
	}
	return start;
}

/* The process of thread tid, tid when unknown. A process's first thread
 * (most callers) is told by pidfd_open, which refuses any other thread:
 * cheaper than the Tgid line of /proc/TID/status, which the others need. */
static pid_t lifetime_process_of(pid_t tid)
{
	char path[64], line[256];
	pid_t tgid = tid;
	FILE *f;
	int fd = (int)syscall(SYS_pidfd_open, tid, 0);

	if (fd >= 0) {
		close(fd);
		return tid;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/* The socket belongs to the leader of the caller's process group: in
 * `id=$(cat new)` the cat exits at once, but the script (or the
 * interactive shell) that ran it leads its group and keeps the socket.
 * The caller's own process when the leader is gone or younger than it
 * (a reused pid). */
void lifetime_set_creator(struct sock *s, pid_t tid)
{
	pid_t pid = lifetime_process_of(tid), pgid = getpgid(pid);
	unsigned long long start = lifetime_start_time(pid), lstart;

	s->creator_pid = pid;
	s->creator_start = start;
	if (pgid > 0 && pgid != pid) {
		lstart = lifetime_start_time(pgid);
		if (lstart && lstart <= start) {
			s->creator_pid = pgid;
			s->creator_start = lstart;
		}
	}
}

static bool lifetime_creator_alive(const struct sock *s)
{
	unsigned long long start;

	if (!s->creator_pid)
		return true; /* unknown: never reaped */
	start = lifetime_start_time(s->creator_pid);
	return start && start == s->creator_start;
}

void lifetime_close(struct sock *s, const char *why, pid_t pid, uid_t uid)
{
	if (s->state == SOCK_ST_CLOSED)
		return;
	audit_event("socket.close", pid, uid, s->id, json_pack("{s:s}", "reason", why));
	reply_forget_dir(s->id, NULL, NULL);
	sock_close(s);
}

void lifetime_file_opened(struct sock *s)
{
	s->nfiles++;
}

void lifetime_file_released(struct sock *s, pid_t pid, uid_t uid)
{
	if (--s->nfiles == 0 && s->autoclose)
		lifetime_close(s, "autoclose", pid, uid);
}

static void lifetime_reap_one(struct sock *s, void *arg)
{
	int *n = arg;

	if (s->nfiles == 0 && !lifetime_creator_alive(s)) {
		lifetime_close(s, "creator exited", s->creator_pid, s->uid);
		(*n)++;
	}
}

int lifetime_reap(void)
{
	int n = 0;

	sock_for_each(lifetime_reap_one, &n);
	return n;
}

static void lifetime_tick(struct loop_timer *t)
{
	lifetime_reap();
	loop_timer_arm(t, loop_now_ms() + (uint64_t)lifetime_interval_ms);
}

int lifetime_init(int interval_s)
{
	if (interval_s <= 0)
		return 0;
	lifetime_interval_ms = interval_s * 1000;
	loop_timer_init(&lifetime_timer, lifetime_tick, NULL);
	loop_timer_arm(&lifetime_timer, loop_now_ms() + (uint64_t)lifetime_interval_ms);
	return 0;
}

void lifetime_fini(void)
{
	if (lifetime_interval_ms)
		loop_timer_cancel(&lifetime_timer);
	lifetime_interval_ms = 0;
}
