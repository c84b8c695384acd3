/*
 * Unit tests for src/fwd/xdp_flows.c's pure parts: Inspection's flow key as
 * the XDP program's map has it, the map's counts as Inspection's, and how
 * much of the map the daemon fills. The map itself is exercised by
 * test_xdp_prog.c (the program) and the e2e test (the daemon).
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fwd/xdp_flows.h"
#include "inspect/inspect.h"

/* Addresses stay in network order, ports turn to it, the padding is zero. */
static void
test_xdp_flows_key_ports_in_network_order(void **state)
{
	struct flow_key k = { .saddr = htonl(0x0a0a0002),
		.daddr = htonl(0x0a0a0a0a),
		.sport = 40001,
		.dport = 5001,
		.proto = 17,
		.dir = FLOW_DIR_UPLINK };
	struct xdp_flow_key x;

	(void)state;
	memset(&x, 0xff, sizeof(x));
	xdp_flows_key(&k, &x);
	assert_int_equal(x.saddr_be, htonl(0x0a0a0002));
	assert_int_equal(x.daddr_be, htonl(0x0a0a0a0a));
	assert_int_equal(x.sport_be, htons(40001));
	assert_int_equal(x.dport_be, htons(5001));
	assert_int_equal(x.proto, 17);
	assert_int_equal(x.dir, 0);
	assert_int_equal(x.pad, 0);
}

/* ICMP: type and code in the destination port, high octet first, as the packet has them. */
static void
test_xdp_flows_key_icmp_type_and_code_as_on_the_wire(void **state)
{
	struct flow_key k = { .dport = 3 << 8 | 3, .proto = 1, .dir = FLOW_DIR_DOWNLINK };
	struct xdp_flow_key x;
	const uint8_t *p = (const uint8_t *)&x.dport_be;

	(void)state;
	xdp_flows_key(&k, &x);
	assert_int_equal(p[0], 3);
	assert_int_equal(p[1], 3);
	assert_int_equal(x.sport_be, 0);
	assert_int_equal(x.dir, 1);
}

/* The program's nanoseconds become Inspection's milliseconds, on the same clock. */
static void
test_xdp_flows_counts_last_seen_in_ms(void **state)
{
	struct xdp_flow_stats v = {
		.packets = 7, .bytes = 7196, .last_ns = 1234567999999ull, .tcp_flags = 0x19
	};
	struct flow_fast_counts c;

	(void)state;
	xdp_flows_counts(&v, &c);
	assert_int_equal(c.packets, 7);
	assert_int_equal(c.bytes, 7196);
	assert_int_equal(c.last_ms, 1234567);
	assert_int_equal(c.tcp_flags, 0x19);
}

/* The LRU's free entries set aside per CPU are never counted on: no eviction by filling it. */
static void
test_xdp_flows_capacity_leaves_the_lru_room(void **state)
{
	(void)state;
	assert_int_equal(xdp_flows_capacity(65536, 2), 65536 - 2 * 2 * XDP_FLOWS_PER_CPU_FREE);
	assert_int_equal(xdp_flows_capacity(65536, 0), 65536 - 2 * XDP_FLOWS_PER_CPU_FREE);
	assert_int_equal(xdp_flows_capacity(1000, 64), 500);
}

/* The map holds maxFlows whole beside the LRU's room, and never less than the default takes. */
static void
test_xdp_flows_map_holds_max_flows(void **state)
{
	uint32_t big = xdp_flows_map_entries(1000000, 2);

	(void)state;
	assert_int_equal(xdp_flows_capacity(big, 2), 1000000);
	assert_int_equal(
	    xdp_flows_capacity(xdp_flows_map_entries(0, 2), 2), INSPECT_DEFAULT_MAX_FLOWS);
	assert_int_equal(xdp_flows_map_entries(16, 2), xdp_flows_map_entries(0, 2));
	assert_int_equal(xdp_flows_capacity(xdp_flows_map_entries(INSPECT_MAX_FLOWS, 64), 64),
	    INSPECT_MAX_FLOWS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp_flows_key_ports_in_network_order),
		cmocka_unit_test(test_xdp_flows_key_icmp_type_and_code_as_on_the_wire),
		cmocka_unit_test(test_xdp_flows_counts_last_seen_in_ms),
		cmocka_unit_test(test_xdp_flows_capacity_leaves_the_lru_room),
		cmocka_unit_test(test_xdp_flows_map_holds_max_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
