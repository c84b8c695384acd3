#include "cli/cli_table.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "api/api_decode.h"
#include "cli/cli_format.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* clang-format off */
/* A mirroring peer as docs/API.md gives it, for the list and for one peer. */
#define MIRROR_COLS \
	{ { "IP_ADDRESS", "ipAddress" }, { "PROTOCOL", "protocol" }, \
	  { "ENABLED", "enabled" }, { "DESCRIPTION", "description" } }
/* The DNS servers devices are told, by position: 0 is the primary. */
#define DNS_COLS { { "INDEX", CLI_COL_INDEX }, { "DNS_SERVER", "ipAddress" } }
#define MIRROR_ENABLED_ARG { "--enabled", "true|false", "enabled", CLI_BOOL, true }
#define MIRROR_DESCRIPTION_ARG \
	{ "--description", "TEXT", "description", CLI_STRING, true, 0, API_MIRROR_DESCRIPTION_MAX }

/* A capture session: Peek's list. */
#define PEEK_COLS \
	{ { "ID", "id" }, { "STATUS", "status" }, { "IMSI", "imsi" }, { "PREFIX", "prefix" }, \
	  { "DURATION", "duration" }, { "STARTED", "startedTime" }, { "PACKETS", "packets" }, \
	  { "BYTES", "bytes" }, { "TRUNCATED", "truncated" }, { "FAILED_REASON", "failedReason" } }

