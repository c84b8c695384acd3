/*
 * GTPv1-U codec, 3GPP TS 29.281. Parsing reads through struct vpg_rd, but
 * for the plain G-PDU (8 octets, no optional fields) read at its offsets;
 * building writes only through struct vpg_wr, but for the plain G-PDU header
 * (gtpu_push_gpdu), eight octets of fixed layout into headroom the caller
 * guarantees, on every downlink packet.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gtpu.h"
#include "rd.h"
#include "wr.h"

/* Octet 1 of every header we send: version 1, PT 1 (TS 29.281 §5.1). */
#define GTPU_V1_PT   0x30
#define GTPU_OPT_LEN 4 /* sequence number, N-PDU number, next extension type */

/* Extension header types we understand, TS 29.281 §5.2.1 Figure 5.2.1-3. */
#define GTPU_EXT_NONE		       0x00
#define GTPU_EXT_RAN_CONTAINER	       0x81
#define GTPU_EXT_LONG_PDCP_PDU_NUMBER  0x82
#define GTPU_EXT_XW_RAN_CONTAINER      0x83
#define GTPU_EXT_NR_RAN_CONTAINER      0x84
#define GTPU_EXT_PDU_SESSION_CONTAINER 0x85
#define GTPU_EXT_PDCP_PDU_NUMBER       0xc0
/* Bit 8 of the type: the endpoint receiver must understand it (§5.2.1). */
#define GTPU_EXT_COMPREHENSION_REQUIRED 0x80

/* Information elements, TS 29.281 §8. */
#define GTPU_IE_RECOVERY	  14
#define GTPU_IE_TEID_DATA_I	  16
#define GTPU_IE_PEER_ADDRESS	  133
#define GTPU_IE_EXT_HDR_TYPE_LIST 141
#define GTPU_IE_TLV_FIRST	  128

static enum vpg_drop gtpu_parse_optional(struct vpg_rd *, struct gtpu_view *, uint8_t *);
static enum vpg_drop gtpu_walk_ext(struct vpg_rd *, uint8_t, struct gtpu_view *);
static void gtpu_read_qfi(const struct vpg_rd *, struct gtpu_view *);
static bool gtpu_type_known(uint8_t);
static bool gtpu_ext_understood(uint8_t);
static int gtpu_ie_skip(struct vpg_rd *, uint8_t);
static void gtpu_wr_hdr(struct vpg_wr *, uint8_t, uint8_t, uint16_t, uint32_t);

/*
 * Nearly every datagram is a G-PDU with the 8-octet header alone (flags
 * 0x30: version 1, PT, no E, S or PN), which needs no walk: read at fixed
 * offsets, it yields what the general parse below would. Anything else,
 * or a length that does not fit, is left to the general parse.
 */
static bool
gtpu_parse_plain_gpdu(const uint8_t *buf, size_t len, struct gtpu_view *v)
{
	uint16_t length;

	if (len < GTPU_HDR_LEN || buf[0] != GTPU_V1_PT || buf[1] != GTPU_GPDU)
		return false;
	length = rd_load_be16(buf + 2);
	if (length > len - GTPU_HDR_LEN)
		return false;
	v->flags = GTPU_V1_PT;
	v->type = GTPU_GPDU;
	v->length = length;
	v->teid = rd_load_be32(buf + 4);
	v->hdr_len = GTPU_HDR_LEN;
	v->payload = buf + GTPU_HDR_LEN;
	v->payload_len = length;
	return true;
}

