/*
 * Unit tests for the UPF role (src/roles/upf_node.c, upf_session.c): the
 * node and session procedures on a live session core, with requests built
 * by the PFCP codec's control-plane builders and every response parsed
 * back by the codec. The establishment is the one open5gs's SMF sends
 * (/tmp captures summarised in tests/e2e: 4 PDRs, 3 FARs, 1 QER, 1 BAR;
 * PDRs 2 and 4 share CHOOSE ID 5, PDR 3 chooses alone).
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
#include "core/rules.h"
#include "core/rules_fast.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/pfcp.h"
#include "roles/upf.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define SMF		IP4(172, 31, 3, 1)
#define UPF		IP4(172, 31, 3, 2)
#define GTPU		IP4(172, 31, 2, 2)
#define SGSN		IP4(172, 31, 1, 1)
#define UE		IP4(10, 45, 0, 2)
#define CP_SEID		0xe09u
#define RTS		3970000000u
#define IMSI		"999010000000001"

struct sent_msg {
	uint8_t buf[2048];
	size_t len;
	uint32_t dst;
};

struct fixture {
	struct attach core;
	struct upf *upf;
	uint64_t now;
	uint32_t seq;
	uint8_t out[4096];
	size_t out_len;
	struct pfcp_msg req, rsp;
	unsigned n_sent;
	struct sent_msg sent[8];
};

static void
record_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	struct fixture *f = arg;

	(void)port;
	if (f->n_sent < 8 && len <= sizeof(f->sent[0].buf)) {
		memcpy(f->sent[f->n_sent].buf, msg, len);
		f->sent[f->n_sent].len = len;
		f->sent[f->n_sent].dst = dst_be;
	}
	f->n_sent++;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct upf_config cfg = { .pfcp_addr_be = UPF,
		.gtpu_addr_be = GTPU,
		.node_id = "172.31.3.2",
		.started_unix = 1700000000 };

	if (f == NULL)
		return -1;
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	rules_reports_waiting = 0;
	f->now = 1000;
	f->seq = 1;
	f->core.pool = ippool_new(IP4(10, 45, 0, 0), 16, IP4(10, 45, 0, 1));
	f->core.sessions = session_table_new(64);
	f->upf = upf_new(&cfg, &f->core, record_send, f, f->now);
	*state = f;
	return f->upf == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	upf_free(f->upf);
	session_table_free(f->core.sessions);
	ippool_free(f->core.pool);
	free(f);
	return 0;
}

/* Hands buf to the UPF as from the SMF; parses the response into f->rsp. */
static void
deliver(struct fixture *f, const uint8_t *buf, size_t len)
{
	struct pfcp_hdr h;
	struct pfcp_err err;

	f->out_len = upf_handle(f->upf,
	    &(struct upf_rx){
		.buf = buf, .len = len, .from_be = SMF, .from_port = 8805, .now_ms = f->now },
	    f->out, sizeof(f->out));
	memset(&f->rsp, 0, sizeof(f->rsp));
	if (f->out_len == 0)
		return;
	assert_int_equal(pfcp_parse_header(f->out, f->out_len, &h), PFCP_HDR_OK);
	if (pfcp_parse_body(f->out, f->out_len, &h, &f->rsp, &err) != PFCP_CAUSE_OK)
		fail_msg("response type %u: cause %u, IE %u", h.type, err.cause, err.ie_type);
}

static void
send_setup(struct fixture *f, uint32_t rts)
{
	uint8_t buf[128];
	struct vpg_wr w;
	size_t off;

	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header(&w, PFCP_ASSOC_SETUP_REQ, f->seq++);
	pfcp_put_node_id_ipv4(&w, SMF);
	pfcp_put_recovery_ts(&w, rts);
	pfcp_build_finish(&w, off);
	deliver(f, buf, w.len);
}

