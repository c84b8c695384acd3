#include <stdbool.h>
#include <string.h>

#include "labels.h"
#include "rd.h"

#define LABEL_MAX     63  /* RFC 1035 §2.3.4 */
#define NAME_WIRE_MAX 255 /* ditto, in labels */

static int decode_label(struct vpg_rd *, char *, size_t, size_t *);

/*
 * TS 23.003 §9.1: a label holds letters, digits and hyphens. Anything else
 * is refused, which also keeps dots, control characters and quotes out of
 * the dotted form that ends up in logs and the API.
 */
bool
labels_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

static int
decode_label(struct vpg_rd *label, char *out, size_t cap, size_t *used)
{
	uint8_t c;

	while (rd_u8(label, &c) == 0) {
		if (!labels_char(c) || *used + 1 >= cap)
			return -1;
		out[(*used)++] = (char)c;
	}
	return 0;
}

int
labels_decode(const uint8_t *val, size_t len, char *out, size_t cap)
{
	struct vpg_rd r, label;
	size_t used = 0;
	uint8_t n;

	if (cap == 0)
		return -1;
	out[0] = '\0';
	/* What labels_encode cannot write is refused too: RFC 1035 §2.3.4 limits. */
	if (len == 0 || len > NAME_WIRE_MAX)
		return -1;
	rd_init(&r, val, len);
	while (rd_left(&r) > 0) {
		if (rd_u8(&r, &n) < 0 || n == 0 || n > LABEL_MAX || rd_sub(&r, n, &label) < 0)
			goto bad;
		if (used > 0) {
			if (used + 1 >= cap)
				goto bad;
			out[used++] = '.';
		}
		if (decode_label(&label, out, cap, &used) < 0)
			goto bad;
	}
	out[used] = '\0';
	return 0;
bad:
	out[0] = '\0';
	return -1;
}

size_t
labels_encode(const char *name, uint8_t *out, size_t cap)
{
	size_t n = strlen(name), i, label = 0, used = 1;
	char c;

	if (cap > NAME_WIRE_MAX)
		cap = NAME_WIRE_MAX;
	if (n == 0 || n + 1 > cap)
		return 0;
	out[0] = 0;
	for (i = 0; i < n; i++) {
		c = name[i];
		if (c == '.') {
			if (out[label] == 0)
				return 0;
			label = used++;
			out[label] = 0;
			continue;
		}
		if (!labels_char((uint8_t)c) || out[label] == LABEL_MAX)
			return 0;
		out[label]++;
		out[used++] = (uint8_t)c;
	}
	return out[label] == 0 ? 0 : used;
}
