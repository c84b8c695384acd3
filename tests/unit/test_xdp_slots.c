/*
 * The session maps as memory (fwd/xdp_slots.c), over plain memory: the
 * indices find what was put and nothing that was cleared, through
 * collisions, deletions in any order and a full probe run; counters start
 * from zero for a new session only.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fwd/xdp_slots.h"

#define CAPACITY 256
#define ENTRIES	 1024

static struct xdp_slot slot_mem[CAPACITY + 1];
static uint64_t teid_mem[ENTRIES], addr_mem[ENTRIES];
static uint32_t direct_mem[16];

static struct xdp_slots
fresh(void)
{
	memset(slot_mem, 0, sizeof(slot_mem));
	memset(teid_mem, 0, sizeof(teid_mem));
	memset(addr_mem, 0, sizeof(addr_mem));
	return (struct xdp_slots){ .slots = slot_mem,
		.teid_index = teid_mem,
		.addr_index = addr_mem,
		.capacity = CAPACITY,
		.index_mask = ENTRIES - 1 };
}

/* As fresh, with 10.0.0.0/28 in addr_slots (as xdp_slots_geometry_subnet covers it). */
static struct xdp_slots
fresh_direct(void)
{
	struct xdp_slots_geometry g;
	struct xdp_slots t;

	assert_int_equal(xdp_slots_geometry(CAPACITY, &g), 0);
	xdp_slots_geometry_subnet(&g, htonl(0x0a000000), 28);
	assert_int_equal(g.addr_base, 0x0a000000);
	assert_int_equal(g.addr_count, 16);
	memset(direct_mem, 0, sizeof(direct_mem));
	t = fresh();
	t.addr_slots = direct_mem;
	t.addr_base = g.addr_base;
	t.addr_count = g.addr_count;
	return t;
}

static struct xdp_session
session(uint32_t slot, uint32_t teid, uint32_t ip)
{
	return (struct xdp_session){ .teid_be = teid, .ip_be = ip, .slot = slot };
}

/* Keys whose home in the index is the same place: the longest probe runs. */
static uint32_t
colliding_key(uint32_t home, uint32_t *from)
{
	while ((xdp_index_home(*from) & (ENTRIES - 1)) != home)
		(*from)++;
	return (*from)++;
}

static void
test_xdp_slots_put_find_clear(void **state)
{
	struct xdp_slots t = fresh();
	struct xdp_session s = session(7, htonl(0x1234), htonl(0x0a000002));

	(void)state;
	assert_true(xdp_slots_put(&t, &s));
	assert_int_equal(xdp_slots_find(&t, t.teid_index, s.teid_be), 7);
	assert_int_equal(xdp_slots_find(&t, t.addr_index, s.ip_be), 7);
	assert_int_equal(t.slots[7].s.peer_addr_be, 0);
	assert_int_equal(t.slots[7].seq % 2, 0);
	xdp_slots_clear(&t, 7);
	assert_int_equal(xdp_slots_find(&t, t.teid_index, s.teid_be), 0);
	assert_int_equal(xdp_slots_find(&t, t.addr_index, s.ip_be), 0);
	assert_int_equal(t.slots[7].s.teid_be, 0);
	assert_int_equal(t.slots[7].seq, 4); /* two writes, each leaving it even */
}

/*
 * Forty keys on one home and forty on the next, cleared in a scrambled
 * order: after every step each remaining key is found at its own slot and
 * each cleared one is not.
 */
static void
test_xdp_slots_collisions_survive_any_deletion_order(void **state)
{
	struct xdp_slots t = fresh();
	uint32_t keys[64], from = 1, n = 0;
	bool live[64];

	(void)state;
	for (uint32_t i = 0; i < 32; i++)
		keys[n++] = colliding_key(100, &from);
	from = 1;
	for (uint32_t i = 0; i < 32; i++)
		keys[n++] = colliding_key(101, &from);
	for (uint32_t i = 0; i < n; i++) {
		struct xdp_session s = session(i + 1, keys[i], htonl(0x0a000000 + i + 1));

		/* Home 101's keys fill the places after 100's run: those run out of room. */
		live[i] = xdp_slots_put(&t, &s);
	}
	assert_int_equal(t.index_full, 31);
	for (uint32_t step = 0; step < n; step++) {
		uint32_t victim = (step * 37) % n;

		xdp_slots_clear(&t, victim + 1);
		live[victim] = false;
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(
			    xdp_slots_find(&t, t.teid_index, keys[i]), live[i] ? i + 1 : 0);
	}
	for (uint32_t i = 0; i < ENTRIES; i++)
		assert_int_equal(teid_mem[i], 0);
}

static void
test_xdp_slots_full_probe_run_refused_and_counted(void **state)
{
	struct xdp_slots t = fresh();
	uint32_t from = 1, k;

	(void)state;
	for (uint32_t i = 0; i < XDP_INDEX_PROBES; i++) {
		struct xdp_session s = session(i + 1, colliding_key(5, &from), htonl(i + 1));

		assert_true(xdp_slots_put(&t, &s));
	}
	k = colliding_key(5, &from);
	{
		struct xdp_session s = session(200, k, htonl(200));

		assert_false(xdp_slots_put(&t, &s));
	}
	assert_int_equal(t.index_full, 1);
	assert_int_equal(xdp_slots_find(&t, t.teid_index, k), 0);
}

/*
 * A device's address taken over by its successor stays the successor's when
 * the old one goes, in the index and in addr_slots alike.
 */
