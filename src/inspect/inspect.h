/*
 * Junction Inspection: flow statistics with application identification,
 * exported as IPFIX. Every IPv4 packet a device sends or receives is
 * counted in a bounded flow table (src/inspect/flow.c); each new conversation's
 * first packets go through nDPI (src/inspect/classify.c) until it names the
 * application; flows that end, or whose active interval is over, are
 * exported to the collectors (src/inspect/flow_export.c) and kept in a short
 * history for the API's summary.
 *
 * Nothing is allocated while inspection is off. The data path calls
 * inspect_packet, which never blocks; its tables are allocated when
 * inspection is enabled, and only nDPI allocates while it looks into a
 * conversation (freed with the conversation's context). The control
 * thread calls inspect_tick, holding the tables between batches.
 */
#ifndef VPG_INSPECT_INSPECT_H
#define VPG_INSPECT_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inspect/flow.h"

#define INSPECT_MAX_COLLECTORS	  4
#define INSPECT_DEFAULT_ACTIVE_S  60
#define INSPECT_DEFAULT_IDLE_S	  15
#define INSPECT_DEFAULT_MAX_FLOWS 65536
#define INSPECT_MIN_TIMEOUT_S	  1
#define INSPECT_MAX_TIMEOUT_S	  86400
#define INSPECT_MIN_FLOWS	  16
#define INSPECT_MAX_FLOWS	  4194304
/* Flows and sessions a summary ranks, at most. */
#define INSPECT_TOP_MAX 100
/* Application names a summary totals; the rest are added to "Other". */
#define INSPECT_APPS_MAX	 64
#define INSPECT_DEFAULT_WINDOW_S 300
#define INSPECT_MAX_WINDOW_S	 3600

struct datapath;
struct session;

struct inspect_collector {
	uint32_t addr_be;
	uint16_t port; /* host order */
};

struct inspect_config {
	bool enabled;
	unsigned n_collectors; /* 1..INSPECT_MAX_COLLECTORS */
	struct inspect_collector collectors[INSPECT_MAX_COLLECTORS];
	uint32_t active_timeout_s; /* INSPECT_MIN_TIMEOUT_S..INSPECT_MAX_TIMEOUT_S */
	uint32_t idle_timeout_s;   /* the same range */
	uint32_t max_flows;	   /* INSPECT_MIN_FLOWS..INSPECT_MAX_FLOWS */
};

struct inspect;

/* Inspection off; NULL without memory. */
struct inspect *inspect_new(void);
/* Exports what the table holds, then frees everything. */
void inspect_free(struct inspect *in);

/*
 * Checks cfg against the ranges above: 0, or -EINVAL with the name of the
 * first wrong member ("collectors", "activeTimeout", "idleTimeout",
 * "maxFlows") in *field.
 */
int inspect_config_check(const struct inspect_config *cfg, const char **field);

/*
 * Applies cfg to the running gateway. Enabling allocates the flow table and
 * opens the export socket from source_be (the gateway's underlay address,
 * or INADDR_ANY); disabling, or a new max_flows, first exports every flow.
 * Returns 0, -EINVAL for a cfg inspect_config_check refuses, -ENOMEM, or
 * another -errno from the socket; on failure nothing changed.
 */
int inspect_configure(struct inspect *in, const struct inspect_config *cfg, uint32_t source_be);
/* Exports every flow, frees the table and closes the socket; the config is forgotten. */
void inspect_unset(struct inspect *in);
/* The config applied last; NULL when none is (never set, or unset). */
const struct inspect_config *inspect_get_config(const struct inspect *in);
bool inspect_active(const struct inspect *in);

/*
 * The data path: one IPv4 packet (pkt at its header, len its total length)
 * of session s, in direction dir. Does nothing while inspection is off.
 */
void inspect_packet(struct inspect *in, const struct session *s, const uint8_t *pkt, size_t len,
    enum flow_dir dir, uint64_t now_ms);
/*
 * Between batches, as often as the loop likes: at most every
 * INSPECT_TICK_MS (sooner while flows due wait), expires flows by the
 * timeouts, releases classifier contexts, sends templates when due and
 * flushes pending records. Bounded work per call: true when flows due are
 * left for the next call, which may then come at once.
 */
#define INSPECT_TICK_MS 200
bool inspect_tick(struct inspect *in, uint64_t now_ms);

/* One flow as the API shows it; times are ms since the Unix epoch. */
struct inspect_flow_view {
	struct flow_key key;
	char imsi[FLOW_IMSI_LEN];
	char app[FLOW_APP_LEN]; /* "" while the classifier has not decided */
	uint16_t tcp_flags;
	uint64_t packets, bytes; /* over the flow's whole life so far, or the window */
	uint64_t first_ms, last_ms;
};

/*
 * The live flows, most bytes first: up to max in out. Returns how many flows
 * the table holds (may be more than max). Allocates a sort array; -ENOMEM.
 * Merges what the fast path counted first, as inspect_summarize does.
 */
long inspect_flows(struct inspect *in, struct inspect_flow_view *out, size_t max);

struct inspect_total {
	char name[FLOW_APP_LEN]; /* application name, or IMSI for a session */
	uint64_t packets, bytes, flows;
};

/* What inspection saw over the last window_s seconds. */
struct inspect_summary {
	uint32_t window_s;
	uint64_t packets, bytes, flows; /* all together */
	size_t n_top;
	struct inspect_flow_view top[INSPECT_TOP_MAX]; /* most bytes first */
	size_t n_sessions;
	struct inspect_total sessions[INSPECT_TOP_MAX]; /* most bytes first */
	size_t n_apps;
	struct inspect_total apps[INSPECT_APPS_MAX]; /* most bytes first */
	bool truncated; /* the history did not reach back over the whole window */
};

/*
 * Fills *out (top flows and sessions: up to top of each) from the flows of
 * the last window_s seconds. 0, -ENOMEM, or -EINVAL while inspection is off.
 */
int inspect_summarize(struct inspect *in, uint32_t window_s, size_t top, uint64_t now_ms,
    struct inspect_summary *out);

/*
 * A fast path that carries flows Inspection is done classifying (the XDP
 * program, fwd/xdp_flows.c) and counts their packets for it. Every call is
 * made by the thread that holds the tables.
 */
struct inspect_fast_path {
	/* Takes flow k over, its counts at zero: 0, or -errno (the flow stays here). */
	int (*take)(void *arg, const struct flow_key *k);
	/*
	 * What it counted for k since it took it over; with last, it lets the
	 * flow go as well. 0, -ENOENT when it holds no entry for k, or -errno.
	 */
	int (*read)(void *arg, const struct flow_key *k, bool last, struct flow_fast_counts *out);
	/* Calls fn for every flow it holds; bounded by its size. */
	void (*read_all)(void *arg,
	    void (*fn)(void *ctx, const struct flow_key *k, const struct flow_fast_counts *c),
	    void *ctx);
};

/*
 * Hands the flows the classifier is done with to fp from now on (NULL: to
 * none). Unhooking first merges everything the old fast path counted.
 */
void inspect_set_fast_path(struct inspect *in, const struct inspect_fast_path *fp, void *arg);

/* Figures for /v1/stats and /metrics. */
struct inspect_stats {
	uint64_t flows;	      /* in the table now */
	uint64_t max_flows;   /* the table's size, 0 while off */
	uint64_t classifying; /* conversations in the classifier now */
	uint64_t history;     /* records the summary can look back over */
};
void inspect_get_stats(const struct inspect *in, struct inspect_stats *st);

#endif
