/*
 * Unit tests for a UPF session's rules as the XDP program applies them
 * (src/core/rules_fast.c, src/fwd/xdp_upf.c): which rule sets XDP carries
 * and which stay on the socket path, the "upf" entry's gates, QFIs and
 * buckets, and the URRs' share of what XDP counted. No kernel: entries are
 * compared as values.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rules.h"
#include "core/rules_fast.h"
#include "core/session.h"
#include "fwd/xdp_map.h"
#include "fwd/xdp_upf.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define TEID		0x11223344u
#define GNB_TEID	0x55667788u
#define GNB		IP4(192, 0, 2, 11)
#define UE		IP4(10, 45, 0, 2)

static struct session sess;
static struct rules rules;

/*
 * The common set, as an SMF gives it: PDR 1 from Core to the device's
 * address, FAR 1 into the gNB's tunnel; PDR 2 from Access on our TEID, FAR
 * 2 to Core; QER 1 and URR 1 on both PDRs.
 */
static int
setup(void **state)
{
	struct rules *r = &rules;

	(void)state;
	memset(&sess, 0, sizeof(sess));
	memset(r, 0, sizeof(*r));
	sess.teid = TEID;
	sess.ip_be = UE;
	sess.owner.role = SESSION_ROLE_UPF;
	sess.flags = SESSION_F_RULES;
	sess.rules = r;
	r->n_pdr = 2;
	r->pdr[0] = (struct rules_pdr){ .id = 1,
		.precedence = 255,
		.src_iface = RULES_IF_CORE,
		.has_ue_ip = true,
		.ue_ip_be = UE,
		.far_id = 1,
		.n_qer = 1,
		.qer_id = { 1 },
		.n_urr = 1,
		.urr_id = { 1 } };
	r->pdr[1] = (struct rules_pdr){ .id = 2,
		.precedence = 255,
		.src_iface = RULES_IF_ACCESS,
		.has_teid = true,
		.teid = TEID,
		.has_ue_ip = true,
		.ue_ip_be = UE,
		.far_id = 2,
		.n_qer = 1,
		.qer_id = { 1 },
		.n_urr = 1,
		.urr_id = { 1 } };
	r->n_far = 2;
	r->far[0] = (struct rules_far){ .id = 1,
		.apply = RULES_ACT_FORW,
		.dst_iface = RULES_IF_ACCESS,
		.has_ohc = true,
		.ohc_teid = GNB_TEID,
		.ohc_addr_be = GNB };
	r->far[1] =
	    (struct rules_far){ .id = 2, .apply = RULES_ACT_FORW, .dst_iface = RULES_IF_CORE };
	r->n_qer = 1;
	r->qer[0] = (struct rules_qer){ .id = 1, .ul_open = true, .dl_open = true };
	r->n_urr = 1;
	r->urr[0] = (struct rules_urr){ .id = 1, .measure_volume = true };
	return 0;
}

static void
relink(void)
{
	struct rules_fault_at at;

	assert_int_equal(rules_link(&rules, &at), RULES_OK);
}

/* The entry of the session: true when XDP carries it. */
static bool
entry(struct xdp_session *e, struct xdp_upf *u)
{
	relink();
	xdp_map_session(&sess, e);
	return xdp_upf_entry(&sess, e, u);
}

static void
test_xdp_upf_common_set_carried_with_the_fars_tunnel(void **state)
{
	struct xdp_session e;
	struct xdp_upf u;

	(void)state;
	assert_true(entry(&e, &u));
	assert_int_equal(e.flags, XDP_SESSION_F_UPF);
	assert_int_equal(e.teid_be, htonl(TEID));
	assert_int_equal(e.peer_teid_be, htonl(GNB_TEID));
	assert_int_equal(e.peer_addr_be, GNB);
	assert_int_equal(u.flags, 0);
	assert_int_equal(u.ul.rate_bps, 0);
	assert_int_equal(u.dl.rate_bps, 0);
}

static void
test_xdp_upf_gates_qfis_and_mbr_in_the_entry(void **state)
{
	struct xdp_session e;
	struct xdp_upf u;

	(void)state;
	rules.qer[0].ul_open = false;
	rules.qer[0].has_qfi = true;
	rules.qer[0].qfi = 9;
	rules.qer[0].dl = (struct rules_bucket){ .rate_bps = 8000, .tokens = 8000, .last_ms = 77 };
	rules.pdr[1].has_qfi = true;
	rules.pdr[1].qfi = 5;
	assert_true(entry(&e, &u));
	assert_int_equal(u.flags, XDP_UPF_UL_CLOSED | XDP_UPF_UL_QFI | XDP_UPF_DL_QFI);
	assert_int_equal(u.ul_qfi, 5); /* the PDR's, which matches */
	assert_int_equal(u.dl_qfi, 9); /* the QER's, which marks */
	assert_int_equal(u.ul.rate_bps, 0);
	assert_int_equal(u.dl.rate_bps, 8000);
	assert_int_equal(u.dl.tokens, 8000);
	assert_int_equal(u.dl.last_ms, 77);
}

