/*
 * Unit tests for the list of allowed control peers (src/core/cidr_list.c)
 * and the filter every control role puts first (src/core/peer_filter.c):
 * membership at the edges of a range, /0 and /32, refusals of what is no
 * range, and a refused datagram counted once under the role's reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>

#include "core/cidr_list.h"
#include "core/counters.h"
#include "core/peer_filter.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

static void
test_cidr_list_contains_both_ends_of_a_range_and_nothing_beyond(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(198, 51, 100, 0), 24), 0);
	assert_true(cidr_list_contains(&l, IP4(198, 51, 100, 0)));
	assert_true(cidr_list_contains(&l, IP4(198, 51, 100, 255)));
	assert_false(cidr_list_contains(&l, IP4(198, 51, 99, 255)));
	assert_false(cidr_list_contains(&l, IP4(198, 51, 101, 0)));
}

static void
test_cidr_list_slash_32_holds_one_host(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(203, 0, 113, 7), 32), 0);
	assert_true(cidr_list_contains(&l, IP4(203, 0, 113, 7)));
	assert_false(cidr_list_contains(&l, IP4(203, 0, 113, 6)));
	assert_false(cidr_list_contains(&l, IP4(203, 0, 113, 8)));
}

static void
test_cidr_list_slash_0_holds_every_address(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	assert_int_equal(cidr_list_add(&l, 0, 0), 0);
	assert_true(cidr_list_contains(&l, 0));
	assert_true(cidr_list_contains(&l, IP4(255, 255, 255, 255)));
	assert_true(cidr_list_contains(&l, IP4(192, 0, 2, 1)));
}

static void
test_cidr_list_empty_holds_nothing(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	assert_false(cidr_list_contains(&l, 0));
	assert_false(cidr_list_contains(&l, IP4(192, 0, 2, 1)));
}

static void
test_cidr_list_any_of_several_ranges_matches(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(198, 51, 100, 0), 24), 0);
	assert_int_equal(cidr_list_add(&l, IP4(203, 0, 113, 7), 32), 0);
	assert_int_equal(cidr_list_add(&l, IP4(10, 0, 0, 0), 8), 0);
	assert_true(cidr_list_contains(&l, IP4(203, 0, 113, 7)));
	assert_true(cidr_list_contains(&l, IP4(10, 200, 1, 1)));
	assert_false(cidr_list_contains(&l, IP4(203, 0, 113, 70)));
}

static void
test_cidr_list_add_refuses_host_bits_and_long_prefix(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(192, 0, 2, 7), 24), -EINVAL);
	assert_int_equal(cidr_list_add(&l, IP4(0, 0, 0, 1), 0), -EINVAL);
	assert_int_equal(cidr_list_add(&l, IP4(192, 0, 2, 0), 33), -EINVAL);
	assert_int_equal(l.n, 0);
}

static void
test_cidr_list_add_refuses_the_same_range_twice(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(192, 0, 2, 0), 24), 0);
	assert_int_equal(cidr_list_add(&l, IP4(192, 0, 2, 0), 24), -EEXIST);
	assert_int_equal(cidr_list_add(&l, IP4(192, 0, 2, 0), 25), 0);
	assert_int_equal(l.n, 2);
}

static void
test_cidr_list_add_beyond_max_enospc(void **state)
{
	struct cidr_list l = { 0 };

	(void)state;
	for (unsigned i = 0; i < CIDR_LIST_MAX; i++)
		assert_int_equal(cidr_list_add(&l, IP4(10, i, 0, 0), 16), 0);
	assert_int_equal(cidr_list_add(&l, IP4(11, 0, 0, 0), 16), -ENOSPC);
	assert_int_equal(l.n, CIDR_LIST_MAX);
	assert_false(cidr_list_contains(&l, IP4(11, 0, 0, 1)));
}

static void
test_cidr_list_str_lists_ranges_in_order(void **state)
{
	struct cidr_list l = { 0 };
	char buf[64];

	(void)state;
	assert_string_equal(cidr_list_str(&l, buf, sizeof(buf)), "none");
	assert_int_equal(cidr_list_add(&l, IP4(198, 51, 100, 0), 24), 0);
	assert_int_equal(cidr_list_add(&l, IP4(203, 0, 113, 7), 32), 0);
	assert_int_equal(cidr_list_add(&l, 0, 0), 0);
	assert_string_equal(
	    cidr_list_str(&l, buf, sizeof(buf)), "198.51.100.0/24, 203.0.113.7/32, 0.0.0.0/0");
}

static void
test_cidr_list_str_cut_short_ends_in_dots(void **state)
{
	struct cidr_list l = { 0 };
	char buf[20];

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(198, 51, 100, 0), 24), 0);
	assert_int_equal(cidr_list_add(&l, IP4(203, 0, 113, 7), 32), 0);
	cidr_list_str(&l, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_string_equal(buf + strlen(buf) - 3, "...");
}

static void
test_peer_filter_without_list_admits_any_source(void **state)
{
	struct peer_filter f;
	uint64_t before = vpg_counters.drop[VPG_DROP_GTPC_PEER_NOT_ALLOWED];

	(void)state;
	peer_filter_init(&f, NULL, VPG_DROP_GTPC_PEER_NOT_ALLOWED, "GTPv1-C");
	assert_true(peer_filter_admit(&f, IP4(203, 0, 113, 9), 0));
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_PEER_NOT_ALLOWED], before);
}

static void
test_peer_filter_counts_each_refusal_under_its_reason(void **state)
{
	struct cidr_list l = { 0 };
	struct peer_filter f;
	uint64_t pfcp = vpg_counters.drop[VPG_DROP_PFCP_PEER_NOT_ALLOWED];
	uint64_t gtpc = vpg_counters.drop[VPG_DROP_GTPC_PEER_NOT_ALLOWED];

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(192, 0, 2, 0), 24), 0);
	peer_filter_init(&f, &l, VPG_DROP_PFCP_PEER_NOT_ALLOWED, "PFCP");
	assert_true(peer_filter_admit(&f, IP4(192, 0, 2, 11), 0));
	/* Three refusals within one second: all counted, one logged. */
	for (uint64_t t = 0; t < 3; t++)
		assert_false(peer_filter_admit(&f, IP4(192, 0, 3, 11), 100 + t));
	assert_int_equal(vpg_counters.drop[VPG_DROP_PFCP_PEER_NOT_ALLOWED], pfcp + 3);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_PEER_NOT_ALLOWED], gtpc);
	assert_int_equal(f.unlogged, 2);
	assert_int_equal(f.next_log_ms, 100 + PEER_FILTER_LOG_MS);
}

