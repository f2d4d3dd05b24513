/* intr.c - should an interrupted request end, given the caller's signals?
 *
 * FUSE cannot restart a call (the kernel rejects -ERESTARTSYS from a
 * daemon), so an interrupt caused by a signal that the process only
 * observes, such as bash's SIGCHLD handler when a background job ends,
 * would fail the call with EINTR where a real socket call would have been
 * restarted (SA_RESTART) or never disturbed. The daemon looks at what is
 * pending for the calling thread in /proc and keeps such a request. */
#include "intr.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INTR_BIT(sig) (1ull << ((sig)-1))

static const uint64_t intr_benign =
    INTR_BIT(SIGCHLD) | INTR_BIT(SIGWINCH) | INTR_BIT(SIGURG) | INTR_BIT(SIGCONT);

bool intr_should_end(pid_t pid)
{
	char path[64], line[256];
	uint64_t pnd = 0, shd = 0, blk = 0, pending;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return true; /* gone */
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "SigPnd:", 7))
			pnd = strtoull(line + 7, NULL, 16), found++;
		else if (!strncmp(line, "ShdPnd:", 7))
			shd = strtoull(line + 7, NULL, 16), found++;
		else if (!strncmp(line, "SigBlk:", 7))
			blk = strtoull(line + 7, NULL, 16), found++;
		else if (!strncmp(line, "State:", 6) && strchr(line, 'Z'))
			found = -100; /* exiting */
	}
	fclose(f);
	if (found < 3)
		return true;
	pending = (pnd | shd) & ~blk;
	if (pnd & INTR_BIT(SIGKILL))
		return true;
	return (pending & ~intr_benign) != 0;
}
