/*
 * Unit tests for PFCP rule sets (src/core/rules.c): linking and refusing
 * rule sets, PDR matching by interface, TEID, QFI, device address, SDF
 * filter and Framed-Route in precedence order, and what QERs and URRs do to
 * a matched packet (gates, MBR, volume and time triggers, quotas).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "core/rules.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define UE		IP4(10, 45, 0, 2)
#define SERVER		IP4(10, 0, 0, 10)
#define TEID		0x11223344u

static struct rules r;

/* open5gs's usual set: PDR 1 Core → FAR 1 (to Access), PDR 2 Access → FAR 2 (to Core). */
static int
setup(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	rules_reports_waiting = 0;
	r.n_pdr = 2;
	r.pdr[0] = (struct rules_pdr){ .id = 1,
		.precedence = 255,
		.src_iface = RULES_IF_CORE,
		.has_ue_ip = true,
		.ue_ip_be = UE,
		.far_id = 1 };
	r.pdr[1] = (struct rules_pdr){ .id = 2,
		.precedence = 255,
		.src_iface = RULES_IF_ACCESS,
		.has_teid = true,
		.teid = TEID,
		.has_ue_ip = true,
		.ue_ip_be = UE,
		.far_id = 2 };
	r.n_far = 2;
	r.far[0] = (struct rules_far){ .id = 1,
		.apply = RULES_ACT_FORW,
		.dst_iface = RULES_IF_ACCESS,
		.has_ohc = true,
		.ohc_teid = 0x99,
		.ohc_addr_be = IP4(172, 31, 2, 1) };
	r.far[1] =
	    (struct rules_far){ .id = 2, .apply = RULES_ACT_FORW, .dst_iface = RULES_IF_CORE };
	return 0;
}

static struct rules_pkt
uplink(uint32_t len)
{
	return (struct rules_pkt){ .tunnelled = true,
		.teid = TEID,
		.src_be = UE,
		.dst_be = SERVER,
		.proto = 17,
		.sport = 40000,
		.dport = 53,
		.len = len };
}

static struct rules_pkt
downlink(uint32_t len)
{
	return (struct rules_pkt){
		.src_be = SERVER, .dst_be = UE, .proto = 17, .sport = 53, .dport = 40000, .len = len
	};
}

static void
link_ok(void)
{
	struct rules_fault_at at;

	assert_int_equal(rules_link(&r, &at), RULES_OK);
}

static void
test_rules_link_open5gs_set_ok(void **state)
{
	(void)state;
	link_ok();
	assert_int_equal(r.pdr[0].far, 0);
	assert_int_equal(r.pdr[1].far, 1);
}

static void
test_rules_link_unknown_far_names_pdr(void **state)
{
	struct rules_fault_at at;

	(void)state;
	r.pdr[1].far_id = 7;
	assert_int_equal(rules_link(&r, &at), RULES_UNKNOWN_FAR);
	assert_int_equal(at.kind, 'P');
	assert_int_equal(at.id, 2);
}

static void
test_rules_link_unknown_qer_and_urr_refused(void **state)
{
	struct rules_fault_at at;

	(void)state;
	r.pdr[0].n_qer = 1;
	r.pdr[0].qer_id[0] = 3;
	assert_int_equal(rules_link(&r, &at), RULES_UNKNOWN_QER);
	r.pdr[0].n_qer = 0;
	r.pdr[1].n_urr = 1;
	r.pdr[1].urr_id[0] = 4;
	assert_int_equal(rules_link(&r, &at), RULES_UNKNOWN_URR);
	assert_int_equal(at.id, 2);
}

static void
test_rules_link_duplicate_pdr_refused(void **state)
{
	struct rules_fault_at at;

	(void)state;
	r.pdr[1].id = 1;
	assert_int_equal(rules_link(&r, &at), RULES_DUPLICATE_ID);
	assert_int_equal(at.kind, 'P');
	assert_int_equal(at.id, 1);
}

static void
test_rules_link_duplicate_far_refused(void **state)
{
	struct rules_fault_at at;

	(void)state;
	r.far[1].id = 1;
	assert_int_equal(rules_link(&r, &at), RULES_DUPLICATE_ID);
	assert_int_equal(at.kind, 'F');
}

