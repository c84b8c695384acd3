/*
 * PFCP codec, 3GPP TS 29.244 (Sxb/N4): the header, the messages a user plane
 * receives decoded into typed structs, and builders for what it sends. Pure:
 * no I/O, no allocation, no logging. Parsing is table driven: every message
 * and grouped IE is a table of its members (pfcp.c), walked by one TLV walker
 * that checks presence, multiplicity and lengths in one place.
 */
#ifndef VPG_PROTO_PFCP_H
#define VPG_PROTO_PFCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wr.h"

#define PFCP_PORT    8805
#define PFCP_VERSION 1

/* TS 29.244 §7.3, Table 7.3-1. */
enum pfcp_msg_type {
	PFCP_HEARTBEAT_REQ = 1,
	PFCP_HEARTBEAT_RSP = 2,
	PFCP_PFD_MGMT_REQ = 3,
	PFCP_PFD_MGMT_RSP = 4,
	PFCP_ASSOC_SETUP_REQ = 5,
	PFCP_ASSOC_SETUP_RSP = 6,
	PFCP_ASSOC_UPDATE_REQ = 7,
	PFCP_ASSOC_UPDATE_RSP = 8,
	PFCP_ASSOC_RELEASE_REQ = 9,
	PFCP_ASSOC_RELEASE_RSP = 10,
	PFCP_VERSION_NOT_SUPPORTED = 11,
	PFCP_NODE_REPORT_REQ = 12,
	PFCP_NODE_REPORT_RSP = 13,
	PFCP_SESS_EST_REQ = 50,
	PFCP_SESS_EST_RSP = 51,
	PFCP_SESS_MOD_REQ = 52,
	PFCP_SESS_MOD_RSP = 53,
	PFCP_SESS_DEL_REQ = 54,
	PFCP_SESS_DEL_RSP = 55,
	PFCP_SESS_REPORT_REQ = 56,
	PFCP_SESS_REPORT_RSP = 57,
};

/* TS 29.244 §8.2.1, Table 8.2.1-1. 0 is reserved; this codec uses it for "no error". */
enum pfcp_cause {
	PFCP_CAUSE_OK = 0,
	PFCP_CAUSE_REQUEST_ACCEPTED = 1,
	PFCP_CAUSE_REQUEST_REJECTED = 64,
	PFCP_CAUSE_SESSION_NOT_FOUND = 65,
	PFCP_CAUSE_MANDATORY_IE_MISSING = 66,
	PFCP_CAUSE_CONDITIONAL_IE_MISSING = 67,
	PFCP_CAUSE_INVALID_LENGTH = 68,
	PFCP_CAUSE_MANDATORY_IE_INCORRECT = 69,
	PFCP_CAUSE_INVALID_FORWARDING_POLICY = 70,
	PFCP_CAUSE_INVALID_FTEID_ALLOCATION = 71,
	PFCP_CAUSE_NO_ASSOCIATION = 72,
	PFCP_CAUSE_RULE_FAILURE = 73,
	PFCP_CAUSE_CONGESTION = 74,
	PFCP_CAUSE_NO_RESOURCES = 75,
	PFCP_CAUSE_SERVICE_NOT_SUPPORTED = 76,
	PFCP_CAUSE_SYSTEM_FAILURE = 77,
	PFCP_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED = 79,
};

