#include "io/next_hop.h"

#include <errno.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "proto/rtnl.h"

/*
 * Open addressing over a power of two; a full table starts again empty,
 * since every entry is only an answer the kernel gives again. 1,024 slots
 * keep the gate's peers (at most 256) a quarter full at most.
 */
#define HOP_SLOTS    1024
#define HOP_MAX_USED (HOP_SLOTS / 2)
/* A link's answer carries its statistics: room for a large one. */
#define ANSWER_MAX (32 << 10)

struct next_hops {
	int fd;
	uint32_t seq;
	unsigned used;
	struct next_hop hops[HOP_SLOTS];
	bool in_use[HOP_SLOTS];
	uint8_t answer[ANSWER_MAX];
};

struct next_hops *
next_hops_open(void)
{
	struct next_hops *h = calloc(1, sizeof(*h));
	/* The kernel answers within the request's send: the wait is a guard only. */
	struct timeval guard = { .tv_usec = 100000 };
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };

	if (h == NULL)
		return NULL;
	h->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (h->fd < 0 || bind(h->fd, (struct sockaddr *)&local, sizeof(local)) < 0 ||
	    setsockopt(h->fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof(guard)) < 0) {
		int saved = errno;

		next_hops_close(h);
		errno = saved;
		return NULL;
	}
	return h;
}

void
next_hops_close(struct next_hops *h)
{
	if (h == NULL)
		return;
	if (h->fd >= 0)
		close(h->fd);
	free(h);
}

/* Sends a request and receives until its answer (or an error) is in h->answer. */
static ssize_t
ask(struct next_hops *h, const uint8_t *req, size_t len, uint32_t seq)
{
	if (send(h->fd, req, len, 0) != (ssize_t)len)
		return -1;
	for (int tries = 0; tries < 4; tries++) {
		ssize_t n = recv(h->fd, h->answer, sizeof(h->answer), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < (ssize_t)sizeof(struct nlmsghdr))
			return -1;
		struct nlmsghdr first;
		memcpy(&first, h->answer, sizeof(first));
		if (first.nlmsg_seq == seq)
			return n;
		/* An answer to an earlier question that timed out: skip it. */
	}
	return -1;
}

/* Fills hop from the kernel's three answers; false when the stack must send. */
static bool
resolve(struct next_hops *h, struct next_hop *hop, uint32_t src_be)
{
	uint8_t req[RTNL_REQUEST_MAX];
	struct rtnl_route route;
	struct rtnl_neigh neigh;
	struct rtnl_link link;
	uint32_t seq = ++h->seq;
	ssize_t n;

	n = ask(h, req, rtnl_route_request(req, seq, hop->dst_be, src_be), seq);
	if (n < 0 || rtnl_route_answer(h->answer, (size_t)n, seq, &route) < 0)
		return false;
	seq = ++h->seq;
	n = ask(h, req, rtnl_link_request(req, seq, route.oif), seq);
	if (n < 0 || rtnl_link_answer(h->answer, (size_t)n, seq, &link) < 0 || !link.ethernet ||
	    !link.up || link.mtu < 68)
		return false;
	seq = ++h->seq;
	n = ask(h, req,
	    rtnl_neigh_request(
		req, seq, route.oif, route.gateway_be != 0 ? route.gateway_be : hop->dst_be),
	    seq);
	if (n < 0 || rtnl_neigh_answer(h->answer, (size_t)n, seq, &neigh) < 0 ||
	    !rtnl_neigh_usable(&neigh))
		return false;
	hop->src_be = src_be != 0 ? src_be : route.prefsrc_be;
	hop->ifindex = route.oif;
	hop->mtu = link.mtu;
	memcpy(hop->dst_mac, neigh.mac, sizeof(hop->dst_mac));
	memcpy(hop->src_mac, link.mac, sizeof(hop->src_mac));
	return hop->src_be != 0;
}

static unsigned
slot_of(const struct next_hops *h, uint32_t dst_be)
{
	/* Fibonacci hashing: the top bits of the product spread neighbouring addresses. */
	unsigned i = (unsigned)((dst_be * 2654435761u) >> 22) & (HOP_SLOTS - 1);

	while (h->in_use[i] && h->hops[i].dst_be != dst_be)
		i = (i + 1) & (HOP_SLOTS - 1);
	return i;
}

const struct next_hop *
next_hops_get(struct next_hops *h, uint32_t dst_be, uint32_t src_be, uint64_t now_ns, bool *asked)
{
	unsigned i = slot_of(h, dst_be);
	struct next_hop *hop = &h->hops[i];

	*asked = false;
	if (h->in_use[i] && now_ns - hop->asked_ns < NEXT_HOP_TTL_NS)
		return hop;
	if (!h->in_use[i]) {
		if (h->used == HOP_MAX_USED) {
			memset(h->in_use, 0, sizeof(h->in_use));
			h->used = 0;
			i = slot_of(h, dst_be);
			hop = &h->hops[i];
		}
		h->in_use[i] = true;
		h->used++;
	}
	*hop = (struct next_hop){ .dst_be = dst_be, .asked_ns = now_ns };
	hop->usable = resolve(h, hop, src_be);
	*asked = true;
	return hop;
}

void
next_hops_forget(struct next_hops *h, uint32_t dst_be)
{
	unsigned i = slot_of(h, dst_be);

	if (h->in_use[i])
		h->hops[i].asked_ns = h->hops[i].asked_ns - NEXT_HOP_TTL_NS;
}
