/*
 * A bounded reader over a received buffer. Every codec reads through it, so a
 * length is always checked before the bytes behind it are touched: a read
 * that does not fit fails and leaves the cursor where it was.
 */
#ifndef VPG_PROTO_RD_H
#define VPG_PROTO_RD_H

#include <stddef.h>
#include <stdint.h>

struct vpg_rd {
	const uint8_t *p;
	size_t left;
};

static inline void
rd_init(struct vpg_rd *r, const uint8_t *buf, size_t len)
{
	r->p = buf;
	r->left = len;
}

static inline size_t
rd_left(const struct vpg_rd *r)
{
	return r->left;
}

/*
 * A big-endian field at a fixed offset of a header whose whole length the
 * caller has checked once: the per-packet parsers (IPv4, the plain G-PDU,
 * the VXLAN flow hash) read a fixed header this way instead of field by field.
 */
static inline uint16_t
rd_load_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd_load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline int
rd_u8(struct vpg_rd *r, uint8_t *v)
{
	if (r->left < 1)
		return -1;
	*v = r->p[0];
	r->p++;
	r->left--;
	return 0;
}

static inline int
rd_be16(struct vpg_rd *r, uint16_t *v)
{
	if (r->left < 2)
		return -1;
	*v = rd_load_be16(r->p);
	r->p += 2;
	r->left -= 2;
	return 0;
}

static inline int
rd_be32(struct vpg_rd *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = rd_load_be32(r->p);
	r->p += 4;
	r->left -= 4;
	return 0;
}

/* 40 bits, as TS 29.274 and TS 29.244 carry bit rates (MBR, GBR) in kbit/s. */
static inline int
rd_be40(struct vpg_rd *r, uint64_t *v)
{
	uint32_t lo;
	uint8_t hi;

	if (r->left < 5)
		return -1;
	rd_u8(r, &hi);
	rd_be32(r, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

/* Hands out a pointer to the next n bytes and consumes them. */
static inline int
rd_bytes(struct vpg_rd *r, size_t n, const uint8_t **out)
{
	if (r->left < n)
		return -1;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

static inline int
rd_skip(struct vpg_rd *r, size_t n)
{
	const uint8_t *unused;

	return rd_bytes(r, n, &unused);
}

/* Carves the next n bytes into their own reader and consumes them here. */
static inline int
rd_sub(struct vpg_rd *r, size_t n, struct vpg_rd *sub)
{
	const uint8_t *p;

	if (rd_bytes(r, n, &p) < 0)
		return -1;
	rd_init(sub, p, n);
	return 0;
}

#endif
