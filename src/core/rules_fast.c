#include "core/rules_fast.h"

#include <string.h>

/* A PDR whose SDF filters are all written for IPv6 matches no IPv4 packet (rules.c). */
static bool
ipv6_only(const struct rules_pdr *d)
{
	if (d->n_sdf == 0)
		return false;
	for (unsigned i = 0; i < d->n_sdf; i++)
		if (!d->sdf[i].ipv6)
			return false;
	return true;
}

/*
 * The one PDR that may match a G-PDU with our TEID (tunnelled) or a packet
 * from Core (not tunnelled); NULL when there are none or several, which
 * only the socket path's walk in precedence order decides.
 */
static const struct rules_pdr *
only_candidate(const struct rules *r, bool tunnelled, uint32_t teid)
{
	const struct rules_pdr *found = NULL;

	for (unsigned i = 0; i < r->n_pdr; i++) {
		const struct rules_pdr *d = &r->pdr[i];

		if (d->has_teid != tunnelled || (tunnelled && d->teid != teid) || ipv6_only(d))
			continue;
		if (found != NULL)
			return NULL;
		found = d;
	}
	return found;
}

static bool
volume_given(const struct rules_volume *v)
{
	return v->has_total || v->has_ul || v->has_dl;
}

/*
 * A URR the fast path may leave to be added up later. Volume thresholds and
 * quotas are checked on every packet by the socket path (the packet that
 * reaches one is reported at once, and after a quota the next is dropped),
 * which the fast path's counters, read when a report is made, cannot do: a
 * URR with one keeps its session on the socket path. So does a time quota,
 * which ends in dropping, and an exhausted quota.
 */
static bool
urr_measures_only(const struct rules_urr *u)
{
	if (u->quota_exhausted)
		return false;
	if (u->measure_volume && (u->triggers & RULES_TRIG_VOLTH) && volume_given(&u->threshold))
		return false;
	if (u->measure_volume && (u->triggers & RULES_TRIG_VOLQU) && volume_given(&u->quota))
		return false;
	return !(u->measure_duration && u->time_quota_s != 0 && (u->triggers & RULES_TRIG_TIMQU));
}

/* FORW and nothing that asks for more than forwarding (TS 29.244 §8.2.26). */
static bool
far_forwards_only(const struct rules_far *f)
{
	return (f->apply & RULES_ACT_FORW) &&
	       !(f->apply & (RULES_ACT_BUFF | RULES_ACT_NOCP | RULES_ACT_DUPL | RULES_ACT_DROP));
}

/*
 * The QERs and URRs of d as the fast path applies them: gates, one MBR
 * (two buckets in turn would take from the first when the second refuses,
 * which one bucket cannot say), and the QFI to mark (pdr.c's tunnel_of).
 */
static bool
plan_dir(const struct rules *r, const struct rules_pdr *d, bool uplink, struct rules_fast_dir *o)
{
	memset(o, 0, sizeof(*o));
	o->pdr = d;
	o->open = true;
	if (d->n_sdf != 0 || d->n_framed != 0 || !far_forwards_only(&r->far[d->far]))
		return false;
	for (unsigned k = 0; k < d->n_urr; k++)
		if (!urr_measures_only(&r->urr[d->urr[k]]))
			return false;
	for (unsigned k = 0; k < d->n_qer; k++) {
		const struct rules_qer *q = &r->qer[d->qer[k]];
		const struct rules_bucket *b = uplink ? &q->ul : &q->dl;

		o->open = o->open && (uplink ? q->ul_open : q->dl_open);
		if (b->rate_bps != 0) {
			if (o->mbr != NULL)
				return false;
			o->mbr = b;
		}
		if (!uplink && q->has_qfi && !o->has_qfi) {
			o->has_qfi = true;
			o->qfi = q->qfi;
		}
	}
	if (uplink) {
		o->has_qfi = d->has_qfi;
		o->qfi = d->qfi;
	}
	return true;
}

bool
rules_fast_plan(const struct rules *r, uint32_t teid, uint32_t ue_be, struct rules_fast_plan *plan)
{
	const struct rules_pdr *ul = only_candidate(r, true, teid);
	const struct rules_pdr *dl = only_candidate(r, false, 0);
	const struct rules_far *f;

	memset(plan, 0, sizeof(*plan));
	if (ul == NULL || dl == NULL || ul->src_iface != RULES_IF_ACCESS ||
	    !rules_pdr_to_device(dl))
		return false;
	/* The uplink FAR to Core: towards the CP function is a tunnel of its own. */
	if (r->far[ul->far].dst_iface == RULES_IF_CP_FUNCTION)
		return false;
	/* The device's address as the PDRs name it, or none; a QFI on an untunnelled packet
	 * matches nothing. */
	if ((ul->has_ue_ip && ul->ue_ip_be != ue_be) || (dl->has_ue_ip && dl->ue_ip_be != ue_be) ||
	    dl->has_qfi)
		return false;
	f = &r->far[dl->far];
	if (!f->has_ohc || !plan_dir(r, ul, true, &plan->ul) || !plan_dir(r, dl, false, &plan->dl))
		return false;
	plan->dl_teid = f->ohc_teid;
	plan->dl_addr_be = f->ohc_addr_be;
	return true;
}

static bool
names_urr(const struct rules *r, const struct rules_pdr *d, const struct rules_urr *u)
{
	for (unsigned k = 0; k < d->n_urr; k++)
		if (&r->urr[d->urr[k]] == u)
			return true;
	return false;
}

void
rules_fast_share(const struct rules *r, uint32_t teid, uint32_t ue_be, const struct rules_urr *u,
    const struct rules_usage *now, struct rules_usage *share)
{
	struct rules_fast_plan plan;

	memset(share, 0, sizeof(*share));
	if (!u->fast_seen_set || !rules_fast_plan(r, teid, ue_be, &plan))
		return;
	if (names_urr(r, plan.ul.pdr, u)) {
		share->ul_packets = now->ul_packets - u->fast_seen.ul_packets;
		share->ul_bytes = now->ul_bytes - u->fast_seen.ul_bytes;
	}
	if (names_urr(r, plan.dl.pdr, u)) {
		share->dl_packets = now->dl_packets - u->fast_seen.dl_packets;
		share->dl_bytes = now->dl_bytes - u->fast_seen.dl_bytes;
	}
}

/* O(URRs x PDRs' URRs): at most 8 x 4, when a report is made or the rules change. */
void
rules_fast_fold(struct rules *r, uint32_t teid, uint32_t ue_be, const struct rules_usage *now)
{
	for (unsigned i = 0; i < r->n_urr; i++) {
		struct rules_urr *u = &r->urr[i];
		struct rules_usage share;

		rules_fast_share(r, teid, ue_be, u, now, &share);
		u->ul_packets += share.ul_packets;
		u->ul_bytes += share.ul_bytes;
		u->dl_packets += share.dl_packets;
		u->dl_bytes += share.dl_bytes;
		u->fast_seen = *now;
		u->fast_seen_set = true;
	}
}

void
rules_fast_baseline(struct rules *r, const struct rules_usage *now)
{
	for (unsigned i = 0; i < r->n_urr; i++)
		if (!r->urr[i].fast_seen_set) {
			r->urr[i].fast_seen = *now;
			r->urr[i].fast_seen_set = true;
		}
}
