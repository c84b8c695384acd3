/*
 * What the files of the store share, and nothing outside them may use: the
 * connection with its prepared statements, and the helpers that turn
 * SQLite's results into the negative errno of store/store.h. store.c opens,
 * migrates and prepares; the object files (store_gate.c, store_filter.c,
 * store_mirror.c, store_inspect.c, store_dns.c, store_sim.c,
 * store_peek.c) run the statements.
 */
#ifndef VPG_STORE_STORE_INTERNAL_H
#define VPG_STORE_STORE_INTERNAL_H

#include <sqlite3.h>

struct store;

/* The statements prepared once at open; their SQL is stmt_sql in store.c. */
enum store_stmt {
	S_MAP_PUT,
	S_MAP_DELETE,
	S_MAP_LIST,
	S_META_GET,
	S_META_PUT,
	S_GATE_GET,
	S_GATE_PUT,
	S_PEER_ADD,
	S_PEER_DELETE,
	S_PEER_LIST,
	S_REDIR_GET,
	S_REDIR_PUT,
	S_REDIR_DELETE,
	S_FILTER_LIST,
	S_FILTER_CLEAR,
	S_FILTER_ADD,
	S_MIRROR_PUT,
	S_MIRROR_DELETE,
	S_MIRROR_LIST,
	S_INSPECT_GET,
	S_INSPECT_PUT,
	S_INSPECT_DELETE,
	S_COLLECTOR_LIST,
	S_COLLECTOR_CLEAR,
	S_COLLECTOR_ADD,
	S_DNS_GET,
	S_DNS_PUT,
	S_SIM_ENABLED_GET,
	S_SIM_ENABLED_PUT,
	S_SIM_ROUTE_LIST,
	S_SIM_ROUTE_CLEAR,
	S_SIM_ROUTE_ADD,
	S_CAPTURE_PUT,
	S_CAPTURE_DELETE,
	S_CAPTURE_LIST,
	S_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_COUNT];
	char err[256];
};

/* Records the message for store_errmsg; returns rc. */
int store_set_err(struct store *st, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records SQLite's own words for the failure of what; returns rc. */
int store_db_err(struct store *st, int rc, const char *what);
/* Runs SQL that returns no rows: 0 or -EIO. */
int store_exec(struct store *st, const char *sql);
/*
 * Steps a write to its end and resets s for reuse: 0, -EEXIST for a UNIQUE
 * or PRIMARY KEY conflict, -EINVAL for a CHECK, -EIO otherwise.
 */
int store_step_done(struct store *st, sqlite3_stmt *s, const char *what);
/* Binds text parameters 1 and, unless b is NULL, 2: 0 or -EIO. */
int store_bind2(struct store *st, sqlite3_stmt *s, const char *a, const char *b);

#endif
