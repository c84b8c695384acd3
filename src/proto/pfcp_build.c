/*
 * PFCP builders, TS 29.244: headers, the IEs a user plane writes and the
 * requests it originates. Everything goes through the bounded writer; a
 * length (message or grouped IE) is patched in once its content is written.
 */
#include <string.h>

#include "labels.h"
#include "pfcp.h"

#define PFCP_FLAGS_V1	0x20 /* version 1, no S, MP or FO */
#define PFCP_FLAGS_V1_S 0x21
#define IE_HDR_LEN	4
#define MSG_HDR_MIN	8
#define FQDN_WIRE_MAX	255 /* RFC 1035 §2.3.4, in labels */

static void put_seq(struct vpg_wr *, uint32_t);
static void put_flags(struct vpg_wr *, uint16_t, uint64_t, size_t);

/* Sequence number (24 bits) and the spare octet, TS 29.244 §7.2.2. */
static void
put_seq(struct vpg_wr *w, uint32_t seq)
{
	wr_u8(w, (uint8_t)(seq >> 16));
	wr_u8(w, (uint8_t)(seq >> 8));
	wr_u8(w, (uint8_t)seq);
	wr_u8(w, 0);
}

size_t
pfcp_build_header(struct vpg_wr *w, uint8_t type, uint32_t seq)
{
	size_t off = w->len;

	wr_u8(w, PFCP_FLAGS_V1);
	wr_u8(w, type);
	wr_be16(w, 0); /* patched by pfcp_build_finish */
	put_seq(w, seq);
	return off;
}

size_t
pfcp_build_header_seid(struct vpg_wr *w, uint8_t type, uint64_t seid, uint32_t seq)
{
	size_t off = w->len;

	wr_u8(w, PFCP_FLAGS_V1_S);
	wr_u8(w, type);
	wr_be16(w, 0);
	wr_be32(w, (uint32_t)(seid >> 32));
	wr_be32(w, (uint32_t)seid);
	put_seq(w, seq);
	return off;
}

