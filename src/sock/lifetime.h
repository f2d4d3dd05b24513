/* lifetime.h - when sockets end besides close and rmdir: autoclose (when
 * the last open file of the socket closes) and reaping (the creating
 * process died and nobody holds a file of the socket open). */
#ifndef SOCKFS_LIFETIME_H
#define SOCKFS_LIFETIME_H

#include <stdint.h>
#include <sys/types.h>

struct sock;

/* Reap every interval_s seconds (0: never, the default). */
int lifetime_init(int interval_s);
void lifetime_fini(void);

/* Record the process that keeps s: the leader of the process group of
 * the thread tid that made it (else that thread's process), by pid and
 * start time, so a reused pid is not mistaken for it. */
void lifetime_set_creator(struct sock *s, pid_t tid);

/* A file of s was opened / released (fs_open, fs_release). The release of
 * the last file of an autoclose socket closes it (pid/uid: who closed the
 * file, for the audit log). */
void lifetime_file_opened(struct sock *s);
void lifetime_file_released(struct sock *s, pid_t pid, uid_t uid);

/* Run one reaping pass now; returns the number of sockets reaped. */
int lifetime_reap(void);

/* Close s and make the kernel forget N/ (its dentry), as ctl close does. */
void lifetime_close(struct sock *s, const char *why, pid_t pid, uid_t uid);

#endif
