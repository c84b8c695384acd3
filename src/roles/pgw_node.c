#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "core/attach.h"
#include "core/counters.h"
#include "io/log.h"
#include "proto/ipv4.h"
#include "roles/pgw_internal.h"
#include "roles/sig_path.h"

/*
 * TS 29.274 §7.6: T3-RESPONSE and N3-REQUESTS are the operator's; 3 s and 3
 * retries are the common choice. Our own sequence numbers keep the top bit
 * clear: numbers with it set are the SGW's Commands', which the triggered
 * Update Bearer Request reuses.
 */
static const struct sig_path_timers gtpv2c_timers = { .port = GTPV2C_PORT,
	.resend_ms = 3000,
	.resends = 3,
	.seq_mask = 0x7fffff,
	.ctr_evicted_early = VPG_CTR_GTPV2C_REPLAY_EVICTED_EARLY };

static void
send_cb(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	struct pgw *p = arg;

	p->send(p->send_arg, msg, len, dst_be, port);
}

static void
path_done(void *arg, uint64_t cookie, const uint8_t *rsp, size_t len)
{
	struct pgw *p = arg;

	if (cookie & PGW_COOKIE_ECHO)
		gtp_peers_echo_done(p->peers, cookie, rsp, len);
	else if (cookie & PGW_COOKIE_UPDATE_BEARER)
		pgw_update_bearer_done(p, (uint32_t)cookie, rsp, len);
	else if (rsp == NULL)
		log_warn("pgw: a Delete Bearer Request went unanswered");
}

/* An Echo Request of ours (§7.1.1): no TEID, our Recovery. */
static size_t
build_echo(uint8_t *buf, size_t cap, uint32_t seq, uint8_t our_restart)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, buf, cap);
	hdr = gtpv2c_build_header(&w, GTPV2C_ECHO_REQ, false, 0, seq);
	gtpv2c_put_recovery(&w, our_restart);
	gtpv2c_build_finish(&w, hdr);
	pgw_count_tx(&w, GTPV2C_ECHO_REQ, 0);
	return w.overflow ? 0 : w.len;
}

static int
echo_recovery(const uint8_t *rsp, size_t len, uint8_t *restart)
{
	struct gtpv2c_msg m;
	const struct gtpv2c_ie *rec;

	if (gtpv2c_parse(rsp, len, &m) != VPG_DROP_NONE ||
	    (rec = gtpv2c_find(&m.ies, GTPV2C_IE_RECOVERY, 0)) == NULL)
		return -1;
	return gtpv2c_ie_u8(rec, restart);
}

static const struct gtp_peers_ops sgw_peers = { .role = SESSION_ROLE_PGW,
	.kind = "pgw: sgw",
	.build_echo = build_echo,
	.echo_recovery = echo_recovery,
	.echo_cookie = PGW_COOKIE_ECHO,
	.ctr_restarts = VPG_CTR_PGW_PEER_RESTARTS,
	.ctr_path_failures = VPG_CTR_PGW_PATH_FAILURES,
	.ctr_sessions_ended = VPG_CTR_PGW_SESSIONS_PURGED };

struct pgw *
pgw_new(const struct pgw_config *cfg, struct attach *core, pgw_send_fn send, void *arg)
{
	struct pgw *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->cfg = *cfg;
	p->core = core;
	p->send = send;
	p->send_arg = arg;
	p->path = sig_path_new(&gtpv2c_timers, cfg->replay_bytes, send_cb, path_done, p);
	p->peers = gtp_peers_new(core, p->path, &sgw_peers, cfg->restart_counter, cfg->echo_ms);
	if (p->path == NULL || p->peers == NULL) {
		pgw_free(p);
		return NULL;
	}
	attach_set_role_hook(core, SESSION_ROLE_PGW,
	    &(struct attach_role_hook){ .deleted = pgw_session_deleted, .arg = p });
	return p;
}

