#include "store/restore.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/config.h"
#include "conf/parse.h"
#include "store/store.h"
#include "fwd/filter.h"
#include "fwd/gate.h"
#include "inspect/inspect.h"
#include "core/ippool.h"
#include "core/sim_routes.h"
#include "fwd/mirror.h"
#include "fwd/redirect.h"
#include "io/log.h"
#include "proto/pco.h"

/*
 * The file's ipAddressMap seeds the store once, when the store has never
 * been seeded; from then on the store holds the map and the API changes it,
 * so an entry deleted through the API stays deleted.
 */
static int
seed_map(const struct restore_target *t)
{
	char seeded[8];

	if (store_meta_get(t->store, "ip_map_seeded", seeded, sizeof(seeded)) == 0) {
		if (t->cfg->n_map > 0)
			log_info(
			    "ipAddressMap of the bootstrap file not applied: the store already "
			    "holds the map (change it through the API)");
		return 0;
	}
	for (size_t i = 0; i < t->cfg->n_map; i++)
		if (store_map_put(t->store, t->cfg->map[i].imsi, t->cfg->map[i].addr_be) < 0)
			return -1;
	return store_meta_put(t->store, "ip_map_seeded", "1");
}

static int
load_map_entry(void *arg, const char *imsi, uint32_t addr_be)
{
	const struct restore_target *t = arg;
	char a[16];

	if (ippool_map_set(t->pool, imsi, addr_be) < 0)
		log_warn("ip address map: %s -> %s not applied: not a usable address of the "
			 "device subnet, or taken",
		    imsi, ipv4_str(addr_be, a));
	return 0;
}

static int
load_peer(void *arg, uint32_t outer_be, uint32_t inner_be)
{
	const struct restore_target *t = arg;
	char o[16], i[16];

	ipv4_str(outer_be, o);
	ipv4_str(inner_be, i);
	if (!config_in_subnet(t->cfg, inner_be) || inner_be == t->cfg->gateway_be ||
	    ippool_hold(t->pool, inner_be) < 0) {
		log_warn("gate peer %s (inner %s) not applied: the inner address is not usable in "
			 "the device subnet, or taken",
		    o, i);
		return 0;
	}
	if (gate_peer_add(t->gate, outer_be, inner_be) < 0) {
		ippool_unhold(t->pool, inner_be);
		log_warn("gate peer %s (inner %s) not applied: duplicate or too many peers", o, i);
	}
	return 0;
}

static int
load_gate(const struct restore_target *t)
{
	struct store_gate sg;
	int rc = store_gate_get(t->store, &sg);

	if (rc == 0)
		gate_configure(t->gate, sg.open, sg.vni, sg.privacy_separator);
	else if (rc != -ENOENT)
		return -1;
	return store_gate_peer_foreach(t->store, load_peer, (void *)t) < 0 ? -1 : 0;
}

/* The redirection gateway must still be a peer; otherwise the setting stays stored, unused. */
static int
load_redirection(const struct restore_target *t)
{
	struct store_redirection sr;
	char a[16];
	int rc = store_redirection_get(t->store, &sr);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return -1;
	if (!gate_is_peer_inner(t->gate, sr.gateway_be)) {
		log_warn("redirection to %s not applied: not a gate peer's inner address",
		    ipv4_str(sr.gateway_be, a));
		return 0;
	}
	*t->redirect =
	    (struct redirect){ .set = true, .enabled = sr.enabled, .gateway_be = sr.gateway_be };
	snprintf(t->redirect->description, sizeof(t->redirect->description), "%s", sr.description);
	return 0;
}

static int
load_filter(const struct restore_target *t)
{
	struct filter_rule rules[FILTER_MAX_RULES];
	unsigned n = 0;

	if (store_filter_get(t->store, rules, FILTER_MAX_RULES, &n) < 0)
		return -1;
	if (filter_set(t->filter, rules, n) < 0)
		log_warn("routing filter not applied: the stored rules are not valid");
	return 0;
}

static int
load_mirror_peer(void *arg, const struct store_mirror_peer *sp)
{
	const struct restore_target *t = arg;
	struct mirror_peer p = { .addr_be = sp->addr_be, .enabled = sp->enabled };

	memcpy(p.description, sp->description, sizeof(p.description));
	if (mirror_put(t->mirror, &p) < 0)
		log_warn("mirroring peer not applied: more than %d stored", MIRROR_MAX_PEERS);
	return 0;
}

/*
 * The settings stay stored when the gateway cannot apply them (no memory
 * for the table, no export socket): the next start tries again, and the
 * API shows inspection as not set until then.
 */
static int
load_inspection(const struct restore_target *t)
{
	struct inspect_config cfg;
	int rc = store_inspection_get(t->store, &cfg);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return -1;
	rc = inspect_configure(t->inspect, &cfg, t->inspect_source_be);
	if (rc < 0)
		log_warn("inspection not applied: %s", strerror(-rc));
	return 0;
}

/*
 * A list set through the API (PUT /v1/vpg/dns) is the later word, so it wins
 * over the bootstrap file's "dns"; the file's applies only until one is set.
 */
static int
load_dns(const struct restore_target *t)
{
	uint32_t dns[STORE_MAX_DNS];
	unsigned n = 0;
	int rc = store_dns_get(t->store, dns, &n);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return -1;
	if (t->cfg->n_dns > 0)
		log_info("dns of the bootstrap file not applied: the store holds the list set "
			 "through the API (change it there)");
	t->device_offer->n_dns = n;
	memcpy(t->device_offer->dns_be, dns, n * sizeof(dns[0]));
	return 0;
}

/*
 * A stored table the configuration no longer takes (a device subnet changed
 * to overlap a range) stays stored and unused, like the other objects; the
 * API shows the table empty until it is set again.
 */
static int
load_sim_routes(const struct restore_target *t)
{
	struct sim_table *table = malloc(sizeof(*table));
	bool enabled = false;
	int rc = -1;

	if (table == NULL)
		return -1;
	if (store_sim_routes_get(t->store, table) < 0)
		goto out;
	if (sim_routes_set(t->sim_routes, table) < 0)
		log_warn("sim-based routing table not applied: it overlaps the device subnet, or "
			 "is not valid");
	rc = store_sim_enabled_get(t->store, &enabled);
	if (rc == -ENOENT)
		rc = 0;
	if (rc == 0)
		sim_routes_enable(t->sim_routes, enabled);
out:
	free(table);
	return rc < 0 ? -1 : 0;
}

int
restore_state(const struct restore_target *t)
{
	if (seed_map(t) < 0 || store_map_foreach(t->store, load_map_entry, (void *)t) < 0 ||
	    load_gate(t) < 0 || load_redirection(t) < 0 || load_filter(t) < 0 ||
	    store_mirror_foreach(t->store, load_mirror_peer, (void *)t) < 0 ||
	    load_inspection(t) < 0 || load_dns(t) < 0 || load_sim_routes(t) < 0) {
		log_err("store: %s", store_errmsg(t->store));
		return -1;
	}
	return 0;
}
