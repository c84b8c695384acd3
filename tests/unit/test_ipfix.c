/*
 * Unit tests for src/proto/ipfix.c, the IPFIX codec (RFC 7011).
 *
 * The message of test_ipfix_put_template_writes_every_field plus the two
 * records of test_ipfix_put_record_round_trip_decodes (one with a 300-octet
 * application name) were written to a pcap as UDP/4739 (python3-scapy) and
 * decoded by tshark 4.0.17 (`tshark -d udp.port==4739,cflow -V`, then
 * `-z expert`): Data Template 256 with the 13 fields named as below, both
 * flows with every value, String_len_short 255 then 300 for the long name,
 * no "Malformed" and no expert info.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/ipfix.h"

#define EXPORT_TIME 1700000000u
#define DOMAIN	    7

/* Template Set as tshark decodes it: set 2, length 60, template 256, 13 fields. */
static const uint8_t template_set[] = {
	0x00, 0x02, 0x00, 0x3c, /* set id 2, length 60 */
	0x01, 0x00, 0x00, 0x0d, /* template 256, 13 fields */
	0x00, 0x08, 0x00, 0x04, /* sourceIPv4Address */
	0x00, 0x0c, 0x00, 0x04, /* destinationIPv4Address */
	0x00, 0x07, 0x00, 0x02, /* sourceTransportPort */
	0x00, 0x0b, 0x00, 0x02, /* destinationTransportPort */
	0x00, 0x04, 0x00, 0x01, /* protocolIdentifier */
	0x00, 0x01, 0x00, 0x08, /* octetDeltaCount */
	0x00, 0x02, 0x00, 0x08, /* packetDeltaCount */
	0x00, 0x98, 0x00, 0x08, /* flowStartMilliseconds */
	0x00, 0x99, 0x00, 0x08, /* flowEndMilliseconds */
	0x00, 0x06, 0x00, 0x02, /* tcpControlBits */
	0x00, 0x3d, 0x00, 0x01, /* flowDirection */
	0x01, 0xc7, 0xff, 0xff, /* mobileIMSI, variable length */
	0x00, 0x60, 0xff, 0xff, /* applicationName, variable length */
};

static char long_name[301];

static struct ipfix_flow_record
sample_record(void)
{
	struct ipfix_flow_record r = { 0 };
	static const uint8_t src[4] = { 10, 10, 74, 219 }, dst[4] = { 10, 0, 0, 5 };

	memcpy(&r.saddr, src, 4);
	memcpy(&r.daddr, dst, 4);
	r.sport = 40000;
	r.dport = 443;
	r.proto = 6;
	r.direction = IPFIX_DIR_INGRESS;
	r.tcp_flags = 0x1b;
	r.octets = 1500;
	r.packets = 10;
	r.start_ms = 1700000000123ull;
	r.end_ms = 1700000001456ull;
	r.imsi = "999010000000001";
	r.app_name = "TLS";
	return r;
}

/* One message: template, then a Data Set with the given records. */
static size_t
build(uint8_t *buf, size_t cap, const struct ipfix_flow_record *recs, size_t n, uint32_t seq,
    struct ipfix_msg *m, struct vpg_wr *w)
{
	wr_init(w, buf, cap);
	ipfix_msg_begin(m, w, EXPORT_TIME, seq, DOMAIN);
	ipfix_put_template(m);
	ipfix_data_begin(m);
	for (size_t i = 0; i < n; i++)
		ipfix_put_record(m, &recs[i]);
	ipfix_data_end(m);
	return ipfix_msg_end(m);
}

static uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
test_ipfix_msg_begin_writes_header(void **state)
{
	static const uint8_t want[] = { 0x00, 0x0a, 0x00, 0x10, 0x65, 0x53, 0xf1, 0x00, 0x00, 0x00,
		0x00, 0x2a, 0x00, 0x00, 0x00, 0x07 };
	uint8_t buf[64];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	ipfix_msg_begin(&m, &w, EXPORT_TIME, 42, DOMAIN);
	assert_int_equal(ipfix_msg_end(&m), IPFIX_MSG_HDR_LEN);
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_ipfix_put_template_writes_every_field(void **state)
{
	uint8_t buf[128];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	ipfix_msg_begin(&m, &w, EXPORT_TIME, 0, DOMAIN);
	ipfix_put_template(&m);
	assert_int_equal(ipfix_msg_end(&m), IPFIX_MSG_HDR_LEN + sizeof(template_set));
	assert_int_equal(be16_at(buf + 2), IPFIX_MSG_HDR_LEN + sizeof(template_set));
	assert_memory_equal(buf + IPFIX_MSG_HDR_LEN, template_set, sizeof(template_set));
}

/* The parser reads the template back as the 13 specifiers, none enterprise. */
static void
test_ipfix_template_next_reads_our_template(void **state)
{
	static const uint16_t ies[] = { 8, 12, 7, 11, 4, 1, 2, 152, 153, 6, 61, 455, 96 };
	static const uint16_t lens[] = { 4, 4, 2, 2, 1, 8, 8, 8, 8, 2, 1, 0xffff, 0xffff };
	struct vpg_rd body, fields;
	struct ipfix_field f;
	uint16_t id, count;

	(void)state;
	rd_init(&body, template_set + 4, sizeof(template_set) - 4);
	assert_int_equal(ipfix_template_next(&body, &id, &count, &fields), 1);
	assert_int_equal(id, IPFIX_TEMPLATE_ID);
	assert_int_equal(count, IPFIX_TEMPLATE_FIELDS);
	for (size_t i = 0; i < IPFIX_TEMPLATE_FIELDS; i++) {
		assert_int_equal(ipfix_field_next(&fields, &f), 0);
		assert_int_equal(f.ie, ies[i]);
		assert_int_equal(f.length, lens[i]);
		assert_int_equal(f.pen, 0);
	}
	assert_int_equal(ipfix_template_next(&body, &id, &count, &fields), 0);
}

static void
assert_record_equal(const struct ipfix_flow_record *got, size_t imsi_len, size_t app_len,
    const struct ipfix_flow_record *want)
{
	assert_int_equal(got->saddr, want->saddr);
	assert_int_equal(got->daddr, want->daddr);
	assert_int_equal(got->sport, want->sport);
	assert_int_equal(got->dport, want->dport);
	assert_int_equal(got->proto, want->proto);
	assert_int_equal(got->direction, want->direction);
	assert_int_equal(got->tcp_flags, want->tcp_flags);
	assert_int_equal(got->octets, want->octets);
	assert_int_equal(got->packets, want->packets);
	assert_int_equal(got->start_ms, want->start_ms);
	assert_int_equal(got->end_ms, want->end_ms);
	assert_int_equal(imsi_len, strlen(want->imsi));
	assert_memory_equal(got->imsi, want->imsi, imsi_len);
	assert_int_equal(app_len, strlen(want->app_name));
	assert_memory_equal(got->app_name, want->app_name, app_len);
}

static void
test_ipfix_put_record_round_trip_decodes(void **state)
{
	struct ipfix_flow_record recs[2] = { sample_record(), sample_record() }, got;
	uint8_t buf[1024];
	struct vpg_wr w;
	struct ipfix_msg m;
	struct ipfix_hdr h;
	struct ipfix_set s;
	struct vpg_rd sets;
	size_t len, il, al;

	(void)state;
	memset(long_name, 'a', 300);
	recs[1].direction = IPFIX_DIR_EGRESS;
	recs[1].imsi = "999010000000002";
	recs[1].app_name = long_name;
	len = build(buf, sizeof(buf), recs, 2, 0, &m, &w);
	assert_int_equal(len, 515);
	assert_int_equal(ipfix_parse_header(buf, len, &h, &sets), 0);
	assert_int_equal(h.version, IPFIX_VERSION);
	assert_int_equal(h.length, len);
	assert_int_equal(h.export_time, EXPORT_TIME);
	assert_int_equal(h.domain, DOMAIN);
	assert_int_equal(ipfix_set_next(&sets, &s), 1);
	assert_int_equal(s.id, IPFIX_SET_TEMPLATE);
	assert_int_equal(ipfix_set_next(&sets, &s), 1);
	assert_int_equal(s.id, IPFIX_TEMPLATE_ID);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(ipfix_record_next(&s.body, &got, &il, &al), 1);
		assert_record_equal(&got, il, al, &recs[i]);
	}
	assert_int_equal(ipfix_record_next(&s.body, &got, &il, &al), 0);
	assert_int_equal(ipfix_set_next(&sets, &s), 0);
}

