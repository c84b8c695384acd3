/*
 * Unit tests for the GGSN's GTPv1-C procedures (src/roles/ggsn.c). Each
 * request is built with the codec's own builders (src/proto/gtpc.h), run
 * through gtpc_proc_handle against a real session table, address pool and a
 * hand-filled config, and the response is parsed back with gtpc_parse: the
 * assertions are on the response's header and IEs, on the table and pool,
 * and on the counters, which every test starts from zero.
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

#include "conf/config.h"
#include "core/attach.h"
#include "core/counters.h"
#include "roles/sig_path.h"
#include "roles/ggsn.h"
#include "roles/gtp_peers.h"
#include "core/ippool.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/gtpc.h"
#include "proto/pco.h"

#define IP4(a, b, c, d)	 htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define LOCAL		 IP4(192, 0, 2, 2)
#define SGSN_CTRL	 IP4(198, 18, 0, 1)
#define SGSN_DATA	 IP4(198, 18, 0, 2)
#define SGSN_TEID_DATA	 0x0a0b0c01u
#define SGSN_TEID_CTRL	 0x0a0b0c02u
#define RESTART_COUNTER	 7
#define IMSI		 "999010000000001"
#define PDP_TYPE_IPV4	 0x21
#define PDP_TYPE_IPV6	 0x57
#define PDP_ORG_IETF	 0xf1
#define TEARDOWN_IND_SET 0x01

/* Which IEs a built request leaves out. */
enum omit {
	NO_IMSI = 1 << 0,
	NO_TEID_DATA = 1 << 1,
	NO_TEID_CTRL = 1 << 2,
	NO_NSAPI = 1 << 3,
	NO_EUA = 1 << 4,
	NO_APN = 1 << 5,
	NO_GSN_CTRL = 1 << 6, /* and so the data address is the only one */
	NO_GSN_DATA = 1 << 7,
	NO_QOS = 1 << 8,
	NO_MSISDN = 1 << 9,
};

/* A Create or Update PDP Context Request, TS 29.060 §7.3.1 and §7.3.3. */
struct pdp_req {
	uint32_t teid; /* header */
	uint16_t seq;
	const char *imsi;
	uint8_t nsapi;
	uint32_t teid_data, teid_ctrl;
	uint8_t pdp_type;
	const char *apn;
	uint32_t gsn_ctrl_be, gsn_data_be;
	const uint8_t *qos;
	uint16_t qos_len;
	const uint8_t *pco; /* the PCO IE's value; NULL: no PCO IE */
	uint8_t pco_len;
	unsigned omit;
	uint8_t recovery; /* the SGSN's restart counter */
};

/* A QoS profile as sgsnemu sends it (allocation/retention priority, then R97/98 octets). */
static const uint8_t qos_sgsnemu[] = { 0x00, 0x0b, 0x92, 0x1f };

/*
 * sgsnemu's Create PDP Context Request, the capture that tests/unit/test_gtpc.c
 * decodes with tshark: sgsnemu -l 127.0.0.2 -r 127.0.0.1 --imsi 999010000000001
 * --msisdn 123456789 --apn internet. TEID 0, seq 0x0401, TEID Data I 1, TEID C
 * 1, NSAPI 0, EUA IETF/IPv4 dynamic, GSN address 127.0.0.2 twice, QoS.
 */
static const uint8_t create_pdp_req_sgsnemu[] = { 0x32, 0x10, 0x00, 0x67, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x01, 0x00, 0x00, 0x02, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x0e, 0x01,
	0x0f, 0x01, 0x10, 0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x00, 0x01, 0x14, 0x00, 0x1a,
	0x08, 0x00, 0x80, 0x00, 0x02, 0xf1, 0x21, 0x83, 0x00, 0x09, 0x08, 0x69, 0x6e, 0x74, 0x65,
	0x72, 0x6e, 0x65, 0x74, 0x84, 0x00, 0x15, 0x80, 0xc0, 0x23, 0x11, 0x01, 0x01, 0x00, 0x11,
	0x03, 0x6d, 0x69, 0x67, 0x08, 0x68, 0x65, 0x6d, 0x6d, 0x65, 0x6c, 0x69, 0x67, 0x85, 0x00,
	0x04, 0x7f, 0x00, 0x00, 0x02, 0x85, 0x00, 0x04, 0x7f, 0x00, 0x00, 0x02, 0x86, 0x00, 0x06,
	0x91, 0x21, 0x43, 0x65, 0x87, 0xf9, 0x87, 0x00, 0x04, 0x00, 0x0b, 0x92, 0x1f };

struct fixture {
	struct config cfg;
	struct session_table *sessions;
	struct ippool *pool;
	struct attach core;
	struct ggsn gp;
	uint8_t req[512];
	uint8_t out[1024];
	size_t out_len;
	struct gtpc_msg rsp;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	f->cfg.subnet_be = IP4(10, 10, 0, 0);
	f->cfg.prefix = 16;
	f->cfg.gateway_be = IP4(10, 10, 0, 1);
	f->cfg.gtp_addr_be = LOCAL;
	f->cfg.n_apns = 1;
	strcpy(f->cfg.apns[0], "internet");
	f->sessions = session_table_new(64);
	f->pool = ippool_new(f->cfg.subnet_be, f->cfg.prefix, f->cfg.gateway_be);
	f->core.sessions = f->sessions;
	f->core.pool = f->pool;
	f->core.n_apns = 1;
	strcpy(f->core.apns[0], "internet");
	f->core.next_charging_id = 0; /* the first one handed out must still be non-zero */
	f->gp.core = &f->core;
	f->gp.local_be = LOCAL;
	f->gp.restart_counter = RESTART_COUNTER;
	f->gp.echo_ms = GTP_PEERS_ECHO_MS;
	*state = f;
	return f->sessions == NULL || f->pool == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

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

static struct pdp_req
create_req(void)
{
	struct pdp_req r = {
		.seq = 0x1234,
		.imsi = IMSI,
		.nsapi = 5,
		.teid_data = SGSN_TEID_DATA,
		.teid_ctrl = SGSN_TEID_CTRL,
		.pdp_type = PDP_TYPE_IPV4,
		.apn = "internet",
		.gsn_ctrl_be = SGSN_CTRL,
		.gsn_data_be = SGSN_DATA,
		.qos = qos_sgsnemu,
		.qos_len = sizeof(qos_sgsnemu),
		.recovery = 1,
	};

	return r;
}

/* TS 23.003 §9.1: each label preceded by its length. */
static void
put_apn(struct vpg_wr *w, const char *dotted)
{
	uint8_t v[128];
	size_t n = 0;

	while (*dotted != '\0') {
		size_t len = strcspn(dotted, ".");

		v[n++] = (uint8_t)len;
		memcpy(&v[n], dotted, len);
		n += len;
		dotted += len;
		if (*dotted == '.')
			dotted++;
	}
	gtpc_put_tlv(w, GTPC_IE_APN, v, (uint16_t)n);
}

/* The IEs of a Create or Update, in ascending type order (TS 29.060 §7.7). */
static size_t
build_pdp_req(struct fixture *f, uint8_t type, const struct pdp_req *r)
{
	static const uint8_t msisdn[] = { 0x91, 0x21, 0x43, 0x65, 0x87, 0xf9 };
	uint8_t eua[2] = { PDP_ORG_IETF, r->pdp_type };
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, type, r->teid, r->seq);
	if (type == GTPC_CREATE_PDP_REQ && !(r->omit & NO_IMSI))
		gtpc_put_imsi(&w, r->imsi);
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, r->recovery);
	if (!(r->omit & NO_TEID_DATA))
		gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, r->teid_data);
	if (!(r->omit & NO_TEID_CTRL))
		gtpc_put_tv32(&w, GTPC_IE_TEID_CONTROL, r->teid_ctrl);
	if (!(r->omit & NO_NSAPI))
		gtpc_put_tv8(&w, GTPC_IE_NSAPI, r->nsapi);
	if (type == GTPC_CREATE_PDP_REQ && !(r->omit & NO_EUA))
		gtpc_put_tlv(&w, GTPC_IE_END_USER_ADDRESS, eua, sizeof(eua));
	if (type == GTPC_CREATE_PDP_REQ && !(r->omit & NO_APN))
		put_apn(&w, r->apn);
	if (type == GTPC_CREATE_PDP_REQ && r->pco != NULL)
		gtpc_put_tlv(&w, GTPC_IE_PCO, r->pco, r->pco_len);
	if (!(r->omit & NO_GSN_CTRL))
		gtpc_put_gsn_ipv4(&w, r->gsn_ctrl_be);
	if (!(r->omit & NO_GSN_DATA))
		gtpc_put_gsn_ipv4(&w, r->gsn_data_be);
	if (type == GTPC_CREATE_PDP_REQ && !(r->omit & NO_MSISDN))
		gtpc_put_tlv(&w, GTPC_IE_MSISDN, msisdn, sizeof(msisdn));
	if (!(r->omit & NO_QOS))
		gtpc_put_tlv(&w, GTPC_IE_QOS_PROFILE, r->qos, r->qos_len);
	gtpc_build_finish(&w, hdr);
	assert_false(w.overflow);
	return w.len;
}

