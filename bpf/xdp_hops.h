/*
 * The underlay's next hops, remembered per CPU for a moment. bpf_fib_lookup
 * walks the routing and neighbour tables for every packet, and took a
 * quarter of the fast path's time in the profile; for one peer's address
 * the answer is the same for every packet of a burst. So each CPU keeps the
 * last answer for (ingress interface, source, destination) in a small table
 * and asks the kernel again once the entry is XDP_HOP_TICKS clock ticks old
 * (2-20 ms, by the kernel's HZ): a route or neighbour change takes effect
 * within that time. A datagram longer than the entry was checked for asks
 * the kernel too, so that a smaller MTU is never missed. Included by
 * vpgd_xdp.bpf.c before next_hop.
 */
#ifndef VPGD_BPF_XDP_HOPS_H
#define VPGD_BPF_XDP_HOPS_H

/* Ticks of the kernel's clock (1-10 ms each): jiffies, which the verifier inlines. */
#define XDP_HOP_TICKS 2
#define XDP_HOP_WAYS 256

struct xdp_hop {
	__u32 src_be, dst_be;
	__u32 in_ifindex, out_ifindex;
	__u64 since; /* jiffies */
	__u16 max_len; /* the longest datagram the kernel allowed out: 0, an empty entry */
	__u8 smac[ETH_ALEN], dmac[ETH_ALEN];
	__u8 pad[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDP_HOP_WAYS);
	__type(key, __u32);
	__type(value, struct xdp_hop);
} hops SEC(".maps");

static __always_inline struct xdp_hop *
hop_entry(__u32 src_be, __u32 dst_be)
{
	__u32 way = mix32(dst_be ^ (src_be << 1)) & (XDP_HOP_WAYS - 1);

	return bpf_map_lookup_elem(&hops, &way);
}

/* The entry's answer, when it is for these addresses, still fresh and checked for len. */
static __always_inline int
hop_recalled(const struct xdp_hop *h, __u32 in_ifindex, __u32 src_be, __u32 dst_be, __u16 len,
    __u64 now)
{
	return h->max_len >= len && h->dst_be == dst_be && h->src_be == src_be &&
	       h->in_ifindex == in_ifindex && now - h->since < XDP_HOP_TICKS;
}

/* A successful lookup for a datagram of len octets, remembered. */
static __always_inline void
hop_remember(struct xdp_hop *h, const struct bpf_fib_lookup *fib, __u32 in_ifindex,
    __u32 src_be, __u32 dst_be, __u16 len, __u64 now)
{
	/* Any length: the entry is for these addresses, fresh, and not empty. */
	int same = hop_recalled(h, in_ifindex, src_be, dst_be, 1, now) &&
		   h->out_ifindex == fib->ifindex && mac_eq(h->dmac, fib->dmac);

	/*
	 * The same answer for a longer datagram widens the entry, not its age: what
	 * it allowed before was checked at since. Any other answer starts anew.
	 */
	if (same) {
		if (len > h->max_len)
			h->max_len = len;
		return;
	}
	h->src_be = src_be;
	h->dst_be = dst_be;
	h->in_ifindex = in_ifindex;
	h->out_ifindex = fib->ifindex;
	h->since = now;
	h->max_len = len;
	__builtin_memcpy(h->smac, fib->smac, ETH_ALEN);
	__builtin_memcpy(h->dmac, fib->dmac, ETH_ALEN);
}

#endif