/* open5gs's establishment: see the file comment. */
static void
open5gs_establishment(struct pfcp_msg *m, uint32_t seq)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = PFCP_SESS_EST_REQ;
	m->hdr.seq = seq;
	m->has = PFCP_MSG_HAS_NODE_ID | PFCP_MSG_HAS_FSEID | PFCP_MSG_HAS_USER_ID |
		 PFCP_MSG_HAS_APN | PFCP_MSG_HAS_CREATE_BAR;
	m->node_id = (struct pfcp_node_id){ .type = PFCP_NODE_ID_IPV4, .v4_be = SMF };
	m->fseid = (struct pfcp_fseid){ .seid = CP_SEID, .ip = { .has_v4 = true, .v4_be = SMF } };
	m->user_id = (struct pfcp_user_id){ .has_imsi = true, .imsi = IMSI };
	strcpy(m->apn, "internet");
	m->create_bar = 1;
	m->n_create_pdr = 4;
	m->create_pdr[0] = (struct pfcp_pdr){ .has = PFCP_PDR_HAS_PRECEDENCE | PFCP_PDR_HAS_PDI |
						     PFCP_PDR_HAS_FAR_ID,
		.pdr_id = 1,
		.precedence = 65535,
		.far_id = 1,
		.n_qer_ids = 1,
		.qer_ids = { 1 },
		.pdi = { .has = PFCP_PDI_HAS_UE_IP,
		    .source_iface = PFCP_IFACE_CORE,
		    .ue_ip = { .has_v4 = true, .sd = true, .v4_be = UE } } };
	m->create_pdr[1] = (struct pfcp_pdr){ .has = PFCP_PDR_HAS_PRECEDENCE | PFCP_PDR_HAS_PDI |
						     PFCP_PDR_HAS_FAR_ID | PFCP_PDR_HAS_OHR,
		.pdr_id = 2,
		.precedence = 65535,
		.far_id = 2,
		.ohr = 6,
		.n_qer_ids = 1,
		.qer_ids = { 1 },
		.pdi = { .has = PFCP_PDI_HAS_UE_IP | PFCP_PDI_HAS_FTEID,
		    .source_iface = PFCP_IFACE_ACCESS,
		    .fteid = { .ch = true, .chid = true, .has_v4 = true, .choose_id = 5 },
		    .ue_ip = { .has_v4 = true, .v4_be = UE } } };
	m->create_pdr[2] = (struct pfcp_pdr){ .has = PFCP_PDR_HAS_PRECEDENCE | PFCP_PDR_HAS_PDI |
						     PFCP_PDR_HAS_FAR_ID | PFCP_PDR_HAS_OHR,
		.pdr_id = 3,
		.precedence = 255,
		.far_id = 1,
		.ohr = 6,
		.pdi = { .has = PFCP_PDI_HAS_FTEID,
		    .source_iface = PFCP_IFACE_CP_FUNCTION,
		    .fteid = { .ch = true, .has_v4 = true } } };
	m->create_pdr[3] = m->create_pdr[1];
	m->create_pdr[3].pdr_id = 4;
	m->create_pdr[3].precedence = 255;
	m->create_pdr[3].far_id = 3;
	m->create_pdr[3].n_qer_ids = 0;
	m->create_pdr[3].pdi.has = PFCP_PDI_HAS_FTEID;
	m->create_pdr[3].pdi.n_sdf = 1;
	m->create_pdr[3].pdi.sdf[0] = (struct pfcp_sdf){
		.has_fd = true, .fd = "permit out 58 from ff02::2/128 to assigned", .fd_len = 42
	};
	m->n_create_far = 3;
	m->create_far[0] = (struct pfcp_far){ .has = PFCP_FAR_HAS_APPLY_ACTION | PFCP_FAR_HAS_FWD,
		.far_id = 1,
		.apply_action = PFCP_AA_FORW,
		.fwd = { .has = PFCP_FWD_HAS_DEST_IFACE | PFCP_FWD_HAS_OHC,
		    .dest_iface = PFCP_IFACE_ACCESS,
		    .ohc = { .desc = PFCP_OHC_GTPU_UDP_IPV4, .teid = 1, .v4_be = SGSN } } };
	m->create_far[1] = (struct pfcp_far){ .has = PFCP_FAR_HAS_APPLY_ACTION | PFCP_FAR_HAS_FWD,
		.far_id = 2,
		.apply_action = PFCP_AA_FORW,
		.fwd = { .has = PFCP_FWD_HAS_DEST_IFACE, .dest_iface = PFCP_IFACE_CORE } };
	m->create_far[2] = (struct pfcp_far){ .has = PFCP_FAR_HAS_APPLY_ACTION | PFCP_FAR_HAS_FWD,
		.far_id = 3,
		.apply_action = PFCP_AA_FORW,
		.fwd = { .has = PFCP_FWD_HAS_DEST_IFACE | PFCP_FWD_HAS_OHC,
		    .dest_iface = PFCP_IFACE_CP_FUNCTION,
		    .ohc = { .desc = PFCP_OHC_GTPU_UDP_IPV4, .teid = 1, .v4_be = SMF } } };
	m->n_create_qer = 1;
	m->create_qer[0] = (struct pfcp_qer){
		.has = PFCP_QER_HAS_GATE | PFCP_QER_HAS_MBR, .qer_id = 1, .mbr = { 100000, 100000 }
	};
}

