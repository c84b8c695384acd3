#include "io/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if_arp.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* How long a tun of our name may take to go: its last holder is still exiting. */
#define TUN_GONE_WAIT_MS 3000
#define TUN_GONE_POLL_MS 50

/* A layer-3 interface without a link address (ARPHRD_NONE): a tun, such as ours. */
static bool
is_layer3(const char *name)
{
	struct ifreq ifr = { 0 };
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool l3;

	if (sock < 0)
		return false;
	strcpy(ifr.ifr_name, name);
	l3 = ioctl(sock, SIOCGIFHWADDR, &ifr) == 0 && ifr.ifr_hwaddr.sa_family == ARPHRD_NONE;
	close(sock);
	return l3;
}

/*
 * A vpgd killed a moment ago (a restart after kill -9, or systemd's after a
 * crash) leaves its tun until the kernel has closed the gateway's descriptors,
 * which its exit does in its own time. A tun of the name is waited for, a
 * little; anything else of the name is someone else's at once.
 */
static bool
gone_soon(const char *name)
{
	if (!is_layer3(name))
		return false;
	for (int waited = 0; waited < TUN_GONE_WAIT_MS; waited += TUN_GONE_POLL_MS) {
		usleep(TUN_GONE_POLL_MS * 1000);
		if (if_nametoindex(name) == 0)
			return true;
	}
	return false;
}

int
tun_open(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd;

	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	/* TUNSETIFF would attach to an existing tun of that name: refuse any existing link. */
	if (if_nametoindex(name) != 0 && !gone_soon(name))
		return -EEXIST;
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int saved = errno;

		close(fd);
		return -saved;
	}
	return fd;
}

static int
set_addr(int sock, const char *name, unsigned long request, uint32_t addr_be)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	strcpy(ifr.ifr_name, name);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr_be;
	return ioctl(sock, request, &ifr) < 0 ? -errno : 0;
}

int
tun_configure(const char *name, uint32_t addr_be, uint8_t prefix, unsigned mtu)
{
	struct ifreq ifr = { 0 };
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (sock < 0)
		return -errno;
	strcpy(ifr.ifr_name, name);
	rc = set_addr(sock, name, SIOCSIFADDR, addr_be);
	if (rc == 0)
		rc = set_addr(sock, name, SIOCSIFNETMASK, htonl(~0u << (32 - prefix)));
	ifr.ifr_mtu = (int)mtu;
	if (rc == 0 && ioctl(sock, SIOCSIFMTU, &ifr) < 0)
		rc = -errno;
	if (rc == 0 && ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		rc = -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (rc == 0 && ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		rc = -errno;
	close(sock);
	return rc;
}

int
tun_route(const char *name, uint32_t net_be, uint32_t mask_be, int add)
{
	struct rtentry rt = { 0 };
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
	char dev[IFNAMSIZ];
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (sock < 0)
		return -errno;
	snprintf(dev, sizeof(dev), "%s", name);
	dst->sin_family = mask->sin_family = AF_INET;
	dst->sin_addr.s_addr = net_be & mask_be;
	mask->sin_addr.s_addr = mask_be;
	rt.rt_flags = RTF_UP;
	rt.rt_dev = dev;
	if (ioctl(sock, add ? SIOCADDRT : SIOCDELRT, &rt) < 0)
		rc = -errno;
	close(sock);
	return rc;
}