enum vpg_drop
gtpu_parse(const uint8_t *buf, size_t len, struct gtpu_view *v)
{
	struct vpg_rd r, msg;
	enum vpg_drop drop;
	uint8_t next = GTPU_EXT_NONE;

	memset(v, 0, sizeof(*v));
	if (gtpu_parse_plain_gpdu(buf, len, v))
		return VPG_DROP_NONE;
	rd_init(&r, buf, len);
	if (rd_u8(&r, &v->flags) < 0 || rd_u8(&r, &v->type) < 0 || rd_be16(&r, &v->length) < 0 ||
	    rd_be32(&r, &v->teid) < 0)
		return VPG_DROP_GTPU_TOO_SHORT;
	/*
	 * TS 29.281 §5.1: version 1; PT 0 is GTP' (TS 32.295), which shares
	 * the header but is not ours.
	 */
	if ((v->flags >> 5) != 1 || (v->flags & GTPU_F_PT) == 0)
		return VPG_DROP_GTPU_BAD_VERSION;
	/*
	 * TS 29.281 §5.1: the length counts the octets after the first 8,
	 * optional fields and extension headers included. Octets beyond it
	 * are padding (e.g. a minimum Ethernet frame) and are not ours.
	 */
	if (rd_sub(&r, v->length, &msg) < 0)
		return VPG_DROP_GTPU_BAD_LENGTH;
	/* TS 29.281 §6.1 Table 6.1-1: anything else is not GTP-U. */
	if (!gtpu_type_known(v->type))
		return VPG_DROP_GTPU_UNKNOWN_TYPE;
	if ((drop = gtpu_parse_optional(&msg, v, &next)) != VPG_DROP_NONE)
		return drop;
	if ((drop = gtpu_walk_ext(&msg, next, v)) != VPG_DROP_NONE)
		return drop;
	v->payload_len = rd_left(&msg);
	if (rd_bytes(&msg, v->payload_len, &v->payload) < 0)
		return VPG_DROP_GTPU_BAD_LENGTH; /* cannot happen: it is what is left */
	v->hdr_len = (size_t)(v->payload - buf);
	return VPG_DROP_NONE;
}

/*
 * TS 29.281 §5.1: if and only if any of E, S or PN is set, the sequence
 * number, N-PDU number and next extension header type are all present (4
 * octets, counted in the length); a field whose flag is clear is not
 * interpreted. *next gets the first extension type, or 0 when E is clear.
 */
static enum vpg_drop
gtpu_parse_optional(struct vpg_rd *msg, struct gtpu_view *v, uint8_t *next)
{
	uint16_t seq;
	uint8_t npdu, ext;

	if ((v->flags & (GTPU_F_E | GTPU_F_S | GTPU_F_PN)) == 0)
		return VPG_DROP_NONE;
	if (rd_be16(msg, &seq) < 0 || rd_u8(msg, &npdu) < 0 || rd_u8(msg, &ext) < 0)
		return VPG_DROP_GTPU_BAD_LENGTH;
	if (v->flags & GTPU_F_S) {
		v->has_seq = true;
		v->seq = seq;
	}
	*next = (v->flags & GTPU_F_E) ? ext : GTPU_EXT_NONE;
	return VPG_DROP_NONE;
}

/*
 * Walks the extension header chain, TS 29.281 §5.2. Each header is its
 * length in 4-octet units, its content, and the type of the next header in
 * its last octet; the chain ends at type 0. The walk provably ends: every
 * step consumes at least 4 octets of a bounded buffer, and the number of
 * steps is capped at GTPU_MAX_EXT_HDRS.
 */
static enum vpg_drop
gtpu_walk_ext(struct vpg_rd *msg, uint8_t next, struct gtpu_view *v)
{
	uint8_t units;

	while (next != GTPU_EXT_NONE) {
		if (v->n_ext == GTPU_MAX_EXT_HDRS)
			return VPG_DROP_GTPU_BAD_EXT_CHAIN;
		/*
		 * TS 29.281 §5.2.1: a type whose bit 8 is set must be
		 * understood by the endpoint receiver, which we are, or the
		 * packet is discarded; one with bit 8 clear is skipped using
		 * its length.
		 */
		if (!gtpu_ext_understood(next))
			return VPG_DROP_GTPU_EXT_UNSUPPORTED;
		/*
		 * TS 29.281 §5.2.1: the length is n * 4 octets with n a
		 * positive integer; zero would never advance the walk.
		 */
		if (rd_u8(msg, &units) < 0 || units == 0)
			return VPG_DROP_GTPU_BAD_EXT_CHAIN;
		if (next == GTPU_EXT_PDU_SESSION_CONTAINER)
			gtpu_read_qfi(msg, v);
		/* Content (4n - 2 octets) must end inside the length field. */
		if (rd_skip(msg, (size_t)units * 4 - 2) < 0 || rd_u8(msg, &next) < 0)
			return VPG_DROP_GTPU_BAD_EXT_CHAIN;
		v->n_ext++;
	}
	return VPG_DROP_NONE;
}

