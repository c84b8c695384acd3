#include "core/attach.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/counters.h"
#include "core/ippool.h"
#include "core/sim_routes.h"
#include "io/log.h"
#include "proto/ipv4.h"

int
attach_set_apns(struct attach *a, const char *const *apns, unsigned n)
{
	if (n > ATTACH_MAX_APNS)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (strlen(apns[i]) >= ATTACH_APN_LEN)
			return -1;
		strcpy(a->apns[i], apns[i]);
	}
	a->n_apns = n;
	return 0;
}

/* TS 23.003 §9.1: APNs compare without regard to case. */
bool
attach_apn_served(const struct attach *a, const char *apn)
{
	if (a->n_apns == 0)
		return true;
	for (unsigned i = 0; i < a->n_apns; i++)
		if (strcasecmp(a->apns[i], apn) == 0)
			return true;
	return false;
}

static enum attach_refusal
take_address(struct attach *a, const struct attach_req *r, uint32_t *ip_be)
{
	int rc;

	if (r->has_address) {
		rc = ippool_claim(a->pool, r->imsi, r->address_be);
		*ip_be = r->address_be;
		return rc == 0 ? ATTACH_OK : ATTACH_ADDRESS_REFUSED;
	}
	rc = ippool_assign(a->pool, r->imsi, ip_be);
	if (rc == -ENOSPC)
		return ATTACH_POOL_EXHAUSTED;
	return rc < 0 ? ATTACH_NO_RESOURCES : ATTACH_OK;
}

/* A bounded copy that always ends the string; snprintf("%s") costs ten times as much per attach. */
static void
copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
fill(struct attach *a, struct session *s, const struct attach_req *r, uint32_t ip_be)
{
	s->ip_be = ip_be;
	copy_str(s->imsi, sizeof(s->imsi), r->imsi);
	copy_str(s->msisdn, sizeof(s->msisdn), r->msisdn);
	copy_str(s->apn, sizeof(s->apn), r->apn);
	s->bearer_id = r->bearer_id;
	s->owner = r->owner;
	s->dl_teid = r->dl_teid;
	s->dl_addr_be = r->dl_addr_be;
	s->created = time(NULL);
	s->charging_id = a->next_charging_id++;
	if (s->charging_id == 0)
		s->charging_id = a->next_charging_id++;
}

/* The one policy for stale sessions: each caller says which kind it may replace. */
static void
replace_stale(struct attach *a, const struct attach_req *r)
{
	struct session *old = NULL;

	if (r->replace_same_bearer)
		old = session_find_imsi(a->sessions, r->imsi, r->bearer_id);
	if (old == NULL && r->replace_same_peer_address && r->has_address) {
		old = session_find_ip(a->sessions, r->address_be);
		if (old != NULL &&
		    (old->owner.role != r->owner.role || old->owner.peer_be != r->owner.peer_be))
			old = NULL;
	}
	if (old != NULL) {
		attach_delete(a, old, "replaced by a new request");
		counters_add(VPG_CTR_SESSIONS_REPLACED, 1);
	}
}

void
attach_set_role_hook(struct attach *a, enum session_role role, const struct attach_role_hook *h)
{
	if ((unsigned)role < sizeof(a->hooks) / sizeof(a->hooks[0]))
		a->hooks[role] = *h;
}

enum attach_refusal
attach_create(struct attach *a, const struct attach_req *r, struct session **out)
{
	enum attach_refusal refusal;
	struct session *s;
	uint32_t ip_be;

	if (!attach_apn_served(a, r->apn))
		return ATTACH_APN_NOT_SERVED;
	if (r->teid != 0 && session_find_teid(a->sessions, r->teid) != NULL)
		return ATTACH_TEID_IN_USE;
	replace_stale(a, r);
	/* The address first: running out of addresses has its own cause. */
	refusal = take_address(a, r, &ip_be);
	if (refusal != ATTACH_OK)
		return refusal;
	s = session_alloc(a->sessions);
	if (s == NULL) {
		ippool_release(a->pool, ip_be);
		return ATTACH_NO_RESOURCES;
	}
	fill(a, s, r, ip_be);
	if (r->teid != 0)
		s->teid = r->teid;
	if (a->slow_path != NULL && a->slow_path(a->slow_path_arg, s))
		s->flags |= SESSION_F_SLOW_PATH;
	session_insert(a->sessions, s);
	sim_routes_attached(a->sim_routes, s);
	counters_add(VPG_CTR_SESSIONS_CREATED, 1);
	*out = s;
	return ATTACH_OK;
}

void
attach_move_downlink(struct attach *a, struct session *s, uint32_t dl_teid, uint32_t dl_addr_be)
{
	session_set_downlink(a->sessions, s, dl_teid, dl_addr_be);
}

void
attach_delete(struct attach *a, struct session *s, const char *why)
{
	const struct attach_role_hook *h = s->owner.role < sizeof(a->hooks) / sizeof(a->hooks[0])
					       ? &a->hooks[s->owner.role]
					       : NULL;
	char ip[16], imsi[sizeof(s->imsi)];

	log_info("detached imsi=%s bearer=%u ip=%s (%s)", s->imsi[0] ? s->imsi : "-", s->bearer_id,
	    ipv4_str(s->ip_be, ip), why);
	/* The role forgets what it keeps beside the core (the UPF: the SEID) before the slot goes.
	 */
	if (h != NULL && h->deleted != NULL)
		h->deleted(h->arg, s);
	ippool_release(a->pool, s->ip_be);
	memcpy(imsi, s->imsi, sizeof(imsi));
	session_remove(a->sessions, s);
	/* The device's LAN moves to another of its sessions, or waits for its return. */
	sim_routes_detached(a->sim_routes, imsi);
	counters_add(VPG_CTR_SESSIONS_DELETED, 1);
}

unsigned
attach_delete_peer(struct attach *a, enum session_role role, uint32_t peer_be, const char *why)
{
	struct session *s;
	unsigned n = 0;

	for (uint32_t i = session_next(a->sessions, 0, &s); i != 0;
	     i = session_next(a->sessions, i, &s)) {
		if (s->owner.role != role || s->owner.peer_be != peer_be)
			continue;
		attach_delete(a, s, why);
		n++;
	}
	return n;
}

unsigned
attach_delete_imsi(struct attach *a, enum session_role role, const char *imsi,
    void (*tell)(void *arg, const struct session *s, uint64_t now_ms), void *arg, uint64_t now_ms,
    const char *why)
{
	char copy[sizeof(((struct session *)0)->imsi)];
	unsigned n = 0;

	/* attach_delete frees the slot that holds imsi: work from a copy. */
	copy_str(copy, sizeof(copy), imsi);
	/* Bearer ids are 4 bits: NSAPI (TS 24.008 §10.5.6.2), EBI (TS 24.007 §11.2.3.1.5). */
	for (uint8_t id = 0; id <= 15; id++) {
		struct session *s = session_find_imsi(a->sessions, copy, id);

		if (s == NULL || s->owner.role != role)
			continue;
		tell(arg, s, now_ms);
		attach_delete(a, s, why);
		n++;
	}
	return n;
}
