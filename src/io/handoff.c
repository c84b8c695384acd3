#include "io/handoff.h"

#include "io/clock.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * How long the control thread spins for the tables before it sleeps on them:
 * about one batch of the forwarding thread's. A control thread that slept
 * would have to be woken and scheduled while forwarding, having given the
 * tables up, waits for it to finish: on a busy core that wait is a
 * scheduler's time slice, milliseconds. Spinning, it is running when the
 * tables come free, and forwarding waits only for the change itself.
 */
#define HANDOFF_SPIN_NS 500000

void
handoff_init(struct handoff *h, void (*on_give)(void *arg), void *arg)
{
	h->on_give = on_give;
	h->on_give_arg = arg;
	pthread_mutex_init(&h->tables, NULL);
	pthread_cond_init(&h->control_done, NULL);
	atomic_init(&h->control_waiting, 0);
}

void
handoff_destroy(struct handoff *h)
{
	pthread_cond_destroy(&h->control_done);
	pthread_mutex_destroy(&h->tables);
}

/* A control thread that asked goes first: the mutex alone would let a busy forwarder back in. */
void
handoff_forwarding_take(struct handoff *h)
{
	pthread_mutex_lock(&h->tables);
	while (atomic_load_explicit(&h->control_waiting, memory_order_acquire) > 0)
		pthread_cond_wait(&h->control_done, &h->tables);
}

void
handoff_forwarding_give(struct handoff *h)
{
	pthread_mutex_unlock(&h->tables);
}

void
handoff_forwarding_yield(struct handoff *h)
{
	if (atomic_load_explicit(&h->control_waiting, memory_order_relaxed) == 0)
		return;
	handoff_forwarding_give(h);
	handoff_forwarding_take(h);
}

static inline void
spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static bool
take_spinning(struct handoff *h)
{
	uint64_t until = monotonic_ns() + HANDOFF_SPIN_NS;

	for (unsigned i = 1;; i++) {
		if (pthread_mutex_trylock(&h->tables) == 0)
			return true;
		if (i % 64 == 0 && monotonic_ns() > until)
			return false;
		spin_pause();
	}
}

void
handoff_control_take(struct handoff *h)
{
	if (h == NULL)
		return;
	atomic_fetch_add_explicit(&h->control_waiting, 1, memory_order_acq_rel);
	if (!take_spinning(h))
		pthread_mutex_lock(&h->tables);
	atomic_fetch_sub_explicit(&h->control_waiting, 1, memory_order_acq_rel);
}

void
handoff_control_give(struct handoff *h)
{
	if (h == NULL)
		return;
	pthread_cond_broadcast(&h->control_done);
	pthread_mutex_unlock(&h->tables);
	/* What the change left for the data path (an ARP to send, a report) runs before it sleeps.
	 */
	if (h->on_give != NULL)
		h->on_give(h->on_give_arg);
}