/*
 * TS 38.415 §5.5.2: the QoS Flow Identifier is the low 6 bits of the PDU
 * Session Container's second octet, in the UL and DL formats alike. Read
 * through a copy of the cursor: the walk skips the content by its length.
 */
static void
gtpu_read_qfi(const struct vpg_rd *msg, struct gtpu_view *v)
{
	struct vpg_rd r = *msg;
	uint8_t pdu_type, qfi;

	if (rd_u8(&r, &pdu_type) < 0 || rd_u8(&r, &qfi) < 0)
		return;
	v->has_qfi = true;
	v->qfi = qfi & 0x3f;
}

/* TS 29.281 §6.1 Table 6.1-1: the messages a GTP-U entity may receive. */
static bool
gtpu_type_known(uint8_t type)
{
	switch (type) {
	case GTPU_ECHO_REQ:
	case GTPU_ECHO_RSP:
	case GTPU_ERROR_INDICATION:
	case GTPU_SUPPORTED_EXT_HDRS:
	case GTPU_END_MARKER:
	case GTPU_GPDU:
		return true;
	default:
		return false;
	}
}

/*
 * TS 29.281 §5.2.1: whether we may go past an extension header of this
 * type. The ones we know carry RAN and QoS information a GGSN has no use
 * for (the packet is forwarded all the same), so every one is skipped.
 * Service Class Indicator (0x20), UDP Port (0x40) and the Rel-16 Long PDCP
 * PDU Number (0x03) have bit 8 clear and need no entry here.
 */
static bool
gtpu_ext_understood(uint8_t type)
{
	if ((type & GTPU_EXT_COMPREHENSION_REQUIRED) == 0)
		return true;
	switch (type) {
	case GTPU_EXT_RAN_CONTAINER:
	case GTPU_EXT_LONG_PDCP_PDU_NUMBER:
	case GTPU_EXT_XW_RAN_CONTAINER:
	case GTPU_EXT_NR_RAN_CONTAINER:
	case GTPU_EXT_PDU_SESSION_CONTAINER:
	case GTPU_EXT_PDCP_PDU_NUMBER:
		return true;
	default:
		return false;
	}
}

/*
 * Pushes the 8-octet mandatory header (TS 29.281 §5.1) with no optional
 * fields: a GGSN does not number G-PDUs (§5.1, S flag). payload_len fits the
 * 16-bit length field: receive buffers are far smaller than 64 KiB.
 */
uint8_t *
gtpu_push_gpdu(uint8_t *payload, size_t payload_len, uint32_t teid)
{
	uint8_t *hdr = payload - GTPU_HDR_LEN;
	uint16_t length_be = htons((uint16_t)payload_len);
	uint32_t teid_be = htonl(teid);

	/*
	 * Every downlink packet takes this header: eight octets in three stores,
	 * not through the bounded writer, which checks room the caller's
	 * headroom already guarantees. The same octets as gtpu_wr_hdr's.
	 */
	hdr[0] = GTPU_V1_PT;
	hdr[1] = GTPU_GPDU;
	memcpy(hdr + 2, &length_be, sizeof(length_be));
	memcpy(hdr + 4, &teid_be, sizeof(teid_be));
	return hdr;
}

/*
 * A G-PDU with a DL PDU Session Information (TS 38.415 §5.5.2.1, PDU type 0)
 * carrying qfi: E set, so the optional fields are there (sequence and N-PDU
 * numbers zero, §5.1), then one 4-octet extension header ending the chain.
 */
uint8_t *
gtpu_push_gpdu_qfi(uint8_t *payload, size_t payload_len, uint32_t teid, uint8_t qfi)
{
	struct vpg_wr w;
	uint8_t *hdr = payload - GTPU_HDR_QFI_LEN;

	wr_init(&w, hdr, GTPU_HDR_QFI_LEN);
	gtpu_wr_hdr(&w, GTPU_V1_PT | GTPU_F_E, GTPU_GPDU,
	    (uint16_t)(payload_len + GTPU_HDR_QFI_LEN - GTPU_HDR_LEN), teid);
	wr_be16(&w, 0);
	wr_u8(&w, 0);
	wr_u8(&w, GTPU_EXT_PDU_SESSION_CONTAINER);
	wr_u8(&w, 1);	       /* length: 4 octets */
	wr_u8(&w, 0x00);       /* PDU type 0 (DL), no QMP/SNP/MSNP */
	wr_u8(&w, qfi & 0x3f); /* PPP and RQI clear */
	wr_u8(&w, GTPU_EXT_NONE);
	return hdr;
}

