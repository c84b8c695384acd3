/*
 * Unit tests for the PFCP codec (src/proto/pfcp.c, pfcp_ie.c, pfcp_build.c).
 *
 * Byte vectors, three kinds. Every one was put in a pcap (Ethernet/IPv4/UDP
 * 8805) and decoded by tshark 4.0 with the fields quoted in its comment and
 * no "Malformed" or expert item:
 * - o5_*: captured on N4 between open5gs 2.7.7 smfd and upfd, run by
 *   /work/shared/peers/open5gs/o5-peer (Gn mode: sgsnemu attach, 3 pings, detach);
 * - sc_*: built with Debian's scapy 2.5 (scapy.contrib.pfcp);
 * - built_*: what this codec's builders write; the tests check the builders
 *   write exactly these octets.
 * Other inputs are built in the tests with the builders, or written by hand
 * where the point is a malformed octet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/pfcp.h"

#define IP4(a, b, c, d)                                                                            \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define NTP_2025_12_29 3976000000u /* Dec 29, 2025 12:26:40 UTC, as tshark prints it */

/* Host order and network order agree on the byte values IP4 lays out only on little-endian hosts.
 */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "IP4() assumes a little-endian host");

static struct pfcp_msg msg;
static struct pfcp_err err;

/*
 * open5gs SMF's Association Setup Request. tshark: seq 1, Node ID IPv4
 * 172.31.3.1, Recovery Time Stamp, CP Function Features (1 octet, no bits).
 */
static const uint8_t o5_assoc_setup_req[] = { 0x20, 0x05, 0x00, 0x1a, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03, 0x01, 0x00, 0x60, 0x00, 0x04, 0xee, 0xba, 0x27,
	0xbb, 0x00, 0x59, 0x00, 0x01, 0x00 };

/*
 * open5gs UPF's Association Setup Response. tshark: seq 1, Node ID IPv4
 * 172.31.3.2, Cause 1, Recovery Time Stamp, UP Function Features (4 octets):
 * FTUP, EMPU, FRRT, MNOP, VTIME.
 */
static const uint8_t o5_assoc_setup_rsp[] = { 0x20, 0x06, 0x00, 0x22, 0x00, 0x00, 0x01, 0x00, 0x00,
	0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03, 0x02, 0x00, 0x13, 0x00, 0x01, 0x01, 0x00, 0x60,
	0x00, 0x04, 0xee, 0xba, 0x27, 0xbb, 0x00, 0x2b, 0x00, 0x04, 0x10, 0x21, 0x10, 0x04 };

/* open5gs SMF's Heartbeat Request. tshark: seq 2, Recovery Time Stamp 0xeeba27bb. */
static const uint8_t o5_heartbeat_req[] = { 0x20, 0x01, 0x00, 0x0c, 0x00, 0x00, 0x02, 0x00, 0x00,
	0x60, 0x00, 0x04, 0xee, 0xba, 0x27, 0xbb };

/*
 * open5gs SMF's Session Establishment Request (Gn attach of IMSI
 * 101000000000100, sgsnemu's nibble swap of 001010000000001). tshark: SEID 0,
 * seq 3; Node ID 172.31.3.1; CP F-SEID 0xd26/172.31.3.1;
 * Create PDR 1: precedence 65535, PDI (Source Core, Network Instance
 * "internet", UE IP 10.45.0.2 S/D=1, 3GPP Interface Type N6 (17)), FAR 1, QER 1;
 * Create PDR 2: precedence 65535, PDI (Source Access, F-TEID CH CHID V4 V6
 * CHOOSE ID 5, "internet", UE IP 10.45.0.2, N3 (11)), OHR GTP-U/UDP/IP (6),
 * FAR 2, QER 1;
 * Create PDR 3: precedence 255, PDI (Source CP-function, F-TEID CH V4 V6),
 * OHR 6, FAR 1;
 * Create PDR 4: precedence 255, PDI (Source Access, F-TEID CH CHID V4 V6
 * CHOOSE ID 5, "internet", SDF Filter FD "permit out 58 from ff02::2/128 to
 * assigned", N3), OHR 6, FAR 3;
 * Create FAR 1: FORW (2 octets), Forwarding Parameters (Destination Access,
 * "internet", OHC GTP-U/UDP/IPv4 TEID 1 172.31.1.1, N3);
 * Create FAR 2: FORW, Forwarding Parameters (Destination Core, "internet", N6);
 * Create FAR 3: FORW, Forwarding Parameters (Destination CP-Function, OHC
 * GTP-U/UDP/IPv4 TEID 1 172.31.3.1);
 * Create QER 1: gates open, MBR UL 100000 DL 100000;
 * Create BAR 1; PDN Type IPv4; User ID IMSI 101000000000100, IMEI
 * 3534900698733190, MSISDN 8210000000001; APN/DNN "internet".
 */
static const uint8_t o5_sess_est_req[] = { 0x21, 0x32, 0x02, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03,
	0x01, 0x00, 0x39, 0x00, 0x0d, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x26, 0xac,
	0x1f, 0x03, 0x01, 0x00, 0x01, 0x00, 0x42, 0x00, 0x38, 0x00, 0x02, 0x00, 0x01, 0x00, 0x1d,
	0x00, 0x04, 0x00, 0x00, 0xff, 0xff, 0x00, 0x02, 0x00, 0x20, 0x00, 0x14, 0x00, 0x01, 0x01,
	0x00, 0x16, 0x00, 0x09, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x65, 0x74, 0x00, 0x5d,
	0x00, 0x05, 0x06, 0x0a, 0x2d, 0x00, 0x02, 0x00, 0xa0, 0x00, 0x01, 0x11, 0x00, 0x6c, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x6d, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	0x00, 0x4d, 0x00, 0x38, 0x00, 0x02, 0x00, 0x02, 0x00, 0x1d, 0x00, 0x04, 0x00, 0x00, 0xff,
	0xff, 0x00, 0x02, 0x00, 0x26, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x15, 0x00, 0x02, 0x0f,
	0x05, 0x00, 0x16, 0x00, 0x09, 0x08, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x65, 0x74, 0x00,
	0x5d, 0x00, 0x05, 0x02, 0x0a, 0x2d, 0x00, 0x02, 0x00, 0xa0, 0x00, 0x01, 0x0b, 0x00, 0x5f,
	0x00, 0x01, 0x06, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x6d, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x29, 0x00, 0x38, 0x00, 0x02, 0x00, 0x03, 0x00,
	0x1d, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x14, 0x00, 0x01,
	0x03, 0x00, 0x15, 0x00, 0x01, 0x07, 0x00, 0x5f, 0x00, 0x01, 0x06, 0x00, 0x6c, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x6e, 0x00, 0x38, 0x00, 0x02, 0x00, 0x04, 0x00,
	0x1d, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0x00, 0x02, 0x00, 0x4f, 0x00, 0x14, 0x00, 0x01,
	0x00, 0x00, 0x15, 0x00, 0x02, 0x0f, 0x05, 0x00, 0x16, 0x00, 0x09, 0x08, 0x69, 0x6e, 0x74,
	0x65, 0x72, 0x6e, 0x65, 0x74, 0x00, 0x17, 0x00, 0x2e, 0x01, 0x00, 0x00, 0x2a, 0x70, 0x65,
	0x72, 0x6d, 0x69, 0x74, 0x20, 0x6f, 0x75, 0x74, 0x20, 0x35, 0x38, 0x20, 0x66, 0x72, 0x6f,
	0x6d, 0x20, 0x66, 0x66, 0x30, 0x32, 0x3a, 0x3a, 0x32, 0x2f, 0x31, 0x32, 0x38, 0x20, 0x74,
	0x6f, 0x20, 0x61, 0x73, 0x73, 0x69, 0x67, 0x6e, 0x65, 0x64, 0x00, 0xa0, 0x00, 0x01, 0x0b,
	0x00, 0x5f, 0x00, 0x01, 0x06, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x00, 0x03,
	0x00, 0x37, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x2c, 0x00, 0x02, 0x02,
	0x00, 0x00, 0x04, 0x00, 0x25, 0x00, 0x2a, 0x00, 0x01, 0x00, 0x00, 0x16, 0x00, 0x09, 0x08,
	0x69, 0x6e, 0x74, 0x65, 0x72, 0x6e, 0x65, 0x74, 0x00, 0x54, 0x00, 0x0a, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x01, 0xac, 0x1f, 0x01, 0x01, 0x00, 0xa0, 0x00, 0x01, 0x0b, 0x00, 0x03, 0x00,
	0x29, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x2c, 0x00, 0x02, 0x02, 0x00,
	0x00, 0x04, 0x00, 0x17, 0x00, 0x2a, 0x00, 0x01, 0x01, 0x00, 0x16, 0x00, 0x09, 0x08, 0x69,
	0x6e, 0x74, 0x65, 0x72, 0x6e, 0x65, 0x74, 0x00, 0xa0, 0x00, 0x01, 0x11, 0x00, 0x03, 0x00,
	0x25, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x00, 0x2c, 0x00, 0x02, 0x02, 0x00,
	0x00, 0x04, 0x00, 0x13, 0x00, 0x2a, 0x00, 0x01, 0x03, 0x00, 0x54, 0x00, 0x0a, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xac, 0x1f, 0x03, 0x01, 0x00, 0x07, 0x00, 0x1b, 0x00, 0x6d, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x19, 0x00, 0x01, 0x00, 0x00, 0x1a, 0x00, 0x0a, 0x00,
	0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x55, 0x00, 0x05, 0x00, 0x58,
	0x00, 0x01, 0x01, 0x00, 0x71, 0x00, 0x01, 0x01, 0x00, 0x8d, 0x00, 0x1b, 0x07, 0x08, 0x01,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0xf0, 0x08, 0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13,
	0x09, 0x07, 0x28, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x00, 0x9f, 0x00, 0x09, 0x08, 0x69,
	0x6e, 0x74, 0x65, 0x72, 0x6e, 0x65, 0x74 };

/*
 * open5gs UPF's Session Establishment Response. tshark: SEID 0xd26, seq 3,
 * Node ID 172.31.3.2, Cause 1, UP F-SEID 0x313/172.31.3.2, Created PDR 2
 * (TEID 0x903b, 172.31.2.2), 3 (0xd83f), 4 (0x903b).
 */
static const uint8_t o5_sess_est_rsp[] = { 0x21, 0x33, 0x00, 0x70, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0d, 0x26, 0x00, 0x00, 0x03, 0x00, 0x00, 0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03,
	0x02, 0x00, 0x13, 0x00, 0x01, 0x01, 0x00, 0x39, 0x00, 0x0d, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x03, 0x13, 0xac, 0x1f, 0x03, 0x02, 0x00, 0x08, 0x00, 0x13, 0x00, 0x38, 0x00,
	0x02, 0x00, 0x02, 0x00, 0x15, 0x00, 0x09, 0x01, 0x00, 0x00, 0x90, 0x3b, 0xac, 0x1f, 0x02,
	0x02, 0x00, 0x08, 0x00, 0x13, 0x00, 0x38, 0x00, 0x02, 0x00, 0x03, 0x00, 0x15, 0x00, 0x09,
	0x01, 0x00, 0x00, 0xd8, 0x3f, 0xac, 0x1f, 0x02, 0x02, 0x00, 0x08, 0x00, 0x13, 0x00, 0x38,
	0x00, 0x02, 0x00, 0x04, 0x00, 0x15, 0x00, 0x09, 0x01, 0x00, 0x00, 0x90, 0x3b, 0xac, 0x1f,
	0x02, 0x02 };

/* open5gs SMF's Session Deletion Request. tshark: SEID 0x313, seq 4, no IE. */
static const uint8_t o5_sess_del_req[] = { 0x21, 0x36, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0x13, 0x00, 0x00, 0x04, 0x00 };

/* open5gs UPF's Session Deletion Response. tshark: SEID 0xd26, seq 4, Cause 1. */
static const uint8_t o5_sess_del_rsp[] = { 0x21, 0x37, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0d, 0x26, 0x00, 0x00, 0x04, 0x00, 0x00, 0x13, 0x00, 0x01, 0x01 };

/*
 * scapy Session Modification Request. tshark: SEID 0x313, seq 5;
 * Remove PDR 3; Remove FAR 3;
 * Create PDR 5: precedence 10, PDI (Source Core, Network Instance "vrf-blue",
 * UE IP 10.45.0.2 S/D, QFI 9, Framed-Route "198.51.100.0/24 10.45.0.2 1",
 * Framed-Route "203.0.113.0/25", Framed-Routing 00000001, vendor IE 32769 of
 * enterprise 32473 "vendor"), FAR 5, QER 2;
 * Create FAR 5: DROP (1 octet);
 * Create URR 7: DURAT VOLUM, triggers PERIO VOLTH VOLQU, Measurement Period
 * 60, Volume Threshold total 1000000, Volume Quota DL 5000, Time Threshold
 * 300, Time Quota 600;
 * Create QER 2: Correlation ID 77, gates open, GBR UL 500 DL 1000, QFI 9;
 * Update PDR 1: precedence 100, PDI (Source Core, UE IP 10.45.0.2 S/D, SDF
 * Filter "permit out 17 from 192.0.2.0/24 1000-2000,53 to assigned"), FAR 1,
 * URR 7;
 * Update FAR 1: FORW, Update Forwarding Parameters (Destination Access, OHC
 * GTP-U/UDP/IPv4 TEID 0x22 172.31.1.9);
 * Update URR 7: Volume Threshold UL 2000;
 * Update QER 1: UL gate CLOSED, DL OPEN, MBR UL 2000 DL 4000;
 * PFCPSMReq-Flags QAURR; Query URR 7.
 */
