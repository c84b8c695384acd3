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
#include <stdbool.h>
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

#include "core/session.h"
#include "fwd/xdp_abi.h"
#include "fwd/xdp_slots.h"
#include "io/clock.h"
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
#define DEVICE_B	IP4(10, 10, 0, 4) /* a second device, at the same SGSN */
#define TEID_B		0x21223344u
#define PEER_TEID_B	0x65667788u
#define LAN_A		IP4(192, 168, 60, 0) /* /24 behind the device */
#define LAN_B		IP4(192, 168, 70, 0) /* /24 behind the second device */
#define LAN_HELD	IP4(192, 168, 80, 0) /* /24 kept for a device not attached */
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
static struct xdp_slots slots; /* the session maps, mapped as the daemon maps them */
/* The sessions' slots, as the session table would have given them. */
#define SLOT	 1
#define SLOT_UPF 2
#define SLOT_B	 3
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

/* A route of the session table: addr/24 to the session of teid (0: held). */
static int
put_route(uint32_t net_be, uint32_t teid)
{
	struct xdp_route_key k = { .prefixlen = 24, .addr_be = net_be };
	struct xdp_route v = { .teid_be = teid != 0 ? htonl(teid) : 0 };

	return bpf_map_update_elem(bpf_map__fd(skel->maps.routes), &k, &v, BPF_ANY);
}

/* The second device's session, and the LANs behind both and one held. */
static int
fill_routes(void)
{
	struct xdp_session s = { .teid_be = htonl(TEID_B),
		.ip_be = DEVICE_B,
		.peer_teid_be = htonl(PEER_TEID_B),
		.peer_addr_be = SGSN_ADDR,
		.slot = SLOT_B };

	if (!xdp_slots_put(&slots, &s))
		return -1;
	return put_route(LAN_A, TEID) | put_route(LAN_B, TEID_B) | put_route(LAN_HELD, 0);
}

/* The maps as the daemon fills them: one session, one peer and its neighbour, the gate open. */
static int
fill_maps(void)
{
	struct xdp_session s = { .teid_be = htonl(TEID),
		.ip_be = DEVICE,
		.peer_teid_be = htonl(PEER_TEID),
		.peer_addr_be = SGSN_ADDR,
		.slot = SLOT };
	struct xdp_neighbor nb = { .outer_be = PEER_ADDR };
	struct xdp_conf c = { .gtpu_be = GTPU_ADDR,
		.gate_be = GATE_ADDR,
		.gateway_be = IP4(10, 10, 0, 1),
		.subnet_be = IP4(10, 10, 0, 0),
		.netmask_be = IP4(255, 255, 0, 0),
		.vni = VNI,
		.flags =
		    XDP_CONF_GATE_OPEN | XDP_CONF_ENABLED | XDP_CONF_FILTER | XDP_CONF_ROUTES };
	uint32_t peer = PEER_ADDR, in = PEER_IN, zero = 0;

	struct xdp_session us = { .teid_be = htonl(UPF_TEID),
		.ip_be = UPF_DEVICE,
		.peer_teid_be = htonl(UPF_PEER_TEID),
		.peer_addr_be = SGSN_ADDR,
		.flags = XDP_SESSION_F_UPF,
		.slot = SLOT_UPF };

	memcpy(nb.mac, peer_in_mac, 6);
	memcpy(c.mac, gate_mac, 6);
	if (!xdp_slots_put(&slots, &us) || !xdp_slots_put(&slots, &s))
		return -1;
	return bpf_map_update_elem(bpf_map__fd(skel->maps.peers), &peer, &in, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.neighbors), &in, &nb, BPF_ANY) |
	       bpf_map_update_elem(bpf_map__fd(skel->maps.conf), &zero, &c, BPF_ANY);
}

/* As the daemon loads it (fwd/xdp.c): the session maps sized, then mapped. */
static struct vpgd_xdp *
load(void)
{
	struct xdp_slots_geometry g;
	struct vpgd_xdp *p = vpgd_xdp__open();

	if (p == NULL || xdp_slots_geometry(16, &g) < 0)
		goto fail;
	/* A /29's worth in addr_slots: the devices above 10.10.0.7 are in the index. */
	xdp_slots_geometry_subnet(&g, IP4(10, 10, 0, 0), 29);
	if (xdp_slots_size(
		p->maps.slots, p->maps.teid_index, p->maps.addr_index, p->maps.addr_slots, &g) < 0)
		goto fail;
	p->rodata->index_mask = g.index_mask;
	p->rodata->teid_slot_mask = session_teid_slot_mask(16);
	p->rodata->addr_base = g.addr_base;
	p->rodata->addr_count = g.addr_count;
	if (vpgd_xdp__load(p) < 0 ||
	    xdp_slots_map(&slots, &g, bpf_map__fd(p->maps.slots), bpf_map__fd(p->maps.teid_index),
		bpf_map__fd(p->maps.addr_index), bpf_map__fd(p->maps.addr_slots)) < 0)
		goto fail;
	return p;
fail:
	vpgd_xdp__destroy(p);
	return NULL;
}

