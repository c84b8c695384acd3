/*
 * Unit tests for src/proto/arp.c, ARP for IPv4 over Ethernet (RFC 826).
 *
 * kernel_arp_request is the ARP packet inside the VXLAN datagram captured
 * from the Linux kernel's vxlan driver in tests/unit/test_vxlan.c (see there
 * for how). tshark 4.0.17: request, Ethernet/IPv4, sender 36:e7:6e:3c:52:77
 * 10.10.10.10, target 00:00:00:00:00:00 10.10.0.7, no expert info.
 *
 * gateway_arp_reply is what arp_build makes of the gateway's answer to that
 * request. Pushed behind an Ethernet and a VXLAN header, written to a pcap
 * as UDP/4789 (python3-scapy) and decoded by tshark 4.0.17: "10.10.0.7 is
 * at 00:00:5e:00:53:01", reply, target 36:e7:6e:3c:52:77 10.10.10.10, no
 * "Malformed" and no expert info.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto/arp.h"

static const uint8_t kernel_arp_request[ARP_LEN] = { 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77, 0x0a, 0x0a, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0a, 0x0a, 0x00, 0x07 };

static const uint8_t gateway_arp_reply[ARP_LEN] = { 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
	0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x0a, 0x0a, 0x00, 0x07, 0x36, 0xe7, 0x6e, 0x3c, 0x52,
	0x77, 0x0a, 0x0a, 0x0a, 0x0a };

static const uint8_t kernel_mac[ETHER_ADDR_LEN] = { 0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77 };
/* RFC 7042 §2.1.2: a unicast address reserved for documentation. */
static const uint8_t gateway_mac[ETHER_ADDR_LEN] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01 };
static const uint8_t zero_mac[ETHER_ADDR_LEN] = { 0 };

/* An IPv4 address in network order, as the view keeps it. */
static uint32_t
addr_be(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	const uint8_t o[4] = { a, b, c, d };
	uint32_t v;

	memcpy(&v, o, sizeof(v));
	return v;
}

/* The captured request with octet off replaced by val. */
static void
mk_request(uint8_t *out, size_t off, uint8_t val)
{
	memcpy(out, kernel_arp_request, ARP_LEN);
	out[off] = val;
}

static void
assert_view_empty(const struct arp_view *v)
{
	assert_memory_equal(v->sha, zero_mac, ETHER_ADDR_LEN);
	assert_memory_equal(v->tha, zero_mac, ETHER_ADDR_LEN);
	assert_int_equal(v->spa_be, 0);
	assert_int_equal(v->tpa_be, 0);
}

static void
test_arp_parse_kernel_request_accepts(void **state)
{
	struct arp_view v;

	(void)state;
	assert_int_equal(arp_parse(kernel_arp_request, ARP_LEN, &v), VPG_DROP_NONE);
	assert_int_equal(v.op, ARP_OP_REQUEST);
	assert_memory_equal(v.sha, kernel_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.spa_be, addr_be(10, 10, 10, 10));
	assert_memory_equal(v.tha, zero_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.tpa_be, addr_be(10, 10, 0, 7));
}

static void
test_arp_parse_reply_accepts(void **state)
{
	struct arp_view v;

	(void)state;
	assert_int_equal(arp_parse(gateway_arp_reply, ARP_LEN, &v), VPG_DROP_NONE);
	assert_int_equal(v.op, ARP_OP_REPLY);
	assert_memory_equal(v.sha, gateway_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.spa_be, addr_be(10, 10, 0, 7));
	assert_memory_equal(v.tha, kernel_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.tpa_be, addr_be(10, 10, 10, 10));
}

/* Each address holds distinct octets, so one read from the wrong offset shows. */
static void
test_arp_parse_every_field_position_reads_each(void **state)
{
	static const uint8_t buf[ARP_LEN] = { 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x01,
		0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0b, 0x0c, 0x0d, 0x11, 0x12, 0x13, 0x14, 0x15,
		0x16, 0x1a, 0x1b, 0x1c, 0x1d };
	static const uint8_t sha[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };
	static const uint8_t tha[] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16 };
	struct arp_view v;

	(void)state;
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.op, ARP_OP_REPLY);
	assert_memory_equal(v.sha, sha, ETHER_ADDR_LEN);
	assert_int_equal(v.spa_be, addr_be(0x0a, 0x0b, 0x0c, 0x0d));
	assert_memory_equal(v.tha, tha, ETHER_ADDR_LEN);
	assert_int_equal(v.tpa_be, addr_be(0x1a, 0x1b, 0x1c, 0x1d));
}

