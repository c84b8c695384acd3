/*
 * The gateway's persistent configuration objects, in <stateDirectory>/vpgd.db
 * (SQLite). Every call that changes something is one statement or one
 * transaction, committed and synced before it returns, so the API can answer
 * only after the change would survive a crash. Errors are returned as a
 * negative errno, never printed; store_errmsg says what went wrong for the
 * caller's log.
 */
#ifndef VPG_STORE_STORE_H
#define VPG_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwd/filter.h"
#include "inspect/inspect.h"
#include "proto/pco.h"

#define STORE_FILE "vpgd.db"

struct sim_table;
struct store;

/*
 * Opens (creating when absent, mode 0600) state_dir/vpgd.db and brings its
 * schema up to date. NULL with a one-line message in err on failure,
 * including a database written by a newer vpgd.
 */
struct store *store_open(const char *state_dir, char *err, size_t errlen);
void store_close(struct store *st);
/* The last failure's message, for the log ("" when none). */
const char *store_errmsg(const struct store *st);

/*
 * The IP address map: IMSI -> device address (network order). Put inserts or
 * replaces one IMSI's entry: 0, -EINVAL for a malformed IMSI, -EEXIST when
 * the address is mapped to another IMSI (nothing changed), -EIO otherwise.
 */
int store_map_put(struct store *st, const char *imsi, uint32_t addr_be);
/* 0, -ENOENT when the IMSI has no entry, -EIO. */
int store_map_delete(struct store *st, const char *imsi);
/*
 * Calls fn for every entry, sorted by IMSI; fn must not call the store.
 * Stops at and returns fn's first non-zero value; 0 at the end, -EIO.
 */
int store_map_foreach(
    struct store *st, int (*fn)(void *arg, const char *imsi, uint32_t addr_be), void *arg);

/* The gate's settings (docs/API.md "Gate"): one row, absent until first set. */
struct store_gate {
	bool open;
	uint32_t vni; /* the VXLAN Network Identifier, 1..STORE_VNI_MAX */
	bool privacy_separator;
};

/* RFC 7348 §5: the VNI is 24 bits; 0 is refused, as by the API. */
#define STORE_VNI_MAX 16777215u

/* 0, -ENOENT when the gate was never set (out untouched), -EIO. */
int store_gate_get(struct store *st, struct store_gate *out);
/* Inserts or replaces the row: 0, -EINVAL for a VNI out of range, -EIO. */
int store_gate_put(struct store *st, const struct store_gate *gate);

/*
 * Gate peers, by underlay (outer) and overlay (inner) address, network
 * order. Add: 0, -EEXIST when either address is already a peer's (nothing
 * changed), -EIO. Delete: 0, -ENOENT when no peer has that outer address,
 * -EIO.
 */
int store_gate_peer_add(struct store *st, uint32_t outer_be, uint32_t inner_be);
int store_gate_peer_delete(struct store *st, uint32_t outer_be);
/*
 * Calls fn for every peer, sorted by the outer address's value (10.0.0.9
 * before 10.0.0.10); fn must not call the store. Stops at and returns fn's
 * first non-zero value; 0 at the end, -EIO.
 */
int store_gate_peer_foreach(
    struct store *st, int (*fn)(void *arg, uint32_t outer_be, uint32_t inner_be), void *arg);

/*
 * Junction redirection (docs/API.md "Junction Redirection"): one row, absent
 * until set. The gateway is a gate peer's inner address, network order;
 * that it is one is the caller's to check, here as at restore.
 */
struct store_redirection {
	uint32_t gateway_be;
	bool enabled;
	char description[256]; /* at most 255 bytes, NUL-terminated */
};

/* 0, -ENOENT when none is set, -EIO; out is untouched unless 0. */
int store_redirection_get(struct store *st, struct store_redirection *out);
/*
 * Inserts or replaces the row: 0, -EINVAL when the description has no NUL
 * within its 256 bytes (nothing changed), -EIO.
 */
int store_redirection_put(struct store *st, const struct store_redirection *r);
/* 0, -ENOENT when none is set, -EIO. */
int store_redirection_delete(struct store *st);

/*
 * The routing filter (docs/API.md "Routing filter"), its rules in order.
 * Get: 0 with *n rules in out, -ENOSPC when more than cap are stored, -EIO
 * (also for a row that is not a valid rule); out may be written even when
 * it fails, *n only on 0.
 */
int store_filter_get(struct store *st, struct filter_rule *out, unsigned cap, unsigned *n);
/*
 * Replaces the whole list in one transaction: 0, -EINVAL for more than
 * FILTER_MAX_RULES rules or one filter_set would refuse, -EIO; on failure
 * the stored list is unchanged.
 */
int store_filter_put(struct store *st, const struct filter_rule *rules, unsigned n);

/*
 * Junction mirroring peers (docs/API.md "Junction Mirroring"), by address,
 * network order. The protocol is GRE, the only one, so it has no member.
 * How many peers there may be, and that the address is unicast, are the
 * caller's to check, here as at restore.
 */
