#include "core/session.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/bigmem.h"
#include "core/hmap.h"
#include "core/mix32.h"
#include "core/pow2.h"
#include "core/rules.h"

struct session_table {
	uint32_t capacity; /* usable slots; slot 0 is the chain terminator */
	uint32_t count;
	uint32_t mask; /* buckets - 1 */
	uint32_t seed;
	uint32_t teid_mask;    /* session_teid_slot_mask(capacity) */
	uint32_t teid_step;    /* odd: how a slot's next TEID follows its last */
	uint64_t rng;	       /* xorshift state for TEIDs */
	struct session *slots; /* capacity + 1, cache-line aligned */
	uint32_t *free_list;   /* stack of free slot indices */
	uint32_t n_free;
	uint32_t *by_teid, *by_ip, *by_imsi; /* bucket heads */
	struct hmap *aliases;		     /* further TEIDs of a session -> its slot */
	uint32_t *by_downlink;		     /* bucket heads by the peer's F-TEID */
	struct session_route *routes;	     /* Framed-Routes, longest prefix first */
	uint32_t n_routes;
	void (*route_hook)(void *, uint32_t, uint32_t, bool);
	void *route_arg;
	void (*change_hook)(void *, const struct session *, bool);
	void *change_arg;
	void (*fast_usage)(void *, const struct session *, struct rules_usage *);
	void *fast_arg;
};

struct session_route {
	uint32_t net_be, mask_be;
	uint32_t slot; /* 0: a kept route held for a device that is not attached */
	bool kept;     /* SIM-based routing's: outlives its session, released explicitly */
};

static uint32_t
imsi_key(const struct session_table *t, const char *imsi, uint8_t bearer_id)
{
	uint32_t h = 2166136261u ^ t->seed;

	for (; *imsi != '\0'; imsi++)
		h = (h ^ (uint8_t)*imsi) * 16777619u;
	return mix32(h ^ bearer_id);
}

static uint32_t
bucket(const struct session_table *t, uint32_t key)
{
	return mix32(key ^ t->seed) & t->mask;
}

static uint64_t
random64(void)
{
	uint64_t v = 0;

	/* Without entropy the table still works, only the TEIDs are predictable. */
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull;
	return v | 1;
}

/* The change hook hears of routes as a change without a session. */
static void
routes_changed(const struct session_table *t)
{
	if (t->change_hook != NULL)
		t->change_hook(t->change_arg, NULL, true);
}

void
session_set_change_hook(
    struct session_table *t, void (*hook)(void *arg, const struct session *s, bool live), void *arg)
{
	t->change_hook = hook;
	t->change_arg = arg;
}

void
session_set_fast_usage(struct session_table *t,
    void (*read)(void *arg, const struct session *s, struct rules_usage *out), void *arg)
{
	t->fast_usage = read;
	t->fast_arg = arg;
}

void
session_fast_usage(const struct session_table *t, const struct session *s, struct rules_usage *out)
{
	memset(out, 0, sizeof(*out));
	if (t->fast_usage != NULL)
		t->fast_usage(t->fast_arg, s, out);
}

void
session_changed(const struct session_table *t, const struct session *s)
{
	if (t->change_hook != NULL && s->in_use)
		t->change_hook(t->change_arg, s, true);
}

uint32_t
session_route_count(const struct session_table *t)
{
	return t->n_routes;
}

