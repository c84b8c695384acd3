/*
 * Unit tests for allowedPeers in the bootstrap file (src/conf/config.c) and
 * its default from the local interfaces (src/conf/peers.c): gtp's list
 * stands for every control protocol unless gtpv2 or pfcp lists its own;
 * each bad entry is refused naming it, indexed; an absent list takes the
 * subnets of the interfaces holding the listen address (the loopback's here,
 * the one interface every host has).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "conf/config.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

#define HEAD	   "{\"deviceSubnetCidrRange\": \"10.10.0.0/16\", \"stateDirectory\": \"/var/lib/vpgd\", "
#define GTP(peers) "\"gtp\": {\"listenAddress\": \"192.0.2.2\", \"allowedPeers\": " peers "}"

struct fixture {
	struct config cfg;
	char err[CONFIG_ERR_LEN];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	*state = f;
	return f == NULL ? -1 : 0;
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

static void
assert_refused(struct fixture *f, const char *text, const char *key, const char *why)
{
	char quoted[128];

	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	assert_int_equal(parse(f, text), -1);
	if (strstr(f->err, quoted) == NULL || strstr(f->err, why) == NULL)
		fail_msg("error \"%s\" does not name %s with \"%s\"", f->err, quoted, why);
}

static void
assert_range(const struct cidr_list *l, unsigned i, uint32_t net_be, uint8_t prefix)
{
	assert_true(i < l->n);
	assert_int_equal(l->range[i].net_be, net_be);
	assert_int_equal(l->range[i].prefix, prefix);
}

static void
test_config_peers_gtp_list_kept_in_order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, HEAD GTP("[\"198.51.100.0/24\", \"203.0.113.7/32\", \"0.0.0.0/0\"]") "}"), 0);
	assert_false(f->cfg.gtp_peers.automatic);
	assert_int_equal(f->cfg.gtp_peers.list.n, 3);
	assert_range(&f->cfg.gtp_peers.list, 0, IP4(198, 51, 100, 0), 24);
	assert_range(&f->cfg.gtp_peers.list, 1, IP4(203, 0, 113, 7), 32);
	assert_range(&f->cfg.gtp_peers.list, 2, 0, 0);
}

static void
test_config_peers_gtp_list_covers_pgw_and_pfcp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, HEAD GTP("[\"198.51.100.0/24\"]") ", \"gtpv2\": {}, "
								    "\"pfcp\": {\"listenAddress\": "
								    "\"192.0.2.2\"}}"),
	    0);
	assert_false(f->cfg.pgw_peers.automatic);
	assert_false(f->cfg.pfcp_peers.automatic);
	assert_int_equal(f->cfg.pgw_peers.list.n, 1);
	assert_range(&f->cfg.pgw_peers.list, 0, IP4(198, 51, 100, 0), 24);
	assert_int_equal(f->cfg.pfcp_peers.list.n, 1);
	assert_range(&f->cfg.pfcp_peers.list, 0, IP4(198, 51, 100, 0), 24);
}

static void
test_config_peers_pfcp_and_gtpv2_lists_replace_gtps(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    parse(f, HEAD GTP("[\"198.51.100.0/24\"]") ", \"gtpv2\": "
						       "{\"allowedPeers\": [\"192.0.2.0/"
						       "28\"]}, \"pfcp\": {\"listenAddress\": "
						       "\"192.0.2.2\", \"allowedPeers\": "
						       "[\"172.31.3.1/32\"]}}"),
	    0);
	assert_int_equal(f->cfg.gtp_peers.list.n, 1);
	assert_range(&f->cfg.gtp_peers.list, 0, IP4(198, 51, 100, 0), 24);
	assert_int_equal(f->cfg.pgw_peers.list.n, 1);
	assert_range(&f->cfg.pgw_peers.list, 0, IP4(192, 0, 2, 0), 28);
	assert_int_equal(f->cfg.pfcp_peers.list.n, 1);
	assert_range(&f->cfg.pfcp_peers.list, 0, IP4(172, 31, 3, 1), 32);
}

static void
test_config_peers_absent_lists_are_automatic(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, HEAD "\"gtp\": {\"listenAddress\": \"192.0.2.2\"}, \"pfcp\": "
				       "{\"listenAddress\": \"192.0.2.2\", \"allowedPeers\": "
				       "[\"172.31.3.0/24\"]}}"),
	    0);
	assert_true(f->cfg.gtp_peers.automatic);
	assert_true(f->cfg.pgw_peers.automatic);
	assert_false(f->cfg.pfcp_peers.automatic);
	assert_int_equal(f->cfg.gtp_peers.list.n, 0);
}

static void
test_config_peers_host_bits_refused_naming_the_entry(void **state)
{
	assert_refused(*state, HEAD GTP("[\"198.51.100.0/24\", \"203.0.113.7/24\"]") "}",
	    "gtp.allowedPeers[1]", "host bits set (\"203.0.113.7/24\")");
}

static void
test_config_peers_not_a_cidr_refused_naming_the_entry(void **state)
{
	const char *bad[] = { "[\"203.0.113.7\"]", "[\"203.0.113.0/33\"]", "[\"203.0.113/24\"]",
		"[\"203.0.113.0/24 \"]", "[\"\"]", "[\"0x01.0.0.0/8\"]" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512];

		snprintf(text, sizeof(text),
		    HEAD "\"gtp\": {\"listenAddress\": \"192.0.2.2\", "
			 "\"allowedPeers\": %s}}",
		    bad[i]);
		assert_refused(*state, text, "gtp.allowedPeers[0]", "not an IPv4 CIDR range");
	}
}

static void
test_config_peers_non_string_entry_refused(void **state)
{
	assert_refused(*state, HEAD GTP("[\"198.51.100.0/24\", 24]") "}", "gtp.allowedPeers[1]",
	    "must be a string");
}

static void
test_config_peers_not_a_list_refused(void **state)
{
	assert_refused(*state, HEAD GTP("\"198.51.100.0/24\"") "}", "gtp.allowedPeers",
	    "must be a list of IPv4 CIDR ranges");
}

static void
test_config_peers_empty_list_refused(void **state)
{
	assert_refused(*state, HEAD GTP("[]") "}", "gtp.allowedPeers", "at least one range");
}

static void
test_config_peers_duplicate_refused(void **state)
{
	assert_refused(*state, HEAD GTP("[\"198.51.100.0/24\", \"198.51.100.0/24\"]") "}",
	    "gtp.allowedPeers[1]", "listed twice");
}

static void
test_config_peers_pfcp_bad_entry_named_under_pfcp(void **state)
{
	assert_refused(*state,
	    HEAD "\"gtp\": {\"listenAddress\": \"192.0.2.2\"}, \"pfcp\": {\"listenAddress\": "
		 "\"192.0.2.2\", \"allowedPeers\": [\"172.31.3.1/8\"]}}",
	    "pfcp.allowedPeers[0]", "host bits set");
}

static void
test_config_peers_gtpv2_bad_entry_named_under_gtpv2(void **state)
{
	assert_refused(*state,
	    HEAD "\"gtp\": {\"listenAddress\": \"192.0.2.2\"}, \"gtpv2\": {\"allowedPeers\": "
		 "[\"nonsense\"]}}",
	    "gtpv2.allowedPeers[0]", "not an IPv4 CIDR range");
}

/* 64 ranges are the most a list holds; the 65th is refused, the count named. */
static void
test_config_peers_at_most_64(void **state)
{
	struct fixture *f = *state;
	char list[64 * 24 + 8], text[sizeof(list) + 256];
	size_t o = 0;

	for (unsigned n = 64; n <= 65; n++) {
		o = (size_t)snprintf(list, sizeof(list), "[");
		for (unsigned i = 0; i < n; i++)
			o += (size_t)snprintf(
			    list + o, sizeof(list) - o, "%s\"10.%u.0.0/16\"", i ? ", " : "", i);
		snprintf(list + o, sizeof(list) - o, "]");
		snprintf(text, sizeof(text),
		    HEAD "\"gtp\": {\"listenAddress\": \"192.0.2.2\", \"allowedPeers\": %s}}",
		    list);
		if (n == 64) {
			assert_int_equal(parse(f, text), 0);
			assert_int_equal(f->cfg.gtp_peers.list.n, 64);
		} else {
			assert_refused(f, text, "gtp.allowedPeers", "at most 64 ranges (65 given)");
		}
	}
}

