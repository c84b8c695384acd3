/*
 * Every packet the gateway accepts or drops is counted here, under a stable
 * name. The data path is single-threaded, so the counters are plain integers
 * bumped without atomics.
 */
#ifndef VPG_CORE_COUNTERS_H
#define VPG_CORE_COUNTERS_H

#include <stdint.h>
#include <stdio.h>

#include "core/drop.h"

#define VPG_CTR_LIST(X)                                                                            \
	X(GTPU_RX_PACKETS, "gtpu_rx_packets")                                                      \
	X(GTPU_RX_BYTES, "gtpu_rx_bytes")                                                          \
	X(GTPU_TX_PACKETS, "gtpu_tx_packets")                                                      \
	X(GTPU_TX_BYTES, "gtpu_tx_bytes")                                                          \
	X(UPLINK_PACKETS, "uplink_packets")                                                        \
	X(UPLINK_BYTES, "uplink_bytes")                                                            \
	X(DOWNLINK_PACKETS, "downlink_packets")                                                    \
	X(DOWNLINK_BYTES, "downlink_bytes")                                                        \
	X(DEVICE_TO_DEVICE_PACKETS, "device_to_device_packets")                                    \
	X(GATEWAY_ECHO_REPLIES, "gateway_icmp_echo_replies")                                       \
	X(GTPU_ECHO_REQUESTS, "gtpu_echo_requests")                                                \
	X(GTPU_ERROR_INDICATIONS_SENT, "gtpu_error_indications_sent")                              \
	X(GTPC_RX_MESSAGES, "gtpc_rx_messages")                                                    \
	X(GTPC_TX_MESSAGES, "gtpc_tx_messages")                                                    \
	X(GTPC_RETRANSMISSIONS_ANSWERED, "gtpc_retransmissions_answered")                          \
	X(GTPC_REQUESTS_GIVEN_UP, "gtpc_requests_given_up")                                        \
	X(GTPC_REPLAY_EVICTED_EARLY, "gtpc_replay_evicted_early")                                  \
	X(GGSN_PEER_RESTARTS, "ggsn_peer_restarts")                                                \
	X(GGSN_PATH_FAILURES, "ggsn_path_failures")                                                \
	X(GGSN_SESSIONS_PURGED, "ggsn_sessions_purged")                                            \
	X(GTPV2C_RX_MESSAGES, "gtpv2c_rx_messages")                                                \
	X(GTPV2C_TX_MESSAGES, "gtpv2c_tx_messages")                                                \
	X(GTPV2C_RETRANSMISSIONS_ANSWERED, "gtpv2c_retransmissions_answered")                      \
	X(GTPV2C_REQUESTS_GIVEN_UP, "gtpv2c_requests_given_up")                                    \
	X(GTPV2C_REPLAY_EVICTED_EARLY, "gtpv2c_replay_evicted_early")                              \
	X(PGW_PEER_RESTARTS, "pgw_peer_restarts")                                                  \
	X(PGW_PATH_FAILURES, "pgw_path_failures")                                                  \
	X(PGW_SESSIONS_PURGED, "pgw_sessions_purged")                                              \
	X(SESSIONS_CREATED, "sessions_created")                                                    \
	X(SESSIONS_UPDATED, "sessions_updated")                                                    \
	X(SESSIONS_DELETED, "sessions_deleted")                                                    \
	X(SESSIONS_REPLACED, "sessions_replaced")                                                  \
	X(SESSIONS_ENDED_BY_ERROR_INDICATION, "sessions_ended_by_error_indication")                \
	X(SIM_ROUTES_INSTALLED, "sim_routes_installed")                                            \
	X(SIM_ROUTES_SKIPPED, "sim_routes_skipped")                                                \
	X(VXLAN_RX_PACKETS, "vxlan_rx_packets")                                                    \
	X(VXLAN_RX_BYTES, "vxlan_rx_bytes")                                                        \
	X(VXLAN_TX_PACKETS, "vxlan_tx_packets")                                                    \
	X(VXLAN_TX_BYTES, "vxlan_tx_bytes")                                                        \
	X(GATE_TO_DEVICE_PACKETS, "gate_to_device_packets")                                        \
	X(DEVICE_TO_GATE_PACKETS, "device_to_gate_packets")                                        \
	X(GATE_FLOODED_FRAMES, "gate_flooded_frames")                                              \
	X(GATE_FORWARDED_FRAMES, "gate_forwarded_frames")                                          \
	X(GATE_ARP_REPLIES_SENT, "gate_arp_replies_sent")                                          \
	X(GATE_ARP_REQUESTS_SENT, "gate_arp_requests_sent")                                        \
	X(GATE_NEIGHBOR_EVICTIONS, "gate_neighbor_evictions")                                      \
	X(GATE_BROADCASTS_RECEIVED, "gate_broadcasts_received")                                    \
	X(REDIRECTED_PACKETS, "redirected_packets")                                                \
	X(EGRESS_TX_PACKETS, "egress_tx_packets")                                                  \
	X(EGRESS_TX_BYTES, "egress_tx_bytes")                                                      \
	X(EGRESS_RX_PACKETS, "egress_rx_packets")                                                  \
	X(EGRESS_RX_BYTES, "egress_rx_bytes")                                                      \
	X(EGRESS_TO_DEVICE_PACKETS, "egress_to_device_packets")                                    \
	X(ICMP_ERRORS_SENT, "icmp_errors_sent")                                                    \
	X(MIRROR_COPIES, "mirror_copies_sent")                                                     \
	X(PEEK_PACKETS, "peek_packets_captured")                                                   \
	X(INSPECT_FLOWS_CREATED, "inspection_flows_created")                                       \
	X(INSPECT_RECORDS_EXPORTED, "inspection_records_exported")                                 \
	X(INSPECT_FLOWS_EVICTED, "inspection_flows_evicted_early")                                 \
	X(INSPECT_FLOWS_CLASSIFIED, "inspection_flows_classified")                                 \
	X(INSPECT_CLASSIFY_GAVE_UP, "inspection_classify_gave_up")                                 \
	X(INSPECT_CLASSIFIER_FULL, "inspection_classifier_full")                                   \
	X(IPFIX_MESSAGES_SENT, "ipfix_messages_sent")                                              \
	X(IPFIX_TEMPLATES_SENT, "ipfix_templates_sent")                                            \
	X(PFCP_TO_CP_FUNCTION_PACKETS, "pfcp_to_cp_function_packets")                              \
	X(PFCP_FROM_CP_FUNCTION_PACKETS, "pfcp_from_cp_function_packets")                          \
	X(PFCP_RX_MESSAGES, "pfcp_rx_messages")                                                    \
	X(PFCP_TX_MESSAGES, "pfcp_tx_messages")                                                    \
	X(PFCP_RETRANSMISSIONS_ANSWERED, "pfcp_retransmissions_answered")                          \
	X(PFCP_REQUESTS_GIVEN_UP, "pfcp_requests_given_up")                                        \
	X(PFCP_REPLAY_EVICTED_EARLY, "pfcp_replay_evicted_early")                                  \
	X(PFCP_ASSOCIATIONS_SETUP, "pfcp_associations_setup")                                      \
	X(PFCP_ASSOCIATIONS_RELEASED, "pfcp_associations_released")                                \
	X(PFCP_ASSOCIATIONS_LOST, "pfcp_associations_lost")                                        \
	X(PFCP_CP_RESTARTS, "pfcp_cp_restarts")                                                    \
	X(PFCP_SESSIONS_PURGED, "pfcp_sessions_purged")                                            \
	X(PFCP_SESSIONS_ESTABLISHED, "pfcp_sessions_established")                                  \
	X(PFCP_SESSIONS_MODIFIED, "pfcp_sessions_modified")                                        \
	X(PFCP_SESSIONS_DELETED, "pfcp_sessions_deleted")                                          \
	X(PFCP_USAGE_REPORTS_SENT, "pfcp_usage_reports_sent")                                      \
	X(PFCP_DUPLICATED_PACKETS, "pfcp_duplicated_packets")                                      \
	X(GTPU_RX_CALLS, "gtpu_rx_calls")                                                          \
	X(GTPU_RX_MESSAGES, "gtpu_rx_messages")                                                    \
	X(GTPU_TX_GSO_SENDS, "gtpu_tx_gso_sends")                                                  \
	X(GTPU_TX_GSO_DATAGRAMS, "gtpu_tx_gso_datagrams")                                          \
	X(VXLAN_RX_CALLS, "vxlan_rx_calls")                                                        \
	X(VXLAN_RX_MESSAGES, "vxlan_rx_messages")                                                  \
	X(VXLAN_TX_GSO_SENDS, "vxlan_tx_gso_sends")                                                \
	X(VXLAN_TX_GSO_DATAGRAMS, "vxlan_tx_gso_datagrams")                                        \
	X(VXLAN_TX_DIRECT, "vxlan_tx_direct")                                                      \
	X(MIRROR_TX_DIRECT, "mirror_tx_direct")                                                    \
	X(INSPECT_FAST_HANDED, "inspection_flows_handed_to_xdp")                                   \
	X(INSPECT_FAST_REFUSED, "inspection_flows_xdp_refused")                                    \
	X(INSPECT_FAST_LOST, "inspection_flows_xdp_lost")

