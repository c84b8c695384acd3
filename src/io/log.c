#include "io/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 1024
#define LOG_RING     256 /* lines waiting for the writer, at most */

static enum log_level max_level = LOG_INFO;

/*
 * Once log_start_writer has run, a line is only copied into this ring and a
 * thread of its own writes it: the forwarding thread never waits for stderr
 * (a terminal, a pipe a slow reader drains, the journal). When the ring is
 * full a line is dropped, and the writer says how many were when it catches
 * up. Before the writer starts and after it stops, lines go out directly.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t thread;
	bool running, stopping;
	unsigned head, count;
	unsigned long dropped;
	uint16_t len[LOG_RING];
	char line[LOG_RING][LOG_LINE_MAX];
} ring = { .lock = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER };

void
log_set_level(enum log_level level)
{
	max_level = level;
}

/* One write(2) a line: lines stay whole and cost one system call. */
static void
write_line(const char *line, size_t n)
{
	(void)!write(STDERR_FILENO, line, n);
}

static size_t
format_line(char *line, enum log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	struct timespec ts;
	struct tm tm;
	size_t n;
	int m;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, LOG_LINE_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	m = snprintf(
	    line + n, LOG_LINE_MAX - n, ".%03ldZ vpgd %s: ", ts.tv_nsec / 1000000, names[level]);
	n += m > 0 ? (size_t)m : 0;
	m = vsnprintf(line + n, LOG_LINE_MAX - n, fmt, ap);
	/* A longer message is cut, its line still ended. */
	n += m > 0 ? (size_t)m : 0;
	if (n > LOG_LINE_MAX - 2)
		n = LOG_LINE_MAX - 2;
	line[n++] = '\n';
	return n;
}

/* False when no writer runs: the caller writes the line itself. */
static bool
enqueue(const char *line, size_t n)
{
	bool queued;

	pthread_mutex_lock(&ring.lock);
	queued = ring.running;
	if (queued && ring.count == LOG_RING) {
		ring.dropped++;
	} else if (queued) {
		unsigned slot = (ring.head + ring.count) % LOG_RING;

		memcpy(ring.line[slot], line, n);
		ring.len[slot] = (uint16_t)n;
		ring.count++;
		pthread_cond_signal(&ring.more);
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
		write_line(line, n);
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
	write_line(line, n);
}

/* Writes outside the lock, so a slow stderr holds up nobody but this thread. */
static void *
writer(void *arg)
{
	char line[LOG_LINE_MAX];

	(void)arg;
	pthread_setname_np(pthread_self(), "vpgd-log");
	pthread_mutex_lock(&ring.lock);
	for (;;) {
		unsigned long dropped = ring.dropped;
		size_t n = 0;

		if (ring.count == 0 && dropped == 0) {
			if (ring.stopping)
				break;
			pthread_cond_wait(&ring.more, &ring.lock);
			continue;
		}
		ring.dropped = 0;
		if (ring.count > 0) {
			n = ring.len[ring.head];
			memcpy(line, ring.line[ring.head], n);
			ring.head = (ring.head + 1) % LOG_RING;
			ring.count--;
		}
		pthread_mutex_unlock(&ring.lock);
		if (dropped > 0)
			write_now(LOG_WARN, "%lu log lines dropped: the log was full", dropped);
		if (n > 0)
			write_line(line, n);
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

void
log_stop_writer(void)
{
	pthread_mutex_lock(&ring.lock);
	if (!ring.running) {
		pthread_mutex_unlock(&ring.lock);
		return;
	}
	ring.stopping = true;
	pthread_cond_signal(&ring.more);
	pthread_mutex_unlock(&ring.lock);
	/* The writer empties the ring before it ends: no line is lost at exit. */
	pthread_join(ring.thread, NULL);
	pthread_mutex_lock(&ring.lock);
	ring.running = false;
	pthread_mutex_unlock(&ring.lock);
}
