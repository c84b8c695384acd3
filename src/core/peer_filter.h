/*
 * The first check of every control protocol (GTPv1-C, GTPv2-C, PFCP): a
 * datagram whose source is outside the role's allowed peers is dropped
 * before it is parsed, and never answered, so that vpgd can be neither
 * steered by an outsider nor used to reflect traffic at a third party.
 * Each refusal is counted under the role's drop reason; the log says so at
 * most once a second per protocol, so a flood cannot flood the log.
 */
#ifndef VPG_CORE_PEER_FILTER_H
#define VPG_CORE_PEER_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cidr_list.h"

#define PEER_FILTER_LOG_MS 1000

struct peer_filter {
	const struct cidr_list *allowed; /* NULL: every source is let in */
	unsigned drop;			 /* the drop reason counted for a refusal */
	const char *protocol;		 /* "GTPv1-C", as the log names it */
	uint64_t next_log_ms;		 /* monotonic: no log line before */
	uint64_t unlogged;		 /* refusals since the last log line */
};

/*
 * Sets f up for allowed (NULL: no filter) and logs the list, once, as the
 * role's start-up line. allowed must outlive f.
 */
void peer_filter_init(
    struct peer_filter *f, const struct cidr_list *allowed, unsigned drop, const char *protocol);

/* True when from_be may talk to the role; otherwise counts f's drop and perhaps logs. */
bool peer_filter_admit(struct peer_filter *f, uint32_t from_be, uint64_t now_ms);

#endif
