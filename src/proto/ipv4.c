/*
 * IPv4 and ICMP, RFC 791 and RFC 792. Parsing reads through struct vpg_rd,
 * but for the fixed header of every packet (ipv4_parse), read at its offsets
 * after one length check. The checksum reads octet by octet: packets sit at
 * any offset in a receive buffer, and a 16-bit load there would be unaligned.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "ipv4.h"
#include "rd.h"
#include "wr.h"

#define IPV4_VERSION	  4
#define IPV4_FLAG_MF	  0x2000 /* RFC 791 §3.1, More Fragments */
#define IPV4_FRAG_OFFSET  0x1fff /* RFC 791 §3.1, in 8-octet units */
#define IPV4_OFF_TTL	  8
#define IPV4_OFF_PROTO	  9
#define IPV4_OFF_CSUM	  10
#define IPV4_OFF_SRC	  12
#define IPV4_OFF_DST	  16
#define IPV4_REPLY_TTL	  64
#define ICMP_ECHO_HDR_LEN 8 /* type, code, checksum, identifier, sequence */
#define ICMP_OFF_CSUM	  2
#define ICMP_ERR_HDR_LEN  8    /* type, code, checksum, 4 octets unused or MTU */
#define ICMP_ERR_QUOTE	  8    /* RFC 792: the original header and 64 bits of data */
#define ICMP_OFF_MTU	  6    /* RFC 1191 §4: the low-order 16 bits of "unused" */
#define IPV4_ERR_TOS	  0xc0 /* RFC 1812 §4.3.2.5: precedence 6, Internetwork Control */

/*
 * Every packet a device sends is parsed here: one length check for the
 * fixed header, then its fields at their offsets (RFC 791 §3.1).
 */
enum vpg_drop
ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_view *v)
{
	memset(v, 0, sizeof(*v));
	if (len < IPV4_HDR_LEN)
		return VPG_DROP_IPV4_TOO_SHORT;
	v->total_len = rd_load_be16(buf + 2);
	v->frag = rd_load_be16(buf + 6);
	v->ttl = buf[8];
	v->proto = buf[9];
	memcpy(&v->src, buf + 12, sizeof(v->src));
	memcpy(&v->dst, buf + 16, sizeof(v->dst));
	if ((buf[0] >> 4) != IPV4_VERSION)
		return VPG_DROP_IPV4_BAD_VERSION;
	/*
	 * RFC 791 §3.1: IHL counts 32-bit words and is at least 5; the total
	 * length covers header and data. Octets after it are link padding.
	 */
	v->hdr_len = (uint8_t)((buf[0] & 0x0f) * 4);
	if (v->hdr_len < IPV4_HDR_LEN || v->total_len > len || v->total_len < v->hdr_len)
		return VPG_DROP_IPV4_BAD_HEADER;
	/* Options are left as they are; hdr_len <= total_len <= len. */
	v->l4 = buf + v->hdr_len;
	v->l4_len = (size_t)(v->total_len - v->hdr_len);
	return VPG_DROP_NONE;
}

/*
 * RFC 1071 §4.1: the one's complement of the one's complement sum of the
 * data as big-endian 16-bit words, an odd last octet padded with zero. The
 * result is in host order: store it with a big-endian write. A 64-bit
 * accumulator folded once at the end cannot overflow for any buffer that
 * fits in memory. O(len).
 */
uint16_t
inet_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 791 §3.1: the sum over the header, checksum field included, is 0. */
int
ipv4_checksum_ok(const uint8_t *hdr, size_t hdr_len)
{
	return inet_checksum(hdr, hdr_len) == 0;
}

/*
 * RFC 792, Echo or Echo Reply: the reply is the request with type 0 and the
 * addresses swapped; identifier, sequence number and data are returned
 * unchanged. A fragment is refused: its ICMP checksum covers octets we do
 * not have (RFC 792: over the whole ICMP message).
 */
