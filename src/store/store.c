#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/parse.h"
#include "store/store_internal.h"

/* "vpgd" in ASCII: PRAGMA application_id tells our file from another's. */
#define STORE_APP_ID 0x76706764
/* Long enough to outwait an administrator's `sqlite3 vpgd.db` query. */
#define STORE_BUSY_MS 5000

/*
 * The schema, one step per version: migrations[i] takes user_version i to
 * i + 1, all pending steps in one transaction at open. Steps are only ever
 * appended, never edited, since databases in the field have already run the
 * old ones. One table per object kind; addresses are stored as dotted text so
 * that `sqlite3 vpgd.db` reads naturally, always written by ipv4_str, so one
 * address has one spelling and UNIQUE on the text is UNIQUE on the address.
 */
static const char *const migrations[] = {
	/* 1: the store's own bookkeeping and the IP address map. */
	"CREATE TABLE meta ("
	" key TEXT PRIMARY KEY NOT NULL,"
	" value TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE ip_address_map ("
	" imsi TEXT PRIMARY KEY NOT NULL"
	"  CHECK (length(imsi) BETWEEN 6 AND 15 AND imsi NOT GLOB '*[^0-9]*'),"
	" ip_address TEXT NOT NULL UNIQUE"
	") WITHOUT ROWID;",
	/*
	 * 2: the gate, a single row (id 1) with SQLite's 0/1 for booleans, and
	 * its peers. Each peer address is a key of its own, so a second peer
	 * with either address is refused by the schema itself.
	 */
	"CREATE TABLE gate ("
	" id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
	" open INTEGER NOT NULL CHECK (open IN (0, 1)),"
	" vxlan_id INTEGER NOT NULL CHECK (vxlan_id BETWEEN 1 AND 16777215),"
	" privacy_separator INTEGER NOT NULL CHECK (privacy_separator IN (0, 1))"
	");"
	"CREATE TABLE gate_peers ("
	" outer_ip_address TEXT PRIMARY KEY NOT NULL,"
	" inner_ip_address TEXT NOT NULL UNIQUE"
	") WITHOUT ROWID;",
	/*
	 * 3: junction redirection, a single row (id 1). The description's
	 * limit is in bytes, as the API counts it. No foreign key to
	 * gate_peers: that the gateway is a peer is checked, and kept, by the
	 * API against the running gate, as restore does at start.
	 */
	"CREATE TABLE redirection ("
	" id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
	" gateway TEXT NOT NULL,"
	" enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
	" description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 255)"
	");",
	/*
	 * 4: the routing filter, one row per rule. position is the rule's
	 * place in the list, from 0 as the API's [index]; first match wins,
	 * so it is the key. The range is dotted text with its prefix
	 * ("10.0.0.0/16"), as the API spells it.
	 */
	"CREATE TABLE routing_filter ("
	" position INTEGER PRIMARY KEY NOT NULL CHECK (position >= 0),"
	" action TEXT NOT NULL CHECK (action IN ('allow', 'deny')),"
	" cidr TEXT NOT NULL"
	");",
	/*
	 * 5: junction mirroring peers, keyed by address. GRE is the only
	 * protocol, but it is a column: a second one is then a new value
	 * rather than a new table. The description's limit is in bytes, as
	 * the API counts it.
	 */
	"CREATE TABLE mirroring_peers ("
	" ip_address TEXT PRIMARY KEY NOT NULL,"
	" protocol TEXT NOT NULL CHECK (protocol = 'gre'),"
	" enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
	" description TEXT NOT NULL CHECK (length(CAST(description AS BLOB)) <= 255)"
	") WITHOUT ROWID;",
	/*
	 * 6: junction inspection, a single row (id 1) of settings, and its
	 * IPFIX collectors in the order given, position from 0 as the API's
	 * list. The ranges of the timeouts and the table size are vpgd's
	 * (inspect/inspect.h), checked by store_inspect.c on the way in and out,
	 * so that widening one needs no new step; the schema holds only what
	 * cannot change: a flag is 0 or 1, a port is 16 bits and not 0.
	 */
	"CREATE TABLE inspection ("
	" id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
	" enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
	" active_timeout_seconds INTEGER NOT NULL CHECK (active_timeout_seconds > 0),"
	" idle_timeout_seconds INTEGER NOT NULL CHECK (idle_timeout_seconds > 0),"
	" max_flows INTEGER NOT NULL CHECK (max_flows > 0)"
	");"
	"CREATE TABLE inspection_collectors ("
	" position INTEGER PRIMARY KEY NOT NULL CHECK (position >= 0),"
	" ip_address TEXT NOT NULL,"
	" port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),"
	" UNIQUE (ip_address, port)"
	");",
	/*
	 * 7: the DNS servers devices are told in PCO, a single row (id 1)
	 * written by PUT /v1/vpg/dns. No row: never set, the bootstrap file's
	 * "dns" applies; a row of NULLs: set to none. The secondary needs a
	 * primary, so the row always reads as a list.
	 */
	"CREATE TABLE device_dns ("
	" id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
	" primary_ip_address TEXT,"
	" secondary_ip_address TEXT"
	"  CHECK (secondary_ip_address IS NULL OR primary_ip_address IS NOT NULL)"
	");",
	/*
	 * 8: SIM-based routing, a single row (id 1) saying whether it is
	 * enabled, and the table one row per range: position is its place
	 * in the API's list of lists, from 0, so a device's ranges are
	 * consecutive rows. A range ("192.168.50.0/24", as the API spells
	 * it) is routed to one device only, hence UNIQUE; that ranges do not
	 * overlap is core/sim_routes.h's to check, here as at restore.
	 */
	"CREATE TABLE sim_based_routing ("
	" id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
	" enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))"
	");"
	"CREATE TABLE sim_routes ("
	" position INTEGER PRIMARY KEY NOT NULL CHECK (position >= 0),"
	" imsi TEXT NOT NULL"
	"  CHECK (length(imsi) BETWEEN 1 AND 15 AND imsi NOT GLOB '*[^0-9]*'),"
	" cidr TEXT NOT NULL UNIQUE"
	");",
	/* 9: Peek's capture sessions, kept until deleted or past their retention. */
	"CREATE TABLE packet_capture_sessions ("
	" id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 32),"
	" prefix TEXT NOT NULL CHECK (length(prefix) <= 64),"
	" imsi TEXT NOT NULL CHECK (length(imsi) <= 15 AND imsi NOT GLOB '*[^0-9]*'),"
	" duration INTEGER NOT NULL CHECK (duration BETWEEN 1 AND 86400),"
	" status TEXT NOT NULL CHECK (status IN ('REQUESTED', 'CAPTURING', 'DONE', 'FAILED')),"
	" created_ms INTEGER NOT NULL, started_ms INTEGER NOT NULL, ended_ms INTEGER NOT NULL,"
	" failed_reason TEXT NOT NULL CHECK (length(failed_reason) <= 160),"
	" truncated INTEGER NOT NULL CHECK (truncated IN (0, 1)),"
	" packets INTEGER NOT NULL, bytes INTEGER NOT NULL, dropped INTEGER NOT NULL"
	");",
};
#define N_MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/*
 * The collation that orders dotted text by address value. It is named in a
 * query, never in the schema, so that a sqlite3 shell, which does not know
 * it, can still read and edit every table.
 */
