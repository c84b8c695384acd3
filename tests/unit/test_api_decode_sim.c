/*
 * Unit tests for SIM-based routing's request decoding
 * (src/api/api_decode_sim.c): the whole table of PUT
 * /v1/sim_based_routing/routes and one device's list. Every refusal is
 * checked for its status, its code, the field it names and its message,
 * which must say what is wrong and where; a refused table leaves the output
 * empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>

#include "api/api_decode.h"
#include "core/sim_routes.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define SUBNET		IP4(10, 10, 0, 0)

static struct sim_table out;

static int
decode(const char *body, struct api_error *err)
{
	memset(&out, 0xa5, sizeof(out));
	memset(err, 0, sizeof(*err));
	return api_decode_sim_routes(body, strlen(body), SUBNET, 16, &out, err);
}

/* Refused as code naming field with message; the table left empty. */
static void
assert_refused(const char *body, const char *code, const char *field, const char *message)
{
	static const struct sim_table empty;
	struct api_error err;

	assert_int_equal(decode(body, &err), -EINVAL);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, code);
	assert_string_equal(err.field, field);
	if (message != NULL)
		assert_string_equal(err.message, message);
	assert_memory_equal(&out, &empty, sizeof(out));
}

static void
test_api_decode_sim_routes_api_example(void **state)
{
	struct api_error err;

	(void)state;
	assert_int_equal(decode("[ { \"imsi\": \"001010000000001\", \"destinations\": "
				"[\"192.168.50.0/24\"] } ]",
			     &err),
	    0);
	assert_int_equal(out.n_devices, 1);
	assert_string_equal(out.device[0].imsi, "001010000000001");
	assert_int_equal(out.device[0].n, 1);
	assert_int_equal(out.prefix[0].net_be, IP4(192, 168, 50, 0));
	assert_int_equal(out.prefix[0].len, 24);
}

static void
test_api_decode_sim_routes_order_kept(void **state)
{
	struct api_error err;

	(void)state;
	assert_int_equal(decode("[{\"destinations\": [\"192.168.51.0/24\", \"192.168.50.0/24\"],"
				" \"imsi\": \"2\"}, {\"imsi\": \"1\", \"destinations\":"
				" [\"203.0.113.7/32\"]}]",
			     &err),
	    0);
	assert_int_equal(out.n_devices, 2);
	assert_int_equal(out.n_prefixes, 3);
	assert_string_equal(out.device[0].imsi, "2");
	assert_int_equal(out.prefix[0].net_be, IP4(192, 168, 51, 0));
	assert_int_equal(out.prefix[1].net_be, IP4(192, 168, 50, 0));
	assert_string_equal(out.device[1].imsi, "1");
	assert_int_equal(out.device[1].first, 2);
	assert_int_equal(out.prefix[2].len, 32);
}

static void
test_api_decode_sim_routes_empty_table_accepted(void **state)
{
	struct api_error err;

	(void)state;
	assert_int_equal(decode("[]", &err), 0);
	assert_int_equal(out.n_devices, 0);
}

static void
test_api_decode_sim_routes_not_array_refused(void **state)
{
	(void)state;
	assert_refused("{\"imsi\": \"1\"}", "invalid_json", "",
	    "the body must be a JSON array, not an object");
	assert_refused(
	    "[\"1\"]", "invalid_field", "[0]", "\"[0]\": must be an object, not a string");
}

static void
test_api_decode_sim_routes_bad_imsi_named(void **state)
{
	(void)state;
	assert_refused("[{\"imsi\": \"1234567890123456\", \"destinations\": [\"1.0.0.0/8\"]}]",
	    "invalid_field", "[0].imsi",
	    "\"[0].imsi\": not an IMSI of 1 to 15 digits (\"1234567890123456\")");
	assert_refused("[{\"imsi\": \"\", \"destinations\": [\"1.0.0.0/8\"]}]", "invalid_field",
	    "[0].imsi", "\"[0].imsi\": not an IMSI of 1 to 15 digits (\"\")");
	assert_refused("[{\"imsi\": 1, \"destinations\": [\"1.0.0.0/8\"]}]", "invalid_field",
	    "[0].imsi", "\"[0].imsi\": must be a string, not a number");
	/* jansson itself refuses a NUL inside a string. */
	assert_refused("[{\"imsi\": \"1\\u00002\", \"destinations\": [\"1.0.0.0/8\"]}]",
	    "invalid_json", "", NULL);
}

static void
test_api_decode_sim_routes_missing_and_unknown_fields(void **state)
{
	(void)state;
	assert_refused("[{\"imsi\": \"1\"}]", "missing_field", "[0].destinations",
	    "\"[0].destinations\": required field is missing");
	assert_refused("[{\"imsi\": \"1\", \"destinations\": [\"1.0.0.0/8\"], \"via\": 3}]",
	    "unknown_field", "[0].via",
	    "\"[0].via\": unknown field; this call takes imsi, destinations");
}

