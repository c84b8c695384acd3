/*
 * Unit tests for SIM-based routing's table (src/core/sim_routes.c): the one
 * validator (each fault, named where it is), and the routes it keeps in the
 * session table as devices attach and go, the feature is turned on and off
 * and the table is replaced: which session has a LAN, when it is held for
 * an absent device, that a PFCP Framed-Route is never touched, and what the
 * host's routing is told.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>

#include "core/attach.h"
#include "core/counters.h"
#include "core/ippool.h"
#include "core/session.h"
#include "core/sim_routes.h"
#include "io/log.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define IMSI_A		"999010000000001"
#define IMSI_B		"999010000000002"
#define LAN_A		IP4(192, 168, 50, 10) /* behind A: 192.168.50.0/24 */
#define LAN_B		IP4(192, 168, 60, 10) /* behind B: 192.168.60.0/24 */

struct fixture {
	struct attach core;
	struct sim_routes routes;
	struct sim_table table;
};

/* Device subnet 10.10.0.0/16, gateway 10.10.0.1. */
static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	f->core.pool = ippool_new(IP4(10, 10, 0, 0), 16, IP4(10, 10, 0, 1));
	f->core.sessions = session_table_new(16);
	sim_routes_init(&f->routes, f->core.sessions, IP4(10, 10, 0, 0), 16);
	f->core.sim_routes = &f->routes;
	*state = f;
	return f->core.pool == NULL || f->core.sessions == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	session_table_free(f->core.sessions);
	ippool_free(f->core.pool);
	free(f);
	return 0;
}

static void
device(struct sim_table *t, const char *imsi)
{
	assert_int_equal(sim_table_add_device(t, imsi), 0);
}

static void
prefix(struct sim_table *t, uint32_t net_be, uint8_t len)
{
	assert_int_equal(sim_table_add_prefix(t, net_be, len), 0);
}

/* A: 192.168.50.0/24; B: 192.168.60.0/24 and 172.16.0.0/12. */
static void
two_devices(struct sim_table *t)
{
	device(t, IMSI_A);
	prefix(t, IP4(192, 168, 50, 0), 24);
	device(t, IMSI_B);
	prefix(t, IP4(192, 168, 60, 0), 24);
	prefix(t, IP4(172, 16, 0, 0), 12);
}

static enum sim_fault
check(const struct sim_table *t, struct sim_fault_at *at)
{
	return sim_table_check(t, IP4(10, 10, 0, 0), 16, at);
}

static struct session *
attach(struct fixture *f, const char *imsi, uint8_t bearer_id)
{
	struct attach_req r = { .imsi = imsi,
		.msisdn = "",
		.apn = "internet",
		.bearer_id = bearer_id,
		.owner = { .role = SESSION_ROLE_GGSN, .peer_be = IP4(192, 0, 2, 9) } };
	struct session *s = NULL;

	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	return s;
}

static struct session *
dest(struct fixture *f, uint32_t addr_be, bool *held)
{
	return session_find_dest_held(f->core.sessions, addr_be, held);
}

static void
test_sim_table_check_valid_accepted(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	two_devices(&f->table);
	/* A host route is a prefix too. */
	prefix(&f->table, IP4(192, 168, 70, 1), 32);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_NONE);
	assert_int_equal(at.fault, SIM_FAULT_NONE);
}

static void
test_sim_table_check_imsi_not_digits_named(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	two_devices(&f->table);
	device(&f->table, "99901x");
	prefix(&f->table, IP4(192, 168, 80, 0), 24);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_IMSI);
	assert_int_equal(at.device, 2);
}

static void
test_sim_table_check_imsi_empty_refused(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	device(&f->table, "");
	prefix(&f->table, IP4(192, 168, 80, 0), 24);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_IMSI);
	assert_int_equal(at.device, 0);
}

static void
test_sim_table_add_device_imsi_too_long_einval(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sim_table_add_device(&f->table, "9990100000000011"), -EINVAL);
	assert_int_equal(f->table.n_devices, 0);
	/* One digit is an IMSI to this table: the API takes 1 to 15. */
	device(&f->table, "7");
	prefix(&f->table, IP4(192, 168, 80, 0), 24);
	assert_int_equal(check(&f->table, &(struct sim_fault_at){ 0 }), SIM_FAULT_NONE);
}