/*
 * TS 29.281 §7.2.2: the Echo Response carries the request's sequence
 * number (S set and TEID 0 for Echo, §5.1) and a Recovery IE whose restart
 * counter is zero and is ignored by the receiver.
 */
size_t
gtpu_build_echo_rsp(uint8_t *out, size_t cap, uint16_t seq)
{
	struct vpg_wr w;

	wr_init(&w, out, cap);
	gtpu_wr_hdr(&w, GTPU_V1_PT | GTPU_F_S, GTPU_ECHO_RSP, GTPU_OPT_LEN + 2, 0);
	wr_be16(&w, seq);
	wr_u8(&w, 0); /* N-PDU number */
	wr_u8(&w, GTPU_EXT_NONE);
	wr_u8(&w, GTPU_IE_RECOVERY); /* §8.2, TV */
	wr_u8(&w, 0);
	return w.overflow ? 0 : w.len;
}

/*
 * TS 29.281 §7.3.1: Error Indication with S set and TEID 0 (§5.1; the
 * receiver ignores the sequence number), then TEID Data I (§8.3, TV) and
 * GTP-U Peer Address (§8.4, TLV, 4 octets for IPv4), in ascending type
 * order.
 */
size_t
gtpu_build_error_indication(uint8_t *out, size_t cap, uint32_t teid, uint32_t local_addr_be)
{
	struct vpg_wr w;

	wr_init(&w, out, cap);
	gtpu_wr_hdr(&w, GTPU_V1_PT | GTPU_F_S, GTPU_ERROR_INDICATION, GTPU_OPT_LEN + 5 + 7, 0);
	wr_be16(&w, 0); /* sequence number */
	wr_u8(&w, 0);	/* N-PDU number */
	wr_u8(&w, GTPU_EXT_NONE);
	wr_u8(&w, GTPU_IE_TEID_DATA_I);
	wr_be32(&w, teid);
	wr_u8(&w, GTPU_IE_PEER_ADDRESS);
	wr_be16(&w, 4);
	wr_bytes(&w, &local_addr_be, 4); /* already in network order */
	return w.overflow ? 0 : w.len;
}

int
gtpu_error_indication_teid(const struct gtpu_view *v, uint32_t *teid)
{
	struct vpg_rd r;
	uint8_t type;

	if (v->type != GTPU_ERROR_INDICATION)
		return -1;
	rd_init(&r, v->payload, v->payload_len);
	while (rd_u8(&r, &type) == 0) {
		if (type == GTPU_IE_TEID_DATA_I)
			return rd_be32(&r, teid);
		if (gtpu_ie_skip(&r, type) < 0)
			return -1;
	}
	return -1;
}

/*
 * Skips the body of an IE whose type octet was just read. TS 29.281 §8.1:
 * types below 128 are TV with a length fixed by the type, so an unknown
 * one cannot be stepped over; types from 128 are TLV with a 2-octet length,
 * except Extension Header Type List (§8.5), whose length is one octet.
 */
static int
gtpu_ie_skip(struct vpg_rd *r, uint8_t type)
{
	uint16_t len;
	uint8_t len8;

	if (type == GTPU_IE_RECOVERY)
		return rd_skip(r, 1);
	if (type < GTPU_IE_TLV_FIRST)
		return -1;
	if (type == GTPU_IE_EXT_HDR_TYPE_LIST) {
		if (rd_u8(r, &len8) < 0)
			return -1;
		return rd_skip(r, len8);
	}
	if (rd_be16(r, &len) < 0)
		return -1;
	return rd_skip(r, len);
}

static void
gtpu_wr_hdr(struct vpg_wr *w, uint8_t flags, uint8_t type, uint16_t length, uint32_t teid)
{
	wr_u8(w, flags);
	wr_u8(w, type);
	wr_be16(w, length);
	wr_be32(w, teid);
}
