/*
 * Unit tests for Peek: the data path's tap and its ring (src/fwd/peek.c)
 * and the capture manager (src/peek/peek.c) over a store in a temporary
 * state directory, single-threaded (no handoff), with clocks of the test's
 * own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/counters.h"
#include "core/session.h"
#include "fwd/peek.h"
#include "peek/peek.h"
#include "store/store.h"

#define IMSI_A "999010000000001"
#define IMSI_B "999010000000002"

static uint64_t fake_wall, fake_mono;

/*
 * The fake clocks start at the real ones: peek_new reads the real clocks
 * (retention, its first expiry check) before a test sets its own.
 */
static void
clocks_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	fake_wall = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fake_mono = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 + 2000;
}

static uint64_t
wall(void)
{
	return fake_wall;
}

static uint64_t
mono(void)
{
	return fake_mono;
}

static struct session dev_a, dev_b;
static uint8_t pkt[9300];

struct drained {
	size_t n;
	struct peek_rec rec[8];
	uint8_t first_byte[8];
};

static void
keep(void *arg, const struct peek_rec *r, const uint8_t *data)
{
	struct drained *d = arg;

	if (d->n < 8) {
		d->rec[d->n] = *r;
		d->first_byte[d->n] = data[0];
	}
	d->n++;
}

static void
sessions_init(void)
{
	memset(&dev_a, 0, sizeof(dev_a));
	memset(&dev_b, 0, sizeof(dev_b));
	strcpy(dev_a.imsi, IMSI_A);
	strcpy(dev_b.imsi, IMSI_B);
	for (size_t i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)i;
	pkt[0] = 0x45;
}

static void
test_peek_tap_inactive_copies_nothing(void **state)
{
	struct peek_tap *t = peek_tap_new(4096);
	struct drained d = { 0 };
	uint64_t before = vpg_counters.ctr[VPG_CTR_PEEK_PACKETS];

	(void)state;
	sessions_init();
	peek_tap_packet(t, &dev_a, pkt, 60, PEEK_UPLINK);
	peek_tap_start(t, 3, IMSI_B);
	peek_tap_packet(t, &dev_a, pkt, 60, PEEK_UPLINK); /* not its device */
	assert_int_equal(peek_tap_drain(t, 100, keep, &d), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PEEK_PACKETS], before);
	peek_tap_packet(NULL, &dev_a, pkt, 60, PEEK_UPLINK);
	peek_tap_free(t);
}

/* One record per packet, naming every slot that wants it. */
static void
test_peek_tap_slots_whole_and_one_imsi(void **state)
{
	struct peek_tap *t = peek_tap_new(4096);
	struct drained d = { 0 };

	(void)state;
	sessions_init();
	peek_tap_start(t, 0, "");
	peek_tap_start(t, 5, IMSI_A);
	peek_tap_packet(t, &dev_a, pkt, 60, PEEK_UPLINK);
	peek_tap_packet(t, &dev_b, pkt, 61, PEEK_DOWNLINK);
	assert_int_equal(peek_tap_drain(t, 100, keep, &d), 2);
	assert_int_equal(d.rec[0].slots, (1u << 0) | (1u << 5));
	assert_string_equal(d.rec[0].imsi, IMSI_A);
	assert_int_equal(d.rec[0].dir, PEEK_UPLINK);
	assert_int_equal(d.rec[0].caplen, 60);
	assert_int_equal(d.rec[0].origlen, 60);
	assert_int_equal(d.first_byte[0], 0x45);
	assert_int_equal(d.rec[1].slots, 1u << 0);
	assert_string_equal(d.rec[1].imsi, IMSI_B);
	assert_int_equal(d.rec[1].dir, PEEK_DOWNLINK);
	assert_int_equal(d.rec[1].caplen, 61);
	assert_true(peek_tap_wants(t, IMSI_B)); /* slot 0 takes every device */
	peek_tap_stop(t, 0);
	assert_true(peek_tap_wants(t, IMSI_A));
	assert_false(peek_tap_wants(t, IMSI_B));
	peek_tap_stop(t, 5);
	assert_int_equal(t->active, 0);
	assert_false(peek_tap_wants(t, IMSI_A));
	peek_tap_free(t);
}

