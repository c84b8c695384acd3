/*
 * Unit tests for the routing filter matcher (src/fwd/filter.c): first match
 * wins, overlapping ranges in either order, the /0 and /32 extremes, the
 * default allow, per-rule hit counters, and the checks filter_set makes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "fwd/filter.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

static struct filter f;

static int
reset(void **state)
{
	(void)state;
	memset(&f, 0xa5, sizeof(f));
	f.n = 0;
	memset(f.hits, 0, sizeof(f.hits));
	return 0;
}

static void
test_filter_match_first_of_two_matching_wins(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(10, 0, 0, 0), 8 },
		{ FILTER_ALLOW, IP4(10, 0, 0, 0), 8 } };
	enum filter_action a = FILTER_ALLOW;

	(void)state;
	assert_int_equal(filter_set(&f, r, 2), 0);
	assert_int_equal(filter_match(&f, IP4(10, 1, 2, 3), &a), 0);
	assert_int_equal(a, FILTER_DENY);
	assert_int_equal(f.hits[0], 1);
	assert_int_equal(f.hits[1], 0);
}

/* allow 10.0.0.0/16 then deny 10.0.0.0/8: the narrow range is an exception. */
static void
test_filter_match_narrow_before_wide_exception(void **state)
{
	const struct filter_rule r[] = { { FILTER_ALLOW, IP4(10, 0, 0, 0), 16 },
		{ FILTER_DENY, IP4(10, 0, 0, 0), 8 } };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, r, 2), 0);
	assert_int_equal(filter_match(&f, IP4(10, 0, 200, 1), &a), 0);
	assert_int_equal(a, FILTER_ALLOW);
	assert_int_equal(filter_match(&f, IP4(10, 1, 0, 1), &a), 1);
	assert_int_equal(a, FILTER_DENY);
}

/* deny 10.0.0.0/8 then allow 10.0.0.0/16: the wide rule shadows the narrow one. */
static void
test_filter_match_wide_before_narrow_shadows(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(10, 0, 0, 0), 8 },
		{ FILTER_ALLOW, IP4(10, 0, 0, 0), 16 } };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, r, 2), 0);
	assert_int_equal(filter_match(&f, IP4(10, 0, 200, 1), &a), 0);
	assert_int_equal(a, FILTER_DENY);
	assert_int_equal(filter_match(&f, IP4(10, 1, 0, 1), &a), 0);
	assert_int_equal(a, FILTER_DENY);
	assert_int_equal(f.hits[0], 2);
	assert_int_equal(f.hits[1], 0);
}

static void
test_filter_match_slash_0_matches_every_address(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, 0, 0 } };
	const uint32_t dst[] = { IP4(0, 0, 0, 0), IP4(8, 8, 8, 8), IP4(255, 255, 255, 255) };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, r, 1), 0);
	for (size_t i = 0; i < sizeof(dst) / sizeof(dst[0]); i++) {
		a = FILTER_ALLOW;
		assert_int_equal(filter_match(&f, dst[i], &a), 0);
		assert_int_equal(a, FILTER_DENY);
	}
	assert_int_equal(f.hits[0], 3);
}

static void
test_filter_match_slash_32_matches_one_address(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(192, 0, 2, 7), 32 } };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, r, 1), 0);
	assert_int_equal(filter_match(&f, IP4(192, 0, 2, 7), &a), 0);
	assert_int_equal(a, FILTER_DENY);
	assert_int_equal(filter_match(&f, IP4(192, 0, 2, 6), &a), -1);
	assert_int_equal(a, FILTER_ALLOW);
	assert_int_equal(filter_match(&f, IP4(192, 0, 2, 8), &a), -1);
	assert_int_equal(a, FILTER_ALLOW);
	assert_int_equal(f.hits[0], 1);
}

/* The range's last address matches; the next one, across an octet, does not. */
static void
test_filter_match_range_edges(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(172, 16, 0, 0), 12 } };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, r, 1), 0);
	assert_int_equal(filter_match(&f, IP4(172, 31, 255, 255), &a), 0);
	assert_int_equal(a, FILTER_DENY);
	assert_int_equal(filter_match(&f, IP4(172, 32, 0, 0), &a), -1);
	assert_int_equal(a, FILTER_ALLOW);
	assert_int_equal(filter_match(&f, IP4(172, 15, 255, 255), &a), -1);
	assert_int_equal(a, FILTER_ALLOW);
}

static void
test_filter_match_no_match_allows_uncounted(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(10, 0, 0, 0), 8 },
		{ FILTER_ALLOW, IP4(192, 168, 0, 0), 16 } };
	enum filter_action a = FILTER_DENY;

	(void)state;
	assert_int_equal(filter_set(&f, r, 2), 0);
	assert_int_equal(filter_match(&f, IP4(11, 0, 0, 1), &a), -1);
	assert_int_equal(a, FILTER_ALLOW);
	assert_int_equal(f.hits[0], 0);
	assert_int_equal(f.hits[1], 0);
}

