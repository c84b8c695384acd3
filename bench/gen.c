/* GTP-U load generator and latency sink for the benchmarks.
 *
 * send mode: pre-built G-PDUs (8-octet GTP-U header) carrying inner IPv4/UDP
 * packets of a fixed total length, TEIDs and inner source addresses taken
 * round-robin from a sessions file ("TEID ADDRESS" a line), sent with
 * sendmmsg from one socket, pinned to one CPU, bounded in count and time:
 *
 *   gen send -s SRC_IP -d DST_IP:PORT -f SESSIONS -z INNER_LEN -n COUNT -t SECONDS
 *            [-c CPU] [-r PPS] [-D INNER_DST_IP:PORT] [-T]
 *            [-V VNI -M DST_MAC -m SRC_MAC -S INNER_SRC_IP] [-P]
 *
 * With -V the datagrams are VXLAN (RFC 7348) frames instead, as a gate peer
 * sends them: VXLAN header with VNI, Ethernet DST_MAC <- SRC_MAC, type IPv4,
 * the same inner IPv4/UDP packet from INNER_SRC_IP to the sessions' addresses
 * (round-robin, the TEIDs unused) at the port of -D.
 *
 * With -P they are plain UDP datagrams from SRC_IP to the sessions' addresses
 * (round-robin) at the port of -D, INNER_LEN - 28 octets of payload, so that
 * the kernel routes them to the devices as IPv4 packets of INNER_LEN octets;
 * -d is then unused (but required).
 *
 * -T puts a magic word and a CLOCK_MONOTONIC timestamp in the inner payload;
 * -r paces the sending (one packet per batch below 10,000 pps).
 * It prints "sent N seconds S pps P".
 *
 * sink mode: receives datagrams on a UDP socket until COUNT or SECONDS, finds
 * the magic word (at the start of the payload, or 28 octets in when the
 * payload is a whole inner IPv4/UDP packet, as the bare relay delivers it)
 * and prints "received N p50_us X p99_us Y" of arrival - timestamp. Every
 * namespace shares the one monotonic clock, so the delay is one-way. The
 * arrival is the kernel's receive timestamp (SO_TIMESTAMPNS, brought onto
 * the monotonic clock), not the time the sink got to read it: how soon the
 * sink is scheduled is no part of the path measured. With -o
 * it also writes every delay, in ns, one a line and sorted, to FILE, so that
 * the samples of several windows can be pooled.
 *
 *   gen sink -b BIND_IP:PORT -n COUNT -t SECONDS [-o FILE]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define BATCH  64
#define MAXLEN 1500
#define MAXHDR 22		     /* VXLAN 8 + Ethernet 14; GTP-U is 8 */
#define MAGIC  0x7670676462656e63ULL /* "vpgdbenc" */

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint16_t
ip_checksum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: gen send -s SRC_IP -d DST_IP:PORT -f SESSIONS -z INNER_LEN -n COUNT "
	    "-t SECONDS [-c CPU] [-r PPS] [-D INNER_DST:PORT] [-T]\n"
	    "                [-V VNI -M DST_MAC -m SRC_MAC -S INNER_SRC_IP] [-P]\n"
	    "       gen sink -b BIND_IP:PORT -n COUNT -t SECONDS [-o FILE]\n");
	return 2;
}

