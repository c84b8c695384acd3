/*
 * Unit tests for the PDP context table (src/core/session.c): the three indexes
 * (TEID, device address, IMSI+NSAPI), removal from all of them, TEID
 * allocation, capacity, and iteration. The table seeds its hashes at random,
 * so the tests assert only what holds for every seed; a full table of 1000
 * in 1024 buckets has colliding chains whatever the seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>

#include "core/session.h"
#include "sorted.h"

#define FULL_CAP 1000

static int
setup_small(void **state)
{
	*state = session_table_new(8);
	return *state == NULL ? -1 : 0;
}

static int
setup_full(void **state)
{
	*state = session_table_new(FULL_CAP);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	session_table_free(*state);
	return 0;
}

static uint32_t
ip_of(unsigned i)
{
	return htonl(0x0a0a0000u + 2 + i);
}

/* IMSIs of i / 4, NSAPIs 5 + i % 4: several contexts share an IMSI. */
static void
fill(struct session *s, unsigned i)
{
	snprintf(s->imsi, sizeof(s->imsi), "99901%010u", i / 4);
	s->bearer_id = (uint8_t)(5 + i % 4);
	s->ip_be = ip_of(i);
	s->dl_teid = 0x1000 + i;
}

static struct session *
add(struct session_table *t, unsigned i)
{
	struct session *s = session_alloc(t);

	assert_non_null(s);
	fill(s, i);
	session_insert(t, s);
	return s;
}

/* Asserts that context i is found by each of its three keys, as the same slot. */
static void
assert_findable(const struct session_table *t, const struct session *s, unsigned i)
{
	char imsi[16];

	snprintf(imsi, sizeof(imsi), "99901%010u", i / 4);
	assert_ptr_equal(session_find_teid(t, s->teid), s);
	assert_ptr_equal(session_find_ip(t, ip_of(i)), s);
	assert_ptr_equal(session_find_imsi(t, imsi, (uint8_t)(5 + i % 4)), s);
	assert_int_equal(s->dl_teid, 0x1000 + i);
}

static void
test_session_table_new_zero_capacity_null(void **state)
{
	(void)state;
	assert_null(session_table_new(0));
}

static void
test_session_table_new_over_limit_null(void **state)
{
	(void)state;
	assert_null(session_table_new((1u << 30) + 1));
}

static void
test_session_alloc_fresh_slot_zeroed_with_teid(void **state)
{
	struct session *s = session_alloc(*state);

	assert_non_null(s);
	assert_int_not_equal(s->teid, 0);
	assert_true(s->in_use);
	assert_int_equal(s->ip_be, 0);
	assert_string_equal(s->imsi, "");
	assert_int_equal(session_count(*state), 0);
	session_discard(*state, s);
}

static void
test_session_slots_each_start_a_cache_line(void **state)
{
	struct session *s[8];

	for (int i = 0; i < 8; i++) {
		s[i] = session_alloc(*state);
		assert_non_null(s[i]);
		assert_int_equal((uintptr_t)s[i] % SESSION_CACHE_LINE, 0);
	}
	for (int i = 0; i < 8; i++)
		session_discard(*state, s[i]);
}

static void
test_session_insert_counts_one(void **state)
{
	add(*state, 0);
	assert_int_equal(session_count(*state), 1);
}

static void
test_session_find_teid_inserted_found(void **state)
{
	struct session *s = add(*state, 0);

	assert_ptr_equal(session_find_teid(*state, s->teid), s);
}

static void
test_session_find_ip_inserted_found(void **state)
{
	struct session *s = add(*state, 3);

	assert_ptr_equal(session_find_ip(*state, ip_of(3)), s);
}

static void
test_session_find_imsi_inserted_found(void **state)
{
	struct session *s = add(*state, 2);

	assert_ptr_equal(session_find_imsi(*state, "999010000000000", 7), s);
}

static void
test_session_find_imsi_other_nsapi_null(void **state)
{
	add(*state, 0);
	assert_null(session_find_imsi(*state, "999010000000000", 6));
}

static void
test_session_find_imsi_same_nsapi_other_imsi_null(void **state)
{
	add(*state, 0);
	assert_null(session_find_imsi(*state, "999010000000001", 5));
}

static void
test_session_find_teid_unknown_null(void **state)
{
	struct session *s = add(*state, 0);

	assert_null(session_find_teid(*state, s->teid + 1));
	assert_null(session_find_teid(*state, 0));
}

