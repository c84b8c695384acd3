/*
 * Unit tests for application identification (src/inspect/classify.c), fed with
 * IPv4 packets built here byte by byte: an HTTP exchange over TCP and a DNS
 * query are named by nDPI; noise is given up on exactly at
 * CLASSIFY_MAX_PACKETS; both directions of a conversation share one
 * context; a full pool refuses new conversations until expiry frees it;
 * expiry goes oldest first within its budget; short packets are never read
 * past; released contexts give back what nDPI allocated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "inspect/classify.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
/* From the sanitizer runtime; gcc installs no header for it. */
size_t __sanitizer_get_current_allocated_bytes(void);
#else
#include <malloc.h>
#endif

#define PROTO_TCP 6
#define PROTO_UDP 17
#define TCP_FIN	  0x01
#define TCP_SYN	  0x02
#define TCP_PSH	  0x08
#define TCP_ACK	  0x10

/* 10.45.0.2, a device; 198.51.100.10 (TEST-NET-2), a peer no nDPI list names. */
#define DEVICE_IP 0x0a2d0002u
#define PEER_IP	  0xc633640au
#define PKT_MAX	  1500
#define NOISE_LEN 64

/* One packet on the wire: IPv4, then TCP or UDP, then payload. */
struct pkt_spec {
	uint32_t src, dst; /* host order */
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t tcp_flags;
	uint32_t seq, ack;
	const void *payload;
	size_t plen;
};

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* The IPv4 header checksum (RFC 791): nDPI ignores it, but the packet is then real. */
static uint16_t
ip_checksum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Writes the packet into buf (PKT_MAX bytes) and returns its total length. */
static size_t
build(uint8_t *buf, const struct pkt_spec *s)
{
	size_t l4 = s->proto == PROTO_TCP ? 20 : 8;
	size_t len = 20 + l4 + s->plen;
	uint8_t *h = buf + 20;

	assert_true(len <= PKT_MAX);
	memset(buf, 0, 20 + l4);
	buf[0] = 0x45;
	put16(buf + 2, (uint16_t)len);
	put16(buf + 4, 0x1234);
	put16(buf + 6, 0x4000); /* DF, no fragment */
	buf[8] = 64;
	buf[9] = s->proto;
	put32(buf + 12, s->src);
	put32(buf + 16, s->dst);
	put16(buf + 10, ip_checksum(buf, 20));
	put16(h, s->sport);
	put16(h + 2, s->dport);
	if (s->proto == PROTO_TCP) {
		put32(h + 4, s->seq);
		put32(h + 8, s->ack);
		h[12] = 5 << 4; /* data offset: 20 bytes, no options */
		h[13] = s->tcp_flags;
		put16(h + 14, 65535);
	} else {
		put16(h + 4, (uint16_t)(8 + s->plen));
	}
	if (s->plen > 0)
		memcpy(h + l4, s->payload, s->plen);
	return len;
}

static struct classify_key
key(uint8_t proto, uint16_t device_port, uint16_t peer_port)
{
	struct classify_key k;

	memset(&k, 0, sizeof(k));
	k.device_be = htonl(DEVICE_IP);
	k.peer_be = htonl(PEER_IP);
	k.device_port = device_port;
	k.peer_port = peer_port;
	k.proto = proto;
	return k;
}

/* A DNS query (RFC 1035 4.1) for example.test, type A, class IN, recursion desired. */
static size_t
dns_query(uint8_t *q)
{
	static const uint8_t msg[] = {
		0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* header */
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0,		/* name */
		0x00, 0x01, 0x00, 0x01,							/* A, IN */
	};

	memcpy(q, msg, sizeof(msg));
	return sizeof(msg);
}

static size_t
dns_packet(uint8_t *buf)
{
	uint8_t q[64];
	struct pkt_spec s = { .src = DEVICE_IP,
		.dst = PEER_IP,
		.sport = 51000,
		.dport = 53,
		.proto = PROTO_UDP,
		.payload = q };

	s.plen = dns_query(q);
	return build(buf, &s);
}