#define STORE_IPV4_COLLATION "vpgd_ipv4"

/*
 * An upsert rather than INSERT OR REPLACE: REPLACE also resolves the UNIQUE
 * address constraint, by deleting the other IMSI's entry, where a collision
 * must be refused instead.
 */
static const char *const stmt_sql[S_COUNT] = {
	[S_MAP_PUT] = "INSERT INTO ip_address_map (imsi, ip_address) VALUES (?1, ?2)"
		      " ON CONFLICT (imsi) DO UPDATE SET ip_address = excluded.ip_address",
	[S_MAP_DELETE] = "DELETE FROM ip_address_map WHERE imsi = ?1",
	[S_MAP_LIST] = "SELECT imsi, ip_address FROM ip_address_map ORDER BY imsi",
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_PUT] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
		       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[S_GATE_GET] = "SELECT open, vxlan_id, privacy_separator FROM gate WHERE id = 1",
	[S_GATE_PUT] = "INSERT INTO gate (id, open, vxlan_id, privacy_separator)"
		       " VALUES (1, ?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET"
		       " open = excluded.open, vxlan_id = excluded.vxlan_id,"
		       " privacy_separator = excluded.privacy_separator",
	[S_PEER_ADD] = "INSERT INTO gate_peers (outer_ip_address, inner_ip_address)"
		       " VALUES (?1, ?2)",
	[S_PEER_DELETE] = "DELETE FROM gate_peers WHERE outer_ip_address = ?1",
	/* A sort of at most a few hundred rows per call: O(n log n) without an index. */
	[S_PEER_LIST] = "SELECT outer_ip_address, inner_ip_address FROM gate_peers"
			" ORDER BY outer_ip_address COLLATE " STORE_IPV4_COLLATION,
	[S_REDIR_GET] = "SELECT gateway, enabled, description FROM redirection WHERE id = 1",
	[S_REDIR_PUT] = "INSERT INTO redirection (id, gateway, enabled, description)"
			" VALUES (1, ?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET"
			" gateway = excluded.gateway, enabled = excluded.enabled,"
			" description = excluded.description",
	[S_REDIR_DELETE] = "DELETE FROM redirection WHERE id = 1",
	[S_FILTER_LIST] = "SELECT position, action, cidr FROM routing_filter ORDER BY position",
	[S_FILTER_CLEAR] = "DELETE FROM routing_filter",
	[S_FILTER_ADD] = "INSERT INTO routing_filter (position, action, cidr) VALUES (?1, ?2, ?3)",
	[S_MIRROR_PUT] = "INSERT INTO mirroring_peers (ip_address, protocol, enabled, description)"
			 " VALUES (?1, 'gre', ?2, ?3) ON CONFLICT (ip_address) DO UPDATE SET"
			 " enabled = excluded.enabled, description = excluded.description",
	[S_MIRROR_DELETE] = "DELETE FROM mirroring_peers WHERE ip_address = ?1",
	/* At most a handful of rows (the API takes 4): sorted without an index. */
	[S_MIRROR_LIST] = "SELECT ip_address, protocol, enabled, description FROM mirroring_peers"
			  " ORDER BY ip_address COLLATE " STORE_IPV4_COLLATION,
	[S_INSPECT_GET] = "SELECT enabled, active_timeout_seconds, idle_timeout_seconds, max_flows"
			  " FROM inspection WHERE id = 1",
	[S_INSPECT_PUT] = "INSERT INTO inspection (id, enabled, active_timeout_seconds,"
			  " idle_timeout_seconds, max_flows) VALUES (1, ?1, ?2, ?3, ?4)"
			  " ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled,"
			  " active_timeout_seconds = excluded.active_timeout_seconds,"
			  " idle_timeout_seconds = excluded.idle_timeout_seconds,"
			  " max_flows = excluded.max_flows",
	[S_INSPECT_DELETE] = "DELETE FROM inspection WHERE id = 1",
	[S_COLLECTOR_LIST] = "SELECT ip_address, port FROM inspection_collectors ORDER BY position",
	[S_COLLECTOR_CLEAR] = "DELETE FROM inspection_collectors",
	[S_COLLECTOR_ADD] = "INSERT INTO inspection_collectors (position, ip_address, port)"
			    " VALUES (?1, ?2, ?3)",
	[S_DNS_GET] = "SELECT primary_ip_address, secondary_ip_address FROM device_dns"
		      " WHERE id = 1",
	[S_DNS_PUT] = "INSERT INTO device_dns (id, primary_ip_address, secondary_ip_address)"
		      " VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET"
		      " primary_ip_address = excluded.primary_ip_address,"
		      " secondary_ip_address = excluded.secondary_ip_address",
	[S_SIM_ENABLED_GET] = "SELECT enabled FROM sim_based_routing WHERE id = 1",
	[S_SIM_ENABLED_PUT] = "INSERT INTO sim_based_routing (id, enabled) VALUES (1, ?1)"
			      " ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled",
	[S_SIM_ROUTE_LIST] = "SELECT imsi, cidr FROM sim_routes ORDER BY position",
	[S_SIM_ROUTE_CLEAR] = "DELETE FROM sim_routes",
	[S_SIM_ROUTE_ADD] = "INSERT INTO sim_routes (position, imsi, cidr) VALUES (?1, ?2, ?3)",
	[S_CAPTURE_PUT] = "INSERT OR REPLACE INTO packet_capture_sessions (id, prefix, imsi,"
			  " duration, status, created_ms, started_ms, ended_ms, failed_reason,"
			  " truncated, packets, bytes, dropped)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[S_CAPTURE_DELETE] = "DELETE FROM packet_capture_sessions WHERE id = ?1",
	[S_CAPTURE_LIST] = "SELECT id, prefix, imsi, duration, status, created_ms, started_ms,"
			   " ended_ms, failed_reason, truncated, packets, bytes, dropped"
			   " FROM packet_capture_sessions ORDER BY created_ms, id",
};

