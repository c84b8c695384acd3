/*
 * Unit tests for src/proto/ipv4.c: IPv4 header validation, the Internet
 * checksum, ICMP echo replies and ICMP errors.
 *
 * Vectors: the echo request/reply pair captured between sgsnemu and
 * osmo-ggsn (capture_sgsnemu.h), and packets built with python3-scapy that
 * tshark 4.0.17 decodes (`tshark -V -o ip.check_checksum:TRUE`) with good
 * IPv4 and ICMP checksums and no expert info. The replies
 * icmp_echo_reply_in_place makes of those requests were decoded the same
 * way: "Echo (ping) reply", both checksums good.
 *
 * The ICMP errors icmp_build_error makes of udp_to_internet and of a
 * 1500-octet DF datagram (err_admin_prohibited, err_frag_needed) were
 * written to a pcap (LINKTYPE_RAW) and decoded by tshark 4.0.17 (`tshark -V
 * -o ip.check_checksum:TRUE` and `-q -z expert`): "Destination
 * unreachable", codes 13 and 4 ("MTU of next hop: 1400"), both checksums
 * good, the quoted datagram decoded down to its UDP ports, no expert info.
 * To check again: VPGD_TEST_PCAP=/tmp/err.pcap test_ipv4, which has
 * test_icmp_build_error_admin_prohibited_bytes write its original and
 * error there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "proto/ipv4.h"
#include "capture_sgsnemu.h"

#define ECHO_REQ (sgsnemu_gpdu_echo_req + SGSNEMU_TPDU_OFF)
#define ECHO_RSP (sgsnemu_gpdu_echo_rsp + SGSNEMU_TPDU_OFF)

/*
 * 10.10.0.50 -> 10.10.0.1, TTL 63, IHL 6 with a Router Alert option
 * (94 04 00 00), ICMP echo request id 0x77 seq 3, data "vpgd-opt".
 */
static const uint8_t icmp_with_options[] = { 0x46, 0x00, 0x00, 0x28, 0x1c, 0x46, 0x00, 0x00, 0x3f,
	0x01, 0xb6, 0x44, 0x0a, 0x0a, 0x00, 0x32, 0x0a, 0x0a, 0x00, 0x01, 0x94, 0x04, 0x00, 0x00,
	0x08, 0x00, 0x7b, 0xcd, 0x00, 0x77, 0x00, 0x03, 0x76, 0x70, 0x67, 0x64, 0x2d, 0x6f, 0x70,
	0x74 };

/* 10.10.0.50 -> 10.10.0.1, ICMP echo request id 0x1234 seq 1, data "abc". */
static const uint8_t icmp_odd_length[] = { 0x45, 0x00, 0x00, 0x1f, 0x01, 0x02, 0x00, 0x00, 0x40,
	0x01, 0x65, 0x96, 0x0a, 0x0a, 0x00, 0x32, 0x0a, 0x0a, 0x00, 0x01, 0x08, 0x00, 0x21, 0x68,
	0x12, 0x34, 0x00, 0x01, 0x61, 0x62, 0x63 };

/* 10.10.0.50:40000 -> 10.10.0.1:9 (discard), UDP data "vpgd". */
static const uint8_t udp_discard[] = { 0x45, 0x00, 0x00, 0x20, 0x00, 0x07, 0x00, 0x00, 0x40, 0x11,
	0x66, 0x80, 0x0a, 0x0a, 0x00, 0x32, 0x0a, 0x0a, 0x00, 0x01, 0x9c, 0x40, 0x00, 0x09, 0x00,
	0x0c, 0x71, 0x71, 0x76, 0x70, 0x67, 0x64 };

/* 10.10.0.50:40000 -> 8.8.8.8:9, UDP data "vpgd": what a routing filter denies. */
static const uint8_t udp_to_internet[] = { 0x45, 0x00, 0x00, 0x20, 0x00, 0x07, 0x00, 0x00, 0x40,
	0x11, 0x60, 0x7b, 0x0a, 0x0a, 0x00, 0x32, 0x08, 0x08, 0x08, 0x08, 0x9c, 0x40, 0x00, 0x09,
	0x00, 0x0c, 0x71, 0x71, 0x76, 0x70, 0x67, 0x64 };

/*
 * 10.10.0.1 -> 10.10.0.50, TOS 0xc0, ID 0, TTL 64, ICMP type 3 code 13,
 * quoting udp_to_internet's header and first 8 octets (its UDP header).
 */
static const uint8_t err_admin_prohibited[] = { 0x45, 0xc0, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00,
	0x40, 0x01, 0x65, 0xbf, 0x0a, 0x0a, 0x00, 0x01, 0x0a, 0x0a, 0x00, 0x32, 0x03, 0x0d, 0xef,
	0x2b, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x20, 0x00, 0x07, 0x00, 0x00, 0x40, 0x11,
	0x60, 0x7b, 0x0a, 0x0a, 0x00, 0x32, 0x08, 0x08, 0x08, 0x08, 0x9c, 0x40, 0x00, 0x09, 0x00,
	0x0c, 0x71, 0x71 };

/*
 * The same for big_df_datagram with type 3 code 4 and a next-hop MTU of
 * 1400 (0x0578) in octets 7-8 of the ICMP header.
 */
