/*
 * libFuzzer harness for API request decoding. The first input byte less
 * '0', modulo 12, chooses the body: PUT /v1/ip_address_map/{key}, POST
 * /v1/gate/open, POST /v1/gate/peers, PUT /v1/junction/redirection, PUT
 * /v1/routing_filter, POST /v1/junction/mirroring/peers, PUT
 * /v1/junction/mirroring/peers/{ipAddress}, PUT /v1/junction/inspection,
 * (8) a query string "k=v&k=v" for the query decoders (inspection's views, sessions),
 * (9) PUT /v1/vpg/dns, PUT /v1/sim_based_routing/routes (':'), PUT
 * /v1/sim_based_routing/routes/{imsi} (';') or POST
 * /v1/packet_capture_sessions ('<'); the rest is that body and,
 * NUL-terminated, a path segment for the path helpers (an IMSI, an IPv4
 * address, a capture id). Seeds in corpus/api/ begin with '0' to '<' to
 * pick their body.
 * Beyond "no crash", it checks what the decoders promise: an accepted body,
 * read again independently, holds exactly the fields the has-bits name, with
 * the values decoded; a refusal is a 400 with a documented code, a non-empty
 * one-line printable message that api_error_json can carry, and a zeroed
 * output.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_decode.h"
#include "conf/parse.h"
#include "core/sim_routes.h"
#include "fwd/filter.h"
#include "inspect/inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const body_codes[] = { "invalid_json", "unknown_field", "missing_field",
	"invalid_field" };

static void
check_printable(const char *s, size_t cap, int may_be_empty)
{
	size_t n = strnlen(s, cap);

	if (n == cap || (n == 0 && !may_be_empty))
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] < ' ' || s[i] > '~')
			abort();
}

static void
check_error(const struct api_error *e, const char *const *codes, size_t n_codes)
{
	size_t i;
	json_t *j;

	if (e->status != 400)
		abort();
	for (i = 0; i < n_codes; i++)
		if (strcmp(e->code, codes[i]) == 0)
			break;
	if (i == n_codes)
		abort();
	check_printable(e->message, sizeof(e->message), 0);
	check_printable(e->field, sizeof(e->field), 1);
	j = api_error_json(e);
	if (j == NULL ||
	    strcmp(json_string_value(json_object_get(j, "message")), e->message) != 0 ||
	    (json_object_get(j, "field") != NULL) != (e->field[0] != '\0'))
		abort();
	json_decref(j);
}

/* A refused body leaves the whole output zeroed, has-bits included. */
static void
check_refused(const struct api_error *err, const void *out, size_t n)
{
	const uint8_t *p = out;

	check_error(err, body_codes, sizeof(body_codes) / sizeof(body_codes[0]));
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			abort();
}

/* The accepted body read again, as a JSON object; aborts if it is none. */
static json_t *
reload(const uint8_t *data, size_t size)
{
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_object(root))
		abort();
	return root;
}

/* The address at key, which must be there and be what the decoder said. */
static void
check_address(json_t *root, const char *key, uint32_t decoded)
{
	uint32_t addr;

	if (parse_ipv4(json_string_value(json_object_get(root, key)), &addr) < 0 || addr != decoded)
		abort();
}

/* The path a PUT names its object by; a body repeating it must repeat it exactly. */
#define PATH_IMSI   "999010000000001"
#define PATH_MIRROR htonl(0xcb007107u) /* 203.0.113.7 */

/* A key field the body repeats: present exactly when has says, and then the path's. */
static void
check_repeated_key(json_t *root, const char *name, bool has, const char *path)
{
	json_t *v = json_object_get(root, name);

	if ((v != NULL) != has || (has && strcmp(json_string_value(v), path) != 0))
		abort();
}

