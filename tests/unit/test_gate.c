/*
 * Unit tests for a gate peer's frame to the gateway in src/fwd/gate.c where
 * SIM-based routing decides: an IPv4 packet for the LAN behind a device
 * (the gate peer routes it via the gateway's address, as it does a
 * redirection's return traffic) goes into that device's tunnel, and one for
 * the LAN of a device that is not attached is dropped with its own reason.
 * And the neighbour table as devices and peers use it: new entries devices
 * cause are rate limited, a full table makes room for a new peer by evicting
 * what devices caused, and a table of nothing but peers counts its refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fwd/gate_neigh.h"
#include "io/log.h"
#include "proto/arp.h"

#include "fwd_test.h"

#define IMSI_A	    "999010000000001"
#define LAN_A	    IP4(192, 168, 50, 0)
#define HOST_A	    IP4(192, 168, 50, 10)
#define DL_A	    0xa1a1a1a1u
#define PEER_OUTER  IP4(127, 0, 0, 43)
#define PEER_INNER  IP4(10, 10, 10, 10)
#define PEER2_OUTER IP4(127, 0, 0, 44)
#define PEER2_INNER IP4(10, 10, 10, 11)
#define DEVICE	    IP4(10, 10, 0, 2)
#define UNUSED(i)   IP4(10, 10, 20 + (i) / 256, (i) % 256)

static int
setup(void **state)
{
	struct fwd_lab *l = calloc(1, sizeof(*l));

	*state = l;
	if (l == NULL || fwd_lab_open(l) < 0)
		return -1;
	gate_configure(l->dp.gate, true, 10, false);
	return gate_peer_add(l->dp.gate, PEER_OUTER, PEER_INNER);
}

static int
teardown(void **state)
{
	fwd_lab_close(*state);
	free(*state);
	return 0;
}

static void
test_gate_to_device_lan_into_its_tunnel(void **state)
{
	struct fwd_lab *l = *state;
	uint32_t teid = 0, src = 0, dst = 0;

	assert_non_null(fwd_attach(l, IMSI_A, DL_A));
	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	gate_receive(&l->dp, fwd_vxlan(l, PEER_OUTER, PEER_INNER, HOST_A));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	assert_int_equal(teid, DL_A);
	assert_int_equal(src, PEER_INNER);
	assert_int_equal(dst, HOST_A);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_TO_DEVICE_PACKETS], 1);
	assert_int_equal(counters_total_drops(), 0);
}

static void
test_gate_to_absent_device_lan_dropped_own_reason(void **state)
{
	struct fwd_lab *l = *state;
	uint32_t teid, src, dst;

	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	for (int i = 0; i < 2; i++)
		gate_receive(&l->dp, fwd_vxlan(l, PEER_OUTER, PEER_INNER, HOST_A));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_SIM_ROUTE_NOT_ATTACHED], 2);
	assert_int_equal(counters_total_drops(), 2);
}

static void
test_gate_to_lan_disabled_unknown_destination(void **state)
{
	struct fwd_lab *l = *state;
	uint32_t teid, src, dst;

	assert_non_null(fwd_attach(l, IMSI_A, DL_A));
	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	sim_routes_enable(&l->routes, false);
	gate_receive(&l->dp, fwd_vxlan(l, PEER_OUTER, PEER_INNER, HOST_A));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GATE_UNKNOWN_DESTINATION], 1);
	assert_int_equal(counters_total_drops(), 1);
}

/* The last frame's peer is checked first: one deleted since is not taken for it. */
static void
test_gate_frames_of_a_deleted_peer_dropped_unknown(void **state)
{
	struct fwd_lab *l = *state;
	uint32_t teid, src, dst;

	assert_non_null(fwd_attach(l, IMSI_A, DL_A));
	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	assert_int_equal(gate_peer_add(l->dp.gate, PEER2_OUTER, PEER2_INNER), 0);
	gate_receive(&l->dp, fwd_vxlan(l, PEER_OUTER, PEER_INNER, HOST_A));
	gate_receive(&l->dp, fwd_vxlan(l, PEER2_OUTER, PEER2_INNER, HOST_A));
	gate_receive(&l->dp, fwd_vxlan(l, PEER_OUTER, PEER_INNER, HOST_A));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_TO_DEVICE_PACKETS], 3);
	assert_int_equal(gate_peer_del(l->dp.gate, PEER_OUTER), 0);
	gate_receive(&l->dp, fwd_vxlan(l, PEER_OUTER, PEER_INNER, HOST_A));
	assert_int_equal(vpg_counters.drop[VPG_DROP_GATE_UNKNOWN_PEER], 1);
	/* The same slot taken by another peer: the old address is still nobody's. */
	assert_int_equal(gate_peer_add(l->dp.gate, IP4(127, 0, 0, 45), IP4(10, 10, 10, 12)), 0);
	gate_receive(&l->dp, fwd_vxlan(l, PEER_OUTER, PEER_INNER, HOST_A));
	assert_int_equal(vpg_counters.drop[VPG_DROP_GATE_UNKNOWN_PEER], 2);
	gate_receive(&l->dp, fwd_vxlan(l, IP4(127, 0, 0, 45), IP4(10, 10, 10, 12), HOST_A));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_TO_DEVICE_PACKETS], 4);
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 4);
	assert_int_equal(counters_total_drops(), 2);
}