static void
test_session_find_ip_unknown_null(void **state)
{
	add(*state, 0);
	assert_null(session_find_ip(*state, ip_of(1)));
}

static void
test_session_find_imsi_same_imsi_each_nsapi(void **state)
{
	struct session *s[4];

	for (unsigned i = 0; i < 4; i++)
		s[i] = add(*state, i);
	for (unsigned i = 0; i < 4; i++)
		assert_ptr_equal(
		    session_find_imsi(*state, "999010000000000", (uint8_t)(5 + i)), s[i]);
}

static void
test_session_remove_unlinks_teid(void **state)
{
	struct session *s = add(*state, 0);
	uint32_t teid = s->teid;

	session_remove(*state, s);
	assert_null(session_find_teid(*state, teid));
	assert_int_equal(session_count(*state), 0);
}

static void
test_session_remove_unlinks_ip(void **state)
{
	struct session *s = add(*state, 0);

	session_remove(*state, s);
	assert_null(session_find_ip(*state, ip_of(0)));
	assert_int_equal(session_count(*state), 0);
}

static void
test_session_remove_unlinks_imsi(void **state)
{
	struct session *s = add(*state, 0);

	session_remove(*state, s);
	assert_null(session_find_imsi(*state, "999010000000000", 5));
	assert_int_equal(session_count(*state), 0);
}

static void
test_session_remove_keeps_other_contexts_of_imsi(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	session_remove(*state, a);
	assert_null(session_find_imsi(*state, "999010000000000", 5));
	assert_findable(*state, b, 1);
	assert_int_equal(session_count(*state), 1);
}

static void
test_session_remove_marks_slot_free(void **state)
{
	struct session *s = add(*state, 0);

	session_remove(*state, s);
	assert_false(s->in_use);
}

static void
test_session_alloc_full_table_null(void **state)
{
	for (unsigned i = 0; i < 8; i++)
		add(*state, i);
	assert_null(session_alloc(*state));
	assert_int_equal(session_count(*state), 8);
}

static void
test_session_alloc_after_remove_reuses_slot(void **state)
{
	struct session *s[8], *again;

	for (unsigned i = 0; i < 8; i++)
		s[i] = add(*state, i);
	session_remove(*state, s[3]);
	again = session_alloc(*state);
	assert_ptr_equal(again, s[3]);
	assert_true(again->in_use);
	assert_int_equal(again->ip_be, 0);
	session_discard(*state, again);
}

static void
test_session_discard_returns_slot(void **state)
{
	struct session *s[8];

	for (unsigned i = 0; i < 7; i++)
		s[i] = add(*state, i);
	s[7] = session_alloc(*state);
	assert_non_null(s[7]);
	assert_null(session_alloc(*state));
	session_discard(*state, s[7]);
	assert_false(s[7]->in_use);
	assert_int_equal(session_count(*state), 7);
	assert_ptr_equal(session_alloc(*state), s[7]);
	session_discard(*state, s[7]);
}

static void
test_session_alloc_teids_unique_nonzero(void **state)
{
	static uint32_t teids[FULL_CAP];

	for (unsigned i = 0; i < FULL_CAP; i++) {
		teids[i] = add(*state, i)->teid;
		assert_int_not_equal(teids[i], 0);
	}
	for (unsigned i = 0; i < FULL_CAP; i++)
		for (unsigned j = i + 1; j < FULL_CAP; j++)
			assert_int_not_equal(teids[i], teids[j]);
}

static void
test_session_full_table_every_key_found(void **state)
{
	static struct session *s[FULL_CAP];

	for (unsigned i = 0; i < FULL_CAP; i++)
		s[i] = add(*state, i);
	assert_int_equal(session_count(*state), FULL_CAP);
	assert_null(session_alloc(*state));
	for (unsigned i = 0; i < FULL_CAP; i++)
		assert_findable(*state, s[i], i);
}

