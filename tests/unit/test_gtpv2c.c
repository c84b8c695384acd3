/*
 * Unit tests for the GTPv2-C codec (src/proto/gtpv2c.c, gtpv2c_build.c).
 *
 * Byte vectors. csr_scapy and dsr_scapy were built with Debian's scapy
 * 2.5.0 (scapy.contrib.gtp_v2, IE lengths recomputed as
 * /work/shared/peers/open5gs/s5c-csr.py does) and sent by that script to
 * open5gs-smfd acting as PGW-C (`o5-peer --mode s5`). That scapy also
 * writes the header's length as GTPv1 counts it (octets after the first 8),
 * 4 short of what TS 29.274 §5.1 counts; the vectors carry the length
 * corrected (0xbb for 0xb7, 0x0d for 0x09), and dsr_scapy_as_sent keeps
 * the wire's octets. open5gs accepted both forms. csrsp_open5gs and
 * dsrsp_open5gs are the SMF's answers captured on the S5 link, and
 * csrsp_open5gs_ambr its Create Session Response when the PCRF adds an
 * APN-AMBR (`o5-peer --mode s5 --gx-qos`). The built_* vectors are what this
 * file's builders produce (each test below builds it again and compares).
 * Every vector was put in a pcap (IPv4/UDP 2123) and decoded by tshark 4.0
 * with the fields quoted in its comment, no "Malformed" and no expert info.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/gtpv2c.h"

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
 * tshark: Create Session Request, TEID 0, seq 603, IMSI 001010000000002,
 * MSISDN 8210000000002, MEI 3534900698733190, ULI TAI+ECGI, Serving Network
 * MCC 001 MNC 01, RAT EUTRAN (6), F-TEID S5/S8 SGW GTP-C 0x00b96242
 * 172.31.1.1, APN internet, Selection Mode 0, PDN Type IPv4, PAA IPv4
 * 0.0.0.0, APN Restriction 0, AMBR 100000/200000, Bearer Context [EBI 5,
 * F-TEID (instance 2) S5/S8 SGW GTP-U 0x00ff2d1d 172.31.1.1, Bearer QoS PCI
 * Disabled, PL 8, PVI Enabled, QCI 9, rates 0], Recovery 1.
 */
static const uint8_t csr_scapy[] = { 0x48, 0x20, 0x00, 0xbb, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x5b, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf2, 0x4c,
	0x00, 0x07, 0x00, 0x28, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf2, 0x4b, 0x00, 0x08, 0x00, 0x53,
	0x43, 0x09, 0x60, 0x89, 0x37, 0x13, 0x09, 0x56, 0x00, 0x0d, 0x00, 0x18, 0x00, 0xf1, 0x10,
	0x00, 0x01, 0x00, 0xf1, 0x10, 0x00, 0x00, 0x12, 0x34, 0x53, 0x00, 0x03, 0x00, 0x00, 0xf1,
	0x10, 0x52, 0x00, 0x01, 0x00, 0x06, 0x57, 0x00, 0x09, 0x00, 0x86, 0x00, 0xb9, 0x62, 0x42,
	0xac, 0x1f, 0x01, 0x01, 0x47, 0x00, 0x09, 0x00, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e,
	0x65, 0x74, 0x80, 0x00, 0x01, 0x00, 0x00, 0x63, 0x00, 0x01, 0x00, 0x01, 0x4f, 0x00, 0x05,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x7f, 0x00, 0x01, 0x00, 0x00, 0x48, 0x00, 0x08, 0x00,
	0x00, 0x01, 0x86, 0xa0, 0x00, 0x03, 0x0d, 0x40, 0x5d, 0x00, 0x2c, 0x00, 0x49, 0x00, 0x01,
	0x00, 0x05, 0x57, 0x00, 0x09, 0x02, 0x84, 0x00, 0xff, 0x2d, 0x1d, 0xac, 0x1f, 0x01, 0x01,
	0x50, 0x00, 0x16, 0x00, 0x60, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0x00,
	0x01 };

/*
 * tshark: Create Session Response, TEID 0x00b96242, seq 603, Cause Request
 * accepted (16), F-TEID (instance 1) S5/S8 PGW GTP-C 0x000007d3 172.31.1.2,
 * PAA IPv4 10.45.0.2, APN Restriction 0, Bearer Context [EBI 5, F-TEID
 * (instance 2) S5/S8 PGW GTP-U 0x00001686 172.31.2.2, Bearer QoS all 0,
 * Cause 16, Charging ID 1].
 */
static const uint8_t csrsp_open5gs[] = { 0x48, 0x21, 0x00, 0x67, 0x00, 0xb9, 0x62, 0x42, 0x00, 0x02,
	0x5b, 0x00, 0x02, 0x00, 0x02, 0x00, 0x10, 0x00, 0x57, 0x00, 0x09, 0x01, 0x87, 0x00, 0x00,
	0x07, 0xd3, 0xac, 0x1f, 0x01, 0x02, 0x4f, 0x00, 0x05, 0x00, 0x01, 0x0a, 0x2d, 0x00, 0x02,
	0x7f, 0x00, 0x01, 0x00, 0x00, 0x5d, 0x00, 0x3a, 0x00, 0x49, 0x00, 0x01, 0x00, 0x05, 0x57,
	0x00, 0x09, 0x02, 0x85, 0x00, 0x00, 0x16, 0x86, 0xac, 0x1f, 0x02, 0x02, 0x50, 0x00, 0x16,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x10, 0x00, 0x5e,
	0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01 };

/*
 * tshark: Create Session Response, TEID 0x00381ac8, seq 700, Cause 16,
 * F-TEID (instance 1) S5/S8 PGW GTP-C 0x00000056 172.31.1.2, PAA IPv4
 * 10.45.0.2, APN Restriction 0, AMBR 1000/2000, Bearer Context [EBI 5,
 * F-TEID (instance 2) S5/S8 PGW GTP-U 0x000033fb 172.31.2.2, Cause 16,
 * Charging ID 1].
 */
