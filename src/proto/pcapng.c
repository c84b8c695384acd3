#include "proto/pcapng.h"

#include <string.h>

#define BT_SHB		 0x0A0D0D0Au
#define BT_IDB		 0x00000001u
#define BT_EPB		 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

/* Option codes (§3.5, §4.1, §4.2, §4.3). */
#define OPT_ENDOFOPT 0
#define OPT_COMMENT  1
#define SHB_USERAPPL 4
#define IF_NAME	     2
#define EPB_FLAGS    2

/* Every block and option value is padded to 32 bits. */
static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static size_t
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
	return 4;
}

static size_t
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
	return 2;
}

/* One option: code, length, value, zero padding. */
static size_t
put_option(uint8_t *p, uint16_t code, const void *val, size_t len)
{
	size_t n = put16(p, code);

	n += put16(p + n, (uint16_t)len);
	if (len > 0)
		memcpy(p + n, val, len);
	memset(p + n + len, 0, pad4(len) - len);
	return n + pad4(len);
}

static size_t
option_len(size_t len)
{
	return 4 + pad4(len);
}

static size_t
string_option_len(const char *s)
{
	return s == NULL || s[0] == '\0' ? 0 : option_len(strlen(s));
}

/* The trailing copy of the length that lets a reader walk backwards. */
static size_t
close_block(uint8_t *buf, size_t n, uint32_t total)
{
	put32(buf + 4, total);
	return n + put32(buf + n, total);
}

size_t
pcapng_section_header(uint8_t *buf, size_t cap, const char *app)
{
	size_t opts = string_option_len(app);
	size_t total = 28 + (opts > 0 ? opts + 4 : 0);
	uint64_t unspecified = UINT64_MAX;
	size_t n = 0;

	if (total > cap)
		return 0;
	n += put32(buf, BT_SHB);
	n += 4; /* total length, written last */
	n += put32(buf + n, BYTE_ORDER_MAGIC);
	n += put16(buf + n, 1);
	n += put16(buf + n, 0);
	memcpy(buf + n, &unspecified, 8);
	n += 8;
	if (opts > 0) {
		n += put_option(buf + n, SHB_USERAPPL, app, strlen(app));
		n += put_option(buf + n, OPT_ENDOFOPT, NULL, 0);
	}
	return close_block(buf, n, (uint32_t)total);
}

size_t
pcapng_interface(uint8_t *buf, size_t cap, uint16_t linktype, uint32_t snaplen, const char *name)
{
	size_t opts = string_option_len(name);
	size_t total = 20 + (opts > 0 ? opts + 4 : 0);
	size_t n = 0;

	if (total > cap)
		return 0;
	n += put32(buf, BT_IDB);
	n += 4;
	n += put16(buf + n, linktype);
	n += put16(buf + n, 0);
	n += put32(buf + n, snaplen);
	if (opts > 0) {
		n += put_option(buf + n, IF_NAME, name, strlen(name));
		n += put_option(buf + n, OPT_ENDOFOPT, NULL, 0);
	}
	return close_block(buf, n, (uint32_t)total);
}

size_t
pcapng_packet_len(uint32_t caplen, size_t comment_len, uint32_t flags)
{
	size_t opts = (comment_len > 0 ? option_len(comment_len) : 0) + (flags != 0 ? 8 : 0);

	return 32 + pad4(caplen) + (opts > 0 ? opts + 4 : 0);
}

size_t
pcapng_packet(uint8_t *buf, size_t cap, const struct pcapng_packet *p)
{
	size_t clen = p->comment != NULL ? strnlen(p->comment, PCAPNG_COMMENT_MAX) : 0;
	size_t total = pcapng_packet_len(p->caplen, clen, p->flags);
	size_t n = 0;

	if (total > cap || p->caplen > p->origlen || total > UINT32_MAX)
		return 0;
	n += put32(buf, BT_EPB);
	n += 4;
	n += put32(buf + n, 0); /* interface 0 */
	n += put32(buf + n, (uint32_t)(p->ts_us >> 32));
	n += put32(buf + n, (uint32_t)p->ts_us);
	n += put32(buf + n, p->caplen);
	n += put32(buf + n, p->origlen);
	memcpy(buf + n, p->data, p->caplen);
	memset(buf + n + p->caplen, 0, pad4(p->caplen) - p->caplen);
	n += pad4(p->caplen);
	if (clen > 0)
		n += put_option(buf + n, OPT_COMMENT, p->comment, clen);
	if (p->flags != 0)
		n += put_option(buf + n, EPB_FLAGS, &p->flags, 4);
	if (clen > 0 || p->flags != 0)
		n += put_option(buf + n, OPT_ENDOFOPT, NULL, 0);
	return close_block(buf, n, (uint32_t)total);
}
