/*
 * GTPv2-C codec, 3GPP TS 29.274. The parser reads the header and locates
 * every top-level information element in place, through the bounded reader;
 * grouped elements are opened on demand with the same walker. The decoders
 * turn the IEs a PGW reads into values; the builders append to a bounded
 * writer. Nothing here allocates, logs or does I/O.
 */
#include <string.h>

#include "gtpv2c.h"
#include "gtpv2c_wire.h"
#include "labels.h"
#include "rd.h"
#include "tbcd.h"

/* GTPv1 (TS 29.060 §6) and GTPv0 (TS 09.60 §6) headers, to answer them. */
#define V1_F_S	      0x02
#define V1_SEQ_OFFSET 8
#define V0_SEQ_OFFSET 4

#define VERSION(f)	((uint8_t)((f) >> 5))
#define PDN_TYPE_MASK	0x07 /* §8.14 */
#define IPV6_PREFIX_MAX 128
#define CAUSE_PCE	0x04 /* §8.4 */
#define CAUSE_BCE	0x02
#define CAUSE_CS	0x01

static enum vpg_drop parse_other_version(const uint8_t *, size_t, struct gtpv2c_msg *);
static enum vpg_drop parse_header(struct vpg_rd *, struct gtpv2c_msg *, struct vpg_rd *);
static enum vpg_drop walk_ies(struct vpg_rd *, struct gtpv2c_ies *);
static int read_addr(struct vpg_rd *, void *, size_t);
static int decode_paa_addresses(struct vpg_rd *, struct gtpv2c_paa *);
static int plmn_digit(uint8_t, char *);

enum vpg_drop
gtpv2c_parse(const uint8_t *buf, size_t len, struct gtpv2c_msg *msg)
{
	struct vpg_rd r, body;
	enum vpg_drop d;

	memset(msg, 0, sizeof(*msg));
	rd_init(&r, buf, len);
	if ((d = parse_header(&r, msg, &body)) != VPG_DROP_NONE)
		return d;
	return walk_ies(&body, &msg->ies);
}

/*
 * Reads the header and carves the message, as its length field delimits it,
 * into body. Version first (§7.7.2, answered with Version Not Supported),
 * then the length (§7.7.3). Octets after the message are only allowed when P
 * says another message is piggybacked (§5.5.1); that one is left unparsed.
 * The MP flag's message priority (§5.4) does not change how it is read.
 */
static enum vpg_drop
parse_header(struct vpg_rd *r, struct gtpv2c_msg *msg, struct vpg_rd *body)
{
	const uint8_t *start = r->p;
	size_t total = rd_left(r), hdr, end;
	const uint8_t *seq;
	uint8_t flags;

	if (rd_u8(r, &flags) < 0 || rd_u8(r, &msg->type) < 0 || rd_be16(r, &msg->length) < 0)
		return VPG_DROP_GTPV2C_TOO_SHORT;
	msg->version = VERSION(flags);
	if (msg->version != 2)
		return parse_other_version(start, total, msg);
	msg->piggyback = (flags & GTPV2C_F_P) != 0;
	msg->has_teid = (flags & GTPV2C_F_T) != 0;
	if ((msg->has_teid && rd_be32(r, &msg->teid) < 0) || rd_bytes(r, 4, &seq) < 0)
		return VPG_DROP_GTPV2C_TOO_SHORT;
	msg->seq = (uint32_t)seq[0] << 16 | (uint32_t)seq[1] << 8 | seq[2];
	hdr = total - rd_left(r);
	/* The length counts the TEID, sequence and spare octets too. */
	end = GTPV2C_HDR_FIXED + (size_t)msg->length;
	if (end > total || end < hdr || (end < total && !msg->piggyback))
		return VPG_DROP_GTPV2C_BAD_LENGTH;
	rd_init(body, r->p, end - hdr);
	return VPG_DROP_NONE;
}

/*
 * Another version: what the caller needs to answer it (§7.7.2). Octet 2 is
 * the message type in every version. GTPv1 carries a 16-bit sequence number
 * in octets 9-10 when S is set, GTPv0 in octets 5-6; other versions have no
 * layout this node knows, so their sequence number stays 0.
 */
static enum vpg_drop
parse_other_version(const uint8_t *buf, size_t len, struct gtpv2c_msg *msg)
{
	size_t off = 0;

	if (msg->version == 1 && (buf[0] & V1_F_S) != 0)
		off = V1_SEQ_OFFSET;
	else if (msg->version == 0)
		off = V0_SEQ_OFFSET;
	if (off != 0 && len >= off + 2)
		msg->seq = (uint32_t)buf[off] << 8 | buf[off + 1];
	return VPG_DROP_GTPV2C_BAD_VERSION;
}

