/*
 * The REST API (docs/API.md) over HTTP with libmicrohttpd, run by the
 * control thread's loop beside the forwarding thread: connections, request
 * bodies, JSON and the store's commits never hold up a packet. A handler
 * holds the gateway's tables only while it reads or changes them (taken
 * between two batches, io/handoff.h), so a change reaches the data path
 * whole and with no restart.
 */
#ifndef VPG_API_API_H
#define VPG_API_API_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct filter;
struct gate;
struct handoff;
struct inspect;
struct mirror;
struct ggsn;
struct upf;
struct pgw;
struct peek;
struct redirect;
struct sim_routes;
struct ippool;
struct loop;
struct pco_offer;
struct session_table;
struct store;
struct xdp_path;

/* What the API reads and changes; all owned by the daemon. */
struct api_deps {
	const struct config *cfg;
	struct ippool *pool;
	struct session_table *sessions;
	struct ggsn *ggsn; /* NULL when the GGSN role is off */
	struct upf *upf;   /* NULL when the UPF role is off */
	struct pgw *pgw;   /* NULL when the PGW role is off */
	struct store *store;
	struct gate *gate;
	struct redirect *redirect;
	struct filter *filter;
	struct mirror *mirror;
	struct inspect *inspect;
	struct peek *peek;		/* Peek's captures; NULL: unavailable */
	uint32_t inspect_source_be;	/* where IPFIX leaves from, network order */
	struct pco_offer *device_offer; /* what devices are told in PCO: the core's */
	struct sim_routes *sim_routes;
	struct xdp_path *xdp; /* NULL when XDP is off; its maps follow every change */
	uint8_t restart_counter;
	uint64_t started_ms;		/* wall clock, ms since the epoch */
	uint64_t (*monotonic_ms)(void); /* the clock of GTP-C retransmissions */
	struct handoff *tables;		/* NULL: the caller has the tables to itself */
};

struct api;

/* Listens on cfg->api_addr_be:api_port; NULL with a message in err. */
struct api *api_start(const struct api_deps *deps, struct loop *loop, char *err, size_t errlen);
void api_stop(struct api *a);

#endif
