/*
 * Junction Inspection's views for the API: the live flows, and a summary of
 * the last minutes by flow, by session and by application. Both run on the
 * event loop between batches, so each is bounded: the flow list keeps only
 * the top entries as it walks the table, and the summary looks at no more
 * than INSPECT_SUMMARY_LIVE live flows besides the history.
 */
#include "inspect/inspect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/inspect_internal.h"

/* Live flows a summary adds to the history, most recently seen first. */
#define INSPECT_SUMMARY_LIVE 65536
/* What a flow the classifier has not named yet is totalled under. */
#define INSPECT_PENDING "Pending"
#define INSPECT_OTHER	"Other"

/* ---------------------------------------------------------------- flows */

struct top_walk {
	const struct inspect *in;
	struct inspect_flow_view *heap; /* a min-heap on bytes, so the root is the one to drop */
	size_t n, max;
};

static void
view_of_record(
    const struct inspect *in, const struct inspect_record *r, struct inspect_flow_view *v)
{
	v->key = r->key;
	memcpy(v->imsi, r->imsi, sizeof(v->imsi));
	memcpy(v->app, r->app, sizeof(v->app));
	v->tcp_flags = r->tcp_flags;
	v->packets = r->packets;
	v->bytes = r->bytes;
	v->first_ms = inspect_wall_ms(in, r->start_ms);
	v->last_ms = inspect_wall_ms(in, r->end_ms);
}

/* A live flow over its whole life so far. */
static void
view_of(const struct inspect *in, const struct flow *f, struct inspect_flow_view *v)
{
	struct inspect_record r;

	inspect_record_of(f, &r);
	r.packets = f->total_packets;
	r.bytes = f->total_bytes;
	r.start_ms = f->first_ms;
	view_of_record(in, &r, v);
}

static void
swap_views(struct inspect_flow_view *a, struct inspect_flow_view *b)
{
	struct inspect_flow_view t = *a;

	*a = *b;
	*b = t;
}

static void
sift_up(struct inspect_flow_view *h, size_t i)
{
	while (i > 0 && h[(i - 1) / 2].bytes > h[i].bytes) {
		swap_views(&h[(i - 1) / 2], &h[i]);
		i = (i - 1) / 2;
	}
}

static void
sift_down(struct inspect_flow_view *h, size_t n, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;

		if (l < n && h[l].bytes < h[least].bytes)
			least = l;
		if (r < n && h[r].bytes < h[least].bytes)
			least = r;
		if (least == i)
			return;
		swap_views(&h[i], &h[least]);
		i = least;
	}
}

static int
keep_if_top(void *arg, const struct flow *f)
{
	struct top_walk *w = arg;

	if (w->n < w->max) {
		view_of(w->in, f, &w->heap[w->n]);
		sift_up(w->heap, w->n++);
	} else if (w->max > 0 && f->total_bytes > w->heap[0].bytes) {
		view_of(w->in, f, &w->heap[0]);
		sift_down(w->heap, w->n, 0);
	}
	return 0;
}

static int
by_bytes_desc(const void *a, const void *b)
{
	uint64_t x = ((const struct inspect_flow_view *)a)->bytes;
	uint64_t y = ((const struct inspect_flow_view *)b)->bytes;

	return x < y ? 1 : x > y ? -1 : 0;
}

long
inspect_flows(struct inspect *in, struct inspect_flow_view *out, size_t max)
{
	struct top_walk w = { .in = in, .heap = out, .max = max };

	if (!inspect_active(in))
		return -EINVAL;
	inspect_fast_collect(in);
	flow_table_foreach(in->flows, keep_if_top, &w);
	qsort(out, w.n, sizeof(*out), by_bytes_desc);
	return flow_table_count(in->flows);
}

/* ---------------------------------------------------------------- summary */

struct gather {
	struct inspect_record *items;
	size_t n, cap;
	uint64_t cutoff_ms;
	bool truncated;
};

/* The live flows' current intervals: what the history does not hold yet. */
static int
gather_live(void *arg, const struct flow *f)
{
	struct gather *g = arg;

	/* Most recently seen first: the first one older than the window ends the walk. */
	if (f->last_ms < g->cutoff_ms)
		return 1;
	if (f->packets == 0)
		return 0;
	if (g->n == g->cap) {
		g->truncated = true;
		return 1;
	}
	inspect_record_of(f, &g->items[g->n++]);
	return 0;
}

static void
gather_history(const struct inspect *in, struct gather *g)
{
	uint64_t held = in->history_next < INSPECT_HISTORY ? in->history_next : INSPECT_HISTORY;
	uint64_t oldest = in->history_next - held;

	for (uint64_t i = oldest; i < in->history_next; i++) {
		const struct inspect_record *r = &in->history[i % INSPECT_HISTORY];

		if (r->end_ms >= g->cutoff_ms)
			g->items[g->n++] = *r;
	}
	/* A full ring whose oldest record is inside the window has lost older ones. */
	if (in->history_next > INSPECT_HISTORY &&
	    in->history[oldest % INSPECT_HISTORY].end_ms >= g->cutoff_ms)
		g->truncated = true;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct flow_key *x = &((const struct inspect_record *)a)->key;
	const struct flow_key *y = &((const struct inspect_record *)b)->key;

	if (x->saddr != y->saddr)
		return x->saddr < y->saddr ? -1 : 1;
	if (x->daddr != y->daddr)
		return x->daddr < y->daddr ? -1 : 1;
	if (x->sport != y->sport)
		return x->sport < y->sport ? -1 : 1;
	if (x->dport != y->dport)
		return x->dport < y->dport ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return (x->dir > y->dir) - (x->dir < y->dir);
}

