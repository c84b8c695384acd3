/*
 * Unit tests for vpgctl's pure part (src/ctl/cli_format.c): the sub-command
 * table, argument checks, request paths and bodies, and every line printed
 * from an answer. Output goes to a memory stream and is compared in full, so
 * a change of one space shows. Answers are the examples of docs/API.md; times
 * are fixed epoch milliseconds, printed in UTC whatever the machine's zone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ctl/cli_format.h"

struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static void
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

/* What was written so far, NUL-terminated. */
static const char *
mem_text(struct mem *m)
{
	fflush(m->f);
	return m->buf;
}

static void
mem_close(struct mem *m)
{
	fclose(m->f);
	free(m->buf);
}

static json_t *
load(const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);

	assert_non_null(j);
	return j;
}

/* The row for "w1 w2", which the test expects to exist. */
static const struct cli_cmd *
cmd_of(const char *w1, const char *w2)
{
	char *argv[2] = { (char *)w1, (char *)w2 };
	const struct cli_cmd *c;
	int n;

	c = cli_find(w2 != NULL ? 2 : 1, argv, &n);
	assert_non_null(c);
	assert_int_equal(n, w2 != NULL ? 2 : 1);
	return c;
}

/* Runs fmt over the JSON text and compares the whole output. */
static void
check_format(int (*fmt)(FILE *, const struct cli_cmd *, json_t *), const struct cli_cmd *cmd,
    const char *json, int want_rc, const char *want)
{
	json_t *j = load(json);
	struct mem m;

	mem_open(&m);
	assert_int_equal(fmt(m.f, cmd, j), want_rc);
	assert_string_equal(mem_text(&m), want);
	mem_close(&m);
	json_decref(j);
}

/* A row with options, as the gate and junction commands will have. */
static const struct cli_cmd opt_cmd = {
	{ "redirection", "set" },
	"PUT",
	"/v1/junction/redirection",
	{ { "--gateway", "ADDRESS", "gateway", CLI_IPV4 },
	    { "--description", "TEXT", "description", CLI_STRING, true } },
	cli_body_fields,
	cli_format_object,
	{ { 0 } },
	"send the devices' traffic to a gateway",
};

static const char session_json[] =
    "{ \"imsi\": \"999010000000001\", \"msisdn\": \"46702123456\", \"ipAddress\": "
    "\"10.10.0.2\", \"apn\": \"internet\", \"nsapi\": 5, \"teid\": 2884911115, "
    "\"sgsnTeidData\": 1, \"sgsnTeidControl\": 1, \"sgsnAddress\": \"192.0.2.11\", "
    "\"sgsnDataAddress\": \"192.0.2.11\", \"createdTime\": 1764064800000, "
    "\"uplinkPackets\": 3, \"uplinkBytes\": 252, \"downlinkPackets\": 3, "
    "\"downlinkBytes\": 252 }";

static void
test_cli_format_list_ip_map_columns_aligned(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map", "list"),
	    "[ { \"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\" },"
	    "  { \"key\": \"123456\", \"ipAddress\": \"10.10.255.254\" } ]",
	    0,
	    "KEY              IP_ADDRESS\n"
	    "999010000000001  10.10.0.50\n"
	    "123456           10.10.255.254\n");
}

static void
test_cli_format_list_empty_array_header_only(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map", "list"), "[]", 0, "KEY  IP_ADDRESS\n");
}

static void
test_cli_format_list_object_fails_silently(void **state)
{
	(void)state;
	check_format(
	    cli_format_list, cmd_of("sessions", "list"), "{ \"imsi\": \"123456\" }", -1, "");
}

static void
test_cli_format_row_put_answer_one_row(void **state)
{
	(void)state;
	check_format(cli_format_row, cmd_of("ip-map", "put"),
	    "{ \"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\" }", 0,
	    "KEY              IP_ADDRESS\n"
	    "999010000000001  10.10.0.50\n");
}

static void
test_cli_format_row_array_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_row, cmd_of("ip-map", "put"), "[]", -1, "");
}

static void
test_cli_format_list_sessions_created_utc(void **state)
{
	char json[1024];

	(void)state;
	snprintf(json, sizeof(json), "[ %s ]", session_json);
	check_format(cli_format_list, cmd_of("sessions", "list"), json, 0,
	    "IMSI             MSISDN       IP_ADDRESS  APN       SGSN        CREATED        "
	    "       UP_PKTS  UP_BYTES  DOWN_PKTS  DOWN_BYTES\n"
	    "999010000000001  46702123456  10.10.0.2   internet  192.0.2.11  "
	    "2025-11-25T10:00:00Z  3        252       3          252\n");
}