/*
 * §8.2.1: type, length, spare bits and instance, then the value. Each value
 * is carved into its own reader before it is recorded, so no IE can reach
 * past its message or group. Unknown types are recorded like the rest; the
 * role decides what to make of them (§7.7.9).
 */
static enum vpg_drop
walk_ies(struct vpg_rd *r, struct gtpv2c_ies *out)
{
	struct vpg_rd val;
	struct gtpv2c_ie *ie;
	uint8_t type, inst;
	uint16_t len;

	out->n = 0;
	while (rd_left(r) > 0) {
		if (out->n == GTPV2C_MAX_IES)
			return VPG_DROP_GTPV2C_BAD_IE;
		if (rd_u8(r, &type) < 0 || rd_be16(r, &len) < 0 || rd_u8(r, &inst) < 0 ||
		    rd_sub(r, len, &val) < 0)
			return VPG_DROP_GTPV2C_BAD_IE;
		ie = &out->ie[out->n++];
		ie->type = type;
		ie->instance = inst & GTPV2C_INSTANCE_MASK;
		ie->len = len;
		ie->val = val.p;
	}
	return VPG_DROP_NONE;
}

enum vpg_drop
gtpv2c_parse_grouped(const struct gtpv2c_ie *ie, struct gtpv2c_ies *out)
{
	struct vpg_rd r;

	rd_init(&r, ie->val, ie->len);
	return walk_ies(&r, out);
}

const struct gtpv2c_ie *
gtpv2c_find_nth(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance, unsigned nth)
{
	unsigned i;

	for (i = 0; i < ies->n; i++) {
		if (ies->ie[i].type != type || ies->ie[i].instance != instance)
			continue;
		if (nth-- == 0)
			return &ies->ie[i];
	}
	return NULL;
}

const struct gtpv2c_ie *
gtpv2c_find(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance)
{
	return gtpv2c_find_nth(ies, type, instance, 0);
}

unsigned
gtpv2c_count(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance)
{
	unsigned i, n = 0;

	for (i = 0; i < ies->n; i++)
		if (ies->ie[i].type == type && ies->ie[i].instance == instance)
			n++;
	return n;
}

/*
 * §6.1: requests and commands start a transaction and are answered; a
 * Modify Bearer Failure Indication answers a command.
 */
bool
gtpv2c_type_is_request(uint8_t type)
{
	switch (type) {
	case GTPV2C_ECHO_REQ:
	case GTPV2C_CREATE_SESSION_REQ:
	case GTPV2C_MODIFY_BEARER_REQ:
	case GTPV2C_DELETE_SESSION_REQ:
	case GTPV2C_MODIFY_BEARER_CMD:
	case GTPV2C_UPDATE_BEARER_REQ:
	case GTPV2C_DELETE_BEARER_REQ:
		return true;
	default:
		return false;
	}
}

/* Stable: these names are metrics labels. */
const char *
gtpv2c_type_name(uint8_t type)
{
	switch (type) {
	case GTPV2C_ECHO_REQ:
		return "echo_request";
	case GTPV2C_ECHO_RSP:
		return "echo_response";
	case GTPV2C_VERSION_NOT_SUPPORTED:
		return "version_not_supported";
	case GTPV2C_CREATE_SESSION_REQ:
		return "create_session_request";
	case GTPV2C_CREATE_SESSION_RSP:
		return "create_session_response";
	case GTPV2C_MODIFY_BEARER_REQ:
		return "modify_bearer_request";
	case GTPV2C_MODIFY_BEARER_RSP:
		return "modify_bearer_response";
	case GTPV2C_DELETE_SESSION_REQ:
		return "delete_session_request";
	case GTPV2C_DELETE_SESSION_RSP:
		return "delete_session_response";
	case GTPV2C_MODIFY_BEARER_CMD:
		return "modify_bearer_command";
	case GTPV2C_MODIFY_BEARER_FAILURE_IND:
		return "modify_bearer_failure_indication";
	case GTPV2C_UPDATE_BEARER_REQ:
		return "update_bearer_request";
	case GTPV2C_UPDATE_BEARER_RSP:
		return "update_bearer_response";
	case GTPV2C_DELETE_BEARER_REQ:
		return "delete_bearer_request";
	case GTPV2C_DELETE_BEARER_RSP:
		return "delete_bearer_response";
	default:
		return "unknown";
	}
}

/*
 * Decoders. A value longer than its type defines carries octets a later
 * release appended, which are ignored; a shorter one is malformed (§7.7.7,
 * §8.2.1).
 */

/* §8.3: the IMSI in TBCD, at most 8 octets. */
int
gtpv2c_ie_imsi(const struct gtpv2c_ie *ie, char out[16])
{
	struct vpg_rd r;

	out[0] = '\0';
	if (ie->len > GTPV2C_IMSI_MAX_OCTETS)
		return -1;
	rd_init(&r, ie->val, ie->len);
	return tbcd_read(&r, out, 16);
}

