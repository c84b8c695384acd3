#include "peek/peek.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/handoff.h"
#include "io/log.h"
#include "proto/pcapng.h"

/* Blocks are gathered and written this many bytes at a time. */
#define WRITE_BUF (64u << 10)
/* Records a tick takes from the ring at most, so the API is never kept waiting long. */
#define DRAIN_MAX 65536
#define NO_SLOT	  (-1)

struct peek_capture {
	struct store_capture rec;
	int slot;	/* of the tap while capturing, else NO_SLOT */
	int fd;		/* the file while capturing, else -1 */
	bool accepting; /* records are written while true */
	bool has_file;	/* the file is there to download */
	bool end_due;	/* to be ended at the next chance, as end_status */
	const char *end_status;
	char end_reason[161];
	uint64_t deadline_mono_ms;
	uint8_t *buf;
	size_t buf_len;
};

struct peek {
	struct peek_config cfg;
	struct peek_tap *tap;
	struct handoff *tables;
	struct store *store;
	/*
	 * The state directory, opened at start-up: files are made relative to
	 * it, since once unprivileged the gateway may not be able to reach it
	 * by its path (a parent closed to its user).
	 */
	int dirfd;
	struct peek_capture *cap[PEEK_MAX_KEPT];
	size_t n;
	uint64_t (*wall_ms)(void);
	uint64_t (*mono_ms)(void);
	uint64_t next_expiry_check_ms;
	char why[160]; /* the last failure to start, for the API's answer */
	void (*on_change)(void *arg);
	void *on_change_arg;
};

static uint64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
real_wall_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

static uint64_t
real_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

const struct store_capture *
peek_capture_info(const struct peek_capture *c)
{
	return &c->rec;
}

bool
peek_capture_has_file(const struct peek_capture *c)
{
	return c->has_file && c->slot == NO_SLOT;
}

struct peek_tap *
peek_tap(struct peek *p)
{
	return p->tap;
}

const struct peek_config *
peek_get_config(const struct peek *p)
{
	return &p->cfg;
}

void
peek_set_change_hook(struct peek *p, void (*fn)(void *arg), void *arg)
{
	p->on_change = fn;
	p->on_change_arg = arg;
}

/* With the tables held: the slots just changed. */
static void
changed(struct peek *p)
{
	if (p->on_change != NULL)
		p->on_change(p->on_change_arg);
}

void
peek_set_clocks(struct peek *p, uint64_t (*wall_ms)(void), uint64_t (*mono_ms)(void))
{
	p->wall_ms = wall_ms;
	p->mono_ms = mono_ms;
}

size_t
peek_count(const struct peek *p)
{
	return p->n;
}

const struct peek_capture *
peek_at(const struct peek *p, size_t i)
{
	return i < p->n ? p->cap[i] : NULL;
}

unsigned
peek_running(const struct peek *p)
{
	unsigned n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->cap[i]->slot != NO_SLOT;
	return n;
}

static struct peek_capture *
find(const struct peek *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->cap[i]->rec.id, id) == 0)
			return p->cap[i];
	return NULL;
}

const struct peek_capture *
peek_find(const struct peek *p, const char *id)
{
	return find(p, id);
}

#define PEEK_DIR "peek"

/* A capture's file, relative to the state directory. */
static void
file_path(const char *id, char *out, size_t cap)
{
	snprintf(out, cap, PEEK_DIR "/%s.pcapng", id);
}

/* The store's copy follows; a failure is logged, the capture goes on in memory. */
static void
save(struct peek *p, const struct peek_capture *c)
{
	if (store_capture_put(p->store, &c->rec) < 0)
		log_warn("peek: capture %s: cannot store its state: %s", c->rec.id,
		    store_errmsg(p->store));
}

static void
take_tables(struct peek *p)
{
	handoff_control_take(p->tables);
}

static void
give_tables(struct peek *p)
{
	handoff_control_give(p->tables);
}

/* Writes what the buffer holds; on failure the capture is due to end FAILED. */
static void
flush_buf(struct peek_capture *c)
{
	size_t done = 0;

	while (done < c->buf_len) {
		ssize_t n = write(c->fd, c->buf + done, c->buf_len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			c->accepting = false;
			c->end_due = true;
			c->end_status = "FAILED";
			snprintf(c->end_reason, sizeof(c->end_reason),
			    "cannot write the capture file: %s", strerror(n < 0 ? errno : EIO));
			break;
		}
		done += (size_t)n;
	}
	c->buf_len = 0;
}

