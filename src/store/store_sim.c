#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf/parse.h"
#include "core/sim_routes.h"
#include "store/store_internal.h"

/* "255.255.255.255/32" and its NUL. */
#define CIDR_LEN 19

int
store_sim_enabled_get(struct store *st, bool *out)
{
	sqlite3_stmt *s = st->stmt[S_SIM_ENABLED_GET];
	int rc = sqlite3_step(s), ret;
	sqlite3_int64 v;

	if (rc == SQLITE_DONE) {
		ret = -ENOENT;
	} else if (rc != SQLITE_ROW) {
		ret = store_db_err(st, -EIO, "sim_based_routing get");
	} else if (sqlite3_column_type(s, 0) != SQLITE_INTEGER ||
		   ((v = sqlite3_column_int64(s, 0)) != 0 && v != 1)) {
		ret = store_set_err(st, -EIO, "sim_based_routing: malformed row");
	} else {
		*out = v == 1;
		ret = 0;
	}
	sqlite3_reset(s);
	return ret;
}

int
store_sim_enabled_put(struct store *st, bool enabled)
{
	sqlite3_stmt *s = st->stmt[S_SIM_ENABLED_PUT];

	if (sqlite3_bind_int(s, 1, enabled) != SQLITE_OK)
		return store_db_err(st, -EIO, "bind");
	return store_step_done(st, s, "sim_based_routing put");
}

/*
 * One row into the table: a device's ranges are consecutive rows, so a row
 * of the IMSI before it continues that device. A row edited by hand past
 * the schema's checks is an I/O error.
 */
static int
store_sim_row(sqlite3_stmt *s, struct sim_table *out)
{
	const char *imsi = (const char *)sqlite3_column_text(s, 0);
	const char *cidr = (const char *)sqlite3_column_text(s, 1);
	uint32_t net;
	uint8_t len;

	if (imsi == NULL || cidr == NULL || !sim_routes_imsi_valid(imsi) ||
	    parse_cidr(cidr, &net, &len) < 0)
		return -EIO;
	if ((out->n_devices == 0 || strcmp(out->device[out->n_devices - 1].imsi, imsi) != 0) &&
	    sim_table_add_device(out, imsi) < 0)
		return -EIO;
	return sim_table_add_prefix(out, net, len) < 0 ? -EIO : 0;
}

int
store_sim_routes_get(struct store *st, struct sim_table *out)
{
	sqlite3_stmt *s = st->stmt[S_SIM_ROUTE_LIST];
	int rc, ret = 0;

	memset(out, 0, sizeof(*out));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_sim_row(s, out) < 0) {
			ret = store_set_err(st, -EIO, "sim_routes: malformed row, or too many");
			break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "sim_routes list");
	sqlite3_reset(s);
	if (ret < 0)
		memset(out, 0, sizeof(*out));
	return ret;
}

/*
 * Each device's ranges right after the previous device's, each IMSI valid,
 * each device with a range: what sim_table_add_* build and what the rows
 * can give back. Two devices of one IMSI in a row would read back as one.
 */
static bool
store_sim_valid(const struct sim_table *t)
{
	unsigned next = 0;

	if (t->n_devices > SIM_ROUTES_MAX || t->n_prefixes > SIM_ROUTES_MAX)
		return false;
	for (unsigned i = 0; i < t->n_devices; i++) {
		const struct sim_device *d = &t->device[i];

		if (d->first != next || d->n == 0 || !sim_routes_imsi_valid(d->imsi) ||
		    (i > 0 && strcmp(t->device[i - 1].imsi, d->imsi) == 0))
			return false;
		next += d->n;
	}
	for (unsigned i = 0; i < t->n_prefixes; i++)
		if (t->prefix[i].len > 32)
			return false;
	return next == t->n_prefixes;
}

static int
store_sim_add(struct store *st, unsigned pos, const char *imsi, const struct sim_prefix *p)
{
	sqlite3_stmt *s = st->stmt[S_SIM_ROUTE_ADD];
	char addr[16], cidr[CIDR_LEN + 1];

	snprintf(cidr, sizeof(cidr), "%s/%u", ipv4_str(p->net_be, addr), (unsigned)p->len);
	if (sqlite3_bind_int64(s, 1, pos) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, imsi, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, cidr, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "sim_routes add");
}

/* BEGIN IMMEDIATE takes the write lock first, so the delete and the inserts commit together. */
int
store_sim_routes_put(struct store *st, const struct sim_table *t)
{
	int rc;

	if (!store_sim_valid(t))
		return store_set_err(st, -EINVAL, "sim_routes: not a valid table");
	if (store_exec(st, "BEGIN IMMEDIATE") < 0)
		return -EIO;
	rc = store_step_done(st, st->stmt[S_SIM_ROUTE_CLEAR], "sim_routes clear");
	for (unsigned i = 0; rc == 0 && i < t->n_devices; i++) {
		const struct sim_device *d = &t->device[i];

		for (unsigned k = 0; rc == 0 && k < d->n; k++)
			rc = store_sim_add(st, d->first + k, d->imsi, &t->prefix[d->first + k]);
	}
	if (rc == 0 && store_exec(st, "COMMIT") == 0)
		return 0;
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc == -EEXIST ? store_set_err(st, -EINVAL, "sim_routes: a range given twice") : -EIO;
}
