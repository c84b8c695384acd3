#include "cli/cli_format.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_table.h"

#define CELL_LEN 128
#define NAME_LEN 160
/* An error body that is not the API's JSON is shown up to this length. */
#define TEXT_MAX 200

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Writes s, at most max octets of it, padded with spaces to width. Control
 * characters become '?': the text comes from the network and must not drive
 * the terminal.
 */
static void
put_clean(FILE *out, const char *s, size_t max, size_t width)
{
	size_t n = 0;

	for (; n < max && s[n] != '\0'; n++)
		fputc((unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n], out);
	for (; n < width; n++)
		fputc(' ', out);
}

static bool
is_time_field(const char *field)
{
	size_t n = strlen(field);

	return n >= 4 && strcmp(field + n - 4, "Time") == 0;
}

int
cli_format_time(long long ms, char *buf, size_t len)
{
	/* Floor, so a time before 1970 is not rounded towards it. */
	long long sec = ms / 1000 - (ms % 1000 < 0);
	time_t t = (time_t)sec;
	struct tm tm;

	if ((long long)t != sec || gmtime_r(&t, &tm) == NULL)
		return -1;
	if (strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	return 0;
}

/* Rare in a table; cut, so that one cell cannot widen a column without bound. */
static const char *
compact_text(json_t *v, char *buf, size_t len)
{
	char *text = json_dumps(v, JSON_COMPACT);

	if (text == NULL)
		return "-";
	if (snprintf(buf, len, "%s", text) >= (int)len)
		memcpy(buf + len - 4, "...", 4);
	free(text);
	return buf;
}

/* The text of one value in a table; field decides whether a number is a time. */
static const char *
cell_text(json_t *v, const char *field, char *buf, size_t len)
{
	if (v == NULL)
		return "-";
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_length(v) > 0 ? json_string_value(v) : "-";
	case JSON_INTEGER:
		if (is_time_field(field) && cli_format_time(json_integer_value(v), buf, len) == 0)
			return buf;
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	case JSON_REAL:
		snprintf(buf, len, "%.15g", json_real_value(v));
		return buf;
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_OBJECT:
	case JSON_ARRAY:
		return compact_text(v, buf, len);
	default:
		return "-";
	}
}

static void
put_row(FILE *out, const struct cli_col *cols, json_t *row, const size_t *width)
{
	char buf[CELL_LEN];

	for (int c = 0; c < CLI_MAX_COLS && cols[c].header != NULL; c++) {
		const char *f = cols[c].field;
		bool last = c + 1 == CLI_MAX_COLS || cols[c + 1].header == NULL;

		if (c > 0)
			fputs("  ", out);
		put_clean(out, cell_text(json_object_get(row, f), f, buf, sizeof(buf)), SIZE_MAX,
		    last ? 0 : width[c]);
	}
	fputc('\n', out);
}

/* The widths of the columns over rows, headers included. */
static void
list_widths(const struct cli_col *cols, json_t *rows, size_t *width)
{
	char buf[CELL_LEN];
	json_t *row;
	size_t i, n;

	for (int c = 0; c < CLI_MAX_COLS && cols[c].header != NULL; c++) {
		const char *f = cols[c].field;

		width[c] = strlen(cols[c].header);
		json_array_foreach(rows, i, row)
		{
			n = strlen(cell_text(json_object_get(row, f), f, buf, sizeof(buf)));
			width[c] = n > width[c] ? n : width[c];
		}
	}
}

static bool
all_objects(json_t *rows)
{
	json_t *row;
	size_t i;

	if (!json_is_array(rows))
		return false;
	json_array_foreach(rows, i, row)
	{
		if (!json_is_object(row))
			return false;
	}
	return true;
}

static bool
has_index_col(const struct cli_cmd *cmd)
{
	for (int c = 0; c < CLI_MAX_COLS && cmd->cols[c].header != NULL; c++)
		if (strcmp(cmd->cols[c].field, CLI_COL_INDEX) == 0)
			return true;
	return false;
}

/*
 * A new reference to rows, or when a column shows the index, to a copy of
 * them with each one's position under CLI_COL_INDEX. NULL without memory.
 */