static void
test_ipfix_data_end_fills_set_length(void **state)
{
	struct ipfix_flow_record recs[3] = { sample_record(), sample_record(), sample_record() };
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;
	size_t off = IPFIX_MSG_HDR_LEN + sizeof(template_set);
	size_t rec_len = IPFIX_RECORD_FIXED_LEN + 1 + 15 + 1 + 3;

	(void)state;
	assert_int_equal(ipfix_record_len(&recs[0]), rec_len);
	assert_int_equal(build(buf, sizeof(buf), recs, 3, 0, &m, &w), off + 4 + 3 * rec_len);
	assert_int_equal(be16_at(buf + off), IPFIX_TEMPLATE_ID);
	assert_int_equal(be16_at(buf + off + 2), 4 + 3 * rec_len);
}

static void
test_ipfix_msg_end_fills_message_length(void **state)
{
	struct ipfix_flow_record rec = sample_record();
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;
	size_t len;

	(void)state;
	len = build(buf, sizeof(buf), &rec, 1, 0, &m, &w);
	assert_int_equal(len, w.len);
	assert_int_equal(
	    len, IPFIX_MSG_HDR_LEN + sizeof(template_set) + 4 + ipfix_record_len(&rec));
	assert_int_equal(be16_at(buf + 2), len);
}

/* A message placed after headroom measures itself, not the headroom. */
static void
test_ipfix_msg_end_after_headroom_counts_message_only(void **state)
{
	uint8_t buf[128];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_reserve(&w, 28);
	ipfix_msg_begin(&m, &w, EXPORT_TIME, 0, DOMAIN);
	ipfix_put_template(&m);
	assert_int_equal(ipfix_msg_end(&m), 76);
	assert_int_equal(be16_at(buf + 28 + 2), 76);
}

/*
 * RFC 7011 §3.1: the sequence number counts the data records sent before
 * the message; a template-only message does not advance it.
 */
static void
test_ipfix_msg_records_advance_next_sequence(void **state)
{
	struct ipfix_flow_record recs[3] = { sample_record(), sample_record(), sample_record() };
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;
	struct ipfix_hdr h;
	struct vpg_rd sets;
	uint32_t seq = 0xfffffffe;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	ipfix_msg_begin(&m, &w, EXPORT_TIME, seq, DOMAIN);
	ipfix_put_template(&m);
	assert_int_not_equal(ipfix_msg_end(&m), 0);
	assert_int_equal(m.records, 0);
	assert_int_not_equal(build(buf, sizeof(buf), recs, 3, seq, &m, &w), 0);
	assert_int_equal(m.records, 3);
	seq += m.records; /* modulo 2^32 */
	assert_int_not_equal(build(buf, sizeof(buf), recs, 1, seq, &m, &w), 0);
	assert_int_equal(ipfix_parse_header(buf, w.len, &h, &sets), 0);
	assert_int_equal(h.seq, 1);
}

/* Offset of the first record's IMSI length octet in a built message. */
#define IMSI_OFF (IPFIX_MSG_HDR_LEN + sizeof(template_set) + 4 + IPFIX_RECORD_FIXED_LEN)

