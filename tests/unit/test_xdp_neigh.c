/*
 * Unit tests for the gate's neighbours while XDP carries their traffic
 * (src/fwd/xdp_neigh.c, the gate's side in src/fwd/gate.c): the stamps the
 * program leaves in a neighbour's entry, told to the gate, probe, confirm
 * and age the neighbour as the socket path's own packets would have; old
 * stamps are told once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fwd/gate_neigh.h"
#include "fwd/xdp_neigh.h"
#include "io/log.h"
#include "proto/arp.h"

#include "fwd_test.h"

#define PEER_OUTER IP4(127, 0, 0, 43)
#define PEER_INNER IP4(10, 10, 10, 10)
#define HOST	   IP4(10, 10, 30, 5) /* a host of the segment behind the peer */
#define DEVICE	   IP4(10, 10, 0, 2)
#define MS	   1000000ull /* a millisecond of the program's stamps */

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

static uint64_t
arp_requests(void)
{
	return vpg_counters.ctr[VPG_CTR_GATE_ARP_REQUESTS_SENT];
}

/* The host behind the peer answers our ARP request for it. */
static void
host_answers(struct fwd_lab *l)
{
	static const uint8_t host_mac[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0, 0x55 };
	uint8_t *d = l->buf + UDP_BATCH_HEADROOM;
	uint8_t *arp = d + VXLAN_HDR_LEN + ETHER_HDR_LEN;

	arp_build(arp, ARP_LEN, ARP_OP_REPLY, host_mac, HOST, gate_mac(l->dp.gate), GATEWAY);
	vxlan_push(ether_push(arp, gate_mac(l->dp.gate), host_mac, ETHER_TYPE_ARP), 10);
	l->pkt = (struct udp_pkt){ .data = d,
		.len = VXLAN_HDR_LEN + ETHER_HDR_LEN + ARP_LEN,
		.from_be = PEER_OUTER,
		.from_port = VXLAN_PORT };
	gate_receive(&l->dp, &l->pkt);
}

/* A device's first packet to the host: asked by ARP, answered, resolved. */
static const struct gate_neigh *
resolve_host(struct fwd_lab *l)
{
	uint8_t *pkt = l->buf + UDP_BATCH_HEADROOM;
	size_t len = fwd_echo(pkt, DEVICE, HOST);
	const struct gate_neigh *n;

	assert_int_equal(gate_send_ipv4(&l->dp, pkt, len, HOST), VPG_DROP_GATE_NEIGHBOR_UNRESOLVED);
	host_answers(l);
	n = gate_neigh_find(gate_neighbors(l->dp.gate), HOST);
	assert_non_null(n);
	assert_true(n->resolved);
	return n;
}

/* XDP sending to a neighbour no longer fresh probes it, as a use on the socket path does. */
static void
test_xdp_neigh_used_past_freshness_probes_once_a_second(void **state)
{
	struct fwd_lab *l = *state;
	struct xdp_neighbor v = { .outer_be = PEER_OUTER };
	struct xdp_neigh_marks m = { 0 };
	uint64_t asked;

	resolve_host(l);
	l->dp.now_ms += GATE_NEIGHBOR_FRESH_MS + 1000;
	asked = arp_requests();
	v.used_ns = l->dp.now_ms * MS;
	xdp_neigh_fold(&l->dp, HOST, &v, &m);
	assert_int_equal(arp_requests(), asked + 1);
	/* The same stamp told again is not another use. */
	l->dp.now_ms += 1000;
	xdp_neigh_fold(&l->dp, HOST, &v, &m);
	assert_int_equal(arp_requests(), asked + 1);
	v.used_ns = l->dp.now_ms * MS;
	xdp_neigh_fold(&l->dp, HOST, &v, &m);
	assert_int_equal(arp_requests(), asked + 2);
	/* Answered: confirmed again, it outlives the expiry it would have met. */
	host_answers(l);
	l->dp.now_ms += GATE_NEIGHBOR_EXPIRE_MS - 1000;
	gate_tick(&l->dp);
	assert_non_null(gate_neigh_find(gate_neighbors(l->dp.gate), HOST));
}

/* Frames XDP took from the neighbour confirm it: a use then needs no probe. */
static void
test_xdp_neigh_heard_keeps_it_fresh_without_probes(void **state)
{
	struct fwd_lab *l = *state;
	struct xdp_neighbor v = { .outer_be = PEER_OUTER };
	struct xdp_neigh_marks m = { 0 };
	uint64_t asked;

	resolve_host(l);
	l->dp.now_ms += GATE_NEIGHBOR_FRESH_MS + 1000;
	asked = arp_requests();
	v.heard_ns = (l->dp.now_ms - 500) * MS;
	v.used_ns = l->dp.now_ms * MS;
	xdp_neigh_fold(&l->dp, HOST, &v, &m);
	assert_int_equal(arp_requests(), asked);
	assert_int_equal(m.heard_ns, v.heard_ns);
	assert_int_equal(m.used_ns, v.used_ns);
}

/* Without a word from XDP the neighbour ages as before: unanswered probes, then gone. */
static void
test_xdp_neigh_nothing_told_ages_as_before(void **state)
{
	struct fwd_lab *l = *state;
	struct xdp_neighbor v = { .outer_be = PEER_OUTER };
	struct xdp_neigh_marks m = { 0 };
	uint64_t asked;

	resolve_host(l);
	asked = arp_requests();
	xdp_neigh_fold(&l->dp, HOST, &v, &m);
	assert_int_equal(arp_requests(), asked);
	l->dp.now_ms += GATE_NEIGHBOR_EXPIRE_MS + 1000;
	gate_tick(&l->dp);
	assert_null(gate_neigh_find(gate_neighbors(l->dp.gate), HOST));
}

static struct fwd_lab *hooked;
static int hook_calls;

static void
on_tick(void *arg)
{
	struct xdp_neighbor v = { .outer_be = PEER_OUTER };
	struct xdp_neigh_marks m = { 0 };

	assert_ptr_equal(arg, hooked);
	hook_calls++;
	v.used_ns = hooked->dp.now_ms * MS;
	xdp_neigh_fold(&hooked->dp, HOST, &v, &m);
}

/* The tick asks the fast path before it ages the table: a neighbour in use is probed, not gone. */
static void
test_xdp_neigh_tick_hook_runs_before_ageing(void **state)
{
	struct fwd_lab *l = *state;
	uint64_t asked;

	resolve_host(l);
	hooked = l;
	hook_calls = 0;
	gate_set_tick_hook(l->dp.gate, on_tick, l);
	l->dp.now_ms += GATE_NEIGHBOR_FRESH_MS + 1000;
	asked = arp_requests();
	gate_tick(&l->dp);
	assert_int_equal(hook_calls, 1);
	assert_true(arp_requests() > asked);
	gate_set_tick_hook(l->dp.gate, NULL, NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_xdp_neigh_used_past_freshness_probes_once_a_second),
		T(test_xdp_neigh_heard_keeps_it_fresh_without_probes),
		T(test_xdp_neigh_nothing_told_ages_as_before),
		T(test_xdp_neigh_tick_hook_runs_before_ageing),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
