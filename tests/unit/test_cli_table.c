/*
 * Unit tests for vpgctl's table of sub-commands (src/cli/cli_table.c): the
 * rows and their usage text, and the request paths and bodies each row
 * makes, from the words typed to what is sent; the reading of the command
 * line itself is tested in test_cli_args.c. Messages go to a memory stream
 * and are compared in full; bodies are compared as compact JSON text, so a
 * number sent as a string shows.
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
test_cli_build_path_imsi_substituted(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "999010000000001", "10.10.0.50" };
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("ip-map put"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/ip_address_map/999010000000001");
}

static void
test_cli_build_path_no_parameter_unchanged(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { NULL };
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("metrics"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/metrics");
}

static void
test_cli_build_path_too_long_fails(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "999010000000001" };
	char path[sizeof("/v1/sessions/999010000000001") - 1];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("sessions get"), vals, path, sizeof(path)), -1);
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
	check_body(cmd_of("ip-map put"), vals, "{\"ipAddress\":\"10.10.0.50\"}");
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

/* The synopsis of row c as the usage prints it: its words and arguments. */
static void
synopsis(const struct cli_cmd *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < CLI_MAX_WORDS && c->words[i] != NULL; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", c->words[i]);
	for (int i = 0; i < CLI_ROW_ARGS && c->args[i].name != NULL; i++) {
		const struct cli_arg *a = &c->args[i];

		if (a->fixed != NULL)
			continue;
		if (a->opt == NULL)
			used += (size_t)snprintf(buf + used, len - used,
			    !a->repeated  ? " %s"
			    : a->optional ? " [%s...]"
					  : " %s...",
			    a->name);
		else if (a->flag != NULL)
			used += (size_t)snprintf(buf + used, len - used, " [%s]", a->opt);
		else
			used += (size_t)snprintf(buf + used, len - used,
			    a->optional ? " [%s %s]%s" : " %s %s%s", a->opt, a->name,
			    a->repeated ? "..." : "");
	}
}

/* Each synopsis is followed by its help's padding, or by a line break when too long to align. */
static void
test_cli_usage_all_lists_every_command(void **state)
{
	char syn[256], line[300], broken[300];
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, NULL);
	for (size_t i = 0; i < cli_ncmds; i++) {
		synopsis(&cli_cmds[i], syn, sizeof(syn));
		snprintf(line, sizeof(line), "\n  %s ", syn);
		snprintf(broken, sizeof(broken), "\n  %s\n", syn);
		assert_true(
		    strstr(mem_text(&m), line) != NULL || strstr(mem_text(&m), broken) != NULL);
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
	    "  status                                                                      show "
	    "the gateway's state\n"
	    "  dns show                                                                    show "
	    "the DNS servers devices are told when they attach, primary first\n"
	    "  dns set [ADDR...]                                                           set "
	    "the DNS servers (at most 2, primary first) told to devices from their next attach\n"
	    "  ip-map list                                                                 list "
	    "the fixed addresses of IMSIs\n"
	    "  ip-map put IMSI ADDRESS                                                     give "
	    "IMSI a fixed address from its next attach\n"
	    "  ip-map delete IMSI                                                          remove "
	    "the fixed address of IMSI\n"
	    "  sessions list                                                               list "
	    "the sessions\n"
	    "  sessions get IMSI                                                           show "
	    "the session of IMSI\n"
	    "  sessions delete IMSI                                                        end "
	    "every session of IMSI, telling its SGSN or SGW\n"
	    "  gate status                                                                 show "
	    "the gate\n"
	    "  gate open [--vxlan-id N] [--privacy-separator true|false]                   open "
	    "the gate, or change its settings\n"
	    "  gate close                                                                  close "
	    "the gate; its peers stay registered\n"
	    "  gate peers list                                                             list "
	    "the gate peers\n"
	    "  gate peers add --outer ADDR --inner ADDR                                    "
	    "register a gate peer by underlay and overlay address\n"
	    "  gate peers delete OUTER                                                     remove "
	    "the gate peer at underlay address OUTER\n"
	    "  redirection get                                                             show "
	    "where device traffic is redirected\n"
	    "  redirection set --gateway ADDR [--enabled true|false] [--description TEXT]  send "
	    "all device traffic to the gate peer with inner address ADDR\n"
	    "  redirection unset                                                           stop "
	    "redirecting device traffic\n"
	    "  mirroring list                                                              list "
	    "the mirroring peers\n"
	    "  mirroring add --ip ADDR [--enabled true|false] [--description TEXT]         send a "
	    "GRE copy of every packet through the gateway to ADDR\n"
	    "  mirroring update ADDR [--enabled true|false] [--description TEXT]           change "
	    "the mirroring peer at ADDR; what is not given stays\n"
	    "  mirroring delete ADDR                                                       stop "
	    "mirroring to ADDR\n"
	    "  inspection show                                                             show "
	    "the flow inspection settings\n"
	    "  inspection set [--active-timeout SECONDS] [--idle-timeout SECONDS] [--max-flows N] "
	    "[--disabled] --collector ADDR[:PORT]...\n"
	    "                                                                              count "
	    "device flows and export them as IPFIX to each ADDR (port 4739 by default)\n"
	    "  inspection unset                                                            stop "
	    "inspecting flows and forget the settings\n"
	    "  inspection flows [--limit N]                                                list "
	    "the flows being counted, most bytes first\n"
	    "  inspection top [--window SECONDS] [--top N]                                 show "
	    "the applications, devices and flows with the most traffic lately\n"
	    "  peek start --duration SECONDS [--imsi IMSI] [--prefix NAME]                 capture "
	    "devices' packets for SECONDS: the whole gateway, or one IMSI\n"
	    "  peek list                                                                   list "
	    "the packet capture sessions\n"
	    "  peek get ID                                                                 show "
	    "capture session ID\n"
	    "  peek stop ID                                                                end "
	    "capture session ID now\n"
	    "  peek delete ID                                                              delete "
	    "capture session ID and its file\n"
	    "  peek download ID -o FILE                                                    save "
	    "capture session ID's pcapng file as FILE\n"
	    "  routing-filter get                                                          show "
	    "the routing filter's rules, the first match deciding\n"
	    "  routing-filter set [RULE...]                                                replace "
	    "the routing filter by RULEs (allow:CIDR or deny:CIDR), in order\n"
	    "  sim-routing show                                                            "
	    "show the LANs behind devices, and whether SIM-based routing is enabled\n"
	    "  sim-routing set IMSI PREFIX...                                              "
	    "route each PREFIX to the device IMSI, in place of its list\n"
	    "  sim-routing unset IMSI                                                      "
	    "stop routing to the LAN behind IMSI\n"
	    "  sim-routing enable                                                          "
	    "route to the LANs behind devices; packets for an absent device's are dropped\n"
	    "  sim-routing disable                                                         "
	    "remove every route to the LANs; the table stays\n"
	    "  pfcp associations                                                           the "
	    "control planes (SMF, PGW-C) of the UPF role\n"
	    "  gtpv2 peers                                                                 the "
	    "SGWs of the PGW role\n"
	    "  stats                                                                       show "
	    "every counter\n"
	    "  metrics                                                                     show "
	    "every counter in Prometheus text format\n"
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
	    "  sessions delete IMSI  end every session of IMSI, telling its SGSN or SGW\n"
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
test_cli_usage_gate_group_exact_rows(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "gate");
	assert_non_null(strstr(mem_text(&m),
	    "Commands:\n"
	    "  gate status                                                show the gate\n"
	    "  gate open [--vxlan-id N] [--privacy-separator true|false]  open the gate, or change "
	    "its settings\n"
	    "  gate close                                                 close the gate; its "
	    "peers stay registered\n"
	    "  gate peers list                                            list the gate peers\n"
	    "  gate peers add --outer ADDR --inner ADDR                   register a gate peer by "
	    "underlay and overlay address\n"
	    "  gate peers delete OUTER                                    remove the gate peer at "
	    "underlay address OUTER\n"
	    "\n"));
	assert_null(strstr(mem_text(&m), "sessions"));
	mem_close(&m);
}

