/*
 * Figure 12's XDP tools (bench/fastpath), on libbpf with the programs of
 * bench/bpf/ embedded as skeletons.
 *
 * send: the live-frames generator. It runs bench/bpf/xgen.bpf.c through
 * BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES, ingress_ifindex the
 * generator's veth, so that every frame the program writes leaves by
 * XDP_TX on that veth towards the gateway: uplink G-PDUs (Eth/IPv4/UDP
 * 2152/GTP-U/inner IPv4 UDP) or, with -V, downlink VXLAN frames
 * (Eth/IPv4/UDP 4789/VXLAN/Eth/inner IPv4 UDP), INNER_LEN octets of inner
 * packet, the sessions of a file ("TEID ADDRESS" a line, as bench/gtpc.c
 * writes them) taken round robin, pinned to one CPU, bounded in frames and
 * seconds. It prints "sent N seconds S pps P fresh F" (F: frames the kernel
 * copied into a new page, see bench/bpf/xgen.bpf.c).
 *
 *   xgen send -I IFACE -s SRC_IP -d DST_IP -M DST_MAC -m SRC_MAC -f SESSIONS
 *             -z INNER_LEN -n COUNT -t SECONDS [-c CPU] [-b BATCH]
 *             [-D INNER_DST_IP:PORT] [-V VNI -E INNER_DST_MAC -e INNER_SRC_MAC
 *             -S INNER_SRC_IP]
 *
 * sink: attaches bench/bpf/xsink.bpf.c to IFACE, prints "ready map ID" (its
 * counters) and holds it for SECONDS or until signalled.
 * count: prints "packets N bytes B" of a sink's counters, every CPU's.
 *
 *   xgen sink -I IFACE -t SECONDS
 *   xgen count MAP_ID
 *
 * bare: the reference forwarder bench/bpf/xbare.bpf.c on the gateway's two
 * veths, its maps filled from the sessions file (uplink by TEID to the gate
 * neighbour NEIGH_MAC behind PEER_IP; downlink by the device's address to
 * SGSN_IP, the session's TEID standing in for the SGSN's), held for SECONDS
 * or until signalled; it prints "ready".
 *
 *   xgen bare -U UP_IFACE -G GATE_IFACE -f SESSIONS -t SECONDS
 *             -A UP_NEXT_MAC -g GATE_IP -p PEER_IP -N NEIGH_MAC -w GATE_MAC -V VNI
 *             -B DOWN_NEXT_MAC -u GTPU_IP -P SGSN_IP
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/xbench.h"
#include "util.h"
#include "xbare.skel.h"
#include "xgen.skel.h"
#include "xsink.skel.h"

#define MAXLEN	   1500
#define CHUNK	   65536 /* frames a BPF_PROG_RUN call: some 10 ms at the rates seen here */
#define GTPU_PORT  2152
#define VXLAN_PORT 4789

struct frame_spec {
	struct in_addr src, dst, inner_src, inner_dst;
	uint16_t inner_port;
	uint8_t dmac[6], smac[6], inner_dmac[6], inner_smac[6];
	long vni; /* -1: uplink G-PDUs */
	long len; /* the inner IPv4 packet */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
parse_ip(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -1;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
ip_checksum(const uint8_t *p)
{
	uint32_t s = 0;

	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint8_t *
put_eth(uint8_t *p, const uint8_t dmac[6], const uint8_t smac[6])
{
	memcpy(p, dmac, 6);
	memcpy(p + 6, smac, 6);
	put16(p + 12, 0x0800);
	return p + 14;
}

/* An IPv4 header (no options, DF) for a UDP datagram of udp_len octets. */
static uint8_t *
put_ip(uint8_t *p, struct in_addr src, struct in_addr dst, long udp_len)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + udp_len));
	put16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	put16(p + 10, ip_checksum(p));
	return p + 20;
}

static uint8_t *
put_udp(uint8_t *p, uint16_t sport, uint16_t dport, long len)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, (uint16_t)len);
	put16(p + 6, 0); /* none, as over IPv4 it may be */
	return p + 8;
}