/* Delete PDP Context Request, TS 29.060 §7.3.5. */
static size_t
build_delete(struct fixture *f, uint32_t teid, bool has_nsapi, uint8_t nsapi, bool has_teardown,
    uint8_t teardown)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_DELETE_PDP_REQ, teid, 0x0777);
	if (has_teardown)
		gtpc_put_tv8(&w, GTPC_IE_TEARDOWN_IND, teardown);
	if (has_nsapi)
		gtpc_put_tv8(&w, GTPC_IE_NSAPI, nsapi);
	gtpc_build_finish(&w, hdr);
	assert_false(w.overflow);
	return w.len;
}

/* Runs one datagram; when there is an answer, it must parse. */
static size_t
handle(struct fixture *f, const uint8_t *buf, size_t len)
{
	struct gtpc_rx rx = { .buf = buf, .len = len, .from_be = SGSN_CTRL, .from_port = 2123 };

	f->out_len = ggsn_handle(&f->gp, &rx, f->out, sizeof(f->out));
	memset(&f->rsp, 0, sizeof(f->rsp));
	if (f->out_len > 0)
		assert_int_equal(gtpc_parse(f->out, f->out_len, &f->rsp), VPG_DROP_NONE);
	return f->out_len;
}

static size_t
send_create(struct fixture *f, const struct pdp_req *r)
{
	return handle(f, f->req, build_pdp_req(f, GTPC_CREATE_PDP_REQ, r));
}

static uint8_t
rsp_u8(const struct fixture *f, uint8_t type)
{
	uint8_t v = 0;

	assert_int_equal(gtpc_ie_u8(&f->rsp.ie[type], &v), 0);
	return v;
}

static uint32_t
rsp_u32(const struct fixture *f, uint8_t type)
{
	uint32_t v = 0;

	assert_int_equal(gtpc_ie_u32(&f->rsp.ie[type], &v), 0);
	return v;
}

/* A response of type with cause, to header TEID teid. */
static void
assert_rsp(const struct fixture *f, uint8_t type, uint32_t teid, uint8_t cause)
{
	assert_true(f->out_len > 0);
	assert_int_equal(f->rsp.version, 1);
	assert_int_equal(f->rsp.type, type);
	assert_int_equal(f->rsp.teid, teid);
	assert_true(f->rsp.has_seq);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), cause);
	assert_int_equal(vpg_counters.gtpc_tx[type], 1);
	assert_int_equal(vpg_counters.gtpc_tx_cause[cause], 1);
}

/* A refused Create: the cause, our Recovery, and nothing created. */
static void
assert_create_refused(const struct fixture *f, uint32_t teid, uint8_t cause)
{
	assert_rsp(f, GTPC_CREATE_PDP_RSP, teid, cause);
	assert_int_equal(f->rsp.seq, 0x1234);
	assert_int_equal(rsp_u8(f, GTPC_IE_RECOVERY), RESTART_COUNTER);
	assert_false(f->rsp.ie[GTPC_IE_END_USER_ADDRESS].present);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(ippool_assigned_count(f->pool), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 0);
}

/* Creates a context for imsi and nsapi, then zeroes the counters for the step under test. */
static struct session *
attach(struct fixture *f, const char *imsi, uint8_t nsapi)
{
	struct pdp_req r = create_req();
	struct session *s;

	r.imsi = imsi;
	r.nsapi = nsapi;
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	s = session_find_imsi(f->sessions, imsi, nsapi);
	assert_non_null(s);
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	return s;
}

static void
test_ggsn_handle_echo_recovery_restart_counter(void **state)
{
	struct fixture *f = *state;
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_ECHO_REQ, 0, 0x0400);
	gtpc_build_finish(&w, hdr);
	assert_int_equal(handle(f, f->req, w.len), 14);
	assert_int_equal(f->rsp.type, GTPC_ECHO_RSP);
	assert_int_equal(f->rsp.teid, 0);
	assert_int_equal(f->rsp.seq, 0x0400);
	assert_int_equal(rsp_u8(f, GTPC_IE_RECOVERY), RESTART_COUNTER);
	assert_int_equal(vpg_counters.gtpc_rx[GTPC_ECHO_REQ], 1);
	assert_int_equal(vpg_counters.gtpc_tx[GTPC_ECHO_RSP], 1);
	assert_int_equal(counters_total_drops(), 0);
}

static void
test_ggsn_handle_create_accepted_cause_128(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.seq, 0x1234);
	assert_int_equal(rsp_u8(f, GTPC_IE_RECOVERY), RESTART_COUNTER);
	assert_true(f->rsp.ie[GTPC_IE_REORDERING_REQUIRED].present);
	assert_int_equal(vpg_counters.gtpc_rx[GTPC_CREATE_PDP_REQ], 1);
}

static void
test_ggsn_handle_create_eua_from_pool(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	struct gtpc_eua eua;
	struct session *s;

	assert_true(send_create(f, &r) > 0);
	assert_int_equal(gtpc_ie_eua(&f->rsp.ie[GTPC_IE_END_USER_ADDRESS], &eua), 0);
	assert_true(eua.ipv4);
	assert_true(eua.has_address);
	assert_true(config_in_subnet(&f->cfg, eua.addr_be));
	assert_int_not_equal(eua.addr_be, f->cfg.gateway_be);
	assert_true(ippool_is_assigned(f->pool, eua.addr_be));
	s = session_find_ip(f->sessions, eua.addr_be);
	assert_non_null(s);
	assert_string_equal(s->imsi, IMSI);
}

static void
test_ggsn_handle_create_teids_are_session_teid(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	struct session *s;

	assert_true(send_create(f, &r) > 0);
	s = session_find_imsi(f->sessions, IMSI, 5);
	assert_non_null(s);
	assert_int_equal(rsp_u32(f, GTPC_IE_TEID_DATA_I), s->teid);
	assert_int_equal(rsp_u32(f, GTPC_IE_TEID_CONTROL), s->teid);
	assert_ptr_equal(session_find_teid(f->sessions, s->teid), s);
}

