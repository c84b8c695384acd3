/*
 * Unit tests for vpgctl's command line as it is read (src/cli/cli_args.c):
 * the global options, and a sub-command's arguments placed and checked
 * against the rows of src/cli/cli_table.c. Messages go to a memory stream
 * and are compared in full.
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

#include "cli/cli_format.h"
#include "cli/cli_table.h"

#include "cli_test.h"

/* A row with a required and an optional text option, as junction commands will have. */
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
	assert_int_equal(parse_args(cmd_of("ip-map put"), 2, argv, vals, ""), 0);
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
	assert_int_equal(parse_args(cmd_of("ip-map put"), 2, argv, vals,
			     "vpgctl: \"key\": not an IMSI of 6 to 15 digits (\"12345\")\n"),
	    -1);
}

static void
test_cli_parse_args_bad_address_names_ip_address(void **state)
{
	char *argv[] = { "999010000000001", "10.10.0" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("ip-map put"), 2, argv, vals,
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
	    parse_args(cmd_of("sessions delete"), 1, argv, vals,
		"vpgctl: \"imsi\": not an IMSI of 6 to 15 digits (\"9990100000000012\")\n"),
	    -1);
}

static void
test_cli_parse_args_missing_prints_usage(void **state)
{
	char *argv[] = { "999010000000001" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("ip-map put"), 1, argv, vals,
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
	assert_int_equal(parse_args(cmd_of("stats"), 1, argv, vals,
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
	    parse_args(cmd_of("sessions get"), 2, argv, vals,
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

static void
test_cli_parse_args_gate_open_both_options_placed(void **state)
{
	char *argv[] = { "--privacy-separator", "true", "--vxlan-id", "10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate open"), 4, argv, vals, ""), 0);
	assert_string_equal(vals[0], "10");
	assert_string_equal(vals[1], "true");
	assert_null(vals[2]);
}

static void
test_cli_parse_args_gate_open_no_options_null(void **state)
{
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate open"), 0, NULL, vals, ""), 0);
	assert_null(vals[0]);
	assert_null(vals[1]);
}

static void
test_cli_parse_args_gate_open_vxlan_id_bounds_accepted(void **state)
{
	char *lo[] = { "--vxlan-id", "1" }, *hi[] = { "--vxlan-id", "16777215" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate open"), 2, lo, vals, ""), 0);
	assert_int_equal(parse_args(cmd_of("gate open"), 2, hi, vals, ""), 0);
}

static void
assert_gate_open_refused(const char *opt, const char *value, const char *err)
{
	char *argv[] = { (char *)opt, (char *)value };
	const char *vals[CLI_MAX_ARGS];

	assert_int_equal(parse_args(cmd_of("gate open"), 2, argv, vals, err), -1);
}

static void
test_cli_parse_args_gate_open_vxlan_id_zero_refused(void **state)
{
	(void)state;
	assert_gate_open_refused(
	    "--vxlan-id", "0", "vpgctl: \"vxlanId\": must be between 1 and 16777215 (0)\n");
}

static void
test_cli_parse_args_gate_open_vxlan_id_above_24_bits_refused(void **state)
{
	(void)state;
	assert_gate_open_refused("--vxlan-id", "16777216",
	    "vpgctl: \"vxlanId\": must be between 1 and 16777215 (16777216)\n");
	assert_gate_open_refused("--vxlan-id", "99999999999999999999",
	    "vpgctl: \"vxlanId\": must be between 1 and 16777215 (99999999999999999999)\n");
}

static void
test_cli_parse_args_gate_open_vxlan_id_negative_refused(void **state)
{
	(void)state;
	assert_gate_open_refused(
	    "--vxlan-id", "-10", "vpgctl: \"vxlanId\": must be between 1 and 16777215 (-10)\n");
}

static void
test_cli_parse_args_gate_open_vxlan_id_not_decimal_refused(void **state)
{
	(void)state;
	assert_gate_open_refused(
	    "--vxlan-id", "ten", "vpgctl: \"vxlanId\": must be an integer (\"ten\")\n");
	assert_gate_open_refused(
	    "--vxlan-id", "0x10", "vpgctl: \"vxlanId\": must be an integer (\"0x10\")\n");
	assert_gate_open_refused(
	    "--vxlan-id", "+10", "vpgctl: \"vxlanId\": must be an integer (\"+10\")\n");
	assert_gate_open_refused(
	    "--vxlan-id", " 10", "vpgctl: \"vxlanId\": must be an integer (\" 10\")\n");
	assert_gate_open_refused(
	    "--vxlan-id", "10 ", "vpgctl: \"vxlanId\": must be an integer (\"10 \")\n");
	assert_gate_open_refused(
	    "--vxlan-id", "1e3", "vpgctl: \"vxlanId\": must be an integer (\"1e3\")\n");
	assert_gate_open_refused(
	    "--vxlan-id", "", "vpgctl: \"vxlanId\": must be an integer (\"\")\n");
	assert_gate_open_refused(
	    "--vxlan-id", "-", "vpgctl: \"vxlanId\": must be an integer (\"-\")\n");
}

static void
test_cli_parse_args_gate_open_separator_not_bool_refused(void **state)
{
	(void)state;
	assert_gate_open_refused("--privacy-separator", "yes",
	    "vpgctl: \"privacySeparatorEnabled\": must be true or false (\"yes\")\n");
	assert_gate_open_refused("--privacy-separator", "TRUE",
	    "vpgctl: \"privacySeparatorEnabled\": must be true or false (\"TRUE\")\n");
	assert_gate_open_refused("--privacy-separator", "1",
	    "vpgctl: \"privacySeparatorEnabled\": must be true or false (\"1\")\n");
}

static void
test_cli_parse_args_gate_open_positional_prints_usage(void **state)
{
	char *argv[] = { "10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate open"), 1, argv, vals,
			     "Usage: vpgctl [OPTIONS] gate open [--vxlan-id N] "
			     "[--privacy-separator true|false]\n"
			     "  open the gate, or change its settings\n"),
	    -1);
}

static void
test_cli_parse_args_gate_close_extra_prints_usage(void **state)
{
	char *argv[] = { "--vxlan-id", "10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate close"), 2, argv, vals,
			     "Usage: vpgctl [OPTIONS] gate close\n"
			     "  close the gate; its peers stay registered\n"),
	    -1);
}

