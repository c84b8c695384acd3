/*
 * PFCP information element values, TS 29.244 §8.2: each decoder reads one
 * value through the bounded reader and fills a typed struct. The walker in
 * pfcp.c has already cut the value to its own length, so a decoder only
 * checks that what its flags promise is there.
 */
#include <string.h>

#include "labels.h"
#include "pfcp.h"
#include "rd.h"
#include "tbcd.h"

static int read_ipv4(struct vpg_rd *, uint32_t *);
static int read_ipv6(struct vpg_rd *, uint8_t[16]);
static int read_be64(struct vpg_rd *, uint64_t *);
static int user_id_digits(struct vpg_rd *, bool, char *, size_t);

static int
read_ipv4(struct vpg_rd *r, uint32_t *addr_be)
{
	const uint8_t *a;

	if (rd_bytes(r, 4, &a) < 0)
		return -1;
	memcpy(addr_be, a, 4);
	return 0;
}

static int
read_ipv6(struct vpg_rd *r, uint8_t addr[16])
{
	const uint8_t *a;

	if (rd_bytes(r, 16, &a) < 0)
		return -1;
	memcpy(addr, a, 16);
	return 0;
}

static int
read_be64(struct vpg_rd *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (rd_be32(r, &hi) < 0 || rd_be32(r, &lo) < 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

/* TS 29.244 §8.2.38: a type nibble, then 4 or 16 octets or an FQDN in labels. */
int
pfcp_ie_node_id(const uint8_t *val, size_t len, struct pfcp_node_id *out)
{
	struct vpg_rd r;
	uint8_t t;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &t) < 0)
		return -1;
	out->type = t & 0x0f;
	switch (out->type) {
	case PFCP_NODE_ID_IPV4:
		return read_ipv4(&r, &out->v4_be);
	case PFCP_NODE_ID_IPV6:
		return read_ipv6(&r, out->v6);
	case PFCP_NODE_ID_FQDN:
		return pfcp_ie_labels(r.p, rd_left(&r), out->fqdn, sizeof(out->fqdn));
	default:
		return -1;
	}
}

/* TS 29.244 §8.2.37: flags V6 (bit 1) and V4 (bit 2), SEID, then the addresses. */
int
pfcp_ie_fseid(const uint8_t *val, size_t len, struct pfcp_fseid *out)
{
	struct vpg_rd r;
	uint8_t f;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &f) < 0 || read_be64(&r, &out->seid) < 0)
		return -1;
	out->ip.has_v4 = (f & 0x02) != 0;
	out->ip.has_v6 = (f & 0x01) != 0;
	if (!out->ip.has_v4 && !out->ip.has_v6)
		return -1;
	if (out->ip.has_v4 && read_ipv4(&r, &out->ip.v4_be) < 0)
		return -1;
	if (out->ip.has_v6 && read_ipv6(&r, out->ip.v6) < 0)
		return -1;
	return 0;
}

/*
 * TS 29.244 §8.2.3: flags V4, V6, CH, CHID. With CH the UP function chooses
 * the TEID and no TEID or address follows, V4/V6 naming the families to
 * choose; CHOOSE ID follows when CHID is set, which requires CH.
 */
int
pfcp_ie_fteid(const uint8_t *val, size_t len, struct pfcp_fteid *out)
{
	struct vpg_rd r;
	uint8_t f;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &f) < 0)
		return -1;
	out->has_v4 = (f & 0x01) != 0;
	out->has_v6 = (f & 0x02) != 0;
	out->ch = (f & 0x04) != 0;
	out->chid = (f & 0x08) != 0;
	if (out->ch)
		return out->chid ? rd_u8(&r, &out->choose_id) : 0;
	if (out->chid || (!out->has_v4 && !out->has_v6) || rd_be32(&r, &out->teid) < 0)
		return -1;
	if (out->has_v4 && read_ipv4(&r, &out->v4_be) < 0)
		return -1;
	if (out->has_v6 && read_ipv6(&r, out->v6) < 0)
		return -1;
	return 0;
}

/*
 * TS 29.244 §8.2.62: flags V6, V4, S/D, IPv6D, CHV4, CHV6, IP6PL; then IPv4,
 * IPv6, the prefix delegation bits and the prefix length, each per its flag.
 */
int
pfcp_ie_ue_ip(const uint8_t *val, size_t len, struct pfcp_ue_ip *out)
{
	struct vpg_rd r;
	uint8_t f;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &f) < 0)
		return -1;
	out->has_v6 = (f & 0x01) != 0;
	out->has_v4 = (f & 0x02) != 0;
	out->sd = (f & 0x04) != 0;
	out->chv4 = (f & 0x10) != 0;
	out->chv6 = (f & 0x20) != 0;
	/* An address to choose is not also given (§8.2.62). */
	if ((out->chv4 && out->has_v4) || (out->chv6 && out->has_v6))
		return -1;
	if (out->has_v4 && read_ipv4(&r, &out->v4_be) < 0)
		return -1;
	if (out->has_v6 && read_ipv6(&r, out->v6) < 0)
		return -1;
	if ((f & 0x08) != 0 && rd_skip(&r, 1) < 0)
		return -1;
	if ((f & 0x40) != 0 && rd_skip(&r, 1) < 0)
		return -1;
	return 0;
}

