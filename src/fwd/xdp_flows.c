#include "fwd/xdp_flows.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "inspect/inspect.h"
#include "io/log.h"

/* Entries one batched read of the map takes. */
#define XDP_FLOWS_BATCH 256

struct xdp_flows {
	int fd;
	uint32_t capacity;
	uint32_t held; /* entries put in and not yet taken out or found lost */
};

void
xdp_flows_key(const struct flow_key *k, struct xdp_flow_key *out)
{
	memset(out, 0, sizeof(*out));
	out->saddr_be = k->saddr;
	out->daddr_be = k->daddr;
	out->sport_be = htons(k->sport);
	out->dport_be = htons(k->dport);
	out->proto = k->proto;
	out->dir = k->dir;
}

static void
flow_key_of(const struct xdp_flow_key *k, struct flow_key *out)
{
	memset(out, 0, sizeof(*out));
	out->saddr = k->saddr_be;
	out->daddr = k->daddr_be;
	out->sport = ntohs(k->sport_be);
	out->dport = ntohs(k->dport_be);
	out->proto = k->proto;
	out->dir = k->dir;
}

/* The program's clock is CLOCK_MONOTONIC in ns, Inspection's the same in ms. */
void
xdp_flows_counts(const struct xdp_flow_stats *v, struct flow_fast_counts *out)
{
	out->packets = v->packets;
	out->bytes = v->bytes;
	out->last_ms = v->last_ns / 1000000;
	out->tcp_flags = (uint16_t)v->tcp_flags;
}

/* Entries the LRU lists of cpus CPUs may keep free, at most. */
static uint64_t
lru_aside(int cpus)
{
	return (uint64_t)(cpus > 0 ? cpus : 1) * XDP_FLOWS_PER_CPU_FREE;
}

uint32_t
xdp_flows_capacity(uint32_t max_entries, int cpus)
{
	uint64_t aside = lru_aside(cpus);

	return max_entries > 2 * aside ? (uint32_t)(max_entries - 2 * aside) : max_entries / 2;
}

uint32_t
xdp_flows_map_entries(uint32_t max_flows, int cpus)
{
	uint64_t aside = lru_aside(cpus);
	uint64_t flows =
	    max_flows > INSPECT_DEFAULT_MAX_FLOWS ? max_flows : INSPECT_DEFAULT_MAX_FLOWS;
	uint64_t entries = flows + 2 * aside;

	return entries > UINT32_MAX ? UINT32_MAX : (uint32_t)entries;
}

/*
 * A new entry at zero. A stale one under the same key (a flow whose end
 * could not remove it) starts again at zero too: the flow's snapshot is zero.
 */
static int
take(void *arg, const struct flow_key *k)
{
	struct xdp_flows *xf = arg;
	struct xdp_flow_stats zero = { 0 };
	struct xdp_flow_key key;

	if (xf->held >= xf->capacity)
		return -ENOSPC;
	xdp_flows_key(k, &key);
	if (bpf_map_update_elem(xf->fd, &key, &zero, BPF_NOEXIST) == 0) {
		xf->held++;
		return 0;
	}
	if (errno == EEXIST && bpf_map_update_elem(xf->fd, &key, &zero, BPF_EXIST) == 0)
		return 0;
	log_err("xdp: cannot write the flows map: %s", strerror(errno));
	return -errno;
}

/* With last, read and removed in one step: no packet is counted between the two. */
static int
read_one(void *arg, const struct flow_key *k, bool last, struct flow_fast_counts *out)
{
	struct xdp_flows *xf = arg;
	struct xdp_flow_stats v;
	struct xdp_flow_key key;
	int rc;

	xdp_flows_key(k, &key);
	rc = last ? bpf_map_lookup_and_delete_elem(xf->fd, &key, &v)
		  : bpf_map_lookup_elem(xf->fd, &key, &v);
	if (rc < 0) {
		rc = -errno;
		if (rc == -ENOENT && xf->held > 0)
			xf->held--;
		return rc;
	}
	if (last && xf->held > 0)
		xf->held--;
	xdp_flows_counts(&v, out);
	return 0;
}

/* The whole map, XDP_FLOWS_BATCH entries a system call. */
static void
read_all(void *arg,
    void (*fn)(void *ctx, const struct flow_key *k, const struct flow_fast_counts *c), void *ctx)
{
	struct xdp_flows *xf = arg;
	struct xdp_flow_key keys[XDP_FLOWS_BATCH];
	struct xdp_flow_stats vals[XDP_FLOWS_BATCH];
	struct bpf_map_batch_opts opts = { .sz = sizeof(opts) };
	uint32_t token = 0, n;
	bool first = true, more = true;

	while (more) {
		n = XDP_FLOWS_BATCH;
		if (bpf_map_lookup_batch(
			xf->fd, first ? NULL : &token, &token, keys, vals, &n, &opts) < 0) {
			if (errno != ENOENT)
				return;
			more = false; /* the last batch, maybe empty */
		}
		first = false;
		for (uint32_t i = 0; i < n; i++) {
			struct flow_fast_counts c;
			struct flow_key k;

			flow_key_of(&keys[i], &k);
			xdp_flows_counts(&vals[i], &c);
			fn(ctx, &k, &c);
		}
	}
}

static const struct inspect_fast_path xdp_flows_path = {
	.take = take,
	.read = read_one,
	.read_all = read_all,
};

struct xdp_flows *
xdp_flows_start(struct inspect *in, int fd, uint32_t max_entries)
{
	struct xdp_flows *xf = calloc(1, sizeof(*xf));

	if (xf == NULL || in == NULL) {
		free(xf);
		return NULL;
	}
	xf->fd = fd;
	xf->capacity = xdp_flows_capacity(max_entries, libbpf_num_possible_cpus());
	inspect_set_fast_path(in, &xdp_flows_path, xf);
	return xf;
}

void
xdp_flows_stop(struct xdp_flows *xf, struct inspect *in)
{
	if (xf == NULL)
		return;
	if (in != NULL)
		inspect_set_fast_path(in, NULL, NULL);
	free(xf);
}
