/*
 * Unit tests for what an interface does with a UDP GSO packet
 * (src/io/offload.c): the interface that holds an address, and its
 * tx-udp-segmentation feature read through ethtool's ioctl, on and off. The
 * feature is turned off on a loopback of a network namespace of the test's
 * own (root, and ethtool, or the test is skipped).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/offload.h"

static void
test_offload_loopback_address_is_on_lo(void **state)
{
	char name[IF_NAMESIZE];

	(void)state;
	assert_int_equal(offload_interface_of(htonl(INADDR_LOOPBACK), name), 0);
	assert_string_equal(name, "lo");
}

static void
test_offload_no_interface_for_any_or_an_absent_address(void **state)
{
	char name[IF_NAMESIZE];

	(void)state;
	assert_int_equal(offload_interface_of(htonl(INADDR_ANY), name), -1);
	assert_int_equal(offload_interface_of(inet_addr("192.0.2.254"), name), -1);
}

static void
test_offload_unknown_interface_is_unknown(void **state)
{
	(void)state;
	assert_int_equal(offload_udp_segmentation("vpgnosuch0"), -1);
}

/* In a namespace of its own: lo starts with the feature on, and ethtool turns it off. */
static void
test_offload_segmentation_feature_on_then_off(void **state)
{
	(void)state;
	if (geteuid() != 0 || access("/usr/sbin/ethtool", X_OK) != 0 || unshare(CLONE_NEWNET) < 0)
		skip();
	assert_int_equal(offload_udp_segmentation("lo"), 1);
	assert_int_equal(
	    system("/usr/sbin/ethtool -K lo tx-udp-segmentation off >/dev/null 2>&1"), 0);
	assert_int_equal(offload_udp_segmentation("lo"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offload_loopback_address_is_on_lo),
		cmocka_unit_test(test_offload_no_interface_for_any_or_an_absent_address),
		cmocka_unit_test(test_offload_unknown_interface_is_unknown),
		cmocka_unit_test(test_offload_segmentation_feature_on_then_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
