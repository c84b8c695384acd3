/*
 * Unit tests for src/inspect/inspect.c and inspect_report.c: the packet hook,
 * the timers, the configuration and the API's views of Junction
 * Inspection. The collector is a UDP socket on loopback; nDPI is the real
 * one, fed hand-built packets.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/counters.h"
#include "inspect/inspect.h"
#include "core/session.h"
#include "proto/ipfix.h"

#define DEVICE 0x0a0a0002u /* 10.10.0.2 */
#define PEER   0x0a000005u /* 10.0.0.5 */
#define T0     1000000u	   /* a monotonic time, ms */

struct fixture {
	int collector;
	struct inspect_config cfg;
	struct inspect *in;
	struct session s;
};

static int
setup(void **state)
{
	static struct fixture f;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);

	memset(&f, 0, sizeof(f));
	f.collector = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (f.collector < 0 || bind(f.collector, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(f.collector, (struct sockaddr *)&a, &alen) < 0)
		return -1;
	f.cfg = (struct inspect_config){ .enabled = true,
		.n_collectors = 1,
		.collectors = { { a.sin_addr.s_addr, ntohs(a.sin_port) } },
		.active_timeout_s = 60,
		.idle_timeout_s = 15,
		.max_flows = 1024 };
	snprintf(f.s.imsi, sizeof(f.s.imsi), "999010000000001");
	f.in = inspect_new();
	*state = &f;
	return f.in == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	inspect_free(f->in);
	close(f->collector);
	return 0;
}

/* An IPv4 packet of total length len with a UDP, TCP or ICMP header; payload zeroed. */
static size_t
packet(uint8_t *buf, size_t len, uint8_t proto, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport)
{
	memset(buf, 0, len);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	buf[8] = 64;
	buf[9] = proto;
	src = htonl(src);
	dst = htonl(dst);
	memcpy(buf + 12, &src, 4);
	memcpy(buf + 16, &dst, 4);
	buf[20] = (uint8_t)(sport >> 8);
	buf[21] = (uint8_t)sport;
	buf[22] = (uint8_t)(dport >> 8);
	buf[23] = (uint8_t)dport;
	if (proto == IPPROTO_UDP) {
		buf[24] = (uint8_t)((len - 20) >> 8);
		buf[25] = (uint8_t)(len - 20);
	}
	if (proto == IPPROTO_TCP)
		buf[32] = 5 << 4; /* data offset */
	return len;
}

static void
send_udp(struct fixture *f, enum flow_dir dir, uint16_t dev_port, size_t len, uint64_t now)
{
	uint8_t buf[1500];
	bool up = dir == FLOW_DIR_UPLINK;

	packet(buf, len, IPPROTO_UDP, up ? DEVICE : PEER, up ? PEER : DEVICE, up ? dev_port : 9,
	    up ? 9 : dev_port);
	inspect_packet(f->in, &f->s, buf, len, dir, now);
}

/* Data records in the messages waiting at the collector. */
static int
records_received(struct fixture *f)
{
	uint8_t buf[2048];
	struct vpg_rd sets;
	struct ipfix_hdr h;
	struct ipfix_set set;
	struct ipfix_flow_record rec;
	size_t il, al;
	ssize_t n;
	int records = 0;

	usleep(20000);
	while ((n = recv(f->collector, buf, sizeof(buf), 0)) > 0) {
		assert_int_equal(ipfix_parse_header(buf, (size_t)n, &h, &sets), 0);
		while (ipfix_set_next(&sets, &set) == 1)
			while (set.id == IPFIX_TEMPLATE_ID &&
			       ipfix_record_next(&set.body, &rec, &il, &al) == 1)
				records++;
	}
	return records;
}

static void
test_inspect_off_counts_nothing(void **state)
{
	struct fixture *f = *state;
	struct inspect_stats st;
	struct inspect_flow_view v;

	send_udp(f, FLOW_DIR_UPLINK, 40000, 100, T0);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.flows, 0);
	assert_false(inspect_active(f->in));
	assert_null(inspect_get_config(f->in));
	assert_int_equal(inspect_flows(f->in, &v, 1), -EINVAL);
}

