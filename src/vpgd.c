/*
 * vpgd: read the bootstrap file, wire the parts, run the loop. Everything
 * that decides anything lives in the layers below (docs/DESIGN.md, "Layout");
 * this file only connects them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <net/if.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "conf/config.h"
#include "conf/parse.h"
#include "store/restore.h"
#include "conf/state.h"
#include "store/store.h"
#include "core/attach.h"
#include "core/counters.h"
#include "fwd/datapath.h"
#include "fwd/egress.h"
#include "fwd/egress_priv.h"
#include "fwd/filter.h"
#include "fwd/gate.h"
#include "inspect/inspect.h"
#include "fwd/mirror.h"
#include "fwd/peek.h"
#include "fwd/peek_slow.h"
#include "fwd/redirect.h"
#include "core/ippool.h"
#include "core/session.h"
#include "core/sim_routes.h"
#include "fwd/uplink.h"
#include "fwd/xdp.h"
#include "roles/ggsn.h"
#include "roles/pgw.h"
#include "roles/upf.h"
#include "io/handoff.h"
#include "io/log.h"
#include "io/loop.h"
#include "io/udp_batch.h"
#include "peek/peek.h"
#include "proto/gtpc.h"
#include "proto/gtpu.h"
#include "proto/gtpv2c.h"
#include "proto/pfcp.h"
#include "proto/vxlan.h"

#define DATA_BATCH 64
#define GTPC_BATCH 16
/* Batches per wake-up, so a flood on one socket cannot starve the others. */
#define BATCHES_PER_WAKE 16
/* How often the control thread looks for flows to export. */
#define EXPORT_TICK_MS 50
/* Rounds of export per look while flows due wait, each between two batches. */
#define EXPORT_ROUNDS 64

/*
 * Two threads: the forwarding thread runs `loop` (data, GTP-C, PFCP, the
 * roles' timers), the control thread runs `ctl_loop` (the API and its store,
 * flow export). `tables` says which of them holds the tables (io/handoff.h).
 */
