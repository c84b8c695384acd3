/*
 * Unit tests for what vpgctl prints (src/cli/cli_format.c): every line of the
 * tables and NAME VALUE lists made from the API's answers, and the error
 * messages. Output goes to a memory stream and is compared in full, so a
 * change of one space shows. Answers are the examples of docs/API.md; times
 * are fixed epoch milliseconds, printed in UTC whatever the machine's zone.
 * The rows come from the real table (src/cli/cli_table.c), as vpgctl uses it.
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

static json_t *
load(const char *text)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);

	assert_non_null(j);
	return j;
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

static const char session_json[] =
    "{ \"imsi\": \"999010000000001\", \"msisdn\": \"46702123456\", \"ipAddress\": "
    "\"10.10.0.2\", \"apn\": \"internet\", \"nsapi\": 5, \"teid\": 2884911115, "
    "\"sgsnTeidData\": 1, \"sgsnTeidControl\": 1, \"sgsnAddress\": \"192.0.2.11\", "
    "\"sgsnDataAddress\": \"192.0.2.11\", \"role\": \"ggsn\", \"peerAddress\": \"192.0.2.11\", "
    "\"createdTime\": 1764064800000, "
    "\"uplinkPackets\": 3, \"uplinkBytes\": 252, \"downlinkPackets\": 3, "
    "\"downlinkBytes\": 252 }";

static void
test_cli_format_list_ip_map_columns_aligned(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map list"),
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
	check_format(cli_format_list, cmd_of("ip-map list"), "[]", 0, "KEY  IP_ADDRESS\n");
}

static void
test_cli_format_list_object_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("sessions list"), "{ \"imsi\": \"123456\" }", -1, "");
}

static void
test_cli_format_row_put_answer_one_row(void **state)
{
	(void)state;
	check_format(cli_format_row, cmd_of("ip-map put"),
	    "{ \"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\" }", 0,
	    "KEY              IP_ADDRESS\n"
	    "999010000000001  10.10.0.50\n");
}

static void
test_cli_format_row_array_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_row, cmd_of("ip-map put"), "[]", -1, "");
}

static void
test_cli_format_list_sessions_created_utc(void **state)
{
	char json[1024];

	(void)state;
	snprintf(json, sizeof(json), "[ %s ]", session_json);
	check_format(cli_format_list, cmd_of("sessions list"), json, 0,
	    "IMSI             MSISDN       IP_ADDRESS  APN       ROLE  PEER        CREATED        "
	    "       UP_PKTS  UP_BYTES  DOWN_PKTS  DOWN_BYTES\n"
	    "999010000000001  46702123456  10.10.0.2   internet  ggsn  192.0.2.11  "
	    "2025-11-25T10:00:00Z  3        252       3          252\n");
}

static void
test_cli_format_list_missing_or_empty_field_dash(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map list"),
	    "[ { \"key\": \"\" }, { \"ipAddress\": null } ]", 0,
	    "KEY  IP_ADDRESS\n"
	    "-    -\n"
	    "-    -\n");
}

static void
test_cli_format_list_control_chars_replaced(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map list"),
	    "[ { \"key\": \"a\\u001b[2Jb\", \"ipAddress\": \"x\\ny\" } ]", 0,
	    "KEY     IP_ADDRESS\n"
	    "a?[2Jb  x?y\n");
}

static void
test_cli_format_list_not_array_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("ip-map list"), "42", -1, "");
}

static void
test_cli_format_list_non_object_element_fails_silently(void **state)
{
	(void)state;
	check_format(
	    cli_format_list, cmd_of("ip-map list"), "[ { \"key\": \"123456\" }, \"x\" ]", -1, "");
}

static void
test_cli_format_object_status_name_value(void **state)
{
	(void)state;
	check_format(cli_format_object, cmd_of("status"),
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
	check_format(cli_format_object, cmd_of("sessions get"), session_json, 0,
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
	    "role             ggsn\n"
	    "peerAddress      192.0.2.11\n"
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
	check_format(cli_format_object, cmd_of("status"),
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
	check_format(cli_format_object, cmd_of("status"), "[ {} ]", -1, "");
}

static void
test_cli_format_stats_sections_in_order(void **state)
{
	(void)state;
	/* Sections given out of order: the table's order does not follow the API's. */
	check_format(cli_format_stats, cmd_of("stats"),
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
	check_format(cli_format_stats, cmd_of("stats"),
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
	check_format(cli_format_stats, cmd_of("stats"), "[]", -1, "");
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
	assert_int_equal(print_response(cmd_of("ip-map delete"), false, "", "", ""), 0);
	assert_int_equal(print_response(cmd_of("ip-map delete"), true, "", "", ""), 0);
}

static void
test_cli_print_response_json_pretty(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("ip-map list"), true,
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
	    print_response(cmd_of("ip-map list"), false, "[]", "KEY  IP_ADDRESS\n", ""), 0);
}

