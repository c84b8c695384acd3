#include <stdio.h>
#include <string.h>

#include "core/attach.h"
#include "core/counters.h"
#include "io/log.h"
#include "proto/ipv4.h"
#include "proto/pco.h"
#include "roles/pgw_internal.h"
#include "roles/sig_path.h"

/* TS 24.007 §11.2.3.1.5: EPS bearer identities 0 to 4 are reserved. */
#define EBI_MIN 5
#define EBI_MAX 15

/* The longest PCO/APCO answer: two DNS servers each way, IPCP and the MTU. */
#define PCO_ANSWER_MAX 64

/* What a Create Session Request carries, decoded and checked. */
struct create_req {
	char imsi[16];
	char msisdn[24];
	char apn[ATTACH_APN_LEN];
	struct gtpv2c_fteid sgw_c, sgw_u;
	bool has_sgw_c;
	uint8_t ebi;
	struct gtpv2c_ie qos; /* a copy: the grouped IE's index is the decoder's own */
	const struct gtpv2c_ie *mei;
	uint8_t rat_type;
	uint8_t pdn_type;
	struct gtpv2c_paa paa;
	bool has_paa;
	struct gtpv2c_ambr ambr;
	const struct gtpv2c_ie *serving_network;
	const struct gtpv2c_ie *pco, *apco;
	uint8_t cause; /* accepted: 16, or 18 for an IPv4v6 request given IPv4 alone */
};

static const struct gtpv2c_ie *
find(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance)
{
	return gtpv2c_find(ies, type, instance);
}

/* Sets a refusal naming the offending IE (§8.4: for a missing or incorrect one). */
static bool
refuse(struct pgw_refusal *r, uint8_t cause, uint8_t type, uint8_t instance)
{
	*r = (struct pgw_refusal){ .cause = cause, .ie_type = type, .ie_instance = instance };
	return false;
}

/* A mandatory IE: present and well formed, else a refusal saying which. */
static const struct gtpv2c_ie *
mandatory(const struct gtpv2c_ies *ies, uint8_t type, uint8_t instance, struct pgw_refusal *r)
{
	const struct gtpv2c_ie *ie = find(ies, type, instance);

	if (ie == NULL)
		refuse(r, GTPV2C_CAUSE_MANDATORY_IE_MISSING, type, instance);
	return ie;
}

static bool
incorrect(struct pgw_refusal *r, const struct gtpv2c_ie *ie)
{
	return refuse(r, GTPV2C_CAUSE_MANDATORY_IE_INCORRECT, ie->type, ie->instance);
}

/* An IPv4 F-TEID with a non-zero TEID. */
static bool
fteid_ipv4(const struct gtpv2c_ie *ie, struct gtpv2c_fteid *f)
{
	return gtpv2c_ie_fteid(ie, f) == 0 && f->has_ipv4 && f->teid != 0 && f->ipv4_be != 0;
}

/* A Bearer Level QoS that decodes and fits the octets a session keeps of it (§8.15). */
static bool
bearer_qos_storable(const struct gtpv2c_ie *ie)
{
	struct gtpv2c_bearer_qos q;

	return ie->len == sizeof(((struct pgw_bearer *)0)->qos) &&
	       gtpv2c_ie_bearer_qos(ie, &q) == 0;
}

/* Bearer Context to be created (Table 7.2.1-2): EBI, S5/S8-U SGW F-TEID, Bearer QoS. */
static bool
decode_bearer_to_create(const struct gtpv2c_ie *bc, struct create_req *q, struct pgw_refusal *r)
{
	struct gtpv2c_ies in;
	const struct gtpv2c_ie *ebi, *fteid, *qos_ie;

	if (gtpv2c_parse_grouped(bc, &in) != VPG_DROP_NONE)
		return incorrect(r, bc);
	if ((ebi = mandatory(&in, GTPV2C_IE_EBI, 0, r)) == NULL ||
	    (qos_ie = mandatory(&in, GTPV2C_IE_BEARER_QOS, 0, r)) == NULL ||
	    (fteid = mandatory(&in, GTPV2C_IE_FTEID, 2, r)) == NULL)
		return false;
	if (gtpv2c_ie_ebi(ebi, &q->ebi) < 0 || q->ebi < EBI_MIN || q->ebi > EBI_MAX)
		return incorrect(r, ebi);
	if (!bearer_qos_storable(qos_ie))
		return incorrect(r, qos_ie);
	q->qos = *qos_ie;
	if (!fteid_ipv4(fteid, &q->sgw_u))
		return incorrect(r, fteid);
	return true;
}

