/*
 * The routing filter's API object (docs/API.md "Routing filter"): the whole
 * ordered list is read and replaced at once, committed to the store before
 * it reaches the packet path.
 */
#include <stdio.h>

#include "api/api_call.h"
#include "conf/parse.h"
#include "store/store.h"
#include "fwd/filter.h"

static json_t *
filter_json(const struct filter *f)
{
	json_t *list = json_array();
	char net[16], range[24];

	for (unsigned i = 0; i < f->n && list != NULL; i++) {
		snprintf(range, sizeof(range), "%s/%u", ipv4_str(f->rules[i].net_be, net),
		    f->rules[i].prefix);
		json_array_append_new(list,
		    json_pack("{s:s, s:s}", "action",
			f->rules[i].action == FILTER_ALLOW ? "allow" : "deny", "ipRange", range));
	}
	return list;
}

void
api_get_routing_filter(struct api_call *c)
{
	api_reply(c, 200, filter_json(c->deps->filter));
}

void
api_put_routing_filter(struct api_call *c)
{
	struct filter_rule rules[FILTER_MAX_RULES];
	unsigned n = 0;

	if (api_decode_routing_filter(c->body, c->body_len, rules, FILTER_MAX_RULES, &n, &c->err) <
	    0) {
		c->status = c->err.status;
		return;
	}
	if (API_STORE(c, store_filter_put(c->deps->store, rules, n)) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	/* Decoded rules are valid for the matcher, so this cannot refuse them. */
	filter_set(c->deps->filter, rules, n);
	api_reply(c, 200, filter_json(c->deps->filter));
}
