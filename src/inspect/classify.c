/*
 * Application identification with nDPI. Every context lives in arrays
 * allocated by classifier_new: the nDPI flow state (an opaque block whose
 * size only the library knows), the key, a packet count and the time of the
 * last packet. Slot numbers thread a free list and an LRU list through them,
 * and an hmap indexes contexts by a seeded 64-bit hash of the key, so taking,
 * finding and releasing a context is O(1).
 *
 * Unlike the flow table, there are no hash chains: a context lives for a few
 * packets only, and a new conversation whose hash equals that of a different
 * one in progress is simply not classified (CLASSIFY_NO_CONTEXT), as when the
 * pool is full. Without the seed a device cannot aim for such a collision.
 *
 * nDPI itself may allocate small strings inside a flow (an HTTP URL, a TLS
 * server name); ndpi_free_flow_data returns them when the context is released.
 */
#include "inspect/classify.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <ndpi_api.h>

#include "core/hmap.h"
#include "inspect/slot_list.h"

#define CLASSIFY_NIL SLOT_NIL
/* Contexts released by one classifier_expire call, at most. */
#define CLASSIFY_EXPIRE_BUDGET 256
/* Shorter than this is not an IPv4 packet: nDPI never sees it. */
#define IPV4_MIN_LEN 20
/* nDPI takes the length as 16 bits. */
#define NDPI_MAX_LEN 65535

_Static_assert(sizeof(CLASSIFY_UNKNOWN) <= CLASSIFY_NAME_LEN, "CLASSIFY_UNKNOWN fits a name");

struct classify_ctx {
	struct classify_key key;
	uint64_t hash; /* of key, to unindex it */
	uint64_t last_ms;
	uint32_t packets;
};

struct classifier {
	struct ndpi_detection_module_struct *ndpi;
	struct classify_ctx *ctx;
	/* Per slot: LRU neighbours while in use; next links the free list otherwise. */
	struct slot_link *link;
	unsigned char *flows; /* max blocks of flow_size bytes: slot i's nDPI state */
	size_t flow_size;
	struct hmap *index; /* hash of key -> slot */
	uint32_t max, active;
	uint32_t free_head;
	struct slot_list lru; /* head: least recently seen */
	uint64_t seed;
};

static int classifier_alloc(struct classifier *);
static struct ndpi_detection_module_struct *ndpi_open(void);
static uint64_t key_hash(const struct classifier *, const struct classify_key *);
static bool key_eq(const struct classify_key *, const struct classify_key *);
static uint32_t ctx_get(struct classifier *, const struct classify_key *);
static void ctx_release(struct classifier *, uint32_t);
static struct ndpi_flow_struct *ctx_flow(const struct classifier *, uint32_t);
static bool detected(ndpi_protocol);
static void set_name(struct classifier *, ndpi_protocol, char *);
static uint64_t elapsed(uint64_t, uint64_t);

