/*
 * vpgd's fast path: the common packet, forwarded in XDP on the interfaces
 * that carry GTP-U and VXLAN. Everything else goes up to the socket path
 * untouched (XDP_PASS), so the two paths never disagree on policy: the
 * daemon owns the tables and mirrors them into the maps below
 * (fwd/xdp.c), and this program only reads them.
 *
 * - uplink: a G-PDU (TS 29.281 §5.1: version 1, PT 1, no extension header but
 *   a UPF session's PDU Session Container) to our GTP-U address for a known
 *   TEID -> its PDR and QER gate (xdp_upf.h) -> anti-spoofing -> routing
 *   filter -> another device or the LAN behind one (GTP-U to that session's
 *   peer F-TEID, bpf/xdp_route.h), Junction Redirection or the gate peer that
 *   has the destination -> VXLAN (RFC 7348) pushed in place, out through the
 *   underlay's next hop.
 * - downlink: a VXLAN frame from a registered peer, our VNI, to our MAC,
 *   IPv4 for a device or the LAN behind one -> GTP-U to the session's peer
 *   F-TEID (a UPF session's: its QER gate and MBR, the QFI in a PDU Session
 *   Container).
 *
 * Passed up: fragments, IP options, the gateway's own address, unknown
 * TEIDs (Error Indication), GTP-U other than a plain G-PDU, ARP and
 * broadcast, neighbours not yet resolved, routed egress, the LAN of a
 * device not attached, device to device under the privacy separator or
 * with an expiring TTL, a routing filter's denial (the socket path answers
 * it by ICMP), sessions marked slow (XDP_SESSION_F_SLOW), everything while
 * Mirroring is on (XDP_CONF_SLOW_ALL), and while Inspection is on the
 * packets of flows it has not handed over yet (bpf/xdp_flows.h).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "fwd/xdp_abi.h"

#define AF_INET	   2
#define GTPU_PORT  2152
#define VXLAN_PORT 4789
#define GTPU_GPDU  255
#define GTPU_V1_PT 0x30 /* version 1, protocol type GTP, no E, S or PN */
#define GTPU_S	   0x02
#define GTPU_PN	   0x01
#define VXLAN_I	   0x08
#define IP_MF	   0x2000
#define IP_OFFSET  0x1fff
#define IP_DF	   0x4000

/* Outer Ethernet + IPv4 + UDP: what both encapsulations start with. */
#define OUTER_LEN (sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr))

struct gtpu_hdr {
	__u8 flags;
	__u8 type;
	__be16 len; /* octets after the first 8 (TS 29.281 §5.1) */
	__be32 teid;
};

struct vxlan_hdr {
	__be32 flags; /* I bit and reserved */
	__be32 vni;   /* VNI in the top 24 bits, the last octet reserved */
};

/* Gate peers by outer address: the inner address they registered. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u32);
} peers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct xdp_neighbor);
} neighbors SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xdp_filter_key);
	__type(value, struct xdp_filter_value);
} filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_conf);
} conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_counters);
} counters SEC(".maps");

/* The interfaces vpgd is attached to, by ifindex: where XDP_REDIRECT may send. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

static __always_inline void
count(__u32 idx, __u64 n)
{
	__u32 zero = 0;
	struct xdp_counters *c = bpf_map_lookup_elem(&counters, &zero);

	if (c != NULL && idx < XDP_CTR__COUNT)
		c->c[idx] += n;
}

static __always_inline int
pass(__u32 why)
{
	count(why, 1);
	return XDP_PASS;
}

#include "xdp_slots.h"
#include "xdp_flows.h"

/* RFC 1071 over the 20 octets of an IPv4 header without options. */
static __always_inline __u16
ipv4_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < (int)(sizeof(*ip) / 2); i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* An IPv4 header whose length says exactly what follows it: no options, no fragment. */
static __always_inline int
plain_ipv4(const struct iphdr *ip, __u64 len_left)
{
	if (ip->version != 4 || ip->ihl != 5)
		return 0;
	if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return 0;
	return bpf_ntohs(ip->tot_len) >= sizeof(*ip) && bpf_ntohs(ip->tot_len) <= len_left;
}

