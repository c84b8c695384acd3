/*
 * The power of two a table's size is rounded up to, so that an index is a
 * mask away: the session table's buckets and TEID slots, the hash maps, the
 * XDP session index, the replay ring.
 */
#ifndef VPG_CORE_POW2_H
#define VPG_CORE_POW2_H

#include <stdint.h>

/* The least power of two that is at least n and at least floor (itself a power of two). */
static inline uint64_t
pow2_at_least(uint64_t n, uint64_t floor)
{
	uint64_t p = floor;

	while (p < n)
		p <<= 1;
	return p;
}

#endif
