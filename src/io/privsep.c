#include "io/privsep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/log.h"

#if defined(__SANITIZE_ADDRESS__)
#define PRIVSEP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PRIVSEP_SANITIZED 1
#endif
#endif

#define PARENT_NAME "vpgd-priv"
#define MSG_MAX	    (sizeof(struct privsep_hdr) + PRIVSEP_BODY_MAX)

/* The gateway's end of the channel; -1 in a process without a parent to ask. */
static int channel = -1;
static uint32_t last_seq;
/* The parent's count of messages that were none of its operations. */
static unsigned long refused;

int
privsep_lookup_user(const char *name, struct privsep_user *u)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	int rc = getpwnam_r(name, &pw, buf, sizeof(buf), &found);

	if (rc != 0)
		return -rc;
	if (found == NULL)
		return -ENOENT;
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	return 0;
}

int
privsep_hand_over_dir(const char *dir, const struct privsep_user *u)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (dfd < 0)
		return -errno;
	if (fchown(dfd, u->uid, u->gid) < 0) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	d = fdopendir(dfd);
	if (d == NULL) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
			continue;
		if (fchownat(dfd, e->d_name, u->uid, u->gid, AT_SYMLINK_NOFOLLOW) < 0 && rc == 0)
			rc = -errno;
	}
	closedir(d);
	return rc;
}

bool
privsep_active(void)
{
	return channel >= 0;
}

/* ---- the parent ---- */

static const struct privsep_op *
find_op(const struct privsep_parent *p, uint16_t type)
{
	for (size_t i = 0; i < p->n_ops; i++)
		if (p->ops[i].type == type)
			return &p->ops[i];
	return NULL;
}

int
privsep_dispatch(
    const struct privsep_parent *p, const uint8_t *msg, size_t msg_len, struct privsep_hdr *hdr)
{
	const struct privsep_op *op;
	/* The body copied out, aligned for the operation's struct. */
	_Alignas(max_align_t) uint8_t body[PRIVSEP_BODY_MAX];

	memset(hdr, 0, sizeof(*hdr));
	if (msg_len < sizeof(*hdr) || msg_len > MSG_MAX)
		return -EPROTO;
	memcpy(hdr, msg, sizeof(*hdr));
	op = find_op(p, hdr->type);
	if (op == NULL || op->len > PRIVSEP_BODY_MAX || hdr->len != op->len ||
	    msg_len != sizeof(*hdr) + op->len)
		return -EPROTO;
	memcpy(body, msg + sizeof(*hdr), op->len);
	return op->run(p->arg, body);
}

static void
answer(int ch, uint32_t seq, int rc)
{
	struct {
		struct privsep_hdr h;
		struct privsep_reply r;
	} m = { { PRIVSEP_REPLY, sizeof(struct privsep_reply), seq }, { rc } };

	if (send(ch, &m, sizeof(m), MSG_NOSIGNAL) < 0)
		log_warn("privsep: cannot answer the gateway: %s", strerror(errno));
}

/* One message from the gateway; false once the channel is closed. */
static bool
serve_one(const struct privsep_parent *p, int ch)
{
	uint8_t msg[MSG_MAX];
	struct privsep_hdr hdr;
	/* MSG_TRUNC: the datagram's real length, so that an oversized one is seen as such. */
	ssize_t n = recv(ch, msg, sizeof(msg), MSG_TRUNC | MSG_DONTWAIT);
	int rc;

	if (n == 0)
		return false;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	rc = privsep_dispatch(p, msg, (size_t)n, &hdr);
	/* A gateway that sends these is compromised or broken: said, but not a line each. */
	if (rc == -EPROTO && (++refused <= 10 || refused % 1000 == 0))
		log_err("privsep: refused a message from the gateway: type %u, %zd octets (%lu "
			"refused)",
		    (unsigned)hdr.type, n, refused);
	answer(ch, hdr.seq, rc);
	return true;
}

static void
forward_signals(int sfd, pid_t child)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			(void)kill(child, (int)si.ssi_signo);
}

