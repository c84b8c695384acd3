/*
 * Why a packet was dropped. Codecs return one of these instead of a boolean,
 * and the caller counts it (counters_drop), so every discarded packet shows
 * up under a stable name in the statistics. Names are part of the interface:
 * change the text and dashboards break.
 */
#ifndef VPG_PROTO_DROP_H
#define VPG_PROTO_DROP_H

#define VPG_DROP_LIST(X)                                                                           \
	X(NONE, "none")                                                                            \
	X(RX_TRUNCATED, "rx_truncated")                                                            \
	X(TX_FAILED, "tx_failed")                                                                  \
	X(TX_QUEUE_FULL, "tx_queue_full")                                                          \
	X(GTPC_TOO_SHORT, "gtpc_too_short")                                                        \
	X(GTPC_BAD_LENGTH, "gtpc_bad_length")                                                      \
	X(GTPC_BAD_VERSION, "gtpc_bad_version")                                                    \
	X(GTPC_UNKNOWN_TYPE, "gtpc_unknown_type")                                                  \
	X(GTPC_BAD_IE, "gtpc_bad_ie")                                                              \
	X(GTPC_UNEXPECTED, "gtpc_unexpected_message")                                              \
	X(GTPU_TOO_SHORT, "gtpu_too_short")                                                        \
	X(GTPU_BAD_VERSION, "gtpu_bad_version")                                                    \
	X(GTPU_BAD_LENGTH, "gtpu_bad_length")                                                      \
	X(GTPU_BAD_EXT_CHAIN, "gtpu_bad_extension_chain")                                          \
	X(GTPU_EXT_UNSUPPORTED, "gtpu_extension_unsupported")                                      \
	X(GTPU_UNKNOWN_TYPE, "gtpu_unknown_type")                                                  \
	X(GTPU_UNKNOWN_TEID, "gtpu_unknown_teid")                                                  \
	X(GTPU_UNEXPECTED, "gtpu_unexpected_message")                                              \
	X(GTPU_ERROR_INDICATION, "gtpu_error_indication_received")                                 \
	X(IPV4_TOO_SHORT, "ipv4_too_short")                                                        \
	X(IPV4_BAD_VERSION, "ipv4_bad_version")                                                    \
	X(IPV4_BAD_HEADER, "ipv4_bad_header")                                                      \
	X(IPV4_BAD_CHECKSUM, "ipv4_bad_checksum")                                                  \
	X(IPV4_TTL_EXPIRED, "ipv4_ttl_expired")                                                    \
	X(ICMP_BAD, "icmp_malformed")                                                              \
	X(UPLINK_NOT_IPV4, "uplink_not_ipv4")                                                      \
	X(UPLINK_SPOOFED_SOURCE, "uplink_spoofed_source")                                          \
	X(UPLINK_NO_ROUTE, "uplink_no_route")                                                      \
	X(GATEWAY_UNSUPPORTED, "gateway_unsupported_protocol")                                     \
	X(VXLAN_TOO_SHORT, "vxlan_too_short")                                                      \
	X(VXLAN_BAD_FLAGS, "vxlan_bad_flags")                                                      \
	X(ETHER_TOO_SHORT, "ether_too_short")                                                      \
	X(ARP_TOO_SHORT, "arp_too_short")                                                          \
	X(ARP_UNSUPPORTED, "arp_unsupported")                                                      \
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
	X(PRIVACY_SEPARATOR, "privacy_separator")                                                  \
	X(ROUTING_FILTER_DENIED, "routing_filter_denied")                                          \
	X(EGRESS_DISABLED, "egress_disabled")                                                      \
	X(EGRESS_UNKNOWN_DESTINATION, "egress_unknown_destination")                                \
	X(MIRROR_CONGESTED, "mirror_congested")                                                    \
	X(IPFIX_SEND_FAILED, "ipfix_send_failed")

enum vpg_drop {
#define VPG_DROP_ENUM(name, text) VPG_DROP_##name,
	VPG_DROP_LIST(VPG_DROP_ENUM)
#undef VPG_DROP_ENUM
	    VPG_DROP__COUNT
};

/* The stable metrics name of a drop reason. */
const char *vpg_drop_name(enum vpg_drop reason);

#endif