/* PDN Type and PAA (§8.34, §8.14): IPv4 is served; IPv4v6 gets IPv4 alone (cause 18). */
static bool
decode_pdn(const struct gtpv2c_ies *ies, struct create_req *q, struct pgw_refusal *r)
{
	const struct gtpv2c_ie *type = find(ies, GTPV2C_IE_PDN_TYPE, 0);
	const struct gtpv2c_ie *paa = find(ies, GTPV2C_IE_PAA, 0);

	q->pdn_type = GTPV2C_PDN_IPV4;
	if (type != NULL && gtpv2c_ie_u8(type, &q->pdn_type) < 0)
		return incorrect(r, type);
	q->pdn_type &= 0x07;
	if (paa != NULL && gtpv2c_ie_paa(paa, &q->paa) == 0)
		q->has_paa = true;
	switch (q->pdn_type) {
	case GTPV2C_PDN_IPV4:
		return true;
	case GTPV2C_PDN_IPV4V6:
		/* TS 23.401 §5.3.1.1: a network of IPv4 alone answers with the type it gives. */
		q->cause = GTPV2C_CAUSE_NEW_PDN_TYPE_NETWORK_PREFERENCE;
		return true;
	}
	return refuse(r, GTPV2C_CAUSE_PREFERRED_PDN_TYPE_NOT_SUPPORTED, 0, 0);
}

/* §7.7.8 (TS 29.274 error handling): an optional IE that does not decode is ignored. */
static void
decode_optional(const struct gtpv2c_ies *ies, struct create_req *q)
{
	const struct gtpv2c_ie *ie;
	char mei[17];
	struct gtpv2c_plmn plmn;

	if ((ie = find(ies, GTPV2C_IE_MSISDN, 0)) != NULL && gtpv2c_ie_msisdn(ie, q->msisdn) < 0)
		q->msisdn[0] = '\0';
	if ((ie = find(ies, GTPV2C_IE_MEI, 0)) != NULL && ie->len <= 8 &&
	    gtpv2c_ie_mei(ie, mei) == 0)
		q->mei = ie;
	if ((ie = find(ies, GTPV2C_IE_SERVING_NETWORK, 0)) != NULL &&
	    gtpv2c_ie_serving_network(ie, &plmn) == 0)
		q->serving_network = ie;
	if ((ie = find(ies, GTPV2C_IE_AMBR, 0)) != NULL && gtpv2c_ie_ambr(ie, &q->ambr) < 0)
		q->ambr = (struct gtpv2c_ambr){ 0 };
	q->pco = find(ies, GTPV2C_IE_PCO, 0);
	q->apco = find(ies, GTPV2C_IE_APCO, 0);
}

