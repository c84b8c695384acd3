/*
 * The UPF role in the API: GET /v1/pfcp/associations, and what a UPF
 * session shows in GET /v1/sessions beside every session's fields: its
 * SEIDs, its control plane, and its PDRs, FARs, QERs and URRs.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>

#include "api/api.h"
#include "api/api_call.h"
#include "conf/config.h"
#include "core/rules.h"
#include "core/rules_fast.h"
#include "core/session.h"
#include "proto/ipv4.h"
#include "roles/upf.h"

static const char *
iface_name(uint8_t iface)
{
	static const char *const names[] = { "ACCESS", "CORE", "SGI_LAN", "CP_FUNCTION" };

	return iface < 4 ? names[iface] : "UNKNOWN";
}

/* 64-bit SEIDs as hexadecimal text: JSON numbers lose precision past 2^53. */
static json_t *
seid_json(uint64_t seid)
{
	char hex[19];

	snprintf(hex, sizeof(hex), "0x%016" PRIx64, seid);
	return json_string(hex);
}

static json_t *
pdr_json(const struct rules *r, const struct rules_pdr *d)
{
	json_t *o = json_pack("{s:i, s:I, s:s, s:I, s:i, s:i, s:i}", "pdrId", d->id, "precedence",
	    (json_int_t)d->precedence, "sourceInterface", iface_name(d->src_iface), "farId",
	    (json_int_t)d->far_id, "sdfFilters", d->n_sdf, "qerCount", d->n_qer, "urrCount",
	    d->n_urr);

	(void)r;
	if (o != NULL && d->has_teid)
		json_object_set_new(o, "teid", json_integer((json_int_t)d->teid));
	if (o != NULL && d->has_ue_ip)
		json_object_set_new(o, "ueIpAddress", api_ip_json(d->ue_ip_be));
	if (o != NULL && d->has_qfi)
		json_object_set_new(o, "qfi", json_integer(d->qfi));
	return o;
}

static json_t *
far_json(const struct rules_far *f)
{
	json_t *actions = json_array(), *o;
	static const char *const names[] = { "DROP", "FORW", "BUFF", "NOCP", "DUPL" };

	for (unsigned b = 0; b < 5 && actions != NULL; b++)
		if (f->apply & (1u << b))
			json_array_append_new(actions, json_string(names[b]));
	o = json_pack("{s:I, s:o*, s:s}", "farId", (json_int_t)f->id, "applyAction", actions,
	    "destinationInterface", iface_name(f->dst_iface));
	if (o != NULL && f->has_ohc)
		json_object_set_new(o, "outerHeaderCreation",
		    json_pack("{s:I, s:o}", "teid", (json_int_t)f->ohc_teid, "ipAddress",
			api_ip_json(f->ohc_addr_be)));
	return o;
}

static json_t *
qer_json(const struct rules_qer *q)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:I}", "qerId", (json_int_t)q->id, "gateUplink",
	    q->ul_open ? "OPEN" : "CLOSED", "gateDownlink", q->dl_open ? "OPEN" : "CLOSED",
	    "mbrUplinkKbps", (json_int_t)(q->ul.rate_bps / 1000), "mbrDownlinkKbps",
	    (json_int_t)(q->dl.rate_bps / 1000));
}

/* What the URR measured, with its share of what XDP carried since it last took one. */
static json_t *
urr_json(const struct session *s, const struct rules_urr *u, const struct rules_usage *fast)
{
	struct rules_usage share;

	rules_fast_share(s->rules, s->teid, s->ip_be, u, fast, &share);
	return json_pack("{s:I, s:I, s:I, s:I, s:b}", "urrId", (json_int_t)u->id, "uplinkBytes",
	    (json_int_t)(u->ul_bytes + share.ul_bytes), "downlinkBytes",
	    (json_int_t)(u->dl_bytes + share.dl_bytes), "reportsSent", (json_int_t)u->seqn,
	    "quotaExhausted", u->quota_exhausted);
}

