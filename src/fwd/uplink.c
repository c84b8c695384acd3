#include "fwd/uplink.h"

#include <stdbool.h>

#include "core/attach.h"
#include "core/counters.h"
#include "fwd/datapath.h"
#include "fwd/downlink.h"
#include "fwd/egress.h"
#include "fwd/filter.h"
#include "fwd/gate.h"
#include "inspect/inspect.h"
#include "fwd/mirror.h"
#include "fwd/pdr.h"
#include "fwd/peek.h"
#include "fwd/redirect.h"
#include "core/session.h"
#include "io/udp_batch.h"
#include "proto/gtpu.h"
#include "proto/ipv4.h"

static void
reply(struct datapath *dp, const struct udp_pkt *p, const uint8_t *msg, size_t len)
{
	if (len == 0)
		return;
	udp_batch_queue(dp->gtpu, msg, len, p->from_be, p->from_port);
	counters_add(VPG_CTR_GTPU_TX_PACKETS, 1);
	counters_add(VPG_CTR_GTPU_TX_BYTES, len);
}

/* TS 29.281 §7.2.1: every Echo Request is answered, whoever sends it. */
static void
answer_echo(struct datapath *dp, struct udp_pkt *p, const struct gtpu_view *v)
{
	/* The request is no longer needed: its buffer holds the response. */
	size_t len = gtpu_build_echo_rsp(p->data, UDP_BATCH_DATA, v->seq);

	counters_add(VPG_CTR_GTPU_ECHO_REQUESTS, 1);
	reply(dp, p, p->data, len);
}

/* TS 29.281 §7.3.1: a G-PDU for no context gets an Error Indication, sent to port 2152. */
static void
answer_unknown_teid(struct datapath *dp, struct udp_pkt *p, uint32_t teid)
{
	size_t len = gtpu_build_error_indication(p->data, UDP_BATCH_DATA, teid, dp->local_be);

	counters_drop(VPG_DROP_GTPU_UNKNOWN_TEID);
	counters_add(VPG_CTR_GTPU_ERROR_INDICATIONS_SENT, 1);
	p->from_port = GTPU_PORT;
	reply(dp, p, p->data, len);
}

/* The gateway's own address: it answers ICMP echo, nothing else. */
static void
to_gateway(struct datapath *dp, struct session *s, uint8_t *pkt, const struct ipv4_view *ip)
{
	enum vpg_drop drop = icmp_answer_echo_to_us(pkt, ip);

	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	counters_add(VPG_CTR_GATEWAY_ECHO_REPLIES, 1);
	downlink_to_session(dp, s, pkt, ip->total_len);
}

/* Device to device: routed through the gateway, so the TTL drops by one. */
static void
to_device(struct datapath *dp, struct session *dst, uint8_t *pkt, const struct ipv4_view *ip)
{
	/* The privacy separator lets devices reach gate peers only, never each other. */
	if (gate_privacy_separator(dp->gate)) {
		counters_drop(VPG_DROP_PRIVACY_SEPARATOR);
		return;
	}
	if (ip->ttl <= 1) {
		counters_drop(VPG_DROP_IPV4_TTL_EXPIRED);
		return;
	}
	ipv4_ttl_decrement(pkt);
	counters_add(VPG_CTR_DEVICE_TO_DEVICE_PACKETS, 1);
	downlink_to_session(dp, dst, pkt, ip->total_len);
}

/*
 * RFC 1812 §4.3.2.8: ICMP errors are rate limited, so that a device (or a
 * flood in its name) cannot make the gateway a reflector. As Linux does by
 * default: 1000 a second, in bursts of 50.
 */
#define ICMP_ERRORS_PER_S 1000
#define ICMP_ERRORS_BURST 50

static bool
icmp_error_allowed(struct datapath *dp)
{
	uint64_t earned = (dp->now_ms - dp->icmp_refilled_ms) * ICMP_ERRORS_PER_S / 1000;

	if (earned > 0) {
		dp->icmp_tokens = earned >= ICMP_ERRORS_BURST - dp->icmp_tokens
				      ? ICMP_ERRORS_BURST
				      : dp->icmp_tokens + (uint32_t)earned;
		dp->icmp_refilled_ms = dp->now_ms;
	}
	if (dp->icmp_tokens == 0) {
		counters_drop(VPG_DROP_ICMP_RATE_LIMITED);
		return false;
	}
	dp->icmp_tokens--;
	return true;
}

