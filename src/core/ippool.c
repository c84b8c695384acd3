#include "core/ippool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct map_slot {
	char imsi[16]; /* empty string: free slot */
	uint32_t addr; /* host order */
};

struct ippool {
	uint32_t net;	  /* host order */
	uint32_t size;	  /* addresses in the subnet */
	uint32_t gateway; /* host order */
	uint32_t words;
	uint64_t *assigned; /* given to a session */
	uint64_t *held;	    /* not for dynamic use: subnet ends, gateway, mapped */
	uint32_t cursor;    /* next-fit position, in words */
	uint32_t n_assigned;
	struct map_slot *map; /* open addressing, linear probing */
	uint32_t map_cap;     /* power of two */
	uint32_t map_count;
};

static bool
bit_get(const uint64_t *bits, uint32_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

static void
bit_set(uint64_t *bits, uint32_t i, bool on)
{
	if (on)
		bits[i / 64] |= UINT64_C(1) << (i % 64);
	else
		bits[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

/* The offset of addr in the subnet, or -1 when it lies outside. */
static int64_t
offset_of(const struct ippool *p, uint32_t addr_be)
{
	uint32_t off = ntohl(addr_be) - p->net;

	return off < p->size ? (int64_t)off : -1;
}

static bool
never_assignable(const struct ippool *p, uint32_t off)
{
	return off == 0 || off == p->size - 1 || off == p->gateway - p->net;
}

struct ippool *
ippool_new(uint32_t net_be, uint8_t prefix, uint32_t gateway_be)
{
	struct ippool *p;

	if (prefix < 8 || prefix > 30)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->net = ntohl(net_be);
	p->size = UINT32_C(1) << (32 - prefix);
	p->gateway = ntohl(gateway_be);
	p->words = (p->size + 63) / 64;
	p->assigned = calloc(p->words, sizeof(uint64_t));
	p->held = calloc(p->words, sizeof(uint64_t));
	p->map_cap = 64;
	p->map = calloc(p->map_cap, sizeof(*p->map));
	if (p->assigned == NULL || p->held == NULL || p->map == NULL) {
		ippool_free(p);
		return NULL;
	}
	/* Bits past the end of a small subnet's only word count as held. */
	for (uint32_t i = p->size; i < p->words * 64; i++)
		bit_set(p->held, i, true);
	bit_set(p->held, 0, true);
	bit_set(p->held, p->size - 1, true);
	if (offset_of(p, gateway_be) >= 0)
		bit_set(p->held, p->gateway - p->net, true);
	return p;
}

void
ippool_free(struct ippool *p)
{
	if (p == NULL)
		return;
	free(p->assigned);
	free(p->held);
	free(p->map);
	free(p);
}

/* FNV-1a: IMSIs are short digit strings, and the table is control-plane only. */
static uint32_t
imsi_hash(const char *imsi)
{
	uint32_t h = 2166136261u;

	for (; *imsi != '\0'; imsi++)
		h = (h ^ (uint8_t)*imsi) * 16777619u;
	return h;
}

static struct map_slot *
map_lookup(const struct ippool *p, const char *imsi)
{
	uint32_t mask = p->map_cap - 1;

	for (uint32_t i = imsi_hash(imsi) & mask;; i = (i + 1) & mask) {
		if (p->map[i].imsi[0] == '\0' || strcmp(p->map[i].imsi, imsi) == 0)
			return &p->map[i];
	}
}

static int
map_grow(struct ippool *p)
{
	struct map_slot *old = p->map;
	uint32_t old_cap = p->map_cap;

	p->map = calloc(old_cap * 2, sizeof(*p->map));
	if (p->map == NULL) {
		p->map = old;
		return -ENOMEM;
	}
	p->map_cap = old_cap * 2;
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].imsi[0] != '\0')
			*map_lookup(p, old[i].imsi) = old[i];
	free(old);
	return 0;
}

int
ippool_map_check(const struct ippool *p, const char *imsi, uint32_t addr_be)
{
	int64_t off = offset_of(p, addr_be);
	const struct map_slot *slot;

	/* An empty key is how a free slot looks: it would hold the address for ever. */
	if (off < 0 || never_assignable(p, (uint32_t)off) || imsi[0] == '\0' ||
	    strlen(imsi) >= sizeof(slot->imsi))
		return -EINVAL;
	slot = map_lookup(p, imsi);
	if (slot->imsi[0] != '\0' && slot->addr == ntohl(addr_be))
		return 1;
	/* Held and not a subnet end or the gateway: another IMSI maps it. */
	if (bit_get(p->held, (uint32_t)off))
		return -EEXIST;
	if (bit_get(p->assigned, (uint32_t)off))
		return -EBUSY;
	return 0;
}

int
ippool_map_set(struct ippool *p, const char *imsi, uint32_t addr_be)
{
	int rc = ippool_map_check(p, imsi, addr_be);
	struct map_slot *slot;

	if (rc != 0)
		return rc < 0 ? rc : 0;
	slot = map_lookup(p, imsi);
	if (slot->imsi[0] == '\0' && (p->map_count + 1) * 4 > p->map_cap * 3) {
		if (map_grow(p) < 0)
			return -ENOMEM;
		slot = map_lookup(p, imsi);
	}
	if (slot->imsi[0] != '\0')
		bit_set(p->held, slot->addr - p->net, false);
	else
		p->map_count++;
	strcpy(slot->imsi, imsi);
	slot->addr = ntohl(addr_be);
	bit_set(p->held, ntohl(addr_be) - p->net, true);
	return 0;
}

int
ippool_hold(struct ippool *p, uint32_t addr_be)
{
	int64_t off = offset_of(p, addr_be);

	if (off < 0 || never_assignable(p, (uint32_t)off))
		return -EINVAL;
	if (bit_get(p->held, (uint32_t)off))
		return -EEXIST;
	if (bit_get(p->assigned, (uint32_t)off))
		return -EBUSY;
	bit_set(p->held, (uint32_t)off, true);
	return 0;
}

void
ippool_unhold(struct ippool *p, uint32_t addr_be)
{
	int64_t off = offset_of(p, addr_be);

	if (off >= 0 && !never_assignable(p, (uint32_t)off))
		bit_set(p->held, (uint32_t)off, false);
}

/* Backward-shift deletion keeps every probe chain unbroken without tombstones. */
static void
map_remove_slot(struct ippool *p, struct map_slot *slot)
{
	uint32_t mask = p->map_cap - 1;
	uint32_t hole = (uint32_t)(slot - p->map);

	for (uint32_t i = (hole + 1) & mask; p->map[i].imsi[0] != '\0'; i = (i + 1) & mask) {
		uint32_t home = imsi_hash(p->map[i].imsi) & mask;

		if (((i - home) & mask) >= ((i - hole) & mask)) {
			p->map[hole] = p->map[i];
			hole = i;
		}
	}
	p->map[hole].imsi[0] = '\0';
	p->map_count--;
}

int
ippool_map_del(struct ippool *p, const char *imsi)
{
	struct map_slot *slot = map_lookup(p, imsi);

	if (slot->imsi[0] == '\0')
		return -ENOENT;
	bit_set(p->held, slot->addr - p->net, false);
	map_remove_slot(p, slot);
	return 0;
}

int
ippool_map_get(const struct ippool *p, const char *imsi, uint32_t *addr_be)
{
	const struct map_slot *slot = map_lookup(p, imsi);

	if (slot->imsi[0] == '\0')
		return -ENOENT;
	*addr_be = htonl(slot->addr);
	return 0;
}

size_t
ippool_map_count(const struct ippool *p)
{
	return p->map_count;
}

/*
 * Next fit over 64-address words: amortised O(1) while the pool has room,
 * O(subnet / 64) in the worst case when it is nearly full. Attach is control
 * plane, so that bound is acceptable.
 */
static int
assign_dynamic(struct ippool *p, uint32_t *off)
{
	for (uint32_t n = 0; n < p->words; n++) {
		uint32_t w = (p->cursor + n) % p->words;
		uint64_t taken = p->assigned[w] | p->held[w];

		if (taken == UINT64_MAX)
			continue;
		p->cursor = w;
		*off = w * 64 + (uint32_t)__builtin_ctzll(~taken);
		return 0;
	}
	return -ENOSPC;
}

int
ippool_assign(struct ippool *p, const char *imsi, uint32_t *addr_be)
{
	uint32_t mapped, off;

	if (ippool_map_get(p, imsi, &mapped) == 0) {
		off = ntohl(mapped) - p->net;
		if (bit_get(p->assigned, off))
			return -EBUSY;
	} else if (assign_dynamic(p, &off) < 0) {
		return -ENOSPC;
	}
	bit_set(p->assigned, off, true);
	p->n_assigned++;
	*addr_be = htonl(p->net + off);
	return 0;
}

int
ippool_claim(struct ippool *p, const char *imsi, uint32_t addr_be)
{
	int64_t off = offset_of(p, addr_be);
	const struct map_slot *own = map_lookup(p, imsi);

	if (off < 0 || never_assignable(p, (uint32_t)off))
		return -EINVAL;
	/* Held: a gate peer's, or mapped to an IMSI; only that IMSI may have it. */
	if (bit_get(p->held, (uint32_t)off) &&
	    (imsi[0] == '\0' || own->imsi[0] == '\0' || own->addr != ntohl(addr_be)))
		return -EEXIST;
	if (bit_get(p->assigned, (uint32_t)off))
		return -EBUSY;
	bit_set(p->assigned, (uint32_t)off, true);
	p->n_assigned++;
	return 0;
}

void
ippool_release(struct ippool *p, uint32_t addr_be)
{
	int64_t off = offset_of(p, addr_be);

	if (off < 0 || !bit_get(p->assigned, (uint32_t)off))
		return;
	bit_set(p->assigned, (uint32_t)off, false);
	p->n_assigned--;
}

bool
ippool_is_assigned(const struct ippool *p, uint32_t addr_be)
{
	int64_t off = offset_of(p, addr_be);

	return off >= 0 && bit_get(p->assigned, (uint32_t)off);
}

uint32_t
ippool_assigned_count(const struct ippool *p)
{
	return p->n_assigned;
}

uint32_t
ippool_capacity(const struct ippool *p)
{
	bool gw_inside = p->gateway - p->net < p->size;

	return p->size - 2 - (gw_inside ? 1 : 0);
}
