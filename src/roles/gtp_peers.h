/*
 * The control peers of a GTP role (the SGSNs of the GGSN, the SGWs of the
 * PGW): each one's restart counter and path. A new restart counter (TS
 * 29.060 §7.7.11, TS 29.274 §7.1.1) means the peer lost our contexts; a path
 * that stays silent to Echo (TS 23.007 §20) is down. Either way its sessions
 * end, through the session core. Peers that hold sessions are echoed every
 * GTP_PEERS_ECHO_MS through the role's signalling path. What is protocol
 * (building an Echo Request, reading an Echo Response's Recovery) is the
 * role's, through the ops.
 */
#ifndef VPG_ROLES_GTP_PEERS_H
#define VPG_ROLES_GTP_PEERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GTP_PEERS_MAX	  1024	/* peers followed; beyond, a new one is not */
#define GTP_PEERS_ECHO_MS 60000 /* the usual time between Echo Requests to a peer with sessions */

struct attach;
struct session;
struct sig_path;
struct gtp_peers;

struct gtp_peers_ops {
	uint8_t role;	  /* enum session_role: whose sessions a peer holds */
	const char *kind; /* "sgsn", "sgw": for the log */
	/* An Echo Request with seq into buf: its length, or 0. */
	size_t (*build_echo)(uint8_t *buf, size_t cap, uint32_t seq, uint8_t our_restart);
	/* The Recovery of an Echo Response: 0, or -1 when it has none or does not parse. */
	int (*echo_recovery)(const uint8_t *rsp, size_t len, uint8_t *restart);
	uint64_t echo_cookie; /* ORed with the peer's index: the path's cookie of our Echo */
	/* Counters (enum vpg_ctr) bumped for a restart, a path failure, each session ended. */
	unsigned ctr_restarts, ctr_path_failures, ctr_sessions_ended;
};

/* echo_ms: between Echo Requests to a peer with sessions; 0: none (no path failures either). */
struct gtp_peers *gtp_peers_new(struct attach *core, struct sig_path *path,
    const struct gtp_peers_ops *ops, uint8_t our_restart, uint32_t echo_ms);
void gtp_peers_free(struct gtp_peers *t);
/*
 * Forgets every peer (restart counter, sessions, Echo state): the table is
 * as new. The sessions themselves and Echo Requests in flight are the
 * caller's to end first.
 */
void gtp_peers_clear(struct gtp_peers *t);

/* A peer's Recovery, from any message that carries one. The calls below take a NULL table. */
void gtp_peers_recovery(struct gtp_peers *t, uint32_t addr_be, uint8_t restart);
/* A session of the role was made with, or left, the peer at addr. */
void gtp_peers_session_added(struct gtp_peers *t, uint32_t addr_be);
void gtp_peers_session_gone(struct gtp_peers *t, uint32_t addr_be);
/* Our Echo with this cookie was answered (rsp) or given up (rsp NULL). */
void gtp_peers_echo_done(struct gtp_peers *t, uint64_t cookie, const uint8_t *rsp, size_t len);
/* Once a second: Echo to the peers whose time has come. */
void gtp_peers_tick(struct gtp_peers *t, uint64_t now_ms);

/* A peer, as the API shows it. */
struct gtp_peer_view {
	uint32_t addr_be;
	bool has_restart_counter;
	uint8_t restart_counter;
	uint32_t sessions;
	uint64_t echo_sent, echo_unanswered;
};
/* Fills up to max views; returns how many peers there are. */
unsigned gtp_peers_view(const struct gtp_peers *t, struct gtp_peer_view *out, unsigned max);

#endif