const struct cli_cmd cli_cmds[] = {
	{ { "status" }, "GET", "/v1/vpg", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "show the gateway's state" },
	{ { "dns", "show" }, "GET", "/v1/vpg/dns", { { 0 } },
	    NULL, cli_format_values, DNS_COLS,
	    "show the DNS servers devices are told when they attach, primary first" },
	{ { "dns", "set" }, "PUT", "/v1/vpg/dns",
	    { { NULL, "ADDR", "", CLI_DNS_SERVER, true, 0, 0, true } },
	    cli_body_list, cli_format_values, DNS_COLS,
	    "set the DNS servers (at most 2, primary first) told to devices from their next attach" },
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
	      { "APN", "apn" }, { "ROLE", "role" }, { "PEER", "peerAddress" },
	      { "CREATED", "createdTime" },
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
	    "end every session of IMSI, telling its SGSN or SGW" },
	{ { "gate", "status" }, "GET", "/v1/gate", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "show the gate" },
	{ { "gate", "open" }, "POST", "/v1/gate/open",
	    { { "--vxlan-id", "N", "vxlanId", CLI_INT, true, API_VXLAN_ID_MIN, API_VXLAN_ID_MAX },
	      { "--privacy-separator", "true|false", "privacySeparatorEnabled", CLI_BOOL, true } },
	    cli_body_fields, cli_format_object, { { 0 } },
	    "open the gate, or change its settings" },
	{ { "gate", "close" }, "POST", "/v1/gate/close", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "close the gate; its peers stay registered" },
	{ { "gate", "peers", "list" }, "GET", "/v1/gate/peers", { { 0 } },
	    NULL, cli_format_list,
	    { { "OUTER_IP", "outerIpAddress" }, { "INNER_IP", "innerIpAddress" },
	      { "MAC", "macAddress" } },
	    "list the gate peers" },
	{ { "gate", "peers", "add" }, "POST", "/v1/gate/peers",
	    { { "--outer", "ADDR", "outerIpAddress", CLI_IPV4 },
	      { "--inner", "ADDR", "innerIpAddress", CLI_IPV4 } },
	    cli_body_fields, cli_format_row,
	    { { "OUTER_IP", "outerIpAddress" }, { "INNER_IP", "innerIpAddress" },
	      { "MAC", "macAddress" } },
	    "register a gate peer by underlay and overlay address" },
	{ { "gate", "peers", "delete" }, "DELETE", "/v1/gate/peers/{outerIpAddress}",
	    { { NULL, "OUTER", "outerIpAddress", CLI_IPV4 } },
	    NULL, cli_format_object, { { 0 } },
	    "remove the gate peer at underlay address OUTER" },
	{ { "redirection", "get" }, "GET", "/v1/junction/redirection", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "show where device traffic is redirected" },
	{ { "redirection", "set" }, "PUT", "/v1/junction/redirection",
	    { { "--gateway", "ADDR", "gateway", CLI_IPV4 },
	      { "--enabled", "true|false", "enabled", CLI_BOOL, true },
	      { "--description", "TEXT", "description", CLI_STRING, true, 0,
		API_REDIRECTION_DESCRIPTION_MAX } },
	    cli_body_fields, cli_format_object, { { 0 } },
	    "send all device traffic to the gate peer with inner address ADDR" },
	{ { "redirection", "unset" }, "DELETE", "/v1/junction/redirection", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "stop redirecting device traffic" },
	{ { "mirroring", "list" }, "GET", "/v1/junction/mirroring/peers", { { 0 } },
	    NULL, cli_format_list, MIRROR_COLS,
	    "list the mirroring peers" },
	{ { "mirroring", "add" }, "POST", "/v1/junction/mirroring/peers",
	    { { "--ip", "ADDR", "ipAddress", CLI_IPV4 },
	      { .name = "PROTOCOL", .field = "protocol", .kind = CLI_STRING, .fixed = "gre" },
	      MIRROR_ENABLED_ARG, MIRROR_DESCRIPTION_ARG },
	    cli_body_fields, cli_format_row, MIRROR_COLS,
	    "send a GRE copy of every packet through the gateway to ADDR" },
	{ { "mirroring", "update" }, "PUT", "/v1/junction/mirroring/peers/{ipAddress}",
	    { { NULL, "ADDR", "ipAddress", CLI_IPV4 }, MIRROR_ENABLED_ARG, MIRROR_DESCRIPTION_ARG },
	    cli_body_fields, cli_format_row, MIRROR_COLS,
	    "change the mirroring peer at ADDR; what is not given stays" },
	{ { "mirroring", "delete" }, "DELETE", "/v1/junction/mirroring/peers/{ipAddress}",
	    { { NULL, "ADDR", "ipAddress", CLI_IPV4 } },
	    NULL, cli_format_object, { { 0 } },
	    "stop mirroring to ADDR" },
	{ { "inspection", "show" }, "GET", "/v1/junction/inspection", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "show the flow inspection settings" },
	{ { "inspection", "set" }, "PUT", "/v1/junction/inspection",
	    { { "--active-timeout", "SECONDS", "activeTimeout", CLI_INT, true, INSPECT_MIN_TIMEOUT_S,
		INSPECT_MAX_TIMEOUT_S },
	      { "--idle-timeout", "SECONDS", "idleTimeout", CLI_INT, true, INSPECT_MIN_TIMEOUT_S,
		INSPECT_MAX_TIMEOUT_S },
	      { "--max-flows", "N", "maxFlows", CLI_INT, true, INSPECT_MIN_FLOWS, INSPECT_MAX_FLOWS },
	      { .opt = "--disabled", .name = "DISABLED", .field = "enabled", .kind = CLI_BOOL,
		.flag = "false" },
	      { "--collector", "ADDR[:PORT]", "collectors", CLI_COLLECTOR, false, 0, 0, true } },
	    cli_body_fields, cli_format_object, { { 0 } },
	    "count device flows and export them as IPFIX to each ADDR (port 4739 by default)" },
	{ { "inspection", "unset" }, "DELETE", "/v1/junction/inspection", { { 0 } },
	    NULL, cli_format_object, { { 0 } },
	    "stop inspecting flows and forget the settings" },
	{ { "inspection", "flows" }, "GET", "/v1/junction/inspection/flows",
	    { { "--limit", "N", "limit", CLI_INT, true, 1, API_FLOWS_LIMIT_MAX } },
	    NULL, cli_format_flows, { { 0 } },
	    "list the flows being counted, most bytes first" },
	{ { "inspection", "top" }, "GET", "/v1/junction/inspection/summary",
	    { { "--window", "SECONDS", "window", CLI_INT, true, 1, INSPECT_MAX_WINDOW_S },
	      { "--top", "N", "top", CLI_INT, true, 1, INSPECT_TOP_MAX } },
	    NULL, cli_format_summary, { { 0 } },
	    "show the applications, devices and flows with the most traffic lately" },
	{ { "peek", "start" }, "POST", "/v1/packet_capture_sessions",
	    { { "--duration", "SECONDS", "duration", CLI_INT, false, 1, API_PEEK_DURATION_MAX },
	      { "--imsi", "IMSI", "imsi", CLI_IMSI, true },
	      { "--prefix", "NAME", "prefix", CLI_STRING, true, 0, API_PEEK_PREFIX_MAX } },
	    cli_body_fields, cli_format_object, { { 0 } },
	    "capture devices' packets for SECONDS: the whole gateway, or one IMSI" },
	{ { "peek", "list" }, "GET", "/v1/packet_capture_sessions", { { 0 } },
	    NULL, cli_format_list, PEEK_COLS,
	    "list the packet capture sessions" },
	{ { "peek", "get" }, "GET", "/v1/packet_capture_sessions/{id}",
	    { { NULL, "ID", "id", CLI_CAPTURE_ID } },
	    NULL, cli_format_object, { { 0 } },
	    "show capture session ID" },
	{ { "peek", "stop" }, "POST", "/v1/packet_capture_sessions/{id}/stop",
	    { { NULL, "ID", "id", CLI_CAPTURE_ID } },
	    NULL, cli_format_object, { { 0 } },
	    "end capture session ID now" },
	{ { "peek", "delete" }, "DELETE", "/v1/packet_capture_sessions/{id}",
	    { { NULL, "ID", "id", CLI_CAPTURE_ID } },
	    NULL, cli_format_object, { { 0 } },
	    "delete capture session ID and its file" },
	{ { "peek", "download" }, "GET", "/v1/packet_capture_sessions/{id}/pcap",
	    { { NULL, "ID", "id", CLI_CAPTURE_ID }, { "-o", "FILE", "", CLI_OUTPUT } },
	    NULL, NULL, { { 0 } },
	    "save capture session ID's pcapng file as FILE" },
	{ { "routing-filter", "get" }, "GET", "/v1/routing_filter", { { 0 } },
	    NULL, cli_format_list,
	    { { "INDEX", CLI_COL_INDEX }, { "ACTION", "action" }, { "IP_RANGE", "ipRange" } },
	    "show the routing filter's rules, the first match deciding" },
	{ { "routing-filter", "set" }, "PUT", "/v1/routing_filter",
	    { { NULL, "RULE", "", CLI_FILTER_RULE, true, 0, 0, true } },
	    cli_body_list, cli_format_list,
	    { { "INDEX", CLI_COL_INDEX }, { "ACTION", "action" }, { "IP_RANGE", "ipRange" } },
	    "replace the routing filter by RULEs (allow:CIDR or deny:CIDR), in order" },
	{ { "sim-routing", "show" }, "GET", "/v1/sim_based_routing/routes", { { 0 } },
	    NULL, cli_format_sim_routes, { { 0 } },
	    "show the LANs behind devices, and whether SIM-based routing is enabled" },
	{ { "sim-routing", "set" }, "PUT", "/v1/sim_based_routing/routes/{imsi}",
	    { { NULL, "IMSI", "imsi", CLI_SIM_IMSI },
	      { NULL, "PREFIX", "destinations", CLI_CIDR, false, 0, 0, true } },
	    cli_body_fields, cli_format_sim_routes, { { 0 } },
	    "route each PREFIX to the device IMSI, in place of its list" },
	{ { "sim-routing", "unset" }, "DELETE", "/v1/sim_based_routing/routes/{imsi}",
	    { { NULL, "IMSI", "imsi", CLI_SIM_IMSI } },
	    NULL, cli_format_sim_routes, { { 0 } },
	    "stop routing to the LAN behind IMSI" },
	{ { "sim-routing", "enable" }, "POST", "/v1/sim_based_routing/enable", { { 0 } },
	    NULL, cli_format_sim_routes, { { 0 } },
	    "route to the LANs behind devices; packets for an absent device's are dropped" },
	{ { "sim-routing", "disable" }, "POST", "/v1/sim_based_routing/disable", { { 0 } },
	    NULL, cli_format_sim_routes, { { 0 } },
	    "remove every route to the LANs; the table stays" },
	{ { "pfcp", "associations" }, "GET", "/v1/pfcp/associations", { { 0 } },
	    NULL, cli_format_list,
	    { { "NODE_ID", "nodeId" }, { "IP_ADDRESS", "ipAddress" }, { "SESSIONS", "sessionCount" },
	      { "ASSOCIATED", "associatedTime" }, { "HB_RX", "heartbeatsReceived" },
	      { "HB_TX", "heartbeatsSent" }, { "HB_UNANSWERED", "heartbeatsUnanswered" } },
	    "the control planes (SMF, PGW-C) of the UPF role" },
	{ { "gtpv2", "peers" }, "GET", "/v1/gtpv2/peers", { { 0 } },
	    NULL, cli_format_list,
	    { { "IP_ADDRESS", "ipAddress" }, { "SESSIONS", "sessionCount" },
	      { "RESTART_COUNTER", "restartCounter" }, { "ECHO_TX", "echoRequestsSent" },
	      { "ECHO_UNANSWERED", "echoRequestsUnanswered" } },
	    "the SGWs of the PGW role" },
	{ { "stats" }, "GET", "/v1/stats", { { 0 } },
	    NULL, cli_format_stats, { { 0 } },
	    "show every counter" },
	{ { "metrics" }, "GET", "/metrics", { { 0 } },
	    NULL, NULL, { { 0 } },
	    "show every counter in Prometheus text format" },
};
/* clang-format on */
const size_t cli_ncmds = ARRAY_SIZE(cli_cmds);

