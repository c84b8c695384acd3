/* The loop of bench/attach_gen.h, shared by the GTPv1-C and GTPv2-C attach generators. */
#define _GNU_SOURCE
#include "attach_gen.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
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

int
attach_gen_main(int argc, char **argv, const struct attach_proto *proto)
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
	if (local == NULL || remote == NULL || count <= 0 || count > UINT32_MAX - 1 ||
	    window <= 0 || window > 30000 ||
	    imsi_base + (unsigned long long)count > 1000000000000000ULL || seconds <= 0) {
	usage:
		fprintf(stderr,
		    "usage: %s -l LOCAL_IP -r %s -n COUNT [-w WINDOW] [-t SECONDS] "
		    "[-i IMSI_BASE] [-a APN] [-o FILE]\n",
		    proto->name, proto->peer);
		return 2;
	}
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons(proto->port) };
	struct sockaddr_in ra = { .sin_family = AF_INET, .sin_port = htons(proto->port) };
	if (inet_pton(AF_INET, local, &la.sin_addr) != 1 ||
	    inet_pton(AF_INET, remote, &ra.sin_addr) != 1)
		goto usage;
	{
		uint8_t probe[ATTACH_TX_MAX];
		if (proto->build(probe, imsi_base, 0, la.sin_addr.s_addr, apn) == 0) {
			fprintf(stderr, "%s: cannot code APN \"%s\"\n", proto->name, apn);
			return 2;
		}
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int sz = 4 << 20;
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&la, sizeof(la)) != 0 ||
	    connect(fd, (struct sockaddr *)&ra, sizeof(ra)) != 0) {
		perror("bind/connect");
		return 1;
	}
	/* Per request: state 0 unsent, 1 outstanding, 2 answered, 3 given up. */
	uint8_t *state = calloc((size_t)count, 1), *tries = calloc((size_t)count, 1);
	double *sent_at = calloc((size_t)count, sizeof(double));
	uint32_t *teid = calloc((size_t)count, 4), *addr = calloc((size_t)count, 4);
	int *cause = calloc((size_t)count, sizeof(int));
	if (!state || !tries || !sent_at || !teid || !addr || !cause)
		return 1;
	static uint8_t txb[BATCH][ATTACH_TX_MAX], rxb[BATCH][2048];
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
		/* Retransmissions first (the same request, the same sequence number), then new
		 * ones. */
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
				txv[k].iov_len = proto->build(txb[k],
				    imsi_base + (unsigned long long)i, i, la.sin_addr.s_addr, apn);
				tries[i]++;
				retx++;
				sent_at[i] = t;
				k++;
			}
		}
		while (k < BATCH && next < count && outstanding < window) {
			txv[k].iov_len = proto->build(txb[k], imsi_base + (unsigned long long)next,
			    next, la.sin_addr.s_addr, apn);
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
			uint32_t seq, te, ad;
			int c;
			if (proto->parse(rxb[i], rx[i].msg_len, &seq, &c, &te, &ad) != 0)
				continue;
			/* The newest outstanding request with this sequence number. */
			long idx = -1;
			for (long j = (long)seq +
				      ((next - 1 - (long)seq) / proto->seq_mod) * proto->seq_mod;
			     j >= 0; j -= proto->seq_mod) {
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
			if (proto->accepted(c, te, ad))
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
			if (state[i] != 2 || !proto->accepted(cause[i], teid[i], addr[i]))
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
