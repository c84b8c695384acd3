#include "fwd/gate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/counters.h"
#include "fwd/datapath.h"
#include "fwd/downlink.h"
#include "fwd/gate_neigh.h"
#include "fwd/redirect.h"
#include "core/hmap.h"
#include "core/session.h"
#include "io/udp_batch.h"
#include "proto/arp.h"
#include "proto/ipv4.h"
#include "proto/vxlan.h"

#define ETHER_MIN_FRAME 60 /* IEEE 802.3 minimum without FCS: short frames are padded */

struct peer {
	uint32_t outer_be, inner_be;
	bool in_use;
};

struct mac_entry {
	uint32_t peer;
	uint64_t seen_ms;
	bool in_use;
};

struct gate {
	bool open, privacy;
	bool resolve_peers; /* a peer or the gate changed: resolve the peers before the next tick */
	uint32_t vni;
	uint32_t gateway_be;
	uint8_t mac[ETHER_ADDR_LEN];
	struct peer peers[GATE_MAX_PEERS];
	unsigned n_peers;
	struct hmap *peer_by_outer, *peer_by_inner;
	struct gate_neigh_table *nbrs;
	struct mac_entry macs[GATE_MAX_MACS];
	uint64_t mac_keys[GATE_MAX_MACS];
	struct hmap *mac_index; /* MAC -> index in macs */
	uint32_t mac_free[GATE_MAX_MACS], n_mac_free;
	/*
	 * The peer and the MAC entry of the last frame received: a peer's frames
	 * come in runs from one source, so these are checked before the indices.
	 * Each is checked against the entry itself (in use, the same key), so a
	 * removal needs no word here.
	 */
	uint32_t last_peer, last_mac;
	void (*neighbor_hook)(void *arg); /* a neighbour was resolved, changed or forgotten */
	void *neighbor_arg;
	void (*tick_hook)(void *arg); /* before the tables age: a fast path's uses folded in */
	void *tick_arg;
};

static void
neighbors_changed(const struct gate *g)
{
	if (g->neighbor_hook != NULL)
		g->neighbor_hook(g->neighbor_arg);
}

void
gate_set_neighbor_hook(struct gate *g, void (*hook)(void *arg), void *arg)
{
	g->neighbor_hook = hook;
	g->neighbor_arg = arg;
}

void
gate_set_tick_hook(struct gate *g, void (*hook)(void *arg), void *arg)
{
	g->tick_hook = hook;
	g->tick_arg = arg;
}

uint32_t
gate_neighbor_outer(const struct gate *g, const struct gate_neigh *n)
{
	return n->peer < GATE_MAX_PEERS && g->peers[n->peer].in_use ? g->peers[n->peer].outer_be
								    : 0;
}

static uint64_t
mac_key(const uint8_t mac[ETHER_ADDR_LEN])
{
	uint64_t k = 0;

	for (int i = 0; i < ETHER_ADDR_LEN; i++)
		k = (k << 8) | mac[i];
	return k;
}

struct gate *
gate_new(uint32_t gateway_be)
{
	return gate_new_sized(gateway_be, GATE_MAX_NEIGHBORS);
}

struct gate *
gate_new_sized(uint32_t gateway_be, uint32_t neighbors)
{
	struct gate *g = calloc(1, sizeof(*g));
	uint32_t gw = ntohl(gateway_be);

	if (g == NULL)
		return NULL;
	g->gateway_be = gateway_be;
	g->vni = 10;
	/* Locally administered, unicast: 02:76:70 ("vp") and the gateway address's low 24 bits. */
	memcpy(g->mac,
	    (uint8_t[]){ 0x02, 0x76, 0x70, (uint8_t)(gw >> 16), (uint8_t)(gw >> 8), (uint8_t)gw },
	    ETHER_ADDR_LEN);
	g->peer_by_outer = hmap_new(GATE_MAX_PEERS);
	g->peer_by_inner = hmap_new(GATE_MAX_PEERS);
	g->nbrs = gate_neigh_new(neighbors, GATE_NEIGHBOR_NEW_PER_SEC, GATE_NEIGHBOR_NEW_BURST);
	g->mac_index = hmap_new(GATE_MAX_MACS);
	if (!g->peer_by_outer || !g->peer_by_inner || !g->nbrs || !g->mac_index) {
		gate_free(g);
		return NULL;
	}
	for (uint32_t i = 0; i < GATE_MAX_MACS; i++)
		g->mac_free[g->n_mac_free++] = GATE_MAX_MACS - 1 - i;
	return g;
}

