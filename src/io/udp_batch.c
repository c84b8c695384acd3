#include "io/udp_batch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/clock.h"
#include "io/next_hop.h"
#include "proto/ether.h"
#include "proto/ipv4.h"

#define SLOT_SIZE     (UDP_BATCH_HEADROOM + UDP_BATCH_DATA)
#define SOCKET_BUFFER (4 << 20)

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
/* A train is at most 64 KiB (the kernel's GRO limit for IPv4): a buffer that size never cuts one.
 */
#define TRAIN_DATA (64 << 10)
/* The kernel takes at most 64 datagrams a send (UDP_MAX_SEGMENTS before 6.3), 64 KiB in all. */
#define GSO_MAX_SEGS  64
#define GSO_MAX_BYTES (65535 - 20 - 8)
#define GSO_CTL_SIZE  CMSG_SPACE(sizeof(uint16_t))
#define GRO_CTL_SIZE  CMSG_SPACE(sizeof(int))

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
	/* GSO: the queue as sent, a run of entries a message. */
	bool gso;	    /* a UDP socket: not the raw ones, which write their own headers */
	size_t gso_max_len; /* runs of datagrams this long or longer go one by one */
	struct mmsghdr *run_msg;
	unsigned *run_first, *run_len;
	uint8_t *run_ctl; /* a UDP_SEGMENT control message each */
	/* GRO: the last receive's messages, handed out over as many calls as they need. */
	bool gro;
	size_t rx_data; /* room for a message after the headroom: UDP_BATCH_DATA, or a train */
	uint8_t *rx_ctl;
	uint8_t *split; /* a train's datagrams, each copied behind headroom of its own */
	unsigned rx_msgs, rx_next, rx_seg_next;
	struct udp_batch_stats stats;
	uint8_t raw_proto;     /* a raw socket's IP protocol; 0: a UDP socket */
	struct direct *direct; /* a raw batch's frames past the IP stack; NULL: off */
};

/*
 * Direct output: the raw socket's datagrams leave as whole frames through a
 * packet socket, Ethernet and IPv4 headers ours, to the next hop the
 * kernel's tables name (io/next_hop.h). The entries of the queue that go
 * so, and the headers written for them.
 */
#define LINK_HDR_LEN (ETHER_HDR_LEN + IPV4_HDR_LEN)

struct direct {
	int fd;
	struct next_hops *hops;
	uint8_t ttl;
	uint16_t ip_id;
	bool *is_direct;
	uint8_t *hdr; /* LINK_HDR_LEN an entry */
	struct iovec *iov;
	struct mmsghdr *msg;
	struct sockaddr_ll *to;
	/* The last hop's headers (direct_template). */
	const struct next_hop *tmpl_hop;
	uint64_t tmpl_asked_ns;
	uint8_t tmpl[LINK_HDR_LEN];
};

static void prepare_rx(struct udp_batch *b);
static void direct_free(struct direct *d);

/* A large send buffer holds a batch's datagrams; FORCE works as root, else best effort. */
static void
set_send_buffer(int fd)
{
	int size = SOCKET_BUFFER;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

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
	set_send_buffer(fd);
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
	b->run_msg = calloc(b->tx_cap, sizeof(*b->run_msg));
	b->run_first = calloc(b->tx_cap, sizeof(*b->run_first));
	b->run_len = calloc(b->tx_cap, sizeof(*b->run_len));
	b->run_ctl = calloc(b->tx_cap, GSO_CTL_SIZE);
	b->rx_data = UDP_BATCH_DATA;
	if (!b->rx_buf || !b->rx_msg || !b->rx_iov || !b->rx_from || !b->rx_pkt || !b->scratch ||
	    !b->tx_msg || !b->tx_iov || !b->tx_to || !b->run_msg || !b->run_first || !b->run_len ||
	    !b->run_ctl)
		return -1;
	return 0;
}

/* A batch without its socket yet: fd -1. */
static struct udp_batch *
batch_new(uint32_t addr_be, unsigned slots)
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
	prepare_rx(b);
	return b;
}

/* b, or NULL with b closed and errno kept when opening its socket failed. */
static struct udp_batch *
opened_or_closed(struct udp_batch *b, int rc)
{
	int saved = errno;

	if (rc == 0)
		return b;
	udp_batch_close(b);
	errno = saved;
	return NULL;
}

