/*
 * The session maps as memory (fwd/xdp_abi.h "slots"): the daemon's side.
 * An attach, a detach or a new tunnel is a few stores into arrays the
 * program reads (bpf/xdp_slots.h), in place before the call returns and so
 * before the control reply leaves; no system call. What XDP carried for a
 * session is read the same way. Called holding the session table, as its
 * change hook is: one writer at a time.
 */
#ifndef VPG_FWD_XDP_SLOTS_H
#define VPG_FWD_XDP_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwd/xdp_abi.h"

struct bpf_map;

struct xdp_slots {
	struct xdp_slot *slots; /* capacity + 1: slot 0 is never a session's */
	uint64_t *teid_index, *addr_index;
	uint32_t *addr_slots; /* addr_count addresses from addr_base (host order); NULL: none */
	uint32_t capacity, index_mask, addr_base, addr_count;
	size_t len[4];	     /* of each mapping, for munmap */
	bool mapped;	     /* the arrays are the maps' (else the caller's memory) */
	uint64_t index_full; /* keys that found no place within XDP_INDEX_PROBES */
};

/* The sizes for capacity sessions, before the program loads. */
struct xdp_slots_geometry {
	uint32_t slots, index_entries;
	uint32_t index_mask;		/* the program's index_mask */
	uint32_t addr_base, addr_count; /* the program's: the addresses addr_slots covers */
};
int xdp_slots_geometry(uint32_t capacity, struct xdp_slots_geometry *g);
/* The device subnet (network order, prefix length) that "addr_slots" covers from its first address.
 */
void xdp_slots_geometry_subnet(struct xdp_slots_geometry *g, uint32_t net_be, uint8_t prefix);
/* Sets the three maps' sizes from g. 0 or a negative errno. */
int xdp_slots_size(struct bpf_map *slots, struct bpf_map *teid_index, struct bpf_map *addr_index,
    struct bpf_map *addr_slots, const struct xdp_slots_geometry *g);
/* Maps the loaded maps into memory. 0 or a negative errno (nothing stays mapped). */
int xdp_slots_map(struct xdp_slots *t, const struct xdp_slots_geometry *g, int slots_fd,
    int teid_fd, int addr_fd, int addr_slots_fd);
void xdp_slots_unmap(struct xdp_slots *t);

/*
 * s (s->slot set) in its slot and both indices. A slot that held another
 * session starts its counters from zero; the same session told again
 * (a new tunnel, a flag) keeps them. False when an index had no room: the
 * session's packets then take the socket path.
 */
bool xdp_slots_put(struct xdp_slots *t, const struct xdp_session *s);
/* The session in slot is gone: the slot empties, the indices forget what still points to it. */
void xdp_slots_clear(struct xdp_slots *t, uint32_t slot);
/* What XDP carried for the session in slot. */
void xdp_slots_counted(const struct xdp_slots *t, uint32_t slot, struct xdp_session_counters *out);
/* The slot an index holds key in, as the program finds it; 0: none. */
uint32_t xdp_slots_find(const struct xdp_slots *t, const uint64_t *index, uint32_t key);
/* The slot of the device that has addr_be, as the program finds it (addr_slots or the index). */
uint32_t xdp_slots_find_addr(const struct xdp_slots *t, uint32_t addr_be);

#endif
