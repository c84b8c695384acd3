/*
 * A set of 64-bit identifiers that can be walked in O(members): the few
 * sessions a timer must visit among many (the UPF's sessions with usage
 * reporting), so that a once-a-second pass costs what it visits, not the
 * size of the session table. Fixed capacity, no allocation after creation.
 */
#ifndef VPG_CORE_IDSET_H
#define VPG_CORE_IDSET_H

#include <stdint.h>

struct idset;

/* Holds up to capacity members; NULL without memory. */
struct idset *idset_new(uint32_t capacity);
void idset_free(struct idset *s);

/* Adding a member twice keeps one; -ENOSPC when full. */
int idset_add(struct idset *s, uint64_t id);
void idset_del(struct idset *s, uint64_t id);
uint32_t idset_count(const struct idset *s);
/*
 * The i-th member, i < idset_count. Deleting member i moves the last one into
 * its place, so a walk from the last index down may delete what it visits.
 */
uint64_t idset_at(const struct idset *s, uint32_t i);

#endif
