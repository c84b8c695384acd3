/*
 * Unit tests for Junction Inspection's request decoding
 * (src/api/api_decode_inspect.c): the PUT body with docs/API.md's defaults,
 * the collector parser that vpgctl shares, and the query parameters of the
 * flows and summary calls. Every refusal is checked for its status, its
 * code from docs/API.md's table, the field it names and, where the words
 * matter, its message; a refused body leaves the output zeroed and a refused
 * query leaves the outputs untouched.
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
#include "inspect/inspect.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))

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
}

static int
inspection(const char *body, struct api_inspection_body *out, struct api_error *err)
{
	memset(out, 0xa5, sizeof(*out));
	memset(err, 0, sizeof(*err));
	return api_decode_inspection(body, strlen(body), out, err);
}

/* Refused with code naming field (and message, unless NULL); the output left zeroed. */
static void
assert_refused(const char *body, const char *code, const char *field, const char *message)
{
	struct api_inspection_body out, zero;
	struct api_error err;

	memset(&zero, 0, sizeof(zero));
	assert_int_equal(inspection(body, &out, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_memory_equal(&out, &zero, sizeof(out));
}

static void
assert_collector(const struct inspect_collector *c, uint32_t addr_be, uint16_t port)
{
	assert_int_equal(c->addr_be, addr_be);
	assert_int_equal(c->port, port);
}

/* docs/API.md: only collectors is required; the rest take their defaults. */
static void
test_api_decode_inspection_collectors_only_defaults(void **state)
{
	struct api_inspection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(inspection("{\"collectors\": [\"192.0.2.9\"]}", &out, &err), 0);
	assert_int_equal(out.has, API_INSPECTION_COLLECTORS);
	assert_true(out.cfg.enabled);
	assert_int_equal(out.cfg.n_collectors, 1);
	assert_collector(&out.cfg.collectors[0], IP4(192, 0, 2, 9), 4739);
	assert_int_equal(out.cfg.active_timeout_s, 60);
	assert_int_equal(out.cfg.idle_timeout_s, 15);
	assert_int_equal(out.cfg.max_flows, 65536);
}

static void
test_api_decode_inspection_all_fields_decoded(void **state)
{
	struct api_inspection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(inspection("{\"enabled\": false, \"collectors\": [\"192.0.2.9:4739\","
				    " \"203.0.113.5:2055\", \"192.0.2.9:9995\"], \"activeTimeout\":"
				    " 300, \"idleTimeout\": 30, \"maxFlows\": 1024}",
			     &out, &err),
	    0);
	assert_int_equal(out.has, API_INSPECTION_ENABLED | API_INSPECTION_COLLECTORS |
				      API_INSPECTION_ACTIVE_TIMEOUT | API_INSPECTION_IDLE_TIMEOUT |
				      API_INSPECTION_MAX_FLOWS);
	assert_false(out.cfg.enabled);
	assert_int_equal(out.cfg.n_collectors, 3);
	assert_collector(&out.cfg.collectors[0], IP4(192, 0, 2, 9), 4739);
	assert_collector(&out.cfg.collectors[1], IP4(203, 0, 113, 5), 2055);
	assert_collector(&out.cfg.collectors[2], IP4(192, 0, 2, 9), 9995);
	assert_int_equal(out.cfg.active_timeout_s, 300);
	assert_int_equal(out.cfg.idle_timeout_s, 30);
	assert_int_equal(out.cfg.max_flows, 1024);
}

static void
test_api_decode_inspection_bounds_accepted(void **state)
{
	struct api_inspection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(inspection("{\"collectors\": [\"192.0.2.1:1\", \"192.0.2.2:65535\","
				    " \"192.0.2.3\", \"192.0.2.4:04739\"], \"activeTimeout\": 1,"
				    " \"idleTimeout\": 86400, \"maxFlows\": 16}",
			     &out, &err),
	    0);
	assert_int_equal(out.cfg.n_collectors, INSPECT_MAX_COLLECTORS);
	assert_collector(&out.cfg.collectors[0], IP4(192, 0, 2, 1), 1);
	assert_collector(&out.cfg.collectors[1], IP4(192, 0, 2, 2), 65535);
	assert_collector(&out.cfg.collectors[3], IP4(192, 0, 2, 4), 4739);
	assert_int_equal(out.cfg.active_timeout_s, 1);
	assert_int_equal(out.cfg.idle_timeout_s, 86400);
	assert_int_equal(out.cfg.max_flows, 16);
	assert_int_equal(inspection("{\"collectors\": [\"192.0.2.9\"], \"activeTimeout\": 86400,"
				    " \"idleTimeout\": 1, \"maxFlows\": 4194304}",
			     &out, &err),
	    0);
	assert_int_equal(out.cfg.max_flows, 4194304);
}

/* A body as the HTTP layer hands it over: a length, and no NUL after it. */
static void
test_api_decode_inspection_unterminated_buffer_ok(void **state)
{
	char buf[] = "{\"collectors\": [\"192.0.2.9\"]}XXXX";
	struct api_inspection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(api_decode_inspection(buf, strlen(buf) - 4, &out, &err), 0);
	assert_collector(&out.cfg.collectors[0], IP4(192, 0, 2, 9), 4739);
}

static void
test_api_decode_inspection_missing_collectors_missing_field(void **state)
{
	(void)state;
	assert_refused(
	    "{}", "missing_field", "collectors", "\"collectors\": required field is missing");
	assert_refused(
	    "{\"enabled\": true, \"maxFlows\": 1024}", "missing_field", "collectors", NULL);
}

static void
test_api_decode_inspection_not_object_invalid_json(void **state)
{
	struct api_inspection_body out, zero;
	struct api_error err;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(api_decode_inspection("", 0, &out, &err), -EINVAL);
	assert_error(&err, "invalid_json", "", "the body is empty; expected a JSON object");
	assert_memory_equal(&out, &zero, sizeof(out));
	assert_refused("[\"192.0.2.9\"]", "invalid_json", "", NULL);
	assert_refused("{\"collectors\": [\"192.0.2.9\"]", "invalid_json", "", NULL);
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"collectors\": [\"192.0.2.10\"]}",
	    "invalid_json", "", NULL);
}

/* docs/API.md's spelling is "collectors"; a near miss is named and the call's fields listed. */
static void
test_api_decode_inspection_unknown_field_names_it(void **state)
{
	(void)state;
	assert_refused("{\"collector\": \"192.0.2.9\"}", "unknown_field", "collector",
	    "\"collector\": unknown field; this call takes enabled, collectors, activeTimeout, "
	    "idleTimeout, maxFlows");
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"windowSeconds\": 60}", "unknown_field",
	    "windowSeconds", NULL);
}

