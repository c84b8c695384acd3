/*
 * Batched UDP: one recvmmsg fills up to `slots` preallocated buffers, and
 * output is queued and leaves in one sendmmsg when the loop flushes. Each
 * receive buffer has headroom in front of the datagram, so a header can be
 * pushed in place to re-encapsulate a packet without copying it.
 */
#ifndef VPG_IO_UDP_BATCH_H
#define VPG_IO_UDP_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UDP_BATCH_HEADROOM 256
#define UDP_BATCH_DATA	   2048

struct udp_pkt {
	uint8_t *data; /* UDP_BATCH_HEADROOM writable octets precede it */
	size_t len;
	uint32_t from_be;
	uint16_t from_port;
	bool truncated; /* larger than UDP_BATCH_DATA: the tail was cut off */
};

struct udp_batch;

/* Binds addr:port; NULL with errno set on failure. */
struct udp_batch *udp_batch_open(uint32_t addr_be, uint16_t port, unsigned slots);
/*
 * A raw IPv4 socket for protocol ipproto, sending from addr_be (the kernel
 * writes the IP header); output only (a socket filter refuses all input),
 * with the same queue and scratch buffers, ports ignored.
 */
struct udp_batch *udp_batch_open_raw(uint32_t addr_be, int ipproto, unsigned slots);
void udp_batch_close(struct udp_batch *b);
int udp_batch_fd(const struct udp_batch *b);
uint32_t udp_batch_local(const struct udp_batch *b);

/*
 * Receives up to `slots` datagrams without blocking. Returns how many (0 when
 * none are waiting) and points *pkts at them; they stay valid until the next
 * call. Queued output must be flushed before it, since it may point into them.
 */
int udp_batch_recv(struct udp_batch *b, struct udp_pkt **pkts);

/*
 * A scratch buffer of UDP_BATCH_DATA octets to build a datagram in. Queue
 * what is built in it before asking for the next one: when every buffer is
 * handed out, what is queued is sent and the buffers are handed out again.
 * Never NULL.
 */
uint8_t *udp_batch_scratch(struct udp_batch *b);
/*
 * Queues a datagram. When the queue is full, what it holds is sent first: a
 * fan-out never loses copies to the queue's size. What cannot be sent is
 * counted by the flush.
 */
void udp_batch_queue(
    struct udp_batch *b, const uint8_t *data, size_t len, uint32_t dst_be, uint16_t dst_port);
/* Sends one datagram at once, outside the batch: for rare control-plane output. */
int udp_batch_send_now(
    struct udp_batch *b, const uint8_t *data, size_t len, uint32_t dst_be, uint16_t dst_port);
/* Sends everything queued; returns how many datagrams could not be sent since the last flush. */
unsigned udp_batch_flush(struct udp_batch *b);

#endif
