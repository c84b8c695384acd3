/*
 * Unit tests for the device address pool (src/core/ippool.c): the addresses
 * that may never be handed out, the IMSI -> address map and its open
 * addressing table, and exhaustion. Small subnets are exhausted and every
 * address checked; the map is grown past its first size and thinned in a
 * shuffled order, which exercises the backward-shift deletion.
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

#include "core/ippool.h"
#include "sorted.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define SENTINEL	0xdeadbeefu
#define MAP_MANY	1000
#define SLASH8_ASSIGNS	5000

/* Each setup makes one pool; the test finds it in *state, teardown frees it. */
static int
setup_pool(void **state, uint32_t net_be, uint8_t prefix, uint32_t gateway_be)
{
	struct ippool *p = ippool_new(net_be, prefix, gateway_be);

	if (p == NULL)
		return -1;
	*state = p;
	return 0;
}

/* 10.0.0.0/28, gateway 10.0.0.1: 10.0.0.2 to 10.0.0.14 assignable. */
static int
setup_28(void **state)
{
	return setup_pool(state, IP4(10, 0, 0, 0), 28, IP4(10, 0, 0, 1));
}

/* 10.0.0.8/29, gateway in the middle, 10.0.0.11. */
static int
setup_29(void **state)
{
	return setup_pool(state, IP4(10, 0, 0, 8), 29, IP4(10, 0, 0, 11));
}

/* 10.0.0.0/30, gateway 10.0.0.1: 10.0.0.2 is the only assignable address. */
static int
setup_30(void **state)
{
	return setup_pool(state, IP4(10, 0, 0, 0), 30, IP4(10, 0, 0, 1));
}

static int
setup_16(void **state)
{
	return setup_pool(state, IP4(10, 10, 0, 0), 16, IP4(10, 10, 0, 1));
}

static int
setup_8(void **state)
{
	return setup_pool(state, IP4(10, 0, 0, 0), 8, IP4(10, 0, 0, 1));
}

static int
teardown(void **state)
{
	ippool_free(*state);
	return 0;
}

static void
imsi_of(unsigned i, char out[16])
{
	snprintf(out, 16, "99901%010u", i);
}

