/*
 * libFuzzer harness for the GTPv1-C codec: parse the input; when it parses,
 * run every IE decoder over every element it located, then build a reply
 * from what was decoded, the way the control plane would.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/gtpc.h"
#include "proto/rd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every decoder on one element; the results only feed the reply. */
static void
decode_all(const struct gtpc_ie *ie, struct vpg_wr *w)
{
	char imsi[16], msisdn[24], apn[101], tiny[3];
	struct gtpc_eua eua;
	struct vpg_rd r;
	uint32_t u32, addr;
	uint16_t u16;
	uint8_t u8;

	if (gtpc_ie_imsi(ie, imsi) == 0)
		gtpc_put_imsi(w, imsi);
	/* An MSISDN may be longer than an IMSI can be: the builder must refuse it. */
	if (gtpc_ie_msisdn(ie, msisdn) == 0)
		gtpc_put_imsi(w, msisdn);
	if (gtpc_ie_apn(ie, apn, sizeof(apn)) == 0)
		gtpc_put_tlv(w, GTPC_IE_APN, apn, (uint16_t)strlen(apn));
	(void)gtpc_ie_apn(ie, tiny, sizeof(tiny));
	if (gtpc_ie_u8(ie, &u8) == 0)
		gtpc_put_tv8(w, GTPC_IE_RECOVERY, u8);
	rd_init(&r, ie->val, ie->len);
	if (ie->present && ie->len == 2 && rd_be16(&r, &u16) == 0)
		gtpc_put_tv16(w, GTPC_IE_CHARGING_CHARACTERISTICS, u16);
	if (gtpc_ie_u32(ie, &u32) == 0)
		gtpc_put_tv32(w, GTPC_IE_TEID_DATA_I, u32);
	if (gtpc_ie_ipv4(ie, &addr) == 0)
		gtpc_put_gsn_ipv4(w, addr);
	if (gtpc_ie_eua(ie, &eua) == 0 && eua.ipv4)
		gtpc_put_eua_ipv4(w, eua.addr_be);
	if (ie->present && ie->len > 0)
		gtpc_put_tlv(w, GTPC_IE_PRIVATE_EXTENSION, ie->val, ie->len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gtpc_msg msg;
	uint8_t out[1024];
	struct vpg_wr w;
	enum vpg_drop d;
	size_t off;
	int t;

	if (gtpc_parse(data, size, &msg) != VPG_DROP_NONE)
		return 0;
	(void)gtpc_type_name(msg.type);
	(void)gtpc_type_name((uint8_t)(msg.type + 1));
	/* The last octet sizes the reply buffer, so overflow is as easy to reach as success. */
	wr_init(&w, out, (size_t)data[size - 1] * 4);
	off = gtpc_build_header(&w, (uint8_t)(msg.type + 1), msg.teid, msg.seq);
	gtpc_put_tv8(&w, GTPC_IE_CAUSE, GTPC_CAUSE_REQUEST_ACCEPTED);
	for (t = 0; t < 256; t++)
		decode_all(&msg.ie[t], &w);
	decode_all(&msg.gsn_addr2, &w);
	gtpc_build_finish(&w, off);
	if (w.overflow)
		return 0;
	/* What the builders wrote must parse back; only the type may be unknown. */
	d = gtpc_parse(out, w.len, &msg);
	if (d != VPG_DROP_NONE && d != VPG_DROP_GTPC_UNKNOWN_TYPE)
		__builtin_trap();
	return 0;
}
