/*
 * IPFIX codec, RFC 7011. Building writes only through struct vpg_wr and
 * parsing reads only through struct vpg_rd.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipfix.h"
#include "rd.h"
#include "wr.h"

/* RFC 7011 §3.2: the top bit of an IE id says an enterprise number follows. */
#define IPFIX_ENTERPRISE_BIT 0x8000
/* RFC 7011 §7: a length octet of 255 says a 2-octet length follows. */
#define IPFIX_VARLEN_LONG      255
#define IPFIX_TEMPLATE_HDR_LEN 4 /* template id, field count, RFC 7011 §3.4.1 */
#define IPFIX_FIELD_LEN	       4 /* IE id, field length, RFC 7011 §3.2 */

struct ipfix_spec {
	uint16_t ie;
	uint16_t length;
};

/*
 * The template, in record order. Lengths are the IE's abstract data type
 * sizes (RFC 7011 §6.1, RFC 7012 §3.1), so no reduced-size encoding; the
 * two strings are variable length (RFC 7011 §7).
 */
static const struct ipfix_spec ipfix_template[IPFIX_TEMPLATE_FIELDS] = {
	{ IPFIX_IE_SOURCE_IPV4_ADDRESS, 4 },
	{ IPFIX_IE_DESTINATION_IPV4_ADDRESS, 4 },
	{ IPFIX_IE_SOURCE_TRANSPORT_PORT, 2 },
	{ IPFIX_IE_DESTINATION_TRANSPORT_PORT, 2 },
	{ IPFIX_IE_PROTOCOL_IDENTIFIER, 1 },
	{ IPFIX_IE_OCTET_DELTA_COUNT, 8 },
	{ IPFIX_IE_PACKET_DELTA_COUNT, 8 },
	{ IPFIX_IE_FLOW_START_MILLISECONDS, 8 },
	{ IPFIX_IE_FLOW_END_MILLISECONDS, 8 },
	{ IPFIX_IE_TCP_CONTROL_BITS, 2 },
	{ IPFIX_IE_FLOW_DIRECTION, 1 },
	{ IPFIX_IE_MOBILE_IMSI, IPFIX_VARLEN },
	{ IPFIX_IE_APPLICATION_NAME, IPFIX_VARLEN },
};

static size_t ipfix_str_len(const char *);
static size_t ipfix_varlen_len(size_t);
static void ipfix_wr_be64(struct vpg_wr *, uint64_t);
static void ipfix_wr_varlen(struct vpg_wr *, const char *);
static int ipfix_rd_be64(struct vpg_rd *, uint64_t *);
static int ipfix_rd_varlen(struct vpg_rd *, const uint8_t **, size_t *);
static int ipfix_rd_fixed(struct vpg_rd *, struct ipfix_flow_record *);

void
ipfix_msg_begin(
    struct ipfix_msg *m, struct vpg_wr *w, uint32_t export_time_s, uint32_t seq, uint32_t domain)
{
	m->w = w;
	m->msg_off = w->len;
	m->set_off = 0;
	m->set_open = false;
	m->records = 0;
	/* RFC 7011 §3.1; the length is filled in by ipfix_msg_end. */
	wr_be16(w, IPFIX_VERSION);
	wr_be16(w, 0);
	wr_be32(w, export_time_s);
	wr_be32(w, seq);
	wr_be32(w, domain);
}

/*
 * RFC 7011 §3.4.1: a Template Set holds template records, each a template
 * id of at least 256, a field count and that many field specifiers (§3.2,
 * enterprise bit clear: these are all IANA elements).
 */
void
ipfix_put_template(struct ipfix_msg *m)
{
	struct vpg_wr *w = m->w;

	if (m->set_open) {
		w->overflow = true;
		return;
	}
	wr_be16(w, IPFIX_SET_TEMPLATE);
	wr_be16(w,
	    IPFIX_SET_HDR_LEN + IPFIX_TEMPLATE_HDR_LEN + IPFIX_TEMPLATE_FIELDS * IPFIX_FIELD_LEN);
	wr_be16(w, IPFIX_TEMPLATE_ID);
	wr_be16(w, IPFIX_TEMPLATE_FIELDS);
	for (size_t i = 0; i < IPFIX_TEMPLATE_FIELDS; i++) {
		wr_be16(w, ipfix_template[i].ie);
		wr_be16(w, ipfix_template[i].length);
	}
}

/* RFC 7011 §3.3.2: a Data Set's id is the id of the template it follows. */
void
ipfix_data_begin(struct ipfix_msg *m)
{
	if (m->set_open) {
		m->w->overflow = true;
		return;
	}
	m->set_off = m->w->len;
	m->set_open = true;
	wr_be16(m->w, IPFIX_TEMPLATE_ID);
	wr_be16(m->w, 0);
}

