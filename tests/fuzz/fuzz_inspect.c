/*
 * libFuzzer harness for Junction Inspection's packet hook: flow keys read
 * from any bytes (short headers, options, fragments), nDPI fed what a
 * device may send, and the table, classifier and summary kept consistent.
 * The first input byte picks the direction and whether time moves on;
 * the rest is the packet, copied so that a read past it is caught.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/inspect.h"
#include "core/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct inspect *in;
static struct session s = { .imsi = "999010000000001" };
static uint64_t now_ms = 1000;

static void
start(void)
{
	struct inspect_config cfg = { .enabled = true,
		.n_collectors = 1,
		/* Loopback's discard port: records leave and nobody minds. */
		.collectors = { { htonl(INADDR_LOOPBACK), 9 } },
		.active_timeout_s = 1,
		.idle_timeout_s = 1,
		.max_flows = INSPECT_MIN_FLOWS };

	in = inspect_new();
	if (in == NULL || inspect_configure(in, &cfg, htonl(INADDR_LOOPBACK)) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inspect_stats st;
	uint8_t *pkt;

	if (in == NULL)
		start();
	if (size < 1)
		return 0;
	pkt = malloc(size - 1 > 0 ? size - 1 : 1);
	if (pkt == NULL)
		return 0;
	memcpy(pkt, data + 1, size - 1);
	inspect_packet(
	    in, &s, pkt, size - 1, data[0] & 1 ? FLOW_DIR_DOWNLINK : FLOW_DIR_UPLINK, now_ms);
	free(pkt);
	if (data[0] & 2) {
		now_ms += 700;
		inspect_tick(in, now_ms);
	}
	inspect_get_stats(in, &st);
	if (st.flows > INSPECT_MIN_FLOWS)
		abort();
	return 0;
}
