/*
 * Unit tests for the XDP maps' contents (src/fwd/xdp_map.c) and the session
 * table's change hook that keeps them current (src/core/session.c): a
 * session as a map entry, which sessions XDP leaves to the socket path, the
 * routing filter as an LPM trie that decides as the ordered list does, and
 * the program's settings. No kernel: the entries are compared as values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fwd/mirror.h"
#include "fwd/peek.h"
#include "fwd/peek_slow.h"
#include "fwd/xdp_map.h"
#include "fwd/xdp_routes.h"
#include "fwd_test.h"

static struct fwd_lab lab;

static int
setup(void **state)
{
	(void)state;
	return fwd_lab_open(&lab);
}

static int
teardown(void **state)
{
	(void)state;
	fwd_lab_close(&lab);
	return 0;
}

static void
test_xdp_map_session_gtp_bearer_fields_in_network_order(void **state)
{
	struct session *s = fwd_attach(&lab, "999010000000001", 0x01020304);
	struct xdp_session e;

	(void)state;
	assert_non_null(s);
	xdp_map_session(s, &e);
	assert_int_equal(e.teid_be, htonl(s->teid));
	assert_int_equal(e.ip_be, s->ip_be);
	assert_int_equal(e.peer_teid_be, htonl(0x01020304));
	assert_int_equal(e.peer_addr_be, SGSN_ADDR);
	assert_int_equal(e.flags, 0);
}

static void
test_xdp_map_session_slow_path_flag_is_slow(void **state)
{
	struct session *s = fwd_attach(&lab, "999010000000001", 7);
	struct xdp_session e;

	(void)state;
	s->flags |= SESSION_F_SLOW_PATH;
	xdp_map_session(s, &e);
	assert_int_equal(e.flags, XDP_SESSION_F_SLOW);
}

static void
test_xdp_map_session_upf_role_is_slow_before_its_rules(void **state)
{
	struct session *s = fwd_attach(&lab, "999010000000001", 7);
	struct xdp_session e;

	(void)state;
	s->owner.role = SESSION_ROLE_UPF;
	assert_int_equal(s->flags & SESSION_F_RULES, 0);
	xdp_map_session(s, &e);
	assert_int_equal(e.flags, XDP_SESSION_F_SLOW);
}

/* What the hook heard: the calls in order, with the TEID and address they named. */
static struct {
	int n;
	bool live[8];
	bool routes[8];
	uint32_t teid[8], ip_be[8], dl_teid[8];
} heard;

static void
record(void *arg, const struct session *s, bool live)
{
	(void)arg;
	if (heard.n == 8)
		return;
	heard.live[heard.n] = live;
	heard.routes[heard.n] = s == NULL;
	heard.teid[heard.n] = s != NULL ? s->teid : 0;
	heard.ip_be[heard.n] = s != NULL ? s->ip_be : 0;
	heard.dl_teid[heard.n] = s != NULL ? s->dl_teid : 0;
	heard.n++;
}

static void
test_session_change_hook_hears_insert_downlink_and_removal_in_order(void **state)
{
	struct session *s;
	uint32_t teid, ip;

	(void)state;
	memset(&heard, 0, sizeof(heard));
	session_set_change_hook(lab.core.sessions, record, NULL);
	s = fwd_attach(&lab, "999010000000001", 7);
	assert_non_null(s);
	teid = s->teid;
	ip = s->ip_be;
	session_set_downlink(lab.core.sessions, s, 9, SGSN_ADDR);
	attach_delete(&lab.core, s, "test");
	assert_true(heard.n >= 3);
	/* Inserted with its tunnel, then the new tunnel, then out with the fields it had. */
	assert_true(heard.live[0] && heard.teid[0] == teid && heard.ip_be[0] == ip);
	assert_true(heard.live[heard.n - 2] && heard.dl_teid[heard.n - 2] == 9);
	assert_false(heard.live[heard.n - 1]);
	assert_int_equal(heard.teid[heard.n - 1], teid);
	assert_int_equal(heard.ip_be[heard.n - 1], ip);
	session_set_change_hook(lab.core.sessions, NULL, NULL);
}

