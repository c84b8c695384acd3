/*
 * Junction Inspection's API objects (docs/API.md "Junction Inspection"): the
 * settings, and two read-only views of what inspection sees. A change is
 * validated, committed to the store, then applied; when the gateway cannot
 * apply it (no memory for the flow table, no export socket) the store is put
 * back as it was, so a refusal changes neither.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_call.h"
#include "conf/parse.h"
#include "store/store.h"
#include "inspect/inspect.h"

static json_t *
inspection_json(const struct inspect_config *cfg)
{
	json_t *list = json_array();
	char a[16], text[24];

	for (unsigned i = 0; list != NULL && i < cfg->n_collectors; i++) {
		snprintf(text, sizeof(text), "%s:%u", ipv4_str(cfg->collectors[i].addr_be, a),
		    (unsigned)cfg->collectors[i].port);
		/* append_new takes a NULL value as failure, so nothing leaks. */
		if (json_array_append_new(list, json_string(text)) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return json_pack("{s:b, s:o, s:I, s:I, s:I}", "enabled", cfg->enabled, "collectors", list,
	    "activeTimeout", (json_int_t)cfg->active_timeout_s, "idleTimeout",
	    (json_int_t)cfg->idle_timeout_s, "maxFlows", (json_int_t)cfg->max_flows);
}

void
api_get_inspection(struct api_call *c)
{
	const struct inspect_config *cfg = inspect_get_config(c->deps->inspect);

	if (cfg == NULL) {
		api_fail(c, 404, "not_found", "", "inspection is not set");
		return;
	}
	api_reply(c, 200, inspection_json(cfg));
}

/*
 * What the decoder leaves to the caller: each collector one host, as a
 * mirroring peer must be; then the data path's own validator, so that the
 * API never stores what inspect_configure would refuse.
 */
static int
check_inspection(struct api_call *c, const struct inspect_config *cfg)
{
	const char *field;
	char a[16];

	for (unsigned i = 0; i < cfg->n_collectors; i++) {
		if (!api_unicast_host(cfg->collectors[i].addr_be)) {
			api_fail(c, 400, "invalid_field", "collectors",
			    "\"collectors\": [%u] %s is not a unicast host address", i,
			    ipv4_str(cfg->collectors[i].addr_be, a));
			return -1;
		}
	}
	if (inspect_config_check(cfg, &field) < 0) {
		api_fail(c, 400, "invalid_field", field, "\"%s\": refused by the gateway", field);
		return -1;
	}
	return 0;
}

/*
 * The gateway refused what the store now holds: the store gets back what it
 * held before (prev, or nothing), and the answer says whether it could.
 */
static void
fail_apply(struct api_call *c, int why, const struct inspect_config *prev)
{
	struct store *st = c->deps->store;
	int rc = prev != NULL ? API_STORE(c, store_inspection_put(st, prev))
			      : API_STORE(c, store_inspection_delete(st));

	if (rc < 0 && rc != -ENOENT) {
		api_fail(c, 500, "store_failed", "",
		    "cannot apply inspection (%s), nor put the store back: %s; the new settings "
		    "apply at the next start",
		    strerror(-why), store_errmsg(st));
		return;
	}
	api_fail(c, 503, "unavailable", "", "cannot apply inspection: %s; nothing was changed",
	    strerror(-why));
}

void
api_put_inspection(struct api_call *c)
{
	const struct api_deps *d = c->deps;
	struct api_inspection_body b;
	struct inspect_config prev;
	int had, rc;

	if (api_decode_inspection(c->body, c->body_len, &b, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (check_inspection(c, &b.cfg) < 0)
		return;
	had = API_STORE(c, store_inspection_get(d->store, &prev));
	if (had < 0 && had != -ENOENT) {
		api_fail(c, 500, "store_failed", "", "cannot read the store: %s",
		    store_errmsg(d->store));
		return;
	}
	if (API_STORE(c, store_inspection_put(d->store, &b.cfg)) < 0) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(d->store));
		return;
	}
	rc = inspect_configure(d->inspect, &b.cfg, d->inspect_source_be);
	if (rc < 0) {
		fail_apply(c, rc, had == 0 ? &prev : NULL);
		return;
	}
	api_reply(c, 200, inspection_json(inspect_get_config(d->inspect)));
}

/*
 * Store first: inspect_unset cannot fail, so once the row is gone both
 * agree. A row left by a start that could not apply it is deleted too.
 */
