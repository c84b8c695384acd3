/*
 * Unit tests for the flow table of Junction Inspection (src/inspect/flow.c):
 * create, update and lookup, direction as part of the key, idle and active
 * expiry with their deltas, the expiry budget, eviction of the least
 * recently seen flow, chains of colliding keys, and no allocation after
 * creation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "inspect/flow.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
/* From the sanitizer runtime; gcc installs no header for it. */
size_t __sanitizer_get_current_allocated_bytes(void);
#else
#include <malloc.h>
#endif

#define MAX_SEEN 64

/* What an emit or evict callback was handed, in order. */
struct seen {
	uint32_t n;
	struct flow flows[MAX_SEEN];
	bool final[MAX_SEEN];
};

static void
record(void *arg, const struct flow *f, bool final)
{
	struct seen *s = arg;

	assert_true(s->n < MAX_SEEN);
	s->flows[s->n] = *f;
	s->final[s->n] = final;
	s->n++;
}

static struct flow_key
key(uint16_t sport, uint8_t dir)
{
	struct flow_key k;

	memset(&k, 0, sizeof(k));
	k.saddr = 0xdb4a0a0a; /* 10.10.74.219 in network order on little endian */
	k.daddr = 0x0500000a;
	k.sport = sport;
	k.dport = 443;
	k.proto = 6;
	k.dir = dir;
	return k;
}

static uint64_t
same_hash(const struct flow_key *k)
{
	(void)k;
	return 42;
}

static void
test_flow_update_new_key_creates(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(40000, FLOW_DIR_UPLINK);
	struct flow *f = NULL;

	(void)state;
	assert_int_equal(flow_update(t, &k, "999010000000001", 60, 0x02, 1000, &f), 1);
	assert_non_null(f);
	assert_int_equal(f->packets, 1);
	assert_int_equal(f->bytes, 60);
	assert_int_equal(f->tcp_flags, 0x02);
	assert_int_equal(f->first_ms, 1000);
	assert_int_equal(f->start_ms, 1000);
	assert_int_equal(f->last_ms, 1000);
	assert_string_equal(f->imsi, "999010000000001");
	assert_string_equal(f->app, "");
	assert_false(f->classified);
	assert_int_equal(flow_table_count(t), 1);
	flow_table_free(t);
}

static void
test_flow_update_same_key_accumulates(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(40000, FLOW_DIR_UPLINK);
	struct flow *f, *g;

	(void)state;
	flow_update(t, &k, "999010000000001", 60, 0x02, 1000, &f);
	assert_int_equal(flow_update(t, &k, "999010000000001", 1400, 0x18, 1250, &g), 0);
	assert_ptr_equal(g, f);
	assert_int_equal(g->packets, 2);
	assert_int_equal(g->bytes, 1460);
	assert_int_equal(g->tcp_flags, 0x1a);
	assert_int_equal(g->first_ms, 1000);
	assert_int_equal(g->last_ms, 1250);
	assert_int_equal(flow_table_count(t), 1);
	flow_table_free(t);
}

static void
test_flow_lookup_finds_only_present_keys(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(40000, FLOW_DIR_UPLINK), other = key(40001, FLOW_DIR_UPLINK);
	struct flow *f;

	(void)state;
	assert_null(flow_lookup(t, &k));
	flow_update(t, &k, NULL, 60, 0, 1000, &f);
	assert_ptr_equal(flow_lookup(t, &k), f);
	assert_null(flow_lookup(t, &other));
	assert_string_equal(f->imsi, "");
	flow_table_free(t);
}

/* The classifier writes its result into the flow, and it stays. */
static void
test_flow_update_keeps_classification(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(40000, FLOW_DIR_UPLINK);
	struct flow *f;

	(void)state;
	flow_update(t, &k, NULL, 60, 0, 1000, &f);
	strcpy(f->app, "TLS");
	f->classified = true;
	flow_update(t, &k, NULL, 60, 0, 1001, &f);
	assert_string_equal(f->app, "TLS");
	assert_true(f->classified);
	flow_table_free(t);
}