static void
test_sim_table_check_imsi_twice_names_both(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	two_devices(&f->table);
	device(&f->table, IMSI_A);
	prefix(&f->table, IP4(192, 168, 80, 0), 24);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_IMSI_TWICE);
	assert_int_equal(at.device, 2);
	assert_int_equal(at.other_device, 0);
}

static void
test_sim_table_check_no_prefix_refused(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	two_devices(&f->table);
	device(&f->table, "999010000000003");
	assert_int_equal(check(&f->table, &at), SIM_FAULT_NO_PREFIX);
	assert_int_equal(at.device, 2);
}

static void
test_sim_table_check_too_many_for_imsi_refused(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	device(&f->table, IMSI_A);
	for (unsigned i = 0; i < SIM_ROUTES_MAX_PER_IMSI; i++)
		prefix(&f->table, IP4(192, 168, i, 0), 24);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_NONE);
	prefix(&f->table, IP4(192, 168, 200, 0), 24);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_TOO_MANY_FOR_IMSI);
	assert_int_equal(at.device, 0);
	assert_int_equal(at.index, SIM_ROUTES_MAX_PER_IMSI);
}

static void
test_sim_table_add_past_limit_enospc(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < SIM_ROUTES_MAX; i++) {
		char imsi[16];

		snprintf(imsi, sizeof(imsi), "99901%010u", i);
		device(&f->table, imsi);
		prefix(&f->table, htonl(0xc0000000u + (i << 8)), 24);
	}
	assert_int_equal(check(&f->table, &(struct sim_fault_at){ 0 }), SIM_FAULT_NONE);
	assert_int_equal(sim_table_add_device(&f->table, IMSI_A), -ENOSPC);
	assert_int_equal(sim_table_add_prefix(&f->table, IP4(203, 0, 113, 0), 24), -ENOSPC);
	assert_int_equal(f->table.n_prefixes, SIM_ROUTES_MAX);
}

static void
test_sim_table_add_prefix_without_device_einval(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sim_table_add_prefix(&f->table, IP4(192, 168, 0, 0), 24), -EINVAL);
	assert_int_equal(f->table.n_prefixes, 0);
}

static void
test_sim_table_check_host_bits_named(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	two_devices(&f->table);
	prefix(&f->table, IP4(192, 168, 70, 1), 24);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_HOST_BITS);
	assert_int_equal(at.device, 1);
	assert_int_equal(at.index, 2);
}

static void
test_sim_table_check_prefix_len_over_32_refused(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	device(&f->table, IMSI_A);
	prefix(&f->table, IP4(192, 168, 70, 1), 33);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_PREFIX_LEN);
}

static void
test_sim_table_check_device_subnet_either_way_refused(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	device(&f->table, IMSI_A);
	prefix(&f->table, IP4(192, 168, 50, 0), 24);
	prefix(&f->table, IP4(10, 10, 5, 0), 24); /* inside the subnet */
	assert_int_equal(check(&f->table, &at), SIM_FAULT_DEVICE_SUBNET);
	assert_int_equal(at.index, 1);
	memset(&f->table, 0, sizeof(f->table));
	device(&f->table, IMSI_A);
	prefix(&f->table, IP4(10, 0, 0, 0), 8); /* around it */
	assert_int_equal(check(&f->table, &at), SIM_FAULT_DEVICE_SUBNET);
	memset(&f->table, 0, sizeof(f->table));
	device(&f->table, IMSI_A);
	prefix(&f->table, 0, 0); /* everything */
	assert_int_equal(check(&f->table, &at), SIM_FAULT_DEVICE_SUBNET);
}

static void
test_sim_table_check_overlap_across_devices_names_both(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	two_devices(&f->table);
	device(&f->table, "999010000000003");
	prefix(&f->table, IP4(203, 0, 113, 0), 24);
	prefix(&f->table, IP4(172, 20, 1, 0), 24); /* inside B's 172.16.0.0/12 */
	assert_int_equal(check(&f->table, &at), SIM_FAULT_OVERLAP);
	assert_int_equal(at.device, 2);
	assert_int_equal(at.index, 1);
	assert_int_equal(at.other_device, 1);
	assert_int_equal(at.other_index, 1);
}

static void
test_sim_table_check_same_prefix_twice_overlaps(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	device(&f->table, IMSI_A);
	prefix(&f->table, IP4(192, 168, 50, 0), 24);
	prefix(&f->table, IP4(192, 168, 51, 0), 24);
	prefix(&f->table, IP4(192, 168, 50, 0), 24);
	assert_int_equal(check(&f->table, &at), SIM_FAULT_OVERLAP);
	assert_int_equal(at.device, 0);
	assert_int_equal(at.index, 2);
	assert_int_equal(at.other_index, 0);
}