struct vpgd {
	struct config cfg;
	struct loop *loop;
	struct loop *ctl_loop;
	struct handoff tables;
	pthread_t ctl_thread;
	bool ctl_running;
	struct ippool *pool;
	struct session_table *sessions;
	struct udp_batch *gtpc, *gtpu, *vxlan, *pfcp;
	struct udp_batch *vxlan_tx; /* raw UDP, a source port per flow; NULL: vxlan sends */
	struct udp_batch *gtpv2;    /* the PGW's own GTP-C socket; NULL when it shares gtpc */
	struct gate *gate;
	struct redirect redirect;
	struct filter filter;
	struct mirror mirror;
	struct inspect *inspect;
	struct peek *peek;
	struct egress *egress;
	struct xdp_path *xdp; /* NULL when xdp.mode is off */
	struct store *store;
	struct api *api;
	uint8_t restart_counter;
	struct attach core;
	struct sim_routes sim_routes;
	struct ggsn ggsn;
	struct upf *upf; /* NULL when the UPF role is off */
	struct pgw *pgw; /* NULL when the PGW role is off */
	struct datapath dp;
	int sigfd;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
flush(struct udp_batch *b)
{
	unsigned failed = udp_batch_flush(b);

	for (unsigned i = 0; i < failed; i++)
		counters_drop(VPG_DROP_TX_FAILED);
}

static void
flush_vxlan(struct vpgd *d)
{
	flush(d->vxlan);
	if (d->vxlan_tx != NULL)
		flush(d->vxlan_tx);
}

/* A data socket's counters of what the kernel's offloads (GRO, GSO) did. */
struct offload_ctrs {
	enum vpg_ctr rx_calls, rx_messages, gso_sends, gso_datagrams;
};

static void
count_offloads(struct udp_batch *b, const struct offload_ctrs *c)
{
	struct udp_batch_stats s;

	udp_batch_take_stats(b, &s);
	counters_add(c->rx_calls, s.rx_calls);
	counters_add(c->rx_messages, s.rx_messages);
	counters_add(c->gso_sends, s.tx_gso_sends);
	counters_add(c->gso_datagrams, s.tx_gso_datagrams);
}

/* What left a raw socket's batch direct, past the IP stack (udp_batch_enable_direct). */
static void
count_direct(struct udp_batch *b, enum vpg_ctr ctr)
{
	struct udp_batch_stats s;

	if (b == NULL)
		return;
	udp_batch_take_stats(b, &s);
	counters_add(ctr, s.tx_direct);
}

static void
flush_data(struct vpgd *d)
{
	static const struct offload_ctrs gtpu = { VPG_CTR_GTPU_RX_CALLS, VPG_CTR_GTPU_RX_MESSAGES,
		VPG_CTR_GTPU_TX_GSO_SENDS, VPG_CTR_GTPU_TX_GSO_DATAGRAMS };
	static const struct offload_ctrs vxlan = { VPG_CTR_VXLAN_RX_CALLS,
		VPG_CTR_VXLAN_RX_MESSAGES, VPG_CTR_VXLAN_TX_GSO_SENDS,
		VPG_CTR_VXLAN_TX_GSO_DATAGRAMS };

	flush(d->gtpu);
	flush_vxlan(d);
	count_offloads(d->gtpu, &gtpu);
	count_offloads(d->vxlan, &vxlan);
	count_direct(d->vxlan_tx, VPG_CTR_VXLAN_TX_DIRECT);
	/* A copy that cannot leave is the mirror path's loss, never the original's. */
	if (d->mirror.sock != NULL) {
		unsigned failed = udp_batch_flush(d->mirror.sock);

		for (unsigned i = 0; i < failed; i++)
			counters_drop(VPG_DROP_MIRROR_CONGESTED);
		count_direct(d->mirror.sock, VPG_CTR_MIRROR_TX_DIRECT);
	}
}

/* What a data socket's packets go to: a cache warm-up over the batch, then each packet. */
struct data_path_rx {
	void (*prefetch)(const struct datapath *, const struct udp_pkt *, int);
	void (*rx)(struct datapath *, struct udp_pkt *);
};

/*
 * Up to BATCHES_PER_WAKE batches from one data socket, each flushed before
 * the next receive. What it found tells the loop whether to keep reading
 * the socket every round, out of epoll (io/loop.h loop_add_polled_fd).
 */
static enum loop_poll
drain(struct vpgd *d, struct udp_batch *b, const struct data_path_rx *path)
{
	enum loop_poll found = LOOP_POLL_EMPTY;
	struct udp_pkt *pkts;

	for (int batch = 0; batch < BATCHES_PER_WAKE; batch++) {
		int n = udp_batch_recv(b, &pkts);

		if (n <= 0)
			break;
		if (found != LOOP_POLL_FULL)
			found = n == DATA_BATCH ? LOOP_POLL_FULL : LOOP_POLL_SOME;
		d->dp.now_ms = now_ms();
		peek_tap_batch(d->dp.peek);
		path->prefetch(&d->dp, pkts, n);
		for (int i = 0; i < n; i++)
			path->rx(&d->dp, &pkts[i]);
		/* Queued packets point into the receive buffers: send before the next receive. */
		flush_data(d);
		if (n < DATA_BATCH)
			break;
		handoff_forwarding_yield(&d->tables);
	}
	return found;
}

static enum loop_poll
on_gtpu(void *arg)
{
	struct vpgd *d = arg;

	return drain(d, d->gtpu, &(struct data_path_rx){ uplink_prefetch, uplink_receive });
}

static void
flush_data_cb(void *arg)
{
	flush_data(arg);
}

static void
on_tun(void *arg)
{
	struct vpgd *d = arg;

	d->dp.now_ms = now_ms();
	peek_tap_batch(d->dp.peek);
	egress_receive(&d->dp, flush_data_cb, d);
}

static enum loop_poll
on_vxlan(void *arg)
{
	struct vpgd *d = arg;

	return drain(d, d->vxlan, &(struct data_path_rx){ gate_prefetch, gate_receive });
}

/* A control protocol's handler: one request in, its response out (0: none). */
typedef size_t (*signalling_fn)(struct vpgd *d, const struct udp_pkt *p, uint8_t *out, size_t cap);

/*
 * A batch from a signalling socket (GTP-C, PFCP): each request handled, its
 * response sent back to where it came from (TS 29.060 §7.2, TS 29.244 §6.4).
 */
static void
serve(struct vpgd *d, struct udp_batch *b, signalling_fn handle)
{
	struct udp_pkt *pkts;
	int n = udp_batch_recv(b, &pkts);

	for (int i = 0; i < n; i++) {
		uint8_t *out = udp_batch_scratch(b);
		size_t len;

		if (pkts[i].truncated) {
			counters_drop(VPG_DROP_RX_TRUNCATED);
			continue;
		}
		len = handle(d, &pkts[i], out, UDP_BATCH_DATA);
		if (len > 0)
			udp_batch_queue(b, out, len, pkts[i].from_be, pkts[i].from_port);
	}
	flush(b);
}

static size_t
ggsn_request(struct vpgd *d, const struct udp_pkt *p, uint8_t *out, size_t cap)
{
	struct gtpc_rx rx = { .buf = p->data,
		.len = p->len,
		.from_be = p->from_be,
		.from_port = p->from_port,
		.now_ms = now_ms() };

	return ggsn_handle(&d->ggsn, &rx, out, cap);
}

static size_t
upf_request(struct vpgd *d, const struct udp_pkt *p, uint8_t *out, size_t cap)
{
	struct upf_rx rx = { .buf = p->data,
		.len = p->len,
		.from_be = p->from_be,
		.from_port = p->from_port,
		.now_ms = now_ms() };

	return upf_handle(d->upf, &rx, out, cap);
}

static size_t
pgw_request(struct vpgd *d, const struct udp_pkt *p, uint8_t *out, size_t cap)
{
	struct pgw_rx rx = { .buf = p->data,
		.len = p->len,
		.from_be = p->from_be,
		.from_port = p->from_port,
		.now_ms = now_ms() };

	return pgw_handle(d->pgw, &rx, out, cap);
}

/*
 * One udp/2123 for the GGSN and the PGW on the same address: the version in
 * the first octet says whose a message is (TS 29.274 §5.1, TS 29.060 §6).
 * Another version goes to the role that answers Version Not Supported.
 */
static size_t
gtpc_request(struct vpgd *d, const struct udp_pkt *p, uint8_t *out, size_t cap)
{
	bool v2 = p->len > 0 && (p->data[0] >> 5) == 2;

	if (d->pgw != NULL && (v2 || !d->cfg.ggsn_enabled))
		return pgw_request(d, p, out, cap);
	return ggsn_request(d, p, out, cap);
}

static void
on_gtpc(void *arg)
{
	struct vpgd *d = arg;

	serve(d, d->gtpc, gtpc_request);
}

static void
on_gtpv2(void *arg)
{
	struct vpgd *d = arg;

	serve(d, d->gtpv2, pgw_request);
}

static void
pgw_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	struct vpgd *d = arg;

