/*
 * What the XDP program (bpf/vpgd_xdp.bpf.c) and the daemon (fwd/xdp.c) share:
 * the maps' keys and values and the counters' indices. Everything in
 * network order unless a field says otherwise, so that the program compares
 * with the packet's own octets and never swaps. Included by C of both sides:
 * kernel types only.
 */
#ifndef VPG_FWD_XDP_ABI_H
#define VPG_FWD_XDP_ABI_H

#include <linux/bpf.h>
#include <linux/types.h>

#include "core/mix32.h"

/* A session whose packets XDP leaves to the socket path (a UPF rule set, Peek, ...). */
#define XDP_SESSION_F_SLOW 0x1

/*
 * A session as XDP sees it, kept in the session table's own slot (map
 * "slots") and found by our TEID and by the device's address (the indices
 * below).
 */
struct xdp_session {
	__u32 teid_be;	    /* ours: what the device's G-PDUs carry; 0: the slot is empty */
	__u32 ip_be;	    /* the device's address */
	__u32 peer_teid_be; /* the peer's downlink F-TEID: 0 while there is none */
	__u32 peer_addr_be;
	__u32 flags; /* XDP_SESSION_F_* */
	__u32 slot;  /* host order: the session table's index (core/session.h session_slot) */
};

/*
 * The session maps are arrays the daemon maps into its memory
 * (BPF_F_MMAPABLE) and writes without a system call, so an attach costs
 * the gateway a few stores (fwd/xdp_slots.c, bpf/xdp_slots.h):
 * - "slots": one struct xdp_slot per slot of the session table, under a
 *   sequence count: odd while the daemon writes it, so the program reads a
 *   whole entry or none (and then passes the packet up);
 * - "teid_index", "addr_index": open addressing with linear probing, one
 *   __u64 an entry, key (TEID or address, network order, 0: empty) in the
 *   low half and slot in the high half, written as one store. A key sits at
 *   most XDP_INDEX_PROBES places after its home (xdp_index_home); one that
 *   cannot stays out and its session's packets take the socket path;
 * - "addr_slots": the device subnet's addresses from its first, up to
 *   XDP_ADDR_SLOTS_MAX of them, each to the slot of the session that has it
 *   (0: none), one __u32 an address, two to an array element. Addresses
 *   near each other are near in memory: a few pages hold a thousand
 *   devices, where the hashed index spreads them over as many pages. An
 *   address it covers is never in addr_index;
 * - beside the session in its slot, what XDP carried for it, added to
 *   atomically: one cache line a packet finds its session and counts in.
 */
struct xdp_session_counters {
	__u64 up_packets, up_bytes, down_packets, down_bytes;
};

struct xdp_slot {
	__u32 seq;
	__u32 pad;
	struct xdp_session s;
	struct xdp_session_counters counted; /* outside the sequence count: only ever grows */
} __attribute__((aligned(64)));
#define XDP_INDEX_PROBES 32
/* 4 MiB: a /12 whole, the first 2^20 addresses of a larger subnet. */
#define XDP_ADDR_SLOTS_MAX (1u << 20)

/* Where a key's probe run starts, before the mask. */
static inline __u32
xdp_index_home(__u32 key)
{
	return mix32(key);
}

/* A resolved neighbour of the gate segment (map "neighbors", by inner address). */
struct xdp_neighbor {
	__u8 mac[6];
	__u16 pad;
	__u32 outer_be; /* the gate peer it sits behind */
	/*
	 * Written by the program (CLOCK_MONOTONIC, 0: not yet), read by the
	 * daemon before the gate's table ages (bpf/xdp_neigh.h): the last frame
	 * XDP took from this MAC through its peer, the last packet XDP sent it.
	 */
	__u64 heard_ns, used_ns;
};

/* The routing filter as an LPM trie: the first matching rule's verdict, precomputed. */
struct xdp_filter_key {
	__u32 prefixlen;
	__u32 addr_be;
};
#define XDP_FILTER_ALLOW 0
#define XDP_FILTER_DENY	 1

/* The gateway's settings (map "conf", one entry). */
#define XDP_CONF_GATE_OPEN 0x1
#define XDP_CONF_REDIRECT  0x2 /* Junction Redirection on: uplink to redirect_be's MAC */
#define XDP_CONF_SLOW_ALL                                                                          \
	0x4 /* Mirroring on or a whole-gateway Peek capture: all to the socket path */
#define XDP_CONF_ENABLED 0x10 /* written last at start-up: until then everything passes */

struct xdp_conf {
	__u32 gtpu_be; /* our GTP-U address */
	__u32 gate_be; /* our VXLAN address */
	__u32 gateway_be;
	__u32 subnet_be;
	__u32 netmask_be;
	__u32 vni; /* host order */
	__u32 redirect_be;
	__u32 flags; /* XDP_CONF_* */
	__u8 mac[6]; /* ours on the gate segment */
	__u8 pad[2];
};

