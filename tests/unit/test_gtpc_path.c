/*
 * Unit tests for GTP-C reliable delivery (src/roles/gtpc_path.c): the replay
 * cache for retransmitted requests, and retransmission of our own requests
 * until answered or given up (TS 29.060 §7.6). The send hook records what
 * would leave the socket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "roles/gtpc_path.h"

#define PEER  0x0a000001u
#define OTHER 0x0a000002u

struct sent {
	unsigned count;
	uint8_t last[64];
	size_t last_len;
	uint32_t last_dst;
	uint16_t last_port;
};

static struct sent sent;

static void
record(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	(void)arg;
	sent.count++;
	sent.last_len = len < sizeof(sent.last) ? len : sizeof(sent.last);
	memcpy(sent.last, msg, sent.last_len);
	sent.last_dst = dst_be;
	sent.last_port = port;
}

static int
setup(void **state)
{
	memset(&sent, 0, sizeof(sent));
	*state = gtpc_path_new(record, NULL);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	gtpc_path_free(*state);
	return 0;
}

/* A Delete PDP Context Request header with S set and room for the sequence number. */
static size_t
request(uint8_t *msg)
{
	static const uint8_t req[] = { 0x32, 20, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 20, 5 };

	memcpy(msg, req, sizeof(req));
	return sizeof(req);
}

static void
test_gtpc_path_replay_same_request_returns_stored_response(void **state)
{
	const uint8_t rsp[] = { 1, 2, 3, 4 };
	const uint8_t *got;
	size_t len = 0;

	gtpc_path_remember(*state, PEER, 2123, 16, 77, rsp, sizeof(rsp), 1000);
	got = gtpc_path_replay(*state, PEER, 2123, 16, 77, 2000, &len);
	assert_non_null(got);
	assert_int_equal(len, sizeof(rsp));
	assert_memory_equal(got, rsp, sizeof(rsp));
}

static void
test_gtpc_path_replay_other_seq_type_or_peer_returns_null(void **state)
{
	const uint8_t rsp[] = { 1, 2, 3, 4 };
	size_t len = 0;

	gtpc_path_remember(*state, PEER, 2123, 16, 77, rsp, sizeof(rsp), 1000);
	assert_null(gtpc_path_replay(*state, PEER, 2123, 16, 78, 1000, &len));
	assert_null(gtpc_path_replay(*state, PEER, 2123, 20, 77, 1000, &len));
	assert_null(gtpc_path_replay(*state, OTHER, 2123, 16, 77, 1000, &len));
	assert_null(gtpc_path_replay(*state, PEER, 40000, 16, 77, 1000, &len));
	assert_int_equal(len, 0);
}

static void
test_gtpc_path_replay_after_keep_time_returns_null(void **state)
{
	const uint8_t rsp[] = { 1 };
	size_t len = 0;

	gtpc_path_remember(*state, PEER, 2123, 16, 77, rsp, sizeof(rsp), 1000);
	assert_null(gtpc_path_replay(*state, PEER, 2123, 16, 77, 1000 + 60000, &len));
}

static void
test_gtpc_path_request_sends_once_with_sequence_number(void **state)
{
	uint8_t msg[32];
	size_t len = request(msg);

	assert_int_equal(gtpc_path_request(*state, msg, len, PEER, 0), 0);
	assert_int_equal(sent.count, 1);
	assert_int_equal(sent.last_dst, PEER);
	assert_int_equal(sent.last_port, 2123);
	assert_int_equal(sent.last_len, len);
	/* The sequence number written into the caller's message is the one sent. */
	assert_memory_equal(sent.last, msg, len);
	assert_int_equal(gtpc_path_outstanding(*state), 1);
}

static void
test_gtpc_path_request_without_s_flag_refused(void **state)
{
	uint8_t msg[32];
	size_t len = request(msg);

	msg[0] = 0x30;
	assert_int_equal(gtpc_path_request(*state, msg, len, PEER, 0), -EMSGSIZE);
	assert_int_equal(sent.count, 0);
}

static void
test_gtpc_path_tick_retransmits_every_t3_then_gives_up(void **state)
{
	uint8_t msg[32];
	uint64_t t = 0;

	gtpc_path_request(*state, msg, request(msg), PEER, t);
	assert_int_equal(gtpc_path_tick(*state, t + GTPC_PATH_T3_MS - 1), 0);
	assert_int_equal(sent.count, 1);
	for (unsigned i = 1; i <= GTPC_PATH_N3; i++) {
		t += GTPC_PATH_T3_MS;
		assert_int_equal(gtpc_path_tick(*state, t), 0);
		assert_int_equal(sent.count, 1 + i);
	}
	t += GTPC_PATH_T3_MS;
	assert_int_equal(gtpc_path_tick(*state, t), 1);
	assert_int_equal(sent.count, 1 + GTPC_PATH_N3);
	assert_int_equal(gtpc_path_outstanding(*state), 0);
}

static void
test_gtpc_path_answer_matching_stops_retransmission(void **state)
{
	uint8_t msg[32];
	uint16_t seq;

	gtpc_path_request(*state, msg, request(msg), PEER, 0);
	seq = (uint16_t)(msg[8] << 8 | msg[9]);
	assert_false(gtpc_path_answer(*state, OTHER, seq));
	assert_false(gtpc_path_answer(*state, PEER, (uint16_t)(seq + 1)));
	assert_true(gtpc_path_answer(*state, PEER, seq));
	assert_false(gtpc_path_answer(*state, PEER, seq));
	assert_int_equal(gtpc_path_tick(*state, 10 * GTPC_PATH_T3_MS), 0);
	assert_int_equal(sent.count, 1);
}

static void
test_gtpc_path_request_consecutive_get_distinct_seq(void **state)
{
	uint8_t a[32], b[32];

	gtpc_path_request(*state, a, request(a), PEER, 0);
	gtpc_path_request(*state, b, request(b), PEER, 0);
	assert_memory_not_equal(a + 8, b + 8, 2);
	assert_int_equal(gtpc_path_outstanding(*state), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_gtpc_path_replay_same_request_returns_stored_response),
		T(test_gtpc_path_replay_other_seq_type_or_peer_returns_null),
		T(test_gtpc_path_replay_after_keep_time_returns_null),
		T(test_gtpc_path_request_sends_once_with_sequence_number),
		T(test_gtpc_path_request_without_s_flag_refused),
		T(test_gtpc_path_tick_retransmits_every_t3_then_gives_up),
		T(test_gtpc_path_answer_matching_stops_retransmission),
		T(test_gtpc_path_request_consecutive_get_distinct_seq),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