static __always_inline int
mac_eq(const __u8 *a, const __u8 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] &&
	       a[5] == b[5];
}

static __always_inline __u64
mix64(__u64 h)
{
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

/*
 * The VXLAN source port of an inner IPv4 flow, the socket path's own
 * (proto/vxlan.c vxlan_flow_port): one flow keeps one port whichever path
 * carries it (RFC 7348 §5).
 */
static __always_inline __u16
flow_port(const struct iphdr *ip, void *end)
{
	const __u8 *l4 = (const __u8 *)(ip + 1);
	__u32 ports = 0;
	__u64 h;

	if ((ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP ||
		ip->protocol == IPPROTO_SCTP) &&
	    (void *)(l4 + 4) <= end)
		ports = (__u32)l4[0] << 24 | (__u32)l4[1] << 16 | (__u32)l4[2] << 8 | l4[3];
	h = mix64(((__u64)bpf_ntohl(ip->saddr) << 32 | bpf_ntohl(ip->daddr)) ^
		  mix64((__u64)ports << 8 | ip->protocol));
	return (__u16)(49152 + (((h >> 32) * 16384) >> 32));
}

#include "xdp_hops.h"

/*
 * The underlay's next hop for dst, and the port it leaves by; 0 when XDP
 * cannot send there. Only fib's ifindex, smac and dmac are filled in.
 */
static __always_inline int
next_hop(struct xdp_md *ctx, __u32 src_be, __u32 dst_be, __u16 len, struct bpf_fib_lookup *fib)
{
	__u32 in = ctx->ingress_ifindex, out;
	__u64 now = bpf_jiffies64();
	struct xdp_hop *h = hop_entry(src_be, dst_be);

	if (h != NULL && hop_recalled(h, in, src_be, dst_be, len, now)) {
		fib->ifindex = h->out_ifindex;
		__builtin_memcpy(fib->smac, h->smac, ETH_ALEN);
		__builtin_memcpy(fib->dmac, h->dmac, ETH_ALEN);
		return 1;
	}
	__builtin_memset(fib, 0, sizeof(*fib));
	fib->family = AF_INET;
	fib->ipv4_src = src_be;
	fib->ipv4_dst = dst_be;
	fib->tot_len = len;
	fib->ifindex = in;
	if (bpf_fib_lookup(ctx, fib, sizeof(*fib), 0) != BPF_FIB_LKUP_RET_SUCCESS)
		return 0;
	out = fib->ifindex;
	if (out != in && bpf_map_lookup_elem(&tx_ports, &out) == NULL)
		return 0;
	if (h != NULL)
		hop_remember(h, fib, in, src_be, dst_be, len, now);
	return 1;
}

static __always_inline int
transmit(struct xdp_md *ctx, __u32 ifindex)
{
	if (ifindex == ctx->ingress_ifindex) {
		count(XDP_CTR_TX_SAME_INTERFACE, 1);
		return XDP_TX;
	}
	count(XDP_CTR_TX_REDIRECTED, 1);
	return bpf_redirect_map(&tx_ports, ifindex, 0);
}

/*
 * Outer Ethernet, IPv4 and UDP for a datagram of udp_len octets to dst_be,
 * at the start of the packet. Not to fib->ipv4_dst: behind a gateway route,
 * bpf_fib_lookup leaves the next hop's address there.
 */
static __always_inline int
write_outer(struct xdp_md *ctx, const struct bpf_fib_lookup *fib, __u32 src_be, __u32 dst_be,
    __u16 sport, __u16 dport, __u16 udp_len)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);

	if ((void *)(udp + 1) > end)
		return -1;
	__builtin_memcpy(eth->h_dest, fib->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib->smac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tos = 0;
	ip->tot_len = bpf_htons(udp_len + sizeof(*ip));
	/* RFC 6864 §4.1: an atomic datagram (DF set) may carry any identification. */
	ip->id = 0;
	ip->frag_off = bpf_htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->check = 0;
	ip->saddr = src_be;
	ip->daddr = dst_be;
	ip->check = ipv4_csum(ip);
	udp->source = bpf_htons(sport);
	udp->dest = bpf_htons(dport);
	udp->len = bpf_htons(udp_len);
	/* RFC 768 and RFC 7348 §5: no checksum over IPv4 is allowed, as the socket path sends
	 * VXLAN. */
	udp->check = 0;
	return 0;
}