static void
send_session_req(struct fixture *f, struct pfcp_msg *m)
{
	uint8_t buf[4096];
	struct vpg_wr w;

	wr_init(&w, buf, sizeof(buf));
	pfcp_build_session_req(&w, m);
	assert_false(w.overflow);
	deliver(f, buf, w.len);
}

static void
establish(struct fixture *f)
{
	open5gs_establishment(&f->req, f->seq++);
	send_session_req(f, &f->req);
}

static uint64_t
up_seid(const struct fixture *f)
{
	return f->rsp.fseid.seid;
}

static void
send_header_only(struct fixture *f, uint8_t type, uint64_t seid)
{
	uint8_t buf[32];
	struct vpg_wr w;
	size_t off;

	wr_init(&w, buf, sizeof(buf));
	off = pfcp_build_header_seid(&w, type, seid, f->seq++);
	pfcp_build_finish(&w, off);
	deliver(f, buf, w.len);
}

static void
test_upf_handle_setup_accepted_with_features(void **state)
{
	struct fixture *f = *state;

	send_setup(f, RTS);
	assert_int_equal(f->rsp.hdr.type, PFCP_ASSOC_SETUP_RSP);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.node_id.v4_be, UPF);
	assert_true(f->rsp.up_features & PFCP_UPF_FTUP);
	assert_true(f->rsp.up_features & PFCP_UPF_UEIP);
	assert_true(f->rsp.up_features & PFCP_UPF_FRRT);
	assert_int_equal(f->rsp.recovery_ts, upf_recovery_ts(f->upf));
	assert_int_equal(upf_associations(f->upf, NULL, 0), 1);
}

static void
test_upf_handle_establish_without_association_72(void **state)
{
	struct fixture *f = *state;

	establish(f);
	assert_int_equal(f->rsp.hdr.type, PFCP_SESS_EST_RSP);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_NO_ASSOCIATION);
	assert_int_equal(f->rsp.hdr.seid, CP_SEID);
	assert_int_equal(session_count(f->core.sessions), 0);
}