	if (udp_batch_send_now(d->gtpv2 != NULL ? d->gtpv2 : d->gtpc, msg, len, dst_be, port) < 0)
		counters_drop(VPG_DROP_TX_FAILED);
}

static void
on_pfcp(void *arg)
{
	struct vpgd *d = arg;

	serve(d, d->pfcp, upf_request);
}

static void
pfcp_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	struct vpgd *d = arg;

	if (udp_batch_send_now(d->pfcp, msg, len, dst_be, port) < 0)
		counters_drop(VPG_DROP_TX_FAILED);
}

/* Our own requests leave at once: they are rare, and the path keeps a copy to retransmit. */
static void
gtpc_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	struct vpgd *d = arg;

	if (udp_batch_send_now(d->gtpc, msg, len, dst_be, port) < 0)
		counters_drop(VPG_DROP_TX_FAILED);
}

static void
on_tick(void *arg)
{
	struct vpgd *d = arg;

	ggsn_tick(&d->ggsn, now_ms());
	d->dp.now_ms = now_ms();
	gate_tick(&d->dp);
	if (d->upf != NULL)
		upf_tick(d->upf, d->dp.now_ms);
	if (d->pgw != NULL)
		pgw_tick(d->pgw, d->dp.now_ms);
	/* ARP retries queued by the tick leave now. */
	flush_vxlan(d);
}

/*
 * Work that control changes leave for the data path, done between batches;
 * then the tables are the control thread's until something wakes the loop.
 */
static void
before_sleep(void *arg)
{
	struct vpgd *d = arg;

	d->dp.now_ms = now_ms();
	gate_poll(&d->dp);
	flush_vxlan(d);
	if (d->upf != NULL)
		upf_send_reports(d->upf, d->dp.now_ms);
	handoff_forwarding_give(&d->tables);
}

static void
after_wake(void *arg)
{
	struct vpgd *d = arg;

	handoff_forwarding_take(&d->tables);
}

/* Flow export, on the control thread: a budget of flows at a time, between two batches. */
static void
on_export_tick(void *arg)
{
	struct vpgd *d = arg;
	bool more = true;

	/*
	 * Only this thread turns inspection on or off, so it may look without the
	 * tables: while it is off, the tick neither takes them nor wakes forwarding.
	 */
	if (!inspect_active(d->inspect))
		return;
	for (int round = 0; round < EXPORT_ROUNDS && more; round++) {
		handoff_control_take(&d->tables);
		more = inspect_tick(d->inspect, now_ms());
		handoff_control_give(&d->tables);
	}
}

/* Peek, on the control thread: the ring into the files, captures whose time is up ended. */
static void
on_peek_tick(void *arg)
{
	struct vpgd *d = arg;

	peek_tick(d->peek);
}

static void
wake_forwarding(void *arg)
{
	struct vpgd *d = arg;

	if (d->loop != NULL)
		loop_wake(d->loop);
}

static void *
control_thread(void *arg)
{
	struct vpgd *d = arg;

	/* Named, so that top -H and the process tree tell the threads apart. */
	pthread_setname_np(pthread_self(), "vpgd-control");
	if (loop_run(d->ctl_loop) < 0)
		log_err("control loop: %s", strerror(errno));
	return NULL;
}

/* The API and flow export leave the forwarding thread: they run from here on, beside it. */
static int
start_control_thread(struct vpgd *d)
{
	int rc = pthread_create(&d->ctl_thread, NULL, control_thread, d);

	if (rc != 0) {
		log_err("cannot start the control thread: %s", strerror(rc));
		return -1;
	}
	d->ctl_running = true;
	return 0;
}