static const uint8_t sc_sess_mod_req[] = { 0x21, 0x34, 0x02, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0x13, 0x00, 0x00, 0x05, 0x00, 0x00, 0x0f, 0x00, 0x06, 0x00, 0x38, 0x00, 0x02,
	0x00, 0x03, 0x00, 0x10, 0x00, 0x08, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x00,
	0x01, 0x00, 0x87, 0x00, 0x38, 0x00, 0x02, 0x00, 0x05, 0x00, 0x1d, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x0a, 0x00, 0x02, 0x00, 0x65, 0x00, 0x14, 0x00, 0x01, 0x01, 0x00, 0x16, 0x00, 0x09,
	0x08, 0x76, 0x72, 0x66, 0x2d, 0x62, 0x6c, 0x75, 0x65, 0x00, 0x5d, 0x00, 0x05, 0x06, 0x0a,
	0x2d, 0x00, 0x02, 0x00, 0x7c, 0x00, 0x01, 0x09, 0x00, 0x99, 0x00, 0x1b, 0x31, 0x39, 0x38,
	0x2e, 0x35, 0x31, 0x2e, 0x31, 0x30, 0x30, 0x2e, 0x30, 0x2f, 0x32, 0x34, 0x20, 0x31, 0x30,
	0x2e, 0x34, 0x35, 0x2e, 0x30, 0x2e, 0x32, 0x20, 0x31, 0x00, 0x99, 0x00, 0x0e, 0x32, 0x30,
	0x33, 0x2e, 0x30, 0x2e, 0x31, 0x31, 0x33, 0x2e, 0x30, 0x2f, 0x32, 0x35, 0x00, 0x9a, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x01, 0x80, 0x01, 0x00, 0x08, 0x7e, 0xd9, 0x76, 0x65, 0x6e, 0x64,
	0x6f, 0x72, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x6d, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x02, 0x00, 0x03, 0x00, 0x0d, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05,
	0x00, 0x2c, 0x00, 0x01, 0x01, 0x00, 0x06, 0x00, 0x45, 0x00, 0x51, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x07, 0x00, 0x3e, 0x00, 0x01, 0x03, 0x00, 0x25, 0x00, 0x02, 0x03, 0x01, 0x00, 0x40,
	0x00, 0x04, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x1f, 0x00, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0f, 0x42, 0x40, 0x00, 0x49, 0x00, 0x09, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x13, 0x88, 0x00, 0x20, 0x00, 0x04, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x4a, 0x00, 0x04, 0x00,
	0x00, 0x02, 0x58, 0x00, 0x07, 0x00, 0x28, 0x00, 0x6d, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x1c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4d, 0x00, 0x19, 0x00, 0x01, 0x00, 0x00, 0x1b,
	0x00, 0x0a, 0x00, 0x00, 0x00, 0x01, 0xf4, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x7c, 0x00,
	0x01, 0x09, 0x00, 0x09, 0x00, 0x70, 0x00, 0x38, 0x00, 0x02, 0x00, 0x01, 0x00, 0x1d, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x64, 0x00, 0x02, 0x00, 0x4e, 0x00, 0x14, 0x00, 0x01, 0x01, 0x00,
	0x5d, 0x00, 0x05, 0x06, 0x0a, 0x2d, 0x00, 0x02, 0x00, 0x17, 0x00, 0x3c, 0x01, 0x00, 0x00,
	0x38, 0x70, 0x65, 0x72, 0x6d, 0x69, 0x74, 0x20, 0x6f, 0x75, 0x74, 0x20, 0x31, 0x37, 0x20,
	0x66, 0x72, 0x6f, 0x6d, 0x20, 0x31, 0x39, 0x32, 0x2e, 0x30, 0x2e, 0x32, 0x2e, 0x30, 0x2f,
	0x32, 0x34, 0x20, 0x31, 0x30, 0x30, 0x30, 0x2d, 0x32, 0x30, 0x30, 0x30, 0x2c, 0x35, 0x33,
	0x20, 0x74, 0x6f, 0x20, 0x61, 0x73, 0x73, 0x69, 0x67, 0x6e, 0x65, 0x64, 0x00, 0x6c, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x51, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x0a,
	0x00, 0x24, 0x00, 0x6c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x2c, 0x00, 0x01, 0x02,
	0x00, 0x0b, 0x00, 0x13, 0x00, 0x2a, 0x00, 0x01, 0x00, 0x00, 0x54, 0x00, 0x0a, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x22, 0xac, 0x1f, 0x01, 0x09, 0x00, 0x0d, 0x00, 0x15, 0x00, 0x51, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x1f, 0x00, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x07, 0xd0, 0x00, 0x0e, 0x00, 0x1b, 0x00, 0x6d, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x19, 0x00, 0x01, 0x04, 0x00, 0x1a, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x07, 0xd0, 0x00,
	0x00, 0x00, 0x0f, 0xa0, 0x00, 0x31, 0x00, 0x01, 0x04, 0x00, 0x4d, 0x00, 0x08, 0x00, 0x51,
	0x00, 0x04, 0x00, 0x00, 0x00, 0x07 };

/* scapy. tshark: Association Setup Request, seq 9, Node ID FQDN smf.example.org, CP features LOAD.
 */
static const uint8_t sc_assoc_setup_req_fqdn[] = { 0x20, 0x05, 0x00, 0x26, 0x00, 0x00, 0x09, 0x00,
	0x00, 0x3c, 0x00, 0x11, 0x02, 0x03, 0x73, 0x6d, 0x66, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70,
	0x6c, 0x65, 0x03, 0x6f, 0x72, 0x67, 0x00, 0x60, 0x00, 0x04, 0xec, 0xfc, 0xf2, 0x00, 0x00,
	0x59, 0x00, 0x01, 0x01 };

/* scapy. tshark: Association Update Request, seq 10, Node ID 172.31.3.1, Release Request SARR. */
static const uint8_t sc_assoc_update_req[] = { 0x20, 0x07, 0x00, 0x12, 0x00, 0x00, 0x0a, 0x00, 0x00,
	0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03, 0x01, 0x00, 0x6f, 0x00, 0x01, 0x01 };

/* scapy. tshark: Association Release Request, seq 11, Node ID 172.31.3.1. */
static const uint8_t sc_assoc_release_req[] = { 0x20, 0x09, 0x00, 0x0d, 0x00, 0x00, 0x0b, 0x00,
	0x00, 0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03, 0x01 };

/* scapy. tshark: Session Report Response, SEID 0x313, seq 12, Cause 1. */
static const uint8_t sc_sess_report_rsp[] = { 0x21, 0x39, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0x13, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x13, 0x00, 0x01, 0x01 };

/* Builder. tshark: Heartbeat Request, seq 1193046 (0x123456), Recovery Dec 29, 2025 12:26:40. */
static const uint8_t built_heartbeat_req[] = { 0x20, 0x01, 0x00, 0x0c, 0x12, 0x34, 0x56, 0x00, 0x00,
	0x60, 0x00, 0x04, 0xec, 0xfc, 0xf2, 0x00 };

/* Builder. tshark: Heartbeat Response, seq 2, Recovery Dec 29, 2025 12:26:40. */
static const uint8_t built_heartbeat_rsp[] = { 0x20, 0x02, 0x00, 0x0c, 0x00, 0x00, 0x02, 0x00, 0x00,
	0x60, 0x00, 0x04, 0xec, 0xfc, 0xf2, 0x00 };

/*
 * Builder. tshark: Association Setup Response, seq 1, Node ID 172.31.3.2,
 * Cause 1, Recovery, UP Function Features (2 octets) FTUP, FRRT.
 */
static const uint8_t built_assoc_setup_rsp[] = { 0x20, 0x06, 0x00, 0x20, 0x00, 0x00, 0x01, 0x00,
	0x00, 0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03, 0x02, 0x00, 0x13, 0x00, 0x01, 0x01, 0x00,
	0x60, 0x00, 0x04, 0xec, 0xfc, 0xf2, 0x00, 0x00, 0x2b, 0x00, 0x02, 0x10, 0x20 };

/*
 * Builder. tshark: Association Setup Request, seq 1, Node ID FQDN
 * upf1.vpgd.example, Recovery, UP Function Features (3 octets) FTUP, UEIP,
 * CP Function Features (1 octet, none).
 */
static const uint8_t built_assoc_setup_req_fqdn[] = { 0x20, 0x05, 0x00, 0x2f, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x3c, 0x00, 0x13, 0x02, 0x04, 0x75, 0x70, 0x66, 0x31, 0x04, 0x76, 0x70, 0x67,
	0x64, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x00, 0x60, 0x00, 0x04, 0xec, 0xfc,
	0xf2, 0x00, 0x00, 0x2b, 0x00, 0x03, 0x10, 0x00, 0x04, 0x00, 0x59, 0x00, 0x01, 0x00 };

/*
 * Builder. tshark: Session Establishment Response, SEID 0xd26, seq 3, Node
 * ID 172.31.3.2, Cause 1, F-SEID 0x313/172.31.3.2, Created PDR 2 and 4 (F-TEID
 * 0x903b, 172.31.2.2).
 */
static const uint8_t built_sess_est_rsp[] = { 0x21, 0x33, 0x00, 0x59, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0d, 0x26, 0x00, 0x00, 0x03, 0x00, 0x00, 0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f, 0x03,
	0x02, 0x00, 0x13, 0x00, 0x01, 0x01, 0x00, 0x39, 0x00, 0x0d, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x03, 0x13, 0xac, 0x1f, 0x03, 0x02, 0x00, 0x08, 0x00, 0x13, 0x00, 0x38, 0x00,
	0x02, 0x00, 0x02, 0x00, 0x15, 0x00, 0x09, 0x01, 0x00, 0x00, 0x90, 0x3b, 0xac, 0x1f, 0x02,
	0x02, 0x00, 0x08, 0x00, 0x13, 0x00, 0x38, 0x00, 0x02, 0x00, 0x04, 0x00, 0x15, 0x00, 0x09,
	0x01, 0x00, 0x00, 0x90, 0x3b, 0xac, 0x1f, 0x02, 0x02 };

/* Builder. tshark: Session Establishment Response, Cause Mandatory IE missing (66), Offending IE
 * PDI. */
static const uint8_t built_sess_est_rsp_reject[] = { 0x21, 0x33, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x0d, 0x26, 0x00, 0x00, 0x03, 0x00, 0x00, 0x3c, 0x00, 0x05, 0x00, 0xac, 0x1f,
	0x03, 0x02, 0x00, 0x13, 0x00, 0x01, 0x42, 0x00, 0x28, 0x00, 0x02, 0x00, 0x02 };

/*
 * Builder. tshark: Session Modification Response, SEID 0xd26, seq 5, Cause
 * 1, Usage Report (78): URR ID 7, UR-SEQN 3, trigger VOLTH, Start Time Dec
 * 29, 2025 12:26:40, End Time 12:27:40, Volume total 3000 UL 1000 DL 2000,
 * packets 30/10/20, Duration 60 s.
 */
static const uint8_t built_sess_mod_rsp[] = { 0x21, 0x35, 0x00, 0x78, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0d, 0x26, 0x00, 0x00, 0x05, 0x00, 0x00, 0x13, 0x00, 0x01, 0x01, 0x00, 0x4e, 0x00,
	0x63, 0x00, 0x51, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x68, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x03, 0x00, 0x3f, 0x00, 0x02, 0x02, 0x00, 0x00, 0x4b, 0x00, 0x04, 0xec, 0xfc, 0xf2,
	0x00, 0x00, 0x4c, 0x00, 0x04, 0xec, 0xfc, 0xf2, 0x3c, 0x00, 0x42, 0x00, 0x31, 0x3f, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x14, 0x00, 0x43, 0x00, 0x04, 0x00, 0x00, 0x00, 0x3c };

/* Builder. tshark: Session Deletion Response, seq 4, Cause 1, Usage Report (79) as above, trigger
 * TERMR. */
static const uint8_t built_sess_del_rsp[] = { 0x21, 0x37, 0x00, 0x78, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x0d, 0x26, 0x00, 0x00, 0x04, 0x00, 0x00, 0x13, 0x00, 0x01, 0x01, 0x00, 0x4f, 0x00,
	0x63, 0x00, 0x51, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x68, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x03, 0x00, 0x3f, 0x00, 0x02, 0x00, 0x08, 0x00, 0x4b, 0x00, 0x04, 0xec, 0xfc, 0xf2,
	0x00, 0x00, 0x4c, 0x00, 0x04, 0xec, 0xfc, 0xf2, 0x3c, 0x00, 0x42, 0x00, 0x31, 0x3f, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x14, 0x00, 0x43, 0x00, 0x04, 0x00, 0x00, 0x00, 0x3c };

/*
 * Builder. tshark: Session Report Request, SEID 0xd26, seq 16, Report Type
 * USAR, Usage Report (80): URR ID 7, UR-SEQN 3, trigger PERIO and EVEQU (3
 * octets), Volume total 3000 DL 2000.
 */
static const uint8_t built_sess_report_req[] = { 0x21, 0x38, 0x00, 0x41, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x0d, 0x26, 0x00, 0x00, 0x10, 0x00, 0x00, 0x27, 0x00, 0x01, 0x02, 0x00, 0x50,
	0x00, 0x2c, 0x00, 0x51, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x68, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x03, 0x00, 0x3f, 0x00, 0x03, 0x01, 0x00, 0x01, 0x00, 0x42, 0x00, 0x11, 0x05,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
	0xd0 };

/*
 * Written by hand. tshark: Heartbeat Request, seq 1, Recovery Time Stamp 5
 * (Feb 7, 2036, NTP era 1), Source IP Address (192) V4 172.31.3.1.
 */
static const uint8_t hand_heartbeat_req_source_ip[] = { 0x20, 0x01, 0x00, 0x15, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x60, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0xc0, 0x00, 0x05, 0x02, 0xac,
	0x1f, 0x03, 0x01 };

static uint8_t buf[4096];
static struct vpg_wr w;

/* Header then body, the way the daemon calls them; the header must pass. */
static uint8_t
parse(const uint8_t *b, size_t len)
{
	struct pfcp_hdr h;

	assert_int_equal(pfcp_parse_header(b, len, &h), PFCP_HDR_OK);
	return pfcp_parse_body(b, len, &h, &msg, &err);
}

static uint8_t
parse_built(void)
{
	assert_false(w.overflow);
	return parse(buf, w.len);
}

static void
put_min_pdi(uint8_t src)
{
	size_t g = pfcp_put_group_open(&w, PFCP_IE_PDI);

	pfcp_put_u8(&w, PFCP_IE_SOURCE_INTERFACE, src);
	pfcp_put_group_close(&w, g);
}

static void
put_min_pdr(uint16_t id)
{
	size_t g = pfcp_put_group_open(&w, PFCP_IE_CREATE_PDR);

	pfcp_put_u16(&w, PFCP_IE_PDR_ID, id);
	pfcp_put_u32(&w, PFCP_IE_PRECEDENCE, 100);
	put_min_pdi(PFCP_IFACE_ACCESS);
	pfcp_put_u32(&w, PFCP_IE_FAR_ID, id);
	pfcp_put_group_close(&w, g);
}