static void
test_session_remove_every_other_rest_found(void **state)
{
	static struct session *s[FULL_CAP];
	static uint32_t teids[FULL_CAP];
	char imsi[16];

	for (unsigned i = 0; i < FULL_CAP; i++) {
		s[i] = add(*state, i);
		teids[i] = s[i]->teid;
	}
	for (unsigned i = 0; i < FULL_CAP; i += 2)
		session_remove(*state, s[i]);
	assert_int_equal(session_count(*state), FULL_CAP / 2);
	for (unsigned i = 0; i < FULL_CAP; i++) {
		if (i % 2 == 1) {
			assert_findable(*state, s[i], i);
			continue;
		}
		snprintf(imsi, sizeof(imsi), "99901%010u", i / 4);
		assert_null(session_find_teid(*state, teids[i]));
		assert_null(session_find_ip(*state, ip_of(i)));
		assert_null(session_find_imsi(*state, imsi, (uint8_t)(5 + i % 4)));
	}
}

static void
test_session_remove_every_other_refill_found(void **state)
{
	static struct session *s[FULL_CAP];

	for (unsigned i = 0; i < FULL_CAP; i++)
		s[i] = add(*state, i);
	for (unsigned i = 0; i < FULL_CAP; i += 2)
		session_remove(*state, s[i]);
	for (unsigned i = 0; i < FULL_CAP; i += 2)
		s[i] = add(*state, i);
	assert_int_equal(session_count(*state), FULL_CAP);
	assert_null(session_alloc(*state));
	for (unsigned i = 0; i < FULL_CAP; i++)
		assert_findable(*state, s[i], i);
}

static void
test_session_next_empty_table_done(void **state)
{
	struct session *s = NULL;

	assert_int_equal(session_next(*state, 0, &s), 0);
	assert_null(s);
}

/* The downlink F-TEID index follows a session's moves and goes with it. */
static void
test_session_find_downlink_follows_moves(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);
	uint32_t peer = htonl(0xc6120001);

	session_set_downlink(*state, a, 0x11, peer);
	session_set_downlink(*state, b, 0x22, peer);
	assert_ptr_equal(session_find_downlink(*state, peer, 0x11), a);
	assert_ptr_equal(session_find_downlink(*state, peer, 0x22), b);
	assert_null(session_find_downlink(*state, htonl(0xc6120002), 0x11));
	session_set_downlink(*state, a, 0x33, peer);
	assert_null(session_find_downlink(*state, peer, 0x11));
	assert_ptr_equal(session_find_downlink(*state, peer, 0x33), a);
	session_remove(*state, a);
	assert_null(session_find_downlink(*state, peer, 0x33));
	assert_ptr_equal(session_find_downlink(*state, peer, 0x22), b);
}

/* A cursor past the table (a client's, in a paged listing) ends the walk: it never wraps. */
static void
test_session_next_cursor_past_the_table_done(void **state)
{
	struct session *s = NULL;

	add(*state, 0);
	assert_int_equal(session_next(*state, UINT32_MAX, &s), 0);
	assert_int_equal(session_next(*state, FULL_CAP + 7, &s), 0);
	assert_int_not_equal(session_next(*state, 0, &s), 0);
}

static void
test_session_next_visits_live_only(void **state)
{
	static struct session *s[FULL_CAP];
	static bool seen[FULL_CAP];
	struct session *it;
	uint32_t cursor = 0, visits = 0;

	for (unsigned i = 0; i < FULL_CAP; i++)
		s[i] = add(*state, i);
	for (unsigned i = 0; i < FULL_CAP; i += 3)
		session_remove(*state, s[i]);
	while ((cursor = session_next(*state, cursor, &it)) != 0) {
		unsigned i = ntohl(it->ip_be) - 0x0a0a0002u;

		assert_true(i < FULL_CAP);
		assert_ptr_equal(it, s[i]);
		assert_int_not_equal(i % 3, 0);
		assert_false(seen[i]);
		seen[i] = true;
		visits++;
	}
	assert_int_equal(visits, session_count(*state));
	for (unsigned i = 0; i < FULL_CAP; i++)
		assert_int_equal(seen[i], i % 3 != 0);
}

static void
test_session_next_after_remove_all_done(void **state)
{
	struct session *s[8], *it = NULL;

	for (unsigned i = 0; i < 8; i++)
		s[i] = add(*state, i);
	for (unsigned i = 0; i < 8; i++)
		session_remove(*state, s[i]);
	assert_int_equal(session_next(*state, 0, &it), 0);
	assert_null(it);
	assert_int_equal(session_count(*state), 0);
}

#define T(fn, s) cmocka_unit_test_setup_teardown(fn, s, teardown)

