/*
 * Unit tests for the bootstrap file (src/conf/config.c). Every refusal must
 * return -1 and name the offending key exactly as the file spells it, dotted
 * and indexed ("gtp.foo", "ipAddressMap[1].key"), quoted as the message
 * quotes it. Each test's teardown calls config_free, so LeakSanitizer sees
 * every path, accepted or refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "conf/config.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

/* The example of DESIGN.md, "Bootstrap file", verbatim. */
static const char design_example[] =
    "{\n"
    "  \"deviceSubnetCidrRange\": \"10.10.0.0/16\",\n"
    "  \"gatewayAddress\": \"10.10.0.1\",\n"
    "  \"gtp\":  { \"listenAddress\": \"192.0.2.2\" },\n"
    "  \"gate\": { \"listenAddress\": \"198.51.100.2\" },\n"
    "  \"api\":  { \"listen\": \"127.0.0.1:8080\", \"token\": \"optional-secret\" },\n"
    "  \"stateDirectory\": \"/var/lib/vpgd\",\n"
    "  \"user\": \"vpgd\",\n"
    "  \"apns\": [\"internet\"],\n"
    "  \"egress\": { \"enabled\": true, \"interface\": \"vpgd0\", \"nat\": true },\n"
    "  \"ipAddressMap\": [ { \"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\" } ]\n"
    "}\n";

/* The three required keys, to which each test adds the one it is about. */
#define REQUIRED                                                                                   \
	"\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "               \
	"\"192.0.2.2\"}, \"stateDirectory\": \"/var/lib/vpgd\""

struct fixture {
	struct config cfg;
	char err[CONFIG_ERR_LEN];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	config_free(&f->cfg);
	free(f);
	return 0;
}

static int
parse(struct fixture *f, const char *text)
{
	f->err[0] = '\0';
	return config_parse(text, strlen(text), &f->cfg, f->err);
}

/* Asserts a refusal whose message names key (quoted) and says why. */
static void
assert_refused(struct fixture *f, const char *text, const char *key, const char *why)
{
	char quoted[128];

	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	assert_int_equal(parse(f, text), -1);
	if (strstr(f->err, quoted) == NULL || strstr(f->err, why) == NULL)
		fail_msg("error \"%s\" does not name %s with \"%s\"", f->err, quoted, why);
	assert_null(f->cfg.map);
	assert_int_equal(f->cfg.n_map, 0);
}

static void
test_config_parse_design_example_subnet(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, design_example), 0);
	assert_int_equal(f->cfg.subnet_be, IP4(10, 10, 0, 0));
	assert_int_equal(f->cfg.prefix, 16);
	assert_int_equal(f->cfg.gateway_be, IP4(10, 10, 0, 1));
}

static void
test_config_parse_design_example_listen_addresses(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, design_example), 0);
	assert_int_equal(f->cfg.gtp_addr_be, IP4(192, 0, 2, 2));
	assert_int_equal(f->cfg.gate_addr_be, IP4(198, 51, 100, 2));
	assert_int_equal(f->cfg.api_addr_be, IP4(127, 0, 0, 1));
	assert_int_equal(f->cfg.api_port, 8080);
	assert_string_equal(f->cfg.api_token, "optional-secret");
}

static void
test_config_parse_design_example_state_apns_egress(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, design_example), 0);
	assert_string_equal(f->cfg.state_dir, "/var/lib/vpgd");
	assert_string_equal(f->cfg.user, "vpgd");
	assert_int_equal(f->cfg.n_apns, 1);
	assert_string_equal(f->cfg.apns[0], "internet");
	assert_true(f->cfg.egress_enabled);
	assert_true(f->cfg.egress_nat);
	assert_string_equal(f->cfg.egress_if, "vpgd0");
}

static void
test_config_parse_design_example_map(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, design_example), 0);
	assert_int_equal(f->cfg.n_map, 1);
	assert_non_null(f->cfg.map);
	assert_string_equal(f->cfg.map[0].imsi, "999010000000001");
	assert_int_equal(f->cfg.map[0].addr_be, IP4(10, 10, 0, 50));
}

static void
test_config_parse_minimal_gateway_first_host(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.gateway_be, IP4(10, 10, 0, 1));
}

static void
test_config_parse_minimal_gate_defaults_to_gtp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.gate_addr_be, IP4(192, 0, 2, 2));
}

static void
test_config_parse_empty_gate_object_defaults_to_gtp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"gate\": {}}"), 0);
	assert_int_equal(f->cfg.gate_addr_be, IP4(192, 0, 2, 2));
}

static void
test_config_parse_gate_transmit_default_direct(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_true(f->cfg.gate_direct);
	assert_int_equal(parse(f, "{" REQUIRED ", \"gate\": {\"transmit\": \"direct\"}}"), 0);
	assert_true(f->cfg.gate_direct);
}

static void
test_config_parse_gate_transmit_stack(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"gate\": {\"transmit\": \"stack\"}}"), 0);
	assert_false(f->cfg.gate_direct);
}

static void
test_config_parse_gate_transmit_unknown_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"gate\": {\"transmit\": \"kernel\"}}",
	    "gate.transmit", "must be \"direct\" or \"stack\" (\"kernel\")");
	assert_refused(
	    *state, "{" REQUIRED ", \"gate\": {\"transmit\": true}}", "gate.transmit", "string");
}

static void
test_config_parse_minimal_api_default_listen(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.api_addr_be, IP4(127, 0, 0, 1));
	assert_int_equal(f->cfg.api_port, 8080);
	assert_string_equal(f->cfg.api_token, "");
}

static void
test_config_parse_minimal_egress_defaults(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_true(f->cfg.egress_enabled);
	assert_true(f->cfg.egress_nat);
	assert_string_equal(f->cfg.egress_if, "vpgd0");
}

static void
test_config_parse_minimal_no_apns_any(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.n_apns, 0);
}

static void
test_config_parse_minimal_no_map(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.n_map, 0);
}

static void
test_config_parse_gateway_last_host_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"gatewayAddress\": \"10.10.255.254\"}"), 0);
	assert_int_equal(f->cfg.gateway_be, IP4(10, 10, 255, 254));
}

