/*
 * PFCP header, TS 29.244 §7.2, and the message type facts every caller
 * needs before looking at a body: which are session messages, and their
 * names for logs and metrics.
 */
#include <string.h>

#include "pfcp.h"
#include "rd.h"

#define PFCP_HDR_NODE	 8  /* flags, type, length, sequence number, spare */
#define PFCP_HDR_SESSION 16 /* plus the 8-octet SEID */
#define PFCP_F_S	 0x01
#define PFCP_F_MP	 0x02
#define PFCP_F_FO	 0x04

static int read_tail(struct vpg_rd *, struct pfcp_hdr *);

/* The SEID when S is set, then the sequence number and the priority octet. */
static int
read_tail(struct vpg_rd *r, struct pfcp_hdr *hdr)
{
	uint32_t hi, lo, word;

	if (hdr->has_seid) {
		if (rd_be32(r, &hi) < 0 || rd_be32(r, &lo) < 0)
			return -1;
		hdr->seid = (uint64_t)hi << 32 | lo;
	}
	if (rd_be32(r, &word) < 0)
		return -1;
	hdr->seq = word >> 8;
	hdr->priority = hdr->has_prio ? (uint8_t)((word >> 4) & 0x0f) : 0;
	return 0;
}

/*
 * TS 29.244 §7.2.2: version, spare, FO, MP, S; type; length (everything
 * after the first 4 octets); the SEID when S is set; a 24-bit sequence
 * number and an octet whose high nibble is the priority when MP is set.
 * §7.6.2 puts the version first; §7.6.3 the length: shorter than the
 * header is discarded, a length field that disagrees with the datagram is an
 * Invalid Length. Several messages may share a datagram only with FO set
 * (§6.4), so without FO the length must account for all of it. The
 * sequence number is read before either check, so that Version Not
 * Supported and Invalid Length can be answered; for another version it is
 * read where version 1 has it, the best guess there is.
 */
enum pfcp_hdr_err
pfcp_parse_header(const uint8_t *buf, size_t len, struct pfcp_hdr *hdr)
{
	struct vpg_rd r;
	uint8_t flags;
	int tail;

	memset(hdr, 0, sizeof(*hdr));
	rd_init(&r, buf, len);
	if (rd_u8(&r, &flags) < 0 || rd_u8(&r, &hdr->type) < 0 || rd_be16(&r, &hdr->length) < 0)
		return PFCP_HDR_TOO_SHORT;
	hdr->version = flags >> 5;
	hdr->has_seid = (flags & PFCP_F_S) != 0;
	hdr->has_prio = (flags & PFCP_F_MP) != 0;
	hdr->follow_on = (flags & PFCP_F_FO) != 0;
	hdr->hdr_len = hdr->has_seid ? PFCP_HDR_SESSION : PFCP_HDR_NODE;
	hdr->msg_len = (size_t)hdr->length + 4;
	tail = read_tail(&r, hdr);
	if (hdr->version != PFCP_VERSION)
		return PFCP_HDR_BAD_VERSION;
	if (tail < 0)
		return PFCP_HDR_TOO_SHORT;
	if (hdr->msg_len < hdr->hdr_len || hdr->msg_len > len ||
	    (!hdr->follow_on && hdr->msg_len != len))
		return PFCP_HDR_BAD_LENGTH;
	/* §7.2.2.4: S is 1 in session messages and 0 in node messages. */
	if (pfcp_type_known(hdr->type) && pfcp_type_is_session(hdr->type) != hdr->has_seid)
		return PFCP_HDR_BAD_S_FLAG;
	return PFCP_HDR_OK;
}

/* TS 29.244 §7.3 Table 7.3-1: the requests; each one's response is the next type. */
bool
pfcp_type_is_request(uint8_t type)
{
	switch (type) {
	case PFCP_HEARTBEAT_REQ:
	case PFCP_PFD_MGMT_REQ:
	case PFCP_ASSOC_SETUP_REQ:
	case PFCP_ASSOC_UPDATE_REQ:
	case PFCP_ASSOC_RELEASE_REQ:
	case PFCP_NODE_REPORT_REQ:
	case PFCP_SESS_EST_REQ:
	case PFCP_SESS_MOD_REQ:
	case PFCP_SESS_DEL_REQ:
	case PFCP_SESS_REPORT_REQ:
		return true;
	default:
		return false;
	}
}

/* TS 29.244 §7.3: session messages are types 50 and above. */
bool
pfcp_type_is_session(uint8_t type)
{
	return type >= PFCP_SESS_EST_REQ;
}

/* Stable: these names are metrics labels. */
const char *
pfcp_type_name(uint8_t type)
{
	static const char *const names[] = {
		[PFCP_HEARTBEAT_REQ] = "heartbeat_request",
		[PFCP_HEARTBEAT_RSP] = "heartbeat_response",
		[PFCP_PFD_MGMT_REQ] = "pfd_management_request",
		[PFCP_PFD_MGMT_RSP] = "pfd_management_response",
		[PFCP_ASSOC_SETUP_REQ] = "association_setup_request",
		[PFCP_ASSOC_SETUP_RSP] = "association_setup_response",
		[PFCP_ASSOC_UPDATE_REQ] = "association_update_request",
		[PFCP_ASSOC_UPDATE_RSP] = "association_update_response",
		[PFCP_ASSOC_RELEASE_REQ] = "association_release_request",
		[PFCP_ASSOC_RELEASE_RSP] = "association_release_response",
		[PFCP_VERSION_NOT_SUPPORTED] = "version_not_supported_response",
		[PFCP_NODE_REPORT_REQ] = "node_report_request",
		[PFCP_NODE_REPORT_RSP] = "node_report_response",
		[PFCP_SESS_EST_REQ] = "session_establishment_request",
		[PFCP_SESS_EST_RSP] = "session_establishment_response",
		[PFCP_SESS_MOD_REQ] = "session_modification_request",
		[PFCP_SESS_MOD_RSP] = "session_modification_response",
		[PFCP_SESS_DEL_REQ] = "session_deletion_request",
		[PFCP_SESS_DEL_RSP] = "session_deletion_response",
		[PFCP_SESS_REPORT_REQ] = "session_report_request",
		[PFCP_SESS_REPORT_RSP] = "session_report_response",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type] != NULL)
		return names[type];
	return "unknown";
}
