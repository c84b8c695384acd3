/*
 * The live-frames generator's program (bench/xgen.c runs it with
 * BPF_PROG_RUN and BPF_F_TEST_XDP_LIVE_FRAMES): every frame it is given
 * becomes the next session's G-PDU or VXLAN frame and leaves by XDP_TX on
 * the interface the run names, towards the gateway.
 *
 * Why it writes every header every time: how live frames are recycled on
 * kernel 6.18 (net/bpf/test_run.c). Each BPF_PROG_RUN call makes a page
 * pool of its own, batch_size pages; a page is filled from the call's
 * data_in only when the pool takes it from the page allocator. A page that
 * comes back (dropped here, dropped by the gateway, or freed at the sink
 * beyond it) goes into the pool's ring and is handed out again with its
 * data pointers reset but not its octets: the gateway has rewritten its
 * headers in place (bpf_xdp_adjust_head and new outer headers), or the
 * previous frame's TEID and addresses are still in it. A page that finds
 * the ring full on its way back goes to the page allocator, and the pool
 * takes and fills a new one. XGEN_MARK at XGEN_MARK_OFF (past every header,
 * where no gateway writes) tells a freshly filled page from a recycled one:
 * on these machines, with a gateway forwarding into the sink, some 2 to 8%
 * of the frames had a fresh page, the rest recycled ones.
 */
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xbench.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xgen_conf);
} xgen_conf SEC(".maps");

/* Sized by the loader to the sessions offered. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xgen_session);
} xgen_sessions SEC(".maps");

/* The next session of each CPU: the generator runs on one. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xgen_next SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XGEN__COUNT);
	__type(key, __u32);
	__type(value, __u64);
} xgen_stats SEC(".maps");

static __always_inline void
count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&xgen_stats, &idx);

	if (c != NULL)
		*c += 1;
}

/* RFC 1071 over an IPv4 header without options, its checksum field zero. */
static __always_inline __u16
ipv4_csum(const __u16 *w)
{
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Round robin over the sessions, as bench/gen.c sends. */
static __always_inline const struct xgen_session *
next_session(const struct xgen_conf *cf)
{
	__u32 zero = 0, *next = bpf_map_lookup_elem(&xgen_next, &zero);
	__u32 i;

	if (next == NULL)
		return NULL;
	i = *next;
	*next = i + 1 >= cf->n_sessions ? 0 : i + 1;
	return bpf_map_lookup_elem(&xgen_sessions, &i);
}

SEC("xdp")
int
xgen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	const struct xgen_session *s;
	const struct xgen_conf *cf;
	__u8 *mark = data + XGEN_MARK_OFF;
	__u16 *inner;
	__u32 zero = 0;

	cf = bpf_map_lookup_elem(&xgen_conf, &zero);
	if (cf == NULL || (void *)(mark + 1) > end)
		return XDP_ABORTED;
	s = next_session(cf);
	if (s == NULL)
		return XDP_ABORTED;
	if (*mark == XGEN_MARK) {
		*mark = 0;
		count(XGEN_FRESH);
	}
	__builtin_memcpy(data, cf->hdr, XGEN_HDR_LEN);
	if (cf->downlink) {
		inner = data + XGEN_DOWN_INNER;
		*(__u32 *)(data + XGEN_DOWN_INNER + 16) = s->addr_be; /* to the device */
	} else {
		inner = data + XGEN_UP_INNER;
		*(__u32 *)(data + XGEN_UP_TEID) = s->teid_be;
		*(__u32 *)(data + XGEN_UP_INNER + 12) = s->addr_be; /* from the device */
	}
	inner[5] = 0;
	inner[5] = ipv4_csum(inner);
	count(XGEN_FRAMES);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