static void
put_min_far(uint32_t id)
{
	size_t g = pfcp_put_group_open(&w, PFCP_IE_CREATE_FAR);

	pfcp_put_u32(&w, PFCP_IE_FAR_ID, id);
	pfcp_put_u8(&w, PFCP_IE_APPLY_ACTION, PFCP_AA_FORW);
	pfcp_put_group_close(&w, g);
}

/* A Session Establishment Request up to (without) its Create PDR and FAR. */
static size_t
start_est_req(void)
{
	size_t off;

	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_EST_REQ, 0, 1);
	pfcp_put_node_id_ipv4(&w, IP4(192, 0, 2, 1));
	pfcp_put_fseid_ipv4(&w, 7, IP4(192, 0, 2, 1));
	return off;
}

/* Header */

static void
test_pfcp_parse_header_node_message_decodes(void **state)
{
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(
	    pfcp_parse_header(o5_heartbeat_req, sizeof(o5_heartbeat_req), &h), PFCP_HDR_OK);
	assert_int_equal(h.version, 1);
	assert_int_equal(h.type, PFCP_HEARTBEAT_REQ);
	assert_int_equal(h.length, 12);
	assert_false(h.has_seid);
	assert_false(h.has_prio);
	assert_false(h.follow_on);
	assert_int_equal(h.seq, 2);
	assert_int_equal(h.hdr_len, 8);
	assert_int_equal(h.msg_len, sizeof(o5_heartbeat_req));
}

static void
test_pfcp_parse_header_session_message_decodes_seid(void **state)
{
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(
	    pfcp_parse_header(o5_sess_del_req, sizeof(o5_sess_del_req), &h), PFCP_HDR_OK);
	assert_true(h.has_seid);
	assert_int_equal(h.seid, 0x313);
	assert_int_equal(h.seq, 4);
	assert_int_equal(h.hdr_len, 16);
}

static void
test_pfcp_parse_header_seq_24_bits_and_priority_decode(void **state)
{
	const uint8_t m[] = { 0x23, 0x36, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0, 1, 0xab, 0xcd, 0xef,
		0x70 };
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_OK);
	assert_true(h.has_prio);
	assert_int_equal(h.priority, 7);
	assert_int_equal(h.seq, 0xabcdef);
	assert_int_equal(h.seid, 1);
}

static void
test_pfcp_parse_header_priority_ignored_without_mp(void **state)
{
	uint8_t m[sizeof(o5_heartbeat_req)];
	struct pfcp_hdr h;

	(void)state;
	memcpy(m, o5_heartbeat_req, sizeof(m));
	m[7] = 0x50;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_OK);
	assert_int_equal(h.priority, 0);
}

static void
test_pfcp_parse_header_every_length_below_eight_too_short(void **state)
{
	struct pfcp_hdr h;
	size_t n;

	(void)state;
	for (n = 0; n < 8; n++)
		assert_int_equal(pfcp_parse_header(o5_heartbeat_req, n, &h), PFCP_HDR_TOO_SHORT);
}

static void
test_pfcp_parse_header_seid_truncated_too_short(void **state)
{
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(pfcp_parse_header(o5_sess_del_req, 12, &h), PFCP_HDR_TOO_SHORT);
}

static void
test_pfcp_parse_header_version_2_bad_version(void **state)
{
	uint8_t m[sizeof(o5_heartbeat_req)];
	struct pfcp_hdr h;

	(void)state;
	memcpy(m, o5_heartbeat_req, sizeof(m));
	m[0] = 0x40;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_BAD_VERSION);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.type, PFCP_HEARTBEAT_REQ);
	assert_int_equal(h.seq, 2);
}

static void
test_pfcp_parse_header_version_checked_before_length(void **state)
{
	const uint8_t m[] = { 0x00, 0x01, 0xff, 0xff };
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_BAD_VERSION);
}

static void
test_pfcp_parse_header_length_beyond_datagram_bad_length(void **state)
{
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(pfcp_parse_header(o5_heartbeat_req, sizeof(o5_heartbeat_req) - 1, &h),
	    PFCP_HDR_BAD_LENGTH);
	assert_int_equal(h.type, PFCP_HEARTBEAT_REQ);
	assert_int_equal(h.seq, 2);
}

static void
test_pfcp_parse_header_trailing_octets_without_fo_bad_length(void **state)
{
	uint8_t m[sizeof(o5_heartbeat_req) + 2] = { 0 };
	struct pfcp_hdr h;

	(void)state;
	memcpy(m, o5_heartbeat_req, sizeof(o5_heartbeat_req));
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_BAD_LENGTH);
}

static void
test_pfcp_parse_header_length_below_header_bad_length(void **state)
{
	uint8_t m[sizeof(o5_sess_del_req)];
	struct pfcp_hdr h;

	(void)state;
	memcpy(m, o5_sess_del_req, sizeof(m));
	m[3] = 8; /* 4 + 8 < 16 */
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_BAD_LENGTH);
}

static void
test_pfcp_parse_header_follow_on_leaves_next_message(void **state)
{
	uint8_t m[2 * sizeof(o5_heartbeat_req)];
	struct pfcp_hdr h;

	(void)state;
	memcpy(m, o5_heartbeat_req, sizeof(o5_heartbeat_req));
	memcpy(m + sizeof(o5_heartbeat_req), o5_heartbeat_req, sizeof(o5_heartbeat_req));
	m[0] |= 0x04;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_OK);
	assert_true(h.follow_on);
	assert_int_equal(h.msg_len, sizeof(o5_heartbeat_req));
	assert_int_equal(pfcp_parse_header(m + h.msg_len, sizeof(m) - h.msg_len, &h), PFCP_HDR_OK);
	assert_int_equal(h.seq, 2);
}

static void
test_pfcp_parse_header_session_type_without_s_bad_s_flag(void **state)
{
	const uint8_t m[] = { 0x20, PFCP_SESS_DEL_REQ, 0x00, 0x04, 0, 0, 1, 0 };
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_BAD_S_FLAG);
}

static void
test_pfcp_parse_header_node_type_with_s_bad_s_flag(void **state)
{
	const uint8_t m[] = { 0x21, PFCP_HEARTBEAT_REQ, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0 };
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_BAD_S_FLAG);
}

static void
test_pfcp_parse_header_unknown_type_s_not_checked(void **state)
{
	const uint8_t m[] = { 0x20, 200, 0x00, 0x04, 0, 0, 1, 0 };
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(pfcp_parse_header(m, sizeof(m), &h), PFCP_HDR_OK);
	assert_false(pfcp_type_known(h.type));
}

/* Bodies: open5gs */

static void
test_pfcp_parse_body_o5_assoc_setup_req_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_assoc_setup_req, sizeof(o5_assoc_setup_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.type, PFCP_ASSOC_SETUP_REQ);
	assert_int_equal(msg.node_id.type, PFCP_NODE_ID_IPV4);
	assert_int_equal(msg.node_id.v4_be, IP4(172, 31, 3, 1));
	assert_int_equal(msg.recovery_ts, 0xeeba27bb);
	assert_true((msg.has & PFCP_MSG_HAS_CP_FEATURES) != 0);
	assert_int_equal(msg.cp_features, 0);
	assert_false((msg.has & PFCP_MSG_HAS_UP_FEATURES) != 0);
}

static void
test_pfcp_parse_body_o5_assoc_setup_rsp_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_assoc_setup_rsp, sizeof(o5_assoc_setup_rsp)), PFCP_CAUSE_OK);
	assert_int_equal(msg.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(msg.node_id.v4_be, IP4(172, 31, 3, 2));
	assert_int_equal(msg.up_features,
	    PFCP_UPF_FTUP | PFCP_UPF_EMPU | PFCP_UPF_FRRT | PFCP_UPF_MNOP | PFCP_UPF_VTIME);
}

static void
test_pfcp_parse_body_o5_heartbeat_req_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_heartbeat_req, sizeof(o5_heartbeat_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.has, PFCP_MSG_HAS_RECOVERY);
	assert_int_equal(msg.recovery_ts, 0xeeba27bb);
}

static void
test_pfcp_parse_body_o5_sess_est_req_decodes_pdrs(void **state)
{
	const struct pfcp_pdr *p = msg.create_pdr;
	const struct pfcp_flow *f;

	(void)state;
	assert_int_equal(parse(o5_sess_est_req, sizeof(o5_sess_est_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_create_pdr, 4);
	/* PDR 1: downlink, matched on the UE address as destination. */
	assert_int_equal(p[0].pdr_id, 1);
	assert_int_equal(p[0].precedence, 65535);
	assert_int_equal(p[0].pdi.source_iface, PFCP_IFACE_CORE);
	assert_string_equal(p[0].pdi.network_instance, "internet");
	assert_true(p[0].pdi.ue_ip.has_v4);
	assert_true(p[0].pdi.ue_ip.sd);
	assert_int_equal(p[0].pdi.ue_ip.v4_be, IP4(10, 45, 0, 2));
	assert_int_equal(p[0].pdi.iface_type, 17);
	assert_false((p[0].pdi.has & PFCP_PDI_HAS_FTEID) != 0);
	assert_false((p[0].has & PFCP_PDR_HAS_OHR) != 0);
	assert_int_equal(p[0].far_id, 1);
	assert_int_equal(p[0].n_qer_ids, 1);
	assert_int_equal(p[0].qer_ids[0], 1);
	/* PDR 2: uplink, F-TEID to choose, shared through CHOOSE ID 5 with PDR 4. */
	assert_int_equal(p[1].pdi.source_iface, PFCP_IFACE_ACCESS);
	assert_true(p[1].pdi.fteid.ch);
	assert_true(p[1].pdi.fteid.chid);
	assert_true(p[1].pdi.fteid.has_v4);
	assert_true(p[1].pdi.fteid.has_v6);
	assert_int_equal(p[1].pdi.fteid.choose_id, 5);
	assert_false(p[1].pdi.ue_ip.sd);
	assert_int_equal(p[1].ohr, PFCP_OHR_GTPU_UDP_IP);
	assert_int_equal(p[1].far_id, 2);
	assert_int_equal(p[1].pdi.iface_type, 11);
	/* PDR 3: from the CP function, its own TEID (CH without CHID), to FAR 1. */
	assert_int_equal(p[2].precedence, 255);
	assert_int_equal(p[2].pdi.source_iface, PFCP_IFACE_CP_FUNCTION);
	assert_true(p[2].pdi.fteid.ch);
	assert_false(p[2].pdi.fteid.chid);
	assert_false((p[2].pdi.has & PFCP_PDI_HAS_NETWORK_INSTANCE) != 0);
	assert_int_equal(p[2].far_id, 1);
	assert_int_equal(p[2].n_qer_ids, 0);
	/* PDR 4: router solicitations to the CP function. */
	assert_int_equal(p[3].pdi.n_sdf, 1);
	assert_true((p[3].pdi.has & PFCP_PDI_HAS_SDF) != 0);
	assert_false((p[0].pdi.has & PFCP_PDI_HAS_SDF) != 0);
	assert_true(p[3].pdi.sdf[0].has_fd);
	assert_int_equal(p[3].pdi.sdf[0].fd_len, 42);
	assert_memory_equal(p[3].pdi.sdf[0].fd, "permit out 58 from ff02::2/128 to assigned", 42);
	f = &p[3].pdi.sdf[0].flow;
	assert_false(f->any_proto);
	assert_int_equal(f->proto, 58);
	assert_int_equal(f->src.kind, PFCP_FLOW_IPV6);
	assert_int_equal(f->src.plen, 128);
	assert_int_equal(f->src.addr[0], 0xff);
	assert_int_equal(f->src.addr[15], 0x02);
	assert_int_equal(f->dst.kind, PFCP_FLOW_ASSIGNED);
	assert_int_equal(p[3].far_id, 3);
}

static void
test_pfcp_parse_body_o5_sess_est_req_decodes_fars_qer_bar(void **state)
{
	const struct pfcp_far *f = msg.create_far;
	const struct pfcp_qer *q = msg.create_qer;

	(void)state;
	assert_int_equal(parse(o5_sess_est_req, sizeof(o5_sess_est_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_create_far, 3);
	assert_int_equal(f[0].far_id, 1);
	assert_int_equal(f[0].apply_action, PFCP_AA_FORW);
	assert_int_equal(f[0].fwd.dest_iface, PFCP_IFACE_ACCESS);
	assert_string_equal(f[0].fwd.network_instance, "internet");
	assert_int_equal(f[0].fwd.ohc.desc, PFCP_OHC_GTPU_UDP_IPV4);
	assert_int_equal(f[0].fwd.ohc.teid, 1);
	assert_int_equal(f[0].fwd.ohc.v4_be, IP4(172, 31, 1, 1));
	assert_int_equal(f[1].fwd.dest_iface, PFCP_IFACE_CORE);
	assert_false((f[1].fwd.has & PFCP_FWD_HAS_OHC) != 0);
	assert_int_equal(f[1].fwd.iface_type, 17);
	assert_int_equal(f[2].fwd.dest_iface, PFCP_IFACE_CP_FUNCTION);
	assert_int_equal(f[2].fwd.ohc.v4_be, IP4(172, 31, 3, 1));
	assert_int_equal(msg.n_create_qer, 1);
	assert_int_equal(q[0].qer_id, 1);
	assert_int_equal(q[0].gate.ul, PFCP_GATE_OPEN);
	assert_int_equal(q[0].gate.dl, PFCP_GATE_OPEN);
	assert_int_equal(q[0].mbr.ul, 100000);
	assert_int_equal(q[0].mbr.dl, 100000);
	assert_false((q[0].has & PFCP_QER_HAS_GBR) != 0);
	assert_int_equal(msg.n_create_urr, 0);
	assert_true((msg.has & PFCP_MSG_HAS_CREATE_BAR) != 0);
	assert_int_equal(msg.create_bar, 1);
}

static void
test_pfcp_parse_body_o5_sess_est_req_decodes_session(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_sess_est_req, sizeof(o5_sess_est_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.seid, 0);
	assert_int_equal(msg.hdr.seq, 3);
	assert_int_equal(msg.node_id.v4_be, IP4(172, 31, 3, 1));
	assert_int_equal(msg.fseid.seid, 0xd26);
	assert_true(msg.fseid.ip.has_v4);
	assert_false(msg.fseid.ip.has_v6);
	assert_int_equal(msg.fseid.ip.v4_be, IP4(172, 31, 3, 1));
	assert_int_equal(msg.pdn_type, PFCP_PDN_IPV4);
	assert_true(msg.user_id.has_imsi);
	assert_string_equal(msg.user_id.imsi, "101000000000100");
	assert_true(msg.user_id.has_imei);
	assert_string_equal(msg.user_id.imei, "3534900698733190");
	assert_true(msg.user_id.has_msisdn);
	assert_string_equal(msg.user_id.msisdn, "8210000000001");
	assert_false(msg.user_id.has_nai);
	assert_string_equal(msg.apn, "internet");
}

static void
test_pfcp_parse_body_o5_sess_est_rsp_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_sess_est_rsp, sizeof(o5_sess_est_rsp)), PFCP_CAUSE_OK);
	assert_int_equal(msg.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(msg.fseid.seid, 0x313);
	assert_int_equal(msg.n_created_pdr, 3);
	assert_int_equal(msg.created_pdr[0].pdr_id, 2);
	assert_int_equal(msg.created_pdr[0].fteid.teid, 0x903b);
	assert_int_equal(msg.created_pdr[0].fteid.v4_be, IP4(172, 31, 2, 2));
	assert_int_equal(msg.created_pdr[1].pdr_id, 3);
	assert_int_equal(msg.created_pdr[1].fteid.teid, 0xd83f);
	assert_int_equal(msg.created_pdr[2].fteid.teid, 0x903b);
}

static void
test_pfcp_parse_body_o5_sess_del_req_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_sess_del_req, sizeof(o5_sess_del_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.seid, 0x313);
	assert_int_equal(msg.has, 0);
}

static void
test_pfcp_parse_body_o5_sess_del_rsp_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_sess_del_rsp, sizeof(o5_sess_del_rsp)), PFCP_CAUSE_OK);
	assert_int_equal(msg.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(msg.n_usage_report, 0);
}

