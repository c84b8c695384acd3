/*
 * Unit tests for the GTPv1-C codec (src/proto/gtpc.c).
 *
 * Byte vectors: the Create PDP Context Request and the Echo Request are
 * captured from sgsnemu (osmo-ggsn 1.9) run as
 *   sgsnemu -l 127.0.0.2 -r 127.0.0.1 --imsi 999010000000001
 *       --msisdn 123456789 --apn internet --timelimit 3
 * The other vectors are written by hand; every one of them was put in a pcap
 * (text2pcap -u 2123,2123) and decoded by tshark 4.0 with the fields quoted
 * in its comment and no expert warnings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/gtpc.h"

#define IP4(a, b, c, d) htonl_(((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

static uint32_t
htonl_(uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	uint32_t r;

	memcpy(&r, b, 4);
	return r;
}

/*
 * sgsnemu's Create PDP Context Request. tshark: TEID 0, seq 0x0401, IMSI
 * 999010000000001, Recovery 1, Selection mode 1, TEID Data I 1, TEID C 1,
 * NSAPI 0, Charging characteristics 0x0800, EUA IETF/IPv4 (dynamic), APN
 * internet, PCO (PAP), GSN address 127.0.0.2 twice, MSISDN 123456789, QoS.
 */
static const uint8_t create_pdp_req_sgsnemu[] = { 0x32, 0x10, 0x00, 0x67, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x01, 0x00, 0x00, 0x02, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x0e, 0x01,
	0x0f, 0x01, 0x10, 0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x00, 0x01, 0x14, 0x00, 0x1a,
	0x08, 0x00, 0x80, 0x00, 0x02, 0xf1, 0x21, 0x83, 0x00, 0x09, 0x08, 0x69, 0x6e, 0x74, 0x65,
	0x72, 0x6e, 0x65, 0x74, 0x84, 0x00, 0x15, 0x80, 0xc0, 0x23, 0x11, 0x01, 0x01, 0x00, 0x11,
	0x03, 0x6d, 0x69, 0x67, 0x08, 0x68, 0x65, 0x6d, 0x6d, 0x65, 0x6c, 0x69, 0x67, 0x85, 0x00,
	0x04, 0x7f, 0x00, 0x00, 0x02, 0x85, 0x00, 0x04, 0x7f, 0x00, 0x00, 0x02, 0x86, 0x00, 0x06,
	0x91, 0x21, 0x43, 0x65, 0x87, 0xf9, 0x87, 0x00, 0x04, 0x00, 0x0b, 0x92, 0x1f };

/* sgsnemu's Echo Request. tshark: flags 0x32, length 4, seq 0x0400. */
static const uint8_t echo_req_sgsnemu[] = { 0x32, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x00, 0x00 };

/* tshark: Echo response, seq 0x0400, Recovery 7. */
static const uint8_t echo_rsp[] = { 0x32, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x0e, 0x07 };

/*
 * tshark: Create PDP context response, TEID 1, seq 0x0401, Cause 128,
 * Reordering required False, Recovery 7, TEID Data I 0xa01, TEID C 0xa02,
 * Charging ID 42, EUA IETF/IPv4 10.10.0.50, GSN address 192.0.2.2 twice, QoS.
 */
static const uint8_t create_pdp_rsp[] = { 0x32, 0x11, 0x00, 0x37, 0x00, 0x00, 0x00, 0x01, 0x04,
	0x01, 0x00, 0x00, 0x01, 0x80, 0x08, 0xfe, 0x0e, 0x07, 0x10, 0x00, 0x00, 0x0a, 0x01, 0x11,
	0x00, 0x00, 0x0a, 0x02, 0x7f, 0x00, 0x00, 0x00, 0x2a, 0x80, 0x00, 0x06, 0xf1, 0x21, 0x0a,
	0x0a, 0x00, 0x32, 0x85, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x02, 0x85, 0x00, 0x04, 0xc0, 0x00,
	0x02, 0x02, 0x87, 0x00, 0x04, 0x00, 0x0b, 0x92, 0x1f };

/*
 * tshark: Update PDP context request, TEID 0xa02, seq 0x0402, RAI 999/01
 * LAC 65534 RAC 255, Recovery 1, TEID Data I 2, TEID C 2, NSAPI 5, GSN
 * address 127.0.0.3 then 127.0.0.4, QoS.
 */
static const uint8_t update_pdp_req[] = { 0x32, 0x12, 0x00, 0x2e, 0x00, 0x00, 0x0a, 0x02, 0x04,
	0x02, 0x00, 0x00, 0x03, 0x99, 0xf9, 0x10, 0xff, 0xfe, 0xff, 0x0e, 0x01, 0x10, 0x00, 0x00,
	0x00, 0x02, 0x11, 0x00, 0x00, 0x00, 0x02, 0x14, 0x05, 0x85, 0x00, 0x04, 0x7f, 0x00, 0x00,
	0x03, 0x85, 0x00, 0x04, 0x7f, 0x00, 0x00, 0x04, 0x87, 0x00, 0x04, 0x00, 0x0b, 0x92, 0x1f };

/*
 * tshark: Update PDP context response, TEID 2, seq 0x0402, Cause 128,
 * Recovery 7, TEID Data I 0xa01, TEID C 0xa02, Charging ID 42, GSN address
 * 192.0.2.2 twice, QoS.
 */
static const uint8_t update_pdp_rsp[] = { 0x32, 0x13, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x02, 0x04,
	0x02, 0x00, 0x00, 0x01, 0x80, 0x0e, 0x07, 0x10, 0x00, 0x00, 0x0a, 0x01, 0x11, 0x00, 0x00,
	0x0a, 0x02, 0x7f, 0x00, 0x00, 0x00, 0x2a, 0x85, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x02, 0x85,
	0x00, 0x04, 0xc0, 0x00, 0x02, 0x02, 0x87, 0x00, 0x04, 0x00, 0x0b, 0x92, 0x1f };

/* tshark: Delete PDP context request, TEID 0xa02, seq 0x0403, Teardown True, NSAPI 5. */
static const uint8_t delete_pdp_req[] = { 0x32, 0x14, 0x00, 0x08, 0x00, 0x00, 0x0a, 0x02, 0x04,
	0x03, 0x00, 0x00, 0x13, 0xff, 0x14, 0x05 };

/* tshark: Delete PDP context response, TEID 2, seq 0x0403, Cause 128. */
static const uint8_t delete_pdp_rsp[] = { 0x32, 0x15, 0x00, 0x06, 0x00, 0x00, 0x00, 0x02, 0x04,
	0x03, 0x00, 0x00, 0x01, 0x80 };

/*
 * tshark: Echo request, flags 0x36 (E, S), seq 0x0400, extension headers
 * MBMS support indication (length 1) then PDCP PDU number 5 (length 1), then
 * no more; no IE.
 */
static const uint8_t echo_req_ext[] = { 0x36, 0x01, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
	0x00, 0x01, 0x01, 0xff, 0xff, 0xc0, 0x01, 0x00, 0x05, 0x00 };

/* tshark: GTPv2 Echo Request, flags 0x40, length 9, seq 42, Recovery 5. */
static const uint8_t v2_echo_req[] = { 0x40, 0x01, 0x00, 0x09, 0x00, 0x00, 0x2a, 0x00, 0x03, 0x00,
	0x01, 0x00, 0x05 };

/* tshark: GTP (version 0) Echo request, flags 0x1e, seq 7, TID 0. */
static const uint8_t v0_echo_req[] = { 0x1e, 0x01, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0xff,
	0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };

static struct gtpc_msg msg;

static struct gtpc_ie
mk_ie(const uint8_t *val, uint16_t len)
{
	struct gtpc_ie ie = { .val = val, .len = len, .present = true };

	return ie;
}

/* Copies a vector into buf, so tests can mutate it. */
static size_t
copy_vec(uint8_t *buf, const uint8_t *vec, size_t len)
{
	memcpy(buf, vec, len);
	return len;
}

/* An Echo Request header (S set) followed by the given IE octets. */
static size_t
echo_with_ies(uint8_t *buf, const uint8_t *ies, size_t n)
{
	memcpy(buf, echo_req_sgsnemu, sizeof(echo_req_sgsnemu));
	memcpy(buf + sizeof(echo_req_sgsnemu), ies, n);
	buf[2] = (uint8_t)((4 + n) >> 8);
	buf[3] = (uint8_t)(4 + n);
	return sizeof(echo_req_sgsnemu) + n;
}

