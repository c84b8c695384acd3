#include "fwd/gate_neigh.h"

#include <stdlib.h>

#include "core/counters.h"
#include "core/hmap.h"

#define NIL UINT32_MAX

struct gate_neigh_table {
	struct gate_neigh *e;
	uint32_t capacity;
	struct hmap *by_ip; /* address -> slot */
	uint32_t *free, n_free;
	uint32_t lru_head, lru_tail; /* head: least recently used */
	uint32_t tokens, new_per_sec, burst;
	uint64_t refilled_ms;
};

struct gate_neigh_table *
gate_neigh_new(uint32_t capacity, uint32_t new_per_sec, uint32_t burst)
{
	struct gate_neigh_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->capacity = capacity;
	t->e = calloc(capacity, sizeof(*t->e));
	t->free = calloc(capacity, sizeof(*t->free));
	t->by_ip = hmap_new(capacity);
	if (t->e == NULL || t->free == NULL || t->by_ip == NULL || new_per_sec == 0) {
		gate_neigh_free(t);
		return NULL;
	}
	for (uint32_t i = 0; i < capacity; i++)
		t->free[t->n_free++] = capacity - 1 - i;
	t->lru_head = t->lru_tail = NIL;
	t->new_per_sec = new_per_sec;
	t->burst = burst;
	t->tokens = burst;
	return t;
}

void
gate_neigh_free(struct gate_neigh_table *t)
{
	if (t == NULL)
		return;
	hmap_free(t->by_ip);
	free(t->free);
	free(t->e);
	free(t);
}

static uint32_t
slot_of(const struct gate_neigh_table *t, const struct gate_neigh *n)
{
	return (uint32_t)(n - t->e);
}

static void
lru_unlink(struct gate_neigh_table *t, uint32_t i)
{
	struct gate_neigh *n = &t->e[i];

	if (n->lru_prev != NIL)
		t->e[n->lru_prev].lru_next = n->lru_next;
	else
		t->lru_head = n->lru_next;
	if (n->lru_next != NIL)
		t->e[n->lru_next].lru_prev = n->lru_prev;
	else
		t->lru_tail = n->lru_prev;
}

static void
lru_append(struct gate_neigh_table *t, uint32_t i)
{
	t->e[i].lru_prev = t->lru_tail;
	t->e[i].lru_next = NIL;
	if (t->lru_tail != NIL)
		t->e[t->lru_tail].lru_next = i;
	else
		t->lru_head = i;
	t->lru_tail = i;
}

struct gate_neigh *
gate_neigh_find(const struct gate_neigh_table *t, uint32_t ip_be)
{
	uint32_t i;

	if (!hmap_get(t->by_ip, ip_be, &i))
		return NULL;
	return &t->e[i];
}

void
gate_neigh_touch(struct gate_neigh_table *t, struct gate_neigh *n, uint64_t now_ms)
{
	uint32_t i = slot_of(t, n);

	n->last_used_ms = now_ms;
	if (t->lru_tail == i)
		return;
	lru_unlink(t, i);
	lru_append(t, i);
}

void
gate_neigh_remove(struct gate_neigh_table *t, struct gate_neigh *n)
{
	uint32_t i = slot_of(t, n);

	lru_unlink(t, i);
	hmap_del(t->by_ip, n->ip_be);
	n->in_use = false;
	t->free[t->n_free++] = i;
}

/*
 * The least recently used entry that is not pinned goes. A pinned entry met
 * on the way moves to the recent end, so the next eviction does not walk
 * over it again: at most one step per pinned entry, amortised O(1).
 */
static bool
evict_one(struct gate_neigh_table *t, gate_neigh_pinned_fn pinned, const void *arg)
{
	for (uint32_t steps = 0; steps < t->capacity && t->lru_head != NIL; steps++) {
		uint32_t i = t->lru_head;

		if (pinned == NULL || !pinned(arg, t->e[i].ip_be)) {
			gate_neigh_remove(t, &t->e[i]);
			counters_add(VPG_CTR_GATE_NEIGHBOR_EVICTIONS, 1);
			return true;
		}
		lru_unlink(t, i);
		lru_append(t, i);
	}
	return false;
}

struct gate_neigh *
gate_neigh_add(struct gate_neigh_table *t, uint32_t ip_be, uint64_t now_ms,
    gate_neigh_pinned_fn pinned, const void *arg)
{
	uint32_t i;

	if (t->n_free == 0 && !evict_one(t, pinned, arg))
		return NULL;
	i = t->free[t->n_free - 1];
	/* The index holds capacity entries: full only if it drifted from the slots. */
	if (hmap_put(t->by_ip, ip_be, i) < 0)
		return NULL;
	t->n_free--;
	t->e[i] = (struct gate_neigh){ .ip_be = ip_be, .last_used_ms = now_ms, .in_use = true };
	lru_append(t, i);
	return &t->e[i];
}

/* A token bucket: new_per_sec tokens a second, never more than burst held. */
bool
gate_neigh_admit(struct gate_neigh_table *t, uint64_t now_ms)
{
	uint64_t elapsed = now_ms > t->refilled_ms ? now_ms - t->refilled_ms : 0;
	uint64_t add = elapsed * t->new_per_sec / 1000;

	if (elapsed >= (uint64_t)t->burst * 1000 / t->new_per_sec + 1000 ||
	    t->tokens + add >= t->burst) {
		t->tokens = t->burst;
		t->refilled_ms = now_ms;
	} else if (add > 0) {
		t->tokens += (uint32_t)add;
		/* Only the time the whole tokens stand for is used up: no fraction is lost. */
		t->refilled_ms += add * 1000 / t->new_per_sec;
	}
	if (t->tokens == 0)
		return false;
	t->tokens--;
	return true;
}

uint32_t
gate_neigh_count(const struct gate_neigh_table *t)
{
	return t->capacity - t->n_free;
}

uint32_t
gate_neigh_capacity(const struct gate_neigh_table *t)
{
	return t->capacity;
}

struct gate_neigh *
gate_neigh_slot(struct gate_neigh_table *t, uint32_t i)
{
	return i < t->capacity && t->e[i].in_use ? &t->e[i] : NULL;
}

bool
gate_neigh_consistent(const struct gate_neigh_table *t)
{
	uint32_t in_use = 0, listed = 0, prev = NIL;

	for (uint32_t i = 0; i < t->capacity; i++) {
		uint32_t at;

		if (!t->e[i].in_use)
			continue;
		in_use++;
		if (!hmap_get(t->by_ip, t->e[i].ip_be, &at) || at != i)
			return false;
	}
	for (uint32_t i = t->lru_head; i != NIL && listed <= t->capacity; i = t->e[i].lru_next) {
		if (!t->e[i].in_use || t->e[i].lru_prev != prev)
			return false;
		prev = i;
		listed++;
	}
	return in_use == listed && prev == t->lru_tail && in_use == gate_neigh_count(t) &&
	       hmap_count(t->by_ip) == in_use;
}
