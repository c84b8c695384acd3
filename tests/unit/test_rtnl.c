/*
 * Unit tests for src/proto/rtnl.c: the requests for a route, a neighbour and
 * a link, and the reading of the kernel's answers. Answers are built here
 * with the uapi's own structures, the way the kernel lays them out
 * (rtm_fill_info, neigh_fill_info, rtnl_fill_ifinfo), and are also read
 * from an odd offset: the reader must not need alignment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "proto/rtnl.h"

#define SEQ 77

struct answer {
	uint8_t buf[1024];
	size_t len;
};

/* Starts a message of type with the fixed part body (flen octets). */
static void
begin(struct answer *a, uint16_t type, uint32_t seq, const void *body, size_t flen)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_seq = seq };

	memset(a, 0, sizeof(*a));
	memcpy(a->buf, &h, sizeof(h));
	memcpy(a->buf + NLMSG_HDRLEN, body, flen);
	a->len = NLMSG_HDRLEN + NLMSG_ALIGN(flen);
	h.nlmsg_len = (uint32_t)a->len;
	memcpy(a->buf, &h, sizeof(h));
}

static void
attr(struct answer *a, uint16_t type, const void *data, size_t len)
{
	struct rtattr r = { .rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type };
	uint32_t total;

	memcpy(a->buf + a->len, &r, sizeof(r));
	memcpy(a->buf + a->len + RTA_LENGTH(0), data, len);
	a->len += RTA_SPACE(len);
	total = (uint32_t)a->len;
	memcpy(a->buf, &total, sizeof(total));
}

static void
attr_u32(struct answer *a, uint16_t type, uint32_t v)
{
	attr(a, type, &v, sizeof(v));
}

static void
route_answer(struct answer *a, uint8_t type)
{
	struct rtmsg m = { .rtm_family = AF_INET, .rtm_dst_len = 32, .rtm_type = type };

	begin(a, RTM_NEWROUTE, SEQ, &m, sizeof(m));
	attr_u32(a, RTA_TABLE, RT_TABLE_MAIN);
	attr_u32(a, RTA_DST, inet_addr("192.0.2.99"));
	attr_u32(a, RTA_OIF, 7);
	attr_u32(a, RTA_GATEWAY, inet_addr("198.51.100.254"));
	attr_u32(a, RTA_PREFSRC, inet_addr("198.51.100.1"));
}

static void
error_answer(struct answer *a, uint32_t seq, int32_t err)
{
	struct nlmsgerr e = { .error = err };

	begin(a, NLMSG_ERROR, seq, &e, sizeof(e));
}

static void
test_route_request_layout(void **state)
{
	uint8_t buf[RTNL_REQUEST_MAX];
	struct nlmsghdr h;
	struct rtmsg m;
	struct rtattr r;
	uint32_t v;
	size_t len =
	    rtnl_route_request(buf, SEQ, inet_addr("192.0.2.99"), inet_addr("198.51.100.1"));

	(void)state;
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(len, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m)) + 2 * RTA_SPACE(4));
	assert_int_equal(h.nlmsg_len, len);
	assert_int_equal(h.nlmsg_type, RTM_GETROUTE);
	assert_int_equal(h.nlmsg_flags, NLM_F_REQUEST); /* one answer, not a dump */
	assert_int_equal(h.nlmsg_seq, SEQ);
	memcpy(&m, buf + NLMSG_HDRLEN, sizeof(m));
	assert_int_equal(m.rtm_family, AF_INET);
	assert_int_equal(m.rtm_dst_len, 32);
	assert_int_equal(m.rtm_src_len, 32);
	memcpy(&r, buf + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m)), sizeof(r));
	assert_int_equal(r.rta_type, RTA_DST);
	assert_int_equal(r.rta_len, RTA_LENGTH(4));
	memcpy(&v, buf + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m)) + RTA_LENGTH(0), 4);
	assert_int_equal(v, inet_addr("192.0.2.99"));
	memcpy(&r, buf + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m)) + RTA_SPACE(4), sizeof(r));
	assert_int_equal(r.rta_type, RTA_SRC);
}