void
ipfix_put_record(struct ipfix_msg *m, const struct ipfix_flow_record *rec)
{
	struct vpg_wr *w = m->w;

	if (!m->set_open) {
		w->overflow = true;
		return;
	}
	/* RFC 7011 §6.1.2: addresses are written in network order as given. */
	wr_bytes(w, &rec->saddr, 4);
	wr_bytes(w, &rec->daddr, 4);
	wr_be16(w, rec->sport);
	wr_be16(w, rec->dport);
	wr_u8(w, rec->proto);
	ipfix_wr_be64(w, rec->octets);
	ipfix_wr_be64(w, rec->packets);
	ipfix_wr_be64(w, rec->start_ms); /* RFC 7011 §6.1.7 */
	ipfix_wr_be64(w, rec->end_ms);
	wr_be16(w, rec->tcp_flags);
	wr_u8(w, rec->direction);
	ipfix_wr_varlen(w, rec->imsi);
	ipfix_wr_varlen(w, rec->app_name);
	m->records++;
}

/*
 * RFC 7011 §3.3.2: the set length counts its header, records and padding;
 * padding is optional (§3.3.1) and we add none.
 */
void
ipfix_data_end(struct ipfix_msg *m)
{
	size_t len = m->w->len - m->set_off;

	if (!m->set_open || len > UINT16_MAX) {
		m->w->overflow = true;
		return;
	}
	m->set_open = false;
	wr_patch_be16(m->w, m->set_off + 2, (uint16_t)len);
}

/* RFC 7011 §3.1: the message length counts the header and every set. */
size_t
ipfix_msg_end(struct ipfix_msg *m)
{
	struct vpg_wr *w = m->w;
	size_t len = w->len - m->msg_off;

	if (m->set_open || len > UINT16_MAX)
		w->overflow = true;
	if (w->overflow)
		return 0;
	wr_patch_be16(w, m->msg_off + 2, (uint16_t)len);
	return len;
}

size_t
ipfix_record_len(const struct ipfix_flow_record *rec)
{
	return IPFIX_RECORD_FIXED_LEN + ipfix_varlen_len(ipfix_str_len(rec->imsi)) +
	       ipfix_varlen_len(ipfix_str_len(rec->app_name));
}

static size_t
ipfix_str_len(const char *s)
{
	return s == NULL ? 0 : strlen(s);
}

/* Octets a variable-length field of n octets takes (RFC 7011 §7). */
static size_t
ipfix_varlen_len(size_t n)
{
	return (n < IPFIX_VARLEN_LONG ? 1 : 3) + n;
}

static void
ipfix_wr_be64(struct vpg_wr *w, uint64_t v)
{
	wr_be32(w, (uint32_t)(v >> 32));
	wr_be32(w, (uint32_t)v);
}

/*
 * RFC 7011 §7: a length below 255 takes one octet; from 255 on, an octet of
 * 255 then the length in two octets. A string longer than 65535 octets
 * cannot be encoded and overflows the message. Strings carry no NUL
 * (RFC 7011 §6.1.6).
 */
