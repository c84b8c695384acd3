/* A batched GTPv2-C attach generator, an SGW on S5/S8 (TS 29.274): Create
 * Session Requests (§7.2.1) for COUNT IMSIs from IMSI_BASE on, at most WINDOW
 * outstanding, each retransmitted after 1 s up to 3 times, the whole bounded
 * by SECONDS. It prints "requests N accepted A rejected R lost L seconds S
 * rate X retransmitted T" (X: accepted answers per second), as bench/gtpc.c
 * does, and, with -o, one "TEID ADDRESS" line per accepted session (the PGW's
 * S5/S8-U F-TEID's TEID, where uplink G-PDUs go, and the PAA's address), the
 * form bench/gen.c reads.
 *
 * Request i (from 0): IMSI IMSI_BASE + i, MSISDN its last 12 digits, RAT Type
 * E-UTRAN, Sender F-TEID S5/S8-C SGW (instance 0) TEID i + 1 at LOCAL_IP, APN,
 * Selection Mode 0, PDN Type IPv4, PAA 0.0.0.0, APN-AMBR, and the Bearer
 * Context to be created: EBI 5, S5/S8-U SGW F-TEID (instance 2) TEID i + 1 at
 * LOCAL_IP, Bearer QoS QCI 9. Sequence number i (23 bits: the top bit is the
 * Commands', §7.6).
 *
 *   gtpv2 -l LOCAL_IP -r PGW_IP -n COUNT [-w WINDOW] [-t SECONDS] [-i IMSI_BASE]
 *         [-a APN] [-o FILE]
 *
 * Messages are built and read with vpgd's own GTPv2-C codec
 * (src/proto/gtpv2c*.c).
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

#include "proto/gtpv2c.h"

#define BATCH	   64
#define TX_MAX	   512 /* octets of one request */
#define SEQ_MOD	   (1L << 23)
#define RAT_EUTRAN 6 /* §8.17 */
#define EBI	   5

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Create Session Request i; 0 when it does not fit (an APN the codec refuses). */
static size_t
build(uint8_t *msg, unsigned long long imsi, long i, uint32_t local_be, const char *apn)
{
	static const struct gtpv2c_bearer_qos qos = {
		.pci = 1, .priority_level = 8, .pvi = 0, .qci = 9
	};
	char digits[24];
	struct vpg_wr w;
	size_t hdr, bc;
	uint32_t teid = (uint32_t)i + 1;

	snprintf(digits, sizeof(digits), "%015llu", imsi);
	wr_init(&w, msg, TX_MAX);
	hdr = gtpv2c_build_header(&w, GTPV2C_CREATE_SESSION_REQ, true, 0, (uint32_t)(i % SEQ_MOD));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, digits);
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, digits + 3);
	gtpv2c_put_u8(&w, GTPV2C_IE_RAT_TYPE, 0, RAT_EUTRAN);
	gtpv2c_put_fteid(&w, 0, GTPV2C_IF_S5S8_SGW_C, teid, local_be);
	gtpv2c_put_apn(&w, apn);
	gtpv2c_put_u8(&w, GTPV2C_IE_SELECTION_MODE, 0, 0);
	gtpv2c_put_u8(&w, GTPV2C_IE_PDN_TYPE, 0, GTPV2C_PDN_IPV4);
	gtpv2c_put_paa_ipv4(&w, 0);
	gtpv2c_put_ambr(
	    &w, &(struct gtpv2c_ambr){ .uplink_kbps = 100000, .downlink_kbps = 200000 });
	bc = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ebi(&w, 0, EBI);
	gtpv2c_put_fteid(&w, 2, GTPV2C_IF_S5S8_SGW_U, teid, local_be);
	gtpv2c_put_bearer_qos(&w, &qos);
	gtpv2c_group_end(&w, bc);
	gtpv2c_build_finish(&w, hdr);
	return w.overflow ? 0 : w.len;
}

/*
 * A Create Session Response: its sequence number and cause, and for an
 * accepted one the PGW's S5/S8-U TEID and the PAA's address. Returns -1 for
 * anything else; an acceptance without them is counted as a rejection.
 */
