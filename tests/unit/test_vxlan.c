/*
 * Unit tests for src/proto/vxlan.c, the VXLAN header (RFC 7348 §5).
 *
 * kernel_vxlan_arp_request is one UDP payload sent by the Linux kernel's
 * vxlan driver (Linux 6.18, iproute2 6.1.0, Debian 12). Two network
 * namespaces joined by a veth pair, vxa 192.0.2.1/24 and vxb 192.0.2.2/24;
 * on the vxa side:
 *
 *	ip link add vxlan0 type vxlan id 10 dstport 4789 local 192.0.2.1 dev vxa
 *	bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 192.0.2.2
 *	ip addr add 10.10.10.10/16 dev vxlan0; ip link set vxlan0 up
 *	ping -c 1 -W 1 10.10.0.7
 *
 * captured on vxb with `tshark -f 'udp port 4789 and udp[28:2] = 0x0806'`
 * (the filter skips the IPv6 MLD and neighbour solicitations vxlan0 sends as
 * it comes up) and read with `tshark -T fields -e udp.payload`. tshark 4.0.17
 * decodes it as VXLAN flags 0x0800 (I), VNI 10; Ethernet II
 * 36:e7:6e:3c:52:77 -> ff:ff:ff:ff:ff:ff; ARP request "Who has 10.10.0.7?
 * Tell 10.10.10.10"; no expert info. The kernel does not pad the inner
 * frame: 8 + 14 + 28 octets.
 *
 * built_ipv4_vni_max is vxlan_push(VNI 0xffffff) and ether_push in front of
 * the IPv4 echo request sgsnemu sent (capture_sgsnemu.h); written to a pcap
 * as UDP/4789 (python3-scapy), tshark decodes it as VXLAN VNI 16777215,
 * Ethernet II, IPv4 10.46.0.1 -> 10.46.0.0, ICMP echo request, no expert
 * info.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto/arp.h"
#include "proto/ether.h"
#include "proto/vxlan.h"
#include "capture_sgsnemu.h"

static const uint8_t kernel_vxlan_arp_request[] = { 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77, 0x08, 0x06, 0x00,
	0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77, 0x0a, 0x0a,
	0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x07 };

#define KERNEL_FRAME_LEN (sizeof(kernel_vxlan_arp_request) - VXLAN_HDR_LEN)
#define KERNEL_FRAME	 (kernel_vxlan_arp_request + VXLAN_HDR_LEN)

/* The header of built_ipv4_vni_max; the sgsnemu IPv4 packet follows it. */
static const uint8_t built_ipv4_vni_max_hdr[] = { 0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00,
	0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x08, 0x00 };

static const uint8_t kernel_mac[ETHER_ADDR_LEN] = { 0x36, 0xe7, 0x6e, 0x3c, 0x52, 0x77 };
static const uint8_t bcast_mac[ETHER_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The captured datagram with header octet off replaced by val. */
static void
mk_datagram(uint8_t *out, size_t off, uint8_t val)
{
	memcpy(out, kernel_vxlan_arp_request, sizeof(kernel_vxlan_arp_request));
	out[off] = val;
}

static void
test_vxlan_parse_kernel_arp_request_accepts(void **state)
{
	struct vxlan_view v;

	(void)state;
	assert_int_equal(
	    vxlan_parse(kernel_vxlan_arp_request, sizeof(kernel_vxlan_arp_request), &v),
	    VPG_DROP_NONE);
	assert_int_equal(v.flags, VXLAN_F_VNI);
	assert_int_equal(v.vni, 10);
	assert_ptr_equal(v.frame, KERNEL_FRAME);
	assert_int_equal(v.frame_len, 42);
}

/* What the gateway does with it: VXLAN, then Ethernet, then ARP. */
static void
test_vxlan_parse_kernel_arp_request_inner_frame_decodes(void **state)
{
	struct vxlan_view v;
	struct ether_view e;
	struct arp_view a;
	const uint8_t tpa[4] = { 10, 10, 0, 7 };

	(void)state;
	assert_int_equal(
	    vxlan_parse(kernel_vxlan_arp_request, sizeof(kernel_vxlan_arp_request), &v),
	    VPG_DROP_NONE);
	assert_int_equal(ether_parse(v.frame, v.frame_len, &e), VPG_DROP_NONE);
	assert_memory_equal(e.dst, bcast_mac, ETHER_ADDR_LEN);
	assert_memory_equal(e.src, kernel_mac, ETHER_ADDR_LEN);
	assert_int_equal(e.type, ETHER_TYPE_ARP);
	assert_true(ether_is_broadcast(e.dst));
	assert_int_equal(arp_parse(e.payload, e.payload_len, &a), VPG_DROP_NONE);
	assert_int_equal(a.op, ARP_OP_REQUEST);
	assert_memory_equal(a.sha, kernel_mac, ETHER_ADDR_LEN);
	assert_memory_equal(&a.tpa_be, tpa, 4);
}

static void
test_vxlan_parse_ipv4_frame_accepts(void **state)
{
	uint8_t buf[sizeof(built_ipv4_vni_max_hdr) + SGSNEMU_TPDU_LEN];
	struct vxlan_view v;
	struct ether_view e;

	(void)state;
	memcpy(buf, built_ipv4_vni_max_hdr, sizeof(built_ipv4_vni_max_hdr));
	memcpy(buf + sizeof(built_ipv4_vni_max_hdr), sgsnemu_gpdu_echo_req + SGSNEMU_TPDU_OFF,
	    SGSNEMU_TPDU_LEN);
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.vni, 0xffffff);
	assert_ptr_equal(v.frame, buf + VXLAN_HDR_LEN);
	assert_int_equal(v.frame_len, ETHER_HDR_LEN + SGSNEMU_TPDU_LEN);
	assert_int_equal(ether_parse(v.frame, v.frame_len, &e), VPG_DROP_NONE);
	assert_int_equal(e.type, ETHER_TYPE_IPV4);
	assert_int_equal(e.payload_len, SGSNEMU_TPDU_LEN);
}

