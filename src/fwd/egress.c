#include "fwd/egress.h"
#include "fwd/peek.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/counters.h"
#include "fwd/datapath.h"
#include "fwd/downlink.h"
#include "fwd/egress_priv.h"
#include "core/session.h"
#include "io/log.h"
#include "io/privsep.h"
#include "io/tun.h"
#include "io/udp_batch.h"
#include "proto/ipv4.h"

#define RX_SLOTS 64

struct egress {
	int fd;
	bool nat;
	char ifname[16];
	uint8_t rx[RX_SLOTS][UDP_BATCH_HEADROOM + UDP_BATCH_DATA];
};

/* Runs one nft script as a single transaction: all of it applies, or none. */
static int
nft_run(const char *script, char *err, size_t errlen)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	int rc;

	if (ctx == NULL) {
		snprintf(err, errlen, "nftables: out of memory");
		return -1;
	}
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	rc = nft_run_cmd_from_buffer(ctx, script);
	if (rc != 0) {
		snprintf(err, errlen, "nftables: %s", nft_ctx_get_error_buffer(ctx));
		err[strcspn(err, "\n")] = '\0';
	}
	nft_ctx_free(ctx);
	return rc == 0 ? 0 : -1;
}

/*
 * "add" then "delete" makes the table exist and then go, whether or not a
 * previous run left one: the new table replaces it and is never duplicated.
 * Only our own table is touched.
 */
static int
nft_install(const struct egress_params *cfg, char *err, size_t errlen)
{
	char script[512], net[16];

	snprintf(script, sizeof(script),
	    "add table ip " EGRESS_NFT_TABLE "\n"
	    "delete table ip " EGRESS_NFT_TABLE "\n"
	    "table ip " EGRESS_NFT_TABLE " {\n"
	    "  chain postrouting {\n"
	    "    type nat hook postrouting priority srcnat; policy accept;\n"
	    "    ip saddr %s/%u oifname != \"%s\" masquerade\n"
	    "  }\n"
	    "}\n",
	    ipv4_str(cfg->subnet_be, net), cfg->prefix, cfg->ifname);
	return nft_run(script, err, errlen);
}

static void
nft_remove(void)
{
	char err[256];

	if (nft_run("add table ip " EGRESS_NFT_TABLE "\ndelete table ip " EGRESS_NFT_TABLE "\n",
		err, sizeof(err)) < 0)
		log_warn("egress: cannot remove table ip %s: %s", EGRESS_NFT_TABLE, err);
}

/* The host must forward between the tun and its other links. */
static int
enable_forwarding(void)
{
	char v = '0';
	int fd = open("/proc/sys/net/ipv4/ip_forward", O_RDWR | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (read(fd, &v, 1) == 1 && v != '1') {
		rc = pwrite(fd, "1\n", 2, 0) == 2 ? 0 : -errno;
		if (rc == 0)
			log_info("egress: IPv4 forwarding turned on");
	}
	close(fd);
	return rc;
}

/*
 * Devices are IPv4 only: without this the kernel gives the tun a link-local
 * IPv6 address and sends router solicitations into it, which vpgd would
 * read and drop (ipv4_bad_version) a few times after every start.
 */
static void
disable_ipv6(const char *ifname)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* no IPv6 in this kernel: nothing to turn off */
	if (write(fd, "1\n", 2) != 2)
		log_warn("egress: cannot turn IPv6 off on %s: %s", ifname, strerror(errno));
	close(fd);
}

static int
setup(struct egress *e, const struct egress_params *cfg, char *err, size_t errlen)
{
	int rc;

	disable_ipv6(cfg->ifname);
	rc = tun_configure(cfg->ifname, cfg->gateway_be, cfg->prefix, EGRESS_MTU);

	if (rc < 0) {
		snprintf(err, errlen, "egress.interface %s: %s", cfg->ifname, strerror(-rc));
		return -1;
	}
	rc = enable_forwarding();
	if (rc < 0) {
		snprintf(err, errlen, "cannot turn IPv4 forwarding on: %s", strerror(-rc));
		return -1;
	}
	if (e->nat)
		return nft_install(cfg, err, errlen);
	/* NAT off: a table left by an earlier run with NAT on must not linger. */
	nft_remove();
	return 0;
}

