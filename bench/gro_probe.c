/* Does this kernel coalesce UDP datagrams into trains on a veth? A receiver
 * with UDP_GRO on counts datagrams per receive (the UDP_GRO control message
 * gives a train's datagram size); a sender sends equal datagrams of one flow
 * with sendmmsg, as the benchmark's generator does.
 *
 *   gro_probe recv BIND_IP:PORT SECONDS [0: UDP_GRO off]
 *   gro_probe send SRC_IP DST_IP:PORT COUNT SIZE
 *
 * recv prints "calls C datagrams D per_call R" and how many receives carried
 * 1, 2, ... datagrams.
 *
 * What it found on kernel 6.18, sender and receiver in two namespaces joined
 * by a veth pair, 200,000 datagrams of 100 octets (1,400 alike):
 *
 *   receiving veth                     sending veth   datagrams per receive
 *   as created (GRO off)               as created     1.00
 *   gro on                             as created     1.00
 *   gro on, rx-udp-gro-forwarding on   as created     1.00
 *   gro on                             tso off        1.00
 *   gro on, threaded NAPI              as created     1.00
 *   gro on, threaded NAPI              tso off        ~20
 *   gro on, rx-udp-gro-forwarding on,  as created     8 to 40 (trains of up
 *     threaded NAPI                                   to 64 datagrams of 100
 *                                                     octets, of up to 18 of
 *                                                     1,400: a train's pages,
 *                                                     MAX_SKB_FRAGS)
 *
 * With threaded NAPI the receive work leaves the sender's system call for the
 * NAPI thread; one that shares a CPU with the receiving process lets the
 * veth's ring (256 packets) overflow under a flood (tx_dropped of the sending
 * veth): where that thread runs matters as much as GRO.
 *   the same, socket without UDP_GRO   as created     1.00 (the kernel splits
 *                                                     the train for it)
 *
 * Three things must hold at once, as drivers/net/veth.c reads:
 * - NAPI on the receiving veth: GRO on (ethtool -K IF gro on), or an XDP
 *   program attached. Otherwise veth_xmit hands each skb to netif_rx and no
 *   GRO runs at all.
 * - The skb eligible for veth's GRO (veth_skb_is_eligible_for_gro): the
 *   sending veth without TSO (ethtool -K PEER tso off), or, for a datagram
 *   sent by a local socket, the receiving veth with rx-udp-gro-forwarding
 *   (or rx-gro-list) on. Otherwise veth skips NAPI for it.
 * - Several skbs waiting when the NAPI poll runs. Without threaded NAPI the
 *   poll runs as the softirq at the end of each transmit, in the sender's own
 *   system call (local_bh_enable), with one skb in the ring: a train of one.
 *   With it (echo 1 > /sys/class/net/IF/threaded) the poll runs in its own
 *   kernel thread and takes what queued meanwhile: trains. (Under a heavy
 *   load, softirq work that the kernel defers to ksoftirqd may batch too.)
 *
 * In bench/run (Figures 1 and 2, --quick, a shared 2-CPU machine: noisy),
 * vpgd against the relay in the same run:
 * - veths as created: no trains; uplink 0.91-0.94x, downlink 0.78-0.81x
 *   (the build before GRO and GSO, the same harness: 0.90-0.96x, 0.84x);
 * - BENCH_GRO=1, the NAPI threads on the generator's CPU: 1.09 datagrams a
 *   message; both sides fall to ~250,000 pps (the thread starves the
 *   generator), vpgd 0.95-0.97x;
 * - BENCH_GRO=1 BENCH_GRO_CPU=1, the NAPI threads on the gateway's CPU:
 *   8-12 datagrams a message, 500-770 a receive call; uplink 1.04-1.09x,
 *   downlink 1.58-1.65x the relay, which gets one datagram a message (both
 *   below the veths as created in absolute terms: the receive work now
 *   runs on the gateway's core, not in the generator's sends).
 *
 * A quick trial with GRO on alone therefore sees one datagram a receive. A
 * sender that sends a run with UDP_SEGMENT (GSO) hands the veth one skb,
 * which reaches a UDP_GRO socket whole: a train without any of the above.
 * On a physical NIC the driver's NAPI poll takes many packets per interrupt
 * and GRO (on by default) coalesces same-flow UDP for a UDP_GRO socket; all
 * G-PDUs from one SGSN, and VXLAN from one peer's flow, share a 5-tuple.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#define BATCH	  64
#define MAX_TRAIN 64

static int
train_size(struct msghdr *m)
{
	int seg = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO)
			memcpy(&seg, CMSG_DATA(c), sizeof(seg));
	return seg;
}

static int
receive(const struct sockaddr_in *at, int seconds, int gro)
{
	static char buf[65536];
	char ctl[CMSG_SPACE(sizeof(int))];
	long calls = 0, dgrams = 0, hist[MAX_TRAIN + 1] = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), size = 4 << 20;
	time_t end = time(NULL) + seconds;

	if (fd < 0 || bind(fd, (const struct sockaddr *)at, sizeof(*at)) < 0) {
		perror("gro_probe: bind");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (gro && setsockopt(fd, SOL_UDP, UDP_GRO, &gro, sizeof(gro)) < 0) {
		perror("gro_probe: UDP_GRO");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = ctl,
			.msg_controllen = sizeof(ctl) };
		ssize_t n;
		long k;
		int seg;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recvmsg(fd, &m, MSG_DONTWAIT);
		if (n < 0)
			continue;
		seg = train_size(&m);
		k = seg > 0 ? (n + seg - 1) / seg : 1;
		calls++;
		dgrams += k;
		hist[k > MAX_TRAIN ? MAX_TRAIN : k]++;
	}
	printf("calls %ld datagrams %ld per_call %.2f\n", calls, dgrams,
	    calls ? (double)dgrams / (double)calls : 0);
	for (int i = 1; i <= MAX_TRAIN; i++)
		if (hist[i])
			printf(" %d:%ld", i, hist[i]);
	printf("\n");
	return 0;
}

static int
send_load(const struct sockaddr_in *from, const struct sockaddr_in *to, long count, int size)
{
	static char buf[BATCH][2048];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	int fd = socket(AF_INET, SOCK_DGRAM, 0), sz = 4 << 20;
	long sent = 0;

	if (fd < 0 || bind(fd, (const struct sockaddr *)from, sizeof(*from)) < 0) {
		perror("gro_probe: bind");
		return 1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	for (int i = 0; i < BATCH; i++) {
		memset(buf[i], i, (size_t)size);
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = (size_t)size };
		mm[i].msg_hdr = (struct msghdr){ .msg_name = (void *)to,
			.msg_namelen = sizeof(*to),
			.msg_iov = &iov[i],
			.msg_iovlen = 1 };
	}
	for (int spins = 0; sent < count && spins < 100000000; spins++) {
		int r = sendmmsg(fd, mm, BATCH, 0);

		if (r > 0)
			sent += r;
	}
	printf("sent %ld\n", sent);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a, b;

	if (argc >= 4 && strcmp(argv[1], "recv") == 0 && bench_parse_addr(argv[2], &a) == 0)
		return receive(&a, atoi(argv[3]), argc > 4 ? atoi(argv[4]) != 0 : 1);
	if (argc == 6 && strcmp(argv[1], "send") == 0 && bench_parse_addr(argv[2], &a) == 0 &&
	    bench_parse_addr(argv[3], &b) == 0 && atoi(argv[5]) > 0 && atoi(argv[5]) <= 2048)
		return send_load(&a, &b, atol(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: gro_probe recv BIND_IP:PORT SECONDS [0]\n"
			"       gro_probe send SRC_IP DST_IP:PORT COUNT SIZE\n");
	return 2;
}
