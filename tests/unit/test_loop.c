/*
 * Unit tests for the event loop (src/io/loop.c): across fork, a child that
 * has moved the loop to an epoll of its own is woken by its own signals
 * through a signalfd made before the fork, as the gateway is after the
 * privilege split; and a polled descriptor under load is read every round,
 * out of epoll, until a read finds nothing.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/clock.h"
#include "io/loop.h"

struct run {
	struct loop *loop;
	int sigfd;
	bool signalled;
	bool timed_out;
};

static void
on_signal(void *arg)
{
	struct run *r = arg;
	struct signalfd_siginfo si;

	while (read(r->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		r->signalled = true;
	loop_stop(r->loop);
}

static void
on_timeout(void *arg)
{
	struct run *r = arg;

	r->timed_out = true;
	loop_stop(r->loop);
}

/* The child's verdict as its exit status: 0 when its own signal woke its loop. */
static int
child_wakes_on_signal(struct run *r)
{
	if (loop_after_fork(r->loop) < 0 || kill(getpid(), SIGUSR2) < 0)
		return 2;
	loop_run(r->loop);
	return r->signalled && !r->timed_out ? 0 : 1;
}

static void
test_loop_after_fork_child_woken_by_own_signal(void **state)
{
	struct run r = { 0 };
	sigset_t set;
	int status = -1;
	pid_t pid;

	(void)state;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	assert_int_equal(sigprocmask(SIG_BLOCK, &set, NULL), 0);
	r.loop = loop_new();
	assert_non_null(r.loop);
	r.sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	assert_true(r.sigfd >= 0);
	assert_int_equal(loop_add_fd(r.loop, r.sigfd, on_signal, &r), 0);
	assert_true(loop_add_timer(r.loop, 3000, on_timeout, &r) >= 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_wakes_on_signal(&r));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	close(r.sigfd);
	loop_free(r.loop);
}

/*
 * A pipe polled by one of the readers below, as the data sockets are read in
 * batches of 8 octets; what each reader saw, and when.
 */
struct polled {
	struct loop *loop;
	int rd, wr;
	int calls;
	int got[16]; /* octets each call of read_batch read */
	int full, empties, calls_after_write;
	bool timed_out;
	uint64_t first_empty_ns, last_empty_ns, write_ns;
};

static enum loop_poll
read_batch(void *arg)
{
	struct polled *p = arg;
	char buf[8];
	ssize_t n = read(p->rd, buf, sizeof(buf));
	int got = n > 0 ? (int)n : 0;

	p->got[p->calls++] = got;
	/* On the first empty read, 2 octets come before the loop has the pipe back in epoll. */
	if (got == 0 && p->calls == 3)
		assert_int_equal(write(p->wr, "ab", 2), 2);
	if (got == 2 || p->calls == 16)
		loop_stop(p->loop);
	return got == 0 ? LOOP_POLL_EMPTY : got == 8 ? LOOP_POLL_FULL : LOOP_POLL_SOME;
}

static void
on_polled_timeout(void *arg)
{
	struct polled *p = arg;

	p->timed_out = true;
	loop_stop(p->loop);
}