struct session_table *
session_table_new(uint32_t capacity)
{
	struct session_table *t = calloc(1, sizeof(*t));
	uint32_t buckets;

	if (t == NULL || capacity == 0 || capacity > (1u << 30))
		goto fail;
	buckets = (uint32_t)pow2_at_least(capacity, 64);
	t->capacity = capacity;
	t->mask = buckets - 1;
	t->teid_mask = session_teid_slot_mask(capacity);
	t->rng = random64();
	t->seed = (uint32_t)(t->rng >> 32);
	t->teid_step = (uint32_t)t->rng | 1;
	/* Lazily zeroed: untouched slots cost nothing (core/bigmem.h). */
	t->slots = bigmem_zalloc(((size_t)capacity + 1) * sizeof(*t->slots));
	t->free_list = calloc(capacity, sizeof(uint32_t));
	t->by_teid = bigmem_zalloc(buckets * sizeof(uint32_t));
	t->by_ip = bigmem_zalloc(buckets * sizeof(uint32_t));
	t->by_imsi = bigmem_zalloc(buckets * sizeof(uint32_t));
	t->aliases = hmap_new(capacity);
	t->by_downlink = bigmem_zalloc(buckets * sizeof(uint32_t));
	t->routes = calloc(SESSION_MAX_ROUTES, sizeof(*t->routes));
	if (!t->slots || !t->free_list || !t->by_teid || !t->by_ip || !t->by_imsi || !t->aliases ||
	    !t->by_downlink || !t->routes)
		goto fail;
	for (uint32_t i = 0; i < capacity; i++)
		t->free_list[i] = capacity - i;
	t->n_free = capacity;
	return t;
fail:
	session_table_free(t);
	return NULL;
}

static size_t
buckets_size(const struct session_table *t)
{
	return ((size_t)t->mask + 1) * sizeof(uint32_t);
}

void
session_table_free(struct session_table *t)
{
	if (t == NULL)
		return;
	for (uint32_t i = 1; t->slots != NULL && i <= t->capacity; i++)
		if (t->slots[i].in_use)
			free(t->slots[i].rules);
	bigmem_free(t->slots, ((size_t)t->capacity + 1) * sizeof(*t->slots));
	free(t->free_list);
	bigmem_free(t->by_teid, buckets_size(t));
	bigmem_free(t->by_ip, buckets_size(t));
	bigmem_free(t->by_imsi, buckets_size(t));
	hmap_free(t->aliases);
	bigmem_free(t->by_downlink, buckets_size(t));
	free(t->routes);
	free(t);
}

static uint32_t
next_random(struct session_table *t)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return (uint32_t)t->rng;
}

uint32_t
session_fresh_teid(struct session_table *t)
{
	uint32_t teid;

	/* TS 29.060 §7.7.13: TEID 0 is reserved for messages without a context. */
	do
		teid = next_random(t);
	while (teid == 0 || session_find_teid(t, teid) != NULL);
	return teid;
}

uint32_t
session_teid_slot_mask(uint32_t capacity)
{
	return (uint32_t)(pow2_at_least((uint64_t)capacity + 1, 1) - 1);
}

/*
 * A fresh TEID that names slot idx (never 0: slot 0 is not used). Above the
 * slot's bits, the slot's last TEID moved on by the table's secret odd step,
 * so that a slot repeats a TEID only after every value of those bits: a
 * late G-PDU for a session just deleted never reaches the next session in
 * its slot. A slot never used starts at random. Taken (an alias, an
 * explicit TEID with these bits) it moves on; after a few tries a fully
 * random TEID, which the index finds.
 */
static uint32_t
teid_of_slot(struct session_table *t, uint32_t idx, uint32_t last)
{
	uint32_t unit = t->teid_mask + 1;
	uint32_t high = last != 0 ? last & ~t->teid_mask : next_random(t) & ~t->teid_mask;

	for (int tries = 0; tries < 8; tries++) {
		high += t->teid_step * unit;
		if (session_find_teid(t, high | idx) == NULL)
			return high | idx;
	}
	return session_fresh_teid(t);
}

struct session *
session_alloc(struct session_table *t)
{
	uint32_t idx, last;
	struct session *s;

	if (t->n_free == 0)
		return NULL;
	idx = t->free_list[--t->n_free];
	s = &t->slots[idx];
	last = s->teid;
	memset(s, 0, sizeof(*s));
	s->teid = teid_of_slot(t, idx, last);
	s->in_use = true;
	return s;
}

