/*
 * Unit tests for the bootstrap file's text (src/conf/config_text.c): which
 * lines are comments, that blanking them keeps every other octet where it
 * was, and reading a whole file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/config_text.h"

/* Blanks a copy of in and compares it with want, octet for octet (lengths equal). */
static size_t
blank(const char *in, const char *want)
{
	size_t len = strlen(in);
	char *text = strdup(in);
	size_t n;

	assert_non_null(text);
	assert_int_equal(strlen(want), len);
	n = config_text_blank_comments(text, len);
	assert_memory_equal(text, want, len);
	free(text);
	return n;
}

static void
test_config_text_blank_comments_full_line_blanked(void **state)
{
	(void)state;
	assert_int_equal(blank("// a\n{}\n", "    \n{}\n"), 1);
}

static void
test_config_text_blank_comments_indented_blanked(void **state)
{
	(void)state;
	assert_int_equal(blank("{\n \t// \"k\": 1,\n}", "{\n \t          \n}"), 1);
}

static void
test_config_text_blank_comments_after_text_kept(void **state)
{
	(void)state;
	assert_int_equal(blank("{\"a\": 1} // b\n", "{\"a\": 1} // b\n"), 0);
}

static void
test_config_text_blank_comments_slashes_in_string_kept(void **state)
{
	(void)state;
	assert_int_equal(blank("\"http://x\"\n  \"//y\"\n", "\"http://x\"\n  \"//y\"\n"), 0);
}

static void
test_config_text_blank_comments_single_slash_kept(void **state)
{
	(void)state;
	assert_int_equal(blank("/ x\n/", "/ x\n/"), 0);
}

static void
test_config_text_blank_comments_last_line_without_newline(void **state)
{
	(void)state;
	assert_int_equal(blank("{}\n//end", "{}\n     "), 1);
}

static void
test_config_text_blank_comments_crlf_kept(void **state)
{
	(void)state;
	/* The CR is the comment's last character before the newline: blanked too, both whitespace.
	 */
	assert_int_equal(blank("//a\r\n{}\r\n", "    \n{}\r\n"), 1);
}

static void
test_config_text_blank_comments_every_line_counted(void **state)
{
	(void)state;
	assert_int_equal(blank("//\n//\n\n//x", "  \n  \n\n   "), 3);
}

static void
test_config_text_blank_comments_empty_text_nothing(void **state)
{
	(void)state;
	assert_int_equal(config_text_blank_comments(NULL, 0), 0);
}

static void
test_config_text_read_whole_file(void **state)
{
	char path[] = "/tmp/test_config_text_XXXXXX";
	int fd = mkstemp(path);
	char *big = malloc(10000), *text = NULL;
	size_t len = 0;
	int rc;

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(big);
	/* Larger than the first buffer, so that it grows at least once. */
	memset(big, 'x', 10000);
	assert_int_equal(write(fd, big, 10000), 10000);
	close(fd);
	rc = config_text_read(path, &text, &len);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_int_equal(len, 10000);
	assert_memory_equal(text, big, 10000);
	assert_int_equal(text[len], '\0');
	free(text);
	free(big);
}

static void
test_config_text_read_missing_file_enoent(void **state)
{
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(
	    config_text_read("/nonexistent/vpgd-test/vpgd.json", &text, &len), -ENOENT);
	assert_null(text);
}

static void
test_config_text_read_directory_eisdir(void **state)
{
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(config_text_read("/tmp", &text, &len), -EISDIR);
	assert_null(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_text_blank_comments_full_line_blanked),
		cmocka_unit_test(test_config_text_blank_comments_indented_blanked),
		cmocka_unit_test(test_config_text_blank_comments_after_text_kept),
		cmocka_unit_test(test_config_text_blank_comments_slashes_in_string_kept),
		cmocka_unit_test(test_config_text_blank_comments_single_slash_kept),
		cmocka_unit_test(test_config_text_blank_comments_last_line_without_newline),
		cmocka_unit_test(test_config_text_blank_comments_crlf_kept),
		cmocka_unit_test(test_config_text_blank_comments_every_line_counted),
		cmocka_unit_test(test_config_text_blank_comments_empty_text_nothing),
		cmocka_unit_test(test_config_text_read_whole_file),
		cmocka_unit_test(test_config_text_read_missing_file_enoent),
		cmocka_unit_test(test_config_text_read_directory_eisdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
