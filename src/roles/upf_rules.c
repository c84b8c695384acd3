#include "roles/upf_rules.h"

#include <arpa/inet.h>
#include <string.h>

#include "core/rules.h"
#include "proto/pfcp.h"

static int
refuse(struct pfcp_err *err, uint8_t cause, uint16_t ie, uint32_t *rule_id, uint32_t id)
{
	err->cause = cause;
	err->ie_type = ie;
	*rule_id = id;
	return -1;
}

static uint32_t
mask_of(uint8_t plen)
{
	return plen == 0 ? 0 : htonl(~0u << (32 - plen));
}

/* One end of a flow description: an address (or any), and its port ranges. */
static void
flow_end(const struct pfcp_flow_end *e, uint32_t *addr_be, uint32_t *mask_be)
{
	*addr_be = 0;
	*mask_be = 0;
	if (e->kind == PFCP_FLOW_IPV4) {
		memcpy(addr_be, e->addr, 4);
		*mask_be = mask_of(e->plen > 32 ? 32 : e->plen);
		*addr_be &= *mask_be;
	}
}

static struct pfcp_port_range
range_or_any(const struct pfcp_flow_end *e, unsigned i)
{
	return e->n_ports == 0 ? (struct pfcp_port_range){ 0, 65535 } : e->ports[i];
}

/*
 * A flow description becomes one filter per pair of port ranges ("from" is
 * the remote end, "to" the device: TS 29.212 §5.4.2 "permit out"). One with
 * an IPv6 address never matches an IPv4 packet and is kept as such.
 */
static int
add_sdf(struct rules_pdr *d, const struct pfcp_sdf *sdf)
{
	const struct pfcp_flow *f = &sdf->flow;
	unsigned nr = f->src.n_ports ? f->src.n_ports : 1, nu = f->dst.n_ports ? f->dst.n_ports : 1;

	if (!sdf->has_fd)
		return 0; /* a filter without a flow description matches everything */
	for (unsigned i = 0; i < nr; i++) {
		for (unsigned j = 0; j < nu; j++) {
			struct rules_sdf *s;
			struct pfcp_port_range rr = range_or_any(&f->src, i);
			struct pfcp_port_range ur = range_or_any(&f->dst, j);

			if (d->n_sdf == RULES_MAX_SDF)
				return -1;
			s = &d->sdf[d->n_sdf++];
			memset(s, 0, sizeof(*s));
			s->proto = f->any_proto ? 0 : f->proto;
			s->ipv6 = f->src.kind == PFCP_FLOW_IPV6 || f->dst.kind == PFCP_FLOW_IPV6;
			flow_end(&f->src, &s->remote_be, &s->remote_mask_be);
			flow_end(&f->dst, &s->ue_be, &s->ue_mask_be);
			s->remote_port_lo = rr.lo;
			s->remote_port_hi = rr.hi;
			s->ue_port_lo = ur.lo;
			s->ue_port_hi = ur.hi;
		}
	}
	return 0;
}

/* The PDI (TS 29.244 §7.5.2.2-2) as the set keeps it; -1 names what does not fit. */
static int
set_pdi(struct rules_pdr *d, const struct pfcp_pdi *pdi, uint16_t *bad_ie)
{
	d->src_iface = pdi->source_iface;
	d->has_teid = (pdi->has & PFCP_PDI_HAS_FTEID) != 0;
	d->teid = pdi->fteid.ch ? 0 : pdi->fteid.teid;
	d->has_ue_ip = (pdi->has & PFCP_PDI_HAS_UE_IP) != 0;
	/*
	 * 0 is filled in by the caller with the address we choose (CHV4); an
	 * IPv6-only device address gets the limited broadcast, which no device
	 * has, so the PDR matches no IPv4 packet.
	 */
	d->ue_ip_be = pdi->ue_ip.has_v4 ? pdi->ue_ip.v4_be : pdi->ue_ip.chv4 ? 0 : 0xffffffffu;
	d->has_qfi = (pdi->has & PFCP_PDI_HAS_QFI) != 0;
	d->qfi = pdi->qfi;
	d->n_sdf = 0;
	for (unsigned i = 0; i < pdi->n_sdf; i++) {
		if (add_sdf(d, &pdi->sdf[i]) < 0) {
			*bad_ie = PFCP_IE_SDF_FILTER;
			return -1;
		}
	}
	d->n_framed = 0;
	for (unsigned i = 0; i < pdi->n_routes && i < RULES_MAX_FRAMED; i++) {
		d->framed[i].mask_be = mask_of(pdi->routes[i].plen);
		d->framed[i].net_be = pdi->routes[i].prefix_be & d->framed[i].mask_be;
		d->n_framed++;
	}
	return 0;
}

