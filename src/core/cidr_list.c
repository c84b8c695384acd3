#include "core/cidr_list.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proto/ipv4.h"

uint32_t
cidr_mask_be(uint8_t prefix)
{
	/* A shift by 32 is undefined: /0 is its own case. */
	return prefix == 0 ? 0 : htonl(~0u << (32 - prefix));
}

int
cidr_list_add(struct cidr_list *l, uint32_t net_be, uint8_t prefix)
{
	if (prefix > 32 || (net_be & ~cidr_mask_be(prefix)) != 0)
		return -EINVAL;
	for (unsigned i = 0; i < l->n; i++)
		if (l->range[i].net_be == net_be && l->range[i].prefix == prefix)
			return -EEXIST;
	if (l->n >= CIDR_LIST_MAX)
		return -ENOSPC;
	l->range[l->n++] = (struct cidr){ .net_be = net_be, .prefix = prefix };
	return 0;
}

bool
cidr_list_contains(const struct cidr_list *l, uint32_t addr_be)
{
	for (unsigned i = 0; i < l->n; i++)
		if ((addr_be & cidr_mask_be(l->range[i].prefix)) == l->range[i].net_be)
			return true;
	return false;
}

char *
cidr_str(const struct cidr *c, char buf[CIDR_STR_LEN])
{
	char a[16];

	snprintf(buf, CIDR_STR_LEN, "%s/%u", ipv4_str(c->net_be, a), c->prefix);
	return buf;
}

char *
cidr_list_str(const struct cidr_list *l, char *buf, size_t cap)
{
	char one[CIDR_STR_LEN];
	size_t used = 0;

	if (cap == 0)
		return buf;
	snprintf(buf, cap, "%s", l->n == 0 ? "none" : "");
	for (unsigned i = 0; i < l->n; i++) {
		int w = snprintf(
		    buf + used, cap - used, "%s%s", i > 0 ? ", " : "", cidr_str(&l->range[i], one));

		if (w < 0 || (size_t)w >= cap - used) {
			/* Cut: end in "..." where it still fits. */
			if (cap >= 4)
				memcpy(buf + cap - 4, "...", 4);
			break;
		}
		used += (size_t)w;
	}
	return buf;
}
