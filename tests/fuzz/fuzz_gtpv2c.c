/*
 * libFuzzer harness for the GTPv2-C codec: parse the input, open every
 * grouped IE, and run every decoder on every IE. Each value a decoder
 * accepts is built again with the matching builder, parsed back and decoded
 * again: the two readings must agree. Then the whole message is rebuilt
 * from its IEs (groups through group_begin/group_end) and must parse back
 * to the same header and IEs; the same rebuild into a writer sized by the
 * input's last octet exercises the overflow paths.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/gtpv2c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

/* A value in a buffer of its own, so a test may compare with the one it replaced. */
struct rebuilt {
	uint8_t buf[512];
	struct gtpv2c_msg msg;
};

static struct rebuilt rb;

/*
 * Starts a message holding one IE built by the caller; finish_one parses it
 * back and returns its only IE, which must be of type and instance.
 */
static size_t
start_one(struct vpg_wr *w)
{
	wr_init(w, rb.buf, sizeof(rb.buf));
	return gtpv2c_build_header(w, GTPV2C_CREATE_SESSION_REQ, true, 1, 1);
}

static const struct gtpv2c_ie *
finish_one(struct vpg_wr *w, size_t h, uint8_t type, uint8_t instance)
{
	gtpv2c_build_finish(w, h);
	CHECK(!w->overflow);
	CHECK(gtpv2c_parse(rb.buf, w->len, &rb.msg) == VPG_DROP_NONE);
	CHECK(rb.msg.ies.n == 1);
	CHECK(rb.msg.ies.ie[0].type == type && rb.msg.ies.ie[0].instance == instance);
	return &rb.msg.ies.ie[0];
}

static void
round_trip_tbcd(const struct gtpv2c_ie *ie)
{
	char a[24], b[24];
	struct vpg_wr w;
	size_t h;

	if (gtpv2c_ie_imsi(ie, a) == 0) {
		h = start_one(&w);
		gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, a);
		CHECK(gtpv2c_ie_imsi(finish_one(&w, h, GTPV2C_IE_IMSI, 0), b) == 0);
		CHECK(strcmp(a, b) == 0);
	}
	if (gtpv2c_ie_msisdn(ie, a) == 0) {
		h = start_one(&w);
		gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, a);
		CHECK(gtpv2c_ie_msisdn(finish_one(&w, h, GTPV2C_IE_MSISDN, 0), b) == 0);
		CHECK(strcmp(a, b) == 0);
	}
	if (gtpv2c_ie_mei(ie, a) == 0) {
		h = start_one(&w);
		gtpv2c_put_tbcd(&w, GTPV2C_IE_MEI, a);
		CHECK(gtpv2c_ie_mei(finish_one(&w, h, GTPV2C_IE_MEI, 0), b) == 0);
		CHECK(strcmp(a, b) == 0);
	}
}

static void
round_trip_apn(const struct gtpv2c_ie *ie)
{
	char a[256], b[256], tiny[4];
	struct vpg_wr w;
	size_t h;

	(void)gtpv2c_ie_apn(ie, tiny, sizeof(tiny));
	if (gtpv2c_ie_apn(ie, a, sizeof(a)) != 0)
		return;
	h = start_one(&w);
	gtpv2c_put_apn(&w, a);
	CHECK(gtpv2c_ie_apn(finish_one(&w, h, GTPV2C_IE_APN, 0), b, sizeof(b)) == 0);
	CHECK(strcmp(a, b) == 0);
}

static void
round_trip_ints(const struct gtpv2c_ie *ie)
{
	struct vpg_wr w;
	uint32_t u32, v32;
	uint8_t u8, v8;
	size_t h;

	if (gtpv2c_ie_u8(ie, &u8) == 0) {
		h = start_one(&w);
		gtpv2c_put_u8(&w, ie->type, ie->instance, u8);
		CHECK(
		    gtpv2c_ie_u8(finish_one(&w, h, ie->type, ie->instance), &v8) == 0 && u8 == v8);
	}
	if (gtpv2c_ie_u32(ie, &u32) == 0) {
		h = start_one(&w);
		gtpv2c_put_u32(&w, ie->type, ie->instance, u32);
		CHECK(gtpv2c_ie_u32(finish_one(&w, h, ie->type, ie->instance), &v32) == 0);
		CHECK(u32 == v32);
	}
	if (gtpv2c_ie_ebi(ie, &u8) == 0) {
		h = start_one(&w);
		gtpv2c_put_ebi(&w, ie->instance, u8);
		CHECK(gtpv2c_ie_ebi(finish_one(&w, h, GTPV2C_IE_EBI, ie->instance), &v8) == 0);
		CHECK(u8 == v8);
	}
}

