/*
 * vpgctl's command line, word by word: the global options, and the
 * arguments of a sub-command placed and checked against its row of
 * cli/cli_table.h. Values are checked with the validators of conf/parse.h and
 * refused in the daemon's words; messages go to the FILE given, so a unit
 * test compares them byte for byte.
 */
#ifndef VPG_CLI_CLI_ARGS_H
#define VPG_CLI_CLI_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#define CLI_DEFAULT_ENDPOINT "http://127.0.0.1:8080"
#define CLI_DEFAULT_TIMEOUT  10

struct json_t;
struct cli_arg;
struct cli_cmd;

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
/* The usage's last part: a heading and one line per global option. */
void cli_usage_opts(FILE *out);

/*
 * Matches argv (what follows the words) to cmd's arguments, vals[i] for
 * cmd->args[i] (NULL when an optional one is absent; a repeated one fills
 * the rest; a fixed one, or a flag given, is its value), and checks each
 * value. vals has
 * CLI_MAX_ARGS entries. Returns 0, or -1 after printing the sub-command's
 * usage or the bad value.
 */
int cli_parse_args(
    FILE *err, const struct cli_cmd *cmd, int argc, char *const *argv, const char **vals);
/* A repeated argument's value is named by its index, "[index]"; this is [0]. */
int cli_check_arg(FILE *err, const struct cli_arg *a, const char *s);

/*
 * A value that passed cli_check_arg, as its kind's JSON type ("vxlanId": 10,
 * not "10"); NULL without memory.
 */
struct json_t *cli_arg_json(const struct cli_arg *a, const char *v);
/* The index of cmd's last argument, the one that may be repeated. */
int cli_repeated_index(const struct cli_cmd *cmd);

#endif