/* Bodies: scapy */

static void
test_pfcp_parse_body_sess_mod_req_decodes_removes_and_creates(void **state)
{
	const struct pfcp_pdi *pdi = &msg.create_pdr[0].pdi;
	const struct pfcp_urr *u = &msg.create_urr[0];

	(void)state;
	assert_int_equal(parse(sc_sess_mod_req, sizeof(sc_sess_mod_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.seid, 0x313);
	assert_int_equal(msg.n_remove_pdr, 1);
	assert_int_equal(msg.remove_pdr[0], 3);
	assert_int_equal(msg.n_remove_far, 1);
	assert_int_equal(msg.remove_far[0], 3);
	assert_int_equal(msg.n_create_pdr, 1);
	assert_string_equal(pdi->network_instance, "vrf-blue");
	assert_int_equal(pdi->qfi, 9);
	assert_int_equal(pdi->n_routes, 2);
	assert_int_equal(pdi->routes[0].prefix_be, IP4(198, 51, 100, 0));
	assert_int_equal(pdi->routes[0].plen, 24);
	assert_int_equal(pdi->routes[0].gateway_be, IP4(10, 45, 0, 2));
	assert_int_equal(pdi->routes[0].metric, 1);
	assert_int_equal(pdi->routes[1].prefix_be, IP4(203, 0, 113, 0));
	assert_int_equal(pdi->routes[1].plen, 25);
	assert_int_equal(pdi->routes[1].gateway_be, 0);
	assert_int_equal(pdi->framed_routing, 1);
	assert_int_equal(msg.create_far[0].apply_action, PFCP_AA_DROP);
	assert_int_equal(u->urr_id, 7);
	assert_int_equal(u->method, PFCP_MM_DURAT | PFCP_MM_VOLUM);
	assert_int_equal(u->triggers, PFCP_RT_PERIO | PFCP_RT_VOLTH | PFCP_RT_VOLQU);
	assert_int_equal(u->period, 60);
	assert_int_equal(u->vol_thresh.flags, PFCP_VOL_TOVOL);
	assert_int_equal(u->vol_thresh.total, 1000000);
	assert_int_equal(u->vol_quota.flags, PFCP_VOL_DLVOL);
	assert_int_equal(u->vol_quota.dl, 5000);
	assert_int_equal(u->time_thresh, 300);
	assert_int_equal(u->time_quota, 600);
	assert_int_equal(msg.create_qer[0].corr_id, 77);
	assert_int_equal(msg.create_qer[0].gbr.ul, 500);
	assert_int_equal(msg.create_qer[0].gbr.dl, 1000);
	assert_int_equal(msg.create_qer[0].qfi, 9);
}

static void
test_pfcp_parse_body_sess_mod_req_decodes_updates(void **state)
{
	const struct pfcp_pdr *p = &msg.update_pdr[0];
	const struct pfcp_far *f = &msg.update_far[0];
	const struct pfcp_qer *q = &msg.update_qer[0];
	const struct pfcp_flow *fl;

	(void)state;
	assert_int_equal(parse(sc_sess_mod_req, sizeof(sc_sess_mod_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_update_pdr, 1);
	assert_int_equal(p->has, PFCP_PDR_HAS_PRECEDENCE | PFCP_PDR_HAS_PDI | PFCP_PDR_HAS_FAR_ID |
				     PFCP_PDR_HAS_URR_IDS);
	assert_true((p->pdi.has & PFCP_PDI_HAS_SDF) != 0);
	assert_int_equal(p->precedence, 100);
	assert_int_equal(p->n_urr_ids, 1);
	fl = &p->pdi.sdf[0].flow;
	assert_int_equal(fl->proto, 17);
	assert_int_equal(fl->src.kind, PFCP_FLOW_IPV4);
	assert_int_equal(fl->src.plen, 24);
	assert_int_equal(fl->src.n_ports, 2);
	assert_int_equal(fl->src.ports[0].lo, 1000);
	assert_int_equal(fl->src.ports[0].hi, 2000);
	assert_int_equal(fl->src.ports[1].lo, 53);
	assert_int_equal(fl->src.ports[1].hi, 53);
	assert_int_equal(fl->dst.kind, PFCP_FLOW_ASSIGNED);
	/* Update FAR: what is absent stays as it was, so has says what came. */
	assert_int_equal(f->has, PFCP_FAR_HAS_APPLY_ACTION | PFCP_FAR_HAS_FWD);
	assert_int_equal(f->fwd.has, PFCP_FWD_HAS_DEST_IFACE | PFCP_FWD_HAS_OHC);
	assert_int_equal(f->fwd.ohc.teid, 0x22);
	assert_int_equal(f->fwd.ohc.v4_be, IP4(172, 31, 1, 9));
	assert_int_equal(msg.update_urr[0].has, PFCP_URR_HAS_VOL_THRESH);
	assert_int_equal(msg.update_urr[0].vol_thresh.ul, 2000);
	assert_int_equal(q->has, PFCP_QER_HAS_GATE | PFCP_QER_HAS_MBR);
	assert_int_equal(q->gate.ul, PFCP_GATE_CLOSED);
	assert_int_equal(q->gate.dl, PFCP_GATE_OPEN);
	assert_int_equal(q->mbr.ul, 2000);
	assert_int_equal(q->mbr.dl, 4000);
	assert_int_equal(msg.smreq_flags, PFCP_SMREQ_QAURR);
	assert_int_equal(msg.n_query_urr, 1);
	assert_int_equal(msg.query_urr[0], 7);
}

static void
test_pfcp_parse_body_assoc_setup_req_fqdn_decodes(void **state)
{
	(void)state;
	assert_int_equal(
	    parse(sc_assoc_setup_req_fqdn, sizeof(sc_assoc_setup_req_fqdn)), PFCP_CAUSE_OK);
	assert_int_equal(msg.node_id.type, PFCP_NODE_ID_FQDN);
	assert_string_equal(msg.node_id.fqdn, "smf.example.org");
	assert_int_equal(msg.cp_features, PFCP_CPF_LOAD);
}

static void
test_pfcp_parse_body_assoc_update_req_decodes_release_request(void **state)
{
	(void)state;
	assert_int_equal(parse(sc_assoc_update_req, sizeof(sc_assoc_update_req)), PFCP_CAUSE_OK);
	assert_true((msg.has & PFCP_MSG_HAS_ARR) != 0);
	assert_int_equal(msg.arr_flags, PFCP_ARR_SARR);
}

static void
test_pfcp_parse_body_assoc_release_req_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(sc_assoc_release_req, sizeof(sc_assoc_release_req)), PFCP_CAUSE_OK);
	assert_int_equal(msg.has, PFCP_MSG_HAS_NODE_ID);
}

static void
test_pfcp_parse_body_sess_report_rsp_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(sc_sess_report_rsp, sizeof(sc_sess_report_rsp)), PFCP_CAUSE_OK);
	assert_int_equal(msg.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
}

/* Bodies: refusals */

static void
test_pfcp_parse_body_heartbeat_without_recovery_mandatory_missing(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_HEARTBEAT_REQ, 1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.cause, PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_RECOVERY_TIME_STAMP);
}

static void
test_pfcp_parse_body_est_req_without_far_mandatory_missing(void **state)
{
	size_t off;

	(void)state;
	off = start_est_req();
	put_min_pdr(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_CREATE_FAR);
}

static void
test_pfcp_parse_body_minimal_est_req_decodes(void **state)
{
	size_t off;

	(void)state;
	off = start_est_req();
	put_min_pdr(1);
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_create_pdr, 1);
	assert_int_equal(msg.n_create_far, 1);
	assert_int_equal(msg.fseid.seid, 7);
}

static void
test_pfcp_parse_body_pdr_without_pdi_mandatory_missing(void **state)
{
	size_t off, g;

	(void)state;
	off = start_est_req();
	g = pfcp_put_group_open(&w, PFCP_IE_CREATE_PDR);
	pfcp_put_u16(&w, PFCP_IE_PDR_ID, 1);
	pfcp_put_u32(&w, PFCP_IE_PRECEDENCE, 1);
	pfcp_put_group_close(&w, g);
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_PDI);
}

static void
test_pfcp_parse_body_pdi_without_source_interface_mandatory_missing(void **state)
{
	size_t off, g, p;

	(void)state;
	off = start_est_req();
	g = pfcp_put_group_open(&w, PFCP_IE_CREATE_PDR);
	pfcp_put_u16(&w, PFCP_IE_PDR_ID, 1);
	pfcp_put_u32(&w, PFCP_IE_PRECEDENCE, 1);
	p = pfcp_put_group_open(&w, PFCP_IE_PDI);
	pfcp_put_u8(&w, PFCP_IE_QFI, 9);
	pfcp_put_group_close(&w, p);
	pfcp_put_group_close(&w, g);
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_SOURCE_INTERFACE);
}

static void
test_pfcp_parse_body_create_urr_without_method_mandatory_missing(void **state)
{
	size_t off, g;

	(void)state;
	off = start_est_req();
	put_min_pdr(1);
	put_min_far(1);
	g = pfcp_put_group_open(&w, PFCP_IE_CREATE_URR);
	pfcp_put_u32(&w, PFCP_IE_URR_ID, 1);
	pfcp_put_u8(&w, PFCP_IE_REPORTING_TRIGGERS, PFCP_RT_PERIO);
	pfcp_put_group_close(&w, g);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_MEASUREMENT_METHOD);
}

static void
test_pfcp_parse_body_bad_fseid_mandatory_incorrect(void **state)
{
	const uint8_t bad[9] = { 0 }; /* no V4 or V6 flag, and no address */
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_EST_REQ, 0, 1);
	pfcp_put_node_id_ipv4(&w, IP4(192, 0, 2, 1));
	pfcp_put_ie(&w, PFCP_IE_F_SEID, bad, sizeof(bad));
	put_min_pdr(1);
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(err.ie_type, PFCP_IE_F_SEID);
}

static void
test_pfcp_parse_body_bad_optional_ohc_mandatory_incorrect(void **state)
{
	const uint8_t ohc[] = { 0x00, 0x00, 0, 0, 0, 1 }; /* no header stack chosen */
	size_t off, g, f;

	(void)state;
	off = start_est_req();
	put_min_pdr(1);
	g = pfcp_put_group_open(&w, PFCP_IE_CREATE_FAR);
	pfcp_put_u32(&w, PFCP_IE_FAR_ID, 1);
	pfcp_put_u8(&w, PFCP_IE_APPLY_ACTION, PFCP_AA_FORW);
	f = pfcp_put_group_open(&w, PFCP_IE_FORWARDING_PARAMETERS);
	pfcp_put_u8(&w, PFCP_IE_DESTINATION_INTERFACE, PFCP_IFACE_ACCESS);
	pfcp_put_ie(&w, PFCP_IE_OUTER_HEADER_CREATION, ohc, sizeof(ohc));
	pfcp_put_group_close(&w, f);
	pfcp_put_group_close(&w, g);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(err.ie_type, PFCP_IE_OUTER_HEADER_CREATION);
}

static void
test_pfcp_parse_body_bad_flow_description_mandatory_incorrect(void **state)
{
	const char fd[] = "permit in ip from any to assigned";
	uint8_t sdf[2 + 2 + sizeof(fd) - 1] = { 0x01, 0, 0, sizeof(fd) - 1 };
	size_t off, g, p;

	(void)state;
	memcpy(sdf + 4, fd, sizeof(fd) - 1);
	off = start_est_req();
	g = pfcp_put_group_open(&w, PFCP_IE_CREATE_PDR);
	pfcp_put_u16(&w, PFCP_IE_PDR_ID, 1);
	pfcp_put_u32(&w, PFCP_IE_PRECEDENCE, 1);
	p = pfcp_put_group_open(&w, PFCP_IE_PDI);
	pfcp_put_u8(&w, PFCP_IE_SOURCE_INTERFACE, PFCP_IFACE_CORE);
	pfcp_put_ie(&w, PFCP_IE_SDF_FILTER, sdf, sizeof(sdf));
	pfcp_put_group_close(&w, p);
	pfcp_put_group_close(&w, g);
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(err.ie_type, PFCP_IE_SDF_FILTER);
}

static void
test_pfcp_parse_body_ie_past_message_invalid_length(void **state)
{
	uint8_t m[sizeof(o5_heartbeat_req)];

	(void)state;
	memcpy(m, o5_heartbeat_req, sizeof(m));
	m[11] = 5; /* Recovery Time Stamp claims 5 octets, 4 follow */
	assert_int_equal(parse(m, sizeof(m)), PFCP_CAUSE_INVALID_LENGTH);
	assert_int_equal(err.ie_type, PFCP_IE_RECOVERY_TIME_STAMP);
}

