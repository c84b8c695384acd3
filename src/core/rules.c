#include "core/rules.h"

#include <stddef.h>
#include <string.h>

/* Set by rules_apply when a URR meets a trigger; the UPF role sends the reports. */
unsigned rules_reports_waiting;

static enum rules_fault
fault(struct rules_fault_at *at, enum rules_fault f, char kind, uint32_t id)
{
	at->fault = f;
	at->kind = kind;
	at->id = id;
	return f;
}

_Static_assert(offsetof(struct rules_far, id) == 0 && offsetof(struct rules_qer, id) == 0 &&
		   offsetof(struct rules_urr, id) == 0,
    "index_of_id reads the id at the start of each rule");

/* FARs, QERs and URRs all begin with their 32-bit id: one search serves the three. */
static int
index_of_id(const void *base, unsigned n, size_t stride, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (*(const uint32_t *)((const char *)base + i * stride) == id)
			return (int)i;
	return -1;
}

/* O(n^2) over at most RULES_MAX_FAR rules: a rule set is checked when it changes only. */
static bool
duplicate_ids(const void *base, unsigned n, size_t stride, uint32_t *dup)
{
	for (unsigned i = 1; i < n; i++) {
		uint32_t id = *(const uint32_t *)((const char *)base + i * stride);

		if (index_of_id(base, i, stride, id) >= 0) {
			*dup = id;
			return true;
		}
	}
	return false;
}

static int
index_far(const struct rules *r, uint32_t id)
{
	return index_of_id(r->far, r->n_far, sizeof(r->far[0]), id);
}

static int
index_qer(const struct rules *r, uint32_t id)
{
	return index_of_id(r->qer, r->n_qer, sizeof(r->qer[0]), id);
}

static int
index_urr(const struct rules *r, uint32_t id)
{
	return index_of_id(r->urr, r->n_urr, sizeof(r->urr[0]), id);
}

static enum rules_fault
link_pdr(struct rules *r, struct rules_pdr *p, struct rules_fault_at *at)
{
	int i = index_far(r, p->far_id);

	if (i < 0)
		return fault(at, RULES_UNKNOWN_FAR, 'P', p->id);
	p->far = (uint8_t)i;
	for (unsigned k = 0; k < p->n_qer; k++) {
		i = index_qer(r, p->qer_id[k]);
		if (i < 0)
			return fault(at, RULES_UNKNOWN_QER, 'P', p->id);
		p->qer[k] = (uint8_t)i;
	}
	for (unsigned k = 0; k < p->n_urr; k++) {
		i = index_urr(r, p->urr_id[k]);
		if (i < 0)
			return fault(at, RULES_UNKNOWN_URR, 'P', p->id);
		p->urr[k] = (uint8_t)i;
	}
	return RULES_OK;
}

/* Insertion sort: at most RULES_MAX_PDR entries; equal precedence keeps the message's order. */
static void
order_by_precedence(struct rules *r)
{
	for (unsigned i = 0; i < r->n_pdr; i++) {
		unsigned j = i;

		r->order[i] = (uint8_t)i;
		while (j > 0 && r->pdr[r->order[j - 1]].precedence > r->pdr[i].precedence) {
			r->order[j] = r->order[j - 1];
			j--;
		}
		r->order[j] = (uint8_t)i;
	}
}

enum rules_fault
rules_link(struct rules *r, struct rules_fault_at *at)
{
	uint32_t dup;

	for (unsigned i = 0; i < r->n_pdr; i++)
		for (unsigned j = i + 1; j < r->n_pdr; j++)
			if (r->pdr[i].id == r->pdr[j].id)
				return fault(at, RULES_DUPLICATE_ID, 'P', r->pdr[i].id);
	if (duplicate_ids(r->far, r->n_far, sizeof(r->far[0]), &dup))
		return fault(at, RULES_DUPLICATE_ID, 'F', dup);
	if (duplicate_ids(r->qer, r->n_qer, sizeof(r->qer[0]), &dup))
		return fault(at, RULES_DUPLICATE_ID, 'Q', dup);
	if (duplicate_ids(r->urr, r->n_urr, sizeof(r->urr[0]), &dup))
		return fault(at, RULES_DUPLICATE_ID, 'U', dup);
	for (unsigned i = 0; i < r->n_pdr; i++) {
		enum rules_fault f = link_pdr(r, &r->pdr[i], at);

		if (f != RULES_OK)
			return f;
	}
	order_by_precedence(r);
	return fault(at, RULES_OK, 0, 0);
}

struct rules_pdr *
rules_pdr_by_id(struct rules *r, uint16_t id)
{
	for (unsigned i = 0; i < r->n_pdr; i++)
		if (r->pdr[i].id == id)
			return &r->pdr[i];
	return NULL;
}

struct rules_far *
rules_far_by_id(struct rules *r, uint32_t id)
{
	int i = index_far(r, id);

	return i < 0 ? NULL : &r->far[i];
}

