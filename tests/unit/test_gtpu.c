/*
 * Unit tests for src/proto/gtpu.c, the GTPv1-U codec (TS 29.281).
 *
 * Hand-written vectors are headers in front of the T-PDU captured from
 * sgsnemu (capture_sgsnemu.h). Each valid one was written to a pcap as
 * UDP/2152 (python3-scapy) and decoded by tshark 4.0.17 (`tshark -V`) with
 * no "Malformed" and no expert info, with the flags, lengths, extension
 * headers and IEs named in the vector's comment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "proto/gtpu.h"
#include "capture_sgsnemu.h"

#define TPDU (sgsnemu_gpdu_echo_req + SGSNEMU_TPDU_OFF)

/* Copies hdr then the captured T-PDU into out; returns the total length. */
static size_t
mk_gpdu(uint8_t *out, const uint8_t *hdr, size_t hdr_len)
{
	memcpy(out, hdr, hdr_len);
	memcpy(out + hdr_len, TPDU, SGSNEMU_TPDU_LEN);
	return hdr_len + SGSNEMU_TPDU_LEN;
}

static void
test_gtpu_parse_sgsnemu_gpdu_accepts(void **state)
{
	struct gtpu_view v;

	(void)state;
	assert_int_equal(
	    gtpu_parse(sgsnemu_gpdu_echo_req, sizeof(sgsnemu_gpdu_echo_req), &v), VPG_DROP_NONE);
	assert_int_equal(v.flags, 0x32);
	assert_int_equal(v.type, GTPU_GPDU);
	assert_int_equal(v.length, 88);
	assert_int_equal(v.teid, 1);
	assert_true(v.has_seq);
	assert_int_equal(v.seq, 0);
	assert_int_equal(v.n_ext, 0);
	assert_int_equal(v.hdr_len, 12);
	assert_ptr_equal(v.payload, sgsnemu_gpdu_echo_req + 12);
	assert_int_equal(v.payload_len, SGSNEMU_TPDU_LEN);
}

/* tshark: T-PDU, flags 0x30, length 84, TEID 0x00000001. */
static void
test_gtpu_parse_no_optional_fields_accepts(void **state)
{
	static const uint8_t hdr[] = { 0x30, 0xff, 0x00, 0x54, 0x00, 0x00, 0x00, 0x01 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.flags, 0x30);
	assert_int_equal(v.type, GTPU_GPDU);
	assert_int_equal(v.length, 84);
	assert_int_equal(v.teid, 1);
	assert_false(v.has_seq);
	assert_int_equal(v.n_ext, 0);
	assert_int_equal(v.hdr_len, GTPU_HDR_LEN);
	assert_ptr_equal(v.payload, buf + 8);
	assert_int_equal(v.payload_len, 84);
}

static void
test_gtpu_parse_seven_octets_drops_too_short(void **state)
{
	static const uint8_t buf[] = { 0x30, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_TOO_SHORT);
	assert_null(v.payload);
	assert_int_equal(v.payload_len, 0);
}

static void
test_gtpu_parse_empty_drops_too_short(void **state)
{
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse((const uint8_t *)"", 0, &v), VPG_DROP_GTPU_TOO_SHORT);
	assert_null(v.payload);
}

static void
test_gtpu_parse_version_2_drops_bad_version(void **state)
{
	static const uint8_t buf[] = { 0x50, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_VERSION);
	assert_int_equal(v.flags, 0x50);
	assert_null(v.payload);
}

static void
test_gtpu_parse_version_0_drops_bad_version(void **state)
{
	static const uint8_t buf[] = { 0x10, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_VERSION);
	assert_null(v.payload);
}

/* PT 0 is GTP' (TS 32.295), which shares the version-1 header. */
static void
test_gtpu_parse_pt_zero_drops_bad_version(void **state)
{
	static const uint8_t buf[] = { 0x20, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_VERSION);
	assert_null(v.payload);
}

static void
test_gtpu_parse_length_past_datagram_drops_bad_length(void **state)
{
	uint8_t buf[128];
	struct gtpu_view v;

	(void)state;
	memcpy(buf, sgsnemu_gpdu_echo_req, sizeof(sgsnemu_gpdu_echo_req));
	/* One octet short of what the length field (88) announces. */
	assert_int_equal(
	    gtpu_parse(buf, sizeof(sgsnemu_gpdu_echo_req) - 1, &v), VPG_DROP_GTPU_BAD_LENGTH);
	assert_int_equal(v.length, 88);
	assert_null(v.payload);
}

