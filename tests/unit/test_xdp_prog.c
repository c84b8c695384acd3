/*
 * The XDP program itself (bpf/vpgd_xdp.bpf.c), run by the kernel on crafted
 * frames (BPF_PROG_RUN) in a network namespace of the test's own: a veth
 * with the gateway's GTP-U and underlay addresses and two static
 * neighbours, so that bpf_fib_lookup finds the next hops and the program
 * answers XDP_TX (forwarding on, or it answers nothing). Each test asserts the verdict, the counter
 * that moved and the exact octets out: the rewritten frame, or the frame untouched when it is
 * passed up. Needs root (a namespace, a BPF program); skipped without.
 */
#include <errno.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>
#include <linux/bpf.h>

#include "fwd/xdp_abi.h"
#include "proto/ipv4.h"
#include "proto/vxlan.h"
#include "vpgd_xdp.skel.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define GTPU_ADDR	IP4(192, 0, 2, 1)
#define SGSN_ADDR	IP4(192, 0, 2, 11)
#define GATE_ADDR	IP4(198, 51, 100, 1)
#define PEER_ADDR	IP4(198, 51, 100, 11)
#define PEER_IN		IP4(10, 10, 10, 10)
#define DEVICE		IP4(10, 10, 0, 2)
#define TEID		0x11223344u
#define PEER_TEID	0x55667788u
#define VNI		10
/* A UPF session beside the GTP one: its rules in map "upf" (bpf/xdp_upf.h). */
#define UPF_TEID      0x0a0b0c0du
#define UPF_DEVICE    IP4(10, 10, 0, 5)
#define UPF_PEER_TEID 0x01020304u

static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };	  /* underlay, static */
static const uint8_t sgsn_mac[6] = { 0x02, 0, 0, 0, 0, 0x22 };	  /* underlay, static */
static const uint8_t peer_in_mac[6] = { 0x02, 0, 0, 0, 0, 0x33 }; /* behind the peer */
static const uint8_t gate_mac[6] = { 0x02, 0x76, 0x70, 0, 0, 1 };
static const uint8_t rx_mac[6] = { 0x02, 0, 0, 0, 0, 0x44 };

static struct vpgd_xdp *skel;
static int ifindex;
static uint8_t v0_mac[6];

static int
sh(const char *cmd)
{
	return system(cmd) == 0 ? 0 : -1;
}

/* Through an ioctl: /sys shows the namespace it was mounted in, not ours. */
static int
read_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return rc;
}

static int
netns(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		return -1;
	/* bpf_fib_lookup answers only where the ingress interface forwards IPv4. */
	if (sh("sysctl -qw net.ipv4.conf.all.forwarding=1 && ip link set lo up && ip link add v0 "
	       "type veth peer name v1 && "
	       "ip addr add 192.0.2.1/24 dev v0 && ip addr add 198.51.100.1/24 dev v0 && "
	       "ip link set v0 up && ip link set v1 up && "
	       "ip neigh replace 198.51.100.11 lladdr 02:00:00:00:00:11 dev v0 nud permanent && "
	       "ip neigh replace 192.0.2.11 lladdr 02:00:00:00:00:22 dev v0 nud permanent && "
	       "ip route add 203.0.113.0/24 via 192.0.2.11") < 0)
		return -1;
	ifindex = (int)if_nametoindex("v0");
	return ifindex > 0 ? read_mac("v0", v0_mac) : -1;
}