static void
test_api_decode_sim_routes_host_bits_named_with_range(void **state)
{
	(void)state;
	assert_refused(
	    "[{\"imsi\": \"1\", \"destinations\": [\"1.0.0.0/8\", \"192.168.50.1/24\"]}]",
	    "invalid_field", "[0].destinations",
	    "\"[0].destinations\": [1] has host bits set (\"192.168.50.1/24\"; the range is "
	    "192.168.50.0/24)");
}

static void
test_api_decode_sim_routes_not_a_range_named(void **state)
{
	(void)state;
	assert_refused("[{\"imsi\": \"1\", \"destinations\": [\"192.168.50.0\"]}]", "invalid_field",
	    "[0].destinations",
	    "\"[0].destinations\": [0] is not a CIDR range a.b.c.d/n (\"192.168.50.0\")");
	assert_refused("[{\"imsi\": \"1\", \"destinations\": [\"192.168.50.0/33\"]}]",
	    "invalid_field", "[0].destinations", NULL);
	assert_refused("[{\"imsi\": \"1\", \"destinations\": [24]}]", "invalid_field",
	    "[0].destinations", "\"[0].destinations\": [0] must be a string, not a number");
	assert_refused("[{\"imsi\": \"1\", \"destinations\": \"192.168.50.0/24\"}]",
	    "invalid_field", "[0].destinations",
	    "\"[0].destinations\": must be an array of CIDR ranges, not a string");
}

static void
test_api_decode_sim_routes_list_length_limits(void **state)
{
	char body[2048];
	int n = snprintf(body, sizeof(body), "[{\"imsi\": \"1\", \"destinations\": [");

	(void)state;
	assert_refused("[{\"imsi\": \"1\", \"destinations\": []}]", "invalid_field",
	    "[0].destinations", "\"[0].destinations\": must hold 1 to 32 ranges, not 0");
	for (int i = 0; i <= SIM_ROUTES_MAX_PER_IMSI; i++)
		n += snprintf(body + n, sizeof(body) - (size_t)n, "%s\"192.168.%d.0/24\"",
		    i > 0 ? ", " : "", i);
	snprintf(body + n, sizeof(body) - (size_t)n, "]}]");
	assert_refused(body, "invalid_field", "[0].destinations",
	    "\"[0].destinations\": must hold 1 to 32 ranges, not 33");
}

static void
test_api_decode_sim_routes_too_many_in_all(void **state)
{
	size_t cap = 64 * (SIM_ROUTES_MAX + 2);
	char *body = malloc(cap);
	size_t n = 0;

	(void)state;
	assert_non_null(body);
	n += (size_t)snprintf(body, cap, "[");
	for (int i = 0; i <= SIM_ROUTES_MAX; i++)
		n += (size_t)snprintf(body + n, cap - n,
		    "%s{\"imsi\": \"%d\", \"destinations\": [\"%d.%d.0.0/16\"]}", i > 0 ? "," : "",
		    i, 100 + i / 256, i % 256);
	snprintf(body + n, cap - n, "]");
	assert_refused(body, "invalid_field", "",
	    "the table takes at most 1024 destinations in all (1025 or more)");
	free(body);
}

static void
test_api_decode_sim_routes_device_subnet_named(void **state)
{
	(void)state;
	assert_refused("[{\"imsi\": \"1\", \"destinations\": [\"1.0.0.0/8\"]}, {\"imsi\": \"2\","
		       " \"destinations\": [\"192.168.0.0/24\", \"10.0.0.0/8\"]}]",
	    "invalid_field", "[1].destinations",
	    "\"[1].destinations\": [1] 10.0.0.0/8 of imsi 2 overlaps the device subnet "
	    "10.10.0.0/16 (deviceSubnetCidrRange)");
}

static void
test_api_decode_sim_routes_overlap_names_both(void **state)
{
	(void)state;
	assert_refused(
	    "[{\"imsi\": \"1\", \"destinations\": [\"192.168.0.0/16\"]}, {\"imsi\": \"2\","
	    " \"destinations\": [\"172.16.0.0/12\", \"192.168.50.0/24\"]}]",
	    "invalid_field", "[1].destinations",
	    "\"[1].destinations\": [1] 192.168.50.0/24 of imsi 2 overlaps 192.168.0.0/16 of imsi "
	    "1");
}

static void
test_api_decode_sim_routes_imsi_twice_named(void **state)
{
	(void)state;
	assert_refused("[{\"imsi\": \"1\", \"destinations\": [\"1.0.0.0/8\"]}, {\"imsi\": \"2\","
		       " \"destinations\": [\"2.0.0.0/8\"]}, {\"imsi\": \"1\", \"destinations\":"
		       " [\"3.0.0.0/8\"]}]",
	    "invalid_field", "[2].imsi", "\"[2].imsi\": 1 is given twice (also [0].imsi)");
}

