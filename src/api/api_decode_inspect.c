/*
 * Decoding of Junction Inspection's requests (docs/API.md "Junction
 * Inspection"): the PUT body, whose collectors are a list the generic
 * decoder of api_decode.c takes through an API_CUSTOM field (its views'
 * query parameters are api_decode_query.c's). Pure, as api_decode.c: no
 * I/O, no logging, no allocation but jansson's.
 */
#include "api/api_decode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf/parse.h"
#include "inspect/inspect.h"
#include "proto/ipfix.h"

_Static_assert(API_COLLECTOR_DEFAULT_PORT == IPFIX_PORT, "a collector's default port is IPFIX's");

int
api_parse_collector(const char *s, struct inspect_collector *out)
{
	const char *colon = strchr(s, ':');
	char addr[16];
	uint32_t a;
	uint16_t port = API_COLLECTOR_DEFAULT_PORT;
	size_t n = colon != NULL ? (size_t)(colon - s) : strlen(s);

	if (n >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (parse_ipv4(addr, &a) < 0)
		return -EINVAL;
	if (colon != NULL && parse_hostport(s, &a, &port) < 0)
		return -ERANGE;
	out->addr_be = a;
	out->port = port;
	return 0;
}

/* The collectors as the generic decoder hands them over. */
struct api_collectors {
	unsigned n;
	struct inspect_collector c[INSPECT_MAX_COLLECTORS];
};

/*
 * Entry i of the list, appended to c. A string with a NUL inside (which
 * api_decode_body's parsing refuses already) would be no address either:
 * what follows the NUL must not go unread.
 */
static int
decode_collector(const struct api_field *f, size_t i, const json_t *v, struct api_collectors *c,
    struct api_error *err)
{
	const char *s = json_string_value(v);
	struct inspect_collector col;
	char q[API_QUOTE_BUF], a[16];
	int rc;

	if (s == NULL)
		return api_field_error(
		    f, err, "[%zu] must be a string, not %s", i, api_json_type_name(v));
	rc = strlen(s) == json_string_length(v) ? api_parse_collector(s, &col) : -EINVAL;
	if (rc == -EINVAL)
		return api_field_error(f, err,
		    "[%zu] is not an IPv4 address with an optional :port (%s)", i, api_quote(q, s));
	if (rc < 0)
		return api_field_error(
		    f, err, "[%zu] has a port outside 1 to 65535 (%s)", i, api_quote(q, s));
	/* O(n^2) over at most INSPECT_MAX_COLLECTORS entries. */
	for (unsigned j = 0; j < c->n; j++)
		if (c->c[j].addr_be == col.addr_be && c->c[j].port == col.port)
			return api_field_error(f, err, "[%zu] %s:%u is given twice", i,
			    ipv4_str(col.addr_be, a), (unsigned)col.port);
	c->c[c->n++] = col;
	return 0;
}

static int
decode_collectors(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	struct api_collectors c = { 0 };
	size_t i, n = json_array_size(v);
	json_t *e;

	if (!json_is_array(v))
		return api_field_error(f, err,
		    "must be an array of \"address[:port]\" strings, not %s",
		    api_json_type_name(v));
	if (n < 1 || n > INSPECT_MAX_COLLECTORS)
		return api_field_error(
		    f, err, "must hold 1 to %d collectors (%zu)", INSPECT_MAX_COLLECTORS, n);
	json_array_foreach(v, i, e)
	{
		if (decode_collector(f, i, e, &c, err) < 0)
			return -EINVAL;
	}
	memcpy(dst, &c, sizeof(c));
	return 0;
}

/* The body as the generic decoder fills it; api_decode_inspection applies the defaults. */
struct inspection_wire {
	uint32_t has;
	bool enabled;
	struct api_collectors collectors;
	int64_t active_timeout, idle_timeout, max_flows;
};

static const struct api_field inspection_fields[] = {
	API_FIELD_BOOL(struct inspection_wire, enabled, "enabled", API_INSPECTION_ENABLED, false),
	API_FIELD_CUSTOM(struct inspection_wire, collectors, struct api_collectors, "collectors",
	    API_INSPECTION_COLLECTORS, true, decode_collectors),
	API_FIELD_INT(struct inspection_wire, active_timeout, "activeTimeout",
	    API_INSPECTION_ACTIVE_TIMEOUT, false, INSPECT_MIN_TIMEOUT_S, INSPECT_MAX_TIMEOUT_S),
	API_FIELD_INT(struct inspection_wire, idle_timeout, "idleTimeout",
	    API_INSPECTION_IDLE_TIMEOUT, false, INSPECT_MIN_TIMEOUT_S, INSPECT_MAX_TIMEOUT_S),
	API_FIELD_INT(struct inspection_wire, max_flows, "maxFlows", API_INSPECTION_MAX_FLOWS,
	    false, INSPECT_MIN_FLOWS, INSPECT_MAX_FLOWS),
};
static const struct api_body inspection_body = API_BODY(struct inspection_wire, inspection_fields);

/* The member's value when has names it, else the default: both in range, so both fit. */
static uint32_t
or_default(uint32_t has, uint32_t bit, int64_t v, uint32_t def)
{
	return (has & bit) != 0 ? (uint32_t)v : def;
}

int
api_decode_inspection(
    const char *body, size_t len, struct api_inspection_body *out, struct api_error *err)
{
	struct inspection_wire w;
	struct inspect_config *cfg = &out->cfg;

	memset(out, 0, sizeof(*out));
	if (api_decode_body(body, len, &inspection_body, &w, err) < 0)
		return -EINVAL;
	out->has = w.has;
	cfg->enabled = (w.has & API_INSPECTION_ENABLED) != 0 ? w.enabled : true;
	cfg->n_collectors = w.collectors.n;
	memcpy(cfg->collectors, w.collectors.c, sizeof(cfg->collectors));
	cfg->active_timeout_s = or_default(
	    w.has, API_INSPECTION_ACTIVE_TIMEOUT, w.active_timeout, INSPECT_DEFAULT_ACTIVE_S);
	cfg->idle_timeout_s =
	    or_default(w.has, API_INSPECTION_IDLE_TIMEOUT, w.idle_timeout, INSPECT_DEFAULT_IDLE_S);
	cfg->max_flows =
	    or_default(w.has, API_INSPECTION_MAX_FLOWS, w.max_flows, INSPECT_DEFAULT_MAX_FLOWS);
	return 0;
}
