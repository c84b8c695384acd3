/*
 * Unit tests for the PGW's GTPv2-C procedures (src/roles/pgw_*.c). Each
 * request is built with the codec's own builders (src/proto/gtpv2c.h), run
 * through pgw_handle against a real session table and address pool, and the
 * response is parsed back with gtpv2c_parse: the assertions are on the
 * response's header and IEs, on the table and pool, on what the role sent
 * on its own (Echo, Delete Bearer) and on the counters, which every test
 * starts from zero.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "core/attach.h"
#include "core/counters.h"
#include "core/ippool.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/gtpv2c.h"
#include "proto/pco.h"
#include "roles/pgw.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define LOCAL		IP4(192, 0, 2, 2)
#define SGW		IP4(198, 18, 0, 1)
#define SGW_U		IP4(198, 18, 0, 2)
#define OTHER_SGW	IP4(198, 18, 0, 9)
#define SGW_C_TEID	0x0a0b0c01u
#define SGW_U_TEID	0x0a0b0c02u
#define RESTART		7
#define IMSI		"001010000000002"
#define NOW		100000

/* Which IEs a built Create Session Request leaves out or spoils. */
enum omit {
	NO_IMSI = 1 << 0,
	NO_SENDER_FTEID = 1 << 1,
	NO_APN = 1 << 2,
	NO_RAT = 1 << 3,
	NO_BEARER = 1 << 4,
	NO_EBI = 1 << 5,
	NO_SGW_U = 1 << 6,
	NO_QOS = 1 << 7,
};

struct create {
	uint32_t seq;
	const char *imsi;
	const char *apn;
	uint8_t ebi;
	uint8_t pdn_type;
	uint32_t paa_be;
	uint32_t sgw_c_be, sgw_c_teid, sgw_u_teid;
	int recovery; /* -1: none */
	const uint8_t *pco;
	size_t pco_len;
	unsigned omit;
};

struct sent {
	uint8_t msg[512];
	size_t len;
	uint32_t dst_be;
	uint16_t port;
};

struct fixture {
	struct session_table *sessions;
	struct ippool *pool;
	struct attach core;
	struct pgw *pgw;
	uint8_t req[1024];
	size_t req_len;
	uint8_t out[2048];
	size_t out_len;
	struct gtpv2c_msg rsp;
	unsigned n_sent;
	struct sent sent[8];
};

static void
capture_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	struct fixture *f = arg;
	struct sent *s = &f->sent[f->n_sent % 8];

	assert_true(len <= sizeof(s->msg));
	memcpy(s->msg, msg, len);
	s->len = len;
	s->dst_be = dst_be;
	s->port = port;
	f->n_sent++;
}

static int
setup_prefix(void **state, uint8_t prefix)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pgw_config pc = { .gtpc_addr_be = LOCAL,
		.gtpu_addr_be = LOCAL,
		.restart_counter = RESTART,
		.echo_ms = GTP_PEERS_ECHO_MS };

	if (f == NULL)
		return -1;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	f->sessions = session_table_new(64);
	f->pool = ippool_new(IP4(10, 10, 0, 0), prefix, IP4(10, 10, 0, 1));
	f->core.sessions = f->sessions;
	f->core.pool = f->pool;
	f->core.n_apns = 1;
	strcpy(f->core.apns[0], "internet");
	f->pgw = pgw_new(&pc, &f->core, capture_send, f);
	*state = f;
	return f->sessions == NULL || f->pool == NULL || f->pgw == NULL ? -1 : 0;
}

static int
setup(void **state)
{
	return setup_prefix(state, 16);
}

/* A /29: gateway, network and broadcast out, five devices at most. */
static int
setup_small(void **state)
{
	return setup_prefix(state, 29);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	pgw_free(f->pgw);
	session_table_free(f->sessions);
	ippool_free(f->pool);
	free(f);
	return 0;
}

static int
group_setup(void **state)
{
	(void)state;
	log_set_level(LOG_ERR);
	return 0;
}

static struct create
create_req(void)
{
	return (struct create){ .seq = 0x000123,
		.imsi = IMSI,
		.apn = "internet",
		.ebi = 5,
		.pdn_type = GTPV2C_PDN_IPV4,
		.sgw_c_be = SGW,
		.sgw_c_teid = SGW_C_TEID,
		.sgw_u_teid = SGW_U_TEID,
		.recovery = -1 };
}

static const struct gtpv2c_bearer_qos qos9 = { .pci = 1, .priority_level = 8, .qci = 9 };