void
pgw_free(struct pgw *p)
{
	if (p == NULL)
		return;
	sig_path_free(p->path);
	gtp_peers_free(p->peers);
	free(p);
}

void
pgw_count_tx(const struct vpg_wr *w, uint8_t type, uint8_t cause)
{
	if (w->overflow)
		return;
	counters_add(VPG_CTR_GTPV2C_TX_MESSAGES, 1);
	vpg_counters.gtpv2c_tx[type]++;
	if (cause != 0)
		vpg_counters.gtpv2c_tx_cause[cause]++;
}

size_t
pgw_response_header(struct vpg_wr *w, uint8_t type, uint32_t teid, uint32_t seq)
{
	return gtpv2c_build_header(w, type, true, teid, seq);
}

void
pgw_put_cause(struct vpg_wr *w, const struct pgw_refusal *r)
{
	gtpv2c_put_cause(w, r->cause, r->ie_type, r->ie_instance);
}

void
pgw_build_refusal(struct pgw *p, struct vpg_wr *w, uint8_t type, uint32_t teid, uint32_t seq,
    const struct pgw_refusal *r)
{
	size_t hdr = pgw_response_header(w, type, teid, seq);

	pgw_put_cause(w, r);
	if (type == GTPV2C_CREATE_SESSION_RSP)
		gtpv2c_put_recovery(w, p->cfg.restart_counter);
	gtpv2c_build_finish(w, hdr);
	pgw_count_tx(w, type, r->cause);
}

/* Echo Request, §7.1.1: answered with our Recovery; the SGW's tells of its restarts. */
static void
handle_echo(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w)
{
	const struct gtpv2c_ie *rec = gtpv2c_find(&p->msg.ies, GTPV2C_IE_RECOVERY, 0);
	uint8_t restart;
	size_t hdr;

	if (rec != NULL && gtpv2c_ie_u8(rec, &restart) == 0)
		gtp_peers_recovery(p->peers, rx->from_be, restart);
	hdr = gtpv2c_build_header(w, GTPV2C_ECHO_RSP, false, 0, p->msg.seq);
	gtpv2c_put_recovery(w, p->cfg.restart_counter);
	gtpv2c_build_finish(w, hdr);
	pgw_count_tx(w, GTPV2C_ECHO_RSP, 0);
}

void
pgw_tick(struct pgw *p, uint64_t now_ms)
{
	counters_add(VPG_CTR_GTPV2C_REQUESTS_GIVEN_UP, sig_path_tick(p->path, now_ms));
	gtp_peers_tick(p->peers, now_ms);
}

/* TS 29.274 §7.7.1: another GTP version gets our version's header, and nothing else. */
static void
build_version_not_supported(struct vpg_wr *w, uint32_t seq)
{
	size_t hdr = gtpv2c_build_header(w, GTPV2C_VERSION_NOT_SUPPORTED, false, 0, seq);

	gtpv2c_build_finish(w, hdr);
	pgw_count_tx(w, GTPV2C_VERSION_NOT_SUPPORTED, 0);
}

/* The response type of each request an SGW sends a PGW; 0 for the rest. */
static uint8_t
response_of(uint8_t type)
{
	switch (type) {
	case GTPV2C_CREATE_SESSION_REQ:
	case GTPV2C_MODIFY_BEARER_REQ:
	case GTPV2C_DELETE_SESSION_REQ:
		return type + 1;
	case GTPV2C_MODIFY_BEARER_CMD:
		return GTPV2C_MODIFY_BEARER_FAILURE_IND;
	}
	return 0;
}

/*
 * §7.7.3: a request whose IEs run past the message is answered "Invalid
 * Length" (Echo is only ever answered whole). The TEID is the SGW's when the
 * header named one of our sessions, else zero.
 */