static void
test_cli_parse_args_gate_peers_add_placed(void **state)
{
	char *argv[] = { "--inner", "10.10.10.10", "--outer", "198.51.100.3" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate peers add"), 4, argv, vals, ""), 0);
	assert_string_equal(vals[0], "198.51.100.3");
	assert_string_equal(vals[1], "10.10.10.10");
}

static void
test_cli_parse_args_gate_peers_add_missing_inner_prints_usage(void **state)
{
	char *argv[] = { "--outer", "198.51.100.3" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate peers add"), 2, argv, vals,
			     "Usage: vpgctl [OPTIONS] gate peers add --outer ADDR --inner ADDR\n"
			     "  register a gate peer by underlay and overlay address\n"),
	    -1);
}

static void
test_cli_parse_args_gate_peers_add_positionals_print_usage(void **state)
{
	char *argv[] = { "198.51.100.3", "10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_parse_args(m.f, cmd_of("gate peers add"), 2, argv, vals), -1);
	assert_non_null(strstr(mem_text(&m), "Usage: vpgctl [OPTIONS] gate peers add"));
	mem_close(&m);
}

static void
test_cli_parse_args_gate_peers_add_bad_outer_names_it(void **state)
{
	char *argv[] = { "--outer", "198.51.100", "--inner", "10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate peers add"), 4, argv, vals,
			     "vpgctl: \"outerIpAddress\": not an IPv4 address (\"198.51.100\")\n"),
	    -1);
}

static void
test_cli_parse_args_gate_peers_add_bad_inner_names_it(void **state)
{
	char *argv[] = { "--outer", "198.51.100.3", "--inner", "10.10.10.10/16" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("gate peers add"), 4, argv, vals,
		"vpgctl: \"innerIpAddress\": not an IPv4 address (\"10.10.10.10/16\")\n"),
	    -1);
}

static void
test_cli_parse_args_gate_peers_delete_bad_outer_refused(void **state)
{
	char *argv[] = { "198.51.100.3/32" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("gate peers delete"), 1, argv, vals,
		"vpgctl: \"outerIpAddress\": not an IPv4 address (\"198.51.100.3/32\")\n"),
	    -1);
}

static void
test_cli_parse_args_gate_peers_delete_missing_prints_usage(void **state)
{
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("gate peers delete"), 0, NULL, vals,
			     "Usage: vpgctl [OPTIONS] gate peers delete OUTER\n"
			     "  remove the gate peer at underlay address OUTER\n"),
	    -1);
}

static int
check_range_arg(const char *s, const char *err)
{
	const struct cli_arg a = { "--n", "N", "n", CLI_INT, true, -5, 5 };
	struct mem m;
	int rc;

	mem_open(&m);
	rc = cli_check_arg(m.f, &a, s);
	assert_string_equal(mem_text(&m), err);
	mem_close(&m);
	return rc;
}

static void
test_cli_check_arg_int_range_inclusive(void **state)
{
	(void)state;
	assert_int_equal(check_range_arg("-5", ""), 0);
	assert_int_equal(check_range_arg("0", ""), 0);
	assert_int_equal(check_range_arg("005", ""), 0);
	assert_int_equal(
	    check_range_arg("-6", "vpgctl: \"n\": must be between -5 and 5 (-6)\n"), -1);
	assert_int_equal(check_range_arg("6", "vpgctl: \"n\": must be between -5 and 5 (6)\n"), -1);
}

static void
test_cli_check_arg_bool_words_accepted(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_BOOL, "true", ""), 0);
	assert_int_equal(check_arg(CLI_BOOL, "false", ""), 0);
	assert_int_equal(
	    check_arg(CLI_BOOL, "False", "vpgctl: \"f\": must be true or false (\"False\")\n"), -1);
	assert_int_equal(
	    check_arg(CLI_BOOL, "", "vpgctl: \"f\": must be true or false (\"\")\n"), -1);
}

