/*
 * Unit tests for Peek's request decoding (src/api/api_decode_peek.c): the
 * body of POST /v1/packet_capture_sessions and a capture id in a path.
 * Every refusal is checked for its status, code, field and message; a
 * refused body leaves the output zeroed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_decode.h"

static struct api_peek_body out;

static int
decode(const char *body, struct api_error *err)
{
	memset(&out, 0xa5, sizeof(out));
	memset(err, 0, sizeof(*err));
	return api_decode_peek(body, strlen(body), &out, err);
}

static void
assert_refused(const char *body, const char *code, const char *field, const char *message)
{
	static const struct api_peek_body zero;
	struct api_error err;

	assert_int_equal(decode(body, &err), -EINVAL);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, code);
	assert_string_equal(err.field, field);
	if (message != NULL)
		assert_string_equal(err.message, message);
	assert_memory_equal(&out, &zero, sizeof(out));
}

static void
test_api_decode_peek_every_field(void **state)
{
	struct api_error err;

	(void)state;
	assert_int_equal(decode("{\"duration\": 60, \"prefix\": \"lab_1-a\", \"imsi\": "
				"\"999010000000001\"}",
			     &err),
	    0);
	assert_int_equal(out.has, API_PEEK_DURATION | API_PEEK_PREFIX | API_PEEK_IMSI);
	assert_int_equal(out.duration, 60);
	assert_string_equal(out.prefix, "lab_1-a");
	assert_string_equal(out.imsi, "999010000000001");
}

static void
test_api_decode_peek_duration_only_whole_gateway(void **state)
{
	struct api_error err;

	(void)state;
	assert_int_equal(decode("{\"duration\": 86400}", &err), 0);
	assert_int_equal(out.has, API_PEEK_DURATION);
	assert_int_equal(out.duration, 86400);
	assert_string_equal(out.prefix, "");
	assert_string_equal(out.imsi, "");
}

static void
test_api_decode_peek_duration_missing_or_out_of_range_refused(void **state)
{
	(void)state;
	assert_refused("{}", "missing_field", "duration", NULL);
	assert_refused("", "invalid_json", "", NULL);
	assert_refused("{\"duration\": 0}", "invalid_field", "duration", NULL);
	assert_refused("{\"duration\": 86401}", "invalid_field", "duration", NULL);
	assert_refused("{\"duration\": 1.5}", "invalid_field", "duration", NULL);
	assert_refused("{\"duration\": \"60\"}", "invalid_field", "duration", NULL);
}

static void
test_api_decode_peek_bad_prefix_refused(void **state)
{
	char long_prefix[128];

	(void)state;
	assert_refused("{\"duration\": 5, \"prefix\": \"a b\"}", "invalid_field", "prefix",
	    "\"prefix\": only letters, digits, '-' and '_' are allowed (\"a b\")");
	assert_refused("{\"duration\": 5, \"prefix\": 7}", "invalid_field", "prefix",
	    "\"prefix\": must be a string, not a number");
	/* A NUL inside a string is refused by the JSON parsing already. */
	assert_refused("{\"duration\": 5, \"prefix\": \"a\\u0000b\"}", "invalid_json", "", NULL);
	snprintf(long_prefix, sizeof(long_prefix), "{\"duration\": 5, \"prefix\": \"%065d\"}", 0);
	assert_refused(
	    long_prefix, "invalid_field", "prefix", "\"prefix\": at most 64 characters (65 given)");
}

static void
test_api_decode_peek_bad_imsi_or_unknown_field_refused(void **state)
{
	(void)state;
	assert_refused("{\"duration\": 5, \"imsi\": \"12\"}", "invalid_field", "imsi",
	    "\"imsi\": not an IMSI of 6 to 15 digits (\"12\")");
	assert_refused(
	    "{\"duration\": 5, \"imsi\": 999010000000001}", "invalid_field", "imsi", NULL);
	assert_refused("{\"duration\": 5, \"colour\": 1}", "unknown_field", "colour", NULL);
	assert_refused("[60]", "invalid_json", "", NULL);
}

static void
test_api_path_capture_id_hex_only(void **state)
{
	char id[API_PEEK_ID_MAX + 1];
	struct api_error err = { 0 };

	(void)state;
	assert_int_equal(api_path_capture_id("00ff3a", id, &err), 0);
	assert_string_equal(id, "00ff3a");
	assert_int_equal(api_path_capture_id("00FF", id, &err), -EINVAL);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, "invalid_path");
	assert_string_equal(err.field, "id");
	assert_int_equal(api_path_capture_id("", id, &err), -EINVAL);
	assert_int_equal(
	    api_path_capture_id("000000000000000000000000000000000", id, &err), -EINVAL);
	assert_int_equal(api_path_capture_id("..", id, &err), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_decode_peek_every_field),
		cmocka_unit_test(test_api_decode_peek_duration_only_whole_gateway),
		cmocka_unit_test(test_api_decode_peek_duration_missing_or_out_of_range_refused),
		cmocka_unit_test(test_api_decode_peek_bad_prefix_refused),
		cmocka_unit_test(test_api_decode_peek_bad_imsi_or_unknown_field_refused),
		cmocka_unit_test(test_api_path_capture_id_hex_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