enum vpg_ctr {
#define VPG_CTR_ENUM(name, text) VPG_CTR_##name,
	VPG_CTR_LIST(VPG_CTR_ENUM)
#undef VPG_CTR_ENUM
	    VPG_CTR__COUNT
};

struct vpg_counters {
	uint64_t ctr[VPG_CTR__COUNT];
	uint64_t drop[VPG_DROP__COUNT];
	uint64_t gtpc_rx[256];	     /* by message type */
	uint64_t gtpc_tx[256];	     /* by message type */
	uint64_t gtpc_tx_cause[256]; /* responses sent, by cause */
	uint64_t gtpv2c_rx[256];     /* by message type */
	uint64_t gtpv2c_tx[256];
	uint64_t gtpv2c_tx_cause[256]; /* responses sent, by cause */
	uint64_t pfcp_rx[64];	       /* by message type (TS 29.244 types are below 64) */
	uint64_t pfcp_tx[64];
	uint64_t pfcp_tx_cause[256]; /* responses sent, by cause */
};

extern struct vpg_counters vpg_counters;

static inline void
counters_add(enum vpg_ctr c, uint64_t n)
{
	vpg_counters.ctr[c] += n;
}

static inline void
counters_drop(unsigned reason)
{
	vpg_counters.drop[reason]++;
}

const char *counters_name(enum vpg_ctr c);
uint64_t counters_total_drops(void);

/* Writes every counter as "name value" lines between begin/end markers. */
void counters_print(FILE *out, uint64_t sessions_active);

#endif
