#include "fwd/xdp_map.h"

#include <arpa/inet.h>
#include <string.h>

#include "core/session.h"
#include "fwd/datapath.h"
#include "fwd/gate.h"
#include "fwd/mirror.h"
#include "fwd/peek.h"
#include "fwd/peek_slow.h"
#include "fwd/redirect.h"
#include "fwd/xdp_upf.h"
#include "inspect/inspect.h"

void
xdp_map_session(const struct session *s, struct xdp_session *out)
{
	memset(out, 0, sizeof(*out));
	out->teid_be = htonl(s->teid);
	out->ip_be = s->ip_be;
	out->peer_teid_be = htonl(s->dl_teid);
	out->peer_addr_be = s->dl_addr_be;
	if (s->flags & SESSION_F_SLOW_PATH) {
		out->flags |= XDP_SESSION_F_SLOW;
		return;
	}
	/*
	 * A UPF session's packets follow its PDRs (fwd/pdr.c): XDP carries the
	 * common rule set (fwd/xdp_upf.c), the socket path the rest. The role
	 * is known at insertion, before the rules are: slow until they come.
	 */
	if ((s->flags & SESSION_F_RULES) || s->owner.role == SESSION_ROLE_UPF) {
		struct xdp_upf u;

		xdp_upf_entry(s, out, &u);
	}
}

static uint32_t
mask_of(uint8_t prefix)
{
	return prefix == 0 ? 0 : htonl(~0u << (32 - prefix));
}

/* Does rule r's range hold the whole of net/prefix? */
static bool
holds(const struct filter_rule *r, uint32_t net_be, uint8_t prefix)
{
	return r->prefix <= prefix && (net_be & mask_of(r->prefix)) == r->net_be;
}

_Static_assert(FILTER_MAX_RULES == XDP_FILTER_MAX_RULES, "one hit counter in XDP per rule");

unsigned
xdp_map_filter(const struct filter *f, struct xdp_filter_key keys[FILTER_MAX_RULES],
    struct xdp_filter_value values[FILTER_MAX_RULES])
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->n && i < FILTER_MAX_RULES; i++) {
		const struct filter_rule *r = &f->rules[i];
		bool seen = false;

		for (unsigned k = 0; k < n && !seen; k++)
			seen = keys[k].prefixlen == r->prefix && keys[k].addr_be == r->net_be;
		if (seen)
			continue;
		/* The first rule holding the range: rule i itself at the latest. */
		for (unsigned j = 0; j <= i; j++)
			if (holds(&f->rules[j], r->net_be, r->prefix)) {
				values[n].verdict = f->rules[j].action == FILTER_DENY
							? XDP_FILTER_DENY
							: XDP_FILTER_ALLOW;
				values[n].rule = j;
				break;
			}
		keys[n].prefixlen = r->prefix;
		keys[n].addr_be = r->net_be;
		n++;
	}
	return n;
}

/* Mirroring copies every packet of every session while one peer is on: all to the socket path. */
static bool
mirroring(const struct mirror *m)
{
	if (m == NULL || m->sock == NULL)
		return false;
	for (unsigned i = 0; i < m->n; i++)
		if (m->peers[i].enabled)
			return true;
	return false;
}

void
xdp_map_conf(const struct datapath *dp, uint32_t gate_be, bool enabled, struct xdp_conf *out)
{
	memset(out, 0, sizeof(*out));
	out->gtpu_be = dp->local_be;
	out->gate_be = gate_be;
	out->gateway_be = dp->gateway_be;
	out->subnet_be = dp->subnet_be;
	out->netmask_be = dp->netmask_be;
	out->vni = gate_vni(dp->gate);
	memcpy(out->mac, gate_mac(dp->gate), sizeof(out->mac));
	if (gate_is_open(dp->gate))
		out->flags |= XDP_CONF_GATE_OPEN;
	if (dp->redirect != NULL && redirect_active(dp->redirect)) {
		out->flags |= XDP_CONF_REDIRECT;
		out->redirect_be = dp->redirect->gateway_be;
	}
	/*
	 * Mirroring copies every packet of every device, gateway-wide, to its
	 * peers as GRE, and the copies are made on the socket path: while a peer
	 * is on, every packet goes up, so no copy is missed. So do a
	 * whole-gateway capture's packets (Peek's tap is on the socket path); a
	 * capture of one IMSI marks that device's sessions slow instead
	 * (fwd/peek_slow.h).
	 */
	if (mirroring(dp->mirror) || peek_slow_all(dp->peek))
		out->flags |= XDP_CONF_SLOW_ALL;
	if (gate_privacy_separator(dp->gate))
		out->flags |= XDP_CONF_PRIVACY_SEPARATOR;
	/*
	 * Inspection needs only each flow's first packets, for nDPI: the rest
	 * XDP carries and counts once Inspection hands the flow over.
	 */
	if (dp->inspect != NULL && inspect_active(dp->inspect))
		out->flags |= XDP_CONF_INSPECT;
	if (enabled)
		out->flags |= XDP_CONF_ENABLED;
}