static void
test_api_decode_inspection_collectors_not_array_invalid_field(void **state)
{
	(void)state;
	assert_refused("{\"collectors\": \"192.0.2.9\"}", "invalid_field", "collectors",
	    "\"collectors\": must be an array of \"address[:port]\" strings, not a string");
	assert_refused("{\"collectors\": null}", "invalid_field", "collectors",
	    "\"collectors\": must be an array of \"address[:port]\" strings, not null");
	assert_refused(
	    "{\"collectors\": {\"192.0.2.9\": 4739}}", "invalid_field", "collectors", NULL);
}

static void
test_api_decode_inspection_collectors_count_invalid_field(void **state)
{
	(void)state;
	assert_refused("{\"collectors\": []}", "invalid_field", "collectors",
	    "\"collectors\": must hold 1 to 4 collectors (0)");
	assert_refused("{\"collectors\": [\"192.0.2.1\", \"192.0.2.2\", \"192.0.2.3\","
		       " \"192.0.2.4\", \"192.0.2.5\"]}",
	    "invalid_field", "collectors", "\"collectors\": must hold 1 to 4 collectors (5)");
}

static void
test_api_decode_inspection_collector_not_string_invalid_field(void **state)
{
	(void)state;
	assert_refused("{\"collectors\": [\"192.0.2.9\", 3221225993]}", "invalid_field",
	    "collectors", "\"collectors\": [1] must be a string, not a number");
	assert_refused("{\"collectors\": [{\"address\": \"192.0.2.9\"}]}", "invalid_field",
	    "collectors", "\"collectors\": [0] must be a string, not an object");
}

