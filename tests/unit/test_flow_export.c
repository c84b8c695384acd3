/*
 * Unit tests for src/inspect/flow_export.c, the IPFIX exporting process. The
 * collectors are UDP sockets on loopback; what they receive is decoded with
 * the codec's own parser (src/proto/ipfix.c, itself checked against tshark).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/counters.h"
#include "inspect/flow_export.h"

struct collector {
	int fd;
	struct inspect_collector at;
};

/* What one received message held. */
struct seen {
	size_t len;
	struct ipfix_hdr hdr;
	int templates; /* template records */
	int records;   /* data records of our template */
};

static void
collector_open(struct collector *c)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	struct timeval tv = { .tv_sec = 1 };

	c->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(c->fd >= 0);
	assert_int_equal(bind(c->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(c->fd, (struct sockaddr *)&a, &alen), 0);
	assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	c->at.addr_be = a.sin_addr.s_addr;
	c->at.port = ntohs(a.sin_port);
}

/* Receives and decodes one message; false when none came within a second. */
static bool
receive(const struct collector *c, struct seen *s)
{
	uint8_t buf[2048];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	struct vpg_rd sets, fields;
	struct ipfix_set set;
	struct ipfix_flow_record rec;
	uint16_t id, count;
	size_t il, al;

	memset(s, 0, sizeof(*s));
	if (n < 0)
		n = recv(c->fd, buf, sizeof(buf), 0);
	if (n < 0)
		return false;
	s->len = (size_t)n;
	assert_int_equal(ipfix_parse_header(buf, (size_t)n, &s->hdr, &sets), 0);
	while (ipfix_set_next(&sets, &set) == 1) {
		if (set.id == IPFIX_SET_TEMPLATE)
			while (ipfix_template_next(&set.body, &id, &count, &fields) == 1)
				s->templates++;
		if (set.id == IPFIX_TEMPLATE_ID)
			while (ipfix_record_next(&set.body, &rec, &il, &al) == 1)
				s->records++;
	}
	return true;
}

static struct ipfix_flow_record
record(uint16_t sport)
{
	struct ipfix_flow_record r = { .saddr = htonl(0x0a0a0002),
		.daddr = htonl(0x0a000005),
		.sport = sport,
		.dport = 80,
		.proto = 6,
		.octets = 100,
		.packets = 2,
		.start_ms = 1700000000000ull,
		.end_ms = 1700000000500ull,
		.imsi = "999010000000001",
		.app_name = "HTTP" };

	return r;
}

static void
test_flow_export_first_message_leads_with_template(void **state)
{
	struct collector c;
	struct flow_exporter *e;
	struct ipfix_flow_record r = record(40000);
	struct seen s;

	(void)state;
	collector_open(&c);
	e = flow_exporter_new(htonl(INADDR_LOOPBACK), 7);
	assert_non_null(e);
	flow_exporter_set_collectors(e, &c.at, 1);
	flow_exporter_add(e, &r, 1000);
	flow_exporter_flush(e, 1000);
	assert_true(receive(&c, &s));
	assert_int_equal(s.hdr.version, IPFIX_VERSION);
	assert_int_equal(s.hdr.domain, 7);
	assert_int_equal(s.hdr.seq, 0);
	assert_int_equal(s.templates, 1);
	assert_int_equal(s.records, 1);
	flow_exporter_free(e, 1000);
	close(c.fd);
}

/* RFC 7011 §3.1: the sequence number counts data records sent before the message. */
static void
test_flow_export_sequence_counts_records(void **state)
{
	struct collector c;
	struct flow_exporter *e;
	struct ipfix_flow_record r = record(40000);
	struct seen s;

	(void)state;
	collector_open(&c);
	e = flow_exporter_new(htonl(INADDR_LOOPBACK), 1);
	flow_exporter_set_collectors(e, &c.at, 1);
	for (int i = 0; i < 3; i++)
		flow_exporter_add(e, &r, 1000);
	flow_exporter_flush(e, 1000);
	flow_exporter_add(e, &r, 2000);
	flow_exporter_flush(e, 2000);
	assert_true(receive(&c, &s));
	assert_int_equal(s.hdr.seq, 0);
	assert_int_equal(s.records, 3);
	assert_true(receive(&c, &s));
	assert_int_equal(s.hdr.seq, 3);
	assert_int_equal(s.records, 1);
	assert_int_equal(s.templates, 0);
	flow_exporter_free(e, 2000);
	close(c.fd);
}

