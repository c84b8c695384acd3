/*
 * PFCP builders for what a control plane sends, TS 29.244 §7.5.2 and
 * §7.5.4: the rules of a session and the IEs inside them, each written
 * from the same struct the parser fills, members as the has bits say. The
 * user plane does not send these; they serve tests and the fuzz round trip,
 * where what was decoded must encode and decode to the same values.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "labels.h"
#include "pfcp.h"

#define NAME_WIRE_MAX 255 /* RFC 1035 §2.3.4 */

static void put_addr4(uint8_t *, size_t *, uint32_t);
static void put_addr6(uint8_t *, size_t *, const uint8_t *);
static void put_be(uint8_t *, size_t *, uint64_t, int);

static void
put_addr4(uint8_t *v, size_t *n, uint32_t addr_be)
{
	memcpy(v + *n, &addr_be, 4);
	*n += 4;
}

static void
put_addr6(uint8_t *v, size_t *n, const uint8_t *addr)
{
	memcpy(v + *n, addr, 16);
	*n += 16;
}

/* octets big-endian octets of x. */
static void
put_be(uint8_t *v, size_t *n, uint64_t x, int octets)
{
	int i;

	for (i = octets - 1; i >= 0; i--)
		v[(*n)++] = (uint8_t)(x >> (8 * i));
}

/*
 * A dotted name as labels (TS 23.003 §9.1, RFC 1035 §3.1): APN/DNN, Network
 * Instance. What labels cannot carry marks the writer overflowed.
 */
void
pfcp_put_name(struct vpg_wr *w, uint16_t type, const char *name)
{
	uint8_t v[NAME_WIRE_MAX];
	size_t n = labels_encode(name, v, sizeof(v));

	if (n == 0) {
		w->overflow = true;
		return;
	}
	pfcp_put_ie(w, type, v, (uint16_t)n);
}

void
pfcp_put_node_id(struct vpg_wr *w, const struct pfcp_node_id *id)
{
	uint8_t v[17];
	size_t n = 1;

	v[0] = id->type;
	if (id->type == PFCP_NODE_ID_FQDN) {
		pfcp_put_node_id_fqdn(w, id->fqdn);
		return;
	}
	if (id->type == PFCP_NODE_ID_IPV4)
		put_addr4(v, &n, id->v4_be);
	else if (id->type == PFCP_NODE_ID_IPV6)
		put_addr6(v, &n, id->v6);
	else
		w->overflow = true;
	pfcp_put_ie(w, PFCP_IE_NODE_ID, v, (uint16_t)n);
}

/* TS 29.244 §8.2.37. */
void
pfcp_put_fseid(struct vpg_wr *w, const struct pfcp_fseid *f)
{
	uint8_t v[1 + 8 + 4 + 16];
	size_t n = 1;

	v[0] = (uint8_t)((f->ip.has_v6 ? 0x01 : 0) | (f->ip.has_v4 ? 0x02 : 0));
	put_be(v, &n, f->seid, 8);
	if (f->ip.has_v4)
		put_addr4(v, &n, f->ip.v4_be);
	if (f->ip.has_v6)
		put_addr6(v, &n, f->ip.v6);
	pfcp_put_ie(w, PFCP_IE_F_SEID, v, (uint16_t)n);
}

/* TS 29.244 §8.2.3: with CH, no TEID or address; CHOOSE ID with CHID. */
void
pfcp_put_fteid(struct vpg_wr *w, const struct pfcp_fteid *f)
{
	uint8_t v[1 + 4 + 4 + 16];
	size_t n = 1;

	v[0] = (uint8_t)((f->has_v4 ? 0x01 : 0) | (f->has_v6 ? 0x02 : 0) | (f->ch ? 0x04 : 0) |
			 (f->chid ? 0x08 : 0));
	if (f->ch) {
		if (f->chid)
			v[n++] = f->choose_id;
	} else {
		put_be(v, &n, f->teid, 4);
		if (f->has_v4)
			put_addr4(v, &n, f->v4_be);
		if (f->has_v6)
			put_addr6(v, &n, f->v6);
	}
	pfcp_put_ie(w, PFCP_IE_F_TEID, v, (uint16_t)n);
}

