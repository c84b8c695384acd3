/*
 * Who holds the gateway's tables. The forwarding thread holds them while it
 * works through a wake-up's batches and gives them up before it sleeps, or
 * between two batches as soon as the control thread asks. The control
 * thread (API, flow export) takes them for one change or one read at a
 * time, never across a disk commit, a slow client or a log write. So every
 * change reaches the tables whole, between batches, and forwarding never
 * waits for anything slower than a change in memory.
 */
#ifndef VPG_IO_HANDOFF_H
#define VPG_IO_HANDOFF_H

#include <pthread.h>
#include <stdatomic.h>

struct handoff {
	pthread_mutex_t tables;
	pthread_cond_t control_done;
	atomic_uint control_waiting;
	/* Called as the control thread gives the tables back: wakes an idle forwarder. */
	void (*on_give)(void *arg);
	void *on_give_arg;
};

/* on_give may be NULL. */
void handoff_init(struct handoff *h, void (*on_give)(void *arg), void *arg);
void handoff_destroy(struct handoff *h);

/* The forwarding thread: take after a wake-up, give before sleeping. */
void handoff_forwarding_take(struct handoff *h);
void handoff_forwarding_give(struct handoff *h);
/* Between two batches: lets a waiting control thread in first, then takes the tables back. */
void handoff_forwarding_yield(struct handoff *h);

/* The control thread, around each change or read; a NULL handoff is a single-threaded caller. */
void handoff_control_take(struct handoff *h);
void handoff_control_give(struct handoff *h);

#endif