/* TS 29.244 §8.1.2, Table 8.1.2-1: the IE types this codec reads or writes. */
enum pfcp_ie_type {
	PFCP_IE_CREATE_PDR = 1,
	PFCP_IE_PDI = 2,
	PFCP_IE_CREATE_FAR = 3,
	PFCP_IE_FORWARDING_PARAMETERS = 4,
	PFCP_IE_DUPLICATING_PARAMETERS = 5,
	PFCP_IE_CREATE_URR = 6,
	PFCP_IE_CREATE_QER = 7,
	PFCP_IE_CREATED_PDR = 8,
	PFCP_IE_UPDATE_PDR = 9,
	PFCP_IE_UPDATE_FAR = 10,
	PFCP_IE_UPDATE_FORWARDING_PARAMETERS = 11,
	PFCP_IE_UPDATE_BAR_SRR = 12,
	PFCP_IE_UPDATE_URR = 13,
	PFCP_IE_UPDATE_QER = 14,
	PFCP_IE_REMOVE_PDR = 15,
	PFCP_IE_REMOVE_FAR = 16,
	PFCP_IE_REMOVE_URR = 17,
	PFCP_IE_REMOVE_QER = 18,
	PFCP_IE_CAUSE = 19,
	PFCP_IE_SOURCE_INTERFACE = 20,
	PFCP_IE_F_TEID = 21,
	PFCP_IE_NETWORK_INSTANCE = 22,
	PFCP_IE_SDF_FILTER = 23,
	PFCP_IE_GATE_STATUS = 25,
	PFCP_IE_MBR = 26,
	PFCP_IE_GBR = 27,
	PFCP_IE_QER_CORRELATION_ID = 28,
	PFCP_IE_PRECEDENCE = 29,
	PFCP_IE_VOLUME_THRESHOLD = 31,
	PFCP_IE_TIME_THRESHOLD = 32,
	PFCP_IE_REPORTING_TRIGGERS = 37,
	PFCP_IE_REPORT_TYPE = 39,
	PFCP_IE_OFFENDING_IE = 40,
	PFCP_IE_DESTINATION_INTERFACE = 42,
	PFCP_IE_UP_FUNCTION_FEATURES = 43,
	PFCP_IE_APPLY_ACTION = 44,
	PFCP_IE_PFCPSMREQ_FLAGS = 49,
	PFCP_IE_PDR_ID = 56,
	PFCP_IE_F_SEID = 57,
	PFCP_IE_NODE_ID = 60,
	PFCP_IE_MEASUREMENT_METHOD = 62,
	PFCP_IE_USAGE_REPORT_TRIGGER = 63,
	PFCP_IE_MEASUREMENT_PERIOD = 64,
	PFCP_IE_VOLUME_MEASUREMENT = 66,
	PFCP_IE_DURATION_MEASUREMENT = 67,
	PFCP_IE_VOLUME_QUOTA = 73,
	PFCP_IE_TIME_QUOTA = 74,
	PFCP_IE_START_TIME = 75,
	PFCP_IE_END_TIME = 76,
	PFCP_IE_QUERY_URR = 77,
	PFCP_IE_USAGE_REPORT_SMR = 78, /* in Session Modification Response */
	PFCP_IE_USAGE_REPORT_SDR = 79, /* in Session Deletion Response */
	PFCP_IE_USAGE_REPORT_SRR = 80, /* in Session Report Request */
	PFCP_IE_URR_ID = 81,
	PFCP_IE_OUTER_HEADER_CREATION = 84,
	PFCP_IE_CREATE_BAR = 85,
	PFCP_IE_UPDATE_BAR = 86, /* in Session Modification Request */
	PFCP_IE_REMOVE_BAR = 87,
	PFCP_IE_BAR_ID = 88,
	PFCP_IE_CP_FUNCTION_FEATURES = 89,
	PFCP_IE_UE_IP_ADDRESS = 93,
	PFCP_IE_OUTER_HEADER_REMOVAL = 95,
	PFCP_IE_RECOVERY_TIME_STAMP = 96,
	PFCP_IE_NODE_REPORT_TYPE = 101,
	PFCP_IE_UR_SEQN = 104,
	PFCP_IE_ACTIVATE_PREDEFINED_RULES = 106,
	PFCP_IE_FAR_ID = 108,
	PFCP_IE_QER_ID = 109,
	PFCP_IE_ASSOC_RELEASE_REQUEST = 111,
	PFCP_IE_PDN_TYPE = 113,
	PFCP_IE_FAILED_RULE_ID = 114,
	PFCP_IE_QFI = 124,
	PFCP_IE_USER_ID = 141,
	PFCP_IE_FRAMED_ROUTE = 153,
	PFCP_IE_FRAMED_ROUTING = 154,
	PFCP_IE_APN_DNN = 159,
	PFCP_IE_3GPP_INTERFACE_TYPE = 160,
	PFCP_IE_SOURCE_IP_ADDRESS = 192,
};

/* Source and Destination Interface, TS 29.244 §8.2.2 and §8.2.24. */
enum pfcp_iface {
	PFCP_IFACE_ACCESS = 0,
	PFCP_IFACE_CORE = 1,
	PFCP_IFACE_SGI_LAN = 2, /* N6-LAN */
	PFCP_IFACE_CP_FUNCTION = 3,
};

/* Apply Action, TS 29.244 §8.2.26: octet 5 in bits 0-7, octet 6 in bits 8-15. */
#define PFCP_AA_DROP 0x0001
#define PFCP_AA_FORW 0x0002
#define PFCP_AA_BUFF 0x0004
#define PFCP_AA_NOCP 0x0008
#define PFCP_AA_DUPL 0x0010
#define PFCP_AA_IPMA 0x0020
#define PFCP_AA_IPMD 0x0040
#define PFCP_AA_DFRT 0x0080
#define PFCP_AA_EDRT 0x0100
#define PFCP_AA_BDPN 0x0200
#define PFCP_AA_DDPN 0x0400

/* Outer Header Creation description, TS 29.244 §8.2.56: octets 5-6 as one big-endian value. */
#define PFCP_OHC_GTPU_UDP_IPV4 0x0100
#define PFCP_OHC_GTPU_UDP_IPV6 0x0200
#define PFCP_OHC_UDP_IPV4      0x0400
#define PFCP_OHC_UDP_IPV6      0x0800
#define PFCP_OHC_IPV4	       0x1000
#define PFCP_OHC_IPV6	       0x2000
#define PFCP_OHC_C_TAG	       0x4000
#define PFCP_OHC_S_TAG	       0x8000
#define PFCP_OHC_N19	       0x0001
#define PFCP_OHC_N6	       0x0002

/* Outer Header Removal description, TS 29.244 §8.2.64. */
enum pfcp_ohr {
	PFCP_OHR_GTPU_UDP_IPV4 = 0,
	PFCP_OHR_GTPU_UDP_IPV6 = 1,
	PFCP_OHR_UDP_IPV4 = 2,
	PFCP_OHR_UDP_IPV6 = 3,
	PFCP_OHR_IPV4 = 4,
	PFCP_OHR_IPV6 = 5,
	PFCP_OHR_GTPU_UDP_IP = 6,
	PFCP_OHR_VLAN_S_TAG = 7,
	PFCP_OHR_S_TAG_C_TAG = 8,
};

