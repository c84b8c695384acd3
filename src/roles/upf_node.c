/*
 * The UPF role's node procedures, TS 29.244 §6.2: associations with control
 * planes, heartbeats both ways, and what a control plane's restart or loss
 * does to its sessions; and the entry point every PFCP datagram goes
 * through (upf_handle): header checks, retransmitted requests answered from
 * the cache, responses to our own requests, then the procedure.
 */
#include "roles/upf.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/attach.h"
#include "core/counters.h"
#include "core/hmap.h"
#include "core/idset.h"
#include "core/ippool.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/ipv4.h"
#include "proto/pfcp.h"
#include "roles/sig_path.h"
#include "roles/upf_internal.h"

/* What we offer (§8.2.25): we choose TEIDs (FTUP) and addresses (UEIP), and take Framed-Routes. */
#define UPF_FEATURES (PFCP_UPF_FTUP | PFCP_UPF_UEIP | PFCP_UPF_FRRT | PFCP_UPF_EMPU)

void
upf_count_tx(const struct vpg_wr *w, uint8_t type, uint8_t cause)
{
	if (w->overflow)
		return;
	counters_add(VPG_CTR_PFCP_TX_MESSAGES, 1);
	vpg_counters.pfcp_tx[type & 63]++;
	if (cause != 0)
		vpg_counters.pfcp_tx_cause[cause]++;
}

uint32_t
upf_ntp_of_mono(const struct upf *u, uint64_t mono_ms)
{
	return pfcp_ntp_from_unix((u->unix_ms_at_start + (mono_ms - u->mono_ms_at_start)) / 1000);
}

void
upf_put_node_id(const struct upf *u, struct vpg_wr *w)
{
	struct in_addr a;

	if (inet_pton(AF_INET, u->cfg.node_id, &a) == 1)
		pfcp_put_node_id_ipv4(w, a.s_addr);
	else
		pfcp_put_node_id_fqdn(w, u->cfg.node_id);
}

static void
send_cb(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port)
{
	struct upf *u = arg;

	u->send(u->send_arg, msg, len, dst_be, dst_port);
}

static void heartbeat_done(struct upf *u, unsigned idx, const uint8_t *rsp, size_t len);

static void
path_done(void *arg, uint64_t cookie, const uint8_t *rsp, size_t len)
{
	struct upf *u = arg;

	if (rsp == NULL)
		counters_add(VPG_CTR_PFCP_REQUESTS_GIVEN_UP, 1);
	if (cookie & UPF_COOKIE_HEARTBEAT)
		heartbeat_done(u, (unsigned)(cookie & 0xff), rsp, len);
	else
		upf_session_report_done(u, cookie, rsp, len);
}

/* TS 29.244 §6.4: T1 and N1 are the operator's; 3 s and 3 retries are the common choice. */
static const struct sig_path_timers pfcp_timers = { .port = PFCP_PORT,
	.resend_ms = 3000,
	.resends = 3,
	.seq_mask = 0xffffff,
	.ctr_evicted_early = VPG_CTR_PFCP_REPLAY_EVICTED_EARLY };

struct upf *
upf_new(
    const struct upf_config *cfg, struct attach *core, upf_send_fn send, void *arg, uint64_t now_ms)
{
	struct upf *u = calloc(1, sizeof(*u));
	struct timespec ts;

	if (u == NULL)
		return NULL;
	u->cfg = *cfg;
	u->core = core;
	u->send = send;
	u->send_arg = arg;
	peer_filter_init(&u->filter, cfg->allowed_peers, VPG_DROP_PFCP_PEER_NOT_ALLOWED, "PFCP");
	u->recovery_ts = pfcp_ntp_from_unix(cfg->started_unix);
	clock_gettime(CLOCK_REALTIME, &ts);
	u->unix_ms_at_start = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	u->mono_ms_at_start = now_ms;
	if (getrandom(&u->rng, sizeof(u->rng), GRND_NONBLOCK) != sizeof(u->rng))
		u->rng = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull;
	u->rng |= 1;
	u->path = sig_path_new(&pfcp_timers, cfg->replay_bytes, send_cb, path_done, u);
	attach_set_role_hook(core, SESSION_ROLE_UPF,
	    &(struct attach_role_hook){ .deleted = upf_session_deleted, .arg = u });
	u->by_seid = hmap_new(ippool_capacity(core->pool));
	u->with_urr = idset_new(ippool_capacity(core->pool));
	if (u->path == NULL || u->by_seid == NULL || u->with_urr == NULL) {
		upf_free(u);
		return NULL;
	}
	return u;
}

