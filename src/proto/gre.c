#include "gre.h"

#include "wr.h"

size_t
gre_put_header(uint8_t *out, size_t cap, uint16_t proto)
{
	struct vpg_wr w;

	wr_init(&w, out, cap);
	/* RFC 2784 §2.1: C bit clear, reserved0 zero, version 0. */
	wr_be16(&w, 0);
	wr_be16(&w, proto);
	return w.overflow ? 0 : w.len;
}
