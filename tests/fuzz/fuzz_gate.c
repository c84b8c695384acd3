/*
 * libFuzzer harness for the gate on live tables: per input, a gate (open,
 * VNI 10, a neighbour table of 64 entries so that eviction and a full table
 * are reached) with three registered peers whose addresses are resolved,
 * three attached devices and redirection to the first peer; then a sequence
 * of records "flags, length (2 octets), bytes". The low two bits of flags
 * pick the sender: peer 0, 1, 2, or a host that is not registered. Bit 2
 * makes the bytes a device's packet onto the segment, to the subnet address
 * its first two octets name, instead of a VXLAN datagram from a peer; bit 3
 * advances the clock 1.5 s and runs the tick; bit 4 runs gate_poll. After
 * every record the tables must hold: the neighbour table is consistent and
 * within its size, every peer's inner address is still there (pinned), the
 * peers and devices are the ones set up, and every device keeps its address.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwd/gate_neigh.h"
#include "io/log.h"

#include "../unit/fwd_test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TABLE	 64
#define N_PEERS	 3
#define STRANGER IP4(127, 0, 0, 99)

#define PEER_OUTER(i) IP4(127, 0, 0, 43 + (i))
#define PEER_INNER(i) IP4(10, 10, 10, 10 + (i))
static const char *const imsis[] = { "999010000000001", "999010000000002", "999010000000003" };

/*
 * The lab of the forwarding unit tests, but its sockets opened once for the
 * process (loopback, any port) and no SGSN listening: what the gate sends
 * leaves and is lost, which is all the harness needs.
 */
static int
set_up(struct fwd_lab *l, struct udp_batch *gtpu, struct udp_batch *vxlan)
{
	memset(l, 0, sizeof(*l));
	memset(&vpg_counters, 0, sizeof(vpg_counters));
	l->core.pool = ippool_new(IP4(10, 10, 0, 0), 16, GATEWAY);
	l->core.sessions = session_table_new(16);
	if (l->core.pool == NULL || l->core.sessions == NULL)
		return -1;
	sim_routes_init(&l->routes, l->core.sessions, IP4(10, 10, 0, 0), 16);
	l->core.sim_routes = &l->routes;
	l->dp = (struct datapath){ .sessions = l->core.sessions,
		.core = &l->core,
		.gate = gate_new_sized(GATEWAY, TABLE),
		.redirect = &l->redirect,
		.filter = &l->filter,
		.gtpu = gtpu,
		.vxlan = vxlan,
		.gateway_be = GATEWAY,
		.local_be = IP4(127, 0, 0, 1),
		.subnet_be = IP4(10, 10, 0, 0),
		.netmask_be = IP4(255, 255, 0, 0),
		.now_ms = 1000 };
	if (l->dp.gate == NULL)
		return -1;
	gate_configure(l->dp.gate, true, 10, false);
	for (unsigned i = 0; i < N_PEERS; i++)
		if (gate_peer_add(l->dp.gate, PEER_OUTER(i), PEER_INNER(i)) < 0)
			return -1;
	for (unsigned i = 0; i < sizeof(imsis) / sizeof(imsis[0]); i++)
		if (fwd_attach(l, imsis[i], 0x100 + i) == NULL)
			return -1;
	l->redirect =
	    (struct redirect){ .set = true, .enabled = true, .gateway_be = PEER_INNER(0) };
	gate_poll(&l->dp);
	return 0;
}

static void
check_tables(struct fwd_lab *l)
{
	const struct gate_neigh_table *t = gate_neighbors(l->dp.gate);
	struct session *s;
	uint32_t n = 0;

	if (!gate_neigh_consistent(t) || gate_neigh_count(t) > TABLE)
		__builtin_trap();
	for (unsigned i = 0; i < N_PEERS; i++)
		if (gate_neigh_find(t, PEER_INNER(i)) == NULL)
			__builtin_trap();
	if (gate_peer_count(l->dp.gate) != N_PEERS)
		__builtin_trap();
	for (uint32_t i = session_next(l->core.sessions, 0, &s); i != 0;
	     i = session_next(l->core.sessions, i, &s)) {
		if (session_find_ip(l->core.sessions, s->ip_be) != s)
			__builtin_trap();
		n++;
	}
	if (n != sizeof(imsis) / sizeof(imsis[0]))
		__builtin_trap();
}

/* A device's packet onto the segment, as the uplink hands it over: an echo to dst. */
static void
device_sends(struct fwd_lab *l, const uint8_t *rec, size_t len)
{
	uint8_t *pkt = l->buf + UDP_BATCH_HEADROOM;
	uint32_t dst = IP4(10, 10, 0, 0);

	if (len >= 2)
		dst |= htonl((uint32_t)rec[0] << 8 | rec[1]);
	fwd_echo(pkt, IP4(10, 10, 0, 2), dst);
	(void)gate_send_ipv4(&l->dp, pkt, 28, dst);
}

static void
peer_sends(struct fwd_lab *l, unsigned from, const uint8_t *rec, size_t len)
{
	uint8_t *d = l->buf + UDP_BATCH_HEADROOM;

	memcpy(d, rec, len);
	l->pkt = (struct udp_pkt){ .data = d,
		.len = len,
		.from_be = from < N_PEERS ? PEER_OUTER(from) : STRANGER,
		.from_port = VXLAN_PORT };
	gate_prefetch(&l->dp, &l->pkt, 1);
	gate_receive(&l->dp, &l->pkt);
}

static void
run(struct fwd_lab *l, const uint8_t *data, size_t size)
{
	while (size >= 3) {
		uint8_t flags = data[0];
		size_t len = (size_t)data[1] << 8 | data[2];

		data += 3, size -= 3;
		if (len > size)
			len = size;
		if (len > UDP_BATCH_DATA)
			len = UDP_BATCH_DATA;
		if (flags & 0x08) {
			l->dp.now_ms += 1500;
			gate_tick(&l->dp);
		}
		if (flags & 0x04)
			device_sends(l, data, len);
		else
			peer_sends(l, flags & 0x03, data, len);
		if (flags & 0x10)
			gate_poll(&l->dp);
		/* Queued datagrams point into the buffer the next record overwrites. */
		udp_batch_flush(l->dp.vxlan);
		udp_batch_flush(l->dp.gtpu);
		check_tables(l);
		data += len, size -= len;
	}
}

static void
tear_down(struct fwd_lab *l)
{
	gate_free(l->dp.gate);
	session_table_free(l->core.sessions);
	ippool_free(l->core.pool);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fwd_lab *l;
	static struct udp_batch *gtpu, *vxlan;

	if (l == NULL) {
		log_set_level(LOG_ERR);
		l = malloc(sizeof(*l));
		gtpu = udp_batch_open(IP4(127, 0, 0, 1), 0, 8);
		vxlan = udp_batch_open(IP4(127, 0, 0, 1), 0, 8);
		if (l == NULL || gtpu == NULL || vxlan == NULL)
			__builtin_trap();
	}
	if (set_up(l, gtpu, vxlan) < 0)
		__builtin_trap();
	run(l, data, size);
	tear_down(l);
	return 0;
}
