#include "api/metrics.h"

#include <inttypes.h>

#include "conf/parse.h"
#include "core/counters.h"
#include "fwd/filter.h"
#include "fwd/xdp.h"
#include "inspect/inspect.h"
#include "io/log.h"
#include "proto/gtpc.h"
#include "proto/gtpv2c.h"
#include "proto/pfcp.h"

static void
family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP vpgd_%s %s\n# TYPE vpgd_%s %s\n", name, help, name, type);
}

/* Packets and bytes get a direction label; the rest keep their own names. */
static void
write_traffic(FILE *out)
{
	const struct vpg_counters *c = &vpg_counters;

	family(out, "packets_total", "counter", "Device packets through the gateway.");
	fprintf(out, "vpgd_packets_total{direction=\"uplink\"} %" PRIu64 "\n",
	    c->ctr[VPG_CTR_UPLINK_PACKETS]);
	fprintf(out, "vpgd_packets_total{direction=\"downlink\"} %" PRIu64 "\n",
	    c->ctr[VPG_CTR_DOWNLINK_PACKETS]);
	family(out, "bytes_total", "counter", "Device IPv4 bytes through the gateway.");
	fprintf(out, "vpgd_bytes_total{direction=\"uplink\"} %" PRIu64 "\n",
	    c->ctr[VPG_CTR_UPLINK_BYTES]);
	fprintf(out, "vpgd_bytes_total{direction=\"downlink\"} %" PRIu64 "\n",
	    c->ctr[VPG_CTR_DOWNLINK_BYTES]);
}

static void
write_events(FILE *out)
{
	for (int i = 0; i < VPG_CTR__COUNT; i++) {
		char name[96];

		if (i == VPG_CTR_UPLINK_PACKETS || i == VPG_CTR_DOWNLINK_PACKETS ||
		    i == VPG_CTR_UPLINK_BYTES || i == VPG_CTR_DOWNLINK_BYTES)
			continue;
		snprintf(name, sizeof(name), "%s_total", counters_name(i));
		family(out, name, "counter", "Events counted by the gateway.");
		fprintf(out, "vpgd_%s %" PRIu64 "\n", name, vpg_counters.ctr[i]);
	}
}

static void
write_drops(FILE *out)
{
	family(out, "drops_total", "counter", "Packets dropped, by reason.");
	for (int i = 1; i < VPG_DROP__COUNT; i++)
		fprintf(out, "vpgd_drops_total{reason=\"%s\"} %" PRIu64 "\n", vpg_drop_name(i),
		    vpg_counters.drop[i]);
}

/* One signalling protocol's messages by direction and type, and its responses by cause. */
static void
write_messages(FILE *out, const char *proto, const char *what, const uint64_t *rx,
    const uint64_t *tx, const uint64_t *tx_cause, int n_types, const char *(*name)(uint8_t))
{
	char fam[64], help[96];

	snprintf(fam, sizeof(fam), "%s_messages_total", proto);
	snprintf(help, sizeof(help), "%s messages, by direction and type.", what);
	family(out, fam, "counter", help);
	for (int t = 0; t < n_types; t++) {
		if (rx[t] != 0)
			fprintf(out, "vpgd_%s{direction=\"rx\",type=\"%s\"} %" PRIu64 "\n", fam,
			    name((uint8_t)t), rx[t]);
		if (tx[t] != 0)
			fprintf(out, "vpgd_%s{direction=\"tx\",type=\"%s\"} %" PRIu64 "\n", fam,
			    name((uint8_t)t), tx[t]);
	}
	snprintf(fam, sizeof(fam), "%s_responses_total", proto);
	snprintf(help, sizeof(help), "%s responses sent, by cause.", what);
	family(out, fam, "counter", help);
	for (int cause = 0; cause < 256; cause++)
		if (tx_cause[cause] != 0)
			fprintf(out, "vpgd_%s{cause=\"%d\"} %" PRIu64 "\n", fam, cause,
			    tx_cause[cause]);
}

