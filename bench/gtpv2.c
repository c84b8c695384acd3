/* A batched GTPv2-C attach generator, an SGW on S5/S8 (TS 29.274): Create
 * Session Requests (§7.2.1) for COUNT IMSIs from IMSI_BASE on, at most WINDOW
 * outstanding, each retransmitted after 1 s up to 3 times, the whole bounded
 * by SECONDS (the loop of bench/attach_gen.c). It prints "requests N accepted A rejected R lost L
 * seconds S rate X retransmitted T" (X: accepted answers per second), as bench/gtpc.c does, and,
 * with -o, one "TEID ADDRESS" line per accepted session (the PGW's S5/S8-U F-TEID's TEID, where
 * uplink G-PDUs go, and the PAA's address), the form bench/gen.c reads.
 *
 * Request i (from 0): IMSI IMSI_BASE + i, MSISDN its last 12 digits, RAT Type
 * E-UTRAN, Sender F-TEID S5/S8-C SGW (instance 0) TEID i + 1 at LOCAL_IP, APN,
 * Selection Mode 0, PDN Type IPv4, PAA 0.0.0.0, APN-AMBR, and the Bearer
 * Context to be created: EBI 5, S5/S8-U SGW F-TEID (instance 2) TEID i + 1 at
 * LOCAL_IP, Bearer QoS QCI 9. Sequence number i (23 bits: the top bit is the
 * Commands', §7.6).
 *
 *   gtpv2 -l LOCAL_IP -r PGW_IP -n COUNT [-w WINDOW] [-t SECONDS] [-i IMSI_BASE]
 *         [-a APN] [-o FILE]
 *
 * Messages are built and read with vpgd's own GTPv2-C codec
 * (src/proto/gtpv2c*.c).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attach_gen.h"
#include "proto/gtpv2c.h"

#define TX_MAX	   ATTACH_TX_MAX
#define SEQ_MOD	   (1L << 23)
#define RAT_EUTRAN 6 /* §8.17 */
#define EBI	   5

/* Create Session Request i; 0 when it does not fit (an APN the codec refuses). */
static size_t
build(uint8_t *msg, unsigned long long imsi, long i, uint32_t local_be, const char *apn)
{
	static const struct gtpv2c_bearer_qos qos = {
		.pci = 1, .priority_level = 8, .pvi = 0, .qci = 9
	};
	char digits[24];
	struct vpg_wr w;
	size_t hdr, bc;
	uint32_t teid = (uint32_t)i + 1;

	snprintf(digits, sizeof(digits), "%015llu", imsi);
	wr_init(&w, msg, TX_MAX);
	hdr = gtpv2c_build_header(&w, GTPV2C_CREATE_SESSION_REQ, true, 0, (uint32_t)(i % SEQ_MOD));
	gtpv2c_put_tbcd(&w, GTPV2C_IE_IMSI, digits);
	gtpv2c_put_tbcd(&w, GTPV2C_IE_MSISDN, digits + 3);
	gtpv2c_put_u8(&w, GTPV2C_IE_RAT_TYPE, 0, RAT_EUTRAN);
	gtpv2c_put_fteid(&w, 0, GTPV2C_IF_S5S8_SGW_C, teid, local_be);
	gtpv2c_put_apn(&w, apn);
	gtpv2c_put_u8(&w, GTPV2C_IE_SELECTION_MODE, 0, 0);
	gtpv2c_put_u8(&w, GTPV2C_IE_PDN_TYPE, 0, GTPV2C_PDN_IPV4);
	gtpv2c_put_paa_ipv4(&w, 0);
	gtpv2c_put_ambr(
	    &w, &(struct gtpv2c_ambr){ .uplink_kbps = 100000, .downlink_kbps = 200000 });
	bc = gtpv2c_group_begin(&w, GTPV2C_IE_BEARER_CONTEXT, 0);
	gtpv2c_put_ebi(&w, 0, EBI);
	gtpv2c_put_fteid(&w, 2, GTPV2C_IF_S5S8_SGW_U, teid, local_be);
	gtpv2c_put_bearer_qos(&w, &qos);
	gtpv2c_group_end(&w, bc);
	gtpv2c_build_finish(&w, hdr);
	return w.overflow ? 0 : w.len;
}

/*
 * A Create Session Response: its sequence number and cause, and for an
 * accepted one the PGW's S5/S8-U TEID and the PAA's address. Returns -1 for
 * anything else; an acceptance without them is counted as a rejection.
 */
static int
parse(const uint8_t *m, size_t n, uint32_t *seq, int *cause, uint32_t *teid, uint32_t *addr)
{
	static struct gtpv2c_msg msg;
	struct gtpv2c_ies in;
	struct gtpv2c_cause_ie c;
	struct gtpv2c_fteid f;
	struct gtpv2c_paa paa;
	const struct gtpv2c_ie *ie, *bc;

	if (gtpv2c_parse(m, n, &msg) != VPG_DROP_NONE || msg.type != GTPV2C_CREATE_SESSION_RSP)
		return -1;
	*seq = msg.seq;
	*cause = -1;
	*teid = 0;
	*addr = 0;
	ie = gtpv2c_find(&msg.ies, GTPV2C_IE_CAUSE, 0);
	if (ie == NULL || gtpv2c_ie_cause(ie, &c) < 0)
		return 0;
	*cause = c.cause;
	if ((ie = gtpv2c_find(&msg.ies, GTPV2C_IE_PAA, 0)) == NULL || gtpv2c_ie_paa(ie, &paa) < 0 ||
	    (bc = gtpv2c_find(&msg.ies, GTPV2C_IE_BEARER_CONTEXT, 0)) == NULL ||
	    gtpv2c_parse_grouped(bc, &in) != VPG_DROP_NONE ||
	    (ie = gtpv2c_find(&in, GTPV2C_IE_FTEID, 2)) == NULL || gtpv2c_ie_fteid(ie, &f) < 0)
		return 0;
	*teid = f.teid;
	*addr = paa.ipv4_be;
	return 0;
}

/* §8.4: causes 16 to 63 accept a request; an acceptance must give the F-TEID and PAA. */
static bool
accepted(int c, uint32_t teid, uint32_t addr)
{
	return c >= GTPV2C_CAUSE_REQUEST_ACCEPTED && c <= 63 && teid != 0 && addr != 0;
}

int
main(int argc, char **argv)
{
	static const struct attach_proto gtpv2 = { .name = "gtpv2",
		.peer = "PGW_IP",
		.port = GTPV2C_PORT,
		.seq_mod = SEQ_MOD,
		.build = build,
		.parse = parse,
		.accepted = accepted };

	if (argc > 1 && strcmp(argv[1], "replay") == 0)
		return attach_replay_main(argc - 1, argv + 1, &gtpv2);
	return attach_gen_main(argc, argv, &gtpv2);
}
