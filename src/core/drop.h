/*
 * Why the gateway dropped a packet: the codecs' reasons (proto/drop.h), then
 * the gateway's own, numbered on from them so that one counter array and one
 * name table hold both. A reason is passed around as an unsigned, since it
 * can be of either enum. Names are part of the interface: change the text
 * and dashboards break.
 */
#ifndef VPG_CORE_DROP_H
#define VPG_CORE_DROP_H

#include "proto/drop.h"

#define VPG_GW_DROP_LIST(X)                                                                        \
	X(RX_TRUNCATED, "rx_truncated")                                                            \
	X(TX_FAILED, "tx_failed")                                                                  \
	X(TX_QUEUE_FULL, "tx_queue_full")                                                          \
	X(GTPC_UNEXPECTED, "gtpc_unexpected_message")                                              \
	X(GTPC_PEER_NOT_ALLOWED, "gtpc_peer_not_allowed")                                          \
	X(GTPV2C_PEER_NOT_ALLOWED, "gtpv2c_peer_not_allowed")                                      \
	X(GTPV2C_UNEXPECTED, "gtpv2c_unexpected_message")                                          \
	X(GTPV2C_NOT_SERVED, "gtpv2c_not_served")                                                  \
	X(GTPU_UNKNOWN_TEID, "gtpu_unknown_teid")                                                  \
	X(GTPU_UNEXPECTED, "gtpu_unexpected_message")                                              \
	X(GTPU_ERROR_INDICATION, "gtpu_error_indication_received")                                 \
	X(IPV4_TTL_EXPIRED, "ipv4_ttl_expired")                                                    \
	X(UPLINK_NOT_IPV4, "uplink_not_ipv4")                                                      \
	X(UPLINK_SPOOFED_SOURCE, "uplink_spoofed_source")                                          \
	X(UPLINK_NO_ROUTE, "uplink_no_route")                                                      \
	X(GATE_CLOSED, "gate_closed")                                                              \
	X(GATE_UNKNOWN_PEER, "gate_unknown_peer")                                                  \
	X(GATE_WRONG_VNI, "gate_wrong_vni")                                                        \
	X(GATE_LOOPED_FRAME, "gate_looped_frame")                                                  \
	X(GATE_ARP_HIJACK, "gate_arp_hijack")                                                      \
	X(GATE_ARP_NOT_SERVED, "gate_arp_not_served")                                              \
	X(GATE_UNSUPPORTED_ETHERTYPE, "gate_unsupported_ethertype")                                \
	X(GATE_UNKNOWN_DESTINATION, "gate_unknown_destination")                                    \
	X(GATE_NEIGHBOR_UNRESOLVED, "gate_neighbor_unresolved")                                    \
	X(GATE_TABLE_FULL, "gate_table_full")                                                      \
	X(GATE_NEIGHBOR_RATE_LIMITED, "gate_neighbor_rate_limited")                                \
	X(GATE_NEIGHBOR_TABLE_FULL, "gate_neighbor_table_full")                                    \
	X(PRIVACY_SEPARATOR, "privacy_separator")                                                  \
	X(ROUTING_FILTER_DENIED, "routing_filter_denied")                                          \
	X(ICMP_RATE_LIMITED, "icmp_error_rate_limited")                                            \
	X(EGRESS_DISABLED, "egress_disabled")                                                      \
	X(EGRESS_UNKNOWN_DESTINATION, "egress_unknown_destination")                                \
	X(SIM_ROUTE_NOT_ATTACHED, "sim_route_not_attached")                                        \
	X(MIRROR_CONGESTED, "mirror_congested")                                                    \
	X(PEEK_RING_FULL, "peek_ring_full")                                                        \
	X(IPFIX_SEND_FAILED, "ipfix_send_failed")                                                  \
	X(PFCP_PEER_NOT_ALLOWED, "pfcp_peer_not_allowed")                                          \
	X(PFCP_TOO_SHORT, "pfcp_too_short")                                                        \
	X(PFCP_BAD_VERSION, "pfcp_bad_version")                                                    \
	X(PFCP_BAD_LENGTH, "pfcp_bad_length")                                                      \
	X(PFCP_BAD_S_FLAG, "pfcp_bad_seid_flag")                                                   \
	X(PFCP_UNKNOWN_TYPE, "pfcp_unknown_type")                                                  \
	X(PFCP_UNEXPECTED, "pfcp_unexpected_message")                                              \
	X(PFCP_NOT_SERVED, "pfcp_not_served")                                                      \
	X(PFCP_NO_MATCHING_PDR, "pfcp_no_matching_pdr")                                            \
	X(PFCP_FAR_DROP, "pfcp_far_drop")                                                          \
	X(PFCP_FAR_BUFFER, "pfcp_far_buffering_unsupported")                                       \
	X(PFCP_FAR_NO_TUNNEL, "pfcp_far_without_outer_header")                                     \
	X(PFCP_QER_GATE_CLOSED, "pfcp_qer_gate_closed")                                            \
	X(PFCP_QER_MBR_EXCEEDED, "pfcp_qer_mbr_exceeded")                                          \
	X(PFCP_URR_QUOTA_EXHAUSTED, "pfcp_urr_quota_exhausted")

enum vpg_gw_drop {
	VPG_DROP__GW_BEFORE_FIRST = VPG_DROP__CODEC_COUNT - 1,
#define VPG_DROP_ENUM(name, text) VPG_DROP_##name,
	VPG_GW_DROP_LIST(VPG_DROP_ENUM)
#undef VPG_DROP_ENUM
	    VPG_DROP__COUNT
};

/* The stable metrics name of a drop reason, of either list. */
const char *vpg_drop_name(unsigned reason);

#endif
