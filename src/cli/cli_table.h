/*
 * vpgctl's sub-commands: the one table that knows them, its usage text, and
 * the request's path and body a row makes from its arguments. Nothing here
 * opens a socket or a file; messages go to the FILE given, so a unit test
 * compares them byte for byte. The command line is read and checked against
 * a row by cli/cli_args.h, included here for vpgctl's sake; the answers are
 * printed by cli/cli_format.h.
 */
#ifndef VPG_CLI_CLI_TABLE_H
#define VPG_CLI_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/cli_args.h"

#define CLI_MAX_WORDS 3
#define CLI_ROW_ARGS  6 /* entries of a row's argument table */
/* Values of a repeated argument, at most: the routing filter's 64 rules. */
#define CLI_MAX_REPEAT 64
/*
 * Values of one command line, the size of every vals array: one per
 * argument of the row, a repeated one taking the rest.
 */
#define CLI_MAX_ARGS (CLI_ROW_ARGS + CLI_MAX_REPEAT)
#define CLI_MAX_COLS 12
#define CLI_PATH_LEN 512
/*
 * A column with this field shows the row's position in the array, from 0:
 * the "[index]" the API names a list's entries by. No API field is spelt so.
 */
#define CLI_COL_INDEX "#"

struct json_t;
struct cli_cmd;

/*
 * What an argument must look like; each kind has one validator and says the
 * JSON type the value has in a body.
 */
enum cli_kind {
	CLI_STRING, /* anything that is UTF-8 -> a string */
	CLI_IMSI,   /* parse_imsi -> a string */
	CLI_IPV4,   /* parse_ipv4 -> a string */
	CLI_INT,    /* a decimal integer within [min, max] -> a number */
	CLI_BOOL,   /* "true" or "false" -> true or false */
	/* api_parse_collector: "a.b.c.d" or "a.b.c.d:port" -> a string */
	CLI_COLLECTOR,
	/* "allow:CIDR" or "deny:CIDR" -> { "action": ..., "ipRange": CIDR } */
	CLI_FILTER_RULE,
	/* parse_dns_server: an IPv4 unicast host -> a string */
	CLI_DNS_SERVER,
	CLI_SIM_IMSI,	/* sim_routes_imsi_valid, 1 to 15 digits -> a string */
	CLI_CIDR,	/* parse_cidr, no host bits set -> a string */
	CLI_CAPTURE_ID, /* api_path_capture_id: a capture session's id -> a string */
	/* A file the answer's body is written to, not printed; never sent (its field is ""). */
	CLI_OUTPUT,
};

struct cli_arg {
	const char *opt;  /* "--gateway" for an option, NULL for a positional */
	const char *name; /* the value's word in the usage: "IMSI" */
	/*
	 * The API's name: a "{field}" of the path, else a body field, or for
	 * a row without a body a query parameter. Path and query values are
	 * not escaped, so such an argument needs a kind whose validator
	 * admits only URL-safe characters (not CLI_STRING).
	 */
	const char *field;
	enum cli_kind kind;
	/* Options, and a repeated positional that may have no value; other positionals never. */
	bool optional;
	/*
	 * CLI_INT: the range, inclusive. CLI_STRING: max is the longest value
	 * in bytes, as the API counts it; 0 for no limit.
	 */
	long long min, max;
	/*
	 * The row's last argument may be repeated, up to CLI_MAX_REPEAT values
	 * into vals[i], vals[i + 1], ..., the first unused one NULL. A
	 * positional takes every word left, one or more (none or more when
	 * optional); with no field, the body is the array of its values
	 * (cli_body_list), else cli_body_fields sends them as an array under
	 * its field. An option takes the value of each time it is given, and
	 * cli_body_fields sends them as an array under its field.
	 */
	bool repeated;
	/*
	 * Not typed but always sent: a value the API takes in one spelling
	 * only, such as a mirroring peer's "protocol": "gre". Such an
	 * argument has no opt and is left out of the usage; its name must
	 * still be set, since a row's arguments end at the first without.
	 */
	const char *fixed;
	/*
	 * An option that takes no value word: given, it stands for this
	 * value, of its kind, such as --disabled for "enabled": false. It is
	 * always optional and never repeated.
	 */
	const char *flag;
};

struct cli_col {
	const char *header; /* "IP_ADDRESS" */
	/* "ipAddress"; a field ending in "Time" is shown as UTC; or CLI_COL_INDEX */
	const char *field;
};

/* One row per API call; vpgctl knows no sub-command that is not a row. */
struct cli_cmd {
	const char *words[CLI_MAX_WORDS];
	const char *method;
	const char *path;
	struct cli_arg args[CLI_ROW_ARGS]; /* ends at the first without a name */
	/* NULL: no request body. */
	struct json_t *(*body)(const struct cli_cmd *cmd, const char *const *vals);
	/* NULL: the answer is text, printed as is. */
	int (*format)(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
	struct cli_col cols[CLI_MAX_COLS]; /* for cli_format_list */
	const char *help;
};

extern const struct cli_cmd cli_cmds[];
extern const size_t cli_ncmds;

/* The row whose words begin argv, the longest if several; NULL if none. */
const struct cli_cmd *cli_find(int argc, char *const *argv, int *nwords);

/* The whole usage, or only the rows whose first word is group when any is. */
void cli_usage(FILE *out, const char *group);
void cli_usage_cmd(FILE *out, const struct cli_cmd *cmd);

/*
 * cmd->path with each "{field}" replaced by its value and, for a row
 * without a body, the other given arguments after it as a query,
 * "?field=value&...", in the row's order; -1 if it does not fit.
 */
int cli_build_path(const struct cli_cmd *cmd, const char *const *vals, char *buf, size_t len);
/* The file a CLI_OUTPUT argument names, or NULL when the row has none or it is not given. */
const char *cli_output_file(const struct cli_cmd *cmd, const char *const *vals);
/*
 * A body of every given argument that is not in the path, a fixed one
 * included, by field name in the row's order, each value of its kind's
 * JSON type and a repeated option's values as an array; the values must
 * have passed cli_parse_args. NULL without memory.
 */
struct json_t *cli_body_fields(const struct cli_cmd *cmd, const char *const *vals);
/*
 * The body of a row whose last argument is repeated: a JSON array of its
 * values in order, each of its kind's JSON type ([] for none); the values
 * must have passed cli_parse_args. NULL without memory.
 */
struct json_t *cli_body_list(const struct cli_cmd *cmd, const char *const *vals);

#endif