/* TS 29.244 §8.2.62. */
void
pfcp_put_ue_ip(struct vpg_wr *w, const struct pfcp_ue_ip *u)
{
	uint8_t v[1 + 4 + 16];
	size_t n = 1;

	v[0] = (uint8_t)((u->has_v6 ? 0x01 : 0) | (u->has_v4 ? 0x02 : 0) | (u->sd ? 0x04 : 0) |
			 (u->chv4 ? 0x10 : 0) | (u->chv6 ? 0x20 : 0));
	if (u->has_v4)
		put_addr4(v, &n, u->v4_be);
	if (u->has_v6)
		put_addr6(v, &n, u->v6);
	pfcp_put_ie(w, PFCP_IE_UE_IP_ADDRESS, v, (uint16_t)n);
}

/* TS 29.244 §8.2.5: the Flow Description goes as its text, fd/fd_len. */
void
pfcp_put_sdf(struct vpg_wr *w, const struct pfcp_sdf *s)
{
	uint8_t v[2 + 2 + 2 + 4 + 3 + 4];
	size_t g = pfcp_put_group_open(w, PFCP_IE_SDF_FILTER), n = 0;

	v[n++] =
	    (uint8_t)((s->has_fd ? 0x01 : 0) | (s->has_ttc ? 0x02 : 0) | (s->has_spi ? 0x04 : 0) |
		      (s->has_fl ? 0x08 : 0) | (s->has_fid ? 0x10 : 0));
	v[n++] = 0;
	if (s->has_fd)
		put_be(v, &n, s->fd_len, 2);
	wr_bytes(w, v, n);
	if (s->has_fd)
		wr_bytes(w, s->fd, s->fd_len);
	n = 0;
	if (s->has_ttc)
		put_be(v, &n, s->ttc, 2);
	if (s->has_spi)
		put_be(v, &n, s->spi, 4);
	if (s->has_fl)
		put_be(v, &n, s->flow_label, 3);
	if (s->has_fid)
		put_be(v, &n, s->filter_id, 4);
	wr_bytes(w, v, n);
	pfcp_put_group_close(w, g);
}

/* RFC 2865 §5.22 text, as pfcp_route_parse reads it back. */
void
pfcp_put_framed_route(struct vpg_wr *w, const struct pfcp_route *r)
{
	char pfx[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], text[64];
	int n;

	inet_ntop(AF_INET, &r->prefix_be, pfx, sizeof(pfx));
	inet_ntop(AF_INET, &r->gateway_be, gw, sizeof(gw));
	if (r->gateway_be == 0 && r->metric == 0)
		n = snprintf(text, sizeof(text), "%s/%u", pfx, r->plen);
	else
		n = snprintf(text, sizeof(text), "%s/%u %s %u", pfx, r->plen, gw, r->metric);
	if (n < 0 || (size_t)n >= sizeof(text)) {
		w->overflow = true;
		return;
	}
	pfcp_put_ie(w, PFCP_IE_FRAMED_ROUTE, text, (uint16_t)n);
}

/* TS 29.244 §8.2.56: per the description, TEID, addresses, port, and zeroed tags. */
void
pfcp_put_ohc(struct vpg_wr *w, const struct pfcp_ohc *o)
{
	uint8_t v[2 + 4 + 4 + 16 + 2 + 3 + 3];
	size_t n = 0;
	uint16_t d = o->desc;

	put_be(v, &n, d, 2);
	if ((d & (PFCP_OHC_GTPU_UDP_IPV4 | PFCP_OHC_GTPU_UDP_IPV6)) != 0)
		put_be(v, &n, o->teid, 4);
	if ((d & (PFCP_OHC_GTPU_UDP_IPV4 | PFCP_OHC_UDP_IPV4 | PFCP_OHC_IPV4)) != 0)
		put_addr4(v, &n, o->v4_be);
	if ((d & (PFCP_OHC_GTPU_UDP_IPV6 | PFCP_OHC_UDP_IPV6 | PFCP_OHC_IPV6)) != 0)
		put_addr6(v, &n, o->v6);
	if ((d & (PFCP_OHC_UDP_IPV4 | PFCP_OHC_UDP_IPV6)) != 0)
		put_be(v, &n, o->port, 2);
	if ((d & PFCP_OHC_C_TAG) != 0)
		put_be(v, &n, 0, 3);
	if ((d & PFCP_OHC_S_TAG) != 0)
		put_be(v, &n, 0, 3);
	pfcp_put_ie(w, PFCP_IE_OUTER_HEADER_CREATION, v, (uint16_t)n);
}

