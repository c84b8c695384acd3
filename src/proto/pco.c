/*
 * Protocol Configuration Options, 3GPP TS 24.008 §10.5.6.3. The parser walks
 * the containers once through the bounded reader and notes the three
 * requests this gateway answers; the builder writes the answer through the
 * bounded writer. Nothing here allocates, logs or does I/O.
 */
#include <string.h>

#include "pco.h"
#include "rd.h"
#include "wr.h"

/* §10.5.6.3, octet 3: ext bit, spare, configuration protocol (bits 3-1). */
#define PCO_EXT		   0x80
#define PCO_CONF_PROTO	   0x07
#define PCO_CONF_PROTO_PPP 0 /* "PPP for use with IP PDP type or IP PDN type" */

/* §10.5.6.3, Table 10.5.154: container and protocol identifiers. */
#define PCO_ID_DNS_V4	   0x000d /* MS to network: a request; network to MS: one address */
#define PCO_ID_LINK_MTU_V4 0x0010 /* MS to network: a request; network to MS: 2 octets */
#define PCO_ID_IPCP	   0x8021
#define PCO_DNS_V4_LEN	   4
#define PCO_LINK_MTU_LEN   2

/* RFC 1661 §5: code, identifier, length (which counts these 4 octets), options. */
#define PPP_HDR_LEN  4
#define PPP_CONF_REQ 1
#define PPP_CONF_NAK 3
#define PPP_OPT_HDR  2 /* type, length (which counts these 2 octets) */
/* RFC 1877 §1.1, §1.3: the name server options, a 4-octet address each. */
#define IPCP_OPT_DNS1 129
#define IPCP_OPT_DNS2 131
#define IPCP_DNS_LEN  (PPP_OPT_HDR + 4)

static void pco_note_container(struct pco_request *, uint16_t, struct vpg_rd *);
static void pco_note_ipcp(struct pco_request *, struct vpg_rd *);
static bool pco_ipcp_asks_dns(struct vpg_rd *);

/*
 * §10.5.6.3: octet 3 (the value's first), then containers of ID (2
 * octets), length (1) and contents, up to the end of the value. Each container is read in its own
 * window, so a broken IPCP packet inside one cannot make the walk lose its
 * place; only a container running past the end makes the whole value
 * malformed. The ext bit is not checked: it is 1 in every version of the
 * specification and tells nothing about the containers.
 */
int
pco_parse(const uint8_t *val, size_t len, struct pco_request *req)
{
	struct vpg_rd r, contents;
	uint16_t id;
	uint8_t octet3, clen;

	memset(req, 0, sizeof(*req));
	rd_init(&r, val, len);
	if (rd_u8(&r, &octet3) < 0 || (octet3 & PCO_CONF_PROTO) != PCO_CONF_PROTO_PPP)
		return -1;
	while (rd_left(&r) > 0) {
		if (rd_be16(&r, &id) < 0 || rd_u8(&r, &clen) < 0 ||
		    rd_sub(&r, clen, &contents) < 0) {
			memset(req, 0, sizeof(*req));
			return -1;
		}
		pco_note_container(req, id, &contents);
	}
	return 0;
}

/*
 * The requests 0x000D and 0x0010 have no contents (§10.5.6.3); contents
 * they carry anyway are ignored rather than refused, as the request is
 * clear from the ID alone.
 */
static void
pco_note_container(struct pco_request *req, uint16_t id, struct vpg_rd *contents)
{
	switch (id) {
	case PCO_ID_DNS_V4:
		req->dns_v4 = true;
		break;
	case PCO_ID_LINK_MTU_V4:
		req->link_mtu_v4 = true;
		break;
	case PCO_ID_IPCP:
		pco_note_ipcp(req, contents);
		break;
	}
}

/*
 * An IPCP Configure-Request (RFC 1332 §2, RFC 1661 §5.1) whose options ask
 * for a name server. Octets past the PPP length are padding (RFC 1661 §5);
 * a packet shorter than its length, or another code, is not answered. The
 * first request that asks for DNS is the one answered.
 */
