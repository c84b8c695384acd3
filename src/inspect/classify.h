/*
 * Application identification for Junction Inspection, with nDPI. A
 * conversation (both directions of a 5-tuple) is fed to nDPI packet by
 * packet until nDPI names its protocol or CLASSIFY_MAX_PACKETS packets have
 * gone by, then its context is released: nDPI never sees the rest of a
 * flow. Contexts come from a pool allocated at creation, so the data path
 * never allocates one; when all are busy a new conversation is not
 * classified (the caller counts it). nDPI itself still mallocs a few
 * strings inside a flow (an HTTP URL, a server name) while it looks; they
 * are freed when the context is released.
 */
#ifndef VPG_INSPECT_CLASSIFY_H
#define VPG_INSPECT_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#define CLASSIFY_NAME_LEN 32 /* same as FLOW_APP_LEN */
/* Packets of a conversation, both directions, nDPI may see before we give up. */
#define CLASSIFY_MAX_PACKETS 24
#define CLASSIFY_UNKNOWN     "Unknown"

/* A conversation, the device's side first, whichever direction the packet goes. */
struct classify_key {
	uint32_t device_be, peer_be;
	uint16_t device_port, peer_port; /* host order; 0 without ports */
	uint8_t proto;
};

enum classify_result {
	CLASSIFY_PENDING,    /* nDPI wants more packets */
	CLASSIFY_DONE,	     /* name is set: detected, or CLASSIFY_UNKNOWN after giving up */
	CLASSIFY_NO_CONTEXT, /* every context busy: name is CLASSIFY_UNKNOWN */
};

struct classifier;

/* Up to max_contexts conversations at once; NULL without memory or for 0. */
struct classifier *classifier_new(uint32_t max_contexts);
void classifier_free(struct classifier *c);

/*
 * Feeds one IPv4 packet (pkt at its header, len its total length) of
 * conversation k. On CLASSIFY_DONE or CLASSIFY_NO_CONTEXT, name holds the
 * application (nDPI's name, such as "HTTP", "DNS" or "TLS.Google") and no
 * context is held for k any more. A packet shorter than an IPv4 header
 * (20 bytes) is ignored: CLASSIFY_PENDING, no context taken or refreshed,
 * name not written; on CLASSIFY_PENDING name is never written.
 */
enum classify_result classifier_packet(struct classifier *c, const struct classify_key *k,
    const uint8_t *pkt, size_t len, uint64_t now_ms, char name[CLASSIFY_NAME_LEN]);
/*
 * Releases contexts that saw no packet for idle_ms (their conversation
 * ended before nDPI decided), at most 256 per call. Returns how many.
 */
uint32_t classifier_expire(struct classifier *c, uint64_t now_ms, uint64_t idle_ms);
/* Conversations holding a context now. */
uint32_t classifier_active(const struct classifier *c);

#endif