/* A G-PDU from the CP function (PDR source CP-function, with F-TEID) goes to the device. */
static void
test_rules_match_from_cp_function_by_teid(void **state)
{
	struct rules_pkt p = downlink(100);

	(void)state;
	r.n_pdr = 3;
	r.pdr[2] = (struct rules_pdr){ .id = 3,
		.precedence = 1000,
		.src_iface = RULES_IF_CP_FUNCTION,
		.has_teid = true,
		.teid = TEID + 5,
		.far_id = 1 };
	link_ok();
	p.tunnelled = true;
	p.teid = TEID + 5;
	assert_int_equal(rules_match(&r, &p)->id, 3);
	/* Not tunnelled, the same packet takes the Core PDR. */
	p.tunnelled = false;
	assert_int_equal(rules_match(&r, &p)->id, 1);
}

static void
test_rules_match_uplink_by_teid(void **state)
{
	struct rules_pkt p = uplink(100);

	(void)state;
	link_ok();
	assert_int_equal(rules_match(&r, &p)->id, 2);
	p.teid = TEID + 1;
	assert_null(rules_match(&r, &p));
}

static void
test_rules_match_uplink_spoofed_source_no_pdr(void **state)
{
	struct rules_pkt p = uplink(100);

	(void)state;
	link_ok();
	p.src_be = IP4(10, 45, 0, 3);
	assert_null(rules_match(&r, &p));
}

static void
test_rules_match_downlink_by_ue_address(void **state)
{
	struct rules_pkt p = downlink(100);

	(void)state;
	link_ok();
	assert_int_equal(rules_match(&r, &p)->id, 1);
	p.dst_be = IP4(10, 45, 0, 9);
	assert_null(rules_match(&r, &p));
}

static void
test_rules_match_sdf_before_default_by_precedence(void **state)
{
	struct rules_pkt p = uplink(100);

	(void)state;
	/* PDR 3: DNS to 10.0.0.10 goes to the CP function, ahead of the default. */
	r.n_pdr = 3;
	r.pdr[2] = r.pdr[1];
	r.pdr[2].id = 3;
	r.pdr[2].precedence = 10;
	r.pdr[2].n_sdf = 1;
	r.pdr[2].sdf[0] = (struct rules_sdf){ .proto = 17,
		.remote_be = SERVER,
		.remote_mask_be = 0xffffffff,
		.remote_port_lo = 53,
		.remote_port_hi = 53,
		.ue_port_hi = 65535 };
	link_ok();
	assert_int_equal(rules_match(&r, &p)->id, 3);
	p.dport = 54;
	assert_int_equal(rules_match(&r, &p)->id, 2);
	p.dport = 53;
	p.proto = 6;
	assert_int_equal(rules_match(&r, &p)->id, 2);
}

static void
test_rules_match_qfi_required_when_given(void **state)
{
	struct rules_pkt p = uplink(100);

	(void)state;
	r.pdr[1].has_qfi = true;
	r.pdr[1].qfi = 9;
	link_ok();
	assert_null(rules_match(&r, &p));
	p.has_qfi = true;
	p.qfi = 9;
	assert_int_equal(rules_match(&r, &p)->id, 2);
}

/* A LAN of SIM-based routing: the caller says the address lies in the session's own route. */
static void
test_rules_match_routed_address_both_ways(void **state)
{
	struct rules_pkt up = uplink(100), down = downlink(100);

	(void)state;
	link_ok();
	up.src_be = down.dst_be = IP4(192, 168, 50, 10);
	assert_null(rules_match(&r, &up));
	assert_null(rules_match(&r, &down));
	up.src_routed = down.dst_routed = true;
	assert_int_equal(rules_match(&r, &up)->id, 2);
	assert_int_equal(rules_match(&r, &down)->id, 1);
	/* The other end being routed says nothing of the device's side. */
	up.src_routed = down.dst_routed = false;
	up.dst_routed = down.src_routed = true;
	assert_null(rules_match(&r, &up));
	assert_null(rules_match(&r, &down));
}

static void
test_rules_match_framed_route_both_ways(void **state)
{
	struct rules_pkt up = uplink(100), down = downlink(100);

	(void)state;
	r.pdr[0].n_framed = r.pdr[1].n_framed = 1;
	r.pdr[0].framed[0] = r.pdr[1].framed[0] =
	    (struct rules_prefix){ IP4(192, 168, 50, 0), IP4(255, 255, 255, 0) };
	link_ok();
	up.src_be = IP4(192, 168, 50, 7);
	down.dst_be = IP4(192, 168, 50, 7);
	assert_int_equal(rules_match(&r, &up)->id, 2);
	assert_int_equal(rules_match(&r, &down)->id, 1);
	assert_int_equal(rules_framed_match(&r, IP4(192, 168, 50, 200))->id, 1);
	assert_null(rules_framed_match(&r, IP4(192, 168, 51, 1)));
}

