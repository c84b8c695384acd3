/*
 * Unit tests for a device's packet in src/fwd/uplink.c where SIM-based
 * routing decides: anti-spoofing that lets a device's own LAN through and
 * no other device's, a packet for another device's LAN going into that
 * device's tunnel, and one for the LAN of a device that is not attached
 * dropped and counted rather than sent anywhere else; for a UPF session as
 * for a GTP one; and Peek's tap on both ways, for both kinds of session.
 * Each test reads what
 * reached the SGSN's socket and checks the counters, drops included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/rules.h"
#include "fwd/pdr.h"
#include "fwd/peek.h"
#include "fwd/uplink.h"
#include "io/log.h"

#include "fwd_test.h"

#define IMSI_A	 "999010000000001"
#define IMSI_B	 "999010000000002"
#define LAN_A	 IP4(192, 168, 50, 0)
#define LAN_B	 IP4(192, 168, 60, 0)
#define HOST_A	 IP4(192, 168, 50, 10)
#define HOST_B	 IP4(192, 168, 60, 10)
#define DL_A	 0xa1a1a1a1u
#define DL_B	 0xb2b2b2b2u
#define INTERNET IP4(198, 51, 100, 80)

static int
setup(void **state)
{
	struct fwd_lab *l = calloc(1, sizeof(*l));

	*state = l;
	return l == NULL ? -1 : fwd_lab_open(l);
}

static int
teardown(void **state)
{
	fwd_lab_close(*state);
	free(*state);
	return 0;
}

static void
assert_no_drop_but(unsigned reason, uint64_t n)
{
	for (unsigned i = 1; i < VPG_DROP__COUNT; i++)
		assert_int_equal(vpg_counters.drop[i], i == reason ? n : 0);
}

static void
test_uplink_own_lan_source_passes(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	uint32_t teid = 0, src = 0, dst = 0;

	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, HOST_A, b->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	assert_int_equal(teid, DL_B);
	assert_int_equal(src, HOST_A);
	assert_int_equal(dst, b->ip_be);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_DEVICE_TO_DEVICE_PACKETS], 1);
	assert_no_drop_but(0, 0);
}

static void
test_uplink_other_device_lan_source_spoofed(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	uint32_t teid, src, dst;

	assert_int_equal(fwd_lan(l, IMSI_B, LAN_B, 24), 0);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, HOST_B, b->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_UPLINK_PACKETS], 0);
	assert_no_drop_but(VPG_DROP_UPLINK_SPOOFED_SOURCE, 1);
}

static void
test_uplink_lan_source_disabled_spoofed(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	uint32_t teid, src, dst;

	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	sim_routes_enable(&l->routes, false);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, HOST_A, b->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_no_drop_but(VPG_DROP_UPLINK_SPOOFED_SOURCE, 1);
}

static void
test_uplink_to_other_device_lan_into_its_tunnel(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A);
	uint32_t teid = 0, src = 0, dst = 0;

	fwd_attach(l, IMSI_B, DL_B);
	assert_int_equal(fwd_lan(l, IMSI_B, LAN_B, 24), 0);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, HOST_B));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	assert_int_equal(teid, DL_B);
	assert_int_equal(dst, HOST_B);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_DEVICE_TO_DEVICE_PACKETS], 1);
	assert_no_drop_but(0, 0);
}

/* Redirection on: without the drop, the packet would leave for the redirection gateway. */
static void
test_uplink_to_absent_device_lan_dropped_not_redirected(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A);
	uint32_t teid, src, dst;

	l->redirect = (struct redirect){ .set = true, .enabled = true, .gateway_be = GATEWAY };
	assert_int_equal(fwd_lan(l, IMSI_B, LAN_B, 24), 0);
	for (int i = 0; i < 3; i++)
		uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, HOST_B));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_REDIRECTED_PACKETS], 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_UPLINK_PACKETS], 3);
	assert_no_drop_but(VPG_DROP_SIM_ROUTE_NOT_ATTACHED, 3);
}