static void
test_cli_usage_cmd_gate_open_synopsis(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage_cmd(m.f, cmd_of("gate open"));
	assert_string_equal(mem_text(&m),
	    "Usage: vpgctl [OPTIONS] gate open [--vxlan-id N] [--privacy-separator true|false]\n"
	    "  open the gate, or change its settings\n");
	mem_close(&m);
}

static void
test_cli_find_gate_peers_three_words_row(void **state)
{
	char *argv[] = { "gate", "peers", "delete", "198.51.100.3" };
	const struct cli_cmd *c;
	int n = -1;

	(void)state;
	c = cli_find(4, argv, &n);
	assert_non_null(c);
	assert_int_equal(n, 3);
	assert_string_equal(c->method, "DELETE");
	assert_string_equal(c->path, "/v1/gate/peers/{outerIpAddress}");
}

static void
test_cli_find_gate_peers_alone_null(void **state)
{
	char *argv[] = { "gate", "peers" };
	int n = -1;

	(void)state;
	assert_null(cli_find(2, argv, &n));
	assert_int_equal(n, 0);
}

/* Each gate call of docs/API.md is exactly one row, with its method, path and body. */
static void
test_cli_find_gate_rows_method_path_body(void **state)
{
	static const struct {
		const char *words, *method, *path;
		bool body;
	} want[] = {
		{ "gate status", "GET", "/v1/gate", false },
		{ "gate open", "POST", "/v1/gate/open", true },
		{ "gate close", "POST", "/v1/gate/close", false },
		{ "gate peers list", "GET", "/v1/gate/peers", false },
		{ "gate peers add", "POST", "/v1/gate/peers", true },
		{ "gate peers delete", "DELETE", "/v1/gate/peers/{outerIpAddress}", false },
	};
	size_t rows = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct cli_cmd *c = cmd_of(want[i].words);

		assert_string_equal(c->method, want[i].method);
		assert_string_equal(c->path, want[i].path);
		assert_int_equal(c->body != NULL, want[i].body);
		assert_non_null(c->format);
	}
	for (size_t i = 0; i < cli_ncmds; i++)
		rows += strcmp(cli_cmds[i].words[0], "gate") == 0;
	assert_int_equal(rows, sizeof(want) / sizeof(want[0]));
}

static void
test_cli_body_fields_gate_open_typed_json(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "10", "true" };

	(void)state;
	check_body(cmd_of("gate open"), vals, "{\"vxlanId\":10,\"privacySeparatorEnabled\":true}");
}

static void
test_cli_body_fields_gate_open_vxlan_id_only(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "16777215", NULL };

	(void)state;
	check_body(cmd_of("gate open"), vals, "{\"vxlanId\":16777215}");
}

static void
test_cli_body_fields_gate_open_separator_false_only(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { NULL, "false" };

	(void)state;
	check_body(cmd_of("gate open"), vals, "{\"privacySeparatorEnabled\":false}");
}

static void
test_cli_body_fields_gate_open_nothing_given_empty_object(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { NULL, NULL };

	(void)state;
	check_body(cmd_of("gate open"), vals, "{}");
}

static void
test_cli_body_fields_gate_peers_add_both_strings(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "198.51.100.3", "10.10.10.10" };

	(void)state;
	check_body(cmd_of("gate peers add"), vals,
	    "{\"outerIpAddress\":\"198.51.100.3\",\"innerIpAddress\":\"10.10.10.10\"}");
}

/* The whole way from the words typed to what is sent, as vpgctl goes. */
static void
test_cli_parse_args_gate_open_full_line_typed_request(void **state)
{
	char *argv[] = { "--json", "gate", "open", "--privacy-separator", "false", "--vxlan-id",
		"0042" };
	struct cli_opts o = { CLI_DEFAULT_ENDPOINT, NULL, CLI_DEFAULT_TIMEOUT };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int argc = 7, n;

	(void)state;
	assert_int_equal(cli_parse_opts(stderr, &o, &argc, argv), 0);
	c = cli_find(argc, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, argc - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(c->method, "POST");
	assert_string_equal(path, "/v1/gate/open");
	check_body(c, vals, "{\"vxlanId\":42,\"privacySeparatorEnabled\":false}");
}

static void
test_cli_build_path_gate_peers_delete_outer_substituted(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "198.51.100.3" };
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("gate peers delete"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/gate/peers/198.51.100.3");
}

/* The output file is vpgctl's own: neither in the path nor in a query. */
static void
test_cli_parse_args_peek_download_output_not_sent(void **state)
{
	char *argv[] = { "peek", "download", "0a1b2c3d4e5f6071", "-o", "cap.pcapng" };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int n;

	(void)state;
	c = cli_find(5, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, 5 - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(c->method, "GET");
	assert_string_equal(path, "/v1/packet_capture_sessions/0a1b2c3d4e5f6071/pcap");
	assert_string_equal(cli_output_file(c, vals), "cap.pcapng");
	assert_null(cli_output_file(cmd_of("peek get"), vals));
}

static void
test_cli_parse_args_peek_start_typed_body_bad_id_refused(void **state)
{
	char *argv[] = { "peek", "start", "--imsi", "999010000000001", "--duration", "60" };
	char *bad[] = { "peek", "get", "../x" };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	int n;

	(void)state;
	c = cli_find(6, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, 6 - n, argv + n, vals, ""), 0);
	check_body(c, vals, "{\"duration\":60,\"imsi\":\"999010000000001\"}");
	c = cli_find(3, bad, &n);
	assert_int_equal(
	    parse_args(c, 3 - n, bad + n, vals,
		"vpgctl: \"id\": not a capture session id (1 to 32 hex digits) (\"../x\")\n"),
	    -1);
}

static void
test_cli_build_path_gate_open_fixed(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "10", "true" };
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("gate open"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/gate/open");
}

static void
test_cli_usage_redirection_group_exact_rows(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "redirection");
	assert_non_null(strstr(mem_text(&m),
	    "Commands:\n"
	    "  redirection get                                                             show "
	    "where device traffic is redirected\n"
	    "  redirection set --gateway ADDR [--enabled true|false] [--description TEXT]  send "
	    "all "
	    "device traffic to the gate peer with inner address ADDR\n"
	    "  redirection unset                                                           stop "
	    "redirecting device traffic\n"
	    "\n"));
	assert_null(strstr(mem_text(&m), "gate peers"));
	mem_close(&m);
}

