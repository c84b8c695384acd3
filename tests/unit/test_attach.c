/*
 * Unit tests for the session core's interface (src/core/attach.c), the one
 * way every role creates, moves and deletes sessions: the APN policy, where
 * the address comes from (pool, IMSI map, the control plane's choice), the
 * replacement of a stale session, and that a refusal changes nothing.
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

#include "core/attach.h"
#include "core/counters.h"
#include "core/ippool.h"
#include "core/session.h"
#include "core/sim_routes.h"
#include "io/log.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define IMSI		"999010000000001"

struct fixture {
	struct attach core;
};

/* 10.10.0.0/29, gateway 10.10.0.1: 10.10.0.2 to 10.10.0.6 assignable. */
static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	f->core.pool = ippool_new(IP4(10, 10, 0, 0), 29, IP4(10, 10, 0, 1));
	f->core.sessions = session_table_new(8);
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

static struct attach_req
req(const char *imsi, uint8_t bearer_id, uint8_t role)
{
	return (struct attach_req){ .imsi = imsi,
		.msisdn = "123456789",
		.apn = "internet",
		.bearer_id = bearer_id,
		.owner = { .role = role, .peer_be = IP4(192, 0, 2, 9), .peer_ref = 0x77 },
		.dl_teid = 0x1234,
		.dl_addr_be = IP4(192, 0, 2, 10) };
}

static void
test_attach_create_from_pool_indexed_and_counted(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 5, SESSION_ROLE_GGSN);
	struct session *s = NULL;

	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	assert_non_null(s);
	assert_int_equal(s->ip_be, IP4(10, 10, 0, 2));
	assert_ptr_equal(session_find_teid(f->core.sessions, s->teid), s);
	assert_ptr_equal(session_find_ip(f->core.sessions, s->ip_be), s);
	assert_ptr_equal(session_find_imsi(f->core.sessions, IMSI, 5), s);
	assert_int_equal(s->owner.role, SESSION_ROLE_GGSN);
	assert_int_equal(s->owner.peer_ref, 0x77);
	assert_int_equal(s->dl_teid, 0x1234);
	assert_int_equal(s->dl_addr_be, IP4(192, 0, 2, 10));
	assert_string_equal(s->apn, "internet");
	assert_int_not_equal(s->charging_id, 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 1);
}

static void
test_attach_create_apn_not_served_nothing_changed(void **state)
{
	struct fixture *f = *state;
	const char *apns[] = { "iot.example" };
	struct attach_req r = req(IMSI, 5, SESSION_ROLE_GGSN);
	struct session *s = NULL;

	assert_int_equal(attach_set_apns(&f->core, apns, 1), 0);
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_APN_NOT_SERVED);
	assert_int_equal(session_count(f->core.sessions), 0);
	assert_int_equal(ippool_assigned_count(f->core.pool), 0);
	r.apn = "IoT.Example";
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
}

static void
test_attach_set_apns_too_many_refused(void **state)
{
	struct fixture *f = *state;
	const char *apns[ATTACH_MAX_APNS + 1];

	for (unsigned i = 0; i <= ATTACH_MAX_APNS; i++)
		apns[i] = "internet";
	assert_int_equal(attach_set_apns(&f->core, apns, ATTACH_MAX_APNS + 1), -1);
	assert_int_equal(attach_set_apns(&f->core, apns, ATTACH_MAX_APNS), 0);
}

static void
test_attach_create_imsi_map_honoured(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 5, SESSION_ROLE_UPF);
	struct session *s = NULL;

	assert_int_equal(ippool_map_set(f->core.pool, IMSI, IP4(10, 10, 0, 6)), 0);
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	assert_int_equal(s->ip_be, IP4(10, 10, 0, 6));
}

static void
test_attach_create_chosen_address_taken(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req("", 0, SESSION_ROLE_UPF);
	struct session *s = NULL;

	r.has_address = true;
	r.address_be = IP4(10, 10, 0, 4);
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	assert_int_equal(s->ip_be, IP4(10, 10, 0, 4));
	assert_true(ippool_is_assigned(f->core.pool, IP4(10, 10, 0, 4)));
	/* Without an IMSI the session is not in the IMSI index. */
	assert_null(session_find_imsi_any(f->core.sessions, ""));
}

