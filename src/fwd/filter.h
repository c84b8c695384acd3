/*
 * The routing filter (docs/API.md "Routing filter"): an ordered list of
 * allow/deny rules on the destination of every packet a device sends, the
 * gateway's own address excepted (that exception is the caller's). The
 * first rule whose range holds the destination decides; no match allows.
 * Matching is on the packet path: no allocation, at most FILTER_MAX_RULES
 * comparisons.
 */
#ifndef VPG_FWD_FILTER_H
#define VPG_FWD_FILTER_H

#include <stdint.h>

/* docs/API.md: at most 64 entries. */
#define FILTER_MAX_RULES 64

enum filter_action { FILTER_ALLOW, FILTER_DENY };

struct filter_rule {
	enum filter_action action;
	uint32_t net_be; /* network order, no host bits set */
	uint8_t prefix;	 /* 0..32 */
};

struct filter {
	unsigned n;
	struct filter_rule rules[FILTER_MAX_RULES];
	uint64_t hits[FILTER_MAX_RULES]; /* packets denied (or allowed) by each rule */
	/* Bumped by every filter_set: a fast path's own counts of the old rules end there. */
	uint32_t generation;
};

/*
 * Replaces the rules (hits reset): 0, or -EINVAL for more than
 * FILTER_MAX_RULES rules, a prefix above 32, host bits set or an unknown
 * action, with f unchanged.
 */
int filter_set(struct filter *f, const struct filter_rule *rules, unsigned n);
/*
 * First match wins; no match = allow. Returns the matching rule's index, or
 * -1 for no match; *action gets the verdict. Counts hits. O(f->n).
 */
int filter_match(struct filter *f, uint32_t dst_be, enum filter_action *action);

#endif