/* The builders write IPv4 F-TEIDs and PAAs only; other forms are decoded, not rebuilt. */
static void
round_trip_addresses(const struct gtpv2c_ie *ie)
{
	struct gtpv2c_fteid f, g;
	struct gtpv2c_paa p, q;
	struct vpg_wr w;
	size_t h;

	if (gtpv2c_ie_fteid(ie, &f) == 0 && f.has_ipv4 && !f.has_ipv6) {
		h = start_one(&w);
		gtpv2c_put_fteid(&w, ie->instance, f.iface, f.teid, f.ipv4_be);
		CHECK(gtpv2c_ie_fteid(finish_one(&w, h, GTPV2C_IE_FTEID, ie->instance), &g) == 0);
		CHECK(memcmp(&f, &g, sizeof(f)) == 0);
	}
	if (gtpv2c_ie_paa(ie, &p) == 0 && p.pdn_type == GTPV2C_PDN_IPV4) {
		h = start_one(&w);
		gtpv2c_put_paa_ipv4(&w, p.ipv4_be);
		CHECK(gtpv2c_ie_paa(finish_one(&w, h, GTPV2C_IE_PAA, 0), &q) == 0);
		CHECK(memcmp(&p, &q, sizeof(p)) == 0);
	}
}

static void
round_trip_rates(const struct gtpv2c_ie *ie)
{
	struct gtpv2c_bearer_qos q, r;
	struct gtpv2c_ambr a, b;
	struct vpg_wr w;
	size_t h;

	if (gtpv2c_ie_ambr(ie, &a) == 0) {
		h = start_one(&w);
		gtpv2c_put_ambr(&w, &a);
		CHECK(gtpv2c_ie_ambr(finish_one(&w, h, GTPV2C_IE_AMBR, 0), &b) == 0);
		CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	}
	if (gtpv2c_ie_bearer_qos(ie, &q) == 0) {
		h = start_one(&w);
		gtpv2c_put_bearer_qos(&w, &q);
		CHECK(gtpv2c_ie_bearer_qos(finish_one(&w, h, GTPV2C_IE_BEARER_QOS, 0), &r) == 0);
		CHECK(memcmp(&q, &r, sizeof(q)) == 0);
	}
}

/* Cause flags are the sender's own: the builder writes none, so only the rest is compared. */
static void
round_trip_network_and_cause(const struct gtpv2c_ie *ie)
{
	struct gtpv2c_cause_ie c, d;
	struct gtpv2c_plmn p, q;
	struct vpg_wr w;
	size_t h;

	if (gtpv2c_ie_serving_network(ie, &p) == 0) {
		h = start_one(&w);
		gtpv2c_put_serving_network(&w, &p);
		CHECK(gtpv2c_ie_serving_network(
			  finish_one(&w, h, GTPV2C_IE_SERVING_NETWORK, 0), &q) == 0);
		CHECK(memcmp(&p, &q, sizeof(p)) == 0);
	}
	if (gtpv2c_ie_cause(ie, &c) == 0 && (!c.has_offending || c.offending_type != 0)) {
		h = start_one(&w);
		gtpv2c_put_cause(
		    &w, c.cause, c.has_offending ? c.offending_type : 0, c.offending_instance);
		CHECK(gtpv2c_ie_cause(finish_one(&w, h, GTPV2C_IE_CAUSE, 0), &d) == 0);
		CHECK(c.cause == d.cause && c.has_offending == d.has_offending);
		CHECK(!d.pce && !d.bce && !d.cs);
		if (c.has_offending)
			CHECK(c.offending_type == d.offending_type &&
			      c.offending_instance == d.offending_instance);
	}
}