/* A loop with a pipe polled by reader, stopped after timeout_ms at the latest. */
static void
polled_start(struct polled *p, unsigned timeout_ms, enum loop_poll (*reader)(void *arg))
{
	int fds[2];

	*p = (struct polled){ 0 };
	assert_int_equal(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	p->rd = fds[0];
	p->wr = fds[1];
	p->loop = loop_new();
	assert_non_null(p->loop);
	assert_int_equal(loop_add_polled_fd(p->loop, p->rd, reader, p), 0);
	assert_true(loop_add_timer(p->loop, timeout_ms, on_polled_timeout, p) >= 0);
}

static void
polled_end(struct polled *p)
{
	close(p->rd);
	close(p->wr);
	loop_free(p->loop);
}

/*
 * 16 octets: a full batch takes the pipe out of epoll, so the loop reads it
 * again at once (8), and once more though nothing is there (0: only a poll
 * reads an empty pipe); what came meanwhile is read in the next round (2).
 */
static void
test_loop_polled_fd_read_every_round_until_dry(void **state)
{
	struct polled p;

	(void)state;
	polled_start(&p, 3000, read_batch);
	assert_int_equal(write(p.wr, "0123456789abcdef", 16), 16);
	assert_int_equal(loop_run(p.loop), 0);
	assert_false(p.timed_out);
	assert_int_equal(p.calls, 4);
	assert_int_equal(p.got[0], 8);
	assert_int_equal(p.got[1], 8);
	assert_int_equal(p.got[2], 0);
	assert_int_equal(p.got[3], 2);
	polled_end(&p);
}

/* A reader that records when it found the pipe empty, and a writer that comes later. */
static enum loop_poll
read_until_dry(void *arg)
{
	struct polled *d = arg;
	char buf[8];
	ssize_t n = read(d->rd, buf, sizeof(buf));

	if (d->write_ns != 0) {
		d->calls_after_write++;
		loop_stop(d->loop);
	}
	if (n == 8)
		d->full++;
	if (n > 0)
		return n == 8 ? LOOP_POLL_FULL : LOOP_POLL_SOME;
	if (d->empties++ == 0)
		d->first_empty_ns = monotonic_ns();
	d->last_empty_ns = monotonic_ns();
	if (d->empties > 1000000)
		loop_stop(d->loop); /* never back in epoll: the assertions below say so */
	return LOOP_POLL_EMPTY;
}

static void
write_later(void *arg)
{
	struct polled *d = arg;

	if (d->write_ns != 0)
		return;
	d->write_ns = monotonic_ns();
	assert_int_equal(write(d->wr, "ab", 2), 2);
}

/*
 * Dry after a full batch, the pipe is read every round for the grace (a
 * reader that drains faster than datagrams come is not put back between
 * two of them), then goes back into epoll: no read until the writer comes
 * 30 ms later, and then one, which epoll reported.
 */
static void
test_loop_polled_fd_back_in_epoll_after_the_grace(void **state)
{
	struct polled d;

	(void)state;
	polled_start(&d, 3000, read_until_dry);
	assert_true(loop_add_timer(d.loop, 30, write_later, &d) >= 0);
	assert_int_equal(write(d.wr, "0123456789abcdef", 16), 16);
	assert_int_equal(loop_run(d.loop), 0);
	assert_int_equal(d.full, 2);
	assert_true(d.empties >= 2);
	assert_true(d.last_empty_ns - d.first_empty_ns >= LOOP_POLL_GRACE_NS);
	assert_true(d.write_ns > d.last_empty_ns + 10000000u);
	assert_int_equal(d.calls_after_write, 1);
	polled_end(&d);
}

/*
 * A reader that never fills a batch but is busy most of the time (200 µs a
 * read, and the next octets written meanwhile, as datagrams arrive while it
 * works) takes the pipe out of epoll: an empty read follows, which only a
 * poll makes; in epoll, the loop would wait for the timer.
 */
static enum loop_poll
read_busily(void *arg)
{
	struct polled *d = arg;
	char buf[8];
	ssize_t n = read(d->rd, buf, sizeof(buf));
	uint64_t until = monotonic_ns() + 200000u;

	if (n <= 0) {
		d->empties++;
		loop_stop(d->loop);
		return LOOP_POLL_EMPTY;
	}
	while (monotonic_ns() < until)
		;
	if (++d->full < 40)
		assert_int_equal(write(d->wr, "abc", 3), 3);
	return LOOP_POLL_SOME;
}

static void
test_loop_polled_fd_busy_reader_leaves_epoll(void **state)
{
	struct polled d;

	(void)state;
	polled_start(&d, 2000, read_busily);
	assert_int_equal(write(d.wr, "abc", 3), 3);
	assert_int_equal(loop_run(d.loop), 0);
	assert_false(d.timed_out);
	assert_int_equal(d.empties, 1);
	polled_end(&d);
}

/* Reads 5 ms apart that take microseconds: the pipe stays in epoll, never read empty. */
static enum loop_poll
read_now_and_then(void *arg)
{
	struct polled *d = arg;
	char buf[8];
	ssize_t n = read(d->rd, buf, sizeof(buf));

	if (n <= 0) {
		d->empties++;
		return LOOP_POLL_EMPTY;
	}
	if (++d->full == 10)
		loop_stop(d->loop);
	return LOOP_POLL_SOME;
}

static void
write_now(void *arg)
{
	struct polled *d = arg;

	assert_int_equal(write(d->wr, "abc", 3), 3);
}

static void
test_loop_polled_fd_mostly_idle_reader_stays_in_epoll(void **state)
{
	struct polled d;

	(void)state;
	polled_start(&d, 3000, read_now_and_then);
	assert_true(loop_add_timer(d.loop, 5, write_now, &d) >= 0);
	assert_int_equal(loop_run(d.loop), 0);
	assert_int_equal(d.full, 10);
	assert_int_equal(d.empties, 0);
	polled_end(&d);
}

/*
 * A batch never full: the pipe stays in epoll and is read only when
 * readable. An empty read in the 100 ms that follow would be a poll.
 */
static void
test_loop_polled_fd_light_load_stays_in_epoll(void **state)
{
	struct polled p;

	(void)state;
	polled_start(&p, 100, read_batch);
	assert_int_equal(write(p.wr, "abc", 3), 3);
	assert_int_equal(loop_run(p.loop), 0);
	assert_true(p.timed_out);
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.got[0], 3);
	polled_end(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_after_fork_child_woken_by_own_signal),
		cmocka_unit_test(test_loop_polled_fd_read_every_round_until_dry),
		cmocka_unit_test(test_loop_polled_fd_back_in_epoll_after_the_grace),
		cmocka_unit_test(test_loop_polled_fd_busy_reader_leaves_epoll),
		cmocka_unit_test(test_loop_polled_fd_mostly_idle_reader_stays_in_epoll),
		cmocka_unit_test(test_loop_polled_fd_light_load_stays_in_epoll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