/*
 * Bytes no protocol owns: xorshift32 from a fixed seed, so every run sees
 * the same. Purely random payloads are not enough: nDPI's UDP heuristics
 * read the first few bytes (RTP takes any version-2 first byte, Skype and
 * Viber test the third), and 1 in 300 random conversations was named. A
 * fixed prefix no dissector accepts left 20000 conversations unnamed.
 */
static void
noise(uint8_t *p, size_t n, uint32_t *state)
{
	static const uint8_t prefix[] = { 0x3c, 0x55, 0x7a, 0xe1 };

	for (size_t i = 0; i < n; i++) {
		*state ^= *state << 13;
		*state ^= *state >> 17;
		*state ^= *state << 5;
		p[i] = (uint8_t)*state;
	}
	memcpy(p, prefix, n < sizeof(prefix) ? n : sizeof(prefix));
}

/* One UDP packet of noise on conversation (device_port, peer_port), either way. */
static size_t
noise_packet(
    uint8_t *buf, uint16_t device_port, uint16_t peer_port, bool from_peer, uint32_t *state)
{
	uint8_t payload[NOISE_LEN];
	struct pkt_spec s = { .src = DEVICE_IP,
		.dst = PEER_IP,
		.sport = device_port,
		.dport = peer_port,
		.proto = PROTO_UDP,
		.payload = payload,
		.plen = NOISE_LEN };

	noise(payload, sizeof(payload), state);
	if (from_peer) {
		s.src = PEER_IP;
		s.dst = DEVICE_IP;
		s.sport = peer_port;
		s.dport = device_port;
	}
	return build(buf, &s);
}

static enum classify_result
feed_noise(struct classifier *c, uint16_t device_port, uint16_t peer_port, bool from_peer,
    uint64_t now_ms, char *name)
{
	static uint32_t state = 0x2545f491;
	struct classify_key k = key(PROTO_UDP, device_port, peer_port);
	uint8_t buf[PKT_MAX];
	size_t len = noise_packet(buf, device_port, peer_port, from_peer, &state);

	return classifier_packet(c, &k, buf, len, now_ms, name);
}

static const char http_get[] = "GET / HTTP/1.1\r\nHost: example.test\r\n"
			       "User-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";
static const char http_ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

#define HTTP_PACKETS 6

/* A curl-like exchange with a web server on port 80, in wire order. */
static void
http_exchange(struct pkt_spec s[HTTP_PACKETS])
{
	const uint32_t cseq = 1000, sseq = 5000;
	const struct pkt_spec up = {
		.src = DEVICE_IP, .dst = PEER_IP, .sport = 41000, .dport = 80, .proto = PROTO_TCP
	};
	const struct pkt_spec down = {
		.src = PEER_IP, .dst = DEVICE_IP, .sport = 80, .dport = 41000, .proto = PROTO_TCP
	};

	s[0] = up;
	s[0].tcp_flags = TCP_SYN;
	s[0].seq = cseq;
	s[1] = down;
	s[1].tcp_flags = TCP_SYN | TCP_ACK;
	s[1].seq = sseq;
	s[1].ack = cseq + 1;
	s[2] = up;
	s[2].tcp_flags = TCP_ACK;
	s[2].seq = cseq + 1;
	s[2].ack = sseq + 1;
	s[3] = s[2];
	s[3].tcp_flags = TCP_PSH | TCP_ACK;
	s[3].payload = http_get;
	s[3].plen = sizeof(http_get) - 1;
	s[4] = down;
	s[4].tcp_flags = TCP_PSH | TCP_ACK;
	s[4].seq = sseq + 1;
	s[4].ack = cseq + 1 + (uint32_t)s[3].plen;
	s[4].payload = http_ok;
	s[4].plen = sizeof(http_ok) - 1;
	s[5] = up;
	s[5].tcp_flags = TCP_FIN | TCP_ACK;
	s[5].seq = s[4].ack;
	s[5].ack = s[4].seq + (uint32_t)s[4].plen;
}

