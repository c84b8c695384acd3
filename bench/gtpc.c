/* A batched GTPv1-C attach generator: Create PDP Context Requests (TS 29.060
 * §7.3.1) for COUNT IMSIs from IMSI_BASE on, at most WINDOW outstanding, each
 * retransmitted after 1 s up to 3 times, the whole bounded by SECONDS (the
 * loop of bench/attach_gen.c). It prints "requests N accepted A rejected R
 * lost L seconds S rate X retransmitted T" (X: accepted answers per second)
 * and, with -o, one "TEID_DATA ADDRESS" line per accepted context (the
 * gateway's uplink TEID and the device's address).
 *
 * "gtpc delete SESSIONS ..." detaches the first COUNT contexts of such a file
 * the same way: Delete PDP Context Requests (TS 29.060 §7.3.5) to the TEID
 * of each, a GGSN that uses one TEID for data and control as vpgd does; the
 * line it prints counts the Delete PDP Context Responses.
 *
 *   gtpc -l LOCAL_IP -r GGSN_IP -n COUNT [-w WINDOW] [-t SECONDS] [-i IMSI_BASE]
 *        [-a APN] [-o FILE]
 *   gtpc delete SESSIONS -l LOCAL_IP -r GGSN_IP -n COUNT [-w WINDOW] [-t SECONDS]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach_gen.h"

static size_t
put_tbcd(uint8_t *p, const char *digits)
{
	size_t n = strlen(digits), k = 0;
	for (size_t i = 0; i < n; i += 2) {
		uint8_t lo = (uint8_t)(digits[i] - '0');
		uint8_t hi = i + 1 < n ? (uint8_t)(digits[i + 1] - '0') : 0xf;
		p[k++] = (uint8_t)(hi << 4 | lo);
	}
	return k;
}

static uint8_t *
tlv(uint8_t *p, uint8_t type, const void *v, uint16_t len)
{
	p[0] = type;
	p[1] = (uint8_t)(len >> 8);
	p[2] = (uint8_t)len;
	memcpy(p + 3, v, len);
	return p + 3 + len;
}

static uint8_t *
tv32(uint8_t *p, uint8_t type, uint32_t v)
{
	uint32_t be = htonl(v);
	p[0] = type;
	memcpy(p + 1, &be, 4);
	return p + 5;
}

static size_t
build(uint8_t *msg, unsigned long long imsi, uint32_t teid, uint16_t seq, uint32_t local_be,
    const char *apn)
{
	char digits[24];
	uint8_t *p = msg + 12, apn_wire[128];
	size_t apn_len = 0;

	snprintf(digits, sizeof(digits), "%015llu", imsi);
	*p++ = 2; /* IMSI */
	memset(p, 0xff, 8);
	put_tbcd(p, digits);
	p += 8;
	*p++ = 15; /* selection mode */
	*p++ = 0xf1;
	p = tv32(p, 16, teid); /* TEID data I */
	p = tv32(p, 17, teid); /* TEID control */
	*p++ = 20;	       /* NSAPI */
	*p++ = 5;
	p = tlv(p, 128, "\xf1\x21", 2); /* end user address: IPv4, dynamic */
	for (const char *l = apn; *l;) {
		const char *dot = strchr(l, '.');
		size_t n = dot ? (size_t)(dot - l) : strlen(l);
		apn_wire[apn_len++] = (uint8_t)n;
		memcpy(apn_wire + apn_len, l, n);
		apn_len += n;
		l += n + (dot ? 1 : 0);
	}
	p = tlv(p, 131, apn_wire, (uint16_t)apn_len);
	p = tlv(p, 133, &local_be, 4); /* SGSN address for signalling */
	p = tlv(p, 133, &local_be, 4); /* SGSN address for user traffic */
	{
		uint8_t msisdn[9] = { 0x91 };
		size_t n = put_tbcd(msisdn + 1, digits + 3);
		p = tlv(p, 134, msisdn, (uint16_t)(1 + n));
	}
	p = tlv(p, 135, "\x01\x0b\x92\x1f", 4); /* QoS profile */
	size_t body = (size_t)(p - msg) - 8;
	msg[0] = 0x32;
	msg[1] = 16;
	msg[2] = (uint8_t)(body >> 8);
	msg[3] = (uint8_t)body;
	memset(msg + 4, 0, 4);
	msg[8] = (uint8_t)(seq >> 8);
	msg[9] = (uint8_t)seq;
	msg[10] = msg[11] = 0;
	return (size_t)(p - msg);
}

/* Length of a TV IE's value (TS 29.060 §7.7), -1 for a type we cannot skip. */
static int
tv_len(uint8_t t)
{
	static const signed char len[128] = { [1] = 1,
		[2] = 8,
		[3] = 6,
		[4] = 4,
		[5] = 4,
		[8] = 1,
		[9] = 28,
		[11] = 1,
		[12] = 3,
		[13] = 1,
		[14] = 1,
		[15] = 1,
		[16] = 4,
		[17] = 4,
		[18] = 5,
		[19] = 1,
		[20] = 1,
		[21] = 1,
		[22] = 9,
		[23] = 1,
		[24] = 1,
		[25] = 2,
		[26] = 2,
		[27] = 2,
		[28] = 2,
		[29] = 1,
		[127] = 4 };
	return len[t] ? len[t] : -1;
}