static void
test_filter_match_empty_filter_allows(void **state)
{
	enum filter_action a = FILTER_DENY;

	(void)state;
	assert_int_equal(filter_set(&f, NULL, 0), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(filter_match(&f, IP4(10, 0, 0, 1), &a), -1);
	assert_int_equal(a, FILTER_ALLOW);
}

static void
test_filter_match_hits_counted_per_rule(void **state)
{
	const struct filter_rule r[] = { { FILTER_ALLOW, IP4(10, 0, 0, 0), 16 },
		{ FILTER_DENY, IP4(10, 0, 0, 0), 8 }, { FILTER_DENY, 0, 0 } };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, r, 3), 0);
	for (int i = 0; i < 3; i++)
		filter_match(&f, IP4(10, 0, 1, 1), &a);
	for (int i = 0; i < 2; i++)
		filter_match(&f, IP4(10, 9, 1, 1), &a);
	assert_int_equal(filter_match(&f, IP4(8, 8, 8, 8), &a), 2);
	assert_int_equal(f.hits[0], 3);
	assert_int_equal(f.hits[1], 2);
	assert_int_equal(f.hits[2], 1);
}

static void
test_filter_set_resets_hits(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, 0, 0 } };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, r, 1), 0);
	filter_match(&f, IP4(10, 0, 0, 1), &a);
	assert_int_equal(f.hits[0], 1);
	assert_int_equal(filter_set(&f, r, 1), 0);
	assert_int_equal(f.hits[0], 0);
}

static void
fill(struct filter_rule *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		r[i].action = i % 2 == 0 ? FILTER_ALLOW : FILTER_DENY;
		r[i].net_be = IP4(10, i, 0, 0);
		r[i].prefix = 16;
	}
}

static void
test_filter_set_64_rules_accepted(void **state)
{
	struct filter_rule r[FILTER_MAX_RULES];
	enum filter_action a;

	(void)state;
	fill(r, FILTER_MAX_RULES);
	assert_int_equal(filter_set(&f, r, FILTER_MAX_RULES), 0);
	assert_int_equal(f.n, 64);
	assert_int_equal(filter_match(&f, IP4(10, 63, 0, 1), &a), 63);
	assert_int_equal(a, FILTER_DENY);
	assert_int_equal(f.hits[63], 1);
}

static void
test_filter_set_65_rules_einval_unchanged(void **state)
{
	struct filter_rule r[FILTER_MAX_RULES + 1];
	const struct filter_rule one[] = { { FILTER_DENY, 0, 0 } };

	(void)state;
	assert_int_equal(filter_set(&f, one, 1), 0);
	fill(r, FILTER_MAX_RULES + 1);
	assert_int_equal(filter_set(&f, r, FILTER_MAX_RULES + 1), -EINVAL);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.rules[0].action, FILTER_DENY);
}

static void
test_filter_set_host_bits_einval_unchanged(void **state)
{
	const struct filter_rule good[] = { { FILTER_DENY, IP4(10, 0, 0, 0), 8 } };
	const struct filter_rule bad[] = { { FILTER_ALLOW, IP4(192, 168, 0, 0), 16 },
		{ FILTER_DENY, IP4(10, 0, 0, 1), 16 } };
	enum filter_action a;

	(void)state;
	assert_int_equal(filter_set(&f, good, 1), 0);
	filter_match(&f, IP4(10, 0, 0, 9), &a);
	assert_int_equal(filter_set(&f, bad, 2), -EINVAL);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.rules[0].net_be, IP4(10, 0, 0, 0));
	assert_int_equal(f.hits[0], 1);
}

static void
test_filter_set_slash_0_with_address_einval(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(0, 0, 0, 1), 0 } };

	(void)state;
	assert_int_equal(filter_set(&f, r, 1), -EINVAL);
	assert_int_equal(f.n, 0);
}

static void
test_filter_set_prefix_33_einval(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(10, 0, 0, 1), 33 } };

	(void)state;
	assert_int_equal(filter_set(&f, r, 1), -EINVAL);
	assert_int_equal(f.n, 0);
}

static void
test_filter_set_unknown_action_einval(void **state)
{
	const struct filter_rule r[] = { { (enum filter_action)2, IP4(10, 0, 0, 0), 8 } };

	(void)state;
	assert_int_equal(filter_set(&f, r, 1), -EINVAL);
	assert_int_equal(f.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_filter_match_first_of_two_matching_wins, reset),
		cmocka_unit_test_setup(test_filter_match_narrow_before_wide_exception, reset),
		cmocka_unit_test_setup(test_filter_match_wide_before_narrow_shadows, reset),
		cmocka_unit_test_setup(test_filter_match_slash_0_matches_every_address, reset),
		cmocka_unit_test_setup(test_filter_match_slash_32_matches_one_address, reset),
		cmocka_unit_test_setup(test_filter_match_range_edges, reset),
		cmocka_unit_test_setup(test_filter_match_no_match_allows_uncounted, reset),
		cmocka_unit_test_setup(test_filter_match_empty_filter_allows, reset),
		cmocka_unit_test_setup(test_filter_match_hits_counted_per_rule, reset),
		cmocka_unit_test_setup(test_filter_set_resets_hits, reset),
		cmocka_unit_test_setup(test_filter_set_64_rules_accepted, reset),
		cmocka_unit_test_setup(test_filter_set_65_rules_einval_unchanged, reset),
		cmocka_unit_test_setup(test_filter_set_host_bits_einval_unchanged, reset),
		cmocka_unit_test_setup(test_filter_set_slash_0_with_address_einval, reset),
		cmocka_unit_test_setup(test_filter_set_prefix_33_einval, reset),
		cmocka_unit_test_setup(test_filter_set_unknown_action_einval, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