/* ---- gtpc_parse: whole messages ---------------------------------------- */

static void
test_gtpc_parse_sgsnemu_create_pdp_req_decodes(void **state)
{
	char imsi[16], msisdn[24], apn[64];
	uint32_t teid, addr;
	uint8_t u8;
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_parse(create_pdp_req_sgsnemu, sizeof(create_pdp_req_sgsnemu), &msg),
	    VPG_DROP_NONE);
	assert_int_equal(msg.version, 1);
	assert_int_equal(msg.type, GTPC_CREATE_PDP_REQ);
	assert_int_equal(msg.length, 103);
	assert_int_equal(msg.teid, 0);
	assert_true(msg.has_seq);
	assert_int_equal(msg.seq, 0x0401);
	assert_int_equal(gtpc_ie_imsi(&msg.ie[GTPC_IE_IMSI], imsi), 0);
	assert_string_equal(imsi, "999010000000001");
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_RECOVERY], &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_SELECTION_MODE], &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(gtpc_ie_u32(&msg.ie[GTPC_IE_TEID_DATA_I], &teid), 0);
	assert_int_equal(teid, 1);
	assert_int_equal(gtpc_ie_u32(&msg.ie[GTPC_IE_TEID_CONTROL], &teid), 0);
	assert_int_equal(teid, 1);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_NSAPI], &u8), 0);
	assert_int_equal(u8, 0);
	assert_int_equal(msg.ie[GTPC_IE_CHARGING_CHARACTERISTICS].len, 2);
	assert_int_equal(gtpc_ie_eua(&msg.ie[GTPC_IE_END_USER_ADDRESS], &eua), 0);
	assert_true(eua.ipv4);
	assert_false(eua.has_address);
	assert_int_equal(gtpc_ie_apn(&msg.ie[GTPC_IE_APN], apn, sizeof(apn)), 0);
	assert_string_equal(apn, "internet");
	assert_int_equal(msg.ie[GTPC_IE_PCO].len, 21);
	assert_int_equal(gtpc_ie_ipv4(&msg.ie[GTPC_IE_GSN_ADDRESS], &addr), 0);
	assert_int_equal(addr, IP4(127, 0, 0, 2));
	assert_int_equal(gtpc_ie_ipv4(&msg.gsn_addr2, &addr), 0);
	assert_int_equal(addr, IP4(127, 0, 0, 2));
	assert_int_equal(gtpc_ie_msisdn(&msg.ie[GTPC_IE_MSISDN], msisdn), 0);
	assert_string_equal(msisdn, "123456789");
	assert_int_equal(msg.ie[GTPC_IE_QOS_PROFILE].len, 4);
	assert_ptr_equal(msg.ie[GTPC_IE_QOS_PROFILE].val, &create_pdp_req_sgsnemu[107]);
}

static void
test_gtpc_parse_sgsnemu_echo_req_decodes(void **state)
{
	(void)state;
	assert_int_equal(
	    gtpc_parse(echo_req_sgsnemu, sizeof(echo_req_sgsnemu), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.version, 1);
	assert_int_equal(msg.type, GTPC_ECHO_REQ);
	assert_int_equal(msg.length, 4);
	assert_int_equal(msg.teid, 0);
	assert_true(msg.has_seq);
	assert_int_equal(msg.seq, 0x0400);
	assert_int_equal(msg.npdu, 0);
	assert_false(msg.ie[GTPC_IE_RECOVERY].present);
}

static void
test_gtpc_parse_update_pdp_req_decodes(void **state)
{
	uint32_t teid, addr;
	uint8_t nsapi;

	(void)state;
	assert_int_equal(gtpc_parse(update_pdp_req, sizeof(update_pdp_req), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_UPDATE_PDP_REQ);
	assert_int_equal(msg.teid, 0xa02);
	assert_int_equal(msg.seq, 0x0402);
	assert_int_equal(msg.ie[GTPC_IE_RAI].len, 6);
	assert_int_equal(gtpc_ie_u32(&msg.ie[GTPC_IE_TEID_DATA_I], &teid), 0);
	assert_int_equal(teid, 2);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_NSAPI], &nsapi), 0);
	assert_int_equal(nsapi, 5);
	assert_int_equal(gtpc_ie_ipv4(&msg.ie[GTPC_IE_GSN_ADDRESS], &addr), 0);
	assert_int_equal(addr, IP4(127, 0, 0, 3));
	assert_int_equal(gtpc_ie_ipv4(&msg.gsn_addr2, &addr), 0);
	assert_int_equal(addr, IP4(127, 0, 0, 4));
	assert_true(msg.ie[GTPC_IE_QOS_PROFILE].present);
}

static void
test_gtpc_parse_delete_pdp_req_decodes(void **state)
{
	uint8_t v;

	(void)state;
	assert_int_equal(gtpc_parse(delete_pdp_req, sizeof(delete_pdp_req), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_DELETE_PDP_REQ);
	assert_int_equal(msg.teid, 0xa02);
	assert_int_equal(msg.seq, 0x0403);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_TEARDOWN_IND], &v), 0);
	assert_int_equal(v, 0xff);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_NSAPI], &v), 0);
	assert_int_equal(v, 5);
}

