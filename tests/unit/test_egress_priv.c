/*
 * Unit tests for the checks the privileged parent makes on a route the
 * gateway asks for (src/fwd/egress_priv.c): a contiguous mask of 1 to 32
 * bits, no host bits, add 0 or 1, padding zero.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fwd/egress_priv.h"

static struct egress_priv_route
route(const char *net, uint32_t mask, uint8_t add)
{
	struct egress_priv_route m = { .mask_be = htonl(mask), .add = add };

	inet_pton(AF_INET, net, &m.net_be);
	return m;
}

static void
test_egress_priv_route_check_prefixes_pass(void **state)
{
	struct egress_priv_route m;

	(void)state;
	m = route("192.168.50.0", 0xffffff00u, 1);
	assert_int_equal(egress_priv_route_check(&m), 0);
	m = route("192.168.50.7", 0xffffffffu, 0);
	assert_int_equal(egress_priv_route_check(&m), 0);
	m = route("128.0.0.0", 0x80000000u, 1);
	assert_int_equal(egress_priv_route_check(&m), 0);
}

static void
test_egress_priv_route_check_default_route_einval(void **state)
{
	struct egress_priv_route m = route("0.0.0.0", 0, 1);

	(void)state;
	assert_int_equal(egress_priv_route_check(&m), -EINVAL);
}

static void
test_egress_priv_route_check_bad_mask_or_host_bits_einval(void **state)
{
	struct egress_priv_route m;

	(void)state;
	m = route("192.168.0.0", 0xffff00ffu, 1);
	assert_int_equal(egress_priv_route_check(&m), -EINVAL);
	m = route("192.168.50.1", 0xffffff00u, 1);
	assert_int_equal(egress_priv_route_check(&m), -EINVAL);
	m = route("0.0.0.0", 0x00ffffffu, 1);
	assert_int_equal(egress_priv_route_check(&m), -EINVAL);
}

static void
test_egress_priv_route_check_bad_flag_or_padding_einval(void **state)
{
	struct egress_priv_route m;

	(void)state;
	m = route("192.168.50.0", 0xffffff00u, 2);
	assert_int_equal(egress_priv_route_check(&m), -EINVAL);
	m = route("192.168.50.0", 0xffffff00u, 1);
	m.pad[2] = 1;
	assert_int_equal(egress_priv_route_check(&m), -EINVAL);
}

static void
test_egress_priv_route_without_parent_enotconn(void **state)
{
	(void)state;
	assert_int_equal(
	    egress_priv_route(htonl(0xc0a83200u), htonl(0xffffff00u), true), -ENOTCONN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_egress_priv_route_check_prefixes_pass),
		cmocka_unit_test(test_egress_priv_route_check_default_route_einval),
		cmocka_unit_test(test_egress_priv_route_check_bad_mask_or_host_bits_einval),
		cmocka_unit_test(test_egress_priv_route_check_bad_flag_or_padding_einval),
		cmocka_unit_test(test_egress_priv_route_without_parent_enotconn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