static void
test_config_parse_egress_disabled_no_nat(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"egress\": {\"enabled\": false, \"nat\": false, "
				  "\"interface\": \"tun-dev\"}}"),
	    0);
	assert_false(f->cfg.egress_enabled);
	assert_false(f->cfg.egress_nat);
	assert_string_equal(f->cfg.egress_if, "tun-dev");
}

static void
test_config_parse_several_apns_in_order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"apns\": [\"internet\", \"iot.example-1.com\"]}"), 0);
	assert_int_equal(f->cfg.n_apns, 2);
	assert_string_equal(f->cfg.apns[0], "internet");
	assert_string_equal(f->cfg.apns[1], "iot.example-1.com");
}

static void
test_config_parse_prefix_8_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{\"deviceSubnetCidrRange\": \"10.0.0.0/8\", \"gtp\": {\"listenAddress\": "
		     "\"192.0.2.2\"}, \"stateDirectory\": \"/s\"}"),
	    0);
	assert_int_equal(f->cfg.prefix, 8);
	assert_int_equal(f->cfg.gateway_be, IP4(10, 0, 0, 1));
}

static void
test_config_parse_prefix_30_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{\"deviceSubnetCidrRange\": \"10.10.0.4/30\", \"gtp\": "
		     "{\"listenAddress\": \"192.0.2.2\"}, \"stateDirectory\": \"/s\"}"),
	    0);
	assert_int_equal(f->cfg.prefix, 30);
	assert_int_equal(f->cfg.gateway_be, IP4(10, 10, 0, 5));
}

static void
test_config_parse_map_many_entries_all_kept(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"ipAddressMap\": ["
				  "{\"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\"},"
				  "{\"ipAddress\": \"10.10.0.51\", \"key\": \"999010000000002\"},"
				  "{\"key\": \"123456\", \"ipAddress\": \"10.10.255.254\"}]}"),
	    0);
	assert_int_equal(f->cfg.n_map, 3);
	assert_string_equal(f->cfg.map[1].imsi, "999010000000002");
	assert_int_equal(f->cfg.map[1].addr_be, IP4(10, 10, 0, 51));
	assert_string_equal(f->cfg.map[2].imsi, "123456");
	assert_int_equal(f->cfg.map[2].addr_be, IP4(10, 10, 255, 254));
}

static void
test_config_parse_empty_map_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"ipAddressMap\": []}"), 0);
	assert_int_equal(f->cfg.n_map, 0);
}

static void
test_config_parse_unknown_top_level_key_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"gatway\": \"10.10.0.1\"}", "gatway", "unknown key");
}

static void
test_config_parse_unknown_nested_key_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\", \"foo\": 1}, \"stateDirectory\": \"/var/lib/vpgd\"}",
	    "gtp.foo", "unknown key");
}

static void
test_config_parse_unknown_egress_key_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"egress\": {\"natt\": true}}", "egress.natt", "unknown key");
}

static void
test_config_parse_missing_subnet_fails(void **state)
{
	assert_refused(*state,
	    "{\"gtp\": {\"listenAddress\": \"192.0.2.2\"}, \"stateDirectory\": \"/var/lib/vpgd\"}",
	    "deviceSubnetCidrRange", "missing");
}

static void
test_config_parse_missing_gtp_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"stateDirectory\": \"/var/lib/vpgd\"}",
	    "gtp", "missing");
}

static void
test_config_parse_missing_gtp_listen_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {}, \"stateDirectory\": "
	    "\"/var/lib/vpgd\"}",
	    "gtp.listenAddress", "missing");
}

static void
test_config_parse_missing_state_dir_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}}",
	    "stateDirectory", "missing");
}

static void
test_config_parse_bad_cidr_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"stateDirectory\": \"/s\"}",
	    "deviceSubnetCidrRange", "not a CIDR");
}

static void
test_config_parse_cidr_host_bits_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.1/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"stateDirectory\": \"/s\"}",
	    "deviceSubnetCidrRange", "no host bits");
}

static void
test_config_parse_prefix_7_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.0.0.0/7\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"stateDirectory\": \"/s\"}",
	    "deviceSubnetCidrRange", "between /8 and /30");
}

static void
test_config_parse_prefix_31_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/31\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"stateDirectory\": \"/s\"}",
	    "deviceSubnetCidrRange", "between /8 and /30");
}

static void
test_config_parse_prefix_0_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"0.0.0.0/0\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"stateDirectory\": \"/s\"}",
	    "deviceSubnetCidrRange", "between /8 and /30");
}

static void
test_config_parse_gateway_outside_subnet_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"gatewayAddress\": \"10.11.0.1\"}",
	    "gatewayAddress", "inside deviceSubnetCidrRange");
}

static void
test_config_parse_gateway_network_address_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"gatewayAddress\": \"10.10.0.0\"}",
	    "gatewayAddress", "inside deviceSubnetCidrRange");
}

static void
test_config_parse_gateway_broadcast_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"gatewayAddress\": \"10.10.255.255\"}",
	    "gatewayAddress", "inside deviceSubnetCidrRange");
}

static void
test_config_parse_gateway_not_address_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"gatewayAddress\": \"10.10.0.300\"}",
	    "gatewayAddress", "not an IPv4 address");
}

static void
test_config_parse_subnet_number_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": 16, \"gtp\": {\"listenAddress\": \"192.0.2.2\"}, "
	    "\"stateDirectory\": \"/s\"}",
	    "deviceSubnetCidrRange", "must be a string");
}

static void
test_config_parse_gtp_string_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": \"192.0.2.2\", "
	    "\"stateDirectory\": \"/s\"}",
	    "gtp", "must be a JSON object");
}

static void
test_config_parse_gate_listen_array_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"gate\": {\"listenAddress\": [\"198.51.100.2\"]}}",
	    "gate.listenAddress", "must be a string");
}

static void
test_config_parse_egress_enabled_string_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"egress\": {\"enabled\": \"yes\"}}",
	    "egress.enabled", "true or false");
}