static void
test_sim_table_check_adjacent_prefixes_accepted(void **state)
{
	struct fixture *f = *state;

	device(&f->table, IMSI_A);
	prefix(&f->table, IP4(192, 168, 51, 0), 24);
	prefix(&f->table, IP4(192, 168, 50, 0), 24);
	prefix(&f->table, IP4(192, 168, 52, 0), 22);
	assert_int_equal(check(&f->table, &(struct sim_fault_at){ 0 }), SIM_FAULT_NONE);
}

static void
test_sim_table_check_counts_not_adding_up_malformed(void **state)
{
	struct fixture *f = *state;
	struct sim_fault_at at;

	two_devices(&f->table);
	f->table.n_prefixes = 2;
	assert_int_equal(check(&f->table, &at), SIM_FAULT_MALFORMED);
}

static void
test_sim_routes_set_invalid_nothing_changed(void **state)
{
	struct fixture *f = *state;
	struct sim_table bad = { 0 };

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	device(&bad, IMSI_A);
	prefix(&bad, IP4(10, 10, 0, 0), 24);
	assert_int_equal(sim_routes_set(&f->routes, &bad), -EINVAL);
	assert_int_equal(f->routes.table.n_devices, 2);
	assert_string_equal(f->routes.table.device[1].imsi, IMSI_B);
}

static void
test_sim_routes_disabled_installs_nothing(void **state)
{
	struct fixture *f = *state;
	bool held = true;

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	attach(f, IMSI_A, 5);
	assert_null(dest(f, LAN_A, &held));
	assert_false(held);
	assert_null(dest(f, LAN_B, &held));
	assert_false(held);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_INSTALLED], 0);
}

static void
test_sim_routes_enable_binds_attached_holds_absent(void **state)
{
	struct fixture *f = *state;
	struct session *a = attach(f, IMSI_A, 5);
	bool held = true;

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	assert_ptr_equal(dest(f, LAN_A, &held), a);
	assert_false(held);
	assert_null(dest(f, LAN_B, &held));
	assert_true(held);
	assert_null(dest(f, IP4(172, 31, 255, 255), &held));
	assert_true(held);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_INSTALLED], 1);
}

static void
test_sim_routes_attach_binds_device_lan(void **state)
{
	struct fixture *f = *state;
	struct session *b;
	bool held = true;

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	b = attach(f, IMSI_B, 5);
	assert_ptr_equal(dest(f, LAN_B, &held), b);
	assert_ptr_equal(dest(f, IP4(172, 16, 0, 1), &held), b);
	assert_null(dest(f, LAN_A, &held));
	assert_true(held);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_INSTALLED], 2);
}

static void
test_sim_routes_second_bearer_never_takes_lan(void **state)
{
	struct fixture *f = *state;
	struct session *first, *second;
	bool held;

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	first = attach(f, IMSI_A, 9);
	second = attach(f, IMSI_A, 5);
	/* The lower bearer id does not matter: the first session has the LAN. */
	assert_ptr_equal(dest(f, LAN_A, &held), first);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_INSTALLED], 1);
	attach_delete(&f->core, first, "test");
	assert_ptr_equal(dest(f, LAN_A, &held), second);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_INSTALLED], 2);
}

static void
test_sim_routes_detach_last_holds_lan(void **state)
{
	struct fixture *f = *state;
	struct session *a;
	bool held = false;

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	a = attach(f, IMSI_A, 5);
	attach_delete(&f->core, a, "test");
	assert_null(dest(f, LAN_A, &held));
	assert_true(held);
	/* Back again, the device has its LAN again. */
	a = attach(f, IMSI_A, 5);
	assert_ptr_equal(dest(f, LAN_A, &held), a);
}

static void
test_sim_routes_disable_removes_only_its_routes(void **state)
{
	struct fixture *f = *state;
	struct session *a = attach(f, IMSI_A, 5);
	bool held = true;

	/* A Framed-Route the control plane gave the session (the UPF role's). */
	assert_int_equal(
	    session_route_add(f->core.sessions, a, IP4(192, 168, 90, 0), htonl(0xffffff00)), 0);
	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	sim_routes_enable(&f->routes, false);
	assert_null(dest(f, LAN_A, &held));
	assert_false(held);
	assert_null(dest(f, LAN_B, &held));
	assert_false(held);
	assert_ptr_equal(dest(f, IP4(192, 168, 90, 1), &held), a);
}

