/*
 * The IPFIX exporting process of Junction Inspection (RFC 7011 over UDP):
 * gathers flow records into messages of at most FLOW_EXPORT_MTU octets and
 * sends each to every collector, from one non-blocking socket. Each
 * collector is its own transport session with its own sequence number;
 * templates go out before the first data and again every
 * FLOW_EXPORT_TEMPLATE_MS, since a UDP collector may have restarted
 * (RFC 7011 §8.4). A message the socket cannot take is dropped and counted:
 * export never holds the data path up.
 */
#ifndef VPG_INSPECT_FLOW_EXPORT_H
#define VPG_INSPECT_FLOW_EXPORT_H

#include <stdint.h>

#include "inspect/inspect.h"
#include "proto/ipfix.h"

/* Below any Ethernet path's MTU with IPv4 and UDP headers, so never fragmented. */
#define FLOW_EXPORT_MTU		1400
#define FLOW_EXPORT_TEMPLATE_MS 30000

struct flow_exporter;

/*
 * Opens the socket, bound to source_be (network order; INADDR_ANY lets the
 * kernel choose). domain is the Observation Domain ID. NULL with errno set.
 */
struct flow_exporter *flow_exporter_new(uint32_t source_be, uint32_t domain);
/* Sends what is pending, then closes. */
void flow_exporter_free(struct flow_exporter *e, uint64_t now_ms);

/*
 * Replaces the collectors. One that was there before keeps its sequence
 * number; a new one starts at 0 and gets templates with the next message.
 */
void flow_exporter_set_collectors(
    struct flow_exporter *e, const struct inspect_collector *c, unsigned n);

/* Queues one record; sends the message first when the record would not fit. */
void flow_exporter_add(
    struct flow_exporter *e, const struct ipfix_flow_record *rec, uint64_t now_ms);
/*
 * Sends the pending message, and templates alone when they are due and no
 * data is pending.
 */
void flow_exporter_flush(struct flow_exporter *e, uint64_t now_ms);

#endif