static const uint8_t err_frag_needed[] = { 0x45, 0xc0, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x40,
	0x01, 0x65, 0xbf, 0x0a, 0x0a, 0x00, 0x01, 0x0a, 0x0a, 0x00, 0x32, 0x03, 0x04, 0x55, 0x72,
	0x00, 0x00, 0x05, 0x78, 0x45, 0x00, 0x05, 0xdc, 0x00, 0x07, 0x40, 0x00, 0x40, 0x11, 0x1a,
	0xbf, 0x0a, 0x0a, 0x00, 0x32, 0x08, 0x08, 0x08, 0x08, 0x9c, 0x40, 0x00, 0x09, 0x05, 0xc8,
	0x00, 0x00 };

#define GATEWAY_BE htonl(0x0a0a0001) /* 10.10.0.1 */

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* After a test edits a header field, so that only that field is wrong. */
static void
fix_ip_checksum(uint8_t *pkt)
{
	size_t hdr_len = (size_t)(pkt[0] & 0x0f) * 4;

	put_be16(pkt + 10, 0);
	put_be16(pkt + 10, inet_checksum(pkt, hdr_len));
}

static void
test_ipv4_parse_sgsnemu_echo_req_accepts(void **state)
{
	struct ipv4_view v;
	static const uint8_t src[4] = { 10, 46, 0, 1 }, dst[4] = { 10, 46, 0, 0 };

	(void)state;
	assert_int_equal(ipv4_parse(ECHO_REQ, SGSNEMU_TPDU_LEN, &v), VPG_DROP_NONE);
	assert_int_equal(v.hdr_len, 20);
	assert_int_equal(v.total_len, 84);
	assert_int_equal(v.proto, IPPROTO_ICMP_);
	assert_int_equal(v.ttl, 64);
	assert_int_equal(v.frag, 0x4000); /* DF */
	assert_memory_equal(&v.src, src, 4);
	assert_memory_equal(&v.dst, dst, 4);
	assert_ptr_equal(v.l4, ECHO_REQ + 20);
	assert_int_equal(v.l4_len, 64);
}

static void
test_ipv4_parse_19_octets_drops_too_short(void **state)
{
	struct ipv4_view v;

	(void)state;
	assert_int_equal(ipv4_parse(ECHO_REQ, IPV4_HDR_LEN - 1, &v), VPG_DROP_IPV4_TOO_SHORT);
	assert_null(v.l4);
	assert_int_equal(v.l4_len, 0);
}

static void
test_ipv4_parse_version_6_drops_bad_version(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	pkt[0] = 0x65;
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_IPV4_BAD_VERSION);
	assert_null(v.l4);
}

static void
test_ipv4_parse_ihl_4_drops_bad_header(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	pkt[0] = 0x44;
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_IPV4_BAD_HEADER);
	assert_int_equal(v.hdr_len, 16);
	assert_null(v.l4);
}

static void
test_ipv4_parse_total_len_past_buffer_drops_bad_header(void **state)
{
	struct ipv4_view v;

	(void)state;
	assert_int_equal(ipv4_parse(ECHO_REQ, SGSNEMU_TPDU_LEN - 1, &v), VPG_DROP_IPV4_BAD_HEADER);
	assert_int_equal(v.total_len, 84);
	assert_null(v.l4);
}

static void
test_ipv4_parse_total_len_below_ihl_drops_bad_header(void **state)
{
	uint8_t pkt[sizeof(icmp_with_options)];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, icmp_with_options, sizeof(pkt));
	put_be16(pkt + 2, 20); /* IHL says 24 */
	fix_ip_checksum(pkt);
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_IPV4_BAD_HEADER);
	assert_int_equal(v.total_len, 20);
	assert_null(v.l4);
}

/* IHL 15: 60 octets of header, longer than the whole packet. */
static void
test_ipv4_parse_ihl_past_total_len_drops_bad_header(void **state)
{
	uint8_t pkt[sizeof(icmp_with_options)];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, icmp_with_options, sizeof(pkt));
	pkt[0] = 0x4f;
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_IPV4_BAD_HEADER);
	assert_null(v.l4);
}

/* A header-only datagram (total length = IHL) is valid: empty payload. */
static void
test_ipv4_parse_header_only_accepts(void **state)
{
	uint8_t pkt[IPV4_HDR_LEN];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	put_be16(pkt + 2, IPV4_HDR_LEN);
	fix_ip_checksum(pkt);
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_ptr_equal(v.l4, pkt + IPV4_HDR_LEN);
	assert_int_equal(v.l4_len, 0);
}

/* Ethernet pads short frames: octets after total length are not ours. */
static void
test_ipv4_parse_trailing_padding_ignored(void **state)
{
	uint8_t pkt[sizeof(icmp_odd_length) + 15];
	struct ipv4_view v;

	(void)state;
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt, icmp_odd_length, sizeof(icmp_odd_length));
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_int_equal(v.total_len, 31);
	assert_int_equal(v.l4_len, 11);
}

static void
test_ipv4_parse_options_l4_after_options(void **state)
{
	struct ipv4_view v;

	(void)state;
	assert_int_equal(
	    ipv4_parse(icmp_with_options, sizeof(icmp_with_options), &v), VPG_DROP_NONE);
	assert_int_equal(v.hdr_len, 24);
	assert_int_equal(v.ttl, 63);
	assert_ptr_equal(v.l4, icmp_with_options + 24);
	assert_int_equal(v.l4_len, 16);
}

/* RFC 1071 §3: the sum of 00 01 f2 03 f4 f5 f6 f7 is 0xddf2. */
static void
test_inet_checksum_rfc1071_example(void **state)
{
	static const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	(void)state;
	assert_int_equal(inet_checksum(data, sizeof(data)), (uint16_t)~0xddf2);
}