static int
group_setup(void **state)
{
	(void)state;
	if (netns() < 0) {
		fprintf(stderr, "no network namespace of our own (%s): skipped\n", strerror(errno));
		return 0; /* each test skips */
	}
	skel = load();
	if (skel == NULL)
		fprintf(stderr, "the kernel refuses the program (%s): skipped\n", strerror(errno));
	if (skel != NULL && (fill_maps() != 0 || fill_routes() != 0)) {
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
	xdp_slots_unmap(&slots);
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

/* An uplink G-PDU to dst; flags 0x30 plain, 0x32 with a sequence number, 0x34 with extensions. */
static size_t
gpdu_to(
    uint8_t *f, uint8_t flags, uint32_t teid, uint32_t inner_src, uint32_t dst, uint16_t inner_len)
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
	return n + put_inner(f + n, inner_src, dst, inner_len);
}

/* An uplink G-PDU to the gate peer's inner address. */
static size_t
gpdu(uint8_t *f, uint8_t flags, uint32_t teid, uint32_t inner_src, uint16_t inner_len)
{
	return gpdu_to(f, flags, teid, inner_src, PEER_IN, inner_len);
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
	static struct xdp_counters v[1024];
	uint64_t sum = 0;
	uint32_t zero = 0;

	assert_true(cpus > 0 && cpus <= 1024);
	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.counters), &zero, v), 0);
	for (int i = 0; i < cpus; i++)
		sum += v[i].c[c];
	return sum;
}

/* What XDP counted for a session, all CPUs: {up packets, up bytes, down packets, down bytes}. */
static struct xdp_session_counters
session_counted_of(uint32_t teid)
{
	struct xdp_session_counters sum;
	uint32_t slot = xdp_slots_find(&slots, slots.teid_index, htonl(teid));

	assert_int_not_equal(slot, 0);
	xdp_slots_counted(&slots, slot, &sum);
	return sum;
}

static struct xdp_session_counters
session_counted(void)
{
	return session_counted_of(TEID);
}

/* XDP's hits of routing filter rule i, all CPUs. */
static uint64_t
filter_hits(uint32_t i)
{
	uint64_t v[1024] = { 0 }, sum = 0;

	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.filter_hits), &i, v), 0);
	for (int c = 0; c < libbpf_num_possible_cpus(); c++)
		sum += v[c];
	return sum;
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

/*
 * A TEID whose low bits name its session's slot (every fresh TEID: core/session.h
 * session_alloc) is found there, with its index entry made a stranger's.
 */
static void
test_xdp_prog_uplink_teid_naming_its_slot_found_without_the_index(void **state)
{
	enum { SLOT_D = 6 };
	uint32_t teid = 0x5a5a5a00u | SLOT_D, mask = session_teid_slot_mask(16), i;
	struct xdp_session d = { .teid_be = htonl(teid),
		.ip_be = IP4(10, 10, 0, 77),
		.peer_teid_be = htonl(PEER_TEID),
		.peer_addr_be = SGSN_ADDR,
		.slot = SLOT_D };
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, teid, d.ip_be, 60);
	uint64_t up = counter(XDP_CTR_UPLINK_PACKETS), kept = 0;
	struct run r;

	(void)state;
	need_kernel();
	assert_int_equal(teid & mask, SLOT_D);
	assert_true(xdp_slots_put(&slots, &d));
	for (i = 0; i <= slots.index_mask; i++)
		if ((uint32_t)slots.teid_index[i] == d.teid_be) {
			kept = slots.teid_index[i];
			slots.teid_index[i] = 0xffffffffu; /* another key, no slot: the run stays */
			break;
		}
	assert_int_not_equal(kept, 0);
	assert_int_equal(xdp_slots_find(&slots, slots.teid_index, d.teid_be), 0);
	r = run(f, len);
	slots.teid_index[i] = kept;
	xdp_slots_clear(&slots, SLOT_D);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(counter(XDP_CTR_UPLINK_PACKETS), up + 1);
}

/* A TEID naming the slot of a session with another TEID, and in no index: no session. */
static void
test_xdp_prog_uplink_teid_naming_another_sessions_slot_passed_untouched(void **state)
{
	uint32_t teid = (TEID & ~session_teid_slot_mask(16)) ^ 0x01000000u;
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, teid | SLOT, DEVICE, 60);

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

/*
 * Devices inside addr_slots' addresses and beyond them (in the index) are
 * both found: each frame becomes GTP-U into its own device's tunnel.
 */
