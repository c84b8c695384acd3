#include "core/sim_routes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/counters.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/ipv4.h"

int
sim_table_add_device(struct sim_table *t, const char *imsi)
{
	struct sim_device *d;

	if (strlen(imsi) >= SIM_ROUTES_IMSI_LEN)
		return -EINVAL;
	if (t->n_devices == SIM_ROUTES_MAX)
		return -ENOSPC;
	d = &t->device[t->n_devices++];
	memcpy(d->imsi, imsi, strlen(imsi) + 1);
	d->first = (uint16_t)t->n_prefixes;
	d->n = 0;
	return 0;
}

int
sim_table_add_prefix(struct sim_table *t, uint32_t net_be, uint8_t len)
{
	if (t->n_devices == 0)
		return -EINVAL;
	if (t->n_prefixes == SIM_ROUTES_MAX)
		return -ENOSPC;
	t->prefix[t->n_prefixes++] = (struct sim_prefix){ net_be, len };
	t->device[t->n_devices - 1].n++;
	return 0;
}

/* Network order, as the session table takes it. */
static uint32_t
mask_of(uint8_t len)
{
	return len == 0 ? 0 : htonl(~0u << (32 - len));
}

/* TS 23.003 §2.2 allows 15 digits at most; the API takes any shorter run of digits. */
bool
sim_routes_imsi_valid(const char *imsi)
{
	size_t n = strnlen(imsi, SIM_ROUTES_IMSI_LEN);

	if (n == 0 || n == SIM_ROUTES_IMSI_LEN)
		return false;
	return strspn(imsi, "0123456789") == n;
}

static enum sim_fault
fault(struct sim_fault_at *at, enum sim_fault f, unsigned device, unsigned index)
{
	at->fault = f;
	at->device = device;
	at->index = index;
	return f;
}

/* Each device's prefixes follow the previous device's, and the counts add up. */
static bool
layout_valid(const struct sim_table *t)
{
	unsigned next = 0;

	if (t->n_devices > SIM_ROUTES_MAX || t->n_prefixes > SIM_ROUTES_MAX)
		return false;
	for (unsigned i = 0; i < t->n_devices; i++) {
		if (t->device[i].first != next)
			return false;
		next += t->device[i].n;
	}
	return next == t->n_prefixes;
}

/* Two prefixes overlap when they agree on the bits of the shorter one. */
static bool
overlaps(uint32_t a_be, uint8_t a_len, uint32_t b_be, uint8_t b_len)
{
	uint32_t m = mask_of(a_len < b_len ? a_len : b_len);

	return (a_be & m) == (b_be & m);
}

static enum sim_fault
check_device(const struct sim_table *t, unsigned i, uint32_t subnet_be, uint8_t subnet_len,
    struct sim_fault_at *at)
{
	const struct sim_device *d = &t->device[i];

	if (!sim_routes_imsi_valid(d->imsi))
		return fault(at, SIM_FAULT_IMSI, i, 0);
	if (d->n == 0)
		return fault(at, SIM_FAULT_NO_PREFIX, i, 0);
	if (d->n > SIM_ROUTES_MAX_PER_IMSI)
		return fault(at, SIM_FAULT_TOO_MANY_FOR_IMSI, i, SIM_ROUTES_MAX_PER_IMSI);
	for (unsigned k = 0; k < d->n; k++) {
		const struct sim_prefix *p = &t->prefix[d->first + k];

		if (p->len > 32)
			return fault(at, SIM_FAULT_PREFIX_LEN, i, k);
		if ((p->net_be & ~mask_of(p->len)) != 0)
			return fault(at, SIM_FAULT_HOST_BITS, i, k);
		if (overlaps(p->net_be, p->len, subnet_be, subnet_len))
			return fault(at, SIM_FAULT_DEVICE_SUBNET, i, k);
	}
	return SIM_FAULT_NONE;
}

/* A device index with its IMSI, to sort by. */
struct imsi_ref {
	const char *imsi;
	uint16_t device;
};

/* By IMSI, then by place in the table, so that of a pair the earlier comes first. */
static int
cmp_imsi(const void *a, const void *b)
{
	const struct imsi_ref *x = a, *y = b;
	int c = strcmp(x->imsi, y->imsi);

	return c != 0 ? c : (int)x->device - (int)y->device;
}

