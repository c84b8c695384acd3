#include "roles/ggsn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/attach.h"
#include "core/counters.h"
#include "roles/gtp_peers.h"
#include "roles/sig_path.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/gtpc.h"
#include "proto/ipv4.h"
#include "proto/pco.h"

/* The GGSN's own part of a session: the negotiated QoS profile, echoed in responses. */
struct ggsn_bearer {
	uint8_t qos_len;
	uint8_t qos[GGSN_QOS_MAX];
};
_Static_assert(sizeof(struct ggsn_bearer) <= SESSION_ROLE_DATA, "the GGSN's state must fit");

static struct ggsn_bearer *
bearer_of(struct session *s)
{
	return (struct ggsn_bearer *)s->role_data;
}

/* What a Create or Update PDP Context Request carries, decoded and checked. */
struct pdp_req {
	char imsi[16];
	char msisdn[24];
	char apn[ATTACH_APN_LEN];
	uint8_t nsapi;
	bool teardown;
	uint32_t teid_data, teid_ctrl;
	bool has_teid_ctrl;
	uint32_t sgsn_ctrl_be, sgsn_data_be;
	const struct gtpc_ie *qos;
	struct gtpc_eua eua;
	struct pco_request pco; /* what the device asked for; nothing when absent */
};

/*
 * The largest PCO answer: octet 3, two DNS containers, an IPCP Configure-Nak
 * with two addresses, the MTU. Well below the 251 octets TS 24.008
 * §10.5.6.3 allows the value.
 */
#define GGSN_PCO_ANSWER_MAX 64

static bool
has(const struct gtpc_msg *m, uint8_t type)
{
	return m->ie[type].present;
}

static void
count_tx(struct vpg_wr *w, uint8_t type, uint8_t cause)
{
	if (w->overflow)
		return;
	counters_add(VPG_CTR_GTPC_TX_MESSAGES, 1);
	vpg_counters.gtpc_tx[type]++;
	if (cause != 0)
		vpg_counters.gtpc_tx_cause[cause]++;
}

/* A refusal carries the cause and our Recovery only (TS 29.060 §7.3.2). */
static void
build_reject(
    struct ggsn *gp, struct vpg_wr *w, uint8_t type, uint32_t teid, uint16_t seq, uint8_t cause)
{
	size_t hdr = gtpc_build_header(w, type, teid, seq);

	gtpc_put_tv8(w, GTPC_IE_CAUSE, cause);
	if (type != GTPC_DELETE_PDP_RSP)
		gtpc_put_tv8(w, GTPC_IE_RECOVERY, gp->restart_counter);
	gtpc_build_finish(w, hdr);
	count_tx(w, type, cause);
}

/* The IEs both Create and Update require; 0 or a cause. */
static uint8_t
decode_bearer(const struct gtpc_msg *m, struct pdp_req *r)
{
	if (!has(m, GTPC_IE_TEID_DATA_I) || !has(m, GTPC_IE_NSAPI) ||
	    !has(m, GTPC_IE_GSN_ADDRESS) || !m->gsn_addr2.present || !has(m, GTPC_IE_QOS_PROFILE))
		return GTPC_CAUSE_MANDATORY_IE_MISSING;
	if (gtpc_ie_u32(&m->ie[GTPC_IE_TEID_DATA_I], &r->teid_data) < 0 || r->teid_data == 0 ||
	    gtpc_ie_u8(&m->ie[GTPC_IE_NSAPI], &r->nsapi) < 0 ||
	    gtpc_ie_ipv4(&m->ie[GTPC_IE_GSN_ADDRESS], &r->sgsn_ctrl_be) < 0 ||
	    gtpc_ie_ipv4(&m->gsn_addr2, &r->sgsn_data_be) < 0 ||
	    m->ie[GTPC_IE_QOS_PROFILE].len > GGSN_QOS_MAX || m->ie[GTPC_IE_QOS_PROFILE].len < 1)
		return GTPC_CAUSE_MANDATORY_IE_INCORRECT;
	/*
	 * TS 24.008 §10.5.6.2 reserves NSAPI 0-4, but SGSNs in the field (sgsnemu
	 * by default) use 0, and the GGSN needs the value only to tell contexts
	 * apart, so any 4-bit value is taken; the spare high bits are ignored.
	 */
	r->nsapi &= 0x0f;
	r->qos = &m->ie[GTPC_IE_QOS_PROFILE];
	if (has(m, GTPC_IE_TEID_CONTROL)) {
		if (gtpc_ie_u32(&m->ie[GTPC_IE_TEID_CONTROL], &r->teid_ctrl) < 0)
			return GTPC_CAUSE_MANDATORY_IE_INCORRECT;
		r->has_teid_ctrl = true;
	}
	return 0;
}

