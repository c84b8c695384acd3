#include <stdbool.h>
#include <stdint.h>

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