static void
test_pfcp_parse_body_ie_header_cut_short_invalid_length(void **state)
{
	const uint8_t m[] = { 0x20, 0x01, 0x00, 0x0e, 0, 0, 1, 0, 0x00, 0x60, 0x00, 0x04, 1, 2, 3,
		4, 0x00, 0x60 };

	(void)state;
	assert_int_equal(parse(m, sizeof(m)), PFCP_CAUSE_INVALID_LENGTH);
	assert_int_equal(err.ie_type, 0);
}

static void
test_pfcp_parse_body_member_past_group_invalid_length(void **state)
{
	const uint8_t pdr[] = { 0x00, 0x38, 0x00, 0x03, 0x00,
		0x01 }; /* PDR ID claims 3, 2 follow */
	size_t off;

	(void)state;
	off = start_est_req();
	pfcp_put_ie(&w, PFCP_IE_CREATE_PDR, pdr, sizeof(pdr));
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_INVALID_LENGTH);
	assert_int_equal(err.ie_type, PFCP_IE_PDR_ID);
}

static void
test_pfcp_parse_body_short_scalar_mandatory_incorrect(void **state)
{
	uint8_t m[sizeof(o5_heartbeat_req)];

	(void)state;
	memcpy(m, o5_heartbeat_req, sizeof(m));
	m[3] = 11; /* one octet less in the message ... */
	m[11] = 3; /* ... and in the Recovery Time Stamp */
	assert_int_equal(parse(m, sizeof(m) - 1), PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(err.ie_type, PFCP_IE_RECOVERY_TIME_STAMP);
}

static void
test_pfcp_parse_body_longer_scalar_extension_ignored(void **state)
{
	size_t off;
	const uint8_t ts[] = { 0xee, 0xba, 0x27, 0xbb, 0x99 };

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_HEARTBEAT_REQ, 1);
	pfcp_put_ie(&w, PFCP_IE_RECOVERY_TIME_STAMP, ts, sizeof(ts));
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.recovery_ts, 0xeeba27bb);
}

static void
test_pfcp_parse_body_repeated_single_ie_first_wins(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_HEARTBEAT_REQ, 1);
	pfcp_put_recovery_ts(&w, 111);
	pfcp_put_recovery_ts(&w, 222);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.recovery_ts, 111);
}

static void
test_pfcp_parse_body_unknown_and_vendor_ies_skipped(void **state)
{
	const uint8_t vendor[] = { 0x7e, 0xd9, 'x' }; /* enterprise 32473 */
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_HEARTBEAT_REQ, 1);
	pfcp_put_u8(&w, 999, 1);
	pfcp_put_ie(&w, 0x8001, vendor, sizeof(vendor));
	pfcp_put_recovery_ts(&w, 5);
	pfcp_put_ie(&w, PFCP_IE_CREATE_PDR, NULL, 0); /* not expected in a heartbeat */
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.recovery_ts, 5);
	assert_int_equal(msg.n_create_pdr, 0);
}

static void
test_pfcp_parse_body_seventeen_pdrs_no_resources(void **state)
{
	size_t off;
	uint16_t i;

	(void)state;
	off = start_est_req();
	for (i = 1; i <= PFCP_MAX_PDR + 1; i++)
		put_min_pdr(i);
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_NO_RESOURCES);
	assert_int_equal(err.ie_type, PFCP_IE_CREATE_PDR);
}

static void
test_pfcp_parse_body_sixteen_pdrs_decode(void **state)
{
	size_t off;
	uint16_t i;

	(void)state;
	off = start_est_req();
	for (i = 1; i <= PFCP_MAX_PDR; i++)
		put_min_pdr(i);
	put_min_far(1);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_create_pdr, PFCP_MAX_PDR);
	assert_int_equal(msg.create_pdr[PFCP_MAX_PDR - 1].pdr_id, PFCP_MAX_PDR);
}

static void
test_pfcp_parse_body_pfd_management_service_not_supported(void **state)
{
	const uint8_t m[] = { 0x20, PFCP_PFD_MGMT_REQ, 0x00, 0x04, 0, 0, 1, 0 };

	(void)state;
	assert_int_equal(parse(m, sizeof(m)), PFCP_CAUSE_SERVICE_NOT_SUPPORTED);
	assert_true(pfcp_type_known(PFCP_PFD_MGMT_REQ));
}

static void
test_pfcp_parse_body_unknown_type_service_not_supported(void **state)
{
	const uint8_t m[] = { 0x20, 99, 0x00, 0x04, 0, 0, 1, 0 };

	(void)state;
	assert_int_equal(parse(m, sizeof(m)), PFCP_CAUSE_SERVICE_NOT_SUPPORTED);
	assert_int_equal(err.ie_type, 0);
}

static void
test_pfcp_parse_body_length_past_buffer_invalid_length(void **state)
{
	struct pfcp_hdr h;

	(void)state;
	assert_int_equal(
	    pfcp_parse_header(o5_heartbeat_req, sizeof(o5_heartbeat_req), &h), PFCP_HDR_OK);
	assert_int_equal(
	    pfcp_parse_body(o5_heartbeat_req, sizeof(o5_heartbeat_req) - 1, &h, &msg, &err),
	    PFCP_CAUSE_INVALID_LENGTH);
}

static void
test_pfcp_parse_body_update_far_without_members_keeps_has_zero(void **state)
{
	size_t off, g;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_MOD_REQ, 9, 1);
	g = pfcp_put_group_open(&w, PFCP_IE_UPDATE_FAR);
	pfcp_put_u32(&w, PFCP_IE_FAR_ID, 4);
	pfcp_put_group_close(&w, g);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_update_far, 1);
	assert_int_equal(msg.update_far[0].far_id, 4);
	assert_int_equal(msg.update_far[0].has, 0);
}

static void
test_pfcp_parse_body_update_pdr_without_id_mandatory_missing(void **state)
{
	size_t off, g;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_MOD_REQ, 9, 1);
	g = pfcp_put_group_open(&w, PFCP_IE_UPDATE_PDR);
	pfcp_put_u32(&w, PFCP_IE_PRECEDENCE, 4);
	pfcp_put_group_close(&w, g);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_PDR_ID);
}

static void
test_pfcp_parse_body_heartbeat_with_source_ip_decodes(void **state)
{
	(void)state;
	assert_int_equal(parse(hand_heartbeat_req_source_ip, sizeof(hand_heartbeat_req_source_ip)),
	    PFCP_CAUSE_OK);
	assert_int_equal(msg.recovery_ts, 5);
	assert_true((msg.has & PFCP_MSG_HAS_SOURCE_IP) != 0);
	assert_true(msg.source_ip.has_v4);
	assert_int_equal(msg.source_ip.v4_be, IP4(172, 31, 3, 1));
}

static void
test_pfcp_parse_body_node_report_req_decodes(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_NODE_REPORT_REQ, 3);
	pfcp_put_node_id_ipv4(&w, IP4(192, 0, 2, 1));
	pfcp_put_u8(&w, PFCP_IE_NODE_REPORT_TYPE, 0x01);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.node_report_type, 0x01);
}

static void
test_pfcp_parse_body_node_report_req_without_type_mandatory_missing(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_NODE_REPORT_REQ, 3);
	pfcp_put_node_id_ipv4(&w, IP4(192, 0, 2, 1));
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_NODE_REPORT_TYPE);
}

static void
test_pfcp_parse_body_assoc_setup_rsp_without_recovery_mandatory_missing(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_ASSOC_SETUP_RSP, 3);
	pfcp_put_node_id_ipv4(&w, IP4(192, 0, 2, 1));
	pfcp_put_cause(&w, PFCP_CAUSE_REQUEST_ACCEPTED);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(err.ie_type, PFCP_IE_RECOVERY_TIME_STAMP);
}

static void
test_pfcp_parse_body_version_not_supported_decodes(void **state)
{
	const uint8_t m[] = { 0x20, PFCP_VERSION_NOT_SUPPORTED, 0x00, 0x04, 0x00, 0x00, 0x09,
		0x00 };

	(void)state;
	assert_int_equal(parse(m, sizeof(m)), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.seq, 9);
	assert_int_equal(msg.has, 0);
}