static void
test_config_parse_egress_nat_number_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"egress\": {\"nat\": 1}}", "egress.nat", "true or false");
}

static void
test_config_parse_xdp_absent_is_off(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.xdp_mode, CONFIG_XDP_OFF);
	assert_int_equal(f->cfg.n_xdp_ifs, 0);
}

static void
test_config_parse_xdp_native_two_interfaces(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"xdp\": {\"interfaces\": [\"eth0\", \"eth1\"], "
				  "\"mode\": \"native\"}}"),
	    0);
	assert_int_equal(f->cfg.xdp_mode, CONFIG_XDP_NATIVE);
	assert_int_equal(f->cfg.n_xdp_ifs, 2);
	assert_string_equal(f->cfg.xdp_ifs[0], "eth0");
	assert_string_equal(f->cfg.xdp_ifs[1], "eth1");
}

static void
test_config_parse_xdp_generic_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(
		f, "{" REQUIRED ", \"xdp\": {\"interfaces\": [\"eth0\"], \"mode\": \"generic\"}}"),
	    0);
	assert_int_equal(f->cfg.xdp_mode, CONFIG_XDP_GENERIC);
}

static void
test_config_parse_xdp_unknown_mode_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"xdp\": {\"interfaces\": [\"eth0\"], \"mode\": \"offload\"}}",
	    "xdp.mode", "must be \"native\", \"generic\" or \"off\" (\"offload\")");
}

static void
test_config_parse_xdp_mode_without_interfaces_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"xdp\": {\"mode\": \"native\"}}", "xdp.interfaces",
	    "required when xdp.mode is not \"off\"");
}

static void
test_config_parse_xdp_interface_twice_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"xdp\": {\"interfaces\": [\"eth0\", \"eth0\"], \"mode\": \"native\"}}",
	    "xdp.interfaces[1]", "\"eth0\" is listed twice");
}

static void
test_config_parse_xdp_bad_interface_name_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"xdp\": {\"interfaces\": [\"a b\"]}}",
	    "xdp.interfaces[0]", "not an interface name");
}

static void
test_config_parse_xdp_empty_interfaces_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"xdp\": {\"interfaces\": []}}", "xdp.interfaces",
	    "must be a non-empty list of interface names");
}

static void
test_config_parse_xdp_unknown_key_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"xdp\": {\"interface\": [\"eth0\"]}}",
	    "xdp.interface", "unknown");
}

static void
test_config_parse_egress_interface_too_long_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"egress\": {\"interface\": \"abcdefghijklmnop\"}}",
	    "egress.interface", "not an interface name");
}

static void
test_config_parse_api_listen_no_port_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"api\": {\"listen\": \"127.0.0.1\"}}", "api.listen",
	    "address and port");
}

static void
test_config_parse_api_public_without_token_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"api\": {\"listen\": \"0.0.0.0:8080\"}}",
	    "api.token", "required when api.listen is not a loopback address");
}

static void
test_config_parse_api_public_with_token_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"api\": {\"listen\": \"0.0.0.0:8080\", \"token\": \"s3\"}}"),
	    0);
	assert_int_equal(f->cfg.api_addr_be, 0);
	assert_string_equal(f->cfg.api_token, "s3");
}

static void
test_config_parse_api_token_empty_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"api\": {\"token\": \"\"}}", "api.token",
	    "1 to 128 characters");
}

static void
test_config_parse_api_token_space_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"api\": {\"token\": \"a secret\"}}", "api.token",
	    "printable ASCII");
}

static void
test_config_parse_user_default_vpgd(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_string_equal(f->cfg.user, "vpgd");
}

static void
test_config_parse_user_given_kept(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"user\": \"gw_1.x-y\"}"), 0);
	assert_string_equal(f->cfg.user, "gw_1.x-y");
}

static void
test_config_parse_user_bad_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"user\": \"\"}", "user", "1 to 32 characters");
	assert_refused(*state, "{" REQUIRED ", \"user\": \"abcdefghijklmnopqrstuvwxyz0123456\"}",
	    "user", "1 to 32 characters");
	assert_refused(*state, "{" REQUIRED ", \"user\": \"-vpgd\"}", "user", "user name");
	assert_refused(*state, "{" REQUIRED ", \"user\": \"vp gd\"}", "user", "user name");
	assert_refused(*state, "{" REQUIRED ", \"user\": \"../vpgd\"}", "user", "user name");
	assert_refused(*state, "{" REQUIRED ", \"user\": 7}", "user", "");
}

static void
test_config_parse_apns_string_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"apns\": \"internet\"}", "apns", "non-empty list");
}

static void
test_config_parse_apns_empty_list_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"apns\": []}", "apns", "non-empty list");
}

static void
test_config_parse_apns_number_item_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"apns\": [\"internet\", 5]}", "apns[1]", "must be a string");
}

static void
test_config_parse_map_object_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"ipAddressMap\": {}}", "ipAddressMap", "must be a list");
}

static void
test_config_parse_map_entry_string_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"ipAddressMap\": [\"999010000000001\"]}",
	    "ipAddressMap[0]", "must be a JSON object");
}

static void
test_config_parse_top_level_array_fails(void **state)
{
	assert_refused(*state, "[{" REQUIRED "}]", "(top level)", "must be a JSON object");
}

static void
test_config_parse_state_dir_relative_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"stateDirectory\": \"var/lib/vpgd\"}",
	    "stateDirectory", "absolute path");
}

static void
test_config_parse_state_dir_empty_fails(void **state)
{
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"stateDirectory\": \"\"}",
	    "stateDirectory", "absolute path");
}

static void
test_config_parse_apn_space_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"apns\": [\"inter net\"]}", "apns[0]", "not a valid APN");
}

static void
test_config_parse_apn_empty_label_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"apns\": [\"internet\", \"iot..example\"]}",
	    "apns[1]", "not a valid APN");
}

static void
test_config_parse_apn_trailing_dot_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"apns\": [\"internet.\"]}", "apns[0]", "not a valid APN");
}

static void
test_config_parse_apn_empty_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"apns\": [\"\"]}", "apns[0]", "not a valid APN");
}

