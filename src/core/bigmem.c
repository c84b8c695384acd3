#include "core/bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The huge page of x86-64 and arm64 (4 KiB granule). */
#define BIGMEM_HUGE ((size_t)2 << 20)
/* A table under half of one stays on the heap: a huge page would be mostly waste. */
#define BIGMEM_MIN (BIGMEM_HUGE / 2)

static size_t
rounded(size_t size)
{
	return (size + BIGMEM_HUGE - 1) & ~(BIGMEM_HUGE - 1);
}

/* A mapping of len octets that starts on a huge page: more mapped, the ends given back. */
static void *
map_aligned(size_t len)
{
	uint8_t *raw = mmap(
	    NULL, len + BIGMEM_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *start;
	size_t head;

	if (raw == MAP_FAILED)
		return NULL;
	start = (uint8_t *)(((uintptr_t)raw + BIGMEM_HUGE - 1) & ~(uintptr_t)(BIGMEM_HUGE - 1));
	head = (size_t)(start - raw);
	if (head > 0)
		munmap(raw, head);
	munmap(start + len, BIGMEM_HUGE - head);
	return start;
}

void *
bigmem_zalloc(size_t size)
{
	void *p;

	if (size < BIGMEM_MIN) {
		size_t len = size > 0 ? (size + 63) & ~(size_t)63 : 64;

		p = aligned_alloc(64, len);
		if (p != NULL)
			memset(p, 0, len);
		return p;
	}
	size = rounded(size);
	p = map_aligned(size);
	/* Advice only: without transparent huge pages the table works on small ones. */
	if (p != NULL)
		(void)madvise(p, size, MADV_HUGEPAGE);
	return p;
}

void
bigmem_free(void *p, size_t size)
{
	if (p == NULL)
		return;
	if (size < BIGMEM_MIN)
		free(p);
	else
		munmap(p, rounded(size));
}