/* TS 29.244 §7.2.2: the length counts every octet after the first 4. */
void
pfcp_build_finish(struct vpg_wr *w, size_t hdr_off)
{
	if (w->overflow)
		return;
	if (w->len < hdr_off + MSG_HDR_MIN || w->len - hdr_off - 4 > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	wr_patch_be16(w, hdr_off + 2, (uint16_t)(w->len - hdr_off - 4));
}

size_t
pfcp_put_group_open(struct vpg_wr *w, uint16_t type)
{
	size_t off = w->len;

	wr_be16(w, type);
	wr_be16(w, 0); /* patched by pfcp_put_group_close */
	return off;
}

/* TS 29.244 §8.1.1: an IE's length excludes its 4-octet type and length. */
void
pfcp_put_group_close(struct vpg_wr *w, size_t off)
{
	if (w->overflow)
		return;
	if (w->len < off + IE_HDR_LEN || w->len - off - IE_HDR_LEN > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	wr_patch_be16(w, off + 2, (uint16_t)(w->len - off - IE_HDR_LEN));
}

/* Reserved whole, so an IE that does not fit leaves nothing half-written. */
void
pfcp_put_ie(struct vpg_wr *w, uint16_t type, const void *val, uint16_t len)
{
	uint8_t *p = wr_reserve(w, IE_HDR_LEN + (size_t)len);

	if (p == NULL)
		return;
	wr_store_be16(p, type);
	wr_store_be16(p + 2, len);
	if (len > 0)
		memcpy(p + IE_HDR_LEN, val, len);
}

void
pfcp_put_u8(struct vpg_wr *w, uint16_t type, uint8_t v)
{
	pfcp_put_ie(w, type, &v, 1);
}

void
pfcp_put_u16(struct vpg_wr *w, uint16_t type, uint16_t v)
{
	uint8_t b[2];

	wr_store_be16(b, v);
	pfcp_put_ie(w, type, b, sizeof(b));
}

void
pfcp_put_u32(struct vpg_wr *w, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	wr_store_be32(b, v);
	pfcp_put_ie(w, type, b, sizeof(b));
}

void
pfcp_put_cause(struct vpg_wr *w, uint8_t cause)
{
	pfcp_put_u8(w, PFCP_IE_CAUSE, cause);
}

/* TS 29.244 §8.2.22: the type of the IE that made the request fail. */
void
pfcp_put_offending_ie(struct vpg_wr *w, uint16_t ie_type)
{
	pfcp_put_u16(w, PFCP_IE_OFFENDING_IE, ie_type);
}

/* TS 29.244 §8.2.38: type 0 (IPv4) and the address. */
void
pfcp_put_node_id_ipv4(struct vpg_wr *w, uint32_t addr_be)
{
	uint8_t v[5];

	v[0] = PFCP_NODE_ID_IPV4;
	memcpy(&v[1], &addr_be, 4);
	pfcp_put_ie(w, PFCP_IE_NODE_ID, v, sizeof(v));
}

/*
 * TS 29.244 §8.2.38: type 2 and the FQDN in labels. A name that cannot be
 * coded (pfcp_labels_encode) cannot be sent: the writer is marked overflowed.
 */
void
pfcp_put_node_id_fqdn(struct vpg_wr *w, const char *fqdn)
{
	uint8_t v[1 + FQDN_WIRE_MAX];
	size_t n = labels_encode(fqdn, v + 1, FQDN_WIRE_MAX);

	v[0] = PFCP_NODE_ID_FQDN;
	if (n == 0) {
		w->overflow = true;
		return;
	}
	pfcp_put_ie(w, PFCP_IE_NODE_ID, v, (uint16_t)(n + 1));
}

/* TS 29.244 §8.2.65: seconds since 1900 (NTP), when the node last started. */
void
pfcp_put_recovery_ts(struct vpg_wr *w, uint32_t ntp_secs)
{
	pfcp_put_u32(w, PFCP_IE_RECOVERY_TIME_STAMP, ntp_secs);
}

/* A flag field: octet 5 from bits 0-7 onwards, as many octets as set bits need, min_octets at
 * least. */
static void
put_flags(struct vpg_wr *w, uint16_t type, uint64_t flags, size_t min_octets)
{
	uint8_t v[8];
	size_t n = min_octets, i;

	for (i = 0; i < 8; i++) {
		v[i] = (uint8_t)(flags >> (8 * i));
		if (v[i] != 0 && i + 1 > n)
			n = i + 1;
	}
	pfcp_put_ie(w, type, v, (uint16_t)n);
}

/*
 * TS 29.244 §8.2.25: UP Function Features has at least octets 5 and 6 (FTUP
 * in 5, FRRT in 6); octet 7 (UEIP) and later only when one of their bits is set.
 */
void
pfcp_put_up_features(struct vpg_wr *w, uint64_t features)
{
	put_flags(w, PFCP_IE_UP_FUNCTION_FEATURES, features, 2);
}

void
pfcp_put_cp_features(struct vpg_wr *w, uint64_t features)
{
	put_flags(w, PFCP_IE_CP_FUNCTION_FEATURES, features, 1);
}

/* TS 29.244 §8.2.37: V4 flag, the SEID, the IPv4 address. */
void
pfcp_put_fseid_ipv4(struct vpg_wr *w, uint64_t seid, uint32_t addr_be)
{
	uint8_t v[13];
	int i;

	v[0] = 0x02;
	for (i = 0; i < 8; i++)
		v[1 + i] = (uint8_t)(seid >> (56 - 8 * i));
	memcpy(&v[9], &addr_be, 4);
	pfcp_put_ie(w, PFCP_IE_F_SEID, v, sizeof(v));
}

/* TS 29.244 §8.2.3: V4 flag, TEID, IPv4 address. */
void
pfcp_put_fteid_ipv4(struct vpg_wr *w, uint32_t teid, uint32_t addr_be)
{
	uint8_t v[9];

	v[0] = 0x01;
	wr_store_be32(&v[1], teid);
	memcpy(&v[5], &addr_be, 4);
	pfcp_put_ie(w, PFCP_IE_F_TEID, v, sizeof(v));
}

/* TS 29.244 Table 7.5.3.2-1: the PDR ID and the F-TEID the user plane chose. */
void
pfcp_put_created_pdr(struct vpg_wr *w, uint16_t pdr_id, uint32_t teid, uint32_t addr_be)
{
	size_t g = pfcp_put_group_open(w, PFCP_IE_CREATED_PDR);

	pfcp_put_u16(w, PFCP_IE_PDR_ID, pdr_id);
	pfcp_put_fteid_ipv4(w, teid, addr_be);
	pfcp_put_group_close(w, g);
}

void
pfcp_put_report_type(struct vpg_wr *w, uint8_t report_type)
{
	pfcp_put_u8(w, PFCP_IE_REPORT_TYPE, report_type);
}

/* TS 29.244 §8.2.44: the flags, then 8 octets for each flag set, in flag order. */
static void
put_volume_measurement(struct vpg_wr *w, const struct pfcp_usage_report *ur)
{
	const uint64_t vals[6] = { ur->vol_total, ur->vol_ul, ur->vol_dl, ur->pkt_total, ur->pkt_ul,
		ur->pkt_dl };
	uint8_t v[1 + 6 * 8];
	size_t n = 1;
	int i, j;

	v[0] = ur->vol_flags & 0x3f;
	for (i = 0; i < 6; i++) {
		if ((v[0] & (1u << i)) == 0)
			continue;
		for (j = 0; j < 8; j++)
			v[n++] = (uint8_t)(vals[i] >> (56 - 8 * j));
	}
	pfcp_put_ie(w, PFCP_IE_VOLUME_MEASUREMENT, v, (uint16_t)n);
}

/*
 * Usage Report, TS 29.244 Tables 7.5.5.2-1 (Modification Response),
 * 7.5.7.2-1 (Deletion Response) and 7.5.8.3-1 (Report Request): URR ID,
 * UR-SEQN and Usage Report Trigger, then what ur->has names.
 */
void
pfcp_put_usage_report(struct vpg_wr *w, uint16_t ie_type, const struct pfcp_usage_report *ur)
{
	size_t g = pfcp_put_group_open(w, ie_type);

	pfcp_put_u32(w, PFCP_IE_URR_ID, ur->urr_id);
	pfcp_put_u32(w, PFCP_IE_UR_SEQN, ur->ur_seqn);
	put_flags(w, PFCP_IE_USAGE_REPORT_TRIGGER, ur->trigger, 2);
	if ((ur->has & PFCP_UR_HAS_START) != 0)
		pfcp_put_u32(w, PFCP_IE_START_TIME, ur->start);
	if ((ur->has & PFCP_UR_HAS_END) != 0)
		pfcp_put_u32(w, PFCP_IE_END_TIME, ur->end);
	if ((ur->has & PFCP_UR_HAS_VOLUME) != 0)
		put_volume_measurement(w, ur);
	if ((ur->has & PFCP_UR_HAS_DURATION) != 0)
		pfcp_put_u32(w, PFCP_IE_DURATION_MEASUREMENT, ur->duration);
	pfcp_put_group_close(w, g);
}

/* TS 29.244 §7.4.2.1: a Heartbeat Request carries the Recovery Time Stamp. */
void
pfcp_build_heartbeat_req(struct vpg_wr *w, uint32_t seq, uint32_t recovery_ts)
{
	size_t off = pfcp_build_header(w, PFCP_HEARTBEAT_REQ, seq);

	pfcp_put_recovery_ts(w, recovery_ts);
	pfcp_build_finish(w, off);
}

/* TS 29.244 §7.5.8: Report Type USAR and one Usage Report per URR reported. */
void
pfcp_build_session_report_req(
    struct vpg_wr *w, uint64_t seid, uint32_t seq, const struct pfcp_usage_report *ur, size_t n)
{
	size_t off = pfcp_build_header_seid(w, PFCP_SESS_REPORT_REQ, seid, seq);
	size_t i;

	pfcp_put_report_type(w, PFCP_REPORT_USAR);
	for (i = 0; i < n; i++)
		pfcp_put_usage_report(w, PFCP_IE_USAGE_REPORT_SRR, &ur[i]);
	pfcp_build_finish(w, off);
}
