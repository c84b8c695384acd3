/*
 * The underlay's next hops as the kernel's own tables give them: for a
 * destination, the route (output link, gateway, source), the neighbour's
 * MAC and the link's MAC and MTU, asked over rtnetlink and kept for a
 * second. That is what a frame needs to leave through a packet socket,
 * past the IP stack, exactly where the stack would have sent it. The
 * kernel stays the authority: a hop is asked again every second and after
 * a failed send, and the stack sends whenever it cannot be used (no route
 * through an Ethernet link, a neighbour not yet resolved, a link down).
 */
#ifndef VPG_IO_NEXT_HOP_H
#define VPG_IO_NEXT_HOP_H

#include <stdbool.h>
#include <stdint.h>

/* How long an answer is used before the kernel is asked again. */
#define NEXT_HOP_TTL_NS 1000000000ull

struct next_hop {
	uint32_t dst_be;
	uint32_t src_be; /* the source the stack would write */
	uint32_t ifindex;
	uint32_t mtu;
	uint8_t dst_mac[6], src_mac[6];
	bool usable;	   /* false: the stack sends to dst_be */
	uint64_t asked_ns; /* when the kernel was last asked */
};

struct next_hops;

/* An rtnetlink socket and an empty table; NULL with errno set. */
struct next_hops *next_hops_open(void);
void next_hops_close(struct next_hops *h);

/*
 * The hop to dst_be from src_be (0: the route's source), asked of the
 * kernel when it is not known or its answer is older than NEXT_HOP_TTL_NS;
 * *asked says whether this call asked (the caller then lets the stack send
 * that datagram, which has the kernel confirm the neighbour as it would
 * for its own traffic). Never NULL; check usable.
 */
const struct next_hop *next_hops_get(
    struct next_hops *h, uint32_t dst_be, uint32_t src_be, uint64_t now_ns, bool *asked);
/* A send to dst_be failed: the next datagram asks the kernel again. */
void next_hops_forget(struct next_hops *h, uint32_t dst_be);

#endif
