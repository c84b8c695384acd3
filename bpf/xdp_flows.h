/*
 * Junction Inspection in XDP: the flows Inspection has handed over, counted
 * here. A flow's first packets go up to the socket path, where nDPI names
 * it; once Inspection is done with it (named, or nDPI gave up) the daemon
 * puts the flow in "flows" (fwd/xdp_flows.c), and from then on XDP forwards
 * its packets and counts them in the entry. While Inspection is on
 * (XDP_CONF_INSPECT), a packet of a flow not in the map goes up.
 *
 * Included by bpf/vpgd_xdp.bpf.c after its counters: static inline
 * functions and the map only.
 */
#ifndef VPG_BPF_XDP_FLOWS_H
#define VPG_BPF_XDP_FLOWS_H

/*
 * One entry per flow and direction, as Inspection's table has them, so that
 * an entry lives exactly as long as its flow: put there when Inspection
 * hands the flow over, removed (with its last counts read) when the flow
 * ends. LRU, so that an entry the daemon failed to remove cannot hold its
 * slot for ever; the daemon keeps the map well below its size, and a flow
 * whose entry was evicted anyway is counted when the daemon next looks
 * (inspection_xdp_flows_lost).
 *
 * Shared values updated with atomic adds, not per-CPU ones: one direction
 * of a flow comes in through one receive queue, so its entry is rarely
 * written by two CPUs at once, and per-CPU values would cost the map's size
 * times the number of CPUs in memory and in every read the daemon makes.
 */
/* max_entries: set at load from Inspection's maxFlows (xdp_flows_map_entries). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct xdp_flow_key);
	__type(value, struct xdp_flow_stats);
} flows SEC(".maps");

/*
 * The key of a plain IPv4 packet (no options, no fragment: checked by the
 * caller) of in_len octets, made as inspect.c's key_of makes it: the ports
 * of TCP, UDP and SCTP, ICMP's type and code where the destination port
 * goes; and TCP's flags word (RFC 7125). Every read is inside both in_len
 * and the frame.
 */
static __always_inline void
flow_key_of(const struct iphdr *in, __u16 in_len, void *end, __u8 dir, struct xdp_flow_key *k,
    __u64 *tcp_flags)
{
	const __u8 *l4 = (const __u8 *)(in + 1);
	__u32 l4_len = in_len - sizeof(*in);
	__u8 proto = in->protocol;

	__builtin_memset(k, 0, sizeof(*k));
	k->saddr_be = in->saddr;
	k->daddr_be = in->daddr;
	k->proto = proto;
	k->dir = dir;
	*tcp_flags = 0;
	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP) &&
	    l4_len >= 4 && (void *)(l4 + 4) <= end) {
		__builtin_memcpy(&k->sport_be, l4, 2);
		__builtin_memcpy(&k->dport_be, l4 + 2, 2);
	} else if (proto == IPPROTO_ICMP && l4_len >= 2 && (void *)(l4 + 2) <= end) {
		__builtin_memcpy(&k->dport_be, l4, 2);
	}
	if (proto == IPPROTO_TCP && l4_len >= 14 && (void *)(l4 + 14) <= end)
		*tcp_flags = (__u64)(l4[12] & 0x0f) << 8 | l4[13];
}

/*
 * May XDP carry this packet? Yes while Inspection is off (*fl NULL), or when
 * its flow was handed over (*fl its entry, to count it in once the packet is
 * on its way); no (the packet goes up, counted) while the flow is
 * Inspection's.
 */
static __always_inline int
flow_may_carry(const struct xdp_conf *cf, const struct iphdr *in, __u16 in_len, void *end, __u8 dir,
    struct xdp_flow_stats **fl, __u64 *tcp_flags)
{
	struct xdp_flow_key k;

	*fl = NULL;
	*tcp_flags = 0;
	if (!(cf->flags & XDP_CONF_INSPECT))
		return 1;
	flow_key_of(in, in_len, end, dir, &k, tcp_flags);
	*fl = bpf_map_lookup_elem(&flows, &k);
	if (*fl == NULL) {
		count(XDP_CTR_PASSED_INSPECTION, 1);
		return 0;
	}
	return 1;
}

/* One packet of len octets carried for a handed-over flow; fl NULL: Inspection is off. */
static __always_inline void
flow_count(struct xdp_flow_stats *fl, __u16 len, __u64 tcp_flags)
{
	if (fl == NULL)
		return;
	__sync_fetch_and_add(&fl->packets, 1);
	__sync_fetch_and_add(&fl->bytes, len);
	/* Flags only ever join: the atomic only when one is new to the entry. */
	if (tcp_flags & ~fl->tcp_flags)
		__sync_fetch_and_or(&fl->tcp_flags, tcp_flags);
	/* Racing CPUs write times nanoseconds apart: a plain store is exact enough. */
	fl->last_ns = bpf_ktime_get_ns();
	count(XDP_CTR_INSPECTED_PACKETS, 1);
}

#endif
