/* qsort's comparison for arrays of uint32_t: tests sort what they collected to find repeats. */
#ifndef VPG_TESTS_SORTED_H
#define VPG_TESTS_SORTED_H

#include <stdint.h>

static inline int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

#endif