static void
test_pfcp_parse_body_bad_pdn_type_mandatory_incorrect(void **state)
{
	size_t off;

	(void)state;
	off = start_est_req();
	put_min_pdr(1);
	put_min_far(1);
	pfcp_put_u8(&w, PFCP_IE_PDN_TYPE, 0);
	pfcp_build_finish(&w, off);
	assert_int_equal(parse_built(), PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(err.ie_type, PFCP_IE_PDN_TYPE);
}

/* IE decoders */

static void
test_pfcp_ie_fteid_ipv4_decodes(void **state)
{
	const uint8_t v[] = { 0x01, 0x00, 0x00, 0x90, 0x3b, 172, 31, 2, 2 };
	struct pfcp_fteid f;

	(void)state;
	assert_int_equal(pfcp_ie_fteid(v, sizeof(v), &f), 0);
	assert_false(f.ch);
	assert_true(f.has_v4);
	assert_int_equal(f.teid, 0x903b);
	assert_int_equal(f.v4_be, IP4(172, 31, 2, 2));
}

static void
test_pfcp_ie_fteid_ipv6_decodes(void **state)
{
	uint8_t v[1 + 4 + 16] = { 0x02, 0, 0, 0, 9, 0x20, 0x01, 0x0d, 0xb8 };
	struct pfcp_fteid f;

	(void)state;
	v[20] = 1;
	assert_int_equal(pfcp_ie_fteid(v, sizeof(v), &f), 0);
	assert_true(f.has_v6);
	assert_int_equal(f.teid, 9);
	assert_int_equal(f.v6[0], 0x20);
	assert_int_equal(f.v6[15], 1);
}

static void
test_pfcp_ie_fteid_choose_with_id_decodes(void **state)
{
	const uint8_t v[] = { 0x0d, 5 };
	struct pfcp_fteid f;

	(void)state;
	assert_int_equal(pfcp_ie_fteid(v, sizeof(v), &f), 0);
	assert_true(f.ch);
	assert_true(f.chid);
	assert_int_equal(f.choose_id, 5);
}

static void
test_pfcp_ie_fteid_chid_without_ch_fails(void **state)
{
	const uint8_t v[] = { 0x09, 0, 0, 0, 1, 1, 2, 3, 4 };
	struct pfcp_fteid f;

	(void)state;
	assert_int_equal(pfcp_ie_fteid(v, sizeof(v), &f), -1);
}

static void
test_pfcp_ie_fteid_no_family_fails(void **state)
{
	const uint8_t v[] = { 0x00, 0, 0, 0, 1 };
	struct pfcp_fteid f;

	(void)state;
	assert_int_equal(pfcp_ie_fteid(v, sizeof(v), &f), -1);
}

static void
test_pfcp_ie_fteid_address_truncated_fails(void **state)
{
	const uint8_t v[] = { 0x01, 0, 0, 0, 1, 10, 0, 0 };
	struct pfcp_fteid f;

	(void)state;
	assert_int_equal(pfcp_ie_fteid(v, sizeof(v), &f), -1);
}

static void
test_pfcp_ie_fteid_chid_id_missing_fails(void **state)
{
	const uint8_t v[] = { 0x0d };
	struct pfcp_fteid f;

	(void)state;
	assert_int_equal(pfcp_ie_fteid(v, sizeof(v), &f), -1);
}

static void
test_pfcp_ie_fseid_ipv6_truncated_fails(void **state)
{
	const uint8_t v[] = { 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0x20, 0x01 };
	struct pfcp_fseid f;

	(void)state;
	assert_int_equal(pfcp_ie_fseid(v, sizeof(v), &f), -1);
}

static void
test_pfcp_ie_fseid_both_families_decode(void **state)
{
	uint8_t v[1 + 8 + 4 + 16] = { 0x03, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 10, 0, 0, 1, 0xfe, 0x80 };
	struct pfcp_fseid f;

	(void)state;
	assert_int_equal(pfcp_ie_fseid(v, sizeof(v), &f), 0);
	assert_int_equal(f.seid, 0x102);
	assert_int_equal(f.ip.v4_be, IP4(10, 0, 0, 1));
	assert_int_equal(f.ip.v6[0], 0xfe);
}

static void
test_pfcp_ie_node_id_ipv6_decodes(void **state)
{
	uint8_t v[17] = { 0x01, 0x20, 0x01 };
	struct pfcp_node_id n;

	(void)state;
	assert_int_equal(pfcp_ie_node_id(v, sizeof(v), &n), 0);
	assert_int_equal(n.type, PFCP_NODE_ID_IPV6);
	assert_int_equal(n.v6[0], 0x20);
}

static void
test_pfcp_ie_node_id_unknown_type_fails(void **state)
{
	const uint8_t v[] = { 0x03, 1, 2, 3, 4 };
	struct pfcp_node_id n;

	(void)state;
	assert_int_equal(pfcp_ie_node_id(v, sizeof(v), &n), -1);
}

static void
test_pfcp_ie_node_id_ipv4_short_fails(void **state)
{
	const uint8_t v[] = { 0x00, 1, 2, 3 };
	struct pfcp_node_id n;

	(void)state;
	assert_int_equal(pfcp_ie_node_id(v, sizeof(v), &n), -1);
}

static void
test_pfcp_ie_ue_ip_choose_v4_decodes(void **state)
{
	const uint8_t v[] = { 0x10 };
	struct pfcp_ue_ip u;

	(void)state;
	assert_int_equal(pfcp_ie_ue_ip(v, sizeof(v), &u), 0);
	assert_true(u.chv4);
	assert_false(u.has_v4);
}

static void
test_pfcp_ie_ue_ip_choose_and_address_fails(void **state)
{
	const uint8_t v[] = { 0x12, 10, 0, 0, 1 };
	struct pfcp_ue_ip u;

	(void)state;
	assert_int_equal(pfcp_ie_ue_ip(v, sizeof(v), &u), -1);
}

static void
test_pfcp_ie_ue_ip_ipv6_with_prefix_length_decodes(void **state)
{
	uint8_t v[1 + 16 + 1] = { 0x41, 0x20, 0x01 };
	struct pfcp_ue_ip u;

	(void)state;
	v[17] = 64;
	assert_int_equal(pfcp_ie_ue_ip(v, sizeof(v), &u), 0);
	assert_true(u.has_v6);
	assert_int_equal(u.v6[1], 0x01);
}

static void
test_pfcp_ie_ue_ip_prefix_length_missing_fails(void **state)
{
	uint8_t v[1 + 16] = { 0x41 };
	struct pfcp_ue_ip u;

	(void)state;
	assert_int_equal(pfcp_ie_ue_ip(v, sizeof(v), &u), -1);
}

static void
test_pfcp_ie_source_ip_v4_with_mask_decodes(void **state)
{
	const uint8_t v[] = { 0x06, 172, 31, 3, 1, 24 };
	struct pfcp_ip ip;

	(void)state;
	assert_int_equal(pfcp_ie_source_ip(v, sizeof(v), &ip), 0);
	assert_true(ip.has_v4);
	assert_int_equal(ip.v4_be, IP4(172, 31, 3, 1));
}

static void
test_pfcp_ie_sdf_all_fields_decode(void **state)
{
	const uint8_t v[] = { 0x1f, 0, 0, 29, 'p', 'e', 'r', 'm', 'i', 't', ' ', 'o', 'u', 't', ' ',
		'i', 'p', ' ', 'f', 'r', 'o', 'm', ' ', 'a', 'n', 'y', ' ', 't', 'o', ' ', 'a', 'n',
		'y', 0x2e, 0xff, 0, 0, 0, 7, 0x0a, 0xbc, 0xde, 0, 0, 0, 42 };
	struct pfcp_sdf s;

	(void)state;
	assert_int_equal(pfcp_ie_sdf(v, sizeof(v), &s), 0);
	assert_true(s.flow.any_proto);
	assert_int_equal(s.flow.src.kind, PFCP_FLOW_ANY);
	assert_int_equal(s.ttc, 0x2eff);
	assert_int_equal(s.spi, 7);
	assert_int_equal(s.flow_label, 0x0abcde);
	assert_int_equal(s.filter_id, 42);
}

static void
test_pfcp_ie_sdf_description_past_end_fails(void **state)
{
	const uint8_t v[] = { 0x01, 0, 0, 40, 'p', 'e', 'r' };
	struct pfcp_sdf s;

	(void)state;
	assert_int_equal(pfcp_ie_sdf(v, sizeof(v), &s), -1);
}

static void
test_pfcp_ie_sdf_spi_missing_fails(void **state)
{
	const uint8_t v[] = { 0x04, 0, 0, 0 };
	struct pfcp_sdf s;

	(void)state;
	assert_int_equal(pfcp_ie_sdf(v, sizeof(v), &s), -1);
}

static void
test_pfcp_ie_ohc_udp_ipv4_port_decodes(void **state)
{
	const uint8_t v[] = { 0x04, 0x00, 192, 0, 2, 7, 0x08, 0x68 };
	struct pfcp_ohc o;

	(void)state;
	assert_int_equal(pfcp_ie_ohc(v, sizeof(v), &o), 0);
	assert_int_equal(o.desc, PFCP_OHC_UDP_IPV4);
	assert_int_equal(o.v4_be, IP4(192, 0, 2, 7));
	assert_int_equal(o.port, 2152);
}

static void
test_pfcp_ie_ohc_two_stacks_fails(void **state)
{
	const uint8_t v[] = { 0x03, 0x00, 0, 0, 0, 1, 10, 0, 0, 1 };
	struct pfcp_ohc o;

	(void)state;
	assert_int_equal(pfcp_ie_ohc(v, sizeof(v), &o), -1);
}

static void
test_pfcp_ie_ohc_teid_truncated_fails(void **state)
{
	const uint8_t v[] = { 0x01, 0x00, 0, 0 };
	struct pfcp_ohc o;

	(void)state;
	assert_int_equal(pfcp_ie_ohc(v, sizeof(v), &o), -1);
}

static void
test_pfcp_ie_ohc_gtpu_ipv6_decodes(void **state)
{
	uint8_t v[2 + 4 + 16] = { 0x02, 0x00, 0, 0, 0, 5, 0x20, 0x01 };
	struct pfcp_ohc o;

	(void)state;
	assert_int_equal(pfcp_ie_ohc(v, sizeof(v), &o), 0);
	assert_int_equal(o.teid, 5);
	assert_int_equal(o.v6[0], 0x20);
}

static void
test_pfcp_ie_volume_all_three_decode(void **state)
{
	const uint8_t v[] = { 0x07, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0,
		0, 0, 2 };
	struct pfcp_volume vol;

	(void)state;
	assert_int_equal(pfcp_ie_volume(v, sizeof(v), &vol), 0);
	assert_int_equal(vol.total, 3);
	assert_int_equal(vol.ul, 1);
	assert_int_equal(vol.dl, 0x100000002ULL);
}

static void
test_pfcp_ie_volume_flag_without_value_fails(void **state)
{
	const uint8_t v[] = { 0x02, 0, 0, 0, 1 };
	struct pfcp_volume vol;

	(void)state;
	assert_int_equal(pfcp_ie_volume(v, sizeof(v), &vol), -1);
}

static void
test_pfcp_ie_bitrate_forty_bits_decode(void **state)
{
	const uint8_t v[] = { 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 2 };
	struct pfcp_bitrate b;

	(void)state;
	assert_int_equal(pfcp_ie_bitrate(v, sizeof(v), &b), 0);
	assert_int_equal(b.ul, 0xff00000001ULL);
	assert_int_equal(b.dl, 2);
}

static void
test_pfcp_ie_bitrate_short_fails(void **state)
{
	const uint8_t v[9] = { 0 };
	struct pfcp_bitrate b;

	(void)state;
	assert_int_equal(pfcp_ie_bitrate(v, sizeof(v), &b), -1);
}

static void
test_pfcp_ie_user_id_nai_decodes(void **state)
{
	const uint8_t v[] = { 0x09, 0x03, 0x21, 0x43, 0xf5, 0x05, 'u', '@', 'e', '.', 'x' };
	struct pfcp_user_id u;

	(void)state;
	assert_int_equal(pfcp_ie_user_id(v, sizeof(v), &u), 0);
	assert_string_equal(u.imsi, "12345");
	assert_string_equal(u.nai, "u@e.x");
	assert_false(u.has_imei);
}

static void
test_pfcp_ie_user_id_imsi_past_end_fails(void **state)
{
	const uint8_t v[] = { 0x01, 0x08, 0x21, 0x43 };
	struct pfcp_user_id u;

	(void)state;
	assert_int_equal(pfcp_ie_user_id(v, sizeof(v), &u), -1);
}

static void
test_pfcp_ie_user_id_digit_after_filler_fails(void **state)
{
	const uint8_t v[] = { 0x01, 0x02, 0xf1, 0x32 };
	struct pfcp_user_id u;

	(void)state;
	assert_int_equal(pfcp_ie_user_id(v, sizeof(v), &u), -1);
}

static void
test_pfcp_ie_user_id_imsi_too_long_fails(void **state)
{
	const uint8_t v[] = { 0x01, 0x08, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11 };
	struct pfcp_user_id u;

	(void)state;
	assert_int_equal(pfcp_ie_user_id(v, sizeof(v), &u), -1);
}

static void
test_pfcp_ie_labels_several_decode_dotted(void **state)
{
	const uint8_t v[] = { 3, 'a', 'b', 'c', 2, 'd', '-' };
	char out[16];

	(void)state;
	assert_int_equal(pfcp_ie_labels(v, sizeof(v), out, sizeof(out)), 0);
	assert_string_equal(out, "abc.d-");
}

static void
test_pfcp_ie_labels_exact_fit_decodes(void **state)
{
	const uint8_t v[] = { 1, 'a', 1, 'b' };
	char out[4];

	(void)state;
	assert_int_equal(pfcp_ie_labels(v, sizeof(v), out, sizeof(out)), 0);
	assert_string_equal(out, "a.b");
}

static void
test_pfcp_ie_labels_too_long_for_cap_fails(void **state)
{
	const uint8_t v[] = { 1, 'a', 1, 'b' };
	char out[3];

	(void)state;
	assert_int_equal(pfcp_ie_labels(v, sizeof(v), out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_pfcp_ie_labels_empty_label_fails(void **state)
{
	const uint8_t v[] = { 1, 'a', 0 };
	char out[8];

	(void)state;
	assert_int_equal(pfcp_ie_labels(v, sizeof(v), out, sizeof(out)), -1);
}

static void
test_pfcp_ie_labels_bad_character_fails(void **state)
{
	const uint8_t v[] = { 2, 'a', '"' };
	char out[8];

	(void)state;
	assert_int_equal(pfcp_ie_labels(v, sizeof(v), out, sizeof(out)), -1);
}

static void
test_pfcp_ie_labels_empty_fails(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(pfcp_ie_labels((const uint8_t *)"", 0, out, sizeof(out)), -1);
}

static void
test_pfcp_ie_network_instance_plain_text_decodes(void **state)
{
	const uint8_t v[] = { 'v', 'r', 'f', '.', 'b', '_', '1' };
	char out[16];

	(void)state;
	assert_int_equal(pfcp_ie_network_instance(v, sizeof(v), out, sizeof(out)), 0);
	assert_string_equal(out, "vrf.b_1");
}

static void
test_pfcp_ie_network_instance_bad_text_fails(void **state)
{
	const uint8_t v[] = { 'v', ' ', 'x' };
	char out[16];

	(void)state;
	assert_int_equal(pfcp_ie_network_instance(v, sizeof(v), out, sizeof(out)), -1);
}

static void
test_pfcp_ie_network_instance_text_too_long_fails(void **state)
{
	const uint8_t v[] = { 'v', 'r', 'f' };
	char out[3];

	(void)state;
	assert_int_equal(pfcp_ie_network_instance(v, sizeof(v), out, sizeof(out)), -1);
}

static void
test_pfcp_ie_flags_newer_octets_ignored(void **state)
{
	const uint8_t v[] = { 0x10, 0x20, 0x04, 0xff };
	uint64_t f;

	(void)state;
	assert_int_equal(pfcp_ie_flags(v, sizeof(v), 3, &f), 0);
	assert_int_equal(f, PFCP_UPF_FTUP | PFCP_UPF_FRRT | PFCP_UPF_UEIP);
}

static void
test_pfcp_ie_flags_empty_fails(void **state)
{
	uint64_t f;

	(void)state;
	assert_int_equal(pfcp_ie_flags((const uint8_t *)"", 0, 3, &f), -1);
}

/* Flow descriptions, TS 29.212 §5.4.2 */

static int
flow(const char *s, struct pfcp_flow *f)
{
	return pfcp_flow_parse(s, strlen(s), f);
}

static void
test_pfcp_flow_parse_ip_any_to_assigned_decodes(void **state)
{
	struct pfcp_flow f;

	(void)state;
	assert_int_equal(flow("permit out ip from any to assigned", &f), 0);
	assert_true(f.any_proto);
	assert_int_equal(f.src.kind, PFCP_FLOW_ANY);
	assert_int_equal(f.src.n_ports, 0);
	assert_int_equal(f.dst.kind, PFCP_FLOW_ASSIGNED);
}

static void
test_pfcp_flow_parse_ports_both_sides_decode(void **state)
{
	struct pfcp_flow f;

	(void)state;
	assert_int_equal(flow("permit out 6 from 10.0.0.1 80,443 to assigned 1024-65535", &f), 0);
	assert_int_equal(f.proto, 6);
	assert_int_equal(f.src.kind, PFCP_FLOW_IPV4);
	assert_int_equal(f.src.plen, 32);
	assert_int_equal(f.src.n_ports, 2);
	assert_int_equal(f.src.ports[1].lo, 443);
	assert_int_equal(f.dst.n_ports, 1);
	assert_int_equal(f.dst.ports[0].lo, 1024);
	assert_int_equal(f.dst.ports[0].hi, 65535);
}

static void
test_pfcp_flow_parse_ipv6_prefix_decodes(void **state)
{
	struct pfcp_flow f;

	(void)state;
	assert_int_equal(flow("permit out 58 from fe80::/10 to ff02::2/128", &f), 0);
	assert_int_equal(f.src.kind, PFCP_FLOW_IPV6);
	assert_int_equal(f.src.plen, 10);
	assert_int_equal(f.src.addr[0], 0xfe);
	assert_int_equal(f.dst.plen, 128);
}

static void
test_pfcp_flow_parse_extra_spaces_decode(void **state)
{
	struct pfcp_flow f;

	(void)state;
	assert_int_equal(flow("  permit  out 17 from any  to 192.0.2.0/24 53 ", &f), 0);
	assert_int_equal(f.dst.plen, 24);
	assert_int_equal(f.dst.ports[0].hi, 53);
}

static void
test_pfcp_flow_parse_refusals_fail(void **state)
{
	static const char *const bad[] = {
		"",
		"permit",
		"deny out ip from any to any",
		"permit in ip from any to any",
		"permit out tcp from any to any",
		"permit out 256 from any to any",
		"permit out ip any to any",
		"permit out ip from any",
		"permit out ip from any assigned",
		"permit out ip from any to",
		"permit out ip from any to any frag",
		"permit out ip from !10.0.0.1 to any",
		"permit out ip from 10.0.0.1/33 to any",
		"permit out ip from ::1/129 to any",
		"permit out ip from 10.0.0.256 to any",
		"permit out ip from 10.0.0.1/ to any",
		"permit out ip from any 80- to any",
		"permit out ip from any 90-80 to any",
		"permit out ip from any 65536 to any",
		"permit out ip from any 80, to any",
		"permit out ip from any 1,2,3,4,5 to any",
		"permit out ip from any to any 1 2",
		"permit out ip from "
		"0123456789012345678901234567890123456789012345678901234567890123 to any",
	};
	struct pfcp_flow f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (flow(bad[i], &f) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
}

static void
test_pfcp_flow_parse_control_character_fails(void **state)
{
	const char s[] = "permit out ip from any to\tany";
	struct pfcp_flow f;

	(void)state;
	assert_int_equal(pfcp_flow_parse(s, sizeof(s) - 1, &f), -1);
}

static void
test_pfcp_flow_parse_not_nul_terminated_decodes(void **state)
{
	const char s[] = "permit out ip from any to assignedXYZ";
	struct pfcp_flow f;

	(void)state;
	assert_int_equal(pfcp_flow_parse(s, sizeof(s) - 4, &f), 0);
	assert_int_equal(f.dst.kind, PFCP_FLOW_ASSIGNED);
}

/* Framed-Route, RFC 2865 §5.22 */

static int
route(const char *s, struct pfcp_route *r)
{
	return pfcp_route_parse(s, strlen(s), r);
}

static void
test_pfcp_route_parse_prefix_gateway_metric_decodes(void **state)
{
	struct pfcp_route r;

	(void)state;
	assert_int_equal(route("198.51.100.0/24 10.45.0.2 7", &r), 0);
	assert_int_equal(r.prefix_be, IP4(198, 51, 100, 0));
	assert_int_equal(r.plen, 24);
	assert_int_equal(r.gateway_be, IP4(10, 45, 0, 2));
	assert_int_equal(r.metric, 7);
}

static void
test_pfcp_route_parse_host_without_length_is_32(void **state)
{
	struct pfcp_route r;

	(void)state;
	assert_int_equal(route("192.0.2.9", &r), 0);
	assert_int_equal(r.plen, 32);
	assert_int_equal(r.gateway_be, 0);
}

static void
test_pfcp_route_parse_refusals_fail(void **state)
{
	static const char *const bad[] = { "", "2001:db8::/32", "10.0.0.0/8 gw", "10.0.0.0/8 ::1",
		"10.0.0.0/8 10.0.0.1 x", "10.0.0.0/8 10.0.0.1 4294967296",
		"10.0.0.0/8 10.0.0.1 1 2", "10.0.0.0/8 255.255.255.255.1", "any" };
	struct pfcp_route r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (route(bad[i], &r) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
}

/* Builders */

static void
test_pfcp_build_heartbeat_req_matches_vector(void **state)
{
	(void)state;
	wr_init(&w, buf, sizeof(buf));
	pfcp_build_heartbeat_req(&w, 0x123456, NTP_2025_12_29);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(built_heartbeat_req));
	assert_memory_equal(buf, built_heartbeat_req, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.seq, 0x123456);
}

static void
test_pfcp_build_heartbeat_rsp_matches_vector(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_HEARTBEAT_RSP, 2);
	pfcp_put_recovery_ts(&w, NTP_2025_12_29);
	pfcp_build_finish(&w, off);
	assert_int_equal(w.len, sizeof(built_heartbeat_rsp));
	assert_memory_equal(buf, built_heartbeat_rsp, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
}

static void
test_pfcp_build_assoc_setup_rsp_matches_vector(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_ASSOC_SETUP_RSP, 1);
	pfcp_put_node_id_ipv4(&w, IP4(172, 31, 3, 2));
	pfcp_put_cause(&w, PFCP_CAUSE_REQUEST_ACCEPTED);
	pfcp_put_recovery_ts(&w, NTP_2025_12_29);
	pfcp_put_up_features(&w, PFCP_UPF_FTUP | PFCP_UPF_FRRT);
	pfcp_build_finish(&w, off);
	assert_int_equal(w.len, sizeof(built_assoc_setup_rsp));
	assert_memory_equal(buf, built_assoc_setup_rsp, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.up_features, PFCP_UPF_FTUP | PFCP_UPF_FRRT);
}

static void
test_pfcp_build_assoc_setup_req_fqdn_matches_vector(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_ASSOC_SETUP_REQ, 1);
	pfcp_put_node_id_fqdn(&w, "upf1.vpgd.example");
	pfcp_put_recovery_ts(&w, NTP_2025_12_29);
	pfcp_put_up_features(&w, PFCP_UPF_FTUP | PFCP_UPF_UEIP);
	pfcp_put_cp_features(&w, 0);
	pfcp_build_finish(&w, off);
	assert_int_equal(w.len, sizeof(built_assoc_setup_req_fqdn));
	assert_memory_equal(buf, built_assoc_setup_req_fqdn, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_string_equal(msg.node_id.fqdn, "upf1.vpgd.example");
	assert_int_equal(msg.up_features, PFCP_UPF_FTUP | PFCP_UPF_UEIP);
}

static void
test_pfcp_build_sess_est_rsp_matches_vector(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_EST_RSP, 0xd26, 3);
	pfcp_put_node_id_ipv4(&w, IP4(172, 31, 3, 2));
	pfcp_put_cause(&w, PFCP_CAUSE_REQUEST_ACCEPTED);
	pfcp_put_fseid_ipv4(&w, 0x313, IP4(172, 31, 3, 2));
	pfcp_put_created_pdr(&w, 2, 0x903b, IP4(172, 31, 2, 2));
	pfcp_put_created_pdr(&w, 4, 0x903b, IP4(172, 31, 2, 2));
	pfcp_build_finish(&w, off);
	assert_int_equal(w.len, sizeof(built_sess_est_rsp));
	assert_memory_equal(buf, built_sess_est_rsp, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_created_pdr, 2);
	assert_int_equal(msg.created_pdr[1].pdr_id, 4);
	assert_int_equal(msg.created_pdr[1].fteid.teid, 0x903b);
}

static void
test_pfcp_build_sess_est_rsp_reject_matches_vector(void **state)
{
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_EST_RSP, 0xd26, 3);
	pfcp_put_node_id_ipv4(&w, IP4(172, 31, 3, 2));
	pfcp_put_cause(&w, PFCP_CAUSE_MANDATORY_IE_MISSING);
	pfcp_put_offending_ie(&w, PFCP_IE_PDI);
	pfcp_build_finish(&w, off);
	assert_int_equal(w.len, sizeof(built_sess_est_rsp_reject));
	assert_memory_equal(buf, built_sess_est_rsp_reject, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.offending_ie, PFCP_IE_PDI);
}

static const struct pfcp_usage_report full_report = {
	.has = PFCP_UR_HAS_START | PFCP_UR_HAS_END | PFCP_UR_HAS_VOLUME | PFCP_UR_HAS_DURATION,
	.urr_id = 7,
	.ur_seqn = 3,
	.trigger = PFCP_URT_VOLTH,
	.start = NTP_2025_12_29,
	.end = NTP_2025_12_29 + 60,
	.vol_flags = 0x3f,
	.vol_total = 3000,
	.vol_ul = 1000,
	.vol_dl = 2000,
	.pkt_total = 30,
	.pkt_ul = 10,
	.pkt_dl = 20,
	.duration = 60,
};

static void
test_pfcp_put_usage_report_mod_rsp_matches_vector(void **state)
{
	const struct pfcp_usage_report *u = &msg.usage_report[0];
	size_t off;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_MOD_RSP, 0xd26, 5);
	pfcp_put_cause(&w, PFCP_CAUSE_REQUEST_ACCEPTED);
	pfcp_put_usage_report(&w, PFCP_IE_USAGE_REPORT_SMR, &full_report);
	pfcp_build_finish(&w, off);
	assert_int_equal(w.len, sizeof(built_sess_mod_rsp));
	assert_memory_equal(buf, built_sess_mod_rsp, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.n_usage_report, 1);
	assert_int_equal(u->has, full_report.has);
	assert_int_equal(u->urr_id, 7);
	assert_int_equal(u->ur_seqn, 3);
	assert_int_equal(u->trigger, PFCP_URT_VOLTH);
	assert_int_equal(u->end, NTP_2025_12_29 + 60);
	assert_int_equal(u->vol_flags, 0x3f);
	assert_int_equal(u->vol_dl, 2000);
	assert_int_equal(u->pkt_dl, 20);
	assert_int_equal(u->duration, 60);
}

static void
test_pfcp_put_usage_report_del_rsp_matches_vector(void **state)
{
	struct pfcp_usage_report ur = full_report;
	size_t off;

	(void)state;
	ur.trigger = PFCP_URT_TERMR;
	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, PFCP_SESS_DEL_RSP, 0xd26, 4);
	pfcp_put_cause(&w, PFCP_CAUSE_REQUEST_ACCEPTED);
	pfcp_put_usage_report(&w, PFCP_IE_USAGE_REPORT_SDR, &ur);
	pfcp_build_finish(&w, off);
	assert_int_equal(w.len, sizeof(built_sess_del_rsp));
	assert_memory_equal(buf, built_sess_del_rsp, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.usage_report[0].trigger, PFCP_URT_TERMR);
}