static void
test_upf_handle_establish_open5gs_created_pdrs(void **state)
{
	struct fixture *f = *state;
	struct session *s;
	uint32_t teid2 = 0, teid3 = 0, teid4 = 0;

	send_setup(f, RTS);
	establish(f);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.hdr.seid, CP_SEID);
	assert_int_equal(f->rsp.fseid.ip.v4_be, UPF);
	assert_int_equal(f->rsp.n_created_pdr, 3);
	for (unsigned i = 0; i < f->rsp.n_created_pdr; i++) {
		const struct pfcp_created_pdr *c = &f->rsp.created_pdr[i];

		assert_int_equal(c->fteid.v4_be, GTPU);
		if (c->pdr_id == 2)
			teid2 = c->fteid.teid;
		if (c->pdr_id == 3)
			teid3 = c->fteid.teid;
		if (c->pdr_id == 4)
			teid4 = c->fteid.teid;
	}
	/* CHOOSE ID 5 is shared by PDRs 2 and 4; PDR 3 chose alone. */
	assert_int_equal(teid2, teid4);
	assert_int_not_equal(teid2, teid3);
	s = session_find_teid(f->core.sessions, teid2);
	assert_non_null(s);
	assert_ptr_equal(session_find_teid(f->core.sessions, teid3), s);
	assert_int_equal(s->ip_be, UE);
	assert_string_equal(s->imsi, IMSI);
	assert_string_equal(s->apn, "internet");
	assert_int_equal(s->owner.role, SESSION_ROLE_UPF);
	assert_int_equal(s->owner.peer_ref, CP_SEID);
	assert_int_equal(s->owner.local_ref, up_seid(f));
	assert_true(s->flags & SESSION_F_RULES);
	assert_int_equal(s->rules->n_pdr, 4);
	/* The downlink shown is FAR 1's tunnel to the SGSN. */
	assert_int_equal(s->dl_teid, 1);
	assert_int_equal(s->dl_addr_be, SGSN);
	assert_true(ippool_is_assigned(f->core.pool, UE));
}

static void
test_upf_handle_retransmitted_establishment_answered_once(void **state)
{
	struct fixture *f = *state;
	uint8_t first[4096];
	size_t first_len;

	send_setup(f, RTS);
	establish(f);
	memcpy(first, f->out, f->out_len);
	first_len = f->out_len;
	send_session_req(f, &f->req); /* same sequence number, same peer */
	assert_int_equal(f->out_len, first_len);
	assert_memory_equal(f->out, first, first_len);
	assert_int_equal(session_count(f->core.sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_RETRANSMISSIONS_ANSWERED], 1);
}

static void
test_upf_handle_choose_ue_ip_honours_imsi_map(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(ippool_map_set(f->core.pool, IMSI, IP4(10, 45, 7, 7)), 0);
	send_setup(f, RTS);
	open5gs_establishment(&f->req, f->seq++);
	for (unsigned i = 0; i < 2; i++)
		f->req.create_pdr[i].pdi.ue_ip = (struct pfcp_ue_ip){ .chv4 = true, .sd = i == 0 };
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_non_null(session_find_ip(f->core.sessions, IP4(10, 45, 7, 7)));
}

static void
test_upf_handle_unknown_far_73_nothing_made(void **state)
{
	struct fixture *f = *state;

	send_setup(f, RTS);
	open5gs_establishment(&f->req, f->seq++);
	f->req.create_pdr[1].far_id = 9;
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_RULE_FAILURE);
	assert_int_equal(f->rsp.offending_ie, PFCP_IE_CREATE_PDR);
	assert_int_equal(session_count(f->core.sessions), 0);
	assert_int_equal(ippool_assigned_count(f->core.pool), 0);
}

static void
test_upf_handle_address_outside_subnet_69(void **state)
{
	struct fixture *f = *state;

	send_setup(f, RTS);
	open5gs_establishment(&f->req, f->seq++);
	f->req.create_pdr[0].pdi.ue_ip.v4_be = IP4(10, 46, 0, 2);
	f->req.create_pdr[1].pdi.ue_ip.v4_be = IP4(10, 46, 0, 2);
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(f->rsp.offending_ie, PFCP_IE_UE_IP_ADDRESS);
	assert_int_equal(session_count(f->core.sessions), 0);
}