/*
 * UP Function Features, TS 29.244 §8.2.25: octet 5 in bits 0-7, octet 6 in
 * bits 8-15 and so on.
 */
#define PFCP_UPF_BUCP  (1ULL << 0)
#define PFCP_UPF_DDND  (1ULL << 1)
#define PFCP_UPF_DLBD  (1ULL << 2)
#define PFCP_UPF_TRST  (1ULL << 3)
#define PFCP_UPF_FTUP  (1ULL << 4)
#define PFCP_UPF_PFDM  (1ULL << 5)
#define PFCP_UPF_HEEU  (1ULL << 6)
#define PFCP_UPF_TREU  (1ULL << 7)
#define PFCP_UPF_EMPU  (1ULL << 8)
#define PFCP_UPF_PDIU  (1ULL << 9)
#define PFCP_UPF_UDBC  (1ULL << 10)
#define PFCP_UPF_QUOAC (1ULL << 11)
#define PFCP_UPF_TRACE (1ULL << 12)
#define PFCP_UPF_FRRT  (1ULL << 13)
#define PFCP_UPF_PFDE  (1ULL << 14)
#define PFCP_UPF_EPFAR (1ULL << 15)
#define PFCP_UPF_DPDRA (1ULL << 16)
#define PFCP_UPF_ADPDP (1ULL << 17)
#define PFCP_UPF_UEIP  (1ULL << 18)
#define PFCP_UPF_SSET  (1ULL << 19)
#define PFCP_UPF_MNOP  (1ULL << 20)
#define PFCP_UPF_MTE   (1ULL << 21)
#define PFCP_UPF_BUNDL (1ULL << 22)
#define PFCP_UPF_GCOM  (1ULL << 23)
#define PFCP_UPF_MPAS  (1ULL << 24)
#define PFCP_UPF_RTTL  (1ULL << 25)
#define PFCP_UPF_VTIME (1ULL << 26)

/* CP Function Features, TS 29.244 §8.2.58, octet 5. */
#define PFCP_CPF_LOAD  (1ULL << 0)
#define PFCP_CPF_OVRL  (1ULL << 1)
#define PFCP_CPF_EPFAR (1ULL << 2)
#define PFCP_CPF_SSET  (1ULL << 3)
#define PFCP_CPF_BUNDL (1ULL << 4)

/* Reporting Triggers, TS 29.244 §8.2.19: octet 5 in bits 0-7, 6 in 8-15, 7 in 16-23. */
#define PFCP_RT_PERIO (1U << 0)
#define PFCP_RT_VOLTH (1U << 1)
#define PFCP_RT_TIMTH (1U << 2)
#define PFCP_RT_QUHTI (1U << 3)
#define PFCP_RT_START (1U << 4)
#define PFCP_RT_STOPT (1U << 5)
#define PFCP_RT_DROTH (1U << 6)
#define PFCP_RT_LIUSA (1U << 7)
#define PFCP_RT_VOLQU (1U << 8)
#define PFCP_RT_TIMQU (1U << 9)
#define PFCP_RT_ENVCL (1U << 10)
#define PFCP_RT_MACAR (1U << 11)
#define PFCP_RT_EVETH (1U << 12)
#define PFCP_RT_EVEQU (1U << 13)
#define PFCP_RT_IPMJL (1U << 14)
#define PFCP_RT_QUVTI (1U << 15)
#define PFCP_RT_REEMR (1U << 16)
#define PFCP_RT_UPINT (1U << 17)

/* Usage Report Trigger, TS 29.244 §8.2.41, same octet layout. */
#define PFCP_URT_PERIO (1U << 0)
#define PFCP_URT_VOLTH (1U << 1)
#define PFCP_URT_TIMTH (1U << 2)
#define PFCP_URT_QUHTI (1U << 3)
#define PFCP_URT_START (1U << 4)
#define PFCP_URT_STOPT (1U << 5)
#define PFCP_URT_DROTH (1U << 6)
#define PFCP_URT_IMMER (1U << 7)
#define PFCP_URT_VOLQU (1U << 8)
#define PFCP_URT_TIMQU (1U << 9)
#define PFCP_URT_LIUSA (1U << 10)
#define PFCP_URT_TERMR (1U << 11)
#define PFCP_URT_MONIT (1U << 12)
#define PFCP_URT_ENVCL (1U << 13)
#define PFCP_URT_MACAR (1U << 14)
#define PFCP_URT_EVETH (1U << 15)
#define PFCP_URT_EVEQU (1U << 16)

/* Measurement Method, TS 29.244 §8.2.40. */
#define PFCP_MM_DURAT 0x01
#define PFCP_MM_VOLUM 0x02
#define PFCP_MM_EVENT 0x04

/* Volume Threshold/Quota/Measurement flags, TS 29.244 §8.2.13, §8.2.50, §8.2.44. */
#define PFCP_VOL_TOVOL 0x01
#define PFCP_VOL_ULVOL 0x02
#define PFCP_VOL_DLVOL 0x04
#define PFCP_VOL_TONOP 0x08 /* Volume Measurement only */
#define PFCP_VOL_ULNOP 0x10
#define PFCP_VOL_DLNOP 0x20

/* Report Type, TS 29.244 §8.2.21. */
#define PFCP_REPORT_DLDR 0x01
#define PFCP_REPORT_USAR 0x02
#define PFCP_REPORT_ERIR 0x04
#define PFCP_REPORT_UPIR 0x08