static void
test_inspect_config_check_names_field(void **state)
{
	struct fixture *f = *state;
	struct inspect_config c;
	const char *field;

	c = f->cfg;
	c.n_collectors = 0;
	assert_int_equal(inspect_config_check(&c, &field), -EINVAL);
	assert_string_equal(field, "collectors");
	c = f->cfg;
	c.collectors[0].port = 0;
	assert_int_equal(inspect_config_check(&c, &field), -EINVAL);
	assert_string_equal(field, "collectors");
	c = f->cfg;
	c.active_timeout_s = INSPECT_MAX_TIMEOUT_S + 1;
	assert_int_equal(inspect_config_check(&c, &field), -EINVAL);
	assert_string_equal(field, "activeTimeout");
	c = f->cfg;
	c.idle_timeout_s = 0;
	assert_int_equal(inspect_configure(f->in, &c, 0), -EINVAL);
	assert_false(inspect_active(f->in));
	c = f->cfg;
	c.max_flows = INSPECT_MIN_FLOWS - 1;
	assert_int_equal(inspect_config_check(&c, &field), -EINVAL);
	assert_string_equal(field, "maxFlows");
	assert_int_equal(inspect_config_check(&f->cfg, &field), 0);
}

/* One flow per 5-tuple and direction, counted exactly, most bytes first. */
static void
test_inspect_counts_flows_by_direction(void **state)
{
	struct fixture *f = *state;
	struct inspect_flow_view v[4];

	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	for (int i = 0; i < 3; i++)
		send_udp(f, FLOW_DIR_UPLINK, 40000, 200, T0 + i);
	send_udp(f, FLOW_DIR_DOWNLINK, 40000, 100, T0 + 5);
	assert_int_equal(inspect_flows(f->in, v, 4), 2);
	assert_int_equal(v[0].key.dir, FLOW_DIR_UPLINK);
	assert_int_equal(v[0].packets, 3);
	assert_int_equal(v[0].bytes, 600);
	assert_int_equal(v[0].key.saddr, htonl(DEVICE));
	assert_int_equal(v[0].key.sport, 40000);
	assert_int_equal(v[0].key.dport, 9);
	assert_string_equal(v[0].imsi, "999010000000001");
	assert_int_equal(v[1].key.dir, FLOW_DIR_DOWNLINK);
	assert_int_equal(v[1].bytes, 100);
	assert_true(v[0].last_ms - v[0].first_ms == 2);
}

/* Idle flows leave at the next tick after idleTimeout, to the collector and the summary. */
static void
test_inspect_idle_flows_exported(void **state)
{
	struct fixture *f = *state;
	struct inspect_stats st;
	struct inspect_summary *sum = calloc(1, sizeof(*sum));
	uint64_t exported = vpg_counters.ctr[VPG_CTR_INSPECT_RECORDS_EXPORTED];

	f->cfg.idle_timeout_s = 2;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	send_udp(f, FLOW_DIR_UPLINK, 40000, 200, T0);
	send_udp(f, FLOW_DIR_DOWNLINK, 40000, 300, T0);
	inspect_tick(f->in, T0 + 1999);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.flows, 2);
	inspect_tick(f->in, T0 + 2000 + INSPECT_TICK_MS);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.flows, 0);
	assert_int_equal(records_received(f), 2);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_INSPECT_RECORDS_EXPORTED], exported + 2);
	assert_int_equal(inspect_summarize(f->in, 60, 10, T0 + 3000, sum), 0);
	assert_int_equal(sum->flows, 2);
	assert_int_equal(sum->bytes, 500);
	assert_int_equal(sum->n_sessions, 1);
	assert_string_equal(sum->sessions[0].name, "999010000000001");
	assert_int_equal(sum->sessions[0].flows, 2);
	free(sum);
}

/* A full table reports its least recently seen flow early, and stays at its size. */
static void
test_inspect_full_table_exports_early(void **state)
{
	struct fixture *f = *state;
	struct inspect_stats st;
	uint64_t evicted = vpg_counters.ctr[VPG_CTR_INSPECT_FLOWS_EVICTED];

	f->cfg.max_flows = INSPECT_MIN_FLOWS;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	for (uint16_t i = 0; i < INSPECT_MIN_FLOWS + 4; i++)
		send_udp(f, FLOW_DIR_UPLINK, (uint16_t)(40000 + i), 100, T0 + i);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.flows, INSPECT_MIN_FLOWS);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_INSPECT_FLOWS_EVICTED], evicted + 4);
	inspect_tick(f->in, T0 + 1000);
	assert_int_equal(records_received(f), 4);
}