/* tshark: T-PDU, length 84, then 6 octets of trailer after the IPv4 packet. */
static void
test_gtpu_parse_padding_after_length_ignored(void **state)
{
	static const uint8_t hdr[] = { 0x30, 0xff, 0x00, 0x54, 0x00, 0x00, 0x00, 0x01 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	memset(buf + len, 0, 6);
	assert_int_equal(gtpu_parse(buf, len + 6, &v), VPG_DROP_NONE);
	assert_int_equal(v.length, 84);
	assert_ptr_equal(v.payload, buf + 8);
	assert_int_equal(v.payload_len, 84);
}

/* The optional fields must fit in the length field, not just the datagram. */
static void
test_gtpu_parse_optional_fields_past_length_drops_bad_length(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x42,
		0x00, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_LENGTH);
	assert_int_equal(v.length, 3);
	assert_false(v.has_seq);
	assert_null(v.payload);
}

/* tshark: flags 0x32, sequence number 0x1234, length 88. */
static void
test_gtpu_parse_s_only_sets_seq(void **state)
{
	static const uint8_t hdr[] = { 0x32, 0xff, 0x00, 0x58, 0x00, 0x00, 0x00, 0x01, 0x12, 0x34,
		0x00, 0x00 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_true(v.has_seq);
	assert_int_equal(v.seq, 0x1234);
	assert_int_equal(v.n_ext, 0);
	assert_int_equal(v.hdr_len, 12);
	assert_ptr_equal(v.payload, buf + 12);
	assert_int_equal(v.payload_len, 84);
}

/* tshark: flags 0x31, N-PDU number 7, length 88. */
static void
test_gtpu_parse_pn_only_skips_optional_fields(void **state)
{
	static const uint8_t hdr[] = { 0x31, 0xff, 0x00, 0x58, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x07, 0x00 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_false(v.has_seq);
	assert_int_equal(v.n_ext, 0);
	assert_int_equal(v.hdr_len, 12);
	assert_ptr_equal(v.payload, buf + 12);
	assert_int_equal(v.payload_len, 84);
}

/* TS 29.281 §5.1: with E clear the next-type octet is not interpreted. */
static void
test_gtpu_parse_e_clear_ignores_next_type(void **state)
{
	static const uint8_t hdr[] = { 0x32, 0xff, 0x00, 0x58, 0x00, 0x00, 0x00, 0x01, 0x00, 0x05,
		0x00, 0xc1 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.seq, 5);
	assert_int_equal(v.n_ext, 0);
	assert_int_equal(v.hdr_len, 12);
	assert_int_equal(v.payload_len, 84);
}

/* tshark: flags 0x34, PDCP PDU number (0xc0) 4660, then no more headers. */
static void
test_gtpu_parse_e_only_walks_one_ext(void **state)
{
	static const uint8_t hdr[] = { 0x34, 0xff, 0x00, 0x5c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc0, 0x01, 0x12, 0x34, 0x00 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_false(v.has_seq);
	assert_int_equal(v.n_ext, 1);
	assert_int_equal(v.hdr_len, 16);
	assert_ptr_equal(v.payload, buf + 16);
	assert_int_equal(v.payload_len, 84);
}

/*
 * tshark: PDU Session container (UL, QFI 9) -> Service Class Indicator ->
 * PDCP PDU number 4660 -> no more extension headers.
 */
static void
test_gtpu_parse_three_ext_hdrs_accepts(void **state)
{
	static const uint8_t hdr[] = { 0x34, 0xff, 0x00, 0x64, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x85, 0x01, 0x10, 0x09, 0x20, 0x01, 0x05, 0x00, 0xc0, 0x01, 0x12, 0x34,
		0x00 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.n_ext, 3);
	assert_int_equal(v.hdr_len, 24);
	assert_ptr_equal(v.payload, buf + 24);
	assert_int_equal(v.payload_len, 84);
}

/* A two-unit (8-octet) header: the next type is its 8th octet. */
static void
test_gtpu_parse_ext_len_two_units_accepts(void **state)
{
	static const uint8_t hdr[] = { 0x34, 0xff, 0x00, 0x60, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x85, 0x02, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.n_ext, 1);
	assert_int_equal(v.hdr_len, 20);
	assert_int_equal(v.payload_len, 84);
}

/* TS 29.281 §5.2.1: a zero length would never advance the walk. */
static void
test_gtpu_parse_ext_len_zero_drops_bad_ext_chain(void **state)
{
	static const uint8_t buf[] = { 0x34, 0xff, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc0, 0x00, 0x12, 0x34, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_EXT_CHAIN);
	assert_int_equal(v.n_ext, 0);
	assert_null(v.payload);
}

/* Length 255 (1020 octets) in a datagram that is not that long. */
static void
test_gtpu_parse_ext_len_past_length_drops_bad_ext_chain(void **state)
{
	static const uint8_t buf[] = { 0x34, 0xff, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc0, 0xff, 0x12, 0x34, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_EXT_CHAIN);
	assert_int_equal(v.n_ext, 0);
	assert_null(v.payload);
}

/* The header fits the datagram but not the length field: padding is not ours. */
static void
test_gtpu_parse_ext_in_padding_drops_bad_ext_chain(void **state)
{
	static const uint8_t buf[] = { 0x34, 0xff, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc0, 0x01, 0x12, 0x34, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_EXT_CHAIN);
	assert_null(v.payload);
}

/* E set but the chain's first header is missing altogether. */
static void
test_gtpu_parse_ext_missing_drops_bad_ext_chain(void **state)
{
	static const uint8_t buf[] = { 0x34, 0xff, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc0 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_BAD_EXT_CHAIN);
	assert_null(v.payload);
}

/* Builds E + n PDCP PDU number headers; the last one's next type is last. */
static size_t
mk_ext_chain(uint8_t *buf, unsigned n, uint8_t last)
{
	static const uint8_t hdr[] = { 0x34, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc0 };
	size_t len = sizeof(hdr);
	unsigned i;

	memcpy(buf, hdr, len);
	for (i = 0; i < n; i++) {
		buf[len++] = 0x01;
		buf[len++] = 0x00;
		buf[len++] = (uint8_t)i;
		buf[len++] = i + 1 == n ? last : 0xc0;
	}
	buf[2] = (uint8_t)((len - 8) >> 8);
	buf[3] = (uint8_t)(len - 8);
	return len;
}

static void
test_gtpu_parse_ext_chain_at_max_accepts(void **state)
{
	uint8_t buf[128];
	size_t len = mk_ext_chain(buf, GTPU_MAX_EXT_HDRS, 0x00);
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.n_ext, GTPU_MAX_EXT_HDRS);
	assert_int_equal(v.hdr_len, 12 + 4 * GTPU_MAX_EXT_HDRS);
	assert_int_equal(v.payload_len, 0);
}

/* The 16th header still names a next one: the chain is too long. */
static void
test_gtpu_parse_ext_chain_unterminated_at_max_drops_bad_ext_chain(void **state)
{
	uint8_t buf[128];
	size_t len = mk_ext_chain(buf, GTPU_MAX_EXT_HDRS, 0xc0);
	struct gtpu_view v;

	(void)state;
	/* A 17th header is even present: only the cap stops the walk. */
	buf[len++] = 0x01;
	buf[len++] = 0x00;
	buf[len++] = 0x00;
	buf[len++] = 0x00;
	buf[3] = (uint8_t)(len - 8);
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_GTPU_BAD_EXT_CHAIN);
	assert_int_equal(v.n_ext, GTPU_MAX_EXT_HDRS);
	assert_null(v.payload);
}

/* 0xc1 has bit 8 set (comprehension required) and is not a GTP-U header. */
static void
test_gtpu_parse_unknown_required_ext_drops_unsupported(void **state)
{
	static const uint8_t buf[] = { 0x34, 0xff, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc1, 0x01, 0x00, 0x00, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_EXT_UNSUPPORTED);
	assert_int_equal(v.n_ext, 0);
	assert_null(v.payload);
}

/* An unknown required type later in the chain, after a known one. */
static void
test_gtpu_parse_unknown_required_second_ext_drops_unsupported(void **state)
{
	static const uint8_t buf[] = { 0x34, 0xff, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0xc0, 0x01, 0x00, 0x00, 0x86, 0x01, 0x00, 0x00, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_EXT_UNSUPPORTED);
	assert_int_equal(v.n_ext, 1);
	assert_null(v.payload);
}

/*
 * tshark: extension header type 0x42 (unknown), length 2, next type 0.
 * Bit 8 clear: comprehension not required, skipped by its length.
 */
static void
test_gtpu_parse_unknown_not_required_ext_skipped(void **state)
{
	static const uint8_t hdr[] = { 0x34, 0xff, 0x00, 0x60, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x42, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 };
	uint8_t buf[128];
	size_t len = mk_gpdu(buf, hdr, sizeof(hdr));
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.n_ext, 1);
	assert_int_equal(v.hdr_len, 20);
	assert_ptr_equal(v.payload, buf + 20);
	assert_int_equal(v.payload_len, 84);
}

