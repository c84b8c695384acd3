/*
 * IPv4 and ICMP, RFC 791 and RFC 792: header validation, checksums, and the
 * ICMP messages the gateway originates. Pure: no I/O, no allocation.
 * Addresses are kept in network byte order throughout.
 */
#ifndef VPG_PROTO_IPV4_H
#define VPG_PROTO_IPV4_H

#include <stddef.h>
#include <stdint.h>

#include "drop.h"

#define IPV4_HDR_LEN	   20
#define IPPROTO_ICMP_	   1
#define ICMP_ECHO_REPLY	   0
#define ICMP_DEST_UNREACH  3
#define ICMP_ECHO_REQUEST  8
#define ICMP_TIME_EXCEEDED 11

struct ipv4_view {
	uint8_t hdr_len;    /* IHL in octets */
	uint16_t total_len; /* from the header, checked against the buffer */
	uint8_t proto;
	uint8_t ttl;
	uint16_t frag; /* flags and fragment offset, host order */
	uint32_t src;  /* network order */
	uint32_t dst;  /* network order */
	const uint8_t *l4;
	size_t l4_len;
};

/*
 * Validates an IPv4 header in place: version 4, IHL >= 5, total length
 * between IHL and the buffer length (trailing octets are link padding).
 * The header checksum is not checked here: forwarding leaves that to the
 * receiver, and the gateway checks it only for packets addressed to itself.
 */
enum vpg_drop ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_view *v);

/* The Internet checksum (RFC 1071) of len octets, folded and complemented. */
uint16_t inet_checksum(const void *data, size_t len);

/* True when the IPv4 header's checksum verifies. */
int ipv4_checksum_ok(const uint8_t *hdr, size_t hdr_len);

/*
 * Turns an ICMP echo request addressed to us into its reply, in place:
 * addresses swapped, type 0, TTL 64, both checksums recomputed. The packet
 * keeps its length. Returns VPG_DROP_NONE, or VPG_DROP_ICMP_BAD when the
 * ICMP message is not a well-formed echo request (checksum included).
 */
enum vpg_drop icmp_echo_reply_in_place(uint8_t *pkt, const struct ipv4_view *v);

/*
 * Decrements the TTL of a forwarded packet and patches the header checksum
 * incrementally (RFC 1624), without summing the header again. The caller
 * has checked that the TTL is above 1.
 */
void ipv4_ttl_decrement(uint8_t *hdr);

#endif