static void
test_attach_create_chosen_address_outside_refused(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 0, SESSION_ROLE_UPF);
	struct session *s = NULL;

	r.has_address = true;
	r.address_be = IP4(10, 45, 0, 4);
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_ADDRESS_REFUSED);
	r.address_be = IP4(10, 10, 0, 1); /* the gateway's own */
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_ADDRESS_REFUSED);
	assert_int_equal(session_count(f->core.sessions), 0);
}

static void
test_attach_create_chosen_address_in_use_refused(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 0, SESSION_ROLE_UPF);
	struct session *s = NULL;

	r.has_address = true;
	r.address_be = IP4(10, 10, 0, 4);
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	r.imsi = "999010000000002";
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_ADDRESS_REFUSED);
	assert_int_equal(session_count(f->core.sessions), 1);
}

static void
test_attach_create_pool_exhausted(void **state)
{
	struct fixture *f = *state;
	char imsi[16];
	struct session *s;

	for (unsigned i = 0; i < 5; i++) {
		struct attach_req r;

		snprintf(imsi, sizeof(imsi), "99901000000001%u", i % 10);
		r = req(imsi, 5, SESSION_ROLE_GGSN);
		assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	}
	{
		struct attach_req r = req(IMSI, 5, SESSION_ROLE_GGSN);

		assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_POOL_EXHAUSTED);
	}
	assert_int_equal(session_count(f->core.sessions), 5);
}

static void
test_attach_create_same_bearer_replaces_when_asked(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 5, SESSION_ROLE_GGSN);
	struct session *a = NULL, *b = NULL;
	uint32_t old_teid;

	r.replace_same_bearer = true;
	assert_int_equal(attach_create(&f->core, &r, &a), ATTACH_OK);
	old_teid = a->teid;
	assert_int_equal(attach_create(&f->core, &r, &b), ATTACH_OK);
	assert_null(session_find_teid(f->core.sessions, old_teid));
	assert_ptr_equal(session_find_imsi(f->core.sessions, IMSI, 5), b);
	assert_int_equal(session_count(f->core.sessions), 1);
	assert_int_equal(ippool_assigned_count(f->core.pool), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 1);
}

static void
test_attach_create_same_bearer_kept_without_replace(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 0, SESSION_ROLE_UPF);
	struct session *a = NULL, *b = NULL;

	assert_int_equal(attach_create(&f->core, &r, &a), ATTACH_OK);
	assert_int_equal(attach_create(&f->core, &r, &b), ATTACH_OK);
	assert_ptr_not_equal(a, b);
	assert_int_equal(session_count(f->core.sessions), 2);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 0);
}

static void
test_attach_move_downlink_changes_tunnel_only(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 5, SESSION_ROLE_GGSN);
	struct session *s = NULL;
	uint32_t teid;

	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	teid = s->teid;
	attach_move_downlink(&f->core, s, 0x9999, IP4(192, 0, 2, 99));
	assert_int_equal(s->dl_teid, 0x9999);
	assert_int_equal(s->dl_addr_be, IP4(192, 0, 2, 99));
	assert_ptr_equal(session_find_teid(f->core.sessions, teid), s);
}

static void
test_attach_delete_releases_address_and_unindexes(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 5, SESSION_ROLE_GGSN);
	struct session *s = NULL;
	uint32_t teid, ip;

	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	teid = s->teid;
	ip = s->ip_be;
	attach_delete(&f->core, s, "test");
	assert_null(session_find_teid(f->core.sessions, teid));
	assert_null(session_find_ip(f->core.sessions, ip));
	assert_null(session_find_imsi_any(f->core.sessions, IMSI));
	assert_false(ippool_is_assigned(f->core.pool, ip));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_DELETED], 1);
}

static void
test_attach_find_imsi_any_lowest_bearer(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 9, SESSION_ROLE_GGSN);
	struct session *a = NULL, *b = NULL;

	assert_int_equal(attach_create(&f->core, &r, &a), ATTACH_OK);
	r.bearer_id = 6;
	assert_int_equal(attach_create(&f->core, &r, &b), ATTACH_OK);
	assert_ptr_equal(session_find_imsi_any(f->core.sessions, IMSI), b);
}

