/*
 * The UPF role's session procedures, TS 29.244 §6.3 and §7.5: Session
 * Establishment makes a session of the session core with its PFCP rules,
 * Modification changes the rules all or nothing, Deletion removes the
 * session with its final usage, and Session Reports carry the usage the
 * URRs' triggers ask for. A session is found by our UP SEID, kept in a
 * hash map beside the core's tables.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"
#include "core/counters.h"
#include "core/hmap.h"
#include "core/idset.h"
#include "core/ippool.h"
#include "core/rules.h"
#include "core/rules_fast.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/ipv4.h"
#include "proto/pfcp.h"
#include "roles/sig_path.h"
#include "roles/upf_internal.h"
#include "roles/upf_rules.h"

/* The CHOOSE IDs of one message and the TEIDs they got (TS 29.244 §5.2.1A). */
struct chosen {
	unsigned n;
	uint8_t id[RULES_MAX_PDR];
	uint32_t teid[RULES_MAX_PDR];
};

/* What a refused request says: cause, Offending IE, and the rule at fault. */
struct refusal {
	struct pfcp_err err;
	uint32_t rule_id;
	bool has_rule;
};

static uint64_t
fresh_seid(struct upf *u)
{
	uint32_t unused;
	uint64_t seid;

	/* Bit 63 stays clear: the cookies of our requests keep it for heartbeats. */
	do {
		u->rng ^= u->rng << 13;
		u->rng ^= u->rng >> 7;
		u->rng ^= u->rng << 17;
		seid = u->rng & ~UPF_COOKIE_HEARTBEAT;
	} while (seid == 0 || hmap_get(u->by_seid, seid, &unused));
	return seid;
}

static struct session *
session_of_seid(struct upf *u, uint64_t up_seid)
{
	uint32_t teid;
	struct session *s;

	if (!hmap_get(u->by_seid, up_seid, &teid))
		return NULL;
	s = session_find_teid(u->core->sessions, teid);
	return s != NULL && s->owner.role == SESSION_ROLE_UPF && s->owner.local_ref == up_seid
		   ? s
		   : NULL;
}

/*
 * The timers visit only the sessions with URRs: a table of GGSN or PGW
 * sessions beside them costs nothing. The set is as large as by_seid, which
 * holds every member, so it is never full.
 */
static void
track_urrs(struct upf *u, const struct session *s)
{
	if (s->rules->n_urr == 0)
		idset_del(u->with_urr, s->owner.local_ref);
	else
		(void)idset_add(u->with_urr, s->owner.local_ref);
}

/* Every Create of the message, into a fresh set. */
static int
build_rules(struct upf *u, struct rules *r, uint64_t now_ms, struct refusal *f)
{
	const struct pfcp_msg *m = &u->msg;

	for (unsigned i = 0; i < m->n_create_far; i++)
		if (upf_rules_create_far(r, &m->create_far[i], &f->err, &f->rule_id) < 0)
			return -1;
	for (unsigned i = 0; i < m->n_create_qer; i++)
		if (upf_rules_create_qer(r, &m->create_qer[i], now_ms, &f->err, &f->rule_id) < 0)
			return -1;
	for (unsigned i = 0; i < m->n_create_urr; i++)
		if (upf_rules_create_urr(r, &m->create_urr[i], &f->err, &f->rule_id) < 0)
			return -1;
	for (unsigned i = 0; i < m->n_create_pdr; i++)
		if (upf_rules_create_pdr(r, &m->create_pdr[i], &f->err, &f->rule_id) < 0)
			return -1;
	if (m->has & PFCP_MSG_HAS_CREATE_BAR)
		r->has_bar = true; /* accepted; buffering is not offered (FAR BUFF drops) */
	return 0;
}

static const uint16_t fault_ie[] = {
	['P'] = PFCP_IE_CREATE_PDR,
	['F'] = PFCP_IE_CREATE_FAR,
	['Q'] = PFCP_IE_CREATE_QER,
	['U'] = PFCP_IE_CREATE_URR,
};

/* §7.5.3.1: a rule that cannot be stored is "Rule creation/modification Failure". */
static int
link_rules(struct rules *r, struct refusal *f)
{
	struct rules_fault_at at;

	if (rules_link(r, &at) == RULES_OK)
		return 0;
	f->err.cause = PFCP_CAUSE_RULE_FAILURE;
	f->err.ie_type = fault_ie[(unsigned char)at.kind & 0x7f];
	f->rule_id = at.id;
	f->has_rule = true;
	return -1;
}

