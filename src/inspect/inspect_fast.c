/*
 * Junction Inspection with a fast path (the XDP program): a flow's first
 * packets come through inspect_packet, where nDPI names the flow; once the
 * classifier is done with it (named, or given up on), the flow is handed to
 * the fast path, which carries and counts the rest. What it counted is
 * merged into the flow before anything reads the flow's counts: before the
 * flow is found idle, reported by the active timeout, evicted or ended
 * (flow.c asks through its refresh hook), and before the API's views.
 */
#include <errno.h>
#include <stddef.h>

#include "core/counters.h"
#include "inspect/inspect_internal.h"

void
inspect_fast_take(struct inspect *in, struct flow *f)
{
	if (in->fast == NULL || !f->classified || f->fast != FLOW_FAST_NO)
		return;
	if (in->fast->take(in->fast_arg, &f->key) < 0) {
		/* No room: the flow is counted here to its end, as without a fast path. */
		f->fast = FLOW_FAST_REFUSED;
		counters_add(VPG_CTR_INSPECT_FAST_REFUSED, 1);
		return;
	}
	f->fast = FLOW_FAST_HANDED;
	f->fast_packets = f->fast_bytes = 0;
	counters_add(VPG_CTR_INSPECT_FAST_HANDED, 1);
}

void
inspect_fast_refresh(void *arg, struct flow *f, bool last)
{
	struct inspect *in = arg;
	struct flow_fast_counts c;
	int rc;

	if (in->fast == NULL || f->fast != FLOW_FAST_HANDED)
		return;
	rc = in->fast->read(in->fast_arg, &f->key, last, &c);
	if (rc == -ENOENT) {
		/*
		 * The fast path lost the entry (its LRU evicted it): what it counted
		 * since the last merge is gone, and said so. Its next packet comes
		 * here and hands the flow over again.
		 */
		counters_add(VPG_CTR_INSPECT_FAST_LOST, 1);
		f->fast = FLOW_FAST_NO;
		return;
	}
	if (rc < 0)
		return;
	flow_merge_fast(in->flows, f, &c);
	if (last)
		f->fast = FLOW_FAST_NO;
}

static void
merge_one(void *ctx, const struct flow_key *k, const struct flow_fast_counts *c)
{
	struct inspect *in = ctx;
	struct flow *f = flow_lookup(in->flows, k);

	if (f != NULL && f->fast == FLOW_FAST_HANDED)
		flow_merge_fast(in->flows, f, c);
}

/* O(flows the fast path holds), read in batches: for the API's views, not per packet. */
void
inspect_fast_collect(struct inspect *in)
{
	if (in->fast != NULL && in->flows != NULL)
		in->fast->read_all(in->fast_arg, merge_one, in);
}

void
inspect_set_fast_path(struct inspect *in, const struct inspect_fast_path *fp, void *arg)
{
	/*
	 * Flows left marked as handed over stay so harmlessly: without a fast
	 * path nothing reads or hands them, and their packets come here.
	 */
	inspect_fast_collect(in);
	in->fast = fp;
	in->fast_arg = arg;
	if (in->flows != NULL)
		flow_table_set_refresh(in->flows, fp != NULL ? inspect_fast_refresh : NULL, in);
}