struct rules_qer *
rules_qer_by_id(struct rules *r, uint32_t id)
{
	int i = index_qer(r, id);

	return i < 0 ? NULL : &r->qer[i];
}

struct rules_urr *
rules_urr_by_id(struct rules *r, uint32_t id)
{
	int i = index_urr(r, id);

	return i < 0 ? NULL : &r->urr[i];
}

/* Closes the gap an element leaves; the order and indexes are redone by rules_link. */
static int
remove_at(void *base, uint8_t *n, size_t size, int i)
{
	if (i < 0)
		return -1;
	memmove((char *)base + (size_t)i * size, (char *)base + ((size_t)i + 1) * size,
	    (size_t)(*n - i - 1) * size);
	(*n)--;
	return 0;
}

int
rules_remove(struct rules *r, char kind, uint32_t id)
{
	int i = -1;

	switch (kind) {
	case 'P':
		for (unsigned k = 0; k < r->n_pdr; k++)
			if (r->pdr[k].id == id)
				i = (int)k;
		return remove_at(r->pdr, &r->n_pdr, sizeof(r->pdr[0]), i);
	case 'F':
		return remove_at(r->far, &r->n_far, sizeof(r->far[0]), index_far(r, id));
	case 'Q':
		return remove_at(r->qer, &r->n_qer, sizeof(r->qer[0]), index_qer(r, id));
	case 'U':
		return remove_at(r->urr, &r->n_urr, sizeof(r->urr[0]), index_urr(r, id));
	}
	return -1;
}

static bool
port_in(uint16_t port, uint16_t lo, uint16_t hi)
{
	return port >= lo && port <= hi;
}

static bool
sdf_matches(const struct rules_sdf *f, const struct rules_pkt *p, bool uplink)
{
	/* The filter names the remote end first: uplink, that is the destination. */
	uint32_t remote = uplink ? p->dst_be : p->src_be;
	uint32_t ue = uplink ? p->src_be : p->dst_be;
	uint16_t remote_port = uplink ? p->dport : p->sport;
	uint16_t ue_port = uplink ? p->sport : p->dport;

	if (f->ipv6 || (f->proto != 0 && f->proto != p->proto))
		return false;
	if ((remote & f->remote_mask_be) != f->remote_be || (ue & f->ue_mask_be) != f->ue_be)
		return false;
	return port_in(remote_port, f->remote_port_lo, f->remote_port_hi) &&
	       port_in(ue_port, f->ue_port_lo, f->ue_port_hi);
}

static bool
framed_holds(const struct rules_pdr *d, uint32_t addr_be)
{
	for (unsigned i = 0; i < d->n_framed; i++)
		if ((addr_be & d->framed[i].mask_be) == d->framed[i].net_be)
			return true;
	return false;
}

/* The PDI of TS 29.244 §5.2.1: every member present must match. */
static bool
pdr_matches(const struct rules_pdr *d, const struct rules_pkt *p)
{
	bool uplink = !rules_pdr_to_device(d);

	if (d->has_teid != p->tunnelled || (d->has_teid && p->teid != d->teid))
		return false;
	if (d->has_qfi && (!p->has_qfi || p->qfi != d->qfi))
		return false;
	if (d->has_ue_ip) {
		uint32_t ue = uplink ? p->src_be : p->dst_be;
		bool routed = uplink ? p->src_routed : p->dst_routed;

		/* A LAN behind the device (Framed-Route, SIM-based routing) is the device's too. */
		if (ue != d->ue_ip_be && !routed && !framed_holds(d, ue))
			return false;
	}
	if (d->n_sdf == 0)
		return true;
	for (unsigned i = 0; i < d->n_sdf; i++)
		if (sdf_matches(&d->sdf[i], p, uplink))
			return true;
	return false;
}

const struct rules_pdr *
rules_match(const struct rules *r, const struct rules_pkt *p)
{
	for (unsigned i = 0; i < r->n_pdr; i++) {
		const struct rules_pdr *d = &r->pdr[r->order[i]];

		if (pdr_matches(d, p))
			return d;
	}
	return NULL;
}

const struct rules_pdr *
rules_framed_match(const struct rules *r, uint32_t dst_be)
{
	for (unsigned i = 0; i < r->n_pdr; i++) {
		const struct rules_pdr *d = &r->pdr[r->order[i]];

		if (d->src_iface != RULES_IF_ACCESS && framed_holds(d, dst_be))
			return d;
	}
	return NULL;
}

/* Token bucket with one second of burst: refilled by the elapsed time, then spent. */
static bool
bucket_take(struct rules_bucket *b, uint32_t len, uint64_t now_ms)
{
	uint64_t bits = (uint64_t)len * 8;

	if (b->rate_bps == 0)
		return true;
	if (now_ms > b->last_ms) {
		uint64_t add = (now_ms - b->last_ms) * b->rate_bps / 1000;

		b->tokens = b->tokens + add > b->rate_bps ? b->rate_bps : b->tokens + add;
		b->last_ms = now_ms;
	}
	if (b->tokens < bits)
		return false;
	b->tokens -= bits;
	return true;
}