/* Many records: several messages, none over the MTU, every record sent once. */
static void
test_flow_export_splits_at_mtu(void **state)
{
	struct collector c;
	struct flow_exporter *e;
	struct ipfix_flow_record r;
	struct seen s;
	uint32_t next_seq = 0;
	int total = 0, messages = 0;

	(void)state;
	collector_open(&c);
	e = flow_exporter_new(htonl(INADDR_LOOPBACK), 1);
	flow_exporter_set_collectors(e, &c.at, 1);
	for (int i = 0; i < 100; i++) {
		r = record((uint16_t)(40000 + i));
		flow_exporter_add(e, &r, 1000);
	}
	flow_exporter_flush(e, 1000);
	while (total < 100 && receive(&c, &s)) {
		assert_true(s.len <= FLOW_EXPORT_MTU);
		assert_int_equal(s.hdr.seq, next_seq);
		next_seq += (uint32_t)s.records;
		total += s.records;
		messages++;
	}
	assert_int_equal(total, 100);
	assert_true(messages > 1);
	flow_exporter_free(e, 1000);
	close(c.fd);
}

/* Templates again after FLOW_EXPORT_TEMPLATE_MS, even with no data to send. */
static void
test_flow_export_resends_template(void **state)
{
	struct collector c;
	struct flow_exporter *e;
	struct ipfix_flow_record r = record(40000);
	struct seen s;

	(void)state;
	collector_open(&c);
	e = flow_exporter_new(htonl(INADDR_LOOPBACK), 1);
	flow_exporter_set_collectors(e, &c.at, 1);
	flow_exporter_add(e, &r, 1000);
	flow_exporter_flush(e, 1000);
	assert_true(receive(&c, &s));
	flow_exporter_flush(e, 1000 + FLOW_EXPORT_TEMPLATE_MS - 1);
	flow_exporter_flush(e, 1000 + FLOW_EXPORT_TEMPLATE_MS);
	assert_true(receive(&c, &s));
	assert_int_equal(s.templates, 1);
	assert_int_equal(s.records, 0);
	assert_int_equal(s.hdr.seq, 1);
	flow_exporter_free(e, 1000 + FLOW_EXPORT_TEMPLATE_MS);
	close(c.fd);
}

/* Each collector is its own stream: a new one starts at 0 and gets the template. */
static void
test_flow_export_new_collector_own_sequence(void **state)
{
	struct collector c[2];
	struct inspect_collector both[2];
	struct flow_exporter *e;
	struct ipfix_flow_record r = record(40000);
	struct seen s;

	(void)state;
	collector_open(&c[0]);
	collector_open(&c[1]);
	e = flow_exporter_new(htonl(INADDR_LOOPBACK), 1);
	flow_exporter_set_collectors(e, &c[0].at, 1);
	flow_exporter_add(e, &r, 1000);
	flow_exporter_add(e, &r, 1000);
	flow_exporter_flush(e, 1000);
	assert_true(receive(&c[0], &s));
	both[0] = c[0].at;
	both[1] = c[1].at;
	flow_exporter_set_collectors(e, both, 2);
	flow_exporter_add(e, &r, 1100);
	flow_exporter_flush(e, 1100);
	assert_true(receive(&c[0], &s));
	assert_int_equal(s.hdr.seq, 2);
	assert_true(receive(&c[1], &s));
	assert_int_equal(s.hdr.seq, 0);
	assert_int_equal(s.templates, 1);
	assert_int_equal(s.records, 1);
	flow_exporter_free(e, 1100);
	close(c[0].fd);
	close(c[1].fd);
}

/* A message the kernel refuses is counted, and its records do not advance the sequence. */
static void
test_flow_export_send_failure_counted(void **state)
{
	struct inspect_collector bad = { .addr_be = htonl(0xffffffff), .port = 4739 };
	struct flow_exporter *e;
	struct ipfix_flow_record r = record(40000);
	uint64_t before = vpg_counters.drop[VPG_DROP_IPFIX_SEND_FAILED];

	(void)state;
	/* Broadcast without SO_BROADCAST: sendto fails with EACCES. */
	e = flow_exporter_new(htonl(INADDR_LOOPBACK), 1);
	flow_exporter_set_collectors(e, &bad, 1);
	flow_exporter_add(e, &r, 1000);
	flow_exporter_flush(e, 1000);
	assert_int_equal(vpg_counters.drop[VPG_DROP_IPFIX_SEND_FAILED], before + 1);
	flow_exporter_free(e, 1000);
}

static void
test_flow_export_bind_failure_sets_errno(void **state)
{
	(void)state;
	/* 192.0.2.99 is no address of this host. */
	errno = 0;
	assert_null(flow_exporter_new(htonl(0xc0000263), 1));
	assert_int_equal(errno, EADDRNOTAVAIL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow_export_first_message_leads_with_template),
		cmocka_unit_test(test_flow_export_sequence_counts_records),
		cmocka_unit_test(test_flow_export_splits_at_mtu),
		cmocka_unit_test(test_flow_export_resends_template),
		cmocka_unit_test(test_flow_export_new_collector_own_sequence),
		cmocka_unit_test(test_flow_export_send_failure_counted),
		cmocka_unit_test(test_flow_export_bind_failure_sets_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
