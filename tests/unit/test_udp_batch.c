/*
 * Unit tests for the batched UDP sockets (src/io/udp_batch.c) on loopback:
 * a fan-out of more copies than the send queue holds loses none (the queue
 * sends what it holds and goes on), and the copies queued from one scratch
 * buffer keep their bytes across that early send. The offloads: a run of
 * equal datagrams to one destination leaves in one GSO send, which loopback
 * hands whole to a socket with GRO on, as a train; the train is split into
 * its datagrams, byte for byte, over as many receives as it needs. A raw
 * socket is connected to its own address (so that the kernel copies it no
 * datagram from elsewhere) and still sends to any destination it names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/udp_batch.h"

#define LOOPBACK htonl(0x7f000001)
#define SLOTS	 8

struct fixture {
	struct udp_batch *b;
	int sink;
	uint16_t sink_port;
};

static int
setup(void **state)
{
	static struct fixture f;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int size = 4 << 20;

	f.b = udp_batch_open(LOOPBACK, 0, SLOTS);
	f.sink = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	sin.sin_addr.s_addr = LOOPBACK;
	if (f.b == NULL || f.sink < 0 || bind(f.sink, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(f.sink, (struct sockaddr *)&sin, &len) < 0)
		return -1;
	(void)setsockopt(f.sink, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	f.sink_port = ntohs(sin.sin_port);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	udp_batch_close(f->b);
	close(f->sink);
	return 0;
}

/* Reads every datagram waiting: how many, each checked against want. */
static unsigned
drain_sink(const struct fixture *f, const uint8_t *want, size_t want_len)
{
	uint8_t buf[2048];
	unsigned n = 0;
	ssize_t got;

	while ((got = recv(f->sink, buf, sizeof(buf), 0)) >= 0) {
		assert_int_equal(got, want_len);
		assert_memory_equal(buf, want, want_len);
		n++;
	}
	return n;
}

static void
test_fanout_beyond_the_queue_loses_no_copy(void **state)
{
	struct fixture *f = *state;
	uint8_t *buf = udp_batch_scratch(f->b);
	const unsigned copies = 200; /* the queue holds 2 * SLOTS */
	uint8_t want[64];

	assert_non_null(buf);
	for (size_t i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(i * 7);
	memcpy(buf, want, sizeof(want));
	for (unsigned i = 0; i < copies; i++)
		udp_batch_queue(f->b, buf, sizeof(want), LOOPBACK, f->sink_port);
	assert_int_equal(udp_batch_flush(f->b), 0);
	assert_int_equal(drain_sink(f, want, sizeof(want)), copies);
}

static void
test_scratch_handed_out_stays_reserved_until_the_flush(void **state)
{
	struct fixture *f = *state;
	uint8_t *first = udp_batch_scratch(f->b), *second;

	assert_non_null(first);
	memset(first, 0xaa, 32);
	for (unsigned i = 0; i < 3 * SLOTS; i++)
		udp_batch_queue(f->b, first, 32, LOOPBACK, f->sink_port);
	/* The queue has been sent early; the buffer is still ours, not handed out again. */
	second = udp_batch_scratch(f->b);
	assert_ptr_not_equal(second, first);
	memset(second, 0x55, 32);
	udp_batch_queue(f->b, first, 32, LOOPBACK, f->sink_port);
	assert_int_equal(udp_batch_flush(f->b), 0);
	{
		uint8_t want[32];

		memset(want, 0xaa, sizeof(want));
		assert_int_equal(drain_sink(f, want, sizeof(want)), 3 * SLOTS + 1);
	}
	/* After the flush the scratch room is free again. */
	assert_ptr_equal(udp_batch_scratch(f->b), first);
}

static void
test_scratch_all_handed_out_sends_what_is_queued_and_goes_on(void **state)
{
	struct fixture *f = *state;
	unsigned got = 0;
	uint8_t buf[64];

	/* Three times as many buffers as there are: each filled, queued, then the next. */
	for (unsigned i = 0; i < 3 * SLOTS; i++) {
		uint8_t *out = udp_batch_scratch(f->b);

		assert_non_null(out);
		memset(out, (int)i, 16);
		udp_batch_queue(f->b, out, 16, LOOPBACK, f->sink_port);
	}
	assert_int_equal(udp_batch_flush(f->b), 0);
	/* Every datagram kept the bytes it was queued with, in order. */
	while (recv(f->sink, buf, sizeof(buf), 0) == 16) {
		for (int k = 0; k < 16; k++)
			assert_int_equal(buf[k], got);
		got++;
	}
	assert_int_equal(got, 3 * SLOTS);
}

/* ---------------------------------------------------------------- trains */

static void
test_train_count_and_segments(void **state)
{
	size_t seg_len;

	(void)state;
	assert_int_equal(udp_train_count(100, 0), 1);
	assert_int_equal(udp_train_count(100, 100), 1);
	assert_int_equal(udp_train_count(60, 100), 1);
	assert_int_equal(udp_train_count(300, 100), 3);
	assert_int_equal(udp_train_count(301, 100), 4);
	assert_int_equal(udp_train_segment(100, 0, 0, &seg_len), 0);
	assert_int_equal(seg_len, 100);
	assert_int_equal(udp_train_segment(301, 100, 2, &seg_len), 200);
	assert_int_equal(seg_len, 100);
	/* The last datagram of a train may be shorter. */
	assert_int_equal(udp_train_segment(301, 100, 3, &seg_len), 300);
	assert_int_equal(seg_len, 1);
	assert_int_equal(udp_train_segment(250, 100, 2, &seg_len), 200);
	assert_int_equal(seg_len, 50);
}

struct pair {
	struct udp_batch *tx, *rx;
	uint16_t rx_port;
};

static uint16_t
local_port(struct udp_batch *b)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	assert_int_equal(getsockname(udp_batch_fd(b), (struct sockaddr *)&sin, &len), 0);
	return ntohs(sin.sin_port);
}

