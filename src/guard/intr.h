/* intr.h - should an interrupted request end, given the caller's signals? */
#ifndef SOCKFS_INTR_H
#define SOCKFS_INTR_H

#include <stdbool.h>
#include <sys/types.h>

/* How often a request kept parked after an interrupt re-checks (ms). */
#define INTR_RECHECK_MS 50

/* True when the request of thread pid must end with EINTR now: the thread
 * is gone, or a signal is pending and unblocked other than the ones whose
 * default action is to be ignored (SIGCHLD, SIGWINCH, SIGURG, SIGCONT),
 * which shells catch only to observe (bash's SIGCHLD). A fatal signal
 * shows as SIGKILL pending. False: keep waiting. */
bool intr_should_end(pid_t pid);

#endif
