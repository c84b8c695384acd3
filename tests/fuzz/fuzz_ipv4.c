/*
 * libFuzzer harness for the IPv4/ICMP codec: header validation, the
 * Internet checksum over any length and alignment, the incremental TTL
 * decrement (must equal summing the header again), and the in-place echo
 * reply, whose result must verify (both checksums zero) and parse again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ipv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t scratch[65536];

static void
check_view(const uint8_t *data, size_t size, const struct ipv4_view *v)
{
	if (v->hdr_len < IPV4_HDR_LEN || v->total_len > size || v->total_len < v->hdr_len ||
	    v->l4 != data + v->hdr_len || v->l4_len != (size_t)(v->total_len - v->hdr_len))
		abort();
}

/* On a header that verifies, the patched checksum is the recomputed one. */
static void
check_ttl_decrement(const uint8_t *data, const struct ipv4_view *v)
{
	uint16_t want;

	if (v->ttl <= 1 || !ipv4_checksum_ok(data, v->hdr_len))
		return;
	memcpy(scratch, data, v->hdr_len);
	scratch[8]--;
	scratch[10] = scratch[11] = 0;
	want = inet_checksum(scratch, v->hdr_len);
	memcpy(scratch, data, v->hdr_len);
	ipv4_ttl_decrement(scratch);
	if (scratch[8] != v->ttl - 1 || scratch[10] != (want >> 8) || scratch[11] != (want & 0xff))
		abort();
}

static void
check_echo_reply(size_t size)
{
	struct ipv4_view v, again;

	if (ipv4_parse(scratch, size, &v) != VPG_DROP_NONE)
		abort();
	if (icmp_echo_reply_in_place(scratch, &v) != VPG_DROP_NONE)
		return;
	if (!ipv4_checksum_ok(scratch, v.hdr_len) ||
	    inet_checksum(scratch + v.hdr_len, v.l4_len) != 0 ||
	    ipv4_parse(scratch, size, &again) != VPG_DROP_NONE || again.src != v.dst ||
	    again.dst != v.src || again.ttl != 64 || scratch[v.hdr_len] != ICMP_ECHO_REPLY)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipv4_view v;

	(void)inet_checksum(data, size);
	if (size > sizeof(scratch) || ipv4_parse(data, size, &v) != VPG_DROP_NONE)
		return 0;
	check_view(data, size, &v);
	check_ttl_decrement(data, &v);
	memcpy(scratch, data, size);
	check_echo_reply(size);
	return 0;
}
