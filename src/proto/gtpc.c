/*
 * GTPv1-C codec, 3GPP TS 29.060. The parser walks a datagram once, through
 * the bounded reader, and locates every information element in place; the
 * decoders turn the few IEs a GGSN reads into values; the builders append to
 * a bounded writer. Nothing here allocates, logs or does I/O.
 */
#include <string.h>

#include "gtpc.h"
#include "labels.h"
#include "rd.h"
#include "tbcd.h"

/* Header, TS 29.060 §6: 8 mandatory octets, 4 more when E, S or PN is set. */
#define GTPC_HDR_LEN	  8
#define GTPC_OPT_LEN	  4
#define GTPC_F_PN	  0x01
#define GTPC_F_S	  0x02
#define GTPC_F_E	  0x04
#define GTPC_F_PT	  0x10
#define GTPC_F_OPT	  (GTPC_F_E | GTPC_F_S | GTPC_F_PN)
#define GTPC_VERSION(f)	  ((uint8_t)((f) >> 5))
#define GTPC_FLAGS_V1_S	  0x32 /* version 1, PT 1 (GTP), S */
#define GTPV2_F_T	  0x08 /* TS 29.274 §5.1: TEID present */
#define GTPC_MAX_EXT_HDRS 16   /* longest extension chain accepted */

#define GTPC_TLV_MIN	  128 /* TS 29.060 §7.7: bit 8 of the type set = TLV */
#define GTPC_IMSI_LEN	  8
#define GTPC_PDP_ORG_IETF 1
#define GTPC_PDP_IPV4	  0x21
#define GTPC_EUA_IPV4_LEN 6

/*
 * TS 29.060 §7.7, Table 37: the value length of every TV information
 * element the specification defines. A TV element carries no length, so a
 * type missing here (0) cannot be stepped over. Types 117-126 belong to GTP'
 * (TS 32.295), which this codec refuses by its PT bit.
 */
static const uint8_t tv_len[GTPC_TLV_MIN] = {
	[1] = 1,   /* Cause */
	[2] = 8,   /* IMSI */
	[3] = 6,   /* Routeing Area Identity */
	[4] = 4,   /* TLLI */
	[5] = 4,   /* P-TMSI */
	[8] = 1,   /* Reordering Required */
	[9] = 28,  /* Authentication Triplet: RAND 16, SRES 4, Kc 8 */
	[11] = 1,  /* MAP Cause */
	[12] = 3,  /* P-TMSI Signature */
	[13] = 1,  /* MS Validated */
	[14] = 1,  /* Recovery */
	[15] = 1,  /* Selection Mode */
	[16] = 4,  /* TEID Data I */
	[17] = 4,  /* TEID Control Plane */
	[18] = 5,  /* TEID Data II: NSAPI, TEID */
	[19] = 1,  /* Teardown Ind */
	[20] = 1,  /* NSAPI */
	[21] = 1,  /* RANAP Cause */
	[22] = 9,  /* RAB Context: NSAPI, 2 GTP-U and 2 PDCP sequence numbers */
	[23] = 1,  /* Radio Priority SMS */
	[24] = 1,  /* Radio Priority */
	[25] = 2,  /* Packet Flow Id: NSAPI, flow id */
	[26] = 2,  /* Charging Characteristics */
	[27] = 2,  /* Trace Reference */
	[28] = 2,  /* Trace Type */
	[29] = 1,  /* MS Not Reachable Reason */
	[127] = 4, /* Charging ID */
};

static enum vpg_drop parse_other_version(uint8_t, uint32_t, struct gtpc_msg *);
static enum vpg_drop parse_header(struct vpg_rd *, struct gtpc_msg *, struct vpg_rd *);
static enum vpg_drop walk_ext_chain(struct vpg_rd *, uint8_t);
static enum vpg_drop parse_ies(struct vpg_rd *, struct gtpc_msg *);
static void record_ie(struct gtpc_msg *, uint8_t, const struct vpg_rd *);
static void put_tv(struct vpg_wr *, uint8_t, const uint8_t *, size_t);