/* Each redirection call of docs/API.md is exactly one row, with its method, path and body. */
static void
test_cli_find_redirection_rows_method_path_body(void **state)
{
	static const struct {
		const char *words, *method;
		bool body;
	} want[] = {
		{ "redirection get", "GET", false },
		{ "redirection set", "PUT", true },
		{ "redirection unset", "DELETE", false },
	};
	size_t rows = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct cli_cmd *c = cmd_of(want[i].words);

		assert_string_equal(c->method, want[i].method);
		assert_string_equal(c->path, "/v1/junction/redirection");
		assert_int_equal(c->body != NULL, want[i].body);
		assert_ptr_equal(c->format, cli_format_object);
	}
	for (size_t i = 0; i < cli_ncmds; i++)
		rows += strcmp(cli_cmds[i].words[0], "redirection") == 0;
	assert_int_equal(rows, sizeof(want) / sizeof(want[0]));
}

static void
test_cli_find_redirection_alone_null(void **state)
{
	char *argv[] = { "redirection", "--gateway", "10.10.10.10" };
	int n = -1;

	(void)state;
	assert_null(cli_find(3, argv, &n));
	assert_int_equal(n, 0);
}

static void
test_cli_body_fields_redirection_set_typed_json(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "10.10.10.10", "false", "to the LAN" };

	(void)state;
	check_body(cmd_of("redirection set"), vals,
	    "{\"gateway\":\"10.10.10.10\",\"enabled\":false,\"description\":\"to the LAN\"}");
}

static void
test_cli_body_fields_redirection_set_empty_description_sent(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "10.10.10.10", NULL, "" };

	(void)state;
	check_body(
	    cmd_of("redirection set"), vals, "{\"gateway\":\"10.10.10.10\",\"description\":\"\"}");
}

/* DESIGN.md's example, from the words typed to what is sent. */
static void
test_cli_parse_args_redirection_set_full_line_request(void **state)
{
	char *argv[] = { "redirection", "set", "--gateway", "10.10.10.10", "--json" };
	struct cli_opts o = { CLI_DEFAULT_ENDPOINT, NULL, CLI_DEFAULT_TIMEOUT };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int argc = 5, n;

	(void)state;
	assert_int_equal(cli_parse_opts(stderr, &o, &argc, argv), 0);
	assert_true(o.json);
	c = cli_find(argc, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, argc - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(c->method, "PUT");
	assert_string_equal(path, "/v1/junction/redirection");
	check_body(c, vals, "{\"gateway\":\"10.10.10.10\"}");
}

/* The setting as docs/API.md gives it, printed NAME VALUE; "" shows as "-". */
static void
test_cli_print_response_redirection_get_name_value(void **state)
{
	static const char answer[] =
	    "{ \"gateway\": \"10.10.10.10\", \"enabled\": true, \"description\": \"\" }";
	struct mem out, err;

	(void)state;
	mem_open(&out);
	mem_open(&err);
	assert_int_equal(cli_print_response(out.f, err.f, cmd_of("redirection get"), false, answer,
			     sizeof(answer) - 1),
	    0);
	assert_string_equal(mem_text(&out), "NAME         VALUE\n"
					    "gateway      10.10.10.10\n"
					    "enabled      true\n"
					    "description  -\n");
	assert_string_equal(mem_text(&err), "");
	mem_close(&err);
	mem_close(&out);
}

/* DELETE answers 204 with no body: nothing is printed. */
static void
test_cli_print_response_redirection_unset_empty_prints_nothing(void **state)
{
	struct mem out, err;

	(void)state;
	mem_open(&out);
	mem_open(&err);
	assert_int_equal(
	    cli_print_response(out.f, err.f, cmd_of("redirection unset"), false, "", 0), 0);
	assert_string_equal(mem_text(&out), "");
	assert_string_equal(mem_text(&err), "");
	mem_close(&err);
	mem_close(&out);
}

static void
test_cli_usage_routing_filter_group_exact_rows(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "routing-filter");
	assert_non_null(strstr(mem_text(&m),
	    "Commands:\n"
	    "  routing-filter get            show the routing filter's rules, the first match "
	    "deciding\n"
	    "  routing-filter set [RULE...]  replace the routing filter by RULEs (allow:CIDR or "
	    "deny:CIDR), in order\n"
	    "\n"));
	mem_close(&m);
}

static void
test_cli_usage_cmd_routing_filter_set_synopsis(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage_cmd(m.f, cmd_of("routing-filter set"));
	assert_string_equal(mem_text(&m),
	    "Usage: vpgctl [OPTIONS] routing-filter set [RULE...]\n"
	    "  replace the routing filter by RULEs (allow:CIDR or deny:CIDR), in order\n");
	mem_close(&m);
}

/* Each routing filter call of docs/API.md is exactly one row. */
static void
test_cli_find_routing_filter_rows_method_path_body(void **state)
{
	const struct cli_cmd *get = cmd_of("routing-filter get");
	const struct cli_cmd *set = cmd_of("routing-filter set");
	size_t rows = 0;

	(void)state;
	assert_string_equal(get->method, "GET");
	assert_string_equal(get->path, "/v1/routing_filter");
	assert_null(get->body);
	assert_ptr_equal(get->format, cli_format_list);
	assert_string_equal(set->method, "PUT");
	assert_string_equal(set->path, "/v1/routing_filter");
	assert_ptr_equal(set->body, cli_body_list);
	assert_ptr_equal(set->format, cli_format_list);
	for (size_t i = 0; i < cli_ncmds; i++)
		rows += strcmp(cli_cmds[i].words[0], "routing-filter") == 0;
	assert_int_equal(rows, 2);
}

static void
check_list_body(const struct cli_cmd *cmd, const char *const *vals, const char *want)
{
	json_t *j = cli_body_list(cmd, vals);
	char *text;

	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT);
	assert_string_equal(text, want);
	free(text);
	json_decref(j);
}