static void
test_flow_update_direction_separates_flows(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key up = key(40000, FLOW_DIR_UPLINK), down = key(40000, FLOW_DIR_DOWNLINK);
	struct flow *fu, *fd;

	(void)state;
	assert_int_equal(flow_update(t, &up, NULL, 60, 0, 1000, &fu), 1);
	assert_int_equal(flow_update(t, &down, NULL, 1500, 0, 1001, &fd), 1);
	assert_ptr_not_equal(fu, fd);
	assert_int_equal(fu->bytes, 60);
	assert_int_equal(fd->bytes, 1500);
	assert_int_equal(fd->key.dir, FLOW_DIR_DOWNLINK);
	assert_int_equal(flow_table_count(t), 2);
	flow_table_free(t);
}

/* An IMSI longer than 15 digits is cut, never overrun. */
static void
test_flow_update_long_imsi_truncated(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(40000, FLOW_DIR_UPLINK);
	struct flow *f;

	(void)state;
	flow_update(t, &k, "12345678901234567890", 60, 0, 1000, &f);
	assert_string_equal(f->imsi, "123456789012345");
	flow_table_free(t);
}

static void
test_flow_expire_idle_emits_final_and_removes(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key a = key(1, FLOW_DIR_UPLINK), b = key(2, FLOW_DIR_UPLINK);
	struct seen s = { 0 };
	struct flow *f;

	(void)state;
	flow_update(t, &a, NULL, 100, 0, 1000, &f);
	flow_update(t, &a, NULL, 200, 0, 2000, &f);
	flow_update(t, &b, NULL, 50, 0, 9000, &f);
	assert_int_equal(flow_expire(t, 16999, 60000, 15000, record, &s), 0);
	assert_int_equal(flow_expire(t, 17000, 60000, 15000, record, &s), 1);
	assert_int_equal(s.n, 1);
	assert_true(s.final[0]);
	assert_int_equal(s.flows[0].key.sport, 1);
	assert_int_equal(s.flows[0].packets, 2);
	assert_int_equal(s.flows[0].bytes, 300);
	assert_int_equal(s.flows[0].first_ms, 1000);
	assert_int_equal(s.flows[0].last_ms, 2000);
	assert_null(flow_lookup(t, &a));
	assert_non_null(flow_lookup(t, &b));
	assert_int_equal(flow_table_count(t), 1);
	flow_table_free(t);
}

/* A packet moves the flow to the back of the idle order. */
static void
test_flow_expire_idle_after_update_waits(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key a = key(1, FLOW_DIR_UPLINK), b = key(2, FLOW_DIR_UPLINK);
	struct seen s = { 0 };
	struct flow *f;

	(void)state;
	flow_update(t, &a, NULL, 100, 0, 1000, &f);
	flow_update(t, &b, NULL, 100, 0, 2000, &f);
	flow_update(t, &a, NULL, 100, 0, 3000, &f);
	assert_int_equal(flow_expire(t, 17000, 60000, 15000, record, &s), 1);
	assert_int_equal(s.flows[0].key.sport, 2);
	assert_non_null(flow_lookup(t, &a));
	flow_table_free(t);
}

/*
 * The active timeout reports the interval's counts and restarts them: two
 * reports add up to the flow's totals.
 */
static void
test_flow_expire_active_emits_deltas(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(1, FLOW_DIR_UPLINK);
	struct seen s = { 0 };
	struct flow *f;

	(void)state;
	for (uint64_t ms = 0; ms < 60000; ms += 10000)
		flow_update(t, &k, NULL, 100, 0x10, ms, &f);
	assert_int_equal(flow_expire(t, 60000, 60000, 15000, record, &s), 1);
	assert_int_equal(s.n, 1);
	assert_false(s.final[0]);
	assert_int_equal(s.flows[0].packets, 6);
	assert_int_equal(s.flows[0].bytes, 600);
	assert_int_equal(s.flows[0].tcp_flags, 0x10);
	assert_int_equal(s.flows[0].start_ms, 0);
	assert_int_equal(s.flows[0].last_ms, 50000);
	assert_ptr_equal(flow_lookup(t, &k), f);
	assert_int_equal(f->packets, 0);
	assert_int_equal(f->start_ms, 60000);
	flow_update(t, &k, NULL, 40, 0x01, 61000, &f);
	assert_int_equal(flow_expire(t, 76000, 60000, 15000, record, &s), 1);
	assert_true(s.final[1]);
	assert_int_equal(s.flows[1].packets, 1);
	assert_int_equal(s.flows[1].bytes, 40);
	assert_int_equal(s.flows[1].tcp_flags, 0x01);
	assert_int_equal(s.flows[1].first_ms, 0);
	assert_int_equal(s.flows[1].start_ms, 60000);
	flow_table_free(t);
}