/* Disabled, the LAN's route does not exist: the packet takes the ordinary way (no egress here). */
static void
test_uplink_to_lan_disabled_takes_ordinary_way(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A);
	uint32_t teid, src, dst;

	fwd_attach(l, IMSI_B, DL_B);
	assert_int_equal(fwd_lan(l, IMSI_B, LAN_B, 24), 0);
	sim_routes_enable(&l->routes, false);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, HOST_B));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_no_drop_but(VPG_DROP_UPLINK_NO_ROUTE, 1);
}

static void
test_uplink_to_lan_after_detach_dropped(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	uint32_t teid, src, dst;

	assert_int_equal(fwd_lan(l, IMSI_B, LAN_B, 24), 0);
	attach_delete(&l->core, b, "test");
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, HOST_B));
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, INTERNET));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_SIM_ROUTE_NOT_ATTACHED], 1);
	assert_int_equal(vpg_counters.drop[VPG_DROP_UPLINK_NO_ROUTE], 1);
}

/*
 * A UPF session's rules as open5gs's SMF gives them: PDR 1 from Core to the
 * device's address, PDR 2 from Access on our TEID and the device's address,
 * to Core. Neither names the LAN: SIM-based routing is the gateway's own.
 */
static void
give_upf_rules(struct session *s)
{
	struct rules_fault_at at;
	struct rules *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->n_pdr = 2;
	r->pdr[0] = (struct rules_pdr){ .id = 1,
		.precedence = 255,
		.src_iface = RULES_IF_CORE,
		.has_ue_ip = true,
		.ue_ip_be = s->ip_be,
		.far_id = 1 };
	r->pdr[1] = (struct rules_pdr){ .id = 2,
		.precedence = 255,
		.src_iface = RULES_IF_ACCESS,
		.has_teid = true,
		.teid = s->teid,
		.has_ue_ip = true,
		.ue_ip_be = s->ip_be,
		.far_id = 2 };
	r->n_far = 2;
	r->far[0] = (struct rules_far){ .id = 1,
		.apply = RULES_ACT_FORW,
		.dst_iface = RULES_IF_ACCESS,
		.has_ohc = true,
		.ohc_teid = s->dl_teid,
		.ohc_addr_be = SGSN_ADDR };
	r->far[1] =
	    (struct rules_far){ .id = 2, .apply = RULES_ACT_FORW, .dst_iface = RULES_IF_CORE };
	assert_int_equal(rules_link(r, &at), RULES_OK);
	s->rules = r;
	s->flags |= SESSION_F_RULES;
}

/* Up from the UPF session's LAN, and down into it, by the PDRs of the device's address. */
static void
test_uplink_upf_session_lan_both_ways(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	uint32_t teid = 0, src = 0, dst = 0;

	give_upf_rules(a);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, HOST_A, b->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 0);
	assert_no_drop_but(VPG_DROP_UPLINK_SPOOFED_SOURCE, 1);
	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, HOST_A, b->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	assert_int_equal(teid, DL_B);
	assert_int_equal(src, HOST_A);
	uplink_receive(&l->dp, fwd_gpdu(l, b->teid, b->ip_be, HOST_A));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	assert_int_equal(teid, DL_A);
	assert_int_equal(dst, HOST_A);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_DEVICE_TO_DEVICE_PACKETS], 2);
	assert_no_drop_but(VPG_DROP_UPLINK_SPOOFED_SOURCE, 1);
}

/* What Peek's tap took: each record's IMSI, direction and slots, in order. */
struct tapped {
	unsigned n;
	char imsi[4][16];
	uint8_t dir[4];
	uint32_t slots[4];
};

