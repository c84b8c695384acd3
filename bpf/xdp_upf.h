/*
 * A UPF session's rules in XDP (included by vpgd_xdp.bpf.c): what
 * core/rules_fast.c found the program can apply exactly as the socket path
 * does (fwd/pdr.c, core/rules.c), from map "upf" under our TEID. The uplink
 * PDR's QFI against the G-PDU's PDU Session Container, the QER gates and
 * one MBR per direction, and the container the downlink tunnel asks for.
 *
 * Only one shape of extension header is taken: E set, one PDU Session
 * Container (TS 38.415 §5.5.2, type 0x85) of 4 octets ending the chain, as
 * gNBs send it. Any other chain, a longer container, or a container on a
 * session that is not a UPF's goes up to the socket path, which walks
 * chains whole (proto/gtpu.c).
 */
#ifndef VPG_BPF_XDP_UPF_H
#define VPG_BPF_XDP_UPF_H

#define GTPU_E	     0x04
#define GTPU_EXT_PSC 0x85
#define UPF_NO_QFI   0xff /* a G-PDU without a PDU Session Container */
#define UPF_PSC_LEN  8	  /* sequence, N-PDU, next type; then the 4-octet container */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct xdp_upf);
} upf SEC(".maps");

/*
 * The octets after the G-PDU's mandatory header: 0, 4 (S or PN: TS 29.281
 * §5.1) or UPF_PSC_LEN with *qfi from the container; -1 for anything else.
 */
static __always_inline int
upf_gtpu_opt(const struct gtpu_hdr *gtp, void *end, __u8 *qfi)
{
	const __u8 *o = (const __u8 *)(gtp + 1);

	*qfi = UPF_NO_QFI;
	if ((gtp->flags & ~(GTPU_S | GTPU_PN | GTPU_E)) != GTPU_V1_PT)
		return -1; /* another version, GTP' */
	if (!(gtp->flags & GTPU_E))
		return (gtp->flags & (GTPU_S | GTPU_PN)) ? 4 : 0;
	if ((void *)(o + UPF_PSC_LEN) > end)
		return -1;
	/* o[3]: the first extension; o[4]: its length in 4-octet units; o[7]: the next. */
	if (o[3] != GTPU_EXT_PSC || o[4] != 1 || o[7] != 0)
		return -1;
	/* TS 38.415 §5.5.2: the QFI is the low 6 bits of the container's second octet. */
	*qfi = o[6] & 0x3f;
	return UPF_PSC_LEN;
}

/* The session's rules, when it is a UPF session XDP carries; NULL otherwise. */
static __always_inline struct xdp_upf *
upf_rules(const struct xdp_session *s)
{
	__u32 teid = s->teid_be;

	if (!(s->flags & XDP_SESSION_F_UPF))
		return NULL;
	return bpf_map_lookup_elem(&upf, &teid);
}

/*
 * Does the uplink PDR take a G-PDU with this QFI? One with a QFI matches only
 * its own (TS 29.244 §5.2.1); what it refuses is the socket path's to judge.
 */
static __always_inline int
upf_ul_matches(const struct xdp_upf *u, __u8 qfi)
{
	return !(u->flags & XDP_UPF_UL_QFI) || qfi == u->ul_qfi;
}

/* A QER's gate closed for the direction (TS 29.244 §8.2.7): dropped and counted. */
static __always_inline int
upf_gate_closed(const struct xdp_upf *u, int up)
{
	if (!(u->flags & (up ? XDP_UPF_UL_CLOSED : XDP_UPF_DL_CLOSED)))
		return 0;
	count(XDP_CTR_DROPPED_PFCP_QER_GATE_CLOSED, 1);
	return 1;
}

/*
 * The MBR (TS 29.244 §8.2.8) as core/rules.c's bucket_take: refilled by the
 * milliseconds elapsed, at most one second's worth, then len octets spent.
 * The elapsed time is capped at a second first: the bucket is full by then,
 * and the product stays in 64 bits for any rate PFCP can carry.
 */
static __always_inline int
upf_take(struct xdp_upf *u, int up, __u32 len)
{
	struct xdp_bucket *b = up ? &u->ul : &u->dl;
	__u64 now = bpf_ktime_get_ns() / 1000000, bits = (__u64)len * 8, t;
	int ok;

	if (b->rate_bps == 0)
		return 1;
	bpf_spin_lock(&u->lock);
	if (now > b->last_ms) {
		t = now - b->last_ms >= 1000 ? b->rate_bps
					     : b->tokens + (now - b->last_ms) * b->rate_bps / 1000;
		b->tokens = t > b->rate_bps ? b->rate_bps : t;
		b->last_ms = now;
	}
	ok = b->tokens >= bits;
	if (ok)
		b->tokens -= bits;
	bpf_spin_unlock(&u->lock);
	if (!ok)
		count(XDP_CTR_DROPPED_PFCP_QER_MBR_EXCEEDED, 1);
	return ok;
}

/* The downlink G-PDU header's octets beyond the mandatory 8: a container when the tunnel asks. */
static __always_inline int
upf_dl_ext_len(const struct xdp_upf *u)
{
	return u != NULL && (u->flags & XDP_UPF_DL_QFI) ? UPF_PSC_LEN : 0;
}

/*
 * A G-PDU header with a DL PDU Session Information (TS 38.415 §5.5.2.1, PDU
 * type 0) carrying qfi, after the outer headers: the socket path's
 * gtpu_push_gpdu_qfi, octet for octet.
 */
static __always_inline int
upf_write_gtpu_psc(struct xdp_md *ctx, __u16 in_len, __u32 teid_be, __u8 qfi)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct gtpu_hdr *gtp = data + OUTER_LEN;
	__u8 *o = (__u8 *)(gtp + 1);

	if ((void *)(o + UPF_PSC_LEN) > end)
		return -1;
	gtp->flags = GTPU_V1_PT | GTPU_E;
	gtp->type = GTPU_GPDU;
	gtp->len = bpf_htons(in_len + UPF_PSC_LEN);
	gtp->teid = teid_be;
	o[0] = 0;
	o[1] = 0;
	o[2] = 0;
	o[3] = GTPU_EXT_PSC;
	o[4] = 1;
	o[5] = 0;
	o[6] = qfi & 0x3f;
	o[7] = 0;
	return 0;
}

#endif