struct udp_batch *
udp_batch_open(uint32_t addr_be, uint16_t port, unsigned slots)
{
	struct udp_batch *b = batch_new(addr_be, slots);

	if (b == NULL)
		return NULL;
	b->fd = open_socket(addr_be, port);
	return opened_or_closed(b, b->fd < 0 ? -1 : 0);
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

/*
 * The filter runs on a copy: the kernel clones every datagram of the raw
 * socket's protocol to its address for it first, on the CPU that received
 * the datagram (for VXLAN's, every frame the gate receives: a tenth of the
 * receiving CPU's time a datagram here). Connected to its own address, the
 * socket matches only datagrams from there, which no peer sends, and the
 * kernel copies nothing; each send still names its destination, and the
 * ICMP errors a connected socket takes are about datagrams to that address,
 * which it never sends. Bound to no
 * address, it stays unconnected: connecting would choose its source.
 */
static int
only_from_itself(int fd, const struct sockaddr_in *bound)
{
	if (bound->sin_addr.s_addr == INADDR_ANY)
		return 0;
	return connect(fd, (const struct sockaddr *)bound, sizeof(*bound));
}

static int
open_raw(struct udp_batch *b, uint32_t addr_be, int ipproto)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = addr_be };
	int pmtu = IP_PMTUDISC_DONT;

	b->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, ipproto);
	if (b->fd < 0 || refuse_all_input(b->fd) < 0)
		return -1;
	set_send_buffer(b->fd);
	(void)setsockopt(b->fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
	if (bind(b->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -1;
	return only_from_itself(b->fd, &sin);
}

struct udp_batch *
udp_batch_open_raw(uint32_t addr_be, int ipproto, unsigned slots)
{
	struct udp_batch *b = batch_new(addr_be, slots);

	if (b == NULL)
		return NULL;
	b->raw_proto = (uint8_t)ipproto;
	return opened_or_closed(b, open_raw(b, addr_be, ipproto));
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
	free(b->run_msg);
	free(b->run_first);
	free(b->run_len);
	free(b->run_ctl);
	free(b->rx_ctl);
	direct_free(b->direct);
	free(b->split);
	free(b);
}

/*
 * The receive buffers grow to a train's size (calloc: pages the kernel only
 * maps when a train first fills them, so a socket that never gets one costs
 * what it did), with a control buffer each for the train's datagram size.
 */
int
udp_batch_enable_gro(struct udp_batch *b)
{
	uint8_t *buf = calloc(b->slots, UDP_BATCH_HEADROOM + TRAIN_DATA);
	uint8_t *ctl = calloc(b->slots, GRO_CTL_SIZE);
	uint8_t *split = calloc(b->slots, SLOT_SIZE);
	int one = 1;

	if (buf == NULL || ctl == NULL || split == NULL) {
		free(buf);
		free(ctl);
		free(split);
		errno = ENOMEM;
		return -1;
	}
	if (setsockopt(b->fd, SOL_UDP, UDP_GRO, &one, sizeof(one)) < 0) {
		int saved = errno;

		free(buf);
		free(ctl);
		free(split);
		errno = saved;
		return -1;
	}
	free(b->rx_buf);
	b->rx_buf = buf;
	b->rx_ctl = ctl;
	b->split = split;
	b->rx_data = TRAIN_DATA;
	b->gro = true;
	b->rx_msgs = b->rx_next = b->rx_seg_next = 0;
	prepare_rx(b);
	return 0;
}

void
udp_batch_enable_gso(struct udp_batch *b)
{
	b->gso = true;
	b->gso_max_len = UDP_BATCH_DATA + 1;
}

void
udp_batch_take_stats(struct udp_batch *b, struct udp_batch_stats *s)
{
	*s = b->stats;
	b->stats = (struct udp_batch_stats){ 0 };
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

/* The receive messages, set once: a receive changes only what rearm_rx sets back. */
static void
prepare_rx(struct udp_batch *b)
{
	size_t slot = UDP_BATCH_HEADROOM + b->rx_data;

	for (unsigned i = 0; i < b->slots; i++) {
		b->rx_iov[i].iov_base = b->rx_buf + (size_t)i * slot + UDP_BATCH_HEADROOM;
		b->rx_iov[i].iov_len = b->rx_data;
		b->rx_msg[i].msg_hdr = (struct msghdr){
			.msg_name = &b->rx_from[i],
			.msg_namelen = sizeof(b->rx_from[i]),
			.msg_iov = &b->rx_iov[i],
			.msg_iovlen = 1,
		};
		if (b->gro) {
			b->rx_msg[i].msg_hdr.msg_control = b->rx_ctl + (size_t)i * GRO_CTL_SIZE;
			b->rx_msg[i].msg_hdr.msg_controllen = GRO_CTL_SIZE;
		}
	}
}

/*
 * The lengths the last receive wrote into its n messages, set back: the
 * messages it did not fill are as prepare_rx left them, so a receive of a few
 * datagrams costs a few resets, not one per slot.
 */
static void
rearm_rx(struct udp_batch *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		b->rx_msg[i].msg_hdr.msg_namelen = sizeof(b->rx_from[i]);
		b->rx_msg[i].msg_hdr.msg_controllen = b->gro ? GRO_CTL_SIZE : 0;
	}
}

/* A datagram as the caller sees it: cut to UDP_BATCH_DATA, as a buffer that size would. */
static void
set_pkt(struct udp_pkt *p, uint8_t *data, size_t len, bool cut, const struct sockaddr_in *from)
{
	p->data = data;
	p->len = len > UDP_BATCH_DATA ? UDP_BATCH_DATA : len;
	p->truncated = cut || len > UDP_BATCH_DATA;
	p->from_be = from->sin_addr.s_addr;
	p->from_port = ntohs(from->sin_port);
}

/* The datagram size of message i when it is a train (UDP_GRO's control message); else 0. */
static size_t
train_segment_size(const struct udp_batch *b, unsigned i)
{
	struct msghdr *h = &b->rx_msg[i].msg_hdr;

	/* A datagram alone comes without the control message: the common case, at once. */
	if (h->msg_controllen < sizeof(struct cmsghdr))
		return 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
		int seg;

		if (c->cmsg_level != SOL_UDP || c->cmsg_type != UDP_GRO)
			continue;
		memcpy(&seg, CMSG_DATA(c), sizeof(seg));
		return seg > 0 ? (size_t)seg : 0;
	}
	return 0;
}

/* Datagram j of message i, a train of seg-octet datagrams, copied behind headroom of its own. */
static void
split_out(struct udp_batch *b, unsigned i, size_t seg, size_t j, unsigned out, unsigned split)
{
	size_t len = b->rx_msg[i].msg_len, seg_len;
	size_t off = udp_train_segment(len, seg, j, &seg_len);
	uint8_t *dst = b->split + (size_t)split * SLOT_SIZE + UDP_BATCH_HEADROOM;

	memcpy(dst, (uint8_t *)b->rx_iov[i].iov_base + off,
	    seg_len > UDP_BATCH_DATA ? UDP_BATCH_DATA : seg_len);
	set_pkt(&b->rx_pkt[out], dst, seg_len, false, &b->rx_from[i]);
}

/*
 * Hands out the messages received, up to `slots` datagrams. A message that
 * fits whole is handed out with its first datagram in place and the others
 * copied out now, before the caller may write into the first one's buffer
 * past its end (a reply built in place). One that does not fit waits for the
 * next call; alone, it is copied out as far as it fits.
 */
static int
hand_out(struct udp_batch *b)
{
	unsigned out = 0, split = 0;

	while (b->rx_next < b->rx_msgs && out < b->slots) {
		unsigned i = b->rx_next;
		size_t len = b->rx_msg[i].msg_len, seg = train_segment_size(b, i);
		size_t n = udp_train_count(len, seg);
		bool cut = (b->rx_msg[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;

		if (b->rx_seg_next == 0 && n <= b->slots - out) {
			set_pkt(&b->rx_pkt[out++], b->rx_iov[i].iov_base, n == 1 ? len : seg,
			    n == 1 && cut, &b->rx_from[i]);
			for (size_t j = 1; j < n; j++)
				split_out(b, i, seg, j, out++, split++);
			b->rx_next++;
			continue;
		}
		if (out > 0)
			break;
		while (b->rx_seg_next < n && out < b->slots)
			split_out(b, i, seg, b->rx_seg_next++, out++, split++);
		if (b->rx_seg_next == n) {
			b->rx_next++;
			b->rx_seg_next = 0;
		}
	}
	b->stats.rx_datagrams += out;
	return (int)out;
}

int
udp_batch_recv(struct udp_batch *b, struct udp_pkt **pkts)
{
	int n;

	*pkts = b->rx_pkt;
	if (b->rx_next < b->rx_msgs)
		return hand_out(b);
	rearm_rx(b, b->rx_msgs);
	n = recvmmsg(b->fd, b->rx_msg, b->slots, MSG_DONTWAIT, NULL);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
	b->rx_msgs = (unsigned)n;
	b->rx_next = 0;
	b->rx_seg_next = 0;
	if (n > 0) {
		b->stats.rx_calls++;
		b->stats.rx_messages += (unsigned)n;
	}
	return hand_out(b);
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

/* Sends tx_msg[first, first + n) one by one; returns how many could not be sent. */
static unsigned
send_each(struct udp_batch *b, unsigned first, unsigned n)
{
	unsigned sent = 0, failed = 0;

	while (sent + failed < n) {
		int r = sendmmsg(b->fd, b->tx_msg + first + sent + failed, n - sent - failed, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* The first datagram failed (full buffer, unreachable): skip it, keep
			 * going. */
			failed++;
			continue;
		}
		sent += (unsigned)r;
	}
	return failed;
}

static bool
same_destination(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_addr.s_addr == b->sin_addr.s_addr && a->sin_port == b->sin_port;
}

/*
 * How many queued datagrams from entry i on can leave in one GSO send: one
 * destination, one length (a shorter one may end the run, as the kernel cuts
 * the last segment short), within the kernel's limits. 1: alone.
 */
static unsigned
gso_run(const struct udp_batch *b, unsigned i)
{
	size_t len = b->tx_iov[i].iov_len, total = len;
	unsigned n = 1;

	if (!b->gso || len == 0 || len >= b->gso_max_len)
		return 1;
	while (i + n < b->tx_n && n < GSO_MAX_SEGS) {
		size_t next = b->tx_iov[i + n].iov_len;

		if (next == 0 || next > len || total + next > GSO_MAX_BYTES ||
		    !same_destination(&b->tx_to[i], &b->tx_to[i + n]))
			break;
		n++;
		total += next;
		if (next < len)
			break;
	}
	return n;
}

/* Message k: entries [first, first + n) of the queue, in one send when n > 1. */
static void
build_run(struct udp_batch *b, unsigned k, unsigned first, unsigned n)
{
	struct cmsghdr *c = (struct cmsghdr *)(void *)(b->run_ctl + (size_t)k * GSO_CTL_SIZE);
	uint16_t seg = (uint16_t)b->tx_iov[first].iov_len;

	b->run_first[k] = first;
	b->run_len[k] = n;
	b->run_msg[k].msg_hdr = b->tx_msg[first].msg_hdr;
	if (n == 1)
		return;
	b->run_msg[k].msg_hdr.msg_iovlen = n;
	b->run_msg[k].msg_hdr.msg_control = c;
	b->run_msg[k].msg_hdr.msg_controllen = GSO_CTL_SIZE;
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(seg));
	memcpy(CMSG_DATA(c), &seg, sizeof(seg));
}

/*
 * A run the kernel would not send whole goes one by one. Too long for the
 * path's MTU in one piece (the kernel fragments what goes alone): runs of
 * that length no longer try; GSO refused outright: none do.
 */
static unsigned
run_refused(struct udp_batch *b, unsigned k, int err)
{
	if (err == EMSGSIZE) {
		size_t len = b->tx_iov[b->run_first[k]].iov_len;

		if (len < b->gso_max_len)
			b->gso_max_len = len;
	} else if (err == EINVAL || err == EIO || err == ENOPROTOOPT || err == EOPNOTSUPP) {
		b->gso = false;
	}
	return send_each(b, b->run_first[k], b->run_len[k]);
}

static void
count_gso(struct udp_batch *b, unsigned k, unsigned n)
{
	for (unsigned m = k; m < k + n; m++) {
		if (b->run_len[m] > 1) {
			b->stats.tx_gso_sends++;
			b->stats.tx_gso_datagrams += b->run_len[m];
		}
	}
}

/* Whether two queued datagrams side by side could share a send: what gso_run looks for. */
static bool
has_run(const struct udp_batch *b)
{
	for (unsigned i = 0; i + 1 < b->tx_n; i++)
		if (b->tx_iov[i + 1].iov_len <= b->tx_iov[i].iov_len &&
		    b->tx_iov[i].iov_len < b->gso_max_len &&
		    same_destination(&b->tx_to[i], &b->tx_to[i + 1]))
			return true;
	return false;
}

static void
direct_free(struct direct *d)
{
	if (d == NULL)
		return;
	if (d->fd >= 0)
		close(d->fd);
	next_hops_close(d->hops);
	free(d->is_direct);
	free(d->hdr);
	free(d->iov);
	free(d->msg);
	free(d->to);
	free(d);
}

/* The TTL the stack would write (net.ipv4.ip_default_ttl), 64 when unreadable. */
static uint8_t
default_ttl(void)
{
	int fd = open("/proc/sys/net/ipv4/ip_default_ttl", O_RDONLY | O_CLOEXEC);
	char text[8] = { 0 };
	long ttl = 0;

	if (fd >= 0) {
		if (read(fd, text, sizeof(text) - 1) > 0)
			ttl = strtol(text, NULL, 10);
		close(fd);
	}
	return ttl >= 1 && ttl <= 255 ? (uint8_t)ttl : 64;
}

static struct direct *
direct_new(unsigned cap)
{
	struct direct *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->hops = next_hops_open();
	/* Protocol 0: the socket sends only, and the kernel hands it no frame. */
	d->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->fd >= 0)
		set_send_buffer(d->fd);
	d->ttl = default_ttl();
	d->is_direct = calloc(cap, sizeof(*d->is_direct));
	d->hdr = calloc(cap, LINK_HDR_LEN);
	d->iov = calloc(2 * (size_t)cap, sizeof(*d->iov));
	d->msg = calloc(cap, sizeof(*d->msg));
	d->to = calloc(cap, sizeof(*d->to));
	if (d->hops == NULL || d->fd < 0 || !d->is_direct || !d->hdr || !d->iov || !d->msg ||
	    !d->to) {
		int saved = errno;

		direct_free(d);
		errno = saved;
		return NULL;
	}
	/* Entry i's message: its headers, then the datagram, to a link named at the send. */
	for (unsigned i = 0; i < cap; i++) {
		d->iov[2 * i] = (struct iovec){ .iov_base = d->hdr + (size_t)i * LINK_HDR_LEN,
			.iov_len = LINK_HDR_LEN };
		d->to[i] = (struct sockaddr_ll){ .sll_family = AF_PACKET,
			.sll_protocol = htons(ETH_P_IP) };
		d->msg[i].msg_hdr = (struct msghdr){ .msg_name = &d->to[i],
			.msg_namelen = sizeof(d->to[i]),
			.msg_iov = &d->iov[2 * i],
			.msg_iovlen = 2 };
	}
	return d;
}

int
udp_batch_enable_direct(struct udp_batch *b)
{
	if (b->raw_proto == 0) { /* a UDP socket: the kernel writes its headers */
		errno = EINVAL;
		return -1;
	}
	if (b->direct == NULL)
		b->direct = direct_new(b->tx_cap);
	return b->direct != NULL ? 0 : -1;
}

/*
 * The headers of a frame to hop, its IPv4 total length and identification
 * 0 (ipv4_set_length_and_id fills them in): written once a hop (and again
 * when it is asked again), then copied for each datagram. DF clear, as the
 * raw socket (IP_PMTUDISC_DONT) sends.
 */
static void
direct_template(struct direct *d, const struct next_hop *hop, uint8_t proto)
{
	uint8_t *ip = d->tmpl + ETHER_HDR_LEN;

	ether_push(ip, hop->dst_mac, hop->src_mac, ETHER_TYPE_IPV4);
	ipv4_write_header(
	    ip, &(struct ipv4_header){
		    .src_be = hop->src_be, .dst_be = hop->dst_be, .ttl = d->ttl, .proto = proto });
	d->tmpl_hop = hop;
	d->tmpl_asked_ns = hop->asked_ns;
}

/*
 * Readies queue entry i to leave directly; false when the stack must send
 * it: the hop is unknown or unusable, the frame would exceed the link's
 * MTU (the stack fragments), or the kernel was just asked about the hop
 * (that datagram has the stack confirm the neighbour, once a second).
 */
static bool
direct_prepare(struct udp_batch *b, unsigned i, uint64_t now_ns)
{
	struct direct *d = b->direct;
	size_t ip_len = IPV4_HDR_LEN + b->tx_iov[i].iov_len;
	bool asked;
	const struct next_hop *hop =
	    next_hops_get(d->hops, b->tx_to[i].sin_addr.s_addr, b->local_be, now_ns, &asked);
	uint8_t *ip = d->hdr + (size_t)i * LINK_HDR_LEN + ETHER_HDR_LEN;

	if (asked || !hop->usable || ip_len > hop->mtu)
		return false;
	if (hop != d->tmpl_hop || hop->asked_ns != d->tmpl_asked_ns)
		direct_template(d, hop, b->raw_proto);
	memcpy(ip - ETHER_HDR_LEN, d->tmpl, LINK_HDR_LEN);
	ipv4_set_length_and_id(ip, (uint16_t)ip_len, d->ip_id++);
	d->iov[2 * i + 1] = b->tx_iov[i];
	d->to[i].sll_ifindex = (int)hop->ifindex;
	return true;
}

/*
 * Sends entries [first, first + n) through the packet socket; one the link
 * refuses (down, gone, too long) goes through the stack instead and its
 * hop is asked again. Returns how many could not be sent either way.
 */
static unsigned
direct_send(struct udp_batch *b, unsigned first, unsigned n)
{
	struct direct *d = b->direct;
	unsigned done = 0, failed = 0;

	while (done < n) {
		int r = sendmmsg(d->fd, d->msg + first + done, n - done, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			failed++; /* the link's queue is full: the stack's would be too */
			done++;
			continue;
		}
		if (r <= 0) {
			next_hops_forget(d->hops, b->tx_to[first + done].sin_addr.s_addr);
			failed += send_each(b, first + done, 1);
			done++;
			continue;
		}
		b->stats.tx_direct += (unsigned)r;
		done += (unsigned)r;
	}
	return failed;
}

/* The queue in its order, each stretch of entries by the way it leaves. */
static unsigned
send_mixed(struct udp_batch *b)
{
	struct direct *d = b->direct;
	uint64_t now_ns;
	unsigned failed = 0, i, j;

	if (b->tx_n == 0) /* the loop flushes every round: no clock read for nothing */
		return 0;
	now_ns = monotonic_ns();
	for (i = 0; i < b->tx_n; i++)
		d->is_direct[i] = direct_prepare(b, i, now_ns);
	for (i = 0; i < b->tx_n; i = j) {
		for (j = i + 1; j < b->tx_n && d->is_direct[j] == d->is_direct[i]; j++)
			;
		failed += d->is_direct[i] ? direct_send(b, i, j - i) : send_each(b, i, j - i);
	}
	b->tx_n = 0;
	return failed;
}

static unsigned
send_queued(struct udp_batch *b)
{
	unsigned runs = 0, failed = 0;

	if (b->direct != NULL)
		return send_mixed(b);

	/* No run to merge (a raw socket, a batch to many peers): the queue as it is. */
	if (!b->gso || !has_run(b)) {
		failed = send_each(b, 0, b->tx_n);
		b->tx_n = 0;
		return failed;
	}
	for (unsigned i = 0, n; i < b->tx_n; i += n) {
		n = gso_run(b, i);
		build_run(b, runs++, i, n);
	}
	for (unsigned k = 0; k < runs;) {
		int r = sendmmsg(b->fd, b->run_msg + k, runs - k, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			failed += b->run_len[k] > 1 ? run_refused(b, k, errno) : 1;
			k++;
			continue;
		}
		count_gso(b, k, (unsigned)r);
		k += (unsigned)r;
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