struct store_mirror_peer {
	uint32_t addr_be;
	bool enabled;
	char description[256]; /* at most 255 bytes, NUL-terminated */
};

/*
 * Inserts the peer, or replaces the one with its address: 0, -EINVAL when
 * the description has no NUL within its 256 bytes (nothing changed), -EIO.
 */
int store_mirror_put(struct store *st, const struct store_mirror_peer *p);
/* 0, -ENOENT when no peer has that address, -EIO. */
int store_mirror_delete(struct store *st, uint32_t addr_be);
/*
 * Calls fn for every peer, sorted by the address's value (10.0.0.9 before
 * 10.0.0.10); fn must not call the store. Stops at and returns fn's first
 * non-zero value; 0 at the end, -EIO (also for a row vpgd would not write).
 */
int store_mirror_foreach(
    struct store *st, int (*fn)(void *arg, const struct store_mirror_peer *p), void *arg);

/*
 * Junction inspection (docs/API.md "Junction Inspection"): one set of
 * settings with its collectors in order, absent until set. Get: 0, -ENOENT
 * when never set (out untouched), -EIO (also for rows vpgd would not write:
 * a value out of inspect/inspect.h's ranges, no collector or more than
 * INSPECT_MAX_COLLECTORS, a collector twice); out is untouched unless 0.
 */
int store_inspection_get(struct store *st, struct inspect_config *out);
/*
 * Replaces settings and collectors in one transaction: 0, -EINVAL for a cfg
 * out of those ranges or with a collector twice, -EIO; on failure nothing
 * changed. That the collectors are unicast hosts is the caller's to check.
 */
int store_inspection_put(struct store *st, const struct inspect_config *cfg);
/* Removes settings and collectors together: 0, -ENOENT when none are set, -EIO. */
int store_inspection_delete(struct store *st);

/*
 * The DNS servers devices are told in PCO (docs/API.md "DNS servers"), set
 * through the API, primary first. Get: 0 with *n (0..STORE_MAX_DNS)
 * addresses in out_be, -ENOENT when never set (out_be and *n untouched),
 * -EIO (also for a row vpgd would not write: an address parse_dns_server
 * refuses). Put: inserts or replaces the list, [] included: 0, -EINVAL for
 * more than STORE_MAX_DNS (nothing changed), -EIO.
 */
#define STORE_MAX_DNS PCO_MAX_DNS

int store_dns_get(struct store *st, uint32_t out_be[STORE_MAX_DNS], unsigned *n);
int store_dns_put(struct store *st, const uint32_t *dns_be, unsigned n);

/*
 * SIM-based routing (docs/API.md "SIM-based routing"): whether it is
 * enabled, and its table. Enabled get: 0, -ENOENT when never set (out
 * untouched), -EIO. Put: 0, -EIO.
 */
int store_sim_enabled_get(struct store *st, bool *out);
int store_sim_enabled_put(struct store *st, bool enabled);
/*
 * The table, devices and ranges in the order given. Get: 0, -EIO (also
 * for rows vpgd would not write, or more than the table holds); out is
 * emptied first. That the table is valid (core/sim_routes.h's
 * sim_table_check) is the caller's to check, here as at restore. Put
 * replaces the whole table in one transaction: 0, -EINVAL for a table not
 * built by sim_table_add_*, or one that names a range twice, -EIO; on
 * failure the stored table is unchanged.
 */
int store_sim_routes_get(struct store *st, struct sim_table *out);
int store_sim_routes_put(struct store *st, const struct sim_table *t);

/*
 * Peek's capture sessions (docs/API.md "Peek"), by id: what a list shows
 * after a restart. Times are ms since the Unix epoch, 0 for not yet.
 */
struct store_capture {
	char id[33];
	char prefix[65];
	char imsi[16]; /* "": the whole gateway */
	uint32_t duration_s;
	char status[16]; /* REQUESTED, CAPTURING, DONE or FAILED */
	uint64_t created_ms, started_ms, ended_ms;
	char failed_reason[161];
	bool truncated;
	uint64_t packets, bytes, dropped;
};

/* Inserts or replaces the row of c->id: 0, -EINVAL for a value the schema refuses, -EIO. */
int store_capture_put(struct store *st, const struct store_capture *c);
/* 0, -ENOENT when no capture has that id, -EIO. */
int store_capture_delete(struct store *st, const char *id);
/*
 * Calls fn for every capture, oldest first; fn must not call the store.
 * Stops at and returns fn's first non-zero value; 0 at the end, -EIO (also
 * for a row vpgd would not write).
 */
int store_capture_foreach(
    struct store *st, int (*fn)(void *arg, const struct store_capture *c), void *arg);

/*
 * A small key/value table for the store's own bookkeeping. Get: 0, -ENOENT,
 * -ENOSPC when the value does not fit cap (NUL included), -EIO. Put: 0, -EIO.
 */
int store_meta_get(struct store *st, const char *key, char *val, size_t cap);
int store_meta_put(struct store *st, const char *key, const char *val);

#endif