enum vpg_drop
gtpc_parse(const uint8_t *buf, size_t len, struct gtpc_msg *msg)
{
	struct vpg_rd r, body;
	enum vpg_drop d;

	memset(msg, 0, sizeof(*msg));
	rd_init(&r, buf, len);
	if ((d = parse_header(&r, msg, &body)) != VPG_DROP_NONE)
		return d;
	/* TS 29.060 §11.1.3: an unknown message is discarded. */
	if (!gtpc_type_known(msg->type))
		return VPG_DROP_GTPC_UNKNOWN_TYPE;
	return parse_ies(&body, msg);
}

/*
 * Reads the header and carves the rest of the message, as delimited by the
 * length field, into body. The checks follow the priorities of TS 29.060
 * §11.1: version (§11.1.1) before length (§11.1.2) before anything else.
 */
static enum vpg_drop
parse_header(struct vpg_rd *r, struct gtpc_msg *msg, struct vpg_rd *body)
{
	uint8_t flags, next = 0;
	uint16_t seq;
	uint32_t word;

	/* Octets 5-8 are read as one word: what they hold depends on the version. */
	if (rd_u8(r, &flags) < 0 || rd_u8(r, &msg->type) < 0 || rd_be16(r, &msg->length) < 0 ||
	    rd_be32(r, &word) < 0)
		return VPG_DROP_GTPC_TOO_SHORT;
	msg->version = GTPC_VERSION(flags);
	if (msg->version != 1)
		return parse_other_version(flags, word, msg);
	/* PT 0 is GTP' (TS 32.295), a charging protocol this node does not speak. */
	if ((flags & GTPC_F_PT) == 0)
		return VPG_DROP_GTPC_BAD_VERSION;
	msg->teid = word;
	/* With any of E, S, PN set the header is 12 octets (TS 29.060 §6). */
	if ((flags & GTPC_F_OPT) != 0 && rd_left(r) < GTPC_OPT_LEN)
		return VPG_DROP_GTPC_TOO_SHORT;
	/* TS 29.060 §11.1.2: octets past the length field are padding, ignored. */
	if (rd_sub(r, msg->length, body) < 0)
		return VPG_DROP_GTPC_BAD_LENGTH;
	if ((flags & GTPC_F_OPT) == 0)
		return VPG_DROP_NONE;
	/* The length field counts the optional octets; it must hold them. */
	if (rd_be16(body, &seq) < 0 || rd_u8(body, &msg->npdu) < 0 || rd_u8(body, &next) < 0)
		return VPG_DROP_GTPC_BAD_LENGTH;
	/* Each optional field is meaningful only when its own flag is set. */
	msg->has_seq = (flags & GTPC_F_S) != 0;
	msg->seq = msg->has_seq ? seq : 0;
	if ((flags & GTPC_F_PN) == 0)
		msg->npdu = 0;
	if ((flags & GTPC_F_E) == 0)
		return VPG_DROP_NONE;
	return walk_ext_chain(body, next);
}

/*
 * Another GTP version: fill in what that version's header lays out where
 * this datagram has it, so the caller can answer Version Not Supported
 * (TS 29.060 §11.1.1). Octet 2 is the message type and octets 3-4 the length
 * in every version. GTPv0 (TS 09.60 §6) carries a 16-bit sequence number in
 * octets 5-6. GTPv2 (TS 29.274 §5.1) carries a 24-bit one, which does not
 * fit msg->seq and is left out, and a TEID in octets 5-8 when T is set.
 */
static enum vpg_drop
parse_other_version(uint8_t flags, uint32_t word, struct gtpc_msg *msg)
{
	if (msg->version == 0) {
		msg->seq = (uint16_t)(word >> 16);
		msg->has_seq = true;
	} else if (msg->version == 2 && (flags & GTPV2_F_T) != 0) {
		msg->teid = word;
	}
	return VPG_DROP_GTPC_BAD_VERSION;
}

/*
 * TS 29.060 §6.1 (layout as in TS 29.281 §5.2.1): an extension header is a
 * length octet counting 4-octet units of the whole header, its content, and
 * the type of the next header; type 0 ends the chain. A zero length would
 * never advance, and a chain longer than GTPC_MAX_EXT_HDRS or running past
 * the message is refused too. All three are length errors of the header, so
 * they drop as VPG_DROP_GTPC_BAD_LENGTH.
 */