/* Gate Status, TS 29.244 §8.2.7. */
#define PFCP_GATE_OPEN	 0
#define PFCP_GATE_CLOSED 1

/* PFCPSMReq-Flags §8.2.31, PFCP Association Release Request §8.2.75. */
#define PFCP_SMREQ_DROBU 0x01
#define PFCP_SMREQ_SNDEM 0x02
#define PFCP_SMREQ_QAURR 0x04
#define PFCP_ARR_SARR	 0x01
#define PFCP_ARR_URSS	 0x02

/* PDN Type, TS 29.244 §8.2.79. */
enum pfcp_pdn_type {
	PFCP_PDN_IPV4 = 1,
	PFCP_PDN_IPV6 = 2,
	PFCP_PDN_IPV4V6 = 3,
	PFCP_PDN_NON_IP = 4,
	PFCP_PDN_ETHERNET = 5,
};

/* Node ID type, TS 29.244 §8.2.38. */
enum pfcp_node_id_type {
	PFCP_NODE_ID_IPV4 = 0,
	PFCP_NODE_ID_IPV6 = 1,
	PFCP_NODE_ID_FQDN = 2,
};

/* Capacities of the decoded structs; more instances refuse the message (No resources). */
#define PFCP_MAX_PDR	   16
#define PFCP_MAX_FAR	   16
#define PFCP_MAX_URR	   8
#define PFCP_MAX_QER	   8
#define PFCP_MAX_SDF	   4   /* SDF Filters per PDI */
#define PFCP_MAX_ROUTES	   4   /* Framed-Routes per PDI */
#define PFCP_MAX_RULE_REFS 4   /* URR IDs, QER IDs per PDR */
#define PFCP_MAX_PORTS	   4   /* port ranges per side of a flow description */
#define PFCP_NAME_MAX	   101 /* APN/DNN, Network Instance, FQDN, with the NUL */
#define PFCP_NAI_MAX	   64

/* Header, TS 29.244 §7.2.2. */
struct pfcp_hdr {
	uint8_t version;
	uint8_t type;
	uint16_t length;  /* the length field: octets after the first 4 */
	bool has_seid;	  /* S */
	bool has_prio;	  /* MP */
	bool follow_on;	  /* FO: another message follows in the datagram */
	uint8_t priority; /* message priority, when MP is set */
	uint64_t seid;
	uint32_t seq;	/* 24 bits */
	size_t hdr_len; /* 8 or 16 */
	size_t msg_len; /* 4 + length: where the next message starts when FO is set */
};

/*
 * Header errors, each a counter at the caller. BAD_VERSION is answered with
 * Version Not Supported (§7.6.2), BAD_LENGTH of a request with cause
 * Invalid Length (§7.6.3); the others are discarded.
 */
enum pfcp_hdr_err {
	PFCP_HDR_OK = 0,
	PFCP_HDR_TOO_SHORT,   /* shorter than its header: discarded (§7.6.3) */
	PFCP_HDR_BAD_VERSION, /* answer Version Not Supported (§7.6.2) */
	PFCP_HDR_BAD_LENGTH,  /* length field disagrees with the datagram (§7.6.3) */
	PFCP_HDR_BAD_S_FLAG,  /* a node message with a SEID or a session message without */
};

struct pfcp_ip {
	bool has_v4, has_v6;
	uint32_t v4_be;
	uint8_t v6[16];
};

struct pfcp_node_id {
	uint8_t type; /* enum pfcp_node_id_type */
	uint32_t v4_be;
	uint8_t v6[16];
	char fqdn[PFCP_NAME_MAX]; /* dotted */
};

struct pfcp_fseid {
	uint64_t seid;
	struct pfcp_ip ip;
};

/* F-TEID, TS 29.244 §8.2.3. With ch set, teid and the addresses are absent. */
struct pfcp_fteid {
	bool ch, chid;
	bool has_v4, has_v6; /* address present, or with ch: family to choose */
	uint8_t choose_id;
	uint32_t teid;
	uint32_t v4_be;
	uint8_t v6[16];
};

/* UE IP Address, TS 29.244 §8.2.62. */
struct pfcp_ue_ip {
	bool has_v4, has_v6;
	bool sd;   /* destination address (downlink PDR) */
	bool chv4; /* the UP function is to choose an IPv4 address */
	bool chv6;
	uint32_t v4_be;
	uint8_t v6[16];
};

/* One side of a flow description (TS 29.212 §5.4.2 IPFilterRule subset). */
enum pfcp_flow_addr_kind {
	PFCP_FLOW_ANY = 0,
	PFCP_FLOW_ASSIGNED,
	PFCP_FLOW_IPV4,
	PFCP_FLOW_IPV6,
};

struct pfcp_port_range {
	uint16_t lo, hi;
};

struct pfcp_flow_end {
	uint8_t kind;	  /* enum pfcp_flow_addr_kind */
	uint8_t plen;	  /* prefix length; 32 or 128 when none was written */
	uint8_t addr[16]; /* IPv4 in the first 4 octets, network order */
	uint8_t n_ports;  /* 0: any port */
	struct pfcp_port_range ports[PFCP_MAX_PORTS];
};

/* "permit out <proto|ip> from <end> to <end>"; proto 0 with any_proto for "ip". */
struct pfcp_flow {
	bool any_proto;
	uint8_t proto;
	struct pfcp_flow_end src, dst;
};