/* One block into the file; past max_bytes the capture is due to end DONE, truncated. */
static uint8_t *
room_for(struct peek *p, struct peek_capture *c, size_t len)
{
	if (!c->accepting)
		return NULL;
	if (c->rec.bytes + len > p->cfg.max_bytes) {
		c->accepting = false;
		c->rec.truncated = true;
		c->end_due = true;
		c->end_status = "DONE";
		return NULL;
	}
	if (c->buf_len + len > WRITE_BUF)
		flush_buf(c);
	return c->accepting ? c->buf + c->buf_len : NULL;
}

static void
append(struct peek_capture *c, size_t len)
{
	c->buf_len += len;
	c->rec.bytes += len;
}

struct drain_ctx {
	struct peek *p;
};

static void
write_record(void *arg, const struct peek_rec *r, const uint8_t *data)
{
	struct peek *p = ((struct drain_ctx *)arg)->p;
	char comment[64];
	struct pcapng_packet pkt = { .ts_us = r->ts_us,
		.data = data,
		.caplen = r->caplen,
		.origlen = r->origlen,
		.flags = r->dir == PEEK_UPLINK ? PCAPNG_FLAG_INBOUND : PCAPNG_FLAG_OUTBOUND,
		.comment = comment };
	size_t len;

	snprintf(comment, sizeof(comment), "imsi:%.15s %s", r->imsi,
	    r->dir == PEEK_UPLINK ? "uplink" : "downlink");
	len = pcapng_packet_len(r->caplen, strlen(comment), pkt.flags);
	for (size_t i = 0; i < p->n; i++) {
		struct peek_capture *c = p->cap[i];
		uint8_t *at;

		if (c->slot == NO_SLOT || !(r->slots & (1u << c->slot)) ||
		    (at = room_for(p, c, len)) == NULL)
			continue;
		append(c, pcapng_packet(at, WRITE_BUF - c->buf_len, &pkt));
		c->rec.packets++;
	}
}

static size_t
drain(struct peek *p)
{
	struct drain_ctx ctx = { p };

	return peek_tap_drain(p->tap, DRAIN_MAX, write_record, &ctx);
}

/*
 * Everything the ring held when a slot stopped: a full ring is at most
 * RING_PASSES rounds of DRAIN_MAX of the smallest records.
 */
#define RING_PASSES (PEEK_RING_BYTES / (sizeof(struct peek_rec) + 8) / DRAIN_MAX + 1)

static void
drain_all(struct peek *p)
{
	for (unsigned pass = 0; pass < RING_PASSES && drain(p) == DRAIN_MAX; pass++)
		;
}

/* A write failure, found while ending or before: FAILED, and the file goes. */
static bool
write_failed(const struct peek_capture *c)
{
	return c->end_due && strcmp(c->end_status, "FAILED") == 0;
}

/*
 * Ends a capture: its slot stopped (under the tables, between two
 * batches), what the ring still holds written, the file closed. A capture
 * that could not write loses its file, so that a full disk gets its room
 * back; a truncated one keeps what fit.
 */
static void
finish(struct peek *p, struct peek_capture *c, const char *status, const char *reason)
{
	char path[64];

	take_tables(p);
	peek_tap_stop(p->tap, (unsigned)c->slot);
	c->rec.dropped = atomic_load_explicit(&p->tap->dropped[c->slot], memory_order_relaxed);
	changed(p);
	give_tables(p);
	/*
	 * Always, even when this capture takes no more: no record of its slot
	 * may stay in the ring for the next capture given the slot.
	 */
	drain_all(p);
	if (!write_failed(c))
		flush_buf(c);
	c->accepting = false;
	if (write_failed(c)) {
		status = "FAILED";
		reason = c->end_reason;
		file_path(c->rec.id, path, sizeof(path));
		unlinkat(p->dirfd, path, 0);
		c->has_file = false;
	}
	close(c->fd);
	c->fd = -1;
	c->slot = NO_SLOT;
	free(c->buf);
	c->buf = NULL;
	c->end_due = false;
	snprintf(c->rec.status, sizeof(c->rec.status), "%s", status);
	snprintf(c->rec.failed_reason, sizeof(c->rec.failed_reason), "%s", reason);
	c->rec.ended_ms = p->wall_ms();
	save(p, c);
	log_info(
	    "peek: capture %s %s%s%s", c->rec.id, status, reason[0] != '\0' ? ": " : "", reason);
}

static int
free_slot(const struct peek *p)
{
	uint32_t used = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->cap[i]->slot != NO_SLOT)
			used |= 1u << p->cap[i]->slot;
	for (int i = 0; i < PEEK_TAP_SLOTS; i++)
		if (!(used & (1u << i)))
			return i;
	return NO_SLOT;
}

static void
new_id(char out[33])
{
	uint8_t r[8] = { 0 };

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		uint64_t t = real_mono_ms() ^ ((uint64_t)getpid() << 32);

		memcpy(r, &t, sizeof(r));
	}
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

