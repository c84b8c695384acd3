/*
 * At start, what the store holds becomes the running gateway's state: the IP
 * address map, the gate and its peers, the Junction services, the DNS servers
 * devices are told, SIM-based routing. The bootstrap file's ipAddressMap seeds
 * the store the first time; a DNS list set through the API replaces the file's
 * "dns". Entries the current configuration cannot honour (a changed device
 * subnet) stay stored, are logged, and are skipped.
 */
#ifndef VPG_STORE_RESTORE_H
#define VPG_STORE_RESTORE_H

#include <stdint.h>

struct config;
struct filter;
struct gate;
struct inspect;
struct mirror;
struct ippool;
struct pco_offer;
struct redirect;
struct sim_routes;
struct store;

struct restore_target {
	const struct config *cfg;
	struct store *store;
	struct ippool *pool;
	struct gate *gate;
	struct redirect *redirect;
	struct filter *filter;
	struct mirror *mirror;
	struct inspect *inspect;
	uint32_t inspect_source_be;	/* where IPFIX leaves from, network order */
	struct pco_offer *device_offer; /* what devices are told, the core's */
	struct sim_routes *sim_routes;
};

/* 0, or -1 when the store cannot be read (logged). */
int restore_state(const struct restore_target *t);

#endif
