/*
 * Unit tests for src/proto/pcapng.c, the pcapng block builder.
 *
 * The blocks below, written one after another to a file (Section Header
 * with "vpgd", Interface "devices", raw IP, snaplen 9216, then the two
 * packets of test_pcapng_packet_*), were read by tshark 4.0.17: pcapng,
 * encapsulation Raw IP, capture application vpgd; packet 1 an ICMP echo
 * request 10.10.0.2 -> 10.10.0.1 at 1700000000.123456 with the comment
 * "imsi:999010000000001 uplink" and frame.packet_flags_direction 1, packet
 * 2 cut to 20 of its 28 octets, direction 2, no comment. The vectors are
 * in the little-endian order of the machines vpgd runs on; the Section
 * Header's byte-order magic tells a reader which order a file has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/pcapng.h"

static const uint8_t shb[] = {
	0x0a, 0x0d, 0x0d, 0x0a, 0x28, 0x00, 0x00, 0x00, /* type, total length 40 */
	0x4d, 0x3c, 0x2b, 0x1a, 0x01, 0x00, 0x00, 0x00, /* byte-order magic, version 1.0 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* section length: unspecified */
	0x04, 0x00, 0x04, 0x00, 'v', 'p', 'g', 'd',	/* shb_userappl "vpgd" */
	0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, /* opt_endofopt, total length */
};

static const uint8_t idb[] = {
	0x01,
	0x00,
	0x00,
	0x00,
	0x24,
	0x00,
	0x00,
	0x00, /* type 1, total length 36 */
	0x65,
	0x00,
	0x00,
	0x00,
	0x00,
	0x24,
	0x00,
	0x00, /* LINKTYPE_RAW, reserved, snaplen 9216 */
	0x02,
	0x00,
	0x07,
	0x00,
	'd',
	'e',
	'v',
	'i', /* if_name "devices" */
	'c',
	'e',
	's',
	0x00,
	0x00,
	0x00,
	0x00,
	0x00, /* padding, opt_endofopt */
	0x24,
	0x00,
	0x00,
	0x00,
};

/* An ICMP echo request, 10.10.0.2 -> 10.10.0.1. */
static const uint8_t icmp[28] = { 0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x01, 0x00,
	0x00, 0x0a, 0x0a, 0x00, 0x02, 0x0a, 0x0a, 0x00, 0x01, 0x08, 0x00, 0xf7, 0xfe, 0x00, 0x01,
	0x00, 0x00 };

#define TS_US 1700000000123456ull

static void
test_pcapng_section_header_exact_bytes(void **state)
{
	uint8_t buf[64];

	(void)state;
	assert_int_equal(pcapng_section_header(buf, sizeof(buf), "vpgd"), sizeof(shb));
	assert_memory_equal(buf, shb, sizeof(shb));
}

static void
test_pcapng_section_header_no_app_no_options(void **state)
{
	uint8_t buf[64];

	(void)state;
	assert_int_equal(pcapng_section_header(buf, sizeof(buf), NULL), 28);
	assert_int_equal(buf[4], 28);
	assert_int_equal(buf[24], 28);
}

static void
test_pcapng_interface_exact_bytes(void **state)
{
	uint8_t buf[64];

	(void)state;
	assert_int_equal(
	    pcapng_interface(buf, sizeof(buf), PCAPNG_LINKTYPE_RAW, 9216, "devices"), sizeof(idb));
	assert_memory_equal(buf, idb, sizeof(idb));
}

static void
test_pcapng_packet_comment_and_flags_exact_bytes(void **state)
{
	static const uint8_t head[] = {
		0x06, 0x00, 0x00, 0x00, 0x68, 0x00, 0x00, 0x00, /* type 6, total length 104 */
		0x00, 0x00, 0x00, 0x00, 0x24, 0x0a, 0x06, 0x00, /* interface 0, time high */
		0x40, 0x22, 0x20, 0x18, 0x1c, 0x00, 0x00, 0x00, /* time low, caplen 28 */
		0x1c, 0x00, 0x00, 0x00,				/* origlen 28 */
	};
	static const uint8_t opts[] = { 0x01, 0x00, 0x1b, 0x00, 'i', 'm', 's', 'i', ':', '9', '9',
		'9', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '1', ' ', 'u', 'p', 'l',
		'i', 'n', 'k', 0x00, 0x02, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x68, 0x00, 0x00, 0x00 };
	struct pcapng_packet p = { TS_US, icmp, 28, 28, PCAPNG_FLAG_INBOUND,
		"imsi:999010000000001 uplink" };
	uint8_t buf[256];

	(void)state;
	assert_int_equal(pcapng_packet_len(28, strlen(p.comment), p.flags), 0x68);
	assert_int_equal(pcapng_packet(buf, sizeof(buf), &p), 0x68);
	assert_memory_equal(buf, head, sizeof(head));
	assert_memory_equal(buf + sizeof(head), icmp, sizeof(icmp));
	assert_memory_equal(buf + sizeof(head) + sizeof(icmp), opts, sizeof(opts));
}