static void
set_refs(struct rules_pdr *d, const struct pfcp_pdr *p)
{
	if (p->has & PFCP_PDR_HAS_FAR_ID)
		d->far_id = p->far_id;
	if (p->n_urr_ids > 0 || p->n_qer_ids > 0) {
		d->n_urr =
		    (uint8_t)(p->n_urr_ids < RULES_PDR_MAX_URR ? p->n_urr_ids : RULES_PDR_MAX_URR);
		memcpy(d->urr_id, p->urr_ids, d->n_urr * sizeof(uint32_t));
		d->n_qer =
		    (uint8_t)(p->n_qer_ids < RULES_PDR_MAX_QER ? p->n_qer_ids : RULES_PDR_MAX_QER);
		memcpy(d->qer_id, p->qer_ids, d->n_qer * sizeof(uint32_t));
	}
}

int
upf_rules_create_pdr(
    struct rules *r, const struct pfcp_pdr *p, struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_pdr *d;
	uint16_t bad_ie = PFCP_IE_CREATE_PDR;

	if (r->n_pdr == RULES_MAX_PDR)
		return refuse(err, PFCP_CAUSE_NO_RESOURCES, PFCP_IE_CREATE_PDR, rule_id, p->pdr_id);
	/* TS 29.244 §7.5.2.2: without predefined rules, a PDR needs its FAR. */
	if (!(p->has & PFCP_PDR_HAS_FAR_ID))
		return refuse(
		    err, PFCP_CAUSE_CONDITIONAL_IE_MISSING, PFCP_IE_FAR_ID, rule_id, p->pdr_id);
	if (p->n_urr_ids > RULES_PDR_MAX_URR || p->n_qer_ids > RULES_PDR_MAX_QER)
		return refuse(err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_CREATE_PDR, rule_id, p->pdr_id);
	d = &r->pdr[r->n_pdr];
	memset(d, 0, sizeof(*d));
	d->id = p->pdr_id;
	d->precedence = p->precedence;
	d->outer_header_removal = (p->has & PFCP_PDR_HAS_OHR) != 0;
	if (set_pdi(d, &p->pdi, &bad_ie) < 0)
		return refuse(err, PFCP_CAUSE_RULE_FAILURE, bad_ie, rule_id, p->pdr_id);
	set_refs(d, p);
	r->n_pdr++;
	return 0;
}

int
upf_rules_update_pdr(
    struct rules *r, const struct pfcp_pdr *p, struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_pdr *d = rules_pdr_by_id(r, p->pdr_id);
	uint16_t bad_ie = PFCP_IE_UPDATE_PDR;
	uint32_t teid;

	if (d == NULL)
		return refuse(err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_UPDATE_PDR, rule_id, p->pdr_id);
	if (p->n_urr_ids > RULES_PDR_MAX_URR || p->n_qer_ids > RULES_PDR_MAX_QER)
		return refuse(err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_UPDATE_PDR, rule_id, p->pdr_id);
	if (p->has & PFCP_PDR_HAS_PRECEDENCE)
		d->precedence = p->precedence;
	if (p->has & PFCP_PDR_HAS_PDI) {
		/* The Local F-TEID stays ours: a CHOOSE in an update keeps the TEID given before.
		 */
		teid = d->teid;
		if (set_pdi(d, &p->pdi, &bad_ie) < 0)
			return refuse(err, PFCP_CAUSE_RULE_FAILURE, bad_ie, rule_id, p->pdr_id);
		if (p->pdi.fteid.ch || d->teid == 0)
			d->teid = teid;
	}
	set_refs(d, p);
	return 0;
}

