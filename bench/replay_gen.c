/*
 * The replay check of bench/attach_gen.h's generators: COUNT requests sent
 * at an offered RATE per second (open loop, paced, whatever the answers
 * do), every EVERY-th of them sent again DELAY after the original (1 to 3 s,
 * spread evenly: a peer's retransmission, TS 29.060 §7.6, TS 29.274 §7.6),
 * and any request still unanswered after 3 s sent again, up to RETRIES
 * times, as a peer does. A gateway must answer every repeat with the very
 * octets it answered first and never carry a request out twice.
 *
 * Answers are told apart by the TEID in their header: request i gives the
 * gateway TEID i + 1 for its control plane (GTPv1-C's TEID Control,
 * GTPv2-C's S5/S8-C F-TEID), so the 16-bit sequence number may wrap freely.
 * The first answer to a duplicated request is kept whole and every later
 * one compared octet by octet; other requests' first answers are kept as a
 * length and a 64-bit hash.
 *
 * It prints one line: "requests N answered A accepted C duplicates D
 * duplicates_after_answer E retransmitted T repeats_answered R mismatched M unanswered U seconds S
 * offered_rate O answered_rate X" and exits 0 when nothing mismatched and
 * every request was answered, 1 otherwise, 2 on bad arguments.
 *
 *   NAME replay -l LOCAL_IP -r PEER_IP -n COUNT [-R RATE] [-e EVERY] [-N RETRIES]
 *        [-t SECONDS] [-i IMSI_BASE] [-a APN]
 */
#define _GNU_SOURCE
#include "attach_gen.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	 64
#define SLOT_S	 0.01 /* the timer wheel's slot */
#define SLOTS	 1024 /* 10.24 s ahead: further than any timer */
#define RETX_S	 3.0  /* T3-RESPONSE, as the gateway assumes of its peers */
#define KEPT_MAX 512  /* octets of an answer kept whole */
#define NONE	 (-1L)
#define QUIET_S	 1.0 /* the wait for the last repeats' answers */

struct replay_opts {
	struct sockaddr_in la, ra;
	const char *apn;
	unsigned long long imsi_base;
	long count, every, retries;
	double rate, seconds;
};

/* What is known of request i. */
struct request {
	uint8_t tries; /* sent so many times, not counting its duplicate */
	bool answered; /* its first answer came */
	bool dup_sent;
	bool accepted;
	uint16_t len;	/* of the first answer */
	uint64_t hash;	/* of the first answer */
	long next_retx; /* the timer wheel's lists */
	long next_dup;
};