static uint32_t
index_of(const struct session_table *t, const struct session *s)
{
	return (uint32_t)(s - t->slots);
}

uint32_t
session_slot(const struct session_table *t, const struct session *s)
{
	return index_of(t, s);
}

/*
 * Chained like the other indices: a bucket head per table slot and a link
 * in the session, so the index costs 8 octets a session, not a hash map
 * sized for the whole device subnet.
 */
static uint32_t *
downlink_head(const struct session_table *t, uint32_t addr_be, uint32_t teid)
{
	return &t->by_downlink[bucket(t, mix32(addr_be) ^ teid)];
}

static void
index_downlink(struct session_table *t, struct session *s)
{
	uint32_t *head;

	if (s->dl_teid == 0)
		return;
	head = downlink_head(t, s->dl_addr_be, s->dl_teid);
	s->next_downlink = *head;
	*head = index_of(t, s);
}

static void unlink_chain(struct session_table *t, uint32_t *head, uint32_t idx, size_t link_off);

static void
unindex_downlink(struct session_table *t, const struct session *s)
{
	if (s->dl_teid != 0)
		unlink_chain(t, downlink_head(t, s->dl_addr_be, s->dl_teid), index_of(t, s),
		    offsetof(struct session, next_downlink));
}

void
session_set_downlink(struct session_table *t, struct session *s, uint32_t teid, uint32_t addr_be)
{
	/* The same tunnel again (an attach's own, an Update that keeps it): nothing to tell. */
	if (s->dl_teid == teid && s->dl_addr_be == addr_be)
		return;
	unindex_downlink(t, s);
	s->dl_teid = teid;
	s->dl_addr_be = addr_be;
	index_downlink(t, s);
	if (s->in_use && t->change_hook != NULL && session_find_teid(t, s->teid) == s)
		t->change_hook(t->change_arg, s, true);
}

struct session *
session_find_downlink(const struct session_table *t, uint32_t addr_be, uint32_t teid)
{
	for (uint32_t i = *downlink_head(t, addr_be, teid); i != 0; i = t->slots[i].next_downlink)
		if (t->slots[i].dl_teid == teid && t->slots[i].dl_addr_be == addr_be)
			return &t->slots[i];
	return NULL;
}

void
session_insert(struct session_table *t, struct session *s)
{
	uint32_t idx = index_of(t, s);
	uint32_t *head;

	s->flags |= SESSION_F_INDEXED;
	head = &t->by_teid[bucket(t, s->teid)];
	s->next_teid = *head;
	*head = idx;
	head = &t->by_ip[bucket(t, s->ip_be)];
	s->next_ip = *head;
	*head = idx;
	/* Sessions without an IMSI are not indexed by it: one long chain would slow every removal.
	 */
	if (s->imsi[0] != '\0') {
		head = &t->by_imsi[imsi_key(t, s->imsi, s->bearer_id) & t->mask];
		s->next_imsi = *head;
		*head = idx;
	}
	index_downlink(t, s);
	t->count++;
	if (t->change_hook != NULL)
		t->change_hook(t->change_arg, s, true);
}

/* Unlinks idx from a chain whose links live at byte offset link_off of a session. */
static void
unlink_chain(struct session_table *t, uint32_t *head, uint32_t idx, size_t link_off)
{
	while (*head != 0) {
		uint32_t *link = (uint32_t *)((char *)&t->slots[*head] + link_off);

		if (*head == idx) {
			*head = *link;
			return;
		}
		head = link;
	}
}

int
session_alias_teid(struct session_table *t, struct session *s, uint32_t teid)
{
	if (teid == 0 || session_find_teid(t, teid) != NULL)
		return -EEXIST;
	return hmap_put(t->aliases, teid, index_of(t, s));
}

void
session_unalias_teid(struct session_table *t, const struct session *s, uint32_t teid)
{
	uint32_t idx;

	if (hmap_get(t->aliases, teid, &idx) && idx == index_of(t, s))
		hmap_del(t->aliases, teid);
}