/*
 * The device's address from the PDRs: every PDR that names one must name
 * the same; CHOOSE (§5.21) asks us for one. Returns 0 with *has_address
 * false when we choose, -1 on disagreement.
 */
static int
device_address(const struct pfcp_msg *m, bool *has_address, uint32_t *addr_be, bool *choose)
{
	*has_address = false;
	*choose = false;
	for (unsigned i = 0; i < m->n_create_pdr; i++) {
		const struct pfcp_pdi *pdi = &m->create_pdr[i].pdi;

		if (!(pdi->has & PFCP_PDI_HAS_UE_IP))
			continue;
		if (pdi->ue_ip.chv4) {
			*choose = true;
			continue;
		}
		if (!pdi->ue_ip.has_v4)
			continue;
		if (*has_address && *addr_be != pdi->ue_ip.v4_be)
			return -1;
		*has_address = true;
		*addr_be = pdi->ue_ip.v4_be;
	}
	return 0;
}

/* The uplink TEID the control plane chose itself, on re-establishment (no CHOOSE): 0 if none. */
static uint32_t
explicit_teid(const struct pfcp_msg *m)
{
	for (unsigned i = 0; i < m->n_create_pdr; i++) {
		const struct pfcp_pdi *pdi = &m->create_pdr[i].pdi;

		if ((pdi->has & PFCP_PDI_HAS_FTEID) && !pdi->fteid.ch &&
		    pdi->source_iface == PFCP_IFACE_ACCESS)
			return pdi->fteid.teid;
	}
	return 0;
}

static uint8_t
cause_of(enum attach_refusal refusal, struct refusal *f)
{
	switch (refusal) {
	case ATTACH_OK:
		return PFCP_CAUSE_OK;
	case ATTACH_APN_NOT_SERVED:
		f->err.ie_type = PFCP_IE_APN_DNN;
		return PFCP_CAUSE_REQUEST_REJECTED;
	case ATTACH_POOL_EXHAUSTED:
		return PFCP_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED;
	case ATTACH_ADDRESS_REFUSED:
		f->err.ie_type = PFCP_IE_UE_IP_ADDRESS;
		return PFCP_CAUSE_MANDATORY_IE_INCORRECT;
	case ATTACH_TEID_IN_USE:
		f->err.ie_type = PFCP_IE_F_TEID;
		return PFCP_CAUSE_RULE_FAILURE;
	case ATTACH_NO_RESOURCES:
		break;
	}
	return PFCP_CAUSE_NO_RESOURCES;
}

/* A TEID for a new group of PDRs: the session's own first, then aliases of it. */
static int
new_teid(struct upf *u, struct session *s, bool *primary_used, uint32_t *teid)
{
	if (!*primary_used) {
		*primary_used = true;
		*teid = s->teid;
		return 0;
	}
	*teid = session_fresh_teid(u->core->sessions);
	return session_alias_teid(u->core->sessions, s, *teid);
}

/*
 * Gives each PDR of pdrs its Local F-TEID (§5.2.1A): an explicit one is
 * taken as it is, CHOOSE gets a new TEID, and PDRs with the same CHOOSE ID
 * in one message share theirs.
 */
static int
assign_teids(struct upf *u, struct session *s, struct rules *r, const struct pfcp_pdr *pdrs,
    unsigned n, bool primary_used)
{
	struct chosen c = { 0 };

	for (unsigned i = 0; i < n; i++) {
		const struct pfcp_fteid *ft = &pdrs[i].pdi.fteid;
		struct rules_pdr *d = rules_pdr_by_id(r, pdrs[i].pdr_id);
		unsigned k = 0;

		if (d == NULL || !(pdrs[i].pdi.has & PFCP_PDI_HAS_FTEID))
			continue;
		if (!ft->ch) {
			d->teid = ft->teid;
			if (d->teid == s->teid)
				primary_used = true;
			else if (session_alias_teid(u->core->sessions, s, d->teid) < 0)
				return -1;
			continue;
		}
		while (ft->chid && k < c.n && c.id[k] != ft->choose_id)
			k++;
		if (ft->chid && k < c.n) {
			d->teid = c.teid[k];
			continue;
		}
		if (new_teid(u, s, &primary_used, &d->teid) < 0)
			return -1;
		if (ft->chid) {
			c.id[c.n] = ft->choose_id;
			c.teid[c.n++] = d->teid;
		}
	}
	return 0;
}

