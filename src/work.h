/* work.h - a small worker pool for blocking calls (name resolution);
 * completions run on the loop thread. */
#ifndef SOCKFS_WORK_H
#define SOCKFS_WORK_H

/* Runs on a worker thread; must not touch loop-owned state. */
typedef void (*work_fn)(void *arg);
/* Runs on the loop thread after work_fn finished. */
typedef void (*work_done_fn)(void *arg);

/* Start the pool: one thread now, more on demand up to nthreads. */
int work_init(int nthreads);
/* Threads started so far (tests, status). */
int work_threads_started(void);
/* Queue a job. Returns 0 or -errno. */
int work_submit(work_fn fn, work_done_fn done, void *arg);
/* Stop the workers (pending jobs are completed first). */
void work_shutdown(void);

#endif