static void
test_session_change_hook_hears_routes_as_no_session(void **state)
{
	(void)state;
	memset(&heard, 0, sizeof(heard));
	session_set_change_hook(lab.core.sessions, record, NULL);
	assert_int_equal(fwd_lan(&lab, "999010000000001", IP4(192, 168, 50, 0), 24), 0);
	assert_int_equal(session_route_count(lab.core.sessions), 1);
	assert_true(heard.n >= 1 && heard.routes[0]);
	session_set_change_hook(lab.core.sessions, NULL, NULL);
}

/* The trie's answer: the longest entry that holds addr; no entry, allow (rule -1). */
static enum filter_action
lpm(const struct xdp_filter_key *k, const struct xdp_filter_value *v, unsigned n, uint32_t addr_be,
    int *rule)
{
	int best = -1;

	for (unsigned i = 0; i < n; i++) {
		uint32_t mask = k[i].prefixlen == 0 ? 0 : htonl(~0u << (32 - k[i].prefixlen));

		if ((addr_be & mask) == k[i].addr_be &&
		    (best < 0 || k[i].prefixlen > k[best].prefixlen))
			best = (int)i;
	}
	*rule = best >= 0 ? (int)v[best].rule : -1;
	return best >= 0 && v[best].verdict == XDP_FILTER_DENY ? FILTER_DENY : FILTER_ALLOW;
}

/* Every address of a sample decides in the trie as in the ordered list, by the same rule. */
static void
assert_same_decisions(const struct filter_rule *rules, unsigned n_rules)
{
	struct xdp_filter_key keys[FILTER_MAX_RULES];
	struct xdp_filter_value values[FILTER_MAX_RULES];
	static const uint32_t sample[] = { 0x0a000001, 0x0a010203, 0x0a01ff01, 0x0a020000,
		0x0b000001, 0xc0a83201, 0xc0a832ff, 0xc0a83301, 0x08080808, 0xffffffff, 0 };
	unsigned n;

	assert_int_equal(filter_set(&lab.filter, rules, n_rules), 0);
	n = xdp_map_filter(&lab.filter, keys, values);
	for (unsigned i = 0; i < sizeof(sample) / sizeof(sample[0]); i++) {
		enum filter_action want;
		int want_rule = filter_match(&lab.filter, htonl(sample[i]), &want), rule;

		if (lpm(keys, values, n, htonl(sample[i]), &rule) != want || rule != want_rule)
			fail_msg("address %08x: the trie says otherwise than the list", sample[i]);
	}
}

static void
test_xdp_map_filter_narrow_allow_under_earlier_deny_is_denied(void **state)
{
	const struct filter_rule r[] = { { FILTER_DENY, IP4(10, 0, 0, 0), 8 },
		{ FILTER_ALLOW, IP4(10, 1, 0, 0), 16 } };
	struct xdp_filter_key keys[FILTER_MAX_RULES];
	struct xdp_filter_value values[FILTER_MAX_RULES];

	(void)state;
	assert_int_equal(filter_set(&lab.filter, r, 2), 0);
	assert_int_equal(xdp_map_filter(&lab.filter, keys, values), 2);
	assert_int_equal(keys[1].prefixlen, 16);
	assert_int_equal(keys[1].addr_be, IP4(10, 1, 0, 0));
	assert_int_equal(values[1].verdict, XDP_FILTER_DENY); /* the /8 deny comes first */
	assert_int_equal(values[1].rule, 0);
	assert_same_decisions(r, 2);
}

static void
test_xdp_map_filter_narrow_allow_before_deny_is_allowed(void **state)
{
	const struct filter_rule r[] = { { FILTER_ALLOW, IP4(10, 1, 0, 0), 16 },
		{ FILTER_DENY, IP4(10, 0, 0, 0), 8 } };
	struct xdp_filter_key keys[FILTER_MAX_RULES];
	struct xdp_filter_value values[FILTER_MAX_RULES];

	(void)state;
	assert_int_equal(filter_set(&lab.filter, r, 2), 0);
	assert_int_equal(xdp_map_filter(&lab.filter, keys, values), 2);
	assert_int_equal(values[0].verdict, XDP_FILTER_ALLOW);
	assert_int_equal(values[0].rule, 0);
	assert_int_equal(values[1].verdict, XDP_FILTER_DENY);
	assert_int_equal(values[1].rule, 1);
	assert_same_decisions(r, 2);
}