static void
fill_device_address(struct rules *r, uint32_t addr_be)
{
	for (unsigned i = 0; i < r->n_pdr; i++)
		if (r->pdr[i].has_ue_ip && r->pdr[i].ue_ip_be == 0)
			r->pdr[i].ue_ip_be = addr_be;
}

/* The Framed-Routes of the session's PDRs (§8.2.109): packets to them go to the session. */
static void
install_routes(struct upf *u, struct session *s)
{
	const struct rules *r = s->rules;

	session_route_del_all(u->core->sessions, s);
	for (unsigned i = 0; i < r->n_pdr; i++)
		for (unsigned k = 0; k < r->pdr[i].n_framed; k++)
			if (session_route_add(u->core->sessions, s, r->pdr[i].framed[k].net_be,
				r->pdr[i].framed[k].mask_be) == -ENOSPC)
				log_warn("pfcp: Framed-Route table full, session 0x%llx",
				    (unsigned long long)s->owner.local_ref);
}

/* The downlink tunnel shown for the session: the FAR of its best Core PDR without a filter. */
static void
show_downlink(struct upf *u, struct session *s)
{
	const struct rules *r = s->rules;

	for (unsigned i = 0; i < r->n_pdr; i++) {
		const struct rules_pdr *d = &r->pdr[r->order[i]];
		const struct rules_far *f = &r->far[d->far];

		if (d->src_iface != RULES_IF_ACCESS && d->src_iface != RULES_IF_CP_FUNCTION &&
		    d->n_sdf == 0 && f->has_ohc) {
			attach_move_downlink(u->core, s, f->ohc_teid, f->ohc_addr_be);
			return;
		}
	}
}

static void
put_created_pdr(struct upf *u, struct vpg_wr *w, const struct rules_pdr *d, bool with_ue_ip)
{
	size_t g = pfcp_put_group_open(w, PFCP_IE_CREATED_PDR);
	uint8_t ue[5] = { 0x02 }; /* V4 (§8.2.62) */

	pfcp_put_u16(w, PFCP_IE_PDR_ID, d->id);
	pfcp_put_fteid_ipv4(w, d->teid, u->cfg.gtpu_addr_be);
	if (with_ue_ip) {
		memcpy(ue + 1, &d->ue_ip_be, 4);
		pfcp_put_ie(w, PFCP_IE_UE_IP_ADDRESS, ue, sizeof(ue));
	}
	pfcp_put_group_close(w, g);
}

/* Created PDR for each PDR whose F-TEID (or address) we chose (§7.5.3.2). */
static void
put_created_pdrs(
    struct upf *u, struct vpg_wr *w, const struct pfcp_pdr *pdrs, unsigned n, const struct rules *r)
{
	for (unsigned i = 0; i < n; i++) {
		const struct pfcp_pdi *pdi = &pdrs[i].pdi;
		bool ch = (pdi->has & PFCP_PDI_HAS_FTEID) && pdi->fteid.ch;
		bool chv4 = (pdi->has & PFCP_PDI_HAS_UE_IP) && pdi->ue_ip.chv4;
		const struct rules_pdr *d = rules_pdr_by_id((struct rules *)r, pdrs[i].pdr_id);

		if (d != NULL && (ch || chv4))
			put_created_pdr(u, w, d, chv4);
	}
}

static void
put_refusal(struct vpg_wr *w, const struct refusal *f)
{
	pfcp_put_cause(w, f->err.cause);
	if (f->err.ie_type != 0)
		pfcp_put_offending_ie(w, f->err.ie_type);
	if (f->has_rule) {
		/* Failed Rule ID §8.2.80: type 0 PDR, 1 FAR, 2 QER, 3 URR; then the id. */
		uint8_t v[5] = { 0 };
		uint8_t kind = f->err.ie_type == PFCP_IE_CREATE_FAR   ? 1
			       : f->err.ie_type == PFCP_IE_CREATE_QER ? 2
			       : f->err.ie_type == PFCP_IE_CREATE_URR ? 3
								      : 0;
		size_t n = kind == 0 ? 3 : 5;

		v[0] = kind;
		if (kind == 0) {
			v[1] = (uint8_t)(f->rule_id >> 8);
			v[2] = (uint8_t)f->rule_id;
		} else {
			v[1] = (uint8_t)(f->rule_id >> 24);
			v[2] = (uint8_t)(f->rule_id >> 16);
			v[3] = (uint8_t)(f->rule_id >> 8);
			v[4] = (uint8_t)f->rule_id;
		}
		pfcp_put_ie(w, PFCP_IE_FAILED_RULE_ID, v, (uint16_t)n);
	}
}