static void
pair_open(struct pair *p, unsigned rx_slots)
{
	p->tx = udp_batch_open(LOOPBACK, 0, 32);
	p->rx = udp_batch_open(LOOPBACK, 0, rx_slots);
	assert_non_null(p->tx);
	assert_non_null(p->rx);
	assert_int_equal(udp_batch_enable_gro(p->rx), 0);
	udp_batch_enable_gso(p->tx);
	p->rx_port = local_port(p->rx);
}

static void
pair_close(struct pair *p)
{
	udp_batch_close(p->tx);
	udp_batch_close(p->rx);
}

/* Datagram k of a test: its bytes tell its number and offset. */
static void
fill(uint8_t *buf, size_t len, unsigned k)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(k * 31 + i);
}

/* Queues datagrams of the given lengths, each from a scratch buffer, numbered from k0. */
static void
queue_lengths(struct pair *p, const size_t *lens, unsigned n, unsigned k0)
{
	for (unsigned k = 0; k < n; k++) {
		uint8_t *buf = udp_batch_scratch(p->tx);

		fill(buf, lens[k], k0 + k);
		udp_batch_queue(p->tx, buf, lens[k], LOOPBACK, p->rx_port);
	}
}

static void
assert_datagram(const struct udp_pkt *pkt, size_t len, unsigned k)
{
	uint8_t want[2048];

	fill(want, len, k);
	assert_int_equal(pkt->len, len);
	assert_false(pkt->truncated);
	assert_int_equal(pkt->from_be, LOOPBACK);
	assert_memory_equal(pkt->data, want, len);
}

/* Receives until n datagrams came (bounded: loopback delivers before send returns). */
static unsigned
receive_all(struct pair *p, struct udp_pkt *got, unsigned n, size_t *lens_seen)
{
	unsigned have = 0;

	for (int tries = 0; tries < 100 && have < n; tries++) {
		struct udp_pkt *pkts;
		int r = udp_batch_recv(p->rx, &pkts);

		assert_true(r >= 0);
		for (int i = 0; i < r; i++) {
			got[have] = pkts[i];
			lens_seen[have] = pkts[i].len;
			/* The bytes live until the next receive: check them now. */
			have++;
		}
		if (r > 0)
			return have;
	}
	return have;
}

static void
test_equal_run_leaves_in_one_send_and_arrives_as_one_train(void **state)
{
	struct pair p;
	size_t lens[8] = { 100, 100, 100, 100, 100, 100, 100, 40 };
	struct udp_batch_stats tx, rx;
	struct udp_pkt *pkts;
	int n;

	(void)state;
	pair_open(&p, 16);
	queue_lengths(&p, lens, 8, 0);
	assert_int_equal(udp_batch_flush(p.tx), 0);
	udp_batch_take_stats(p.tx, &tx);
	assert_int_equal(tx.tx_gso_sends, 1);
	assert_int_equal(tx.tx_gso_datagrams, 8);
	n = udp_batch_recv(p.rx, &pkts);
	assert_int_equal(n, 8);
	for (int k = 0; k < 8; k++) {
		assert_datagram(&pkts[k], lens[k], (unsigned)k);
		/* Each has its own headroom: a header pushed in front of one spares the others. */
		memset(pkts[k].data - UDP_BATCH_HEADROOM, 0xee, UDP_BATCH_HEADROOM);
	}
	for (int k = 0; k < 8; k++)
		assert_datagram(&pkts[k], lens[k], (unsigned)k);
	udp_batch_take_stats(p.rx, &rx);
	assert_int_equal(rx.rx_calls, 1);
	assert_int_equal(rx.rx_messages, 1);
	assert_int_equal(rx.rx_datagrams, 8);
	assert_int_equal(udp_batch_recv(p.rx, &pkts), 0);
	pair_close(&p);
}

