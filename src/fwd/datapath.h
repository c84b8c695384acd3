/*
 * What the packet path needs at hand: the tables to look devices and gate
 * peers up, the socket batches to send through, the gateway's own addresses,
 * and the time of the batch. uplink.c, downlink.c and gate.c take it as their
 * first argument.
 */
#ifndef VPG_FWD_DATAPATH_H
#define VPG_FWD_DATAPATH_H

#include <stdint.h>

struct egress;
struct filter;
struct gate;
struct inspect;
struct mirror;
struct peek_tap;
struct redirect;
struct session_table;
struct udp_batch;

struct attach;

struct datapath {
	struct session_table *sessions;
	struct attach *core; /* to end a session a peer says it lost; may be NULL */
	struct gate *gate;
	const struct redirect *redirect;
	struct egress *egress; /* NULL when egress is off */
	struct filter *filter;
	struct mirror *mirror;
	struct inspect *inspect;
	struct peek_tap *peek; /* Peek's captures; NULL: none can run */
	struct udp_batch *gtpu;
	struct udp_batch *vxlan;    /* bound to 4789: receives */
	struct udp_batch *vxlan_tx; /* raw UDP: sends, a source port per flow; NULL: vxlan sends */
	uint32_t gateway_be;	    /* our address inside the device subnet */
	uint32_t local_be;	    /* our GTP-U address */
	uint32_t subnet_be;	    /* the device subnet, for "is this on the segment?" */
	uint32_t netmask_be;
	uint64_t now_ms; /* monotonic, set before each batch */
	/* ICMP errors we may still send (RFC 1812 §4.3.2.8), refilled as now_ms moves. */
	uint32_t icmp_tokens;
	uint64_t icmp_refilled_ms;
};

#endif