/* Create PDP Context Request (16) is GTP-C, not GTP-U (TS 29.281 §6.1). */
static void
test_gtpu_parse_gtpc_type_drops_unknown_type(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x10, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_GTPU_UNKNOWN_TYPE);
	assert_int_equal(v.type, 16);
	assert_null(v.payload);
}

static void
test_gtpu_parse_every_gtpu_type_accepts(void **state)
{
	static const uint8_t types[] = { 1, 2, 26, 31, 254, 255 };
	uint8_t buf[] = { 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct gtpu_view v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types); i++) {
		buf[1] = types[i];
		assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
		assert_int_equal(v.type, types[i]);
		assert_int_equal(v.payload_len, 0);
	}
}

/* tshark: Echo request, S set, sequence number 0x0042, no IEs. */
static void
test_gtpu_parse_echo_req_accepts(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x42,
		0x00, 0x00 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.type, GTPU_ECHO_REQ);
	assert_int_equal(v.teid, 0);
	assert_true(v.has_seq);
	assert_int_equal(v.seq, 0x42);
	assert_int_equal(v.hdr_len, 12);
	assert_int_equal(v.payload_len, 0);
}

/* tshark: End marker, flags 0x30, length 0, TEID 1. */
static void
test_gtpu_parse_end_marker_accepts(void **state)
{
	static const uint8_t buf[] = { 0x30, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.type, GTPU_END_MARKER);
	assert_int_equal(v.teid, 1);
	assert_int_equal(v.hdr_len, 8);
	assert_ptr_equal(v.payload, buf + 8);
	assert_int_equal(v.payload_len, 0);
}