static void
put_bearer_to_create(struct vpg_wr *w, const struct create *c)
{
	size_t bc = gtpv2c_group_begin(w, GTPV2C_IE_BEARER_CONTEXT, 0);

	if (!(c->omit & NO_EBI))
		gtpv2c_put_ebi(w, 0, c->ebi);
	if (!(c->omit & NO_SGW_U))
		gtpv2c_put_fteid(w, 2, GTPV2C_IF_S5S8_SGW_U, c->sgw_u_teid, SGW_U);
	if (!(c->omit & NO_QOS))
		gtpv2c_put_bearer_qos(w, &qos9);
	gtpv2c_group_end(w, bc);
}

static size_t
build_create(struct fixture *f, const struct create *c)
{
	struct vpg_wr w;
	size_t hdr;
	uint8_t paa[5] = { c->pdn_type };

	memcpy(&paa[1], &c->paa_be, 4);
	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpv2c_build_header(&w, GTPV2C_CREATE_SESSION_REQ, true, 0, c->seq);
	if (!(c->omit & NO_IMSI))
		gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, c->imsi);
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, "8210000000002");
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MEI, "3534900698733190");
	gtpv2c_put_serving_network(&w, &(struct gtpv2c_plmn){ "001", "01" });
	if (!(c->omit & NO_RAT))
		gtpv2c_put_u8(&w, GTPV2C_IE_RAT_TYPE, 0, 6);
	if (!(c->omit & NO_SENDER_FTEID))
		gtpv2c_put_fteid(&w, 0, GTPV2C_IF_S5S8_SGW_C, c->sgw_c_teid, c->sgw_c_be);
	if (!(c->omit & NO_APN))
		gtpv2c_put_apn(&w, c->apn);
	gtpv2c_put_u8(&w, GTPV2C_IE_SELECTION_MODE, 0, 0);
	gtpv2c_put_u8(&w, GTPV2C_IE_PDN_TYPE, 0, c->pdn_type);
	gtpv2c_put_ie(&w, GTPV2C_IE_PAA, 0, paa, sizeof(paa));
	gtpv2c_put_ambr(&w, &(struct gtpv2c_ambr){ 100000, 200000 });
	if (c->pco != NULL)
		gtpv2c_put_ie(&w, GTPV2C_IE_PCO, 0, c->pco, (uint16_t)c->pco_len);
	if (!(c->omit & NO_BEARER))
		put_bearer_to_create(&w, c);
	if (c->recovery >= 0)
		gtpv2c_put_recovery(&w, (uint8_t)c->recovery);
	gtpv2c_build_finish(&w, hdr);
	assert_false(w.overflow);
	f->req_len = w.len;
	return w.len;
}

/* Hands the request to the role from addr and parses the response, if any. */
static size_t
run_from(struct fixture *f, uint32_t from_be, uint64_t now_ms)
{
	struct pgw_rx rx = { .buf = f->req,
		.len = f->req_len,
		.from_be = from_be,
		.from_port = 2123,
		.now_ms = now_ms };

	f->out_len = pgw_handle(f->pgw, &rx, f->out, sizeof(f->out));
	if (f->out_len > 0)
		assert_int_equal(gtpv2c_parse(f->out, f->out_len, &f->rsp), VPG_DROP_NONE);
	return f->out_len;
}

static size_t
run(struct fixture *f)
{
	return run_from(f, SGW, NOW);
}

static struct gtpv2c_cause_ie
rsp_cause(const struct gtpv2c_ies *ies)
{
	const struct gtpv2c_ie *ie = gtpv2c_find(ies, GTPV2C_IE_CAUSE, 0);
	struct gtpv2c_cause_ie c = { 0 };

	assert_non_null(ie);
	assert_int_equal(gtpv2c_ie_cause(ie, &c), 0);
	return c;
}

/* Creates a session as c says and checks it was accepted; returns it. */
static struct session *
attach_ok(struct fixture *f, const struct create *c)
{
	build_create(f, c);
	assert_true(run_from(f, c->sgw_c_be, NOW) > 0);
	assert_int_equal(f->rsp.type, GTPV2C_CREATE_SESSION_RSP);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_REQUEST_ACCEPTED);
	return session_find_imsi(f->sessions, c->imsi, c->ebi);
}

