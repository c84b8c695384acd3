#include "roles/sig_path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/hmap.h"
#include "core/pow2.h"

#define ENTRY_ALIGN	8
#define ENTRY_SKIP	1 /* padding up to the ring's end: the next entry starts at 0 */
#define ENTRY_FORGOTTEN 2 /* its peer restarted: never replayed, skipped on eviction */
/*
 * A few answers per bucket when the ring is full; far fewer at the rates a
 * gateway usually sees (the ring wraps early, below). The index is touched
 * at random, so it is kept small: 1/64 of the ring.
 */
#define BYTES_PER_BUCKET 512

/*
 * One answer in the ring, followed by its octets. Positions are counted
 * from the path's start and never reused, so a link to an entry already
 * overwritten is recognised (it is below the ring's tail) without being
 * unlinked: eviction is O(1). size and flags come first: a skip entry at
 * the ring's end may have room for them only.
 */
struct entry {
	uint32_t size; /* of the whole entry, a multiple of ENTRY_ALIGN */
	uint16_t flags;
	uint16_t len;	/* of the response */
	uint64_t older; /* position + 1 of the bucket's previous entry; 0: none */
	uint64_t req_hash;
	uint64_t expires_ms;
	uint32_t peer_be;
	uint32_t seq;
	uint32_t req_len;
	uint16_t peer_port;
	uint8_t msg[];
};

_Static_assert(sizeof(struct entry) % ENTRY_ALIGN == 0, "entries stay aligned");

struct replay_ring {
	uint8_t *bytes;
	uint64_t cap;	   /* a multiple of ENTRY_ALIGN */
	uint64_t head;	   /* position of the next entry */
	uint64_t tail;	   /* position of the oldest entry still there */
	uint64_t *buckets; /* newest entry's position + 1 per bucket; 0: none */
	uint64_t bucket_mask;
	uint64_t evicted_early;
	uint64_t reach; /* the furthest offset ever written: memory the ring has touched */
};

struct pending {
	bool in_use;
	uint32_t dst_be;
	uint32_t seq;
	uint64_t cookie;
	uint64_t next_ms;
	unsigned sent;
	uint16_t len;
	uint8_t *msg; /* SIG_PATH_MSG_MAX octets, from the slot's first use on */
};

struct sig_path {
	struct sig_path_timers timers;
	void (*send)(void *, const uint8_t *, size_t, uint32_t, uint16_t);
	sig_path_done_fn done;
	void *arg;
	struct replay_ring ring;
	struct pending *pending;
	unsigned n_pending;
	uint32_t seq;
};

/*
 * A multiply-xorshift hash over the request's words and its length,
 * finalised by splitmix64's mixer: equal requests, equal hashes. Two
 * different requests of one peer with one sequence number inside the keep
 * time share it with a chance of 2^-64.
 */
static uint64_t
hash_of(const uint8_t *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ len, w;
	size_t i = 0;

	/* Eight octets a step: a request is hashed on every arrival, and a byte a step cost 5
	 * instructions an octet. */
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, buf + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, buf + i, len - i);
	return hmap_mix64(h ^ w);
}

/*
 * The sequence number alone repeats within the keep time (16 bits of
 * GTPv1-C wrap in 0.65 s at 100,000 requests/s): the request's hash is part
 * of the key.
 */
static uint64_t
bucket_of(
    const struct replay_ring *r, uint32_t peer_be, uint16_t port, uint32_t seq, uint64_t req_hash)
{
	uint64_t k = (uint64_t)peer_be << 32 ^ (uint64_t)port << 24 ^ (seq & 0xffffff);

	return hmap_mix64(k ^ req_hash) & r->bucket_mask;
}

static struct entry *
entry_at(const struct replay_ring *r, uint64_t pos)
{
	return (struct entry *)(void *)(r->bytes + pos % r->cap);
}

