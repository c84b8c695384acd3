/*
 * VXLAN, RFC 7348: the 8-octet header in front of an Ethernet frame, over
 * UDP port 4789. Pure: no I/O, no allocation.
 */
#ifndef VPG_PROTO_VXLAN_H
#define VPG_PROTO_VXLAN_H

#include <stddef.h>
#include <stdint.h>

#include "drop.h"

#define VXLAN_PORT    4789
#define VXLAN_HDR_LEN 8
#define VXLAN_F_VNI   0x08 /* the I flag: the VNI is valid */

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

#endif