static const uint8_t csrsp_open5gs_ambr[] = { 0x48, 0x21, 0x00, 0x59, 0x00, 0x38, 0x1a, 0xc8, 0x00,
	0x02, 0xbc, 0x00, 0x02, 0x00, 0x02, 0x00, 0x10, 0x00, 0x57, 0x00, 0x09, 0x01, 0x87, 0x00,
	0x00, 0x00, 0x56, 0xac, 0x1f, 0x01, 0x02, 0x4f, 0x00, 0x05, 0x00, 0x01, 0x0a, 0x2d, 0x00,
	0x02, 0x7f, 0x00, 0x01, 0x00, 0x00, 0x48, 0x00, 0x08, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x00,
	0x00, 0x07, 0xd0, 0x5d, 0x00, 0x20, 0x00, 0x49, 0x00, 0x01, 0x00, 0x05, 0x57, 0x00, 0x09,
	0x02, 0x85, 0x00, 0x00, 0x33, 0xfb, 0xac, 0x1f, 0x02, 0x02, 0x02, 0x00, 0x02, 0x00, 0x10,
	0x00, 0x5e, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* tshark: Delete Session Request, TEID 0x000007d3, seq 604, EBI 5. */
static const uint8_t dsr_scapy[] = { 0x48, 0x24, 0x00, 0x0d, 0x00, 0x00, 0x07, 0xd3, 0x00, 0x02,
	0x5c, 0x00, 0x49, 0x00, 0x01, 0x00, 0x05 };

/* The same as scapy sent it: length 9, 4 short. */
static const uint8_t dsr_scapy_as_sent[] = { 0x48, 0x24, 0x00, 0x09, 0x00, 0x00, 0x07, 0xd3, 0x00,
	0x02, 0x5c, 0x00, 0x49, 0x00, 0x01, 0x00, 0x05 };

/* tshark: Delete Session Response, TEID 0x00b96242, seq 604, Cause 16. */
static const uint8_t dsrsp_open5gs[] = { 0x48, 0x25, 0x00, 0x0e, 0x00, 0xb9, 0x62, 0x42, 0x00, 0x02,
	0x5c, 0x00, 0x02, 0x00, 0x02, 0x00, 0x10, 0x00 };

/* tshark: Echo Response, T 0, length 9, seq 42, Recovery 7. */
static const uint8_t built_echo_rsp[] = { 0x40, 0x02, 0x00, 0x09, 0x00, 0x00, 0x2a, 0x00, 0x03,
	0x00, 0x01, 0x00, 0x07 };

/*
 * tshark: Create Session Response, TEID 0x00b96242, seq 603, Cause 16,
 * F-TEID (instance 1) S5/S8 PGW GTP-C 0x0a000001 192.0.2.2, PAA IPv4
 * 10.10.0.50, APN Restriction 0, AMBR 1000/2000, Recovery 3, Bearer Context
 * (length 58) [EBI 5, Cause 16, F-TEID (instance 2) S5/S8 PGW GTP-U
 * 0x0a000002 192.0.2.2, Bearer QoS PCI Disabled, PL 8, PVI Enabled, QCI 9,
 * MBR up 78187493530, MBR down 2000, GBR up 0, GBR down 1, Charging ID 42].
 */
static const uint8_t built_create_session_rsp[] = { 0x48, 0x21, 0x00, 0x78, 0x00, 0xb9, 0x62, 0x42,
	0x00, 0x02, 0x5b, 0x00, 0x02, 0x00, 0x02, 0x00, 0x10, 0x00, 0x57, 0x00, 0x09, 0x01, 0x87,
	0x0a, 0x00, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x02, 0x4f, 0x00, 0x05, 0x00, 0x01, 0x0a, 0x0a,
	0x00, 0x32, 0x7f, 0x00, 0x01, 0x00, 0x00, 0x48, 0x00, 0x08, 0x00, 0x00, 0x00, 0x03, 0xe8,
	0x00, 0x00, 0x07, 0xd0, 0x03, 0x00, 0x01, 0x00, 0x03, 0x5d, 0x00, 0x3a, 0x00, 0x49, 0x00,
	0x01, 0x00, 0x05, 0x02, 0x00, 0x02, 0x00, 0x10, 0x00, 0x57, 0x00, 0x09, 0x02, 0x85, 0x0a,
	0x00, 0x00, 0x02, 0xc0, 0x00, 0x02, 0x02, 0x50, 0x00, 0x16, 0x00, 0x60, 0x09, 0x12, 0x34,
	0x56, 0x78, 0x9a, 0x00, 0x00, 0x00, 0x07, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x5e, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x2a };

/*
 * tshark: Create Session Response, seq 0xabcdef, Cause Mandatory IE missing
 * (70), type of the offending IE F-TEID (87), IE length 0, instance 0.
 */
static const uint8_t built_create_session_rsp_missing[] = { 0x48, 0x21, 0x00, 0x12, 0x00, 0xb9,
	0x62, 0x42, 0xab, 0xcd, 0xef, 0x00, 0x02, 0x00, 0x06, 0x00, 0x46, 0x00, 0x57, 0x00, 0x00,
	0x00 };

/*
 * tshark: Create Session Request, TEID 0, seq 258, IMSI 999010000000001,
 * MSISDN 819012345678, MEI 3534900698733190, Serving Network MCC 310 MNC
 * 410, RAT EUTRAN, F-TEID S5/S8 SGW GTP-C 0x1234 198.51.100.1, APN
 * internet.mnc001.mcc001.gprs, Selection Mode 0, PDN Type IPv4, PAA IPv4
 * 0.0.0.0, AMBR 1000/2000, Bearer Context (length 44) [EBI 5, F-TEID
 * (instance 2) S5/S8 SGW GTP-U 0x5678 198.51.100.1, Bearer QoS as above],
 * Recovery 1.
 */
static const uint8_t built_create_session_req[] = { 0x48, 0x20, 0x00, 0xb7, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x02, 0x00, 0x01, 0x00, 0x08, 0x00, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xf1, 0x4c, 0x00, 0x06, 0x00, 0x18, 0x09, 0x21, 0x43, 0x65, 0x87, 0x4b, 0x00, 0x08, 0x00,
	0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13, 0x09, 0x53, 0x00, 0x03, 0x00, 0x13, 0x00, 0x14,
	0x52, 0x00, 0x01, 0x00, 0x06, 0x57, 0x00, 0x09, 0x00, 0x86, 0x00, 0x00, 0x12, 0x34, 0xc6,
	0x33, 0x64, 0x01, 0x47, 0x00, 0x1c, 0x00, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x65,
	0x74, 0x06, 0x6d, 0x6e, 0x63, 0x30, 0x30, 0x31, 0x06, 0x6d, 0x63, 0x63, 0x30, 0x30, 0x31,
	0x04, 0x67, 0x70, 0x72, 0x73, 0x80, 0x00, 0x01, 0x00, 0x00, 0x63, 0x00, 0x01, 0x00, 0x01,
	0x4f, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x08, 0x00, 0x00, 0x00,
	0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0, 0x5d, 0x00, 0x2c, 0x00, 0x49, 0x00, 0x01, 0x00, 0x05,
	0x57, 0x00, 0x09, 0x02, 0x84, 0x00, 0x00, 0x56, 0x78, 0xc6, 0x33, 0x64, 0x01, 0x50, 0x00,
	0x16, 0x00, 0x60, 0x09, 0x12, 0x34, 0x56, 0x78, 0x9a, 0x00, 0x00, 0x00, 0x07, 0xd0, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0x01, 0x00, 0x01 };

/* tshark: Delete Bearer Request, TEID 0x1234, seq 0x800001, EBI 5, Cause 94. */
static const uint8_t built_delete_bearer_req[] = { 0x48, 0x63, 0x00, 0x13, 0x00, 0x00, 0x12, 0x34,
	0x80, 0x00, 0x01, 0x00, 0x49, 0x00, 0x01, 0x00, 0x05, 0x02, 0x00, 0x02, 0x00, 0x5e, 0x00 };

/* tshark: Modify Bearer Request, TEID 1, seq 3, Serving Network MCC 001 MNC 01. */
static const uint8_t built_modify_bearer_req[] = { 0x48, 0x22, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x03, 0x00, 0x53, 0x00, 0x03, 0x00, 0x00, 0xf1, 0x10 };

static struct gtpv2c_ie
ie_of(uint8_t type, const uint8_t *val, uint16_t len)
{
	struct gtpv2c_ie ie = { .val = val, .len = len, .type = type };

	return ie;
}

/* The only IE of type and instance 0 in ies: the test fails when absent. */
static const struct gtpv2c_ie *
must_find(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance)
{
	const struct gtpv2c_ie *ie = gtpv2c_find(ies, type, instance);

	assert_non_null(ie);
	return ie;
}

static void
check_fteid(const struct gtpv2c_ie *ie, uint8_t iface, uint32_t teid, uint32_t ipv4_be)
{
	struct gtpv2c_fteid f;

	assert_int_equal(gtpv2c_ie_fteid(ie, &f), 0);
	assert_int_equal(f.iface, iface);
	assert_int_equal(f.teid, teid);
	assert_true(f.has_ipv4);
	assert_false(f.has_ipv6);
	assert_int_equal(f.ipv4_be, ipv4_be);
}

static void
check_cause(const struct gtpv2c_ies *ies, uint8_t cause)
{
	struct gtpv2c_cause_ie c;

	assert_int_equal(gtpv2c_ie_cause(must_find(ies, GTPV2C_IE_CAUSE, 0), &c), 0);
	assert_int_equal(c.cause, cause);
	assert_false(c.has_offending);
}

/* Real messages. */

static void
test_gtpv2c_parse_scapy_create_session_request_header(void **state)
{
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(csr_scapy, sizeof(csr_scapy), &m), VPG_DROP_NONE);
	assert_int_equal(m.version, 2);
	assert_false(m.piggyback);
	assert_true(m.has_teid);
	assert_int_equal(m.type, GTPV2C_CREATE_SESSION_REQ);
	assert_int_equal(m.length, 187);
	assert_int_equal(m.teid, 0);
	assert_int_equal(m.seq, 603);
	assert_int_equal(m.ies.n, 15);
}