/* Create Session Request, §7.2.1: true when acceptable, else r says why. */
static bool
decode_create(struct pgw *p, struct create_req *q, struct pgw_refusal *r)
{
	const struct gtpv2c_ies *ies = &p->msg.ies;
	const struct gtpv2c_ie *imsi, *rat, *apn, *bc, *ctrl;

	/* The SGW's control F-TEID first, so that even a refusal reaches its context. */
	if ((ctrl = mandatory(ies, GTPV2C_IE_FTEID, 0, r)) == NULL)
		return false;
	q->has_sgw_c = fteid_ipv4(ctrl, &q->sgw_c);
	if (!q->has_sgw_c)
		return incorrect(r, ctrl);
	if ((imsi = mandatory(ies, GTPV2C_IE_IMSI, 0, r)) == NULL ||
	    (rat = mandatory(ies, GTPV2C_IE_RAT_TYPE, 0, r)) == NULL ||
	    (apn = mandatory(ies, GTPV2C_IE_APN, 0, r)) == NULL ||
	    (bc = mandatory(ies, GTPV2C_IE_BEARER_CONTEXT, 0, r)) == NULL)
		return false;
	if (gtpv2c_ie_imsi(imsi, q->imsi) < 0)
		return incorrect(r, imsi);
	if (gtpv2c_ie_u8(rat, &q->rat_type) < 0)
		return incorrect(r, rat);
	if (gtpv2c_ie_apn(apn, q->apn, sizeof(q->apn)) < 0)
		return incorrect(r, apn);
	if (!attach_apn_served(p->core, q->apn))
		return refuse(r, GTPV2C_CAUSE_MISSING_OR_UNKNOWN_APN, 0, 0);
	if (!decode_bearer_to_create(bc, q, r) || !decode_pdn(ies, q, r))
		return false;
	decode_optional(ies, q);
	return true;
}

static uint8_t
cause_of(enum attach_refusal refusal)
{
	switch (refusal) {
	case ATTACH_OK:
		return 0;
	case ATTACH_APN_NOT_SERVED:
		return GTPV2C_CAUSE_MISSING_OR_UNKNOWN_APN;
	case ATTACH_POOL_EXHAUSTED:
		return GTPV2C_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED;
	case ATTACH_ADDRESS_REFUSED:
		return GTPV2C_CAUSE_REQUEST_REJECTED;
	case ATTACH_NO_RESOURCES:
	case ATTACH_TEID_IN_USE:
		break;
	}
	return GTPV2C_CAUSE_NO_RESOURCES_AVAILABLE;
}

static void
keep_bearer_state(struct session *s, const struct create_req *q)
{
	struct pgw_bearer *b = pgw_bearer_of(s);

	memset(b, 0, sizeof(*b));
	memcpy(b->qos, q->qos.val, sizeof(b->qos));
	if (q->mei != NULL) {
		b->mei_len = (uint8_t)q->mei->len;
		memcpy(b->mei, q->mei->val, q->mei->len);
	}
	if (q->serving_network != NULL)
		memcpy(b->plmn, q->serving_network->val, sizeof(b->plmn));
	b->rat_type = q->rat_type;
	b->ambr_ul_kbps = q->ambr.uplink_kbps;
	b->ambr_dl_kbps = q->ambr.downlink_kbps;
}

/*
 * Through the session core, which replaces a stale session of the same IMSI
 * and EBI (TS 23.401 §5.3.2.1: the SGW sets up a PDN connection the device
 * already had). A static address from the PAA is taken when it is in the
 * subnet and nobody else's; otherwise the pool or the IMSI map chooses.
 */
static uint8_t
create_session(struct pgw *p, const struct create_req *q, struct session **out)
{
	struct attach_req req = { .imsi = q->imsi,
		.msisdn = q->msisdn,
		.apn = q->apn,
		.bearer_id = q->ebi,
		.owner = { .role = SESSION_ROLE_PGW,
		    .peer_be = q->sgw_c.ipv4_be,
		    .peer_ref = q->sgw_c.teid },
		.dl_teid = q->sgw_u.teid,
		.dl_addr_be = q->sgw_u.ipv4_be,
		.replace_same_bearer = true };
	enum attach_refusal refusal = ATTACH_ADDRESS_REFUSED;

	if (q->has_paa && q->paa.ipv4_be != 0) {
		req.has_address = true;
		req.address_be = q->paa.ipv4_be;
		refusal = attach_create(p->core, &req, out);
	}
	if (refusal == ATTACH_ADDRESS_REFUSED) {
		req.has_address = false;
		refusal = attach_create(p->core, &req, out);
	}
	if (refusal != ATTACH_OK)
		return cause_of(refusal);
	(*out)->owner.local_ref = (*out)->teid;
	keep_bearer_state(*out, q);
	gtp_peers_session_added(p->peers, q->sgw_c.ipv4_be);
	return 0;
}