static void
test_ggsn_handle_create_gsn_addresses_local(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	uint32_t ctrl = 0, data = 0;

	assert_true(send_create(f, &r) > 0);
	assert_int_equal(gtpc_ie_ipv4(&f->rsp.ie[GTPC_IE_GSN_ADDRESS], &ctrl), 0);
	assert_int_equal(gtpc_ie_ipv4(&f->rsp.gsn_addr2, &data), 0);
	assert_int_equal(ctrl, LOCAL);
	assert_int_equal(data, LOCAL);
}

static void
test_ggsn_handle_create_qos_echoed(void **state)
{
	struct fixture *f = *state;
	static const uint8_t qos[] = { 0x02, 0x23, 0x72, 0x1f, 0x91, 0x97, 0xfe, 0xfe, 0x74, 0xf9,
		0xff, 0xff, 0x00, 0x4a };
	struct pdp_req r = create_req();

	r.qos = qos;
	r.qos_len = sizeof(qos);
	assert_true(send_create(f, &r) > 0);
	assert_true(f->rsp.ie[GTPC_IE_QOS_PROFILE].present);
	assert_int_equal(f->rsp.ie[GTPC_IE_QOS_PROFILE].len, sizeof(qos));
	assert_memory_equal(f->rsp.ie[GTPC_IE_QOS_PROFILE].val, qos, sizeof(qos));
}

static void
test_ggsn_handle_create_charging_id_nonzero(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	struct session *s;

	assert_true(send_create(f, &r) > 0);
	s = session_find_imsi(f->sessions, IMSI, 5);
	assert_non_null(s);
	assert_int_not_equal(rsp_u32(f, GTPC_IE_CHARGING_ID), 0);
	assert_int_equal(rsp_u32(f, GTPC_IE_CHARGING_ID), s->charging_id);
}

static void
test_ggsn_handle_create_charging_ids_differ(void **state)
{
	struct fixture *f = *state;
	struct session *a = attach(f, IMSI, 5), *b = attach(f, IMSI, 6);

	assert_int_not_equal(a->charging_id, 0);
	assert_int_not_equal(b->charging_id, 0);
	assert_int_not_equal(a->charging_id, b->charging_id);
}

static void
test_ggsn_handle_create_counts_session_created(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	assert_true(send_create(f, &r) > 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_RX_MESSAGES], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_TX_MESSAGES], 1);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(ippool_assigned_count(f->pool), 1);
}

static void
test_ggsn_handle_create_session_keeps_sgsn_side(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	struct session *s;

	assert_true(send_create(f, &r) > 0);
	s = session_find_imsi(f->sessions, IMSI, 5);
	assert_non_null(s);
	assert_int_equal(s->dl_teid, SGSN_TEID_DATA);
	assert_int_equal(s->owner.peer_ref, SGSN_TEID_CTRL);
	assert_int_equal(s->owner.peer_be, SGSN_CTRL);
	assert_int_equal(s->dl_addr_be, SGSN_DATA);
	assert_string_equal(s->msisdn, "123456789");
	assert_string_equal(s->apn, "internet");
	assert_int_equal(s->owner.role, SESSION_ROLE_GGSN);
	assert_int_equal(s->owner.local_ref, s->teid);
	/* The QoS profile is kept with the session: the response echoes it. */
	assert_memory_equal(f->rsp.ie[GTPC_IE_QOS_PROFILE].val, qos_sgsnemu, sizeof(qos_sgsnemu));
}

static void
test_ggsn_handle_create_sgsnemu_capture_accepted(void **state)
{
	struct fixture *f = *state;
	struct session *s;

	assert_true(handle(f, create_pdp_req_sgsnemu, sizeof(create_pdp_req_sgsnemu)) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, 1, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.seq, 0x0401);
	s = session_find_imsi(f->sessions, IMSI, 0);
	assert_non_null(s);
	assert_int_equal(s->dl_teid, 1);
	assert_int_equal(s->dl_addr_be, IP4(127, 0, 0, 2));
}

static void
test_ggsn_handle_create_mapped_imsi_gets_mapped(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	struct gtpc_eua eua;

	assert_int_equal(ippool_map_set(f->pool, IMSI, IP4(10, 10, 0, 50)), 0);
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(gtpc_ie_eua(&f->rsp.ie[GTPC_IE_END_USER_ADDRESS], &eua), 0);
	assert_int_equal(eua.addr_be, IP4(10, 10, 0, 50));
}

static void
test_ggsn_handle_create_no_imsi_202(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_IMSI;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_no_teid_data_202(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_TEID_DATA;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_no_teid_ctrl_202_teid_0(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_TEID_CTRL;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, 0, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_no_nsapi_202(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_NSAPI;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_no_eua_202(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_EUA;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_no_gsn_address_202(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_GSN_CTRL | NO_GSN_DATA;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_one_gsn_address_202(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_GSN_DATA;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_no_qos_202(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_QOS;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
}

static void
test_ggsn_handle_create_teid_data_0_201(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.teid_data = 0;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_INCORRECT);
}

static void
test_ggsn_handle_create_empty_qos_201(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.qos_len = 0;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_INCORRECT);
}

static void
test_ggsn_handle_create_qos_too_long_201(void **state)
{
	struct fixture *f = *state;
	uint8_t qos[GGSN_QOS_MAX + 1] = { 0 };
	struct pdp_req r = create_req();

	r.qos = qos;
	r.qos_len = sizeof(qos);
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_INCORRECT);
}

static void
test_ggsn_handle_create_nsapi_spare_bits_ignored(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	struct session *s;

	r.nsapi = 0xf5;
	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	s = session_find_imsi(f->sessions, IMSI, 5);
	assert_non_null(s);
	assert_int_equal(s->bearer_id, 5);
}

static void
test_ggsn_handle_create_bad_imsi_digit_201(void **state)
{
	struct fixture *f = *state;
	/* TBCD with 0xa in a nibble: not a digit (TS 29.002 TBCD-STRING). */
	static const uint8_t bad_imsi[8] = { 0x99, 0x09, 0xa1, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	struct pdp_req r = create_req();
	uint16_t hdr_len;
	size_t len;

	r.omit = NO_IMSI;
	len = build_pdp_req(f, GTPC_CREATE_PDP_REQ, &r);
	/* The IMSI goes right after the header, as its type (2) is the lowest. */
	memmove(f->req + 12 + 9, f->req + 12, len - 12);
	f->req[12] = GTPC_IE_IMSI;
	memcpy(f->req + 13, bad_imsi, sizeof(bad_imsi));
	hdr_len = (uint16_t)((f->req[2] << 8 | f->req[3]) + 9);
	f->req[2] = (uint8_t)(hdr_len >> 8);
	f->req[3] = (uint8_t)hdr_len;
	assert_true(handle(f, f->req, len + 9) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_INCORRECT);
}

static void
test_ggsn_handle_create_apn_not_configured_219(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.apn = "other.example";
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MISSING_OR_UNKNOWN_APN);
}

static void
test_ggsn_handle_create_apn_absent_219(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.omit = NO_APN;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MISSING_OR_UNKNOWN_APN);
}

static void
test_ggsn_handle_create_apn_other_case_accepted(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	/* TS 23.003 §9.1: APNs compare case-insensitively. */
	r.apn = "Internet";
	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
}

static void
test_ggsn_handle_create_no_apns_configured_any_accepted(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	f->core.n_apns = 0;
	r.apn = "anything.example";
	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_string_equal(session_find_imsi(f->sessions, IMSI, 5)->apn, "anything.example");
}

static void
test_ggsn_handle_create_eua_ipv6_220(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.pdp_type = PDP_TYPE_IPV6;
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_UNKNOWN_PDP_ADDRESS_OR_TYPE);
}

static void
test_ggsn_handle_create_pool_exhausted_211(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	/* A /30 with its gateway has one address to give. */
	ippool_free(f->pool);
	f->pool = ippool_new(IP4(10, 10, 0, 0), 30, IP4(10, 10, 0, 1));
	assert_non_null(f->pool);
	f->core.pool = f->pool;
	attach(f, "999010000000002", 5);
	assert_true(send_create(f, &r) > 0);
	assert_rsp(
	    f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED);
	assert_null(session_find_imsi(f->sessions, IMSI, 5));
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 0);
}

static void
test_ggsn_handle_create_duplicate_replaces(void **state)
{
	struct fixture *f = *state;
	struct session *old = attach(f, IMSI, 5), *s;
	uint32_t old_teid = old->teid, old_ip = old->ip_be;
	struct pdp_req r = create_req();
	struct gtpc_eua eua;

	r.teid_data = 0x0a0b0d01;
	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_null(session_find_teid(f->sessions, old_teid));
	s = session_find_imsi(f->sessions, IMSI, 5);
	assert_non_null(s);
	assert_int_not_equal(s->teid, old_teid);
	assert_int_equal(s->dl_teid, 0x0a0b0d01);
	assert_int_equal(gtpc_ie_eua(&f->rsp.ie[GTPC_IE_END_USER_ADDRESS], &eua), 0);
	assert_int_equal(eua.addr_be, s->ip_be);
	assert_true(s->ip_be == old_ip || !ippool_is_assigned(f->pool, old_ip));
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(ippool_assigned_count(f->pool), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_DELETED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 1);
}

static void
test_ggsn_handle_create_other_nsapi_second_context(void **state)
{
	struct fixture *f = *state;
	struct session *a = attach(f, IMSI, 5);
	struct pdp_req r = create_req();

	r.nsapi = 6;
	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_ptr_equal(session_find_imsi(f->sessions, IMSI, 5), a);
	assert_non_null(session_find_imsi(f->sessions, IMSI, 6));
	assert_int_equal(session_count(f->sessions), 2);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 0);
}