void
upf_free(struct upf *u)
{
	if (u == NULL)
		return;
	sig_path_free(u->path);
	hmap_free(u->by_seid);
	idset_free(u->with_urr);
	free(u);
}

uint32_t
upf_recovery_ts(const struct upf *u)
{
	return u->recovery_ts;
}

static bool
same_node(const struct pfcp_node_id *a, const struct pfcp_node_id *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case PFCP_NODE_ID_IPV4:
		return a->v4_be == b->v4_be;
	case PFCP_NODE_ID_IPV6:
		return memcmp(a->v6, b->v6, 16) == 0;
	default:
		return strcasecmp(a->fqdn, b->fqdn) == 0;
	}
}

struct upf_assoc *
upf_assoc_of_node(struct upf *u, const struct pfcp_node_id *node)
{
	for (unsigned i = 0; i < UPF_MAX_ASSOCIATIONS; i++)
		if (u->assoc[i].in_use && same_node(&u->assoc[i].node, node))
			return &u->assoc[i];
	return NULL;
}

struct upf_assoc *
upf_assoc_of_addr(struct upf *u, uint32_t addr_be)
{
	for (unsigned i = 0; i < UPF_MAX_ASSOCIATIONS; i++)
		if (u->assoc[i].in_use && u->assoc[i].addr_be == addr_be)
			return &u->assoc[i];
	return NULL;
}

static void
node_name(const struct pfcp_node_id *n, char *out, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];

	if (n->type == PFCP_NODE_ID_IPV4)
		snprintf(out, cap, "%s", ipv4_str(n->v4_be, ip));
	else if (n->type == PFCP_NODE_ID_IPV6)
		snprintf(out, cap, "%s", inet_ntop(AF_INET6, n->v6, ip, sizeof(ip)));
	else
		snprintf(out, cap, "%s", n->fqdn);
}

/* The association goes, and every session of it (§6.2.7, §6.2.8). */
static void
assoc_drop(struct upf *u, struct upf_assoc *a, const char *why)
{
	unsigned n = upf_sessions_purge(u, a, why);

	log_info("pfcp: association with %s ended (%s), %u sessions removed", a->name, why, n);
	sig_path_forget_peer(u->path, a->addr_be);
	memset(a, 0, sizeof(*a));
}

/* A control plane with a new Recovery Time Stamp has lost its sessions (§6.2.2, §6.2.6). */
static void
cp_restarted(struct upf *u, struct upf_assoc *a, uint32_t recovery_ts)
{
	unsigned n = upf_sessions_purge(u, a, "control plane restarted");

	counters_add(VPG_CTR_PFCP_CP_RESTARTS, 1);
	sig_path_forget_replies(u->path, a->addr_be);
	log_info("pfcp: %s restarted (recovery %u -> %u), %u sessions removed", a->name,
	    a->recovery_ts, recovery_ts, n);
	a->recovery_ts = recovery_ts;
}

static void
build_heartbeat_rsp(struct upf *u, const struct pfcp_msg *m, struct vpg_wr *w)
{
	size_t hdr = pfcp_build_header(w, PFCP_HEARTBEAT_RSP, m->hdr.seq);

	pfcp_put_recovery_ts(w, u->recovery_ts);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, PFCP_HEARTBEAT_RSP, 0);
}