/* The answer to what the device asked in a PCO or APCO, as an IE of type; nothing if empty. */
static void
put_config_answer(struct pgw *p, struct vpg_wr *w, uint8_t type, const struct gtpv2c_ie *asked)
{
	struct pco_request req;
	uint8_t answer[PCO_ANSWER_MAX];
	size_t len;

	if (asked == NULL || pco_parse(asked->val, asked->len, &req) < 0)
		return;
	len = pco_build_answer(&req, &p->core->device_offer, answer, sizeof(answer));
	if (len > 0)
		gtpv2c_put_ie(w, type, 0, answer, (uint16_t)len);
}

/* Bearer Context created (Table 7.2.2-2): EBI, Cause, S5/S8-U PGW F-TEID, Charging ID. */
static void
put_bearer_created(struct pgw *p, struct vpg_wr *w, const struct session *s)
{
	size_t bc = gtpv2c_group_begin(w, GTPV2C_IE_BEARER_CONTEXT, 0);

	gtpv2c_put_ebi(w, 0, s->bearer_id);
	gtpv2c_put_cause(w, GTPV2C_CAUSE_REQUEST_ACCEPTED, 0, 0);
	gtpv2c_put_fteid(w, 2, GTPV2C_IF_S5S8_PGW_U, s->teid, p->cfg.gtpu_addr_be);
	gtpv2c_put_u32(w, GTPV2C_IE_CHARGING_ID, 0, s->charging_id);
	gtpv2c_group_end(w, bc);
}

static void
build_create_accept(struct pgw *p, struct vpg_wr *w, struct session *s, const struct create_req *q)
{
	const struct pgw_bearer *b = pgw_bearer_of(s);
	size_t hdr = pgw_response_header(w, GTPV2C_CREATE_SESSION_RSP, q->sgw_c.teid, p->msg.seq);

	gtpv2c_put_cause(w, q->cause, 0, 0);
	gtpv2c_put_fteid(w, 1, GTPV2C_IF_S5S8_PGW_C, s->teid, p->cfg.gtpc_addr_be);
	gtpv2c_put_paa_ipv4(w, s->ip_be);
	/* §8.57: 0, no restriction: every APN of ours is public. */
	gtpv2c_put_u8(w, GTPV2C_IE_APN_RESTRICTION, 0, 0);
	if (b->ambr_ul_kbps != 0 || b->ambr_dl_kbps != 0)
		gtpv2c_put_ambr(w, &(struct gtpv2c_ambr){ .uplink_kbps = b->ambr_ul_kbps,
				       .downlink_kbps = b->ambr_dl_kbps });
	put_config_answer(p, w, GTPV2C_IE_PCO, q->pco);
	put_bearer_created(p, w, s);
	gtpv2c_put_recovery(w, p->cfg.restart_counter);
	put_config_answer(p, w, GTPV2C_IE_APCO, q->apco);
	gtpv2c_build_finish(w, hdr);
	pgw_count_tx(w, GTPV2C_CREATE_SESSION_RSP, q->cause);
}

void
pgw_create_session(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w)
{
	struct create_req q = { .cause = GTPV2C_CAUSE_REQUEST_ACCEPTED };
	struct pgw_refusal r = { 0 };
	const struct gtpv2c_ie *rec = find(&p->msg.ies, GTPV2C_IE_RECOVERY, 0);
	struct session *s = NULL;
	uint8_t restart;
	char ip[16];

	bool acceptable = decode_create(p, &q, &r);

	/*
	 * A new restart counter clears the SGW's old sessions before this one is
	 * made; the SGW is known by its control F-TEID, as its sessions are.
	 */
	if (rec != NULL && gtpv2c_ie_u8(rec, &restart) == 0)
		gtp_peers_recovery(p->peers, q.has_sgw_c ? q.sgw_c.ipv4_be : rx->from_be, restart);
	if (acceptable)
		r.cause = create_session(p, &q, &s);
	if (r.cause != 0) {
		log_info("pgw: refused create session imsi=%s cause=%u", q.imsi[0] ? q.imsi : "-",
		    r.cause);
		pgw_build_refusal(p, w, GTPV2C_CREATE_SESSION_RSP, q.has_sgw_c ? q.sgw_c.teid : 0,
		    p->msg.seq, &r);
		return;
	}
	log_info("pgw: attached imsi=%s ebi=%u ip=%s teid=0x%08x sgw_teid=0x%08x", s->imsi,
	    s->bearer_id, ipv4_str(s->ip_be, ip), s->teid, s->dl_teid);
	build_create_accept(p, w, s, &q);
}