static void
test_route_request_without_source_has_no_src(void **state)
{
	uint8_t buf[RTNL_REQUEST_MAX];
	struct rtmsg m;
	size_t len = rtnl_route_request(buf, SEQ, inet_addr("192.0.2.99"), 0);

	(void)state;
	assert_int_equal(len, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m)) + RTA_SPACE(4));
	memcpy(&m, buf + NLMSG_HDRLEN, sizeof(m));
	assert_int_equal(m.rtm_src_len, 0);
}

static void
test_neigh_and_link_requests(void **state)
{
	uint8_t buf[RTNL_REQUEST_MAX];
	struct nlmsghdr h;
	struct ndmsg n;
	struct ifinfomsg i;
	uint32_t v;

	(void)state;
	assert_int_equal(rtnl_neigh_request(buf, 5, 7, inet_addr("198.51.100.254")),
	    NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(n)) + RTA_SPACE(4));
	memcpy(&h, buf, sizeof(h));
	memcpy(&n, buf + NLMSG_HDRLEN, sizeof(n));
	memcpy(&v, buf + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(n)) + RTA_LENGTH(0), 4);
	assert_int_equal(h.nlmsg_type, RTM_GETNEIGH);
	assert_int_equal(n.ndm_family, AF_INET);
	assert_int_equal(n.ndm_ifindex, 7);
	assert_int_equal(v, inet_addr("198.51.100.254"));
	assert_int_equal(rtnl_link_request(buf, 6, 7), NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(i)));
	memcpy(&h, buf, sizeof(h));
	memcpy(&i, buf + NLMSG_HDRLEN, sizeof(i));
	assert_int_equal(h.nlmsg_type, RTM_GETLINK);
	assert_int_equal(h.nlmsg_seq, 6);
	assert_int_equal(i.ifi_index, 7);
}

static void
test_route_answer_fields(void **state)
{
	struct answer a;
	struct rtnl_route r;

	(void)state;
	route_answer(&a, RTN_UNICAST);
	assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), 0);
	assert_int_equal(r.oif, 7);
	assert_int_equal(r.gateway_be, inet_addr("198.51.100.254"));
	assert_int_equal(r.prefsrc_be, inet_addr("198.51.100.1"));
}

static void
test_route_answer_read_from_an_odd_offset(void **state)
{
	struct answer a;
	uint8_t odd[sizeof(a.buf) + 1];
	struct rtnl_route r;

	(void)state;
	route_answer(&a, RTN_UNICAST);
	memcpy(odd + 1, a.buf, a.len);
	assert_int_equal(rtnl_route_answer(odd + 1, a.len, SEQ, &r), 0);
	assert_int_equal(r.oif, 7);
}

static void
test_route_answer_not_unicast_unreachable(void **state)
{
	struct answer a;
	struct rtnl_route r;
	static const uint8_t types[] = { RTN_LOCAL, RTN_BLACKHOLE, RTN_PROHIBIT, RTN_BROADCAST };

	(void)state;
	for (size_t i = 0; i < sizeof(types); i++) {
		route_answer(&a, types[i]);
		assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), -ENETUNREACH);
	}
}

static void
test_route_answer_without_oif_unreachable(void **state)
{
	struct answer a;
	struct rtnl_route r;
	struct rtmsg m = { .rtm_family = AF_INET, .rtm_type = RTN_UNICAST };

	(void)state;
	begin(&a, RTM_NEWROUTE, SEQ, &m, sizeof(m));
	attr_u32(&a, RTA_GATEWAY, inet_addr("198.51.100.254"));
	assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), -ENETUNREACH);
}

