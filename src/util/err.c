#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int err_set(struct err *e, enum err_kind kind, const char *code, const char *field,
            const char *fmt, ...)
{
    if (e->kind != ERR_NONE)
        return -1;
    e->kind = kind;
    e->code = code;
    e->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return -1;
}

int err_status(enum err_kind kind)
{
    switch (kind) {
    case ERR_NONE:
        return 200;
    case ERR_INVALID:
        return 400;
    case ERR_UNAUTH:
        return 401;
    case ERR_FORBIDDEN:
        return 403;
    case ERR_NOT_FOUND:
        return 404;
    case ERR_CONFLICT:
        return 409;
    case ERR_LOCKED:
        return 423;
    case ERR_THROTTLED:
        return 429;
    case ERR_INTERNAL:
        return 500;
    }
    return 500;
}