static void
test_train_beyond_the_slots_comes_over_several_calls(void **state)
{
	struct pair p;
	size_t lens[10] = { 64, 64, 64, 64, 64, 64, 64, 64, 64, 64 };
	struct udp_batch_stats rx;
	struct udp_pkt *pkts;
	unsigned k = 0;

	(void)state;
	pair_open(&p, 4);
	queue_lengths(&p, lens, 10, 0);
	assert_int_equal(udp_batch_flush(p.tx), 0);
	/* 4, 4 and 2: one receive, handed out over three calls. */
	for (int want = 4, call = 0; call < 3; call++, want = call < 2 ? 4 : 2) {
		int n = udp_batch_recv(p.rx, &pkts);

		assert_int_equal(n, want);
		for (int i = 0; i < n; i++)
			assert_datagram(&pkts[i], 64, k++);
	}
	assert_int_equal(udp_batch_recv(p.rx, &pkts), 0);
	udp_batch_take_stats(p.rx, &rx);
	assert_int_equal(rx.rx_calls, 1);
	assert_int_equal(rx.rx_messages, 1);
	assert_int_equal(rx.rx_datagrams, 10);
	pair_close(&p);
}

static void
test_a_train_that_does_not_fit_waits_for_the_next_call(void **state)
{
	struct pair p;
	/* A single datagram, then a train of 3, in two flushes. */
	size_t one[1] = { 200 }, three[3] = { 80, 80, 80 };
	struct udp_pkt *pkts;
	int n;

	(void)state;
	pair_open(&p, 3);
	queue_lengths(&p, one, 1, 0);
	assert_int_equal(udp_batch_flush(p.tx), 0);
	queue_lengths(&p, three, 3, 1);
	assert_int_equal(udp_batch_flush(p.tx), 0);
	/* 1 + 3 do not fit in 3 slots: the datagram first, the train whole after it. */
	n = udp_batch_recv(p.rx, &pkts);
	assert_int_equal(n, 1);
	assert_datagram(&pkts[0], 200, 0);
	n = udp_batch_recv(p.rx, &pkts);
	assert_int_equal(n, 3);
	for (int i = 0; i < 3; i++)
		assert_datagram(&pkts[i], 80, 1 + (unsigned)i);
	pair_close(&p);
}

static void
test_runs_end_at_another_length_or_destination(void **state)
{
	struct pair p, q;
	/*
	 * 50 50 | 60 50 (a shorter one ends a run, in it) | 50 to another
	 * socket | 50: two runs of two, then one datagram alone each.
	 */
	size_t lens[4] = { 50, 50, 60, 50 };
	struct udp_batch_stats tx;
	struct udp_pkt got[8];
	size_t seen[8];
	uint8_t *buf;

	(void)state;
	pair_open(&p, 16);
	pair_open(&q, 16);
	queue_lengths(&p, lens, 4, 0);
	buf = udp_batch_scratch(p.tx);
	fill(buf, 50, 9);
	udp_batch_queue(p.tx, buf, 50, LOOPBACK, q.rx_port);
	buf = udp_batch_scratch(p.tx);
	fill(buf, 50, 10);
	udp_batch_queue(p.tx, buf, 50, LOOPBACK, p.rx_port);
	assert_int_equal(udp_batch_flush(p.tx), 0);
	udp_batch_take_stats(p.tx, &tx);
	assert_int_equal(tx.tx_gso_sends, 2);
	assert_int_equal(tx.tx_gso_datagrams, 4);
	/* In order, each whole: 50 50 60 50 50 to p, one 50 to q. */
	{
		size_t want[5] = { 50, 50, 60, 50, 50 };
		unsigned nums[5] = { 0, 1, 2, 3, 10 }, have = 0;

		while (have < 5) {
			unsigned n = receive_all(&p, got + have, 5 - have, seen + have);

			assert_true(n > 0);
			for (unsigned i = have; i < have + n; i++)
				assert_datagram(&got[i], want[i], nums[i]);
			have += n;
		}
	}
	assert_int_equal(receive_all(&q, got, 1, seen), 1);
	assert_datagram(&got[0], 50, 9);
	pair_close(&p);
	pair_close(&q);
}

