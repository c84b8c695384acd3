#include "cli/cli_args.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_decode.h"
#include "cli/cli_table.h"
#include "conf/parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
 * A decimal integer: an optional '-', then digits only (strtoll alone would
 * take spaces, '+' and hexadecimal). -EINVAL when s is no integer, -ERANGE
 * when it is one outside [min, max].
 */
static int
read_int(const char *s, long long min, long long max, long long *out)
{
	const char *digits = s + (*s == '-');
	char *end;
	long long v;

	if (*digits < '0' || *digits > '9')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int
parse_timeout(FILE *err, const char *s, long *out)
{
	long long v;

	if (read_int(s, 1, 3600, &v) < 0) {
		fprintf(err, "vpgctl: --timeout: not a number of seconds (1 to 3600): \"%s\"\n", s);
		return -1;
	}
	*out = (long)v;
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

void
cli_usage_opts(FILE *out)
{
	fprintf(out, "\nOptions, before or after the command:\n");
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		char syn[32];

		snprintf(syn, sizeof(syn), "%s%s%s%s%s", opts[i].alias ? opts[i].alias : "",
		    opts[i].alias ? ", " : "", opts[i].name, opts[i].value ? " " : "",
		    opts[i].value ? opts[i].value : "");
		fprintf(out, "  %-19s  %s\n", syn, opts[i].help);
	}
}

static bool
utf8_valid(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

static int arg_error(FILE *err, const struct cli_arg *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "vpgctl: "field": what is wrong", always -1. */
static int
arg_error(FILE *err, const struct cli_arg *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, "vpgctl: \"%s\": ", a->field);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	return -1;
}

static int
check_int(FILE *err, const struct cli_arg *a, const char *s)
{
	long long v;
	int rc = read_int(s, a->min, a->max, &v);

	if (rc == -EINVAL)
		return arg_error(err, a, "must be an integer (\"%s\")", s);
	if (rc == -ERANGE)
		return arg_error(err, a, "must be between %lld and %lld (%s)", a->min, a->max, s);
	return 0;
}

static int
check_string(FILE *err, const struct cli_arg *a, const char *s)
{
	size_t n = strlen(s);

	/* JSON carries only UTF-8; jansson refuses anything else. */
	if (!utf8_valid(s))
		return arg_error(err, a, "not UTF-8 text");
	if (a->max > 0 && n > (unsigned long long)a->max)
		return arg_error(err, a, "must be at most %lld bytes long (%zu)", a->max, n);
	return 0;
}

/* The API's own check of an id in a path, and its words. */
static int
check_capture_id(FILE *err, const struct cli_arg *a, const char *s)
{
	struct api_error e;
	char id[API_PEEK_ID_MAX + 1];

	if (api_path_capture_id(s, id, &e) == 0)
		return 0;
	return arg_error(err, a, "%s (\"%s\")", e.message, s);
}

/* "allow" or "deny" when the len bytes at s spell one, else NULL. */
static const char *
rule_action(const char *s, size_t len)
{
	if (len == 5 && strncmp(s, "allow", len) == 0)
		return "allow";
	if (len == 4 && strncmp(s, "deny", len) == 0)
		return "deny";
	return NULL;
}

/* A rule of the routing filter, named as the API names entry index of its list. */
static int
check_rule(FILE *err, const char *s, size_t index)
{
	const char *colon = strchr(s, ':');
	uint32_t net;
	uint8_t prefix;

	if (colon == NULL) {
		fprintf(err, "vpgctl: \"[%zu]\": not allow:CIDR or deny:CIDR (\"%s\")\n", index, s);
		return -1;
	}
	if (rule_action(s, (size_t)(colon - s)) == NULL) {
		fprintf(err, "vpgctl: \"[%zu].action\": must be \"allow\" or \"deny\" (\"%.*s\")\n",
		    index, (int)(colon - s), s);
		return -1;
	}
	if (parse_cidr(colon + 1, &net, &prefix) < 0) {
		fprintf(err,
		    "vpgctl: \"[%zu].ipRange\": not a CIDR range with no host bits set (\"%s\")\n",
		    index, colon + 1);
		return -1;
	}
	return 0;
}

/* An IPFIX collector, refused in the words of the API (api/api_decode_inspect.c). */
static int
check_collector(FILE *err, const struct cli_arg *a, const char *s, size_t index)
{
	struct inspect_collector c;
	int rc = api_parse_collector(s, &c);

	if (rc == -EINVAL)
		return arg_error(err, a,
		    "[%zu] is not an IPv4 address with an optional :port (\"%s\")", index, s);
	if (rc < 0)
		return arg_error(err, a, "[%zu] has a port outside 1 to 65535 (\"%s\")", index, s);
	return 0;
}

/* A DNS server, entry index of the list, refused in the words of the API (api/api_decode_dns.c). */
static int
check_dns_server(FILE *err, const char *s, size_t index)
{
	uint32_t addr;
	int rc = parse_dns_server(s, &addr);

	if (rc == -EINVAL)
		fprintf(err, "vpgctl: \"[%zu]\": not an IPv4 address (\"%s\")\n", index, s);
	else if (rc < 0)
		fprintf(err, "vpgctl: \"[%zu]\": not a unicast host address (\"%s\")\n", index, s);
	return rc < 0 ? -1 : 0;
}

/* A range of SIM-based routing, refused in the words of the API (api/api_decode_sim.c). */
static int
check_range(FILE *err, const struct cli_arg *a, const char *s, size_t index)
{
	uint32_t addr, mask;
	uint8_t len;
	char net[16];

	if (parse_prefix(s, &addr, &len) < 0)
		return arg_error(err, a, "[%zu] is not a CIDR range a.b.c.d/n (\"%s\")", index, s);
	mask = len == 0 ? 0 : htonl(~0u << (32 - len));
	if ((addr & ~mask) != 0)
		return arg_error(err, a, "[%zu] has host bits set (\"%s\"; the range is %s/%u)",
		    index, s, ipv4_str(addr & mask, net), len);
	return 0;
}

/* index: the value's place among a repeated argument's, else 0. */
static int
check_value(FILE *err, const struct cli_arg *a, const char *s, size_t index)
{
	uint32_t addr;

	/* The words of the API's refusal (api/api_decode.c), so users learn one. */
	switch (a->kind) {
	case CLI_IMSI:
		if (parse_imsi(s) == 0)
			return 0;
		return arg_error(err, a, "not an IMSI of 6 to 15 digits (\"%s\")", s);
	case CLI_IPV4:
		if (parse_ipv4(s, &addr) == 0)
			return 0;
		return arg_error(err, a, "not an IPv4 address (\"%s\")", s);
	case CLI_INT:
		return check_int(err, a, s);
	case CLI_BOOL:
		if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
			return 0;
		return arg_error(err, a, "must be true or false (\"%s\")", s);
	case CLI_STRING:
		return check_string(err, a, s);
	case CLI_FILTER_RULE:
		return check_rule(err, s, index);
	case CLI_COLLECTOR:
		return check_collector(err, a, s, index);
	case CLI_DNS_SERVER:
		return check_dns_server(err, s, index);
	case CLI_SIM_IMSI:
		if (sim_routes_imsi_valid(s))
			return 0;
		return arg_error(err, a, "not an IMSI of 1 to 15 digits (\"%s\")", s);
	case CLI_CIDR:
		return check_range(err, a, s, index);
	case CLI_CAPTURE_ID:
		return check_capture_id(err, a, s);
	case CLI_OUTPUT:
		if (s[0] != '\0')
			return 0;
		return arg_error(err, a, "must name a file");
	}
	return -1;
}

int
cli_check_arg(FILE *err, const struct cli_arg *a, const char *s)
{
	return check_value(err, a, s, 0);
}

/* The index of cmd's next positional argument after *pos, or -1; a fixed one is none. */
static int
next_positional(const struct cli_cmd *cmd, int *pos)
{
	for (; *pos < CLI_ROW_ARGS && cmd->args[*pos].name != NULL; (*pos)++)
		if (cmd->args[*pos].opt == NULL && cmd->args[*pos].fixed == NULL)
			return (*pos)++;
	return -1;
}

static int
option_index(const struct cli_cmd *cmd, const char *arg)
{
	for (int i = 0; i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++)
		if (cmd->args[i].opt != NULL && strcmp(cmd->args[i].opt, arg) == 0)
			return i;
	return -1;
}

/*
 * The entry of vals for the value of option opt: its own, or a repeated
 * one's next free entry. -1 for an unknown option or one given twice,
 * -E2BIG past CLI_MAX_REPEAT values.
 */
static int
option_slot(const struct cli_cmd *cmd, const char *opt, const char **vals)
{
	int k = option_index(cmd, opt), j = 0;

	if (k < 0)
		return -1;
	if (!cmd->args[k].repeated)
		return vals[k] == NULL ? k : -1;
	while (j < CLI_MAX_REPEAT && vals[k + j] != NULL)
		j++;
	return j < CLI_MAX_REPEAT ? k + j : -E2BIG;
}

int
cli_repeated_index(const struct cli_cmd *cmd)
{
	int i = 0;

	while (i + 1 < CLI_ROW_ARGS && cmd->args[i + 1].name != NULL)
		i++;
	return i;
}

/*
 * Places each word of argv: -1 on an unknown, repeated or surplus one,
 * -E2BIG past CLI_MAX_REPEAT values of a repeated argument.
 */
static int
place_args(const struct cli_cmd *cmd, int argc, char *const *argv, const char **vals)
{
	int pos = 0, k, rep = -1, nrep = 0;

	for (int i = 0; i < argc; i++) {
		/* A short option ("-o") only where the row has one so spelt. */
		if (strncmp(argv[i], "--", 2) == 0 || option_index(cmd, argv[i]) >= 0) {
			if ((k = option_slot(cmd, argv[i], vals)) < 0)
				return k;
			/* A flag stands for its value; the next word is not its. */
			vals[k] = cmd->args[option_index(cmd, argv[i])].flag;
			if (vals[k] != NULL)
				continue;
			if (++i == argc)
				return -1;
		} else if (rep >= 0) {
			if (nrep == CLI_MAX_REPEAT)
				return -E2BIG;
			k = rep + nrep++;
		} else if ((k = next_positional(cmd, &pos)) < 0) {
			return -1;
		} else if (cmd->args[k].repeated) {
			rep = k;
			nrep = 1;
		}
		vals[k] = argv[i];
	}
	return 0;
}

/* An option marked optional, or a repeated positional so marked, which may have no value. */
static bool
arg_optional(const struct cli_arg *a)
{
	return a->opt != NULL ? a->optional || a->flag != NULL : a->repeated && a->optional;
}

/* Every value of a, at v: one, or each of a repeated argument's. */
static int
check_values(FILE *err, const struct cli_arg *a, const char *const *v)
{
	size_t n = a->repeated ? CLI_MAX_REPEAT : 1;

	for (size_t j = 0; j < n && v[j] != NULL; j++)
		if (check_value(err, a, v[j], j) < 0)
			return -1;
	return 0;
}

int
cli_parse_args(FILE *err, const struct cli_cmd *cmd, int argc, char *const *argv, const char **vals)
{
	int i, rc;

	for (i = 0; i < CLI_MAX_ARGS; i++)
		vals[i] = NULL;
	for (i = 0; i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++)
		vals[i] = cmd->args[i].fixed;
	rc = place_args(cmd, argc, argv, vals);
	if (rc == -E2BIG) {
		fprintf(err, "vpgctl: at most %d %s arguments\n", CLI_MAX_REPEAT,
		    cmd->args[cli_repeated_index(cmd)].name);
		return -1;
	}
	if (rc < 0)
		goto usage;
	for (i = 0; i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++)
		if (vals[i] == NULL && !arg_optional(&cmd->args[i]))
			goto usage;
	for (i = 0; i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++)
		if (check_values(err, &cmd->args[i], vals + i) < 0)
			return -1;
	return 0;
usage:
	cli_usage_cmd(err, cmd);
	return -1;
}

/* "deny:10.0.0.0/8" as the API's { "action": "deny", "ipRange": "10.0.0.0/8" }. */
static json_t *
rule_json(const char *v)
{
	const char *colon = strchr(v, ':');
	const char *action = colon != NULL ? rule_action(v, (size_t)(colon - v)) : NULL;

	if (action == NULL)
		return NULL;
	return json_pack("{s:s,s:s}", "action", action, "ipRange", colon + 1);
}

json_t *
cli_arg_json(const struct cli_arg *a, const char *v)
{
	long long n;

	switch (a->kind) {
	case CLI_INT:
		return read_int(v, a->min, a->max, &n) == 0 ? json_integer(n) : NULL;
	case CLI_BOOL:
		return json_boolean(strcmp(v, "true") == 0);
	case CLI_FILTER_RULE:
		return rule_json(v);
	case CLI_STRING:
	case CLI_IMSI:
	case CLI_IPV4:
	case CLI_COLLECTOR:
	case CLI_DNS_SERVER:
	case CLI_SIM_IMSI:
	case CLI_CIDR:
	case CLI_CAPTURE_ID:
	case CLI_OUTPUT:
		break;
	}
	return json_string(v);
}
