/*
 * Unit tests for the fixed-size hash map of the packet path (src/core/hmap.c):
 * put, get, replace, delete with backward shift under heavy collision, and
 * the capacity bound.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/hmap.h"

static void
test_hmap_put_then_get_returns_value(void **state)
{
	struct hmap *m = hmap_new(8);
	uint32_t v = 0;

	(void)state;
	assert_int_equal(hmap_put(m, 42, 7), 0);
	assert_true(hmap_get(m, 42, &v));
	assert_int_equal(v, 7);
	assert_false(hmap_get(m, 43, &v));
	assert_int_equal(hmap_count(m), 1);
	hmap_free(m);
}

static void
test_hmap_put_existing_key_replaces_without_growing(void **state)
{
	struct hmap *m = hmap_new(8);
	uint32_t v = 0;

	(void)state;
	hmap_put(m, 42, 7);
	assert_int_equal(hmap_put(m, 42, 9), 0);
	assert_true(hmap_get(m, 42, &v));
	assert_int_equal(v, 9);
	assert_int_equal(hmap_count(m), 1);
	hmap_free(m);
}

static void
test_hmap_put_beyond_max_enospc(void **state)
{
	struct hmap *m = hmap_new(4);

	(void)state;
	for (uint64_t k = 0; k < 4; k++)
		assert_int_equal(hmap_put(m, k, (uint32_t)k), 0);
	assert_int_equal(hmap_put(m, 99, 1), -ENOSPC);
	/* Replacing a present key is still allowed when full. */
	assert_int_equal(hmap_put(m, 2, 5), 0);
	hmap_free(m);
}

static void
test_hmap_del_absent_enoent(void **state)
{
	struct hmap *m = hmap_new(4);

	(void)state;
	assert_int_equal(hmap_del(m, 5), -ENOENT);
	hmap_free(m);
}

/* Fill to the limit, delete a pseudo-random half, and every survivor must still be found. */
static void
test_hmap_del_half_in_random_order_rest_found(void **state)
{
	enum { N = 3000 };
	struct hmap *m = hmap_new(N);
	static uint64_t keys[N];
	static int gone[N];
	uint32_t v;

	(void)state;
	srand(7);
	for (int i = 0; i < N; i++) {
		keys[i] = ((uint64_t)rand() << 32) ^ (uint64_t)rand() ^ (uint64_t)i << 48;
		assert_int_equal(hmap_put(m, keys[i], (uint32_t)i), 0);
	}
	for (int n = 0; n < N / 2; n++) {
		int i = rand() % N;

		if (gone[i])
			continue;
		assert_int_equal(hmap_del(m, keys[i]), 0);
		gone[i] = 1;
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(hmap_get(m, keys[i], &v), !gone[i]);
		if (!gone[i])
			assert_int_equal(v, (uint32_t)i);
	}
	hmap_free(m);
}

static void
test_hmap_clear_empties(void **state)
{
	struct hmap *m = hmap_new(16);
	uint32_t v;

	(void)state;
	for (uint64_t k = 1; k <= 10; k++)
		hmap_put(m, k, 1);
	hmap_clear(m);
	assert_int_equal(hmap_count(m), 0);
	assert_false(hmap_get(m, 3, &v));
	assert_int_equal(hmap_put(m, 3, 4), 0);
	hmap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmap_put_then_get_returns_value),
		cmocka_unit_test(test_hmap_put_existing_key_replaces_without_growing),
		cmocka_unit_test(test_hmap_put_beyond_max_enospc),
		cmocka_unit_test(test_hmap_del_absent_enoent),
		cmocka_unit_test(test_hmap_del_half_in_random_order_rest_found),
		cmocka_unit_test(test_hmap_clear_empties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