static void
test_api_decode_inspection_collector_bad_address_invalid_field(void **state)
{
	static const char *const bad[] = {
		"{\"collectors\": [\"collector.example\"]}",
		"{\"collectors\": [\"192.0.2\"]}",
		"{\"collectors\": [\"192.0.2.9/32\"]}",
		"{\"collectors\": [\"192.0.2.256\"]}",
		"{\"collectors\": [\" 192.0.2.9\"]}",
		"{\"collectors\": [\"\"]}",
		"{\"collectors\": [\":4739\"]}",
	};

	(void)state;
	assert_refused("{\"collectors\": [\"192.0.2.9\", \"collector.example:4739\"]}",
	    "invalid_field", "collectors",
	    "\"collectors\": [1] is not an IPv4 address with an optional :port "
	    "(\"collector.example:4739\")");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(bad[i], "invalid_field", "collectors", NULL);
	/* A NUL inside a string never gets as far: the JSON itself is refused. */
	assert_refused("{\"collectors\": [\"192.0.2.9\\u0000:80\"]}", "invalid_json", "", NULL);
}

static void
test_api_decode_inspection_collector_bad_port_invalid_field(void **state)
{
	static const char *const bad[] = {
		"{\"collectors\": [\"192.0.2.9:65536\"]}",
		"{\"collectors\": [\"192.0.2.9:\"]}",
		"{\"collectors\": [\"192.0.2.9:ipfix\"]}",
		"{\"collectors\": [\"192.0.2.9:+4739\"]}",
		"{\"collectors\": [\"192.0.2.9:-1\"]}",
		"{\"collectors\": [\"192.0.2.9:4739 \"]}",
		"{\"collectors\": [\"192.0.2.9:4739:4740\"]}",
		"{\"collectors\": [\"192.0.2.9:000004739\"]}",
	};

	(void)state;
	assert_refused("{\"collectors\": [\"192.0.2.9:0\"]}", "invalid_field", "collectors",
	    "\"collectors\": [0] has a port outside 1 to 65535 (\"192.0.2.9:0\")");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(bad[i], "invalid_field", "collectors", NULL);
}

/* The default port makes "192.0.2.9" and "192.0.2.9:4739" one collector. */
static void
test_api_decode_inspection_duplicate_collector_invalid_field(void **state)
{
	(void)state;
	assert_refused("{\"collectors\": [\"192.0.2.9\", \"192.0.2.10\", \"192.0.2.9:4739\"]}",
	    "invalid_field", "collectors", "\"collectors\": [2] 192.0.2.9:4739 is given twice");
	assert_refused("{\"collectors\": [\"192.0.2.9:2055\", \"192.0.2.9:2055\"]}",
	    "invalid_field", "collectors", "\"collectors\": [1] 192.0.2.9:2055 is given twice");
}

static void
test_api_decode_inspection_same_address_other_port_accepted(void **state)
{
	struct api_inspection_body out;
	struct api_error err;

	(void)state;
	assert_int_equal(
	    inspection("{\"collectors\": [\"192.0.2.9\", \"192.0.2.9:4740\"]}", &out, &err), 0);
	assert_int_equal(out.cfg.n_collectors, 2);
	assert_collector(&out.cfg.collectors[1], IP4(192, 0, 2, 9), 4740);
}

static void
test_api_decode_inspection_numbers_out_of_range_invalid_field(void **state)
{
	(void)state;
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"activeTimeout\": 0}", "invalid_field",
	    "activeTimeout", "\"activeTimeout\": must be between 1 and 86400 (0)");
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"activeTimeout\": 86401}",
	    "invalid_field", "activeTimeout", NULL);
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"idleTimeout\": 0}", "invalid_field",
	    "idleTimeout", NULL);
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"idleTimeout\": 86401}", "invalid_field",
	    "idleTimeout", "\"idleTimeout\": must be between 1 and 86400 (86401)");
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"maxFlows\": 15}", "invalid_field",
	    "maxFlows", "\"maxFlows\": must be between 16 and 4194304 (15)");
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"maxFlows\": 4194305}", "invalid_field",
	    "maxFlows", NULL);
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"maxFlows\": -1}", "invalid_field",
	    "maxFlows", NULL);
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"maxFlows\": 4294967312}",
	    "invalid_field", "maxFlows", NULL);
}