/* A fixed-seed xorshift, so the shuffled order is the same on every run. */
static uint32_t
prng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
shuffle(unsigned *v, unsigned n, uint32_t seed)
{
	for (unsigned i = n - 1; i > 0; i--) {
		unsigned j = prng(&seed) % (i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/*
 * Assigns until the pool refuses; returns how many were given, each in
 * got[] (host order), and checks each is new.
 */
static unsigned
exhaust(struct ippool *p, uint32_t *got, unsigned max)
{
	char imsi[16];
	uint32_t a;
	unsigned n = 0;
	int rc;

	for (;;) {
		imsi_of(n, imsi);
		a = SENTINEL;
		rc = ippool_assign(p, imsi, &a);
		if (rc != 0) {
			assert_int_equal(rc, -ENOSPC);
			assert_int_equal(a, SENTINEL);
			return n;
		}
		assert_true(n < max);
		for (unsigned i = 0; i < n; i++)
			assert_int_not_equal(got[i], ntohl(a));
		got[n++] = ntohl(a);
	}
}

static bool
contains(const uint32_t *v, unsigned n, uint32_t host)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == host)
			return true;
	return false;
}

static void
test_ippool_new_prefix_7_null(void **state)
{
	(void)state;
	assert_null(ippool_new(IP4(10, 0, 0, 0), 7, IP4(10, 0, 0, 1)));
}

static void
test_ippool_new_prefix_31_null(void **state)
{
	(void)state;
	assert_null(ippool_new(IP4(10, 0, 0, 0), 31, IP4(10, 0, 0, 1)));
}

static void
test_ippool_capacity_slash28_13(void **state)
{
	assert_int_equal(ippool_capacity(*state), 13);
	assert_int_equal(ippool_assigned_count(*state), 0);
}

static void
test_ippool_capacity_slash29_5(void **state)
{
	assert_int_equal(ippool_capacity(*state), 5);
}

static void
test_ippool_capacity_slash30_1(void **state)
{
	assert_int_equal(ippool_capacity(*state), 1);
}

static void
test_ippool_capacity_slash16_65533(void **state)
{
	assert_int_equal(ippool_capacity(*state), 65533);
}

static void
test_ippool_capacity_slash8_16777213(void **state)
{
	assert_int_equal(ippool_capacity(*state), 16777213);
}

static void
test_ippool_capacity_gateway_outside_two_less(void **state)
{
	struct ippool *p = ippool_new(IP4(10, 0, 0, 0), 28, IP4(192, 0, 2, 1));

	(void)state;
	assert_non_null(p);
	assert_int_equal(ippool_capacity(p), 14);
	ippool_free(p);
}

static void
test_ippool_assign_slash28_exhaust_skips_reserved(void **state)
{
	uint32_t got[16];
	unsigned n = exhaust(*state, got, 16);

	assert_int_equal(n, 13);
	for (uint32_t host = 0x0a000002; host <= 0x0a00000e; host++)
		assert_true(contains(got, n, host));
	assert_false(contains(got, n, 0x0a000000));
	assert_false(contains(got, n, 0x0a000001));
	assert_false(contains(got, n, 0x0a00000f));
	assert_int_equal(ippool_assigned_count(*state), 13);
}

static void
test_ippool_assign_slash29_exhaust_skips_reserved(void **state)
{
	static const uint32_t want[] = { 0x0a000009, 0x0a00000a, 0x0a00000c, 0x0a00000d,
		0x0a00000e };
	uint32_t got[8];
	unsigned n = exhaust(*state, got, 8);

	assert_int_equal(n, 5);
	for (unsigned i = 0; i < 5; i++)
		assert_true(contains(got, n, want[i]));
	assert_false(contains(got, n, 0x0a000008));
	assert_false(contains(got, n, 0x0a00000b));
	assert_false(contains(got, n, 0x0a00000f));
	assert_int_equal(ippool_assigned_count(*state), 5);
}

static void
test_ippool_assign_slash28_every_address_marked(void **state)
{
	uint32_t got[16];
	unsigned n = exhaust(*state, got, 16);

	assert_int_equal(n, 13);
	for (uint32_t host = 0x0a000000; host <= 0x0a00000f; host++)
		assert_int_equal(ippool_is_assigned(*state, htonl(host)),
		    host >= 0x0a000002 && host <= 0x0a00000e);
}

static void
test_ippool_assign_exhausted_enospc(void **state)
{
	uint32_t got[16], a = SENTINEL;

	exhaust(*state, got, 16);
	assert_int_equal(ippool_assign(*state, "999019999999999", &a), -ENOSPC);
	assert_int_equal(a, SENTINEL);
	assert_int_equal(ippool_assigned_count(*state), 13);
}

static void
test_ippool_release_returns_address(void **state)
{
	uint32_t got[16], a = SENTINEL;

	exhaust(*state, got, 16);
	ippool_release(*state, IP4(10, 0, 0, 7));
	assert_false(ippool_is_assigned(*state, IP4(10, 0, 0, 7)));
	assert_int_equal(ippool_assigned_count(*state), 12);
	assert_int_equal(ippool_assign(*state, "999019999999999", &a), 0);
	assert_int_equal(a, IP4(10, 0, 0, 7));
}

static void
test_ippool_release_unassigned_unchanged(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	ippool_release(*state, IP4(10, 0, 0, 9));
	assert_int_equal(ippool_assigned_count(*state), 1);
	assert_true(ippool_is_assigned(*state, a));
}

static void
test_ippool_release_twice_counts_once(void **state)
{
	uint32_t a = SENTINEL, b = SENTINEL;

	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	assert_int_equal(ippool_assign(*state, "999010000000002", &b), 0);
	ippool_release(*state, a);
	ippool_release(*state, a);
	assert_int_equal(ippool_assigned_count(*state), 1);
	assert_true(ippool_is_assigned(*state, b));
}

static void
test_ippool_release_outside_subnet_unchanged(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	ippool_release(*state, IP4(192, 0, 2, 2));
	assert_int_equal(ippool_assigned_count(*state), 1);
	assert_false(ippool_is_assigned(*state, IP4(192, 0, 2, 2)));
}

static void
test_ippool_assign_mapped_imsi_gets_mapped(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	assert_int_equal(a, IP4(10, 10, 0, 50));
	assert_true(ippool_is_assigned(*state, a));
}

static void
test_ippool_assign_mapped_address_never_dynamic(void **state)
{
	uint32_t got[16], a = SENTINEL;
	unsigned n;

	assert_int_equal(ippool_map_set(*state, "999018888888888", IP4(10, 0, 0, 5)), 0);
	n = exhaust(*state, got, 16);
	assert_int_equal(n, 12);
	assert_false(contains(got, n, 0x0a000005));
	assert_int_equal(ippool_assign(*state, "999018888888888", &a), 0);
	assert_int_equal(a, IP4(10, 0, 0, 5));
}

static void
test_ippool_assign_mapped_in_use_ebusy(void **state)
{
	uint32_t a = SENTINEL, b = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	assert_int_equal(ippool_assign(*state, "999010000000001", &b), -EBUSY);
	assert_int_equal(b, SENTINEL);
	assert_int_equal(ippool_assigned_count(*state), 1);
}

static void
test_ippool_assign_unmapped_imsi_dynamic(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 2)), 0);
	assert_int_equal(ippool_assign(*state, "999010000000002", &a), 0);
	assert_int_not_equal(a, IP4(10, 10, 0, 2));
	assert_true(ippool_is_assigned(*state, a));
}