static json_t *
indexed_rows(const struct cli_cmd *cmd, json_t *rows)
{
	json_t *copy, *row, *out;
	size_t i;

	if (!has_index_col(cmd))
		return json_incref(rows);
	if ((out = json_array()) == NULL)
		return NULL;
	json_array_foreach(rows, i, row)
	{
		copy = json_copy(row);
		if (copy == NULL ||
		    json_object_set_new(copy, CLI_COL_INDEX, json_integer((json_int_t)i)) < 0) {
			json_decref(copy);
			json_decref(out);
			return NULL;
		}
		/* append_new releases copy when it fails. */
		if (json_array_append_new(out, copy) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* A table of cols over rows, an array of objects: 0, or -1 without memory (nothing printed). */
static int
put_table(FILE *out, const struct cli_col *cols, json_t *rows)
{
	size_t width[CLI_MAX_COLS] = { 0 }, i;
	json_t *row, *header = json_object();

	if (header == NULL)
		return -1;
	/* The header is a row whose every field holds its column's title. */
	for (int c = 0; c < CLI_MAX_COLS && cols[c].header != NULL; c++)
		json_object_set_new(header, cols[c].field, json_string(cols[c].header));
	list_widths(cols, rows, width);
	put_row(out, cols, header, width);
	json_array_foreach(rows, i, row)
	{
		put_row(out, cols, row, width);
	}
	json_decref(header);
	return 0;
}

int
cli_format_list(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	int rc;

	if (!all_objects(resp) || (resp = indexed_rows(cmd, resp)) == NULL)
		return -1;
	rc = put_table(out, cmd->cols, resp);
	json_decref(resp);
	return rc;
}

int
cli_format_row(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	json_t *rows;
	int rc;

	if (!json_is_object(resp) || (rows = json_pack("[O]", resp)) == NULL)
		return -1;
	rc = cli_format_list(out, cmd, rows);
	json_decref(rows);
	return rc;
}

/* The field of cmd's first column that is not the index: where a bare value goes. */
static const char *
value_field(const struct cli_cmd *cmd)
{
	for (int c = 0; c < CLI_MAX_COLS && cmd->cols[c].header != NULL; c++)
		if (strcmp(cmd->cols[c].field, CLI_COL_INDEX) != 0)
			return cmd->cols[c].field;
	return NULL;
}

int
cli_format_values(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	const char *field = value_field(cmd);
	json_t *rows, *v;
	size_t i;
	int rc;

	if (!json_is_array(resp) || field == NULL || (rows = json_array()) == NULL)
		return -1;
	json_array_foreach(resp, i, v)
	{
		/* append_new releases the row when it fails; pack fails on NULL memory. */
		if (json_is_object(v) || json_is_array(v) ||
		    json_array_append_new(rows, json_pack("{s:O}", field, v)) < 0) {
			json_decref(rows);
			return -1;
		}
	}
	rc = cli_format_list(out, cmd, rows);
	json_decref(rows);
	return rc;
}

/*
 * Junction inspection's flows are shown through cells of their own, made by
 * flow_row from the API's fields: an endpoint is "address:port", a protocol
 * has its name, and a time field ends in "Time" so that cell_text shows it
 * as UTC.
 */
static const struct cli_col flow_cols[CLI_MAX_COLS] = {
	{ "IMSI", "imsi" },
	{ "DIRECTION", "direction" },
	{ "SOURCE", "source" },
	{ "DESTINATION", "destination" },
	{ "PROTOCOL", "protocol" },
	{ "APPLICATION", "application" },
	{ "PACKETS", "packets" },
	{ "BYTES", "bytes" },
	{ "LAST_SEEN", "lastSeenTime" },
};
static const struct cli_col app_cols[CLI_MAX_COLS] = {
	{ "APPLICATION", "name" },
	{ "PACKETS", "packets" },
	{ "BYTES", "bytes" },
	{ "FLOWS", "flows" },
};
static const struct cli_col session_cols[CLI_MAX_COLS] = {
	{ "IMSI", "imsi" },
	{ "PACKETS", "packets" },
	{ "BYTES", "bytes" },
	{ "FLOWS", "flows" },
};

/* IANA protocol numbers a reader knows by name; others as the number. */
static const char *
proto_name(json_int_t p, char *buf, size_t len)
{
	switch (p) {
	case 1:
		return "ICMP";
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	case 132:
		return "SCTP";
	}
	snprintf(buf, len, "%" JSON_INTEGER_FORMAT, p);
	return buf;
}

/* "address:port" for a protocol with ports, else the address alone. */
static json_t *
endpoint(json_t *flow, const char *addr_field, const char *port_field, bool ports)
{
	const char *addr = json_string_value(json_object_get(flow, addr_field));
	char buf[40];

	if (addr == NULL)
		return json_null();
	if (!ports)
		return json_string(addr);
	snprintf(buf, sizeof(buf), "%.15s:%" JSON_INTEGER_FORMAT, addr,
	    json_integer_value(json_object_get(flow, port_field)));
	return json_string(buf);
}

/* One flow of the API as flow_cols shows it; NULL without memory. */
static json_t *
flow_row(json_t *flow)
{
	json_int_t p = json_integer_value(json_object_get(flow, "protocol"));
	bool ports = p == 6 || p == 17 || p == 132;
	char buf[24];

	/* O* and o* leave out a member the flow lacks, shown as "-". */
	return json_pack("{s:O*, s:O*, s:o, s:o, s:s, s:O*, s:O*, s:O*, s:O*}", "imsi",
	    json_object_get(flow, "imsi"), "direction", json_object_get(flow, "direction"),
	    "source", endpoint(flow, "sourceAddress", "sourcePort", ports), "destination",
	    endpoint(flow, "destinationAddress", "destinationPort", ports), "protocol",
	    proto_name(p, buf, sizeof(buf)), "application", json_object_get(flow, "application"),
	    "packets", json_object_get(flow, "packets"), "bytes", json_object_get(flow, "bytes"),
	    "lastSeenTime", json_object_get(flow, "lastSeen"));
}

/* A table of flows, an array of the API's flow objects; -1 for another shape. */
static int
put_flows(FILE *out, json_t *flows)
{
	json_t *rows, *flow;
	size_t i;
	int rc;

	if (!all_objects(flows) || (rows = json_array()) == NULL)
		return -1;
	json_array_foreach(flows, i, flow)
	{
		/* append_new takes a NULL value as failure, so nothing leaks. */
		if (json_array_append_new(rows, flow_row(flow)) < 0) {
			json_decref(rows);
			return -1;
		}
	}
	rc = put_table(out, flow_cols, rows);
	json_decref(rows);
	return rc;
}

int
cli_format_flows(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	json_t *flows = json_object_get(resp, "flows");

	(void)cmd;
	if (!json_is_integer(json_object_get(resp, "count")) ||
	    !json_is_integer(json_object_get(resp, "maxFlows")) || put_flows(out, flows) < 0)
		return -1;
	fprintf(out,
	    "%zu of %" JSON_INTEGER_FORMAT
	    " flows shown; the table holds at most %" JSON_INTEGER_FORMAT "\n",
	    json_array_size(flows), json_integer_value(json_object_get(resp, "count")),
	    json_integer_value(json_object_get(resp, "maxFlows")));
	return 0;
}

static bool
summary_shape(json_t *resp)
{
	static const char *const totals[] = { "windowSeconds", "packets", "bytes", "flows" };

	for (size_t i = 0; i < ARRAY_SIZE(totals); i++)
		if (!json_is_integer(json_object_get(resp, totals[i])))
			return false;
	return json_is_boolean(json_object_get(resp, "truncated")) &&
	       all_objects(json_object_get(resp, "protocols")) &&
	       all_objects(json_object_get(resp, "sessions")) &&
	       all_objects(json_object_get(resp, "topFlows"));
}

/* The totals line, then the applications, the devices and the flows, each a table. */
int
cli_format_summary(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	(void)cmd;
	if (!summary_shape(resp))
		return -1;
	fprintf(out,
	    "Last %" JSON_INTEGER_FORMAT " seconds: %" JSON_INTEGER_FORMAT
	    " packets, %" JSON_INTEGER_FORMAT " bytes, %" JSON_INTEGER_FORMAT " flows\n",
	    json_integer_value(json_object_get(resp, "windowSeconds")),
	    json_integer_value(json_object_get(resp, "packets")),
	    json_integer_value(json_object_get(resp, "bytes")),
	    json_integer_value(json_object_get(resp, "flows")));
	if (json_is_true(json_object_get(resp, "truncated")))
		fputs("(the history kept does not reach back over the whole window)\n", out);
	fputc('\n', out);
	if (put_table(out, app_cols, json_object_get(resp, "protocols")) < 0)
		return -1;
	fputc('\n', out);
	if (put_table(out, session_cols, json_object_get(resp, "sessions")) < 0)
		return -1;
	fputc('\n', out);
	return put_flows(out, json_object_get(resp, "topFlows"));
}

static const struct cli_col sim_cols[CLI_MAX_COLS] = {
	{ "IMSI", "imsi" },
	{ "DESTINATION", "destination" },
};

/* One row per range of one device of the table; -1 for another shape or without memory. */
static int
sim_rows(json_t *rows, json_t *device)
{
	json_t *imsi = json_object_get(device, "imsi"),
	       *list = json_object_get(device, "destinations");
	json_t *range;
	size_t i;

	if (!json_is_string(imsi) || !json_is_array(list))
		return -1;
	json_array_foreach(list, i, range)
	{
		if (!json_is_string(range) ||
		    json_array_append_new(
			rows, json_pack("{s:O, s:O}", "imsi", imsi, "destination", range)) < 0)
			return -1;
	}
	return 0;
}

int
cli_format_sim_routes(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	json_t *enabled = json_object_get(resp, "enabled"),
	       *routes = json_object_get(resp, "routes");
	json_t *rows, *device;
	size_t i;
	int rc = 0;

	(void)cmd;
	if (!json_is_boolean(enabled) || !all_objects(routes) || (rows = json_array()) == NULL)
		return -1;
	json_array_foreach(routes, i, device)
	{
		if (rc == 0)
			rc = sim_rows(rows, device);
	}
	if (rc == 0) {
		fprintf(out, "SIM-based routing: %s\n\n",
		    json_is_true(enabled) ? "enabled" : "disabled");
		rc = put_table(out, sim_cols, rows);
	}
	json_decref(rows);
	return rc;
}

/* NAME VALUE tables are printed twice over: once to measure, once to print. */
struct nv {
	FILE *out;    /* NULL while measuring */
	size_t width; /* of the NAME column */
};

static void
nv_row(struct nv *nv, const char *name, json_t *v)
{
	char buf[CELL_LEN];
	size_t n = strlen(name);

	if (nv->out == NULL) {
		nv->width = n > nv->width ? n : nv->width;
		return;
	}
	put_clean(nv->out, name, SIZE_MAX, nv->width);
	fputs("  ", nv->out);
	put_clean(nv->out, cell_text(v, name, buf, sizeof(buf)), SIZE_MAX, 0);
	fputc('\n', nv->out);
}

/* The sections of /v1/stats, in the order shown, and the names they get. */
static const struct {
	const char *path, *name;
} stats_sections[] = {
	{ "counters", "" },
	{ "drops", "drop" },
	{ "gtpc.rx", "gtpc_rx" },
	{ "gtpc.tx", "gtpc_tx" },
	{ "gtpc.txCause", "gtpc_tx_cause" },
	{ "sessions", "sessions" },
};

static bool
is_section(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(stats_sections); i++)
		if (strcmp(stats_sections[i].path, path) == 0)
			return true;
	return false;
}

/*
 * One row per scalar under v, named by its dotted path below name. With
 * skip_sections, the stats sections already shown are left out, so a part
 * the API adds later is still shown, under its own path.
 */
static void
nv_flatten(struct nv *nv, const char *name, json_t *v, bool skip_sections)
{
	char sub[NAME_LEN];
	const char *key;
	json_t *child;

	if (skip_sections && is_section(name))
		return;
	if (!json_is_object(v)) {
		nv_row(nv, name, v);
		return;
	}
	json_object_foreach(v, key, child)
	{
		snprintf(sub, sizeof(sub), "%s%s%s", name, *name != '\0' ? "." : "", key);
		nv_flatten(nv, sub, child, skip_sections);
	}
}

static void
nv_header(struct nv *nv)
{
	put_clean(nv->out, "NAME", SIZE_MAX, nv->width);
	fputs("  VALUE\n", nv->out);
}

int
cli_format_object(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	struct nv nv = { NULL, strlen("NAME") };

	(void)cmd;
	if (!json_is_object(resp))
		return -1;
	nv_flatten(&nv, "", resp, false);
	nv.out = out;
	nv_header(&nv);
	nv_flatten(&nv, "", resp, false);
	return 0;
}

/* The value at a dotted path of at most two parts. */
static json_t *
json_at(json_t *root, const char *path)
{
	const char *dot = strchr(path, '.');
	char first[NAME_LEN];

	if (dot == NULL)
		return json_object_get(root, path);
	snprintf(first, sizeof(first), "%.*s", (int)(dot - path), path);
	return json_object_get(json_object_get(root, first), dot + 1);
}

static void
stats_walk(struct nv *nv, json_t *resp)
{
	for (size_t i = 0; i < ARRAY_SIZE(stats_sections); i++) {
		json_t *v = json_at(resp, stats_sections[i].path);

		if (v != NULL)
			nv_flatten(nv, stats_sections[i].name, v, false);
	}
	nv_flatten(nv, "", resp, true);
}

int
cli_format_stats(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	struct nv nv = { NULL, strlen("NAME") };

	(void)cmd;
	if (!json_is_object(resp))
		return -1;
	stats_walk(&nv, resp);
	nv.out = out;
	nv_header(&nv);
	stats_walk(&nv, resp);
	return 0;
}

/* The first line of a body that is not the API's JSON, e.g. a proxy's page. */
static void
put_text(FILE *err, const char *body, size_t len)
{
	size_t n = 0;

	while (n < len && n < TEXT_MAX && body[n] != '\n' && body[n] != '\r' && body[n] != '\0')
		n++;
	while (n > 0 && (body[n - 1] == ' ' || body[n - 1] == '\t'))
		n--;
	if (n == 0) {
		fputs("request failed", err);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fputc((unsigned char)body[i] < 0x20 || body[i] == 0x7f ? '?' : body[i], err);
}

void
cli_print_error(FILE *err, long status, const char *body, size_t len)
{
	json_t *j = json_loadb(body, len, 0, NULL);
	const char *msg = json_string_value(json_object_get(j, "message"));
	const char *code = json_string_value(json_object_get(j, "code"));

	fputs("vpgctl: ", err);
	if (msg != NULL)
		put_clean(err, msg, TEXT_MAX, 0);
	else if (code != NULL)
		put_clean(err, code, TEXT_MAX, 0);
	else
		put_text(err, body, len);
	fputs(" (", err);
	if (code != NULL) {
		put_clean(err, code, TEXT_MAX, 0);
		fputs(", ", err);
	}
	fprintf(err, "HTTP %ld)\n", status);
	json_decref(j);
}

int
cli_print_response(
    FILE *out, FILE *err, const struct cli_cmd *cmd, bool as_json, const char *body, size_t len)
{
	json_error_t jerr;
	json_t *j;
	int rc = 0;

	if (len == 0)
		return 0;
	if (cmd->format == NULL) {
		fwrite(body, 1, len, out);
		return 0;
	}
	j = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
	if (j == NULL) {
		fprintf(err, "vpgctl: the answer is not JSON: %s\n", jerr.text);
		return -1;
	}
	if (as_json) {
		json_dumpf(j, out, JSON_INDENT(2) | JSON_ENCODE_ANY);
		fputc('\n', out);
	} else if ((rc = cmd->format(out, cmd, j)) < 0) {
		fprintf(err, "vpgctl: the answer has an unexpected shape\n");
	}
	json_decref(j);
	return rc;
}
