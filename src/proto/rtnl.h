/*
 * rtnetlink (RFC 3549, the kernel's uapi): the three questions the underlay's
 * next hop takes (which route to an address, which MAC answers for its
 * next hop, what the link is) and their answers. Pure: requests are built
 * into the caller's buffer, answers are read without trusting a length.
 * Addresses in network byte order.
 */
#ifndef VPG_PROTO_RTNL_H
#define VPG_PROTO_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTNL_REQUEST_MAX 64

/* The route the kernel would take from src_be (0: any) to dst_be. */
struct rtnl_route {
	uint32_t oif;
	uint32_t gateway_be; /* 0: the destination is on the link */
	uint32_t prefsrc_be; /* 0: none given */
};

struct rtnl_neigh {
	uint16_t state; /* NUD_* */
	uint8_t mac[6];
	bool has_mac;
};

struct rtnl_link {
	uint32_t mtu;
	uint8_t mac[6];
	bool ethernet; /* ARPHRD_ETHER with a 6-octet address */
	bool up;       /* IFF_UP and IFF_RUNNING */
};

/* Each returns the request's length in buf (at least RTNL_REQUEST_MAX octets). */
size_t rtnl_route_request(uint8_t *buf, uint32_t seq, uint32_t dst_be, uint32_t src_be);
size_t rtnl_neigh_request(uint8_t *buf, uint32_t seq, uint32_t ifindex, uint32_t ip_be);
size_t rtnl_link_request(uint8_t *buf, uint32_t seq, uint32_t ifindex);

/*
 * The answer to request seq in the len octets of buf: 0 and *out filled, or
 * a negative errno: the kernel's error (-ENOENT: no such neighbour), or
 * -EPROTO when the answer is malformed or not the kind asked for. A route
 * must be unicast over IPv4 with an output interface (-ENETUNREACH
 * otherwise: local, blackhole, prohibit...).
 */
int rtnl_route_answer(const uint8_t *buf, size_t len, uint32_t seq, struct rtnl_route *out);
int rtnl_neigh_answer(const uint8_t *buf, size_t len, uint32_t seq, struct rtnl_neigh *out);
int rtnl_link_answer(const uint8_t *buf, size_t len, uint32_t seq, struct rtnl_link *out);

/* Whether a neighbour in this state has a MAC the kernel itself would send to. */
bool rtnl_neigh_usable(const struct rtnl_neigh *n);

#endif
