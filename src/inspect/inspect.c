/*
 * Junction Inspection, the live side: the packet hook, the timers, and the
 * configuration. See inspect.h for what it does; inspect_report.c builds the
 * API's views.
 */
#include "inspect/inspect.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inspect/classify.h"
#include "core/counters.h"
#include "inspect/flow_export.h"
#include "inspect/inspect_internal.h"
#include "core/session.h"

/* Conversations nDPI may look at together; each context costs under 1 KiB. */
#define INSPECT_CLASSIFY_CONTEXTS 4096
/* RFC 7011 §3.1: ours is one Observation Domain. */
#define INSPECT_DOMAIN_ID 1

static uint64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sync_wall_clock(struct inspect *in)
{
	in->wall_offset_ms = (int64_t)clock_ms(CLOCK_REALTIME) - (int64_t)clock_ms(CLOCK_MONOTONIC);
}

uint64_t
inspect_wall_ms(const struct inspect *in, uint64_t mono_ms)
{
	return (uint64_t)((int64_t)mono_ms + in->wall_offset_ms);
}

struct inspect *
inspect_new(void)
{
	return calloc(1, sizeof(struct inspect));
}

/* ---------------------------------------------------------------- export */

void
inspect_record_of(const struct flow *f, struct inspect_record *r)
{
	r->key = f->key;
	memcpy(r->imsi, f->imsi, sizeof(r->imsi));
	memcpy(r->app, f->app, sizeof(r->app));
	r->tcp_flags = f->tcp_flags;
	r->packets = f->packets;
	r->bytes = f->bytes;
	r->start_ms = f->start_ms;
	r->end_ms = f->last_ms;
}

static void
remember(struct inspect *in, const struct flow *f)
{
	inspect_record_of(f, &in->history[in->history_next++ % INSPECT_HISTORY]);
}

/* A flow's interval leaves: to the collectors and to the summary's history. */
static void
report(void *arg, const struct flow *f, bool final)
{
	struct inspect *in = arg;
	struct ipfix_flow_record rec = { .saddr = f->key.saddr,
		.daddr = f->key.daddr,
		.sport = f->key.sport,
		.dport = f->key.dport,
		.proto = f->key.proto,
		.direction = f->key.dir == FLOW_DIR_UPLINK ? IPFIX_DIR_INGRESS : IPFIX_DIR_EGRESS,
		.tcp_flags = f->tcp_flags,
		.octets = f->bytes,
		.packets = f->packets,
		.start_ms = inspect_wall_ms(in, f->start_ms),
		.end_ms = inspect_wall_ms(in, f->last_ms),
		.imsi = f->imsi,
		.app_name = f->app };

	(void) final;
	if (f->packets == 0)
		return;
	remember(in, f);
	flow_exporter_add(in->exp, &rec, clock_ms(CLOCK_MONOTONIC));
}

/* The table was full: its least recently seen flow leaves early, reported. */
static void
evicted(void *arg, const struct flow *f, bool final)
{
	counters_add(VPG_CTR_INSPECT_FLOWS_EVICTED, 1);
	report(arg, f, final);
}

/* Every flow leaves as ended, in budget-sized steps. */
static void
export_all(struct inspect *in, uint64_t now_ms)
{
	while (flow_expire(in->flows, now_ms, 0, 0, report, in) == FLOW_EXPIRE_BUDGET)
		;
}

/* ---------------------------------------------------------------- config */

static bool
timeout_ok(uint32_t s)
{
	return s >= INSPECT_MIN_TIMEOUT_S && s <= INSPECT_MAX_TIMEOUT_S;
}

int
inspect_config_check(const struct inspect_config *cfg, const char **field)
{
	*field = NULL;
	if (cfg->n_collectors < 1 || cfg->n_collectors > INSPECT_MAX_COLLECTORS)
		*field = "collectors";
	for (unsigned i = 0; *field == NULL && i < cfg->n_collectors; i++)
		if (cfg->collectors[i].addr_be == 0 || cfg->collectors[i].port == 0)
			*field = "collectors";
	if (*field == NULL && !timeout_ok(cfg->active_timeout_s))
		*field = "activeTimeout";
	if (*field == NULL && !timeout_ok(cfg->idle_timeout_s))
		*field = "idleTimeout";
	if (*field == NULL &&
	    (cfg->max_flows < INSPECT_MIN_FLOWS || cfg->max_flows > INSPECT_MAX_FLOWS))
		*field = "maxFlows";
	return *field == NULL ? 0 : -EINVAL;
}

/* What the running side holds; swapped in whole, so a failure changes nothing. */
struct inspect_parts {
	struct flow_table *flows;
	struct classifier *cls;
	struct flow_exporter *exp;
	struct inspect_record *history;
};

static void
parts_free(struct inspect_parts *p, uint64_t now_ms)
{
	flow_exporter_free(p->exp, now_ms);
	classifier_free(p->cls);
	flow_table_free(p->flows);
	free(p->history);
}

