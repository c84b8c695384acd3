#include "fwd/xdp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/rules.h"
#include "core/session.h"
#include "fwd/datapath.h"
#include "fwd/filter.h"
#include "fwd/gate.h"
#include "fwd/gate_neigh.h"
#include "fwd/xdp_hits.h"
#include "fwd/xdp_flows.h"
#include "fwd/xdp_map.h"
#include "fwd/xdp_neigh.h"
#include "fwd/xdp_routes.h"
#include "fwd/xdp_slots.h"
#include "fwd/xdp_upf.h"
#include "io/log.h"
#include "vpgd_xdp.skel.h"

/* What a neighbours' map entry holds, per slot of the gate's table: the diff's other side. */
struct neigh_shadow {
	bool used;
	uint32_t ip_be;
	struct xdp_neighbor v;
};

struct xdp_path {
	enum xdp_mode mode;
	bool attached;
	unsigned n_ifs;
	char names[XDP_MAX_IFS][IF_NAMESIZE];
	int ifindex[XDP_MAX_IFS];
	int links[XDP_MAX_IFS];
	uint32_t gate_be;
	struct datapath *dp;
	struct vpgd_xdp *skel;
	int peers, neighbors, filter, conf, counters, upf;
	struct xdp_slots slots; /* the sessions, in memory the program reads */
	unsigned n_filter;
	struct xdp_filter_key filter_keys[FILTER_MAX_RULES];
	unsigned n_peers;
	uint32_t peer_outer[GATE_MAX_PEERS];
	uint32_t n_shadow;
	struct neigh_shadow *shadow;
	struct xdp_routes *routes;
	struct xdp_hits hits;
	struct xdp_neigh_marks *marks; /* per slot of the shadow: XDP's stamps already told */
	struct xdp_flows *flows;       /* Inspection's flows in XDP */
	uint32_t lookups; /* XDP_CONF_FILTER, XDP_CONF_ROUTES: tries that may hold entries */
	bool conf_live;	  /* conf written whole: a change of lookups rewrites it */
};

static const char *const ctr_names[] = {
#define XDP_CTR_NAME(name, text) text,
	XDP_CTR_LIST(XDP_CTR_NAME)
#undef XDP_CTR_NAME
};

const char *
xdp_ctr_name(unsigned i)
{
	return i < XDP_CTR__COUNT ? ctr_names[i] : "";
}

/* libbpf's own lines (the verifier's log) only with -v: the operator gets one line of ours. */
static int
libbpf_line(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];

	(void)level;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("libbpf: %s", line);
	return 0;
}

static const char *
mode_name(enum xdp_mode m)
{
	return m == XDP_MODE_NATIVE ? "native" : m == XDP_MODE_GENERIC ? "generic" : "off";
}

static void
detach_all(struct xdp_path *x)
{
	for (unsigned i = 0; i < x->n_ifs; i++)
		if (x->links[i] >= 0) {
			close(x->links[i]);
			x->links[i] = -1;
		}
	x->attached = false;
}

/* All interfaces or none: a refusal undoes the links made before it. */
static int
attach_all(struct xdp_path *x)
{
	int prog = bpf_program__fd(x->skel->progs.vpgd_xdp);
	struct bpf_link_create_opts opts;

	/* What LIBBPF_OPTS does, spelled out: the size says which fields this libbpf knows. */
	memset(&opts, 0, sizeof(opts));
	opts.sz = sizeof(opts);
	opts.flags = x->mode == XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;

	for (unsigned i = 0; i < x->n_ifs; i++) {
		x->links[i] = bpf_link_create(prog, x->ifindex[i], BPF_XDP, &opts);
		if (x->links[i] < 0) {
			int err = errno;

			detach_all(x);
			log_warn("xdp: %s refuses %s mode (%s): running on the socket path",
			    x->names[i], mode_name(x->mode), strerror(err));
			return -1;
		}
	}
	x->attached = true;
	return 0;
}

