/*
 * Unit tests for the parent's side of privilege separation
 * (src/io/privsep.c): a message runs its operation only when its type is
 * known and its header and datagram have the type's exact size; anything
 * else is refused with -EPROTO and runs nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/privsep.h"

#define OP_TYPE 7

struct op_body {
	uint32_t a, b;
};

struct op_log {
	int runs;
	struct op_body last;
};

static int
run_op(void *arg, const void *body)
{
	struct op_log *log = arg;

	log->runs++;
	memcpy(&log->last, body, sizeof(log->last));
	return log->last.a == 0 ? -EINVAL : 0;
}

static const struct privsep_op ops[] = { { OP_TYPE, sizeof(struct op_body), run_op } };

static size_t
message(uint8_t *buf, uint16_t type, uint16_t len, uint32_t seq, const void *body, size_t n)
{
	struct privsep_hdr h = { .type = type, .len = len, .seq = seq };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, n);
	return sizeof(h) + n;
}

static void
test_privsep_dispatch_valid_runs_op_and_echoes_seq(void **state)
{
	struct op_log log = { 0 };
	struct privsep_parent p = { .ops = ops, .n_ops = 1, .arg = &log };
	struct op_body b = { 5, 6 };
	struct privsep_hdr h;
	uint8_t buf[128];
	size_t n = message(buf, OP_TYPE, sizeof(b), 42, &b, sizeof(b));

	(void)state;
	assert_int_equal(privsep_dispatch(&p, buf, n, &h), 0);
	assert_int_equal(log.runs, 1);
	assert_int_equal(log.last.a, 5);
	assert_int_equal(log.last.b, 6);
	assert_int_equal(h.seq, 42);
}

static void
test_privsep_dispatch_op_refusal_passes_through(void **state)
{
	struct op_log log = { 0 };
	struct privsep_parent p = { .ops = ops, .n_ops = 1, .arg = &log };
	struct op_body b = { 0, 6 };
	struct privsep_hdr h;
	uint8_t buf[128];
	size_t n = message(buf, OP_TYPE, sizeof(b), 1, &b, sizeof(b));

	(void)state;
	assert_int_equal(privsep_dispatch(&p, buf, n, &h), -EINVAL);
	assert_int_equal(log.runs, 1);
}

static void
test_privsep_dispatch_unknown_type_eproto(void **state)
{
	struct op_log log = { 0 };
	struct privsep_parent p = { .ops = ops, .n_ops = 1, .arg = &log };
	struct op_body b = { 5, 6 };
	struct privsep_hdr h;
	uint8_t buf[128];
	size_t n = message(buf, OP_TYPE + 1, sizeof(b), 3, &b, sizeof(b));

	(void)state;
	assert_int_equal(privsep_dispatch(&p, buf, n, &h), -EPROTO);
	assert_int_equal(log.runs, 0);
	assert_int_equal(h.seq, 3);
	n = message(buf, PRIVSEP_REPLY, sizeof(b), 3, &b, sizeof(b));
	assert_int_equal(privsep_dispatch(&p, buf, n, &h), -EPROTO);
	assert_int_equal(log.runs, 0);
}

static void
test_privsep_dispatch_wrong_sizes_eproto(void **state)
{
	struct op_log log = { 0 };
	struct privsep_parent p = { .ops = ops, .n_ops = 1, .arg = &log };
	uint8_t body[PRIVSEP_BODY_MAX + 8] = { 1 };
	struct privsep_hdr h;
	uint8_t buf[256];
	size_t n;

	(void)state;
	/* The header says one octet less than the type's size, the datagram agrees. */
	n = message(buf, OP_TYPE, sizeof(struct op_body) - 1, 1, body, sizeof(struct op_body) - 1);
	assert_int_equal(privsep_dispatch(&p, buf, n, &h), -EPROTO);
	/* The header is right, the datagram one octet short or long. */
	n = message(buf, OP_TYPE, sizeof(struct op_body), 1, body, sizeof(struct op_body));
	assert_int_equal(privsep_dispatch(&p, buf, n - 1, &h), -EPROTO);
	n = message(buf, OP_TYPE, sizeof(struct op_body), 1, body, sizeof(struct op_body) + 1);
	assert_int_equal(privsep_dispatch(&p, buf, n, &h), -EPROTO);
	/* Shorter than a header; longer than any message (as recv reports with MSG_TRUNC). */
	assert_int_equal(privsep_dispatch(&p, buf, sizeof(struct privsep_hdr) - 1, &h), -EPROTO);
	assert_int_equal(privsep_dispatch(&p, buf, 0, &h), -EPROTO);
	n = message(buf, OP_TYPE, sizeof(struct op_body), 1, body, sizeof(body));
	assert_int_equal(privsep_dispatch(&p, buf, n, &h), -EPROTO);
	assert_int_equal(log.runs, 0);
}

