/* A batched GTPv1-C attach generator: Create PDP Context Requests (TS 29.060
 * §7.3.1) for COUNT IMSIs from IMSI_BASE on, at most WINDOW outstanding, each
 * retransmitted after 1 s up to 3 times, the whole bounded by SECONDS. It
 * prints "requests N accepted A rejected R lost L seconds S rate X retransmitted T"
 * (X: accepted answers per second) and, with -o, one "TEID_DATA ADDRESS" line per accepted
 * context (the gateway's uplink TEID and the device's address).
 *
 *   gtpc -l LOCAL_IP -r GGSN_IP -n COUNT [-w WINDOW] [-t SECONDS] [-i IMSI_BASE]
 *        [-a APN] [-o FILE]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
put_tbcd(uint8_t *p, const char *digits)
{
	size_t n = strlen(digits), k = 0;
	for (size_t i = 0; i < n; i += 2) {
		uint8_t lo = (uint8_t)(digits[i] - '0');
		uint8_t hi = i + 1 < n ? (uint8_t)(digits[i + 1] - '0') : 0xf;
		p[k++] = (uint8_t)(hi << 4 | lo);
	}
	return k;
}

static uint8_t *
tlv(uint8_t *p, uint8_t type, const void *v, uint16_t len)
{
	p[0] = type;
	p[1] = (uint8_t)(len >> 8);
	p[2] = (uint8_t)len;
	memcpy(p + 3, v, len);
	return p + 3 + len;
}

static uint8_t *
tv32(uint8_t *p, uint8_t type, uint32_t v)
{
	uint32_t be = htonl(v);
	p[0] = type;
	memcpy(p + 1, &be, 4);
	return p + 5;
}

static size_t
build(uint8_t *msg, unsigned long long imsi, uint32_t teid, uint16_t seq, uint32_t local_be,
    const char *apn)
{
	char digits[24];
	uint8_t *p = msg + 12, apn_wire[128];
	size_t apn_len = 0;

	snprintf(digits, sizeof(digits), "%015llu", imsi);
	*p++ = 2; /* IMSI */
	memset(p, 0xff, 8);
	put_tbcd(p, digits);
	p += 8;
	*p++ = 15; /* selection mode */
	*p++ = 0xf1;
	p = tv32(p, 16, teid); /* TEID data I */
	p = tv32(p, 17, teid); /* TEID control */
	*p++ = 20;	       /* NSAPI */
	*p++ = 5;
	p = tlv(p, 128, "\xf1\x21", 2); /* end user address: IPv4, dynamic */
	for (const char *l = apn; *l;) {
		const char *dot = strchr(l, '.');
		size_t n = dot ? (size_t)(dot - l) : strlen(l);
		apn_wire[apn_len++] = (uint8_t)n;
		memcpy(apn_wire + apn_len, l, n);
		apn_len += n;
		l += n + (dot ? 1 : 0);
	}
	p = tlv(p, 131, apn_wire, (uint16_t)apn_len);
	p = tlv(p, 133, &local_be, 4); /* SGSN address for signalling */
	p = tlv(p, 133, &local_be, 4); /* SGSN address for user traffic */
	{
		uint8_t msisdn[9] = { 0x91 };
		size_t n = put_tbcd(msisdn + 1, digits + 3);
		p = tlv(p, 134, msisdn, (uint16_t)(1 + n));
	}
	p = tlv(p, 135, "\x01\x0b\x92\x1f", 4); /* QoS profile */
	size_t body = (size_t)(p - msg) - 8;
	msg[0] = 0x32;
	msg[1] = 16;
	msg[2] = (uint8_t)(body >> 8);
	msg[3] = (uint8_t)body;
	memset(msg + 4, 0, 4);
	msg[8] = (uint8_t)(seq >> 8);
	msg[9] = (uint8_t)seq;
	msg[10] = msg[11] = 0;
	return (size_t)(p - msg);
}

