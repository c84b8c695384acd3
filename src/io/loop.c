#include "io/loop.h"

#include "io/clock.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define LOOP_MAX_HANDLERS 32
#define LOOP_MAX_EVENTS	  32

struct handler {
	int fd;
	bool is_timer;
	bool out_of_epoll;     /* a polled handler under load: read every round */
	uint64_t dry_since_ns; /* out of epoll, empty at every read since then; 0: not dry */
	uint64_t last_wake_ns; /* when epoll last reported it readable */
	void (*fn)(void *arg);
	enum loop_poll (*poll)(void *arg); /* loop_add_polled_fd's reader, else NULL */
	void *arg;
};

struct loop {
	int epfd;
	int wakefd; /* written by loop_wake and loop_stop: another thread ends the wait */
	atomic_bool stop;
	unsigned n_handlers;
	unsigned n_out; /* handlers out of epoll: the wait does not block */
	struct handler handlers[LOOP_MAX_HANDLERS];
	void (*before_sleep)(void *arg);
	void *before_sleep_arg;
	void (*after_wake)(void *arg);
	void *after_wake_arg;
};

struct loop *
loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->epfd < 0 || l->wakefd < 0 || epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) < 0) {
		if (l->epfd >= 0)
			close(l->epfd);
		if (l->wakefd >= 0)
			close(l->wakefd);
		free(l);
		return NULL;
	}
	return l;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	for (unsigned i = 0; i < l->n_handlers; i++)
		if (l->handlers[i].is_timer)
			close(l->handlers[i].fd);
	close(l->epfd);
	close(l->wakefd);
	free(l);
}

static int
add_handler(struct loop *l, const struct handler *proto)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct handler *h;

	if (l->n_handlers == LOOP_MAX_HANDLERS) {
		errno = ERANGE;
		return -1;
	}
	h = &l->handlers[l->n_handlers];
	*h = *proto;
	ev.data.ptr = h;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, h->fd, &ev) < 0)
		return -1;
	l->n_handlers++;
	return 0;
}

int
loop_add_fd(struct loop *l, int fd, void (*on_readable)(void *arg), void *arg)
{
	return add_handler(l, &(struct handler){ .fd = fd, .fn = on_readable, .arg = arg });
}

int
loop_add_polled_fd(struct loop *l, int fd, enum loop_poll (*reader)(void *arg), void *arg)
{
	return add_handler(l, &(struct handler){ .fd = fd, .poll = reader, .arg = arg });
}

int
loop_add_timer(struct loop *l, unsigned interval_ms, void (*on_tick)(void *arg), void *arg)
{
	struct itimerspec its = { 0 };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	if (fd < 0)
		return -1;
	its.it_interval.tv_sec = interval_ms / 1000;
	its.it_interval.tv_nsec = (long)(interval_ms % 1000) * 1000000L;
	its.it_value = its.it_interval;
	if (timerfd_settime(fd, 0, &its, NULL) < 0 ||
	    add_handler(l,
		&(struct handler){ .fd = fd, .is_timer = true, .fn = on_tick, .arg = arg }) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
loop_after_fork(struct loop *l)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event wake = { .events = EPOLLIN, .data.ptr = NULL };

	if (epfd < 0)
		return -1;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, l->wakefd, &wake) < 0) {
		close(epfd);
		return -1;
	}
	for (unsigned i = 0; i < l->n_handlers; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &l->handlers[i] };

		if (epoll_ctl(epfd, EPOLL_CTL_ADD, l->handlers[i].fd, &ev) < 0) {
			int saved = errno;

			close(epfd);
			errno = saved;
			return -1;
		}
	}
	close(l->epfd);
	l->epfd = epfd;
	for (unsigned i = 0; i < l->n_handlers; i++)
		l->handlers[i].out_of_epoll = false;
	l->n_out = 0;
	return 0;
}

void
loop_set_before_sleep(struct loop *l, void (*fn)(void *arg), void *arg)
{
	l->before_sleep = fn;
	l->before_sleep_arg = arg;
}