/* Create PDP Context Request, TS 29.060 §7.3.1: 0 when acceptable, else the cause. */
static uint8_t
decode_create(const struct ggsn *gp, const struct gtpc_msg *m, struct pdp_req *r)
{
	uint8_t cause;

	/* The SGSN's control TEID first, so that even a refusal reaches its context. */
	if (has(m, GTPC_IE_TEID_CONTROL) &&
	    gtpc_ie_u32(&m->ie[GTPC_IE_TEID_CONTROL], &r->teid_ctrl) == 0)
		r->has_teid_ctrl = true;
	if (!has(m, GTPC_IE_IMSI) || !has(m, GTPC_IE_END_USER_ADDRESS) ||
	    !has(m, GTPC_IE_TEID_CONTROL))
		return GTPC_CAUSE_MANDATORY_IE_MISSING;
	cause = decode_bearer(m, r);
	if (cause != 0)
		return cause;
	if (gtpc_ie_imsi(&m->ie[GTPC_IE_IMSI], r->imsi) < 0 || r->imsi[0] == '\0' ||
	    gtpc_ie_eua(&m->ie[GTPC_IE_END_USER_ADDRESS], &r->eua) < 0)
		return GTPC_CAUSE_MANDATORY_IE_INCORRECT;
	/* TS 29.060 §11.1.8: an invalid optional IE is treated as absent. */
	if (has(m, GTPC_IE_MSISDN) && gtpc_ie_msisdn(&m->ie[GTPC_IE_MSISDN], r->msisdn) < 0)
		r->msisdn[0] = '\0';
	if (has(m, GTPC_IE_PCO) &&
	    pco_parse(m->ie[GTPC_IE_PCO].val, m->ie[GTPC_IE_PCO].len, &r->pco) < 0)
		log_debug("create imsi=%s: malformed PCO ignored", r->imsi);
	if (has(m, GTPC_IE_APN) && gtpc_ie_apn(&m->ie[GTPC_IE_APN], r->apn, sizeof(r->apn)) < 0)
		return GTPC_CAUSE_MISSING_OR_UNKNOWN_APN;
	if (!attach_apn_served(gp->core, r->apn))
		return GTPC_CAUSE_MISSING_OR_UNKNOWN_APN;
	if (!r->eua.ipv4)
		return GTPC_CAUSE_UNKNOWN_PDP_ADDRESS_OR_TYPE;
	return 0;
}

static void
fill_bearer(struct ggsn *gp, struct session *s, const struct pdp_req *r)
{
	struct ggsn_bearer *b = bearer_of(s);

	attach_move_downlink(gp->core, s, r->teid_data, r->sgsn_data_be);
	if (r->has_teid_ctrl)
		s->owner.peer_ref = r->teid_ctrl;
	s->owner.peer_be = r->sgsn_ctrl_be;
	b->qos_len = (uint8_t)r->qos->len;
	memcpy(b->qos, r->qos->val, r->qos->len);
}

static uint8_t
cause_of(enum attach_refusal refusal)
{
	switch (refusal) {
	case ATTACH_OK:
		return 0;
	case ATTACH_APN_NOT_SERVED:
		return GTPC_CAUSE_MISSING_OR_UNKNOWN_APN;
	case ATTACH_POOL_EXHAUSTED:
		return GTPC_CAUSE_ALL_DYNAMIC_ADDRESSES_OCCUPIED;
	case ATTACH_ADDRESS_REFUSED:
		return GTPC_CAUSE_UNKNOWN_PDP_ADDRESS_OR_TYPE;
	case ATTACH_NO_RESOURCES:
	case ATTACH_TEID_IN_USE:
		break;
	}
	return GTPC_CAUSE_NO_RESOURCES;
}