/*
 * Feeds the exchange until the classifier is done and returns at which
 * packet (0-based), or HTTP_PACKETS if it never was. Until then every
 * packet, whichever way it goes, must keep exactly one context.
 */
static int
feed_http(struct classifier *c, char *name)
{
	struct pkt_spec s[HTTP_PACKETS];
	struct classify_key k = key(PROTO_TCP, 41000, 80);
	uint8_t buf[PKT_MAX];
	enum classify_result r;
	size_t len;

	http_exchange(s);
	for (int i = 0; i < HTTP_PACKETS; i++) {
		len = build(buf, &s[i]);
		r = classifier_packet(c, &k, buf, len, 1000 + (uint64_t)i, name);
		if (r == CLASSIFY_DONE)
			return i;
		assert_int_equal(r, CLASSIFY_PENDING);
		assert_int_equal(classifier_active(c), 1);
	}
	return HTTP_PACKETS;
}

/*
 * Named by the request, not by port 80: the handshake alone leaves nDPI
 * undecided, and the context is gone once the name is known.
 */
static void
test_classify_http_exchange_detected(void **state)
{
	struct classifier *c = classifier_new(8);
	char name[CLASSIFY_NAME_LEN] = "";
	int at;

	(void)state;
	assert_non_null(c);
	at = feed_http(c, name);
	assert_true(at >= 3); /* not before the GET */
	assert_true(at < HTTP_PACKETS);
	assert_int_equal(strncmp(name, "HTTP", 4), 0);
	assert_int_equal(classifier_active(c), 0);
	classifier_free(c);
}

static void
test_classify_dns_query_detected(void **state)
{
	struct classifier *c = classifier_new(8);
	struct classify_key k = key(PROTO_UDP, 51000, 53);
	char name[CLASSIFY_NAME_LEN] = "";
	uint8_t buf[PKT_MAX];
	size_t len = dns_packet(buf);

	(void)state;
	assert_int_equal(classifier_packet(c, &k, buf, len, 1000, name), CLASSIFY_DONE);
	assert_string_equal(name, "DNS");
	assert_int_equal(classifier_active(c), 0);
	classifier_free(c);
}

/* Noise is pending for CLASSIFY_MAX_PACKETS - 1 packets and given up on at the last. */
static void
test_classify_noise_gives_up_at_bound(void **state)
{
	struct classifier *c = classifier_new(8);
	char name[CLASSIFY_NAME_LEN] = "";

	(void)state;
	for (uint32_t i = 1; i < CLASSIFY_MAX_PACKETS; i++) {
		assert_int_equal(
		    feed_noise(c, 40001, 47999, false, 1000 + i, name), CLASSIFY_PENDING);
		assert_int_equal(classifier_active(c), 1);
	}
	assert_int_equal(feed_noise(c, 40001, 47999, false, 2000, name), CLASSIFY_DONE);
	assert_string_equal(name, CLASSIFY_UNKNOWN);
	assert_int_equal(classifier_active(c), 0);
	classifier_free(c);
}

/*
 * Replies from the peer count in the same context as the device's packets:
 * one context throughout, and the bound is reached after
 * CLASSIFY_MAX_PACKETS packets in all, not per direction.
 */
static void
test_classify_both_directions_share_context(void **state)
{
	struct classifier *c = classifier_new(8);
	char name[CLASSIFY_NAME_LEN] = "";
	uint32_t i;

	(void)state;
	for (i = 1; i < CLASSIFY_MAX_PACKETS; i++) {
		assert_int_equal(
		    feed_noise(c, 40002, 47998, i % 2 == 0, 1000 + i, name), CLASSIFY_PENDING);
		assert_int_equal(classifier_active(c), 1);
	}
	assert_int_equal(feed_noise(c, 40002, 47998, i % 2 == 0, 1000 + i, name), CLASSIFY_DONE);
	assert_int_equal(classifier_active(c), 0);
	classifier_free(c);
}

