#include "io/log.h"

#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX   1024
#define LOG_RING_BYTES (256 * 1024) /* lines waiting for the writer, at their own length */
/* A write of at most PIPE_BUF octets to a pipe is never split by another writer's (the parent's).
 */
#define LOG_WRITE_MAX PIPE_BUF
/* The writer lets lines gather this long after a wake-up: one write(2) carries many. */
#define LOG_GATHER_NS 2000000
/* How long a stopping gateway waits for stderr to take the lines still queued. */
#define LOG_STOP_DRAIN_MS 2000
/* How long a line written directly (no writer thread) waits for stderr. */
#define LOG_DIRECT_WAIT_MS 2000

_Static_assert(LOG_LINE_MAX <= LOG_WRITE_MAX, "a write always holds at least one whole line");

static enum log_level max_level = LOG_INFO;
static atomic_ulong lines_dropped; /* since start, for the counters */
static const char *log_ident = "vpgd";

/*
 * Once log_start_writer has run, a line is only copied into this ring and a
 * thread of its own writes it: the forwarding thread never waits for stderr
 * (a terminal, a pipe a slow reader drains, the journal). When the ring is
 * full a line is dropped, and the writer says how many were when it catches
 * up. Before the writer starts and after it stops, lines go out directly.
 * The writer is woken only from sleep, and then writes whole lines in blocks:
 * at 100,000 attaches a second that is a few hundred system calls, not
 * 200,000 (a wake-up and a write a line).
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t thread;
	bool running, stopping, sleeping;
	uint64_t stop_by_ms; /* monotonic: once stopping, the writer gives up on stderr then */
	size_t head, used;   /* octets of whole lines from head, wrapping */
	unsigned long dropped;
	char buf[LOG_RING_BYTES];
} ring = { .lock = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER };

void
log_set_level(enum log_level level)
{
	max_level = level;
}

void
log_set_ident(const char *ident)
{
	log_ident = ident;
}

static uint64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
write_out(const char *text, size_t n)
{
	(void)!write(STDERR_FILENO, text, n);
}

/*
 * A line written by its caller (no writer thread: the privileged parent,
 * start-up, shutdown): stderr gets LOG_DIRECT_WAIT_MS to take it, and none
 * once it has let a line wait that long, until it takes one again. A reader
 * that stopped reading costs a few lost lines, counted, never a process that
 * cannot exit. poll's POLLOUT leaves room for a line of up to PIPE_BUF.
 */
static void
write_direct(const char *line, size_t n)
{
	static atomic_bool stalled;
	struct pollfd p = { .fd = STDERR_FILENO, .events = POLLOUT };
	int wait_ms = atomic_load_explicit(&stalled, memory_order_relaxed) ? 0 : LOG_DIRECT_WAIT_MS;

	if (poll(&p, 1, wait_ms) <= 0) {
		atomic_store_explicit(&stalled, true, memory_order_relaxed);
		atomic_fetch_add_explicit(&lines_dropped, 1, memory_order_relaxed);
		return;
	}
	atomic_store_explicit(&stalled, false, memory_order_relaxed);
	write_out(line, n);
}