static void
test_cli_print_response_metrics_text_as_is(void **state)
{
	static const char text[] = "# TYPE vpgd_uplink_packets counter\nvpgd_uplink_packets 3\n";

	(void)state;
	assert_int_equal(print_response(cmd_of("metrics"), false, text, text, ""), 0);
	assert_int_equal(print_response(cmd_of("metrics"), true, text, text, ""), 0);
}

static void
test_cli_print_response_not_json_fails(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("status"), false, "hello", "",
			     "vpgctl: the answer is not JSON: invalid token near 'hello'\n"),
	    -1);
}

static void
test_cli_print_response_wrong_shape_fails(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("sessions list"), false, "{\"a\":1}", "",
			     "vpgctl: the answer has an unexpected shape\n"),
	    -1);
}

static const char gate_json[] =
    "{ \"open\": true, \"vxlanId\": 10, \"privacySeparatorEnabled\": false, "
    "\"listenAddress\": \"198.51.100.2\", \"macAddress\": \"02:5a:1e:00:00:01\", "
    "\"peerCount\": 2 }";

static void
test_cli_format_list_gate_peers_null_mac_dash(void **state)
{
	(void)state;
	check_format(cli_format_list, cmd_of("gate peers list"),
	    "[ { \"outerIpAddress\": \"198.51.100.3\", \"innerIpAddress\": \"10.10.10.10\","
	    "    \"macAddress\": \"aa:bb:cc:dd:ee:ff\" },"
	    "  { \"outerIpAddress\": \"198.51.100.20\", \"innerIpAddress\": \"10.10.10.11\","
	    "    \"macAddress\": null } ]",
	    0,
	    "OUTER_IP       INNER_IP     MAC\n"
	    "198.51.100.3   10.10.10.10  aa:bb:cc:dd:ee:ff\n"
	    "198.51.100.20  10.10.10.11  -\n");
}

static void
test_cli_format_list_gate_peers_empty_header_only(void **state)
{
	(void)state;
	check_format(
	    cli_format_list, cmd_of("gate peers list"), "[]", 0, "OUTER_IP  INNER_IP  MAC\n");
}

static void
test_cli_format_row_gate_peer_added_one_row(void **state)
{
	(void)state;
	check_format(cli_format_row, cmd_of("gate peers add"),
	    "{ \"outerIpAddress\": \"198.51.100.3\", \"innerIpAddress\": \"10.10.10.10\", "
	    "\"macAddress\": null }",
	    0,
	    "OUTER_IP      INNER_IP     MAC\n"
	    "198.51.100.3  10.10.10.10  -\n");
}

static void
test_cli_format_object_gate_status_name_value(void **state)
{
	(void)state;
	check_format(cli_format_object, cmd_of("gate status"), gate_json, 0,
	    "NAME                     VALUE\n"
	    "open                     true\n"
	    "vxlanId                  10\n"
	    "privacySeparatorEnabled  false\n"
	    "listenAddress            198.51.100.2\n"
	    "macAddress               02:5a:1e:00:00:01\n"
	    "peerCount                2\n");
}

/* Open and close answer with the gate, shown as gate status shows it. */
static void
test_cli_print_response_gate_open_and_close_name_value(void **state)
{
	static const char closed[] =
	    "{ \"open\": false, \"vxlanId\": 42, \"privacySeparatorEnabled\": true, "
	    "\"listenAddress\": \"198.51.100.2\", \"macAddress\": \"02:5a:1e:00:00:01\", "
	    "\"peerCount\": 0 }";
	static const char want[] = "NAME                     VALUE\n"
				   "open                     false\n"
				   "vxlanId                  42\n"
				   "privacySeparatorEnabled  true\n"
				   "listenAddress            198.51.100.2\n"
				   "macAddress               02:5a:1e:00:00:01\n"
				   "peerCount                0\n";

	(void)state;
	assert_int_equal(print_response(cmd_of("gate open"), false, closed, want, ""), 0);
	assert_int_equal(print_response(cmd_of("gate close"), false, closed, want, ""), 0);
}