/* Every decoder on one IE, whatever its type. */
static void
decode_all(const struct gtpv2c_ie *ie)
{
	round_trip_tbcd(ie);
	round_trip_apn(ie);
	round_trip_ints(ie);
	round_trip_addresses(ie);
	round_trip_rates(ie);
	round_trip_network_and_cause(ie);
}

/* Appends ies as they came; a Bearer Context that opens is rebuilt as a group. */
static void
rebuild_ies(struct vpg_wr *w, const struct gtpv2c_ies *ies, int depth)
{
	static struct gtpv2c_ies inner;
	const struct gtpv2c_ie *ie;
	size_t g;
	unsigned i;

	for (i = 0; i < ies->n; i++) {
		ie = &ies->ie[i];
		if (depth == 0 && ie->type == GTPV2C_IE_BEARER_CONTEXT &&
		    gtpv2c_parse_grouped(ie, &inner) == VPG_DROP_NONE) {
			g = gtpv2c_group_begin(w, ie->type, ie->instance);
			rebuild_ies(w, &inner, depth + 1);
			gtpv2c_group_end(w, g);
		} else {
			gtpv2c_put_ie(w, ie->type, ie->instance, ie->val, ie->len);
		}
	}
}

static size_t
rebuild(const struct gtpv2c_msg *m, uint8_t *out, size_t cap)
{
	struct vpg_wr w;
	size_t h;

	wr_init(&w, out, cap);
	h = gtpv2c_build_header(&w, m->type, m->has_teid, m->teid, m->seq);
	rebuild_ies(&w, &m->ies, 0);
	gtpv2c_build_finish(&w, h);
	return w.overflow ? 0 : w.len;
}

/* Rebuilt groups hold the same IEs, their spare bits cleared: compared IE by IE. */
static void
same_ies(const struct gtpv2c_ies *a, const struct gtpv2c_ies *b, int depth)
{
	static struct gtpv2c_ies ga, gb;
	const struct gtpv2c_ie *x, *y;
	unsigned i;

	CHECK(a->n == b->n);
	for (i = 0; i < a->n; i++) {
		x = &a->ie[i];
		y = &b->ie[i];
		CHECK(x->type == y->type && x->instance == y->instance && x->len == y->len);
		if (depth == 0 && x->type == GTPV2C_IE_BEARER_CONTEXT &&
		    gtpv2c_parse_grouped(x, &ga) == VPG_DROP_NONE) {
			CHECK(gtpv2c_parse_grouped(y, &gb) == VPG_DROP_NONE);
			same_ies(&ga, &gb, depth + 1);
			continue;
		}
		CHECK(x->len == 0 || memcmp(x->val, y->val, x->len) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gtpv2c_msg msg, back;
	static struct gtpv2c_ies inner;
	static uint8_t out[70000];
	unsigned i, j;
	size_t n;

	if (gtpv2c_parse(data, size, &msg) != VPG_DROP_NONE)
		return 0;
	(void)gtpv2c_type_name(msg.type);
	(void)gtpv2c_type_is_request(msg.type);
	for (i = 0; i < msg.ies.n; i++) {
		decode_all(&msg.ies.ie[i]);
		if (gtpv2c_parse_grouped(&msg.ies.ie[i], &inner) != VPG_DROP_NONE)
			continue;
		for (j = 0; j < inner.n; j++)
			decode_all(&inner.ie[j]);
	}
	/* The message rebuilt from its IEs: bytes the same but for spare bits. */
	n = rebuild(&msg, out, sizeof(out));
	CHECK(n > 0);
	CHECK(gtpv2c_parse(out, n, &back) == VPG_DROP_NONE);
	CHECK(back.type == msg.type && back.has_teid == msg.has_teid && back.teid == msg.teid);
	CHECK(back.seq == msg.seq && !back.piggyback);
	same_ies(&msg.ies, &back.ies, 0);
	/* The same into a writer the last octet sizes: it overflows or parses. */
	n = rebuild(&msg, out, (size_t)data[size - 1] * 4);
	if (n > 0)
		CHECK(gtpv2c_parse(out, n, &back) == VPG_DROP_NONE);
	return 0;
}
