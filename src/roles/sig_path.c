#include "roles/sig_path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"

struct cached {
	uint32_t peer_be;
	uint16_t peer_port;
	uint32_t seq;
	uint64_t key;
	uint64_t req_hash; /* of the request's octets: a retransmission repeats them all */
	size_t req_len;
	uint64_t expires_ms; /* 0: a free slot */
	uint16_t len;
	uint8_t msg[SIG_PATH_MSG_MAX];
};

struct pending {
	bool in_use;
	uint32_t dst_be;
	uint32_t seq;
	uint64_t cookie;
	uint64_t next_ms;
	unsigned sent;
	uint16_t len;
	uint8_t msg[SIG_PATH_MSG_MAX];
};

struct sig_path {
	struct sig_path_timers timers;
	void (*send)(void *, const uint8_t *, size_t, uint32_t, uint16_t);
	sig_path_done_fn done;
	void *arg;
	struct hmap *index; /* key of (peer, port, seq) -> ring slot */
	struct cached *ring;
	uint32_t next_slot;
	struct pending *pending;
	unsigned n_pending;
	uint32_t seq;
};

/* FNV-1a over the request, finalised: equal requests, equal hashes. */
static uint64_t
hash_of(const uint8_t *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ buf[i]) * 0x100000001b3ull;
	return hmap_mix64(h);
}

static uint64_t
key_of(uint32_t peer_be, uint16_t port, uint32_t seq)
{
	return hmap_mix64((uint64_t)peer_be << 32 ^ (uint64_t)port << 24 ^ (seq & 0xffffff));
}

struct sig_path *
sig_path_new(const struct sig_path_timers *timers,
    void (*send)(void *, const uint8_t *, size_t, uint32_t, uint16_t), sig_path_done_fn done,
    void *arg)
{
	struct sig_path *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->timers = *timers;
	p->send = send;
	p->done = done;
	p->arg = arg;
	p->seq = 1;
	p->index = hmap_new(SIG_PATH_CACHE);
	p->ring = calloc(SIG_PATH_CACHE, sizeof(*p->ring));
	p->pending = calloc(SIG_PATH_PENDING, sizeof(*p->pending));
	if (p->index == NULL || p->ring == NULL || p->pending == NULL) {
		sig_path_free(p);
		return NULL;
	}
	return p;
}

void
sig_path_free(struct sig_path *p)
{
	if (p == NULL)
		return;
	hmap_free(p->index);
	free(p->ring);
	free(p->pending);
	free(p);
}

const uint8_t *
sig_path_replay(struct sig_path *p, uint32_t peer_be, uint16_t peer_port, uint32_t seq,
    const uint8_t *req, size_t req_len, uint64_t now_ms, size_t *len)
{
	uint32_t slot;
	const struct cached *c;

	if (!hmap_get(p->index, key_of(peer_be, peer_port, seq), &slot))
		return NULL;
	c = &p->ring[slot];
	/* Another tuple may share the hash: the entry must be this very request's. */
	if (c->expires_ms <= now_ms || c->peer_be != peer_be || c->peer_port != peer_port ||
	    c->seq != seq || c->req_len != req_len || c->req_hash != hash_of(req, req_len))
		return NULL;
	*len = c->len;
	return c->msg;
}

void
sig_path_remember(struct sig_path *p, uint32_t peer_be, uint16_t peer_port, uint32_t seq,
    const uint8_t *req, size_t req_len, const uint8_t *rsp, size_t len, uint64_t now_ms)
{
	struct cached *c = &p->ring[p->next_slot];
	uint32_t old;

	if (len > SIG_PATH_MSG_MAX)
		return;
	/* The oldest entry makes room; its index entry goes with it if it is still its own. */
	if (c->expires_ms != 0 && hmap_get(p->index, c->key, &old) && old == p->next_slot)
		hmap_del(p->index, c->key);
	*c = (struct cached){ .peer_be = peer_be,
		.peer_port = peer_port,
		.seq = seq,
		.key = key_of(peer_be, peer_port, seq),
		.req_hash = hash_of(req, req_len),
		.req_len = req_len,
		.expires_ms = now_ms + SIG_PATH_KEEP_MS,
		.len = (uint16_t)len };
	memcpy(c->msg, rsp, len);
	hmap_put(p->index, c->key, p->next_slot);
	p->next_slot = (p->next_slot + 1) % SIG_PATH_CACHE;
}