/* An odd last octet counts as the high half of a word padded with zero. */
static void
test_inet_checksum_odd_length_pads_zero(void **state)
{
	static const uint8_t odd[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0xab };
	static const uint8_t even[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0xab,
		0x00 };

	(void)state;
	assert_int_equal(inet_checksum(odd, sizeof(odd)), inet_checksum(even, sizeof(even)));
	assert_int_equal(inet_checksum(odd, sizeof(odd)), (uint16_t) ~(0xddf2 + 0xab00 - 0xffff));
}

/* Any start address: UBSan would flag a misaligned 16-bit load here. */
static void
test_inet_checksum_unaligned_start_same_sum(void **state)
{
	uint8_t buf[1 + SGSNEMU_TPDU_LEN];

	(void)state;
	memcpy(buf + 1, ECHO_REQ, SGSNEMU_TPDU_LEN);
	assert_int_equal(inet_checksum(buf + 1, IPV4_HDR_LEN), 0);
	assert_int_equal(inet_checksum(buf + 1 + 20, 64), 0);
}

static void
test_inet_checksum_empty_returns_ffff(void **state)
{
	(void)state;
	assert_int_equal(inet_checksum(NULL, 0), 0xffff);
}

static void
test_ipv4_checksum_ok_captured_header_true(void **state)
{
	(void)state;
	assert_true(ipv4_checksum_ok(ECHO_REQ, IPV4_HDR_LEN));
	assert_true(ipv4_checksum_ok(icmp_with_options, 24));
}

static void
test_ipv4_checksum_ok_corrupted_header_false(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	pkt[8] = 63; /* TTL decremented, checksum not updated */
	assert_false(ipv4_checksum_ok(pkt, IPV4_HDR_LEN));
}

static void
test_ipv4_ttl_decrement_captured_header_stays_valid(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	ipv4_ttl_decrement(pkt);
	assert_int_equal(pkt[8], 63);
	assert_true(ipv4_checksum_ok(pkt, IPV4_HDR_LEN));
	assert_memory_equal(pkt, ECHO_REQ, 8);
	assert_int_equal(pkt[9], ECHO_REQ[9]);
	assert_memory_equal(pkt + 12, ECHO_REQ + 12, sizeof(pkt) - 12);
}

/*
 * Every header checksum value (the IP ID walks all 65536 values): the
 * incremental update equals summing the header again, 0x0000 included
 * where HC + 0x0100 would give 0xffff.
 */
static void
test_ipv4_ttl_decrement_every_checksum_equals_full_sum(void **state)
{
	uint8_t pkt[IPV4_HDR_LEN], want[IPV4_HDR_LEN];
	uint32_t id;

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	for (id = 0; id <= 0xffff; id++) {
		put_be16(pkt + 4, (uint16_t)id);
		fix_ip_checksum(pkt);
		memcpy(want, pkt, sizeof(want));
		want[8]--;
		fix_ip_checksum(want);
		ipv4_ttl_decrement(pkt);
		assert_memory_equal(pkt, want, sizeof(want));
		pkt[8]++;
	}
}

/*
 * The reply to the captured request must carry the ICMP message the
 * GGSN's Linux kernel answered with, octet for octet.
 */
static void
test_icmp_echo_reply_in_place_sgsnemu_request_matches_kernel_reply(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_int_equal(icmp_echo_reply_in_place(pkt, &v), VPG_DROP_NONE);
	assert_memory_equal(pkt + 20, ECHO_RSP + 20, 64);
	assert_memory_equal(pkt + 12, ECHO_RSP + 12, 8); /* addresses swapped */
	assert_int_equal(pkt[8], 64);
	assert_int_equal(inet_checksum(pkt, 20), 0);
	assert_int_equal(inet_checksum(pkt + 20, 64), 0);
	/* Everything else in the header is the request's. */
	assert_memory_equal(pkt, ECHO_REQ, 8);
	assert_int_equal(pkt[9], ECHO_REQ[9]);
}

static void
test_icmp_echo_reply_in_place_odd_length_checksums_valid(void **state)
{
	uint8_t pkt[sizeof(icmp_odd_length)];
	static const uint8_t src[4] = { 10, 10, 0, 1 }, dst[4] = { 10, 10, 0, 50 };
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, icmp_odd_length, sizeof(pkt));
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_int_equal(icmp_echo_reply_in_place(pkt, &v), VPG_DROP_NONE);
	assert_int_equal(pkt[20], ICMP_ECHO_REPLY);
	assert_int_equal(pkt[21], 0);
	assert_memory_equal(pkt + 12, src, 4);
	assert_memory_equal(pkt + 16, dst, 4);
	assert_memory_equal(pkt + 24, icmp_odd_length + 24, 7); /* id, seq, data */
	assert_int_equal(inet_checksum(pkt, 20), 0);
	assert_int_equal(inet_checksum(pkt + 20, 11), 0);
}

static void
test_icmp_echo_reply_in_place_ip_options_kept(void **state)
{
	uint8_t pkt[sizeof(icmp_with_options)];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, icmp_with_options, sizeof(pkt));
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_int_equal(icmp_echo_reply_in_place(pkt, &v), VPG_DROP_NONE);
	assert_int_equal(pkt[0], 0x46);
	assert_memory_equal(pkt + 20, icmp_with_options + 20, 4); /* Router Alert */
	assert_memory_equal(pkt + 12, icmp_with_options + 16, 4);
	assert_memory_equal(pkt + 16, icmp_with_options + 12, 4);
	assert_int_equal(pkt[8], 64);
	assert_int_equal(pkt[24], ICMP_ECHO_REPLY);
	assert_memory_equal(pkt + 28, icmp_with_options + 28, 12);
	assert_int_equal(inet_checksum(pkt, 24), 0);
	assert_int_equal(inet_checksum(pkt + 24, 16), 0);
}

