/*
 * libFuzzer harness for the PGW role's procedures on live tables: a fresh
 * session core and PGW per input, then a sequence of GTPv2-C datagrams from
 * SGWs, each record "flags, length (2 octets), datagram". The low four bits
 * of flags pick an existing session whose TEID replaces the header's (so
 * Modify Bearer, Delete Session and Modify Bearer Command reach real
 * sessions); bit 4 advances the clock 20 s and runs the timers (Echo,
 * retransmissions, path failures); bit 5 deletes the picked session's IMSI
 * as the API does; bit 6 sends from a second SGW. After every datagram the
 * tables must agree: every session holds exactly one address of the pool,
 * and the SGWs' session counts add up to the PGW sessions.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/attach.h"
#include "core/ippool.h"
#include "core/session.h"
#include "io/log.h"
#include "roles/pgw.h"
#include "roles/sig_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SGW_A htonl(0xac1f0101)
#define SGW_B htonl(0xac1f0109)

static void
drop_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	(void)arg, (void)msg, (void)len, (void)dst_be, (void)port;
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

/* A GTPv2-C header with T set carries the TEID at octets 4-7. */
static void
aim_at_session(uint8_t *msg, size_t len, struct session *s)
{
	if (s == NULL || len < 12 || (msg[0] & 0xe8) != 0x48)
		return;
	msg[4] = (uint8_t)(s->teid >> 24);
	msg[5] = (uint8_t)(s->teid >> 16);
	msg[6] = (uint8_t)(s->teid >> 8);
	msg[7] = (uint8_t)s->teid;
}

static void
check_tables(struct attach *core, struct pgw *p)
{
	struct gtp_peer_view peers[4];
	struct session *s;
	uint32_t n = 0, pgw_sessions = 0, counted = 0;
	unsigned n_peers = pgw_peers(p, peers, 4);

	for (uint32_t i = session_next(core->sessions, 0, &s); i != 0;
	     i = session_next(core->sessions, i, &s)) {
		if (!ippool_is_assigned(core->pool, s->ip_be))
			__builtin_trap();
		pgw_sessions += s->owner.role == SESSION_ROLE_PGW;
		n++;
	}
	for (unsigned i = 0; i < n_peers && i < 4; i++)
		counted += peers[i].sessions;
	if (n != session_count(core->sessions) || n != ippool_assigned_count(core->pool))
		__builtin_trap();
	/* Only the two SGWs send (and only their control F-TEIDs could name others: up to 4). */
	if (n_peers <= 4 && counted != pgw_sessions)
		__builtin_trap();
}

static void
run(struct pgw *p, struct attach *core, const uint8_t *data, size_t size)
{
	static uint8_t msg[4096], out[4096];
	uint64_t now = 1000;

	while (size >= 3) {
		uint8_t flags = data[0];
		size_t len = (size_t)data[1] << 8 | data[2];
		struct session *s;

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		if (len > sizeof(msg))
			len = sizeof(msg);
		memcpy(msg, data, len);
		s = nth_session(core->sessions, flags & 0x0f);
		aim_at_session(msg, len, s);
		(void)pgw_handle(p,
		    &(struct pgw_rx){ .buf = msg,
			.len = len,
			.from_be = (flags & 0x40) ? SGW_B : SGW_A,
			.from_port = 2123,
			.now_ms = now },
		    out, sizeof(out));
		if (flags & 0x10) {
			now += 20000;
			pgw_tick(p, now);
		}
		s = nth_session(core->sessions, flags & 0x0f);
		if ((flags & 0x20) && s != NULL && s->imsi[0] != '\0')
			pgw_delete_imsi(p, s->imsi, now);
		check_tables(core, p);
		data += len;
		size -= len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attach core = { 0 };
	struct pgw_config cfg = { .gtpc_addr_be = htonl(0xac1f0102),
		.gtpu_addr_be = htonl(0xac1f0102),
		.restart_counter = 3,
		.echo_ms = 60000,
		.replay_bytes = SIG_PATH_CACHE_MIN };
	struct pgw *p;

	log_set_level(LOG_ERR);
	/* 10.46.0.0/24: a small pool, so that exhaustion is within reach. */
	core.pool = ippool_new(htonl(0x0a2e0000), 24, htonl(0x0a2e0001));
	core.sessions = session_table_new(ippool_capacity(core.pool));
	p = pgw_new(&cfg, &core, drop_send, NULL);
	if (p != NULL && core.sessions != NULL)
		run(p, &core, data, size);
	pgw_free(p);
	session_table_free(core.sessions);
	ippool_free(core.pool);
	return 0;
}