static void
test_cli_format_list_missing_or_empty_field_dash(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map", "list"),
	    "[ { \"key\": \"\" }, { \"ipAddress\": null } ]", 0,
	    "KEY  IP_ADDRESS\n"
	    "-    -\n"
	    "-    -\n");
}

static void
test_cli_format_list_control_chars_replaced(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map", "list"),
	    "[ { \"key\": \"a\\u001b[2Jb\", \"ipAddress\": \"x\\ny\" } ]", 0,
	    "KEY     IP_ADDRESS\n"
	    "a?[2Jb  x?y\n");
}

static void
test_cli_format_list_not_array_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map", "list"), "42", -1, "");
}

static void
test_cli_format_list_non_object_element_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map", "list"),
	    "[ { \"key\": \"123456\" }, \"x\" ]", -1, "");
}

static void
test_cli_format_object_status_name_value(void **state)
{
	(void)state;
	check_format(cli_format_object, cmd_of("status", NULL),
	    "{ \"status\": \"running\", \"deviceSubnetCidrRange\": \"10.10.0.0/16\", "
	    "\"gatewayAddress\": \"10.10.0.1\", \"gtpAddress\": \"192.0.2.1\", "
	    "\"gateAddress\": \"192.0.2.1\", \"restartCounter\": 3, \"sessionCount\": 2, "
	    "\"addressesInUse\": 2, \"addressCapacity\": 65533, \"startedTime\": 1764064800000 }",
	    0,
	    "NAME                   VALUE\n"
	    "status                 running\n"
	    "deviceSubnetCidrRange  10.10.0.0/16\n"
	    "gatewayAddress         10.10.0.1\n"
	    "gtpAddress             192.0.2.1\n"
	    "gateAddress            192.0.2.1\n"
	    "restartCounter         3\n"
	    "sessionCount           2\n"
	    "addressesInUse         2\n"
	    "addressCapacity        65533\n"
	    "startedTime            2025-11-25T10:00:00Z\n");
}

static void
test_cli_format_object_session_created_utc(void **state)
{
	(void)state;
	check_format(cli_format_object, cmd_of("sessions", "get"), session_json, 0,
	    "NAME             VALUE\n"
	    "imsi             999010000000001\n"
	    "msisdn           46702123456\n"
	    "ipAddress        10.10.0.2\n"
	    "apn              internet\n"
	    "nsapi            5\n"
	    "teid             2884911115\n"
	    "sgsnTeidData     1\n"
	    "sgsnTeidControl  1\n"
	    "sgsnAddress      192.0.2.11\n"
	    "sgsnDataAddress  192.0.2.11\n"
	    "createdTime      2025-11-25T10:00:00Z\n"
	    "uplinkPackets    3\n"
	    "uplinkBytes      252\n"
	    "downlinkPackets  3\n"
	    "downlinkBytes    252\n");
}

static void
test_cli_format_object_nested_dotted_and_compact(void **state)
{
	(void)state;
	check_format(cli_format_object, cmd_of("status", NULL),
	    "{ \"gate\": { \"open\": true, \"vxlanId\": 10 }, \"collectors\": [\"a\", 1],"
	    " \"ratio\": 0.5, \"note\": null }",
	    0,
	    "NAME          VALUE\n"
	    "gate.open     true\n"
	    "gate.vxlanId  10\n"
	    "collectors    [\"a\",1]\n"
	    "ratio         0.5\n"
	    "note          -\n");
}

static void
test_cli_format_object_array_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_object, cmd_of("status", NULL), "[ {} ]", -1, "");
}

static void
test_cli_format_stats_sections_in_order(void **state)
{
	(void)state;
	/* Sections given out of order: the table's order does not follow the API's. */
	check_format(cli_format_stats, cmd_of("stats", NULL),
	    "{ \"sessions\": 1,"
	    "  \"gtpc\": { \"txCause\": { \"128\": 1 }, \"tx\": { \"create_pdp_context_response\": "
	    "1 },"
	    "            \"rx\": { \"create_pdp_context_request\": 1 } },"
	    "  \"drops\": { \"uplink_spoofed_source\": 0, \"gtpu_unknown_teid\": 2 },"
	    "  \"counters\": { \"uplink_packets\": 3, \"downlink_packets\": 0 } }",
	    0,
	    "NAME                                 VALUE\n"
	    "uplink_packets                       3\n"
	    "downlink_packets                     0\n"
	    "drop.uplink_spoofed_source           0\n"
	    "drop.gtpu_unknown_teid               2\n"
	    "gtpc_rx.create_pdp_context_request   1\n"
	    "gtpc_tx.create_pdp_context_response  1\n"
	    "gtpc_tx_cause.128                    1\n"
	    "sessions                             1\n");
}