static void
test_kernel_error_returned(void **state)
{
	struct answer a;
	struct rtnl_route r;
	struct rtnl_neigh n;

	(void)state;
	error_answer(&a, SEQ, -ENETUNREACH);
	assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), -ENETUNREACH);
	error_answer(&a, SEQ, -ENOENT);
	assert_int_equal(rtnl_neigh_answer(a.buf, a.len, SEQ, &n), -ENOENT);
	error_answer(&a, SEQ, 0); /* an ACK: no answer to the question */
	assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), -EPROTO);
}

static void
test_answer_to_another_question_skipped(void **state)
{
	struct answer a, b;
	struct rtnl_route r;
	uint8_t both[2048];

	(void)state;
	error_answer(&a, SEQ - 1, -ETIMEDOUT); /* a late answer to an earlier question */
	route_answer(&b, RTN_UNICAST);
	memcpy(both, a.buf, a.len);
	memcpy(both + a.len, b.buf, b.len);
	assert_int_equal(rtnl_route_answer(both, a.len + b.len, SEQ, &r), 0);
	assert_int_equal(r.oif, 7);
	assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), -EPROTO);
}

static void
test_malformed_answers_refused(void **state)
{
	struct answer a;
	struct rtnl_route r;
	struct rtnl_link l;
	uint32_t big;

	(void)state;
	route_answer(&a, RTN_UNICAST);
	assert_int_equal(rtnl_route_answer(a.buf, a.len - 1, SEQ, &r), -EPROTO); /* cut short */
	assert_int_equal(rtnl_route_answer(a.buf, 8, SEQ, &r), -EPROTO);
	assert_int_equal(rtnl_route_answer(a.buf, 0, SEQ, &r), -EPROTO);
	assert_int_equal(rtnl_link_answer(a.buf, a.len, SEQ, &l), -EPROTO); /* not a link */
	big = 0xffffffff;
	memcpy(a.buf, &big, 4);
	assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), -EPROTO);
}

static void
test_attribute_past_the_message_ends_the_reading(void **state)
{
	struct answer a;
	struct rtnl_route r;
	struct rtmsg m = { .rtm_family = AF_INET, .rtm_type = RTN_UNICAST };
	struct rtattr bad = { .rta_len = 200, .rta_type = RTA_OIF };
	uint32_t total;

	(void)state;
	begin(&a, RTM_NEWROUTE, SEQ, &m, sizeof(m));
	attr_u32(&a, RTA_GATEWAY, inet_addr("198.51.100.254"));
	memcpy(a.buf + a.len, &bad, sizeof(bad));
	a.len += 8;
	total = (uint32_t)a.len;
	memcpy(a.buf, &total, 4);
	assert_int_equal(rtnl_route_answer(a.buf, a.len, SEQ, &r), -ENETUNREACH);
	assert_int_equal(r.gateway_be, inet_addr("198.51.100.254"));
}

static void
neigh_answer(struct answer *a, uint16_t state, size_t mac_len)
{
	struct ndmsg m = { .ndm_family = AF_INET, .ndm_ifindex = 7, .ndm_state = state };
	static const uint8_t mac[8] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

	begin(a, RTM_NEWNEIGH, SEQ, &m, sizeof(m));
	attr_u32(a, NDA_DST, inet_addr("198.51.100.254"));
	attr(a, NDA_LLADDR, mac, mac_len);
}

static void
test_neigh_answer_usable_states(void **state)
{
	static const uint16_t usable[] = { NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE,
		NUD_PERMANENT, NUD_NOARP };
	static const uint16_t unusable[] = { NUD_INCOMPLETE, NUD_FAILED, NUD_NONE };
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };
	struct answer a;
	struct rtnl_neigh n;

	(void)state;
	for (size_t i = 0; i < sizeof(usable) / sizeof(usable[0]); i++) {
		neigh_answer(&a, usable[i], 6);
		assert_int_equal(rtnl_neigh_answer(a.buf, a.len, SEQ, &n), 0);
		assert_memory_equal(n.mac, mac, 6);
		assert_true(rtnl_neigh_usable(&n));
	}
	for (size_t i = 0; i < sizeof(unusable) / sizeof(unusable[0]); i++) {
		neigh_answer(&a, unusable[i], 6);
		assert_int_equal(rtnl_neigh_answer(a.buf, a.len, SEQ, &n), 0);
		assert_false(rtnl_neigh_usable(&n));
	}
}