static void
stop_control_thread(struct vpgd *d)
{
	if (!d->ctl_running)
		return;
	loop_stop(d->ctl_loop);
	pthread_join(d->ctl_thread, NULL);
	d->ctl_running = false;
}

static void
print_counters(struct vpgd *d)
{
	counters_print(stdout, session_count(d->sessions));
}

static void
on_signal(void *arg)
{
	struct vpgd *d = arg;
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGUSR1) {
			print_counters(d);
		} else {
			log_info("signal %u: stopping", si.ssi_signo);
			loop_stop(d->loop);
		}
	}
}

static int
open_signals(struct vpgd *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	/* A vanished SGSN must not kill the daemon through a socket error. */
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return d->sigfd < 0 ? -1 : 0;
}

/* The PGW on the GTP address takes the GGSN's socket (or opens it, alone). */
static bool
pgw_shares_gtpc(const struct config *cfg)
{
	return cfg->pgw_enabled && cfg->pgw_addr_be == cfg->gtp_addr_be;
}

/*
 * GRO and GSO on the data sockets, always: every datagram of a train still
 * takes its own decisions, so nothing changes but fewer receives where the
 * kernel coalesces (the interface's GRO; bench/gro_probe.c), and where it
 * does not, nothing at all (the larger buffers are mapped only as trains
 * fill them). A run of equal datagrams to one peer crosses the stack once
 * and is cut into the datagrams that would have left one by one: by the NIC
 * where it segments UDP, past a veth or bridge, or by the kernel at the
 * device where nothing does (tx-udp-segmentation off): even that costs less
 * than a send each (bench/, Figure 2); a run the kernel refuses goes one by
 * one. The signalling sockets keep neither: their datagrams come a few at a
 * time.
 */
static void
accept_trains(struct udp_batch *b, const char *what)
{
	if (udp_batch_enable_gro(b) < 0)
		log_warn("%s: one datagram a receive (UDP_GRO: %s)", what, strerror(errno));
	udp_batch_enable_gso(b);
}

static int
open_sockets(struct vpgd *d)
{
	char addr[16];

	ipv4_str(d->cfg.gtp_addr_be, addr);
	if (d->cfg.ggsn_enabled || pgw_shares_gtpc(&d->cfg)) {
		d->gtpc = udp_batch_open(d->cfg.gtp_addr_be, GTPC_PORT, GTPC_BATCH);
		if (d->gtpc == NULL) {
			log_err("cannot listen for GTP-C on %s:%d: %s", addr, GTPC_PORT,
			    strerror(errno));
			return -1;
		}
	}
	if (d->cfg.pgw_enabled && !pgw_shares_gtpc(&d->cfg)) {
		d->gtpv2 = udp_batch_open(d->cfg.pgw_addr_be, GTPV2C_PORT, GTPC_BATCH);
		if (d->gtpv2 == NULL) {
			log_err("cannot listen for GTPv2-C on %s:%d: %s",
			    ipv4_str(d->cfg.pgw_addr_be, addr), GTPV2C_PORT, strerror(errno));
			return -1;
		}
	}
	if (d->cfg.pfcp_enabled) {
		d->pfcp = udp_batch_open(d->cfg.pfcp_addr_be, PFCP_PORT, GTPC_BATCH);
		if (d->pfcp == NULL) {
			log_err("cannot listen for PFCP on %s:%d: %s",
			    ipv4_str(d->cfg.pfcp_addr_be, addr), PFCP_PORT, strerror(errno));
			return -1;
		}
	}
	d->gtpu = udp_batch_open(d->cfg.gtp_addr_be, GTPU_PORT, DATA_BATCH);
	if (d->gtpu == NULL) {
		log_err("cannot listen for GTP-U on %s:%d: %s", addr, GTPU_PORT, strerror(errno));
		return -1;
	}
	accept_trains(d->gtpu, "GTP-U");
	/* GRE copies leave from the underlay address; without raw sockets, no mirroring. */
	d->mirror.sock = udp_batch_open_raw(d->cfg.gate_addr_be, IPPROTO_GRE, DATA_BATCH);
	if (d->mirror.sock == NULL)
		log_warn("mirroring unavailable: raw GRE socket: %s", strerror(errno));
	else if (d->cfg.gate_direct && udp_batch_enable_direct(d->mirror.sock) < 0)
		log_warn("GRE copies leave through the IP stack, not direct: packet socket: %s",
		    strerror(errno));
	d->vxlan = udp_batch_open(d->cfg.gate_addr_be, VXLAN_PORT, DATA_BATCH);
	if (d->vxlan == NULL) {
		log_err("cannot listen for VXLAN on %s:%d: %s", ipv4_str(d->cfg.gate_addr_be, addr),
		    VXLAN_PORT, strerror(errno));
		return -1;
	}
	accept_trains(d->vxlan, "VXLAN");
	/* Opened now, with the privileges start-up has: nothing opens a raw socket later. */
	d->vxlan_tx = udp_batch_open_raw(d->cfg.gate_addr_be, IPPROTO_UDP, DATA_BATCH);
	if (d->vxlan_tx == NULL)
		log_warn("VXLAN leaves from port %d, not a port per flow: raw UDP socket: %s",
		    VXLAN_PORT, strerror(errno));
	else if (d->cfg.gate_direct && udp_batch_enable_direct(d->vxlan_tx) < 0)
		log_warn("VXLAN leaves through the IP stack, not direct: packet socket: %s",
		    strerror(errno));
	return 0;
}

