/*
 * Sessions (bearers): one per device bearer, whatever control protocol made
 * it (GGSN, PGW or UPF role). A session is the device's address, our uplink
 * TEID, the peer's downlink F-TEID, the owner that controls it and its
 * counters. Sessions are indexed by our TEID, by the device's address and by
 * IMSI + bearer id, each an O(1) hash lookup with a random seed. Slots are
 * preallocated at start-up from the pool's capacity, so attach never calls
 * malloc. Policy (who may attach, which address) is core/attach.c's.
 */
#ifndef VPG_CORE_SESSION_H
#define VPG_CORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The control protocol that created a session and answers for it. */
enum session_role {
	SESSION_ROLE_NONE = 0,
	SESSION_ROLE_GGSN, /* GTPv1-C, TS 29.060 */
	SESSION_ROLE_UPF,  /* PFCP, TS 29.244 */
	SESSION_ROLE_PGW,  /* GTPv2-C, TS 29.274 */
};

/*
 * Who controls a session: the role, its control peer, and the handles each
 * side gave the session on the control protocol (GTP-C TEIDs or PFCP SEIDs).
 */
struct session_owner {
	uint8_t role;	    /* enum session_role */
	uint32_t peer_be;   /* the SGSN's, SGW's or SMF's control address */
	uint64_t peer_ref;  /* its handle: the peer's TEID-C, or the CP F-SEID's SEID */
	uint64_t local_ref; /* ours: our TEID-C, or our UP SEID */
};

/* The session has a PFCP rule set: the forwarding path asks it (core/rules.h). */
#define SESSION_F_RULES 0x1
/*
 * Its packets must all reach user space (a capture, a copy per session):
 * the XDP fast path leaves them to the socket path. Whoever sets or clears
 * it calls session_changed.
 */
#define SESSION_F_SLOW_PATH 0x2
/* In the table's indices (session_insert to session_remove): the core's own, never set by others.
 */
#define SESSION_F_INDEXED 0x80000000u

struct rules;

/* Room for the owning role's own state, opaque to the core (the GGSN's QoS profile, the PGW's
 * bearer). */
#define SESSION_ROLE_DATA 48

/*
 * The first 64 octets are what forwarding touches: the lookup keys, the hash
 * chains and the tunnel to send into, and the counters. A lookup walking a
 * chain and the packet that follows then cost one cache line per session;
 * what only signalling reads comes after. For that to hold, every slot
 * starts a cache line: the struct is aligned to 64 (so its size is a
 * multiple of 64, 320 octets) and the table aligns its slot array.
 */
#define SESSION_CACHE_LINE 64
struct session {
	/* ours, the uplink TEID (the GGSN role also signals with it) */
	_Alignas(SESSION_CACHE_LINE) uint32_t teid;
	uint32_t ip_be; /* the device's address */
	/* Hash chains, as slot indices; 0 ends a chain (slot 0 is never used). */
	uint32_t next_teid, next_ip, next_imsi;
	uint32_t dl_teid;    /* the peer's downlink F-TEID: the TEID we send G-PDUs with */
	uint32_t dl_addr_be; /* and its address */
	uint32_t flags;	     /* SESSION_F_* */
	uint64_t up_packets, up_bytes, down_packets, down_bytes;
	/* Signalling only from here. */
	struct session_owner owner;
	uint32_t next_downlink; /* the downlink F-TEID index's chain */
	uint32_t charging_id;
	bool in_use;
	uint8_t bearer_id; /* NSAPI (GGSN) or EBI (PGW); the IMSI index's second key */
	char imsi[16];	   /* empty when the control plane did not say */
	char msisdn[24];
	char apn[101]; /* APN or DNN */
	time_t created;
	uint8_t role_data[SESSION_ROLE_DATA];
	/* PFCP's PDRs, FARs, QERs and URRs (SESSION_F_RULES); owned by the session. */
	struct rules *rules;
};

_Static_assert(offsetof(struct session, down_bytes) + sizeof(uint64_t) <= SESSION_CACHE_LINE,
    "forwarding's part of a session must fit one cache line");
_Static_assert(_Alignof(struct session) == SESSION_CACHE_LINE &&
		   sizeof(struct session) % SESSION_CACHE_LINE == 0,
    "every slot of the table must start a cache line");
struct session_table;

struct session_table *session_table_new(uint32_t capacity);
void session_table_free(struct session_table *t);

/*
 * Takes a free slot and gives it a fresh TEID, unique in the table: the
 * slot's index in the bits of session_teid_slot_mask, so that the TEID of a
 * G-PDU leads straight to its session's slot (here and in XDP) without an
 * index; above them, a value the slot has not had for as long as those bits
 * allow, starting at random. A guess still hits a session with the odds of
 * a fully random TEID: one value of the high bits per slot in use. The
 * caller fills the rest and then calls session_insert. NULL when full.
 */
struct session *session_alloc(struct session_table *t);
/*
 * The slot s lives in: 1 to the capacity, its own from session_alloc until
 * session_remove, so mirrors of the table (fwd/xdp_slots.h) can use it.
 */
