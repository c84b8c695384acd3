#include "io/offload.h"

#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* The feature's name, as ethtool -k prints it: the kernel numbers features by build. */
#define UDP_SEGMENTATION_FEATURE "tx-udp-segmentation"

int
offload_interface_of(uint32_t addr_be, char *name)
{
	struct ifaddrs *all, *a;
	int found = -1;

	if (addr_be == htonl(INADDR_ANY) || getifaddrs(&all) < 0)
		return -1;
	for (a = all; a != NULL && found < 0; a = a->ifa_next) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(void *)a->ifa_addr;

		if (in == NULL || in->sin_family != AF_INET || in->sin_addr.s_addr != addr_be)
			continue;
		strncpy(name, a->ifa_name, IF_NAMESIZE - 1);
		name[IF_NAMESIZE - 1] = '\0';
		found = 0;
	}
	freeifaddrs(all);
	return found;
}

static int
ethtool(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IF_NAMESIZE - 1);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

/* How many features the kernel names (ETH_SS_FEATURES); -1 when it does not say. */
static int
feature_count(int fd, const char *ifname)
{
	struct {
		struct ethtool_sset_info info;
		uint32_t count;
	} q;

	memset(&q, 0, sizeof(q));
	q.info.cmd = ETHTOOL_GSSET_INFO;
	q.info.sset_mask = 1ULL << ETH_SS_FEATURES;
	if (ethtool(fd, ifname, &q) < 0 || !(q.info.sset_mask & (1ULL << ETH_SS_FEATURES)))
		return -1;
	return (int)q.count;
}

/* The index of the feature called name among n; -1 when none is. */
static int
feature_index(int fd, const char *ifname, int n, const char *name)
{
	struct ethtool_gstrings *s = calloc(1, sizeof(*s) + (size_t)n * ETH_GSTRING_LEN);
	int found = -1;

	if (s == NULL)
		return -1;
	s->cmd = ETHTOOL_GSTRINGS;
	s->string_set = ETH_SS_FEATURES;
	s->len = (uint32_t)n;
	if (ethtool(fd, ifname, s) == 0)
		for (int i = 0; i < n && found < 0; i++)
			if (strncmp((const char *)s->data + (size_t)i * ETH_GSTRING_LEN, name,
				ETH_GSTRING_LEN) == 0)
				found = i;
	free(s);
	return found;
}

/* Whether feature i is active (1) or not (0); -1 when the kernel does not say. */
static int
feature_active(int fd, const char *ifname, int n, int i)
{
	uint32_t blocks = (uint32_t)(n + 31) / 32;
	struct ethtool_gfeatures *f =
	    calloc(1, sizeof(*f) + blocks * sizeof(struct ethtool_get_features_block));
	int on = -1;

	if (f == NULL)
		return -1;
	f->cmd = ETHTOOL_GFEATURES;
	f->size = blocks;
	if (ethtool(fd, ifname, f) == 0)
		on = (f->features[i / 32].active >> (i % 32)) & 1;
	free(f);
	return on;
}

int
offload_udp_segmentation(const char *ifname)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int n, i, on = -1;

	if (fd < 0)
		return -1;
	n = feature_count(fd, ifname);
	i = n > 0 ? feature_index(fd, ifname, n, UDP_SEGMENTATION_FEATURE) : -1;
	if (i >= 0)
		on = feature_active(fd, ifname, n, i);
	close(fd);
	return on;
}