static void
test_session_alias_teid_finds_session(void **state)
{
	struct session *s = add(*state, 0);
	uint32_t alias = session_fresh_teid(*state);

	assert_int_equal(session_alias_teid(*state, s, alias), 0);
	assert_ptr_equal(session_find_teid(*state, alias), s);
	assert_ptr_equal(session_find_teid(*state, s->teid), s);
}

static void
test_session_alias_teid_in_use_eexist(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	assert_int_equal(session_alias_teid(*state, a, b->teid), -EEXIST);
	assert_int_equal(session_alias_teid(*state, a, 0), -EEXIST);
	assert_ptr_equal(session_find_teid(*state, b->teid), b);
}

static void
test_session_unalias_only_own(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);
	uint32_t alias = session_fresh_teid(*state);

	assert_int_equal(session_alias_teid(*state, a, alias), 0);
	session_unalias_teid(*state, b, alias);
	assert_ptr_equal(session_find_teid(*state, alias), a);
	session_unalias_teid(*state, a, alias);
	assert_null(session_find_teid(*state, alias));
}

static void
test_session_fresh_teid_avoids_aliases(void **state)
{
	struct session *a = add(*state, 0);

	for (int i = 0; i < 200; i++) {
		uint32_t t = session_fresh_teid(*state);

		assert_int_not_equal(t, 0);
		assert_null(session_find_teid(*state, t));
		if (i < 4)
			assert_int_equal(session_alias_teid(*state, a, t), 0);
	}
}

/* The low bits cover every slot index, 1 to capacity, and no more. */
static void
test_session_teid_slot_mask_covers_every_slot(void **state)
{
	(void)state;
	assert_int_equal(session_teid_slot_mask(1), 1);
	assert_int_equal(session_teid_slot_mask(2), 3);
	assert_int_equal(session_teid_slot_mask(3), 3);
	assert_int_equal(session_teid_slot_mask(4), 7);
	assert_int_equal(session_teid_slot_mask(FULL_CAP), 1023);
	assert_int_equal(session_teid_slot_mask(1u << 30), 0x7fffffffu);
}

/* Every fresh TEID names its slot, and the high bits still differ. */
static void
test_session_alloc_teid_names_its_slot(void **state)
{
	uint32_t mask = session_teid_slot_mask(FULL_CAP), high_seen = 0;

	for (unsigned i = 0; i < FULL_CAP; i++) {
		struct session *s = add(*state, i);

		assert_int_equal(s->teid & mask, session_slot(*state, s));
		high_seen |= s->teid & ~mask;
		assert_ptr_equal(session_find_teid(*state, s->teid), s);
	}
	assert_int_equal(high_seen, ~mask); /* every random bit was 1 somewhere */
}

/*
 * A slot taken again and again never repeats a TEID: a late G-PDU cannot reach
 * its successor. 22 bits above the slot: random ones would repeat within 20,000.
 */
static void
test_session_slot_reused_with_a_new_teid_each_time(void **state)
{
	enum { ROUNDS = 20000 };
	uint32_t *teids = calloc(ROUNDS, sizeof(*teids)), slot = 0;

	assert_non_null(teids);
	for (int i = 0; i < ROUNDS; i++) {
		struct session *s = add(*state, 0);

		if (i == 0)
			slot = session_slot(*state, s);
		assert_int_equal(session_slot(*state, s), slot); /* the same slot every time */
		teids[i] = s->teid;
		session_remove(*state, s);
	}
	qsort(teids, ROUNDS, sizeof(*teids), cmp_u32);
	for (int i = 1; i < ROUNDS; i++)
		assert_int_not_equal(teids[i], teids[i - 1]);
	free(teids);
}

/* Allocated but not yet inserted: not found by its TEID, as before insertion always. */
static void
test_session_alloc_not_inserted_not_found(void **state)
{
	struct session *s = session_alloc(*state);

	assert_non_null(s);
	assert_null(session_find_teid(*state, s->teid));
	session_discard(*state, s);
}