static void
test_config_peers_resolve_loopback_listen_takes_its_subnet(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, HEAD "\"gtp\": {\"listenAddress\": \"127.0.0.1\"}}"), 0);
	assert_int_equal(config_resolve_peers(&f->cfg, f->err), 0);
	assert_int_equal(f->cfg.gtp_peers.list.n, 1);
	assert_range(&f->cfg.gtp_peers.list, 0, IP4(127, 0, 0, 0), 8);
}

static void
test_config_peers_resolve_any_address_takes_every_subnet(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, HEAD "\"gtp\": {\"listenAddress\": \"0.0.0.0\"}}"), 0);
	assert_int_equal(config_resolve_peers(&f->cfg, f->err), 0);
	assert_true(f->cfg.gtp_peers.list.n >= 1);
	assert_true(cidr_list_contains(&f->cfg.gtp_peers.list, IP4(127, 0, 0, 1)));
}

static void
test_config_peers_resolve_keeps_a_given_list(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, HEAD "\"gtp\": {\"listenAddress\": \"127.0.0.1\", "
				       "\"allowedPeers\": [\"203.0.113.7/32\"]}}"),
	    0);
	assert_int_equal(config_resolve_peers(&f->cfg, f->err), 0);
	assert_int_equal(f->cfg.gtp_peers.list.n, 1);
	assert_range(&f->cfg.gtp_peers.list, 0, IP4(203, 0, 113, 7), 32);
}