static void
handle_heartbeat(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w)
{
	struct upf_assoc *a = upf_assoc_of_addr(u, rx->from_be);

	if (a != NULL) {
		a->heartbeats_received++;
		if (a->recovery_ts != u->msg.recovery_ts)
			cp_restarted(u, a, u->msg.recovery_ts);
	}
	build_heartbeat_rsp(u, &u->msg, w);
}

/* Association Setup Response: ours, with the cause (§7.4.4.2). */
static void
build_setup_rsp(struct upf *u, uint32_t seq, uint8_t cause, struct vpg_wr *w)
{
	size_t hdr = pfcp_build_header(w, PFCP_ASSOC_SETUP_RSP, seq);

	upf_put_node_id(u, w);
	pfcp_put_cause(w, cause);
	pfcp_put_recovery_ts(w, u->recovery_ts);
	if (cause == PFCP_CAUSE_REQUEST_ACCEPTED)
		pfcp_put_up_features(w, UPF_FEATURES);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, PFCP_ASSOC_SETUP_RSP, cause);
}

static struct upf_assoc *
assoc_new(struct upf *u)
{
	for (unsigned i = 0; i < UPF_MAX_ASSOCIATIONS; i++)
		if (!u->assoc[i].in_use)
			return &u->assoc[i];
	return NULL;
}

/*
 * §6.2.6.2.2: a setup from a node already associated replaces the
 * association; its sessions stay when its Recovery Time Stamp is the same
 * (a lost response, a re-association), and go when it restarted.
 */
static void
handle_setup(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w)
{
	const struct pfcp_msg *m = &u->msg;
	struct upf_assoc *a = upf_assoc_of_node(u, &m->node_id);

	if (a != NULL && a->recovery_ts != m->recovery_ts)
		cp_restarted(u, a, m->recovery_ts);
	if (a == NULL) {
		a = assoc_new(u);
		if (a == NULL) {
			build_setup_rsp(u, m->hdr.seq, PFCP_CAUSE_NO_RESOURCES, w);
			return;
		}
		a->in_use = true;
		a->node = m->node_id;
		node_name(&m->node_id, a->name, sizeof(a->name));
		a->since = time(NULL);
		a->next_heartbeat_ms = rx->now_ms;
	}
	a->addr_be = rx->from_be;
	a->recovery_ts = m->recovery_ts;
	a->cp_features = m->cp_features;
	counters_add(VPG_CTR_PFCP_ASSOCIATIONS_SETUP, 1);
	log_info("pfcp: associated with %s", a->name);
	build_setup_rsp(u, m->hdr.seq, PFCP_CAUSE_REQUEST_ACCEPTED, w);
}

static void
build_node_rsp(struct upf *u, uint8_t type, uint32_t seq, uint8_t cause, struct vpg_wr *w)
{
	size_t hdr = pfcp_build_header(w, type, seq);

	upf_put_node_id(u, w);
	pfcp_put_cause(w, cause);
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, type, cause);
}

/* §6.2.7: an update changes features; the release request flags ask us to let go. */
static void
handle_update(struct upf *u, struct vpg_wr *w)
{
	const struct pfcp_msg *m = &u->msg;
	struct upf_assoc *a = upf_assoc_of_node(u, &m->node_id);

	if (a == NULL) {
		build_node_rsp(u, PFCP_ASSOC_UPDATE_RSP, m->hdr.seq, PFCP_CAUSE_NO_ASSOCIATION, w);
		return;
	}
	if (m->has & PFCP_MSG_HAS_CP_FEATURES)
		a->cp_features = m->cp_features;
	build_node_rsp(u, PFCP_ASSOC_UPDATE_RSP, m->hdr.seq, PFCP_CAUSE_REQUEST_ACCEPTED, w);
}