static void
test_cli_body_list_routing_filter_set_array_in_order(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "allow:10.0.0.0/16", "deny:0.0.0.0/0" };

	(void)state;
	check_list_body(cmd_of("routing-filter set"), vals,
	    "[{\"action\":\"allow\",\"ipRange\":\"10.0.0.0/16\"},"
	    "{\"action\":\"deny\",\"ipRange\":\"0.0.0.0/0\"}]");
}

static void
test_cli_body_list_routing_filter_set_no_rule_empty_array(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { NULL };

	(void)state;
	check_list_body(cmd_of("routing-filter set"), vals, "[]");
}

/* docs/API.md's example, from the words typed to what is sent; --json may come between rules. */
static void
test_cli_parse_args_routing_filter_set_full_line_request(void **state)
{
	char *argv[] = { "routing-filter", "set", "allow:10.0.0.0/16", "--json", "deny:0.0.0.0/0" };
	struct cli_opts o = { CLI_DEFAULT_ENDPOINT, NULL, CLI_DEFAULT_TIMEOUT };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int argc = 5, n;

	(void)state;
	assert_int_equal(cli_parse_opts(stderr, &o, &argc, argv), 0);
	assert_true(o.json);
	c = cli_find(argc, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, argc - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(c->method, "PUT");
	assert_string_equal(path, "/v1/routing_filter");
	check_list_body(c, vals,
	    "[{\"action\":\"allow\",\"ipRange\":\"10.0.0.0/16\"},"
	    "{\"action\":\"deny\",\"ipRange\":\"0.0.0.0/0\"}]");
}

static void
check_response(const char *words, const char *answer, const char *want)
{
	struct mem out, err;

	mem_open(&out);
	mem_open(&err);
	assert_int_equal(
	    cli_print_response(out.f, err.f, cmd_of(words), false, answer, strlen(answer)), 0);
	assert_string_equal(mem_text(&out), want);
	assert_string_equal(mem_text(&err), "");
	mem_close(&err);
	mem_close(&out);
}

/* The list as docs/API.md gives it, with each rule's [index]. */
static void
test_cli_print_response_routing_filter_get_indexed_table(void **state)
{
	(void)state;
	check_response("routing-filter get",
	    "[ { \"action\": \"allow\", \"ipRange\": \"10.0.0.0/16\" },"
	    " { \"action\": \"deny\", \"ipRange\": \"0.0.0.0/0\" } ]",
	    "INDEX  ACTION  IP_RANGE\n"
	    "0      allow   10.0.0.0/16\n"
	    "1      deny    0.0.0.0/0\n");
}

static void
test_cli_print_response_routing_filter_empty_header_only(void **state)
{
	(void)state;
	check_response("routing-filter get", "[]", "INDEX  ACTION  IP_RANGE\n");
	check_response("routing-filter set", "[]", "INDEX  ACTION  IP_RANGE\n");
}

/* PUT answers with the list stored: the same table. */
static void
test_cli_print_response_routing_filter_set_indexed_table(void **state)
{
	(void)state;
	check_response("routing-filter set", "[{\"action\":\"deny\",\"ipRange\":\"192.0.2.7/32\"}]",
	    "INDEX  ACTION  IP_RANGE\n"
	    "0      deny    192.0.2.7/32\n");
}

/* Each SIM-based routing call is one row; set and unset name the device in the path. */
static void
test_cli_find_sim_routing_rows_method_path(void **state)
{
	static const struct {
		const char *words, *method, *path;
	} want[] = {
		{ "sim-routing show", "GET", "/v1/sim_based_routing/routes" },
		{ "sim-routing set", "PUT", "/v1/sim_based_routing/routes/{imsi}" },
		{ "sim-routing unset", "DELETE", "/v1/sim_based_routing/routes/{imsi}" },
		{ "sim-routing enable", "POST", "/v1/sim_based_routing/enable" },
		{ "sim-routing disable", "POST", "/v1/sim_based_routing/disable" },
	};
	size_t rows = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct cli_cmd *c = cmd_of(want[i].words);

		assert_string_equal(c->method, want[i].method);
		assert_string_equal(c->path, want[i].path);
		assert_ptr_equal(c->format, cli_format_sim_routes);
	}
	for (size_t i = 0; i < cli_ncmds; i++)
		rows += strcmp(cli_cmds[i].words[0], "sim-routing") == 0;
	assert_int_equal(rows, 5);
}

static void
test_cli_parse_args_sim_routing_set_full_line_request(void **state)
{
	char *argv[] = { "sim-routing", "set", "001010000000001", "192.168.50.0/24",
		"192.168.51.0/24" };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int n;

	(void)state;
	c = cli_find(5, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, 5 - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/sim_based_routing/routes/001010000000001");
	check_body(c, vals, "{\"destinations\":[\"192.168.50.0/24\",\"192.168.51.0/24\"]}");
}

/* At least one PREFIX: without, the usage. */
static void
test_cli_parse_args_sim_routing_set_no_prefix_usage(void **state)
{
	char *argv[] = { "1" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("sim-routing set"), 1, argv, vals,
			     "Usage: vpgctl [OPTIONS] sim-routing set IMSI PREFIX...\n"
			     "  route each PREFIX to the device IMSI, in place of its list\n"),
	    -1);
}

