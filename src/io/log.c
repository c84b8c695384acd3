#include "io/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum log_level max_level = LOG_INFO;

void
log_set_level(enum log_level level)
{
	max_level = level;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	if (level > max_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ vpgd %s: ", when, ts.tv_nsec / 1000000, names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
