/*
 * The routing filter's per-rule hits of what XDP forwarded (map
 * "filter_hits", per CPU, fwd/xdp_abi.h), added into the filter's own
 * (struct filter's hits, which the socket path counts), so that
 * /metrics shows one count per rule whichever path carried the packet.
 */
#ifndef VPG_FWD_XDP_HITS_H
#define VPG_FWD_XDP_HITS_H

#include <stdint.h>

#include "fwd/filter.h"

struct xdp_hits {
	int fd;
	uint32_t generation;		 /* of the rules the base was taken for */
	uint64_t base[FILTER_MAX_RULES]; /* the map's sums already added */
};

void xdp_hits_init(struct xdp_hits *h, int fd);
/*
 * Adds what XDP counted since the last call into f->hits, holding the
 * tables. When f's rules changed since (filter_set), nothing is added:
 * the map's counts are of the old rules, which restarted at zero.
 */
void xdp_hits_fold(struct xdp_hits *h, struct filter *f);

#endif