static void
test_gtpv2c_parse_scapy_create_session_request_identities(void **state)
{
	struct gtpv2c_msg m;
	struct gtpv2c_plmn plmn;
	char imsi[16], msisdn[24], mei[17], apn[64];
	uint8_t v;

	(void)state;
	assert_int_equal(gtpv2c_parse(csr_scapy, sizeof(csr_scapy), &m), VPG_DROP_NONE);
	assert_int_equal(gtpv2c_ie_imsi(must_find(&m.ies, GTPV2C_IE_IMSI, 0), imsi), 0);
	assert_string_equal(imsi, "001010000000002");
	assert_int_equal(gtpv2c_ie_msisdn(must_find(&m.ies, GTPV2C_IE_MSISDN, 0), msisdn), 0);
	assert_string_equal(msisdn, "8210000000002");
	assert_int_equal(gtpv2c_ie_mei(must_find(&m.ies, GTPV2C_IE_MEI, 0), mei), 0);
	assert_string_equal(mei, "3534900698733190");
	assert_int_equal(
	    gtpv2c_ie_serving_network(must_find(&m.ies, GTPV2C_IE_SERVING_NETWORK, 0), &plmn), 0);
	assert_string_equal(plmn.mcc, "001");
	assert_string_equal(plmn.mnc, "01");
	assert_int_equal(gtpv2c_ie_apn(must_find(&m.ies, GTPV2C_IE_APN, 0), apn, sizeof(apn)), 0);
	assert_string_equal(apn, "internet");
	assert_int_equal(gtpv2c_ie_u8(must_find(&m.ies, GTPV2C_IE_RAT_TYPE, 0), &v), 0);
	assert_int_equal(v, 6);
	assert_int_equal(gtpv2c_ie_u8(must_find(&m.ies, GTPV2C_IE_RECOVERY, 0), &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(gtpv2c_ie_u8(must_find(&m.ies, GTPV2C_IE_PDN_TYPE, 0), &v), 0);
	assert_int_equal(v, GTPV2C_PDN_IPV4);
}

static void
test_gtpv2c_parse_scapy_create_session_request_session(void **state)
{
	struct gtpv2c_msg m;
	struct gtpv2c_paa paa;
	struct gtpv2c_ambr ambr;

	(void)state;
	assert_int_equal(gtpv2c_parse(csr_scapy, sizeof(csr_scapy), &m), VPG_DROP_NONE);
	check_fteid(must_find(&m.ies, GTPV2C_IE_FTEID, 0), GTPV2C_IF_S5S8_SGW_C, 0x00b96242,
	    IP4(172, 31, 1, 1));
	assert_int_equal(gtpv2c_ie_paa(must_find(&m.ies, GTPV2C_IE_PAA, 0), &paa), 0);
	assert_int_equal(paa.pdn_type, GTPV2C_PDN_IPV4);
	assert_int_equal(paa.ipv4_be, 0);
	assert_int_equal(gtpv2c_ie_ambr(must_find(&m.ies, GTPV2C_IE_AMBR, 0), &ambr), 0);
	assert_int_equal(ambr.uplink_kbps, 100000);
	assert_int_equal(ambr.downlink_kbps, 200000);
}

static void
test_gtpv2c_parse_scapy_create_session_request_bearer_context(void **state)
{
	struct gtpv2c_msg m;
	struct gtpv2c_ies bc;
	struct gtpv2c_bearer_qos q;
	uint8_t ebi;

	(void)state;
	assert_int_equal(gtpv2c_parse(csr_scapy, sizeof(csr_scapy), &m), VPG_DROP_NONE);
	assert_int_equal(gtpv2c_count(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0), 1);
	assert_int_equal(gtpv2c_parse_grouped(must_find(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0), &bc),
	    VPG_DROP_NONE);
	assert_int_equal(bc.n, 3);
	assert_int_equal(gtpv2c_ie_ebi(must_find(&bc, GTPV2C_IE_EBI, 0), &ebi), 0);
	assert_int_equal(ebi, 5);
	assert_null(gtpv2c_find(&bc, GTPV2C_IE_FTEID, 0));
	check_fteid(must_find(&bc, GTPV2C_IE_FTEID, 2), GTPV2C_IF_S5S8_SGW_U, 0x00ff2d1d,
	    IP4(172, 31, 1, 1));
	assert_int_equal(gtpv2c_ie_bearer_qos(must_find(&bc, GTPV2C_IE_BEARER_QOS, 0), &q), 0);
	assert_int_equal(q.pci, 1);
	assert_int_equal(q.priority_level, 8);
	assert_int_equal(q.pvi, 0);
	assert_int_equal(q.qci, 9);
	assert_int_equal(q.mbr_uplink, 0);
	assert_int_equal(q.gbr_downlink, 0);
}

static void
test_gtpv2c_parse_open5gs_create_session_response(void **state)
{
	struct gtpv2c_msg m;
	struct gtpv2c_ies bc;
	struct gtpv2c_paa paa;
	struct gtpv2c_bearer_qos q;
	uint32_t charging;
	uint8_t ebi;

	(void)state;
	assert_int_equal(gtpv2c_parse(csrsp_open5gs, sizeof(csrsp_open5gs), &m), VPG_DROP_NONE);
	assert_int_equal(m.type, GTPV2C_CREATE_SESSION_RSP);
	assert_int_equal(m.teid, 0x00b96242);
	assert_int_equal(m.seq, 603);
	check_cause(&m.ies, GTPV2C_CAUSE_REQUEST_ACCEPTED);
	check_fteid(
	    must_find(&m.ies, GTPV2C_IE_FTEID, 1), GTPV2C_IF_S5S8_PGW_C, 0x7d3, IP4(172, 31, 1, 2));
	assert_int_equal(gtpv2c_ie_paa(must_find(&m.ies, GTPV2C_IE_PAA, 0), &paa), 0);
	assert_int_equal(paa.ipv4_be, IP4(10, 45, 0, 2));
	assert_int_equal(gtpv2c_parse_grouped(must_find(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0), &bc),
	    VPG_DROP_NONE);
	assert_int_equal(gtpv2c_ie_ebi(must_find(&bc, GTPV2C_IE_EBI, 0), &ebi), 0);
	assert_int_equal(ebi, 5);
	check_fteid(
	    must_find(&bc, GTPV2C_IE_FTEID, 2), GTPV2C_IF_S5S8_PGW_U, 0x1686, IP4(172, 31, 2, 2));
	assert_int_equal(gtpv2c_ie_bearer_qos(must_find(&bc, GTPV2C_IE_BEARER_QOS, 0), &q), 0);
	assert_int_equal(q.qci, 0);
	check_cause(&bc, GTPV2C_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(gtpv2c_ie_u32(must_find(&bc, GTPV2C_IE_CHARGING_ID, 0), &charging), 0);
	assert_int_equal(charging, 1);
}

static void
test_gtpv2c_parse_open5gs_create_session_response_ambr(void **state)
{
	struct gtpv2c_msg m;
	struct gtpv2c_ambr ambr;
	struct gtpv2c_ies bc;

	(void)state;
	assert_int_equal(
	    gtpv2c_parse(csrsp_open5gs_ambr, sizeof(csrsp_open5gs_ambr), &m), VPG_DROP_NONE);
	assert_int_equal(m.seq, 700);
	assert_int_equal(gtpv2c_ie_ambr(must_find(&m.ies, GTPV2C_IE_AMBR, 0), &ambr), 0);
	assert_int_equal(ambr.uplink_kbps, 1000);
	assert_int_equal(ambr.downlink_kbps, 2000);
	assert_int_equal(gtpv2c_parse_grouped(must_find(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0), &bc),
	    VPG_DROP_NONE);
	assert_null(gtpv2c_find(&bc, GTPV2C_IE_BEARER_QOS, 0));
	check_fteid(
	    must_find(&bc, GTPV2C_IE_FTEID, 2), GTPV2C_IF_S5S8_PGW_U, 0x33fb, IP4(172, 31, 2, 2));
}

static void
test_gtpv2c_parse_delete_session_request_and_response(void **state)
{
	struct gtpv2c_msg m;
	uint8_t ebi;

	(void)state;
	assert_int_equal(gtpv2c_parse(dsr_scapy, sizeof(dsr_scapy), &m), VPG_DROP_NONE);
	assert_int_equal(m.type, GTPV2C_DELETE_SESSION_REQ);
	assert_int_equal(m.teid, 0x7d3);
	assert_int_equal(m.seq, 604);
	assert_int_equal(gtpv2c_ie_ebi(must_find(&m.ies, GTPV2C_IE_EBI, 0), &ebi), 0);
	assert_int_equal(ebi, 5);
	assert_int_equal(gtpv2c_parse(dsrsp_open5gs, sizeof(dsrsp_open5gs), &m), VPG_DROP_NONE);
	assert_int_equal(m.type, GTPV2C_DELETE_SESSION_RSP);
	assert_int_equal(m.teid, 0x00b96242);
	check_cause(&m.ies, GTPV2C_CAUSE_REQUEST_ACCEPTED);
}

/* Header edge cases. */

static void
test_gtpv2c_parse_shorter_than_header_too_short(void **state)
{
	static const uint8_t echo[] = { 0x40, 0x01, 0x00, 0x04, 0x00, 0x00, 0x01, 0x00 };
	static const uint8_t csr[] = { 0x48, 0x20, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x01, 0x00 };
	struct gtpv2c_msg m;
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(echo); n++)
		assert_int_equal(gtpv2c_parse(echo, n, &m), VPG_DROP_GTPV2C_TOO_SHORT);
	/* With T, 12 octets: 8 are not enough. */
	for (n = 4; n < sizeof(csr); n++)
		assert_int_equal(gtpv2c_parse(csr, n, &m), VPG_DROP_GTPV2C_TOO_SHORT);
	assert_int_equal(gtpv2c_parse(echo, sizeof(echo), &m), VPG_DROP_NONE);
	assert_int_equal(gtpv2c_parse(csr, sizeof(csr), &m), VPG_DROP_NONE);
}

static void
test_gtpv2c_parse_gtpv1_echo_bad_version_with_fields(void **state)
{
	/* A GTPv1-C Echo Request (TS 29.060): flags 0x32 (S), seq 0x0401. */
	static const uint8_t v1[] = { 0x32, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01,
		0x00, 0x00 };
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(v1, sizeof(v1), &m), VPG_DROP_GTPV2C_BAD_VERSION);
	assert_int_equal(m.version, 1);
	assert_int_equal(m.type, 1);
	assert_int_equal(m.seq, 0x0401);
	/* Without room for the sequence number, it stays 0. */
	assert_int_equal(gtpv2c_parse(v1, 9, &m), VPG_DROP_GTPV2C_BAD_VERSION);
	assert_int_equal(m.seq, 0);
}

static void
test_gtpv2c_parse_other_versions_bad_version(void **state)
{
	static const uint8_t v0[] = { 0x1e, 0x01, 0x00, 0x00, 0x12, 0x34, 0x00, 0x00 };
	static const uint8_t v3[] = { 0x60, 0x20, 0x00, 0x04, 0x00, 0x00, 0x05, 0x00 };
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(v0, sizeof(v0), &m), VPG_DROP_GTPV2C_BAD_VERSION);
	assert_int_equal(m.version, 0);
	assert_int_equal(m.seq, 0x1234);
	assert_int_equal(gtpv2c_parse(v3, sizeof(v3), &m), VPG_DROP_GTPV2C_BAD_VERSION);
	assert_int_equal(m.version, 3);
	assert_int_equal(m.type, 0x20);
	assert_int_equal(m.seq, 0);
}

static void
test_gtpv2c_parse_length_past_datagram_bad_length(void **state)
{
	uint8_t b[sizeof(built_echo_rsp)];
	struct gtpv2c_msg m;

	(void)state;
	memcpy(b, built_echo_rsp, sizeof(b));
	b[3]++;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_GTPV2C_BAD_LENGTH);
	assert_int_equal(m.type, GTPV2C_ECHO_RSP);
	/* Shorter than the header it describes. */
	b[3] = 3;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_GTPV2C_BAD_LENGTH);
}

static void
test_gtpv2c_parse_scapy_length_as_sent_bad_length(void **state)
{
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(dsr_scapy_as_sent, sizeof(dsr_scapy_as_sent), &m),
	    VPG_DROP_GTPV2C_BAD_LENGTH);
	assert_int_equal(m.type, GTPV2C_DELETE_SESSION_REQ);
	assert_int_equal(m.seq, 604);
}

static void
test_gtpv2c_parse_trailing_octets_without_p_bad_length(void **state)
{
	uint8_t b[sizeof(built_echo_rsp) + 1];
	struct gtpv2c_msg m;

	(void)state;
	memcpy(b, built_echo_rsp, sizeof(built_echo_rsp));
	b[sizeof(built_echo_rsp)] = 0;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_GTPV2C_BAD_LENGTH);
}

