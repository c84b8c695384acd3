/*
 * The gate's neighbour table: which MAC, behind which gate peer, answers for
 * an address of the device subnet. A fixed number of entries, kept in order
 * of last use. When the table is full, a new entry takes the place of the
 * least recently used one that is not pinned; pinned addresses (the gate
 * peers' inner addresses, the redirection gateway) are never pushed out, so
 * no amount of traffic to unused addresses stops the gate from resolving
 * them. New entries that devices cause are also rate limited (a token
 * bucket), since each one costs an ARP broadcast to every peer.
 */
#ifndef VPG_FWD_GATE_NEIGH_H
#define VPG_FWD_GATE_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/ether.h"

struct gate_neigh {
	uint32_t ip_be;
	uint8_t mac[ETHER_ADDR_LEN];
	uint32_t peer; /* the peer the MAC sits behind */
	bool resolved;
	bool in_use;
	uint64_t confirmed_ms, last_used_ms, next_probe_ms, backoff_ms;
	uint32_t probes;	     /* sent since the last confirmation */
	uint32_t lru_prev, lru_next; /* the table's own: order of last use */
};

/* Whether an address must never be evicted; asked only when the table is full. */
typedef bool (*gate_neigh_pinned_fn)(const void *arg, uint32_t ip_be);

struct gate_neigh_table;

/* capacity entries; new_per_sec device-caused entries a second, up to burst at once. */
struct gate_neigh_table *gate_neigh_new(uint32_t capacity, uint32_t new_per_sec, uint32_t burst);
void gate_neigh_free(struct gate_neigh_table *t);

struct gate_neigh *gate_neigh_find(const struct gate_neigh_table *t, uint32_t ip_be);
/*
 * A new, unresolved entry for ip_be (which must be absent). When the table
 * is full, the least recently used entry that pinned() does not claim makes
 * room (counted as an eviction); NULL when every entry is pinned.
 */
struct gate_neigh *gate_neigh_add(struct gate_neigh_table *t, uint32_t ip_be, uint64_t now_ms,
    gate_neigh_pinned_fn pinned, const void *arg);
/* A use: the entry becomes the most recently used. */
void gate_neigh_touch(struct gate_neigh_table *t, struct gate_neigh *n, uint64_t now_ms);
void gate_neigh_remove(struct gate_neigh_table *t, struct gate_neigh *n);
/* Takes a token for one device-caused entry; false when the bucket is empty. */
bool gate_neigh_admit(struct gate_neigh_table *t, uint64_t now_ms);

uint32_t gate_neigh_count(const struct gate_neigh_table *t);
uint32_t gate_neigh_capacity(const struct gate_neigh_table *t);
/*
 * Walks the table and its order of use: every entry in use is in the index
 * and the list exactly once. O(capacity), for tests and fuzzing.
 */
bool gate_neigh_consistent(const struct gate_neigh_table *t);
/* The entry in slot i (i < capacity), NULL when the slot is free: for scans. */
struct gate_neigh *gate_neigh_slot(struct gate_neigh_table *t, uint32_t i);

#endif
