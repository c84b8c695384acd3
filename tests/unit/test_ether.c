/*
 * Unit tests for src/proto/ether.c, Ethernet II framing as VXLAN carries it.
 *
 * kernel_arp_frame is the inner frame of the VXLAN datagram captured from
 * the Linux kernel's vxlan driver in tests/unit/test_vxlan.c (see there for
 * how): the ARP request "Who has 10.10.0.7? Tell 10.10.10.10", broadcast
 * from 36:e7:6e:3c:52:77, as tshark 4.0.17 decodes it with no expert info.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto/ether.h"

static const uint8_t kernel_arp_frame[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x36, 0xe7, 0x6e,
	0x3c, 0x52, 0x77, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x36, 0xe7,
	0x6e, 0x3c, 0x52, 0x77, 0x0a, 0x0a, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a,
	0x0a, 0x00, 0x07 };

static const uint8_t kernel_mac[ETHER_ADDR_LEN] = { 0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77 };
static const uint8_t bcast_mac[ETHER_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* RFC 7042 §2.1.2: a unicast address reserved for documentation. */
static const uint8_t doc_mac[ETHER_ADDR_LEN] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01 };
static const uint8_t zero_mac[ETHER_ADDR_LEN] = { 0 };

static void
test_ether_parse_kernel_arp_frame_accepts(void **state)
{
	struct ether_view v;

	(void)state;
	assert_int_equal(
	    ether_parse(kernel_arp_frame, sizeof(kernel_arp_frame), &v), VPG_DROP_NONE);
	assert_memory_equal(v.dst, bcast_mac, ETHER_ADDR_LEN);
	assert_memory_equal(v.src, kernel_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.type, ETHER_TYPE_ARP);
	assert_ptr_equal(v.payload, kernel_arp_frame + ETHER_HDR_LEN);
	assert_int_equal(v.payload_len, 28);
}

/* Each field holds distinct octets, so a field read from the wrong offset shows. */
static void
test_ether_parse_every_field_position_reads_each(void **state)
{
	static const uint8_t buf[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x11, 0x12, 0x13, 0x14,
		0x15, 0x16, 0x21, 0x22, 0x31 };
	static const uint8_t dst[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };
	static const uint8_t src[] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16 };
	struct ether_view v;

	(void)state;
	assert_int_equal(ether_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_memory_equal(v.dst, dst, ETHER_ADDR_LEN);
	assert_memory_equal(v.src, src, ETHER_ADDR_LEN);
	assert_int_equal(v.type, 0x2122);
	assert_ptr_equal(v.payload, buf + 14);
	assert_int_equal(v.payload_len, 1);
	assert_int_equal(v.payload[0], 0x31);
}

static void
test_ether_parse_fourteen_octets_accepts_empty_payload(void **state)
{
	struct ether_view v;

	(void)state;
	assert_int_equal(ether_parse(kernel_arp_frame, ETHER_HDR_LEN, &v), VPG_DROP_NONE);
	assert_int_equal(v.type, ETHER_TYPE_ARP);
	assert_ptr_equal(v.payload, kernel_arp_frame + ETHER_HDR_LEN);
	assert_int_equal(v.payload_len, 0);
}

static void
test_ether_parse_thirteen_octets_drops_too_short(void **state)
{
	struct ether_view v;

	(void)state;
	assert_int_equal(
	    ether_parse(kernel_arp_frame, ETHER_HDR_LEN - 1, &v), VPG_DROP_ETHER_TOO_SHORT);
	assert_memory_equal(v.dst, zero_mac, ETHER_ADDR_LEN);
	assert_memory_equal(v.src, zero_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.type, 0);
	assert_null(v.payload);
	assert_int_equal(v.payload_len, 0);
}

static void
test_ether_parse_empty_drops_too_short(void **state)
{
	struct ether_view v;

	(void)state;
	assert_int_equal(ether_parse((const uint8_t *)"", 0, &v), VPG_DROP_ETHER_TOO_SHORT);
	assert_null(v.payload);
	assert_int_equal(v.payload_len, 0);
}

/*
 * A frame padded to the 60-octet minimum (RFC 894): Ethernet has no length
 * field, so the padding stays in the payload for the upper layer to ignore.
 */