static int
do_send(int argc, char **argv)
{
	static uint8_t bufs[BATCH][MAXHDR + MAXLEN];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in src, dst, inner_dst, inner_src;
	uint8_t dst_mac[6] = { 0 }, src_mac[6] = { 0 };
	long vni = -1;
	int plain = 0;
	static struct sockaddr_in dsts[BATCH];
	size_t hdr = 8;
	const char *file = NULL;
	long len = 64, count = 1000, cpu = 0, rate = 0;
	double seconds = 1.0;
	int stamp = 0, opt, have_src = 0, have_dst = 0;
	struct bench_session *ss;
	size_t nss, next = 0;

	bench_parse_addr("10.0.0.10:9", &inner_dst);
	memset(&inner_src, 0, sizeof(inner_src));
	while ((opt = getopt(argc, argv, "s:d:f:z:n:t:c:r:D:TV:M:m:S:P")) != -1) {
		switch (opt) {
		case 's':
			have_src = bench_parse_addr(optarg, &src) == 0;
			break;
		case 'd':
			have_dst = bench_parse_addr(optarg, &dst) == 0;
			break;
		case 'f':
			file = optarg;
			break;
		case 'z':
			len = atol(optarg);
			break;
		case 'n':
			count = atol(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'c':
			cpu = atol(optarg);
			break;
		case 'r':
			rate = atol(optarg);
			break;
		case 'D':
			if (bench_parse_addr(optarg, &inner_dst))
				return usage();
			break;
		case 'T':
			stamp = 1;
			break;
		case 'V':
			vni = atol(optarg);
			break;
		case 'M':
			if (bench_parse_mac(optarg, dst_mac))
				return usage();
			break;
		case 'm':
			if (bench_parse_mac(optarg, src_mac))
				return usage();
			break;
		case 'S':
			if (bench_parse_addr(optarg, &inner_src))
				return usage();
			break;
		case 'P':
			plain = 1;
			break;
		default:
			return usage();
		}
	}
	if (vni > 0xffffff)
		return usage();
	if (vni >= 0 && inner_src.sin_addr.s_addr == 0)
		return usage();
	if (vni >= 0 && plain)
		return usage();
	if (vni >= 0)
		hdr = MAXHDR;
	if (plain)
		hdr = 0;
	if (!have_src || !have_dst || file == NULL || len < 28 + 16 || len > MAXLEN || count <= 0 ||
	    seconds <= 0)
		return usage();
	ss = bench_load_sessions(file, &nss);
	if (ss == NULL || nss == 0) {
		fprintf(stderr, "gen: no sessions in %s\n", file);
		return 1;
	}
	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET((int)cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			perror("gen: sched_setaffinity");
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int sz = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
		perror("gen: bind");
		return 1;
	}
	/* The template: GTP-U G-PDU (or VXLAN frame), inner IPv4 (no options), inner UDP
	 * without checksum. */
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		uint8_t *b = bufs[i], *ip = b + hdr, *udp = ip + 20;
		memset(b, 0, hdr + (size_t)len);
		if (vni >= 0) {
			b[0] = 0x08; /* VNI present */
			b[4] = (uint8_t)(vni >> 16);
			b[5] = (uint8_t)(vni >> 8);
			b[6] = (uint8_t)vni;
			memcpy(b + 8, dst_mac, 6);
			memcpy(b + 14, src_mac, 6);
			put16(b + 20, 0x0800);
			memcpy(ip + 12, &inner_src.sin_addr, 4);
		} else {
			b[0] = 0x30;
			b[1] = 0xff;
			put16(b + 2, (uint16_t)len);
			memcpy(ip + 16, &inner_dst.sin_addr, 4);
		}
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)len);
		ip[8] = 64;
		ip[9] = 17;
		put16(udp, 40000);
		memcpy(udp + 2, &inner_dst.sin_port, 2);
		put16(udp + 4, (uint16_t)(len - 20));
		for (long k = 36; k < len; k++)
			ip[k] = (uint8_t)k;
		/* Plain: the payload of the inner UDP; the kernel adds the headers. */
		iov[i].iov_base = plain ? ip + 28 : b;
		iov[i].iov_len = plain ? (size_t)len - 28 : hdr + (size_t)len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		dsts[i] = inner_dst;
		msgs[i].msg_hdr.msg_name = plain ? &dsts[i] : &dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(dst);
	}
	int batch = (rate > 0 && rate < 10000) ? 1 : BATCH;
	long sent = 0, errors = 0;
	double t0 = now_s(), deadline = t0 + seconds;
	while (sent < count) {
		double t = now_s();
		if (t >= deadline)
			break;
		if (rate > 0) {
			double due = t0 + (double)sent / (double)rate;
			if (due > t) {
				double d = due - t;
				struct timespec ts = { (time_t)d,
					(long)((d - (double)(time_t)d) * 1e9) };
				nanosleep(&ts, NULL);
			}
		}
		int n = (int)((count - sent) < batch ? (count - sent) : batch);
		for (int i = 0; i < n; i++) {
			uint8_t *b = bufs[i], *ip = b + hdr;
			const struct bench_session *s = &ss[next];
			next = next + 1 == nss ? 0 : next + 1;
			if (plain) {
				dsts[i].sin_addr.s_addr = s->addr_be;
				continue;
			}
			if (vni >= 0) {
				memcpy(ip + 16, &s->addr_be, 4);
			} else {
				put32(b + 4, s->teid);
				memcpy(ip + 12, &s->addr_be, 4);
			}
			put16(ip + 4, (uint16_t)(sent + i));
			ip[10] = ip[11] = 0;
			put16(ip + 10, ip_checksum(ip, 20));
			if (stamp) {
				uint64_t m = MAGIC, ts = now_ns();
				memcpy(ip + 28, &m, 8);
				memcpy(ip + 36, &ts, 8);
			}
		}
		int r = sendmmsg(fd, msgs, (unsigned)n, 0);
		if (r < 0) {
			if (errno != EAGAIN && errno != ENOBUFS && errno != ECONNREFUSED &&
			    ++errors > 1000000)
				break;
			continue;
		}
		sent += r;
	}
	double el = now_s() - t0;
	printf("sent %ld seconds %.6f pps %.0f\n", sent, el, el > 0 ? (double)sent / el : 0.0);
	free(ss);
	return sent > 0 ? 0 : 1;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int
