/* work.h - a small worker pool for blocking calls (name resolution);
 * completions run on the loop thread. */
#ifndef SOCKFS_WORK_H
#define SOCKFS_WORK_H

/* Runs on a worker thread; must not touch loop-owned state. */
typedef void (*work_fn)(void *arg);
/* Runs on the loop thread after work_fn finished. */
typedef void (*work_done_fn)(void *arg);

/* Set up the pool: no thread starts now; threads start as jobs queue (one
 * per job waiting beyond the idle ones), up to nthreads, and end after 10 s
 * without work, so an idle daemon is its loop thread alone. */
int work_init(int nthreads);
/* Queue a job. Returns 0 or -errno. */
int work_submit(work_fn fn, work_done_fn done, void *arg);
/* Stop the workers (pending jobs are completed first). */
void work_shutdown(void);

#endif