static void
test_cli_format_stats_unknown_parts_dotted_last(void **state)
{
	(void)state;
	check_format(cli_format_stats, cmd_of("stats", NULL),
	    "{ \"counters\": { \"a\": 1 }, \"gate\": { \"peers\": 2 },"
	    "  \"gtpc\": { \"rx\": { \"echo_request\": 4 }, \"rxCause\": { \"192\": 5 } },"
	    "  \"uptime\": 7 }",
	    0,
	    "NAME                  VALUE\n"
	    "a                     1\n"
	    "gtpc_rx.echo_request  4\n"
	    "gate.peers            2\n"
	    "gtpc.rxCause.192      5\n"
	    "uptime                7\n");
}

static void
test_cli_format_stats_not_object_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_stats, cmd_of("stats", NULL), "[]", -1, "");
}

static void
test_cli_format_time_api_example_utc(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(cli_format_time(1764064800000LL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2025-11-25T10:00:00Z");
}

static void
test_cli_format_time_milliseconds_truncated(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(cli_format_time(1764064800999LL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2025-11-25T10:00:00Z");
}

static void
test_cli_format_time_before_epoch_floored(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(cli_format_time(-1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void
test_cli_format_time_short_buffer_fails(void **state)
{
	char buf[20];

	(void)state;
	assert_int_equal(cli_format_time(0, buf, sizeof(buf)), -1);
}

static void
test_cli_find_two_words_row(void **state)
{
	char *argv[] = { "sessions", "get", "999010000000001" };
	const struct cli_cmd *c;
	int n = -1;

	(void)state;
	c = cli_find(3, argv, &n);
	assert_non_null(c);
	assert_int_equal(n, 2);
	assert_string_equal(c->method, "GET");
	assert_string_equal(c->path, "/v1/sessions/{imsi}");
}

static void
test_cli_find_unknown_word_null(void **state)
{
	char *argv[] = { "sesions", "list" };
	int n = -1;

	(void)state;
	assert_null(cli_find(2, argv, &n));
	assert_int_equal(n, 0);
}

static void
test_cli_find_group_word_alone_null(void **state)
{
	char *argv[] = { "ip-map" };
	int n = -1;

	(void)state;
	assert_null(cli_find(1, argv, &n));
}

static void
test_cli_find_no_words_null(void **state)
{
	int n = -1;

	(void)state;
	assert_null(cli_find(0, NULL, &n));
}

/* Runs cli_parse_args on words for cmd and compares what it printed. */
static int
parse_args(const struct cli_cmd *cmd, int argc, char **argv, const char **vals, const char *err)
{
	struct mem m;
	int rc;

	mem_open(&m);
	rc = cli_parse_args(m.f, cmd, argc, argv, vals);
	assert_string_equal(mem_text(&m), err);
	mem_close(&m);
	return rc;
}

static void
test_cli_parse_args_ip_map_put_values_placed(void **state)
{
	char *argv[] = { "999010000000001", "10.10.0.50" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("ip-map", "put"), 2, argv, vals, ""), 0);
	assert_string_equal(vals[0], "999010000000001");
	assert_string_equal(vals[1], "10.10.0.50");
	assert_null(vals[2]);
}

static void
test_cli_parse_args_short_imsi_names_key(void **state)
{
	char *argv[] = { "12345", "10.10.0.50" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("ip-map", "put"), 2, argv, vals,
			     "vpgctl: \"key\": not an IMSI of 6 to 15 digits (\"12345\")\n"),
	    -1);
}

static void
test_cli_parse_args_bad_address_names_ip_address(void **state)
{
	char *argv[] = { "999010000000001", "10.10.0" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("ip-map", "put"), 2, argv, vals,
			     "vpgctl: \"ipAddress\": not an IPv4 address (\"10.10.0\")\n"),
	    -1);
}

static void
test_cli_parse_args_long_imsi_names_imsi(void **state)
{
	char *argv[] = { "9990100000000012" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("sessions", "delete"), 1, argv, vals,
		"vpgctl: \"imsi\": not an IMSI of 6 to 15 digits (\"9990100000000012\")\n"),
	    -1);
}

static void
test_cli_parse_args_missing_prints_usage(void **state)
{
	char *argv[] = { "999010000000001" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("ip-map", "put"), 1, argv, vals,
			     "Usage: vpgctl [OPTIONS] ip-map put IMSI ADDRESS\n"
			     "  give IMSI a fixed address from its next attach\n"),
	    -1);
}

static void
test_cli_parse_args_extra_prints_usage(void **state)
{
	char *argv[] = { "extra" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("stats", NULL), 1, argv, vals,
			     "Usage: vpgctl [OPTIONS] stats\n  show every counter\n"),
	    -1);
}

static void
test_cli_parse_args_unknown_option_prints_usage(void **state)
{
	char *argv[] = { "--imsi", "999010000000001" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("sessions", "get"), 2, argv, vals,
		"Usage: vpgctl [OPTIONS] sessions get IMSI\n  show the session of IMSI\n"),
	    -1);
}