static void
test_xdp_map_filter_repeated_range_first_wins_once(void **state)
{
	const struct filter_rule r[] = { { FILTER_ALLOW, IP4(192, 168, 50, 0), 24 },
		{ FILTER_DENY, IP4(192, 168, 50, 0), 24 }, { FILTER_DENY, 0, 0 } };
	struct xdp_filter_key keys[FILTER_MAX_RULES];
	struct xdp_filter_value values[FILTER_MAX_RULES];

	(void)state;
	assert_int_equal(filter_set(&lab.filter, r, 3), 0);
	assert_int_equal(xdp_map_filter(&lab.filter, keys, values), 2);
	assert_int_equal(values[0].verdict, XDP_FILTER_ALLOW);
	assert_int_equal(values[0].rule, 0);
	assert_int_equal(keys[1].prefixlen, 0);
	assert_int_equal(values[1].verdict, XDP_FILTER_DENY);
	assert_int_equal(values[1].rule, 2);
	assert_same_decisions(r, 3);
}

static void
test_xdp_map_filter_mixed_list_decides_as_the_list(void **state)
{
	const struct filter_rule r[] = { { FILTER_ALLOW, IP4(192, 168, 50, 255), 32 },
		{ FILTER_DENY, IP4(192, 168, 50, 0), 24 }, { FILTER_ALLOW, IP4(10, 1, 255, 0), 24 },
		{ FILTER_DENY, IP4(10, 0, 0, 0), 8 }, { FILTER_ALLOW, IP4(192, 168, 0, 0), 16 },
		{ FILTER_DENY, 0, 0 } };

	(void)state;
	assert_same_decisions(r, 6);
}

static void
test_xdp_map_filter_empty_has_no_entries(void **state)
{
	struct xdp_filter_key keys[FILTER_MAX_RULES];
	struct xdp_filter_value values[FILTER_MAX_RULES];

	(void)state;
	assert_int_equal(filter_set(&lab.filter, NULL, 0), 0);
	assert_int_equal(xdp_map_filter(&lab.filter, keys, values), 0);
}

static void
test_xdp_map_conf_gate_redirect_and_addresses(void **state)
{
	struct xdp_conf c;

	(void)state;
	gate_configure(lab.dp.gate, true, 42, false);
	lab.redirect =
	    (struct redirect){ .set = true, .enabled = true, .gateway_be = IP4(10, 10, 10, 10) };
	xdp_map_conf(&lab.dp, IP4(198, 51, 100, 1), true, &c);
	assert_int_equal(c.flags, XDP_CONF_GATE_OPEN | XDP_CONF_REDIRECT | XDP_CONF_ENABLED);
	assert_int_equal(c.vni, 42);
	assert_int_equal(c.redirect_be, IP4(10, 10, 10, 10));
	assert_int_equal(c.gate_be, IP4(198, 51, 100, 1));
	assert_int_equal(c.gtpu_be, lab.dp.local_be);
	assert_int_equal(c.gateway_be, GATEWAY);
	assert_int_equal(c.subnet_be, IP4(10, 10, 0, 0));
	assert_int_equal(c.netmask_be, IP4(255, 255, 0, 0));
	assert_memory_equal(c.mac, gate_mac(lab.dp.gate), 6);
}

static void
test_xdp_map_conf_disabled_redirection_and_closed_gate_are_off(void **state)
{
	struct xdp_conf c;

	(void)state;
	lab.redirect = (struct redirect){ .set = true, .enabled = false };
	xdp_map_conf(&lab.dp, IP4(198, 51, 100, 1), false, &c);
	assert_int_equal(c.flags, 0);
	assert_int_equal(c.redirect_be, 0);
}

static void
test_xdp_map_conf_enabled_mirroring_peer_takes_everything_slow(void **state)
{
	struct mirror m = { .n = 1, .sock = (struct udp_batch *)&lab };
	struct xdp_conf c;

	(void)state;
	lab.dp.mirror = &m;
	m.peers[0].enabled = false;
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(c.flags & XDP_CONF_SLOW_ALL, 0);
	m.peers[0].enabled = true;
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(c.flags & XDP_CONF_SLOW_ALL, XDP_CONF_SLOW_ALL);
	lab.dp.mirror = NULL;
}