static void
expect_refusal(struct fixture *f, const struct create *c, uint8_t cause, uint8_t type, uint8_t inst)
{
	struct gtpv2c_cause_ie got;

	build_create(f, c);
	assert_true(run(f) > 0);
	assert_int_equal(f->rsp.type, GTPV2C_CREATE_SESSION_RSP);
	got = rsp_cause(&f->rsp.ies);
	assert_int_equal(got.cause, cause);
	assert_int_equal(got.has_offending, type != 0);
	if (type != 0) {
		assert_int_equal(got.offending_type, type);
		assert_int_equal(got.offending_instance, inst);
	}
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(vpg_counters.gtpv2c_tx_cause[cause], 1);
}

static void
test_create_session_accepted(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct session *s = attach_ok(f, &c);
	struct gtpv2c_fteid ctrl, user;
	struct gtpv2c_paa paa;
	struct gtpv2c_ies bc;
	uint32_t charging;
	uint8_t ebi, restart;

	assert_non_null(s);
	assert_int_equal(s->owner.role, SESSION_ROLE_PGW);
	assert_int_equal(s->owner.peer_be, SGW);
	assert_int_equal(s->owner.peer_ref, SGW_C_TEID);
	assert_int_equal(s->dl_teid, SGW_U_TEID);
	assert_int_equal(s->dl_addr_be, SGW_U);
	assert_string_equal(s->apn, "internet");
	assert_string_equal(s->msisdn, "8210000000002");
	/* The response goes to the SGW's control TEID and carries the same sequence number. */
	assert_true(f->rsp.has_teid);
	assert_int_equal(f->rsp.teid, SGW_C_TEID);
	assert_int_equal(f->rsp.seq, c.seq);
	assert_int_equal(gtpv2c_ie_fteid(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_FTEID, 1), &ctrl), 0);
	assert_int_equal(ctrl.iface, GTPV2C_IF_S5S8_PGW_C);
	assert_int_equal(ctrl.teid, s->teid);
	assert_int_equal(ctrl.ipv4_be, LOCAL);
	assert_int_equal(gtpv2c_ie_paa(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_PAA, 0), &paa), 0);
	assert_int_equal(paa.pdn_type, GTPV2C_PDN_IPV4);
	assert_int_equal(paa.ipv4_be, s->ip_be);
	assert_int_equal(ntohl(s->ip_be) >> 16, 0x0a0a);
	assert_int_equal(
	    gtpv2c_ie_u8(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_RECOVERY, 0), &restart), 0);
	assert_int_equal(restart, RESTART);
	assert_non_null(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_APN_RESTRICTION, 0));
	assert_non_null(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_AMBR, 0));
	/* Bearer Context created: EBI, Cause, S5/S8-U PGW F-TEID, Charging ID. */
	assert_int_equal(
	    gtpv2c_parse_grouped(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_BEARER_CONTEXT, 0), &bc),
	    VPG_DROP_NONE);
	assert_int_equal(gtpv2c_ie_ebi(gtpv2c_find(&bc, GTPV2C_IE_EBI, 0), &ebi), 0);
	assert_int_equal(ebi, 5);
	assert_int_equal(rsp_cause(&bc).cause, GTPV2C_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(gtpv2c_ie_fteid(gtpv2c_find(&bc, GTPV2C_IE_FTEID, 2), &user), 0);
	assert_int_equal(user.iface, GTPV2C_IF_S5S8_PGW_U);
	assert_int_equal(user.teid, s->teid);
	assert_int_equal(gtpv2c_ie_u32(gtpv2c_find(&bc, GTPV2C_IE_CHARGING_ID, 0), &charging), 0);
	assert_int_equal(charging, s->charging_id);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 1);
	assert_int_equal(vpg_counters.gtpv2c_rx[GTPV2C_CREATE_SESSION_REQ], 1);
	assert_int_equal(vpg_counters.gtpv2c_tx[GTPV2C_CREATE_SESSION_RSP], 1);
}

static void
test_create_session_view(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct session *s = attach_ok(f, &c);
	struct pgw_session_view v;

	assert_true(pgw_session_view(s, &v));
	assert_int_equal(v.ebi, 5);
	assert_int_equal(v.sgw_c_teid, SGW_C_TEID);
	assert_int_equal(v.sgw_u_teid, SGW_U_TEID);
	assert_int_equal(v.sgw_u_addr_be, SGW_U);
	assert_string_equal(v.mei, "3534900698733190");
	assert_int_equal(v.rat_type, 6);
	assert_string_equal(v.mcc, "001");
	assert_string_equal(v.mnc, "01");
	assert_int_equal(v.apn_ambr_ul_kbps, 100000);
	assert_int_equal(v.apn_ambr_dl_kbps, 200000);
	assert_int_equal(v.qci, 9);
}