/* Source IP Address, TS 29.244 §8.2.138: flags V6, V4, MPL; addresses; mask length. */
int
pfcp_ie_source_ip(const uint8_t *val, size_t len, struct pfcp_ip *out)
{
	struct vpg_rd r;
	uint8_t f;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &f) < 0)
		return -1;
	out->has_v6 = (f & 0x01) != 0;
	out->has_v4 = (f & 0x02) != 0;
	if (out->has_v4 && read_ipv4(&r, &out->v4_be) < 0)
		return -1;
	if (out->has_v6 && read_ipv6(&r, out->v6) < 0)
		return -1;
	return (f & 0x04) != 0 ? rd_skip(&r, 1) : 0;
}

/*
 * TS 29.244 §8.2.5: flags FD, TTC, SPI, FL, BID and a spare octet, then per
 * flag: the Flow Description with its 2-octet length, ToS/Traffic Class (2),
 * SPI (4), Flow Label (3), SDF Filter ID (4). A Flow Description this codec
 * cannot read is malformed: a filter that is not enforced would let through
 * what the control plane meant to stop.
 */
int
pfcp_ie_sdf(const uint8_t *val, size_t len, struct pfcp_sdf *out)
{
	struct vpg_rd r;
	const uint8_t *p;
	uint16_t n;
	uint8_t f, fl_hi;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &f) < 0 || rd_skip(&r, 1) < 0)
		return -1;
	out->has_fd = (f & 0x01) != 0;
	out->has_ttc = (f & 0x02) != 0;
	out->has_spi = (f & 0x04) != 0;
	out->has_fl = (f & 0x08) != 0;
	out->has_fid = (f & 0x10) != 0;
	if (out->has_fd) {
		if (rd_be16(&r, &n) < 0 || rd_bytes(&r, n, &p) < 0)
			return -1;
		out->fd = (const char *)p;
		out->fd_len = n;
		if (pfcp_flow_parse(out->fd, n, &out->flow) < 0)
			return -1;
	}
	if (out->has_ttc && rd_be16(&r, &out->ttc) < 0)
		return -1;
	if (out->has_spi && rd_be32(&r, &out->spi) < 0)
		return -1;
	if (out->has_fl) {
		if (rd_u8(&r, &fl_hi) < 0 || rd_be16(&r, &n) < 0)
			return -1;
		out->flow_label = (uint32_t)fl_hi << 16 | n;
	}
	if (out->has_fid && rd_be32(&r, &out->filter_id) < 0)
		return -1;
	return 0;
}

/*
 * TS 29.244 §8.2.56: the description, then TEID for GTP-U, IPv4 and IPv6 per
 * the address family of the chosen headers, the port for plain UDP, and the
 * C-TAG and S-TAG (3 octets each). Exactly one header stack may be chosen.
 */
int
pfcp_ie_ohc(const uint8_t *val, size_t len, struct pfcp_ohc *out)
{
	const uint16_t stacks = 0x3f00;
	struct vpg_rd r;
	uint16_t d;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_be16(&r, &d) < 0)
		return -1;
	out->desc = d;
	if ((d & stacks) == 0 || ((d & stacks) & ((d & stacks) - 1)) != 0)
		return -1;
	if ((d & (PFCP_OHC_GTPU_UDP_IPV4 | PFCP_OHC_GTPU_UDP_IPV6)) != 0 &&
	    rd_be32(&r, &out->teid) < 0)
		return -1;
	if ((d & (PFCP_OHC_GTPU_UDP_IPV4 | PFCP_OHC_UDP_IPV4 | PFCP_OHC_IPV4)) != 0 &&
	    read_ipv4(&r, &out->v4_be) < 0)
		return -1;
	if ((d & (PFCP_OHC_GTPU_UDP_IPV6 | PFCP_OHC_UDP_IPV6 | PFCP_OHC_IPV6)) != 0 &&
	    read_ipv6(&r, out->v6) < 0)
		return -1;
	if ((d & (PFCP_OHC_UDP_IPV4 | PFCP_OHC_UDP_IPV6)) != 0 && rd_be16(&r, &out->port) < 0)
		return -1;
	if ((d & PFCP_OHC_C_TAG) != 0 && rd_skip(&r, 3) < 0)
		return -1;
	if ((d & PFCP_OHC_S_TAG) != 0 && rd_skip(&r, 3) < 0)
		return -1;
	return 0;
}

