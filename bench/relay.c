/* The socket path's ceiling: a bare UDP relay that receives GTP-U G-PDUs in
 * batches (recvmmsg), strips the 8-octet GTP-U header and sends what is left
 * in batches (sendmmsg). No parsing, no lookup: what vpgd is measured against.
 *
 *   relay LISTEN_IP:PORT SRC_IP DST_IP:PORT [STRIP]
 *
 * STRIP (default 8) is how many leading octets of each datagram it drops. For
 * the downlink it is 14: a VXLAN frame's 8 + 14 octets of VXLAN and Ethernet
 * header less the 8 that stand in for the GTP-U header, so the relay sends
 * exactly as many octets per packet as a gateway's G-PDU carries.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64
#define BUF   2048

static int
parse_addr(const char *s, struct sockaddr_in *sa, int need_port)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	if (n >= sizeof(host) || (need_port && colon == NULL))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(colon ? (unsigned short)atoi(colon + 1) : 0);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static int
udp_socket(const struct sockaddr_in *bind_to)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int sz = 4 << 20;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind(fd, (const struct sockaddr *)bind_to, sizeof(*bind_to)) != 0)
		return -1;
	return fd;
}

int
main(int argc, char **argv)
{
	static unsigned char bufs[BATCH][BUF];
	struct mmsghdr in[BATCH], out[BATCH];
	struct iovec iin[BATCH], iout[BATCH];
	struct sockaddr_in listen_sa, src_sa, dst_sa;
	int rx, tx;
	unsigned strip = 8;

	if (argc == 5)
		strip = (unsigned)atoi(argv[4]);
	if ((argc != 4 && argc != 5) || parse_addr(argv[1], &listen_sa, 1) ||
	    parse_addr(argv[2], &src_sa, 0) || parse_addr(argv[3], &dst_sa, 1) || strip == 0 ||
	    strip >= BUF) {
		fprintf(stderr, "usage: relay LISTEN_IP:PORT SRC_IP DST_IP:PORT [STRIP]\n");
		return 2;
	}
	rx = udp_socket(&listen_sa);
	tx = udp_socket(&src_sa);
	if (rx < 0 || tx < 0) {
		perror("relay: socket");
		return 1;
	}
	memset(in, 0, sizeof(in));
	memset(out, 0, sizeof(out));
	for (int i = 0; i < BATCH; i++) {
		iin[i].iov_base = bufs[i];
		iin[i].iov_len = BUF;
		in[i].msg_hdr.msg_iov = &iin[i];
		in[i].msg_hdr.msg_iovlen = 1;
		out[i].msg_hdr.msg_iov = &iout[i];
		out[i].msg_hdr.msg_iovlen = 1;
		out[i].msg_hdr.msg_name = &dst_sa;
		out[i].msg_hdr.msg_namelen = sizeof(dst_sa);
	}
	printf("relay ready\n");
	fflush(stdout);
	for (;;) {
		int n = recvmmsg(rx, in, BATCH, MSG_WAITFORONE, NULL);
		int k = 0;

		if (n < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (in[i].msg_len <= strip)
				continue;
			iout[k].iov_base = bufs[i] + strip;
			iout[k].iov_len = in[i].msg_len - strip;
			k++;
		}
		for (int off = 0; off < k;) {
			int s = sendmmsg(tx, out + off, (unsigned)(k - off), 0);
			if (s <= 0)
				break; /* a full queue drops, as a relay would */
			off += s;
		}
	}
}