static void
test_ether_parse_min_frame_padding_left_in_payload(void **state)
{
	uint8_t buf[60];
	struct ether_view v;

	(void)state;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, kernel_arp_frame, sizeof(kernel_arp_frame));
	assert_int_equal(ether_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.type, ETHER_TYPE_ARP);
	assert_ptr_equal(v.payload, buf + ETHER_HDR_LEN);
	assert_int_equal(v.payload_len, 46);
}

/* An 802.1Q tag is reported as 0x8100; the payload starts at the TCI. */
static void
test_ether_parse_vlan_tag_reported_not_walked(void **state)
{
	static const uint8_t buf[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x36, 0xe7, 0x6e, 0x3c,
		0x52, 0x77, 0x81, 0x00, 0x00, 0x64, 0x08, 0x06 };
	struct ether_view v;

	(void)state;
	assert_int_equal(ether_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.type, ETHER_TYPE_VLAN);
	assert_ptr_equal(v.payload, buf + ETHER_HDR_LEN);
	assert_int_equal(v.payload_len, 4);
}

static void
test_ether_push_writes_header(void **state)
{
	static const uint8_t want[] = { 0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77, 0x00, 0x00, 0x5e, 0x00,
		0x53, 0x01, 0x08, 0x00 };
	uint8_t buf[ETHER_HDR_LEN + 4];
	uint8_t *hdr;

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	hdr = ether_push(buf + ETHER_HDR_LEN, kernel_mac, doc_mac, ETHER_TYPE_IPV4);
	assert_ptr_equal(hdr, buf);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[ETHER_HDR_LEN], 0xaa);
	assert_int_equal(buf[ETHER_HDR_LEN + 3], 0xaa);
}

/* The header the kernel put in front of its ARP request, octet for octet. */
static void
test_ether_push_kernel_header_reproduces_capture(void **state)
{
	uint8_t buf[sizeof(kernel_arp_frame)];
	uint8_t *hdr;

	(void)state;
	memcpy(buf + ETHER_HDR_LEN, kernel_arp_frame + ETHER_HDR_LEN,
	    sizeof(kernel_arp_frame) - ETHER_HDR_LEN);
	hdr = ether_push(buf + ETHER_HDR_LEN, bcast_mac, kernel_mac, ETHER_TYPE_ARP);
	assert_ptr_equal(hdr, buf);
	assert_memory_equal(buf, kernel_arp_frame, sizeof(kernel_arp_frame));
}

static void
test_ether_push_round_trip_parses(void **state)
{
	uint8_t buf[ETHER_HDR_LEN + 28];
	struct ether_view v;
	uint8_t *hdr;

	(void)state;
	memcpy(buf + ETHER_HDR_LEN, kernel_arp_frame + ETHER_HDR_LEN, 28);
	hdr = ether_push(buf + ETHER_HDR_LEN, doc_mac, kernel_mac, 0x88b5);
	assert_int_equal(ether_parse(hdr, sizeof(buf), &v), VPG_DROP_NONE);
	assert_memory_equal(v.dst, doc_mac, ETHER_ADDR_LEN);
	assert_memory_equal(v.src, kernel_mac, ETHER_ADDR_LEN);
	assert_int_equal(v.type, 0x88b5);
	assert_ptr_equal(v.payload, buf + ETHER_HDR_LEN);
	assert_int_equal(v.payload_len, 28);
	assert_memory_equal(v.payload, kernel_arp_frame + ETHER_HDR_LEN, 28);
}

/* A reply made in place from the received header's own octets: swapped. */
static void
test_ether_push_addresses_from_old_header_swaps(void **state)
{
	static const uint8_t want[] = { 0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0x08, 0x06 };
	uint8_t buf[sizeof(kernel_arp_frame)];
	uint8_t *hdr;

	(void)state;
	memcpy(buf, kernel_arp_frame, sizeof(buf));
	hdr = ether_push(buf + ETHER_HDR_LEN, buf + ETHER_ADDR_LEN, buf, ETHER_TYPE_ARP);
	assert_ptr_equal(hdr, buf);
	assert_memory_equal(buf, want, sizeof(want));
	assert_memory_equal(buf + ETHER_HDR_LEN, kernel_arp_frame + ETHER_HDR_LEN, 28);
}