static void
sort_by_imsi(const struct sim_table *t, struct imsi_ref *refs)
{
	for (unsigned i = 0; i < t->n_devices; i++)
		refs[i] = (struct imsi_ref){ t->device[i].imsi, (uint16_t)i };
	if (t->n_devices > 1)
		qsort(refs, t->n_devices, sizeof(refs[0]), cmp_imsi);
}

static enum sim_fault
check_imsi_twice(const struct sim_table *t, struct sim_fault_at *at)
{
	struct imsi_ref refs[SIM_ROUTES_MAX];

	sort_by_imsi(t, refs);
	for (unsigned i = 1; i < t->n_devices; i++) {
		if (strcmp(refs[i - 1].imsi, refs[i].imsi) == 0) {
			at->other_device = refs[i - 1].device;
			at->other_index = 0;
			return fault(at, SIM_FAULT_IMSI_TWICE, refs[i].device, 0);
		}
	}
	return SIM_FAULT_NONE;
}

/* A prefix as an address range, host order, with where it sits in the table. */
struct range {
	uint32_t lo, hi;
	uint16_t device, index;
};

/* By start; of two with one start, the wider first. */
static int
cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi == y->hi ? 0 : x->hi > y->hi ? -1 : 1;
}

/* The later of the two in the table is the one named first. */
static enum sim_fault
overlap_fault(struct sim_fault_at *at, const struct range *a, const struct range *b)
{
	const struct range *later = a, *earlier = b;

	if (a->device < b->device || (a->device == b->device && a->index < b->index)) {
		later = b;
		earlier = a;
	}
	at->other_device = earlier->device;
	at->other_index = earlier->index;
	return fault(at, SIM_FAULT_OVERLAP, later->device, later->index);
}

/* Sorted by start, a range overlaps an earlier one iff it starts before the widest end so far. */
static enum sim_fault
check_overlaps(const struct sim_table *t, struct sim_fault_at *at)
{
	struct range r[SIM_ROUTES_MAX];
	unsigned n = 0, widest = 0;

	for (unsigned i = 0; i < t->n_devices; i++) {
		for (unsigned k = 0; k < t->device[i].n; k++, n++) {
			const struct sim_prefix *p = &t->prefix[t->device[i].first + k];

			r[n].lo = ntohl(p->net_be);
			r[n].hi = r[n].lo | ~ntohl(mask_of(p->len));
			r[n].device = (uint16_t)i;
			r[n].index = (uint16_t)k;
		}
	}
	if (n < 2)
		return SIM_FAULT_NONE;
	qsort(r, n, sizeof(r[0]), cmp_range);
	for (unsigned i = 1; i < n; i++) {
		if (r[i].lo <= r[widest].hi)
			return overlap_fault(at, &r[i], &r[widest]);
		widest = i;
	}
	return SIM_FAULT_NONE;
}

enum sim_fault
sim_table_check(
    const struct sim_table *t, uint32_t subnet_be, uint8_t subnet_len, struct sim_fault_at *at)
{
	enum sim_fault f;

	memset(at, 0, sizeof(*at));
	if (!layout_valid(t))
		return fault(at, SIM_FAULT_MALFORMED, 0, 0);
	for (unsigned i = 0; i < t->n_devices; i++) {
		f = check_device(t, i, subnet_be, subnet_len, at);
		if (f != SIM_FAULT_NONE)
			return f;
	}
	f = check_imsi_twice(t, at);
	return f != SIM_FAULT_NONE ? f : check_overlaps(t, at);
}

void
sim_routes_init(
    struct sim_routes *r, struct session_table *sessions, uint32_t subnet_be, uint8_t subnet_len)
{
	memset(r, 0, sizeof(*r));
	r->sessions = sessions;
	r->subnet_be = subnet_be;
	r->subnet_len = subnet_len;
}

static void
log_skipped(const char *imsi, const struct sim_prefix *p, int rc)
{
	char net[16];

	log_warn("sim-based routing: %s/%u of imsi %s not installed: %s", ipv4_str(p->net_be, net),
	    p->len, imsi,
	    rc == -EEXIST ? "another session's Framed-Route has the prefix"
			  : "the route table is full");
}

