/*
 * Figure 12's sink, on the far end of a gateway's veth: counts and drops
 * the load (G-PDUs to udp/2152 on the SGSN's side; VXLAN frames whose inner
 * packet is for udp/9 on the gate peer's), passes everything else (ARP,
 * GTP-C, the gate's ARP inside VXLAN). Being an XDP program it also makes
 * XDP_REDIRECT and XDP_TX into this veth deliver at all. The benchmark reads
 * the counters (bench/xgen.c count).
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
#define LOAD_PORT  9 /* the inner destination port of the load (bench/gen.c, bench/xgen.c) */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XSINK__COUNT);
	__type(key, __u32);
	__type(value, __u64);
} xsink_stats SEC(".maps");

static __always_inline void
count(__u32 idx, __u64 n)
{
	__u64 *c = bpf_map_lookup_elem(&xsink_stats, &idx);

	if (c != NULL)
		*c += n;
}

/* The UDP header after an Ethernet header at eth, or NULL. */
static __always_inline struct udphdr *
udp_of(struct ethhdr *eth, void *end)
{
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP)
		return NULL;
	return udp;
}

static __always_inline int
is_load(void *data, void *end)
{
	struct udphdr *udp = udp_of(data, end), *in;

	if (udp == NULL)
		return 0;
	if (udp->dest == bpf_htons(GTPU_PORT))
		return 1;
	if (udp->dest != bpf_htons(VXLAN_PORT))
		return 0;
	/* VXLAN 8 octets, then the inner frame. */
	in = udp_of((struct ethhdr *)((void *)(udp + 1) + 8), end);
	return in != NULL && in->dest == bpf_htons(LOAD_PORT);
}

SEC("xdp")
int
xsink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (!is_load(data, end))
		return XDP_PASS;
	count(XSINK_PACKETS, 1);
	count(XSINK_BYTES, (__u64)(end - data));
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