/* A Modification whose Update FAR 1 moves the downlink to TEID 0x77 at 172.31.1.9. */
static void
modification_moving_far1(struct fixture *f, uint64_t seid)
{
	memset(&f->req, 0, sizeof(f->req));
	f->req.hdr = (struct pfcp_hdr){ .type = PFCP_SESS_MOD_REQ, .seid = seid, .seq = f->seq++ };
	f->req.n_update_far = 1;
	f->req.update_far[0] = (struct pfcp_far){ .has = PFCP_FAR_HAS_FWD,
		.far_id = 1,
		.fwd = { .has = PFCP_FWD_HAS_OHC,
		    .ohc = { .desc = PFCP_OHC_GTPU_UDP_IPV4,
			.teid = 0x77,
			.v4_be = IP4(172, 31, 1, 9) } } };
}

static void
test_upf_handle_modify_moves_downlink(void **state)
{
	struct fixture *f = *state;
	struct session *s;

	send_setup(f, RTS);
	establish(f);
	modification_moving_far1(f, up_seid(f));
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	s = session_find_ip(f->core.sessions, UE);
	assert_int_equal(s->dl_teid, 0x77);
	assert_int_equal(s->dl_addr_be, IP4(172, 31, 1, 9));
}

static void
test_upf_handle_modify_refused_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct session *s;

	send_setup(f, RTS);
	establish(f);
	modification_moving_far1(f, up_seid(f));
	f->req.n_update_pdr = 1;
	f->req.update_pdr[0] = (struct pfcp_pdr){ .pdr_id = 1, .n_qer_ids = 1, .qer_ids = { 42 } };
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_RULE_FAILURE);
	s = session_find_ip(f->core.sessions, UE);
	assert_int_equal(s->dl_teid, 1);
	assert_int_equal(s->rules->pdr[0].qer_id[0], 1);
}

static void
test_upf_handle_delete_then_65(void **state)
{
	struct fixture *f = *state;
	uint64_t seid;
	uint32_t teid;

	send_setup(f, RTS);
	establish(f);
	seid = up_seid(f);
	teid = f->rsp.created_pdr[0].fteid.teid;
	send_header_only(f, PFCP_SESS_DEL_REQ, seid);
	assert_int_equal(f->rsp.hdr.type, PFCP_SESS_DEL_RSP);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.hdr.seid, CP_SEID);
	assert_int_equal(session_count(f->core.sessions), 0);
	assert_null(session_find_teid(f->core.sessions, teid));
	assert_int_equal(ippool_assigned_count(f->core.pool), 0);
	send_header_only(f, PFCP_SESS_DEL_REQ, seid);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_SESSION_NOT_FOUND);
}

/* The SMF allocates the addresses: one it gives again, its own session lost, replaces that one. */
static void
test_upf_handle_establish_same_address_replaces_stale(void **state)
{
	struct fixture *f = *state;
	struct upf_assoc_view v;
	uint64_t old_seid;

	send_setup(f, RTS);
	establish(f);
	old_seid = up_seid(f);
	open5gs_establishment(&f->req, f->seq++);
	f->req.fseid.seid = CP_SEID + 7;
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(session_count(f->core.sessions), 1);
	assert_int_equal(session_find_ip(f->core.sessions, UE)->owner.peer_ref, CP_SEID + 7);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_SESSIONS_REPLACED], 1);
	assert_int_equal(upf_associations(f->upf, &v, 1), 1);
	assert_int_equal(v.sessions, 1);
	/* The old SEID reaches nothing now. */
	send_header_only(f, PFCP_SESS_DEL_REQ, old_seid);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_SESSION_NOT_FOUND);
}

