/*
 * The rules a control plane gives a session over PFCP (TS 29.244 §5.2):
 * Packet Detection Rules pick the packets, and point to the Forwarding
 * Action Rule that says where they go, the QoS Enforcement Rules that gate
 * and police them and the Usage Reporting Rules that count them. The UPF
 * role (roles/upf_*.c) builds a rule set from its messages; the forwarding
 * path asks it, per packet, which PDR matches and what to do. Sessions of
 * the GTP roles have no rule set: their fixed rule is "uplink to the core,
 * downlink into the bearer's tunnel".
 *
 * A rule set is a value: a Modification changes a copy and swaps it in
 * only when all of the copy checks out, so that a refused request changes
 * nothing (TS 29.244 §7.5.4). Sizes are fixed; matching is a walk of at
 * most RULES_MAX_PDR rules in precedence order.
 */
#ifndef VPG_CORE_RULES_H
#define VPG_CORE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#define RULES_MAX_PDR	  16
#define RULES_MAX_FAR	  16
#define RULES_MAX_QER	  8
#define RULES_MAX_URR	  8
#define RULES_MAX_SDF	  4 /* SDF filters per PDR */
#define RULES_MAX_FRAMED  4 /* Framed-Routes per PDR */
#define RULES_PDR_MAX_URR 4
#define RULES_PDR_MAX_QER 2

/* Source/Destination Interface values, TS 29.244 §8.2.2 and §8.2.24. */
enum rules_iface {
	RULES_IF_ACCESS = 0,
	RULES_IF_CORE = 1,
	RULES_IF_SGI_LAN = 2,
	RULES_IF_CP_FUNCTION = 3,
};

/* Apply Action bits, TS 29.244 §8.2.26. */
#define RULES_ACT_DROP 0x01
#define RULES_ACT_FORW 0x02
#define RULES_ACT_BUFF 0x04
#define RULES_ACT_NOCP 0x08
#define RULES_ACT_DUPL 0x10

/*
 * One "permit out" flow description (TS 29.212 §5.4.2). It is written from
 * the network's side: "from" is the remote end and "to" the device, so an
 * uplink packet matches with its destination against "from".
 */
struct rules_sdf {
	bool ipv6;     /* written for IPv6 addresses: matches no IPv4 packet */
	uint8_t proto; /* 0: any */
	uint32_t remote_be, remote_mask_be;
	uint16_t remote_port_lo, remote_port_hi; /* 0-65535 when absent */
	uint32_t ue_be, ue_mask_be;
	uint16_t ue_port_lo, ue_port_hi;
};

struct rules_prefix {
	uint32_t net_be, mask_be;
};

struct rules_pdr {
	uint16_t id;
	uint32_t precedence; /* lower wins */
	uint8_t src_iface;   /* enum rules_iface */
	bool has_teid;	     /* Local F-TEID: G-PDUs with this TEID */
	uint32_t teid;
	bool has_ue_ip; /* the device's address, as source (uplink) or destination (downlink) */
	uint32_t ue_ip_be;
	bool has_qfi;
	uint8_t qfi;
	uint8_t n_sdf;
	struct rules_sdf sdf[RULES_MAX_SDF];
	uint8_t n_framed; /* Framed-Routes: a LAN behind the device */
	struct rules_prefix framed[RULES_MAX_FRAMED];
	bool outer_header_removal;
	uint32_t far_id;
	uint8_t n_urr, n_qer;
	uint32_t urr_id[RULES_PDR_MAX_URR];
	uint32_t qer_id[RULES_PDR_MAX_QER];
	/* Resolved by rules_link: indexes into the set's arrays. */
	uint8_t far, urr[RULES_PDR_MAX_URR], qer[RULES_PDR_MAX_QER];
};

/* FARs, QERs and URRs begin with their id (rules.c searches them alike). */
struct rules_far {
	uint32_t id;
	uint8_t apply;	   /* RULES_ACT_* */
	uint8_t dst_iface; /* enum rules_iface */
	bool has_ohc;	   /* Outer Header Creation: GTP-U/UDP/IPv4 */
	uint32_t ohc_teid, ohc_addr_be;
	uint32_t dupl_addr_be; /* DUPL: where copies go; 0 = the Junction Mirroring peers */
};

/* Token bucket state of one direction's MBR. */
struct rules_bucket {
	uint64_t rate_bps; /* 0: no limit */
	uint64_t tokens;   /* bits */
	uint64_t last_ms;
};

struct rules_qer {
	uint32_t id;
	bool ul_open, dl_open; /* Gate Status */
	bool has_qfi;
	uint8_t qfi;
	struct rules_bucket ul, dl;
};

/* Reporting Triggers, TS 29.244 §8.2.19, as one word (octet 5 low, octet 6, octet 7). */
#define RULES_TRIG_PERIO (1u << 0)
#define RULES_TRIG_VOLTH (1u << 1)
#define RULES_TRIG_TIMTH (1u << 2)
#define RULES_TRIG_VOLQU (1u << 8)
#define RULES_TRIG_TIMQU (1u << 9)

struct rules_volume {
	bool has_total, has_ul, has_dl;
	uint64_t total, ul, dl;
};

/* Packets and octets per direction, as a fast path counts a session's (core/rules_fast.h). */
struct rules_usage {
	uint64_t ul_packets, ul_bytes, dl_packets, dl_bytes;
};