enum vpg_drop
icmp_echo_reply_in_place(uint8_t *pkt, const struct ipv4_view *v)
{
	struct vpg_rd r;
	uint8_t type, code;
	uint8_t *icmp = pkt + v->hdr_len;

	if (v->proto != IPPROTO_ICMP_ || v->l4_len < ICMP_ECHO_HDR_LEN)
		return VPG_DROP_ICMP_BAD;
	if ((v->frag & IPV4_FLAG_MF) != 0 || (v->frag & IPV4_FRAG_OFFSET) != 0)
		return VPG_DROP_ICMP_BAD;
	rd_init(&r, v->l4, v->l4_len);
	if (rd_u8(&r, &type) < 0 || rd_u8(&r, &code) < 0)
		return VPG_DROP_ICMP_BAD;
	if (type != ICMP_ECHO_REQUEST || code != 0)
		return VPG_DROP_ICMP_BAD;
	if (inet_checksum(v->l4, v->l4_len) != 0)
		return VPG_DROP_ICMP_BAD;

	memcpy(pkt + IPV4_OFF_SRC, &v->dst, 4);
	memcpy(pkt + IPV4_OFF_DST, &v->src, 4);
	pkt[IPV4_OFF_TTL] = IPV4_REPLY_TTL;
	icmp[0] = ICMP_ECHO_REPLY;
	/* Both checksums once, from the final octets (a checksum field is 0). */
	wr_store_be16(icmp + ICMP_OFF_CSUM, 0);
	wr_store_be16(icmp + ICMP_OFF_CSUM, inet_checksum(icmp, v->l4_len));
	wr_store_be16(pkt + IPV4_OFF_CSUM, 0);
	wr_store_be16(pkt + IPV4_OFF_CSUM, inet_checksum(pkt, v->hdr_len));
	return VPG_DROP_NONE;
}

/*
 * RFC 1624 §3, eqn. 3: HC' = ~(~HC + ~m + m'). The TTL is the high octet
 * of header word 4, so m' = m - 0x0100 and ~m + m' is -0x0100, 0xfeff in
 * one's complement. Unlike HC + 0x0100 (RFC 1141), this never yields 0xffff
 * where summing the header again would give 0x0000.
 */
void
ipv4_ttl_decrement(uint8_t *hdr)
{
	uint32_t sum = (uint32_t)(~((hdr[IPV4_OFF_CSUM] << 8) | hdr[IPV4_OFF_CSUM + 1]) & 0xffff);

	sum += 0xfeff;
	sum = (sum & 0xffff) + (sum >> 16);
	hdr[IPV4_OFF_TTL]--;
	wr_store_be16(hdr + IPV4_OFF_CSUM, (uint16_t)~sum);
}

/* RFC 1624 §3, eqn. 3 with m = 0 for both words: HC' = ~(~HC + m'). */
void
ipv4_set_length_and_id(uint8_t *hdr, uint16_t total_len, uint16_t id)
{
	uint32_t sum = (uint32_t)(~((hdr[IPV4_OFF_CSUM] << 8) | hdr[IPV4_OFF_CSUM + 1]) & 0xffff);

	sum += (uint32_t)total_len + id;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	wr_store_be16(hdr + 2, total_len);
	wr_store_be16(hdr + 4, id);
	wr_store_be16(hdr + IPV4_OFF_CSUM, (uint16_t)~sum);
}

/*
 * The query messages of RFC 792, RFC 950 and RFC 1256; RFC 1122 §3.2.2
 * forbids an error about any other ICMP message. A type we do not know is
 * taken for an error, as Linux does: answering it could be answering one.
 */
static bool
icmp_is_query(uint8_t type)
{
	switch (type) {
	case ICMP_ECHO_REPLY:
	case ICMP_ECHO_REQUEST:
	case 9:	 /* router advertisement, RFC 1256 */
	case 10: /* router solicitation, RFC 1256 */
	case 13: /* timestamp */
	case 14: /* timestamp reply */
	case 15: /* information request */
	case 16: /* information reply */
	case 17: /* address mask request, RFC 950 */
	case 18: /* address mask reply, RFC 950 */
		return true;
	}
	return false;
}

/*
 * RFC 1122 §3.2.2: 0.0.0.0, 127/8 (§3.2.1.3), 224/4 multicast, 240/4 class E
 * and the limited broadcast do not name a single host. A subnet-directed
 * broadcast takes knowledge of the subnet: the caller's.
 */
static bool
ipv4_single_host(uint32_t addr_be)
{
	const uint8_t *a = (const uint8_t *)&addr_be;

	return !(addr_be == 0 || a[0] == 127 || a[0] >= 224);
}

/*
 * RFC 1122 §3.2.2: no ICMP error for an ICMP error, for a fragment other
 * than the first, for a datagram to a broadcast or multicast address, or
 * from an address that is not a single host's.
 */