static void
test_gtpv2c_parse_piggyback_parses_first_message_only(void **state)
{
	uint8_t b[sizeof(csrsp_open5gs) + sizeof(built_delete_bearer_req)];
	struct gtpv2c_msg m;

	(void)state;
	memcpy(b, csrsp_open5gs, sizeof(csrsp_open5gs));
	memcpy(b + sizeof(csrsp_open5gs), built_delete_bearer_req, sizeof(built_delete_bearer_req));
	b[0] |= 0x10;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_NONE);
	assert_true(m.piggyback);
	assert_int_equal(m.type, GTPV2C_CREATE_SESSION_RSP);
	assert_int_equal(m.ies.n, 5);
	assert_null(gtpv2c_find(&m.ies, GTPV2C_IE_EBI, 0));
}

static void
test_gtpv2c_parse_echo_without_teid(void **state)
{
	struct gtpv2c_msg m;
	uint8_t rc;

	(void)state;
	assert_int_equal(gtpv2c_parse(built_echo_rsp, sizeof(built_echo_rsp), &m), VPG_DROP_NONE);
	assert_false(m.has_teid);
	assert_int_equal(m.teid, 0);
	assert_int_equal(m.seq, 42);
	assert_int_equal(m.length, 9);
	assert_int_equal(gtpv2c_ie_u8(must_find(&m.ies, GTPV2C_IE_RECOVERY, 0), &rc), 0);
	assert_int_equal(rc, 7);
}

static void
test_gtpv2c_parse_other_type_without_teid_parsed(void **state)
{
	/* A Delete Session Request with T = 0: the role decides what to do with it. */
	static const uint8_t b[] = { 0x40, 0x24, 0x00, 0x09, 0x00, 0x00, 0x07, 0x00, 0x49, 0x00,
		0x01, 0x00, 0x05 };
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_NONE);
	assert_false(m.has_teid);
	assert_int_equal(m.type, GTPV2C_DELETE_SESSION_REQ);
	assert_int_equal(m.seq, 7);
	assert_int_equal(m.ies.n, 1);
}

static void
test_gtpv2c_parse_seq_24_bits_and_mp_flag(void **state)
{
	/* MP set, message priority 0xa in the spare octet: neither changes the sequence. */
	static const uint8_t b[] = { 0x4c, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0xfe, 0xdc,
		0xba, 0xa0 };
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_NONE);
	assert_true(m.has_teid);
	assert_int_equal(m.teid, 1);
	assert_int_equal(m.seq, 0xfedcba);
	assert_int_equal(m.ies.n, 0);
}

/* An Echo Request carrying n Private Extension IEs (value: one octet). */
static size_t
echo_with_ies(uint8_t *b, size_t cap, unsigned n)
{
	struct vpg_wr w;
	size_t h;
	unsigned i;

	wr_init(&w, b, cap);
	h = gtpv2c_build_header(&w, GTPV2C_ECHO_REQ, false, 0, 1);
	for (i = 0; i < n; i++)
		gtpv2c_put_u8(&w, GTPV2C_IE_PRIVATE_EXTENSION, 0, (uint8_t)i);
	gtpv2c_build_finish(&w, h);
	assert_false(w.overflow);
	return w.len;
}

static void
test_gtpv2c_parse_too_many_ies_bad_ie(void **state)
{
	uint8_t b[512];
	struct gtpv2c_msg m;
	size_t n;

	(void)state;
	n = echo_with_ies(b, sizeof(b), GTPV2C_MAX_IES);
	assert_int_equal(gtpv2c_parse(b, n, &m), VPG_DROP_NONE);
	assert_int_equal(m.ies.n, GTPV2C_MAX_IES);
	n = echo_with_ies(b, sizeof(b), GTPV2C_MAX_IES + 1);
	assert_int_equal(gtpv2c_parse(b, n, &m), VPG_DROP_GTPV2C_BAD_IE);
	assert_int_equal(m.type, GTPV2C_ECHO_REQ);
	assert_int_equal(m.seq, 1);
}

static void
test_gtpv2c_parse_ie_past_message_bad_ie_with_header(void **state)
{
	uint8_t b[sizeof(dsr_scapy)];
	struct gtpv2c_msg m;

	(void)state;
	memcpy(b, dsr_scapy, sizeof(b));
	b[14] = 2; /* the EBI's length: 2, one octet past the message */
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_GTPV2C_BAD_IE);
	assert_int_equal(m.type, GTPV2C_DELETE_SESSION_REQ);
	assert_int_equal(m.teid, 0x7d3);
	assert_int_equal(m.seq, 604);
}

static void
test_gtpv2c_parse_truncated_ie_header_bad_ie(void **state)
{
	/* Three octets after the header: not even an IE header. */
	static const uint8_t b[] = { 0x40, 0x01, 0x00, 0x07, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00,
		0x01 };
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_GTPV2C_BAD_IE);
}

static void
test_gtpv2c_parse_grouped_inner_ie_past_group_bad_ie(void **state)
{
	/* Bearer Context of 5 octets whose EBI says 2 octets of value: 1 past the group. */
	static const uint8_t b[] = { 0x48, 0x24, 0x00, 0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x02, 0x00, 0x5d, 0x00, 0x05, 0x00, 0x49, 0x00, 0x02, 0x00, 0x05 };
	struct gtpv2c_msg m;
	struct gtpv2c_ies bc;

	(void)state;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_NONE);
	assert_int_equal(m.ies.n, 1);
	assert_int_equal(gtpv2c_parse_grouped(must_find(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0), &bc),
	    VPG_DROP_GTPV2C_BAD_IE);
}

static void
test_gtpv2c_parse_instance_ignores_spare_bits(void **state)
{
	/* Recovery with the instance octet 0xf1: spare (old CR) bits set, instance 1. */
	static const uint8_t b[] = { 0x40, 0x01, 0x00, 0x09, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00,
		0x01, 0xf1, 0x09 };
	struct gtpv2c_msg m;

	(void)state;
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_NONE);
	assert_int_equal(m.ies.ie[0].instance, 1);
	assert_non_null(gtpv2c_find(&m.ies, GTPV2C_IE_RECOVERY, 1));
	assert_null(gtpv2c_find(&m.ies, GTPV2C_IE_RECOVERY, 0));
}

static void
test_gtpv2c_find_nth_and_count_repeated_bearer_contexts(void **state)
{
	uint8_t b[128];
	struct vpg_wr w;
	struct gtpv2c_msg m;
	struct gtpv2c_ies bc;
	size_t h, g;
	uint8_t ebi, i;

	(void)state;
	wr_init(&w, b, sizeof(b));
	h = gtpv2c_build_header(&w, GTPV2C_DELETE_BEARER_REQ, true, 9, 9);
	for (i = 5; i <= 7; i++) {
		g = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
		gtpv2c_put_ebi(&w, 0, i);
		gtpv2c_group_end(&w, g);
	}
	gtpv2c_build_finish(&w, h);
	assert_false(w.overflow);
	assert_int_equal(gtpv2c_parse(b, w.len, &m), VPG_DROP_NONE);
	assert_int_equal(gtpv2c_count(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0), 3);
	assert_int_equal(gtpv2c_count(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 1), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(gtpv2c_parse_grouped(
				     gtpv2c_find_nth(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0, i), &bc),
		    VPG_DROP_NONE);
		assert_int_equal(gtpv2c_ie_ebi(must_find(&bc, GTPV2C_IE_EBI, 0), &ebi), 0);
		assert_int_equal(ebi, 5 + i);
	}
	assert_null(gtpv2c_find_nth(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0, 3));
}

static void
test_gtpv2c_type_names_and_requests(void **state)
{
	(void)state;
	assert_string_equal(gtpv2c_type_name(GTPV2C_ECHO_REQ), "echo_request");
	assert_string_equal(gtpv2c_type_name(GTPV2C_ECHO_RSP), "echo_response");
	assert_string_equal(
	    gtpv2c_type_name(GTPV2C_VERSION_NOT_SUPPORTED), "version_not_supported");
	assert_string_equal(gtpv2c_type_name(GTPV2C_CREATE_SESSION_REQ), "create_session_request");
	assert_string_equal(gtpv2c_type_name(GTPV2C_CREATE_SESSION_RSP), "create_session_response");
	assert_string_equal(gtpv2c_type_name(GTPV2C_MODIFY_BEARER_REQ), "modify_bearer_request");
	assert_string_equal(gtpv2c_type_name(GTPV2C_MODIFY_BEARER_RSP), "modify_bearer_response");
	assert_string_equal(gtpv2c_type_name(GTPV2C_DELETE_SESSION_REQ), "delete_session_request");
	assert_string_equal(gtpv2c_type_name(GTPV2C_DELETE_SESSION_RSP), "delete_session_response");
	assert_string_equal(gtpv2c_type_name(GTPV2C_MODIFY_BEARER_CMD), "modify_bearer_command");
	assert_string_equal(
	    gtpv2c_type_name(GTPV2C_MODIFY_BEARER_FAILURE_IND), "modify_bearer_failure_indication");
	assert_string_equal(gtpv2c_type_name(GTPV2C_UPDATE_BEARER_REQ), "update_bearer_request");
	assert_string_equal(gtpv2c_type_name(GTPV2C_UPDATE_BEARER_RSP), "update_bearer_response");
	assert_string_equal(gtpv2c_type_name(GTPV2C_DELETE_BEARER_REQ), "delete_bearer_request");
	assert_string_equal(gtpv2c_type_name(GTPV2C_DELETE_BEARER_RSP), "delete_bearer_response");
	assert_string_equal(gtpv2c_type_name(200), "unknown");
	assert_true(gtpv2c_type_is_request(GTPV2C_ECHO_REQ));
	assert_true(gtpv2c_type_is_request(GTPV2C_CREATE_SESSION_REQ));
	assert_true(gtpv2c_type_is_request(GTPV2C_MODIFY_BEARER_REQ));
	assert_true(gtpv2c_type_is_request(GTPV2C_DELETE_SESSION_REQ));
	assert_true(gtpv2c_type_is_request(GTPV2C_MODIFY_BEARER_CMD));
	assert_true(gtpv2c_type_is_request(GTPV2C_UPDATE_BEARER_REQ));
	assert_true(gtpv2c_type_is_request(GTPV2C_DELETE_BEARER_REQ));
	assert_false(gtpv2c_type_is_request(GTPV2C_ECHO_RSP));
	assert_false(gtpv2c_type_is_request(GTPV2C_VERSION_NOT_SUPPORTED));
	assert_false(gtpv2c_type_is_request(GTPV2C_CREATE_SESSION_RSP));
	assert_false(gtpv2c_type_is_request(GTPV2C_MODIFY_BEARER_FAILURE_IND));
	assert_false(gtpv2c_type_is_request(GTPV2C_DELETE_BEARER_RSP));
	assert_false(gtpv2c_type_is_request(200));
}