static void
test_cli_print_response_gate_peer_deleted_prints_nothing(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("gate peers delete"), false, "", "", ""), 0);
}

static void
test_cli_print_response_gate_peers_json_keeps_null(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("gate peers list"), true,
			     "[{\"outerIpAddress\":\"198.51.100.3\",\"innerIpAddress\":"
			     "\"10.10.10.10\",\"macAddress\":null}]",
			     "[\n  {\n    \"outerIpAddress\": \"198.51.100.3\",\n"
			     "    \"innerIpAddress\": \"10.10.10.10\",\n"
			     "    \"macAddress\": null\n  }\n]\n",
			     ""),
	    0);
}

static void
test_cli_print_response_gate_peers_object_wrong_shape(void **state)
{
	(void)state;
	assert_int_equal(print_response(cmd_of("gate peers list"), false, gate_json, "",
			     "vpgctl: the answer has an unexpected shape\n"),
	    -1);
}

/* The INDEX column is each element's place in the array, from 0, as the API's [index]. */
static void
test_cli_format_list_index_column_from_0(void **state)
{
	char json[1024];
	size_t o = 0;
	struct mem m;
	json_t *j;

	(void)state;
	o += (size_t)snprintf(json + o, sizeof(json) - o, "[");
	for (int i = 0; i < 11; i++)
		o += (size_t)snprintf(json + o, sizeof(json) - o,
		    "%s{\"action\":\"deny\",\"ipRange\":\"10.%d.0.0/16\"}", i > 0 ? "," : "", i);
	snprintf(json + o, sizeof(json) - o, "]");
	j = load(json);
	mem_open(&m);
	assert_int_equal(cli_format_list(m.f, cmd_of("routing-filter get"), j), 0);
	assert_non_null(strstr(mem_text(&m), "INDEX  ACTION  IP_RANGE\n"
					     "0      deny    10.0.0.0/16\n"));
	assert_non_null(strstr(mem_text(&m), "\n10     deny    10.10.0.0/16\n"));
	mem_close(&m);
	json_decref(j);
}

/* The index goes into a copy: the answer itself is left as it came. */
static void
test_cli_format_list_index_column_answer_unchanged(void **state)
{
	json_t *j = load("[{\"action\":\"allow\",\"ipRange\":\"10.0.0.0/8\"}]");
	char *text;
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(cli_format_list(m.f, cmd_of("routing-filter get"), j), 0);
	mem_close(&m);
	text = json_dumps(j, JSON_COMPACT);
	assert_string_equal(text, "[{\"action\":\"allow\",\"ipRange\":\"10.0.0.0/8\"}]");
	free(text);
	json_decref(j);
}

static void
test_cli_format_list_index_column_non_object_fails_silently(void **state)
{
	(void)state;
	check_format(
	    cli_format_list, cmd_of("routing-filter get"), "[ \"deny:10.0.0.0/8\" ]", -1, "");
}

/* Two flows of docs/API.md's shape: a TCP one with ports, an ICMP one without, undecided. */
#define FLOW_TCP                                                                                   \
	"{\"imsi\":\"999010000000001\",\"direction\":\"uplink\",\"sourceAddress\":\"10.10.0.2\","  \
	"\"destinationAddress\":\"192.0.2.80\",\"sourcePort\":51000,\"destinationPort\":443,"      \
	"\"protocol\":6,\"application\":\"TLS.Google\",\"packets\":12,\"bytes\":5400,"             \
	"\"tcpFlags\":27,\"firstSeen\":1764064800000,\"lastSeen\":1764064805000}"
#define FLOW_ICMP                                                                                  \
	"{\"imsi\":\"999010000000002\",\"direction\":\"downlink\",\"sourceAddress\":\"192.0.2."    \
	"1\","                                                                                     \
	"\"destinationAddress\":\"10.10.0.3\",\"sourcePort\":0,\"destinationPort\":0,"             \
	"\"protocol\":1,\"application\":\"\",\"packets\":1,\"bytes\":84,\"tcpFlags\":0,"           \
	"\"firstSeen\":1764064801000,\"lastSeen\":1764064801000}"