static int
parse(const uint8_t *m, size_t n, uint32_t *seq, int *cause, uint32_t *teid, uint32_t *addr)
{
	static struct gtpv2c_msg msg;
	struct gtpv2c_ies in;
	struct gtpv2c_cause_ie c;
	struct gtpv2c_fteid f;
	struct gtpv2c_paa paa;
	const struct gtpv2c_ie *ie, *bc;

	if (gtpv2c_parse(m, n, &msg) != VPG_DROP_NONE || msg.type != GTPV2C_CREATE_SESSION_RSP)
		return -1;
	*seq = msg.seq;
	*cause = -1;
	*teid = 0;
	*addr = 0;
	ie = gtpv2c_find(&msg.ies, GTPV2C_IE_CAUSE, 0);
	if (ie == NULL || gtpv2c_ie_cause(ie, &c) < 0)
		return 0;
	*cause = c.cause;
	if ((ie = gtpv2c_find(&msg.ies, GTPV2C_IE_PAA, 0)) == NULL || gtpv2c_ie_paa(ie, &paa) < 0 ||
	    (bc = gtpv2c_find(&msg.ies, GTPV2C_IE_BEARER_CONTEXT, 0)) == NULL ||
	    gtpv2c_parse_grouped(bc, &in) != VPG_DROP_NONE ||
	    (ie = gtpv2c_find(&in, GTPV2C_IE_FTEID, 2)) == NULL || gtpv2c_ie_fteid(ie, &f) < 0)
		return 0;
	*teid = f.teid;
	*addr = paa.ipv4_be;
	return 0;
}

/* §8.4: causes 16 to 63 accept a request. */
static int
accepted_cause(int c)
{
	return c >= GTPV2C_CAUSE_REQUEST_ACCEPTED && c <= 63;
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
	if (local == NULL || remote == NULL || count <= 0 || count > UINT32_MAX - 1 ||
	    window <= 0 || window > 30000 ||
	    imsi_base + (unsigned long long)count > 1000000000000000ULL || seconds <= 0) {
	usage:
		fprintf(stderr,
		    "usage: gtpv2 -l LOCAL_IP -r PGW_IP -n COUNT [-w WINDOW] [-t SECONDS] "
		    "[-i IMSI_BASE] [-a APN] [-o FILE]\n");
		return 2;
	}
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons(GTPV2C_PORT) };
	struct sockaddr_in ra = { .sin_family = AF_INET, .sin_port = htons(GTPV2C_PORT) };
	if (inet_pton(AF_INET, local, &la.sin_addr) != 1 ||
	    inet_pton(AF_INET, remote, &ra.sin_addr) != 1)
		goto usage;
	{
		uint8_t probe[TX_MAX];
		if (build(probe, imsi_base, 0, la.sin_addr.s_addr, apn) == 0) {
			fprintf(stderr, "gtpv2: cannot code APN \"%s\"\n", apn);
			return 2;
		}
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int sz = 4 << 20;
	if (fd < 0) {
		perror("gtpv2: socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&la, sizeof(la)) != 0 ||
	    connect(fd, (struct sockaddr *)&ra, sizeof(ra)) != 0) {
		perror("gtpv2: socket");
		return 1;
	}
	/* Per request: state 0 unsent, 1 outstanding, 2 answered, 3 given up. */
	uint8_t *state = calloc((size_t)count, 1), *tries = calloc((size_t)count, 1);
	double *sent_at = calloc((size_t)count, sizeof(double));
	uint32_t *teid = calloc((size_t)count, 4), *addr = calloc((size_t)count, 4);
	int *cause = calloc((size_t)count, sizeof(int));
	if (!state || !tries || !sent_at || !teid || !addr || !cause)
		return 1;
	static uint8_t txb[BATCH][TX_MAX], rxb[BATCH][2048];
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
				txv[k].iov_len = build(txb[k], imsi_base + (unsigned long long)i, i,
				    la.sin_addr.s_addr, apn);
				tries[i]++;
				retx++;
				sent_at[i] = t;
				k++;
			}
		}
		while (k < BATCH && next < count && outstanding < window) {
			txv[k].iov_len = build(txb[k], imsi_base + (unsigned long long)next, next,
			    la.sin_addr.s_addr, apn);
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
			if (parse(rxb[i], rx[i].msg_len, &seq, &c, &te, &ad) != 0)
				continue;
			/* The newest outstanding request with this sequence number. */
			long idx = -1;
			for (long j = (long)seq + ((next - 1 - (long)seq) / SEQ_MOD) * SEQ_MOD;
			     j >= 0; j -= SEQ_MOD) {
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
			if (accepted_cause(c) && te != 0 && ad != 0)
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
			if (state[i] != 2 || !accepted_cause(cause[i]) || teid[i] == 0 ||
			    addr[i] == 0)
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
