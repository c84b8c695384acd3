/*
 * Unit tests for the SQLite store (src/store/store.c). Each test gets a fresh
 * state directory made by mkdtemp and an open store in it; teardown closes
 * the store and removes the directory with everything SQLite left there.
 * Where a test must look at or damage the file behind the store's back it
 * uses a connection of its own, as an administrator's `sqlite3 vpgd.db`
 * would.
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
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"
#include "fwd/filter.h"
#include "inspect/inspect.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define IMSI_A		"999010000000001"
#define IMSI_B		"999010000000002"
#define IMSI_C		"999010000000003"
#define MAX_SEEN	8
/* The schema version a new file gets: the number of steps in store.c. */
#define SCHEMA_VERSION 9

struct fixture {
	char dir[64];
	char path[128];
	char err[256];
	struct store *st;
};

/* What store_map_foreach handed to the callback, in order. */
struct seen {
	size_t n;
	char imsi[MAX_SEEN][16];
	uint32_t addr[MAX_SEEN];
	int stop_after; /* return 1 after this many entries; 0: never */
};

static int
collect(void *arg, const char *imsi, uint32_t addr_be)
{
	struct seen *s = arg;

	if (s->n == MAX_SEEN)
		return -E2BIG;
	snprintf(s->imsi[s->n], sizeof(s->imsi[0]), "%s", imsi);
	s->addr[s->n++] = addr_be;
	return s->stop_after != 0 && s->n == (size_t)s->stop_after ? 1 : 0;
}

/* What store_gate_peer_foreach handed to the callback, in order. */
struct seen_peers {
	size_t n;
	uint32_t outer[MAX_SEEN];
	uint32_t inner[MAX_SEEN];
	int stop_after; /* return 1 after this many peers; 0: never */
};

static int
collect_peer(void *arg, uint32_t outer_be, uint32_t inner_be)
{
	struct seen_peers *s = arg;

	if (s->n == MAX_SEEN)
		return -E2BIG;
	s->outer[s->n] = outer_be;
	s->inner[s->n++] = inner_be;
	return s->stop_after != 0 && s->n == (size_t)s->stop_after ? 1 : 0;
}

static int
list_peers(struct fixture *f, struct seen_peers *s)
{
	int stop = s->stop_after;

	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	return store_gate_peer_foreach(f->st, collect_peer, s);
}

static int
list(struct fixture *f, struct seen *s)
{
	int stop = s->stop_after;

	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	return store_map_foreach(f->st, collect, s);
}

/* The state directory holds only vpgd.db and SQLite's -wal and -shm files. */
static int
teardown(void **state)
{
	struct fixture *f = *state;
	char path[384];
	struct dirent *e;
	DIR *d;

	store_close(f->st);
	d = opendir(f->dir);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
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
	strcpy(f->dir, "/tmp/vpgd-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, STORE_FILE);
	f->st = store_open(f->dir, f->err, sizeof(f->err));
	if (f->st == NULL) {
		fprintf(stderr, "store_open: %s\n", f->err);
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

/* Runs sql on a connection of the test's own, as a human with sqlite3 would. */
static void
raw_exec(struct fixture *f, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int
raw_int(struct fixture *f, const char *sql)
{
	sqlite3_stmt *s = NULL;
	sqlite3 *db = NULL;
	int v;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Replaces the state directory's database with a file written by sql. */
static void
replace_db(struct fixture *f, const char *sql)
{
	char wal[160], shm[160];

	store_close(f->st);
	f->st = NULL;
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	snprintf(shm, sizeof(shm), "%s-shm", f->path);
	unlink(f->path);
	unlink(wal);
	unlink(shm);
	raw_exec(f, sql);
}

static void
assert_open_refused(struct fixture *f, const char *why)
{
	f->err[0] = '\0';
	f->st = store_open(f->dir, f->err, sizeof(f->err));
	assert_null(f->st);
	if (strstr(f->err, f->path) == NULL || strstr(f->err, why) == NULL)
		fail_msg("error \"%s\" does not name %s with \"%s\"", f->err, f->path, why);
	assert_null(strchr(f->err, '\n'));
}

static void
test_store_open_new_file_mode_0600(void **state)
{
	struct fixture *f = *state;
	char wal[160];
	struct stat sb;

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

static void
test_store_open_missing_directory_fails_with_message(void **state)
{
	struct fixture *f = *state;
	char dir[96];

	snprintf(dir, sizeof(dir), "%s/absent", f->dir);
	f->err[0] = '\0';
	assert_null(store_open(dir, f->err, sizeof(f->err)));
	assert_non_null(strstr(f->err, dir));
	assert_non_null(strstr(f->err, strerror(ENOENT)));
	assert_null(strchr(f->err, '\n'));
}

static void
test_store_open_wal_journal_mode(void **state)
{
	struct fixture *f = *state;
	sqlite3_stmt *s = NULL;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void
test_store_open_migrations_applied_once(void **state)
{
	struct fixture *f = *state;
	int version = raw_int(f, "PRAGMA user_version");

	assert_true(version >= 1);
	assert_int_equal(store_meta_put(f->st, "marker", "kept"), 0);
	reopen(f);
	reopen(f);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), version);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM meta WHERE value = 'kept'"), 1);
}

static void
test_store_open_newer_schema_refused(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	raw_exec(f, "PRAGMA user_version = 1000");
	assert_open_refused(f, "written by a newer vpgd: schema version 1000");
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 1000);
}

static void
test_store_open_foreign_application_id_refused(void **state)
{
	struct fixture *f = *state;

	replace_db(f, "PRAGMA application_id = 42; CREATE TABLE t (x)");
	assert_open_refused(f, "not a vpgd database (application_id 0x2a)");
}

static void
test_store_open_foreign_tables_refused(void **state)
{
	struct fixture *f = *state;

	replace_db(f, "CREATE TABLE ip_address_map (x)");
	assert_open_refused(f, "not a vpgd database");
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 0);
}

static void
test_store_open_not_sqlite_refused(void **state)
{
	struct fixture *f = *state;
	FILE *fp;

	replace_db(f, "SELECT 1");
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("{ \"this is\": \"not a database, but long enough to have a header\" }\n", fp);
	fclose(fp);
	assert_open_refused(f, "not a database");
}

static void
test_store_map_put_foreach_returns_entry(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 50));
}

static void
test_store_map_foreach_empty_no_calls(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 0);
}

static void
test_store_map_put_same_imsi_replaces(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 51)), 0);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 51));
}

static void
test_store_map_put_same_entry_twice_ok(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
}

static void
test_store_map_put_stores_dotted_text(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ip_address_map WHERE imsi = '" IMSI_A
				    "' AND ip_address = '10.10.0.50'"),
	    1);
}

static void
test_store_map_put_taken_address_eexist_unchanged(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 50)), -EEXIST);
	assert_non_null(strstr(store_errmsg(f->st), "UNIQUE"));
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 50));
}

static void
test_store_map_put_replace_to_taken_address_eexist_unchanged(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 51)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 50)), -EEXIST);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 50));
	assert_int_equal(s.addr[1], IP4(10, 10, 0, 51));
}

static void
test_store_map_put_bad_imsi_einval(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, "12345", IP4(10, 10, 0, 50)), -EINVAL);
	assert_int_equal(store_map_put(f->st, "99901000000000x", IP4(10, 10, 0, 50)), -EINVAL);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 0);
}

static void
test_store_map_delete_removes_entry(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 51)), 0);
	assert_int_equal(store_map_delete(f->st, IMSI_A), 0);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_B);
}

static void
test_store_map_delete_absent_enoent(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_map_delete(f->st, IMSI_A), -ENOENT);
	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_delete(f->st, IMSI_A), 0);
	assert_int_equal(store_map_delete(f->st, IMSI_A), -ENOENT);
}

static void
test_store_map_delete_frees_address(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_delete(f->st, IMSI_A), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 50)), 0);
}

static void
test_store_map_foreach_sorted_by_imsi(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_C, IP4(10, 10, 0, 3)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 1)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 2)), 0);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_string_equal(s.imsi[1], IMSI_B);
	assert_string_equal(s.imsi[2], IMSI_C);
	assert_int_equal(s.addr[2], IP4(10, 10, 0, 3));
}

static void
test_store_map_foreach_callback_value_stops(void **state)
{
	struct fixture *f = *state;
	struct seen s = { .stop_after = 2 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 1)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 2)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_C, IP4(10, 10, 0, 3)), 0);
	assert_int_equal(list(f, &s), 1);
	assert_int_equal(s.n, 2);
	/* The statement was reset: the next walk starts over. */
	s.stop_after = 0;
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 3);
}

static void
test_store_map_foreach_malformed_row_eio(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	raw_exec(f, "INSERT INTO ip_address_map VALUES ('" IMSI_A "', '10.10.0')");
	assert_int_equal(list(f, &s), -EIO);
	assert_int_equal(s.n, 0);
	assert_non_null(strstr(store_errmsg(f->st), "malformed"));
}

static void
test_store_reopen_keeps_map(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };

	assert_int_equal(store_map_put(f->st, IMSI_A, IP4(10, 10, 0, 50)), 0);
	assert_int_equal(store_map_put(f->st, IMSI_B, IP4(10, 10, 0, 51)), 0);
	assert_int_equal(store_map_delete(f->st, IMSI_B), 0);
	reopen(f);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 50));
}

/*
 * A child that writes and is killed without closing stands for vpgd under
 * kill -9; the parent's store stays open meanwhile, as a restarted vpgd would
 * find the file with the -wal and -shm left behind.
 */
static void
test_store_map_put_survives_kill(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };
	int status;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* SQLite connections must not cross fork: the child opens its own. */
		struct store *child = store_open(f->dir, f->err, sizeof(f->err));

		if (child != NULL && store_map_put(child, IMSI_C, IP4(10, 10, 0, 99)) == 0)
			kill(getpid(), SIGKILL);
		_exit(1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	reopen(f);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_C);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 99));
}

static void
test_store_meta_get_absent_enoent(void **state)
{
	struct fixture *f = *state;
	char val[32] = "untouched";

	assert_int_equal(store_meta_get(f->st, "seeded", val, sizeof(val)), -ENOENT);
	assert_string_equal(val, "untouched");
}

static void
test_store_meta_put_get_round_trip(void **state)
{
	struct fixture *f = *state;
	char val[32];

	assert_int_equal(store_meta_put(f->st, "seeded", "1"), 0);
	assert_int_equal(store_meta_get(f->st, "seeded", val, sizeof(val)), 0);
	assert_string_equal(val, "1");
	assert_int_equal(store_meta_put(f->st, "seeded", "2"), 0);
	assert_int_equal(store_meta_get(f->st, "seeded", val, sizeof(val)), 0);
	assert_string_equal(val, "2");
}

static void
test_store_meta_get_empty_value(void **state)
{
	struct fixture *f = *state;
	char val[4] = "x";

	assert_int_equal(store_meta_put(f->st, "empty", ""), 0);
	assert_int_equal(store_meta_get(f->st, "empty", val, sizeof(val)), 0);
	assert_string_equal(val, "");
}