/* The file with its Section Header and Interface Description, in the write buffer. */
static int
open_file(struct peek *p, struct peek_capture *c, const char **why)
{
	char path[64];
	size_t n;

	if (mkdirat(p->dirfd, PEEK_DIR, 0700) < 0 && errno != EEXIST) {
		snprintf(p->why, sizeof(p->why), "cannot create the capture directory: %s",
		    strerror(errno));
		*why = p->why;
		return -EIO;
	}
	file_path(c->rec.id, path, sizeof(path));
	c->fd = openat(p->dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (c->fd < 0) {
		snprintf(
		    p->why, sizeof(p->why), "cannot create the capture file: %s", strerror(errno));
		*why = p->why;
		return -EIO;
	}
	c->buf = malloc(WRITE_BUF);
	if (c->buf == NULL) {
		*why = "out of memory";
		return -EIO;
	}
	c->has_file = true;
	n = pcapng_section_header(c->buf, WRITE_BUF, "vpgd");
	n += pcapng_interface(c->buf + n, WRITE_BUF - n, PCAPNG_LINKTYPE_RAW, PEEK_SNAPLEN,
	    c->rec.imsi[0] != '\0' ? c->rec.imsi : "devices");
	append(c, n);
	return 0;
}

static void
drop_capture(struct peek *p, struct peek_capture *c)
{
	char path[64];

	if (c->fd >= 0)
		close(c->fd);
	if (c->has_file) {
		file_path(c->rec.id, path, sizeof(path));
		unlinkat(p->dirfd, path, 0);
	}
	free(c->buf);
	free(c);
}

static struct peek_capture *
new_capture(struct peek *p, const char *prefix, const char *imsi, uint32_t duration_s)
{
	struct peek_capture *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fd = -1;
	c->slot = NO_SLOT;
	new_id(c->rec.id);
	snprintf(c->rec.prefix, sizeof(c->rec.prefix), "%s", prefix);
	snprintf(c->rec.imsi, sizeof(c->rec.imsi), "%s", imsi);
	snprintf(c->rec.status, sizeof(c->rec.status), "REQUESTED");
	c->rec.duration_s = duration_s;
	c->rec.created_ms = p->wall_ms();
	return c;
}

int
peek_start(struct peek *p, const char *prefix, const char *imsi, uint32_t duration_s,
    const struct peek_capture **out, const char **why)
{
	struct peek_capture *c;
	int slot = free_slot(p);

	*why = "";
	if (peek_running(p) >= p->cfg.max_sessions || slot == NO_SLOT)
		return -EBUSY;
	if (p->n == PEEK_MAX_KEPT)
		return -ENOSPC;
	c = new_capture(p, prefix, imsi, duration_s);
	if (c == NULL) {
		*why = "out of memory";
		return -EIO;
	}
	if (open_file(p, c, why) < 0) {
		drop_capture(p, c);
		return -EIO;
	}
	snprintf(c->rec.status, sizeof(c->rec.status), "CAPTURING");
	c->rec.started_ms = p->wall_ms();
	c->deadline_mono_ms = p->mono_ms() + (uint64_t)duration_s * 1000;
	if (store_capture_put(p->store, &c->rec) < 0) {
		*why = "cannot store the capture";
		drop_capture(p, c);
		return -EIO;
	}
	c->slot = slot;
	c->accepting = true;
	take_tables(p);
	peek_tap_start(p->tap, (unsigned)slot, imsi);
	changed(p);
	give_tables(p);
	p->cap[p->n++] = c;
	*out = c;
	log_info("peek: capture %s started: %s for %u s", c->rec.id,
	    imsi[0] != '\0' ? imsi : "the whole gateway", duration_s);
	return 0;
}

int
peek_stop(struct peek *p, const char *id)
{
	struct peek_capture *c = find(p, id);

	if (c == NULL)
		return -ENOENT;
	if (c->slot == NO_SLOT)
		return -EALREADY;
	finish(p, c, "DONE", "");
	return 0;
}

/* Removes cap[i]: its file, its record, its place in the list. */
static int
remove_at(struct peek *p, size_t i)
{
	struct peek_capture *c = p->cap[i];
	int rc = store_capture_delete(p->store, c->rec.id);

	if (rc < 0 && rc != -ENOENT) {
		log_warn("peek: capture %s: cannot remove its record: %s", c->rec.id,
		    store_errmsg(p->store));
		return -EIO;
	}
	memmove(&p->cap[i], &p->cap[i + 1], (p->n - i - 1) * sizeof(p->cap[0]));
	p->n--;
	drop_capture(p, c);
	return 0;
}

int
peek_delete(struct peek *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++) {
		struct peek_capture *c = p->cap[i];

		if (strcmp(c->rec.id, id) != 0)
			continue;
		if (c->slot != NO_SLOT)
			finish(p, c, "DONE", "");
		return remove_at(p, i);
	}
	return -ENOENT;
}

