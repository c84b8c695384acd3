/* A small PFCP control plane (TS 29.244) for the benchmarks: it sets up an
 * association with a user plane, then creates COUNT sessions with the rules
 * open5gs's SMF sends, at most WINDOW Session Establishment Requests
 * outstanding (each retransmitted after 1 s up to 3 times, the whole bounded
 * by SECONDS), and stays to answer the user plane's Heartbeat Requests for
 * HOLD seconds (or until it is killed), so that the sessions outlive it.
 *
 * Session i (from 0): CP SEID i + 1, UE address UE_FIRST + i, IMSI
 * IMSI_BASE + i, and the rules of open5gs's SMF (2 of its 4 PDRs, 2 of its
 * 3 FARs, its QER):
 * each PDI and Forwarding Parameters with its 3GPP Interface Type (N3, N6):
 *   PDR 1: Source Interface Core, Network Instance "internet", UE IP Address
 *          (destination) -> FAR 1: FORW to Access, Outer Header Creation
 *          GTP-U/UDP/IPv4 TEID DL_TEID_BASE + i at PEER (the generator's
 *          address, where downlink G-PDUs go); QER 1
 *   PDR 2: Source Interface Access, F-TEID CHOOSE (CHOOSE ID 5), Network
 *          Instance, UE IP Address (source), Outer Header Removal GTP-U/UDP/IP
 *          -> FAR 2: FORW to Core; QER 1
 *   QER 1: gates open; MBR MBR_KBPS both ways (0: no MBR)
 *
 * It prints "requests N accepted A rejected R lost L seconds S rate X
 * retransmitted T gtpu ADDRESS" (X: accepted answers per second; ADDRESS: the
 * F-TEID address the user plane chose, where uplink G-PDUs go) and, with -o,
 * one "TEID ADDRESS" line per accepted session (the TEID the user plane chose
 * for PDR 2 and the UE address), the form bench/gen.c reads, before it holds.
 *
 *   pfcp -l LOCAL_IP -r UPF_IP -n COUNT -u UE_FIRST -p PEER [-T DL_TEID_BASE]
 *        [-w WINDOW] [-t SECONDS] [-H HOLD] [-m MBR_KBPS] [-i IMSI_BASE] [-o FILE]
 *
 * Messages are built and read with vpgd's own PFCP codec (src/proto/pfcp*.c,
 * its control-plane builders), which tshark checks in the unit tests.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/pfcp.h"

#define BATCH 64
#define RTS   3970000000u /* our Recovery Time Stamp, NTP seconds */

#define TX_MAX 1024 /* octets of one request of ours */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct params {
	uint32_t local_be, peer_be;
	uint32_t ue_first; /* host order */
	uint32_t dl_teid_base;
	uint64_t mbr_kbps;
	unsigned long long imsi_base;
};

static size_t
finished(struct vpg_wr *w, size_t hdr)
{
	pfcp_build_finish(w, hdr);
	return w->overflow ? 0 : w->len;
}

static size_t
build_assoc(uint8_t *buf, const struct params *p, uint32_t seq)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, buf, TX_MAX);
	hdr = pfcp_build_header(&w, PFCP_ASSOC_SETUP_REQ, seq);
	pfcp_put_node_id_ipv4(&w, p->local_be);
	pfcp_put_recovery_ts(&w, RTS);
	pfcp_put_cp_features(&w, 0);
	return finished(&w, hdr);
}

static size_t
build_heartbeat_rsp(uint8_t *buf, size_t cap, uint32_t seq)
{
	struct vpg_wr w;
	size_t hdr;

	wr_init(&w, buf, cap);
	hdr = pfcp_build_header(&w, PFCP_HEARTBEAT_RSP, seq);
	pfcp_put_recovery_ts(&w, RTS);
	return finished(&w, hdr);
}

/* The request of session 0; build_est changes what differs per session. */
static struct pfcp_msg est;

#define HAS_PDR (PFCP_PDR_HAS_PRECEDENCE | PFCP_PDR_HAS_PDI | PFCP_PDR_HAS_FAR_ID)