static void
test_store_meta_get_small_buffer_enospc(void **state)
{
	struct fixture *f = *state;
	char val[4];

	assert_int_equal(store_meta_put(f->st, "k", "abcd"), 0);
	assert_int_equal(store_meta_get(f->st, "k", val, sizeof(val)), -ENOSPC);
	assert_int_equal(store_meta_put(f->st, "k", "abc"), 0);
	assert_int_equal(store_meta_get(f->st, "k", val, sizeof(val)), 0);
	assert_string_equal(val, "abc");
}

static void
test_store_meta_reopen_keeps_value(void **state)
{
	struct fixture *f = *state;
	char val[32];

	assert_int_equal(store_meta_put(f->st, "seeded", "1"), 0);
	reopen(f);
	assert_int_equal(store_meta_get(f->st, "seeded", val, sizeof(val)), 0);
	assert_string_equal(val, "1");
}

static void
test_store_open_new_file_schema_version_latest(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				    " AND name IN ('meta', 'ip_address_map', 'gate', 'gate_peers',"
				    " 'redirection', 'routing_filter', 'mirroring_peers',"
				    " 'inspection', 'inspection_collectors', 'device_dns',"
				    " 'sim_based_routing', 'sim_routes')"),
	    12);
}

/*
 * Schema steps 1 and 2 exactly as vpgd shipped them (steps are never
 * edited), with the marks store_migrate sets (1987077988 is "vpgd" in
 * ASCII): a database written before the gate, and one written before
 * redirection.
 */
#define SCHEMA_STEP_1                                                                              \
	"CREATE TABLE meta ("                                                                      \
	" key TEXT PRIMARY KEY NOT NULL,"                                                          \
	" value TEXT NOT NULL"                                                                     \
	") WITHOUT ROWID;"                                                                         \
	"CREATE TABLE ip_address_map ("                                                            \
	" imsi TEXT PRIMARY KEY NOT NULL"                                                          \
	"  CHECK (length(imsi) BETWEEN 6 AND 15 AND imsi NOT GLOB '*[^0-9]*'),"                    \
	" ip_address TEXT NOT NULL UNIQUE"                                                         \
	") WITHOUT ROWID;"
#define SCHEMA_STEP_2                                                                              \
	"CREATE TABLE gate ("                                                                      \
	" id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"                                         \
	" open INTEGER NOT NULL CHECK (open IN (0, 1)),"                                           \
	" vxlan_id INTEGER NOT NULL CHECK (vxlan_id BETWEEN 1 AND 16777215),"                      \
	" privacy_separator INTEGER NOT NULL CHECK (privacy_separator IN (0, 1))"                  \
	");"                                                                                       \
	"CREATE TABLE gate_peers ("                                                                \
	" outer_ip_address TEXT PRIMARY KEY NOT NULL,"                                             \
	" inner_ip_address TEXT NOT NULL UNIQUE"                                                   \
	") WITHOUT ROWID;"
#define SCHEMA_V1 SCHEMA_STEP_1 "PRAGMA application_id = 1987077988; PRAGMA user_version = 1;"
#define SCHEMA_V2                                                                                  \
	SCHEMA_STEP_1 SCHEMA_STEP_2 "PRAGMA application_id = 1987077988; PRAGMA user_version = 2;"

static void
test_store_open_version_1_migrated_keeps_map(void **state)
{
	struct fixture *f = *state;
	struct store_gate g = { true, 77, true };
	struct seen_peers p = { 0 };
	struct seen s = { 0 };
	char val[8];

	replace_db(f, SCHEMA_V1 "INSERT INTO ip_address_map VALUES ('" IMSI_B "', '10.10.0.51');"
				"INSERT INTO ip_address_map VALUES ('" IMSI_A "', '10.10.0.50');"
				"INSERT INTO meta VALUES ('ip_map_seeded', '1');");
	reopen(f);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 50));
	assert_string_equal(s.imsi[1], IMSI_B);
	assert_int_equal(s.addr[1], IP4(10, 10, 0, 51));
	assert_int_equal(store_meta_get(f->st, "ip_map_seeded", val, sizeof(val)), 0);
	assert_string_equal(val, "1");
	assert_int_equal(store_gate_get(f->st, &g), -ENOENT);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
}

/* A v1 file where someone made a table "gate" by hand: step 2 fails, and undoes itself. */
static void
test_store_open_failed_step_2_rolled_back(void **state)
{
	struct fixture *f = *state;

	replace_db(f, SCHEMA_V1 "INSERT INTO ip_address_map VALUES ('" IMSI_A "', '10.10.0.50');"
				"CREATE TABLE gate (x);");
	assert_open_refused(f, "schema step 2");
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 1);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM sqlite_master WHERE name = 'gate_peers'"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM ip_address_map"), 1);
}

/* A file from before redirection: step 3 adds its table, every object stays. */
static void
test_store_open_version_2_migrated_keeps_map_gate_peers(void **state)
{
	struct fixture *f = *state;
	struct store_redirection r = { IP4(10, 10, 10, 99), false, "untouched" };
	struct store_gate g = { false, 0, false };
	struct seen_peers p = { 0 };
	struct seen s = { 0 };

	replace_db(f, SCHEMA_V2 "INSERT INTO ip_address_map VALUES ('" IMSI_A "', '10.10.0.50');"
				"INSERT INTO gate VALUES (1, 1, 42, 1);"
				"INSERT INTO gate_peers VALUES ('198.51.100.4', '10.10.10.11');"
				"INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.10');");
	reopen(f);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 50));
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_true(g.open);
	assert_int_equal(g.vni, 42);
	assert_true(g.privacy_separator);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 3));
	assert_int_equal(p.inner[0], IP4(10, 10, 10, 10));
	assert_int_equal(p.outer[1], IP4(198, 51, 100, 4));
	assert_int_equal(p.inner[1], IP4(10, 10, 10, 11));
	assert_int_equal(store_redirection_get(f->st, &r), -ENOENT);
	assert_string_equal(r.description, "untouched");
}

/* A v2 file where someone made a table "redirection" by hand: step 3 undoes itself. */
static void
test_store_open_failed_step_3_rolled_back(void **state)
{
	struct fixture *f = *state;

	replace_db(f, SCHEMA_V2 "INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.10');"
				"CREATE TABLE redirection (x);");
	assert_open_refused(f, "schema step 3");
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 2);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM gate_peers"), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM pragma_table_info('redirection')"), 1);
}

static void
test_store_gate_get_never_set_enoent(void **state)
{
	struct fixture *f = *state;
	struct store_gate g = { true, 77, true };

	assert_int_equal(store_gate_get(f->st, &g), -ENOENT);
	assert_true(g.open);
	assert_int_equal(g.vni, 77);
	assert_true(g.privacy_separator);
}

static void
test_store_gate_put_get_round_trip(void **state)
{
	struct fixture *f = *state;
	const struct store_gate in = { true, 10, false };
	struct store_gate g = { false, 0, true };

	assert_int_equal(store_gate_put(f->st, &in), 0);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_true(g.open);
	assert_int_equal(g.vni, 10);
	assert_false(g.privacy_separator);
}

static void
test_store_gate_put_again_replaces_one_row(void **state)
{
	struct fixture *f = *state;
	const struct store_gate a = { true, 10, false }, b = { false, 4242, true };
	struct store_gate g;

	assert_int_equal(store_gate_put(f->st, &a), 0);
	assert_int_equal(store_gate_put(f->st, &b), 0);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_false(g.open);
	assert_int_equal(g.vni, 4242);
	assert_true(g.privacy_separator);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM gate"), 1);
}

static void
test_store_gate_put_stores_readable_row(void **state)
{
	struct fixture *f = *state;
	const struct store_gate in = { true, 16777215, true };

	assert_int_equal(store_gate_put(f->st, &in), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM gate WHERE id = 1 AND open = 1"
				    " AND vxlan_id = 16777215 AND privacy_separator = 1"),
	    1);
}

static void
test_store_gate_put_vni_bounds_accepted(void **state)
{
	struct fixture *f = *state;
	const struct store_gate lo = { false, 1, false }, hi = { false, STORE_VNI_MAX, false };
	struct store_gate g;

	assert_int_equal(store_gate_put(f->st, &lo), 0);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_int_equal(g.vni, 1);
	assert_int_equal(store_gate_put(f->st, &hi), 0);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_int_equal(g.vni, 16777215);
}

static void
test_store_gate_put_vni_out_of_range_einval_unchanged(void **state)
{
	struct fixture *f = *state;
	const struct store_gate ok = { true, 10, false };
	const struct store_gate zero = { true, 0, false }, big = { true, 16777216, false };
	struct store_gate g;

	assert_int_equal(store_gate_put(f->st, &ok), 0);
	assert_int_equal(store_gate_put(f->st, &zero), -EINVAL);
	assert_non_null(strstr(store_errmsg(f->st), "VNI 0"));
	assert_int_equal(store_gate_put(f->st, &big), -EINVAL);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_int_equal(g.vni, 10);
}

static void
test_store_gate_get_malformed_row_eio(void **state)
{
	struct fixture *f = *state;
	struct store_gate g = { false, 77, false };

	raw_exec(f, "PRAGMA ignore_check_constraints = ON; INSERT INTO gate VALUES (1, 1, 0, 0)");
	assert_int_equal(store_gate_get(f->st, &g), -EIO);
	assert_int_equal(g.vni, 77);
	assert_non_null(strstr(store_errmsg(f->st), "malformed"));
}

static void
test_store_gate_reopen_keeps_settings(void **state)
{
	struct fixture *f = *state;
	const struct store_gate in = { true, 99, true };
	struct store_gate g;

	assert_int_equal(store_gate_put(f->st, &in), 0);
	reopen(f);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_true(g.open);
	assert_int_equal(g.vni, 99);
	assert_true(g.privacy_separator);
}

static void
test_store_gate_peer_add_foreach_returns_peer(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 3));
	assert_int_equal(p.inner[0], IP4(10, 10, 10, 10));
}

static void
test_store_gate_peer_foreach_empty_no_calls(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 0);
}

static void
test_store_gate_peer_add_stores_dotted_text(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM gate_peers WHERE outer_ip_address ="
				    " '198.51.100.3' AND inner_ip_address = '10.10.10.10'"),
	    1);
}

static void
test_store_gate_peer_add_same_outer_eexist_unchanged(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(
	    store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 11)), -EEXIST);
	assert_non_null(strstr(store_errmsg(f->st), "gate_peers add"));
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.inner[0], IP4(10, 10, 10, 10));
}

static void
test_store_gate_peer_add_same_inner_eexist_unchanged(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(
	    store_gate_peer_add(f->st, IP4(198, 51, 100, 4), IP4(10, 10, 10, 10)), -EEXIST);
	assert_non_null(strstr(store_errmsg(f->st), "UNIQUE"));
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 3));
}

static void
test_store_gate_peer_add_same_pair_twice_eexist(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(
	    store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), -EEXIST);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
}

static void
test_store_gate_peer_delete_removes_peer(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 4), IP4(10, 10, 10, 11)), 0);
	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 3)), 0);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 4));
	assert_int_equal(p.inner[0], IP4(10, 10, 10, 11));
}