static void
test_cli_parse_args_redirection_set_all_options_placed(void **state)
{
	char *argv[] = { "--description", "to the LAN", "--enabled", "false", "--gateway",
		"10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("redirection set"), 6, argv, vals, ""), 0);
	assert_string_equal(vals[0], "10.10.10.10");
	assert_string_equal(vals[1], "false");
	assert_string_equal(vals[2], "to the LAN");
	assert_null(vals[3]);
}

static void
test_cli_parse_args_redirection_set_gateway_only_null(void **state)
{
	char *argv[] = { "--gateway", "10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("redirection set"), 2, argv, vals, ""), 0);
	assert_string_equal(vals[0], "10.10.10.10");
	assert_null(vals[1]);
	assert_null(vals[2]);
}

#define REDIRECTION_SET_USAGE                                                                      \
	"Usage: vpgctl [OPTIONS] redirection set --gateway ADDR [--enabled true|false] "           \
	"[--description TEXT]\n"                                                                   \
	"  send all device traffic to the gate peer with inner address ADDR\n"

static void
test_cli_parse_args_redirection_set_missing_gateway_prints_usage(void **state)
{
	char *argv[] = { "--enabled", "true" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("redirection set"), 2, argv, vals, REDIRECTION_SET_USAGE), -1);
	assert_int_equal(
	    parse_args(cmd_of("redirection set"), 0, NULL, vals, REDIRECTION_SET_USAGE), -1);
}

static void
test_cli_parse_args_redirection_set_positional_prints_usage(void **state)
{
	char *argv[] = { "10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("redirection set"), 1, argv, vals, REDIRECTION_SET_USAGE), -1);
}

static void
assert_redirection_set_refused(const char *opt, const char *value, const char *err)
{
	char *argv[] = { "--gateway", "10.10.10.10", (char *)opt, (char *)value };
	const char *vals[CLI_MAX_ARGS];

	assert_int_equal(parse_args(cmd_of("redirection set"), 4, argv, vals, err), -1);
}

static void
test_cli_parse_args_redirection_set_bad_gateway_names_it(void **state)
{
	char *argv[] = { "--gateway", "10.10.10.10/32" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("redirection set"), 2, argv, vals,
			     "vpgctl: \"gateway\": not an IPv4 address (\"10.10.10.10/32\")\n"),
	    -1);
}

static void
test_cli_parse_args_redirection_set_enabled_not_bool_refused(void **state)
{
	(void)state;
	assert_redirection_set_refused(
	    "--enabled", "yes", "vpgctl: \"enabled\": must be true or false (\"yes\")\n");
	assert_redirection_set_refused(
	    "--enabled", "1", "vpgctl: \"enabled\": must be true or false (\"1\")\n");
}

static void
test_cli_parse_args_redirection_set_description_255_bytes_accepted(void **state)
{
	char *argv[] = { "--gateway", "10.10.10.10", "--description", NULL };
	const char *vals[CLI_MAX_ARGS];
	char text[256];

	(void)state;
	memset(text, 'x', 255);
	text[255] = '\0';
	argv[3] = text;
	assert_int_equal(parse_args(cmd_of("redirection set"), 4, argv, vals, ""), 0);
	assert_int_equal(strlen(vals[2]), 255);
	assert_int_equal(parse_args(cmd_of("redirection set"), 2, argv, vals, ""), 0);
}

/* The API's limit and words: bytes, so 86 three-byte characters are too many. */
static void
test_cli_parse_args_redirection_set_description_too_long_refused(void **state)
{
	char text[300];

	(void)state;
	memset(text, 'x', 256);
	text[256] = '\0';
	assert_redirection_set_refused("--description", text,
	    "vpgctl: \"description\": must be at most 255 bytes long (256)\n");
	for (size_t i = 0; i < 86; i++)
		memcpy(text + 3 * i, "\xe2\x82\xac", 3);
	text[258] = '\0';
	assert_redirection_set_refused("--description", text,
	    "vpgctl: \"description\": must be at most 255 bytes long (258)\n");
}

static void
test_cli_parse_args_redirection_set_description_not_utf8_refused(void **state)
{
	(void)state;
	assert_redirection_set_refused(
	    "--description", "caf\xe9", "vpgctl: \"description\": not UTF-8 text\n");
}

static void
test_cli_parse_args_redirection_unset_extra_prints_usage(void **state)
{
	char *argv[] = { "--gateway", "10.10.10.10" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("redirection unset"), 2, argv, vals,
			     "Usage: vpgctl [OPTIONS] redirection unset\n"
			     "  stop redirecting device traffic\n"),
	    -1);
}

static void
test_cli_check_arg_string_max_bytes_inclusive(void **state)
{
	const struct cli_arg a = { "--t", "TEXT", "t", CLI_STRING, true, 0, 3 };
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_check_arg(m.f, &a, ""), 0);
	assert_int_equal(cli_check_arg(m.f, &a, "abc"), 0);
	assert_string_equal(mem_text(&m), "");
	assert_int_equal(cli_check_arg(m.f, &a, "\xc3\xa9\xc3\xa9"), -1);
	assert_string_equal(mem_text(&m), "vpgctl: \"t\": must be at most 3 bytes long (4)\n");
	mem_close(&m);
}