/* Asserts the drop and that the packet was left as it came. */
static void
assert_echo_reply_drops(uint8_t *pkt, size_t len)
{
	uint8_t before[128];
	struct ipv4_view v;

	assert_true(len <= sizeof(before));
	memcpy(before, pkt, len);
	assert_int_equal(ipv4_parse(pkt, len, &v), VPG_DROP_NONE);
	assert_int_equal(icmp_echo_reply_in_place(pkt, &v), VPG_DROP_ICMP_BAD);
	assert_memory_equal(pkt, before, len);
}

static void
test_icmp_echo_reply_in_place_bad_icmp_checksum_drops(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	pkt[83] ^= 0x01; /* last data octet */
	assert_echo_reply_drops(pkt, sizeof(pkt));
}

/* An echo reply (type 0, checksum valid) is not answered. */
static void
test_icmp_echo_reply_in_place_echo_reply_type_drops(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];

	(void)state;
	memcpy(pkt, ECHO_RSP, sizeof(pkt));
	assert_echo_reply_drops(pkt, sizeof(pkt));
}

static void
test_icmp_echo_reply_in_place_code_nonzero_drops(void **state)
{
	uint8_t pkt[sizeof(icmp_odd_length)];

	(void)state;
	memcpy(pkt, icmp_odd_length, sizeof(pkt));
	pkt[21] = 1;
	put_be16(pkt + 22, 0);
	put_be16(pkt + 22, inet_checksum(pkt + 20, 11));
	assert_echo_reply_drops(pkt, sizeof(pkt));
}

static void
test_icmp_echo_reply_in_place_more_fragments_drops(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	put_be16(pkt + 6, 0x2000);
	fix_ip_checksum(pkt);
	assert_echo_reply_drops(pkt, sizeof(pkt));
}

static void
test_icmp_echo_reply_in_place_fragment_offset_drops(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	put_be16(pkt + 6, 0x0001); /* offset 8 octets, last fragment */
	fix_ip_checksum(pkt);
	assert_echo_reply_drops(pkt, sizeof(pkt));
}

/* Seven octets of ICMP: shorter than an echo header. */
static void
test_icmp_echo_reply_in_place_short_message_drops(void **state)
{
	static const uint8_t icmp7[] = { 0x08, 0x00, 0xf7, 0xff, 0x00, 0x00, 0x00 };
	uint8_t pkt[IPV4_HDR_LEN + sizeof(icmp7)];

	(void)state;
	memcpy(pkt, ECHO_REQ, IPV4_HDR_LEN);
	memcpy(pkt + IPV4_HDR_LEN, icmp7, sizeof(icmp7));
	put_be16(pkt + 2, sizeof(pkt));
	fix_ip_checksum(pkt);
	assert_int_equal(inet_checksum(icmp7, sizeof(icmp7)), 0);
	assert_echo_reply_drops(pkt, sizeof(pkt));
}

static void
test_icmp_echo_reply_in_place_not_icmp_drops(void **state)
{
	uint8_t pkt[sizeof(udp_discard)];

	(void)state;
	memcpy(pkt, udp_discard, sizeof(pkt));
	assert_echo_reply_drops(pkt, sizeof(pkt));
}

static void
test_icmp_answer_echo_to_us_request_replied(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_int_equal(icmp_answer_echo_to_us(pkt, &v), VPG_DROP_NONE);
	assert_memory_equal(pkt + 20, ECHO_RSP + 20, 64);
	assert_memory_equal(pkt + 12, ECHO_RSP + 12, 8);
}

static void
test_icmp_answer_echo_to_us_not_icmp_unsupported(void **state)
{
	uint8_t pkt[sizeof(udp_discard)];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, udp_discard, sizeof(pkt));
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_int_equal(icmp_answer_echo_to_us(pkt, &v), VPG_DROP_GATEWAY_UNSUPPORTED);
	assert_memory_equal(pkt, udp_discard, sizeof(pkt));
}

static void
test_icmp_answer_echo_to_us_bad_header_checksum_drops(void **state)
{
	uint8_t pkt[SGSNEMU_TPDU_LEN];
	struct ipv4_view v;

	(void)state;
	memcpy(pkt, ECHO_REQ, sizeof(pkt));
	pkt[10] ^= 0x01;
	assert_int_equal(ipv4_parse(pkt, sizeof(pkt), &v), VPG_DROP_NONE);
	assert_int_equal(icmp_answer_echo_to_us(pkt, &v), VPG_DROP_IPV4_BAD_CHECKSUM);
	assert_int_equal(pkt[20], ICMP_ECHO_REQUEST);
}

/*
 * With VPGD_TEST_PCAP naming a file, the original and the error built from
 * it are written there as a pcap of raw IPv4 (LINKTYPE_RAW, 101) for tshark.
 */
static void
dump_pcap(const uint8_t *orig, size_t orig_len, const uint8_t *err, size_t err_len)
{
	static const uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101 };
	const char *path = getenv("VPGD_TEST_PCAP");
	const uint8_t *pkt[2] = { orig, err };
	const size_t len[2] = { orig_len, err_len };
	FILE *f;

	if (path == NULL || (f = fopen(path, "wb")) == NULL)
		return;
	fwrite(hdr, sizeof(hdr[0]), 6, f);
	for (int i = 0; i < 2; i++) {
		uint32_t rec[4] = { (uint32_t)i, 0, (uint32_t)len[i], (uint32_t)len[i] };

		fwrite(rec, sizeof(rec[0]), 4, f);
		fwrite(pkt[i], 1, len[i], f);
	}
	fclose(f);
}