/* One series per rule, so a dashboard sees which rule drops what. */
static void
write_filter(FILE *out, const struct filter *f)
{
	char net[16];

	family(out, "routing_filter_matches_total", "counter",
	    "Device packets matched by each routing filter rule.");
	for (unsigned i = 0; i < f->n; i++)
		fprintf(out,
		    "vpgd_routing_filter_matches_total{rule=\"%u\",action=\"%s\",ip_range=\"%s/"
		    "%u\"} "
		    "%" PRIu64 "\n",
		    i, f->rules[i].action == FILTER_ALLOW ? "allow" : "deny",
		    ipv4_str(f->rules[i].net_be, net), f->rules[i].prefix, f->hits[i]);
}

/* Gauges of what the flow table holds now; the events are counters of write_events. */
static void
write_inspection(FILE *out, const struct inspect_stats *st)
{
	family(out, "inspection_flows", "gauge", "Flows in the inspection flow table.");
	fprintf(out, "vpgd_inspection_flows %" PRIu64 "\n", st->flows);
	family(out, "inspection_max_flows", "gauge",
	    "Size of the inspection flow table; 0 while inspection is off.");
	fprintf(out, "vpgd_inspection_max_flows %" PRIu64 "\n", st->max_flows);
	family(out, "inspection_classifying", "gauge",
	    "Conversations the classifier has not named yet.");
	fprintf(out, "vpgd_inspection_classifying %" PRIu64 "\n", st->classifying);
}

/* The fast path: which path each interface is on, and its per-CPU counters added up. */
static void
write_xdp(FILE *out, const struct xdp_report *x)
{
	family(out, "xdp_interface_path", "gauge",
	    "1 for the path each interface of xdp.interfaces is on (xdp-native, xdp-generic, "
	    "socket).");
	for (unsigned i = 0; i < x->n_ifs; i++)
		fprintf(out, "vpgd_xdp_interface_path{interface=\"%s\",path=\"%s\"} 1\n",
		    x->ifs[i].name, x->ifs[i].path);
	family(out, "xdp_packets_total", "counter",
	    "Packets and octets the XDP program forwarded, passed up to the socket path (by "
	    "reason) or dropped (by reason).");
	for (unsigned i = 0; i < XDP_CTR__COUNT; i++)
		fprintf(out, "vpgd_xdp_packets_total{counter=\"%s\"} %" PRIu64 "\n",
		    xdp_ctr_name(i), x->ctr[i]);
}

void
metrics_write(FILE *out, uint64_t sessions, const struct filter *filter,
    const struct inspect_stats *inspection, const struct xdp_report *xdp)
{
	family(out, "sessions", "gauge", "Active sessions, of every role.");
	fprintf(out, "vpgd_sessions %" PRIu64 "\n", sessions);
	write_traffic(out);
	write_drops(out);
	write_messages(out, "gtpc", "GTP-C", vpg_counters.gtpc_rx, vpg_counters.gtpc_tx,
	    vpg_counters.gtpc_tx_cause, 256, gtpc_type_name);
	write_messages(out, "gtpv2c", "GTPv2-C", vpg_counters.gtpv2c_rx, vpg_counters.gtpv2c_tx,
	    vpg_counters.gtpv2c_tx_cause, 256, gtpv2c_type_name);
	write_messages(out, "pfcp", "PFCP", vpg_counters.pfcp_rx, vpg_counters.pfcp_tx,
	    vpg_counters.pfcp_tx_cause, 64, pfcp_type_name);
	write_filter(out, filter);
	write_inspection(out, inspection);
	write_events(out);
	write_xdp(out, xdp);
	family(out, "log_lines_dropped_total", "counter",
	    "Log lines dropped because stderr did not keep up; forwarding never waits for it.");
	fprintf(out, "vpgd_log_lines_dropped_total %lu\n", log_lines_dropped());
}