static void
test_store_gate_peer_delete_absent_enoent(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 3)), -ENOENT);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	/* The inner address is not a key for delete. */
	assert_int_equal(store_gate_peer_delete(f->st, IP4(10, 10, 10, 10)), -ENOENT);
	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 3)), 0);
	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 3)), -ENOENT);
}

static void
test_store_gate_peer_delete_frees_both_addresses(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 3)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 4), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 11)), 0);
}

/* Text order would give 198.51.100.20, 198.51.100.3, 9.9.9.9: the opposite. */
static void
test_store_gate_peer_foreach_sorted_by_value_not_text(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 20), IP4(10, 10, 10, 1)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(9, 9, 9, 9), IP4(10, 10, 10, 2)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 3)), 0);
	assert_int_equal(
	    store_gate_peer_add(f->st, IP4(255, 255, 255, 254), IP4(10, 10, 10, 4)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(1, 0, 0, 0), IP4(10, 10, 10, 5)), 0);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.outer[0], IP4(1, 0, 0, 0));
	assert_int_equal(p.outer[1], IP4(9, 9, 9, 9));
	assert_int_equal(p.outer[2], IP4(198, 51, 100, 3));
	assert_int_equal(p.inner[2], IP4(10, 10, 10, 3));
	assert_int_equal(p.outer[3], IP4(198, 51, 100, 20));
	assert_int_equal(p.outer[4], IP4(255, 255, 255, 254));
}

static void
test_store_gate_peer_foreach_callback_value_stops(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { .stop_after = 1 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 4), IP4(10, 10, 10, 11)), 0);
	assert_int_equal(list_peers(f, &p), 1);
	assert_int_equal(p.n, 1);
	/* The statement was reset: the next walk starts over. */
	p.stop_after = 0;
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 2);
}

/* A hand-edited row sorts after the addresses, then stops the walk. */
static void
test_store_gate_peer_foreach_malformed_row_eio(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	raw_exec(f, "INSERT INTO gate_peers VALUES ('198.51.100', '10.10.10.11');"
		    "INSERT INTO gate_peers VALUES ('', '10.10.10.12')");
	assert_int_equal(list_peers(f, &p), -EIO);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 3));
	assert_non_null(strstr(store_errmsg(f->st), "gate_peers: malformed"));
}

static void
test_store_gate_peer_malformed_inner_eio(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	raw_exec(f, "INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.256')");
	assert_int_equal(list_peers(f, &p), -EIO);
	assert_int_equal(p.n, 0);
}

static void
test_store_gate_peer_reopen_keeps_peers(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 4), IP4(10, 10, 10, 11)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 5), IP4(10, 10, 10, 12)), 0);
	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 5)), 0);
	reopen(f);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 3));
	assert_int_equal(p.inner[0], IP4(10, 10, 10, 10));
	assert_int_equal(p.outer[1], IP4(198, 51, 100, 4));
	assert_int_equal(p.inner[1], IP4(10, 10, 10, 11));
}

/* The schema does not depend on vpgd's collation: a sqlite3 shell can still edit it. */
static void
test_store_gate_peer_table_editable_without_vpgd(void **state)
{
	struct fixture *f = *state;
	struct seen_peers p = { 0 };

	raw_exec(f, "INSERT INTO gate_peers VALUES ('198.51.100.9', '10.10.10.9');"
		    "SELECT * FROM gate_peers ORDER BY outer_ip_address");
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 9));
}

static void
assert_redirection(struct fixture *f, uint32_t gateway_be, bool enabled, const char *description)
{
	struct store_redirection r;

	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(store_redirection_get(f->st, &r), 0);
	assert_int_equal(r.gateway_be, gateway_be);
	assert_int_equal(r.enabled, enabled);
	assert_string_equal(r.description, description);
}

static void
test_store_redirection_get_never_set_enoent(void **state)
{
	struct fixture *f = *state;
	struct store_redirection r = { IP4(10, 10, 10, 99), true, "untouched" };

	assert_int_equal(store_redirection_get(f->st, &r), -ENOENT);
	assert_int_equal(r.gateway_be, IP4(10, 10, 10, 99));
	assert_true(r.enabled);
	assert_string_equal(r.description, "untouched");
}

static void
test_store_redirection_put_get_round_trip(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection in = { IP4(10, 10, 10, 10), true, "to the LAN" };

	assert_int_equal(store_redirection_put(f->st, &in), 0);
	assert_redirection(f, IP4(10, 10, 10, 10), true, "to the LAN");
}

static void
test_store_redirection_put_disabled_empty_description_round_trip(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection in = { IP4(10, 10, 10, 10), false, "" };

	assert_int_equal(store_redirection_put(f->st, &in), 0);
	assert_redirection(f, IP4(10, 10, 10, 10), false, "");
}

static void
test_store_redirection_put_again_replaces_one_row(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection a = { IP4(10, 10, 10, 10), true, "first" };
	const struct store_redirection b = { IP4(10, 10, 10, 11), false, "moved" };

	assert_int_equal(store_redirection_put(f->st, &a), 0);
	assert_int_equal(store_redirection_put(f->st, &b), 0);
	assert_redirection(f, IP4(10, 10, 10, 11), false, "moved");
	assert_int_equal(raw_int(f, "SELECT count(*) FROM redirection"), 1);
}

static void
test_store_redirection_put_stores_readable_row(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection in = { IP4(10, 10, 10, 10), true, "to the LAN" };

	assert_int_equal(store_redirection_put(f->st, &in), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM redirection WHERE id = 1"
				    " AND gateway = '10.10.10.10' AND enabled = 1"
				    " AND description = 'to the LAN'"),
	    1);
}

/* 255 bytes is the limit, whatever they encode: here 85 three-byte characters. */
static void
test_store_redirection_put_255_bytes_description_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store_redirection in = { IP4(10, 10, 10, 10), true, "" };

	for (size_t i = 0; i < 255; i += 3)
		memcpy(in.description + i, "\xe2\x82\xac", 3);
	assert_int_equal(strlen(in.description), 255);
	assert_int_equal(store_redirection_put(f->st, &in), 0);
	assert_redirection(f, IP4(10, 10, 10, 10), true, in.description);
}

static void
test_store_redirection_put_unterminated_description_einval_unchanged(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection ok = { IP4(10, 10, 10, 10), true, "kept" };
	struct store_redirection bad = { IP4(10, 10, 10, 11), false, "" };

	memset(bad.description, 'x', sizeof(bad.description));
	assert_int_equal(store_redirection_put(f->st, &ok), 0);
	assert_int_equal(store_redirection_put(f->st, &bad), -EINVAL);
	assert_non_null(strstr(store_errmsg(f->st), "description"));
	assert_redirection(f, IP4(10, 10, 10, 10), true, "kept");
}

static void
test_store_redirection_delete_removes_row(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection in = { IP4(10, 10, 10, 10), true, "" };
	struct store_redirection r;

	assert_int_equal(store_redirection_put(f->st, &in), 0);
	assert_int_equal(store_redirection_delete(f->st), 0);
	assert_int_equal(store_redirection_get(f->st, &r), -ENOENT);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM redirection"), 0);
}

static void
test_store_redirection_delete_absent_enoent(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection in = { IP4(10, 10, 10, 10), true, "" };

	assert_int_equal(store_redirection_delete(f->st), -ENOENT);
	assert_int_equal(store_redirection_put(f->st, &in), 0);
	assert_int_equal(store_redirection_delete(f->st), 0);
	assert_int_equal(store_redirection_delete(f->st), -ENOENT);
}

/* Whether the gateway is a peer is the API's question: the store keeps either. */
static void
test_store_redirection_independent_of_gate_peers(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection in = { IP4(10, 10, 10, 10), true, "" };
	struct seen_peers p = { 0 };

	assert_int_equal(store_redirection_put(f->st, &in), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 3)), 0);
	assert_redirection(f, IP4(10, 10, 10, 10), true, "");
	assert_int_equal(store_redirection_delete(f->st), 0);
	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
}

/* Each row is edited past the schema's checks, as only a hand edit could. */
static void
assert_redirection_row_eio(struct fixture *f, const char *values)
{
	struct store_redirection r = { IP4(10, 10, 10, 99), true, "untouched" };
	char sql[512];

	snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = ON; DELETE FROM redirection;"
	    " INSERT INTO redirection VALUES (1, %s)",
	    values);
	raw_exec(f, sql);
	assert_int_equal(store_redirection_get(f->st, &r), -EIO);
	assert_int_equal(r.gateway_be, IP4(10, 10, 10, 99));
	assert_string_equal(r.description, "untouched");
	assert_non_null(strstr(store_errmsg(f->st), "redirection: malformed"));
}

static void
test_store_redirection_get_malformed_row_eio(void **state)
{
	struct fixture *f = *state;

	assert_redirection_row_eio(f, "'10.10.10', 1, ''");
	assert_redirection_row_eio(f, "'10.10.10.10', 2, ''");
	assert_redirection_row_eio(f, "'10.10.10.10', 'yes', ''");
	assert_redirection_row_eio(f, "'10.10.10.10', 1, x'41'");
	assert_redirection_row_eio(f, "'10.10.10.10', 1, 'a' || char(0) || 'b'");
	assert_redirection_row_eio(f, "'10.10.10.10', 1, printf('%.256c', 'x')");
}

static void
test_store_redirection_schema_refuses_long_description(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
			     "INSERT INTO redirection VALUES (1, '10.10.10.10', 1,"
			     " printf('%.256c', 'x'))",
			     NULL, NULL, NULL),
	    SQLITE_CONSTRAINT);
	sqlite3_close(db);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM redirection"), 0);
}

static void
test_store_redirection_reopen_keeps_setting(void **state)
{
	struct fixture *f = *state;
	const struct store_redirection in = { IP4(10, 10, 10, 10), false, "to the LAN" };

	assert_int_equal(store_redirection_put(f->st, &in), 0);
	reopen(f);
	assert_redirection(f, IP4(10, 10, 10, 10), false, "to the LAN");
	assert_int_equal(store_redirection_delete(f->st), 0);
	reopen(f);
	assert_int_equal(store_redirection_delete(f->st), -ENOENT);
}

/* Schema step 3 as shipped, and a database written before the routing filter. */
#define SCHEMA_STEP_3                                                                              \
	"CREATE TABLE redirection ("                                                               \
	" id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"                                         \
	" gateway TEXT NOT NULL,"                                                                  \
	" enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"                                     \
	" description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 255)"              \
	");"
#define SCHEMA_V3                                                                                  \
	SCHEMA_STEP_1 SCHEMA_STEP_2 SCHEMA_STEP_3                                                  \
	    "PRAGMA application_id = 1987077988; PRAGMA user_version = 3;"

