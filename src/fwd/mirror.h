/*
 * Junction Mirroring: a copy of every IPv4 packet crossing the gateway, in
 * both directions, GRE-encapsulated (RFC 2784) to up to four mirroring
 * peers. A copy is taken before the packet is changed on its way and sent
 * through its own non-blocking socket: when that path is congested the copy
 * is dropped and counted, the original never waits.
 */
#ifndef VPG_FWD_MIRROR_H
#define VPG_FWD_MIRROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRROR_MAX_PEERS 4

struct datapath;
struct udp_batch;

struct mirror_peer {
	uint32_t addr_be;
	bool enabled;
	char description[256];
};

struct mirror {
	unsigned n;
	struct mirror_peer peers[MIRROR_MAX_PEERS];
	struct udp_batch *sock; /* raw IP, protocol 47, from the underlay address */
};

/* Adds or replaces a peer; -ENOSPC when four are registered. */
int mirror_put(struct mirror *m, const struct mirror_peer *p);
/* -ENOENT when unknown. */
int mirror_del(struct mirror *m, uint32_t addr_be);
struct mirror_peer *mirror_find(struct mirror *m, uint32_t addr_be);

/* Copies the device-side IPv4 packet to every enabled peer. */
void mirror_copy(struct datapath *dp, const uint8_t *pkt, size_t len);
/* Copies it, the same way, to one address whether or not it is a mirroring peer. */
void mirror_copy_to(struct datapath *dp, const uint8_t *pkt, size_t len, uint32_t addr_be);

#endif