/* The maps as the daemon fills them: one session, one peer and its neighbour, the gate open. */
static int
fill_maps(void)
{
	struct xdp_session s = { .teid_be = htonl(TEID),
		.ip_be = DEVICE,
		.peer_teid_be = htonl(PEER_TEID),
		.peer_addr_be = SGSN_ADDR };
	struct xdp_neighbor nb = { .outer_be = PEER_ADDR };
	struct xdp_conf c = { .gtpu_be = GTPU_ADDR,
		.gate_be = GATE_ADDR,
		.gateway_be = IP4(10, 10, 0, 1),
		.subnet_be = IP4(10, 10, 0, 0),
		.netmask_be = IP4(255, 255, 0, 0),
		.vni = VNI,
		.flags = XDP_CONF_GATE_OPEN | XDP_CONF_ENABLED };
	uint32_t teid_be = htonl(TEID), dev = DEVICE, peer = PEER_ADDR, in = PEER_IN, zero = 0;

	struct xdp_session us = { .teid_be = htonl(UPF_TEID),
		.ip_be = UPF_DEVICE,
		.peer_teid_be = htonl(UPF_PEER_TEID),
		.peer_addr_be = SGSN_ADDR,
		.flags = XDP_SESSION_F_UPF };
	uint32_t upf_teid_be = htonl(UPF_TEID), upf_dev = UPF_DEVICE;
	static struct xdp_session_counters zeros[1024];

	memcpy(nb.mac, peer_in_mac, 6);
	memcpy(c.mac, gate_mac, 6);
	if (libbpf_num_possible_cpus() > 1024)
		return -1;
	return bpf_map_update_elem(
		   bpf_map__fd(skel->maps.session_counters), &teid_be, zeros, BPF_ANY) |
	       bpf_map_update_elem(
		   bpf_map__fd(skel->maps.session_counters), &upf_teid_be, zeros, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.teids), &upf_teid_be, &us, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.devices), &upf_dev, &us, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.teids), &teid_be, &s, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.devices), &dev, &s, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.peers), &peer, &in, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.neighbors), &in, &nb, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.conf), &zero, &c, BPF_ANY);
}

static int
group_setup(void **state)
{
	(void)state;
	if (netns() < 0) {
		fprintf(stderr, "no network namespace of our own (%s): skipped\n", strerror(errno));
		return 0; /* each test skips */
	}
	skel = vpgd_xdp__open_and_load();
	if (skel == NULL)
		fprintf(stderr, "the kernel refuses the program (%s): skipped\n", strerror(errno));
	if (skel != NULL && fill_maps() != 0) {
		fprintf(stderr, "cannot fill the maps (%s): skipped\n", strerror(errno));
		vpgd_xdp__destroy(skel);
		skel = NULL;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	vpgd_xdp__destroy(skel);
	return 0;
}

static void
need_kernel(void)
{
	if (skel == NULL)
		skip();
}

/* Writers for the frames: each returns the octets written at p. */
static size_t
put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6])
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = 0x08;
	p[13] = 0x00;
	return 14;
}

static size_t
put_ip(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, uint16_t total, uint16_t frag,
    uint8_t ttl)
{
	uint16_t sum;

	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[6] = (uint8_t)(frag >> 8);
	p[7] = (uint8_t)frag;
	p[8] = ttl;
	p[9] = proto;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	sum = htons(inet_checksum(p, 20)); /* host order: stored big-endian */
	memcpy(p + 10, &sum, 2);
	return 20;
}

static size_t
put_udp(uint8_t *p, uint16_t sport, uint16_t dport, uint16_t len)
{
	uint16_t v[4] = { htons(sport), htons(dport), htons(len), 0 };

	memcpy(p, v, 8);
	return 8;
}

/* A device's UDP packet of len octets (header and payload), as it sends it. */
static size_t
put_inner(uint8_t *p, uint32_t src, uint32_t dst, uint16_t len)
{
	size_t n = put_ip(p, src, dst, 17, len, 0, 64);

	n += put_udp(p + n, 40000, 5001, (uint16_t)(len - 20));
	for (size_t i = n; i < len; i++)
		p[i] = (uint8_t)i;
	return len;
}