static int
resolve_ifs(struct xdp_path *x, const struct xdp_params *p)
{
	for (unsigned i = 0; i < p->n_ifs && i < XDP_MAX_IFS; i++) {
		snprintf(x->names[i], sizeof(x->names[i]), "%s", p->ifs[i]);
		x->links[i] = -1;
		x->ifindex[i] = (int)if_nametoindex(p->ifs[i]);
		x->n_ifs = i + 1;
		if (x->ifindex[i] == 0) {
			log_warn("xdp: no interface %s: running on the socket path", p->ifs[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * The session maps sized to the table (fwd/xdp_slots.h), and the flows map
 * to Inspection's maxFlows (fwd/xdp_flows.h), before the program loads.
 */
static int
size_maps(struct xdp_path *x, const struct xdp_params *p, struct xdp_slots_geometry *g)
{
	uint32_t n = p->sessions > 0 ? p->sessions : 1;
	int err = xdp_slots_geometry(n, g);

	if (err == 0) {
		xdp_slots_geometry_subnet(g, p->subnet_be, p->prefix);
		err = xdp_slots_size(x->skel->maps.slots, x->skel->maps.teid_index,
		    x->skel->maps.addr_index, x->skel->maps.addr_slots, g);
	}
	if (err == 0)
		err = bpf_map__set_max_entries(x->skel->maps.upf, n);
	if (err == 0)
		err = bpf_map__set_max_entries(x->skel->maps.flows,
		    xdp_flows_map_entries(p->flows, libbpf_num_possible_cpus()));
	if (err < 0) {
		log_warn("xdp: cannot size the maps for %u sessions and %u flows (%s): running on "
			 "the socket path",
		    n, p->flows, strerror(-err));
		return -1;
	}
	x->skel->rodata->index_mask = g->index_mask;
	x->skel->rodata->teid_slot_mask = session_teid_slot_mask(n);
	x->skel->rodata->addr_base = g->addr_base;
	x->skel->rodata->addr_count = g->addr_count;
	return 0;
}

static int
map_sessions(struct xdp_path *x, const struct xdp_slots_geometry *g)
{
	int err = xdp_slots_map(&x->slots, g, bpf_map__fd(x->skel->maps.slots),
	    bpf_map__fd(x->skel->maps.teid_index), bpf_map__fd(x->skel->maps.addr_index),
	    bpf_map__fd(x->skel->maps.addr_slots));

	if (err < 0)
		log_warn("xdp: cannot map the session maps (%s): running on the socket path",
		    strerror(-err));
	return err;
}

/* Sizes the session maps to the table, then has the kernel verify the program. */
static int
load(struct xdp_path *x, const struct xdp_params *p)
{
	struct xdp_slots_geometry g;
	int err;

	x->skel = vpgd_xdp__open();
	if (x->skel == NULL) {
		log_warn("xdp: cannot open the program (%s): running on the socket path",
		    strerror(errno));
		return -1;
	}
	if (size_maps(x, p, &g) < 0)
		return -1;
	err = vpgd_xdp__load(x->skel);
	if (err < 0) {
		log_warn("xdp: the kernel refuses the program (%s): running on the socket path",
		    strerror(-err));
		return -1;
	}
	if (map_sessions(x, &g) < 0)
		return -1;
	x->peers = bpf_map__fd(x->skel->maps.peers);
	x->neighbors = bpf_map__fd(x->skel->maps.neighbors);
	x->filter = bpf_map__fd(x->skel->maps.filter);
	x->conf = bpf_map__fd(x->skel->maps.conf);
	x->counters = bpf_map__fd(x->skel->maps.counters);
	xdp_hits_init(&x->hits, bpf_map__fd(x->skel->maps.filter_hits));
	x->routes = xdp_routes_new(bpf_map__fd(x->skel->maps.routes));
	if (x->routes == NULL) {
		log_warn("xdp: out of memory for the routes: running on the socket path");
		return -1;
	}
	x->upf = bpf_map__fd(x->skel->maps.upf);
	return 0;
}

/* The interfaces XDP_REDIRECT may send through: the ones it is attached to. */
static int
fill_tx_ports(struct xdp_path *x)
{
	int fd = bpf_map__fd(x->skel->maps.tx_ports);

	for (unsigned i = 0; i < x->n_ifs; i++) {
		uint32_t k = (uint32_t)x->ifindex[i];

		if (bpf_map_update_elem(fd, &k, &k, BPF_ANY) < 0) {
			log_warn("xdp: %s cannot be a redirect target (%s): running on the socket "
				 "path",
			    x->names[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * bpf_fib_lookup finds no next hop from an interface that does not forward
 * IPv4: the program would then pass every packet up. Said once, at start.
 */
static void
check_forwarding(const struct xdp_path *x)
{
	for (unsigned i = 0; i < x->n_ifs; i++) {
		char path[96];
		int c = EOF;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding", x->names[i]);
		f = fopen(path, "r");
		if (f != NULL) {
			c = fgetc(f);
			fclose(f);
		}
		if (c == '0')
			log_warn("xdp: %s does not forward IPv4 (net.ipv4.conf.%s.forwarding=0): "
				 "the fast "
				 "path passes its packets up",
			    x->names[i], x->names[i]);
	}
}

struct xdp_path *
xdp_start(const struct xdp_params *p)
{
	struct xdp_path *x;

	if (p->mode == XDP_MODE_OFF)
		return NULL;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return NULL;
	x->mode = p->mode;
	x->dp = p->dp;
	x->gate_be = p->gate_be;
	libbpf_set_print(libbpf_line);
	if (resolve_ifs(x, p) < 0 || load(x, p) < 0 || fill_tx_ports(x) < 0 || attach_all(x) < 0)
		return x;
	log_info("xdp: %s mode on %u interface%s", mode_name(x->mode), x->n_ifs,
	    x->n_ifs == 1 ? "" : "s");
	check_forwarding(x);
	return x;
}

void
xdp_stop(struct xdp_path *x)
{
	if (x == NULL)
		return;
	if (x->attached) {
		session_set_change_hook(x->dp->sessions, NULL, NULL);
		session_set_fast_usage(x->dp->sessions, NULL, NULL);
		gate_set_neighbor_hook(x->dp->gate, NULL, NULL);
		gate_set_tick_hook(x->dp->gate, NULL, NULL);
	}
	detach_all(x);
	xdp_flows_stop(x->flows, x->dp->inspect);
	xdp_slots_unmap(&x->slots);
	vpgd_xdp__destroy(x->skel);
	xdp_routes_free(x->routes);
	free(x->marks);
	free(x->shadow);
	free(x);
}

bool
xdp_attached(const struct xdp_path *x)
{
	return x != NULL && x->attached;
}

/* A failed map write is a packet path that disagrees with the tables: said, never silent. */
static void
map_failed(const char *map, int err)
{
	log_err("xdp: cannot write the %s map: %s", map, strerror(err));
}

static void
put(int fd, const char *name, const void *k, const void *v)
{
	if (bpf_map_update_elem(fd, k, v, BPF_ANY) < 0)
		map_failed(name, errno);
}

static void
del(int fd, const char *name, const void *k)
{
	if (bpf_map_delete_elem(fd, k) < 0 && errno != ENOENT)
		map_failed(name, errno);
}

static void
sync_conf(struct xdp_path *x)
{
	struct xdp_conf c;
	uint32_t zero = 0;

	xdp_map_conf(x->dp, x->gate_be, true, &c);
	c.flags |= x->lookups;
	put(x->conf, "conf", &zero, &c);
}

/*
 * Whether the program looks trie up, told to conf when it changes. Called
 * with true before a trie gets entries and with what it holds after, so the
 * program never skips a trie that holds an entry; until start-up writes
 * conf whole, nothing is written early.
 */
static void
look_up_trie(struct xdp_path *x, uint32_t trie, bool on)
{
	if (on == ((x->lookups & trie) != 0))
		return;
	x->lookups = on ? x->lookups | trie : x->lookups & ~trie;
	if (x->conf_live)
		sync_conf(x);
}

static void
sync_routes(struct xdp_path *x)
{
	bool filled = session_route_count(x->dp->sessions) > 0;

	if (filled)
		look_up_trie(x, XDP_CONF_ROUTES, true);
	xdp_routes_sync(x->routes, x->dp->sessions);
	look_up_trie(x, XDP_CONF_ROUTES, filled);
}

/*
 * Out of the memory maps with a few stores; the indices keep a key that
 * another session has taken since. Only a UPF session has rules to drop:
 * a GTP detach makes no system call.
 */
static void
session_gone(struct xdp_path *x, const struct session *s)
{
	uint32_t teid_be = htonl(s->teid);

	xdp_slots_clear(&x->slots, session_slot(x->dp->sessions, s));
	if (s->owner.role == SESSION_ROLE_UPF)
		del(x->upf, "upf", &teid_be);
}

/* A UPF session's rules as the program applies them; buckets it spends from are kept. */
static void
put_upf(struct xdp_path *x, const struct session *s, struct xdp_session *v)
{
	struct xdp_upf next, cur;

	xdp_upf_entry(s, v, &next);
	if (bpf_map_lookup_elem(x->upf, &v->teid_be, &cur) == 0)
		xdp_upf_keep_buckets(&next, &cur);
	put(x->upf, "upf", &v->teid_be, &next);
}

static void
on_session(void *arg, const struct session *s, bool live)
{
	struct xdp_path *x = arg;
	struct xdp_session v;

	if (s == NULL) { /* routes came, went or moved */
		sync_routes(x);
		return;
	}
	if (!live) {
		session_gone(x, s);
		return;
	}
	xdp_map_session(s, &v);
	v.slot = session_slot(x->dp->sessions, s);
	/* The rules before the entry that points to them; out after it no longer does. */
	if (v.flags & XDP_SESSION_F_UPF)
		put_upf(x, s, &v);
	if (!xdp_slots_put(&x->slots, &v))
		log_err("xdp: no room for TEID 0x%08x in the session index: its packets take the "
			"socket path",
		    s->teid);
	/* Only a UPF session ever has rules there: a GTP attach pays no extra call. */
	if (!(v.flags & XDP_SESSION_F_UPF) && s->owner.role == SESSION_ROLE_UPF)
		del(x->upf, "upf", &v.teid_be);
}

/* New ranges in first, then the old ones out: no moment without the filter. */
static void
sync_filter(struct xdp_path *x)
{
	struct xdp_filter_key keys[FILTER_MAX_RULES];
	struct xdp_filter_value values[FILTER_MAX_RULES];
	unsigned n = xdp_map_filter(x->dp->filter, keys, values);

	/* The old rules' hits are in before the new rules' count. */
	xdp_hits_fold(&x->hits, x->dp->filter);
	if (n > 0)
		look_up_trie(x, XDP_CONF_FILTER, true);
	for (unsigned i = 0; i < n; i++)
		put(x->filter, "filter", &keys[i], &values[i]);
	for (unsigned i = 0; i < x->n_filter; i++) {
		bool kept = false;

		for (unsigned k = 0; k < n && !kept; k++)
			kept = memcmp(&keys[k], &x->filter_keys[i], sizeof(keys[k])) == 0;
		if (!kept)
			del(x->filter, "filter", &x->filter_keys[i]);
	}
	memcpy(x->filter_keys, keys, sizeof(keys[0]) * n);
	x->n_filter = n;
	look_up_trie(x, XDP_CONF_FILTER, n > 0);
}

static void
sync_peers(struct xdp_path *x)
{
	uint32_t outer[GATE_MAX_PEERS], inner;
	const uint8_t *mac;
	unsigned n = 0;

	for (unsigned c = gate_peer_next(x->dp->gate, 0, &outer[n], &inner, &mac); c != 0;
	     c = gate_peer_next(x->dp->gate, c, &outer[n], &inner, &mac)) {
		put(x->peers, "peers", &outer[n], &inner);
		if (++n == GATE_MAX_PEERS)
			break;
	}
	for (unsigned i = 0; i < x->n_peers; i++) {
		bool kept = false;

		for (unsigned k = 0; k < n && !kept; k++)
			kept = outer[k] == x->peer_outer[i];
		if (!kept)
			del(x->peers, "peers", &x->peer_outer[i]);
	}
	memcpy(x->peer_outer, outer, sizeof(outer[0]) * n);
	x->n_peers = n;
}

/* What slot i of the gate's table asks of the map: a resolved neighbour, or nothing. */
static struct neigh_shadow
wanted(struct xdp_path *x, struct gate_neigh_table *t, uint32_t i)
{
	const struct gate_neigh *n = gate_neigh_slot(t, i);
	struct neigh_shadow w = { 0 };
	uint32_t outer;

	if (n == NULL || !n->resolved)
		return w;
	outer = gate_neighbor_outer(x->dp->gate, n);
	if (outer == 0)
		return w;
	w.used = true;
	w.ip_be = n->ip_be;
	memcpy(w.v.mac, n->mac, sizeof(w.v.mac));
	w.v.outer_be = outer;
	return w;
}

/*
 * The neighbours' map follows the gate's table slot by slot: what changed
 * since the last look is written, the rest costs a comparison. Removals
 * first, so that an address that moved to another slot is written last.
 * O(table size): a few thousand comparisons, when a neighbour changes.
 */
static void
on_neighbors(void *arg)
{
	struct xdp_path *x = arg;
	struct gate_neigh_table *t = (struct gate_neigh_table *)gate_neighbors(x->dp->gate);
	uint32_t cap = gate_neigh_capacity(t);

	if (x->shadow == NULL) {
		x->shadow = calloc(cap, sizeof(*x->shadow));
		x->marks = calloc(cap, sizeof(*x->marks));
		if (x->shadow == NULL || x->marks == NULL) {
			free(x->shadow);
			free(x->marks);
			x->shadow = NULL;
			x->marks = NULL;
			return;
		}
		x->n_shadow = cap;
	}
	for (uint32_t i = 0; i < x->n_shadow; i++) {
		struct neigh_shadow w = wanted(x, t, i);

		if (x->shadow[i].used && (!w.used || w.ip_be != x->shadow[i].ip_be)) {
			del(x->neighbors, "neighbors", &x->shadow[i].ip_be);
			x->shadow[i].used = false;
		}
	}
	for (uint32_t i = 0; i < x->n_shadow; i++) {
		struct neigh_shadow w = wanted(x, t, i);

		if (!w.used || memcmp(&w, &x->shadow[i], sizeof(w)) == 0)
			continue;
		put(x->neighbors, "neighbors", &w.ip_be, &w.v);
		x->shadow[i] = w;
	}
}

/*
 * Before the gate's tables age: what XDP took from and sent to each
 * neighbour in the map, told to the gate. One lookup a resolved neighbour,
 * once a second.
 */
static void
on_gate_tick(void *arg)
{
	struct xdp_path *x = arg;
	struct xdp_neighbor v;

	for (uint32_t i = 0; i < x->n_shadow; i++)
		if (x->shadow[i].used &&
		    bpf_map_lookup_elem(x->neighbors, &x->shadow[i].ip_be, &v) == 0)
			xdp_neigh_fold(x->dp, x->shadow[i].ip_be, &v, &x->marks[i]);
}

void
xdp_sync_control(struct xdp_path *x)
{
	if (!xdp_attached(x))
		return;
	sync_filter(x);
	sync_peers(x);
	on_neighbors(x);
	sync_conf(x);
}

/* The session table's reader of what XDP carried (the UPF role's URRs add it up). */
static void
fast_usage(void *arg, const struct session *s, struct rules_usage *out)
{
	struct xdp_session_counters c;

	xdp_session_counters(arg, s, &c);
	out->ul_packets = c.up_packets;
	out->ul_bytes = c.up_bytes;
	out->dl_packets = c.down_packets;
	out->dl_bytes = c.down_bytes;
}

void
xdp_sync_all(struct xdp_path *x)
{
	struct session *s;

	if (!xdp_attached(x))
		return;
	for (uint32_t c = session_next(x->dp->sessions, 0, &s); c != 0;
	     c = session_next(x->dp->sessions, c, &s))
		on_session(x, s, true);
	sync_routes(x);
	session_set_change_hook(x->dp->sessions, on_session, x);
	session_set_fast_usage(x->dp->sessions, fast_usage, x);
	gate_set_neighbor_hook(x->dp->gate, on_neighbors, x);
	gate_set_tick_hook(x->dp->gate, on_gate_tick, x);
	x->flows = xdp_flows_start(x->dp->inspect, bpf_map__fd(x->skel->maps.flows),
	    bpf_map__max_entries(x->skel->maps.flows));
	xdp_sync_control(x);
	x->conf_live = true;
}

static void
read_counters(const struct xdp_path *x, uint64_t *out)
{
	int cpus = libbpf_num_possible_cpus();
	struct xdp_counters *v;
	uint32_t zero = 0;

	if (cpus <= 0 || (v = calloc((size_t)cpus, sizeof(*v))) == NULL)
		return;
	if (bpf_map_lookup_elem(x->counters, &zero, v) == 0)
		for (int c = 0; c < cpus; c++)
			for (uint32_t i = 0; i < XDP_CTR__COUNT; i++)
				out[i] += v[c].c[i];
	free(v);
}

void
xdp_fold_filter_hits(struct xdp_path *x)
{
	if (xdp_attached(x))
		xdp_hits_fold(&x->hits, x->dp->filter);
}

void
xdp_session_counters(
    const struct xdp_path *x, const struct session *s, struct xdp_session_counters *out)
{
	uint32_t slot;

	memset(out, 0, sizeof(*out));
	if (!xdp_attached(x))
		return;
	slot = session_slot(x->dp->sessions, s);
	/* The slot holds s unless its entry could not be written: then XDP carried nothing. */
	if (slot <= x->slots.capacity && x->slots.slots[slot].s.teid_be == htonl(s->teid))
		xdp_slots_counted(&x->slots, slot, out);
}

void
xdp_report(const struct xdp_path *x, struct xdp_report *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = mode_name(x != NULL ? x->mode : XDP_MODE_OFF);
	if (x == NULL)
		return;
	r->n_ifs = x->n_ifs;
	for (unsigned i = 0; i < x->n_ifs; i++) {
		snprintf(r->ifs[i].name, sizeof(r->ifs[i].name), "%s", x->names[i]);
		r->ifs[i].path = !x->attached		      ? "socket"
				 : x->mode == XDP_MODE_NATIVE ? "xdp-native"
							      : "xdp-generic";
	}
	if (x->attached)
		read_counters(x, r->ctr);
}