/* Both checksums of a built error verify over the lengths it claims. */
static void
assert_error_checksums(const uint8_t *out, size_t n)
{
	assert_int_equal((out[2] << 8) | out[3], n);
	assert_int_equal(inet_checksum(out, IPV4_HDR_LEN), 0);
	assert_int_equal(inet_checksum(out + IPV4_HDR_LEN, n - IPV4_HDR_LEN), 0);
}

static void
test_icmp_build_error_admin_prohibited_bytes(void **state)
{
	uint8_t out[128];
	size_t n;

	(void)state;
	memset(out, 0xee, sizeof(out));
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, udp_to_internet, sizeof(udp_to_internet));
	dump_pcap(udp_to_internet, sizeof(udp_to_internet), out, n);
	assert_int_equal(n, sizeof(err_admin_prohibited));
	assert_memory_equal(out, err_admin_prohibited, n);
	assert_error_checksums(out, n);
	assert_int_equal(out[n], 0xee); /* nothing written past the length */
}

/* TTL 64, ID 0, no flags (DF clear), offset 0, protocol ICMP, no options. */
static void
test_icmp_build_error_header_fields(void **state)
{
	uint8_t out[128];
	struct ipv4_view v;
	size_t n;

	(void)state;
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, udp_to_internet, sizeof(udp_to_internet));
	assert_int_equal(ipv4_parse(out, n, &v), VPG_DROP_NONE);
	assert_int_equal(v.hdr_len, 20);
	assert_int_equal(v.ttl, 64);
	assert_int_equal(v.frag, 0);
	assert_int_equal((out[4] << 8) | out[5], 0);
	assert_int_equal(v.proto, IPPROTO_ICMP_);
	assert_int_equal(v.src, GATEWAY_BE);
	assert_memory_equal(&v.dst, udp_to_internet + 12, 4);
	assert_int_equal(v.l4_len, 8 + 28);
}

/* 10.10.0.50 -> 8.8.8.8, 1500 octets of UDP with DF: too big for a 1400 path. */
static void
big_df_datagram(uint8_t *pkt)
{
	memset(pkt, 0x5a, 1500);
	memcpy(pkt, udp_to_internet, 24);
	put_be16(pkt + 2, 1500);
	put_be16(pkt + 6, 0x4000);
	put_be16(pkt + 24, 1480);
	put_be16(pkt + 26, 0);
	fix_ip_checksum(pkt);
}

static void
test_icmp_build_error_frag_needed_mtu_in_octets_7_8(void **state)
{
	uint8_t pkt[1500], out[128];
	size_t n;

	(void)state;
	big_df_datagram(pkt);
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_FRAG_NEEDED, 1400,
	    GATEWAY_BE, pkt, sizeof(pkt));
	assert_int_equal(n, sizeof(err_frag_needed));
	assert_memory_equal(out, err_frag_needed, n);
	assert_int_equal(out[24], 0);
	assert_int_equal(out[25], 0);
	assert_int_equal((out[26] << 8) | out[27], 1400);
	assert_error_checksums(out, n);
}

/* The MTU belongs to code 4 only (RFC 1191 §4); elsewhere the field is unused, 0. */
static void
test_icmp_build_error_mtu_ignored_for_other_codes(void **state)
{
	uint8_t out[128];
	size_t n;

	(void)state;
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 1400,
	    GATEWAY_BE, udp_to_internet, sizeof(udp_to_internet));
	assert_int_equal(n, sizeof(err_admin_prohibited));
	assert_memory_equal(out, err_admin_prohibited, n);
}

/* A 1500-octet original: its header and 8 octets, not one more. */
static void
test_icmp_build_error_long_original_quotes_header_and_8(void **state)
{
	uint8_t pkt[1500], out[1600];
	size_t n;

	(void)state;
	big_df_datagram(pkt);
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, pkt, sizeof(pkt));
	assert_int_equal(n, 20 + 8 + 20 + 8);
	assert_memory_equal(out + 28, pkt, 28);
	assert_error_checksums(out, n);
}

/* Three octets after the header: all of them are quoted, and no more. */
static void
test_icmp_build_error_short_original_quotes_all(void **state)
{
	uint8_t pkt[23], out[128];
	size_t n;

	(void)state;
	memcpy(pkt, udp_to_internet, sizeof(pkt));
	put_be16(pkt + 2, sizeof(pkt));
	fix_ip_checksum(pkt);
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, pkt, sizeof(pkt));
	assert_int_equal(n, 28 + 23);
	assert_memory_equal(out + 28, pkt, 23);
	assert_error_checksums(out, n);
}

static void
test_icmp_build_error_header_only_original_quotes_header(void **state)
{
	uint8_t pkt[20], out[128];
	size_t n;

	(void)state;
	memcpy(pkt, udp_to_internet, sizeof(pkt));
	put_be16(pkt + 2, sizeof(pkt));
	fix_ip_checksum(pkt);
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, pkt, sizeof(pkt));
	assert_int_equal(n, 28 + 20);
	assert_memory_equal(out + 28, pkt, 20);
	assert_error_checksums(out, n);
}

/* Link padding after the total length is not the original's: not quoted. */
static void
test_icmp_build_error_padding_not_quoted(void **state)
{
	uint8_t pkt[64], out[128];
	size_t n;

	(void)state;
	memset(pkt, 0xcc, sizeof(pkt));
	memcpy(pkt, udp_to_internet, 23);
	put_be16(pkt + 2, 23);
	fix_ip_checksum(pkt);
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, pkt, sizeof(pkt));
	assert_int_equal(n, 28 + 23);
	assert_memory_equal(out + 28, pkt, 23);
	assert_error_checksums(out, n);
}

