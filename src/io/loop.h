/*
 * The event loop: epoll for readable descriptors, timerfd for periodic work,
 * and a hook run before each sleep where batched output is flushed. Nothing
 * else lives here.
 */
#ifndef VPG_IO_LOOP_H
#define VPG_IO_LOOP_H

struct loop;

struct loop *loop_new(void);
void loop_free(struct loop *l);

int loop_add_fd(struct loop *l, int fd, void (*on_readable)(void *arg), void *arg);
/* A periodic timer; returns its descriptor (owned by the loop) or -1. */
int loop_add_timer(struct loop *l, unsigned interval_ms, void (*on_tick)(void *arg), void *arg);
void loop_set_before_sleep(struct loop *l, void (*fn)(void *arg), void *arg);
/* A hook run after each wait, before the handlers of what woke the loop. */
void loop_set_after_wake(struct loop *l, void (*fn)(void *arg), void *arg);

/* Runs until loop_stop; returns 0, or -1 when epoll itself fails. */
int loop_run(struct loop *l);
/* Safe from any thread: the loop's wait ends, and its before-sleep hook runs again. */
void loop_wake(struct loop *l);
/* Safe from any thread: the loop ends after the handler it is running, if any. */
void loop_stop(struct loop *l);

#endif