static void
assert_successor_keeps_the_address(struct xdp_slots t)
{
	struct xdp_session a = session(1, htonl(0xa), htonl(0x0a000002));
	struct xdp_session b = session(2, htonl(0xb), htonl(0x0a000002));

	assert_true(xdp_slots_put(&t, &a));
	assert_true(xdp_slots_put(&t, &b));
	xdp_slots_clear(&t, 1);
	assert_int_equal(xdp_slots_find_addr(&t, b.ip_be), 2);
	assert_int_equal(xdp_slots_find(&t, t.teid_index, a.teid_be), 0);
	assert_int_equal(xdp_slots_find(&t, t.teid_index, b.teid_be), 2);
}

static void
test_xdp_slots_successor_keeps_the_address(void **state)
{
	(void)state;
	assert_successor_keeps_the_address(fresh());
}

static void
test_xdp_slots_successor_keeps_a_subnet_address(void **state)
{
	(void)state;
	assert_successor_keeps_the_address(fresh_direct());
}

/* An address addr_slots covers is there, at its offset, and never in the index. */
static void
test_xdp_slots_subnet_addresses_in_addr_slots(void **state)
{
	struct xdp_slots t = fresh_direct();
	struct xdp_session a = session(3, htonl(0xa), htonl(0x0a000005));
	struct xdp_session far = session(4, htonl(0xf), htonl(0x0a000010)); /* past the /28 */

	(void)state;
	assert_true(xdp_slots_put(&t, &a));
	assert_true(xdp_slots_put(&t, &far));
	assert_int_equal(direct_mem[5], 3);
	assert_int_equal(xdp_slots_find(&t, t.addr_index, a.ip_be), 0);
	assert_int_equal(xdp_slots_find_addr(&t, a.ip_be), 3);
	assert_int_equal(xdp_slots_find(&t, t.addr_index, far.ip_be), 4);
	assert_int_equal(xdp_slots_find_addr(&t, far.ip_be), 4);
	/* A new address for the same session: the old offset empties. */
	a.ip_be = htonl(0x0a000006);
	assert_true(xdp_slots_put(&t, &a));
	assert_int_equal(direct_mem[5], 0);
	assert_int_equal(direct_mem[6], 3);
	xdp_slots_clear(&t, 3);
	xdp_slots_clear(&t, 4);
	assert_int_equal(direct_mem[6], 0);
	assert_int_equal(xdp_slots_find_addr(&t, far.ip_be), 0);
}

/* A subnet larger than XDP_ADDR_SLOTS_MAX: its first addresses only. */
static void
test_xdp_slots_subnet_coverage_capped(void **state)
{
	struct xdp_slots_geometry g;

	(void)state;
	assert_int_equal(xdp_slots_geometry(CAPACITY, &g), 0);
	assert_int_equal(g.addr_count, 0);
	xdp_slots_geometry_subnet(&g, htonl(0x0a000000), 8);
	assert_int_equal(g.addr_base, 0x0a000000);
	assert_int_equal(g.addr_count, XDP_ADDR_SLOTS_MAX);
	xdp_slots_geometry_subnet(&g, htonl(0xc0000201), 32); /* a /32: even */
	assert_int_equal(g.addr_base, 0xc0000201);
	assert_int_equal(g.addr_count, 2);
}

static void
test_xdp_slots_counters_kept_for_the_same_session_only(void **state)
{
	struct xdp_slots t = fresh();
	struct xdp_session s = session(3, htonl(0x33), htonl(0x0a000003));
	struct xdp_session_counters c;

	(void)state;
	assert_true(xdp_slots_put(&t, &s));
	slot_mem[3].counted.up_packets = 12;
	slot_mem[3].counted.down_bytes = 100;
	s.peer_teid_be = htonl(0x99); /* a new tunnel: the same session */
	assert_true(xdp_slots_put(&t, &s));
	xdp_slots_counted(&t, 3, &c);
	assert_int_equal(c.up_packets, 12);
	assert_int_equal(c.down_bytes, 100);
	xdp_slots_clear(&t, 3);
	s.teid_be = htonl(0x34); /* another session in the slot */
	assert_true(xdp_slots_put(&t, &s));
	xdp_slots_counted(&t, 3, &c);
	assert_int_equal(c.up_packets, 0);
	assert_int_equal(c.down_bytes, 0);
	assert_int_equal(xdp_slots_find(&t, t.teid_index, htonl(0x33)), 0);
}

static void
test_xdp_slots_out_of_range_slots_ignored(void **state)
{
	struct xdp_slots t = fresh();
	struct xdp_session s = session(CAPACITY + 1, htonl(1), htonl(1));
	struct xdp_session_counters c;

	(void)state;
	assert_false(xdp_slots_put(&t, &s));
	s.slot = 0;
	assert_false(xdp_slots_put(&t, &s));
	xdp_slots_clear(&t, CAPACITY + 1);
	xdp_slots_counted(&t, CAPACITY + 1, &c);
	assert_int_equal(c.up_packets, 0);
	assert_int_equal(xdp_slots_find(&t, t.teid_index, htonl(1)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp_slots_put_find_clear),
		cmocka_unit_test(test_xdp_slots_collisions_survive_any_deletion_order),
		cmocka_unit_test(test_xdp_slots_full_probe_run_refused_and_counted),
		cmocka_unit_test(test_xdp_slots_successor_keeps_the_address),
		cmocka_unit_test(test_xdp_slots_subnet_addresses_in_addr_slots),
		cmocka_unit_test(test_xdp_slots_successor_keeps_a_subnet_address),
		cmocka_unit_test(test_xdp_slots_subnet_coverage_capped),
		cmocka_unit_test(test_xdp_slots_counters_kept_for_the_same_session_only),
		cmocka_unit_test(test_xdp_slots_out_of_range_slots_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
