/*
 * Unit tests for the signalling path (src/roles/sig_path.c) that GTPv1-C,
 * GTPv2-C and PFCP share: the replay cache (a retransmission is the same
 * datagram from the same peer and port with the same sequence number) and
 * our own requests, sent again every T until answered or given up after N.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>

#include "roles/sig_path.h"

#define PEER  0x0a000001u
#define OTHER 0x0a000002u
#define T_MS  3000

struct record {
	unsigned sends;
	uint32_t dst_be;
	uint16_t port;
	size_t len;
	unsigned done_calls;
	uint64_t done_cookie;
	bool done_answered;
};

static struct record rec;

static void
record_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	(void)arg, (void)msg;
	rec.sends++;
	rec.dst_be = dst_be;
	rec.port = port;
	rec.len = len;
}

static void
record_done(void *arg, uint64_t cookie, const uint8_t *rsp, size_t len)
{
	(void)arg, (void)len;
	rec.done_calls++;
	rec.done_cookie = cookie;
	rec.done_answered = rsp != NULL;
}

static int
setup(void **state)
{
	static const struct sig_path_timers timers = { .port = 2123,
		.resend_ms = T_MS,
		.resends = 3,
		.seq_mask = 0xffff,
		.ctr_evicted_early = VPG_CTR_GTPC_REPLAY_EVICTED_EARLY };

	memset(&rec, 0, sizeof(rec));
	*state = sig_path_new(&timers, 0, record_send, record_done, NULL);
	return *state == NULL ? -1 : 0;
}

/* The smallest ring, so that a test wraps it many times over. */
static int
setup_small(void **state)
{
	static const struct sig_path_timers timers = { .port = 2123,
		.resend_ms = T_MS,
		.resends = 3,
		.seq_mask = 0xffff,
		.ctr_evicted_early = VPG_CTR_GTPC_REPLAY_EVICTED_EARLY };

	memset(&rec, 0, sizeof(rec));
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	*state = sig_path_new(&timers, SIG_PATH_CACHE_MIN, record_send, record_done, NULL);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	sig_path_free(*state);
	return 0;
}

static const uint8_t req[] = { 0x32, 0x10, 0x00, 0x04, 0, 0, 0, 0, 0x00, 0x4d, 0, 0 };
static const uint8_t rsp[] = { 0x32, 0x11, 0x00, 0x02, 0, 0, 0, 1, 0x00, 0x4d, 0, 0, 1, 128 };

static void
test_replay_same_datagram_returns_the_stored_response(void **state)
{
	size_t len = 0;
	const uint8_t *got;

	sig_path_remember(*state, PEER, 2123, 77, req, sizeof(req), rsp, sizeof(rsp), 1000);
	got = sig_path_replay(*state, PEER, 2123, 77, req, sizeof(req), 2000, &len);
	assert_non_null(got);
	assert_int_equal(len, sizeof(rsp));
	assert_memory_equal(got, rsp, sizeof(rsp));
}

static void
test_replay_needs_the_same_peer_port_seq_and_octets(void **state)
{
	uint8_t other[sizeof(req)];
	size_t len;

	memcpy(other, req, sizeof(req));
	other[sizeof(other) - 1] ^= 1;
	sig_path_remember(*state, PEER, 2123, 77, req, sizeof(req), rsp, sizeof(rsp), 1000);
	assert_null(sig_path_replay(*state, PEER, 2123, 78, req, sizeof(req), 1000, &len));
	assert_null(sig_path_replay(*state, OTHER, 2123, 77, req, sizeof(req), 1000, &len));
	assert_null(sig_path_replay(*state, PEER, 40000, 77, req, sizeof(req), 1000, &len));
	/* A restarted peer counting from the same number again sends something new. */
	assert_null(sig_path_replay(*state, PEER, 2123, 77, other, sizeof(other), 1000, &len));
}

static void
test_replay_expires_and_is_forgotten_on_restart(void **state)
{
	size_t len;

	sig_path_remember(*state, PEER, 2123, 77, req, sizeof(req), rsp, sizeof(rsp), 1000);
	assert_null(sig_path_replay(
	    *state, PEER, 2123, 77, req, sizeof(req), 1000 + SIG_PATH_KEEP_MS + 1, &len));
	sig_path_remember(*state, PEER, 2123, 78, req, sizeof(req), rsp, sizeof(rsp), 1000);
	sig_path_forget_replies(*state, PEER);
	assert_null(sig_path_replay(*state, PEER, 2123, 78, req, sizeof(req), 1000, &len));
}

