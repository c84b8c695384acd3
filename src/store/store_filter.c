#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conf/parse.h"
#include "store/store_internal.h"
#include "fwd/filter.h"

/* "255.255.255.255/32" and its NUL. */
#define CIDR_LEN 19

static const char *
action_str(enum filter_action a)
{
	return a == FILTER_DENY ? "deny" : "allow";
}

/* A row edited by hand past the schema's checks is an I/O error. */
static int
store_filter_row(sqlite3_stmt *s, struct filter_rule *out)
{
	const char *action = (const char *)sqlite3_column_text(s, 1);
	const char *cidr = (const char *)sqlite3_column_text(s, 2);

	if (sqlite3_column_type(s, 0) != SQLITE_INTEGER || action == NULL || cidr == NULL)
		return -EIO;
	if (strcmp(action, "allow") == 0)
		out->action = FILTER_ALLOW;
	else if (strcmp(action, "deny") == 0)
		out->action = FILTER_DENY;
	else
		return -EIO;
	return parse_cidr(cidr, &out->net_be, &out->prefix) < 0 ? -EIO : 0;
}

int
store_filter_get(struct store *st, struct filter_rule *out, unsigned cap, unsigned *n)
{
	sqlite3_stmt *s = st->stmt[S_FILTER_LIST];
	unsigned i = 0;
	int rc, ret = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (i == cap) {
			ret = store_set_err(
			    st, -ENOSPC, "routing_filter: more than %u rules stored", cap);
			break;
		}
		if (store_filter_row(s, &out[i]) < 0) {
			ret = store_set_err(st, -EIO, "routing_filter: malformed row");
			break;
		}
		i++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "routing_filter list");
	sqlite3_reset(s);
	if (ret == 0)
		*n = i;
	return ret;
}

static int
store_filter_add(struct store *st, unsigned pos, const struct filter_rule *r)
{
	sqlite3_stmt *s = st->stmt[S_FILTER_ADD];
	char addr[16], cidr[CIDR_LEN + 1];

	snprintf(cidr, sizeof(cidr), "%s/%u", ipv4_str(r->net_be, addr), (unsigned)r->prefix);
	if (sqlite3_bind_int64(s, 1, pos) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, action_str(r->action), -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, cidr, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "routing_filter add");
}

/*
 * The rules are checked by filter_set, the packet path's own validator, so
 * the store never holds a list the filter would refuse at restore. BEGIN
 * IMMEDIATE takes the write lock first, so the delete and the inserts
 * commit together or not at all.
 */
int
store_filter_put(struct store *st, const struct filter_rule *rules, unsigned n)
{
	struct filter check;
	int rc;

	if (filter_set(&check, rules, n) < 0)
		return store_set_err(st, -EINVAL, "routing_filter: invalid rule list");
	if (store_exec(st, "BEGIN IMMEDIATE") < 0)
		return -EIO;
	rc = store_step_done(st, st->stmt[S_FILTER_CLEAR], "routing_filter clear");
	for (unsigned i = 0; rc == 0 && i < n; i++)
		rc = store_filter_add(st, i, &rules[i]);
	if (rc == 0 && store_exec(st, "COMMIT") == 0)
		return 0;
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -EIO;
}