static void
test_cli_parse_args_options_any_order_placed(void **state)
{
	char *argv[] = { "--description", "lab", "--gateway", "10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(&opt_cmd, 4, argv, vals, ""), 0);
	assert_string_equal(vals[0], "10.10.10.10");
	assert_string_equal(vals[1], "lab");
}

static void
test_cli_parse_args_optional_option_absent_null(void **state)
{
	char *argv[] = { "--gateway", "10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(&opt_cmd, 2, argv, vals, ""), 0);
	assert_string_equal(vals[0], "10.10.10.10");
	assert_null(vals[1]);
}

static void
test_cli_parse_args_required_option_absent_prints_usage(void **state)
{
	char *argv[] = { "--description", "lab" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(&opt_cmd, 2, argv, vals,
			     "Usage: vpgctl [OPTIONS] redirection set --gateway ADDRESS "
			     "[--description TEXT]\n"
			     "  send the devices' traffic to a gateway\n"),
	    -1);
}

static void
test_cli_parse_args_option_without_value_prints_usage(void **state)
{
	char *argv[] = { "--gateway" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(&opt_cmd, 1, argv, vals,
			     "Usage: vpgctl [OPTIONS] redirection set --gateway ADDRESS "
			     "[--description TEXT]\n"
			     "  send the devices' traffic to a gateway\n"),
	    -1);
}

static void
test_cli_parse_args_repeated_option_prints_usage(void **state)
{
	char *argv[] = { "--gateway", "10.0.0.1", "--gateway", "10.0.0.2" };
	const char *vals[CLI_MAX_ARGS];
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_parse_args(m.f, &opt_cmd, 4, argv, vals), -1);
	assert_non_null(strstr(mem_text(&m), "Usage: vpgctl [OPTIONS] redirection set"));
	mem_close(&m);
}

static int
check_arg(enum cli_kind kind, const char *s, const char *err)
{
	const struct cli_arg a = { NULL, "X", "f", kind };
	struct mem m;
	int rc;

	mem_open(&m);
	rc = cli_check_arg(m.f, &a, s);
	assert_string_equal(mem_text(&m), err);
	mem_close(&m);
	return rc;
}

static void
test_cli_check_arg_imsi_6_and_15_digits_accepted(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_IMSI, "123456", ""), 0);
	assert_int_equal(check_arg(CLI_IMSI, "999010000000001", ""), 0);
}

static void
test_cli_check_arg_imsi_non_digit_refused(void **state)
{
	(void)state;
	assert_int_equal(
	    check_arg(CLI_IMSI, "99901000000000x",
		"vpgctl: \"f\": not an IMSI of 6 to 15 digits (\"99901000000000x\")\n"),
	    -1);
	assert_int_equal(
	    check_arg(CLI_IMSI, "", "vpgctl: \"f\": not an IMSI of 6 to 15 digits (\"\")\n"), -1);
}

static void
test_cli_check_arg_ipv4_dotted_quad_accepted(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_IPV4, "10.10.0.50", ""), 0);
}

static void
test_cli_check_arg_ipv4_bad_refused(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_IPV4, "10.10.0.256",
			     "vpgctl: \"f\": not an IPv4 address (\"10.10.0.256\")\n"),
	    -1);
	assert_int_equal(check_arg(CLI_IPV4, "10.10.0.1 ",
			     "vpgctl: \"f\": not an IPv4 address (\"10.10.0.1 \")\n"),
	    -1);
}