/* O(SIG_PATH_CACHE), on a control plane's restart only. */
void
sig_path_forget_replies(struct sig_path *p, uint32_t peer_be)
{
	uint32_t slot;

	for (uint32_t i = 0; i < SIG_PATH_CACHE; i++) {
		struct cached *c = &p->ring[i];

		if (c->expires_ms == 0 || c->peer_be != peer_be)
			continue;
		if (hmap_get(p->index, c->key, &slot) && slot == i)
			hmap_del(p->index, c->key);
		c->expires_ms = 0;
	}
}

uint32_t
sig_path_next_seq(struct sig_path *p)
{
	uint32_t seq = p->seq;

	p->seq = (p->seq + 1) & p->timers.seq_mask;
	if (p->seq == 0)
		p->seq = 1;
	return seq;
}

static struct pending *
enqueue(struct sig_path *p, const uint8_t *msg, size_t len, uint32_t seq, uint32_t dst_be,
    uint64_t cookie, uint64_t now_ms)
{
	struct pending *q = NULL;

	for (unsigned i = 0; i < SIG_PATH_PENDING && q == NULL; i++)
		if (!p->pending[i].in_use)
			q = &p->pending[i];
	if (q == NULL)
		return NULL;
	*q = (struct pending){ .in_use = true,
		.dst_be = dst_be,
		.seq = seq,
		.cookie = cookie,
		.next_ms = now_ms + p->timers.resend_ms,
		.sent = 1,
		.len = (uint16_t)len };
	memcpy(q->msg, msg, len);
	p->n_pending++;
	return q;
}

int
sig_path_request(struct sig_path *p, const uint8_t *msg, size_t len, uint32_t seq, uint32_t dst_be,
    uint64_t cookie, uint64_t now_ms)
{
	struct pending *q;

	if (len > SIG_PATH_MSG_MAX)
		return -EMSGSIZE;
	q = enqueue(p, msg, len, seq, dst_be, cookie, now_ms);
	if (q == NULL)
		return -ENOSPC;
	p->send(p->arg, q->msg, q->len, dst_be, p->timers.port);
	return 0;
}

int
sig_path_request_sent(struct sig_path *p, const uint8_t *msg, size_t len, uint32_t seq,
    uint32_t dst_be, uint64_t cookie, uint64_t now_ms)
{
	if (len > SIG_PATH_MSG_MAX)
		return -EMSGSIZE;
	return enqueue(p, msg, len, seq, dst_be, cookie, now_ms) != NULL ? 0 : -ENOSPC;
}

/* O(SIG_PATH_PENDING): our requests are few (heartbeats, reports) next to what we answer. */
bool
sig_path_answer(struct sig_path *p, uint32_t peer_be, uint32_t seq, const uint8_t *rsp, size_t len)
{
	for (unsigned i = 0; i < SIG_PATH_PENDING && p->n_pending > 0; i++) {
		struct pending *q = &p->pending[i];

		if (q->in_use && q->dst_be == peer_be && q->seq == seq) {
			q->in_use = false;
			p->n_pending--;
			p->done(p->arg, q->cookie, rsp, len);
			return true;
		}
	}
	return false;
}

void
sig_path_forget_peer(struct sig_path *p, uint32_t peer_be)
{
	for (unsigned i = 0; i < SIG_PATH_PENDING && p->n_pending > 0; i++) {
		if (p->pending[i].in_use && p->pending[i].dst_be == peer_be) {
			p->pending[i].in_use = false;
			p->n_pending--;
		}
	}
}

unsigned
sig_path_tick(struct sig_path *p, uint64_t now_ms)
{
	unsigned given_up = 0;

	for (unsigned i = 0; i < SIG_PATH_PENDING && p->n_pending > 0; i++) {
		struct pending *q = &p->pending[i];

		if (!q->in_use || q->next_ms > now_ms)
			continue;
		if (q->sent > p->timers.resends) {
			q->in_use = false;
			p->n_pending--;
			given_up++;
			p->done(p->arg, q->cookie, NULL, 0);
			continue;
		}
		q->sent++;
		q->next_ms = now_ms + p->timers.resend_ms;
		p->send(p->arg, q->msg, q->len, q->dst_be, p->timers.port);
	}
	return given_up;
}

unsigned
sig_path_outstanding(const struct sig_path *p)
{
	return p->n_pending;
}