/* The inner IPv4/UDP packet of spec->len octets; the program fills in the session's address. */
static void
put_inner(uint8_t *p, const struct frame_spec *spec)
{
	struct in_addr none = { 0 };
	bool up = spec->vni < 0;

	p = put_ip(p, up ? none : spec->inner_src, up ? spec->inner_dst : none, spec->len - 20);
	p = put_udp(p, 40000, spec->inner_port, spec->len - 20);
	for (long k = 28; k < spec->len; k++)
		p[k - 28] = (uint8_t)k;
}

/* The whole first frame, as the generator's program will rewrite it; its length. */
static size_t
build_frame(uint8_t *f, const struct frame_spec *spec)
{
	long len = spec->len;
	uint8_t *p = put_eth(f, spec->dmac, spec->smac);

	if (spec->vni < 0) {
		p = put_ip(p, spec->src, spec->dst, 8 + 8 + len);
		p = put_udp(p, GTPU_PORT, GTPU_PORT, 8 + 8 + len);
		p[0] = 0x30; /* TS 29.281 §5.1: version 1, PT 1, no optional field */
		p[1] = 0xff; /* G-PDU */
		put16(p + 2, (uint16_t)len);
		memset(p + 4, 0, 4);
		p += 8;
	} else {
		p = put_ip(p, spec->src, spec->dst, 8 + 8 + 14 + len);
		p = put_udp(p, 49152, VXLAN_PORT, 8 + 8 + 14 + len);
		memset(p, 0, 8);
		p[0] = 0x08; /* RFC 7348 §5: I set */
		p[4] = (uint8_t)(spec->vni >> 16);
		p[5] = (uint8_t)(spec->vni >> 8);
		p[6] = (uint8_t)spec->vni;
		p = put_eth(p + 8, spec->inner_dmac, spec->inner_smac);
	}
	put_inner(p, spec);
	f[XGEN_MARK_OFF] = XGEN_MARK;
	return (size_t)(p + len - f);
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: xgen send -I IFACE -s SRC_IP -d DST_IP -M DST_MAC -m SRC_MAC -f SESSIONS\n"
	    "                 -z INNER_LEN -n COUNT -t SECONDS [-c CPU] [-b BATCH]\n"
	    "                 [-D INNER_DST_IP:PORT] [-V VNI -E INNER_DST_MAC -e INNER_SRC_MAC\n"
	    "                 -S INNER_SRC_IP]\n"
	    "       xgen sink -I IFACE -t SECONDS\n"
	    "       xgen count MAP_ID\n"
	    "       xgen bare -U UP_IFACE -G GATE_IFACE -f SESSIONS -t SECONDS -A UP_NEXT_MAC\n"
	    "                 -g GATE_IP -p PEER_IP -N NEIGH_MAC -w GATE_MAC -V VNI\n"
	    "                 -B DOWN_NEXT_MAC -u GTPU_IP -P SGSN_IP\n");
	return 2;
}

static int
parse_inner_dst(const char *s, struct frame_spec *spec)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	long port = colon ? atol(colon + 1) : 9;

	if (n >= sizeof(host) || port <= 0 || port > 65535)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	spec->inner_port = (uint16_t)port;
	return parse_ip(host, &spec->inner_dst);
}

static void
pin(long cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET((int)cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		perror("xgen: sched_setaffinity");
}

static uint64_t
percpu_sum(int fd, uint32_t key)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t *v, sum = 0;

	if (cpus <= 0 || (v = calloc((size_t)cpus, sizeof(*v))) == NULL)
		return 0;
	if (bpf_map_lookup_elem(fd, &key, v) == 0)
		for (int c = 0; c < cpus; c++)
			sum += v[c];
	free(v);
	return sum;
}