/* RFC 792: the whole original header is quoted, options included. */
static void
test_icmp_build_error_options_quoted(void **state)
{
	uint8_t out[128];
	size_t n;

	(void)state;
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, icmp_with_options, sizeof(icmp_with_options));
	assert_int_equal(n, 28 + 24 + 8);
	assert_int_equal(out[0], 0x45);
	assert_memory_equal(out + 28, icmp_with_options, 32);
	assert_error_checksums(out, n);
}

/* An echo request is a query: it may be answered with an error. */
static void
test_icmp_build_error_echo_request_original_built(void **state)
{
	uint8_t out[128];
	size_t n;

	(void)state;
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, ECHO_REQ, SGSNEMU_TPDU_LEN);
	assert_int_equal(n, 56);
	assert_memory_equal(out + 16, ECHO_REQ + 12, 4);
	assert_memory_equal(out + 28, ECHO_REQ, 28);
	assert_error_checksums(out, n);
}

static void
test_icmp_build_error_cap_exact_built_one_less_refused(void **state)
{
	uint8_t out[56];

	(void)state;
	assert_int_equal(icmp_build_error(out, 55, ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
			     GATEWAY_BE, udp_to_internet, sizeof(udp_to_internet)),
	    0);
	assert_int_equal(icmp_build_error(out, 56, ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
			     GATEWAY_BE, udp_to_internet, sizeof(udp_to_internet)),
	    56);
	assert_memory_equal(out, err_admin_prohibited, 56);
}

/* The builder may write over the original it quotes. */
static void
test_icmp_build_error_in_place_same_bytes(void **state)
{
	uint8_t pkt[128];
	size_t n;

	(void)state;
	memcpy(pkt, udp_to_internet, sizeof(udp_to_internet));
	n = icmp_build_error(pkt, sizeof(pkt), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, pkt, sizeof(udp_to_internet));
	assert_int_equal(n, sizeof(err_admin_prohibited));
	assert_memory_equal(pkt, err_admin_prohibited, n);
}

/* Returns what icmp_build_error makes of pkt, asserting out is untouched on 0. */
static size_t
build(const uint8_t *pkt, size_t len)
{
	uint8_t out[128];
	size_t n;

	memset(out, 0xee, sizeof(out));
	n = icmp_build_error(out, sizeof(out), ICMP_DEST_UNREACH, ICMP_CODE_ADMIN_PROHIBITED, 0,
	    GATEWAY_BE, pkt, len);
	for (size_t i = 0; n == 0 && i < sizeof(out); i++)
		assert_int_equal(out[i], 0xee);
	return n;
}

static void
test_icmp_build_error_not_ipv4_refused(void **state)
{
	uint8_t pkt[sizeof(udp_to_internet)];

	(void)state;
	assert_int_equal(build(udp_to_internet, 19), 0);
	memcpy(pkt, udp_to_internet, sizeof(pkt));
	pkt[0] = 0x65;
	assert_int_equal(build(pkt, sizeof(pkt)), 0);
	pkt[0] = 0x45;
	put_be16(pkt + 2, sizeof(pkt) + 1);
	assert_int_equal(build(pkt, sizeof(pkt)), 0);
}

/* An ICMP message of type, its checksum valid, from 10.10.0.50 to 8.8.8.8. */
static void
icmp_of_type(uint8_t *pkt, uint8_t type)
{
	memcpy(pkt, udp_to_internet, 20);
	pkt[9] = IPPROTO_ICMP_;
	put_be16(pkt + 2, 28);
	fix_ip_checksum(pkt);
	memset(pkt + 20, 0, 8);
	pkt[20] = type;
	put_be16(pkt + 22, inet_checksum(pkt + 20, 8));
}

/* RFC 1122 §3.2.2: never an error about an error, nor about an unknown type. */
static void
test_icmp_build_error_about_icmp_error_refused(void **state)
{
	static const uint8_t errors[] = { 3, 4, 5, 11, 12, 42, 255 };
	uint8_t pkt[28];

	(void)state;
	for (size_t i = 0; i < sizeof(errors); i++) {
		icmp_of_type(pkt, errors[i]);
		assert_int_equal(build(pkt, sizeof(pkt)), 0);
	}
	assert_int_equal(build(err_admin_prohibited, sizeof(err_admin_prohibited)), 0);
}

static void
test_icmp_build_error_about_icmp_queries_built(void **state)
{
	static const uint8_t queries[] = { 0, 8, 9, 10, 13, 14, 15, 16, 17, 18 };
	uint8_t pkt[28];

	(void)state;
	for (size_t i = 0; i < sizeof(queries); i++) {
		icmp_of_type(pkt, queries[i]);
		assert_int_equal(build(pkt, sizeof(pkt)), 56);
	}
}

/* ICMP with no octet after the header: whether it is an error cannot be told. */
static void
test_icmp_build_error_empty_icmp_refused(void **state)
{
	uint8_t pkt[28];

	(void)state;
	icmp_of_type(pkt, ICMP_ECHO_REQUEST);
	put_be16(pkt + 2, 20);
	fix_ip_checksum(pkt);
	assert_int_equal(build(pkt, 20), 0);
}