static void
test_ippool_map_set_held_by_other_eexist(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_map_set(*state, "999010000000002", IP4(10, 10, 0, 50)), -EEXIST);
	assert_int_equal(ippool_map_get(*state, "999010000000002", &a), -ENOENT);
	assert_int_equal(ippool_map_count(*state), 1);
}

static void
test_ippool_map_set_assigned_address_ebusy(void **state)
{
	uint32_t a = SENTINEL, m = SENTINEL;

	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	assert_int_equal(ippool_map_set(*state, "999010000000002", a), -EBUSY);
	assert_int_equal(ippool_map_get(*state, "999010000000002", &m), -ENOENT);
	assert_int_equal(ippool_map_count(*state), 0);
}

static void
test_ippool_map_set_network_einval(void **state)
{
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 0)), -EINVAL);
	assert_int_equal(ippool_map_count(*state), 0);
}

static void
test_ippool_map_set_broadcast_einval(void **state)
{
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 255, 255)), -EINVAL);
	assert_int_equal(ippool_map_count(*state), 0);
}

static void
test_ippool_map_set_gateway_einval(void **state)
{
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 1)), -EINVAL);
	assert_int_equal(ippool_map_count(*state), 0);
}

static void
test_ippool_map_set_outside_subnet_einval(void **state)
{
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 11, 0, 5)), -EINVAL);
	assert_int_equal(ippool_map_count(*state), 0);
}

static void
test_ippool_map_set_imsi_too_long_einval(void **state)
{
	assert_int_equal(ippool_map_set(*state, "9990100000000012", IP4(10, 10, 0, 5)), -EINVAL);
	assert_int_equal(ippool_map_count(*state), 0);
}

static void
test_ippool_map_set_empty_imsi_einval(void **state)
{
	uint32_t got[16];

	/* An empty key would look like a free slot: the address would be held for ever. */
	assert_int_equal(ippool_map_set(*state, "", IP4(10, 0, 0, 5)), -EINVAL);
	assert_int_equal(ippool_map_count(*state), 0);
	assert_int_equal(exhaust(*state, got, 16), 13);
}

static void
test_ippool_map_set_same_again_unchanged(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_map_count(*state), 1);
	assert_int_equal(ippool_map_get(*state, "999010000000001", &a), 0);
	assert_int_equal(a, IP4(10, 10, 0, 50));
}

static void
test_ippool_map_set_same_while_assigned_unchanged(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_map_count(*state), 1);
	assert_true(ippool_is_assigned(*state, IP4(10, 10, 0, 50)));
}

static void
test_ippool_map_set_replace_releases_old_hold(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 0, 0, 9)), 0);
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 0, 0, 10)), 0);
	assert_int_equal(ippool_map_count(*state), 1);
	assert_int_equal(ippool_map_get(*state, "999010000000001", &a), 0);
	assert_int_equal(a, IP4(10, 0, 0, 10));
	/* The old address is free again: another IMSI may map it. */
	assert_int_equal(ippool_map_set(*state, "999010000000002", IP4(10, 0, 0, 9)), 0);
}

