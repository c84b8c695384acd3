/*
 * The session table's routes (Framed-Routes, SIM-based routing's kept
 * routes) mirrored into the XDP program's "routes" LPM trie
 * (fwd/xdp_abi.h, bpf/xdp_route.h), so that XDP sends a LAN's packets to
 * the session that owns it and accepts the LAN's sources from that
 * session alone. Rewritten from the table whenever the session table's
 * change hook tells of a route change; only what differs reaches the map.
 */
#ifndef VPG_FWD_XDP_ROUTES_H
#define VPG_FWD_XDP_ROUTES_H

#include "fwd/xdp_abi.h"

struct session_table;

struct xdp_route_entry {
	struct xdp_route_key key;
	struct xdp_route value;
};

/*
 * The entries the table asks for, sorted by key (for the diff): one per
 * route, the owner's TEID or 0 for a route held for a device not attached.
 * At most cap; returns how many. O(routes log routes).
 */
unsigned xdp_map_routes(const struct session_table *t, struct xdp_route_entry *out, unsigned cap);

struct xdp_routes;

/* The mirror of the map behind fd (it starts empty); NULL without memory. */
struct xdp_routes *xdp_routes_new(int fd);
void xdp_routes_free(struct xdp_routes *r);
/* Makes the map say what t says: new and changed entries first, then the gone ones. */
void xdp_routes_sync(struct xdp_routes *r, const struct session_table *t);

#endif
