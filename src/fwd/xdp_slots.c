#include "fwd/xdp_slots.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "core/pow2.h"

/*
 * An index has at least two entries a session (half full when the table
 * is, a quarter or less mostly): short probe runs, so that a key
 * practically never misses its XDP_INDEX_PROBES places, in as few cache
 * lines as that allows.
 */
#define INDEX_ENTRIES_PER_SLOT 2

int
xdp_slots_geometry(uint32_t capacity, struct xdp_slots_geometry *g)
{
	uint64_t n = pow2_at_least(((uint64_t)capacity + 1) * INDEX_ENTRIES_PER_SLOT, 64);

	if (n > UINT32_MAX / 2)
		return -E2BIG;
	g->slots = capacity + 1;
	g->index_entries = (uint32_t)n;
	g->index_mask = (uint32_t)n - 1;
	g->addr_base = 0;
	g->addr_count = 0;
	return 0;
}

void
xdp_slots_geometry_subnet(struct xdp_slots_geometry *g, uint32_t net_be, uint8_t prefix)
{
	uint64_t size = 1ull << (32 - (prefix > 32 ? 32 : prefix));

	g->addr_base = ntohl(net_be) & (uint32_t) ~(size - 1);
	g->addr_count = size > XDP_ADDR_SLOTS_MAX ? XDP_ADDR_SLOTS_MAX : (uint32_t)size;
	/* Two addresses an array element (the program's lookup unit is 8 octets). */
	g->addr_count += g->addr_count & 1;
}

/* Elements of "addr_slots": at least one, as every map needs. */
static uint32_t
addr_slots_elements(const struct xdp_slots_geometry *g)
{
	return g->addr_count > 0 ? g->addr_count / 2 : 1;
}

int
xdp_slots_size(struct bpf_map *slots, struct bpf_map *teid_index, struct bpf_map *addr_index,
    struct bpf_map *addr_slots, const struct xdp_slots_geometry *g)
{
	int err = bpf_map__set_max_entries(slots, g->slots);

	if (err == 0)
		err = bpf_map__set_max_entries(teid_index, g->index_entries);
	if (err == 0)
		err = bpf_map__set_max_entries(addr_index, g->index_entries);
	if (err == 0)
		err = bpf_map__set_max_entries(addr_slots, addr_slots_elements(g));
	return err;
}

static void *
map_array(int fd, size_t bytes, size_t *len)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	*len = (bytes + (size_t)page - 1) / (size_t)page * (size_t)page;
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

int
xdp_slots_map(struct xdp_slots *t, const struct xdp_slots_geometry *g, int slots_fd, int teid_fd,
    int addr_fd, int addr_slots_fd)
{
	memset(t, 0, sizeof(*t));
	t->capacity = g->slots - 1;
	t->index_mask = g->index_mask;
	t->addr_base = g->addr_base;
	t->addr_count = g->addr_count;
	t->mapped = true;
	t->slots = map_array(slots_fd, (size_t)g->slots * sizeof(*t->slots), &t->len[0]);
	t->teid_index = map_array(teid_fd, (size_t)g->index_entries * sizeof(uint64_t), &t->len[1]);
	t->addr_index = map_array(addr_fd, (size_t)g->index_entries * sizeof(uint64_t), &t->len[2]);
	if (g->addr_count > 0)
		t->addr_slots =
		    map_array(addr_slots_fd, (size_t)g->addr_count * sizeof(uint32_t), &t->len[3]);
	if (t->slots == NULL || t->teid_index == NULL || t->addr_index == NULL ||
	    (g->addr_count > 0 && t->addr_slots == NULL)) {
		int err = -errno;

		xdp_slots_unmap(t);
		return err != 0 ? err : -ENOMEM;
	}
	return 0;
}

void
xdp_slots_unmap(struct xdp_slots *t)
{
	void *p[4] = { t->slots, t->teid_index, t->addr_index, t->addr_slots };

	for (int i = 0; i < 4 && t->mapped; i++)
		if (p[i] != NULL)
			munmap(p[i], t->len[i]);
	memset(t, 0, sizeof(*t));
}

static uint64_t
entry(uint32_t key, uint32_t slot)
{
	return (uint64_t)slot << 32 | key;
}

/* One store, so the program reads an entry's key and slot together. */
static void
index_store(uint64_t *index, uint32_t pos, uint64_t v)
{
	__atomic_store_n(&index[pos], v, __ATOMIC_RELEASE);
}

/*
 * Where key is, or the free place where it would go: the first entry of its
 * run within XDP_INDEX_PROBES that holds key or nothing. False when none does.
 */
static bool
index_probe(const struct xdp_slots *t, const uint64_t *index, uint32_t key, uint32_t *pos)
{
	uint32_t p = xdp_index_home(key) & t->index_mask;

	for (int i = 0; i < XDP_INDEX_PROBES; i++, p = (p + 1) & t->index_mask) {
		uint32_t k = (uint32_t)__atomic_load_n(&index[p], __ATOMIC_ACQUIRE);

		if (k == key || k == 0) {
			*pos = p;
			return true;
		}
	}
	return false;
}

uint32_t
xdp_slots_find(const struct xdp_slots *t, const uint64_t *index, uint32_t key)
{
	uint32_t pos;

	if (!index_probe(t, index, key, &pos) || (uint32_t)index[pos] != key)
		return 0;
	return (uint32_t)(index[pos] >> 32);
}

