#include "roles/gtp_peers.h"

#include <stdlib.h>

#include "core/attach.h"
#include "core/counters.h"
#include "core/hmap.h"
#include "io/log.h"
#include "proto/ipv4.h"
#include "roles/sig_path.h"

struct peer {
	uint32_t addr_be;
	bool has_restart_counter;
	uint8_t restart_counter;
	uint32_t sessions;
	uint64_t next_echo_ms;
	bool echo_pending;
	uint64_t echo_sent, echo_unanswered;
};

struct gtp_peers {
	struct gtp_peers_ops ops;
	struct attach *core;
	struct sig_path *path;
	uint8_t our_restart;
	uint32_t echo_ms;
	struct hmap *index; /* address -> index in peers */
	unsigned n;
	struct peer peers[GTP_PEERS_MAX];
};

struct gtp_peers *
gtp_peers_new(struct attach *core, struct sig_path *path, const struct gtp_peers_ops *ops,
    uint8_t our_restart, uint32_t echo_ms)
{
	struct gtp_peers *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ops = *ops;
	t->core = core;
	t->path = path;
	t->our_restart = our_restart;
	t->echo_ms = echo_ms;
	t->index = hmap_new(GTP_PEERS_MAX);
	if (t->index == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
gtp_peers_free(struct gtp_peers *t)
{
	if (t == NULL)
		return;
	hmap_free(t->index);
	free(t);
}

void
gtp_peers_clear(struct gtp_peers *t)
{
	hmap_clear(t->index);
	t->n = 0;
}

/* The peer of addr, made on first contact; NULL when the table is full. */
static struct peer *
peer_of(struct gtp_peers *t, uint32_t addr_be)
{
	uint32_t i;

	if (hmap_get(t->index, addr_be, &i))
		return &t->peers[i];
	if (t->n == GTP_PEERS_MAX || hmap_put(t->index, addr_be, t->n) < 0)
		return NULL;
	t->peers[t->n] = (struct peer){ .addr_be = addr_be };
	return &t->peers[t->n++];
}

static unsigned
end_sessions(struct gtp_peers *t, uint32_t addr_be, const char *why)
{
	unsigned n = attach_delete_peer(t->core, t->ops.role, addr_be, why);

	counters_add(t->ops.ctr_sessions_ended, n);
	return n;
}

void
gtp_peers_recovery(struct gtp_peers *t, uint32_t addr_be, uint8_t restart)
{
	struct peer *p = t != NULL ? peer_of(t, addr_be) : NULL;
	char addr[16];
	unsigned n;

	if (p == NULL)
		return;
	if (p->has_restart_counter && p->restart_counter != restart) {
		counters_add(t->ops.ctr_restarts, 1);
		n = end_sessions(t, addr_be, "peer restarted");
		log_info("%s %s restarted (recovery %u -> %u), %u sessions removed", t->ops.kind,
		    ipv4_str(addr_be, addr), p->restart_counter, restart, n);
	}
	p->has_restart_counter = true;
	p->restart_counter = restart;
}

void
gtp_peers_session_added(struct gtp_peers *t, uint32_t addr_be)
{
	struct peer *p = t != NULL ? peer_of(t, addr_be) : NULL;

	if (p != NULL)
		p->sessions++;
}

void
gtp_peers_session_gone(struct gtp_peers *t, uint32_t addr_be)
{
	uint32_t i;

	if (t != NULL && hmap_get(t->index, addr_be, &i) && t->peers[i].sessions > 0)
		t->peers[i].sessions--;
}

void
gtp_peers_echo_done(struct gtp_peers *t, uint64_t cookie, const uint8_t *rsp, size_t len)
{
	unsigned i = (unsigned)(cookie & 0xffff);
	struct peer *p;
	uint8_t restart;
	char addr[16];
	unsigned n;

	if (i >= t->n)
		return;
	p = &t->peers[i];
	p->echo_pending = false;
	if (rsp == NULL) {
		p->echo_unanswered++;
		counters_add(t->ops.ctr_path_failures, 1);
		n = end_sessions(t, p->addr_be, "path failure");
		log_warn("%s %s does not answer Echo: path down, %u sessions removed", t->ops.kind,
		    ipv4_str(p->addr_be, addr), n);
		return;
	}
	if (t->ops.echo_recovery(rsp, len, &restart) == 0)
		gtp_peers_recovery(t, p->addr_be, restart);
}

static void
send_echo(struct gtp_peers *t, unsigned i, uint64_t now_ms)
{
	struct peer *p = &t->peers[i];
	uint32_t seq = sig_path_next_seq(t->path);
	uint8_t msg[64];
	size_t len = t->ops.build_echo(msg, sizeof(msg), seq, t->our_restart);

	if (len == 0 || sig_path_request(
			    t->path, msg, len, seq, p->addr_be, t->ops.echo_cookie | i, now_ms) < 0)
		return;
	p->echo_pending = true;
	p->echo_sent++;
}

void
gtp_peers_tick(struct gtp_peers *t, uint64_t now_ms)
{
	for (unsigned i = 0; i < t->n && t->echo_ms > 0; i++) {
		struct peer *p = &t->peers[i];

		if (p->sessions == 0 || p->echo_pending)
			continue;
		if (p->next_echo_ms == 0)
			p->next_echo_ms = now_ms + t->echo_ms;
		if (now_ms < p->next_echo_ms)
			continue;
		p->next_echo_ms = now_ms + t->echo_ms;
		send_echo(t, i, now_ms);
	}
}

unsigned
gtp_peers_view(const struct gtp_peers *t, struct gtp_peer_view *out, unsigned max)
{
	for (unsigned i = 0; i < t->n && i < max; i++) {
		const struct peer *p = &t->peers[i];

		out[i] = (struct gtp_peer_view){ .addr_be = p->addr_be,
			.has_restart_counter = p->has_restart_counter,
			.restart_counter = p->restart_counter,
			.sessions = p->sessions,
			.echo_sent = p->echo_sent,
			.echo_unanswered = p->echo_unanswered };
	}
	return t->n;
}