static void
test_cli_parse_opts_negative_timeout_fails(void **state)
{
	char *argv[] = { "--timeout", "-5", "stats" };
	struct cli_opts o;
	int argc = 3;

	(void)state;
	assert_int_equal(parse_opts(&o, &argc, argv,
			     "vpgctl: --timeout: not a number of seconds (1 to 3600): \"-5\"\n"),
	    -1);
}

/* The API's words for SIM-based routing's values, the range named by its index. */
static void
test_cli_parse_args_sim_routing_set_host_bits_names_index(void **state)
{
	char *argv[] = { "001010000000001", "192.168.50.0/24", "192.168.51.1/24" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("sim-routing set"), 3, argv, vals,
		"vpgctl: \"destinations\": [1] has host bits set (\"192.168.51.1/24\"; "
		"the range is 192.168.51.0/24)\n"),
	    -1);
}

static void
test_cli_parse_args_sim_routing_set_not_a_range_refused(void **state)
{
	char *argv[] = { "1", "192.168.50.0" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("sim-routing set"), 2, argv, vals,
			     "vpgctl: \"destinations\": [0] is not a CIDR range a.b.c.d/n "
			     "(\"192.168.50.0\")\n"),
	    -1);
}

/* 1 to 15 digits, shorter than an ip-map key may be. */
static void
test_cli_parse_args_sim_routing_imsi_1_to_15_digits(void **state)
{
	char *ok[] = { "7" }, *long_imsi[] = { "1234567890123456" }, *letters[] = { "99901a" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("sim-routing unset"), 1, ok, vals, ""), 0);
	assert_int_equal(parse_args(cmd_of("sim-routing unset"), 1, long_imsi, vals,
			     "vpgctl: \"imsi\": not an IMSI of 1 to 15 digits "
			     "(\"1234567890123456\")\n"),
	    -1);
	assert_int_equal(parse_args(cmd_of("sim-routing unset"), 1, letters, vals,
			     "vpgctl: \"imsi\": not an IMSI of 1 to 15 digits (\"99901a\")\n"),
	    -1);
}

static void
test_cli_parse_args_routing_filter_set_rules_placed_in_order(void **state)
{
	char *argv[] = { "allow:10.0.0.0/16", "deny:192.0.2.7/32", "deny:0.0.0.0/0" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 3, argv, vals, ""), 0);
	assert_string_equal(vals[0], "allow:10.0.0.0/16");
	assert_string_equal(vals[1], "deny:192.0.2.7/32");
	assert_string_equal(vals[2], "deny:0.0.0.0/0");
	assert_null(vals[3]);
}

static void
test_cli_parse_args_routing_filter_set_no_rule_accepted(void **state)
{
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 0, NULL, vals, ""), 0);
	assert_null(vals[0]);
}

/* The API's words for the API's field, "[2].ipRange". */
static void
test_cli_parse_args_routing_filter_set_host_bits_names_index(void **state)
{
	char *argv[] = { "allow:10.0.0.0/16", "allow:10.1.0.0/16", "deny:10.0.0.1/16" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 3, argv, vals,
			     "vpgctl: \"[2].ipRange\": not a CIDR range with no host bits set "
			     "(\"10.0.0.1/16\")\n"),
	    -1);
}

static void
test_cli_parse_args_routing_filter_set_bare_address_refused(void **state)
{
	char *argv[] = { "deny:10.0.0.1" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 1, argv, vals,
			     "vpgctl: \"[0].ipRange\": not a CIDR range with no host bits set "
			     "(\"10.0.0.1\")\n"),
	    -1);
}

static void
test_cli_parse_args_routing_filter_set_bad_action_names_index(void **state)
{
	char *argv[] = { "deny:10.0.0.0/8", "permit:10.0.0.0/8" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("routing-filter set"), 2, argv, vals,
		"vpgctl: \"[1].action\": must be \"allow\" or \"deny\" (\"permit\")\n"),
	    -1);
}

/* One spelling, as the API takes it. */
static void
test_cli_parse_args_routing_filter_set_action_case_sensitive(void **state)
{
	char *argv[] = { "Deny:10.0.0.0/8" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 1, argv, vals,
			     "vpgctl: \"[0].action\": must be \"allow\" or \"deny\" (\"Deny\")\n"),
	    -1);
}

static void
test_cli_parse_args_routing_filter_set_no_colon_names_index(void **state)
{
	char *argv[] = { "deny:10.0.0.0/8", "10.0.0.0/8" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 2, argv, vals,
			     "vpgctl: \"[1]\": not allow:CIDR or deny:CIDR (\"10.0.0.0/8\")\n"),
	    -1);
}

/* n rules, "allow:10.i.0.0/16", in words of their own. */
static char **
rule_words(int n)
{
	char **argv = calloc((size_t)n, sizeof(*argv));

	assert_non_null(argv);
	for (int i = 0; i < n; i++)
		assert_true(asprintf(&argv[i], "allow:10.%d.0.0/16", i) > 0);
	return argv;
}

static void
free_words(char **argv, int n)
{
	for (int i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
}

static void
test_cli_parse_args_routing_filter_set_64_rules_accepted(void **state)
{
	char **argv = rule_words(64);
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 64, argv, vals, ""), 0);
	assert_string_equal(vals[63], "allow:10.63.0.0/16");
	assert_null(vals[64]);
	free_words(argv, 64);
}

