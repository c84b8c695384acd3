#include "fwd/peek_slow.h"

#include <string.h>

#include "core/session.h"
#include "fwd/peek.h"

bool
peek_slow_all(const struct peek_tap *t)
{
	if (t == NULL)
		return false;
	for (uint32_t left = t->active; left != 0; left &= left - 1)
		if (t->slot[__builtin_ctz(left)].all)
			return true;
	return false;
}

/* A running capture of this IMSI alone (a whole-gateway one slows everything anyway). */
static bool
imsi_captured(const struct peek_tap *t, const char *imsi)
{
	if (t == NULL || imsi[0] == '\0')
		return false;
	for (uint32_t left = t->active; left != 0; left &= left - 1) {
		const struct peek_slot *s = &t->slot[__builtin_ctz(left)];

		if (!s->all && strcmp(s->imsi, imsi) == 0)
			return true;
	}
	return false;
}

bool
peek_slow_wants(const struct peek_tap *t, const struct session *s)
{
	return imsi_captured(t, s->imsi);
}

/* Bearer ids are 4 bits in every role (NSAPI, EBI): 16 lookups find an IMSI's sessions. */
static void
mark_imsi(const struct peek_tap *t, struct session_table *sessions, const char *imsi)
{
	bool want = imsi_captured(t, imsi);

	for (unsigned id = 0; id <= 15; id++) {
		struct session *s = session_find_imsi(sessions, imsi, (uint8_t)id);

		if (s == NULL || ((s->flags & SESSION_F_SLOW_PATH) != 0) == want)
			continue;
		if (want)
			s->flags |= SESSION_F_SLOW_PATH;
		else
			s->flags &= ~(uint32_t)SESSION_F_SLOW_PATH;
		session_changed(sessions, s);
	}
}

void
peek_slow_sync(const struct peek_tap *t, struct session_table *sessions)
{
	if (t == NULL)
		return;
	/* A stopped slot keeps its IMSI until reused: its devices are cleared here. */
	for (unsigned i = 0; i < PEEK_TAP_SLOTS; i++)
		if (!t->slot[i].all && t->slot[i].imsi[0] != '\0')
			mark_imsi(t, sessions, t->slot[i].imsi);
}