static void
answer_unparsable(struct pgw *p, struct vpg_wr *w)
{
	const struct gtpv2c_msg *m = &p->msg;
	uint8_t rsp = response_of(m->type);
	const struct session *s =
	    m->has_teid ? session_find_teid(p->core->sessions, m->teid) : NULL;
	struct pgw_refusal r = { .cause = GTPV2C_CAUSE_INVALID_LENGTH };

	if (rsp == 0)
		return;
	if (s == NULL || s->owner.role != SESSION_ROLE_PGW)
		s = NULL;
	pgw_build_refusal(p, w, rsp, s != NULL ? (uint32_t)s->owner.peer_ref : 0, m->seq, &r);
}

static void
handle_response(struct pgw *p, const struct pgw_rx *rx)
{
	if (!sig_path_answer(p->path, rx->from_be, p->msg.seq, rx->buf, rx->len))
		counters_drop(VPG_DROP_GTPV2C_UNEXPECTED);
}

static void
dispatch(struct pgw *p, const struct pgw_rx *rx, struct vpg_wr *w)
{
	switch (p->msg.type) {
	case GTPV2C_ECHO_REQ:
		handle_echo(p, rx, w);
		break;
	case GTPV2C_CREATE_SESSION_REQ:
		pgw_create_session(p, rx, w);
		break;
	case GTPV2C_MODIFY_BEARER_REQ:
		pgw_modify_bearer(p, rx, w);
		break;
	case GTPV2C_DELETE_SESSION_REQ:
		pgw_delete_session(p, rx, w);
		break;
	case GTPV2C_MODIFY_BEARER_CMD:
		pgw_modify_bearer_command(p, rx, w);
		break;
	default:
		/* Requests a PGW never gets on S5/S8 (§7.7.? unknown: silently discarded). */
		counters_drop(VPG_DROP_GTPV2C_NOT_SERVED);
	}
}

/* §7.6: a retransmitted request gets the same response again, not a second run. */
static size_t
replay(struct pgw *p, const struct pgw_rx *rx, uint8_t *out, size_t cap)
{
	size_t len = 0;
	const uint8_t *cached = sig_path_replay(
	    p->path, rx->from_be, rx->from_port, p->msg.seq, rx->buf, rx->len, rx->now_ms, &len);

	if (cached == NULL || len > cap)
		return 0;
	memcpy(out, cached, len);
	counters_add(VPG_CTR_GTPV2C_RETRANSMISSIONS_ANSWERED, 1);
	return len;
}

static size_t
refused_datagram(struct pgw *p, enum vpg_drop drop, struct vpg_wr *w)
{
	counters_drop(drop);
	if (drop == VPG_DROP_GTPV2C_BAD_VERSION && p->msg.version != 2)
		build_version_not_supported(w, p->msg.seq);
	else if (drop == VPG_DROP_GTPV2C_BAD_IE)
		answer_unparsable(p, w);
	return w->overflow ? 0 : w->len;
}

size_t
pgw_handle(struct pgw *p, const struct pgw_rx *rx, uint8_t *out, size_t cap)
{
	enum vpg_drop drop = gtpv2c_parse(rx->buf, rx->len, &p->msg);
	struct vpg_wr w;
	size_t len;

	wr_init(&w, out, cap);
	if (drop != VPG_DROP_NONE)
		return refused_datagram(p, drop, &w);
	counters_add(VPG_CTR_GTPV2C_RX_MESSAGES, 1);
	vpg_counters.gtpv2c_rx[p->msg.type]++;
	if (!gtpv2c_type_is_request(p->msg.type)) {
		handle_response(p, rx);
		return 0;
	}
	len = replay(p, rx, out, cap);
	if (len > 0)
		return len;
	dispatch(p, rx, &w);
	if (w.overflow) {
		counters_drop(VPG_DROP_TX_FAILED);
		return 0;
	}
	if (w.len > 0)
		sig_path_remember(p->path, rx->from_be, rx->from_port, p->msg.seq, rx->buf, rx->len,
		    out, w.len, rx->now_ms);
	return w.len;
}

unsigned
pgw_peers(const struct pgw *p, struct gtp_peer_view *out, unsigned max)
{
	return gtp_peers_view(p->peers, out, max);
}