static void
test_rules_apply_forward_gives_far(void **state)
{
	struct rules_pkt p = downlink(100);
	const struct rules_far *far = NULL;

	(void)state;
	link_ok();
	assert_int_equal(rules_apply(&r, rules_match(&r, &p), &p, 1000, &far), RULES_FORWARD);
	assert_int_equal(far->ohc_teid, 0x99);
}

static void
test_rules_apply_drop_buff_nocp(void **state)
{
	struct rules_pkt p = uplink(100);
	const struct rules_far *far = NULL;

	(void)state;
	link_ok();
	r.far[1].apply = RULES_ACT_DROP;
	assert_int_equal(rules_apply(&r, &r.pdr[1], &p, 1000, &far), RULES_DROP_FAR);
	r.far[1].apply = RULES_ACT_BUFF;
	assert_int_equal(rules_apply(&r, &r.pdr[1], &p, 1000, &far), RULES_DROP_BUFFER);
	r.far[1].apply = RULES_ACT_NOCP | RULES_ACT_BUFF;
	assert_int_equal(rules_apply(&r, &r.pdr[1], &p, 1000, &far), RULES_DROP_BUFFER);
}

static void
test_rules_apply_gate_closed_one_direction(void **state)
{
	struct rules_pkt up = uplink(100), down = downlink(100);
	const struct rules_far *far = NULL;

	(void)state;
	r.n_qer = 1;
	r.qer[0] = (struct rules_qer){ .id = 1, .ul_open = false, .dl_open = true };
	r.pdr[0].n_qer = r.pdr[1].n_qer = 1;
	r.pdr[0].qer_id[0] = r.pdr[1].qer_id[0] = 1;
	link_ok();
	assert_int_equal(rules_apply(&r, &r.pdr[1], &up, 1000, &far), RULES_DROP_GATE);
	assert_int_equal(rules_apply(&r, &r.pdr[0], &down, 1000, &far), RULES_FORWARD);
}

static void
test_rules_apply_mbr_one_second_of_burst(void **state)
{
	struct rules_pkt p = downlink(1000);
	const struct rules_far *far = NULL;
	int passed = 0;

	(void)state;
	r.n_qer = 1;
	/* 80 kbit/s: ten 1000-octet packets per second. */
	r.qer[0] = (struct rules_qer){ .id = 1, .ul_open = true, .dl_open = true };
	r.qer[0].dl.rate_bps = 80000;
	r.qer[0].dl.tokens = 80000;
	r.qer[0].dl.last_ms = 1000;
	r.pdr[0].n_qer = 1;
	r.pdr[0].qer_id[0] = 1;
	link_ok();
	for (int i = 0; i < 20; i++)
		passed += rules_apply(&r, &r.pdr[0], &p, 1000, &far) == RULES_FORWARD;
	assert_int_equal(passed, 10);
	/* Half a second later, five more. */
	passed = 0;
	for (int i = 0; i < 20; i++)
		passed += rules_apply(&r, &r.pdr[0], &p, 1500, &far) == RULES_FORWARD;
	assert_int_equal(passed, 5);
}

static void
add_urr(struct rules_urr u)
{
	r.n_urr = 1;
	r.urr[0] = u;
	r.pdr[0].n_urr = r.pdr[1].n_urr = 1;
	r.pdr[0].urr_id[0] = r.pdr[1].urr_id[0] = u.id;
	link_ok();
	rules_start(&r, 1000);
}

static void
test_rules_apply_volume_threshold_exact(void **state)
{
	struct rules_pkt up = uplink(400), down = downlink(600);
	const struct rules_far *far = NULL;

	(void)state;
	add_urr((struct rules_urr){ .id = 1,
	    .measure_volume = true,
	    .triggers = RULES_TRIG_VOLTH,
	    .threshold = { .has_total = true, .total = 2000 } });
	rules_apply(&r, &r.pdr[1], &up, 1100, &far);
	rules_apply(&r, &r.pdr[0], &down, 1200, &far);
	assert_false(rules_reports_due(&r, 1200));
	rules_apply(&r, &r.pdr[1], &up, 1300, &far);
	rules_apply(&r, &r.pdr[0], &down, 1400, &far);
	assert_true(rules_reports_due(&r, 1400));
	assert_int_equal(r.urr[0].pending, RULES_TRIG_VOLTH);
	assert_int_equal(r.urr[0].ul_bytes, 800);
	assert_int_equal(r.urr[0].dl_bytes, 1200);
	assert_int_equal(r.urr[0].ul_packets, 2);
	assert_int_equal(rules_reports_waiting, 1);
	rules_urr_reported(&r.urr[0], 1400);
	assert_int_equal(rules_reports_waiting, 0);
	assert_int_equal(r.urr[0].ul_bytes, 0);
	assert_int_equal(r.urr[0].seqn, 1);
}

