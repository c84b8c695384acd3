/*
 * Unit tests for the shared value validators (src/conf/parse.c). The bootstrap
 * file and the REST API both go through these, so every boundary is pinned
 * here once: octet and prefix ranges, digit counts, and trailing text.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "conf/parse.h"

#define SENTINEL 0xdeadbeefu

static void
test_parse_ipv4_valid_network_order(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.10.74.219", &a), 0);
	assert_int_equal(a, htonl(0x0a0a4adb));
}

static void
test_parse_ipv4_all_zero_accepted(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("0.0.0.0", &a), 0);
	assert_int_equal(a, 0);
}

static void
test_parse_ipv4_all_255_accepted(void **state)
{
	uint32_t a = 0;

	(void)state;
	assert_int_equal(parse_ipv4("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffffu);
}

static void
test_parse_ipv4_three_digit_leading_zero_accepted(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("010.001.000.009", &a), 0);
	assert_int_equal(a, htonl(0x0a010009));
}

static void
test_parse_ipv4_leading_space_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4(" 10.0.0.1", &a), -1);
}

static void
test_parse_ipv4_leading_sign_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("+10.0.0.1", &a), -1);
}

static void
test_parse_ipv4_trailing_space_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.0.0.1 ", &a), -1);
}

static void
test_parse_ipv4_trailing_dot_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.0.0.1.", &a), -1);
}

static void
test_parse_ipv4_trailing_prefix_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.0.0.0/8", &a), -1);
}

static void
test_parse_ipv4_five_octets_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.0.0.1.5", &a), -1);
}

static void
test_parse_ipv4_octet_256_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.0.256.1", &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_ipv4_octet_999_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("999.0.0.1", &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_ipv4_four_digit_octet_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.0.0.0001", &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_ipv4_three_octets_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10.0.1", &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_ipv4_empty_octet_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("10..0.1", &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_ipv4_empty_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("", &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_ipv4_null_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4(NULL, &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_ipv4_hex_octet_fails(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_ipv4("0x0a.0.0.1", &a), -1);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_cidr_valid_network_and_prefix(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.10.0.0/16", &net, &prefix), 0);
	assert_int_equal(net, htonl(0x0a0a0000));
	assert_int_equal(prefix, 16);
}

static void
test_parse_cidr_host_bits_set_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.10.0.1/16", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_lowest_host_bit_set_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.10.1.0/23", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_prefix_0_accepted(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("0.0.0.0/0", &net, &prefix), 0);
	assert_int_equal(net, 0);
	assert_int_equal(prefix, 0);
}

static void
test_parse_cidr_prefix_0_with_address_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.0.0.0/0", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_prefix_32_accepted(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("192.0.2.7/32", &net, &prefix), 0);
	assert_int_equal(net, htonl(0xc0000207));
	assert_int_equal(prefix, 32);
}

static void
test_parse_cidr_prefix_33_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("192.0.2.7/33", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_three_digit_prefix_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.0.0.0/008", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_missing_prefix_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.10.0.0", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_empty_prefix_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.10.0.0/", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_trailing_text_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.10.0.0/16 ", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_negative_prefix_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr("10.10.0.0/-1", &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_cidr_null_fails(void **state)
{
	uint32_t net = SENTINEL;
	uint8_t prefix = 99;

	(void)state;
	assert_int_equal(parse_cidr(NULL, &net, &prefix), -1);
	assert_int_equal(net, SENTINEL);
	assert_int_equal(prefix, 99);
}

static void
test_parse_hostport_valid_address_and_port(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 0;

	(void)state;
	assert_int_equal(parse_hostport("127.0.0.1:8080", &a, &port), 0);
	assert_int_equal(a, htonl(0x7f000001));
	assert_int_equal(port, 8080);
}

static void
test_parse_hostport_port_65535_accepted(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 0;

	(void)state;
	assert_int_equal(parse_hostport("0.0.0.0:65535", &a, &port), 0);
	assert_int_equal(a, 0);
	assert_int_equal(port, 65535);
}

static void
test_parse_hostport_port_1_accepted(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 0;

	(void)state;
	assert_int_equal(parse_hostport("192.0.2.1:1", &a, &port), 0);
	assert_int_equal(a, htonl(0xc0000201));
	assert_int_equal(port, 1);
}

static void
test_parse_hostport_port_0_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport("127.0.0.1:0", &a, &port), -1);
	assert_int_equal(port, 77);
}

static void
test_parse_hostport_port_65536_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport("127.0.0.1:65536", &a, &port), -1);
	assert_int_equal(port, 77);
}

static void
test_parse_hostport_six_digit_port_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport("127.0.0.1:008080", &a, &port), -1);
	assert_int_equal(port, 77);
}

static void
test_parse_hostport_missing_port_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport("127.0.0.1", &a, &port), -1);
	assert_int_equal(port, 77);
}

static void
test_parse_hostport_empty_port_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport("127.0.0.1:", &a, &port), -1);
	assert_int_equal(port, 77);
}

static void
test_parse_hostport_trailing_text_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport("127.0.0.1:80x", &a, &port), -1);
	assert_int_equal(port, 77);
}

static void
test_parse_hostport_bad_address_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport("localhost:8080", &a, &port), -1);
	assert_int_equal(a, SENTINEL);
	assert_int_equal(port, 77);
}

static void
test_parse_hostport_null_fails(void **state)
{
	uint32_t a = SENTINEL;
	uint16_t port = 77;

	(void)state;
	assert_int_equal(parse_hostport(NULL, &a, &port), -1);
	assert_int_equal(a, SENTINEL);
	assert_int_equal(port, 77);
}

static void
test_parse_imsi_six_digits_accepted(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi("999010"), 0);
}

static void
test_parse_imsi_fifteen_digits_accepted(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi("999010000000001"), 0);
}

static void
test_parse_imsi_five_digits_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi("99901"), -1);
}

static void
test_parse_imsi_sixteen_digits_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi("9990100000000012"), -1);
}

static void
test_parse_imsi_letter_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi("99901000000000a"), -1);
}

static void
test_parse_imsi_inner_space_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi("999010 00000001"), -1);
}

static void
test_parse_imsi_empty_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi(""), -1);
}

static void
test_parse_imsi_null_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_imsi(NULL), -1);
}

static void
test_parse_ifname_simple_accepted(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname("vpgd0"), 0);
}

static void
test_parse_ifname_fifteen_chars_accepted(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname("abcdefghijklmno"), 0);
}

static void
test_parse_ifname_sixteen_chars_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname("abcdefghijklmnop"), -1);
}

static void
test_parse_ifname_empty_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname(""), -1);
}

static void
test_parse_ifname_slash_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname("eth/0"), -1);
}

static void
test_parse_ifname_space_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname("eth 0"), -1);
}

static void
test_parse_ifname_tab_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname("eth\t0"), -1);
}

static void
test_parse_ifname_control_char_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname("eth\x01"), -1);
}

static void
test_parse_ifname_null_fails(void **state)
{
	(void)state;
	assert_int_equal(parse_ifname(NULL), -1);
}

static void
test_ipv4_str_formats_dotted_quad(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(ipv4_str(htonl(0x0a0a4adb), buf), buf);
	assert_string_equal(buf, "10.10.74.219");
}

static void
test_ipv4_str_longest_fits_sixteen(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(ipv4_str(0xffffffffu, buf), buf);
	assert_string_equal(buf, "255.255.255.255");
}

static void
test_ipv4_str_zero_formats_zeros(void **state)
{
	char buf[16];

	(void)state;
	assert_ptr_equal(ipv4_str(0, buf), buf);
	assert_string_equal(buf, "0.0.0.0");
}

static void
test_ipv4_str_round_trips_parse_ipv4(void **state)
{
	char buf[16];
	uint32_t a = 0;

	(void)state;
	ipv4_str(htonl(0xc0000202), buf);
	assert_int_equal(parse_ipv4(buf, &a), 0);
	assert_int_equal(a, htonl(0xc0000202));
}

static void
test_parse_dns_server_unicast_accepted(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_dns_server("100.64.0.53", &a), 0);
	assert_int_equal(a, htonl(0x64400035));
	assert_int_equal(parse_dns_server("1.0.0.1", &a), 0);
	assert_int_equal(a, htonl(0x01000001));
	assert_int_equal(parse_dns_server("223.255.255.254", &a), 0);
	assert_int_equal(a, htonl(0xdffffffe));
}

static void
test_parse_dns_server_not_dotted_quad_einval(void **state)
{
	uint32_t a = SENTINEL;

	(void)state;
	assert_int_equal(parse_dns_server("dns.example", &a), -EINVAL);
	assert_int_equal(parse_dns_server("192.0.2.53:53", &a), -EINVAL);
	assert_int_equal(parse_dns_server("", &a), -EINVAL);
	assert_int_equal(parse_dns_server(NULL, &a), -EINVAL);
	assert_int_equal(a, SENTINEL);
}

static void
test_parse_dns_server_not_unicast_edom(void **state)
{
	static const char *const bad[] = { "0.0.0.0", "0.1.2.3", "127.0.0.53", "224.0.0.251",
		"239.255.255.250", "240.0.0.1", "255.255.255.255" };
	uint32_t a = SENTINEL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_dns_server(bad[i], &a), -EDOM);
	assert_int_equal(a, SENTINEL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_dns_server_unicast_accepted),
		cmocka_unit_test(test_parse_dns_server_not_dotted_quad_einval),
		cmocka_unit_test(test_parse_dns_server_not_unicast_edom),
		cmocka_unit_test(test_parse_ipv4_valid_network_order),
		cmocka_unit_test(test_parse_ipv4_all_zero_accepted),
		cmocka_unit_test(test_parse_ipv4_all_255_accepted),
		cmocka_unit_test(test_parse_ipv4_three_digit_leading_zero_accepted),
		cmocka_unit_test(test_parse_ipv4_leading_space_fails),
		cmocka_unit_test(test_parse_ipv4_leading_sign_fails),
		cmocka_unit_test(test_parse_ipv4_trailing_space_fails),
		cmocka_unit_test(test_parse_ipv4_trailing_dot_fails),
		cmocka_unit_test(test_parse_ipv4_trailing_prefix_fails),
		cmocka_unit_test(test_parse_ipv4_five_octets_fails),
		cmocka_unit_test(test_parse_ipv4_octet_256_fails),
		cmocka_unit_test(test_parse_ipv4_octet_999_fails),
		cmocka_unit_test(test_parse_ipv4_four_digit_octet_fails),
		cmocka_unit_test(test_parse_ipv4_three_octets_fails),
		cmocka_unit_test(test_parse_ipv4_empty_octet_fails),
		cmocka_unit_test(test_parse_ipv4_empty_fails),
		cmocka_unit_test(test_parse_ipv4_null_fails),
		cmocka_unit_test(test_parse_ipv4_hex_octet_fails),
		cmocka_unit_test(test_parse_cidr_valid_network_and_prefix),
		cmocka_unit_test(test_parse_cidr_host_bits_set_fails),
		cmocka_unit_test(test_parse_cidr_lowest_host_bit_set_fails),
		cmocka_unit_test(test_parse_cidr_prefix_0_accepted),
		cmocka_unit_test(test_parse_cidr_prefix_0_with_address_fails),
		cmocka_unit_test(test_parse_cidr_prefix_32_accepted),
		cmocka_unit_test(test_parse_cidr_prefix_33_fails),
		cmocka_unit_test(test_parse_cidr_three_digit_prefix_fails),
		cmocka_unit_test(test_parse_cidr_missing_prefix_fails),
		cmocka_unit_test(test_parse_cidr_empty_prefix_fails),
		cmocka_unit_test(test_parse_cidr_trailing_text_fails),
		cmocka_unit_test(test_parse_cidr_negative_prefix_fails),
		cmocka_unit_test(test_parse_cidr_null_fails),
		cmocka_unit_test(test_parse_hostport_valid_address_and_port),
		cmocka_unit_test(test_parse_hostport_port_65535_accepted),
		cmocka_unit_test(test_parse_hostport_port_1_accepted),
		cmocka_unit_test(test_parse_hostport_port_0_fails),
		cmocka_unit_test(test_parse_hostport_port_65536_fails),
		cmocka_unit_test(test_parse_hostport_six_digit_port_fails),
		cmocka_unit_test(test_parse_hostport_missing_port_fails),
		cmocka_unit_test(test_parse_hostport_empty_port_fails),
		cmocka_unit_test(test_parse_hostport_trailing_text_fails),
		cmocka_unit_test(test_parse_hostport_bad_address_fails),
		cmocka_unit_test(test_parse_hostport_null_fails),
		cmocka_unit_test(test_parse_imsi_six_digits_accepted),
		cmocka_unit_test(test_parse_imsi_fifteen_digits_accepted),
		cmocka_unit_test(test_parse_imsi_five_digits_fails),
		cmocka_unit_test(test_parse_imsi_sixteen_digits_fails),
		cmocka_unit_test(test_parse_imsi_letter_fails),
		cmocka_unit_test(test_parse_imsi_inner_space_fails),
		cmocka_unit_test(test_parse_imsi_empty_fails),
		cmocka_unit_test(test_parse_imsi_null_fails),
		cmocka_unit_test(test_parse_ifname_simple_accepted),
		cmocka_unit_test(test_parse_ifname_fifteen_chars_accepted),
		cmocka_unit_test(test_parse_ifname_sixteen_chars_fails),
		cmocka_unit_test(test_parse_ifname_empty_fails),
		cmocka_unit_test(test_parse_ifname_slash_fails),
		cmocka_unit_test(test_parse_ifname_space_fails),
		cmocka_unit_test(test_parse_ifname_tab_fails),
		cmocka_unit_test(test_parse_ifname_control_char_fails),
		cmocka_unit_test(test_parse_ifname_null_fails),
		cmocka_unit_test(test_ipv4_str_formats_dotted_quad),
		cmocka_unit_test(test_ipv4_str_longest_fits_sixteen),
		cmocka_unit_test(test_ipv4_str_zero_formats_zeros),
		cmocka_unit_test(test_ipv4_str_round_trips_parse_ipv4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