/* §6.2.8: the control plane ends the association; its sessions end with it. */
static void
handle_release(struct upf *u, struct vpg_wr *w)
{
	const struct pfcp_msg *m = &u->msg;
	struct upf_assoc *a = upf_assoc_of_node(u, &m->node_id);

	if (a == NULL) {
		build_node_rsp(u, PFCP_ASSOC_RELEASE_RSP, m->hdr.seq, PFCP_CAUSE_NO_ASSOCIATION, w);
		return;
	}
	counters_add(VPG_CTR_PFCP_ASSOCIATIONS_RELEASED, 1);
	assoc_drop(u, a, "released by the control plane");
	build_node_rsp(u, PFCP_ASSOC_RELEASE_RSP, m->hdr.seq, PFCP_CAUSE_REQUEST_ACCEPTED, w);
}

static void
dispatch(struct upf *u, const struct upf_rx *rx, struct vpg_wr *w)
{
	switch (u->msg.hdr.type) {
	case PFCP_HEARTBEAT_REQ:
		handle_heartbeat(u, rx, w);
		break;
	case PFCP_ASSOC_SETUP_REQ:
		handle_setup(u, rx, w);
		break;
	case PFCP_ASSOC_UPDATE_REQ:
		handle_update(u, w);
		break;
	case PFCP_ASSOC_RELEASE_REQ:
		handle_release(u, w);
		break;
	case PFCP_SESS_EST_REQ:
		upf_session_establish(u, rx, w);
		break;
	case PFCP_SESS_MOD_REQ:
		upf_session_modify(u, rx, w);
		break;
	case PFCP_SESS_DEL_REQ:
		upf_session_delete(u, rx, w);
		break;
	default:
		/* Node Report and PFD Management Requests: not served (§7.6.4). */
		counters_drop(VPG_DROP_PFCP_NOT_SERVED);
		break;
	}
}

/* §7.6.2: a version we do not speak gets Version Not Supported, header only. */
static void
answer_version(const struct pfcp_hdr *h, struct vpg_wr *w)
{
	size_t hdr = pfcp_build_header(w, PFCP_VERSION_NOT_SUPPORTED, h->seq);

	pfcp_build_finish(w, hdr);
	upf_count_tx(w, PFCP_VERSION_NOT_SUPPORTED, 0);
}

/* The CP SEID a session message's response carries: the session's, or 0 when it has none. */
static uint64_t
cp_seid_of(struct upf *u, uint64_t up_seid)
{
	uint32_t teid;
	struct session *s;

	if (!hmap_get(u->by_seid, up_seid, &teid))
		return 0;
	s = session_find_teid(u->core->sessions, teid);
	return s != NULL ? s->owner.peer_ref : 0;
}

/*
 * The SEID of a refused session request's response: the session's CP SEID,
 * or for an Establishment the CP F-SEID it carried, when the walk got that
 * far (§7.2.2.4.2: 0 only when the peer's SEID is not known).
 */
static uint64_t
refusal_seid(struct upf *u, const struct pfcp_hdr *h)
{
	if (h->type == PFCP_SESS_EST_REQ)
		return (u->msg.has & PFCP_MSG_HAS_FSEID) ? u->msg.fseid.seid : 0;
	return cp_seid_of(u, h->seid);
}

/* A request that could not be decoded: its response with the cause and the Offending IE. */
static void
answer_refusal(
    struct upf *u, const struct pfcp_hdr *h, const struct pfcp_err *err, struct vpg_wr *w)
{
	uint8_t type = (uint8_t)(h->type + 1);
	size_t hdr;

