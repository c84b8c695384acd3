/*
 * Protocol Configuration Options, 3GPP TS 24.008 §10.5.6.3 (the value of the
 * GTPv1-C PCO IE and of GTPv2-C's PCO and APCO IEs): what a device asks for
 * at attach, and the answer that tells it its DNS servers and link MTU. Pure:
 * no I/O, no allocation.
 */
#ifndef VPG_PROTO_PCO_H
#define VPG_PROTO_PCO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCO_MAX_DNS 2

/* What the device asked for (only what this gateway answers). */
struct pco_request {
	bool dns_v4;	  /* container 0x000D, DNS Server IPv4 Address Request */
	bool ipcp_dns;	  /* IPCP (0x8021) Configure-Request with primary/secondary DNS options */
	uint8_t ipcp_id;  /* that Configure-Request's identifier, echoed in the answer */
	bool link_mtu_v4; /* container 0x0010, IPv4 Link MTU Request */
};

/* What the gateway tells devices. */
struct pco_offer {
	unsigned n_dns;
	uint32_t dns_be[PCO_MAX_DNS];
	uint16_t link_mtu; /* 0: not offered */
};

/*
 * Reads a PCO value (configuration protocol octet, then containers). 0, or
 * -1 when it is malformed (a container running past the end, a configuration
 * protocol other than PPP with IP PDP). Unknown containers are skipped.
 */
int pco_parse(const uint8_t *val, size_t len, struct pco_request *req);

/*
 * Builds the answer's value into out: for each thing asked and offered, the
 * matching container (0x000D once per DNS server, an IPCP Configure-Nak with
 * the primary and secondary DNS, 0x0010 with the MTU). Returns its length,
 * or 0 when nothing asked is offered (the caller then sends no PCO) or it
 * does not fit in cap.
 */
size_t pco_build_answer(
    const struct pco_request *req, const struct pco_offer *offer, uint8_t *out, size_t cap);

#endif