/* The remote address of a raw socket, as /proc/net/raw shows it (getpeername wants a port). */
static uint32_t
raw_peer(int fd)
{
	struct stat st;
	char line[256];
	uint32_t peer = 0;
	FILE *f = fopen("/proc/net/raw", "r");

	assert_non_null(f);
	assert_int_equal(fstat(fd, &st), 0);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned local, remote;
		unsigned long inode;

		if (sscanf(line, " %*u: %x:%*x %x:%*x %*x %*x:%*x %*x:%*x %*x %*u %*u %lu", &local,
			&remote, &inode) == 3 &&
		    inode == (unsigned long)st.st_ino)
			peer = remote; /* its 32 bits as a number: read back, the same value */
	}
	fclose(f);
	return peer;
}

/* Sends "vpgd" from 4790 through raw to a socket on 127.0.0.2 and checks what arrives. */
static void
raw_reaches_a_socket(struct udp_batch *raw)
{
	const uint32_t other = htonl(0x7f000002);
	struct sockaddr_in sin = { .sin_family = AF_INET }, from;
	socklen_t len = sizeof(sin), flen = sizeof(from);
	int sink = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	uint8_t dgram[sizeof(struct udphdr) + 4] = { 0 }, buf[64];
	struct udphdr uh = { .uh_sport = htons(4790), .uh_ulen = htons(sizeof(dgram)) };
	ssize_t got = -1;

	sin.sin_addr.s_addr = other;
	assert_true(sink >= 0);
	assert_int_equal(bind(sink, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(sink, (struct sockaddr *)&sin, &len), 0);
	uh.uh_dport = sin.sin_port;
	memcpy(dgram, &uh, sizeof(uh));
	memcpy(dgram + sizeof(uh), "vpgd", 4);
	udp_batch_queue(raw, dgram, sizeof(dgram), other, 0);
	assert_int_equal(udp_batch_flush(raw), 0);
	for (int tries = 0; tries < 1000 && got < 0; tries++) {
		got = recvfrom(sink, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (got < 0)
			usleep(1000);
	}
	assert_int_equal(got, 4);
	assert_memory_equal(buf, "vpgd", 4);
	assert_int_equal(from.sin_addr.s_addr, LOOPBACK);
	assert_int_equal(ntohs(from.sin_port), 4790);
	close(sink);
}

/*
 * A raw UDP socket writes the UDP header itself. Connected to its own
 * address, it still sends where each datagram says, from that address.
 */
static void
test_raw_socket_matches_only_itself_and_sends_anywhere(void **state)
{
	struct udp_batch *raw = udp_batch_open_raw(LOOPBACK, IPPROTO_UDP, SLOTS);

	(void)state;
	if (raw == NULL && errno == EPERM)
		skip(); /* raw sockets need CAP_NET_RAW */
	assert_non_null(raw);
	assert_int_equal(raw_peer(udp_batch_fd(raw)), LOOPBACK);
	raw_reaches_a_socket(raw);
	udp_batch_close(raw);
}

/*
 * Direct transmit needs an Ethernet next hop; loopback is none, so the
 * datagram leaves through the stack as before, and nothing counts as
 * direct. A UDP socket, whose headers the kernel writes, refuses it.
 */
static void
test_direct_without_an_ethernet_hop_leaves_through_the_stack(void **state)
{
	struct udp_batch *raw = udp_batch_open_raw(LOOPBACK, IPPROTO_UDP, SLOTS);
	struct udp_batch *udp = udp_batch_open(LOOPBACK, 0, SLOTS);
	struct udp_batch_stats st;

	(void)state;
	if (raw == NULL && errno == EPERM)
		skip();
	assert_non_null(raw);
	assert_non_null(udp);
	assert_int_equal(udp_batch_enable_direct(raw), 0);
	for (int i = 0; i < 2; i++) /* the first asks the kernel, the second finds the answer */
		raw_reaches_a_socket(raw);
	udp_batch_take_stats(raw, &st);
	assert_int_equal(st.tx_direct, 0);
	assert_int_equal(udp_batch_enable_direct(udp), -1);
	assert_int_equal(errno, EINVAL);
	udp_batch_close(udp);
	udp_batch_close(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_fanout_beyond_the_queue_loses_no_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scratch_handed_out_stays_reserved_until_the_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scratch_all_handed_out_sends_what_is_queued_and_goes_on, setup, teardown),
		cmocka_unit_test(test_train_count_and_segments),
		cmocka_unit_test(test_equal_run_leaves_in_one_send_and_arrives_as_one_train),
		cmocka_unit_test(test_train_beyond_the_slots_comes_over_several_calls),
		cmocka_unit_test(test_a_train_that_does_not_fit_waits_for_the_next_call),
		cmocka_unit_test(test_runs_end_at_another_length_or_destination),
		cmocka_unit_test(test_raw_socket_matches_only_itself_and_sends_anywhere),
		cmocka_unit_test(test_direct_without_an_ethernet_hop_leaves_through_the_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