/* The PGW session the header's TEID names, or NULL. */
static struct session *
session_of_header(struct pgw *p)
{
	struct session *s;

	if (!p->msg.has_teid || p->msg.teid == 0)
		return NULL;
	s = session_find_teid(p->core->sessions, p->msg.teid);
	return s != NULL && s->owner.role == SESSION_ROLE_PGW ? s : NULL;
}

static void
refuse_unknown_context(struct pgw *p, struct vpg_wr *w, uint8_t rsp_type)
{
	struct pgw_refusal r = { .cause = GTPV2C_CAUSE_CONTEXT_NOT_FOUND };

	/* §5.5.2: the TEID of a response to an unknown context is zero. */
	pgw_build_refusal(p, w, rsp_type, 0, p->msg.seq, &r);
}

/* A handover to another SGW moves its control F-TEID and the peer's session count. */
static void
move_control(struct pgw *p, struct session *s, const struct gtpv2c_fteid *c)
{
	if (c->ipv4_be != s->owner.peer_be) {
		gtp_peers_session_gone(p->peers, s->owner.peer_be);
		gtp_peers_session_added(p->peers, c->ipv4_be);
	}
	s->owner.peer_be = c->ipv4_be;
	s->owner.peer_ref = c->teid;
}

/* Opens a Bearer Context of s's bearer: its IEs into in, true when its EBI is s's. */
static bool
open_own_bearer(const struct gtpv2c_ie *bc, const struct session *s, struct gtpv2c_ies *in,
    struct pgw_refusal *r)
{
	const struct gtpv2c_ie *ebi;
	uint8_t id;

	if (gtpv2c_parse_grouped(bc, in) != VPG_DROP_NONE)
		return incorrect(r, bc);
	if ((ebi = mandatory(in, GTPV2C_IE_EBI, 0, r)) == NULL)
		return false;
	if (gtpv2c_ie_ebi(ebi, &id) < 0)
		return incorrect(r, ebi);
	if (id != s->bearer_id)
		return refuse(r, GTPV2C_CAUSE_CONTEXT_NOT_FOUND, 0, 0);
	return true;
}

/* Bearer Context to be modified (Table 7.2.7-2): EBI, S5/S8-U SGW F-TEID (instance 1). */
static bool
decode_bearer_to_modify(const struct gtpv2c_ie *bc, const struct session *s, struct gtpv2c_fteid *u,
    bool *has_u, struct pgw_refusal *r)
{
	struct gtpv2c_ies in;
	const struct gtpv2c_ie *fteid;

	if (!open_own_bearer(bc, s, &in, r))
		return false;
	fteid = find(&in, GTPV2C_IE_FTEID, 1);
	if (fteid != NULL && !fteid_ipv4(fteid, u))
		return incorrect(r, fteid);
	*has_u = fteid != NULL;
	return true;
}

static void
put_bearer_modified(struct vpg_wr *w, const struct session *s)
{
	size_t bc = gtpv2c_group_begin(w, GTPV2C_IE_BEARER_CONTEXT, 0);

	gtpv2c_put_ebi(w, 0, s->bearer_id);
	gtpv2c_put_cause(w, GTPV2C_CAUSE_REQUEST_ACCEPTED, 0, 0);
	gtpv2c_put_u32(w, GTPV2C_IE_CHARGING_ID, 0, s->charging_id);
	gtpv2c_group_end(w, bc);
}

