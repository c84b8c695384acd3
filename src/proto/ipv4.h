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

/* RFC 792 Destination Unreachable codes; 13 is RFC 1812 §5.2.7.1's. */
#define ICMP_CODE_FRAG_NEEDED	   4
#define ICMP_CODE_ADMIN_PROHIBITED 13

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
 * Answers a packet addressed to the gateway itself, in place: only an ICMP
 * echo request is served (VPG_DROP_GATEWAY_UNSUPPORTED otherwise), its IP
 * header checksum must verify (VPG_DROP_IPV4_BAD_CHECKSUM), and then it is
 * icmp_echo_reply_in_place's verdict.
 */
enum vpg_drop icmp_answer_echo_to_us(uint8_t *pkt, const struct ipv4_view *v);

/*
 * Decrements the TTL of a forwarded packet and patches the header checksum
 * incrementally (RFC 1624), without summing the header again. The caller
 * has checked that the TTL is above 1.
 */
void ipv4_ttl_decrement(uint8_t *hdr);

/*
 * Builds an IPv4+ICMP error (type, code) from src_be to the original packet's
 * source, quoting orig (its header and first 8 payload octets). Returns the
 * length written to out, or 0 when cap is too small or orig is not a valid
 * IPv4 packet. TTL 64, ID 0, DF clear, both checksums computed. For type 3
 * code 4 (fragmentation needed) next_hop_mtu goes in octets 7-8 (RFC 1191).
 * Also 0, as RFC 1122 §3.2.2 requires, when orig is an ICMP error (or an
 * ICMP message too short to tell), a fragment other than the first, or
 * addressed to a broadcast or multicast address, or when its source is not
 * a single host (0.0.0.0, loopback, broadcast, multicast, class E).
 */
size_t icmp_build_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint16_t next_hop_mtu,
    uint32_t src_be, const uint8_t *orig, size_t orig_len);

/* What an IPv4 header without options says; DF and the fragment fields are 0. */
struct ipv4_header {
	uint32_t src_be, dst_be;
	uint16_t total_len, id;
	uint8_t tos, ttl, proto;
};

/* Writes the IPV4_HDR_LEN octets of h to out, its checksum computed. */
void ipv4_write_header(uint8_t *out, const struct ipv4_header *h);

/*
 * Sets the total length and identification of a header written with both
 * 0, its checksum updated for them (RFC 1624) rather than summed again: a
 * header template made once, stamped for each datagram.
 */
void ipv4_set_length_and_id(uint8_t *hdr, uint16_t total_len, uint16_t id);

/* Formats a network-order address as a dotted quad into buf (at least 16 octets). */
const char *ipv4_str(uint32_t addr_be, char *buf);

#endif