static void
est_refuse(struct upf *u, struct vpg_wr *w, const struct refusal *f)
{
	const struct pfcp_msg *m = &u->msg;
	size_t hdr = pfcp_build_header_seid(w, PFCP_SESS_EST_RSP, m->fseid.seid, m->hdr.seq);

	upf_put_node_id(u, w);
	put_refusal(w, f);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, PFCP_SESS_EST_RSP, f->err.cause);
	log_info("pfcp: establishment from %s refused, cause %u",
	    m->user_id.imsi[0] ? m->user_id.imsi : "-", f->err.cause);
}

static struct attach_req
attach_req_of(struct upf *u, const struct upf_rx *rx, struct upf_assoc *a, uint64_t up_seid)
{
	const struct pfcp_msg *m = &u->msg;

	(void)rx;
	return (struct attach_req){ .imsi = m->user_id.has_imsi ? m->user_id.imsi : "",
		.msisdn = m->user_id.has_msisdn ? m->user_id.msisdn : "",
		.apn = m->apn,
		.owner = { .role = SESSION_ROLE_UPF,
		    .peer_be = a->addr_be,
		    .peer_ref = m->fseid.seid,
		    .local_ref = up_seid },
		.teid = explicit_teid(m),
		.replace_same_peer_address = true };
}

/* The session core's part: address, session, TEIDs. 0, or -1 with the refusal. */
static int
make_session(struct upf *u, const struct upf_rx *rx, struct upf_assoc *a, struct rules *r,
    struct session **out, struct refusal *f)
{
	const struct pfcp_msg *m = &u->msg;
	struct attach_req req = attach_req_of(u, rx, a, fresh_seid(u));
	bool choose;

	if (device_address(m, &req.has_address, &req.address_be, &choose) < 0) {
		f->err =
		    (struct pfcp_err){ PFCP_CAUSE_MANDATORY_IE_INCORRECT, PFCP_IE_UE_IP_ADDRESS };
		return -1;
	}
	if (!req.has_address && !choose) {
		f->err =
		    (struct pfcp_err){ PFCP_CAUSE_MANDATORY_IE_MISSING, PFCP_IE_UE_IP_ADDRESS };
		return -1;
	}
	f->err.cause = cause_of(attach_create(u->core, &req, out), f);
	if (f->err.cause != PFCP_CAUSE_OK)
		return -1;
	fill_device_address(r, (*out)->ip_be);
	(*out)->rules = r;
	if (assign_teids(u, *out, r, m->create_pdr, m->n_create_pdr, false) < 0) {
		attach_delete(u->core, *out, "its F-TEIDs are in use");
		f->err = (struct pfcp_err){ PFCP_CAUSE_RULE_FAILURE, PFCP_IE_F_TEID };
		return -1;
	}
	return 0;
}

/*
 * The URRs' share of what the fast path (XDP) carried for s since they last
 * looked: before any report, and before the rules change, so that what was
 * carried under a rule set is counted by its URRs.
 */
static void
fold_fast_usage(struct upf *u, struct session *s)
{
	struct rules_usage now;

	session_fast_usage(u->core->sessions, s, &now);
	rules_fast_fold(s->rules, s->teid, s->ip_be, &now);
}

/* The rules changed: new URRs start from the fast path's totals, and its maps follow. */
static void
rules_changed(struct upf *u, struct session *s)
{
	struct rules_usage now;

	session_fast_usage(u->core->sessions, s, &now);
	rules_fast_baseline(s->rules, &now);
	session_changed(u->core->sessions, s);
}