static enum vpg_drop
walk_ext_chain(struct vpg_rd *body, uint8_t next)
{
	unsigned int n;
	uint8_t units;

	for (n = 0; next != 0; n++) {
		if (n == GTPC_MAX_EXT_HDRS)
			return VPG_DROP_GTPC_BAD_LENGTH;
		if (rd_u8(body, &units) < 0 || units == 0)
			return VPG_DROP_GTPC_BAD_LENGTH;
		if (rd_skip(body, (size_t)units * 4 - 2) < 0 || rd_u8(body, &next) < 0)
			return VPG_DROP_GTPC_BAD_LENGTH;
	}
	return VPG_DROP_NONE;
}

/*
 * TS 29.060 §7.7: a TV element has a length fixed by its type, a TLV
 * element (type >= 128) a 2-octet length. Each value is carved into its own
 * reader before it is looked at, so no element can reach past its end or the
 * message's. An unknown TLV is stepped over (§11.1.9); an unknown TV cannot
 * be, so it makes the rest of the message unreadable.
 */
static enum vpg_drop
parse_ies(struct vpg_rd *body, struct gtpc_msg *msg)
{
	struct vpg_rd val;
	uint16_t len;
	uint8_t type;

	while (rd_u8(body, &type) == 0) {
		if (type < GTPC_TLV_MIN) {
			len = tv_len[type];
			if (len == 0)
				return VPG_DROP_GTPC_BAD_IE;
		} else if (rd_be16(body, &len) < 0) {
			return VPG_DROP_GTPC_BAD_IE;
		}
		if (rd_sub(body, len, &val) < 0)
			return VPG_DROP_GTPC_BAD_IE;
		record_ie(msg, type, &val);
	}
	return VPG_DROP_NONE;
}

/*
 * TS 29.060 §11.1.12: of a repeated element only the first instance counts.
 * GSN Address is the exception: Create and Update PDP Context carry two, for
 * signalling and then for user traffic (§7.3.1, §7.3.3).
 */
static void
record_ie(struct gtpc_msg *msg, uint8_t type, const struct vpg_rd *val)
{
	struct gtpc_ie *slot = &msg->ie[type];

	if (slot->present) {
		if (type != GTPC_IE_GSN_ADDRESS || msg->gsn_addr2.present)
			return;
		slot = &msg->gsn_addr2;
	}
	slot->val = val->p;
	slot->len = (uint16_t)rd_left(val);
	slot->present = true;
}

bool
gtpc_type_known(uint8_t type)
{
	switch (type) {
	case GTPC_ECHO_REQ:
	case GTPC_ECHO_RSP:
	case GTPC_VERSION_NOT_SUPPORTED:
	case GTPC_CREATE_PDP_REQ:
	case GTPC_CREATE_PDP_RSP:
	case GTPC_UPDATE_PDP_REQ:
	case GTPC_UPDATE_PDP_RSP:
	case GTPC_DELETE_PDP_REQ:
	case GTPC_DELETE_PDP_RSP:
	case GTPC_ERROR_INDICATION:
	case GTPC_SUPPORTED_EXT_HDRS:
		return true;
	default:
		return false;
	}
}

int
gtpc_ie_imsi(const struct gtpc_ie *ie, char out[16])
{
	struct vpg_rd r;

	out[0] = '\0';
	if (!ie->present || ie->len != GTPC_IMSI_LEN)
		return -1;
	rd_init(&r, ie->val, ie->len);
	return tbcd_read(&r, out, 16);
}

/*
 * TS 29.060 §7.7.33: the MSISDN is an AddressString of TS 29.002, one octet
 * of extension, nature of address and numbering plan (0x91: international,
 * E.164), then the digits in TBCD.
 */
int
gtpc_ie_msisdn(const struct gtpc_ie *ie, char out[24])
{
	struct vpg_rd r;

	out[0] = '\0';
	if (!ie->present)
		return -1;
	rd_init(&r, ie->val, ie->len);
	/* The nature octet does not change the digits; the caller stores those. */
	if (rd_skip(&r, 1) < 0)
		return -1;
	return tbcd_read(&r, out, 24);
}

