/*
 * Unit tests for a gate peer's frame to the gateway in src/fwd/gate.c where
 * SIM-based routing decides: an IPv4 packet for the LAN behind a device
 * (the gate peer routes it via the gateway's address, as it does a
 * redirection's return traffic) goes into that device's tunnel, and one for
 * the LAN of a device that is not attached is dropped with its own reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "io/log.h"

#include "fwd_test.h"

#define IMSI_A	   "999010000000001"
#define LAN_A	   IP4(192, 168, 50, 0)
#define HOST_A	   IP4(192, 168, 50, 10)
#define DL_A	   0xa1a1a1a1u
#define PEER_OUTER IP4(127, 0, 0, 43)
#define PEER_INNER IP4(10, 10, 10, 10)

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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_gate_to_device_lan_into_its_tunnel),
		T(test_gate_to_absent_device_lan_dropped_own_reason),
		T(test_gate_to_lan_disabled_unknown_destination),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