/* Through the session core, which replaces a context of the same IMSI/NSAPI (§7.3.1). */
static uint8_t
create_session(struct ggsn *gp, const struct pdp_req *r, struct session **out)
{
	struct attach_req req = { .imsi = r->imsi,
		.msisdn = r->msisdn,
		.apn = r->apn,
		.bearer_id = r->nsapi,
		.owner = { .role = SESSION_ROLE_GGSN, .peer_be = r->sgsn_ctrl_be },
		/* The tunnel from the start: the session is told to the fast path once, whole. */
		.dl_teid = r->teid_data,
		.dl_addr_be = r->sgsn_data_be,
		.replace_same_bearer = true };
	uint8_t cause = cause_of(attach_create(gp->core, &req, out));

	if (cause != 0)
		return cause;
	(*out)->owner.local_ref = (*out)->teid;
	fill_bearer(gp, *out, r);
	gtp_peers_session_added(gp->peers, r->sgsn_ctrl_be);
	return 0;
}

/* The IEs of an accepted Create or Update response, in ascending type order (§7.7). */
static void
put_bearer_ies(struct ggsn *gp, struct vpg_wr *w, const struct session *s)
{
	gtpc_put_tv8(w, GTPC_IE_RECOVERY, gp->restart_counter);
	gtpc_put_tv32(w, GTPC_IE_TEID_DATA_I, s->teid);
	gtpc_put_tv32(w, GTPC_IE_TEID_CONTROL, s->teid);
	gtpc_put_tv32(w, GTPC_IE_CHARGING_ID, s->charging_id);
}

static void
put_addresses_qos(struct ggsn *gp, struct vpg_wr *w, struct session *s)
{
	const struct ggsn_bearer *b = bearer_of(s);

	/* Signalling, then user traffic: the order is how the two are told apart (§7.3.2). */
	gtpc_put_gsn_ipv4(w, gp->local_be);
	gtpc_put_gsn_ipv4(w, gp->local_be);
	gtpc_put_tlv(w, GTPC_IE_QOS_PROFILE, b->qos, b->qos_len);
}

/* §7.3.2: the PCO IE answers what the device asked and the gateway offers, if anything. */
static void
put_pco_answer(struct ggsn *gp, struct vpg_wr *w, const struct pco_request *req)
{
	uint8_t answer[GGSN_PCO_ANSWER_MAX];
	size_t len = pco_build_answer(req, &gp->core->device_offer, answer, sizeof(answer));

	if (len > 0)
		gtpc_put_tlv(w, GTPC_IE_PCO, answer, (uint16_t)len);
}

