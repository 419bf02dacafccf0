/*
 * respcache.h - a per-thread cache of rendered JSON responses.
 *
 * Reads that every click repeats (an area with its children) are rendered
 * once and served from memory until the database changes. Validity is the
 * store's generation (any commit by another connection, any row changed by
 * this thread's own connection), so a cached body is never older than the
 * data: a write anywhere, by the server or by the command line, drops it.
 * Per thread, so there are no locks; a fixed number of slots, so memory is
 * bounded (slots x threads x body size). The key must include everything
 * the body depends on besides the data (e.g. the caller's scope).
 */
#ifndef PINGAN_RESPCACHE_H
#define PINGAN_RESPCACHE_H

#include <stddef.h>

#include "http/request.h"

/* If a body for key is cached and still valid, replies with it (200) and
 * returns 1; else returns 0. */
int respcache_reply(struct req *r, const char *key);
/* Stores the reply now in r (status 200 only) under key. */
void respcache_store(struct req *r, const char *key);
/* Turns the cache on or off for the process (config response_cache). */
void respcache_enable(int on);

#include "util/banned.h"
#endif