/* A file from before the routing filter: step 4 adds its table, every object stays. */
static void
test_store_open_version_3_migrated_keeps_objects(void **state)
{
	struct fixture *f = *state;
	const struct filter_rule in[] = { { FILTER_DENY, 0, 0 } };
	struct filter_rule out[2];
	struct store_redirection r;
	struct store_gate g;
	struct seen_peers p = { 0 };
	struct seen s = { 0 };
	unsigned n = 99;

	replace_db(f,
	    SCHEMA_V3 "INSERT INTO ip_address_map VALUES ('" IMSI_A "', '10.10.0.50');"
		      "INSERT INTO gate VALUES (1, 1, 42, 0);"
		      "INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.10');"
		      "INSERT INTO redirection VALUES (1, '10.10.10.10', 1, 'to the LAN');");
	reopen(f);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_int_equal(g.vni, 42);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(store_redirection_get(f->st, &r), 0);
	assert_string_equal(r.description, "to the LAN");
	assert_int_equal(store_filter_get(f->st, out, 2, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_filter_put(f->st, in, 1), 0);
	assert_int_equal(store_filter_get(f->st, out, 2, &n), 0);
	assert_int_equal(n, 1);
}

/* A v3 file where someone made a table "routing_filter" by hand: step 4 undoes itself. */
static void
test_store_open_failed_step_4_rolled_back(void **state)
{
	struct fixture *f = *state;

	replace_db(f, SCHEMA_V3 "INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.10');"
				"CREATE TABLE routing_filter (x);");
	assert_open_refused(f, "schema step 4");
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 3);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM gate_peers"), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM pragma_table_info('routing_filter')"), 1);
}

/* The example of docs/API.md, with a /32 between its two rules. */
#define N_EXAMPLE 3

static const struct filter_rule *
example(void)
{
	static struct filter_rule r[N_EXAMPLE];

	r[0] = (struct filter_rule){ FILTER_ALLOW, IP4(10, 0, 0, 0), 16 };
	r[1] = (struct filter_rule){ FILTER_DENY, IP4(192, 0, 2, 7), 32 };
	r[2] = (struct filter_rule){ FILTER_DENY, 0, 0 };
	return r;
}

static void
assert_filter(struct fixture *f, const struct filter_rule *want, unsigned n_want)
{
	struct filter_rule out[FILTER_MAX_RULES + 1];
	unsigned n = 9999;

	memset(out, 0xa5, sizeof(out));
	assert_int_equal(store_filter_get(f->st, out, FILTER_MAX_RULES + 1, &n), 0);
	assert_int_equal(n, n_want);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(out[i].action, want[i].action);
		assert_int_equal(out[i].net_be, want[i].net_be);
		assert_int_equal(out[i].prefix, want[i].prefix);
	}
}

static void
test_store_filter_get_never_set_empty(void **state)
{
	struct fixture *f = *state;
	struct filter_rule out[1];
	unsigned n = 99;

	assert_int_equal(store_filter_get(f->st, out, 1, &n), 0);
	assert_int_equal(n, 0);
}

static void
test_store_filter_put_get_round_trip_in_order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	assert_filter(f, example(), N_EXAMPLE);
}

static void
test_store_filter_put_stores_readable_rows(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM routing_filter WHERE"
		       " (position, action, cidr) IN (VALUES (0, 'allow', '10.0.0.0/16'),"
		       " (1, 'deny', '192.0.2.7/32'), (2, 'deny', '0.0.0.0/0'))"),
	    3);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM routing_filter"), 3);
}

static void
test_store_filter_put_replaces_whole_list(void **state)
{
	struct fixture *f = *state;
	const struct filter_rule one[] = { { FILTER_ALLOW, IP4(172, 16, 0, 0), 12 } };

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	assert_int_equal(store_filter_put(f->st, one, 1), 0);
	assert_filter(f, one, 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM routing_filter"), 1);
}

static void
test_store_filter_put_empty_clears(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	assert_int_equal(store_filter_put(f->st, NULL, 0), 0);
	assert_filter(f, NULL, 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM routing_filter"), 0);
}

static void
fill_rules(struct filter_rule *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		r[i].action = i % 3 == 0 ? FILTER_DENY : FILTER_ALLOW;
		r[i].net_be = IP4(10, i, 0, 0);
		r[i].prefix = 16;
	}
}

static void
test_store_filter_put_64_rules_round_trip(void **state)
{
	struct fixture *f = *state;
	struct filter_rule r[FILTER_MAX_RULES];

	fill_rules(r, FILTER_MAX_RULES);
	assert_int_equal(store_filter_put(f->st, r, FILTER_MAX_RULES), 0);
	assert_filter(f, r, FILTER_MAX_RULES);
}

static void
test_store_filter_put_65_rules_einval_unchanged(void **state)
{
	struct fixture *f = *state;
	struct filter_rule r[FILTER_MAX_RULES + 1];

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	fill_rules(r, FILTER_MAX_RULES + 1);
	assert_int_equal(store_filter_put(f->st, r, FILTER_MAX_RULES + 1), -EINVAL);
	assert_non_null(strstr(store_errmsg(f->st), "routing_filter"));
	assert_filter(f, example(), N_EXAMPLE);
}

/* The third rule has host bits set: none of the list is stored, the old one stays. */
static void
test_store_filter_put_host_bits_einval_unchanged(void **state)
{
	struct fixture *f = *state;
	const struct filter_rule bad[] = { { FILTER_ALLOW, IP4(10, 1, 0, 0), 16 },
		{ FILTER_DENY, IP4(10, 2, 0, 0), 16 }, { FILTER_DENY, IP4(10, 0, 0, 1), 16 } };

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	assert_int_equal(store_filter_put(f->st, bad, 3), -EINVAL);
	assert_filter(f, example(), N_EXAMPLE);
}

static void
test_store_filter_put_bad_prefix_or_action_einval(void **state)
{
	struct fixture *f = *state;
	const struct filter_rule prefix[] = { { FILTER_DENY, IP4(10, 0, 0, 1), 33 } };
	const struct filter_rule action[] = { { (enum filter_action)7, IP4(10, 0, 0, 0), 8 } };

	assert_int_equal(store_filter_put(f->st, prefix, 1), -EINVAL);
	assert_int_equal(store_filter_put(f->st, action, 1), -EINVAL);
	assert_filter(f, NULL, 0);
}

/*
 * A trigger added by hand makes the insert of the second rule fail after
 * the delete and the first insert ran: the transaction undoes them both.
 */
static void
test_store_filter_put_failure_midway_rolled_back(void **state)
{
	struct fixture *f = *state;
	const struct filter_rule two[] = { { FILTER_ALLOW, IP4(10, 1, 0, 0), 16 },
		{ FILTER_DENY, 0, 0 } };

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	raw_exec(f, "CREATE TRIGGER refuse_second BEFORE INSERT ON routing_filter"
		    " WHEN NEW.position = 1 BEGIN SELECT RAISE(ABORT, 'refused'); END");
	assert_int_equal(store_filter_put(f->st, two, 2), -EIO);
	assert_non_null(strstr(store_errmsg(f->st), "refused"));
	assert_filter(f, example(), N_EXAMPLE);
	raw_exec(f, "DROP TRIGGER refuse_second");
	assert_int_equal(store_filter_put(f->st, two, 2), 0);
	assert_filter(f, two, 2);
}

static void
test_store_filter_get_more_than_cap_enospc(void **state)
{
	struct fixture *f = *state;
	struct filter_rule out[N_EXAMPLE];
	unsigned n = 99;

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	assert_int_equal(store_filter_get(f->st, out, N_EXAMPLE - 1, &n), -ENOSPC);
	assert_int_equal(n, 99);
	assert_int_equal(store_filter_get(f->st, out, N_EXAMPLE, &n), 0);
	assert_int_equal(n, N_EXAMPLE);
}

/* Rows written out of order by hand come back in position order. */
static void
test_store_filter_get_ordered_by_position(void **state)
{
	struct fixture *f = *state;
	const struct filter_rule want[] = { { FILTER_ALLOW, IP4(10, 0, 0, 0), 8 },
		{ FILTER_DENY, IP4(10, 9, 0, 0), 16 }, { FILTER_ALLOW, 0, 0 } };

	raw_exec(f, "INSERT INTO routing_filter VALUES (10, 'allow', '0.0.0.0/0');"
		    "INSERT INTO routing_filter VALUES (0, 'allow', '10.0.0.0/8');"
		    "INSERT INTO routing_filter VALUES (2, 'deny', '10.9.0.0/16');");
	assert_filter(f, want, 3);
}

/* Each row is edited past the schema's checks, as only a hand edit could. */
static void
assert_filter_row_eio(struct fixture *f, const char *values)
{
	struct filter_rule out[4];
	unsigned n = 99;
	char sql[256];

	snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = ON; DELETE FROM routing_filter;"
	    " INSERT INTO routing_filter VALUES (0, 'allow', '10.0.0.0/8'), %s",
	    values);
	raw_exec(f, sql);
	assert_int_equal(store_filter_get(f->st, out, 4, &n), -EIO);
	assert_int_equal(n, 99);
	assert_non_null(strstr(store_errmsg(f->st), "routing_filter: malformed"));
}

static void
test_store_filter_get_malformed_row_eio(void **state)
{
	struct fixture *f = *state;

	assert_filter_row_eio(f, "(1, 'permit', '10.1.0.0/16')");
	assert_filter_row_eio(f, "(1, 'deny', '10.1.0.1/16')");
	assert_filter_row_eio(f, "(1, 'deny', '10.1.0.0')");
	assert_filter_row_eio(f, "(1, 'deny', '10.1.0.0/33')");
	assert_filter_row_eio(f, "(1, 'deny', x'41')");
	assert_filter_row_eio(f, "(1, 'Deny', '10.1.0.0/16')");
	assert_filter_row_eio(f, "(1, 'deny', ' 10.1.0.0/16')");
}

static void
test_store_filter_schema_refuses_bad_action(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "INSERT INTO routing_filter VALUES (0, 'permit', '10.0.0.0/8')", NULL,
		NULL, NULL),
	    SQLITE_CONSTRAINT);
	assert_int_equal(
	    sqlite3_exec(db, "INSERT INTO routing_filter VALUES (-1, 'deny', '10.0.0.0/8')", NULL,
		NULL, NULL),
	    SQLITE_CONSTRAINT);
	sqlite3_close(db);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM routing_filter"), 0);
}

static void
test_store_filter_reopen_keeps_list(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_filter_put(f->st, example(), N_EXAMPLE), 0);
	reopen(f);
	assert_filter(f, example(), N_EXAMPLE);
}

/* Schema step 4 as shipped, and a database written before junction mirroring. */
#define SCHEMA_STEP_4                                                                              \
	"CREATE TABLE routing_filter ("                                                            \
	" position INTEGER PRIMARY KEY NOT NULL CHECK (position >= 0),"                            \
	" action TEXT NOT NULL CHECK (action IN ('allow', 'deny')),"                               \
	" cidr TEXT NOT NULL"                                                                      \
	");"
#define SCHEMA_V4                                                                                  \
	SCHEMA_STEP_1 SCHEMA_STEP_2 SCHEMA_STEP_3 SCHEMA_STEP_4                                    \
	    "PRAGMA application_id = 1987077988; PRAGMA user_version = 4;"

/* What store_mirror_foreach handed to the callback, in order. */
struct seen_mirrors {
	size_t n;
	struct store_mirror_peer p[MAX_SEEN];
	int stop_after; /* return 1 after this many peers; 0: never */
};