static void
test_rules_apply_volume_quota_then_drops(void **state)
{
	struct rules_pkt up = uplink(1000);
	const struct rules_far *far = NULL;

	(void)state;
	add_urr((struct rules_urr){ .id = 1,
	    .measure_volume = true,
	    .triggers = RULES_TRIG_VOLQU,
	    .quota = { .has_ul = true, .ul = 2000 } });
	assert_int_equal(rules_apply(&r, &r.pdr[1], &up, 1100, &far), RULES_FORWARD);
	assert_int_equal(rules_apply(&r, &r.pdr[1], &up, 1100, &far), RULES_FORWARD);
	assert_int_equal(r.urr[0].pending, RULES_TRIG_VOLQU);
	assert_int_equal(rules_apply(&r, &r.pdr[1], &up, 1100, &far), RULES_DROP_QUOTA);
	assert_int_equal(r.urr[0].ul_packets, 2);
}

static void
test_rules_reports_due_periodic_and_time_threshold(void **state)
{
	(void)state;
	add_urr((struct rules_urr){ .id = 1,
	    .measure_duration = true,
	    .triggers = RULES_TRIG_PERIO | RULES_TRIG_TIMTH,
	    .period_s = 10,
	    .time_threshold_s = 25 });
	assert_false(rules_reports_due(&r, 10999));
	assert_true(rules_reports_due(&r, 11000));
	assert_int_equal(r.urr[0].pending, RULES_TRIG_PERIO);
	rules_urr_reported(&r.urr[0], 11000);
	assert_false(rules_reports_due(&r, 20999));
	assert_true(rules_reports_due(&r, 21000));
	rules_urr_reported(&r.urr[0], 21000);
	/* The threshold counts from the last report. */
	assert_true(rules_reports_due(&r, 46000));
	assert_int_equal(r.urr[0].pending, RULES_TRIG_PERIO | RULES_TRIG_TIMTH);
}

static void
test_rules_trigger_not_asked_not_pending(void **state)
{
	struct rules_pkt up = uplink(5000);
	const struct rules_far *far = NULL;

	(void)state;
	add_urr((struct rules_urr){ .id = 1,
	    .measure_volume = true,
	    .triggers = RULES_TRIG_PERIO,
	    .threshold = { .has_total = true, .total = 10 } });
	rules_apply(&r, &r.pdr[1], &up, 1100, &far);
	assert_false(rules_reports_due(&r, 1100));
}

static void
test_rules_remove_then_link_reindexes(void **state)
{
	(void)state;
	link_ok();
	assert_int_equal(rules_remove(&r, 'F', 1), 0);
	assert_int_equal(rules_remove(&r, 'F', 1), -1);
	assert_int_equal(r.n_far, 1);
	assert_int_equal(rules_remove(&r, 'P', 1), 0);
	link_ok();
	assert_int_equal(r.pdr[0].id, 2);
	assert_int_equal(r.pdr[0].far, 0);
	assert_non_null(rules_far_by_id(&r, 2));
	assert_null(rules_pdr_by_id(&r, 1));
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rules_link_open5gs_set_ok),
		T(test_rules_link_unknown_far_names_pdr),
		T(test_rules_link_unknown_qer_and_urr_refused),
		T(test_rules_link_duplicate_pdr_refused),
		T(test_rules_link_duplicate_far_refused),
		T(test_rules_match_from_cp_function_by_teid),
		T(test_rules_match_uplink_by_teid),
		T(test_rules_match_uplink_spoofed_source_no_pdr),
		T(test_rules_match_downlink_by_ue_address),
		T(test_rules_match_sdf_before_default_by_precedence),
		T(test_rules_match_qfi_required_when_given),
		T(test_rules_match_framed_route_both_ways),
		T(test_rules_match_routed_address_both_ways),
		T(test_rules_apply_forward_gives_far),
		T(test_rules_apply_drop_buff_nocp),
		T(test_rules_apply_gate_closed_one_direction),
		T(test_rules_apply_mbr_one_second_of_burst),
		T(test_rules_apply_volume_threshold_exact),
		T(test_rules_apply_volume_quota_then_drops),
		T(test_rules_reports_due_periodic_and_time_threshold),
		T(test_rules_trigger_not_asked_not_pending),
		T(test_rules_remove_then_link_reindexes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