/* RFC 1122 §3.2.2: not for a fragment other than the first; the first is fine. */
static void
test_icmp_build_error_non_first_fragment_refused(void **state)
{
	uint8_t pkt[sizeof(udp_to_internet)];

	(void)state;
	memcpy(pkt, udp_to_internet, sizeof(pkt));
	put_be16(pkt + 6, 0x2001); /* MF, offset 8 */
	fix_ip_checksum(pkt);
	assert_int_equal(build(pkt, sizeof(pkt)), 0);
	put_be16(pkt + 6, 0x0001); /* the last fragment */
	fix_ip_checksum(pkt);
	assert_int_equal(build(pkt, sizeof(pkt)), 0);
	put_be16(pkt + 6, 0x2000); /* the first fragment */
	fix_ip_checksum(pkt);
	assert_int_equal(build(pkt, sizeof(pkt)), 56);
}

/* udp_to_internet with the address at offset off (12 source, 16 destination). */
static size_t
build_with_address(size_t off, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t pkt[sizeof(udp_to_internet)];

	memcpy(pkt, udp_to_internet, sizeof(pkt));
	pkt[off] = a;
	pkt[off + 1] = b;
	pkt[off + 2] = c;
	pkt[off + 3] = d;
	fix_ip_checksum(pkt);
	return build(pkt, sizeof(pkt));
}

/* RFC 1122 §3.2.2: not for a datagram to a broadcast or multicast address. */
static void
test_icmp_build_error_broadcast_multicast_destination_refused(void **state)
{
	(void)state;
	assert_int_equal(build_with_address(16, 255, 255, 255, 255), 0);
	assert_int_equal(build_with_address(16, 224, 0, 0, 251), 0);
	assert_int_equal(build_with_address(16, 239, 255, 255, 250), 0);
	assert_int_equal(build_with_address(16, 223, 255, 255, 255), 56);
	assert_int_equal(build_with_address(16, 240, 0, 0, 1), 56);
}

/* RFC 1122 §3.2.2: nor from a source that is not a single host. */
static void
test_icmp_build_error_source_not_single_host_refused(void **state)
{
	(void)state;
	assert_int_equal(build_with_address(12, 0, 0, 0, 0), 0);
	assert_int_equal(build_with_address(12, 127, 0, 0, 1), 0);
	assert_int_equal(build_with_address(12, 224, 0, 0, 1), 0);
	assert_int_equal(build_with_address(12, 240, 0, 0, 1), 0);
	assert_int_equal(build_with_address(12, 255, 255, 255, 255), 0);
	assert_int_equal(build_with_address(12, 0, 0, 0, 1), 56);
}

/* ipv4_str against inet_ntop: the edges of every octet's width, then a sweep. */
static void
test_ipv4_str_matches_inet_ntop(void **state)
{
	static const uint32_t fixed[] = { 0x00000000, 0xffffffff, 0x0a006409, 0xc0a8010a,
		0x09636400, 0x7f000001 };
	char ours[16], theirs[INET_ADDRSTRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		uint32_t be = htonl(fixed[i]);

		assert_string_equal(
		    ipv4_str(be, ours), inet_ntop(AF_INET, &be, theirs, sizeof(theirs)));
	}
	for (uint32_t h = 0, i = 0; i < 100000; i++, h += 42967) {
		uint32_t be = htonl(h);

		assert_string_equal(
		    ipv4_str(be, ours), inet_ntop(AF_INET, &be, theirs, sizeof(theirs)));
	}
}

/*
 * A VXLAN datagram's outer header as direct transmit writes it: 198.51.100.1
 * -> 198.51.100.11, 50 octets of UDP, id 0x1234, TTL 64. The octets are the
 * ones scapy builds for IP(src=..., dst=..., id=0x1234, ttl=64, proto=17,
 * len=70, flags=0), checksum 0x1400 included; ipv4_parse reads the fields back.
 */
static void
test_ipv4_write_header_bytes(void **state)
{
	static const uint8_t want[IPV4_HDR_LEN] = { 0x45, 0x00, 0x00, 0x46, 0x12, 0x34, 0x00, 0x00,
		0x40, 0x11, 0x14, 0x00, 0xc6, 0x33, 0x64, 0x01, 0xc6, 0x33, 0x64, 0x0b };
	uint8_t out[70];
	struct ipv4_view v;

	(void)state;
	memset(out, 0xee, sizeof(out));
	ipv4_write_header(out, &(struct ipv4_header){ .src_be = inet_addr("198.51.100.1"),
				   .dst_be = inet_addr("198.51.100.11"),
				   .total_len = 70,
				   .id = 0x1234,
				   .ttl = 64,
				   .proto = 17 });
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[IPV4_HDR_LEN], 0xee); /* nothing past the header */
	assert_true(ipv4_checksum_ok(out, IPV4_HDR_LEN));
	assert_int_equal(ipv4_parse(out, sizeof(out), &v), VPG_DROP_NONE);
	assert_int_equal(v.src, inet_addr("198.51.100.1"));
	assert_int_equal(v.dst, inet_addr("198.51.100.11"));
	assert_int_equal(v.ttl, 64);
	assert_int_equal(v.proto, 17);
	assert_int_equal(v.frag, 0);
	assert_int_equal(v.l4_len, 50);
}

/*
 * A template written with length and identification 0 and stamped by
 * ipv4_set_length_and_id is, octet for octet, the header written with them
 * from the start: over lengths and identifications that carry into the
 * checksum's high bits and wrap around, and addresses whose sum is near
 * 0xffff.
 */