/* VXLAN (RFC 7348 §5: I set, reserved zero) and the inner Ethernet header, after the outer. */
static __always_inline int
write_vxlan(struct xdp_md *ctx, const struct xdp_conf *cf, const __u8 dmac[ETH_ALEN])
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct vxlan_hdr *vx = data + OUTER_LEN;
	struct ethhdr *ie = (struct ethhdr *)(vx + 1);

	if ((void *)(ie + 1) > end)
		return -1;
	vx->flags = bpf_htonl((__u32)VXLAN_I << 24);
	vx->vni = bpf_htonl(cf->vni << 8);
	__builtin_memcpy(ie->h_dest, dmac, ETH_ALEN);
	__builtin_memcpy(ie->h_source, cf->mac, ETH_ALEN);
	ie->h_proto = bpf_htons(ETH_P_IP);
	return 0;
}

/* A G-PDU header (TS 29.281 §5.1) without optional fields, after the outer headers. */
static __always_inline int
write_gtpu(struct xdp_md *ctx, __u16 in_len, __u32 teid_be)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct gtpu_hdr *gtp = data + OUTER_LEN;

	if ((void *)(gtp + 1) > end)
		return -1;
	gtp->flags = GTPU_V1_PT;
	gtp->type = GTPU_GPDU;
	gtp->len = bpf_htons(in_len);
	gtp->teid = teid_be;
	return 0;
}

#include "xdp_neigh.h"
#include "xdp_route.h"
#include "xdp_upf.h"

/*
 * Where a device's packet goes: another session (*to, with the rule that
 * allowed it), the MAC to send to on the gate, or PASS (both NULL).
 */
static __always_inline struct xdp_neighbor *
uplink_target(const struct xdp_conf *cf, const struct iphdr *in, __u32 *why, __u32 *rule,
    struct xdp_session *to, int *to_device)
{
	struct xdp_filter_key k = { .prefixlen = 32, .addr_be = in->daddr };
	__u32 dst = in->daddr, target;
	struct xdp_filter_value *fv;
	int routed;

	*why = XDP_CTR_PASSED_DECISION;
	*rule = XDP_NO_RULE;
	/* The gateway itself, a denial (answered by ICMP): the socket path's. */
	if (dst == cf->gateway_be)
		return NULL;
	fv = (cf->flags & XDP_CONF_FILTER) ? bpf_map_lookup_elem(&filter, &k) : NULL;
	if (fv != NULL && fv->verdict == XDP_FILTER_DENY)
		return NULL;
	if (fv != NULL)
		*rule = fv->rule;
	*to_device = route_dest(cf, dst, &routed, to);
	if (*to_device || routed)
		return NULL;
	if (!(cf->flags & XDP_CONF_GATE_OPEN))
		return NULL;
	if (cf->flags & XDP_CONF_REDIRECT)
		target = cf->redirect_be;
	else if ((dst & cf->netmask_be) == cf->subnet_be)
		target = dst;
	else
		return NULL; /* routed egress */
	*why = XDP_CTR_PASSED_NO_NEIGHBOR;
	return bpf_map_lookup_elem(&neighbors, &target);
}

/*
 * Eth|IPv4|UDP|GTP-U|inner  ->  Eth|IPv4|UDP|VXLAN|Eth|inner: 14 octets more
 * in front, the inner packet untouched.
 */