/* Key to slot: in its own place, or the first free one after its home. */
static bool
index_put(struct xdp_slots *t, uint64_t *index, uint32_t key, uint32_t slot)
{
	uint32_t pos;

	if (key == 0)
		return true; /* nothing to find it by (a session without an address yet) */
	if (!index_probe(t, index, key, &pos)) {
		t->index_full++;
		return false;
	}
	index_store(index, pos, entry(key, slot));
	return true;
}

/*
 * Key out, if it still names slot (another session may have taken the key
 * since). Linear probing's deletion without tombstones: every later entry
 * of the run that may sit in the hole moves back into it, copied before
 * the old place is reused, so that a reader finds it at one place or the
 * other, or for an instant at neither and passes the packet up.
 */
static void
index_del(struct xdp_slots *t, uint64_t *index, uint32_t key, uint32_t slot)
{
	uint32_t mask = t->index_mask, pos, hole, j;

	if (key == 0 || !index_probe(t, index, key, &pos) || index[pos] != entry(key, slot))
		return;
	hole = pos;
	for (j = (hole + 1) & mask; j != pos; j = (j + 1) & mask) {
		uint64_t v = index[j];
		uint32_t home;

		if ((uint32_t)v == 0)
			break;
		home = xdp_index_home((uint32_t)v) & mask;
		/* Movable when the hole lies between its home and where it is. */
		if (((j - hole) & mask) <= ((j - home) & mask)) {
			index_store(index, hole, v);
			hole = j;
		}
	}
	index_store(index, hole, 0);
}

/* Where addr_slots holds addr_be; NULL when it does not cover it, or for no address (0). */
static uint32_t *
addr_slot_of(const struct xdp_slots *t, uint32_t addr_be)
{
	uint32_t off = ntohl(addr_be) - t->addr_base;

	if (addr_be == 0 || t->addr_slots == NULL || off >= t->addr_count)
		return NULL;
	return &t->addr_slots[off];
}

static bool
addr_put(struct xdp_slots *t, uint32_t addr_be, uint32_t slot)
{
	uint32_t *a = addr_slot_of(t, addr_be);

	if (a == NULL)
		return index_put(t, t->addr_index, addr_be, slot);
	__atomic_store_n(a, slot, __ATOMIC_RELEASE);
	return true;
}

/* addr_be out, if it still names slot (another session may have taken it since). */
static void
addr_del(struct xdp_slots *t, uint32_t addr_be, uint32_t slot)
{
	uint32_t *a = addr_slot_of(t, addr_be);

	if (a == NULL)
		index_del(t, t->addr_index, addr_be, slot);
	else if (*a == slot)
		__atomic_store_n(a, 0, __ATOMIC_RELEASE);
}

uint32_t
xdp_slots_find_addr(const struct xdp_slots *t, uint32_t addr_be)
{
	const uint32_t *a = addr_slot_of(t, addr_be);

	return a != NULL ? __atomic_load_n(a, __ATOMIC_ACQUIRE)
			 : xdp_slots_find(t, t->addr_index, addr_be);
}

/* Under the slot's sequence count: odd while the entry is half written. */
static void
slot_write(struct xdp_slot *sl, const struct xdp_session *v)
{
	uint32_t seq = __atomic_load_n(&sl->seq, __ATOMIC_RELAXED);

	__atomic_store_n(&sl->seq, seq + 1, __ATOMIC_RELAXED);
	/* The odd count is out before any of the entry (the kernel's smp_wmb). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(&sl->s, v, sizeof(*v));
	__atomic_store_n(&sl->seq, seq + 2, __ATOMIC_RELEASE);
}

bool
xdp_slots_put(struct xdp_slots *t, const struct xdp_session *s)
{
	uint32_t slot = s->slot;
	struct xdp_session old;
	bool ok;

	if (slot == 0 || slot > t->capacity || s->teid_be == 0)
		return false;
	old = t->slots[slot].s;
	if (old.teid_be != s->teid_be)
		memset(&t->slots[slot].counted, 0, sizeof(t->slots[slot].counted));
	if (old.teid_be != s->teid_be)
		index_del(t, t->teid_index, old.teid_be, slot);
	if (old.ip_be != s->ip_be)
		addr_del(t, old.ip_be, slot);
	slot_write(&t->slots[slot], s);
	ok = index_put(t, t->teid_index, s->teid_be, slot);
	return addr_put(t, s->ip_be, slot) && ok;
}

void
xdp_slots_clear(struct xdp_slots *t, uint32_t slot)
{
	struct xdp_session old, empty = { 0 };

	if (slot == 0 || slot > t->capacity)
		return;
	old = t->slots[slot].s;
	if (old.teid_be == 0)
		return;
	slot_write(&t->slots[slot], &empty);
	index_del(t, t->teid_index, old.teid_be, slot);
	addr_del(t, old.ip_be, slot);
}

void
xdp_slots_counted(const struct xdp_slots *t, uint32_t slot, struct xdp_session_counters *out)
{
	const struct xdp_session_counters *c;

	memset(out, 0, sizeof(*out));
	if (slot == 0 || slot > t->capacity)
		return;
	c = &t->slots[slot].counted;
	out->up_packets = __atomic_load_n(&c->up_packets, __ATOMIC_RELAXED);
	out->up_bytes = __atomic_load_n(&c->up_bytes, __ATOMIC_RELAXED);
	out->down_packets = __atomic_load_n(&c->down_packets, __ATOMIC_RELAXED);
	out->down_bytes = __atomic_load_n(&c->down_bytes, __ATOMIC_RELAXED);
}