static void
test_vxlan_parse_eight_octets_accepts_empty_frame(void **state)
{
	struct vxlan_view v;

	(void)state;
	assert_int_equal(vxlan_parse(kernel_vxlan_arp_request, VXLAN_HDR_LEN, &v), VPG_DROP_NONE);
	assert_int_equal(v.flags, VXLAN_F_VNI);
	assert_int_equal(v.vni, 10);
	assert_ptr_equal(v.frame, kernel_vxlan_arp_request + VXLAN_HDR_LEN);
	assert_int_equal(v.frame_len, 0);
}

static void
test_vxlan_parse_seven_octets_drops_too_short(void **state)
{
	struct vxlan_view v;

	(void)state;
	assert_int_equal(
	    vxlan_parse(kernel_vxlan_arp_request, VXLAN_HDR_LEN - 1, &v), VPG_DROP_VXLAN_TOO_SHORT);
	assert_int_equal(v.flags, 0);
	assert_int_equal(v.vni, 0);
	assert_null(v.frame);
	assert_int_equal(v.frame_len, 0);
}

static void
test_vxlan_parse_empty_drops_too_short(void **state)
{
	struct vxlan_view v;

	(void)state;
	assert_int_equal(vxlan_parse((const uint8_t *)"", 0, &v), VPG_DROP_VXLAN_TOO_SHORT);
	assert_int_equal(v.vni, 0);
	assert_null(v.frame);
}

/* RFC 7348 §5: the I flag MUST be set for a valid VNI. */
static void
test_vxlan_parse_i_flag_clear_drops_bad_flags(void **state)
{
	uint8_t buf[sizeof(kernel_vxlan_arp_request)];
	struct vxlan_view v;

	(void)state;
	mk_datagram(buf, 0, 0x00);
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_VXLAN_BAD_FLAGS);
	assert_int_equal(v.flags, 0x00);
	assert_int_equal(v.vni, 0);
	assert_null(v.frame);
	assert_int_equal(v.frame_len, 0);
}

/* Every reserved bit set cannot stand in for the I flag. */
static void
test_vxlan_parse_reserved_flags_without_i_drops_bad_flags(void **state)
{
	uint8_t buf[sizeof(kernel_vxlan_arp_request)];
	struct vxlan_view v;

	(void)state;
	mk_datagram(buf, 0, 0xf7);
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_VXLAN_BAD_FLAGS);
	assert_int_equal(v.flags, 0xf7);
	assert_int_equal(v.vni, 0);
	assert_null(v.frame);
}