static json_t *
rules_json(const struct session *s, const struct rules_usage *fast)
{
	const struct rules *r = s->rules;
	json_t *pdrs = json_array(), *fars = json_array(), *qers = json_array(),
	       *urrs = json_array();

	for (unsigned i = 0; i < r->n_pdr && pdrs != NULL; i++)
		json_array_append_new(pdrs, pdr_json(r, &r->pdr[r->order[i]]));
	for (unsigned i = 0; i < r->n_far && fars != NULL; i++)
		json_array_append_new(fars, far_json(&r->far[i]));
	for (unsigned i = 0; i < r->n_qer && qers != NULL; i++)
		json_array_append_new(qers, qer_json(&r->qer[i]));
	for (unsigned i = 0; i < r->n_urr && urrs != NULL; i++)
		json_array_append_new(urrs, urr_json(s, &r->urr[i], fast));
	return json_pack(
	    "{s:o*, s:o*, s:o*, s:o*}", "pdrs", pdrs, "fars", fars, "qers", qers, "urrs", urrs);
}

void
api_add_upf_fields(json_t *o, const struct session *s, const struct rules_usage *fast)
{
	json_object_set_new(o, "seid", seid_json(s->owner.local_ref));
	json_object_set_new(o, "cpSeid", seid_json(s->owner.peer_ref));
	json_object_set_new(o, "cpNodeAddress", api_ip_json(s->owner.peer_be));
	json_object_set_new(o, "downlinkTeid", json_integer((json_int_t)s->dl_teid));
	json_object_set_new(o, "downlinkAddress", api_ip_json(s->dl_addr_be));
	if (s->rules != NULL)
		json_object_set_new(o, "rules", rules_json(s, fast));
}

static json_t *
assoc_json(const struct upf_assoc_view *a)
{
	return json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "nodeId", a->node_id,
	    "ipAddress", api_ip_json(a->addr_be), "recoveryTimeStamp", (json_int_t)a->recovery_ts,
	    "associatedTime", (json_int_t)a->since * 1000, "sessionCount", (json_int_t)a->sessions,
	    "heartbeatsReceived", (json_int_t)a->heartbeats_received, "heartbeatsSent",
	    (json_int_t)a->heartbeats_sent, "heartbeatsUnanswered",
	    (json_int_t)a->heartbeats_unanswered);
}

void
api_list_pfcp_associations(struct api_call *c)
{
	struct upf_assoc_view views[UPF_MAX_ASSOCIATIONS];
	json_t *list;
	unsigned n;

	if (c->deps->upf == NULL) {
		api_fail(c, 409, "role_off", "pfcp",
		    "the UPF role is off: the bootstrap file has no \"pfcp\"");
		return;
	}
	n = upf_associations(c->deps->upf, views, UPF_MAX_ASSOCIATIONS);
	list = json_array();
	for (unsigned i = 0; i < n && list != NULL; i++)
		json_array_append_new(list, assoc_json(&views[i]));
	api_reply(c, 200, list);
}

json_t *
api_roles_json(const struct api_deps *d)
{
	json_t *ggsn = json_pack("{s:b}", "enabled", d->ggsn != NULL);
	json_t *upf = json_pack("{s:b}", "enabled", d->upf != NULL);

	if (ggsn != NULL && d->ggsn != NULL) {
		json_object_set_new(ggsn, "gtpcAddress", api_ip_json(d->cfg->gtp_addr_be));
		json_object_set_new(
		    ggsn, "allowedPeers", api_cidr_list_json(&d->cfg->gtp_peers.list));
	}
	if (upf != NULL && d->upf != NULL) {
		json_object_set_new(upf, "pfcpAddress", api_ip_json(d->cfg->pfcp_addr_be));
		json_object_set_new(
		    upf, "allowedPeers", api_cidr_list_json(&d->cfg->pfcp_peers.list));
		json_object_set_new(upf, "nodeId", json_string(d->cfg->pfcp_node_id));
		json_object_set_new(
		    upf, "recoveryTimeStamp", json_integer((json_int_t)upf_recovery_ts(d->upf)));
		json_object_set_new(upf, "associationCount",
		    json_integer((json_int_t)upf_associations(d->upf, NULL, 0)));
	}
	return json_pack(
	    "{s:o*, s:o*, s:o*}", "ggsn", ggsn, "pgw", api_pgw_role_json(d), "upf", upf);
}
