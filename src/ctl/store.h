/*
 * The gateway's persistent configuration objects, in <stateDirectory>/vpgd.db
 * (SQLite). Every call that changes something is one statement or one
 * transaction, committed and synced before it returns, so the API can answer
 * only after the change would survive a crash. Errors are returned as a
 * negative errno, never printed; store_errmsg says what went wrong for the
 * caller's log.
 */
#ifndef VPG_CTL_STORE_H
#define VPG_CTL_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_FILE "vpgd.db"

struct store;

/*
 * Opens (creating when absent, mode 0600) state_dir/vpgd.db and brings its
 * schema up to date. NULL with a one-line message in err on failure,
 * including a database written by a newer vpgd.
 */
struct store *store_open(const char *state_dir, char *err, size_t errlen);
void store_close(struct store *st);
/* The last failure's message, for the log ("" when none). */
const char *store_errmsg(const struct store *st);

/*
 * The IP address map: IMSI -> device address (network order). Put inserts or
 * replaces one IMSI's entry: 0, -EINVAL for a malformed IMSI, -EEXIST when
 * the address is mapped to another IMSI (nothing changed), -EIO otherwise.
 */
int store_map_put(struct store *st, const char *imsi, uint32_t addr_be);
/* 0, -ENOENT when the IMSI has no entry, -EIO. */
int store_map_delete(struct store *st, const char *imsi);
/*
 * Calls fn for every entry, sorted by IMSI; fn must not call the store.
 * Stops at and returns fn's first non-zero value; 0 at the end, -EIO.
 */
int store_map_foreach(
    struct store *st, int (*fn)(void *arg, const char *imsi, uint32_t addr_be), void *arg);

/*
 * A small key/value table for the store's own bookkeeping. Get: 0, -ENOENT,
 * -ENOSPC when the value does not fit cap (NUL included), -EIO. Put: 0, -EIO.
 */
int store_meta_get(struct store *st, const char *key, char *val, size_t cap);
int store_meta_put(struct store *st, const char *key, const char *val);

#endif