/* Volume Threshold (31) or Volume Quota (73), TS 29.244 §8.2.13. */
void
pfcp_put_volume(struct vpg_wr *w, uint16_t type, const struct pfcp_volume *vol)
{
	uint8_t v[1 + 3 * 8];
	size_t n = 1;

	v[0] = vol->flags & (PFCP_VOL_TOVOL | PFCP_VOL_ULVOL | PFCP_VOL_DLVOL);
	if ((v[0] & PFCP_VOL_TOVOL) != 0)
		put_be(v, &n, vol->total, 8);
	if ((v[0] & PFCP_VOL_ULVOL) != 0)
		put_be(v, &n, vol->ul, 8);
	if ((v[0] & PFCP_VOL_DLVOL) != 0)
		put_be(v, &n, vol->dl, 8);
	pfcp_put_ie(w, type, v, (uint16_t)n);
}

/* MBR (26) or GBR (27), TS 29.244 §8.2.8: 40 bits each, uplink first. */
void
pfcp_put_bitrate(struct vpg_wr *w, uint16_t type, const struct pfcp_bitrate *b)
{
	uint8_t v[10];
	size_t n = 0;

	put_be(v, &n, b->ul, 5);
	put_be(v, &n, b->dl, 5);
	pfcp_put_ie(w, type, v, sizeof(v));
}

/* TBCD, low nibble first, 0xF after an odd count; a non-digit marks overflow. */
static size_t
put_tbcd(struct vpg_wr *w, uint8_t *v, size_t n, const char *digits)
{
	size_t len = strlen(digits), i, start = n;

	v[n++] = (uint8_t)((len + 1) / 2);
	for (i = 0; i < len; i++) {
		if (digits[i] < '0' || digits[i] > '9') {
			w->overflow = true;
			return start;
		}
		if (i % 2 == 0)
			v[n++] = (uint8_t)(0xf0 | (digits[i] - '0'));
		else
			v[n - 1] = (uint8_t)((v[n - 1] & 0x0f) | ((digits[i] - '0') << 4));
	}
	return n;
}

/* TS 29.244 §8.2.101: flags, then each identity after its length octet. */
void
pfcp_put_user_id(struct vpg_wr *w, const struct pfcp_user_id *u)
{
	uint8_t v[1 + 9 + 9 + 11 + 1 + PFCP_NAI_MAX];
	size_t n = 1, nai = strlen(u->nai);

	v[0] = (uint8_t)((u->has_imsi ? 0x01 : 0) | (u->has_imei ? 0x02 : 0) |
			 (u->has_msisdn ? 0x04 : 0) | (u->has_nai ? 0x08 : 0));
	if (u->has_imsi)
		n = put_tbcd(w, v, n, u->imsi);
	if (u->has_imei)
		n = put_tbcd(w, v, n, u->imei);
	if (u->has_msisdn)
		n = put_tbcd(w, v, n, u->msisdn);
	if (u->has_nai) {
		v[n++] = (uint8_t)nai;
		memcpy(v + n, u->nai, nai);
		n += nai;
	}
	pfcp_put_ie(w, PFCP_IE_USER_ID, v, (uint16_t)n);
}

/* Gate Status, TS 29.244 §8.2.7: UL in bits 3-4, DL in bits 1-2. */
static void
put_gate(struct vpg_wr *w, const struct pfcp_gate *g)
{
	pfcp_put_u8(w, PFCP_IE_GATE_STATUS, (uint8_t)(((g->ul & 3) << 2) | (g->dl & 3)));
}

/* PDI, TS 29.244 Table 7.5.2.2-2. */
static void
put_pdi(struct vpg_wr *w, const struct pfcp_pdi *p)
{
	size_t g = pfcp_put_group_open(w, PFCP_IE_PDI), i;

	pfcp_put_u8(w, PFCP_IE_SOURCE_INTERFACE, p->source_iface);
	if ((p->has & PFCP_PDI_HAS_FTEID) != 0)
		pfcp_put_fteid(w, &p->fteid);
	if ((p->has & PFCP_PDI_HAS_NETWORK_INSTANCE) != 0)
		pfcp_put_name(w, PFCP_IE_NETWORK_INSTANCE, p->network_instance);
	if ((p->has & PFCP_PDI_HAS_UE_IP) != 0)
		pfcp_put_ue_ip(w, &p->ue_ip);
	for (i = 0; i < p->n_sdf; i++)
		pfcp_put_sdf(w, &p->sdf[i]);
	if ((p->has & PFCP_PDI_HAS_QFI) != 0)
		pfcp_put_u8(w, PFCP_IE_QFI, p->qfi);
	if ((p->has & PFCP_PDI_HAS_IFACE_TYPE) != 0)
		pfcp_put_u8(w, PFCP_IE_3GPP_INTERFACE_TYPE, p->iface_type);
	for (i = 0; i < p->n_routes; i++)
		pfcp_put_framed_route(w, &p->routes[i]);
	if ((p->has & PFCP_PDI_HAS_FRAMED_ROUTING) != 0)
		pfcp_put_u32(w, PFCP_IE_FRAMED_ROUTING, p->framed_routing);
	pfcp_put_group_close(w, g);
}