static void
fold(struct inspect_record *into, const struct inspect_record *r)
{
	into->packets += r->packets;
	into->bytes += r->bytes;
	into->tcp_flags |= r->tcp_flags;
	if (r->start_ms < into->start_ms)
		into->start_ms = r->start_ms;
	if (r->end_ms > into->end_ms)
		into->end_ms = r->end_ms;
	if (r->app[0] != '\0')
		memcpy(into->app, r->app, sizeof(into->app));
}

/* Folds the intervals of each flow into one item; returns how many flows there are. */
static size_t
merge_by_flow(struct inspect_record *r, size_t n)
{
	size_t out = 0;

	qsort(r, n, sizeof(*r), key_cmp);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && key_cmp(&r[out - 1], &r[i]) == 0)
			fold(&r[out - 1], &r[i]);
		else
			r[out++] = r[i];
	}
	return out;
}

static int
record_bytes_desc(const void *a, const void *b)
{
	uint64_t x = ((const struct inspect_record *)a)->bytes;
	uint64_t y = ((const struct inspect_record *)b)->bytes;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int
total_bytes_desc(const void *a, const void *b)
{
	uint64_t x = ((const struct inspect_total *)a)->bytes;
	uint64_t y = ((const struct inspect_total *)b)->bytes;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int
imsi_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct inspect_record *)a)->imsi, ((const struct inspect_record *)b)->imsi);
}

static void
add_to(struct inspect_total *t, const struct inspect_record *r)
{
	t->packets += r->packets;
	t->bytes += r->bytes;
	t->flows++;
}

static void
sum_apps(struct inspect_summary *out, const struct inspect_record *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = r[i].app[0] != '\0' ? r[i].app : INSPECT_PENDING;
		size_t a;

		for (a = 0; a < out->n_apps && strcmp(out->apps[a].name, name) != 0; a++)
			;
		if (a == out->n_apps) {
			/* The last row gathers whatever does not get a row of its own. */
			if (out->n_apps == INSPECT_APPS_MAX - 1)
				name = INSPECT_OTHER;
			if (a == INSPECT_APPS_MAX)
				a = INSPECT_APPS_MAX - 1;
			else
				out->n_apps++;
			snprintf(out->apps[a].name, sizeof(out->apps[a].name), "%s", name);
		}
		add_to(&out->apps[a], &r[i]);
	}
	qsort(out->apps, out->n_apps, sizeof(out->apps[0]), total_bytes_desc);
}

/*
 * Sessions by IMSI, then the top ones by bytes. The totals are sorted in
 * place over the records' array, which is no longer needed by then.
 */
static void
sum_sessions(struct inspect_summary *out, struct inspect_record *r, size_t n, size_t top)
{
	struct inspect_total *t = malloc((n > 0 ? n : 1) * sizeof(*t));
	size_t k = 0;

	if (t == NULL)
		return;
	qsort(r, n, sizeof(*r), imsi_cmp);
	for (size_t i = 0; i < n; i++) {
		if (k == 0 || strcmp(t[k - 1].name, r[i].imsi) != 0) {
			memset(&t[k], 0, sizeof(t[k]));
			snprintf(t[k].name, sizeof(t[k].name), "%s", r[i].imsi);
			k++;
		}
		add_to(&t[k - 1], &r[i]);
	}
	qsort(t, k, sizeof(*t), total_bytes_desc);
	out->n_sessions = k < top ? k : top;
	memcpy(out->sessions, t, out->n_sessions * sizeof(*t));
	free(t);
}

static void
top_flows(const struct inspect *in, struct inspect_summary *out, struct inspect_record *r, size_t n,
    size_t top)
{
	qsort(r, n, sizeof(*r), record_bytes_desc);
	out->n_top = n < top ? n : top;
	for (size_t i = 0; i < out->n_top; i++)
		view_of_record(in, &r[i], &out->top[i]);
}

int
inspect_summarize(
    struct inspect *in, uint32_t window_s, size_t top, uint64_t now_ms, struct inspect_summary *out)
{
	uint64_t window_ms = (uint64_t)window_s * 1000;
	struct gather g = { .cutoff_ms = now_ms > window_ms ? now_ms - window_ms : 0 };
	size_t n;

	if (!inspect_active(in))
		return -EINVAL;
	inspect_fast_collect(in);
	memset(out, 0, sizeof(*out));
	out->window_s = window_s;
	top = top < INSPECT_TOP_MAX ? top : INSPECT_TOP_MAX;
	g.cap = INSPECT_HISTORY + INSPECT_SUMMARY_LIVE;
	g.items = malloc(g.cap * sizeof(*g.items));
	if (g.items == NULL)
		return -ENOMEM;
	gather_history(in, &g);
	g.cap = g.n + INSPECT_SUMMARY_LIVE;
	flow_table_foreach(in->flows, gather_live, &g);
	n = merge_by_flow(g.items, g.n);
	out->truncated = g.truncated;
	for (size_t i = 0; i < n; i++) {
		out->packets += g.items[i].packets;
		out->bytes += g.items[i].bytes;
	}
	out->flows = n;
	sum_apps(out, g.items, n);
	top_flows(in, out, g.items, n, top);
	sum_sessions(out, g.items, n, top);
	free(g.items);
	return 0;
}