static void
test_cli_parse_args_routing_filter_set_65_rules_refused(void **state)
{
	char **argv = rule_words(65);
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 65, argv, vals,
			     "vpgctl: at most 64 RULE arguments\n"),
	    -1);
	free_words(argv, 65);
}

static void
test_cli_parse_args_routing_filter_set_option_prints_usage(void **state)
{
	char *argv[] = { "allow:10.0.0.0/16", "--rule", "deny:0.0.0.0/0" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter set"), 3, argv, vals,
			     "Usage: vpgctl [OPTIONS] routing-filter set [RULE...]\n"
			     "  replace the routing filter by RULEs (allow:CIDR or deny:CIDR), in "
			     "order\n"),
	    -1);
}

static void
test_cli_parse_args_routing_filter_get_extra_prints_usage(void **state)
{
	char *argv[] = { "allow:10.0.0.0/16" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("routing-filter get"), 1, argv, vals,
			     "Usage: vpgctl [OPTIONS] routing-filter get\n"
			     "  show the routing filter's rules, the first match deciding\n"),
	    -1);
}

static void
test_cli_check_arg_filter_rule_slash_0_and_32_accepted(void **state)
{
	const struct cli_arg *a = &cmd_of("routing-filter set")->args[0];

	(void)state;
	assert_int_equal(cli_check_arg(stderr, a, "deny:0.0.0.0/0"), 0);
	assert_int_equal(cli_check_arg(stderr, a, "allow:192.0.2.7/32"), 0);
}

#define MIRRORING_ADD_USAGE                                                                        \
	"Usage: vpgctl [OPTIONS] mirroring add --ip ADDR [--enabled true|false] "                  \
	"[--description TEXT]\n"                                                                   \
	"  send a GRE copy of every packet through the gateway to ADDR\n"
#define MIRRORING_UPDATE_USAGE                                                                     \
	"Usage: vpgctl [OPTIONS] mirroring update ADDR [--enabled true|false] "                    \
	"[--description TEXT]\n"                                                                   \
	"  change the mirroring peer at ADDR; what is not given stays\n"

/* The protocol is not typed: the row puts its one value where the body takes it. */
static void
test_cli_parse_args_mirroring_add_fixed_protocol_placed(void **state)
{
	char *argv[] = { "--ip", "203.0.113.7" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring add"), 2, argv, vals, ""), 0);
	assert_string_equal(vals[0], "203.0.113.7");
	assert_string_equal(vals[1], "gre");
	assert_null(vals[2]);
	assert_null(vals[3]);
	assert_null(vals[4]);
}

static void
test_cli_parse_args_mirroring_add_all_options_placed(void **state)
{
	char *argv[] = { "--description", "tap", "--enabled", "false", "--ip", "203.0.113.7" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring add"), 6, argv, vals, ""), 0);
	assert_string_equal(vals[0], "203.0.113.7");
	assert_string_equal(vals[1], "gre");
	assert_string_equal(vals[2], "false");
	assert_string_equal(vals[3], "tap");
}

static void
test_cli_parse_args_mirroring_add_missing_ip_prints_usage(void **state)
{
	char *argv[] = { "--enabled", "true" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("mirroring add"), 2, argv, vals, MIRRORING_ADD_USAGE), -1);
	assert_int_equal(
	    parse_args(cmd_of("mirroring add"), 0, NULL, vals, MIRRORING_ADD_USAGE), -1);
}

/* The fixed argument takes no word: a bare address is a surplus one. */
static void
test_cli_parse_args_mirroring_add_positional_prints_usage(void **state)
{
	char *argv[] = { "--ip", "203.0.113.7", "gre" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("mirroring add"), 3, argv, vals, MIRRORING_ADD_USAGE), -1);
	assert_int_equal(
	    parse_args(cmd_of("mirroring add"), 1, argv + 1, vals, MIRRORING_ADD_USAGE), -1);
}

static void
test_cli_parse_args_mirroring_add_protocol_option_prints_usage(void **state)
{
	char *argv[] = { "--ip", "203.0.113.7", "--protocol", "gre" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("mirroring add"), 4, argv, vals, MIRRORING_ADD_USAGE), -1);
}

static void
test_cli_parse_args_mirroring_add_bad_ip_names_ip_address(void **state)
{
	char *argv[] = { "--ip", "203.0.113.7/32" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring add"), 2, argv, vals,
			     "vpgctl: \"ipAddress\": not an IPv4 address (\"203.0.113.7/32\")\n"),
	    -1);
}

static void
test_cli_parse_args_mirroring_add_enabled_not_bool_refused(void **state)
{
	char *argv[] = { "--ip", "203.0.113.7", "--enabled", "yes" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring add"), 4, argv, vals,
			     "vpgctl: \"enabled\": must be true or false (\"yes\")\n"),
	    -1);
}