/* A device's echo to dst onto the segment, as the uplink hands it over. */
static unsigned
device_sends(struct fwd_lab *l, uint32_t dst_be)
{
	uint8_t *pkt = l->buf + UDP_BATCH_HEADROOM;
	size_t len = fwd_echo(pkt, DEVICE, dst_be);

	assert_true(ipv4_checksum_ok(pkt, 20));
	return gate_send_ipv4(&l->dp, pkt, len, dst_be);
}

/* The peer at outer answers our ARP request for inner. */
static void
peer_answers(struct fwd_lab *l, uint32_t outer_be, uint32_t inner_be)
{
	static const uint8_t peer_mac[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0, 0x11 };
	uint8_t *d = l->buf + UDP_BATCH_HEADROOM;
	uint8_t *arp = d + VXLAN_HDR_LEN + ETHER_HDR_LEN;

	arp_build(arp, ARP_LEN, ARP_OP_REPLY, peer_mac, inner_be, gate_mac(l->dp.gate), GATEWAY);
	vxlan_push(ether_push(arp, gate_mac(l->dp.gate), peer_mac, ETHER_TYPE_ARP), 10);
	l->pkt = (struct udp_pkt){ .data = d,
		.len = VXLAN_HDR_LEN + ETHER_HDR_LEN + ARP_LEN,
		.from_be = outer_be,
		.from_port = VXLAN_PORT };
	gate_receive(&l->dp, &l->pkt);
}

static bool
peer_resolved(struct fwd_lab *l, uint32_t outer_be)
{
	uint32_t outer, inner;
	const uint8_t *mac;

	for (unsigned c = gate_peer_next(l->dp.gate, 0, &outer, &inner, &mac); c != 0;
	     c = gate_peer_next(l->dp.gate, c, &outer, &inner, &mac))
		if (outer == outer_be)
			return mac != NULL;
	return false;
}

/* The gate of the lab replaced by one with a neighbour table of n entries and one peer. */
static void
small_table(struct fwd_lab *l, uint32_t n)
{
	gate_free(l->dp.gate);
	l->dp.gate = gate_new_sized(GATEWAY, n);
	assert_non_null(l->dp.gate);
	gate_configure(l->dp.gate, true, 10, false);
	assert_int_equal(gate_peer_add(l->dp.gate, PEER_OUTER, PEER_INNER), 0);
}

static void
test_gate_send_ipv4_new_neighbors_over_burst_rate_limited(void **state)
{
	struct fwd_lab *l = *state;
	unsigned unresolved = 0, limited = 0;

	for (int i = 0; i < GATE_NEIGHBOR_NEW_BURST + 20; i++) {
		unsigned drop = device_sends(l, UNUSED(i));

		unresolved += drop == VPG_DROP_GATE_NEIGHBOR_UNRESOLVED;
		limited += drop == VPG_DROP_GATE_NEIGHBOR_RATE_LIMITED;
	}
	assert_int_equal(unresolved, GATE_NEIGHBOR_NEW_BURST);
	assert_int_equal(limited, 20);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_ARP_REQUESTS_SENT], GATE_NEIGHBOR_NEW_BURST);
	/* A peer's inner address is pinned: it takes no token, the bucket being empty. */
	assert_int_equal(device_sends(l, PEER_INNER), VPG_DROP_GATE_NEIGHBOR_UNRESOLVED);
	assert_int_equal(
	    vpg_counters.ctr[VPG_CTR_GATE_ARP_REQUESTS_SENT], GATE_NEIGHBOR_NEW_BURST + 1);
	/* A second later, the steady rate. */
	l->dp.now_ms += 1000;
	unresolved = 0;
	for (int i = 0; i < 100; i++)
		unresolved +=
		    device_sends(l, UNUSED(1000 + i)) == VPG_DROP_GATE_NEIGHBOR_UNRESOLVED;
	assert_int_equal(unresolved, GATE_NEIGHBOR_NEW_PER_SEC);
}