static void
test_config_parse_apn_label_64_fails(void **state)
{
	char text[512];

	/* TS 23.003 §9.1: a label is at most 63 octets. */
	snprintf(text, sizeof(text), "{" REQUIRED ", \"apns\": [\"%064d\"]}", 0);
	assert_refused(*state, text, "apns[0]", "not a valid APN");
}

static void
test_config_parse_apn_label_63_accepted(void **state)
{
	struct fixture *f = *state;
	char text[512], label[64];

	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(text, sizeof(text), "{" REQUIRED ", \"apns\": [\"%s\"]}", label);
	assert_int_equal(parse(f, text), 0);
	assert_int_equal(f->cfg.n_apns, 1);
	assert_string_equal(f->cfg.apns[0], label);
}

static void
test_config_parse_apn_101_chars_fails(void **state)
{
	char text[512];

	/* 101 octets: 50 + '.' + 50. */
	snprintf(text, sizeof(text), "{" REQUIRED ", \"apns\": [\"%050d.%050d\"]}", 0, 0);
	assert_refused(*state, text, "apns[0]", "not a valid APN");
}

static void
test_config_parse_too_many_apns_fails(void **state)
{
	char text[1024];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "{" REQUIRED ", \"apns\": [");
	for (int i = 0; i <= CONFIG_MAX_APNS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"a%d\"", i ? "," : "", i);
	snprintf(text + n, sizeof(text) - n, "]}");
	assert_refused(*state, text, "apns", "at most 32");
}

static void
test_config_parse_map_outside_subnet_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.11.0.50\"}]}",
	    "ipAddressMap[0]", "not a usable address");
}

static void
test_config_parse_map_network_address_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.10.0.0\"}]}",
	    "ipAddressMap[0]", "not a usable address");
}

static void
test_config_parse_map_broadcast_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.10.255.255\"}]}",
	    "ipAddressMap[0]", "not a usable address");
}

static void
test_config_parse_map_gateway_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.10.0.1\"}]}",
	    "ipAddressMap[0]", "gateway's own address");
}

static void
test_config_parse_map_explicit_gateway_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"gatewayAddress\": \"10.10.9.9\", \"ipAddressMap\": [{\"key\": "
	    "\"999010000000001\", \"ipAddress\": \"10.10.9.9\"}]}",
	    "ipAddressMap[0]", "gateway's own address");
}

static void
test_config_parse_map_duplicate_key_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": ["
	    "{\"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\"},"
	    "{\"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.51\"}]}",
	    "ipAddressMap[1]", "key duplicates ipAddressMap[0]");
}

static void
test_config_parse_map_duplicate_address_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": ["
	    "{\"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\"},"
	    "{\"key\": \"999010000000002\", \"ipAddress\": \"10.10.0.51\"},"
	    "{\"key\": \"999010000000003\", \"ipAddress\": \"10.10.0.50\"}]}",
	    "ipAddressMap[2]", "ipAddress duplicates ipAddressMap[0]");
}

static void
test_config_parse_map_bad_imsi_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"99901x\", \"ipAddress\": "
	    "\"10.10.0.50\"}]}",
	    "ipAddressMap[0].key", "not an IMSI");
}

static void
test_config_parse_map_short_imsi_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"99901\", \"ipAddress\": "
	    "\"10.10.0.50\"}]}",
	    "ipAddressMap[0].key", "not an IMSI");
}

static void
test_config_parse_map_numeric_imsi_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": 999010000000001, \"ipAddress\": "
	    "\"10.10.0.50\"}]}",
	    "ipAddressMap[0].key", "must be a string");
}

static void
test_config_parse_map_bad_address_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.10.0\"}]}",
	    "ipAddressMap[0].ipAddress", "not an IPv4 address");
}

static void
test_config_parse_map_unknown_key_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.10.0.50\", \"msisdn\": \"123\"}]}",
	    "ipAddressMap[0].msisdn", "unknown key");
}

static void
test_config_parse_map_missing_address_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.10.0.50\"}, {\"key\": \"999010000000002\"}]}",
	    "ipAddressMap[1].ipAddress", "missing");
}

static void
test_config_parse_malformed_json_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ","), -1);
	assert_non_null(strstr(f->err, "line 1"));
	assert_null(f->cfg.map);
}

/* The packaged example's habit: comments on their own lines, an optional key commented out. */
static const char commented_example[] = "// vpgd's bootstrap file\n"
					"{\n"
					"  // the device subnet\n"
					"  \"deviceSubnetCidrRange\": \"10.10.0.0/16\",\n"
					"\t// \"gatewayAddress\": \"10.10.0.9\",\n"
					"  \"gtp\": { \"listenAddress\": \"192.0.2.2\" },\n"
					"  \"stateDirectory\": \"/var/lib/vpgd\"\n"
					"  // the end\n"
					"}\n"
					"// after the object";

static void
test_config_parse_full_line_comments_ignored(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, commented_example), 0);
	assert_int_equal(f->cfg.subnet_be, IP4(10, 10, 0, 0));
	/* The commented-out key is not read: the gateway is the default, the first host. */
	assert_int_equal(f->cfg.gateway_be, IP4(10, 10, 0, 1));
	assert_string_equal(f->cfg.state_dir, "/var/lib/vpgd");
}

static void
test_config_parse_error_after_comments_keeps_line_and_column(void **state)
{
	struct fixture *f = *state;

	/* The comma missing after line 4: jansson stops at line 5's string, as an editor counts. */
	assert_int_equal(parse(f, "// one\n{\n  // three\n  \"a\": 1\n  \"b\": 2\n}\n"), -1);
	if (strstr(f->err, "line 5 column 5") == NULL)
		fail_msg("error \"%s\" is not at line 5 column 5", f->err);
}

static void
test_config_parse_comment_after_text_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED " // not on its own line\n}"), -1);
	assert_non_null(strstr(f->err, "line 1"));
	assert_null(f->cfg.map);
}

static void
test_config_parse_slashes_in_a_value_kept(void **state)
{
	struct fixture *f = *state;

	/* A line that begins with a string is JSON, whatever the string holds. */
	assert_int_equal(parse(f, "{" REQUIRED ", \"api\": {\"token\":\n\"//s3cret\"}}"), 0);
	assert_string_equal(f->cfg.api_token, "//s3cret");
}