static void
test_attach_create_same_peer_address_replaces_only_that_peers(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req("", 0, SESSION_ROLE_UPF);
	struct session *a = NULL, *b = NULL;

	r.has_address = true;
	r.address_be = IP4(10, 10, 0, 4);
	r.replace_same_peer_address = true;
	assert_int_equal(attach_create(&f->core, &r, &a), ATTACH_OK);
	/* Another control plane may not take it over. */
	r.owner.peer_be = IP4(192, 0, 2, 99);
	assert_int_equal(attach_create(&f->core, &r, &b), ATTACH_ADDRESS_REFUSED);
	/* The same one asking again has lost the first: it goes. */
	r.owner.peer_be = IP4(192, 0, 2, 9);
	assert_int_equal(attach_create(&f->core, &r, &b), ATTACH_OK);
	assert_int_equal(session_count(f->core.sessions), 1);
	assert_ptr_equal(session_find_ip(f->core.sessions, IP4(10, 10, 0, 4)), b);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 1);
}

static unsigned hooked;

static void
count_deleted(void *arg, const struct session *s)
{
	(void)arg;
	assert_int_equal(s->owner.role, SESSION_ROLE_UPF);
	hooked++;
}

static void
test_attach_delete_tells_the_role(void **state)
{
	struct fixture *f = *state;
	struct attach_req upf = req(IMSI, 0, SESSION_ROLE_UPF),
			  ggsn = req(IMSI, 5, SESSION_ROLE_GGSN);
	struct session *a = NULL, *b = NULL;

	hooked = 0;
	attach_set_role_hook(
	    &f->core, SESSION_ROLE_UPF, &(struct attach_role_hook){ .deleted = count_deleted });
	assert_int_equal(attach_create(&f->core, &upf, &a), ATTACH_OK);
	assert_int_equal(attach_create(&f->core, &ggsn, &b), ATTACH_OK);
	attach_delete(&f->core, b, "test");
	assert_int_equal(hooked, 0);
	attach_delete(&f->core, a, "test");
	assert_int_equal(hooked, 1);
}

/* SIM-based routing follows the device: its LAN is bound at attach and held when it goes. */
static void
test_attach_create_and_delete_tell_sim_routes(void **state)
{
	struct fixture *f = *state;
	struct attach_req r = req(IMSI, 5, SESSION_ROLE_GGSN);
	struct sim_routes *routes = calloc(1, sizeof(*routes));
	struct sim_table *table = calloc(1, sizeof(*table));
	struct session *s = NULL;
	bool held = false;

	assert_non_null(routes);
	assert_non_null(table);
	sim_routes_init(routes, f->core.sessions, IP4(10, 10, 0, 0), 29);
	assert_int_equal(sim_table_add_device(table, IMSI), 0);
	assert_int_equal(sim_table_add_prefix(table, IP4(192, 168, 50, 0), 24), 0);
	assert_int_equal(sim_routes_set(routes, table), 0);
	sim_routes_enable(routes, true);
	f->core.sim_routes = routes;
	assert_int_equal(attach_create(&f->core, &r, &s), ATTACH_OK);
	assert_ptr_equal(session_find_dest(f->core.sessions, IP4(192, 168, 50, 9)), s);
	attach_delete(&f->core, s, "test");
	assert_null(session_find_dest_held(f->core.sessions, IP4(192, 168, 50, 9), &held));
	assert_true(held);
	free(table);
	free(routes);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_attach_create_from_pool_indexed_and_counted),
		T(test_attach_create_apn_not_served_nothing_changed),
		T(test_attach_set_apns_too_many_refused),
		T(test_attach_create_imsi_map_honoured),
		T(test_attach_create_chosen_address_taken),
		T(test_attach_create_chosen_address_outside_refused),
		T(test_attach_create_chosen_address_in_use_refused),
		T(test_attach_create_pool_exhausted),
		T(test_attach_create_same_bearer_replaces_when_asked),
		T(test_attach_create_same_bearer_kept_without_replace),
		T(test_attach_move_downlink_changes_tunnel_only),
		T(test_attach_delete_releases_address_and_unindexes),
		T(test_attach_find_imsi_any_lowest_bearer),
		T(test_attach_create_same_peer_address_replaces_only_that_peers),
		T(test_attach_delete_tells_the_role),
		T(test_attach_create_and_delete_tell_sim_routes),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
