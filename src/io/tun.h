/*
 * The egress tun device: a layer-3 interface (IFF_TUN, no packet info) that
 * hands IPv4 packets to and from the host's own routing stack. Privileged:
 * needs CAP_NET_ADMIN at creation.
 */
#ifndef VPG_IO_TUN_H
#define VPG_IO_TUN_H

#include <stdint.h>

/*
 * Creates the tun interface name and returns its non-blocking descriptor, or
 * -EEXIST when an interface of that name exists already (it is not ours to
 * take over; a tun of the name is first given 3 s to go, as a killed vpgd's
 * does once its exit has closed it), or another negative errno.
 */
int tun_open(const char *name);
/* Gives it addr/prefix (so the host routes the prefix into it), an MTU, and brings it up. */
int tun_configure(const char *name, uint32_t addr_be, uint8_t prefix, unsigned mtu);
/* Routes net/mask into the tun (add) or stops doing so: a LAN behind a device. */
int tun_route(const char *name, uint32_t net_be, uint32_t mask_be, int add);

#endif
