/*
 * libFuzzer harness for Junction Inspection's packet hook: flow keys read
 * from any bytes (short headers, options, fragments), nDPI fed what a
 * device may send, and the table, classifier and summary kept consistent.
 * The first input byte picks the direction, whether time moves on, and
 * what a fast path (a stand-in for the XDP program's map) does meanwhile:
 * count packets for the flows it holds, or lose one of them as an LRU
 * would; the rest is the packet, copied so that a read past it is caught.
 * Every entry the fast path holds must belong to a flow of the table: a
 * flow's end removes its entry.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/inspect.h"
#include "core/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct inspect *in;
static struct session s = { .imsi = "999010000000001" };
static uint64_t now_ms = 1000;

/* The fast path: a few entries, each a flow's key and what was counted for it. */
#define FAST_MAX 8
static struct {
	bool used;
	struct flow_key k;
	struct flow_fast_counts c;
} fast[FAST_MAX];

static bool
same_key(const struct flow_key *a, const struct flow_key *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr && a->sport == b->sport &&
	       a->dport == b->dport && a->proto == b->proto && a->dir == b->dir;
}

static int
find(const struct flow_key *k)
{
	for (int i = 0; i < FAST_MAX; i++)
		if (fast[i].used && same_key(&fast[i].k, k))
			return i;
	return -1;
}

static int
fast_take(void *arg, const struct flow_key *k)
{
	int i = find(k);

	(void)arg;
	for (int j = 0; i < 0 && j < FAST_MAX; j++)
		if (!fast[j].used)
			i = j;
	if (i < 0)
		return -ENOSPC;
	memset(&fast[i], 0, sizeof(fast[i]));
	fast[i].used = true;
	fast[i].k = *k;
	return 0;
}

static int
fast_read(void *arg, const struct flow_key *k, bool last, struct flow_fast_counts *out)
{
	int i = find(k);

	(void)arg;
	if (i < 0)
		return -ENOENT;
	*out = fast[i].c;
	if (last)
		fast[i].used = false;
	return 0;
}

static void
fast_read_all(void *arg,
    void (*fn)(void *, const struct flow_key *, const struct flow_fast_counts *), void *ctx)
{
	(void)arg;
	for (int i = 0; i < FAST_MAX; i++)
		if (fast[i].used)
			fn(ctx, &fast[i].k, &fast[i].c);
}

static const struct inspect_fast_path fast_path = { fast_take, fast_read, fast_read_all };

/* What the program would do between two packets: count for every entry, or lose one. */
static void
fast_step(uint8_t what)
{
	for (int i = 0; i < FAST_MAX; i++) {
		if (!fast[i].used)
			continue;
		if ((what & 8) && (what >> 5) == i) {
			fast[i].used = false; /* evicted */
			continue;
		}
		fast[i].c.packets++;
		fast[i].c.bytes += 100;
		fast[i].c.last_ms = now_ms;
	}
}

/* Every entry of the fast path belongs to a live flow. */
static void
check_entries(void)
{
	static struct inspect_flow_view v[INSPECT_MIN_FLOWS];
	long n = inspect_flows(in, v, INSPECT_MIN_FLOWS);

	for (int i = 0; i < FAST_MAX; i++) {
		bool live = false;

		for (long j = 0; j < n && !live; j++)
			live = same_key(&v[j].key, &fast[i].k);
		if (fast[i].used && !live)
			abort();
	}
}

static void
start(void)
{
	struct inspect_config cfg = { .enabled = true,
		.n_collectors = 1,
		/* Loopback's discard port: records leave and nobody minds. */
		.collectors = { { htonl(INADDR_LOOPBACK), 9 } },
		.active_timeout_s = 1,
		.idle_timeout_s = 1,
		.max_flows = INSPECT_MIN_FLOWS };

	in = inspect_new();
	if (in == NULL || inspect_configure(in, &cfg, htonl(INADDR_LOOPBACK)) != 0)
		abort();
	inspect_set_fast_path(in, &fast_path, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inspect_stats st;
	uint8_t *pkt;

	if (in == NULL)
		start();
	if (size < 1)
		return 0;
	pkt = malloc(size - 1 > 0 ? size - 1 : 1);
	if (pkt == NULL)
		return 0;
	memcpy(pkt, data + 1, size - 1);
	inspect_packet(
	    in, &s, pkt, size - 1, data[0] & 1 ? FLOW_DIR_DOWNLINK : FLOW_DIR_UPLINK, now_ms);
	free(pkt);
	if (data[0] & 4)
		fast_step(data[0]);
	if (data[0] & 2) {
		now_ms += 700;
		inspect_tick(in, now_ms);
	}
	inspect_get_stats(in, &st);
	if (st.flows > INSPECT_MIN_FLOWS)
		abort();
	check_entries();
	return 0;
}
