#include "fwd/downlink.h"

#include "core/counters.h"
#include "fwd/datapath.h"
#include "inspect/inspect.h"
#include "fwd/mirror.h"
#include "core/session.h"
#include "io/udp_batch.h"
#include "proto/gtpu.h"

void
downlink_to_session(struct datapath *dp, struct session *s, uint8_t *pkt, size_t len)
{
	uint8_t *frame;
	size_t frame_len = len + GTPU_HDR_LEN;

	mirror_copy(dp, pkt, len);
	inspect_packet(dp->inspect, s, pkt, len, FLOW_DIR_DOWNLINK, dp->now_ms);
	frame = gtpu_push_gpdu(pkt, len, s->dl_teid);

	if (udp_batch_queue(dp->gtpu, frame, frame_len, s->dl_addr_be, GTPU_PORT) < 0) {
		counters_drop(VPG_DROP_TX_QUEUE_FULL);
		return;
	}
	s->down_packets++;
	s->down_bytes += len;
	counters_add(VPG_CTR_DOWNLINK_PACKETS, 1);
	counters_add(VPG_CTR_DOWNLINK_BYTES, len);
	counters_add(VPG_CTR_GTPU_TX_PACKETS, 1);
	counters_add(VPG_CTR_GTPU_TX_BYTES, frame_len);
}