/* Endpoints as address:port only where the protocol has ports; "" shows as "-"; times UTC. */
static void
test_cli_format_flows_table_and_count(void **state)
{
	(void)state;
	check_format(cli_format_flows, cmd_of("inspection flows"),
	    "{\"flows\":[" FLOW_TCP "," FLOW_ICMP "],\"count\":3,\"maxFlows\":65536}", 0,
	    "IMSI             DIRECTION  SOURCE           DESTINATION     PROTOCOL  APPLICATION  "
	    "PACKETS  BYTES  LAST_SEEN\n"
	    "999010000000001  uplink     10.10.0.2:51000  192.0.2.80:443  TCP       TLS.Google   "
	    "12       5400   2025-11-25T10:00:05Z\n"
	    "999010000000002  downlink   192.0.2.1        10.10.0.3       ICMP      -            "
	    "1        84     2025-11-25T10:00:01Z\n"
	    "2 of 3 flows shown; the table holds at most 65536\n");
}

static void
test_cli_format_flows_empty_header_and_count(void **state)
{
	(void)state;
	check_format(cli_format_flows, cmd_of("inspection flows"),
	    "{\"flows\":[],\"count\":0,\"maxFlows\":16}", 0,
	    "IMSI  DIRECTION  SOURCE  DESTINATION  PROTOCOL  APPLICATION  PACKETS  BYTES  "
	    "LAST_SEEN\n"
	    "0 of 0 flows shown; the table holds at most 16\n");
}

/* A protocol vpgctl has no name for is its number, with no ports shown. */
static void
test_cli_format_flows_unnamed_protocol_number(void **state)
{
	(void)state;
	check_format(cli_format_flows, cmd_of("inspection flows"),
	    "{\"flows\":[{\"imsi\":\"999010000000001\",\"direction\":\"uplink\","
	    "\"sourceAddress\":\"10.10.0.2\",\"destinationAddress\":\"192.0.2.1\","
	    "\"sourcePort\":0,\"destinationPort\":0,\"protocol\":47,\"application\":\"GRE\","
	    "\"packets\":1,\"bytes\":100,\"tcpFlags\":0,\"firstSeen\":1764064800000,"
	    "\"lastSeen\":1764064800000}],\"count\":1,\"maxFlows\":16}",
	    0,
	    "IMSI             DIRECTION  SOURCE     DESTINATION  PROTOCOL  APPLICATION  PACKETS  "
	    "BYTES  LAST_SEEN\n"
	    "999010000000001  uplink     10.10.0.2  192.0.2.1    47        GRE          1        "
	    "100    2025-11-25T10:00:00Z\n"
	    "1 of 1 flows shown; the table holds at most 16\n");
}

static void
test_cli_format_flows_wrong_shape_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_flows, cmd_of("inspection flows"), "[" FLOW_TCP "]", -1, "");
	check_format(cli_format_flows, cmd_of("inspection flows"),
	    "{\"flows\":[" FLOW_TCP "],\"maxFlows\":16}", -1, "");
	check_format(cli_format_flows, cmd_of("inspection flows"),
	    "{\"flows\":[1],\"count\":1,\"maxFlows\":16}", -1, "");
}

#define SUMMARY_TOTALS "\"windowSeconds\":300,\"packets\":13,\"bytes\":5484,\"flows\":2,"
#define SUMMARY_LISTS                                                                              \
	"\"topFlows\":[" FLOW_TCP "],"                                                             \
	"\"sessions\":[{\"imsi\":\"999010000000001\",\"packets\":12,\"bytes\":5400,\"flows\":1},"  \
	"{\"imsi\":\"999010000000002\",\"packets\":1,\"bytes\":84,\"flows\":1}],"                  \
	"\"protocols\":[{\"name\":\"TLS.Google\",\"packets\":12,\"bytes\":5400,\"flows\":1},"      \
	"{\"name\":\"Unknown\",\"packets\":1,\"bytes\":84,\"flows\":1}]"

/* The totals, then applications, devices and top flows, each a table after a blank line. */
static void
test_cli_format_summary_totals_and_three_tables(void **state)
{
	(void)state;
	check_format(cli_format_summary, cmd_of("inspection top"),
	    "{" SUMMARY_TOTALS "\"truncated\":false," SUMMARY_LISTS "}", 0,
	    "Last 300 seconds: 13 packets, 5484 bytes, 2 flows\n"
	    "\n"
	    "APPLICATION  PACKETS  BYTES  FLOWS\n"
	    "TLS.Google   12       5400   1\n"
	    "Unknown      1        84     1\n"
	    "\n"
	    "IMSI             PACKETS  BYTES  FLOWS\n"
	    "999010000000001  12       5400   1\n"
	    "999010000000002  1        84     1\n"
	    "\n"
	    "IMSI             DIRECTION  SOURCE           DESTINATION     PROTOCOL  APPLICATION  "
	    "PACKETS  BYTES  LAST_SEEN\n"
	    "999010000000001  uplink     10.10.0.2:51000  192.0.2.80:443  TCP       TLS.Google   "
	    "12       5400   2025-11-25T10:00:05Z\n");
}

