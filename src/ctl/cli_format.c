#include "ctl/cli_format.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/parse.h"

#define CELL_LEN 128
#define NAME_LEN 160
/* An error body that is not the API's JSON is shown up to this length. */
#define TEXT_MAX 200

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* clang-format off */
const struct cli_cmd cli_cmds[] = {
	{ { "status" }, "GET", "/v1/vpg", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "show the gateway's state" },
	{ { "ip-map", "list" }, "GET", "/v1/ip_address_map", { { 0 } },
	    NULL, cli_format_list, { { "KEY", "key" }, { "IP_ADDRESS", "ipAddress" } },
	    "list the fixed addresses of IMSIs" },
	{ { "ip-map", "put" }, "PUT", "/v1/ip_address_map/{key}",
	    { { NULL, "IMSI", "key", CLI_IMSI }, { NULL, "ADDRESS", "ipAddress", CLI_IPV4 } },
	    cli_body_fields, cli_format_row, { { "KEY", "key" }, { "IP_ADDRESS", "ipAddress" } },
	    "give IMSI a fixed address from its next attach" },
	{ { "ip-map", "delete" }, "DELETE", "/v1/ip_address_map/{key}",
	    { { NULL, "IMSI", "key", CLI_IMSI } },
	    NULL, cli_format_object, { { 0 } },
	    "remove the fixed address of IMSI" },
	{ { "sessions", "list" }, "GET", "/v1/sessions", { { 0 } },
	    NULL, cli_format_list,
	    { { "IMSI", "imsi" }, { "MSISDN", "msisdn" }, { "IP_ADDRESS", "ipAddress" },
	      { "APN", "apn" }, { "SGSN", "sgsnAddress" }, { "CREATED", "createdTime" },
	      { "UP_PKTS", "uplinkPackets" }, { "UP_BYTES", "uplinkBytes" },
	      { "DOWN_PKTS", "downlinkPackets" }, { "DOWN_BYTES", "downlinkBytes" } },
	    "list the sessions" },
	{ { "sessions", "get" }, "GET", "/v1/sessions/{imsi}",
	    { { NULL, "IMSI", "imsi", CLI_IMSI } },
	    NULL, cli_format_object, { { 0 } },
	    "show the session of IMSI" },
	{ { "sessions", "delete" }, "DELETE", "/v1/sessions/{imsi}",
	    { { NULL, "IMSI", "imsi", CLI_IMSI } },
	    NULL, cli_format_object, { { 0 } },
	    "end every session of IMSI, telling its SGSN" },
	{ { "stats" }, "GET", "/v1/stats", { { 0 } },
	    NULL, cli_format_stats, { { 0 } },
	    "show every counter" },
	{ { "metrics" }, "GET", "/metrics", { { 0 } },
	    NULL, NULL, { { 0 } },
	    "show every counter in Prometheus text format" },
};
/* clang-format on */
const size_t cli_ncmds = ARRAY_SIZE(cli_cmds);

enum opt_id { OPT_ENDPOINT, OPT_TOKEN, OPT_JSON, OPT_TIMEOUT, OPT_HELP };

static const struct {
	enum opt_id id;
	const char *name, *alias, *value, *help;
} opts[] = {
	{ OPT_ENDPOINT, "--endpoint", NULL, "URL",
	    "the API (default " CLI_DEFAULT_ENDPOINT ", or $VPGCTL_ENDPOINT)" },
	{ OPT_TOKEN, "--token", NULL, "TOKEN",
	    "sent as \"Authorization: Bearer TOKEN\" (default $VPGCTL_TOKEN)" },
	{ OPT_JSON, "--json", NULL, NULL, "print the API's answer as JSON" },
	{ OPT_TIMEOUT, "--timeout", NULL, "SECONDS", "give up after SECONDS (default 10)" },
	{ OPT_HELP, "--help", "-h", NULL, "show this help, or a sub-command's" },
};

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

static size_t
synopsis_len(const struct cli_cmd *c)
{
	size_t n = 0;

	for (size_t i = 0; i < CLI_MAX_WORDS && c->words[i] != NULL; i++)
		n += strlen(c->words[i]) + (i > 0);
	for (size_t i = 0; i < CLI_MAX_ARGS && c->args[i].name != NULL; i++) {
		const struct cli_arg *a = &c->args[i];

		n += 1 + strlen(a->name);
		if (a->opt != NULL)
			n += strlen(a->opt) + 1 + 2 * a->optional;
	}
	return n;
}

static void
put_synopsis(FILE *out, const struct cli_cmd *c, size_t width)
{
	for (size_t i = 0; i < CLI_MAX_WORDS && c->words[i] != NULL; i++)
		fprintf(out, "%s%s", i > 0 ? " " : "", c->words[i]);
	for (size_t i = 0; i < CLI_MAX_ARGS && c->args[i].name != NULL; i++) {
		const struct cli_arg *a = &c->args[i];

		if (a->opt == NULL)
			fprintf(out, " %s", a->name);
		else
			fprintf(out, a->optional ? " [%s %s]" : " %s %s", a->opt, a->name);
	}
	for (size_t n = synopsis_len(c); n < width; n++)
		fputc(' ', out);
}

