/*
 * GTPv2-C codec, 3GPP TS 29.274: the header, a walker over information
 * elements (grouped ones too), decoders for the IEs a PGW reads and builders
 * for the messages it and an SGW send. Pure: no I/O, no allocation, no
 * logging. Parsing works in place; views point into the caller's buffer.
 */
#ifndef VPG_PROTO_GTPV2C_H
#define VPG_PROTO_GTPV2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drop.h"
#include "wr.h"

#define GTPV2C_PORT 2123

/* TS 29.274 §6.1, Table 6.1-1: the messages the PGW role takes part in. */
enum gtpv2c_msg_type {
	GTPV2C_ECHO_REQ = 1,
	GTPV2C_ECHO_RSP = 2,
	GTPV2C_VERSION_NOT_SUPPORTED = 3,
	GTPV2C_CREATE_SESSION_REQ = 32,
	GTPV2C_CREATE_SESSION_RSP = 33,
	GTPV2C_MODIFY_BEARER_REQ = 34,
	GTPV2C_MODIFY_BEARER_RSP = 35,
	GTPV2C_DELETE_SESSION_REQ = 36,
	GTPV2C_DELETE_SESSION_RSP = 37,
	GTPV2C_MODIFY_BEARER_CMD = 64,
	GTPV2C_MODIFY_BEARER_FAILURE_IND = 65,
	GTPV2C_UPDATE_BEARER_REQ = 97,
	GTPV2C_UPDATE_BEARER_RSP = 98,
	GTPV2C_DELETE_BEARER_REQ = 99,
	GTPV2C_DELETE_BEARER_RSP = 100,
};

/* TS 29.274 §8.4, Table 8.4-1: the causes this gateway sends or reads. */
enum gtpv2c_cause {
	GTPV2C_CAUSE_REQUEST_ACCEPTED = 16,
	GTPV2C_CAUSE_REQUEST_ACCEPTED_PARTIALLY = 17,
	GTPV2C_CAUSE_NEW_PDN_TYPE_NETWORK_PREFERENCE = 18,
	GTPV2C_CAUSE_NEW_PDN_TYPE_SINGLE_ADDRESS_BEARER = 19,
	GTPV2C_CAUSE_CONTEXT_NOT_FOUND = 64,
	GTPV2C_CAUSE_INVALID_MESSAGE_FORMAT = 65,
	GTPV2C_CAUSE_VERSION_NOT_SUPPORTED_BY_NEXT_PEER = 66,
	GTPV2C_CAUSE_INVALID_LENGTH = 67,
	GTPV2C_CAUSE_SERVICE_NOT_SUPPORTED = 68,
	GTPV2C_CAUSE_MANDATORY_IE_INCORRECT = 69,
	GTPV2C_CAUSE_MANDATORY_IE_MISSING = 70,
	GTPV2C_CAUSE_OPTIONAL_IE_INCORRECT = 71,
	GTPV2C_CAUSE_SYSTEM_FAILURE = 72,
	GTPV2C_CAUSE_NO_RESOURCES_AVAILABLE = 73,
	GTPV2C_CAUSE_MISSING_OR_UNKNOWN_APN = 78,
	GTPV2C_CAUSE_UNEXPECTED_REPEATED_IE = 79,
	GTPV2C_CAUSE_PREFERRED_PDN_TYPE_NOT_SUPPORTED = 83,
	GTPV2C_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED = 84,
	GTPV2C_CAUSE_NO_MEMORY_AVAILABLE = 91,
	GTPV2C_CAUSE_REQUEST_REJECTED = 94,
	GTPV2C_CAUSE_IMSI_NOT_KNOWN = 96,
	GTPV2C_CAUSE_CONDITIONAL_IE_MISSING = 103,
};

/* TS 29.274 §8.1, Table 8.1-1: the IE types this gateway reads or writes. */
enum gtpv2c_ie_type {
	GTPV2C_IE_IMSI = 1,
	GTPV2C_IE_CAUSE = 2,
	GTPV2C_IE_RECOVERY = 3,
	GTPV2C_IE_APN = 71,
	GTPV2C_IE_AMBR = 72,
	GTPV2C_IE_EBI = 73,
	GTPV2C_IE_MEI = 75,
	GTPV2C_IE_MSISDN = 76,
	GTPV2C_IE_INDICATION = 77,
	GTPV2C_IE_PCO = 78,
	GTPV2C_IE_PAA = 79,
	GTPV2C_IE_BEARER_QOS = 80,
	GTPV2C_IE_RAT_TYPE = 82,
	GTPV2C_IE_SERVING_NETWORK = 83,
	GTPV2C_IE_BEARER_TFT = 84,
	GTPV2C_IE_ULI = 86,
	GTPV2C_IE_FTEID = 87,
	GTPV2C_IE_BEARER_CONTEXT = 93, /* grouped */
	GTPV2C_IE_CHARGING_ID = 94,
	GTPV2C_IE_PDN_TYPE = 99,
	GTPV2C_IE_APN_RESTRICTION = 127,
	GTPV2C_IE_SELECTION_MODE = 128,
	GTPV2C_IE_APCO = 163,
	GTPV2C_IE_PRIVATE_EXTENSION = 255,
};