/* Create PDR (1) or Update PDR (9), Tables 7.5.2.2-1 and 7.5.4.2-1. */
void
pfcp_put_pdr(struct vpg_wr *w, uint16_t type, const struct pfcp_pdr *p)
{
	size_t g = pfcp_put_group_open(w, type), i;

	pfcp_put_u16(w, PFCP_IE_PDR_ID, p->pdr_id);
	if ((p->has & PFCP_PDR_HAS_PRECEDENCE) != 0)
		pfcp_put_u32(w, PFCP_IE_PRECEDENCE, p->precedence);
	if ((p->has & PFCP_PDR_HAS_PDI) != 0)
		put_pdi(w, &p->pdi);
	if ((p->has & PFCP_PDR_HAS_OHR) != 0)
		pfcp_put_u8(w, PFCP_IE_OUTER_HEADER_REMOVAL, p->ohr);
	if ((p->has & PFCP_PDR_HAS_FAR_ID) != 0)
		pfcp_put_u32(w, PFCP_IE_FAR_ID, p->far_id);
	for (i = 0; i < p->n_urr_ids; i++)
		pfcp_put_u32(w, PFCP_IE_URR_ID, p->urr_ids[i]);
	for (i = 0; i < p->n_qer_ids; i++)
		pfcp_put_u32(w, PFCP_IE_QER_ID, p->qer_ids[i]);
	pfcp_put_group_close(w, g);
}

/* Forwarding Parameters (4) or Update Forwarding Parameters (11). */
static void
put_fwd(struct vpg_wr *w, uint16_t type, const struct pfcp_fwd *f)
{
	size_t g = pfcp_put_group_open(w, type);

	if ((f->has & PFCP_FWD_HAS_DEST_IFACE) != 0)
		pfcp_put_u8(w, PFCP_IE_DESTINATION_INTERFACE, f->dest_iface);
	if ((f->has & PFCP_FWD_HAS_NETWORK_INSTANCE) != 0)
		pfcp_put_name(w, PFCP_IE_NETWORK_INSTANCE, f->network_instance);
	if ((f->has & PFCP_FWD_HAS_OHC) != 0)
		pfcp_put_ohc(w, &f->ohc);
	if ((f->has & PFCP_FWD_HAS_IFACE_TYPE) != 0)
		pfcp_put_u8(w, PFCP_IE_3GPP_INTERFACE_TYPE, f->iface_type);
	if ((f->has & PFCP_FWD_HAS_SMREQ_FLAGS) != 0)
		pfcp_put_u8(w, PFCP_IE_PFCPSMREQ_FLAGS, f->smreq_flags);
	pfcp_put_group_close(w, g);
}

/* Create FAR (3) or Update FAR (10), Tables 7.5.2.3-1 and 7.5.4.3-1. */
void
pfcp_put_far(struct vpg_wr *w, uint16_t type, const struct pfcp_far *f)
{
	size_t g = pfcp_put_group_open(w, type);

	pfcp_put_u32(w, PFCP_IE_FAR_ID, f->far_id);
	if ((f->has & PFCP_FAR_HAS_APPLY_ACTION) != 0)
		pfcp_put_u16(w, PFCP_IE_APPLY_ACTION,
		    (uint16_t)(f->apply_action << 8 | f->apply_action >> 8));
	if ((f->has & PFCP_FAR_HAS_FWD) != 0)
		put_fwd(w,
		    type == PFCP_IE_CREATE_FAR ? PFCP_IE_FORWARDING_PARAMETERS
					       : PFCP_IE_UPDATE_FORWARDING_PARAMETERS,
		    &f->fwd);
	if ((f->has & PFCP_FAR_HAS_DUPL) != 0 && type == PFCP_IE_CREATE_FAR)
		put_fwd(w, PFCP_IE_DUPLICATING_PARAMETERS, &f->dupl);
	if ((f->has & PFCP_FAR_HAS_BAR_ID) != 0)
		pfcp_put_u8(w, PFCP_IE_BAR_ID, f->bar_id);
	pfcp_put_group_close(w, g);
}