/* The program loaded, its sessions and frame template in its maps. */
static struct xgen_bpf *
load_generator(
    const struct frame_spec *spec, const uint8_t *frame, const struct bench_session *ss, size_t n)
{
	struct xgen_conf conf = { .n_sessions = (uint32_t)n, .downlink = spec->vni >= 0 };
	struct xgen_bpf *skel = xgen_bpf__open();
	uint32_t zero = 0;

	if (skel == NULL)
		return NULL;
	bpf_map__set_max_entries(skel->maps.xgen_sessions, (uint32_t)n);
	if (xgen_bpf__load(skel) < 0)
		goto fail;
	memcpy(conf.hdr, frame, XGEN_HDR_LEN);
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.xgen_conf), &zero, &conf, BPF_ANY) < 0)
		goto fail;
	for (uint32_t i = 0; i < n; i++) {
		struct xgen_session v = { htonl(ss[i].teid), ss[i].addr_be };

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.xgen_sessions), &i, &v, BPF_ANY) < 0)
			goto fail;
	}
	return skel;
fail:
	perror("xgen: loading the generator");
	xgen_bpf__destroy(skel);
	return NULL;
}

/*
 * CHUNK frames a call until COUNT or SECONDS: the kernel runs them in
 * batches of BATCH, each batch's frames sent before the next is made.
 */
static long
offer(struct xgen_bpf *skel, int ifindex, const uint8_t *frame, size_t len, long count,
    double seconds, long batch, double *elapsed)
{
	struct xdp_md md = { .data_end = (uint32_t)len, .ingress_ifindex = (uint32_t)ifindex };
	int prog = bpf_program__fd(skel->progs.xgen);
	double t0 = now_s(), deadline = t0 + seconds;
	long sent = 0;

	while (sent < count && now_s() < deadline) {
		long n = count - sent < CHUNK ? count - sent : CHUNK;
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (uint32_t)len,
		    .ctx_in = &md, .ctx_size_in = sizeof(md), .repeat = (int)n,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = (uint32_t)batch);

		if (bpf_prog_test_run_opts(prog, &o) < 0) {
			perror("xgen: BPF_PROG_RUN");
			break;
		}
		sent += n;
	}
	*elapsed = now_s() - t0;
	return sent;
}

static int
send_opt(int opt, const char *arg, struct frame_spec *spec)
{
	switch (opt) {
	case 's':
		return parse_ip(arg, &spec->src);
	case 'd':
		return parse_ip(arg, &spec->dst);
	case 'M':
		return bench_parse_mac(arg, spec->dmac);
	case 'm':
		return bench_parse_mac(arg, spec->smac);
	case 'D':
		return parse_inner_dst(arg, spec);
	case 'V':
		spec->vni = atol(arg);
		return spec->vni < 0 || spec->vni > 0xffffff ? -1 : 0;
	case 'E':
		return bench_parse_mac(arg, spec->inner_dmac);
	case 'e':
		return bench_parse_mac(arg, spec->inner_smac);
	case 'S':
		return parse_ip(arg, &spec->inner_src);
	case 'z':
		spec->len = atol(arg);
		return 0;
	}
	return -1;
}

static int
do_send(int argc, char **argv)
{
	static uint8_t frame[MAXLEN + 64];
	struct frame_spec spec = { .vni = -1, .len = 64, .inner_port = 9 };
	const char *iface = NULL, *file = NULL;
	long count = 0, cpu = 0, batch = 64;
	double seconds = 0, elapsed;
	struct bench_session *ss;
	struct xgen_bpf *skel;
	size_t n, len;
	int opt, ifindex;

	parse_inner_dst("10.0.0.10:9", &spec);
	while ((opt = getopt(argc, argv, "I:s:d:M:m:f:z:n:t:c:b:D:V:E:e:S:")) != -1) {
		if (opt == 'I')
			iface = optarg;
		else if (opt == 'f')
			file = optarg;
		else if (opt == 'n')
			count = atol(optarg);
		else if (opt == 't')
			seconds = atof(optarg);
		else if (opt == 'c')
			cpu = atol(optarg);
		else if (opt == 'b')
			batch = atol(optarg);
		else if (send_opt(opt, optarg, &spec) < 0)
			return usage();
	}
	/* The smallest frame must reach past XGEN_MARK_OFF; the largest fit a page. */
	if (iface == NULL || file == NULL || count <= 0 || seconds <= 0 || batch < 1 ||
	    batch > 256 || spec.len < 64 || spec.len > MAXLEN)
		return usage();
	ifindex = (int)if_nametoindex(iface);
	ss = bench_load_sessions(file, &n);
	if (ifindex == 0 || ss == NULL || n == 0) {
		fprintf(stderr, "xgen: no interface %s or no sessions in %s\n", iface, file);
		return 1;
	}
	len = build_frame(frame, &spec);
	skel = load_generator(&spec, frame, ss, n);
	free(ss);
	if (skel == NULL)
		return 1;
	pin(cpu);
	count = offer(skel, ifindex, frame, len, count, seconds, batch, &elapsed);
	printf("sent %ld seconds %.6f pps %.0f fresh %llu\n", count, elapsed,
	    elapsed > 0 ? (double)count / elapsed : 0.0,
	    (unsigned long long)percpu_sum(bpf_map__fd(skel->maps.xgen_stats), XGEN_FRESH));
	xgen_bpf__destroy(skel);
	return count > 0 ? 0 : 1;
}

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Until SECONDS pass or a signal comes: the links go when the process does. */
static void
hold(double seconds)
{
	double deadline = now_s() + seconds;
	struct timespec tick = { 0, 50 * 1000 * 1000 };

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop && now_s() < deadline)
		nanosleep(&tick, NULL);
}