struct egress *
egress_start(const struct egress_params *cfg, char *err, size_t errlen, bool *exists)
{
	struct egress *e = calloc(1, sizeof(*e));

	*exists = false;
	if (e == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->nat = cfg->nat;
	snprintf(e->ifname, sizeof(e->ifname), "%s", cfg->ifname);
	e->fd = tun_open(cfg->ifname);
	if (e->fd < 0) {
		*exists = e->fd == -EEXIST;
		snprintf(err, errlen, "egress.interface \"%s\": %s", cfg->ifname,
		    *exists ? "an interface of that name exists already" : strerror(-e->fd));
		free(e);
		return NULL;
	}
	if (setup(e, cfg, err, errlen) < 0) {
		close(e->fd);
		free(e);
		return NULL;
	}
	return e;
}

/* After the split the gateway has no privilege: its root parent makes the route. */
int
egress_route(struct egress *e, uint32_t net_be, uint32_t mask_be, bool add)
{
	int rc = privsep_active() ? egress_priv_route(net_be, mask_be, add)
				  : tun_route(e->ifname, net_be, mask_be, add);
	char net[16];

	/* A route that is there already (or gone already) is what was asked for. */
	if (rc == -EEXIST || rc == -ESRCH)
		rc = 0;
	if (rc < 0)
		log_warn("egress: route %s/%d %s %s: %s", ipv4_str(net_be, net),
		    __builtin_popcount(mask_be), add ? "into" : "out of", e->ifname, strerror(-rc));
	return rc;
}

void
egress_stop(struct egress *e)
{
	if (e == NULL)
		return;
	/* After the split the table is the root parent's to remove. */
	if (e->nat && !privsep_active())
		nft_remove();
	close(e->fd);
	free(e);
}

int
egress_fd(const struct egress *e)
{
	return e->fd;
}

const char *
egress_ifname(const struct egress *e)
{
	return e->ifname;
}

/* One write per packet: a tun takes no batch. The packet is copied out at once. */
void
egress_send(struct datapath *dp, const uint8_t *pkt, size_t len)
{
	if (write(egress_fd(dp->egress), pkt, len) != (ssize_t)len) {
		counters_drop(VPG_DROP_TX_FAILED);
		return;
	}
	counters_add(VPG_CTR_EGRESS_TX_PACKETS, 1);
	counters_add(VPG_CTR_EGRESS_TX_BYTES, len);
}

static void
to_device(struct datapath *dp, uint8_t *pkt, size_t len)
{
	struct ipv4_view ip;
	struct session *s;
	bool held;
	enum vpg_drop drop = ipv4_parse(pkt, len, &ip);

	if (drop != VPG_DROP_NONE) {
		counters_drop(drop);
		return;
	}
	s = session_find_dest_held(dp->sessions, ip.dst, &held);
	if (s == NULL) {
		counters_drop(
		    held ? VPG_DROP_SIM_ROUTE_NOT_ATTACHED : VPG_DROP_EGRESS_UNKNOWN_DESTINATION);
		return;
	}
	counters_add(VPG_CTR_EGRESS_TO_DEVICE_PACKETS, 1);
	downlink_to_session(dp, s, pkt, ip.total_len);
}

void
egress_receive(struct datapath *dp, void (*flush)(void *arg), void *arg)
{
	struct egress *e = dp->egress;

	for (int batch = 0; batch < 16; batch++) {
		int n = 0;

		peek_tap_batch(dp->peek);
		for (; n < RX_SLOTS; n++) {
			uint8_t *pkt = e->rx[n] + UDP_BATCH_HEADROOM;
			ssize_t len = read(e->fd, pkt, UDP_BATCH_DATA);

			if (len <= 0)
				break;
			counters_add(VPG_CTR_EGRESS_RX_PACKETS, 1);
			counters_add(VPG_CTR_EGRESS_RX_BYTES, (uint64_t)len);
			to_device(dp, pkt, (size_t)len);
		}
		/* Queued tunnels point into e->rx: send before reading into it again. */
		flush(arg);
		if (n < RX_SLOTS)
			break;
	}
}
