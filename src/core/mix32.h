/*
 * murmur3's 32-bit finaliser: a good spread for sequential keys (TEIDs,
 * addresses). Shared by the session table's buckets and the XDP program's
 * session indices (fwd/xdp_abi.h), which the program computes too: kernel
 * types only, no other include.
 */
#ifndef VPG_CORE_MIX32_H
#define VPG_CORE_MIX32_H

#include <linux/types.h>

static inline __u32
mix32(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

#endif