static void
test_gtpu_push_gpdu_writes_header(void **state)
{
	uint8_t buf[GTPU_HDR_LEN + SGSNEMU_TPDU_LEN];
	static const uint8_t want[] = { 0x30, 0xff, 0x00, 0x54, 0xde, 0xad, 0xbe, 0xef };
	uint8_t *hdr;

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	memcpy(buf + GTPU_HDR_LEN, TPDU, SGSNEMU_TPDU_LEN);
	hdr = gtpu_push_gpdu(buf + GTPU_HDR_LEN, SGSNEMU_TPDU_LEN, 0xdeadbeef);
	assert_ptr_equal(hdr, buf);
	assert_memory_equal(buf, want, sizeof(want));
	assert_memory_equal(buf + GTPU_HDR_LEN, TPDU, SGSNEMU_TPDU_LEN);
}

static void
test_gtpu_push_gpdu_round_trip_parses(void **state)
{
	uint8_t buf[GTPU_HDR_LEN + SGSNEMU_TPDU_LEN];
	struct gtpu_view v;
	uint8_t *hdr;

	(void)state;
	memcpy(buf + GTPU_HDR_LEN, TPDU, SGSNEMU_TPDU_LEN);
	hdr = gtpu_push_gpdu(buf + GTPU_HDR_LEN, SGSNEMU_TPDU_LEN, 0x01020304);
	assert_int_equal(gtpu_parse(hdr, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(v.type, GTPU_GPDU);
	assert_int_equal(v.teid, 0x01020304);
	assert_false(v.has_seq);
	assert_int_equal(v.hdr_len, GTPU_HDR_LEN);
	assert_ptr_equal(v.payload, buf + GTPU_HDR_LEN);
	assert_int_equal(v.payload_len, SGSNEMU_TPDU_LEN);
}

static void
test_gtpu_push_gpdu_empty_payload_length_zero(void **state)
{
	uint8_t buf[GTPU_HDR_LEN];
	static const uint8_t want[] = { 0x30, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07 };

	(void)state;
	assert_ptr_equal(gtpu_push_gpdu(buf + GTPU_HDR_LEN, 0, 7), buf);
	assert_memory_equal(buf, want, sizeof(want));
}

/* tshark: Echo response, S set, sequence 0x0042, Recovery: Restart counter 0. */
static void
test_gtpu_build_echo_rsp_writes_every_octet(void **state)
{
	static const uint8_t want[] = { 0x32, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x42,
		0x00, 0x00, 0x0e, 0x00 };
	uint8_t out[64];

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(gtpu_build_echo_rsp(out, sizeof(out), 0x0042), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[sizeof(want)], 0xaa);
}

static void
test_gtpu_build_echo_rsp_parses_back(void **state)
{
	uint8_t out[64];
	size_t len;
	struct gtpu_view v;

	(void)state;
	len = gtpu_build_echo_rsp(out, sizeof(out), 0xfffe);
	assert_int_equal(gtpu_parse(out, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.type, GTPU_ECHO_RSP);
	assert_int_equal(v.teid, 0);
	assert_true(v.has_seq);
	assert_int_equal(v.seq, 0xfffe);
	assert_int_equal(v.payload_len, 2);
}

static void
test_gtpu_build_echo_rsp_cap_too_small_returns_zero(void **state)
{
	uint8_t out[13];

	(void)state;
	assert_int_equal(gtpu_build_echo_rsp(out, sizeof(out), 1), 0);
	assert_int_equal(gtpu_build_echo_rsp(NULL, 0, 1), 0);
}

/*
 * tshark: Error indication, S set, TEID 0, sequence 0, TEID Data I
 * 0x12345678, GSN address (GTP-U Peer Address, 133) length 4, 192.0.2.2.
 */
static void
test_gtpu_build_error_indication_writes_every_octet(void **state)
{
	static const uint8_t want[] = { 0x32, 0x1a, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x10, 0x12, 0x34, 0x56, 0x78, 0x85, 0x00, 0x04, 0xc0, 0x00, 0x02,
		0x02 };
	static const uint8_t addr[4] = { 192, 0, 2, 2 };
	uint32_t addr_be;
	uint8_t out[64];

	(void)state;
	memcpy(&addr_be, addr, 4);
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(
	    gtpu_build_error_indication(out, sizeof(out), 0x12345678, addr_be), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[sizeof(want)], 0xaa);
}

static void
test_gtpu_build_error_indication_cap_too_small_returns_zero(void **state)
{
	uint8_t out[23];

	(void)state;
	assert_int_equal(gtpu_build_error_indication(out, sizeof(out), 1, 0), 0);
}

static void
test_gtpu_error_indication_teid_built_message_reads_teid(void **state)
{
	uint8_t out[64];
	size_t len;
	struct gtpu_view v;
	uint32_t teid = 0;

	(void)state;
	len = gtpu_build_error_indication(out, sizeof(out), 0xcafef00d, 0x0100000a);
	assert_int_equal(gtpu_parse(out, len, &v), VPG_DROP_NONE);
	assert_int_equal(v.type, GTPU_ERROR_INDICATION);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), 0);
	assert_int_equal(teid, 0xcafef00d);
}

/* IEs in any order: a Recovery (TV, 1 octet) and a Private Extension first. */
static void
test_gtpu_error_indication_teid_after_other_ies_reads_teid(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x0e, 0x05, 0xff, 0x00, 0x03, 0x00, 0x01, 0x02, 0x10, 0x00, 0x00, 0x00,
		0x2a, 0x85, 0x00, 0x00 };
	struct gtpu_view v;
	uint32_t teid = 0;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), 0);
	assert_int_equal(teid, 42);
}

