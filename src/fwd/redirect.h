/*
 * Junction Redirection: every device packet, whatever its destination, goes
 * over the gate to one gate peer, the "gateway", addresses untouched. This is
 * the setting the packet path reads; the gate does the sending.
 */
#ifndef VPG_FWD_REDIRECT_H
#define VPG_FWD_REDIRECT_H

#include <stdbool.h>
#include <stdint.h>

#define REDIRECT_DESCRIPTION_MAX 256

struct redirect {
	bool set; /* a setting exists (it may be disabled) */
	bool enabled;
	uint32_t gateway_be; /* a gate peer's inner address */
	char description[REDIRECT_DESCRIPTION_MAX];
};

/* True when device packets are to be redirected now. */
static inline bool
redirect_active(const struct redirect *r)
{
	return r->set && r->enabled;
}

#endif