static void *
map_zeroed(size_t len)
{
	void *p = mmap(
	    NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void
unmap(void *p, size_t len)
{
	if (p != NULL)
		munmap(p, len);
}

static int
ring_init(struct replay_ring *r, size_t bytes)
{
	uint64_t cap = bytes == 0 ? SIG_PATH_CACHE_DEFAULT : bytes;

	if (cap < SIG_PATH_CACHE_MIN)
		cap = SIG_PATH_CACHE_MIN;
	if (cap > SIG_PATH_CACHE_MAX)
		cap = SIG_PATH_CACHE_MAX;
	r->cap = cap & ~(uint64_t)(ENTRY_ALIGN - 1);
	r->bucket_mask = pow2_at_least(r->cap / BYTES_PER_BUCKET, 16) - 1;
	/*
	 * Mapped, not allocated: pages are only touched as answers arrive (a
	 * quiet gateway stays small), the index starts zeroed, and neither holds
	 * a pointer, so no leak checker need read a ring of hundreds of MiB.
	 */
	r->bytes = map_zeroed(r->cap);
	r->buckets = map_zeroed((r->bucket_mask + 1) * sizeof(*r->buckets));
	return r->bytes != NULL && r->buckets != NULL ? 0 : -1;
}

struct sig_path *
sig_path_new(const struct sig_path_timers *timers, size_t cache_bytes,
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
	p->pending = calloc(SIG_PATH_PENDING, sizeof(*p->pending));
	if (ring_init(&p->ring, cache_bytes) < 0 || p->pending == NULL) {
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
	for (unsigned i = 0; i < SIG_PATH_PENDING && p->pending != NULL; i++)
		free(p->pending[i].msg);
	unmap(p->ring.bytes, p->ring.cap);
	unmap(p->ring.buckets, (p->ring.bucket_mask + 1) * sizeof(*p->ring.buckets));
	free(p->pending);
	free(p);
}

static bool
entry_matches(const struct entry *e, uint32_t peer_be, uint16_t peer_port, uint32_t seq,
    size_t req_len, uint64_t req_hash)
{
	return !(e->flags & ENTRY_FORGOTTEN) && e->peer_be == peer_be &&
	       e->peer_port == peer_port && e->seq == seq && e->req_len == req_len &&
	       e->req_hash == req_hash;
}

/* O(1) expected: a bucket's chain ends at its first entry the ring has overwritten. */
const uint8_t *
sig_path_replay(struct sig_path *p, uint32_t peer_be, uint16_t peer_port, uint32_t seq,
    const uint8_t *req, size_t req_len, uint64_t now_ms, size_t *len)
{
	struct replay_ring *r = &p->ring;
	uint64_t h = hash_of(req, req_len);
	uint64_t link = r->buckets[bucket_of(r, peer_be, peer_port, seq, h)];

	while (link != 0 && link - 1 >= r->tail) {
		const struct entry *e = entry_at(r, link - 1);

		if (entry_matches(e, peer_be, peer_port, seq, req_len, h)) {
			if (e->expires_ms <= now_ms)
				return NULL;
			*len = e->len;
			return e->msg;
		}
		link = e->older;
	}
	return NULL;
}

/* The oldest entry goes; counted when a peer could still be retransmitting its request. */
static void
evict_oldest(struct sig_path *p, uint64_t now_ms)
{
	struct replay_ring *r = &p->ring;
	const struct entry *e = entry_at(r, r->tail);

	if (!(e->flags & (ENTRY_SKIP | ENTRY_FORGOTTEN)) && e->expires_ms > now_ms) {
		r->evicted_early++;
		counters_add(p->timers.ctr_evicted_early, 1);
	}
	r->tail += e->size;
}

/* Answers past their time leave from the tail first, so that the ring holds what is live. */
static void
drop_expired(struct sig_path *p, uint64_t now_ms)
{
	struct replay_ring *r = &p->ring;

	while (r->tail < r->head) {
		const struct entry *e = entry_at(r, r->tail);

		if (!(e->flags & (ENTRY_SKIP | ENTRY_FORGOTTEN)) && e->expires_ms > now_ms)
			break;
		r->tail += e->size;
	}
}

/*
 * Back to the ring's start as soon as the room freed there holds what is
 * live: a gateway touches about twice one retransmission window's answers,
 * not the whole ring after hours at a low rate. Only while head and tail are
 * on the same lap, so that nothing live is in the way.
 */
static void
wrap_early(struct sig_path *p, uint64_t size)
{
	struct replay_ring *r = &p->ring;
	uint64_t lap = r->head - r->head % r->cap, room = r->tail - lap;
	struct entry *e;

	if (r->tail < lap || r->head == lap || room < size || room < r->head - r->tail)
		return;
	e = entry_at(r, r->head);
	e->size = (uint32_t)(r->cap - r->head % r->cap);
	e->flags = ENTRY_SKIP;
	r->head += e->size;
}

static void
make_room(struct sig_path *p, uint64_t size, uint64_t now_ms)
{
	while (p->ring.head + size - p->ring.tail > p->ring.cap)
		evict_oldest(p, now_ms);
}

/* An entry never straddles the ring's end: what is left there becomes a skip entry. */
static void
skip_to_start(struct sig_path *p, uint64_t size, uint64_t now_ms)
{
	struct replay_ring *r = &p->ring;
	uint64_t left = r->cap - r->head % r->cap;
	struct entry *e;

	if (left >= size)
		return;
	make_room(p, left, now_ms);
	e = entry_at(r, r->head);
	e->size = (uint32_t)left;
	e->flags = ENTRY_SKIP;
	r->head += left;
}

void
sig_path_remember(struct sig_path *p, uint32_t peer_be, uint16_t peer_port, uint32_t seq,
    const uint8_t *req, size_t req_len, const uint8_t *rsp, size_t len, uint64_t now_ms)
{
	struct replay_ring *r = &p->ring;
	uint64_t size =
	    (sizeof(struct entry) + len + ENTRY_ALIGN - 1) & ~(uint64_t)(ENTRY_ALIGN - 1);
	uint64_t h = hash_of(req, req_len);
	uint64_t *bucket = &r->buckets[bucket_of(r, peer_be, peer_port, seq, h)];
	struct entry *e;

	if (len > SIG_PATH_MSG_MAX)
		return;
	drop_expired(p, now_ms);
	wrap_early(p, size);
	skip_to_start(p, size, now_ms);
	make_room(p, size, now_ms);
	e = entry_at(r, r->head);
	*e = (struct entry){ .size = (uint32_t)size,
		.len = (uint16_t)len,
		.older = *bucket,
		.req_hash = h,
		.expires_ms = now_ms + SIG_PATH_KEEP_MS,
		.peer_be = peer_be,
		.seq = seq,
		.req_len = (uint32_t)req_len,
		.peer_port = peer_port };
	memcpy(e->msg, rsp, len);
	*bucket = r->head + 1;
	r->head += size;
	if (r->head % r->cap > r->reach || r->head % r->cap == 0)
		r->reach = r->head % r->cap == 0 ? r->cap : r->head % r->cap;
}

uint64_t
sig_path_replay_reach(const struct sig_path *p)
{
	return p->ring.reach;
}

/* O(entries in the ring), on a control plane's restart only. */
void
sig_path_forget_replies(struct sig_path *p, uint32_t peer_be)
{
	struct replay_ring *r = &p->ring;

	for (uint64_t pos = r->tail; pos < r->head;) {
		struct entry *e = entry_at(r, pos);

		if (!(e->flags & ENTRY_SKIP) && e->peer_be == peer_be)
			e->flags |= ENTRY_FORGOTTEN;
		pos += e->size;
	}
}

uint64_t
sig_path_evicted_early(const struct sig_path *p)
{
	return p->ring.evicted_early;
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
	/* A slot's buffer comes with its first use and stays: slots are taken lowest first. */
	if (q == NULL || (q->msg == NULL && (q->msg = malloc(SIG_PATH_MSG_MAX)) == NULL))
		return NULL;
	*q = (struct pending){ .in_use = true,
		.dst_be = dst_be,
		.seq = seq,
		.cookie = cookie,
		.next_ms = now_ms + p->timers.resend_ms,
		.sent = 1,
		.len = (uint16_t)len,
		.msg = q->msg };
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
