/*
 * The session core's tables as the XDP program reads them (fwd/xdp_abi.h):
 * a session as a map entry, the routing filter as LPM trie entries, the
 * gateway's settings as the program's configuration. Pure functions, no
 * kernel: fwd/xdp.c writes what they return into the maps.
 */
#ifndef VPG_FWD_XDP_MAP_H
#define VPG_FWD_XDP_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "fwd/filter.h"
#include "fwd/xdp_abi.h"

struct datapath;
struct session;

/* The entry of s in "slots" (fwd/xdp_slots.h), all but its slot, which the table knows. */
void xdp_map_session(const struct session *s, struct xdp_session *out);
/*
 * The routing filter as an LPM trie: one entry per distinct range of f,
 * whose verdict and rule index are those of the first rule that holds the
 * whole range. The longest range that holds an address then gives the
 * first rule that matches it (ranges either nest or are disjoint); no
 * entry, no match: allowed, as filter_match says. Returns the number of
 * entries (at most FILTER_MAX_RULES). O(n^2) for n <= 64 rules, on a
 * control change only.
 */
unsigned xdp_map_filter(const struct filter *f, struct xdp_filter_key keys[FILTER_MAX_RULES],
    struct xdp_filter_value values[FILTER_MAX_RULES]);
/* The program's settings from what the data path has at hand; gate_be is our VXLAN address. */
void xdp_map_conf(const struct datapath *dp, uint32_t gate_be, bool enabled, struct xdp_conf *out);

#endif
