/*
 * The GGSN side of the GTPv1-C procedures (TS 29.060 §7.2, §7.3): path
 * management (Echo, Version Not Supported) and PDP context Create, Update and
 * Delete. It turns a request datagram into a response datagram and changes
 * the session table and address pool on the way; sockets are the caller's.
 */
#ifndef VPG_ROLES_GGSN_H
#define VPG_ROLES_GGSN_H

#include <stddef.h>
#include <stdint.h>

/* The longest QoS Profile value kept and echoed (TS 29.060 §7.7.34 allows more; none send it). */
#define GGSN_QOS_MAX 32

struct attach;
struct gtp_peers;
struct sig_path;

struct ggsn {
	struct attach *core;	 /* the session core every role creates sessions through */
	uint32_t local_be;	 /* our GTP-C and GTP-U address, advertised in GSN Address IEs */
	uint8_t restart_counter; /* sent in every Recovery IE */
	uint32_t echo_ms;	 /* between Echo Requests to an SGSN with contexts; 0: never */
	size_t replay_bytes;	 /* the replay cache (gtp.replayCacheMB); 0: the default */
	/* From ggsn_start; NULL before (unit tests may run the procedures without them). */
	struct sig_path *path;	 /* replay cache and our own requests */
	struct gtp_peers *peers; /* the SGSNs: restart counters, Echo, path failures */
	void (*send)(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port);
	void *send_arg;
};

/* One received datagram and where it came from. */
struct gtpc_rx {
	const uint8_t *buf;
	size_t len;
	uint32_t from_be;
	uint16_t from_port;
	uint64_t now_ms; /* monotonic */
};

/*
 * Handles one datagram received from an SGSN. Writes the response into out
 * and returns its length, or returns 0 when the datagram gets no answer
 * (it was then counted as a drop).
 */
size_t ggsn_handle(struct ggsn *gp, const struct gtpc_rx *rx, uint8_t *out, size_t cap);

/*
 * Gives the filled-in gp its signalling path (T3-RESPONSE and N3-REQUESTS,
 * TS 29.060 §7.6) and its SGSN table; our requests leave through send.
 * 0, or -1 without memory. ggsn_stop frees them.
 */
int ggsn_start(struct ggsn *gp,
    void (*send)(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port),
    void *arg);
void ggsn_stop(struct ggsn *gp);
/* Once a second: retransmissions, Echo to the SGSNs that hold contexts. */
void ggsn_tick(struct ggsn *gp, uint64_t now_ms);

/*
 * GGSN-initiated deactivation (TS 29.060 §7.3.5): removes every context of
 * imsi and sends their SGSN a Delete PDP Context Request for each, through
 * the path so that it is retransmitted until answered. Returns how many
 * contexts were removed.
 */
int ggsn_delete_imsi(struct ggsn *gp, const char *imsi, uint64_t now_ms);

#endif