/* Decoders: good and malformed values. */

static void
test_gtpv2c_ie_imsi_good_and_malformed(void **state)
{
	static const uint8_t good[] = { 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	static const uint8_t nine[] = { 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1, 0xff };
	static const uint8_t bad_nibble[] = { 0x99, 0x0a };
	static const uint8_t sixteen[] = { 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0x11 };
	struct gtpv2c_ie ie;
	char out[16];

	(void)state;
	ie = ie_of(GTPV2C_IE_IMSI, good, sizeof(good));
	assert_int_equal(gtpv2c_ie_imsi(&ie, out), 0);
	assert_string_equal(out, "999010000000001");
	ie = ie_of(GTPV2C_IE_IMSI, good, 1);
	assert_int_equal(gtpv2c_ie_imsi(&ie, out), 0);
	assert_string_equal(out, "99");
	ie = ie_of(GTPV2C_IE_IMSI, nine, sizeof(nine));
	assert_int_equal(gtpv2c_ie_imsi(&ie, out), -1);
	ie = ie_of(GTPV2C_IE_IMSI, bad_nibble, sizeof(bad_nibble));
	assert_int_equal(gtpv2c_ie_imsi(&ie, out), -1);
	assert_string_equal(out, "");
	ie = ie_of(GTPV2C_IE_IMSI, sixteen, sizeof(sixteen));
	assert_int_equal(gtpv2c_ie_imsi(&ie, out), -1);
	ie = ie_of(GTPV2C_IE_IMSI, good, 0);
	assert_int_equal(gtpv2c_ie_imsi(&ie, out), -1);
}

static void
test_gtpv2c_ie_msisdn_and_mei_good_and_malformed(void **state)
{
	static const uint8_t msisdn[] = { 0x18, 0x09, 0x21, 0x43, 0x65, 0x87 };
	static const uint8_t imeisv[] = { 0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13, 0x09 };
	static const uint8_t nine[] = { 0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13, 0x09, 0xff };
	static const uint8_t bad[] = { 0x1c };
	struct gtpv2c_ie ie;
	char m[24], e[17];

	(void)state;
	ie = ie_of(GTPV2C_IE_MSISDN, msisdn, sizeof(msisdn));
	assert_int_equal(gtpv2c_ie_msisdn(&ie, m), 0);
	assert_string_equal(m, "819012345678");
	ie = ie_of(GTPV2C_IE_MSISDN, bad, sizeof(bad));
	assert_int_equal(gtpv2c_ie_msisdn(&ie, m), -1);
	ie = ie_of(GTPV2C_IE_MSISDN, msisdn, 0);
	assert_int_equal(gtpv2c_ie_msisdn(&ie, m), -1);
	ie = ie_of(GTPV2C_IE_MEI, imeisv, sizeof(imeisv));
	assert_int_equal(gtpv2c_ie_mei(&ie, e), 0);
	assert_string_equal(e, "3534900698733190");
	ie = ie_of(GTPV2C_IE_MEI, nine, sizeof(nine));
	assert_int_equal(gtpv2c_ie_mei(&ie, e), -1);
	ie = ie_of(GTPV2C_IE_MEI, bad, sizeof(bad));
	assert_int_equal(gtpv2c_ie_mei(&ie, e), -1);
}

static void
test_gtpv2c_ie_apn_good_and_malformed(void **state)
{
	static const uint8_t good[] = { 3, 'a', 'p', 'n', 4, 'c', 'o', 'r', 'p' };
	static const uint8_t empty_label[] = { 3, 'a', 'p', 'n', 0 };
	static const uint8_t past[] = { 5, 'a', 'p', 'n' };
	struct gtpv2c_ie ie;
	char out[32];

	(void)state;
	ie = ie_of(GTPV2C_IE_APN, good, sizeof(good));
	assert_int_equal(gtpv2c_ie_apn(&ie, out, sizeof(out)), 0);
	assert_string_equal(out, "apn.corp");
	assert_int_equal(gtpv2c_ie_apn(&ie, out, 8), -1);
	ie = ie_of(GTPV2C_IE_APN, empty_label, sizeof(empty_label));
	assert_int_equal(gtpv2c_ie_apn(&ie, out, sizeof(out)), -1);
	ie = ie_of(GTPV2C_IE_APN, past, sizeof(past));
	assert_int_equal(gtpv2c_ie_apn(&ie, out, sizeof(out)), -1);
	ie = ie_of(GTPV2C_IE_APN, good, 0);
	assert_int_equal(gtpv2c_ie_apn(&ie, out, sizeof(out)), -1);
}

/*
 * tests/fuzz/regress/gtpv2c/apn_label_over_63.bin: a 70-octet label was read
 * but gtpv2c_put_apn could not write it back (RFC 1035 §2.3.4: at most 63).
 */
static void
test_gtpv2c_ie_apn_label_over_63_fails(void **state)
{
	uint8_t v[71];
	struct gtpv2c_ie ie;
	char out[128];

	(void)state;
	memset(v, 'a', sizeof(v));
	v[0] = 70;
	ie = ie_of(GTPV2C_IE_APN, v, sizeof(v));
	assert_int_equal(gtpv2c_ie_apn(&ie, out, sizeof(out)), -1);
	v[0] = 63;
	ie = ie_of(GTPV2C_IE_APN, v, 64);
	assert_int_equal(gtpv2c_ie_apn(&ie, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 63);
}

static void
test_gtpv2c_ie_u8_u32_ebi_reject_short(void **state)
{
	static const uint8_t v[] = { 0xf6, 0x02, 0x03, 0x04, 0x05 };
	struct gtpv2c_ie ie;
	uint32_t u32;
	uint8_t u8, ebi;

	(void)state;
	ie = ie_of(GTPV2C_IE_CHARGING_ID, v, 4);
	assert_int_equal(gtpv2c_ie_u32(&ie, &u32), 0);
	assert_int_equal(u32, 0xf6020304);
	ie = ie_of(GTPV2C_IE_CHARGING_ID, v, 5); /* a longer value: the first 4 */
	assert_int_equal(gtpv2c_ie_u32(&ie, &u32), 0);
	assert_int_equal(u32, 0xf6020304);
	ie = ie_of(GTPV2C_IE_CHARGING_ID, v, 3);
	assert_int_equal(gtpv2c_ie_u32(&ie, &u32), -1);
	ie = ie_of(GTPV2C_IE_EBI, v, 1);
	assert_int_equal(gtpv2c_ie_u8(&ie, &u8), 0);
	assert_int_equal(u8, 0xf6);
	assert_int_equal(gtpv2c_ie_ebi(&ie, &ebi), 0);
	assert_int_equal(ebi, 6); /* the spare high bits are not the EBI */
	ie = ie_of(GTPV2C_IE_EBI, v, 0);
	assert_int_equal(gtpv2c_ie_u8(&ie, &u8), -1);
	assert_int_equal(gtpv2c_ie_ebi(&ie, &ebi), -1);
}

static void
test_gtpv2c_ie_fteid_ipv4_ipv6_both(void **state)
{
	static const uint8_t v4[] = { 0x87, 0x00, 0x00, 0x07, 0xd3, 172, 31, 1, 2 };
	static const uint8_t v6[] = { 0x45, 0, 0, 0, 9, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 1 };
	static const uint8_t both[] = { 0xc1, 0, 0, 0, 9, 192, 0, 2, 1, 0x20, 0x01, 0x0d, 0xb8, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	struct gtpv2c_ie ie;
	struct gtpv2c_fteid f;

	(void)state;
	ie = ie_of(GTPV2C_IE_FTEID, v4, sizeof(v4));
	check_fteid(&ie, GTPV2C_IF_S5S8_PGW_C, 0x7d3, IP4(172, 31, 1, 2));
	ie = ie_of(GTPV2C_IE_FTEID, v6, sizeof(v6));
	assert_int_equal(gtpv2c_ie_fteid(&ie, &f), 0);
	assert_int_equal(f.iface, GTPV2C_IF_S5S8_PGW_U);
	assert_false(f.has_ipv4);
	assert_true(f.has_ipv6);
	assert_int_equal(f.ipv6[0], 0x20);
	assert_int_equal(f.ipv6[15], 1);
	ie = ie_of(GTPV2C_IE_FTEID, both, sizeof(both));
	assert_int_equal(gtpv2c_ie_fteid(&ie, &f), 0);
	assert_int_equal(f.iface, GTPV2C_IF_S1U_SGW);
	assert_true(f.has_ipv4 && f.has_ipv6);
	assert_int_equal(f.ipv4_be, IP4(192, 0, 2, 1));
	assert_int_equal(f.ipv6[15], 2);
}

static void
test_gtpv2c_ie_fteid_malformed(void **state)
{
	static const uint8_t none[] = { 0x07, 0, 0, 0, 1 };
	static const uint8_t v4[] = { 0x87, 0x00, 0x00, 0x07, 0xd3, 172, 31, 1, 2 };
	static const uint8_t v6_short[] = { 0x45, 0, 0, 0, 9, 0x20, 0x01, 0x0d, 0xb8 };
	struct gtpv2c_ie ie;
	struct gtpv2c_fteid f;

	(void)state;
	ie = ie_of(GTPV2C_IE_FTEID, none, sizeof(none));
	assert_int_equal(gtpv2c_ie_fteid(&ie, &f), -1);
	ie = ie_of(GTPV2C_IE_FTEID, v4, sizeof(v4) - 1);
	assert_int_equal(gtpv2c_ie_fteid(&ie, &f), -1);
	ie = ie_of(GTPV2C_IE_FTEID, v4, 4);
	assert_int_equal(gtpv2c_ie_fteid(&ie, &f), -1);
	ie = ie_of(GTPV2C_IE_FTEID, v6_short, sizeof(v6_short));
	assert_int_equal(gtpv2c_ie_fteid(&ie, &f), -1);
}

static void
test_gtpv2c_ie_paa_every_pdn_type(void **state)
{
	static const uint8_t v4[] = { 0xf9, 10, 10, 0, 50 }; /* spare bits set */
	static const uint8_t v6[] = { 0x02, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0 };
	static const uint8_t v46[] = { 0x03, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 10, 10, 0, 51 };
	static const uint8_t non_ip[] = { 0x04 };
	struct gtpv2c_ie ie;
	struct gtpv2c_paa p;

	(void)state;
	ie = ie_of(GTPV2C_IE_PAA, v4, sizeof(v4));
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), 0);
	assert_int_equal(p.pdn_type, GTPV2C_PDN_IPV4);
	assert_int_equal(p.ipv4_be, IP4(10, 10, 0, 50));
	ie = ie_of(GTPV2C_IE_PAA, v6, sizeof(v6));
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), 0);
	assert_int_equal(p.pdn_type, GTPV2C_PDN_IPV6);
	assert_int_equal(p.ipv6_prefix_len, 64);
	assert_int_equal(p.ipv6[5], 1);
	assert_int_equal(p.ipv4_be, 0);
	ie = ie_of(GTPV2C_IE_PAA, v46, sizeof(v46));
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), 0);
	assert_int_equal(p.pdn_type, GTPV2C_PDN_IPV4V6);
	assert_int_equal(p.ipv6_prefix_len, 64);
	assert_int_equal(p.ipv4_be, IP4(10, 10, 0, 51));
	ie = ie_of(GTPV2C_IE_PAA, non_ip, sizeof(non_ip));
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), 0);
	assert_int_equal(p.pdn_type, GTPV2C_PDN_NON_IP);
}