/* Modify Bearer Request, §7.2.7: an SGW relocation or a new SGW-U F-TEID. */
void
pgw_modify_bearer(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w)
{
	struct session *s = session_of_header(p);
	const struct gtpv2c_ie *ctrl, *bc;
	struct gtpv2c_fteid c, u;
	struct pgw_refusal r = { 0 };
	bool has_u = false;
	size_t hdr;

	(void)rx;
	if (s == NULL) {
		refuse_unknown_context(p, w, GTPV2C_MODIFY_BEARER_RSP);
		return;
	}
	ctrl = find(&p->msg.ies, GTPV2C_IE_FTEID, 0);
	bc = find(&p->msg.ies, GTPV2C_IE_BEARER_CONTEXT, 0);
	if (ctrl != NULL && !fteid_ipv4(ctrl, &c))
		incorrect(&r, ctrl);
	else if (bc != NULL)
		decode_bearer_to_modify(bc, s, &u, &has_u, &r);
	if (r.cause != 0) {
		pgw_build_refusal(
		    p, w, GTPV2C_MODIFY_BEARER_RSP, (uint32_t)s->owner.peer_ref, p->msg.seq, &r);
		return;
	}
	if (ctrl != NULL)
		move_control(p, s, &c);
	if (has_u)
		attach_move_downlink(p->core, s, u.teid, u.ipv4_be);
	counters_add(VPG_CTR_SESSIONS_UPDATED, 1);
	hdr = pgw_response_header(
	    w, GTPV2C_MODIFY_BEARER_RSP, (uint32_t)s->owner.peer_ref, p->msg.seq);
	gtpv2c_put_cause(w, GTPV2C_CAUSE_REQUEST_ACCEPTED, 0, 0);
	if (bc != NULL)
		put_bearer_modified(w, s);
	gtpv2c_put_recovery(w, p->cfg.restart_counter);
	gtpv2c_build_finish(w, hdr);
	pgw_count_tx(w, GTPV2C_MODIFY_BEARER_RSP, GTPV2C_CAUSE_REQUEST_ACCEPTED);
}

/* Delete Session Request, §7.2.9.1: the Linked EPS Bearer ID names the PDN connection. */
void
pgw_delete_session(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w)
{
	struct session *s = session_of_header(p);
	const struct gtpv2c_ie *lbi;
	struct pgw_refusal r = { 0 };
	uint32_t sgw_teid;
	uint8_t ebi;
	size_t hdr;

	(void)rx;
	if (s == NULL) {
		refuse_unknown_context(p, w, GTPV2C_DELETE_SESSION_RSP);
		return;
	}
	sgw_teid = (uint32_t)s->owner.peer_ref;
	lbi = find(&p->msg.ies, GTPV2C_IE_EBI, 0);
	if (lbi != NULL && (gtpv2c_ie_ebi(lbi, &ebi) < 0 || ebi != s->bearer_id)) {
		incorrect(&r, lbi);
		pgw_build_refusal(p, w, GTPV2C_DELETE_SESSION_RSP, sgw_teid, p->msg.seq, &r);
		return;
	}
	attach_delete(p->core, s, "delete session");
	hdr = pgw_response_header(w, GTPV2C_DELETE_SESSION_RSP, sgw_teid, p->msg.seq);
	gtpv2c_put_cause(w, GTPV2C_CAUSE_REQUEST_ACCEPTED, 0, 0);
	gtpv2c_build_finish(w, hdr);
	pgw_count_tx(w, GTPV2C_DELETE_SESSION_RSP, GTPV2C_CAUSE_REQUEST_ACCEPTED);
}

/* What a Modify Bearer Command asks (§7.2.17.1): an APN-AMBR and the default bearer's QoS. */
static bool
decode_command(struct pgw *p, const struct session *s, struct gtpv2c_ambr *ambr,
    struct gtpv2c_ie *qos, struct pgw_refusal *r)
{
	const struct gtpv2c_ie *a, *bc, *qos_ie;
	struct gtpv2c_ies in;