/* The API's limit and words: 255 bytes pass, 256 do not. */
static void
test_cli_parse_args_mirroring_add_description_256_bytes_refused(void **state)
{
	char *argv[] = { "--ip", "203.0.113.7", "--description", NULL };
	const char *vals[CLI_MAX_ARGS];
	char text[257];

	(void)state;
	memset(text, 'x', 256);
	text[255] = '\0';
	argv[3] = text;
	assert_int_equal(parse_args(cmd_of("mirroring add"), 4, argv, vals, ""), 0);
	assert_int_equal(strlen(vals[3]), 255);
	text[255] = 'x';
	text[256] = '\0';
	assert_int_equal(parse_args(cmd_of("mirroring add"), 4, argv, vals,
			     "vpgctl: \"description\": must be at most 255 bytes long (256)\n"),
	    -1);
}

static void
test_cli_parse_args_mirroring_update_placed(void **state)
{
	char *argv[] = { "--enabled", "false", "203.0.113.7", "--description", "" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring update"), 5, argv, vals, ""), 0);
	assert_string_equal(vals[0], "203.0.113.7");
	assert_string_equal(vals[1], "false");
	assert_string_equal(vals[2], "");
	assert_null(vals[3]);
}

static void
test_cli_parse_args_mirroring_update_address_only_accepted(void **state)
{
	char *argv[] = { "203.0.113.7" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring update"), 1, argv, vals, ""), 0);
	assert_string_equal(vals[0], "203.0.113.7");
	assert_null(vals[1]);
	assert_null(vals[2]);
}

static void
test_cli_parse_args_mirroring_update_missing_address_prints_usage(void **state)
{
	char *argv[] = { "--enabled", "true" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("mirroring update"), 2, argv, vals, MIRRORING_UPDATE_USAGE), -1);
}

/* The address names the peer and is never changed: update has no --ip. */
static void
test_cli_parse_args_mirroring_update_ip_option_prints_usage(void **state)
{
	char *argv[] = { "203.0.113.7", "--ip", "203.0.113.8" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(
	    parse_args(cmd_of("mirroring update"), 3, argv, vals, MIRRORING_UPDATE_USAGE), -1);
}

static void
test_cli_parse_args_mirroring_update_bad_address_refused(void **state)
{
	char *argv[] = { "203.0.113.256", "--enabled", "true" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring update"), 3, argv, vals,
			     "vpgctl: \"ipAddress\": not an IPv4 address (\"203.0.113.256\")\n"),
	    -1);
}

static void
test_cli_parse_args_mirroring_delete_placed(void **state)
{
	char *argv[] = { "203.0.113.7" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring delete"), 1, argv, vals, ""), 0);
	assert_string_equal(vals[0], "203.0.113.7");
	assert_null(vals[1]);
}

static void
test_cli_parse_args_mirroring_delete_extra_prints_usage(void **state)
{
	char *argv[] = { "203.0.113.7", "203.0.113.8" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring delete"), 2, argv, vals,
			     "Usage: vpgctl [OPTIONS] mirroring delete ADDR\n"
			     "  stop mirroring to ADDR\n"),
	    -1);
}

static void
test_cli_parse_args_mirroring_list_extra_prints_usage(void **state)
{
	char *argv[] = { "203.0.113.7" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("mirroring list"), 1, argv, vals,
			     "Usage: vpgctl [OPTIONS] mirroring list\n"
			     "  list the mirroring peers\n"),
	    -1);
}

/* Values placed in the row's entries: options, the flag's value, the repeated collector last. */
static void
test_cli_parse_args_inspection_set_values_placed(void **state)
{
	char *argv[] = { "--collector", "192.0.2.9", "--disabled", "--idle-timeout", "30",
		"--collector", "192.0.2.10:2055" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("inspection set"), 7, argv, vals, ""), 0);
	assert_null(vals[0]);
	assert_string_equal(vals[1], "30");
	assert_null(vals[2]);
	assert_string_equal(vals[3], "false");
	assert_string_equal(vals[4], "192.0.2.9");
	assert_string_equal(vals[5], "192.0.2.10:2055");
	assert_null(vals[6]);
}

/* Without --disabled, "enabled" is not sent at all: the API's default, true, holds. */
static void
test_cli_parse_args_inspection_set_no_flag_null(void **state)
{
	char *argv[] = { "--collector", "192.0.2.9" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("inspection set"), 2, argv, vals, ""), 0);
	assert_null(vals[3]);
	assert_string_equal(vals[4], "192.0.2.9");
}

static void
test_cli_parse_args_inspection_set_collector_without_value_prints_usage(void **state)
{
	char *argv[] = { "--collector", "192.0.2.9", "--collector" };
	const char *vals[CLI_MAX_ARGS];
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_parse_args(m.f, cmd_of("inspection set"), 3, argv, vals), -1);
	assert_non_null(strstr(mem_text(&m), "Usage: vpgctl [OPTIONS] inspection set "));
	mem_close(&m);
}

static void
test_cli_parse_args_inspection_set_ranges_refused(void **state)
{
	char *active[] = { "--collector", "192.0.2.9", "--active-timeout", "0" };
	char *idle[] = { "--collector", "192.0.2.9", "--idle-timeout", "86401" };
	char *flows[] = { "--collector", "192.0.2.9", "--max-flows", "15" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("inspection set"), 4, active, vals,
			     "vpgctl: \"activeTimeout\": must be between 1 and 86400 (0)\n"),
	    -1);
	assert_int_equal(parse_args(cmd_of("inspection set"), 4, idle, vals,
			     "vpgctl: \"idleTimeout\": must be between 1 and 86400 (86401)\n"),
	    -1);
	assert_int_equal(parse_args(cmd_of("inspection set"), 4, flows, vals,
			     "vpgctl: \"maxFlows\": must be between 16 and 4194304 (15)\n"),
	    -1);
}

