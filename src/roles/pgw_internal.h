/*
 * What pgw_node.c and pgw_session.c share: the role's state and the calls
 * each makes into the other. Not for anyone else.
 */
#ifndef VPG_ROLES_PGW_INTERNAL_H
#define VPG_ROLES_PGW_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/session.h"
#include "proto/gtpv2c.h"
#include "roles/pgw.h"

struct gtp_peers;
struct sig_path;
struct vpg_wr;

struct pgw {
	struct pgw_config cfg;
	struct attach *core;
	struct sig_path *path;
	pgw_send_fn send;
	void *send_arg;
	struct gtp_peers *peers; /* the SGWs: restarts, paths */
	struct gtpv2c_msg msg;	 /* the message being handled */
	struct peer_filter filter;
};

/* A PGW session's own octets, kept in the session's role_data. */
struct pgw_bearer {
	uint8_t qos[22]; /* Bearer Level QoS as granted (§8.15) */
	uint8_t mei_len;
	uint8_t mei[8]; /* TBCD, as the SGW sent it */
	uint8_t rat_type;
	uint8_t plmn[3]; /* Serving Network; all zero when not sent */
	uint32_t ambr_ul_kbps, ambr_dl_kbps;
};
_Static_assert(sizeof(struct pgw_bearer) <= SESSION_ROLE_DATA, "the PGW's state must fit");

static inline struct pgw_bearer *
pgw_bearer_of(struct session *s)
{
	return (struct pgw_bearer *)s->role_data;
}

/* A refusal: the cause and, where the spec asks for one, the offending IE. */
struct pgw_refusal {
	uint8_t cause;
	uint8_t ie_type, ie_instance; /* ie_type 0: no offending IE */
};

/* Cookies of our requests: an Echo carries its peer's index. */
#define PGW_COOKIE_ECHO		 (1ull << 63)
#define PGW_COOKIE_DELETE_BEARER (1ull << 62)
#define PGW_COOKIE_UPDATE_BEARER (1ull << 61)

/* pgw_node.c */
void pgw_count_tx(const struct vpg_wr *w, uint8_t type, uint8_t cause);
/* Starts a response, counted by pgw_finish_response. */
size_t pgw_response_header(struct vpg_wr *w, uint8_t type, uint32_t teid, uint32_t seq);
void pgw_put_cause(struct vpg_wr *w, const struct pgw_refusal *r);
/* A response with nothing but a Cause (and our Recovery in Create Session's). */
void pgw_build_refusal(struct pgw *p, struct vpg_wr *w, uint8_t type, uint32_t teid, uint32_t seq,
    const struct pgw_refusal *r);

/* pgw_session.c */
void pgw_create_session(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w);
void pgw_modify_bearer(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w);
void pgw_delete_session(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w);
void pgw_modify_bearer_command(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w);
/* Our Update Bearer Request was answered (rsp) or given up (rsp NULL). */
void pgw_update_bearer_done(struct pgw *p, uint32_t teid, const uint8_t *rsp, size_t len);
/* The session core's hook: s of the PGW role is going. */
void pgw_session_deleted(void *arg, const struct session *s);

#endif
