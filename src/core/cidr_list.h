/*
 * A short list of IPv4 ranges and the question every control role asks of a
 * datagram's source: is it inside one of them? The list is small (a
 * network's SGSNs, SGWs and SMFs sit in a handful of ranges), so a linear
 * walk costs less than any index, and it is walked once per signalling
 * message, never per user packet.
 */
#ifndef VPG_CORE_CIDR_LIST_H
#define VPG_CORE_CIDR_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Enough for any real set of control peers; a longer list is a mistake in the file. */
#define CIDR_LIST_MAX 64
/* "255.255.255.255/32", NUL included. */
#define CIDR_STR_LEN 19

struct cidr {
	uint32_t net_be; /* network order, no host bits set */
	uint8_t prefix;	 /* 0..32 */
};

struct cidr_list {
	unsigned n;
	struct cidr range[CIDR_LIST_MAX];
};

/* The netmask of a prefix length (0..32), in network order. */
uint32_t cidr_mask_be(uint8_t prefix);

/*
 * Appends net/prefix: 0; -EINVAL when prefix > 32 or net has host bits set;
 * -EEXIST when the list already holds that very range; -ENOSPC when full.
 */
int cidr_list_add(struct cidr_list *l, uint32_t net_be, uint8_t prefix);

/* True when addr_be lies inside one of the list's ranges. O(n), n <= CIDR_LIST_MAX. */
bool cidr_list_contains(const struct cidr_list *l, uint32_t addr_be);

/* "a.b.c.d/n" into buf (CIDR_STR_LEN at least); returns buf. */
char *cidr_str(const struct cidr *c, char buf[CIDR_STR_LEN]);

/*
 * The list as "192.0.2.0/24, 203.0.113.7/32" into buf, cut short (ending in
 * "...") when cap is too small; "none" when empty. Returns buf.
 */
char *cidr_list_str(const struct cidr_list *l, char *buf, size_t cap);

#endif
