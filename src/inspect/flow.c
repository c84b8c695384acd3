/*
 * The flow table. Flows live in one array allocated at creation; a free
 * list, the hash index and two age-ordered lists thread through it by slot
 * number, so creating, finding, expiring or evicting a flow is O(1) and
 * never allocates.
 *
 * The index maps a seeded 64-bit hash of the key to the first slot of a
 * chain of flows sharing that hash; each slot holds its full key, which is
 * compared before a flow is taken. Chains longer than one need a 64-bit
 * collision, which a device cannot aim for without the seed.
 */
#include "inspect/flow.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/hmap.h"
#include "inspect/slot_list.h"

#define FLOW_NIL SLOT_NIL

/*
 * Two lists, each in the order its timeout needs: LRU by last packet (head =
 * least recently seen: next to go idle and the one to evict), ACT by start
 * of the report interval (head = next active timeout). Every update moves a
 * flow to the LRU tail and every report to the ACT tail, so with a clock
 * that does not go back both stay sorted and only their heads are ever due.
 */
enum { FLOW_LRU, FLOW_ACT, FLOW_NLISTS };

struct flow_table {
	struct flow *flows;
	struct slot_link *link[FLOW_NLISTS]; /* per slot, per list */
	uint32_t *chain;		     /* next slot with the same hash, or next free slot */
	uint64_t *hkey;			     /* each slot's hash, to unlink it */
	struct slot_list list[FLOW_NLISTS];
	uint32_t free_head;
	struct hmap *index; /* hash -> first slot of its chain */
	uint32_t max, count;
	uint64_t evicted;
	uint64_t seed;
	uint64_t (*hash)(const struct flow_key *);
	flow_emit_fn evict;
	void *evict_arg;
	flow_refresh_fn refresh; /* NULL: no fast path */
	void *refresh_arg;
};

static int flow_alloc(struct flow_table *);
static uint64_t flow_hash(const struct flow_table *, const struct flow_key *);
static bool flow_key_eq(const struct flow_key *, const struct flow_key *);
static uint32_t flow_find(const struct flow_table *, const struct flow_key *, uint64_t);
static uint32_t flow_create(struct flow_table *, const struct flow_key *, uint64_t);
static void flow_remove(struct flow_table *, uint32_t);
static void flow_count(struct flow *, uint32_t, uint16_t, uint64_t);
static void flow_refresh(struct flow_table *, uint32_t, bool);
static bool flow_still_idle(struct flow_table *, uint32_t, uint64_t, uint64_t);
static uint64_t elapsed(uint64_t, uint64_t);

struct flow_table *
flow_table_new(uint32_t max_flows, flow_emit_fn evict, void *arg)
{
	struct flow_table *t;

	if (max_flows == 0 || max_flows == FLOW_NIL)
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->max = max_flows;
	t->evict = evict;
	t->evict_arg = arg;
	if (flow_alloc(t) < 0) {
		flow_table_free(t);
		return NULL;
	}
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) < 0)
		t->seed = 0x9e3779b97f4a7c15ull;
	for (int l = 0; l < FLOW_NLISTS; l++)
		slot_list_init(&t->list[l]);
	for (uint32_t i = 0; i < max_flows; i++)
		t->chain[i] = i + 1 < max_flows ? i + 1 : FLOW_NIL;
	t->free_head = 0;
	return t;
}

/* Everything the table will ever use, at once. */
static int
flow_alloc(struct flow_table *t)
{
	t->flows = calloc(t->max, sizeof(*t->flows));
	t->link[FLOW_LRU] = calloc(t->max, sizeof(struct slot_link));
	t->link[FLOW_ACT] = calloc(t->max, sizeof(struct slot_link));
	t->chain = calloc(t->max, sizeof(*t->chain));
	t->hkey = calloc(t->max, sizeof(*t->hkey));
	t->index = hmap_new(t->max);
	if (t->flows == NULL || t->link[FLOW_LRU] == NULL || t->link[FLOW_ACT] == NULL ||
	    t->chain == NULL || t->hkey == NULL || t->index == NULL)
		return -1;
	return 0;
}

void
flow_table_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	hmap_free(t->index);
	free(t->hkey);
	free(t->chain);
	free(t->link[FLOW_ACT]);
	free(t->link[FLOW_LRU]);
	free(t->flows);
	free(t);
}