static void
fuzz_ip_map(const uint8_t *data, size_t size)
{
	struct api_ip_map_body out;
	struct api_error err = { 0 };
	bool has_key;
	json_t *root;

	if (api_decode_ip_map((const char *)data, size, PATH_IMSI, &out, &err) < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	root = reload(data, size);
	has_key = (out.has & API_IP_MAP_KEY) != 0;
	if ((out.has & ~API_IP_MAP_KEY) != API_IP_MAP_IP_ADDRESS ||
	    json_object_size(root) != 1u + has_key)
		abort();
	check_address(root, "ipAddress", out.ip_address_be);
	check_repeated_key(root, "key", has_key, PATH_IMSI);
	json_decref(root);
}

/* Each field present exactly when its has-bit is set, with the value decoded. */
static void
check_gate_open(json_t *root, const struct api_gate_open_body *out)
{
	json_t *vni = json_object_get(root, "vxlanId");
	json_t *sep = json_object_get(root, "privacySeparatorEnabled");
	bool has_vni = (out->has & API_GATE_OPEN_VXLAN_ID) != 0;
	bool has_sep = (out->has & API_GATE_OPEN_PRIVACY_SEPARATOR) != 0;

	if ((vni != NULL) != has_vni || (sep != NULL) != has_sep ||
	    json_object_size(root) != (size_t)has_vni + has_sep)
		abort();
	if (has_vni && (!json_is_integer(vni) || json_integer_value(vni) != out->vxlan_id ||
			   out->vxlan_id < API_VXLAN_ID_MIN || out->vxlan_id > API_VXLAN_ID_MAX))
		abort();
	if (has_sep &&
	    (!json_is_boolean(sep) || json_is_true(sep) != out->privacy_separator_enabled))
		abort();
}

static void
fuzz_gate_open(const uint8_t *data, size_t size)
{
	struct api_gate_open_body out;
	struct api_error err = { 0 };
	json_t *root;

	if (api_decode_gate_open((const char *)data, size, &out, &err) < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	if (size == 0) {
		if (out.has != 0)
			abort();
		return;
	}
	root = reload(data, size);
	check_gate_open(root, &out);
	json_decref(root);
}

static void
fuzz_gate_peer(const uint8_t *data, size_t size)
{
	const uint32_t both = API_GATE_PEER_OUTER_IP_ADDRESS | API_GATE_PEER_INNER_IP_ADDRESS;
	struct api_gate_peer_body out;
	struct api_error err = { 0 };
	json_t *root;

	if (api_decode_gate_peer((const char *)data, size, &out, &err) < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	root = reload(data, size);
	if (out.has != both || json_object_size(root) != 2)
		abort();
	check_address(root, "outerIpAddress", out.outer_ip_address_be);
	check_address(root, "innerIpAddress", out.inner_ip_address_be);
	json_decref(root);
}

/*
 * Each optional field present exactly when its has-bit is set, with the
 * value decoded, and docs/API.md's default when absent.
 */
static void
check_redirection(json_t *root, const struct api_redirection_body *out)
{
	json_t *en = json_object_get(root, "enabled");
	json_t *desc = json_object_get(root, "description");
	bool has_en = (out->has & API_REDIRECTION_ENABLED) != 0;
	bool has_desc = (out->has & API_REDIRECTION_DESCRIPTION) != 0;
	size_t n;

	if ((out->has & API_REDIRECTION_GATEWAY) == 0 || (en != NULL) != has_en ||
	    (desc != NULL) != has_desc || json_object_size(root) != 1 + (size_t)has_en + has_desc)
		abort();
	check_address(root, "gateway", out->gateway_be);
	if (has_en ? !json_is_boolean(en) || json_is_true(en) != out->enabled : !out->enabled)
		abort();
	n = strnlen(out->description, sizeof(out->description));
	if (n == sizeof(out->description) || (!has_desc && n != 0))
		abort();
	if (has_desc && (!json_is_string(desc) || json_string_length(desc) != n ||
			    memcmp(json_string_value(desc), out->description, n) != 0))
		abort();
}

static void
fuzz_redirection(const uint8_t *data, size_t size)
{
	struct api_redirection_body out;
	struct api_error err = { 0 };
	json_t *root;

	if (api_decode_redirection((const char *)data, size, &out, &err) < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	root = reload(data, size);
	check_redirection(root, &out);
	json_decref(root);
}

/* The rule decoded from entry, which the decoder accepted: aborts if they differ. */
static void
check_filter_entry(json_t *entry, const struct filter_rule *r)
{
	const char *action = json_string_value(json_object_get(entry, "action"));
	uint32_t net;
	uint8_t prefix;

	if (!json_is_object(entry) || json_object_size(entry) != 2 || action == NULL)
		abort();
	if (strcmp(action, r->action == FILTER_DENY ? "deny" : "allow") != 0 ||
	    (r->action != FILTER_DENY && r->action != FILTER_ALLOW))
		abort();
	if (parse_cidr(json_string_value(json_object_get(entry, "ipRange")), &net, &prefix) < 0 ||
	    net != r->net_be || prefix != r->prefix)
		abort();
}

/*
 * An accepted list is an array of at most FILTER_MAX_RULES entries, each
 * decoded in place: a range parse_cidr takes (so no host bits) and an
 * action of the enum.
 */
static void
fuzz_routing_filter(const uint8_t *data, size_t size)
{
	struct filter_rule out[FILTER_MAX_RULES];
	struct api_error err = { 0 };
	unsigned n = 99;
	json_t *root;

	if (api_decode_routing_filter((const char *)data, size, out, FILTER_MAX_RULES, &n, &err) <
	    0) {
		if (n != 0)
			abort();
		check_refused(&err, out, sizeof(out));
		return;
	}
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(root) || json_array_size(root) != n || n > FILTER_MAX_RULES)
		abort();
	for (unsigned i = 0; i < n; i++)
		check_filter_entry(json_array_get(root, i), &out[i]);
	json_decref(root);
}

/*
 * A mirroring peer's fields present exactly when their has-bits are set,
 * with the values decoded: protocol only ever "gre"; enabled true when
 * absent from a POST (post), false when absent from a PUT.
 */
static void
check_mirror(json_t *root, const struct api_mirror_body *out, bool post)
{
	json_t *proto = json_object_get(root, "protocol");
	json_t *en = json_object_get(root, "enabled");
	json_t *desc = json_object_get(root, "description");
	bool has_ip = (out->has & API_MIRROR_IP_ADDRESS) != 0;
	bool has_proto = (out->has & API_MIRROR_PROTOCOL) != 0;
	bool has_en = (out->has & API_MIRROR_ENABLED) != 0;
	bool has_desc = (out->has & API_MIRROR_DESCRIPTION) != 0;
	size_t n = strnlen(out->description, sizeof(out->description));

	if ((post && !has_ip) || (proto != NULL) != has_proto || (en != NULL) != has_en ||
	    (desc != NULL) != has_desc ||
	    json_object_size(root) != (size_t)has_ip + has_proto + has_en + has_desc)
		abort();
	if (has_ip)
		check_address(root, "ipAddress", out->ip_address_be);
	else if (out->ip_address_be != 0)
		abort();
	/* A PUT may repeat the peer's address, the path's and no other. */
	if (!post && has_ip && out->ip_address_be != PATH_MIRROR)
		abort();
	if (has_proto && (!json_is_string(proto) || strcmp(json_string_value(proto), "gre") != 0))
		abort();
	if (has_en ? !json_is_boolean(en) || json_is_true(en) != out->enabled
		   : out->enabled != post)
		abort();
	if (n == sizeof(out->description) || (!has_desc && n != 0))
		abort();
	if (has_desc && (!json_is_string(desc) || json_string_length(desc) != n ||
			    memcmp(json_string_value(desc), out->description, n) != 0))
		abort();
}

static void
fuzz_mirror(const uint8_t *data, size_t size, bool post)
{
	struct api_mirror_body out;
	struct api_error err = { 0 };
	json_t *root;
	int rc;

	if (post)
		rc = api_decode_mirror_peer((const char *)data, size, &out, &err);
	else
		rc = api_decode_mirror_update((const char *)data, size, PATH_MIRROR, &out, &err);
	if (rc < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	root = reload(data, size);
	check_mirror(root, &out, post);
	json_decref(root);
}

static void
fuzz_mirror_peer(const uint8_t *data, size_t size)
{
	fuzz_mirror(data, size, true);
}

static void
fuzz_mirror_update(const uint8_t *data, size_t size)
{
	fuzz_mirror(data, size, false);
}

/* A number the body had when has says so, else the default; in range either way. */
static void
check_inspection_number(json_t *root, const char *key, bool has, uint32_t decoded, uint32_t def,
    uint32_t min, uint32_t max)
{
	json_t *v = json_object_get(root, key);

	if ((v != NULL) != has || decoded < min || decoded > max)
		abort();
	if (has ? !json_is_integer(v) || json_integer_value(v) != decoded : decoded != def)
		abort();
}

/*
 * The collectors decoded are the body's strings, read again with
 * api_parse_collector, in order, 1 to INSPECT_MAX_COLLECTORS of them and
 * no two alike.
 */
static void
check_collectors(json_t *list, const struct inspect_config *cfg)
{
	struct inspect_collector c;
	size_t n = json_array_size(list);

	if (!json_is_array(list) || n != cfg->n_collectors || n < 1 || n > INSPECT_MAX_COLLECTORS)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (api_parse_collector(json_string_value(json_array_get(list, i)), &c) < 0 ||
		    c.addr_be != cfg->collectors[i].addr_be || c.port != cfg->collectors[i].port ||
		    c.port == 0)
			abort();
		for (size_t j = 0; j < i; j++)
			if (cfg->collectors[j].addr_be == c.addr_be &&
			    cfg->collectors[j].port == c.port)
				abort();
	}
}

static void
check_inspection(json_t *root, const struct api_inspection_body *out)
{
	const struct inspect_config *cfg = &out->cfg;
	json_t *en = json_object_get(root, "enabled");
	bool has_en = (out->has & API_INSPECTION_ENABLED) != 0;
	bool has_active = (out->has & API_INSPECTION_ACTIVE_TIMEOUT) != 0;
	bool has_idle = (out->has & API_INSPECTION_IDLE_TIMEOUT) != 0;
	bool has_flows = (out->has & API_INSPECTION_MAX_FLOWS) != 0;

	if ((out->has & API_INSPECTION_COLLECTORS) == 0 || (en != NULL) != has_en ||
	    json_object_size(root) != 1 + (size_t)has_en + has_active + has_idle + has_flows)
		abort();
	if (has_en ? !json_is_boolean(en) || json_is_true(en) != cfg->enabled : !cfg->enabled)
		abort();
	check_collectors(json_object_get(root, "collectors"), cfg);
	check_inspection_number(root, "activeTimeout", has_active, cfg->active_timeout_s,
	    INSPECT_DEFAULT_ACTIVE_S, INSPECT_MIN_TIMEOUT_S, INSPECT_MAX_TIMEOUT_S);
	check_inspection_number(root, "idleTimeout", has_idle, cfg->idle_timeout_s,
	    INSPECT_DEFAULT_IDLE_S, INSPECT_MIN_TIMEOUT_S, INSPECT_MAX_TIMEOUT_S);
	check_inspection_number(root, "maxFlows", has_flows, cfg->max_flows,
	    INSPECT_DEFAULT_MAX_FLOWS, INSPECT_MIN_FLOWS, INSPECT_MAX_FLOWS);
}

static void
fuzz_inspection(const uint8_t *data, size_t size)
{
	struct api_inspection_body out;
	struct api_error err = { 0 };
	json_t *root;

	if (api_decode_inspection((const char *)data, size, &out, &err) < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	root = reload(data, size);
	check_inspection(root, &out);
	json_decref(root);
}

/*
 * An accepted DNS list is an array of at most API_DNS_MAX strings, each the
 * address decoded, one parse_dns_server takes (so a unicast host), the
 * slots past *n zero.
 */
static void
fuzz_dns(const uint8_t *data, size_t size)
{
	uint32_t out[API_DNS_MAX], again;
	struct api_error err = { 0 };
	unsigned n = 99;
	json_t *root;

	if (api_decode_dns((const char *)data, size, out, &n, &err) < 0) {
		if (n != 0)
			abort();
		check_refused(&err, out, sizeof(out));
		return;
	}
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(root) || json_array_size(root) != n || n > API_DNS_MAX)
		abort();
	for (unsigned i = 0; i < API_DNS_MAX; i++) {
		if (i >= n) {
			if (out[i] != 0)
				abort();
			continue;
		}
		if (parse_dns_server(json_string_value(json_array_get(root, i)), &again) < 0 ||
		    again != out[i])
			abort();
	}
	json_decref(root);
}

/*
 * The value of the query's parameter key when accepted: given once with
 * the value decoded, or absent and the default.
 */
static void
check_query_value(const struct api_query *q, const char *key, uint32_t decoded, uint32_t def)
{
	const char *v = NULL;
	size_t seen = 0;

	for (size_t i = 0; i < q->n; i++) {
		if (strcmp(q->args[i].key, key) == 0) {
			v = q->args[i].value;
			seen++;
		}
	}
	if (seen > 1 || (seen == 0 && decoded != def))
		abort();
	if (seen == 1 &&
	    (v == NULL || strspn(v, "0123456789") != strlen(v) || strtoul(v, NULL, 10) != decoded))
		abort();
}

/* An accepted query names only the call's parameters; a refusal leaves the outputs. */
static void
check_queries(const struct api_query *q)
{
	static const char *const codes[] = { "unknown_field", "invalid_field" };
	struct api_error err = { 0 };
	uint32_t limit = 0, window = 0, top = 0, after = 0;

	if (api_decode_flows_query(q, &limit, &err) < 0) {
		check_error(&err, codes, 2);
		if (limit != 0)
			abort();
	} else {
		if (q->overflow || limit < 1 || limit > API_FLOWS_LIMIT_MAX)
			abort();
		check_query_value(q, "limit", limit, API_FLOWS_LIMIT_DEFAULT);
	}
	memset(&err, 0, sizeof(err));
	if (api_decode_summary_query(q, &window, &top, &err) < 0) {
		check_error(&err, codes, 2);
		if (window != 0 || top != 0)
			abort();
	} else {
		if (q->overflow || window < 1 || window > INSPECT_MAX_WINDOW_S || top < 1 ||
		    top > INSPECT_TOP_MAX)
			abort();
		check_query_value(q, "window", window, INSPECT_DEFAULT_WINDOW_S);
		check_query_value(q, "top", top, API_SUMMARY_TOP_DEFAULT);
	}
	memset(&err, 0, sizeof(err));
	limit = 0;
	if (api_decode_sessions_query(q, &limit, &after, &err) < 0) {
		check_error(&err, codes, 2);
		if (limit != 0 || after != 0)
			abort();
	} else {
		if (q->overflow || limit < 1 || limit > API_SESSIONS_LIMIT_MAX)
			abort();
		check_query_value(q, "limit", limit, API_SESSIONS_LIMIT_DEFAULT);
		check_query_value(q, "after", after, 0);
	}
}

/*
 * The input as a query string, split as libmicrohttpd splits one (without
 * the %-decoding, which only widens the bytes a value may hold): pairs at
 * '&', key and value at the first '=', none meaning no value.
 */
static void
fuzz_query(const uint8_t *data, size_t size)
{
	struct api_query q = { 0 };
	char *text = malloc(size + 1), *save = NULL, *eq;

	if (text == NULL)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *p = strtok_r(text, "&", &save); p != NULL; p = strtok_r(NULL, "&", &save)) {
		if (q.n == API_QUERY_MAX) {
			q.overflow = true;
			break;
		}
		eq = strchr(p, '=');
		if (eq != NULL)
			*eq = '\0';
		q.args[q.n].key = p;
		q.args[q.n].value = eq != NULL ? eq + 1 : NULL;
		q.n++;
	}
	check_queries(&q);
	free(text);
}

/* The device subnet the harness checks tables against. */
#define SUBNET_BE  htonl(0x0a0a0000u)
#define SUBNET_LEN 16

/* A list of ranges, as decoded: each string of arr in order, a range parse_cidr takes. */
static void
check_ranges(json_t *arr, const struct sim_prefix *got, unsigned n)
{
	uint32_t net;
	uint8_t len;

	if (!json_is_array(arr) || json_array_size(arr) != n || n == 0 ||
	    n > SIM_ROUTES_MAX_PER_IMSI)
		abort();
	for (unsigned k = 0; k < n; k++) {
		const char *s = json_string_value(json_array_get(arr, k));

		if (s == NULL || parse_cidr(s, &net, &len) < 0 || net != got[k].net_be ||
		    len != got[k].len)
			abort();
	}
}

/*
 * An accepted table holds each entry of the array in order, its IMSI and
 * its ranges, and is one the core's validator takes for the same subnet.
 */
static void
fuzz_sim_routes(const uint8_t *data, size_t size)
{
	static struct sim_table out;
	struct api_error err = { 0 };
	struct sim_fault_at at;
	json_t *root, *e;

	if (api_decode_sim_routes((const char *)data, size, SUBNET_BE, SUBNET_LEN, &out, &err) <
	    0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(root) || json_array_size(root) != out.n_devices ||
	    sim_table_check(&out, SUBNET_BE, SUBNET_LEN, &at) != SIM_FAULT_NONE)
		abort();
	for (unsigned i = 0; i < out.n_devices; i++) {
		const struct sim_device *d = &out.device[i];
		const char *imsi;

		e = json_array_get(root, i);
		imsi = json_string_value(json_object_get(e, "imsi"));
		if (json_object_size(e) != 2 || imsi == NULL || strcmp(imsi, d->imsi) != 0)
			abort();
		check_ranges(json_object_get(e, "destinations"), &out.prefix[d->first], d->n);
	}
	json_decref(root);
}

/* One device's list: an object of "destinations" alone, each range as given. */
static void
fuzz_sim_destinations(const uint8_t *data, size_t size)
{
	struct api_sim_dests out;
	struct sim_prefix got[SIM_ROUTES_MAX_PER_IMSI];
	struct api_error err = { 0 };
	json_t *root;

	if (api_decode_sim_destinations((const char *)data, size, PATH_IMSI, &out, &err) < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	if (out.n > SIM_ROUTES_MAX_PER_IMSI)
		abort();
	for (unsigned k = 0; k < out.n; k++)
		got[k] = (struct sim_prefix){ out.range[k].net_be, out.range[k].prefix };
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (json_object_size(root) != 1u + (json_object_get(root, "imsi") != NULL))
		abort();
	check_repeated_key(root, "imsi", json_object_get(root, "imsi") != NULL, PATH_IMSI);
	check_ranges(json_object_get(root, "destinations"), got, out.n);
	json_decref(root);
}

/* A string member a custom decoder filled: the body's string, whole, when has; else "". */
static void
check_copied_string(json_t *root, const char *key, bool has, const char *got, size_t cap)
{
	json_t *v = json_object_get(root, key);
	size_t n = strnlen(got, cap);

	if (n == cap || (v != NULL) != has)
		abort();
	if (has ? !json_is_string(v) || json_string_length(v) != n ||
		      memcmp(json_string_value(v), got, n) != 0
		: n != 0)
		abort();
}

/*
 * An accepted capture body: duration present and in range; a prefix of the
 * allowed characters; an IMSI parse_imsi takes; nothing else.
 */
static void
fuzz_peek(const uint8_t *data, size_t size)
{
	struct api_peek_body out;
	struct api_error err = { 0 };
	bool has_prefix, has_imsi;
	json_t *root, *d;

	if (api_decode_peek((const char *)data, size, &out, &err) < 0) {
		check_refused(&err, &out, sizeof(out));
		return;
	}
	root = reload(data, size);
	has_prefix = (out.has & API_PEEK_PREFIX) != 0;
	has_imsi = (out.has & API_PEEK_IMSI) != 0;
	d = json_object_get(root, "duration");
	if (!(out.has & API_PEEK_DURATION) || !json_is_integer(d) ||
	    json_integer_value(d) != out.duration || out.duration < 1 ||
	    out.duration > API_PEEK_DURATION_MAX ||
	    json_object_size(root) != 1 + (size_t)has_prefix + has_imsi)
		abort();
	check_copied_string(root, "prefix", has_prefix, out.prefix, sizeof(out.prefix));
	check_copied_string(root, "imsi", has_imsi, out.imsi, sizeof(out.imsi));
	if (strspn(
		out.prefix, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
		strlen(out.prefix) ||
	    (has_imsi && parse_imsi(out.imsi) < 0))
		abort();
	json_decref(root);
}

/* An accepted segment is exactly what the validator takes; a refusal is a 400 invalid_path. */
static void
check_paths(const char *seg)
{
	static const char *const codes[] = { "invalid_path" };
	struct api_error err = { 0 };
	uint32_t addr, again;
	char imsi[16], text[16], id[API_PEEK_ID_MAX + 1];

	if (api_path_imsi(seg, imsi, &err) == 0) {
		if (parse_imsi(imsi) < 0 || strcmp(imsi, seg) != 0)
			abort();
	} else {
		check_error(&err, codes, 1);
	}
	memset(&err, 0, sizeof(err));
	if (api_path_ipv4(seg, &addr, &err) == 0) {
		if (parse_ipv4(seg, &again) < 0 || again != addr ||
		    parse_ipv4(ipv4_str(addr, text), &again) < 0 || again != addr)
			abort();
	} else {
		check_error(&err, codes, 1);
	}
	memset(&err, 0, sizeof(err));
	if (api_path_capture_id(seg, id, &err) == 0) {
		if (strcmp(id, seg) != 0 || strlen(id) > API_PEEK_ID_MAX ||
		    strspn(id, "0123456789abcdef") != strlen(id))
			abort();
	} else {
		check_error(&err, codes, 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const bodies[])(const uint8_t *, size_t) = { fuzz_ip_map, fuzz_gate_open,
		fuzz_gate_peer, fuzz_redirection, fuzz_routing_filter, fuzz_mirror_peer,
		fuzz_mirror_update, fuzz_inspection, fuzz_query, fuzz_dns, fuzz_sim_routes,
		fuzz_sim_destinations, fuzz_peek };
	char *seg;

	if (size == 0)
		return 0;
	bodies[(uint8_t)(data[0] - '0') % (sizeof(bodies) / sizeof(bodies[0]))](data + 1, size - 1);
	seg = malloc(size);
	if (seg == NULL)
		return 0;
	memcpy(seg, data + 1, size - 1);
	seg[size - 1] = '\0';
	check_paths(seg);
	free(seg);
	return 0;
}