static void
test_config_parse_empty_text_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, ""), -1);
	assert_non_null(strstr(f->err, "line"));
}

static void
test_config_parse_duplicate_json_key_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"gtp\": {\"listenAddress\": \"192.0.2.3\"}}"), -1);
	assert_non_null(strstr(f->err, "duplicate"));
	assert_non_null(strstr(f->err, "\"gtp\""));
}

static void
test_config_parse_duplicate_nested_json_key_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"egress\": {\"nat\": true, \"nat\": false}}"), -1);
	assert_non_null(strstr(f->err, "duplicate"));
	assert_non_null(strstr(f->err, "\"nat\""));
}

static void
test_config_parse_control_char_in_key_one_line(void **state)
{
	struct fixture *f = *state;

	/* The file spells the key "gtp\nx"; the message shows it on one line. */
	assert_int_equal(parse(f, "{" REQUIRED ", \"gtp\\nx\": 1}"), -1);
	assert_non_null(strstr(f->err, "\"gtp?x\": unknown key"));
	assert_null(strchr(f->err, '\n'));
}

static void
test_config_parse_control_char_in_value_one_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"gatewayAddress\": \"10.10.0.1\\r\\n\\u001b[2J\"}"), -1);
	assert_non_null(strstr(f->err, "\"gatewayAddress\""));
	for (const char *p = f->err; *p != '\0'; p++)
		assert_true((unsigned char)*p >= ' ' && *p != 0x7f);
}

static void
test_config_parse_syntax_error_near_newline_one_line(void **state)
{
	struct fixture *f = *state;
	/* Found by fuzz_config: jansson quotes the raw text after a stray backslash. */
	static const char text[] = "{\n \n  \"ipApAddress\": \n  \"ipApA  \\\n}\n";

	assert_int_equal(parse(f, text), -1);
	assert_non_null(strstr(f->err, "line 5"));
	assert_non_null(strstr(f->err, "invalid escape"));
	assert_null(strchr(f->err, '\n'));
}

static void
test_config_parse_refusal_after_map_frees_map(void **state)
{
	/* The map is allocated before the later key fails: teardown's LSan run checks it. */
	assert_refused(*state,
	    "{" REQUIRED ", \"ipAddressMap\": [{\"key\": \"999010000000001\", \"ipAddress\": "
	    "\"10.10.0.50\"}], \"egress\": {\"nat\": \"no\"}}",
	    "egress.nat", "true or false");
}

static void
test_config_broadcast_slash16_last_address(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(config_broadcast(&f->cfg), IP4(10, 10, 255, 255));
}

static void
test_config_broadcast_slash30_last_address(void **state)
{
	struct config cfg = { .subnet_be = IP4(10, 10, 0, 4), .prefix = 30 };

	(void)state;
	assert_int_equal(config_broadcast(&cfg), IP4(10, 10, 0, 7));
}

static void
test_config_broadcast_slash8_last_address(void **state)
{
	struct config cfg = { .subnet_be = IP4(10, 0, 0, 0), .prefix = 8 };

	(void)state;
	assert_int_equal(config_broadcast(&cfg), IP4(10, 255, 255, 255));
}

static void
test_config_in_subnet_ends_inside(void **state)
{
	struct config cfg = { .subnet_be = IP4(10, 10, 0, 0), .prefix = 16 };

	(void)state;
	assert_true(config_in_subnet(&cfg, IP4(10, 10, 0, 0)));
	assert_true(config_in_subnet(&cfg, IP4(10, 10, 255, 255)));
}

static void
test_config_in_subnet_neighbours_outside(void **state)
{
	struct config cfg = { .subnet_be = IP4(10, 10, 0, 0), .prefix = 16 };

	(void)state;
	assert_false(config_in_subnet(&cfg, IP4(10, 9, 255, 255)));
	assert_false(config_in_subnet(&cfg, IP4(10, 11, 0, 0)));
}

static void
test_config_in_subnet_slash30_four_addresses(void **state)
{
	struct config cfg = { .subnet_be = IP4(10, 10, 0, 4), .prefix = 30 };

	(void)state;
	assert_false(config_in_subnet(&cfg, IP4(10, 10, 0, 3)));
	for (int i = 4; i < 8; i++)
		assert_true(config_in_subnet(&cfg, IP4(10, 10, 0, i)));
	assert_false(config_in_subnet(&cfg, IP4(10, 10, 0, 8)));
}

static void
test_config_load_missing_file_fails(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(config_load("/nonexistent/vpgd-test/vpgd.json", &f->cfg, f->err), -1);
	assert_non_null(strstr(f->err, "/nonexistent/vpgd-test/vpgd.json"));
	assert_null(f->cfg.map);
}

static void
test_config_load_design_example_file_parsed(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/test_config_XXXXXX";
	int fd = mkstemp(path);
	int rc;

	assert_true(fd >= 0);
	assert_int_equal(
	    write(fd, design_example, strlen(design_example)), (ssize_t)strlen(design_example));
	close(fd);
	rc = config_load(path, &f->cfg, f->err);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_int_equal(f->cfg.gate_addr_be, IP4(198, 51, 100, 2));
	assert_int_equal(f->cfg.n_map, 1);
	assert_string_equal(f->cfg.map[0].imsi, "999010000000001");
}

static void
test_config_free_twice_harmless(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, design_example), 0);
	config_free(&f->cfg);
	assert_null(f->cfg.map);
	assert_int_equal(f->cfg.n_map, 0);
	config_free(&f->cfg);
	assert_null(f->cfg.map);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static void
test_config_parse_no_pfcp_ggsn_only(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_true(f->cfg.ggsn_enabled);
	assert_false(f->cfg.pfcp_enabled);
}

static void
test_config_parse_pfcp_node_id_defaults_to_address(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"pfcp\": {\"listenAddress\": \"172.31.3.2\"}}"), 0);
	assert_true(f->cfg.pfcp_enabled);
	assert_int_equal(f->cfg.pfcp_addr_be, IP4(172, 31, 3, 2));
	assert_string_equal(f->cfg.pfcp_node_id, "172.31.3.2");
	assert_true(f->cfg.ggsn_enabled);
}

