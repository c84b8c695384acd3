/*
 * Unit tests for src/fwd/gate_neigh.c, the gate's neighbour table: the least
 * recently used entry makes room when the table is full, a use keeps an
 * entry, pinned addresses are never evicted (a table of nothing but pinned
 * entries refuses), and new device-caused entries pass a token bucket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/counters.h"
#include "fwd/gate_neigh.h"

#define ADDR(n) (0x0a0a0000u + (n)) /* any distinct keys will do */

static bool
pin_below_ten(const void *arg, uint32_t ip_be)
{
	(void)arg;
	return ip_be < ADDR(10);
}

static bool
pin_all(const void *arg, uint32_t ip_be)
{
	(void)arg, (void)ip_be;
	return true;
}

static void
test_gate_neigh_add_full_evicts_least_recently_used(void **state)
{
	struct gate_neigh_table *t = gate_neigh_new(3, 10, 10);
	struct gate_neigh *a;

	(void)state;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	a = gate_neigh_add(t, ADDR(20), 1, NULL, NULL);
	gate_neigh_add(t, ADDR(21), 2, NULL, NULL);
	assert_non_null(gate_neigh_add(t, ADDR(22), 3, NULL, NULL));
	gate_neigh_touch(t, a, 4); /* now 21 is the least recently used */
	assert_non_null(gate_neigh_add(t, ADDR(23), 5, NULL, NULL));
	assert_null(gate_neigh_find(t, ADDR(21)));
	assert_ptr_equal(gate_neigh_find(t, ADDR(20)), a);
	assert_non_null(gate_neigh_find(t, ADDR(22)));
	assert_non_null(gate_neigh_find(t, ADDR(23)));
	assert_int_equal(gate_neigh_count(t), 3);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_NEIGHBOR_EVICTIONS], 1);
	gate_neigh_free(t);
}

static void
test_gate_neigh_add_full_skips_pinned(void **state)
{
	struct gate_neigh_table *t = gate_neigh_new(3, 10, 10);

	(void)state;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	/* Oldest first: two pinned entries, then one that is not. */
	gate_neigh_add(t, ADDR(1), 1, NULL, NULL);
	gate_neigh_add(t, ADDR(2), 2, NULL, NULL);
	gate_neigh_add(t, ADDR(30), 3, NULL, NULL);
	for (uint32_t i = 0; i < 5; i++)
		assert_non_null(gate_neigh_add(t, ADDR(40 + i), 4 + i, pin_below_ten, NULL));
	assert_non_null(gate_neigh_find(t, ADDR(1)));
	assert_non_null(gate_neigh_find(t, ADDR(2)));
	assert_null(gate_neigh_find(t, ADDR(30)));
	assert_non_null(gate_neigh_find(t, ADDR(44)));
	assert_int_equal(gate_neigh_count(t), 3);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_NEIGHBOR_EVICTIONS], 5);
	gate_neigh_free(t);
}

static void
test_gate_neigh_add_all_pinned_refused(void **state)
{
	struct gate_neigh_table *t = gate_neigh_new(2, 10, 10);

	(void)state;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	gate_neigh_add(t, ADDR(1), 1, NULL, NULL);
	gate_neigh_add(t, ADDR(2), 2, NULL, NULL);
	assert_null(gate_neigh_add(t, ADDR(3), 3, pin_all, NULL));
	assert_non_null(gate_neigh_find(t, ADDR(1)));
	assert_non_null(gate_neigh_find(t, ADDR(2)));
	assert_null(gate_neigh_find(t, ADDR(3)));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_NEIGHBOR_EVICTIONS], 0);
	gate_neigh_free(t);
}

static void
test_gate_neigh_remove_frees_slot_and_keeps_order(void **state)
{
	struct gate_neigh_table *t = gate_neigh_new(3, 10, 10);

	(void)state;
	gate_neigh_add(t, ADDR(20), 1, NULL, NULL);
	gate_neigh_remove(t, gate_neigh_add(t, ADDR(21), 2, NULL, NULL));
	gate_neigh_add(t, ADDR(22), 3, NULL, NULL);
	gate_neigh_add(t, ADDR(23), 4, NULL, NULL);
	assert_int_equal(gate_neigh_count(t), 3);
	assert_non_null(gate_neigh_add(t, ADDR(24), 5, NULL, NULL));
	assert_null(gate_neigh_find(t, ADDR(20))); /* the oldest left */
	assert_non_null(gate_neigh_find(t, ADDR(22)));
	gate_neigh_free(t);
}

static void
test_gate_neigh_admit_burst_then_rate(void **state)
{
	struct gate_neigh_table *t = gate_neigh_new(8, 50, 100);
	unsigned admitted = 0;

	(void)state;
	for (int i = 0; i < 150; i++)
		admitted += gate_neigh_admit(t, 1000);
	assert_int_equal(admitted, 100);
	/* 50 a second: 10 in 200 ms, 1 in 20 ms, none in 19 ms more. */
	admitted = 0;
	for (int i = 0; i < 20; i++)
		admitted += gate_neigh_admit(t, 1200);
	assert_int_equal(admitted, 10);
	assert_true(gate_neigh_admit(t, 1220));
	assert_false(gate_neigh_admit(t, 1239));
	assert_true(gate_neigh_admit(t, 1240));
	/* A long pause refills to the burst, never beyond. */
	admitted = 0;
	for (int i = 0; i < 150; i++)
		admitted += gate_neigh_admit(t, 100000);
	assert_int_equal(admitted, 100);
	gate_neigh_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_neigh_add_full_evicts_least_recently_used),
		cmocka_unit_test(test_gate_neigh_add_full_skips_pinned),
		cmocka_unit_test(test_gate_neigh_add_all_pinned_refused),
		cmocka_unit_test(test_gate_neigh_remove_frees_slot_and_keeps_order),
		cmocka_unit_test(test_gate_neigh_admit_burst_then_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
