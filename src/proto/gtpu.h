/*
 * GTPv1-U codec, 3GPP TS 29.281: header with its optional fields and
 * extension-header chain, G-PDU encapsulation, and the path management
 * messages a GGSN sends (Echo Response, Error Indication). Pure: no I/O, no
 * allocation, no logging.
 */
#ifndef VPG_PROTO_GTPU_H
#define VPG_PROTO_GTPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drop.h"

#define GTPU_PORT	  2152
#define GTPU_HDR_LEN	  8  /* mandatory part, TS 29.281 §5.1 */
#define GTPU_HDR_QFI_LEN  16 /* with the optional fields and a PDU Session Container */
#define GTPU_MAX_EXT_HDRS 16 /* longest chain accepted; a longer one is a drop */

/* TS 29.281 §6.1, Table 6.1-1. */
enum gtpu_msg_type {
	GTPU_ECHO_REQ = 1,
	GTPU_ECHO_RSP = 2,
	GTPU_ERROR_INDICATION = 26,
	GTPU_SUPPORTED_EXT_HDRS = 31,
	GTPU_END_MARKER = 254,
	GTPU_GPDU = 255,
};

/* Header flags, octet 1 (TS 29.281 §5.1). */
#define GTPU_F_PN 0x01
#define GTPU_F_S  0x02
#define GTPU_F_E  0x04
#define GTPU_F_PT 0x10

struct gtpu_view {
	uint8_t flags;
	uint8_t type;
	uint16_t length; /* the header's length field: octets after the first 8 */
	uint32_t teid;
	bool has_seq; /* S flag set: seq holds the sender's sequence number */
	uint16_t seq;
	uint8_t n_ext; /* extension headers walked */
	bool has_qfi;  /* a PDU Session Container was there (5G, TS 38.415) */
	uint8_t qfi;
	size_t hdr_len; /* 8, or 12 plus every extension header */
	const uint8_t *payload;
	size_t payload_len; /* T-PDU for a G-PDU, IEs for a signalling message */
};

/*
 * Parses a GTPv1-U datagram in place: version 1 and PT set, the length field
 * no longer than the datagram (octets beyond it are padding and ignored), the
 * optional fields when any of E/S/PN is set, and the extension-header chain
 * walked to its end. Returns VPG_DROP_NONE or the reason to drop.
 */
enum vpg_drop gtpu_parse(const uint8_t *buf, size_t len, struct gtpu_view *v);

/*
 * Pushes an 8-octet G-PDU header in front of payload, which must have at
 * least GTPU_HDR_LEN writable octets before it. Returns the header start.
 */
uint8_t *gtpu_push_gpdu(uint8_t *payload, size_t payload_len, uint32_t teid);
/* The same with a DL PDU Session Container carrying qfi; GTPU_HDR_QFI_LEN octets before payload. */
uint8_t *gtpu_push_gpdu_qfi(uint8_t *payload, size_t payload_len, uint32_t teid, uint8_t qfi);

/*
 * Builds an Echo Response to a request with sequence number seq, with the
 * Recovery IE (TS 29.281 §7.2.2: restart counter zero). Returns its length or
 * 0 if cap is too small.
 */
size_t gtpu_build_echo_rsp(uint8_t *out, size_t cap, uint16_t seq);

/*
 * Builds an Error Indication (TS 29.281 §7.3.1) for a G-PDU that arrived with
 * an unknown TEID: TEID Data I = that TEID, GTP-U Peer Address = our address
 * the G-PDU was sent to. Returns its length or 0 if cap is too small.
 */
size_t gtpu_build_error_indication(uint8_t *out, size_t cap, uint32_t teid, uint32_t local_addr_be);

/* Reads the TEID Data I IE of a received Error Indication. */
int gtpu_error_indication_teid(const struct gtpu_view *v, uint32_t *teid);

#endif