void
gate_free(struct gate *g)
{
	if (g == NULL)
		return;
	hmap_free(g->peer_by_outer);
	hmap_free(g->peer_by_inner);
	gate_neigh_free(g->nbrs);
	hmap_free(g->mac_index);
	free(g);
}

const uint8_t *
gate_mac(const struct gate *g)
{
	return g->mac;
}

void
gate_configure(struct gate *g, bool open, uint32_t vni, bool privacy_separator)
{
	g->open = open;
	g->vni = vni;
	g->privacy = privacy_separator;
	g->resolve_peers = true;
}

bool
gate_is_open(const struct gate *g)
{
	return g->open;
}

uint32_t
gate_vni(const struct gate *g)
{
	return g->vni;
}

bool
gate_privacy_separator(const struct gate *g)
{
	return g->privacy;
}

int
gate_peer_add(struct gate *g, uint32_t outer_be, uint32_t inner_be)
{
	uint32_t unused;
	unsigned i;

	if (hmap_get(g->peer_by_outer, outer_be, &unused) ||
	    hmap_get(g->peer_by_inner, inner_be, &unused))
		return -EEXIST;
	for (i = 0; i < GATE_MAX_PEERS && g->peers[i].in_use; i++)
		;
	if (i == GATE_MAX_PEERS)
		return -ENOSPC;
	/* The indices hold GATE_MAX_PEERS each: full only if they drifted from peers[]. */
	if (hmap_put(g->peer_by_outer, outer_be, i) < 0)
		return -ENOSPC;
	if (hmap_put(g->peer_by_inner, inner_be, i) < 0) {
		hmap_del(g->peer_by_outer, outer_be);
		return -ENOSPC;
	}
	g->peers[i] = (struct peer){ .outer_be = outer_be, .inner_be = inner_be, .in_use = true };
	g->resolve_peers = true;
	g->n_peers++;
	return 0;
}

static void
mac_remove(struct gate *g, uint32_t idx)
{
	hmap_del(g->mac_index, g->mac_keys[idx]);
	g->macs[idx].in_use = false;
	g->mac_free[g->n_mac_free++] = idx;
}

/* O(table size): runs on a control-plane change only. */
static void
forget_behind(struct gate *g, uint32_t peer)
{
	for (uint32_t i = 0; i < gate_neigh_capacity(g->nbrs); i++) {
		struct gate_neigh *n = gate_neigh_slot(g->nbrs, i);

		if (n != NULL && n->resolved && n->peer == peer)
			gate_neigh_remove(g->nbrs, n);
	}
	for (uint32_t i = 0; i < GATE_MAX_MACS; i++)
		if (g->macs[i].in_use && g->macs[i].peer == peer)
			mac_remove(g, i);
}

int
gate_peer_del(struct gate *g, uint32_t outer_be)
{
	uint32_t i;

	if (!hmap_get(g->peer_by_outer, outer_be, &i))
		return -ENOENT;
	hmap_del(g->peer_by_outer, outer_be);
	hmap_del(g->peer_by_inner, g->peers[i].inner_be);
	g->peers[i].in_use = false;
	g->n_peers--;
	forget_behind(g, i);
	neighbors_changed(g);
	return 0;
}

unsigned
gate_peer_count(const struct gate *g)
{
	return g->n_peers;
}

static struct gate_neigh *
neighbor_find(const struct gate *g, uint32_t ip_be)
{
	return gate_neigh_find(g->nbrs, ip_be);
}

unsigned
gate_peer_next(const struct gate *g, unsigned cursor, uint32_t *outer_be, uint32_t *inner_be,
    const uint8_t **mac)
{
	for (unsigned i = cursor; i < GATE_MAX_PEERS; i++) {
		const struct gate_neigh *n;

		if (!g->peers[i].in_use)
			continue;
		*outer_be = g->peers[i].outer_be;
		*inner_be = g->peers[i].inner_be;
		n = neighbor_find(g, *inner_be);
		*mac = n != NULL && n->resolved ? n->mac : NULL;
		return i + 1;
	}
	return 0;
}