/* §8.11: unlike GTPv1-C's, the MSISDN is the bare digits, no nature octet. */
int
gtpv2c_ie_msisdn(const struct gtpv2c_ie *ie, char out[24])
{
	struct vpg_rd r;

	rd_init(&r, ie->val, ie->len);
	return tbcd_read(&r, out, 24);
}

/* §8.10: IMEI (15 digits) or IMEISV (16) in TBCD. */
int
gtpv2c_ie_mei(const struct gtpv2c_ie *ie, char out[17])
{
	struct vpg_rd r;

	out[0] = '\0';
	if (ie->len > GTPV2C_MEI_MAX_OCTETS)
		return -1;
	rd_init(&r, ie->val, ie->len);
	return tbcd_read(&r, out, 17);
}

/* §8.6: the APN as TS 23.003 §9.1 codes it (labels.h). */
int
gtpv2c_ie_apn(const struct gtpv2c_ie *ie, char *out, size_t cap)
{
	return labels_decode(ie->val, ie->len, out, cap);
}

int
gtpv2c_ie_u8(const struct gtpv2c_ie *ie, uint8_t *v)
{
	struct vpg_rd r;

	rd_init(&r, ie->val, ie->len);
	return rd_u8(&r, v);
}

int
gtpv2c_ie_u32(const struct gtpv2c_ie *ie, uint32_t *v)
{
	struct vpg_rd r;

	rd_init(&r, ie->val, ie->len);
	return rd_be32(&r, v);
}

/* §8.8: spare bits, then the EPS Bearer ID in the low 4 bits. */
int
gtpv2c_ie_ebi(const struct gtpv2c_ie *ie, uint8_t *ebi)
{
	uint8_t v;

	if (gtpv2c_ie_u8(ie, &v) < 0)
		return -1;
	*ebi = v & 0x0f;
	return 0;
}

/* Copies n octets of an address, kept in network order. */
static int
read_addr(struct vpg_rd *r, void *out, size_t n)
{
	const uint8_t *a;

	if (rd_bytes(r, n, &a) < 0)
		return -1;
	memcpy(out, a, n);
	return 0;
}

/*
 * §8.22: flags V4, V6 and the interface type, the TEID (or GRE key), then
 * the IPv4 address if V4 and the IPv6 address if V6. An F-TEID without an
 * address names no endpoint and is refused.
 */
int
gtpv2c_ie_fteid(const struct gtpv2c_ie *ie, struct gtpv2c_fteid *f)
{
	struct vpg_rd r;
	uint8_t flags;

	memset(f, 0, sizeof(*f));
	rd_init(&r, ie->val, ie->len);
	if (rd_u8(&r, &flags) < 0 || rd_be32(&r, &f->teid) < 0)
		return -1;
	f->iface = flags & GTPV2C_FTEID_IFACE;
	f->has_ipv4 = (flags & GTPV2C_FTEID_V4) != 0;
	f->has_ipv6 = (flags & GTPV2C_FTEID_V6) != 0;
	if (!f->has_ipv4 && !f->has_ipv6)
		return -1;
	if (f->has_ipv4 && read_addr(&r, &f->ipv4_be, 4) < 0)
		return -1;
	if (f->has_ipv6 && read_addr(&r, f->ipv6, 16) < 0)
		return -1;
	return 0;
}

/*
 * §8.14: the PDN type in the low 3 bits, then IPv4: the address; IPv6: the
 * prefix length and the address; IPv4v6: both, IPv6 first. Non-IP and
 * Ethernet carry no address. Other PDN types are spare values: malformed.
 */
int
gtpv2c_ie_paa(const struct gtpv2c_ie *ie, struct gtpv2c_paa *p)
{
	struct vpg_rd r;
	uint8_t t;

	memset(p, 0, sizeof(*p));
	rd_init(&r, ie->val, ie->len);
	if (rd_u8(&r, &t) < 0)
		return -1;
	p->pdn_type = t & PDN_TYPE_MASK;
	return decode_paa_addresses(&r, p);
}

static int
decode_paa_addresses(struct vpg_rd *r, struct gtpv2c_paa *p)
{
	switch (p->pdn_type) {
	case GTPV2C_PDN_IPV4:
		return read_addr(r, &p->ipv4_be, 4);
	case GTPV2C_PDN_IPV6:
	case GTPV2C_PDN_IPV4V6:
		if (rd_u8(r, &p->ipv6_prefix_len) < 0 || p->ipv6_prefix_len > IPV6_PREFIX_MAX ||
		    read_addr(r, p->ipv6, 16) < 0)
			return -1;
		return p->pdn_type == GTPV2C_PDN_IPV4V6 ? read_addr(r, &p->ipv4_be, 4) : 0;
	case GTPV2C_PDN_NON_IP:
	case GTPV2C_PDN_ETHERNET:
		return 0;
	default:
		return -1;
	}
}

