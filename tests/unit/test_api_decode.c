/*
 * Unit tests for API body and path decoding (src/api/api_decode.c). Every
 * refusal is checked for its status, its code from docs/API.md's table, the
 * field it names and its message, which must be one line of printable ASCII
 * whatever the input held. Bodies are passed with an explicit length and,
 * where it matters, without a terminating NUL, as the HTTP layer hands them
 * over. A test body with one field of each kind exercises the generic
 * decoder beyond what the API's own bodies use.
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
#include <jansson.h>

#include "api/api_decode.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

/* What the path of a PUT names its object by, for the decoders that compare a body's copy. */
#define PATH_IMSI   "999010000000001"
#define PATH_MIRROR IP4(203, 0, 113, 7)

/* One field of each kind, all optional but the address, to see has-bits and bounds. */
#define T_ADDR	(1u << 0)
#define T_FLAG	(1u << 1)
#define T_COUNT (1u << 2)
#define T_TEXT	(1u << 3)

struct test_body {
	uint32_t has;
	uint32_t addr_be;
	bool flag;
	int64_t count;
	char text[5];
};

static const struct api_field test_fields[] = {
	API_FIELD_IPV4(struct test_body, addr_be, "addr", T_ADDR, true),
	API_FIELD_BOOL(struct test_body, flag, "flag", T_FLAG, false),
	API_FIELD_INT(struct test_body, count, "count", T_COUNT, false, 1, 16777215),
	API_FIELD_STRING(struct test_body, text, "text", T_TEXT, false),
};
static const struct api_body test_body_desc = API_BODY(struct test_body, test_fields);

static void
assert_one_line(const char *s)
{
	assert_true(s[0] != '\0');
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s > '~')
			fail_msg("byte 0x%02x in \"%s\"", (unsigned char)*s, s);
}

static void
assert_error(const struct api_error *e, const char *code, const char *field, const char *message)
{
	assert_int_equal(e->status, 400);
	assert_string_equal(e->code, code);
	assert_string_equal(e->field, field);
	if (message != NULL)
		assert_string_equal(e->message, message);
	assert_one_line(e->message);
	if (e->field[0] != '\0')
		assert_one_line(e->field);
}

static int
ip_map(const char *body, struct api_ip_map_body *out, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out));
	memset(err, 0, sizeof(*err));
	return api_decode_ip_map(body, strlen(body), PATH_IMSI, out, err);
}

static int
decode_test(const char *body, struct test_body *out, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out));
	memset(err, 0, sizeof(*err));
	return api_decode_body(body, strlen(body), &test_body_desc, out, err);
}

/* Asserts an ip-map refusal and that the output was left zeroed. */
static void
assert_ip_map_refused(const char *body, const char *code, const char *field, const char *message)
{
	struct api_ip_map_body out;
	struct api_error err;

	assert_int_equal(ip_map(body, &out, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(out.has, 0);
	assert_int_equal(out.ip_address_be, 0);
}

static void
test_api_decode_ip_map_valid_sets_has_and_address(void **state)
{
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(ip_map("{ \"ipAddress\": \"10.10.0.50\" }", &out, &err), 0);
	assert_int_equal(out.has, API_IP_MAP_IP_ADDRESS);
	assert_int_equal(out.ip_address_be, IP4(10, 10, 0, 50));
}

static void
test_api_decode_ip_map_unterminated_buffer_ok(void **state)
{
	static const char buf[] = "{\"ipAddress\":\"10.10.0.50\"}XXXX";
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(api_decode_ip_map(buf, strlen(buf) - 4, PATH_IMSI, &out, &err), 0);
	assert_int_equal(out.ip_address_be, IP4(10, 10, 0, 50));
}

static void
test_api_decode_ip_map_missing_address_missing_field(void **state)
{
	(void)state;
	assert_ip_map_refused(
	    "{}", "missing_field", "ipAddress", "\"ipAddress\": required field is missing");
}

static void
test_api_decode_ip_map_short_address_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.10.0\"}", "invalid_field", "ipAddress",
	    "\"ipAddress\": not an IPv4 address (\"10.10.0\")");
}

static void
test_api_decode_ip_map_octet_256_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.10.0.256\"}", "invalid_field", "ipAddress",
	    "\"ipAddress\": not an IPv4 address (\"10.10.0.256\")");
}

static void
test_api_decode_ip_map_empty_address_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"\"}", "invalid_field", "ipAddress",
	    "\"ipAddress\": not an IPv4 address (\"\")");
}

static void
test_api_decode_ip_map_number_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": 168427570}", "invalid_field", "ipAddress",
	    "\"ipAddress\": must be a string, not a number");
}

static void
test_api_decode_ip_map_null_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": null}", "invalid_field", "ipAddress",
	    "\"ipAddress\": must be a string, not null");
}

static void
test_api_decode_ip_map_array_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": [\"10.10.0.50\"]}", "invalid_field", "ipAddress",
	    "\"ipAddress\": must be a string, not an array");
}

static void
test_api_decode_ip_map_object_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": {\"v\": \"10.10.0.50\"}}", "invalid_field",
	    "ipAddress", "\"ipAddress\": must be a string, not an object");
}

static void
test_api_decode_ip_map_bool_invalid_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": true}", "invalid_field", "ipAddress",
	    "\"ipAddress\": must be a string, not a boolean");
}

static void
test_api_decode_ip_map_extra_field_unknown_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.10.0.50\", \"imsi\": \"999010000000001\"}",
	    "unknown_field", "imsi", "\"imsi\": unknown field; this call takes ipAddress, key");
}

/* The entry as GET shows it, PUT back: its key is the path's. */
static void
test_api_decode_ip_map_key_matching_the_path_accepted(void **state)
{
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    ip_map("{\"key\": \"999010000000001\", \"ipAddress\": \"10.10.0.50\"}", &out, &err), 0);
	assert_int_equal(out.has, API_IP_MAP_IP_ADDRESS | API_IP_MAP_KEY);
	assert_int_equal(out.ip_address_be, IP4(10, 10, 0, 50));
	assert_string_equal(out.key, PATH_IMSI);
}

static void
test_api_decode_ip_map_key_other_than_the_path_refused(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"key\": \"999010000000002\", \"ipAddress\": \"10.10.0.50\"}",
	    "invalid_field", "key",
	    "\"key\": \"999010000000002\" does not match the path's 999010000000001, which names "
	    "the object and cannot be changed");
}

/* A NUL cannot hide a tail behind the path's IMSI: a body holding one is refused whole. */
static void
test_api_decode_ip_map_key_with_nul_or_not_imsi_refused(void **state)
{
	(void)state;
	assert_ip_map_refused(
	    "{\"key\": \"999010000000001\\u0000\", \"ipAddress\": \"10.10.0.50\"}", "invalid_json",
	    "", NULL);
	assert_ip_map_refused("{\"key\": 999010000000001, \"ipAddress\": \"10.10.0.50\"}",
	    "invalid_field", "key", NULL);
	assert_ip_map_refused("{\"key\": \"99901000000000x\", \"ipAddress\": \"10.10.0.50\"}",
	    "invalid_field", "key", NULL);
}

static void
test_api_decode_ip_map_wrong_case_unknown_field(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipaddress\": \"10.10.0.50\"}", "unknown_field", "ipaddress",
	    "\"ipaddress\": unknown field; this call takes ipAddress, key");
}

static void
test_api_decode_ip_map_first_fault_in_body_order_reported(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": 1, \"x\": 2}", "invalid_field", "ipAddress", NULL);
	assert_ip_map_refused("{\"x\": 2, \"ipAddress\": 1}", "unknown_field", "x", NULL);
}

static void
test_api_decode_ip_map_duplicate_key_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.10.0.50\", \"ipAddress\": \"10.10.0.51\"}",
	    "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_empty_body_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused("", "invalid_json", "", "the body is empty; expected a JSON object");
}

static void
test_api_decode_ip_map_whitespace_body_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused(" \r\n\t", "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_array_body_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused("[{\"ipAddress\": \"10.10.0.50\"}]", "invalid_json", "",
	    "the body must be a JSON object, not an array");
}

static void
test_api_decode_ip_map_string_body_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused(
	    "\"10.10.0.50\"", "invalid_json", "", "the body must be a JSON object, not a string");
}

static void
test_api_decode_ip_map_number_body_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused(
	    "42", "invalid_json", "", "the body must be a JSON object, not a number");
}

static void
test_api_decode_ip_map_null_body_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused(
	    "null", "invalid_json", "", "the body must be a JSON object, not null");
}

static void
test_api_decode_ip_map_truncated_body_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.10.0.50\"", "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_trailing_text_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.10.0.50\"} {}", "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_embedded_nul_invalid_json(void **state)
{
	static const char body[] = "{\"ipAddress\": \"10.10.0.50\"}\0";
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(api_decode_ip_map(body, sizeof(body) - 1, PATH_IMSI, &out, &err), -EINVAL);
	assert_error(&err, "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_escaped_nul_in_value_invalid_json(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.10.0.50\\u0000x\"}", "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_invalid_utf8_message_printable(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"\xff\xfe\"}", "invalid_json", "", NULL);
	assert_ip_map_refused("\xc3\x28\n\x01{", "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_garbage_invalid_json(void **state)
{
	unsigned char buf[4096];
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	srand(1);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rand();
	buf[0] = '{';
	assert_int_equal(
	    api_decode_ip_map((const char *)buf, sizeof(buf), PATH_IMSI, &out, &err), -EINVAL);
	assert_error(&err, "invalid_json", "", NULL);
}

static void
test_api_decode_ip_map_deep_nesting_invalid_json(void **state)
{
	size_t n = 200000;
	char *body = malloc(n);
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	assert_non_null(body);
	memset(body, '[', n);
	assert_int_equal(api_decode_ip_map(body, n, PATH_IMSI, &out, &err), -EINVAL);
	assert_error(&err, "invalid_json", "", NULL);
	free(body);
}

/* A megabyte of address: refused, and quoted only in part. */
static void
test_api_decode_ip_map_huge_value_quote_capped(void **state)
{
	size_t n = 1 << 20;
	char *body = malloc(n + 32);
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	assert_non_null(body);
	strcpy(body, "{\"ipAddress\": \"");
	memset(body + strlen(body), '1', n);
	strcpy(body + 15 + n, "\"}");
	assert_int_equal(ip_map(body, &out, &err), -EINVAL);
	assert_error(&err, "invalid_field", "ipAddress", NULL);
	assert_non_null(strstr(err.message, "...\")"));
	assert_true(strlen(err.message) < 120);
	free(body);
}

static void
test_api_decode_ip_map_control_chars_in_value_escaped(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"ipAddress\": \"10.0.0.1\\n\\\"x\\\\\"}", "invalid_field",
	    "ipAddress", "\"ipAddress\": not an IPv4 address (\"10.0.0.1\\x0a\\\"x\\\\\")");
}

static void
test_api_decode_ip_map_control_chars_in_unknown_name_one_line(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"a\\nb\\r\\u0001\\u007f\": 1}", "unknown_field",
	    "a\\x0ab\\x0d\\x01\\x7f",
	    "\"a\\x0ab\\x0d\\x01\\x7f\": unknown field; this call takes ipAddress, key");
}