/* Peek's tap is on the socket path: while a whole-gateway capture runs, every packet goes there. */
static void
test_xdp_map_conf_whole_gateway_capture_takes_everything_slow(void **state)
{
	struct peek_tap *t = peek_tap_new(4096);
	struct xdp_conf c;

	(void)state;
	assert_non_null(t);
	lab.dp.peek = t;
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(c.flags & XDP_CONF_SLOW_ALL, 0);
	peek_tap_start(t, 2, "");
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(c.flags & XDP_CONF_SLOW_ALL, XDP_CONF_SLOW_ALL);
	peek_tap_stop(t, 2);
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(c.flags & XDP_CONF_SLOW_ALL, 0);
	lab.dp.peek = NULL;
	peek_tap_free(t);
}

/* A capture of one IMSI slows that device's sessions alone, and only while it runs. */
static void
test_xdp_map_capture_of_one_imsi_marks_its_sessions_slow(void **state)
{
	struct peek_tap *t = peek_tap_new(4096);
	struct session *a = fwd_attach(&lab, "999010000000001", 7);
	struct session *b = fwd_attach(&lab, "999010000000002", 8);
	struct xdp_session e;
	struct xdp_conf c;

	(void)state;
	assert_non_null(t);
	assert_non_null(a);
	assert_non_null(b);
	lab.dp.peek = t;
	memset(&heard, 0, sizeof(heard));
	session_set_change_hook(lab.core.sessions, record, NULL);
	peek_tap_start(t, 3, "999010000000002");
	peek_slow_sync(t, lab.core.sessions);
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(c.flags & XDP_CONF_SLOW_ALL, 0);
	xdp_map_session(b, &e);
	assert_int_equal(e.flags, XDP_SESSION_F_SLOW);
	xdp_map_session(a, &e);
	assert_int_equal(e.flags, 0);
	/* The hook heard of b alone, so that its entry in the maps changed with it. */
	assert_int_equal(heard.n, 1);
	assert_true(heard.live[0]);
	assert_int_equal(heard.teid[0], b->teid);
	peek_tap_stop(t, 3);
	peek_slow_sync(t, lab.core.sessions);
	assert_int_equal(b->flags & SESSION_F_SLOW_PATH, 0);
	assert_int_equal(heard.n, 2);
	assert_int_equal(heard.teid[1], b->teid);
	session_set_change_hook(lab.core.sessions, NULL, NULL);
	lab.dp.peek = NULL;
	peek_tap_free(t);
}

static bool
capture_wants(void *arg, const struct session *s)
{
	return peek_slow_wants(arg, s);
}

/* A device attaching while a capture of its IMSI runs is inserted slow: the hook sees it so. */
static void
test_xdp_map_device_attaching_during_its_capture_is_slow_at_once(void **state)
{
	struct peek_tap *t = peek_tap_new(4096);
	struct session *a, *b;

	(void)state;
	assert_non_null(t);
	lab.core.slow_path = capture_wants;
	lab.core.slow_path_arg = t;
	peek_tap_start(t, 0, "999010000000002");
	memset(&heard, 0, sizeof(heard));
	session_set_change_hook(lab.core.sessions, record, NULL);
	a = fwd_attach(&lab, "999010000000001", 7);
	b = fwd_attach(&lab, "999010000000002", 8);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->flags & SESSION_F_SLOW_PATH, 0);
	assert_int_equal(b->flags & SESSION_F_SLOW_PATH, SESSION_F_SLOW_PATH);
	session_set_change_hook(lab.core.sessions, NULL, NULL);
	lab.core.slow_path = NULL;
	peek_tap_free(t);
}

static void
test_xdp_map_conf_privacy_separator_has_its_flag(void **state)
{
	struct xdp_conf c;

	(void)state;
	gate_configure(lab.dp.gate, true, 10, true);
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(
	    c.flags, XDP_CONF_GATE_OPEN | XDP_CONF_PRIVACY_SEPARATOR | XDP_CONF_ENABLED);
	gate_configure(lab.dp.gate, true, 10, false);
	xdp_map_conf(&lab.dp, 0, true, &c);
	assert_int_equal(c.flags & XDP_CONF_PRIVACY_SEPARATOR, 0);
}

/* A LAN whose device is attached: its entry names the device's session. */
static void
test_xdp_map_routes_lan_of_attached_device_is_its_session(void **state)
{
	struct session *s = fwd_attach(&lab, "999010000000001", 7);
	struct xdp_route_entry e[4];

	(void)state;
	assert_non_null(s);
	assert_int_equal(fwd_lan(&lab, "999010000000001", IP4(192, 168, 50, 0), 24), 0);
	assert_int_equal(xdp_map_routes(lab.core.sessions, e, 4), 1);
	assert_int_equal(e[0].key.prefixlen, 24);
	assert_int_equal(e[0].key.addr_be, IP4(192, 168, 50, 0));
	assert_int_equal(e[0].value.teid_be, htonl(s->teid));
}