static void
test_cli_check_arg_collector_address_and_port_accepted(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_COLLECTOR, "192.0.2.9", ""), 0);
	assert_int_equal(check_arg(CLI_COLLECTOR, "192.0.2.9:1", ""), 0);
	assert_int_equal(check_arg(CLI_COLLECTOR, "192.0.2.9:65535", ""), 0);
}

static void
test_cli_check_arg_collector_bad_refused(void **state)
{
	(void)state;
	assert_int_equal(check_arg(CLI_COLLECTOR, "collector.example",
			     "vpgctl: \"f\": [0] is not an IPv4 address with an optional :port "
			     "(\"collector.example\")\n"),
	    -1);
	assert_int_equal(check_arg(CLI_COLLECTOR, ":4739",
			     "vpgctl: \"f\": [0] is not an IPv4 address with an optional :port "
			     "(\":4739\")\n"),
	    -1);
	assert_int_equal(check_arg(CLI_COLLECTOR, "192.0.2.9:65536",
			     "vpgctl: \"f\": [0] has a port outside 1 to 65535 "
			     "(\"192.0.2.9:65536\")\n"),
	    -1);
	assert_int_equal(check_arg(CLI_COLLECTOR, "192.0.2.9:",
			     "vpgctl: \"f\": [0] has a port outside 1 to 65535 (\"192.0.2.9:\")\n"),
	    -1);
	assert_int_equal(check_arg(CLI_COLLECTOR, "192.0.2.9:http",
			     "vpgctl: \"f\": [0] has a port outside 1 to 65535 "
			     "(\"192.0.2.9:http\")\n"),
	    -1);
}

static void
test_cli_parse_args_inspection_flows_limit_placed(void **state)
{
	char *argv[] = { "--limit", "20" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("inspection flows"), 2, argv, vals, ""), 0);
	assert_string_equal(vals[0], "20");
	assert_int_equal(parse_args(cmd_of("inspection flows"), 0, argv, vals, ""), 0);
	assert_null(vals[0]);
}

static void
test_cli_parse_args_inspection_top_ranges_refused(void **state)
{
	char *window[] = { "--window", "3601" };
	char *top[] = { "--top", "0" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("inspection top"), 2, window, vals,
			     "vpgctl: \"window\": must be between 1 and 3600 (3601)\n"),
	    -1);
	assert_int_equal(parse_args(cmd_of("inspection top"), 2, top, vals,
			     "vpgctl: \"top\": must be between 1 and 100 (0)\n"),
	    -1);
}

static void
test_cli_parse_args_dns_set_two_placed_in_order(void **state)
{
	char *argv[] = { "100.64.0.53", "192.0.2.53" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("dns set"), 2, argv, vals, ""), 0);
	assert_string_equal(vals[0], "100.64.0.53");
	assert_string_equal(vals[1], "192.0.2.53");
	assert_null(vals[2]);
}

/* No address: devices are told none. */
static void
test_cli_parse_args_dns_set_none_accepted(void **state)
{
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("dns set"), 0, NULL, vals, ""), 0);
	assert_null(vals[0]);
}

/* The API's words for the API's field, "[1]". */
static void
test_cli_parse_args_dns_set_bad_address_names_index(void **state)
{
	char *argv[] = { "100.64.0.53", "192.0.2.256" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("dns set"), 2, argv, vals,
			     "vpgctl: \"[1]\": not an IPv4 address (\"192.0.2.256\")\n"),
	    -1);
}

