/*
 * Device to device, the LANs behind devices and the routing filter's hits,
 * as the socket path decides them (fwd/uplink.c, fwd/gate.c,
 * core/session.c session_find_dest_held, fwd/pdr.c pdr_owns_address).
 * Included by vpgd_xdp.bpf.c after its maps and header writers.
 */
#ifndef VPGD_BPF_XDP_ROUTE_H
#define VPGD_BPF_XDP_ROUTE_H

/* The session table's routes (core/session.h), longest prefix first as there. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096); /* SESSION_MAX_ROUTES */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xdp_route_key);
	__type(value, struct xdp_route);
} routes SEC(".maps");

/* What XDP forwarded, by the routing filter rule that matched it; the daemon adds it up. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDP_FILTER_MAX_RULES);
	__type(key, __u32);
	__type(value, __u64);
} filter_hits SEC(".maps");

#define XDP_NO_RULE 0xffffffffu

static __always_inline void
count_filter_hit(__u32 rule)
{
	__u64 *c;

	if (rule == XDP_NO_RULE)
		return;
	c = bpf_map_lookup_elem(&filter_hits, &rule);
	if (c != NULL)
		*c += 1;
}

/*
 * The session a packet for addr goes to: the device that has the address,
 * else the owner of the longest route holding it. *routed says a route
 * held it: NULL then means a route held for a device not attached, or an
 * owner whose entry is not in yet, both the socket path's to judge.
 */
static __always_inline int
route_dest(const struct xdp_conf *cf, __u32 addr, int *routed, struct xdp_session *out)
{
	struct xdp_route_key k = { .prefixlen = 32, .addr_be = addr };
	struct xdp_route *r;

	*routed = 0;
	if (session_by_addr(addr, out))
		return 1;
	if (!(cf->flags & XDP_CONF_ROUTES))
		return 0;
	r = bpf_map_lookup_elem(&routes, &k);
	if (r == NULL)
		return 0;
	*routed = 1;
	return r->teid_be != 0 && session_by_teid(r->teid_be, out);
}

/*
 * Anti-spoofing: the device's own address, or one of a LAN routed to its
 * session that no device holds itself.
 */
static __always_inline int
source_owned(const struct xdp_conf *cf, const struct xdp_session *s, __u32 src)
{
	struct xdp_route_key k = { .prefixlen = 32, .addr_be = src };
	struct xdp_route *r;

	if (src == s->ip_be)
		return 1;
	if (!(cf->flags & XDP_CONF_ROUTES) || addr_taken(src))
		return 0;
	r = bpf_map_lookup_elem(&routes, &k);
	return r != NULL && r->teid_be == s->teid_be;
}

/* RFC 1624 as Linux's ip_decrease_ttl: the checksum follows the TTL's fall by one. */
static __always_inline void
ttl_decrement(struct iphdr *ip)
{
	__u32 check = (__u32)ip->check + (__u32)bpf_htons(0x0100);

	ip->check = (__u16)(check + (check >= 0xffff));
	ip->ttl--;
}

/*
 * Device to device (fwd/uplink.c to_device): routed through the gateway, so
 * the TTL drops by one, and the G-PDU leaves in the other session's tunnel:
 * the GTP-U header rewritten in place (its 4 optional octets, when there,
 * cut). What the socket path would drop and count (the privacy separator,
 * an expiring TTL) or treat apart (a session of its own) goes up to it.
 */
static __always_inline int
to_device(struct xdp_md *ctx, const struct xdp_conf *cf, const struct xdp_session *from,
    const struct xdp_session *dst, struct iphdr *in, int opt, __u32 rule)
{
	__u16 in_len = bpf_ntohs(in->tot_len), udp_len;
	__u32 peer_teid = dst->peer_teid_be, peer_addr = dst->peer_addr_be;
	struct bpf_fib_lookup fib;

	if (cf->flags & XDP_CONF_PRIVACY_SEPARATOR)
		return pass(XDP_CTR_PASSED_DECISION);
	/* Inspection counts device to device on the socket path, both directions at once. */
	if (cf->flags & XDP_CONF_INSPECT)
		return pass(XDP_CTR_PASSED_INSPECTION);
	if (dst->flags & XDP_SESSION_F_SLOW)
		return pass(XDP_CTR_PASSED_SLOW_PATH);
	if (peer_teid == 0 || in->ttl <= 1)
		return pass(XDP_CTR_PASSED_DECISION);
	udp_len = sizeof(struct udphdr) + sizeof(struct gtpu_hdr) + in_len;
	if (!next_hop(ctx, cf->gtpu_be, peer_addr, udp_len + sizeof(struct iphdr), &fib))
		return pass(XDP_CTR_PASSED_NO_NEIGHBOR);
	ttl_decrement(in);
	if (opt > 0 && bpf_xdp_adjust_head(ctx, opt) < 0) {
		count(XDP_CTR_DROPPED_HEADROOM, 1);
		return XDP_DROP;
	}
	if (write_gtpu(ctx, in_len, peer_teid) < 0 ||
	    write_outer(ctx, &fib, cf->gtpu_be, peer_addr, GTPU_PORT, GTPU_PORT, udp_len) < 0)
		return XDP_DROP;
	count(XDP_CTR_UPLINK_PACKETS, 1);
	count(XDP_CTR_UPLINK_BYTES, in_len);
	count_session(from, 1, in_len);
	count_filter_hit(rule);
	count(XDP_CTR_DEVICE_TO_DEVICE_PACKETS, 1);
	count(XDP_CTR_DOWNLINK_PACKETS, 1);
	count(XDP_CTR_DOWNLINK_BYTES, in_len);
	count_session(dst, 0, in_len);
	return transmit(ctx, fib.ifindex);
}

#endif
