/*
 * A UPF session as the XDP program carries it (fwd/xdp_abi.h, map "upf"):
 * what core/rules_fast.c found the program can apply of its rules, as the
 * map's entry. Pure functions, no kernel: fwd/xdp.c writes what they
 * return, at insertion and after every change of the rules (PFCP Session
 * Establishment and Modification), before the response leaves.
 */
#ifndef VPG_FWD_XDP_UPF_H
#define VPG_FWD_XDP_UPF_H

#include <stdbool.h>

#include "fwd/xdp_abi.h"

struct session;

/*
 * True when XDP can carry the UPF session s: *out is its "upf" entry, and
 * the session's own entry e gets XDP_SESSION_F_UPF and the downlink FAR's
 * tunnel. False leaves e to the socket path (XDP_SESSION_F_SLOW).
 */
bool xdp_upf_entry(const struct session *s, struct xdp_session *e, struct xdp_upf *out);

/*
 * The buckets of cur (the entry in the map, which the program has been
 * spending) carried into next where the rate did not change: a Modification
 * that leaves the MBR alone must not refill it.
 */
void xdp_upf_keep_buckets(struct xdp_upf *next, const struct xdp_upf *cur);

#endif