static int
collect_mirror(void *arg, const struct store_mirror_peer *p)
{
	struct seen_mirrors *s = arg;

	if (s->n == MAX_SEEN)
		return -E2BIG;
	s->p[s->n++] = *p;
	return s->stop_after != 0 && s->n == (size_t)s->stop_after ? 1 : 0;
}

static int
list_mirrors(struct fixture *f, struct seen_mirrors *s)
{
	int stop = s->stop_after;

	memset(s, 0, sizeof(*s));
	s->stop_after = stop;
	return store_mirror_foreach(f->st, collect_mirror, s);
}

static void
assert_mirror(const struct store_mirror_peer *p, uint32_t addr_be, bool enabled, const char *desc)
{
	assert_int_equal(p->addr_be, addr_be);
	assert_int_equal(p->enabled, enabled);
	assert_string_equal(p->description, desc);
}

static void
put_mirror(struct fixture *f, uint32_t addr_be, bool enabled, const char *desc)
{
	struct store_mirror_peer p = { addr_be, enabled, "" };

	snprintf(p.description, sizeof(p.description), "%s", desc);
	assert_int_equal(store_mirror_put(f->st, &p), 0);
}

/* A file from before mirroring: step 5 adds its table, every object stays. */
static void
test_store_open_version_4_migrated_keeps_objects(void **state)
{
	struct fixture *f = *state;
	struct filter_rule out[2];
	struct store_redirection r;
	struct store_gate g;
	struct seen_mirrors m = { 0 };
	struct seen_peers p = { 0 };
	struct seen s = { 0 };
	unsigned n = 99;
	char val[8];

	replace_db(f,
	    SCHEMA_V4 "INSERT INTO meta VALUES ('ip_map_seeded', '1');"
		      "INSERT INTO ip_address_map VALUES ('" IMSI_A "', '10.10.0.50');"
		      "INSERT INTO gate VALUES (1, 1, 42, 1);"
		      "INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.10');"
		      "INSERT INTO redirection VALUES (1, '10.10.10.10', 0, 'to the LAN');"
		      "INSERT INTO routing_filter VALUES (0, 'allow', '10.0.0.0/16');"
		      "INSERT INTO routing_filter VALUES (1, 'deny', '0.0.0.0/0');");
	reopen(f);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(store_meta_get(f->st, "ip_map_seeded", val, sizeof(val)), 0);
	assert_string_equal(val, "1");
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(s.addr[0], IP4(10, 10, 0, 50));
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_true(g.open);
	assert_int_equal(g.vni, 42);
	assert_true(g.privacy_separator);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.outer[0], IP4(198, 51, 100, 3));
	assert_int_equal(p.inner[0], IP4(10, 10, 10, 10));
	assert_int_equal(store_redirection_get(f->st, &r), 0);
	assert_int_equal(r.gateway_be, IP4(10, 10, 10, 10));
	assert_false(r.enabled);
	assert_string_equal(r.description, "to the LAN");
	assert_int_equal(store_filter_get(f->st, out, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].action, FILTER_ALLOW);
	assert_int_equal(out[0].net_be, IP4(10, 0, 0, 0));
	assert_int_equal(out[0].prefix, 16);
	assert_int_equal(out[1].action, FILTER_DENY);
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 0);
	put_mirror(f, IP4(203, 0, 113, 7), true, "");
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
}

/* A v4 file where someone made a table "mirroring_peers" by hand: step 5 undoes itself. */
static void
test_store_open_failed_step_5_rolled_back(void **state)
{
	struct fixture *f = *state;

	replace_db(f, SCHEMA_V4 "INSERT INTO routing_filter VALUES (0, 'deny', '0.0.0.0/0');"
				"CREATE TABLE mirroring_peers (x);");
	assert_open_refused(f, "schema step 5");
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 4);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM routing_filter"), 1);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM pragma_table_info('mirroring_peers')"), 1);
}

static void
test_store_mirror_put_foreach_returns_peer(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };

	put_mirror(f, IP4(203, 0, 113, 7), true, "tap");
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 7), true, "tap");
}

static void
test_store_mirror_foreach_empty_no_calls(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };

	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 0);
}

static void
test_store_mirror_put_stores_readable_row(void **state)
{
	struct fixture *f = *state;

	put_mirror(f, IP4(203, 0, 113, 7), false, "tap");
	assert_int_equal(raw_int(f, "SELECT count(*) FROM mirroring_peers WHERE"
				    " ip_address = '203.0.113.7' AND protocol = 'gre'"
				    " AND enabled = 0 AND description = 'tap'"),
	    1);
}

static void
test_store_mirror_put_same_address_replaces_one_row(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };

	put_mirror(f, IP4(203, 0, 113, 7), true, "first");
	put_mirror(f, IP4(203, 0, 113, 8), true, "other");
	put_mirror(f, IP4(203, 0, 113, 7), false, "");
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 2);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 7), false, "");
	assert_mirror(&m.p[1], IP4(203, 0, 113, 8), true, "other");
	assert_int_equal(raw_int(f, "SELECT count(*) FROM mirroring_peers"), 2);
}

/* 255 bytes is the limit, whatever they encode: here 85 three-byte characters. */
static void
test_store_mirror_put_255_bytes_description_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store_mirror_peer in = { IP4(203, 0, 113, 7), true, "" };
	struct seen_mirrors m = { 0 };

	for (size_t i = 0; i < 255; i += 3)
		memcpy(in.description + i, "\xe2\x82\xac", 3);
	assert_int_equal(strlen(in.description), 255);
	assert_int_equal(store_mirror_put(f->st, &in), 0);
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 7), true, in.description);
}

static void
test_store_mirror_put_unterminated_description_einval_unchanged(void **state)
{
	struct fixture *f = *state;
	struct store_mirror_peer bad = { IP4(203, 0, 113, 7), false, "" };
	struct seen_mirrors m = { 0 };

	put_mirror(f, IP4(203, 0, 113, 7), true, "kept");
	memset(bad.description, 'x', sizeof(bad.description));
	assert_int_equal(store_mirror_put(f->st, &bad), -EINVAL);
	assert_non_null(strstr(store_errmsg(f->st), "description"));
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 7), true, "kept");
}

static void
test_store_mirror_delete_removes_peer(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };

	put_mirror(f, IP4(203, 0, 113, 7), true, "");
	put_mirror(f, IP4(203, 0, 113, 8), false, "b");
	assert_int_equal(store_mirror_delete(f->st, IP4(203, 0, 113, 7)), 0);
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 8), false, "b");
}

static void
test_store_mirror_delete_absent_enoent(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_mirror_delete(f->st, IP4(203, 0, 113, 7)), -ENOENT);
	put_mirror(f, IP4(203, 0, 113, 7), true, "");
	assert_int_equal(store_mirror_delete(f->st, IP4(203, 0, 113, 70)), -ENOENT);
	assert_int_equal(store_mirror_delete(f->st, IP4(203, 0, 113, 7)), 0);
	assert_int_equal(store_mirror_delete(f->st, IP4(203, 0, 113, 7)), -ENOENT);
}

/* Text order would give 203.0.113.10, 203.0.113.7, 9.9.9.9: the opposite. */
static void
test_store_mirror_foreach_sorted_by_value_not_text(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };

	put_mirror(f, IP4(203, 0, 113, 10), true, "c");
	put_mirror(f, IP4(9, 9, 9, 9), true, "a");
	put_mirror(f, IP4(203, 0, 113, 7), false, "b");
	put_mirror(f, IP4(255, 255, 255, 254), true, "d");
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 4);
	assert_mirror(&m.p[0], IP4(9, 9, 9, 9), true, "a");
	assert_mirror(&m.p[1], IP4(203, 0, 113, 7), false, "b");
	assert_mirror(&m.p[2], IP4(203, 0, 113, 10), true, "c");
	assert_mirror(&m.p[3], IP4(255, 255, 255, 254), true, "d");
}

static void
test_store_mirror_foreach_callback_value_stops(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { .stop_after = 1 };

	put_mirror(f, IP4(203, 0, 113, 7), true, "");
	put_mirror(f, IP4(203, 0, 113, 8), true, "");
	assert_int_equal(list_mirrors(f, &m), 1);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.p[0].addr_be, IP4(203, 0, 113, 7));
	/* The statement was reset: the next walk starts from the first row. */
	m.stop_after = 0;
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 2);
}

/* Each row is edited past the schema's checks, as only a hand edit could. */
static void
assert_mirror_row_eio(struct fixture *f, const char *values)
{
	struct seen_mirrors m = { 0 };
	char sql[512];

	snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = ON; DELETE FROM mirroring_peers;"
	    " INSERT INTO mirroring_peers VALUES %s",
	    values);
	raw_exec(f, sql);
	assert_int_equal(list_mirrors(f, &m), -EIO);
	assert_int_equal(m.n, 0);
	assert_non_null(strstr(store_errmsg(f->st), "mirroring_peers: malformed"));
}

static void
test_store_mirror_foreach_malformed_row_eio(void **state)
{
	struct fixture *f = *state;

	assert_mirror_row_eio(f, "('203.0.113', 'gre', 1, '')");
	assert_mirror_row_eio(f, "('203.0.113.7/32', 'gre', 1, '')");
	assert_mirror_row_eio(f, "('203.0.113.7', 'GRE', 1, '')");
	assert_mirror_row_eio(f, "('203.0.113.7', 'vxlan', 1, '')");
	assert_mirror_row_eio(f, "('203.0.113.7', 'gre', 2, '')");
	assert_mirror_row_eio(f, "('203.0.113.7', 'gre', 'yes', '')");
	assert_mirror_row_eio(f, "('203.0.113.7', 'gre', 1, x'41')");
	assert_mirror_row_eio(f, "('203.0.113.7', 'gre', 1, 'a' || char(0) || 'b')");
	assert_mirror_row_eio(f, "('203.0.113.7', 'gre', 1, printf('%.256c', 'x'))");
}

static void
test_store_mirror_schema_refuses_bad_rows(void **state)
{
	static const char *const bad[] = {
		"INSERT INTO mirroring_peers VALUES ('203.0.113.7', 'ipip', 1, '')",
		"INSERT INTO mirroring_peers VALUES ('203.0.113.7', 'gre', 2, '')",
		"INSERT INTO mirroring_peers VALUES ('203.0.113.7', 'gre', 1,"
		" printf('%.256c', 'x'))",
		"INSERT INTO mirroring_peers VALUES (NULL, 'gre', 1, '')",
	};
	struct fixture *f = *state;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sqlite3_exec(db, bad[i], NULL, NULL, NULL), SQLITE_CONSTRAINT);
	sqlite3_close(db);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM mirroring_peers"), 0);
}

/* The schema does not depend on vpgd's collation: a sqlite3 shell can still edit it. */
static void
test_store_mirror_table_editable_without_vpgd(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };

	raw_exec(f, "INSERT INTO mirroring_peers VALUES ('203.0.113.9', 'gre', 0, 'by hand');"
		    "SELECT * FROM mirroring_peers ORDER BY ip_address");
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 9), false, "by hand");
}

