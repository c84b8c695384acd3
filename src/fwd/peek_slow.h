/*
 * Which packets Peek's captures need on the socket path, where its tap is
 * (fwd/peek.h), so that a fast path (the XDP program) leaves them there: a
 * whole-gateway capture needs every packet; a capture of one IMSI only
 * that device's sessions, marked SESSION_F_SLOW_PATH (core/session.h) while
 * the capture runs. Control or forwarding, holding the tables.
 */
#ifndef VPG_FWD_PEEK_SLOW_H
#define VPG_FWD_PEEK_SLOW_H

#include <stdbool.h>

struct peek_tap;
struct session;
struct session_table;

/* Does a whole-gateway capture run? t may be NULL (Peek off). */
bool peek_slow_all(const struct peek_tap *t);
/* Does a running capture of s's IMSI want its packets? For a session about to be inserted. */
bool peek_slow_wants(const struct peek_tap *t, const struct session *s);
/*
 * After captures started or stopped: SESSION_F_SLOW_PATH set on exactly the
 * sessions of an IMSI a running capture names, cleared on the others that
 * a slot names, each change told through session_changed. O(slots x 16
 * bearer ids) lookups: the captures' IMSIs are the only ones that can change.
 */
void peek_slow_sync(const struct peek_tap *t, struct session_table *sessions);

#endif
