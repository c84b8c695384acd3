/*
 * Unit tests for the lookup tables' memory (src/core/bigmem.c): zeroed and
 * aligned whatever the size, writable to the last octet, and a large table
 * mapped where the kernel may back it with transparent huge pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/bigmem.h"

#define MIB ((size_t)1 << 20)

static bool
all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static void
check_table(size_t size, uintptr_t alignment)
{
	uint8_t *p = bigmem_zalloc(size);

	assert_non_null(p);
	assert_int_equal((uintptr_t)p % alignment, 0);
	assert_true(all_zero(p, size));
	memset(p, 0xa5, size);
	assert_int_equal(p[size - 1], 0xa5);
	bigmem_free(p, size);
}

static void
test_bigmem_small_table_is_zeroed_on_a_cache_line(void **state)
{
	(void)state;
	check_table(1, 64);
	check_table(1000, 64);
	check_table(MIB - 1, 64);
}

static void
test_bigmem_large_table_starts_on_a_huge_page(void **state)
{
	(void)state;
	check_table(MIB, 2 * MIB);
	check_table(3 * MIB + 5, 2 * MIB);
}

static void
test_bigmem_free_of_null_is_ignored(void **state)
{
	(void)state;
	bigmem_free(NULL, 0);
	bigmem_free(NULL, 8 * MIB);
}

/* "[never]" in the kernel's setting: no mapping may have huge pages, nothing to check. */
static bool
thp_never(void)
{
	char line[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f == NULL)
		return true;
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	return strstr(line, "[never]") != NULL || line[0] == '\0';
}

/* The THPeligible line of the mapping that holds addr, in /proc/self/smaps; -1 when none. */
static int
thp_eligible(const void *addr)
{
	char line[512];
	bool inside = false;
	int eligible = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' '))
			inside = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
		else if (inside && sscanf(line, "THPeligible: %d", &eligible) == 1)
			break;
	}
	fclose(f);
	return eligible;
}

static void
test_bigmem_large_table_may_have_huge_pages(void **state)
{
	size_t size = 4 * MIB;
	uint8_t *p;

	(void)state;
	if (thp_never())
		skip();
	p = bigmem_zalloc(size);
	assert_non_null(p);
	p[0] = 1;
	/* With the kernel's "madvise" setting, only the advice makes the mapping eligible. */
	assert_int_equal(thp_eligible(p), 1);
	bigmem_free(p, size);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bigmem_small_table_is_zeroed_on_a_cache_line),
		cmocka_unit_test(test_bigmem_large_table_starts_on_a_huge_page),
		cmocka_unit_test(test_bigmem_free_of_null_is_ignored),
		cmocka_unit_test(test_bigmem_large_table_may_have_huge_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
