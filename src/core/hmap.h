/*
 * A fixed-size hash map from a 64-bit key to a 32-bit value, for the tables
 * the packet path looks up: gate peers by outer address, neighbours by
 * address, MAC addresses by value. Open addressing with linear probing and
 * backward-shift deletion: no allocation after creation, no tombstones, O(1)
 * expected while the load stays under the 3/4 the insert enforces.
 */
#ifndef VPG_CORE_HMAP_H
#define VPG_CORE_HMAP_H

#include <stdbool.h>
#include <stdint.h>

struct hmap;

/*
 * splitmix64's finaliser: every input bit reaches every output bit. For the
 * tables that hash a wider key down to the 64 bits the map takes.
 */
static inline uint64_t
hmap_mix64(uint64_t h)
{
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

/* Holds up to max_entries; NULL without memory. */
struct hmap *hmap_new(uint32_t max_entries);
void hmap_free(struct hmap *m);

/* Inserts or replaces; -ENOSPC when full. */
int hmap_put(struct hmap *m, uint64_t key, uint32_t value);
bool hmap_get(const struct hmap *m, uint64_t key, uint32_t *value);
/* -ENOENT when absent. */
int hmap_del(struct hmap *m, uint64_t key);
uint32_t hmap_count(const struct hmap *m);
void hmap_clear(struct hmap *m);

#endif