/*
 * What devices are told in PCO, from the bootstrap file; a DNS list set
 * through the API and kept in the store replaces it when the state is
 * restored.
 */
static void
core_offer_init(struct vpgd *d)
{
	struct pco_offer *o = &d->core.device_offer;

	o->n_dns = d->cfg.n_dns;
	memcpy(o->dns_be, d->cfg.dns_be, sizeof(o->dns_be));
	o->link_mtu = d->cfg.device_mtu;
}

/* The session core: the tables, the APNs the bootstrap file serves, what devices are told. */
static int
core_init(struct vpgd *d)
{
	const char *apns[CONFIG_MAX_APNS];

	for (unsigned i = 0; i < d->cfg.n_apns; i++)
		apns[i] = d->cfg.apns[i];
	sim_routes_init(&d->sim_routes, d->sessions, d->cfg.subnet_be, d->cfg.prefix);
	d->core = (struct attach){ .sessions = d->sessions,
		.pool = d->pool,
		.next_charging_id = (uint32_t)getpid() << 8,
		.sim_routes = &d->sim_routes };
	core_offer_init(d);
	if (attach_set_apns(&d->core, apns, d->cfg.n_apns) < 0) {
		log_err("apns: too many or too long");
		return -1;
	}
	return 0;
}

static int
build_state(struct vpgd *d)
{
	char err[256];

	d->pool = ippool_new(d->cfg.subnet_be, d->cfg.prefix, d->cfg.gateway_be);
	d->sessions = d->pool ? session_table_new(ippool_capacity(d->pool)) : NULL;
	d->gate = gate_new(d->cfg.gateway_be);
	d->inspect = inspect_new();
	if (d->sessions == NULL || d->gate == NULL || d->inspect == NULL) {
		log_err("out of memory building the gateway's tables");
		return -1;
	}
	if (core_init(d) < 0)
		return -1;
	d->store = store_open(d->cfg.state_dir, err, sizeof(err));
	if (d->store == NULL) {
		log_err("store: %s", err);
		return -1;
	}
	d->peek = peek_new(&(struct peek_config){ .max_sessions = d->cfg.peek_max_sessions,
			       .max_bytes = d->cfg.peek_max_bytes,
			       .retention_s = d->cfg.peek_retention_s },
	    d->store, &d->tables, d->cfg.state_dir, err, sizeof(err));
	if (d->peek == NULL) {
		log_err("%s", err);
		return -1;
	}
	return restore_state(&(struct restore_target){ .cfg = &d->cfg,
	    .store = d->store,
	    .pool = d->pool,
	    .gate = d->gate,
	    .redirect = &d->redirect,
	    .filter = &d->filter,
	    .mirror = &d->mirror,
	    .inspect = d->inspect,
	    .inspect_source_be = d->cfg.gate_addr_be,
	    .device_offer = &d->core.device_offer,
	    .sim_routes = &d->sim_routes });
}

static uint64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
start_api(struct vpgd *d)
{
	struct api_deps deps = { .cfg = &d->cfg,
		.pool = d->pool,
		.sessions = d->sessions,
		.ggsn = d->cfg.ggsn_enabled ? &d->ggsn : NULL,
		.upf = d->upf,
		.pgw = d->pgw,
		.store = d->store,
		.gate = d->gate,
		.redirect = &d->redirect,
		.filter = &d->filter,
		.mirror = &d->mirror,
		.inspect = d->inspect,
		.peek = d->peek,
		.inspect_source_be = d->cfg.gate_addr_be,
		.device_offer = &d->core.device_offer,
		.sim_routes = &d->sim_routes,
		.xdp = d->xdp,
		.restart_counter = d->restart_counter,
		.started_ms = wall_ms(),
		.monotonic_ms = now_ms,
		.tables = &d->tables };
	char err[256], addr[16];

	d->api = api_start(&deps, d->ctl_loop, err, sizeof(err));
	if (d->api == NULL) {
		log_err(
		    "api on %s:%u: %s", ipv4_str(d->cfg.api_addr_be, addr), d->cfg.api_port, err);
		return -1;
	}
	return 0;
}

