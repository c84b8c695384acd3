#include "roles/gtpc_path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "proto/gtpc.h"

#define CACHE_SLOTS 256
#define MSG_MAX	    512
#define PENDING_MAX 1024
/* An SGSN stops retransmitting after T3 * (N3 + 1); keep answers a little longer. */
#define CACHE_KEEP_MS (GTPC_PATH_T3_MS * (GTPC_PATH_N3 + 2))

struct cached {
	uint32_t peer_be;
	uint16_t peer_port;
	uint16_t seq;
	uint8_t type;
	uint16_t len; /* 0: empty slot */
	uint64_t stored_ms;
	uint8_t msg[MSG_MAX];
};

struct pending {
	uint32_t dst_be;
	uint16_t seq;
	uint16_t len; /* 0: free slot */
	uint8_t tries;
	uint64_t next_ms;
	uint8_t msg[MSG_MAX];
};

struct gtpc_path {
	void (*send)(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port);
	void *arg;
	unsigned cache_next; /* ring: the oldest entry is overwritten first */
	struct cached cache[CACHE_SLOTS];
	unsigned n_pending;
	uint16_t next_seq;
	struct pending pending[PENDING_MAX];
};

struct gtpc_path *
gtpc_path_new(void (*send)(void *, const uint8_t *, size_t, uint32_t, uint16_t), void *arg)
{
	struct gtpc_path *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->send = send;
	p->arg = arg;
	/* A random start keeps our sequence numbers apart from a previous run's. */
	if (getrandom(&p->next_seq, sizeof(p->next_seq), GRND_NONBLOCK) < 0)
		p->next_seq = 1;
	return p;
}

void
gtpc_path_free(struct gtpc_path *p)
{
	free(p);
}

/* O(CACHE_SLOTS) per request: signalling rates make that a few microseconds. */
const uint8_t *
gtpc_path_replay(struct gtpc_path *p, uint32_t peer_be, uint16_t peer_port, uint8_t type,
    uint16_t seq, uint64_t now_ms, size_t *len)
{
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		const struct cached *c = &p->cache[i];

		if (c->len == 0 || c->peer_be != peer_be || c->peer_port != peer_port ||
		    c->seq != seq || c->type != type || now_ms - c->stored_ms > CACHE_KEEP_MS)
			continue;
		*len = c->len;
		return c->msg;
	}
	return NULL;
}

void
gtpc_path_remember(struct gtpc_path *p, uint32_t peer_be, uint16_t peer_port, uint8_t type,
    uint16_t seq, const uint8_t *rsp, size_t len, uint64_t now_ms)
{
	struct cached *c = &p->cache[p->cache_next];

	if (len == 0 || len > MSG_MAX)
		return;
	p->cache_next = (p->cache_next + 1) % CACHE_SLOTS;
	c->peer_be = peer_be;
	c->peer_port = peer_port;
	c->type = type;
	c->seq = seq;
	c->len = (uint16_t)len;
	c->stored_ms = now_ms;
	memcpy(c->msg, rsp, len);
}

static struct pending *
free_pending(struct gtpc_path *p)
{
	for (unsigned i = 0; i < PENDING_MAX; i++)
		if (p->pending[i].len == 0)
			return &p->pending[i];
	return NULL;
}

int
gtpc_path_request(struct gtpc_path *p, uint8_t *msg, size_t len, uint32_t dst_be, uint64_t now_ms)
{
	struct pending *q;

	/* The sequence number sits at octets 9-10 of a header with the S flag. */
	if (len > MSG_MAX || len < 12 || !(msg[0] & 0x02))
		return -EMSGSIZE;
	q = free_pending(p);
	if (q == NULL)
		return -ENOSPC;
	q->seq = p->next_seq++;
	msg[8] = (uint8_t)(q->seq >> 8);
	msg[9] = (uint8_t)q->seq;
	memcpy(q->msg, msg, len);
	q->len = (uint16_t)len;
	q->dst_be = dst_be;
	q->tries = 1;
	q->next_ms = now_ms + GTPC_PATH_T3_MS;
	p->n_pending++;
	p->send(p->arg, q->msg, q->len, dst_be, GTPC_PORT);
	return 0;
}

bool
gtpc_path_answer(struct gtpc_path *p, uint32_t peer_be, uint16_t seq)
{
	for (unsigned i = 0; i < PENDING_MAX && p->n_pending > 0; i++) {
		struct pending *q = &p->pending[i];

		if (q->len != 0 && q->dst_be == peer_be && q->seq == seq) {
			q->len = 0;
			p->n_pending--;
			return true;
		}
	}
	return false;
}

unsigned
gtpc_path_tick(struct gtpc_path *p, uint64_t now_ms)
{
	unsigned given_up = 0;

	for (unsigned i = 0; i < PENDING_MAX && p->n_pending > 0; i++) {
		struct pending *q = &p->pending[i];

		if (q->len == 0 || now_ms < q->next_ms)
			continue;
		if (q->tries > GTPC_PATH_N3) {
			q->len = 0;
			p->n_pending--;
			given_up++;
			continue;
		}
		q->tries++;
		q->next_ms = now_ms + GTPC_PATH_T3_MS;
		p->send(p->arg, q->msg, q->len, q->dst_be, GTPC_PORT);
	}
	return given_up;
}

unsigned
gtpc_path_outstanding(const struct gtpc_path *p)
{
	return p->n_pending;
}