static void
test_api_decode_ip_map_non_ascii_unknown_name_escaped(void **state)
{
	(void)state;
	assert_ip_map_refused("{\"adr\xc3\xa9sse\": 1}", "unknown_field", "adr\\xc3\\xa9sse", NULL);
}

static void
test_api_decode_ip_map_long_unknown_name_capped(void **state)
{
	char body[600], name[512];
	struct api_ip_map_body out;
	struct api_error err;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(body, sizeof(body), "{\"%s\": 1}", name);
	assert_int_equal(ip_map(body, &out, &err), -EINVAL);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, "unknown_field");
	assert_true(strlen(err.field) < sizeof(err.field));
	assert_string_equal(err.field + strlen(err.field) - 3, "...");
	assert_non_null(strstr(err.message, "unknown field"));
	assert_one_line(err.message);
}

static void
test_api_decode_body_optional_absent_has_clear(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(decode_test("{\"addr\": \"192.0.2.1\"}", &out, &err), 0);
	assert_int_equal(out.has, T_ADDR);
	assert_false(out.flag);
	assert_int_equal(out.count, 0);
	assert_string_equal(out.text, "");
}

static void
test_api_decode_body_optional_zero_values_has_set(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(decode_test("{\"addr\": \"192.0.2.1\", \"flag\": false, \"count\": 1, "
				     "\"text\": \"\"}",
			     &out, &err),
	    0);
	assert_int_equal(out.has, T_ADDR | T_FLAG | T_COUNT | T_TEXT);
	assert_false(out.flag);
	assert_int_equal(out.count, 1);
	assert_string_equal(out.text, "");
}

static void
test_api_decode_body_all_kinds_decoded(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(decode_test("{\"text\": \"abcd\", \"count\": 16777215, \"flag\": true, "
				     "\"addr\": \"192.0.2.1\"}",
			     &out, &err),
	    0);
	assert_int_equal(out.addr_be, IP4(192, 0, 2, 1));
	assert_true(out.flag);
	assert_int_equal(out.count, 16777215);
	assert_string_equal(out.text, "abcd");
}

static void
test_api_decode_body_bool_wrong_type_invalid_field(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    decode_test("{\"addr\": \"192.0.2.1\", \"flag\": 1}", &out, &err), -EINVAL);
	assert_error(
	    &err, "invalid_field", "flag", "\"flag\": must be true or false, not a number");
	assert_int_equal(out.has, 0);
}

static void
test_api_decode_body_int_below_range_invalid_field(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    decode_test("{\"addr\": \"192.0.2.1\", \"count\": 0}", &out, &err), -EINVAL);
	assert_error(
	    &err, "invalid_field", "count", "\"count\": must be between 1 and 16777215 (0)");
}

static void
test_api_decode_body_int_above_range_invalid_field(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    decode_test("{\"addr\": \"192.0.2.1\", \"count\": 16777216}", &out, &err), -EINVAL);
	assert_error(
	    &err, "invalid_field", "count", "\"count\": must be between 1 and 16777215 (16777216)");
}

static void
test_api_decode_body_int_fraction_invalid_field(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    decode_test("{\"addr\": \"192.0.2.1\", \"count\": 1.5}", &out, &err), -EINVAL);
	assert_error(&err, "invalid_field", "count", "\"count\": must be an integer, not a number");
}

static void
test_api_decode_body_int_string_invalid_field(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    decode_test("{\"addr\": \"192.0.2.1\", \"count\": \"5\"}", &out, &err), -EINVAL);
	assert_error(&err, "invalid_field", "count", "\"count\": must be an integer, not a string");
}

static void
test_api_decode_body_string_too_long_invalid_field(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    decode_test("{\"addr\": \"192.0.2.1\", \"text\": \"abcde\"}", &out, &err), -EINVAL);
	assert_error(&err, "invalid_field", "text", "\"text\": must be at most 4 bytes long (5)");
}

static void
test_api_decode_body_unknown_lists_fields(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(decode_test("{\"other\": 1}", &out, &err), -EINVAL);
	assert_error(&err, "unknown_field", "other",
	    "\"other\": unknown field; this call takes addr, flag, count, text");
}

static void
test_api_decode_body_missing_required_after_optional(void **state)
{
	struct test_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(decode_test("{\"flag\": true}", &out, &err), -EINVAL);
	assert_error(&err, "missing_field", "addr", "\"addr\": required field is missing");
	assert_false(out.flag);
	assert_int_equal(out.has, 0);
}

static void
test_api_path_imsi_fifteen_digits_ok(void **state)
{
	struct api_error err = { 0 };
	char imsi[16];

	(void)state;
	assert_int_equal(api_path_imsi("999010000000001", imsi, &err), 0);
	assert_string_equal(imsi, "999010000000001");
	assert_int_equal(err.status, 0);
}

static void
test_api_path_imsi_six_digits_ok(void **state)
{
	struct api_error err = { 0 };
	char imsi[16];

	(void)state;
	assert_int_equal(api_path_imsi("123456", imsi, &err), 0);
	assert_string_equal(imsi, "123456");
}

static void
assert_path_refused(const char *segment, const char *message)
{
	struct api_error err = { 0 };
	char imsi[16] = "untouched";

	assert_int_equal(api_path_imsi(segment, imsi, &err), -EINVAL);
	assert_error(&err, "invalid_path", "", message);
	assert_string_equal(imsi, "untouched");
}

static void
test_api_path_imsi_five_digits_invalid_path(void **state)
{
	(void)state;
	assert_path_refused("12345", "not an IMSI of 6 to 15 digits (\"12345\")");
}

static void
test_api_path_imsi_sixteen_digits_invalid_path(void **state)
{
	(void)state;
	assert_path_refused(
	    "9990100000000011", "not an IMSI of 6 to 15 digits (\"9990100000000011\")");
}

static void
test_api_path_imsi_letter_invalid_path(void **state)
{
	(void)state;
	assert_path_refused("99901000000000a", NULL);
	assert_path_refused("+99901000000000", NULL);
}

static void
test_api_path_imsi_empty_invalid_path(void **state)
{
	(void)state;
	assert_path_refused("", "not an IMSI of 6 to 15 digits (\"\")");
	assert_path_refused(NULL, "not an IMSI of 6 to 15 digits (\"\")");
}

static void
test_api_path_imsi_control_chars_one_line(void **state)
{
	(void)state;
	assert_path_refused(
	    "1234\n56\x1b[0m", "not an IMSI of 6 to 15 digits (\"1234\\x0a56\\x1b[0m\")");
}

static void
test_api_error_json_with_field_three_keys(void **state)
{
	struct api_error err;
	json_t *j;

	(void)state;
	api_error_set(&err, 400, "invalid_field", "ipAddress",
	    "\"%s\": not inside the device subnet %s", "ipAddress", "10.10.0.0/16");
	j = api_error_json(&err);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 3);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "invalid_field");
	assert_string_equal(json_string_value(json_object_get(j, "message")),
	    "\"ipAddress\": not inside the device subnet 10.10.0.0/16");
	assert_string_equal(json_string_value(json_object_get(j, "field")), "ipAddress");
	json_decref(j);
}

static void
test_api_error_json_without_field_two_keys(void **state)
{
	struct api_error err;
	json_t *j;

	(void)state;
	api_error_set(&err, 404, "not_found", NULL, "no entry for IMSI %s", "999010000000001");
	assert_int_equal(err.status, 404);
	j = api_error_json(&err);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 2);
	assert_null(json_object_get(j, "field"));
	assert_string_equal(json_string_value(json_object_get(j, "code")), "not_found");
	json_decref(j);
}

static void
test_api_error_json_key_order_code_message_field(void **state)
{
	struct api_error err;
	json_t *j;
	char *text;

	(void)state;
	api_error_set(&err, 409, "conflict", "ipAddress", "taken");
	j = api_error_json(&err);
	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT);
	assert_non_null(text);
	assert_string_equal(
	    text, "{\"code\":\"conflict\",\"message\":\"taken\",\"field\":\"ipAddress\"}");
	free(text);
	json_decref(j);
}

static void
test_api_error_set_caller_text_made_printable(void **state)
{
	struct api_error err;
	json_t *j;

	(void)state;
	api_error_set(&err, 400, "invalid_field", "f\nx", "bad %s", "a\nb\xc3\xa9\x7f");
	assert_string_equal(err.message, "bad a?b???");
	assert_string_equal(err.field, "f?x");
	j = api_error_json(&err);
	assert_non_null(j);
	json_decref(j);
}

static void
test_api_error_set_empty_message_uses_code(void **state)
{
	struct api_error err;

	(void)state;
	api_error_set(&err, 500, "store_failed", NULL, "%s", "");
	assert_string_equal(err.message, "store_failed");
}

