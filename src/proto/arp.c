/*
 * ARP for IPv4 over Ethernet, RFC 826. Parsing reads only through struct
 * vpg_rd; building writes only through struct vpg_wr. RFC 826 has no
 * numbered sections: clauses are cited by its headings.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arp.h"
#include "rd.h"
#include "wr.h"

/*
 * RFC 826, "Packet format": ar$hrd takes its values from the hardware
 * types of Assigned Numbers (1, Ethernet); ar$pro, for Ethernet hardware,
 * an EtherType (0x0800, IPv4); ar$hln and ar$pln the address lengths.
 */
#define ARP_HRD_ETHER 1
#define ARP_PRO_IPV4  ETHER_TYPE_IPV4
#define ARP_PLN_IPV4  4

static int arp_rd_addrs(struct vpg_rd *, struct arp_view *);

/*
 * RFC 826, "Packet Reception": the hardware type and the protocol are
 * checked before anything else; the lengths fix where the addresses lie,
 * so only 6 and 4 can be read at the offsets below. Operations other than
 * REQUEST and REPLY (RFC 903 RARP 3 and 4, RFC 2390 InARP 8 and 9) are not
 * ours. The packet gets its own 28-octet window, so whatever follows it
 * (Ethernet padding, RFC 894) is never looked at.
 */
enum vpg_drop
arp_parse(const uint8_t *buf, size_t len, struct arp_view *v)
{
	struct vpg_rd r, pkt;
	uint16_t hrd, pro, op;
	uint8_t hln, pln;

	memset(v, 0, sizeof(*v));
	rd_init(&r, buf, len);
	if (rd_sub(&r, ARP_LEN, &pkt) < 0)
		return VPG_DROP_ARP_TOO_SHORT;
	if (rd_be16(&pkt, &hrd) < 0 || rd_be16(&pkt, &pro) < 0 || rd_u8(&pkt, &hln) < 0 ||
	    rd_u8(&pkt, &pln) < 0 || rd_be16(&pkt, &op) < 0)
		return VPG_DROP_ARP_TOO_SHORT; /* cannot happen: the window is 28 */
	if (hrd != ARP_HRD_ETHER || pro != ARP_PRO_IPV4 || hln != ETHER_ADDR_LEN ||
	    pln != ARP_PLN_IPV4)
		return VPG_DROP_ARP_UNSUPPORTED;
	v->op = op;
	if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY)
		return VPG_DROP_ARP_UNSUPPORTED;
	if (arp_rd_addrs(&pkt, v) < 0)
		return VPG_DROP_ARP_TOO_SHORT; /* cannot happen: 8 + 2 * (6 + 4) */
	return VPG_DROP_NONE;
}

/*
 * RFC 826, "Packet format": ar$sha, ar$spa, ar$tha, ar$tpa, in that order.
 * Protocol addresses are copied as they are, so they stay in network order.
 */
static int
arp_rd_addrs(struct vpg_rd *pkt, struct arp_view *v)
{
	const uint8_t *sha, *spa, *tha, *tpa;

	if (rd_bytes(pkt, ETHER_ADDR_LEN, &sha) < 0 || rd_bytes(pkt, ARP_PLN_IPV4, &spa) < 0 ||
	    rd_bytes(pkt, ETHER_ADDR_LEN, &tha) < 0 || rd_bytes(pkt, ARP_PLN_IPV4, &tpa) < 0)
		return -1;
	memcpy(v->sha, sha, ETHER_ADDR_LEN);
	memcpy(&v->spa_be, spa, ARP_PLN_IPV4);
	memcpy(v->tha, tha, ETHER_ADDR_LEN);
	memcpy(&v->tpa_be, tpa, ARP_PLN_IPV4);
	return 0;
}

/*
 * RFC 826, "Packet format", for Ethernet and IPv4. The caller chooses tha:
 * RFC 826 leaves it unspecified in a request (Linux sends zeros) and has
 * the reply's tha be the requester's sha ("Packet Reception").
 */
size_t
arp_build(uint8_t *out, size_t cap, uint16_t op, const uint8_t sha[ETHER_ADDR_LEN], uint32_t spa_be,
    const uint8_t tha[ETHER_ADDR_LEN], uint32_t tpa_be)
{
	struct vpg_wr w;

	wr_init(&w, out, cap);
	wr_be16(&w, ARP_HRD_ETHER);
	wr_be16(&w, ARP_PRO_IPV4);
	wr_u8(&w, ETHER_ADDR_LEN);
	wr_u8(&w, ARP_PLN_IPV4);
	wr_be16(&w, op);
	wr_bytes(&w, sha, ETHER_ADDR_LEN);
	wr_bytes(&w, &spa_be, ARP_PLN_IPV4); /* already in network order */
	wr_bytes(&w, tha, ETHER_ADDR_LEN);
	wr_bytes(&w, &tpa_be, ARP_PLN_IPV4);
	return w.overflow ? 0 : w.len;
}
