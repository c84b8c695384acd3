/*
 * PFCP message bodies, 3GPP TS 29.244: one TLV walker driven by a table
 * per message and per grouped IE (the header is pfcp_hdr.c's). A table row is the IE type, whether
 * it is mandatory, how many instances are kept, where its decoded value goes
 * in the parent struct and how it is decoded (a value decoder of pfcp_ie.c or
 * the table of its members). Presence, multiplicity and lengths are checked
 * in walk() and nowhere else.
 */
#include <string.h>

#include "pfcp.h"
#include "rd.h"

#define MAX_RULES 24 /* members of the largest table */

#define NELEM(a)      (sizeof(a) / sizeof((a)[0]))
#define MEMBER(st, f) (((st *)0)->f)

typedef int (*ie_dec_fn)(const uint8_t *, size_t, void *);

struct ie_group;

/* One row: an IE a message or grouped IE may carry. */
struct ie_rule {
	uint16_t type;
	bool mandatory;
	uint8_t max;		      /* instances kept; 1 = single instance */
	uint64_t has;		      /* bit set in the parent's has (single instance) */
	size_t off;		      /* where the value goes in the parent */
	size_t cnt_off;		      /* the parent's uint8_t count (several instances) */
	size_t size;		      /* one instance */
	ie_dec_fn dec;		      /* a value, or */
	const struct ie_group *group; /* the members of a grouped IE */
};

struct ie_group {
	const struct ie_rule *rules;
	size_t n;
	size_t has_off; /* the parent's uint64_t has, or NO_HAS */
};

#define NO_HAS SIZE_MAX

#define ONE(t, m, st, f, fn, bit)                                                                  \
	{                                                                                          \
		.type = (t), .mandatory = (m), .max = 1, .has = (bit), .off = offsetof(st, f),     \
		.dec = (fn)                                                                        \
	}
#define MANY(t, m, st, f, cnt, fn, bit)                                                            \
	{                                                                                          \
		.type = (t), .mandatory = (m), .max = NELEM(MEMBER(st, f)), .has = (bit),          \
		.off = offsetof(st, f), .cnt_off = offsetof(st, cnt),                              \
		.size = sizeof(MEMBER(st, f)[0]), .dec = (fn)                                      \
	}
#define ONE_G(t, m, st, f, g, bit)                                                                 \
	{                                                                                          \
		.type = (t), .mandatory = (m), .max = 1, .has = (bit), .off = offsetof(st, f),     \
		.group = &(g)                                                                      \
	}
#define MANY_G(t, m, st, f, cnt, g)                                                                \
	{                                                                                          \
		.type = (t), .mandatory = (m), .max = NELEM(MEMBER(st, f)),                        \
		.off = offsetof(st, f), .cnt_off = offsetof(st, cnt),                              \
		.size = sizeof(MEMBER(st, f)[0]), .group = &(g)                                    \
	}
/* A rule that decodes into the whole parent (its value fills several members). */
#define WHOLE(t, m, fn, bit)                                                                       \
	{                                                                                          \
		.type = (t), .mandatory = (m), .max = 1, .has = (bit), .off = 0, .dec = (fn)       \
	}