static void
test_ipv4_set_length_and_id_same_as_writing_them(void **state)
{
	static const uint32_t srcs[] = { 0x0100a8c0, 0xffffffff, 0x00000000, 0x016433c6 };
	static const uint16_t lens[] = { 20, 70, 1500, 0xfff0, 0xffff };
	static const uint16_t ids[] = { 0, 1, 0x1234, 0x8000, 0xfffe, 0xffff };
	uint8_t stamped[IPV4_HDR_LEN], written[IPV4_HDR_LEN];

	(void)state;
	for (size_t s = 0; s < sizeof(srcs) / sizeof(srcs[0]); s++)
		for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
			for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
				struct ipv4_header h = { .src_be = srcs[s],
					.dst_be = 0x0b6433c6,
					.ttl = 64,
					.proto = 47 };

				ipv4_write_header(stamped, &h);
				ipv4_set_length_and_id(stamped, lens[l], ids[i]);
				h.total_len = lens[l];
				h.id = ids[i];
				ipv4_write_header(written, &h);
				assert_memory_equal(stamped, written, IPV4_HDR_LEN);
				assert_true(ipv4_checksum_ok(stamped, IPV4_HDR_LEN));
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_parse_sgsnemu_echo_req_accepts),
		cmocka_unit_test(test_ipv4_str_matches_inet_ntop),
		cmocka_unit_test(test_ipv4_parse_19_octets_drops_too_short),
		cmocka_unit_test(test_ipv4_parse_version_6_drops_bad_version),
		cmocka_unit_test(test_ipv4_parse_ihl_4_drops_bad_header),
		cmocka_unit_test(test_ipv4_parse_total_len_past_buffer_drops_bad_header),
		cmocka_unit_test(test_ipv4_parse_total_len_below_ihl_drops_bad_header),
		cmocka_unit_test(test_ipv4_parse_ihl_past_total_len_drops_bad_header),
		cmocka_unit_test(test_ipv4_parse_header_only_accepts),
		cmocka_unit_test(test_ipv4_parse_trailing_padding_ignored),
		cmocka_unit_test(test_ipv4_parse_options_l4_after_options),
		cmocka_unit_test(test_inet_checksum_rfc1071_example),
		cmocka_unit_test(test_inet_checksum_odd_length_pads_zero),
		cmocka_unit_test(test_inet_checksum_unaligned_start_same_sum),
		cmocka_unit_test(test_inet_checksum_empty_returns_ffff),
		cmocka_unit_test(test_ipv4_checksum_ok_captured_header_true),
		cmocka_unit_test(test_ipv4_checksum_ok_corrupted_header_false),
		cmocka_unit_test(test_ipv4_ttl_decrement_captured_header_stays_valid),
		cmocka_unit_test(test_ipv4_ttl_decrement_every_checksum_equals_full_sum),
		cmocka_unit_test(
		    test_icmp_echo_reply_in_place_sgsnemu_request_matches_kernel_reply),
		cmocka_unit_test(test_icmp_echo_reply_in_place_odd_length_checksums_valid),
		cmocka_unit_test(test_icmp_echo_reply_in_place_ip_options_kept),
		cmocka_unit_test(test_icmp_echo_reply_in_place_bad_icmp_checksum_drops),
		cmocka_unit_test(test_icmp_echo_reply_in_place_echo_reply_type_drops),
		cmocka_unit_test(test_icmp_echo_reply_in_place_code_nonzero_drops),
		cmocka_unit_test(test_icmp_echo_reply_in_place_more_fragments_drops),
		cmocka_unit_test(test_icmp_echo_reply_in_place_fragment_offset_drops),
		cmocka_unit_test(test_icmp_echo_reply_in_place_short_message_drops),
		cmocka_unit_test(test_icmp_echo_reply_in_place_not_icmp_drops),
		cmocka_unit_test(test_icmp_answer_echo_to_us_request_replied),
		cmocka_unit_test(test_icmp_answer_echo_to_us_not_icmp_unsupported),
		cmocka_unit_test(test_icmp_answer_echo_to_us_bad_header_checksum_drops),
		cmocka_unit_test(test_icmp_build_error_admin_prohibited_bytes),
		cmocka_unit_test(test_icmp_build_error_header_fields),
		cmocka_unit_test(test_icmp_build_error_frag_needed_mtu_in_octets_7_8),
		cmocka_unit_test(test_icmp_build_error_mtu_ignored_for_other_codes),
		cmocka_unit_test(test_icmp_build_error_long_original_quotes_header_and_8),
		cmocka_unit_test(test_icmp_build_error_short_original_quotes_all),
		cmocka_unit_test(test_icmp_build_error_header_only_original_quotes_header),
		cmocka_unit_test(test_icmp_build_error_padding_not_quoted),
		cmocka_unit_test(test_icmp_build_error_options_quoted),
		cmocka_unit_test(test_icmp_build_error_echo_request_original_built),
		cmocka_unit_test(test_icmp_build_error_cap_exact_built_one_less_refused),
		cmocka_unit_test(test_icmp_build_error_in_place_same_bytes),
		cmocka_unit_test(test_icmp_build_error_not_ipv4_refused),
		cmocka_unit_test(test_icmp_build_error_about_icmp_error_refused),
		cmocka_unit_test(test_icmp_build_error_about_icmp_queries_built),
		cmocka_unit_test(test_icmp_build_error_empty_icmp_refused),
		cmocka_unit_test(test_icmp_build_error_non_first_fragment_refused),
		cmocka_unit_test(test_icmp_build_error_broadcast_multicast_destination_refused),
		cmocka_unit_test(test_icmp_build_error_source_not_single_host_refused),
		cmocka_unit_test(test_ipv4_write_header_bytes),
		cmocka_unit_test(test_ipv4_set_length_and_id_same_as_writing_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