/* An uplink G-PDU; flags 0x30 plain, 0x32 with a sequence number, 0x34 with extensions. */
static size_t
gpdu(uint8_t *f, uint8_t flags, uint32_t teid, uint32_t inner_src, uint16_t inner_len)
{
	size_t opt = (flags & 0x07) ? 4 : 0, gtp = 8 + opt;
	uint16_t udp_len = (uint16_t)(8 + gtp + inner_len);
	uint32_t teid_be = htonl(teid);
	size_t n = put_eth(f, rx_mac, sgsn_mac);
	uint8_t *g;

	n += put_ip(f + n, SGSN_ADDR, GTPU_ADDR, 17, (uint16_t)(20 + udp_len), 0, 64);
	n += put_udp(f + n, 2152, 2152, udp_len);
	g = f + n;
	g[0] = flags;
	g[1] = 255;
	g[2] = (uint8_t)((inner_len + opt) >> 8);
	g[3] = (uint8_t)(inner_len + opt);
	memcpy(g + 4, &teid_be, 4);
	memset(g + 8, 0, opt);
	n += gtp;
	return n + put_inner(f + n, inner_src, PEER_IN, inner_len);
}

struct run {
	uint32_t verdict;
	uint8_t out[512];
	uint32_t out_len;
};

static uint64_t
counter(enum xdp_ctr c)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t v[1024] = { 0 }, sum = 0;
	uint32_t k = c;

	assert_true(cpus > 0 && cpus <= 1024);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.counters), &k, v), 0);
	for (int i = 0; i < cpus; i++)
		sum += v[i];
	return sum;
}

/* What XDP counted for the session, all CPUs: {up packets, up bytes, down packets, down bytes}. */
static struct xdp_session_counters
session_counted_of(uint32_t teid)
{
	static struct xdp_session_counters v[1024];
	struct xdp_session_counters sum = { 0 };
	uint32_t teid_be = htonl(teid);

	assert_int_equal(
	    bpf_map_lookup_elem(bpf_map__fd(skel->maps.session_counters), &teid_be, v), 0);
	for (int i = 0; i < libbpf_num_possible_cpus(); i++) {
		sum.up_packets += v[i].up_packets;
		sum.up_bytes += v[i].up_bytes;
		sum.down_packets += v[i].down_packets;
		sum.down_bytes += v[i].down_bytes;
	}
	return sum;
}

static struct xdp_session_counters
session_counted(void)
{
	return session_counted_of(TEID);
}

static struct run
run(const uint8_t *frame, size_t len)
{
	struct xdp_md ctx = { .data_end = (uint32_t)len, .ingress_ifindex = (uint32_t)ifindex };
	struct run r = { 0 };
	struct bpf_test_run_opts o = { .sz = sizeof(o),
		.data_in = frame,
		.data_size_in = (uint32_t)len,
		.data_out = r.out,
		.data_size_out = sizeof(r.out),
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = 1 };

	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.vpgd_xdp), &o), 0);
	r.verdict = o.retval;
	r.out_len = o.data_size_out;
	return r;
}

/* Passed up exactly as it came, with the counter of its reason moved by one. */
static void
assert_passed_untouched(const uint8_t *frame, size_t len, enum xdp_ctr why)
{
	uint64_t before = counter(why);
	struct run r = run(frame, len);

	assert_int_equal(r.verdict, XDP_PASS);
	assert_int_equal(r.out_len, len);
	assert_memory_equal(r.out, frame, len);
	assert_int_equal(counter(why), before + 1);
}

/* What the socket path would put on the wire for the inner packet: VXLAN to the peer. */
static size_t
expected_vxlan(uint8_t *e, const uint8_t *inner, uint16_t inner_len)
{
	uint16_t udp_len = (uint16_t)(8 + 8 + 14 + inner_len), port;
	uint32_t vni = htonl(VNI << 8), flags = htonl(0x08000000);
	size_t n = put_eth(e, peer_mac, v0_mac);

	n += put_ip(e + n, GATE_ADDR, PEER_ADDR, 17, (uint16_t)(20 + udp_len), 0x4000, 64);
	memcpy(e + n + 8, &flags, 4);
	memcpy(e + n + 12, &vni, 4);
	put_eth(e + n + 16, peer_in_mac, gate_mac);
	memcpy(e + n + 30, inner, inner_len);
	port = vxlan_flow_port(e + n + 8, (size_t)udp_len - 8);
	put_udp(e + n, port, 4789, udp_len);
	return n + udp_len;
}

