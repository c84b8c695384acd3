/*
 * The gate: the device subnet as one L2 segment shared with gate peers over
 * VXLAN (RFC 7348). The gateway acts as a switch with proxy-ARP: it answers
 * ARP for every attached device and for itself with its own MAC, resolves
 * the peers' addresses by ARP (a neighbour cache that ages and refreshes),
 * learns which MAC sits behind which peer, and replicates broadcast and
 * unknown unicast to every other peer (head-end replication).
 */
#ifndef VPG_FWD_GATE_H
#define VPG_FWD_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/drop.h"
#include "proto/ether.h"

#define GATE_MAX_PEERS	   256
#define GATE_MAX_NEIGHBORS 4096
#define GATE_MAX_MACS	   4096
#define GATE_NEIGHBOR_FRESH_MS                                                                     \
	10000			  /* after this without word from the peer, a use probes by ARP */
#define GATE_NEIGHBOR_PROBES	3 /* unanswered probes before the entry is unresolved */
#define GATE_NEIGHBOR_EXPIRE_MS 90000  /* after this without an answer, the entry is gone */
#define GATE_MAC_EXPIRE_MS	300000 /* as a bridge's default ageing time */
#define GATE_ARP_BACKOFF_MAX_MS 8000
/*
 * New neighbour entries that devices cause (a packet to an address not in
 * the table), each an ARP broadcast to every peer: a burst, then a steady
 * rate. What is over it is dropped (gate_neighbor_rate_limited).
 */
#define GATE_NEIGHBOR_NEW_BURST	  100
#define GATE_NEIGHBOR_NEW_PER_SEC 50

struct datapath;
struct gate;
struct gate_neigh_table;
struct udp_pkt;

/* Our MAC is derived from the gateway address, so it survives restarts. */
struct gate *gate_new(uint32_t gateway_be);
/* With a neighbour table of that many entries instead of GATE_MAX_NEIGHBORS. */
struct gate *gate_new_sized(uint32_t gateway_be, uint32_t neighbors);
void gate_free(struct gate *g);
const uint8_t *gate_mac(const struct gate *g);

/* Control: applied between batches. */
void gate_configure(struct gate *g, bool open, uint32_t vni, bool privacy_separator);
bool gate_is_open(const struct gate *g);
uint32_t gate_vni(const struct gate *g);
bool gate_privacy_separator(const struct gate *g);
/* -EEXIST when outer or inner is registered already, -ENOSPC when full. */
int gate_peer_add(struct gate *g, uint32_t outer_be, uint32_t inner_be);
/* Forgets the peer and everything learned behind it; -ENOENT when unknown. */
int gate_peer_del(struct gate *g, uint32_t outer_be);
unsigned gate_peer_count(const struct gate *g);
/* Iteration: pass 0 to start; returns 0 at the end. mac is NULL until learned. */
unsigned gate_peer_next(const struct gate *g, unsigned cursor, uint32_t *outer_be,
    uint32_t *inner_be, const uint8_t **mac);
/* The inner address of the peer registered at outer_be; false when none. */
bool gate_peer_find(const struct gate *g, uint32_t outer_be, uint32_t *inner_be);
/* The neighbour table, to look at (fwd/gate_neigh.h). */
const struct gate_neigh_table *gate_neighbors(const struct gate *g);
/*
 * Told whenever a neighbour is resolved, changes its MAC or peer, stops
 * being usable or leaves the table (at the latest at the next gate_tick):
 * the XDP maps follow the table (fwd/xdp.h).
 */
void gate_set_neighbor_hook(struct gate *g, void (*hook)(void *arg), void *arg);
/*
 * Called by gate_tick before the tables age: a fast path that carries
 * neighbours' traffic out of this path's sight tells what it saw, through
 * the two calls below (fwd/xdp_neigh.h). One hook; NULL turns it off.
 */
void gate_set_tick_hook(struct gate *g, void (*hook)(void *arg), void *arg);
/*
 * A fast path took a frame from neighbour ip_be (its MAC, through its peer)
 * at at_ms: learnt as gate_receive learns the MAC of a frame it takes.
 */
void gate_neighbor_heard(struct datapath *dp, uint32_t ip_be, uint64_t at_ms);
/*
 * A fast path sent to neighbour ip_be at at_ms: a use as gate_send_ipv4's
 * (the entry touched, probed by ARP once no longer fresh, unresolved after
 * unanswered probes).
 */
void gate_neighbor_used(struct datapath *dp, uint32_t ip_be, uint64_t at_ms);
/* The outer address of the peer n sits behind; 0 when that peer is gone. */
struct gate_neigh;
uint32_t gate_neighbor_outer(const struct gate *g, const struct gate_neigh *n);
/* True when addr is some registered peer's inner address. */
bool gate_is_peer_inner(const struct gate *g, uint32_t addr_be);

/*
 * Data path. gate_receive takes a VXLAN datagram from the socket: it checks
 * the sender, the header and the frame, learns, and then floods, forwards
 * or hands the frame to the gateway itself, where an IPv4 packet for a
 * device goes into its tunnel (downlink.c).
 */
void gate_receive(struct datapath *dp, struct udp_pkt *p);
/* Before a batch of n: starts loading the sessions of the devices its frames go to. */
void gate_prefetch(const struct datapath *dp, const struct udp_pkt *pkts, int n);
/*
 * Sends a device's IPv4 packet onto the segment: to the MAC that answered
 * ARP for dst_be (mac_for may name another address to resolve instead, as
 * redirection does), or, unresolved, starts resolving and returns
 * VPG_DROP_GATE_NEIGHBOR_UNRESOLVED. pkt needs 30 writable octets before it
 * (Ethernet, VXLAN, UDP).
 */
unsigned gate_send_ipv4(struct datapath *dp, uint8_t *pkt, size_t len, uint32_t mac_for_be);
/* Ages the tables and retries ARP; call about once a second. */
void gate_tick(struct datapath *dp);
/* Resolves newly registered peers at once; cheap when nothing changed, call before sleeping. */
void gate_poll(struct datapath *dp);

#endif