	if (pfcp_type_is_session(h->type))
		hdr = pfcp_build_header_seid(w, type, refusal_seid(u, h), h->seq);
	else
		hdr = pfcp_build_header(w, type, h->seq);
	/* Node messages and the Establishment Response name us (§7.4, Table 7.5.3.1-1). */
	if ((!pfcp_type_is_session(h->type) && h->type != PFCP_HEARTBEAT_REQ) ||
	    h->type == PFCP_SESS_EST_REQ)
		upf_put_node_id(u, w);
	if (h->type == PFCP_HEARTBEAT_REQ) {
		/* A Heartbeat Response has no Cause (§7.4.2.2): only our Recovery Time Stamp. */
		pfcp_put_recovery_ts(w, u->recovery_ts);
	} else {
		pfcp_put_cause(w, err->cause);
		if (err->ie_type != 0)
			pfcp_put_offending_ie(w, err->ie_type);
	}
	pfcp_build_finish(w, hdr);
	upf_count_tx(w, type, h->type == PFCP_HEARTBEAT_REQ ? 0 : err->cause);
}

static const unsigned hdr_drop[] = {
	[PFCP_HDR_TOO_SHORT] = VPG_DROP_PFCP_TOO_SHORT,
	[PFCP_HDR_BAD_VERSION] = VPG_DROP_PFCP_BAD_VERSION,
	[PFCP_HDR_BAD_LENGTH] = VPG_DROP_PFCP_BAD_LENGTH,
	[PFCP_HDR_BAD_S_FLAG] = VPG_DROP_PFCP_BAD_S_FLAG,
};

/* The header: 0 to go on, else counted and perhaps answered (§7.6.2, §7.6.3). */
static int
check_header(struct upf *u, const struct upf_rx *rx, struct pfcp_hdr *h, struct vpg_wr *w)
{
	enum pfcp_hdr_err e = pfcp_parse_header(rx->buf, rx->len, h);

	if (e != PFCP_HDR_OK) {
		counters_drop(hdr_drop[e]);
		if (e == PFCP_HDR_BAD_VERSION)
			answer_version(h, w);
		else if (e == PFCP_HDR_BAD_LENGTH && pfcp_type_is_request(h->type) &&
			 pfcp_type_known(h->type))
			answer_refusal(
			    u, h, &(struct pfcp_err){ .cause = PFCP_CAUSE_INVALID_LENGTH }, w);
		return -1;
	}
	/* §7.6.4: an unknown message type is discarded. */
	if (!pfcp_type_known(h->type)) {
		counters_drop(VPG_DROP_PFCP_UNKNOWN_TYPE);
		return -1;
	}
	counters_add(VPG_CTR_PFCP_RX_MESSAGES, 1);
	vpg_counters.pfcp_rx[h->type & 63]++;
	return 0;
}

static size_t
replay(struct upf *u, const struct upf_rx *rx, const struct pfcp_hdr *h, uint8_t *out, size_t cap)
{
	size_t len = 0;
	const uint8_t *cached = sig_path_replay(
	    u->path, rx->from_be, rx->from_port, h->seq, rx->buf, rx->len, rx->now_ms, &len);

	if (cached == NULL || len > cap)
		return 0;
	memcpy(out, cached, len);
	counters_add(VPG_CTR_PFCP_RETRANSMISSIONS_ANSWERED, 1);
	return len;
}

size_t
upf_handle(struct upf *u, const struct upf_rx *rx, uint8_t *out, size_t cap)
{
	struct pfcp_hdr h;
	struct pfcp_err err = { 0 };
	struct vpg_wr w;
	size_t len;

	if (!peer_filter_admit(&u->filter, rx->from_be, rx->now_ms))
		return 0;
	wr_init(&w, out, cap);
	u->msg.has = 0; /* nothing of an earlier message may answer for this one */
	if (check_header(u, rx, &h, &w) < 0)
		return w.overflow ? 0 : w.len;
	if (!pfcp_type_is_request(h.type)) {
		if (!sig_path_answer(u->path, rx->from_be, h.seq, rx->buf, rx->len))
			counters_drop(VPG_DROP_PFCP_UNEXPECTED);
		return 0;
	}
	len = replay(u, rx, &h, out, cap);
	if (len > 0)
		return len;
	if (pfcp_parse_body(rx->buf, rx->len, &h, &u->msg, &err) != PFCP_CAUSE_OK)
		answer_refusal(u, &h, &err, &w);
	else
		dispatch(u, rx, &w);
	if (w.overflow || w.len == 0)
		return 0;
	sig_path_remember(
	    u->path, rx->from_be, rx->from_port, h.seq, rx->buf, rx->len, out, w.len, rx->now_ms);
	return w.len;
}

