/*
 * libFuzzer harness for the UPF role's procedures on live tables: a fresh
 * session core and UPF per input, then a sequence of PFCP datagrams from one
 * control plane, each record "flags, length (2 octets), datagram". The low
 * four bits of flags pick an existing session whose UP SEID replaces the
 * header's (so Modification and Deletion reach real sessions); bit 4
 * advances the clock 5 s and runs the timers; bit 5 sends due reports.
 * After every datagram the tables must agree: every UPF session has its
 * rules, and every session holds exactly one address of the pool.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/attach.h"
#include "core/ippool.h"
#include "core/rules.h"
#include "core/session.h"
#include "io/log.h"
#include "proto/pfcp.h"
#include "roles/sig_path.h"
#include "roles/upf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned sent;

static void
count_send(void *arg, const uint8_t *msg, size_t len, uint32_t dst_be, uint16_t port)
{
	(void)arg, (void)msg, (void)len, (void)dst_be, (void)port;
	sent++;
}

static struct session *
nth_upf_session(struct session_table *t, unsigned n)
{
	struct session *s, *found = NULL;

	for (uint32_t i = session_next(t, 0, &s); i != 0; i = session_next(t, i, &s))
		if (s->owner.role == SESSION_ROLE_UPF && (found == NULL || n-- > 0))
			found = s;
	return found;
}

/* Session messages carry our SEID at octets 4-11 when the S flag is set. */
static void
aim_at_session(uint8_t *msg, size_t len, struct session_table *t, unsigned pick)
{
	struct session *s = nth_upf_session(t, pick);
	uint64_t seid;

	if (s == NULL || len < 16 || !(msg[0] & 0x01))
		return;
	seid = s->owner.local_ref;
	for (int i = 0; i < 8; i++)
		msg[4 + i] = (uint8_t)(seid >> (56 - 8 * i));
}

static void
check_tables(struct attach *core)
{
	struct session *s;
	uint32_t n = 0;

	for (uint32_t i = session_next(core->sessions, 0, &s); i != 0;
	     i = session_next(core->sessions, i, &s)) {
		if (s->owner.role == SESSION_ROLE_UPF &&
		    (s->rules == NULL || !(s->flags & SESSION_F_RULES)))
			__builtin_trap();
		if (!ippool_is_assigned(core->pool, s->ip_be))
			__builtin_trap();
		n++;
	}
	if (n != session_count(core->sessions) || n != ippool_assigned_count(core->pool))
		__builtin_trap();
}

static void
run(struct upf *u, struct attach *core, const uint8_t *data, size_t size)
{
	static uint8_t msg[4096], out[4096];
	uint64_t now = 1000;

	while (size >= 3) {
		uint8_t flags = data[0];
		size_t len = (size_t)data[1] << 8 | data[2];

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		if (len > sizeof(msg))
			len = sizeof(msg);
		memcpy(msg, data, len);
		aim_at_session(msg, len, core->sessions, flags & 0x0f);
		(void)upf_handle(u,
		    &(struct upf_rx){ .buf = msg,
			.len = len,
			.from_be = htonl(0xac1f0301),
			.from_port = 8805,
			.now_ms = now },
		    out, sizeof(out));
		if (flags & 0x10) {
			now += 5000;
			upf_tick(u, now);
		}
		if (flags & 0x20)
			upf_send_reports(u, now);
		check_tables(core);
		data += len;
		size -= len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attach core = { 0 };
	struct upf_config cfg = { .pfcp_addr_be = htonl(0xac1f0302),
		.gtpu_addr_be = htonl(0xac1f0202),
		.node_id = "172.31.3.2",
		.started_unix = 1700000000,
		.replay_bytes = SIG_PATH_CACHE_MIN };
	struct upf *u;

	log_set_level(LOG_ERR);
	rules_reports_waiting = 0;
	/* 10.45.0.0/24: a small pool, so that exhaustion is within reach. */
	core.pool = ippool_new(htonl(0x0a2d0000), 24, htonl(0x0a2d0001));
	core.sessions = session_table_new(ippool_capacity(core.pool));
	u = upf_new(&cfg, &core, count_send, NULL, 1000);
	if (u != NULL && core.sessions != NULL)
		run(u, &core, data, size);
	upf_free(u);
	session_table_free(core.sessions);
	ippool_free(core.pool);
	return 0;
}