/* Active flows report their interval, and the summary adds the intervals up. */
static void
test_inspect_active_timeout_reports_interval(void **state)
{
	struct fixture *f = *state;
	struct inspect_summary *sum = calloc(1, sizeof(*sum));

	f->cfg.active_timeout_s = 1;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	send_udp(f, FLOW_DIR_UPLINK, 40000, 100, T0);
	send_udp(f, FLOW_DIR_UPLINK, 40000, 100, T0 + 900);
	inspect_tick(f->in, T0 + 1000);
	assert_int_equal(records_received(f), 1);
	send_udp(f, FLOW_DIR_UPLINK, 40000, 100, T0 + 1100);
	assert_int_equal(inspect_summarize(f->in, 60, 10, T0 + 1200, sum), 0);
	assert_int_equal(sum->flows, 1);
	assert_int_equal(sum->n_top, 1);
	assert_int_equal(sum->top[0].packets, 3);
	assert_int_equal(sum->top[0].bytes, 300);
	free(sum);
}

/* The window leaves out flows that ended before it. */
static void
test_inspect_summary_window(void **state)
{
	struct fixture *f = *state;
	struct inspect_summary *sum = calloc(1, sizeof(*sum));

	f->cfg.idle_timeout_s = 1;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	send_udp(f, FLOW_DIR_UPLINK, 40000, 100, T0);
	inspect_tick(f->in, T0 + 1000);
	send_udp(f, FLOW_DIR_UPLINK, 40001, 700, T0 + 100000);
	assert_int_equal(inspect_summarize(f->in, 10, 10, T0 + 100001, sum), 0);
	assert_int_equal(sum->flows, 1);
	assert_int_equal(sum->bytes, 700);
	assert_int_equal(inspect_summarize(f->in, 3600, 10, T0 + 100001, sum), 0);
	assert_int_equal(sum->flows, 2);
	assert_int_equal(sum->bytes, 800);
	assert_int_equal(sum->top[0].key.sport, 40001);
	free(sum);
}

/* A DNS query is named by nDPI; its answer, a flow of its own, carries the name. */
static void
test_inspect_names_both_directions(void **state)
{
	static const uint8_t query[] = { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0x00,
		0x01, 0x00, 0x01 };
	struct fixture *f = *state;
	struct inspect_flow_view v[2];
	struct inspect_summary *sum = calloc(1, sizeof(*sum));
	uint8_t buf[128];
	size_t len = 28 + sizeof(query);

	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	packet(buf, len, IPPROTO_UDP, DEVICE, PEER, 40000, 53);
	memcpy(buf + 28, query, sizeof(query));
	inspect_packet(f->in, &f->s, buf, len, FLOW_DIR_UPLINK, T0);
	packet(buf, len, IPPROTO_UDP, PEER, DEVICE, 53, 40000);
	memcpy(buf + 28, query, sizeof(query));
	buf[30] |= 0x80; /* a response */
	inspect_packet(f->in, &f->s, buf, len, FLOW_DIR_DOWNLINK, T0 + 1);
	assert_int_equal(inspect_flows(f->in, v, 2), 2);
	assert_string_equal(v[0].app, "DNS");
	assert_string_equal(v[1].app, "DNS");
	assert_int_equal(inspect_summarize(f->in, 60, 10, T0 + 2, sum), 0);
	assert_int_equal(sum->n_apps, 1);
	assert_string_equal(sum->apps[0].name, "DNS");
	assert_int_equal(sum->apps[0].flows, 2);
	assert_int_equal(sum->apps[0].packets, 2);
	free(sum);
}

/* Unset reports every flow before it forgets them, and forgets the config. */
static void
test_inspect_unset_exports_everything(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	for (uint16_t i = 0; i < 5; i++)
		send_udp(f, FLOW_DIR_UPLINK, (uint16_t)(40000 + i), 100, T0);
	inspect_unset(f->in);
	assert_int_equal(records_received(f), 5);
	assert_false(inspect_active(f->in));
	assert_null(inspect_get_config(f->in));
}

/* Disabled is a config kept with nothing running; a new size starts a new table. */
static void
test_inspect_disable_and_resize(void **state)
{
	struct fixture *f = *state;
	struct inspect_stats st;

	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	send_udp(f, FLOW_DIR_UPLINK, 40000, 100, T0);
	f->cfg.max_flows = 2048;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.max_flows, 2048);
	assert_int_equal(st.flows, 0);
	assert_int_equal(records_received(f), 1);
	f->cfg.enabled = false;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	assert_false(inspect_active(f->in));
	assert_non_null(inspect_get_config(f->in));
	assert_false(inspect_get_config(f->in)->enabled);
}

