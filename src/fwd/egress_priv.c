#include "fwd/egress_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fwd/egress.h"
#include "io/log.h"
#include "io/loop.h"
#include "io/privsep.h"
#include "io/tun.h"
#include "proto/ipv4.h"

static bool
mask_contiguous(uint32_t mask_be)
{
	uint32_t mask = ntohl(mask_be);

	return mask != 0 && (~mask & (~mask + 1)) == 0;
}

int
egress_priv_route_check(const struct egress_priv_route *m)
{
	if (!mask_contiguous(m->mask_be) || (m->net_be & ~m->mask_be) != 0)
		return -EINVAL;
	if (m->add > 1 || m->pad[0] != 0 || m->pad[1] != 0 || m->pad[2] != 0)
		return -EINVAL;
	return 0;
}

int
egress_priv_route(uint32_t net_be, uint32_t mask_be, bool add)
{
	struct egress_priv_route m = { .net_be = net_be, .mask_be = mask_be, .add = add };

	return privsep_call(EGRESS_PRIV_ROUTE, &m, sizeof(m));
}

/* The parent: a route into the tun, once the request has passed every check. */
static int
run_route(void *arg, const void *body)
{
	const struct egress_priv_route *m = body;
	struct egress *e = arg;
	char net[16], mask[16];

	if (egress_priv_route_check(m) < 0) {
		log_err("privsep: refused a route from the gateway: %s mask %s, add %u",
		    ipv4_str(m->net_be, net), ipv4_str(m->mask_be, mask), (unsigned)m->add);
		return -EINVAL;
	}
	if (e == NULL)
		return -ENODEV; /* egress is off: there is no tun to route into */
	return tun_route(egress_ifname(e), m->net_be, m->mask_be, m->add);
}

static void
stop_egress(void *arg)
{
	egress_stop(arg);
}

static const struct privsep_op ops[] = {
	{ EGRESS_PRIV_ROUTE, sizeof(struct egress_priv_route), run_route },
};

/* As root, before the split: the user, and the state directory given to it. */
static int
prepare_user(const struct egress_priv_params *params, struct privsep_user *u)
{
	int rc = privsep_lookup_user(params->user, u);

	if (rc < 0) {
		log_err("user \"%s\": %s; create it (useradd --system --no-create-home "
			"--home-dir /nonexistent --shell /usr/sbin/nologin %s) or set \"user\"",
		    params->user, rc == -ENOENT ? "no such user" : strerror(-rc), params->user);
		return rc == -ENOENT ? -2 : -1;
	}
	if (u->uid == 0) {
		log_err("user \"%s\" is root: set \"user\" to an unprivileged one", params->user);
		return -2;
	}
	rc = privsep_hand_over_dir(params->state_dir, u);
	if (rc < 0) {
		log_err("state directory %s: cannot give it to %s: %s", params->state_dir,
		    params->user, strerror(-rc));
		return -1;
	}
	return 0;
}

int
egress_priv_split(const struct egress_priv_params *params)
{
	struct egress *e = params->egress;
	struct privsep_user u;
	/* The parent keeps the tun open: it goes when the parent's clean-up closes it. */
	int keep = e != NULL ? egress_fd(e) : -1;
	struct privsep_parent p = { .ops = ops,
		.n_ops = sizeof(ops) / sizeof(ops[0]),
		.arg = e,
		.cleanup = stop_egress,
		.keep_fds = &keep,
		.n_keep = e != NULL ? 1 : 0 };
	int rc;

	if (geteuid() != 0) {
		log_info("running as uid %u: no privilege separation", (unsigned)geteuid());
		return 0;
	}
	rc = prepare_user(params, &u);
	if (rc < 0)
		return rc;
	if (privsep_split(&u, &p) < 0)
		return -1;
	if (loop_after_fork(params->loop) < 0) {
		log_err("event loop after the split: %s", strerror(errno));
		return -1;
	}
	log_info("running as %s (uid %u), privileged changes through the parent (pid %d)",
	    params->user, (unsigned)u.uid, (int)getppid());
	return 0;
}