/* Garbage of every length up to past the largest message: nothing runs but exact messages. */
static void
test_privsep_dispatch_garbage_never_runs(void **state)
{
	struct op_log log = { 0 };
	struct privsep_parent p = { .ops = ops, .n_ops = 1, .arg = &log };
	const size_t good = sizeof(struct privsep_hdr) + sizeof(struct op_body);
	struct privsep_hdr h;
	uint8_t buf[256];
	int expected = 0;

	(void)state;
	srand(1);
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)rand() % (sizeof(struct privsep_hdr) + PRIVSEP_BODY_MAX + 16);
		struct privsep_hdr g;
		int rc;

		for (size_t k = 0; k < sizeof(buf); k++)
			buf[k] = (uint8_t)rand();
		/* A quarter of them with the right type, so that the size checks are reached. */
		if (i % 4 == 0)
			memcpy(buf, &(uint16_t){ OP_TYPE }, 2);
		memcpy(&g, buf, sizeof(g));
		rc = privsep_dispatch(&p, buf, n, &h);
		if (n == good && g.type == OP_TYPE && g.len == sizeof(struct op_body)) {
			expected++;
			continue;
		}
		assert_int_equal(rc, -EPROTO);
	}
	assert_int_equal(log.runs, expected);
}

static void
test_privsep_call_without_parent_enotconn(void **state)
{
	struct op_body b = { 1, 2 };

	(void)state;
	assert_false(privsep_active());
	assert_int_equal(privsep_call(OP_TYPE, &b, sizeof(b)), -ENOTCONN);
}

static void
test_privsep_lookup_user_root_and_missing(void **state)
{
	struct privsep_user u = { 1, 1 };

	(void)state;
	assert_int_equal(privsep_lookup_user("root", &u), 0);
	assert_int_equal(u.uid, 0);
	assert_int_equal(u.gid, 0);
	assert_int_equal(privsep_lookup_user("vpgd-no-such-user", &u), -ENOENT);
}

/* ---- the whole split, over the real channel (as root) ---- */

#define SPLIT_OP   9
#define SPLIT_GOOD 40 /* the gateway's exit status when every answer was the expected one */

static int
run_seven_only(void *arg, const void *body)
{
	uint32_t v;

	(void)arg;
	memcpy(&v, body, sizeof(v));
	return v == 7 ? 0 : -ERANGE;
}

static void
mark_cleanup(void *arg)
{
	(void)!write(*(int *)arg, "c", 1);
}

/* In the gateway: each answer checked; a wrong one sets its bit in the exit status. */
static int
gateway_checks(const struct privsep_user *u)
{
	uint32_t seven = 7, eight = 8;
	int bad = 0;

	bad |= (getuid() != u->uid || geteuid() != u->uid || !privsep_active()) << 0;
	bad |= (privsep_call(SPLIT_OP, &seven, sizeof(seven)) != 0) << 1;
	bad |= (privsep_call(SPLIT_OP, &eight, sizeof(eight)) != -ERANGE) << 2;
	bad |= (privsep_call(SPLIT_OP + 1, &seven, sizeof(seven)) != -EPROTO) << 3;
	bad |= (privsep_call(SPLIT_OP, &seven, sizeof(seven) - 1) != -EPROTO) << 4;
	return bad == 0 ? SPLIT_GOOD : bad;
}

static void __attribute__((noreturn)) split_and_check(int mark_fd)
{
	static const struct privsep_op split_ops[] = { { SPLIT_OP, sizeof(uint32_t),
	    run_seven_only } };
	struct privsep_parent p = { .ops = split_ops,
		.n_ops = 1,
		.arg = &mark_fd,
		.cleanup = mark_cleanup,
		.keep_fds = &mark_fd,
		.n_keep = 1 };
	struct privsep_user u;

	if (privsep_lookup_user("nobody", &u) < 0 || privsep_split(&u, &p) < 0)
		_exit(1);
	_exit(gateway_checks(&u));
}

/*
 * The parent answers its operation, refuses an unknown type and a short
 * body over the channel, runs its clean-up and exits with the gateway's
 * status.
 */
static void
test_privsep_split_channel_answers_refuses_and_exits_with_status(void **state)
{
	int mark[2], status = -1;
	char c = 0;
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(pipe(mark), 0);
	/* The runner's buffered output must not be written again by the forked processes. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(mark[0]);
		split_and_check(mark[1]);
	}
	close(mark[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), SPLIT_GOOD);
	assert_int_equal(read(mark[0], &c, 1), 1);
	assert_int_equal(c, 'c');
	close(mark[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_privsep_dispatch_valid_runs_op_and_echoes_seq),
		cmocka_unit_test(test_privsep_dispatch_op_refusal_passes_through),
		cmocka_unit_test(test_privsep_dispatch_unknown_type_eproto),
		cmocka_unit_test(test_privsep_dispatch_wrong_sizes_eproto),
		cmocka_unit_test(test_privsep_dispatch_garbage_never_runs),
		cmocka_unit_test(test_privsep_call_without_parent_enotconn),
		cmocka_unit_test(test_privsep_lookup_user_root_and_missing),
		cmocka_unit_test(test_privsep_split_channel_answers_refuses_and_exits_with_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