bool
gate_peer_find(const struct gate *g, uint32_t outer_be, uint32_t *inner_be)
{
	uint32_t i;

	if (!hmap_get(g->peer_by_outer, outer_be, &i))
		return false;
	*inner_be = g->peers[i].inner_be;
	return true;
}

const struct gate_neigh_table *
gate_neighbors(const struct gate *g)
{
	return g->nbrs;
}

bool
gate_is_peer_inner(const struct gate *g, uint32_t addr_be)
{
	uint32_t unused;

	return hmap_get(g->peer_by_inner, addr_be, &unused);
}

/*
 * VXLAN leaves through a raw UDP socket (dp->vxlan_tx) so that each inner
 * flow gets its own source port (RFC 7348 §5): underlay ECMP and RSS then
 * spread flows, and keep each one in order. A raw socket writes any header
 * from one descriptor, which a set of sockets bound to ports of the range
 * cannot do for 16,384 ports; the UDP header is ours, its checksum 0 as
 * §5 allows over IPv4. Without one (no raw sockets), the socket bound to
 * 4789 sends, from 4789.
 */
static struct udp_batch *
tx_socket(const struct datapath *dp)
{
	return dp->vxlan_tx != NULL ? dp->vxlan_tx : dp->vxlan;
}

/* The datagram as the socket takes it: with our UDP header in front through the raw socket. */
static const uint8_t *
tx_datagram(const struct datapath *dp, uint8_t *dgram, size_t len, size_t *out_len)
{
	if (dp->vxlan_tx == NULL) {
		*out_len = len;
		return dgram;
	}
	*out_len = len + VXLAN_UDP_HDR_LEN;
	return vxlan_push_udp(dgram, len);
}

static void
queue_to_peer(struct datapath *dp, uint32_t peer, const uint8_t *out, size_t out_len, size_t len)
{
	udp_batch_queue(tx_socket(dp), out, out_len, dp->gate->peers[peer].outer_be, VXLAN_PORT);
	counters_add(VPG_CTR_VXLAN_TX_PACKETS, 1);
	counters_add(VPG_CTR_VXLAN_TX_BYTES, len);
}

/* dgram needs VXLAN_UDP_HDR_LEN writable octets before it. */
static void
send_to_peer(struct datapath *dp, uint32_t peer, uint8_t *dgram, size_t len)
{
	size_t out_len;
	const uint8_t *out = tx_datagram(dp, dgram, len, &out_len);

	queue_to_peer(dp, peer, out, out_len, len);
}

/* Head-end replication (RFC 7348 §4.2): one unicast copy per other peer, same bytes. */
static void
flood(struct datapath *dp, uint8_t *dgram, size_t len, int except_peer)
{
	const struct gate *g = dp->gate;
	size_t out_len;
	const uint8_t *out = tx_datagram(dp, dgram, len, &out_len);

	counters_add(VPG_CTR_GATE_FLOODED_FRAMES, 1);
	for (unsigned i = 0; i < GATE_MAX_PEERS; i++)
		if (g->peers[i].in_use && (int)i != except_peer)
			queue_to_peer(dp, i, out, out_len, len);
}

/* mac was heard through peer at at_ms; a later word already heard is kept, as is this one's. */
static void
mac_heard(struct gate *g, const uint8_t mac[ETHER_ADDR_LEN], uint32_t peer, uint64_t at_ms)
{
	uint64_t key = mac_key(mac);
	uint32_t idx = g->last_mac;

	if (!(g->macs[idx].in_use && g->mac_keys[idx] == key) &&
	    !hmap_get(g->mac_index, key, &idx)) {
		if (g->n_mac_free == 0) {
			counters_drop(VPG_DROP_GATE_TABLE_FULL);
			return;
		}
		idx = g->mac_free[g->n_mac_free - 1];
		if (hmap_put(g->mac_index, key, idx) < 0) {
			counters_drop(VPG_DROP_GATE_TABLE_FULL);
			return;
		}
		g->n_mac_free--;
		g->mac_keys[idx] = key;
	} else if (g->macs[idx].peer == peer && g->macs[idx].seen_ms >= at_ms) {
		g->last_mac = idx; /* already stamped this millisecond: no store to the entry */
		return;
	}
	g->macs[idx] = (struct mac_entry){ .peer = peer, .seen_ms = at_ms, .in_use = true };
	g->last_mac = idx;
}