_Static_assert(CLI_MAX_REPEAT >= FILTER_MAX_RULES, "vpgctl must take every rule the API takes");
_Static_assert(
    CLI_MAX_REPEAT >= SIM_ROUTES_MAX_PER_IMSI, "vpgctl must take every range a device may have");

/*
 * A synopsis longer than this has its help on a line of its own, rather than
 * pushing every row's help that far right.
 */
#define USAGE_ALIGN_MAX 80
#define SYNOPSIS_LEN	256

/* One argument as the usage shows it: " IMSI", " [RULE...]", " [--enabled true|false]". */
static int
arg_synopsis(const struct cli_arg *a, char *buf, size_t len)
{
	if (a->opt == NULL)
		return snprintf(buf, len,
		    !a->repeated  ? " %s"
		    : a->optional ? " [%s...]"
				  : " %s...",
		    a->name);
	if (a->flag != NULL)
		return snprintf(buf, len, " [%s]", a->opt);
	return snprintf(buf, len, a->optional ? " [%s %s]%s" : " %s %s%s", a->opt, a->name,
	    a->repeated ? "..." : "");
}

/* Row c's words and arguments as the usage shows them, cut to fit; returns the length. */
static size_t
synopsis(const struct cli_cmd *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < CLI_MAX_WORDS && c->words[i] != NULL && used < len; i++)
		used +=
		    (size_t)snprintf(buf + used, len - used, "%s%s", i > 0 ? " " : "", c->words[i]);
	for (size_t i = 0; i < CLI_ROW_ARGS && c->args[i].name != NULL && used < len; i++)
		if (c->args[i].fixed == NULL)
			used += (size_t)arg_synopsis(&c->args[i], buf + used, len - used);
	return used < len ? used : len - 1;
}

