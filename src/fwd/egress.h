/*
 * Routed egress: device packets that no other path takes go through a tun
 * device into the host's own routing stack, source-NATed by the kernel in an
 * nftables table that vpgd owns (table ip vpgd); packets the host routes back
 * to a device address come in through the tun and go into its GTP-U tunnel.
 * This file and io/tun.c are where the privileged operations live.
 */
#ifndef VPG_FWD_EGRESS_H
#define VPG_FWD_EGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EGRESS_NFT_TABLE "vpgd"
#define EGRESS_MTU	 1500 /* a device's full-size packet passes whole */

struct datapath;
struct egress;

/* What the egress is made of, from the bootstrap file's "egress" and subnet. */
struct egress_params {
	const char *ifname; /* the tun's name */
	uint32_t subnet_be; /* the device subnet, routed into the tun */
	uint8_t prefix;
	uint32_t gateway_be; /* the tun's own address */
	bool nat;	     /* source NAT by our nftables table */
};

/*
 * Creates the tun, routes the device subnet into it, turns IPv4 forwarding
 * on, and installs (replacing any leftover) or removes the NAT table.
 * NULL with a message in err; *exists is set when the interface name was
 * taken, a configuration error.
 */
struct egress *egress_start(
    const struct egress_params *cfg, char *err, size_t errlen, bool *exists);
/*
 * Has the host route net/mask into the tun (add) or no longer: a device's
 * Framed-Route, so that what the host routes there reaches the device.
 */
int egress_route(struct egress *e, uint32_t net_be, uint32_t mask_be, bool add);
/* Removes the NAT table (unless a privileged parent will) and the tun. */
void egress_stop(struct egress *e);
int egress_fd(const struct egress *e);
const char *egress_ifname(const struct egress *e);

/* A device's packet into the host's routing stack. */
void egress_send(struct datapath *dp, const uint8_t *pkt, size_t len);
/* Reads what the host routes to devices, a batch at a time, into their tunnels. */
void egress_receive(struct datapath *dp, void (*flush)(void *arg), void *arg);

#endif