static void
test_gtpc_parse_no_optional_fields_has_no_seq(void **state)
{
	static const uint8_t b[] = { 0x30, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07 };

	(void)state;
	assert_int_equal(gtpc_parse(b, sizeof(b), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_ECHO_REQ);
	assert_int_equal(msg.teid, 7);
	assert_false(msg.has_seq);
	assert_int_equal(msg.seq, 0);
}

static void
test_gtpc_parse_pn_only_reads_npdu_not_seq(void **state)
{
	static const uint8_t b[] = { 0x31, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34,
		0x56, 0x00 };

	(void)state;
	assert_int_equal(gtpc_parse(b, sizeof(b), &msg), VPG_DROP_NONE);
	assert_false(msg.has_seq);
	assert_int_equal(msg.seq, 0);
	assert_int_equal(msg.npdu, 0x56);
}

static void
test_gtpc_parse_trailing_padding_ignored(void **state)
{
	uint8_t buf[64];
	size_t n = copy_vec(buf, delete_pdp_req, sizeof(delete_pdp_req));

	(void)state;
	/* An unknown TV type (0) after the length field's end must not be read. */
	memset(buf + n, 0, 8);
	assert_int_equal(gtpc_parse(buf, n + 8, &msg), VPG_DROP_NONE);
	assert_int_equal(msg.length, 8);
	assert_true(msg.ie[GTPC_IE_NSAPI].present);
	assert_false(msg.ie[0].present);
}

static void
test_gtpc_parse_version_not_supported_accepted(void **state)
{
	static const uint8_t b[] = { 0x32, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
		0x00, 0x00 };

	(void)state;
	assert_int_equal(gtpc_parse(b, sizeof(b), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_VERSION_NOT_SUPPORTED);
	assert_int_equal(msg.seq, 9);
}

/* ---- gtpc_parse: drop reasons ------------------------------------------ */

static void
test_gtpc_parse_empty_datagram_drops_too_short(void **state)
{
	(void)state;
	assert_int_equal(gtpc_parse(echo_req_sgsnemu, 0, &msg), VPG_DROP_GTPC_TOO_SHORT);
	assert_int_equal(msg.type, 0);
}

static void
test_gtpc_parse_truncated_header_drops_too_short(void **state)
{
	(void)state;
	assert_int_equal(gtpc_parse(echo_req_sgsnemu, 7, &msg), VPG_DROP_GTPC_TOO_SHORT);
	assert_int_equal(msg.version, 0);
	assert_false(msg.has_seq);
}

static void
test_gtpc_parse_every_length_below_eight_drops_too_short(void **state)
{
	size_t n;

	(void)state;
	for (n = 0; n < 8; n++) {
		assert_int_equal(gtpc_parse(v2_echo_req, n, &msg), VPG_DROP_GTPC_TOO_SHORT);
		assert_false(msg.has_seq);
		assert_int_equal(msg.teid, 0);
	}
}

static void
test_gtpc_parse_optional_octets_truncated_drops_too_short(void **state)
{
	uint8_t buf[16];

	(void)state;
	copy_vec(buf, echo_req_sgsnemu, sizeof(echo_req_sgsnemu));
	buf[3] = 2;
	assert_int_equal(gtpc_parse(buf, 10, &msg), VPG_DROP_GTPC_TOO_SHORT);
	assert_false(msg.has_seq);
}

static void
test_gtpc_parse_length_beyond_datagram_drops_bad_length(void **state)
{
	(void)state;
	assert_int_equal(
	    gtpc_parse(delete_pdp_req, sizeof(delete_pdp_req) - 1, &msg), VPG_DROP_GTPC_BAD_LENGTH);
	assert_int_equal(msg.type, GTPC_DELETE_PDP_REQ);
	assert_int_equal(msg.length, 8);
}

static void
test_gtpc_parse_length_below_optional_drops_bad_length(void **state)
{
	uint8_t buf[16];
	size_t n = copy_vec(buf, delete_pdp_req, sizeof(delete_pdp_req));

	(void)state;
	buf[3] = 3; /* S set, but the length does not cover seq, N-PDU, next type */
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_GTPC_BAD_LENGTH);
	assert_false(msg.has_seq);
}

static void
test_gtpc_parse_gtpv2_drops_bad_version(void **state)
{
	(void)state;
	assert_int_equal(
	    gtpc_parse(v2_echo_req, sizeof(v2_echo_req), &msg), VPG_DROP_GTPC_BAD_VERSION);
	assert_int_equal(msg.version, 2);
	assert_int_equal(msg.type, 1);
	assert_int_equal(msg.length, 9);
	assert_false(msg.has_seq);
	assert_int_equal(msg.teid, 0);
}

static void
test_gtpc_parse_gtpv2_with_teid_drops_bad_version_with_teid(void **state)
{
	static const uint8_t b[] = { 0x48, 0x20, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00,
		0x2a, 0x00 };

	(void)state;
	assert_int_equal(gtpc_parse(b, sizeof(b), &msg), VPG_DROP_GTPC_BAD_VERSION);
	assert_int_equal(msg.version, 2);
	assert_int_equal(msg.type, 0x20);
	assert_int_equal(msg.teid, 0x11223344);
	assert_false(msg.has_seq);
}

static void
test_gtpc_parse_gtpv0_drops_bad_version_with_seq(void **state)
{
	(void)state;
	assert_int_equal(
	    gtpc_parse(v0_echo_req, sizeof(v0_echo_req), &msg), VPG_DROP_GTPC_BAD_VERSION);
	assert_int_equal(msg.version, 0);
	assert_int_equal(msg.type, GTPC_ECHO_REQ);
	assert_true(msg.has_seq);
	assert_int_equal(msg.seq, 7);
}

static void
test_gtpc_parse_gtp_prime_drops_bad_version(void **state)
{
	uint8_t buf[16];
	size_t n = copy_vec(buf, echo_req_sgsnemu, sizeof(echo_req_sgsnemu));

	(void)state;
	buf[0] = 0x22; /* version 1, PT 0: GTP' */
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_GTPC_BAD_VERSION);
	assert_int_equal(msg.version, 1);
	assert_int_equal(msg.type, GTPC_ECHO_REQ);
	assert_false(msg.has_seq);
}

static void
test_gtpc_parse_unknown_type_drops_unknown_type(void **state)
{
	uint8_t buf[16];
	size_t n = copy_vec(buf, echo_req_sgsnemu, sizeof(echo_req_sgsnemu));

	(void)state;
	buf[1] = 52; /* Initiate PDP Context Activation Request: not served */
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_GTPC_UNKNOWN_TYPE);
	assert_int_equal(msg.type, 52);
	assert_int_equal(msg.seq, 0x0400);
}

static void
test_gtpc_parse_unknown_tv_ie_drops_bad_ie(void **state)
{
	static const uint8_t ies[] = { 0x0e, 0x01, 0x1e, 0x00 }; /* type 30: spare */
	uint8_t buf[32];

	(void)state;
	assert_int_equal(
	    gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg), VPG_DROP_GTPC_BAD_IE);
	assert_true(msg.ie[GTPC_IE_RECOVERY].present);
	assert_false(msg.ie[30].present);
}

static void
test_gtpc_parse_tv_ie_truncated_drops_bad_ie(void **state)
{
	static const uint8_t ies[] = { 0x10, 0x00, 0x00, 0x01 }; /* TEID Data I needs 4 */
	uint8_t buf[32];

	(void)state;
	assert_int_equal(
	    gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg), VPG_DROP_GTPC_BAD_IE);
	assert_false(msg.ie[GTPC_IE_TEID_DATA_I].present);
}

static void
test_gtpc_parse_oversized_tlv_length_drops_bad_ie(void **state)
{
	static const uint8_t ies[] = { 0x83, 0xff, 0xff, 0x08, 'i', 'n' };
	uint8_t buf[32];

	(void)state;
	assert_int_equal(
	    gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg), VPG_DROP_GTPC_BAD_IE);
	assert_false(msg.ie[GTPC_IE_APN].present);
}

static void
test_gtpc_parse_tlv_length_truncated_drops_bad_ie(void **state)
{
	static const uint8_t ies[] = { 0x0e, 0x01, 0x85, 0x00 };
	uint8_t buf[32];

	(void)state;
	assert_int_equal(
	    gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg), VPG_DROP_GTPC_BAD_IE);
	assert_false(msg.ie[GTPC_IE_GSN_ADDRESS].present);
}

/* ---- gtpc_parse: information elements ---------------------------------- */

static void
test_gtpc_parse_unknown_tlv_ie_skipped(void **state)
{
	/* Type 238 is reserved in TS 29.060; the Recovery after it must be read. */
	static const uint8_t ies[] = { 0xee, 0x00, 0x03, 0x01, 0x02, 0x03, 0x0e, 0x09 };
	uint8_t buf[32];
	uint8_t v;

	(void)state;
	assert_int_equal(
	    gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg), VPG_DROP_NONE);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_RECOVERY], &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(msg.ie[0xee].len, 3);
}

static void
test_gtpc_parse_duplicate_ie_first_wins(void **state)
{
	static const uint8_t ies[] = { 0x0e, 0x01, 0x0e, 0x02, 0x83, 0x00, 0x02, 0x01, 'a', 0x83,
		0x00, 0x02, 0x01, 'b' };
	uint8_t buf[32];
	char apn[8];
	uint8_t v;

	(void)state;
	assert_int_equal(
	    gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg), VPG_DROP_NONE);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_RECOVERY], &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(gtpc_ie_apn(&msg.ie[GTPC_IE_APN], apn, sizeof(apn)), 0);
	assert_string_equal(apn, "a");
}

static void
test_gtpc_parse_second_gsn_address_kept(void **state)
{
	uint32_t a1, a2;

	(void)state;
	assert_int_equal(gtpc_parse(update_pdp_req, sizeof(update_pdp_req), &msg), VPG_DROP_NONE);
	assert_true(msg.gsn_addr2.present);
	assert_int_equal(gtpc_ie_ipv4(&msg.ie[GTPC_IE_GSN_ADDRESS], &a1), 0);
	assert_int_equal(gtpc_ie_ipv4(&msg.gsn_addr2, &a2), 0);
	assert_int_equal(a1, IP4(127, 0, 0, 3));
	assert_int_equal(a2, IP4(127, 0, 0, 4));
}

static void
test_gtpc_parse_third_gsn_address_ignored(void **state)
{
	static const uint8_t ies[] = { 0x85, 0x00, 0x04, 1, 1, 1, 1, 0x85, 0x00, 0x04, 2, 2, 2, 2,
		0x85, 0x00, 0x04, 3, 3, 3, 3 };
	uint8_t buf[48];
	uint32_t a;

	(void)state;
	assert_int_equal(
	    gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg), VPG_DROP_NONE);
	assert_int_equal(gtpc_ie_ipv4(&msg.ie[GTPC_IE_GSN_ADDRESS], &a), 0);
	assert_int_equal(a, IP4(1, 1, 1, 1));
	assert_int_equal(gtpc_ie_ipv4(&msg.gsn_addr2, &a), 0);
	assert_int_equal(a, IP4(2, 2, 2, 2));
}