static void
test_xdp_prog_downlink_devices_in_addr_slots_and_in_the_index(void **state)
{
	enum { SLOT_D = 6 };
	struct xdp_session d = { .teid_be = htonl(0x0bad0000u | SLOT_D),
		.ip_be = IP4(10, 10, 0, 77),
		.peer_teid_be = htonl(0x99),
		.peer_addr_be = SGSN_ADDR,
		.slot = SLOT_D };
	uint8_t f[256], e[256];
	size_t len, elen;
	struct run r;

	(void)state;
	need_kernel();
	assert_true(xdp_slots_put(&slots, &d));
	assert_int_equal(xdp_slots_find(&slots, slots.addr_index, d.ip_be), SLOT_D);
	assert_int_equal(xdp_slots_find_addr(&slots, d.ip_be), SLOT_D);
	assert_int_equal(xdp_slots_find(&slots, slots.addr_index, DEVICE), 0);
	assert_int_equal(xdp_slots_find_addr(&slots, DEVICE), SLOT);
	len = vxlan_frame_to(f, PEER_ADDR, d.ip_be, 100, 0);
	r = run(f, len);
	xdp_slots_clear(&slots, SLOT_D);
	elen = expected_gtpu_to(e, f + 64, 100, 0x99, SGSN_ADDR);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	assert_int_equal(xdp_slots_find_addr(&slots, d.ip_be), 0);
	assert_downlink(100, 0);
}

/* Runs the uplink frame until its next hop's MAC is mac (at most a second): did it get there? */
static bool
uplink_reaches_mac(const uint8_t mac[6])
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60);
	uint64_t until = monotonic_ns() + 1000000000u;

	do {
		struct run r = run(f, len);

		if (r.verdict == XDP_TX && memcmp(r.out, mac, 6) == 0)
			return true;
	} while (monotonic_ns() < until);
	return false;
}

/*
 * The next hop is remembered for a tick or two (bpf/xdp_hops.h), not for
 * ever: a new neighbour MAC is used soon after the kernel has it.
 */
static void
test_xdp_prog_next_hop_change_applies_within_moments(void **state)
{
	static const uint8_t moved[6] = { 0x02, 0, 0, 0, 0, 0x33 };

	(void)state;
	need_kernel();
	assert_true(uplink_reaches_mac(peer_mac));
	assert_int_equal(sh("ip neigh replace 198.51.100.11 lladdr 02:00:00:00:00:33 dev v0 "
			    "nud permanent"),
	    0);
	assert_true(uplink_reaches_mac(moved));
	assert_int_equal(sh("ip neigh replace 198.51.100.11 lladdr 02:00:00:00:00:11 dev v0 "
			    "nud permanent"),
	    0);
	assert_true(uplink_reaches_mac(peer_mac));
}

/*
 * A datagram longer than the remembered next hop was checked for asks the
 * kernel again: past the route's MTU (locked: forwarding follows a route's
 * MTU only then, or with ip_forward_use_pmtu) it goes up for the socket path
 * to fragment or answer, though a shorter one to the same peer was just
 * forwarded.
 */
static void
test_xdp_prog_next_hop_longer_datagram_checks_the_mtu(void **state)
{
	uint8_t f[512];
	size_t len;
	uint8_t s[256];
	size_t slen = gpdu(s, 0x30, TEID, DEVICE, 60); /* 50 + 60 octets out */
	uint64_t until;
	struct run r;

	(void)state;
	need_kernel();
	assert_int_equal(
	    sh("ip route replace 198.51.100.0/24 dev v0 src 198.51.100.1 mtu lock 200"), 0);
	len = gpdu(f, 0x30, TEID, DEVICE, 160); /* 50 + 160 */
	/* What was remembered before the change goes within a tick or two. */
	until = monotonic_ns() + 1000000000u;
	while (run(f, len).verdict != XDP_PASS && monotonic_ns() < until)
		;

	/* Remembered afresh for 110 octets; 210 asks the kernel, which refuses them. */
	assert_int_equal(run(s, slen).verdict, XDP_TX);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_NO_NEIGHBOR);
	assert_int_equal(sh("ip route replace 198.51.100.0/24 dev v0 src 198.51.100.1"), 0);
	until = monotonic_ns() + 1000000000u;
	do
		r = run(f, len);
	while (r.verdict != XDP_TX && monotonic_ns() < until);
	assert_int_equal(r.verdict, XDP_TX);
}