static void
test_cli_check_arg_string_utf8_accepted(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_STRING, "", ""), 0);
	assert_int_equal(check_arg(CLI_STRING, "caf\xc3\xa9 \"lab\"", ""), 0);
}

static void
test_cli_check_arg_string_not_utf8_refused(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_STRING, "caf\xe9", "vpgctl: \"f\": not UTF-8 text\n"), -1);
}

static void
test_cli_build_path_imsi_substituted(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "999010000000001", "10.10.0.50" };
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("ip-map", "put"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/ip_address_map/999010000000001");
}

static void
test_cli_build_path_no_parameter_unchanged(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { NULL };
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("metrics", NULL), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/metrics");
}

static void
test_cli_build_path_too_long_fails(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "999010000000001" };
	char path[sizeof("/v1/sessions/999010000000001") - 1];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("sessions", "get"), vals, path, sizeof(path)), -1);
}

static void
check_body(const struct cli_cmd *cmd, const char *const *vals, const char *want)
{
	json_t *j = cli_body_fields(cmd, vals);
	char *text;

	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT);
	assert_string_equal(text, want);
	free(text);
	json_decref(j);
}

static void
test_cli_body_fields_ip_map_put_address_only(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "999010000000001", "10.10.0.50" };

	(void)state;
	check_body(cmd_of("ip-map", "put"), vals, "{\"ipAddress\":\"10.10.0.50\"}");
}

static void
test_cli_body_fields_absent_option_omitted(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "10.10.10.10", NULL };

	(void)state;
	check_body(&opt_cmd, vals, "{\"gateway\":\"10.10.10.10\"}");
}

static void
test_cli_body_fields_every_option_by_field(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "10.10.10.10", "lab \"A\"" };

	(void)state;
	check_body(
	    &opt_cmd, vals, "{\"gateway\":\"10.10.10.10\",\"description\":\"lab \\\"A\\\"\"}");
}

/* Runs cli_parse_opts over argv and compares what it printed. */
static int
parse_opts(struct cli_opts *o, int *argc, char **argv, const char *err)
{
	struct mem m;
	int rc;

	o->endpoint = CLI_DEFAULT_ENDPOINT;
	o->token = NULL;
	o->timeout = CLI_DEFAULT_TIMEOUT;
	o->json = o->help = false;
	mem_open(&m);
	rc = cli_parse_opts(m.f, o, argc, argv);
	assert_string_equal(mem_text(&m), err);
	mem_close(&m);
	return rc;
}

static void
test_cli_parse_opts_before_and_after_removed(void **state)
{
	char *argv[] = { "--endpoint", "http://h:1", "--json", "sessions", "get", "--token", "t",
		"999010000000001", "--timeout", "3" };
	struct cli_opts o;
	int argc = 10;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv, ""), 0);
	assert_int_equal(argc, 3);
	assert_string_equal(argv[0], "sessions");
	assert_string_equal(argv[1], "get");
	assert_string_equal(argv[2], "999010000000001");
	assert_string_equal(o.endpoint, "http://h:1");
	assert_string_equal(o.token, "t");
	assert_int_equal(o.timeout, 3);
	assert_true(o.json);
	assert_false(o.help);
}

static void
test_cli_parse_opts_equals_form_accepted(void **state)
{
	char *argv[] = { "--endpoint=http://h:2", "--timeout=60", "stats" };
	struct cli_opts o;
	int argc = 3;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv, ""), 0);
	assert_int_equal(argc, 1);
	assert_string_equal(o.endpoint, "http://h:2");
	assert_int_equal(o.timeout, 60);
}

static void
test_cli_parse_opts_short_help_set(void **state)
{
	char *argv[] = { "ip-map", "-h" };
	struct cli_opts o;
	int argc = 2;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv, ""), 0);
	assert_int_equal(argc, 1);
	assert_true(o.help);
}

static void
test_cli_parse_opts_command_option_kept(void **state)
{
	char *argv[] = { "redirection", "set", "--gateway", "10.10.10.10" };
	struct cli_opts o;
	int argc = 4;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv, ""), 0);
	assert_int_equal(argc, 4);
	assert_string_equal(argv[2], "--gateway");
}

static void
test_cli_parse_opts_missing_value_fails(void **state)
{
	char *argv[] = { "stats", "--endpoint" };
	struct cli_opts o;
	int argc = 2;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv, "vpgctl: --endpoint needs URL\n"), -1);
}

