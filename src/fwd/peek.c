#include "fwd/peek.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/counters.h"
#include "core/session.h"

struct peek_tap *
peek_tap_new(size_t size)
{
	struct peek_tap *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->size = size & ~(size_t)7;
	t->ring = malloc(t->size);
	if (t->ring == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
peek_tap_free(struct peek_tap *t)
{
	if (t == NULL)
		return;
	free(t->ring);
	free(t);
}

void
peek_tap_start(struct peek_tap *t, unsigned i, const char *imsi)
{
	t->slot[i].all = imsi == NULL || imsi[0] == '\0';
	snprintf(t->slot[i].imsi, sizeof(t->slot[i].imsi), "%s", imsi != NULL ? imsi : "");
	atomic_store_explicit(&t->dropped[i], 0, memory_order_relaxed);
	t->active |= 1u << i;
}

void
peek_tap_stop(struct peek_tap *t, unsigned i)
{
	t->active &= ~(1u << i);
}

/* The slots that want the packets of the device imsi. */
static uint32_t
matching_slots(const struct peek_tap *t, const char *imsi)
{
	uint32_t m = 0;

	for (uint32_t left = t->active; left != 0; left &= left - 1) {
		unsigned i = (unsigned)__builtin_ctz(left);

		if (t->slot[i].all || strcmp(t->slot[i].imsi, imsi) == 0)
			m |= 1u << i;
	}
	return m;
}

bool
peek_tap_wants(const struct peek_tap *t, const char *imsi)
{
	return t != NULL && t->active != 0 && matching_slots(t, imsi) != 0;
}

static void
count_full(struct peek_tap *t, uint32_t slots)
{
	counters_drop(VPG_DROP_PEEK_RING_FULL);
	for (; slots != 0; slots &= slots - 1)
		atomic_fetch_add_explicit(
		    &t->dropped[__builtin_ctz(slots)], 1, memory_order_relaxed);
}

/*
 * Room for need bytes at the head, contiguous: a record never wraps, so
 * when the end of the ring is too short a zero rec_len there sends the
 * reader back to the start. NULL when the ring is full.
 */
static struct peek_rec *
reserve(struct peek_tap *t, size_t need, uint64_t *head)
{
	uint64_t h = atomic_load_explicit(&t->head, memory_order_relaxed);
	uint64_t tail = atomic_load_explicit(&t->tail, memory_order_acquire);
	size_t pos = (size_t)(h % t->size), waste = 0;

	if (pos + need > t->size)
		waste = t->size - pos;
	if (h - tail + waste + need > t->size)
		return NULL;
	if (waste > 0) {
		((struct peek_rec *)(t->ring + pos))->rec_len = 0;
		h += waste;
		pos = 0;
	}
	*head = h;
	return (struct peek_rec *)(t->ring + pos);
}

void
peek_tap_copy(
    struct peek_tap *t, const struct session *s, const uint8_t *pkt, size_t len, enum peek_dir dir)
{
	uint32_t slots = matching_slots(t, s->imsi);
	size_t caplen = len < PEEK_SNAPLEN ? len : PEEK_SNAPLEN;
	size_t need = (sizeof(struct peek_rec) + caplen + 7) & ~(size_t)7;
	struct timespec ts;
	struct peek_rec *r;
	uint64_t head;

	if (slots == 0)
		return;
	r = reserve(t, need, &head);
	if (r == NULL) {
		count_full(t, slots);
		return;
	}
	if (t->stamp_us == 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		t->stamp_us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	}
	*r = (struct peek_rec){ .rec_len = (uint32_t)need,
		.caplen = (uint16_t)caplen,
		.dir = (uint8_t)dir,
		.origlen = (uint32_t)len,
		.slots = slots,
		.ts_us = t->stamp_us };
	memcpy(r->imsi, s->imsi, sizeof(r->imsi));
	memcpy(r + 1, pkt, caplen);
	atomic_store_explicit(&t->head, head + need, memory_order_release);
	counters_add(VPG_CTR_PEEK_PACKETS, 1);
}

size_t
peek_tap_drain(struct peek_tap *t, size_t max,
    void (*fn)(void *arg, const struct peek_rec *r, const uint8_t *data), void *arg)
{
	uint64_t tail = atomic_load_explicit(&t->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&t->head, memory_order_acquire);
	size_t n = 0;

	while (tail != head && n < max) {
		size_t pos = (size_t)(tail % t->size);
		const struct peek_rec *r = (const struct peek_rec *)(t->ring + pos);

		if (t->size - pos < sizeof(uint32_t) || r->rec_len == 0) {
			tail += t->size - pos;
			continue;
		}
		fn(arg, r, (const uint8_t *)(r + 1));
		tail += r->rec_len;
		n++;
	}
	atomic_store_explicit(&t->tail, tail, memory_order_release);
	return n;
}
