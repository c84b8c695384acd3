/*
 * Unit tests for the event loop (src/io/loop.c) across fork: a child that
 * has moved the loop to an epoll of its own is woken by its own signals
 * through a signalfd made before the fork, as the gateway is after the
 * privilege split.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_after_fork_child_woken_by_own_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