static bool
icmp_error_allowed(const struct ipv4_view *v)
{
	if ((v->frag & IPV4_FRAG_OFFSET) != 0)
		return false;
	if (!ipv4_single_host(v->src))
		return false;
	if (v->dst == 0xffffffffu || (((const uint8_t *)&v->dst)[0] & 0xf0) == 224)
		return false;
	return v->proto != IPPROTO_ICMP_ || (v->l4_len >= 1 && icmp_is_query(v->l4[0]));
}

/*
 * RFC 792: an IPv4 header without options, the ICMP header, then the
 * original's header and first 64 bits of data (RFC 1812 §4.3.2.3 allows
 * more; this quotes exactly that, never past the original's total length,
 * so trailing link padding is not quoted).
 */
size_t
icmp_build_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint16_t next_hop_mtu,
    uint32_t src_be, const uint8_t *orig, size_t orig_len)
{
	struct ipv4_view v;
	size_t quote, len;
	uint8_t *icmp = out + IPV4_HDR_LEN;

	if (ipv4_parse(orig, orig_len, &v) != VPG_DROP_NONE || !icmp_error_allowed(&v))
		return 0;
	quote = v.hdr_len + (v.l4_len < ICMP_ERR_QUOTE ? v.l4_len : ICMP_ERR_QUOTE);
	len = IPV4_HDR_LEN + ICMP_ERR_HDR_LEN + quote;
	if (cap < len)
		return 0;
	/* The quote first, and with memmove, so that out may be orig itself. */
	memmove(icmp + ICMP_ERR_HDR_LEN, orig, quote);
	memset(icmp, 0, ICMP_ERR_HDR_LEN);
	icmp[0] = type;
	icmp[1] = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_CODE_FRAG_NEEDED)
		wr_store_be16(icmp + ICMP_OFF_MTU, next_hop_mtu);
	/* Both checksums once, from the final octets (a checksum field is 0). */
	wr_store_be16(icmp + ICMP_OFF_CSUM, inet_checksum(icmp, ICMP_ERR_HDR_LEN + quote));
	ipv4_write_header(out, &(struct ipv4_header){ .src_be = src_be,
				   .dst_be = v.src,
				   .total_len = (uint16_t)len,
				   .tos = IPV4_ERR_TOS,
				   .ttl = IPV4_REPLY_TTL,
				   .proto = IPPROTO_ICMP_ });
	return len;
}

void
ipv4_write_header(uint8_t *out, const struct ipv4_header *h)
{
	memset(out, 0, IPV4_HDR_LEN);
	out[0] = (IPV4_VERSION << 4) | (IPV4_HDR_LEN / 4);
	out[1] = h->tos;
	wr_store_be16(out + 2, h->total_len);
	wr_store_be16(out + 4, h->id);
	out[IPV4_OFF_TTL] = h->ttl;
	out[IPV4_OFF_PROTO] = h->proto;
	memcpy(out + IPV4_OFF_SRC, &h->src_be, 4);
	memcpy(out + IPV4_OFF_DST, &h->dst_be, 4);
	wr_store_be16(out + IPV4_OFF_CSUM, inet_checksum(out, IPV4_HDR_LEN));
}

enum vpg_drop
icmp_answer_echo_to_us(uint8_t *pkt, const struct ipv4_view *v)
{
	if (v->proto != IPPROTO_ICMP_)
		return VPG_DROP_GATEWAY_UNSUPPORTED;
	/* Forwarded packets leave the header check to their receiver; we are the receiver here. */
	if (!ipv4_checksum_ok(pkt, v->hdr_len))
		return VPG_DROP_IPV4_BAD_CHECKSUM;
	return icmp_echo_reply_in_place(pkt, v);
}

const char *
ipv4_str(uint32_t addr_be, char *buf)
{
	uint32_t h = ntohl(addr_be);
	char *p = buf;

	/* By hand: every attach logs addresses, and snprintf costs ten times as much. */
	for (int shift = 24; shift >= 0; shift -= 8) {
		unsigned octet = (h >> shift) & 255;

		if (octet >= 100)
			*p++ = (char)('0' + octet / 100);
		if (octet >= 10)
			*p++ = (char)('0' + octet / 10 % 10);
		*p++ = (char)('0' + octet % 10);
		*p++ = shift > 0 ? '.' : '\0';
	}
	return buf;
}