static void
test_cli_build_path_sim_routing_unset_imsi_in_path(void **state)
{
	char *argv[] = { "99901" };
	const char *vals[CLI_MAX_ARGS];
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(parse_args(cmd_of("sim-routing unset"), 1, argv, vals, ""), 0);
	assert_int_equal(cli_build_path(cmd_of("sim-routing unset"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/sim_based_routing/routes/99901");
}

/* One row per range, in the table's order, under whether the routes are there at all. */
static void
test_cli_print_response_sim_routing_table(void **state)
{
	(void)state;
	check_response("sim-routing show",
	    "{\"enabled\": true, \"routes\": [ { \"imsi\": \"001010000000001\", \"destinations\":"
	    " [\"192.168.50.0/24\", \"192.168.51.0/24\"] }, { \"imsi\": \"7\","
	    " \"destinations\": [\"203.0.113.7/32\"] } ] }",
	    "SIM-based routing: enabled\n"
	    "\n"
	    "IMSI             DESTINATION\n"
	    "001010000000001  192.168.50.0/24\n"
	    "001010000000001  192.168.51.0/24\n"
	    "7                203.0.113.7/32\n");
	check_response("sim-routing disable", "{\"enabled\": false, \"routes\": []}",
	    "SIM-based routing: disabled\n"
	    "\n"
	    "IMSI  DESTINATION\n");
}

static void
test_cli_print_response_sim_routing_wrong_shape_refused(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{\"routes\": []}",
		"{\"enabled\": true, \"routes\": [ { \"imsi\": \"1\" } ]}",
		"{\"enabled\": true, \"routes\": [ { \"imsi\": \"1\", \"destinations\": [1] } ]}",
	};
	struct mem out, err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mem_open(&out);
		mem_open(&err);
		assert_int_equal(cli_print_response(out.f, err.f, cmd_of("sim-routing show"), false,
				     bad[i], strlen(bad[i])),
		    -1);
		assert_string_equal(mem_text(&out), "");
		assert_non_null(strstr(mem_text(&err), "vpgctl: "));
		mem_close(&err);
		mem_close(&out);
	}
}

static void
test_cli_usage_mirroring_group_exact_rows(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "mirroring");
	assert_non_null(strstr(mem_text(&m),
	    "Commands:\n"
	    "  mirroring list                                                       list the "
	    "mirroring peers\n"
	    "  mirroring add --ip ADDR [--enabled true|false] [--description TEXT]  send a GRE "
	    "copy of every packet through the gateway to ADDR\n"
	    "  mirroring update ADDR [--enabled true|false] [--description TEXT]    change the "
	    "mirroring peer at ADDR; what is not given stays\n"
	    "  mirroring delete ADDR                                                stop mirroring "
	    "to ADDR\n"
	    "\n"));
	assert_null(strstr(mem_text(&m), "redirection"));
	mem_close(&m);
}

/* The protocol has one value, sent by the row: the user never types it. */
static void
test_cli_usage_cmd_mirroring_add_synopsis_without_protocol(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage_cmd(m.f, cmd_of("mirroring add"));
	assert_string_equal(mem_text(&m),
	    "Usage: vpgctl [OPTIONS] mirroring add --ip ADDR [--enabled true|false] "
	    "[--description TEXT]\n"
	    "  send a GRE copy of every packet through the gateway to ADDR\n");
	assert_null(strstr(mem_text(&m), "PROTOCOL"));
	mem_close(&m);
}

/* Each mirroring call of docs/API.md is exactly one row, with its method, path and body. */
static void
test_cli_find_mirroring_rows_method_path_body(void **state)
{
	static const struct {
		const char *words, *method, *path;
		int (*format)(FILE *, const struct cli_cmd *, struct json_t *);
	} want[] = {
		{ "mirroring list", "GET", "/v1/junction/mirroring/peers", cli_format_list },
		{ "mirroring add", "POST", "/v1/junction/mirroring/peers", cli_format_row },
		{ "mirroring update", "PUT", "/v1/junction/mirroring/peers/{ipAddress}",
		    cli_format_row },
		{ "mirroring delete", "DELETE", "/v1/junction/mirroring/peers/{ipAddress}",
		    cli_format_object },
	};
	size_t rows = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct cli_cmd *c = cmd_of(want[i].words);

		assert_string_equal(c->method, want[i].method);
		assert_string_equal(c->path, want[i].path);
		assert_ptr_equal(c->format, want[i].format);
		if (strcmp(c->method, "POST") == 0 || strcmp(c->method, "PUT") == 0)
			assert_ptr_equal(c->body, cli_body_fields);
		else
			assert_null(c->body);
	}
	for (size_t i = 0; i < cli_ncmds; i++)
		rows += strcmp(cli_cmds[i].words[0], "mirroring") == 0;
	assert_int_equal(rows, sizeof(want) / sizeof(want[0]));
}

static void
test_cli_find_mirroring_alone_null(void **state)
{
	char *argv[] = { "mirroring", "--ip", "203.0.113.7" };
	int n = -1;

	(void)state;
	assert_null(cli_find(3, argv, &n));
	assert_int_equal(n, 0);
}

/* docs/API.md's body, fields in its order, "protocol": "gre" always there. */
static void
test_cli_body_fields_mirroring_add_protocol_gre_in_order(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "203.0.113.7", "gre", "false", "tap" };

	(void)state;
	check_body(cmd_of("mirroring add"), vals,
	    "{\"ipAddress\":\"203.0.113.7\",\"protocol\":\"gre\",\"enabled\":false,"
	    "\"description\":\"tap\"}");
}

/* The address is the path's, so the body carries only what changes. */
static void
test_cli_body_fields_mirroring_update_address_not_in_body(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "203.0.113.7", "true", "" };

	(void)state;
	check_body(cmd_of("mirroring update"), vals, "{\"enabled\":true,\"description\":\"\"}");
}

static void
test_cli_body_fields_mirroring_update_nothing_given_empty_object(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "203.0.113.7", NULL, NULL };

	(void)state;
	check_body(cmd_of("mirroring update"), vals, "{}");
}