static void
keep_tapped(void *arg, const struct peek_rec *r, const uint8_t *data)
{
	struct tapped *t = arg;

	(void)data;
	if (t->n < 4) {
		memcpy(t->imsi[t->n], r->imsi, 16);
		t->dir[t->n] = r->dir;
		t->slots[t->n] = r->slots;
	}
	t->n++;
}

/*
 * Peek on a GTP session's path: the device's packet up after decapsulation,
 * the other device's copy down before encapsulation; a capture of one IMSI
 * takes only that device's.
 */
static void
test_uplink_peek_takes_both_ways_by_imsi(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	struct tapped got = { 0 };
	uint32_t teid = 0, src = 0, dst = 0;

	l->dp.peek = peek_tap_new(1 << 16);
	assert_non_null(l->dp.peek);
	peek_tap_start(l->dp.peek, 0, IMSI_A);
	peek_tap_start(l->dp.peek, 1, "");
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, b->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	assert_int_equal(peek_tap_drain(l->dp.peek, 16, keep_tapped, &got), 2);
	assert_string_equal(got.imsi[0], IMSI_A);
	assert_int_equal(got.dir[0], PEEK_UPLINK);
	assert_int_equal(got.slots[0], 3);
	assert_string_equal(got.imsi[1], IMSI_B);
	assert_int_equal(got.dir[1], PEEK_DOWNLINK);
	assert_int_equal(got.slots[1], 2);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PEEK_PACKETS], 2);
	peek_tap_free(l->dp.peek);
	l->dp.peek = NULL;
}

/* A UPF session's packets by its PDRs, both ways; a spoofed one is dropped before the tap. */
static void
test_uplink_peek_takes_upf_session_by_its_pdrs(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	struct tapped got = { 0 };
	uint32_t teid = 0, src = 0, dst = 0;

	give_upf_rules(a);
	l->dp.peek = peek_tap_new(1 << 16);
	assert_non_null(l->dp.peek);
	peek_tap_start(l->dp.peek, 0, IMSI_A);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, HOST_A, b->ip_be)); /* not its LAN yet */
	assert_int_equal(peek_tap_drain(l->dp.peek, 16, keep_tapped, &got), 0);
	uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, b->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	uplink_receive(&l->dp, fwd_gpdu(l, b->teid, b->ip_be, a->ip_be));
	assert_int_equal(fwd_sent(l, &teid, &src, &dst), 1);
	assert_int_equal(teid, DL_A);
	assert_int_equal(peek_tap_drain(l->dp.peek, 16, keep_tapped, &got), 2);
	assert_string_equal(got.imsi[0], IMSI_A);
	assert_int_equal(got.dir[0], PEEK_UPLINK);
	assert_string_equal(got.imsi[1], IMSI_A);
	assert_int_equal(got.dir[1], PEEK_DOWNLINK);
	peek_tap_free(l->dp.peek);
	l->dp.peek = NULL;
}

static void
test_pdr_owns_address_own_lan_only(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	struct session_table *t = l->core.sessions;

	assert_int_equal(fwd_lan(l, IMSI_A, LAN_A, 24), 0);
	assert_true(pdr_owns_address(t, a, a->ip_be));
	assert_true(pdr_owns_address(t, a, HOST_A));
	assert_false(pdr_owns_address(t, b, HOST_A));
	assert_false(pdr_owns_address(t, a, b->ip_be));
	assert_false(pdr_owns_address(t, a, INTERNET));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static void
test_uplink_icmp_errors_rate_limited(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A);
	struct filter_rule deny = {
		.action = FILTER_DENY, .net_be = IP4(203, 0, 113, 0), .prefix = 24
	};
	uint32_t teid = 0, src = 0, dst = 0;
	unsigned answered = 0;

	assert_int_equal(filter_set(&l->filter, &deny, 1), 0);
	/* A burst of 60 denied packets within one millisecond: 50 answered, 10 not. */
	for (int i = 0; i < 60; i++) {
		uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, IP4(203, 0, 113, 9)));
		answered += fwd_sent(l, &teid, &src, &dst);
	}
	assert_int_equal(answered, 50);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_ICMP_ERRORS_SENT], 50);
	assert_int_equal(vpg_counters.drop[VPG_DROP_ICMP_RATE_LIMITED], 10);
	assert_int_equal(vpg_counters.drop[VPG_DROP_ROUTING_FILTER_DENIED], 60);
	/* 5 ms later, 5 more may go. */
	l->dp.now_ms += 5;
	for (int i = 0; i < 10; i++) {
		uplink_receive(&l->dp, fwd_gpdu(l, a->teid, a->ip_be, IP4(203, 0, 113, 9)));
		answered += fwd_sent(l, &teid, &src, &dst);
	}
	assert_int_equal(answered, 55);
}

