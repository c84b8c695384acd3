/*
 * A forwarding path on the loopback interface for the unit tests of
 * src/fwd/: the session core with SIM-based routing, the gate, and real
 * sockets. Devices' tunnels end at SGSN_ADDR:2152, where what the gateway
 * sends them is read back and parsed; packets come in as the receive path
 * would hand them over, with headroom in front.
 */
#ifndef VPG_TESTS_FWD_TEST_H
#define VPG_TESTS_FWD_TEST_H

#include <arpa/inet.h>
#include <string.h>

#include "core/attach.h"
#include "core/counters.h"
#include "core/ippool.h"
#include "core/session.h"
#include "core/sim_routes.h"
#include "fwd/datapath.h"
#include "fwd/filter.h"
#include "fwd/gate.h"
#include "fwd/redirect.h"
#include "io/udp_batch.h"
#include "proto/gtpu.h"
#include "proto/ipv4.h"
#include "proto/vxlan.h"

#define IP4(a, b, c, d) htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((c) << 8) | (d))
#define SGSN_ADDR	IP4(127, 0, 0, 42)
#define GATEWAY		IP4(10, 10, 0, 1)

struct fwd_lab {
	struct attach core;
	struct sim_routes routes;
	struct sim_table table;
	struct redirect redirect;
	struct filter filter;
	struct datapath dp;
	struct udp_batch *sgsn; /* where devices' G-PDUs arrive */
	uint8_t buf[UDP_BATCH_HEADROOM + UDP_BATCH_DATA];
	struct udp_pkt pkt;
};

/* Device subnet 10.10.0.0/16; the gateway's sockets on 127.0.0.1. */
static inline int
fwd_lab_open(struct fwd_lab *l)
{
	memset(l, 0, sizeof(*l));
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	l->core.pool = ippool_new(IP4(10, 10, 0, 0), 16, GATEWAY);
	l->core.sessions = session_table_new(16);
	sim_routes_init(&l->routes, l->core.sessions, IP4(10, 10, 0, 0), 16);
	l->core.sim_routes = &l->routes;
	l->dp = (struct datapath){ .sessions = l->core.sessions,
		.core = &l->core,
		.gate = gate_new(GATEWAY),
		.redirect = &l->redirect,
		.filter = &l->filter,
		.gtpu = udp_batch_open(IP4(127, 0, 0, 1), 0, 8),
		.vxlan = udp_batch_open(IP4(127, 0, 0, 1), 0, 8),
		.gateway_be = GATEWAY,
		.local_be = IP4(127, 0, 0, 1),
		.subnet_be = IP4(10, 10, 0, 0),
		.netmask_be = IP4(255, 255, 0, 0),
		.now_ms = 1000 };
	l->sgsn = udp_batch_open(SGSN_ADDR, GTPU_PORT, 8);
	if (l->core.pool == NULL || l->core.sessions == NULL || l->dp.gate == NULL ||
	    l->dp.gtpu == NULL || l->dp.vxlan == NULL || l->sgsn == NULL)
		return -1;
	return 0;
}

static inline void
fwd_lab_close(struct fwd_lab *l)
{
	udp_batch_close(l->sgsn);
	udp_batch_close(l->dp.vxlan);
	udp_batch_close(l->dp.gtpu);
	gate_free(l->dp.gate);
	session_table_free(l->core.sessions);
	ippool_free(l->core.pool);
}

/* A device attached through the core, its downlink tunnel dl_teid at the SGSN. */
static inline struct session *
fwd_attach(struct fwd_lab *l, const char *imsi, uint32_t dl_teid)
{
	struct attach_req r = { .imsi = imsi,
		.msisdn = "",
		.apn = "internet",
		.bearer_id = 5,
		.owner = { .role = SESSION_ROLE_GGSN, .peer_be = SGSN_ADDR },
		.dl_teid = dl_teid,
		.dl_addr_be = SGSN_ADDR };
	struct session *s = NULL;

	return attach_create(&l->core, &r, &s) == ATTACH_OK ? s : NULL;
}

