/*
 * The privileged side of routed egress once vpgd has split (io/privsep.h):
 * the messages the gateway sends its root parent, their strict checks, and
 * the split itself, with what the parent keeps and cleans up.
 *
 * At run time the gateway changes one privileged thing: the routes of LANs
 * behind devices (Framed-Routes, SIM-based routing) into the tun. The tun,
 * the NAT table and every socket are made before the split and never
 * change after it.
 */
#ifndef VPG_FWD_EGRESS_PRIV_H
#define VPG_FWD_EGRESS_PRIV_H

#include <stdbool.h>
#include <stdint.h>

struct egress;
struct loop;

/* What the split needs from the daemon, all of it open already. */
struct egress_priv_params {
	struct egress *egress; /* NULL when egress is off */
	struct loop *loop;     /* the gateway's, moved to an epoll of its own in the child */
	const char *user;
	const char *state_dir;
};

enum egress_priv_type {
	EGRESS_PRIV_ROUTE = 1, /* struct egress_priv_route */
};

/* A route of net/mask into the tun, added or removed. */
struct egress_priv_route {
	uint32_t net_be;
	uint32_t mask_be;
	uint8_t add; /* 1: add, 0: remove */
	uint8_t pad[3];
};
_Static_assert(sizeof(struct egress_priv_route) == 12, "egress_priv_route is 12 octets");

/*
 * Whether the parent may do what m asks: a contiguous mask of 1 to 32
 * bits (a default route into the tun would take the host's traffic), no
 * host bits in net, add 0 or 1, padding zero. 0 or -EINVAL.
 */
int egress_priv_route_check(const struct egress_priv_route *m);
/* The gateway's side: has the parent route net/mask into the tun or no longer. */
int egress_priv_route(uint32_t net_be, uint32_t mask_be, bool add);
/*
 * Splits vpgd when it runs as root: the state directory goes to the user,
 * the process forks, and 0 returns in the gateway, which runs as the user;
 * the parent serves the egress's routes and, once the gateway has exited,
 * stops the egress and exits. Not root: no split, 0. -2 when the user does
 * not exist (a configuration error, said in one line), -1 on another
 * failure.
 */
int egress_priv_split(const struct egress_priv_params *params);

#endif