static void
test_gtpv2c_ie_paa_malformed(void **state)
{
	static const uint8_t v46[] = { 0x03, 64, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 10, 10, 0, 51 };
	static const uint8_t prefix129[] = { 0x02, 129, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0 };
	static const uint8_t spare_type[] = { 0x06, 1, 2, 3, 4 };
	static const uint8_t v4[] = { 0x01, 10, 10, 0 };
	struct gtpv2c_ie ie;
	struct gtpv2c_paa p;

	(void)state;
	ie = ie_of(GTPV2C_IE_PAA, v46, sizeof(v46) - 1);
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), -1);
	ie = ie_of(GTPV2C_IE_PAA, v46, 17); /* the IPv6 address cut short */
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), -1);
	ie = ie_of(GTPV2C_IE_PAA, prefix129, sizeof(prefix129));
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), -1);
	ie = ie_of(GTPV2C_IE_PAA, spare_type, sizeof(spare_type));
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), -1);
	ie = ie_of(GTPV2C_IE_PAA, v4, sizeof(v4));
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), -1);
	ie = ie_of(GTPV2C_IE_PAA, v4, 0);
	assert_int_equal(gtpv2c_ie_paa(&ie, &p), -1);
}

static void
test_gtpv2c_ie_ambr_good_and_short(void **state)
{
	static const uint8_t v[] = { 0, 0, 0x03, 0xe8, 0, 0, 0x07, 0xd0 };
	struct gtpv2c_ie ie;
	struct gtpv2c_ambr a;

	(void)state;
	ie = ie_of(GTPV2C_IE_AMBR, v, sizeof(v));
	assert_int_equal(gtpv2c_ie_ambr(&ie, &a), 0);
	assert_int_equal(a.uplink_kbps, 1000);
	assert_int_equal(a.downlink_kbps, 2000);
	ie = ie_of(GTPV2C_IE_AMBR, v, 7);
	assert_int_equal(gtpv2c_ie_ambr(&ie, &a), -1);
}

static void
test_gtpv2c_ie_bearer_qos_arp_bits_and_rates(void **state)
{
	/* PCI 0 (enabled), PL 15, PVI 1 (disabled): 0x3d; QCI 1; 40-bit rates. */
	static const uint8_t v[] = { 0x3d, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x07, 0xd0,
		0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
	struct gtpv2c_ie ie;
	struct gtpv2c_bearer_qos q;

	(void)state;
	ie = ie_of(GTPV2C_IE_BEARER_QOS, v, sizeof(v));
	assert_int_equal(gtpv2c_ie_bearer_qos(&ie, &q), 0);
	assert_int_equal(q.pci, 0);
	assert_int_equal(q.priority_level, 15);
	assert_int_equal(q.pvi, 1);
	assert_int_equal(q.qci, 1);
	assert_int_equal(q.mbr_uplink, 0xffffffffffULL);
	assert_int_equal(q.mbr_downlink, 2000);
	assert_int_equal(q.gbr_uplink, 0x100000000ULL);
	assert_int_equal(q.gbr_downlink, 1);
	ie = ie_of(GTPV2C_IE_BEARER_QOS, v, sizeof(v) - 1);
	assert_int_equal(gtpv2c_ie_bearer_qos(&ie, &q), -1);
}

static void
test_gtpv2c_ie_serving_network_two_and_three_digit_mnc(void **state)
{
	static const uint8_t two[] = { 0x00, 0xf1, 0x10 };
	static const uint8_t three[] = { 0x13, 0x00, 0x14 };
	static const uint8_t bad_mcc[] = { 0x0a, 0xf1, 0x10 };
	static const uint8_t bad_mnc[] = { 0x00, 0xe1, 0x10 };
	struct gtpv2c_ie ie;
	struct gtpv2c_plmn p;

	(void)state;
	ie = ie_of(GTPV2C_IE_SERVING_NETWORK, two, sizeof(two));
	assert_int_equal(gtpv2c_ie_serving_network(&ie, &p), 0);
	assert_string_equal(p.mcc, "001");
	assert_string_equal(p.mnc, "01");
	ie = ie_of(GTPV2C_IE_SERVING_NETWORK, three, sizeof(three));
	assert_int_equal(gtpv2c_ie_serving_network(&ie, &p), 0);
	assert_string_equal(p.mcc, "310");
	assert_string_equal(p.mnc, "410");
	ie = ie_of(GTPV2C_IE_SERVING_NETWORK, bad_mcc, sizeof(bad_mcc));
	assert_int_equal(gtpv2c_ie_serving_network(&ie, &p), -1);
	assert_string_equal(p.mcc, "");
	ie = ie_of(GTPV2C_IE_SERVING_NETWORK, bad_mnc, sizeof(bad_mnc));
	assert_int_equal(gtpv2c_ie_serving_network(&ie, &p), -1);
	ie = ie_of(GTPV2C_IE_SERVING_NETWORK, two, 2);
	assert_int_equal(gtpv2c_ie_serving_network(&ie, &p), -1);
}

static void
test_gtpv2c_ie_cause_flags_and_offending_ie(void **state)
{
	static const uint8_t flags[] = { 64, 0x07 };
	static const uint8_t offending[] = { 70, 0x00, 87, 0x00, 0x00, 0xf2 };
	struct gtpv2c_ie ie;
	struct gtpv2c_cause_ie c;

	(void)state;
	ie = ie_of(GTPV2C_IE_CAUSE, flags, sizeof(flags));
	assert_int_equal(gtpv2c_ie_cause(&ie, &c), 0);
	assert_int_equal(c.cause, GTPV2C_CAUSE_CONTEXT_NOT_FOUND);
	assert_true(c.pce && c.bce && c.cs);
	assert_false(c.has_offending);
	ie = ie_of(GTPV2C_IE_CAUSE, offending, sizeof(offending));
	assert_int_equal(gtpv2c_ie_cause(&ie, &c), 0);
	assert_int_equal(c.cause, GTPV2C_CAUSE_MANDATORY_IE_MISSING);
	assert_false(c.pce || c.bce || c.cs);
	assert_true(c.has_offending);
	assert_int_equal(c.offending_type, GTPV2C_IE_FTEID);
	assert_int_equal(c.offending_instance, 2);
	ie = ie_of(GTPV2C_IE_CAUSE, offending, 5);
	assert_int_equal(gtpv2c_ie_cause(&ie, &c), 0);
	assert_false(c.has_offending);
	ie = ie_of(GTPV2C_IE_CAUSE, flags, 1);
	assert_int_equal(gtpv2c_ie_cause(&ie, &c), -1);
}

/* Builders: the tshark-checked vectors, round trips, limits. */

static const struct gtpv2c_bearer_qos qos = { .pci = 1,
	.priority_level = 8,
	.pvi = 0,
	.qci = 9,
	.mbr_uplink = 0x123456789aULL,
	.mbr_downlink = 2000,
	.gbr_uplink = 0,
	.gbr_downlink = 1 };
static const struct gtpv2c_ambr ambr = { 1000, 2000 };

static void
test_gtpv2c_build_echo_response_matches_vector(void **state)
{
	uint8_t b[64];
	struct vpg_wr w;
	size_t h;

	(void)state;
	wr_init(&w, b, sizeof(b));
	h = gtpv2c_build_header(&w, GTPV2C_ECHO_RSP, false, 0, 42);
	gtpv2c_put_recovery(&w, 7);
	gtpv2c_build_finish(&w, h);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(built_echo_rsp));
	assert_memory_equal(b, built_echo_rsp, sizeof(built_echo_rsp));
}