/* The TEIDs a session's PDRs hold besides its own are aliases: they go with it. */
static void
unalias_all(struct session_table *t, const struct session *s)
{
	if (s->rules == NULL || hmap_count(t->aliases) == 0)
		return;
	for (unsigned i = 0; i < s->rules->n_pdr; i++)
		if (s->rules->pdr[i].has_teid && s->rules->pdr[i].teid != s->teid)
			session_unalias_teid(t, s, s->rules->pdr[i].teid);
}

static int
prefix_len(uint32_t mask_be)
{
	return __builtin_popcount(mask_be);
}

/* The index of the route for exactly net/mask, or -1. */
static int
route_index(const struct session_table *t, uint32_t net_be, uint32_t mask_be)
{
	for (uint32_t i = 0; i < t->n_routes; i++)
		if (t->routes[i].net_be == net_be && t->routes[i].mask_be == mask_be)
			return (int)i;
	return -1;
}

/* Kept longest prefix first, so the first match is the best; the hook is told. */
static int
route_insert(struct session_table *t, const struct session_route *r)
{
	uint32_t i;

	if (t->n_routes == SESSION_MAX_ROUTES)
		return -ENOSPC;
	for (i = t->n_routes;
	     i > 0 && prefix_len(t->routes[i - 1].mask_be) < prefix_len(r->mask_be); i--)
		t->routes[i] = t->routes[i - 1];
	t->routes[i] = *r;
	t->n_routes++;
	if (t->route_hook != NULL)
		t->route_hook(t->route_arg, r->net_be, r->mask_be, true);
	routes_changed(t);
	return 0;
}

int
session_route_add(struct session_table *t, struct session *s, uint32_t net_be, uint32_t mask_be)
{
	net_be &= mask_be;
	if (route_index(t, net_be, mask_be) >= 0)
		return -EEXIST;
	return route_insert(t, &(struct session_route){ net_be, mask_be, index_of(t, s), false });
}

int
session_route_keep(struct session_table *t, struct session *s, uint32_t net_be, uint32_t mask_be)
{
	uint32_t slot = s != NULL ? index_of(t, s) : 0;
	int i;

	net_be &= mask_be;
	i = route_index(t, net_be, mask_be);
	if (i >= 0 && !t->routes[i].kept)
		return -EEXIST;
	if (i >= 0) {
		/* Moving a kept route between sessions changes nothing the host routes. */
		if (t->routes[i].slot != slot) {
			t->routes[i].slot = slot;
			routes_changed(t);
		}
		return 0;
	}
	return route_insert(t, &(struct session_route){ net_be, mask_be, slot, true });
}

int
session_route_kept(
    const struct session_table *t, uint32_t net_be, uint32_t mask_be, struct session **bound)
{
	int i = route_index(t, net_be & mask_be, mask_be);

	if (i < 0 || !t->routes[i].kept)
		return -ENOENT;
	*bound = t->routes[i].slot != 0 ? &t->slots[t->routes[i].slot] : NULL;
	return 0;
}

/* Removes routes[i], telling the hook. */
static void
route_delete(struct session_table *t, uint32_t i)
{
	struct session_route r = t->routes[i];

	memmove(&t->routes[i], &t->routes[i + 1], (t->n_routes - i - 1) * sizeof(t->routes[0]));
	t->n_routes--;
	if (t->route_hook != NULL)
		t->route_hook(t->route_arg, r.net_be, r.mask_be, false);
	routes_changed(t);
}

int
session_route_release(struct session_table *t, uint32_t net_be, uint32_t mask_be)
{
	int i = route_index(t, net_be & mask_be, mask_be);

	if (i < 0 || !t->routes[i].kept)
		return -ENOENT;
	route_delete(t, (uint32_t)i);
	return 0;
}

