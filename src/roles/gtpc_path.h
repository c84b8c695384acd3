/*
 * Reliable delivery of GTP-C signalling, TS 29.060 §7.6. A request the SGSN
 * retransmits (same peer, type and sequence number) is answered from a cache
 * of recent responses instead of being processed twice; a request the GGSN
 * sends itself is retransmitted every T3 until answered or N3 times over.
 */
#ifndef VPG_ROLES_GTPC_PATH_H
#define VPG_ROLES_GTPC_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GTPC_PATH_T3_MS 3000 /* T3-RESPONSE */
#define GTPC_PATH_N3	3    /* N3-REQUESTS: retransmissions after the first send */

struct gtpc_path;

/* send is how messages leave; it must not call back into the path. */
struct gtpc_path *gtpc_path_new(
    void (*send)(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port),
    void *arg);
void gtpc_path_free(struct gtpc_path *p);

/* The response sent lately to this request, or NULL; *len gets its length. */
const uint8_t *gtpc_path_replay(struct gtpc_path *p, uint32_t peer_be, uint16_t peer_port,
    uint8_t type, uint16_t seq, uint64_t now_ms, size_t *len);
/* Keeps a response for replay until retransmissions of its request stop. */
void gtpc_path_remember(struct gtpc_path *p, uint32_t peer_be, uint16_t peer_port, uint8_t type,
    uint16_t seq, const uint8_t *rsp, size_t len, uint64_t now_ms);

/*
 * Sends a request of ours: gives it the next sequence number (the message
 * must have been built with the S flag), sends it now and again every T3.
 * 0, or -ENOSPC when too many requests are outstanding, -EMSGSIZE if too big.
 */
int gtpc_path_request(
    struct gtpc_path *p, uint8_t *msg, size_t len, uint32_t dst_be, uint64_t now_ms);
/* True when (peer, seq) answers one of our outstanding requests, now done. */
bool gtpc_path_answer(struct gtpc_path *p, uint32_t peer_be, uint16_t seq);
/* Retransmits what is due; returns how many requests were given up. */
unsigned gtpc_path_tick(struct gtpc_path *p, uint64_t now_ms);
unsigned gtpc_path_outstanding(const struct gtpc_path *p);

#endif
