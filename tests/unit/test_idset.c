/*
 * Unit tests for the walkable set of identifiers (src/core/idset.c): add is
 * idempotent, the capacity bound, delete keeps the rest reachable, and a walk
 * from the last index down may delete what it visits and still sees every
 * member once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/idset.h"

static bool
has(const struct idset *s, uint64_t id)
{
	for (uint32_t i = 0; i < idset_count(s); i++)
		if (idset_at(s, i) == id)
			return true;
	return false;
}

static void
test_idset_add_twice_keeps_one(void **state)
{
	struct idset *s = idset_new(4);

	(void)state;
	assert_int_equal(idset_add(s, 7), 0);
	assert_int_equal(idset_add(s, 7), 0);
	assert_int_equal(idset_count(s), 1);
	assert_true(has(s, 7));
	idset_free(s);
}

static void
test_idset_full_refuses_new_members_only(void **state)
{
	struct idset *s = idset_new(2);

	(void)state;
	assert_int_equal(idset_add(s, 1), 0);
	assert_int_equal(idset_add(s, 2), 0);
	assert_int_equal(idset_add(s, 3), -ENOSPC);
	assert_int_equal(idset_add(s, 2), 0);
	assert_int_equal(idset_count(s), 2);
	idset_del(s, 1);
	assert_int_equal(idset_add(s, 3), 0);
	assert_true(has(s, 2) && has(s, 3) && !has(s, 1));
	idset_free(s);
}

static void
test_idset_delete_moves_last_and_keeps_index(void **state)
{
	struct idset *s = idset_new(8);

	(void)state;
	for (uint64_t id = 10; id < 15; id++)
		assert_int_equal(idset_add(s, id), 0);
	idset_del(s, 11);
	idset_del(s, 99); /* absent: nothing changes */
	assert_int_equal(idset_count(s), 4);
	/* 14 moved into 11's place and can still be deleted by id. */
	idset_del(s, 14);
	assert_int_equal(idset_count(s), 3);
	assert_true(has(s, 10) && has(s, 12) && has(s, 13));
	assert_false(has(s, 11) || has(s, 14));
	idset_free(s);
}

static void
test_idset_walk_down_may_delete_what_it_visits(void **state)
{
	enum { N = 1000 };
	struct idset *s = idset_new(N);
	unsigned seen[N] = { 0 };

	(void)state;
	for (uint64_t id = 0; id < N; id++)
		assert_int_equal(idset_add(s, id), 0);
	for (uint32_t i = idset_count(s); i-- > 0;) {
		uint64_t id = idset_at(s, i);

		seen[id]++;
		if (id % 3 == 0)
			idset_del(s, id);
	}
	for (unsigned id = 0; id < N; id++)
		assert_int_equal(seen[id], 1);
	assert_int_equal(idset_count(s), N - (N + 2) / 3);
	for (uint32_t i = 0; i < idset_count(s); i++)
		assert_int_not_equal(idset_at(s, i) % 3, 0);
	idset_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idset_add_twice_keeps_one),
		cmocka_unit_test(test_idset_full_refuses_new_members_only),
		cmocka_unit_test(test_idset_delete_moves_last_and_keeps_index),
		cmocka_unit_test(test_idset_walk_down_may_delete_what_it_visits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
