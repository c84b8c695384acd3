/*
 * Batched UDP: one recvmmsg fills up to `slots` preallocated buffers, and
 * output is queued and leaves in one sendmmsg when the loop flushes. Each
 * receive buffer has headroom in front of the datagram, so a header can be
 * pushed in place to re-encapsulate a packet without copying it.
 *
 * The kernel's offloads, where the traffic allows: with GRO on (UDP_GRO) one
 * receive may carry a train of same-flow datagrams, which is split here, so
 * that the caller still sees one datagram at a time; a run of queued
 * datagrams of one size to one destination leaves in one send (UDP_SEGMENT,
 * GSO), the same datagrams on the wire as sent one by one.
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

/* What the offloads did, since the last udp_batch_take_stats. */
struct udp_batch_stats {
	uint64_t rx_calls;	   /* receive system calls that returned data */
	uint64_t rx_messages;	   /* what they returned: a datagram, or a train */
	uint64_t rx_datagrams;	   /* datagrams handed out */
	uint64_t tx_gso_sends;	   /* sends of a run of datagrams (UDP_SEGMENT) */
	uint64_t tx_gso_datagrams; /* the datagrams those sends carried */
	uint64_t tx_direct;	   /* datagrams that left past the IP stack (direct) */
};

/*
 * A train: `len` octets received as one, datagrams of `seg` octets each but
 * the last, which may be shorter (the kernel's UDP GRO). seg 0: one datagram.
 */
static inline size_t
udp_train_count(size_t len, size_t seg)
{
	return seg == 0 || len <= seg ? 1 : (len + seg - 1) / seg;
}

/* Datagram i of a train: its offset, its length through *seg_len. */
static inline size_t
udp_train_segment(size_t len, size_t seg, size_t i, size_t *seg_len)
{
	size_t off;

	if (seg == 0 || len <= seg) {
		*seg_len = len;
		return 0;
	}
	off = i * seg;
	*seg_len = len - off < seg ? len - off : seg;
	return off;
}

/* Binds addr:port; NULL with errno set on failure. */
struct udp_batch *udp_batch_open(uint32_t addr_be, uint16_t port, unsigned slots);
/*
 * A raw IPv4 socket for protocol ipproto, sending from addr_be (the kernel
 * writes the IP header); output only (a socket filter refuses all input),
 * with the same queue and scratch buffers, ports ignored.
 */
struct udp_batch *udp_batch_open_raw(uint32_t addr_be, int ipproto, unsigned slots);
void udp_batch_close(struct udp_batch *b);
/*
 * Asks the kernel for trains (UDP_GRO): on a data socket, where a receive of
 * many datagrams at once pays. Nothing changes for the caller but fewer
 * system calls; -1 with errno set when the kernel refuses (the socket then
 * receives as before).
 */
int udp_batch_enable_gro(struct udp_batch *b);
/*
 * Runs of datagrams leave in one send (UDP_SEGMENT) from the next flush on:
 * on a data socket, where runs of one size to one peer are common. What a
 * capture on a veth then sees is the run as one frame unless the veth
 * segments it (tx-udp-segmentation off): the peer and a real wire get the
 * datagrams. UDP sockets only.
 */
void udp_batch_enable_gso(struct udp_batch *b);
/*
 * A raw batch's datagrams leave as frames through a packet socket, past
 * the IP stack, to the next hop the kernel's tables name (io/next_hop.h):
 * the route, the neighbour's MAC, the link. Same datagrams on the wire, a
 * fraction of the stack's cost, but neither netfilter's output hooks nor
 * IPsec policies see them. The stack still sends what it alone can: to a
 * hop it has not resolved, over a link that is not Ethernet or is down,
 * beyond the link's MTU (fragments), and one datagram a hop a second, so
 * that the kernel confirms the neighbour as for its own traffic. Needs
 * CAP_NET_RAW now; -1 with errno set when refused (output is unchanged).
 */
int udp_batch_enable_direct(struct udp_batch *b);
void udp_batch_take_stats(struct udp_batch *b, struct udp_batch_stats *s);
int udp_batch_fd(const struct udp_batch *b);
uint32_t udp_batch_local(const struct udp_batch *b);

/*
 * Receives up to `slots` datagrams without blocking. Returns how many (0 when
 * none are waiting) and points *pkts at them; they stay valid until the next
 * call. Queued output must be flushed before it, since it may point into them.
 * The datagrams of trains the last receive brought beyond `slots` come with
 * the next call, before any new receive.
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
/*
 * Sends everything queued; returns how many datagrams could not be sent since
 * the last flush. With GSO asked for, a run of datagrams queued one after the
 * other to one destination, of one length (the last may be shorter), leaves
 * in one send; a run the kernel refuses so goes one by one, and runs of that
 * length or longer go one by one from then on.
 */
unsigned udp_batch_flush(struct udp_batch *b);

#endif