static void
test_api_error_set_long_message_truncated(void **state)
{
	struct api_error err;
	char long_text[1024];

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	api_error_set(&err, 400, "invalid_field", long_text, "%s", long_text);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
	assert_int_equal(strlen(err.field), sizeof(err.field) - 1);
}

static int
gate_open(const char *body, struct api_gate_open_body *out, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out));
	memset(err, 0, sizeof(*err));
	return api_decode_gate_open(body, strlen(body), out, err);
}

/* Asserts a gate-open refusal and that the output was left zeroed. */
static void
assert_gate_open_refused(const char *body, const char *code, const char *field, const char *message)
{
	struct api_gate_open_body out;
	struct api_error err;

	assert_int_equal(gate_open(body, &out, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(out.has, 0);
	assert_int_equal(out.vxlan_id, 0);
	assert_false(out.privacy_separator_enabled);
}

static void
test_api_decode_gate_open_both_fields_decoded(void **state)
{
	struct api_gate_open_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    gate_open("{ \"vxlanId\": 10, \"privacySeparatorEnabled\": true }", &out, &err), 0);
	assert_int_equal(out.has, API_GATE_OPEN_VXLAN_ID | API_GATE_OPEN_PRIVACY_SEPARATOR);
	assert_int_equal(out.vxlan_id, 10);
	assert_true(out.privacy_separator_enabled);
}

static void
test_api_decode_gate_open_vxlan_id_only_has_one_bit(void **state)
{
	struct api_gate_open_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(gate_open("{\"vxlanId\": 4242}", &out, &err), 0);
	assert_int_equal(out.has, API_GATE_OPEN_VXLAN_ID);
	assert_int_equal(out.vxlan_id, 4242);
	assert_false(out.privacy_separator_enabled);
}

static void
test_api_decode_gate_open_separator_false_has_bit(void **state)
{
	struct api_gate_open_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(gate_open("{\"privacySeparatorEnabled\": false}", &out, &err), 0);
	assert_int_equal(out.has, API_GATE_OPEN_PRIVACY_SEPARATOR);
	assert_false(out.privacy_separator_enabled);
	assert_int_equal(out.vxlan_id, 0);
}

static void
test_api_decode_gate_open_empty_object_has_clear(void **state)
{
	struct api_gate_open_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(gate_open("{}", &out, &err), 0);
	assert_int_equal(out.has, 0);
	assert_int_equal(out.vxlan_id, 0);
	assert_false(out.privacy_separator_enabled);
}

static void
test_api_decode_gate_open_no_body_has_clear(void **state)
{
	struct api_gate_open_body out;
	struct api_error err;

	(void)state;
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(api_decode_gate_open(NULL, 0, &out, &err), 0);
	assert_int_equal(out.has, 0);
	assert_int_equal(out.vxlan_id, 0);
	assert_false(out.privacy_separator_enabled);
}

static void
test_api_decode_gate_open_whitespace_body_invalid_json(void **state)
{
	(void)state;
	assert_gate_open_refused(" \n", "invalid_json", "", NULL);
}

static void
test_api_decode_gate_open_vxlan_id_bounds_accepted(void **state)
{
	struct api_gate_open_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(gate_open("{\"vxlanId\": 1}", &out, &err), 0);
	assert_int_equal(out.vxlan_id, 1);
	assert_int_equal(gate_open("{\"vxlanId\": 16777215}", &out, &err), 0);
	assert_int_equal(out.vxlan_id, 16777215);
}

static void
test_api_decode_gate_open_vxlan_id_zero_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": 0}", "invalid_field", "vxlanId",
	    "\"vxlanId\": must be between 1 and 16777215 (0)");
}

static void
test_api_decode_gate_open_vxlan_id_above_24_bits_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": 16777216}", "invalid_field", "vxlanId",
	    "\"vxlanId\": must be between 1 and 16777215 (16777216)");
}

static void
test_api_decode_gate_open_vxlan_id_negative_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": -10}", "invalid_field", "vxlanId",
	    "\"vxlanId\": must be between 1 and 16777215 (-10)");
}

static void
test_api_decode_gate_open_vxlan_id_real_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": 10.0}", "invalid_field", "vxlanId",
	    "\"vxlanId\": must be an integer, not a number");
}

static void
test_api_decode_gate_open_vxlan_id_string_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": \"10\"}", "invalid_field", "vxlanId",
	    "\"vxlanId\": must be an integer, not a string");
}

static void
test_api_decode_gate_open_vxlan_id_null_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": null}", "invalid_field", "vxlanId",
	    "\"vxlanId\": must be an integer, not null");
}

/* Beyond int64: jansson refuses the number itself, before any range check. */
static void
test_api_decode_gate_open_vxlan_id_huge_invalid_json(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": 99999999999999999999}", "invalid_json", "", NULL);
}

static void
test_api_decode_gate_open_separator_string_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"privacySeparatorEnabled\": \"false\"}", "invalid_field",
	    "privacySeparatorEnabled",
	    "\"privacySeparatorEnabled\": must be true or false, not a string");
}

static void
test_api_decode_gate_open_separator_number_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": 10, \"privacySeparatorEnabled\": 0}",
	    "invalid_field", "privacySeparatorEnabled",
	    "\"privacySeparatorEnabled\": must be true or false, not a number");
}

static void
test_api_decode_gate_open_separator_null_invalid_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"privacySeparatorEnabled\": null}", "invalid_field",
	    "privacySeparatorEnabled",
	    "\"privacySeparatorEnabled\": must be true or false, not null");
}

static void
test_api_decode_gate_open_unknown_field_lists_both(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": 10, \"vni\": 10}", "unknown_field", "vni",
	    "\"vni\": unknown field; this call takes vxlanId, privacySeparatorEnabled");
}

static void
test_api_decode_gate_open_response_field_unknown_field(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"open\": true}", "unknown_field", "open", NULL);
}

static void
test_api_decode_gate_open_array_body_invalid_json(void **state)
{
	(void)state;
	assert_gate_open_refused(
	    "[]", "invalid_json", "", "the body must be a JSON object, not an array");
}

static void
test_api_decode_gate_open_duplicate_key_invalid_json(void **state)
{
	(void)state;
	assert_gate_open_refused("{\"vxlanId\": 10, \"vxlanId\": 11}", "invalid_json", "", NULL);
}

static int
gate_peer(const char *body, struct api_gate_peer_body *out, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out));
	memset(err, 0, sizeof(*err));
	return api_decode_gate_peer(body, strlen(body), out, err);
}

/* Asserts a gate-peer refusal and that the output was left zeroed. */
static void
assert_gate_peer_refused(const char *body, const char *code, const char *field, const char *message)
{
	struct api_gate_peer_body out;
	struct api_error err;

	assert_int_equal(gate_peer(body, &out, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(out.has, 0);
	assert_int_equal(out.outer_ip_address_be, 0);
	assert_int_equal(out.inner_ip_address_be, 0);
}

static void
test_api_decode_gate_peer_valid_both_addresses(void **state)
{
	struct api_gate_peer_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(gate_peer("{ \"outerIpAddress\": \"198.51.100.3\", "
				   "\"innerIpAddress\": \"10.10.10.10\" }",
			     &out, &err),
	    0);
	assert_int_equal(out.has, API_GATE_PEER_OUTER_IP_ADDRESS | API_GATE_PEER_INNER_IP_ADDRESS);
	assert_int_equal(out.outer_ip_address_be, IP4(198, 51, 100, 3));
	assert_int_equal(out.inner_ip_address_be, IP4(10, 10, 10, 10));
}

static void
test_api_decode_gate_peer_any_order_decoded(void **state)
{
	struct api_gate_peer_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(gate_peer("{\"innerIpAddress\":\"10.10.10.10\","
				   "\"outerIpAddress\":\"198.51.100.3\"}",
			     &out, &err),
	    0);
	assert_int_equal(out.outer_ip_address_be, IP4(198, 51, 100, 3));
	assert_int_equal(out.inner_ip_address_be, IP4(10, 10, 10, 10));
}

static void
test_api_decode_gate_peer_missing_outer_missing_field(void **state)
{
	(void)state;
	assert_gate_peer_refused("{\"innerIpAddress\": \"10.10.10.10\"}", "missing_field",
	    "outerIpAddress", "\"outerIpAddress\": required field is missing");
}

static void
test_api_decode_gate_peer_missing_inner_missing_field(void **state)
{
	(void)state;
	assert_gate_peer_refused("{\"outerIpAddress\": \"198.51.100.3\"}", "missing_field",
	    "innerIpAddress", "\"innerIpAddress\": required field is missing");
}

static void
test_api_decode_gate_peer_empty_object_names_outer_first(void **state)
{
	(void)state;
	assert_gate_peer_refused("{}", "missing_field", "outerIpAddress", NULL);
}

static void
test_api_decode_gate_peer_no_body_invalid_json(void **state)
{
	(void)state;
	assert_gate_peer_refused(
	    "", "invalid_json", "", "the body is empty; expected a JSON object");
}

static void
test_api_decode_gate_peer_short_outer_invalid_field(void **state)
{
	(void)state;
	assert_gate_peer_refused(
	    "{\"outerIpAddress\": \"198.51.100\", \"innerIpAddress\": \"10.10.10.10\"}",
	    "invalid_field", "outerIpAddress",
	    "\"outerIpAddress\": not an IPv4 address (\"198.51.100\")");
}

static void
test_api_decode_gate_peer_inner_number_invalid_field(void **state)
{
	(void)state;
	assert_gate_peer_refused(
	    "{\"outerIpAddress\": \"198.51.100.3\", \"innerIpAddress\": 168430090}",
	    "invalid_field", "innerIpAddress",
	    "\"innerIpAddress\": must be a string, not a number");
}

static void
test_api_decode_gate_peer_inner_cidr_invalid_field(void **state)
{
	(void)state;
	assert_gate_peer_refused(
	    "{\"outerIpAddress\": \"198.51.100.3\", \"innerIpAddress\": \"10.10.10.10/16\"}",
	    "invalid_field", "innerIpAddress",
	    "\"innerIpAddress\": not an IPv4 address (\"10.10.10.10/16\")");
}

static void
test_api_decode_gate_peer_mac_unknown_field(void **state)
{
	(void)state;
	assert_gate_peer_refused("{\"outerIpAddress\": \"198.51.100.3\", \"innerIpAddress\": "
				 "\"10.10.10.10\", \"macAddress\": null}",
	    "unknown_field", "macAddress",
	    "\"macAddress\": unknown field; this call takes outerIpAddress, innerIpAddress");
}

static void
test_api_decode_gate_peer_string_body_invalid_json(void **state)
{
	(void)state;
	assert_gate_peer_refused(
	    "\"198.51.100.3\"", "invalid_json", "", "the body must be a JSON object, not a string");
}

static int
redirection(const char *body, struct api_redirection_body *out, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out));
	memset(err, 0, sizeof(*err));
	return api_decode_redirection(body, strlen(body), out, err);
}

