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