/* A GTP-U Error Indication from `from`, naming teid (TS 29.281 §7.3.1). */
static struct udp_pkt *
error_indication_from(struct fwd_lab *l, uint32_t from_be, uint32_t teid)
{
	uint8_t *d = l->buf + UDP_BATCH_HEADROOM;
	size_t n = gtpu_build_error_indication(d, UDP_BATCH_DATA, teid, from_be);

	assert_true(n > 0);
	l->pkt =
	    (struct udp_pkt){ .data = d, .len = n, .from_be = from_be, .from_port = GTPU_PORT };
	return &l->pkt;
}

static void
test_uplink_error_indication_ends_the_session_it_names(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A), *b = fwd_attach(l, IMSI_B, DL_B);
	uint32_t ip_b = b->ip_be;

	(void)a;
	/* From another address than the session's peer: not heeded. */
	uplink_receive(&l->dp, error_indication_from(l, IP4(127, 0, 0, 99), DL_A));
	assert_int_equal(session_count(l->core.sessions), 2);
	/* A TEID the peer never had: nothing. */
	uplink_receive(&l->dp, error_indication_from(l, SGSN_ADDR, 0x777));
	assert_int_equal(session_count(l->core.sessions), 2);
	uplink_receive(&l->dp, error_indication_from(l, SGSN_ADDR, DL_A));
	assert_int_equal(session_count(l->core.sessions), 1);
	assert_null(session_find_imsi(l->core.sessions, IMSI_A, 5));
	assert_non_null(session_find_ip(l->core.sessions, ip_b));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_ENDED_BY_ERROR_INDICATION], 1);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPU_ERROR_INDICATION], 3);
}

static void
test_uplink_error_indication_follows_a_moved_downlink(void **state)
{
	struct fwd_lab *l = *state;
	struct session *a = fwd_attach(l, IMSI_A, DL_A);

	attach_move_downlink(&l->core, a, 0x4242, SGSN_ADDR);
	uplink_receive(&l->dp, error_indication_from(l, SGSN_ADDR, DL_A));
	assert_int_equal(session_count(l->core.sessions), 1);
	uplink_receive(&l->dp, error_indication_from(l, SGSN_ADDR, 0x4242));
	assert_int_equal(session_count(l->core.sessions), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_uplink_own_lan_source_passes),
		T(test_uplink_other_device_lan_source_spoofed),
		T(test_uplink_lan_source_disabled_spoofed),
		T(test_uplink_to_other_device_lan_into_its_tunnel),
		T(test_uplink_to_absent_device_lan_dropped_not_redirected),
		T(test_uplink_to_lan_disabled_takes_ordinary_way),
		T(test_uplink_to_lan_after_detach_dropped),
		T(test_uplink_upf_session_lan_both_ways),
		T(test_pdr_owns_address_own_lan_only),
		T(test_uplink_peek_takes_both_ways_by_imsi),
		T(test_uplink_peek_takes_upf_session_by_its_pdrs),
		T(test_uplink_icmp_errors_rate_limited),
		T(test_uplink_error_indication_ends_the_session_it_names),
		T(test_uplink_error_indication_follows_a_moved_downlink),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
