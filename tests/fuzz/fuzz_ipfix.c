/*
 * libFuzzer harness for the IPFIX parser (src/proto/ipfix.c): header, sets,
 * template records and their field specifiers, and records of our own
 * template in data sets. Beyond "no crash", it checks what the parser
 * promises: every set lies inside the message, a failed step consumes
 * nothing, and every record it decodes builds back to the same octets.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/ipfix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t scratch[65536];
static char imsi[65536], app[65536];

/* A decoded record, written again by the builder, gives the same octets. */
static void
check_rebuild(
    const uint8_t *start, size_t len, const struct ipfix_flow_record *rec, size_t il, size_t al)
{
	struct ipfix_flow_record copy = *rec;
	struct vpg_wr w;
	struct ipfix_msg m;

	/* The builder takes NUL-terminated strings: skip values holding a NUL. */
	if (memchr(rec->imsi, 0, il) != NULL || memchr(rec->app_name, 0, al) != NULL)
		return;
	memcpy(imsi, rec->imsi, il);
	imsi[il] = '\0';
	memcpy(app, rec->app_name, al);
	app[al] = '\0';
	copy.imsi = imsi;
	copy.app_name = app;
	if (ipfix_record_len(&copy) > len)
		abort(); /* only a long-form length for a short value is longer */
	wr_init(&w, scratch, sizeof(scratch));
	ipfix_msg_begin(&m, &w, 0, 0, 0);
	ipfix_data_begin(&m);
	ipfix_put_record(&m, &copy);
	ipfix_data_end(&m);
	if (ipfix_msg_end(&m) == 0)
		abort();
	/* Lengths in the short form on both sides compare octet for octet. */
	if (ipfix_record_len(&copy) == len &&
	    memcmp(scratch + IPFIX_MSG_HDR_LEN + IPFIX_SET_HDR_LEN, start, len) != 0)
		abort();
}

static void
walk_data(struct vpg_rd *body)
{
	struct ipfix_flow_record rec;
	size_t il, al, before;
	const uint8_t *start;
	int rc;

	for (;;) {
		start = body->p;
		before = rd_left(body);
		rc = ipfix_record_next(body, &rec, &il, &al);
		if (rc <= 0) {
			if (rd_left(body) != before)
				abort();
			return;
		}
		check_rebuild(start, before - rd_left(body), &rec, il, al);
	}
}

static void
walk_templates(struct vpg_rd *body)
{
	struct vpg_rd fields;
	struct ipfix_field f;
	uint16_t id, count;

	while (ipfix_template_next(body, &id, &count, &fields) == 1) {
		if (id < IPFIX_SET_DATA_MIN)
			abort();
		for (uint16_t i = 0; i < count; i++)
			if (ipfix_field_next(&fields, &f) < 0 || f.length == 0 ||
			    (f.ie & 0x8000) != 0)
				abort(); /* ipfix_template_next checked them all */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipfix_hdr h;
	struct ipfix_set s;
	struct vpg_rd sets;

	if (ipfix_parse_header(data, size, &h, &sets) < 0)
		return 0;
	if (h.length > size || rd_left(&sets) != (size_t)h.length - IPFIX_MSG_HDR_LEN)
		abort();
	while (ipfix_set_next(&sets, &s) == 1) {
		if (rd_left(&s.body) != (size_t)s.length - IPFIX_SET_HDR_LEN)
			abort();
		/* Options templates (set 3) have a scope count: not walked here. */
		if (s.id == IPFIX_SET_TEMPLATE)
			walk_templates(&s.body);
		else if (s.id == IPFIX_TEMPLATE_ID)
			walk_data(&s.body);
	}
	return 0;
}
