#include "fwd/mirror.h"

#include <errno.h>
#include <string.h>

#include "core/counters.h"
#include "fwd/datapath.h"
#include "io/udp_batch.h"
#include "proto/gre.h"

struct mirror_peer *
mirror_find(struct mirror *m, uint32_t addr_be)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->peers[i].addr_be == addr_be)
			return &m->peers[i];
	return NULL;
}

int
mirror_put(struct mirror *m, const struct mirror_peer *p)
{
	struct mirror_peer *slot = mirror_find(m, p->addr_be);

	if (slot == NULL) {
		if (m->n == MIRROR_MAX_PEERS)
			return -ENOSPC;
		slot = &m->peers[m->n++];
	}
	*slot = *p;
	return 0;
}

int
mirror_del(struct mirror *m, uint32_t addr_be)
{
	struct mirror_peer *p = mirror_find(m, addr_be);

	if (p == NULL)
		return -ENOENT;
	*p = m->peers[--m->n];
	return 0;
}

static bool
any_enabled(const struct mirror *m)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->peers[i].enabled)
			return true;
	return false;
}

/*
 * One copy per packet, whatever the number of peers: each peer's datagram
 * points at the same bytes. The copy is needed because the original is
 * changed in place further on (TTL, headers pushed in front).
 */
/* The GRE datagram of a copy, in the socket's scratch room; NULL (counted) when it does not fit. */
static uint8_t *
gre_copy(struct mirror *m, const uint8_t *pkt, size_t len)
{
	uint8_t *buf = udp_batch_scratch(m->sock);

	if (len + GRE_HDR_LEN > UDP_BATCH_DATA) {
		counters_drop(VPG_DROP_MIRROR_CONGESTED);
		return NULL;
	}
	gre_put_header(buf, GRE_HDR_LEN, GRE_PROTO_IPV4);
	memcpy(buf + GRE_HDR_LEN, pkt, len);
	return buf;
}

static void
send_copy(struct mirror *m, const uint8_t *buf, size_t len, uint32_t addr_be)
{
	udp_batch_queue(m->sock, buf, len + GRE_HDR_LEN, addr_be, 0);
	counters_add(VPG_CTR_MIRROR_COPIES, 1);
}

/* A GRE copy to one address (a PFCP FAR's Duplicating Parameters), through the same socket. */
void
mirror_copy_to(struct datapath *dp, const uint8_t *pkt, size_t len, uint32_t addr_be)
{
	struct mirror *m = dp->mirror;
	uint8_t *buf;

	if (m == NULL || m->sock == NULL || (buf = gre_copy(m, pkt, len)) == NULL)
		return;
	send_copy(m, buf, len, addr_be);
}

void
mirror_copy(struct datapath *dp, const uint8_t *pkt, size_t len)
{
	struct mirror *m = dp->mirror;
	uint8_t *buf;

	if (m == NULL || m->sock == NULL || !any_enabled(m) ||
	    (buf = gre_copy(m, pkt, len)) == NULL)
		return;
	for (unsigned i = 0; i < m->n; i++)
		if (m->peers[i].enabled)
			send_copy(m, buf, len, m->peers[i].addr_be);
}
