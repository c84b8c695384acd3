/*
 * libFuzzer harness for the PCO codec (TS 24.008 §10.5.6.3). Beyond "no
 * crash", it checks what the codec promises: a refused value asks for
 * nothing; the answer to what was asked, built from an offer the input
 * chooses, parses back, is never longer than the largest answer, and carries
 * a DNS or an MTU container exactly when that was asked and offered.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/pco.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Octet 3, two 0x000D, an IPCP Configure-Nak with two options, one 0x0010. */
#define PCO_LARGEST_ANSWER (1 + 2 * 7 + 3 + 4 + 2 * 6 + 5)

static bool
asks_nothing(const struct pco_request *r)
{
	return !r->dns_v4 && !r->ipcp_dns && r->ipcp_id == 0 && !r->link_mtu_v4;
}

/* The first octet chooses the offer, the last the room: both ends get reached. */
static void
offer_from(const uint8_t *data, size_t size, struct pco_offer *o, size_t *cap)
{
	memset(o, 0, sizeof(*o));
	o->n_dns = size > 0 ? data[0] % (PCO_MAX_DNS + 1) : 0;
	o->dns_be[0] = 0x3500400a;
	o->dns_be[1] = 0x350200c0;
	o->link_mtu = size > 0 && (data[0] & 0x04) ? 1500 : 0;
	*cap = size > 0 ? data[size - 1] % (PCO_LARGEST_ANSWER + 8) : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pco_request req, back;
	struct pco_offer offer;
	uint8_t out[PCO_LARGEST_ANSWER + 8];
	size_t cap, len;
	bool dns, mtu;

	if (pco_parse(data, size, &req) < 0) {
		if (!asks_nothing(&req))
			abort();
		return 0;
	}
	offer_from(data, size, &offer, &cap);
	len = pco_build_answer(&req, &offer, out, cap);
	dns = req.dns_v4 && offer.n_dns > 0;
	mtu = req.link_mtu_v4 && offer.link_mtu != 0;
	if (len == 0) {
		/* Only when nothing asked is offered, or when it did not fit. */
		if ((dns || mtu || (req.ipcp_dns && offer.n_dns > 0)) &&
		    pco_build_answer(&req, &offer, out, sizeof(out)) <= cap)
			abort();
		return 0;
	}
	if (len > cap || len > PCO_LARGEST_ANSWER || pco_parse(out, len, &back) < 0)
		abort();
	/* A Configure-Nak asks for nothing; the answers reuse the requests' IDs. */
	if (back.ipcp_dns || back.dns_v4 != dns || back.link_mtu_v4 != mtu)
		abort();
	return 0;
}
