/*
 * The Junction services' API objects (docs/API.md "Junction Redirection").
 * A change is validated against the running gateway, committed to the store,
 * then applied; a refusal changes neither.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl/api_call.h"
#include "ctl/parse.h"
#include "ctl/store.h"
#include "gw/gate.h"
#include "gw/redirect.h"

static json_t *
redirection_json(const struct redirect *r)
{
	char a[16];

	return json_pack("{s:s, s:b, s:s}", "gateway", ipv4_str(r->gateway_be, a), "enabled",
	    r->enabled, "description", r->description);
}

void
api_get_redirection(struct api_call *c)
{
	if (!c->deps->redirect->set) {
		api_fail(c, 404, "not_found", "", "no redirection is set");
		return;
	}
	api_reply(c, 200, redirection_json(c->deps->redirect));
}

void
api_put_redirection(struct api_call *c)
{
	const struct api_deps *d = c->deps;
	struct api_redirection_body b;
	struct store_redirection sr = { .enabled = true };
	char a[16];

	if (api_decode_redirection(c->body, c->body_len, &b, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (!gate_is_peer_inner(d->gate, b.gateway_be)) {
		api_fail(c, 400, "invalid_field", "gateway",
		    "\"gateway\": %s is not a registered gate peer's inner address",
		    ipv4_str(b.gateway_be, a));
		return;
	}
	sr.gateway_be = b.gateway_be;
	if (b.has & API_REDIRECTION_ENABLED)
		sr.enabled = b.enabled;
	if (b.has & API_REDIRECTION_DESCRIPTION)
		snprintf(sr.description, sizeof(sr.description), "%s", b.description);
	if (store_redirection_put(d->store, &sr) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(d->store));
		return;
	}
	*d->redirect =
	    (struct redirect){ .set = true, .enabled = sr.enabled, .gateway_be = sr.gateway_be };
	memcpy(d->redirect->description, sr.description, sizeof(d->redirect->description));
	api_reply(c, 200, redirection_json(d->redirect));
}

void
api_delete_redirection(struct api_call *c)
{
	const struct api_deps *d = c->deps;
	int rc;

	if (!d->redirect->set) {
		api_fail(c, 404, "not_found", "", "no redirection is set");
		return;
	}
	rc = store_redirection_delete(d->store);
	if (rc < 0 && rc != -ENOENT) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(d->store));
		return;
	}
	*d->redirect = (struct redirect){ .set = false };
	c->status = 204;
}