static void
test_many_answers_are_all_replayable(void **state)
{
	size_t len;

	/* Well past the 256 of a linear cache: every one found again, O(1) each. */
	for (uint32_t seq = 1; seq <= 3000; seq++)
		sig_path_remember(
		    *state, PEER, 2123, seq, req, sizeof(req), rsp, sizeof(rsp), 1000);
	for (uint32_t seq = 1; seq <= 3000; seq++)
		assert_non_null(
		    sig_path_replay(*state, PEER, 2123, seq, req, sizeof(req), 2000, &len));
}

/* Request n of a peer: its sequence number (16 bits, wrapping) and octets of its own. */
static size_t
nth_request(uint8_t *buf, uint32_t n)
{
	memcpy(buf, req, sizeof(req));
	buf[8] = (uint8_t)(n >> 8);
	buf[9] = (uint8_t)n;
	memcpy(buf + sizeof(req), &n, sizeof(n));
	return sizeof(req) + sizeof(n);
}

/* Its answer: len octets (1 to SIG_PATH_MSG_MAX) that tell n and the position apart. */
static size_t
nth_answer(uint8_t *buf, uint32_t n, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(n * 31 + i);
	return len;
}

static void
remember_nth(struct sig_path *p, uint32_t n, size_t rsp_len, uint64_t now_ms)
{
	uint8_t q[64], a[SIG_PATH_MSG_MAX];
	size_t qlen = nth_request(q, n), alen = nth_answer(a, n, rsp_len);

	sig_path_remember(p, PEER, 2123, n & 0xffff, q, qlen, a, alen, now_ms);
}

static bool
replays_nth(struct sig_path *p, uint32_t n, size_t rsp_len, uint64_t now_ms)
{
	uint8_t q[64], a[SIG_PATH_MSG_MAX];
	size_t qlen = nth_request(q, n), len = 0;
	const uint8_t *got = sig_path_replay(p, PEER, 2123, n & 0xffff, q, qlen, now_ms, &len);

	nth_answer(a, n, rsp_len);
	return got != NULL && len == rsp_len && memcmp(got, a, len) == 0;
}

/* Lengths from 1 to SIG_PATH_MSG_MAX octets, none a multiple of the ring's alignment. */
static size_t
size_of_nth(uint32_t n)
{
	return 1 + (n * 97) % SIG_PATH_MSG_MAX;
}

static void
test_replay_keeps_each_answer_at_its_own_length(void **state)
{
	for (uint32_t n = 0; n < 20; n++)
		remember_nth(*state, n, size_of_nth(n), 1000);
	for (uint32_t n = 0; n < 20; n++)
		assert_true(replays_nth(*state, n, size_of_nth(n), 2000));
}

static void
test_replay_ring_wraps_and_keeps_the_newest(void **state)
{
	const uint32_t total = 2000; /* some 1 MB of answers through a 64 KiB ring */
	uint32_t kept = 0;

	for (uint32_t n = 0; n < total; n++)
		remember_nth(*state, n, size_of_nth(n), 1000 + n);
	/* The newest answers are all there, whole, up to the first one overwritten. */
	for (uint32_t n = total; n-- > 0 && replays_nth(*state, n, size_of_nth(n), 1000 + total);)
		kept++;
	assert_true(kept >= 20);
	assert_true(kept < total);
	/* Nothing older than that survives, and nothing is read across the ring's end. */
	for (uint32_t n = 0; n < total - kept; n++)
		assert_false(replays_nth(*state, n, size_of_nth(n), 1000 + total));
	assert_int_equal(sig_path_evicted_early(*state), total - kept);
}

