/*
 * PDP contexts ("sessions"): one per attached device bearer, indexed by our
 * TEID, by the device's address and by IMSI+NSAPI, each an O(1) hash lookup
 * with a random seed. Slots are preallocated at start-up from the pool's
 * capacity, so attach never calls malloc.
 */
#ifndef VPG_GW_SESSION_H
#define VPG_GW_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SESSION_QOS_MAX 32

/*
 * The first 64 octets are what forwarding touches: the lookup keys, the hash
 * chains and the tunnel to send into, and the counters. A lookup walking a
 * chain and the packet that follows then cost one cache line per session;
 * what only signalling reads comes after.
 */
struct session {
	uint32_t teid;	/* ours, for both GTP-C and GTP-U (TS 29.060 allows one value) */
	uint32_t ip_be; /* the device's address */
	/* Hash chains, as slot indices; 0 ends a chain (slot 0 is never used). */
	uint32_t next_teid, next_ip, next_imsi;
	uint32_t sgsn_teid_data; /* TEID Data I the SGSN gave us */
	uint32_t sgsn_data_be;	 /* SGSN Address for user traffic */
	uint64_t up_packets, up_bytes, down_packets, down_bytes;
	/* Signalling only from here. */
	uint32_t sgsn_teid_ctrl; /* TEID Control Plane the SGSN gave us */
	uint32_t sgsn_ctrl_be;	 /* SGSN Address for signalling */
	uint32_t charging_id;
	bool in_use;
	uint8_t nsapi;
	uint8_t qos_len;
	uint8_t qos[SESSION_QOS_MAX]; /* negotiated QoS profile, echoed in responses */
	char imsi[16];
	char msisdn[24];
	char apn[101];
	time_t created;
};

_Static_assert(offsetof(struct session, down_bytes) + sizeof(uint64_t) <= 64,
    "forwarding's part of a session must fit one cache line");
struct session_table;

struct session_table *session_table_new(uint32_t capacity);
void session_table_free(struct session_table *t);

/*
 * Takes a free slot and gives it a fresh random TEID, unique in the table.
 * The caller fills the rest and then calls session_insert. NULL when full.
 */
struct session *session_alloc(struct session_table *t);
/* Indexes a filled session by TEID, address and IMSI+NSAPI. */
void session_insert(struct session_table *t, struct session *s);
/* Unindexes and frees the slot. */
void session_remove(struct session_table *t, struct session *s);
/* Frees a slot that was allocated but never inserted. */
void session_discard(struct session_table *t, struct session *s);

struct session *session_find_teid(const struct session_table *t, uint32_t teid);
/*
 * Warms the cache for a batch's lookups, which at 100,000 sessions and more
 * miss it twice each (the bucket, then the session): first every bucket of
 * the batch, then, with those loaded, every session they lead to. By the
 * time the lookups run, the lines are there or on their way. At most
 * SESSION_PREFETCH_MAX keys are taken.
 */
#define SESSION_PREFETCH_MAX 64
void session_prefetch_teids(const struct session_table *t, const uint32_t *teids, int n);
void session_prefetch_ips(const struct session_table *t, const uint32_t *ips_be, int n);
struct session *session_find_ip(const struct session_table *t, uint32_t ip_be);
struct session *session_find_imsi(const struct session_table *t, const char *imsi, uint8_t nsapi);

uint32_t session_count(const struct session_table *t);
/* Iteration over live sessions: pass 0 to start; returns 0 when done. */
uint32_t session_next(const struct session_table *t, uint32_t cursor, struct session **s);

#endif
