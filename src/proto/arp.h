/*
 * ARP for IPv4 over Ethernet, RFC 826. Pure: no I/O, no allocation.
 * Protocol addresses are kept in network byte order.
 */
#ifndef VPG_PROTO_ARP_H
#define VPG_PROTO_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "drop.h"
#include "ether.h"

#define ARP_LEN	       28
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY   2

struct arp_view {
	uint16_t op;
	uint8_t sha[ETHER_ADDR_LEN];
	uint32_t spa_be;
	uint8_t tha[ETHER_ADDR_LEN];
	uint32_t tpa_be;
};

/*
 * Parses an ARP packet (the Ethernet payload). Shorter than 28 octets:
 * VPG_DROP_ARP_TOO_SHORT. Anything but hardware type 1 (Ethernet), protocol
 * 0x0800, address lengths 6 and 4, and operation 1 or 2:
 * VPG_DROP_ARP_UNSUPPORTED. Trailing octets (Ethernet padding) are ignored.
 */
enum vpg_drop arp_parse(const uint8_t *buf, size_t len, struct arp_view *v);

/* Writes a 28-octet ARP packet; returns ARP_LEN, or 0 when cap is smaller. */
size_t arp_build(uint8_t *out, size_t cap, uint16_t op, const uint8_t sha[ETHER_ADDR_LEN],
    uint32_t spa_be, const uint8_t tha[ETHER_ADDR_LEN], uint32_t tpa_be);

#endif
