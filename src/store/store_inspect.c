#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "conf/parse.h"
#include "store/store_internal.h"
#include "inspect/inspect.h"

static bool
timeout_valid(uint32_t s)
{
	return s >= INSPECT_MIN_TIMEOUT_S && s <= INSPECT_MAX_TIMEOUT_S;
}

/*
 * The ranges of inspect/inspect.h, as inspect_config_check has them, plus no
 * collector twice; checked here rather than by calling it, so that the
 * store does not link the data path. Used both ways: the store never takes
 * a config the gateway would refuse at restore, and a row edited by hand
 * into one reads as an I/O error. O(n^2) in the collectors, of which there
 * are at most INSPECT_MAX_COLLECTORS.
 */
static bool
store_inspection_valid(const struct inspect_config *cfg)
{
	const struct inspect_collector *c = cfg->collectors;

	if (cfg->n_collectors < 1 || cfg->n_collectors > INSPECT_MAX_COLLECTORS)
		return false;
	for (unsigned i = 0; i < cfg->n_collectors; i++) {
		if (c[i].addr_be == 0 || c[i].port == 0)
			return false;
		for (unsigned j = 0; j < i; j++)
			if (c[j].addr_be == c[i].addr_be && c[j].port == c[i].port)
				return false;
	}
	return timeout_valid(cfg->active_timeout_s) && timeout_valid(cfg->idle_timeout_s) &&
	       cfg->max_flows >= INSPECT_MIN_FLOWS && cfg->max_flows <= INSPECT_MAX_FLOWS;
}

/* The settings row; its ranges are checked with the collectors, by store_inspection_valid. */
static int
store_inspection_row(sqlite3_stmt *s, struct inspect_config *out)
{
	sqlite3_int64 v[4];

	/* Types first: reading a value of another type would convert it. */
	for (int i = 0; i < 4; i++) {
		if (sqlite3_column_type(s, i) != SQLITE_INTEGER)
			return -EIO;
		v[i] = sqlite3_column_int64(s, i);
		if (v[i] < 0 || v[i] > UINT32_MAX)
			return -EIO;
	}
	if (v[0] != 0 && v[0] != 1)
		return -EIO;
	out->enabled = v[0] == 1;
	out->active_timeout_s = (uint32_t)v[1];
	out->idle_timeout_s = (uint32_t)v[2];
	out->max_flows = (uint32_t)v[3];
	return 0;
}

static int
store_collector_row(sqlite3_stmt *s, struct inspect_collector *out)
{
	const char *addr;
	sqlite3_int64 port;

	if (sqlite3_column_type(s, 0) != SQLITE_TEXT || sqlite3_column_type(s, 1) != SQLITE_INTEGER)
		return -EIO;
	addr = (const char *)sqlite3_column_text(s, 0);
	port = sqlite3_column_int64(s, 1);
	if (addr == NULL || parse_ipv4(addr, &out->addr_be) < 0 || port < 1 || port > 65535)
		return -EIO;
	out->port = (uint16_t)port;
	return 0;
}

/* Reads the collectors in order into cfg: 0 or -EIO, also for more than fit. */
static int
store_collectors_get(struct store *st, struct inspect_config *cfg)
{
	sqlite3_stmt *s = st->stmt[S_COLLECTOR_LIST];
	int rc, ret = 0;

	cfg->n_collectors = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (cfg->n_collectors == INSPECT_MAX_COLLECTORS ||
		    store_collector_row(s, &cfg->collectors[cfg->n_collectors]) < 0) {
			ret = store_set_err(st, -EIO, "inspection_collectors: malformed row");
			break;
		}
		cfg->n_collectors++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "inspection_collectors list");
	sqlite3_reset(s);
	return ret;
}

int
store_inspection_get(struct store *st, struct inspect_config *out)
{
	sqlite3_stmt *s = st->stmt[S_INSPECT_GET];
	struct inspect_config cfg;
	int rc, ret = -ENOENT;

	memset(&cfg, 0, sizeof(cfg));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && store_inspection_row(s, &cfg) == 0)
		ret = 0;
	else if (rc == SQLITE_ROW)
		ret = store_set_err(st, -EIO, "inspection: malformed row");
	else if (rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "inspection get");
	sqlite3_reset(s);
	if (ret == 0)
		ret = store_collectors_get(st, &cfg);
	if (ret == 0 && !store_inspection_valid(&cfg))
		ret = store_set_err(st, -EIO, "inspection: stored settings out of range");
	if (ret == 0)
		*out = cfg;
	return ret;
}

static int
store_inspection_put_row(struct store *st, const struct inspect_config *cfg)
{
	sqlite3_stmt *s = st->stmt[S_INSPECT_PUT];

	if (sqlite3_bind_int(s, 1, cfg->enabled) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, cfg->active_timeout_s) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, cfg->idle_timeout_s) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 4, cfg->max_flows) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "inspection put");
}

static int
store_collector_add(struct store *st, unsigned pos, const struct inspect_collector *c)
{
	sqlite3_stmt *s = st->stmt[S_COLLECTOR_ADD];
	char addr[16];

	if (sqlite3_bind_int64(s, 1, pos) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, ipv4_str(c->addr_be, addr), -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(s, 3, c->port) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "inspection_collectors add");
}

/*
 * BEGIN IMMEDIATE takes the write lock first, so the settings, the old
 * collectors' removal and the new ones commit together or not at all.
 */
int
store_inspection_put(struct store *st, const struct inspect_config *cfg)
{
	int rc;

	if (!store_inspection_valid(cfg))
		return store_set_err(st, -EINVAL, "inspection: settings out of range");
	if (store_exec(st, "BEGIN IMMEDIATE") < 0)
		return -EIO;
	rc = store_inspection_put_row(st, cfg);
	if (rc == 0)
		rc =
		    store_step_done(st, st->stmt[S_COLLECTOR_CLEAR], "inspection_collectors clear");
	for (unsigned i = 0; rc == 0 && i < cfg->n_collectors; i++)
		rc = store_collector_add(st, i, &cfg->collectors[i]);
	if (rc == 0 && store_exec(st, "COMMIT") == 0)
		return 0;
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -EIO;
}

int
store_inspection_delete(struct store *st)
{
	int rc;

	if (store_exec(st, "BEGIN IMMEDIATE") < 0)
		return -EIO;
	rc = store_step_done(st, st->stmt[S_INSPECT_DELETE], "inspection delete");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		rc = -ENOENT;
	if (rc == 0)
		rc =
		    store_step_done(st, st->stmt[S_COLLECTOR_CLEAR], "inspection_collectors clear");
	if (rc == 0 && store_exec(st, "COMMIT") == 0)
		return 0;
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc == -ENOENT ? -ENOENT : -EIO;
}
