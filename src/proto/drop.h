/*
 * Why a codec refused a packet. Codecs return one of these instead of a
 * boolean, and their caller counts it, so every discarded packet shows up
 * under a stable name in the statistics. The gateway's own reasons (a closed
 * gate, a spoofed source...) continue this list in core/drop.h. Names are part
 * of the interface: change the text and dashboards break.
 */
#ifndef VPG_PROTO_DROP_H
#define VPG_PROTO_DROP_H

#define VPG_CODEC_DROP_LIST(X)                                                                     \
	X(NONE, "none")                                                                            \
	X(GTPC_TOO_SHORT, "gtpc_too_short")                                                        \
	X(GTPC_BAD_LENGTH, "gtpc_bad_length")                                                      \
	X(GTPC_BAD_VERSION, "gtpc_bad_version")                                                    \
	X(GTPC_UNKNOWN_TYPE, "gtpc_unknown_type")                                                  \
	X(GTPC_BAD_IE, "gtpc_bad_ie")                                                              \
	X(GTPV2C_TOO_SHORT, "gtpv2c_too_short")                                                    \
	X(GTPV2C_BAD_LENGTH, "gtpv2c_bad_length")                                                  \
	X(GTPV2C_BAD_VERSION, "gtpv2c_bad_version")                                                \
	X(GTPV2C_BAD_IE, "gtpv2c_bad_ie")                                                          \
	X(GTPU_TOO_SHORT, "gtpu_too_short")                                                        \
	X(GTPU_BAD_VERSION, "gtpu_bad_version")                                                    \
	X(GTPU_BAD_LENGTH, "gtpu_bad_length")                                                      \
	X(GTPU_BAD_EXT_CHAIN, "gtpu_bad_extension_chain")                                          \
	X(GTPU_EXT_UNSUPPORTED, "gtpu_extension_unsupported")                                      \
	X(GTPU_UNKNOWN_TYPE, "gtpu_unknown_type")                                                  \
	X(IPV4_TOO_SHORT, "ipv4_too_short")                                                        \
	X(IPV4_BAD_VERSION, "ipv4_bad_version")                                                    \
	X(IPV4_BAD_HEADER, "ipv4_bad_header")                                                      \
	X(IPV4_BAD_CHECKSUM, "ipv4_bad_checksum")                                                  \
	X(ICMP_BAD, "icmp_malformed")                                                              \
	X(GATEWAY_UNSUPPORTED, "gateway_unsupported_protocol")                                     \
	X(VXLAN_TOO_SHORT, "vxlan_too_short")                                                      \
	X(VXLAN_BAD_FLAGS, "vxlan_bad_flags")                                                      \
	X(ETHER_TOO_SHORT, "ether_too_short")                                                      \
	X(ARP_TOO_SHORT, "arp_too_short")                                                          \
	X(ARP_UNSUPPORTED, "arp_unsupported")

enum vpg_drop {
#define VPG_DROP_ENUM(name, text) VPG_DROP_##name,
	VPG_CODEC_DROP_LIST(VPG_DROP_ENUM)
#undef VPG_DROP_ENUM
	    VPG_DROP__CODEC_COUNT
};

#endif