static void
test_create_missing_ies_name_the_offender(void **state)
{
	static const struct {
		unsigned omit;
		uint8_t type, instance;
	} cases[] = {
		{ NO_IMSI, GTPV2C_IE_IMSI, 0 },
		{ NO_RAT, GTPV2C_IE_RAT_TYPE, 0 },
		{ NO_APN, GTPV2C_IE_APN, 0 },
		{ NO_BEARER, GTPV2C_IE_BEARER_CONTEXT, 0 },
		{ NO_EBI, GTPV2C_IE_EBI, 0 },
		{ NO_SGW_U, GTPV2C_IE_FTEID, 2 },
		{ NO_QOS, GTPV2C_IE_BEARER_QOS, 0 },
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct create c = create_req();

		memset(&vpg_counters, 0, sizeof(vpg_counters));
		c.omit = cases[i].omit;
		expect_refusal(
		    f, &c, GTPV2C_CAUSE_MANDATORY_IE_MISSING, cases[i].type, cases[i].instance);
		/* The refusal still reaches the SGW's context. */
		assert_int_equal(f->rsp.teid, SGW_C_TEID);
	}
}

static void
test_create_without_sender_fteid_refused_to_teid_zero(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();

	c.omit = NO_SENDER_FTEID;
	expect_refusal(f, &c, GTPV2C_CAUSE_MANDATORY_IE_MISSING, GTPV2C_IE_FTEID, 0);
	assert_int_equal(f->rsp.teid, 0);
}

static void
test_create_reserved_ebi_is_incorrect(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();

	c.ebi = 4;
	expect_refusal(f, &c, GTPV2C_CAUSE_MANDATORY_IE_INCORRECT, GTPV2C_IE_EBI, 0);
}

static void
test_create_unknown_apn_refused(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();

	c.apn = "corporate.example";
	expect_refusal(f, &c, GTPV2C_CAUSE_MISSING_OR_UNKNOWN_APN, 0, 0);
}

static void
test_create_ipv6_refused_ipv4v6_gets_ipv4(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct gtpv2c_paa paa;

	c.pdn_type = GTPV2C_PDN_IPV6;
	expect_refusal(f, &c, GTPV2C_CAUSE_PREFERRED_PDN_TYPE_NOT_SUPPORTED, 0, 0);
	c.pdn_type = GTPV2C_PDN_IPV4V6;
	build_create(f, &c);
	assert_true(run(f) > 0);
	assert_int_equal(
	    rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_NEW_PDN_TYPE_NETWORK_PREFERENCE);
	assert_int_equal(gtpv2c_ie_paa(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_PAA, 0), &paa), 0);
	assert_int_equal(paa.pdn_type, GTPV2C_PDN_IPV4);
	assert_int_equal(session_count(f->sessions), 1);
}

static void
test_create_static_address_honoured_else_pool(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct session *s;

	c.paa_be = IP4(10, 10, 7, 7);
	s = attach_ok(f, &c);
	assert_int_equal(s->ip_be, IP4(10, 10, 7, 7));
	/* Another IMSI asking for the same address gets one from the pool. */
	c.imsi = "001010000000003";
	s = attach_ok(f, &c);
	assert_int_not_equal(s->ip_be, IP4(10, 10, 7, 7));
	/* Outside the subnet: from the pool as well. */
	c.imsi = "001010000000004";
	c.paa_be = IP4(172, 16, 0, 1);
	s = attach_ok(f, &c);
	assert_int_equal(ntohl(s->ip_be) >> 16, 0x0a0a);
}

static void
test_create_pool_exhausted(void **state)
{
	struct fixture *f = *state;
	static const char *const imsis[] = { "001010000000100", "001010000000101",
		"001010000000102", "001010000000103", "001010000000104" };

	for (int i = 0; i < 5; i++) {
		struct create c = create_req();

		c.imsi = imsis[i];
		assert_non_null(attach_ok(f, &c));
	}
	{
		struct create c = create_req();

		c.imsi = "001010000000199";
		memset(&vpg_counters, 0, sizeof(vpg_counters));
		build_create(f, &c);
		assert_true(run(f) > 0);
		assert_int_equal(
		    rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED);
		assert_int_equal(session_count(f->sessions), 5);
	}
}

