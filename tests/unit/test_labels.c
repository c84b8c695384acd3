/*
 * Unit tests for names as DNS labels (src/proto/labels.c), shared by the
 * GTPv1-C and GTPv2-C APN and PFCP's names: the encoder's limits, the same
 * limits in the decoder, and a round trip. The decoder's malformed cases are covered where
 * each protocol reads a name (test_gtpc.c, test_pfcp.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/labels.h"

static void
test_labels_encode_dotted_name_writes_labels(void **state)
{
	static const uint8_t want[] = { 8, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't', 3, 'c', 'o',
		'm' };
	uint8_t out[32];

	(void)state;
	assert_int_equal(labels_encode("internet.com", out, sizeof(out)), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_labels_encode_empty_label_or_name_fails(void **state)
{
	uint8_t out[32];

	(void)state;
	assert_int_equal(labels_encode("", out, sizeof(out)), 0);
	assert_int_equal(labels_encode(".a", out, sizeof(out)), 0);
	assert_int_equal(labels_encode("a..b", out, sizeof(out)), 0);
	assert_int_equal(labels_encode("a.", out, sizeof(out)), 0);
}

static void
test_labels_encode_label_of_63_fits_64_fails(void **state)
{
	char name[65];
	uint8_t out[80];

	(void)state;
	memset(name, 'a', 63);
	name[63] = '\0';
	assert_int_equal(labels_encode(name, out, sizeof(out)), 64);
	assert_int_equal(out[0], 63);
	name[63] = 'a';
	name[64] = '\0';
	assert_int_equal(labels_encode(name, out, sizeof(out)), 0);
}

static void
test_labels_encode_bad_character_or_no_room_fails(void **state)
{
	uint8_t out[8];

	(void)state;
	assert_int_equal(labels_encode("a_b", out, sizeof(out)), 0);
	assert_int_equal(labels_encode("a b", out, sizeof(out)), 0);
	/* "abcdefg" needs 8 octets on the wire: it fits 8, not 7. */
	assert_int_equal(labels_encode("abcdefg", out, 8), 8);
	assert_int_equal(labels_encode("abcdefg", out, 7), 0);
}

static void
test_labels_round_trip_decodes_same_name(void **state)
{
	uint8_t wire[64];
	char back[64];
	size_t n;

	(void)state;
	n = labels_encode("apn1.mnc001.mcc001.gprs", wire, sizeof(wire));
	assert_int_equal(n, 24);
	assert_int_equal(labels_decode(wire, n, back, sizeof(back)), 0);
	assert_string_equal(back, "apn1.mnc001.mcc001.gprs");
}

static void
test_labels_decode_dot_that_does_not_fit_fails(void **state)
{
	static const uint8_t v[] = { 1, 'a', 1, 'b' };
	char out[3];

	(void)state;
	/* "a.b" needs 4 octets with its NUL. */
	assert_int_equal(labels_decode(v, sizeof(v), out, sizeof(out)), -1);
	assert_string_equal(out, "");
	assert_int_equal(labels_char('-'), true);
	assert_int_equal(labels_char('.'), false);
}

static void
test_labels_decode_label_over_63_fails(void **state)
{
	uint8_t v[65];
	char out[80];

	(void)state;
	memset(v, 'a', sizeof(v));
	v[0] = 63;
	assert_int_equal(labels_decode(v, 64, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 63);
	v[0] = 64;
	assert_int_equal(labels_decode(v, 65, out, sizeof(out)), -1);
	assert_string_equal(out, "");
}

static void
test_labels_decode_name_over_255_octets_fails(void **state)
{
	uint8_t v[256];
	char out[300];
	size_t i;

	(void)state;
	/* Labels of 50 octets (51 on the wire) and a last one filling up to len. */
	memset(v, 'a', sizeof(v));
	for (i = 0; i + 51 < 255; i += 51)
		v[i] = 50;
	v[i] = (uint8_t)(255 - i - 1);
	assert_int_equal(labels_decode(v, 255, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), 254);
	v[i] = (uint8_t)(256 - i - 1);
	assert_int_equal(labels_decode(v, 256, out, sizeof(out)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels_encode_dotted_name_writes_labels),
		cmocka_unit_test(test_labels_encode_empty_label_or_name_fails),
		cmocka_unit_test(test_labels_encode_label_of_63_fits_64_fails),
		cmocka_unit_test(test_labels_encode_bad_character_or_no_room_fails),
		cmocka_unit_test(test_labels_round_trip_decodes_same_name),
		cmocka_unit_test(test_labels_decode_dot_that_does_not_fit_fails),
		cmocka_unit_test(test_labels_decode_label_over_63_fails),
		cmocka_unit_test(test_labels_decode_name_over_255_octets_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