static void
test_ggsn_handle_update_unknown_teid_192_teid_0(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.teid = 0x12345678;
	assert_true(handle(f, f->req, build_pdp_req(f, GTPC_UPDATE_PDP_REQ, &r)) > 0);
	assert_rsp(f, GTPC_UPDATE_PDP_RSP, 0, GTPC_CAUSE_NON_EXISTENT);
	assert_int_equal(f->rsp.seq, 0x1234);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_UPDATED], 0);
}

static void
test_ggsn_handle_update_changes_sgsn_side(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	struct pdp_req r = create_req();

	r.teid = s->teid;
	r.teid_data = 0x0b000001;
	r.teid_ctrl = 0x0b000002;
	r.gsn_ctrl_be = IP4(198, 18, 1, 1);
	r.gsn_data_be = IP4(198, 18, 1, 2);
	assert_true(handle(f, f->req, build_pdp_req(f, GTPC_UPDATE_PDP_REQ, &r)) > 0);
	assert_rsp(f, GTPC_UPDATE_PDP_RSP, 0x0b000002, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(s->dl_teid, 0x0b000001);
	assert_int_equal(s->owner.peer_ref, 0x0b000002);
	assert_int_equal(s->owner.peer_be, IP4(198, 18, 1, 1));
	assert_int_equal(s->dl_addr_be, IP4(198, 18, 1, 2));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_UPDATED], 1);
}

static void
test_ggsn_handle_update_response_ies(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	struct pdp_req r = create_req();
	uint32_t ctrl = 0, data = 0;

	r.teid = s->teid;
	assert_true(handle(f, f->req, build_pdp_req(f, GTPC_UPDATE_PDP_REQ, &r)) > 0);
	assert_rsp(f, GTPC_UPDATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(rsp_u8(f, GTPC_IE_RECOVERY), RESTART_COUNTER);
	assert_int_equal(rsp_u32(f, GTPC_IE_TEID_DATA_I), s->teid);
	assert_int_equal(rsp_u32(f, GTPC_IE_TEID_CONTROL), s->teid);
	assert_int_equal(rsp_u32(f, GTPC_IE_CHARGING_ID), s->charging_id);
	assert_int_equal(gtpc_ie_ipv4(&f->rsp.ie[GTPC_IE_GSN_ADDRESS], &ctrl), 0);
	assert_int_equal(gtpc_ie_ipv4(&f->rsp.gsn_addr2, &data), 0);
	assert_int_equal(ctrl, LOCAL);
	assert_int_equal(data, LOCAL);
	assert_memory_equal(f->rsp.ie[GTPC_IE_QOS_PROFILE].val, qos_sgsnemu, sizeof(qos_sgsnemu));
}

static void
test_ggsn_handle_update_without_teid_ctrl_keeps_it(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	struct pdp_req r = create_req();

	r.teid = s->teid;
	r.teid_data = 0x0b000001;
	r.omit = NO_TEID_CTRL;
	assert_true(handle(f, f->req, build_pdp_req(f, GTPC_UPDATE_PDP_REQ, &r)) > 0);
	assert_rsp(f, GTPC_UPDATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(s->dl_teid, 0x0b000001);
	assert_int_equal(s->owner.peer_ref, SGSN_TEID_CTRL);
}

static void
test_ggsn_handle_update_other_nsapi_192(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	struct pdp_req r = create_req();

	r.teid = s->teid;
	r.nsapi = 6;
	r.teid_data = 0x0b000001;
	assert_true(handle(f, f->req, build_pdp_req(f, GTPC_UPDATE_PDP_REQ, &r)) > 0);
	assert_rsp(f, GTPC_UPDATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_NON_EXISTENT);
	assert_int_equal(s->dl_teid, SGSN_TEID_DATA);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_UPDATED], 0);
}

static void
test_ggsn_handle_update_no_qos_202(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	struct pdp_req r = create_req();

	r.teid = s->teid;
	r.teid_data = 0x0b000001;
	r.omit = NO_QOS;
	assert_true(handle(f, f->req, build_pdp_req(f, GTPC_UPDATE_PDP_REQ, &r)) > 0);
	assert_rsp(f, GTPC_UPDATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(s->dl_teid, SGSN_TEID_DATA);
}

static void
test_ggsn_handle_delete_accepted_session_gone(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	uint32_t teid = s->teid, ip = s->ip_be;

	assert_true(handle(f, f->req, build_delete(f, teid, true, 5, false, 0)) > 0);
	assert_rsp(f, GTPC_DELETE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.seq, 0x0777);
	assert_null(session_find_teid(f->sessions, teid));
	assert_null(session_find_ip(f->sessions, ip));
	assert_null(session_find_imsi(f->sessions, IMSI, 5));
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_DELETED], 1);
}

static void
test_ggsn_handle_delete_address_back_in_pool(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	uint32_t ip = s->ip_be;

	assert_true(handle(f, f->req, build_delete(f, s->teid, true, 5, false, 0)) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_false(ippool_is_assigned(f->pool, ip));
	assert_int_equal(ippool_assigned_count(f->pool), 0);
}

static void
test_ggsn_handle_delete_unknown_teid_192(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);

	assert_true(handle(f, f->req, build_delete(f, s->teid + 1, true, 5, false, 0)) > 0);
	assert_rsp(f, GTPC_DELETE_PDP_RSP, 0, GTPC_CAUSE_NON_EXISTENT);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_DELETED], 0);
}