static void
test_create_same_imsi_and_ebi_replaces(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	uint32_t first_teid = attach_ok(f, &c)->teid;

	c.seq++;
	c.sgw_u_teid = 0x77;
	assert_int_not_equal(attach_ok(f, &c)->teid, first_teid);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 1);
}

static void
test_retransmitted_create_answered_from_cache(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	uint8_t first[2048];
	size_t first_len;

	attach_ok(f, &c);
	memcpy(first, f->out, f->out_len);
	first_len = f->out_len;
	assert_int_equal(run_from(f, SGW, NOW + 3000), first_len);
	assert_memory_equal(f->out, first, first_len);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPV2C_RETRANSMISSIONS_ANSWERED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 1);
}

static size_t
build_modify(struct fixture *f, uint32_t teid, uint32_t seq, uint8_t ebi, uint32_t new_u_teid)
{
	struct vpg_wr w;
	size_t hdr, bc;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpv2c_build_header(&w, GTPV2C_MODIFY_BEARER_REQ, true, teid, seq);
	bc = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ebi(&w, 0, ebi);
	gtpv2c_put_fteid(&w, 1, GTPV2C_IF_S5S8_SGW_U, new_u_teid, IP4(198, 18, 0, 3));
	gtpv2c_group_end(&w, bc);
	gtpv2c_build_finish(&w, hdr);
	f->req_len = w.len;
	return w.len;
}

static void
test_modify_bearer_moves_the_downlink(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct session *s = attach_ok(f, &c);

	build_modify(f, s->teid, 0x200, 5, 0x99);
	assert_true(run(f) > 0);
	assert_int_equal(f->rsp.type, GTPV2C_MODIFY_BEARER_RSP);
	assert_int_equal(f->rsp.teid, SGW_C_TEID);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(s->dl_teid, 0x99);
	assert_int_equal(s->dl_addr_be, IP4(198, 18, 0, 3));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_UPDATED], 1);
}

static void
test_modify_unknown_teid_or_ebi(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct session *s = attach_ok(f, &c);

	build_modify(f, 0xdeadbeef, 0x201, 5, 0x99);
	assert_true(run(f) > 0);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_CONTEXT_NOT_FOUND);
	assert_int_equal(f->rsp.teid, 0);
	build_modify(f, s->teid, 0x202, 6, 0x99);
	assert_true(run(f) > 0);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_CONTEXT_NOT_FOUND);
	assert_int_equal(s->dl_teid, SGW_U_TEID);
}

static size_t
build_delete(struct fixture *f, uint32_t teid, uint32_t seq, int lbi)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpv2c_build_header(&w, GTPV2C_DELETE_SESSION_REQ, true, teid, seq);
	if (lbi >= 0)
		gtpv2c_put_ebi(&w, 0, (uint8_t)lbi);
	gtpv2c_build_finish(&w, hdr);
	f->req_len = w.len;
	return w.len;
}

static void
test_delete_session(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct session *s = attach_ok(f, &c);
	uint32_t teid = s->teid, ip = s->ip_be;

	build_delete(f, teid, 0x300, 6);
	assert_true(run(f) > 0);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(session_count(f->sessions), 1);
	build_delete(f, teid, 0x301, 5);
	assert_true(run(f) > 0);
	assert_int_equal(f->rsp.type, GTPV2C_DELETE_SESSION_RSP);
	assert_int_equal(f->rsp.teid, SGW_C_TEID);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(session_count(f->sessions), 0);
	assert_false(ippool_is_assigned(f->pool, ip));
	build_delete(f, teid, 0x302, 5);
	assert_true(run(f) > 0);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_CONTEXT_NOT_FOUND);
}

static size_t
build_echo(struct fixture *f, uint32_t seq, uint8_t recovery)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpv2c_build_header(&w, GTPV2C_ECHO_REQ, false, 0, seq);
	gtpv2c_put_recovery(&w, recovery);
	gtpv2c_build_finish(&w, hdr);
	f->req_len = w.len;
	return w.len;
}

