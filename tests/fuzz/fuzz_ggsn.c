/*
 * libFuzzer harness for the GGSN role's GTPv1-C procedures on live tables.
 * The GGSN and its session core (pool, session table, signalling path) are
 * built once: the path's replay cache alone is megabytes, too much to
 * allocate for every input. After each input the core is emptied, our
 * requests still in flight are given up, the SGSN table is cleared and the
 * clock moves past the replay cache's lifetime, so that an input replays
 * the same alone. An input is a sequence of datagrams from SGSNs, each
 * record "flags, length (2 octets), datagram":
 *
 *   flags bits 0-3  pick an existing session whose TEID replaces the
 *                   header's (so Update and Delete reach real contexts);
 *   bit 4           advances the clock 20 s and runs the timers (Echo,
 *                   retransmissions, path failures);
 *   bit 5           deletes the picked session's IMSI as the API does;
 *   bits 6-7        choose one of four SGSN sources (two addresses, two
 *                   ports);
 *   length bits 12-15: bit 15 makes the datagram answer our last request
 *                   (its sequence number and the address it went to), so
 *                   that responses to our Echo and Delete are matched;
 *                   bit 14 advances the clock 1 s and runs the timers;
 *                   the low 12 bits are the datagram's length.
 *
 * After every datagram the tables must agree: every session is a GGSN
 * context found by its TEID, its address and its IMSI + NSAPI, holds one
 * address of the pool, and each SGSN's context count is the number of
 * contexts it owns. After the input the pool must be whole again and no
 * request of ours left outstanding.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/attach.h"
#include "core/ippool.h"
#include "core/session.h"
#include "io/log.h"
#include "roles/ggsn.h"
#include "roles/gtp_peers.h"
#include "roles/sig_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SGSN_A htonl(0xac1e0101)
#define SGSN_B htonl(0xac1e0109)

/* Our last request (Echo or Delete PDP Context): its sequence number and destination. */
static struct {
	uint16_t seq;
	uint32_t dst_be;
} last_request;

static void
note_request(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	(void)arg, (void)port;
	if (len >= 10 && (msg[0] & 0x02) != 0) {
		last_request.seq = (uint16_t)(msg[8] << 8 | msg[9]);
		last_request.dst_be = dst_be;
	}
}

static struct session *
nth_session(struct session_table *t, unsigned n)
{
	struct session *s, *found = NULL;

	for (uint32_t i = session_next(t, 0, &s); i != 0; i = session_next(t, i, &s))
		if (found == NULL || n-- > 0)
			found = s;
	return found;
}

/* Every GTPv1 header carries the TEID at octets 4-7 (TS 29.060 §6). */
static void
aim_at_session(uint8_t *msg, size_t len, const struct session *s)
{
	if (s == NULL || len < 8 || (msg[0] & 0xe0) != 0x20)
		return;
	msg[4] = (uint8_t)(s->teid >> 24);
	msg[5] = (uint8_t)(s->teid >> 16);
	msg[6] = (uint8_t)(s->teid >> 8);
	msg[7] = (uint8_t)s->teid;
}

/* With S set, the sequence number is at octets 8-9. */
static uint32_t
answer_last_request(uint8_t *msg, size_t len)
{
	if (len >= 10 && (msg[0] & 0x02) != 0) {
		msg[8] = (uint8_t)(last_request.seq >> 8);
		msg[9] = (uint8_t)last_request.seq;
	}
	return last_request.dst_be;
}

static void
check_session(struct attach *core, struct session *s)
{
	const struct session_table *t = core->sessions;

	if (s->owner.role != SESSION_ROLE_GGSN || s->owner.local_ref != s->teid ||
	    !ippool_is_assigned(core->pool, s->ip_be) || session_find_teid(t, s->teid) != s ||
	    session_find_ip(t, s->ip_be) != s || s->imsi[0] == '\0' ||
	    session_find_imsi(t, s->imsi, s->bearer_id) != s)
		__builtin_trap();
	/* Two contexts may share a downlink F-TEID; the index must find one of them. */
	if (s->dl_teid != 0) {
		const struct session *d = session_find_downlink(t, s->dl_addr_be, s->dl_teid);

		if (d == NULL || d->dl_teid != s->dl_teid || d->dl_addr_be != s->dl_addr_be)
			__builtin_trap();
	}
}

static uint32_t
contexts_of(struct session_table *t, uint32_t sgsn_be)
{
	struct session *s;
	uint32_t n = 0;

	for (uint32_t i = session_next(t, 0, &s); i != 0; i = session_next(t, i, &s))
		n += s->owner.peer_be == sgsn_be;
	return n;
}

