/*
 * Reliable delivery of request/response signalling over UDP, as GTPv2-C
 * (TS 29.274 §7.6) and PFCP (TS 29.244 §6.4, §7.6) both define it: a request
 * a peer retransmits (same peer and sequence number, same octets) is
 * answered from a cache of recent responses instead of being carried out
 * twice (a second Create Session or Establishment would make a second
 * session); a request of ours is sent again every T until answered or N
 * times over, and its owner learns which happened.
 *
 * The cache is a byte ring (an arena) of responses stored at their real
 * length, oldest overwritten first, with a hash index keyed by (peer, port,
 * sequence number) and a hash of the request's octets: a lookup is O(1)
 * whatever the signalling rate, and the memory is what the operator gives
 * it. A peer retransmits every T3-RESPONSE up to N3-REQUESTS times (TS
 * 29.060 §7.6, TS 29.274 §7.6; T1 and N1 in TS 29.244 §6.4): with the
 * common 3 s × 5 it gives up T3 × (N3 + 1) = 18 s after the original, so an
 * answer is kept SIG_PATH_KEEP_MS. The ring holds rate × 18 s of answers
 * when its size is right; an answer overwritten sooner is counted (the
 * timers' ctr_evicted_early), so an operator sees when it is too small.
 */
#ifndef VPG_ROLES_SIG_PATH_H
#define VPG_ROLES_SIG_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/counters.h"

#define SIG_PATH_PEER_T3_MS 3000 /* the peer's T3-RESPONSE (T1) we plan for */
#define SIG_PATH_PEER_N3    5	 /* and its N3-REQUESTS (N1) */
#define SIG_PATH_KEEP_MS    (SIG_PATH_PEER_T3_MS * (SIG_PATH_PEER_N3 + 1))
/* The ring's size when the configuration gives none; see README's gtp.replayCacheMB. */
#define SIG_PATH_CACHE_DEFAULT (512u << 20)
#define SIG_PATH_CACHE_MIN     (64u << 10) /* a few dozen of the largest answers */
#define SIG_PATH_CACHE_MAX     (4096ull << 20)
#define SIG_PATH_PENDING       1024 /* our requests outstanding at once */
#define SIG_PATH_MSG_MAX       2048 /* the largest message kept */

struct sig_path;

/* How one of our requests ended: answered (rsp, its length) or given up (rsp NULL). */
typedef void (*sig_path_done_fn)(void *arg, uint64_t cookie, const uint8_t *rsp, size_t len);

/* A protocol's timers: where our requests go, how often they are sent again. */
struct sig_path_timers {
	uint16_t port;	    /* the peer's port for our requests */
	unsigned resend_ms; /* T1 (PFCP) or T3-RESPONSE (GTP) */
	unsigned resends;   /* N1 or N3: retransmissions after the first send */
	uint32_t seq_mask;  /* the sequence numbers our requests may use */
	/* Counted when an answer is overwritten before SIG_PATH_KEEP_MS. */
	enum vpg_ctr ctr_evicted_early;
};

/*
 * cache_bytes: the replay ring's size (0: SIG_PATH_CACHE_DEFAULT; clamped
 * to SIG_PATH_CACHE_MIN..MAX); its index adds 1/64 of it.
 */
struct sig_path *sig_path_new(const struct sig_path_timers *timers, size_t cache_bytes,
    void (*send)(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t dst_port),
    sig_path_done_fn done, void *arg);
void sig_path_free(struct sig_path *p);

/*
 * The response sent lately to this very request, or NULL; *len gets its
 * length. A retransmission is the same datagram again (§6.4): a request that
 * only shares the peer and sequence number (a restarted control plane
 * counting from 1 again) is new, and is carried out.
 */
const uint8_t *sig_path_replay(struct sig_path *p, uint32_t peer_be, uint16_t peer_port,
    uint32_t seq, const uint8_t *req, size_t req_len, uint64_t now_ms, size_t *len);
/* Keeps a response to req for replay. */
void sig_path_remember(struct sig_path *p, uint32_t peer_be, uint16_t peer_port, uint32_t seq,
    const uint8_t *req, size_t req_len, const uint8_t *rsp, size_t len, uint64_t now_ms);
/* Forgets every response kept for peer: it restarted, its sequence numbers start over. */
void sig_path_forget_replies(struct sig_path *p, uint32_t peer_be);
/* Answers overwritten before SIG_PATH_KEEP_MS since the path began. */
uint64_t sig_path_evicted_early(const struct sig_path *p);
/* Octets of the ring ever written to: what the cache costs in memory. */
uint64_t sig_path_replay_reach(const struct sig_path *p);

/* The sequence number our next request is to carry (within seq_mask, never 0). */
uint32_t sig_path_next_seq(struct sig_path *p);
/*
 * Sends a request of ours, built with seq, to dst now and again every T; cookie comes back to the
 * done callback. 0, -ENOSPC or -EMSGSIZE.
 */
int sig_path_request(struct sig_path *p, const uint8_t *msg, size_t len, uint32_t seq,
    uint32_t dst_be, uint64_t cookie, uint64_t now_ms);
/*
 * The same for a request the caller sends itself now (a GTPv2-C request
 * triggered by a Command goes back as the Command's answer): only the
 * retransmissions are the path's.
 */
int sig_path_request_sent(struct sig_path *p, const uint8_t *msg, size_t len, uint32_t seq,
    uint32_t dst_be, uint64_t cookie, uint64_t now_ms);
/* A response from peer with seq: true when it answered one of ours (done was called). */
bool sig_path_answer(
    struct sig_path *p, uint32_t peer_be, uint32_t seq, const uint8_t *rsp, size_t len);
/* Forgets our requests to peer without calling done (the association is gone). */
void sig_path_forget_peer(struct sig_path *p, uint32_t peer_be);
/* Retransmits what is due and gives up what has been sent N + 1 times; returns how many. */
unsigned sig_path_tick(struct sig_path *p, uint64_t now_ms);
unsigned sig_path_outstanding(const struct sig_path *p);

#endif