/* An address may be a gate peer's and a mirroring peer's: the tables do not meet. */
static void
test_store_mirror_independent_of_gate_peers(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };
	struct seen_peers p = { 0 };

	assert_int_equal(store_gate_peer_add(f->st, IP4(198, 51, 100, 3), IP4(10, 10, 10, 10)), 0);
	put_mirror(f, IP4(198, 51, 100, 3), true, "");
	assert_int_equal(store_gate_peer_delete(f->st, IP4(198, 51, 100, 3)), 0);
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(store_mirror_delete(f->st, IP4(198, 51, 100, 3)), 0);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 0);
}

static void
test_store_mirror_reopen_keeps_peers(void **state)
{
	struct fixture *f = *state;
	struct seen_mirrors m = { 0 };

	put_mirror(f, IP4(203, 0, 113, 8), false, "second");
	put_mirror(f, IP4(203, 0, 113, 7), true, "first");
	put_mirror(f, IP4(203, 0, 113, 9), true, "");
	assert_int_equal(store_mirror_delete(f->st, IP4(203, 0, 113, 9)), 0);
	reopen(f);
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 2);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 7), true, "first");
	assert_mirror(&m.p[1], IP4(203, 0, 113, 8), false, "second");
}

/* Schema step 5 as shipped, and a database written before junction inspection. */
#define SCHEMA_STEP_5                                                                              \
	"CREATE TABLE mirroring_peers ("                                                           \
	" ip_address TEXT PRIMARY KEY NOT NULL,"                                                   \
	" protocol TEXT NOT NULL CHECK (protocol = 'gre'),"                                        \
	" enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"                                     \
	" description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 255)"              \
	") WITHOUT ROWID;"
#define SCHEMA_V5                                                                                  \
	SCHEMA_STEP_1 SCHEMA_STEP_2 SCHEMA_STEP_3 SCHEMA_STEP_4 SCHEMA_STEP_5                      \
	    "PRAGMA application_id = 1987077988; PRAGMA user_version = 5;"

/* docs/API.md's example, with a second collector on another port, and the defaults. */
static struct inspect_config
inspection_example(void)
{
	return (struct inspect_config){ .enabled = true,
		.n_collectors = 2,
		.collectors = { { IP4(192, 0, 2, 9), 4739 }, { IP4(192, 0, 2, 10), 2055 } },
		.active_timeout_s = 60,
		.idle_timeout_s = 15,
		.max_flows = 65536 };
}

static void
assert_inspection(const struct inspect_config *got, const struct inspect_config *want)
{
	assert_int_equal(got->enabled, want->enabled);
	assert_int_equal(got->n_collectors, want->n_collectors);
	for (unsigned i = 0; i < want->n_collectors; i++) {
		assert_int_equal(got->collectors[i].addr_be, want->collectors[i].addr_be);
		assert_int_equal(got->collectors[i].port, want->collectors[i].port);
	}
	assert_int_equal(got->active_timeout_s, want->active_timeout_s);
	assert_int_equal(got->idle_timeout_s, want->idle_timeout_s);
	assert_int_equal(got->max_flows, want->max_flows);
}

/* What the store holds, which must be want. */
static void
assert_stored_inspection(struct fixture *f, const struct inspect_config *want)
{
	struct inspect_config got;

	memset(&got, 0xa5, sizeof(got));
	assert_int_equal(store_inspection_get(f->st, &got), 0);
	assert_inspection(&got, want);
}

static void
test_store_inspection_get_never_set_enoent(void **state)
{
	struct fixture *f = *state;
	struct inspect_config out, untouched;

	memset(&out, 0xa5, sizeof(out));
	untouched = out;
	assert_int_equal(store_inspection_get(f->st, &out), -ENOENT);
	assert_memory_equal(&out, &untouched, sizeof(out));
}

static void
test_store_inspection_put_get_round_trip(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example();

	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_stored_inspection(f, &cfg);
}

static void
test_store_inspection_put_disabled_round_trip(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example();

	cfg.enabled = false;
	cfg.n_collectors = 1;
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_stored_inspection(f, &cfg);
}

/* Collectors come back in the order given, not sorted by address. */
static void
test_store_inspection_put_keeps_collector_order(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example();

	cfg.n_collectors = 4;
	cfg.collectors[0] = (struct inspect_collector){ IP4(203, 0, 113, 10), 4739 };
	cfg.collectors[1] = (struct inspect_collector){ IP4(192, 0, 2, 9), 4739 };
	cfg.collectors[2] = (struct inspect_collector){ IP4(203, 0, 113, 9), 4739 };
	cfg.collectors[3] = (struct inspect_collector){ IP4(192, 0, 2, 9), 9995 };
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_stored_inspection(f, &cfg);
}

static void
test_store_inspection_put_stores_readable_rows(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example();

	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection WHERE id = 1 AND enabled = 1"
				    " AND active_timeout_seconds = 60 AND idle_timeout_seconds = 15"
				    " AND max_flows = 65536"),
	    1);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM inspection_collectors WHERE"
		       " (position = 0 AND ip_address = '192.0.2.9' AND port = 4739) OR"
		       " (position = 1 AND ip_address = '192.0.2.10' AND port = 2055)"),
	    2);
}

/* A second put replaces everything: settings in place, collectors as a whole list. */
static void
test_store_inspection_put_again_replaces_everything(void **state)
{
	struct fixture *f = *state;
	struct inspect_config first = inspection_example(), second = inspection_example();

	second.enabled = false;
	second.n_collectors = 1;
	second.collectors[0] = (struct inspect_collector){ IP4(198, 51, 100, 7), 4740 };
	second.active_timeout_s = 300;
	second.idle_timeout_s = 30;
	second.max_flows = 1024;
	assert_int_equal(store_inspection_put(f->st, &first), 0);
	assert_int_equal(store_inspection_put(f->st, &second), 0);
	assert_stored_inspection(f, &second);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection"), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection_collectors"), 1);
}

static void
test_store_inspection_put_bounds_accepted(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example();

	cfg.active_timeout_s = INSPECT_MIN_TIMEOUT_S;
	cfg.idle_timeout_s = INSPECT_MAX_TIMEOUT_S;
	cfg.max_flows = INSPECT_MIN_FLOWS;
	cfg.collectors[1].port = 65535;
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_stored_inspection(f, &cfg);
	cfg.active_timeout_s = INSPECT_MAX_TIMEOUT_S;
	cfg.idle_timeout_s = INSPECT_MIN_TIMEOUT_S;
	cfg.max_flows = INSPECT_MAX_FLOWS;
	cfg.collectors[1].port = 1;
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_stored_inspection(f, &cfg);
}

/* Each config is refused with -EINVAL and what was stored stays. */
static void
test_store_inspection_put_out_of_range_einval_unchanged(void **state)
{
	struct fixture *f = *state;
	const struct inspect_config good = inspection_example();
	struct inspect_config bad[12];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		bad[i] = good;
	bad[0].n_collectors = 0;
	bad[1].n_collectors = INSPECT_MAX_COLLECTORS + 1;
	bad[2].collectors[1].port = 0;
	bad[3].collectors[1].addr_be = 0;
	bad[4].collectors[1] = bad[4].collectors[0];
	bad[5].active_timeout_s = INSPECT_MIN_TIMEOUT_S - 1;
	bad[6].active_timeout_s = INSPECT_MAX_TIMEOUT_S + 1;
	bad[7].idle_timeout_s = INSPECT_MIN_TIMEOUT_S - 1;
	bad[8].idle_timeout_s = INSPECT_MAX_TIMEOUT_S + 1;
	bad[9].max_flows = INSPECT_MIN_FLOWS - 1;
	bad[10].max_flows = INSPECT_MAX_FLOWS + 1;
	bad[11].max_flows = UINT32_MAX;
	assert_int_equal(store_inspection_put(f->st, &good), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(store_inspection_put(f->st, &bad[i]), -EINVAL);
		assert_non_null(strstr(store_errmsg(f->st), "inspection"));
		assert_stored_inspection(f, &good);
	}
}

/* Refused before anything is written: a store never set stays never set. */
static void
test_store_inspection_put_refused_first_time_stays_enoent(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example(), out;

	cfg.max_flows = 0;
	assert_int_equal(store_inspection_put(f->st, &cfg), -EINVAL);
	assert_int_equal(store_inspection_get(f->st, &out), -ENOENT);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection_collectors"), 0);
}

/*
 * A trigger refuses the second collector after the settings, the old
 * collectors' removal and the first insert ran: the transaction undoes all.
 */
static void
test_store_inspection_put_failure_midway_rolled_back(void **state)
{
	struct fixture *f = *state;
	struct inspect_config first = inspection_example(), second = inspection_example();

	second.enabled = false;
	second.max_flows = 128;
	second.collectors[0].port = 1;
	second.collectors[1].port = 2;
	assert_int_equal(store_inspection_put(f->st, &first), 0);
	raw_exec(f, "CREATE TRIGGER refuse_second BEFORE INSERT ON inspection_collectors"
		    " WHEN NEW.position = 1 BEGIN SELECT RAISE(ABORT, 'refused'); END");
	assert_int_equal(store_inspection_put(f->st, &second), -EIO);
	assert_non_null(strstr(store_errmsg(f->st), "refused"));
	assert_stored_inspection(f, &first);
	raw_exec(f, "DROP TRIGGER refuse_second");
	assert_int_equal(store_inspection_put(f->st, &second), 0);
	assert_stored_inspection(f, &second);
}

static void
test_store_inspection_delete_removes_settings_and_collectors(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example(), out;

	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_int_equal(store_inspection_delete(f->st), 0);
	assert_int_equal(store_inspection_get(f->st, &out), -ENOENT);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection_collectors"), 0);
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_stored_inspection(f, &cfg);
}

static void
test_store_inspection_delete_absent_enoent(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example();

	assert_int_equal(store_inspection_delete(f->st), -ENOENT);
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_int_equal(store_inspection_delete(f->st), 0);
	assert_int_equal(store_inspection_delete(f->st), -ENOENT);
}

/* Rows as a hand edit past the schema's checks could leave them, on top of the example. */
static void
assert_inspection_rows_eio(struct fixture *f, const char *sql)
{
	struct inspect_config cfg = inspection_example(), out, untouched;
	char full[512];

	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	snprintf(full, sizeof(full), "PRAGMA ignore_check_constraints = ON; %s", sql);
	raw_exec(f, full);
	memset(&out, 0xa5, sizeof(out));
	untouched = out;
	assert_int_equal(store_inspection_get(f->st, &out), -EIO);
	assert_memory_equal(&out, &untouched, sizeof(out));
	assert_non_null(strstr(store_errmsg(f->st), "inspection"));
}