static void
test_cli_parse_opts_zero_timeout_fails(void **state)
{
	char *argv[] = { "--timeout", "0", "stats" };
	struct cli_opts o;
	int argc = 3;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv,
			     "vpgctl: --timeout: not a number of seconds (1 to 3600): \"0\"\n"),
	    -1);
}

static void
test_cli_parse_opts_signed_timeout_fails(void **state)
{
	char *argv[] = { "--timeout", "+5", "stats" };
	struct cli_opts o;
	int argc = 3;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv,
			     "vpgctl: --timeout: not a number of seconds (1 to 3600): \"+5\"\n"),
	    -1);
}

static void
test_cli_parse_opts_token_newline_fails(void **state)
{
	char *argv[] = { "--token", "a\r\nX-Evil: 1", "stats" };
	struct cli_opts o;
	int argc = 3;

	(void)state;
	assert_int_equal(
	    parse_opts(&o, &argc, argv, "vpgctl: the token must not contain control characters\n"),
	    -1);
}

/* The synopsis of row c as the usage prints it: its words and arguments. */
static void
synopsis(const struct cli_cmd *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < CLI_MAX_WORDS && c->words[i] != NULL; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", c->words[i]);
	for (int i = 0; i < CLI_MAX_ARGS && c->args[i].name != NULL; i++) {
		const struct cli_arg *a = &c->args[i];

		if (a->opt == NULL)
			used += (size_t)snprintf(buf + used, len - used, " %s", a->name);
		else
			used += (size_t)snprintf(buf + used, len - used,
			    a->optional ? " [%s %s]" : " %s %s", a->opt, a->name);
	}
}

static void
test_cli_usage_all_lists_every_command(void **state)
{
	char syn[128], line[256];
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, NULL);
	for (size_t i = 0; i < cli_ncmds; i++) {
		synopsis(&cli_cmds[i], syn, sizeof(syn));
		snprintf(line, sizeof(line), "\n  %s ", syn);
		assert_non_null(strstr(mem_text(&m), line));
		assert_non_null(strstr(mem_text(&m), cli_cmds[i].help));
	}
	mem_close(&m);
}

static void
test_cli_usage_all_exact_text(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, NULL);
	assert_string_equal(mem_text(&m),
	    "Usage: vpgctl [OPTIONS] COMMAND [ARGUMENTS]\n"
	    "\n"
	    "Commands:\n"
	    "  status                   show the gateway's state\n"
	    "  ip-map list              list the fixed addresses of IMSIs\n"
	    "  ip-map put IMSI ADDRESS  give IMSI a fixed address from its next attach\n"
	    "  ip-map delete IMSI       remove the fixed address of IMSI\n"
	    "  sessions list            list the sessions\n"
	    "  sessions get IMSI        show the session of IMSI\n"
	    "  sessions delete IMSI     end every session of IMSI, telling its SGSN\n"
	    "  stats                    show every counter\n"
	    "  metrics                  show every counter in Prometheus text format\n"
	    "\n"
	    "Options, before or after the command:\n"
	    "  --endpoint URL       the API (default http://127.0.0.1:8080, or $VPGCTL_ENDPOINT)\n"
	    "  --token TOKEN        sent as \"Authorization: Bearer TOKEN\" (default "
	    "$VPGCTL_TOKEN)\n"
	    "  --json               print the API's answer as JSON\n"
	    "  --timeout SECONDS    give up after SECONDS (default 10)\n"
	    "  -h, --help           show this help, or a sub-command's\n");
	mem_close(&m);
}

static void
test_cli_usage_group_only_its_rows(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "sessions");
	assert_non_null(strstr(mem_text(&m),
	    "Commands:\n"
	    "  sessions list         list the sessions\n"
	    "  sessions get IMSI     show the session of IMSI\n"
	    "  sessions delete IMSI  end every session of IMSI, telling its SGSN\n"
	    "\n"));
	assert_null(strstr(mem_text(&m), "ip-map"));
	mem_close(&m);
}

static void
test_cli_usage_unknown_group_lists_all(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "bogus");
	assert_non_null(strstr(mem_text(&m), "\n  status "));
	assert_non_null(strstr(mem_text(&m), "\n  metrics "));
	mem_close(&m);
}

static void
check_error(long status, const char *body, const char *want)
{
	struct mem m;

	mem_open(&m);
	cli_print_error(m.f, status, body, strlen(body));
	assert_string_equal(mem_text(&m), want);
	mem_close(&m);
}