/* Two contexts: the third conversation is refused until expiry frees the first two. */
static void
test_classify_pool_full_then_expire_frees(void **state)
{
	struct classifier *c = classifier_new(2);
	char name[CLASSIFY_NAME_LEN] = "";

	(void)state;
	assert_int_equal(feed_noise(c, 40010, 47000, false, 1000, name), CLASSIFY_PENDING);
	assert_int_equal(feed_noise(c, 40011, 47000, false, 1000, name), CLASSIFY_PENDING);
	assert_int_equal(feed_noise(c, 40012, 47000, false, 1000, name), CLASSIFY_NO_CONTEXT);
	assert_string_equal(name, CLASSIFY_UNKNOWN);
	assert_int_equal(classifier_active(c), 2);
	/* Conversations in progress still get their packets in. */
	assert_int_equal(feed_noise(c, 40010, 47000, false, 1000, name), CLASSIFY_PENDING);

	assert_int_equal(classifier_expire(c, 1999, 1000), 0);
	assert_int_equal(classifier_active(c), 2);
	assert_int_equal(classifier_expire(c, 2000, 1000), 2);
	assert_int_equal(classifier_active(c), 0);
	assert_int_equal(feed_noise(c, 40012, 47000, false, 2000, name), CLASSIFY_PENDING);
	assert_int_equal(classifier_active(c), 1);
	classifier_free(c);
}

/* A packet moves its context to the back of the line: only the idle one goes. */
static void
test_classify_expire_oldest_first(void **state)
{
	struct classifier *c = classifier_new(4);
	char name[CLASSIFY_NAME_LEN] = "";

	(void)state;
	assert_int_equal(feed_noise(c, 40020, 47000, false, 1000, name), CLASSIFY_PENDING);
	assert_int_equal(feed_noise(c, 40021, 47000, false, 2000, name), CLASSIFY_PENDING);
	assert_int_equal(feed_noise(c, 40020, 47000, true, 3000, name), CLASSIFY_PENDING);
	assert_int_equal(classifier_expire(c, 2999, 1000), 0);
	assert_int_equal(classifier_expire(c, 3000, 1000), 1);
	assert_int_equal(classifier_active(c), 1);
	/* 40020 kept its context: its third packet makes it hold one, not two. */
	assert_int_equal(feed_noise(c, 40020, 47000, false, 3000, name), CLASSIFY_PENDING);
	assert_int_equal(classifier_active(c), 1);
	assert_int_equal(classifier_expire(c, 4000, 1000), 1);
	assert_int_equal(classifier_active(c), 0);
	classifier_free(c);
}

/* 300 idle contexts: 256 go in one call, the rest in the next. */
static void
test_classify_expire_bounded_per_call(void **state)
{
	struct classifier *c = classifier_new(300);
	char name[CLASSIFY_NAME_LEN] = "";

	(void)state;
	for (uint16_t i = 0; i < 300; i++)
		assert_int_equal(feed_noise(c, (uint16_t)(30000 + i), 47000, false, 1000, name),
		    CLASSIFY_PENDING);
	assert_int_equal(classifier_active(c), 300);
	assert_int_equal(classifier_expire(c, 5000, 1000), 256);
	assert_int_equal(classifier_active(c), 44);
	assert_int_equal(classifier_expire(c, 5000, 1000), 44);
	assert_int_equal(classifier_active(c), 0);
	assert_int_equal(classifier_expire(c, 5000, 1000), 0);
	classifier_free(c);
}

/*
 * A copy of len bytes of pkt that ends where an inaccessible page begins,
 * so reading one byte past it faults. ASan alone would not do: libndpi is
 * not instrumented, and its reads are not checked.
 */
struct guarded {
	uint8_t *map;
	size_t size;
	uint8_t *pkt;
};

static void
guard(struct guarded *g, const uint8_t *pkt, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	assert_true(len <= page);
	g->size = 2 * page;
	g->map = mmap(NULL, g->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + page, page, PROT_NONE), 0);
	g->pkt = g->map + page - len;
	memcpy(g->pkt, pkt, len);
}

static void
unguard(struct guarded *g)
{
	assert_int_equal(munmap(g->map, g->size), 0);
}

