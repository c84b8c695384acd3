#include "io/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static enum log_level max_level = LOG_INFO;
static const char *log_ident = "vpgd";

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

/*
 * One write(2) a line: lines from a busy gateway (an attach each) stay whole
 * and cost one system call, not one per part as unbuffered stdio would.
 */
void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char line[1024];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int m;
	va_list ap;

	if (level > max_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	m = snprintf(line + n, sizeof(line) - n, ".%03ldZ %s %s: ", ts.tv_nsec / 1000000, log_ident,
	    names[level]);
	n += m > 0 ? (size_t)m : 0;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	/* A longer message is cut, its line still ended. */
	n += m > 0 ? (size_t)m : 0;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}
