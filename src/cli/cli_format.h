/*
 * What vpgctl prints from the API's answers: the tables of a row's columns,
 * NAME VALUE lists, the statistics, inspection's flows and summary, and
 * error messages. Pure: output goes to
 * the FILE given, so every line the user sees can be compared byte for byte
 * in a unit test. The rows that choose a formatter are in cli/cli_table.h.
 */
#ifndef VPG_CLI_CLI_FORMAT_H
#define VPG_CLI_CLI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json_t;
struct cli_cmd;

/*
 * Answer formatters: 0, or -1 without printing anything when the answer
 * does not have the expected shape.
 */
/* NAME VALUE: one row per scalar, nested objects flattened to dotted names. */
int cli_format_object(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/*
 * A table of cmd->cols: one row per element of an array of objects; null is
 * "-"; a CLI_COL_INDEX column shows the element's position, from 0.
 */
int cli_format_list(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/*
 * The same table for an array of scalars, such as a list of addresses: each
 * value shown in the column whose field is not CLI_COL_INDEX.
 */
int cli_format_values(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/* The same table for one object, such as the entry a PUT answers with. */
int cli_format_row(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/* NAME VALUE for /v1/stats: counters, drop.*, gtpc_rx.*, gtpc_tx.*, gtpc_tx_cause.*. */
int cli_format_stats(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/*
 * Junction inspection's flows: a table (IMSI, direction, source and
 * destination as address:port, protocol by name, application, packets,
 * bytes, last seen in UTC), then how many the table holds.
 */
int cli_format_flows(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);
/*
 * Junction inspection's summary: the window's totals, then tables of the
 * applications, the devices by IMSI and the top flows (as cli_format_flows).
 */
int cli_format_summary(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);

/*
 * SIM-based routing: whether it is enabled, then a table of one row per
 * range, IMSI and destination, in the table's order.
 */
int cli_format_sim_routes(FILE *out, const struct cli_cmd *cmd, struct json_t *resp);

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