/* An interval with no packet is not reported, and the interval restarts. */
static void
test_flow_expire_active_empty_interval_not_emitted(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(1, FLOW_DIR_UPLINK);
	struct seen s = { 0 };
	struct flow *f;

	(void)state;
	flow_update(t, &k, NULL, 100, 0, 0, &f);
	assert_int_equal(flow_expire(t, 1000, 1000, 100000, record, &s), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(flow_expire(t, 2000, 1000, 100000, record, &s), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(f->start_ms, 2000);
	flow_table_free(t);
}

/* Idle wins over active when both are due. */
static void
test_flow_expire_idle_and_active_due_ends_final(void **state)
{
	struct flow_table *t = flow_table_new(8, NULL, NULL);
	struct flow_key k = key(1, FLOW_DIR_UPLINK);
	struct seen s = { 0 };
	struct flow *f;

	(void)state;
	flow_update(t, &k, NULL, 100, 0, 0, &f);
	assert_int_equal(flow_expire(t, 100000, 60000, 15000, record, &s), 1);
	assert_int_equal(s.n, 1);
	assert_true(s.final[0]);
	assert_int_equal(flow_table_count(t), 0);
	flow_table_free(t);
}

static void
count_only(void *arg, const struct flow *f, bool final)
{
	(void)f;
	(void) final;
	(*(uint32_t *)arg)++;
}

/* At most FLOW_EXPIRE_BUDGET per call; the next call resumes. */
static void
test_flow_expire_stops_at_budget_then_resumes(void **state)
{
	uint32_t total = FLOW_EXPIRE_BUDGET * 2 + 10, emitted = 0;
	struct flow_table *t = flow_table_new(total, NULL, NULL);
	struct flow_key k;
	struct flow *f;

	(void)state;
	for (uint32_t i = 0; i < total; i++) {
		k = key((uint16_t)i, FLOW_DIR_UPLINK);
		flow_update(t, &k, NULL, 60, 0, i, &f);
	}
	assert_int_equal(
	    flow_expire(t, 100000, 60000, 15000, count_only, &emitted), FLOW_EXPIRE_BUDGET);
	assert_int_equal(emitted, FLOW_EXPIRE_BUDGET);
	assert_int_equal(flow_table_count(t), total - FLOW_EXPIRE_BUDGET);
	assert_int_equal(
	    flow_expire(t, 100000, 60000, 15000, count_only, &emitted), FLOW_EXPIRE_BUDGET);
	assert_int_equal(flow_expire(t, 100000, 60000, 15000, count_only, &emitted), 10);
	assert_int_equal(flow_expire(t, 100000, 60000, 15000, count_only, &emitted), 0);
	assert_int_equal(emitted, total);
	assert_int_equal(flow_table_count(t), 0);
	flow_table_free(t);
}

static void
test_flow_update_full_evicts_least_recently_seen(void **state)
{
	struct seen s = { 0 };
	struct flow_table *t = flow_table_new(3, record, &s);
	struct flow_key k[4];
	struct flow *f;

	(void)state;
	for (int i = 0; i < 4; i++)
		k[i] = key((uint16_t)(i + 1), FLOW_DIR_UPLINK);
	flow_update(t, &k[0], NULL, 10, 0, 1000, &f);
	flow_update(t, &k[1], NULL, 20, 0, 1001, &f);
	flow_update(t, &k[2], NULL, 30, 0, 1002, &f);
	flow_update(t, &k[0], NULL, 10, 0, 1003, &f); /* k[1] is now the oldest */
	assert_int_equal(flow_update(t, &k[3], NULL, 40, 0, 1004, &f), 1);
	assert_int_equal(s.n, 1);
	assert_true(s.final[0]);
	assert_int_equal(s.flows[0].key.sport, 2);
	assert_int_equal(s.flows[0].bytes, 20);
	assert_null(flow_lookup(t, &k[1]));
	assert_non_null(flow_lookup(t, &k[0]));
	assert_non_null(flow_lookup(t, &k[3]));
	assert_int_equal(flow_table_count(t), 3);
	assert_int_equal(flow_table_evicted(t), 1);
	flow_table_free(t);
}

static void
test_flow_update_full_without_callback_still_evicts(void **state)
{
	struct flow_table *t = flow_table_new(1, NULL, NULL);
	struct flow_key a = key(1, FLOW_DIR_UPLINK), b = key(2, FLOW_DIR_UPLINK);
	struct flow *f;

	(void)state;
	flow_update(t, &a, NULL, 10, 0, 1000, &f);
	assert_int_equal(flow_update(t, &b, NULL, 10, 0, 1001, &f), 1);
	assert_null(flow_lookup(t, &a));
	assert_int_equal(flow_table_evicted(t), 1);
	flow_table_free(t);
}

static void
test_flow_table_new_zero_fails(void **state)
{
	(void)state;
	assert_null(flow_table_new(0, NULL, NULL));
}

/* Every key hashes alike: one chain, still exact lookups and removals. */
static void
test_flow_colliding_keys_resolved_by_full_key(void **state)
{
	uint32_t emitted = 0;
	struct flow_table *t = flow_table_new(200, count_only, &emitted);
	struct flow_key k;
	struct flow *f;

	(void)state;
	flow_table_set_hash(t, same_hash);
	for (uint32_t i = 0; i < 200; i++) {
		k = key((uint16_t)i, (uint8_t)(i & 1));
		assert_int_equal(flow_update(t, &k, NULL, i, 0, i, &f), 1);
	}
	for (uint32_t i = 0; i < 200; i++) {
		k = key((uint16_t)i, (uint8_t)(i & 1));
		assert_non_null(f = flow_lookup(t, &k));
		assert_int_equal(f->bytes, i);
		k.dir ^= 1;
		assert_null(flow_lookup(t, &k));
	}
	/* Idle expiry removes the 100 oldest from the middle and end of the chain. */
	flow_expire(t, 15100 - 1, 60000, 15000, count_only, &emitted);
	assert_int_equal(emitted, 100);
	for (uint32_t i = 0; i < 200; i++) {
		k = key((uint16_t)i, (uint8_t)(i & 1));
		f = flow_lookup(t, &k);
		assert_true(i < 100 ? f == NULL : f != NULL && f->bytes == i);
	}
	/* Eviction reuses the freed slots and keeps the chain whole. */
	for (uint32_t i = 200; i < 400; i++) {
		k = key((uint16_t)i, 0);
		assert_int_equal(flow_update(t, &k, NULL, i, 0, 20000 + i, &f), 1);
	}
	assert_int_equal(flow_table_count(t), 200);
	assert_int_equal(flow_table_evicted(t), 100);
	for (uint32_t i = 200; i < 400; i++) {
		k = key((uint16_t)i, 0);
		assert_non_null(flow_lookup(t, &k));
	}
	flow_table_free(t);
}

static size_t
allocated_bytes(void)
{
#ifdef HAVE_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/*
 * Ten times more flows than fit, with expiry and eviction on the way: the
 * heap holds exactly what it held after creation.
 */
static void
test_flow_table_never_allocates_after_creation(void **state)
{
	uint32_t emitted = 0, created = 0;
	struct flow_table *t = flow_table_new(1000, count_only, &emitted);
	size_t before = allocated_bytes();
	struct flow_key k;
	struct flow *f;

	(void)state;
	for (uint32_t i = 0; i < 10000; i++) {
		k = key((uint16_t)i, (uint8_t)(i & 1));
		k.daddr = i;
		created += (uint32_t)flow_update(t, &k, "999010000000001", 100, 0, i, &f);
		if (i % 100 == 0)
			flow_expire(t, i, 500, 300, count_only, &emitted);
	}
	assert_int_equal(allocated_bytes(), before);
	assert_int_equal(created, 10000);
	assert_true(flow_table_count(t) <= 1000);
	flow_table_free(t);
}

/* ---------------------------------------------------------------- the fast path's counts */

/* A fast path that answers every refresh with its counts, and remembers the calls. */
struct fake_fast {
	struct flow_table *t;
	struct flow_fast_counts counts;
	unsigned calls, last_calls;
};

static void
fake_refresh(void *arg, struct flow *f, bool last)
{
	struct fake_fast *x = arg;

	x->calls++;
	if (last) {
		x->last_calls++;
		f->fast = FLOW_FAST_NO;
	}
	flow_merge_fast(x->t, f, &x->counts);
}

/* A flow of 2 packets (100 octets each) at t=1000, handed over. */
static struct flow *
handed_flow(struct flow_table *t, uint16_t sport)
{
	struct flow_key k = key(sport, 0);
	struct flow *f;

	assert_int_equal(flow_update(t, &k, "1", 100, 0, 1000, &f), 1);
	assert_int_equal(flow_update(t, &k, "1", 100, 0, 1000, &f), 0);
	f->fast = FLOW_FAST_HANDED;
	return f;
}

/* Counts that only grow: each merge adds what is new since the one before. */
static void
test_flow_merge_fast_adds_only_what_is_new(void **state)
{
	struct flow_table *t = flow_table_new(4, NULL, NULL);
	struct flow *f = handed_flow(t, 1);
	struct flow_fast_counts c = {
		.packets = 3, .bytes = 3000, .last_ms = 5000, .tcp_flags = 0x10
	};

	(void)state;
	flow_merge_fast(t, f, &c);
	assert_int_equal(f->packets, 5);
	assert_int_equal(f->bytes, 3200);
	assert_int_equal(f->total_packets, 5);
	assert_int_equal(f->total_bytes, 3200);
	assert_int_equal(f->last_ms, 5000);
	assert_int_equal(f->tcp_flags, 0x10);
	flow_merge_fast(t, f, &c); /* nothing new */
	assert_int_equal(f->packets, 5);
	assert_int_equal(f->bytes, 3200);
	c.packets = 4;
	c.bytes = 3500;
	flow_merge_fast(t, f, &c);
	assert_int_equal(f->packets, 6);
	assert_int_equal(f->bytes, 3700);
	assert_int_equal(f->total_packets, 6);
	flow_table_free(t);
}

/* An active report counts what the fast path carried in the interval, and only that. */
static void
test_flow_expire_active_includes_fast_counts(void **state)
{
	struct flow_table *t = flow_table_new(4, NULL, NULL);
	struct fake_fast x = { .t = t,
		.counts = { .packets = 10, .bytes = 1000, .last_ms = 60500 } };
	struct seen s = { 0 };

	(void)state;
	handed_flow(t, 1);
	flow_table_set_refresh(t, fake_refresh, &x);
	flow_expire(t, 61000, 60000, 15000, record, &s);
	assert_int_equal(s.n, 1);
	assert_false(s.final[0]);
	assert_int_equal(s.flows[0].packets, 12);
	assert_int_equal(s.flows[0].bytes, 1200);
	assert_int_equal(x.last_calls, 0);
	/* The next interval: 5 more packets in the fast path. */
	x.counts = (struct flow_fast_counts){ .packets = 15, .bytes = 1500, .last_ms = 120500 };
	flow_expire(t, 121000, 60000, 15000, record, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.flows[1].packets, 5);
	assert_int_equal(s.flows[1].bytes, 500);
	flow_table_free(t);
}

/* Idle to the table but seen by the fast path: kept, and its idle time counts from then. */
static void
test_flow_expire_fast_path_seen_flow_not_idle(void **state)
{
	struct flow_table *t = flow_table_new(4, NULL, NULL);
	struct fake_fast x = { .t = t, .counts = { .packets = 3, .bytes = 300, .last_ms = 15500 } };
	struct seen s = { 0 };

	(void)state;
	handed_flow(t, 1);
	flow_table_set_refresh(t, fake_refresh, &x);
	flow_expire(t, 16000, 60000, 15000, record, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(flow_table_count(t), 1);
	assert_int_equal(x.last_calls, 0);
	/* 15 s after the fast path's last packet: ended, its last counts read and let go. */
	flow_expire(t, 30500, 60000, 15000, record, &s);
	assert_int_equal(s.n, 1);
	assert_true(s.final[0]);
	assert_int_equal(s.flows[0].packets, 5);
	assert_int_equal(s.flows[0].bytes, 500);
	assert_int_equal(s.flows[0].last_ms, 15500);
	assert_int_equal(x.last_calls, 1);
	assert_int_equal(flow_table_count(t), 0);
	flow_table_free(t);
}

/* A flow the table evicts leaves with what the fast path counted, and is let go. */
static void
test_flow_update_full_evicts_with_fast_counts(void **state)
{
	struct seen s = { 0 };
	struct flow_table *t = flow_table_new(1, record, &s);
	struct fake_fast x = { .t = t, .counts = { .packets = 7, .bytes = 700, .last_ms = 1500 } };
	struct flow_key k2 = key(2, 0);
	struct flow *f;

	(void)state;
	handed_flow(t, 1);
	flow_table_set_refresh(t, fake_refresh, &x);
	assert_int_equal(flow_update(t, &k2, "1", 100, 0, 2000, &f), 1);
	assert_int_equal(s.n, 1);
	assert_true(s.final[0]);
	assert_int_equal(s.flows[0].packets, 9);
	assert_int_equal(s.flows[0].bytes, 900);
	assert_int_equal(x.last_calls, 1);
	flow_table_free(t);
}

/* Flows the socket path alone counts never reach the fast path's hook. */
static void
test_flow_expire_flow_not_handed_over_not_refreshed(void **state)
{
	struct flow_table *t = flow_table_new(4, NULL, NULL);
	struct fake_fast x = { .t = t };
	struct seen s = { 0 };
	struct flow *f = handed_flow(t, 1);

	(void)state;
	f->fast = FLOW_FAST_NO;
	flow_table_set_refresh(t, fake_refresh, &x);
	flow_expire(t, 20000, 60000, 15000, record, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.flows[0].packets, 2);
	assert_int_equal(x.calls, 0);
	flow_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_update_new_key_creates),
		cmocka_unit_test(test_flow_update_same_key_accumulates),
		cmocka_unit_test(test_flow_lookup_finds_only_present_keys),
		cmocka_unit_test(test_flow_update_keeps_classification),
		cmocka_unit_test(test_flow_update_direction_separates_flows),
		cmocka_unit_test(test_flow_update_long_imsi_truncated),
		cmocka_unit_test(test_flow_expire_idle_emits_final_and_removes),
		cmocka_unit_test(test_flow_expire_idle_after_update_waits),
		cmocka_unit_test(test_flow_expire_active_emits_deltas),
		cmocka_unit_test(test_flow_expire_active_empty_interval_not_emitted),
		cmocka_unit_test(test_flow_expire_idle_and_active_due_ends_final),
		cmocka_unit_test(test_flow_expire_stops_at_budget_then_resumes),
		cmocka_unit_test(test_flow_update_full_evicts_least_recently_seen),
		cmocka_unit_test(test_flow_update_full_without_callback_still_evicts),
		cmocka_unit_test(test_flow_table_new_zero_fails),
		cmocka_unit_test(test_flow_colliding_keys_resolved_by_full_key),
		cmocka_unit_test(test_flow_table_never_allocates_after_creation),
		cmocka_unit_test(test_flow_merge_fast_adds_only_what_is_new),
		cmocka_unit_test(test_flow_expire_active_includes_fast_counts),
		cmocka_unit_test(test_flow_expire_fast_path_seen_flow_not_idle),
		cmocka_unit_test(test_flow_update_full_evicts_with_fast_counts),
		cmocka_unit_test(test_flow_expire_flow_not_handed_over_not_refreshed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
