/*
 * GTPv2-C builders, TS 29.274: a message header whose length is written
 * last, grouped IEs likewise, and the IEs a PGW and an SGW send, each laid
 * out as the decoders in gtpv2c.c read it. They append to a bounded writer;
 * a value that cannot be coded marks it overflowed, so the message is never
 * sent.
 */
#include <string.h>

#include "gtpv2c.h"
#include "gtpv2c_wire.h"
#include "labels.h"
#include "tbcd.h"

#define APN_WIRE_MAX 255 /* TS 23.003 §9.1, as labels */

static size_t header_len(const uint8_t *);
static void put_be40(uint8_t *, uint64_t);
static int plmn_nibble(const char *, size_t, uint8_t *);

/*
 * §5.1: version 2, no piggybacked message, T when a TEID follows; the
 * sequence number (24 bits) and a spare octet end the header.
 */
size_t
gtpv2c_build_header(struct vpg_wr *w, uint8_t type, bool has_teid, uint32_t teid, uint32_t seq)
{
	size_t off = w->len;

	wr_u8(w, has_teid ? GTPV2C_FLAGS_V2 | GTPV2C_F_T : GTPV2C_FLAGS_V2);
	wr_u8(w, type);
	wr_be16(w, 0); /* patched by gtpv2c_build_finish */
	if (has_teid)
		wr_be32(w, teid);
	wr_be32(w, (seq & 0xffffff) << 8);
	return off;
}

static size_t
header_len(const uint8_t *msg)
{
	return (msg[0] & GTPV2C_F_T) != 0 ? GTPV2C_HDR_LEN_TEID : GTPV2C_HDR_LEN_NO_TEID;
}