struct rules_urr {
	uint32_t id;
	bool measure_volume, measure_duration;
	uint32_t triggers; /* RULES_TRIG_* */
	uint32_t period_s; /* Measurement Period, for PERIO */
	struct rules_volume threshold, quota;
	uint32_t time_threshold_s, time_quota_s;
	/* Measured since the last report. */
	uint64_t ul_bytes, dl_bytes, ul_packets, dl_packets;
	uint64_t start_ms, first_ms, last_ms; /* monotonic; first/last 0 before traffic */
	uint64_t next_period_ms;
	uint32_t seqn;
	bool quota_exhausted; /* VOLQU/TIMQU reached: its PDRs' packets are dropped */
	uint32_t pending;     /* triggers met and not yet reported */
	/* The fast path's totals for the session when this URR last took its share. */
	struct rules_usage fast_seen;
	bool fast_seen_set;
};

struct rules {
	uint8_t n_pdr, n_far, n_qer, n_urr;
	struct rules_pdr pdr[RULES_MAX_PDR];
	struct rules_far far[RULES_MAX_FAR];
	struct rules_qer qer[RULES_MAX_QER];
	struct rules_urr urr[RULES_MAX_URR];
	uint8_t order[RULES_MAX_PDR]; /* PDR indexes by precedence, set by rules_link */
	bool has_bar;
};

/* What a rule-set check found wrong: which kind of rule, and its id. */
enum rules_fault {
	RULES_OK = 0,
	RULES_DUPLICATE_ID, /* two rules of one kind with the same id */
	RULES_UNKNOWN_FAR,  /* a PDR names a FAR that does not exist */
	RULES_UNKNOWN_QER,
	RULES_UNKNOWN_URR,
	RULES_TOO_MANY,
};

struct rules_fault_at {
	enum rules_fault fault;
	char kind; /* 'P', 'F', 'Q', 'U': the rule that carries the fault */
	uint32_t id;
};

/*
 * Checks every reference and id and orders the PDRs by precedence. On a
 * fault, *at says which rule; the set is then not to be used.
 */
enum rules_fault rules_link(struct rules *r, struct rules_fault_at *at);

/* Lookups by id; NULL when absent. */
struct rules_pdr *rules_pdr_by_id(struct rules *r, uint16_t id);
struct rules_far *rules_far_by_id(struct rules *r, uint32_t id);
struct rules_qer *rules_qer_by_id(struct rules *r, uint32_t id);
struct rules_urr *rules_urr_by_id(struct rules *r, uint32_t id);
/* Removes the rule with that id; -1 when absent. */
int rules_remove(struct rules *r, char kind, uint32_t id);

/*
 * The fields of a packet a PDR looks at. A tunnelled packet arrived as a
 * G-PDU (from the device, or from the CP function) and matches only PDRs
 * with its Local F-TEID; any other packet matches only PDRs without one.
 */
struct rules_pkt {
	bool tunnelled;
	uint32_t teid; /* tunnelled only */
	bool has_qfi;  /* tunnelled: the PDU Session Container's QFI */
	uint8_t qfi;
	uint32_t src_be, dst_be;
	/*
	 * The source or destination lies in a route of the session's own
	 * (SIM-based routing, core/sim_routes.h): as the device's address
	 * to a PDR's UE IP Address, like its Framed-Routes.
	 */
	bool src_routed, dst_routed;
	uint8_t proto;
	uint16_t sport, dport; /* 0 when the protocol has no ports */
	uint32_t len;	       /* octets of the IP packet */
};

/* True for a PDR whose packets go towards the device (from Core, SGi-LAN or the CP function). */
static inline bool
rules_pdr_to_device(const struct rules_pdr *d)
{
	return d->src_iface != RULES_IF_ACCESS;
}

/* The best PDR (lowest precedence) for the packet, or NULL. */
const struct rules_pdr *rules_match(const struct rules *r, const struct rules_pkt *p);

/* What to do with a matched packet. */
enum rules_verdict {
	RULES_FORWARD = 0,
	RULES_DROP_FAR,	   /* the FAR says DROP, or no action */
	RULES_DROP_BUFFER, /* BUFF or NOCP: buffering is not offered, the packet is dropped */
	RULES_DROP_GATE,   /* a QER's gate for this direction is closed */
	RULES_DROP_MBR,	   /* over a QER's maximum bit rate */
	RULES_DROP_QUOTA,  /* a URR's quota is used up */
};

/*
 * Applies the PDR's QERs and URRs to a packet of p->len octets at now_ms and
 * returns the verdict; *far is the FAR to follow when RULES_FORWARD. URRs
 * count the packet when it is forwarded, and note the triggers it meets.
 */
enum rules_verdict rules_apply(struct rules *r, const struct rules_pdr *pdr,
    const struct rules_pkt *p, uint64_t now_ms, const struct rules_far **far);

/* True when some URR has a report waiting; timers are checked against now_ms first. */
bool rules_reports_due(struct rules *r, uint64_t now_ms);

/*
 * How many URR triggers wait to be reported, over every rule set: the UPF
 * role looks for them only when this is non-zero.
 */
extern unsigned rules_reports_waiting;

/* Starts a report's next measurement: counters cleared, pending triggers taken. */
void rules_urr_reported(struct rules_urr *u, uint64_t now_ms);

/* Starts the URRs' measurement at now_ms (a new or a changed rule set). */
void rules_start(struct rules *r, uint64_t now_ms);

/* The first Framed-Route that holds dst_be, on any PDR; NULL when none. */
const struct rules_pdr *rules_framed_match(const struct rules *r, uint32_t dst_be);

#endif
