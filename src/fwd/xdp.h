/*
 * The XDP fast path (bpf/vpgd_xdp.bpf.c): loaded, verified by the running
 * kernel and attached at start-up, before the privilege split, to every
 * interface of the bootstrap file's "xdp" block or to none. The gateway
 * keeps the maps' descriptors and mirrors the session core's tables into
 * them (fwd/xdp_map.h): sessions through the session table's change hook,
 * the gate's neighbours through its neighbour hook, the rest after every
 * change the API makes. The program is attached through BPF links that only
 * the gateway holds, so the kernel detaches it when the gateway exits,
 * however it ends.
 */
#ifndef VPG_FWD_XDP_H
#define VPG_FWD_XDP_H

#include <stdbool.h>
#include <stdint.h>

#include "fwd/xdp_abi.h"

struct datapath;
struct session;

enum xdp_mode { XDP_MODE_OFF, XDP_MODE_NATIVE, XDP_MODE_GENERIC };

#define XDP_MAX_IFS 8

struct xdp_params {
	enum xdp_mode mode;
	unsigned n_ifs;
	const char *ifs[XDP_MAX_IFS];
	uint32_t sessions;  /* the session table's capacity: the maps' size */
	uint32_t flows;	    /* Inspection's maxFlows at start (0: off): the flows map's size */
	uint32_t gate_be;   /* our VXLAN address */
	uint32_t subnet_be; /* the device subnet, subnet_be/prefix: "addr_slots" covers it */
	uint8_t prefix;
	struct datapath *dp;
};

struct xdp_path;

/*
 * Loads and attaches the program: NULL when mode is off. When the kernel
 * refuses the program or an interface refuses the mode, one line says so,
 * nothing stays attached and the returned path reports the socket path.
 */
struct xdp_path *xdp_start(const struct xdp_params *p);
/* Detaches (the links go) and frees. NULL is fine. */
void xdp_stop(struct xdp_path *x);
/* Is the program attached (to every interface)? */
bool xdp_attached(const struct xdp_path *x);
/*
 * Writes every map from the tables and then enables the program: at
 * start-up, after the state is restored. Hooks the session table and the
 * gate so that their changes follow.
 */
void xdp_sync_all(struct xdp_path *x);
/* After a control change (the API's): settings, routing filter, gate peers, neighbours. */
void xdp_sync_control(struct xdp_path *x);
/*
 * Adds the routing filter hits of what XDP forwarded into the filter's own
 * (fwd/xdp_hits.h), before they are shown; holding the tables. NULL is fine.
 */
void xdp_fold_filter_hits(struct xdp_path *x);

/*
 * What XDP carried for s, to add to the session's own counters (which the
 * socket path keeps); zeros when XDP is off. Read from memory, no system call.
 */
void xdp_session_counters(
    const struct xdp_path *x, const struct session *s, struct xdp_session_counters *out);

/* What GET /v1/vpg, /v1/stats, /metrics and vpgctl status show. */
struct xdp_report {
	const char *mode; /* "off", "native" or "generic": what was asked */
	unsigned n_ifs;
	struct {
		char name[16];
		const char *path; /* "xdp-native", "xdp-generic" or "socket" */
	} ifs[XDP_MAX_IFS];
	uint64_t ctr[XDP_CTR__COUNT]; /* summed over the CPUs */
};
/* x NULL: XDP is off. */
void xdp_report(const struct xdp_path *x, struct xdp_report *r);
const char *xdp_ctr_name(unsigned i);

#endif