/* 20 octets kept of 28: padded to 24, origlen still 28, flags alone. */
static void
test_pcapng_packet_cut_padded_flags_only(void **state)
{
	struct pcapng_packet p = { TS_US, icmp, 20, 28, PCAPNG_FLAG_OUTBOUND, NULL };
	uint8_t buf[128];
	uint32_t v;

	(void)state;
	assert_int_equal(pcapng_packet(buf, sizeof(buf), &p), 64);
	memcpy(&v, buf + 20, 4);
	assert_int_equal(v, 20);
	memcpy(&v, buf + 24, 4);
	assert_int_equal(v, 28);
	assert_memory_equal(buf + 28, icmp, 20);
	assert_memory_equal(buf + 48, "\x02\x00\x04\x00\x02\x00\x00\x00\x00\x00\x00\x00", 12);
	memcpy(&v, buf + 60, 4);
	assert_int_equal(v, 64);
}

static void
test_pcapng_packet_no_options_no_end_of_options(void **state)
{
	struct pcapng_packet p = { TS_US, icmp, 28, 28, 0, "" };
	uint8_t buf[128];

	(void)state;
	assert_int_equal(pcapng_packet(buf, sizeof(buf), &p), 32 + 28);
	assert_int_equal(buf[4], 60);
	assert_int_equal(buf[56], 60);
}

static void
test_pcapng_packet_too_small_cap_writes_nothing(void **state)
{
	struct pcapng_packet p = { TS_US, icmp, 28, 28, PCAPNG_FLAG_INBOUND, "imsi:1" };
	uint8_t buf[128];

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(pcapng_packet(buf, pcapng_packet_len(28, 6, 1) - 1, &p), 0);
	assert_int_equal(buf[0], 0xaa);
	assert_int_equal(pcapng_section_header(buf, 39, "vpgd"), 0);
	assert_int_equal(pcapng_interface(buf, 35, PCAPNG_LINKTYPE_RAW, 9216, "devices"), 0);
	assert_int_equal(buf[0], 0xaa);
}

static void
test_pcapng_packet_caplen_over_origlen_refused(void **state)
{
	struct pcapng_packet p = { TS_US, icmp, 28, 20, 0, NULL };
	uint8_t buf[128];

	(void)state;
	assert_int_equal(pcapng_packet(buf, sizeof(buf), &p), 0);
}

/* A comment is cut at PCAPNG_COMMENT_MAX octets, never read past. */
static void
test_pcapng_packet_long_comment_cut(void **state)
{
	char comment[PCAPNG_COMMENT_MAX + 40];
	struct pcapng_packet p = { TS_US, icmp, 28, 28, 0, comment };
	uint8_t buf[512];

	(void)state;
	memset(comment, 'c', sizeof(comment) - 1);
	comment[sizeof(comment) - 1] = '\0';
	assert_int_equal(pcapng_packet(buf, sizeof(buf), &p), 32 + 28 + 4 + PCAPNG_COMMENT_MAX + 4);
	assert_int_equal(buf[56], 1); /* opt_comment */
	assert_int_equal(buf[58], PCAPNG_COMMENT_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcapng_section_header_exact_bytes),
		cmocka_unit_test(test_pcapng_section_header_no_app_no_options),
		cmocka_unit_test(test_pcapng_interface_exact_bytes),
		cmocka_unit_test(test_pcapng_packet_comment_and_flags_exact_bytes),
		cmocka_unit_test(test_pcapng_packet_cut_padded_flags_only),
		cmocka_unit_test(test_pcapng_packet_no_options_no_end_of_options),
		cmocka_unit_test(test_pcapng_packet_too_small_cap_writes_nothing),
		cmocka_unit_test(test_pcapng_packet_caplen_over_origlen_refused),
		cmocka_unit_test(test_pcapng_packet_long_comment_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