static void
assert_uplink_to_peer(uint8_t flags)
{
	uint8_t f[256], e[256];
	size_t len = gpdu(f, flags, TEID, DEVICE, 60), inner = len - 60, elen;
	uint64_t up = counter(XDP_CTR_UPLINK_PACKETS);
	struct xdp_session_counters before = session_counted(), after;
	struct run r = run(f, len);

	elen = expected_vxlan(e, f + inner, 60);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	assert_int_equal(counter(XDP_CTR_UPLINK_PACKETS), up + 1);
	after = session_counted();
	assert_int_equal(after.up_packets, before.up_packets + 1);
	assert_int_equal(after.up_bytes, before.up_bytes + 60);
	assert_int_equal(after.down_packets, before.down_packets);
}

static void
test_xdp_prog_uplink_gpdu_becomes_vxlan_to_the_peer(void **state)
{
	(void)state;
	need_kernel();
	assert_uplink_to_peer(0x30);
}

static void
test_xdp_prog_uplink_with_sequence_number_same_vxlan(void **state)
{
	(void)state;
	need_kernel();
	assert_uplink_to_peer(0x32);
}

static void
test_xdp_prog_uplink_extension_header_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x34, TEID, DEVICE, 60);

	(void)state;
	need_kernel();
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNUSUAL);
}

static void
test_xdp_prog_uplink_unknown_teid_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID + 1, DEVICE, 60);

	(void)state;
	need_kernel();
	assert_passed_untouched(f, len, XDP_CTR_PASSED_NO_SESSION);
}

static void
test_xdp_prog_uplink_inner_fragment_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60), inner = len - 60;

	(void)state;
	need_kernel();
	put_ip(f + inner, DEVICE, PEER_IN, 17, 60, 0x2000, 64); /* MF */
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNUSUAL);
}

static void
test_xdp_prog_uplink_inner_options_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60), inner = len - 60;

	(void)state;
	need_kernel();
	f[inner] = 0x46; /* IHL 6: 4 octets of options */
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNUSUAL);
}

static void
test_xdp_prog_uplink_lengths_disagree_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60);

	(void)state;
	need_kernel();
	/* Cut short: the headers promise 60 inner octets, 40 came. */
	assert_passed_untouched(f, len - 20, XDP_CTR_PASSED_UNUSUAL);
}

static void
test_xdp_prog_uplink_spoofed_source_dropped_and_counted(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, IP4(10, 10, 0, 3), 60);
	uint64_t before;
	struct run r;

	(void)state;
	need_kernel();
	before = counter(XDP_CTR_DROPPED_SPOOFED_SOURCE);
	r = run(f, len);
	assert_int_equal(r.verdict, XDP_DROP);
	assert_int_equal(counter(XDP_CTR_DROPPED_SPOOFED_SOURCE), before + 1);
}

static void
test_xdp_prog_uplink_to_the_gateway_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60), inner = len - 60;

	(void)state;
	need_kernel();
	put_ip(f + inner, DEVICE, IP4(10, 10, 0, 1), 17, 60, 0, 64);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
}

/* A VXLAN frame from the peer to our MAC, carrying the inner packet for the device. */
static size_t
vxlan_frame_to(uint8_t *f, uint32_t from, uint32_t device, uint16_t inner_len, uint16_t pad)
{
	uint16_t udp_len = (uint16_t)(8 + 8 + 14 + inner_len + pad);
	uint32_t vni = htonl(VNI << 8), flags = htonl(0x08000000);
	size_t n = put_eth(f, rx_mac, peer_mac);

	n += put_ip(f + n, from, GATE_ADDR, 17, (uint16_t)(20 + udp_len), 0, 64);
	n += put_udp(f + n, 50000, 4789, udp_len);
	memcpy(f + n, &flags, 4);
	memcpy(f + n + 4, &vni, 4);
	n += 8;
	n += put_eth(f + n, gate_mac, peer_in_mac);
	n += put_inner(f + n, PEER_IN, device, inner_len);
	memset(f + n, 0, pad);
	return n + pad;
}

static size_t
vxlan_frame(uint8_t *f, uint32_t from, uint16_t inner_len, uint16_t pad)
{
	return vxlan_frame_to(f, from, DEVICE, inner_len, pad);
}