/* An explicit TEID (a UPF's Local F-TEID from the SMF) that names another slot: still found. */
static void
test_session_explicit_teid_found_by_the_index(void **state)
{
	uint32_t mask = session_teid_slot_mask(8);
	struct session *s = session_alloc(*state);
	uint32_t slot;

	assert_non_null(s);
	slot = session_slot(*state, s);
	fill(s, 0);
	s->teid = 0x12345600u | ((slot + 1) & mask);
	session_insert(*state, s);
	assert_ptr_equal(session_find_teid(*state, s->teid), s);
	assert_null(session_find_teid(*state, (s->teid & ~mask) | slot));
	session_remove(*state, s);
	assert_null(session_find_teid(*state, 0x12345600u | ((slot + 1) & mask)));
}

/* A TEID that names a slot whose session has another TEID finds nothing. */
static void
test_session_teid_naming_another_sessions_slot_null(void **state)
{
	struct session *s = add(*state, 0);

	assert_null(session_find_teid(*state, s->teid ^ 0x80000000u));
	assert_ptr_equal(session_find_teid(*state, s->teid), s);
}

static void
test_session_route_longest_prefix_wins(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	assert_int_equal(session_route_add(*state, a, htonl(0xc0a80000), htonl(0xffff0000)), 0);
	assert_int_equal(session_route_add(*state, b, htonl(0xc0a83200), htonl(0xffffff00)), 0);
	assert_ptr_equal(session_find_dest(*state, htonl(0xc0a83207)), b);
	assert_ptr_equal(session_find_dest(*state, htonl(0xc0a83307)), a);
	assert_null(session_find_dest(*state, htonl(0xc0a90001)));
	/* A device's own address comes before any route. */
	assert_ptr_equal(session_find_dest(*state, a->ip_be), a);
}

static void
test_session_route_duplicate_eexist(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	assert_int_equal(session_route_add(*state, a, htonl(0xc0a83200), htonl(0xffffff00)), 0);
	assert_int_equal(
	    session_route_add(*state, b, htonl(0xc0a83200), htonl(0xffffff00)), -EEXIST);
	assert_ptr_equal(session_find_dest(*state, htonl(0xc0a83201)), a);
}

static void
test_session_remove_drops_routes(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	assert_int_equal(session_route_add(*state, a, htonl(0xc0a83200), htonl(0xffffff00)), 0);
	assert_int_equal(session_route_add(*state, b, htonl(0xc0a83300), htonl(0xffffff00)), 0);
	session_remove(*state, a);
	assert_null(session_find_dest(*state, htonl(0xc0a83201)));
	assert_ptr_equal(session_find_dest(*state, htonl(0xc0a83301)), b);
}

static int hook_adds, hook_dels;

static void
count_hook(void *arg, uint32_t net_be, uint32_t mask_be, bool add)
{
	(void)arg;
	assert_int_equal(net_be, htonl(0xc0a83200));
	assert_int_equal(mask_be, htonl(0xffffff00));
	if (add)
		hook_adds++;
	else
		hook_dels++;
}

static void
test_session_route_hook_told_of_add_and_remove(void **state)
{
	struct session *a = add(*state, 0);

	hook_adds = hook_dels = 0;
	session_set_route_hook(*state, count_hook, NULL);
	assert_int_equal(session_route_add(*state, a, htonl(0xc0a83207), htonl(0xffffff00)), 0);
	assert_int_equal(
	    session_route_add(*state, a, htonl(0xc0a83200), htonl(0xffffff00)), -EEXIST);
	assert_int_equal(hook_adds, 1);
	session_remove(*state, a);
	assert_int_equal(hook_dels, 1);
}

#define LAN_NET	 htonl(0xc0a83200) /* 192.168.50.0/24 */
#define LAN_MASK htonl(0xffffff00)
#define LAN_HOST htonl(0xc0a8320a) /* 192.168.50.10 */

static void
test_session_route_keep_bound_found(void **state)
{
	struct session *a = add(*state, 0);
	struct session *bound = NULL;
	bool held = true;

	assert_int_equal(session_route_keep(*state, a, LAN_NET, LAN_MASK), 0);
	assert_ptr_equal(session_find_dest_held(*state, LAN_HOST, &held), a);
	assert_false(held);
	assert_int_equal(session_route_kept(*state, LAN_NET, LAN_MASK, &bound), 0);
	assert_ptr_equal(bound, a);
}