static int
do_sink(int argc, char **argv)
{
	const char *iface = NULL;
	double seconds = 0;
	struct xsink_bpf *skel;
	struct bpf_map_info info;
	uint32_t info_len = sizeof(info);
	int opt, ifindex;

	while ((opt = getopt(argc, argv, "I:t:")) != -1) {
		if (opt == 'I')
			iface = optarg;
		else if (opt == 't')
			seconds = atof(optarg);
		else
			return usage();
	}
	if (iface == NULL || seconds <= 0 || (ifindex = (int)if_nametoindex(iface)) == 0)
		return usage();
	skel = xsink_bpf__open_and_load();
	if (skel == NULL || bpf_program__attach_xdp(skel->progs.xsink, ifindex) == NULL) {
		fprintf(stderr, "xgen: cannot attach the sink to %s: %s\n", iface, strerror(errno));
		return 1;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_map__fd(skel->maps.xsink_stats), &info, &info_len) < 0)
		return 1;
	printf("ready map %u\n", info.id);
	fflush(stdout);
	hold(seconds);
	xsink_bpf__destroy(skel);
	return 0;
}

static int
do_count(int argc, char **argv)
{
	int fd;

	if (argc != 2 || (fd = bpf_map_get_fd_by_id((uint32_t)atol(argv[1]))) < 0)
		return usage();
	printf("packets %llu bytes %llu\n", (unsigned long long)percpu_sum(fd, XSINK_PACKETS),
	    (unsigned long long)percpu_sum(fd, XSINK_BYTES));
	close(fd);
	return 0;
}

/* An interface's own MAC address. */
static int
iface_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), r;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	r = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (r < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

struct bare_args {
	const char *up_if, *gate_if, *file;
	double seconds;
	struct bare_conf conf;
	struct in_addr peer, sgsn;
	uint8_t neigh_mac[6];
};

static int
bare_opt(int opt, const char *arg, struct bare_args *a)
{
	struct in_addr ip;

	switch (opt) {
	case 'U':
		a->up_if = arg;
		return 0;
	case 'G':
		a->gate_if = arg;
		return 0;
	case 'f':
		a->file = arg;
		return 0;
	case 't':
		a->seconds = atof(arg);
		return 0;
	case 'A':
		return bench_parse_mac(arg, a->conf.up.dmac);
	case 'B':
		return bench_parse_mac(arg, a->conf.down.dmac);
	case 'N':
		return bench_parse_mac(arg, a->neigh_mac);
	case 'w':
		return bench_parse_mac(arg, a->conf.gate_mac);
	case 'V':
		a->conf.vni_be = htonl((uint32_t)atol(arg) << 8);
		return 0;
	case 'p':
		return parse_ip(arg, &a->peer);
	case 'P':
		return parse_ip(arg, &a->sgsn);
	case 'g':
	case 'u':
		if (parse_ip(arg, &ip) < 0)
			return -1;
		(opt == 'g' ? &a->conf.up : &a->conf.down)->src_be = ip.s_addr;
		return 0;
	}
	return -1;
}

static int
fill_bare(
    struct xbare_bpf *skel, const struct bare_args *a, const struct bench_session *ss, size_t n)
{
	int up = bpf_map__fd(skel->maps.bare_up), down = bpf_map__fd(skel->maps.bare_down);
	int tx = bpf_map__fd(skel->maps.bare_tx);
	uint32_t zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.bare_conf), &zero, &a->conf, BPF_ANY) < 0 ||
	    bpf_map_update_elem(tx, &a->conf.up.ifindex, &a->conf.up.ifindex, BPF_ANY) < 0 ||
	    bpf_map_update_elem(tx, &a->conf.down.ifindex, &a->conf.down.ifindex, BPF_ANY) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct bare_up u = { .outer_be = a->peer.s_addr };
		struct bare_down d = { htonl(ss[i].teid), a->sgsn.s_addr };
		uint32_t teid_be = htonl(ss[i].teid);

		memcpy(u.mac, a->neigh_mac, 6);
		if (bpf_map_update_elem(up, &teid_be, &u, BPF_ANY) < 0 ||
		    bpf_map_update_elem(down, &ss[i].addr_be, &d, BPF_ANY) < 0)
			return -1;
	}
	return 0;
}