/* A slot the daemon is writing (its count odd) is no session yet: both ways passed up. */
static void
test_xdp_prog_session_being_written_passed_untouched(void **state)
{
	uint8_t up[256], down[256];
	size_t up_len = gpdu(up, 0x30, TEID, DEVICE, 60);
	size_t down_len = vxlan_frame(down, PEER_ADDR, 100, 0);

	(void)state;
	need_kernel();
	slots.slots[SLOT].seq++;
	assert_passed_untouched(up, up_len, XDP_CTR_PASSED_NO_SESSION);
	assert_passed_untouched(down, down_len, XDP_CTR_PASSED_NO_SESSION);
	slots.slots[SLOT].seq++;
	assert_int_equal(run(up, up_len).verdict, XDP_TX); /* whole again: forwarded */
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

/*
 * What the socket path sends for a device's packet to another session
 * (fwd/uplink.c to_device): the inner packet, TTL one less and its checksum
 * made again, in a G-PDU to that session's peer F-TEID.
 */
static size_t
expected_routed(uint8_t *e, const uint8_t *inner, uint16_t inner_len, uint32_t peer_teid)
{
	uint8_t routed[256];
	uint32_t src, dst;

	memcpy(routed, inner, inner_len);
	memcpy(&src, inner + 12, 4);
	memcpy(&dst, inner + 16, 4);
	put_ip(routed, src, dst, inner[9], inner_len, 0, (uint8_t)(inner[8] - 1));
	return expected_gtpu_to(e, routed, inner_len, peer_teid, SGSN_ADDR);
}

/* The device's G-PDU to dst goes to the session of TEID_B, counted as the socket path counts it. */
static void
assert_routed_to_b(uint8_t flags, uint32_t src, uint32_t dst)
{
	uint8_t f[256], e[256];
	size_t len = gpdu_to(f, flags, TEID, src, dst, 60), inner = len - 60, elen;
	uint64_t d2d = counter(XDP_CTR_DEVICE_TO_DEVICE_PACKETS),
		 up = counter(XDP_CTR_UPLINK_PACKETS), down = counter(XDP_CTR_DOWNLINK_PACKETS),
		 gate = counter(XDP_CTR_DEVICE_TO_GATE_PACKETS);
	struct xdp_session_counters a0 = session_counted(), b0 = session_counted_of(TEID_B), a1, b1;
	struct run r = run(f, len);

	elen = expected_routed(e, f + inner, 60, PEER_TEID_B);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	assert_int_equal(counter(XDP_CTR_DEVICE_TO_DEVICE_PACKETS), d2d + 1);
	assert_int_equal(counter(XDP_CTR_UPLINK_PACKETS), up + 1);
	assert_int_equal(counter(XDP_CTR_DOWNLINK_PACKETS), down + 1);
	assert_int_equal(counter(XDP_CTR_DEVICE_TO_GATE_PACKETS), gate);
	a1 = session_counted();
	b1 = session_counted_of(TEID_B);
	assert_int_equal(a1.up_packets, a0.up_packets + 1);
	assert_int_equal(a1.up_bytes, a0.up_bytes + 60);
	assert_int_equal(a1.down_packets, a0.down_packets);
	assert_int_equal(b1.down_packets, b0.down_packets + 1);
	assert_int_equal(b1.down_bytes, b0.down_bytes + 60);
	assert_int_equal(b1.up_packets, b0.up_packets);
}

static void
test_xdp_prog_device_to_device_gtpu_to_the_other_session(void **state)
{
	(void)state;
	need_kernel();
	assert_routed_to_b(0x30, DEVICE, DEVICE_B);
}

static void
test_xdp_prog_device_to_device_sequence_number_cut(void **state)
{
	(void)state;
	need_kernel();
	assert_routed_to_b(0x32, DEVICE, DEVICE_B);
}

static void
test_xdp_prog_device_to_lan_behind_another_device(void **state)
{
	(void)state;
	need_kernel();
	assert_routed_to_b(0x30, DEVICE, LAN_B | IP4(0, 0, 0, 9));
}

/* A host of the device's own LAN sends through it: accepted, to the gate as from the device. */
static void
test_xdp_prog_lan_source_of_the_session_accepted(void **state)
{
	uint8_t f[256], e[256];
	size_t len = gpdu(f, 0x30, TEID, LAN_A | IP4(0, 0, 0, 5), 60), inner = len - 60, elen;
	uint64_t spoofed = counter(XDP_CTR_DROPPED_SPOOFED_SOURCE);
	struct run r;

	(void)state;
	need_kernel();
	r = run(f, len);
	elen = expected_vxlan(e, f + inner, 60);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	assert_int_equal(counter(XDP_CTR_DROPPED_SPOOFED_SOURCE), spoofed);
}

static void
assert_spoof_dropped(uint32_t src)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, src, 60);
	uint64_t before = counter(XDP_CTR_DROPPED_SPOOFED_SOURCE),
		 up = counter(XDP_CTR_UPLINK_PACKETS);
	struct run r = run(f, len);

	assert_int_equal(r.verdict, XDP_DROP);
	assert_int_equal(counter(XDP_CTR_DROPPED_SPOOFED_SOURCE), before + 1);
	assert_int_equal(counter(XDP_CTR_UPLINK_PACKETS), up);
}

