/* Logging to stderr, one line per event, never from the per-packet path. */
#ifndef VPG_IO_LOG_H
#define VPG_IO_LOG_H

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
/*
 * From here on a thread of its own writes the lines, so that no caller waits
 * for stderr; 0 or -errno. log_stop_writer writes what is left and stops it.
 */
int log_start_writer(void);
void log_stop_writer(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
