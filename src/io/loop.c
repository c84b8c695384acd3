#include "io/loop.h"

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
	void (*fn)(void *arg);
	void *arg;
};

struct loop {
	int epfd;
	int wakefd; /* written by loop_wake and loop_stop: another thread ends the wait */
	atomic_bool stop;
	unsigned n_handlers;
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
add_handler(struct loop *l, int fd, bool is_timer, void (*fn)(void *), void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct handler *h;

	if (l->n_handlers == LOOP_MAX_HANDLERS) {
		errno = ERANGE;
		return -1;
	}
	h = &l->handlers[l->n_handlers];
	*h = (struct handler){ .fd = fd, .is_timer = is_timer, .fn = fn, .arg = arg };
	ev.data.ptr = h;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	l->n_handlers++;
	return 0;
}

int
loop_add_fd(struct loop *l, int fd, void (*on_readable)(void *arg), void *arg)
{
	return add_handler(l, fd, false, on_readable, arg);
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
	if (timerfd_settime(fd, 0, &its, NULL) < 0 || add_handler(l, fd, true, on_tick, arg) < 0) {
		close(fd);
		return -1;
	}
	return fd;
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

static void
dispatch(struct handler *h)
{
	uint64_t expirations;

	/* A timer must be read, or it stays readable and spins the loop. */
	if (h->is_timer && read(h->fd, &expirations, sizeof(expirations)) < 0)
		return;
	h->fn(h->arg);
}

int
loop_run(struct loop *l)
{
	struct epoll_event events[LOOP_MAX_EVENTS];

	while (!atomic_load(&l->stop)) {
		int n, err;

		if (l->before_sleep != NULL)
			l->before_sleep(l->before_sleep_arg);
		n = epoll_wait(l->epfd, events, LOOP_MAX_EVENTS, -1);
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
				dispatch(events[i].data.ptr);
			else
				drain_wakeups(l);
	}
	return 0;
}