static int
parts_new(struct inspect *in, uint32_t max_flows, uint32_t source_be, struct inspect_parts *p)
{
	uint32_t contexts =
	    max_flows < INSPECT_CLASSIFY_CONTEXTS ? max_flows : INSPECT_CLASSIFY_CONTEXTS;

	memset(p, 0, sizeof(*p));
	p->exp = flow_exporter_new(source_be, INSPECT_DOMAIN_ID);
	if (p->exp == NULL)
		return -errno;
	p->flows = flow_table_new(max_flows, evicted, in);
	if (p->flows != NULL && in->fast != NULL)
		flow_table_set_refresh(p->flows, inspect_fast_refresh, in);
	p->cls = classifier_new(contexts);
	p->history = calloc(INSPECT_HISTORY, sizeof(*p->history));
	if (p->flows == NULL || p->cls == NULL || p->history == NULL) {
		parts_free(p, 0);
		return -ENOMEM;
	}
	return 0;
}

/* Ends what runs: every flow reported, then everything freed. */
static void
stop(struct inspect *in)
{
	uint64_t now = clock_ms(CLOCK_MONOTONIC);
	struct inspect_parts old = { in->flows, in->cls, in->exp, in->history };

	if (in->flows == NULL)
		return;
	sync_wall_clock(in);
	export_all(in, now);
	parts_free(&old, now);
	in->flows = NULL;
	in->cls = NULL;
	in->exp = NULL;
	in->history = NULL;
	in->history_next = 0;
	in->backlog = false;
}

static int
start(struct inspect *in, const struct inspect_config *cfg, uint32_t source_be)
{
	struct inspect_parts p;
	int rc = parts_new(in, cfg->max_flows, source_be, &p);

	if (rc < 0)
		return rc;
	stop(in);
	in->flows = p.flows;
	in->cls = p.cls;
	in->exp = p.exp;
	in->history = p.history;
	sync_wall_clock(in);
	return 0;
}

int
inspect_configure(struct inspect *in, const struct inspect_config *cfg, uint32_t source_be)
{
	const char *field;
	int rc;

	if (inspect_config_check(cfg, &field) < 0)
		return -EINVAL;
	if (!cfg->enabled) {
		stop(in);
	} else if (in->flows == NULL || cfg->max_flows != in->cfg.max_flows) {
		/* A table of another size is a new table: the old one's flows end. */
		if ((rc = start(in, cfg, source_be)) < 0)
			return rc;
	}
	if (in->exp != NULL)
		flow_exporter_set_collectors(in->exp, cfg->collectors, cfg->n_collectors);
	in->cfg = *cfg;
	in->set = true;
	return 0;
}

void
inspect_unset(struct inspect *in)
{
	stop(in);
	in->set = false;
	memset(&in->cfg, 0, sizeof(in->cfg));
}

void
inspect_free(struct inspect *in)
{
	if (in == NULL)
		return;
	stop(in);
	free(in);
}

const struct inspect_config *
inspect_get_config(const struct inspect *in)
{
	return in->set ? &in->cfg : NULL;
}

bool
inspect_active(const struct inspect *in)
{
	return in != NULL && in->flows != NULL;
}

/* ---------------------------------------------------------------- packets */

/* RFC 7125: tcpControlBits is the TCP header's flags word without the data offset. */
static uint16_t
tcp_flags_of(const uint8_t *l4, size_t l4_len)
{
	if (l4_len < 14)
		return 0;
	return (uint16_t)((l4[12] & 0x0f) << 8 | l4[13]);
}

/*
 * The key of pkt. Ports come from the first fragment only; ICMP puts type
 * and code where the destination port goes, as NetFlow and IPFIX
 * collectors expect. False for a packet too short for an IPv4 header.
 */
static bool
key_of(const uint8_t *pkt, size_t len, enum flow_dir dir, struct flow_key *k, uint16_t *flags)
{
	size_t ihl;
	const uint8_t *l4;
	size_t l4_len;
	bool first_fragment;

	if (len < 20 || (pkt[0] >> 4) != 4 || (ihl = (size_t)(pkt[0] & 0x0f) * 4) < 20 || ihl > len)
		return false;
	memset(k, 0, sizeof(*k));
	memcpy(&k->saddr, pkt + 12, 4);
	memcpy(&k->daddr, pkt + 16, 4);
	k->proto = pkt[9];
	k->dir = (uint8_t)dir;
	*flags = 0;
	l4 = pkt + ihl;
	l4_len = len - ihl;
	first_fragment = ((pkt[6] & 0x1f) | pkt[7]) == 0;
	if (!first_fragment)
		return true;
	if ((k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP || k->proto == IPPROTO_SCTP) &&
	    l4_len >= 4) {
		k->sport = (uint16_t)(l4[0] << 8 | l4[1]);
		k->dport = (uint16_t)(l4[2] << 8 | l4[3]);
	} else if (k->proto == IPPROTO_ICMP && l4_len >= 2) {
		k->dport = (uint16_t)(l4[0] << 8 | l4[1]);
	}
	if (k->proto == IPPROTO_TCP)
		*flags = tcp_flags_of(l4, l4_len);
	return true;
}