/*
 * A LAN behind a device (a Framed-Route, or SIM-based routing's, which
 * stays while the device is away): the host routes the prefix into the
 * egress tun.
 */
static void
route_into_egress(void *arg, uint32_t net_be, uint32_t mask_be, bool add)
{
	struct vpgd *d = arg;

	if (d->egress != NULL)
		egress_route(d->egress, net_be, mask_be, add);
}

/* -2 when the interface name is taken: a configuration error, like a bad key. */
static int
start_egress(struct vpgd *d)
{
	char err[512];
	bool exists;

	if (!d->cfg.egress_enabled)
		return 0;
	d->egress = egress_start(&(struct egress_params){ .ifname = d->cfg.egress_if,
				     .subnet_be = d->cfg.subnet_be,
				     .prefix = d->cfg.prefix,
				     .gateway_be = d->cfg.gateway_be,
				     .nat = d->cfg.egress_nat },
	    err, sizeof(err), &exists);
	if (d->egress == NULL) {
		log_err("%s", err);
		return exists ? -2 : -1;
	}
	session_set_route_hook(d->sessions, route_into_egress, d);
	log_info("egress through %s, NAT %s", d->cfg.egress_if, d->cfg.egress_nat ? "on" : "off");
	return 0;
}

/* The PGW role: GTPv2-C from SGWs, on udp/2123 of its address. */
static int
start_pgw(struct vpgd *d)
{
	struct pgw_config pc = { .gtpc_addr_be = d->cfg.pgw_addr_be,
		.gtpu_addr_be = d->cfg.gtp_addr_be,
		.restart_counter = d->restart_counter,
		.echo_ms = d->cfg.gtp_echo_s * 1000u,
		.replay_bytes = (size_t)d->cfg.gtp_replay_mb << 20,
		.allowed_peers = &d->cfg.pgw_peers.list };

	if (!d->cfg.pgw_enabled)
		return 0;
	d->pgw = pgw_new(&pc, &d->core, pgw_send, d);
	if (d->pgw == NULL) {
		log_err("out of memory for the PGW role");
		return -1;
	}
	return 0;
}

/* The UPF role: the user plane of an SMF or PGW-C, on its own PFCP socket. */
static int
start_upf(struct vpgd *d)
{
	struct upf_config uc = { .pfcp_addr_be = d->cfg.pfcp_addr_be,
		.gtpu_addr_be = d->cfg.gtp_addr_be,
		.started_unix = (uint64_t)time(NULL),
		.replay_bytes = (size_t)d->cfg.pfcp_replay_mb << 20,
		.allowed_peers = &d->cfg.pfcp_peers.list };

	if (!d->cfg.pfcp_enabled)
		return 0;
	snprintf(uc.node_id, sizeof(uc.node_id), "%s", d->cfg.pfcp_node_id);
	d->upf = upf_new(&uc, &d->core, pfcp_send, d, now_ms());
	if (d->upf == NULL) {
		log_err("out of memory for the UPF role");
		return -1;
	}
	return 0;
}

/*
 * A capture started or stopped: the fast path leaves its packets to the
 * socket path while it runs, a device's sessions or everything.
 */
static void
sync_xdp(void *arg)
{
	struct vpgd *d = arg;

	peek_slow_sync(d->dp.peek, d->dp.sessions);
	xdp_sync_control(d->xdp);
}

/* A device attaching while a capture of its IMSI runs starts on the socket path. */
static bool
capture_wants(void *arg, const struct session *s)
{
	const struct vpgd *d = arg;

	return peek_slow_wants(d->dp.peek, s);
}

/*
 * The fast path, loaded and attached with the other privileged set-up,
 * before the sockets are bound: the kernel's verification takes a while on
 * a busy host, and a control peer's requests sent meanwhile would wait in a
 * bound socket, retransmitted, to be answered all at once (open5gs's SMF
 * logs every answer after the first as an error). Unbound, they are lost
 * and the next retransmission is answered. Only the path's address is taken
 * from d->dp here; it is filled before start_xdp.
 */
static void
load_xdp(struct vpgd *d)
{
	const struct inspect_config *inspection = inspect_get_config(d->inspect);
	struct xdp_params p = { .mode = (enum xdp_mode)d->cfg.xdp_mode,
		.n_ifs = d->cfg.n_xdp_ifs,
		.sessions = ippool_capacity(d->pool),
		.flows = inspection != NULL ? inspection->max_flows : 0,
		.gate_be = d->cfg.gate_addr_be,
		.subnet_be = d->cfg.subnet_be,
		.prefix = d->cfg.prefix,
		.dp = &d->dp };

	for (unsigned i = 0; i < p.n_ifs && i < XDP_MAX_IFS; i++)
		p.ifs[i] = d->cfg.xdp_ifs[i];
	d->xdp = xdp_start(&p);
}

