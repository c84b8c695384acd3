/*
 * Unit tests for the web console's files (src/api/api_console.c): which path
 * names which embedded file, and the type each is served with. The table is
 * the one the build generates from console/, so these also check that the
 * files index.html loads are in the binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_console.h"

static void
test_api_console_find_root_is_index_html(void **state)
{
	const struct console_asset *a = api_console_find("/");

	(void)state;
	assert_non_null(a);
	assert_ptr_equal(a, api_console_find("/index.html"));
	assert_string_equal(a->path, "/index.html");
	assert_true(a->len > 0 && memmem(a->data, a->len, "<!doctype html>", 15) != NULL);
}

/* Every file index.html refers to ("/name" in src= or href=) is served. */
static void
test_api_console_find_every_file_index_html_loads(void **state)
{
	const struct console_asset *index = api_console_find("/");
	const char *p = (const char *)index->data, *end = p + index->len;
	unsigned found = 0;

	(void)state;
	while ((p = memmem(p, (size_t)(end - p), "=\"/", 3)) != NULL) {
		char path[64];
		size_t n = strcspn(p + 2, "\"");

		assert_true(n < sizeof(path));
		memcpy(path, p + 2, n);
		path[n] = '\0';
		assert_non_null(api_console_find(path));
		found++;
		p += 3;
	}
	assert_true(found >= 10);
}

static void
test_api_console_find_other_paths_are_not_the_console(void **state)
{
	(void)state;
	assert_null(api_console_find(""));
	assert_null(api_console_find("/v1/vpg"));
	assert_null(api_console_find("/metrics"));
	assert_null(api_console_find("/index.html/"));
	assert_null(api_console_find("/../index.html"));
	assert_null(api_console_find("//index.html"));
	assert_null(api_console_find("/INDEX.HTML"));
	assert_null(api_console_find("index.html"));
}

static void
test_api_console_type_by_extension(void **state)
{
	(void)state;
	assert_string_equal(api_console_type("/index.html"), "text/html; charset=utf-8");
	assert_string_equal(api_console_type("/main.js"), "text/javascript; charset=utf-8");
	assert_string_equal(api_console_type("/console.css"), "text/css; charset=utf-8");
	assert_string_equal(api_console_type("/favicon.svg"), "image/svg+xml");
	assert_string_equal(api_console_type("/x.json.js"), "text/javascript; charset=utf-8");
	assert_string_equal(api_console_type("/README"), "application/octet-stream");
	assert_string_equal(api_console_type("/a.jsx"), "application/octet-stream");
}

/* ETags differ between files and are quoted, as RFC 9110 §8.8.3 writes them. */
static void
test_api_console_etags_quoted_and_distinct(void **state)
{
	(void)state;
	for (size_t i = 0; i < console_asset_count; i++) {
		const char *e = console_assets[i].etag;

		assert_true(strlen(e) > 2 && e[0] == '"' && e[strlen(e) - 1] == '"');
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(e, console_assets[j].etag);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_console_find_root_is_index_html),
		cmocka_unit_test(test_api_console_find_every_file_index_html_loads),
		cmocka_unit_test(test_api_console_find_other_paths_are_not_the_console),
		cmocka_unit_test(test_api_console_type_by_extension),
		cmocka_unit_test(test_api_console_etags_quoted_and_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