static void
test_config_parse_pfcp_fqdn_node_id_and_ggsn_off(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"ggsn\": {\"enabled\": false}, \"pfcp\": "
		     "{\"listenAddress\": \"172.31.3.2\", \"nodeId\": \"upf1.vpg.example\"}}"),
	    0);
	assert_string_equal(f->cfg.pfcp_node_id, "upf1.vpg.example");
	assert_false(f->cfg.ggsn_enabled);
	assert_true(f->cfg.pfcp_enabled);
}

static void
test_config_parse_pfcp_disabled_keeps_role_off(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"pfcp\": {\"enabled\": false}}"), 0);
	assert_false(f->cfg.pfcp_enabled);
}

static void
test_config_parse_pfcp_without_address_refused(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"pfcp\": {\"nodeId\": \"upf.example\"}}",
	    "pfcp.listenAddress", "required when the UPF role is on");
}

static void
test_config_parse_pfcp_bad_node_id_refused(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"pfcp\": {\"listenAddress\": \"172.31.3.2\", \"nodeId\": \"a..b\"}}",
	    "pfcp.nodeId", "not an IPv4 address or a domain name");
	assert_refused(*state,
	    "{" REQUIRED ", \"pfcp\": {\"listenAddress\": \"172.31.3.2\", \"nodeId\": \"-a.b\"}}",
	    "pfcp.nodeId", "not an IPv4 address or a domain name");
}

static void
test_config_parse_pfcp_unknown_key_refused(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"pfcp\": {\"listenAddres\": \"172.31.3.2\"}}",
	    "pfcp.listenAddres", "unknown key");
}

static void
test_config_parse_no_role_left_refused(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"ggsn\": {\"enabled\": false}}", "ggsn.enabled",
	    "no control protocol left");
}

static void
test_config_parse_minimal_no_dns_mtu_1500(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.n_dns, 0);
	assert_int_equal(f->cfg.device_mtu, 1500);
}

static void
test_config_parse_dns_two_in_order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"dns\": [\"100.64.0.53\", \"192.0.2.53\"]}"), 0);
	assert_int_equal(f->cfg.n_dns, 2);
	assert_int_equal(f->cfg.dns_be[0], IP4(100, 64, 0, 53));
	assert_int_equal(f->cfg.dns_be[1], IP4(192, 0, 2, 53));
}

static void
test_config_parse_dns_one_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"dns\": [\"192.0.2.53\"]}"), 0);
	assert_int_equal(f->cfg.n_dns, 1);
	assert_int_equal(f->cfg.dns_be[0], IP4(192, 0, 2, 53));
}

static void
test_config_parse_dns_empty_list_none(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"dns\": []}"), 0);
	assert_int_equal(f->cfg.n_dns, 0);
}

static void
test_config_parse_dns_three_fails(void **state)
{
	assert_refused(*state,
	    "{" REQUIRED ", \"dns\": [\"192.0.2.53\", \"192.0.2.54\", \"192.0.2.55\"]}", "dns",
	    "at most 2 DNS servers (3 given)");
}

static void
test_config_parse_dns_string_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"dns\": \"192.0.2.53\"}", "dns",
	    "must be a list of at most 2 IPv4 addresses");
}

static void
test_config_parse_dns_bad_address_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"dns\": [\"192.0.2.53\", \"192.0.2.256\"]}",
	    "dns[1]", "not an IPv4 address (\"192.0.2.256\")");
}

static void
test_config_parse_dns_number_item_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"dns\": [53]}", "dns[0]", "must be a string");
}

static void
test_config_parse_dns_not_unicast_fails(void **state)
{
	static const char *const bad[] = { "0.0.0.0", "127.0.0.53", "224.0.0.251",
		"255.255.255.255" };
	char text[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{" REQUIRED ", \"dns\": [\"%s\"]}", bad[i]);
		assert_refused(*state, text, "dns[0]", "not a unicast host address");
	}
}

static void
test_config_parse_device_mtu_bounds_accepted(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED ", \"deviceMtu\": 1280}"), 0);
	assert_int_equal(f->cfg.device_mtu, 1280);
	assert_int_equal(parse(f, "{" REQUIRED ", \"deviceMtu\": 9000}"), 0);
	assert_int_equal(f->cfg.device_mtu, 9000);
}

static void
test_config_parse_device_mtu_out_of_range_fails(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"deviceMtu\": 1279}", "deviceMtu",
	    "must be between 1280 and 9000 (1279)");
	assert_refused(*state, "{" REQUIRED ", \"deviceMtu\": 9001}", "deviceMtu",
	    "must be between 1280 and 9000 (9001)");
	assert_refused(*state, "{" REQUIRED ", \"deviceMtu\": -1500}", "deviceMtu",
	    "must be between 1280 and 9000 (-1500)");
}

static void
test_config_parse_device_mtu_not_integer_fails(void **state)
{
	assert_refused(
	    *state, "{" REQUIRED ", \"deviceMtu\": \"1500\"}", "deviceMtu", "must be an integer");
	assert_refused(
	    *state, "{" REQUIRED ", \"deviceMtu\": 1500.0}", "deviceMtu", "must be an integer");
}

static void
test_config_parse_gtpv2_defaults_to_the_gtp_address(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_false(f->cfg.pgw_enabled);
	assert_int_equal(parse(f, "{" REQUIRED ", \"gtpv2\": {}}"), 0);
	assert_true(f->cfg.pgw_enabled);
	assert_int_equal(f->cfg.pgw_addr_be, f->cfg.gtp_addr_be);
	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"gtpv2\": {\"listenAddress\": \"192.0.2.9\"}}"), 0);
	assert_int_equal(f->cfg.pgw_addr_be, htonl(0xc0000209));
	assert_int_equal(parse(f, "{" REQUIRED ", \"gtpv2\": {\"enabled\": false}}"), 0);
	assert_false(f->cfg.pgw_enabled);
}

