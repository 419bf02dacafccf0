#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

enum log_level log_min_level = LOG_INFO;
_Thread_local const char *log_request_id;

static const char *const names[] = {"debug", "info", "warn", "error"};
static const char *const labels[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};

int log_set_level(const char *name)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            log_min_level = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

void log_write(enum log_level lvl, const char *tag, const char *fmt, ...)
{
    char line[2048];
    char ts[32];
    clock_format_iso(clock_real_ms(), ts, sizeof(ts));
    int n = snprintf(line, sizeof(line), "%s %s [%s] ", ts, labels[lvl], tag);
    if (log_request_id && n > 0 && (size_t)n < sizeof(line))
        n += snprintf(line + n, sizeof(line) - (size_t)n, "rid=%s ", log_request_id);
    if (n > 0 && (size_t)n < sizeof(line)) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    /* One fputs per line keeps lines whole across threads (stdio locks). */
    size_t len = strnlen(line, sizeof(line) - 2);
    line[len] = '\n';
    line[len + 1] = '\0';
    fputs(line, stderr);
}
