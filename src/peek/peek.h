/*
 * Peek: packet capture sessions (docs/API.md "Peek"). A capture takes the
 * devices' own IPv4 packets, both ways, of the whole gateway or of one IMSI,
 * for a duration, into a pcapng file under <stateDirectory>/peek/; each
 * packet carries its direction (epb_flags) and its device's IMSI (a packet
 * comment). Statuses as the commercial API's: REQUESTED while the file is
 * made, CAPTURING, then DONE (the duration is over, stopped, or the size
 * limit reached: truncated) or FAILED with failedReason.
 *
 * Everything here runs on the control thread. The data path only fills
 * fwd/peek.h's ring; peek_tick empties it into the files. The tables are
 * taken (io/handoff.h) only to start or stop a slot of the tap, never
 * across a file write or a store commit: callers must not hold them.
 * Captures' metadata lives in the store, so that after a restart the
 * finished ones are listed and downloadable, and one cut short by the
 * restart is FAILED with a reason saying so.
 */
#ifndef VPG_PEEK_PEEK_H
#define VPG_PEEK_PEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwd/peek.h"
#include "store/store.h"

/* A capture's duration; the bootstrap file's limits are conf/config.h's CONFIG_PEEK_*. */
#define PEEK_MIN_DURATION_S 1
#define PEEK_MAX_DURATION_S 86400
/* Captures kept (of every status) at most; beyond, new ones are refused. */
#define PEEK_MAX_KEPT 256
/* The ring between the data path and the files. */
#define PEEK_RING_BYTES (16u << 20)
/* How often the control thread empties the ring and checks deadlines. */
#define PEEK_TICK_MS 10

struct handoff;

struct peek_config {
	unsigned max_sessions; /* captures running at once, 1..PEEK_TAP_SLOTS */
	uint64_t max_bytes;    /* a capture's file, at most */
	uint32_t retention_s;  /* a finished capture is removed this long after its end */
};

/* One capture as the API shows it: the stored record, live counts included. */
struct peek_capture;
const struct store_capture *peek_capture_info(const struct peek_capture *c);
/* True while its file can be downloaded (finished, and the file is there). */
bool peek_capture_has_file(const struct peek_capture *c);

struct peek;

/*
 * Loads the stored captures: those left REQUESTED or CAPTURING by a stop
 * that did not finish them become FAILED, and those past their retention
 * go. tables may be NULL (a single-threaded caller). NULL with a message in
 * err on failure (the store cannot be read, no memory).
 */
struct peek *peek_new(const struct peek_config *cfg, struct store *st, struct handoff *tables,
    const char *state_dir, char *err, size_t errlen);
/* Ends running captures FAILED ("the gateway stopped"), then frees everything. */
void peek_free(struct peek *p);
/* The tap the data path copies into (datapath.peek). */
struct peek_tap *peek_tap(struct peek *p);
const struct peek_config *peek_get_config(const struct peek *p);

/*
 * Called with the tables held each time a capture starts or stops taking
 * packets: a fast path that must leave captured packets to the socket path
 * (fwd/xdp.h) follows here, also when a capture ends by itself.
 */
void peek_set_change_hook(struct peek *p, void (*fn)(void *arg), void *arg);

/* Clocks; the tests set their own. */
void peek_set_clocks(struct peek *p, uint64_t (*wall_ms)(void), uint64_t (*mono_ms)(void));

/*
 * Starts a capture: imsi "" for the whole gateway. 0 with *out, or
 * -EBUSY (cfg.max_sessions capture already), -ENOSPC (PEEK_MAX_KEPT kept),
 * -EIO (the file or the store; *why says which, for the operator).
 */
int peek_start(struct peek *p, const char *prefix, const char *imsi, uint32_t duration_s,
    const struct peek_capture **out, const char **why);
/* 0, -ENOENT, -EALREADY when it is not capturing. */
int peek_stop(struct peek *p, const char *id);
/* Stops it if it runs, removes its file and its record: 0, -ENOENT, -EIO. */
int peek_delete(struct peek *p, const char *id);
const struct peek_capture *peek_find(const struct peek *p, const char *id);
/* The captures, oldest first. */
size_t peek_count(const struct peek *p);
const struct peek_capture *peek_at(const struct peek *p, size_t i);
/*
 * A finished capture's file, opened for reading: 0 with *fd and *size,
 * -ENOENT (no such capture), -EBUSY (still capturing), -ENODATA (no file:
 * it failed before writing one, or its file was removed).
 */
int peek_open_file(const struct peek *p, const char *id, int *fd, uint64_t *size);

/* Empties the ring into the files, ends captures whose time is up, removes expired ones. */
void peek_tick(struct peek *p);

/* Captures running now. */
unsigned peek_running(const struct peek *p);

#endif