struct classifier *
classifier_new(uint32_t max_contexts)
{
	struct classifier *c;

	/* CLASSIFY_NIL marks the end of a list, so it cannot be a slot. */
	if (max_contexts == 0 || max_contexts == CLASSIFY_NIL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->max = max_contexts;
	if (classifier_alloc(c) < 0) {
		classifier_free(c);
		return NULL;
	}
	if (getrandom(&c->seed, sizeof(c->seed), GRND_NONBLOCK) < 0)
		c->seed = 0x9e3779b97f4a7c15ull;
	for (uint32_t i = 0; i < max_contexts; i++)
		c->link[i].next = i + 1 < max_contexts ? i + 1 : CLASSIFY_NIL;
	c->free_head = 0;
	slot_list_init(&c->lru);
	return c;
}

/*
 * Everything the classifier will ever use, at once. Flow blocks are rounded
 * up to the strictest alignment so that each one starts suitably aligned for
 * whatever nDPI keeps in it; calloc gives them the zeroed state nDPI expects
 * of a new flow.
 */
static int
classifier_alloc(struct classifier *c)
{
	size_t align = _Alignof(max_align_t);

	c->flow_size = (ndpi_detection_get_sizeof_ndpi_flow_struct() + align - 1) / align * align;
	c->ctx = calloc(c->max, sizeof(*c->ctx));
	c->link = calloc(c->max, sizeof(*c->link));
	c->flows = calloc(c->max, c->flow_size);
	c->index = hmap_new(c->max);
	c->ndpi = ndpi_open();
	if (c->ctx == NULL || c->link == NULL || c->flows == NULL || c->index == NULL ||
	    c->ndpi == NULL)
		return -1;
	return 0;
}

/* A detection module with every protocol nDPI knows enabled. */
static struct ndpi_detection_module_struct *
ndpi_open(void)
{
	struct ndpi_detection_module_struct *m = ndpi_init_detection_module(ndpi_no_prefs);
	NDPI_PROTOCOL_BITMASK all;

	if (m == NULL)
		return NULL;
	NDPI_BITMASK_SET_ALL(all);
	ndpi_set_protocol_detection_bitmask2(m, &all);
	ndpi_finalize_initialization(m);
	return m;
}

void
classifier_free(struct classifier *c)
{
	if (c == NULL)
		return;
	/* What nDPI allocated inside flows still in progress; the list is empty after a failed new.
	 */
	while (c->lru.head != CLASSIFY_NIL)
		ctx_release(c, c->lru.head);
	if (c->ndpi != NULL)
		ndpi_exit_detection_module(c->ndpi);
	hmap_free(c->index);
	free(c->flows);
	free(c->link);
	free(c->ctx);
	free(c);
}

/*
 * A packet too short for an IPv4 header is ignored: PENDING, no context is
 * taken or refreshed, and nDPI does not see it. On PENDING name is not
 * written.
 */
enum classify_result
classifier_packet(struct classifier *c, const struct classify_key *k, const uint8_t *pkt,
    size_t len, uint64_t now_ms, char name[CLASSIFY_NAME_LEN])
{
	struct classify_ctx *x;
	ndpi_protocol p;
	uint8_t guessed;
	uint32_t i;

	/*
	 * Only IPv4 of the conversation's own protocol reaches nDPI: nDPI 4.2
	 * frees a flow's TCP or UDP buffers by the protocol of the last packet
	 * it saw, so a packet of another protocol (or an IPv6 one) in the same
	 * context would leak what the first ones made nDPI allocate.
	 */
	if (len < IPV4_MIN_LEN || (pkt[0] >> 4) != 4 || pkt[9] != k->proto)
		return CLASSIFY_PENDING;
	if ((i = ctx_get(c, k)) == CLASSIFY_NIL) {
		memcpy(name, CLASSIFY_UNKNOWN, sizeof(CLASSIFY_UNKNOWN));
		return CLASSIFY_NO_CONTEXT;
	}
	x = &c->ctx[i];
	/* nDPI reads no further than the length it is given, so clip rather than wrap. */
	p = ndpi_detection_process_packet(c->ndpi, ctx_flow(c, i), pkt,
	    (uint16_t)(len > NDPI_MAX_LEN ? NDPI_MAX_LEN : len), now_ms);
	x->packets++;
	x->last_ms = now_ms;
	slot_list_unlink(&c->lru, c->link, i);
	slot_list_push(&c->lru, c->link, i);
	if (!detected(p)) {
		if (x->packets < CLASSIFY_MAX_PACKETS)
			return CLASSIFY_PENDING;
		/* Out of patience: nDPI may still guess from ports and addresses. */
		p = ndpi_detection_giveup(c->ndpi, ctx_flow(c, i), 1, &guessed);
	}
	set_name(c, p, name);
	ctx_release(c, i);
	return CLASSIFY_DONE;
}

/*
 * Runs between packet batches, so its work is bounded: at most
 * CLASSIFY_EXPIRE_BUDGET contexts, each O(1), and only the LRU head is
 * looked at; contexts still due are released by the next call. With a
 * clock that does not go back the list is ordered by last packet, so the
 * first context not due ends the walk.
 */
uint32_t
classifier_expire(struct classifier *c, uint64_t now_ms, uint64_t idle_ms)
{
	uint32_t n, i;

	for (n = 0; n < CLASSIFY_EXPIRE_BUDGET; n++) {
		i = c->lru.head;
		if (i == CLASSIFY_NIL || elapsed(now_ms, c->ctx[i].last_ms) < idle_ms)
			break;
		ctx_release(c, i);
	}
	return n;
}

uint32_t
classifier_active(const struct classifier *c)
{
	return c->active;
}

static uint64_t
key_hash(const struct classifier *c, const struct classify_key *k)
{
	uint64_t addrs = (uint64_t)k->device_be << 32 | k->peer_be;
	uint64_t rest = (uint64_t)k->device_port << 48 | (uint64_t)k->peer_port << 32 | k->proto;

	return hmap_mix64(hmap_mix64(addrs ^ c->seed) ^ rest);
}

/* Field by field: the struct's padding is not part of the key. */
static bool
key_eq(const struct classify_key *a, const struct classify_key *b)
{
	return a->device_be == b->device_be && a->peer_be == b->peer_be &&
	       a->device_port == b->device_port && a->peer_port == b->peer_port &&
	       a->proto == b->proto;
}

/*
 * The context of conversation k, taken from the free list if it has none;
 * CLASSIFY_NIL when none is free, or when another conversation holds one
 * under the same hash. The index cannot be full: it was sized for every
 * context and holds one entry per context in use.
 */
static uint32_t
ctx_get(struct classifier *c, const struct classify_key *k)
{
	uint64_t h = key_hash(c, k);
	uint32_t i;

	if (hmap_get(c->index, h, &i))
		return key_eq(&c->ctx[i].key, k) ? i : CLASSIFY_NIL;
	if ((i = c->free_head) == CLASSIFY_NIL)
		return CLASSIFY_NIL;
	c->free_head = c->link[i].next;
	memset(&c->ctx[i], 0, sizeof(c->ctx[i]));
	c->ctx[i].key = *k;
	c->ctx[i].hash = h;
	(void)hmap_put(c->index, h, i);
	slot_list_push(&c->lru, c->link, i);
	c->active++;
	return i;
}

/* Gives slot i back, its nDPI state zeroed as a new flow needs it. */
static void
ctx_release(struct classifier *c, uint32_t i)
{
	struct ndpi_flow_struct *f = ctx_flow(c, i);

	ndpi_free_flow_data(f);
	memset(f, 0, c->flow_size);
	(void)hmap_del(c->index, c->ctx[i].hash);
	slot_list_unlink(&c->lru, c->link, i);
	c->link[i].next = c->free_head;
	c->free_head = i;
	c->active--;
}

static struct ndpi_flow_struct *
ctx_flow(const struct classifier *c, uint32_t i)
{
	return (struct ndpi_flow_struct *)(void *)(c->flows + (size_t)i * c->flow_size);
}

static bool
detected(ndpi_protocol p)
{
	return p.app_protocol != NDPI_PROTOCOL_UNKNOWN ||
	       p.master_protocol != NDPI_PROTOCOL_UNKNOWN;
}

/* nDPI's name ("HTTP", "TLS.Google"), which it truncates to fit; CLASSIFY_UNKNOWN if none. */
static void
set_name(struct classifier *c, ndpi_protocol p, char *name)
{
	if (!detected(p))
		memcpy(name, CLASSIFY_UNKNOWN, sizeof(CLASSIFY_UNKNOWN));
	else
		ndpi_protocol2name(c->ndpi, p, name, CLASSIFY_NAME_LEN);
}

/* Time from then to now; 0 if the clock went back. */
static uint64_t
elapsed(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}
