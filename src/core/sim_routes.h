/*
 * SIM-based routing: a small LAN behind a device (a cellular router),
 * configured as IMSI -> the prefixes behind it. While the feature is
 * enabled, every configured prefix is a kept route of the session table
 * (core/session.h): bound to a session of its IMSI while one is attached,
 * held for the device otherwise, so that a packet for the LAN of an absent
 * device is dropped rather than routed elsewhere. Disabled, the routes do
 * not exist at all.
 *
 * One session per IMSI carries the routes: the one that has them already,
 * and when none has (the device was not attached, or that session went),
 * the IMSI's session with the lowest bearer id. A device's first session
 * thus gets them and keeps them while it lives; a second bearer of the same
 * device never takes them away.
 */
#ifndef VPG_CORE_SIM_ROUTES_H
#define VPG_CORE_SIM_ROUTES_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_ROUTES_MAX		1024 /* prefixes in all, and so devices */
#define SIM_ROUTES_MAX_PER_IMSI 32
#define SIM_ROUTES_IMSI_LEN	16 /* 1 to 15 digits and the NUL */

struct session;
struct session_table;

struct sim_prefix {
	uint32_t net_be;
	uint8_t len; /* 0..32 */
};

/* A device: its IMSI and its prefixes, prefix[first .. first + n) of its table. */
struct sim_device {
	char imsi[SIM_ROUTES_IMSI_LEN];
	uint16_t first, n;
};

/*
 * The table as the API gives it: devices in order, each with its prefixes
 * in order, stored one device after the other. Built only through
 * sim_table_add_device and sim_table_add_prefix.
 */
struct sim_table {
	unsigned n_devices, n_prefixes;
	struct sim_device device[SIM_ROUTES_MAX];
	struct sim_prefix prefix[SIM_ROUTES_MAX];
};

/* 1 to 15 decimal digits: the API's rule for a device's IMSI here, shared by vpgctl. */
bool sim_routes_imsi_valid(const char *imsi);
/* Appends a device with no prefix yet: 0, -EINVAL for an IMSI too long, -ENOSPC when full. */
int sim_table_add_device(struct sim_table *t, const char *imsi);
/* Appends a prefix to the last device: 0, -EINVAL without a device, -ENOSPC when full. */
int sim_table_add_prefix(struct sim_table *t, uint32_t net_be, uint8_t len);

/* Why sim_table_check refuses a table. */
enum sim_fault {
	SIM_FAULT_NONE = 0,
	SIM_FAULT_MALFORMED,	     /* not built by sim_table_add_* */
	SIM_FAULT_IMSI,		     /* device: its IMSI is not 1 to 15 digits */
	SIM_FAULT_IMSI_TWICE,	     /* device: other_device has its IMSI too */
	SIM_FAULT_NO_PREFIX,	     /* device: its list is empty */
	SIM_FAULT_TOO_MANY_FOR_IMSI, /* device: more than SIM_ROUTES_MAX_PER_IMSI */
	SIM_FAULT_PREFIX_LEN,	     /* (device, index): a length over 32 */
	SIM_FAULT_HOST_BITS,	     /* (device, index): bits set past the length */
	SIM_FAULT_DEVICE_SUBNET,     /* (device, index): overlaps the device subnet */
	SIM_FAULT_OVERLAP,	     /* (device, index) overlaps (other_device, other_index) */
};

/*
 * Where: indices into the table's devices, and into that device's own list.
 * Of two that clash, (device, index) is the later in the table.
 */
struct sim_fault_at {
	enum sim_fault fault;
	unsigned device, index;
	unsigned other_device, other_index;
};

/*
 * The one validator of a table, for the API and for what the store gives
 * back at start: SIM_FAULT_NONE or the first fault, in the order of the
 * enum. O(n log n) in the number of prefixes.
 */
enum sim_fault sim_table_check(
    const struct sim_table *t, uint32_t subnet_be, uint8_t subnet_len, struct sim_fault_at *at);

/* The configured table, whether it is enabled, and the session table it routes into. */
struct sim_routes {
	struct session_table *sessions;
	uint32_t subnet_be; /* the device subnet, which no prefix may overlap */
	uint8_t subnet_len;
	bool enabled;
	struct sim_table table;
	uint16_t by_imsi[SIM_ROUTES_MAX]; /* device indices, sorted by IMSI */
};

/* Empty and disabled. */
void sim_routes_init(
    struct sim_routes *r, struct session_table *sessions, uint32_t subnet_be, uint8_t subnet_len);
/*
 * Replaces the table: -EINVAL when sim_table_check refuses it (nothing
 * changed). While enabled, prefixes no longer configured are removed and
 * the new ones installed for the sessions attached now; a prefix that stays
 * with its device stays bound, and the host's route for it is not touched.
 */
int sim_routes_set(struct sim_routes *r, const struct sim_table *t);
/* Installs every configured prefix (on), or removes them all (off). */
void sim_routes_enable(struct sim_routes *r, bool on);
/*
 * attach.c's: a session was made, or a session of imsi went (its kept
 * routes are held by then). r NULL is a gateway without the feature.
 * O(log devices) to find the device, then its prefixes.
 */
void sim_routes_attached(struct sim_routes *r, struct session *s);
void sim_routes_detached(struct sim_routes *r, const char *imsi);

#endif