/* TS 29.060 §7.7.30 codes the APN as TS 23.003 §9.1 does: labels (labels.h). */
int
gtpc_ie_apn(const struct gtpc_ie *ie, char *out, size_t cap)
{
	if (cap == 0)
		return -1;
	out[0] = '\0';
	if (!ie->present)
		return -1;
	return labels_decode(ie->val, ie->len, out, cap);
}

int
gtpc_ie_u8(const struct gtpc_ie *ie, uint8_t *v)
{
	struct vpg_rd r;

	if (!ie->present || ie->len != 1)
		return -1;
	rd_init(&r, ie->val, ie->len);
	return rd_u8(&r, v);
}

int
gtpc_ie_u32(const struct gtpc_ie *ie, uint32_t *v)
{
	struct vpg_rd r;

	if (!ie->present || ie->len != 4)
		return -1;
	rd_init(&r, ie->val, ie->len);
	return rd_be32(&r, v);
}

/*
 * TS 29.060 §7.7.32: a GSN Address is 4 octets of IPv4 or 16 of IPv6; this
 * gateway speaks IPv4 only, so 16 is refused like any other length. The
 * address is returned in network order, as in struct in_addr.
 */
int
gtpc_ie_ipv4(const struct gtpc_ie *ie, uint32_t *addr_be)
{
	struct vpg_rd r;
	const uint8_t *a;

	if (!ie->present)
		return -1;
	rd_init(&r, ie->val, ie->len);
	if (rd_left(&r) != 4 || rd_bytes(&r, 4, &a) < 0)
		return -1;
	memcpy(addr_be, a, 4);
	return 0;
}

/*
 * TS 29.060 §7.7.27: spare bits and the PDP type organisation (1 = IETF),
 * the PDP type number, then the address: none when one is to be assigned,
 * 4 octets for a static IPv4 address. Another organisation or type (IPv6
 * 0x57, IPv4v6 0x8D, PPP) is well formed but not served: ipv4 stays false so
 * the caller answers "Unknown PDP address or PDP type". Spare bits are not
 * evaluated (§7.7). 0.0.0.0 asks for no particular address, as some SGSNs
 * write a dynamic request.
 */
int
gtpc_ie_eua(const struct gtpc_ie *ie, struct gtpc_eua *eua)
{
	struct vpg_rd r;
	const uint8_t *a;
	uint8_t org, type;

	memset(eua, 0, sizeof(*eua));
	if (!ie->present)
		return -1;
	rd_init(&r, ie->val, ie->len);
	if (rd_u8(&r, &org) < 0 || rd_u8(&r, &type) < 0)
		return -1;
	if ((org & 0x0f) != GTPC_PDP_ORG_IETF || type != GTPC_PDP_IPV4)
		return 0;
	if (rd_left(&r) == 0) {
		eua->ipv4 = true;
		return 0;
	}
	if (rd_left(&r) != 4 || rd_bytes(&r, 4, &a) < 0)
		return -1;
	eua->ipv4 = true;
	memcpy(&eua->addr_be, a, 4);
	eua->has_address = eua->addr_be != 0;
	return 0;
}

/*
 * Responses are matched to requests by sequence number (TS 29.060 §7.6), so
 * every message built here carries one: the 12-octet header of §6 with S
 * set, N-PDU number and next extension header type zero.
 */
size_t
gtpc_build_header(struct vpg_wr *w, uint8_t type, uint32_t teid, uint16_t seq)
{
	size_t off = w->len;

	wr_u8(w, GTPC_FLAGS_V1_S);
	wr_u8(w, type);
	wr_be16(w, 0); /* patched by gtpc_build_finish */
	wr_be32(w, teid);
	wr_be16(w, seq);
	wr_u8(w, 0);
	wr_u8(w, 0);
	return off;
}