/* What the socket path would send the peer at dst (through the SGSN's MAC): GTP-U with teid. */
static size_t
expected_gtpu_to(
    uint8_t *e, const uint8_t *inner, uint16_t inner_len, uint32_t teid_host, uint32_t dst)
{
	uint16_t udp_len = (uint16_t)(8 + 8 + inner_len);
	uint32_t teid = htonl(teid_host);
	size_t n = put_eth(e, sgsn_mac, v0_mac);

	n += put_ip(e + n, GTPU_ADDR, dst, 17, (uint16_t)(20 + udp_len), 0x4000, 64);
	n += put_udp(e + n, 2152, 2152, udp_len);
	e[n] = 0x30;
	e[n + 1] = 255;
	e[n + 2] = (uint8_t)(inner_len >> 8);
	e[n + 3] = (uint8_t)inner_len;
	memcpy(e + n + 4, &teid, 4);
	memcpy(e + n + 8, inner, inner_len);
	return n + 8 + inner_len;
}

/* What the socket path would send the SGSN: GTP-U with the session's peer TEID. */
static size_t
expected_gtpu(uint8_t *e, const uint8_t *inner, uint16_t inner_len)
{
	return expected_gtpu_to(e, inner, inner_len, PEER_TEID, SGSN_ADDR);
}

static void
assert_downlink(uint16_t inner_len, uint16_t pad)
{
	uint8_t f[256], e[256];
	size_t len = vxlan_frame(f, PEER_ADDR, inner_len, pad), elen;
	uint64_t down = counter(XDP_CTR_DOWNLINK_PACKETS);
	struct xdp_session_counters before = session_counted(), after;
	struct run r = run(f, len);

	elen = expected_gtpu(e, f + 64, inner_len);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	assert_int_equal(counter(XDP_CTR_DOWNLINK_PACKETS), down + 1);
	after = session_counted();
	assert_int_equal(after.down_packets, before.down_packets + 1);
	assert_int_equal(after.down_bytes, before.down_bytes + inner_len);
	assert_int_equal(after.up_packets, before.up_packets);
}

static void
test_xdp_prog_downlink_vxlan_becomes_gtpu_to_the_sgsn(void **state)
{
	(void)state;
	need_kernel();
	assert_downlink(100, 0);
}

static void
test_xdp_prog_downlink_ethernet_padding_cut_off(void **state)
{
	(void)state;
	need_kernel();
	assert_downlink(30, 16); /* 14 + 30 + 16 = the 60-octet minimum frame */
}

static void
test_xdp_prog_downlink_from_unknown_peer_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = vxlan_frame(f, IP4(198, 51, 100, 99), 100, 0);

	(void)state;
	need_kernel();
	assert_passed_untouched(f, len, XDP_CTR_PASSED_OTHER);
}

static void
test_xdp_prog_downlink_broadcast_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0);

	(void)state;
	need_kernel();
	memset(f + 50, 0xff, 6); /* inner destination: broadcast */
	assert_passed_untouched(f, len, XDP_CTR_PASSED_OTHER);
}

static void
test_xdp_prog_downlink_wrong_vni_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0);

	(void)state;
	need_kernel();
	f[46] = 11; /* VNI 10 -> 2826 */
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNUSUAL);
}

/* The UPF session's rules in the program's map, replacing what a test before left. */
static void
set_upf(struct xdp_upf u)
{
	uint32_t teid_be = htonl(UPF_TEID);

	assert_int_equal(
	    bpf_map_update_elem(bpf_map__fd(skel->maps.upf), &teid_be, &u, BPF_ANY), 0);
}

static struct xdp_upf
get_upf(void)
{
	uint32_t teid_be = htonl(UPF_TEID);
	struct xdp_upf u;

	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.upf), &teid_be, &u), 0);
	return u;
}

/* A bucket that no time refills while the test runs (core/rules.c refills only forward). */
static struct xdp_bucket
bucket_frozen(uint64_t tokens)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (struct xdp_bucket){ .rate_bps = 8000,
		.tokens = tokens,
		.last_ms = (uint64_t)ts.tv_sec * 1000 + 3600 * 1000 };
}