static void
test_pfcp_build_session_report_req_matches_vector(void **state)
{
	struct pfcp_usage_report ur = full_report;

	(void)state;
	ur.trigger = PFCP_URT_PERIO | PFCP_URT_EVEQU;
	ur.has = PFCP_UR_HAS_VOLUME;
	ur.vol_flags = PFCP_VOL_TOVOL | PFCP_VOL_DLVOL;
	wr_init(&w, buf, sizeof(buf));
	pfcp_build_session_report_req(&w, 0xd26, 0x10, &ur, 1);
	assert_int_equal(w.len, sizeof(built_sess_report_req));
	assert_memory_equal(buf, built_sess_report_req, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.report_type, PFCP_REPORT_USAR);
	assert_int_equal(msg.usage_report[0].trigger, PFCP_URT_PERIO | PFCP_URT_EVEQU);
	assert_int_equal(msg.usage_report[0].vol_total, 3000);
	assert_int_equal(msg.usage_report[0].vol_ul, 0);
}

static struct pfcp_msg first;

/* The rule content of two decoded messages, the Flow Description text compared by value. */
static void
assert_same_rules(struct pfcp_msg *a, struct pfcp_msg *b)
{
	struct pfcp_pdr *pa, *pb;
	size_t i, j;

	memset(&a->hdr, 0, sizeof(a->hdr));
	memset(&b->hdr, 0, sizeof(b->hdr));
	for (i = 0; i < 2 * PFCP_MAX_PDR; i++) {
		pa = i < PFCP_MAX_PDR ? &a->create_pdr[i] : &a->update_pdr[i - PFCP_MAX_PDR];
		pb = i < PFCP_MAX_PDR ? &b->create_pdr[i] : &b->update_pdr[i - PFCP_MAX_PDR];
		for (j = 0; j < PFCP_MAX_SDF; j++) {
			assert_int_equal(pa->pdi.sdf[j].fd_len, pb->pdi.sdf[j].fd_len);
			if (pa->pdi.sdf[j].fd_len > 0)
				assert_memory_equal(
				    pa->pdi.sdf[j].fd, pb->pdi.sdf[j].fd, pa->pdi.sdf[j].fd_len);
			pa->pdi.sdf[j].fd = NULL;
			pb->pdi.sdf[j].fd = NULL;
		}
	}
	assert_memory_equal(a, b, sizeof(*a));
}

static void
test_pfcp_build_session_req_o5_est_req_round_trips(void **state)
{
	(void)state;
	assert_int_equal(parse(o5_sess_est_req, sizeof(o5_sess_est_req)), PFCP_CAUSE_OK);
	first = msg;
	wr_init(&w, buf, sizeof(buf));
	pfcp_build_session_req(&w, &first);
	/* The builders write open5gs's request octet for octet. */
	assert_int_equal(w.len, sizeof(o5_sess_est_req));
	assert_memory_equal(buf, o5_sess_est_req, w.len);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.type, PFCP_SESS_EST_REQ);
	assert_int_equal(msg.hdr.seq, 3);
	assert_same_rules(&first, &msg);
}

static void
test_pfcp_build_session_req_sess_mod_req_round_trips(void **state)
{
	/*
	 * Re-encoded, tshark decodes it as the scapy original less the vendor
	 * IE, with no expert item.
	 */
	(void)state;
	assert_int_equal(parse(sc_sess_mod_req, sizeof(sc_sess_mod_req)), PFCP_CAUSE_OK);
	first = msg;
	wr_init(&w, buf, sizeof(buf));
	pfcp_build_session_req(&w, &first);
	assert_int_equal(parse_built(), PFCP_CAUSE_OK);
	assert_int_equal(msg.hdr.seid, 0x313);
	assert_same_rules(&first, &msg);
}

static void
test_pfcp_put_name_bad_names_set_overflow(void **state)
{
	static const char *const bad[] = { "", "a..b", ".a", "a.", "a b" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr_init(&w, buf, sizeof(buf));
		pfcp_put_name(&w, PFCP_IE_APN_DNN, bad[i]);
		if (!w.overflow)
			fail_msg("encoded: \"%s\"", bad[i]);
	}
}

static void
test_pfcp_put_user_id_non_digit_sets_overflow(void **state)
{
	struct pfcp_user_id u = { .has_imsi = true, .imsi = "12a" };

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	pfcp_put_user_id(&w, &u);
	assert_true(w.overflow);
}

static void
test_pfcp_put_node_id_bad_type_sets_overflow(void **state)
{
	struct pfcp_node_id id = { .type = 7 };

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	pfcp_put_node_id(&w, &id);
	assert_true(w.overflow);
}

static void
test_pfcp_build_finish_small_buffer_sets_overflow(void **state)
{
	(void)state;
	wr_init(&w, buf, 15);
	pfcp_build_heartbeat_req(&w, 1, 1);
	assert_true(w.overflow);
	assert_int_equal(w.len, 8);
}

static void
test_pfcp_build_finish_bad_offset_sets_overflow(void **state)
{
	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_u8(&w, 0x20);
	pfcp_build_finish(&w, 0);
	assert_true(w.overflow);
}

static void
test_pfcp_put_group_close_patches_length(void **state)
{
	size_t g;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	g = pfcp_put_group_open(&w, PFCP_IE_CREATE_BAR);
	pfcp_put_u8(&w, PFCP_IE_BAR_ID, 1);
	pfcp_put_group_close(&w, g);
	assert_int_equal(w.len, 9);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[1], PFCP_IE_CREATE_BAR);
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[3], 5);
}

static void
test_pfcp_put_group_close_bad_offset_sets_overflow(void **state)
{
	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_u8(&w, 0);
	pfcp_put_group_close(&w, 0);
	assert_true(w.overflow);
}

static void
test_pfcp_put_ie_not_fitting_writes_nothing(void **state)
{
	(void)state;
	wr_init(&w, buf, 7);
	pfcp_put_u32(&w, PFCP_IE_FAR_ID, 1);
	assert_true(w.overflow);
	assert_int_equal(w.len, 0);
}

static void
test_pfcp_put_node_id_fqdn_bad_names_set_overflow(void **state)
{
	static const char *const bad[] = { "", ".a", "a.", "a..b", "a_b.c",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr_init(&w, buf, sizeof(buf));
		pfcp_put_node_id_fqdn(&w, bad[i]);
		if (!w.overflow)
			fail_msg("encoded: \"%s\"", bad[i]);
	}
}

static void
test_pfcp_put_node_id_fqdn_too_long_sets_overflow(void **state)
{
	char name[300];

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	for (size_t i = 50; i < sizeof(name) - 1; i += 51)
		name[i] = '.';
	wr_init(&w, buf, sizeof(buf));
	pfcp_put_node_id_fqdn(&w, name);
	assert_true(w.overflow);
}

