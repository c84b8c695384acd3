#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>

#include "conf/parse.h"
#include "store/store_internal.h"

/*
 * Column col of the row as an address: 0 and *n one more, 1 when NULL (no
 * server there), -EIO for anything vpgd would not have written.
 */
static int
store_dns_column(sqlite3_stmt *s, int col, uint32_t *out_be, unsigned *n)
{
	uint32_t addr;

	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return 1;
	/* Type first: reading a value of another type would convert it. */
	if (sqlite3_column_type(s, col) != SQLITE_TEXT ||
	    parse_dns_server((const char *)sqlite3_column_text(s, col), &addr) < 0)
		return -EIO;
	out_be[(*n)++] = addr;
	return 0;
}

/* The schema keeps a secondary from standing without a primary; a hand edit may not. */
static int
store_dns_row(sqlite3_stmt *s, uint32_t *out_be, unsigned *n)
{
	uint32_t addrs[STORE_MAX_DNS];
	unsigned got = 0;
	int first, second;

	first = store_dns_column(s, 0, addrs, &got);
	second = first < 0 ? -EIO : store_dns_column(s, 1, addrs, &got);
	if (first < 0 || second < 0 || (first == 1 && second == 0))
		return -EIO;
	for (unsigned i = 0; i < got; i++)
		out_be[i] = addrs[i];
	*n = got;
	return 0;
}

int
store_dns_get(struct store *st, uint32_t out_be[STORE_MAX_DNS], unsigned *n)
{
	sqlite3_stmt *s = st->stmt[S_DNS_GET];
	int rc, ret = -ENOENT;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ret = store_dns_row(s, out_be, n);
		if (ret < 0)
			store_set_err(st, -EIO, "device_dns: malformed row");
	} else if (rc != SQLITE_DONE) {
		ret = store_db_err(st, -EIO, "device_dns get");
	}
	sqlite3_reset(s);
	return ret;
}

/* Parameter i + 1: the address, dotted as ipv4_str writes it, or NULL for none. */
static int
store_dns_bind(sqlite3_stmt *s, int i, const uint32_t *dns_be, unsigned n)
{
	char addr[16];

	if ((unsigned)i >= n)
		return sqlite3_bind_null(s, i + 1);
	return sqlite3_bind_text(s, i + 1, ipv4_str(dns_be[i], addr), -1, SQLITE_TRANSIENT);
}

int
store_dns_put(struct store *st, const uint32_t *dns_be, unsigned n)
{
	sqlite3_stmt *s = st->stmt[S_DNS_PUT];

	if (n > STORE_MAX_DNS)
		return store_set_err(
		    st, -EINVAL, "device_dns: more than %d servers", STORE_MAX_DNS);
	if (store_dns_bind(s, 0, dns_be, n) != SQLITE_OK ||
	    store_dns_bind(s, 1, dns_be, n) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "device_dns put");
}