/* The routes already there are told at once, so a hook set late misses none. */
void
session_set_route_hook(struct session_table *t,
    void (*hook)(void *arg, uint32_t net_be, uint32_t mask_be, bool add), void *arg)
{
	t->route_hook = hook;
	t->route_arg = arg;
	for (uint32_t i = 0; hook != NULL && i < t->n_routes; i++)
		hook(arg, t->routes[i].net_be, t->routes[i].mask_be, true);
}

void
session_route_del_all(struct session_table *t, const struct session *s)
{
	uint32_t idx = index_of(t, s), k = 0;

	for (uint32_t i = 0; i < t->n_routes; i++) {
		if (t->routes[i].slot != idx || t->routes[i].kept)
			t->routes[k++] = t->routes[i];
		else if (t->route_hook != NULL)
			t->route_hook(
			    t->route_arg, t->routes[i].net_be, t->routes[i].mask_be, false);
	}
	if (t->n_routes != k) {
		t->n_routes = k;
		routes_changed(t);
	}
}

/* A session that goes leaves its kept routes held for the device's return. */
static void
park_kept(struct session_table *t, const struct session *s)
{
	uint32_t idx = index_of(t, s);
	bool parked = false;

	for (uint32_t i = 0; i < t->n_routes; i++)
		if (t->routes[i].slot == idx) {
			t->routes[i].slot = 0;
			parked = true;
		}
	if (parked)
		routes_changed(t);
}

uint32_t
session_route_next(const struct session_table *t, uint32_t cursor, uint32_t *net_be,
    uint32_t *mask_be, const struct session **bound)
{
	const struct session_route *r;

	if (cursor >= t->n_routes)
		return 0;
	r = &t->routes[cursor];
	*net_be = r->net_be;
	*mask_be = r->mask_be;
	*bound = r->slot != 0 ? &t->slots[r->slot] : NULL;
	return cursor + 1;
}

/*
 * O(routes): routes are few, and only addresses no device holds come here.
 * The first match is the longest prefix; one held for an absent device
 * ends the search as well, so a shorter route never takes its packets.
 */
struct session *
session_find_dest_held(const struct session_table *t, uint32_t addr_be, bool *held)
{
	struct session *s = session_find_ip(t, addr_be);

	*held = false;
	for (uint32_t i = 0; s == NULL && i < t->n_routes; i++) {
		if ((addr_be & t->routes[i].mask_be) != t->routes[i].net_be)
			continue;
		*held = t->routes[i].slot == 0;
		return *held ? NULL : &t->slots[t->routes[i].slot];
	}
	return s;
}

struct session *
session_find_dest(const struct session_table *t, uint32_t addr_be)
{
	bool held;

	return session_find_dest_held(t, addr_be, &held);
}

void
session_remove(struct session_table *t, struct session *s)
{
	uint32_t idx = index_of(t, s);

	/* Out of the mirrors first, while every field still says what was indexed. */
	if (t->change_hook != NULL)
		t->change_hook(t->change_arg, s, false);
	unalias_all(t, s);
	unindex_downlink(t, s);
	if (t->n_routes > 0) {
		session_route_del_all(t, s);
		park_kept(t, s);
	}
	unlink_chain(t, &t->by_teid[bucket(t, s->teid)], idx, offsetof(struct session, next_teid));
	unlink_chain(t, &t->by_ip[bucket(t, s->ip_be)], idx, offsetof(struct session, next_ip));
	if (s->imsi[0] != '\0')
		unlink_chain(t, &t->by_imsi[imsi_key(t, s->imsi, s->bearer_id) & t->mask], idx,
		    offsetof(struct session, next_imsi));
	t->count--;
	session_discard(t, s);
}

void
session_discard(struct session_table *t, struct session *s)
{
	free(s->rules);
	s->rules = NULL;
	s->flags = 0;
	s->in_use = false;
	t->free_list[t->n_free++] = index_of(t, s);
}

