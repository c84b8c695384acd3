/*
 * The PGW role (TS 29.274, S5/S8): vpgd as the home gateway of LTE devices
 * whose SGW signals with GTPv2-C and carries their data in GTPv1-U.
 * pgw_node.c is the entry of every datagram: path management (Echo both
 * ways, a peer's restart clearing its sessions, a dead path likewise),
 * replayed retransmissions and Version Not Supported. pgw_session.c turns
 * Create Session, Modify Bearer and Delete Session into sessions of the
 * session core, and sends the PGW's own Delete Bearer and Update Bearer
 * Requests. Sockets are the caller's: pgw_handle turns a datagram into the
 * response to send back; our own requests leave through the send callback.
 */
#ifndef VPG_ROLES_PGW_H
#define VPG_ROLES_PGW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roles/gtp_peers.h"

struct attach;
struct pgw;
struct session;

struct pgw_config {
	uint32_t gtpc_addr_be;	 /* our S5/S8-C address, in the PGW's control F-TEID */
	uint32_t gtpu_addr_be;	 /* our S5/S8-U address, in the bearers' F-TEIDs */
	uint8_t restart_counter; /* our Recovery, persisted by the caller */
	uint32_t echo_ms;	 /* between Echo Requests to an SGW with sessions; 0: never */
	size_t replay_bytes;	 /* the replay cache (gtp.replayCacheMB); 0: the default */
};

/* One datagram received on the GTPv2-C socket. */
struct pgw_rx {
	const uint8_t *buf;
	size_t len;
	uint32_t from_be;
	uint16_t from_port;
	uint64_t now_ms; /* monotonic */
};

typedef void (*pgw_send_fn)(
    void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port);

struct pgw *pgw_new(const struct pgw_config *cfg, struct attach *core, pgw_send_fn send, void *arg);
void pgw_free(struct pgw *p);

/*
 * Handles one GTPv2-C datagram from an SGW. Writes the response into out and
 * returns its length, or 0 when there is none to send (a response to one of
 * ours, or a datagram dropped and counted).
 */
size_t pgw_handle(struct pgw *p, const struct pgw_rx *rx, uint8_t *out, size_t cap);

/* Once a second: retransmissions of our requests, Echo to the SGWs. */
void pgw_tick(struct pgw *p, uint64_t now_ms);

/*
 * PGW-initiated bearer deactivation (TS 29.274 §7.2.9.2): removes every
 * session of imsi held by this role and sends each one's SGW a Delete Bearer
 * Request, retransmitted until answered. Returns how many were removed.
 */
int pgw_delete_imsi(struct pgw *p, const char *imsi, uint64_t now_ms);

/* A PGW session's own state, as the API shows it. */
struct pgw_session_view {
	uint8_t ebi;
	uint32_t sgw_c_teid, sgw_c_addr_be; /* the SGW's S5/S8-C F-TEID */
	uint32_t sgw_u_teid, sgw_u_addr_be; /* its S5/S8-U F-TEID */
	char mei[17];
	uint8_t rat_type;
	char mcc[4], mnc[4]; /* the Serving Network; empty when not sent */
	uint32_t apn_ambr_ul_kbps, apn_ambr_dl_kbps;
	uint8_t qci, arp_priority_level;
};
/* False when s is not a session of the PGW role. */
bool pgw_session_view(const struct session *s, struct pgw_session_view *v);

/* The SGWs the role has heard from (roles/gtp_peers.h); returns how many. */
unsigned pgw_peers(const struct pgw *p, struct gtp_peer_view *out, unsigned max);

#endif
