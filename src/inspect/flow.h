/*
 * The flow table of Junction Inspection: per-flow packet and byte counts,
 * first and last seen, the TCP flags seen and the application protocol, for
 * export as IPFIX. A pure data structure: no I/O, no clock (the caller
 * passes now_ms), and every byte is allocated at creation for max_flows
 * flows, so the data path never allocates. Lookups are O(1) through
 * src/core/hmap.c; expiry and eviction are O(1) per flow.
 */
#ifndef VPG_INSPECT_FLOW_H
#define VPG_INSPECT_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#define FLOW_IMSI_LEN 16 /* 15 digits at most (TS 23.003 §2.2) and a NUL */
#define FLOW_APP_LEN  32
/* Flows one flow_expire call may emit; see flow_expire in flow.c. */
#define FLOW_EXPIRE_BUDGET 256

enum flow_dir {
	FLOW_DIR_UPLINK = 0,   /* from a device */
	FLOW_DIR_DOWNLINK = 1, /* to a device */
};

/* What tells one flow from another. */
struct flow_key {
	uint32_t saddr, daddr; /* network order */
	uint16_t sport, dport; /* host order; 0 for a protocol without ports */
	uint8_t proto;
	uint8_t dir; /* enum flow_dir */
};

/*
 * Whether the fast path (XDP) carries a flow's packets: Inspection hands a
 * flow over once the classifier is done with it, and merges what the fast
 * path counted into the flow (flow_merge_fast) before it reports the flow.
 */
enum flow_fast {
	FLOW_FAST_NO = 0,  /* every packet comes through inspect_packet */
	FLOW_FAST_HANDED,  /* the fast path counts its packets */
	FLOW_FAST_REFUSED, /* the fast path had no room: it stays here for good */
};

/* What the fast path counted for a flow since it was handed over: counts that only grow. */
struct flow_fast_counts {
	uint64_t packets, bytes;
	uint64_t last_ms; /* its last packet, on the table's clock; 0: none */
	uint16_t tcp_flags;
};

/*
 * One flow. Counters, flags and start_ms cover the current report interval:
 * they restart when an active timeout reports the flow.
 */
struct flow {
	struct flow_key key;
	char imsi[FLOW_IMSI_LEN];	     /* the device's, set when the flow is created */
	char app[FLOW_APP_LEN];		     /* application protocol, set by the classifier */
	bool classified;		     /* the classifier is done with this flow */
	uint16_t tcp_flags;		     /* OR of the TCP flags seen in the interval */
	uint64_t packets, bytes;	     /* in the interval */
	uint64_t total_packets, total_bytes; /* since the flow began */
	uint64_t first_ms;		     /* first packet of the flow */
	uint64_t start_ms;		     /* first_ms, or when the interval began */
	uint64_t last_ms;		     /* last packet */
	uint8_t fast;			     /* enum flow_fast */
	uint64_t fast_packets, fast_bytes;   /* the fast path's counts merged so far */
};

/*
 * Called for a flow leaving the table (final) or reported by the active
 * timeout (not final). f is valid only during the call, and the callback
 * must not call back into the table.
 */
typedef void (*flow_emit_fn)(void *arg, const struct flow *f, bool final);

struct flow_table;

/*
 * Holds up to max_flows flows (at least 1); a new flow in a full table
 * evicts the least recently seen one, handed to evict (which may be NULL)
 * as final. NULL without memory or for max_flows 0.
 */
struct flow_table *flow_table_new(uint32_t max_flows, flow_emit_fn evict, void *arg);
void flow_table_free(struct flow_table *t);

/*
 * Counts one packet of len octets: creates the flow (imsi may be NULL) or
 * updates it. *f points to it until it expires or is evicted. Returns 1
 * for a new flow, 0 for an existing one.
 */
int flow_update(struct flow_table *t, const struct flow_key *k, const char *imsi, uint32_t len,
    uint16_t tcp_flags, uint64_t now_ms, struct flow **f);
/* The flow with key k, or NULL. */
struct flow *flow_lookup(const struct flow_table *t, const struct flow_key *k);

/*
 * Adds what the fast path counted for f since the last merge (c holds its
 * counts since the hand-over) to the interval and the totals. The TCP flags
 * the fast path saw join the interval's when it counted a packet since the
 * last merge: the fast path keeps one OR since the hand-over, so a flag of
 * an earlier interval may show again (the connection's SYN never does: it
 * comes before the classifier is done). A flow the fast path saw later than
 * the table did takes that time and goes to the recent end, so that the
 * idle timeout counts from its true last packet.
 */
void flow_merge_fast(struct flow_table *t, struct flow *f, const struct flow_fast_counts *c);

/*
 * Called for a flow the fast path carries (FLOW_FAST_HANDED) before the
 * table decides about it: before it is found idle, reported by the active
 * timeout or evicted. The function merges the fast path's counts
 * (flow_merge_fast); last says that the flow leaves the table if it is still
 * idle after the merge, so the fast path may let it go. It must not add or
 * remove flows.
 */
typedef void (*flow_refresh_fn)(void *arg, struct flow *f, bool last);
void flow_table_set_refresh(struct flow_table *t, flow_refresh_fn fn, void *arg);

/*
 * Emits flows idle for idle_ms (final, then removed) and flows whose
 * interval is active_ms old (not final, then their interval restarts), at
 * most FLOW_EXPIRE_BUDGET per call. A flow the fast path carries is idle
 * only if the fast path has not seen it either; one it has seen goes to the
 * recent end, which counts against the budget. Returns the number of flows
 * handled: a full budget means more may be due.
 */
uint32_t flow_expire(struct flow_table *t, uint64_t now_ms, uint64_t active_ms, uint64_t idle_ms,
    flow_emit_fn emit, void *arg);

/*
 * Calls fn for each flow, most recently seen first, until fn returns
 * non-zero (which is returned) or the flows run out (0). fn must not change
 * the table.
 */
int flow_table_foreach(
    const struct flow_table *t, int (*fn)(void *arg, const struct flow *f), void *arg);

uint32_t flow_table_count(const struct flow_table *t);
/* Flows evicted because the table was full, since creation. */
uint64_t flow_table_evicted(const struct flow_table *t);

/*
 * For tests only, before the first flow_update: replaces the key hash, so
 * that tests can make every key collide.
 */
void flow_table_set_hash(struct flow_table *t, uint64_t (*hash)(const struct flow_key *k));

#endif