/* Asserts a redirection refusal and that the output was left zeroed, defaults included. */
static void
assert_redirection_refused(
    const char *body, const char *code, const char *field, const char *message)
{
	struct api_redirection_body out;
	struct api_error err;

	assert_int_equal(redirection(body, &out, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(out.has, 0);
	assert_int_equal(out.gateway_be, 0);
	assert_false(out.enabled);
	assert_string_equal(out.description, "");
}

/* A description of n copies of unit, in a JSON body with a gateway. */
static void
redirection_description_body(char *buf, size_t len, const char *unit, size_t n)
{
	size_t o = (size_t)snprintf(buf, len, "{\"gateway\": \"10.10.10.10\", \"description\": \"");

	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s", unit);
	snprintf(buf + o, len - o, "\"}");
}

static void
test_api_decode_redirection_all_fields_decoded(void **state)
{
	struct api_redirection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(redirection("{ \"gateway\": \"10.10.10.10\", \"enabled\": true, "
				     "\"description\": \"to the LAN\" }",
			     &out, &err),
	    0);
	assert_int_equal(out.has,
	    API_REDIRECTION_GATEWAY | API_REDIRECTION_ENABLED | API_REDIRECTION_DESCRIPTION);
	assert_int_equal(out.gateway_be, IP4(10, 10, 10, 10));
	assert_true(out.enabled);
	assert_string_equal(out.description, "to the LAN");
}

static void
test_api_decode_redirection_gateway_only_defaults(void **state)
{
	struct api_redirection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(redirection("{\"gateway\": \"10.10.10.10\"}", &out, &err), 0);
	assert_int_equal(out.has, API_REDIRECTION_GATEWAY);
	assert_int_equal(out.gateway_be, IP4(10, 10, 10, 10));
	assert_true(out.enabled);
	assert_string_equal(out.description, "");
}

static void
test_api_decode_redirection_enabled_false_has_bit(void **state)
{
	struct api_redirection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    redirection("{\"enabled\": false, \"gateway\": \"10.10.10.11\"}", &out, &err), 0);
	assert_int_equal(out.has, API_REDIRECTION_GATEWAY | API_REDIRECTION_ENABLED);
	assert_int_equal(out.gateway_be, IP4(10, 10, 10, 11));
	assert_false(out.enabled);
	assert_string_equal(out.description, "");
}

static void
test_api_decode_redirection_empty_description_has_bit(void **state)
{
	struct api_redirection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    redirection("{\"gateway\": \"10.10.10.10\", \"description\": \"\"}", &out, &err), 0);
	assert_int_equal(out.has, API_REDIRECTION_GATEWAY | API_REDIRECTION_DESCRIPTION);
	assert_true(out.enabled);
	assert_string_equal(out.description, "");
}

static void
test_api_decode_redirection_missing_gateway_missing_field(void **state)
{
	(void)state;
	assert_redirection_refused("{\"enabled\": true, \"description\": \"lab\"}", "missing_field",
	    "gateway", "\"gateway\": required field is missing");
	assert_redirection_refused("{}", "missing_field", "gateway", NULL);
}

static void
test_api_decode_redirection_no_body_invalid_json(void **state)
{
	(void)state;
	assert_redirection_refused(
	    "", "invalid_json", "", "the body is empty; expected a JSON object");
}

static void
test_api_decode_redirection_bad_gateway_invalid_field(void **state)
{
	(void)state;
	assert_redirection_refused("{\"gateway\": \"10.10.10\"}", "invalid_field", "gateway",
	    "\"gateway\": not an IPv4 address (\"10.10.10\")");
	assert_redirection_refused("{\"gateway\": \"10.10.10.10/32\"}", "invalid_field", "gateway",
	    "\"gateway\": not an IPv4 address (\"10.10.10.10/32\")");
	assert_redirection_refused("{\"gateway\": 168430090}", "invalid_field", "gateway",
	    "\"gateway\": must be a string, not a number");
	assert_redirection_refused("{\"gateway\": null}", "invalid_field", "gateway",
	    "\"gateway\": must be a string, not null");
}

static void
test_api_decode_redirection_enabled_not_bool_invalid_field(void **state)
{
	(void)state;
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"enabled\": \"true\"}",
	    "invalid_field", "enabled", "\"enabled\": must be true or false, not a string");
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"enabled\": 1}",
	    "invalid_field", "enabled", "\"enabled\": must be true or false, not a number");
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"enabled\": null}",
	    "invalid_field", "enabled", "\"enabled\": must be true or false, not null");
}

static void
test_api_decode_redirection_description_not_string_invalid_field(void **state)
{
	(void)state;
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"description\": null}",
	    "invalid_field", "description", "\"description\": must be a string, not null");
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"description\": [\"a\"]}",
	    "invalid_field", "description", "\"description\": must be a string, not an array");
}

static void
test_api_decode_redirection_description_255_bytes_accepted(void **state)
{
	struct api_redirection_body out;
	struct api_error err;
	char body[1024];

	(void)state;
	redirection_description_body(body, sizeof(body), "x", 255);
	assert_int_equal(redirection(body, &out, &err), 0);
	assert_int_equal(strlen(out.description), 255);
	assert_int_equal(out.description[254], 'x');
	/* 85 euro signs of three bytes each, sent escaped as JSON allows. */
	redirection_description_body(body, sizeof(body), "\\u20ac", 85);
	assert_int_equal(redirection(body, &out, &err), 0);
	assert_int_equal(strlen(out.description), 255);
	assert_memory_equal(out.description + 252, "\xe2\x82\xac", 4);
}

static void
test_api_decode_redirection_description_256_bytes_invalid_field(void **state)
{
	char body[1024];

	(void)state;
	redirection_description_body(body, sizeof(body), "x", 256);
	assert_redirection_refused(body, "invalid_field", "description",
	    "\"description\": must be at most 255 bytes long (256)");
	redirection_description_body(body, sizeof(body), "\xe2\x82\xac", 86);
	assert_redirection_refused(body, "invalid_field", "description",
	    "\"description\": must be at most 255 bytes long (258)");
}

/* jansson refuses \u0000 unless asked: a description never holds a NUL. */
static void
test_api_decode_redirection_description_escaped_nul_invalid_json(void **state)
{
	(void)state;
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"description\": \"a\\u0000b\"}",
	    "invalid_json", "", NULL);
}

static void
test_api_decode_redirection_unknown_field_lists_three(void **state)
{
	(void)state;
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"gatewayMac\": \"x\"}",
	    "unknown_field", "gatewayMac",
	    "\"gatewayMac\": unknown field; this call takes gateway, enabled, description");
}

static void
test_api_decode_redirection_duplicate_key_invalid_json(void **state)
{
	(void)state;
	assert_redirection_refused("{\"gateway\": \"10.10.10.10\", \"gateway\": \"10.10.10.11\"}",
	    "invalid_json", "", NULL);
}

static void
test_api_decode_redirection_array_body_invalid_json(void **state)
{
	(void)state;
	assert_redirection_refused("[{\"gateway\": \"10.10.10.10\"}]", "invalid_json", "",
	    "the body must be a JSON object, not an array");
}

/* Which mirroring decoder a helper runs: POST's or PUT's. */
enum mirror_call { MIRROR_POST, MIRROR_PUT };

static int
mirror(enum mirror_call call, const char *body, struct api_mirror_body *out, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (call == MIRROR_POST)
		return api_decode_mirror_peer(body, strlen(body), out, err);
	return api_decode_mirror_update(body, strlen(body), PATH_MIRROR, out, err);
}