static void
test_cli_parse_args_dns_set_not_unicast_names_index(void **state)
{
	char *argv[] = { "127.0.0.53" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("dns set"), 1, argv, vals,
			     "vpgctl: \"[0]\": not a unicast host address (\"127.0.0.53\")\n"),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test(test_cli_parse_opts_before_and_after_removed),
		cmocka_unit_test(test_cli_parse_opts_equals_form_accepted),
		cmocka_unit_test(test_cli_parse_opts_short_help_set),
		cmocka_unit_test(test_cli_parse_opts_command_option_kept),
		cmocka_unit_test(test_cli_parse_opts_missing_value_fails),
		cmocka_unit_test(test_cli_parse_opts_zero_timeout_fails),
		cmocka_unit_test(test_cli_parse_opts_signed_timeout_fails),
		cmocka_unit_test(test_cli_parse_opts_token_newline_fails),
		cmocka_unit_test(test_cli_parse_args_gate_open_both_options_placed),
		cmocka_unit_test(test_cli_parse_args_gate_open_no_options_null),
		cmocka_unit_test(test_cli_parse_args_gate_open_vxlan_id_bounds_accepted),
		cmocka_unit_test(test_cli_parse_args_gate_open_vxlan_id_zero_refused),
		cmocka_unit_test(test_cli_parse_args_gate_open_vxlan_id_above_24_bits_refused),
		cmocka_unit_test(test_cli_parse_args_gate_open_vxlan_id_negative_refused),
		cmocka_unit_test(test_cli_parse_args_gate_open_vxlan_id_not_decimal_refused),
		cmocka_unit_test(test_cli_parse_args_gate_open_separator_not_bool_refused),
		cmocka_unit_test(test_cli_parse_args_gate_open_positional_prints_usage),
		cmocka_unit_test(test_cli_parse_args_gate_close_extra_prints_usage),
		cmocka_unit_test(test_cli_parse_args_gate_peers_add_placed),
		cmocka_unit_test(test_cli_parse_args_gate_peers_add_missing_inner_prints_usage),
		cmocka_unit_test(test_cli_parse_args_gate_peers_add_positionals_print_usage),
		cmocka_unit_test(test_cli_parse_args_gate_peers_add_bad_outer_names_it),
		cmocka_unit_test(test_cli_parse_args_gate_peers_add_bad_inner_names_it),
		cmocka_unit_test(test_cli_parse_args_gate_peers_delete_bad_outer_refused),
		cmocka_unit_test(test_cli_parse_args_gate_peers_delete_missing_prints_usage),
		cmocka_unit_test(test_cli_check_arg_int_range_inclusive),
		cmocka_unit_test(test_cli_check_arg_bool_words_accepted),
		cmocka_unit_test(test_cli_parse_args_redirection_set_all_options_placed),
		cmocka_unit_test(test_cli_parse_args_redirection_set_gateway_only_null),
		cmocka_unit_test(test_cli_parse_args_redirection_set_missing_gateway_prints_usage),
		cmocka_unit_test(test_cli_parse_args_redirection_set_positional_prints_usage),
		cmocka_unit_test(test_cli_parse_args_redirection_set_bad_gateway_names_it),
		cmocka_unit_test(test_cli_parse_args_redirection_set_enabled_not_bool_refused),
		cmocka_unit_test(
		    test_cli_parse_args_redirection_set_description_255_bytes_accepted),
		cmocka_unit_test(test_cli_parse_args_redirection_set_description_too_long_refused),
		cmocka_unit_test(test_cli_parse_args_redirection_set_description_not_utf8_refused),
		cmocka_unit_test(test_cli_parse_args_redirection_unset_extra_prints_usage),
		cmocka_unit_test(test_cli_check_arg_string_max_bytes_inclusive),
		cmocka_unit_test(test_cli_parse_opts_negative_timeout_fails),
		cmocka_unit_test(test_cli_parse_args_sim_routing_set_host_bits_names_index),
		cmocka_unit_test(test_cli_parse_args_sim_routing_set_not_a_range_refused),
		cmocka_unit_test(test_cli_parse_args_sim_routing_imsi_1_to_15_digits),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_rules_placed_in_order),
		cmocka_unit_test(test_cli_parse_args_dns_set_two_placed_in_order),
		cmocka_unit_test(test_cli_parse_args_dns_set_none_accepted),
		cmocka_unit_test(test_cli_parse_args_dns_set_bad_address_names_index),
		cmocka_unit_test(test_cli_parse_args_dns_set_not_unicast_names_index),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_no_rule_accepted),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_host_bits_names_index),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_bare_address_refused),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_bad_action_names_index),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_action_case_sensitive),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_no_colon_names_index),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_64_rules_accepted),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_65_rules_refused),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_option_prints_usage),
		cmocka_unit_test(test_cli_parse_args_routing_filter_get_extra_prints_usage),
		cmocka_unit_test(test_cli_check_arg_filter_rule_slash_0_and_32_accepted),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_fixed_protocol_placed),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_all_options_placed),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_missing_ip_prints_usage),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_positional_prints_usage),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_protocol_option_prints_usage),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_bad_ip_names_ip_address),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_enabled_not_bool_refused),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_description_256_bytes_refused),
		cmocka_unit_test(test_cli_parse_args_mirroring_update_placed),
		cmocka_unit_test(test_cli_parse_args_mirroring_update_address_only_accepted),
		cmocka_unit_test(test_cli_parse_args_mirroring_update_missing_address_prints_usage),
		cmocka_unit_test(test_cli_parse_args_mirroring_update_ip_option_prints_usage),
		cmocka_unit_test(test_cli_parse_args_mirroring_update_bad_address_refused),
		cmocka_unit_test(test_cli_parse_args_mirroring_delete_placed),
		cmocka_unit_test(test_cli_parse_args_mirroring_delete_extra_prints_usage),
		cmocka_unit_test(test_cli_parse_args_mirroring_list_extra_prints_usage),
		cmocka_unit_test(test_cli_parse_args_inspection_set_values_placed),
		cmocka_unit_test(test_cli_parse_args_inspection_set_no_flag_null),
		cmocka_unit_test(
		    test_cli_parse_args_inspection_set_collector_without_value_prints_usage),
		cmocka_unit_test(test_cli_parse_args_inspection_set_ranges_refused),
		cmocka_unit_test(test_cli_check_arg_collector_address_and_port_accepted),
		cmocka_unit_test(test_cli_check_arg_collector_bad_refused),
		cmocka_unit_test(test_cli_parse_args_inspection_flows_limit_placed),
		cmocka_unit_test(test_cli_parse_args_inspection_top_ranges_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