/* An ICMP error for the device, from the gateway's address, down its own tunnel. */
static void
icmp_to_device(struct datapath *dp, struct session *s, uint8_t type, uint8_t code,
    const uint8_t *pkt, size_t len)
{
	/* Room in front of the message for the GTP-U header that carries it. */
	enum { ROOM = 64 };
	uint8_t *buf;
	size_t n;

	if (!icmp_error_allowed(dp))
		return;
	buf = udp_batch_scratch(dp->gtpu);
	n = icmp_build_error(
	    buf + ROOM, UDP_BATCH_DATA - ROOM, type, code, 0, dp->gateway_be, pkt, len);
	if (n == 0)
		return;
	counters_add(VPG_CTR_ICMP_ERRORS_SENT, 1);
	downlink_to_session(dp, s, buf + ROOM, n);
}

/* The routing filter: first match decides, no match allows; a denial is answered by ICMP. */
static bool
filter_allows(
    struct datapath *dp, struct session *s, const uint8_t *pkt, const struct ipv4_view *ip)
{
	enum filter_action action;

	filter_match(dp->filter, ip->dst, &action);
	if (action == FILTER_ALLOW)
		return true;
	counters_drop(VPG_DROP_ROUTING_FILTER_DENIED);
	icmp_to_device(dp, s, ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, pkt, ip->total_len);
	return false;
}

/* The gate segment: the rest of the device subnet lives behind the gate peers. */
static void
to_gate(struct datapath *dp, uint8_t *pkt, const struct ipv4_view *ip)
{
	unsigned drop = gate_send_ipv4(dp, pkt, ip->total_len, ip->dst);

	if (drop != VPG_DROP_NONE)
		counters_drop(drop);
}

/* Redirection: to the gateway peer's MAC whatever the destination, addresses untouched. */
static void
redirect(struct datapath *dp, uint8_t *pkt, const struct ipv4_view *ip)
{
	unsigned drop = gate_send_ipv4(dp, pkt, ip->total_len, dp->redirect->gateway_be);

	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	counters_add(VPG_CTR_REDIRECTED_PACKETS, 1);
}

/*
 * A device's IPv4 packet, in the order of decisions of DESIGN.md: anti-spoof,
 * the Junction copies and counts (mirroring, Peek's captures, inspection), the routing filter, the
 * gateway itself, another device or the LAN behind one (unless the privacy separator), redirection,
 * the gate segment, routed egress.
 */
static void
device_packet(struct datapath *dp, struct session *s, uint8_t *pkt, const struct ipv4_view *v)
{
	struct ipv4_view ip = *v;
	struct session *dst;
	bool held;

	if (ip.src != s->ip_be && !pdr_owns_address(dp->sessions, s, ip.src)) {
		counters_drop(VPG_DROP_UPLINK_SPOOFED_SOURCE);
		return;
	}
	mirror_copy(dp, pkt, ip.total_len);
	peek_tap_packet(dp->peek, s, pkt, ip.total_len, PEEK_UPLINK);
	inspect_packet(dp->inspect, s, pkt, ip.total_len, FLOW_DIR_UPLINK, dp->now_ms);
	s->up_packets++;
	s->up_bytes += ip.total_len;
	counters_add(VPG_CTR_UPLINK_PACKETS, 1);
	counters_add(VPG_CTR_UPLINK_BYTES, ip.total_len);
	if (ip.dst != dp->gateway_be && !filter_allows(dp, s, pkt, &ip))
		return;
	if (ip.dst == dp->gateway_be) {
		to_gateway(dp, s, pkt, &ip);
		return;
	}
	dst = session_find_dest_held(dp->sessions, ip.dst, &held);
	if (dst != NULL) {
		to_device(dp, dst, pkt, &ip);
		return;
	}
	/* The LAN of a device that is not attached: nowhere else may have its packets. */
	if (held) {
		counters_drop(VPG_DROP_SIM_ROUTE_NOT_ATTACHED);
		return;
	}
	if (redirect_active(dp->redirect)) {
		redirect(dp, pkt, &ip);
		return;
	}
	if (gate_is_open(dp->gate) && (ip.dst & dp->netmask_be) == dp->subnet_be) {
		to_gate(dp, pkt, &ip);
		return;
	}
	if (dp->egress != NULL) {
		egress_send(dp, pkt, ip.total_len);
		return;
	}
	counters_drop(VPG_DROP_UPLINK_NO_ROUTE);
}