static void
test_upf_handle_setup_new_recovery_purges(void **state)
{
	struct fixture *f = *state;

	send_setup(f, RTS);
	establish(f);
	send_setup(f, RTS); /* the same control plane, the same life: sessions stay */
	assert_int_equal(session_count(f->core.sessions), 1);
	send_setup(f, RTS + 60); /* it restarted */
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(session_count(f->core.sessions), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_CP_RESTARTS], 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_SESSIONS_PURGED], 1);
}

/* A restarted SMF numbers from 1 again: its requests are new, never replays of the old ones'. */
static void
test_upf_handle_restarted_cp_same_sequence_numbers_carried_out(void **state)
{
	struct fixture *f = *state;
	uint64_t old_seid;

	send_setup(f, RTS);
	establish(f);
	old_seid = up_seid(f);
	f->seq = 1;
	send_setup(f, RTS + 60);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_CP_RESTARTS], 1);
	open5gs_establishment(&f->req, f->seq++);
	f->req.fseid.seid = CP_SEID + 1;
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.hdr.seid, CP_SEID + 1);
	assert_int_not_equal(up_seid(f), old_seid);
	assert_int_equal(session_count(f->core.sessions), 1);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_RETRANSMISSIONS_ANSWERED], 0);
}

static void
test_upf_tick_unanswered_heartbeats_lose_association(void **state)
{
	struct fixture *f = *state;

	send_setup(f, RTS);
	establish(f);
	f->n_sent = 0;
	/* A heartbeat at once, then the first send and three retransmissions, T1 apart. */
	for (int i = 0; i < 6; i++, f->now += 3000)
		upf_tick(f->upf, f->now);
	assert_int_equal(f->n_sent, 4);
	assert_int_equal(f->sent[0].dst, SMF);
	assert_int_equal(f->sent[0].buf[1], PFCP_HEARTBEAT_REQ);
	assert_int_equal(upf_associations(f->upf, NULL, 0), 0);
	assert_int_equal(session_count(f->core.sessions), 0);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_ASSOCIATIONS_LOST], 1);
}

static void
test_upf_send_reports_volume_threshold(void **state)
{
	struct fixture *f = *state;
	struct session *s;
	struct rules_pkt p = { .tunnelled = false, .len = 700 };
	const struct rules_far *far;
	struct pfcp_hdr h;
	struct pfcp_err err;
	struct pfcp_msg *m = &f->rsp;

	send_setup(f, RTS);
	open5gs_establishment(&f->req, f->seq++);
	f->req.n_create_urr = 1;
	f->req.create_urr[0] = (struct pfcp_urr){
		.has = PFCP_URR_HAS_METHOD | PFCP_URR_HAS_TRIGGERS | PFCP_URR_HAS_VOL_THRESH,
		.urr_id = 7,
		.method = PFCP_MM_VOLUM,
		.triggers = PFCP_RT_VOLTH,
		.vol_thresh = { .flags = PFCP_VOL_TOVOL, .total = 1000 }
	};
	f->req.create_pdr[0].n_urr_ids = 1;
	f->req.create_pdr[0].urr_ids[0] = 7;
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	s = session_find_ip(f->core.sessions, UE);
	p.dst_be = UE;
	for (int i = 0; i < 2; i++)
		assert_int_equal(rules_apply(s->rules, rules_match(s->rules, &p), &p, f->now, &far),
		    RULES_FORWARD);
	f->n_sent = 0;
	upf_send_reports(f->upf, f->now);
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(pfcp_parse_header(f->sent[0].buf, f->sent[0].len, &h), PFCP_HDR_OK);
	assert_int_equal(h.type, PFCP_SESS_REPORT_REQ);
	assert_int_equal(h.seid, CP_SEID);
	assert_int_equal(
	    pfcp_parse_body(f->sent[0].buf, f->sent[0].len, &h, m, &err), PFCP_CAUSE_OK);
	assert_int_equal(m->n_usage_report, 1);
	assert_int_equal(m->usage_report[0].urr_id, 7);
	assert_int_equal(m->usage_report[0].trigger, PFCP_URT_VOLTH);
	assert_int_equal(m->usage_report[0].vol_dl, 1400);
	assert_int_equal(m->usage_report[0].vol_total, 1400);
	assert_int_equal(m->usage_report[0].pkt_dl, 2);
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_USAGE_REPORTS_SENT], 1);
	/* Reported: nothing more waits. */
	upf_send_reports(f->upf, f->now);
	assert_int_equal(f->n_sent, 1);
}

