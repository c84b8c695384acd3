/*
 * Ethernet II framing (IEEE 802.3 with EtherType), as carried inside VXLAN:
 * no preamble, no FCS. Pure: no I/O, no allocation.
 */
#ifndef VPG_PROTO_ETHER_H
#define VPG_PROTO_ETHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drop.h"

#define ETHER_ADDR_LEN	6
#define ETHER_HDR_LEN	14
#define ETHER_TYPE_IPV4 0x0800
#define ETHER_TYPE_ARP	0x0806
#define ETHER_TYPE_VLAN 0x8100
#define ETHER_TYPE_IPV6 0x86dd

struct ether_view {
	uint8_t dst[ETHER_ADDR_LEN];
	uint8_t src[ETHER_ADDR_LEN];
	uint16_t type; /* EtherType, host order; a VLAN tag is reported as 0x8100, not walked */
	const uint8_t *payload;
	size_t payload_len;
};

/* Shorter than 14 octets: VPG_DROP_ETHER_TOO_SHORT. */
enum vpg_drop ether_parse(const uint8_t *buf, size_t len, struct ether_view *v);

/*
 * Writes the 14-octet header in front of payload (which must have that much
 * writable room before it) and returns the frame's start. dst and src may
 * point into the header being overwritten (a reply made in place).
 */
uint8_t *ether_push(uint8_t *payload, const uint8_t dst[ETHER_ADDR_LEN],
    const uint8_t src[ETHER_ADDR_LEN], uint16_t type);

bool ether_is_broadcast(const uint8_t mac[ETHER_ADDR_LEN]);
/* Group bit set (broadcast included): IEEE 802 §8.2. */
bool ether_is_multicast(const uint8_t mac[ETHER_ADDR_LEN]);

#endif