static int
set_forwarding(struct rules_far *f, const struct pfcp_fwd *fwd)
{
	if (fwd->has & PFCP_FWD_HAS_DEST_IFACE)
		f->dst_iface = fwd->dest_iface;
	if (fwd->has & PFCP_FWD_HAS_OHC) {
		/* The forwarding path builds GTP-U/UDP/IPv4 only. */
		if (!(fwd->ohc.desc & PFCP_OHC_GTPU_UDP_IPV4))
			return -1;
		f->has_ohc = true;
		f->ohc_teid = fwd->ohc.teid;
		f->ohc_addr_be = fwd->ohc.v4_be;
	}
	return 0;
}

/*
 * DUPL (§5.2.3): the copies go GRE-encapsulated through Junction Mirroring,
 * to the IPv4 address of the Duplicating Parameters' Outer Header Creation,
 * or to the mirroring peers when it names none.
 */
static void
set_duplicating(struct rules_far *f, const struct pfcp_far *pf)
{
	const struct pfcp_fwd *d = &pf->dupl;

	f->dupl_addr_be = 0;
	if ((pf->has & PFCP_FAR_HAS_DUPL) && (d->has & PFCP_FWD_HAS_OHC) &&
	    (d->ohc.desc & (PFCP_OHC_GTPU_UDP_IPV4 | PFCP_OHC_UDP_IPV4 | PFCP_OHC_IPV4)))
		f->dupl_addr_be = d->ohc.v4_be;
}

int
upf_rules_create_far(
    struct rules *r, const struct pfcp_far *pf, struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_far *f;

	if (r->n_far == RULES_MAX_FAR)
		return refuse(
		    err, PFCP_CAUSE_NO_RESOURCES, PFCP_IE_CREATE_FAR, rule_id, pf->far_id);
	f = &r->far[r->n_far];
	memset(f, 0, sizeof(*f));
	f->id = pf->far_id;
	f->apply = (uint8_t)pf->apply_action;
	/* §7.5.2.3: forwarding needs its parameters. */
	if ((f->apply & RULES_ACT_FORW) && !(pf->has & PFCP_FAR_HAS_FWD))
		return refuse(err, PFCP_CAUSE_CONDITIONAL_IE_MISSING, PFCP_IE_FORWARDING_PARAMETERS,
		    rule_id, pf->far_id);
	if ((pf->has & PFCP_FAR_HAS_FWD) && set_forwarding(f, &pf->fwd) < 0)
		return refuse(err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_OUTER_HEADER_CREATION, rule_id,
		    pf->far_id);
	set_duplicating(f, pf);
	r->n_far++;
	return 0;
}

int
upf_rules_update_far(
    struct rules *r, const struct pfcp_far *pf, struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_far *f = rules_far_by_id(r, pf->far_id);

	if (f == NULL)
		return refuse(
		    err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_UPDATE_FAR, rule_id, pf->far_id);
	if (pf->has & PFCP_FAR_HAS_APPLY_ACTION)
		f->apply = (uint8_t)pf->apply_action;
	if (pf->has & PFCP_FAR_HAS_DUPL)
		set_duplicating(f, pf);
	if ((pf->has & PFCP_FAR_HAS_FWD) && set_forwarding(f, &pf->fwd) < 0)
		return refuse(err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_OUTER_HEADER_CREATION, rule_id,
		    pf->far_id);
	return 0;
}

/* MBR in kbit/s (§8.2.8); the bucket starts full, one second's worth. */
static void
set_rate(struct rules_bucket *b, uint64_t kbps, uint64_t now_ms)
{
	b->rate_bps = kbps * 1000;
	b->tokens = b->rate_bps;
	b->last_ms = now_ms;
}