/* Length of a TV IE's value (TS 29.060 §7.7), -1 for a type we cannot skip. */
static int
tv_len(uint8_t t)
{
	static const signed char len[128] = { [1] = 1,
		[2] = 8,
		[3] = 6,
		[4] = 4,
		[5] = 4,
		[8] = 1,
		[9] = 28,
		[11] = 1,
		[12] = 3,
		[13] = 1,
		[14] = 1,
		[15] = 1,
		[16] = 4,
		[17] = 4,
		[18] = 5,
		[19] = 1,
		[20] = 1,
		[21] = 1,
		[22] = 9,
		[23] = 1,
		[24] = 1,
		[25] = 2,
		[26] = 2,
		[27] = 2,
		[28] = 2,
		[29] = 1,
		[127] = 4 };
	return len[t] ? len[t] : -1;
}

/* Cause, TEID data I and end-user IPv4 address of a Create PDP Context Response. */
static int
parse(const uint8_t *m, size_t n, uint16_t *seq, int *cause, uint32_t *teid, uint32_t *addr)
{
	if (n < 12 || (m[0] & 0xe0) != 0x20 || m[1] != 17 || !(m[0] & 0x02))
		return -1;
	size_t end = 8 + (size_t)(m[2] << 8 | m[3]);
	if (end > n)
		return -1;
	*seq = (uint16_t)(m[8] << 8 | m[9]);
	*cause = -1;
	*teid = 0;
	*addr = 0;
	for (size_t i = 12; i < end;) {
		uint8_t t = m[i];
		if (t & 0x80) {
			if (i + 3 > end)
				break;
			size_t l = (size_t)(m[i + 1] << 8 | m[i + 2]);
			if (t == 128 && l >= 6 && i + 3 + l <= end)
				memcpy(addr, m + i + 5, 4);
			i += 3 + l;
		} else {
			int l = tv_len(t);
			if (l < 0 || i + 1 + (size_t)l > end)
				break;
			if (t == 1)
				*cause = m[i + 1];
			if (t == 16) {
				uint32_t be;
				memcpy(&be, m + i + 1, 4);
				*teid = ntohl(be);
			}
			i += 1 + (size_t)l;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *local = NULL, *remote = NULL, *apn = "internet", *out_path = NULL;
	unsigned long long imsi_base = 999010000000001ULL;
	long count = 0, window = 256;
	double seconds = 60;
	int opt;

	while ((opt = getopt(argc, argv, "l:r:n:w:t:i:a:o:")) != -1) {
		switch (opt) {
		case 'l':
			local = optarg;
			break;
		case 'r':
			remote = optarg;
			break;
		case 'n':
			count = atol(optarg);
			break;
		case 'w':
			window = atol(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'i':
			imsi_base = strtoull(optarg, NULL, 10);
			break;
		case 'a':
			apn = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (local == NULL || remote == NULL || count <= 0 || window <= 0 || window > 30000) {
	usage:
		fprintf(stderr,
		    "usage: gtpc -l LOCAL_IP -r GGSN_IP -n COUNT [-w WINDOW] [-t SECONDS] "
		    "[-i IMSI_BASE] [-a APN] [-o FILE]\n");
		return 2;
	}
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons(2123) };
	struct sockaddr_in ra = { .sin_family = AF_INET, .sin_port = htons(2123) };
	if (inet_pton(AF_INET, local, &la.sin_addr) != 1 ||
	    inet_pton(AF_INET, remote, &ra.sin_addr) != 1)
		goto usage;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int sz = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (fd < 0 || bind(fd, (struct sockaddr *)&la, sizeof(la)) != 0 ||
	    connect(fd, (struct sockaddr *)&ra, sizeof(ra)) != 0) {
		perror("gtpc: socket");
		return 1;
	}
	/* Per request: state 0 unsent, 1 outstanding, 2 answered, 3 given up. */
	uint8_t *state = calloc((size_t)count, 1), *tries = calloc((size_t)count, 1);
	double *sent_at = calloc((size_t)count, sizeof(double));
	uint32_t *teid = calloc((size_t)count, 4), *addr = calloc((size_t)count, 4);
	int *cause = calloc((size_t)count, sizeof(int));
	if (!state || !tries || !sent_at || !teid || !addr || !cause)
		return 1;
	static uint8_t txb[BATCH][256], rxb[BATCH][1024];
	struct mmsghdr tx[BATCH], rx[BATCH];
	struct iovec txv[BATCH], rxv[BATCH];
	memset(tx, 0, sizeof(tx));
	memset(rx, 0, sizeof(rx));
	for (int i = 0; i < BATCH; i++) {
		txv[i].iov_base = txb[i];
		tx[i].msg_hdr.msg_iov = &txv[i];
		tx[i].msg_hdr.msg_iovlen = 1;
		rxv[i].iov_base = rxb[i];
		rxv[i].iov_len = sizeof(rxb[i]);
		rx[i].msg_hdr.msg_iov = &rxv[i];
		rx[i].msg_hdr.msg_iovlen = 1;
	}
	long next = 0, outstanding = 0, done = 0, low = 0, accepted = 0, rejected = 0, lost = 0,
	     retx = 0;
	double t0 = now_s(), deadline = t0 + seconds, last_scan = t0, t_last = t0;
	while (done < count && now_s() < deadline) {
		int k = 0;
		double t = now_s();
		/* Retransmissions first, then new requests, one sendmmsg. */
		if (t - last_scan > 0.2) {
			last_scan = t;
			for (long i = low; i < next && k < BATCH; i++) {
				if (state[i] != 1 || t - sent_at[i] < 1.0)
					continue;
				if (tries[i] >= 4) {
					state[i] = 3;
					lost++;
					done++;
					outstanding--;
					continue;
				}
				txv[k].iov_len = build(txb[k], imsi_base + (unsigned long long)i,
				    (uint32_t)i + 1, (uint16_t)i, la.sin_addr.s_addr, apn);
				tries[i]++;
				retx++;
				sent_at[i] = t;
				k++;
			}
		}
		while (k < BATCH && next < count && outstanding < window) {
			txv[k].iov_len = build(txb[k], imsi_base + (unsigned long long)next,
			    (uint32_t)next + 1, (uint16_t)next, la.sin_addr.s_addr, apn);
			state[next] = 1;
			tries[next] = 1;
			sent_at[next] = t;
			next++;
			outstanding++;
			k++;
		}
		for (int off = 0; off < k;) {
			int s = sendmmsg(fd, tx + off, (unsigned)(k - off), 0);
			if (s <= 0)
				break;
			off += s;
		}
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 50) <= 0)
			continue;
		int r = recvmmsg(fd, rx, BATCH, MSG_DONTWAIT, NULL);
		for (int i = 0; i < r; i++) {
			uint16_t seq;
			int c;
			uint32_t te, ad;
			if (parse(rxb[i], rx[i].msg_len, &seq, &c, &te, &ad) != 0)
				continue;
			/* The newest outstanding request with this sequence number. */
			long idx = -1;
			for (long j = (long)seq + ((next - 1 - (long)seq) / 65536) * 65536; j >= 0;
			     j -= 65536) {
				if (j < next && state[j] == 1) {
					idx = j;
					break;
				}
			}
			if (idx < 0)
				continue;
			state[idx] = 2;
			cause[idx] = c;
			teid[idx] = te;
			addr[idx] = ad;
			if (c == 128)
				accepted++;
			else
				rejected++;
			done++;
			outstanding--;
			t_last = now_s();
		}
		while (low < next && state[low] >= 2)
			low++;
	}
	double el = (t_last > t0 ? t_last : now_s()) - t0;
	if (out_path) {
		FILE *f = fopen(out_path, "w");
		if (f == NULL) {
			perror(out_path);
			return 1;
		}
		for (long i = 0; i < count; i++) {
			char a[INET_ADDRSTRLEN];
			if (state[i] != 2 || cause[i] != 128)
				continue;
			inet_ntop(AF_INET, &addr[i], a, sizeof(a));
			fprintf(f, "%u %s\n", teid[i], a);
		}
		fclose(f);
	}
	printf("requests %ld accepted %ld rejected %ld lost %ld seconds %.6f rate %.0f "
	       "retransmitted %ld\n",
	    next, accepted, rejected, lost + (count - done), el,
	    el > 0 ? (double)accepted / el : 0.0, retx);
	return accepted > 0 ? 0 : 1;
}