static void
test_replay_counts_answers_overwritten_within_the_peer_window(void **state)
{
	const uint32_t n_small = 1000; /* 1000 × (header + 100) octets > 64 KiB */
	uint64_t early;

	for (uint32_t n = 0; n < n_small; n++)
		remember_nth(*state, n, 100, 1000);
	early = sig_path_evicted_early(*state);
	assert_true(early > 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_REPLAY_EVICTED_EARLY], early);
	assert_false(replays_nth(*state, 0, 100, 1000));
	/* Once the peer has given up, overwriting its answers costs nothing (400 fit the ring). */
	for (uint32_t n = n_small; n < n_small + 400; n++)
		remember_nth(*state, n, 100, 1000 + SIG_PATH_KEEP_MS);
	assert_int_equal(sig_path_evicted_early(*state), early);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_REPLAY_EVICTED_EARLY], early);
}

/* A typical Create PDP Context answer's length. */
#define ANSWER_LEN 120

/*
 * An hour at 10 requests/s through the default ring: it wraps as soon as
 * its start holds what is live, so it touches some two windows' answers
 * (18 s x 10 x ~160 octets, twice), not 4 MB, and keeps a whole window.
 */
static void
test_replay_ring_touches_about_what_one_window_holds(void **state)
{
	const uint32_t total = 36000;
	uint64_t t = 0;

	for (uint32_t n = 0; n < total; n++) {
		t = 1000 + (uint64_t)n * 100;
		remember_nth(*state, n, ANSWER_LEN, t);
	}
	assert_true(sig_path_replay_reach(*state) < 64 * 1024);
	assert_true(replays_nth(*state, total - 1, ANSWER_LEN, t));
	assert_true(replays_nth(*state, total - 170, ANSWER_LEN, t + 1));
	assert_int_equal(sig_path_evicted_early(*state), 0);
}

static void
retransmission_after(struct sig_path *p, uint32_t others)
{
	uint64_t t = 1000;

	remember_nth(p, 0, ANSWER_LEN, t);
	/* Others at 100,000/s: 1 ms per 100; the retransmission comes within the window. */
	for (uint32_t n = 1; n <= others; n++)
		remember_nth(p, n, ANSWER_LEN, t + n / 100);
	t += others / 100 + 1;
	assert_true(t < 1000 + SIG_PATH_KEEP_MS);
	assert_true(replays_nth(p, 0, ANSWER_LEN, t));
	assert_true(replays_nth(p, others, ANSWER_LEN, t));
	assert_int_equal(sig_path_evicted_early(p), 0);
}

static void
test_retransmission_after_300_others_is_replayed(void **state)
{
	retransmission_after(*state, 300);
}

/* 100,000 others: the 16-bit sequence number came round again, more than once. */
static void
test_retransmission_after_100000_others_is_replayed(void **state)
{
	retransmission_after(*state, 100000);
	assert_true(replays_nth(*state, 65536, ANSWER_LEN, 2001));
	assert_true(replays_nth(*state, 65535, ANSWER_LEN, 2001));
}

static void
test_replay_forgotten_peer_entries_are_skipped_then_overwritten(void **state)
{
	size_t len;

	remember_nth(*state, 1, 100, 1000);
	sig_path_remember(*state, OTHER, 2123, 1, req, sizeof(req), rsp, sizeof(rsp), 1000);
	sig_path_forget_replies(*state, PEER);
	assert_false(replays_nth(*state, 1, 100, 1000));
	assert_non_null(sig_path_replay(*state, OTHER, 2123, 1, req, sizeof(req), 1000, &len));
	/* Newer answers push both out, oldest first: only OTHER's counts, PEER's was forgotten. */
	for (uint32_t n = 2; n < 4000; n++) {
		remember_nth(*state, n, 16, 2000);
		if (sig_path_replay(*state, OTHER, 2123, 1, req, sizeof(req), 2000, &len) == NULL)
			break;
	}
	assert_null(sig_path_replay(*state, OTHER, 2123, 1, req, sizeof(req), 2000, &len));
	assert_int_equal(sig_path_evicted_early(*state), 1);
}

static void
test_replay_too_long_an_answer_is_not_kept(void **state)
{
	static uint8_t big[SIG_PATH_MSG_MAX + 1];
	size_t len;

	sig_path_remember(*state, PEER, 2123, 5, req, sizeof(req), big, sizeof(big), 1000);
	assert_null(sig_path_replay(*state, PEER, 2123, 5, req, sizeof(req), 1000, &len));
	remember_nth(*state, 5, SIG_PATH_MSG_MAX, 1000);
	assert_true(replays_nth(*state, 5, SIG_PATH_MSG_MAX, 1000));
}