/* The peer whose underlay address is outer_be, the last frame's first. */
static bool
peer_of_outer(struct gate *g, uint32_t outer_be, uint32_t *peer)
{
	const struct peer *last = &g->peers[g->last_peer];

	if (last->in_use && last->outer_be == outer_be) {
		*peer = g->last_peer;
		return true;
	}
	if (!hmap_get(g->peer_by_outer, outer_be, peer))
		return false;
	g->last_peer = *peer;
	return true;
}

static void
mac_learn(struct datapath *dp, const uint8_t mac[ETHER_ADDR_LEN], uint32_t peer)
{
	mac_heard(dp->gate, mac, peer, dp->now_ms);
}

/*
 * Builds [VXLAN][Ethernet][ARP, padded] in a scratch buffer, room for the
 * UDP header left in front; points *dgram at it and returns its length.
 */
static size_t
build_arp_frame(struct datapath *dp, uint8_t **dgram, uint16_t op,
    const uint8_t dst[ETHER_ADDR_LEN], const uint8_t tha[ETHER_ADDR_LEN], uint32_t spa_be,
    uint32_t tpa_be)
{
	const struct gate *g = dp->gate;
	uint8_t *buf = udp_batch_scratch(tx_socket(dp));
	uint8_t *arp = buf + VXLAN_UDP_HDR_LEN + VXLAN_HDR_LEN + ETHER_HDR_LEN;

	memset(arp, 0, ETHER_MIN_FRAME - ETHER_HDR_LEN);
	arp_build(arp, ARP_LEN, op, g->mac, spa_be, tha, tpa_be);
	*dgram = vxlan_push(ether_push(arp, dst, g->mac, ETHER_TYPE_ARP), g->vni);
	return VXLAN_HDR_LEN + ETHER_MIN_FRAME;
}

/*
 * Asks who has tpa. A registered peer's own inner address is asked of that
 * peer alone: with hundreds of peers, resolving each by broadcast would send
 * peers squared copies a round. Any other address is asked of every peer,
 * as ARP broadcasts.
 */
