/* The monotonic clock in nanoseconds, for the I/O layer's waits and graces. */
#ifndef VPG_IO_CLOCK_H
#define VPG_IO_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