write_samples(const char *path, const uint64_t *lat, long n)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	for (long i = 0; i < n; i++)
		fprintf(f, "%llu\n", (unsigned long long)lat[i]);
	return fclose(f) == 0 ? 0 : -1;
}

/* CLOCK_REALTIME less CLOCK_MONOTONIC now: brings a kernel timestamp onto the sender's clock. */
static int64_t
realtime_less_monotonic(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return ((int64_t)rt.tv_sec - mono.tv_sec) * 1000000000 + (rt.tv_nsec - mono.tv_nsec);
}

/* One datagram and the monotonic time the kernel received it (now, without a stamp). */
static ssize_t
recv_stamped(int fd, uint8_t *buf, size_t len, uint64_t *at_ns)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { buf, len };
	struct msghdr msg = { .msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf) };
	ssize_t r = recvmsg(fd, &msg, MSG_DONTWAIT);

	*at_ns = now_ns();
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); r >= 0 && c != NULL;
	     c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		struct timespec ts;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		*at_ns = (uint64_t)((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec -
				    realtime_less_monotonic());
	}
	return r;
}

static int
do_sink(int argc, char **argv)
{
	struct sockaddr_in bind_to;
	long count = 1000;
	double seconds = 5.0;
	const char *samples = NULL;
	int opt, have = 0;

	while ((opt = getopt(argc, argv, "b:n:t:o:")) != -1) {
		switch (opt) {
		case 'b':
			have = bench_parse_addr(optarg, &bind_to) == 0;
			break;
		case 'n':
			count = atol(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'o':
			samples = optarg;
			break;
		default:
			return usage();
		}
	}
	if (!have || count <= 0)
		return usage();
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&bind_to, sizeof(bind_to)) != 0) {
		perror("gen sink: bind");
		return 1;
	}
	int on = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) != 0) {
		perror("gen sink: SO_TIMESTAMPNS");
		return 1;
	}
	printf("sink ready\n");
	fflush(stdout);
	uint64_t *lat = calloc((size_t)count, sizeof(*lat));
	long n = 0;
	double deadline = now_s() + seconds;
	uint8_t buf[2048];
	while (n < count) {
		double left = deadline - now_s();
		if (left <= 0)
			break;
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		uint64_t t, m, ts;
		ssize_t r = recv_stamped(fd, buf, sizeof(buf), &t);
		if (r < 16)
			continue;
		for (size_t off = 0; off <= 28; off += 28) {
			if ((size_t)r < off + 16)
				break;
			memcpy(&m, buf + off, 8);
			if (m != MAGIC)
				continue;
			memcpy(&ts, buf + off + 8, 8);
			if (t >= ts)
				lat[n++] = t - ts;
			break;
		}
	}
	if (n == 0) {
		printf("received 0 p50_us 0 p99_us 0\n");
		return 1;
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_u64);
	if (samples != NULL && write_samples(samples, lat, n) < 0) {
		perror("gen sink: samples");
		return 1;
	}
	printf("received %ld p50_us %.1f p99_us %.1f\n", n, (double)lat[n / 2] / 1e3,
	    (double)lat[(size_t)((double)n * 0.99) < (size_t)n ? (size_t)((double)n * 0.99)
							       : (size_t)n - 1] /
		1e3);
	free(lat);
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
	return usage();
}