static void
test_ipfix_put_record_short_strings_one_octet_length(void **state)
{
	struct ipfix_flow_record rec = sample_record();
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	assert_int_not_equal(build(buf, sizeof(buf), &rec, 1, 0, &m, &w), 0);
	assert_int_equal(buf[IMSI_OFF], 15);
	assert_memory_equal(buf + IMSI_OFF + 1, "999010000000001", 15);
	assert_int_equal(buf[IMSI_OFF + 16], 3);
	assert_memory_equal(buf + IMSI_OFF + 17, "TLS", 3);
	assert_int_equal(w.len, IMSI_OFF + 20);
}

static void
test_ipfix_put_record_null_strings_zero_length(void **state)
{
	struct ipfix_flow_record rec = sample_record();
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	rec.imsi = NULL;
	rec.app_name = NULL;
	assert_int_not_equal(build(buf, sizeof(buf), &rec, 1, 0, &m, &w), 0);
	assert_int_equal(buf[IMSI_OFF], 0);
	assert_int_equal(buf[IMSI_OFF + 1], 0);
	assert_int_equal(w.len, IMSI_OFF + 2);
	assert_int_equal(ipfix_record_len(&rec), IPFIX_RECORD_FIXED_LEN + 2);
}

/* RFC 7011 §7: 254 octets still fit the one-octet form. */
static void
test_ipfix_put_record_254_octets_one_octet_length(void **state)
{
	struct ipfix_flow_record rec = sample_record();
	uint8_t buf[1024];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	memset(long_name, 'b', 254);
	long_name[254] = '\0';
	rec.app_name = long_name;
	assert_int_not_equal(build(buf, sizeof(buf), &rec, 1, 0, &m, &w), 0);
	assert_int_equal(buf[IMSI_OFF + 16], 254);
	assert_int_equal(buf[IMSI_OFF + 17], 'b');
	assert_int_equal(w.len, IMSI_OFF + 16 + 1 + 254);
	assert_int_equal(ipfix_record_len(&rec), IPFIX_RECORD_FIXED_LEN + 16 + 255);
}

/* RFC 7011 §7: from 255 octets on, 255 then a two-octet length. */
static void
test_ipfix_put_record_255_octets_three_octet_length(void **state)
{
	struct ipfix_flow_record rec = sample_record();
	uint8_t buf[1024];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	memset(long_name, 'c', 255);
	long_name[255] = '\0';
	rec.app_name = long_name;
	assert_int_not_equal(build(buf, sizeof(buf), &rec, 1, 0, &m, &w), 0);
	assert_int_equal(buf[IMSI_OFF + 16], 0xff);
	assert_int_equal(be16_at(buf + IMSI_OFF + 17), 255);
	assert_int_equal(buf[IMSI_OFF + 19], 'c');
	assert_int_equal(w.len, IMSI_OFF + 16 + 3 + 255);
	assert_int_equal(ipfix_record_len(&rec), IPFIX_RECORD_FIXED_LEN + 16 + 258);
}

/* RFC 7011 §7 lets a sender use the long form for a short value too. */
static void
test_ipfix_record_next_long_form_short_value_decodes(void **state)
{
	uint8_t body[IPFIX_RECORD_FIXED_LEN + 7] = { 0 };
	struct ipfix_flow_record rec;
	struct vpg_rd r;
	size_t il, al;

	(void)state;
	body[IPFIX_RECORD_FIXED_LEN] = 0xff;
	body[IPFIX_RECORD_FIXED_LEN + 2] = 3;
	memcpy(body + IPFIX_RECORD_FIXED_LEN + 3, "abc", 3);
	rd_init(&r, body, sizeof(body));
	assert_int_equal(ipfix_record_next(&r, &rec, &il, &al), 1);
	assert_int_equal(il, 3);
	assert_memory_equal(rec.imsi, "abc", 3);
	assert_int_equal(al, 0);
	assert_int_equal(rd_left(&r), 0);
}

