/*
 * The event loop: epoll for readable descriptors (busy ones read every round
 * instead), timerfd for periodic work, and a hook run before each sleep
 * where batched output is flushed. Nothing else lives here.
 */
#ifndef VPG_IO_LOOP_H
#define VPG_IO_LOOP_H

struct loop;

struct loop *loop_new(void);
void loop_free(struct loop *l);

int loop_add_fd(struct loop *l, int fd, void (*on_readable)(void *arg), void *arg);

/* What a polled descriptor's reader found. */
enum loop_poll {
	LOOP_POLL_EMPTY, /* nothing to read */
	LOOP_POLL_SOME,	 /* read, and drained it */
	LOOP_POLL_FULL	 /* read at least one full batch: more is likely coming */
};
/*
 * A descriptor under load leaves epoll and is read every round instead,
 * until its reads have found it empty for LOOP_POLL_GRACE_NS; then it goes
 * back. Readable in epoll, its reader runs as for loop_add_fd; under load
 * means it answered LOOP_POLL_FULL, or LOOP_POLL_SOME after reading for at
 * least half the time since epoll last reported it (it drains faster than
 * datagrams come, but would hardly sleep between them; a reader woken often
 * but mostly idle stays in epoll). Why: a socket in an epoll set has the epoll
 * on its wait queue for good, so every datagram queued to it runs the
 * epoll's wake-up callback (a lock shared with the waiting thread) even
 * while the reader is busy, and one that finds the thread asleep wakes it
 * (an interrupt to its CPU), all on the sender's CPU; out of the set, a
 * busy reader costs the sender nothing, and the reader's CPU at most the
 * grace of reading an empty socket after each burst. The loop then waits
 * with a zero timeout, so the other descriptors and the timers are still
 * served every round.
 */
#define LOOP_POLL_GRACE_NS 50000u
int loop_add_polled_fd(struct loop *l, int fd, enum loop_poll (*reader)(void *arg), void *arg);
/* A periodic timer; returns its descriptor (owned by the loop) or -1. */
int loop_add_timer(struct loop *l, unsigned interval_ms, void (*on_tick)(void *arg), void *arg);
void loop_set_before_sleep(struct loop *l, void (*fn)(void *arg), void *arg);
/* A hook run after each wait, before the handlers of what woke the loop. */
void loop_set_after_wake(struct loop *l, void (*fn)(void *arg), void *arg);
/*
 * In a child after fork: the same descriptors on an epoll of its own. A
 * signalfd wakes the epoll it was added to for the signals of the process
 * that added it, so the child's signals would never wake the parent's
 * registration. 0, or -1 with errno.
 */
int loop_after_fork(struct loop *l);

/* Runs until loop_stop; returns 0, or -1 when epoll itself fails. */
int loop_run(struct loop *l);
/* Safe from any thread: the loop's wait ends, and its before-sleep hook runs again. */
void loop_wake(struct loop *l);
/* Safe from any thread: the loop ends after the handler it is running, if any. */
void loop_stop(struct loop *l);

#endif