static __always_inline int
uplink(struct xdp_md *ctx, const struct xdp_conf *cf, struct iphdr *ip, struct gtpu_hdr *gtp,
    void *end)
{
	/* Octets after the mandatory header: S, PN or a session container's (xdp_upf.h). */
	int opt;
	struct iphdr *in;
	struct xdp_session sess, *s = &sess, to;
	struct xdp_neighbor *nb;
	struct xdp_flow_stats *fl;
	struct xdp_upf *u;
	struct bpf_fib_lookup fib;
	__u32 teid = gtp->teid, why, outer_be, flags, rule;
	__u16 in_len, udp_len, sport;
	__u64 tcp_flags;
	__u8 dmac[ETH_ALEN], qfi;
	int to_dev = 0;

	if (gtp->type != GTPU_GPDU)
		return pass(XDP_CTR_PASSED_OTHER); /* Echo, Error Indication, End Marker */
	opt = upf_gtpu_opt(gtp, end, &qfi);
	if (opt < 0)
		return pass(XDP_CTR_PASSED_UNUSUAL); /* extension headers, another version */
	in = (struct iphdr *)((void *)(gtp + 1) + opt);
	if (!session_by_teid(teid, s))
		return pass(XDP_CTR_PASSED_NO_SESSION);
	if ((s->flags & XDP_SESSION_F_SLOW) || (cf->flags & XDP_CONF_SLOW_ALL))
		return pass(XDP_CTR_PASSED_SLOW_PATH);
	u = upf_rules(s);
	if ((s->flags & XDP_SESSION_F_UPF) && u == NULL)
		return pass(XDP_CTR_PASSED_SLOW_PATH);
	if (qfi != UPF_NO_QFI && u == NULL)
		return pass(XDP_CTR_PASSED_UNUSUAL); /* a QoS flow on a bearer without one */
	if (u != NULL && !upf_ul_matches(u, qfi))
		return pass(XDP_CTR_PASSED_DECISION); /* no PDR of XDP's takes it */
	if ((void *)(in + 1) > end || !plain_ipv4(in, (__u64)(end - (void *)in)))
		return pass(XDP_CTR_PASSED_UNUSUAL);
	in_len = bpf_ntohs(in->tot_len);
	/* Every length must agree: what is left over or missing is the socket path's to judge. */
	if (bpf_ntohs(gtp->len) != in_len + opt || (void *)in + in_len != end ||
	    bpf_ntohs(ip->tot_len) !=
		sizeof(*ip) + sizeof(struct udphdr) + sizeof(*gtp) + opt + in_len)
		return pass(XDP_CTR_PASSED_UNUSUAL);
	if (!source_owned(cf, s, in->saddr)) {
		count(XDP_CTR_DROPPED_SPOOFED_SOURCE, 1);
		return XDP_DROP;
	}
	if (u != NULL && upf_gate_closed(u, 1))
		return XDP_DROP;
	nb = uplink_target(cf, in, &why, &rule, &to, &to_dev);
	if (to_dev) {
		/* A UPF session at either end: its QERs are the socket path's to apply. */
		if (u != NULL || (to.flags & XDP_SESSION_F_UPF))
			return pass(XDP_CTR_PASSED_SLOW_PATH);
		return to_device(ctx, cf, s, &to, in, opt, rule);
	}
	if (nb == NULL)
		return pass(why);
	outer_be = nb->outer_be;
	__builtin_memcpy(dmac, nb->mac, ETH_ALEN);
	udp_len = sizeof(struct udphdr) + sizeof(struct vxlan_hdr) + sizeof(struct ethhdr) + in_len;
	if (!next_hop(ctx, cf->gate_be, outer_be, udp_len + sizeof(struct iphdr), &fib))
		return pass(XDP_CTR_PASSED_NO_NEIGHBOR);
	if (!flow_may_carry(cf, in, in_len, end, 0, &fl, &tcp_flags))
		return XDP_PASS;
	/* Policed last: a packet passed up is the socket path's to police (DESIGN.md). */
	if (u != NULL && !upf_take(u, 1, in_len))
		return XDP_DROP;
	sport = flow_port(in, end);
	flags = cf->flags;
	/* The GTP-U header (8, 12 or 16 octets) becomes VXLAN (8) and Ethernet (14). */
	if (bpf_xdp_adjust_head(ctx, opt - (int)sizeof(struct ethhdr)) < 0) {
		count(XDP_CTR_DROPPED_HEADROOM, 1);
		return XDP_DROP;
	}
	if (write_vxlan(ctx, cf, dmac) < 0 ||
	    write_outer(ctx, &fib, cf->gate_be, outer_be, sport, VXLAN_PORT, udp_len) < 0)
		return XDP_DROP;
	count(XDP_CTR_UPLINK_PACKETS, 1);
	count(XDP_CTR_UPLINK_BYTES, in_len);
	count_session(s, 1, in_len);
	count_filter_hit(rule);
	stamp(&nb->used_ns);
	flow_count(fl, in_len, tcp_flags);
	count((flags & XDP_CONF_REDIRECT) ? XDP_CTR_REDIRECTED_PACKETS
					  : XDP_CTR_DEVICE_TO_GATE_PACKETS,
	    1);
	return transmit(ctx, fib.ifindex);
}