int
flow_update(struct flow_table *t, const struct flow_key *k, const char *imsi, uint32_t len,
    uint16_t tcp_flags, uint64_t now_ms, struct flow **f)
{
	uint64_t h = flow_hash(t, k);
	uint32_t i = flow_find(t, k, h);
	bool created = false;

	if (i == FLOW_NIL) {
		i = flow_create(t, k, h);
		created = true;
		if (imsi != NULL)
			strncpy(t->flows[i].imsi, imsi, FLOW_IMSI_LEN - 1);
		t->flows[i].first_ms = t->flows[i].start_ms = now_ms;
		slot_list_push(&t->list[FLOW_ACT], t->link[FLOW_ACT], i);
	} else {
		slot_list_unlink(&t->list[FLOW_LRU], t->link[FLOW_LRU], i);
	}
	slot_list_push(&t->list[FLOW_LRU], t->link[FLOW_LRU], i);
	flow_count(&t->flows[i], len, tcp_flags, now_ms);
	*f = &t->flows[i];
	return created ? 1 : 0;
}

struct flow *
flow_lookup(const struct flow_table *t, const struct flow_key *k)
{
	uint32_t i = flow_find(t, k, flow_hash(t, k));

	return i == FLOW_NIL ? NULL : &t->flows[i];
}

/*
 * Expiry runs between packet batches, on the data path's own thread: its
 * work has to be bounded, or a wave of flows due together (all started in
 * the same second, or all idle after a link drops) would stall forwarding
 * while a million records are made. So it stops after FLOW_EXPIRE_BUDGET
 * flows; those still due are at the list heads and the next call resumes
 * there. Each flow handled is O(1), and none that is not due is looked at.
 * A flow due for both timeouts ends as idle.
 */
uint32_t
flow_expire(struct flow_table *t, uint64_t now_ms, uint64_t active_ms, uint64_t idle_ms,
    flow_emit_fn emit, void *arg)
{
	uint32_t n, i;
	struct flow *f;

	for (n = 0; n < FLOW_EXPIRE_BUDGET; n++) {
		i = t->list[FLOW_LRU].head;
		if (i != FLOW_NIL && elapsed(now_ms, t->flows[i].last_ms) >= idle_ms) {
			if (!flow_still_idle(t, i, now_ms, idle_ms))
				continue;
			emit(arg, &t->flows[i], true);
			flow_remove(t, i);
			continue;
		}
		i = t->list[FLOW_ACT].head;
		if (i == FLOW_NIL || elapsed(now_ms, t->flows[i].start_ms) < active_ms)
			break;
		f = &t->flows[i];
		flow_refresh(t, i, false);
		/* An interval without a packet has nothing to report. */
		if (f->packets > 0)
			emit(arg, f, false);
		f->packets = f->bytes = 0;
		f->tcp_flags = 0;
		f->start_ms = now_ms;
		slot_list_unlink(&t->list[FLOW_ACT], t->link[FLOW_ACT], i);
		slot_list_push(&t->list[FLOW_ACT], t->link[FLOW_ACT], i);
	}
	return n;
}

int
flow_table_foreach(
    const struct flow_table *t, int (*fn)(void *arg, const struct flow *f), void *arg)
{
	const struct slot_link *lru = t->link[FLOW_LRU];
	int rc;

	for (uint32_t i = t->list[FLOW_LRU].tail; i != FLOW_NIL; i = lru[i].prev)
		if ((rc = fn(arg, &t->flows[i])) != 0)
			return rc;
	return 0;
}

uint32_t
flow_table_count(const struct flow_table *t)
{
	return t->count;
}

uint64_t
flow_table_evicted(const struct flow_table *t)
{
	return t->evicted;
}

void
flow_table_set_refresh(struct flow_table *t, flow_refresh_fn fn, void *arg)
{
	t->refresh = fn;
	t->refresh_arg = arg;
}

void
flow_merge_fast(struct flow_table *t, struct flow *f, const struct flow_fast_counts *c)
{
	uint32_t i = (uint32_t)(f - t->flows);
	/* Counts that went back (a new entry under the key) add nothing. */
	uint64_t packets = c->packets > f->fast_packets ? c->packets - f->fast_packets : 0;
	uint64_t bytes = c->bytes > f->fast_bytes ? c->bytes - f->fast_bytes : 0;

	f->fast_packets = c->packets;
	f->fast_bytes = c->bytes;
	if (packets == 0)
		return;
	f->packets += packets;
	f->bytes += bytes;
	f->total_packets += packets;
	f->total_bytes += bytes;
	f->tcp_flags |= c->tcp_flags;
	if (c->last_ms > f->last_ms) {
		f->last_ms = c->last_ms;
		slot_list_unlink(&t->list[FLOW_LRU], t->link[FLOW_LRU], i);
		slot_list_push(&t->list[FLOW_LRU], t->link[FLOW_LRU], i);
	}
}