/* 40 octets of header and 64 of packet: two records fill a 256-octet ring, a third is dropped. */
static void
test_peek_tap_full_ring_counted_per_slot(void **state)
{
	struct peek_tap *t = peek_tap_new(256);
	uint64_t drops = vpg_counters.drop[VPG_DROP_PEEK_RING_FULL];
	struct drained d = { 0 };

	(void)state;
	sessions_init();
	peek_tap_start(t, 0, "");
	peek_tap_start(t, 1, IMSI_A);
	for (int i = 0; i < 3; i++)
		peek_tap_packet(t, &dev_a, pkt, 64, PEEK_UPLINK);
	assert_int_equal(vpg_counters.drop[VPG_DROP_PEEK_RING_FULL], drops + 1);
	assert_int_equal(t->dropped[0], 1);
	assert_int_equal(t->dropped[1], 1);
	assert_int_equal(peek_tap_drain(t, 100, keep, &d), 2);
	peek_tap_start(t, 1, IMSI_A); /* a new capture in the slot counts from 0 */
	assert_int_equal(t->dropped[1], 0);
	peek_tap_free(t);
}

/* A record that does not fit before the end goes to the start, behind a marker. */
static void
test_peek_tap_wraps_in_order(void **state)
{
	struct peek_tap *t = peek_tap_new(256);
	struct drained d = { 0 };

	(void)state;
	sessions_init();
	peek_tap_start(t, 0, "");
	peek_tap_packet(t, &dev_a, pkt, 64, PEEK_UPLINK);
	peek_tap_packet(t, &dev_b, pkt, 64, PEEK_UPLINK);
	assert_int_equal(peek_tap_drain(t, 1, keep, &d), 1);
	peek_tap_packet(t, &dev_a, pkt + 1, 64, PEEK_DOWNLINK);
	assert_int_equal(peek_tap_drain(t, 100, keep, &d), 2);
	assert_string_equal(d.rec[1].imsi, IMSI_B);
	assert_int_equal(d.rec[2].dir, PEEK_DOWNLINK);
	assert_int_equal(d.first_byte[2], 1);
	assert_int_equal(atomic_load(&t->head) - atomic_load(&t->tail), 0);
	peek_tap_free(t);
}

/* A batch's packets share the time of its first; the next batch reads the clock again. */
static void
test_peek_tap_time_read_once_a_batch(void **state)
{
	struct peek_tap *t = peek_tap_new(4096);
	struct timespec pause = { 0, 2000000 };
	struct drained d = { 0 };

	(void)state;
	sessions_init();
	peek_tap_start(t, 0, "");
	peek_tap_batch(t);
	peek_tap_packet(t, &dev_a, pkt, 60, PEEK_UPLINK);
	nanosleep(&pause, NULL);
	peek_tap_packet(t, &dev_b, pkt, 60, PEEK_UPLINK);
	peek_tap_batch(t);
	peek_tap_packet(t, &dev_a, pkt, 60, PEEK_DOWNLINK);
	assert_int_equal(peek_tap_drain(t, 100, keep, &d), 3);
	assert_true(d.rec[0].ts_us > 0);
	assert_int_equal(d.rec[1].ts_us, d.rec[0].ts_us);
	assert_true(d.rec[2].ts_us >= d.rec[0].ts_us + 2000);
	peek_tap_free(t);
}

static void
test_peek_tap_long_packet_cut_to_snaplen(void **state)
{
	struct peek_tap *t = peek_tap_new(1 << 16);
	struct drained d = { 0 };

	(void)state;
	sessions_init();
	peek_tap_start(t, 0, "");
	peek_tap_packet(t, &dev_a, pkt, sizeof(pkt), PEEK_UPLINK);
	assert_int_equal(peek_tap_drain(t, 100, keep, &d), 1);
	assert_int_equal(d.rec[0].caplen, PEEK_SNAPLEN);
	assert_int_equal(d.rec[0].origlen, sizeof(pkt));
	peek_tap_free(t);
}

/* The manager's fixture: a state directory, its store, Peek over them. */
struct fixture {
	char dir[64];
	struct store *st;
	struct peek *p;
	struct peek_config cfg;
};