int
store_set_err(struct store *st, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return rc;
}

int
store_db_err(struct store *st, int rc, const char *what)
{
	return store_set_err(st, rc, "%s: %s", what, sqlite3_errmsg(st->db));
}

int
store_exec(struct store *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_err(st, -EIO, sql);
	return 0;
}

/* Runs a statement that yields one integer, such as a PRAGMA read. */
static int
store_query_int(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt *s = NULL;
	int rc = -EIO;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_db_err(st, -EIO, sql);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*out = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		store_db_err(st, -EIO, sql);
	}
	sqlite3_finalize(s);
	return rc;
}

/*
 * Creating the file ourselves gives it mode 0600 whatever SQLite's default;
 * SQLite then gives the -wal and -shm files the database file's mode. A new
 * directory entry is synced, since SQLite syncs the directory only for its
 * journals.
 */
static int
store_create_file(const char *dir, const char *path, char *err, size_t errlen)
{
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	return 0;
}

/*
 * WAL with synchronous=FULL syncs the log at every commit, so a change the
 * API has acknowledged survives kill -9 and power loss alike. WAL needs
 * shared memory the file system may not offer; then journal_mode stays as it
 * was, and that is refused rather than silently weaker.
 */
static int
store_configure(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int ok;

	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) != SQLITE_OK)
		return store_db_err(st, -EIO, "PRAGMA journal_mode");
	ok = sqlite3_step(s) == SQLITE_ROW &&
	     strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
	if (!ok)
		store_db_err(st, -EIO, "cannot use WAL journal mode");
	sqlite3_finalize(s);
	if (!ok)
		return -EIO;
	return store_exec(st, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
}

