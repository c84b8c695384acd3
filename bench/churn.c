/*
 * A GTPv1-C churn generator for the soak (bench/soak): SESSIONS IMSIs from
 * IMSI_BASE on, each attached with a Create PDP Context Request and detached
 * with a Delete PDP Context Request (TS 29.060 §7.3.1, §7.3.5) in turn, RATE
 * requests a second in all, for SECONDS; then every attached IMSI is
 * detached. A request unanswered for 1 s is retransmitted, the same
 * datagram, up to 3 times. Built on vpgd's GTPv1-C codec. It prints
 * "creates N accepted A deletes N accepted A lost L retransmitted T
 * attached K seconds S".
 *
 *   churn -l LOCAL_IP -r GGSN_IP -n SESSIONS -R RATE -t SECONDS [-i IMSI_BASE]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/gtpc.h"
#include "proto/wr.h"

#define NSAPI	  5
#define SEQ_SPACE 65536
#define RESEND_S  1.0
#define TRIES	  4

enum state { DETACHED, CREATING, ATTACHED, DELETING };

struct slot {
	enum state state;
	uint32_t teid; /* the GGSN's TEID-C of the context, once attached */
	uint16_t seq;
	unsigned tries;
	double sent_at;
	uint16_t len;
	uint8_t msg[256];
};

struct churn {
	int fd;
	uint32_t local_be;
	unsigned long long imsi_base;
	struct slot *slots;
	long n, next, attached;
	long slot_of_seq[SEQ_SPACE]; /* -1: no request of ours */
	uint16_t seq;
	long creates, creates_ok, deletes, deletes_ok, lost, resent;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
build_create(uint8_t *buf, size_t cap, const struct churn *c, long i, uint16_t seq)
{
	static const uint8_t eua[] = { 0xf1, 0x21 }, apn[] = "\x08internet",
			     qos[] = { 1, 0x0b, 0x92, 0x1f };
	char imsi[24];
	struct vpg_wr w;
	size_t hdr;

	snprintf(imsi, sizeof(imsi), "%015llu", c->imsi_base + (unsigned long long)i);
	wr_init(&w, buf, cap);
	hdr = gtpc_build_header(&w, GTPC_CREATE_PDP_REQ, 0, seq);
	gtpc_put_imsi(&w, imsi);
	gtpc_put_tv8(&w, GTPC_IE_SELECTION_MODE, 0xf1);
	gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, (uint32_t)i + 1);
	gtpc_put_tv32(&w, GTPC_IE_TEID_CONTROL, (uint32_t)i + 1);
	gtpc_put_tv8(&w, GTPC_IE_NSAPI, NSAPI);
	gtpc_put_tlv(&w, GTPC_IE_END_USER_ADDRESS, eua, sizeof(eua));
	gtpc_put_tlv(&w, GTPC_IE_APN, apn, sizeof(apn) - 1);
	gtpc_put_gsn_ipv4(&w, c->local_be);
	gtpc_put_gsn_ipv4(&w, c->local_be);
	gtpc_put_tlv(&w, GTPC_IE_QOS_PROFILE, qos, sizeof(qos));
	gtpc_build_finish(&w, hdr);
	return w.overflow ? 0 : w.len;
}

static size_t
build_delete(uint8_t *buf, size_t cap, uint32_t teid, uint16_t seq)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, buf, cap);
	hdr = gtpc_build_header(&w, GTPC_DELETE_PDP_REQ, teid, seq);
	gtpc_put_tv8(&w, GTPC_IE_NSAPI, NSAPI);
	gtpc_build_finish(&w, hdr);
	return w.overflow ? 0 : w.len;
}

static void
transmit(struct churn *c, struct slot *s)
{
	if (send(c->fd, s->msg, s->len, 0) < 0)
		perror("send");
	s->sent_at = now_s();
	s->tries++;
}

/* The slot's next request: a Create when detached, a Delete when attached. */
static void
start_request(struct churn *c, long i)
{
	struct slot *s = &c->slots[i];
	uint16_t seq = c->seq++;
	size_t len = s->state == DETACHED ? build_create(s->msg, sizeof(s->msg), c, i, seq)
					  : build_delete(s->msg, sizeof(s->msg), s->teid, seq);

	if (len == 0)
		return;
	if (c->slot_of_seq[s->seq] == i)
		c->slot_of_seq[s->seq] = -1;
	c->slot_of_seq[seq] = i;
	s->seq = seq;
	s->len = (uint16_t)len;
	s->tries = 0;
	if (s->state == DETACHED) {
		s->state = CREATING;
		c->creates++;
	} else {
		s->state = DELETING;
		c->deletes++;
	}
	transmit(c, s);
}

static void
finish(struct churn *c, struct slot *s, enum state state)
{
	c->slot_of_seq[s->seq] = -1;
	s->state = state;
}