/* Another device's LAN, another device's address, a held LAN: not the session's to send from. */
static void
test_xdp_prog_lan_source_of_another_session_dropped(void **state)
{
	(void)state;
	need_kernel();
	assert_spoof_dropped(LAN_B | IP4(0, 0, 0, 5));
	assert_spoof_dropped(DEVICE_B);
	assert_spoof_dropped(LAN_HELD | IP4(0, 0, 0, 5));
	assert_spoof_dropped(IP4(192, 168, 61, 5));
}

/* The LAN of a device not attached: the socket path drops and counts it. */
static void
test_xdp_prog_held_lan_destination_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu_to(f, 0x30, TEID, DEVICE, LAN_HELD | IP4(0, 0, 0, 9), 60);

	(void)state;
	need_kernel();
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
}

/* The socket path drops and counts an expiring TTL (and answers nothing): it gets the packet. */
static void
test_xdp_prog_device_to_device_ttl_one_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu_to(f, 0x30, TEID, DEVICE, DEVICE_B, 60), inner = len - 60;

	(void)state;
	need_kernel();
	put_ip(f + inner, DEVICE, DEVICE_B, 17, 60, 0, 1);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
}

static void
set_conf_flags(uint32_t set, uint32_t clear)
{
	struct xdp_conf c;
	uint32_t zero = 0;
	int fd = bpf_map__fd(skel->maps.conf);

	assert_int_equal(bpf_map_lookup_elem(fd, &zero, &c), 0);
	c.flags = (c.flags | set) & ~clear;
	assert_int_equal(bpf_map_update_elem(fd, &zero, &c, BPF_ANY), 0);
}

static void
test_xdp_prog_device_to_device_privacy_separator_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu_to(f, 0x30, TEID, DEVICE, DEVICE_B, 60);

	(void)state;
	need_kernel();
	set_conf_flags(XDP_CONF_PRIVACY_SEPARATOR, 0);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
	set_conf_flags(0, XDP_CONF_PRIVACY_SEPARATOR);
}

/* A capture of the other device (its session slow): its downlink copy is the socket path's. */
static void
test_xdp_prog_device_to_slow_device_passed_untouched(void **state)
{
	struct xdp_session b;
	uint8_t f[256];
	size_t len = gpdu_to(f, 0x30, TEID, DEVICE, DEVICE_B, 60);

	(void)state;
	need_kernel();
	b = slots.slots[SLOT_B].s;
	b.flags = XDP_SESSION_F_SLOW;
	assert_true(xdp_slots_put(&slots, &b));
	assert_passed_untouched(f, len, XDP_CTR_PASSED_SLOW_PATH);
	b.flags = 0;
	assert_true(xdp_slots_put(&slots, &b));
}

/* A gate host's packet for the LAN behind the second device: GTP-U to that session. */
static void
test_xdp_prog_downlink_to_lan_behind_a_device(void **state)
{
	uint8_t f[256], e[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0), elen;
	uint32_t dst = LAN_B | IP4(0, 0, 0, 9);
	struct xdp_session_counters b0 = session_counted_of(TEID_B), b1;
	struct run r;

	(void)state;
	need_kernel();
	put_ip(f + 64, PEER_IN, dst, 17, 100, 0, 64);
	r = run(f, len);
	elen = expected_gtpu_to(e, f + 64, 100, PEER_TEID_B, SGSN_ADDR);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	b1 = session_counted_of(TEID_B);
	assert_int_equal(b1.down_packets, b0.down_packets + 1);
	assert_int_equal(b1.down_bytes, b0.down_bytes + 100);
}

/*
 * The routes' trie is looked up only while conf says it may hold entries
 * (fwd/xdp.c sets XDP_CONF_ROUTES before the first goes in): without it, a
 * frame for a LAN behind a device is no device's, and goes up.
 */
static void
test_xdp_prog_routes_unannounced_not_looked_up(void **state)
{
	uint8_t f[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0);

	(void)state;
	need_kernel();
	put_ip(f + 64, PEER_IN, LAN_B | IP4(0, 0, 0, 9), 17, 100, 0, 64);
	set_conf_flags(0, XDP_CONF_ROUTES);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_NO_SESSION);
	set_conf_flags(XDP_CONF_ROUTES, 0);
	assert_int_equal(run(f, len).verdict, XDP_TX);
}

static void
test_xdp_prog_downlink_to_held_lan_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0);

	(void)state;
	need_kernel();
	put_ip(f + 64, PEER_IN, LAN_HELD | IP4(0, 0, 0, 9), 17, 100, 0, 64);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
}

static void
put_filter(uint32_t net_be, uint32_t prefix, uint32_t verdict, uint32_t rule)
{
	struct xdp_filter_key k = { .prefixlen = prefix, .addr_be = net_be };
	struct xdp_filter_value v = { .verdict = verdict, .rule = rule };

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(skel->maps.filter), &k, &v, BPF_ANY), 0);
}