void
loop_set_after_wake(struct loop *l, void (*fn)(void *arg), void *arg)
{
	l->after_wake = fn;
	l->after_wake_arg = arg;
}

void
loop_wake(struct loop *l)
{
	uint64_t one = 1;

	(void)!write(l->wakefd, &one, sizeof(one));
}

void
loop_stop(struct loop *l)
{
	atomic_store(&l->stop, true);
	loop_wake(l);
}

/* A wake-up only ends the wait: reading the count re-arms it. */
static void
drain_wakeups(struct loop *l)
{
	uint64_t count;

	(void)!read(l->wakefd, &count, sizeof(count));
}

/* Under load: out of epoll, read every round. When epoll refuses, it simply stays in. */
static void
leave_epoll(struct loop *l, struct handler *h)
{
	if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, h->fd, NULL) < 0)
		return;
	h->out_of_epoll = true;
	h->dry_since_ns = 0;
	l->n_out++;
}

/* Dry for the grace: back into epoll, which reports it at once if a datagram came in between. */
static void
rejoin_epoll(struct loop *l, struct handler *h)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = h };

	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, h->fd, &ev) < 0)
		return; /* read every round until epoll takes it */
	h->out_of_epoll = false;
	l->n_out--;
}

/*
 * Reported readable: under load, it leaves epoll. Load is a full batch, or
 * a reader busy at least half the time since it was last woken: it would
 * hardly sleep between wake-ups, each of which costs the sender's CPU more
 * than reading every round costs this one. A reader woken often but mostly
 * idle stays in epoll and sleeps.
 */
static void
read_polled(struct loop *l, struct handler *h)
{
	uint64_t start = monotonic_ns(), since = start - h->last_wake_ns, busy;
	enum loop_poll found = h->poll(h->arg);

	busy = monotonic_ns() - start;
	if (found == LOOP_POLL_FULL ||
	    (found == LOOP_POLL_SOME && h->last_wake_ns != 0 && 2 * busy >= since))
		leave_epoll(l, h);
	h->last_wake_ns = start;
}

static void
dispatch(struct loop *l, struct handler *h)
{
	uint64_t expirations;

	/* A timer must be read, or it stays readable and spins the loop. */
	if (h->is_timer && read(h->fd, &expirations, sizeof(expirations)) < 0)
		return;
	if (h->poll == NULL)
		h->fn(h->arg);
	else
		read_polled(l, h);
}

/* An empty read: the first starts the grace, one after it ends puts the descriptor back. */
static void
found_dry(struct loop *l, struct handler *h)
{
	uint64_t now = monotonic_ns();

	if (h->dry_since_ns == 0)
		h->dry_since_ns = now;
	else if (now - h->dry_since_ns >= LOOP_POLL_GRACE_NS)
		rejoin_epoll(l, h);
}

static void
poll_busy(struct loop *l)
{
	for (unsigned i = 0; i < l->n_handlers && l->n_out > 0 && !atomic_load(&l->stop); i++) {
		struct handler *h = &l->handlers[i];

		if (!h->out_of_epoll)
			continue;
		if (h->poll(h->arg) == LOOP_POLL_EMPTY)
			found_dry(l, h);
		else
			h->dry_since_ns = 0;
	}
}

int
loop_run(struct loop *l)
{
	struct epoll_event events[LOOP_MAX_EVENTS];

	while (!atomic_load(&l->stop)) {
		int n, err;

		if (l->before_sleep != NULL)
			l->before_sleep(l->before_sleep_arg);
		n = epoll_wait(l->epfd, events, LOOP_MAX_EVENTS, l->n_out > 0 ? 0 : -1);
		err = errno;
		if (l->after_wake != NULL)
			l->after_wake(l->after_wake_arg);
		if (n < 0) {
			if (err == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < n && !atomic_load(&l->stop); i++)
			if (events[i].data.ptr != NULL)
				dispatch(l, events[i].data.ptr);
			else
				drain_wakeups(l);
		poll_busy(l);
	}
	return 0;
}
