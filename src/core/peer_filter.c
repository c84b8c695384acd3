#include "core/peer_filter.h"

#include <stdio.h>

#include "core/counters.h"
#include "io/log.h"
#include "proto/ipv4.h"

void
peer_filter_init(
    struct peer_filter *f, const struct cidr_list *allowed, unsigned drop, const char *protocol)
{
	char list[CIDR_LIST_MAX * (CIDR_STR_LEN + 2)];

	*f = (struct peer_filter){ .allowed = allowed, .drop = drop, .protocol = protocol };
	if (allowed != NULL)
		log_info("%s: requests accepted from %s", protocol,
		    cidr_list_str(allowed, list, sizeof(list)));
}

/* One line a second at most: the first refusal, then how many followed it. */
static void
log_refusal(struct peer_filter *f, uint32_t from_be, uint64_t now_ms)
{
	char from[16];

	f->unlogged++;
	if (now_ms < f->next_log_ms)
		return;
	log_warn("%s: dropped a datagram from %s, not an allowed peer (%llu refused since the "
		 "last report)",
	    f->protocol, ipv4_str(from_be, from), (unsigned long long)f->unlogged);
	f->unlogged = 0;
	f->next_log_ms = now_ms + PEER_FILTER_LOG_MS;
}

bool
peer_filter_admit(struct peer_filter *f, uint32_t from_be, uint64_t now_ms)
{
	if (f->allowed == NULL || cidr_list_contains(f->allowed, from_be))
		return true;
	counters_drop(f->drop);
	log_refusal(f, from_be, now_ms);
	return false;
}