/* TS 29.274 §8.22, Table 8.22-1: F-TEID interface types. */
enum gtpv2c_fteid_iface {
	GTPV2C_IF_S1U_ENODEB = 0,
	GTPV2C_IF_S1U_SGW = 1,
	GTPV2C_IF_S5S8_SGW_U = 4,
	GTPV2C_IF_S5S8_PGW_U = 5,
	GTPV2C_IF_S5S8_SGW_C = 6,
	GTPV2C_IF_S5S8_PGW_C = 7,
	GTPV2C_IF_S11_MME = 10,
	GTPV2C_IF_S11S4_SGW_C = 11,
};

/* TS 29.274 §8.34: PDN Type and the PAA's PDN type. */
enum gtpv2c_pdn_type {
	GTPV2C_PDN_IPV4 = 1,
	GTPV2C_PDN_IPV6 = 2,
	GTPV2C_PDN_IPV4V6 = 3,
	GTPV2C_PDN_NON_IP = 4,
	GTPV2C_PDN_ETHERNET = 5,
};

/* A located IE: type, instance, and value bytes inside the message. */
struct gtpv2c_ie {
	const uint8_t *val;
	uint16_t len;
	uint8_t type;
	uint8_t instance; /* 4 bits */
};

/*
 * The IEs of one level (a message, or the inside of a grouped IE), in the
 * order they came. More than GTPV2C_MAX_IES is refused as malformed: no
 * message this gateway handles comes near it.
 */
#define GTPV2C_MAX_IES 48
struct gtpv2c_ies {
	unsigned n;
	struct gtpv2c_ie ie[GTPV2C_MAX_IES];
};

/* A parsed message header (TS 29.274 §5.1) and its top-level IEs. */
struct gtpv2c_msg {
	uint8_t version;
	bool piggyback; /* P: another message follows this one in the datagram */
	bool has_teid;	/* T */
	uint8_t type;
	uint16_t length; /* octets after the first 4 */
	uint32_t teid;	 /* 0 when !has_teid */
	uint32_t seq;	 /* 24 bits */
	struct gtpv2c_ies ies;
};

/*
 * Parses a GTPv2-C datagram in place: header and top-level IEs (grouped IEs
 * are left whole; open them with gtpv2c_parse_grouped). Returns
 * VPG_DROP_NONE or why it must be dropped:
 *  - GTPV2C_TOO_SHORT: fewer octets than the header needs;
 *  - GTPV2C_BAD_VERSION: not version 2 (msg->version, type and, when it can
 *    be read, seq filled in so the caller can answer Version Not Supported);
 *  - GTPV2C_BAD_LENGTH: the length field disagrees with the datagram (more
 *    octets than it says are allowed only with the P flag);
 *  - GTPV2C_BAD_IE: an IE runs past its message, or there are too many
 *    (msg's header fields are filled in, so the caller can answer a request
 *    with "Invalid Length" or "Invalid Message Format").
 * Echo and Version Not Supported have no TEID (T = 0); other messages have one.
 */
enum vpg_drop gtpv2c_parse(const uint8_t *buf, size_t len, struct gtpv2c_msg *msg);

/* Opens a grouped IE (Bearer Context): VPG_DROP_NONE or GTPV2C_BAD_IE. */
enum vpg_drop gtpv2c_parse_grouped(const struct gtpv2c_ie *ie, struct gtpv2c_ies *out);

/* The first IE of type and instance in ies, or NULL. */
const struct gtpv2c_ie *gtpv2c_find(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance);
/* The nth (from 0) IE of type and instance, or NULL; for repeated Bearer Contexts. */
const struct gtpv2c_ie *gtpv2c_find_nth(
    const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance, unsigned nth);
/* How many IEs of type and instance ies holds. */
unsigned gtpv2c_count(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance);

/* True for the request types of the table above; false for responses and unknown types. */
bool gtpv2c_type_is_request(uint8_t type);
/* The name of a message type for logs and metrics, "unknown" otherwise. */
const char *gtpv2c_type_name(uint8_t type);

/* IE value decoders: 0 on success, -1 when the value is malformed. */
int gtpv2c_ie_imsi(const struct gtpv2c_ie *ie, char out[16]);	      /* TBCD, 1..15 digits */
int gtpv2c_ie_msisdn(const struct gtpv2c_ie *ie, char out[24]);	      /* TBCD, 1..23 digits */
int gtpv2c_ie_mei(const struct gtpv2c_ie *ie, char out[17]);	      /* IMEI(SV), 1..16 digits */
int gtpv2c_ie_apn(const struct gtpv2c_ie *ie, char *out, size_t cap); /* labels to dotted */
int gtpv2c_ie_u8(const struct gtpv2c_ie *ie, uint8_t *v);	      /* first octet; len >= 1 */
int gtpv2c_ie_u32(const struct gtpv2c_ie *ie, uint32_t *v);	      /* first 4 octets; len >= 4 */
/* EBI: the low 4 bits of the first octet (§8.8). */
int gtpv2c_ie_ebi(const struct gtpv2c_ie *ie, uint8_t *ebi);