void
upf_session_establish(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w)
{
	const struct pfcp_msg *m = &u->msg;
	struct upf_assoc *a = upf_assoc_of_node(u, &m->node_id);
	struct refusal f = { 0 };
	struct rules *r = NULL;
	struct session *s = NULL;
	size_t hdr;
	char ip[16];

	if (a == NULL) {
		f.err.cause = PFCP_CAUSE_NO_ASSOCIATION;
		est_refuse(u, w, &f);
		return;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		f.err.cause = PFCP_CAUSE_NO_RESOURCES;
		est_refuse(u, w, &f);
		return;
	}
	if (build_rules(u, r, rx->now_ms, &f) < 0 || link_rules(r, &f) < 0) {
		free(r);
		f.has_rule = f.has_rule || f.rule_id != 0;
		est_refuse(u, w, &f);
		return;
	}
	/* From here the session owns r: deleting the session frees it. */
	if (make_session(u, rx, a, r, &s, &f) < 0) {
		if (s == NULL)
			free(r);
		est_refuse(u, w, &f);
		return;
	}
	if (hmap_put(u->by_seid, s->owner.local_ref, s->teid) < 0) {
		attach_delete(u->core, s, "no room for its SEID");
		f.err = (struct pfcp_err){ PFCP_CAUSE_NO_RESOURCES, 0 };
		est_refuse(u, w, &f);
		return;
	}
	rules_start(r, rx->now_ms);
	s->flags |= SESSION_F_RULES;
	track_urrs(u, s);
	show_downlink(u, s);
	install_routes(u, s);
	rules_changed(u, s);
	a->sessions++;
	counters_add(VPG_CTR_PFCP_SESSIONS_ESTABLISHED, 1);
	log_info("pfcp: session imsi=%s ip=%s teid=0x%08x seid=0x%llx from %s",
	    s->imsi[0] ? s->imsi : "-", ipv4_str(s->ip_be, ip), s->teid,
	    (unsigned long long)s->owner.local_ref, a->name);
	hdr = pfcp_build_header_seid(w, PFCP_SESS_EST_RSP, m->fseid.seid, m->hdr.seq);
	upf_put_node_id(u, w);
	pfcp_put_cause(w, PFCP_CAUSE_REQUEST_ACCEPTED);
	pfcp_put_fseid_ipv4(w, s->owner.local_ref, u->cfg.pfcp_addr_be);
	put_created_pdrs(u, w, m->create_pdr, m->n_create_pdr, r);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, PFCP_SESS_EST_RSP, PFCP_CAUSE_REQUEST_ACCEPTED);
}

/* A session message's response: header with the CP SEID, our Cause (§7.5.5, §7.5.7). */
static size_t
session_rsp_header(struct vpg_wr *w, uint8_t type, const struct session *s, uint32_t seq)
{
	return pfcp_build_header_seid(w, type, s != NULL ? s->owner.peer_ref : 0, seq);
}

static void
refuse_session(
    struct vpg_wr *w, uint8_t type, const struct session *s, uint32_t seq, const struct refusal *f)
{
	size_t hdr = session_rsp_header(w, type, s, seq);

	put_refusal(w, f);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, type, f->err.cause);
}

/* A URR's measurement as a Usage Report (§7.5.8.3), the trigger saying why. */
static void
usage_report_of(const struct upf *u, const struct rules_urr *urr, uint32_t trigger, uint64_t now_ms,
    struct pfcp_usage_report *ur)
{
	memset(ur, 0, sizeof(*ur));
	ur->has = PFCP_UR_HAS_START | PFCP_UR_HAS_END;
	ur->urr_id = urr->id;
	ur->ur_seqn = urr->seqn;
	ur->trigger = trigger;
	ur->start = upf_ntp_of_mono(u, urr->start_ms);
	ur->end = upf_ntp_of_mono(u, now_ms);
	if (urr->measure_volume) {
		ur->has |= PFCP_UR_HAS_VOLUME;
		ur->vol_flags = PFCP_VOL_TOVOL | PFCP_VOL_ULVOL | PFCP_VOL_DLVOL | PFCP_VOL_TONOP |
				PFCP_VOL_ULNOP | PFCP_VOL_DLNOP;
		ur->vol_ul = urr->ul_bytes;
		ur->vol_dl = urr->dl_bytes;
		ur->vol_total = urr->ul_bytes + urr->dl_bytes;
		ur->pkt_ul = urr->ul_packets;
		ur->pkt_dl = urr->dl_packets;
		ur->pkt_total = urr->ul_packets + urr->dl_packets;
	}
	if (urr->measure_duration) {
		ur->has |= PFCP_UR_HAS_DURATION;
		ur->duration = (uint32_t)((now_ms - urr->start_ms) / 1000);
	}
}

