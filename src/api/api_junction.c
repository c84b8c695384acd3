/*
 * The Junction services' API objects (docs/API.md "Junction Redirection",
 * "Junction Mirroring").
 * A change is validated against the running gateway, committed to the store,
 * then applied; a refusal changes neither.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_call.h"
#include "conf/parse.h"
#include "store/store.h"
#include "fwd/gate.h"
#include "fwd/mirror.h"
#include "fwd/redirect.h"

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
	if (API_STORE(c, store_redirection_put(d->store, &sr)) < 0) {
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
	rc = API_STORE(c, store_redirection_delete(d->store));
	if (rc < 0 && rc != -ENOENT) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(d->store));
		return;
	}
	*d->redirect = (struct redirect){ .set = false };
	c->status = 204;
}

/* Junction Mirroring (docs/API.md "Junction Mirroring"). */

static json_t *
mirror_peer_json(const struct mirror_peer *p)
{
	char a[16];

	return json_pack("{s:s, s:s, s:b, s:s}", "ipAddress", ipv4_str(p->addr_be, a), "protocol",
	    "gre", "enabled", p->enabled, "description", p->description);
}

static int
by_address(const void *a, const void *b)
{
	uint32_t x = ntohl(((const struct mirror_peer *)a)->addr_be);
	uint32_t y = ntohl(((const struct mirror_peer *)b)->addr_be);

	return x < y ? -1 : x > y;
}

void
api_list_mirror_peers(struct api_call *c)
{
	struct mirror_peer peers[MIRROR_MAX_PEERS];
	const struct mirror *m = c->deps->mirror;
	json_t *list = json_array();

	memcpy(peers, m->peers, sizeof(peers));
	qsort(peers, m->n, sizeof(peers[0]), by_address);
	for (unsigned i = 0; i < m->n && list != NULL; i++)
		json_array_append_new(list, mirror_peer_json(&peers[i]));
	api_reply(c, 200, list);
}

/* Store first, then the running gateway; both hold the same peer afterwards. */
static void
commit_mirror_peer(struct api_call *c, const struct mirror_peer *p, int status)
{
	struct store_mirror_peer sp = { .addr_be = p->addr_be, .enabled = p->enabled };

	memcpy(sp.description, p->description, sizeof(sp.description));
	if (API_STORE(c, store_mirror_put(c->deps->store, &sp)) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	mirror_put(c->deps->mirror, p);
	api_reply(c, status, mirror_peer_json(p));
}

static void
apply_body(struct mirror_peer *p, const struct api_mirror_body *b)
{
	if (b->has & API_MIRROR_ENABLED)
		p->enabled = b->enabled;
	if (b->has & API_MIRROR_DESCRIPTION)
		memcpy(p->description, b->description, sizeof(p->description));
}

void
api_add_mirror_peer(struct api_call *c)
{
	struct mirror *m = c->deps->mirror;
	struct mirror_peer p = { .enabled = true };
	struct api_mirror_body b;
	char a[16];

	if (api_decode_mirror_peer(c->body, c->body_len, &b, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	ipv4_str(b.ip_address_be, a);
	if (!api_unicast_host(b.ip_address_be)) {
		api_fail(c, 400, "invalid_field", "ipAddress",
		    "\"ipAddress\": %s is not a unicast host address", a);
		return;
	}
	if (mirror_find(m, b.ip_address_be) != NULL) {
		api_fail(
		    c, 409, "conflict", "ipAddress", "\"ipAddress\": %s is registered already", a);
		return;
	}
	if (m->n == MIRROR_MAX_PEERS) {
		api_fail(c, 409, "conflict", "ipAddress", "at most %d mirroring peers",
		    MIRROR_MAX_PEERS);
		return;
	}
	p.addr_be = b.ip_address_be;
	apply_body(&p, &b);
	commit_mirror_peer(c, &p, 201);
}

void
api_update_mirror_peer(struct api_call *c)
{
	struct api_mirror_body b;
	struct mirror_peer p, *cur;
	uint32_t addr;
	char a[16];

	if (api_path_ipv4(c->param, &addr, &c->err) < 0 ||
	    api_decode_mirror_update(c->body, c->body_len, &b, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	cur = mirror_find(c->deps->mirror, addr);
	if (cur == NULL) {
		api_fail(
		    c, 404, "not_found", "ipAddress", "no mirroring peer at %s", ipv4_str(addr, a));
		return;
	}
	p = *cur;
	apply_body(&p, &b);
	commit_mirror_peer(c, &p, 200);
}

void
api_delete_mirror_peer(struct api_call *c)
{
	uint32_t addr;
	char a[16];
	int rc;

	if (api_path_ipv4(c->param, &addr, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (mirror_find(c->deps->mirror, addr) == NULL) {
		api_fail(
		    c, 404, "not_found", "ipAddress", "no mirroring peer at %s", ipv4_str(addr, a));
		return;
	}
	rc = API_STORE(c, store_mirror_delete(c->deps->store, addr));
	if (rc < 0 && rc != -ENOENT) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	mirror_del(c->deps->mirror, addr);
	c->status = 204;
}
