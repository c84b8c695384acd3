/*
 * Ethernet II framing, as VXLAN carries it: no preamble and no FCS (RFC
 * 7348 §5, Figure 1: "the original Ethernet Frame's FCS is not included").
 * Parsing reads only through struct vpg_rd; the header pushed in front of
 * every frame is stored directly into the caller's headroom (wr_store_be16).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ether.h"
#include "rd.h"
#include "wr.h"

/* IEEE 802 §8.2: the I/G bit, the least significant bit of octet 0. */
#define ETHER_GROUP_BIT 0x01

/*
 * The header is destination, source, EtherType (RFC 894, "Frame Format").
 * There is no length field: everything after the header is handed on, and
 * the padding a short frame carries up to the 60-octet minimum (RFC 894:
 * "not part of the IP packet") is left to the upper layer's own length.
 */
enum vpg_drop
ether_parse(const uint8_t *buf, size_t len, struct ether_view *v)
{
	struct vpg_rd r;
	const uint8_t *dst, *src;
	uint16_t type;

	memset(v, 0, sizeof(*v));
	rd_init(&r, buf, len);
	if (rd_bytes(&r, ETHER_ADDR_LEN, &dst) < 0 || rd_bytes(&r, ETHER_ADDR_LEN, &src) < 0 ||
	    rd_be16(&r, &type) < 0)
		return VPG_DROP_ETHER_TOO_SHORT;
	memcpy(v->dst, dst, ETHER_ADDR_LEN);
	memcpy(v->src, src, ETHER_ADDR_LEN);
	/*
	 * An 802.1Q tag (0x8100) is reported, not walked: RFC 7348 §6.1 says
	 * a decapsulated frame with an inner VLAN tag SHOULD be discarded
	 * unless configured otherwise, which is the caller's decision.
	 */
	v->type = type;
	v->payload_len = rd_left(&r);
	if (rd_bytes(&r, v->payload_len, &v->payload) < 0)
		return VPG_DROP_ETHER_TOO_SHORT; /* cannot happen: it is what is left */
	return VPG_DROP_NONE;
}

/*
 * The addresses are copied before the header is written, so either may
 * point into the octets being overwritten: a reply made in place from the
 * received frame's own header swaps them correctly.
 */
uint8_t *
ether_push(uint8_t *payload, const uint8_t dst[ETHER_ADDR_LEN], const uint8_t src[ETHER_ADDR_LEN],
    uint16_t type)
{
	uint8_t d[ETHER_ADDR_LEN], s[ETHER_ADDR_LEN];
	uint8_t *hdr = payload - ETHER_HDR_LEN;

	/* Copied first: dst or src may lie in the octets the header overwrites. */
	memcpy(d, dst, ETHER_ADDR_LEN);
	memcpy(s, src, ETHER_ADDR_LEN);
	memcpy(hdr, d, ETHER_ADDR_LEN);
	memcpy(hdr + ETHER_ADDR_LEN, s, ETHER_ADDR_LEN);
	wr_store_be16(hdr + 2 * ETHER_ADDR_LEN, type);
	return hdr;
}

/* IEEE 802 §8.2: the broadcast address is all ones. */
bool
ether_is_broadcast(const uint8_t mac[ETHER_ADDR_LEN])
{
	size_t i;

	for (i = 0; i < ETHER_ADDR_LEN; i++)
		if (mac[i] != 0xff)
			return false;
	return true;
}

/*
 * IEEE 802 §8.2 (also RFC 7042 §2.1): the I/G bit set makes a group
 * address; broadcast is the group of all stations.
 */
bool
ether_is_multicast(const uint8_t mac[ETHER_ADDR_LEN])
{
	return (mac[0] & ETHER_GROUP_BIT) != 0;
}