/* Reports every URR of r with the trigger into w; each starts a new measurement. */
static void
put_reports(struct upf *u, struct vpg_wr *w, uint16_t ie, struct rules *r, const uint32_t *ids,
    unsigned n, uint32_t trigger, uint64_t now_ms)
{
	struct pfcp_usage_report ur;

	for (unsigned i = 0; i < n; i++) {
		struct rules_urr *urr = rules_urr_by_id(r, ids[i]);

		if (urr == NULL)
			continue;
		usage_report_of(u, urr, trigger, now_ms, &ur);
		pfcp_put_usage_report(w, ie, &ur);
		rules_urr_reported(urr, now_ms);
	}
}

static int
apply_removes(struct rules *r, const struct pfcp_msg *m, struct refusal *f)
{
	static const struct {
		char kind;
		uint16_t ie;
	} k[] = { { 'P', PFCP_IE_REMOVE_PDR }, { 'F', PFCP_IE_REMOVE_FAR },
		{ 'U', PFCP_IE_REMOVE_URR }, { 'Q', PFCP_IE_REMOVE_QER } };
	const uint8_t n[] = { m->n_remove_pdr, m->n_remove_far, m->n_remove_urr, m->n_remove_qer };

	for (unsigned t = 0; t < 4; t++) {
		for (unsigned i = 0; i < n[t]; i++) {
			uint32_t id = t == 0   ? m->remove_pdr[i]
				      : t == 1 ? m->remove_far[i]
				      : t == 2 ? m->remove_urr[i]
					       : m->remove_qer[i];

			if (rules_remove(r, k[t].kind, id) < 0) {
				f->err = (struct pfcp_err){ PFCP_CAUSE_RULE_FAILURE, k[t].ie };
				f->rule_id = id;
				return -1;
			}
		}
	}
	return 0;
}

static int
apply_updates(struct rules *r, const struct pfcp_msg *m, uint64_t now_ms, struct refusal *f)
{
	for (unsigned i = 0; i < m->n_update_far; i++)
		if (upf_rules_update_far(r, &m->update_far[i], &f->err, &f->rule_id) < 0)
			return -1;
	for (unsigned i = 0; i < m->n_update_qer; i++)
		if (upf_rules_update_qer(r, &m->update_qer[i], now_ms, &f->err, &f->rule_id) < 0)
			return -1;
	for (unsigned i = 0; i < m->n_update_urr; i++)
		if (upf_rules_update_urr(r, &m->update_urr[i], &f->err, &f->rule_id) < 0)
			return -1;
	for (unsigned i = 0; i < m->n_update_pdr; i++)
		if (upf_rules_update_pdr(r, &m->update_pdr[i], &f->err, &f->rule_id) < 0)
			return -1;
	return 0;
}

/* TEIDs the old set held and the new one does not: they stop finding the session. */
static void
drop_old_aliases(struct upf *u, struct session *s, const struct rules *old, const struct rules *now)
{
	for (unsigned i = 0; i < old->n_pdr; i++) {
		uint32_t teid = old->pdr[i].teid;
		bool kept = teid == s->teid;

		for (unsigned j = 0; j < now->n_pdr && !kept; j++)
			kept = now->pdr[j].has_teid && now->pdr[j].teid == teid;
		if (old->pdr[i].has_teid && !kept)
			session_unalias_teid(u->core->sessions, s, teid);
	}
}

/* The removed URRs' final reports and the queried ones, before the set changes (§7.5.5.2). */
static void
put_modify_reports(struct upf *u, struct vpg_wr *w, struct session *s, uint64_t now_ms)
{
	const struct pfcp_msg *m = &u->msg;

	put_reports(u, w, PFCP_IE_USAGE_REPORT_SMR, s->rules, m->remove_urr, m->n_remove_urr,
	    PFCP_URT_TERMR, now_ms);
	put_reports(u, w, PFCP_IE_USAGE_REPORT_SMR, s->rules, m->query_urr, m->n_query_urr,
	    PFCP_URT_IMMER, now_ms);
}