/*
 * Binds one prefix of imsi to target (NULL: held for the device), unless a
 * session of imsi has it already: that one keeps it.
 */
static void
bind_prefix(
    struct sim_routes *r, const char *imsi, const struct sim_prefix *p, struct session *target)
{
	uint32_t mask = mask_of(p->len);
	struct session *bound = NULL;
	int rc;

	if (session_route_kept(r->sessions, p->net_be, mask, &bound) == 0 && bound != NULL &&
	    strcmp(bound->imsi, imsi) == 0)
		return;
	rc = session_route_keep(r->sessions, target, p->net_be, mask);
	if (rc < 0) {
		log_skipped(imsi, p, rc);
		counters_add(VPG_CTR_SIM_ROUTES_SKIPPED, 1);
		return;
	}
	if (target != NULL)
		counters_add(VPG_CTR_SIM_ROUTES_INSTALLED, 1);
}

static void
bind_device(struct sim_routes *r, const struct sim_device *d, struct session *target)
{
	for (unsigned k = 0; k < d->n; k++)
		bind_prefix(r, d->imsi, &r->table.prefix[d->first + k], target);
}

static void
apply_all(struct sim_routes *r)
{
	for (unsigned i = 0; i < r->table.n_devices; i++) {
		const struct sim_device *d = &r->table.device[i];

		bind_device(r, d, session_find_imsi_any(r->sessions, d->imsi));
	}
}

static void
release_prefix(struct sim_routes *r, const struct sim_prefix *p)
{
	(void)session_route_release(r->sessions, p->net_be, mask_of(p->len));
}

/* O(prefixes): the control plane's, at a change of the table. */
static bool
table_has(const struct sim_table *t, const struct sim_prefix *p)
{
	for (unsigned i = 0; i < t->n_prefixes; i++)
		if (t->prefix[i].net_be == p->net_be && t->prefix[i].len == p->len)
			return true;
	return false;
}

static void
index_by_imsi(struct sim_routes *r)
{
	struct imsi_ref refs[SIM_ROUTES_MAX];

	sort_by_imsi(&r->table, refs);
	for (unsigned i = 0; i < r->table.n_devices; i++)
		r->by_imsi[i] = refs[i].device;
}

/* O(old prefixes x new prefixes), at most a million comparisons, once per change. */
int
sim_routes_set(struct sim_routes *r, const struct sim_table *t)
{
	struct sim_fault_at at;

	if (sim_table_check(t, r->subnet_be, r->subnet_len, &at) != SIM_FAULT_NONE)
		return -EINVAL;
	for (unsigned i = 0; r->enabled && i < r->table.n_prefixes; i++)
		if (!table_has(t, &r->table.prefix[i]))
			release_prefix(r, &r->table.prefix[i]);
	memcpy(&r->table, t, sizeof(*t));
	index_by_imsi(r);
	if (r->enabled)
		apply_all(r);
	return 0;
}

void
sim_routes_enable(struct sim_routes *r, bool on)
{
	if (on == r->enabled)
		return;
	r->enabled = on;
	if (on) {
		apply_all(r);
		return;
	}
	for (unsigned i = 0; i < r->table.n_prefixes; i++)
		release_prefix(r, &r->table.prefix[i]);
}

static const struct sim_device *
find_device(const struct sim_routes *r, const char *imsi)
{
	unsigned lo = 0, hi = r->table.n_devices;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct sim_device *d = &r->table.device[r->by_imsi[mid]];
		int c = strcmp(imsi, d->imsi);

		if (c == 0)
			return d;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void
sim_routes_attached(struct sim_routes *r, struct session *s)
{
	const struct sim_device *d;

	if (r == NULL || !r->enabled || s->imsi[0] == '\0')
		return;
	d = find_device(r, s->imsi);
	if (d != NULL)
		bind_device(r, d, s);
}

void
sim_routes_detached(struct sim_routes *r, const char *imsi)
{
	const struct sim_device *d;

	if (r == NULL || !r->enabled || imsi[0] == '\0')
		return;
	d = find_device(r, imsi);
	if (d != NULL)
		bind_device(r, d, session_find_imsi_any(r->sessions, imsi));
}