/* Create URR (6) or Update URR (13), Tables 7.5.2.4-1 and 7.5.4.4-1. */
void
pfcp_put_urr(struct vpg_wr *w, uint16_t type, const struct pfcp_urr *u)
{
	size_t g = pfcp_put_group_open(w, type);
	uint8_t t[3] = { (uint8_t)u->triggers, (uint8_t)(u->triggers >> 8),
		(uint8_t)(u->triggers >> 16) };

	pfcp_put_u32(w, PFCP_IE_URR_ID, u->urr_id);
	if ((u->has & PFCP_URR_HAS_METHOD) != 0)
		pfcp_put_u8(w, PFCP_IE_MEASUREMENT_METHOD, u->method);
	if ((u->has & PFCP_URR_HAS_TRIGGERS) != 0)
		pfcp_put_ie(w, PFCP_IE_REPORTING_TRIGGERS, t, t[2] != 0 ? 3 : 2);
	if ((u->has & PFCP_URR_HAS_PERIOD) != 0)
		pfcp_put_u32(w, PFCP_IE_MEASUREMENT_PERIOD, u->period);
	if ((u->has & PFCP_URR_HAS_VOL_THRESH) != 0)
		pfcp_put_volume(w, PFCP_IE_VOLUME_THRESHOLD, &u->vol_thresh);
	if ((u->has & PFCP_URR_HAS_VOL_QUOTA) != 0)
		pfcp_put_volume(w, PFCP_IE_VOLUME_QUOTA, &u->vol_quota);
	if ((u->has & PFCP_URR_HAS_TIME_THRESH) != 0)
		pfcp_put_u32(w, PFCP_IE_TIME_THRESHOLD, u->time_thresh);
	if ((u->has & PFCP_URR_HAS_TIME_QUOTA) != 0)
		pfcp_put_u32(w, PFCP_IE_TIME_QUOTA, u->time_quota);
	pfcp_put_group_close(w, g);
}

/* Create QER (7) or Update QER (14), Tables 7.5.2.5-1 and 7.5.4.5-1. */
void
pfcp_put_qer(struct vpg_wr *w, uint16_t type, const struct pfcp_qer *q)
{
	size_t g = pfcp_put_group_open(w, type);

	pfcp_put_u32(w, PFCP_IE_QER_ID, q->qer_id);
	if ((q->has & PFCP_QER_HAS_CORR_ID) != 0)
		pfcp_put_u32(w, PFCP_IE_QER_CORRELATION_ID, q->corr_id);
	if ((q->has & PFCP_QER_HAS_GATE) != 0)
		put_gate(w, &q->gate);
	if ((q->has & PFCP_QER_HAS_MBR) != 0)
		pfcp_put_bitrate(w, PFCP_IE_MBR, &q->mbr);
	if ((q->has & PFCP_QER_HAS_GBR) != 0)
		pfcp_put_bitrate(w, PFCP_IE_GBR, &q->gbr);
	if ((q->has & PFCP_QER_HAS_QFI) != 0)
		pfcp_put_u8(w, PFCP_IE_QFI, q->qfi);
	pfcp_put_group_close(w, g);
}

/* A grouped IE holding one ID: Create/Update/Remove BAR, Remove PDR/FAR/URR/QER, Query URR. */
void
pfcp_put_rule_id(struct vpg_wr *w, uint16_t type, uint16_t id_type, uint32_t id)
{
	size_t g = pfcp_put_group_open(w, type);

	if (id_type == PFCP_IE_BAR_ID)
		pfcp_put_u8(w, id_type, (uint8_t)id);
	else if (id_type == PFCP_IE_PDR_ID)
		pfcp_put_u16(w, id_type, (uint16_t)id);
	else
		pfcp_put_u32(w, id_type, id);
	pfcp_put_group_close(w, g);
}

