#include "store/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "conf/parse.h"
#include "store/store_internal.h"

/* A row edited by hand past the schema's checks is an I/O error. */
static int
store_gate_row(sqlite3_stmt *s, struct store_gate *out)
{
	sqlite3_int64 is_open, vni, sep;

	for (int i = 0; i < 3; i++)
		if (sqlite3_column_type(s, i) != SQLITE_INTEGER)
			return -EIO;
	is_open = sqlite3_column_int64(s, 0);
	vni = sqlite3_column_int64(s, 1);
	sep = sqlite3_column_int64(s, 2);
	if ((is_open != 0 && is_open != 1) || vni < 1 || vni > STORE_VNI_MAX ||
	    (sep != 0 && sep != 1))
		return -EIO;
	out->open = is_open == 1;
	out->vni = (uint32_t)vni;
	out->privacy_separator = sep == 1;
	return 0;
}

int
store_gate_get(struct store *st, struct store_gate *out)
{
	sqlite3_stmt *s = st->stmt[S_GATE_GET];
	struct store_gate g;
	int rc, ret = -ENOENT;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ret = store_gate_row(s, &g);
		if (ret == 0)
			*out = g;
		else
			store_set_err(st, -EIO, "gate: malformed row");
	} else if (rc != SQLITE_DONE) {
		ret = store_db_err(st, -EIO, "gate get");
	}
	sqlite3_reset(s);
	return ret;
}

int
store_gate_put(struct store *st, const struct store_gate *gate)
{
	sqlite3_stmt *s = st->stmt[S_GATE_PUT];

	if (gate->vni < 1 || gate->vni > STORE_VNI_MAX)
		return store_set_err(st, -EINVAL, "gate: VNI %u out of range", gate->vni);
	if (sqlite3_bind_int(s, 1, gate->open) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, gate->vni) != SQLITE_OK ||
	    sqlite3_bind_int(s, 3, gate->privacy_separator) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "gate put");
}

int
store_gate_peer_add(struct store *st, uint32_t outer_be, uint32_t inner_be)
{
	sqlite3_stmt *s = st->stmt[S_PEER_ADD];
	char outer[16], inner[16];

	if (store_bind2(st, s, ipv4_str(outer_be, outer), ipv4_str(inner_be, inner)) < 0)
		return -EIO;
	return store_step_done(st, s, "gate_peers add");
}

int
store_gate_peer_delete(struct store *st, uint32_t outer_be)
{
	sqlite3_stmt *s = st->stmt[S_PEER_DELETE];
	char outer[16];
	int rc;

	if (store_bind2(st, s, ipv4_str(outer_be, outer), NULL) < 0)
		return -EIO;
	rc = store_step_done(st, s, "gate_peers delete");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return -ENOENT;
	return rc;
}

static int
store_peer_row(sqlite3_stmt *s, uint32_t *outer_be, uint32_t *inner_be)
{
	const char *o = (const char *)sqlite3_column_text(s, 0);
	const char *i = (const char *)sqlite3_column_text(s, 1);

	if (o == NULL || i == NULL || parse_ipv4(o, outer_be) < 0 || parse_ipv4(i, inner_be) < 0)
		return -EIO;
	return 0;
}

int
store_gate_peer_foreach(
    struct store *st, int (*fn)(void *arg, uint32_t outer_be, uint32_t inner_be), void *arg)
{
	sqlite3_stmt *s = st->stmt[S_PEER_LIST];
	uint32_t outer, inner;
	int rc, ret = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_peer_row(s, &outer, &inner) < 0) {
			ret = store_set_err(st, -EIO, "gate_peers: malformed row");
			break;
		}
		ret = fn(arg, outer, inner);
		if (ret != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_db_err(st, -EIO, "gate_peers list");
	sqlite3_reset(s);
	return ret;
}

/*
 * A row edited by hand past the schema's checks is an I/O error; out is
 * written only once the whole row is known good.
 */
static int
store_redirection_row(sqlite3_stmt *s, struct store_redirection *out)
{
	const char *gw = (const char *)sqlite3_column_text(s, 0);
	sqlite3_int64 enabled = sqlite3_column_int64(s, 1);
	const void *desc;
	uint32_t addr;
	int n;

	if (gw == NULL || parse_ipv4(gw, &addr) < 0 ||
	    sqlite3_column_type(s, 1) != SQLITE_INTEGER || (enabled != 0 && enabled != 1) ||
	    sqlite3_column_type(s, 2) != SQLITE_TEXT)
		return -EIO;
	desc = sqlite3_column_text(s, 2);
	n = sqlite3_column_bytes(s, 2);
	if (desc == NULL || n < 0 || (size_t)n >= sizeof(out->description) ||
	    memchr(desc, '\0', (size_t)n) != NULL)
		return -EIO;
	out->gateway_be = addr;
	out->enabled = enabled == 1;
	memcpy(out->description, desc, (size_t)n);
	out->description[n] = '\0';
	return 0;
}

int
store_redirection_get(struct store *st, struct store_redirection *out)
{
	sqlite3_stmt *s = st->stmt[S_REDIR_GET];
	int rc, ret = -ENOENT;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ret = store_redirection_row(s, out);
		if (ret < 0)
			store_set_err(st, -EIO, "redirection: malformed row");
	} else if (rc != SQLITE_DONE) {
		ret = store_db_err(st, -EIO, "redirection get");
	}
	sqlite3_reset(s);
	return ret;
}

int
store_redirection_put(struct store *st, const struct store_redirection *r)
{
	sqlite3_stmt *s = st->stmt[S_REDIR_PUT];
	char gw[16];

	if (memchr(r->description, '\0', sizeof(r->description)) == NULL)
		return store_set_err(st, -EINVAL, "redirection: description not terminated");
	if (sqlite3_bind_text(s, 1, ipv4_str(r->gateway_be, gw), -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(s, 2, r->enabled) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, r->description, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_clear_bindings(s);
		return store_db_err(st, -EIO, "bind");
	}
	return store_step_done(st, s, "redirection put");
}

int
store_redirection_delete(struct store *st)
{
	int rc = store_step_done(st, st->stmt[S_REDIR_DELETE], "redirection delete");

	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return -ENOENT;
	return rc;
}