static void
test_cli_print_error_api_body_message_code_status(void **state)
{
	(void)state;
	check_error(400,
	    "{ \"code\": \"invalid_field\", \"message\": \"\\\"ipAddress\\\": not inside the "
	    "device subnet 10.10.0.0/16\", \"field\": \"ipAddress\" }",
	    "vpgctl: \"ipAddress\": not inside the device subnet 10.10.0.0/16 "
	    "(invalid_field, HTTP 400)\n");
}

static void
test_cli_print_error_code_only_code_as_message(void **state)
{
	(void)state;
	check_error(
	    401, "{\"code\":\"unauthorized\"}", "vpgctl: unauthorized (unauthorized, HTTP 401)\n");
}

static void
test_cli_print_error_non_json_first_line(void **state)
{
	(void)state;
	check_error(
	    502, "Bad Gateway  \r\n<html>ignored</html>\n", "vpgctl: Bad Gateway (HTTP 502)\n");
}

static void
test_cli_print_error_empty_body_request_failed(void **state)
{
	(void)state;
	check_error(500, "", "vpgctl: request failed (HTTP 500)\n");
}

static void
test_cli_print_error_control_chars_replaced(void **state)
{
	(void)state;
	check_error(409, "{\"code\":\"conflict\",\"message\":\"a\\nb\\u001b\"}",
	    "vpgctl: a?b? (conflict, HTTP 409)\n");
}

/* Runs cli_print_response and compares both streams. */
static int
print_response(const struct cli_cmd *cmd, bool as_json, const char *body, const char *want_out,
    const char *want_err)
{
	struct mem out, err;
	int rc;

	mem_open(&out);
	mem_open(&err);
	rc = cli_print_response(out.f, err.f, cmd, as_json, body, strlen(body));
	assert_string_equal(mem_text(&out), want_out);
	assert_string_equal(mem_text(&err), want_err);
	mem_close(&out);
	mem_close(&err);
	return rc;
}

static void
test_cli_print_response_empty_prints_nothing(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("ip-map", "delete"), false, "", "", ""), 0);
	assert_int_equal(print_response(cmd_of("ip-map", "delete"), true, "", "", ""), 0);
}

static void
test_cli_print_response_json_pretty(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("ip-map", "list"), true,
			     "[{\"key\":\"999010000000001\",\"ipAddress\":\"10.10.0.50\"}]",
			     "[\n  {\n    \"key\": \"999010000000001\",\n"
			     "    \"ipAddress\": \"10.10.0.50\"\n  }\n]\n",
			     ""),
	    0);
}

static void
test_cli_print_response_table_by_row_format(void **state)
{
	(void)state;
	assert_int_equal(
	    print_response(cmd_of("ip-map", "list"), false, "[]", "KEY  IP_ADDRESS\n", ""), 0);
}

static void
test_cli_print_response_metrics_text_as_is(void **state)
{
	static const char text[] = "# TYPE vpgd_uplink_packets counter\nvpgd_uplink_packets 3\n";

	(void)state;
	assert_int_equal(print_response(cmd_of("metrics", NULL), false, text, text, ""), 0);
	assert_int_equal(print_response(cmd_of("metrics", NULL), true, text, text, ""), 0);
}

static void
test_cli_print_response_not_json_fails(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("status", NULL), false, "hello", "",
			     "vpgctl: the answer is not JSON: invalid token near 'hello'\n"),
	    -1);
}

