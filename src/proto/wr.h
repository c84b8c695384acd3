/*
 * A bounded writer for building messages. A write that does not fit sets the
 * overflow flag and writes nothing; the builder checks the flag once at the
 * end instead of after every field.
 */
#ifndef VPG_PROTO_WR_H
#define VPG_PROTO_WR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vpg_wr {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

/*
 * A big-endian field stored into headroom the caller guarantees (a header
 * pushed in front of a packet): the per-packet builders store this way.
 */
static inline void
wr_store_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
wr_store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
wr_init(struct vpg_wr *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = false;
}

static inline uint8_t *
wr_reserve(struct vpg_wr *w, size_t n)
{
	uint8_t *p;

	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

static inline void
wr_bytes(struct vpg_wr *w, const void *src, size_t n)
{
	uint8_t *p = wr_reserve(w, n);

	if (p != NULL && n > 0)
		memcpy(p, src, n);
}

static inline void
wr_u8(struct vpg_wr *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

static inline void
wr_be16(struct vpg_wr *w, uint16_t v)
{
	uint8_t b[2];

	wr_store_be16(b, v);
	wr_bytes(w, b, sizeof(b));
}

static inline void
wr_be32(struct vpg_wr *w, uint32_t v)
{
	uint8_t b[4];

	wr_store_be32(b, v);
	wr_bytes(w, b, sizeof(b));
}

/* Patches a big-endian 16-bit field already written at offset off. */
static inline void
wr_patch_be16(struct vpg_wr *w, size_t off, uint16_t v)
{
	if (w->overflow || off + 2 > w->len)
		return;
	wr_store_be16(w->buf + off, v);
}

#endif