static void
est_template(const struct params *p)
{
	struct pfcp_pdr *dl = &est.create_pdr[0], *ul = &est.create_pdr[1];
	struct pfcp_far *f1 = &est.create_far[0], *f2 = &est.create_far[1];

	est.hdr.type = PFCP_SESS_EST_REQ;
	est.has = PFCP_MSG_HAS_NODE_ID | PFCP_MSG_HAS_FSEID | PFCP_MSG_HAS_PDN_TYPE |
		  PFCP_MSG_HAS_USER_ID | PFCP_MSG_HAS_APN;
	est.node_id = (struct pfcp_node_id){ .type = PFCP_NODE_ID_IPV4, .v4_be = p->local_be };
	est.fseid.ip = (struct pfcp_ip){ .has_v4 = true, .v4_be = p->local_be };
	est.pdn_type = PFCP_PDN_IPV4;
	est.user_id.has_imsi = true;
	strcpy(est.apn, "internet");
	est.n_create_pdr = 2;
	/* PDR 1: downlink, from Core to the UE's address. */
	*dl = (struct pfcp_pdr){ .has = HAS_PDR,
		.pdr_id = 1,
		.precedence = 65535,
		.far_id = 1,
		.n_qer_ids = 1,
		.qer_ids = { 1 },
		.pdi = { .has = PFCP_PDI_HAS_NETWORK_INSTANCE | PFCP_PDI_HAS_UE_IP |
				PFCP_PDI_HAS_IFACE_TYPE,
		    .source_iface = PFCP_IFACE_CORE,
		    .network_instance = "internet",
		    .ue_ip = { .has_v4 = true, .sd = true },
		    .iface_type = 17 /* N6 */ } };
	/* PDR 2: uplink, from Access, a TEID the user plane chooses. */
	*ul = (struct pfcp_pdr){ .has = HAS_PDR | PFCP_PDR_HAS_OHR,
		.pdr_id = 2,
		.precedence = 65535,
		.far_id = 2,
		.ohr = PFCP_OHR_GTPU_UDP_IP,
		.n_qer_ids = 1,
		.qer_ids = { 1 },
		.pdi = { .has = PFCP_PDI_HAS_FTEID | PFCP_PDI_HAS_NETWORK_INSTANCE |
				PFCP_PDI_HAS_UE_IP | PFCP_PDI_HAS_IFACE_TYPE,
		    .source_iface = PFCP_IFACE_ACCESS,
		    .fteid = { .ch = true, .chid = true, .has_v4 = true, .choose_id = 5 },
		    .network_instance = "internet",
		    .ue_ip = { .has_v4 = true },
		    .iface_type = 11 /* N3 3GPP Access */ } };
	est.n_create_far = 2;
	/* FAR 1: down to the generator. FAR 2: up to Core (N6: open5gs-upfd's tun only then). */
	*f1 = (struct pfcp_far){ .has = PFCP_FAR_HAS_APPLY_ACTION | PFCP_FAR_HAS_FWD,
		.far_id = 1,
		.apply_action = PFCP_AA_FORW,
		.fwd = { .has = PFCP_FWD_HAS_DEST_IFACE | PFCP_FWD_HAS_NETWORK_INSTANCE |
				PFCP_FWD_HAS_OHC | PFCP_FWD_HAS_IFACE_TYPE,
		    .dest_iface = PFCP_IFACE_ACCESS,
		    .network_instance = "internet",
		    .ohc = { .desc = PFCP_OHC_GTPU_UDP_IPV4, .v4_be = p->peer_be },
		    .iface_type = 11 } };
	*f2 = (struct pfcp_far){ .has = PFCP_FAR_HAS_APPLY_ACTION | PFCP_FAR_HAS_FWD,
		.far_id = 2,
		.apply_action = PFCP_AA_FORW,
		.fwd = { .has = PFCP_FWD_HAS_DEST_IFACE | PFCP_FWD_HAS_NETWORK_INSTANCE |
				PFCP_FWD_HAS_IFACE_TYPE,
		    .dest_iface = PFCP_IFACE_CORE,
		    .network_instance = "internet",
		    .iface_type = 17 } };
	/* QER 1: gates open; an MBR when asked for. */
	est.n_create_qer = 1;
	est.create_qer[0] = (struct pfcp_qer){ .has = PFCP_QER_HAS_GATE, .qer_id = 1 };
	if (p->mbr_kbps > 0) {
		est.create_qer[0].has |= PFCP_QER_HAS_MBR;
		est.create_qer[0].mbr = (struct pfcp_bitrate){ p->mbr_kbps, p->mbr_kbps };
	}
}