static void
test_neigh_answer_without_a_six_octet_mac_unusable(void **state)
{
	struct answer a;
	struct rtnl_neigh n;

	(void)state;
	neigh_answer(&a, NUD_REACHABLE, 4);
	assert_int_equal(rtnl_neigh_answer(a.buf, a.len, SEQ, &n), 0);
	assert_false(n.has_mac);
	assert_false(rtnl_neigh_usable(&n));
}

static void
link_answer(struct answer *a, uint16_t type, unsigned flags, size_t mac_len)
{
	struct ifinfomsg m = {
		.ifi_family = AF_UNSPEC, .ifi_type = type, .ifi_index = 7, .ifi_flags = flags
	};
	static const uint8_t mac[6] = { 0x02, 0x76, 0x70, 0x00, 0x00, 0x01 };

	begin(a, RTM_NEWLINK, SEQ, &m, sizeof(m));
	attr(a, IFLA_IFNAME, "br1", 4);
	attr_u32(a, IFLA_MTU, 1450);
	if (mac_len > 0)
		attr(a, IFLA_ADDRESS, mac, mac_len);
}

static void
test_link_answer_ethernet_up(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x76, 0x70, 0x00, 0x00, 0x01 };
	struct answer a;
	struct rtnl_link l;

	(void)state;
	link_answer(&a, ARPHRD_ETHER, IFF_UP | IFF_RUNNING | IFF_BROADCAST, 6);
	assert_int_equal(rtnl_link_answer(a.buf, a.len, SEQ, &l), 0);
	assert_true(l.ethernet);
	assert_true(l.up);
	assert_int_equal(l.mtu, 1450);
	assert_memory_equal(l.mac, mac, 6);
}

static void
test_link_answer_not_ethernet_or_down(void **state)
{
	struct answer a;
	struct rtnl_link l;

	(void)state;
	link_answer(&a, ARPHRD_NONE, IFF_UP | IFF_RUNNING, 0); /* a tun device */
	assert_int_equal(rtnl_link_answer(a.buf, a.len, SEQ, &l), 0);
	assert_false(l.ethernet);
	link_answer(&a, ARPHRD_ETHER, IFF_UP | IFF_RUNNING, 0); /* no address */
	assert_int_equal(rtnl_link_answer(a.buf, a.len, SEQ, &l), 0);
	assert_false(l.ethernet);
	link_answer(&a, ARPHRD_ETHER, IFF_UP, 6); /* no carrier */
	assert_int_equal(rtnl_link_answer(a.buf, a.len, SEQ, &l), 0);
	assert_true(l.ethernet);
	assert_false(l.up);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_request_layout),
		cmocka_unit_test(test_route_request_without_source_has_no_src),
		cmocka_unit_test(test_neigh_and_link_requests),
		cmocka_unit_test(test_route_answer_fields),
		cmocka_unit_test(test_route_answer_read_from_an_odd_offset),
		cmocka_unit_test(test_route_answer_not_unicast_unreachable),
		cmocka_unit_test(test_route_answer_without_oif_unreachable),
		cmocka_unit_test(test_kernel_error_returned),
		cmocka_unit_test(test_answer_to_another_question_skipped),
		cmocka_unit_test(test_malformed_answers_refused),
		cmocka_unit_test(test_attribute_past_the_message_ends_the_reading),
		cmocka_unit_test(test_neigh_answer_usable_states),
		cmocka_unit_test(test_neigh_answer_without_a_six_octet_mac_unusable),
		cmocka_unit_test(test_link_answer_ethernet_up),
		cmocka_unit_test(test_link_answer_not_ethernet_or_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