static void
test_store_inspection_get_malformed_rows_eio(void **state)
{
	static const char *const edits[] = {
		"UPDATE inspection SET enabled = 2",
		"UPDATE inspection SET enabled = 'yes'",
		"UPDATE inspection SET active_timeout_seconds = 86401",
		"UPDATE inspection SET idle_timeout_seconds = 0",
		"UPDATE inspection SET max_flows = 15",
		"UPDATE inspection SET max_flows = 4294967312",
		"UPDATE inspection SET max_flows = 1.5",
		"DELETE FROM inspection_collectors",
		"UPDATE inspection_collectors SET ip_address = '192.0.2' WHERE position = 1",
		"UPDATE inspection_collectors SET ip_address = x'41' WHERE position = 1",
		"UPDATE inspection_collectors SET port = 0 WHERE position = 1",
		"UPDATE inspection_collectors SET port = '47x9' WHERE position = 1",
		"UPDATE inspection_collectors SET ip_address = '0.0.0.0' WHERE position = 1",
		"INSERT INTO inspection_collectors VALUES (2, '192.0.2.11', 1),"
		" (3, '192.0.2.12', 1), (4, '192.0.2.13', 1)",
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		assert_inspection_rows_eio(f, edits[i]);
}

static void
test_store_inspection_schema_refuses_bad_rows(void **state)
{
	static const char *const bad[] = {
		"INSERT INTO inspection VALUES (2, 1, 60, 15, 65536)",
		"INSERT INTO inspection VALUES (1, 2, 60, 15, 65536)",
		"INSERT INTO inspection VALUES (1, 1, 0, 15, 65536)",
		"INSERT INTO inspection VALUES (1, 1, 60, 0, 65536)",
		"INSERT INTO inspection VALUES (1, 1, 60, 15, 0)",
		"INSERT INTO inspection_collectors VALUES (-1, '192.0.2.9', 4739)",
		"INSERT INTO inspection_collectors VALUES (0, '192.0.2.9', 0)",
		"INSERT INTO inspection_collectors VALUES (0, '192.0.2.9', 65536)",
		"INSERT INTO inspection_collectors VALUES (0, NULL, 4739)",
		"INSERT INTO inspection_collectors VALUES (0, '192.0.2.9', 4739),"
		" (1, '192.0.2.9', 4739)",
	};
	struct fixture *f = *state;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sqlite3_exec(db, bad[i], NULL, NULL, NULL), SQLITE_CONSTRAINT);
	sqlite3_close(db);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM inspection_collectors"), 0);
}

static void
test_store_inspection_reopen_keeps_settings(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example();

	cfg.enabled = false;
	cfg.max_flows = 4096;
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	reopen(f);
	assert_stored_inspection(f, &cfg);
	assert_int_equal(store_inspection_delete(f->st), 0);
	reopen(f);
	assert_int_equal(store_inspection_delete(f->st), -ENOENT);
}

/* A file from before inspection: step 6 adds its tables, every object stays. */
static void
test_store_open_version_5_migrated_keeps_objects(void **state)
{
	struct fixture *f = *state;
	struct inspect_config cfg = inspection_example(), out;
	struct filter_rule rules[2];
	struct store_redirection r;
	struct store_gate g;
	struct seen_mirrors m = { 0 };
	struct seen_peers p = { 0 };
	struct seen s = { 0 };
	unsigned n = 99;

	replace_db(f,
	    SCHEMA_V5 "INSERT INTO meta VALUES ('ip_map_seeded', '1');"
		      "INSERT INTO ip_address_map VALUES ('" IMSI_A "', '10.10.0.50');"
		      "INSERT INTO gate VALUES (1, 1, 42, 1);"
		      "INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.10');"
		      "INSERT INTO redirection VALUES (1, '10.10.10.10', 0, 'to the LAN');"
		      "INSERT INTO routing_filter VALUES (0, 'deny', '0.0.0.0/0');"
		      "INSERT INTO mirroring_peers VALUES ('203.0.113.7', 'gre', 1, 'tap');");
	reopen(f);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(list(f, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.imsi[0], IMSI_A);
	assert_int_equal(store_gate_get(f->st, &g), 0);
	assert_int_equal(g.vni, 42);
	assert_int_equal(list_peers(f, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(store_redirection_get(f->st, &r), 0);
	assert_string_equal(r.description, "to the LAN");
	assert_int_equal(store_filter_get(f->st, rules, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list_mirrors(f, &m), 0);
	assert_int_equal(m.n, 1);
	assert_mirror(&m.p[0], IP4(203, 0, 113, 7), true, "tap");
	assert_int_equal(store_inspection_get(f->st, &out), -ENOENT);
	assert_int_equal(store_inspection_put(f->st, &cfg), 0);
	assert_stored_inspection(f, &cfg);
}

/* A v5 file where someone made a table "inspection" by hand: step 6 undoes itself. */
static void
test_store_open_failed_step_6_rolled_back(void **state)
{
	struct fixture *f = *state;

	replace_db(f, SCHEMA_V5 "INSERT INTO mirroring_peers VALUES ('203.0.113.7', 'gre', 1, '');"
				"CREATE TABLE inspection (x);");
	assert_open_refused(f, "schema step 6");
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 5);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM mirroring_peers"), 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM pragma_table_info('inspection')"), 1);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM sqlite_master WHERE name = 'inspection_collectors'"),
	    0);
}

static void
test_store_dns_get_never_set_enoent(void **state)
{
	struct fixture *f = *state;
	uint32_t dns[STORE_MAX_DNS] = { IP4(192, 0, 2, 99), IP4(192, 0, 2, 98) };
	unsigned n = 77;

	assert_int_equal(store_dns_get(f->st, dns, &n), -ENOENT);
	assert_int_equal(n, 77);
	assert_int_equal(dns[0], IP4(192, 0, 2, 99));
	assert_int_equal(dns[1], IP4(192, 0, 2, 98));
}

static void
test_store_dns_put_two_get_in_order(void **state)
{
	struct fixture *f = *state;
	const uint32_t in[] = { IP4(100, 64, 0, 53), IP4(192, 0, 2, 53) };
	uint32_t out[STORE_MAX_DNS] = { 0 };
	unsigned n = 0;

	assert_int_equal(store_dns_put(f->st, in, 2), 0);
	assert_int_equal(store_dns_get(f->st, out, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], IP4(100, 64, 0, 53));
	assert_int_equal(out[1], IP4(192, 0, 2, 53));
	/* Readable as sqlite3 shows it, primary first. */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM device_dns WHERE primary_ip_address ="
				    " '100.64.0.53' AND secondary_ip_address = '192.0.2.53'"),
	    1);
}

static void
test_store_dns_put_empty_is_set_not_absent(void **state)
{
	struct fixture *f = *state;
	const uint32_t in[] = { IP4(100, 64, 0, 53) };
	uint32_t out[STORE_MAX_DNS] = { IP4(192, 0, 2, 99), 0 };
	unsigned n = 77;

	assert_int_equal(store_dns_put(f->st, in, 1), 0);
	assert_int_equal(store_dns_put(f->st, in, 0), 0);
	assert_int_equal(store_dns_get(f->st, out, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM device_dns WHERE primary_ip_address"
				    " IS NULL AND secondary_ip_address IS NULL"),
	    1);
}

static void
test_store_dns_put_one_replaces_two(void **state)
{
	struct fixture *f = *state;
	const uint32_t two[] = { IP4(100, 64, 0, 53), IP4(192, 0, 2, 53) };
	const uint32_t one[] = { IP4(198, 51, 100, 53) };
	uint32_t out[STORE_MAX_DNS] = { 0 };
	unsigned n = 0;

	assert_int_equal(store_dns_put(f->st, two, 2), 0);
	assert_int_equal(store_dns_put(f->st, one, 1), 0);
	assert_int_equal(store_dns_get(f->st, out, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], IP4(198, 51, 100, 53));
	assert_int_equal(raw_int(f, "SELECT count(*) FROM device_dns"), 1);
}

static void
test_store_dns_put_three_einval_unchanged(void **state)
{
	struct fixture *f = *state;
	const uint32_t in[] = { IP4(100, 64, 0, 53), IP4(192, 0, 2, 53), IP4(192, 0, 2, 54) };
	uint32_t out[STORE_MAX_DNS] = { 0 };
	unsigned n = 0;

	assert_int_equal(store_dns_put(f->st, in, 1), 0);
	assert_int_equal(store_dns_put(f->st, in, 3), -EINVAL);
	assert_non_null(strstr(store_errmsg(f->st), "more than 2"));
	assert_int_equal(store_dns_get(f->st, out, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], IP4(100, 64, 0, 53));
}

static void
test_store_dns_survives_reopen(void **state)
{
	struct fixture *f = *state;
	const uint32_t in[] = { IP4(100, 64, 0, 53), IP4(192, 0, 2, 53) };
	uint32_t out[STORE_MAX_DNS] = { 0 };
	unsigned n = 0;

	assert_int_equal(store_dns_put(f->st, in, 2), 0);
	reopen(f);
	assert_int_equal(store_dns_get(f->st, out, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], IP4(100, 64, 0, 53));
	assert_int_equal(out[1], IP4(192, 0, 2, 53));
}

static void
test_store_dns_schema_refuses_secondary_alone(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(
		db, "INSERT INTO device_dns VALUES (1, NULL, '192.0.2.53')", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM device_dns"), 0);
}

/* Rows edited by hand past the schema: each is an I/O error, never a list served. */
static void
test_store_dns_hand_edited_rows_eio(void **state)
{
	static const char *const rows[] = {
		"INSERT INTO device_dns VALUES (1, '0.0.0.0', NULL)",
		"INSERT INTO device_dns VALUES (1, 'dns.example', NULL)",
		"INSERT INTO device_dns VALUES (1, 53, NULL)",
		"INSERT INTO device_dns VALUES (1, '192.0.2.53', '224.0.0.251')",
		"PRAGMA ignore_check_constraints = ON;"
		"INSERT INTO device_dns VALUES (1, NULL, '192.0.2.53')",
	};
	struct fixture *f = *state;
	uint32_t out[STORE_MAX_DNS] = { IP4(192, 0, 2, 99), 0 };
	unsigned n = 77;
	char sql[160];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(sql, sizeof(sql), "DELETE FROM device_dns; %s", rows[i]);
		raw_exec(f, sql);
		assert_int_equal(store_dns_get(f->st, out, &n), -EIO);
		assert_non_null(strstr(store_errmsg(f->st), "device_dns: malformed row"));
		assert_int_equal(n, 77);
		assert_int_equal(out[0], IP4(192, 0, 2, 99));
	}
}

/* A file from before the DNS setting: step 7 adds its table, never set. */
static void
test_store_open_version_2_migrated_dns_never_set(void **state)
{
	struct fixture *f = *state;
	uint32_t out[STORE_MAX_DNS] = { 0 };
	const uint32_t in[] = { IP4(100, 64, 0, 53) };
	unsigned n = 0;

	replace_db(f, SCHEMA_V2 "INSERT INTO gate_peers VALUES ('198.51.100.3', '10.10.10.10');");
	reopen(f);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(store_dns_get(f->st, out, &n), -ENOENT);
	assert_int_equal(store_dns_put(f->st, in, 1), 0);
	assert_int_equal(store_dns_get(f->st, out, &n), 0);
	assert_int_equal(n, 1);
}

/* Peek's captures: what a list after a restart shows. */
struct seen_captures {
	unsigned n;
	struct store_capture c[4];
};