static void
gpdu(struct datapath *dp, struct udp_pkt *p, const struct gtpu_view *v)
{
	struct session *s = session_find_teid(dp->sessions, v->teid);
	struct ipv4_view ip;
	enum vpg_drop drop;
	uint8_t *pkt;

	if (s == NULL) {
		answer_unknown_teid(dp, p, v->teid);
		return;
	}
	/* The payload sits inside the receive buffer, with headroom for a new header. */
	pkt = (uint8_t *)v->payload;
	if (v->payload_len == 0 || (pkt[0] >> 4) != 4) {
		counters_drop(VPG_DROP_UPLINK_NOT_IPV4);
		return;
	}
	drop = ipv4_parse(pkt, v->payload_len, &ip);
	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	/* A UPF session's packet goes where its PDR says; to Core, it is decided here. */
	if ((s->flags & SESSION_F_RULES) && pdr_tunnelled(dp, s, v, &ip) == PDR_DONE)
		return;
	device_packet(dp, s, pkt, &ip);
}

/*
 * TS 29.281 §7.3.1: a peer that gets a G-PDU for a TEID it does not know
 * answers with an Error Indication naming that TEID. The bearer is gone on
 * its side (it restarted, or lost the context), so the session goes here
 * too, as TS 23.007 asks of a GGSN and a PGW. Only the peer the session
 * sends to is heeded; a UPF session is its SMF's to end.
 */
static void
error_indication(struct datapath *dp, const struct udp_pkt *p, const struct gtpu_view *v)
{
	struct session *s;
	uint32_t teid;

	counters_drop(VPG_DROP_GTPU_ERROR_INDICATION);
	if (dp->core == NULL || gtpu_error_indication_teid(v, &teid) < 0)
		return;
	s = session_find_downlink(dp->sessions, p->from_be, teid);
	if (s == NULL || s->owner.role == SESSION_ROLE_UPF)
		return;
	counters_add(VPG_CTR_SESSIONS_ENDED_BY_ERROR_INDICATION, 1);
	attach_delete(dp->core, s, "gtp-u error indication");
}

void
uplink_receive(struct datapath *dp, struct udp_pkt *p)
{
	struct gtpu_view v;
	enum vpg_drop drop;

	counters_add(VPG_CTR_GTPU_RX_PACKETS, 1);
	counters_add(VPG_CTR_GTPU_RX_BYTES, p->len);
	if (p->truncated) {
		counters_drop(VPG_DROP_RX_TRUNCATED);
		return;
	}
	drop = gtpu_parse(p->data, p->len, &v);
	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	switch (v.type) {
	case GTPU_GPDU:
		gpdu(dp, p, &v);
		break;
	case GTPU_ECHO_REQ:
		answer_echo(dp, p, &v);
		break;
	case GTPU_ERROR_INDICATION:
		error_indication(dp, p, &v);
		break;
	default:
		/* Echo Response (we send no requests), End Marker, Supported Extension Headers. */
		counters_drop(VPG_DROP_GTPU_UNEXPECTED);
		break;
	}
}

/* The TEID of what looks like a G-PDU, without checking more: a guess for the cache only. */
static bool
gpdu_teid(const struct udp_pkt *p, uint32_t *teid)
{
	const uint8_t *h = p->data;

	if (p->len < GTPU_HDR_LEN || h[1] != GTPU_GPDU)
		return false;
	*teid = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
	return true;
}

void
uplink_prefetch(const struct datapath *dp, const struct udp_pkt *pkts, int n)
{
	uint32_t teids[SESSION_PREFETCH_MAX];
	int k = 0;

	for (int i = 0; i < n && k < SESSION_PREFETCH_MAX; i++)
		k += gpdu_teid(&pkts[i], &teids[k]);
	session_prefetch_teids(dp->sessions, teids, k);
}
