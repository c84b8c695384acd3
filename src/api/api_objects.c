/*
 * The API's objects: the gateway, the IP address map, sessions and the
 * statistics. Each handler validates completely before it changes anything,
 * commits to the store before the running gateway, and answers from what
 * the gateway now holds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_call.h"
#include "conf/config.h"
#include "api/metrics.h"
#include "conf/parse.h"
#include "store/store.h"
#include "core/counters.h"
#include "roles/ggsn.h"
#include "roles/pgw.h"
#include "inspect/inspect.h"
#include "core/ippool.h"
#include "core/rules.h"
#include "core/session.h"
#include "fwd/xdp.h"
#include "proto/gtpc.h"
#include "proto/gtpv2c.h"
#include "proto/pco.h"
#include "proto/pfcp.h"
#include "io/log.h"

/* The fast path's mode and, per interface, the path its packets take. */
static json_t *
xdp_json(const struct api_deps *d)
{
	struct xdp_report r;
	json_t *ifs = json_array();

	xdp_report(d->xdp, &r);
	for (unsigned i = 0; i < r.n_ifs && ifs != NULL; i++)
		json_array_append_new(
		    ifs, json_pack("{s:s, s:s}", "name", r.ifs[i].name, "path", r.ifs[i].path));
	return json_pack("{s:s, s:o*}", "mode", r.mode, "interfaces", ifs);
}

static json_t *
xdp_counters_json(const struct api_deps *d)
{
	struct xdp_report r;
	json_t *o = json_object();

	xdp_report(d->xdp, &r);
	for (unsigned i = 0; i < XDP_CTR__COUNT && o != NULL; i++)
		json_object_set_new(o, xdp_ctr_name(i), json_integer((json_int_t)r.ctr[i]));
	return o;
}

void
api_get_vpg(struct api_call *c)
{
	const struct api_deps *d = c->deps;
	char net[40], sub[16];

	snprintf(net, sizeof(net), "%s/%u", ipv4_str(d->cfg->subnet_be, sub), d->cfg->prefix);
	api_reply(c, 200,
	    json_pack("{s:s, s:s, s:o, s:o, s:o, s:i, s:I, s:I, s:I, s:I, s:o*, s:o, s:i, s:o*}",
		"status", "running", "deviceSubnetCidrRange", net, "gatewayAddress",
		api_ip_json(d->cfg->gateway_be), "gtpAddress", api_ip_json(d->cfg->gtp_addr_be),
		"gateAddress", api_ip_json(d->cfg->gate_addr_be), "restartCounter",
		d->restart_counter, "sessionCount", (json_int_t)session_count(d->sessions),
		"addressesInUse", (json_int_t)ippool_assigned_count(d->pool), "addressCapacity",
		(json_int_t)ippool_capacity(d->pool), "startedTime", (json_int_t)d->started_ms,
		"roles", api_roles_json(d), "dns", api_dns_json(d->device_offer), "deviceMtu",
		(int)d->device_offer->link_mtu, "xdp", xdp_json(d)));
}

static json_t *
map_entry_json(const char *imsi, uint32_t addr_be)
{
	return json_pack("{s:s, s:o}", "key", imsi, "ipAddress", api_ip_json(addr_be));
}

static int
append_map_entry(void *arg, const char *imsi, uint32_t addr_be)
{
	json_t *entry = map_entry_json(imsi, addr_be);

	return entry == NULL || json_array_append_new(arg, entry) < 0 ? -ENOMEM : 0;
}