static void
answered(struct churn *c, const uint8_t *buf, size_t len)
{
	struct gtpc_msg m;
	uint8_t cause = 0;
	struct slot *s;
	long i;

	if (gtpc_parse(buf, len, &m) != VPG_DROP_NONE || !m.has_seq ||
	    (i = c->slot_of_seq[m.seq]) < 0 || gtpc_ie_u8(&m.ie[GTPC_IE_CAUSE], &cause) < 0)
		return;
	s = &c->slots[i];
	if (m.type == GTPC_CREATE_PDP_RSP && s->state == CREATING) {
		if (cause == GTPC_CAUSE_REQUEST_ACCEPTED &&
		    gtpc_ie_u32(&m.ie[GTPC_IE_TEID_CONTROL], &s->teid) == 0) {
			c->creates_ok++;
			c->attached++;
			finish(c, s, ATTACHED);
		} else {
			finish(c, s, DETACHED);
		}
	} else if (m.type == GTPC_DELETE_PDP_RSP && s->state == DELETING) {
		if (cause == GTPC_CAUSE_REQUEST_ACCEPTED || cause == GTPC_CAUSE_NON_EXISTENT) {
			c->deletes_ok += cause == GTPC_CAUSE_REQUEST_ACCEPTED;
			c->attached--;
			finish(c, s, DETACHED);
		} else {
			finish(c, s, ATTACHED);
		}
	}
}

static void
receive(struct churn *c, int timeout_ms)
{
	static uint8_t buf[2048];
	struct pollfd p = { c->fd, POLLIN, 0 };
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return;
	while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		answered(c, buf, (size_t)n);
}

/* O(SESSIONS) every 100 ms: 10,000 slots cost nothing beside the requests. */
static void
resend_late(struct churn *c, double t)
{
	for (long i = 0; i < c->n; i++) {
		struct slot *s = &c->slots[i];

		if ((s->state != CREATING && s->state != DELETING) || t - s->sent_at < RESEND_S)
			continue;
		if (s->tries >= TRIES) {
			/* Given up: a Create may have made a context we never heard of. */
			c->lost++;
			finish(c, s, s->state == CREATING ? DETACHED : ATTACHED);
			continue;
		}
		c->resent++;
		transmit(c, s);
	}
}

static bool
busy(const struct slot *s)
{
	return s->state == CREATING || s->state == DELETING;
}

static void
run(struct churn *c, double rate, double seconds)
{
	double t0 = now_s(), last_resend = t0, sent = 0;

	for (double t = t0; t - t0 < seconds; t = now_s()) {
		while (sent < (t - t0) * rate) {
			long i = c->next;

			c->next = (c->next + 1) % c->n;
			sent++;
			if (!busy(&c->slots[i]))
				start_request(c, i);
		}
		receive(c, 1);
		if (t - last_resend > 0.1) {
			last_resend = t;
			resend_late(c, t);
		}
	}
}

/* Every IMSI left attached is detached, and every request answered or given up. */
static void
drain(struct churn *c)
{
	double end = now_s() + 10;

	for (long i = 0; i < c->n; i++)
		if (c->slots[i].state == ATTACHED)
			start_request(c, i);
	for (double t = now_s(); t < end; t = now_s()) {
		long pending = 0;

		for (long i = 0; i < c->n; i++)
			pending += busy(&c->slots[i]);
		if (pending == 0)
			break;
		receive(c, 10);
		resend_late(c, t);
	}
}

static int
open_socket(const char *local, const char *remote, uint32_t *local_be)
{
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons(GTPC_PORT) };
	struct sockaddr_in ra = { .sin_family = AF_INET, .sin_port = htons(GTPC_PORT) };
	int fd, sz = 4 << 20;

	if (inet_pton(AF_INET, local, &la.sin_addr) != 1 ||
	    inet_pton(AF_INET, remote, &ra.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&la, sizeof(la)) != 0 ||
	    connect(fd, (struct sockaddr *)&ra, sizeof(ra)) != 0) {
		close(fd);
		return -1;
	}
	*local_be = la.sin_addr.s_addr;
	return fd;
}

int
main(int argc, char **argv)
{
	static struct churn c;
	const char *local = NULL, *remote = NULL;
	double rate = 1000, seconds = 60, t0;
	int opt;

	c.imsi_base = 999020000000001ULL;
	while ((opt = getopt(argc, argv, "l:r:n:R:t:i:")) != -1) {
		switch (opt) {
		case 'l':
			local = optarg;
			break;
		case 'r':
			remote = optarg;
			break;
		case 'n':
			c.n = atol(optarg);
			break;
		case 'R':
			rate = atof(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'i':
			c.imsi_base = strtoull(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	/* Fewer slots than sequence numbers, so that no two requests in flight share one. */
	if (local == NULL || remote == NULL || c.n <= 0 || c.n > SEQ_SPACE / 2 || rate <= 0 ||
	    seconds <= 0)
		goto usage;
	c.fd = open_socket(local, remote, &c.local_be);
	c.slots = calloc((size_t)c.n, sizeof(*c.slots));
	if (c.fd < 0 || c.slots == NULL) {
		perror("churn");
		return 1;
	}
	memset(c.slot_of_seq, 0xff, sizeof(c.slot_of_seq));
	t0 = now_s();
	run(&c, rate, seconds);
	drain(&c);
	printf("creates %ld accepted %ld deletes %ld accepted %ld lost %ld retransmitted %ld "
	       "attached %ld seconds %.1f\n",
	    c.creates, c.creates_ok, c.deletes, c.deletes_ok, c.lost, c.resent, c.attached,
	    now_s() - t0);
	return 0;
usage:
	fprintf(stderr, "usage: churn -l LOCAL_IP -r GGSN_IP -n SESSIONS -R RATE -t SECONDS "
			"[-i IMSI_BASE]\n");
	return 2;
}
