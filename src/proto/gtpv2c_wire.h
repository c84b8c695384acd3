/*
 * GTPv2-C wire layout (TS 29.274) that the parser (gtpv2c.c) and the
 * builders (gtpv2c_build.c) share, so both read and write the same bits.
 * Private to those two files.
 */
#ifndef VPG_PROTO_GTPV2C_WIRE_H
#define VPG_PROTO_GTPV2C_WIRE_H

/* Header, §5.1: 4 octets, the TEID when T is set, 3 of sequence, 1 spare. */
#define GTPV2C_HDR_FIXED       4
#define GTPV2C_HDR_LEN_NO_TEID 8
#define GTPV2C_HDR_LEN_TEID    12
#define GTPV2C_F_P	       0x10
#define GTPV2C_F_T	       0x08
#define GTPV2C_FLAGS_V2	       0x40

#define GTPV2C_IE_HDR_LEN    4 /* §8.2.1: type, length, spare and instance */
#define GTPV2C_INSTANCE_MASK 0x0f

#define GTPV2C_IMSI_MAX_OCTETS	   8	/* §8.3 */
#define GTPV2C_IMSI_MAX_DIGITS	   15	/* TS 23.003 §2.2 */
#define GTPV2C_MEI_MAX_OCTETS	   8	/* §8.10 */
#define GTPV2C_MEI_MAX_DIGITS	   16	/* IMEI 15, IMEISV 16 digits */
#define GTPV2C_MSISDN_MAX	   23	/* digits gtpv2c_ie_msisdn holds */
#define GTPV2C_FTEID_V4		   0x80 /* §8.22 */
#define GTPV2C_FTEID_V6		   0x40
#define GTPV2C_FTEID_IFACE	   0x3f
#define GTPV2C_QOS_LEN		   22 /* §8.15: ARP, QCI, four 5-octet rates */
#define GTPV2C_QOS_PCI		   0x40
#define GTPV2C_QOS_PL_SHIFT	   2
#define GTPV2C_QOS_PL_MASK	   0x0f
#define GTPV2C_QOS_PVI		   0x01
#define GTPV2C_CAUSE_LEN	   2 /* §8.4 */
#define GTPV2C_CAUSE_OFFENDING_LEN 6
#define GTPV2C_PLMN_LEN		   3 /* §8.18 */

#endif