uint32_t session_slot(const struct session_table *t, const struct session *s);
/* The low bits of a TEID that hold a slot's index in a table of capacity sessions. */
uint32_t session_teid_slot_mask(uint32_t capacity);
/* Indexes a filled session by TEID, address and IMSI + bearer id (when the IMSI is known). */
void session_insert(struct session_table *t, struct session *s);
/* A TEID unused in the table, random and non-zero (TS 29.060 §7.7.13, TS 29.281 §5.1). */
uint32_t session_fresh_teid(struct session_table *t);
/*
 * Makes teid find s too: a UPF session's PDRs may hold more than one Local
 * F-TEID. -EEXIST when the TEID is in use, -ENOSPC when the table is full.
 * session_remove drops the aliases its rules name.
 */
int session_alias_teid(struct session_table *t, struct session *s, uint32_t teid);
void session_unalias_teid(struct session_table *t, const struct session *s, uint32_t teid);
/*
 * Framed-Routes (a LAN behind a device): packets to net/mask go to s. At
 * most SESSION_MAX_ROUTES in the table; -EEXIST when the prefix is taken.
 * session_remove drops a session's routes.
 */
#define SESSION_MAX_ROUTES 4096
int session_route_add(
    struct session_table *t, struct session *s, uint32_t net_be, uint32_t mask_be);
/* Removes the Framed-Routes of s; its kept routes stay. */
void session_route_del_all(struct session_table *t, const struct session *s);
/*
 * Kept routes (SIM-based routing, core/sim_routes.h): a prefix configured
 * for a device, in the table whether the device is attached or not. Bound
 * to s, packets to it go to s; held for no session (s NULL), they go
 * nowhere, and session_find_dest_held says so. session_remove leaves a kept
 * route held rather than removing it; only session_route_release removes
 * one. Keep adds the route or moves an existing kept route to s: -EEXIST
 * when a Framed-Route has the prefix, -ENOSPC when the table is full.
 */
int session_route_keep(
    struct session_table *t, struct session *s, uint32_t net_be, uint32_t mask_be);
/* 0 with the session it is bound to (NULL when held for none), -ENOENT when not kept. */
int session_route_kept(
    const struct session_table *t, uint32_t net_be, uint32_t mask_be, struct session **bound);
/* 0, or -ENOENT when no kept route has exactly net/mask (a Framed-Route is left alone). */
int session_route_release(struct session_table *t, uint32_t net_be, uint32_t mask_be);
/*
 * Told of every route added (add true) or removed, for the host's routing
 * (fwd/egress.c); at once of those already in the table. Binding a kept
 * route to a session or holding it changes nothing the host routes.
 */
void session_set_route_hook(struct session_table *t,
    void (*hook)(void *arg, uint32_t net_be, uint32_t mask_be, bool add), void *arg);
/*
 * Told of every change the forwarding path's mirrors (the XDP maps,
 * fwd/xdp.h) must follow, before the change's answer leaves: a session
 * inserted or its downlink tunnel set (live true), a session about to be
 * removed (live false, its fields still as indexed), and routes added,
 * removed, bound to another session or held (s NULL). One hook; NULL turns
 * it off.
 */
void session_set_change_hook(struct session_table *t,
    void (*hook)(void *arg, const struct session *s, bool live), void *arg);
/* s's flags changed (SESSION_F_SLOW_PATH) or its rules did: tells the change hook. */
void session_changed(const struct session_table *t, const struct session *s);
/*
 * What a fast path beside the socket path (XDP) carried for s since it was
 * inserted, which the socket path's own counting never saw: read through
 * the one reader set (NULL: none, all zero). A system call per session:
 * for reports and the API, never per packet.
 */
struct rules_usage;
void session_set_fast_usage(struct session_table *t,
    void (*read)(void *arg, const struct session *s, struct rules_usage *out), void *arg);
void session_fast_usage(
    const struct session_table *t, const struct session *s, struct rules_usage *out);
/* Routes in the table, Framed-Routes and kept ones. */
uint32_t session_route_count(const struct session_table *t);
/*
 * Iteration over the routes, for mirrors: pass 0 to start; returns 0 when
 * done. *bound is the session the route sends to, NULL for a kept route
 * held for a device that is not attached. O(1) a step.
 */
uint32_t session_route_next(const struct session_table *t, uint32_t cursor, uint32_t *net_be,
    uint32_t *mask_be, const struct session **bound);
/* The session a packet for addr goes to: the device that has it, or the route that holds it. */
struct session *session_find_dest(const struct session_table *t, uint32_t addr_be);
/*
 * The same, and *held true when it is NULL because addr lies in a kept
 * route held for a device that is not attached: such a packet must go
 * nowhere else.
 */
struct session *session_find_dest_held(const struct session_table *t, uint32_t addr_be, bool *held);
/*
 * The downlink tunnel (the peer's F-TEID) of an inserted session, kept in an
 * index: session_find_downlink finds the session a GTP-U Error Indication
 * from that peer names (TS 29.281 §7.3.1).
 */
void session_set_downlink(
    struct session_table *t, struct session *s, uint32_t teid, uint32_t addr_be);
struct session *session_find_downlink(
    const struct session_table *t, uint32_t addr_be, uint32_t teid);
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
struct session *session_find_imsi(
    const struct session_table *t, const char *imsi, uint8_t bearer_id);
/* The session of imsi with the lowest bearer id, or NULL. */
struct session *session_find_imsi_any(const struct session_table *t, const char *imsi);

uint32_t session_count(const struct session_table *t);
/* Iteration over live sessions: pass 0 to start; returns 0 when done. */
uint32_t session_next(const struct session_table *t, uint32_t cursor, struct session **s);

#endif
