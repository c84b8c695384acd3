#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "conf/parse.h"
#include "store/store_internal.h"

int
store_mirror_put(struct store *st, const struct store_mirror_peer *p)
{
	sqlite3_stmt *s = st->stmt[S_MIRROR_PUT];
	char addr[16];

	if (memchr(p->description, '\0', sizeof(p->description)) == NULL)
		return store_set_err(st, -EINVAL, "mirroring_peers: description not terminated");
	if (sqlite3_bind_text(s, 1, ipv4_str(p->addr_be, addr), -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(s, 2, p->enabled) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, p->description, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "mirroring_peers put");
}

int
store_mirror_delete(struct store *st, uint32_t addr_be)
{
	sqlite3_stmt *s = st->stmt[S_MIRROR_DELETE];
	char addr[16];
	int rc;

	if (store_bind2(st, s, ipv4_str(addr_be, addr), NULL) < 0)
		return -EIO;
	rc = store_step_done(st, s, "mirroring_peers delete");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return -ENOENT;
	return rc;
}

/*
 * A row edited by hand past the schema's checks is an I/O error: an address
 * that is no dotted quad, another protocol, a flag other than 0 or 1, a
 * description that is not text of at most 255 bytes without a NUL.
 */
static int
store_mirror_row(sqlite3_stmt *s, struct store_mirror_peer *out)
{
	const char *addr, *proto;
	const void *desc;
	sqlite3_int64 enabled;
	int n;

	/* Types first: reading a value of another type would convert it. */
	if (sqlite3_column_type(s, 0) != SQLITE_TEXT || sqlite3_column_type(s, 1) != SQLITE_TEXT ||
	    sqlite3_column_type(s, 2) != SQLITE_INTEGER || sqlite3_column_type(s, 3) != SQLITE_TEXT)
		return -EIO;
	addr = (const char *)sqlite3_column_text(s, 0);
	proto = (const char *)sqlite3_column_text(s, 1);
	enabled = sqlite3_column_int64(s, 2);
	desc = sqlite3_column_text(s, 3);
	n = sqlite3_column_bytes(s, 3);
	if (addr == NULL || parse_ipv4(addr, &out->addr_be) < 0 || proto == NULL ||
	    strcmp(proto, "gre") != 0 || (enabled != 0 && enabled != 1))
		return -EIO;
	if (desc == NULL || n < 0 || (size_t)n >= sizeof(out->description) ||
	    memchr(desc, '\0', (size_t)n) != NULL)
		return -EIO;
	out->enabled = enabled == 1;
	memcpy(out->description, desc, (size_t)n);
	out->description[n] = '\0';
	return 0;
}

int
store_mirror_foreach(
    struct store *st, int (*fn)(void *arg, const struct store_mirror_peer *p), void *arg)
{
	sqlite3_stmt *s = st->stmt[S_MIRROR_LIST];
	struct store_mirror_peer p;
	int rc, ret = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_mirror_row(s, &p) < 0) {
			ret = store_set_err(st, -EIO, "mirroring_peers: malformed row");
			break;
		}
		ret = fn(arg, &p);
		if (ret != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "mirroring_peers list");
	sqlite3_reset(s);
	return ret;
}
