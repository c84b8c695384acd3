#include "inspect/flow_export.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/counters.h"

struct export_peer {
	struct sockaddr_in addr;
	uint32_t seq; /* data records sent to this collector so far */
};

struct flow_exporter {
	int fd;
	uint32_t domain;
	unsigned n;
	struct export_peer peers[INSPECT_MAX_COLLECTORS];
	bool template_due;
	uint64_t template_sent_ms;
	/* The message being filled; open when msg.w is set. */
	struct vpg_wr w;
	struct ipfix_msg msg;
	bool open;
	uint8_t buf[FLOW_EXPORT_MTU];
};

struct flow_exporter *
flow_exporter_new(uint32_t source_be, uint32_t domain)
{
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_addr.s_addr = source_be };
	struct flow_exporter *e = calloc(1, sizeof(*e));
	int err;

	if (e == NULL)
		return NULL;
	e->domain = domain;
	e->template_due = true;
	e->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (e->fd < 0 || bind(e->fd, (struct sockaddr *)&src, sizeof(src)) < 0) {
		err = errno;
		if (e->fd >= 0)
			close(e->fd);
		free(e);
		errno = err;
		return NULL;
	}
	return e;
}

void
flow_exporter_free(struct flow_exporter *e, uint64_t now_ms)
{
	if (e == NULL)
		return;
	flow_exporter_flush(e, now_ms);
	close(e->fd);
	free(e);
}

static struct export_peer *
find_peer(struct flow_exporter *e, const struct inspect_collector *c)
{
	for (unsigned i = 0; i < e->n; i++)
		if (e->peers[i].addr.sin_addr.s_addr == c->addr_be &&
		    e->peers[i].addr.sin_port == htons(c->port))
			return &e->peers[i];
	return NULL;
}

void
flow_exporter_set_collectors(struct flow_exporter *e, const struct inspect_collector *c, unsigned n)
{
	struct export_peer next[INSPECT_MAX_COLLECTORS] = { 0 };

	if (n > INSPECT_MAX_COLLECTORS)
		n = INSPECT_MAX_COLLECTORS;
	for (unsigned i = 0; i < n; i++) {
		const struct export_peer *old = find_peer(e, &c[i]);

		next[i].addr.sin_family = AF_INET;
		next[i].addr.sin_addr.s_addr = c[i].addr_be;
		next[i].addr.sin_port = htons(c[i].port);
		if (old != NULL)
			next[i].seq = old->seq;
		else
			e->template_due = true; /* a new collector knows no template yet */
	}
	memcpy(e->peers, next, sizeof(next));
	e->n = n;
}

static uint32_t
wall_seconds(void)
{
	return (uint32_t)time(NULL);
}

static void
due_check(struct flow_exporter *e, uint64_t now_ms)
{
	if (now_ms - e->template_sent_ms >= FLOW_EXPORT_TEMPLATE_MS)
		e->template_due = true;
}

/* A new message, led by the template when it is due. */
static void
open_message(struct flow_exporter *e, uint64_t now_ms)
{
	wr_init(&e->w, e->buf, sizeof(e->buf));
	/* The sequence number is each collector's own, written just before sending. */
	ipfix_msg_begin(&e->msg, &e->w, wall_seconds(), 0, e->domain);
	due_check(e, now_ms);
	if (e->template_due) {
		ipfix_put_template(&e->msg);
		e->template_due = false;
		e->template_sent_ms = now_ms;
		counters_add(VPG_CTR_IPFIX_TEMPLATES_SENT, e->n);
	}
	e->open = true;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, sizeof(v));
}

/* RFC 7011 §3.1: the header's sequence number sits at octet 8. */
enum { IPFIX_SEQ_OFF = 8 };

static void
send_message(struct flow_exporter *e)
{
	size_t len;

	if (e->msg.set_open)
		ipfix_data_end(&e->msg);
	len = ipfix_msg_end(&e->msg);
	e->open = false;
	if (len == 0)
		return;
	for (unsigned i = 0; i < e->n; i++) {
		struct export_peer *p = &e->peers[i];

		put_be32(e->buf + IPFIX_SEQ_OFF, p->seq);
		if (sendto(e->fd, e->buf, len, 0, (struct sockaddr *)&p->addr, sizeof(p->addr)) <
		    0) {
			counters_drop(VPG_DROP_IPFIX_SEND_FAILED);
			continue;
		}
		p->seq += e->msg.records;
		counters_add(VPG_CTR_IPFIX_MESSAGES_SENT, 1);
		counters_add(VPG_CTR_INSPECT_RECORDS_EXPORTED, e->msg.records);
	}
}

void
flow_exporter_add(struct flow_exporter *e, const struct ipfix_flow_record *rec, uint64_t now_ms)
{
	size_t need = ipfix_record_len(rec);

	if (e->open && e->w.len + need > e->w.cap)
		send_message(e);
	if (!e->open)
		open_message(e, now_ms);
	if (!e->msg.set_open) {
		if (e->w.len + IPFIX_SET_HDR_LEN + need > e->w.cap) {
			send_message(e);
			open_message(e, now_ms);
		}
		ipfix_data_begin(&e->msg);
	}
	ipfix_put_record(&e->msg, rec);
}

void
flow_exporter_flush(struct flow_exporter *e, uint64_t now_ms)
{
	due_check(e, now_ms);
	if (!e->open && e->template_due && e->n > 0)
		open_message(e, now_ms);
	if (e->open)
		send_message(e);
}