/*
 * A LAN kept for a device that is not attached is held (TEID 0); the device
 * attaching binds it, detaching holds it again, and the hook hears each.
 */
static void
test_xdp_map_routes_kept_lan_follows_its_device(void **state)
{
	struct xdp_route_entry e[4];
	struct session *s;
	int n_before;

	(void)state;
	memset(&heard, 0, sizeof(heard));
	session_set_change_hook(lab.core.sessions, record, NULL);
	assert_int_equal(fwd_lan(&lab, "999010000000001", IP4(192, 168, 50, 0), 24), 0);
	assert_int_equal(xdp_map_routes(lab.core.sessions, e, 4), 1);
	assert_int_equal(e[0].value.teid_be, 0);
	s = fwd_attach(&lab, "999010000000001", 7);
	assert_non_null(s);
	assert_true(heard.routes[heard.n - 1]);
	assert_int_equal(xdp_map_routes(lab.core.sessions, e, 4), 1);
	assert_int_equal(e[0].value.teid_be, htonl(s->teid));
	n_before = heard.n;
	attach_delete(&lab.core, s, "test");
	assert_true(heard.n > n_before && heard.routes[heard.n - 1]);
	assert_int_equal(xdp_map_routes(lab.core.sessions, e, 4), 1);
	assert_int_equal(e[0].value.teid_be, 0);
	session_set_change_hook(lab.core.sessions, NULL, NULL);
}

/* Sorted by address then prefix, whatever order the table keeps (longest first). */
static void
test_xdp_map_routes_sorted_by_key(void **state)
{
	struct xdp_route_entry e[4];
	struct session_table *t = lab.core.sessions;

	assert_int_equal(
	    session_route_keep(t, NULL, IP4(192, 168, 50, 0), IP4(255, 255, 255, 0)), 0);
	assert_int_equal(
	    session_route_keep(t, NULL, IP4(172, 16, 0, 0), IP4(255, 255, 255, 240)), 0);
	assert_int_equal(session_route_keep(t, NULL, IP4(192, 168, 0, 0), IP4(255, 255, 0, 0)), 0);
	(void)state;
	assert_int_equal(xdp_map_routes(lab.core.sessions, e, 4), 3);
	assert_int_equal(e[0].key.addr_be, IP4(172, 16, 0, 0));
	assert_int_equal(e[1].key.addr_be, IP4(192, 168, 0, 0));
	assert_int_equal(e[1].key.prefixlen, 16);
	assert_int_equal(e[2].key.addr_be, IP4(192, 168, 50, 0));
	assert_int_equal(xdp_map_routes(lab.core.sessions, e, 2), 2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_xdp_map_session_gtp_bearer_fields_in_network_order),
		T(test_xdp_map_session_slow_path_flag_is_slow),
		T(test_xdp_map_session_upf_role_is_slow_before_its_rules),
		T(test_session_change_hook_hears_insert_downlink_and_removal_in_order),
		T(test_session_change_hook_hears_routes_as_no_session),
		T(test_xdp_map_filter_narrow_allow_under_earlier_deny_is_denied),
		T(test_xdp_map_filter_narrow_allow_before_deny_is_allowed),
		T(test_xdp_map_filter_repeated_range_first_wins_once),
		T(test_xdp_map_filter_mixed_list_decides_as_the_list),
		T(test_xdp_map_filter_empty_has_no_entries),
		T(test_xdp_map_conf_gate_redirect_and_addresses),
		T(test_xdp_map_conf_disabled_redirection_and_closed_gate_are_off),
		T(test_xdp_map_conf_enabled_mirroring_peer_takes_everything_slow),
		T(test_xdp_map_conf_whole_gateway_capture_takes_everything_slow),
		T(test_xdp_map_capture_of_one_imsi_marks_its_sessions_slow),
		T(test_xdp_map_device_attaching_during_its_capture_is_slow_at_once),
		T(test_xdp_map_conf_privacy_separator_has_its_flag),
		T(test_xdp_map_routes_lan_of_attached_device_is_its_session),
		T(test_xdp_map_routes_kept_lan_follows_its_device),
		T(test_xdp_map_routes_sorted_by_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