static int
open_peek(struct fixture *f)
{
	char err[256];

	f->p = peek_new(&f->cfg, f->st, NULL, f->dir, err, sizeof(err));
	if (f->p == NULL)
		return -1;
	peek_set_clocks(f->p, wall, mono);
	return 0;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (f == NULL)
		return -1;
	*state = f;
	sessions_init();
	clocks_now();
	strcpy(f->dir, "/tmp/vpgd-peek-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->st = store_open(f->dir, err, sizeof(err));
	f->cfg = (struct peek_config){ 2, 1 << 20, 3600 };
	return f->st != NULL ? open_peek(f) : -1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	peek_free(f->p);
	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static const struct peek_capture *
start_ok(struct fixture *f, const char *imsi, uint32_t duration)
{
	const struct peek_capture *c = NULL;
	const char *why;

	assert_int_equal(peek_start(f->p, "lab", imsi, duration, &c, &why), 0);
	assert_non_null(c);
	assert_string_equal(peek_capture_info(c)->status, "CAPTURING");
	return c;
}

/* The capture's file: its size, and how many Enhanced Packet Blocks it holds. */
static long
file_packets(const struct fixture *f, const char *id, long *size)
{
	char path[128];
	uint8_t buf[1 << 16];
	long n = 0, len, at = 0;
	uint32_t type, block;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/peek/%s.pcapng", f->dir, id);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return -1;
	len = (long)fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	*size = len;
	if (len < 4 || memcmp(buf, "\x0a\x0d\x0d\x0a", 4) != 0)
		return -1;
	for (; at + 8 <= len; at += block) {
		memcpy(&type, buf + at, 4);
		memcpy(&block, buf + at + 4, 4);
		if (block < 12 || at + block > len)
			return -1;
		n += type == 6;
	}
	return at == len ? n : -1;
}

static void
test_peek_start_tick_stop_writes_each_packet(void **state)
{
	struct fixture *f = *state;
	const struct peek_capture *c = start_ok(f, "", 60);
	const struct store_capture *r = peek_capture_info(c);
	long size;

	for (int i = 0; i < 3; i++)
		peek_tap_packet(peek_tap(f->p), &dev_a, pkt, 60, PEEK_UPLINK);
	peek_tick(f->p);
	assert_int_equal(r->packets, 3);
	peek_tap_packet(peek_tap(f->p), &dev_b, pkt, 60, PEEK_DOWNLINK);
	assert_int_equal(peek_stop(f->p, r->id), 0);
	assert_string_equal(r->status, "DONE");
	assert_false(r->truncated);
	assert_int_equal(r->packets, 4); /* what the ring held when it stopped */
	assert_int_equal(file_packets(f, r->id, &size), 4);
	assert_int_equal(size, r->bytes);
	assert_true(peek_capture_has_file(c));
	assert_int_equal(peek_stop(f->p, r->id), -EALREADY);
	assert_int_equal(peek_tap(f->p)->active, 0);
}

/* Packets lost to a full ring show in the running capture's count, and stay after it ends. */
static void
test_peek_dropped_counted_live(void **state)
{
	struct fixture *f = *state;
	const struct store_capture *r = peek_capture_info(start_ok(f, "", 60));
	struct peek_tap *t = peek_tap(f->p);

	atomic_store(&t->dropped[0], 7); /* as the data path counts them */
	peek_tick(f->p);
	assert_int_equal(r->dropped, 7);
	assert_int_equal(peek_stop(f->p, r->id), 0);
	assert_int_equal(r->dropped, 7);
}

static void
test_peek_start_past_max_sessions_busy(void **state)
{
	struct fixture *f = *state;
	const struct peek_capture *c;
	const char *why;

	start_ok(f, "", 60);
	start_ok(f, IMSI_A, 60);
	assert_int_equal(peek_start(f->p, "", "", 60, &c, &why), -EBUSY);
	assert_int_equal(peek_running(f->p), 2);
	assert_int_equal(peek_count(f->p), 2);
}

/* 1 KiB: the headers (76 octets) and 6 packets of 136 fit, the 7th ends it. */
static void
test_peek_max_bytes_ends_done_truncated(void **state)
{
	struct fixture *f = *state;
	const struct peek_capture *c;
	const struct store_capture *r;
	long size;

	peek_free(f->p);
	f->cfg.max_bytes = 1024;
	assert_int_equal(open_peek(f), 0);
	c = start_ok(f, "", 60);
	r = peek_capture_info(c);
	for (int i = 0; i < 9; i++)
		peek_tap_packet(peek_tap(f->p), &dev_a, pkt, 60, PEEK_UPLINK);
	peek_tick(f->p);
	assert_string_equal(r->status, "DONE");
	assert_true(r->truncated);
	assert_int_equal(r->packets, 6);
	assert_int_equal(file_packets(f, r->id, &size), 6);
	assert_true(size <= 1024);
	assert_int_equal(size, r->bytes);
}

/* A truncated capture's slot, taken by the next capture, brings none of its packets along. */
static void
test_peek_slot_reused_after_truncation_starts_clean(void **state)
{
	struct fixture *f = *state;
	const struct store_capture *r;

	peek_free(f->p);
	f->cfg.max_bytes = 1024;
	assert_int_equal(open_peek(f), 0);
	r = peek_capture_info(start_ok(f, "", 60));
	for (int i = 0; i < 10; i++) /* the 7th ends it, truncated; 3 more are in the ring */
		peek_tap_packet(peek_tap(f->p), &dev_a, pkt, 60, PEEK_UPLINK);
	peek_tick(f->p);
	assert_string_equal(r->status, "DONE");
	assert_int_equal(r->packets, 6);
	r = peek_capture_info(start_ok(f, "", 60));
	peek_tap_packet(peek_tap(f->p), &dev_b, pkt, 60, PEEK_UPLINK);
	peek_tick(f->p);
	assert_int_equal(r->packets, 1);
}

static void
test_peek_duration_over_ends_done(void **state)
{
	struct fixture *f = *state;
	const struct store_capture *r = peek_capture_info(start_ok(f, IMSI_A, 5));

	fake_mono += 4999;
	peek_tick(f->p);
	assert_string_equal(r->status, "CAPTURING");
	fake_mono += 1;
	peek_tick(f->p);
	assert_string_equal(r->status, "DONE");
	assert_int_equal(r->ended_ms, fake_wall);
}

/* The store says CAPTURING (the gateway died): it comes back FAILED, saying why. */
static void
test_peek_new_unfinished_capture_failed_restarted(void **state)
{
	struct fixture *f = *state;
	struct store_capture row = { .id = "00112233445566ff",
		.prefix = "x",
		.duration_s = 60,
		.status = "CAPTURING",
		.created_ms = 1,
		.started_ms = 2 };
	const struct peek_capture *c;

	assert_int_equal(store_capture_put(f->st, &row), 0);
	peek_free(f->p);
	assert_int_equal(open_peek(f), 0);
	c = peek_find(f->p, row.id);
	assert_non_null(c);
	assert_string_equal(peek_capture_info(c)->status, "FAILED");
	assert_non_null(strstr(peek_capture_info(c)->failed_reason, "restarted"));
	assert_false(peek_capture_has_file(c));
}

/* A stop of the gateway ends a capture FAILED but keeps what it wrote, listed after. */
static void
test_peek_free_while_capturing_failed_file_kept(void **state)
{
	struct fixture *f = *state;
	char id[33];
	const struct peek_capture *c;
	int fd;
	uint64_t size;

	strcpy(id, peek_capture_info(start_ok(f, "", 60))->id);
	peek_tap_packet(peek_tap(f->p), &dev_a, pkt, 60, PEEK_UPLINK);
	peek_free(f->p);
	assert_int_equal(open_peek(f), 0);
	c = peek_find(f->p, id);
	assert_non_null(c);
	assert_string_equal(peek_capture_info(c)->status, "FAILED");
	assert_non_null(strstr(peek_capture_info(c)->failed_reason, "stopped"));
	assert_int_equal(peek_capture_info(c)->packets, 1);
	assert_int_equal(peek_open_file(f->p, id, &fd, &size), 0);
	assert_int_equal(size, peek_capture_info(c)->bytes);
	close(fd);
}

static void
test_peek_delete_removes_file_and_record(void **state)
{
	struct fixture *f = *state;
	char id[33], path[128];
	int fd;
	uint64_t size;

	strcpy(id, peek_capture_info(start_ok(f, "", 60))->id);
	assert_int_equal(peek_open_file(f->p, id, &fd, &size), -EBUSY);
	snprintf(path, sizeof(path), "%s/peek/%s.pcapng", f->dir, id);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(peek_delete(f->p, id), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_null(peek_find(f->p, id));
	assert_int_equal(peek_delete(f->p, id), -ENOENT);
	assert_int_equal(peek_open_file(f->p, id, &fd, &size), -ENOENT);
	peek_free(f->p);
	assert_int_equal(open_peek(f), 0);
	assert_int_equal(peek_count(f->p), 0);
}

static void
test_peek_retention_removes_finished(void **state)
{
	struct fixture *f = *state;
	char id[33];

	strcpy(id, peek_capture_info(start_ok(f, "", 60))->id);
	assert_int_equal(peek_stop(f->p, id), 0);
	fake_wall += 3600 * 1000 - 1;
	fake_mono += 1000;
	peek_tick(f->p);
	assert_non_null(peek_find(f->p, id));
	fake_wall += 1;
	fake_mono += 1000;
	peek_tick(f->p);
	assert_null(peek_find(f->p, id));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peek_tap_inactive_copies_nothing),
		cmocka_unit_test(test_peek_tap_slots_whole_and_one_imsi),
		cmocka_unit_test(test_peek_tap_full_ring_counted_per_slot),
		cmocka_unit_test(test_peek_tap_wraps_in_order),
		cmocka_unit_test(test_peek_tap_time_read_once_a_batch),
		cmocka_unit_test(test_peek_tap_long_packet_cut_to_snaplen),
		T(test_peek_start_tick_stop_writes_each_packet),
		T(test_peek_dropped_counted_live),
		T(test_peek_start_past_max_sessions_busy),
		T(test_peek_max_bytes_ends_done_truncated),
		T(test_peek_slot_reused_after_truncation_starts_clean),
		T(test_peek_duration_over_ends_done),
		T(test_peek_new_unfinished_capture_failed_restarted),
		T(test_peek_free_while_capturing_failed_file_kept),
		T(test_peek_delete_removes_file_and_record),
		T(test_peek_retention_removes_finished),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
