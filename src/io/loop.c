#include "io/loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
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
	bool stop;
	unsigned n_handlers;
	struct handler handlers[LOOP_MAX_HANDLERS];
	void (*before_sleep)(void *arg);
	void *before_sleep_arg;
};

struct loop *
loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
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

int
loop_after_fork(struct loop *l)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);

	if (epfd < 0)
		return -1;
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
	return 0;
}

void
loop_set_before_sleep(struct loop *l, void (*fn)(void *arg), void *arg)
{
	l->before_sleep = fn;
	l->before_sleep_arg = arg;
}

void
loop_stop(struct loop *l)
{
	l->stop = true;
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

	while (!l->stop) {
		int n;

		if (l->before_sleep != NULL)
			l->before_sleep(l->before_sleep_arg);
		n = epoll_wait(l->epfd, events, LOOP_MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < n && !l->stop; i++)
			dispatch(events[i].data.ptr);
	}
	return 0;
}
