/*
 * Forwarding by a session's PFCP rules (core/rules.h): which Packet
 * Detection Rule a packet matches and what its FAR, QERs and URRs do with
 * it. Sessions of the GTP roles have no rules and never come here; for a
 * UPF session, uplink.c asks pdr_tunnelled before taking its decisions, and
 * downlink.c asks pdr_downlink for the tunnel to send into.
 */
#ifndef VPG_FWD_PDR_H
#define VPG_FWD_PDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct datapath;
struct gtpu_view;
struct ipv4_view;
struct session;
struct session_table;

enum pdr_decision {
	PDR_TO_CORE, /* a device's packet the FAR sends to Core: uplink.c decides the rest */
	PDR_DONE,    /* sent (to the CP function, or to the device) or dropped and counted */
};

/*
 * A G-PDU of session s, its IPv4 packet checked into ip: from the device (an
 * Access PDR) or from the CP function (a PDR whose source is CP-function,
 * towards the device).
 */
enum pdr_decision pdr_tunnelled(
    struct datapath *dp, struct session *s, const struct gtpu_view *v, const struct ipv4_view *ip);

/* The tunnel a packet for the device leaves by. */
struct pdr_tunnel {
	uint32_t teid, addr_be;
	bool has_qfi; /* mark the QoS flow in a PDU Session Container */
	uint8_t qfi;
};

/*
 * A packet towards the device of session s: false when the rules drop it
 * (counted), else the tunnel to send it into.
 */
bool pdr_downlink(
    struct datapath *dp, struct session *s, const uint8_t *pkt, size_t len, struct pdr_tunnel *out);

/*
 * True when addr is the device's own or lies in a LAN behind it: one of its
 * Framed-Routes, or a route t gives s (SIM-based routing).
 */
bool pdr_owns_address(const struct session_table *t, const struct session *s, uint32_t addr_be);

#endif
