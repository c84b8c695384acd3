/*
 * The sessions, as the daemon writes them into memory it shares with the
 * program (fwd/xdp_abi.h "slots", fwd/xdp_slots.c): found by TEID or by
 * address through an index, read whole under the slot's sequence count.
 * Whatever is being written at the moment is not found, and the packet
 * takes the socket path, which is always right. Included by vpgd_xdp.bpf.c
 * before anything that looks a session up.
 */
#ifndef VPGD_BPF_XDP_SLOTS_H
#define VPGD_BPF_XDP_SLOTS_H

/* Sized at load time (fwd/xdp_slots.c xdp_slots_size), with the index's mask. */
const volatile __u32 index_mask = 0;
/* The low bits of a fresh TEID that name its slot (core/session.h session_alloc). */
const volatile __u32 teid_slot_mask = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_slot);
} slots SEC(".maps");

/* Our TEIDs and the devices' addresses, each to its session's slot. */
struct xdp_index {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};
struct xdp_index teid_index SEC(".maps"), addr_index SEC(".maps");

/* The device subnet's first addresses, each to its session's slot (fwd/xdp_abi.h). */
const volatile __u32 addr_base = 0; /* host order */
const volatile __u32 addr_count = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32[2]);
} addr_slots SEC(".maps");

/* Keeps the compiler from moving reads across it: the sequence count brackets the copy. */
#define slot_barrier() asm volatile("" ::: "memory")

/* The slot an index holds key in; 0 when it holds none. */
static __always_inline __u32
index_find(void *index, __u32 key)
{
	__u32 pos = xdp_index_home(key) & index_mask;

	for (int i = 0; i < XDP_INDEX_PROBES; i++) {
		__u64 *e = bpf_map_lookup_elem(index, &pos);
		__u64 v;

		if (e == NULL)
			return 0;
		v = *(volatile __u64 *)e;
		if ((__u32)v == key)
			return (__u32)(v >> 32);
		if ((__u32)v == 0)
			return 0;
		pos = (pos + 1) & index_mask;
	}
	return 0;
}

/* A copy of slot idx, taken while nobody wrote it; 0 when there is none to take. */
static __always_inline int
slot_read(__u32 idx, struct xdp_session *out)
{
	struct xdp_slot *sl;
	volatile struct xdp_session *v;
	__u32 seq;

	if (idx == 0)
		return 0;
	sl = bpf_map_lookup_elem(&slots, &idx);
	if (sl == NULL)
		return 0;
	v = &sl->s;
	seq = *(volatile __u32 *)&sl->seq;
	slot_barrier();
	out->teid_be = v->teid_be;
	out->ip_be = v->ip_be;
	out->peer_teid_be = v->peer_teid_be;
	out->peer_addr_be = v->peer_addr_be;
	out->flags = v->flags;
	out->slot = idx;
	slot_barrier();
	return !(seq & 1) && *(volatile __u32 *)&sl->seq == seq && out->teid_be != 0;
}

/*
 * The session whose TEID (ours) this is: in the slot the TEID names, as
 * every fresh TEID does, or else (an explicit TEID) where the index says.
 */
static __always_inline int
session_by_teid(__u32 teid_be, struct xdp_session *out)
{
	if (slot_read(bpf_ntohl(teid_be) & teid_slot_mask, out) && out->teid_be == teid_be)
		return 1;
	return slot_read(index_find(&teid_index, teid_be), out) && out->teid_be == teid_be;
}

/* The slot of the device that has this address: addr_slots where it covers it, else the index. */
static __always_inline __u32
addr_slot(__u32 addr_be)
{
	__u32 off = bpf_ntohl(addr_be) - addr_base, pair;
	__u32 *two;

	if (off >= addr_count)
		return index_find(&addr_index, addr_be);
	pair = off / 2;
	two = bpf_map_lookup_elem(&addr_slots, &pair);
	return two != NULL ? *(volatile __u32 *)&two[off & 1] : 0;
}

/* The session of the device that has this address. */
static __always_inline int
session_by_addr(__u32 addr_be, struct xdp_session *out)
{
	return slot_read(addr_slot(addr_be), out) && out->ip_be == addr_be;
}

/* Does a device have this address? */
static __always_inline int
addr_taken(__u32 addr_be)
{
	return addr_slot(addr_be) != 0;
}

/*
 * The session's own counters, in its slot's cache line: atomic adds, since
 * a session's packets may come in on more than one CPU.
 */
static __always_inline void
count_session(const struct xdp_session *s, int up, __u64 bytes)
{
	__u32 slot = s->slot;
	struct xdp_slot *sl = bpf_map_lookup_elem(&slots, &slot);

	if (sl == NULL)
		return;
	if (up) {
		__sync_fetch_and_add(&sl->counted.up_packets, 1);
		__sync_fetch_and_add(&sl->counted.up_bytes, bytes);
	} else {
		__sync_fetch_and_add(&sl->counted.down_packets, 1);
		__sync_fetch_and_add(&sl->counted.down_bytes, bytes);
	}
}

#endif