static void
test_session_route_keep_for_none_held(void **state)
{
	struct session *bound = (struct session *)1;
	bool held = false;

	assert_int_equal(session_route_keep(*state, NULL, LAN_NET, LAN_MASK), 0);
	assert_null(session_find_dest_held(*state, LAN_HOST, &held));
	assert_true(held);
	assert_null(session_find_dest(*state, LAN_HOST));
	assert_int_equal(session_route_kept(*state, LAN_NET, LAN_MASK, &bound), 0);
	assert_null(bound);
	/* Outside every route nothing is held. */
	assert_null(session_find_dest_held(*state, htonl(0xc0a83301), &held));
	assert_false(held);
}

static void
test_session_route_held_hides_shorter_route(void **state)
{
	struct session *a = add(*state, 0);
	bool held = false;

	assert_int_equal(session_route_add(*state, a, htonl(0xc0a80000), htonl(0xffff0000)), 0);
	assert_int_equal(session_route_keep(*state, NULL, LAN_NET, LAN_MASK), 0);
	assert_null(session_find_dest_held(*state, LAN_HOST, &held));
	assert_true(held);
	assert_ptr_equal(session_find_dest(*state, htonl(0xc0a83301)), a);
}

static void
test_session_route_keep_over_framed_route_eexist(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	assert_int_equal(session_route_add(*state, a, LAN_NET, LAN_MASK), 0);
	assert_int_equal(session_route_keep(*state, b, LAN_NET, LAN_MASK), -EEXIST);
	assert_ptr_equal(session_find_dest(*state, LAN_HOST), a);
	/* And the other way round: a Framed-Route cannot take a kept prefix. */
	assert_int_equal(session_route_keep(*state, b, htonl(0xc0a83300), LAN_MASK), 0);
	assert_int_equal(session_route_add(*state, a, htonl(0xc0a83300), LAN_MASK), -EEXIST);
}

static void
test_session_route_keep_again_moves_binding(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	assert_int_equal(session_route_keep(*state, a, LAN_NET, LAN_MASK), 0);
	assert_int_equal(session_route_keep(*state, b, LAN_NET, LAN_MASK), 0);
	assert_ptr_equal(session_find_dest(*state, LAN_HOST), b);
}

static void
test_session_route_del_all_keeps_kept(void **state)
{
	struct session *a = add(*state, 0);

	assert_int_equal(session_route_add(*state, a, htonl(0xc0a83300), LAN_MASK), 0);
	assert_int_equal(session_route_keep(*state, a, LAN_NET, LAN_MASK), 0);
	session_route_del_all(*state, a);
	assert_null(session_find_dest(*state, htonl(0xc0a83301)));
	assert_ptr_equal(session_find_dest(*state, LAN_HOST), a);
}

static void
test_session_remove_holds_kept_routes(void **state)
{
	struct session *a = add(*state, 0);
	struct session *bound = (struct session *)1;
	bool held = false;

	assert_int_equal(session_route_keep(*state, a, LAN_NET, LAN_MASK), 0);
	session_remove(*state, a);
	assert_null(session_find_dest_held(*state, LAN_HOST, &held));
	assert_true(held);
	assert_int_equal(session_route_kept(*state, LAN_NET, LAN_MASK, &bound), 0);
	assert_null(bound);
}

static void
test_session_route_release_only_kept(void **state)
{
	struct session *a = add(*state, 0);
	bool held = true;

	assert_int_equal(session_route_add(*state, a, htonl(0xc0a83300), LAN_MASK), 0);
	assert_int_equal(session_route_keep(*state, NULL, LAN_NET, LAN_MASK), 0);
	assert_int_equal(session_route_release(*state, htonl(0xc0a83300), LAN_MASK), -ENOENT);
	assert_ptr_equal(session_find_dest(*state, htonl(0xc0a83301)), a);
	assert_int_equal(session_route_release(*state, LAN_NET, LAN_MASK), 0);
	assert_null(session_find_dest_held(*state, LAN_HOST, &held));
	assert_false(held);
	assert_int_equal(session_route_release(*state, LAN_NET, LAN_MASK), -ENOENT);
}

static void
test_session_route_hook_kept_told_once_each_way(void **state)
{
	struct session *a = add(*state, 0), *b = add(*state, 1);

	hook_adds = hook_dels = 0;
	session_set_route_hook(*state, count_hook, NULL);
	assert_int_equal(session_route_keep(*state, NULL, LAN_NET, LAN_MASK), 0);
	assert_int_equal(session_route_keep(*state, a, LAN_NET, LAN_MASK), 0);
	session_remove(*state, a);
	assert_int_equal(session_route_keep(*state, b, LAN_NET, LAN_MASK), 0);
	/* Bound, held and bound again: the host's route stays as it is. */
	assert_int_equal(hook_adds, 1);
	assert_int_equal(hook_dels, 0);
	assert_int_equal(session_route_release(*state, LAN_NET, LAN_MASK), 0);
	assert_int_equal(hook_dels, 1);
}