#define GROUP(name, st)                                                                            \
	static const struct ie_group name = { name##_rules, NELEM(name##_rules),                   \
		offsetof(st, has) };                                                               \
	_Static_assert(NELEM(name##_rules) <= MAX_RULES, #name " too long")
#define GROUP_NO_HAS(name)                                                                         \
	static const struct ie_group name = { name##_rules, NELEM(name##_rules), NO_HAS }

static int walk(struct vpg_rd *, const struct ie_group *, void *, struct pfcp_err *);
static int decode_one(const struct ie_rule *, struct vpg_rd *, void *, uint8_t, struct pfcp_err *);
static const struct ie_rule *find_rule(const struct ie_group *, uint16_t);
static int fail(struct pfcp_err *, uint8_t, uint16_t);

/* Scalar values: at least the octets the type defines; later octets are extensions. */
static int
dec_u8(const uint8_t *v, size_t n, void *out)
{
	if (n < 1)
		return -1;
	*(uint8_t *)out = v[0];
	return 0;
}

/* Values in the low bits of one octet: interfaces, QFI, PDN type. */
static int
dec_nibble(const uint8_t *v, size_t n, void *out)
{
	if (n < 1)
		return -1;
	*(uint8_t *)out = v[0] & 0x0f;
	return 0;
}

static int
dec_six_bits(const uint8_t *v, size_t n, void *out)
{
	if (n < 1)
		return -1;
	*(uint8_t *)out = v[0] & 0x3f;
	return 0;
}

static int
dec_pdn_type(const uint8_t *v, size_t n, void *out)
{
	if (n < 1 || (v[0] & 0x07) == 0)
		return -1;
	*(uint8_t *)out = v[0] & 0x07;
	return 0;
}

static int
dec_u16(const uint8_t *v, size_t n, void *out)
{
	struct vpg_rd r;

	rd_init(&r, v, n);
	return rd_be16(&r, out);
}

static int
dec_u32(const uint8_t *v, size_t n, void *out)
{
	struct vpg_rd r;

	rd_init(&r, v, n);
	return rd_be32(&r, out);
}

static int
dec_apply_action(const uint8_t *v, size_t n, void *out)
{
	uint64_t f;

	if (pfcp_ie_flags(v, n, 2, &f) < 0)
		return -1;
	*(uint16_t *)out = (uint16_t)f;
	return 0;
}

static int
dec_features(const uint8_t *v, size_t n, void *out)
{
	return pfcp_ie_flags(v, n, 8, out);
}

/* Reporting Triggers and Usage Report Trigger: up to 3 octets. */
static int
dec_triggers(const uint8_t *v, size_t n, void *out)
{
	uint64_t f;

	if (pfcp_ie_flags(v, n, 3, &f) < 0)
		return -1;
	*(uint32_t *)out = (uint32_t)f;
	return 0;
}

/* Gate Status, TS 29.244 §8.2.7: DL gate in bits 1-2, UL gate in bits 3-4. */
static int
dec_gate(const uint8_t *v, size_t n, void *out)
{
	struct pfcp_gate *g = out;

	if (n < 1)
		return -1;
	g->dl = v[0] & 0x03;
	g->ul = (v[0] >> 2) & 0x03;
	return 0;
}

static int
dec_name(const uint8_t *v, size_t n, void *out)
{
	return pfcp_ie_labels(v, n, out, PFCP_NAME_MAX);
}

static int
dec_network_instance(const uint8_t *v, size_t n, void *out)
{
	return pfcp_ie_network_instance(v, n, out, PFCP_NAME_MAX);
}

/*
 * Volume Measurement, TS 29.244 §8.2.44: flags TOVOL, ULVOL, DLVOL, TONOP,
 * ULNOP, DLNOP, then 8 octets per flag in that order.
 */
static int
dec_volume_measurement(const uint8_t *v, size_t n, void *out)
{
	struct pfcp_usage_report *ur = out;
	uint64_t *dst[6] = { &ur->vol_total, &ur->vol_ul, &ur->vol_dl, &ur->pkt_total, &ur->pkt_ul,
		&ur->pkt_dl };
	struct vpg_rd r;
	uint32_t hi, lo;
	uint8_t f;
	int i;

	rd_init(&r, v, n);
	if (rd_u8(&r, &f) < 0)
		return -1;
	ur->vol_flags = f & 0x3f;
	for (i = 0; i < 6; i++) {
		if ((f & (1u << i)) == 0)
			continue;
		if (rd_be32(&r, &hi) < 0 || rd_be32(&r, &lo) < 0)
			return -1;
		*dst[i] = (uint64_t)hi << 32 | lo;
	}
	return 0;
}

/* The typed decoders of pfcp_ie.c, behind the table's one signature. */
#define ADAPT(name, type)                                                                          \
	static int dec_##name(const uint8_t *v, size_t n, void *out)                               \
	{                                                                                          \
		return pfcp_ie_##name(v, n, (type *)out);                                          \
	}
ADAPT(node_id, struct pfcp_node_id)
ADAPT(fseid, struct pfcp_fseid)
ADAPT(fteid, struct pfcp_fteid)
ADAPT(ue_ip, struct pfcp_ue_ip)
ADAPT(source_ip, struct pfcp_ip)
ADAPT(sdf, struct pfcp_sdf)
ADAPT(ohc, struct pfcp_ohc)
ADAPT(volume, struct pfcp_volume)
ADAPT(bitrate, struct pfcp_bitrate)
ADAPT(user_id, struct pfcp_user_id)
ADAPT(framed_route, struct pfcp_route)

/* PDI, TS 29.244 Table 7.5.2.2-2. */
static const struct ie_rule pdi_rules[] = {
	ONE(PFCP_IE_SOURCE_INTERFACE, true, struct pfcp_pdi, source_iface, dec_nibble, 0),
	ONE(PFCP_IE_F_TEID, false, struct pfcp_pdi, fteid, dec_fteid, PFCP_PDI_HAS_FTEID),
	ONE(PFCP_IE_NETWORK_INSTANCE, false, struct pfcp_pdi, network_instance,
	    dec_network_instance, PFCP_PDI_HAS_NETWORK_INSTANCE),
	ONE(PFCP_IE_UE_IP_ADDRESS, false, struct pfcp_pdi, ue_ip, dec_ue_ip, PFCP_PDI_HAS_UE_IP),
	MANY(PFCP_IE_SDF_FILTER, false, struct pfcp_pdi, sdf, n_sdf, dec_sdf, PFCP_PDI_HAS_SDF),
	ONE(PFCP_IE_QFI, false, struct pfcp_pdi, qfi, dec_six_bits, PFCP_PDI_HAS_QFI),
	ONE(PFCP_IE_3GPP_INTERFACE_TYPE, false, struct pfcp_pdi, iface_type, dec_six_bits,
	    PFCP_PDI_HAS_IFACE_TYPE),
	MANY(PFCP_IE_FRAMED_ROUTE, false, struct pfcp_pdi, routes, n_routes, dec_framed_route,
	    PFCP_PDI_HAS_ROUTES),
	ONE(PFCP_IE_FRAMED_ROUTING, false, struct pfcp_pdi, framed_routing, dec_u32,
	    PFCP_PDI_HAS_FRAMED_ROUTING),
};
GROUP(pdi, struct pfcp_pdi);

/* Create PDR, Table 7.5.2.2-1. FAR ID is conditional: a PDR may be created without one. */
static const struct ie_rule create_pdr_rules[] = {
	ONE(PFCP_IE_PDR_ID, true, struct pfcp_pdr, pdr_id, dec_u16, 0),
	ONE(PFCP_IE_PRECEDENCE, true, struct pfcp_pdr, precedence, dec_u32,
	    PFCP_PDR_HAS_PRECEDENCE),
	ONE_G(PFCP_IE_PDI, true, struct pfcp_pdr, pdi, pdi, PFCP_PDR_HAS_PDI),
	ONE(PFCP_IE_OUTER_HEADER_REMOVAL, false, struct pfcp_pdr, ohr, dec_u8, PFCP_PDR_HAS_OHR),
	ONE(PFCP_IE_FAR_ID, false, struct pfcp_pdr, far_id, dec_u32, PFCP_PDR_HAS_FAR_ID),
	MANY(PFCP_IE_URR_ID, false, struct pfcp_pdr, urr_ids, n_urr_ids, dec_u32,
	    PFCP_PDR_HAS_URR_IDS),
	MANY(PFCP_IE_QER_ID, false, struct pfcp_pdr, qer_ids, n_qer_ids, dec_u32,
	    PFCP_PDR_HAS_QER_IDS),
};
GROUP(create_pdr, struct pfcp_pdr);

/* Update PDR, Table 7.5.4.2-1: only the PDR ID is mandatory; absent members stay. */
static const struct ie_rule update_pdr_rules[] = {
	ONE(PFCP_IE_PDR_ID, true, struct pfcp_pdr, pdr_id, dec_u16, 0),
	ONE(PFCP_IE_OUTER_HEADER_REMOVAL, false, struct pfcp_pdr, ohr, dec_u8, PFCP_PDR_HAS_OHR),
	ONE(PFCP_IE_PRECEDENCE, false, struct pfcp_pdr, precedence, dec_u32,
	    PFCP_PDR_HAS_PRECEDENCE),
	ONE_G(PFCP_IE_PDI, false, struct pfcp_pdr, pdi, pdi, PFCP_PDR_HAS_PDI),
	ONE(PFCP_IE_FAR_ID, false, struct pfcp_pdr, far_id, dec_u32, PFCP_PDR_HAS_FAR_ID),
	MANY(PFCP_IE_URR_ID, false, struct pfcp_pdr, urr_ids, n_urr_ids, dec_u32,
	    PFCP_PDR_HAS_URR_IDS),
	MANY(PFCP_IE_QER_ID, false, struct pfcp_pdr, qer_ids, n_qer_ids, dec_u32,
	    PFCP_PDR_HAS_QER_IDS),
};
GROUP(update_pdr, struct pfcp_pdr);

/* Forwarding Parameters, Table 7.5.2.3-2. */
static const struct ie_rule fwd_rules[] = {
	ONE(PFCP_IE_DESTINATION_INTERFACE, true, struct pfcp_fwd, dest_iface, dec_nibble,
	    PFCP_FWD_HAS_DEST_IFACE),
	ONE(PFCP_IE_NETWORK_INSTANCE, false, struct pfcp_fwd, network_instance,
	    dec_network_instance, PFCP_FWD_HAS_NETWORK_INSTANCE),
	ONE(PFCP_IE_OUTER_HEADER_CREATION, false, struct pfcp_fwd, ohc, dec_ohc, PFCP_FWD_HAS_OHC),
	ONE(PFCP_IE_3GPP_INTERFACE_TYPE, false, struct pfcp_fwd, iface_type, dec_six_bits,
	    PFCP_FWD_HAS_IFACE_TYPE),
};
GROUP(fwd, struct pfcp_fwd);

/* Update Forwarding Parameters, Table 7.5.4.3-2. */
static const struct ie_rule update_fwd_rules[] = {
	ONE(PFCP_IE_DESTINATION_INTERFACE, false, struct pfcp_fwd, dest_iface, dec_nibble,
	    PFCP_FWD_HAS_DEST_IFACE),
	ONE(PFCP_IE_NETWORK_INSTANCE, false, struct pfcp_fwd, network_instance,
	    dec_network_instance, PFCP_FWD_HAS_NETWORK_INSTANCE),
	ONE(PFCP_IE_OUTER_HEADER_CREATION, false, struct pfcp_fwd, ohc, dec_ohc, PFCP_FWD_HAS_OHC),
	ONE(PFCP_IE_3GPP_INTERFACE_TYPE, false, struct pfcp_fwd, iface_type, dec_six_bits,
	    PFCP_FWD_HAS_IFACE_TYPE),
	ONE(PFCP_IE_PFCPSMREQ_FLAGS, false, struct pfcp_fwd, smreq_flags, dec_u8,
	    PFCP_FWD_HAS_SMREQ_FLAGS),
};
GROUP(update_fwd, struct pfcp_fwd);

/* Create FAR, Table 7.5.2.3-1. */
static const struct ie_rule create_far_rules[] = {
	ONE(PFCP_IE_FAR_ID, true, struct pfcp_far, far_id, dec_u32, 0),
	ONE(PFCP_IE_APPLY_ACTION, true, struct pfcp_far, apply_action, dec_apply_action,
	    PFCP_FAR_HAS_APPLY_ACTION),
	ONE_G(PFCP_IE_FORWARDING_PARAMETERS, false, struct pfcp_far, fwd, fwd, PFCP_FAR_HAS_FWD),
	ONE_G(PFCP_IE_DUPLICATING_PARAMETERS, false, struct pfcp_far, dupl, fwd, PFCP_FAR_HAS_DUPL),
	ONE(PFCP_IE_BAR_ID, false, struct pfcp_far, bar_id, dec_u8, PFCP_FAR_HAS_BAR_ID),
};
GROUP(create_far, struct pfcp_far);

/* Update FAR, Table 7.5.4.3-1. */
static const struct ie_rule update_far_rules[] = {
	ONE(PFCP_IE_FAR_ID, true, struct pfcp_far, far_id, dec_u32, 0),
	ONE(PFCP_IE_APPLY_ACTION, false, struct pfcp_far, apply_action, dec_apply_action,
	    PFCP_FAR_HAS_APPLY_ACTION),
	ONE_G(PFCP_IE_UPDATE_FORWARDING_PARAMETERS, false, struct pfcp_far, fwd, update_fwd,
	    PFCP_FAR_HAS_FWD),
	ONE(PFCP_IE_BAR_ID, false, struct pfcp_far, bar_id, dec_u8, PFCP_FAR_HAS_BAR_ID),
};
GROUP(update_far, struct pfcp_far);

/* Create URR, Table 7.5.2.4-1, and Update URR, Table 7.5.4.4-1: same members. */
#define URR_RULES(m)                                                                               \
	ONE(PFCP_IE_URR_ID, true, struct pfcp_urr, urr_id, dec_u32, 0),                            \
	    ONE(PFCP_IE_MEASUREMENT_METHOD, m, struct pfcp_urr, method, dec_u8,                    \
		PFCP_URR_HAS_METHOD),                                                              \
	    ONE(PFCP_IE_REPORTING_TRIGGERS, m, struct pfcp_urr, triggers, dec_triggers,            \
		PFCP_URR_HAS_TRIGGERS),                                                            \
	    ONE(PFCP_IE_MEASUREMENT_PERIOD, false, struct pfcp_urr, period, dec_u32,               \
		PFCP_URR_HAS_PERIOD),                                                              \
	    ONE(PFCP_IE_VOLUME_THRESHOLD, false, struct pfcp_urr, vol_thresh, dec_volume,          \
		PFCP_URR_HAS_VOL_THRESH),                                                          \
	    ONE(PFCP_IE_VOLUME_QUOTA, false, struct pfcp_urr, vol_quota, dec_volume,               \
		PFCP_URR_HAS_VOL_QUOTA),                                                           \
	    ONE(PFCP_IE_TIME_THRESHOLD, false, struct pfcp_urr, time_thresh, dec_u32,              \
		PFCP_URR_HAS_TIME_THRESH),                                                         \
	    ONE(PFCP_IE_TIME_QUOTA, false, struct pfcp_urr, time_quota, dec_u32,                   \
		PFCP_URR_HAS_TIME_QUOTA)
static const struct ie_rule create_urr_rules[] = { URR_RULES(true) };
GROUP(create_urr, struct pfcp_urr);
static const struct ie_rule update_urr_rules[] = { URR_RULES(false) };
GROUP(update_urr, struct pfcp_urr);

/* Create QER, Table 7.5.2.5-1, and Update QER, Table 7.5.4.5-1. */
#define QER_RULES(m)                                                                               \
	ONE(PFCP_IE_QER_ID, true, struct pfcp_qer, qer_id, dec_u32, 0),                            \
	    ONE(PFCP_IE_QER_CORRELATION_ID, false, struct pfcp_qer, corr_id, dec_u32,              \
		PFCP_QER_HAS_CORR_ID),                                                             \
	    ONE(PFCP_IE_GATE_STATUS, m, struct pfcp_qer, gate, dec_gate, PFCP_QER_HAS_GATE),       \
	    ONE(PFCP_IE_MBR, false, struct pfcp_qer, mbr, dec_bitrate, PFCP_QER_HAS_MBR),          \
	    ONE(PFCP_IE_GBR, false, struct pfcp_qer, gbr, dec_bitrate, PFCP_QER_HAS_GBR),          \
	    ONE(PFCP_IE_QFI, false, struct pfcp_qer, qfi, dec_six_bits, PFCP_QER_HAS_QFI)
static const struct ie_rule create_qer_rules[] = { QER_RULES(true) };
GROUP(create_qer, struct pfcp_qer);
static const struct ie_rule update_qer_rules[] = { QER_RULES(false) };
GROUP(update_qer, struct pfcp_qer);

/* Create BAR, Update BAR, Remove BAR and the Remove/Query rules: an ID alone. */
static const struct ie_rule bar_id_rules[] = {
	{ .type = PFCP_IE_BAR_ID, .mandatory = true, .max = 1, .dec = dec_u8 },
};
GROUP_NO_HAS(bar_id);
static const struct ie_rule pdr_id_rules[] = {
	{ .type = PFCP_IE_PDR_ID, .mandatory = true, .max = 1, .dec = dec_u16 },
};
GROUP_NO_HAS(pdr_id);
static const struct ie_rule far_id_rules[] = {
	{ .type = PFCP_IE_FAR_ID, .mandatory = true, .max = 1, .dec = dec_u32 },
};
GROUP_NO_HAS(far_id);
static const struct ie_rule urr_id_rules[] = {
	{ .type = PFCP_IE_URR_ID, .mandatory = true, .max = 1, .dec = dec_u32 },
};
GROUP_NO_HAS(urr_id);
static const struct ie_rule qer_id_rules[] = {
	{ .type = PFCP_IE_QER_ID, .mandatory = true, .max = 1, .dec = dec_u32 },
};
GROUP_NO_HAS(qer_id);

/* Created PDR, Table 7.5.3.2-1. */
static const struct ie_rule created_pdr_rules[] = {
	ONE(PFCP_IE_PDR_ID, true, struct pfcp_created_pdr, pdr_id, dec_u16, 0),
	ONE(PFCP_IE_F_TEID, false, struct pfcp_created_pdr, fteid, dec_fteid,
	    PFCP_CREATED_HAS_FTEID),
};
GROUP(created_pdr, struct pfcp_created_pdr);

/* Usage Report, Tables 7.5.5.2-1, 7.5.7.2-1, 7.5.8.3-1: the members this codec builds. */
static const struct ie_rule usage_report_rules[] = {
	ONE(PFCP_IE_URR_ID, true, struct pfcp_usage_report, urr_id, dec_u32, 0),
	ONE(PFCP_IE_UR_SEQN, true, struct pfcp_usage_report, ur_seqn, dec_u32, 0),
	ONE(PFCP_IE_USAGE_REPORT_TRIGGER, true, struct pfcp_usage_report, trigger, dec_triggers, 0),
	ONE(PFCP_IE_START_TIME, false, struct pfcp_usage_report, start, dec_u32, PFCP_UR_HAS_START),
	ONE(PFCP_IE_END_TIME, false, struct pfcp_usage_report, end, dec_u32, PFCP_UR_HAS_END),
	WHOLE(PFCP_IE_VOLUME_MEASUREMENT, false, dec_volume_measurement, PFCP_UR_HAS_VOLUME),
	ONE(PFCP_IE_DURATION_MEASUREMENT, false, struct pfcp_usage_report, duration, dec_u32,
	    PFCP_UR_HAS_DURATION),
};
GROUP(usage_report, struct pfcp_usage_report);

/* Message tables, TS 29.244 §7.4 and §7.5. */
#define M	   struct pfcp_msg
#define NODE_ID(m) ONE(PFCP_IE_NODE_ID, m, M, node_id, dec_node_id, PFCP_MSG_HAS_NODE_ID)
#define CAUSE	   ONE(PFCP_IE_CAUSE, true, M, cause, dec_u8, PFCP_MSG_HAS_CAUSE)
#define RECOVERY(m)                                                                                \
	ONE(PFCP_IE_RECOVERY_TIME_STAMP, m, M, recovery_ts, dec_u32, PFCP_MSG_HAS_RECOVERY)
#define UP_FEATURES                                                                                \
	ONE(PFCP_IE_UP_FUNCTION_FEATURES, false, M, up_features, dec_features,                     \
	    PFCP_MSG_HAS_UP_FEATURES)
#define CP_FEATURES                                                                                \
	ONE(PFCP_IE_CP_FUNCTION_FEATURES, false, M, cp_features, dec_features,                     \
	    PFCP_MSG_HAS_CP_FEATURES)
#define OFFENDING                                                                                  \
	ONE(PFCP_IE_OFFENDING_IE, false, M, offending_ie, dec_u16, PFCP_MSG_HAS_OFFENDING_IE)
#define FSEID(m) ONE(PFCP_IE_F_SEID, m, M, fseid, dec_fseid, PFCP_MSG_HAS_FSEID)

static const struct ie_rule heartbeat_req_rules[] = {
	RECOVERY(true),
	ONE(PFCP_IE_SOURCE_IP_ADDRESS, false, M, source_ip, dec_source_ip, PFCP_MSG_HAS_SOURCE_IP),
};
GROUP(heartbeat_req, M);
static const struct ie_rule heartbeat_rsp_rules[] = { RECOVERY(true) };
GROUP(heartbeat_rsp, M);
static const struct ie_rule assoc_setup_req_rules[] = { NODE_ID(true), RECOVERY(true), UP_FEATURES,
	CP_FEATURES };
GROUP(assoc_setup_req, M);
static const struct ie_rule assoc_setup_rsp_rules[] = { NODE_ID(true), CAUSE, RECOVERY(true),
	UP_FEATURES, CP_FEATURES };
GROUP(assoc_setup_rsp, M);
static const struct ie_rule assoc_update_req_rules[] = {
	NODE_ID(true),
	UP_FEATURES,
	CP_FEATURES,
	ONE(PFCP_IE_ASSOC_RELEASE_REQUEST, false, M, arr_flags, dec_u8, PFCP_MSG_HAS_ARR),
};
GROUP(assoc_update_req, M);
static const struct ie_rule assoc_update_rsp_rules[] = { NODE_ID(true), CAUSE, UP_FEATURES,
	CP_FEATURES };
GROUP(assoc_update_rsp, M);
static const struct ie_rule assoc_release_req_rules[] = { NODE_ID(true) };
GROUP(assoc_release_req, M);
static const struct ie_rule node_rsp_rules[] = { NODE_ID(true), CAUSE, OFFENDING };
GROUP(node_rsp, M);
static const struct ie_rule node_report_req_rules[] = {
	NODE_ID(true),
	ONE(PFCP_IE_NODE_REPORT_TYPE, true, M, node_report_type, dec_u8,
	    PFCP_MSG_HAS_NODE_REPORT_TYPE),
};
GROUP(node_report_req, M);
static const struct ie_rule empty_rules[] = { { .type = 0, .max = 0 } };
GROUP(empty, M);

/* Session Establishment Request, Table 7.5.2.1-1. */
static const struct ie_rule sess_est_req_rules[] = {
	NODE_ID(true),
	FSEID(true),
	MANY_G(PFCP_IE_CREATE_PDR, true, M, create_pdr, n_create_pdr, create_pdr),
	MANY_G(PFCP_IE_CREATE_FAR, true, M, create_far, n_create_far, create_far),
	MANY_G(PFCP_IE_CREATE_URR, false, M, create_urr, n_create_urr, create_urr),
	MANY_G(PFCP_IE_CREATE_QER, false, M, create_qer, n_create_qer, create_qer),
	ONE_G(PFCP_IE_CREATE_BAR, false, M, create_bar, bar_id, PFCP_MSG_HAS_CREATE_BAR),
	ONE(PFCP_IE_PDN_TYPE, false, M, pdn_type, dec_pdn_type, PFCP_MSG_HAS_PDN_TYPE),
	ONE(PFCP_IE_USER_ID, false, M, user_id, dec_user_id, PFCP_MSG_HAS_USER_ID),
	ONE(PFCP_IE_APN_DNN, false, M, apn, dec_name, PFCP_MSG_HAS_APN),
};
GROUP(sess_est_req, M);

/* Session Establishment Response, Table 7.5.3.1-1. */
static const struct ie_rule sess_est_rsp_rules[] = {
	NODE_ID(true),
	CAUSE,
	OFFENDING,
	FSEID(false),
	MANY_G(PFCP_IE_CREATED_PDR, false, M, created_pdr, n_created_pdr, created_pdr),
};
GROUP(sess_est_rsp, M);

/* Session Modification Request, Table 7.5.4.1-1. */
static const struct ie_rule sess_mod_req_rules[] = {
	FSEID(false),
	MANY_G(PFCP_IE_REMOVE_PDR, false, M, remove_pdr, n_remove_pdr, pdr_id),
	MANY_G(PFCP_IE_REMOVE_FAR, false, M, remove_far, n_remove_far, far_id),
	MANY_G(PFCP_IE_REMOVE_URR, false, M, remove_urr, n_remove_urr, urr_id),
	MANY_G(PFCP_IE_REMOVE_QER, false, M, remove_qer, n_remove_qer, qer_id),
	ONE_G(PFCP_IE_REMOVE_BAR, false, M, remove_bar, bar_id, PFCP_MSG_HAS_REMOVE_BAR),
	MANY_G(PFCP_IE_CREATE_PDR, false, M, create_pdr, n_create_pdr, create_pdr),
	MANY_G(PFCP_IE_CREATE_FAR, false, M, create_far, n_create_far, create_far),
	MANY_G(PFCP_IE_CREATE_URR, false, M, create_urr, n_create_urr, create_urr),
	MANY_G(PFCP_IE_CREATE_QER, false, M, create_qer, n_create_qer, create_qer),
	ONE_G(PFCP_IE_CREATE_BAR, false, M, create_bar, bar_id, PFCP_MSG_HAS_CREATE_BAR),
	MANY_G(PFCP_IE_UPDATE_PDR, false, M, update_pdr, n_update_pdr, update_pdr),
	MANY_G(PFCP_IE_UPDATE_FAR, false, M, update_far, n_update_far, update_far),
	MANY_G(PFCP_IE_UPDATE_URR, false, M, update_urr, n_update_urr, update_urr),
	MANY_G(PFCP_IE_UPDATE_QER, false, M, update_qer, n_update_qer, update_qer),
	ONE_G(PFCP_IE_UPDATE_BAR, false, M, update_bar, bar_id, PFCP_MSG_HAS_UPDATE_BAR),
	ONE(PFCP_IE_PFCPSMREQ_FLAGS, false, M, smreq_flags, dec_u8, PFCP_MSG_HAS_SMREQ_FLAGS),
	MANY_G(PFCP_IE_QUERY_URR, false, M, query_urr, n_query_urr, urr_id),
};
GROUP(sess_mod_req, M);

/* Responses carrying usage reports, Tables 7.5.5.1-1 and 7.5.7.1-1. */
static const struct ie_rule sess_mod_rsp_rules[] = {
	CAUSE,
	OFFENDING,
	MANY_G(PFCP_IE_CREATED_PDR, false, M, created_pdr, n_created_pdr, created_pdr),
	MANY_G(PFCP_IE_USAGE_REPORT_SMR, false, M, usage_report, n_usage_report, usage_report),
};
GROUP(sess_mod_rsp, M);
static const struct ie_rule sess_del_rsp_rules[] = {
	CAUSE,
	OFFENDING,
	MANY_G(PFCP_IE_USAGE_REPORT_SDR, false, M, usage_report, n_usage_report, usage_report),
};
GROUP(sess_del_rsp, M);

/* Session Report Request, Table 7.5.8.1-1, and its response, Table 7.5.9.1-1. */
static const struct ie_rule sess_report_req_rules[] = {
	ONE(PFCP_IE_REPORT_TYPE, true, M, report_type, dec_u8, PFCP_MSG_HAS_REPORT_TYPE),
	MANY_G(PFCP_IE_USAGE_REPORT_SRR, false, M, usage_report, n_usage_report, usage_report),
};
GROUP(sess_report_req, M);
static const struct ie_rule sess_rsp_rules[] = { CAUSE, OFFENDING };
GROUP(sess_rsp, M);
#undef M

static const struct ie_group *
msg_table(uint8_t type)
{
	switch (type) {
	case PFCP_HEARTBEAT_REQ:
		return &heartbeat_req;
	case PFCP_HEARTBEAT_RSP:
		return &heartbeat_rsp;
	case PFCP_ASSOC_SETUP_REQ:
		return &assoc_setup_req;
	case PFCP_ASSOC_SETUP_RSP:
		return &assoc_setup_rsp;
	case PFCP_ASSOC_UPDATE_REQ:
		return &assoc_update_req;
	case PFCP_ASSOC_UPDATE_RSP:
		return &assoc_update_rsp;
	case PFCP_ASSOC_RELEASE_REQ:
		return &assoc_release_req;
	case PFCP_ASSOC_RELEASE_RSP:
	case PFCP_NODE_REPORT_RSP:
		return &node_rsp;
	case PFCP_NODE_REPORT_REQ:
		return &node_report_req;
	case PFCP_VERSION_NOT_SUPPORTED:
	case PFCP_SESS_DEL_REQ:
		return &empty;
	case PFCP_SESS_EST_REQ:
		return &sess_est_req;
	case PFCP_SESS_EST_RSP:
		return &sess_est_rsp;
	case PFCP_SESS_MOD_REQ:
		return &sess_mod_req;
	case PFCP_SESS_MOD_RSP:
		return &sess_mod_rsp;
	case PFCP_SESS_DEL_RSP:
		return &sess_del_rsp;
	case PFCP_SESS_REPORT_REQ:
		return &sess_report_req;
	case PFCP_SESS_REPORT_RSP:
		return &sess_rsp;
	default:
		return NULL;
	}
}

uint8_t
pfcp_parse_body(const uint8_t *buf, size_t len, const struct pfcp_hdr *hdr, struct pfcp_msg *msg,
    struct pfcp_err *err)
{
	const struct ie_group *g;
	struct vpg_rd r, body;

	memset(msg, 0, sizeof(*msg));
	memset(err, 0, sizeof(*err));
	msg->hdr = *hdr;
	g = msg_table(hdr->type);
	rd_init(&r, buf, len);
	if (g == NULL)
		(void)fail(err, PFCP_CAUSE_SERVICE_NOT_SUPPORTED, 0);
	else if (hdr->msg_len < hdr->hdr_len || rd_skip(&r, hdr->hdr_len) < 0 ||
		 rd_sub(&r, hdr->msg_len - hdr->hdr_len, &body) < 0)
		(void)fail(err, PFCP_CAUSE_INVALID_LENGTH, 0);
	else
		(void)walk(&body, g, msg, err);
	return err->cause;
}

static int
fail(struct pfcp_err *err, uint8_t cause, uint16_t ie_type)
{
	err->cause = cause;
	err->ie_type = ie_type;
	return -1;
}

/* Linear in the table's rows (at most MAX_RULES), for each IE of the message. */
static const struct ie_rule *
find_rule(const struct ie_group *g, uint16_t type)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->rules[i].max > 0 && g->rules[i].type == type)
			return &g->rules[i];
	return NULL;
}

/*
 * The one walker. Each IE is carved into its own reader before it is looked
 * at, so nothing reaches past its end or its container's (TS 29.244 §8.1.1).
 * Its handling of errors follows §7.6:
 * - an IE header cut short or a length past the container: Invalid Length;
 * - an IE type the table does not name, vendor IEs among them: skipped, so
 *   that newer peers interwork (§7.6.1);
 * - a repeated single-instance IE: the first counts, the others are ignored,
 *   as "repeated information elements" are handled in §7.6;
 * - more instances of a multiple IE than this codec keeps: No resources;
 * - a value the decoder refuses: Mandatory IE incorrect naming that IE. This
 *   codec does so for optional IEs too, instead of dropping them: a user plane
 *   that ignored, say, a malformed Outer Header Creation would forward the
 *   session's traffic somewhere the control plane never asked for;
 * - a mandatory member missing, checked last: Mandatory IE missing.
 * Tables nest at most three deep (message, Create PDR, PDI), so the
 * recursion is bounded by the tables, not by the input.
 */
static int
walk(struct vpg_rd *r, const struct ie_group *g, void *obj, struct pfcp_err *err)
{
	uint8_t seen[MAX_RULES] = { 0 };
	const struct ie_rule *rule;
	struct vpg_rd val;
	uint16_t type, len;
	size_t i;

	while (rd_left(r) > 0) {
		if (rd_be16(r, &type) < 0 || rd_be16(r, &len) < 0)
			return fail(err, PFCP_CAUSE_INVALID_LENGTH, 0);
		if (rd_sub(r, len, &val) < 0)
			return fail(err, PFCP_CAUSE_INVALID_LENGTH, type);
		rule = find_rule(g, type);
		if (rule == NULL)
			continue;
		i = (size_t)(rule - g->rules);
		if (seen[i] == rule->max) {
			if (rule->max == 1)
				continue;
			return fail(err, PFCP_CAUSE_NO_RESOURCES, type);
		}
		if (decode_one(rule, &val, obj, seen[i], err) < 0)
			return -1;
		seen[i]++;
		if (rule->max > 1)
			*((uint8_t *)obj + rule->cnt_off) = seen[i];
		if (g->has_off != NO_HAS)
			*(uint64_t *)(void *)((uint8_t *)obj + g->has_off) |= rule->has;
	}
	for (i = 0; i < g->n; i++)
		if (g->rules[i].mandatory && seen[i] == 0)
			return fail(err, PFCP_CAUSE_MANDATORY_IE_MISSING, g->rules[i].type);
	return 0;
}

/* Decodes instance idx of rule's IE into its place in obj. */
static int
decode_one(
    const struct ie_rule *rule, struct vpg_rd *val, void *obj, uint8_t idx, struct pfcp_err *err)
{
	uint8_t *dst = (uint8_t *)obj + rule->off + (size_t)idx * rule->size;

	if (rule->group != NULL)
		return walk(val, rule->group, dst, err);
	if (rule->dec(val->p, rd_left(val), dst) < 0)
		return fail(err, PFCP_CAUSE_MANDATORY_IE_INCORRECT, rule->type);
	return 0;
}

bool
pfcp_type_known(uint8_t type)
{
	return msg_table(type) != NULL || type == PFCP_PFD_MGMT_REQ || type == PFCP_PFD_MGMT_RSP;
}