/* SDF Filter, TS 29.244 §8.2.5. fd points into the parsed buffer. */
struct pfcp_sdf {
	bool has_fd, has_ttc, has_spi, has_fl, has_fid;
	const char *fd;
	uint16_t fd_len;
	struct pfcp_flow flow; /* decoded fd */
	uint16_t ttc;
	uint32_t spi;
	uint32_t flow_label;
	uint32_t filter_id;
};

/* Framed-Route, TS 29.244 §8.2.109: RADIUS text "a.b.c.d/n [gateway [metric]]". */
struct pfcp_route {
	uint32_t prefix_be;
	uint8_t plen;
	uint32_t gateway_be; /* 0 when absent */
	uint32_t metric;
};

enum pfcp_pdi_has {
	PFCP_PDI_HAS_FTEID = 1 << 0,
	PFCP_PDI_HAS_NETWORK_INSTANCE = 1 << 1,
	PFCP_PDI_HAS_UE_IP = 1 << 2,
	PFCP_PDI_HAS_QFI = 1 << 3,
	PFCP_PDI_HAS_IFACE_TYPE = 1 << 4,
	PFCP_PDI_HAS_FRAMED_ROUTING = 1 << 5,
	PFCP_PDI_HAS_SDF = 1 << 6,    /* at least one SDF Filter */
	PFCP_PDI_HAS_ROUTES = 1 << 7, /* at least one Framed-Route */
};

struct pfcp_pdi {
	uint64_t has;
	uint8_t source_iface; /* enum pfcp_iface */
	struct pfcp_fteid fteid;
	char network_instance[PFCP_NAME_MAX];
	struct pfcp_ue_ip ue_ip;
	uint8_t n_sdf;
	struct pfcp_sdf sdf[PFCP_MAX_SDF];
	uint8_t qfi;
	uint8_t iface_type; /* 3GPP Interface Type */
	uint8_t n_routes;
	struct pfcp_route routes[PFCP_MAX_ROUTES];
	uint32_t framed_routing;
};

/* Create PDR §7.5.2.2 and Update PDR §7.5.4.2: has says which members came. */
enum pfcp_pdr_has {
	PFCP_PDR_HAS_PRECEDENCE = 1 << 0,
	PFCP_PDR_HAS_PDI = 1 << 1,
	PFCP_PDR_HAS_OHR = 1 << 2,
	PFCP_PDR_HAS_FAR_ID = 1 << 3,
	PFCP_PDR_HAS_URR_IDS = 1 << 4, /* in Update PDR: the list replaces the old one */
	PFCP_PDR_HAS_QER_IDS = 1 << 5,
};

struct pfcp_pdr {
	uint64_t has;
	uint16_t pdr_id;
	uint32_t precedence;
	struct pfcp_pdi pdi;
	uint8_t ohr; /* enum pfcp_ohr */
	uint32_t far_id;
	uint8_t n_urr_ids, n_qer_ids;
	uint32_t urr_ids[PFCP_MAX_RULE_REFS];
	uint32_t qer_ids[PFCP_MAX_RULE_REFS];
};

/* Outer Header Creation, TS 29.244 §8.2.56. */
struct pfcp_ohc {
	uint16_t desc; /* PFCP_OHC_* */
	uint32_t teid;
	uint32_t v4_be;
	uint8_t v6[16];
	uint16_t port;
};

enum pfcp_fwd_has {
	PFCP_FWD_HAS_DEST_IFACE = 1 << 0,
	PFCP_FWD_HAS_NETWORK_INSTANCE = 1 << 1,
	PFCP_FWD_HAS_OHC = 1 << 2,
	PFCP_FWD_HAS_IFACE_TYPE = 1 << 3,
	PFCP_FWD_HAS_SMREQ_FLAGS = 1 << 4,
};

/* Forwarding Parameters §7.5.2.3-2 and Update Forwarding Parameters §7.5.4.3-2. */
struct pfcp_fwd {
	uint64_t has;
	uint8_t dest_iface;
	char network_instance[PFCP_NAME_MAX];
	struct pfcp_ohc ohc;
	uint8_t iface_type;
	uint8_t smreq_flags; /* SNDEM in Update Forwarding Parameters */
};

enum pfcp_far_has {
	PFCP_FAR_HAS_APPLY_ACTION = 1 << 0,
	PFCP_FAR_HAS_FWD = 1 << 1,
	PFCP_FAR_HAS_DUPL = 1 << 2, /* Duplicating Parameters (§7.5.2.3-3), in dupl */
	PFCP_FAR_HAS_BAR_ID = 1 << 3,
};

struct pfcp_far {
	uint64_t has;
	uint32_t far_id;
	uint16_t apply_action; /* PFCP_AA_* */
	struct pfcp_fwd fwd;
	struct pfcp_fwd dupl; /* Destination Interface and Outer Header Creation of the copies */
	uint8_t bar_id;
};

/* Volume Threshold §8.2.13 and Volume Quota §8.2.50: values present per flag. */
struct pfcp_volume {
	uint8_t flags; /* PFCP_VOL_* */
	uint64_t total, ul, dl;
};