/* TS 29.060 §7.7, Table 37, restated: every TV type and its value length. */
static const struct {
	uint8_t type, len;
} tv_types[] = {
	{ 1, 1 },
	{ 2, 8 },
	{ 3, 6 },
	{ 4, 4 },
	{ 5, 4 },
	{ 8, 1 },
	{ 9, 28 },
	{ 11, 1 },
	{ 12, 3 },
	{ 13, 1 },
	{ 14, 1 },
	{ 15, 1 },
	{ 16, 4 },
	{ 17, 4 },
	{ 18, 5 },
	{ 19, 1 },
	{ 20, 1 },
	{ 21, 1 },
	{ 22, 9 },
	{ 23, 1 },
	{ 24, 1 },
	{ 25, 2 },
	{ 26, 2 },
	{ 27, 2 },
	{ 28, 2 },
	{ 29, 1 },
	{ 127, 4 },
};

static void
test_gtpc_parse_every_tv_type_has_spec_length(void **state)
{
	uint8_t ies[40], buf[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(tv_types) / sizeof(tv_types[0]); i++) {
		memset(ies, 0xab, sizeof(ies));
		ies[0] = tv_types[i].type;
		ies[1 + tv_types[i].len] = GTPC_IE_RECOVERY; /* must land on a type octet */
		n = echo_with_ies(buf, ies, 1 + tv_types[i].len + 2);
		assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_NONE);
		assert_int_equal(msg.ie[tv_types[i].type].len, tv_types[i].len);
		assert_true(msg.ie[GTPC_IE_RECOVERY].present);
	}
}

static void
test_gtpc_parse_undefined_tv_types_drop_bad_ie(void **state)
{
	static const uint8_t undefined[] = { 0, 6, 7, 10, 30, 100, 116, 117, 126 };
	uint8_t ies[8] = { 0 }, buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(undefined); i++) {
		ies[0] = undefined[i];
		assert_int_equal(gtpc_parse(buf, echo_with_ies(buf, ies, sizeof(ies)), &msg),
		    VPG_DROP_GTPC_BAD_IE);
	}
}

/* ---- gtpc_parse: extension header chain -------------------------------- */

static void
test_gtpc_parse_ext_chain_valid_accepted(void **state)
{
	uint8_t buf[32];
	size_t n = copy_vec(buf, echo_req_ext, sizeof(echo_req_ext));
	uint8_t v;

	(void)state;
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_NONE);
	assert_int_equal(msg.seq, 0x0400);
	assert_false(msg.ie[GTPC_IE_RECOVERY].present);
	/* An IE after the chain is read from the right place. */
	buf[n] = GTPC_IE_RECOVERY;
	buf[n + 1] = 4;
	buf[3] += 2;
	assert_int_equal(gtpc_parse(buf, n + 2, &msg), VPG_DROP_NONE);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_RECOVERY], &v), 0);
	assert_int_equal(v, 4);
}

static void
test_gtpc_parse_ext_len_zero_drops_bad_length(void **state)
{
	uint8_t buf[32];
	size_t n = copy_vec(buf, echo_req_ext, sizeof(echo_req_ext));

	(void)state;
	buf[12] = 0;
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_GTPC_BAD_LENGTH);
	assert_int_equal(msg.seq, 0x0400);
}

static void
test_gtpc_parse_ext_chain_unterminated_drops_bad_length(void **state)
{
	uint8_t buf[32];
	size_t n = copy_vec(buf, echo_req_ext, sizeof(echo_req_ext));

	(void)state;
	buf[19] = 0xc0; /* the last header names another one that is not there */
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_GTPC_BAD_LENGTH);
}

static void
test_gtpc_parse_ext_len_past_message_drops_bad_length(void **state)
{
	uint8_t buf[32];
	size_t n = copy_vec(buf, echo_req_ext, sizeof(echo_req_ext));

	(void)state;
	buf[16] = 255; /* second header claims 1020 octets */
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_GTPC_BAD_LENGTH);
}

static void
test_gtpc_parse_ext_chain_too_long_drops_bad_length(void **state)
{
	uint8_t buf[128];
	size_t i;

	(void)state;
	copy_vec(buf, echo_req_sgsnemu, sizeof(echo_req_sgsnemu));
	buf[0] = 0x36;
	buf[11] = 0xc0;
	for (i = 0; i < 17; i++) {
		buf[12 + 4 * i] = 1;
		buf[13 + 4 * i] = 0;
		buf[14 + 4 * i] = 0;
		buf[15 + 4 * i] = i == 16 ? 0 : 0xc0;
	}
	buf[2] = 0;
	buf[3] = 4 + 17 * 4;
	assert_int_equal(gtpc_parse(buf, 12 + 17 * 4, &msg), VPG_DROP_GTPC_BAD_LENGTH);
	/* Sixteen headers are still fine. */
	buf[15 + 4 * 15] = 0;
	buf[3] = 4 + 16 * 4;
	assert_int_equal(gtpc_parse(buf, 12 + 16 * 4, &msg), VPG_DROP_NONE);
}

static void
test_gtpc_parse_e_flag_clear_ignores_next_type(void **state)
{
	uint8_t buf[16];
	size_t n = copy_vec(buf, echo_req_sgsnemu, sizeof(echo_req_sgsnemu));

	(void)state;
	buf[11] = 0xc0; /* meaningless without E */
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_NONE);
	assert_int_equal(msg.seq, 0x0400);
}

/* ---- IE decoders ------------------------------------------------------- */

static void
test_gtpc_ie_imsi_fifteen_digits_decodes(void **state)
{
	static const uint8_t v[] = { 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[16];

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), 0);
	assert_string_equal(out, "999010000000001");
}

static void
test_gtpc_ie_imsi_fourteen_digits_decodes(void **state)
{
	static const uint8_t v[] = { 0x21, 0x43, 0x65, 0x87, 0x09, 0x21, 0x43, 0xff };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[16];

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), 0);
	assert_string_equal(out, "12345678901234");
}