static void
test_ether_is_broadcast_all_ones_true(void **state)
{
	(void)state;
	assert_true(ether_is_broadcast(bcast_mac));
}

/* Every octet counts, not just the first. */
static void
test_ether_is_broadcast_last_bit_clear_false(void **state)
{
	static const uint8_t mac[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };

	(void)state;
	assert_false(ether_is_broadcast(mac));
}

/* Nor is the first octet skipped: fe is individual, locally administered. */
static void
test_ether_is_broadcast_first_octet_not_ones_false(void **state)
{
	static const uint8_t mac[] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

	(void)state;
	assert_false(ether_is_broadcast(mac));
}

static void
test_ether_is_broadcast_multicast_false(void **state)
{
	static const uint8_t mac[] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };

	(void)state;
	assert_false(ether_is_broadcast(mac));
}

static void
test_ether_is_broadcast_unicast_false(void **state)
{
	(void)state;
	assert_false(ether_is_broadcast(kernel_mac));
}

static void
test_ether_is_broadcast_zero_false(void **state)
{
	(void)state;
	assert_false(ether_is_broadcast(zero_mac));
}

static void
test_ether_is_multicast_broadcast_true(void **state)
{
	(void)state;
	assert_true(ether_is_multicast(bcast_mac));
}

/* RFC 1112 §6.4: IPv4 group 224.0.0.251 maps to 01:00:5e:00:00:fb. */
static void
test_ether_is_multicast_ipv4_group_true(void **state)
{
	static const uint8_t mac[] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };

	(void)state;
	assert_true(ether_is_multicast(mac));
}

/* The MLDv2 report the kernel's vxlan0 sent while coming up (RFC 2464 §7). */
static void
test_ether_is_multicast_ipv6_group_true(void **state)
{
	static const uint8_t mac[] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x16 };

	(void)state;
	assert_true(ether_is_multicast(mac));
}

/* 0x36: locally administered (0x02) but individual (0x01 clear). */
static void
test_ether_is_multicast_local_unicast_false(void **state)
{
	(void)state;
	assert_false(ether_is_multicast(kernel_mac));
}

/*
 * A universal unicast address whose last octet is odd: the I/G bit is in
 * the first octet, and the same bit in the last one is not it.
 */
static void
test_ether_is_multicast_low_bit_of_last_octet_false(void **state)
{
	(void)state;
	assert_false(ether_is_multicast(doc_mac));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ether_parse_kernel_arp_frame_accepts),
		cmocka_unit_test(test_ether_parse_every_field_position_reads_each),
		cmocka_unit_test(test_ether_parse_fourteen_octets_accepts_empty_payload),
		cmocka_unit_test(test_ether_parse_thirteen_octets_drops_too_short),
		cmocka_unit_test(test_ether_parse_empty_drops_too_short),
		cmocka_unit_test(test_ether_parse_min_frame_padding_left_in_payload),
		cmocka_unit_test(test_ether_parse_vlan_tag_reported_not_walked),
		cmocka_unit_test(test_ether_push_writes_header),
		cmocka_unit_test(test_ether_push_kernel_header_reproduces_capture),
		cmocka_unit_test(test_ether_push_round_trip_parses),
		cmocka_unit_test(test_ether_push_addresses_from_old_header_swaps),
		cmocka_unit_test(test_ether_is_broadcast_all_ones_true),
		cmocka_unit_test(test_ether_is_broadcast_last_bit_clear_false),
		cmocka_unit_test(test_ether_is_broadcast_first_octet_not_ones_false),
		cmocka_unit_test(test_ether_is_broadcast_multicast_false),
		cmocka_unit_test(test_ether_is_broadcast_unicast_false),
		cmocka_unit_test(test_ether_is_broadcast_zero_false),
		cmocka_unit_test(test_ether_is_multicast_broadcast_true),
		cmocka_unit_test(test_ether_is_multicast_ipv4_group_true),
		cmocka_unit_test(test_ether_is_multicast_ipv6_group_true),
		cmocka_unit_test(test_ether_is_multicast_local_unicast_false),
		cmocka_unit_test(test_ether_is_multicast_low_bit_of_last_octet_false),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