/* Asserts a mirroring refusal and that the output was left zeroed, defaults included. */
static void
assert_mirror_refused(enum mirror_call call, const char *body, const char *code, const char *field,
    const char *message)
{
	struct api_mirror_body out;
	struct api_error err;

	assert_int_equal(mirror(call, body, &out, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(out.has, 0);
	assert_int_equal(out.ip_address_be, 0);
	assert_false(out.enabled);
	assert_string_equal(out.description, "");
}

/* A description of n copies of unit, in a POST body with an address. */
static void
mirror_description_body(char *buf, size_t len, const char *unit, size_t n)
{
	size_t o =
	    (size_t)snprintf(buf, len, "{\"ipAddress\": \"203.0.113.7\", \"description\": \"");

	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s", unit);
	snprintf(buf + o, len - o, "\"}");
}

/* docs/API.md's example body. */
static void
test_api_decode_mirror_peer_all_fields_decoded(void **state)
{
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(mirror(MIRROR_POST,
			     "{ \"ipAddress\": \"203.0.113.7\", \"protocol\": \"gre\", "
			     "\"enabled\": false, \"description\": \"tap\" }",
			     &out, &err),
	    0);
	assert_int_equal(out.has, API_MIRROR_IP_ADDRESS | API_MIRROR_PROTOCOL | API_MIRROR_ENABLED |
				      API_MIRROR_DESCRIPTION);
	assert_int_equal(out.ip_address_be, IP4(203, 0, 113, 7));
	assert_false(out.enabled);
	assert_string_equal(out.description, "tap");
}

static void
test_api_decode_mirror_peer_address_only_defaults(void **state)
{
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(mirror(MIRROR_POST, "{\"ipAddress\": \"203.0.113.7\"}", &out, &err), 0);
	assert_int_equal(out.has, API_MIRROR_IP_ADDRESS);
	assert_int_equal(out.ip_address_be, IP4(203, 0, 113, 7));
	assert_true(out.enabled);
	assert_string_equal(out.description, "");
}

static void
test_api_decode_mirror_peer_protocol_gre_has_bit(void **state)
{
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(mirror(MIRROR_POST,
			     "{\"protocol\": \"gre\", \"ipAddress\": \"203.0.113.8\"}", &out, &err),
	    0);
	assert_int_equal(out.has, API_MIRROR_IP_ADDRESS | API_MIRROR_PROTOCOL);
	assert_int_equal(out.ip_address_be, IP4(203, 0, 113, 8));
	assert_true(out.enabled);
}

static void
test_api_decode_mirror_peer_unterminated_buffer_ok(void **state)
{
	static const char buf[] = "{\"ipAddress\":\"203.0.113.7\",\"enabled\":false}XXXX";
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(api_decode_mirror_peer(buf, strlen(buf) - 4, &out, &err), 0);
	assert_int_equal(out.ip_address_be, IP4(203, 0, 113, 7));
	assert_false(out.enabled);
}

static void
test_api_decode_mirror_peer_missing_address_missing_field(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_POST, "{\"protocol\": \"gre\", \"enabled\": true}",
	    "missing_field", "ipAddress", "\"ipAddress\": required field is missing");
	assert_mirror_refused(MIRROR_POST, "{}", "missing_field", "ipAddress", NULL);
}

static void
test_api_decode_mirror_peer_no_body_invalid_json(void **state)
{
	(void)state;
	assert_mirror_refused(
	    MIRROR_POST, "", "invalid_json", "", "the body is empty; expected a JSON object");
}

static void
test_api_decode_mirror_peer_bad_address_invalid_field(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": \"203.0.113\"}", "invalid_field",
	    "ipAddress", "\"ipAddress\": not an IPv4 address (\"203.0.113\")");
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": \"203.0.113.7/32\"}", "invalid_field",
	    "ipAddress", "\"ipAddress\": not an IPv4 address (\"203.0.113.7/32\")");
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": 3405803783}", "invalid_field",
	    "ipAddress", "\"ipAddress\": must be a string, not a number");
}

/* One protocol, one spelling: "GRE" is refused as the API never prints it. */
static void
test_api_decode_mirror_peer_protocol_not_gre_invalid_field(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_POST,
	    "{\"ipAddress\": \"203.0.113.7\", \"protocol\": \"GRE\"}", "invalid_field", "protocol",
	    "\"protocol\": must be \"gre\" (\"GRE\")");
	assert_mirror_refused(MIRROR_POST,
	    "{\"ipAddress\": \"203.0.113.7\", \"protocol\": \"vxlan\"}", "invalid_field",
	    "protocol", "\"protocol\": must be \"gre\" (\"vxlan\")");
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": \"203.0.113.7\", \"protocol\": \"\"}",
	    "invalid_field", "protocol", "\"protocol\": must be \"gre\" (\"\")");
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": \"203.0.113.7\", \"protocol\": 47}",
	    "invalid_field", "protocol", "\"protocol\": must be \"gre\", not a number");
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": \"203.0.113.7\", \"protocol\": null}",
	    "invalid_field", "protocol", "\"protocol\": must be \"gre\", not null");
}

static void
test_api_decode_mirror_peer_enabled_not_bool_invalid_field(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_POST,
	    "{\"ipAddress\": \"203.0.113.7\", \"enabled\": \"true\"}", "invalid_field", "enabled",
	    "\"enabled\": must be true or false, not a string");
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": \"203.0.113.7\", \"enabled\": 1}",
	    "invalid_field", "enabled", "\"enabled\": must be true or false, not a number");
}

static void
test_api_decode_mirror_peer_description_255_bytes_accepted(void **state)
{
	struct api_mirror_body out;
	struct api_error err;
	char body[1024];

	(void)state;
	mirror_description_body(body, sizeof(body), "x", 255);
	assert_int_equal(mirror(MIRROR_POST, body, &out, &err), 0);
	assert_int_equal(strlen(out.description), 255);
	/* 85 euro signs of three bytes each, sent escaped as JSON allows. */
	mirror_description_body(body, sizeof(body), "\\u20ac", 85);
	assert_int_equal(mirror(MIRROR_POST, body, &out, &err), 0);
	assert_int_equal(strlen(out.description), 255);
	assert_memory_equal(out.description + 252, "\xe2\x82\xac", 4);
}

static void
test_api_decode_mirror_peer_description_256_bytes_invalid_field(void **state)
{
	char body[1024];

	(void)state;
	mirror_description_body(body, sizeof(body), "x", 256);
	assert_mirror_refused(MIRROR_POST, body, "invalid_field", "description",
	    "\"description\": must be at most 255 bytes long (256)");
	mirror_description_body(body, sizeof(body), "\xe2\x82\xac", 86);
	assert_mirror_refused(MIRROR_POST, body, "invalid_field", "description",
	    "\"description\": must be at most 255 bytes long (258)");
}

static void
test_api_decode_mirror_peer_unknown_field_lists_four(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_POST, "{\"ipAddress\": \"203.0.113.7\", \"port\": 4789}",
	    "unknown_field", "port",
	    "\"port\": unknown field; this call takes ipAddress, protocol, enabled, description");
}

static void
test_api_decode_mirror_peer_duplicate_key_invalid_json(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_POST,
	    "{\"ipAddress\": \"203.0.113.7\", \"ipAddress\": \"203.0.113.8\"}", "invalid_json", "",
	    NULL);
}

static void
test_api_decode_mirror_peer_array_body_invalid_json(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_POST, "[{\"ipAddress\": \"203.0.113.7\"}]", "invalid_json", "",
	    "the body must be a JSON object, not an array");
}

static void
test_api_decode_mirror_update_all_fields_decoded(void **state)
{
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    mirror(MIRROR_PUT,
		"{\"description\": \"tap\", \"enabled\": true, \"protocol\": \"gre\"}", &out, &err),
	    0);
	assert_int_equal(
	    out.has, API_MIRROR_PROTOCOL | API_MIRROR_ENABLED | API_MIRROR_DESCRIPTION);
	assert_int_equal(out.ip_address_be, 0);
	assert_true(out.enabled);
	assert_string_equal(out.description, "tap");
}

/* Nothing is defaulted: an absent field keeps the peer's value, as has says. */
static void
test_api_decode_mirror_update_empty_object_nothing_set(void **state)
{
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(mirror(MIRROR_PUT, "{}", &out, &err), 0);
	assert_int_equal(out.has, 0);
	assert_false(out.enabled);
	assert_string_equal(out.description, "");
}

static void
test_api_decode_mirror_update_enabled_only_has_bit(void **state)
{
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(mirror(MIRROR_PUT, "{\"enabled\": false}", &out, &err), 0);
	assert_int_equal(out.has, API_MIRROR_ENABLED);
	assert_false(out.enabled);
	assert_int_equal(mirror(MIRROR_PUT, "{\"description\": \"\"}", &out, &err), 0);
	assert_int_equal(out.has, API_MIRROR_DESCRIPTION);
	assert_false(out.enabled);
	assert_string_equal(out.description, "");
}

/* The address is the path's: the body may repeat it, as GET shows the peer, never change it. */
static void
test_api_decode_mirror_update_other_address_refused(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_PUT, "{\"ipAddress\": \"203.0.113.8\", \"enabled\": true}",
	    "invalid_field", "ipAddress",
	    "\"ipAddress\": \"203.0.113.8\" does not match the path's 203.0.113.7, which names the "
	    "object and cannot be changed");
}

static void
test_api_decode_mirror_update_get_view_put_back_accepted(void **state)
{
	struct api_mirror_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(mirror(MIRROR_PUT,
			     "{\"ipAddress\": \"203.0.113.7\", \"protocol\": \"gre\", \"enabled\": "
			     "false, \"description\": \"tap\"}",
			     &out, &err),
	    0);
	assert_int_equal(out.has, API_MIRROR_IP_ADDRESS | API_MIRROR_PROTOCOL | API_MIRROR_ENABLED |
				      API_MIRROR_DESCRIPTION);
	assert_int_equal(out.ip_address_be, PATH_MIRROR);
	assert_false(out.enabled);
	assert_string_equal(out.description, "tap");
}

static void
test_api_decode_mirror_update_bad_address_invalid_field(void **state)
{
	(void)state;
	assert_mirror_refused(
	    MIRROR_PUT, "{\"ipAddress\": \"203.0.113\"}", "invalid_field", "ipAddress", NULL);
}

static void
test_api_decode_unknown_field_still_refused_on_put_with_key(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_PUT, "{\"ipAddress\": \"203.0.113.7\", \"weight\": 1}",
	    "unknown_field", "weight",
	    "\"weight\": unknown field; this call takes ipAddress, protocol, enabled, description");
}

static void
test_api_decode_mirror_update_protocol_not_gre_invalid_field(void **state)
{
	(void)state;
	assert_mirror_refused(MIRROR_PUT, "{\"protocol\": \"erspan\"}", "invalid_field", "protocol",
	    "\"protocol\": must be \"gre\" (\"erspan\")");
}

static void
test_api_decode_mirror_update_description_256_bytes_invalid_field(void **state)
{
	char body[512];

	(void)state;
	snprintf(body, sizeof(body), "{\"description\": \"%0256d\"}", 0);
	assert_mirror_refused(MIRROR_PUT, body, "invalid_field", "description",
	    "\"description\": must be at most 255 bytes long (256)");
}

static void
test_api_decode_mirror_update_no_body_invalid_json(void **state)
{
	(void)state;
	assert_mirror_refused(
	    MIRROR_PUT, "", "invalid_json", "", "the body is empty; expected a JSON object");
	assert_mirror_refused(MIRROR_PUT, "{\"enabled\": true", "invalid_json", "", NULL);
}