/* The maps filled from the restored state before any packet comes. */
static void
start_xdp(struct vpgd *d)
{
	xdp_sync_all(d->xdp);
	peek_set_change_hook(d->peek, sync_xdp, d);
	d->core.slow_path = capture_wants;
	d->core.slow_path_arg = d;
}

static int
start(struct vpgd *d)
{
	char err[CONFIG_ERR_LEN];
	uint8_t restart;
	int rc;

	rc = state_prepare_dir(d->cfg.state_dir);
	if (rc == 0)
		rc = state_bump_restart_counter(d->cfg.state_dir, &restart);
	if (rc < 0) {
		log_err("state directory %s: %s", d->cfg.state_dir, strerror(-rc));
		return -1;
	}
	d->restart_counter = restart;
	if (build_state(d) < 0)
		return -1;
	rc = start_egress(d);
	if (rc < 0)
		return rc;
	load_xdp(d);
	if (open_sockets(d) < 0 || open_signals(d) < 0)
		return -1;
	if (config_resolve_peers(&d->cfg, err) < 0) {
		log_err("%s", err);
		return -2;
	}
	d->ggsn = (struct ggsn){ .core = &d->core,
		.local_be = d->cfg.gtp_addr_be,
		.restart_counter = restart,
		.echo_ms = d->cfg.gtp_echo_s * 1000u,
		.replay_bytes = (size_t)d->cfg.gtp_replay_mb << 20,
		.allowed_peers = d->cfg.ggsn_enabled ? &d->cfg.gtp_peers.list : NULL };
	if (ggsn_start(&d->ggsn, gtpc_send, d) < 0)
		return -1;
	d->dp = (struct datapath){ .sessions = d->sessions,
		.core = &d->core,
		.gate = d->gate,
		.redirect = &d->redirect,
		.egress = d->egress,
		.filter = &d->filter,
		.mirror = &d->mirror,
		.inspect = d->inspect,
		.peek = peek_tap(d->peek),
		.gtpu = d->gtpu,
		.vxlan = d->vxlan,
		.vxlan_tx = d->vxlan_tx,
		.gateway_be = d->cfg.gateway_be,
		.local_be = d->cfg.gtp_addr_be,
		.subnet_be = d->cfg.subnet_be,
		.netmask_be = htonl(~0u << (32 - d->cfg.prefix)) };
	if (start_upf(d) < 0 || start_pgw(d) < 0)
		return -1;
	start_xdp(d);
	d->loop = loop_new();
	d->ctl_loop = loop_new();
	if (d->loop == NULL || d->ctl_loop == NULL ||
	    loop_add_timer(d->ctl_loop, EXPORT_TICK_MS, on_export_tick, d) < 0 ||
	    loop_add_timer(d->ctl_loop, PEEK_TICK_MS, on_peek_tick, d) < 0 ||
	    (d->gtpc != NULL && loop_add_fd(d->loop, udp_batch_fd(d->gtpc), on_gtpc, d) < 0) ||
	    (d->pfcp != NULL && loop_add_fd(d->loop, udp_batch_fd(d->pfcp), on_pfcp, d) < 0) ||
	    (d->gtpv2 != NULL && loop_add_fd(d->loop, udp_batch_fd(d->gtpv2), on_gtpv2, d) < 0) ||
	    loop_add_polled_fd(d->loop, udp_batch_fd(d->gtpu), on_gtpu, d) < 0 ||
	    loop_add_polled_fd(d->loop, udp_batch_fd(d->vxlan), on_vxlan, d) < 0 ||
	    (d->egress != NULL && loop_add_fd(d->loop, egress_fd(d->egress), on_tun, d) < 0) ||
	    loop_add_fd(d->loop, d->sigfd, on_signal, d) < 0 ||
	    loop_add_timer(d->loop, 1000, on_tick, d) < 0) {
		log_err("event loop: %s", strerror(errno));
		return -1;
	}
	loop_set_before_sleep(d->loop, before_sleep, d);
	loop_set_after_wake(d->loop, after_wake, d);
	if (start_api(d) < 0)
		return -1;
	log_info("restart counter %u", restart);
	return 0;
}

static void
stop(struct vpgd *d)
{
	api_stop(d->api);
	/* Before the tables go: the program must stop reading what they mirror. */
	xdp_stop(d->xdp);
	loop_free(d->ctl_loop);
	loop_free(d->loop);
	udp_batch_close(d->gtpc);
	udp_batch_close(d->pfcp);
	udp_batch_close(d->gtpv2);
	upf_free(d->upf);
	pgw_free(d->pgw);
	udp_batch_close(d->gtpu);
	udp_batch_close(d->vxlan);
	udp_batch_close(d->vxlan_tx);
	udp_batch_close(d->mirror.sock);
	gate_free(d->gate);
	inspect_free(d->inspect);
	egress_stop(d->egress);
	if (d->sigfd > 0)
		close(d->sigfd);
	ggsn_stop(&d->ggsn);
	session_table_free(d->sessions);
	ippool_free(d->pool);
	peek_free(d->peek);
	store_close(d->store);
	config_free(&d->cfg);
}