/* One device's LAN added to the table, which is then applied and enabled. */
static inline int
fwd_lan(struct fwd_lab *l, const char *imsi, uint32_t net_be, uint8_t len)
{
	if (sim_table_add_device(&l->table, imsi) < 0 ||
	    sim_table_add_prefix(&l->table, net_be, len) < 0 ||
	    sim_routes_set(&l->routes, &l->table) < 0)
		return -1;
	sim_routes_enable(&l->routes, true);
	return 0;
}

/* An ICMP echo request of 28 octets from src to dst, checksums right. */
static inline size_t
fwd_echo(uint8_t *p, uint32_t src_be, uint32_t dst_be)
{
	uint16_t sum;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[3] = 28;
	p[8] = 64;
	p[9] = 1;
	memcpy(p + 12, &src_be, 4);
	memcpy(p + 16, &dst_be, 4);
	/* inet_checksum sums big-endian words: its value goes on the wire high octet first. */
	sum = inet_checksum(p, 20);
	p[10] = (uint8_t)(sum >> 8);
	p[11] = (uint8_t)sum;
	p[20] = 8;
	p[26] = 0x01;
	sum = inet_checksum(p + 20, 8);
	p[22] = (uint8_t)(sum >> 8);
	p[23] = (uint8_t)sum;
	return 28;
}

/* A G-PDU on our uplink TEID teid, carrying an echo from src to dst. */
static inline struct udp_pkt *
fwd_gpdu(struct fwd_lab *l, uint32_t teid, uint32_t src_be, uint32_t dst_be)
{
	uint8_t *d = l->buf + UDP_BATCH_HEADROOM;
	size_t n = fwd_echo(d + GTPU_HDR_LEN, src_be, dst_be);

	d[0] = 0x30;
	d[1] = GTPU_GPDU;
	d[2] = (uint8_t)(n >> 8);
	d[3] = (uint8_t)n;
	d[4] = (uint8_t)(teid >> 24);
	d[5] = (uint8_t)(teid >> 16);
	d[6] = (uint8_t)(teid >> 8);
	d[7] = (uint8_t)teid;
	l->pkt = (struct udp_pkt){
		.data = d, .len = GTPU_HDR_LEN + n, .from_be = SGSN_ADDR, .from_port = GTPU_PORT
	};
	return &l->pkt;
}

/* A VXLAN datagram (VNI 10) from the peer at outer, its frame to the gateway's MAC. */
static inline struct udp_pkt *
fwd_vxlan(struct fwd_lab *l, uint32_t outer_be, uint32_t src_be, uint32_t dst_be)
{
	static const uint8_t peer_mac[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0, 0x10 };
	uint8_t *d = l->buf + UDP_BATCH_HEADROOM;
	uint8_t *frame = d + VXLAN_HDR_LEN;
	size_t n = fwd_echo(frame + ETHER_HDR_LEN, src_be, dst_be);

	memset(d, 0, VXLAN_HDR_LEN);
	d[0] = 0x08; /* RFC 7348 §5: the I flag */
	d[6] = 10;
	memcpy(frame, gate_mac(l->dp.gate), ETHER_ADDR_LEN);
	memcpy(frame + ETHER_ADDR_LEN, peer_mac, ETHER_ADDR_LEN);
	frame[12] = 0x08;
	frame[13] = 0x00;
	l->pkt = (struct udp_pkt){ .data = d,
		.len = VXLAN_HDR_LEN + ETHER_HDR_LEN + n,
		.from_be = outer_be,
		.from_port = VXLAN_PORT };
	return &l->pkt;
}

/*
 * Sends what the path queued and reads what reached the SGSN, loopback
 * delivering at once: how many G-PDUs, and of the last its TEID and its
 * inner source and destination.
 */
static inline int
fwd_sent(struct fwd_lab *l, uint32_t *teid, uint32_t *src_be, uint32_t *dst_be)
{
	struct udp_pkt *got;
	struct gtpu_view v;
	struct ipv4_view ip;
	int n;

	udp_batch_flush(l->dp.gtpu);
	n = udp_batch_recv(l->sgsn, &got);
	for (int i = 0; i < n; i++) {
		if (gtpu_parse(got[i].data, got[i].len, &v) != VPG_DROP_NONE ||
		    ipv4_parse(v.payload, v.payload_len, &ip) != VPG_DROP_NONE)
			return -1;
		*teid = v.teid;
		*src_be = ip.src;
		*dst_be = ip.dst;
	}
	return n;
}

#endif
