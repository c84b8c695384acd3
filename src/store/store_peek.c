#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "store/store_internal.h"

static int
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

static int
bind_u64(sqlite3_stmt *s, int i, uint64_t v)
{
	return sqlite3_bind_int64(s, i, (sqlite3_int64)v) == SQLITE_OK ? 0 : -1;
}

int
store_capture_put(struct store *st, const struct store_capture *c)
{
	sqlite3_stmt *s = st->stmt[S_CAPTURE_PUT];

	if (memchr(c->id, '\0', sizeof(c->id)) == NULL ||
	    memchr(c->prefix, '\0', sizeof(c->prefix)) == NULL ||
	    memchr(c->imsi, '\0', sizeof(c->imsi)) == NULL ||
	    memchr(c->status, '\0', sizeof(c->status)) == NULL ||
	    memchr(c->failed_reason, '\0', sizeof(c->failed_reason)) == NULL)
		return store_set_err(st, -EINVAL, "packet_capture_sessions: text not terminated");
	if (bind_text(s, 1, c->id) < 0 || bind_text(s, 2, c->prefix) < 0 ||
	    bind_text(s, 3, c->imsi) < 0 || bind_u64(s, 4, c->duration_s) < 0 ||
	    bind_text(s, 5, c->status) < 0 || bind_u64(s, 6, c->created_ms) < 0 ||
	    bind_u64(s, 7, c->started_ms) < 0 || bind_u64(s, 8, c->ended_ms) < 0 ||
	    bind_text(s, 9, c->failed_reason) < 0 || bind_u64(s, 10, c->truncated) < 0 ||
	    bind_u64(s, 11, c->packets) < 0 || bind_u64(s, 12, c->bytes) < 0 ||
	    bind_u64(s, 13, c->dropped) < 0) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "packet_capture_sessions put");
}

int
store_capture_delete(struct store *st, const char *id)
{
	sqlite3_stmt *s = st->stmt[S_CAPTURE_DELETE];
	int rc;

	if (store_bind2(st, s, id, NULL) < 0)
		return -EIO;
	rc = store_step_done(st, s, "packet_capture_sessions delete");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return -ENOENT;
	return rc;
}

/* Column i as text into out (cap bytes, NUL included): -1 when of another type or too long. */
static int
column_text(sqlite3_stmt *s, int i, char *out, size_t cap)
{
	const unsigned char *v;
	int n;

	if (sqlite3_column_type(s, i) != SQLITE_TEXT)
		return -1;
	v = sqlite3_column_text(s, i);
	n = sqlite3_column_bytes(s, i);
	if (v == NULL || n < 0 || (size_t)n >= cap || memchr(v, '\0', (size_t)n) != NULL)
		return -1;
	memcpy(out, v, (size_t)n);
	out[n] = '\0';
	return 0;
}

static int
column_u64(sqlite3_stmt *s, int i, uint64_t *out)
{
	sqlite3_int64 v;

	if (sqlite3_column_type(s, i) != SQLITE_INTEGER || (v = sqlite3_column_int64(s, i)) < 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* A row edited past the schema's checks (a negative count, a blob) is an I/O error. */
static int
store_capture_row(sqlite3_stmt *s, struct store_capture *c)
{
	uint64_t duration, truncated;

	memset(c, 0, sizeof(*c));
	if (column_text(s, 0, c->id, sizeof(c->id)) < 0 ||
	    column_text(s, 1, c->prefix, sizeof(c->prefix)) < 0 ||
	    column_text(s, 2, c->imsi, sizeof(c->imsi)) < 0 || column_u64(s, 3, &duration) < 0 ||
	    column_text(s, 4, c->status, sizeof(c->status)) < 0 ||
	    column_u64(s, 5, &c->created_ms) < 0 || column_u64(s, 6, &c->started_ms) < 0 ||
	    column_u64(s, 7, &c->ended_ms) < 0 ||
	    column_text(s, 8, c->failed_reason, sizeof(c->failed_reason)) < 0 ||
	    column_u64(s, 9, &truncated) < 0 || column_u64(s, 10, &c->packets) < 0 ||
	    column_u64(s, 11, &c->bytes) < 0 || column_u64(s, 12, &c->dropped) < 0)
		return -EIO;
	/* The id names a file: hex digits only, whatever was written into the row. */
	if (duration < 1 || duration > 86400 || truncated > 1 || c->id[0] == '\0' ||
	    strspn(c->id, "0123456789abcdef") != strlen(c->id))
		return -EIO;
	c->duration_s = (uint32_t)duration;
	c->truncated = truncated == 1;
	return 0;
}

int
store_capture_foreach(
    struct store *st, int (*fn)(void *arg, const struct store_capture *c), void *arg)
{
	sqlite3_stmt *s = st->stmt[S_CAPTURE_LIST];
	struct store_capture c;
	int rc, ret = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_capture_row(s, &c) < 0) {
			ret = store_set_err(st, -EIO, "packet_capture_sessions: malformed row");
			break;
		}
		ret = fn(arg, &c);
		if (ret != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "packet_capture_sessions list");
	sqlite3_reset(s);
	return ret;
}
