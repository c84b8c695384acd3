#include "fwd/xdp_neigh.h"

#include "fwd/datapath.h"
#include "fwd/gate.h"

/* The program stamps CLOCK_MONOTONIC, the clock of the data path's milliseconds. */
static uint64_t
ms_of(uint64_t ns)
{
	return ns / 1000000;
}

void
xdp_neigh_fold(
    struct datapath *dp, uint32_t ip_be, const struct xdp_neighbor *v, struct xdp_neigh_marks *m)
{
	if (v->heard_ns > m->heard_ns) {
		m->heard_ns = v->heard_ns;
		gate_neighbor_heard(dp, ip_be, ms_of(v->heard_ns));
	}
	if (v->used_ns > m->used_ns) {
		m->used_ns = v->used_ns;
		gate_neighbor_used(dp, ip_be, ms_of(v->used_ns));
	}
}
