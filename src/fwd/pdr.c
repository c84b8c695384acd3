#include "fwd/pdr.h"

#include "core/counters.h"
#include "core/rules.h"
#include "core/session.h"
#include "fwd/datapath.h"
#include "fwd/downlink.h"
#include "fwd/mirror.h"
#include "io/udp_batch.h"
#include "proto/gtpu.h"
#include "proto/ipv4.h"

/* The fields a PDR looks at, from a checked IPv4 packet. */
static void
packet_fields(struct rules_pkt *p, const struct ipv4_view *ip)
{
	p->src_be = ip->src;
	p->dst_be = ip->dst;
	p->proto = ip->proto;
	p->len = ip->total_len;
	/* Ports only from the first fragment of TCP, UDP and SCTP (RFC 791: later ones have none).
	 */
	if ((ip->frag & 0x1fff) == 0 && ip->l4_len >= 4 &&
	    (ip->proto == 6 || ip->proto == 17 || ip->proto == 132)) {
		p->sport = (uint16_t)(ip->l4[0] << 8 | ip->l4[1]);
		p->dport = (uint16_t)(ip->l4[2] << 8 | ip->l4[3]);
	}
}

static const unsigned verdict_drop[] = {
	[RULES_DROP_FAR] = VPG_DROP_PFCP_FAR_DROP,
	[RULES_DROP_BUFFER] = VPG_DROP_PFCP_FAR_BUFFER,
	[RULES_DROP_GATE] = VPG_DROP_PFCP_QER_GATE_CLOSED,
	[RULES_DROP_MBR] = VPG_DROP_PFCP_QER_MBR_EXCEEDED,
	[RULES_DROP_QUOTA] = VPG_DROP_PFCP_URR_QUOTA_EXHAUSTED,
};

/*
 * The matched PDR's verdict; NULL, counted, when the packet goes no further.
 * A FAR with DUPL has the packet copied first, as it is (§5.2.3).
 */
static const struct rules_far *
decide(struct datapath *dp, struct session *s, const struct rules_pdr *d, const struct rules_pkt *p,
    const uint8_t *pkt)
{
	const struct rules_far *far = NULL;
	enum rules_verdict v = rules_apply(s->rules, d, p, dp->now_ms, &far);

	if (v != RULES_FORWARD) {
		counters_drop(verdict_drop[v]);
		return NULL;
	}
	if (far->apply & RULES_ACT_DUPL) {
		if (far->dupl_addr_be != 0)
			mirror_copy_to(dp, pkt, p->len, far->dupl_addr_be);
		else
			mirror_copy(dp, pkt, p->len);
		counters_add(VPG_CTR_PFCP_DUPLICATED_PACKETS, 1);
	}
	return far;
}

/* The QFI to mark: the first QER of the PDR that names one. */
static void
tunnel_of(const struct rules *r, const struct rules_pdr *d, const struct rules_far *far,
    struct pdr_tunnel *t)
{
	t->teid = far->ohc_teid;
	t->addr_be = far->ohc_addr_be;
	t->has_qfi = false;
	for (unsigned k = 0; k < d->n_qer; k++) {
		if (r->qer[d->qer[k]].has_qfi) {
			t->has_qfi = true;
			t->qfi = r->qer[d->qer[k]].qfi;
			return;
		}
	}
}

/* Towards the CP function (TS 29.244 §5.2.3): a G-PDU to the SMF's F-TEID. */
static void
to_cp_function(struct datapath *dp, const struct rules_far *far, uint8_t *pkt, size_t len)
{
	uint8_t *frame;

	if (!far->has_ohc) {
		counters_drop(VPG_DROP_PFCP_FAR_NO_TUNNEL);
		return;
	}
	frame = gtpu_push_gpdu(pkt, len, far->ohc_teid);
	udp_batch_queue(dp->gtpu, frame, len + GTPU_HDR_LEN, far->ohc_addr_be, GTPU_PORT);
	counters_add(VPG_CTR_PFCP_TO_CP_FUNCTION_PACKETS, 1);
	counters_add(VPG_CTR_GTPU_TX_PACKETS, 1);
	counters_add(VPG_CTR_GTPU_TX_BYTES, len + GTPU_HDR_LEN);
}