static void
test_api_decode_inspection_numbers_not_integer_invalid_field(void **state)
{
	(void)state;
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"activeTimeout\": 60.5}",
	    "invalid_field", "activeTimeout",
	    "\"activeTimeout\": must be an integer, not a number");
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"idleTimeout\": \"15\"}",
	    "invalid_field", "idleTimeout", "\"idleTimeout\": must be an integer, not a string");
	assert_refused("{\"collectors\": [\"192.0.2.9\"], \"maxFlows\": null}", "invalid_field",
	    "maxFlows", NULL);
}

static void
test_api_decode_inspection_enabled_not_bool_invalid_field(void **state)
{
	(void)state;
	assert_refused("{\"enabled\": 1, \"collectors\": [\"192.0.2.9\"]}", "invalid_field",
	    "enabled", "\"enabled\": must be true or false, not a number");
	assert_refused("{\"enabled\": \"false\", \"collectors\": [\"192.0.2.9\"]}", "invalid_field",
	    "enabled", NULL);
}

/* Of several faults the client hears about the first it wrote. */
static void
test_api_decode_inspection_first_fault_in_body_order(void **state)
{
	(void)state;
	assert_refused("{\"maxFlows\": 1, \"collectors\": []}", "invalid_field", "maxFlows", NULL);
	assert_refused(
	    "{\"collectors\": [], \"maxFlows\": 1}", "invalid_field", "collectors", NULL);
}

/* Whatever the input held, the message stays printable ASCII on one line. */
static void
test_api_decode_inspection_control_chars_in_collector_escaped(void **state)
{
	(void)state;
	assert_refused("{\"collectors\": [\"192.0.2.9\\n:80\\u00e9\"]}", "invalid_field",
	    "collectors",
	    "\"collectors\": [0] is not an IPv4 address with an optional :port "
	    "(\"192.0.2.9\\x0a:80\\xc3\\xa9\")");
}

static void
test_api_parse_collector_default_and_given_port(void **state)
{
	struct inspect_collector c;

	(void)state;
	assert_int_equal(api_parse_collector("203.0.113.5", &c), 0);
	assert_collector(&c, IP4(203, 0, 113, 5), API_COLLECTOR_DEFAULT_PORT);
	assert_int_equal(api_parse_collector("203.0.113.5:2055", &c), 0);
	assert_collector(&c, IP4(203, 0, 113, 5), 2055);
}

/* -EINVAL for the address, -ERANGE for the port, and the output untouched. */
static void
test_api_parse_collector_address_or_port_refused(void **state)
{
	struct inspect_collector c = { 7, 7 };

	(void)state;
	assert_int_equal(api_parse_collector("203.0.113", &c), -EINVAL);
	assert_int_equal(api_parse_collector("203.0.113.5.6:80", &c), -EINVAL);
	assert_int_equal(api_parse_collector("2001:db8::1", &c), -EINVAL);
	assert_int_equal(api_parse_collector("203.0.113.5:0", &c), -ERANGE);
	assert_int_equal(api_parse_collector("203.0.113.5:65536", &c), -ERANGE);
	assert_int_equal(api_parse_collector("203.0.113.5:", &c), -ERANGE);
	assert_collector(&c, 7, 7);
}

/* A query of n key/value pairs; a NULL value is a key without '='. */
static struct api_query
query(size_t n, const char *const *kv)
{
	struct api_query q = { 0 };

	for (size_t i = 0; i < n; i++) {
		q.args[i].key = kv[2 * i];
		q.args[i].value = kv[2 * i + 1];
	}
	q.n = n;
	return q;
}