static void
test_gtpc_ie_imsi_bad_nibble_fails(void **state)
{
	static const uint8_t v[] = { 0x99, 0x09, 0x0a, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[16];

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_imsi_filler_before_digit_fails(void **state)
{
	static const uint8_t v[] = { 0x99, 0xf9, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[16];

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_imsi_sixteen_digits_fails(void **state)
{
	static const uint8_t v[] = { 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0x11 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[16];

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_imsi_all_filler_fails(void **state)
{
	static const uint8_t v[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[16];

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_imsi_wrong_length_fails(void **state)
{
	static const uint8_t v[] = { 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0xf1 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[16];

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_imsi_absent_fails(void **state)
{
	struct gtpc_ie ie = { 0 };
	char out[16] = "x";

	(void)state;
	assert_int_equal(gtpc_ie_imsi(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_msisdn_international_decodes(void **state)
{
	static const uint8_t v[] = { 0x91, 0x21, 0x43, 0x65, 0x87, 0xf9 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[24];

	(void)state;
	assert_int_equal(gtpc_ie_msisdn(&ie, out), 0);
	assert_string_equal(out, "123456789");
}

static void
test_gtpc_ie_msisdn_even_digits_decodes(void **state)
{
	static const uint8_t v[] = { 0x91, 0x18, 0x10, 0x32 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[24];

	(void)state;
	assert_int_equal(gtpc_ie_msisdn(&ie, out), 0);
	assert_string_equal(out, "810123");
}

static void
test_gtpc_ie_msisdn_nature_only_fails(void **state)
{
	static const uint8_t v[] = { 0x91 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[24];

	(void)state;
	assert_int_equal(gtpc_ie_msisdn(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_msisdn_empty_fails(void **state)
{
	static const uint8_t v[] = { 0 };
	struct gtpc_ie ie = mk_ie(v, 0);
	char out[24];

	(void)state;
	assert_int_equal(gtpc_ie_msisdn(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_msisdn_bad_nibble_fails(void **state)
{
	static const uint8_t v[] = { 0x91, 0x21, 0xb3 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[24];

	(void)state;
	assert_int_equal(gtpc_ie_msisdn(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_msisdn_too_many_digits_fails(void **state)
{
	uint8_t v[13];
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[24];

	(void)state;
	memset(v, 0x11, sizeof(v)); /* 24 digits after the nature octet */
	v[0] = 0x91;
	assert_int_equal(gtpc_ie_msisdn(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_msisdn_absent_fails(void **state)
{
	struct gtpc_ie ie = { 0 };
	char out[24] = "x";

	(void)state;
	assert_int_equal(gtpc_ie_msisdn(&ie, out), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_apn_single_label_decodes(void **state)
{
	static const uint8_t v[] = { 8, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[64];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), 0);
	assert_string_equal(out, "internet");
}

static void
test_gtpc_ie_apn_several_labels_decode_dotted(void **state)
{
	static const uint8_t v[] = { 3, 'i', 'o', 't', 6, 'm', 'n', 'c', '0', '0', '1', 4, 'g', 'p',
		'r', 's' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[64];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), 0);
	assert_string_equal(out, "iot.mnc001.gprs");
}

static void
test_gtpc_ie_apn_exact_fit_decodes(void **state)
{
	static const uint8_t v[] = { 1, 'a', 2, 'b', '-' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[5];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), 0);
	assert_string_equal(out, "a.b-");
}

static void
test_gtpc_ie_apn_label_overrun_fails(void **state)
{
	static const uint8_t v[] = { 8, 'i', 'n', 't', 'e', 'r' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[64];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_apn_empty_fails(void **state)
{
	static const uint8_t v[] = { 0 };
	struct gtpc_ie ie = mk_ie(v, 0);
	char out[64];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_apn_empty_label_fails(void **state)
{
	static const uint8_t v[] = { 1, 'a', 0, 1, 'b' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[64];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_apn_too_long_for_cap_fails(void **state)
{
	static const uint8_t v[] = { 1, 'a', 2, 'b', '-' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[4];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_apn_no_room_for_dot_fails(void **state)
{
	static const uint8_t v[] = { 1, 'a', 1, 'b' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[2];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_apn_bad_character_fails(void **state)
{
	static const uint8_t v[] = { 3, 'a', '.', 'b' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[64];

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_gtpc_ie_apn_zero_cap_fails(void **state)
{
	static const uint8_t v[] = { 1, 'a' };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	char out[1] = { 'x' };

	(void)state;
	assert_int_equal(gtpc_ie_apn(&ie, out, 0), -1);
	assert_int_equal(out[0], 'x');
}

static void
test_gtpc_ie_u8_one_octet_decodes(void **state)
{
	static const uint8_t v[] = { 0x80 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	uint8_t out = 0;

	(void)state;
	assert_int_equal(gtpc_ie_u8(&ie, &out), 0);
	assert_int_equal(out, 0x80);
}

static void
test_gtpc_ie_u8_wrong_length_fails(void **state)
{
	static const uint8_t v[] = { 0x80, 0x01 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	uint8_t out = 0x55;

	(void)state;
	assert_int_equal(gtpc_ie_u8(&ie, &out), -1);
	assert_int_equal(out, 0x55);
}

static void
test_gtpc_ie_u8_absent_fails(void **state)
{
	struct gtpc_ie ie = { 0 };
	uint8_t out = 0x55;

	(void)state;
	assert_int_equal(gtpc_ie_u8(&ie, &out), -1);
	assert_int_equal(out, 0x55);
}

static void
test_gtpc_ie_u32_four_octets_decodes(void **state)
{
	static const uint8_t v[] = { 0xde, 0xad, 0xbe, 0xef };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	uint32_t out = 0;

	(void)state;
	assert_int_equal(gtpc_ie_u32(&ie, &out), 0);
	assert_int_equal(out, 0xdeadbeef);
}

static void
test_gtpc_ie_u32_wrong_length_fails(void **state)
{
	static const uint8_t v[] = { 0xde, 0xad, 0xbe, 0xef, 0x00 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	uint32_t out = 7;

	(void)state;
	assert_int_equal(gtpc_ie_u32(&ie, &out), -1);
	assert_int_equal(out, 7);
}

static void
test_gtpc_ie_ipv4_four_octets_decodes(void **state)
{
	static const uint8_t v[] = { 192, 0, 2, 1 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	uint32_t out = 0;

	(void)state;
	assert_int_equal(gtpc_ie_ipv4(&ie, &out), 0);
	assert_int_equal(out, IP4(192, 0, 2, 1));
}

static void
test_gtpc_ie_ipv4_ipv6_address_fails(void **state)
{
	static const uint8_t v[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	uint32_t out = 7;

	(void)state;
	assert_int_equal(gtpc_ie_ipv4(&ie, &out), -1);
	assert_int_equal(out, 7);
}

static void
test_gtpc_ie_ipv4_absent_fails(void **state)
{
	struct gtpc_ie ie = { 0 };
	uint32_t out = 7;

	(void)state;
	assert_int_equal(gtpc_ie_ipv4(&ie, &out), -1);
	assert_int_equal(out, 7);
}

static void
test_gtpc_ie_eua_ipv4_dynamic_decodes(void **state)
{
	static const uint8_t v[] = { 0xf1, 0x21 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), 0);
	assert_true(eua.ipv4);
	assert_false(eua.has_address);
	assert_int_equal(eua.addr_be, 0);
}

static void
test_gtpc_ie_eua_ipv4_static_decodes(void **state)
{
	static const uint8_t v[] = { 0xf1, 0x21, 10, 10, 0, 50 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), 0);
	assert_true(eua.ipv4);
	assert_true(eua.has_address);
	assert_int_equal(eua.addr_be, IP4(10, 10, 0, 50));
}

static void
test_gtpc_ie_eua_ipv4_zero_address_is_dynamic(void **state)
{
	static const uint8_t v[] = { 0xf1, 0x21, 0, 0, 0, 0 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), 0);
	assert_true(eua.ipv4);
	assert_false(eua.has_address);
}

static void
test_gtpc_ie_eua_spare_bits_not_evaluated(void **state)
{
	static const uint8_t v[] = { 0x01, 0x21 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), 0);
	assert_true(eua.ipv4);
}

static void
test_gtpc_ie_eua_ipv6_not_ipv4(void **state)
{
	static const uint8_t v[] = { 0xf1, 0x57 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), 0);
	assert_false(eua.ipv4);
	assert_false(eua.has_address);
}

static void
test_gtpc_ie_eua_ipv4v6_not_ipv4(void **state)
{
	static const uint8_t v[] = { 0xf1, 0x8d };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), 0);
	assert_false(eua.ipv4);
}

static void
test_gtpc_ie_eua_ppp_not_ipv4(void **state)
{
	static const uint8_t v[] = { 0xf0, 0x01 }; /* ETSI organisation, PPP */
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), 0);
	assert_false(eua.ipv4);
}

static void
test_gtpc_ie_eua_one_octet_fails(void **state)
{
	static const uint8_t v[] = { 0xf1 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), -1);
	assert_false(eua.ipv4);
}

static void
test_gtpc_ie_eua_ipv4_short_address_fails(void **state)
{
	static const uint8_t v[] = { 0xf1, 0x21, 10, 10, 0 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), -1);
	assert_false(eua.ipv4);
	assert_false(eua.has_address);
}

static void
test_gtpc_ie_eua_ipv4_long_address_fails(void **state)
{
	static const uint8_t v[] = { 0xf1, 0x21, 10, 10, 0, 50, 0 };
	struct gtpc_ie ie = mk_ie(v, sizeof(v));
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), -1);
	assert_false(eua.ipv4);
}

static void
test_gtpc_ie_eua_absent_fails(void **state)
{
	struct gtpc_ie ie = { 0 };
	struct gtpc_eua eua;

	(void)state;
	assert_int_equal(gtpc_ie_eua(&ie, &eua), -1);
	assert_false(eua.ipv4);
}

/* ---- builders ---------------------------------------------------------- */

static void
test_gtpc_build_header_writes_v1_s_header(void **state)
{
	static const uint8_t want[] = { 0xee, 0xee, 0x32, 0x02, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78,
		0xab, 0xcd, 0x00, 0x00 };
	uint8_t buf[32];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_be16(&w, 0xeeee); /* something in front: the offset must account for it */
	off = gtpc_build_header(&w, GTPC_ECHO_RSP, 0x12345678, 0xabcd);
	assert_int_equal(off, 2);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_gtpc_build_finish_patches_length(void **state)
{
	uint8_t buf[32];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_u8(&w, 0xee);
	off = gtpc_build_header(&w, GTPC_ECHO_RSP, 0, 1);
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, 3);
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	assert_int_equal(buf[off + 2], 0);
	assert_int_equal(buf[off + 3], 6);
	assert_int_equal(w.len, 15);
}

static void
test_gtpc_build_finish_bad_offset_sets_overflow(void **state)
{
	uint8_t buf[32];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_be32(&w, 0);
	gtpc_build_finish(&w, 0);
	assert_true(w.overflow);
}

static void
test_gtpc_build_small_buffer_sets_overflow(void **state)
{
	uint8_t buf[20];
	struct vpg_wr w;
	size_t off;

	(void)state;
	memset(buf, 0x5a, sizeof(buf));
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_CREATE_PDP_RSP, 1, 1);
	gtpc_put_tv8(&w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	gtpc_put_eua_ipv4(&w, IP4(10, 10, 0, 50));
	gtpc_build_finish(&w, off);
	assert_true(w.overflow);
	assert_int_equal(w.len, 14);
	assert_int_equal(buf[2], 0); /* length never patched */
	assert_int_equal(buf[3], 0);
	assert_int_equal(buf[14], 0x5a); /* nothing written past what fitted */
}

static void
test_gtpc_put_tv32_not_fitting_writes_nothing(void **state)
{
	uint8_t buf[4] = { 0x5a, 0x5a, 0x5a, 0x5a };
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, 0x01020304);
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
	assert_int_equal(buf[0], 0x5a);
}

static void
test_gtpc_put_tv16_writes_type_value(void **state)
{
	static const uint8_t want[] = { 0x1a, 0x08, 0x00 };
	uint8_t buf[8];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_tv16(&w, GTPC_IE_CHARGING_CHARACTERISTICS, 0x0800);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_gtpc_put_tlv_writes_type_length_value(void **state)
{
	static const uint8_t want[] = { 0x84, 0x00, 0x03, 0x80, 0x80, 0x21 };
	uint8_t buf[8];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_tlv(&w, GTPC_IE_PCO, want + 3, 3);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_gtpc_put_eua_ipv4_writes_ietf_ipv4(void **state)
{
	static const uint8_t want[] = { 0x80, 0x00, 0x06, 0xf1, 0x21, 10, 10, 74, 219 };
	uint8_t buf[16];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_eua_ipv4(&w, IP4(10, 10, 74, 219));
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_gtpc_put_gsn_ipv4_writes_tlv(void **state)
{
	static const uint8_t want[] = { 0x85, 0x00, 0x04, 192, 0, 2, 2 };
	uint8_t buf[16];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_gsn_ipv4(&w, IP4(192, 0, 2, 2));
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_gtpc_put_imsi_odd_digits_padded(void **state)
{
	static const uint8_t want[] = { 0x02, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	uint8_t buf[16];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_imsi(&w, "999010000000001");
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_gtpc_put_imsi_short_filled_with_f(void **state)
{
	static const uint8_t want[] = { 0x02, 0x21, 0xf3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t buf[16];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_imsi(&w, "123");
	assert_false(w.overflow);
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_gtpc_put_imsi_non_digit_sets_overflow(void **state)
{
	uint8_t buf[16];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_imsi(&w, "99901000000000a");
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
}

static void
test_gtpc_put_imsi_sixteen_digits_sets_overflow(void **state)
{
	uint8_t buf[16];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_imsi(&w, "9990100000000011");
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
}

static void
test_gtpc_put_imsi_empty_sets_overflow(void **state)
{
	uint8_t buf[16];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	gtpc_put_imsi(&w, "");
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
}

/* ---- builders and parser together: the messages the GGSN exchanges ---- */

/* Builds what the gateway answers to sgsnemu's request, field by field. */
static size_t
build_create_pdp_rsp(uint8_t *buf, size_t cap)
{
	static const uint8_t qos[] = { 0x00, 0x0b, 0x92, 0x1f };
	struct vpg_wr w;
	size_t off;

	wr_init(&w, buf, cap);
	off = gtpc_build_header(&w, GTPC_CREATE_PDP_RSP, 1, 0x0401);
	gtpc_put_tv8(&w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	gtpc_put_tv8(&w, GTPC_IE_REORDERING_REQUIRED, 0xfe);
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, 7);
	gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, 0xa01);
	gtpc_put_tv32(&w, GTPC_IE_TEID_CONTROL, 0xa02);
	gtpc_put_tv32(&w, GTPC_IE_CHARGING_ID, 42);
	gtpc_put_eua_ipv4(&w, IP4(10, 10, 0, 50));
	gtpc_put_gsn_ipv4(&w, IP4(192, 0, 2, 2));
	gtpc_put_gsn_ipv4(&w, IP4(192, 0, 2, 2));
	gtpc_put_tlv(&w, GTPC_IE_QOS_PROFILE, qos, sizeof(qos));
	gtpc_build_finish(&w, off);
	return w.overflow ? 0 : w.len;
}

static void
test_gtpc_build_create_pdp_rsp_matches_vector(void **state)
{
	uint8_t buf[128];

	(void)state;
	assert_int_equal(build_create_pdp_rsp(buf, sizeof(buf)), sizeof(create_pdp_rsp));
	assert_memory_equal(buf, create_pdp_rsp, sizeof(create_pdp_rsp));
}

static void
test_gtpc_build_create_pdp_rsp_round_trips(void **state)
{
	uint8_t buf[128];
	size_t n = build_create_pdp_rsp(buf, sizeof(buf));
	struct gtpc_eua eua;
	uint32_t v;
	uint8_t c;

	(void)state;
	assert_int_equal(gtpc_parse(buf, n, &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_CREATE_PDP_RSP);
	assert_int_equal(msg.teid, 1);
	assert_int_equal(msg.seq, 0x0401);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_CAUSE], &c), 0);
	assert_int_equal(c, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(gtpc_ie_u32(&msg.ie[GTPC_IE_TEID_CONTROL], &v), 0);
	assert_int_equal(v, 0xa02);
	assert_int_equal(gtpc_ie_u32(&msg.ie[GTPC_IE_CHARGING_ID], &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(gtpc_ie_eua(&msg.ie[GTPC_IE_END_USER_ADDRESS], &eua), 0);
	assert_true(eua.has_address);
	assert_int_equal(eua.addr_be, IP4(10, 10, 0, 50));
	assert_int_equal(gtpc_ie_ipv4(&msg.gsn_addr2, &v), 0);
	assert_int_equal(v, IP4(192, 0, 2, 2));
}

static void
test_gtpc_build_create_pdp_req_round_trips(void **state)
{
	uint8_t buf[160];
	struct vpg_wr w;
	size_t off;
	char imsi[16], apn[16];
	struct gtpc_eua eua;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_CREATE_PDP_REQ, 0, 0x0401);
	gtpc_put_imsi(&w, "999010000000001");
	gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, 1);
	gtpc_put_tv8(&w, GTPC_IE_NSAPI, 5);
	gtpc_put_tlv(&w, GTPC_IE_END_USER_ADDRESS, "\xf1\x21", 2);
	gtpc_put_tlv(&w, GTPC_IE_APN, "\x08internet", 9);
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	/* The vector sgsnemu sent starts with the same header and IMSI. */
	assert_memory_equal(buf + 4, create_pdp_req_sgsnemu + 4, 17);
	assert_int_equal(gtpc_parse(buf, w.len, &msg), VPG_DROP_NONE);
	assert_int_equal(msg.length, w.len - 8);
	assert_int_equal(gtpc_ie_imsi(&msg.ie[GTPC_IE_IMSI], imsi), 0);
	assert_string_equal(imsi, "999010000000001");
	assert_int_equal(gtpc_ie_apn(&msg.ie[GTPC_IE_APN], apn, sizeof(apn)), 0);
	assert_string_equal(apn, "internet");
	assert_int_equal(gtpc_ie_eua(&msg.ie[GTPC_IE_END_USER_ADDRESS], &eua), 0);
	assert_true(eua.ipv4);
}

static void
test_gtpc_build_echo_rsp_matches_vector(void **state)
{
	uint8_t buf[32];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_ECHO_RSP, 0, 0x0400);
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, 7);
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(echo_rsp));
	assert_memory_equal(buf, echo_rsp, sizeof(echo_rsp));
}

static void
test_gtpc_parse_echo_rsp_decodes(void **state)
{
	uint8_t v;

	(void)state;
	assert_int_equal(gtpc_parse(echo_rsp, sizeof(echo_rsp), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_ECHO_RSP);
	assert_int_equal(msg.seq, 0x0400);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_RECOVERY], &v), 0);
	assert_int_equal(v, 7);
}

static void
test_gtpc_build_echo_req_matches_vector(void **state)
{
	uint8_t buf[32];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_ECHO_REQ, 0, 0x0400);
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(echo_req_sgsnemu));
	assert_memory_equal(buf, echo_req_sgsnemu, sizeof(echo_req_sgsnemu));
}

static void
test_gtpc_build_update_pdp_rsp_matches_vector(void **state)
{
	static const uint8_t qos[] = { 0x00, 0x0b, 0x92, 0x1f };
	uint8_t buf[128];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_UPDATE_PDP_RSP, 2, 0x0402);
	gtpc_put_tv8(&w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, 7);
	gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, 0xa01);
	gtpc_put_tv32(&w, GTPC_IE_TEID_CONTROL, 0xa02);
	gtpc_put_tv32(&w, GTPC_IE_CHARGING_ID, 42);
	gtpc_put_gsn_ipv4(&w, IP4(192, 0, 2, 2));
	gtpc_put_gsn_ipv4(&w, IP4(192, 0, 2, 2));
	gtpc_put_tlv(&w, GTPC_IE_QOS_PROFILE, qos, sizeof(qos));
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(update_pdp_rsp));
	assert_memory_equal(buf, update_pdp_rsp, sizeof(update_pdp_rsp));
}

static void
test_gtpc_parse_update_pdp_rsp_decodes(void **state)
{
	uint32_t v;

	(void)state;
	assert_int_equal(gtpc_parse(update_pdp_rsp, sizeof(update_pdp_rsp), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_UPDATE_PDP_RSP);
	assert_int_equal(msg.teid, 2);
	assert_int_equal(gtpc_ie_u32(&msg.ie[GTPC_IE_TEID_DATA_I], &v), 0);
	assert_int_equal(v, 0xa01);
	assert_true(msg.gsn_addr2.present);
	assert_false(msg.ie[GTPC_IE_END_USER_ADDRESS].present);
}

static void
test_gtpc_build_update_pdp_req_round_trips(void **state)
{
	static const uint8_t rai[] = { 0x99, 0xf9, 0x10, 0xff, 0xfe, 0xff };
	static const uint8_t qos[] = { 0x00, 0x0b, 0x92, 0x1f };
	uint8_t buf[128];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_UPDATE_PDP_REQ, 0xa02, 0x0402);
	wr_u8(&w, GTPC_IE_RAI); /* TV of six octets: no putter needed by the GGSN */
	wr_bytes(&w, rai, sizeof(rai));
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, 1);
	gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, 2);
	gtpc_put_tv32(&w, GTPC_IE_TEID_CONTROL, 2);
	gtpc_put_tv8(&w, GTPC_IE_NSAPI, 5);
	gtpc_put_gsn_ipv4(&w, IP4(127, 0, 0, 3));
	gtpc_put_gsn_ipv4(&w, IP4(127, 0, 0, 4));
	gtpc_put_tlv(&w, GTPC_IE_QOS_PROFILE, qos, sizeof(qos));
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(update_pdp_req));
	assert_memory_equal(buf, update_pdp_req, sizeof(update_pdp_req));
	assert_int_equal(gtpc_parse(buf, w.len, &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_UPDATE_PDP_REQ);
	assert_true(msg.gsn_addr2.present);
}

static void
test_gtpc_build_delete_pdp_req_matches_vector(void **state)
{
	uint8_t buf[32];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_DELETE_PDP_REQ, 0xa02, 0x0403);
	gtpc_put_tv8(&w, GTPC_IE_TEARDOWN_IND, 0xff);
	gtpc_put_tv8(&w, GTPC_IE_NSAPI, 5);
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(delete_pdp_req));
	assert_memory_equal(buf, delete_pdp_req, sizeof(delete_pdp_req));
}

static void
test_gtpc_build_delete_pdp_rsp_matches_vector(void **state)
{
	uint8_t buf[32];
	struct vpg_wr w;
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = gtpc_build_header(&w, GTPC_DELETE_PDP_RSP, 2, 0x0403);
	gtpc_put_tv8(&w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	gtpc_build_finish(&w, off);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(delete_pdp_rsp));
	assert_memory_equal(buf, delete_pdp_rsp, sizeof(delete_pdp_rsp));
}

static void
test_gtpc_parse_delete_pdp_rsp_decodes(void **state)
{
	uint8_t c;

	(void)state;
	assert_int_equal(gtpc_parse(delete_pdp_rsp, sizeof(delete_pdp_rsp), &msg), VPG_DROP_NONE);
	assert_int_equal(msg.type, GTPC_DELETE_PDP_RSP);
	assert_int_equal(msg.teid, 2);
	assert_int_equal(msg.seq, 0x0403);
	assert_int_equal(gtpc_ie_u8(&msg.ie[GTPC_IE_CAUSE], &c), 0);
	assert_int_equal(c, GTPC_CAUSE_REQUEST_ACCEPTED);
}

/* ---- names and known types --------------------------------------------- */

static void
test_gtpc_type_name_known_types_named(void **state)
{
	(void)state;
	assert_string_equal(gtpc_type_name(GTPC_ECHO_REQ), "echo_request");
	assert_string_equal(gtpc_type_name(GTPC_ECHO_RSP), "echo_response");
	assert_string_equal(gtpc_type_name(GTPC_VERSION_NOT_SUPPORTED), "version_not_supported");
	assert_string_equal(gtpc_type_name(GTPC_CREATE_PDP_REQ), "create_pdp_context_request");
	assert_string_equal(gtpc_type_name(GTPC_CREATE_PDP_RSP), "create_pdp_context_response");
	assert_string_equal(gtpc_type_name(GTPC_UPDATE_PDP_REQ), "update_pdp_context_request");
	assert_string_equal(gtpc_type_name(GTPC_UPDATE_PDP_RSP), "update_pdp_context_response");
	assert_string_equal(gtpc_type_name(GTPC_DELETE_PDP_REQ), "delete_pdp_context_request");
	assert_string_equal(gtpc_type_name(GTPC_DELETE_PDP_RSP), "delete_pdp_context_response");
	assert_string_equal(gtpc_type_name(GTPC_ERROR_INDICATION), "error_indication");
	assert_string_equal(
	    gtpc_type_name(GTPC_SUPPORTED_EXT_HDRS), "supported_extension_headers_notification");
}

static void
test_gtpc_type_name_unknown_type_unknown(void **state)
{
	(void)state;
	assert_string_equal(gtpc_type_name(0), "unknown");
	assert_string_equal(gtpc_type_name(52), "unknown");
	assert_string_equal(gtpc_type_name(255), "unknown");
}

static void
test_gtpc_type_known_served_types_true(void **state)
{
	static const uint8_t served[] = { 1, 2, 3, 16, 17, 18, 19, 20, 21, 26, 31 };
	unsigned int t, n = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(served); i++)
		assert_true(gtpc_type_known(served[i]));
	for (t = 0; t < 256; t++)
		n += gtpc_type_known((uint8_t)t);
	assert_int_equal(n, sizeof(served));
}

int
main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(
						test_gtpc_parse_sgsnemu_create_pdp_req_decodes),
		cmocka_unit_test(test_gtpc_parse_sgsnemu_echo_req_decodes),
		cmocka_unit_test(test_gtpc_parse_update_pdp_req_decodes),
		cmocka_unit_test(test_gtpc_parse_delete_pdp_req_decodes),
		cmocka_unit_test(test_gtpc_parse_no_optional_fields_has_no_seq),
		cmocka_unit_test(test_gtpc_parse_pn_only_reads_npdu_not_seq),
		cmocka_unit_test(test_gtpc_parse_trailing_padding_ignored),
		cmocka_unit_test(test_gtpc_parse_version_not_supported_accepted),
		cmocka_unit_test(test_gtpc_parse_empty_datagram_drops_too_short),
		cmocka_unit_test(test_gtpc_parse_truncated_header_drops_too_short),
		cmocka_unit_test(test_gtpc_parse_every_length_below_eight_drops_too_short),
		cmocka_unit_test(test_gtpc_parse_optional_octets_truncated_drops_too_short),
		cmocka_unit_test(test_gtpc_parse_length_beyond_datagram_drops_bad_length),
		cmocka_unit_test(test_gtpc_parse_length_below_optional_drops_bad_length),
		cmocka_unit_test(test_gtpc_parse_gtpv2_drops_bad_version),
		cmocka_unit_test(test_gtpc_parse_gtpv2_with_teid_drops_bad_version_with_teid),
		cmocka_unit_test(test_gtpc_parse_gtpv0_drops_bad_version_with_seq),
		cmocka_unit_test(test_gtpc_parse_gtp_prime_drops_bad_version),
		cmocka_unit_test(test_gtpc_parse_unknown_type_drops_unknown_type),
		cmocka_unit_test(test_gtpc_parse_unknown_tv_ie_drops_bad_ie),
		cmocka_unit_test(test_gtpc_parse_tv_ie_truncated_drops_bad_ie),
		cmocka_unit_test(test_gtpc_parse_oversized_tlv_length_drops_bad_ie),
		cmocka_unit_test(test_gtpc_parse_tlv_length_truncated_drops_bad_ie),
		cmocka_unit_test(test_gtpc_parse_unknown_tlv_ie_skipped),
		cmocka_unit_test(test_gtpc_parse_duplicate_ie_first_wins),
		cmocka_unit_test(test_gtpc_parse_second_gsn_address_kept),
		cmocka_unit_test(test_gtpc_parse_third_gsn_address_ignored),
		cmocka_unit_test(test_gtpc_parse_every_tv_type_has_spec_length),
		cmocka_unit_test(test_gtpc_parse_undefined_tv_types_drop_bad_ie),
		cmocka_unit_test(test_gtpc_parse_ext_chain_valid_accepted),
		cmocka_unit_test(test_gtpc_parse_ext_len_zero_drops_bad_length),
		cmocka_unit_test(test_gtpc_parse_ext_chain_unterminated_drops_bad_length),
		cmocka_unit_test(test_gtpc_parse_ext_len_past_message_drops_bad_length),
		cmocka_unit_test(test_gtpc_parse_ext_chain_too_long_drops_bad_length),
		cmocka_unit_test(test_gtpc_parse_e_flag_clear_ignores_next_type),
		cmocka_unit_test(test_gtpc_ie_imsi_fifteen_digits_decodes),
		cmocka_unit_test(test_gtpc_ie_imsi_fourteen_digits_decodes),
		cmocka_unit_test(test_gtpc_ie_imsi_bad_nibble_fails),
		cmocka_unit_test(test_gtpc_ie_imsi_filler_before_digit_fails),
		cmocka_unit_test(test_gtpc_ie_imsi_sixteen_digits_fails),
		cmocka_unit_test(test_gtpc_ie_imsi_all_filler_fails),
		cmocka_unit_test(test_gtpc_ie_imsi_wrong_length_fails),
		cmocka_unit_test(test_gtpc_ie_imsi_absent_fails),
		cmocka_unit_test(test_gtpc_ie_msisdn_international_decodes),
		cmocka_unit_test(test_gtpc_ie_msisdn_even_digits_decodes),
		cmocka_unit_test(test_gtpc_ie_msisdn_nature_only_fails),
		cmocka_unit_test(test_gtpc_ie_msisdn_empty_fails),
		cmocka_unit_test(test_gtpc_ie_msisdn_bad_nibble_fails),
		cmocka_unit_test(test_gtpc_ie_msisdn_too_many_digits_fails),
		cmocka_unit_test(test_gtpc_ie_msisdn_absent_fails),
		cmocka_unit_test(test_gtpc_ie_apn_single_label_decodes),
		cmocka_unit_test(test_gtpc_ie_apn_several_labels_decode_dotted),
		cmocka_unit_test(test_gtpc_ie_apn_exact_fit_decodes),
		cmocka_unit_test(test_gtpc_ie_apn_label_overrun_fails),
		cmocka_unit_test(test_gtpc_ie_apn_empty_fails),
		cmocka_unit_test(test_gtpc_ie_apn_empty_label_fails),
		cmocka_unit_test(test_gtpc_ie_apn_too_long_for_cap_fails),
		cmocka_unit_test(test_gtpc_ie_apn_no_room_for_dot_fails),
		cmocka_unit_test(test_gtpc_ie_apn_bad_character_fails),
		cmocka_unit_test(test_gtpc_ie_apn_zero_cap_fails),
		cmocka_unit_test(test_gtpc_ie_u8_one_octet_decodes),
		cmocka_unit_test(test_gtpc_ie_u8_wrong_length_fails),
		cmocka_unit_test(test_gtpc_ie_u8_absent_fails),
		cmocka_unit_test(test_gtpc_ie_u32_four_octets_decodes),
		cmocka_unit_test(test_gtpc_ie_u32_wrong_length_fails),
		cmocka_unit_test(test_gtpc_ie_ipv4_four_octets_decodes),
		cmocka_unit_test(test_gtpc_ie_ipv4_ipv6_address_fails),
		cmocka_unit_test(test_gtpc_ie_ipv4_absent_fails),
		cmocka_unit_test(test_gtpc_ie_eua_ipv4_dynamic_decodes),
		cmocka_unit_test(test_gtpc_ie_eua_ipv4_static_decodes),
		cmocka_unit_test(test_gtpc_ie_eua_ipv4_zero_address_is_dynamic),
		cmocka_unit_test(test_gtpc_ie_eua_spare_bits_not_evaluated),
		cmocka_unit_test(test_gtpc_ie_eua_ipv6_not_ipv4),
		cmocka_unit_test(test_gtpc_ie_eua_ipv4v6_not_ipv4),
		cmocka_unit_test(test_gtpc_ie_eua_ppp_not_ipv4),
		cmocka_unit_test(test_gtpc_ie_eua_one_octet_fails),
		cmocka_unit_test(test_gtpc_ie_eua_ipv4_short_address_fails),
		cmocka_unit_test(test_gtpc_ie_eua_ipv4_long_address_fails),
		cmocka_unit_test(test_gtpc_ie_eua_absent_fails),
		cmocka_unit_test(test_gtpc_build_header_writes_v1_s_header),
		cmocka_unit_test(test_gtpc_build_finish_patches_length),
		cmocka_unit_test(test_gtpc_build_finish_bad_offset_sets_overflow),
		cmocka_unit_test(test_gtpc_build_small_buffer_sets_overflow),
		cmocka_unit_test(test_gtpc_put_tv32_not_fitting_writes_nothing),
		cmocka_unit_test(test_gtpc_put_tv16_writes_type_value),
		cmocka_unit_test(test_gtpc_put_tlv_writes_type_length_value),
		cmocka_unit_test(test_gtpc_put_eua_ipv4_writes_ietf_ipv4),
		cmocka_unit_test(test_gtpc_put_gsn_ipv4_writes_tlv),
		cmocka_unit_test(test_gtpc_put_imsi_odd_digits_padded),
		cmocka_unit_test(test_gtpc_put_imsi_short_filled_with_f),
		cmocka_unit_test(test_gtpc_put_imsi_non_digit_sets_overflow),
		cmocka_unit_test(test_gtpc_put_imsi_sixteen_digits_sets_overflow),
		cmocka_unit_test(test_gtpc_put_imsi_empty_sets_overflow),
		cmocka_unit_test(test_gtpc_build_create_pdp_rsp_matches_vector),
		cmocka_unit_test(test_gtpc_build_create_pdp_rsp_round_trips),
		cmocka_unit_test(test_gtpc_build_create_pdp_req_round_trips),
		cmocka_unit_test(test_gtpc_build_echo_rsp_matches_vector),
		cmocka_unit_test(test_gtpc_parse_echo_rsp_decodes),
		cmocka_unit_test(test_gtpc_build_echo_req_matches_vector),
		cmocka_unit_test(test_gtpc_build_update_pdp_rsp_matches_vector),
		cmocka_unit_test(test_gtpc_parse_update_pdp_rsp_decodes),
		cmocka_unit_test(test_gtpc_build_update_pdp_req_round_trips),
		cmocka_unit_test(test_gtpc_build_delete_pdp_req_matches_vector),
		cmocka_unit_test(test_gtpc_build_delete_pdp_rsp_matches_vector),
		cmocka_unit_test(test_gtpc_parse_delete_pdp_rsp_decodes),
		cmocka_unit_test(test_gtpc_type_name_known_types_named),
		cmocka_unit_test(test_gtpc_type_name_unknown_type_unknown),
		cmocka_unit_test(test_gtpc_type_known_served_types_true) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