/* Each rule set here is one thing XDP does not do: the socket path keeps the session. */
static void
assert_slow(void)
{
	struct xdp_session e;
	struct xdp_upf u;

	assert_false(entry(&e, &u));
	assert_int_equal(e.flags, XDP_SESSION_F_SLOW);
}

static void
test_xdp_upf_buffering_far_is_slow(void **state)
{
	(void)state;
	rules.far[0].apply = RULES_ACT_BUFF | RULES_ACT_NOCP;
	assert_slow();
}

static void
test_xdp_upf_drop_far_is_slow(void **state)
{
	(void)state;
	rules.far[1].apply = RULES_ACT_DROP;
	assert_slow();
}

static void
test_xdp_upf_duplicating_far_is_slow(void **state)
{
	(void)state;
	rules.far[1].apply = RULES_ACT_FORW | RULES_ACT_DUPL;
	assert_slow();
}

static void
test_xdp_upf_downlink_without_tunnel_is_slow(void **state)
{
	(void)state;
	rules.far[0].has_ohc = false;
	assert_slow();
}

static void
test_xdp_upf_uplink_to_cp_function_is_slow(void **state)
{
	(void)state;
	rules.far[1].dst_iface = RULES_IF_CP_FUNCTION;
	assert_slow();
}

static void
test_xdp_upf_ipv4_sdf_filter_is_slow(void **state)
{
	(void)state;
	rules.pdr[1].n_sdf = 1;
	rules.pdr[1].sdf[0] = (struct rules_sdf){
		.proto = 17, .remote_port_lo = 53, .remote_port_hi = 53, .ue_port_hi = 65535
	};
	assert_slow();
}

/* An SMF's Router Solicitation PDR on our TEID matches no IPv4 packet: it changes nothing. */
static void
test_xdp_upf_ipv6_only_pdr_beside_the_common_set_carried(void **state)
{
	struct xdp_session e;
	struct xdp_upf u;

	(void)state;
	rules.pdr[2] = rules.pdr[1];
	rules.pdr[2].id = 3;
	rules.pdr[2].precedence = 1;
	rules.pdr[2].n_sdf = 1;
	rules.pdr[2].sdf[0] = (struct rules_sdf){ .ipv6 = true, .proto = 58 };
	rules.n_pdr = 3;
	assert_true(entry(&e, &u));
	rules.pdr[2].sdf[0].ipv6 = false;
	assert_slow();
}

static void
test_xdp_upf_second_uplink_pdr_is_slow(void **state)
{
	(void)state;
	rules.pdr[2] = rules.pdr[1];
	rules.pdr[2].id = 3;
	rules.pdr[2].has_qfi = true;
	rules.pdr[2].qfi = 1;
	rules.n_pdr = 3;
	assert_slow();
}

static void
test_xdp_upf_two_mbrs_one_direction_is_slow(void **state)
{
	(void)state;
	rules.qer[0].ul.rate_bps = 8000;
	rules.qer[1] = (struct rules_qer){ .id = 2, .ul_open = true, .dl_open = true };
	rules.qer[1].ul.rate_bps = 16000;
	rules.n_qer = 2;
	rules.pdr[1].n_qer = 2;
	rules.pdr[1].qer_id[1] = 2;
	assert_slow();
}

static void
test_xdp_upf_framed_route_is_slow(void **state)
{
	(void)state;
	rules.pdr[0].n_framed = 1;
	rules.pdr[0].framed[0] =
	    (struct rules_prefix){ IP4(192, 168, 1, 0), IP4(255, 255, 255, 0) };
	assert_slow();
}

/* A volume threshold is checked on each packet by the socket path. */
static void
test_xdp_upf_urr_volume_threshold_is_slow(void **state)
{
	(void)state;
	rules.urr[0].triggers = RULES_TRIG_VOLTH;
	rules.urr[0].threshold = (struct rules_volume){ .has_total = true, .total = 1000000 };
	assert_slow();
}

static void
test_xdp_upf_urr_periodic_only_carried(void **state)
{
	struct xdp_session e;
	struct xdp_upf u;

	(void)state;
	rules.urr[0].triggers = RULES_TRIG_PERIO;
	rules.urr[0].period_s = 60;
	/* A threshold given without its trigger asks nothing of the packets. */
	rules.urr[0].threshold = (struct rules_volume){ .has_total = true, .total = 1000000 };
	assert_true(entry(&e, &u));
}

static void
test_xdp_upf_no_rules_yet_is_slow(void **state)
{
	(void)state;
	sess.flags = 0;
	assert_slow();
}