static void
del_filter(uint32_t net_be, uint32_t prefix)
{
	struct xdp_filter_key k = { .prefixlen = prefix, .addr_be = net_be };

	assert_int_equal(bpf_map_delete_elem(bpf_map__fd(skel->maps.filter), &k), 0);
}

/*
 * What XDP forwards counts in the hits of the rule the trie names, to the
 * gate and to another device; a denial is the socket path's to count.
 */
static void
test_xdp_prog_filter_hit_counted_for_its_rule(void **state)
{
	uint8_t f[256];
	size_t len;
	uint64_t h3, h5;

	(void)state;
	need_kernel();
	put_filter(IP4(10, 10, 10, 0), 24, XDP_FILTER_ALLOW, 3);
	put_filter(IP4(10, 10, 0, 0), 29, XDP_FILTER_ALLOW, 5);
	h3 = filter_hits(3);
	h5 = filter_hits(5);
	assert_uplink_to_peer(0x30);
	assert_int_equal(filter_hits(3), h3 + 1);
	assert_routed_to_b(0x30, DEVICE, DEVICE_B);
	assert_int_equal(filter_hits(5), h5 + 1);
	assert_int_equal(filter_hits(3), h3 + 1);
	put_filter(IP4(10, 10, 10, 0), 24, XDP_FILTER_DENY, 3);
	len = gpdu(f, 0x30, TEID, DEVICE, 60);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_DECISION);
	assert_int_equal(filter_hits(3), h3 + 1);
	del_filter(IP4(10, 10, 10, 0), 24);
	del_filter(IP4(10, 10, 0, 0), 29);
}

/* The PEER_IN neighbour's entry as the program left it. */
static struct xdp_neighbor
peer_in_entry(void)
{
	struct xdp_neighbor nb;
	uint32_t in = PEER_IN;

	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.neighbors), &in, &nb), 0);
	return nb;
}

/* What XDP took from a neighbour and sent to one is stamped there for the gate's ageing. */
static void
test_xdp_prog_neighbour_stamped_when_heard_and_used(void **state)
{
	struct xdp_neighbor nb;

	(void)state;
	need_kernel();
	assert_downlink(100, 0);
	nb = peer_in_entry();
	assert_true(nb.heard_ns > 0);
	assert_uplink_to_peer(0x30);
	nb = peer_in_entry();
	assert_true(nb.used_ns > 0);
	assert_memory_equal(nb.mac, peer_in_mac, 6);
	assert_int_equal(nb.outer_be, PEER_ADDR);
}

/* A neighbour's address from another MAC: the socket path must see it (glean, MAC learning). */
static void
test_xdp_prog_downlink_neighbour_with_another_mac_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0);

	(void)state;
	need_kernel();
	f[61] = 0x99; /* inner source MAC 02:00:00:00:00:99 */
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNKNOWN_SENDER);
}

/* A neighbour's address and MAC through another registered peer: it moved, user space learns. */
static void
test_xdp_prog_downlink_neighbour_through_another_peer_passed_untouched(void **state)
{
	uint32_t other = IP4(198, 51, 100, 12), inner = IP4(10, 10, 10, 12);
	uint8_t f[256];
	size_t len = vxlan_frame(f, other, 100, 0);

	(void)state;
	need_kernel();
	assert_int_equal(
	    bpf_map_update_elem(bpf_map__fd(skel->maps.peers), &other, &inner, BPF_ANY), 0);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNKNOWN_SENDER);
	assert_int_equal(bpf_map_delete_elem(bpf_map__fd(skel->maps.peers), &other), 0);
}

/*
 * What a peer routes (a source beyond it, not a neighbour) comes from the
 * peer's own MAC: carried; from any other MAC, passed up to be learnt.
 */
static void
test_xdp_prog_downlink_routed_by_the_peer_from_its_mac_only(void **state)
{
	uint8_t f[256], e[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0), elen;
	struct run r;

	(void)state;
	need_kernel();
	put_ip(f + 64, IP4(10, 0, 0, 10), DEVICE, 17, 100, 0, 64);
	r = run(f, len);
	elen = expected_gtpu(e, f + 64, 100);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(r.out_len, elen);
	assert_memory_equal(r.out, e, elen);
	f[61] = 0x99;
	assert_passed_untouched(f, len, XDP_CTR_PASSED_UNKNOWN_SENDER);
}

/* ---------------------------------------------------------------- Inspection's flows */

/* The program's settings with Inspection on or off. */
static void
set_inspect(bool on)
{
	struct xdp_conf c;
	uint32_t zero = 0;
	int fd = bpf_map__fd(skel->maps.conf);

	assert_int_equal(bpf_map_lookup_elem(fd, &zero, &c), 0);
	c.flags = on ? c.flags | XDP_CONF_INSPECT : c.flags & ~(uint32_t)XDP_CONF_INSPECT;
	assert_int_equal(bpf_map_update_elem(fd, &zero, &c, BPF_ANY), 0);
}

