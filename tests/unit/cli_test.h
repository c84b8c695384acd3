/*
 * Helpers shared by the vpgctl unit tests: output captured in a memory
 * stream, and a command-table row looked up by its words.
 */
#ifndef VPG_TESTS_CLI_TEST_H
#define VPG_TESTS_CLI_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_table.h"

struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static inline void
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

/* What was written so far, NUL-terminated. */
static inline const char *
mem_text(struct mem *m)
{
	fflush(m->f);
	return m->buf;
}

static inline void
mem_close(struct mem *m)
{
	fclose(m->f);
	free(m->buf);
}

/* The row named by words ("gate peers list"), which the test expects to exist. */
static inline const struct cli_cmd *
cmd_of(const char *words)
{
	char buf[64], *argv[CLI_MAX_WORDS], *save = NULL;
	const struct cli_cmd *c;
	int argc = 0, n = -1;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *w = strtok_r(buf, " ", &save); w != NULL && argc < CLI_MAX_WORDS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	c = cli_find(argc, argv, &n);
	assert_non_null(c);
	assert_int_equal(n, argc);
	return c;
}

#endif