static size_t
synopsis_len(const struct cli_cmd *c)
{
	char buf[SYNOPSIS_LEN];

	return synopsis(c, buf, sizeof(buf));
}

static void
put_synopsis(FILE *out, const struct cli_cmd *c, size_t width)
{
	char buf[SYNOPSIS_LEN];
	size_t n = synopsis(c, buf, sizeof(buf));

	fputs(buf, out);
	for (; n < width; n++)
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
	for (size_t i = 0; i < cli_ncmds; i++) {
		size_t n = synopsis_len(&cli_cmds[i]);

		if (in_group(&cli_cmds[i], group) && n > width && n <= USAGE_ALIGN_MAX)
			width = n;
	}
	fprintf(out, "Usage: vpgctl [OPTIONS] COMMAND [ARGUMENTS]\n\nCommands:\n");
	for (size_t i = 0; i < cli_ncmds; i++) {
		if (!in_group(&cli_cmds[i], group))
			continue;
		fprintf(out, "  ");
		put_synopsis(out, &cli_cmds[i], width);
		if (synopsis_len(&cli_cmds[i]) > width)
			fprintf(out, "\n  %*s", (int)width, "");
		fprintf(out, "  %s\n", cli_cmds[i].help);
	}
	cli_usage_opts(out);
}