int
peek_open_file(const struct peek *p, const char *id, int *fd, uint64_t *size)
{
	const struct peek_capture *c = find(p, id);
	char path[64];
	struct stat sb;

	if (c == NULL)
		return -ENOENT;
	if (c->slot != NO_SLOT)
		return -EBUSY;
	if (!c->has_file)
		return -ENODATA;
	file_path(id, path, sizeof(path));
	*fd = openat(p->dirfd, path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return -ENODATA;
	if (fstat(*fd, &sb) < 0) {
		close(*fd);
		return -ENODATA;
	}
	*size = (uint64_t)sb.st_size;
	return 0;
}

/* Finished captures past their retention go, once a second at most. */
static void
expire(struct peek *p, uint64_t now_mono)
{
	uint64_t now = p->wall_ms(), keep = (uint64_t)p->cfg.retention_s * 1000;

	if (now_mono < p->next_expiry_check_ms)
		return;
	p->next_expiry_check_ms = now_mono + 1000;
	for (size_t i = p->n; i-- > 0;) {
		const struct peek_capture *c = p->cap[i];

		if (c->slot == NO_SLOT && c->rec.ended_ms + keep <= now) {
			log_info("peek: capture %s removed after its retention", c->rec.id);
			remove_at(p, i);
		}
	}
}

void
peek_tick(struct peek *p)
{
	uint64_t now = p->mono_ms();

	if (peek_running(p) > 0)
		drain(p);
	for (size_t i = 0; i < p->n; i++) {
		struct peek_capture *c = p->cap[i];

		if (c->slot == NO_SLOT)
			continue;
		c->rec.dropped =
		    atomic_load_explicit(&p->tap->dropped[c->slot], memory_order_relaxed);
		if (c->end_due)
			finish(p, c, c->end_status, c->end_reason);
		else if (now >= c->deadline_mono_ms)
			finish(p, c, "DONE", "");
	}
	expire(p, now);
}

struct loaded {
	struct peek *p;
	int rc;
};

static int
load_one(void *arg, const struct store_capture *rec)
{
	struct loaded *l = arg;
	struct peek *p = l->p;
	struct peek_capture *c;
	char path[64];

	if (p->n == PEEK_MAX_KEPT)
		return 0;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		l->rc = -ENOMEM;
		return 1;
	}
	c->rec = *rec;
	c->fd = -1;
	c->slot = NO_SLOT;
	file_path(rec->id, path, sizeof(path));
	c->has_file = faccessat(p->dirfd, path, R_OK, 0) == 0;
	p->cap[p->n++] = c;
	return 0;
}

/* What a stop that did not finish them left REQUESTED or CAPTURING. */
static void
fail_unfinished(struct peek *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct peek_capture *c = p->cap[i];

		if (strcmp(c->rec.status, "DONE") == 0 || strcmp(c->rec.status, "FAILED") == 0)
			continue;
		snprintf(c->rec.status, sizeof(c->rec.status), "FAILED");
		snprintf(c->rec.failed_reason, sizeof(c->rec.failed_reason),
		    "the gateway restarted while capturing");
		c->rec.ended_ms = p->wall_ms();
		save(p, c);
	}
}

struct peek *
peek_new(const struct peek_config *cfg, struct store *st, struct handoff *tables,
    const char *state_dir, char *err, size_t errlen)
{
	struct peek *p = calloc(1, sizeof(*p));
	struct loaded l = { p, 0 };

	if (p == NULL || (p->tap = peek_tap_new(PEEK_RING_BYTES)) == NULL) {
		snprintf(err, errlen, "out of memory for Peek");
		free(p);
		return NULL;
	}
	p->cfg = *cfg;
	p->dirfd = -1;
	p->store = st;
	p->tables = tables;
	p->wall_ms = real_wall_ms;
	p->mono_ms = real_mono_ms;
	p->dirfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dirfd < 0) {
		snprintf(err, errlen, "peek: %s: %s", state_dir, strerror(errno));
		peek_free(p);
		return NULL;
	}
	if (store_capture_foreach(st, load_one, &l) != 0 || l.rc < 0) {
		snprintf(err, errlen, "peek: %s", l.rc < 0 ? "out of memory" : store_errmsg(st));
		peek_free(p);
		return NULL;
	}
	fail_unfinished(p);
	expire(p, p->mono_ms());
	return p;
}

void
peek_free(struct peek *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		struct peek_capture *c = p->cap[i];

		if (c->slot != NO_SLOT)
			finish(p, c, "FAILED", "the gateway stopped while capturing");
		free(c->buf);
		free(c);
	}
	peek_tap_free(p->tap);
	if (p->dirfd >= 0)
		close(p->dirfd);
	free(p);
}