static void
check_peers(struct attach *core, struct ggsn *gp, uint32_t sessions)
{
	static struct gtp_peer_view peers[GTP_PEERS_MAX];
	unsigned n = gtp_peers_view(gp->peers, peers, GTP_PEERS_MAX);
	uint32_t counted = 0;

	/* A full table follows no new SGSN; its contexts are then uncounted. */
	if (n >= GTP_PEERS_MAX)
		return;
	for (unsigned i = 0; i < n; i++) {
		if (peers[i].sessions != contexts_of(core->sessions, peers[i].addr_be))
			__builtin_trap();
		counted += peers[i].sessions;
	}
	if (counted != sessions)
		__builtin_trap();
}

static void
check_tables(struct attach *core, struct ggsn *gp)
{
	struct session *s;
	uint32_t n = 0;

	for (uint32_t i = session_next(core->sessions, 0, &s); i != 0;
	     i = session_next(core->sessions, i, &s)) {
		check_session(core, s);
		n++;
	}
	if (n != session_count(core->sessions) || n != ippool_assigned_count(core->pool))
		__builtin_trap();
	check_peers(core, gp, n);
}

static void
feed(struct ggsn *gp, uint8_t *msg, size_t len, uint8_t flags, uint16_t lenf, uint64_t now)
{
	static const uint16_t ports[2] = { 2123, 31234 };
	static uint8_t out[4096];
	struct session *s = nth_session(gp->core->sessions, flags & 0x0f);
	uint32_t from = (flags & 0x40) ? SGSN_B : SGSN_A;

	aim_at_session(msg, len, s);
	if (lenf & 0x8000)
		from = answer_last_request(msg, len);
	(void)ggsn_handle(gp,
	    &(struct gtpc_rx){ .buf = msg,
		.len = len,
		.from_be = from,
		.from_port = ports[flags >> 7],
		.now_ms = now },
	    out, sizeof(out));
}

static uint64_t
run(struct ggsn *gp, const uint8_t *data, size_t size, uint64_t now)
{
	static uint8_t msg[4096];

	while (size >= 3) {
		uint8_t flags = data[0];
		uint16_t lenf = (uint16_t)(data[1] << 8 | data[2]);
		size_t len = lenf & 0x0fff;
		struct session *s;

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		memcpy(msg, data, len);
		feed(gp, msg, len, flags, lenf, now);
		if (flags & 0x10 || lenf & 0x4000) {
			now += (flags & 0x10) ? 20000 : 1000;
			ggsn_tick(gp, now);
		}
		s = nth_session(gp->core->sessions, flags & 0x0f);
		if ((flags & 0x20) && s != NULL)
			ggsn_delete_imsi(gp, s->imsi, now);
		check_tables(gp->core, gp);
		data += len;
		size -= len;
	}
	return now;
}

/*
 * Back to an empty core through the core's own deletion (the pool must be
 * whole again), then to a GGSN without requests in flight or SGSNs known.
 * Returns a time past every replay cache entry.
 */
static uint64_t
reset(struct ggsn *gp, uint64_t now)
{
	struct session *s;

	while (session_next(gp->core->sessions, 0, &s) != 0)
		attach_delete(gp->core, s, "end of input");
	if (session_count(gp->core->sessions) != 0 || ippool_assigned_count(gp->core->pool) != 0)
		__builtin_trap();
	/* Without contexts no SGSN is echoed: each tick only retransmits or gives up. */
	for (unsigned i = 0; i < 8 && sig_path_outstanding(gp->path) > 0; i++) {
		now += 10000;
		ggsn_tick(gp, now);
	}
	if (sig_path_outstanding(gp->path) != 0)
		__builtin_trap();
	gtp_peers_clear(gp->peers);
	return now + SIG_PATH_KEEP_MS + 1000;
}

static struct ggsn *
ggsn_once(void)
{
	static struct attach core;
	static struct ggsn gp = { .core = &core, .restart_counter = 5, .echo_ms = 60000 };

	if (core.pool == NULL) {
		gp.local_be = htonl(0xac1e0102);
		log_set_level(LOG_ERR);
		/* 10.45.0.0/24: a small pool, so that exhaustion is within reach. */
		core.pool = ippool_new(htonl(0x0a2d0000), 24, htonl(0x0a2d0001));
		core.sessions = session_table_new(ippool_capacity(core.pool));
		if (core.pool == NULL || core.sessions == NULL ||
		    ggsn_start(&gp, note_request, NULL) < 0)
			__builtin_trap();
	}
	return &gp;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t now = 1000;
	struct ggsn *gp = ggsn_once();

	last_request.seq = 0;
	last_request.dst_be = SGSN_A;
	now = run(gp, data, size, now);
	now = reset(gp, now);
	return 0;
}