static void
test_ippool_map_set_replace_old_dynamic_again(void **state)
{
	uint32_t got[16];
	unsigned n;

	assert_int_equal(ippool_map_set(*state, "999018888888888", IP4(10, 0, 0, 9)), 0);
	assert_int_equal(ippool_map_set(*state, "999018888888888", IP4(10, 0, 0, 10)), 0);
	n = exhaust(*state, got, 16);
	assert_int_equal(n, 12);
	assert_true(contains(got, n, 0x0a000009));
	assert_false(contains(got, n, 0x0a00000a));
}

static void
test_ippool_map_set_replace_to_taken_eexist_keeps_old(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_map_set(*state, "999010000000002", IP4(10, 10, 0, 51)), 0);
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 51)), -EEXIST);
	assert_int_equal(ippool_map_get(*state, "999010000000001", &a), 0);
	assert_int_equal(a, IP4(10, 10, 0, 50));
	assert_int_equal(ippool_map_count(*state), 2);
}

static void
test_ippool_map_del_frees_for_dynamic(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 0, 0, 2)), 0);
	assert_int_equal(ippool_assign(*state, "999010000000002", &a), -ENOSPC);
	assert_int_equal(ippool_map_del(*state, "999010000000001"), 0);
	assert_int_equal(ippool_map_count(*state), 0);
	assert_int_equal(ippool_assign(*state, "999010000000002", &a), 0);
	assert_int_equal(a, IP4(10, 0, 0, 2));
}

static void
test_ippool_map_del_absent_enoent(void **state)
{
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 10, 0, 50)), 0);
	assert_int_equal(ippool_map_del(*state, "999010000000002"), -ENOENT);
	assert_int_equal(ippool_map_count(*state), 1);
}

static void
test_ippool_map_get_absent_enoent(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_get(*state, "999010000000001", &a), -ENOENT);
	assert_int_equal(a, SENTINEL);
}

static void
test_ippool_map_growth_all_resolve(void **state)
{
	char imsi[16];
	uint32_t a;

	for (unsigned i = 0; i < MAP_MANY; i++) {
		imsi_of(i, imsi);
		assert_int_equal(ippool_map_set(*state, imsi, htonl(0x0a0a0100 + i)), 0);
	}
	assert_int_equal(ippool_map_count(*state), MAP_MANY);
	for (unsigned i = 0; i < MAP_MANY; i++) {
		imsi_of(i, imsi);
		a = SENTINEL;
		assert_int_equal(ippool_map_get(*state, imsi, &a), 0);
		assert_int_equal(a, htonl(0x0a0a0100 + i));
	}
}

static void
test_ippool_map_del_half_shuffled_rest_resolve(void **state)
{
	static unsigned order[MAP_MANY];
	bool gone[MAP_MANY] = { false };
	char imsi[16];
	uint32_t a;

	for (unsigned i = 0; i < MAP_MANY; i++) {
		imsi_of(i, imsi);
		assert_int_equal(ippool_map_set(*state, imsi, htonl(0x0a0a0100 + i)), 0);
		order[i] = i;
	}
	shuffle(order, MAP_MANY, 0x2545f491u);
	for (unsigned k = 0; k < MAP_MANY / 2; k++) {
		imsi_of(order[k], imsi);
		assert_int_equal(ippool_map_del(*state, imsi), 0);
		gone[order[k]] = true;
	}
	assert_int_equal(ippool_map_count(*state), MAP_MANY / 2);
	for (unsigned i = 0; i < MAP_MANY; i++) {
		imsi_of(i, imsi);
		a = SENTINEL;
		if (gone[i]) {
			assert_int_equal(ippool_map_get(*state, imsi, &a), -ENOENT);
			assert_int_equal(a, SENTINEL);
		} else {
			assert_int_equal(ippool_map_get(*state, imsi, &a), 0);
			assert_int_equal(a, htonl(0x0a0a0100 + i));
		}
	}
}