static void
test_cli_build_path_mirroring_update_delete_address_substituted(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "203.0.113.7" };
	char path[CLI_PATH_LEN];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("mirroring update"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/junction/mirroring/peers/203.0.113.7");
	assert_int_equal(cli_build_path(cmd_of("mirroring delete"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/junction/mirroring/peers/203.0.113.7");
}

/* DESIGN.md's example, from the words typed to what is sent. */
static void
test_cli_parse_args_mirroring_add_full_line_request(void **state)
{
	char *argv[] = { "mirroring", "add", "--ip", "203.0.113.7" };
	struct cli_opts o = { CLI_DEFAULT_ENDPOINT, NULL, CLI_DEFAULT_TIMEOUT };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int argc = 4, n;

	(void)state;
	assert_int_equal(cli_parse_opts(stderr, &o, &argc, argv), 0);
	c = cli_find(argc, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, argc - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(c->method, "POST");
	assert_string_equal(path, "/v1/junction/mirroring/peers");
	check_body(c, vals, "{\"ipAddress\":\"203.0.113.7\",\"protocol\":\"gre\"}");
}

static void
test_cli_parse_args_mirroring_update_full_line_request(void **state)
{
	char *argv[] = { "--json", "mirroring", "update", "203.0.113.7", "--enabled", "false" };
	struct cli_opts o = { CLI_DEFAULT_ENDPOINT, NULL, CLI_DEFAULT_TIMEOUT };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int argc = 6, n;

	(void)state;
	assert_int_equal(cli_parse_opts(stderr, &o, &argc, argv), 0);
	assert_true(o.json);
	c = cli_find(argc, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, argc - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(c->method, "PUT");
	assert_string_equal(path, "/v1/junction/mirroring/peers/203.0.113.7");
	check_body(c, vals, "{\"enabled\":false}");
}

/* The list as docs/API.md gives it; "" shows as "-". */
static void
test_cli_print_response_mirroring_list_table(void **state)
{
	(void)state;
	check_response("mirroring list",
	    "[ { \"ipAddress\": \"203.0.113.7\", \"protocol\": \"gre\", \"enabled\": true,"
	    " \"description\": \"\" },"
	    " { \"ipAddress\": \"203.0.113.10\", \"protocol\": \"gre\", \"enabled\": false,"
	    " \"description\": \"lab tap\" } ]",
	    "IP_ADDRESS    PROTOCOL  ENABLED  DESCRIPTION\n"
	    "203.0.113.7   gre       true     -\n"
	    "203.0.113.10  gre       false    lab tap\n");
	check_response("mirroring list", "[]", "IP_ADDRESS  PROTOCOL  ENABLED  DESCRIPTION\n");
}

/* POST and PUT answer with the peer: one row of the same table. */
static void
test_cli_print_response_mirroring_add_update_row(void **state)
{
	static const char peer[] = "{ \"ipAddress\": \"203.0.113.7\", \"protocol\": \"gre\","
				   " \"enabled\": true, \"description\": \"tap\" }";
	static const char want[] = "IP_ADDRESS   PROTOCOL  ENABLED  DESCRIPTION\n"
				   "203.0.113.7  gre       true     tap\n";

	(void)state;
	check_response("mirroring add", peer, want);
	check_response("mirroring update", peer, want);
}

/* DELETE answers 204 with no body: nothing is printed. */
static void
test_cli_print_response_mirroring_delete_empty_prints_nothing(void **state)
{
	(void)state;
	check_response("mirroring delete", "", "");
}

/* The set row's synopsis is too long to align: its help goes on the next line. */
static void
test_cli_usage_inspection_group_exact_rows(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "inspection");
	assert_non_null(strstr(mem_text(&m),
	    "Commands:\n"
	    "  inspection show                              show the flow inspection settings\n"
	    "  inspection set [--active-timeout SECONDS] [--idle-timeout SECONDS] [--max-flows N] "
	    "[--disabled] --collector ADDR[:PORT]...\n"
	    "                                               count device flows and export them "
	    "as IPFIX to each ADDR (port 4739 by default)\n"
	    "  inspection unset                             stop inspecting flows and forget the "
	    "settings\n"
	    "  inspection flows [--limit N]                 list the flows being counted, most "
	    "bytes first\n"
	    "  inspection top [--window SECONDS] [--top N]  show the applications, devices and "
	    "flows with the most traffic lately\n"
	    "\n"));
	assert_null(strstr(mem_text(&m), "mirroring"));
	mem_close(&m);
}

static void
test_cli_usage_cmd_inspection_set_synopsis(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage_cmd(m.f, cmd_of("inspection set"));
	assert_string_equal(mem_text(&m),
	    "Usage: vpgctl [OPTIONS] inspection set [--active-timeout SECONDS] [--idle-timeout "
	    "SECONDS] [--max-flows N] [--disabled] --collector ADDR[:PORT]...\n"
	    "  count device flows and export them as IPFIX to each ADDR (port 4739 by default)\n");
	mem_close(&m);
}

/* Each inspection call of docs/API.md is exactly one row, with its method, path and body. */
static void
test_cli_find_inspection_rows_method_path_body(void **state)
{
	static const struct {
		const char *words, *method, *path;
		int (*format)(FILE *, const struct cli_cmd *, struct json_t *);
	} want[] = {
		{ "inspection show", "GET", "/v1/junction/inspection", cli_format_object },
		{ "inspection set", "PUT", "/v1/junction/inspection", cli_format_object },
		{ "inspection unset", "DELETE", "/v1/junction/inspection", cli_format_object },
		{ "inspection flows", "GET", "/v1/junction/inspection/flows", cli_format_flows },
		{ "inspection top", "GET", "/v1/junction/inspection/summary", cli_format_summary },
	};
	size_t rows = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct cli_cmd *c = cmd_of(want[i].words);

		assert_string_equal(c->method, want[i].method);
		assert_string_equal(c->path, want[i].path);
		assert_ptr_equal(c->format, want[i].format);
		if (strcmp(c->method, "PUT") == 0)
			assert_ptr_equal(c->body, cli_body_fields);
		else
			assert_null(c->body);
	}
	for (size_t i = 0; i < cli_ncmds; i++)
		rows += strcmp(cli_cmds[i].words[0], "inspection") == 0;
	assert_int_equal(rows, sizeof(want) / sizeof(want[0]));
}

/* The words typed to the request: path, method and body. */
static void
check_request(
    char **argv, int argc, const char *method, const char *want_path, const char *want_body)
{
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int n;

	c = cli_find(argc, argv, &n);
	assert_non_null(c);
	assert_int_equal(parse_args(c, argc - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(c->method, method);
	assert_string_equal(path, want_path);
	if (want_body == NULL)
		assert_null(c->body);
	else
		check_body(c, vals, want_body);
}

/* Every option, the collector repeated: the API's body, collectors an array in the order typed. */
static void
test_cli_parse_args_inspection_set_full_line_request(void **state)
{
	char *argv[] = { "inspection", "set", "--collector", "192.0.2.9", "--max-flows", "1024",
		"--disabled", "--active-timeout", "300", "--collector", "192.0.2.10:2055",
		"--idle-timeout", "30" };

	(void)state;
	check_request(argv, 13, "PUT", "/v1/junction/inspection",
	    "{\"activeTimeout\":300,\"idleTimeout\":30,\"maxFlows\":1024,\"enabled\":false,"
	    "\"collectors\":[\"192.0.2.9\",\"192.0.2.10:2055\"]}");
}

/* DESIGN.md's example: one collector; what is not typed is the API's default. */
static void
test_cli_parse_args_inspection_set_collector_only(void **state)
{
	char *argv[] = { "inspection", "set", "--collector", "203.0.113.5:4739" };

	(void)state;
	check_request(
	    argv, 4, "PUT", "/v1/junction/inspection", "{\"collectors\":[\"203.0.113.5:4739\"]}");
}

/* Five collectors go to the API, which says how many it takes. */
static void
test_cli_parse_args_inspection_set_collectors_not_counted(void **state)
{
	char *argv[] = { "inspection", "set", "--collector", "192.0.2.1", "--collector",
		"192.0.2.2", "--collector", "192.0.2.3", "--collector", "192.0.2.4", "--collector",
		"192.0.2.5" };

	(void)state;
	check_request(argv, 12, "PUT", "/v1/junction/inspection",
	    "{\"collectors\":[\"192.0.2.1\",\"192.0.2.2\",\"192.0.2.3\",\"192.0.2.4\","
	    "\"192.0.2.5\"]}");
}

static void
test_cli_parse_args_inspection_set_no_collector_usage(void **state)
{
	char *argv[] = { "--max-flows", "1024" };
	const char *vals[CLI_MAX_ARGS];
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_parse_args(m.f, cmd_of("inspection set"), 2, argv, vals), -1);
	assert_non_null(strstr(mem_text(&m), "Usage: vpgctl [OPTIONS] inspection set "));
	mem_close(&m);
}

/* --disabled takes no value: a word after it is a surplus argument, and twice is once too many. */
static void
test_cli_parse_args_inspection_set_disabled_takes_no_value(void **state)
{
	char *value[] = { "--collector", "192.0.2.9", "--disabled", "true" };
	char *twice[] = { "--disabled", "--collector", "192.0.2.9", "--disabled" };
	const char *vals[CLI_MAX_ARGS];
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_parse_args(m.f, cmd_of("inspection set"), 4, value, vals), -1);
	assert_non_null(strstr(mem_text(&m), "Usage: vpgctl [OPTIONS] inspection set "));
	mem_close(&m);
	mem_open(&m);
	assert_int_equal(cli_parse_args(m.f, cmd_of("inspection set"), 4, twice, vals), -1);
	assert_non_null(strstr(mem_text(&m), "Usage: vpgctl [OPTIONS] inspection set "));
	mem_close(&m);
}

/* The collector is checked here, in the API's words, naming its place in the list. */
static void
test_cli_parse_args_inspection_set_bad_collector_named(void **state)
{
	char *addr[] = { "--collector", "192.0.2.9", "--collector", "192.0.2" };
	char *port[] = { "--collector", "192.0.2.9:0" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("inspection set"), 4, addr, vals,
			     "vpgctl: \"collectors\": [1] is not an IPv4 address with an "
			     "optional :port (\"192.0.2\")\n"),
	    -1);
	assert_int_equal(parse_args(cmd_of("inspection set"), 2, port, vals,
			     "vpgctl: \"collectors\": [0] has a port outside 1 to 65535 "
			     "(\"192.0.2.9:0\")\n"),
	    -1);
}

/* A GET's arguments are its query, in the row's order; none given, none sent. */
static void
test_cli_build_path_inspection_query(void **state)
{
	char *flows[] = { "inspection", "flows", "--limit", "20" };
	char *top[] = { "inspection", "top", "--top", "5", "--window", "60" };
	char *bare[] = { "inspection", "top" };

	(void)state;
	check_request(flows, 4, "GET", "/v1/junction/inspection/flows?limit=20", NULL);
	check_request(top, 6, "GET", "/v1/junction/inspection/summary?window=60&top=5", NULL);
	check_request(bare, 2, "GET", "/v1/junction/inspection/summary", NULL);
}

static void
test_cli_build_path_inspection_query_too_long_fails(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { "10000" };
	char path[sizeof("/v1/junction/inspection/flows?limit=10000")];

	(void)state;
	assert_int_equal(cli_build_path(cmd_of("inspection flows"), vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/junction/inspection/flows?limit=10000");
	assert_int_equal(
	    cli_build_path(cmd_of("inspection flows"), vals, path, sizeof(path) - 1), -1);
}

static void
test_cli_parse_args_inspection_flows_limit_out_of_range(void **state)
{
	char *argv[] = { "--limit", "10001" };
	const char *vals[CLI_MAX_ARGS];

	(void)state;
	assert_int_equal(parse_args(cmd_of("inspection flows"), 2, argv, vals,
			     "vpgctl: \"limit\": must be between 1 and 10000 (10001)\n"),
	    -1);
}

/* The settings as docs/API.md gives them, NAME VALUE; the collectors as their JSON list. */
static void
test_cli_print_response_inspection_show_name_value(void **state)
{
	(void)state;
	check_response("inspection show",
	    "{\"enabled\":true,\"collectors\":[\"192.0.2.9:4739\"],\"activeTimeout\":60,"
	    "\"idleTimeout\":15,\"maxFlows\":65536}",
	    "NAME           VALUE\n"
	    "enabled        true\n"
	    "collectors     [\"192.0.2.9:4739\"]\n"
	    "activeTimeout  60\n"
	    "idleTimeout    15\n"
	    "maxFlows       65536\n");
}

static void
test_cli_print_response_inspection_unset_empty_prints_nothing(void **state)
{
	(void)state;
	check_response("inspection unset", "", "");
}

static void
test_cli_usage_dns_group_exact_rows(void **state)
{
	struct mem m;

	(void)state;
	mem_open(&m);
	cli_usage(m.f, "dns");
	assert_non_null(strstr(mem_text(&m),
	    "Commands:\n"
	    "  dns show           show the DNS servers devices are told when they attach, primary "
	    "first\n"
	    "  dns set [ADDR...]  set the DNS servers (at most 2, primary first) told to devices "
	    "from their next attach\n"
	    "\n"));
	mem_close(&m);
}

/* Each DNS call of docs/API.md is exactly one row. */
static void
test_cli_find_dns_rows_method_path_body(void **state)
{
	const struct cli_cmd *show = cmd_of("dns show");
	const struct cli_cmd *set = cmd_of("dns set");
	size_t rows = 0;

	(void)state;
	assert_string_equal(show->method, "GET");
	assert_string_equal(show->path, "/v1/vpg/dns");
	assert_null(show->body);
	assert_ptr_equal(show->format, cli_format_values);
	assert_string_equal(set->method, "PUT");
	assert_string_equal(set->path, "/v1/vpg/dns");
	assert_ptr_equal(set->body, cli_body_list);
	assert_ptr_equal(set->format, cli_format_values);
	for (size_t i = 0; i < cli_ncmds; i++)
		rows += strcmp(cli_cmds[i].words[0], "dns") == 0;
	assert_int_equal(rows, 2);
}

/* docs/API.md's example, from the words typed to what is sent. */
static void
test_cli_parse_args_dns_set_full_line_request(void **state)
{
	char *argv[] = { "dns", "set", "100.64.0.53", "192.0.2.53" };
	const char *vals[CLI_MAX_ARGS];
	const struct cli_cmd *c;
	char path[CLI_PATH_LEN];
	int n;

	(void)state;
	c = cli_find(4, argv, &n);
	assert_ptr_equal(c, cmd_of("dns set"));
	assert_int_equal(parse_args(c, 4 - n, argv + n, vals, ""), 0);
	assert_int_equal(cli_build_path(c, vals, path, sizeof(path)), 0);
	assert_string_equal(path, "/v1/vpg/dns");
	check_list_body(c, vals, "[\"100.64.0.53\",\"192.0.2.53\"]");
}

static void
test_cli_body_list_dns_set_none_empty_array(void **state)
{
	const char *vals[CLI_MAX_ARGS] = { NULL };

	(void)state;
	check_list_body(cmd_of("dns set"), vals, "[]");
}

/* GET and PUT answer with the list now told to devices: the same table. */
static void
test_cli_print_response_dns_indexed_table(void **state)
{
	(void)state;
	check_response("dns show", "[\"100.64.0.53\", \"192.0.2.53\"]",
	    "INDEX  DNS_SERVER\n"
	    "0      100.64.0.53\n"
	    "1      192.0.2.53\n");
	check_response("dns set", "[\"198.51.100.53\"]",
	    "INDEX  DNS_SERVER\n"
	    "0      198.51.100.53\n");
	check_response("dns set", "[]", "INDEX  DNS_SERVER\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_find_two_words_row),
		cmocka_unit_test(test_cli_find_unknown_word_null),
		cmocka_unit_test(test_cli_find_group_word_alone_null),
		cmocka_unit_test(test_cli_find_no_words_null),
		cmocka_unit_test(test_cli_build_path_imsi_substituted),
		cmocka_unit_test(test_cli_build_path_no_parameter_unchanged),
		cmocka_unit_test(test_cli_build_path_too_long_fails),
		cmocka_unit_test(test_cli_body_fields_ip_map_put_address_only),
		cmocka_unit_test(test_cli_body_fields_absent_option_omitted),
		cmocka_unit_test(test_cli_body_fields_every_option_by_field),
		cmocka_unit_test(test_cli_usage_all_lists_every_command),
		cmocka_unit_test(test_cli_usage_all_exact_text),
		cmocka_unit_test(test_cli_usage_group_only_its_rows),
		cmocka_unit_test(test_cli_usage_unknown_group_lists_all),
		cmocka_unit_test(test_cli_usage_gate_group_exact_rows),
		cmocka_unit_test(test_cli_usage_cmd_gate_open_synopsis),
		cmocka_unit_test(test_cli_find_gate_peers_three_words_row),
		cmocka_unit_test(test_cli_find_gate_peers_alone_null),
		cmocka_unit_test(test_cli_find_gate_rows_method_path_body),
		cmocka_unit_test(test_cli_body_fields_gate_open_typed_json),
		cmocka_unit_test(test_cli_body_fields_gate_open_vxlan_id_only),
		cmocka_unit_test(test_cli_body_fields_gate_open_separator_false_only),
		cmocka_unit_test(test_cli_body_fields_gate_open_nothing_given_empty_object),
		cmocka_unit_test(test_cli_body_fields_gate_peers_add_both_strings),
		cmocka_unit_test(test_cli_parse_args_gate_open_full_line_typed_request),
		cmocka_unit_test(test_cli_build_path_gate_peers_delete_outer_substituted),
		cmocka_unit_test(test_cli_build_path_gate_open_fixed),
		cmocka_unit_test(test_cli_parse_args_peek_download_output_not_sent),
		cmocka_unit_test(test_cli_parse_args_peek_start_typed_body_bad_id_refused),
		cmocka_unit_test(test_cli_usage_redirection_group_exact_rows),
		cmocka_unit_test(test_cli_find_redirection_rows_method_path_body),
		cmocka_unit_test(test_cli_find_redirection_alone_null),
		cmocka_unit_test(test_cli_body_fields_redirection_set_typed_json),
		cmocka_unit_test(test_cli_body_fields_redirection_set_empty_description_sent),
		cmocka_unit_test(test_cli_parse_args_redirection_set_full_line_request),
		cmocka_unit_test(test_cli_print_response_redirection_get_name_value),
		cmocka_unit_test(test_cli_print_response_redirection_unset_empty_prints_nothing),
		cmocka_unit_test(test_cli_usage_routing_filter_group_exact_rows),
		cmocka_unit_test(test_cli_usage_dns_group_exact_rows),
		cmocka_unit_test(test_cli_find_dns_rows_method_path_body),
		cmocka_unit_test(test_cli_parse_args_dns_set_full_line_request),
		cmocka_unit_test(test_cli_body_list_dns_set_none_empty_array),
		cmocka_unit_test(test_cli_print_response_dns_indexed_table),
		cmocka_unit_test(test_cli_usage_cmd_routing_filter_set_synopsis),
		cmocka_unit_test(test_cli_find_routing_filter_rows_method_path_body),
		cmocka_unit_test(test_cli_body_list_routing_filter_set_array_in_order),
		cmocka_unit_test(test_cli_body_list_routing_filter_set_no_rule_empty_array),
		cmocka_unit_test(test_cli_parse_args_routing_filter_set_full_line_request),
		cmocka_unit_test(test_cli_print_response_routing_filter_get_indexed_table),
		cmocka_unit_test(test_cli_print_response_routing_filter_empty_header_only),
		cmocka_unit_test(test_cli_print_response_routing_filter_set_indexed_table),
		cmocka_unit_test(test_cli_find_sim_routing_rows_method_path),
		cmocka_unit_test(test_cli_parse_args_sim_routing_set_full_line_request),
		cmocka_unit_test(test_cli_parse_args_sim_routing_set_no_prefix_usage),
		cmocka_unit_test(test_cli_build_path_sim_routing_unset_imsi_in_path),
		cmocka_unit_test(test_cli_print_response_sim_routing_table),
		cmocka_unit_test(test_cli_print_response_sim_routing_wrong_shape_refused),
		cmocka_unit_test(test_cli_usage_mirroring_group_exact_rows),
		cmocka_unit_test(test_cli_usage_cmd_mirroring_add_synopsis_without_protocol),
		cmocka_unit_test(test_cli_find_mirroring_rows_method_path_body),
		cmocka_unit_test(test_cli_find_mirroring_alone_null),
		cmocka_unit_test(test_cli_body_fields_mirroring_add_protocol_gre_in_order),
		cmocka_unit_test(test_cli_body_fields_mirroring_update_address_not_in_body),
		cmocka_unit_test(test_cli_body_fields_mirroring_update_nothing_given_empty_object),
		cmocka_unit_test(test_cli_build_path_mirroring_update_delete_address_substituted),
		cmocka_unit_test(test_cli_parse_args_mirroring_add_full_line_request),
		cmocka_unit_test(test_cli_parse_args_mirroring_update_full_line_request),
		cmocka_unit_test(test_cli_print_response_mirroring_list_table),
		cmocka_unit_test(test_cli_print_response_mirroring_add_update_row),
		cmocka_unit_test(test_cli_print_response_mirroring_delete_empty_prints_nothing),
		cmocka_unit_test(test_cli_usage_inspection_group_exact_rows),
		cmocka_unit_test(test_cli_usage_cmd_inspection_set_synopsis),
		cmocka_unit_test(test_cli_find_inspection_rows_method_path_body),
		cmocka_unit_test(test_cli_parse_args_inspection_set_full_line_request),
		cmocka_unit_test(test_cli_parse_args_inspection_set_collector_only),
		cmocka_unit_test(test_cli_parse_args_inspection_set_collectors_not_counted),
		cmocka_unit_test(test_cli_parse_args_inspection_set_no_collector_usage),
		cmocka_unit_test(test_cli_parse_args_inspection_set_disabled_takes_no_value),
		cmocka_unit_test(test_cli_parse_args_inspection_set_bad_collector_named),
		cmocka_unit_test(test_cli_build_path_inspection_query),
		cmocka_unit_test(test_cli_build_path_inspection_query_too_long_fails),
		cmocka_unit_test(test_cli_parse_args_inspection_flows_limit_out_of_range),
		cmocka_unit_test(test_cli_print_response_inspection_show_name_value),
		cmocka_unit_test(test_cli_print_response_inspection_unset_empty_prints_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