/* Out of the gate interface uplink, out of the GTP-U interface downlink. */
static int
bare_ports(struct bare_args *a, int *up_ifindex, int *gate_ifindex)
{
	*up_ifindex = (int)if_nametoindex(a->up_if);
	*gate_ifindex = (int)if_nametoindex(a->gate_if);
	a->conf.up.ifindex = (uint32_t)*gate_ifindex;
	a->conf.down.ifindex = (uint32_t)*up_ifindex;
	if (*up_ifindex == 0 || *gate_ifindex == 0 || iface_mac(a->gate_if, a->conf.up.smac) < 0 ||
	    iface_mac(a->up_if, a->conf.down.smac) < 0)
		return -1;
	return 0;
}

static int
do_bare(int argc, char **argv)
{
	struct bare_args a;
	struct xbare_bpf *skel;
	struct bench_session *ss;
	int opt, up_ifindex, gate_ifindex;
	size_t n;

	memset(&a, 0, sizeof(a));
	while ((opt = getopt(argc, argv, "U:G:f:t:A:B:N:w:V:p:P:g:u:")) != -1)
		if (bare_opt(opt, optarg, &a) < 0)
			return usage();
	if (a.up_if == NULL || a.gate_if == NULL || a.file == NULL || a.seconds <= 0)
		return usage();
	if (bare_ports(&a, &up_ifindex, &gate_ifindex) < 0 ||
	    (ss = bench_load_sessions(a.file, &n)) == NULL || n == 0) {
		fprintf(stderr, "xgen: no interfaces %s, %s or no sessions\n", a.up_if, a.gate_if);
		return 1;
	}
	skel = xbare_bpf__open();
	if (skel == NULL)
		return 1;
	bpf_map__set_max_entries(skel->maps.bare_up, (uint32_t)n);
	bpf_map__set_max_entries(skel->maps.bare_down, (uint32_t)n);
	if (xbare_bpf__load(skel) < 0 || fill_bare(skel, &a, ss, n) < 0 ||
	    bpf_program__attach_xdp(skel->progs.xbare, up_ifindex) == NULL ||
	    bpf_program__attach_xdp(skel->progs.xbare, gate_ifindex) == NULL) {
		fprintf(stderr, "xgen: cannot start the bare forwarder: %s\n", strerror(errno));
		return 1;
	}
	free(ss);
	printf("ready\n");
	fflush(stdout);
	hold(a.seconds);
	xbare_bpf__destroy(skel);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "send") == 0)
		return do_send(argc - 1, argv + 1);
	if (strcmp(argv[1], "sink") == 0)
		return do_sink(argc - 1, argv + 1);
	if (strcmp(argv[1], "count") == 0)
		return do_count(argc - 1, argv + 1);
	if (strcmp(argv[1], "bare") == 0)
		return do_bare(argc - 1, argv + 1);
	return usage();
}