/* §5.1: the length field counts every octet after the first 4. */
void
gtpv2c_build_finish(struct vpg_wr *w, size_t hdr_off)
{
	size_t n;

	if (w->overflow)
		return;
	if (w->len < hdr_off + GTPV2C_HDR_LEN_NO_TEID ||
	    w->len < hdr_off + header_len(w->buf + hdr_off) ||
	    w->len - hdr_off - GTPV2C_HDR_FIXED > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	n = w->len - hdr_off - GTPV2C_HDR_FIXED;
	wr_patch_be16(w, hdr_off + 2, (uint16_t)n);
}

/* §5.1: the sequence number and the spare octet end the header, after the TEID if T. */
void
gtpv2c_set_seq(uint8_t *msg, size_t len, uint32_t seq)
{
	size_t off;

	if (len < GTPV2C_HDR_LEN_NO_TEID)
		return;
	off = header_len(msg) - 4;
	if (len < off + 3)
		return;
	msg[off] = (uint8_t)(seq >> 16);
	msg[off + 1] = (uint8_t)(seq >> 8);
	msg[off + 2] = (uint8_t)seq;
}

size_t
gtpv2c_group_begin(struct vpg_wr *w, uint8_t type, uint8_t instance)
{
	size_t off = w->len;
	uint8_t *p = wr_reserve(w, GTPV2C_IE_HDR_LEN);

	if (p == NULL)
		return off;
	p[0] = type;
	p[1] = 0; /* patched by gtpv2c_group_end */
	p[2] = 0;
	p[3] = instance & GTPV2C_INSTANCE_MASK;
	return off;
}

void
gtpv2c_group_end(struct vpg_wr *w, size_t off)
{
	if (w->overflow)
		return;
	if (w->len < off + GTPV2C_IE_HDR_LEN || w->len - off - GTPV2C_IE_HDR_LEN > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	wr_patch_be16(w, off + 1, (uint16_t)(w->len - off - GTPV2C_IE_HDR_LEN));
}

/*
 * Each IE is reserved whole, so one that does not fit leaves nothing
 * half-written behind the overflow flag.
 */
void
gtpv2c_put_ie(struct vpg_wr *w, uint8_t type, uint8_t instance, const void *val, uint16_t len)
{
	uint8_t *p = wr_reserve(w, GTPV2C_IE_HDR_LEN + (size_t)len);

	if (p == NULL)
		return;
	p[0] = type;
	wr_store_be16(p + 1, len);
	p[3] = instance & GTPV2C_INSTANCE_MASK;
	if (len > 0)
		memcpy(p + GTPV2C_IE_HDR_LEN, val, len);
}

void
gtpv2c_put_u8(struct vpg_wr *w, uint8_t type, uint8_t instance, uint8_t v)
{
	gtpv2c_put_ie(w, type, instance, &v, 1);
}

void
gtpv2c_put_u32(struct vpg_wr *w, uint8_t type, uint8_t instance, uint32_t v)
{
	uint8_t b[4];

	wr_store_be32(b, v);
	gtpv2c_put_ie(w, type, instance, b, sizeof(b));
}

/*
 * §8.4: the cause and no flags (this node is the source, §8.4 CS = 0); with
 * an offending IE, its type, a zero length and its instance.
 */
void
gtpv2c_put_cause(
    struct vpg_wr *w, uint8_t cause, uint8_t offending_type, uint8_t offending_instance)
{
	uint8_t v[GTPV2C_CAUSE_OFFENDING_LEN] = { cause, 0, offending_type, 0, 0,
		(uint8_t)(offending_instance & GTPV2C_INSTANCE_MASK) };

	gtpv2c_put_ie(w, GTPV2C_IE_CAUSE, 0, v,
	    offending_type != 0 ? GTPV2C_CAUSE_OFFENDING_LEN : GTPV2C_CAUSE_LEN);
}

void
gtpv2c_put_recovery(struct vpg_wr *w, uint8_t restart_counter)
{
	gtpv2c_put_u8(w, GTPV2C_IE_RECOVERY, 0, restart_counter);
}

void
gtpv2c_put_ebi(struct vpg_wr *w, uint8_t instance, uint8_t ebi)
{
	gtpv2c_put_u8(w, GTPV2C_IE_EBI, instance, ebi & 0x0f);
}

/* §8.22: V4 and the interface type, the TEID, the IPv4 address. */
void
gtpv2c_put_fteid(struct vpg_wr *w, uint8_t instance, uint8_t iface, uint32_t teid, uint32_t ipv4_be)
{
	uint8_t v[9];

	v[0] = GTPV2C_FTEID_V4 | (iface & GTPV2C_FTEID_IFACE);
	wr_store_be32(&v[1], teid);
	memcpy(&v[5], &ipv4_be, 4);
	gtpv2c_put_ie(w, GTPV2C_IE_FTEID, instance, v, sizeof(v));
}

/* §8.14: PDN type IPv4 and the address. */
void
gtpv2c_put_paa_ipv4(struct vpg_wr *w, uint32_t ipv4_be)
{
	uint8_t v[5];

	v[0] = GTPV2C_PDN_IPV4;
	memcpy(&v[1], &ipv4_be, 4);
	gtpv2c_put_ie(w, GTPV2C_IE_PAA, 0, v, sizeof(v));
}

void
gtpv2c_put_ambr(struct vpg_wr *w, const struct gtpv2c_ambr *a)
{
	uint8_t v[8];
	int i;

	for (i = 0; i < 4; i++) {
		v[i] = (uint8_t)(a->uplink_kbps >> (24 - 8 * i));
		v[4 + i] = (uint8_t)(a->downlink_kbps >> (24 - 8 * i));
	}
	gtpv2c_put_ie(w, GTPV2C_IE_AMBR, 0, v, sizeof(v));
}

static void
put_be40(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 5; i++)
		p[i] = (uint8_t)(v >> (32 - 8 * i));
}

/* §8.15, laid out as gtpv2c_ie_bearer_qos reads it; rates are cut to 40 bits. */
void
gtpv2c_put_bearer_qos(struct vpg_wr *w, const struct gtpv2c_bearer_qos *q)
{
	uint8_t v[GTPV2C_QOS_LEN];

	v[0] = (uint8_t)((q->pci ? GTPV2C_QOS_PCI : 0) |
			 (q->priority_level & GTPV2C_QOS_PL_MASK) << GTPV2C_QOS_PL_SHIFT |
			 (q->pvi ? GTPV2C_QOS_PVI : 0));
	v[1] = q->qci;
	put_be40(&v[2], q->mbr_uplink);
	put_be40(&v[7], q->mbr_downlink);
	put_be40(&v[12], q->gbr_uplink);
	put_be40(&v[17], q->gbr_downlink);
	gtpv2c_put_ie(w, GTPV2C_IE_BEARER_QOS, 0, v, sizeof(v));
}

/*
 * §8.3, §8.10, §8.11: the digits in TBCD, 0xF filling an odd count. What the
 * matching decoder would refuse (too many digits for an IMSI or MEI,
 * anything but decimal digits) cannot be sent: the writer is marked
 * overflowed.
 */
void
gtpv2c_put_tbcd(struct vpg_wr *w, uint8_t type, const char *digits)
{
	uint8_t v[(GTPV2C_MSISDN_MAX + 1) / 2];
	size_t max = GTPV2C_MSISDN_MAX, n = 0;

	if (type == GTPV2C_IE_IMSI)
		max = GTPV2C_IMSI_MAX_DIGITS;
	else if (type == GTPV2C_IE_MEI)
		max = GTPV2C_MEI_MAX_DIGITS;
	if (strlen(digits) <= max)
		n = tbcd_write(digits, v, sizeof(v));
	if (n == 0) {
		w->overflow = true;
		return;
	}
	gtpv2c_put_ie(w, type, 0, v, (uint16_t)n);
}

void
gtpv2c_put_apn(struct vpg_wr *w, const char *apn)
{
	uint8_t v[APN_WIRE_MAX];
	size_t n = labels_encode(apn, v, sizeof(v));

	if (n == 0) {
		w->overflow = true;
		return;
	}
	gtpv2c_put_ie(w, GTPV2C_IE_APN, 0, v, (uint16_t)n);
}

/* One PLMN digit: the i-th of s, 0xF past a two-digit MNC's end. */
static int
plmn_nibble(const char *s, size_t i, uint8_t *out)
{
	if (s[i] == '\0' && i == 2) {
		*out = 0x0f;
		return 0;
	}
	if (s[i] < '0' || s[i] > '9')
		return -1;
	*out = (uint8_t)(s[i] - '0');
	return 0;
}

/* §8.18, laid out as gtpv2c_ie_serving_network reads it. */
void
gtpv2c_put_serving_network(struct vpg_wr *w, const struct gtpv2c_plmn *p)
{
	uint8_t d[6], v[GTPV2C_PLMN_LEN];

	if (strnlen(p->mcc, sizeof(p->mcc)) != 3 || strnlen(p->mnc, sizeof(p->mnc)) < 2 ||
	    strnlen(p->mnc, sizeof(p->mnc)) > 3 || plmn_nibble(p->mcc, 0, &d[0]) < 0 ||
	    plmn_nibble(p->mcc, 1, &d[1]) < 0 || plmn_nibble(p->mcc, 2, &d[2]) < 0 ||
	    plmn_nibble(p->mnc, 0, &d[3]) < 0 || plmn_nibble(p->mnc, 1, &d[4]) < 0 ||
	    plmn_nibble(p->mnc, 2, &d[5]) < 0) {
		w->overflow = true;
		return;
	}
	v[0] = (uint8_t)(d[1] << 4 | d[0]);
	v[1] = (uint8_t)(d[5] << 4 | d[2]);
	v[2] = (uint8_t)(d[4] << 4 | d[3]);
	gtpv2c_put_ie(w, GTPV2C_IE_SERVING_NETWORK, 0, v, sizeof(v));
}
