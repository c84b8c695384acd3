/*
 * libFuzzer harness for the PFCP codec: parse the header and body of the
 * input; answer it the way the user plane would (a response built from the
 * decoded content, or a rejection naming the cause and Offending IE), or,
 * for a response, re-encode what was decoded. Session Establishment and
 * Modification Requests are also encoded again in full, as a control plane
 * would, and must decode to the same rules. The input runs as it is and
 * once more with its length field made to match its size. Whatever the builders wrote
 * must parse back and carry the same values; anything else traps. The input
 * is also handed to the flow description and Framed-Route text parsers.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/pfcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ADDR_BE 0x010200c0 /* 192.0.2.1 in network order on little-endian hosts */

static struct pfcp_msg in, back;

static void
put_node_id(struct vpg_wr *w, const struct pfcp_node_id *n)
{
	if (n->type == PFCP_NODE_ID_FQDN && n->fqdn[0] != '\0')
		pfcp_put_node_id_fqdn(w, n->fqdn);
	else
		pfcp_put_node_id_ipv4(w, n->type == PFCP_NODE_ID_IPV4 ? n->v4_be : ADDR_BE);
}

/* A usage report from what the message decoded: quota and thresholds as volumes. */
static void
report_from_urr(const struct pfcp_urr *u, uint32_t seqn, struct pfcp_usage_report *ur)
{
	memset(ur, 0, sizeof(*ur));
	ur->urr_id = u->urr_id;
	ur->ur_seqn = seqn;
	ur->trigger = u->triggers;
	ur->has = PFCP_UR_HAS_VOLUME | PFCP_UR_HAS_DURATION | PFCP_UR_HAS_START;
	ur->start = u->period;
	ur->vol_flags = (uint8_t)(u->vol_thresh.flags | (u->vol_quota.flags << 3));
	ur->vol_total = u->vol_thresh.total;
	ur->vol_ul = u->vol_thresh.ul;
	ur->vol_dl = u->vol_thresh.dl;
	ur->pkt_total = u->vol_quota.total;
	ur->pkt_ul = u->vol_quota.ul;
	ur->pkt_dl = u->vol_quota.dl;
	ur->duration = u->time_quota;
}

/* Created PDRs for every PDR whose F-TEID the user plane is to choose. */
static size_t
put_created(struct vpg_wr *w, const struct pfcp_pdr *pdr, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (!pdr[i].pdi.fteid.ch)
			continue;
		pfcp_put_created_pdr(w, pdr[i].pdr_id, pdr[i].pdi.fteid.choose_id, ADDR_BE);
		k++;
	}
	return k;
}

/* Usage reports for the Query URRs (or, without one, the created URRs). */
static size_t
put_reports(struct vpg_wr *w, uint16_t type, const struct pfcp_msg *m, struct pfcp_usage_report *ur)
{
	size_t i, n = m->n_create_urr;

	for (i = 0; i < n; i++) {
		report_from_urr(&m->create_urr[i], (uint32_t)i, &ur[i]);
		pfcp_put_usage_report(w, type, &ur[i]);
	}
	return n;
}

static bool
same_report(const struct pfcp_usage_report *a, const struct pfcp_usage_report *b)
{
	return a->urr_id == b->urr_id && a->ur_seqn == b->ur_seqn && a->trigger == b->trigger &&
	       a->start == b->start && a->vol_flags == b->vol_flags &&
	       a->vol_total == b->vol_total && a->vol_ul == b->vol_ul && a->vol_dl == b->vol_dl &&
	       a->pkt_total == b->pkt_total && a->pkt_ul == b->pkt_ul && a->pkt_dl == b->pkt_dl &&
	       a->duration == b->duration;
}

/*
 * The reply to a decoded message. Returns how many Created PDRs and Usage
 * Reports went in, so the caller can check they come back.
 */
static void
build_reply(struct vpg_wr *w, const struct pfcp_msg *m, size_t *created, size_t *reports,
    struct pfcp_usage_report *ur)
{
	uint8_t type = m->hdr.type;
	size_t off;

