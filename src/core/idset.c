#include "core/idset.h"

#include <errno.h>
#include <stdlib.h>

#include "core/hmap.h"

struct idset {
	struct hmap *index; /* id -> its place in ids */
	uint64_t *ids;	    /* the members, dense */
	uint32_t n, capacity;
};

struct idset *
idset_new(uint32_t capacity)
{
	struct idset *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->capacity = capacity;
	s->index = hmap_new(capacity);
	s->ids = calloc(capacity > 0 ? capacity : 1, sizeof(*s->ids));
	if (s->index == NULL || s->ids == NULL) {
		idset_free(s);
		return NULL;
	}
	return s;
}

void
idset_free(struct idset *s)
{
	if (s == NULL)
		return;
	hmap_free(s->index);
	free(s->ids);
	free(s);
}

int
idset_add(struct idset *s, uint64_t id)
{
	uint32_t at;

	if (hmap_get(s->index, id, &at))
		return 0;
	if (s->n == s->capacity || hmap_put(s->index, id, s->n) < 0)
		return -ENOSPC;
	s->ids[s->n++] = id;
	return 0;
}

void
idset_del(struct idset *s, uint64_t id)
{
	uint32_t at;

	if (!hmap_get(s->index, id, &at))
		return;
	hmap_del(s->index, id);
	s->n--;
	if (at == s->n)
		return;
	/* The last member fills the hole; the index already had room for it, so the put cannot
	 * fail. */
	s->ids[at] = s->ids[s->n];
	(void)hmap_put(s->index, s->ids[at], at);
}

uint32_t
idset_count(const struct idset *s)
{
	return s->n;
}

uint64_t
idset_at(const struct idset *s, uint32_t i)
{
	return s->ids[i];
}
