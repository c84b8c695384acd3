/*
 * Figure 12's reference: a bare XDP forwarder that does only the header
 * rewrite of vpgd's fast path, with no policy (no anti-spoofing, routing
 * filter, redirection, counters per session or drop reasons, no next-hop
 * lookup: the next hop's MAC is fixed at load).
 *
 * - uplink: a G-PDU (version 1, no optional field) to udp/2152 -> its TEID
 *   in a hash map -> the GTP-U header becomes VXLAN and an inner Ethernet
 *   header (bpf_xdp_adjust_head -14), outer headers written, out through a
 *   DEVMAP.
 * - downlink: a VXLAN frame to udp/4789 -> the inner destination in a hash
 *   map -> VXLAN and the inner Ethernet header become GTP-U
 *   (bpf_xdp_adjust_head +14), outer headers written, out through a DEVMAP.
 *
 * Anything else passes. bench/xgen.c (bare) fills the maps and attaches it.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xbench.h"

#define GTPU_PORT  2152
#define VXLAN_PORT 4789
#define IP_DF	   0x4000
#define OUTER_LEN  (sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr))

struct gtpu_hdr {
	__u8 flags;
	__u8 type;
	__be16 len;
	__be32 teid;
};

struct vxlan_hdr {
	__be32 flags;
	__be32 vni;
};

/* Sized by the loader to the sessions it is given. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bare_up);
} bare_up SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bare_down);
} bare_down SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bare_conf);
} bare_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} bare_tx SEC(".maps");

static __always_inline __u16
ipv4_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Outer Ethernet, IPv4 and UDP at the start of the packet, for udp_len octets of UDP. */
static __always_inline int
write_outer(struct xdp_md *ctx, const struct bare_out *o, __u32 dst_be, __u16 sport, __u16 dport,
    __u16 udp_len)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);

	if ((void *)(udp + 1) > end)
		return -1;
	__builtin_memcpy(eth->h_dest, o->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, o->smac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tos = 0;
	ip->tot_len = bpf_htons(udp_len + sizeof(*ip));
	ip->id = 0;
	ip->frag_off = bpf_htons(IP_DF);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->check = 0;
	ip->saddr = o->src_be;
	ip->daddr = dst_be;
	ip->check = ipv4_csum(ip);
	udp->source = bpf_htons(sport);
	udp->dest = bpf_htons(dport);
	udp->len = bpf_htons(udp_len);
	udp->check = 0;
	return 0;
}

static __always_inline int
uplink(struct xdp_md *ctx, const struct bare_conf *cf, struct gtpu_hdr *gtp, void *end)
{
	struct iphdr *in = (struct iphdr *)(gtp + 1);
	struct vxlan_hdr *vx;
	struct ethhdr *ie;
	struct bare_up *s;
	__u32 teid = gtp->teid, outer;
	__u16 in_len, udp_len, sport;
	__u8 mac[ETH_ALEN];
	void *data;

	if (gtp->flags != 0x30 || gtp->type != 255 || (void *)(in + 1) > end)
		return XDP_PASS;
	s = bpf_map_lookup_elem(&bare_up, &teid);
	if (s == NULL)
		return XDP_PASS;
	in_len = bpf_ntohs(gtp->len);
	/* RFC 7348 §5: a source port from the inner flow, here its addresses folded. */
	sport = 49152 | ((bpf_ntohl(in->saddr ^ in->daddr) * 2654435761u) >> 18);
	outer = s->outer_be;
	__builtin_memcpy(mac, s->mac, ETH_ALEN);
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct ethhdr)) < 0)
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	vx = data + OUTER_LEN;
	ie = (struct ethhdr *)(vx + 1);
	if ((void *)(ie + 1) > end)
		return XDP_DROP;
	vx->flags = bpf_htonl(0x08000000);
	vx->vni = cf->vni_be;
	__builtin_memcpy(ie->h_dest, mac, ETH_ALEN);
	__builtin_memcpy(ie->h_source, cf->gate_mac, ETH_ALEN);
	ie->h_proto = bpf_htons(ETH_P_IP);
	udp_len = sizeof(struct udphdr) + sizeof(*vx) + sizeof(*ie) + in_len;
	if (write_outer(ctx, &cf->up, outer, sport, VXLAN_PORT, udp_len) < 0)
		return XDP_DROP;
	return bpf_redirect_map(&bare_tx, cf->up.ifindex, 0);
}

static __always_inline int
downlink(struct xdp_md *ctx, const struct bare_conf *cf, struct vxlan_hdr *vx, void *end)
{
	struct ethhdr *ie = (struct ethhdr *)(vx + 1);
	struct iphdr *in = (struct iphdr *)(ie + 1);
	struct gtpu_hdr *gtp;
	struct bare_down *s;
	__u32 dst, peer_teid, peer_addr;
	__u16 in_len;
	void *data;

	if ((void *)(in + 1) > end)
		return XDP_PASS;
	dst = in->daddr;
	s = bpf_map_lookup_elem(&bare_down, &dst);
	if (s == NULL)
		return XDP_PASS;
	in_len = bpf_ntohs(in->tot_len);
	peer_teid = s->peer_teid_be;
	peer_addr = s->peer_addr_be;
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct ethhdr)) < 0)
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	gtp = data + OUTER_LEN;
	if ((void *)(gtp + 1) > end)
		return XDP_DROP;
	gtp->flags = 0x30;
	gtp->type = 255;
	gtp->len = bpf_htons(in_len);
	gtp->teid = peer_teid;
	if (write_outer(ctx, &cf->down, peer_addr, GTPU_PORT, GTPU_PORT,
		sizeof(struct udphdr) + sizeof(*gtp) + in_len) < 0)
		return XDP_DROP;
	return bpf_redirect_map(&bare_tx, cf->down.ifindex, 0);
}

SEC("xdp")
int
xbare(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	const struct bare_conf *cf;
	__u32 zero = 0;

	if ((void *)(udp + 1) + sizeof(struct vxlan_hdr) > end ||
	    eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	cf = bpf_map_lookup_elem(&bare_conf, &zero);
	if (cf == NULL)
		return XDP_PASS;
	if (udp->dest == bpf_htons(GTPU_PORT))
		return uplink(ctx, cf, (struct gtpu_hdr *)(udp + 1), end);
	if (udp->dest == bpf_htons(VXLAN_PORT))
		return downlink(ctx, cf, (struct vxlan_hdr *)(udp + 1), end);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