/* Per-CPU counters; the daemon adds the CPUs up. Names as the API and /metrics show them. */
#define XDP_CTR_LIST(X)                                                                            \
	X(UPLINK_PACKETS, "uplink_packets")                                                        \
	X(UPLINK_BYTES, "uplink_bytes")                                                            \
	X(DOWNLINK_PACKETS, "downlink_packets")                                                    \
	X(DOWNLINK_BYTES, "downlink_bytes")                                                        \
	X(DEVICE_TO_GATE_PACKETS, "device_to_gate_packets")                                        \
	X(REDIRECTED_PACKETS, "redirected_packets")                                                \
	X(GATE_TO_DEVICE_PACKETS, "gate_to_device_packets")                                        \
	X(TX_SAME_INTERFACE, "tx_same_interface")                                                  \
	X(TX_REDIRECTED, "tx_redirected")                                                          \
	X(PASSED_OTHER, "passed_other")                                                            \
	X(PASSED_UNUSUAL, "passed_unusual")                                                        \
	X(PASSED_NO_SESSION, "passed_no_session")                                                  \
	X(PASSED_SLOW_PATH, "passed_slow_path")                                                    \
	X(PASSED_DECISION, "passed_decision")                                                      \
	X(PASSED_NO_NEIGHBOR, "passed_no_neighbor")                                                \
	X(DROPPED_SPOOFED_SOURCE, "dropped_spoofed_source")                                        \
	X(DROPPED_HEADROOM, "dropped_headroom")                                                    \
	X(DEVICE_TO_DEVICE_PACKETS, "device_to_device_packets")                                    \
	X(PASSED_UNKNOWN_SENDER, "passed_unknown_sender")                                          \
	X(PASSED_INSPECTION, "passed_inspection")                                                  \
	X(INSPECTED_PACKETS, "inspected_packets")                                                  \
	X(DROPPED_PFCP_QER_GATE_CLOSED, "dropped_pfcp_qer_gate_closed")                            \
	X(DROPPED_PFCP_QER_MBR_EXCEEDED, "dropped_pfcp_qer_mbr_exceeded")

enum xdp_ctr {
#define XDP_CTR_ENUM(name, text) XDP_CTR_##name,
	XDP_CTR_LIST(XDP_CTR_ENUM)
#undef XDP_CTR_ENUM
	    XDP_CTR__COUNT
};

/*
 * Map "counters": one entry, per CPU, all of them side by side, so that a
 * packet's few counts touch one or two cache lines, not one each.
 */
struct xdp_counters {
	__u64 c[XDP_CTR__COUNT];
};

/*
 * Device to device and the LANs behind devices (bpf/xdp_route.h): the
 * session table's routes (Framed-Routes, SIM-based routing's kept routes)
 * as an LPM trie (map "routes"), each the TEID of the session that owns it.
 */
struct xdp_route_key {
	__u32 prefixlen;
	__u32 addr_be;
};
struct xdp_route {
	__u32 teid_be; /* the owning session's, as in "teid_index"; 0: held for a device not
			  attached */
};
/* The privacy separator is on: devices reach gate peers only, never each other. */
#define XDP_CONF_PRIVACY_SEPARATOR 0x20

/*
 * The routing filter's value (map "filter"): the verdict and the index of
 * the first rule that matches, whose hits XDP counts (map "filter_hits",
 * per CPU, one a rule) for what it forwards.
 */
struct xdp_filter_value {
	__u32 verdict; /* XDP_FILTER_ALLOW or XDP_FILTER_DENY */
	__u32 rule;
};
#define XDP_FILTER_MAX_RULES 64

/*
 * Junction Inspection in XDP (bpf/xdp_flows.h, fwd/xdp_flows.c). While
 * XDP_CONF_INSPECT is set, a packet XDP would forward goes up instead unless
 * its flow is in map "flows": Inspection puts a flow there once nDPI is done
 * with it, so the first packets of every flow still reach the classifier.
 */
#define XDP_CONF_INSPECT 0x40
/*
 * The filter's and the routes' LPM tries are looked up only while these
 * say they may hold anything (an empty trie's answer is known): set before
 * the first entry goes in, cleared after the last one is out.
 */
#define XDP_CONF_FILTER 0x80
#define XDP_CONF_ROUTES 0x100

/* A flow as Inspection's table keys it (inspect/flow.h), one direction. */
struct xdp_flow_key {
	__u32 saddr_be, daddr_be;
	__u16 sport_be, dport_be; /* ICMP: 0, and type and code where dport goes */
	__u8 proto;
	__u8 dir; /* 0 uplink (from a device), 1 downlink */
	__u16 pad;
};

/*
 * What XDP carried for it since it was put in the map: counts that only
 * grow, so the daemon takes the difference from what it merged last.
 */
struct xdp_flow_stats {
	__u64 packets, bytes; /* bytes: IPv4 total length, as Inspection counts */
	__u64 last_ns;	      /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 tcp_flags;      /* OR of the flags word (RFC 7125) of the packets counted */
};

/*
 * A UPF session XDP carries: its PFCP rules, reduced by core/rules_fast.c
 * to what the program applies, are in map "upf" under our TEID.
 */
#define XDP_SESSION_F_UPF 0x2

#define XDP_UPF_UL_CLOSED 0x1 /* a QER's uplink gate is closed: drop */
#define XDP_UPF_DL_CLOSED 0x2
#define XDP_UPF_UL_QFI	  0x4 /* the uplink PDR matches only a PDU Session Container with ul_qfi */
#define XDP_UPF_DL_QFI	  0x8 /* downlink G-PDUs carry a PDU Session Container with dl_qfi */

/*
 * A direction's MBR as the socket path polices it (core/rules.c): a token
 * bucket in bits, one second of burst, refilled by the milliseconds elapsed
 * (CLOCK_MONOTONIC, which bpf_ktime_get_ns reads too).
 */
struct xdp_bucket {
	__u64 rate_bps; /* 0: no limit; host order */
	__u64 tokens;
	__u64 last_ms;
};

/* Map "upf", by our TEID. The lock guards the buckets, which every CPU spends from. */
struct xdp_upf {
	struct bpf_spin_lock lock;
	__u32 flags; /* XDP_UPF_* */
	__u8 ul_qfi, dl_qfi;
	__u8 pad[6];
	struct xdp_bucket ul, dl;
};

#endif