/* The payload of a 60-octet Ethernet frame: 18 octets of padding (RFC 894). */
static void
test_arp_parse_padding_ignored(void **state)
{
	uint8_t buf[46];
	struct arp_view v;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	memcpy(buf, kernel_arp_request, ARP_LEN);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.op, ARP_OP_REQUEST);
	assert_memory_equal(v.sha, kernel_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.spa_be, addr_be(10, 10, 10, 10));
	assert_memory_equal(v.tha, zero_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.tpa_be, addr_be(10, 10, 0, 7));
}

static void
test_arp_parse_twenty_seven_octets_drops_too_short(void **state)
{
	struct arp_view v;

	(void)state;
	assert_int_equal(arp_parse(kernel_arp_request, ARP_LEN - 1, &v), VPG_DROP_ARP_TOO_SHORT);
	assert_int_equal(v.op, 0);
	assert_view_empty(&v);
}

static void
test_arp_parse_empty_drops_too_short(void **state)
{
	struct arp_view v;

	(void)state;
	assert_int_equal(arp_parse((const uint8_t *)"", 0, &v), VPG_DROP_ARP_TOO_SHORT);
	assert_int_equal(v.op, 0);
	assert_view_empty(&v);
}

/* As the header says: short is short, whatever the hardware type claims. */
static void
test_arp_parse_short_unsupported_hrd_drops_too_short(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 1, 6);
	assert_int_equal(arp_parse(buf, 20, &v), VPG_DROP_ARP_TOO_SHORT);
	assert_view_empty(&v);
}

/* Hardware type 6, IEEE 802 networks. */
static void
test_arp_parse_hrd_ieee802_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 1, 6);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_int_equal(v.op, 0);
	assert_view_empty(&v);
}

/* Hardware type 0x0101: the high octet is part of the field. */
static void
test_arp_parse_hrd_high_octet_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 0, 1);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_view_empty(&v);
}

static void
test_arp_parse_pro_ipv6_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 2, 0x86);
	buf[3] = 0xdd;
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_int_equal(v.op, 0);
	assert_view_empty(&v);
}

/* 0x0008: the IPv4 EtherType with its octets swapped. */
static void
test_arp_parse_pro_byte_swapped_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 2, 0x00);
	buf[3] = 0x08;
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_view_empty(&v);
}

static void
test_arp_parse_hln_eight_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 4, 8);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_int_equal(v.op, 0);
	assert_view_empty(&v);
}

/* Protocol length 16, as for IPv6 addresses. */
static void
test_arp_parse_pln_sixteen_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 5, 16);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_int_equal(v.op, 0);
	assert_view_empty(&v);
}

static void
test_arp_parse_op_zero_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 7, 0);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_int_equal(v.op, 0);
	assert_view_empty(&v);
}

/* Operation 3 is a RARP request (RFC 903). */
static void
test_arp_parse_op_three_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 7, 3);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_int_equal(v.op, 3);
	assert_view_empty(&v);
}

/* Operation 0x0101: the high octet is part of the field. */
static void
test_arp_parse_op_high_octet_drops_unsupported(void **state)
{
	uint8_t buf[ARP_LEN];
	struct arp_view v;

	(void)state;
	mk_request(buf, 6, 1);
	assert_int_equal(arp_parse(buf, sizeof(buf), &v), VPG_DROP_ARP_UNSUPPORTED);
	assert_int_equal(v.op, 0x0101);
	assert_view_empty(&v);
}

/* The kernel's own request, rebuilt from its fields, octet for octet. */
static void
test_arp_build_request_matches_kernel_capture(void **state)
{
	uint8_t out[64];

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(arp_build(out, sizeof(out), ARP_OP_REQUEST, kernel_mac,
			     addr_be(10, 10, 10, 10), zero_mac, addr_be(10, 10, 0, 7)),
	    ARP_LEN);
	assert_memory_equal(out, kernel_arp_request, ARP_LEN);
	assert_int_equal(out[ARP_LEN], 0xaa);
}

