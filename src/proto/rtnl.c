#include "proto/rtnl.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

/* Attributes are read through memcpy: an answer's octets need no alignment. */
struct attr {
	uint16_t type;
	const uint8_t *data;
	size_t len;
};

static uint8_t *
request_header(uint8_t *buf, uint16_t type, uint32_t seq, size_t body_len)
{
	struct nlmsghdr h = { .nlmsg_len = (uint32_t)(NLMSG_HDRLEN + body_len),
		.nlmsg_type = type,
		.nlmsg_flags = NLM_F_REQUEST,
		.nlmsg_seq = seq };

	memset(buf, 0, RTNL_REQUEST_MAX);
	memcpy(buf, &h, sizeof(h));
	return buf + NLMSG_HDRLEN;
}

/* Appends a 4-octet attribute at *len (inside the message of buf), which grows. */
static void
put_u32_attr(uint8_t *buf, size_t *len, uint16_t type, uint32_t value)
{
	struct rtattr a = { .rta_len = RTA_LENGTH(4), .rta_type = type };
	uint32_t total;

	memcpy(buf + *len, &a, sizeof(a));
	memcpy(buf + *len + RTA_LENGTH(0), &value, 4);
	*len += RTA_SPACE(4);
	total = (uint32_t)*len;
	memcpy(buf + offsetof(struct nlmsghdr, nlmsg_len), &total, sizeof(total));
}

size_t
rtnl_route_request(uint8_t *buf, uint32_t seq, uint32_t dst_be, uint32_t src_be)
{
	struct rtmsg m = { .rtm_family = AF_INET, .rtm_dst_len = 32 };
	size_t len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m));

	if (src_be != 0)
		m.rtm_src_len = 32;
	memcpy(request_header(buf, RTM_GETROUTE, seq, NLMSG_ALIGN(sizeof(m))), &m, sizeof(m));
	put_u32_attr(buf, &len, RTA_DST, dst_be);
	if (src_be != 0)
		put_u32_attr(buf, &len, RTA_SRC, src_be);
	return len;
}

size_t
rtnl_neigh_request(uint8_t *buf, uint32_t seq, uint32_t ifindex, uint32_t ip_be)
{
	struct ndmsg m = { .ndm_family = AF_INET, .ndm_ifindex = (int)ifindex };
	size_t len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m));

	memcpy(request_header(buf, RTM_GETNEIGH, seq, NLMSG_ALIGN(sizeof(m))), &m, sizeof(m));
	put_u32_attr(buf, &len, NDA_DST, ip_be);
	return len;
}

size_t
rtnl_link_request(uint8_t *buf, uint32_t seq, uint32_t ifindex)
{
	struct ifinfomsg m = { .ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex };

	memcpy(request_header(buf, RTM_GETLINK, seq, NLMSG_ALIGN(sizeof(m))), &m, sizeof(m));
	return NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(m));
}

/*
 * The message answering seq: its type, and its body (after the netlink
 * header) through *body and *body_len; or a negative errno (the kernel's
 * NLMSG_ERROR, or -EPROTO when no well-formed message answers seq).
 */
static int
find_answer(const uint8_t *buf, size_t len, uint32_t seq, const uint8_t **body, size_t *body_len)
{
	size_t off = 0;

	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;

		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			return -EPROTO;
		if (h.nlmsg_seq == seq) {
			*body = buf + off + NLMSG_HDRLEN;
			*body_len = h.nlmsg_len - NLMSG_HDRLEN;
			if (h.nlmsg_type != NLMSG_ERROR)
				return h.nlmsg_type;
			if (*body_len < sizeof(int32_t))
				return -EPROTO;
			int32_t err;
			memcpy(&err, *body, sizeof(err));
			return err < 0 ? err : -EPROTO; /* an ACK answers no question */
		}
		off += NLMSG_ALIGN(h.nlmsg_len);
		if (off > len)
			break;
	}
	return -EPROTO;
}

/* The attribute after *off in attrs, or false at the end or at a malformed one. */
static bool
next_attr(const uint8_t *attrs, size_t len, size_t *off, struct attr *a)
{
	struct rtattr r;

	if (len - *off < sizeof(r))
		return false;
	memcpy(&r, attrs + *off, sizeof(r));
	if (r.rta_len < sizeof(r) || r.rta_len > len - *off)
		return false;
	a->type = r.rta_type;
	a->data = attrs + *off + RTA_LENGTH(0);
	a->len = r.rta_len - RTA_LENGTH(0);
	*off += RTA_ALIGN(r.rta_len);
	if (*off > len)
		*off = len;
	return true;
}