/* The changed copy of the set: 0, or -1 with the refusal and nothing applied. */
static int
modified_rules(
    struct upf *u, struct session *s, struct rules *r, uint64_t now_ms, struct refusal *f)
{
	const struct pfcp_msg *m = &u->msg;

	*r = *s->rules;
	if (apply_removes(r, m, f) < 0 || build_rules(u, r, now_ms, f) < 0 ||
	    apply_updates(r, m, now_ms, f) < 0 || link_rules(r, f) < 0)
		return -1;
	/* New PDRs get their TEIDs last: a refusal above leaves no alias behind. */
	if (assign_teids(u, s, r, m->create_pdr, m->n_create_pdr, true) < 0) {
		drop_old_aliases(u, s, r, s->rules);
		f->err = (struct pfcp_err){ PFCP_CAUSE_NO_RESOURCES, PFCP_IE_F_TEID };
		return -1;
	}
	fill_device_address(r, s->ip_be);
	return 0;
}

void
upf_session_modify(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w)
{
	const struct pfcp_msg *m = &u->msg;
	struct session *s = session_of_seid(u, m->hdr.seid);
	struct refusal f = { .err = { PFCP_CAUSE_SESSION_NOT_FOUND, 0 } };
	struct rules *r;
	size_t hdr;

	if (s == NULL) {
		refuse_session(w, PFCP_SESS_MOD_RSP, NULL, m->hdr.seq, &f);
		return;
	}
	fold_fast_usage(u, s);
	r = malloc(sizeof(*r));
	if (r == NULL || modified_rules(u, s, r, rx->now_ms, &f) < 0) {
		if (r == NULL)
			f.err = (struct pfcp_err){ PFCP_CAUSE_NO_RESOURCES, 0 };
		free(r);
		f.has_rule = f.rule_id != 0;
		refuse_session(w, PFCP_SESS_MOD_RSP, s, m->hdr.seq, &f);
		return;
	}
	if (m->has & PFCP_MSG_HAS_FSEID)
		s->owner.peer_ref = m->fseid.seid;
	hdr = session_rsp_header(w, PFCP_SESS_MOD_RSP, s, m->hdr.seq);
	pfcp_put_cause(w, PFCP_CAUSE_REQUEST_ACCEPTED);
	put_created_pdrs(u, w, m->create_pdr, m->n_create_pdr, r);
	put_modify_reports(u, w, s, rx->now_ms);
	drop_old_aliases(u, s, s->rules, r);
	free(s->rules);
	s->rules = r;
	rules_start(r, rx->now_ms);
	track_urrs(u, s);
	show_downlink(u, s);
	install_routes(u, s);
	rules_changed(u, s);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, PFCP_SESS_MOD_RSP, PFCP_CAUSE_REQUEST_ACCEPTED);
	counters_add(VPG_CTR_PFCP_SESSIONS_MODIFIED, 1);
}

/* What the UPF keeps beside the core goes with the session, whoever deletes it. */
void
upf_session_deleted(void *arg, const struct session *s)
{
	struct upf *u = arg;
	struct upf_assoc *a = upf_assoc_of_addr(u, s->owner.peer_be);
	uint32_t teid;

	/* Only a session the establishment finished is counted and in the map. */
	if (!hmap_get(u->by_seid, s->owner.local_ref, &teid) || teid != s->teid)
		return;
	hmap_del(u->by_seid, s->owner.local_ref);
	idset_del(u->with_urr, s->owner.local_ref);
	if (a != NULL && a->sessions > 0)
		a->sessions--;
}

void
upf_session_delete(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w)
{
	const struct pfcp_msg *m = &u->msg;
	struct session *s = session_of_seid(u, m->hdr.seid);
	struct refusal f = { .err = { PFCP_CAUSE_SESSION_NOT_FOUND, 0 } };
	uint32_t ids[RULES_MAX_URR];
	size_t hdr;

	if (s == NULL) {
		refuse_session(w, PFCP_SESS_DEL_RSP, NULL, m->hdr.seq, &f);
		return;
	}
	hdr = session_rsp_header(w, PFCP_SESS_DEL_RSP, s, m->hdr.seq);
	pfcp_put_cause(w, PFCP_CAUSE_REQUEST_ACCEPTED);
	/* §7.5.7.2: the final usage of every URR rides in the response. */
	fold_fast_usage(u, s);
	for (unsigned i = 0; i < s->rules->n_urr; i++)
		ids[i] = s->rules->urr[i].id;
	put_reports(u, w, PFCP_IE_USAGE_REPORT_SDR, s->rules, ids, s->rules->n_urr, PFCP_URT_TERMR,
	    rx->now_ms);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, PFCP_SESS_DEL_RSP, PFCP_CAUSE_REQUEST_ACCEPTED);
	attach_delete(u->core, s, "deleted by the control plane");
	counters_add(VPG_CTR_PFCP_SESSIONS_DELETED, 1);
}