/* TS 29.281 §8.5: Extension Header Type List has a one-octet length. */
static void
test_gtpu_error_indication_teid_after_ext_hdr_type_list_reads_teid(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x8d, 0x02, 0xc0, 0x85, 0x10, 0x00, 0x00, 0x00, 0x07 };
	struct gtpu_view v;
	uint32_t teid = 0;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), 0);
	assert_int_equal(teid, 7);
}

/* A TLV type whose 2-octet length field is cut short. */
static void
test_gtpu_error_indication_teid_tlv_length_truncated_fails(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x85, 0x00 };
	struct gtpu_view v;
	uint32_t teid = 0x55;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), -1);
	assert_int_equal(teid, 0x55);
}

/* The list's one-octet length runs past the message. */
static void
test_gtpu_error_indication_teid_ext_hdr_type_list_overrun_fails(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x8d, 0x09, 0x10, 0x00, 0x00, 0x00, 0x07 };
	struct gtpu_view v;
	uint32_t teid = 0x55;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), -1);
	assert_int_equal(teid, 0x55);
}

static void
test_gtpu_error_indication_teid_absent_fails(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x85, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x02 };
	struct gtpu_view v;
	uint32_t teid = 0x55;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), -1);
	assert_int_equal(teid, 0x55);
}

static void
test_gtpu_error_indication_teid_truncated_fails(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x10, 0x00, 0x01 };
	struct gtpu_view v;
	uint32_t teid = 0x55;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), -1);
	assert_int_equal(teid, 0x55);
}