/* "2026-01-31T12:34:56": formatted once a second, per thread. */
static const char *
second_stamp(time_t sec)
{
	static __thread time_t cached = -1;
	static __thread char stamp[32];

	if (sec != cached) {
		struct tm tm;

		gmtime_r(&sec, &tm);
		if (strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
			stamp[0] = '\0';
		cached = sec;
	}
	return stamp;
}

static size_t
put_str(char *line, size_t n, const char *s)
{
	size_t k = strlen(s);

	if (k > LOG_LINE_MAX - 2 - n)
		k = LOG_LINE_MAX - 2 - n;

	memcpy(line + n, s, k);
	return n + k;
}

static size_t
format_line(char *line, enum log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	struct timespec ts;
	long ms;
	size_t n;
	int m;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = ts.tv_nsec / 1000000;
	n = put_str(line, 0, second_stamp(ts.tv_sec));
	line[n++] = '.';
	line[n++] = (char)('0' + ms / 100);
	line[n++] = (char)('0' + ms / 10 % 10);
	line[n++] = (char)('0' + ms % 10);
	n = put_str(line, n, "Z ");
	n = put_str(line, n, log_ident);
	n = put_str(line, n, " ");
	n = put_str(line, n, names[level]);
	n = put_str(line, n, ": ");
	m = vsnprintf(line + n, LOG_LINE_MAX - n, fmt, ap);
	/* A longer message is cut, its line still ended. */
	n += m > 0 ? (size_t)m : 0;
	if (n > LOG_LINE_MAX - 2)
		n = LOG_LINE_MAX - 2;
	line[n++] = '\n';
	return n;
}

static void
ring_put(const char *line, size_t n)
{
	size_t at = (ring.head + ring.used) % LOG_RING_BYTES;
	size_t first = n < LOG_RING_BYTES - at ? n : LOG_RING_BYTES - at;

	memcpy(ring.buf + at, line, first);
	memcpy(ring.buf, line + first, n - first);
	ring.used += n;
}

/* Up to LOG_WRITE_MAX octets of whole lines out of the ring, into out. */
static size_t
ring_take(char *out)
{
	size_t n = ring.used < LOG_WRITE_MAX ? ring.used : LOG_WRITE_MAX;
	size_t first = n < LOG_RING_BYTES - ring.head ? n : LOG_RING_BYTES - ring.head;

	memcpy(out, ring.buf + ring.head, first);
	memcpy(out + first, ring.buf, n - first);
	/* Every line ends in '\n' and is shorter than a block: the block ends at the last one. */
	while (n > 0 && out[n - 1] != '\n')
		n--;
	ring.head = (ring.head + n) % LOG_RING_BYTES;
	ring.used -= n;
	return n;
}

/* False when no writer runs: the caller writes the line itself. */
static bool
enqueue(const char *line, size_t n)
{
	bool queued;

	pthread_mutex_lock(&ring.lock);
	queued = ring.running;
	if (queued && ring.used + n > LOG_RING_BYTES) {
		ring.dropped++;
		atomic_fetch_add_explicit(&lines_dropped, 1, memory_order_relaxed);
	} else if (queued) {
		ring_put(line, n);
		if (ring.sleeping) {
			ring.sleeping = false;
			pthread_cond_signal(&ring.more);
		}
	}
	pthread_mutex_unlock(&ring.lock);
	return queued;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	size_t n;
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	n = format_line(line, level, fmt, ap);
	va_end(ap);
	if (!enqueue(line, n))
		write_direct(line, n);
}

static void __attribute__((format(printf, 2, 3)))
write_now(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = format_line(line, level, fmt, ap);
	va_end(ap);
	write_direct(line, n);
}

/* Lets the lines of the next moment gather, outside the lock; not while stopping. */
static void
gather(void)
{
	struct timespec nap = { 0, LOG_GATHER_NS };

	if (!ring.stopping) {
		pthread_mutex_unlock(&ring.lock);
		nanosleep(&nap, NULL);
		pthread_mutex_lock(&ring.lock);
	}
}

/*
 * While stopping, stderr gets until the deadline to take what is left: a
 * reader that stopped reading must not keep the gateway from exiting.
 */
static bool
writable_by(uint64_t deadline_ms)
{
	struct pollfd p = { .fd = STDERR_FILENO, .events = POLLOUT };
	uint64_t now = monotonic_ms();

	return now < deadline_ms && poll(&p, 1, (int)(deadline_ms - now)) > 0;
}

/* What stderr would not take before the deadline: counted, not written. */
static void
abandon_rest(void)
{
	unsigned long lines = 0;

	for (size_t i = 0; i < ring.used; i++)
		lines += ring.buf[(ring.head + i) % LOG_RING_BYTES] == '\n';
	atomic_fetch_add_explicit(&lines_dropped, lines, memory_order_relaxed);
	ring.used = 0;
	ring.dropped = 0;
}

/* Writes outside the lock, so a slow stderr holds up nobody but this thread. */
static void *
writer(void *arg)
{
	static char block[LOG_WRITE_MAX];

	(void)arg;
	pthread_setname_np(pthread_self(), "vpgd-log");
	pthread_mutex_lock(&ring.lock);
	for (;;) {
		unsigned long dropped = ring.dropped;
		bool stopping = ring.stopping;
		size_t n;

		if (ring.used == 0 && dropped == 0) {
			if (stopping)
				break;
			ring.sleeping = true;
			pthread_cond_wait(&ring.more, &ring.lock);
			ring.sleeping = false;
			gather();
			continue;
		}
		if (stopping && !writable_by(ring.stop_by_ms)) {
			abandon_rest();
			break;
		}
		ring.dropped = 0;
		n = ring_take(block);
		pthread_mutex_unlock(&ring.lock);
		if (dropped > 0)
			write_now(LOG_WARN, "%lu log lines dropped: the log was full", dropped);
		if (n > 0)
			write_out(block, n);
		pthread_mutex_lock(&ring.lock);
	}
	pthread_mutex_unlock(&ring.lock);
	return NULL;
}

int
log_start_writer(void)
{
	int rc;

	pthread_mutex_lock(&ring.lock);
	ring.stopping = false;
	rc = ring.running ? 0 : pthread_create(&ring.thread, NULL, writer, NULL);
	if (rc == 0)
		ring.running = true;
	pthread_mutex_unlock(&ring.lock);
	return -rc;
}

unsigned long
log_lines_dropped(void)
{
	return atomic_load_explicit(&lines_dropped, memory_order_relaxed);
}

void
log_stop_writer(void)
{
	pthread_mutex_lock(&ring.lock);
	if (!ring.running) {
		pthread_mutex_unlock(&ring.lock);
		return;
	}
	ring.stopping = true;
	ring.stop_by_ms = monotonic_ms() + LOG_STOP_DRAIN_MS;
	pthread_cond_signal(&ring.more);
	pthread_mutex_unlock(&ring.lock);
	/*
	 * The writer empties the ring before it ends, as far as stderr takes it
	 * in LOG_STOP_DRAIN_MS. A writer still blocked in write(2) after that is
	 * left to the process's exit, and later lines stay queued rather than
	 * block the caller on the same stderr.
	 */
	struct timespec by;
	clock_gettime(CLOCK_REALTIME, &by);
	by.tv_sec += LOG_STOP_DRAIN_MS / 1000 + 1;
	if (pthread_timedjoin_np(ring.thread, NULL, &by) != 0) {
		pthread_detach(ring.thread);
		return;
	}
	pthread_mutex_lock(&ring.lock);
	ring.running = false;
	pthread_mutex_unlock(&ring.lock);
}