/* The session in the slot teid names, when it is that slot's TEID. */
static struct session *
slot_of_teid(const struct session_table *t, uint32_t teid)
{
	uint32_t idx = teid & t->teid_mask;
	struct session *s = &t->slots[idx];

	if (idx == 0 || idx > t->capacity || s->teid != teid || !(s->flags & SESSION_F_INDEXED))
		return NULL;
	return s;
}

struct session *
session_find_teid(const struct session_table *t, uint32_t teid)
{
	struct session *s = slot_of_teid(t, teid);
	uint32_t idx;

	if (s != NULL)
		return s;
	/* An explicit TEID (a UPF's Local F-TEID from the SMF) or a rare fully random one. */
	for (uint32_t i = t->by_teid[bucket(t, teid)]; i != 0; i = t->slots[i].next_teid)
		if (t->slots[i].teid == teid)
			return &t->slots[i];
	/* Only UPF sessions have aliases; the GTP roles never pay for the lookup. */
	if (hmap_count(t->aliases) > 0 && hmap_get(t->aliases, teid, &idx))
		return &t->slots[idx];
	return NULL;
}

/*
 * Inlined into its callers, always: GCC 12 finds a function of prefetches
 * alone "pure" (a prefetch changes no memory) and deletes the calls to it
 * whose result is unused, which is every call.
 */
static inline __attribute__((always_inline)) void
prefetch_chains(const struct session_table *t, const uint32_t *heads, const uint32_t *keys, int n)
{
	if (n > SESSION_PREFETCH_MAX)
		n = SESSION_PREFETCH_MAX;
	for (int i = 0; i < n; i++)
		__builtin_prefetch(&heads[bucket(t, keys[i])]);
	for (int i = 0; i < n; i++)
		__builtin_prefetch(&t->slots[heads[bucket(t, keys[i])]]);
}

/* The slots the TEIDs name: a fresh TEID's session is there, without a chain to walk. */
void
session_prefetch_teids(const struct session_table *t, const uint32_t *teids, int n)
{
	if (n > SESSION_PREFETCH_MAX)
		n = SESSION_PREFETCH_MAX;
	for (int i = 0; i < n; i++)
		__builtin_prefetch(&t->slots[teids[i] & t->teid_mask]);
}

void
session_prefetch_ips(const struct session_table *t, const uint32_t *ips_be, int n)
{
	prefetch_chains(t, t->by_ip, ips_be, n);
}

struct session *
session_find_ip(const struct session_table *t, uint32_t ip_be)
{
	for (uint32_t i = t->by_ip[bucket(t, ip_be)]; i != 0; i = t->slots[i].next_ip)
		if (t->slots[i].ip_be == ip_be)
			return &t->slots[i];
	return NULL;
}

struct session *
session_find_imsi(const struct session_table *t, const char *imsi, uint8_t bearer_id)
{
	uint32_t i = t->by_imsi[imsi_key(t, imsi, bearer_id) & t->mask];

	for (; i != 0; i = t->slots[i].next_imsi)
		if (t->slots[i].bearer_id == bearer_id && strcmp(t->slots[i].imsi, imsi) == 0)
			return &t->slots[i];
	return NULL;
}

/* Bearer ids are 4 bits in every role (NSAPI, EBI); 16 lookups at most. */
struct session *
session_find_imsi_any(const struct session_table *t, const char *imsi)
{
	if (imsi[0] == '\0')
		return NULL;
	for (unsigned id = 0; id <= 15; id++) {
		struct session *s = session_find_imsi(t, imsi, (uint8_t)id);

		if (s != NULL)
			return s;
	}
	return NULL;
}

uint32_t
session_count(const struct session_table *t)
{
	return t->count;
}

/* O(capacity) over a full walk: used by the control plane only. */
uint32_t
session_next(const struct session_table *t, uint32_t cursor, struct session **s)
{
	for (uint32_t i = cursor < t->capacity ? cursor + 1 : 0; i != 0 && i <= t->capacity; i++) {
		if (t->slots[i].in_use) {
			*s = &t->slots[i];
			return i;
		}
	}
	return 0;
}