/* Is addr in a route the session table gives s: a Framed-Route, or a LAN of SIM-based routing? */
static bool
routed_to(const struct session_table *t, const struct session *s, uint32_t addr_be)
{
	return addr_be != s->ip_be && session_find_dest(t, addr_be) == s;
}

bool
pdr_owns_address(const struct session_table *t, const struct session *s, uint32_t addr_be)
{
	if (addr_be == s->ip_be)
		return true;
	if ((s->flags & SESSION_F_RULES) && rules_framed_match(s->rules, addr_be) != NULL)
		return true;
	return routed_to(t, s, addr_be);
}

/* No PDR took a device's packet: a foreign source is spoofing, anything else is unmatched. */
static void
unmatched(const struct session_table *t, const struct session *s, const struct rules_pkt *p)
{
	if (!pdr_owns_address(t, s, p->src_be))
		counters_drop(VPG_DROP_UPLINK_SPOOFED_SOURCE);
	else
		counters_drop(VPG_DROP_PFCP_NO_MATCHING_PDR);
}

enum pdr_decision
pdr_tunnelled(
    struct datapath *dp, struct session *s, const struct gtpu_view *v, const struct ipv4_view *ip)
{
	struct rules_pkt p = {
		.tunnelled = true, .teid = v->teid, .has_qfi = v->has_qfi, .qfi = v->qfi
	};
	uint8_t *pkt = (uint8_t *)v->payload;
	const struct rules_pdr *d;
	const struct rules_far *far;

	packet_fields(&p, ip);
	/*
	 * Only the source is looked up: it is the device's own address but for
	 * a LAN behind it, while the destination of nearly every uplink packet
	 * is no route's, and a lookup there would cost each one a walk.
	 */
	p.src_routed = routed_to(dp->sessions, s, ip->src);
	d = rules_match(s->rules, &p);
	if (d == NULL) {
		unmatched(dp->sessions, s, &p);
		return PDR_DONE;
	}
	if (!rules_pdr_to_device(d) && !pdr_owns_address(dp->sessions, s, ip->src)) {
		counters_drop(VPG_DROP_UPLINK_SPOOFED_SOURCE);
		return PDR_DONE;
	}
	far = decide(dp, s, d, &p, pkt);
	if (far == NULL)
		return PDR_DONE;
	if (rules_pdr_to_device(d)) {
		/* From the CP function to the device: the FAR holds the device's tunnel. */
		struct pdr_tunnel t;

		if (!far->has_ohc) {
			counters_drop(VPG_DROP_PFCP_FAR_NO_TUNNEL);
			return PDR_DONE;
		}
		tunnel_of(s->rules, d, far, &t);
		counters_add(VPG_CTR_PFCP_FROM_CP_FUNCTION_PACKETS, 1);
		downlink_through(dp, s, pkt, ip->total_len, &t);
		return PDR_DONE;
	}
	if (far->dst_iface == RULES_IF_CP_FUNCTION) {
		to_cp_function(dp, far, pkt, ip->total_len);
		return PDR_DONE;
	}
	return PDR_TO_CORE;
}

bool
pdr_downlink(
    struct datapath *dp, struct session *s, const uint8_t *pkt, size_t len, struct pdr_tunnel *out)
{
	struct rules_pkt p = { .tunnelled = false };
	const struct rules_pdr *d;
	const struct rules_far *far;
	struct ipv4_view ip;

	if (ipv4_parse(pkt, len, &ip) != VPG_DROP_NONE) {
		counters_drop(VPG_DROP_PFCP_NO_MATCHING_PDR);
		return false;
	}
	packet_fields(&p, &ip);
	p.dst_routed = routed_to(dp->sessions, s, ip.dst);
	d = rules_match(s->rules, &p);
	if (d == NULL) {
		counters_drop(VPG_DROP_PFCP_NO_MATCHING_PDR);
		return false;
	}
	far = decide(dp, s, d, &p, pkt);
	if (far == NULL)
		return false;
	if (!far->has_ohc) {
		counters_drop(VPG_DROP_PFCP_FAR_NO_TUNNEL);
		return false;
	}
	tunnel_of(s->rules, d, far, out);
	return true;
}