/* The key put_inner's UDP packet from src to dst has (40000 -> 5001), in direction dir. */
static struct xdp_flow_key
udp_flow(uint32_t src, uint32_t dst, uint8_t dir)
{
	return (struct xdp_flow_key){ .saddr_be = src,
		.daddr_be = dst,
		.sport_be = htons(40000),
		.dport_be = htons(5001),
		.proto = 17,
		.dir = dir };
}

static void
hand_over(const struct xdp_flow_key *k)
{
	struct xdp_flow_stats zero = { 0 };

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(skel->maps.flows), k, &zero, BPF_ANY), 0);
}

static struct xdp_flow_stats
flow_counted(const struct xdp_flow_key *k)
{
	struct xdp_flow_stats v = { 0 };

	assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.flows), k, &v), 0);
	return v;
}

static void
forget(const struct xdp_flow_key *k)
{
	assert_int_equal(bpf_map_delete_elem(bpf_map__fd(skel->maps.flows), k), 0);
}

static void
test_xdp_prog_inspection_flow_not_handed_over_passed_untouched(void **state)
{
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60);
	uint64_t up = counter(XDP_CTR_UPLINK_PACKETS);

	(void)state;
	need_kernel();
	set_inspect(true);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_INSPECTION);
	len = vxlan_frame(f, PEER_ADDR, 100, 0);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_INSPECTION);
	assert_int_equal(counter(XDP_CTR_UPLINK_PACKETS), up);
	set_inspect(false);
}

/* Handed over: forwarded exactly as without Inspection, and counted in its own direction. */
static void
test_xdp_prog_inspection_handed_over_flow_forwarded_and_counted_per_direction(void **state)
{
	struct xdp_flow_key upk = udp_flow(DEVICE, PEER_IN, 0),
			    downk = udp_flow(PEER_IN, DEVICE, 1);
	uint64_t inspected = counter(XDP_CTR_INSPECTED_PACKETS);
	struct xdp_flow_stats u, d;

	(void)state;
	need_kernel();
	set_inspect(true);
	hand_over(&upk);
	hand_over(&downk);
	assert_uplink_to_peer(0x30); /* 60 octets: the exact VXLAN frame */
	assert_uplink_to_peer(0x32);
	u = flow_counted(&upk);
	d = flow_counted(&downk);
	assert_int_equal(u.packets, 2);
	assert_int_equal(u.bytes, 120);
	assert_true(u.last_ns > 0);
	assert_int_equal(d.packets, 0);
	assert_downlink(100, 0); /* the exact GTP-U frame */
	assert_downlink(30, 16); /* Ethernet padding is not the flow's */
	d = flow_counted(&downk);
	assert_int_equal(d.packets, 2);
	assert_int_equal(d.bytes, 130);
	assert_int_equal(flow_counted(&upk).packets, 2);
	assert_int_equal(counter(XDP_CTR_INSPECTED_PACKETS), inspected + 4);
	forget(&upk);
	forget(&downk);
	set_inspect(false);
}

/* A flow handed over in one direction carries nothing the other way: that is a flow of its own. */
static void
test_xdp_prog_inspection_reverse_direction_not_handed_over_passed(void **state)
{
	struct xdp_flow_key upk = udp_flow(DEVICE, PEER_IN, 0);
	uint8_t f[256];
	size_t len = vxlan_frame(f, PEER_ADDR, 100, 0);

	(void)state;
	need_kernel();
	set_inspect(true);
	hand_over(&upk);
	assert_passed_untouched(f, len, XDP_CTR_PASSED_INSPECTION);
	assert_int_equal(flow_counted(&upk).packets, 0);
	forget(&upk);
	set_inspect(false);
}

/* The inner packet of frame f (at inner) made protocol proto, its header checksum right. */
static void
set_proto(uint8_t *f, size_t inner, uint8_t proto)
{
	uint16_t sum;

	f[inner + 9] = proto;
	f[inner + 10] = f[inner + 11] = 0;
	sum = htons(inet_checksum(f + inner, 20));
	memcpy(f + inner + 10, &sum, 2);
}

/* A TCP segment's flags word joins the entry's (RFC 7125), the ports as the key has them. */
static void
test_xdp_prog_inspection_tcp_flags_joined(void **state)
{
	struct xdp_flow_key k = udp_flow(DEVICE, PEER_IN, 0);
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60), inner = len - 60;
	struct run r;

	(void)state;
	need_kernel();
	/* The same packet as TCP (20 octets of header), ACK and PSH. */
	set_proto(f, inner, 6);
	f[inner + 20 + 12] = 5 << 4;
	f[inner + 20 + 13] = 0x18;
	k.proto = 6;
	set_inspect(true);
	hand_over(&k);
	r = run(f, len);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(flow_counted(&k).packets, 1);
	assert_int_equal(flow_counted(&k).tcp_flags, 0x18);
	forget(&k);
	set_inspect(false);
}

