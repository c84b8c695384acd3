/*
 * What Figure 12's BPF programs (the .bpf.c files beside it) and their loader
 * (bench/xgen.c) share: the maps' values. Addresses, ports and TEIDs in
 * network order, as the programs compare and write them.
 */
#ifndef BENCH_XBENCH_H
#define BENCH_XBENCH_H

#include <linux/types.h>

/*
 * The generator's frame: its first XGEN_HDR_LEN octets, written again into
 * every frame it offers (every header of both encapsulations fits), and where
 * in it the per-session fields are.
 */
#define XGEN_HDR_LEN  96
#define XGEN_MARK_OFF 100  /* past every header, inside the smallest frame (114 octets) */
#define XGEN_MARK     0xa5 /* what the loader puts there; the program replaces it */

/* Uplink: Eth 14, IPv4 20, UDP 8, GTP-U 8 (TEID at 46), then the inner IPv4 header. */
#define XGEN_UP_TEID  46
#define XGEN_UP_INNER 50
/* Downlink: Eth 14, IPv4 20, UDP 8, VXLAN 8, Eth 14, then the inner IPv4 header. */
#define XGEN_DOWN_INNER 64

struct xgen_conf {
	__u32 n_sessions;
	__u32 downlink; /* 0: a G-PDU per session (TEID, inner source); 1: VXLAN (inner dest) */
	__u8 hdr[XGEN_HDR_LEN];
};

struct xgen_session {
	__u32 teid_be;
	__u32 addr_be;
};

/* The generator's per-CPU counters. */
enum { XGEN_FRAMES, XGEN_FRESH, XGEN__COUNT };

/* The sink's per-CPU counters. */
enum { XSINK_PACKETS, XSINK_BYTES, XSINK__COUNT };

/* The bare forwarder: a session seen from the device side (map "bare_up", by our TEID). */
struct bare_up {
	__u8 mac[6]; /* the gate neighbour's inner MAC */
	__u16 pad;
	__u32 outer_be; /* the gate peer's underlay address */
};

/* ... and from the gate side (map "bare_down", by the device's address). */
struct bare_down {
	__u32 peer_teid_be;
	__u32 peer_addr_be;
};

/* One direction's way out: the next hop's MAC, ours, our source address and the port. */
struct bare_out {
	__u8 dmac[6];
	__u8 smac[6];
	__u32 src_be;
	__u32 ifindex;
};

struct bare_conf {
	struct bare_out up, down;
	__u8 gate_mac[6]; /* the inner source of uplink frames */
	__u16 pad;
	__u32 vni_be; /* VNI << 8, in network order */
};

#endif