struct replay {
	const struct attach_proto *proto;
	struct replay_opts o;
	int fd;
	struct request *req;
	uint8_t (*kept)[KEPT_MAX]; /* first answers of duplicated requests, by i / every */
	long retx_wheel[SLOTS], dup_wheel[SLOTS];
	uint64_t slot_done; /* slots up to here have fired */
	double t0;
	long next, answered, accepted, dups, dups_after_answer, retx, repeats, mismatched, lost,
	    pending_dups;
	uint8_t txb[BATCH][ATTACH_TX_MAX];
	struct iovec txv[BATCH];
	struct mmsghdr tx[BATCH];
	int k; /* requests queued in tx */
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
fnv1a(const uint8_t *b, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t
slot_at(const struct replay *g, double t)
{
	return (uint64_t)((t - g->t0) / SLOT_S);
}

static void
flush(struct replay *g)
{
	for (int off = 0; off < g->k;) {
		int s = sendmmsg(g->fd, g->tx + off, (unsigned)(g->k - off), 0);
		if (s <= 0)
			break;
		off += s;
	}
	g->k = 0;
}

/* Request i (again), and a timer to send it again if it goes unanswered. */
static void
send_request(struct replay *g, long i, double t)
{
	uint64_t slot = slot_at(g, t + RETX_S) % SLOTS;

	if (g->k == BATCH)
		flush(g);
	g->txv[g->k].iov_len = g->proto->build(g->txb[g->k], g->o.imsi_base + (unsigned long long)i,
	    i, g->o.la.sin_addr.s_addr, g->o.apn);
	g->k++;
	g->req[i].tries++;
	g->req[i].next_retx = g->retx_wheel[slot];
	g->retx_wheel[slot] = i;
}

/* 1 to 3 s after the original, spread over duplicates in steps of 10 ms. */
static double
dup_delay(const struct replay *g, long i)
{
	return 1.0 + (double)((i / g->o.every) % 201) * 0.01;
}

static void
send_new(struct replay *g, long i, double t)
{
	send_request(g, i, t);
	if (i % g->o.every == 0) {
		uint64_t slot = slot_at(g, t + dup_delay(g, i)) % SLOTS;
		g->req[i].next_dup = g->dup_wheel[slot];
		g->dup_wheel[slot] = i;
		g->pending_dups++;
	}
}

static void
fire_retx(struct replay *g, long i, double t)
{
	struct request *r = &g->req[i];

	if (r->answered)
		return;
	if (r->tries > g->o.retries) {
		g->lost++;
		return;
	}
	g->retx++;
	send_request(g, i, t);
}

static void
fire_dup(struct replay *g, long i, double t)
{
	g->pending_dups--;
	g->req[i].dup_sent = true;
	g->dups++;
	g->dups_after_answer += g->req[i].answered; /* the gateway must answer it from its cache */
	if (g->k == BATCH)
		flush(g);
	g->txv[g->k].iov_len = g->proto->build(g->txb[g->k], g->o.imsi_base + (unsigned long long)i,
	    i, g->o.la.sin_addr.s_addr, g->o.apn);
	g->k++;
	(void)t;
}

/* The timers of every slot that has passed. */
static void
run_wheel(struct replay *g, double t)
{
	uint64_t now = slot_at(g, t);

	for (; g->slot_done < now; g->slot_done++) {
		uint64_t s = g->slot_done % SLOTS;
		long i = g->retx_wheel[s], j = g->dup_wheel[s];

		g->retx_wheel[s] = g->dup_wheel[s] = NONE;
		/* A timer fired may set the next one on the same request: step first. */
		while (i != NONE) {
			long this = i;
			i = g->req[i].next_retx;
			fire_retx(g, this, t);
		}
		while (j != NONE) {
			long this = j;
			j = g->req[j].next_dup;
			fire_dup(g, this, t);
		}
	}
}

static void
on_answer(struct replay *g, const uint8_t *m, size_t n)
{
	uint32_t seq, teid, addr, hdr_teid;
	int cause;
	struct request *r;
	long i;

	if (n < 8 || g->proto->parse(m, n, &seq, &cause, &teid, &addr) != 0)
		return;
	memcpy(&hdr_teid, m + 4, 4);
	i = (long)ntohl(hdr_teid) - 1;
	if (i < 0 || i >= g->next)
		return;
	r = &g->req[i];
	if (!r->answered) {
		r->answered = true;
		r->len = (uint16_t)n;
		r->hash = fnv1a(m, n);
		r->accepted = g->proto->accepted(cause, teid, addr);
		g->answered++;
		g->accepted += r->accepted;
		if (i % g->o.every == 0)
			memcpy(g->kept[i / g->o.every], m, n < KEPT_MAX ? n : KEPT_MAX);
		return;
	}
	g->repeats++;
	if (n != r->len || fnv1a(m, n) != r->hash ||
	    (i % g->o.every == 0 &&
		memcmp(g->kept[i / g->o.every], m, n < KEPT_MAX ? n : KEPT_MAX)))
		g->mismatched++;
}

static void
receive(struct replay *g, int wait_ms)
{
	static uint8_t rxb[BATCH][2048];
	static struct mmsghdr rx[BATCH];
	static struct iovec rxv[BATCH];
	struct pollfd p = { g->fd, POLLIN, 0 };

	for (int i = 0; i < BATCH; i++) {
		rxv[i] = (struct iovec){ rxb[i], sizeof(rxb[i]) };
		rx[i].msg_hdr = (struct msghdr){ .msg_iov = &rxv[i], .msg_iovlen = 1 };
	}
	if (poll(&p, 1, wait_ms) <= 0)
		return;
	for (int round = 0; round < 16; round++) {
		int r = recvmmsg(g->fd, rx, BATCH, MSG_DONTWAIT, NULL);
		for (int i = 0; i < r; i++)
			on_answer(g, rxb[i], rx[i].msg_len);
		if (r < BATCH)
			break;
	}
}

/* Everything sent, and answered or given up; the repeats' answers had QUIET_S to come. */
static bool
finished(const struct replay *g, double t, double *quiet_since)
{
	if (g->next < g->o.count || g->pending_dups > 0 || g->answered + g->lost < g->o.count) {
		*quiet_since = t;
		return false;
	}
	return g->repeats >= g->dups + g->retx || t - *quiet_since > QUIET_S;
}

static void
run(struct replay *g)
{
	double deadline = g->t0 + g->o.seconds, quiet_since = g->t0, t;

	while ((t = now_s()) < deadline && !finished(g, t, &quiet_since)) {
		long due = (long)((t - g->t0) * g->o.rate) + 1;

		run_wheel(g, t);
		while (g->next < g->o.count && g->next < due && g->k < BATCH)
			send_new(g, g->next++, t);
		flush(g);
		receive(g, g->next < due && g->next < g->o.count ? 0 : 1);
	}
}

static int
parse_opts(int argc, char **argv, const struct attach_proto *proto, struct replay_opts *o)
{
	const char *local = NULL, *remote = NULL;
	int opt;

	*o = (struct replay_opts){ .apn = "internet",
		.imsi_base = 999010000000001ULL,
		.every = 10,
		.retries = 5,
		.rate = 100000,
		.seconds = 60 };
	optind = 1;
	while ((opt = getopt(argc, argv, "l:r:n:R:e:N:t:i:a:")) != -1) {
		switch (opt) {
		case 'l':
			local = optarg;
			break;
		case 'r':
			remote = optarg;
			break;
		case 'n':
			o->count = atol(optarg);
			break;
		case 'R':
			o->rate = atof(optarg);
			break;
		case 'e':
			o->every = atol(optarg);
			break;
		case 'N':
			o->retries = atol(optarg);
			break;
		case 't':
			o->seconds = atof(optarg);
			break;
		case 'i':
			o->imsi_base = strtoull(optarg, NULL, 10);
			break;
		case 'a':
			o->apn = optarg;
			break;
		default:
			return -1;
		}
	}
	o->la = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(proto->port) };
	o->ra = o->la;
	if (local == NULL || remote == NULL || inet_pton(AF_INET, local, &o->la.sin_addr) != 1 ||
	    inet_pton(AF_INET, remote, &o->ra.sin_addr) != 1)
		return -1;
	return o->count > 0 && o->count < UINT32_MAX - 1 && o->every > 0 && o->rate > 0 &&
		       o->retries >= 0 && o->retries < 200 && o->seconds > 0 &&
		       o->imsi_base + (unsigned long long)o->count <= 1000000000000000ULL
		   ? 0
		   : -1;
}

static int
open_socket(const struct replay_opts *o)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), sz = 32 << 20;

	if (fd < 0)
		return -1;
	/* FORCE: root may exceed rmem_max, and answers come as fast as requests go. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind(fd, (const struct sockaddr *)&o->la, sizeof(o->la)) != 0 ||
	    connect(fd, (const struct sockaddr *)&o->ra, sizeof(o->ra)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
setup(struct replay *g)
{
	g->req = calloc((size_t)g->o.count, sizeof(*g->req));
	g->kept = calloc((size_t)(g->o.count / g->o.every + 1), KEPT_MAX);
	if (g->req == NULL || g->kept == NULL)
		return -1;
	for (int s = 0; s < SLOTS; s++)
		g->retx_wheel[s] = g->dup_wheel[s] = NONE;
	for (int i = 0; i < BATCH; i++) {
		g->txv[i].iov_base = g->txb[i];
		g->tx[i].msg_hdr.msg_iov = &g->txv[i];
		g->tx[i].msg_hdr.msg_iovlen = 1;
	}
	g->fd = open_socket(&g->o);
	if (g->fd < 0)
		perror("socket/bind/connect");
	return g->fd < 0 ? -1 : 0;
}

int
attach_replay_main(int argc, char **argv, const struct attach_proto *proto)
{
	static struct replay g;
	double el;

	g.proto = proto;
	if (parse_opts(argc, argv, proto, &g.o) < 0) {
		fprintf(stderr,
		    "usage: %s replay -l LOCAL_IP -r %s -n COUNT [-R RATE] [-e EVERY] "
		    "[-N RETRIES] [-t SECONDS] [-i IMSI_BASE] [-a APN]\n",
		    proto->name, proto->peer);
		return 2;
	}
	if (setup(&g) < 0)
		return 1;
	g.t0 = now_s();
	run(&g);
	el = now_s() - g.t0;
	printf("requests %ld answered %ld accepted %ld duplicates %ld duplicates_after_answer %ld "
	       "retransmitted %ld "
	       "repeats_answered %ld mismatched %ld unanswered %ld seconds %.3f offered_rate %.0f "
	       "answered_rate %.0f\n",
	    g.next, g.answered, g.accepted, g.dups, g.dups_after_answer, g.retx, g.repeats,
	    g.mismatched, g.o.count - g.answered, el, g.o.rate,
	    el > 0 ? (double)g.answered / el : 0.0);
	return g.mismatched == 0 && g.answered == g.o.count ? 0 : 1;
}
