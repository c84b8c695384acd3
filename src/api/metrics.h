/*
 * The counters in Prometheus text exposition format (version 0.0.4), for
 * GET /metrics: sessions, packets and bytes per direction, drops by reason,
 * GTP-C messages by type and responses by cause, and the inspection flow
 * table's gauges.
 */
#ifndef VPG_API_METRICS_H
#define VPG_API_METRICS_H

#include <stdint.h>
#include <stdio.h>

struct filter;
struct inspect_stats;
struct xdp_report;

void metrics_write(FILE *out, uint64_t sessions, const struct filter *filter,
    const struct inspect_stats *inspection, const struct xdp_report *xdp);

#endif