static bool
in_group(const struct cli_cmd *c, const char *group)
{
	return group == NULL || strcmp(c->words[0], group) == 0;
}

static bool
group_exists(const char *group)
{
	for (size_t i = 0; i < cli_ncmds; i++)
		if (in_group(&cli_cmds[i], group))
			return true;
	return false;
}

void
cli_usage(FILE *out, const char *group)
{
	size_t width = 0;

	if (group != NULL && !group_exists(group))
		group = NULL;
	for (size_t i = 0; i < cli_ncmds; i++)
		if (in_group(&cli_cmds[i], group) && synopsis_len(&cli_cmds[i]) > width)
			width = synopsis_len(&cli_cmds[i]);
	fprintf(out, "Usage: vpgctl [OPTIONS] COMMAND [ARGUMENTS]\n\nCommands:\n");
	for (size_t i = 0; i < cli_ncmds; i++) {
		if (!in_group(&cli_cmds[i], group))
			continue;
		fprintf(out, "  ");
		put_synopsis(out, &cli_cmds[i], width);
		fprintf(out, "  %s\n", cli_cmds[i].help);
	}
	fprintf(out, "\nOptions, before or after the command:\n");
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		char syn[32];

		snprintf(syn, sizeof(syn), "%s%s%s%s%s", opts[i].alias ? opts[i].alias : "",
		    opts[i].alias ? ", " : "", opts[i].name, opts[i].value ? " " : "",
		    opts[i].value ? opts[i].value : "");
		fprintf(out, "  %-19s  %s\n", syn, opts[i].help);
	}
}

void
cli_usage_cmd(FILE *out, const struct cli_cmd *cmd)
{
	fprintf(out, "Usage: vpgctl [OPTIONS] ");
	put_synopsis(out, cmd, 0);
	fprintf(out, "\n  %s\n", cmd->help);
}

static int
parse_timeout(FILE *err, const char *s, long *out)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v < 1 || v > 3600) {
		fprintf(err, "vpgctl: --timeout: not a number of seconds (1 to 3600): \"%s\"\n", s);
		return -1;
	}
	*out = v;
	return 0;
}

/* A token goes into a header line: a CR or LF in it would forge another. */
static int
check_token(FILE *err, const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			fprintf(err, "vpgctl: the token must not contain control characters\n");
			return -1;
		}
	}
	return 0;
}

/* The option argv[i] names, with "--name=value" split; -1 if none. */
static int
find_opt(const char *arg, const char **inline_val)
{
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		size_t n = strlen(opts[i].name);

		*inline_val = NULL;
		if (opts[i].alias != NULL && strcmp(arg, opts[i].alias) == 0)
			return (int)i;
		if (strncmp(arg, opts[i].name, n) != 0)
			continue;
		if (arg[n] == '\0')
			return (int)i;
		if (arg[n] == '=' && opts[i].value != NULL) {
			*inline_val = arg + n + 1;
			return (int)i;
		}
	}
	return -1;
}

static int
set_opt(FILE *err, struct cli_opts *o, enum opt_id id, const char *val)
{
	switch (id) {
	case OPT_ENDPOINT:
		o->endpoint = val;
		return 0;
	case OPT_TOKEN:
		o->token = val;
		return 0;
	case OPT_TIMEOUT:
		return parse_timeout(err, val, &o->timeout);
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_HELP:
		o->help = true;
		return 0;
	}
	return -1;
}

int
cli_parse_opts(FILE *err, struct cli_opts *o, int *argc, char **argv)
{
	int kept = 0;

	for (int i = 0; i < *argc; i++) {
		const char *val;
		int k = find_opt(argv[i], &val);

		if (k < 0) {
			argv[kept++] = argv[i];
			continue;
		}
		if (opts[k].value != NULL && val == NULL) {
			if (i + 1 == *argc) {
				fprintf(err, "vpgctl: %s needs %s\n", opts[k].name, opts[k].value);
				return -1;
			}
			val = argv[++i];
		}
		if (set_opt(err, o, opts[k].id, val) < 0)
			return -1;
	}
	*argc = kept;
	/* Checked here, not in set_opt, so that $VPGCTL_TOKEN is checked too. */
	return o->token != NULL ? check_token(err, o->token) : 0;
}

const struct cli_cmd *
cli_find(int argc, char *const *argv, int *nwords)
{
	const struct cli_cmd *best = NULL;
	int best_n = 0;

	for (size_t i = 0; i < cli_ncmds; i++) {
		const struct cli_cmd *c = &cli_cmds[i];
		int n = 0;

		while (n < CLI_MAX_WORDS && c->words[n] != NULL && n < argc &&
		       strcmp(c->words[n], argv[n]) == 0)
			n++;
		if ((n == CLI_MAX_WORDS || c->words[n] == NULL) && n > best_n) {
			best = c;
			best_n = n;
		}
	}
	*nwords = best_n;
	return best;
}