/* RFC 7348 §5: the R bits are ignored on receipt. */
static void
test_vxlan_parse_reserved_flag_bits_set_accepts(void **state)
{
	uint8_t buf[sizeof(kernel_vxlan_arp_request)];
	struct vxlan_view v;

	(void)state;
	mk_datagram(buf, 0, 0xff);
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.flags, 0xff);
	assert_int_equal(v.vni, 10);
	assert_ptr_equal(v.frame, buf + VXLAN_HDR_LEN);
	assert_int_equal(v.frame_len, 42);
}

/* RFC 7348 §5: the reserved octets 1-3 and 7 are ignored on receipt. */
static void
test_vxlan_parse_reserved_octets_set_ignored(void **state)
{
	uint8_t buf[sizeof(kernel_vxlan_arp_request)];
	struct vxlan_view v;

	(void)state;
	mk_datagram(buf, 1, 0xff);
	buf[2] = 0xff;
	buf[3] = 0xff;
	buf[7] = 0xff;
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.flags, VXLAN_F_VNI);
	assert_int_equal(v.vni, 10);
	assert_ptr_equal(v.frame, buf + VXLAN_HDR_LEN);
	assert_int_equal(v.frame_len, 42);
}

static void
test_vxlan_parse_vni_zero_accepts(void **state)
{
	static const uint8_t buf[] = { 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct vxlan_view v;

	(void)state;
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.vni, 0);
	assert_int_equal(v.frame_len, 0);
}

static void
test_vxlan_parse_vni_max_accepts(void **state)
{
	static const uint8_t buf[] = { 0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00 };
	struct vxlan_view v;

	(void)state;
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.vni, 0xffffff);
	assert_int_equal(v.frame_len, 0);
}

/* Octets 4, 5, 6 are the VNI's high, middle and low octets. */
static void
test_vxlan_parse_vni_octet_order_big_endian(void **state)
{
	static const uint8_t buf[] = { 0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x00, 0x99 };
	struct vxlan_view v;

	(void)state;
	assert_int_equal(vxlan_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.vni, 0x123456);
	assert_ptr_equal(v.frame, buf + VXLAN_HDR_LEN);
	assert_int_equal(v.frame_len, 1);
	assert_int_equal(v.frame[0], 0x99);
}

/* The kernel's header for VNI 10, octet for octet; the frame is untouched. */
static void
test_vxlan_push_vni_ten_matches_kernel_header(void **state)
{
	uint8_t buf[VXLAN_HDR_LEN + 4];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_ptr_equal(vxlan_push(buf + VXLAN_HDR_LEN, 10), buf);
	assert_memory_equal(buf, kernel_vxlan_arp_request, VXLAN_HDR_LEN);
	assert_int_equal(buf[VXLAN_HDR_LEN], 0xaa);
	assert_int_equal(buf[VXLAN_HDR_LEN + 3], 0xaa);
}

/* ARP built, Ethernet and VXLAN pushed: the kernel's datagram, all 50 octets. */
static void
test_vxlan_push_kernel_datagram_reproduces_capture(void **state)
{
	uint8_t buf[sizeof(kernel_vxlan_arp_request)];
	const uint8_t spa[4] = { 10, 10, 10, 10 }, tpa[4] = { 10, 10, 0, 7 };
	const uint8_t zero_mac[ETHER_ADDR_LEN] = { 0 };
	uint8_t *arp = buf + VXLAN_HDR_LEN + ETHER_HDR_LEN, *frame;
	uint32_t spa_be, tpa_be;

	(void)state;
	memcpy(&spa_be, spa, 4);
	memcpy(&tpa_be, tpa, 4);
	assert_int_equal(
	    arp_build(arp, ARP_LEN, ARP_OP_REQUEST, kernel_mac, spa_be, zero_mac, tpa_be), ARP_LEN);
	frame = ether_push(arp, bcast_mac, kernel_mac, ETHER_TYPE_ARP);
	assert_ptr_equal(vxlan_push(frame, 10), buf);
	assert_memory_equal(buf, kernel_vxlan_arp_request, sizeof(buf));
}