static enum rules_verdict
police(struct rules *r, const struct rules_pdr *d, const struct rules_pkt *p, uint64_t now_ms)
{
	bool uplink = !rules_pdr_to_device(d);

	for (unsigned k = 0; k < d->n_qer; k++) {
		struct rules_qer *q = &r->qer[d->qer[k]];

		if (!(uplink ? q->ul_open : q->dl_open))
			return RULES_DROP_GATE;
		if (!bucket_take(uplink ? &q->ul : &q->dl, p->len, now_ms))
			return RULES_DROP_MBR;
	}
	for (unsigned k = 0; k < d->n_urr; k++)
		if (r->urr[d->urr[k]].quota_exhausted)
			return RULES_DROP_QUOTA;
	return RULES_FORWARD;
}

static bool
volume_reached(const struct rules_volume *v, const struct rules_urr *u)
{
	return (v->has_total && u->ul_bytes + u->dl_bytes >= v->total) ||
	       (v->has_ul && u->ul_bytes >= v->ul) || (v->has_dl && u->dl_bytes >= v->dl);
}

static void
note(struct rules_urr *u, uint32_t trigger)
{
	if ((u->triggers & trigger) && !(u->pending & trigger)) {
		u->pending |= trigger;
		rules_reports_waiting++;
	}
}

static void
measure(struct rules_urr *u, const struct rules_pkt *p, bool uplink, uint64_t now_ms)
{
	if (uplink) {
		u->ul_bytes += p->len;
		u->ul_packets++;
	} else {
		u->dl_bytes += p->len;
		u->dl_packets++;
	}
	if (u->first_ms == 0)
		u->first_ms = now_ms;
	u->last_ms = now_ms;
	if (u->measure_volume && volume_reached(&u->threshold, u))
		note(u, RULES_TRIG_VOLTH);
	if (u->measure_volume && volume_reached(&u->quota, u)) {
		u->quota_exhausted = (u->triggers & RULES_TRIG_VOLQU) != 0;
		note(u, RULES_TRIG_VOLQU);
	}
}

enum rules_verdict
rules_apply(struct rules *r, const struct rules_pdr *d, const struct rules_pkt *p, uint64_t now_ms,
    const struct rules_far **far)
{
	const struct rules_far *f = &r->far[d->far];
	enum rules_verdict v;

	if (f->apply & (RULES_ACT_BUFF | RULES_ACT_NOCP))
		return RULES_DROP_BUFFER;
	if (!(f->apply & RULES_ACT_FORW))
		return RULES_DROP_FAR;
	v = police(r, d, p, now_ms);
	if (v != RULES_FORWARD)
		return v;
	for (unsigned k = 0; k < d->n_urr; k++)
		measure(&r->urr[d->urr[k]], p, !rules_pdr_to_device(d), now_ms);
	*far = f;
	return RULES_FORWARD;
}

static void
check_timers(struct rules_urr *u, uint64_t now_ms)
{
	uint64_t elapsed_s = (now_ms - u->start_ms) / 1000;

	if (u->period_s != 0 && now_ms >= u->next_period_ms) {
		note(u, RULES_TRIG_PERIO);
		u->next_period_ms += (uint64_t)u->period_s * 1000;
	}
	if (!u->measure_duration)
		return;
	if (u->time_threshold_s != 0 && elapsed_s >= u->time_threshold_s)
		note(u, RULES_TRIG_TIMTH);
	if (u->time_quota_s != 0 && elapsed_s >= u->time_quota_s) {
		u->quota_exhausted = (u->triggers & RULES_TRIG_TIMQU) != 0;
		note(u, RULES_TRIG_TIMQU);
	}
}

bool
rules_reports_due(struct rules *r, uint64_t now_ms)
{
	bool due = false;

	for (unsigned i = 0; i < r->n_urr; i++) {
		check_timers(&r->urr[i], now_ms);
		due = due || r->urr[i].pending != 0;
	}
	return due;
}

void
rules_start(struct rules *r, uint64_t now_ms)
{
	for (unsigned i = 0; i < r->n_urr; i++) {
		struct rules_urr *u = &r->urr[i];

		if (u->start_ms == 0) {
			u->start_ms = now_ms;
			u->next_period_ms = now_ms + (uint64_t)u->period_s * 1000;
		}
	}
}

void
rules_urr_reported(struct rules_urr *u, uint64_t now_ms)
{
	for (uint32_t bits = u->pending; bits != 0; bits &= bits - 1)
		if (rules_reports_waiting > 0)
			rules_reports_waiting--;
	u->pending = 0;
	u->ul_bytes = u->dl_bytes = u->ul_packets = u->dl_packets = 0;
	u->first_ms = u->last_ms = 0;
	u->start_ms = now_ms;
	u->seqn++;
}