/* The flows query refused with code naming field, and limit untouched. */
static void
assert_flows_refused(struct api_query q, const char *code, const char *field, const char *message)
{
	struct api_error err = { 0 };
	uint32_t limit = 77;

	assert_int_equal(api_decode_flows_query(&q, &limit, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(limit, 77);
}

static void
test_api_decode_flows_query_absent_default(void **state)
{
	struct api_query q = { 0 };
	struct api_error err = { 0 };
	uint32_t limit = 0;

	(void)state;
	assert_int_equal(api_decode_flows_query(&q, &limit, &err), 0);
	assert_int_equal(limit, API_FLOWS_LIMIT_DEFAULT);
}

static void
test_api_decode_flows_query_limit_bounds_accepted(void **state)
{
	static const char *const one[] = { "limit", "1" };
	static const char *const max[] = { "limit", "10000" };
	static const char *const zeros[] = { "limit", "0010" };
	struct api_error err = { 0 };
	struct api_query q;
	uint32_t limit = 0;

	(void)state;
	q = query(1, one);
	assert_int_equal(api_decode_flows_query(&q, &limit, &err), 0);
	assert_int_equal(limit, 1);
	q = query(1, max);
	assert_int_equal(api_decode_flows_query(&q, &limit, &err), 0);
	assert_int_equal(limit, 10000);
	q = query(1, zeros);
	assert_int_equal(api_decode_flows_query(&q, &limit, &err), 0);
	assert_int_equal(limit, 10);
}

static void
test_api_decode_flows_query_bad_limit_invalid_field(void **state)
{
	static const char *const bad[] = { "0", "10001", "", "ten", "+5", "-1", "1e3", "5 ",
		"99999999999999999999", "4294967297" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *kv[] = { "limit", bad[i] };

		assert_flows_refused(query(1, kv), "invalid_field", "limit", NULL);
	}
	assert_flows_refused(query(1, (const char *const[]){ "limit", "0" }), "invalid_field",
	    "limit", "\"limit\": must be an integer between 1 and 10000 (\"0\")");
	assert_flows_refused(query(1, (const char *const[]){ "limit", NULL }), "invalid_field",
	    "limit", "\"limit\": must be an integer between 1 and 10000 (no value)");
}

static void
test_api_decode_flows_query_unknown_param_unknown_field(void **state)
{
	(void)state;
	assert_flows_refused(query(2, (const char *const[]){ "limit", "5", "top", "3" }),
	    "unknown_field", "top", "\"top\": unknown query parameter; this call takes limit");
	assert_flows_refused(
	    query(1, (const char *const[]){ "Limit", "5" }), "unknown_field", "Limit", NULL);
}

static void
test_api_decode_flows_query_twice_invalid_field(void **state)
{
	(void)state;
	assert_flows_refused(query(2, (const char *const[]){ "limit", "5", "limit", "5" }),
	    "invalid_field", "limit", "\"limit\": given twice");
}

static void
test_api_decode_flows_query_too_many_invalid_field(void **state)
{
	struct api_query q = { 0 };

	(void)state;
	q.overflow = true;
	assert_flows_refused(q, "invalid_field", "", "at most 8 query parameters");
}

static void
test_api_decode_summary_query_defaults(void **state)
{
	struct api_query q = { 0 };
	struct api_error err = { 0 };
	uint32_t window = 0, top = 0;

	(void)state;
	assert_int_equal(api_decode_summary_query(&q, &window, &top, &err), 0);
	assert_int_equal(window, INSPECT_DEFAULT_WINDOW_S);
	assert_int_equal(top, API_SUMMARY_TOP_DEFAULT);
}

/* Either order; each within its range, bounds included. */
static void
test_api_decode_summary_query_both_decoded(void **state)
{
	struct api_error err = { 0 };
	struct api_query q;
	uint32_t window = 0, top = 0;

	(void)state;
	q = query(2, (const char *const[]){ "top", "100", "window", "3600" });
	assert_int_equal(api_decode_summary_query(&q, &window, &top, &err), 0);
	assert_int_equal(window, 3600);
	assert_int_equal(top, 100);
	q = query(1, (const char *const[]){ "window", "1" });
	assert_int_equal(api_decode_summary_query(&q, &window, &top, &err), 0);
	assert_int_equal(window, 1);
	assert_int_equal(top, API_SUMMARY_TOP_DEFAULT);
}

static void
assert_summary_refused(struct api_query q, const char *code, const char *field, const char *message)
{
	struct api_error err = { 0 };
	uint32_t window = 77, top = 77;

	assert_int_equal(api_decode_summary_query(&q, &window, &top, &err), -EINVAL);
	assert_error(&err, code, field, message);
	assert_int_equal(window, 77);
	assert_int_equal(top, 77);
}

static void
test_api_decode_summary_query_bad_values_invalid_field(void **state)
{
	(void)state;
	assert_summary_refused(query(1, (const char *const[]){ "window", "3601" }), "invalid_field",
	    "window", "\"window\": must be an integer between 1 and 3600 (\"3601\")");
	assert_summary_refused(
	    query(1, (const char *const[]){ "window", "0" }), "invalid_field", "window", NULL);
	assert_summary_refused(query(1, (const char *const[]){ "top", "101" }), "invalid_field",
	    "top", "\"top\": must be an integer between 1 and 100 (\"101\")");
	assert_summary_refused(query(2, (const char *const[]){ "window", "60", "top", "x" }),
	    "invalid_field", "top", NULL);
}

static void
test_api_decode_summary_query_unknown_param_unknown_field(void **state)
{
	(void)state;
	assert_summary_refused(query(1, (const char *const[]){ "limit", "5" }), "unknown_field",
	    "limit", "\"limit\": unknown query parameter; this call takes window, top");
}

static void
test_api_decode_sessions_query_defaults_and_cursor(void **state)
{
	static const char *const both[] = { "after", "4294967295", "limit", "3" };
	static const char *const bad[] = { "limit", "10001" };
	static const char *const other[] = { "offset", "2" };
	struct api_query q = { 0 };
	struct api_error err = { 0 };
	uint32_t limit = 0, after = 9;

	(void)state;
	assert_int_equal(api_decode_sessions_query(&q, &limit, &after, &err), 0);
	assert_int_equal(limit, API_SESSIONS_LIMIT_DEFAULT);
	assert_int_equal(after, 0);
	q = query(2, both);
	assert_int_equal(api_decode_sessions_query(&q, &limit, &after, &err), 0);
	assert_int_equal(limit, 3);
	assert_int_equal(after, UINT32_MAX);
	q = query(1, bad);
	assert_int_equal(api_decode_sessions_query(&q, &limit, &after, &err), -EINVAL);
	assert_error(&err, "invalid_field", "limit",
	    "\"limit\": must be an integer between 1 and 10000 (\"10001\")");
	memset(&err, 0, sizeof(err));
	q = query(1, other);
	assert_int_equal(api_decode_sessions_query(&q, &limit, &after, &err), -EINVAL);
	assert_error(&err, "unknown_field", "offset",
	    "\"offset\": unknown query parameter; this call takes limit, after");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_decode_inspection_collectors_only_defaults),
		cmocka_unit_test(test_api_decode_inspection_all_fields_decoded),
		cmocka_unit_test(test_api_decode_inspection_bounds_accepted),
		cmocka_unit_test(test_api_decode_inspection_unterminated_buffer_ok),
		cmocka_unit_test(test_api_decode_inspection_missing_collectors_missing_field),
		cmocka_unit_test(test_api_decode_inspection_not_object_invalid_json),
		cmocka_unit_test(test_api_decode_inspection_unknown_field_names_it),
		cmocka_unit_test(test_api_decode_inspection_collectors_not_array_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_collectors_count_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_collector_not_string_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_collector_bad_address_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_collector_bad_port_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_duplicate_collector_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_same_address_other_port_accepted),
		cmocka_unit_test(test_api_decode_inspection_numbers_out_of_range_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_numbers_not_integer_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_enabled_not_bool_invalid_field),
		cmocka_unit_test(test_api_decode_inspection_first_fault_in_body_order),
		cmocka_unit_test(test_api_decode_inspection_control_chars_in_collector_escaped),
		cmocka_unit_test(test_api_parse_collector_default_and_given_port),
		cmocka_unit_test(test_api_parse_collector_address_or_port_refused),
		cmocka_unit_test(test_api_decode_flows_query_absent_default),
		cmocka_unit_test(test_api_decode_sessions_query_defaults_and_cursor),
		cmocka_unit_test(test_api_decode_flows_query_limit_bounds_accepted),
		cmocka_unit_test(test_api_decode_flows_query_bad_limit_invalid_field),
		cmocka_unit_test(test_api_decode_flows_query_unknown_param_unknown_field),
		cmocka_unit_test(test_api_decode_flows_query_twice_invalid_field),
		cmocka_unit_test(test_api_decode_flows_query_too_many_invalid_field),
		cmocka_unit_test(test_api_decode_summary_query_defaults),
		cmocka_unit_test(test_api_decode_summary_query_both_decoded),
		cmocka_unit_test(test_api_decode_summary_query_bad_values_invalid_field),
		cmocka_unit_test(test_api_decode_summary_query_unknown_param_unknown_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
