/*
 * SIM-based routing's API objects (docs/API.md "SIM-based routing"): the
 * table of the LANs behind devices, read and replaced at once or one device
 * at a time, and whether it is enabled. Every change is committed to the
 * store before it reaches the session table; every answer is the whole
 * state, as GET gives it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_call.h"
#include "conf/config.h"
#include "conf/parse.h"
#include "core/sim_routes.h"
#include "store/store.h"

static json_t *
destinations_json(const struct sim_table *t, const struct sim_device *d)
{
	json_t *list = json_array();
	char net[16], range[24];

	for (unsigned k = 0; k < d->n && list != NULL; k++) {
		const struct sim_prefix *p = &t->prefix[d->first + k];

		snprintf(range, sizeof(range), "%s/%u", ipv4_str(p->net_be, net), p->len);
		json_array_append_new(list, json_string(range));
	}
	return list;
}

static json_t *
sim_json(const struct sim_routes *r)
{
	const struct sim_table *t = &r->table;
	json_t *routes = json_array();

	for (unsigned i = 0; i < t->n_devices && routes != NULL; i++)
		json_array_append_new(
		    routes, json_pack("{s:s, s:o*}", "imsi", t->device[i].imsi, "destinations",
				destinations_json(t, &t->device[i])));
	return json_pack("{s:b, s:o*}", "enabled", r->enabled, "routes", routes);
}

void
api_get_sim_routes(struct api_call *c)
{
	api_reply(c, 200, sim_json(c->deps->sim_routes));
}

/* Stored, then applied: a table the API answered for survives a restart. */
static void
commit_table(struct api_call *c, const struct sim_table *t)
{
	if (API_STORE(c, store_sim_routes_put(c->deps->store, t)) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	/* Checked on the way in, so the table cannot refuse it. */
	(void)sim_routes_set(c->deps->sim_routes, t);
	api_reply(c, 200, sim_json(c->deps->sim_routes));
}

void
api_put_sim_routes(struct api_call *c)
{
	const struct config *cfg = c->deps->cfg;
	struct sim_table *t = malloc(sizeof(*t));

	if (t == NULL) {
		api_fail(c, 500, "internal", "", "out of memory");
		return;
	}
	if (api_decode_sim_routes(c->body, c->body_len, cfg->subnet_be, cfg->prefix, t, &c->err) <
	    0)
		c->status = c->err.status;
	else
		commit_table(c, t);
	free(t);
}

/* The path's IMSI, in the words of the body's "imsi". */
static int
path_imsi(struct api_call *c, char imsi[SIM_ROUTES_IMSI_LEN])
{
	char q[API_QUOTE_BUF];

	if (c->param == NULL || !sim_routes_imsi_valid(c->param)) {
		api_fail(c, 400, "invalid_path", "", "not an IMSI of 1 to 15 digits (%s)",
		    api_quote(q, c->param != NULL ? c->param : ""));
		return -EINVAL;
	}
	memcpy(imsi, c->param, strlen(c->param) + 1);
	return 0;
}

/*
 * The running table with imsi's list replaced by d (where it was, or at the
 * end when new), or left out when d is NULL; *at is the device's place.
 */
static int
table_with(const struct sim_table *cur, const char *imsi, const struct api_sim_dests *d,
    struct sim_table *out, int *at)
{
	struct api_sim_dests keep;

	memset(out, 0, sizeof(*out));
	*at = -1;
	for (unsigned i = 0; i < cur->n_devices; i++) {
		const struct sim_device *dev = &cur->device[i];

		if (strcmp(dev->imsi, imsi) == 0) {
			*at = (int)out->n_devices;
			if (d != NULL && api_sim_table_add(out, imsi, d) < 0)
				return -ENOSPC;
			continue;
		}
		keep.n = dev->n;
		for (unsigned k = 0; k < dev->n; k++)
			keep.range[k] = (struct api_cidr){ cur->prefix[dev->first + k].net_be,
				cur->prefix[dev->first + k].len };
		if (api_sim_table_add(out, dev->imsi, &keep) < 0)
			return -ENOSPC;
	}
	if (*at < 0 && d != NULL) {
		*at = (int)out->n_devices;
		return api_sim_table_add(out, imsi, d);
	}
	return 0;
}

/* One device's list, checked against the rest of the table. */
static void
put_device(struct api_call *c, const char *imsi, const struct api_sim_dests *d, struct sim_table *t)
{
	const struct config *cfg = c->deps->cfg;
	struct sim_fault_at fault;
	int at;

	if (table_with(&c->deps->sim_routes->table, imsi, d, t, &at) < 0) {
		api_fail(c, 400, "invalid_field", "destinations",
		    "\"destinations\": the table takes at most %d destinations in all",
		    SIM_ROUTES_MAX);
		return;
	}
	if (sim_table_check(t, cfg->subnet_be, cfg->prefix, &fault) != SIM_FAULT_NONE) {
		api_sim_fault_error(t, &fault, cfg->subnet_be, cfg->prefix, at, &c->err);
		c->status = c->err.status;
		return;
	}
	commit_table(c, t);
}

void
api_put_sim_route(struct api_call *c)
{
	char imsi[SIM_ROUTES_IMSI_LEN];
	struct api_sim_dests d;
	struct sim_table *t;

	if (path_imsi(c, imsi) < 0)
		return;
	if (api_decode_sim_destinations(c->body, c->body_len, &d, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	t = malloc(sizeof(*t));
	if (t == NULL) {
		api_fail(c, 500, "internal", "", "out of memory");
		return;
	}
	put_device(c, imsi, &d, t);
	free(t);
}

void
api_delete_sim_route(struct api_call *c)
{
	char imsi[SIM_ROUTES_IMSI_LEN];
	struct sim_table *t;
	int at;

	if (path_imsi(c, imsi) < 0)
		return;
	t = malloc(sizeof(*t));
	if (t == NULL) {
		api_fail(c, 500, "internal", "", "out of memory");
		return;
	}
	/* Leaving a device out never makes the table larger: this cannot fail. */
	(void)table_with(&c->deps->sim_routes->table, imsi, NULL, t, &at);
	if (at < 0)
		api_fail(c, 404, "not_found", "imsi", "IMSI %s has no routes", imsi);
	else
		commit_table(c, t);
	free(t);
}

static void
set_enabled(struct api_call *c, bool enabled)
{
	if (API_STORE(c, store_sim_enabled_put(c->deps->store, enabled)) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	sim_routes_enable(c->deps->sim_routes, enabled);
	api_reply(c, 200, sim_json(c->deps->sim_routes));
}

void
api_enable_sim_routing(struct api_call *c)
{
	set_enabled(c, true);
}

void
api_disable_sim_routing(struct api_call *c)
{
	set_enabled(c, false);
}