static size_t
build_create_session_response(uint8_t *b, size_t cap)
{
	struct vpg_wr w;
	size_t h, g;

	wr_init(&w, b, cap);
	h = gtpv2c_build_header(&w, GTPV2C_CREATE_SESSION_RSP, true, 0x00b96242, 603);
	gtpv2c_put_cause(&w, GTPV2C_CAUSE_REQUEST_ACCEPTED, 0, 0);
	gtpv2c_put_fteid(&w, 1, GTPV2C_IF_S5S8_PGW_C, 0x0a000001, IP4(192, 0, 2, 2));
	gtpv2c_put_paa_ipv4(&w, IP4(10, 10, 0, 50));
	gtpv2c_put_u8(&w, GTPV2C_IE_APN_RESTRICTION, 0, 0);
	gtpv2c_put_ambr(&w, &ambr);
	gtpv2c_put_recovery(&w, 3);
	g = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ebi(&w, 0, 5);
	gtpv2c_put_cause(&w, GTPV2C_CAUSE_REQUEST_ACCEPTED, 0, 0);
	gtpv2c_put_fteid(&w, 2, GTPV2C_IF_S5S8_PGW_U, 0x0a000002, IP4(192, 0, 2, 2));
	gtpv2c_put_bearer_qos(&w, &qos);
	gtpv2c_put_u32(&w, GTPV2C_IE_CHARGING_ID, 0, 42);
	gtpv2c_group_end(&w, g);
	gtpv2c_build_finish(&w, h);
	return w.overflow ? 0 : w.len;
}

static void
test_gtpv2c_build_create_session_response_matches_vector(void **state)
{
	uint8_t b[256];

	(void)state;
	assert_int_equal(
	    build_create_session_response(b, sizeof(b)), sizeof(built_create_session_rsp));
	assert_memory_equal(b, built_create_session_rsp, sizeof(built_create_session_rsp));
}

static void
test_gtpv2c_build_create_session_response_round_trip(void **state)
{
	uint8_t b[256];
	struct gtpv2c_msg m;
	struct gtpv2c_ies bc;
	struct gtpv2c_bearer_qos q;
	struct gtpv2c_ambr a;
	struct gtpv2c_paa paa;
	size_t n = build_create_session_response(b, sizeof(b));

	(void)state;
	assert_int_equal(gtpv2c_parse(b, n, &m), VPG_DROP_NONE);
	assert_int_equal(m.teid, 0x00b96242);
	assert_int_equal(m.seq, 603);
	check_cause(&m.ies, GTPV2C_CAUSE_REQUEST_ACCEPTED);
	check_fteid(must_find(&m.ies, GTPV2C_IE_FTEID, 1), GTPV2C_IF_S5S8_PGW_C, 0x0a000001,
	    IP4(192, 0, 2, 2));
	assert_int_equal(gtpv2c_ie_paa(must_find(&m.ies, GTPV2C_IE_PAA, 0), &paa), 0);
	assert_int_equal(paa.ipv4_be, IP4(10, 10, 0, 50));
	assert_int_equal(gtpv2c_ie_ambr(must_find(&m.ies, GTPV2C_IE_AMBR, 0), &a), 0);
	assert_memory_equal(&a, &ambr, sizeof(a));
	assert_int_equal(gtpv2c_parse_grouped(must_find(&m.ies, GTPV2C_IE_BEARER_CONTEXT, 0), &bc),
	    VPG_DROP_NONE);
	assert_int_equal(bc.n, 5);
	assert_int_equal(gtpv2c_ie_bearer_qos(must_find(&bc, GTPV2C_IE_BEARER_QOS, 0), &q), 0);
	assert_int_equal(q.pci, qos.pci);
	assert_int_equal(q.priority_level, qos.priority_level);
	assert_int_equal(q.pvi, qos.pvi);
	assert_int_equal(q.qci, qos.qci);
	assert_int_equal(q.mbr_uplink, qos.mbr_uplink);
	assert_int_equal(q.mbr_downlink, qos.mbr_downlink);
	assert_int_equal(q.gbr_uplink, qos.gbr_uplink);
	assert_int_equal(q.gbr_downlink, qos.gbr_downlink);
}

static void
test_gtpv2c_build_cause_with_offending_ie_matches_vector(void **state)
{
	uint8_t b[64];
	struct vpg_wr w;
	struct gtpv2c_msg m;
	struct gtpv2c_cause_ie c;
	size_t h;

	(void)state;
	wr_init(&w, b, sizeof(b));
	h = gtpv2c_build_header(&w, GTPV2C_CREATE_SESSION_RSP, true, 0x00b96242, 0xabcdef);
	gtpv2c_put_cause(&w, GTPV2C_CAUSE_MANDATORY_IE_MISSING, GTPV2C_IE_FTEID, 0);
	gtpv2c_build_finish(&w, h);
	assert_int_equal(w.len, sizeof(built_create_session_rsp_missing));
	assert_memory_equal(b, built_create_session_rsp_missing, w.len);
	assert_int_equal(gtpv2c_parse(b, w.len, &m), VPG_DROP_NONE);
	assert_int_equal(m.seq, 0xabcdef);
	assert_int_equal(gtpv2c_ie_cause(must_find(&m.ies, GTPV2C_IE_CAUSE, 0), &c), 0);
	assert_true(c.has_offending);
	assert_int_equal(c.offending_type, GTPV2C_IE_FTEID);
}

static void
test_gtpv2c_build_create_session_request_matches_vector(void **state)
{
	static const struct gtpv2c_plmn plmn = { "310", "410" };
	uint8_t b[256];
	struct vpg_wr w;
	size_t h, g;

	(void)state;
	wr_init(&w, b, sizeof(b));
	h = gtpv2c_build_header(&w, GTPV2C_CREATE_SESSION_REQ, true, 0, 258);
	gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, "999010000000001");
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, "819012345678");
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MEI, "3534900698733190");
	gtpv2c_put_serving_network(&w, &plmn);
	gtpv2c_put_u8(&w, GTPV2C_IE_RAT_TYPE, 0, 6);
	gtpv2c_put_fteid(&w, 0, GTPV2C_IF_S5S8_SGW_C, 0x1234, IP4(198, 51, 100, 1));
	gtpv2c_put_apn(&w, "internet.mnc001.mcc001.gprs");
	gtpv2c_put_u8(&w, GTPV2C_IE_SELECTION_MODE, 0, 0);
	gtpv2c_put_u8(&w, GTPV2C_IE_PDN_TYPE, 0, GTPV2C_PDN_IPV4);
	gtpv2c_put_paa_ipv4(&w, 0);
	gtpv2c_put_ambr(&w, &ambr);
	g = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ebi(&w, 0, 5);
	gtpv2c_put_fteid(&w, 2, GTPV2C_IF_S5S8_SGW_U, 0x5678, IP4(198, 51, 100, 1));
	gtpv2c_put_bearer_qos(&w, &qos);
	gtpv2c_group_end(&w, g);
	gtpv2c_put_recovery(&w, 1);
	gtpv2c_build_finish(&w, h);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(built_create_session_req));
	assert_memory_equal(b, built_create_session_req, w.len);
}

static void
test_gtpv2c_build_delete_bearer_and_modify_bearer_match_vectors(void **state)
{
	static const struct gtpv2c_plmn plmn = { "001", "01" };
	uint8_t b[64];
	struct vpg_wr w;
	size_t h;

	(void)state;
	wr_init(&w, b, sizeof(b));
	h = gtpv2c_build_header(&w, GTPV2C_DELETE_BEARER_REQ, true, 0x1234, 0x800001);
	gtpv2c_put_ebi(&w, 0, 5);
	gtpv2c_put_cause(&w, GTPV2C_CAUSE_REQUEST_REJECTED, 0, 0);
	gtpv2c_build_finish(&w, h);
	assert_int_equal(w.len, sizeof(built_delete_bearer_req));
	assert_memory_equal(b, built_delete_bearer_req, w.len);
	wr_init(&w, b, sizeof(b));
	h = gtpv2c_build_header(&w, GTPV2C_MODIFY_BEARER_REQ, true, 1, 3);
	gtpv2c_put_serving_network(&w, &plmn);
	gtpv2c_build_finish(&w, h);
	assert_int_equal(w.len, sizeof(built_modify_bearer_req));
	assert_memory_equal(b, built_modify_bearer_req, w.len);
}