static void
test_ippool_map_del_all_shuffled_then_reinsert_resolve(void **state)
{
	static unsigned order[MAP_MANY];
	char imsi[16];
	uint32_t a;

	for (unsigned i = 0; i < MAP_MANY; i++) {
		imsi_of(i, imsi);
		assert_int_equal(ippool_map_set(*state, imsi, htonl(0x0a0a0100 + i)), 0);
		order[i] = i;
	}
	shuffle(order, MAP_MANY, 0x9e3779b9u);
	for (unsigned k = 0; k < MAP_MANY; k++) {
		imsi_of(order[k], imsi);
		assert_int_equal(ippool_map_del(*state, imsi), 0);
	}
	assert_int_equal(ippool_map_count(*state), 0);
	/* Every hold was released: the same addresses go to other IMSIs. */
	for (unsigned i = 0; i < MAP_MANY; i++) {
		imsi_of(i + MAP_MANY, imsi);
		assert_int_equal(ippool_map_set(*state, imsi, htonl(0x0a0a0100 + i)), 0);
	}
	for (unsigned i = 0; i < MAP_MANY; i++) {
		imsi_of(i + MAP_MANY, imsi);
		assert_int_equal(ippool_map_get(*state, imsi, &a), 0);
		assert_int_equal(a, htonl(0x0a0a0100 + i));
	}
	assert_int_equal(ippool_map_count(*state), MAP_MANY);
}

static void
test_ippool_assign_slash8_thousands_unique(void **state)
{
	static uint32_t got[SLASH8_ASSIGNS];
	char imsi[16];

	for (unsigned i = 0; i < SLASH8_ASSIGNS; i++) {
		uint32_t a = SENTINEL;

		imsi_of(i, imsi);
		assert_int_equal(ippool_assign(*state, imsi, &a), 0);
		got[i] = ntohl(a);
		assert_true(got[i] > 0x0a000001 && got[i] < 0x0affffff);
	}
	assert_int_equal(ippool_assigned_count(*state), SLASH8_ASSIGNS);
	qsort(got, SLASH8_ASSIGNS, sizeof(got[0]), cmp_u32);
	for (unsigned i = 1; i < SLASH8_ASSIGNS; i++)
		assert_true(got[i - 1] < got[i]);
}

static void
test_ippool_assign_slash8_top_end_reachable(void **state)
{
	uint32_t a = SENTINEL;

	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 255, 255, 254)), 0);
	assert_int_equal(ippool_assign(*state, "999010000000001", &a), 0);
	assert_int_equal(a, IP4(10, 255, 255, 254));
}

#define T(fn, s) cmocka_unit_test_setup_teardown(fn, s, teardown)

static void
test_ippool_claim_free_address_assigned(void **state)
{
	assert_int_equal(ippool_claim(*state, "999010000000001", IP4(10, 0, 0, 9)), 0);
	assert_true(ippool_is_assigned(*state, IP4(10, 0, 0, 9)));
	assert_int_equal(ippool_assigned_count(*state), 1);
}

static void
test_ippool_claim_without_imsi_assigned(void **state)
{
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 9)), 0);
	assert_true(ippool_is_assigned(*state, IP4(10, 0, 0, 9)));
}

static void
test_ippool_claim_outside_or_reserved_einval(void **state)
{
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 1, 9)), -EINVAL);
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 0)), -EINVAL);
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 1)), -EINVAL);
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 15)), -EINVAL);
	assert_int_equal(ippool_assigned_count(*state), 0);
}

static void
test_ippool_claim_in_use_ebusy(void **state)
{
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 9)), 0);
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 9)), -EBUSY);
	assert_int_equal(ippool_assigned_count(*state), 1);
}

static void
test_ippool_claim_held_for_peer_eexist(void **state)
{
	assert_int_equal(ippool_hold(*state, IP4(10, 0, 0, 9)), 0);
	assert_int_equal(ippool_claim(*state, "999010000000001", IP4(10, 0, 0, 9)), -EEXIST);
	assert_false(ippool_is_assigned(*state, IP4(10, 0, 0, 9)));
}

static void
test_ippool_claim_mapped_address_only_its_imsi(void **state)
{
	assert_int_equal(ippool_map_set(*state, "999010000000001", IP4(10, 0, 0, 9)), 0);
	assert_int_equal(ippool_claim(*state, "999010000000002", IP4(10, 0, 0, 9)), -EEXIST);
	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 9)), -EEXIST);
	assert_int_equal(ippool_claim(*state, "999010000000001", IP4(10, 0, 0, 9)), 0);
	assert_true(ippool_is_assigned(*state, IP4(10, 0, 0, 9)));
}

