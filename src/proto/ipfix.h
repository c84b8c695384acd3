/*
 * IPFIX codec, RFC 7011: the messages Junction Inspection sends to
 * collectors. One template (IPFIX_TEMPLATE_ID) describes a per-flow record
 * of IANA Information Elements (RFC 7012); data sets carry those records.
 * Building is pure: no I/O, no allocation, writes only through struct
 * vpg_wr. The parser serves the tests and the fuzzer: vpgd never receives
 * IPFIX, so it returns -EBADMSG rather than a counted drop reason.
 */
#ifndef VPG_PROTO_IPFIX_H
#define VPG_PROTO_IPFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rd.h"
#include "wr.h"

#define IPFIX_PORT	      4739
#define IPFIX_VERSION	      10     /* RFC 7011 §3.1 */
#define IPFIX_MSG_HDR_LEN     16     /* RFC 7011 §3.1 */
#define IPFIX_SET_HDR_LEN     4	     /* RFC 7011 §3.3.2 */
#define IPFIX_SET_TEMPLATE    2	     /* RFC 7011 §3.3.2 */
#define IPFIX_SET_OPTIONS     3	     /* RFC 7011 §3.3.2 */
#define IPFIX_SET_DATA_MIN    256    /* RFC 7011 §3.3.2: data sets are template ids */
#define IPFIX_VARLEN	      0xffff /* field length meaning "variable", RFC 7011 §7 */
#define IPFIX_TEMPLATE_ID     256
#define IPFIX_TEMPLATE_FIELDS 13
/* Fixed-length part of our data record: every field but the two strings. */
#define IPFIX_RECORD_FIXED_LEN 48

/* flowDirection (IE 61) values, RFC 7012 / IANA. */
#define IPFIX_DIR_INGRESS 0
#define IPFIX_DIR_EGRESS  1

/*
 * The IANA Information Elements of our template, in record order (RFC 7012
 * §5 and the IANA "IPFIX Information Elements" registry).
 */
enum ipfix_ie {
	IPFIX_IE_OCTET_DELTA_COUNT = 1,		  /* unsigned64 */
	IPFIX_IE_PACKET_DELTA_COUNT = 2,	  /* unsigned64 */
	IPFIX_IE_PROTOCOL_IDENTIFIER = 4,	  /* unsigned8 */
	IPFIX_IE_TCP_CONTROL_BITS = 6,		  /* unsigned16 (RFC 7125) */
	IPFIX_IE_SOURCE_TRANSPORT_PORT = 7,	  /* unsigned16 */
	IPFIX_IE_SOURCE_IPV4_ADDRESS = 8,	  /* ipv4Address */
	IPFIX_IE_DESTINATION_TRANSPORT_PORT = 11, /* unsigned16 */
	IPFIX_IE_DESTINATION_IPV4_ADDRESS = 12,	  /* ipv4Address */
	IPFIX_IE_FLOW_DIRECTION = 61,		  /* unsigned8 */
	IPFIX_IE_APPLICATION_NAME = 96,		  /* string */
	IPFIX_IE_FLOW_START_MILLISECONDS = 152,	  /* dateTimeMilliseconds */
	IPFIX_IE_FLOW_END_MILLISECONDS = 153,	  /* dateTimeMilliseconds */
	IPFIX_IE_MOBILE_IMSI = 455,		  /* string */
};

/* What one data record says about one flow, as the exporter hands it over. */
struct ipfix_flow_record {
	uint32_t saddr, daddr; /* network order */
	uint16_t sport, dport; /* host order */
	uint8_t proto;
	uint8_t direction;    /* IPFIX_DIR_* */
	uint16_t tcp_flags;   /* OR of the TCP flags seen, RFC 7125 layout */
	uint64_t octets;      /* since the previous record of this flow */
	uint64_t packets;     /* since the previous record of this flow */
	uint64_t start_ms;    /* ms since the Unix epoch */
	uint64_t end_ms;      /* ms since the Unix epoch */
	const char *imsi;     /* NUL-terminated; NULL is empty */
	const char *app_name; /* NUL-terminated; NULL is empty */
};

/*
 * A message under construction. The offsets let the message and the open
 * set start anywhere in the writer (after headroom, say); records counts
 * the data records written, which advances the next message's sequence
 * number.
 */
struct ipfix_msg {
	struct vpg_wr *w;
	size_t msg_off;
	size_t set_off;
	bool set_open;
	uint32_t records;
};

/*
 * Starts a message at w's current end. seq is the number of data records
 * sent in this session before this message (RFC 7011 §3.1), export_time_s
 * seconds since the Unix epoch.
 */
void ipfix_msg_begin(
    struct ipfix_msg *m, struct vpg_wr *w, uint32_t export_time_s, uint32_t seq, uint32_t domain);
/* Appends a Template Set with our one template (RFC 7011 §3.4.1). */
void ipfix_put_template(struct ipfix_msg *m);
/* Opens a Data Set for our template. */
void ipfix_data_begin(struct ipfix_msg *m);
/* Appends one data record to the open Data Set. */
void ipfix_put_record(struct ipfix_msg *m, const struct ipfix_flow_record *rec);
/* Closes the Data Set: fills its length. No padding is added. */
void ipfix_data_end(struct ipfix_msg *m);
/*
 * Fills the message length. Returns the message length, or 0 when anything
 * did not fit (the writer's overflow flag, also set for a message longer than
 * the 16-bit length field or a set left open).
 */
size_t ipfix_msg_end(struct ipfix_msg *m);
/* Octets rec takes in a Data Set, so an exporter can flush before it. */
size_t ipfix_record_len(const struct ipfix_flow_record *rec);

/* Message header, RFC 7011 §3.1. */
struct ipfix_hdr {
	uint16_t version;
	uint16_t length;
	uint32_t export_time;
	uint32_t seq;
	uint32_t domain;
};

struct ipfix_set {
	uint16_t id;
	uint16_t length; /* header included, RFC 7011 §3.3.2 */
	struct vpg_rd body;
};

/* Field specifier, RFC 7011 §3.2. */
struct ipfix_field {
	uint16_t ie;	 /* enterprise bit cleared */
	uint16_t length; /* IPFIX_VARLEN for variable length */
	uint32_t pen;	 /* 0 when the enterprise bit is clear */
};

/*
 * Parses the message header at buf and sets *sets to the message body, for
 * ipfix_set_next. Octets after the message length are not read. Returns 0 or
 * -EBADMSG.
 */
int ipfix_parse_header(const uint8_t *buf, size_t len, struct ipfix_hdr *h, struct vpg_rd *sets);
/* Next set of a message body: 1 with *s filled, 0 at the end, or -EBADMSG. */
int ipfix_set_next(struct vpg_rd *sets, struct ipfix_set *s);
/*
 * Next template record of a Template Set body: 1 with its id and field count,
 * and *fields over its field specifiers; 0 at the end (padding included); or
 * -EBADMSG.
 */
int ipfix_template_next(struct vpg_rd *body, uint16_t *id, uint16_t *count, struct vpg_rd *fields);
/* Next field specifier of a template record: 0 or -EBADMSG. */
int ipfix_field_next(struct vpg_rd *fields, struct ipfix_field *f);
/*
 * Decodes one record of our template from a Data Set body: 1 with *rec
 * filled (its strings point into the buffer, not NUL-terminated: their
 * lengths are in imsi_len and app_name_len), 0 at the end, or -EBADMSG.
 */
int ipfix_record_next(
    struct vpg_rd *body, struct ipfix_flow_record *rec, size_t *imsi_len, size_t *app_name_len);

#endif