/* F-TEID, §8.22. */
struct gtpv2c_fteid {
	uint8_t iface; /* enum gtpv2c_fteid_iface, 6 bits */
	uint32_t teid; /* TEID or GRE key */
	bool has_ipv4, has_ipv6;
	uint32_t ipv4_be;
	uint8_t ipv6[16];
};
int gtpv2c_ie_fteid(const struct gtpv2c_ie *ie, struct gtpv2c_fteid *f);

/* PDN Address Allocation, §8.14. */
struct gtpv2c_paa {
	uint8_t pdn_type; /* enum gtpv2c_pdn_type */
	uint32_t ipv4_be; /* for IPv4 and IPv4v6; 0.0.0.0: the network chooses */
	uint8_t ipv6_prefix_len;
	uint8_t ipv6[16];
};
int gtpv2c_ie_paa(const struct gtpv2c_ie *ie, struct gtpv2c_paa *p);

/* Aggregate Maximum Bit Rate, §8.7, in kbit/s. */
struct gtpv2c_ambr {
	uint32_t uplink_kbps, downlink_kbps;
};
int gtpv2c_ie_ambr(const struct gtpv2c_ie *ie, struct gtpv2c_ambr *a);

/* Bearer Level QoS, §8.15: ARP, QCI, and four 40-bit rates in kbit/s. */
struct gtpv2c_bearer_qos {
	uint8_t pci, priority_level, pvi; /* ARP: pre-emption capability, level, vulnerability */
	uint8_t qci;
	uint64_t mbr_uplink, mbr_downlink, gbr_uplink, gbr_downlink;
};
int gtpv2c_ie_bearer_qos(const struct gtpv2c_ie *ie, struct gtpv2c_bearer_qos *q);

/* Serving Network, §8.18: the PLMN as MCC and MNC digits. */
struct gtpv2c_plmn {
	char mcc[4], mnc[4];
};
int gtpv2c_ie_serving_network(const struct gtpv2c_ie *ie, struct gtpv2c_plmn *p);

/* Cause, §8.4: the value, its flags, and the offending IE when one is named. */
struct gtpv2c_cause_ie {
	uint8_t cause;
	bool pce, bce, cs; /* PDN connection, bearer context, cause source */
	bool has_offending;
	uint8_t offending_type, offending_instance;
};
int gtpv2c_ie_cause(const struct gtpv2c_ie *ie, struct gtpv2c_cause_ie *c);

/* Builders. They append to w; the caller checks w->overflow once at the end. */

/*
 * Starts a message: with a TEID field when has_teid (every message but Echo
 * and Version Not Supported). Returns the offset gtpv2c_build_finish needs.
 */
size_t gtpv2c_build_header(
    struct vpg_wr *w, uint8_t type, bool has_teid, uint32_t teid, uint32_t seq);
/* Writes the length field from what has been appended since the header. */
void gtpv2c_build_finish(struct vpg_wr *w, size_t hdr_off);
/* Stamps a new sequence number into a built message (for retransmission paths). */
void gtpv2c_set_seq(uint8_t *msg, size_t len, uint32_t seq);

/* Opens a grouped IE; gtpv2c_group_end writes its length. */
size_t gtpv2c_group_begin(struct vpg_wr *w, uint8_t type, uint8_t instance);
void gtpv2c_group_end(struct vpg_wr *w, size_t off);

void gtpv2c_put_ie(struct vpg_wr *w, uint8_t type, uint8_t instance, const void *val, uint16_t len);
void gtpv2c_put_u8(struct vpg_wr *w, uint8_t type, uint8_t instance, uint8_t v);
void gtpv2c_put_u32(struct vpg_wr *w, uint8_t type, uint8_t instance, uint32_t v);
/* Cause without or with an offending IE (offending_type 0: none). */
void gtpv2c_put_cause(
    struct vpg_wr *w, uint8_t cause, uint8_t offending_type, uint8_t offending_instance);
void gtpv2c_put_recovery(struct vpg_wr *w, uint8_t restart_counter);
void gtpv2c_put_ebi(struct vpg_wr *w, uint8_t instance, uint8_t ebi);
void gtpv2c_put_fteid(
    struct vpg_wr *w, uint8_t instance, uint8_t iface, uint32_t teid, uint32_t ipv4_be);
void gtpv2c_put_paa_ipv4(struct vpg_wr *w, uint32_t ipv4_be);
void gtpv2c_put_ambr(struct vpg_wr *w, const struct gtpv2c_ambr *a);
void gtpv2c_put_bearer_qos(struct vpg_wr *w, const struct gtpv2c_bearer_qos *q);
/* Digit strings as TBCD: IMSI, MSISDN, MEI. Digits must be decimal. */
void gtpv2c_put_tbcd(struct vpg_wr *w, uint8_t type, const char *digits);
/* An APN as DNS labels. */
void gtpv2c_put_apn(struct vpg_wr *w, const char *apn);
void gtpv2c_put_serving_network(struct vpg_wr *w, const struct gtpv2c_plmn *p);

#endif