static void
test_cli_print_response_wrong_shape_fails(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("sessions", "list"), false, "{\"a\":1}", "",
			     "vpgctl: the answer has an unexpected shape\n"),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_format_list_ip_map_columns_aligned),
		cmocka_unit_test(test_cli_format_list_empty_array_header_only),
		cmocka_unit_test(test_cli_format_list_object_fails_silently),
		cmocka_unit_test(test_cli_format_row_put_answer_one_row),
		cmocka_unit_test(test_cli_format_row_array_fails_silently),
		cmocka_unit_test(test_cli_format_list_sessions_created_utc),
		cmocka_unit_test(test_cli_format_list_missing_or_empty_field_dash),
		cmocka_unit_test(test_cli_format_list_control_chars_replaced),
		cmocka_unit_test(test_cli_format_list_not_array_fails_silently),
		cmocka_unit_test(test_cli_format_list_non_object_element_fails_silently),
		cmocka_unit_test(test_cli_format_object_status_name_value),
		cmocka_unit_test(test_cli_format_object_session_created_utc),
		cmocka_unit_test(test_cli_format_object_nested_dotted_and_compact),
		cmocka_unit_test(test_cli_format_object_array_fails_silently),
		cmocka_unit_test(test_cli_format_stats_sections_in_order),
		cmocka_unit_test(test_cli_format_stats_unknown_parts_dotted_last),
		cmocka_unit_test(test_cli_format_stats_not_object_fails_silently),
		cmocka_unit_test(test_cli_format_time_api_example_utc),
		cmocka_unit_test(test_cli_format_time_milliseconds_truncated),
		cmocka_unit_test(test_cli_format_time_before_epoch_floored),
		cmocka_unit_test(test_cli_format_time_short_buffer_fails),
		cmocka_unit_test(test_cli_find_two_words_row),
		cmocka_unit_test(test_cli_find_unknown_word_null),
		cmocka_unit_test(test_cli_find_group_word_alone_null),
		cmocka_unit_test(test_cli_find_no_words_null),
		cmocka_unit_test(test_cli_parse_args_ip_map_put_values_placed),
		cmocka_unit_test(test_cli_parse_args_short_imsi_names_key),
		cmocka_unit_test(test_cli_parse_args_bad_address_names_ip_address),
		cmocka_unit_test(test_cli_parse_args_long_imsi_names_imsi),
		cmocka_unit_test(test_cli_parse_args_missing_prints_usage),
		cmocka_unit_test(test_cli_parse_args_extra_prints_usage),
		cmocka_unit_test(test_cli_parse_args_unknown_option_prints_usage),
		cmocka_unit_test(test_cli_parse_args_options_any_order_placed),
		cmocka_unit_test(test_cli_parse_args_optional_option_absent_null),
		cmocka_unit_test(test_cli_parse_args_required_option_absent_prints_usage),
		cmocka_unit_test(test_cli_parse_args_option_without_value_prints_usage),
		cmocka_unit_test(test_cli_parse_args_repeated_option_prints_usage),
		cmocka_unit_test(test_cli_check_arg_imsi_6_and_15_digits_accepted),
		cmocka_unit_test(test_cli_check_arg_imsi_non_digit_refused),
		cmocka_unit_test(test_cli_check_arg_ipv4_dotted_quad_accepted),
		cmocka_unit_test(test_cli_check_arg_ipv4_bad_refused),
		cmocka_unit_test(test_cli_check_arg_string_utf8_accepted),
		cmocka_unit_test(test_cli_check_arg_string_not_utf8_refused),
		cmocka_unit_test(test_cli_build_path_imsi_substituted),
		cmocka_unit_test(test_cli_build_path_no_parameter_unchanged),
		cmocka_unit_test(test_cli_build_path_too_long_fails),
		cmocka_unit_test(test_cli_body_fields_ip_map_put_address_only),
		cmocka_unit_test(test_cli_body_fields_absent_option_omitted),
		cmocka_unit_test(test_cli_body_fields_every_option_by_field),
		cmocka_unit_test(test_cli_parse_opts_before_and_after_removed),
		cmocka_unit_test(test_cli_parse_opts_equals_form_accepted),
		cmocka_unit_test(test_cli_parse_opts_short_help_set),
		cmocka_unit_test(test_cli_parse_opts_command_option_kept),
		cmocka_unit_test(test_cli_parse_opts_missing_value_fails),
		cmocka_unit_test(test_cli_parse_opts_zero_timeout_fails),
		cmocka_unit_test(test_cli_parse_opts_signed_timeout_fails),
		cmocka_unit_test(test_cli_parse_opts_token_newline_fails),
		cmocka_unit_test(test_cli_usage_all_lists_every_command),
		cmocka_unit_test(test_cli_usage_all_exact_text),
		cmocka_unit_test(test_cli_usage_group_only_its_rows),
		cmocka_unit_test(test_cli_usage_unknown_group_lists_all),
		cmocka_unit_test(test_cli_print_error_api_body_message_code_status),
		cmocka_unit_test(test_cli_print_error_code_only_code_as_message),
		cmocka_unit_test(test_cli_print_error_non_json_first_line),
		cmocka_unit_test(test_cli_print_error_empty_body_request_failed),
		cmocka_unit_test(test_cli_print_error_control_chars_replaced),
		cmocka_unit_test(test_cli_print_response_empty_prints_nothing),
		cmocka_unit_test(test_cli_print_response_json_pretty),
		cmocka_unit_test(test_cli_print_response_table_by_row_format),
		cmocka_unit_test(test_cli_print_response_metrics_text_as_is),
		cmocka_unit_test(test_cli_print_response_not_json_fails),
		cmocka_unit_test(test_cli_print_response_wrong_shape_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