static void
set_qer(struct rules_qer *q, const struct pfcp_qer *pq, uint64_t now_ms)
{
	if (pq->has & PFCP_QER_HAS_GATE) {
		q->ul_open = pq->gate.ul == PFCP_GATE_OPEN;
		q->dl_open = pq->gate.dl == PFCP_GATE_OPEN;
	}
	if (pq->has & PFCP_QER_HAS_MBR) {
		set_rate(&q->ul, pq->mbr.ul, now_ms);
		set_rate(&q->dl, pq->mbr.dl, now_ms);
	}
	if (pq->has & PFCP_QER_HAS_QFI) {
		q->has_qfi = true;
		q->qfi = pq->qfi;
	}
}

int
upf_rules_create_qer(struct rules *r, const struct pfcp_qer *pq, uint64_t now_ms,
    struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_qer *q;

	if (r->n_qer == RULES_MAX_QER)
		return refuse(
		    err, PFCP_CAUSE_NO_RESOURCES, PFCP_IE_CREATE_QER, rule_id, pq->qer_id);
	q = &r->qer[r->n_qer++];
	memset(q, 0, sizeof(*q));
	q->id = pq->qer_id;
	q->ul_open = q->dl_open = true;
	set_qer(q, pq, now_ms);
	return 0;
}

int
upf_rules_update_qer(struct rules *r, const struct pfcp_qer *pq, uint64_t now_ms,
    struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_qer *q = rules_qer_by_id(r, pq->qer_id);

	if (q == NULL)
		return refuse(
		    err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_UPDATE_QER, rule_id, pq->qer_id);
	set_qer(q, pq, now_ms);
	return 0;
}

static void
set_volume(struct rules_volume *v, const struct pfcp_volume *pv)
{
	v->has_total = (pv->flags & PFCP_VOL_TOVOL) != 0;
	v->has_ul = (pv->flags & PFCP_VOL_ULVOL) != 0;
	v->has_dl = (pv->flags & PFCP_VOL_DLVOL) != 0;
	v->total = pv->total;
	v->ul = pv->ul;
	v->dl = pv->dl;
}

static void
set_urr(struct rules_urr *u, const struct pfcp_urr *pu)
{
	if (pu->has & PFCP_URR_HAS_METHOD) {
		u->measure_volume = (pu->method & PFCP_MM_VOLUM) != 0;
		u->measure_duration = (pu->method & PFCP_MM_DURAT) != 0;
	}
	/* The trigger bits of core/rules.h are TS 29.244 §8.2.19's own positions. */
	if (pu->has & PFCP_URR_HAS_TRIGGERS)
		u->triggers = pu->triggers;
	if (pu->has & PFCP_URR_HAS_PERIOD)
		u->period_s = pu->period;
	if (pu->has & PFCP_URR_HAS_VOL_THRESH)
		set_volume(&u->threshold, &pu->vol_thresh);
	if (pu->has & PFCP_URR_HAS_VOL_QUOTA) {
		set_volume(&u->quota, &pu->vol_quota);
		u->quota_exhausted = false; /* a new quota lets traffic through again */
	}
	if (pu->has & PFCP_URR_HAS_TIME_THRESH)
		u->time_threshold_s = pu->time_thresh;
	if (pu->has & PFCP_URR_HAS_TIME_QUOTA)
		u->time_quota_s = pu->time_quota;
}

int
upf_rules_create_urr(
    struct rules *r, const struct pfcp_urr *pu, struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_urr *u;

	if (r->n_urr == RULES_MAX_URR)
		return refuse(
		    err, PFCP_CAUSE_NO_RESOURCES, PFCP_IE_CREATE_URR, rule_id, pu->urr_id);
	u = &r->urr[r->n_urr++];
	memset(u, 0, sizeof(*u));
	u->id = pu->urr_id;
	set_urr(u, pu);
	return 0;
}

int
upf_rules_update_urr(
    struct rules *r, const struct pfcp_urr *pu, struct pfcp_err *err, uint32_t *rule_id)
{
	struct rules_urr *u = rules_urr_by_id(r, pu->urr_id);

	if (u == NULL)
		return refuse(
		    err, PFCP_CAUSE_RULE_FAILURE, PFCP_IE_UPDATE_URR, rule_id, pu->urr_id);
	set_urr(u, pu);
	return 0;
}