enum pfcp_urr_has {
	PFCP_URR_HAS_METHOD = 1 << 0,
	PFCP_URR_HAS_TRIGGERS = 1 << 1,
	PFCP_URR_HAS_PERIOD = 1 << 2,
	PFCP_URR_HAS_VOL_THRESH = 1 << 3,
	PFCP_URR_HAS_VOL_QUOTA = 1 << 4,
	PFCP_URR_HAS_TIME_THRESH = 1 << 5,
	PFCP_URR_HAS_TIME_QUOTA = 1 << 6,
};

struct pfcp_urr {
	uint64_t has;
	uint32_t urr_id;
	uint8_t method;	   /* PFCP_MM_* */
	uint32_t triggers; /* PFCP_RT_* */
	uint32_t period;
	struct pfcp_volume vol_thresh, vol_quota;
	uint32_t time_thresh, time_quota;
};

enum pfcp_qer_has {
	PFCP_QER_HAS_CORR_ID = 1 << 0,
	PFCP_QER_HAS_GATE = 1 << 1,
	PFCP_QER_HAS_MBR = 1 << 2,
	PFCP_QER_HAS_GBR = 1 << 3,
	PFCP_QER_HAS_QFI = 1 << 4,
};

/* Gate Status §8.2.7 (PFCP_GATE_*), MBR §8.2.8 and GBR §8.2.9 (kbit/s, 40 bits). */
struct pfcp_gate {
	uint8_t ul, dl;
};

struct pfcp_bitrate {
	uint64_t ul, dl;
};

struct pfcp_qer {
	uint64_t has;
	uint32_t qer_id;
	uint32_t corr_id;
	struct pfcp_gate gate;
	struct pfcp_bitrate mbr, gbr;
	uint8_t qfi;
};

/* User ID, TS 29.244 §8.2.101: the identities as digit strings. */
struct pfcp_user_id {
	bool has_imsi, has_imei, has_msisdn, has_nai;
	char imsi[16];
	char imei[17];
	char msisdn[21];
	char nai[PFCP_NAI_MAX];
};

/* Usage Report §7.5.5.2, §7.5.7.2, §7.5.8.3: what this user plane reports. */
enum pfcp_ur_has {
	PFCP_UR_HAS_START = 1 << 0,
	PFCP_UR_HAS_END = 1 << 1,
	PFCP_UR_HAS_VOLUME = 1 << 2,
	PFCP_UR_HAS_DURATION = 1 << 3,
};

struct pfcp_usage_report {
	uint64_t has;
	uint32_t urr_id;
	uint32_t ur_seqn;
	uint32_t trigger;    /* PFCP_URT_* */
	uint32_t start, end; /* NTP seconds */
	uint8_t vol_flags;   /* PFCP_VOL_* */
	uint64_t vol_total, vol_ul, vol_dl;
	uint64_t pkt_total, pkt_ul, pkt_dl;
	uint32_t duration;
};

struct pfcp_created_pdr {
	uint64_t has; /* PFCP_CREATED_HAS_FTEID */
	uint16_t pdr_id;
	struct pfcp_fteid fteid;
};
#define PFCP_CREATED_HAS_FTEID (1 << 0)

/* Single-instance message IEs present in struct pfcp_msg. */
enum pfcp_msg_has {
	PFCP_MSG_HAS_NODE_ID = 1 << 0,
	PFCP_MSG_HAS_CAUSE = 1 << 1,
	PFCP_MSG_HAS_RECOVERY = 1 << 2,
	PFCP_MSG_HAS_UP_FEATURES = 1 << 3,
	PFCP_MSG_HAS_CP_FEATURES = 1 << 4,
	PFCP_MSG_HAS_SOURCE_IP = 1 << 5,
	PFCP_MSG_HAS_ARR = 1 << 6,
	PFCP_MSG_HAS_FSEID = 1 << 7,
	PFCP_MSG_HAS_PDN_TYPE = 1 << 8,
	PFCP_MSG_HAS_USER_ID = 1 << 9,
	PFCP_MSG_HAS_APN = 1 << 10,
	PFCP_MSG_HAS_CREATE_BAR = 1 << 11,
	PFCP_MSG_HAS_UPDATE_BAR = 1 << 12,
	PFCP_MSG_HAS_REMOVE_BAR = 1 << 13,
	PFCP_MSG_HAS_SMREQ_FLAGS = 1 << 14,
	PFCP_MSG_HAS_OFFENDING_IE = 1 << 15,
	PFCP_MSG_HAS_REPORT_TYPE = 1 << 16,
	PFCP_MSG_HAS_NODE_REPORT_TYPE = 1 << 17,
};

/*
 * A decoded message: every message type fills the members its table names
 * (pfcp.c); the others stay zero. Large (tens of kilobytes): keep one per
 * thread, not on a small stack.
 */
struct pfcp_msg {
	struct pfcp_hdr hdr;
	uint64_t has; /* PFCP_MSG_HAS_* */
	uint8_t cause;
	uint16_t offending_ie;
	struct pfcp_node_id node_id;
	uint32_t recovery_ts; /* NTP seconds */
	uint64_t up_features; /* PFCP_UPF_* */
	uint64_t cp_features; /* PFCP_CPF_* */
	struct pfcp_ip source_ip;
	uint8_t arr_flags;	 /* PFCP_ARR_* */
	struct pfcp_fseid fseid; /* CP F-SEID in requests, UP F-SEID in responses */
	uint8_t pdn_type;
	struct pfcp_user_id user_id;
	char apn[PFCP_NAME_MAX];
	uint8_t smreq_flags;
	uint8_t report_type;
	uint8_t node_report_type;
	uint8_t create_bar, update_bar, remove_bar; /* BAR IDs */

