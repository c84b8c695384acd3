#include "fwd/filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

/* The host-order mask of a prefix; 0 for /0, where ~0u << 32 is undefined. */
static uint32_t
filter_mask(uint8_t prefix)
{
	return prefix == 0 ? 0 : ~0u << (32 - prefix);
}

static int
filter_rule_ok(const struct filter_rule *r)
{
	if (r->action != FILTER_ALLOW && r->action != FILTER_DENY)
		return 0;
	if (r->prefix > 32)
		return 0;
	return (ntohl(r->net_be) & ~filter_mask(r->prefix)) == 0;
}

/* Every rule is checked before any is copied, so a refusal changes nothing. */
int
filter_set(struct filter *f, const struct filter_rule *rules, unsigned n)
{
	if (n > FILTER_MAX_RULES)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		if (!filter_rule_ok(&rules[i]))
			return -EINVAL;
	if (n > 0)
		memcpy(f->rules, rules, n * sizeof(rules[0]));
	memset(f->hits, 0, sizeof(f->hits));
	f->n = n;
	f->generation++;
	return 0;
}

/* A linear scan of at most FILTER_MAX_RULES rules: order is the semantics. */
int
filter_match(struct filter *f, uint32_t dst_be, enum filter_action *action)
{
	uint32_t dst = ntohl(dst_be);

	for (unsigned i = 0; i < f->n; i++) {
		const struct filter_rule *r = &f->rules[i];

		if (((dst ^ ntohl(r->net_be)) & filter_mask(r->prefix)) != 0)
			continue;
		f->hits[i]++;
		*action = r->action;
		return (int)i;
	}
	*action = FILTER_ALLOW;
	return -1;
}
