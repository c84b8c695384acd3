#include "core/hmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/pow2.h"

struct slot {
	uint64_t key;
	uint32_t value;
	bool used;
};

struct hmap {
	uint32_t mask;
	uint32_t count, max;
	uint64_t seed;
	struct slot *slots;
};

static uint32_t
home(const struct hmap *m, uint64_t key)
{
	return (uint32_t)hmap_mix64(key ^ m->seed) & m->mask;
}

struct hmap *
hmap_new(uint32_t max_entries)
{
	struct hmap *m = calloc(1, sizeof(*m));
	uint32_t cap;

	if (m == NULL)
		return NULL;
	cap = (uint32_t)pow2_at_least((uint64_t)max_entries + max_entries / 3 + 1, 16);
	m->mask = cap - 1;
	m->max = max_entries;
	if (getrandom(&m->seed, sizeof(m->seed), GRND_NONBLOCK) < 0)
		m->seed = 0x9e3779b97f4a7c15ull;
	m->slots = calloc(cap, sizeof(*m->slots));
	if (m->slots == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
hmap_free(struct hmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m);
}

static struct slot *
find(const struct hmap *m, uint64_t key)
{
	for (uint32_t i = home(m, key);; i = (i + 1) & m->mask) {
		struct slot *s = &m->slots[i];

		if (!s->used || s->key == key)
			return s;
	}
}

int
hmap_put(struct hmap *m, uint64_t key, uint32_t value)
{
	struct slot *s = find(m, key);

	if (!s->used) {
		if (m->count == m->max)
			return -ENOSPC;
		s->used = true;
		s->key = key;
		m->count++;
	}
	s->value = value;
	return 0;
}

bool
hmap_get(const struct hmap *m, uint64_t key, uint32_t *value)
{
	const struct slot *s = find(m, key);

	if (!s->used)
		return false;
	*value = s->value;
	return true;
}

int
hmap_del(struct hmap *m, uint64_t key)
{
	struct slot *s = find(m, key);
	uint32_t hole, i;

	if (!s->used)
		return -ENOENT;
	hole = (uint32_t)(s - m->slots);
	/* Shift back every entry whose probe run crosses the hole, so lookups never stop early. */
	for (i = (hole + 1) & m->mask; m->slots[i].used; i = (i + 1) & m->mask) {
		uint32_t h = home(m, m->slots[i].key);

		if (((i - h) & m->mask) >= ((i - hole) & m->mask)) {
			m->slots[hole] = m->slots[i];
			hole = i;
		}
	}
	m->slots[hole].used = false;
	m->count--;
	return 0;
}

uint32_t
hmap_count(const struct hmap *m)
{
	return m->count;
}

void
hmap_clear(struct hmap *m)
{
	memset(m->slots, 0, ((size_t)m->mask + 1) * sizeof(*m->slots));
	m->count = 0;
}