/*
 * A Session Establishment (Table 7.5.2.1-1) or Modification Request (Table
 * 7.5.4.1-1), after m->hdr.type, with everything m holds of one.
 */
void
pfcp_build_session_req(struct vpg_wr *w, const struct pfcp_msg *m)
{
	size_t off = pfcp_build_header_seid(w, m->hdr.type, m->hdr.seid, m->hdr.seq), i;

	if ((m->has & PFCP_MSG_HAS_NODE_ID) != 0)
		pfcp_put_node_id(w, &m->node_id);
	if ((m->has & PFCP_MSG_HAS_FSEID) != 0)
		pfcp_put_fseid(w, &m->fseid);
	for (i = 0; i < m->n_remove_pdr; i++)
		pfcp_put_rule_id(w, PFCP_IE_REMOVE_PDR, PFCP_IE_PDR_ID, m->remove_pdr[i]);
	for (i = 0; i < m->n_remove_far; i++)
		pfcp_put_rule_id(w, PFCP_IE_REMOVE_FAR, PFCP_IE_FAR_ID, m->remove_far[i]);
	for (i = 0; i < m->n_remove_urr; i++)
		pfcp_put_rule_id(w, PFCP_IE_REMOVE_URR, PFCP_IE_URR_ID, m->remove_urr[i]);
	for (i = 0; i < m->n_remove_qer; i++)
		pfcp_put_rule_id(w, PFCP_IE_REMOVE_QER, PFCP_IE_QER_ID, m->remove_qer[i]);
	if ((m->has & PFCP_MSG_HAS_REMOVE_BAR) != 0)
		pfcp_put_rule_id(w, PFCP_IE_REMOVE_BAR, PFCP_IE_BAR_ID, m->remove_bar);
	for (i = 0; i < m->n_create_pdr; i++)
		pfcp_put_pdr(w, PFCP_IE_CREATE_PDR, &m->create_pdr[i]);
	for (i = 0; i < m->n_create_far; i++)
		pfcp_put_far(w, PFCP_IE_CREATE_FAR, &m->create_far[i]);
	for (i = 0; i < m->n_create_urr; i++)
		pfcp_put_urr(w, PFCP_IE_CREATE_URR, &m->create_urr[i]);
	for (i = 0; i < m->n_create_qer; i++)
		pfcp_put_qer(w, PFCP_IE_CREATE_QER, &m->create_qer[i]);
	if ((m->has & PFCP_MSG_HAS_CREATE_BAR) != 0)
		pfcp_put_rule_id(w, PFCP_IE_CREATE_BAR, PFCP_IE_BAR_ID, m->create_bar);
	for (i = 0; i < m->n_update_pdr; i++)
		pfcp_put_pdr(w, PFCP_IE_UPDATE_PDR, &m->update_pdr[i]);
	for (i = 0; i < m->n_update_far; i++)
		pfcp_put_far(w, PFCP_IE_UPDATE_FAR, &m->update_far[i]);
	for (i = 0; i < m->n_update_urr; i++)
		pfcp_put_urr(w, PFCP_IE_UPDATE_URR, &m->update_urr[i]);
	for (i = 0; i < m->n_update_qer; i++)
		pfcp_put_qer(w, PFCP_IE_UPDATE_QER, &m->update_qer[i]);
	if ((m->has & PFCP_MSG_HAS_UPDATE_BAR) != 0)
		pfcp_put_rule_id(w, PFCP_IE_UPDATE_BAR, PFCP_IE_BAR_ID, m->update_bar);
	if ((m->has & PFCP_MSG_HAS_SMREQ_FLAGS) != 0)
		pfcp_put_u8(w, PFCP_IE_PFCPSMREQ_FLAGS, m->smreq_flags);
	for (i = 0; i < m->n_query_urr; i++)
		pfcp_put_rule_id(w, PFCP_IE_QUERY_URR, PFCP_IE_URR_ID, m->query_urr[i]);
	if ((m->has & PFCP_MSG_HAS_PDN_TYPE) != 0)
		pfcp_put_u8(w, PFCP_IE_PDN_TYPE, m->pdn_type);
	if ((m->has & PFCP_MSG_HAS_USER_ID) != 0)
		pfcp_put_user_id(w, &m->user_id);
	if ((m->has & PFCP_MSG_HAS_APN) != 0)
		pfcp_put_name(w, PFCP_IE_APN_DNN, m->apn);
	pfcp_build_finish(w, off);
}