static void
test_api_decode_sim_destinations_valid(void **state)
{
	struct api_sim_dests d;
	struct api_error err = { 0 };
	const char *body = "{\"destinations\": [\"192.168.50.0/24\", \"0.0.0.0/0\"]}";

	(void)state;
	assert_int_equal(api_decode_sim_destinations(body, strlen(body), "1", &d, &err), 0);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.range[0].net_be, IP4(192, 168, 50, 0));
	assert_int_equal(d.range[1].prefix, 0);
}

/* The entry as GET shows it, PUT back to its own path. */
static void
test_api_decode_sim_destinations_imsi_of_the_path_accepted(void **state)
{
	struct api_sim_dests d;
	struct api_error err = { 0 };
	const char *body =
	    "{\"imsi\": \"999010000000001\", \"destinations\": [\"192.168.50.0/24\"]}";

	(void)state;
	assert_int_equal(
	    api_decode_sim_destinations(body, strlen(body), "999010000000001", &d, &err), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.range[0].net_be, IP4(192, 168, 50, 0));
}

static void
test_api_decode_sim_destinations_other_imsi_refused(void **state)
{
	struct api_sim_dests d;
	struct api_error err = { 0 };
	const char *body = "{\"imsi\": \"1\", \"destinations\": [\"192.168.50.0/24\"]}";

	(void)state;
	assert_int_equal(
	    api_decode_sim_destinations(body, strlen(body), "999010000000001", &d, &err), -EINVAL);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, "invalid_field");
	assert_string_equal(err.field, "imsi");
	assert_string_equal(err.message, "\"imsi\": \"1\" does not match the path's "
					 "999010000000001, which names the object and cannot be "
					 "changed");
	assert_int_equal(d.n, 0);
}

static void
test_api_decode_sim_destinations_imsi_not_digits_refused(void **state)
{
	struct api_sim_dests d;
	struct api_error err = { 0 };
	const char *body = "{\"imsi\": \"abc\", \"destinations\": [\"192.168.50.0/24\"]}";

	(void)state;
	assert_int_equal(api_decode_sim_destinations(body, strlen(body), "1", &d, &err), -EINVAL);
	assert_string_equal(err.code, "invalid_field");
	assert_string_equal(err.field, "imsi");
	assert_int_equal(d.n, 0);
}

/* A device's own PUT is named from its side, without an index, wherever it sits. */
static void
test_api_sim_fault_error_one_device_named_from_its_side(void **state)
{
	struct sim_table *t = calloc(1, sizeof(*t));
	struct sim_fault_at at;
	struct api_error err = { 0 };

	(void)state;
	assert_non_null(t);
	assert_int_equal(sim_table_add_device(t, "1"), 0);
	assert_int_equal(sim_table_add_prefix(t, IP4(192, 168, 50, 0), 25), 0);
	assert_int_equal(sim_table_add_device(t, "2"), 0);
	assert_int_equal(sim_table_add_prefix(t, IP4(192, 168, 50, 0), 24), 0);
	assert_int_equal(sim_table_check(t, SUBNET, 16, &at), SIM_FAULT_OVERLAP);
	api_sim_fault_error(t, &at, SUBNET, 16, 0, &err);
	assert_string_equal(err.field, "destinations");
	assert_string_equal(err.message, "\"destinations\": [0] 192.168.50.0/25 of imsi 1 overlaps "
					 "192.168.50.0/24 of imsi 2");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_decode_sim_routes_api_example),
		cmocka_unit_test(test_api_decode_sim_routes_order_kept),
		cmocka_unit_test(test_api_decode_sim_routes_empty_table_accepted),
		cmocka_unit_test(test_api_decode_sim_routes_not_array_refused),
		cmocka_unit_test(test_api_decode_sim_routes_bad_imsi_named),
		cmocka_unit_test(test_api_decode_sim_routes_missing_and_unknown_fields),
		cmocka_unit_test(test_api_decode_sim_routes_host_bits_named_with_range),
		cmocka_unit_test(test_api_decode_sim_routes_not_a_range_named),
		cmocka_unit_test(test_api_decode_sim_routes_list_length_limits),
		cmocka_unit_test(test_api_decode_sim_routes_too_many_in_all),
		cmocka_unit_test(test_api_decode_sim_routes_device_subnet_named),
		cmocka_unit_test(test_api_decode_sim_routes_overlap_names_both),
		cmocka_unit_test(test_api_decode_sim_routes_imsi_twice_named),
		cmocka_unit_test(test_api_decode_sim_destinations_valid),
		cmocka_unit_test(test_api_decode_sim_destinations_imsi_of_the_path_accepted),
		cmocka_unit_test(test_api_decode_sim_destinations_other_imsi_refused),
		cmocka_unit_test(test_api_decode_sim_destinations_imsi_not_digits_refused),
		cmocka_unit_test(test_api_sim_fault_error_one_device_named_from_its_side),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