static bool
held_locally(uint32_t addr_be)
{
	struct ifaddrs *all;
	bool held = false;

	if (getifaddrs(&all) < 0)
		return true;
	for (const struct ifaddrs *ifa = all; ifa != NULL; ifa = ifa->ifa_next)
		if (ifa->ifa_addr != NULL && ifa->ifa_addr->sa_family == AF_INET &&
		    ((const struct sockaddr_in *)(const void *)ifa->ifa_addr)->sin_addr.s_addr ==
			addr_be)
			held = true;
	freeifaddrs(all);
	return held;
}

/* 198.18.0.77 (RFC 2544's benchmarking range) is on no interface: the key to set is named. */
static void
test_config_peers_resolve_without_interface_names_the_key(void **state)
{
	struct fixture *f = *state;

	if (held_locally(IP4(198, 18, 0, 77)))
		skip();
	assert_int_equal(parse(f, HEAD "\"gtp\": {\"listenAddress\": \"127.0.0.1\"}, \"pfcp\": "
				       "{\"listenAddress\": \"198.18.0.77\"}}"),
	    0);
	assert_int_equal(config_resolve_peers(&f->cfg, f->err), -1);
	if (strstr(f->err, "\"pfcp.allowedPeers\"") == NULL ||
	    strstr(f->err, "198.18.0.77") == NULL)
		fail_msg("error \"%s\" names neither pfcp.allowedPeers nor the address", f->err);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config_peers_gtp_list_kept_in_order),
		T(test_config_peers_gtp_list_covers_pgw_and_pfcp),
		T(test_config_peers_pfcp_and_gtpv2_lists_replace_gtps),
		T(test_config_peers_absent_lists_are_automatic),
		T(test_config_peers_host_bits_refused_naming_the_entry),
		T(test_config_peers_not_a_cidr_refused_naming_the_entry),
		T(test_config_peers_non_string_entry_refused),
		T(test_config_peers_not_a_list_refused),
		T(test_config_peers_empty_list_refused),
		T(test_config_peers_duplicate_refused),
		T(test_config_peers_pfcp_bad_entry_named_under_pfcp),
		T(test_config_peers_gtpv2_bad_entry_named_under_gtpv2),
		T(test_config_peers_at_most_64),
		T(test_config_peers_resolve_loopback_listen_takes_its_subnet),
		T(test_config_peers_resolve_any_address_takes_every_subnet),
		T(test_config_peers_resolve_keeps_a_given_list),
		T(test_config_peers_resolve_without_interface_names_the_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