static void
build_create_accept(struct ggsn *gp, struct vpg_wr *w, struct session *s,
    const struct pco_request *pco, uint16_t seq)
{
	size_t hdr = gtpc_build_header(w, GTPC_CREATE_PDP_RSP, (uint32_t)s->owner.peer_ref, seq);

	gtpc_put_tv8(w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	/* §7.7.6: "Reordering Required" is mandatory when accepted; we never reorder. */
	gtpc_put_tv8(w, GTPC_IE_REORDERING_REQUIRED, 0xfe);
	put_bearer_ies(gp, w, s);
	gtpc_put_eua_ipv4(w, s->ip_be);
	put_pco_answer(gp, w, pco);
	put_addresses_qos(gp, w, s);
	gtpc_build_finish(w, hdr);
	count_tx(w, GTPC_CREATE_PDP_RSP, GTPC_CAUSE_REQUEST_ACCEPTED);
}

static void
handle_create(struct ggsn *gp, const struct gtpc_msg *m, struct vpg_wr *w)
{
	struct pdp_req r = { 0 };
	struct session *s = NULL;
	uint8_t cause = decode_create(gp, m, &r);
	uint8_t restart;
	char ip[16];

	/* A new restart counter clears the SGSN's old contexts before this one is made. */
	if (r.sgsn_ctrl_be != 0 && m->ie[GTPC_IE_RECOVERY].present &&
	    gtpc_ie_u8(&m->ie[GTPC_IE_RECOVERY], &restart) == 0)
		gtp_peers_recovery(gp->peers, r.sgsn_ctrl_be, restart);
	if (cause == 0)
		cause = create_session(gp, &r, &s);
	if (cause != 0) {
		log_info("refused create imsi=%s cause=%u", r.imsi[0] ? r.imsi : "-", cause);
		build_reject(
		    gp, w, GTPC_CREATE_PDP_RSP, r.has_teid_ctrl ? r.teid_ctrl : 0, m->seq, cause);
		return;
	}
	log_info("attached imsi=%s nsapi=%u ip=%s teid=0x%08x sgsn_teid=0x%08x", s->imsi,
	    s->bearer_id, ipv4_str(s->ip_be, ip), s->teid, s->dl_teid);
	build_create_accept(gp, w, s, &r.pco, m->seq);
}

/* Update PDP Context Request from the SGSN, TS 29.060 §7.3.3. */
static void
handle_update(struct ggsn *gp, const struct gtpc_msg *m, struct vpg_wr *w)
{
	struct session *s = session_find_teid(gp->core->sessions, m->teid);
	struct pdp_req r = { 0 };
	uint8_t cause;
	size_t hdr;

	if (s == NULL) {
		build_reject(gp, w, GTPC_UPDATE_PDP_RSP, 0, m->seq, GTPC_CAUSE_NON_EXISTENT);
		return;
	}
	cause = decode_bearer(m, &r);
	if (cause == 0 && r.nsapi != s->bearer_id)
		cause = GTPC_CAUSE_NON_EXISTENT;
	if (cause != 0) {
		build_reject(
		    gp, w, GTPC_UPDATE_PDP_RSP, (uint32_t)s->owner.peer_ref, m->seq, cause);
		return;
	}
	/* An inter-SGSN routing area update moves the context to the new SGSN. */
	if (r.sgsn_ctrl_be != s->owner.peer_be) {
		gtp_peers_session_gone(gp->peers, s->owner.peer_be);
		gtp_peers_session_added(gp->peers, r.sgsn_ctrl_be);
	}
	fill_bearer(gp, s, &r);
	counters_add(VPG_CTR_SESSIONS_UPDATED, 1);
	hdr = gtpc_build_header(w, GTPC_UPDATE_PDP_RSP, (uint32_t)s->owner.peer_ref, m->seq);
	gtpc_put_tv8(w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	put_bearer_ies(gp, w, s);
	put_addresses_qos(gp, w, s);
	gtpc_build_finish(w, hdr);
	count_tx(w, GTPC_UPDATE_PDP_RSP, GTPC_CAUSE_REQUEST_ACCEPTED);
}

/* Teardown Ind set: every context of the IMSI goes (TS 29.060 §7.3.5). */
static void
drop_all_of_imsi(struct ggsn *gp, const char *imsi)
{
	char copy[16];

	strcpy(copy, imsi);
	for (uint8_t nsapi = 0; nsapi <= 15; nsapi++) {
		struct session *s = session_find_imsi(gp->core->sessions, copy, nsapi);

		if (s != NULL && s->owner.role == SESSION_ROLE_GGSN)
			attach_delete(gp->core, s, "delete with teardown");
	}
}

/* Delete PDP Context Request from the SGSN, TS 29.060 §7.3.5. */
static void
handle_delete(struct ggsn *gp, const struct gtpc_msg *m, struct vpg_wr *w)
{
	struct session *s = session_find_teid(gp->core->sessions, m->teid);
	uint8_t teardown = 0, nsapi;
	uint32_t sgsn_teid;
	size_t hdr;

	if (s == NULL) {
		build_reject(gp, w, GTPC_DELETE_PDP_RSP, 0, m->seq, GTPC_CAUSE_NON_EXISTENT);
		return;
	}
	sgsn_teid = (uint32_t)s->owner.peer_ref;
	if (!has(m, GTPC_IE_NSAPI)) {
		build_reject(
		    gp, w, GTPC_DELETE_PDP_RSP, sgsn_teid, m->seq, GTPC_CAUSE_MANDATORY_IE_MISSING);
		return;
	}
	if (gtpc_ie_u8(&m->ie[GTPC_IE_NSAPI], &nsapi) < 0 || (nsapi & 0x0f) != s->bearer_id) {
		build_reject(gp, w, GTPC_DELETE_PDP_RSP, sgsn_teid, m->seq,
		    GTPC_CAUSE_MANDATORY_IE_INCORRECT);
		return;
	}
	if (has(m, GTPC_IE_TEARDOWN_IND) &&
	    gtpc_ie_u8(&m->ie[GTPC_IE_TEARDOWN_IND], &teardown) == 0 && (teardown & 1))
		drop_all_of_imsi(gp, s->imsi);
	else
		attach_delete(gp->core, s, "delete");
	hdr = gtpc_build_header(w, GTPC_DELETE_PDP_RSP, sgsn_teid, m->seq);
	gtpc_put_tv8(w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	gtpc_build_finish(w, hdr);
	count_tx(w, GTPC_DELETE_PDP_RSP, GTPC_CAUSE_REQUEST_ACCEPTED);
}

static void
handle_echo(struct ggsn *gp, const struct gtpc_msg *m, struct vpg_wr *w)
{
	size_t hdr = gtpc_build_header(w, GTPC_ECHO_RSP, 0, m->seq);

	gtpc_put_tv8(w, GTPC_IE_RECOVERY, gp->restart_counter);
	gtpc_build_finish(w, hdr);
	count_tx(w, GTPC_ECHO_RSP, 0);
}

/* TS 29.060 §11.1.1: answer another GTP version with our own version's header only. */
static void
build_version_not_supported(struct vpg_wr *w, const struct gtpc_msg *m)
{
	size_t hdr = gtpc_build_header(w, GTPC_VERSION_NOT_SUPPORTED, 0, m->seq);

	gtpc_build_finish(w, hdr);
	count_tx(w, GTPC_VERSION_NOT_SUPPORTED, 0);
}

static bool
is_request(uint8_t type)
{
	return type == GTPC_ECHO_REQ || type == GTPC_CREATE_PDP_REQ ||
	       type == GTPC_UPDATE_PDP_REQ || type == GTPC_DELETE_PDP_REQ;
}

/* Requests whose IEs could not be read get "Invalid message format" (§11.1.6). */
static void
answer_unparsable(struct ggsn *gp, const struct gtpc_msg *m, struct vpg_wr *w)
{
	static const uint8_t response_of[256] = {
		[GTPC_ECHO_REQ] = GTPC_ECHO_RSP,
		[GTPC_CREATE_PDP_REQ] = GTPC_CREATE_PDP_RSP,
		[GTPC_UPDATE_PDP_REQ] = GTPC_UPDATE_PDP_RSP,
		[GTPC_DELETE_PDP_REQ] = GTPC_DELETE_PDP_RSP,
	};
	const struct session *s = session_find_teid(gp->core->sessions, m->teid);

	if (m->type == GTPC_ECHO_REQ || !is_request(m->type))
		return;
	build_reject(gp, w, response_of[m->type], s != NULL ? (uint32_t)s->owner.peer_ref : 0,
	    m->seq, GTPC_CAUSE_INVALID_MESSAGE_FORMAT);
}

/* A response to one of our requests; anything else unsolicited is dropped (§11.1.4). */
static void
handle_response(struct ggsn *gp, const struct gtpc_rx *rx, const struct gtpc_msg *m)
{
	if ((m->type == GTPC_DELETE_PDP_RSP || m->type == GTPC_ECHO_RSP) && gp->path != NULL &&
	    sig_path_answer(gp->path, rx->from_be, m->seq, rx->buf, rx->len))
		return;
	counters_drop(VPG_DROP_GTPC_UNEXPECTED);
}

static void
dispatch(struct ggsn *gp, const struct gtpc_msg *m, struct vpg_wr *w)
{
	switch (m->type) {
	case GTPC_ECHO_REQ:
		handle_echo(gp, m, w);
		break;
	case GTPC_CREATE_PDP_REQ:
		handle_create(gp, m, w);
		break;
	case GTPC_UPDATE_PDP_REQ:
		handle_update(gp, m, w);
		break;
	case GTPC_DELETE_PDP_REQ:
		handle_delete(gp, m, w);
		break;
	}
}

/* §7.6: a retransmitted request gets the same response again, not a second run. */
static size_t
replay(
    struct ggsn *gp, const struct gtpc_rx *rx, const struct gtpc_msg *m, uint8_t *out, size_t cap)
{
	size_t len = 0;
	const uint8_t *cached;

	if (gp->path == NULL)
		return 0;
	cached = sig_path_replay(
	    gp->path, rx->from_be, rx->from_port, m->seq, rx->buf, rx->len, rx->now_ms, &len);
	if (cached == NULL || len > cap)
		return 0;
	memcpy(out, cached, len);
	counters_add(VPG_CTR_GTPC_RETRANSMISSIONS_ANSWERED, 1);
	return len;
}

size_t
ggsn_handle(struct ggsn *gp, const struct gtpc_rx *rx, uint8_t *out, size_t cap)
{
	struct gtpc_msg m;
	struct vpg_wr w;
	enum vpg_drop drop;
	size_t len;

	if (!peer_filter_admit(&gp->filter, rx->from_be, rx->now_ms))
		return 0;
	drop = gtpc_parse(rx->buf, rx->len, &m);
	wr_init(&w, out, cap);
	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		if (drop == VPG_DROP_GTPC_BAD_VERSION && m.version != 1)
			build_version_not_supported(&w, &m);
		else if (drop == VPG_DROP_GTPC_BAD_IE)
			answer_unparsable(gp, &m, &w);
		return w.overflow ? 0 : w.len;
	}
	counters_add(VPG_CTR_GTPC_RX_MESSAGES, 1);
	vpg_counters.gtpc_rx[m.type]++;
	if (!is_request(m.type)) {
		handle_response(gp, rx, &m);
		return 0;
	}
	len = replay(gp, rx, &m, out, cap);
	if (len > 0)
		return len;
	dispatch(gp, &m, &w);
	if (w.overflow) {
		counters_drop(VPG_DROP_TX_FAILED);
		return 0;
	}
	if (gp->path != NULL)
		sig_path_remember(gp->path, rx->from_be, rx->from_port, m.seq, rx->buf, rx->len,
		    out, w.len, rx->now_ms);
	return w.len;
}

/* The API's detach: each context's SGSN hears of it through the path. */
static void
send_delete_request(void *arg, const struct session *s, uint64_t now_ms)
{
	struct ggsn *gp = arg;
	uint32_t seq = gp->path != NULL ? sig_path_next_seq(gp->path) : 0;
	uint8_t msg[64];
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, msg, sizeof(msg));
	hdr =
	    gtpc_build_header(&w, GTPC_DELETE_PDP_REQ, (uint32_t)s->owner.peer_ref, (uint16_t)seq);
	/*
	 * Each of our contexts is the only one of its PDP address, and §7.3.5 lets an
	 * SGSN ignore a delete of an address's last context unless Teardown Ind is 1.
	 */
	gtpc_put_tv8(&w, GTPC_IE_TEARDOWN_IND, 0xff);
	gtpc_put_tv8(&w, GTPC_IE_NSAPI, s->bearer_id);
	gtpc_build_finish(&w, hdr);
	if (gp->path == NULL || w.overflow ||
	    sig_path_request(gp->path, msg, w.len, seq, s->owner.peer_be, 0, now_ms) < 0) {
		counters_drop(VPG_DROP_TX_FAILED);
		return;
	}
	counters_add(VPG_CTR_GTPC_TX_MESSAGES, 1);
	vpg_counters.gtpc_tx[GTPC_DELETE_PDP_REQ]++;
}

int
ggsn_delete_imsi(struct ggsn *gp, const char *imsi, uint64_t now_ms)
{
	return (int)attach_delete_imsi(gp->core, SESSION_ROLE_GGSN, imsi, send_delete_request, gp,
	    now_ms, "deleted through the API");
}

/* GTPv1-C Echo Request (TS 29.060 §7.2.1): no IE; the response carries the Recovery. */
static size_t
build_echo(uint8_t *buf, size_t cap, uint32_t seq, uint8_t our_restart)
{
	struct vpg_wr w;
	size_t hdr;

	(void)our_restart;
	wr_init(&w, buf, cap);
	hdr = gtpc_build_header(&w, GTPC_ECHO_REQ, 0, (uint16_t)seq);
	gtpc_build_finish(&w, hdr);
	count_tx(&w, GTPC_ECHO_REQ, 0);
	return w.overflow ? 0 : w.len;
}

static int
echo_recovery(const uint8_t *rsp, size_t len, uint8_t *restart)
{
	struct gtpc_msg m;

	if (gtpc_parse(rsp, len, &m) != VPG_DROP_NONE || !m.ie[GTPC_IE_RECOVERY].present)
		return -1;
	return gtpc_ie_u8(&m.ie[GTPC_IE_RECOVERY], restart);
}

#define GGSN_COOKIE_ECHO (1ull << 63)

static const struct gtp_peers_ops sgsn_peers = { .role = SESSION_ROLE_GGSN,
	.kind = "sgsn",
	.build_echo = build_echo,
	.echo_recovery = echo_recovery,
	.echo_cookie = GGSN_COOKIE_ECHO,
	.ctr_restarts = VPG_CTR_GGSN_PEER_RESTARTS,
	.ctr_path_failures = VPG_CTR_GGSN_PATH_FAILURES,
	.ctr_sessions_ended = VPG_CTR_GGSN_SESSIONS_PURGED };

/* A Delete PDP Context of ours needs nothing done when it ends: it is final either way. */
static void
path_done(void *arg, uint64_t cookie, const uint8_t *rsp, size_t len)
{
	struct ggsn *gp = arg;

	if (cookie & GGSN_COOKIE_ECHO)
		gtp_peers_echo_done(gp->peers, cookie, rsp, len);
}

static void
path_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	struct ggsn *gp = arg;

	gp->send(gp->send_arg, msg, len, dst_be, port);
}