/*
 * Refuses a file that is not ours, or one a newer vpgd has written. A file
 * with neither mark is taken only when empty: tables there are someone
 * else's.
 */
static int
store_check_version(struct store *st, int version, int app_id, int tables)
{
	if (app_id != STORE_APP_ID && !(app_id == 0 && version == 0))
		return store_set_err(
		    st, -EINVAL, "not a vpgd database (application_id %#x)", (unsigned)app_id);
	if (app_id == 0 && tables > 0)
		return store_set_err(
		    st, -EINVAL, "not a vpgd database (tables but no vpgd schema)");
	if (version < 0 || (size_t)version > N_MIGRATIONS)
		return store_set_err(st, -EINVAL,
		    "written by a newer vpgd: schema version %d, this vpgd knows up to %zu",
		    version, N_MIGRATIONS);
	return 0;
}

/*
 * BEGIN IMMEDIATE takes the write lock before reading the version, so two
 * processes opening the same new file cannot both run a step.
 */
static int
store_migrate(struct store *st)
{
	char sql[96];
	int version = 0, app_id = 0, tables = 0;

	if (store_exec(st, "BEGIN IMMEDIATE") < 0)
		return -EIO;
	if (store_query_int(st, "PRAGMA user_version", &version) < 0 ||
	    store_query_int(st, "PRAGMA application_id", &app_id) < 0 ||
	    store_query_int(st, "SELECT count(*) FROM sqlite_master", &tables) < 0 ||
	    store_check_version(st, version, app_id, tables) < 0)
		goto rollback;
	if ((size_t)version == N_MIGRATIONS)
		return store_exec(st, "COMMIT");
	for (size_t i = (size_t)version; i < N_MIGRATIONS; i++) {
		if (sqlite3_exec(st->db, migrations[i], NULL, NULL, NULL) != SQLITE_OK) {
			store_set_err(
			    st, -EIO, "schema step %zu: %s", i + 1, sqlite3_errmsg(st->db));
			goto rollback;
		}
	}
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %zu",
	    STORE_APP_ID, N_MIGRATIONS);
	if (store_exec(st, sql) < 0 || store_exec(st, "COMMIT") < 0)
		goto rollback;
	return 0;
