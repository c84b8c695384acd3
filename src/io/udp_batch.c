#include "io/udp_batch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SLOT_SIZE     (UDP_BATCH_HEADROOM + UDP_BATCH_DATA)
#define SOCKET_BUFFER (4 << 20)

struct udp_batch {
	int fd;
	uint32_t local_be;
	unsigned slots;
	uint8_t *rx_buf;
	struct mmsghdr *rx_msg;
	struct iovec *rx_iov;
	struct sockaddr_in *rx_from;
	struct udp_pkt *rx_pkt;
	uint8_t *scratch;
	unsigned scratch_used;
	struct mmsghdr *tx_msg; /* queue: every receive slot plus every scratch buffer */
	struct iovec *tx_iov;
	struct sockaddr_in *tx_to;
	unsigned tx_n, tx_cap;
	unsigned failed; /* datagrams that could not be sent since the last flush */
};

static int
open_socket(uint32_t addr_be, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int size = SOCKET_BUFFER, pmtu = IP_PMTUDISC_DONT;

	if (fd < 0)
		return -1;
	sin.sin_addr.s_addr = addr_be;
	/* Large buffers absorb bursts between batches; FORCE works as root, else best effort. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	/* Tunnelled packets may exceed the path MTU once encapsulated: let the kernel fragment. */
	(void)setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int
alloc_arrays(struct udp_batch *b)
{
	unsigned n = b->slots;

	b->rx_buf = calloc(n, SLOT_SIZE);
	b->rx_msg = calloc(n, sizeof(*b->rx_msg));
	b->rx_iov = calloc(n, sizeof(*b->rx_iov));
	b->rx_from = calloc(n, sizeof(*b->rx_from));
	b->rx_pkt = calloc(n, sizeof(*b->rx_pkt));
	b->scratch = calloc(n, UDP_BATCH_DATA);
	b->tx_cap = 2 * n;
	b->tx_msg = calloc(b->tx_cap, sizeof(*b->tx_msg));
	b->tx_iov = calloc(b->tx_cap, sizeof(*b->tx_iov));
	b->tx_to = calloc(b->tx_cap, sizeof(*b->tx_to));
	if (!b->rx_buf || !b->rx_msg || !b->rx_iov || !b->rx_from || !b->rx_pkt || !b->scratch ||
	    !b->tx_msg || !b->tx_iov || !b->tx_to)
		return -1;
	return 0;
}

struct udp_batch *
udp_batch_open(uint32_t addr_be, uint16_t port, unsigned slots)
{
	struct udp_batch *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->fd = -1;
	b->slots = slots;
	b->local_be = addr_be;
	if (alloc_arrays(b) < 0) {
		udp_batch_close(b);
		errno = ENOMEM;
		return NULL;
	}
	b->fd = open_socket(addr_be, port);
	if (b->fd < 0) {
		int saved = errno;

		udp_batch_close(b);
		errno = saved;
		return NULL;
	}
	return b;
}

/*
 * A raw socket receives a copy of every datagram of its protocol that
 * reaches the host (every UDP datagram, for VXLAN's). Ours only send: a
 * filter that accepts nothing keeps those copies out of its queue, and
 * costs one instruction a packet.
 */
static int
refuse_all_input(int fd)
{
	static struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { .len = 1, .filter = drop_all };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

struct udp_batch *
udp_batch_open_raw(uint32_t addr_be, int ipproto, unsigned slots)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct udp_batch *b = calloc(1, sizeof(*b));
	int size = SOCKET_BUFFER, pmtu = IP_PMTUDISC_DONT, saved;

	if (b == NULL)
		return NULL;
	b->slots = slots;
	b->local_be = addr_be;
	b->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, ipproto);
	if (b->fd < 0 || alloc_arrays(b) < 0 || refuse_all_input(b->fd) < 0)
		goto fail;
	sin.sin_addr.s_addr = addr_be;
	if (setsockopt(b->fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(b->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	(void)setsockopt(b->fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
	if (bind(b->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		goto fail;
	return b;
fail:
	saved = errno;
	udp_batch_close(b);
	errno = saved;
	return NULL;
}

void
udp_batch_close(struct udp_batch *b)
{
	if (b == NULL)
		return;
	if (b->fd >= 0)
		close(b->fd);
	free(b->rx_buf);
	free(b->rx_msg);
	free(b->rx_iov);
	free(b->rx_from);
	free(b->rx_pkt);
	free(b->scratch);
	free(b->tx_msg);
	free(b->tx_iov);
	free(b->tx_to);
	free(b);
}

int
udp_batch_fd(const struct udp_batch *b)
{
	return b->fd;
}

uint32_t
udp_batch_local(const struct udp_batch *b)
{
	return b->local_be;
}

static void
prepare_rx(struct udp_batch *b)
{
	for (unsigned i = 0; i < b->slots; i++) {
		b->rx_iov[i].iov_base = b->rx_buf + (size_t)i * SLOT_SIZE + UDP_BATCH_HEADROOM;
		b->rx_iov[i].iov_len = UDP_BATCH_DATA;
		b->rx_msg[i].msg_hdr = (struct msghdr){
			.msg_name = &b->rx_from[i],
			.msg_namelen = sizeof(b->rx_from[i]),
			.msg_iov = &b->rx_iov[i],
			.msg_iovlen = 1,
		};
	}
}

int
udp_batch_recv(struct udp_batch *b, struct udp_pkt **pkts)
{
	int n;

	prepare_rx(b);
	n = recvmmsg(b->fd, b->rx_msg, b->slots, MSG_DONTWAIT, NULL);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
	for (int i = 0; i < n; i++) {
		struct udp_pkt *p = &b->rx_pkt[i];

		p->data = b->rx_iov[i].iov_base;
		p->len = b->rx_msg[i].msg_len;
		p->from_be = b->rx_from[i].sin_addr.s_addr;
		p->from_port = ntohs(b->rx_from[i].sin_port);
		p->truncated = (b->rx_msg[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
	}
	*pkts = b->rx_pkt;
	return n;
}

static unsigned send_queued(struct udp_batch *b);

uint8_t *
udp_batch_scratch(struct udp_batch *b)
{
	/*
	 * All handed out (many ARP requests in one tick, a burst of answers):
	 * what is queued, which is all that points at them, goes now, and the
	 * room is used again.
	 */
	if (b->scratch_used == b->slots) {
		b->failed += send_queued(b);
		b->scratch_used = 0;
	}
	return b->scratch + (size_t)b->scratch_used++ * UDP_BATCH_DATA;
}

static unsigned
send_queued(struct udp_batch *b)
{
	unsigned sent = 0, failed = 0;

	while (sent + failed < b->tx_n) {
		int n = sendmmsg(b->fd, b->tx_msg + sent + failed, b->tx_n - sent - failed, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The first datagram failed (full buffer, unreachable): skip it, keep
			 * going. */
			failed++;
			continue;
		}
		sent += (unsigned)n;
	}
	b->tx_n = 0;
	return failed;
}

void
udp_batch_queue(
    struct udp_batch *b, const uint8_t *data, size_t len, uint32_t dst_be, uint16_t dst_port)
{
	unsigned i;

	/*
	 * A fan-out (head-end replication, ARP to every peer, mirror copies)
	 * can outgrow the queue: send what is queued now and go on. The
	 * scratch buffers stay handed out until the flush, so the copies
	 * still to be queued from them keep their bytes.
	 */
	if (b->tx_n == b->tx_cap)
		b->failed += send_queued(b);
	i = b->tx_n;
	b->tx_to[i] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(dst_port) };
	b->tx_to[i].sin_addr.s_addr = dst_be;
	b->tx_iov[i] = (struct iovec){ .iov_base = (void *)data, .iov_len = len };
	b->tx_msg[i].msg_hdr = (struct msghdr){
		.msg_name = &b->tx_to[i],
		.msg_namelen = sizeof(b->tx_to[i]),
		.msg_iov = &b->tx_iov[i],
		.msg_iovlen = 1,
	};
	b->tx_n++;
}

unsigned
udp_batch_flush(struct udp_batch *b)
{
	unsigned failed = send_queued(b) + b->failed;

	b->failed = 0;
	b->scratch_used = 0;
	return failed;
}

int
udp_batch_send_now(
    struct udp_batch *b, const uint8_t *data, size_t len, uint32_t dst_be, uint16_t dst_port)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(dst_port) };

	to.sin_addr.s_addr = dst_be;
	return sendto(b->fd, data, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}