static void
test_api_path_ipv4_dotted_quad_ok(void **state)
{
	struct api_error err = { 0 };
	uint32_t addr = 0;

	(void)state;
	assert_int_equal(api_path_ipv4("198.51.100.3", &addr, &err), 0);
	assert_int_equal(addr, IP4(198, 51, 100, 3));
	assert_int_equal(err.status, 0);
}

static void
test_api_path_ipv4_extremes_ok(void **state)
{
	struct api_error err = { 0 };
	uint32_t addr = 1;

	(void)state;
	assert_int_equal(api_path_ipv4("0.0.0.0", &addr, &err), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(api_path_ipv4("255.255.255.255", &addr, &err), 0);
	assert_int_equal(addr, 0xffffffffu);
}

static void
assert_path_ipv4_refused(const char *segment, const char *message)
{
	struct api_error err = { 0 };
	uint32_t addr = 0x5a5a5a5a;

	assert_int_equal(api_path_ipv4(segment, &addr, &err), -EINVAL);
	assert_error(&err, "invalid_path", "", message);
	assert_int_equal(addr, 0x5a5a5a5a);
}

static void
test_api_path_ipv4_three_octets_invalid_path(void **state)
{
	(void)state;
	assert_path_ipv4_refused("198.51.100", "not an IPv4 address (\"198.51.100\")");
}

static void
test_api_path_ipv4_five_octets_invalid_path(void **state)
{
	(void)state;
	assert_path_ipv4_refused("198.51.100.3.4", "not an IPv4 address (\"198.51.100.3.4\")");
}

static void
test_api_path_ipv4_octet_256_invalid_path(void **state)
{
	(void)state;
	assert_path_ipv4_refused("198.51.100.256", "not an IPv4 address (\"198.51.100.256\")");
}

static void
test_api_path_ipv4_spaces_or_sign_invalid_path(void **state)
{
	(void)state;
	assert_path_ipv4_refused(" 198.51.100.3", NULL);
	assert_path_ipv4_refused("198.51.100.3 ", NULL);
	assert_path_ipv4_refused("+198.51.100.3", NULL);
	assert_path_ipv4_refused("10.10.10.10/32", NULL);
}

static void
test_api_path_ipv4_empty_invalid_path(void **state)
{
	(void)state;
	assert_path_ipv4_refused("", "not an IPv4 address (\"\")");
	assert_path_ipv4_refused(NULL, "not an IPv4 address (\"\")");
}

static void
test_api_path_ipv4_control_chars_one_line(void **state)
{
	(void)state;
	assert_path_ipv4_refused(
	    "10.0.0.1\r\n\x1b[0m", "not an IPv4 address (\"10.0.0.1\\x0d\\x0a\\x1b[0m\")");
}

/* Decodes body for PUT /v1/routing_filter into out, pre-filled with garbage. */
static int
routing_filter(const char *body, struct filter_rule *out, unsigned *n, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out) * FILTER_MAX_RULES);
	memset(err, 0, sizeof(*err));
	*n = 99;
	return api_decode_routing_filter(body, strlen(body), out, FILTER_MAX_RULES, n, err);
}

