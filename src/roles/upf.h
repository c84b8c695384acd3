/*
 * The UPF role (TS 29.244, Sxb / N4): vpgd as the user plane of an SMF or a
 * PGW-C. upf_node.c keeps the associations with control planes (setup,
 * update, release, heartbeats both ways, a control plane's restart or loss
 * clearing its sessions); upf_session.c turns Session Establishment,
 * Modification and Deletion into sessions of the session core with their
 * PFCP rules, and sends Session Reports for usage. Sockets are the caller's:
 * upf_handle turns a datagram into the response to send back, and the
 * requests of our own leave through the send callback.
 */
#ifndef VPG_ROLES_UPF_H
#define VPG_ROLES_UPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define UPF_MAX_ASSOCIATIONS 16
#define UPF_HEARTBEAT_MS     10000 /* between our Heartbeat Requests to each control plane */
#define UPF_NODE_ID_LEN	     256

struct attach;
struct upf;

struct upf_config {
	uint32_t pfcp_addr_be;	       /* our N4 address, in the UP F-SEID */
	uint32_t gtpu_addr_be;	       /* the address of the F-TEIDs we choose */
	char node_id[UPF_NODE_ID_LEN]; /* an IPv4 address or an FQDN */
	uint64_t started_unix;	       /* our Recovery Time Stamp, in Unix seconds */
	size_t replay_bytes;	       /* the replay cache (pfcp.replayCacheMB); 0: the default */
};

/* One datagram received on the PFCP socket. */
struct upf_rx {
	const uint8_t *buf;
	size_t len;
	uint32_t from_be;
	uint16_t from_port;
	uint64_t now_ms; /* monotonic */
};

typedef void (*upf_send_fn)(
    void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port);

struct upf *upf_new(const struct upf_config *cfg, struct attach *core, upf_send_fn send, void *arg,
    uint64_t now_ms);
void upf_free(struct upf *u);

/*
 * Handles one datagram from a control plane. Writes the response into out
 * and returns its length, or 0 when there is none to send (a response to us,
 * or a datagram dropped and counted).
 */
size_t upf_handle(struct upf *u, const struct upf_rx *rx, uint8_t *out, size_t cap);

/* Once a second: heartbeats, retransmissions, URR timers. */
void upf_tick(struct upf *u, uint64_t now_ms);
/* Between batches: Session Reports for URRs the traffic has triggered. */
void upf_send_reports(struct upf *u, uint64_t now_ms);

/* An association, as the API shows it. */
struct upf_assoc_view {
	char node_id[UPF_NODE_ID_LEN];
	uint32_t addr_be;
	uint32_t recovery_ts; /* NTP seconds */
	uint64_t cp_features;
	time_t since; /* wall clock of the setup */
	uint32_t sessions;
	uint64_t heartbeats_received, heartbeats_sent, heartbeats_unanswered;
};

/* Fills up to max views; returns how many associations there are. */
unsigned upf_associations(const struct upf *u, struct upf_assoc_view *out, unsigned max);
uint32_t upf_recovery_ts(const struct upf *u);

#endif
