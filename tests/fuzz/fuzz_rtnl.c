/*
 * libFuzzer harness for the reading of rtnetlink answers (proto/rtnl.c): a
 * route, a neighbour and a link, from the same octets, the question's
 * sequence number taken from the first four. Beyond "no crash": an answer
 * taken as a route names an output interface, and a usable neighbour has
 * its MAC.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/rtnl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtnl_route route;
	struct rtnl_neigh neigh;
	struct rtnl_link link;
	uint32_t seq;

	if (size < sizeof(seq))
		return 0;
	memcpy(&seq, data, sizeof(seq));
	data += sizeof(seq);
	size -= sizeof(seq);
	if (rtnl_route_answer(data, size, seq, &route) == 0 && route.oif == 0)
		abort();
	if (rtnl_neigh_answer(data, size, seq, &neigh) == 0 && rtnl_neigh_usable(&neigh) &&
	    !neigh.has_mac)
		abort();
	(void)rtnl_link_answer(data, size, seq, &link);
	return 0;
}