static bool
utf8_valid(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

int
cli_check_arg(FILE *err, const struct cli_arg *a, const char *s)
{
	uint32_t addr;

	/* The words of the API's refusal (ctl/api_decode.c), so users learn one. */
	switch (a->kind) {
	case CLI_IMSI:
		if (parse_imsi(s) < 0) {
			fprintf(err, "vpgctl: \"%s\": not an IMSI of 6 to 15 digits (\"%s\")\n",
			    a->field, s);
			return -1;
		}
		return 0;
	case CLI_IPV4:
		if (parse_ipv4(s, &addr) < 0) {
			fprintf(err, "vpgctl: \"%s\": not an IPv4 address (\"%s\")\n", a->field, s);
			return -1;
		}
		return 0;
	case CLI_STRING:
		/* JSON carries only UTF-8; jansson refuses anything else. */
		if (!utf8_valid(s)) {
			fprintf(err, "vpgctl: \"%s\": not UTF-8 text\n", a->field);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* The index of cmd's next positional argument after *pos, or -1. */
static int
next_positional(const struct cli_cmd *cmd, int *pos)
{
	for (; *pos < CLI_MAX_ARGS && cmd->args[*pos].name != NULL; (*pos)++)
		if (cmd->args[*pos].opt == NULL)
			return (*pos)++;
	return -1;
}

static int
option_index(const struct cli_cmd *cmd, const char *arg)
{
	for (int i = 0; i < CLI_MAX_ARGS && cmd->args[i].name != NULL; i++)
		if (cmd->args[i].opt != NULL && strcmp(cmd->args[i].opt, arg) == 0)
			return i;
	return -1;
}

/* Places each word of argv; -1 on an unknown, repeated or surplus one. */
static int
place_args(const struct cli_cmd *cmd, int argc, char *const *argv, const char **vals)
{
	int pos = 0, k;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0) {
			k = option_index(cmd, argv[i]);
			if (k < 0 || vals[k] != NULL || ++i == argc)
				return -1;
		} else if ((k = next_positional(cmd, &pos)) < 0) {
			return -1;
		}
		vals[k] = argv[i];
	}
	return 0;
}

int
cli_parse_args(FILE *err, const struct cli_cmd *cmd, int argc, char *const *argv, const char **vals)
{
	int i;

	for (i = 0; i < CLI_MAX_ARGS; i++)
		vals[i] = NULL;
	if (place_args(cmd, argc, argv, vals) < 0)
		goto usage;
	for (i = 0; i < CLI_MAX_ARGS && cmd->args[i].name != NULL; i++)
		if (vals[i] == NULL && !(cmd->args[i].opt != NULL && cmd->args[i].optional))
			goto usage;
	for (i = 0; i < CLI_MAX_ARGS && cmd->args[i].name != NULL; i++)
		if (vals[i] != NULL && cli_check_arg(err, &cmd->args[i], vals[i]) < 0)
			return -1;
	return 0;
usage:
	cli_usage_cmd(err, cmd);
	return -1;
}

/* The value of the argument called field, or NULL. */
static const char *
arg_value(const struct cli_cmd *cmd, const char *const *vals, const char *field, size_t n)
{
	for (int i = 0; i < CLI_MAX_ARGS && cmd->args[i].name != NULL; i++)
		if (strlen(cmd->args[i].field) == n && strncmp(cmd->args[i].field, field, n) == 0)
			return vals[i];
	return NULL;
}

int
cli_build_path(const struct cli_cmd *cmd, const char *const *vals, char *buf, size_t len)
{
	const char *p = cmd->path, *close, *v;
	size_t used = 0, n;

	while (*p != '\0') {
		if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			v = arg_value(cmd, vals, p + 1, (size_t)(close - p - 1));
			if (v == NULL)
				return -1;
			n = strlen(v);
			p = close + 1;
		} else {
			v = p;
			n = 1;
			p++;
		}
		if (used + n >= len)
			return -1;
		memcpy(buf + used, v, n);
		used += n;
	}
	buf[used] = '\0';
	return 0;
}

static bool
in_path(const char *path, const char *field)
{
	size_t n = strlen(field);

	for (const char *p = strchr(path, '{'); p != NULL; p = strchr(p + 1, '{'))
		if (strncmp(p + 1, field, n) == 0 && p[n + 1] == '}')
			return true;
	return false;
}

json_t *
cli_body_fields(const struct cli_cmd *cmd, const char *const *vals)
{
	json_t *body = json_object();

	for (int i = 0; body != NULL && i < CLI_MAX_ARGS && cmd->args[i].name != NULL; i++) {
		if (vals[i] == NULL || in_path(cmd->path, cmd->args[i].field))
			continue;
		if (json_object_set_new(body, cmd->args[i].field, json_string(vals[i])) < 0) {
			json_decref(body);
			body = NULL;
		}
	}
	return body;
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

int
cli_format_list(FILE *out, const struct cli_cmd *cmd, json_t *resp)
{
	size_t width[CLI_MAX_COLS] = { 0 }, i;
	json_t *row, *header;

	if (!all_objects(resp) || (header = json_object()) == NULL)
		return -1;
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
