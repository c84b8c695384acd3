/*
 * The DNS servers every device is told in PCO (docs/API.md "DNS servers"):
 * the list is read and replaced whole, committed to the store before the
 * session core hands it to the next device that attaches. Sessions already
 * up keep what they were told: PCO is answered only at attach.
 */
#include <string.h>

#include "api/api_call.h"
#include "conf/parse.h"
#include "proto/pco.h"
#include "store/store.h"

_Static_assert(API_DNS_MAX == STORE_MAX_DNS, "the API takes as many servers as the store keeps");

json_t *
api_dns_json(const struct pco_offer *offer)
{
	json_t *list = json_array();

	for (unsigned i = 0; i < offer->n_dns && list != NULL; i++) {
		if (json_array_append_new(list, api_ip_json(offer->dns_be[i])) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

void
api_get_dns(struct api_call *c)
{
	api_reply(c, 200, api_dns_json(c->deps->device_offer));
}

void
api_put_dns(struct api_call *c)
{
	struct pco_offer *offer = c->deps->device_offer;
	uint32_t dns[API_DNS_MAX];
	unsigned n = 0;

	if (api_decode_dns(c->body, c->body_len, dns, &n, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (API_STORE(c, store_dns_put(c->deps->store, dns, n)) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	offer->n_dns = n;
	memcpy(offer->dns_be, dns, sizeof(dns));
	api_reply(c, 200, api_dns_json(offer));
}