static void
test_ipfix_msg_end_cap_too_small_overflows(void **state)
{
	struct ipfix_flow_record rec = sample_record();
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;
	size_t need = IPFIX_MSG_HDR_LEN + sizeof(template_set) + 4 + ipfix_record_len(&rec);

	(void)state;
	assert_int_equal(build(buf, need - 1, &rec, 1, 0, &m, &w), 0);
	assert_true(w.overflow);
	assert_int_equal(build(buf, need, &rec, 1, 0, &m, &w), need);
	assert_false(w.overflow);
}

/* RFC 7011 §3.1: the length field is 16 bits; a longer message cannot be sent. */
static void
test_ipfix_msg_end_over_65535_octets_overflows(void **state)
{
	static uint8_t buf[70000];
	struct ipfix_flow_record rec = sample_record();
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	memset(long_name, 'd', 300);
	long_name[300] = '\0';
	rec.app_name = long_name;
	wr_init(&w, buf, sizeof(buf));
	ipfix_msg_begin(&m, &w, EXPORT_TIME, 0, DOMAIN);
	ipfix_data_begin(&m);
	while (w.len < 66000)
		ipfix_put_record(&m, &rec);
	ipfix_data_end(&m);
	assert_true(w.overflow);
	assert_int_equal(ipfix_msg_end(&m), 0);
}

static void
test_ipfix_put_record_without_data_set_overflows(void **state)
{
	struct ipfix_flow_record rec = sample_record();
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	ipfix_msg_begin(&m, &w, EXPORT_TIME, 0, DOMAIN);
	ipfix_put_record(&m, &rec);
	assert_true(w.overflow);
	assert_int_equal(ipfix_msg_end(&m), 0);
}

static void
test_ipfix_msg_end_set_left_open_overflows(void **state)
{
	uint8_t buf[512];
	struct vpg_wr w;
	struct ipfix_msg m;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	ipfix_msg_begin(&m, &w, EXPORT_TIME, 0, DOMAIN);
	ipfix_data_begin(&m);
	assert_int_equal(ipfix_msg_end(&m), 0);
	assert_true(w.overflow);
}

static void
test_ipfix_parse_header_bad_version_fails(void **state)
{
	uint8_t buf[16] = { 0x00, 0x09, 0x00, 0x10 };
	struct ipfix_hdr h;
	struct vpg_rd sets;

	(void)state;
	assert_int_equal(ipfix_parse_header(buf, sizeof(buf), &h, &sets), -EBADMSG);
	buf[1] = 0x0a;
	assert_int_equal(ipfix_parse_header(buf, sizeof(buf), &h, &sets), 0);
	assert_int_equal(rd_left(&sets), 0);
}

static void
test_ipfix_parse_header_length_below_header_fails(void **state)
{
	uint8_t buf[16] = { 0x00, 0x0a, 0x00, 0x0f };
	struct ipfix_hdr h;
	struct vpg_rd sets;

	(void)state;
	assert_int_equal(ipfix_parse_header(buf, sizeof(buf), &h, &sets), -EBADMSG);
}

static void
test_ipfix_parse_header_length_past_buffer_fails(void **state)
{
	uint8_t buf[20] = { 0x00, 0x0a, 0x00, 0x15 };
	struct ipfix_hdr h;
	struct vpg_rd sets;

	(void)state;
	assert_int_equal(ipfix_parse_header(buf, sizeof(buf), &h, &sets), -EBADMSG);
	assert_int_equal(ipfix_parse_header(buf, 15, &h, &sets), -EBADMSG);
}

/* Octets after the message length belong to the next message. */
static void
test_ipfix_parse_header_trailing_octets_not_read(void **state)
{
	uint8_t buf[24] = { 0x00, 0x0a, 0x00, 0x14, [16] = 0x00, 0x02, 0x00, 0x04, 0xee };
	struct ipfix_hdr h;
	struct ipfix_set s;
	struct vpg_rd sets;

	(void)state;
	assert_int_equal(ipfix_parse_header(buf, sizeof(buf), &h, &sets), 0);
	assert_int_equal(ipfix_set_next(&sets, &s), 1);
	assert_int_equal(s.id, IPFIX_SET_TEMPLATE);
	assert_int_equal(rd_left(&s.body), 0);
	assert_int_equal(ipfix_set_next(&sets, &s), 0);
}

