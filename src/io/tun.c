#include "io/tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int
tun_open(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd;

	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	/* TUNSETIFF would attach to an existing tun of that name: refuse any existing link. */
	if (if_nametoindex(name) != 0)
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
