#include "fwd/downlink.h"

#include "core/counters.h"
#include "fwd/datapath.h"
#include "inspect/inspect.h"
#include "fwd/mirror.h"
#include "fwd/pdr.h"
#include "fwd/peek.h"
#include "core/session.h"
#include "io/udp_batch.h"
#include "proto/gtpu.h"

void
downlink_to_session(struct datapath *dp, struct session *s, uint8_t *pkt, size_t len)
{
	struct pdr_tunnel t = { .teid = s->dl_teid, .addr_be = s->dl_addr_be };

	/* A UPF session's packet leaves by the PDR that matches it, or not at all. */
	if ((s->flags & SESSION_F_RULES) && !pdr_downlink(dp, s, pkt, len, &t))
		return;
	downlink_through(dp, s, pkt, len, &t);
}

void
downlink_through(
    struct datapath *dp, struct session *s, uint8_t *pkt, size_t len, const struct pdr_tunnel *t)
{
	uint8_t *frame;
	size_t frame_len;

	mirror_copy(dp, pkt, len);
	peek_tap_packet(dp->peek, s, pkt, len, PEEK_DOWNLINK);
	inspect_packet(dp->inspect, s, pkt, len, FLOW_DIR_DOWNLINK, dp->now_ms);
	if (t->has_qfi) {
		frame = gtpu_push_gpdu_qfi(pkt, len, t->teid, t->qfi);
		frame_len = len + GTPU_HDR_QFI_LEN;
	} else {
		frame = gtpu_push_gpdu(pkt, len, t->teid);
		frame_len = len + GTPU_HDR_LEN;
	}
	udp_batch_queue(dp->gtpu, frame, frame_len, t->addr_be, GTPU_PORT);
	s->down_packets++;
	s->down_bytes += len;
	counters_add(VPG_CTR_DOWNLINK_PACKETS, 1);
	counters_add(VPG_CTR_DOWNLINK_BYTES, len);
	counters_add(VPG_CTR_GTPU_TX_PACKETS, 1);
	counters_add(VPG_CTR_GTPU_TX_BYTES, frame_len);
}