static void
test_cli_format_summary_truncated_says_so(void **state)
{
	(void)state;
	check_format(cli_format_summary, cmd_of("inspection top"),
	    "{\"windowSeconds\":60,\"packets\":0,\"bytes\":0,\"flows\":0,\"truncated\":true,"
	    "\"topFlows\":[],\"sessions\":[],\"protocols\":[]}",
	    0,
	    "Last 60 seconds: 0 packets, 0 bytes, 0 flows\n"
	    "(the history kept does not reach back over the whole window)\n"
	    "\n"
	    "APPLICATION  PACKETS  BYTES  FLOWS\n"
	    "\n"
	    "IMSI  PACKETS  BYTES  FLOWS\n"
	    "\n"
	    "IMSI  DIRECTION  SOURCE  DESTINATION  PROTOCOL  APPLICATION  PACKETS  BYTES  "
	    "LAST_SEEN\n");
}

static void
test_cli_format_summary_wrong_shape_fails_silently(void **state)
{
	(void)state;
	check_format(cli_format_summary, cmd_of("inspection top"),
	    "{" SUMMARY_TOTALS SUMMARY_LISTS "}", -1, "");
	check_format(cli_format_summary, cmd_of("inspection top"),
	    "{" SUMMARY_TOTALS "\"truncated\":false,\"topFlows\":{},\"sessions\":[],"
	    "\"protocols\":[]}",
	    -1, "");
	check_format(cli_format_summary, cmd_of("inspection top"), "[]", -1, "");
}

/* A list of bare values, as GET /v1/vpg/dns answers, in the row's value column. */
static void
test_cli_format_values_dns_indexed_table(void **state)
{
	(void)state;
	check_format(cli_format_values, cmd_of("dns show"), "[\"100.64.0.53\", \"192.0.2.53\"]", 0,
	    "INDEX  DNS_SERVER\n"
	    "0      100.64.0.53\n"
	    "1      192.0.2.53\n");
}

static void
test_cli_format_values_empty_header_only(void **state)
{
	(void)state;
	check_format(cli_format_values, cmd_of("dns show"), "[]", 0, "INDEX  DNS_SERVER\n");
}

static void
test_cli_format_values_not_scalars_fails_silently(void **state)
{
	(void)state;
	check_format(
	    cli_format_values, cmd_of("dns show"), "[{\"ipAddress\": \"192.0.2.53\"}]", -1, "");
	check_format(cli_format_values, cmd_of("dns show"), "[[\"192.0.2.53\"]]", -1, "");
	check_format(cli_format_values, cmd_of("dns show"), "{\"dns\": []}", -1, "");
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
		cmocka_unit_test(test_cli_format_list_gate_peers_null_mac_dash),
		cmocka_unit_test(test_cli_format_list_gate_peers_empty_header_only),
		cmocka_unit_test(test_cli_format_row_gate_peer_added_one_row),
		cmocka_unit_test(test_cli_format_object_gate_status_name_value),
		cmocka_unit_test(test_cli_print_response_gate_open_and_close_name_value),
		cmocka_unit_test(test_cli_print_response_gate_peer_deleted_prints_nothing),
		cmocka_unit_test(test_cli_print_response_gate_peers_json_keeps_null),
		cmocka_unit_test(test_cli_print_response_gate_peers_object_wrong_shape),
		cmocka_unit_test(test_cli_format_list_index_column_from_0),
		cmocka_unit_test(test_cli_format_list_index_column_answer_unchanged),
		cmocka_unit_test(test_cli_format_list_index_column_non_object_fails_silently),
		cmocka_unit_test(test_cli_format_values_dns_indexed_table),
		cmocka_unit_test(test_cli_format_values_empty_header_only),
		cmocka_unit_test(test_cli_format_values_not_scalars_fails_silently),
		cmocka_unit_test(test_cli_format_flows_table_and_count),
		cmocka_unit_test(test_cli_format_flows_empty_header_and_count),
		cmocka_unit_test(test_cli_format_flows_unnamed_protocol_number),
		cmocka_unit_test(test_cli_format_flows_wrong_shape_fails_silently),
		cmocka_unit_test(test_cli_format_summary_totals_and_three_tables),
		cmocka_unit_test(test_cli_format_summary_truncated_says_so),
		cmocka_unit_test(test_cli_format_summary_wrong_shape_fails_silently),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