	if ((a = mandatory(&p->msg.ies, GTPV2C_IE_AMBR, 0, r)) == NULL ||
	    (bc = mandatory(&p->msg.ies, GTPV2C_IE_BEARER_CONTEXT, 0, r)) == NULL)
		return false;
	if (gtpv2c_ie_ambr(a, ambr) < 0)
		return incorrect(r, a);
	if (!open_own_bearer(bc, s, &in, r))
		return false;
	qos_ie = find(&in, GTPV2C_IE_BEARER_QOS, 0);
	if (qos_ie == NULL)
		return true;
	if (!bearer_qos_storable(qos_ie))
		return incorrect(r, qos_ie);
	*qos = *qos_ie;
	return true;
}

/* Update Bearer Request, §7.2.15: the bearer's new QoS and the APN-AMBR. */
static void
build_update_bearer(struct pgw *p, struct vpg_wr *w, struct session *s, bool with_qos)
{
	struct pgw_bearer *b = pgw_bearer_of(s);
	size_t hdr = gtpv2c_build_header(
	    w, GTPV2C_UPDATE_BEARER_REQ, true, (uint32_t)s->owner.peer_ref, p->msg.seq);
	size_t bc;

	bc = gtpv2c_group_begin(w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ebi(w, 0, s->bearer_id);
	if (with_qos)
		gtpv2c_put_ie(w, GTPV2C_IE_BEARER_QOS, 0, b->qos, sizeof(b->qos));
	gtpv2c_group_end(w, bc);
	gtpv2c_put_ambr(w, &(struct gtpv2c_ambr){
			       .uplink_kbps = b->ambr_ul_kbps, .downlink_kbps = b->ambr_dl_kbps });
	gtpv2c_build_finish(w, hdr);
}

/*
 * Modify Bearer Command, §7.2.17.1 (a subscribed QoS change): the PGW takes
 * the new values and asks the SGW to apply them with an Update Bearer
 * Request that carries the Command's sequence number (§7.6). It goes back as
 * the Command's answer (so a retransmitted Command gets it again) and the
 * path retransmits it to the SGW until answered.
 */
void
pgw_modify_bearer_command(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w)
{
	struct session *s = session_of_header(p);
	struct pgw_refusal r = { 0 };
	struct gtpv2c_ie qos = { 0 }; /* len 0: the command asks no QoS change */
	struct gtpv2c_ambr ambr;
	struct pgw_bearer *b;

	if (s == NULL) {
		refuse_unknown_context(p, w, GTPV2C_MODIFY_BEARER_FAILURE_IND);
		return;
	}
	if (!decode_command(p, s, &ambr, &qos, &r)) {
		pgw_build_refusal(p, w, GTPV2C_MODIFY_BEARER_FAILURE_IND,
		    (uint32_t)s->owner.peer_ref, p->msg.seq, &r);
		return;
	}
	b = pgw_bearer_of(s);
	b->ambr_ul_kbps = ambr.uplink_kbps;
	b->ambr_dl_kbps = ambr.downlink_kbps;
	if (qos.len > 0)
		memcpy(b->qos, qos.val, sizeof(b->qos));
	build_update_bearer(p, w, s, qos.len > 0);
	if (w->overflow ||
	    sig_path_request_sent(p->path, w->buf, w->len, p->msg.seq, s->owner.peer_be,
		PGW_COOKIE_UPDATE_BEARER | s->teid, rx->now_ms) < 0) {
		counters_drop(VPG_DROP_TX_FAILED);
		w->len = 0;
		return;
	}
	pgw_count_tx(w, GTPV2C_UPDATE_BEARER_REQ, 0);
}

void
pgw_update_bearer_done(struct pgw *p, uint32_t teid, const uint8_t *rsp, size_t len)
{
	struct gtpv2c_msg m;
	const struct gtpv2c_ie *cause;
	struct gtpv2c_cause_ie c = { 0 };

	(void)p;
	if (rsp == NULL) {
		log_warn("pgw: Update Bearer Request for teid 0x%08x went unanswered", teid);
		return;
	}
	if (gtpv2c_parse(rsp, len, &m) != VPG_DROP_NONE ||
	    (cause = gtpv2c_find(&m.ies, GTPV2C_IE_CAUSE, 0)) == NULL ||
	    gtpv2c_ie_cause(cause, &c) < 0 || c.cause != GTPV2C_CAUSE_REQUEST_ACCEPTED)
		log_warn(
		    "pgw: the SGW refused Update Bearer for teid 0x%08x (cause %u)", teid, c.cause);
}

/* The API's detach: the SGW hears of each bearer through the path. */
static void
send_delete_bearer(void *arg, const struct session *s, uint64_t now_ms)
{
	struct pgw *p = arg;
	uint32_t seq = sig_path_next_seq(p->path);
	uint8_t msg[64];
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, msg, sizeof(msg));
	hdr = gtpv2c_build_header(
	    &w, GTPV2C_DELETE_BEARER_REQ, true, (uint32_t)s->owner.peer_ref, seq);
	/* §7.2.9.2: the Linked EPS Bearer ID deletes the whole PDN connection. */
	gtpv2c_put_ebi(&w, 0, s->bearer_id);
	gtpv2c_build_finish(&w, hdr);
	if (w.overflow || sig_path_request(p->path, msg, w.len, seq, s->owner.peer_be,
			      PGW_COOKIE_DELETE_BEARER, now_ms) < 0) {
		counters_drop(VPG_DROP_TX_FAILED);
		return;
	}
	pgw_count_tx(&w, GTPV2C_DELETE_BEARER_REQ, 0);
}