void
api_delete_inspection(struct api_call *c)
{
	const struct api_deps *d = c->deps;
	int rc = API_STORE(c, store_inspection_delete(d->store));

	if (rc == -ENOENT && inspect_get_config(d->inspect) == NULL) {
		api_fail(c, 404, "not_found", "", "inspection is not set");
		return;
	}
	if (rc < 0 && rc != -ENOENT) {
		api_fail(c, 500, "store_failed", "", "cannot write the store: %s",
		    store_errmsg(d->store));
		return;
	}
	inspect_unset(d->inspect);
	c->status = 204;
}

static json_t *
flow_json(const struct inspect_flow_view *v)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:i, s:i, s:i, s:s, s:I, s:I, s:i, s:I, s:I}",
	    "imsi", v->imsi, "direction", v->key.dir == FLOW_DIR_DOWNLINK ? "downlink" : "uplink",
	    "sourceAddress", api_ip_json(v->key.saddr), "destinationAddress",
	    api_ip_json(v->key.daddr), "sourcePort", (int)v->key.sport, "destinationPort",
	    (int)v->key.dport, "protocol", (int)v->key.proto, "application", v->app, "packets",
	    (json_int_t)v->packets, "bytes", (json_int_t)v->bytes, "tcpFlags", (int)v->tcp_flags,
	    "firstSeen", (json_int_t)v->first_ms, "lastSeen", (json_int_t)v->last_ms);
}

static json_t *
flows_json(const struct inspect_flow_view *v, size_t n)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < n; i++) {
		if (json_array_append_new(list, flow_json(&v[i])) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

/* The views answer 409 while there is nothing to look at. */
static bool
require_active(struct api_call *c)
{
	if (inspect_active(c->deps->inspect))
		return true;
	api_fail(c, 409, "conflict", "", "inspection is not enabled");
	return false;
}

void
api_get_inspection_flows(struct api_call *c)
{
	struct inspect *in = c->deps->inspect;
	struct inspect_flow_view *views;
	struct inspect_stats st;
	uint32_t limit;
	long n;

	if (api_decode_flows_query(&c->query, &limit, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (!require_active(c))
		return;
	/* At most API_FLOWS_LIMIT_MAX views, about 1 MiB, for the time of the call. */
	views = calloc(limit, sizeof(*views));
	n = views != NULL ? inspect_flows(in, views, limit) : -ENOMEM;
	if (n < 0) {
		free(views);
		api_fail(c, 500, "internal", "", "out of memory");
		return;
	}
	inspect_get_stats(in, &st);
	api_reply(c, 200,
	    json_pack("{s:o, s:I, s:I}", "flows",
		flows_json(views, (size_t)n < limit ? (size_t)n : limit), "count", (json_int_t)n,
		"maxFlows", (json_int_t)st.max_flows));
	free(views);
}

/* key: "imsi" for a session's totals, "name" for an application's. */
static json_t *
totals_json(const struct inspect_total *t, size_t n, const char *key)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < n; i++) {
		if (json_array_append_new(
			list, json_pack("{s:s, s:I, s:I, s:I}", key, t[i].name, "packets",
				  (json_int_t)t[i].packets, "bytes", (json_int_t)t[i].bytes,
				  "flows", (json_int_t)t[i].flows)) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

static size_t
at_most(size_t n, size_t cap)
{
	return n < cap ? n : cap;
}

static json_t *
summary_json(const struct inspect_summary *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:b, s:o, s:o, s:o}", "windowSeconds",
	    (json_int_t)s->window_s, "packets", (json_int_t)s->packets, "bytes",
	    (json_int_t)s->bytes, "flows", (json_int_t)s->flows, "truncated", s->truncated,
	    "topFlows", flows_json(s->top, at_most(s->n_top, INSPECT_TOP_MAX)), "sessions",
	    totals_json(s->sessions, at_most(s->n_sessions, INSPECT_TOP_MAX), "imsi"), "protocols",
	    totals_json(s->apps, at_most(s->n_apps, INSPECT_APPS_MAX), "name"));
}

void
api_get_inspection_summary(struct api_call *c)
{
	struct inspect_summary *s;
	uint32_t window_s, top;
	int rc;

	if (api_decode_summary_query(&c->query, &window_s, &top, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	if (!require_active(c))
		return;
	/* About 20 KiB: on the heap rather than the event loop's stack. */
	s = malloc(sizeof(*s));
	rc = s != NULL
		 ? inspect_summarize(c->deps->inspect, window_s, top, c->deps->monotonic_ms(), s)
		 : -ENOMEM;
	if (rc < 0)
		api_fail(c, 500, "internal", "", "cannot summarize: %s", strerror(-rc));
	else
		api_reply(c, 200, summary_json(s));
	free(s);
}
