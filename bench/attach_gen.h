/*
 * The loop both GTP-C attach generators share (bench/gtpc.c for GTPv1-C,
 * bench/gtpv2.c for GTPv2-C): COUNT requests for IMSIs from IMSI_BASE on, at
 * most WINDOW outstanding, each retransmitted after 1 s up to 3 times, the
 * whole bounded by SECONDS. It prints "requests N accepted A rejected R lost
 * L seconds S rate X retransmitted T" (X: accepted answers per second) and,
 * with -o, one "TEID ADDRESS" line per accepted session. What is protocol
 * (building request i, reading an answer) is the generator's.
 *
 *   NAME -l LOCAL_IP -r PEER_IP -n COUNT [-w WINDOW] [-t SECONDS] [-i IMSI_BASE]
 *        [-a APN] [-o FILE]
 */
#ifndef BENCH_ATTACH_GEN_H
#define BENCH_ATTACH_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTACH_TX_MAX 512 /* octets of one request */

struct attach_proto {
	const char *name; /* "gtpc": in the usage and errors */
	const char *peer; /* "GGSN_IP" */
	uint16_t port;
	long seq_mod; /* request i carries sequence number i % seq_mod */
	/* Request i into msg (ATTACH_TX_MAX octets); 0 when it cannot be built. */
	size_t (*build)(
	    uint8_t *msg, unsigned long long imsi, long i, uint32_t local_be, const char *apn);
	/* An answer: 0 with its sequence number, cause, TEID and address; -1 for anything else. */
	int (*parse)(
	    const uint8_t *m, size_t n, uint32_t *seq, int *cause, uint32_t *teid, uint32_t *addr);
	/* Whether an answer with these accepted the request. */
	bool (*accepted)(int cause, uint32_t teid, uint32_t addr);
};

int attach_gen_main(int argc, char **argv, const struct attach_proto *p);
/*
 * "NAME replay ...": the replay check of bench/replay_gen.c, paced at an
 * offered rate with duplicates injected. argv[0] is "replay".
 */
int attach_replay_main(int argc, char **argv, const struct attach_proto *p);

#endif