static void
test_echo_and_a_restarted_sgw_clears_its_sessions(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	uint8_t restart;

	c.recovery = 1;
	attach_ok(f, &c);
	c.imsi = "001010000000005";
	c.sgw_c_be = OTHER_SGW;
	attach_ok(f, &c);
	build_echo(f, 0x400, 1);
	assert_true(run(f) > 0);
	assert_int_equal(f->rsp.type, GTPV2C_ECHO_RSP);
	assert_false(f->rsp.has_teid);
	assert_int_equal(f->rsp.seq, 0x400);
	assert_int_equal(
	    gtpv2c_ie_u8(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_RECOVERY, 0), &restart), 0);
	assert_int_equal(restart, RESTART);
	assert_int_equal(session_count(f->sessions), 2);
	/* A new restart counter: SGW's session goes, the other SGW's stays. */
	build_echo(f, 0x401, 2);
	assert_true(run(f) > 0);
	assert_int_equal(session_count(f->sessions), 1);
	assert_non_null(session_find_imsi(f->sessions, "001010000000005", 5));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PGW_PEER_RESTARTS], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PGW_SESSIONS_PURGED], 1);
}

static void
test_delete_imsi_sends_delete_bearer(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct gtpv2c_msg m;
	uint8_t ebi;

	attach_ok(f, &c);
	assert_int_equal(pgw_delete_imsi(f->pgw, IMSI, NOW), 1);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(f->sent[0].dst_be, SGW);
	assert_int_equal(f->sent[0].port, GTPV2C_PORT);
	assert_int_equal(gtpv2c_parse(f->sent[0].msg, f->sent[0].len, &m), VPG_DROP_NONE);
	assert_int_equal(m.type, GTPV2C_DELETE_BEARER_REQ);
	assert_int_equal(m.teid, SGW_C_TEID);
	assert_int_equal(gtpv2c_ie_ebi(gtpv2c_find(&m.ies, GTPV2C_IE_EBI, 0), &ebi), 0);
	assert_int_equal(ebi, 5);
	/* Unanswered, it is sent again after T3, then given up after N3. */
	pgw_tick(f->pgw, NOW + 3000);
	assert_int_equal(f->n_sent, 2);
	pgw_tick(f->pgw, NOW + 6000);
	pgw_tick(f->pgw, NOW + 9000);
	pgw_tick(f->pgw, NOW + 12000);
	assert_int_equal(f->n_sent, 4);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPV2C_REQUESTS_GIVEN_UP], 1);
	assert_int_equal(pgw_delete_imsi(f->pgw, IMSI, NOW), 0);
}

static void
test_delete_bearer_response_ends_retransmission(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct gtpv2c_msg m;
	struct vpg_wr w;
	size_t hdr;

	attach_ok(f, &c);
	pgw_delete_imsi(f->pgw, IMSI, NOW);
	assert_int_equal(gtpv2c_parse(f->sent[0].msg, f->sent[0].len, &m), VPG_DROP_NONE);
	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpv2c_build_header(&w, GTPV2C_DELETE_BEARER_RSP, true, 0x1234, m.seq);
	gtpv2c_put_cause(&w, GTPV2C_CAUSE_REQUEST_ACCEPTED, 0, 0);
	gtpv2c_build_finish(&w, hdr);
	f->req_len = w.len;
	assert_int_equal(run(f), 0);
	pgw_tick(f->pgw, NOW + 3000);
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPV2C_UNEXPECTED], 0);
	/* The same response again is unexpected now. */
	assert_int_equal(run(f), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPV2C_UNEXPECTED], 1);
}

static void
test_echo_to_sgw_with_sessions_and_path_failure(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct gtpv2c_msg m;
	uint64_t t = NOW;

	attach_ok(f, &c);
	pgw_tick(f->pgw, t);
	assert_int_equal(f->n_sent, 0);
	t += GTP_PEERS_ECHO_MS;
	pgw_tick(f->pgw, t);
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(gtpv2c_parse(f->sent[0].msg, f->sent[0].len, &m), VPG_DROP_NONE);
	assert_int_equal(m.type, GTPV2C_ECHO_REQ);
	assert_int_equal(f->sent[0].dst_be, SGW);
	/* No answer, three retransmissions, then the path is down and the session goes. */
	for (int i = 0; i < 4; i++) {
		t += 3000;
		pgw_tick(f->pgw, t);
	}
	assert_int_equal(f->n_sent, 4);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PGW_PATH_FAILURES], 1);
}