static void
test_config_parse_pgw_alone_is_a_role(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, "{" REQUIRED ", \"ggsn\": {\"enabled\": false}, \"gtpv2\": {}}"), 0);
	assert_false(f->cfg.ggsn_enabled);
	assert_true(f->cfg.pgw_enabled);
	assert_refused(*state, "{" REQUIRED ", \"ggsn\": {\"enabled\": false}}", "ggsn.enabled",
	    "no control protocol left: turn the GGSN, PGW or UPF role on");
}

static void
test_config_parse_echo_interval(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.gtp_echo_s, 60);
	assert_int_equal(parse(f, "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": "
				  "{\"listenAddress\": \"192.0.2.2\", \"echoInterval\": 0}, "
				  "\"stateDirectory\": \"/var/lib/vpgd\"}"),
	    0);
	assert_int_equal(f->cfg.gtp_echo_s, 0);
	/* Below TS 29.060's 60 s: taken, for labs; vpgd warns at start. */
	assert_int_equal(parse(f, "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": "
				  "{\"listenAddress\": \"192.0.2.2\", \"echoInterval\": 5}, "
				  "\"stateDirectory\": \"/var/lib/vpgd\"}"),
	    0);
	assert_int_equal(f->cfg.gtp_echo_s, 5);
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\", \"echoInterval\": 3601}, \"stateDirectory\": \"/var/lib/vpgd\"}",
	    "gtp.echoInterval", "must be 0 (off) or between 1 and 3600 seconds (3601)");
}

static void
test_config_parse_replay_cache_sizes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.gtp_replay_mb, CONFIG_REPLAY_MB_DEFAULT);
	assert_int_equal(f->cfg.pfcp_replay_mb, CONFIG_REPLAY_MB_DEFAULT);
	assert_int_equal(parse(f, "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": "
				  "{\"listenAddress\": \"192.0.2.2\", \"replayCacheMB\": 512}, "
				  "\"pfcp\": {\"listenAddress\": \"192.0.2.3\", "
				  "\"replayCacheMB\": 8}, "
				  "\"stateDirectory\": \"/var/lib/vpgd\"}"),
	    0);
	assert_int_equal(f->cfg.gtp_replay_mb, 512);
	assert_int_equal(f->cfg.pfcp_replay_mb, 8);
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\", \"replayCacheMB\": 0}, \"stateDirectory\": \"/var/lib/vpgd\"}",
	    "gtp.replayCacheMB", "must be between 1 and 4096 MiB (0)");
	assert_refused(*state,
	    "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"gtp\": {\"listenAddress\": "
	    "\"192.0.2.2\"}, \"pfcp\": {\"replayCacheMB\": \"64\"}, "
	    "\"stateDirectory\": \"/var/lib/vpgd\"}",
	    "pfcp.replayCacheMB", "must be an integer");
}

static void
test_config_parse_peek_defaults_and_values(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" REQUIRED "}"), 0);
	assert_int_equal(f->cfg.peek_max_sessions, CONFIG_PEEK_SESSIONS_DEFAULT);
	assert_int_equal(f->cfg.peek_max_bytes, CONFIG_PEEK_BYTES_DEFAULT);
	assert_int_equal(f->cfg.peek_retention_s, CONFIG_PEEK_RETENTION_DEFAULT);
	assert_int_equal(parse(f, "{" REQUIRED ", \"peek\": {\"maxSessions\": 16, "
				  "\"maxBytes\": 5368709120, \"retention\": 60}}"),
	    0);
	assert_int_equal(f->cfg.peek_max_sessions, 16);
	assert_int_equal(f->cfg.peek_max_bytes, 5368709120ull);
	assert_int_equal(f->cfg.peek_retention_s, 60);
}

