/*
 * libFuzzer harness for the ARP codec (RFC 826). Beyond "no crash", it
 * checks what the parser promises: the drop reason is the one the input
 * deserves (too short below 28 octets, unsupported otherwise), an accepted
 * packet is a request or a reply, and arp_build of the parsed fields gives
 * back the first 28 octets exactly, whatever padding follows them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/arp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arp_view v;
	enum vpg_drop drop;
	uint8_t out[ARP_LEN + 1];

	drop = arp_parse(data, size, &v);
	if (drop != VPG_DROP_NONE) {
		if (drop != (size < ARP_LEN ? VPG_DROP_ARP_TOO_SHORT : VPG_DROP_ARP_UNSUPPORTED))
			abort();
		return 0;
	}
	if (size < ARP_LEN || (v.op != ARP_OP_REQUEST && v.op != ARP_OP_REPLY))
		abort();
	out[ARP_LEN] = 0x5a;
	if (arp_build(out, sizeof(out), v.op, v.sha, v.spa_be, v.tha, v.tpa_be) != ARP_LEN ||
	    memcmp(out, data, ARP_LEN) != 0 || out[ARP_LEN] != 0x5a)
		abort();
	/* One octet short of room: nothing is claimed written. */
	if (arp_build(out, ARP_LEN - 1, v.op, v.sha, v.spa_be, v.tha, v.tpa_be) != 0)
		abort();
	return 0;
}