rollback:
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -EIO;
}

/* The host-order value of dotted text of len bytes; -1 if it is not an address. */
static int
store_ipv4_value(int len, const void *text, uint32_t *host)
{
	char buf[16];
	uint32_t be;

	if (len < 0 || (size_t)len >= sizeof(buf))
		return -1;
	memcpy(buf, text, (size_t)len);
	buf[len] = '\0';
	if (parse_ipv4(buf, &be) < 0)
		return -1;
	*host = ntohl(be);
	return 0;
}

/*
 * Addresses compare by value. Text that is no address (only a hand edit puts
 * it there) comes after every address, in byte order, so that the order
 * stays total as SQLite requires of a collation.
 */
static int
store_ipv4_cmp(void *arg, int alen, const void *a, int blen, const void *b)
{
	uint32_t x = 0, y = 0;
	int xbad = store_ipv4_value(alen, a, &x) < 0;
	int ybad = store_ipv4_value(blen, b, &y) < 0;
	int n = alen < blen ? alen : blen, rc = 0;

	(void)arg;
	if (xbad != ybad)
		return xbad - ybad;
	if (!xbad)
		return (x > y) - (x < y);
	if (n > 0)
		rc = memcmp(a, b, (size_t)n);
	return rc != 0 ? rc : (alen > blen) - (alen < blen);
}

/* The statements name the collation, so it must exist before they are prepared. */
static int
store_prepare(struct store *st)
{
	if (sqlite3_create_collation_v2(
		st->db, STORE_IPV4_COLLATION, SQLITE_UTF8, NULL, store_ipv4_cmp, NULL) != SQLITE_OK)
		return store_db_err(st, -EIO, "collation " STORE_IPV4_COLLATION);
	for (int i = 0; i < S_COUNT; i++)
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
			&st->stmt[i], NULL) != SQLITE_OK)
			return store_db_err(st, -EIO, stmt_sql[i]);
	return 0;
}

struct store *
store_open(const char *state_dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct store *st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	if (snprintf(path, sizeof(path), "%s/%s", state_dir, STORE_FILE) >= (int)sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", state_dir);
		return NULL;
	}
	if (store_create_file(state_dir, path, err, errlen) < 0)
		return NULL;
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		store_db_err(st, -EIO, "cannot open");
		goto fail;
	}
	if (store_configure(st) < 0 || store_migrate(st) < 0 || store_prepare(st) < 0)
		goto fail;
	return st;