unsigned
upf_sessions_purge(struct upf *u, const struct upf_assoc *a, const char *why)
{
	unsigned n = attach_delete_peer(u->core, SESSION_ROLE_UPF, a->addr_be, why);

	counters_add(VPG_CTR_PFCP_SESSIONS_PURGED, n);
	return n;
}

/* A Session Report Request with every URR of s that has a trigger pending (§7.5.8). */
static void
send_report(struct upf *u, struct session *s, uint64_t now_ms)
{
	uint8_t buf[SIG_PATH_MSG_MAX];
	struct pfcp_usage_report ur[RULES_MAX_URR];
	struct vpg_wr w;
	uint32_t seq = sig_path_next_seq(u->path);
	size_t n = 0;

	fold_fast_usage(u, s);
	for (unsigned i = 0; i < s->rules->n_urr; i++) {
		struct rules_urr *urr = &s->rules->urr[i];

		if (urr->pending == 0)
			continue;
		usage_report_of(u, urr, urr->pending, now_ms, &ur[n++]);
		rules_urr_reported(urr, now_ms);
	}
	wr_init(&w, buf, sizeof(buf));
	pfcp_build_session_report_req(&w, s->owner.peer_ref, seq, ur, n);
	if (n == 0 || w.overflow ||
	    sig_path_request(
		u->path, buf, w.len, seq, s->owner.peer_be, s->owner.local_ref, now_ms) < 0) {
		counters_drop(VPG_DROP_TX_FAILED);
		return;
	}
	upf_count_tx(&w, PFCP_SESS_REPORT_REQ, 0);
	counters_add(VPG_CTR_PFCP_USAGE_REPORTS_SENT, n);
}

/* The sessions with URRs, each visited once; one whose SEID is gone leaves the set. */
static void
visit_urr_sessions(struct upf *u, uint64_t now_ms, bool only_while_waiting)
{
	for (uint32_t i = idset_count(u->with_urr); i-- > 0;) {
		uint64_t seid = idset_at(u->with_urr, i);
		struct session *s = session_of_seid(u, seid);

		if (only_while_waiting && rules_reports_waiting == 0)
			return;
		if (s == NULL || !(s->flags & SESSION_F_RULES) || s->rules->n_urr == 0) {
			idset_del(u->with_urr, seid);
			continue;
		}
		if (rules_reports_due(s->rules, now_ms))
			send_report(u, s, now_ms);
	}
}

/* Only while a trigger waits, and O(sessions with URRs): reports are rare next to packets. */
void
upf_send_reports(struct upf *u, uint64_t now_ms)
{
	if (rules_reports_waiting > 0)
		visit_urr_sessions(u, now_ms, true);
}

/* Once a second: the URRs' timers (periodic, time threshold and quota). */
void
upf_sessions_tick(struct upf *u, uint64_t now_ms)
{
	visit_urr_sessions(u, now_ms, false);
}

/* §7.5.9.1: "Session context not found" in the answer: the control plane forgot it. */
void
upf_session_report_done(struct upf *u, uint64_t up_seid, const uint8_t *rsp, size_t len)
{
	struct session *s = session_of_seid(u, up_seid);
	struct pfcp_hdr h;
	struct pfcp_err err;

	if (s == NULL || rsp == NULL)
		return;
	if (pfcp_parse_header(rsp, len, &h) == PFCP_HDR_OK &&
	    pfcp_parse_body(rsp, len, &h, &u->msg, &err) == PFCP_CAUSE_OK &&
	    u->msg.cause == PFCP_CAUSE_SESSION_NOT_FOUND)
		attach_delete(u->core, s, "unknown to its control plane");
}
