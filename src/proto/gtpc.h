/*
 * GTPv1-C codec, 3GPP TS 29.060: header, information elements, and builders
 * for the messages a GGSN sends. Pure: no I/O, no allocation, no logging.
 * Parsing works in place; views point into the caller's buffer.
 */
#ifndef VPG_PROTO_GTPC_H
#define VPG_PROTO_GTPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drop.h"
#include "wr.h"

#define GTPC_PORT 2123

/* TS 29.060 §7.1, Table 1. */
enum gtpc_msg_type {
	GTPC_ECHO_REQ = 1,
	GTPC_ECHO_RSP = 2,
	GTPC_VERSION_NOT_SUPPORTED = 3,
	GTPC_CREATE_PDP_REQ = 16,
	GTPC_CREATE_PDP_RSP = 17,
	GTPC_UPDATE_PDP_REQ = 18,
	GTPC_UPDATE_PDP_RSP = 19,
	GTPC_DELETE_PDP_REQ = 20,
	GTPC_DELETE_PDP_RSP = 21,
	GTPC_ERROR_INDICATION = 26,
	GTPC_SUPPORTED_EXT_HDRS = 31,
};

/* TS 29.060 §7.7.1, Table 38. */
enum gtpc_cause {
	GTPC_CAUSE_REQUEST_ACCEPTED = 128,
	GTPC_CAUSE_NON_EXISTENT = 192,
	GTPC_CAUSE_INVALID_MESSAGE_FORMAT = 193,
	GTPC_CAUSE_VERSION_NOT_SUPPORTED = 198,
	GTPC_CAUSE_NO_RESOURCES = 199,
	GTPC_CAUSE_SERVICE_NOT_SUPPORTED = 200,
	GTPC_CAUSE_MANDATORY_IE_INCORRECT = 201,
	GTPC_CAUSE_MANDATORY_IE_MISSING = 202,
	GTPC_CAUSE_OPTIONAL_IE_INCORRECT = 203,
	GTPC_CAUSE_SYSTEM_FAILURE = 204,
	GTPC_CAUSE_CONTEXT_NOT_FOUND = 210,
	GTPC_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED = 211,
	GTPC_CAUSE_NO_MEMORY = 212,
	GTPC_CAUSE_MISSING_OR_UNKNOWN_APN = 219,
	GTPC_CAUSE_UNKNOWN_PDP_ADDRESS_OR_TYPE = 220,
};

/* TS 29.060 §7.7: the IE types this gateway reads or writes. */
enum gtpc_ie_type {
	GTPC_IE_CAUSE = 1,		       /* TV, 1 octet */
	GTPC_IE_IMSI = 2,		       /* TV, 8 octets TBCD */
	GTPC_IE_RAI = 3,		       /* TV, 6 */
	GTPC_IE_REORDERING_REQUIRED = 8,       /* TV, 1 */
	GTPC_IE_RECOVERY = 14,		       /* TV, 1 */
	GTPC_IE_SELECTION_MODE = 15,	       /* TV, 1 */
	GTPC_IE_TEID_DATA_I = 16,	       /* TV, 4 */
	GTPC_IE_TEID_CONTROL = 17,	       /* TV, 4 */
	GTPC_IE_TEARDOWN_IND = 19,	       /* TV, 1 */
	GTPC_IE_NSAPI = 20,		       /* TV, 1 */
	GTPC_IE_CHARGING_CHARACTERISTICS = 26, /* TV, 2 */
	GTPC_IE_CHARGING_ID = 127,	       /* TV, 4 */
	GTPC_IE_END_USER_ADDRESS = 128,	       /* TLV */
	GTPC_IE_APN = 131,		       /* TLV */
	GTPC_IE_PCO = 132,		       /* TLV */
	GTPC_IE_GSN_ADDRESS = 133,	       /* TLV, appears twice in Create/Update */
	GTPC_IE_MSISDN = 134,		       /* TLV */
	GTPC_IE_QOS_PROFILE = 135,	       /* TLV */
	GTPC_IE_PRIVATE_EXTENSION = 255,       /* TLV */
};