fail:
	snprintf(err, errlen, "%s: %s", path, st->err);
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}

const char *
store_errmsg(const struct store *st)
{
	return st->err;
}

int
store_step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s), ret = 0;

	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			ret = -EEXIST;
		else if (rc == SQLITE_CONSTRAINT_CHECK)
			ret = -EINVAL;
		else
			ret = -EIO;
		store_db_err(st, ret, what);
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return ret;
}

int
store_bind2(struct store *st, sqlite3_stmt *s, const char *a, const char *b)
{
	if (sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC) != SQLITE_OK ||
	    (b != NULL && sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC) != SQLITE_OK)) {
		store_db_err(st, -EIO, "bind");
		sqlite3_clear_bindings(s);
		return -EIO;
	}
	return 0;
}

int
store_map_put(struct store *st, const char *imsi, uint32_t addr_be)
{
	sqlite3_stmt *s = st->stmt[S_MAP_PUT];
	char addr[16];

	if (parse_imsi(imsi) < 0)
		return store_set_err(st, -EINVAL, "ip_address_map: not an IMSI");
	if (store_bind2(st, s, imsi, ipv4_str(addr_be, addr)) < 0)
		return -EIO;
	return store_step_done(st, s, "ip_address_map put");
}

int
store_map_delete(struct store *st, const char *imsi)
{
	sqlite3_stmt *s = st->stmt[S_MAP_DELETE];
	int rc;

	if (store_bind2(st, s, imsi, NULL) < 0)
		return -EIO;
	rc = store_step_done(st, s, "ip_address_map delete");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return -ENOENT;
	return rc;
}

/* A row edited by hand into something we would not write is an I/O error. */
static int
store_map_row(sqlite3_stmt *s, char imsi[16], uint32_t *addr_be)
{
	const char *k = (const char *)sqlite3_column_text(s, 0);
	const char *v = (const char *)sqlite3_column_text(s, 1);

	if (k == NULL || v == NULL || parse_imsi(k) < 0 || parse_ipv4(v, addr_be) < 0)
		return -EIO;
	memcpy(imsi, k, strlen(k) + 1);
	return 0;
}

int
store_map_foreach(
    struct store *st, int (*fn)(void *arg, const char *imsi, uint32_t addr_be), void *arg)
{
	sqlite3_stmt *s = st->stmt[S_MAP_LIST];
	char imsi[16];
	uint32_t addr;
	int rc, ret = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_map_row(s, imsi, &addr) < 0) {
			ret = store_set_err(st, -EIO, "ip_address_map: malformed row");
			break;
		}
		ret = fn(arg, imsi, addr);
		if (ret != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "ip_address_map list");
	sqlite3_reset(s);
	return ret;
}

int
store_meta_get(struct store *st, const char *key, char *val, size_t cap)
{
	sqlite3_stmt *s = st->stmt[S_META_GET];
	const char *v;
	size_t n;
	int rc, ret = -ENOENT;

	if (store_bind2(st, s, key, NULL) < 0)
		return -EIO;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(s, 0);
		n = v == NULL ? 0 : (size_t)sqlite3_column_bytes(s, 0);
		ret = n < cap ? 0 : -ENOSPC;
		if (ret == 0) {
			memcpy(val, v == NULL ? "" : v, n);
			val[n] = '\0';
		}
	} else if (rc != SQLITE_DONE) {
		ret = store_db_err(st, -EIO, "meta get");
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return ret;
}

int
store_meta_put(struct store *st, const char *key, const char *val)
{
	sqlite3_stmt *s = st->stmt[S_META_PUT];

	if (store_bind2(st, s, key, val) < 0)
		return -EIO;
	return store_step_done(st, s, "meta put");
}