/*
 * Shorter than an IPv4 header: ignored (PENDING, no context, name not
 * written), and not read past; the conversation is then classified as if
 * the fragment never came.
 */
static void
test_classify_truncated_packet_ignored(void **state)
{
	struct classifier *c = classifier_new(8);
	struct classify_key k = key(PROTO_UDP, 51000, 53);
	char name[CLASSIFY_NAME_LEN] = "untouched";
	uint8_t buf[PKT_MAX];
	size_t len = dns_packet(buf);
	struct guarded g;

	(void)state;
	guard(&g, buf, 10);
	assert_int_equal(classifier_packet(c, &k, g.pkt, 10, 1000, name), CLASSIFY_PENDING);
	assert_string_equal(name, "untouched");
	assert_int_equal(classifier_active(c), 0);
	assert_int_equal(classifier_packet(c, &k, buf, len, 1001, name), CLASSIFY_DONE);
	assert_string_equal(name, "DNS");
	unguard(&g);
	classifier_free(c);
}

/*
 * Longer than a header but shorter than its IPv4 total length says, cut at
 * every length: nDPI is handed len and must not read on to the length in
 * the header. Then the whole packet, ending at the guard page too, is named.
 */
static void
test_classify_cut_packet_not_overread(void **state)
{
	struct classifier *c = classifier_new(8);
	struct classify_key k = key(PROTO_UDP, 51000, 53);
	char name[CLASSIFY_NAME_LEN] = "";
	uint8_t buf[PKT_MAX];
	size_t full = dns_packet(buf);
	struct guarded g;

	(void)state;
	for (size_t len = 20; len < full; len++) {
		guard(&g, buf, len);
		/* Whatever nDPI makes of it, the answer is one of ours. */
		assert_true(
		    classifier_packet(c, &k, g.pkt, len, 1000 + len, name) <= CLASSIFY_DONE);
		unguard(&g);
	}
	(void)classifier_expire(c, 5000, 1);
	guard(&g, buf, full);
	assert_int_equal(classifier_packet(c, &k, g.pkt, full, 5000, name), CLASSIFY_DONE);
	assert_string_equal(name, "DNS");
	unguard(&g);
	classifier_free(c);
}

static size_t
allocated_bytes(void)
{
#ifdef HAVE_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/*
 * nDPI keeps strings such as the HTTP URL inside a flow; releasing the
 * context, on detection or on expiry, gives them back.
 */
static void
test_classify_release_returns_ndpi_memory(void **state)
{
	struct classifier *c = classifier_new(8);
	char name[CLASSIFY_NAME_LEN] = "";
	size_t before;

	(void)state;
	(void)feed_http(c, name); /* whatever nDPI sets up once, on first use */
	before = allocated_bytes();
	for (int i = 0; i < 10; i++) {
		assert_true(feed_http(c, name) < HTTP_PACKETS);
		assert_int_equal(feed_noise(c, 40030, 47000, false, 1000, name), CLASSIFY_PENDING);
		assert_int_equal(classifier_expire(c, 9000, 1000), 1);
	}
	assert_int_equal(allocated_bytes(), before);
	classifier_free(c);
}

static void
test_classifier_new_zero_fails(void **state)
{
	(void)state;
	assert_null(classifier_new(0));
	classifier_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_http_exchange_detected),
		cmocka_unit_test(test_classify_dns_query_detected),
		cmocka_unit_test(test_classify_noise_gives_up_at_bound),
		cmocka_unit_test(test_classify_both_directions_share_context),
		cmocka_unit_test(test_classify_pool_full_then_expire_frees),
		cmocka_unit_test(test_classify_expire_oldest_first),
		cmocka_unit_test(test_classify_expire_bounded_per_call),
		cmocka_unit_test(test_classify_truncated_packet_ignored),
		cmocka_unit_test(test_classify_cut_packet_not_overread),
		cmocka_unit_test(test_classify_release_returns_ndpi_memory),
		cmocka_unit_test(test_classifier_new_zero_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
