/*
 * VXLAN, RFC 7348. Parsing reads only through struct vpg_rd; building
 * writes only through struct vpg_wr.
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
	struct vpg_wr w;
	uint8_t *hdr = frame - VXLAN_HDR_LEN;

	wr_init(&w, hdr, VXLAN_HDR_LEN);
	wr_u8(&w, VXLAN_F_VNI);
	wr_u8(&w, 0);
	wr_be16(&w, 0);
	wr_be32(&w, vni << 8);
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
ipv4_ports(struct vpg_rd *ip, uint8_t ver_ihl, uint16_t frag, uint8_t proto)
{
	uint32_t ports = 0;

	/* Fragments after the first carry no ports: a flow's fragments all go one way. */
	if ((frag & 0x3fff) != 0 ||
	    (proto != IPPROTO_NUM_TCP && proto != IPPROTO_NUM_UDP && proto != IPPROTO_NUM_SCTP))
		return 0;
	if (rd_skip(ip, (size_t)(ver_ihl & 0x0f) * 4 - 20) < 0 || rd_be32(ip, &ports) < 0)
		return 0;
	return ports;
}

/* The inner IPv4 flow's hash; false when the packet is not IPv4 with a whole header. */
static bool
ipv4_flow_hash(struct vpg_rd *ip, uint64_t *h)
{
	uint8_t ver_ihl, ttl, proto;
	uint16_t frag;
	uint32_t src, dst;

	if (rd_u8(ip, &ver_ihl) < 0 || (ver_ihl >> 4) != 4 || (ver_ihl & 0x0f) < 5 ||
	    rd_skip(ip, 5) < 0 || rd_be16(ip, &frag) < 0 || rd_u8(ip, &ttl) < 0 ||
	    rd_u8(ip, &proto) < 0 || rd_skip(ip, 2) < 0 || rd_be32(ip, &src) < 0 ||
	    rd_be32(ip, &dst) < 0)
		return false;
	*h = mix64(((uint64_t)src << 32 | dst) ^
		   mix64((uint64_t)ipv4_ports(ip, ver_ihl, frag, proto) << 8 | proto));
	return true;
}

uint16_t
vxlan_flow_port(const uint8_t *dgram, size_t len)
{
	const uint8_t *macs = NULL;
	struct vpg_rd r;
	uint16_t type = 0;
	uint64_t h = 0;

	rd_init(&r, dgram, len);
	if (rd_skip(&r, VXLAN_HDR_LEN) == 0 && rd_bytes(&r, 12, &macs) == 0 &&
	    rd_be16(&r, &type) == 0 && !(type == 0x0800 && ipv4_flow_hash(&r, &h))) {
		uint64_t a = 0, b = 0;

		for (int i = 0; i < 6; i++) {
			a = a << 8 | macs[i];
			b = b << 8 | macs[6 + i];
		}
		h = mix64(a ^ mix64(b << 16 | type));
	}
	/* As Linux's udp_flow_src_port: the hash scaled onto the range, no modulo bias. */
	return (uint16_t)(VXLAN_SRC_PORT_MIN +
			  (((h >> 32) * (VXLAN_SRC_PORT_MAX - VXLAN_SRC_PORT_MIN + 1)) >> 32));
}

uint8_t *
vxlan_push_udp(uint8_t *dgram, size_t len)
{
	struct vpg_wr w;
	uint8_t *hdr = dgram - VXLAN_UDP_HDR_LEN;

	wr_init(&w, hdr, VXLAN_UDP_HDR_LEN);
	wr_be16(&w, vxlan_flow_port(dgram, len));
	wr_be16(&w, VXLAN_PORT);
	wr_be16(&w, (uint16_t)(len + VXLAN_UDP_HDR_LEN));
	wr_be16(&w, 0);
	return hdr;
}
