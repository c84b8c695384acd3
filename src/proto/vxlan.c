/*
 * VXLAN, RFC 7348. Parsing reads through struct vpg_rd; the headers pushed
 * in front of every frame, and the flow hash of every frame, use fixed
 * offsets after one length check (rd_load_*, wr_store_*).
 *
 * RFC 7348 §5, the header (octets counted from 0):
 *	octet 0     flags: I (0x08) and seven reserved R bits
 *	octets 1-3  reserved
 *	octets 4-6  VXLAN Network Identifier (VNI)
 *	octet 7     reserved
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ether.h"
#include "ipv4.h"
#include "rd.h"
#include "vxlan.h"
#include "wr.h"

/*
 * RFC 7348 §5: the I flag MUST be set for a valid VNI; the other flag bits
 * and the reserved fields MUST be zero on transmission and are ignored on
 * receipt, so a sender's extension (e.g. Group Based Policy) still gets
 * through. The inner frame is everything after the header: UDP gives its
 * length, and §5 Figure 1 carries no inner FCS.
 */
enum vpg_drop
vxlan_parse(const uint8_t *buf, size_t len, struct vxlan_view *v)
{
	struct vpg_rd r;
	uint8_t flags;
	uint32_t word;

	memset(v, 0, sizeof(*v));
	rd_init(&r, buf, len);
	if (rd_u8(&r, &flags) < 0 || rd_skip(&r, 3) < 0 || rd_be32(&r, &word) < 0)
		return VPG_DROP_VXLAN_TOO_SHORT;
	v->flags = flags;
	if ((flags & VXLAN_F_VNI) == 0)
		return VPG_DROP_VXLAN_BAD_FLAGS;
	v->vni = word >> 8; /* octets 4-6; octet 7 is reserved */
	v->frame_len = rd_left(&r);
	if (rd_bytes(&r, v->frame_len, &v->frame) < 0)
		return VPG_DROP_VXLAN_TOO_SHORT; /* cannot happen: it is what is left */
	return VPG_DROP_NONE;
}

/*
 * RFC 7348 §5: I set, every reserved bit and octet zero. The VNI goes in
 * the top three octets of the last word: the shift drops any bit of vni
 * above the 24th and leaves the reserved last octet zero.
 */
uint8_t *
vxlan_push(uint8_t *frame, uint32_t vni)
{
	uint8_t *hdr = frame - VXLAN_HDR_LEN;

	/* Every frame to a peer takes it: stores into the caller's headroom. */
	hdr[0] = VXLAN_F_VNI;
	hdr[1] = hdr[2] = hdr[3] = 0;
	wr_store_be32(hdr + 4, vni << 8);
	return hdr;
}

static uint64_t
mix64(uint64_t h)
{
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

enum { IPPROTO_NUM_TCP = 6, IPPROTO_NUM_UDP = 17, IPPROTO_NUM_SCTP = 132 };

/* Ports of an unfragmented TCP, UDP or SCTP packet (the first 4 octets of each); else 0. */
static uint32_t
ipv4_ports(const uint8_t *ip, size_t len)
{
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	uint8_t proto = ip[9];

	/* Fragments after the first carry no ports: a flow's fragments all go one way. */
	if ((rd_load_be16(ip + 6) & 0x3fff) != 0 ||
	    (proto != IPPROTO_NUM_TCP && proto != IPPROTO_NUM_UDP && proto != IPPROTO_NUM_SCTP) ||
	    len < ihl + 4)
		return 0;
	return rd_load_be32(ip + ihl);
}

/* The inner IPv4 flow's hash; false when the packet is not IPv4 with a whole header. */
static bool
ipv4_flow_hash(const uint8_t *ip, size_t len, uint64_t *h)
{
	if (len < IPV4_HDR_LEN || (ip[0] >> 4) != 4 || (ip[0] & 0x0f) < 5)
		return false;
	*h = mix64(((uint64_t)rd_load_be32(ip + 12) << 32 | rd_load_be32(ip + 16)) ^
		   mix64((uint64_t)ipv4_ports(ip, len) << 8 | ip[9]));
	return true;
}

/*
 * Every frame sent to a gate peer takes this: one length check for the
 * inner Ethernet header, then fixed offsets. Not IPv4 (or too short for its
 * header): the MAC addresses and type are the flow.
 */
uint16_t
vxlan_flow_port(const uint8_t *dgram, size_t len)
{
	const uint8_t *frame = dgram + VXLAN_HDR_LEN;
	uint64_t h = 0;

	if (len >= VXLAN_HDR_LEN + ETHER_HDR_LEN) {
		size_t left = len - VXLAN_HDR_LEN - ETHER_HDR_LEN;
		uint16_t type = rd_load_be16(frame + 12);

		if (!(type == ETHER_TYPE_IPV4 && ipv4_flow_hash(frame + ETHER_HDR_LEN, left, &h))) {
			uint64_t a = 0, b = 0;

			for (int i = 0; i < 6; i++) {
				a = a << 8 | frame[i];
				b = b << 8 | frame[6 + i];
			}
			h = mix64(a ^ mix64(b << 16 | type));
		}
	}
	/* As Linux's udp_flow_src_port: the hash scaled onto the range, no modulo bias. */
	return (uint16_t)(VXLAN_SRC_PORT_MIN +
			  (((h >> 32) * (VXLAN_SRC_PORT_MAX - VXLAN_SRC_PORT_MIN + 1)) >> 32));
}

uint8_t *
vxlan_push_udp(uint8_t *dgram, size_t len)
{
	uint8_t *hdr = dgram - VXLAN_UDP_HDR_LEN;

	wr_store_be16(hdr, vxlan_flow_port(dgram, len));
	wr_store_be16(hdr + 2, VXLAN_PORT);
	wr_store_be16(hdr + 4, (uint16_t)(len + VXLAN_UDP_HDR_LEN));
	wr_store_be16(hdr + 6, 0);
	return hdr;
}