static void
test_gate_full_table_new_peer_evicts_device_entries(void **state)
{
	struct fwd_lab *l = *state;

	small_table(l, 8);
	gate_poll(&l->dp);
	peer_answers(l, PEER_OUTER, PEER_INNER);
	assert_true(peer_resolved(l, PEER_OUTER));
	for (int i = 0; i < 20; i++) {
		l->dp.now_ms += 100;
		assert_int_equal(device_sends(l, UNUSED(i)), VPG_DROP_GATE_NEIGHBOR_UNRESOLVED);
	}
	/* 8 places: the peer and 7 of the 20; 13 evicted, the oldest first. */
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_NEIGHBOR_EVICTIONS], 13);
	assert_int_equal(gate_peer_add(l->dp.gate, PEER2_OUTER, PEER2_INNER), 0);
	gate_poll(&l->dp);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_NEIGHBOR_EVICTIONS], 14);
	peer_answers(l, PEER2_OUTER, PEER2_INNER);
	assert_true(peer_resolved(l, PEER2_OUTER));
	/* More sweeping pushes out device entries only. */
	for (int i = 20; i < 40; i++) {
		l->dp.now_ms += 100;
		device_sends(l, UNUSED(i));
	}
	assert_true(peer_resolved(l, PEER_OUTER));
	assert_true(peer_resolved(l, PEER2_OUTER));
	assert_int_equal(vpg_counters.drop[VPG_DROP_GATE_NEIGHBOR_TABLE_FULL], 0);
}

static void
test_gate_table_of_pinned_entries_full_counted(void **state)
{
	struct fwd_lab *l = *state;

	small_table(l, 2);
	assert_int_equal(gate_peer_add(l->dp.gate, PEER2_OUTER, PEER2_INNER), 0);
	assert_int_equal(gate_peer_add(l->dp.gate, IP4(127, 0, 0, 45), IP4(10, 10, 10, 12)), 0);
	gate_poll(&l->dp);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GATE_NEIGHBOR_TABLE_FULL], 1);
	assert_int_equal(device_sends(l, UNUSED(0)), VPG_DROP_GATE_NEIGHBOR_TABLE_FULL);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_NEIGHBOR_EVICTIONS], 0);
}

static void
test_gate_redirection_gateway_pinned(void **state)
{
	struct fwd_lab *l = *state;

	small_table(l, 2);
	l->redirect = (struct redirect){ .set = true, .enabled = true, .gateway_be = PEER2_INNER };
	gate_poll(&l->dp);
	assert_int_equal(device_sends(l, PEER2_INNER), VPG_DROP_GATE_NEIGHBOR_UNRESOLVED);
	for (int i = 0; i < 10; i++) {
		l->dp.now_ms += 100;
		assert_int_equal(device_sends(l, UNUSED(i)), VPG_DROP_GATE_NEIGHBOR_TABLE_FULL);
	}
	/* Both places hold pinned addresses: each of the sweep's packets is a counted drop. */
	assert_int_equal(vpg_counters.drop[VPG_DROP_GATE_NEIGHBOR_TABLE_FULL], 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GATE_NEIGHBOR_EVICTIONS], 0);
	assert_int_equal(device_sends(l, PEER2_INNER), VPG_DROP_GATE_NEIGHBOR_UNRESOLVED);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_gate_to_device_lan_into_its_tunnel),
		T(test_gate_to_absent_device_lan_dropped_own_reason),
		T(test_gate_to_lan_disabled_unknown_destination),
		T(test_gate_frames_of_a_deleted_peer_dropped_unknown),
		T(test_gate_send_ipv4_new_neighbors_over_burst_rate_limited),
		T(test_gate_full_table_new_peer_evicts_device_entries),
		T(test_gate_table_of_pinned_entries_full_counted),
		T(test_gate_redirection_gateway_pinned),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