/* A TV type we do not know has no length to step over (TS 29.281 §8.1). */
static void
test_gtpu_error_indication_teid_unknown_tv_ie_fails(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x07, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01 };
	struct gtpu_view v;
	uint32_t teid = 0x55;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), -1);
	assert_int_equal(teid, 0x55);
}

/* A TLV whose length runs past the message hides whatever follows. */
static void
test_gtpu_error_indication_teid_tlv_overrun_fails(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x1a, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x85, 0x00, 0x40, 0x10, 0x00, 0x00, 0x01 };
	struct gtpu_view v;
	uint32_t teid = 0x55;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), -1);
	assert_int_equal(teid, 0x55);
}

static void
test_gtpu_error_indication_teid_not_error_indication_fails(void **state)
{
	static const uint8_t buf[] = { 0x32, 0x02, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01 };
	struct gtpu_view v;
	uint32_t teid = 0x55;

	(void)state;
	assert_int_equal(gtpu_parse(buf, sizeof(buf), &v), VPG_DROP_NONE);
	assert_int_equal(gtpu_error_indication_teid(&v, &teid), -1);
	assert_int_equal(teid, 0x55);
}

/*
 * A 5G uplink G-PDU: E set, then a PDU Session Container (UL PDU Session
 * Information, PDU type 1, QFI 9) and a 20-octet IPv4 header. tshark 4.0
 * decodes it as "PDU Session Container, PDU Type: UL PDU SESSION
 * INFORMATION, QoS Flow Identifier (QFI): 9".
 */
static const uint8_t gpdu_5g_ul[] = { 0x34, 0xff, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00,
	0x00, 0x85, 0x01, 0x10, 0x09, 0x00, 0x45, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x40,
	0x11, 0x00, 0x00, 0x0a, 0x2d, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x0a };

static void
test_gtpu_parse_pdu_session_container_gives_qfi(void **state)
{
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(gpdu_5g_ul, sizeof(gpdu_5g_ul), &v), VPG_DROP_NONE);
	assert_true(v.has_qfi);
	assert_int_equal(v.qfi, 9);
	assert_int_equal(v.teid, 42);
	assert_int_equal(v.payload_len, 20);
	assert_int_equal(v.payload[0], 0x45);
}

static void
test_gtpu_parse_no_container_no_qfi(void **state)
{
	static const uint8_t plain[] = { 0x30, 0xff, 0x00, 0x01, 0x00, 0x00, 0x00, 0x2a, 0x45 };
	struct gtpu_view v;

	(void)state;
	assert_int_equal(gtpu_parse(plain, sizeof(plain), &v), VPG_DROP_NONE);
	assert_false(v.has_qfi);
}