static void
session_gone(void *arg, const struct session *s)
{
	struct ggsn *gp = arg;

	gtp_peers_session_gone(gp->peers, s->owner.peer_be);
}

/* TS 29.060 §7.6: T3 and N3 are the operator's; 3 s and 3 retries; sequence numbers are 16 bits. */
int
ggsn_start(
    struct ggsn *gp, void (*send)(void *, const uint8_t *, size_t, uint32_t, uint16_t), void *arg)
{
	static const struct sig_path_timers gtpv1c_timers = { .port = GTPC_PORT,
		.resend_ms = 3000,
		.resends = 3,
		.seq_mask = 0xffff,
		.ctr_evicted_early = VPG_CTR_GTPC_REPLAY_EVICTED_EARLY };

	gp->send = send;
	gp->send_arg = arg;
	peer_filter_init(&gp->filter, gp->allowed_peers, VPG_DROP_GTPC_PEER_NOT_ALLOWED, "GTPv1-C");
	gp->path = sig_path_new(&gtpv1c_timers, gp->replay_bytes, path_send, path_done, gp);
	gp->peers = gp->path != NULL ? gtp_peers_new(gp->core, gp->path, &sgsn_peers,
					   gp->restart_counter, gp->echo_ms)
				     : NULL;
	if (gp->peers == NULL) {
		ggsn_stop(gp);
		return -1;
	}
	attach_set_role_hook(gp->core, SESSION_ROLE_GGSN,
	    &(struct attach_role_hook){ .deleted = session_gone, .arg = gp });
	return 0;
}

void
ggsn_stop(struct ggsn *gp)
{
	gtp_peers_free(gp->peers);
	sig_path_free(gp->path);
	gp->peers = NULL;
	gp->path = NULL;
}

void
ggsn_tick(struct ggsn *gp, uint64_t now_ms)
{
	if (gp->path == NULL)
		return;
	counters_add(VPG_CTR_GTPC_REQUESTS_GIVEN_UP, sig_path_tick(gp->path, now_ms));
	gtp_peers_tick(gp->peers, now_ms);
}
