#include "fwd/xdp_hits.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

void
xdp_hits_init(struct xdp_hits *h, int fd)
{
	memset(h, 0, sizeof(*h));
	h->fd = fd;
}

/* Every rule's count, summed over the CPUs; false when the map cannot be read. */
static bool
read_sums(const struct xdp_hits *h, unsigned n, uint64_t *sums)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t *v;

	if (cpus <= 0 || (v = calloc((size_t)cpus, sizeof(*v))) == NULL)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		sums[i] = 0;
		if (bpf_map_lookup_elem(h->fd, &i, v) < 0)
			continue;
		for (int c = 0; c < cpus; c++)
			sums[i] += v[c];
	}
	free(v);
	return true;
}

void
xdp_hits_fold(struct xdp_hits *h, struct filter *f)
{
	uint64_t sums[FILTER_MAX_RULES];
	bool same = f->generation == h->generation;

	if (!read_sums(h, FILTER_MAX_RULES, sums))
		return;
	for (unsigned i = 0; same && i < f->n && i < FILTER_MAX_RULES; i++)
		f->hits[i] += sums[i] - h->base[i];
	memcpy(h->base, sums, sizeof(sums));
	h->generation = f->generation;
}
