/*
 * VXLAN, RFC 7348: the 8-octet header in front of an Ethernet frame, over
 * UDP port 4789. Pure: no I/O, no allocation.
 */
#ifndef VPG_PROTO_VXLAN_H
#define VPG_PROTO_VXLAN_H

#include <stddef.h>
#include <stdint.h>

#include "drop.h"

#define VXLAN_PORT	  4789
#define VXLAN_HDR_LEN	  8
#define VXLAN_F_VNI	  0x08 /* the I flag: the VNI is valid */
#define VXLAN_UDP_HDR_LEN 8
/* RFC 7348 §5: the source port is a hash of the inner frame, from the dynamic range. */
#define VXLAN_SRC_PORT_MIN 49152
#define VXLAN_SRC_PORT_MAX 65535

struct vxlan_view {
	uint8_t flags;
	uint32_t vni; /* 24 bits */
	const uint8_t *frame;
	size_t frame_len;
};

/*
 * Parses a VXLAN datagram: shorter than 8 octets, VPG_DROP_VXLAN_TOO_SHORT;
 * I flag clear, VPG_DROP_VXLAN_BAD_FLAGS (RFC 7348 §5: it MUST be set).
 * Reserved bits are ignored on receipt, as §5 says.
 */
enum vpg_drop vxlan_parse(const uint8_t *buf, size_t len, struct vxlan_view *v);

/* Writes the header in front of frame (8 writable octets before it); returns its start. */
uint8_t *vxlan_push(uint8_t *frame, uint32_t vni);

/*
 * The UDP source port for a VXLAN datagram (header and inner frame), in
 * VXLAN_SRC_PORT_MIN..MAX: a hash of the inner IPv4 addresses, protocol and,
 * for TCP, UDP and SCTP outside fragments, ports; of the Ethernet addresses
 * and type for any other frame (ARP). One flow, one port: underlay ECMP and
 * RSS tell flows apart and keep each in order.
 */
uint16_t vxlan_flow_port(const uint8_t *dgram, size_t len);
/*
 * Writes a UDP header in front of dgram (8 writable octets before it): the
 * flow's source port, destination 4789, the length, and checksum 0, which
 * RFC 7348 §5 allows over IPv4. Returns its start.
 */
uint8_t *vxlan_push_udp(uint8_t *dgram, size_t len);

#endif