	if (type == PFCP_HEARTBEAT_RSP) {
		pfcp_build_heartbeat_req(w, m->hdr.seq, m->recovery_ts);
		return;
	}
	if (type == PFCP_SESS_REPORT_REQ) {
		*reports = m->n_usage_report;
		pfcp_build_session_report_req(
		    w, m->hdr.seid, m->hdr.seq, m->usage_report, m->n_usage_report);
		memcpy(ur, m->usage_report, sizeof(m->usage_report));
		return;
	}
	/* Requests get their response type; responses are re-encoded as they came. */
	if (pfcp_type_is_request(type))
		type++;
	if (pfcp_type_is_session(type))
		off = pfcp_build_header_seid(w, type, m->fseid.seid, m->hdr.seq);
	else
		off = pfcp_build_header(w, type, m->hdr.seq);
	if ((type != PFCP_HEARTBEAT_RSP && type != PFCP_VERSION_NOT_SUPPORTED &&
		!pfcp_type_is_session(type)) ||
	    type == PFCP_SESS_EST_RSP)
		put_node_id(w, &m->node_id);
	if (type != PFCP_HEARTBEAT_RSP && type != PFCP_VERSION_NOT_SUPPORTED)
		pfcp_put_cause(w, PFCP_CAUSE_REQUEST_ACCEPTED);
	if (type == PFCP_HEARTBEAT_RSP || type == PFCP_ASSOC_SETUP_RSP)
		pfcp_put_recovery_ts(w, m->recovery_ts);
	if (type == PFCP_ASSOC_SETUP_RSP || type == PFCP_ASSOC_UPDATE_RSP)
		pfcp_put_up_features(w, m->up_features | m->cp_features);
	if (type == PFCP_SESS_EST_RSP)
		pfcp_put_fseid_ipv4(w, m->fseid.seid ^ 1, ADDR_BE);
	if (type == PFCP_SESS_EST_RSP || type == PFCP_SESS_MOD_RSP)
		*created = put_created(w, m->create_pdr, m->n_create_pdr);
	if (type == PFCP_SESS_MOD_RSP)
		*reports = put_reports(w, PFCP_IE_USAGE_REPORT_SMR, m, ur);
	if (type == PFCP_SESS_DEL_RSP)
		*reports = put_reports(w, PFCP_IE_USAGE_REPORT_SDR, m, ur);
	pfcp_build_finish(w, off);
}

/* A rejection: the cause and the Offending IE, in the response to the request. */
static void
build_reject(struct vpg_wr *w, const struct pfcp_hdr *h, const struct pfcp_err *err)
{
	uint8_t type = (uint8_t)(h->type + 1);
	size_t off;

	if (pfcp_type_is_session(type))
		off = pfcp_build_header_seid(w, type, h->seid, h->seq);
	else
		off = pfcp_build_header(w, type, h->seq);
	if (type == PFCP_SESS_EST_RSP || !pfcp_type_is_session(type))
		pfcp_put_node_id_ipv4(w, ADDR_BE);
	pfcp_put_cause(w, err->cause);
	/* Mandatory in the response whatever the cause (Table 7.4.4.2-1). */
	if (type == PFCP_ASSOC_SETUP_RSP)
		pfcp_put_recovery_ts(w, 1);
	if (err->ie_type != 0)
		pfcp_put_offending_ie(w, err->ie_type);
	pfcp_build_finish(w, off);
}

/* Every rule and value of two decoded messages; Flow Descriptions by their text. */
static bool
same_rules(struct pfcp_msg *a, struct pfcp_msg *b)
{
	struct pfcp_sdf *sa, *sb;
	size_t i, j;

	memset(&a->hdr, 0, sizeof(a->hdr));
	memset(&b->hdr, 0, sizeof(b->hdr));
	for (i = 0; i < 2 * PFCP_MAX_PDR; i++) {
		for (j = 0; j < PFCP_MAX_SDF; j++) {
			sa = i < PFCP_MAX_PDR ? &a->create_pdr[i].pdi.sdf[j]
					      : &a->update_pdr[i - PFCP_MAX_PDR].pdi.sdf[j];
			sb = i < PFCP_MAX_PDR ? &b->create_pdr[i].pdi.sdf[j]
					      : &b->update_pdr[i - PFCP_MAX_PDR].pdi.sdf[j];
			if (sa->fd_len != sb->fd_len ||
			    (sa->fd_len > 0 && memcmp(sa->fd, sb->fd, sa->fd_len) != 0))
				return false;
			sa->fd = NULL;
			sb->fd = NULL;
		}
	}
	return memcmp(a, b, sizeof(*a)) == 0;
}