static void
test_pfcp_put_up_features_minimum_two_octets(void **state)
{
	(void)state;
	wr_init(&w, buf, sizeof(buf));
	pfcp_put_up_features(&w, PFCP_UPF_FTUP);
	assert_int_equal(w.len, 6);
	assert_int_equal(buf[3], 2);
	assert_int_equal(buf[4], 0x10);
	assert_int_equal(buf[5], 0);
}

static void
test_pfcp_put_fteid_ipv4_writes_v4_teid_address(void **state)
{
	const uint8_t want[] = { 0, 21, 0, 9, 0x01, 0, 0, 0x90, 0x3b, 172, 31, 2, 2 };

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	pfcp_put_fteid_ipv4(&w, 0x903b, IP4(172, 31, 2, 2));
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_pfcp_ntp_from_unix_epoch_offset(void **state)
{
	(void)state;
	assert_int_equal(pfcp_ntp_from_unix(0), 2208988800u);
	assert_int_equal(pfcp_ntp_from_unix(1767011200), NTP_2025_12_29);
}

static void
test_pfcp_type_name_known_and_unknown(void **state)
{
	(void)state;
	assert_string_equal(pfcp_type_name(PFCP_SESS_EST_REQ), "session_establishment_request");
	assert_string_equal(pfcp_type_name(PFCP_HEARTBEAT_RSP), "heartbeat_response");
	assert_string_equal(pfcp_type_name(14), "unknown");
	assert_string_equal(pfcp_type_name(255), "unknown");
}

static void
test_pfcp_type_is_session_splits_at_50(void **state)
{
	(void)state;
	assert_false(pfcp_type_is_session(PFCP_NODE_REPORT_RSP));
	assert_true(pfcp_type_is_session(PFCP_SESS_EST_REQ));
	assert_true(pfcp_type_known(PFCP_SESS_REPORT_RSP));
	assert_false(pfcp_type_known(58));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pfcp_parse_header_node_message_decodes),
		cmocka_unit_test(test_pfcp_parse_header_session_message_decodes_seid),
		cmocka_unit_test(test_pfcp_parse_header_seq_24_bits_and_priority_decode),
		cmocka_unit_test(test_pfcp_parse_header_priority_ignored_without_mp),
		cmocka_unit_test(test_pfcp_parse_header_every_length_below_eight_too_short),
		cmocka_unit_test(test_pfcp_parse_header_seid_truncated_too_short),
		cmocka_unit_test(test_pfcp_parse_header_version_2_bad_version),
		cmocka_unit_test(test_pfcp_parse_header_version_checked_before_length),
		cmocka_unit_test(test_pfcp_parse_header_length_beyond_datagram_bad_length),
		cmocka_unit_test(test_pfcp_parse_header_trailing_octets_without_fo_bad_length),
		cmocka_unit_test(test_pfcp_parse_header_length_below_header_bad_length),
		cmocka_unit_test(test_pfcp_parse_header_follow_on_leaves_next_message),
		cmocka_unit_test(test_pfcp_parse_header_session_type_without_s_bad_s_flag),
		cmocka_unit_test(test_pfcp_parse_header_node_type_with_s_bad_s_flag),
		cmocka_unit_test(test_pfcp_parse_header_unknown_type_s_not_checked),
		cmocka_unit_test(test_pfcp_parse_body_o5_assoc_setup_req_decodes),
		cmocka_unit_test(test_pfcp_parse_body_o5_assoc_setup_rsp_decodes),
		cmocka_unit_test(test_pfcp_parse_body_o5_heartbeat_req_decodes),
		cmocka_unit_test(test_pfcp_parse_body_o5_sess_est_req_decodes_pdrs),
		cmocka_unit_test(test_pfcp_parse_body_o5_sess_est_req_decodes_fars_qer_bar),
		cmocka_unit_test(test_pfcp_parse_body_o5_sess_est_req_decodes_session),
		cmocka_unit_test(test_pfcp_parse_body_o5_sess_est_rsp_decodes),
		cmocka_unit_test(test_pfcp_parse_body_o5_sess_del_req_decodes),
		cmocka_unit_test(test_pfcp_parse_body_o5_sess_del_rsp_decodes),
		cmocka_unit_test(test_pfcp_parse_body_sess_mod_req_decodes_removes_and_creates),
		cmocka_unit_test(test_pfcp_parse_body_sess_mod_req_decodes_updates),
		cmocka_unit_test(test_pfcp_parse_body_assoc_setup_req_fqdn_decodes),
		cmocka_unit_test(test_pfcp_parse_body_assoc_update_req_decodes_release_request),
		cmocka_unit_test(test_pfcp_parse_body_assoc_release_req_decodes),
		cmocka_unit_test(test_pfcp_parse_body_sess_report_rsp_decodes),
		cmocka_unit_test(test_pfcp_parse_body_heartbeat_without_recovery_mandatory_missing),
		cmocka_unit_test(test_pfcp_parse_body_est_req_without_far_mandatory_missing),
		cmocka_unit_test(test_pfcp_parse_body_minimal_est_req_decodes),
		cmocka_unit_test(test_pfcp_parse_body_pdr_without_pdi_mandatory_missing),
		cmocka_unit_test(
		    test_pfcp_parse_body_pdi_without_source_interface_mandatory_missing),
		cmocka_unit_test(test_pfcp_parse_body_create_urr_without_method_mandatory_missing),
		cmocka_unit_test(test_pfcp_parse_body_bad_fseid_mandatory_incorrect),
		cmocka_unit_test(test_pfcp_parse_body_bad_optional_ohc_mandatory_incorrect),
		cmocka_unit_test(test_pfcp_parse_body_bad_flow_description_mandatory_incorrect),
		cmocka_unit_test(test_pfcp_parse_body_ie_past_message_invalid_length),
		cmocka_unit_test(test_pfcp_parse_body_ie_header_cut_short_invalid_length),
		cmocka_unit_test(test_pfcp_parse_body_member_past_group_invalid_length),
		cmocka_unit_test(test_pfcp_parse_body_short_scalar_mandatory_incorrect),
		cmocka_unit_test(test_pfcp_parse_body_longer_scalar_extension_ignored),
		cmocka_unit_test(test_pfcp_parse_body_repeated_single_ie_first_wins),
		cmocka_unit_test(test_pfcp_parse_body_unknown_and_vendor_ies_skipped),
		cmocka_unit_test(test_pfcp_parse_body_seventeen_pdrs_no_resources),
		cmocka_unit_test(test_pfcp_parse_body_sixteen_pdrs_decode),
		cmocka_unit_test(test_pfcp_parse_body_pfd_management_service_not_supported),
		cmocka_unit_test(test_pfcp_parse_body_unknown_type_service_not_supported),
		cmocka_unit_test(test_pfcp_parse_body_length_past_buffer_invalid_length),
		cmocka_unit_test(test_pfcp_parse_body_update_far_without_members_keeps_has_zero),
		cmocka_unit_test(test_pfcp_parse_body_update_pdr_without_id_mandatory_missing),
		cmocka_unit_test(test_pfcp_parse_body_heartbeat_with_source_ip_decodes),
		cmocka_unit_test(test_pfcp_parse_body_node_report_req_decodes),
		cmocka_unit_test(
		    test_pfcp_parse_body_node_report_req_without_type_mandatory_missing),
		cmocka_unit_test(
		    test_pfcp_parse_body_assoc_setup_rsp_without_recovery_mandatory_missing),
		cmocka_unit_test(test_pfcp_parse_body_version_not_supported_decodes),
		cmocka_unit_test(test_pfcp_parse_body_bad_pdn_type_mandatory_incorrect),
		cmocka_unit_test(test_pfcp_ie_fteid_ipv4_decodes),
		cmocka_unit_test(test_pfcp_ie_fteid_ipv6_decodes),
		cmocka_unit_test(test_pfcp_ie_fteid_choose_with_id_decodes),
		cmocka_unit_test(test_pfcp_ie_fteid_chid_without_ch_fails),
		cmocka_unit_test(test_pfcp_ie_fteid_no_family_fails),
		cmocka_unit_test(test_pfcp_ie_fteid_address_truncated_fails),
		cmocka_unit_test(test_pfcp_ie_fteid_chid_id_missing_fails),
		cmocka_unit_test(test_pfcp_ie_fseid_ipv6_truncated_fails),
		cmocka_unit_test(test_pfcp_ie_fseid_both_families_decode),
		cmocka_unit_test(test_pfcp_ie_node_id_ipv6_decodes),
		cmocka_unit_test(test_pfcp_ie_node_id_unknown_type_fails),
		cmocka_unit_test(test_pfcp_ie_node_id_ipv4_short_fails),
		cmocka_unit_test(test_pfcp_ie_ue_ip_choose_v4_decodes),
		cmocka_unit_test(test_pfcp_ie_ue_ip_choose_and_address_fails),
		cmocka_unit_test(test_pfcp_ie_ue_ip_ipv6_with_prefix_length_decodes),
		cmocka_unit_test(test_pfcp_ie_ue_ip_prefix_length_missing_fails),
		cmocka_unit_test(test_pfcp_ie_source_ip_v4_with_mask_decodes),
		cmocka_unit_test(test_pfcp_ie_sdf_all_fields_decode),
		cmocka_unit_test(test_pfcp_ie_sdf_description_past_end_fails),
		cmocka_unit_test(test_pfcp_ie_sdf_spi_missing_fails),
		cmocka_unit_test(test_pfcp_ie_ohc_udp_ipv4_port_decodes),
		cmocka_unit_test(test_pfcp_ie_ohc_two_stacks_fails),
		cmocka_unit_test(test_pfcp_ie_ohc_teid_truncated_fails),
		cmocka_unit_test(test_pfcp_ie_ohc_gtpu_ipv6_decodes),
		cmocka_unit_test(test_pfcp_ie_volume_all_three_decode),
		cmocka_unit_test(test_pfcp_ie_volume_flag_without_value_fails),
		cmocka_unit_test(test_pfcp_ie_bitrate_forty_bits_decode),
		cmocka_unit_test(test_pfcp_ie_bitrate_short_fails),
		cmocka_unit_test(test_pfcp_ie_user_id_nai_decodes),
		cmocka_unit_test(test_pfcp_ie_user_id_imsi_past_end_fails),
		cmocka_unit_test(test_pfcp_ie_user_id_digit_after_filler_fails),
		cmocka_unit_test(test_pfcp_ie_user_id_imsi_too_long_fails),
		cmocka_unit_test(test_pfcp_ie_labels_several_decode_dotted),
		cmocka_unit_test(test_pfcp_ie_labels_exact_fit_decodes),
		cmocka_unit_test(test_pfcp_ie_labels_too_long_for_cap_fails),
		cmocka_unit_test(test_pfcp_ie_labels_empty_label_fails),
		cmocka_unit_test(test_pfcp_ie_labels_bad_character_fails),
		cmocka_unit_test(test_pfcp_ie_labels_empty_fails),
		cmocka_unit_test(test_pfcp_ie_network_instance_plain_text_decodes),
		cmocka_unit_test(test_pfcp_ie_network_instance_bad_text_fails),
		cmocka_unit_test(test_pfcp_ie_network_instance_text_too_long_fails),
		cmocka_unit_test(test_pfcp_ie_flags_newer_octets_ignored),
		cmocka_unit_test(test_pfcp_ie_flags_empty_fails),
		cmocka_unit_test(test_pfcp_flow_parse_ip_any_to_assigned_decodes),
		cmocka_unit_test(test_pfcp_flow_parse_ports_both_sides_decode),
		cmocka_unit_test(test_pfcp_flow_parse_ipv6_prefix_decodes),
		cmocka_unit_test(test_pfcp_flow_parse_extra_spaces_decode),
		cmocka_unit_test(test_pfcp_flow_parse_refusals_fail),
		cmocka_unit_test(test_pfcp_flow_parse_control_character_fails),
		cmocka_unit_test(test_pfcp_flow_parse_not_nul_terminated_decodes),
		cmocka_unit_test(test_pfcp_route_parse_prefix_gateway_metric_decodes),
		cmocka_unit_test(test_pfcp_route_parse_host_without_length_is_32),
		cmocka_unit_test(test_pfcp_route_parse_refusals_fail),
		cmocka_unit_test(test_pfcp_build_heartbeat_req_matches_vector),
		cmocka_unit_test(test_pfcp_build_heartbeat_rsp_matches_vector),
		cmocka_unit_test(test_pfcp_build_assoc_setup_rsp_matches_vector),
		cmocka_unit_test(test_pfcp_build_assoc_setup_req_fqdn_matches_vector),
		cmocka_unit_test(test_pfcp_build_sess_est_rsp_matches_vector),
		cmocka_unit_test(test_pfcp_build_sess_est_rsp_reject_matches_vector),
		cmocka_unit_test(test_pfcp_put_usage_report_mod_rsp_matches_vector),
		cmocka_unit_test(test_pfcp_put_usage_report_del_rsp_matches_vector),
		cmocka_unit_test(test_pfcp_build_session_report_req_matches_vector),
		cmocka_unit_test(test_pfcp_build_session_req_o5_est_req_round_trips),
		cmocka_unit_test(test_pfcp_build_session_req_sess_mod_req_round_trips),
		cmocka_unit_test(test_pfcp_put_name_bad_names_set_overflow),
		cmocka_unit_test(test_pfcp_put_user_id_non_digit_sets_overflow),
		cmocka_unit_test(test_pfcp_put_node_id_bad_type_sets_overflow),
		cmocka_unit_test(test_pfcp_build_finish_small_buffer_sets_overflow),
		cmocka_unit_test(test_pfcp_build_finish_bad_offset_sets_overflow),
		cmocka_unit_test(test_pfcp_put_group_close_patches_length),
		cmocka_unit_test(test_pfcp_put_group_close_bad_offset_sets_overflow),
		cmocka_unit_test(test_pfcp_put_ie_not_fitting_writes_nothing),
		cmocka_unit_test(test_pfcp_put_node_id_fqdn_bad_names_set_overflow),
		cmocka_unit_test(test_pfcp_put_node_id_fqdn_too_long_sets_overflow),
		cmocka_unit_test(test_pfcp_put_up_features_minimum_two_octets),
		cmocka_unit_test(test_pfcp_put_fteid_ipv4_writes_v4_teid_address),
		cmocka_unit_test(test_pfcp_ntp_from_unix_epoch_offset),
		cmocka_unit_test(test_pfcp_type_name_known_and_unknown),
		cmocka_unit_test(test_pfcp_type_is_session_splits_at_50),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
