/*
 * What the packet path needs at hand: the session table to look devices up,
 * the GTP-U socket batch to send through, and the gateway's own addresses.
 * uplink.c and downlink.c take it as their first argument.
 */
#ifndef VPG_GW_DATAPATH_H
#define VPG_GW_DATAPATH_H

#include <stdint.h>

struct session_table;
struct udp_batch;

struct datapath {
	struct session_table *sessions;
	struct udp_batch *gtpu;
	uint32_t gateway_be; /* our address inside the device subnet */
	uint32_t local_be;   /* our GTP-U address */
};

#endif
