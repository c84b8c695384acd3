#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tbcd.h"

int
tbcd_read(struct vpg_rd *r, char *out, size_t cap)
{
	size_t n = 0;
	bool filled = false;
	uint8_t o, nib;
	int i;

	out[0] = '\0';
	while (rd_u8(r, &o) == 0) {
		for (i = 0; i < 2; i++) {
			nib = i == 0 ? o & 0x0f : o >> 4;
			if (nib == 0x0f) {
				filled = true;
				continue;
			}
			if (filled || nib > 9 || n + 1 >= cap) {
				out[0] = '\0';
				return -1;
			}
			out[n++] = (char)('0' + nib);
		}
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

size_t
tbcd_write(const char *digits, uint8_t *out, size_t cap)
{
	size_t i, n = strlen(digits);
	uint8_t d;

	if (n == 0 || n > 2 * cap)
		return 0;
	for (i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return 0;
		d = (uint8_t)(digits[i] - '0');
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(0xf0 | d);
		else
			out[i / 2] = (uint8_t)((out[i / 2] & 0x0f) | d << 4);
	}
	return (n + 1) / 2;
}
