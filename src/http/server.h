/*
 * server.h - the HTTP server: libmicrohttpd with its epoll thread pool.
 *
 * API requests (/api/...) go to the router; everything else is a static file
 * of the UI from app->web_root (unknown paths without an extension fall back
 * to index.html so the UI's routes work on reload). Limits come from the
 * config: body size (413 as JSON, read no further), header memory,
 * connections, idle timeout. Every request gets an id and one access-log line.
 */
#ifndef PINGAN_SERVER_H
#define PINGAN_SERVER_H

struct app;

/*
 * Serves until SIGTERM or SIGINT, then stops accepting, lets requests in
 * flight finish (up to shutdown_grace seconds) and returns. Returns 0, or
 * -1 if the server could not start (message logged).
 */
int server_run(struct app *app);

#include "util/banned.h"
#endif