/* §8.7: uplink then downlink, 4 octets each. */
int
gtpv2c_ie_ambr(const struct gtpv2c_ie *ie, struct gtpv2c_ambr *a)
{
	struct vpg_rd r;

	memset(a, 0, sizeof(*a));
	rd_init(&r, ie->val, ie->len);
	if (rd_be32(&r, &a->uplink_kbps) < 0 || rd_be32(&r, &a->downlink_kbps) < 0)
		return -1;
	return 0;
}

/*
 * §8.15: spare, PCI, the priority level (4 bits), spare, PVI; the QCI; MBR
 * and GBR up and down, 5 octets each. PCI and PVI keep the wire's meaning
 * (TS 29.212 §5.3.46-47, as Wireshark shows them): 1 is "disabled".
 */
int
gtpv2c_ie_bearer_qos(const struct gtpv2c_ie *ie, struct gtpv2c_bearer_qos *q)
{
	struct vpg_rd r;
	uint8_t arp;

	memset(q, 0, sizeof(*q));
	if (ie->len < GTPV2C_QOS_LEN)
		return -1;
	rd_init(&r, ie->val, ie->len);
	if (rd_u8(&r, &arp) < 0 || rd_u8(&r, &q->qci) < 0)
		return -1;
	q->pci = (arp & GTPV2C_QOS_PCI) != 0;
	q->priority_level = (arp >> GTPV2C_QOS_PL_SHIFT) & GTPV2C_QOS_PL_MASK;
	q->pvi = (arp & GTPV2C_QOS_PVI) != 0;
	if (rd_be40(&r, &q->mbr_uplink) < 0 || rd_be40(&r, &q->mbr_downlink) < 0 ||
	    rd_be40(&r, &q->gbr_uplink) < 0 || rd_be40(&r, &q->gbr_downlink) < 0)
		return -1;
	return 0;
}

static int
plmn_digit(uint8_t nibble, char *out)
{
	if (nibble > 9)
		return -1;
	*out = (char)('0' + nibble);
	return 0;
}

/*
 * §8.18: MCC digit 2 | MCC digit 1, MNC digit 3 | MCC digit 3, MNC digit 2
 * | MNC digit 1; MNC digit 3 is 0xF for a two-digit MNC.
 */
int
gtpv2c_ie_serving_network(const struct gtpv2c_ie *ie, struct gtpv2c_plmn *p)
{
	const uint8_t *v = ie->val;

	memset(p, 0, sizeof(*p));
	if (ie->len < GTPV2C_PLMN_LEN)
		return -1;
	if (plmn_digit(v[0] & 0x0f, &p->mcc[0]) < 0 || plmn_digit(v[0] >> 4, &p->mcc[1]) < 0 ||
	    plmn_digit(v[1] & 0x0f, &p->mcc[2]) < 0 || plmn_digit(v[2] & 0x0f, &p->mnc[0]) < 0 ||
	    plmn_digit(v[2] >> 4, &p->mnc[1]) < 0)
		goto bad;
	if ((v[1] >> 4) != 0x0f && plmn_digit(v[1] >> 4, &p->mnc[2]) < 0)
		goto bad;
	return 0;
bad:
	memset(p, 0, sizeof(*p));
	return -1;
}

/*
 * §8.4: the cause, then spare bits and PCE, BCE, CS. A length of 6 adds the
 * offending IE: its type, a zero length and its instance.
 */
int
gtpv2c_ie_cause(const struct gtpv2c_ie *ie, struct gtpv2c_cause_ie *c)
{
	struct vpg_rd r;
	uint8_t flags, inst;
	uint16_t zero;

	memset(c, 0, sizeof(*c));
	rd_init(&r, ie->val, ie->len);
	if (rd_u8(&r, &c->cause) < 0 || rd_u8(&r, &flags) < 0)
		return -1;
	c->pce = (flags & CAUSE_PCE) != 0;
	c->bce = (flags & CAUSE_BCE) != 0;
	c->cs = (flags & CAUSE_CS) != 0;
	if (ie->len < GTPV2C_CAUSE_OFFENDING_LEN)
		return 0;
	if (rd_u8(&r, &c->offending_type) < 0 || rd_be16(&r, &zero) < 0 || rd_u8(&r, &inst) < 0)
		return -1;
	c->offending_instance = inst & GTPV2C_INSTANCE_MASK;
	c->has_offending = true;
	return 0;
}
