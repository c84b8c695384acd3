#include "fwd/xdp_upf.h"

#include <arpa/inet.h>
#include <string.h>

#include "core/rules_fast.h"
#include "core/session.h"

static void
bucket_of(const struct rules_bucket *b, struct xdp_bucket *out)
{
	if (b == NULL)
		return;
	out->rate_bps = b->rate_bps;
	out->tokens = b->tokens;
	out->last_ms = b->last_ms;
}

bool
xdp_upf_entry(const struct session *s, struct xdp_session *e, struct xdp_upf *out)
{
	struct rules_fast_plan plan;

	memset(out, 0, sizeof(*out));
	if (!(s->flags & SESSION_F_RULES) || s->rules == NULL ||
	    !rules_fast_plan(s->rules, s->teid, s->ip_be, &plan)) {
		e->flags = (e->flags & ~(__u32)XDP_SESSION_F_UPF) | XDP_SESSION_F_SLOW;
		return false;
	}
	if (!plan.ul.open)
		out->flags |= XDP_UPF_UL_CLOSED;
	if (!plan.dl.open)
		out->flags |= XDP_UPF_DL_CLOSED;
	if (plan.ul.has_qfi) {
		out->flags |= XDP_UPF_UL_QFI;
		out->ul_qfi = plan.ul.qfi;
	}
	if (plan.dl.has_qfi) {
		out->flags |= XDP_UPF_DL_QFI;
		out->dl_qfi = plan.dl.qfi;
	}
	bucket_of(plan.ul.mbr, &out->ul);
	bucket_of(plan.dl.mbr, &out->dl);
	/* The tunnel the downlink PDR's FAR names, whatever the session shows. */
	e->peer_teid_be = htonl(plan.dl_teid);
	e->peer_addr_be = plan.dl_addr_be;
	e->flags |= XDP_SESSION_F_UPF;
	return true;
}

void
xdp_upf_keep_buckets(struct xdp_upf *next, const struct xdp_upf *cur)
{
	if (next->ul.rate_bps != 0 && next->ul.rate_bps == cur->ul.rate_bps)
		next->ul = cur->ul;
	if (next->dl.rate_bps != 0 && next->dl.rate_bps == cur->dl.rate_bps)
		next->dl = cur->dl;
}