static void
test_ippool_claim_then_release_dynamic_again(void **state)
{
	uint32_t got = 0;

	assert_int_equal(ippool_claim(*state, "", IP4(10, 0, 0, 2)), 0);
	assert_int_equal(ippool_assign(*state, "999010000000001", &got), -ENOSPC);
	ippool_release(*state, IP4(10, 0, 0, 2));
	assert_int_equal(ippool_assign(*state, "999010000000001", &got), 0);
	assert_int_equal(got, IP4(10, 0, 0, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ippool_new_prefix_7_null),
		cmocka_unit_test(test_ippool_new_prefix_31_null),
		T(test_ippool_capacity_slash28_13, setup_28),
		T(test_ippool_capacity_slash29_5, setup_29),
		T(test_ippool_capacity_slash30_1, setup_30),
		T(test_ippool_capacity_slash16_65533, setup_16),
		T(test_ippool_capacity_slash8_16777213, setup_8),
		cmocka_unit_test(test_ippool_capacity_gateway_outside_two_less),
		T(test_ippool_assign_slash28_exhaust_skips_reserved, setup_28),
		T(test_ippool_assign_slash29_exhaust_skips_reserved, setup_29),
		T(test_ippool_assign_slash28_every_address_marked, setup_28),
		T(test_ippool_assign_exhausted_enospc, setup_28),
		T(test_ippool_release_returns_address, setup_28),
		T(test_ippool_release_unassigned_unchanged, setup_28),
		T(test_ippool_release_twice_counts_once, setup_28),
		T(test_ippool_release_outside_subnet_unchanged, setup_28),
		T(test_ippool_assign_mapped_imsi_gets_mapped, setup_16),
		T(test_ippool_assign_mapped_address_never_dynamic, setup_28),
		T(test_ippool_assign_mapped_in_use_ebusy, setup_16),
		T(test_ippool_assign_unmapped_imsi_dynamic, setup_16),
		T(test_ippool_map_set_held_by_other_eexist, setup_16),
		T(test_ippool_map_set_assigned_address_ebusy, setup_16),
		T(test_ippool_map_set_network_einval, setup_16),
		T(test_ippool_map_set_broadcast_einval, setup_16),
		T(test_ippool_map_set_gateway_einval, setup_16),
		T(test_ippool_map_set_outside_subnet_einval, setup_16),
		T(test_ippool_map_set_imsi_too_long_einval, setup_16),
		T(test_ippool_map_set_empty_imsi_einval, setup_28),
		T(test_ippool_map_set_same_again_unchanged, setup_16),
		T(test_ippool_map_set_same_while_assigned_unchanged, setup_16),
		T(test_ippool_map_set_replace_releases_old_hold, setup_28),
		T(test_ippool_map_set_replace_old_dynamic_again, setup_28),
		T(test_ippool_map_set_replace_to_taken_eexist_keeps_old, setup_16),
		T(test_ippool_map_del_frees_for_dynamic, setup_30),
		T(test_ippool_map_del_absent_enoent, setup_16),
		T(test_ippool_map_get_absent_enoent, setup_16),
		T(test_ippool_map_growth_all_resolve, setup_16),
		T(test_ippool_map_del_half_shuffled_rest_resolve, setup_16),
		T(test_ippool_map_del_all_shuffled_then_reinsert_resolve, setup_16),
		T(test_ippool_assign_slash8_thousands_unique, setup_8),
		T(test_ippool_assign_slash8_top_end_reachable, setup_8),
		T(test_ippool_claim_free_address_assigned, setup_28),
		T(test_ippool_claim_without_imsi_assigned, setup_28),
		T(test_ippool_claim_outside_or_reserved_einval, setup_28),
		T(test_ippool_claim_in_use_ebusy, setup_28),
		T(test_ippool_claim_held_for_peer_eexist, setup_28),
		T(test_ippool_claim_mapped_address_only_its_imsi, setup_28),
		T(test_ippool_claim_then_release_dynamic_again, setup_30),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
