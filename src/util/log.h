/*
 * log.h - level-checked logging with a module tag and the request id.
 *
 * Each .c file that logs defines `static const char LOG_TAG[] = "name";`
 * before using the macros. Lines go to stderr as
 *   2026-11-23T04:00:00.123Z INFO  [tag] rid=… message
 * The request id is thread-local: the HTTP layer sets it while a request runs.
 */
#ifndef PINGAN_LOG_H
#define PINGAN_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

extern enum log_level log_min_level;
extern _Thread_local const char *log_request_id;

/* Returns 0, or -1 if name is not debug/info/warn/error. */
int log_set_level(const char *name);
void log_write(enum log_level lvl, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define LOG_AT(lvl, ...)                                                                           \
    do {                                                                                           \
        if ((lvl) >= log_min_level)                                                                \
            log_write((lvl), LOG_TAG, __VA_ARGS__);                                                \
    } while (0)
#define log_debug(...) LOG_AT(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  LOG_AT(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  LOG_AT(LOG_WARN, __VA_ARGS__)
#define log_error(...) LOG_AT(LOG_ERROR, __VA_ARGS__)

#include "banned.h"
#endif
