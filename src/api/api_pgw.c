/*
 * The PGW role in the API: GET /v1/gtpv2/peers (the SGWs, their restart
 * counters and paths), what a PGW session shows in GET /v1/sessions beside
 * every session's fields (EBI, the SGW's F-TEIDs, MEI, RAT, Serving Network,
 * APN-AMBR, QCI), and the role in GET /v1/vpg.
 */
#include <jansson.h>
#include <stdlib.h>

#include "api/api.h"
#include "api/api_call.h"
#include "conf/config.h"
#include "core/session.h"
#include "roles/pgw.h"

/* TS 29.274 §8.17: the RAT types an SGW names. */
static const char *
rat_name(uint8_t rat)
{
	static const char *const names[] = { "RESERVED", "UTRAN", "GERAN", "WLAN", "GAN",
		"HSPA_EVOLUTION", "EUTRAN", "VIRTUAL", "EUTRAN_NB_IOT", "LTE_M", "NR" };

	return rat < sizeof(names) / sizeof(names[0]) ? names[rat] : "UNKNOWN";
}

static json_t *
fteid_json(uint32_t teid, uint32_t addr_be)
{
	return json_pack("{s:I, s:o}", "teid", (json_int_t)teid, "ipAddress", api_ip_json(addr_be));
}

void
api_add_pgw_fields(json_t *o, const struct session *s)
{
	struct pgw_session_view v;

	if (!pgw_session_view(s, &v))
		return;
	json_object_set_new(o, "ebi", json_integer(v.ebi));
	json_object_set_new(o, "sgwControlFteid", fteid_json(v.sgw_c_teid, v.sgw_c_addr_be));
	json_object_set_new(o, "sgwDataFteid", fteid_json(v.sgw_u_teid, v.sgw_u_addr_be));
	json_object_set_new(o, "ratType", json_string(rat_name(v.rat_type)));
	json_object_set_new(o, "qci", json_integer(v.qci));
	json_object_set_new(o, "apnAmbr",
	    json_pack("{s:I, s:I}", "uplinkKbps", (json_int_t)v.apn_ambr_ul_kbps, "downlinkKbps",
		(json_int_t)v.apn_ambr_dl_kbps));
	if (v.mei[0] != '\0')
		json_object_set_new(o, "imei", json_string(v.mei));
	if (v.mcc[0] != '\0')
		json_object_set_new(
		    o, "servingNetwork", json_pack("{s:s, s:s}", "mcc", v.mcc, "mnc", v.mnc));
}

static json_t *
peer_json(const struct gtp_peer_view *p)
{
	json_t *o = json_pack("{s:o, s:I, s:I, s:I}", "ipAddress", api_ip_json(p->addr_be),
	    "sessionCount", (json_int_t)p->sessions, "echoRequestsSent", (json_int_t)p->echo_sent,
	    "echoRequestsUnanswered", (json_int_t)p->echo_unanswered);

	if (o != NULL && p->has_restart_counter)
		json_object_set_new(o, "restartCounter", json_integer(p->restart_counter));
	return o;
}

void
api_list_gtpv2_peers(struct api_call *c)
{
	struct gtp_peer_view *views;
	json_t *list;
	unsigned n;

	if (c->deps->pgw == NULL) {
		api_fail(c, 409, "role_off", "gtpv2",
		    "the PGW role is off: the bootstrap file has no \"gtpv2\"");
		return;
	}
	views = calloc(GTP_PEERS_MAX, sizeof(*views));
	if (views == NULL) {
		api_fail(c, 500, "no_memory", "", "out of memory");
		return;
	}
	n = pgw_peers(c->deps->pgw, views, GTP_PEERS_MAX);
	list = json_array();
	for (unsigned i = 0; i < n && list != NULL; i++)
		json_array_append_new(list, peer_json(&views[i]));
	free(views);
	api_reply(c, 200, list);
}

json_t *
api_pgw_role_json(const struct api_deps *d)
{
	json_t *o = json_pack("{s:b}", "enabled", d->pgw != NULL);

	if (o != NULL && d->pgw != NULL) {
		json_object_set_new(o, "gtpcAddress", api_ip_json(d->cfg->pgw_addr_be));
		json_object_set_new(o, "allowedPeers", api_cidr_list_json(&d->cfg->pgw_peers.list));
		json_object_set_new(o, "restartCounter", json_integer(d->restart_counter));
		json_object_set_new(
		    o, "peerCount", json_integer((json_int_t)pgw_peers(d->pgw, NULL, 0)));
	}
	return o;
}
