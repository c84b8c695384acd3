/*
 * Reliable delivery of PFCP messages, TS 29.244 §6.4 and §7.6: a request a
 * control plane retransmits (same peer and sequence number) is answered from
 * a cache of recent responses instead of being carried out twice (a second
 * Establishment would make a second session); a request of ours (Heartbeat,
 * Session Report) is sent again every T1 until answered or N1 times over,
 * and its owner learns which happened.
 *
 * The cache is a ring of PFCP_PATH_CACHE responses indexed by a hash map, so
 * a lookup is O(1) whatever the signalling rate; an entry lives
 * PFCP_PATH_KEEP_MS, longer than a control plane retransmits.
 */
#ifndef VPG_ROLES_PFCP_PATH_H
#define VPG_ROLES_PFCP_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PFCP_PATH_T1_MS	  3000 /* between sends of one request of ours */
#define PFCP_PATH_N1	  3    /* retransmissions after the first send */
#define PFCP_PATH_CACHE	  4096 /* responses kept for replay */
#define PFCP_PATH_KEEP_MS 30000
#define PFCP_PATH_PENDING 1024 /* our requests outstanding at once */
#define PFCP_PATH_MSG_MAX 2048 /* the largest message kept */

struct pfcp_path;

/* How one of our requests ended: answered (rsp, its length) or given up (rsp NULL). */
typedef void (*pfcp_path_done_fn)(void *arg, uint64_t cookie, const uint8_t *rsp, size_t len);

struct pfcp_path *pfcp_path_new(
    void (*send)(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port),
    pfcp_path_done_fn done, void *arg);
void pfcp_path_free(struct pfcp_path *p);

/*
 * The response sent lately to this very request, or NULL; *len gets its
 * length. A retransmission is the same datagram again (§6.4): a request that
 * only shares the peer and sequence number (a restarted control plane
 * counting from 1 again) is new, and is carried out.
 */
const uint8_t *pfcp_path_replay(struct pfcp_path *p, uint32_t peer_be, uint16_t peer_port,
    uint32_t seq, const uint8_t *req, size_t req_len, uint64_t now_ms, size_t *len);
/* Keeps a response to req for replay. */
void pfcp_path_remember(struct pfcp_path *p, uint32_t peer_be, uint16_t peer_port, uint32_t seq,
    const uint8_t *req, size_t req_len, const uint8_t *rsp, size_t len, uint64_t now_ms);
/* Forgets every response kept for peer: it restarted, its sequence numbers start over. */
void pfcp_path_forget_replies(struct pfcp_path *p, uint32_t peer_be);

/* The sequence number our next request is to carry (24 bits, never 0). */
uint32_t pfcp_path_next_seq(struct pfcp_path *p);
/*
 * Sends a request of ours, built with seq, to dst:8805 now and again every
 * T1; cookie comes back to the done callback. 0, -ENOSPC or -EMSGSIZE.
 */
int pfcp_path_request(struct pfcp_path *p, const uint8_t *msg, size_t len, uint32_t seq,
    uint32_t dst_be, uint64_t cookie, uint64_t now_ms);
/* A response from peer with seq: true when it answered one of ours (done was called). */
bool pfcp_path_answer(
    struct pfcp_path *p, uint32_t peer_be, uint32_t seq, const uint8_t *rsp, size_t len);
/* Forgets our requests to peer without calling done (the association is gone). */
void pfcp_path_forget_peer(struct pfcp_path *p, uint32_t peer_be);
/* Retransmits what is due and gives up what has been sent N1 + 1 times; returns how many. */
unsigned pfcp_path_tick(struct pfcp_path *p, uint64_t now_ms);
unsigned pfcp_path_outstanding(const struct pfcp_path *p);

#endif