static void
send_arp_request(struct datapath *dp, uint32_t tpa_be)
{
	static const uint8_t broadcast[ETHER_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t unknown[ETHER_ADDR_LEN] = { 0 };
	uint8_t *buf;
	uint32_t peer;
	size_t len;

	len = build_arp_frame(dp, &buf, ARP_OP_REQUEST, broadcast, unknown, dp->gateway_be, tpa_be);
	counters_add(VPG_CTR_GATE_ARP_REQUESTS_SENT, 1);
	if (hmap_get(dp->gate->peer_by_inner, tpa_be, &peer))
		send_to_peer(dp, peer, buf, len);
	else
		flood(dp, buf, len, -1);
}

static void
send_arp_reply(struct datapath *dp, uint32_t peer, const struct arp_view *req)
{
	uint8_t *buf;
	size_t len;

	len = build_arp_frame(dp, &buf, ARP_OP_REPLY, req->sha, req->sha, req->tpa_be, req->spa_be);
	counters_add(VPG_CTR_GATE_ARP_REPLIES_SENT, 1);
	send_to_peer(dp, peer, buf, len);
}

static bool
on_segment(const struct datapath *dp, uint32_t addr_be)
{
	return (addr_be & dp->netmask_be) == dp->subnet_be;
}

/* An address the gateway itself stands for: its own, or an attached device's. */
static bool
ours(const struct datapath *dp, uint32_t addr_be)
{
	return addr_be == dp->gateway_be || session_find_ip(dp->sessions, addr_be) != NULL;
}

/* Registered peers' inner addresses and the redirection gateway: never evicted. */
static bool
pinned(const void *arg, uint32_t ip_be)
{
	const struct datapath *dp = arg;

	return gate_is_peer_inner(dp->gate, ip_be) ||
	       (dp->redirect != NULL && dp->redirect->set && dp->redirect->gateway_be == ip_be);
}

/* A new entry, in the place of the least recently used one when the table is full. */
static struct gate_neigh *
neighbor_add(struct datapath *dp, uint32_t ip_be)
{
	struct gate_neigh *n = gate_neigh_add(dp->gate->nbrs, ip_be, dp->now_ms, pinned, dp);

	/* The slot may have been another address's, evicted. */
	neighbors_changed(dp->gate);
	return n;
}

/* What ARP told us; an absent entry is created only when create says so. */
static void
neighbor_learn(struct datapath *dp, uint32_t ip_be, const uint8_t mac[ETHER_ADDR_LEN],
    uint32_t peer, bool create)
{
	struct gate_neigh *n = neighbor_find(dp->gate, ip_be);

	if (n == NULL && !create)
		return;
	if (n == NULL)
		n = neighbor_add(dp, ip_be);
	if (n == NULL) {
		counters_drop(VPG_DROP_GATE_NEIGHBOR_TABLE_FULL);
		return;
	}
	memcpy(n->mac, mac, ETHER_ADDR_LEN);
	n->peer = peer;
	n->resolved = true;
	n->confirmed_ms = dp->now_ms;
	n->backoff_ms = 0;
	n->next_probe_ms = 0;
	n->probes = 0;
	neighbors_changed(dp->gate);
}

/* RFC 826 reception, with proxy-ARP for the addresses the gateway stands for. */
static void
arp_input(struct datapath *dp, uint32_t peer, const struct ether_view *eth, bool to_us)
{
	struct arp_view arp;
	enum vpg_drop drop = arp_parse(eth->payload, eth->payload_len, &arp);

	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	/* A peer must not take over a device's address or ours: never learn those. */
	if (ours(dp, arp.spa_be)) {
		counters_drop(VPG_DROP_GATE_ARP_HIJACK);
		return;
	}
	/*
	 * As a host does (RFC 826, Linux's arp_accept off): an answer to us or a
	 * question for an address we serve creates an entry, since we are about
	 * to talk to the sender; other ARP (gratuitous, between peers) only
	 * updates one, so peers' chatter cannot fill the table.
	 */
	if (on_segment(dp, arp.spa_be) && arp.spa_be != 0)
		neighbor_learn(dp, arp.spa_be, arp.sha, peer,
		    (arp.op == ARP_OP_REPLY && to_us) ||
			(arp.op == ARP_OP_REQUEST && ours(dp, arp.tpa_be)));
	if (arp.op == ARP_OP_REQUEST && ours(dp, arp.tpa_be))
		send_arp_reply(dp, peer, &arp);
	else if (arp.op == ARP_OP_REQUEST && to_us)
		counters_drop(VPG_DROP_GATE_ARP_NOT_SERVED);
}

/* Updates a known neighbour's MAC from an IPv4 frame it sent; never creates one. */
static void
glean(struct datapath *dp, uint32_t peer, uint32_t src_be, const uint8_t mac[ETHER_ADDR_LEN])
{
	struct gate_neigh *n = neighbor_find(dp->gate, src_be);

	if (n == NULL || !n->resolved || ours(dp, src_be) ||
	    (memcmp(n->mac, mac, ETHER_ADDR_LEN) == 0 && n->peer == peer))
		return;
	neighbor_learn(dp, src_be, mac, peer, false);
}

/* A peer pings the gateway's own address: the reply goes back the way it came. */
static void
echo_to_gateway(struct datapath *dp, uint32_t peer, struct udp_pkt *p, uint8_t *frame,
    const struct ipv4_view *ip)
{
	enum vpg_drop drop = icmp_answer_echo_to_us(frame + ETHER_HDR_LEN, ip);

	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	memcpy(frame, frame + ETHER_ADDR_LEN, ETHER_ADDR_LEN);
	memcpy(frame + ETHER_ADDR_LEN, dp->gate->mac, ETHER_ADDR_LEN);
	counters_add(VPG_CTR_GATEWAY_ECHO_REPLIES, 1);
	send_to_peer(dp, peer, p->data, VXLAN_HDR_LEN + ETHER_HDR_LEN + ip->total_len);
}

static void
ipv4_to_us(struct datapath *dp, uint32_t peer, struct udp_pkt *p, const struct ether_view *eth)
{
	uint8_t *frame = (uint8_t *)eth->payload - ETHER_HDR_LEN;
	struct ipv4_view ip;
	struct session *s;
	bool held;
	enum vpg_drop drop = ipv4_parse(eth->payload, eth->payload_len, &ip);

	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	/* A neighbour that changed its MAC is followed at its first packet, not at expiry. */
	glean(dp, peer, ip.src, eth->src);
	if (ip.dst == dp->gateway_be) {
		echo_to_gateway(dp, peer, p, frame, &ip);
		return;
	}
	s = session_find_dest_held(dp->sessions, ip.dst, &held);
	if (s == NULL) {
		counters_drop(
		    held ? VPG_DROP_SIM_ROUTE_NOT_ATTACHED : VPG_DROP_GATE_UNKNOWN_DESTINATION);
		return;
	}
	counters_add(VPG_CTR_GATE_TO_DEVICE_PACKETS, 1);
	downlink_to_session(dp, s, (uint8_t *)eth->payload, ip.total_len);
}

static void
frame_to_us(struct datapath *dp, uint32_t peer, struct udp_pkt *p, const struct ether_view *eth,
    bool unicast)
{
	if (eth->type == ETHER_TYPE_ARP)
		arp_input(dp, peer, eth, unicast);
	else if (eth->type == ETHER_TYPE_IPV4 && unicast)
		ipv4_to_us(dp, peer, p, eth);
	else if (eth->type == ETHER_TYPE_IPV4)
		counters_add(VPG_CTR_GATE_BROADCASTS_RECEIVED, 1);
	else
		counters_drop(VPG_DROP_GATE_UNSUPPORTED_ETHERTYPE);
}

/* Unicast to a MAC behind another peer: the gateway switches it there, or floods if unknown. */
static void
switch_unicast(struct datapath *dp, uint32_t peer, struct udp_pkt *p, const uint8_t *dst)
{
	struct gate *g = dp->gate;
	uint32_t idx;

	if (!hmap_get(g->mac_index, mac_key(dst), &idx)) {
		flood(dp, p->data, p->len, (int)peer);
		return;
	}
	if (g->macs[idx].peer == peer) {
		counters_drop(VPG_DROP_GATE_LOOPED_FRAME);
		return;
	}
	counters_add(VPG_CTR_GATE_FORWARDED_FRAMES, 1);
	send_to_peer(dp, g->macs[idx].peer, p->data, p->len);
}

/* Who sent it, and is it well-formed VXLAN for our segment? */
static unsigned
accept_datagram(struct datapath *dp, struct udp_pkt *p, uint32_t *peer, struct ether_view *eth)
{
	struct gate *g = dp->gate;
	struct vxlan_view vx;
	unsigned drop;

	if (!g->open)
		return VPG_DROP_GATE_CLOSED;
	if (p->truncated)
		return VPG_DROP_RX_TRUNCATED;
	if (!peer_of_outer(g, p->from_be, peer))
		return VPG_DROP_GATE_UNKNOWN_PEER;
	drop = vxlan_parse(p->data, p->len, &vx);
	if (drop != VPG_DROP_NONE)
		return drop;
	if (vx.vni != g->vni)
		return VPG_DROP_GATE_WRONG_VNI;
	drop = ether_parse(vx.frame, vx.frame_len, eth);
	if (drop != VPG_DROP_NONE)
		return drop;
	/* Our own MAC as a source means the frame has looped back to us. */
	if (memcmp(eth->src, g->mac, ETHER_ADDR_LEN) == 0 || ether_is_multicast(eth->src))
		return VPG_DROP_GATE_LOOPED_FRAME;
	return VPG_DROP_NONE;
}

void
gate_receive(struct datapath *dp, struct udp_pkt *p)
{
	struct ether_view eth;
	uint32_t peer;
	unsigned drop;

	counters_add(VPG_CTR_VXLAN_RX_PACKETS, 1);
	counters_add(VPG_CTR_VXLAN_RX_BYTES, p->len);
	drop = accept_datagram(dp, p, &peer, &eth);
	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	mac_learn(dp, eth.src, peer);
	if (ether_is_multicast(eth.dst)) {
		flood(dp, p->data, p->len, (int)peer);
		frame_to_us(dp, peer, p, &eth, false);
	} else if (memcmp(eth.dst, dp->gate->mac, ETHER_ADDR_LEN) == 0) {
		frame_to_us(dp, peer, p, &eth, true);
	} else {
		switch_unicast(dp, peer, p, eth.dst);
	}
}

/*
 * Resolution of an address nobody has answered for yet: ARP, with exponential
 * backoff. A new entry a device causes (it sent to an address not in the
 * table) takes a token first: each one costs an ARP broadcast to every peer
 * and a place in the table. Returns the drop reason for the packet waiting.
 */
static unsigned
neighbor_resolve(struct datapath *dp, uint32_t ip_be, bool device_caused)
{
	struct gate *g = dp->gate;
	struct gate_neigh *n = neighbor_find(g, ip_be);

	if (n == NULL) {
		if (device_caused && !pinned(dp, ip_be) && !gate_neigh_admit(g->nbrs, dp->now_ms))
			return VPG_DROP_GATE_NEIGHBOR_RATE_LIMITED;
		n = neighbor_add(dp, ip_be);
		if (n == NULL)
			return VPG_DROP_GATE_NEIGHBOR_TABLE_FULL;
	}
	gate_neigh_touch(g->nbrs, n, dp->now_ms);
	if (dp->now_ms < n->next_probe_ms)
		return VPG_DROP_GATE_NEIGHBOR_UNRESOLVED;
	n->backoff_ms = n->backoff_ms == 0 ? 1000 : n->backoff_ms * 2;
	if (n->backoff_ms > GATE_ARP_BACKOFF_MAX_MS)
		n->backoff_ms = GATE_ARP_BACKOFF_MAX_MS;
	n->next_probe_ms = dp->now_ms + n->backoff_ms;
	send_arp_request(dp, ip_be);
	return VPG_DROP_GATE_NEIGHBOR_UNRESOLVED;
}

/*
 * Is a resolved entry still to be trusted? Word from its peer confirms it, as
 * upper-layer confirmation does in a neighbour cache (RFC 4861 §7.3.1);
 * otherwise a use probes it, and unanswered probes make it unresolved.
 */
static bool
neighbor_usable(struct datapath *dp, struct gate_neigh *n)
{
	struct gate *g = dp->gate;
	uint64_t heard = n->confirmed_ms;
	uint32_t idx;

	/*
	 * Frames from the neighbour's own MAC, through its peer, confirm it; an
	 * answer heard lately confirms it already, without the lookup.
	 */
	if (dp->now_ms - heard > GATE_NEIGHBOR_FRESH_MS &&
	    hmap_get(g->mac_index, mac_key(n->mac), &idx) && g->macs[idx].peer == n->peer &&
	    g->macs[idx].seen_ms > heard)
		heard = g->macs[idx].seen_ms;
	if (dp->now_ms - heard <= GATE_NEIGHBOR_FRESH_MS) {
		n->probes = 0;
		return true;
	}
	if (n->probes >= GATE_NEIGHBOR_PROBES) {
		n->resolved = false;
		neighbors_changed(g);
		return false;
	}
	if (dp->now_ms >= n->next_probe_ms) {
		n->probes++;
		n->next_probe_ms = dp->now_ms + 1000;
		send_arp_request(dp, n->ip_be);
	}
	return true;
}

unsigned
gate_send_ipv4(struct datapath *dp, uint8_t *pkt, size_t len, uint32_t mac_for_be)
{
	struct gate *g = dp->gate;
	struct gate_neigh *n = neighbor_find(g, mac_for_be);
	uint8_t *dgram;

	if (!g->open)
		return VPG_DROP_GATE_CLOSED;
	if (n == NULL || !n->resolved || !neighbor_usable(dp, n))
		return neighbor_resolve(dp, mac_for_be, true);
	gate_neigh_touch(g->nbrs, n, dp->now_ms);
	dgram = vxlan_push(ether_push(pkt, n->mac, g->mac, ETHER_TYPE_IPV4), g->vni);
	counters_add(VPG_CTR_DEVICE_TO_GATE_PACKETS, 1);
	send_to_peer(dp, n->peer, dgram, len + ETHER_HDR_LEN + VXLAN_HDR_LEN);
	return VPG_DROP_NONE;
}

void
gate_neighbor_heard(struct datapath *dp, uint32_t ip_be, uint64_t at_ms)
{
	struct gate_neigh *n = neighbor_find(dp->gate, ip_be);

	if (n != NULL && n->resolved)
		mac_heard(dp->gate, n->mac, n->peer, at_ms < dp->now_ms ? at_ms : dp->now_ms);
}

void
gate_neighbor_used(struct datapath *dp, uint32_t ip_be, uint64_t at_ms)
{
	struct gate *g = dp->gate;
	struct gate_neigh *n = neighbor_find(g, ip_be);

	if (n == NULL || !n->resolved || at_ms <= n->last_used_ms)
		return;
	gate_neigh_touch(g->nbrs, n, at_ms < dp->now_ms ? at_ms : dp->now_ms);
	neighbor_usable(dp, n);
}

static bool
neighbor_expired(const struct gate_neigh *n, uint64_t now)
{
	if (n->resolved)
		return now - n->confirmed_ms > GATE_NEIGHBOR_EXPIRE_MS;
	/* An unanswered entry lives while something still wants it. */
	return now - n->last_used_ms > GATE_NEIGHBOR_EXPIRE_MS;
}

/* Peers are resolved ahead of traffic, so a device's first packet to one is not lost. */
static void
resolve_peers(struct datapath *dp)
{
	struct gate *g = dp->gate;

	for (unsigned i = 0; i < GATE_MAX_PEERS && g->open; i++) {
		struct gate_neigh *n;

		if (!g->peers[i].in_use)
			continue;
		n = neighbor_find(g, g->peers[i].inner_be);
		/*
		 * Mirrored into the XDP maps, a peer's entry is used where no use
		 * reaches this table: it is kept confirmed as a use would keep it,
		 * probed once no longer fresh, unresolved after unanswered probes.
		 */
		if (n != NULL && n->resolved && g->neighbor_hook != NULL &&
		    dp->now_ms - n->confirmed_ms > GATE_NEIGHBOR_FRESH_MS)
			neighbor_usable(dp, n);
		if ((n == NULL || !n->resolved) && neighbor_resolve(dp, g->peers[i].inner_be,
						       false) == VPG_DROP_GATE_NEIGHBOR_TABLE_FULL)
			counters_drop(VPG_DROP_GATE_NEIGHBOR_TABLE_FULL);
	}
}

void
gate_poll(struct datapath *dp)
{
	if (!dp->gate->resolve_peers)
		return;
	dp->gate->resolve_peers = false;
	resolve_peers(dp);
}

/* O(table size) once a second: a few thousand entries, a few microseconds. */
void
gate_tick(struct datapath *dp)
{
	struct gate *g = dp->gate;

	if (g->tick_hook != NULL)
		g->tick_hook(g->tick_arg);
	resolve_peers(dp);
	for (uint32_t i = 0; i < gate_neigh_capacity(g->nbrs); i++) {
		struct gate_neigh *n = gate_neigh_slot(g->nbrs, i);

		if (n == NULL || !neighbor_expired(n, dp->now_ms))
			continue;
		/* A pinned entry stays, to be resolved again: only its answer has aged. */
		if (pinned(dp, n->ip_be))
			n->resolved = false;
		else
			gate_neigh_remove(g->nbrs, n);
	}
	for (uint32_t i = 0; i < GATE_MAX_MACS; i++)
		if (g->macs[i].in_use && dp->now_ms - g->macs[i].seen_ms > GATE_MAC_EXPIRE_MS)
			mac_remove(g, i);
	neighbors_changed(g);
}

/*
 * The inner IPv4 destination of what looks like a VXLAN frame carrying IPv4,
 * without checking more: a guess for the cache only. VXLAN header (8),
 * Ethernet header (14), then the destination at octet 16 of the IPv4 header.
 */
static bool
frame_ipv4_dst(const struct udp_pkt *p, uint32_t *dst_be)
{
	enum { ETHERTYPE_OFF = 8 + 12, DST_OFF = 8 + 14 + 16 };

	if (p->len < DST_OFF + 4 || p->data[ETHERTYPE_OFF] != 0x08 ||
	    p->data[ETHERTYPE_OFF + 1] != 0x00)
		return false;
	memcpy(dst_be, p->data + DST_OFF, 4);
	return true;
}

void
gate_prefetch(const struct datapath *dp, const struct udp_pkt *pkts, int n)
{
	uint32_t dsts[SESSION_PREFETCH_MAX];
	int k = 0;

	for (int i = 0; i < n && k < SESSION_PREFETCH_MAX; i++)
		k += frame_ipv4_dst(&pkts[i], &dsts[k]);
	session_prefetch_ips(dp->sessions, dsts, k);
}