static void
test_arp_build_reply_writes_every_octet(void **state)
{
	uint8_t out[64];

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(arp_build(out, sizeof(out), ARP_OP_REPLY, gateway_mac,
			     addr_be(10, 10, 0, 7), kernel_mac, addr_be(10, 10, 10, 10)),
	    ARP_LEN);
	assert_memory_equal(out, gateway_arp_reply, ARP_LEN);
	assert_int_equal(out[ARP_LEN], 0xaa);
}

static void
test_arp_build_exact_cap_writes_packet(void **state)
{
	uint8_t out[ARP_LEN];

	(void)state;
	assert_int_equal(arp_build(out, sizeof(out), ARP_OP_REPLY, gateway_mac,
			     addr_be(10, 10, 0, 7), kernel_mac, addr_be(10, 10, 10, 10)),
	    ARP_LEN);
	assert_memory_equal(out, gateway_arp_reply, ARP_LEN);
}

static void
test_arp_build_cap_too_small_returns_zero(void **state)
{
	uint8_t out[ARP_LEN - 1];

	(void)state;
	assert_int_equal(
	    arp_build(out, sizeof(out), ARP_OP_REPLY, gateway_mac, 0, kernel_mac, 0), 0);
	assert_int_equal(arp_build(NULL, 0, ARP_OP_REPLY, gateway_mac, 0, kernel_mac, 0), 0);
}

static void
test_arp_build_round_trip_parses(void **state)
{
	static const uint8_t sha[] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x09 };
	uint8_t out[ARP_LEN];
	struct arp_view v;

	(void)state;
	assert_int_equal(arp_build(out, sizeof(out), ARP_OP_REQUEST, sha, addr_be(192, 0, 2, 1),
			     kernel_mac, addr_be(198, 51, 100, 254)),
	    ARP_LEN);
	assert_int_equal(arp_parse(out, sizeof(out), &v), VPG_DROP_NONE);
	assert_int_equal(v.op, ARP_OP_REQUEST);
	assert_memory_equal(v.sha, sha, ETHER_ADDR_LEN);
	assert_int_equal(v.spa_be, addr_be(192, 0, 2, 1));
	assert_memory_equal(v.tha, kernel_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.tpa_be, addr_be(198, 51, 100, 254));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_parse_kernel_request_accepts),
		cmocka_unit_test(test_arp_parse_reply_accepts),
		cmocka_unit_test(test_arp_parse_every_field_position_reads_each),
		cmocka_unit_test(test_arp_parse_padding_ignored),
		cmocka_unit_test(test_arp_parse_twenty_seven_octets_drops_too_short),
		cmocka_unit_test(test_arp_parse_empty_drops_too_short),
		cmocka_unit_test(test_arp_parse_short_unsupported_hrd_drops_too_short),
		cmocka_unit_test(test_arp_parse_hrd_ieee802_drops_unsupported),
		cmocka_unit_test(test_arp_parse_hrd_high_octet_drops_unsupported),
		cmocka_unit_test(test_arp_parse_pro_ipv6_drops_unsupported),
		cmocka_unit_test(test_arp_parse_pro_byte_swapped_drops_unsupported),
		cmocka_unit_test(test_arp_parse_hln_eight_drops_unsupported),
		cmocka_unit_test(test_arp_parse_pln_sixteen_drops_unsupported),
		cmocka_unit_test(test_arp_parse_op_zero_drops_unsupported),
		cmocka_unit_test(test_arp_parse_op_three_drops_unsupported),
		cmocka_unit_test(test_arp_parse_op_high_octet_drops_unsupported),
		cmocka_unit_test(test_arp_build_request_matches_kernel_capture),
		cmocka_unit_test(test_arp_build_reply_writes_every_octet),
		cmocka_unit_test(test_arp_build_exact_cap_writes_packet),
		cmocka_unit_test(test_arp_build_cap_too_small_returns_zero),
		cmocka_unit_test(test_arp_build_round_trip_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