static void
usage(void)
{
	fprintf(stderr, "usage: vpgd -c FILE [-n] [-v]\n"
			"  -c FILE  bootstrap file (JSON)\n"
			"  -n       check the file, print \"configuration OK\" and exit\n"
			"  -v       log debug messages\n");
}

static void
log_ready(const struct vpgd *d)
{
	char gtp[16], net[16], gw[16];

	log_info("ready: GTP on %s (%sudp/%d), device subnet %s/%u, gateway %s, "
		 "%u addresses",
	    ipv4_str(d->cfg.gtp_addr_be, gtp), d->cfg.ggsn_enabled ? "udp/2123, " : "", GTPU_PORT,
	    ipv4_str(d->cfg.subnet_be, net), d->cfg.prefix, ipv4_str(d->cfg.gateway_be, gw),
	    ippool_capacity(d->pool));
	if (d->cfg.gtp_echo_s != 0 && d->cfg.gtp_echo_s < CONFIG_ECHO_SPEC_MIN_S)
		log_warn(
		    "gtp.echoInterval %u s: peers are echoed more often than the %d s TS 29.060 "
		    "§7.2.1 and TS 29.274 §7.1.1 allow",
		    d->cfg.gtp_echo_s, CONFIG_ECHO_SPEC_MIN_S);
	if (d->upf != NULL)
		log_info("UPF role: PFCP on %s (udp/%d), node id %s",
		    ipv4_str(d->cfg.pfcp_addr_be, gtp), PFCP_PORT, d->cfg.pfcp_node_id);
	if (d->pgw != NULL)
		log_info("PGW role: GTPv2-C on %s (udp/%d%s)", ipv4_str(d->cfg.pgw_addr_be, gtp),
		    GTPV2C_PORT,
		    d->gtpv2 == NULL && d->cfg.ggsn_enabled ? ", beside the GGSN's GTPv1-C" : "");
	if (!d->cfg.ggsn_enabled)
		log_info("GGSN role off: no GTPv1-C on udp/%d", GTPC_PORT);
}

/* The API alone may hold a thousand connections: the usual soft limit of 1024 descriptors is too
 * few. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= 8192)
		return;
	rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_warn("cannot raise the descriptor limit: %s", strerror(errno));
}

/*
 * The forwarding thread is this one: it holds the tables from here until
 * its loop first sleeps. The log writer and the control thread start only
 * now, after everything privileged at start-up is done.
 */
static int
run(struct vpgd *d)
{
	int rc;

	if (log_start_writer() < 0)
		log_warn("no log thread: lines are written where they happen");
	handoff_forwarding_take(&d->tables);
	if (start_control_thread(d) < 0) {
		handoff_forwarding_give(&d->tables);
		return -1;
	}
	rc = loop_run(d->loop);
	handoff_forwarding_give(&d->tables);
	stop_control_thread(d);
	return rc;
}

int
main(int argc, char **argv)
{
	static struct vpgd d;
	char err[CONFIG_ERR_LEN];
	const char *path = NULL;
	int opt, check_only = 0, rc;

	while ((opt = getopt(argc, argv, "c:nvh")) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			check_only = 1;
			break;
		case 'v':
			log_set_level(LOG_DEBUG);
			break;
		default:
			usage();
			return 2;
		}
	}
	if (path == NULL || optind != argc) {
		usage();
		return 2;
	}
	if (config_load(path, &d.cfg, err) < 0) {
		fprintf(stderr, "vpgd: %s: %s\n", path, err);
		return 2;
	}
	if (check_only) {
		printf("configuration OK\n");
		config_free(&d.cfg);
		return 0;
	}
	d.sigfd = -1;
	handoff_init(&d.tables, wake_forwarding, &d);
	raise_fd_limit();
	rc = start(&d);
	/* Everything is open: from here on the gateway runs unprivileged (fwd/egress_priv.h). */
	if (rc == 0)
		rc = egress_priv_split(&(struct egress_priv_params){ .egress = d.egress,
		    .loop = d.loop,
		    .user = d.cfg.user,
		    .state_dir = d.cfg.state_dir });
	/* The control loop's descriptors were added before the split, as the forwarding loop's. */
	if (rc == 0 && loop_after_fork(d.ctl_loop) < 0) {
		log_err("control loop after the split: %s", strerror(errno));
		rc = -1;
	}
	if (rc < 0) {
		stop(&d);
		return rc == -2 ? 2 : 1;
	}
	log_ready(&d);
	rc = run(&d);
	print_counters(&d);
	stop(&d);
	log_stop_writer();
	handoff_destroy(&d.tables);
	return rc < 0 ? 1 : 0;
}