static void
test_ggsn_handle_delete_teardown_removes_every_nsapi(void **state)
{
	struct fixture *f = *state;
	struct session *a = attach(f, IMSI, 5);
	struct session *other = attach(f, "999010000000002", 5);

	attach(f, IMSI, 6);
	attach(f, IMSI, 15);
	assert_true(
	    handle(f, f->req, build_delete(f, a->teid, true, 5, true, TEARDOWN_IND_SET)) > 0);
	assert_rsp(f, GTPC_DELETE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_null(session_find_imsi(f->sessions, IMSI, 5));
	assert_null(session_find_imsi(f->sessions, IMSI, 6));
	assert_null(session_find_imsi(f->sessions, IMSI, 15));
	assert_ptr_equal(session_find_imsi(f->sessions, "999010000000002", 5), other);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(ippool_assigned_count(f->pool), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_DELETED], 3);
}

static void
test_ggsn_handle_delete_teardown_clear_removes_one(void **state)
{
	struct fixture *f = *state;
	struct session *a = attach(f, IMSI, 5), *b = attach(f, IMSI, 6);

	assert_true(handle(f, f->req, build_delete(f, a->teid, true, 5, true, 0x00)) > 0);
	assert_rsp(f, GTPC_DELETE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_null(session_find_imsi(f->sessions, IMSI, 5));
	assert_ptr_equal(session_find_imsi(f->sessions, IMSI, 6), b);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_DELETED], 1);
}

static void
test_ggsn_handle_delete_no_nsapi_202(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);

	assert_true(handle(f, f->req, build_delete(f, s->teid, false, 0, false, 0)) > 0);
	assert_rsp(f, GTPC_DELETE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_MISSING);
	assert_ptr_equal(session_find_teid(f->sessions, s->teid), s);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_DELETED], 0);
}

static void
test_ggsn_handle_delete_other_nsapi_201(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);

	assert_true(handle(f, f->req, build_delete(f, s->teid, true, 6, false, 0)) > 0);
	assert_rsp(f, GTPC_DELETE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_MANDATORY_IE_INCORRECT);
	assert_ptr_equal(session_find_teid(f->sessions, s->teid), s);
	assert_int_equal(session_count(f->sessions), 1);
}

/* A Create whose GSN Address claims more octets than the message holds. */
static size_t
build_create_ie_overrun(struct fixture *f, uint32_t teid)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_CREATE_PDP_REQ, teid, 0x1234);
	gtpc_put_imsi(&w, IMSI);
	gtpc_put_tv32(&w, GTPC_IE_TEID_CONTROL, SGSN_TEID_CTRL);
	wr_u8(&w, GTPC_IE_GSN_ADDRESS);
	wr_be16(&w, 64);
	wr_be32(&w, SGSN_CTRL);
	gtpc_build_finish(&w, hdr);
	assert_false(w.overflow);
	return w.len;
}

static void
test_ggsn_handle_create_ie_overrun_193(void **state)
{
	struct fixture *f = *state;

	assert_true(handle(f, f->req, build_create_ie_overrun(f, 0)) > 0);
	assert_create_refused(f, 0, GTPC_CAUSE_INVALID_MESSAGE_FORMAT);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_BAD_IE], 1);
	assert_int_equal(counters_total_drops(), 1);
}

static void
test_ggsn_handle_update_ie_overrun_193_to_session(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_UPDATE_PDP_REQ, s->teid, 0x0042);
	gtpc_put_tv32(&w, GTPC_IE_TEID_DATA_I, 0x0b000001);
	wr_u8(&w, GTPC_IE_QOS_PROFILE);
	wr_be16(&w, 200);
	gtpc_build_finish(&w, hdr);
	assert_true(handle(f, f->req, w.len) > 0);
	assert_rsp(f, GTPC_UPDATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_INVALID_MESSAGE_FORMAT);
	assert_int_equal(f->rsp.seq, 0x0042);
	assert_int_equal(s->dl_teid, SGSN_TEID_DATA);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_BAD_IE], 1);
}

static void
test_ggsn_handle_echo_ie_overrun_no_response(void **state)
{
	struct fixture *f = *state;
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_ECHO_REQ, 0, 0x0400);
	wr_u8(&w, GTPC_IE_PRIVATE_EXTENSION);
	wr_be16(&w, 10);
	gtpc_build_finish(&w, hdr);
	assert_int_equal(handle(f, f->req, w.len), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_BAD_IE], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_TX_MESSAGES], 0);
}

static void
test_ggsn_handle_gtpv2_version_not_supported(void **state)
{
	struct fixture *f = *state;
	/* TS 29.274 §5.1: GTPv2 Echo Request, no TEID, sequence 0x000001, Recovery 3. */
	static const uint8_t gtpv2_echo_req[] = { 0x40, 0x01, 0x00, 0x09, 0x00, 0x00, 0x01, 0x00,
		0x03, 0x00, 0x01, 0x00, 0x03 };

	assert_int_equal(handle(f, gtpv2_echo_req, sizeof(gtpv2_echo_req)), 12);
	assert_int_equal(f->rsp.version, 1);
	assert_int_equal(f->rsp.type, GTPC_VERSION_NOT_SUPPORTED);
	assert_int_equal(f->rsp.teid, 0);
	assert_int_equal(f->rsp.length, 4);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_BAD_VERSION], 1);
	assert_int_equal(vpg_counters.gtpc_tx[GTPC_VERSION_NOT_SUPPORTED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_RX_MESSAGES], 0);
}

static void
test_ggsn_handle_gtpv0_version_not_supported_seq_echoed(void **state)
{
	struct fixture *f = *state;
	/* TS 09.60 §6: 20-octet GTPv0 header, Echo Request, sequence 0x1357. */
	static const uint8_t gtpv0_echo_req[] = { 0x1e, 0x01, 0x00, 0x00, 0x13, 0x57, 0x00, 0x00,
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };

	assert_int_equal(handle(f, gtpv0_echo_req, sizeof(gtpv0_echo_req)), 12);
	assert_int_equal(f->rsp.type, GTPC_VERSION_NOT_SUPPORTED);
	assert_int_equal(f->rsp.seq, 0x1357);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_BAD_VERSION], 1);
}

static void
test_ggsn_handle_gtp_prime_no_response(void **state)
{
	struct fixture *f = *state;
	/* Version 1 with PT 0 is GTP' (TS 32.295): not answered, only counted. */
	static const uint8_t gtp_prime_echo_req[] = { 0x22, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x01, 0x00, 0x00 };

	assert_int_equal(handle(f, gtp_prime_echo_req, sizeof(gtp_prime_echo_req)), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_BAD_VERSION], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_TX_MESSAGES], 0);
}

static void
test_ggsn_handle_unknown_type_dropped(void **state)
{
	struct fixture *f = *state;
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, 50, 0, 0x0400);
	gtpc_build_finish(&w, hdr);
	assert_int_equal(handle(f, f->req, w.len), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_UNKNOWN_TYPE], 1);
	assert_int_equal(counters_total_drops(), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_TX_MESSAGES], 0);
}

static void
test_ggsn_handle_echo_response_unexpected_dropped(void **state)
{
	struct fixture *f = *state;
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_ECHO_RSP, 0, 0x0400);
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, 3);
	gtpc_build_finish(&w, hdr);
	assert_int_equal(handle(f, f->req, w.len), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_UNEXPECTED], 1);
	assert_int_equal(counters_total_drops(), 1);
	assert_int_equal(vpg_counters.gtpc_rx[GTPC_ECHO_RSP], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_TX_MESSAGES], 0);
}

