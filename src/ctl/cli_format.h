/*
 * The pure part of vpgctl: the table of sub-commands, argument checks, request
 * paths and bodies, and the tables printed from the API's answers. Nothing here
 * opens a socket or a file; output goes to the FILE given, so every line the
 * user sees can be compared byte for byte in a unit test. Arguments are
 * checked with the validators of ctl/parse.h and refused in the daemon's words.
 */
#ifndef VPG_CTL_CLI_FORMAT_H
#define VPG_CTL_CLI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_MAX_WORDS 3
#define CLI_MAX_ARGS  6
#define CLI_MAX_COLS  12
#define CLI_PATH_LEN  512

#define CLI_DEFAULT_ENDPOINT "http://127.0.0.1:8080"
#define CLI_DEFAULT_TIMEOUT  10

struct json_t;
struct cli_cmd;

/* What an argument must look like; each kind has one validator. */
enum cli_kind {
	CLI_STRING, /* anything */
	CLI_IMSI,   /* parse_imsi */
	CLI_IPV4,   /* parse_ipv4 */
};

struct cli_arg {
	const char *opt;  /* "--gateway" for an option, NULL for a positional */
	const char *name; /* the value's word in the usage: "IMSI" */
	/*
	 * The API's name: a "{field}" of the path, else a body field. Path
	 * values are not escaped, so a path argument needs a kind whose
	 * validator admits only URL-safe characters (not CLI_STRING).
	 */
	const char *field;
	enum cli_kind kind;
	bool optional; /* options only; positionals are always required */
};

struct cli_col {
	const char *header; /* "IP_ADDRESS" */
	const char *field;  /* "ipAddress"; a field ending in "Time" is shown as UTC */
};

/* One row per API call; vpgctl knows no sub-command that is not a row. */
struct cli_cmd {
	const char *words[CLI_MAX_WORDS];
	const char *method;
	const char *path;
	struct cli_arg args[CLI_MAX_ARGS]; /* ends at the first without a name */
	/* NULL: no request body. */
	struct json_t *(*body)(const struct cli_cmd *cmd, const char *const *vals);
	/* NULL: the answer is text, printed as is. */
	int (*format)(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
	struct cli_col cols[CLI_MAX_COLS]; /* for cli_format_list */
	const char *help;
};

extern const struct cli_cmd cli_cmds[];
extern const size_t cli_ncmds;

/* The global options, which may come before or after the sub-command. */
struct cli_opts {
	const char *endpoint;
	const char *token; /* NULL or "": no Authorization header */
	long timeout;	   /* seconds */
	bool json;
	bool help;
};

/*
 * Removes the global options from argv[0..*argc), shifting the rest down.
 * Returns 0, or -1 after printing why to err.
 */
int cli_parse_opts(FILE *err, struct cli_opts *o, int *argc, char **argv);

/* The row whose words begin argv, the longest if several; NULL if none. */
const struct cli_cmd *cli_find(int argc, char *const *argv, int *nwords);

/* The whole usage, or only the rows whose first word is group when any is. */
void cli_usage(FILE *out, const char *group);
void cli_usage_cmd(FILE *out, const struct cli_cmd *cmd);

/*
 * Matches argv (what follows the words) to cmd's arguments, vals[i] for
 * cmd->args[i] (NULL when an optional one is absent), and checks each value.
 * Returns 0, or -1 after printing the sub-command's usage or the bad value.
 */
int cli_parse_args(
    FILE *err, const struct cli_cmd *cmd, int argc, char *const *argv, const char **vals);
int cli_check_arg(FILE *err, const struct cli_arg *a, const char *s);

/* cmd->path with each "{field}" replaced by its value; -1 if it does not fit. */
int cli_build_path(const struct cli_cmd *cmd, const char *const *vals, char *buf, size_t len);
/* A body of every given argument that is not in the path, by field name. */
struct json_t *cli_body_fields(const struct cli_cmd *cmd, const char *const *vals);

/*
 * Answer formatters: 0, or -1 without printing anything when the answer
 * does not have the expected shape.
 */
int cli_format_object(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/* A table of cmd->cols: one row per element of an array of objects. */
int cli_format_list(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/* The same table for one object, such as the entry a PUT answers with. */
int cli_format_row(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/* NAME VALUE: one row per scalar, nested objects flattened to dotted names. */
/* NAME VALUE for /v1/stats: counters, drop.*, gtpc_rx.*, gtpc_tx.*, gtpc_tx_cause.*. */
int cli_format_stats(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);

/* Milliseconds since the epoch as "2025-11-25T10:00:00Z" (UTC, seconds). */
int cli_format_time(long long ms, char *buf, size_t len);

/* "vpgctl: MESSAGE (CODE, HTTP STATUS)", from a JSON error body or any other. */
void cli_print_error(FILE *err, long status, const char *body, size_t len);
/*
 * Prints a successful answer: nothing when empty, text as is for a row
 * without a formatter, pretty JSON when as_json, else the row's table.
 * Returns 0, or -1 after printing to err why the answer was unusable.
 */
int cli_print_response(
    FILE *out, FILE *err, const struct cli_cmd *cmd, bool as_json, const char *body, size_t len);

#endif