static void
reverse_key(const struct flow_key *k, struct flow_key *r)
{
	*r = (struct flow_key){ .saddr = k->daddr,
		.daddr = k->saddr,
		.sport = k->dport,
		.dport = k->sport,
		.proto = k->proto,
		.dir = k->dir == FLOW_DIR_UPLINK ? FLOW_DIR_DOWNLINK : FLOW_DIR_UPLINK };
}

static void
set_app(struct flow *f, const char *name)
{
	snprintf(f->app, sizeof(f->app), "%s", name);
	f->classified = true;
}

/* The conversation as the classifier knows it: the device's side first. */
static void
conversation_of(const struct flow_key *k, struct classify_key *c)
{
	bool up = k->dir == FLOW_DIR_UPLINK;

	*c = (struct classify_key){ .device_be = up ? k->saddr : k->daddr,
		.peer_be = up ? k->daddr : k->saddr,
		.device_port = up ? k->sport : k->dport,
		.peer_port = up ? k->dport : k->sport,
		.proto = k->proto };
}

/* Both directions of a conversation carry the name the classifier gave it. */
static void
classify(struct inspect *in, struct flow *f, const uint8_t *pkt, size_t len, uint64_t now_ms)
{
	struct classify_key ck;
	struct flow_key rk;
	struct flow *back;
	char name[CLASSIFY_NAME_LEN];
	enum classify_result r;

	conversation_of(&f->key, &ck);
	r = classifier_packet(in->cls, &ck, pkt, len, now_ms, name);
	if (r == CLASSIFY_PENDING)
		return;
	if (r == CLASSIFY_NO_CONTEXT)
		counters_add(VPG_CTR_INSPECT_CLASSIFIER_FULL, 1);
	else if (strcmp(name, CLASSIFY_UNKNOWN) == 0)
		counters_add(VPG_CTR_INSPECT_CLASSIFY_GAVE_UP, 1);
	else
		counters_add(VPG_CTR_INSPECT_FLOWS_CLASSIFIED, 1);
	set_app(f, name);
	reverse_key(&f->key, &rk);
	back = flow_lookup(in->flows, &rk);
	if (back != NULL) {
		set_app(back, name);
		inspect_fast_take(in, back);
	}
}

void
inspect_packet(struct inspect *in, const struct session *s, const uint8_t *pkt, size_t len,
    enum flow_dir dir, uint64_t now_ms)
{
	struct flow_key k, rk;
	struct flow *f;
	const struct flow *back;
	uint16_t flags;

	if (in == NULL || in->flows == NULL || !key_of(pkt, len, dir, &k, &flags))
		return;
	if (flow_update(in->flows, &k, s->imsi, (uint32_t)len, flags, now_ms, &f) == 1) {
		counters_add(VPG_CTR_INSPECT_FLOWS_CREATED, 1);
		/* The answer of a conversation already named is named too. */
		reverse_key(&k, &rk);
		back = flow_lookup(in->flows, &rk);
		if (back != NULL && back->classified)
			set_app(f, back->app);
	}
	if (!f->classified)
		classify(in, f, pkt, len, now_ms);
	/* Done with its packets: the fast path may carry the rest. */
	inspect_fast_take(in, f);
}

/* ---------------------------------------------------------------- timers */

bool
inspect_tick(struct inspect *in, uint64_t now_ms)
{
	uint64_t active_ms, idle_ms;
	uint32_t n;

	if (in == NULL || in->flows == NULL)
		return false;
	if (!in->backlog && now_ms - in->last_tick_ms < INSPECT_TICK_MS)
		return false;
	in->last_tick_ms = now_ms;
	sync_wall_clock(in);
	active_ms = (uint64_t)in->cfg.active_timeout_s * 1000;
	idle_ms = (uint64_t)in->cfg.idle_timeout_s * 1000;
	n = flow_expire(in->flows, now_ms, active_ms, idle_ms, report, in);
	in->backlog = n == FLOW_EXPIRE_BUDGET;
	/* A conversation nDPI has not named within the idle time has ended unnamed. */
	classifier_expire(in->cls, now_ms, idle_ms);
	flow_exporter_flush(in->exp, now_ms);
	return in->backlog;
}

void
inspect_get_stats(const struct inspect *in, struct inspect_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (in == NULL || in->flows == NULL)
		return;
	st->flows = flow_table_count(in->flows);
	st->max_flows = in->cfg.max_flows;
	st->classifying = classifier_active(in->cls);
	st->history = in->history_next < INSPECT_HISTORY ? in->history_next : INSPECT_HISTORY;
}