static void
test_request_is_sent_to_the_protocol_port_then_again_every_t_then_given_up(void **state)
{
	uint32_t seq = sig_path_next_seq(*state);

	assert_int_equal(sig_path_request(*state, req, sizeof(req), seq, PEER, 42, 0), 0);
	assert_int_equal(rec.sends, 1);
	assert_int_equal(rec.dst_be, PEER);
	assert_int_equal(rec.port, 2123);
	assert_int_equal(sig_path_tick(*state, T_MS - 1), 0);
	assert_int_equal(rec.sends, 1);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(sig_path_tick(*state, (uint64_t)i * T_MS), 0);
		assert_int_equal(rec.sends, 1 + i);
	}
	assert_int_equal(sig_path_tick(*state, 4 * T_MS), 1);
	assert_int_equal(rec.sends, 4);
	assert_int_equal(rec.done_calls, 1);
	assert_int_equal(rec.done_cookie, 42);
	assert_false(rec.done_answered);
	assert_int_equal(sig_path_outstanding(*state), 0);
}

static void
test_answer_ends_the_request_once(void **state)
{
	uint32_t seq = sig_path_next_seq(*state);

	sig_path_request(*state, req, sizeof(req), seq, PEER, 7, 0);
	assert_false(sig_path_answer(*state, OTHER, seq, rsp, sizeof(rsp)));
	assert_false(sig_path_answer(*state, PEER, seq + 1, rsp, sizeof(rsp)));
	assert_true(sig_path_answer(*state, PEER, seq, rsp, sizeof(rsp)));
	assert_true(rec.done_answered);
	assert_false(sig_path_answer(*state, PEER, seq, rsp, sizeof(rsp)));
	assert_int_equal(sig_path_tick(*state, 10 * T_MS), 0);
	assert_int_equal(rec.sends, 1);
}

static void
test_request_sent_by_the_caller_is_only_retransmitted(void **state)
{
	assert_int_equal(sig_path_request_sent(*state, req, sizeof(req), 0x800001, PEER, 9, 0), 0);
	assert_int_equal(rec.sends, 0);
	assert_int_equal(sig_path_outstanding(*state), 1);
	sig_path_tick(*state, T_MS);
	assert_int_equal(rec.sends, 1);
}

static void
test_sequence_numbers_stay_within_the_mask_and_skip_zero(void **state)
{
	uint32_t seq = 0;

	for (int i = 0; i < 0x10000 + 5; i++) {
		seq = sig_path_next_seq(*state);
		assert_true(seq != 0 && seq <= 0xffff);
	}
}

static void
test_too_big_a_request_is_refused(void **state)
{
	static uint8_t big[SIG_PATH_MSG_MAX + 1];

	assert_int_equal(sig_path_request(*state, big, sizeof(big), 1, PEER, 0, 0), -EMSGSIZE);
	assert_int_equal(rec.sends, 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define S(fn) cmocka_unit_test_setup_teardown(fn, setup_small, teardown)
	const struct CMUnitTest tests[] = {
		T(test_replay_same_datagram_returns_the_stored_response),
		T(test_replay_needs_the_same_peer_port_seq_and_octets),
		T(test_replay_expires_and_is_forgotten_on_restart),
		T(test_many_answers_are_all_replayable),
		T(test_request_is_sent_to_the_protocol_port_then_again_every_t_then_given_up),
		T(test_answer_ends_the_request_once),
		T(test_request_sent_by_the_caller_is_only_retransmitted),
		T(test_sequence_numbers_stay_within_the_mask_and_skip_zero),
		T(test_too_big_a_request_is_refused),
		T(test_replay_keeps_each_answer_at_its_own_length),
		T(test_replay_ring_touches_about_what_one_window_holds),
		S(test_replay_ring_wraps_and_keeps_the_newest),
		S(test_replay_counts_answers_overwritten_within_the_peer_window),
		T(test_retransmission_after_300_others_is_replayed),
		T(test_retransmission_after_100000_others_is_replayed),
		S(test_replay_forgotten_peer_entries_are_skipped_then_overwritten),
		S(test_replay_too_long_an_answer_is_not_kept),
	};
#undef T
#undef S
	return cmocka_run_group_tests(tests, NULL, NULL);
}
