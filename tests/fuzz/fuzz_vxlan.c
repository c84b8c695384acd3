/*
 * libFuzzer harness for what the gate does with a datagram from a peer: the
 * VXLAN header, the inner Ethernet frame, then ARP or IPv4 by EtherType.
 * Beyond "no crash", it checks what the parsers promise: each drop reason
 * is the one the input deserves, every view lies inside the input, and a
 * pushed or built header reproduces the octets it was parsed from.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/arp.h"
#include "proto/ether.h"
#include "proto/ipv4.h"
#include "proto/vxlan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SCRATCH_FRAME_MAX 65536

/* Headroom for both headers plus the largest frame a UDP datagram holds. */
static uint8_t scratch[VXLAN_HDR_LEN + ETHER_HDR_LEN + SCRATCH_FRAME_MAX];

/* True when [p, p + n) lies inside [base, base + size). */
static int
inside(const uint8_t *base, size_t size, const uint8_t *p, size_t n)
{
	uintptr_t b = (uintptr_t)base, q = (uintptr_t)p;

	return q >= b && q - b <= size && n <= size - (q - b);
}

static void
check_vxlan(const uint8_t *data, size_t size, const struct vxlan_view *v)
{
	struct vxlan_view w;
	uint8_t *hdr;

	if ((v->flags & VXLAN_F_VNI) == 0 || v->flags != data[0] || v->vni > 0xffffff ||
	    v->frame != data + VXLAN_HDR_LEN || v->frame_len != size - VXLAN_HDR_LEN ||
	    !inside(data, size, v->frame, v->frame_len))
		abort();
	if (v->frame_len > SCRATCH_FRAME_MAX)
		return;
	memcpy(scratch + VXLAN_HDR_LEN, v->frame, v->frame_len);
	hdr = vxlan_push(scratch + VXLAN_HDR_LEN, v->vni);
	if (hdr != scratch || vxlan_parse(hdr, VXLAN_HDR_LEN + v->frame_len, &w) != VPG_DROP_NONE ||
	    w.flags != VXLAN_F_VNI || w.vni != v->vni || w.frame_len != v->frame_len ||
	    memcmp(w.frame, v->frame, v->frame_len) != 0)
		abort();
	/* RFC 7348 §5: only the VNI octets may differ from zero. */
	if (hdr[1] != 0 || hdr[2] != 0 || hdr[3] != 0 || hdr[7] != 0)
		abort();
}

static void
check_ether(const uint8_t *frame, size_t len, const struct ether_view *e)
{
	uint8_t *hdr;

	if (e->payload != frame + ETHER_HDR_LEN || e->payload_len != len - ETHER_HDR_LEN ||
	    !inside(frame, len, e->payload, e->payload_len) ||
	    memcmp(e->dst, frame, ETHER_ADDR_LEN) != 0 ||
	    memcmp(e->src, frame + ETHER_ADDR_LEN, ETHER_ADDR_LEN) != 0 ||
	    e->type != (uint16_t)(frame[12] << 8 | frame[13]))
		abort();
	if (ether_is_broadcast(e->dst) && !ether_is_multicast(e->dst))
		abort();
	hdr = ether_push(scratch + ETHER_HDR_LEN, e->dst, e->src, e->type);
	if (hdr != scratch || memcmp(hdr, frame, ETHER_HDR_LEN) != 0)
		abort();
}

static void
check_arp(const uint8_t *pkt, size_t len)
{
	struct arp_view a;
	enum vpg_drop drop;
	uint8_t out[ARP_LEN];

	drop = arp_parse(pkt, len, &a);
	if (drop != VPG_DROP_NONE) {
		if (drop != (len < ARP_LEN ? VPG_DROP_ARP_TOO_SHORT : VPG_DROP_ARP_UNSUPPORTED))
			abort();
		return;
	}
	if (len < ARP_LEN || (a.op != ARP_OP_REQUEST && a.op != ARP_OP_REPLY))
		abort();
	if (arp_build(out, sizeof(out), a.op, a.sha, a.spa_be, a.tha, a.tpa_be) != ARP_LEN ||
	    memcmp(out, pkt, ARP_LEN) != 0)
		abort();
}

static void
check_ipv4(const uint8_t *pkt, size_t len)
{
	struct ipv4_view ip;

	if (ipv4_parse(pkt, len, &ip) != VPG_DROP_NONE)
		return;
	if (ip.hdr_len < IPV4_HDR_LEN || ip.total_len > len || ip.l4 != pkt + ip.hdr_len ||
	    ip.hdr_len + ip.l4_len != ip.total_len || !inside(pkt, len, ip.l4, ip.l4_len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vxlan_view v;
	struct ether_view e;
	enum vpg_drop drop;

	drop = vxlan_parse(data, size, &v);
	if (drop != VPG_DROP_NONE) {
		if (drop != (size < VXLAN_HDR_LEN ? VPG_DROP_VXLAN_TOO_SHORT
						  : VPG_DROP_VXLAN_BAD_FLAGS) ||
		    v.frame != NULL)
			abort();
		return 0;
	}
	check_vxlan(data, size, &v);
	drop = ether_parse(v.frame, v.frame_len, &e);
	if (drop != VPG_DROP_NONE) {
		if (drop != VPG_DROP_ETHER_TOO_SHORT || v.frame_len >= ETHER_HDR_LEN)
			abort();
		return 0;
	}
	check_ether(v.frame, v.frame_len, &e);
	if (e.type == ETHER_TYPE_ARP)
		check_arp(e.payload, e.payload_len);
	else if (e.type == ETHER_TYPE_IPV4)
		check_ipv4(e.payload, e.payload_len);
	return 0;
}