int
pgw_delete_imsi(struct pgw *p, const char *imsi, uint64_t now_ms)
{
	return (int)attach_delete_imsi(p->core, SESSION_ROLE_PGW, imsi, send_delete_bearer, p,
	    now_ms, "deleted through the API");
}

void
pgw_session_deleted(void *arg, const struct session *s)
{
	struct pgw *p = arg;

	gtp_peers_session_gone(p->peers, s->owner.peer_be);
}

bool
pgw_session_view(const struct session *s, struct pgw_session_view *v)
{
	const struct pgw_bearer *b = (const struct pgw_bearer *)s->role_data;
	struct gtpv2c_ie ie = { .val = b->mei, .len = b->mei_len };
	struct gtpv2c_bearer_qos qos = { 0 };
	struct gtpv2c_plmn plmn = { 0 };

	if (s->owner.role != SESSION_ROLE_PGW)
		return false;
	*v = (struct pgw_session_view){ .ebi = s->bearer_id,
		.sgw_c_teid = (uint32_t)s->owner.peer_ref,
		.sgw_c_addr_be = s->owner.peer_be,
		.sgw_u_teid = s->dl_teid,
		.sgw_u_addr_be = s->dl_addr_be,
		.rat_type = b->rat_type,
		.apn_ambr_ul_kbps = b->ambr_ul_kbps,
		.apn_ambr_dl_kbps = b->ambr_dl_kbps };
	if (b->mei_len > 0 && gtpv2c_ie_mei(&ie, v->mei) < 0)
		v->mei[0] = '\0';
	ie = (struct gtpv2c_ie){ .val = b->plmn, .len = sizeof(b->plmn) };
	if ((b->plmn[0] | b->plmn[1] | b->plmn[2]) != 0 &&
	    gtpv2c_ie_serving_network(&ie, &plmn) == 0) {
		memcpy(v->mcc, plmn.mcc, sizeof(v->mcc));
		memcpy(v->mnc, plmn.mnc, sizeof(v->mnc));
	}
	ie = (struct gtpv2c_ie){ .val = b->qos, .len = sizeof(b->qos) };
	if (gtpv2c_ie_bearer_qos(&ie, &qos) == 0) {
		v->qci = qos.qci;
		v->arp_priority_level = qos.priority_level;
	}
	return true;
}