static void
test_gtpu_push_gpdu_qfi_parses_back(void **state)
{
	uint8_t buf[64] = { 0 };
	uint8_t *payload = buf + 32, *hdr;
	struct gtpu_view v;

	(void)state;
	memset(payload, 0x45, 20);
	hdr = gtpu_push_gpdu_qfi(payload, 20, 0x01020304, 5);
	assert_ptr_equal(hdr, payload - GTPU_HDR_QFI_LEN);
	assert_int_equal(gtpu_parse(hdr, 20 + GTPU_HDR_QFI_LEN, &v), VPG_DROP_NONE);
	assert_int_equal(v.teid, 0x01020304);
	assert_true(v.has_qfi);
	assert_int_equal(v.qfi, 5);
	assert_int_equal(v.n_ext, 1);
	assert_ptr_equal(v.payload, payload);
	assert_int_equal(v.payload_len, 20);
	/* DL PDU Session Information: PDU type 0. */
	assert_int_equal(hdr[13], 0x00);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtpu_parse_sgsnemu_gpdu_accepts),
		cmocka_unit_test(test_gtpu_parse_no_optional_fields_accepts),
		cmocka_unit_test(test_gtpu_parse_seven_octets_drops_too_short),
		cmocka_unit_test(test_gtpu_parse_empty_drops_too_short),
		cmocka_unit_test(test_gtpu_parse_version_2_drops_bad_version),
		cmocka_unit_test(test_gtpu_parse_version_0_drops_bad_version),
		cmocka_unit_test(test_gtpu_parse_pt_zero_drops_bad_version),
		cmocka_unit_test(test_gtpu_parse_length_past_datagram_drops_bad_length),
		cmocka_unit_test(test_gtpu_parse_padding_after_length_ignored),
		cmocka_unit_test(test_gtpu_parse_optional_fields_past_length_drops_bad_length),
		cmocka_unit_test(test_gtpu_parse_s_only_sets_seq),
		cmocka_unit_test(test_gtpu_parse_pn_only_skips_optional_fields),
		cmocka_unit_test(test_gtpu_parse_e_clear_ignores_next_type),
		cmocka_unit_test(test_gtpu_parse_e_only_walks_one_ext),
		cmocka_unit_test(test_gtpu_parse_three_ext_hdrs_accepts),
		cmocka_unit_test(test_gtpu_parse_ext_len_two_units_accepts),
		cmocka_unit_test(test_gtpu_parse_ext_len_zero_drops_bad_ext_chain),
		cmocka_unit_test(test_gtpu_parse_ext_len_past_length_drops_bad_ext_chain),
		cmocka_unit_test(test_gtpu_parse_ext_in_padding_drops_bad_ext_chain),
		cmocka_unit_test(test_gtpu_parse_ext_missing_drops_bad_ext_chain),
		cmocka_unit_test(test_gtpu_parse_ext_chain_at_max_accepts),
		cmocka_unit_test(test_gtpu_parse_ext_chain_unterminated_at_max_drops_bad_ext_chain),
		cmocka_unit_test(test_gtpu_parse_unknown_required_ext_drops_unsupported),
		cmocka_unit_test(test_gtpu_parse_unknown_required_second_ext_drops_unsupported),
		cmocka_unit_test(test_gtpu_parse_unknown_not_required_ext_skipped),
		cmocka_unit_test(test_gtpu_parse_gtpc_type_drops_unknown_type),
		cmocka_unit_test(test_gtpu_parse_every_gtpu_type_accepts),
		cmocka_unit_test(test_gtpu_parse_echo_req_accepts),
		cmocka_unit_test(test_gtpu_parse_end_marker_accepts),
		cmocka_unit_test(test_gtpu_push_gpdu_writes_header),
		cmocka_unit_test(test_gtpu_push_gpdu_round_trip_parses),
		cmocka_unit_test(test_gtpu_push_gpdu_empty_payload_length_zero),
		cmocka_unit_test(test_gtpu_build_echo_rsp_writes_every_octet),
		cmocka_unit_test(test_gtpu_build_echo_rsp_parses_back),
		cmocka_unit_test(test_gtpu_build_echo_rsp_cap_too_small_returns_zero),
		cmocka_unit_test(test_gtpu_build_error_indication_writes_every_octet),
		cmocka_unit_test(test_gtpu_build_error_indication_cap_too_small_returns_zero),
		cmocka_unit_test(test_gtpu_error_indication_teid_built_message_reads_teid),
		cmocka_unit_test(test_gtpu_error_indication_teid_after_other_ies_reads_teid),
		cmocka_unit_test(
		    test_gtpu_error_indication_teid_after_ext_hdr_type_list_reads_teid),
		cmocka_unit_test(test_gtpu_error_indication_teid_absent_fails),
		cmocka_unit_test(test_gtpu_error_indication_teid_truncated_fails),
		cmocka_unit_test(test_gtpu_error_indication_teid_unknown_tv_ie_fails),
		cmocka_unit_test(test_gtpu_error_indication_teid_tlv_overrun_fails),
		cmocka_unit_test(test_gtpu_error_indication_teid_tlv_length_truncated_fails),
		cmocka_unit_test(test_gtpu_error_indication_teid_ext_hdr_type_list_overrun_fails),
		cmocka_unit_test(test_gtpu_error_indication_teid_not_error_indication_fails),
		cmocka_unit_test(test_gtpu_parse_pdu_session_container_gives_qfi),
		cmocka_unit_test(test_gtpu_parse_no_container_no_qfi),
		cmocka_unit_test(test_gtpu_push_gpdu_qfi_parses_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
