/*
 * The gate's neighbour table kept true while XDP carries the traffic
 * (fwd/gate.c learns MACs and confirms neighbours from what the socket path
 * sees). A gate frame is taken only from a sender the table already holds:
 * its source address a resolved neighbour with that MAC behind that peer,
 * or, for what a peer routes, the peer's own MAC; anything else goes up so
 * that user space learns it (mac_learn, glean). What XDP took from a
 * neighbour and sent to one is stamped in its entry, and the daemon folds
 * the stamps into the table before it ages (fwd/xdp_neigh.c). Included by
 * vpgd_xdp.bpf.c after its maps.
 */
#ifndef VPGD_BPF_XDP_NEIGH_H
#define VPGD_BPF_XDP_NEIGH_H

/* A stamp costs a write to a shared line: at most one each 100 ms is enough for ageing. */
#define XDP_STAMP_NS 100000000ull

/* The coarse clock of this CPU's current tick: read once a tick, not once a packet. */
struct xdp_tick {
	__u64 jiffies, coarse_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_tick);
} tick SEC(".maps");

/*
 * bpf_ktime_get_coarse_ns, which moves only when the tick moves jiffies:
 * the helper call cost as much as a map lookup a packet in the profile,
 * jiffies (inlined by the verifier) almost nothing.
 */
static __always_inline __u64
coarse_now(void)
{
	__u32 zero = 0;
	struct xdp_tick *t = bpf_map_lookup_elem(&tick, &zero);
	__u64 j = bpf_jiffies64();

	if (t == NULL)
		return bpf_ktime_get_coarse_ns();
	if (t->jiffies != j) {
		t->jiffies = j;
		t->coarse_ns = bpf_ktime_get_coarse_ns();
	}
	return t->coarse_ns;
}

static __always_inline void
stamp(__u64 *at)
{
	__u64 now = coarse_now();

	if (now - *at >= XDP_STAMP_NS)
		*at = now;
}

static __always_inline int
sender_is(const struct xdp_neighbor *nb, __u32 outer, const __u8 *mac)
{
	return nb->outer_be == outer && mac_eq(nb->mac, mac);
}

/* The neighbour a gate frame comes from, as the table has it; NULL: user space must see it. */
static __always_inline struct xdp_neighbor *
known_sender(__u32 outer, const struct ethhdr *ie, const struct iphdr *in)
{
	__u32 src = in->saddr, *inner;
	struct xdp_neighbor *nb = bpf_map_lookup_elem(&neighbors, &src);

	if (nb != NULL)
		return sender_is(nb, outer, ie->h_source) ? nb : NULL;
	inner = bpf_map_lookup_elem(&peers, &outer);
	if (inner == NULL)
		return NULL;
	nb = bpf_map_lookup_elem(&neighbors, inner);
	return nb != NULL && sender_is(nb, outer, ie->h_source) ? nb : NULL;
}

#endif