/* Session i: CP SEID i + 1, its UE address, its downlink TEID, its IMSI. */
static size_t
build_est(uint8_t *buf, const struct params *p, long i)
{
	uint32_t ue_be = htonl(p->ue_first + (uint32_t)i);
	struct vpg_wr w;

	est.hdr.seq = (uint32_t)(i + 2) & 0xffffff;
	est.fseid.seid = (uint64_t)i + 1;
	est.create_pdr[0].pdi.ue_ip.v4_be = ue_be;
	est.create_pdr[1].pdi.ue_ip.v4_be = ue_be;
	est.create_far[0].fwd.ohc.teid = p->dl_teid_base + (uint32_t)i;
	snprintf(est.user_id.imsi, sizeof(est.user_id.imsi), "%015llu",
	    p->imsi_base + (unsigned long long)i);
	wr_init(&w, buf, TX_MAX);
	pfcp_build_session_req(&w, &est);
	return w.overflow ? 0 : w.len;
}

/* What an answer says: its type, SEID and sequence; its cause; Created PDR 2's F-TEID. */
struct answer {
	uint8_t type;
	uint64_t seid;
	uint32_t seq;
	int cause;
	uint32_t teid, addr_be;
};

static int
read_answer(const uint8_t *m, size_t n, struct answer *a)
{
	static struct pfcp_msg rsp;
	struct pfcp_hdr h;
	struct pfcp_err err;

	if (pfcp_parse_header(m, n, &h) != PFCP_HDR_OK)
		return -1;
	*a = (struct answer){ .type = h.type, .seid = h.seid, .seq = h.seq, .cause = -1 };
	if (h.type == PFCP_HEARTBEAT_REQ || pfcp_parse_body(m, n, &h, &rsp, &err) != PFCP_CAUSE_OK)
		return 0;
	a->cause = rsp.cause;
	for (unsigned k = 0; k < rsp.n_created_pdr; k++) {
		if (rsp.created_pdr[k].pdr_id == 2 && rsp.created_pdr[k].fteid.has_v4) {
			a->teid = rsp.created_pdr[k].fteid.teid;
			a->addr_be = rsp.created_pdr[k].fteid.v4_be;
		}
	}
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: pfcp -l LOCAL_IP -r UPF_IP -n COUNT -u UE_FIRST -p PEER "
			"[-T DL_TEID_BASE] [-w WINDOW] [-t SECONDS] [-H HOLD] [-m MBR_KBPS] "
			"[-i IMSI_BASE] [-o FILE]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *local = NULL, *remote = NULL, *ue = NULL, *peer = NULL, *out_path = NULL;
	struct params p = { .dl_teid_base = 1,
		.mbr_kbps = 100000000ULL, /* 100 Gbit/s: never the limit */
		.imsi_base = 999050000000001ULL };
	long count = 0, window = 64;
	double seconds = 60, hold = 0;
	int opt;

	while ((opt = getopt(argc, argv, "l:r:n:u:p:T:w:t:H:m:i:o:")) != -1) {
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
		case 'u':
			ue = optarg;
			break;
		case 'p':
			peer = optarg;
			break;
		case 'T':
			p.dl_teid_base = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'w':
			window = atol(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'H':
			hold = atof(optarg);
			break;
		case 'm':
			p.mbr_kbps = strtoull(optarg, NULL, 10);
			break;
		case 'i':
			p.imsi_base = strtoull(optarg, NULL, 10);
			break;
		case 'o':
			out_path = optarg;
			break;
		default:
			return usage();
		}
	}
	struct in_addr a;
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons(8805) };
	struct sockaddr_in ra = { .sin_family = AF_INET, .sin_port = htons(8805) };
	if (!local || !remote || !ue || !peer || count <= 0 || window <= 0 || window > 30000 ||
	    inet_pton(AF_INET, local, &la.sin_addr) != 1 ||
	    inet_pton(AF_INET, remote, &ra.sin_addr) != 1 || inet_pton(AF_INET, ue, &a) != 1)
		return usage();
	p.ue_first = ntohl(a.s_addr);
	p.local_be = la.sin_addr.s_addr;
	if (inet_pton(AF_INET, peer, &a) != 1)
		return usage();
	p.peer_be = a.s_addr;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int sz = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (fd < 0 || bind(fd, (struct sockaddr *)&la, sizeof(la)) != 0) {
		perror("pfcp: socket");
		return 1;
	}

	static uint8_t txb[BATCH][TX_MAX], rxb[BATCH][2048], hb[BATCH][64];
	struct mmsghdr tx[BATCH], rx[BATCH], hbm[BATCH];
	struct iovec txv[BATCH], rxv[BATCH], hbv[BATCH];
	struct sockaddr_in from[BATCH];
	memset(tx, 0, sizeof(tx));
	memset(rx, 0, sizeof(rx));
	memset(hbm, 0, sizeof(hbm));
	for (int i = 0; i < BATCH; i++) {
		txv[i].iov_base = txb[i];
		tx[i].msg_hdr.msg_iov = &txv[i];
		tx[i].msg_hdr.msg_iovlen = 1;
		tx[i].msg_hdr.msg_name = &ra;
		tx[i].msg_hdr.msg_namelen = sizeof(ra);
		rxv[i].iov_base = rxb[i];
		rxv[i].iov_len = sizeof(rxb[i]);
		rx[i].msg_hdr.msg_iov = &rxv[i];
		rx[i].msg_hdr.msg_iovlen = 1;
		rx[i].msg_hdr.msg_name = &from[i];
		rx[i].msg_hdr.msg_namelen = sizeof(from[i]);
		hbv[i].iov_base = hb[i];
		hbm[i].msg_hdr.msg_iov = &hbv[i];
		hbm[i].msg_hdr.msg_iovlen = 1;
		hbm[i].msg_hdr.msg_name = &from[i];
		hbm[i].msg_hdr.msg_namelen = sizeof(from[i]);
	}

	/* Per session: state 0 unsent, 1 outstanding, 2 answered, 3 given up. */
	uint8_t *state = calloc((size_t)count, 1), *tries = calloc((size_t)count, 1);
	double *sent_at = calloc((size_t)count, sizeof(double));
	uint32_t *teid = calloc((size_t)count, 4), *gtpu = calloc((size_t)count, 4);
	int *cause = calloc((size_t)count, sizeof(int));
	est_template(&p);
	if (!state || !tries || !sent_at || !teid || !gtpu || !cause)
		return 1;

	int associated = 0, assoc_tries = 0;
	double assoc_sent = 0;
	long next = 0, outstanding = 0, done = 0, low = 0, accepted = 0, rejected = 0, lost = 0,
	     retx = 0;
	double t0 = now_s(), deadline = t0 + seconds, last_scan = t0, t_first = 0, t_last = 0;
	while (done < count && now_s() < deadline && !stop) {
		int k = 0;
		double t = now_s();
		if (!associated) {
			if (t - assoc_sent >= 1.0) {
				if (assoc_tries++ >= 10) {
					fprintf(stderr,
					    "pfcp: no Association Setup Response from %s\n",
					    remote);
					break;
				}
				txv[0].iov_len = build_assoc(txb[0], &p, 1);
				sendmmsg(fd, tx, 1, 0);
				assoc_sent = t;
			}
		} else {
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
					txv[k].iov_len = build_est(txb[k], &p, i);
					tries[i]++;
					retx++;
					sent_at[i] = t;
					k++;
				}
			}
			while (k < BATCH && next < count && outstanding < window) {
				txv[k].iov_len = build_est(txb[k], &p, next);
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
		}
		struct pollfd pf = { fd, POLLIN, 0 };
		if (poll(&pf, 1, 50) <= 0)
			continue;
		for (int i = 0; i < BATCH; i++)
			rx[i].msg_hdr.msg_namelen = sizeof(from[i]);
		int r = recvmmsg(fd, rx, BATCH, MSG_DONTWAIT, NULL);
		int nh = 0;
		for (int i = 0; i < r; i++) {
			struct answer h;
			if (read_answer(rxb[i], rx[i].msg_len, &h) != 0)
				continue;
			if (h.type == PFCP_HEARTBEAT_REQ) {
				hbv[nh].iov_len =
				    build_heartbeat_rsp(hb[nh], sizeof(hb[nh]), h.seq);
				hbm[nh].msg_hdr.msg_name = &from[i];
				nh++;
				continue;
			}
			int c = h.cause;
			uint32_t te = h.teid, ad = h.addr_be;
			if (h.type == PFCP_ASSOC_SETUP_RSP && !associated) {
				if (c != 1) {
					fprintf(stderr,
					    "pfcp: Association Setup refused, cause %d\n", c);
					return 1;
				}
				associated = 1;
				t_first = now_s();
				continue;
			}
			if (h.type != PFCP_SESS_EST_RSP || h.seid < 1 || h.seid > (uint64_t)count)
				continue;
			long idx = (long)h.seid - 1;
			if (state[idx] != 1)
				continue;
			state[idx] = 2;
			cause[idx] = c;
			teid[idx] = te;
			gtpu[idx] = ad;
			if (c == 1 && te != 0) {
				accepted++;
			} else {
				rejected++;
				if (rejected <= 3)
					fprintf(stderr, "pfcp: session %ld refused, cause %d\n",
					    idx, c);
			}
			done++;
			outstanding--;
			t_last = now_s();
		}
		if (nh > 0)
			sendmmsg(fd, hbm, (unsigned)nh, 0);
		while (low < next && state[low] >= 2)
			low++;
	}
	double el = t_last > t_first && t_first > 0 ? t_last - t_first : 0;
	uint32_t where = 0;
	if (out_path) {
		FILE *f = fopen(out_path, "w");
		if (f == NULL) {
			perror(out_path);
			return 1;
		}
		for (long i = 0; i < count; i++) {
			if (state[i] != 2 || cause[i] != 1 || teid[i] == 0)
				continue;
			struct in_addr u = { htonl(p.ue_first + (uint32_t)i) };
			fprintf(f, "%u %s\n", teid[i], inet_ntoa(u));
			if (where == 0)
				where = gtpu[i];
		}
		fclose(f);
	}
	for (long i = 0; i < count && where == 0; i++)
		if (state[i] == 2 && cause[i] == 1)
			where = gtpu[i];
	struct in_addr wa = { where };
	printf("requests %ld accepted %ld rejected %ld lost %ld seconds %.6f rate %.0f "
	       "retransmitted %ld gtpu %s\n",
	    next, accepted, rejected, lost + (count - done), el,
	    el > 0 ? (double)accepted / el : 0.0, retx, inet_ntoa(wa));
	fflush(stdout);
	if (accepted == 0)
		return 1;

	/* Hold: answer the user plane's heartbeats, or it would drop the sessions. */
	double until = now_s() + hold;
	while (!stop && now_s() < until) {
		struct pollfd pf = { fd, POLLIN, 0 };
		if (poll(&pf, 1, 200) <= 0)
			continue;
		for (int i = 0; i < BATCH; i++)
			rx[i].msg_hdr.msg_namelen = sizeof(from[i]);
		int r = recvmmsg(fd, rx, BATCH, MSG_DONTWAIT, NULL), nh = 0;
		for (int i = 0; i < r; i++) {
			struct answer h;
			if (read_answer(rxb[i], rx[i].msg_len, &h) != 0 ||
			    h.type != PFCP_HEARTBEAT_REQ)
				continue;
			hbv[nh].iov_len = build_heartbeat_rsp(hb[nh], sizeof(hb[nh]), h.seq);
			hbm[nh].msg_hdr.msg_name = &from[i];
			nh++;
		}
		if (nh > 0)
			sendmmsg(fd, hbm, (unsigned)nh, 0);
	}
	return 0;
}