/* The device a gate frame is for: its session in *s, or 0 and PASS. */
static __always_inline int
downlink_session(const struct xdp_conf *cf, const struct ethhdr *ie, const struct iphdr *in,
    struct xdp_session *s, __u32 *why)
{
	__u32 dst = in->daddr;
	int routed;

	*why = XDP_CTR_PASSED_OTHER;
	/* ARP, broadcast, frames for another MAC: the gate's switching, in user space. */
	if (!mac_eq(ie->h_dest, cf->mac) || ie->h_proto != bpf_htons(ETH_P_IP) ||
	    (ie->h_source[0] & 1) || mac_eq(ie->h_source, cf->mac))
		return 0;
	*why = XDP_CTR_PASSED_DECISION;
	if (dst == cf->gateway_be)
		return 0;
	if (!route_dest(cf, dst, &routed, s)) {
		*why = routed ? XDP_CTR_PASSED_DECISION : XDP_CTR_PASSED_NO_SESSION;
		return 0;
	}
	*why = XDP_CTR_PASSED_SLOW_PATH;
	if ((s->flags & XDP_SESSION_F_SLOW) || (cf->flags & XDP_CONF_SLOW_ALL))
		return 0;
	*why = XDP_CTR_PASSED_DECISION;
	return s->peer_teid_be != 0;
}

/*
 * Eth|IPv4|UDP|VXLAN|Eth|inner  ->  Eth|IPv4|UDP|GTP-U|inner: 14 octets
 * fewer in front, and the inner frame's Ethernet padding cut off.
 */