static void
read_u32(const struct attr *a, uint32_t *v)
{
	if (a->len == 4)
		memcpy(v, a->data, 4);
}

typedef void (*attr_fn)(const struct attr *a, void *out);

/*
 * Reads the answer to seq of type want: its fixed part (fixed_len octets)
 * into fixed, then each attribute after it through each(attr, out).
 */
static int
read_answer(const uint8_t *buf, size_t len, uint32_t seq, int want, void *fixed, size_t fixed_len,
    attr_fn each, void *out)
{
	const uint8_t *body;
	size_t body_len, off = NLMSG_ALIGN(fixed_len);
	struct attr a;
	int type = find_answer(buf, len, seq, &body, &body_len);

	if (type < 0)
		return type;
	if (type != want || body_len < fixed_len)
		return -EPROTO;
	memcpy(fixed, body, fixed_len);
	while (off < body_len && next_attr(body, body_len, &off, &a))
		each(&a, out);
	return 0;
}

static void
route_attr(const struct attr *a, void *out)
{
	struct rtnl_route *r = out;

	if (a->type == RTA_OIF)
		read_u32(a, &r->oif);
	else if (a->type == RTA_GATEWAY)
		read_u32(a, &r->gateway_be);
	else if (a->type == RTA_PREFSRC)
		read_u32(a, &r->prefsrc_be);
}

int
rtnl_route_answer(const uint8_t *buf, size_t len, uint32_t seq, struct rtnl_route *out)
{
	struct rtmsg m;
	int rc;

	*out = (struct rtnl_route){ 0 };
	rc = read_answer(buf, len, seq, RTM_NEWROUTE, &m, sizeof(m), route_attr, out);
	if (rc < 0)
		return rc;
	if (m.rtm_family != AF_INET)
		return -EPROTO;
	if (m.rtm_type != RTN_UNICAST || out->oif == 0)
		return -ENETUNREACH;
	return 0;
}

/* A MAC of exactly 6 octets into mac; has set when one was there. */
struct mac_out {
	uint8_t *mac;
	bool *has;
};

static void
mac_attr(const struct attr *a, uint16_t type, const struct mac_out *m)
{
	if (a->type == type && a->len == 6) {
		memcpy(m->mac, a->data, 6);
		*m->has = true;
	}
}

static void
neigh_attr(const struct attr *a, void *out)
{
	struct rtnl_neigh *n = out;

	mac_attr(a, NDA_LLADDR, &(struct mac_out){ n->mac, &n->has_mac });
}

int
rtnl_neigh_answer(const uint8_t *buf, size_t len, uint32_t seq, struct rtnl_neigh *out)
{
	struct ndmsg m;
	int rc;

	*out = (struct rtnl_neigh){ 0 };
	rc = read_answer(buf, len, seq, RTM_NEWNEIGH, &m, sizeof(m), neigh_attr, out);
	if (rc < 0)
		return rc;
	out->state = m.ndm_state;
	return 0;
}

/* What a link's attributes say, and whether it had an address. */
struct link_read {
	struct rtnl_link *link;
	bool has_mac;
};

static void
link_attr(const struct attr *a, void *out)
{
	struct link_read *l = out;

	if (a->type == IFLA_MTU)
		read_u32(a, &l->link->mtu);
	mac_attr(a, IFLA_ADDRESS, &(struct mac_out){ l->link->mac, &l->has_mac });
}

int
rtnl_link_answer(const uint8_t *buf, size_t len, uint32_t seq, struct rtnl_link *out)
{
	struct ifinfomsg m;
	struct link_read l = { .link = out };
	int rc;

	*out = (struct rtnl_link){ 0 };
	rc = read_answer(buf, len, seq, RTM_NEWLINK, &m, sizeof(m), link_attr, &l);
	if (rc < 0)
		return rc;
	out->up = (m.ifi_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
	out->ethernet = m.ifi_type == ARPHRD_ETHER && l.has_mac;
	return 0;
}

bool
rtnl_neigh_usable(const struct rtnl_neigh *n)
{
	/*
	 * The kernel's NUD_VALID: a MAC the kernel sends to, stale ones included (it checks
	 * those on use, and the stack's own datagrams make it check ours).
	 */
	const uint16_t valid =
	    NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;

	return n->has_mac && (n->state & valid) != 0;
}
