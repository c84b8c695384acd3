/*
 * What upf_node.c and upf_session.c share: the role's state and the calls
 * each makes into the other. Not for anyone else.
 */
#ifndef VPG_ROLES_UPF_INTERNAL_H
#define VPG_ROLES_UPF_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "proto/pfcp.h"
#include "roles/upf.h"

struct hmap;
struct idset;
struct sig_path;
struct session;
struct vpg_wr;

struct upf_assoc {
	bool in_use;
	struct pfcp_node_id node;
	char name[UPF_NODE_ID_LEN];
	uint32_t addr_be; /* where its messages come from; our requests go there */
	uint32_t recovery_ts;
	uint64_t cp_features;
	time_t since;
	uint64_t next_heartbeat_ms;
	bool heartbeat_pending;
	uint32_t sessions;
	uint64_t heartbeats_received, heartbeats_sent, heartbeats_unanswered;
};

struct upf {
	struct upf_config cfg;
	uint32_t recovery_ts; /* NTP seconds */
	struct attach *core;
	struct sig_path *path;
	struct hmap *by_seid;	/* our UP SEID -> the session's primary TEID */
	struct idset *with_urr; /* the UP SEIDs of sessions with URRs: what the timers visit */
	upf_send_fn send;
	void *send_arg;
	uint64_t unix_ms_at_start, mono_ms_at_start; /* to turn monotonic times into wall times */
	uint64_t rng;
	uint64_t last_report_scan_ms;
	struct upf_assoc assoc[UPF_MAX_ASSOCIATIONS];
	struct peer_filter filter;
	struct pfcp_msg msg; /* the message being handled: tens of kilobytes, kept off the stack */
};

/* Cookies of our requests: a heartbeat carries its association, a report its UP SEID. */
#define UPF_COOKIE_HEARTBEAT (1ull << 63)

/* upf_node.c */
struct upf_assoc *upf_assoc_of_node(struct upf *u, const struct pfcp_node_id *node);
struct upf_assoc *upf_assoc_of_addr(struct upf *u, uint32_t addr_be);
void upf_put_node_id(const struct upf *u, struct vpg_wr *w);
void upf_count_tx(const struct vpg_wr *w, uint8_t type, uint8_t cause);
uint32_t upf_ntp_of_mono(const struct upf *u, uint64_t mono_ms);

/* upf_session.c */
void upf_session_establish(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w);
void upf_session_modify(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w);
void upf_session_delete(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w);
void upf_session_report_done(struct upf *u, uint64_t up_seid, const uint8_t *rsp, size_t len);
/* The session core's hook: s of the UPF role is going. */
void upf_session_deleted(void *arg, const struct session *s);
/* Removes every session of the association: its control plane restarted or is gone. */
unsigned upf_sessions_purge(struct upf *u, const struct upf_assoc *a, const char *why);
/* URR timers of every UPF session. */
void upf_sessions_tick(struct upf *u, uint64_t now_ms);

#endif