/* What the session table's fast-path reader answers (XDP's counters in the daemon). */
static struct rules_usage fake_fast;

static void
read_fake_fast(void *arg, const struct session *s, struct rules_usage *out)
{
	(void)arg;
	(void)s;
	*out = fake_fast;
}

/*
 * The open5gs set with URR 8 on both its PDRs is one XDP carries: what XDP
 * counted after the establishment (not before) is in the final report.
 */
static void
test_upf_handle_delete_reports_what_the_fast_path_carried(void **state)
{
	struct fixture *f = *state;
	struct rules_fast_plan plan;
	struct session *s;

	send_setup(f, RTS);
	session_set_fast_usage(f->core.sessions, read_fake_fast, NULL);
	fake_fast = (struct rules_usage){ 1, 100, 2, 200 };
	open5gs_establishment(&f->req, f->seq++);
	f->req.n_create_urr = 1;
	f->req.create_urr[0] =
	    (struct pfcp_urr){ .has = PFCP_URR_HAS_METHOD | PFCP_URR_HAS_TRIGGERS,
		    .urr_id = 8,
		    .method = PFCP_MM_VOLUM,
		    .triggers = PFCP_RT_TIMTH }; /* no time threshold given: it never fires */
	for (int i = 0; i < 2; i++) {
		f->req.create_pdr[i].n_urr_ids = 1;
		f->req.create_pdr[i].urr_ids[0] = 8;
	}
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	s = session_find_ip(f->core.sessions, UE);
	assert_non_null(s);
	assert_true(rules_fast_plan(s->rules, s->teid, s->ip_be, &plan));
	fake_fast = (struct rules_usage){ 11, 1100, 22, 2200 };
	send_header_only(f, PFCP_SESS_DEL_REQ, up_seid(f));
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_REQUEST_ACCEPTED);
	assert_int_equal(f->rsp.n_usage_report, 1);
	assert_int_equal(f->rsp.usage_report[0].urr_id, 8);
	assert_int_equal(f->rsp.usage_report[0].vol_ul, 1000);
	assert_int_equal(f->rsp.usage_report[0].vol_dl, 2000);
	assert_int_equal(f->rsp.usage_report[0].vol_total, 3000);
	assert_int_equal(f->rsp.usage_report[0].pkt_ul, 10);
	assert_int_equal(f->rsp.usage_report[0].pkt_dl, 20);
	session_set_fast_usage(f->core.sessions, NULL, NULL);
}

