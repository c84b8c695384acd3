/*
 * The counters block (core/counters.c counters_print) leaves in one write,
 * so that a log line sharing the file cannot land inside it: over a
 * SOCK_SEQPACKET pair every write is a record of its own, and one read
 * must hold the whole block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/counters.h"

static void
test_counters_block_is_one_write(void **state)
{
	static char rec[1 << 16];
	int sv[2];
	FILE *out;
	ssize_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	/* Every counter non-zero and large: a block well over stdio's 4 KiB buffer. */
	for (int i = 0; i < VPG_CTR__COUNT; i++)
		vpg_counters.ctr[i] = UINT64_MAX - (uint64_t)i;
	for (int i = 0; i < 256; i++)
		vpg_counters.gtpc_rx[i] = vpg_counters.gtpc_tx[i] = UINT64_MAX;
	out = fdopen(sv[0], "w");
	assert_non_null(out);
	counters_print(out, 7);
	n = read(sv[1], rec, sizeof(rec) - 1);
	assert_true(n > 4096);
	rec[n] = '\0';
	assert_true(strncmp(rec, "counters begin\nsessions_active 7\n", 33) == 0);
	assert_non_null(strstr(rec, "counters end\n"));
	assert_int_equal(strstr(rec, "counters end\n") + strlen("counters end\n") - rec, n);
	fclose(out);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters_block_is_one_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
