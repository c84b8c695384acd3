#include "fwd/xdp_routes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "core/session.h"
#include "io/log.h"

/* One entry per route of the table: the map's size. */
#define XDP_ROUTES_MAX SESSION_MAX_ROUTES

struct xdp_routes {
	int fd;
	unsigned n;
	struct xdp_route_entry *shadow; /* what the map holds, sorted by key */
	struct xdp_route_entry *next;	/* what it is to hold */
};

static int
key_cmp(const struct xdp_route_key *a, const struct xdp_route_key *b)
{
	uint32_t x = ntohl(a->addr_be), y = ntohl(b->addr_be);

	if (x != y)
		return x < y ? -1 : 1;
	return a->prefixlen < b->prefixlen ? -1 : a->prefixlen > b->prefixlen;
}

static int
entry_cmp(const void *a, const void *b)
{
	return key_cmp(
	    &((const struct xdp_route_entry *)a)->key, &((const struct xdp_route_entry *)b)->key);
}

unsigned
xdp_map_routes(const struct session_table *t, struct xdp_route_entry *out, unsigned cap)
{
	const struct session *owner;
	uint32_t net_be, mask_be;
	unsigned n = 0;

	for (uint32_t c = session_route_next(t, 0, &net_be, &mask_be, &owner); c != 0 && n < cap;
	     c = session_route_next(t, c, &net_be, &mask_be, &owner)) {
		out[n].key.prefixlen = (uint32_t)__builtin_popcount(mask_be);
		out[n].key.addr_be = net_be;
		out[n].value.teid_be = owner != NULL ? htonl(owner->teid) : 0;
		n++;
	}
	qsort(out, n, sizeof(out[0]), entry_cmp);
	return n;
}

struct xdp_routes *
xdp_routes_new(int fd)
{
	struct xdp_routes *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->fd = fd;
	r->shadow = calloc(XDP_ROUTES_MAX, sizeof(*r->shadow));
	r->next = calloc(XDP_ROUTES_MAX, sizeof(*r->next));
	if (r->shadow == NULL || r->next == NULL) {
		xdp_routes_free(r);
		return NULL;
	}
	return r;
}

void
xdp_routes_free(struct xdp_routes *r)
{
	if (r == NULL)
		return;
	free(r->shadow);
	free(r->next);
	free(r);
}

/* A map that disagrees with the table is a packet path that disagrees: said, never silent. */
static void
put(const struct xdp_routes *r, const struct xdp_route_entry *e)
{
	if (bpf_map_update_elem(r->fd, &e->key, &e->value, BPF_ANY) < 0)
		log_err("xdp: cannot write the routes map: %s", strerror(errno));
}

static void
del(const struct xdp_routes *r, const struct xdp_route_entry *e)
{
	if (bpf_map_delete_elem(r->fd, &e->key) < 0 && errno != ENOENT)
		log_err("xdp: cannot write the routes map: %s", strerror(errno));
}

/* Both lists sorted: one merge walk finds what is new or changed, then what is gone. */
void
xdp_routes_sync(struct xdp_routes *r, const struct session_table *t)
{
	unsigned n = xdp_map_routes(t, r->next, XDP_ROUTES_MAX), i = 0, k = 0;
	struct xdp_route_entry *swap;

	for (; i < n; i++) {
		while (k < r->n && key_cmp(&r->shadow[k].key, &r->next[i].key) < 0)
			k++;
		if (k < r->n && key_cmp(&r->shadow[k].key, &r->next[i].key) == 0 &&
		    r->shadow[k].value.teid_be == r->next[i].value.teid_be)
			continue;
		put(r, &r->next[i]);
	}
	for (i = 0, k = 0; k < r->n; k++) {
		while (i < n && key_cmp(&r->next[i].key, &r->shadow[k].key) < 0)
			i++;
		if (i == n || key_cmp(&r->next[i].key, &r->shadow[k].key) != 0)
			del(r, &r->shadow[k]);
	}
	swap = r->shadow;
	r->shadow = r->next;
	r->next = swap;
	r->n = n;
}
