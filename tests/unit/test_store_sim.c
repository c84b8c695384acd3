/*
 * Unit tests for SIM-based routing in the store (src/store/store_sim.c and
 * schema step 7 of store.c): the table read back in the order written,
 * devices and ranges alike, across a reopen; a put refused whole; the
 * enabled flag; rows vpgd would not write refused by the schema or read as
 * an I/O error; and a file from before the feature migrated with its
 * objects kept.
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
#include <sqlite3.h>
#include <unistd.h>

#include "core/sim_routes.h"
#include "store/store.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define IMSI_A		"999010000000001"
#define IMSI_B		"7"

struct fixture {
	char dir[64];
	char path[128];
	char err[256];
	struct store *st;
	struct sim_table table, got;
};

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char path[192];

	store_close(f->st);
	unlink(f->path);
	snprintf(path, sizeof(path), "%s-wal", f->path);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->path);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	strcpy(f->dir, "/tmp/vpgd-store-sim-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, STORE_FILE);
	f->st = store_open(f->dir, f->err, sizeof(f->err));
	if (f->st == NULL) {
		teardown(state);
		return -1;
	}
	return 0;
}

static void
reopen(struct fixture *f)
{
	store_close(f->st);
	f->st = store_open(f->dir, f->err, sizeof(f->err));
	if (f->st == NULL)
		fail_msg("reopen: %s", f->err);
}

/* Runs sql on a connection of the test's own, as a human with sqlite3 would: its result. */
static int
raw_exec(struct fixture *f, const char *sql)
{
	sqlite3 *db = NULL;
	int rc;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* A: two ranges; B: one, a host. */
static void
two_devices(struct sim_table *t)
{
	assert_int_equal(sim_table_add_device(t, IMSI_A), 0);
	assert_int_equal(sim_table_add_prefix(t, IP4(192, 168, 51, 0), 24), 0);
	assert_int_equal(sim_table_add_prefix(t, IP4(192, 168, 50, 0), 24), 0);
	assert_int_equal(sim_table_add_device(t, IMSI_B), 0);
	assert_int_equal(sim_table_add_prefix(t, IP4(203, 0, 113, 7), 32), 0);
}

static void
assert_tables_equal(const struct sim_table *a, const struct sim_table *b)
{
	assert_int_equal(a->n_devices, b->n_devices);
	assert_int_equal(a->n_prefixes, b->n_prefixes);
	for (unsigned i = 0; i < a->n_devices; i++) {
		assert_string_equal(a->device[i].imsi, b->device[i].imsi);
		assert_int_equal(a->device[i].first, b->device[i].first);
		assert_int_equal(a->device[i].n, b->device[i].n);
	}
	for (unsigned i = 0; i < a->n_prefixes; i++) {
		assert_int_equal(a->prefix[i].net_be, b->prefix[i].net_be);
		assert_int_equal(a->prefix[i].len, b->prefix[i].len);
	}
}

static void
test_store_sim_routes_put_get_in_order_across_reopen(void **state)
{
	struct fixture *f = *state;

	two_devices(&f->table);
	assert_int_equal(store_sim_routes_put(f->st, &f->table), 0);
	reopen(f);
	assert_int_equal(store_sim_routes_get(f->st, &f->got), 0);
	assert_tables_equal(&f->got, &f->table);
}

static void
test_store_sim_routes_never_set_empty(void **state)
{
	struct fixture *f = *state;

	f->got.n_devices = 9;
	assert_int_equal(store_sim_routes_get(f->st, &f->got), 0);
	assert_int_equal(f->got.n_devices, 0);
	assert_int_equal(f->got.n_prefixes, 0);
}

static void
test_store_sim_routes_put_replaces_whole_table(void **state)
{
	struct fixture *f = *state;
	struct sim_table *next = calloc(1, sizeof(*next));

	assert_non_null(next);
	two_devices(&f->table);
	assert_int_equal(store_sim_routes_put(f->st, &f->table), 0);
	assert_int_equal(sim_table_add_device(next, IMSI_B), 0);
	assert_int_equal(sim_table_add_prefix(next, IP4(192, 168, 50, 0), 24), 0);
	assert_int_equal(store_sim_routes_put(f->st, next), 0);
	assert_int_equal(store_sim_routes_get(f->st, &f->got), 0);
	assert_tables_equal(&f->got, next);
	free(next);
}

static void
test_store_sim_routes_range_twice_refused_unchanged(void **state)
{
	struct fixture *f = *state;
	struct sim_table *bad = calloc(1, sizeof(*bad));

	assert_non_null(bad);
	two_devices(&f->table);
	assert_int_equal(store_sim_routes_put(f->st, &f->table), 0);
	assert_int_equal(sim_table_add_device(bad, IMSI_A), 0);
	assert_int_equal(sim_table_add_prefix(bad, IP4(192, 168, 60, 0), 24), 0);
	assert_int_equal(sim_table_add_device(bad, IMSI_B), 0);
	assert_int_equal(sim_table_add_prefix(bad, IP4(192, 168, 60, 0), 24), 0);
	assert_int_equal(store_sim_routes_put(f->st, bad), -EINVAL);
	assert_int_equal(store_sim_routes_get(f->st, &f->got), 0);
	assert_tables_equal(&f->got, &f->table);
	free(bad);
}

static void
test_store_sim_routes_malformed_table_refused(void **state)
{
	struct fixture *f = *state;

	two_devices(&f->table);
	f->table.device[1].first = 0; /* not where its ranges are */
	assert_int_equal(store_sim_routes_put(f->st, &f->table), -EINVAL);
	memset(&f->table, 0, sizeof(f->table));
	assert_int_equal(sim_table_add_device(&f->table, "12a"), 0);
	assert_int_equal(sim_table_add_prefix(&f->table, IP4(192, 168, 60, 0), 24), 0);
	assert_int_equal(store_sim_routes_put(f->st, &f->table), -EINVAL);
	memset(&f->table, 0, sizeof(f->table));
	assert_int_equal(sim_table_add_device(&f->table, IMSI_A), 0);
	assert_int_equal(store_sim_routes_put(f->st, &f->table), -EINVAL);
}

static void
test_store_sim_enabled_never_set_enoent_then_kept(void **state)
{
	struct fixture *f = *state;
	bool on = true;

	assert_int_equal(store_sim_enabled_get(f->st, &on), -ENOENT);
	assert_true(on);
	assert_int_equal(store_sim_enabled_put(f->st, true), 0);
	reopen(f);
	assert_int_equal(store_sim_enabled_get(f->st, &on), 0);
	assert_true(on);
	assert_int_equal(store_sim_enabled_put(f->st, false), 0);
	assert_int_equal(store_sim_enabled_get(f->st, &on), 0);
	assert_false(on);
}

static void
test_store_sim_schema_refuses_bad_rows(void **state)
{
	static const char *const bad[] = {
		"INSERT INTO sim_routes VALUES (0, '', '192.168.50.0/24')",
		"INSERT INTO sim_routes VALUES (0, '1234567890123456', '192.168.50.0/24')",
		"INSERT INTO sim_routes VALUES (0, '99901a', '192.168.50.0/24')",
		"INSERT INTO sim_routes VALUES (-1, '1', '192.168.50.0/24')",
		"INSERT INTO sim_routes VALUES (0, '1', '192.168.50.0/24'),"
		" (1, '2', '192.168.50.0/24')",
		"INSERT INTO sim_based_routing VALUES (1, 2)",
		"INSERT INTO sim_based_routing VALUES (2, 1)",
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(raw_exec(f, bad[i]), SQLITE_CONSTRAINT);
	assert_int_equal(store_sim_routes_get(f->st, &f->got), 0);
	assert_int_equal(f->got.n_prefixes, 0);
}

static void
test_store_sim_routes_row_edited_by_hand_eio(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
	    raw_exec(f, "INSERT INTO sim_routes VALUES (0, '1', '192.168.50.1/24')"), SQLITE_OK);
	f->got.n_devices = 9;
	assert_int_equal(store_sim_routes_get(f->st, &f->got), -EIO);
	assert_int_equal(f->got.n_devices, 0);
}

/* A file from before SIM-based routing (step 7): step 8 adds the tables, other rows stay. */
static void
test_store_open_version_7_migrated_keeps_objects(void **state)
{
	struct fixture *f = *state;
	bool on;

	assert_int_equal(raw_exec(f, "INSERT INTO routing_filter VALUES (0, 'deny', '0.0.0.0/0');"
				     "DROP TABLE sim_routes; DROP TABLE sim_based_routing;"
				     "DROP TABLE packet_capture_sessions;"
				     "PRAGMA user_version = 7;"),
	    SQLITE_OK);
	reopen(f);
	assert_int_equal(raw_exec(f, "SELECT count(*) FROM sim_routes"), SQLITE_OK);
	assert_int_equal(store_sim_enabled_get(f->st, &on), -ENOENT);
	two_devices(&f->table);
	assert_int_equal(store_sim_routes_put(f->st, &f->table), 0);
	assert_int_equal(store_sim_routes_get(f->st, &f->got), 0);
	assert_tables_equal(&f->got, &f->table);
	assert_int_equal(raw_exec(f, "INSERT INTO routing_filter VALUES (0, 'allow', '1.0.0.0/8')"),
	    SQLITE_CONSTRAINT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_store_sim_routes_put_get_in_order_across_reopen),
		T(test_store_sim_routes_never_set_empty),
		T(test_store_sim_routes_put_replaces_whole_table),
		T(test_store_sim_routes_range_twice_refused_unchanged),
		T(test_store_sim_routes_malformed_table_refused),
		T(test_store_sim_enabled_never_set_enoent_then_kept),
		T(test_store_sim_schema_refuses_bad_rows),
		T(test_store_sim_routes_row_edited_by_hand_eio),
		T(test_store_open_version_7_migrated_keeps_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