/*
 * An uplink G-PDU with a UL PDU Session Information (TS 38.415 §5.5.2.2,
 * PDU type 1) carrying qfi, as a gNB sends it: E set, the optional fields,
 * one container of units * 4 octets ending the chain.
 */
static size_t
gpdu_psc(
    uint8_t *f, uint32_t teid, uint32_t inner_src, uint16_t inner_len, uint8_t qfi, uint8_t units)
{
	size_t ext = 4 + (size_t)units * 4, gtp = 8 + ext;
	uint16_t udp_len = (uint16_t)(8 + gtp + inner_len);
	uint32_t teid_be = htonl(teid);
	size_t n = put_eth(f, rx_mac, sgsn_mac);
	uint8_t *g;

	n += put_ip(f + n, SGSN_ADDR, GTPU_ADDR, 17, (uint16_t)(20 + udp_len), 0, 64);
	n += put_udp(f + n, 2152, 2152, udp_len);
	g = f + n;
	memset(g, 0, gtp);
	g[0] = 0x34;
	g[1] = 255;
	g[2] = (uint8_t)((inner_len + ext) >> 8);
	g[3] = (uint8_t)(inner_len + ext);
	memcpy(g + 4, &teid_be, 4);
	g[11] = 0x85;
	g[12] = units;
	g[13] = 0x10; /* PDU type 1: UL */
	g[14] = qfi;
	n += gtp;
	return n + put_inner(f + n, inner_src, PEER_IN, inner_len);
}

/* Forwarded as VXLAN, the container gone, the UPF session's uplink counted once. */
static void
assert_upf_uplink_to_peer(const uint8_t *f, size_t len)
{
	uint8_t e[256];
	size_t inner = len - 60, elen = expected_vxlan(e, f + inner, 60);
	struct xdp_session_counters before = session_counted_of(UPF_TEID), after;
	struct run r = run(f, len);

	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	after = session_counted_of(UPF_TEID);
	assert_int_equal(after.up_packets, before.up_packets + 1);
	assert_int_equal(after.up_bytes, before.up_bytes + 60);
}

static void
test_xdp_prog_upf_uplink_plain_gpdu_becomes_vxlan(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ 0 });
	len = gpdu(f, 0x30, UPF_TEID, UPF_DEVICE, 60);
	assert_upf_uplink_to_peer(f, len);
}

static void
test_xdp_prog_upf_uplink_session_container_parsed_becomes_vxlan(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ .flags = XDP_UPF_UL_QFI, .ul_qfi = 9 });
	len = gpdu_psc(f, UPF_TEID, UPF_DEVICE, 60, 9, 1);
	assert_upf_uplink_to_peer(f, len);
}

static void
test_xdp_prog_upf_uplink_other_qfi_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ .flags = XDP_UPF_UL_QFI, .ul_qfi = 9 });
	len = gpdu_psc(f, UPF_TEID, UPF_DEVICE, 60, 5, 1);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
	len = gpdu(f, 0x30, UPF_TEID, UPF_DEVICE, 60); /* no container: no QFI to match */
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
}

static void
test_xdp_prog_upf_uplink_longer_container_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ 0 });
	len = gpdu_psc(f, UPF_TEID, UPF_DEVICE, 60, 9, 2);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNUSUAL);
}

static void
test_xdp_prog_uplink_session_container_on_gtp_bearer_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu_psc(f, TEID, DEVICE, 60, 9, 1);

	(void)state;
	need_kernel();
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNUSUAL);
}

/* A closed gate drops in XDP as the socket path's QER does, counted, the session's untouched. */
static void
assert_gate_drops(const uint8_t *f, size_t len)
{
	uint64_t before = counter(XDP_CTR_DROPPED_PFCP_QER_GATE_CLOSED);
	struct xdp_session_counters s0 = session_counted_of(UPF_TEID), s1;
	struct run r = run(f, len);

	assert_int_equal(r.verdict, XDP_DROP);
	assert_int_equal(counter(XDP_CTR_DROPPED_PFCP_QER_GATE_CLOSED), before + 1);
	s1 = session_counted_of(UPF_TEID);
	assert_memory_equal(&s0, &s1, sizeof(s0));
}

