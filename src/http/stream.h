/*
 * stream.h - Server-Sent Events (GET /api/v1/stream): changes pushed to the
 * accounts that may see them.
 *
 * Writers publish a record after their transaction has committed (so no
 * client hears of what was rolled back). Records go into a ring in memory;
 * each open stream keeps its position in it and its filter (the account's
 * scope, and for a department's account its department). A stream with
 * nothing to send suspends its connection (no thread is held, no CPU is
 * spent) and is resumed by the next publish, or by the heartbeat every
 * STREAM_HEARTBEAT_S seconds, which sends a comment so that proxies and
 * phones keep the connection. A client that falls further behind than the
 * ring holds gets a "reset" event and refetches.
 */
#ifndef PINGAN_STREAM_H
#define PINGAN_STREAM_H

#include <stdint.h>

struct MHD_Connection;
struct MHD_Response;

#define STREAM_HEARTBEAT_S 15
#define STREAM_MAX_DEPTS 8

struct stream_record {
    int64_t event_id;
    char area_path[192];   /* the event's area: scope filter */
    int64_t depts[STREAM_MAX_DEPTS]; /* departments on it: filter for department accounts */
    int ndepts;
    char kind[16];         /* "event" */
    char action[24];       /* report, dispatch, escalate … */
    char status[16];
    int64_t at_ms;
};

/* Appends a record and wakes the streams. Thread-safe. */
void stream_publish(const struct stream_record *rec);
/* A response streaming to conn the records inside scope (and of department,
 * unless 0), starting with those published after now. NULL on failure. */
struct MHD_Response *stream_response(struct MHD_Connection *conn, const char *scope,
                                     int64_t department_id);
/* Starts the heartbeat; ends every stream (at shutdown). */
void stream_start(void);
void stream_shutdown(void);

#include "util/banned.h"
#endif