static void
test_peer_filter_logs_again_after_a_second(void **state)
{
	struct cidr_list l = { 0 };
	struct peer_filter f;

	(void)state;
	assert_int_equal(cidr_list_add(&l, IP4(192, 0, 2, 0), 24), 0);
	peer_filter_init(&f, &l, VPG_DROP_GTPV2C_PEER_NOT_ALLOWED, "GTPv2-C");
	assert_false(peer_filter_admit(&f, IP4(10, 0, 0, 1), 5000));
	assert_false(peer_filter_admit(&f, IP4(10, 0, 0, 1), 5999));
	assert_int_equal(f.unlogged, 1);
	assert_false(peer_filter_admit(&f, IP4(10, 0, 0, 1), 6000));
	assert_int_equal(f.unlogged, 0);
	assert_int_equal(f.next_log_ms, 7000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_list_contains_both_ends_of_a_range_and_nothing_beyond),
		cmocka_unit_test(test_cidr_list_slash_32_holds_one_host),
		cmocka_unit_test(test_cidr_list_slash_0_holds_every_address),
		cmocka_unit_test(test_cidr_list_empty_holds_nothing),
		cmocka_unit_test(test_cidr_list_any_of_several_ranges_matches),
		cmocka_unit_test(test_cidr_list_add_refuses_host_bits_and_long_prefix),
		cmocka_unit_test(test_cidr_list_add_refuses_the_same_range_twice),
		cmocka_unit_test(test_cidr_list_add_beyond_max_enospc),
		cmocka_unit_test(test_cidr_list_str_lists_ranges_in_order),
		cmocka_unit_test(test_cidr_list_str_cut_short_ends_in_dots),
		cmocka_unit_test(test_peer_filter_without_list_admits_any_source),
		cmocka_unit_test(test_peer_filter_counts_each_refusal_under_its_reason),
		cmocka_unit_test(test_peer_filter_logs_again_after_a_second),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
