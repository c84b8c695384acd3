/*
 * The gate's neighbours as XDP saw them (bpf/xdp_neigh.h): the stamps the
 * program writes into a neighbour's entry (a frame taken from it, a packet
 * sent to it) told to the gate before its tables age (gate_set_tick_hook),
 * so that MAC learning, confirmation and probing go as if the socket path
 * had carried the packets.
 */
#ifndef VPG_FWD_XDP_NEIGH_H
#define VPG_FWD_XDP_NEIGH_H

#include <stdint.h>

#include "fwd/xdp_abi.h"

struct datapath;

/* What was already told of one entry. */
struct xdp_neigh_marks {
	uint64_t heard_ns, used_ns;
};

/* Tells the gate what v says happened since m, and moves m on. */
void xdp_neigh_fold(
    struct datapath *dp, uint32_t ip_be, const struct xdp_neighbor *v, struct xdp_neigh_marks *m);

#endif
