/*
 * Unit tests for the batched UDP sockets (src/io/udp_batch.c) on loopback:
 * a fan-out of more copies than the send queue holds loses none (the queue
 * sends what it holds and goes on), and the copies queued from one scratch
 * buffer keep their bytes across that early send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <sys/socket.h>
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