	uint8_t n_create_pdr, n_create_far, n_create_urr, n_create_qer;
	struct pfcp_pdr create_pdr[PFCP_MAX_PDR];
	struct pfcp_far create_far[PFCP_MAX_FAR];
	struct pfcp_urr create_urr[PFCP_MAX_URR];
	struct pfcp_qer create_qer[PFCP_MAX_QER];

	uint8_t n_update_pdr, n_update_far, n_update_urr, n_update_qer;
	struct pfcp_pdr update_pdr[PFCP_MAX_PDR];
	struct pfcp_far update_far[PFCP_MAX_FAR];
	struct pfcp_urr update_urr[PFCP_MAX_URR];
	struct pfcp_qer update_qer[PFCP_MAX_QER];

	uint8_t n_remove_pdr, n_remove_far, n_remove_urr, n_remove_qer, n_query_urr;
	uint16_t remove_pdr[PFCP_MAX_PDR];
	uint32_t remove_far[PFCP_MAX_FAR];
	uint32_t remove_urr[PFCP_MAX_URR];
	uint32_t remove_qer[PFCP_MAX_QER];
	uint32_t query_urr[PFCP_MAX_URR];

	uint8_t n_created_pdr, n_usage_report;
	struct pfcp_created_pdr created_pdr[PFCP_MAX_PDR];
	struct pfcp_usage_report usage_report[PFCP_MAX_URR];
};

/* What went wrong in a body: the cause to answer with and the Offending IE. */
struct pfcp_err {
	uint8_t cause;	  /* enum pfcp_cause */
	uint16_t ie_type; /* 0 when no IE is to blame */
};

/*
 * Parses the header of the first message in buf. Fills hdr as far as it
 * could be read, the sequence number also with PFCP_HDR_BAD_VERSION and
 * PFCP_HDR_BAD_LENGTH, so that those can be answered.
 */
enum pfcp_hdr_err pfcp_parse_header(const uint8_t *buf, size_t len, struct pfcp_hdr *hdr);

/*
 * Decodes the body of the message whose header pfcp_parse_header read from
 * the same buf into msg (msg->hdr gets a copy of hdr). Returns
 * PFCP_CAUSE_OK, or the cause to answer a request with, also in err with
 * the Offending IE. A message type this codec does not serve (PFD
 * Management, unknown types) returns PFCP_CAUSE_SERVICE_NOT_SUPPORTED; the
 * caller discards unknown types silently (§7.6.4, pfcp_type_known).
 */
uint8_t pfcp_parse_body(const uint8_t *buf, size_t len, const struct pfcp_hdr *hdr,
    struct pfcp_msg *msg, struct pfcp_err *err);

bool pfcp_type_known(uint8_t type);
bool pfcp_type_is_session(uint8_t type);
bool pfcp_type_is_request(uint8_t type);
/* Stable names for logs and metrics; "unknown" otherwise. */
const char *pfcp_type_name(uint8_t type);

/*
 * IE value decoders (value octets, without type and length), used by the
 * message tables and usable alone. 0, or -1 when the value is malformed.
 * TS 29.244 §8.1.1 lets a later release append octets to an IE, so octets
 * after what a decoder needs are ignored, except in text values.
 */
int pfcp_ie_node_id(const uint8_t *val, size_t len, struct pfcp_node_id *out);
int pfcp_ie_fseid(const uint8_t *val, size_t len, struct pfcp_fseid *out);
int pfcp_ie_fteid(const uint8_t *val, size_t len, struct pfcp_fteid *out);
int pfcp_ie_ue_ip(const uint8_t *val, size_t len, struct pfcp_ue_ip *out);
int pfcp_ie_source_ip(const uint8_t *val, size_t len, struct pfcp_ip *out);
int pfcp_ie_sdf(const uint8_t *val, size_t len, struct pfcp_sdf *out);
int pfcp_ie_ohc(const uint8_t *val, size_t len, struct pfcp_ohc *out);
int pfcp_ie_volume(const uint8_t *val, size_t len, struct pfcp_volume *out);
int pfcp_ie_bitrate(const uint8_t *val, size_t len, struct pfcp_bitrate *out);
int pfcp_ie_user_id(const uint8_t *val, size_t len, struct pfcp_user_id *out);
int pfcp_ie_framed_route(const uint8_t *val, size_t len, struct pfcp_route *out);
/* Names coded as DNS labels (APN/DNN, FQDN); Network Instance may also be plain text. */
int pfcp_ie_labels(const uint8_t *val, size_t len, char *out, size_t cap);
int pfcp_ie_network_instance(const uint8_t *val, size_t len, char *out, size_t cap);
/* A flag field of 1 to n octets, octet 5 in bits 0-7 (features, triggers, Apply Action). */
int pfcp_ie_flags(const uint8_t *val, size_t len, size_t max_octets, uint64_t *out);

/*
 * Flow Description of an SDF Filter (TS 29.244 §8.2.5, TS 29.212 §5.4.2):
 * "permit out <proto|ip> from <addr[/len]|any|assigned> [ports] to ... [ports]",
 * ports being "p" or "p-q", comma-separated. 0, or -1 for anything else.
 */