static int
one_set(const uint8_t *set, size_t n, struct ipfix_set *s)
{
	uint8_t buf[64] = { 0x00, 0x0a };
	struct ipfix_hdr h;
	struct vpg_rd sets;

	memcpy(buf + 16, set, n);
	buf[3] = (uint8_t)(16 + n);
	if (ipfix_parse_header(buf, 16 + n, &h, &sets) < 0)
		return -1;
	return ipfix_set_next(&sets, s);
}

static void
test_ipfix_set_next_length_below_header_fails(void **state)
{
	static const uint8_t set[] = { 0x00, 0x02, 0x00, 0x03, 0x00 };
	struct ipfix_set s;

	(void)state;
	assert_int_equal(one_set(set, sizeof(set), &s), -EBADMSG);
}

static void
test_ipfix_set_next_length_past_message_fails(void **state)
{
	static const uint8_t set[] = { 0x01, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00 };
	struct ipfix_set s;

	(void)state;
	assert_int_equal(one_set(set, sizeof(set), &s), -EBADMSG);
}

/* RFC 7011 §3.3.2: set ids 0 and 1 are not used, 4 to 255 reserved. */
static void
test_ipfix_set_next_reserved_ids_fail(void **state)
{
	static const uint16_t bad[] = { 0, 1, 4, 255 };
	uint8_t set[] = { 0x00, 0x00, 0x00, 0x04 };
	struct ipfix_set s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		set[0] = (uint8_t)(bad[i] >> 8);
		set[1] = (uint8_t)bad[i];
		assert_int_equal(one_set(set, sizeof(set), &s), -EBADMSG);
	}
	set[1] = 3;
	assert_int_equal(one_set(set, sizeof(set), &s), 1);
	assert_int_equal(s.id, IPFIX_SET_OPTIONS);
}

/* RFC 7011 §3.4.1: template ids below 256 are set ids, not templates. */
static void
test_ipfix_template_next_id_below_256_fails(void **state)
{
	static const uint8_t body[] = { 0x00, 0xff, 0x00, 0x01, 0x00, 0x08, 0x00, 0x04 };
	struct vpg_rd r, fields;
	uint16_t id, count;

	(void)state;
	rd_init(&r, body, sizeof(body));
	assert_int_equal(ipfix_template_next(&r, &id, &count, &fields), -EBADMSG);
}

static void
test_ipfix_template_next_fields_past_set_fails(void **state)
{
	static const uint8_t body[] = { 0x01, 0x00, 0x00, 0x02, 0x00, 0x08, 0x00, 0x04 };
	struct vpg_rd r, fields;
	uint16_t id, count;

	(void)state;
	rd_init(&r, body, sizeof(body));
	assert_int_equal(ipfix_template_next(&r, &id, &count, &fields), -EBADMSG);
}

/* RFC 7011 §3.2: with the enterprise bit set, a 4-octet PEN follows. */
static void
test_ipfix_field_next_enterprise_reads_pen(void **state)
{
	static const uint8_t spec[] = { 0x80, 0x01, 0x00, 0x04, 0x00, 0x00, 0x72, 0x79 };
	struct ipfix_field f;
	struct vpg_rd r;

	(void)state;
	rd_init(&r, spec, sizeof(spec));
	assert_int_equal(ipfix_field_next(&r, &f), 0);
	assert_int_equal(f.ie, 1);
	assert_int_equal(f.length, 4);
	assert_int_equal(f.pen, 29305);
	assert_int_equal(rd_left(&r), 0);
	rd_init(&r, spec, sizeof(spec) - 1);
	assert_int_equal(ipfix_field_next(&r, &f), -EBADMSG);
}

