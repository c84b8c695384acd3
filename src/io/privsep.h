/*
 * Privilege separation, as OpenBSD's daemons do it: once root has opened
 * everything, the process forks. The child becomes the gateway, as an
 * unprivileged user with no capability at all; the parent stays root and
 * only serves a channel of typed, fixed-size messages from the child for
 * the few privileged changes made at run time, each checked strictly. A
 * parser or API bug in the gateway then gives no root.
 *
 * This file knows the fork, the drop and the channel; what each message
 * means is the caller's (fwd/egress_priv.c).
 */
#ifndef VPG_IO_PRIVSEP_H
#define VPG_IO_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PRIVSEP_BODY_MAX   64
#define PRIVSEP_REPLY	   0xffff /* the parent's answer; its body is a struct privsep_reply */
#define PRIVSEP_TIMEOUT_MS 2000	  /* how long the gateway waits for an answer */

/* Every message: this header, then a body of the exact size its type has. */
struct privsep_hdr {
	uint16_t type;
	uint16_t len; /* the body's octets */
	uint32_t seq; /* an answer carries its request's */
};

struct privsep_reply {
	int32_t rc; /* 0 or a negative errno */
};

/* One privileged operation the parent performs for the gateway. */
struct privsep_op {
	uint16_t type;
	uint16_t len; /* its body's exact size */
	/* Checks every field of the body, then acts: 0 or a negative errno. */
	int (*run)(void *arg, const void *body);
};

/* What the parent does: its operations, and its clean-up once the gateway is gone. */
struct privsep_parent {
	const struct privsep_op *ops;
	size_t n_ops;
	void *arg;
	void (*cleanup)(void *arg);
	const int *keep_fds; /* descriptors the parent keeps besides 0-2 and the channel */
	size_t n_keep;
};

struct privsep_user {
	uid_t uid;
	gid_t gid;
};

/* 0 with the user's ids, -ENOENT when there is no such user, or another negative errno. */
int privsep_lookup_user(const char *name, struct privsep_user *u);
/*
 * Gives dir and the files in it (not what links lead to) to the user, so
 * that the gateway can write there, e.g. SQLite's journal.
 */
int privsep_hand_over_dir(const char *dir, const struct privsep_user *u);
/*
 * Forks. Returns 0 in the child only, once it runs as the user with no
 * capability, no way back and a channel to the parent; -1 when the split
 * failed. The parent never returns: it serves the channel, forwards
 * SIGINT, SIGTERM, SIGHUP and SIGUSR1, and once the child has exited runs
 * cleanup and exits with the child's status. The process must be
 * single-threaded.
 */
int privsep_split(const struct privsep_user *u, const struct privsep_parent *p);
/* True in a gateway that has a privileged parent. */
bool privsep_active(void);
/* The gateway's side: one request to the parent and its answer (0 or a negative errno). */
int privsep_call(uint16_t type, const void *body, size_t len);
/*
 * The parent's side: one message of msg_len octets (as received, before
 * any truncation) checked against the operations and, when it passes, run.
 * Returns what goes into the answer; -EPROTO for a message that is not
 * one of them.
 */
int privsep_dispatch(
    const struct privsep_parent *p, const uint8_t *msg, size_t msg_len, struct privsep_hdr *hdr);

#endif
