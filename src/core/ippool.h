/*
 * The device subnet's addresses: which are assigned, which are held for the
 * IMSI -> address map, and which may never be handed out (the network and
 * broadcast addresses and the gateway's own). Addresses are network order at
 * the interface.
 */
#ifndef VPG_CORE_IPPOOL_H
#define VPG_CORE_IPPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ippool;

struct ippool *ippool_new(uint32_t net_be, uint8_t prefix, uint32_t gateway_be);
void ippool_free(struct ippool *p);

/*
 * Maps imsi to a fixed address, replacing its previous entry. -EINVAL when
 * the address is outside the subnet or never assignable or imsi is empty or
 * longer than 15 characters, -EEXIST when another IMSI holds it, -EBUSY when
 * a session is using it now, -ENOMEM.
 */
int ippool_map_set(struct ippool *p, const char *imsi, uint32_t addr_be);
/* What ippool_map_set would answer, without changing anything; 1 = already so. */
int ippool_map_check(const struct ippool *p, const char *imsi, uint32_t addr_be);
/*
 * Holds addr back from every device, for a gate peer's inner address:
 * -EINVAL outside the subnet or never assignable, -EEXIST already held
 * (mapped, or another peer), -EBUSY in use by a device now.
 */
int ippool_hold(struct ippool *p, uint32_t addr_be);
void ippool_unhold(struct ippool *p, uint32_t addr_be);
int ippool_map_del(struct ippool *p, const char *imsi); /* -ENOENT if absent */
int ippool_map_get(const struct ippool *p, const char *imsi, uint32_t *addr_be);
size_t ippool_map_count(const struct ippool *p);

/*
 * Assigns an address to imsi: its mapped address when it has one (-EBUSY if
 * another context of the IMSI holds it), else the next free dynamic address
 * (-ENOSPC when all are taken).
 */
int ippool_assign(struct ippool *p, const char *imsi, uint32_t *addr_be);
/*
 * Assigns an address a control plane chose (a PFCP UE IP Address, a static
 * PDP/PDN address): -EINVAL outside the subnet or never assignable, -EEXIST
 * held for a gate peer or mapped to another IMSI than imsi, -EBUSY in use.
 */
int ippool_claim(struct ippool *p, const char *imsi, uint32_t addr_be);
void ippool_release(struct ippool *p, uint32_t addr_be);

bool ippool_is_assigned(const struct ippool *p, uint32_t addr_be);
uint32_t ippool_assigned_count(const struct ippool *p);
/* Addresses that could ever be assigned: the subnet minus its two ends and the gateway. */
uint32_t ippool_capacity(const struct ippool *p);

#endif