static int
keep_capture(void *arg, const struct store_capture *c)
{
	struct seen_captures *s = arg;

	if (s->n < 4)
		s->c[s->n] = *c;
	s->n++;
	return 0;
}

static const struct store_capture capture_done = { .id = "0a1b2c3d4e5f6071",
	.prefix = "lab",
	.imsi = IMSI_A,
	.duration_s = 60,
	.status = "DONE",
	.created_ms = 1700000000000ull,
	.started_ms = 1700000000002ull,
	.ended_ms = 1700000060002ull,
	.truncated = true,
	.packets = 12,
	.bytes = 4096,
	.dropped = 3 };

static void
assert_captures_equal(const struct store_capture *a, const struct store_capture *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->prefix, b->prefix);
	assert_string_equal(a->imsi, b->imsi);
	assert_int_equal(a->duration_s, b->duration_s);
	assert_string_equal(a->status, b->status);
	assert_int_equal(a->created_ms, b->created_ms);
	assert_int_equal(a->started_ms, b->started_ms);
	assert_int_equal(a->ended_ms, b->ended_ms);
	assert_string_equal(a->failed_reason, b->failed_reason);
	assert_int_equal(a->truncated, b->truncated);
	assert_int_equal(a->packets, b->packets);
	assert_int_equal(a->bytes, b->bytes);
	assert_int_equal(a->dropped, b->dropped);
}

static void
test_store_capture_put_reopen_list_equal(void **state)
{
	struct fixture *f = *state;
	struct store_capture failed = capture_done;
	struct seen_captures seen = { 0 };

	strcpy(failed.id, "ff");
	strcpy(failed.status, "FAILED");
	strcpy(failed.failed_reason, "the gateway restarted while capturing");
	failed.imsi[0] = '\0';
	failed.created_ms = 1700000000001ull;
	assert_int_equal(store_capture_put(f->st, &capture_done), 0);
	assert_int_equal(store_capture_put(f->st, &failed), 0);
	reopen(f);
	assert_int_equal(store_capture_foreach(f->st, keep_capture, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_captures_equal(&seen.c[0], &capture_done);
	assert_captures_equal(&seen.c[1], &failed);
}

static void
test_store_capture_put_replaces_delete_enoent(void **state)
{
	struct fixture *f = *state;
	struct store_capture c = capture_done;
	struct seen_captures seen = { 0 };

	strcpy(c.status, "CAPTURING");
	assert_int_equal(store_capture_put(f->st, &c), 0);
	assert_int_equal(store_capture_put(f->st, &capture_done), 0);
	assert_int_equal(store_capture_foreach(f->st, keep_capture, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.c[0].status, "DONE");
	assert_int_equal(store_capture_delete(f->st, c.id), 0);
	assert_int_equal(store_capture_delete(f->st, c.id), -ENOENT);
}

/* The schema refuses a status vpgd never writes; an id that is not hex reads as an I/O error. */
static void
test_store_capture_bad_rows_refused(void **state)
{
	struct fixture *f = *state;
	struct store_capture c = capture_done;
	struct seen_captures seen = { 0 };

	strcpy(c.status, "STOPPED");
	assert_int_equal(store_capture_put(f->st, &c), -EINVAL);
	raw_exec(f, "INSERT INTO packet_capture_sessions VALUES ('../vpgd', '', '', 60, 'DONE', "
		    "1, 2, 3, '', 0, 0, 0, 0)");
	reopen(f);
	assert_int_equal(store_capture_foreach(f->st, keep_capture, &seen), -EIO);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_store_open_new_file_mode_0600),
		T(test_store_open_missing_directory_fails_with_message),
		T(test_store_open_wal_journal_mode),
		T(test_store_open_migrations_applied_once),
		T(test_store_open_newer_schema_refused),
		T(test_store_open_foreign_application_id_refused),
		T(test_store_open_foreign_tables_refused),
		T(test_store_open_not_sqlite_refused),
		T(test_store_map_put_foreach_returns_entry),
		T(test_store_map_foreach_empty_no_calls),
		T(test_store_map_put_same_imsi_replaces),
		T(test_store_map_put_same_entry_twice_ok),
		T(test_store_map_put_stores_dotted_text),
		T(test_store_map_put_taken_address_eexist_unchanged),
		T(test_store_map_put_replace_to_taken_address_eexist_unchanged),
		T(test_store_map_put_bad_imsi_einval),
		T(test_store_map_delete_removes_entry),
		T(test_store_map_delete_absent_enoent),
		T(test_store_map_delete_frees_address),
		T(test_store_map_foreach_sorted_by_imsi),
		T(test_store_map_foreach_callback_value_stops),
		T(test_store_map_foreach_malformed_row_eio),
		T(test_store_reopen_keeps_map),
		T(test_store_map_put_survives_kill),
		T(test_store_meta_get_absent_enoent),
		T(test_store_meta_put_get_round_trip),
		T(test_store_meta_get_empty_value),
		T(test_store_meta_get_small_buffer_enospc),
		T(test_store_meta_reopen_keeps_value),
		T(test_store_open_new_file_schema_version_latest),
		T(test_store_dns_get_never_set_enoent),
		T(test_store_dns_put_two_get_in_order),
		T(test_store_dns_put_empty_is_set_not_absent),
		T(test_store_dns_put_one_replaces_two),
		T(test_store_dns_put_three_einval_unchanged),
		T(test_store_dns_survives_reopen),
		T(test_store_dns_schema_refuses_secondary_alone),
		T(test_store_dns_hand_edited_rows_eio),
		T(test_store_open_version_2_migrated_dns_never_set),
		T(test_store_open_version_1_migrated_keeps_map),
		T(test_store_open_failed_step_2_rolled_back),
		T(test_store_open_version_2_migrated_keeps_map_gate_peers),
		T(test_store_open_failed_step_3_rolled_back),
		T(test_store_gate_get_never_set_enoent),
		T(test_store_gate_put_get_round_trip),
		T(test_store_gate_put_again_replaces_one_row),
		T(test_store_gate_put_stores_readable_row),
		T(test_store_gate_put_vni_bounds_accepted),
		T(test_store_gate_put_vni_out_of_range_einval_unchanged),
		T(test_store_gate_get_malformed_row_eio),
		T(test_store_gate_reopen_keeps_settings),
		T(test_store_gate_peer_add_foreach_returns_peer),
		T(test_store_gate_peer_foreach_empty_no_calls),
		T(test_store_gate_peer_add_stores_dotted_text),
		T(test_store_gate_peer_add_same_outer_eexist_unchanged),
		T(test_store_gate_peer_add_same_inner_eexist_unchanged),
		T(test_store_gate_peer_add_same_pair_twice_eexist),
		T(test_store_gate_peer_delete_removes_peer),
		T(test_store_gate_peer_delete_absent_enoent),
		T(test_store_gate_peer_delete_frees_both_addresses),
		T(test_store_gate_peer_foreach_sorted_by_value_not_text),
		T(test_store_gate_peer_foreach_callback_value_stops),
		T(test_store_gate_peer_foreach_malformed_row_eio),
		T(test_store_gate_peer_malformed_inner_eio),
		T(test_store_gate_peer_reopen_keeps_peers),
		T(test_store_gate_peer_table_editable_without_vpgd),
		T(test_store_redirection_get_never_set_enoent),
		T(test_store_redirection_put_get_round_trip),
		T(test_store_redirection_put_disabled_empty_description_round_trip),
		T(test_store_redirection_put_again_replaces_one_row),
		T(test_store_redirection_put_stores_readable_row),
		T(test_store_redirection_put_255_bytes_description_round_trip),
		T(test_store_redirection_put_unterminated_description_einval_unchanged),
		T(test_store_redirection_delete_removes_row),
		T(test_store_redirection_delete_absent_enoent),
		T(test_store_redirection_independent_of_gate_peers),
		T(test_store_redirection_get_malformed_row_eio),
		T(test_store_redirection_schema_refuses_long_description),
		T(test_store_redirection_reopen_keeps_setting),
		T(test_store_open_version_3_migrated_keeps_objects),
		T(test_store_open_failed_step_4_rolled_back),
		T(test_store_filter_get_never_set_empty),
		T(test_store_filter_put_get_round_trip_in_order),
		T(test_store_filter_put_stores_readable_rows),
		T(test_store_filter_put_replaces_whole_list),
		T(test_store_filter_put_empty_clears),
		T(test_store_filter_put_64_rules_round_trip),
		T(test_store_filter_put_65_rules_einval_unchanged),
		T(test_store_filter_put_host_bits_einval_unchanged),
		T(test_store_filter_put_bad_prefix_or_action_einval),
		T(test_store_filter_put_failure_midway_rolled_back),
		T(test_store_filter_get_more_than_cap_enospc),
		T(test_store_filter_get_ordered_by_position),
		T(test_store_filter_get_malformed_row_eio),
		T(test_store_filter_schema_refuses_bad_action),
		T(test_store_filter_reopen_keeps_list),
		T(test_store_open_version_4_migrated_keeps_objects),
		T(test_store_open_failed_step_5_rolled_back),
		T(test_store_mirror_put_foreach_returns_peer),
		T(test_store_mirror_foreach_empty_no_calls),
		T(test_store_mirror_put_stores_readable_row),
		T(test_store_mirror_put_same_address_replaces_one_row),
		T(test_store_mirror_put_255_bytes_description_round_trip),
		T(test_store_mirror_put_unterminated_description_einval_unchanged),
		T(test_store_mirror_delete_removes_peer),
		T(test_store_mirror_delete_absent_enoent),
		T(test_store_mirror_foreach_sorted_by_value_not_text),
		T(test_store_mirror_foreach_callback_value_stops),
		T(test_store_mirror_foreach_malformed_row_eio),
		T(test_store_mirror_schema_refuses_bad_rows),
		T(test_store_mirror_table_editable_without_vpgd),
		T(test_store_mirror_independent_of_gate_peers),
		T(test_store_mirror_reopen_keeps_peers),
		T(test_store_inspection_get_never_set_enoent),
		T(test_store_inspection_put_get_round_trip),
		T(test_store_inspection_put_disabled_round_trip),
		T(test_store_inspection_put_keeps_collector_order),
		T(test_store_inspection_put_stores_readable_rows),
		T(test_store_inspection_put_again_replaces_everything),
		T(test_store_inspection_put_bounds_accepted),
		T(test_store_inspection_put_out_of_range_einval_unchanged),
		T(test_store_inspection_put_refused_first_time_stays_enoent),
		T(test_store_inspection_put_failure_midway_rolled_back),
		T(test_store_inspection_delete_removes_settings_and_collectors),
		T(test_store_inspection_delete_absent_enoent),
		T(test_store_inspection_get_malformed_rows_eio),
		T(test_store_inspection_schema_refuses_bad_rows),
		T(test_store_inspection_reopen_keeps_settings),
		T(test_store_open_version_5_migrated_keeps_objects),
		T(test_store_open_failed_step_6_rolled_back),
		T(test_store_capture_put_reopen_list_equal),
		T(test_store_capture_put_replaces_delete_enoent),
		T(test_store_capture_bad_rows_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