/* A located IE: value bytes inside the message, without type and length. */
struct gtpc_ie {
	const uint8_t *val;
	uint16_t len;
	bool present;
};

/*
 * A parsed message. ie[] is indexed by IE type and holds the first instance
 * of each (TS 29.060 §11.1.12: repeated IEs after the first are ignored), except
 * that the second GSN Address is kept in gsn_addr2 because Create and Update
 * carry two in a fixed order (signalling, then user traffic).
 */
struct gtpc_msg {
	uint8_t version;
	uint8_t type;
	uint16_t length; /* octets after the mandatory 8-octet header */
	uint32_t teid;
	bool has_seq;
	uint16_t seq;
	uint8_t npdu;
	struct gtpc_ie ie[256];
	struct gtpc_ie gsn_addr2;
};

/*
 * Parses a GTPv1-C datagram in place. Returns VPG_DROP_NONE, or why the
 * datagram must be dropped. A datagram of another GTP version returns
 * VPG_DROP_GTPC_BAD_VERSION with msg->version, msg->type and msg->seq filled
 * in as far as they could be read, so the caller can answer Version Not
 * Supported (TS 29.060 §11.1.1).
 */
enum vpg_drop gtpc_parse(const uint8_t *buf, size_t len, struct gtpc_msg *msg);

/* True for the message types this GGSN accepts as requests or responses. */
bool gtpc_type_known(uint8_t type);

/* IE value decoders: 0 on success, -1 when the value is malformed. */
int gtpc_ie_imsi(const struct gtpc_ie *ie, char out[16]);   /* 15 digits max, NUL-terminated */
int gtpc_ie_msisdn(const struct gtpc_ie *ie, char out[24]); /* digits without the type octet */
int gtpc_ie_apn(const struct gtpc_ie *ie, char *out, size_t cap); /* dotted labels */
int gtpc_ie_u8(const struct gtpc_ie *ie, uint8_t *v);
int gtpc_ie_u32(const struct gtpc_ie *ie, uint32_t *v);
int gtpc_ie_ipv4(const struct gtpc_ie *ie, uint32_t *addr_be); /* GSN Address, IPv4 only */

/* End User Address, TS 29.060 §7.7.27: IETF organisation, PDP type IPv4. */
struct gtpc_eua {
	bool ipv4;	  /* PDP type number 0x21 */
	bool has_address; /* a static address was requested */
	uint32_t addr_be;
};
int gtpc_ie_eua(const struct gtpc_ie *ie, struct gtpc_eua *eua);

/* Builders. They append to w; the caller checks w->overflow once at the end. */

/* Starts a message with the S flag set; returns the offset to finish with. */
size_t gtpc_build_header(struct vpg_wr *w, uint8_t type, uint32_t teid, uint16_t seq);
/* Writes the length field from what has been appended since the header. */
void gtpc_build_finish(struct vpg_wr *w, size_t hdr_off);

void gtpc_put_tv8(struct vpg_wr *w, uint8_t type, uint8_t v);
void gtpc_put_tv16(struct vpg_wr *w, uint8_t type, uint16_t v);
void gtpc_put_tv32(struct vpg_wr *w, uint8_t type, uint32_t v);
void gtpc_put_tlv(struct vpg_wr *w, uint8_t type, const void *val, uint16_t len);
void gtpc_put_eua_ipv4(struct vpg_wr *w, uint32_t addr_be);
void gtpc_put_gsn_ipv4(struct vpg_wr *w, uint32_t addr_be);
/* The IMSI as TBCD, TS 29.060 §7.7.2; digits must be 1..15 decimal digits. */
void gtpc_put_imsi(struct vpg_wr *w, const char *digits);

/* The name of a message type for logs and metrics, "unknown" otherwise. */
const char *gtpc_type_name(uint8_t type);

#endif