int pfcp_flow_parse(const char *s, size_t len, struct pfcp_flow *flow);

/* Framed-Route text "a.b.c.d/n [gateway [metric]]". 0 or -1. */
int pfcp_route_parse(const char *s, size_t len, struct pfcp_route *route);

/* NTP seconds (since 1900, as PFCP time stamps carry them) from Unix seconds. */
uint32_t pfcp_ntp_from_unix(uint64_t unix_secs);

/*
 * Builders. They append to w; the caller checks w->overflow once at the end.
 * A header returns the offset that pfcp_build_finish needs.
 */
size_t pfcp_build_header(struct vpg_wr *w, uint8_t type, uint32_t seq);
size_t pfcp_build_header_seid(struct vpg_wr *w, uint8_t type, uint64_t seid, uint32_t seq);
void pfcp_build_finish(struct vpg_wr *w, size_t hdr_off);

/* A grouped IE: open writes type and a length placeholder, close patches it. */
size_t pfcp_put_group_open(struct vpg_wr *w, uint16_t type);
void pfcp_put_group_close(struct vpg_wr *w, size_t off);

void pfcp_put_ie(struct vpg_wr *w, uint16_t type, const void *val, uint16_t len);
void pfcp_put_u8(struct vpg_wr *w, uint16_t type, uint8_t v);
void pfcp_put_u16(struct vpg_wr *w, uint16_t type, uint16_t v);
void pfcp_put_u32(struct vpg_wr *w, uint16_t type, uint32_t v);
void pfcp_put_cause(struct vpg_wr *w, uint8_t cause);
void pfcp_put_offending_ie(struct vpg_wr *w, uint16_t ie_type);
void pfcp_put_node_id_ipv4(struct vpg_wr *w, uint32_t addr_be);
void pfcp_put_node_id_fqdn(struct vpg_wr *w, const char *fqdn); /* dotted; bad names overflow */
void pfcp_put_recovery_ts(struct vpg_wr *w, uint32_t ntp_secs);
void pfcp_put_up_features(struct vpg_wr *w, uint64_t features);
void pfcp_put_cp_features(struct vpg_wr *w, uint64_t features);
void pfcp_put_fseid_ipv4(struct vpg_wr *w, uint64_t seid, uint32_t addr_be);
void pfcp_put_fteid_ipv4(struct vpg_wr *w, uint32_t teid, uint32_t addr_be);
void pfcp_put_created_pdr(struct vpg_wr *w, uint16_t pdr_id, uint32_t teid, uint32_t addr_be);
void pfcp_put_report_type(struct vpg_wr *w, uint8_t report_type);
/* ie_type: PFCP_IE_USAGE_REPORT_SMR, _SDR or _SRR, after the message it goes in. */
void pfcp_put_usage_report(struct vpg_wr *w, uint16_t ie_type, const struct pfcp_usage_report *ur);

/*
 * What a control plane sends (pfcp_build_rules.c), written from the structs
 * the parser fills, members as their has bits say: for tests, and for the
 * fuzz round trip. Create or Update is chosen by type (PFCP_IE_CREATE_PDR or
 * PFCP_IE_UPDATE_PDR, ...).
 */
void pfcp_put_name(struct vpg_wr *w, uint16_t type, const char *name); /* labels */
void pfcp_put_node_id(struct vpg_wr *w, const struct pfcp_node_id *id);
void pfcp_put_fseid(struct vpg_wr *w, const struct pfcp_fseid *f);
void pfcp_put_fteid(struct vpg_wr *w, const struct pfcp_fteid *f);
void pfcp_put_ue_ip(struct vpg_wr *w, const struct pfcp_ue_ip *u);
void pfcp_put_sdf(struct vpg_wr *w, const struct pfcp_sdf *s);
void pfcp_put_framed_route(struct vpg_wr *w, const struct pfcp_route *r);
void pfcp_put_ohc(struct vpg_wr *w, const struct pfcp_ohc *o);
void pfcp_put_volume(struct vpg_wr *w, uint16_t type, const struct pfcp_volume *v);
void pfcp_put_bitrate(struct vpg_wr *w, uint16_t type, const struct pfcp_bitrate *b);
void pfcp_put_user_id(struct vpg_wr *w, const struct pfcp_user_id *u);
void pfcp_put_pdr(struct vpg_wr *w, uint16_t type, const struct pfcp_pdr *p);
void pfcp_put_far(struct vpg_wr *w, uint16_t type, const struct pfcp_far *f);
void pfcp_put_urr(struct vpg_wr *w, uint16_t type, const struct pfcp_urr *u);
void pfcp_put_qer(struct vpg_wr *w, uint16_t type, const struct pfcp_qer *q);
/* A grouped IE holding one ID (Create BAR, Remove PDR, Query URR, ...). */
void pfcp_put_rule_id(struct vpg_wr *w, uint16_t type, uint16_t id_type, uint32_t id);
/* A Session Establishment or Modification Request (m->hdr.type) from all m holds. */
void pfcp_build_session_req(struct vpg_wr *w, const struct pfcp_msg *m);

/* Whole requests the user plane originates. */
void pfcp_build_heartbeat_req(struct vpg_wr *w, uint32_t seq, uint32_t recovery_ts);
void pfcp_build_session_report_req(
    struct vpg_wr *w, uint64_t seid, uint32_t seq, const struct pfcp_usage_report *ur, size_t n);

#endif
