/*
 * The default of allowedPeers: the networks vpgd's control addresses sit on.
 * An SGSN, SGW or SMF on the same link is the usual lab and the usual small
 * deployment; anything further away must be named in the file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/config.h"
#include "proto/ipv4.h"

static uint8_t
prefix_of_mask(uint32_t mask_be)
{
	return (uint8_t)__builtin_popcount(mask_be);
}

static uint32_t
sin_addr_of(const struct sockaddr *sa)
{
	return ((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr;
}

/* The interface's subnet, when it holds listen_be (any IPv4 interface for 0.0.0.0). */
static void
add_subnet(const struct ifaddrs *ifa, uint32_t listen_be, struct cidr_list *out)
{
	uint32_t addr, mask;

	if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
	    ifa->ifa_netmask == NULL)
		return;
	addr = sin_addr_of(ifa->ifa_addr);
	mask = sin_addr_of(ifa->ifa_netmask);
	if (listen_be != INADDR_ANY && addr != listen_be)
		return;
	/* A duplicate (two interfaces on one subnet) or a full list: the range is already in. */
	(void)cidr_list_add(out, addr & mask, prefix_of_mask(mask));
}

static int
local_subnets(uint32_t listen_be, struct cidr_list *out)
{
	struct ifaddrs *all;

	if (getifaddrs(&all) < 0)
		return -errno;
	out->n = 0;
	for (const struct ifaddrs *ifa = all; ifa != NULL; ifa = ifa->ifa_next)
		add_subnet(ifa, listen_be, out);
	freeifaddrs(all);
	return out->n > 0 ? 0 : -ENOENT;
}

static int
resolve(struct config_peers *p, uint32_t listen_be, const char *key, char *err)
{
	char a[16];
	int rc;

	if (!p->automatic)
		return 0;
	rc = local_subnets(listen_be, &p->list);
	if (rc == 0)
		return 0;
	snprintf(err, CONFIG_ERR_LEN, "\"%s\": absent, and %s (%s) gives no default: set it", key,
	    rc == -ENOENT ? "no local interface holds the listen address" : strerror(-rc),
	    ipv4_str(listen_be, a));
	return -1;
}

int
config_resolve_peers(struct config *cfg, char err[CONFIG_ERR_LEN])
{
	if (cfg->ggsn_enabled &&
	    resolve(&cfg->gtp_peers, cfg->gtp_addr_be, "gtp.allowedPeers", err) < 0)
		return -1;
	if (cfg->pgw_enabled &&
	    resolve(&cfg->pgw_peers, cfg->pgw_addr_be, "gtpv2.allowedPeers", err) < 0)
		return -1;
	if (cfg->pfcp_enabled &&
	    resolve(&cfg->pfcp_peers, cfg->pfcp_addr_be, "pfcp.allowedPeers", err) < 0)
		return -1;
	return 0;
}