/* TS 29.244 §8.2.13/§8.2.50: flags TOVOL, ULVOL, DLVOL, then 8 octets per flag. */
int
pfcp_ie_volume(const uint8_t *val, size_t len, struct pfcp_volume *out)
{
	struct vpg_rd r;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &out->flags) < 0)
		return -1;
	out->flags &= PFCP_VOL_TOVOL | PFCP_VOL_ULVOL | PFCP_VOL_DLVOL;
	if ((out->flags & PFCP_VOL_TOVOL) != 0 && read_be64(&r, &out->total) < 0)
		return -1;
	if ((out->flags & PFCP_VOL_ULVOL) != 0 && read_be64(&r, &out->ul) < 0)
		return -1;
	if ((out->flags & PFCP_VOL_DLVOL) != 0 && read_be64(&r, &out->dl) < 0)
		return -1;
	return 0;
}

int
pfcp_ie_bitrate(const uint8_t *val, size_t len, struct pfcp_bitrate *out)
{
	struct vpg_rd r;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_be40(&r, &out->ul) < 0 || rd_be40(&r, &out->dl) < 0)
		return -1;
	return 0;
}

/* One identity of a User ID: its length octet, then TBCD digits or NAI text. */
static int
user_id_digits(struct vpg_rd *r, bool text, char *out, size_t cap)
{
	struct vpg_rd v;
	uint8_t n, c;
	size_t i = 0;

	if (rd_u8(r, &n) < 0 || rd_sub(r, n, &v) < 0)
		return -1;
	if (!text)
		return tbcd_read(&v, out, cap);
	while (rd_u8(&v, &c) == 0) {
		if (c < 0x21 || c > 0x7e || i + 1 >= cap)
			return -1;
		out[i++] = (char)c;
	}
	out[i] = '\0';
	return i > 0 ? 0 : -1;
}

/*
 * TS 29.244 §8.2.101: flags IMSIF, IMEIF, MSISDNF, NAIF (SUPI, GPSI and PEI
 * follow and are skipped with the rest); then per flag a length octet and
 * the identity, IMSI, IMEI and MSISDN in TBCD (TS 29.274 §8.3, §8.10, §8.11).
 */
int
pfcp_ie_user_id(const uint8_t *val, size_t len, struct pfcp_user_id *out)
{
	struct vpg_rd r;
	uint8_t f;

	memset(out, 0, sizeof(*out));
	rd_init(&r, val, len);
	if (rd_u8(&r, &f) < 0)
		return -1;
	out->has_imsi = (f & 0x01) != 0;
	out->has_imei = (f & 0x02) != 0;
	out->has_msisdn = (f & 0x04) != 0;
	out->has_nai = (f & 0x08) != 0;
	if (out->has_imsi && user_id_digits(&r, false, out->imsi, sizeof(out->imsi)) < 0)
		return -1;
	if (out->has_imei && user_id_digits(&r, false, out->imei, sizeof(out->imei)) < 0)
		return -1;
	if (out->has_msisdn && user_id_digits(&r, false, out->msisdn, sizeof(out->msisdn)) < 0)
		return -1;
	if (out->has_nai && user_id_digits(&r, true, out->nai, sizeof(out->nai)) < 0)
		return -1;
	return 0;
}

int
pfcp_ie_framed_route(const uint8_t *val, size_t len, struct pfcp_route *out)
{
	return pfcp_route_parse((const char *)val, len, out);
}

/* APN/DNN (TS 29.244 §8.2.103) and FQDN (§8.2.38) are labels, as an APN (labels.h). */
int
pfcp_ie_labels(const uint8_t *val, size_t len, char *out, size_t cap)
{
	return labels_decode(val, len, out, cap);
}

/*
 * TS 29.244 §8.2.4: a Network Instance is an APN or DNN in labels, or any
 * other name the two functions agreed on (a VRF, say). Labels first; what
 * is not labels is taken as plain text of name characters and dots.
 */
int
pfcp_ie_network_instance(const uint8_t *val, size_t len, char *out, size_t cap)
{
	size_t i;

	if (pfcp_ie_labels(val, len, out, cap) == 0)
		return 0;
	if (len == 0 || len + 1 > cap)
		return -1;
	for (i = 0; i < len; i++) {
		if (!labels_char(val[i]) && val[i] != '.' && val[i] != '_') {
			out[0] = '\0';
			return -1;
		}
		out[i] = (char)val[i];
	}
	out[len] = '\0';
	return 0;
}

/*
 * Flag fields that later releases lengthen by appending octets (UP and CP
 * Function Features, Reporting Triggers, Apply Action): at least one octet;
 * octets past max_octets are newer bits this codec does not know.
 */
int
pfcp_ie_flags(const uint8_t *val, size_t len, size_t max_octets, uint64_t *out)
{
	size_t i;

	*out = 0;
	if (len == 0)
		return -1;
	for (i = 0; i < len && i < max_octets && i < 8; i++)
		*out |= (uint64_t)val[i] << (8 * i);
	return 0;
}

/* NTP time stamps (RFC 5905) count from 1900; PFCP carries their seconds (§8.2.65). */
uint32_t
pfcp_ntp_from_unix(uint64_t unix_secs)
{
	return (uint32_t)(unix_secs + 2208988800ULL);
}
