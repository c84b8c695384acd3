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

static __always_inline void
stamp(__u64 *at)
{
	__u64 now = bpf_ktime_get_coarse_ns();

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
