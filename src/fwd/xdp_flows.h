/*
 * Junction Inspection's side of the XDP fast path (bpf/xdp_flows.h): the
 * map "flows" as Inspection's fast path (inspect/inspect.h). Inspection
 * hands a flow over once nDPI is done with it; from then on the program
 * forwards the flow's packets and counts them in the flow's entry, which
 * Inspection reads back before it reports or expires the flow, and removes
 * when the flow ends.
 */
#ifndef VPG_FWD_XDP_FLOWS_H
#define VPG_FWD_XDP_FLOWS_H

#include <stdint.h>

#include "fwd/xdp_abi.h"
#include "inspect/flow.h"

struct inspect;
struct xdp_flows;

/*
 * Inspection's flows go to map fd (max_entries entries) from now on: NULL
 * without memory, and Inspection then keeps every packet.
 */
struct xdp_flows *xdp_flows_start(struct inspect *in, int fd, uint32_t max_entries);
/* Merges what the map counted into Inspection's flows and unhooks. NULL is fine. */
void xdp_flows_stop(struct xdp_flows *xf, struct inspect *in);

/* The map's key of Inspection's flow k. */
void xdp_flows_key(const struct flow_key *k, struct xdp_flow_key *out);
/* The map's value as Inspection's counts. */
void xdp_flows_counts(const struct xdp_flow_stats *v, struct flow_fast_counts *out);
/*
 * Flows the map takes at most, out of max_entries: its LRU lists keep up to
 * XDP_FLOWS_PER_CPU_FREE free entries per CPU aside and start evicting when
 * the rest is used, so the daemon stays below that.
 */
#define XDP_FLOWS_PER_CPU_FREE 256
uint32_t xdp_flows_capacity(uint32_t max_entries, int cpus);
/*
 * The map's size for Inspection's maxFlows at start: room for that many
 * flows beside the free entries the LRU keeps aside, and never less than
 * the default maxFlows takes (so Inspection enabled later with its default
 * size has it). The map cannot grow once loaded: a maxFlows raised later
 * takes effect here at the next start, and until then the flows beyond the
 * map's capacity are counted on the socket path (inspection_flows_xdp_refused).
 */
uint32_t xdp_flows_map_entries(uint32_t max_flows, int cpus);

#endif