static void
ipfix_wr_varlen(struct vpg_wr *w, const char *s)
{
	size_t n = ipfix_str_len(s);

	if (n > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	if (n < IPFIX_VARLEN_LONG) {
		wr_u8(w, (uint8_t)n);
	} else {
		wr_u8(w, IPFIX_VARLEN_LONG);
		wr_be16(w, (uint16_t)n);
	}
	wr_bytes(w, s, n);
}

/*
 * RFC 7011 §3.1: version 10, and a length that covers at least the header
 * and at most the buffer; octets after it belong to the next message of a
 * stream, or are not ours.
 */
int
ipfix_parse_header(const uint8_t *buf, size_t len, struct ipfix_hdr *h, struct vpg_rd *sets)
{
	struct vpg_rd r, msg;

	memset(h, 0, sizeof(*h));
	rd_init(&r, buf, len);
	if (rd_be16(&r, &h->version) < 0 || rd_be16(&r, &h->length) < 0)
		return -EBADMSG;
	if (h->version != IPFIX_VERSION || h->length < IPFIX_MSG_HDR_LEN)
		return -EBADMSG;
	rd_init(&r, buf, len);
	if (rd_sub(&r, h->length, &msg) < 0 || rd_skip(&msg, 4) < 0 ||
	    rd_be32(&msg, &h->export_time) < 0 || rd_be32(&msg, &h->seq) < 0 ||
	    rd_be32(&msg, &h->domain) < 0)
		return -EBADMSG;
	*sets = msg;
	return 0;
}

/*
 * RFC 7011 §3.3.2: a set length covers its 4-octet header and must fit the
 * message; ids 0 and 1 are not used and 4 to 255 are reserved.
 */
int
ipfix_set_next(struct vpg_rd *sets, struct ipfix_set *s)
{
	struct vpg_rd r = *sets;

	if (rd_left(&r) == 0)
		return 0;
	if (rd_be16(&r, &s->id) < 0 || rd_be16(&r, &s->length) < 0)
		return -EBADMSG;
	if (s->length < IPFIX_SET_HDR_LEN ||
	    rd_sub(&r, s->length - IPFIX_SET_HDR_LEN, &s->body) < 0)
		return -EBADMSG;
	if (s->id != IPFIX_SET_TEMPLATE && s->id != IPFIX_SET_OPTIONS && s->id < IPFIX_SET_DATA_MIN)
		return -EBADMSG;
	*sets = r;
	return 1;
}

/*
 * RFC 7011 §3.4.1: template id of at least 256, field count, specifiers.
 * Fewer octets than a template record header left over are padding
 * (§3.3.1). The specifiers' own lengths vary with the enterprise bit, so
 * *fields is bounded only by the set; ipfix_field_next checks each one.
 */
int
ipfix_template_next(struct vpg_rd *body, uint16_t *id, uint16_t *count, struct vpg_rd *fields)
{
	struct vpg_rd r = *body;

	if (rd_left(&r) < IPFIX_TEMPLATE_HDR_LEN)
		return 0;
	if (rd_be16(&r, id) < 0 || rd_be16(&r, count) < 0 || *id < IPFIX_SET_DATA_MIN)
		return -EBADMSG;
	*fields = r;
	for (uint16_t i = 0; i < *count; i++) {
		struct ipfix_field f;

		if (ipfix_field_next(&r, &f) < 0)
			return -EBADMSG;
	}
	*body = r;
	return 1;
}

/* RFC 7011 §3.2: IE id, length, and a PEN when the enterprise bit is set. */
int
ipfix_field_next(struct vpg_rd *fields, struct ipfix_field *f)
{
	struct vpg_rd r = *fields;

	f->pen = 0;
	if (rd_be16(&r, &f->ie) < 0 || rd_be16(&r, &f->length) < 0)
		return -EBADMSG;
	if ((f->ie & IPFIX_ENTERPRISE_BIT) != 0) {
		f->ie &= (uint16_t)~IPFIX_ENTERPRISE_BIT;
		if (rd_be32(&r, &f->pen) < 0)
			return -EBADMSG;
	}
	/* RFC 7011 §3.2: a zero length cannot carry a value. */
	if (f->length == 0)
		return -EBADMSG;
	*fields = r;
	return 0;
}

/*
 * RFC 7011 §3.3.1: padding is shorter than the smallest record (the fixed
 * part plus two empty strings), so less than that left is the end.
 */
int
ipfix_record_next(
    struct vpg_rd *body, struct ipfix_flow_record *rec, size_t *imsi_len, size_t *app_name_len)
{
	struct vpg_rd r = *body;
	const uint8_t *imsi, *app;

	memset(rec, 0, sizeof(*rec));
	if (rd_left(&r) < IPFIX_RECORD_FIXED_LEN + 2)
		return 0;
	if (ipfix_rd_fixed(&r, rec) < 0 || ipfix_rd_varlen(&r, &imsi, imsi_len) < 0 ||
	    ipfix_rd_varlen(&r, &app, app_name_len) < 0)
		return -EBADMSG;
	rec->imsi = (const char *)imsi;
	rec->app_name = (const char *)app;
	*body = r;
	return 1;
}

static int
ipfix_rd_fixed(struct vpg_rd *r, struct ipfix_flow_record *rec)
{
	const uint8_t *saddr, *daddr;

	if (rd_bytes(r, 4, &saddr) < 0 || rd_bytes(r, 4, &daddr) < 0 ||
	    rd_be16(r, &rec->sport) < 0 || rd_be16(r, &rec->dport) < 0 ||
	    rd_u8(r, &rec->proto) < 0 || ipfix_rd_be64(r, &rec->octets) < 0 ||
	    ipfix_rd_be64(r, &rec->packets) < 0 || ipfix_rd_be64(r, &rec->start_ms) < 0 ||
	    ipfix_rd_be64(r, &rec->end_ms) < 0 || rd_be16(r, &rec->tcp_flags) < 0 ||
	    rd_u8(r, &rec->direction) < 0)
		return -1;
	memcpy(&rec->saddr, saddr, 4);
	memcpy(&rec->daddr, daddr, 4);
	return 0;
}

static int
ipfix_rd_be64(struct vpg_rd *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (rd_be32(r, &hi) < 0 || rd_be32(r, &lo) < 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

/* RFC 7011 §7, either form: one octet, or 255 then two octets. */
static int
ipfix_rd_varlen(struct vpg_rd *r, const uint8_t **p, size_t *n)
{
	uint8_t len8;
	uint16_t len16;

	if (rd_u8(r, &len8) < 0)
		return -1;
	*n = len8;
	if (len8 == IPFIX_VARLEN_LONG) {
		if (rd_be16(r, &len16) < 0)
			return -1;
		*n = len16;
	}
	return rd_bytes(r, *n, p);
}