static void
test_ggsn_handle_truncated_header_dropped(void **state)
{
	struct fixture *f = *state;
	static const uint8_t truncated[] = { 0x32, 0x01, 0x00 };

	assert_int_equal(handle(f, truncated, sizeof(truncated)), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_TOO_SHORT], 1);
	assert_int_equal(counters_total_drops(), 1);
}

/*
 * PCO (TS 24.008 §10.5.6.3). device_pco asks for DNS by IPCP (id 0) and by
 * 0x000D, for IPv6 DNS and address-via-NAS (not answered) and for the IPv4
 * link MTU; pco_answer is what a gateway offering 100.64.0.53, 192.0.2.53
 * and MTU 1500 answers. tshark 4.0.17 decodes both, inside a Create PDP
 * Context Request and Response, without expert info (tests/unit/test_pco.c).
 */
static const uint8_t device_pco[] = { 0x80, 0x80, 0x21, 0x10, 0x01, 0x00, 0x00, 0x10, 0x81, 0x06,
	0x00, 0x00, 0x00, 0x00, 0x83, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x0a, 0x00, 0x00, 0x10, 0x00 };
static const uint8_t pco_answer[] = { 0x80, 0x00, 0x0d, 0x04, 0x64, 0x40, 0x00, 0x35, 0x00, 0x0d,
	0x04, 0xc0, 0x00, 0x02, 0x35, 0x80, 0x21, 0x10, 0x03, 0x00, 0x00, 0x10, 0x81, 0x06, 0x64,
	0x40, 0x00, 0x35, 0x83, 0x06, 0xc0, 0x00, 0x02, 0x35, 0x00, 0x10, 0x02, 0x05, 0xdc };

static void
offer_dns_mtu(struct fixture *f)
{
	f->core.device_offer.n_dns = 2;
	f->core.device_offer.dns_be[0] = IP4(100, 64, 0, 53);
	f->core.device_offer.dns_be[1] = IP4(192, 0, 2, 53);
	f->core.device_offer.link_mtu = 1500;
}

/*
 * The response's IE types in the order they were written, walking the raw
 * datagram with the value lengths TS 29.060 §7.7 gives the TV types a GGSN
 * sends; the walk must end exactly at the end of the datagram.
 */
static size_t
rsp_ie_types(const struct fixture *f, uint8_t *types, size_t cap)
{
	static const uint8_t tv_len[128] = { [GTPC_IE_CAUSE] = 1,
		[GTPC_IE_REORDERING_REQUIRED] = 1,
		[GTPC_IE_RECOVERY] = 1,
		[GTPC_IE_TEID_DATA_I] = 4,
		[GTPC_IE_TEID_CONTROL] = 4,
		[GTPC_IE_CHARGING_ID] = 4 };
	size_t off = 12, n = 0; /* the header with its sequence number */

	while (off < f->out_len && n < cap) {
		uint8_t t = f->out[off];

		types[n++] = t;
		if (t >= 128) {
			assert_true(off + 3 <= f->out_len);
			off += 3u + (size_t)((f->out[off + 1] << 8) | f->out[off + 2]);
		} else {
			assert_int_not_equal(tv_len[t], 0);
			off += 1u + tv_len[t];
		}
	}
	assert_int_equal(off, f->out_len);
	return n;
}

static void
test_ggsn_handle_create_pco_answered_in_place(void **state)
{
	static const uint8_t want[] = { GTPC_IE_CAUSE, GTPC_IE_REORDERING_REQUIRED,
		GTPC_IE_RECOVERY, GTPC_IE_TEID_DATA_I, GTPC_IE_TEID_CONTROL, GTPC_IE_CHARGING_ID,
		GTPC_IE_END_USER_ADDRESS, GTPC_IE_PCO, GTPC_IE_GSN_ADDRESS, GTPC_IE_GSN_ADDRESS,
		GTPC_IE_QOS_PROFILE };
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	uint8_t types[32];

	offer_dns_mtu(f);
	r.pco = device_pco;
	r.pco_len = sizeof(device_pco);
	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_true(f->rsp.ie[GTPC_IE_PCO].present);
	assert_int_equal(f->rsp.ie[GTPC_IE_PCO].len, sizeof(pco_answer));
	assert_memory_equal(f->rsp.ie[GTPC_IE_PCO].val, pco_answer, sizeof(pco_answer));
	/* TS 29.060 §7.7: ascending type order, the PCO between EUA and GSN Address. */
	assert_int_equal(rsp_ie_types(f, types, sizeof(types)), sizeof(want));
	assert_memory_equal(types, want, sizeof(want));
}

static void
test_ggsn_handle_create_pco_ipcp_id_echoed(void **state)
{
	/* PAP (not answered), then IPCP Configure-Request id 42 asking the primary DNS. */
	static const uint8_t pco[] = { 0x80, 0xc0, 0x23, 0x11, 0x01, 0x01, 0x00, 0x11, 0x03, 0x6d,
		0x69, 0x67, 0x08, 0x68, 0x65, 0x6d, 0x6d, 0x65, 0x6c, 0x69, 0x67, 0x80, 0x21, 0x0a,
		0x01, 0x2a, 0x00, 0x0a, 0x81, 0x06, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t want[] = { 0x80, 0x80, 0x21, 0x10, 0x03, 0x2a, 0x00, 0x10, 0x81, 0x06,
		0x64, 0x40, 0x00, 0x35, 0x83, 0x06, 0xc0, 0x00, 0x02, 0x35 };
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	offer_dns_mtu(f);
	r.pco = pco;
	r.pco_len = sizeof(pco);
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.ie[GTPC_IE_PCO].len, sizeof(want));
	assert_memory_equal(f->rsp.ie[GTPC_IE_PCO].val, want, sizeof(want));
}

static void
test_ggsn_handle_create_without_pco_none_sent(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	offer_dns_mtu(f);
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_false(f->rsp.ie[GTPC_IE_PCO].present);
}