static void
test_xdp_prog_upf_uplink_gate_closed_dropped_and_counted(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ .flags = XDP_UPF_UL_CLOSED });
	len = gpdu(f, 0x30, UPF_TEID, UPF_DEVICE, 60);
	assert_gate_drops(f, len);
}

static void
test_xdp_prog_upf_downlink_gate_closed_dropped_and_counted(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ .flags = XDP_UPF_DL_CLOSED });
	len = vxlan_frame_to(f, PEER_ADDR, UPF_DEVICE, 100, 0);
	assert_gate_drops(f, len);
}

/* What the socket path sends the gNB: GTP-U with a DL PDU Session Information carrying qfi. */
static size_t
expected_gtpu_psc(uint8_t *e, const uint8_t *inner, uint16_t inner_len, uint8_t qfi)
{
	uint16_t udp_len = (uint16_t)(8 + 16 + inner_len);
	uint32_t teid = htonl(UPF_PEER_TEID);
	size_t n = put_eth(e, sgsn_mac, v0_mac);

	n += put_ip(e + n, GTPU_ADDR, SGSN_ADDR, 17, (uint16_t)(20 + udp_len), 0x4000, 64);
	n += put_udp(e + n, 2152, 2152, udp_len);
	memset(e + n, 0, 16);
	e[n] = 0x34;
	e[n + 1] = 255;
	e[n + 2] = (uint8_t)((inner_len + 8) >> 8);
	e[n + 3] = (uint8_t)(inner_len + 8);
	memcpy(e + n + 4, &teid, 4);
	e[n + 11] = 0x85;
	e[n + 12] = 1;
	e[n + 14] = qfi;
	memcpy(e + n + 16, inner, inner_len);
	return n + 16 + inner_len;
}

static void
test_xdp_prog_upf_downlink_session_container_added(void **state)
{
	uint8_t f[256], e[256];
	size_t len, elen;
	struct xdp_session_counters before, after;
	struct run r;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ .flags = XDP_UPF_DL_QFI, .dl_qfi = 9 });
	len = vxlan_frame_to(f, PEER_ADDR, UPF_DEVICE, 100, 0);
	before = session_counted_of(UPF_TEID);
	r = run(f, len);
	elen = expected_gtpu_psc(e, f + 64, 100, 9);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	after = session_counted_of(UPF_TEID);
	assert_int_equal(after.down_packets, before.down_packets + 1);
	assert_int_equal(after.down_bytes, before.down_bytes + 100);
}

/*
 * 500 bits in a bucket no time refills: the first packet (60 octets, 480
 * bits) goes, the second is over the MBR, dropped and counted, and 20 bits
 * are left, as core/rules.c's bucket would leave them.
 */
static void
assert_mbr(const uint8_t *f, size_t len)
{
	uint64_t before = counter(XDP_CTR_DROPPED_PFCP_QER_MBR_EXCEEDED);
	struct run r = run(f, len);

	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(counter(XDP_CTR_DROPPED_PFCP_QER_MBR_EXCEEDED), before);
	r = run(f, len);
	assert_int_equal(r.verdict, XDP_DROP);
	assert_int_equal(counter(XDP_CTR_DROPPED_PFCP_QER_MBR_EXCEEDED), before + 1);
}

static void
test_xdp_prog_upf_uplink_over_mbr_dropped_and_counted(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ .ul = bucket_frozen(500) });
	len = gpdu(f, 0x30, UPF_TEID, UPF_DEVICE, 60);
	assert_mbr(f, len);
	assert_int_equal(get_upf().ul.tokens, 20);
}

static void
test_xdp_prog_upf_downlink_over_mbr_dropped_and_counted(void **state)
{
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ .dl = bucket_frozen(500) });
	len = vxlan_frame_to(f, PEER_ADDR, UPF_DEVICE, 60, 0);
	assert_mbr(f, len);
	assert_int_equal(get_upf().dl.tokens, 20);
}