void
api_list_ip_map(struct api_call *c)
{
	json_t *list = json_array();

	if (list != NULL &&
	    API_STORE(c, store_map_foreach(c->deps->store, append_map_entry, list)) < 0) {
		json_decref(list);
		api_fail(c, 500, "store_failed", "", "cannot read the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	api_reply(c, 200, list);
}

/* The address must be one the pool could ever hand out (docs/API.md). */
static int
check_map_address(struct api_call *c, const char *imsi, uint32_t addr_be)
{
	const struct config *cfg = c->deps->cfg;
	char a[16], n[16];
	int rc;

	ipv4_str(addr_be, a);
	if (!config_in_subnet(cfg, addr_be) || addr_be == cfg->subnet_be ||
	    addr_be == config_broadcast(cfg) || addr_be == cfg->gateway_be) {
		api_fail(c, 400, "invalid_field", "ipAddress",
		    "\"ipAddress\": %s is not a usable address of the device subnet %s/%u", a,
		    ipv4_str(cfg->subnet_be, n), cfg->prefix);
		return -1;
	}
	rc = ippool_map_check(c->deps->pool, imsi, addr_be);
	if (rc == -EEXIST)
		api_fail(c, 409, "conflict", "ipAddress",
		    "\"ipAddress\": %s is already mapped to another IMSI", a);
	else if (rc == -EBUSY)
		api_fail(c, 409, "conflict", "ipAddress",
		    "\"ipAddress\": %s is in use by another device's session", a);
	else if (rc < 0)
		api_fail(
		    c, 400, "invalid_field", "ipAddress", "\"ipAddress\": %s cannot be mapped", a);
	return rc < 0 ? -1 : 0;
}

void
api_put_ip_map(struct api_call *c)
{
	struct api_ip_map_body body;
	uint32_t prev_be = 0;
	char imsi[16];
	int had, rc;

	if (api_path_imsi(c->param, imsi, &c->err) < 0 ||
	    api_decode_ip_map(c->body, c->body_len, imsi, &body, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (check_map_address(c, imsi, body.ip_address_be) < 0)
		return;
	/*
	 * Applied first, so that no attach takes the address while the store
	 * commits; put back as it was when the store refuses.
	 */
	had = ippool_map_get(c->deps->pool, imsi, &prev_be);
	if (ippool_map_set(c->deps->pool, imsi, body.ip_address_be) < 0) {
		api_fail(c, 500, "internal", "", "out of memory");
		return;
	}
	rc = API_STORE(c, store_map_put(c->deps->store, imsi, body.ip_address_be));
	if (rc < 0) {
		if (had == 0)
			(void)ippool_map_set(c->deps->pool, imsi, prev_be);
		else
			(void)ippool_map_del(c->deps->pool, imsi);
	}
	if (rc == -EEXIST) {
		api_fail(c, 409, "conflict", "ipAddress", "\"ipAddress\": already mapped");
		return;
	}
	if (rc < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	api_reply(c, 200, map_entry_json(imsi, body.ip_address_be));
}

void
api_delete_ip_map(struct api_call *c)
{
	char imsi[16];
	int rc;

	if (api_path_imsi(c->param, imsi, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	rc = API_STORE(c, store_map_delete(c->deps->store, imsi));
	if (rc == -ENOENT) {
		api_fail(c, 404, "not_found", "key", "IMSI %s has no entry in the map", imsi);
		return;
	}
	if (rc < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(c->deps->store));
		return;
	}
	ippool_map_del(c->deps->pool, imsi);
	c->status = 204;
}

/* The GGSN keeps the GTPv1 names of its peer's side. */
static void
add_ggsn_fields(json_t *o, const struct session *s)
{
	json_object_set_new(o, "nsapi", json_integer(s->bearer_id));
	json_object_set_new(o, "sgsnTeidData", json_integer((json_int_t)s->dl_teid));
	json_object_set_new(o, "sgsnTeidControl", json_integer((json_int_t)s->owner.peer_ref));
	json_object_set_new(o, "sgsnAddress", api_ip_json(s->owner.peer_be));
	json_object_set_new(o, "sgsnDataAddress", api_ip_json(s->dl_addr_be));
}

/* What every session shows, whatever its role, then the role's own fields. */
static json_t *
session_json(const struct session *s, const struct xdp_path *x)
{
	static const char *const role_names[] = { [SESSION_ROLE_NONE] = "none",
		[SESSION_ROLE_GGSN] = "ggsn",
		[SESSION_ROLE_UPF] = "upf",
		[SESSION_ROLE_PGW] = "pgw" };
	struct xdp_session_counters fast;
	json_t *o;

	/* The socket path counts in the session, XDP in its map: a session's traffic is both. */
	xdp_session_counters(x, s, &fast);
	o = json_pack("{s:s, s:s, s:o, s:s, s:I, s:s, s:o, s:I, s:I, s:I, s:I, s:I}", "imsi",
	    s->imsi, "msisdn", s->msisdn, "ipAddress", api_ip_json(s->ip_be), "apn", s->apn, "teid",
	    (json_int_t)s->teid, "role",
	    role_names[s->owner.role <= SESSION_ROLE_PGW ? s->owner.role : 0],
	    /* The control peer, whatever the role: the SGSN, the SGW or the SMF. */
	    "peerAddress", api_ip_json(s->owner.peer_be), "createdTime",
	    (json_int_t)s->created * 1000, "uplinkPackets",
	    (json_int_t)(s->up_packets + fast.up_packets), "uplinkBytes",
	    (json_int_t)(s->up_bytes + fast.up_bytes), "downlinkPackets",
	    (json_int_t)(s->down_packets + fast.down_packets), "downlinkBytes",
	    (json_int_t)(s->down_bytes + fast.down_bytes));

	if (o == NULL)
		return NULL;
	if (s->owner.role == SESSION_ROLE_UPF) {
		struct rules_usage u = { fast.up_packets, fast.up_bytes, fast.down_packets,
			fast.down_bytes };

		api_add_upf_fields(o, s, &u);
	} else if (s->owner.role == SESSION_ROLE_PGW)
		api_add_pgw_fields(o, s);
	else
		add_ggsn_fields(o, s);
	return o;
}

/*
 * A page of at most limit sessions, from past the cursor on. The cursor is
 * a session's slot: stable while the session lives, so pages neither skip
 * nor repeat a session that stays. When more follow, a Link header (RFC
 * 8288) names the next page. A page costs the slots it walks, not the table.
 */
void
api_list_sessions(struct api_call *c)
{
	json_t *list;
	struct session *s;
	uint32_t limit, after, n = 0, i;

	if (api_decode_sessions_query(&c->query, &limit, &after, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	list = json_array();
	for (i = session_next(c->deps->sessions, after, &s); i != 0 && list != NULL && n < limit;
	     i = session_next(c->deps->sessions, i, &s), n++) {
		after = i;
		if (json_array_append_new(list, session_json(s, c->deps->xdp)) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	if (i != 0)
		snprintf(c->link, sizeof(c->link), "</v1/sessions?limit=%u&after=%u>; rel=\"next\"",
		    limit, after);
	api_reply(c, 200, list);
}

void
api_get_session(struct api_call *c)
{
	struct session *s;
	char imsi[16];

	if (api_path_imsi(c->param, imsi, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	s = session_find_imsi_any(c->deps->sessions, imsi);
	if (s == NULL) {
		api_fail(c, 404, "not_found", "imsi", "IMSI %s has no session", imsi);
		return;
	}
	api_reply(c, 200, session_json(s, c->deps->xdp));
}

/* Whichever role holds the IMSI's sessions tells its peer (Delete PDP Context or Delete Bearer). */
static int
delete_imsi(const struct api_deps *d, const char *imsi)
{
	int n = 0;

	if (d->ggsn != NULL)
		n += ggsn_delete_imsi(d->ggsn, imsi, d->monotonic_ms());
	if (d->pgw != NULL)
		n += pgw_delete_imsi(d->pgw, imsi, d->monotonic_ms());
	return n;
}

void
api_delete_session(struct api_call *c)
{
	const struct session *s;
	char imsi[16], from[16];

	if (api_path_imsi(c->param, imsi, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	s = session_find_imsi_any(c->deps->sessions, imsi);
	/* The SMF owns a UPF session: detaching is its call, not ours. */
	if (s != NULL && s->owner.role == SESSION_ROLE_UPF) {
		api_fail(c, 409, "owned_by_control_plane", "imsi",
		    "IMSI %s's session belongs to the SMF at %s: detach it there", imsi,
		    ipv4_str(s->owner.peer_be, from));
		return;
	}
	if (delete_imsi(c->deps, imsi) == 0) {
		api_fail(c, 404, "not_found", "imsi", "IMSI %s has no session", imsi);
		return;
	}
	c->status = 204;
}

static json_t *
by_type(const uint64_t *table, int n, const char *(*name)(uint8_t))
{
	json_t *o = json_object();

	for (int t = 0; t < n && o != NULL; t++)
		if (table[t] != 0)
			json_object_set_new(
			    o, name((uint8_t)t), json_integer((json_int_t)table[t]));
	return o;
}

static json_t *
by_cause(const uint64_t *table)
{
	json_t *o = json_object();
	char key[12];

	for (int cause = 0; cause < 256 && o != NULL; cause++) {
		if (table[cause] == 0)
			continue;
		snprintf(key, sizeof(key), "%d", cause);
		json_object_set_new(o, key, json_integer((json_int_t)table[cause]));
	}
	return o;
}

void
api_get_stats(struct api_call *c)
{
	json_t *counters = json_object(), *drops = json_object();
	struct inspect_stats in;

	inspect_get_stats(c->deps->inspect, &in);
	for (int i = 0; i < VPG_CTR__COUNT && counters != NULL; i++)
		json_object_set_new(
		    counters, counters_name(i), json_integer((json_int_t)vpg_counters.ctr[i]));
	for (int i = 1; i < VPG_DROP__COUNT && drops != NULL; i++)
		json_object_set_new(
		    drops, vpg_drop_name(i), json_integer((json_int_t)vpg_counters.drop[i]));
	api_reply(c, 200,
	    json_pack("{s:o*, s:o*, s:{s:o*, s:o*, s:o*}, s:{s:o*, s:o*, s:o*}, s:{s:o*, s:o*, "
		      "s:o*}, s:I, s:{s:I, s:I, s:I}, s:I, s:o*}",
		"counters", counters, "drops", drops, "gtpc", "rx",
		by_type(vpg_counters.gtpc_rx, 256, gtpc_type_name), "tx",
		by_type(vpg_counters.gtpc_tx, 256, gtpc_type_name), "txCause",
		by_cause(vpg_counters.gtpc_tx_cause), "gtpv2c", "rx",
		by_type(vpg_counters.gtpv2c_rx, 256, gtpv2c_type_name), "tx",
		by_type(vpg_counters.gtpv2c_tx, 256, gtpv2c_type_name), "txCause",
		by_cause(vpg_counters.gtpv2c_tx_cause), "pfcp", "rx",
		by_type(vpg_counters.pfcp_rx, 64, pfcp_type_name), "tx",
		by_type(vpg_counters.pfcp_tx, 64, pfcp_type_name), "txCause",
		by_cause(vpg_counters.pfcp_tx_cause), "sessions",
		(json_int_t)session_count(c->deps->sessions), "inspection", "flows",
		(json_int_t)in.flows, "maxFlows", (json_int_t)in.max_flows, "classifying",
		(json_int_t)in.classifying, "logLinesDropped", (json_int_t)log_lines_dropped(),
		"xdp", xdp_counters_json(c->deps)));
}

void
api_get_metrics(struct api_call *c)
{
	FILE *out = open_memstream(&c->text, &c->text_len);
	struct inspect_stats in;
	struct xdp_report xr;

	if (out == NULL) {
		api_fail(c, 500, "internal", "", "out of memory");
		return;
	}
	inspect_get_stats(c->deps->inspect, &in);
	xdp_report(c->deps->xdp, &xr);
	xdp_fold_filter_hits(c->deps->xdp);
	metrics_write(out, session_count(c->deps->sessions), c->deps->filter, &in, &xr);
	fclose(out);
	c->text_type = "text/plain; version=0.0.4; charset=utf-8";
	c->status = 200;
}