/* Short and odd packets are counted as far as they can be read, never read past. */
static void
test_inspect_short_packets(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[64];
	struct inspect_stats st;

	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	packet(buf, 22, IPPROTO_TCP, DEVICE, PEER, 40000, 80);
	inspect_packet(f->in, &f->s, buf, 22, FLOW_DIR_UPLINK, T0);
	packet(buf, 20, IPPROTO_UDP, DEVICE, PEER, 0, 0);
	inspect_packet(f->in, &f->s, buf, 19, FLOW_DIR_UPLINK, T0);
	buf[0] = 0x4f; /* a header longer than the packet */
	inspect_packet(f->in, &f->s, buf, 20, FLOW_DIR_UPLINK, T0);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.flows, 1);
}

/* ---------------------------------------------------------------- a fast path */

/* A fast path that takes what it is given and answers every read with counts. */
struct fake_fp {
	unsigned takes, reads, lasts;
	struct flow_key taken[8];
	int take_rc, read_rc;
	struct flow_fast_counts counts;
};

static int
fp_take(void *arg, const struct flow_key *k)
{
	struct fake_fp *x = arg;

	assert_true(x->takes < 8);
	x->taken[x->takes++] = *k;
	return x->take_rc;
}

static int
fp_read(void *arg, const struct flow_key *k, bool last, struct flow_fast_counts *out)
{
	struct fake_fp *x = arg;

	(void)k;
	x->reads++;
	x->lasts += last;
	if (x->read_rc < 0)
		return x->read_rc;
	*out = x->counts;
	return 0;
}

static void
fp_read_all(void *arg, void (*fn)(void *, const struct flow_key *, const struct flow_fast_counts *),
    void *ctx)
{
	struct fake_fp *x = arg;

	for (unsigned i = 0; i < x->takes; i++)
		fn(ctx, &x->taken[i], &x->counts);
}

static const struct inspect_fast_path fake_path = { fp_take, fp_read, fp_read_all };

/* A DNS query (named by nDPI at once) from the device, or its answer, at now. */
static size_t
send_dns(struct fixture *f, enum flow_dir dir, uint64_t now)
{
	static const uint8_t query[] = { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0x00,
		0x01, 0x00, 0x01 };
	uint8_t buf[128];
	size_t len = 28 + sizeof(query);
	bool up = dir == FLOW_DIR_UPLINK;

	packet(buf, len, IPPROTO_UDP, up ? DEVICE : PEER, up ? PEER : DEVICE, up ? 40000 : 53,
	    up ? 53 : 40000);
	memcpy(buf + 28, query, sizeof(query));
	if (!up)
		buf[30] |= 0x80; /* a response */
	inspect_packet(f->in, &f->s, buf, len, dir, now);
	return len;
}

/* Only a flow the classifier is done with goes to the fast path, once, each direction its own. */
static void
test_inspect_fast_path_takes_named_flows_once(void **state)
{
	struct fixture *f = *state;
	struct fake_fp x = { 0 };
	uint64_t handed = vpg_counters.ctr[VPG_CTR_INSPECT_FAST_HANDED];

	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	inspect_set_fast_path(f->in, &fake_path, &x);
	send_udp(f, FLOW_DIR_UPLINK, 40001, 200, T0); /* nDPI wants more of it */
	assert_int_equal(x.takes, 0);
	send_dns(f, FLOW_DIR_UPLINK, T0 + 1);
	assert_int_equal(x.takes, 1);
	assert_int_equal(x.taken[0].dport, 53);
	assert_int_equal(x.taken[0].dir, FLOW_DIR_UPLINK);
	send_dns(f, FLOW_DIR_DOWNLINK, T0 + 2); /* named as its query: taken at its first packet */
	assert_int_equal(x.takes, 2);
	assert_int_equal(x.taken[1].sport, 53);
	assert_int_equal(x.taken[1].dir, FLOW_DIR_DOWNLINK);
	send_dns(f, FLOW_DIR_UPLINK, T0 + 3); /* one that raced the hand-over: counted here */
	assert_int_equal(x.takes, 2);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_INSPECT_FAST_HANDED], handed + 2);
	inspect_set_fast_path(f->in, NULL, NULL);
}