static void
pco_note_ipcp(struct pco_request *req, struct vpg_rd *c)
{
	struct vpg_rd opts;
	uint16_t plen;
	uint8_t code, id;

	if (req->ipcp_dns)
		return;
	if (rd_u8(c, &code) < 0 || rd_u8(c, &id) < 0 || rd_be16(c, &plen) < 0)
		return;
	if (code != PPP_CONF_REQ || plen < PPP_HDR_LEN ||
	    rd_sub(c, (size_t)plen - PPP_HDR_LEN, &opts) < 0)
		return;
	if (pco_ipcp_asks_dns(&opts)) {
		req->ipcp_dns = true;
		req->ipcp_id = id;
	}
}

/*
 * RFC 1661 §6: options of type, length (at least 2) and data. A list that
 * breaks this rule is a malformed packet, which RFC 1661 §5 has silently
 * discarded: it asks for nothing.
 */
static bool
pco_ipcp_asks_dns(struct vpg_rd *opts)
{
	uint8_t type, olen;
	bool dns = false;

	while (rd_left(opts) > 0) {
		if (rd_u8(opts, &type) < 0 || rd_u8(opts, &olen) < 0 || olen < PPP_OPT_HDR ||
		    rd_skip(opts, (size_t)olen - PPP_OPT_HDR) < 0)
			return false;
		if ((type == IPCP_OPT_DNS1 || type == IPCP_OPT_DNS2) && olen == IPCP_DNS_LEN)
			dns = true;
	}
	return dns;
}

static unsigned
pco_dns_count(const struct pco_offer *offer)
{
	return offer->n_dns < PCO_MAX_DNS ? offer->n_dns : PCO_MAX_DNS;
}

/* §10.5.6.3: "DNS Server IPv4 Address", one container per address. */
static void
pco_put_dns_v4(struct vpg_wr *w, const struct pco_offer *offer)
{
	for (unsigned i = 0; i < pco_dns_count(offer); i++) {
		wr_be16(w, PCO_ID_DNS_V4);
		wr_u8(w, PCO_DNS_V4_LEN);
		wr_bytes(w, &offer->dns_be[i], PCO_DNS_V4_LEN);
	}
}

/*
 * The device asked with 0.0.0.0 for its name servers; RFC 1877 §1.1 has the
 * peer that knows them answer with a Configure-Nak carrying the addresses to
 * use, with the request's identifier (RFC 1661 §5.3). The first address is
 * the primary name server, the second the secondary.
 */
static void
pco_put_ipcp_nak(struct vpg_wr *w, uint8_t id, const struct pco_offer *offer)
{
	static const uint8_t opt_of[PCO_MAX_DNS] = { IPCP_OPT_DNS1, IPCP_OPT_DNS2 };
	unsigned n = pco_dns_count(offer);
	uint16_t plen = (uint16_t)(PPP_HDR_LEN + n * IPCP_DNS_LEN);

	wr_be16(w, PCO_ID_IPCP);
	wr_u8(w, (uint8_t)plen);
	wr_u8(w, PPP_CONF_NAK);
	wr_u8(w, id);
	wr_be16(w, plen);
	for (unsigned i = 0; i < n; i++) {
		wr_u8(w, opt_of[i]);
		wr_u8(w, IPCP_DNS_LEN);
		wr_bytes(w, &offer->dns_be[i], 4);
	}
}

/* §10.5.6.3: "IPv4 Link MTU", 2 octets in network order. */
static void
pco_put_link_mtu_v4(struct vpg_wr *w, uint16_t mtu)
{
	wr_be16(w, PCO_ID_LINK_MTU_V4);
	wr_u8(w, PCO_LINK_MTU_LEN);
	wr_be16(w, mtu);
}

size_t
pco_build_answer(
    const struct pco_request *req, const struct pco_offer *offer, uint8_t *out, size_t cap)
{
	struct vpg_wr w;

	wr_init(&w, out, cap);
	wr_u8(&w, PCO_EXT | PCO_CONF_PROTO_PPP);
	if (req->dns_v4)
		pco_put_dns_v4(&w, offer);
	if (req->ipcp_dns && pco_dns_count(offer) > 0)
		pco_put_ipcp_nak(&w, req->ipcp_id, offer);
	if (req->link_mtu_v4 && offer->link_mtu != 0)
		pco_put_link_mtu_v4(&w, offer->link_mtu);
	/* Octet 3 alone answers nothing. */
	if (w.overflow || w.len <= 1)
		return 0;
	return w.len;
}