static __always_inline int
downlink(struct xdp_md *ctx, const struct xdp_conf *cf, struct iphdr *ip, struct vxlan_hdr *vx,
    void *end)
{
	struct ethhdr *ie = (struct ethhdr *)(vx + 1);
	struct iphdr *in = (struct iphdr *)(ie + 1);
	struct xdp_neighbor *sender;
	struct bpf_fib_lookup fib;
	struct xdp_session sess, *s = &sess;
	struct xdp_flow_stats *fl;
	struct xdp_upf *u;
	__u32 src = ip->saddr, why, peer_teid, peer_addr;
	__u16 in_len, udp_len;
	__u64 left, tcp_flags;
	int pad, ext;
	__u8 qfi;

	if (!(cf->flags & XDP_CONF_GATE_OPEN) || bpf_map_lookup_elem(&peers, &src) == NULL)
		return pass(XDP_CTR_PASSED_OTHER);
	if ((void *)(in + 1) > end)
		return pass(XDP_CTR_PASSED_UNUSUAL);
	if (vx->flags != bpf_htonl((__u32)VXLAN_I << 24) || vx->vni != bpf_htonl(cf->vni << 8))
		return pass(XDP_CTR_PASSED_UNUSUAL);
	if (!downlink_session(cf, ie, in, s, &why))
		return pass(why);
	sender = known_sender(src, ie, in);
	if (sender == NULL)
		return pass(XDP_CTR_PASSED_UNKNOWN_SENDER);
	left = (__u64)(end - (void *)in);
	if (!plain_ipv4(in, left) ||
	    bpf_ntohs(ip->tot_len) != (__u64)((void *)in - (void *)ip) + left)
		return pass(XDP_CTR_PASSED_UNUSUAL);
	in_len = bpf_ntohs(in->tot_len);
	pad = (int)(left - in_len);
	peer_teid = s->peer_teid_be;
	peer_addr = s->peer_addr_be;
	u = upf_rules(s);
	if ((s->flags & XDP_SESSION_F_UPF) && u == NULL)
		return pass(XDP_CTR_PASSED_SLOW_PATH);
	if (u != NULL && upf_gate_closed(u, 0))
		return XDP_DROP;
	ext = upf_dl_ext_len(u);
	qfi = u != NULL ? u->dl_qfi : 0;
	udp_len = sizeof(struct udphdr) + sizeof(struct gtpu_hdr) + ext + in_len;
	if (!next_hop(ctx, cf->gtpu_be, peer_addr, udp_len + sizeof(struct iphdr), &fib))
		return pass(XDP_CTR_PASSED_NO_NEIGHBOR);
	if (!flow_may_carry(cf, in, in_len, end, 1, &fl, &tcp_flags))
		return XDP_PASS;
	if (u != NULL && !upf_take(u, 0, in_len))
		return XDP_DROP;
	/* VXLAN and the inner Ethernet header (22 octets) become GTP-U (8, or 16 with a container).
	 */
	if ((pad > 0 && bpf_xdp_adjust_tail(ctx, -pad) < 0) ||
	    bpf_xdp_adjust_head(ctx, (int)sizeof(struct ethhdr) - ext) < 0) {
		count(XDP_CTR_DROPPED_HEADROOM, 1);
		return XDP_DROP;
	}
	if ((ext ? upf_write_gtpu_psc(ctx, in_len, peer_teid, qfi)
		 : write_gtpu(ctx, in_len, peer_teid)) < 0 ||
	    write_outer(ctx, &fib, cf->gtpu_be, peer_addr, GTPU_PORT, GTPU_PORT, udp_len) < 0)
		return XDP_DROP;
	count(XDP_CTR_DOWNLINK_PACKETS, 1);
	count(XDP_CTR_DOWNLINK_BYTES, in_len);
	count_session(s, 0, in_len);
	stamp(&sender->heard_ns);
	flow_count(fl, in_len, tcp_flags);
	count(XDP_CTR_GATE_TO_DEVICE_PACKETS, 1);
	return transmit(ctx, fib.ifindex);
}

SEC("xdp")
int
vpgd_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	const struct xdp_conf *cf;
	__u32 zero = 0;
	int gtpu, vxlan;

	cf = bpf_map_lookup_elem(&conf, &zero);
	if (cf == NULL || !(cf->flags & XDP_CONF_ENABLED))
		return XDP_PASS;
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return pass(XDP_CTR_PASSED_OTHER);
	gtpu = ip->daddr == cf->gtpu_be;
	vxlan = ip->daddr == cf->gate_be;
	if (!gtpu && !vxlan)
		return pass(XDP_CTR_PASSED_OTHER);
	if (ip->protocol != IPPROTO_UDP)
		return pass(XDP_CTR_PASSED_OTHER); /* ICMP to the gateway, anything else for us */
	if (!plain_ipv4(ip, (__u64)(end - (void *)ip)))
		return pass(XDP_CTR_PASSED_UNUSUAL);
	if ((void *)(udp + 1) > end)
		return pass(XDP_CTR_PASSED_UNUSUAL);
	if (gtpu && udp->dest == bpf_htons(GTPU_PORT)) {
		struct gtpu_hdr *gtp = (struct gtpu_hdr *)(udp + 1);

		if ((void *)(gtp + 1) > end)
			return pass(XDP_CTR_PASSED_UNUSUAL);
		return uplink(ctx, cf, ip, gtp, end);
	}
	if (vxlan && udp->dest == bpf_htons(VXLAN_PORT)) {
		struct vxlan_hdr *vx = (struct vxlan_hdr *)(udp + 1);

		if ((void *)(vx + 1) > end)
			return pass(XDP_CTR_PASSED_UNUSUAL);
		return downlink(ctx, cf, ip, vx, end);
	}
	return pass(XDP_CTR_PASSED_OTHER); /* GTP-C, PFCP, the API */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