/* A Modification that leaves the MBR alone keeps what XDP spent; a new rate starts full. */
static void
test_xdp_upf_keep_buckets_only_at_the_same_rate(void **state)
{
	struct xdp_upf next = { .ul = { 8000, 8000, 1 }, .dl = { 16000, 16000, 1 } };
	struct xdp_upf cur = { .ul = { 8000, 480, 500 }, .dl = { 8000, 0, 500 } };

	(void)state;
	xdp_upf_keep_buckets(&next, &cur);
	assert_int_equal(next.ul.tokens, 480);
	assert_int_equal(next.ul.last_ms, 500);
	assert_int_equal(next.dl.rate_bps, 16000);
	assert_int_equal(next.dl.tokens, 16000);
}

/* XDP's uplink goes to the uplink PDR's URRs, its downlink to the downlink PDR's. */
static void
test_rules_fast_fold_each_direction_to_its_pdrs_urrs(void **state)
{
	struct rules_usage t0 = { 1, 100, 2, 200 }, t1 = { 11, 1100, 32, 3200 };

	(void)state;
	rules.urr[1] = (struct rules_urr){ .id = 2, .measure_volume = true };
	rules.n_urr = 2;
	rules.pdr[1].urr_id[0] = 2; /* uplink: URR 2; downlink: URR 1 */
	relink();
	rules.urr[0].ul_bytes = 7; /* what the socket path measured */
	rules_fast_baseline(&rules, &t0);
	rules_fast_fold(&rules, TEID, UE, &t1);
	assert_int_equal(rules.urr[0].ul_bytes, 7);
	assert_int_equal(rules.urr[0].dl_packets, 30);
	assert_int_equal(rules.urr[0].dl_bytes, 3000);
	assert_int_equal(rules.urr[1].ul_packets, 10);
	assert_int_equal(rules.urr[1].ul_bytes, 1000);
	assert_int_equal(rules.urr[1].dl_bytes, 0);
	/* A second look adds only what came since. */
	rules_fast_fold(&rules, TEID, UE, &t1);
	assert_int_equal(rules.urr[1].ul_bytes, 1000);
}

/* A URR created later starts from the totals at its creation, not from zero. */
static void
test_rules_fast_baseline_only_for_new_urrs(void **state)
{
	struct rules_usage t0 = { 5, 500, 5, 500 }, t1 = { 9, 900, 9, 900 };

	(void)state;
	relink();
	rules_fast_baseline(&rules, &t0);
	rules.urr[1] = (struct rules_urr){ .id = 2, .measure_volume = true };
	rules.n_urr = 2;
	rules.pdr[0].n_urr = 2;
	rules.pdr[0].urr_id[1] = 2;
	relink();
	rules_fast_baseline(&rules, &t1); /* URR 1 keeps t0 */
	rules_fast_fold(&rules, TEID, UE, &t1);
	assert_int_equal(rules.urr[0].dl_bytes, 400);
	assert_int_equal(rules.urr[0].ul_bytes, 400);
	assert_int_equal(rules.urr[1].dl_bytes, 0);
}

/* Under a set XDP does not carry, it carried nothing: the URRs take no share. */
static void
test_rules_fast_fold_slow_set_adds_nothing(void **state)
{
	struct rules_usage t0 = { 0 }, t1 = { 3, 300, 3, 300 };

	(void)state;
	rules.far[0].apply = RULES_ACT_BUFF;
	relink();
	rules_fast_baseline(&rules, &t0);
	rules_fast_fold(&rules, TEID, UE, &t1);
	assert_int_equal(rules.urr[0].ul_bytes + rules.urr[0].dl_bytes, 0);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_xdp_upf_common_set_carried_with_the_fars_tunnel),
		T(test_xdp_upf_gates_qfis_and_mbr_in_the_entry),
		T(test_xdp_upf_buffering_far_is_slow),
		T(test_xdp_upf_drop_far_is_slow),
		T(test_xdp_upf_duplicating_far_is_slow),
		T(test_xdp_upf_downlink_without_tunnel_is_slow),
		T(test_xdp_upf_uplink_to_cp_function_is_slow),
		T(test_xdp_upf_ipv4_sdf_filter_is_slow),
		T(test_xdp_upf_ipv6_only_pdr_beside_the_common_set_carried),
		T(test_xdp_upf_second_uplink_pdr_is_slow),
		T(test_xdp_upf_two_mbrs_one_direction_is_slow),
		T(test_xdp_upf_framed_route_is_slow),
		T(test_xdp_upf_urr_volume_threshold_is_slow),
		T(test_xdp_upf_urr_periodic_only_carried),
		T(test_xdp_upf_no_rules_yet_is_slow),
		T(test_xdp_upf_keep_buckets_only_at_the_same_rate),
		T(test_rules_fast_fold_each_direction_to_its_pdrs_urrs),
		T(test_rules_fast_baseline_only_for_new_urrs),
		T(test_rules_fast_fold_slow_set_adds_nothing),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