/* A bucket last filled two seconds ago is full again: one second's worth, no more. */
static void
test_xdp_prog_upf_mbr_refills_to_one_second(void **state)
{
	struct xdp_bucket b = bucket_frozen(0);
	uint8_t f[256];
	size_t len;

	(void)state;
	need_kernel();
	b.last_ms -= 3600 * 1000 + 2000;
	set_upf((struct xdp_upf){ .ul = b });
	len = gpdu(f, 0x30, UPF_TEID, UPF_DEVICE, 60);
	assert_int_equal(run(f, len).verdict, XDP_TX);
	assert_int_equal(get_upf().ul.tokens, 8000 - 480);
}

/*
 * A peer reached through a gateway route (an SGSN's GTP-U address beyond its
 * link): the frame goes to the gateway's MAC, the datagram to the peer.
 */
static void
test_xdp_prog_downlink_peer_behind_a_gateway_keeps_its_address(void **state)
{
	struct xdp_session us = { .teid_be = htonl(UPF_TEID),
		.ip_be = UPF_DEVICE,
		.peer_teid_be = htonl(UPF_PEER_TEID),
		.peer_addr_be = IP4(203, 0, 113, 7),
		.flags = XDP_SESSION_F_UPF };
	uint32_t dev = UPF_DEVICE;
	uint8_t f[256], e[256];
	size_t len, elen;
	struct run r;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ 0 });
	assert_int_equal(
	    bpf_map_update_elem(bpf_map__fd(skel->maps.devices), &dev, &us, BPF_ANY), 0);
	len = vxlan_frame_to(f, PEER_ADDR, UPF_DEVICE, 100, 0);
	r = run(f, len);
	us.peer_addr_be = SGSN_ADDR;
	assert_int_equal(
	    bpf_map_update_elem(bpf_map__fd(skel->maps.devices), &dev, &us, BPF_ANY), 0);
	elen = expected_gtpu_to(e, f + 64, 100, UPF_PEER_TEID, IP4(203, 0, 113, 7));
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp_prog_uplink_gpdu_becomes_vxlan_to_the_peer),
		cmocka_unit_test(test_xdp_prog_uplink_with_sequence_number_same_vxlan),
		cmocka_unit_test(test_xdp_prog_uplink_extension_header_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_unknown_teid_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_inner_fragment_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_inner_options_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_lengths_disagree_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_spoofed_source_dropped_and_counted),
		cmocka_unit_test(test_xdp_prog_uplink_to_the_gateway_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_vxlan_becomes_gtpu_to_the_sgsn),
		cmocka_unit_test(test_xdp_prog_downlink_ethernet_padding_cut_off),
		cmocka_unit_test(test_xdp_prog_downlink_from_unknown_peer_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_broadcast_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_wrong_vni_passed_untouched),
		cmocka_unit_test(test_xdp_prog_upf_uplink_plain_gpdu_becomes_vxlan),
		cmocka_unit_test(test_xdp_prog_upf_uplink_session_container_parsed_becomes_vxlan),
		cmocka_unit_test(test_xdp_prog_upf_uplink_other_qfi_passed_untouched),
		cmocka_unit_test(test_xdp_prog_upf_uplink_longer_container_passed_untouched),
		cmocka_unit_test(
		    test_xdp_prog_uplink_session_container_on_gtp_bearer_passed_untouched),
		cmocka_unit_test(test_xdp_prog_upf_uplink_gate_closed_dropped_and_counted),
		cmocka_unit_test(test_xdp_prog_upf_downlink_gate_closed_dropped_and_counted),
		cmocka_unit_test(test_xdp_prog_upf_downlink_session_container_added),
		cmocka_unit_test(test_xdp_prog_upf_uplink_over_mbr_dropped_and_counted),
		cmocka_unit_test(test_xdp_prog_upf_downlink_over_mbr_dropped_and_counted),
		cmocka_unit_test(test_xdp_prog_upf_mbr_refills_to_one_second),
		cmocka_unit_test(test_xdp_prog_downlink_peer_behind_a_gateway_keeps_its_address),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