static void
test_modify_bearer_command_triggers_update_bearer(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct session *s = attach_ok(f, &c);
	struct gtpv2c_bearer_qos q = qos9;
	struct gtpv2c_ambr ambr;
	struct gtpv2c_ies bc;
	struct pgw_session_view v;
	struct vpg_wr w;
	size_t hdr, g;

	q.qci = 8;
	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpv2c_build_header(&w, GTPV2C_MODIFY_BEARER_CMD, true, s->teid, 0x800010);
	gtpv2c_put_ambr(&w, &(struct gtpv2c_ambr){ 5000, 6000 });
	g = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ebi(&w, 0, 5);
	gtpv2c_put_bearer_qos(&w, &q);
	gtpv2c_group_end(&w, g);
	gtpv2c_build_finish(&w, hdr);
	f->req_len = w.len;
	assert_true(run(f) > 0);
	assert_int_equal(f->rsp.type, GTPV2C_UPDATE_BEARER_REQ);
	assert_int_equal(f->rsp.seq, 0x800010);
	assert_int_equal(f->rsp.teid, SGW_C_TEID);
	assert_int_equal(gtpv2c_ie_ambr(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_AMBR, 0), &ambr), 0);
	assert_int_equal(ambr.downlink_kbps, 6000);
	assert_int_equal(
	    gtpv2c_parse_grouped(gtpv2c_find(&f->rsp.ies, GTPV2C_IE_BEARER_CONTEXT, 0), &bc),
	    VPG_DROP_NONE);
	assert_non_null(gtpv2c_find(&bc, GTPV2C_IE_BEARER_QOS, 0));
	assert_true(pgw_session_view(s, &v));
	assert_int_equal(v.qci, 8);
	/* Unanswered, the path sends it again to the SGW's control address. */
	pgw_tick(f->pgw, NOW + 3000);
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(f->sent[0].dst_be, SGW);
}

static void
test_other_version_gets_version_not_supported(void **state)
{
	struct fixture *f = *state;
	/* A GTPv1-C Echo Request (TS 29.060), sequence number 0x1234. */
	static const uint8_t v1_echo[] = { 0x32, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x12,
		0x34, 0x00, 0x00 };

	memcpy(f->req, v1_echo, sizeof(v1_echo));
	f->req_len = sizeof(v1_echo);
	assert_true(run(f) > 0);
	assert_int_equal(f->rsp.version, 2);
	assert_int_equal(f->rsp.type, GTPV2C_VERSION_NOT_SUPPORTED);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPV2C_BAD_VERSION], 1);
}

static void
test_truncated_ie_answered_invalid_length(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();

	c.recovery = 1;
	build_create(f, &c);
	/* The last IE, Recovery, claims 3 octets where 1 is left; the header still agrees. */
	assert_int_equal(f->req[f->req_len - 5], GTPV2C_IE_RECOVERY);
	f->req[f->req_len - 3] = 3;
	assert_true(run(f) > 0);
	assert_int_equal(f->rsp.type, GTPV2C_CREATE_SESSION_RSP);
	assert_int_equal(rsp_cause(&f->rsp.ies).cause, GTPV2C_CAUSE_INVALID_LENGTH);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPV2C_BAD_IE], 1);
}

static void
test_request_a_pgw_never_gets_is_dropped(void **state)
{
	struct fixture *f = *state;
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpv2c_build_header(&w, GTPV2C_DELETE_BEARER_REQ, true, 1, 0x10);
	gtpv2c_put_ebi(&w, 0, 5);
	gtpv2c_build_finish(&w, hdr);
	f->req_len = w.len;
	assert_int_equal(run(f), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPV2C_NOT_SERVED], 1);
}

static void
test_pco_dns_and_mtu_answered(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	/* Configuration protocol PPP; DNS Server IPv4 Address Request; IPv4 Link MTU Request. */
	static const uint8_t pco[] = { 0x80, 0x00, 0x0d, 0x00, 0x00, 0x10, 0x00 };
	const struct gtpv2c_ie *answer;
	struct pco_request echo;

	f->core.device_offer = (struct pco_offer){
		.n_dns = 2, .dns_be = { IP4(100, 64, 0, 53), IP4(192, 0, 2, 53) }, .link_mtu = 1400
	};
	c.pco = pco;
	c.pco_len = sizeof(pco);
	attach_ok(f, &c);
	answer = gtpv2c_find(&f->rsp.ies, GTPV2C_IE_PCO, 0);
	assert_non_null(answer);
	/* 0x80, then 0x000D twice (4 octets each) and 0x0010 (2 octets). */
	assert_int_equal(answer->len, 1 + 2 * (3 + 4) + 3 + 2);
	assert_memory_equal(&answer->val[1], "\x00\x0d\x04\x64\x40\x00\x35", 7);
	assert_int_equal(pco_parse(answer->val, answer->len, &echo), 0);
}