/* Our Heartbeat Request to one control plane (§6.2.2). */
static void
send_heartbeat(struct upf *u, struct upf_assoc *a, uint64_t now_ms)
{
	uint8_t buf[64];
	struct vpg_wr w;
	uint32_t seq = sig_path_next_seq(u->path);

	wr_init(&w, buf, sizeof(buf));
	pfcp_build_heartbeat_req(&w, seq, u->recovery_ts);
	if (w.overflow || sig_path_request(u->path, buf, w.len, seq, a->addr_be,
			      UPF_COOKIE_HEARTBEAT | (uint64_t)(a - u->assoc), now_ms) < 0) {
		counters_drop(VPG_DROP_TX_FAILED);
		return;
	}
	upf_count_tx(&w, PFCP_HEARTBEAT_REQ, 0);
	a->heartbeats_sent++;
	a->heartbeat_pending = true;
}

/*
 * An answer carries the peer's Recovery Time Stamp: a new one means it
 * restarted. No answer after N1 retransmissions: the association is lost
 * (§6.2.2), and its sessions with it.
 */
static void
heartbeat_done(struct upf *u, unsigned idx, const uint8_t *rsp, size_t len)
{
	struct upf_assoc *a = &u->assoc[idx % UPF_MAX_ASSOCIATIONS];
	struct pfcp_hdr h;
	struct pfcp_err err;

	if (!a->in_use)
		return;
	a->heartbeat_pending = false;
	if (rsp == NULL) {
		a->heartbeats_unanswered++;
		counters_add(VPG_CTR_PFCP_ASSOCIATIONS_LOST, 1);
		assoc_drop(u, a, "heartbeats unanswered");
		return;
	}
	if (pfcp_parse_header(rsp, len, &h) == PFCP_HDR_OK &&
	    pfcp_parse_body(rsp, len, &h, &u->msg, &err) == PFCP_CAUSE_OK &&
	    u->msg.recovery_ts != a->recovery_ts)
		cp_restarted(u, a, u->msg.recovery_ts);
}

void
upf_tick(struct upf *u, uint64_t now_ms)
{
	for (unsigned i = 0; i < UPF_MAX_ASSOCIATIONS; i++) {
		struct upf_assoc *a = &u->assoc[i];

		if (!a->in_use || a->heartbeat_pending || now_ms < a->next_heartbeat_ms)
			continue;
		a->next_heartbeat_ms = now_ms + UPF_HEARTBEAT_MS;
		send_heartbeat(u, a, now_ms);
	}
	sig_path_tick(u->path, now_ms);
	upf_sessions_tick(u, now_ms);
}

unsigned
upf_associations(const struct upf *u, struct upf_assoc_view *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < UPF_MAX_ASSOCIATIONS; i++) {
		const struct upf_assoc *a = &u->assoc[i];

		if (!a->in_use)
			continue;
		if (n < max) {
			out[n] = (struct upf_assoc_view){ .addr_be = a->addr_be,
				.recovery_ts = a->recovery_ts,
				.cp_features = a->cp_features,
				.since = a->since,
				.sessions = a->sessions,
				.heartbeats_received = a->heartbeats_received,
				.heartbeats_sent = a->heartbeats_sent,
				.heartbeats_unanswered = a->heartbeats_unanswered };
			snprintf(out[n].node_id, sizeof(out[n].node_id), "%s", a->name);
		}
		n++;
	}
	return n;
}