static void
test_gtpv2c_build_round_trips_identities(void **state)
{
	struct gtpv2c_msg m;
	struct gtpv2c_plmn p;
	char imsi[16], msisdn[24], mei[17], apn[64];

	(void)state;
	assert_int_equal(
	    gtpv2c_parse(built_create_session_req, sizeof(built_create_session_req), &m),
	    VPG_DROP_NONE);
	assert_int_equal(gtpv2c_ie_imsi(must_find(&m.ies, GTPV2C_IE_IMSI, 0), imsi), 0);
	assert_string_equal(imsi, "999010000000001");
	assert_int_equal(gtpv2c_ie_msisdn(must_find(&m.ies, GTPV2C_IE_MSISDN, 0), msisdn), 0);
	assert_string_equal(msisdn, "819012345678");
	assert_int_equal(gtpv2c_ie_mei(must_find(&m.ies, GTPV2C_IE_MEI, 0), mei), 0);
	assert_string_equal(mei, "3534900698733190");
	assert_int_equal(
	    gtpv2c_ie_serving_network(must_find(&m.ies, GTPV2C_IE_SERVING_NETWORK, 0), &p), 0);
	assert_string_equal(p.mcc, "310");
	assert_string_equal(p.mnc, "410");
	assert_int_equal(gtpv2c_ie_apn(must_find(&m.ies, GTPV2C_IE_APN, 0), apn, sizeof(apn)), 0);
	assert_string_equal(apn, "internet.mnc001.mcc001.gprs");
}

static void
test_gtpv2c_set_seq_with_and_without_teid(void **state)
{
	uint8_t b[sizeof(built_create_session_rsp)], e[sizeof(built_echo_rsp)];
	struct gtpv2c_msg m;

	(void)state;
	memcpy(b, built_create_session_rsp, sizeof(b));
	gtpv2c_set_seq(b, sizeof(b), 0x123456);
	assert_int_equal(gtpv2c_parse(b, sizeof(b), &m), VPG_DROP_NONE);
	assert_int_equal(m.seq, 0x123456);
	assert_int_equal(m.teid, 0x00b96242);
	assert_int_equal(b[11], 0);
	memcpy(e, built_echo_rsp, sizeof(e));
	gtpv2c_set_seq(e, sizeof(e), 0xfedcba);
	assert_int_equal(gtpv2c_parse(e, sizeof(e), &m), VPG_DROP_NONE);
	assert_int_equal(m.seq, 0xfedcba);
	assert_int_equal(e[7], 0);
	/* A buffer too short for the header is left alone. */
	gtpv2c_set_seq(e, 6, 1);
	assert_int_equal(gtpv2c_parse(e, sizeof(e), &m), VPG_DROP_NONE);
	assert_int_equal(m.seq, 0xfedcba);
}

static void
test_gtpv2c_build_overflow_leaves_flag(void **state)
{
	uint8_t b[sizeof(built_create_session_rsp) - 1];
	struct vpg_wr w;
	size_t h;

	(void)state;
	assert_int_equal(build_create_session_response(b, sizeof(b)), 0);
	/* An IE that does not fit writes nothing. */
	wr_init(&w, b, 14);
	h = gtpv2c_build_header(&w, GTPV2C_ECHO_REQ, false, 0, 1);
	gtpv2c_put_u32(&w, GTPV2C_IE_CHARGING_ID, 0, 1);
	assert_true(w.overflow);
	assert_int_equal(w.len, 8);
	gtpv2c_build_finish(&w, h);
	assert_int_equal(b[3], 0);
}

static void
test_gtpv2c_put_tbcd_limits(void **state)
{
	static const uint8_t odd[] = { 0x01, 0x00, 0x02, 0x00, 0x21, 0xf3 };
	uint8_t b[64];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, "123");
	assert_false(w.overflow);
	assert_memory_equal(b, odd, sizeof(odd));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MEI, "3534900698733190");
	assert_false(w.overflow);
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, "12345678901234567890123");
	assert_false(w.overflow);
	gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, "9990100000000011");
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MEI, "35349006987331901");
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, "123456789012345678901234");
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, "12a");
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, "");
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
}

static void
test_gtpv2c_put_apn_and_serving_network_refuse_bad_values(void **state)
{
	static const struct gtpv2c_plmn short_mcc = { "01", "01" };
	static const struct gtpv2c_plmn one_mnc = { "001", "1" };
	static const struct gtpv2c_plmn letter = { "00a", "01" };
	uint8_t b[64];
	struct vpg_wr w;

	(void)state;
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_apn(&w, "bad..apn");
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_apn(&w, "");
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_serving_network(&w, &short_mcc);
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_serving_network(&w, &one_mnc);
	assert_true(w.overflow);
	wr_init(&w, b, sizeof(b));
	gtpv2c_put_serving_network(&w, &letter);
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
}

static void
test_gtpv2c_group_end_overflowed_or_long_group(void **state)
{
	static uint8_t big[70000];
	static uint8_t val[65000];
	struct vpg_wr w;
	size_t g;

	(void)state;
	wr_init(&w, big, sizeof(big));
	g = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ie(&w, GTPV2C_IE_PRIVATE_EXTENSION, 0, val, sizeof(val));
	gtpv2c_put_ie(&w, GTPV2C_IE_PRIVATE_EXTENSION, 0, val, 1000);
	assert_false(w.overflow);
	gtpv2c_group_end(&w, g);
	assert_true(w.overflow); /* the group's length no longer fits 16 bits */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtpv2c_parse_scapy_create_session_request_header),
		cmocka_unit_test(test_gtpv2c_parse_scapy_create_session_request_identities),
		cmocka_unit_test(test_gtpv2c_parse_scapy_create_session_request_session),
		cmocka_unit_test(test_gtpv2c_parse_scapy_create_session_request_bearer_context),
		cmocka_unit_test(test_gtpv2c_parse_open5gs_create_session_response),
		cmocka_unit_test(test_gtpv2c_parse_open5gs_create_session_response_ambr),
		cmocka_unit_test(test_gtpv2c_parse_delete_session_request_and_response),
		cmocka_unit_test(test_gtpv2c_parse_shorter_than_header_too_short),
		cmocka_unit_test(test_gtpv2c_parse_gtpv1_echo_bad_version_with_fields),
		cmocka_unit_test(test_gtpv2c_parse_other_versions_bad_version),
		cmocka_unit_test(test_gtpv2c_parse_length_past_datagram_bad_length),
		cmocka_unit_test(test_gtpv2c_parse_scapy_length_as_sent_bad_length),
		cmocka_unit_test(test_gtpv2c_parse_trailing_octets_without_p_bad_length),
		cmocka_unit_test(test_gtpv2c_parse_piggyback_parses_first_message_only),
		cmocka_unit_test(test_gtpv2c_parse_echo_without_teid),
		cmocka_unit_test(test_gtpv2c_parse_other_type_without_teid_parsed),
		cmocka_unit_test(test_gtpv2c_parse_seq_24_bits_and_mp_flag),
		cmocka_unit_test(test_gtpv2c_parse_too_many_ies_bad_ie),
		cmocka_unit_test(test_gtpv2c_parse_ie_past_message_bad_ie_with_header),
		cmocka_unit_test(test_gtpv2c_parse_truncated_ie_header_bad_ie),
		cmocka_unit_test(test_gtpv2c_parse_grouped_inner_ie_past_group_bad_ie),
		cmocka_unit_test(test_gtpv2c_parse_instance_ignores_spare_bits),
		cmocka_unit_test(test_gtpv2c_find_nth_and_count_repeated_bearer_contexts),
		cmocka_unit_test(test_gtpv2c_type_names_and_requests),
		cmocka_unit_test(test_gtpv2c_ie_imsi_good_and_malformed),
		cmocka_unit_test(test_gtpv2c_ie_msisdn_and_mei_good_and_malformed),
		cmocka_unit_test(test_gtpv2c_ie_apn_good_and_malformed),
		cmocka_unit_test(test_gtpv2c_ie_apn_label_over_63_fails),
		cmocka_unit_test(test_gtpv2c_ie_u8_u32_ebi_reject_short),
		cmocka_unit_test(test_gtpv2c_ie_fteid_ipv4_ipv6_both),
		cmocka_unit_test(test_gtpv2c_ie_fteid_malformed),
		cmocka_unit_test(test_gtpv2c_ie_paa_every_pdn_type),
		cmocka_unit_test(test_gtpv2c_ie_paa_malformed),
		cmocka_unit_test(test_gtpv2c_ie_ambr_good_and_short),
		cmocka_unit_test(test_gtpv2c_ie_bearer_qos_arp_bits_and_rates),
		cmocka_unit_test(test_gtpv2c_ie_serving_network_two_and_three_digit_mnc),
		cmocka_unit_test(test_gtpv2c_ie_cause_flags_and_offending_ie),
		cmocka_unit_test(test_gtpv2c_build_echo_response_matches_vector),
		cmocka_unit_test(test_gtpv2c_build_create_session_response_matches_vector),
		cmocka_unit_test(test_gtpv2c_build_create_session_response_round_trip),
		cmocka_unit_test(test_gtpv2c_build_cause_with_offending_ie_matches_vector),
		cmocka_unit_test(test_gtpv2c_build_create_session_request_matches_vector),
		cmocka_unit_test(test_gtpv2c_build_delete_bearer_and_modify_bearer_match_vectors),
		cmocka_unit_test(test_gtpv2c_build_round_trips_identities),
		cmocka_unit_test(test_gtpv2c_set_seq_with_and_without_teid),
		cmocka_unit_test(test_gtpv2c_build_overflow_leaves_flag),
		cmocka_unit_test(test_gtpv2c_put_tbcd_limits),
		cmocka_unit_test(test_gtpv2c_put_apn_and_serving_network_refuse_bad_values),
		cmocka_unit_test(test_gtpv2c_group_end_overflowed_or_long_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