/* §7.2.2.4.2: the refusal goes to the CP SEID the request carried, not to 0. */
static void
test_upf_handle_establish_missing_node_id_66_to_cp_seid(void **state)
{
	struct fixture *f = *state;

	send_setup(f, RTS);
	open5gs_establishment(&f->req, f->seq++);
	f->req.has &= ~(uint64_t)PFCP_MSG_HAS_NODE_ID;
	send_session_req(f, &f->req);
	assert_int_equal(f->rsp.hdr.type, PFCP_SESS_EST_RSP);
	assert_int_equal(f->rsp.cause, PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(f->rsp.offending_ie, PFCP_IE_NODE_ID);
	assert_int_equal(f->rsp.hdr.seid, CP_SEID);
	assert_int_equal(session_count(f->core.sessions), 0);
}

static void
test_upf_handle_bad_version_answered(void **state)
{
	struct fixture *f = *state;
	uint8_t v2[] = { 0x40, PFCP_HEARTBEAT_REQ, 0x00, 0x0c, 0, 0, 9, 0, 0x00, 0x60, 0x00, 0x04,
		1, 2, 3, 4 };

	deliver(f, v2, sizeof(v2));
	assert_int_equal(f->out[1], PFCP_VERSION_NOT_SUPPORTED);
	assert_int_equal(vpg_counters.drop[VPG_DROP_PFCP_BAD_VERSION], 1);
}

/* The UPF again, taking PFCP only from allowed; the one of setup is freed. */
static void
restart_with_peers(struct fixture *f, const struct cidr_list *allowed)
{
	struct upf_config cfg = { .pfcp_addr_be = UPF,
		.gtpu_addr_be = GTPU,
		.node_id = "172.31.3.2",
		.started_unix = 1700000000,
		.allowed_peers = allowed };

	upf_free(f->upf);
	f->upf = upf_new(&cfg, &f->core, record_send, f, f->now);
	assert_non_null(f->upf);
}

static void
test_upf_handle_setup_from_outside_allowed_peers_unanswered(void **state)
{
	struct fixture *f = *state;
	struct cidr_list allowed = { 0 };

	assert_int_equal(cidr_list_add(&allowed, IP4(172, 31, 4, 0), 24), 0);
	restart_with_peers(f, &allowed);
	send_setup(f, 3900000000u);
	assert_int_equal(f->out_len, 0);
	assert_int_equal(f->n_sent, 0);
	assert_int_equal(upf_associations(f->upf, NULL, 0), 0);
	assert_int_equal(vpg_counters.drop[VPG_DROP_PFCP_PEER_NOT_ALLOWED], 1);
	/* Dropped unread: not even counted as a PFCP message received. */
	assert_int_equal(vpg_counters.ctr[VPG_CTR_PFCP_RX_MESSAGES], 0);
}

static void
test_upf_handle_setup_from_allowed_peer_answered(void **state)
{
	struct fixture *f = *state;
	struct cidr_list allowed = { 0 };

	assert_int_equal(cidr_list_add(&allowed, IP4(172, 31, 4, 0), 24), 0);
	assert_int_equal(cidr_list_add(&allowed, SMF, 32), 0);
	restart_with_peers(f, &allowed);
	send_setup(f, 3900000000u);
	assert_int_not_equal(f->out_len, 0);
	assert_int_equal(upf_associations(f->upf, NULL, 0), 1);
	assert_int_equal(vpg_counters.drop[VPG_DROP_PFCP_PEER_NOT_ALLOWED], 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_upf_handle_setup_accepted_with_features),
		T(test_upf_handle_setup_from_outside_allowed_peers_unanswered),
		T(test_upf_handle_setup_from_allowed_peer_answered),
		T(test_upf_handle_establish_without_association_72),
		T(test_upf_handle_establish_open5gs_created_pdrs),
		T(test_upf_handle_retransmitted_establishment_answered_once),
		T(test_upf_handle_choose_ue_ip_honours_imsi_map),
		T(test_upf_handle_unknown_far_73_nothing_made),
		T(test_upf_handle_address_outside_subnet_69),
		T(test_upf_handle_modify_moves_downlink),
		T(test_upf_handle_modify_refused_changes_nothing),
		T(test_upf_handle_delete_then_65),
		T(test_upf_handle_establish_same_address_replaces_stale),
		T(test_upf_handle_setup_new_recovery_purges),
		T(test_upf_handle_restarted_cp_same_sequence_numbers_carried_out),
		T(test_upf_tick_unanswered_heartbeats_lose_association),
		T(test_upf_send_reports_volume_threshold),
		T(test_upf_handle_delete_reports_what_the_fast_path_carried),
		T(test_upf_handle_establish_missing_node_id_66_to_cp_seid),
		T(test_upf_handle_bad_version_answered),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
