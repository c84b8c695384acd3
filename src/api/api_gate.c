/*
 * The gate's API objects (docs/API.md "Gate"): the gate's settings and its
 * peers. Every change is validated against the running gateway, committed
 * to the store, then applied; a refusal changes neither.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api_call.h"
#include "conf/config.h"
#include "conf/parse.h"
#include "store/store.h"
#include "fwd/gate.h"
#include "core/ippool.h"
#include "fwd/redirect.h"

#define DEFAULT_VNI 10

static json_t *
mac_json(const uint8_t *mac)
{
	char buf[18];

	if (mac == NULL)
		return json_null();
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5]);
	return json_string(buf);
}

static json_t *
gate_json(const struct api_deps *d)
{
	return json_pack("{s:b, s:I, s:b, s:o, s:o, s:I}", "open", gate_is_open(d->gate), "vxlanId",
	    (json_int_t)gate_vni(d->gate), "privacySeparatorEnabled",
	    gate_privacy_separator(d->gate), "listenAddress", api_ip_json(d->cfg->gate_addr_be),
	    "macAddress", mac_json(gate_mac(d->gate)), "peerCount",
	    (json_int_t)gate_peer_count(d->gate));
}

void
api_get_gate(struct api_call *c)
{
	api_reply(c, 200, gate_json(c->deps));
}

static void
apply_gate(struct api_call *c, const struct store_gate *sg)
{
	if (API_STORE(c, store_gate_put(c->deps->store, sg)) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	gate_configure(c->deps->gate, sg->open, sg->vni, sg->privacy_separator);
	api_reply(c, 200, gate_json(c->deps));
}

/* Absent fields keep the gate's current values; a fresh gate starts at VNI 10, separator off. */
void
api_open_gate(struct api_call *c)
{
	struct gate *g = c->deps->gate;
	struct api_gate_open_body body;
	struct store_gate sg = {
		.open = true, .vni = gate_vni(g), .privacy_separator = gate_privacy_separator(g)
	};

	if (api_decode_gate_open(c->body, c->body_len, &body, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (sg.vni == 0)
		sg.vni = DEFAULT_VNI;
	if (body.has & API_GATE_OPEN_VXLAN_ID)
		sg.vni = (uint32_t)body.vxlan_id;
	if (body.has & API_GATE_OPEN_PRIVACY_SEPARATOR)
		sg.privacy_separator = body.privacy_separator_enabled;
	apply_gate(c, &sg);
}

void
api_close_gate(struct api_call *c)
{
	struct gate *g = c->deps->gate;
	struct store_gate sg = {
		.open = false, .vni = gate_vni(g), .privacy_separator = gate_privacy_separator(g)
	};

	apply_gate(c, &sg);
}

static json_t *
peer_json(uint32_t outer_be, uint32_t inner_be, const uint8_t *mac)
{
	return json_pack("{s:o, s:o, s:o}", "outerIpAddress", api_ip_json(outer_be),
	    "innerIpAddress", api_ip_json(inner_be), "macAddress", mac_json(mac));
}

struct peer_row {
	uint32_t outer_be, inner_be;
	const uint8_t *mac;
};

static int
by_outer(const void *a, const void *b)
{
	uint32_t x = ntohl(((const struct peer_row *)a)->outer_be);
	uint32_t y = ntohl(((const struct peer_row *)b)->outer_be);

	return x < y ? -1 : x > y;
}

void
api_list_gate_peers(struct api_call *c)
{
	struct peer_row rows[GATE_MAX_PEERS];
	unsigned n = 0, cursor = 0;
	json_t *list = json_array();

	while (n < GATE_MAX_PEERS && (cursor = gate_peer_next(c->deps->gate, cursor,
					  &rows[n].outer_be, &rows[n].inner_be, &rows[n].mac)) != 0)
		n++;
	qsort(rows, n, sizeof(rows[0]), by_outer);
	for (unsigned i = 0; i < n && list != NULL; i++)
		json_array_append_new(
		    list, peer_json(rows[i].outer_be, rows[i].inner_be, rows[i].mac));
	api_reply(c, 200, list);
}

static int
check_peer(struct api_call *c, const struct api_gate_peer_body *b)
{
	const struct config *cfg = c->deps->cfg;
	uint32_t inner;
	char a[16], n[16];

	if (!api_unicast_host(b->outer_ip_address_be)) {
		api_fail(c, 400, "invalid_field", "outerIpAddress",
		    "\"outerIpAddress\": %s is not a unicast host address",
		    ipv4_str(b->outer_ip_address_be, a));
		return -1;
	}
	ipv4_str(b->inner_ip_address_be, a);
	if (!config_in_subnet(cfg, b->inner_ip_address_be) ||
	    b->inner_ip_address_be == cfg->subnet_be ||
	    b->inner_ip_address_be == config_broadcast(cfg) ||
	    b->inner_ip_address_be == cfg->gateway_be) {
		api_fail(c, 400, "invalid_field", "innerIpAddress",
		    "\"innerIpAddress\": %s is not a usable address of the device subnet %s/%u "
		    "other than the gateway's",
		    a, ipv4_str(cfg->subnet_be, n), cfg->prefix);
		return -1;
	}
	if (gate_peer_find(c->deps->gate, b->outer_ip_address_be, &inner)) {
		api_fail(c, 409, "conflict", "outerIpAddress",
		    "\"outerIpAddress\": %s is registered already",
		    ipv4_str(b->outer_ip_address_be, n));
		return -1;
	}
	if (gate_peer_count(c->deps->gate) >= GATE_MAX_PEERS) {
		api_fail(
		    c, 409, "conflict", "outerIpAddress", "at most %d gate peers", GATE_MAX_PEERS);
		return -1;
	}
	return 0;
}

/* Holds the inner address in the pool, or says why it cannot be held. */
static int
hold_inner(struct api_call *c, uint32_t inner_be)
{
	char a[16];
	int rc = ippool_hold(c->deps->pool, inner_be);

	ipv4_str(inner_be, a);
	if (rc == -EEXIST)
		api_fail(c, 409, "conflict", "innerIpAddress",
		    "\"innerIpAddress\": %s is mapped to an IMSI or used by another peer", a);
	else if (rc == -EBUSY)
		api_fail(c, 409, "conflict", "innerIpAddress",
		    "\"innerIpAddress\": %s is in use by an attached device", a);
	else if (rc < 0)
		api_fail(c, 400, "invalid_field", "innerIpAddress",
		    "\"innerIpAddress\": %s cannot be used", a);
	return rc < 0 ? -1 : 0;
}

void
api_add_gate_peer(struct api_call *c)
{
	const struct api_deps *d = c->deps;
	struct api_gate_peer_body b;
	int rc;

	if (api_decode_gate_peer(c->body, c->body_len, &b, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (check_peer(c, &b) < 0 || hold_inner(c, b.inner_ip_address_be) < 0)
		return;
	rc = API_STORE(
	    c, store_gate_peer_add(d->store, b.outer_ip_address_be, b.inner_ip_address_be));
	if (rc < 0) {
		ippool_unhold(d->pool, b.inner_ip_address_be);
		api_fail(c, rc == -EEXIST ? 409 : 500, rc == -EEXIST ? "conflict" : "store_failed",
		    "", "cannot add the peer to the store: %s", store_errmsg(d->store));
		return;
	}
	gate_peer_add(d->gate, b.outer_ip_address_be, b.inner_ip_address_be);
	api_reply(c, 201, peer_json(b.outer_ip_address_be, b.inner_ip_address_be, NULL));
}

void
api_delete_gate_peer(struct api_call *c)
{
	const struct api_deps *d = c->deps;
	uint32_t outer, inner;
	char a[16];
	int rc;

	if (api_path_ipv4(c->param, &outer, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (!gate_peer_find(d->gate, outer, &inner)) {
		api_fail(c, 404, "not_found", "outerIpAddress", "no gate peer at %s",
		    ipv4_str(outer, a));
		return;
	}
	if (d->redirect->set && d->redirect->gateway_be == inner) {
		api_fail(c, 409, "conflict", "outerIpAddress",
		    "the peer at %s is the redirection gateway: unset or move redirection first",
		    ipv4_str(outer, a));
		return;
	}
	rc = API_STORE(c, store_gate_peer_delete(d->store, outer));
	if (rc < 0 && rc != -ENOENT) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(d->store));
		return;
	}
	gate_peer_del(d->gate, outer);
	ippool_unhold(d->pool, inner);
	c->status = 204;
}
