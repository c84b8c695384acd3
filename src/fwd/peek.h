/*
 * Peek's tap on the packet path: the devices' own IPv4 packets, copied with
 * a timestamp, their direction and their IMSI into a bounded ring that the
 * control thread empties into pcapng files (src/peek/). The forwarding
 * thread never touches a file: a full ring is a counted drop
 * (peek_ring_full), never a wait.
 *
 * Up to PEEK_TAP_SLOTS captures run at once, each a slot with a filter (the
 * whole gateway, or one IMSI). The slots are changed by the control thread
 * while it holds the tables (io/handoff.h), so the data path reads them
 * without locks; while no slot is active, peek_tap_packet is one branch.
 * The ring has one producer (forwarding) and one consumer (control).
 */
#ifndef VPG_FWD_PEEK_H
#define VPG_FWD_PEEK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PEEK_TAP_SLOTS 16
/* The longest packet copied whole; longer ones are cut (a device's MTU is at most 9000). */
#define PEEK_SNAPLEN 9216

struct session;

enum peek_dir {
	PEEK_UPLINK,   /* from the device, after GTP-U decapsulation */
	PEEK_DOWNLINK, /* to the device, before encapsulation */
};

/* One record of the ring, followed by caplen bytes of the packet. */
struct peek_rec {
	uint32_t rec_len; /* header + data, rounded up to 8; 0: the ring wraps here */
	uint16_t caplen;
	uint8_t dir; /* enum peek_dir */
	uint8_t pad;
	uint32_t origlen;
	uint32_t slots; /* bit i: slot i captures this packet */
	uint64_t ts_us; /* wall clock */
	char imsi[16];
};

struct peek_slot {
	bool all; /* the whole gateway; else imsi only */
	char imsi[16];
};

struct peek_tap {
	uint32_t active; /* bit i: slot i captures; changed only under the tables */
	struct peek_slot slot[PEEK_TAP_SLOTS];
	/* Packets a slot lost to a full ring; bumped by forwarding, read by control. */
	_Atomic uint64_t dropped[PEEK_TAP_SLOTS];
	/*
	 * The wall-clock time of this batch's packets, read once per batch at
	 * its first captured packet (0: not yet): a clock read costs a system
	 * call on some virtual machines, more than the copy itself.
	 */
	uint64_t stamp_us;
	uint8_t *ring;
	size_t size;	       /* bytes, a multiple of 8 */
	_Atomic uint64_t head; /* bytes ever written: forwarding's */
	_Atomic uint64_t tail; /* bytes ever consumed: control's */
};

/* A tap with a ring of size bytes (rounded down to 8); NULL without memory. */
struct peek_tap *peek_tap_new(size_t size);
void peek_tap_free(struct peek_tap *t);

/* Control, holding the tables: start or stop slot i (its dropped count restarts at 0). */
void peek_tap_start(struct peek_tap *t, unsigned i, const char *imsi);
void peek_tap_stop(struct peek_tap *t, unsigned i);

/* The data path: s's IPv4 packet pkt of len bytes, in direction dir. */
void peek_tap_copy(
    struct peek_tap *t, const struct session *s, const uint8_t *pkt, size_t len, enum peek_dir dir);

static inline void
peek_tap_packet(
    struct peek_tap *t, const struct session *s, const uint8_t *pkt, size_t len, enum peek_dir dir)
{
	if (__builtin_expect(t == NULL || t->active == 0, 1))
		return;
	peek_tap_copy(t, s, pkt, len, dir);
}

/* Forwarding, as each batch begins: its packets get a time of their own. */
static inline void
peek_tap_batch(struct peek_tap *t)
{
	if (t != NULL)
		t->stamp_us = 0;
}

/*
 * Whether a device's packets are being captured: for a fast path that must
 * hand them to this one (an XDP program keeps such devices out of its maps).
 * Control or forwarding, holding the tables.
 */
bool peek_tap_wants(const struct peek_tap *t, const char *imsi);

/*
 * Control: calls fn for each record in the ring, oldest first, then frees
 * its room for the data path. At most max records (the ring may fill
 * again meanwhile); returns how many were consumed.
 */
size_t peek_tap_drain(struct peek_tap *t, size_t max,
    void (*fn)(void *arg, const struct peek_rec *r, const uint8_t *data), void *arg);

#endif