static void
test_session_route_hook_set_late_told_of_existing(void **state)
{
	assert_int_equal(session_route_keep(*state, NULL, LAN_NET, LAN_MASK), 0);
	hook_adds = hook_dels = 0;
	session_set_route_hook(*state, count_hook, NULL);
	assert_int_equal(hook_adds, 1);
	assert_int_equal(hook_dels, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_table_new_zero_capacity_null),
		cmocka_unit_test(test_session_table_new_over_limit_null),
		T(test_session_alloc_fresh_slot_zeroed_with_teid, setup_small),
		cmocka_unit_test(test_session_teid_slot_mask_covers_every_slot),
		T(test_session_alloc_teid_names_its_slot, setup_full),
		T(test_session_alloc_not_inserted_not_found, setup_small),
		T(test_session_slot_reused_with_a_new_teid_each_time, setup_full),
		T(test_session_explicit_teid_found_by_the_index, setup_small),
		T(test_session_teid_naming_another_sessions_slot_null, setup_small),
		T(test_session_slots_each_start_a_cache_line, setup_small),
		T(test_session_alias_teid_finds_session, setup_small),
		T(test_session_alias_teid_in_use_eexist, setup_small),
		T(test_session_unalias_only_own, setup_small),
		T(test_session_fresh_teid_avoids_aliases, setup_small),
		T(test_session_route_longest_prefix_wins, setup_small),
		T(test_session_route_duplicate_eexist, setup_small),
		T(test_session_remove_drops_routes, setup_small),
		T(test_session_route_hook_told_of_add_and_remove, setup_small),
		T(test_session_route_keep_bound_found, setup_small),
		T(test_session_route_keep_for_none_held, setup_small),
		T(test_session_route_held_hides_shorter_route, setup_small),
		T(test_session_route_keep_over_framed_route_eexist, setup_small),
		T(test_session_route_keep_again_moves_binding, setup_small),
		T(test_session_route_del_all_keeps_kept, setup_small),
		T(test_session_remove_holds_kept_routes, setup_small),
		T(test_session_route_release_only_kept, setup_small),
		T(test_session_route_hook_kept_told_once_each_way, setup_small),
		T(test_session_route_hook_set_late_told_of_existing, setup_small),
		T(test_session_insert_counts_one, setup_small),
		T(test_session_find_teid_inserted_found, setup_small),
		T(test_session_find_ip_inserted_found, setup_small),
		T(test_session_find_imsi_inserted_found, setup_small),
		T(test_session_find_imsi_other_nsapi_null, setup_small),
		T(test_session_find_imsi_same_nsapi_other_imsi_null, setup_small),
		T(test_session_find_teid_unknown_null, setup_small),
		T(test_session_find_ip_unknown_null, setup_small),
		T(test_session_find_imsi_same_imsi_each_nsapi, setup_small),
		T(test_session_remove_unlinks_teid, setup_small),
		T(test_session_remove_unlinks_ip, setup_small),
		T(test_session_remove_unlinks_imsi, setup_small),
		T(test_session_remove_keeps_other_contexts_of_imsi, setup_small),
		T(test_session_remove_marks_slot_free, setup_small),
		T(test_session_alloc_full_table_null, setup_small),
		T(test_session_alloc_after_remove_reuses_slot, setup_small),
		T(test_session_discard_returns_slot, setup_small),
		T(test_session_alloc_teids_unique_nonzero, setup_full),
		T(test_session_full_table_every_key_found, setup_full),
		T(test_session_remove_every_other_rest_found, setup_full),
		T(test_session_remove_every_other_refill_found, setup_full),
		T(test_session_next_empty_table_done, setup_small),
		T(test_session_next_visits_live_only, setup_full),
		T(test_session_next_cursor_past_the_table_done, setup_full),
		T(test_session_find_downlink_follows_moves, setup_full),
		T(test_session_next_after_remove_all_done, setup_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