static void
test_ipfix_field_next_zero_length_fails(void **state)
{
	static const uint8_t spec[] = { 0x00, 0x08, 0x00, 0x00 };
	struct ipfix_field f;
	struct vpg_rd r;

	(void)state;
	rd_init(&r, spec, sizeof(spec));
	assert_int_equal(ipfix_field_next(&r, &f), -EBADMSG);
}

static void
test_ipfix_record_next_string_past_set_fails(void **state)
{
	uint8_t body[IPFIX_RECORD_FIXED_LEN + 4] = { 0 };
	struct ipfix_flow_record rec;
	struct vpg_rd r;
	size_t il, al;

	(void)state;
	body[IPFIX_RECORD_FIXED_LEN] = 5; /* 5 octets announced, 3 left */
	rd_init(&r, body, sizeof(body));
	assert_int_equal(ipfix_record_next(&r, &rec, &il, &al), -EBADMSG);
	assert_int_equal(rd_left(&r), sizeof(body));
}

/* RFC 7011 §3.3.1: padding shorter than the smallest record ends the set. */
static void
test_ipfix_record_next_padding_ends_set(void **state)
{
	uint8_t body[IPFIX_RECORD_FIXED_LEN + 1] = { 0 };
	struct ipfix_flow_record rec;
	struct vpg_rd r;
	size_t il, al;

	(void)state;
	rd_init(&r, body, sizeof(body));
	assert_int_equal(ipfix_record_next(&r, &rec, &il, &al), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipfix_msg_begin_writes_header),
		cmocka_unit_test(test_ipfix_put_template_writes_every_field),
		cmocka_unit_test(test_ipfix_template_next_reads_our_template),
		cmocka_unit_test(test_ipfix_put_record_round_trip_decodes),
		cmocka_unit_test(test_ipfix_data_end_fills_set_length),
		cmocka_unit_test(test_ipfix_msg_end_fills_message_length),
		cmocka_unit_test(test_ipfix_msg_end_after_headroom_counts_message_only),
		cmocka_unit_test(test_ipfix_msg_records_advance_next_sequence),
		cmocka_unit_test(test_ipfix_put_record_short_strings_one_octet_length),
		cmocka_unit_test(test_ipfix_put_record_null_strings_zero_length),
		cmocka_unit_test(test_ipfix_put_record_254_octets_one_octet_length),
		cmocka_unit_test(test_ipfix_put_record_255_octets_three_octet_length),
		cmocka_unit_test(test_ipfix_record_next_long_form_short_value_decodes),
		cmocka_unit_test(test_ipfix_msg_end_cap_too_small_overflows),
		cmocka_unit_test(test_ipfix_msg_end_over_65535_octets_overflows),
		cmocka_unit_test(test_ipfix_put_record_without_data_set_overflows),
		cmocka_unit_test(test_ipfix_msg_end_set_left_open_overflows),
		cmocka_unit_test(test_ipfix_parse_header_bad_version_fails),
		cmocka_unit_test(test_ipfix_parse_header_length_below_header_fails),
		cmocka_unit_test(test_ipfix_parse_header_length_past_buffer_fails),
		cmocka_unit_test(test_ipfix_parse_header_trailing_octets_not_read),
		cmocka_unit_test(test_ipfix_set_next_length_below_header_fails),
		cmocka_unit_test(test_ipfix_set_next_length_past_message_fails),
		cmocka_unit_test(test_ipfix_set_next_reserved_ids_fail),
		cmocka_unit_test(test_ipfix_template_next_id_below_256_fails),
		cmocka_unit_test(test_ipfix_template_next_fields_past_set_fails),
		cmocka_unit_test(test_ipfix_field_next_enterprise_reads_pen),
		cmocka_unit_test(test_ipfix_field_next_zero_length_fails),
		cmocka_unit_test(test_ipfix_record_next_string_past_set_fails),
		cmocka_unit_test(test_ipfix_record_next_padding_ends_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