/* What the fast path counted is in the API's views and in the flow's record when it ends. */
static void
test_inspect_fast_path_counts_in_views_and_export(void **state)
{
	struct fixture *f = *state;
	struct fake_fp x = { .counts = { .packets = 4, .bytes = 400, .last_ms = T0 + 500 } };
	struct inspect_summary *sum = calloc(1, sizeof(*sum));
	struct inspect_flow_view v[2];
	struct inspect_stats st;
	size_t len;

	f->cfg.idle_timeout_s = 2;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	inspect_set_fast_path(f->in, &fake_path, &x);
	len = send_dns(f, FLOW_DIR_UPLINK, T0);
	assert_int_equal(inspect_flows(f->in, v, 2), 1);
	assert_int_equal(v[0].packets, 5);
	assert_int_equal(v[0].bytes, len + 400);
	assert_int_equal(v[0].last_ms - v[0].first_ms, 500);
	/* Idle 2 s after the fast path's last packet, not the table's: still there at T0 + 2000. */
	inspect_tick(f->in, T0 + 2000);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.flows, 1);
	assert_int_equal(x.lasts, 0);
	inspect_tick(f->in, T0 + 2500 + INSPECT_TICK_MS);
	inspect_get_stats(f->in, &st);
	assert_int_equal(st.flows, 0);
	assert_int_equal(x.lasts, 1);
	assert_int_equal(records_received(f), 1);
	assert_int_equal(inspect_summarize(f->in, 60, 10, T0 + 3000, sum), 0);
	assert_int_equal(sum->packets, 5);
	assert_int_equal(sum->bytes, len + 400);
	inspect_set_fast_path(f->in, NULL, NULL);
	free(sum);
}

/* No room in the fast path: the flow is counted here to its end, and never asked again. */
static void
test_inspect_fast_path_refused_flow_not_asked_again(void **state)
{
	struct fixture *f = *state;
	struct fake_fp x = { .take_rc = -ENOSPC };
	uint64_t refused = vpg_counters.ctr[VPG_CTR_INSPECT_FAST_REFUSED];
	struct inspect_flow_view v[1];

	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	inspect_set_fast_path(f->in, &fake_path, &x);
	send_dns(f, FLOW_DIR_UPLINK, T0);
	send_dns(f, FLOW_DIR_UPLINK, T0 + 1);
	assert_int_equal(x.takes, 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_INSPECT_FAST_REFUSED], refused + 1);
	assert_int_equal(inspect_flows(f->in, v, 1), 1);
	assert_int_equal(v[0].packets, 2); /* nothing of the fast path's added */
	inspect_set_fast_path(f->in, NULL, NULL);
}

/* An entry the fast path lost is counted; the flow's next packet here hands it over again. */
static void
test_inspect_fast_path_lost_entry_counted_and_taken_again(void **state)
{
	struct fixture *f = *state;
	struct fake_fp x = { .read_rc = -ENOENT };
	uint64_t lost = vpg_counters.ctr[VPG_CTR_INSPECT_FAST_LOST];

	f->cfg.active_timeout_s = 60;
	f->cfg.idle_timeout_s = 120;
	assert_int_equal(inspect_configure(f->in, &f->cfg, 0), 0);
	inspect_set_fast_path(f->in, &fake_path, &x);
	send_dns(f, FLOW_DIR_UPLINK, T0);
	assert_int_equal(x.takes, 1);
	inspect_tick(f->in, T0 + 60000 + INSPECT_TICK_MS); /* the active report reads it */
	assert_int_equal(x.reads, 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_INSPECT_FAST_LOST], lost + 1);
	send_dns(f, FLOW_DIR_UPLINK, T0 + 61000);
	assert_int_equal(x.takes, 2);
	inspect_set_fast_path(f->in, NULL, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inspect_off_counts_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_config_check_names_field, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_counts_flows_by_direction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inspect_idle_flows_exported, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_full_table_exports_early, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_active_timeout_reports_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inspect_summary_window, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_names_both_directions, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_unset_exports_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inspect_disable_and_resize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inspect_short_packets, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_fast_path_takes_named_flows_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_fast_path_counts_in_views_and_export, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_fast_path_refused_flow_not_asked_again, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inspect_fast_path_lost_entry_counted_and_taken_again, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