/* Asserts a routing filter refusal, no rules and out zeroed. */
static void
assert_filter_refused(const char *body, const char *code, const char *field, const char *message)
{
	static const struct filter_rule zero[FILTER_MAX_RULES];
	struct filter_rule out[FILTER_MAX_RULES];
	struct api_error err;
	unsigned n;

	assert_int_equal(routing_filter(body, out, &n, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(n, 0);
	assert_memory_equal(out, zero, sizeof(out));
}

static void
assert_rule(const struct filter_rule *r, enum filter_action action, uint32_t net_be, uint8_t prefix)
{
	assert_int_equal(r->action, action);
	assert_int_equal(r->net_be, net_be);
	assert_int_equal(r->prefix, prefix);
}

/* docs/API.md's example, in order. */
static void
test_api_decode_routing_filter_api_example_in_order(void **state)
{
	struct filter_rule out[FILTER_MAX_RULES];
	struct api_error err;
	unsigned n;

	(void)state;
	assert_int_equal(routing_filter("[ { \"action\": \"allow\", \"ipRange\": \"10.0.0.0/16\" },"
					" { \"action\": \"deny\", \"ipRange\": \"0.0.0.0/0\" } ]",
			     out, &n, &err),
	    0);
	assert_int_equal(n, 2);
	assert_rule(&out[0], FILTER_ALLOW, IP4(10, 0, 0, 0), 16);
	assert_rule(&out[1], FILTER_DENY, 0, 0);
}

static void
test_api_decode_routing_filter_field_order_free(void **state)
{
	struct filter_rule out[FILTER_MAX_RULES];
	struct api_error err;
	unsigned n;

	(void)state;
	assert_int_equal(
	    routing_filter("[{\"ipRange\":\"192.0.2.7/32\",\"action\":\"deny\"}]", out, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_rule(&out[0], FILTER_DENY, IP4(192, 0, 2, 7), 32);
}

static void
test_api_decode_routing_filter_empty_array_no_rules(void **state)
{
	struct filter_rule out[FILTER_MAX_RULES];
	struct api_error err;
	unsigned n;

	(void)state;
	assert_int_equal(routing_filter(" [ ] ", out, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void
test_api_decode_routing_filter_unterminated_buffer_ok(void **state)
{
	static const char buf[] = "[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\"}]]]]";
	struct filter_rule out[1];
	struct api_error err;
	unsigned n = 99;

	(void)state;
	assert_int_equal(api_decode_routing_filter(buf, strlen(buf) - 3, out, 1, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_rule(&out[0], FILTER_DENY, IP4(10, 0, 0, 0), 8);
}

/* n entries, alternating actions, 10.i.0.0/16. */
static char *
filter_body(unsigned n)
{
	size_t cap = 64 + 48 * (size_t)n, o = 0;
	char *b = malloc(cap);

	assert_non_null(b);
	o += (size_t)snprintf(b + o, cap - o, "[");
	for (unsigned i = 0; i < n; i++)
		o += (size_t)snprintf(b + o, cap - o,
		    "%s{\"action\":\"%s\",\"ipRange\":\"10.%u.0.0/16\"}", i > 0 ? "," : "",
		    i % 2 ? "deny" : "allow", i);
	snprintf(b + o, cap - o, "]");
	return b;
}

static void
test_api_decode_routing_filter_64_entries_accepted(void **state)
{
	struct filter_rule out[FILTER_MAX_RULES];
	struct api_error err;
	char *body = filter_body(FILTER_MAX_RULES);
	unsigned n;

	(void)state;
	assert_int_equal(routing_filter(body, out, &n, &err), 0);
	assert_int_equal(n, 64);
	assert_rule(&out[63], FILTER_DENY, IP4(10, 63, 0, 0), 16);
	free(body);
}

static void
test_api_decode_routing_filter_65_entries_names_limit(void **state)
{
	char *body = filter_body(FILTER_MAX_RULES + 1);

	(void)state;
	assert_filter_refused(
	    body, "invalid_field", "", "the routing filter takes at most 64 entries (65)");
	free(body);
}

/* A caller with room for fewer rules hears its own limit. */
static void
test_api_decode_routing_filter_more_than_cap_refused(void **state)
{
	struct filter_rule out[2];
	struct api_error err;
	unsigned n = 99;
	char *body = filter_body(3);

	(void)state;
	assert_int_equal(api_decode_routing_filter(body, strlen(body), out, 2, &n, &err), -EINVAL);
	assert_error(&err, "invalid_field", "", "the routing filter takes at most 2 entries (3)");
	assert_int_equal(n, 0);
	free(body);
}

static void
test_api_decode_routing_filter_host_bits_names_index(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":\"allow\",\"ipRange\":\"10.0.0.0/16\"},"
			      "{\"action\":\"allow\",\"ipRange\":\"10.1.0.0/16\"},"
			      "{\"action\":\"deny\",\"ipRange\":\"10.0.0.1/16\"}]",
	    "invalid_field", "[2].ipRange",
	    "\"[2].ipRange\": not a CIDR range with no host bits set (\"10.0.0.1/16\")");
}

static void
test_api_decode_routing_filter_bare_address_invalid_field(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":\"deny\",\"ipRange\":\"10.0.0.1\"}]", "invalid_field",
	    "[0].ipRange",
	    "\"[0].ipRange\": not a CIDR range with no host bits set (\"10.0.0.1\")");
	assert_filter_refused("[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/33\"}]",
	    "invalid_field", "[0].ipRange",
	    "\"[0].ipRange\": not a CIDR range with no host bits set (\"10.0.0.0/33\")");
}

static void
test_api_decode_routing_filter_range_not_string_invalid_field(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":\"deny\",\"ipRange\":167772160}]", "invalid_field",
	    "[0].ipRange", "\"[0].ipRange\": must be a string, not a number");
}

static void
test_api_decode_routing_filter_bad_action_invalid_field(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\"},"
			      "{\"action\":\"permit\",\"ipRange\":\"10.0.0.0/8\"}]",
	    "invalid_field", "[1].action",
	    "\"[1].action\": must be \"allow\" or \"deny\" (\"permit\")");
}

/* One spelling, as the API prints it: "Allow" is refused. */
static void
test_api_decode_routing_filter_action_case_sensitive(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":\"Allow\",\"ipRange\":\"10.0.0.0/8\"}]",
	    "invalid_field", "[0].action",
	    "\"[0].action\": must be \"allow\" or \"deny\" (\"Allow\")");
}

static void
test_api_decode_routing_filter_action_not_string_invalid_field(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":true,\"ipRange\":\"10.0.0.0/8\"}]", "invalid_field",
	    "[0].action", "\"[0].action\": must be \"allow\" or \"deny\", not a boolean");
}

static void
test_api_decode_routing_filter_missing_range_missing_field(void **state)
{
	(void)state;
	assert_filter_refused(
	    "[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\"},{\"action\":\"deny\"}]",
	    "missing_field", "[1].ipRange", "\"[1].ipRange\": required field is missing");
}

static void
test_api_decode_routing_filter_empty_entry_names_action_first(void **state)
{
	(void)state;
	assert_filter_refused(
	    "[{}]", "missing_field", "[0].action", "\"[0].action\": required field is missing");
}

static void
test_api_decode_routing_filter_unknown_field_names_index(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\",\"port\":80}]",
	    "unknown_field", "[0].port",
	    "\"[0].port\": unknown field; this call takes action, ipRange");
}

/* An unknown name full of escapes stays one line and fits the field. */
static void
test_api_decode_routing_filter_long_unknown_field_cut(void **state)
{
	struct filter_rule out[FILTER_MAX_RULES];
	struct api_error err;
	unsigned n;

	(void)state;
	assert_int_equal(routing_filter("[{\"\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n"
					"\\n\\n\\n\\n\\n\\n\\n\\n\":1}]",
			     out, &n, &err),
	    -EINVAL);
	assert_error(&err, "unknown_field", err.field, NULL);
	assert_int_equal(strncmp(err.field, "[0].\\x0a", 8), 0);
	assert_int_equal(strncmp(err.message, "\"[0].\\x0a", 9), 0);
	assert_int_equal(n, 0);
}

static void
test_api_decode_routing_filter_entry_not_object_invalid_field(void **state)
{
	(void)state;
	assert_filter_refused(
	    "[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\"},\"deny:10.0.0.0/8\"]",
	    "invalid_field", "[1]", "\"[1]\": must be an object, not a string");
	assert_filter_refused(
	    "[null]", "invalid_field", "[0]", "\"[0]\": must be an object, not null");
}

static void
test_api_decode_routing_filter_object_body_invalid_json(void **state)
{
	(void)state;
	assert_filter_refused("{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\"}", "invalid_json",
	    "", "the body must be a JSON array, not an object");
	assert_filter_refused(
	    "\"deny\"", "invalid_json", "", "the body must be a JSON array, not a string");
}

static void
test_api_decode_routing_filter_no_body_invalid_json(void **state)
{
	(void)state;
	assert_filter_refused("", "invalid_json", "", "the body is empty; expected a JSON array");
}

static void
test_api_decode_routing_filter_truncated_invalid_json(void **state)
{
	(void)state;
	assert_filter_refused(
	    "[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\"}", "invalid_json", "", NULL);
}

static void
test_api_decode_routing_filter_duplicate_key_invalid_json(void **state)
{
	(void)state;
	assert_filter_refused(
	    "[{\"action\":\"deny\",\"action\":\"allow\",\"ipRange\":\"10.0.0.0/8\"}]",
	    "invalid_json", "", NULL);
}

/* The first bad entry is named, though a later one is worse. */
static void
test_api_decode_routing_filter_first_bad_entry_named(void **state)
{
	(void)state;
	assert_filter_refused("[{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/8\"},"
			      "{\"action\":\"deny\",\"ipRange\":\"10.0.0.0/4\"}, 5]",
	    "invalid_field", "[1].ipRange",
	    "\"[1].ipRange\": not a CIDR range with no host bits set (\"10.0.0.0/4\")");
}

/* Decodes body for PUT /v1/vpg/dns into out, pre-filled with garbage. */
static int
dns(const char *body, uint32_t out[API_DNS_MAX], unsigned *n, struct api_error *err)
{
	memset(out, 0xa5, sizeof(out[0]) * API_DNS_MAX);
	memset(err, 0, sizeof(*err));
	*n = 99;
	return api_decode_dns(body, strlen(body), out, n, err);
}

/* Asserts a DNS list refusal, no servers and out zeroed. */
static void
assert_dns_refused(const char *body, const char *code, const char *field, const char *message)
{
	static const uint32_t zero[API_DNS_MAX];
	uint32_t out[API_DNS_MAX];
	struct api_error err;
	unsigned n;

	assert_int_equal(dns(body, out, &n, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(n, 0);
	assert_memory_equal(out, zero, sizeof(out));
}

/* docs/API.md's example, primary first. */
static void
test_api_decode_dns_api_example_in_order(void **state)
{
	uint32_t out[API_DNS_MAX];
	struct api_error err;
	unsigned n;

	(void)state;
	assert_int_equal(dns("[\"100.64.0.53\", \"192.0.2.53\"]", out, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], IP4(100, 64, 0, 53));
	assert_int_equal(out[1], IP4(192, 0, 2, 53));
}

static void
test_api_decode_dns_one_accepted(void **state)
{
	uint32_t out[API_DNS_MAX];
	struct api_error err;
	unsigned n;

	(void)state;
	assert_int_equal(dns("[\"198.51.100.53\"]", out, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], IP4(198, 51, 100, 53));
	assert_int_equal(out[1], 0);
}

static void
test_api_decode_dns_empty_array_none(void **state)
{
	uint32_t out[API_DNS_MAX];
	struct api_error err;
	unsigned n;

	(void)state;
	assert_int_equal(dns(" [ ] ", out, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
}

static void
test_api_decode_dns_unterminated_buffer_ok(void **state)
{
	static const char buf[] = "[\"192.0.2.53\"]]]]";
	uint32_t out[API_DNS_MAX];
	struct api_error err;
	unsigned n = 99;

	(void)state;
	assert_int_equal(api_decode_dns(buf, strlen(buf) - 3, out, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], IP4(192, 0, 2, 53));
}

static void
test_api_decode_dns_three_names_limit(void **state)
{
	(void)state;
	assert_dns_refused("[\"192.0.2.53\", \"192.0.2.54\", \"192.0.2.55\"]", "invalid_field", "",
	    "at most 2 DNS servers (3 given)");
}

static void
test_api_decode_dns_bad_address_names_index(void **state)
{
	(void)state;
	assert_dns_refused("[\"192.0.2.53\", \"192.0.2.256\"]", "invalid_field", "[1]",
	    "\"[1]\": not an IPv4 address (\"192.0.2.256\")");
	assert_dns_refused("[\"dns.example\"]", "invalid_field", "[0]",
	    "\"[0]\": not an IPv4 address (\"dns.example\")");
}

static void
test_api_decode_dns_not_unicast_names_index(void **state)
{
	(void)state;
	assert_dns_refused("[\"192.0.2.53\", \"127.0.0.53\"]", "invalid_field", "[1]",
	    "\"[1]\": not a unicast host address (\"127.0.0.53\")");
	assert_dns_refused("[\"0.0.0.0\"]", "invalid_field", "[0]",
	    "\"[0]\": not a unicast host address (\"0.0.0.0\")");
	assert_dns_refused("[\"224.0.0.251\"]", "invalid_field", "[0]",
	    "\"[0]\": not a unicast host address (\"224.0.0.251\")");
}

static void
test_api_decode_dns_entry_not_string_names_index(void **state)
{
	(void)state;
	assert_dns_refused(
	    "[53]", "invalid_field", "[0]", "\"[0]\": must be a string, not a number");
	assert_dns_refused("[\"192.0.2.53\", {\"ipAddress\": \"192.0.2.54\"}]", "invalid_field",
	    "[1]", "\"[1]\": must be a string, not an object");
}

static void
test_api_decode_dns_object_body_invalid_json(void **state)
{
	(void)state;
	assert_dns_refused("{\"dns\": [\"192.0.2.53\"]}", "invalid_json", "",
	    "the body must be a JSON array, not an object");
	assert_dns_refused(
	    "\"192.0.2.53\"", "invalid_json", "", "the body must be a JSON array, not a string");
	assert_dns_refused("", "invalid_json", "", "the body is empty; expected a JSON array");
	assert_dns_refused("[\"192.0.2.53\"", "invalid_json", "", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_decode_ip_map_valid_sets_has_and_address),
		cmocka_unit_test(test_api_decode_ip_map_unterminated_buffer_ok),
		cmocka_unit_test(test_api_decode_ip_map_missing_address_missing_field),
		cmocka_unit_test(test_api_decode_ip_map_short_address_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_octet_256_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_empty_address_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_number_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_null_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_array_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_object_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_bool_invalid_field),
		cmocka_unit_test(test_api_decode_ip_map_extra_field_unknown_field),
		cmocka_unit_test(test_api_decode_ip_map_key_matching_the_path_accepted),
		cmocka_unit_test(test_api_decode_ip_map_key_other_than_the_path_refused),
		cmocka_unit_test(test_api_decode_ip_map_key_with_nul_or_not_imsi_refused),
		cmocka_unit_test(test_api_decode_ip_map_wrong_case_unknown_field),
		cmocka_unit_test(test_api_decode_ip_map_first_fault_in_body_order_reported),
		cmocka_unit_test(test_api_decode_ip_map_duplicate_key_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_empty_body_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_whitespace_body_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_array_body_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_string_body_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_number_body_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_null_body_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_truncated_body_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_trailing_text_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_embedded_nul_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_escaped_nul_in_value_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_invalid_utf8_message_printable),
		cmocka_unit_test(test_api_decode_ip_map_garbage_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_deep_nesting_invalid_json),
		cmocka_unit_test(test_api_decode_ip_map_huge_value_quote_capped),
		cmocka_unit_test(test_api_decode_ip_map_control_chars_in_value_escaped),
		cmocka_unit_test(test_api_decode_ip_map_control_chars_in_unknown_name_one_line),
		cmocka_unit_test(test_api_decode_ip_map_non_ascii_unknown_name_escaped),
		cmocka_unit_test(test_api_decode_ip_map_long_unknown_name_capped),
		cmocka_unit_test(test_api_decode_body_optional_absent_has_clear),
		cmocka_unit_test(test_api_decode_body_optional_zero_values_has_set),
		cmocka_unit_test(test_api_decode_body_all_kinds_decoded),
		cmocka_unit_test(test_api_decode_body_bool_wrong_type_invalid_field),
		cmocka_unit_test(test_api_decode_body_int_below_range_invalid_field),
		cmocka_unit_test(test_api_decode_body_int_above_range_invalid_field),
		cmocka_unit_test(test_api_decode_body_int_fraction_invalid_field),
		cmocka_unit_test(test_api_decode_body_int_string_invalid_field),
		cmocka_unit_test(test_api_decode_body_string_too_long_invalid_field),
		cmocka_unit_test(test_api_decode_body_unknown_lists_fields),
		cmocka_unit_test(test_api_decode_body_missing_required_after_optional),
		cmocka_unit_test(test_api_path_imsi_fifteen_digits_ok),
		cmocka_unit_test(test_api_path_imsi_six_digits_ok),
		cmocka_unit_test(test_api_path_imsi_five_digits_invalid_path),
		cmocka_unit_test(test_api_path_imsi_sixteen_digits_invalid_path),
		cmocka_unit_test(test_api_path_imsi_letter_invalid_path),
		cmocka_unit_test(test_api_path_imsi_empty_invalid_path),
		cmocka_unit_test(test_api_path_imsi_control_chars_one_line),
		cmocka_unit_test(test_api_error_json_with_field_three_keys),
		cmocka_unit_test(test_api_error_json_without_field_two_keys),
		cmocka_unit_test(test_api_error_json_key_order_code_message_field),
		cmocka_unit_test(test_api_error_set_caller_text_made_printable),
		cmocka_unit_test(test_api_error_set_empty_message_uses_code),
		cmocka_unit_test(test_api_error_set_long_message_truncated),
		cmocka_unit_test(test_api_decode_gate_open_both_fields_decoded),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_only_has_one_bit),
		cmocka_unit_test(test_api_decode_gate_open_separator_false_has_bit),
		cmocka_unit_test(test_api_decode_gate_open_empty_object_has_clear),
		cmocka_unit_test(test_api_decode_gate_open_no_body_has_clear),
		cmocka_unit_test(test_api_decode_gate_open_whitespace_body_invalid_json),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_bounds_accepted),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_zero_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_above_24_bits_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_negative_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_real_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_string_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_null_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_vxlan_id_huge_invalid_json),
		cmocka_unit_test(test_api_decode_gate_open_separator_string_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_separator_number_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_separator_null_invalid_field),
		cmocka_unit_test(test_api_decode_gate_open_unknown_field_lists_both),
		cmocka_unit_test(test_api_decode_gate_open_response_field_unknown_field),
		cmocka_unit_test(test_api_decode_gate_open_array_body_invalid_json),
		cmocka_unit_test(test_api_decode_gate_open_duplicate_key_invalid_json),
		cmocka_unit_test(test_api_decode_gate_peer_valid_both_addresses),
		cmocka_unit_test(test_api_decode_gate_peer_any_order_decoded),
		cmocka_unit_test(test_api_decode_gate_peer_missing_outer_missing_field),
		cmocka_unit_test(test_api_decode_gate_peer_missing_inner_missing_field),
		cmocka_unit_test(test_api_decode_gate_peer_empty_object_names_outer_first),
		cmocka_unit_test(test_api_decode_gate_peer_no_body_invalid_json),
		cmocka_unit_test(test_api_decode_gate_peer_short_outer_invalid_field),
		cmocka_unit_test(test_api_decode_gate_peer_inner_number_invalid_field),
		cmocka_unit_test(test_api_decode_gate_peer_inner_cidr_invalid_field),
		cmocka_unit_test(test_api_decode_gate_peer_mac_unknown_field),
		cmocka_unit_test(test_api_decode_gate_peer_string_body_invalid_json),
		cmocka_unit_test(test_api_decode_redirection_all_fields_decoded),
		cmocka_unit_test(test_api_decode_redirection_gateway_only_defaults),
		cmocka_unit_test(test_api_decode_redirection_enabled_false_has_bit),
		cmocka_unit_test(test_api_decode_redirection_empty_description_has_bit),
		cmocka_unit_test(test_api_decode_redirection_missing_gateway_missing_field),
		cmocka_unit_test(test_api_decode_redirection_no_body_invalid_json),
		cmocka_unit_test(test_api_decode_redirection_bad_gateway_invalid_field),
		cmocka_unit_test(test_api_decode_redirection_enabled_not_bool_invalid_field),
		cmocka_unit_test(test_api_decode_redirection_description_not_string_invalid_field),
		cmocka_unit_test(test_api_decode_redirection_description_255_bytes_accepted),
		cmocka_unit_test(test_api_decode_redirection_description_256_bytes_invalid_field),
		cmocka_unit_test(test_api_decode_redirection_description_escaped_nul_invalid_json),
		cmocka_unit_test(test_api_decode_redirection_unknown_field_lists_three),
		cmocka_unit_test(test_api_decode_redirection_duplicate_key_invalid_json),
		cmocka_unit_test(test_api_decode_redirection_array_body_invalid_json),
		cmocka_unit_test(test_api_decode_mirror_peer_all_fields_decoded),
		cmocka_unit_test(test_api_decode_mirror_peer_address_only_defaults),
		cmocka_unit_test(test_api_decode_mirror_peer_protocol_gre_has_bit),
		cmocka_unit_test(test_api_decode_mirror_peer_unterminated_buffer_ok),
		cmocka_unit_test(test_api_decode_mirror_peer_missing_address_missing_field),
		cmocka_unit_test(test_api_decode_mirror_peer_no_body_invalid_json),
		cmocka_unit_test(test_api_decode_mirror_peer_bad_address_invalid_field),
		cmocka_unit_test(test_api_decode_mirror_peer_protocol_not_gre_invalid_field),
		cmocka_unit_test(test_api_decode_mirror_peer_enabled_not_bool_invalid_field),
		cmocka_unit_test(test_api_decode_mirror_peer_description_255_bytes_accepted),
		cmocka_unit_test(test_api_decode_mirror_peer_description_256_bytes_invalid_field),
		cmocka_unit_test(test_api_decode_mirror_peer_unknown_field_lists_four),
		cmocka_unit_test(test_api_decode_mirror_peer_duplicate_key_invalid_json),
		cmocka_unit_test(test_api_decode_mirror_peer_array_body_invalid_json),
		cmocka_unit_test(test_api_decode_mirror_update_all_fields_decoded),
		cmocka_unit_test(test_api_decode_mirror_update_empty_object_nothing_set),
		cmocka_unit_test(test_api_decode_mirror_update_enabled_only_has_bit),
		cmocka_unit_test(test_api_decode_mirror_update_other_address_refused),
		cmocka_unit_test(test_api_decode_mirror_update_get_view_put_back_accepted),
		cmocka_unit_test(test_api_decode_mirror_update_bad_address_invalid_field),
		cmocka_unit_test(test_api_decode_unknown_field_still_refused_on_put_with_key),
		cmocka_unit_test(test_api_decode_mirror_update_protocol_not_gre_invalid_field),
		cmocka_unit_test(test_api_decode_mirror_update_description_256_bytes_invalid_field),
		cmocka_unit_test(test_api_decode_mirror_update_no_body_invalid_json),
		cmocka_unit_test(test_api_path_ipv4_dotted_quad_ok),
		cmocka_unit_test(test_api_path_ipv4_extremes_ok),
		cmocka_unit_test(test_api_path_ipv4_three_octets_invalid_path),
		cmocka_unit_test(test_api_path_ipv4_five_octets_invalid_path),
		cmocka_unit_test(test_api_path_ipv4_octet_256_invalid_path),
		cmocka_unit_test(test_api_path_ipv4_spaces_or_sign_invalid_path),
		cmocka_unit_test(test_api_path_ipv4_empty_invalid_path),
		cmocka_unit_test(test_api_path_ipv4_control_chars_one_line),
		cmocka_unit_test(test_api_decode_routing_filter_api_example_in_order),
		cmocka_unit_test(test_api_decode_dns_api_example_in_order),
		cmocka_unit_test(test_api_decode_dns_one_accepted),
		cmocka_unit_test(test_api_decode_dns_empty_array_none),
		cmocka_unit_test(test_api_decode_dns_unterminated_buffer_ok),
		cmocka_unit_test(test_api_decode_dns_three_names_limit),
		cmocka_unit_test(test_api_decode_dns_bad_address_names_index),
		cmocka_unit_test(test_api_decode_dns_not_unicast_names_index),
		cmocka_unit_test(test_api_decode_dns_entry_not_string_names_index),
		cmocka_unit_test(test_api_decode_dns_object_body_invalid_json),
		cmocka_unit_test(test_api_decode_routing_filter_field_order_free),
		cmocka_unit_test(test_api_decode_routing_filter_empty_array_no_rules),
		cmocka_unit_test(test_api_decode_routing_filter_unterminated_buffer_ok),
		cmocka_unit_test(test_api_decode_routing_filter_64_entries_accepted),
		cmocka_unit_test(test_api_decode_routing_filter_65_entries_names_limit),
		cmocka_unit_test(test_api_decode_routing_filter_more_than_cap_refused),
		cmocka_unit_test(test_api_decode_routing_filter_host_bits_names_index),
		cmocka_unit_test(test_api_decode_routing_filter_bare_address_invalid_field),
		cmocka_unit_test(test_api_decode_routing_filter_range_not_string_invalid_field),
		cmocka_unit_test(test_api_decode_routing_filter_bad_action_invalid_field),
		cmocka_unit_test(test_api_decode_routing_filter_action_case_sensitive),
		cmocka_unit_test(test_api_decode_routing_filter_action_not_string_invalid_field),
		cmocka_unit_test(test_api_decode_routing_filter_missing_range_missing_field),
		cmocka_unit_test(test_api_decode_routing_filter_empty_entry_names_action_first),
		cmocka_unit_test(test_api_decode_routing_filter_unknown_field_names_index),
		cmocka_unit_test(test_api_decode_routing_filter_long_unknown_field_cut),
		cmocka_unit_test(test_api_decode_routing_filter_entry_not_object_invalid_field),
		cmocka_unit_test(test_api_decode_routing_filter_object_body_invalid_json),
		cmocka_unit_test(test_api_decode_routing_filter_no_body_invalid_json),
		cmocka_unit_test(test_api_decode_routing_filter_truncated_invalid_json),
		cmocka_unit_test(test_api_decode_routing_filter_duplicate_key_invalid_json),
		cmocka_unit_test(test_api_decode_routing_filter_first_bad_entry_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