static void
test_ggsn_handle_create_sgsnemu_pap_only_no_pco(void **state)
{
	struct fixture *f = *state;

	offer_dns_mtu(f);
	assert_true(handle(f, create_pdp_req_sgsnemu, sizeof(create_pdp_req_sgsnemu)) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, 1, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_false(f->rsp.ie[GTPC_IE_PCO].present);
}

static void
test_ggsn_handle_create_nothing_offered_no_pco(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	r.pco = device_pco;
	r.pco_len = sizeof(device_pco);
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_false(f->rsp.ie[GTPC_IE_PCO].present);
}

static void
test_ggsn_handle_create_malformed_pco_ignored(void **state)
{
	/* 0x000D claims 5 octets where 1 is left: TS 29.060 §11.1.8, treated as absent. */
	static const uint8_t pco[] = { 0x80, 0x00, 0x0d, 0x05, 0x00 };
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	offer_dns_mtu(f);
	r.pco = pco;
	r.pco_len = sizeof(pco);
	assert_true(send_create(f, &r) > 0);
	assert_rsp(f, GTPC_CREATE_PDP_RSP, SGSN_TEID_CTRL, GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_false(f->rsp.ie[GTPC_IE_PCO].present);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(counters_total_drops(), 0);
}

static void
test_ggsn_handle_create_offer_change_applies_to_next(void **state)
{
	static const uint8_t want[] = { 0x80, 0x00, 0x0d, 0x04, 0xc6, 0x33, 0x64, 0x35, 0x80, 0x21,
		0x0a, 0x03, 0x00, 0x00, 0x0a, 0x81, 0x06, 0xc6, 0x33, 0x64, 0x35, 0x00, 0x10, 0x02,
		0x05, 0x00 };
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	offer_dns_mtu(f);
	r.pco = device_pco;
	r.pco_len = sizeof(device_pco);
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(f->rsp.ie[GTPC_IE_PCO].len, sizeof(pco_answer));
	/* As PUT /v1/vpg/dns does: one server now, and a smaller MTU. */
	f->core.device_offer.n_dns = 1;
	f->core.device_offer.dns_be[0] = IP4(198, 51, 100, 53);
	f->core.device_offer.link_mtu = 1280;
	r.imsi = "999010000000002";
	r.seq++;
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.ie[GTPC_IE_PCO].len, sizeof(want));
	assert_memory_equal(f->rsp.ie[GTPC_IE_PCO].val, want, sizeof(want));
}

static void
test_ggsn_handle_create_refused_no_pco(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	offer_dns_mtu(f);
	r.pco = device_pco;
	r.pco_len = sizeof(device_pco);
	r.apn = "other";
	assert_true(send_create(f, &r) > 0);
	assert_create_refused(f, SGSN_TEID_CTRL, GTPC_CAUSE_MISSING_OR_UNKNOWN_APN);
	assert_false(f->rsp.ie[GTPC_IE_PCO].present);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* What the path sent on our behalf: our own requests (GGSN-initiated). */
static struct {
	unsigned count;
	uint8_t msg[64];
	size_t len;
	uint32_t dst;
} path_sent;

static void
path_record(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	(void)arg;
	assert_int_equal(port, 2123);
	path_sent.count++;
	path_sent.len = len < sizeof(path_sent.msg) ? len : sizeof(path_sent.msg);
	memcpy(path_sent.msg, msg, path_sent.len);
	path_sent.dst = dst_be;
}

static int
setup_with_path(void **state)
{
	struct fixture *f;

	if (setup(state) < 0)
		return -1;
	f = *state;
	memset(&path_sent, 0, sizeof(path_sent));
	return ggsn_start(&f->gp, path_record, NULL);
}

static int
teardown_with_path(void **state)
{
	struct fixture *f = *state;

	ggsn_stop(&f->gp);
	return teardown(state);
}

/* The GGSN again, taking GTPv1-C only from allowed. */
static void
restart_with_peers(struct fixture *f, const struct cidr_list *allowed)
{
	ggsn_stop(&f->gp);
	f->gp.allowed_peers = allowed;
	assert_int_equal(ggsn_start(&f->gp, path_record, NULL), 0);
}

static void
test_ggsn_handle_create_from_outside_allowed_peers_unanswered(void **state)
{
	struct fixture *f = *state;
	struct cidr_list allowed = { 0 };
	struct pdp_req r = create_req();

	assert_int_equal(cidr_list_add(&allowed, IP4(198, 18, 1, 0), 24), 0);
	restart_with_peers(f, &allowed);
	assert_int_equal(send_create(f, &r), 0);
	assert_int_equal(send_create(f, &r), 0);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_PEER_NOT_ALLOWED], 2);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_RX_MESSAGES], 0);
	assert_int_equal(path_sent.count, 0);
}

static void
test_ggsn_handle_create_from_allowed_peer_answered(void **state)
{
	struct fixture *f = *state;
	struct cidr_list allowed = { 0 };
	struct pdp_req r = create_req();

	assert_int_equal(cidr_list_add(&allowed, IP4(198, 18, 0, 0), 30), 0);
	restart_with_peers(f, &allowed);
	assert_int_not_equal(send_create(f, &r), 0);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_PEER_NOT_ALLOWED], 0);
}

static void
test_ggsn_handle_create_retransmission_same_answer_one_context(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();
	size_t len = build_pdp_req(f, GTPC_CREATE_PDP_REQ, &r);
	uint8_t first[1024];
	size_t first_len = handle(f, f->req, len);

	memcpy(first, f->out, first_len);
	assert_int_equal(handle(f, f->req, len), first_len);
	assert_memory_equal(f->out, first, first_len);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_CREATED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_RETRANSMISSIONS_ANSWERED], 1);
}

static void
test_ggsn_handle_create_new_seq_replaces_context(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	handle(f, f->req, build_pdp_req(f, GTPC_CREATE_PDP_REQ, &r));
	r.seq++;
	handle(f, f->req, build_pdp_req(f, GTPC_CREATE_PDP_REQ, &r));
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_RETRANSMISSIONS_ANSWERED], 0);
}

static void
test_ggsn_delete_imsi_sends_request_with_teardown(void **state)
{
	struct fixture *f = *state;
	struct session *s = attach(f, IMSI, 5);
	uint32_t ip = s->ip_be;
	struct gtpc_msg m;

	assert_int_equal(ggsn_delete_imsi(&f->gp, IMSI, 0), 1);
	assert_int_equal(session_count(f->sessions), 0);
	assert_false(ippool_is_assigned(f->pool, ip));
	assert_int_equal(path_sent.count, 1);
	assert_int_equal(path_sent.dst, SGSN_CTRL);
	assert_int_equal(gtpc_parse(path_sent.msg, path_sent.len, &m), VPG_DROP_NONE);
	assert_int_equal(m.type, GTPC_DELETE_PDP_REQ);
	assert_int_equal(m.teid, SGSN_TEID_CTRL);
	assert_int_equal(m.ie[GTPC_IE_NSAPI].val[0], 5);
	assert_int_equal(m.ie[GTPC_IE_TEARDOWN_IND].val[0] & 1, 1);
	assert_int_equal(vpg_counters.gtpc_tx[GTPC_DELETE_PDP_REQ], 1);
	assert_int_equal(sig_path_outstanding(f->gp.path), 1);
}

static void
test_ggsn_delete_imsi_unknown_returns_0(void **state)
{
	struct fixture *f = *state;

	attach(f, IMSI, 5);
	assert_int_equal(ggsn_delete_imsi(&f->gp, "999010000000002", 0), 0);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(path_sent.count, 0);
}

static void
test_ggsn_handle_delete_response_answers_our_request(void **state)
{
	struct fixture *f = *state;
	struct vpg_wr w;
	struct gtpc_msg m;
	size_t hdr;

	attach(f, IMSI, 5);
	ggsn_delete_imsi(&f->gp, IMSI, 0);
	assert_int_equal(gtpc_parse(path_sent.msg, path_sent.len, &m), VPG_DROP_NONE);
	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_DELETE_PDP_RSP, 1, m.seq);
	gtpc_put_tv8(&w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	gtpc_build_finish(&w, hdr);
	assert_int_equal(handle(f, f->req, w.len), 0);
	assert_int_equal(sig_path_outstanding(f->gp.path), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_UNEXPECTED], 0);
	/* The same response again answers nothing: now it is unexpected. */
	assert_int_equal(handle(f, f->req, w.len), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_UNEXPECTED], 1);
}

static void
test_ggsn_new_recovery_in_create_ends_the_sgsns_old_contexts(void **state)
{
	struct fixture *f = *state;
	struct pdp_req r = create_req();

	attach(f, IMSI, 5);
	r.imsi = "999010000000002";
	r.recovery = 2;
	assert_true(send_create(f, &r) > 0);
	assert_int_equal(rsp_u8(f, GTPC_IE_CAUSE), GTPC_CAUSE_REQUEST_ACCEPTED);
	assert_null(session_find_imsi(f->sessions, IMSI, 5));
	assert_non_null(session_find_imsi(f->sessions, "999010000000002", 5));
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GGSN_PEER_RESTARTS], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GGSN_SESSIONS_PURGED], 1);
}

