/* loop.h - the epoll event loop that owns the FUSE fd and every socket fd. */
#ifndef SOCKFS_LOOP_H
#define SOCKFS_LOOP_H

#include <stdint.h>

struct loop_watch;
/* events: EPOLLIN/EPOLLOUT/... as returned by epoll. */
typedef void (*loop_fd_cb)(struct loop_watch *w, uint32_t events);

struct loop_watch {
	int fd;
	loop_fd_cb cb;
	void *data;
};

struct loop_timer {
	uint64_t deadline; /* loop_now_ms() clock */
	void (*cb)(struct loop_timer *t);
	void *data;
	int heap_index; /* -1 when not armed */
};

int loop_init(void);
void loop_fini(void);
/* Watch fd edge-triggered for in/out/rdhup/err/hup. */
int loop_add(struct loop_watch *w);
/* Watch level-triggered for EPOLLIN only (FUSE fd, eventfds). */
int loop_add_level(struct loop_watch *w);
void loop_del(struct loop_watch *w);

uint64_t loop_now_ms(void);
void loop_timer_init(struct loop_timer *t, void (*cb)(struct loop_timer *), void *data);
/* Run t's callback once loop_now_ms() has passed deadline: never early. */
void loop_timer_arm(struct loop_timer *t, uint64_t deadline);
void loop_timer_cancel(struct loop_timer *t);

/* A call to run on the loop thread soon, posted from any thread. The
 * caller owns the memory; it must stay valid until fn runs. */
struct loop_call {
	void (*fn)(void *arg);
	void *arg;
	struct loop_call *next;
};
void loop_post(struct loop_call *c);

/* Run until loop_stop(). Returns 0 or -errno. */
int loop_run(void);
void loop_stop(void);
/* Hook run at the end of each loop iteration, after every event of the
 * batch was handled (deferred interrupt replies, freeing closed sockets). */
void loop_set_after_batch(void (*fn)(void));

#endif