/* ICMP: no source port, type and code where the destination port goes (inspect.c's key_of). */
static void
test_xdp_prog_inspection_icmp_keyed_by_type_and_code(void **state)
{
	struct xdp_flow_key k = { .saddr_be = DEVICE, .daddr_be = PEER_IN, .proto = 1 };
	uint8_t f[256];
	size_t len = gpdu(f, 0x30, TEID, DEVICE, 60), inner = len - 60;
	struct run r;

	(void)state;
	need_kernel();
	set_proto(f, inner, 1);
	f[inner + 20] = 8; /* echo request, code 0 */
	f[inner + 21] = 0;
	k.dport_be = htons(8 << 8);
	set_inspect(true);
	hand_over(&k);
	r = run(f, len);
	assert_int_equal(r.verdict, XDP_TX);
	assert_int_equal(flow_counted(&k).packets, 1);
	assert_int_equal(flow_counted(&k).bytes, 60);
	forget(&k);
	set_inspect(false);
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
		.flags = XDP_SESSION_F_UPF,
		.slot = SLOT_UPF };
	uint8_t f[256], e[256];
	size_t len, elen;
	struct run r;

	(void)state;
	need_kernel();
	set_upf((struct xdp_upf){ 0 });
	assert_true(xdp_slots_put(&slots, &us));
	len = vxlan_frame_to(f, PEER_ADDR, UPF_DEVICE, 100, 0);
	r = run(f, len);
	us.peer_addr_be = SGSN_ADDR;
	assert_true(xdp_slots_put(&slots, &us));
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
		cmocka_unit_test(test_xdp_prog_uplink_teid_naming_its_slot_found_without_the_index),
		cmocka_unit_test(test_xdp_prog_downlink_devices_in_addr_slots_and_in_the_index),
		cmocka_unit_test(test_xdp_prog_next_hop_change_applies_within_moments),
		cmocka_unit_test(test_xdp_prog_routes_unannounced_not_looked_up),
		cmocka_unit_test(test_xdp_prog_next_hop_longer_datagram_checks_the_mtu),
		cmocka_unit_test(
		    test_xdp_prog_uplink_teid_naming_another_sessions_slot_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_inner_fragment_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_inner_options_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_lengths_disagree_passed_untouched),
		cmocka_unit_test(test_xdp_prog_uplink_spoofed_source_dropped_and_counted),
		cmocka_unit_test(test_xdp_prog_uplink_to_the_gateway_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_vxlan_becomes_gtpu_to_the_sgsn),
		cmocka_unit_test(test_xdp_prog_downlink_ethernet_padding_cut_off),
		cmocka_unit_test(test_xdp_prog_session_being_written_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_from_unknown_peer_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_broadcast_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_wrong_vni_passed_untouched),
		cmocka_unit_test(test_xdp_prog_device_to_device_gtpu_to_the_other_session),
		cmocka_unit_test(test_xdp_prog_device_to_device_sequence_number_cut),
		cmocka_unit_test(test_xdp_prog_device_to_lan_behind_another_device),
		cmocka_unit_test(test_xdp_prog_lan_source_of_the_session_accepted),
		cmocka_unit_test(test_xdp_prog_lan_source_of_another_session_dropped),
		cmocka_unit_test(test_xdp_prog_held_lan_destination_passed_untouched),
		cmocka_unit_test(test_xdp_prog_device_to_device_ttl_one_passed_untouched),
		cmocka_unit_test(test_xdp_prog_device_to_device_privacy_separator_passed_untouched),
		cmocka_unit_test(test_xdp_prog_device_to_slow_device_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_to_lan_behind_a_device),
		cmocka_unit_test(test_xdp_prog_downlink_to_held_lan_passed_untouched),
		cmocka_unit_test(test_xdp_prog_filter_hit_counted_for_its_rule),
		cmocka_unit_test(test_xdp_prog_neighbour_stamped_when_heard_and_used),
		cmocka_unit_test(
		    test_xdp_prog_downlink_neighbour_with_another_mac_passed_untouched),
		cmocka_unit_test(
		    test_xdp_prog_downlink_neighbour_through_another_peer_passed_untouched),
		cmocka_unit_test(test_xdp_prog_downlink_routed_by_the_peer_from_its_mac_only),
		cmocka_unit_test(test_xdp_prog_inspection_flow_not_handed_over_passed_untouched),
		cmocka_unit_test(
		    test_xdp_prog_inspection_handed_over_flow_forwarded_and_counted_per_direction),
		cmocka_unit_test(test_xdp_prog_inspection_reverse_direction_not_handed_over_passed),
		cmocka_unit_test(test_xdp_prog_inspection_tcp_flags_joined),
		cmocka_unit_test(test_xdp_prog_inspection_icmp_keyed_by_type_and_code),
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