static void
test_vxlan_push_vni_zero_writes_header(void **state)
{
	static const uint8_t want[] = { 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	uint8_t buf[VXLAN_HDR_LEN];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_ptr_equal(vxlan_push(buf + VXLAN_HDR_LEN, 0), buf);
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_vxlan_push_vni_max_writes_header(void **state)
{
	static const uint8_t want[] = { 0x08, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00 };
	uint8_t buf[VXLAN_HDR_LEN];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_ptr_equal(vxlan_push(buf + VXLAN_HDR_LEN, 0xffffff), buf);
	assert_memory_equal(buf, want, sizeof(want));
}

/* RFC 7348 §5: the VNI is 24 bits and the last octet, reserved, is zero. */
static void
test_vxlan_push_vni_wider_than_24_bits_masked(void **state)
{
	static const uint8_t want[] = { 0x08, 0x00, 0x00, 0x00, 0xab, 0xcd, 0xef, 0x00 };
	uint8_t buf[VXLAN_HDR_LEN];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_ptr_equal(vxlan_push(buf + VXLAN_HDR_LEN, 0xffabcdef), buf);
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_vxlan_push_round_trip_parses(void **state)
{
	uint8_t buf[sizeof(kernel_vxlan_arp_request)];
	struct vxlan_view v;
	uint8_t *hdr;

	(void)state;
	memcpy(buf + VXLAN_HDR_LEN, KERNEL_FRAME, KERNEL_FRAME_LEN);
	hdr = vxlan_push(buf + VXLAN_HDR_LEN, 0x123456);
	assert_int_equal(vxlan_parse(hdr, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.flags, VXLAN_F_VNI);
	assert_int_equal(v.vni, 0x123456);
	assert_ptr_equal(v.frame, buf + VXLAN_HDR_LEN);
	assert_int_equal(v.frame_len, KERNEL_FRAME_LEN);
	assert_memory_equal(v.frame, KERNEL_FRAME, KERNEL_FRAME_LEN);
}

/*
 * A VXLAN datagram carrying IPv4 UDP from 10.10.0.2:sport to 10.10.10.10:9,
 * with the given IP identification and fragment field; returns its length.
 */
static size_t
udp_flow(uint8_t *d, uint16_t sport, uint16_t ip_id, uint16_t frag)
{
	static const uint8_t ip_udp[] = { 0x45, 0, 0, 29, 0, 0, 0, 0, 64, 17, 0, 0, 10, 10, 0, 2,
		10, 10, 10, 10, 0, 0, 0, 9, 0, 9, 0, 0, 'x' };

	memset(d, 0, 8 + 14);
	d[0] = VXLAN_F_VNI;
	d[6] = 10;
	memcpy(d + 8, bcast_mac, ETHER_ADDR_LEN);
	memcpy(d + 14, kernel_mac, ETHER_ADDR_LEN);
	d[20] = 0x08;
	memcpy(d + 22, ip_udp, sizeof(ip_udp));
	d[22 + 4] = (uint8_t)(ip_id >> 8);
	d[22 + 5] = (uint8_t)ip_id;
	d[22 + 6] = (uint8_t)(frag >> 8);
	d[22 + 7] = (uint8_t)frag;
	d[22 + 20] = (uint8_t)(sport >> 8);
	d[22 + 21] = (uint8_t)sport;
	return 22 + sizeof(ip_udp);
}

static void
test_vxlan_flow_port_same_flow_same_port_in_range(void **state)
{
	uint8_t a[64], b[64];
	size_t la = udp_flow(a, 40000, 1, 0), lb = udp_flow(b, 40000, 2, 0);
	uint16_t port = vxlan_flow_port(a, la);

	(void)state;
	b[22 + 8] = 3; /* another TTL, another identification: the same flow */
	assert_int_equal(vxlan_flow_port(b, lb), port);
	assert_true(port >= VXLAN_SRC_PORT_MIN);
}

static void
test_vxlan_flow_port_inner_ports_spread_over_range(void **state)
{
	uint8_t d[64];
	uint16_t lo = 65535, hi = 0;
	unsigned distinct = 0;
	static bool seen[65536];

	(void)state;
	for (uint16_t sport = 30000; sport < 30256; sport++) {
		uint16_t port = vxlan_flow_port(d, udp_flow(d, sport, 0, 0));

		assert_true(port >= VXLAN_SRC_PORT_MIN);
		distinct += !seen[port];
		seen[port] = true;
		lo = port < lo ? port : lo;
		hi = port > hi ? port : hi;
	}
	/* 256 flows over 16,384 ports: a couple of collisions at most, both ends reached. */
	assert_true(distinct >= 250);
	assert_true(lo < VXLAN_SRC_PORT_MIN + 1024 && hi > VXLAN_SRC_PORT_MAX - 1024);
}

static void
test_vxlan_flow_port_fragments_of_a_flow_share_a_port(void **state)
{
	uint8_t first[64], later[64];
	size_t l1 = udp_flow(first, 40000, 7, 0x2000); /* MF set, offset 0 */
	size_t l2 = udp_flow(later, 12345, 7, 0x00b9); /* offset 185: no ports in it */

	(void)state;
	assert_int_equal(vxlan_flow_port(first, l1), vxlan_flow_port(later, l2));
}

static void
test_vxlan_flow_port_arp_by_ethernet_addresses(void **state)
{
	uint8_t other[sizeof(kernel_vxlan_arp_request)];
	uint16_t port = vxlan_flow_port(kernel_vxlan_arp_request, sizeof(kernel_vxlan_arp_request));

	(void)state;
	memcpy(other, kernel_vxlan_arp_request, sizeof(other));
	other[8 + 14 + 27] ^= 1; /* another target address: same MACs, same port */
	assert_int_equal(vxlan_flow_port(other, sizeof(other)), port);
	other[8 + 11] ^= 1; /* another source MAC: another port */
	assert_int_not_equal(vxlan_flow_port(other, sizeof(other)), port);
	assert_true(port >= VXLAN_SRC_PORT_MIN);
}

static void
test_vxlan_flow_port_short_datagram_in_range(void **state)
{
	(void)state;
	assert_int_equal(vxlan_flow_port(kernel_vxlan_arp_request, 3), VXLAN_SRC_PORT_MIN);
	assert_true(vxlan_flow_port(kernel_vxlan_arp_request, 8 + 14 + 10) >= VXLAN_SRC_PORT_MIN);
}

static void
test_vxlan_push_udp_writes_header(void **state)
{
	uint8_t buf[8 + 64];
	size_t len = udp_flow(buf + 8, 40000, 1, 0);
	uint16_t port = vxlan_flow_port(buf + 8, len);
	uint8_t *udp = vxlan_push_udp(buf + 8, len);

	(void)state;
	assert_ptr_equal(udp, buf);
	assert_int_equal(udp[0] << 8 | udp[1], port);
	assert_int_equal(udp[2] << 8 | udp[3], VXLAN_PORT);
	assert_int_equal(udp[4] << 8 | udp[5], len + 8);
	assert_int_equal(udp[6] << 8 | udp[7], 0); /* RFC 7348 §5: zero over IPv4 */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vxlan_parse_kernel_arp_request_accepts),
		cmocka_unit_test(test_vxlan_flow_port_same_flow_same_port_in_range),
		cmocka_unit_test(test_vxlan_flow_port_inner_ports_spread_over_range),
		cmocka_unit_test(test_vxlan_flow_port_fragments_of_a_flow_share_a_port),
		cmocka_unit_test(test_vxlan_flow_port_arp_by_ethernet_addresses),
		cmocka_unit_test(test_vxlan_flow_port_short_datagram_in_range),
		cmocka_unit_test(test_vxlan_push_udp_writes_header),
		cmocka_unit_test(test_vxlan_parse_kernel_arp_request_inner_frame_decodes),
		cmocka_unit_test(test_vxlan_parse_ipv4_frame_accepts),
		cmocka_unit_test(test_vxlan_parse_eight_octets_accepts_empty_frame),
		cmocka_unit_test(test_vxlan_parse_seven_octets_drops_too_short),
		cmocka_unit_test(test_vxlan_parse_empty_drops_too_short),
		cmocka_unit_test(test_vxlan_parse_i_flag_clear_drops_bad_flags),
		cmocka_unit_test(test_vxlan_parse_reserved_flags_without_i_drops_bad_flags),
		cmocka_unit_test(test_vxlan_parse_reserved_flag_bits_set_accepts),
		cmocka_unit_test(test_vxlan_parse_reserved_octets_set_ignored),
		cmocka_unit_test(test_vxlan_parse_vni_zero_accepts),
		cmocka_unit_test(test_vxlan_parse_vni_max_accepts),
		cmocka_unit_test(test_vxlan_parse_vni_octet_order_big_endian),
		cmocka_unit_test(test_vxlan_push_vni_ten_matches_kernel_header),
		cmocka_unit_test(test_vxlan_push_kernel_datagram_reproduces_capture),
		cmocka_unit_test(test_vxlan_push_vni_zero_writes_header),
		cmocka_unit_test(test_vxlan_push_vni_max_writes_header),
		cmocka_unit_test(test_vxlan_push_vni_wider_than_24_bits_masked),
		cmocka_unit_test(test_vxlan_push_round_trip_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