void
cli_usage_cmd(FILE *out, const struct cli_cmd *cmd)
{
	fprintf(out, "Usage: vpgctl [OPTIONS] ");
	put_synopsis(out, cmd, 0);
	fprintf(out, "\n  %s\n", cmd->help);
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

/* The value of the argument called field, or NULL. */
static const char *
arg_value(const struct cli_cmd *cmd, const char *const *vals, const char *field, size_t n)
{
	for (int i = 0; i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++)
		if (strlen(cmd->args[i].field) == n && strncmp(cmd->args[i].field, field, n) == 0)
			return vals[i];
	return NULL;
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

/* Appends the n bytes at s to buf, of len bytes, at *used: -1 when they do not fit with a NUL. */
static int
append(char *buf, size_t len, size_t *used, const char *s, size_t n)
{
	if (*used + n >= len)
		return -1;
	memcpy(buf + *used, s, n);
	*used += n;
	buf[*used] = '\0';
	return 0;
}

/* The given arguments of a row without a body, other than the path's, as "?field=value&...". */
static int
append_query(
    const struct cli_cmd *cmd, const char *const *vals, char *buf, size_t len, size_t *used)
{
	const char *sep = "?";

	for (int i = 0; i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++) {
		const char *f = cmd->args[i].field;

		if (vals[i] == NULL || cmd->args[i].kind == CLI_OUTPUT || in_path(cmd->path, f))
			continue;
		if (append(buf, len, used, sep, 1) < 0 ||
		    append(buf, len, used, f, strlen(f)) < 0 ||
		    append(buf, len, used, "=", 1) < 0 ||
		    append(buf, len, used, vals[i], strlen(vals[i])) < 0)
			return -1;
		sep = "&";
	}
	return 0;
}

int
cli_build_path(const struct cli_cmd *cmd, const char *const *vals, char *buf, size_t len)
{
	const char *p = cmd->path, *close, *v;
	size_t used = 0, n;

	if (len == 0)
		return -1;
	buf[0] = '\0';
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
		if (append(buf, len, &used, v, n) < 0)
			return -1;
	}
	return cmd->body == NULL ? append_query(cmd, vals, buf, len, &used) : 0;
}

const char *
cli_output_file(const struct cli_cmd *cmd, const char *const *vals)
{
	for (int i = 0; i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++)
		if (cmd->args[i].kind == CLI_OUTPUT)
			return vals[i];
	return NULL;
}

json_t *
cli_body_fields(const struct cli_cmd *cmd, const char *const *vals)
{
	json_t *body = json_object(), *v;

	for (int i = 0; body != NULL && i < CLI_ROW_ARGS && cmd->args[i].name != NULL; i++) {
		if (vals[i] == NULL || cmd->args[i].kind == CLI_OUTPUT ||
		    in_path(cmd->path, cmd->args[i].field))
			continue;
		/* Only the last argument repeats, so cli_body_list's values are its. */
		if (cmd->args[i].repeated)
			v = cli_body_list(cmd, vals);
		else
			v = cli_arg_json(&cmd->args[i], vals[i]);
		/* set_new takes a NULL value as failure, so nothing leaks. */
		if (json_object_set_new(body, cmd->args[i].field, v) < 0) {
			json_decref(body);
			body = NULL;
		}
	}
	return body;
}

json_t *
cli_body_list(const struct cli_cmd *cmd, const char *const *vals)
{
	int k = cli_repeated_index(cmd);
	json_t *list = json_array();

	for (int j = 0; list != NULL && j < CLI_MAX_REPEAT && vals[k + j] != NULL; j++) {
		/* append_new takes a NULL value as failure, so nothing leaks. */
		if (json_array_append_new(list, cli_arg_json(&cmd->args[k], vals[k + j])) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}