/*
 * A decoded Session Establishment or Modification Request, encoded again as
 * a control plane would send it, must decode to the same rules.
 */
static void
reencode_request(void)
{
	static uint8_t out[65536];
	struct pfcp_hdr h;
	struct pfcp_err err;
	struct vpg_wr w;

	wr_init(&w, out, sizeof(out));
	pfcp_build_session_req(&w, &in);
	if (w.overflow)
		return;
	if (pfcp_parse_header(out, w.len, &h) != PFCP_HDR_OK)
		__builtin_trap();
	if (pfcp_parse_body(out, w.len, &h, &back, &err) != PFCP_CAUSE_OK)
		__builtin_trap();
	if (!same_rules(&in, &back))
		__builtin_trap();
}

static void
check_back(const uint8_t *out, size_t len, size_t created, size_t reports,
    const struct pfcp_usage_report *ur)
{
	struct pfcp_hdr h;
	struct pfcp_err err;
	size_t i;

	if (pfcp_parse_header(out, len, &h) != PFCP_HDR_OK)
		__builtin_trap();
	if (pfcp_parse_body(out, len, &h, &back, &err) != PFCP_CAUSE_OK)
		__builtin_trap();
	if (back.n_created_pdr != created || back.n_usage_report != reports)
		__builtin_trap();
	for (i = 0; i < reports; i++)
		if (!same_report(&ur[i], &back.usage_report[i]))
			__builtin_trap();
}

static void
run(const uint8_t *data, size_t size)
{
	static struct pfcp_usage_report ur[PFCP_MAX_URR];
	static uint8_t out[16384];
	struct pfcp_hdr h;
	struct pfcp_err err;
	struct vpg_wr w;
	size_t created = 0, reports = 0;
	uint8_t cause;

	if (pfcp_parse_header(data, size, &h) != PFCP_HDR_OK)
		return;
	(void)pfcp_type_name(h.type);
	cause = pfcp_parse_body(data, size, &h, &in, &err);
	/* The last octet sizes the reply buffer, so overflow is as easy to reach as success. */
	wr_init(&w, out, (size_t)data[size - 1] * 64);
	if (cause == PFCP_CAUSE_SERVICE_NOT_SUPPORTED && err.ie_type == 0)
		return;
	if (cause != PFCP_CAUSE_OK) {
		/* A response is not answered; a Heartbeat Response has no Cause. */
		if (!pfcp_type_is_request(h.type) || h.type == PFCP_HEARTBEAT_REQ)
			return;
		build_reject(&w, &h, &err);
	} else {
		build_reply(&w, &in, &created, &reports, ur);
	}
	if (!w.overflow)
		check_back(out, w.len, created, reports, ur);
	/* Last: the comparison clears what it does not compare in in. */
	if (cause == PFCP_CAUSE_OK && (h.type == PFCP_SESS_EST_REQ || h.type == PFCP_SESS_MOD_REQ))
		reencode_request();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fixed[4 + UINT16_MAX];
	struct pfcp_flow flow;
	struct pfcp_route route;

	(void)pfcp_flow_parse((const char *)data, size, &flow);
	(void)pfcp_route_parse((const char *)data, size, &route);
	run(data, size);
	/*
	 * Most mutations change the size and so fail the length check at once;
	 * a second pass with the length field matching the input reaches the body.
	 */
	if (size < 8 || size > sizeof(fixed))
		return 0;
	memcpy(fixed, data, size);
	fixed[2] = (uint8_t)((size - 4) >> 8);
	fixed[3] = (uint8_t)(size - 4);
	run(fixed, size);
	return 0;
}
