/*
 * What inspect.c (the live side) and inspect_report.c (the API's views)
 * share: the inspection state and its history of reported flows.
 */
#ifndef VPG_INSPECT_INSPECT_INTERNAL_H
#define VPG_INSPECT_INSPECT_INTERNAL_H

#include "inspect/inspect.h"

/* Reports the summary can look back over: about 1.8 MiB, whatever the table's size. */
#define INSPECT_HISTORY 16384

/* One reported interval of a flow: an active timeout's report or a flow's end. */
struct inspect_record {
	struct flow_key key;
	char imsi[FLOW_IMSI_LEN];
	char app[FLOW_APP_LEN];
	uint16_t tcp_flags;
	uint64_t packets, bytes;
	uint64_t start_ms, end_ms; /* monotonic */
};

struct classifier;
struct flow_exporter;

struct inspect {
	bool set; /* a config was applied and not unset */
	struct inspect_config cfg;
	struct flow_table *flows; /* NULL while inspection is off */
	struct classifier *cls;
	struct flow_exporter *exp;
	struct inspect_record *history; /* a ring */
	uint64_t history_next;	/* records ever pushed; the next goes at % INSPECT_HISTORY */
	int64_t wall_offset_ms; /* wall clock minus monotonic clock */
	uint64_t last_tick_ms;
	bool backlog;			      /* the last expiry stopped at its budget */
	const struct inspect_fast_path *fast; /* NULL: every packet comes through inspect_packet */
	void *fast_arg;
};

/* The flow's current interval as a record. */
void inspect_record_of(const struct flow *f, struct inspect_record *r);

/* inspect_fast.c: flows handed to the fast path and its counts merged back. */
void inspect_fast_take(struct inspect *in, struct flow *f);
void inspect_fast_refresh(void *arg, struct flow *f, bool last);
void inspect_fast_collect(struct inspect *in);

/* Monotonic ms to ms since the Unix epoch. */
uint64_t inspect_wall_ms(const struct inspect *in, uint64_t mono_ms);

#endif
