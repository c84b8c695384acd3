/*
 * Which UPF rule sets a fast path beside the socket path (the XDP program,
 * fwd/xdp_upf.c) may carry on its own and get exactly the socket path's
 * result, and the usage it carried, added to the URRs that own it.
 *
 * The common rule set: one uplink PDR by our Local F-TEID (and maybe a QFI),
 * its FAR forwarding to Core; one downlink PDR by the device's address, its
 * FAR forwarding into a GTP-U tunnel (outer header creation); QERs with gate
 * status and at most one MBR per direction; URRs that only measure. PDRs
 * that match no IPv4 packet (SDF filters written for IPv6 only, as an SMF
 * sends for Router Solicitations) are left aside: the fast path never sees
 * their packets. Everything else stays on the socket path.
 */
#ifndef VPG_CORE_RULES_FAST_H
#define VPG_CORE_RULES_FAST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rules.h"

/* What the fast path applies of a rule set, per direction. */
struct rules_fast_dir {
	const struct rules_pdr *pdr;
	bool open;			/* every QER's gate for the direction is open */
	const struct rules_bucket *mbr; /* the one QER bucket that polices; NULL: none */
	bool has_qfi;			/* uplink: the PDR's QFI; downlink: the QFI to mark */
	uint8_t qfi;
};

struct rules_fast_plan {
	struct rules_fast_dir ul, dl;
	uint32_t dl_teid, dl_addr_be; /* the downlink FAR's outer header */
};

/*
 * True when the fast path can carry the set of a session whose own TEID is
 * teid and whose device is ue_be, with *plan saying what it applies.
 */
bool rules_fast_plan(
    const struct rules *r, uint32_t teid, uint32_t ue_be, struct rules_fast_plan *plan);

/*
 * Adds to the URRs what the fast path carried for the session since the
 * last look (now: its totals since the session began), the uplink to the
 * URRs of the uplink PDR, the downlink to the downlink PDR's. A set it
 * cannot carry gets nothing: the fast path carried nothing under it.
 */
void rules_fast_fold(struct rules *r, uint32_t teid, uint32_t ue_be, const struct rules_usage *now);

/* What rules_fast_fold would add to u now, without adding it (for a view of the URR). */
void rules_fast_share(const struct rules *r, uint32_t teid, uint32_t ue_be,
    const struct rules_urr *u, const struct rules_usage *now, struct rules_usage *share);

/* URRs that have not looked yet (new ones) start from now. */
void rules_fast_baseline(struct rules *r, const struct rules_usage *now);

#endif
