/*
 * Unit tests for TBCD digit strings (src/proto/tbcd.c), shared by the
 * GTPv1-C IMSI/MSISDN and PFCP's User ID: odd and even counts, filler, and
 * every way a string is malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "proto/tbcd.h"

static int
read_of(const uint8_t *b, size_t n, char *out, size_t cap)
{
	struct vpg_rd r;

	rd_init(&r, b, n);
	return tbcd_read(&r, out, cap);
}

static void
test_tbcd_read_imsi_odd_count_filler(void **state)
{
	/* 999010000000001 as TS 29.060 §7.7.2 codes it: the last high nibble is 0xF. */
	static const uint8_t b[] = { 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	char out[16];

	(void)state;
	assert_int_equal(read_of(b, sizeof(b), out, sizeof(out)), 0);
	assert_string_equal(out, "999010000000001");
}

static void
test_tbcd_read_even_count_and_trailing_filler(void **state)
{
	static const uint8_t b[] = { 0x21, 0x43, 0xff };
	char out[8];

	(void)state;
	assert_int_equal(read_of(b, sizeof(b), out, sizeof(out)), 0);
	assert_string_equal(out, "1234");
}

static void
test_tbcd_read_digit_after_filler_fails(void **state)
{
	static const uint8_t b[] = { 0xf1, 0x32 };
	char out[8];

	(void)state;
	assert_int_equal(read_of(b, sizeof(b), out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_tbcd_read_bad_nibble_too_long_or_empty_fails(void **state)
{
	static const uint8_t bad[] = { 0x1a }, four[] = { 0x21, 0x43 }, none[] = { 0xff };
	char out[4];

	(void)state;
	assert_int_equal(read_of(bad, sizeof(bad), out, sizeof(out)), -1);
	assert_int_equal(
	    read_of(four, sizeof(four), out, sizeof(out)), -1); /* 4 digits, room for 3 */
	assert_int_equal(read_of(none, sizeof(none), out, sizeof(out)), -1);
	assert_int_equal(read_of(none, 0, out, sizeof(out)), -1);
}

static void
test_tbcd_write_odd_and_even_counts(void **state)
{
	static const uint8_t odd[] = { 0x21, 0xf3 };
	static const uint8_t even[] = { 0x21, 0x43 };
	uint8_t out[4] = { 0xaa, 0xaa, 0xaa, 0xaa };

	(void)state;
	assert_int_equal(tbcd_write("123", out, sizeof(out)), 2);
	assert_memory_equal(out, odd, sizeof(odd));
	assert_int_equal(out[2], 0xaa); /* past the written length: untouched */
	assert_int_equal(tbcd_write("1234", out, 2), 2);
	assert_memory_equal(out, even, sizeof(even));
}

static void
test_tbcd_write_empty_non_digit_or_too_long_fails(void **state)
{
	uint8_t out[2];

	(void)state;
	assert_int_equal(tbcd_write("", out, sizeof(out)), 0);
	assert_int_equal(tbcd_write("1f", out, sizeof(out)), 0);
	assert_int_equal(tbcd_write("12345", out, sizeof(out)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tbcd_read_imsi_odd_count_filler),
		cmocka_unit_test(test_tbcd_read_even_count_and_trailing_filler),
		cmocka_unit_test(test_tbcd_read_digit_after_filler_fails),
		cmocka_unit_test(test_tbcd_read_bad_nibble_too_long_or_empty_fails),
		cmocka_unit_test(test_tbcd_write_odd_and_even_counts),
		cmocka_unit_test(test_tbcd_write_empty_non_digit_or_too_long_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