static void
test_session_deleted_elsewhere_leaves_peer_count_right(void **state)
{
	struct fixture *f = *state;
	struct create c = create_req();
	struct gtp_peer_view v[4];
	struct session *s = attach_ok(f, &c);

	assert_int_equal(pgw_peers(f->pgw, v, 4), 1);
	assert_int_equal(v[0].sessions, 1);
	attach_delete(&f->core, s, "test");
	assert_int_equal(pgw_peers(f->pgw, v, 4), 1);
	assert_int_equal(v[0].sessions, 0);
}

static void
test_echo_off_sends_nothing_and_ends_nothing(void **state)
{
	struct fixture *f = *state;
	struct pgw_config pc = { .gtpc_addr_be = LOCAL, .gtpu_addr_be = LOCAL, .echo_ms = 0 };
	struct create c = create_req();

	pgw_free(f->pgw);
	f->pgw = pgw_new(&pc, &f->core, capture_send, f);
	assert_non_null(f->pgw);
	attach_ok(f, &c);
	for (uint64_t t = NOW; t < NOW + 10 * GTP_PEERS_ECHO_MS; t += 1000)
		pgw_tick(f->pgw, t);
	assert_int_equal(f->n_sent, 0);
	assert_int_equal(session_count(f->sessions), 1);
}

/* The PGW again, taking GTPv2-C only from allowed. */
static void
restart_with_peers(struct fixture *f, const struct cidr_list *allowed)
{
	struct pgw_config pc = { .gtpc_addr_be = LOCAL,
		.gtpu_addr_be = LOCAL,
		.restart_counter = RESTART,
		.echo_ms = GTP_PEERS_ECHO_MS,
		.allowed_peers = allowed };

	pgw_free(f->pgw);
	f->pgw = pgw_new(&pc, &f->core, capture_send, f);
	assert_non_null(f->pgw);
}

static void
test_create_from_outside_allowed_peers_unanswered(void **state)
{
	struct fixture *f = *state;
	struct cidr_list allowed = { 0 };
	struct create c = create_req();

	assert_int_equal(cidr_list_add(&allowed, IP4(198, 18, 0, 2), 32), 0);
	restart_with_peers(f, &allowed);
	build_create(f, &c);
	assert_int_equal(run_from(f, SGW, NOW), 0);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(pgw_peers(f->pgw, NULL, 0), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPV2C_PEER_NOT_ALLOWED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPV2C_RX_MESSAGES], 0);
	assert_int_equal(f->n_sent, 0);
}

static void
test_create_from_allowed_peer_answered(void **state)
{
	struct fixture *f = *state;
	struct cidr_list allowed = { 0 };
	struct create c = create_req();

	assert_int_equal(cidr_list_add(&allowed, IP4(198, 18, 0, 0), 24), 0);
	restart_with_peers(f, &allowed);
	assert_non_null(attach_ok(f, &c));
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPV2C_PEER_NOT_ALLOWED], 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_session_accepted),
		T(test_create_from_outside_allowed_peers_unanswered),
		T(test_create_from_allowed_peer_answered),
		T(test_create_session_view),
		T(test_create_missing_ies_name_the_offender),
		T(test_create_without_sender_fteid_refused_to_teid_zero),
		T(test_create_reserved_ebi_is_incorrect),
		T(test_create_unknown_apn_refused),
		T(test_create_ipv6_refused_ipv4v6_gets_ipv4),
		T(test_create_static_address_honoured_else_pool),
		cmocka_unit_test_setup_teardown(test_create_pool_exhausted, setup_small, teardown),
		T(test_create_same_imsi_and_ebi_replaces),
		T(test_retransmitted_create_answered_from_cache),
		T(test_modify_bearer_moves_the_downlink),
		T(test_modify_unknown_teid_or_ebi),
		T(test_delete_session),
		T(test_echo_and_a_restarted_sgw_clears_its_sessions),
		T(test_delete_imsi_sends_delete_bearer),
		T(test_delete_bearer_response_ends_retransmission),
		T(test_echo_to_sgw_with_sessions_and_path_failure),
		T(test_modify_bearer_command_triggers_update_bearer),
		T(test_other_version_gets_version_not_supported),
		T(test_truncated_ie_answered_invalid_length),
		T(test_request_a_pgw_never_gets_is_dropped),
		T(test_pco_dns_and_mtu_answered),
		T(test_session_deleted_elsewhere_leaves_peer_count_right),
		T(test_echo_off_sends_nothing_and_ends_nothing),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
