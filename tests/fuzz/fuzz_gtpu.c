/*
 * libFuzzer harness for the GTPv1-U codec and what the uplink does next
 * with a G-PDU: the inner IPv4 header, and the echo reply the gateway makes
 * of a ping addressed to it. Beyond "no crash", it checks what the parser
 * promises: the view lies inside the input, hdr_len + payload_len is what
 * the length field says, and a pushed header parses back to itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/gtpu.h"
#include "proto/ipv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Headroom plus the largest payload a 16-bit length field allows. */
static uint8_t scratch[GTPU_HDR_LEN + 65536];

static void
check_view(const uint8_t *data, size_t size, const struct gtpu_view *v)
{
	if (v->hdr_len < GTPU_HDR_LEN || v->payload != data + v->hdr_len ||
	    v->hdr_len + v->payload_len != (size_t)GTPU_HDR_LEN + v->length ||
	    v->hdr_len + v->payload_len > size || v->n_ext > GTPU_MAX_EXT_HDRS ||
	    (v->has_seq && (v->flags & GTPU_F_S) == 0))
		abort();
}

/* Pushing a G-PDU header in front of the payload gives it back unchanged. */
static void
check_push(const struct gtpu_view *v)
{
	struct gtpu_view w;
	uint8_t *hdr;

	memcpy(scratch + GTPU_HDR_LEN, v->payload, v->payload_len);
	hdr = gtpu_push_gpdu(scratch + GTPU_HDR_LEN, v->payload_len, v->teid);
	if (gtpu_parse(hdr, GTPU_HDR_LEN + v->payload_len, &w) != VPG_DROP_NONE ||
	    w.teid != v->teid || w.payload_len != v->payload_len ||
	    memcmp(w.payload, v->payload, v->payload_len) != 0)
		abort();
}

/* What the uplink does with a ping to the gateway, on a writable copy. */
static void
check_inner(const struct gtpu_view *v)
{
	struct ipv4_view ip;

	if (ipv4_parse(v->payload, v->payload_len, &ip) != VPG_DROP_NONE)
		return;
	(void)ipv4_checksum_ok(v->payload, ip.hdr_len);
	if (ip.proto != IPPROTO_ICMP_)
		return;
	memcpy(scratch, v->payload, v->payload_len);
	if (ipv4_parse(scratch, v->payload_len, &ip) != VPG_DROP_NONE)
		abort();
	if (icmp_echo_reply_in_place(scratch, &ip) != VPG_DROP_NONE)
		return;
	if (inet_checksum(scratch, ip.hdr_len) != 0 ||
	    inet_checksum(scratch + ip.hdr_len, ip.l4_len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gtpu_view v;
	uint32_t teid;

	if (gtpu_parse(data, size, &v) != VPG_DROP_NONE)
		return 0;
	check_view(data, size, &v);
	switch (v.type) {
	case GTPU_ERROR_INDICATION:
		(void)gtpu_error_indication_teid(&v, &teid);
		break;
	case GTPU_ECHO_REQ:
		if (gtpu_build_echo_rsp(scratch, sizeof(scratch), v.seq) == 0)
			abort();
		break;
	case GTPU_GPDU:
		check_push(&v);
		check_inner(&v);
		break;
	default:
		break;
	}
	return 0;
}