/* Answers our last request as the SGSN would, with Recovery restart. */
static void
answer_echo(struct fixture *f, uint8_t restart)
{
	struct gtpc_msg m;
	struct vpg_wr w;
	size_t hdr;

	assert_int_equal(gtpc_parse(path_sent.msg, path_sent.len, &m), VPG_DROP_NONE);
	assert_int_equal(m.type, GTPC_ECHO_REQ);
	wr_init(&w, f->req, sizeof(f->req));
	hdr = gtpc_build_header(&w, GTPC_ECHO_RSP, 0, m.seq);
	gtpc_put_tv8(&w, GTPC_IE_RECOVERY, restart);
	gtpc_build_finish(&w, hdr);
	assert_int_equal(handle(f, f->req, w.len), 0);
}

static void
test_ggsn_echoes_sgsns_with_contexts_and_hears_their_restart(void **state)
{
	struct fixture *f = *state;

	attach(f, IMSI, 5);
	ggsn_tick(&f->gp, 1000);
	assert_int_equal(path_sent.count, 0);
	ggsn_tick(&f->gp, 1000 + GTP_PEERS_ECHO_MS);
	assert_int_equal(path_sent.count, 1);
	assert_int_equal(path_sent.dst, SGSN_CTRL);
	answer_echo(f, 1);
	assert_int_equal(session_count(f->sessions), 1);
	assert_int_equal(vpg_counters.drop[VPG_DROP_GTPC_UNEXPECTED], 0);
	ggsn_tick(&f->gp, 1000 + 2 * GTP_PEERS_ECHO_MS);
	answer_echo(f, 9);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GGSN_PEER_RESTARTS], 1);
}

static void
test_ggsn_silent_sgsn_path_ends_its_contexts(void **state)
{
	struct fixture *f = *state;
	uint64_t t = 1000 + GTP_PEERS_ECHO_MS;

	attach(f, IMSI, 5);
	ggsn_tick(&f->gp, 1000);
	ggsn_tick(&f->gp, t);
	for (int i = 0; i < 4; i++) {
		t += 3000;
		ggsn_tick(&f->gp, t);
	}
	assert_int_equal(path_sent.count, 4);
	assert_int_equal(session_count(f->sessions), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GGSN_PATH_FAILURES], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_GTPC_REQUESTS_GIVEN_UP], 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ggsn_handle_echo_recovery_restart_counter),
		T(test_ggsn_handle_create_accepted_cause_128),
		T(test_ggsn_handle_create_eua_from_pool),
		T(test_ggsn_handle_create_teids_are_session_teid),
		T(test_ggsn_handle_create_gsn_addresses_local),
		T(test_ggsn_handle_create_qos_echoed),
		T(test_ggsn_handle_create_charging_id_nonzero),
		T(test_ggsn_handle_create_charging_ids_differ),
		T(test_ggsn_handle_create_counts_session_created),
		T(test_ggsn_handle_create_session_keeps_sgsn_side),
		T(test_ggsn_handle_create_sgsnemu_capture_accepted),
		T(test_ggsn_handle_create_mapped_imsi_gets_mapped),
		T(test_ggsn_handle_create_no_imsi_202),
		T(test_ggsn_handle_create_no_teid_data_202),
		T(test_ggsn_handle_create_no_teid_ctrl_202_teid_0),
		T(test_ggsn_handle_create_no_nsapi_202),
		T(test_ggsn_handle_create_no_eua_202),
		T(test_ggsn_handle_create_no_gsn_address_202),
		T(test_ggsn_handle_create_one_gsn_address_202),
		T(test_ggsn_handle_create_no_qos_202),
		T(test_ggsn_handle_create_teid_data_0_201),
		T(test_ggsn_handle_create_empty_qos_201),
		T(test_ggsn_handle_create_qos_too_long_201),
		T(test_ggsn_handle_create_nsapi_spare_bits_ignored),
		T(test_ggsn_handle_create_bad_imsi_digit_201),
		T(test_ggsn_handle_create_apn_not_configured_219),
		T(test_ggsn_handle_create_apn_absent_219),
		T(test_ggsn_handle_create_apn_other_case_accepted),
		T(test_ggsn_handle_create_no_apns_configured_any_accepted),
		T(test_ggsn_handle_create_eua_ipv6_220),
		T(test_ggsn_handle_create_pool_exhausted_211),
		T(test_ggsn_handle_create_duplicate_replaces),
		T(test_ggsn_handle_create_other_nsapi_second_context),
		T(test_ggsn_handle_update_unknown_teid_192_teid_0),
		T(test_ggsn_handle_update_changes_sgsn_side),
		T(test_ggsn_handle_update_response_ies),
		T(test_ggsn_handle_update_without_teid_ctrl_keeps_it),
		T(test_ggsn_handle_update_other_nsapi_192),
		T(test_ggsn_handle_update_no_qos_202),
		T(test_ggsn_handle_delete_accepted_session_gone),
		T(test_ggsn_handle_delete_address_back_in_pool),
		T(test_ggsn_handle_delete_unknown_teid_192),
		T(test_ggsn_handle_delete_teardown_removes_every_nsapi),
		T(test_ggsn_handle_delete_teardown_clear_removes_one),
		T(test_ggsn_handle_delete_no_nsapi_202),
		T(test_ggsn_handle_delete_other_nsapi_201),
		T(test_ggsn_handle_create_ie_overrun_193),
		T(test_ggsn_handle_update_ie_overrun_193_to_session),
		T(test_ggsn_handle_echo_ie_overrun_no_response),
		T(test_ggsn_handle_gtpv2_version_not_supported),
		T(test_ggsn_handle_gtpv0_version_not_supported_seq_echoed),
		T(test_ggsn_handle_gtp_prime_no_response),
		T(test_ggsn_handle_unknown_type_dropped),
		T(test_ggsn_handle_echo_response_unexpected_dropped),
		T(test_ggsn_handle_truncated_header_dropped),
		T(test_ggsn_handle_create_pco_answered_in_place),
		T(test_ggsn_handle_create_pco_ipcp_id_echoed),
		T(test_ggsn_handle_create_without_pco_none_sent),
		T(test_ggsn_handle_create_sgsnemu_pap_only_no_pco),
		T(test_ggsn_handle_create_nothing_offered_no_pco),
		T(test_ggsn_handle_create_malformed_pco_ignored),
		T(test_ggsn_handle_create_offer_change_applies_to_next),
		T(test_ggsn_handle_create_refused_no_pco),
#define TP(fn) cmocka_unit_test_setup_teardown(fn, setup_with_path, teardown_with_path)
		TP(test_ggsn_handle_create_retransmission_same_answer_one_context),
		TP(test_ggsn_handle_create_from_outside_allowed_peers_unanswered),
		TP(test_ggsn_handle_create_from_allowed_peer_answered),
		TP(test_ggsn_handle_create_new_seq_replaces_context),
		TP(test_ggsn_delete_imsi_sends_request_with_teardown),
		TP(test_ggsn_delete_imsi_unknown_returns_0),
		TP(test_ggsn_handle_delete_response_answers_our_request),
		TP(test_ggsn_new_recovery_in_create_ends_the_sgsns_old_contexts),
		TP(test_ggsn_echoes_sgsns_with_contexts_and_hears_their_restart),
		TP(test_ggsn_silent_sgsn_path_ends_its_contexts),
#undef TP
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