/* Cause, TEID data I and end-user IPv4 address of a Create PDP Context Response. */
static int
parse(const uint8_t *m, size_t n, uint16_t *seq, int *cause, uint32_t *teid, uint32_t *addr)
{
	if (n < 12 || (m[0] & 0xe0) != 0x20 || m[1] != 17 || !(m[0] & 0x02))
		return -1;
	size_t end = 8 + (size_t)(m[2] << 8 | m[3]);
	if (end > n)
		return -1;
	*seq = (uint16_t)(m[8] << 8 | m[9]);
	*cause = -1;
	*teid = 0;
	*addr = 0;
	for (size_t i = 12; i < end;) {
		uint8_t t = m[i];
		if (t & 0x80) {
			if (i + 3 > end)
				break;
			size_t l = (size_t)(m[i + 1] << 8 | m[i + 2]);
			if (t == 128 && l >= 6 && i + 3 + l <= end)
				memcpy(addr, m + i + 5, 4);
			i += 3 + l;
		} else {
			int l = tv_len(t);
			if (l < 0 || i + 1 + (size_t)l > end)
				break;
			if (t == 1)
				*cause = m[i + 1];
			if (t == 16) {
				uint32_t be;
				memcpy(&be, m + i + 1, 4);
				*teid = ntohl(be);
			}
			i += 1 + (size_t)l;
		}
	}
	return 0;
}

/* Request i: TEID Data I and Control i + 1, sequence number i (16 bits). */
static size_t
build_request(uint8_t *msg, unsigned long long imsi, long i, uint32_t local_be, const char *apn)
{
	return build(msg, imsi, (uint32_t)i + 1, (uint16_t)i, local_be, apn);
}

static int
parse_response(
    const uint8_t *m, size_t n, uint32_t *seq, int *cause, uint32_t *teid, uint32_t *addr)
{
	uint16_t seq16;

	if (parse(m, n, &seq16, cause, teid, addr) != 0)
		return -1;
	*seq = seq16;
	return 0;
}

/* TS 29.060 §7.7.1: 128, "Request accepted". */
static bool
accepted(int cause, uint32_t teid, uint32_t addr)
{
	(void)teid, (void)addr;
	return cause == 128;
}

/* The contexts "gtpc delete" detaches: their TEIDs, in the order of the file. */
static uint32_t *delete_teids;
static long n_delete_teids;

static int
load_teids(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long teid;
	char line[128];
	long cap = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lu", &teid) == 1) {
			if (n_delete_teids == cap) {
				cap = cap ? cap * 2 : 1024;
				delete_teids =
				    realloc(delete_teids, (size_t)cap * sizeof(uint32_t));
				if (delete_teids == NULL)
					exit(1);
			}
			delete_teids[n_delete_teids++] = (uint32_t)teid;
		}
	fclose(f);
	return n_delete_teids > 0 ? 0 : -1;
}

/* Delete PDP Context Request i: to the context's TEID, NSAPI 5 as created, sequence i. */
static size_t
build_delete(uint8_t *msg, unsigned long long imsi, long i, uint32_t local_be, const char *apn)
{
	uint32_t teid_be;

	(void)imsi, (void)local_be, (void)apn;
	if (i >= n_delete_teids)
		return 0;
	teid_be = htonl(delete_teids[i]);
	msg[0] = 0x32;
	msg[1] = 20;
	msg[2] = 0;
	msg[3] = 6; /* sequence, N-PDU, next type, then NSAPI */
	memcpy(msg + 4, &teid_be, 4);
	msg[8] = (uint8_t)(i >> 8);
	msg[9] = (uint8_t)i;
	msg[10] = msg[11] = 0;
	msg[12] = 20; /* NSAPI */
	msg[13] = 5;
	return 14;
}

/* Cause of a Delete PDP Context Response. */
static int
parse_delete_response(
    const uint8_t *m, size_t n, uint32_t *seq, int *cause, uint32_t *teid, uint32_t *addr)
{
	if (n < 14 || (m[0] & 0xe0) != 0x20 || m[1] != 21 || !(m[0] & 0x02) || m[12] != 1)
		return -1;
	*seq = (uint32_t)(m[8] << 8 | m[9]);
	*cause = m[13];
	*teid = 0;
	*addr = 0;
	return 0;
}

static int
delete_main(int argc, char **argv)
{
	static const struct attach_proto del = { .name = "gtpc delete",
		.peer = "GGSN_IP",
		.port = 2123,
		.seq_mod = 65536,
		.build = build_delete,
		.parse = parse_delete_response,
		.accepted = accepted };

	if (argc < 2 || load_teids(argv[1]) < 0) {
		fprintf(stderr, "usage: gtpc delete SESSIONS -l LOCAL_IP -r GGSN_IP -n COUNT "
				"[-w WINDOW] [-t SECONDS]\n");
		return 2;
	}
	return attach_gen_main(argc - 1, argv + 1, &del);
}

int
main(int argc, char **argv)
{
	static const struct attach_proto gtpc = { .name = "gtpc",
		.peer = "GGSN_IP",
		.port = 2123,
		.seq_mod = 65536,
		.build = build_request,
		.parse = parse_response,
		.accepted = accepted };

	if (argc > 1 && strcmp(argv[1], "replay") == 0)
		return attach_replay_main(argc - 1, argv + 1, &gtpc);
	if (argc > 1 && strcmp(argv[1], "delete") == 0)
		return delete_main(argc - 1, argv + 1);
	return attach_gen_main(argc, argv, &gtpc);
}
