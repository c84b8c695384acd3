/*
 * The one way every control protocol creates, moves and removes sessions.
 * What is the same whatever the role lives here once: which APNs/DNNs are
 * served, where the device's address comes from (the IMSI map, the pool, or
 * a control plane's choice that must lie in the device subnet and be free),
 * replacing a stale session of the same IMSI and bearer, the LAN behind a
 * device (SIM-based routing) following its sessions, and the counters and
 * log lines of attach and detach. The GGSN (roles/ggsn.c), the UPF
 * (roles/upf_*.c) and the PGW (roles/pgw_*.c) are its callers.
 */
#ifndef VPG_CORE_ATTACH_H
#define VPG_CORE_ATTACH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/session.h"
#include "proto/pco.h"

#define ATTACH_MAX_APNS 32
#define ATTACH_APN_LEN	101 /* TS 23.003 §9.1: at most 100 octets */

struct ippool;
struct sim_routes;

/* What a role keeps beside the core for its sessions, told when one goes. */
struct attach_role_hook {
	void (*deleted)(void *arg, const struct session *s);
	void *arg;
};

struct attach {
	struct session_table *sessions;
	struct ippool *pool;
	unsigned n_apns; /* 0: every APN is served */
	char apns[ATTACH_MAX_APNS][ATTACH_APN_LEN];
	uint32_t next_charging_id;
	/*
	 * What every device is told in PCO (TS 24.008 §10.5.6.3) when it asks:
	 * its DNS servers and link MTU. Set at start-up and by the API; the
	 * GGSN and PGW read it for each accepted attach.
	 */
	struct pco_offer device_offer;
	struct attach_role_hook hooks[SESSION_ROLE_PGW + 1]; /* by enum session_role */
	/* SIM-based routing (core/sim_routes.h): told of each session made and gone; NULL: none. */
	struct sim_routes *sim_routes;
	/*
	 * Must a new session's packets all reach user space (a capture of its
	 * IMSI runs)? Then it is inserted with SESSION_F_SLOW_PATH, so that no
	 * fast path carries its first packet. NULL: never.
	 */
	bool (*slow_path)(void *arg, const struct session *s);
	void *slow_path_arg;
};

/* Why a session could not be made; each role turns it into its own cause. */
enum attach_refusal {
	ATTACH_OK = 0,
	ATTACH_APN_NOT_SERVED,
	ATTACH_POOL_EXHAUSTED,	/* no dynamic address left */
	ATTACH_ADDRESS_REFUSED, /* a chosen address outside the subnet, reserved or another's */
	ATTACH_NO_RESOURCES,	/* the session table is full, or the IMSI's address is busy */
	ATTACH_TEID_IN_USE,	/* the control plane's uplink TEID is another session's */
};

/* What a control protocol asks for. */
struct attach_req {
	const char *imsi; /* "" when unknown (a PFCP session without User ID) */
	const char *msisdn;
	const char *apn;
	uint8_t bearer_id;
	struct session_owner owner;
	uint32_t dl_teid, dl_addr_be; /* the peer's downlink F-TEID, 0 when not yet known */
	uint32_t teid;	  /* our uplink TEID as the control plane chose it; 0: we choose */
	bool has_address; /* the control plane chose the device's address */
	uint32_t address_be;
	/* A session of the same IMSI and bearer id is stale and goes first (TS 29.060 §7.3.1). */
	bool replace_same_bearer;
	/*
	 * A session of the same control peer on the address it chose is stale
	 * (the control plane, which allocates, lost it without telling us) and
	 * goes first.
	 */
	bool replace_same_peer_address;
};

/* Copies the served APNs; returns -1 when there are too many or one is too long. */
int attach_set_apns(struct attach *a, const char *const *apns, unsigned n);
bool attach_apn_served(const struct attach *a, const char *apn);

/* Makes, addresses and indexes a session; on refusal nothing has changed. */
enum attach_refusal attach_create(
    struct attach *a, const struct attach_req *r, struct session **out);

/* Points the downlink at a new peer F-TEID (a handover or an SGSN change). */
void attach_move_downlink(
    struct attach *a, struct session *s, uint32_t dl_teid, uint32_t dl_addr_be);

/* Has role told of each of its sessions that goes, whoever deletes it. */
void attach_set_role_hook(
    struct attach *a, enum session_role role, const struct attach_role_hook *h);

/* Releases the address, unindexes and frees the session, counted and logged with why. */
void attach_delete(struct attach *a, struct session *s, const char *why);

/*
 * Deletes every session of imsi that role holds (the API's detach), calling
 * tell(arg, s, now_ms) first for each so the role can tell its peer; returns how many.
 */
unsigned attach_delete_imsi(struct attach *a, enum session_role role, const char *imsi,
    void (*tell)(void *arg, const struct session *s, uint64_t now_ms), void *arg, uint64_t now_ms,
    const char *why);

/*
 * Deletes every session of role whose control peer is peer_be (it restarted,
 * or its path or association is gone); returns how many. O(table capacity):
 * such events are rare.
 */
unsigned attach_delete_peer(
    struct attach *a, enum session_role role, uint32_t peer_be, const char *why);

#endif