/* Until the gateway closes its end (it has exited); then its exit status. */
static int
serve(const struct privsep_parent *p, int ch, int sfd, pid_t child)
{
	struct pollfd fds[2] = { { .fd = ch, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
	int status = 0;

	for (;;) {
		int n = poll(fds, 2, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (fds[1].revents & POLLIN)
			forward_signals(sfd, child);
		if ((fds[0].revents & POLLIN) && serve_one(p, ch))
			continue;
		if (fds[0].revents & (POLLHUP | POLLERR | POLLIN))
			break;
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Every descriptor but 0-2, the channel and those the parent keeps: the gateway's are its own. */
static void
close_others(const struct privsep_parent *p, int ch)
{
	int keep[16 + 1];
	size_t n = 0;
	unsigned lo = 3;

	for (size_t i = 0; i < p->n_keep && n < 16; i++)
		keep[n++] = p->keep_fds[i];
	keep[n++] = ch;
	qsort(keep, n, sizeof(keep[0]), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)lo)
			continue;
		if ((unsigned)keep[i] > lo)
			(void)close_range(lo, (unsigned)keep[i] - 1, 0);
		lo = (unsigned)keep[i] + 1;
	}
	(void)close_range(lo, ~0u, 0);
}

static int
exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

static void __attribute__((noreturn))
run_parent(const struct privsep_parent *p, int ch, pid_t child)
{
	sigset_t set;
	int sfd, status;

	(void)prctl(PR_SET_NAME, PARENT_NAME, 0, 0, 0);
	log_set_ident(PARENT_NAME);
	close_others(p, ch);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		log_err("privsep: signalfd: %s: signals reach only the gateway's own pid",
		    strerror(errno));
	status = serve(p, ch, sfd, child);
	if (p->cleanup != NULL)
		p->cleanup(p->arg);
	log_info("gateway (pid %d) ended with status %d", (int)child, exit_code(status));
	exit(exit_code(status));
}

/* ---- the gateway ---- */

static void __attribute__((noreturn)) drop_failed(const char *what)
{
	log_err("privsep: %s: %s", what, strerror(errno));
	_exit(1);
}

/* The bounding set emptied: no execve can ever give a capability back. */
static void
empty_bounding_set(void)
{
	for (unsigned long cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			drop_failed("PR_CAPBSET_DROP");
}

/* Permitted, effective and inheritable all empty (setuid clears the first two, not the third). */
static void
clear_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) < 0)
		drop_failed("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		drop_failed("PR_CAP_AMBIENT_CLEAR_ALL");
}

static void
drop_privileges(const struct privsep_user *u, pid_t parent)
{
	if (setgroups(0, NULL) < 0)
		drop_failed("setgroups");
	empty_bounding_set();
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		drop_failed("setresgid");
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		drop_failed("setresuid");
	clear_capabilities();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		drop_failed("PR_SET_NO_NEW_PRIVS");
	/*
	 * A uid change clears the parent-death signal: it is set after, then
	 * the parent checked to be the same. SIGKILL, not SIGTERM: every store
	 * commit is durable already, and an orphan must not keep the sockets
	 * and the tun that a restarted vpgd needs.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		drop_failed("PR_SET_PDEATHSIG");
	if (getppid() != parent)
		_exit(1);
	if (setuid(0) == 0 || setgid(0) == 0)
		abort(); /* the drop did not hold: never run as the gateway with a way back */
#ifdef PRIVSEP_SANITIZED
	/*
	 * The uid change made the process non-dumpable; LeakSanitizer's check
	 * at exit attaches to the process's own threads with ptrace and fails
	 * on one that is not. Sanitizer builds only: a production build stays
	 * non-dumpable.
	 */
	(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
}

static void
block_forwarded_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	(void)sigprocmask(SIG_BLOCK, &set, NULL);
}

int
privsep_split(const struct privsep_user *u, const struct privsep_parent *p)
{
	int sv[2];
	pid_t parent = getpid(), child;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		log_err("privsep: socketpair: %s", strerror(errno));
		return -1;
	}
	/* Signals wait for a signalfd on both sides; none is lost between fork and signalfd. */
	block_forwarded_signals();
	/* What stdio holds would otherwise be written twice, once by each process. */
	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0) {
		log_err("privsep: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (child > 0) {
		close(sv[1]);
		run_parent(p, sv[0], child);
	}
	close(sv[0]);
	drop_privileges(u, parent);
	channel = sv[1];
	return 0;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The answer to request seq; a late answer to an earlier one is passed over. */
static int
await_answer(uint32_t seq)
{
	int64_t deadline = mono_ms() + PRIVSEP_TIMEOUT_MS;
	struct {
		struct privsep_hdr h;
		struct privsep_reply r;
	} m;

	for (int64_t left = PRIVSEP_TIMEOUT_MS; left > 0; left = deadline - mono_ms()) {
		struct pollfd pfd = { .fd = channel, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recv(channel, &m, sizeof(m), MSG_DONTWAIT);
		if (n == 0)
			return -EPIPE;
		if (n == (ssize_t)sizeof(m) && m.h.type == PRIVSEP_REPLY && m.h.seq == seq)
			return m.r.rc;
	}
	return -ETIMEDOUT;
}

int
privsep_call(uint16_t type, const void *body, size_t len)
{
	uint8_t msg[MSG_MAX];
	struct privsep_hdr h = { .type = type, .len = (uint16_t)len, .seq = ++last_seq };

	if (channel < 0)
		return -ENOTCONN;
	if (len > PRIVSEP_BODY_MAX)
		return -EMSGSIZE;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), body, len);
	if (send(channel, msg, sizeof(h) + len, MSG_NOSIGNAL) < 0)
		return -errno;
	return await_answer(h.seq);
}