static void
test_config_parse_peek_refusals_name_the_key(void **state)
{
	assert_refused(*state, "{" REQUIRED ", \"peek\": {\"maxSessions\": 17}}",
	    "peek.maxSessions", "must be between 1 and 16 (17)");
	assert_refused(*state, "{" REQUIRED ", \"peek\": {\"maxSessions\": 0}}", "peek.maxSessions",
	    "must be between 1 and 16 (0)");
	assert_refused(*state, "{" REQUIRED ", \"peek\": {\"maxBytes\": 1000}}", "peek.maxBytes",
	    "must be between 65536 and 5368709120 (1000)");
	assert_refused(*state, "{" REQUIRED ", \"peek\": {\"retention\": \"7d\"}}",
	    "peek.retention", "must be an integer");
	assert_refused(
	    *state, "{" REQUIRED ", \"peek\": {\"maxFiles\": 3}}", "peek.maxFiles", "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config_parse_peek_defaults_and_values),
		T(test_config_parse_peek_refusals_name_the_key),
		T(test_config_parse_design_example_subnet),
		T(test_config_parse_design_example_listen_addresses),
		T(test_config_parse_design_example_state_apns_egress),
		T(test_config_parse_design_example_map),
		T(test_config_parse_minimal_gateway_first_host),
		T(test_config_parse_minimal_gate_defaults_to_gtp),
		T(test_config_parse_empty_gate_object_defaults_to_gtp),
		T(test_config_parse_minimal_api_default_listen),
		T(test_config_parse_minimal_egress_defaults),
		T(test_config_parse_gtpv2_defaults_to_the_gtp_address),
		T(test_config_parse_pgw_alone_is_a_role),
		T(test_config_parse_echo_interval),
		T(test_config_parse_replay_cache_sizes),
		T(test_config_parse_minimal_no_apns_any),
		T(test_config_parse_minimal_no_map),
		T(test_config_parse_gateway_last_host_accepted),
		T(test_config_parse_egress_disabled_no_nat),
		T(test_config_parse_several_apns_in_order),
		T(test_config_parse_prefix_8_accepted),
		T(test_config_parse_prefix_30_accepted),
		T(test_config_parse_map_many_entries_all_kept),
		T(test_config_parse_empty_map_accepted),
		T(test_config_parse_unknown_top_level_key_fails),
		T(test_config_parse_unknown_nested_key_fails),
		T(test_config_parse_unknown_egress_key_fails),
		T(test_config_parse_missing_subnet_fails),
		T(test_config_parse_missing_gtp_fails),
		T(test_config_parse_missing_gtp_listen_fails),
		T(test_config_parse_missing_state_dir_fails),
		T(test_config_parse_bad_cidr_fails),
		T(test_config_parse_cidr_host_bits_fails),
		T(test_config_parse_prefix_7_fails),
		T(test_config_parse_prefix_31_fails),
		T(test_config_parse_prefix_0_fails),
		T(test_config_parse_gateway_outside_subnet_fails),
		T(test_config_parse_gateway_network_address_fails),
		T(test_config_parse_gateway_broadcast_fails),
		T(test_config_parse_gateway_not_address_fails),
		T(test_config_parse_subnet_number_fails),
		T(test_config_parse_gtp_string_fails),
		T(test_config_parse_gate_listen_array_fails),
		T(test_config_parse_egress_enabled_string_fails),
		T(test_config_parse_egress_nat_number_fails),
		T(test_config_parse_egress_interface_too_long_fails),
		T(test_config_parse_xdp_absent_is_off),
		T(test_config_parse_xdp_native_two_interfaces),
		T(test_config_parse_xdp_generic_accepted),
		T(test_config_parse_xdp_unknown_mode_fails),
		T(test_config_parse_xdp_mode_without_interfaces_fails),
		T(test_config_parse_gate_transmit_default_direct),
		T(test_config_parse_gate_transmit_stack),
		T(test_config_parse_gate_transmit_unknown_fails),
		T(test_config_parse_xdp_interface_twice_fails),
		T(test_config_parse_xdp_bad_interface_name_fails),
		T(test_config_parse_xdp_empty_interfaces_fails),
		T(test_config_parse_xdp_unknown_key_fails),
		T(test_config_parse_api_listen_no_port_fails),
		T(test_config_parse_api_public_without_token_fails),
		T(test_config_parse_api_public_with_token_accepted),
		T(test_config_parse_api_token_empty_fails),
		T(test_config_parse_api_token_space_fails),
		T(test_config_parse_user_default_vpgd),
		T(test_config_parse_user_given_kept),
		T(test_config_parse_user_bad_fails),
		T(test_config_parse_apns_string_fails),
		T(test_config_parse_apns_empty_list_fails),
		T(test_config_parse_apns_number_item_fails),
		T(test_config_parse_map_object_fails),
		T(test_config_parse_map_entry_string_fails),
		T(test_config_parse_top_level_array_fails),
		T(test_config_parse_state_dir_relative_fails),
		T(test_config_parse_state_dir_empty_fails),
		T(test_config_parse_apn_space_fails),
		T(test_config_parse_apn_empty_label_fails),
		T(test_config_parse_apn_trailing_dot_fails),
		T(test_config_parse_apn_empty_fails),
		T(test_config_parse_apn_label_64_fails),
		T(test_config_parse_apn_label_63_accepted),
		T(test_config_parse_apn_101_chars_fails),
		T(test_config_parse_too_many_apns_fails),
		T(test_config_parse_map_outside_subnet_fails),
		T(test_config_parse_map_network_address_fails),
		T(test_config_parse_map_broadcast_fails),
		T(test_config_parse_map_gateway_fails),
		T(test_config_parse_map_explicit_gateway_fails),
		T(test_config_parse_map_duplicate_key_fails),
		T(test_config_parse_map_duplicate_address_fails),
		T(test_config_parse_map_bad_imsi_fails),
		T(test_config_parse_map_short_imsi_fails),
		T(test_config_parse_map_numeric_imsi_fails),
		T(test_config_parse_map_bad_address_fails),
		T(test_config_parse_map_unknown_key_fails),
		T(test_config_parse_map_missing_address_fails),
		T(test_config_parse_malformed_json_fails),
		T(test_config_parse_empty_text_fails),
		T(test_config_parse_full_line_comments_ignored),
		T(test_config_parse_error_after_comments_keeps_line_and_column),
		T(test_config_parse_comment_after_text_refused),
		T(test_config_parse_slashes_in_a_value_kept),
		T(test_config_parse_duplicate_json_key_fails),
		T(test_config_parse_duplicate_nested_json_key_fails),
		T(test_config_parse_control_char_in_key_one_line),
		T(test_config_parse_control_char_in_value_one_line),
		T(test_config_parse_syntax_error_near_newline_one_line),
		T(test_config_parse_refusal_after_map_frees_map),
		T(test_config_broadcast_slash16_last_address),
		T(test_config_broadcast_slash30_last_address),
		T(test_config_broadcast_slash8_last_address),
		T(test_config_in_subnet_ends_inside),
		T(test_config_in_subnet_neighbours_outside),
		T(test_config_in_subnet_slash30_four_addresses),
		T(test_config_load_missing_file_fails),
		T(test_config_load_design_example_file_parsed),
		T(test_config_free_twice_harmless),
		T(test_config_parse_no_pfcp_ggsn_only),
		T(test_config_parse_pfcp_node_id_defaults_to_address),
		T(test_config_parse_pfcp_fqdn_node_id_and_ggsn_off),
		T(test_config_parse_pfcp_disabled_keeps_role_off),
		T(test_config_parse_pfcp_without_address_refused),
		T(test_config_parse_pfcp_bad_node_id_refused),
		T(test_config_parse_pfcp_unknown_key_refused),
		T(test_config_parse_no_role_left_refused),
		T(test_config_parse_minimal_no_dns_mtu_1500),
		T(test_config_parse_dns_two_in_order),
		T(test_config_parse_dns_one_accepted),
		T(test_config_parse_dns_empty_list_none),
		T(test_config_parse_dns_three_fails),
		T(test_config_parse_dns_string_fails),
		T(test_config_parse_dns_bad_address_fails),
		T(test_config_parse_dns_number_item_fails),
		T(test_config_parse_dns_not_unicast_fails),
		T(test_config_parse_device_mtu_bounds_accepted),
		T(test_config_parse_device_mtu_out_of_range_fails),
		T(test_config_parse_device_mtu_not_integer_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