static void
test_sim_routes_framed_route_conflict_skipped_counted(void **state)
{
	struct fixture *f = *state;
	struct session *b = attach(f, IMSI_B, 5), *a;
	bool held;

	assert_int_equal(
	    session_route_add(f->core.sessions, b, IP4(192, 168, 50, 0), htonl(0xffffff00)), 0);
	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_SKIPPED], 1);
	a = attach(f, IMSI_A, 5);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_SKIPPED], 2);
	assert_ptr_equal(dest(f, LAN_A, &held), b);
	/* Once the Framed-Route has gone with its session, A's next attach has the prefix. */
	attach_delete(&f->core, b, "test");
	attach_delete(&f->core, a, "test");
	a = attach(f, IMSI_A, 5);
	assert_ptr_equal(dest(f, LAN_A, &held), a);
}

static int hook_adds, hook_dels;

static void
count_hook(void *arg, uint32_t net_be, uint32_t mask_be, bool add)
{
	(void)arg, (void)net_be, (void)mask_be;
	if (add)
		hook_adds++;
	else
		hook_dels++;
}

static void
test_sim_routes_set_enabled_moves_and_drops(void **state)
{
	struct fixture *f = *state;
	struct session *a = attach(f, IMSI_A, 5), *b = attach(f, IMSI_B, 5);
	struct sim_table next = { 0 };
	bool held;

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	hook_adds = hook_dels = 0;
	session_set_route_hook(f->core.sessions, count_hook, NULL);
	assert_int_equal(hook_adds, 3);
	/* 192.168.50.0/24 moves to B, 172.16.0.0/12 goes, 192.168.60.0/24 stays. */
	device(&next, IMSI_B);
	prefix(&next, IP4(192, 168, 60, 0), 24);
	prefix(&next, IP4(192, 168, 50, 0), 24);
	hook_adds = 0;
	assert_int_equal(sim_routes_set(&f->routes, &next), 0);
	assert_ptr_equal(dest(f, LAN_A, &held), b);
	assert_ptr_equal(dest(f, LAN_B, &held), b);
	assert_null(dest(f, IP4(172, 16, 0, 1), &held));
	assert_false(held);
	assert_int_equal(hook_adds, 0);
	assert_int_equal(hook_dels, 1);
	(void)a;
}

static void
test_sim_routes_imsi_not_configured_nothing(void **state)
{
	struct fixture *f = *state;
	bool held;

	two_devices(&f->table);
	assert_int_equal(sim_routes_set(&f->routes, &f->table), 0);
	sim_routes_enable(&f->routes, true);
	attach(f, "999010000000003", 5);
	assert_null(dest(f, LAN_A, &held));
	assert_true(held);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SIM_ROUTES_INSTALLED], 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sim_table_check_valid_accepted),
		T(test_sim_table_check_imsi_not_digits_named),
		T(test_sim_table_check_imsi_empty_refused),
		T(test_sim_table_add_device_imsi_too_long_einval),
		T(test_sim_table_check_imsi_twice_names_both),
		T(test_sim_table_check_no_prefix_refused),
		T(test_sim_table_check_too_many_for_imsi_refused),
		T(test_sim_table_add_past_limit_enospc),
		T(test_sim_table_add_prefix_without_device_einval),
		T(test_sim_table_check_host_bits_named),
		T(test_sim_table_check_prefix_len_over_32_refused),
		T(test_sim_table_check_device_subnet_either_way_refused),
		T(test_sim_table_check_overlap_across_devices_names_both),
		T(test_sim_table_check_same_prefix_twice_overlaps),
		T(test_sim_table_check_adjacent_prefixes_accepted),
		T(test_sim_table_check_counts_not_adding_up_malformed),
		T(test_sim_routes_set_invalid_nothing_changed),
		T(test_sim_routes_disabled_installs_nothing),
		T(test_sim_routes_enable_binds_attached_holds_absent),
		T(test_sim_routes_attach_binds_device_lan),
		T(test_sim_routes_second_bearer_never_takes_lan),
		T(test_sim_routes_detach_last_holds_lan),
		T(test_sim_routes_disable_removes_only_its_routes),
		T(test_sim_routes_framed_route_conflict_skipped_counted),
		T(test_sim_routes_set_enabled_moves_and_drops),
		T(test_sim_routes_imsi_not_configured_nothing),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