/* TS 29.060 §6: the length field counts every octet after the first 8. */
void
gtpc_build_finish(struct vpg_wr *w, size_t hdr_off)
{
	size_t n;

	if (w->overflow)
		return;
	if (w->len < hdr_off + GTPC_HDR_LEN + GTPC_OPT_LEN ||
	    w->len - hdr_off - GTPC_HDR_LEN > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	n = w->len - hdr_off - GTPC_HDR_LEN;
	wr_patch_be16(w, hdr_off + 2, (uint16_t)n);
}

/*
 * Each element is reserved whole, so one that does not fit leaves nothing
 * half-written behind the overflow flag.
 */
static void
put_tv(struct vpg_wr *w, uint8_t type, const uint8_t *v, size_t n)
{
	uint8_t *p = wr_reserve(w, 1 + n);

	if (p == NULL)
		return;
	p[0] = type;
	memcpy(p + 1, v, n);
}

void
gtpc_put_tv8(struct vpg_wr *w, uint8_t type, uint8_t v)
{
	put_tv(w, type, &v, 1);
}

void
gtpc_put_tv16(struct vpg_wr *w, uint8_t type, uint16_t v)
{
	uint8_t b[2];

	wr_store_be16(b, v);
	put_tv(w, type, b, sizeof(b));
}

void
gtpc_put_tv32(struct vpg_wr *w, uint8_t type, uint32_t v)
{
	uint8_t b[4];

	wr_store_be32(b, v);
	put_tv(w, type, b, sizeof(b));
}

void
gtpc_put_tlv(struct vpg_wr *w, uint8_t type, const void *val, uint16_t len)
{
	uint8_t *p = wr_reserve(w, 3 + (size_t)len);

	if (p == NULL)
		return;
	p[0] = type;
	wr_store_be16(p + 1, len);
	if (len > 0)
		memcpy(p + 3, val, len);
}

/* TS 29.060 §7.7.27: spare bits set, IETF, IPv4, then the address. */
void
gtpc_put_eua_ipv4(struct vpg_wr *w, uint32_t addr_be)
{
	uint8_t v[GTPC_EUA_IPV4_LEN];

	v[0] = 0xf0 | GTPC_PDP_ORG_IETF;
	v[1] = GTPC_PDP_IPV4;
	memcpy(&v[2], &addr_be, 4);
	gtpc_put_tlv(w, GTPC_IE_END_USER_ADDRESS, v, sizeof(v));
}

void
gtpc_put_gsn_ipv4(struct vpg_wr *w, uint32_t addr_be)
{
	gtpc_put_tlv(w, GTPC_IE_GSN_ADDRESS, &addr_be, 4);
}

/*
 * TS 29.060 §7.7.2: 8 octets of TBCD, low nibble first, 0xF filling what the
 * digits leave. Anything but 1 to 15 decimal digits cannot be encoded; the
 * writer is then marked overflowed so the message is never sent.
 */
void
gtpc_put_imsi(struct vpg_wr *w, const char *digits)
{
	uint8_t v[GTPC_IMSI_LEN];

	memset(v, 0xff, sizeof(v));
	if (strlen(digits) > 2 * GTPC_IMSI_LEN - 1 || tbcd_write(digits, v, sizeof(v)) == 0) {
		w->overflow = true;
		return;
	}
	put_tv(w, GTPC_IE_IMSI, v, sizeof(v));
}

/* Stable: these names are metrics labels. */
const char *
gtpc_type_name(uint8_t type)
{
	switch (type) {
	case GTPC_ECHO_REQ:
		return "echo_request";
	case GTPC_ECHO_RSP:
		return "echo_response";
	case GTPC_VERSION_NOT_SUPPORTED:
		return "version_not_supported";
	case GTPC_CREATE_PDP_REQ:
		return "create_pdp_context_request";
	case GTPC_CREATE_PDP_RSP:
		return "create_pdp_context_response";
	case GTPC_UPDATE_PDP_REQ:
		return "update_pdp_context_request";
	case GTPC_UPDATE_PDP_RSP:
		return "update_pdp_context_response";
	case GTPC_DELETE_PDP_REQ:
		return "delete_pdp_context_request";
	case GTPC_DELETE_PDP_RSP:
		return "delete_pdp_context_response";
	case GTPC_ERROR_INDICATION:
		return "error_indication";
	case GTPC_SUPPORTED_EXT_HDRS:
		return "supported_extension_headers_notification";
	default:
		return "unknown";
	}
}
