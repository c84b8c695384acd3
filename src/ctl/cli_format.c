#include "ctl/cli_format.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/cli_table.h"

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
put_row(FILE *out, const struct cli_cmd *cmd, json_t *row, const size_t *width)
{
	char buf[CELL_LEN];

	for (int c = 0; c < CLI_MAX_COLS && cmd->cols[c].header != NULL; c++) {
		const char *f = cmd->cols[c].field;
		bool last = c + 1 == CLI_MAX_COLS || cmd->cols[c + 1].header == NULL;

		if (c > 0)
			fputs("  ", out);
		put_clean(out, cell_text(json_object_get(row, f), f, buf, sizeof(buf)), SIZE_MAX,
		    last ? 0 : width[c]);
	}
	fputc('\n', out);
}

/* The widths of cmd's columns over rows, headers included. */
static void
list_widths(const struct cli_cmd *cmd, json_t *rows, size_t *width)
{
	char buf[CELL_LEN];
	json_t *row;
	size_t i, n;

	for (int c = 0; c < CLI_MAX_COLS && cmd->cols[c].header != NULL; c++) {
		const char *f = cmd->cols[c].field;

		width[c] = strlen(cmd->cols[c].header);
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

int
cli_format_list(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	size_t width[CLI_MAX_COLS] = { 0 }, i;
	json_t *row, *header;

	if (!all_objects(resp) || (resp = indexed_rows(cmd, resp)) == NULL)
		return -1;
	if ((header = json_object()) == NULL) {
		json_decref(resp);
		return -1;
	}
	/* The header is a row whose every field holds its column's title. */
	for (int c = 0; c < CLI_MAX_COLS && cmd->cols[c].header != NULL; c++)
		json_object_set_new(header, cmd->cols[c].field, json_string(cmd->cols[c].header));
	list_widths(cmd, resp, width);
	put_row(out, cmd, header, width);
	json_array_foreach(resp, i, row)
	{
		put_row(out, cmd, row, width);
	}
	json_decref(header);
	json_decref(resp);
	return 0;
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