void
flow_table_set_hash(struct flow_table *t, uint64_t (*hash)(const struct flow_key *k))
{
	t->hash = hash;
}

static uint64_t
flow_hash(const struct flow_table *t, const struct flow_key *k)
{
	uint64_t addrs = (uint64_t)k->saddr << 32 | k->daddr;
	uint64_t rest =
	    (uint64_t)k->sport << 48 | (uint64_t)k->dport << 32 | (uint64_t)k->proto << 8 | k->dir;

	if (t->hash != NULL)
		return t->hash(k);
	return hmap_mix64(hmap_mix64(addrs ^ t->seed) ^ rest);
}

/* Field by field: the struct's padding is not part of the key. */
static bool
flow_key_eq(const struct flow_key *a, const struct flow_key *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr && a->sport == b->sport &&
	       a->dport == b->dport && a->proto == b->proto && a->dir == b->dir;
}

/* O(length of the chain), which is 1 unless two keys share a 64-bit hash. */
static uint32_t
flow_find(const struct flow_table *t, const struct flow_key *k, uint64_t h)
{
	uint32_t i;

	if (!hmap_get(t->index, h, &i))
		return FLOW_NIL;
	for (; i != FLOW_NIL; i = t->chain[i])
		if (flow_key_eq(&t->flows[i].key, k))
			return i;
	return FLOW_NIL;
}

/*
 * Takes a free slot, evicting the least recently seen flow when there is
 * none, and puts it at the head of its hash chain. The index cannot be full:
 * it holds at most one entry per flow and was sized for max flows.
 */
static uint32_t
flow_create(struct flow_table *t, const struct flow_key *k, uint64_t h)
{
	uint32_t i, head;

	if (t->free_head == FLOW_NIL) {
		i = t->list[FLOW_LRU].head;
		flow_refresh(t, i, true);
		if (t->evict != NULL)
			t->evict(t->evict_arg, &t->flows[i], true);
		flow_remove(t, i);
		t->evicted++;
	}
	i = t->free_head;
	t->free_head = t->chain[i];
	memset(&t->flows[i], 0, sizeof(t->flows[i]));
	t->flows[i].key = *k;
	t->hkey[i] = h;
	t->chain[i] = hmap_get(t->index, h, &head) ? head : FLOW_NIL;
	(void)hmap_put(t->index, h, i);
	t->count++;
	return i;
}

/* Unlinks slot i from its chain and both lists, and frees it. */
static void
flow_remove(struct flow_table *t, uint32_t i)
{
	uint64_t h = t->hkey[i];
	uint32_t p;

	if (hmap_get(t->index, h, &p) && p == i) {
		if (t->chain[i] == FLOW_NIL)
			(void)hmap_del(t->index, h);
		else
			(void)hmap_put(t->index, h, t->chain[i]);
	} else {
		while (t->chain[p] != i)
			p = t->chain[p];
		t->chain[p] = t->chain[i];
	}
	slot_list_unlink(&t->list[FLOW_LRU], t->link[FLOW_LRU], i);
	slot_list_unlink(&t->list[FLOW_ACT], t->link[FLOW_ACT], i);
	t->chain[i] = t->free_head;
	t->free_head = i;
	t->count--;
}

static void
flow_count(struct flow *f, uint32_t len, uint16_t tcp_flags, uint64_t now_ms)
{
	f->packets++;
	f->bytes += len;
	f->total_packets++;
	f->total_bytes += len;
	f->tcp_flags |= tcp_flags;
	f->last_ms = now_ms;
}

/* The fast path's counts of slot i merged in, when it carries the flow. */
static void
flow_refresh(struct flow_table *t, uint32_t i, bool last)
{
	if (t->refresh != NULL && t->flows[i].fast == FLOW_FAST_HANDED)
		t->refresh(t->refresh_arg, &t->flows[i], last);
}

/*
 * Slot i looks idle to the table; is it, now that the fast path has said
 * what it carried? A flow the fast path saw since has gone to the recent end
 * (flow_merge_fast). Such a flow may reach the head of the list later than
 * one seen after it by the table, which then waits behind it, less than
 * idle_ms more.
 */
static bool
flow_still_idle(struct flow_table *t, uint32_t i, uint64_t now_ms, uint64_t idle_ms)
{
	flow_refresh(t, i, false);
	if (elapsed(now_ms, t->flows[i].last_ms) < idle_ms)
		return false;
	flow_refresh(t, i, true);
	return true;
}

/* Time from then to now; 0 if the clock went back. */
static uint64_t
elapsed(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}
